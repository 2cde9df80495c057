//! The core's integration tests, in one binary (one link instead of one per file): each module
//! is a file beside this one; `fixtures/` holds the small framework they load.

mod enough;
mod postings;
mod record;
mod scoring;
mod validate;
