//! `ladder export` and `ladder import record` (issue 30) on both databases: a person imported
//! from a people file, exported in each format, imported into a fresh database (a personal
//! Ladder) and exported again to the same record; a file of an unknown version is refused. And
//! the person's calendar (`--format ics`), read back by an iCalendar parser.

use std::process::{Command, Output};

use ladder_testkit::{each_backend, TestDb};

fn ladder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladder")).args(args).output().expect("ladder runs")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

const PEOPLE: &str =
    "code,name,email,site,country,timezone,account,client,line_of_business,team,role,role_since,hire_date,team_leader
A7,Ana Agent,ana@example.com,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,customer-service-executive,2024-01-01,2023-01-01,
";

#[tokio::test]
async fn export_import_into_a_fresh_database_and_export_again_gives_the_same_record() {
    each_backend(async |t| {
        let dir = t.scratch();
        let people = dir.join("people.csv");
        std::fs::write(&people, PEOPLE).unwrap();
        let db = t.url.as_str();
        let out = ladder(&["import", "people", people.to_str().unwrap(), "--database", db]);
        assert!(out.status.success(), "{}", text(&out));

        let first = dir.join("a7.json");
        let out = ladder(&["export", "A7", "--format", "ladder", "--out", first.to_str().unwrap(), "--database", db]);
        assert!(out.status.success(), "{}", text(&out));
        for (format, file) in [("zip", "a7.zip"), ("json-resume", "a7-resume.json")] {
            let path = dir.join(file);
            let out = ladder(&["export", "A7", "--format", format, "--out", path.to_str().unwrap(), "--database", db]);
            assert!(out.status.success() && path.exists(), "{format}: {}", text(&out));
        }
        let out = ladder(&["export", "NOPE", "--database", db]);
        assert!(!out.status.success() && text(&out).contains("no employee has the code"), "{}", text(&out));

        let fresh = TestDb::new(t.backend).await;
        // A role this framework does not have: refused by field before anything is written.
        let mut unknown = ladder_core::record::parse(&std::fs::read(&first).unwrap()).unwrap();
        unknown.person.role = "astronaut".into();
        let astronaut = dir.join("astronaut.json");
        std::fs::write(&astronaut, serde_json::to_vec(&unknown).unwrap()).unwrap();
        let out = ladder(&["import", "record", astronaut.to_str().unwrap(), "--database", fresh.url.as_str()]);
        assert!(!out.status.success() && text(&out).contains("person.role"), "{}", text(&out));
        let out = ladder(&["import", "record", first.to_str().unwrap(), "--database", fresh.url.as_str()]);
        assert!(out.status.success() && text(&out).contains("created A7"), "{}", text(&out));
        let goals = format!("{} check-ins, {} goals", unknown.checkins.len(), unknown.goals.len());
        assert!(text(&out).contains(&goals), "the summary counts what came in: {}", text(&out));
        let again = dir.join("a7-again.json");
        let out = ladder(&["export", "A7", "--out", again.to_str().unwrap(), "--database", fresh.url.as_str()]);
        assert!(out.status.success(), "{}", text(&out));
        let read = |p: &std::path::Path| {
            let r = ladder_core::record::parse(&std::fs::read(p).unwrap()).unwrap();
            r.content()
        };
        assert_eq!(read(&again), read(&first));

        // Imported twice: refused, and the message names the file.
        let out = ladder(&["import", "record", first.to_str().unwrap(), "--database", fresh.url.as_str()]);
        assert!(!out.status.success() && text(&out).contains("nothing was imported"), "{}", text(&out));
        assert!(text(&out).contains("--into A7"), "a known code is refused unless named: {}", text(&out));
        let file = first.to_str().unwrap();
        let out = ladder(&["import", "record", file, "--into", "A7", "--database", fresh.url.as_str()]);
        assert!(!out.status.success() && text(&out).contains("already has a record"), "{}", text(&out));

        // Another version: refused by name before anything is read.
        let newer = dir.join("newer.json");
        let body = std::fs::read_to_string(&first).unwrap().replacen("\"version\": 1", "\"version\": 2", 1);
        std::fs::write(&newer, body).unwrap();
        let out = ladder(&["import", "record", newer.to_str().unwrap(), "--database", fresh.url.as_str()]);
        assert!(
            !out.status.success() && text(&out).contains("version: version Some(2) is not known"),
            "{}",
            text(&out)
        );
        fresh.clean_up().await;
    })
    .await;
}

/// The UIDs and summaries of a calendar's events, read by the `icalendar` parser.
fn events_of(text: &str) -> Vec<(String, String)> {
    use icalendar::Component;
    let calendar: icalendar::Calendar = text.parse().unwrap_or_else(|e| panic!("{e}\n{text}"));
    let mut events: Vec<(String, String)> = calendar
        .events()
        .map(|e| {
            assert!(e.get_start().is_some(), "every event starts: {text}");
            (e.get_uid().unwrap().to_string(), e.get_summary().unwrap_or_default().to_string())
        })
        .collect();
    events.sort();
    events
}

#[tokio::test]
async fn export_as_ics_gives_the_persons_calendar_with_their_shifts_and_stable_uids() {
    use chrono::{Duration, Utc};
    use ladder_store::wellbeing::{Kind, Record, Shift};
    each_backend(async |t| {
        let dir = t.scratch();
        let people = dir.join("people.csv");
        std::fs::write(&people, PEOPLE).unwrap();
        let db = t.url.as_str();
        let out = ladder(&["import", "people", people.to_str().unwrap(), "--database", db]);
        assert!(out.status.success(), "{}", text(&out));
        let a7 = ladder_store::org::employee_by_code(&t.db, "A7").await.unwrap();
        let start = Utc::now() + Duration::days(3);
        let shift = |d: i64| Shift {
            employee_id: a7.id,
            record: Record::Scheduled,
            starts_at: start + Duration::days(d),
            ends_at: start + Duration::days(d) + Duration::hours(9),
            time_zone: "Asia/Manila".into(),
            kind: if d == 0 { Kind::Night } else { Kind::Day },
            breaks_minutes: 60,
        };
        let mut tx = t.db.begin().await.unwrap();
        ladder_store::wellbeing::insert(&mut tx, &[shift(0), shift(1)], None).await.unwrap();
        tx.commit().await.unwrap();

        let file = dir.join("a7.ics");
        let out = ladder(&["export", "A7", "--format", "ics", "--out", file.to_str().unwrap(), "--database", db]);
        assert!(out.status.success() && text(&out).contains("calendar written to"), "{}", text(&out));
        let first = std::fs::read_to_string(&file).unwrap();
        assert!(first.starts_with("BEGIN:VCALENDAR") && first.contains("X-WR-CALNAME:Ladder: Ana Agent"), "{first}");
        let events = events_of(&first);
        let shifts: Vec<&(String, String)> = events.iter().filter(|(uid, _)| uid.starts_with("shift-")).collect();
        assert_eq!(shifts.len(), 2, "{events:?}");
        assert!(shifts.iter().any(|(_, s)| s == "Shift (night)") && shifts.iter().any(|(_, s)| s == "Shift (day)"));
        assert!(events.iter().any(|(uid, _)| uid.starts_with("checkin-")), "check-ins due: {events:?}");
        // To standard output too, with the same UIDs.
        let out = ladder(&["export", "A7", "--format", "ics", "--database", db]);
        assert!(out.status.success(), "{}", text(&out));
        assert_eq!(events_of(&String::from_utf8(out.stdout).unwrap()), events);
    })
    .await;
}
