//! Fresh databases for the store's tests: SQLite always, PostgreSQL when reachable (or required
//! with LADDER_REQUIRE_POSTGRES=1, as CI does).
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use ladder_store::Db;

pub const PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
static COUNTER: AtomicU32 = AtomicU32::new(0);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

fn require_postgres() -> bool {
    std::env::var("LADDER_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

/// SQLite, and PostgreSQL when it is reachable (a missing server fails when it is required).
pub async fn backends() -> Vec<Backend> {
    let mut out = vec![Backend::Sqlite];
    match Db::connect(PG_ADMIN_URL).await {
        Ok(db) => {
            db.close().await;
            out.push(Backend::Postgres);
        }
        Err(e) if require_postgres() => {
            panic!("PostgreSQL is required (LADDER_REQUIRE_POSTGRES=1) but unreachable: {e}")
        }
        Err(e) => eprintln!("note: PostgreSQL unreachable, testing SQLite only: {e}"),
    }
    out
}

/// A migrated, empty database; dropped (or deleted) by [`Fresh::drop_now`].
pub struct Fresh {
    pub db: Db,
    pub url: String,
    pub backend: Backend,
    pg_name: Option<String>,
    dir: Option<PathBuf>,
}

impl Fresh {
    pub async fn new(backend: Backend) -> Fresh {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let tag = format!("{}_{n}_{nanos:x}", std::process::id());
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("ladder-store-test-{tag}"));
                std::fs::create_dir_all(&dir).unwrap();
                let url = Db::sqlite_url(&dir.join("ladder.db"));
                let db = Db::connect_and_migrate(&url).await.expect("sqlite opens and migrates");
                Fresh { db, url, backend, pg_name: None, dir: Some(dir) }
            }
            Backend::Postgres => {
                let name = format!("ladder_s_{tag}");
                let admin = Db::connect(PG_ADMIN_URL).await.expect("postgres reachable");
                if let Db::Postgres(p) = &admin {
                    sqlx::query(&format!("CREATE DATABASE {name}")).execute(p).await.expect("create database");
                }
                admin.close().await;
                let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
                let db = Db::connect_and_migrate(&url).await.expect("postgres migrates");
                Fresh { db, url, backend, pg_name: Some(name), dir: None }
            }
        }
    }

    /// A scratch directory next to the database (SQLite) or a temporary one (PostgreSQL).
    pub fn scratch(&self) -> PathBuf {
        match &self.dir {
            Some(d) => d.clone(),
            None => {
                let d = std::env::temp_dir().join(format!("ladder-scratch-{}", self.pg_name.as_deref().unwrap_or("x")));
                std::fs::create_dir_all(&d).unwrap();
                d
            }
        }
    }

    pub async fn drop_now(self) {
        self.db.close().await;
        if let Some(name) = &self.pg_name {
            drop_pg(name).await;
            std::fs::remove_dir_all(std::env::temp_dir().join(format!("ladder-scratch-{name}"))).ok();
        }
        if let Some(dir) = self.dir {
            std::fs::remove_dir_all(dir).ok();
        }
    }
}

pub async fn drop_pg(name: &str) {
    if let Ok(Db::Postgres(p)) = Db::connect(PG_ADMIN_URL).await {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&p).await.ok();
        p.close().await;
    }
}

/// A password hash for generated users (never checked by these tests).
pub const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$ZGVtbw$ZGVtbw";

/// Generates a one-site, one-account demo organisation of `teams` teams and `employees` people
/// with `months` months of KRA history up to October 2026.
pub async fn small_demo(db: &Db, seed: u64, teams: usize, employees: usize, months: u32) {
    let spec = ladder_store::demo::DemoSpec {
        seed,
        sites: 1,
        accounts: 1,
        teams,
        employees,
        months,
        through: ladder_core::period::Month::new(2026, 10).unwrap(),
    };
    let framework = ladder_core::Framework::default_framework();
    ladder_store::demo::generate(db, &framework, &spec, HASH, &mut |_| {}).await.unwrap();
}

/// Logs an import of each (kind, file name), in order; returns their ids.
pub async fn log_imports(db: &Db, imports: &[(&str, &str)]) -> Vec<i64> {
    let sql = "INSERT INTO imports (kind, file_name, sha256, rows, started_at, finished_at)
        VALUES ($1, $2, '', 0, $3, $3) RETURNING id";
    let mut ids = Vec::new();
    for (kind, file) in imports {
        let id: i64 = ladder_store::on_db!(db, p => sqlx::query_scalar(sql).bind(kind).bind(file)
            .bind(chrono::Utc::now()).fetch_one(p).await.unwrap());
        ids.push(id);
    }
    ids
}
