//! The `ladder` binary's integration tests, in one binary (one link instead of one per file):
//! each module is a file beside this one.

mod cli;
mod crash;
mod framework_db;
mod history;
mod import_kill;
mod interactions;
mod me;
mod record;
mod serve;
mod wellbeing;
