//! The store's integration tests, in one binary (one link instead of one per file): each module
//! is a file beside this one; `support` holds what they share beyond `ladder_testkit`.

mod backup;
mod daily;
mod demo;
mod headcount;
mod migrate;
mod overlays;
mod postings;
mod read;
mod settings;
mod support;
mod tables;
mod tx;
