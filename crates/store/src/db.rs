//! Connecting, migrating and backing up either database.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

#[derive(Clone, Debug)]
pub enum Db {
    /// The pool every write and most reads go through, and the direct readers of the hot reads
    /// ([`mod@crate::read`]; `None` for an in-memory database).
    Sqlite(SqlitePool, Option<Arc<crate::read::Readers>>),
    Postgres(PgPool),
}

/// A transaction on either backend, begun by [`Db::begin`]: what a write that spans several
/// store calls (an import) holds and hands to each of them. Dropped without [`Tx::commit`], it
/// rolls back.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Tx").field(&self.backend()).finish()
    }
}

impl Tx {
    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn commit(self) -> crate::Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub async fn rollback(self) -> crate::Result<()> {
        match self {
            Tx::Sqlite(t) => t.rollback().await?,
            Tx::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }
}

/// What [`crate::on_db!`] binds its body to: the concrete pool or connection of one backend.
#[doc(hidden)]
pub enum On<S, P> {
    Sqlite(S),
    Postgres(P),
}

/// [`crate::on_db!`] on a [`Db`]: its pool.
#[doc(hidden)]
pub trait OnPool {
    fn on_db(&self) -> On<&SqlitePool, &PgPool>;
}

impl OnPool for Db {
    fn on_db(&self) -> On<&SqlitePool, &PgPool> {
        match self {
            Db::Sqlite(pool, _) => On::Sqlite(pool),
            Db::Postgres(pool) => On::Postgres(pool),
        }
    }
}

/// Begins a write transaction. On SQLite it is `BEGIN IMMEDIATE`: the one write lock is taken
/// at the start, so the transaction waits (up to the busy timeout) behind another writer. A
/// deferred one reads first and cannot wait when it later writes: it failed with "database is
/// locked" while imports ran (issue 27). In scope inside [`crate::on_db!`].
#[doc(hidden)]
pub trait BeginWrite {
    type Database: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = sqlx::Result<sqlx::Transaction<'static, Self::Database>>> + Send;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = sqlx::Result<sqlx::Transaction<'static, sqlx::Postgres>>> + Send {
        self.begin()
    }
}

/// [`crate::on_db!`] on a [`Tx`]: the transaction's connection.
#[doc(hidden)]
pub trait OnTx {
    fn on_db(&mut self) -> On<&mut SqliteConnection, &mut PgConnection>;
}

impl OnTx for Tx {
    fn on_db(&mut self) -> On<&mut SqliteConnection, &mut PgConnection> {
        match self {
            Tx::Sqlite(tx) => On::Sqlite(&mut **tx),
            Tx::Postgres(tx) => On::Postgres(&mut **tx),
        }
    }
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
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("not found")]
    NotFound,
    /// A stored value that cannot be read back (packed daily facts, say).
    #[error("damaged: {0}")]
    Damaged(String),
    #[error("conflict: {0}")]
    Conflict(String),
    /// A write based on data that changed since it was read.
    #[error("{0}")]
    Stale(String),
    #[error("{0}")]
    Invalid(String),
    #[error("unsupported database URL '{0}' (use sqlite://PATH or postgres://…)")]
    BadUrl(String),
}

impl StoreError {
    /// The database stayed busy (another writer held it past the busy timeout): worth trying
    /// again, not a fault.
    pub fn is_busy(&self) -> bool {
        let text = match self {
            StoreError::Database(sqlx::Error::Database(d)) => d.message().to_string(),
            StoreError::Sqlite(e) => e.to_string(),
            _ => return false,
        };
        text.contains("database is locked") || text.contains("database is busy")
    }

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

/// How a database is opened: the store's part of the server's settings (`ladder_server::Settings`;
/// `ladder serve --help` lists each with its flag and environment variable). [`Db::connect`]
/// takes the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreSettings {
    /// SQLite connections in the pool, each on a thread of its own. Default: twice the cores
    /// (2 to 16), which measured best: 8 on 2 cores added thread switches, 2 left cores idle
    /// while a thread waited (BENCHMARKS.md).
    pub sqlite_connections: u32,
    /// Whether SQLite's hot reads go straight through the C library ([`crate::read`]). Off,
    /// every read goes through sqlx (to compare the two). Default: on.
    pub sqlite_direct_reads: bool,
    /// PostgreSQL connections in the pool. Default: 16.
    pub postgres_connections: u32,
}

impl Default for StoreSettings {
    fn default() -> StoreSettings {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
        StoreSettings {
            sqlite_connections: (cores * 2).clamp(2, 16),
            sqlite_direct_reads: true,
            postgres_connections: 16,
        }
    }
}

/// Gathers the planner's statistics, keeping only the per-index row counts (`sqlite_stat1`).
/// The bundled SQLite is built with STAT4, and with `sqlite_stat4` present every statement whose
/// plan could depend on a bound value is compiled again on each run: 15 % of a scorecard request.
pub async fn analyze_sqlite(pool: &sqlx::SqlitePool) -> crate::Result<()> {
    sqlx::query("ANALYZE").execute(pool).await?;
    let stat4: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat4'").fetch_one(pool).await?;
    if stat4 > 0 {
        sqlx::query("DELETE FROM sqlite_stat4").execute(pool).await?;
        // Reloads the statistics on this connection; others load them when they next prepare.
        sqlx::query("ANALYZE sqlite_schema").execute(pool).await?;
    }
    Ok(())
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Opens `sqlite://PATH` (created if missing) or `postgres://…` with the default
    /// [`StoreSettings`]. Does not migrate.
    pub async fn connect(url: &str) -> crate::Result<Db> {
        Db::connect_with(url, &StoreSettings::default()).await
    }

    /// Opens `sqlite://PATH` (created if missing) or `postgres://…`. Does not migrate.
    pub async fn connect_with(url: &str, settings: &StoreSettings) -> crate::Result<Db> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                // For a new file only (a file's page size is fixed once it is in WAL mode):
                // 16 KiB pages make a bulk import's B-trees shallower with fewer page splits
                // (BENCHMARKS.md, issue 5).
                .page_size(16_384)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("cache_size", "-65536");
            // No ping before handing out a connection: an embedded database's connection does
            // not go stale, and the ping was one more trip to the connection's thread per query.
            let pool = SqlitePoolOptions::new()
                .max_connections(settings.sqlite_connections)
                .min_connections(1)
                .test_before_acquire(false)
                .connect_with(options.clone())
                .await?;
            let readers = if settings.sqlite_direct_reads {
                crate::read::Readers::for_file(options.get_filename()).map(Arc::new)
            } else {
                None
            };
            Ok(Db::Sqlite(pool, readers))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(settings.postgres_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Ok(Db::Postgres(pool))
        } else {
            Err(crate::StoreError::BadUrl(url.to_string()))
        }
    }

    /// Begins a transaction, for writes that span several store calls ([`BeginWrite`]).
    pub async fn begin(&self) -> crate::Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool, _) => Tx::Sqlite(pool.begin_write().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin_write().await?),
        })
    }

    /// Begins a read transaction: one snapshot for several reads that must agree (a count and
    /// the rows it leaves out). SQLite: a deferred `BEGIN`, which takes no write lock (WAL
    /// readers do not wait for writers). PostgreSQL: `REPEATABLE READ`, since its default gives
    /// each statement a snapshot of its own.
    pub async fn begin_read(&self) -> crate::Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool, _) => Tx::Sqlite(pool.begin().await?),
            Db::Postgres(pool) => {
                Tx::Postgres(pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?)
            }
        })
    }

    /// The SQLite URL of a file path.
    pub fn sqlite_url(path: &Path) -> String {
        format!("sqlite://{}", path.display())
    }

    pub async fn connect_and_migrate(url: &str) -> crate::Result<Db> {
        Db::connect_and_migrate_with(url, &StoreSettings::default()).await
    }

    pub async fn connect_and_migrate_with(url: &str, settings: &StoreSettings) -> crate::Result<Db> {
        let db = Db::connect_with(url, settings).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Applies every pending migration (each in its own transaction), then the data step that
    /// SQL alone cannot do (packing the daily facts of earlier versions, a row per employee and month).
    pub async fn migrate(&self) -> crate::Result<()> {
        match self {
            Db::Sqlite(p, _) => {
                let before = self.applied_migrations().await.unwrap_or_default();
                SQLITE_MIGRATIONS.run(p).await?;
                // A migration that rebuilds a table drops its statistics; with the other
                // tables' still there, the planner would misjudge it (a team's month scanned
                // every employee's). Gather them again if the database had any.
                let analyzed: i64 =
                    sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
                        .fetch_one(p)
                        .await?;
                if analyzed > 0 && self.applied_migrations().await? != before {
                    analyze_sqlite(p).await?;
                }
            }
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        crate::daily::pack_legacy(self).await?;
        crate::daily::pack_metrics_by_month(self).await?;
        crate::daily::keep_figures_in_one_place(self).await?;
        Ok(())
    }

    /// The versions of the migrations applied so far.
    pub async fn applied_migrations(&self) -> crate::Result<Vec<i64>> {
        let sql = "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version";
        Ok(crate::on_db!(self, p => sqlx::query_scalar(sql).fetch_all(p).await?))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(..) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// A subquery listing the ids in a JSON array bound at `param` — the one place the two
    /// dialects need different text.
    pub fn id_list(&self, param: &str) -> String {
        match self {
            Db::Sqlite(..) => format!("(SELECT value FROM json_each({param}))"),
            Db::Postgres(_) => format!("(SELECT value::bigint FROM jsonb_array_elements_text(CAST({param} AS jsonb)))"),
        }
    }

    /// The direct readers of the hot reads, on SQLite.
    pub fn readers(&self) -> Option<&crate::read::Readers> {
        match self {
            Db::Sqlite(_, readers) => readers.as_deref(),
            Db::Postgres(_) => None,
        }
    }

    /// The same database with every read through sqlx: to compare the two paths.
    pub fn without_direct_reads(&self) -> Db {
        match self {
            Db::Sqlite(pool, _) => Db::Sqlite(pool.clone(), None),
            Db::Postgres(pool) => Db::Postgres(pool.clone()),
        }
    }

    pub async fn close(&self) {
        if let Some(readers) = self.readers() {
            readers.close();
        }
        crate::on_db!(self, p => p.close().await)
    }

    /// Writes a consistent copy of the database to `path` while others keep writing.
    /// SQLite: `VACUUM INTO`, a transactionally consistent snapshot in one file (open it with
    /// `--database sqlite://PATH`). PostgreSQL: `pg_dump` in its own snapshot, written as a
    /// custom-format archive (restore with `pg_restore --dbname URL PATH`); `postgres_url` is the
    /// database's URL, whose password (if any) reaches `pg_dump` through `PGPASSWORD` rather than
    /// its command line.
    ///
    /// The copy is written next to `path` under a temporary name and renamed into place when it
    /// is complete, so a failed or interrupted backup never leaves a file that looks finished.
    pub async fn backup(&self, path: &Path, postgres_url: Option<&str>) -> crate::Result<()> {
        if path.exists() {
            return Err(crate::StoreError::Invalid(format!("{} exists already; choose a new file", path.display())));
        }
        let file_name = path
            .file_name()
            .ok_or_else(|| crate::StoreError::Invalid(format!("{} is not a file name", path.display())))?;
        let partial = path.with_file_name(format!(".{}.partial", file_name.to_string_lossy()));
        let _ = std::fs::remove_file(&partial);
        let written = self.write_backup(&partial, postgres_url).await;
        if let Err(e) = written {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
        // Synced before the rename, and the directory after it: a power cut leaves the whole
        // backup or none, as a killed process does.
        let synced = std::fs::File::open(&partial).and_then(|f| f.sync_all());
        if let Err(e) = synced {
            let _ = std::fs::remove_file(&partial);
            return Err(crate::StoreError::Invalid(format!("cannot sync the backup {}: {e}", partial.display())));
        }
        std::fs::rename(&partial, path)
            .map_err(|e| crate::StoreError::Invalid(format!("cannot move the backup into {}: {e}", path.display())))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }

    async fn write_backup(&self, path: &Path, postgres_url: Option<&str>) -> crate::Result<()> {
        match self {
            Db::Sqlite(p, _) => {
                sqlx::query("VACUUM INTO $1").bind(path.display().to_string()).execute(p).await?;
                Ok(())
            }
            Db::Postgres(_) => {
                let url =
                    postgres_url.ok_or_else(|| crate::StoreError::Invalid("the PostgreSQL URL is needed".into()))?;
                let (url, password) = split_password(url);
                let mut command = tokio::process::Command::new("pg_dump");
                command.arg("--format=custom").arg("--no-password").arg("--file").arg(path).arg(&url);
                if let Some(password) = password {
                    command.env("PGPASSWORD", password);
                }
                let output = command.output().await.map_err(|e| {
                    crate::StoreError::Invalid(format!("cannot run pg_dump (is the PostgreSQL client installed?): {e}"))
                })?;
                if output.status.success() {
                    Ok(())
                } else {
                    Err(crate::StoreError::Invalid(format!(
                        "pg_dump failed with {}: {}",
                        output.status,
                        String::from_utf8_lossy(&output.stderr).trim()
                    )))
                }
            }
        }
    }
}

impl Backend {
    /// `($1, $2), ($3, $4)`: the values of a multi-row statement, `rows` rows of `columns`
    /// each, bound in order. SQLite's are `?`: sqlx finds a numbered one by its name, along the
    /// list of all of them, which at thousands of values a statement takes most of the time.
    pub fn values_list(self, rows: usize, columns: usize) -> String {
        let value = |n: usize| match self {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${n}"),
        };
        let row = |r: usize| {
            let values: Vec<String> = (1..=columns).map(|c| value(r * columns + c)).collect();
            format!("({})", values.join(", "))
        };
        (0..rows).map(row).collect::<Vec<_>>().join(", ")
    }
}

/// A PostgreSQL URL without its password, and the password (percent-decoded), if it had one.
fn split_password(url: &str) -> (String, Option<String>) {
    let (Some(scheme), Some(at)) = (url.find("://"), url.rfind('@')) else { return (url.to_string(), None) };
    if at < scheme {
        return (url.to_string(), None);
    }
    let credentials = &url[scheme + 3..at];
    match credentials.split_once(':') {
        Some((user, password)) => {
            (format!("{}{user}{}", &url[..scheme + 3], &url[at..]), Some(percent_decode(password)))
        }
        None => (url.to_string(), None),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Ids as a JSON array, to bind where [`Db::id_list`] unpacks them.
pub fn json_ids<Id: serde::Serialize>(ids: &[Id]) -> String {
    serde_json::to_string(ids).expect("ids serialise")
}

/// Runs `f` on a SQLite transaction's connection through the C library, inside the same
/// transaction; sqlx's thread for the connection waits until it is done. The bulk writers use it
/// (`kra::bulk`, the shift import): sqlx would take each statement to that thread and back.
pub(crate) async fn sqlite_direct<T>(
    tx: &mut SqliteConnection,
    f: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>,
) -> crate::Result<T> {
    let mut locked = tx.lock_handle().await?;
    // SAFETY: the handle is ours alone while `locked` lives, and it outlives `conn`, which was
    // not opened here and so does not close the handle when dropped (it finalizes only its own
    // statements). `f` cannot reach the handle any other way: `tx` stays borrowed until it
    // returns, and the rows and blobs it reads cannot outlive `conn`.
    #[allow(unsafe_code)] // the workspace denies `unsafe`; this is its one use
    let conn = unsafe { rusqlite::Connection::from_handle(locked.as_raw_handle().as_ptr()) }?;
    let out = f(&conn);
    drop(conn);
    Ok(out?)
}

#[cfg(test)]
mod tests {
    use super::split_password;

    #[test]
    fn passwords_leave_the_url_for_pg_dump() {
        assert_eq!(
            split_password("postgres://u:p%40ss@h:5432/db"),
            ("postgres://u@h:5432/db".to_string(), Some("p@ss".to_string()))
        );
        assert_eq!(split_password("postgres://u@h/db"), ("postgres://u@h/db".to_string(), None));
        assert_eq!(split_password("postgres:///db"), ("postgres:///db".to_string(), None));
    }
}
