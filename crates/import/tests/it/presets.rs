//! Each platform preset on a small file shaped like the platform's export, on both databases.

use crate::common;

use common::*;
use ladder_import::Input;

/// The small organisation, then `file` of `tests/data` imported with `preset`, which must commit.
async fn seeded_import(t: &ladder_testkit::TestDb, preset: &str, file: &str) -> ladder_import::Report {
    seed_people(&t.db).await;
    let r = import_kpi(&t.db, preset, Input::path(data(file)), &options()).await;
    assert!(r.committed, "{:?}: {r}", t.backend);
    r
}

#[tokio::test]
async fn genesys_cloud_averages_become_sums() {
    each_backend(async |t| {
        let r = seeded_import(&t, "genesys-cloud", "genesys-agent-performance.csv").await;
        assert_eq!(r.rows, 4, "the blank separator row is not a row");
        // Dan: 2 days × (aht, transfer-rate); Eva: day 1 both, day 2 transfers 0/0 only (no
        // answered calls, so no handle time).
        assert_eq!(r.counts("daily facts").unwrap().new, 7, "{r}");
        let march = day(2025, 3, 1);
        let dan = "b7e3c1a2-5d4f-4e8a-9c6b-1f2e3d4c5b6a";
        let (n, d) = monthly(&t.db, dan, march, "aht").await.unwrap();
        assert!(close(n, 40.0 * 570.0 + 38.0 * 525.768), "Avg Handle × Answered, summed: {n}");
        assert_eq!(d, 78.0);
        assert_eq!(monthly(&t.db, dan, march, "transfer-rate").await, Some((9.0, 78.0)));
        let eva = "0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f";
        let (n, d) = monthly(&t.db, eva, march, "aht").await.unwrap();
        assert!(close(n, 35.0 * 612.25) && d == 35.0, "{n}/{d}");
    })
    .await;
}

#[tokio::test]
async fn amazon_connect_times_and_occupancy() {
    each_backend(async |t| {
        let r = seeded_import(&t, "amazon-connect", "amazon-connect-agents.csv").await;
        assert_eq!(r.counts("daily facts").unwrap().new, 9);
        let march = day(2025, 3, 1);
        // Average handle time 00:09:10 × 42 + 00:08:50 × 45.
        assert_eq!(monthly(&t.db, "ana.reyes", march, "aht").await, Some((550.0 * 42.0 + 530.0 * 45.0, 87.0)));
        // On contact ÷ (on contact + idle): 06:25:00 + 06:37:30 over that plus 01:05:00 + 00:55:00.
        assert_eq!(monthly(&t.db, "ana.reyes", march, "occupancy").await, Some((46_950.0, 54_150.0)));
        assert_eq!(monthly(&t.db, "ben.santos", march, "transfer-rate").await, Some((5.0, 38.0)));
    })
    .await;
}

#[tokio::test]
async fn five9_xlsx_with_a_title_row() {
    each_backend(async |t| {
        let r = seeded_import(&t, "five9", "five9-agent-report.xlsx").await;
        assert_eq!(r.rows, 3);
        let march = day(2025, 3, 1);
        // HANDLE TIME cells are spreadsheet times: 6:21:30 + 6:36:40 over 41 + 44 calls.
        let (n, d) = monthly(&t.db, "cora.cruz@example.com", march, "aht").await.unwrap();
        assert!(close(n, 22_890.0 + 23_800.0) && d == 85.0, "{n}/{d}");
    })
    .await;
}

#[tokio::test]
async fn a_users_mapping_file_with_a_constant() {
    // Minutes in the file, seconds in Ladder: numerator = minutes × 60.
    let dir = std::env::temp_dir().join(format!("ladder-mapping-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mine.toml");
    std::fs::write(
        &path,
        r#"name = "mine"
format = "wide"
grain = "day"
employee = "Agent"
date = "Day"
date_formats = ["%d.%m.%Y"]
[[metric]]
id = "aht"
numerator = { product = ["Handle minutes", 60] }
denominator = "Calls"
"#,
    )
    .unwrap();
    each_backend(async |t| {
        seed_people(&t.db).await;
        let file = csv("mine.csv", "Agent;Day;Calls;Handle minutes\nE1001;03.03.2025;10;95,5\n");
        let r = import_kpi(&t.db, path.to_str().unwrap(), file, &options()).await;
        // "95,5" is a decimal comma, which Ladder refuses rather than guessing.
        assert_eq!(r.problems[0].column, "Handle minutes", "{r}");
        assert_eq!(r.problems[0].value, "95,5");
        let file = csv("mine.csv", "Agent;Day;Calls;Handle minutes\nE1001;03.03.2025;10;95.5\n");
        let r = import_kpi(&t.db, path.to_str().unwrap(), file, &options()).await;
        assert!(r.committed, "{r}");
        assert_eq!(monthly(&t.db, "E1001", day(2025, 3, 1), "aht").await, Some((5730.0, 10.0)));
    })
    .await;
    std::fs::remove_dir_all(dir).ok();
}
