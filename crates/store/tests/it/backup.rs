//! `Db::backup` while the database is being written: the copy is one consistent moment.
//!
//! A writer numbers its transactions 0, 1, 2, … and each writes two rows (a pair) in one
//! transaction. The backup, restored, must hold exactly the pairs 0..k for some k: no gaps (no
//! later write without an earlier one) and no half pairs (no torn transaction), and it must open
//! and migrate like any database.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ladder_store::Db;
use ladder_testkit::{backends, each_backend, Backend, TestDb};

const INSERT: &str = "INSERT INTO audit_log (at, entity, entity_id, action) VALUES ($1, $2, $3, 'write')";

/// Writes numbered pairs until told to stop; returns how many it wrote.
async fn keep_writing(db: Db, stop: Arc<AtomicBool>, written: Arc<AtomicI64>) -> i64 {
    let mut n = 0i64;
    while !stop.load(Ordering::SeqCst) {
        let now = chrono::Utc::now();
        ladder_store::on_db!(&db, p => {
            let mut tx = p.begin().await.unwrap();
            sqlx::query(INSERT).bind(now).bind("first").bind(n.to_string()).execute(&mut *tx).await.unwrap();
            sqlx::query(INSERT).bind(now).bind("second").bind(n.to_string()).execute(&mut *tx).await.unwrap();
            tx.commit().await.unwrap();
        });
        n += 1;
        written.store(n, Ordering::SeqCst);
    }
    n
}

/// The numbers of the pairs in a database, checked to be whole pairs 0..k; returns k.
async fn pairs(db: &Db) -> i64 {
    let sql = "SELECT entity, entity_id FROM audit_log WHERE action = 'write'";
    let rows: Vec<(String, String)> = ladder_store::on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await.unwrap());
    let mut first: Vec<i64> = rows.iter().filter(|(e, _)| e == "first").map(|(_, n)| n.parse().unwrap()).collect();
    let mut second: Vec<i64> = rows.iter().filter(|(e, _)| e == "second").map(|(_, n)| n.parse().unwrap()).collect();
    first.sort_unstable();
    second.sort_unstable();
    assert_eq!(first, second, "no transaction is torn in half");
    let k = first.len() as i64;
    assert_eq!(first, (0..k).collect::<Vec<_>>(), "the writes are a prefix 0..{k} with no gaps");
    k
}

#[tokio::test]
async fn a_backup_taken_while_writing_is_a_consistent_prefix() {
    each_backend(async |fresh| {
        let backend = fresh.backend;
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(AtomicI64::new(0));
        let writer = tokio::spawn(keep_writing(fresh.db.clone(), stop.clone(), written.clone()));
        // Let some writes land first, so the copy is neither empty nor everything.
        while written.load(Ordering::SeqCst) < 200 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let scratch = fresh.scratch();
        let file = scratch.join("backup.copy");
        fresh.db.backup(&file, Some(&fresh.url)).await.expect("backup while writing");
        let after_backup = written.load(Ordering::SeqCst);
        // The writer kept going during and after the backup.
        while written.load(Ordering::SeqCst) < after_backup + 100 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        stop.store(true, Ordering::SeqCst);
        let total = writer.await.unwrap();
        assert_eq!(pairs(&fresh.db).await, total);

        assert!(file.exists());
        let leftovers: Vec<_> = std::fs::read_dir(&scratch)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
            .collect();
        assert!(leftovers.is_empty(), "no partial file is left behind");
        // A second backup to the same file is refused rather than overwriting it.
        assert!(fresh.db.backup(&file, Some(&fresh.url)).await.is_err());

        let k = match backend {
            Backend::Sqlite => {
                let copy = Db::connect_and_migrate(&Db::sqlite_url(&file)).await.expect("the copy opens and migrates");
                let k = pairs(&copy).await;
                assert_eq!(copy.applied_migrations().await.unwrap(), fresh.db.applied_migrations().await.unwrap());
                copy.close().await;
                k
            }
            Backend::Postgres => {
                let restored = TestDb::new(Backend::Postgres).await;
                // pg_restore wants an empty database: drop what migrating created, keep the db.
                if let Db::Postgres(p) = &restored.db {
                    sqlx::query("DROP SCHEMA public CASCADE").execute(p).await.unwrap();
                    sqlx::query("CREATE SCHEMA public").execute(p).await.unwrap();
                }
                let status = std::process::Command::new("pg_restore")
                    .arg("--no-owner")
                    .arg("--exit-on-error")
                    .arg("--dbname")
                    .arg(&restored.url)
                    .arg(&file)
                    .status()
                    .expect("pg_restore runs");
                assert!(status.success(), "pg_restore: {status}");
                restored.db.migrate().await.expect("the restored copy migrates");
                let k = pairs(&restored.db).await;
                assert_eq!(
                    restored.db.applied_migrations().await.unwrap(),
                    fresh.db.applied_migrations().await.unwrap()
                );
                restored.clean_up().await;
                k
            }
        };
        assert!(k >= 200, "{backend:?}: the copy holds the writes made before it started ({k})");
        assert!(k <= after_backup, "{backend:?}: and none made after it finished ({k} > {after_backup})");
        assert!(k < total, "{backend:?}: the writer went on after the copy");
        eprintln!("{backend:?}: backup holds writes 0..{k} of {total}");
    })
    .await;
}

#[tokio::test]
async fn a_failed_backup_leaves_nothing() {
    let fresh = TestDb::new(Backend::Sqlite).await;
    let missing = fresh.scratch().join("no-such-dir").join("backup.db");
    assert!(fresh.db.backup(&missing, None).await.is_err());
    assert!(!missing.exists());
    if backends().await.contains(&Backend::Postgres) {
        let pg = TestDb::new(Backend::Postgres).await;
        let file = pg.scratch().join("bad.dump");
        let err = pg.db.backup(&file, Some("postgres://nobody@127.0.0.1:1/none")).await.unwrap_err();
        assert!(err.to_string().contains("pg_dump"), "{err}");
        assert!(!file.exists());
        assert!(std::fs::read_dir(pg.scratch()).unwrap().next().is_none(), "no partial file");
        pg.clean_up().await;
    }
    fresh.clean_up().await;
}
