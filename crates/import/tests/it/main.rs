//! The import's integration tests, in one binary (one link instead of one per file): each module
//! is a file beside this one; `common` holds what they share.

mod common;
mod history;
mod interactions;
mod kpi;
mod leavers;
mod people;
mod platforms;
mod presets;
mod problems;
mod rescore;
mod shifts;
mod who;
mod worked;
mod zones;
