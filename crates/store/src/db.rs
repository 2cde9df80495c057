//! Connecting, migrating and backing up either database.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    #[error("unsupported database URL '{0}' (use sqlite://PATH or postgres://…)")]
    BadUrl(String),
}

impl StoreError {
    /// Unique-constraint violations become conflicts the API can report as such.
    pub fn from_write(e: sqlx::Error, what: &str) -> StoreError {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::Conflict(format!("{what} already exists"))
            }
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                StoreError::Invalid(format!("{what} refers to something that does not exist"))
            }
            _ => StoreError::Database(e),
        }
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Opens `sqlite://PATH` (created if missing) or `postgres://…`. Does not migrate.
    pub async fn connect(url: &str) -> crate::Result<Db> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("cache_size", "-65536");
            let pool = SqlitePoolOptions::new().max_connections(8).min_connections(1).connect_with(options).await?;
            Ok(Db::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool =
                PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(10)).connect(url).await?;
            Ok(Db::Postgres(pool))
        } else {
            Err(crate::StoreError::BadUrl(url.to_string()))
        }
    }

    /// The SQLite URL of a file path.
    pub fn sqlite_url(path: &Path) -> String {
        format!("sqlite://{}", path.display())
    }

    pub async fn connect_and_migrate(url: &str) -> crate::Result<Db> {
        let db = Db::connect(url).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Applies every pending migration (each in its own transaction).
    pub async fn migrate(&self) -> crate::Result<()> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// The versions of the migrations applied so far.
    pub async fn applied_migrations(&self) -> crate::Result<Vec<i64>> {
        let sql = "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version";
        Ok(crate::on_db!(self, p => sqlx::query_scalar(sql).fetch_all(p).await?))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// A subquery listing the ids in a JSON array bound at `param` — the one place the two
    /// dialects need different text.
    pub fn id_list(&self, param: &str) -> String {
        match self {
            Db::Sqlite(_) => format!("(SELECT value FROM json_each({param}))"),
            Db::Postgres(_) => format!("(SELECT value::bigint FROM jsonb_array_elements_text(CAST({param} AS jsonb)))"),
        }
    }

    pub async fn close(&self) {
        crate::on_db!(self, p => p.close().await)
    }

    /// Writes a consistent copy of the database to `path` while others keep writing.
    /// SQLite: `VACUUM INTO`, a transactionally consistent snapshot in one file.
    /// PostgreSQL: `pg_dump` in its own snapshot, written as a custom-format archive.
    pub async fn backup(&self, path: &Path, postgres_url: Option<&str>) -> crate::Result<()> {
        if path.exists() {
            return Err(crate::StoreError::Invalid(format!("{} exists already; choose a new file", path.display())));
        }
        match self {
            Db::Sqlite(p) => {
                sqlx::query("VACUUM INTO $1").bind(path.display().to_string()).execute(p).await?;
                Ok(())
            }
            Db::Postgres(_) => {
                let url =
                    postgres_url.ok_or_else(|| crate::StoreError::Invalid("the PostgreSQL URL is needed".into()))?;
                let status = tokio::process::Command::new("pg_dump")
                    .arg("--format=custom")
                    .arg("--file")
                    .arg(path)
                    .arg(url)
                    .status()
                    .await
                    .map_err(|e| crate::StoreError::Invalid(format!("cannot run pg_dump: {e}")))?;
                if status.success() {
                    Ok(())
                } else {
                    Err(crate::StoreError::Invalid(format!("pg_dump failed with {status}")))
                }
            }
        }
    }
}

/// Ids as a JSON array, to bind where [`Db::id_list`] unpacks them.
pub fn json_ids(ids: &[i64]) -> String {
    serde_json::to_string(ids).expect("ids serialise")
}
