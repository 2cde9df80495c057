//! Worked time from time clocks (issue 29): the Deputy, Sprout biologs and Kronos timecard
//! presets on fixtures in their documented layouts (exports.md §3), with title lines, blank
//! cells and odd dates; punches paired across midnight and a DST change; unpaired punches and
//! unknown or shared names are problems naming the row, and nothing is written.

use crate::common::*;

use chrono::{DateTime, Utc};
use ladder_import::shifts::{self, ShiftReport};
use ladder_import::Input;
use ladder_store::wellbeing::{self as store, Kind, Record};
use ladder_store::{org, Db};

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn import(db: &Db, preset: &str, input: Input) -> ShiftReport {
    shifts::import(db, preset, &input, &options()).await.unwrap()
}

/// (start, end, kind, breaks) of a person's stored worked shifts.
async fn worked(db: &Db, code: &str) -> Vec<(DateTime<Utc>, DateTime<Utc>, Kind, i32)> {
    let id = org::employee_by_code(db, code).await.unwrap().id;
    let (from, to) = (utc("2000-01-01T00:00:00Z"), utc("2100-01-01T00:00:00Z"));
    assert!(store::of_employee(db, id, Record::Scheduled, from, to).await.unwrap().is_empty(), "worked, not scheduled");
    let all = store::of_employee(db, id, Record::Worked, from, to).await.unwrap();
    all.into_iter().map(|s| (s.starts_at, s.ends_at, s.kind, s.breaks_minutes)).collect()
}

/// A person at a New York site, where the clocks change on 8 March and 1 November 2026.
async fn seed_new_york(db: &Db) {
    let people = "code,name,site,country,timezone,account,team,role,role_since,hire_date
N1,Nina Night,Tampa,US,America/New_York,Health voice,H1,customer-service-executive,2024-01-01,2024-01-01
";
    assert!(import_people(db, csv("people.csv", people)).await.committed);
}

#[tokio::test]
async fn deputy_reads_the_original_clock_times() {
    each_backend(async |t| {
        let backend = t.backend;
        seed_people(&t.db).await;
        let r = import(&t.db, "deputy", Input::path(data("worked-deputy.csv"))).await;
        assert!(r.committed, "{backend:?}: {r}");
        assert_eq!((r.rows, r.shifts, r.people), (2, 2, 2));
        // Day-first dates, Manila (UTC+8): clocked on 21:57:12 on 2 March, off 07:04:40 on
        // 3 March; the approved 22:00–07:00 is not what was worked.
        let ana = worked(&t.db, "E1001").await;
        assert_eq!(ana, vec![(utc("2026-03-02T13:57:12Z"), utc("2026-03-02T23:04:40Z"), Kind::Night, 60)]);
        // "3/3/2026 9:07 AM": single digits, 12-hour clock, a blank meal break is none.
        let ben = worked(&t.db, "E1002").await;
        assert_eq!(ben, vec![(utc("2026-03-03T01:07:00Z"), utc("2026-03-03T10:01:00Z"), Kind::Day, 0)]);

        seed_new_york(&t.db).await;
        let head = "Employee First Name,Employee Last Name,Employee Code,Start Time,End Time,Total Meal break,\
                    Original Start Time,Original End Time\n";
        let dst = format!("{head}Nina,Night,N1,,,30,07/03/2026 22:00,08/03/2026 06:00\n");
        let r = import(&t.db, "deputy", csv("dst.csv", &dst)).await;
        assert!(r.committed, "{backend:?}: {r}");
        // The clocks go forward at 02:00 on 8 March: 22:00 EST to 06:00 EDT is 7 h.
        assert_eq!(
            worked(&t.db, "N1").await,
            vec![(utc("2026-03-08T03:00:00Z"), utc("2026-03-08T10:00:00Z"), Kind::Night, 30)]
        );

        let bad =
            format!("{head}N1,,NOBODY,,,,07/03/2026 22:00,08/03/2026 06:00\nNina,Night,N1,,,,13/31/2026 09:00,\n");
        let r = import(&t.db, "deputy", csv("bad.csv", &bad)).await;
        let found: Vec<(u64, &str)> = r.problems.iter().map(|p| (p.row, p.column.as_str())).collect();
        assert_eq!(found, vec![(2, "employee"), (3, "Original Start Time"), (3, "Original End Time")], "{r}");
        assert!(!r.committed);
    })
    .await;
}

#[tokio::test]
async fn sprout_biologs_pair_punches_across_midnight() {
    each_backend(async |t| {
        let backend = t.backend;
        seed_people(&t.db).await;
        let r = import(&t.db, "sprout-biologs", Input::path(data("worked-sprout-biologs.csv"))).await;
        assert!(r.committed, "{backend:?}: {r}");
        assert_eq!((r.rows, r.shifts, r.people), (6, 2, 2), "{r}");
        // "Agent, Ana" is Ana Agent. In 21:58, out for lunch 02:01, back 03:00, out 07:05: one
        // shift across midnight with a 59-minute break, out of file order.
        let ana = worked(&t.db, "E1001").await;
        assert_eq!(ana, vec![(utc("2026-03-02T13:58:00Z"), utc("2026-03-02T23:05:00Z"), Kind::Night, 59)]);
        let ben = worked(&t.db, "E1002").await;
        assert_eq!(ben, vec![(utc("2026-03-03T01:00:00Z"), utc("2026-03-03T10:30:00Z"), Kind::Day, 0)]);

        seed_new_york(&t.db).await;
        let dst = "Employee,Date,Time,Log Mode\n\"Night, Nina\",10/31/2026,10:00 PM,In\n\
                   \"Night, Nina\",11/01/2026,06:00 AM,Out\n";
        let r = import(&t.db, "sprout-biologs", csv("dst.csv", dst)).await;
        assert!(r.committed, "{backend:?}: {r}");
        // The clocks go back at 02:00 on 1 November: 22:00 EDT to 06:00 EST is 9 h.
        assert_eq!(
            worked(&t.db, "N1").await,
            vec![(utc("2026-11-01T02:00:00Z"), utc("2026-11-01T11:00:00Z"), Kind::Night, 0)]
        );
    })
    .await;
}

#[tokio::test]
async fn sprout_unpaired_punches_and_names_are_problems() {
    each_backend(async |t| {
        let backend = t.backend;
        let people = "code,name,site,country,timezone,account,team,role,role_since,hire_date
P1,Juan Dela Cruz,Manila,PH,Asia/Manila,Telco voice,T1,customer-service-executive,2024-01-01,2024-01-01
P2,Juan Dela Cruz,Manila,PH,Asia/Manila,Telco voice,T1,customer-service-executive,2024-01-01,2024-01-01
P3,Maria Santos,Manila,PH,Asia/Manila,Telco voice,T1,customer-service-executive,2024-01-01,2024-01-01
P4,Ana Reyes,Manila,PH,Asia/Manila,Telco voice,T1,customer-service-executive,2024-01-01,2024-01-01
";
        assert!(import_people(&t.db, csv("people.csv", people)).await.committed);
        let text = "Employee,Date,Time,Log Mode,Log Details
\"Santos, Maria\",03/02/2026,08:00 AM,In,BIO
\"Santos, Maria\",03/03/2026,08:00 AM,In,BIO
\"Santos, Maria\",03/03/2026,05:00 PM,Out,BIO
\"Santos, Maria\",03/03/2026,05:30 PM,Out,BIO
\"Dela Cruz, Juan\",03/03/2026,08:00 AM,In,BIO
\"Dela Cruz, Juan\",03/03/2026,05:00 PM,Out,BIO
\"Nobody, Known\",03/03/2026,08:00 AM,In,BIO
\"Nobody, Known\",03/03/2026,05:00 PM,Out,BIO
\"Santos, Maria\",03/04/2026,25:00,Sideways,BIO
\"Santos, Maria\",03/05/2026,08:00 AM,In,BIO
";
        let r = import(&t.db, "sprout-biologs", csv("bad.csv", text)).await;
        assert!(!r.committed);
        let found: Vec<(u64, &str)> = r.problems.iter().map(|p| (p.row, p.column.as_str())).collect();
        assert_eq!(
            found,
            vec![(2, "Log Mode"), (5, "Log Mode"), (6, "employee"), (8, "employee"), (10, "Time"), (10, "Log Mode"),],
            "{backend:?}: {r}"
        );
        let msg = |i: usize| r.problems[i].to_string();
        assert!(msg(0).contains("an In with no Out before this person's next In (row 3)"), "{}", msg(0));
        assert!(msg(1).contains("an Out with no In"), "{}", msg(1));
        assert!(msg(2).contains("2 employees have this name (P1, P2)"), "{}", msg(2));
        assert!(msg(3).contains("no employee you may import for has this name"), "{}", msg(3));
        // The last punch of the file is an In whose Out lies after it: a note, not a problem.
        assert!(r.notes.iter().any(|n| n.contains("row 11") && n.contains("after the file")), "{r}");
        assert_eq!(store::count(&t.db).await.unwrap(), 0, "{backend:?}: all or nothing");

        // An Out on the file's first morning pairs with an In before the file: left out. An In
        // with no Out days before the file ends is still a problem.
        let edges = "Employee,Date,Time,Log Mode,Log Details
\"Santos, Maria\",03/02/2026,06:00 AM,Out,BIO
\"Santos, Maria\",03/02/2026,10:00 PM,In,BIO
\"Santos, Maria\",03/03/2026,06:00 AM,Out,BIO
\"Santos, Maria\",03/05/2026,10:00 PM,In,BIO
\"Reyes, Ana\",03/08/2026,08:00 AM,In,BIO
\"Reyes, Ana\",03/08/2026,05:00 PM,Out,BIO
";
        let r = import(&t.db, "sprout-biologs", csv("edges.csv", edges)).await;
        let found: Vec<(u64, &str)> = r.problems.iter().map(|p| (p.row, p.column.as_str())).collect();
        assert_eq!(found, vec![(5, "Log Mode")], "{backend:?}: {r}");
        assert!(r.problems[0].to_string().contains("an In with no Out after it"), "{r}");
        assert!(r.notes.iter().any(|n| n.contains("row 2") && n.contains("before the file")), "{r}");
    })
    .await;
}

#[tokio::test]
async fn names_match_only_people_the_importer_may_write_to() {
    each_backend(async |t| {
        let backend = t.backend;
        let people = "code,name,site,country,timezone,account,team,role,role_since,hire_date
P1,Juan Dela Cruz,Manila,PH,Asia/Manila,Telco voice,T1,customer-service-executive,2024-01-01,2024-01-01
P2,Juan Dela Cruz,Manila,PH,Asia/Manila,Telco voice,T2,customer-service-executive,2024-01-01,2024-01-01
P3,Maria Santos,Manila,PH,Asia/Manila,Telco voice,T2,customer-service-executive,2024-01-01,2024-01-01
";
        assert!(import_people(&t.db, csv("people.csv", people)).await.committed);
        let t1 = org::employee_by_code(&t.db, "P1").await.unwrap().team_id;
        // A leader of T1: Juan of T1 is theirs; the other Juan and Maria (T2) are not.
        let opts = ladder_import::Options { allowed: Some(std::sync::Arc::new(move |e| e.team_id == t1)), ..options() };
        let text = "Employee,Date,Time,Log Mode,Log Details
\"Dela Cruz, Juan\",03/03/2026,08:00 AM,In,BIO
\"Dela Cruz, Juan\",03/03/2026,05:00 PM,Out,BIO
\"Santos, Maria\",03/03/2026,08:00 AM,In,BIO
\"Santos, Maria\",03/03/2026,05:00 PM,Out,BIO
";
        let r = shifts::import(&t.db, "sprout-biologs", &csv("clock.csv", text), &opts).await.unwrap();
        let found: Vec<(u64, &str)> = r.problems.iter().map(|p| (p.row, p.message.as_str())).collect();
        assert_eq!(found, vec![(4, "no employee you may import for has this name")], "{backend:?}: {r}");
        assert!(!r.to_string().contains("P2") && !r.to_string().contains("P3"), "no other team's code: {r}");
        let mine: String = text.lines().take(3).map(|l| format!("{l}\n")).collect();
        let r = shifts::import(&t.db, "sprout-biologs", &csv("mine.csv", &mine), &opts).await.unwrap();
        assert!(r.committed, "{backend:?}: {r}");
        assert_eq!(worked(&t.db, "P1").await.len(), 1, "the leader's own Juan");
    })
    .await;
}

#[tokio::test]
async fn kronos_timecard_pairs_in_out_columns() {
    each_backend(async |t| {
        let backend = t.backend;
        seed_people(&t.db).await;
        let r = import(&t.db, "kronos-timecard", Input::path(data("worked-kronos-timecard.csv"))).await;
        assert!(r.committed, "{backend:?}: {r}");
        assert_eq!((r.rows, r.shifts, r.people), (6, 3, 2), "{r}");
        // "Mon 3/02/2026" 10:00PM–2:00AM and 3:00AM–7:00AM: an Out before its In is the next day.
        let ana = worked(&t.db, "E1001").await;
        // The Friday line's blank person continues the holiday line above it (E1001), not E1002.
        assert_eq!(
            ana,
            vec![
                (utc("2026-03-02T14:00:00Z"), utc("2026-03-02T23:00:00Z"), Kind::Night, 60),
                (utc("2026-03-06T01:00:00Z"), utc("2026-03-06T09:00:00Z"), Kind::Day, 0),
            ]
        );
        // 9:00–12:30, 13:15–18:00 and, on a line with blank Date and Person Number, 18:30–19:00.
        let ben = worked(&t.db, "E1002").await;
        assert_eq!(ben, vec![(utc("2026-03-04T01:00:00Z"), utc("2026-03-04T11:00:00Z"), Kind::Day, 75)]);

        seed_new_york(&t.db).await;
        let dst = "Person Number,Date,In,Transfer,Out\nN1,3/07/2026,22:00,,6:00\nN1,10/31/2026,22:00,,6:00\n";
        let r = import(&t.db, "kronos-timecard", csv("dst.csv", dst)).await;
        assert!(r.committed, "{backend:?}: {r}");
        let nina = worked(&t.db, "N1").await;
        assert_eq!(nina[0].1 - nina[0].0, chrono::TimeDelta::hours(7), "spring forward");
        assert_eq!(nina[1].1 - nina[1].0, chrono::TimeDelta::hours(9), "fall back");

        let bad = "Person Number,Date,In,Transfer,Out,In,Transfer,Out
N1,3/10/2026,9:00,,,,,
N1,3/11/2026,9:00,,25:61,,,
N1,3/12/2026,,,17:00,,,
N1,3/13/2026,9:00,,12:00,12:00,,11:00
";
        let r = import(&t.db, "kronos-timecard", csv("bad.csv", bad)).await;
        let found: Vec<(u64, &str)> = r.problems.iter().map(|p| (p.row, p.column.as_str())).collect();
        assert_eq!(found, vec![(2, "Out"), (3, "Out"), (3, "Out"), (4, "Out"), (5, "end")], "{backend:?}: {r}");
        assert!(r.problems[4].message.contains("over 24 h"), "{r}");

        let nobody = "Date,In,Out\n3/10/2026,9:00,17:00\n";
        let r = import(&t.db, "kronos-timecard", csv("one.csv", nobody)).await;
        assert!(r.problems[0].message.contains("names no employee"), "{r}");
    })
    .await;
}
