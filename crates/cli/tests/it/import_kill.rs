//! `ladder import` killed mid-way (SIGKILL, once half the file is read: the months before are
//! written inside the import's transaction by then) leaves the database as it was, and the next
//! import works — on SQLite and, when reachable (required under LADDER_REQUIRE_POSTGRES=1),
//! PostgreSQL.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use ladder_store::Db;
use ladder_testkit::each_backend;

pub(crate) fn ladder(args: &[&str], database: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(args)
        .arg("--database")
        .arg(database)
        .output()
        .expect("ladder runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// What an import writes: its figures, packed days, its record, the audit trail and the figures'
/// version.
pub(crate) async fn stored(url: &str) -> Vec<i64> {
    let db = Db::connect(url).await.unwrap();
    let mut state = Vec::new();
    for table in ["kra_actuals", "kpi_employee_months", "imports", "audit_log", "employees"] {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        state.push(ladder_store::on_db!(&db, p => sqlx::query_scalar::<_, i64>(&sql).fetch_one(p).await.unwrap()));
    }
    state.push(ladder_store::kra::figures_version(&db).await.unwrap());
    db.close().await;
    state
}

#[tokio::test]
async fn a_killed_import_leaves_the_database_as_it_was() {
    let dir: PathBuf = std::env::temp_dir().join(format!("ladder-kill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dir_arg = dir.to_str().unwrap();
    // 300 agents: about 78,000 daily rows, several seconds of loading.
    let gen = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["gen", "--employees", "300", "--seed", "9", "--year", "2025", "--out-dir", dir_arg])
        .output()
        .unwrap();
    assert!(gen.status.success());
    let kpi = dir.join("kpi.csv");
    let people = dir.join("people.csv").to_str().unwrap().to_string();
    // The first 2,000 rows, for the import after the kill.
    let text = std::fs::read_to_string(&kpi).unwrap();
    let small = dir.join("small.csv");
    std::fs::write(&small, text.lines().take(2001).map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let small = small.to_str().unwrap().to_string();

    each_backend(async |t| {
        let url = t.url.clone();
        let (ok, out) = ladder(&["import", "people", &people], &url);
        assert!(ok, "{out}");
        let (_, before) = ladder(&["import", "score-all"], &url);
        assert!(before.contains("Scored 0 employee-months"), "{before}");
        let stored_before = stored(&url).await;

        let mut child = Command::new(env!("CARGO_BIN_EXE_ladder"))
            .args(["import", "kpi", kpi.to_str().unwrap(), "--mapping", "ladder-wide", "--database", &url])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        // Months are written as soon as the file moves past them, so by half the file about six
        // of them are in the open transaction.
        let half_read = lines.by_ref().map_while(Result::ok).find(|l| {
            l.strip_prefix("progress: reading ")
                .and_then(|rest| rest.split('%').next()?.parse::<u32>().ok())
                .is_some_and(|percent| percent >= 50)
        });
        assert!(half_read.is_some(), "{url}: no progress line past half the file");
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        assert!(!status.success(), "{url}: the import finished before it could be killed");

        assert_eq!(stored(&url).await, stored_before, "{url}: the killed import left something behind");
        let (_, after) = ladder(&["import", "score-all"], &url);
        assert!(after.contains("Scored 0 employee-months"), "{url}: {after}");
        // Nothing of the killed import is there: every row of the small file would be new.
        let (ok, dry) = ladder(&["import", "kpi", &small, "--mapping", "ladder-wide", "--dry-run"], &url);
        assert!(ok, "{url}: {dry}");
        assert!(dry.contains("would be new, 0 would be updated, 0 unchanged"), "{url}: {dry}");
        // And the database takes the next import.
        let (ok, real) = ladder(&["import", "kpi", &small, "--mapping", "ladder-wide"], &url);
        assert!(ok && real.contains("Committed"), "{url}: {real}");
        let (_, scored) = ladder(&["import", "score-all"], &url);
        assert!(!scored.contains("Scored 0 employee-months"), "{url}: {scored}");
    })
    .await;
    std::fs::remove_dir_all(&dir).ok();
}
