//! SIGKILL at random moments during `ladder backup` and `ladder import score-all`, on each
//! backend. A killed backup leaves no file at its path, or a whole one that opens and holds what
//! the database holds; a killed score-all changes nothing in the database, leaves no half-written
//! `--out` file, and the next run gives what an uninterrupted one gave. Ignored in the suite (each
//! builds a demo organisation and runs the command a dozen times); scripts/crash runs them, with
//! the import kill test, N times in a row.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ladder_store::Backend;
use ladder_testkit::each_backend;

use crate::import_kill::{ladder, stored};

/// Kills per test and backend.
const KILLS: u32 = 6;

/// A xorshift generator seeded from the clock: each run kills at other moments.
struct Random(u64);

impl Random {
    fn seeded() -> Random {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        Random(nanos as u64 | 1)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Runs `ladder ARGS --database URL` and kills it (SIGKILL) after `delay`; whether it had
/// finished, successfully, by then.
fn killed_after(args: &[&str], url: &str, delay: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(args)
        .arg("--database")
        .arg(url)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = child.kill();
    child.wait().unwrap().success()
}

fn demo(url: &str) {
    let (ok, out) = ladder(&["demo", "--no-serve", "--employees", "600", "--seed", "7"], url);
    assert!(ok, "{out}");
}

/// The backup opens (SQLite: `PRAGMA integrity_check`; PostgreSQL: `pg_restore` into a new
/// database) and holds `expected`.
async fn check_backup(backend: Backend, path: &Path, expected: &[i64]) {
    match backend {
        Backend::Sqlite => {
            let check = Command::new("sqlite3").arg(path).arg("PRAGMA integrity_check").output().unwrap();
            assert_eq!(String::from_utf8_lossy(&check.stdout).trim(), "ok", "{}", path.display());
            assert_eq!(stored(&ladder_store::Db::sqlite_url(path)).await, expected, "{}", path.display());
        }
        Backend::Postgres => {
            let name = format!("ladder_crash_restore_{}", std::process::id());
            ladder_testkit::drop_postgres_database(&name).await;
            let admin = ladder_testkit::PG_ADMIN_URL;
            let created = Command::new("psql").args(["-q", admin, "-c", &format!("CREATE DATABASE {name}")]).status();
            assert!(created.unwrap().success());
            let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
            let restore = Command::new("pg_restore").args(["--no-owner", "--dbname", &url]).arg(path).output().unwrap();
            assert!(restore.status.success(), "{}: {}", path.display(), String::from_utf8_lossy(&restore.stderr));
            assert_eq!(stored(&url).await, expected, "{}", path.display());
            ladder_testkit::drop_postgres_database(&name).await;
        }
    }
}

#[tokio::test]
#[ignore = "slow: scripts/crash runs it"]
async fn a_killed_backup_leaves_no_file_or_a_whole_one() {
    each_backend(async |t| {
        demo(&t.url);
        let expected = stored(&t.url).await;
        let dir = t.scratch();
        let full = dir.join("full.bak");
        let started = Instant::now();
        let (ok, out) = ladder(&["backup", full.to_str().unwrap()], &t.url);
        let took = started.elapsed();
        assert!(ok, "{out}");
        check_backup(t.backend, &full, &expected).await;

        let mut random = Random::seeded();
        let (mut absent, mut whole) = (0, 0);
        for i in 0..KILLS {
            let path = dir.join(format!("killed-{i}.bak"));
            // Anywhere from before it starts to just after it would have finished.
            let finished = killed_after(&["backup", path.to_str().unwrap()], &t.url, took.mul_f64(random.unit() * 1.2));
            if path.exists() {
                check_backup(t.backend, &path, &expected).await;
                whole += 1;
            } else {
                assert!(!finished, "{}: a backup that finished left no file", t.url);
                absent += 1;
            }
        }
        // One line per run for scripts/crash to add up.
        let ms = took.as_millis();
        eprintln!("crash: {:?} backup kills={KILLS} absent={absent} whole={whole} took_ms={ms}", t.backend);
    })
    .await;
}

#[tokio::test]
#[ignore = "slow: scripts/crash runs it"]
async fn a_killed_score_all_changes_nothing_and_the_next_run_gives_the_same_scores() {
    each_backend(async |t| {
        demo(&t.url);
        let before = stored(&t.url).await;
        let dir = t.scratch();
        let full = dir.join("full.csv");
        let started = Instant::now();
        let (ok, summary) = ladder(&["import", "score-all", "--out", full.to_str().unwrap()], &t.url);
        let took = started.elapsed();
        assert!(ok, "{summary}");
        let expected = std::fs::read_to_string(&full).unwrap();
        assert!(expected.lines().count() > 1000, "{summary}");

        let mut random = Random::seeded();
        let mut whole = 0;
        for _ in 0..KILLS {
            let out = dir.join("killed.csv");
            let _ = std::fs::remove_file(&out);
            let finished = killed_after(
                &["import", "score-all", "--out", out.to_str().unwrap()],
                &t.url,
                took.mul_f64(random.unit()),
            );
            if out.exists() {
                assert_eq!(std::fs::read_to_string(&out).unwrap(), expected, "{}: a killed run's --out", t.url);
                whole += 1;
            } else {
                assert!(!finished, "{}: a run that finished wrote no file", t.url);
            }
            assert_eq!(stored(&t.url).await, before, "{}: the killed run changed the database", t.url);
            let (ok, again) = ladder(&["import", "score-all", "--out", out.to_str().unwrap()], &t.url);
            assert!(ok, "{again}");
            assert_eq!(again, summary, "{}: the run after a kill", t.url);
            assert_eq!(std::fs::read_to_string(&out).unwrap(), expected, "{}: the run after a kill", t.url);
        }
        let ms = took.as_millis();
        eprintln!("crash: {:?} score-all kills={KILLS} absent={} whole={whole} took_ms={ms}", t.backend, KILLS - whole);
    })
    .await;
}

/// Each stored score as (employee, month, state, total, rating), in key order.
async fn stored_scores(url: &str) -> Vec<(i64, String, String, Option<f64>, Option<i32>)> {
    let db = ladder_store::Db::connect(url).await.unwrap();
    let sql = "SELECT employee_id, CAST(month AS TEXT), state, total, rating FROM employee_scores ORDER BY employee_id, month";
    let rows = ladder_store::on_db!(&db, p => sqlx::query_as(sql).fetch_all(p).await.unwrap());
    db.close().await;
    rows
}

/// Runs each statement on the database at `url`; the last one's first column, as a count.
async fn sql(url: &str, statements: &[&str]) -> i64 {
    let db = ladder_store::Db::connect(url).await.unwrap();
    let mut last = 0;
    for statement in statements {
        last = ladder_store::on_db!(&db, p => {
            if statement.starts_with("SELECT") {
                sqlx::query_scalar::<_, i64>(statement).fetch_one(p).await.unwrap()
            } else {
                sqlx::query(statement).execute(p).await.unwrap().rows_affected() as i64
            }
        });
    }
    db.close().await;
    last
}

/// Every stored score made wrong and queued, as a change the size of the organisation leaves it.
const SPOIL_AND_QUEUE: [&str; 3] = [
    "UPDATE employee_scores SET total = -1, rating = NULL",
    "DELETE FROM score_queue",
    "INSERT INTO score_queue (employee_id, month, stamp) SELECT employee_id, month, 1 FROM employee_scores",
];

/// A spoiled score that is no longer queued: a key the killed worker lost.
const LOST: &str = "SELECT COUNT(*) FROM employee_scores s WHERE s.total = -1 AND NOT EXISTS \
    (SELECT 1 FROM score_queue q WHERE q.employee_id = s.employee_id AND q.month = s.month)";

#[tokio::test]
#[ignore = "slow: scripts/crash runs it"]
async fn a_killed_scores_rebuild_loses_no_queued_score() {
    each_backend(async |t| {
        demo(&t.url);
        let (ok, out) = ladder(&["scores", "rebuild"], &t.url);
        assert!(ok, "{out}");
        let expected = stored_scores(&t.url).await;
        assert!(expected.len() > 1000, "{} stored scores", expected.len());

        assert_eq!(sql(&t.url, &SPOIL_AND_QUEUE).await, expected.len() as i64);
        let started = Instant::now();
        let (ok, out) = ladder(&["scores", "rebuild"], &t.url);
        let took = started.elapsed();
        assert!(ok, "{out}");
        assert_eq!(stored_scores(&t.url).await, expected, "{}: an uninterrupted rebuild", t.url);

        let mut random = Random::seeded();
        let mut whole = 0;
        for _ in 0..KILLS {
            sql(&t.url, &SPOIL_AND_QUEUE).await;
            let finished = killed_after(&["scores", "rebuild"], &t.url, took.mul_f64(random.unit()));
            assert_eq!(sql(&t.url, &[LOST]).await, 0, "{}: the kill lost queued keys", t.url);
            let left = sql(&t.url, &["SELECT COUNT(*) FROM score_queue"]).await;
            if finished || left == 0 {
                whole += 1;
            }
            let (ok, out) = ladder(&["scores", "rebuild"], &t.url);
            assert!(ok, "{out}");
            assert_eq!(stored_scores(&t.url).await, expected, "{}: the run after a kill", t.url);
        }
        let ms = took.as_millis();
        eprintln!(
            "crash: {:?} scores-rebuild kills={KILLS} absent={} whole={whole} took_ms={ms}",
            t.backend,
            KILLS - whole
        );
    })
    .await;
}
