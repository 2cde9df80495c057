//! # ladder-testkit
//!
//! What the tests of every crate share, and nothing else (a dev-dependency only, never
//! published): the backends to test on, a fresh migrated database per test, and the runners
//! [`each_backend`] and [`on`], which remove that database when the test ends — also when it
//! panics, so a failing test leaves no PostgreSQL database or temporary directory behind.
//!
//! SQLite is always tested; PostgreSQL (at [`PG_ADMIN_URL`], trust authentication) when it is
//! reachable, and it must be when `LADDER_REQUIRE_POSTGRES=1` (CI sets it), so a missing server
//! fails the tests instead of skipping them.
//!
//! ```text
//! ladder_testkit::each_backend(async |t| {
//!     ladder_store::org::create_organisation(&t.db, "Test BPO").await.unwrap();
//! })
//! .await;
//! ```

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use futures_util::FutureExt;
pub use ladder_store::Backend;
use ladder_store::Db;

/// The PostgreSQL server's maintenance database, where test databases are created and dropped.
pub const PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const PG_SERVER: &str = "postgres://postgres@127.0.0.1:5432";

/// Whether PostgreSQL must be tested (`LADDER_REQUIRE_POSTGRES=1`) rather than skipped when down.
pub fn postgres_required() -> bool {
    std::env::var("LADDER_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

/// The backends to run a test on: SQLite, and PostgreSQL when reachable (a missing server
/// fails when it is required).
pub async fn backends() -> Vec<Backend> {
    let mut out = vec![Backend::Sqlite];
    match Db::connect(PG_ADMIN_URL).await {
        Ok(db) => {
            db.close().await;
            out.push(Backend::Postgres);
        }
        Err(e) if postgres_required() => {
            panic!("PostgreSQL is required (LADDER_REQUIRE_POSTGRES=1) but unreachable: {e}")
        }
        Err(e) => eprintln!("note: PostgreSQL unreachable, testing SQLite only: {e}"),
    }
    out
}

/// A migrated, empty database of one backend, and a scratch directory of its own.
///
/// Inside [`each_backend`] or [`on`] the runner removes both; a `TestDb` made with
/// [`TestDb::new`] is removed by [`TestDb::clean_up`].
pub struct TestDb {
    pub db: Db,
    pub url: String,
    pub backend: Backend,
    place: Place,
}

/// Where a test database lives, to remove it.
#[derive(Debug, Clone)]
struct Place {
    /// The scratch directory; on SQLite the database file is in it.
    dir: PathBuf,
    /// The PostgreSQL database's name.
    pg_name: Option<String>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A name no other test (of this process or another) uses.
fn unique_tag() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{}_{n}_{nanos:x}", std::process::id())
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        let tag = unique_tag();
        let dir = std::env::temp_dir().join(format!("ladder-test-{tag}"));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        let (url, pg_name) = match backend {
            Backend::Sqlite => (Db::sqlite_url(&dir.join("ladder.db")), None),
            Backend::Postgres => {
                let name = format!("ladder_test_{tag}");
                let admin = Db::connect(PG_ADMIN_URL).await.expect("postgres reachable");
                if let Db::Postgres(p) = &admin {
                    sqlx::query(&format!("CREATE DATABASE {name}")).execute(p).await.expect("create database");
                }
                admin.close().await;
                (format!("{PG_SERVER}/{name}"), Some(name))
            }
        };
        let db = Db::connect_and_migrate(&url).await.unwrap_or_else(|e| panic!("{backend:?} opens and migrates: {e}"));
        TestDb { db, url, backend, place: Place { dir, pg_name } }
    }

    /// A directory for the test's files, removed with the database (on SQLite it holds the
    /// database file too).
    pub fn scratch(&self) -> PathBuf {
        self.place.dir.clone()
    }

    /// Closes the database and removes it and the scratch directory. Doing it twice is harmless.
    pub async fn clean_up(self) {
        self.place.remove(self.db).await;
    }
}

impl Place {
    async fn remove(self, db: Db) {
        db.close().await;
        if let Some(name) = &self.pg_name {
            drop_postgres_database(name).await;
        }
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

/// Drops a PostgreSQL database, ending whatever connections are still open on it.
pub async fn drop_postgres_database(name: &str) {
    if let Ok(Db::Postgres(p)) = Db::connect(PG_ADMIN_URL).await {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&p).await.ok();
        p.close().await;
    }
}

/// Runs `body` on a fresh database of `backend` and removes the database afterwards, whether
/// the body returns or panics (the panic then goes on to fail the test); returns what the body
/// returns.
pub async fn on<T>(backend: Backend, body: impl AsyncFnOnce(TestDb) -> T) -> T {
    let test_db = TestDb::new(backend).await;
    let (db, place) = (test_db.db.clone(), test_db.place.clone());
    let outcome = AssertUnwindSafe(body(test_db)).catch_unwind().await;
    place.remove(db).await;
    outcome.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Runs `body` on a fresh database of each of [`backends`], in turn, as [`on`] does.
pub async fn each_backend(mut body: impl AsyncFnMut(TestDb)) {
    for backend in backends().await {
        on(backend, async |test_db| body(test_db).await).await;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    async fn postgres_database_exists(name: &str) -> bool {
        let admin = Db::connect(PG_ADMIN_URL).await.unwrap();
        let Db::Postgres(p) = &admin else { unreachable!() };
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
            .bind(name)
            .fetch_one(p)
            .await
            .unwrap();
        admin.close().await;
        n > 0
    }

    /// The scratch directory and (on PostgreSQL) the database a runner made, checked to exist
    /// while the body runs.
    async fn inside(t: &TestDb) -> Place {
        assert!(t.scratch().is_dir());
        assert_eq!(t.db.applied_migrations().await.unwrap().first(), Some(&1), "migrated");
        if let Some(name) = &t.place.pg_name {
            assert!(postgres_database_exists(name).await);
            assert!(t.url.ends_with(name.as_str()));
        }
        t.place.clone()
    }

    async fn assert_removed(place: Place, backend: Backend) {
        assert!(!place.dir.exists(), "{backend:?}: {} is removed", place.dir.display());
        if let Some(name) = &place.pg_name {
            assert!(!postgres_database_exists(name).await, "{backend:?}: database {name} is dropped");
        }
    }

    #[tokio::test]
    async fn a_panicking_test_still_removes_its_database() {
        for backend in backends().await {
            let made = Mutex::new(None);
            let outcome = AssertUnwindSafe(on(backend, async |t| {
                *made.lock().unwrap() = Some(inside(&t).await);
                panic!("the test fails");
            }))
            .catch_unwind()
            .await;
            let panic = outcome.expect_err("the body's panic reaches the test");
            assert_eq!(panic.downcast_ref::<&str>(), Some(&"the test fails"), "the same panic");
            assert_removed(made.into_inner().unwrap().expect("the body ran"), backend).await;
        }
    }

    #[tokio::test]
    async fn each_backend_runs_on_every_backend_and_removes_each_database() {
        let mut made = Vec::new();
        each_backend(async |t| made.push((inside(&t).await, t.backend))).await;
        let ran: Vec<Backend> = made.iter().map(|(_, b)| *b).collect();
        assert_eq!(ran, backends().await);
        for (place, backend) in made {
            assert_removed(place, backend).await;
        }
        // A database made outside a runner is removed when asked.
        let t = TestDb::new(Backend::Sqlite).await;
        let place = inside(&t).await;
        assert_eq!(on(Backend::Sqlite, async |_| 7).await, 7, "a runner returns the body's value");
        t.clean_up().await;
        assert_removed(place, Backend::Sqlite).await;
    }
}
