//! # ladder-store
//!
//! One store over embedded SQLite (the default: one file, nothing to install) and PostgreSQL
//! (for an organisation that outgrows one machine). Queries are written once with `$N`
//! placeholders, which both drivers accept, and run on either pool or transaction through
//! [`on_db!`] (the hot reads through [`read!`], below sqlx on SQLite); the schema is kept as two
//! migration sets with the same versions (`migrations/sqlite`, `migrations/postgres`) because
//! DDL types differ. See docs/architecture.md.

pub mod audit;
pub mod calendar_feeds;
pub mod career_goals;
pub mod daily;
pub mod db;
pub mod demo;
pub mod form_keys;
pub mod imports;
pub mod kra;
pub mod learning;
pub mod leaver_links;
pub mod mail;
pub mod mentoring;
pub mod notifications;
pub mod openings;
pub mod org;
pub mod overlays;
pub mod person_record;
pub mod personal_plans;
pub mod pipeline;
pub mod postings;
pub mod read;
pub mod records;
pub mod rollup;
pub mod scores;
pub mod secrets;
pub mod sessions;
pub mod signups;
pub mod supervisors;
pub mod table;
pub mod throttle;
pub mod users;
pub mod wellbeing;

pub use db::{Backend, Db, StoreError, Tx};

/// Runs `$body` with `$conn` bound to the concrete pool of a [`Db`] (`&SqlitePool` or
/// `&PgPool`) or the connection of a [`Tx`] (`&mut SqliteConnection` or `&mut PgConnection`:
/// pass `&mut tx`, or a `&mut Tx`, and reborrow with `&mut *conn` to use it twice). The body is
/// compiled once per backend, so it must only use what both drivers support, and a query only
/// one driver could bind fails to compile. This and [`read!`] are the whole dialect seam's
/// macros; where the SQL text itself differs, it is a method: [`Db::id_list`],
/// [`Backend::values_list`].
#[macro_export]
macro_rules! on_db {
    ($db:expr, $conn:ident => $body:expr) => {{
        #[allow(unused_imports)]
        use $crate::db::{BeginWrite as _, OnPool as _, OnTx as _};
        match ($db).on_db() {
            $crate::db::On::Sqlite($conn) => $body,
            $crate::db::On::Postgres($conn) => $body,
        }
    }};
}

/// A hot read: through the direct readers on SQLite ([`read::Readers`], on the calling thread),
/// through sqlx on PostgreSQL or where there are none. `all` gives every row, `optional` the
/// first if any. `$query` is the sqlx constructor (`query_as` or `query_scalar`) whose rows
/// match `$map`'s (a rusqlite row mapper); the parameters bind to `$1`, `$2`… on both paths.
#[macro_export]
macro_rules! read {
    (@ $db:expr, $direct:ident, $fetch:ident, $query:ident, $sql:expr, $map:expr; $($param:expr),*) => {
        match $db.readers() {
            Some(readers) => readers.$direct($sql, &[$(&$param as &dyn rusqlite::ToSql),*], $map)?,
            None => $crate::on_db!($db, p => sqlx::$query($sql)$(.bind($param))*.$fetch(p).await?),
        }
    };
    ($db:expr, all, $query:ident, $sql:expr, $map:expr; $($param:expr),* $(,)?) => {
        $crate::read!(@ $db, all, fetch_all, $query, $sql, $map; $($param),*)
    };
    ($db:expr, optional, $query:ident, $sql:expr, $map:expr; $($param:expr),* $(,)?) => {
        $crate::read!(@ $db, optional, fetch_optional, $query, $sql, $map; $($param),*)
    };
}

pub type Result<T> = std::result::Result<T, StoreError>;
