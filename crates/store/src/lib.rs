//! # ladder-store
//!
//! One store over embedded SQLite (the default: one file, nothing to install) and PostgreSQL
//! (for an organisation that outgrows one machine). Queries are written once with `$N`
//! placeholders, which both drivers accept, and run on either pool through [`on_db!`]; the
//! schema is kept as two migration sets with the same versions (`migrations/sqlite`,
//! `migrations/postgres`) because DDL types differ. See docs/architecture.md.

pub mod audit;
pub mod daily;
pub mod db;
pub mod demo;
pub mod kra;
pub mod org;
pub mod read;
pub mod records;
pub mod rollup;
pub mod sessions;
pub mod users;

pub use db::{Backend, Db, StoreError};

/// Runs `$body` with `$pool` bound to the concrete pool (or transaction) of either backend.
/// The body is compiled once per backend, so it must only use what both drivers support.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool, _) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

pub type Result<T> = std::result::Result<T, StoreError>;
