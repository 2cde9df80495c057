//! `ladder wellbeing --employee CODE` (and `--all`) read the stored schedule: the same flags as
//! `--shifts FILE` gives for the same shifts, imported with `ladder import shifts`.

use std::process::{Command, Output};

use ladder_testkit::each_backend;

fn ladder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladder")).args(args).env("USER", "hr.lead").output().expect("ladder runs")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "ladder failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

const PEOPLE: &str =
    "code,name,email,site,country,timezone,account,client,line_of_business,team,role,role_since,hire_date,team_leader
N01,Nina Night,,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,customer-service-executive,2024-01-01,2023-01-01,
D01,Dan Day,,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,customer-service-executive,2024-01-01,2023-01-01,
";

fn shifts_file() -> String {
    format!("{}/tests/data/shifts.csv", env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test]
async fn stored_shifts_give_the_same_flags_as_the_file() {
    each_backend(async |t| {
        let dir = t.scratch();
        let people = dir.join("people.csv");
        std::fs::write(&people, PEOPLE).unwrap();
        let db = t.url.as_str();
        json(&ladder(&["import", "people", people.to_str().unwrap(), "--database", db, "--json"]));
        let file = shifts_file();
        let imported = ladder(&["import", "shifts", &file, "--database", db]);
        assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));

        let from_file = json(&ladder(&["wellbeing", "--shifts", &file, "--json"]));
        for code in ["N01", "D01"] {
            let expected = from_file.as_array().unwrap().iter().find(|e| e["employee"] == code).unwrap();
            let args = ["wellbeing", "--employee", code, "--from", "2026-03-01", "--to", "2026-03-31"];
            let stored = json(&ladder(&[&args[..], &["--database", db, "--json"]].concat()));
            assert_eq!(stored["time_zone"], "Asia/Manila");
            assert_eq!(stored["assessment"], expected["assessment"], "{code}: stored and file flags differ");
        }
        let n01 = json(&ladder(&[
            "wellbeing",
            "--employee",
            "n01",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--database",
            db,
            "--json",
        ]));
        assert!(!n01["assessment"]["flags"].as_array().unwrap().is_empty());

        // Outside the span nothing is read; an unknown code and a reversed span are refused.
        let april = json(&ladder(&[
            "wellbeing",
            "--employee",
            "N01",
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-30",
            "--database",
            db,
            "--json",
        ]));
        assert_eq!(april["assessment"]["flags"], serde_json::json!([]));
        let err = ladder(&["wellbeing", "--employee", "X99", "--database", db]);
        assert!(String::from_utf8_lossy(&err.stderr).contains("--employee X99: no such employee code"));
        let err =
            ladder(&["wellbeing", "--employee", "N01", "--from", "2026-03-31", "--to", "2026-03-01", "--database", db]);
        assert!(String::from_utf8_lossy(&err.stderr).contains("is before --from"));
    })
    .await;
}

/// Each kind's (warning, high) flags over every person of a `--shifts FILE --json` report.
fn counts_of_file(report: &serde_json::Value, kind: &str) -> (u64, u64) {
    let flags = report.as_array().unwrap().iter().flat_map(|e| e["assessment"]["flags"].as_array().unwrap());
    let of = |severity: &str| flags.clone().filter(|f| f["kind"] == kind && f["severity"] == severity).count() as u64;
    (of("warning"), of("high"))
}

#[tokio::test]
async fn all_counts_every_persons_flags_as_the_file_does() {
    each_backend(async |t| {
        let dir = t.scratch();
        let people = dir.join("people.csv");
        std::fs::write(&people, PEOPLE).unwrap();
        let db = t.url.as_str();
        json(&ladder(&["import", "people", people.to_str().unwrap(), "--database", db, "--json"]));
        let file = shifts_file();
        assert!(ladder(&["import", "shifts", &file, "--database", db]).status.success());

        let from_file = json(&ladder(&["wellbeing", "--shifts", &file, "--json"]));
        let args = ["wellbeing", "--all", "--from", "2026-03-01", "--to", "2026-03-31", "--database", db, "--json"];
        let all = json(&ladder(&args));
        assert_eq!(all["people"], 2);
        let shifts: usize = from_file.as_array().unwrap().iter().map(|e| e["lines"].as_array().unwrap().len()).sum();
        assert_eq!(all["shifts"], shifts as u64);
        let mut flagged = 0;
        for k in all["flags"].as_array().unwrap() {
            let kind = k["kind"].as_str().unwrap();
            assert_eq!(
                (k["warning"].as_u64().unwrap(), k["high"].as_u64().unwrap()),
                counts_of_file(&from_file, kind),
                "{kind}"
            );
            flagged += k["warning"].as_u64().unwrap() + k["high"].as_u64().unwrap();
        }
        assert!(flagged > 0, "the fixture has flags: {all}");
        let text = ladder(&["wellbeing", "--all", "--from", "2026-03-01", "--to", "2026-03-31", "--database", db]);
        assert!(
            String::from_utf8_lossy(&text.stdout).contains("2 people"),
            "{}",
            String::from_utf8_lossy(&text.stdout)
        );

        // Outside the span nobody is counted; --all and --employee do not go together.
        let april = json(&ladder(&[
            "wellbeing",
            "--all",
            "--from",
            "2026-04-01",
            "--to",
            "2026-04-30",
            "--database",
            db,
            "--json",
        ]));
        assert_eq!(april["people"], 0);
        assert!(!ladder(&["wellbeing", "--all", "--employee", "N01", "--database", db]).status.success());
    })
    .await;
}
