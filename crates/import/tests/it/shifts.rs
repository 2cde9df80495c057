//! Shift import (issue 29): Ladder's own file and the WFM presets on fixtures in their
//! documented layouts; midnight and DST crossings; all-or-nothing with problems by row.

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

/// (start, end, kind, breaks) of a person's stored shifts of one record.
async fn stored(db: &Db, code: &str, record: Record) -> Vec<(DateTime<Utc>, DateTime<Utc>, Kind, i32)> {
    let id = org::employee_by_code(db, code).await.unwrap().id;
    let all =
        store::of_employee(db, id, record, utc("2000-01-01T00:00:00Z"), utc("2100-01-01T00:00:00Z")).await.unwrap();
    all.into_iter().map(|s| (s.starts_at, s.ends_at, s.kind, s.breaks_minutes)).collect()
}

#[tokio::test]
async fn ladder_file_in_site_time_across_midnight_and_again() {
    each_backend(async |t| {
        let backend = t.backend;
        seed_people(&t.db).await;
        let r = import(&t.db, "ladder", Input::path(data("shifts-ladder.csv"))).await;
        assert!(r.committed, "{backend:?}: {r}");
        assert_eq!((r.rows, r.shifts, r.people, r.replaced), (6, 6, 2, 0));
        let ana = stored(&t.db, "E1001", Record::Scheduled).await;
        // Manila is UTC+8: 22:00–07:00 local is 14:00–23:00 UTC.
        assert_eq!(ana[0], (utc("2026-03-02T14:00:00Z"), utc("2026-03-02T23:00:00Z"), Kind::Night, 60));
        // No kind given: 16:00–01:00 has 3 h in 22:00–06:00, a night shift by the core's rule.
        assert_eq!(ana[2], (utc("2026-03-04T08:00:00Z"), utc("2026-03-04T17:00:00Z"), Kind::Night, 60));
        let ben = stored(&t.db, "E1002", Record::Scheduled).await;
        assert_eq!(ben[1], (utc("2026-03-03T01:00:00Z"), utc("2026-03-03T10:00:00Z"), Kind::Day, 0));
        assert_eq!(stored(&t.db, "E1002", Record::Worked).await.len(), 1);

        // The same file again replaces what it brought, nothing more.
        let again = import(&t.db, "ladder", Input::path(data("shifts-ladder.csv"))).await;
        assert!(again.committed);
        assert_eq!(again.replaced, 6, "{backend:?}: {again}");
        assert_eq!(store::count(&t.db).await.unwrap(), 6);
    })
    .await;
}

#[tokio::test]
async fn bad_rows_are_named_and_nothing_is_written() {
    each_backend(async |t| {
        let backend = t.backend;
        seed_people(&t.db).await;
        let text = "employee,start,end,kind,breaks
E1001,2026-03-02T22:00,2026-03-02T21:00,,
E1001,2026-03-03T08:00,2026-03-04T09:00,,
E1002,2026-03-02T09:00,2026-03-02T18:00,,
E1002,2026-03-02T17:00,2026-03-02T23:00,,
NOBODY,2026-03-02T09:00,2026-03-02T18:00,,
E1003,2026-03-02T09:00,2026-03-02T18:00,graveyard,
E1003,2026-03-03T09:00,2026-03-03T18:00,,-5
E1003,2026-03-04T09:00,soon,,
";
        let r = import(&t.db, "ladder", csv("bad.csv", text)).await;
        assert!(!r.committed);
        let found: Vec<(u64, &str)> = r.problems.iter().map(|p| (p.row, p.column.as_str())).collect();
        assert_eq!(
            found,
            vec![(2, "end"), (3, "end"), (5, "start"), (6, "employee"), (7, "kind"), (8, "breaks"), (9, "end")],
            "{backend:?}: {r}"
        );
        let msg = |row| r.problems.iter().find(|p| p.row == row).unwrap().to_string();
        assert!(msg(2).contains("ends before"), "{}", msg(2));
        assert!(msg(3).contains("over 24 h"), "{}", msg(3));
        assert!(msg(5).contains("overlaps the shift on row 4"), "{}", msg(5));
        assert!(msg(6).contains("value 'NOBODY'"), "{}", msg(6));
        assert_eq!(store::count(&t.db).await.unwrap(), 0, "{backend:?}: all or nothing");

        // A dry run of a good file writes nothing either.
        let opts = ladder_import::Options { dry_run: true, ..options() };
        let dry = shifts::import(&t.db, "ladder", &Input::path(data("shifts-ladder.csv")), &opts).await.unwrap();
        assert!(!dry.committed && dry.is_ok() && dry.shifts == 6, "{dry}");
        assert_eq!(store::count(&t.db).await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn daylight_saving_changes_in_the_sites_zone() {
    each_backend(async |t| {
        let backend = t.backend;
        let people = "code,name,site,country,timezone,account,team,role,role_since,hire_date
N1,Nina Night,Tampa,US,America/New_York,Health voice,H1,customer-service-executive,2024-01-01,2024-01-01
";
        assert!(import_people(&t.db, csv("people.csv", people)).await.committed);
        let text = "employee,start,end
N1,2026-03-07T22:00,2026-03-08T06:00
N1,2026-03-08T22:00,2026-03-09T02:30
N1,2026-10-31T22:00,2026-11-01T06:00
N1,2026-11-08T01:30,2026-11-08T09:00
";
        let r = import(&t.db, "ladder", csv("nights.csv", text)).await;
        assert!(r.committed, "{backend:?}: {r}");
        let got = stored(&t.db, "N1", Record::Scheduled).await;
        // Clocks forward at 02:00 on 8 March: 22:00 EST to 06:00 EDT is 7 h.
        assert_eq!((got[0].0, got[0].1), (utc("2026-03-08T03:00:00Z"), utc("2026-03-08T10:00:00Z")));
        assert_eq!((got[1].0, got[1].1), (utc("2026-03-09T02:00:00Z"), utc("2026-03-09T06:30:00Z")));
        // Clocks back at 02:00 on 1 November: 22:00 EDT to 06:00 EST is 9 h.
        assert_eq!((got[2].0, got[2].1), (utc("2026-11-01T02:00:00Z"), utc("2026-11-01T11:00:00Z")));
        assert_eq!(got[0].2, Kind::Night);
        assert!(r.notes.is_empty(), "{r}");

        // A time the clocks skip, and one they repeat, are read by the rule and noted.
        let odd = "employee,start,end\nN1,2027-03-14T02:30,2027-03-14T10:00\nN1,2027-11-07T01:30,2027-11-07T09:00\n";
        let r = import(&t.db, "ladder", csv("odd.csv", odd)).await;
        assert!(r.committed, "{r}");
        assert_eq!(r.notes.len(), 2, "{r}");
        assert!(r.notes[0].contains("row 2, start") && r.notes[0].contains("read as 03:30"), "{}", r.notes[0]);
        assert!(r.notes[1].contains("row 3, start") && r.notes[1].contains("twice"), "{}", r.notes[1]);
        let got = stored(&t.db, "N1", Record::Scheduled).await;
        assert_eq!(got[4].0, utc("2027-03-14T07:30:00Z"));
        assert_eq!(got[5].0, utc("2027-11-07T05:30:00Z"), "the first 01:30 (EDT)");
    })
    .await;
}

#[tokio::test]
async fn wfm_presets_read_their_documented_layouts() {
    each_backend(async |t| {
        let backend = t.backend;
        seed_people(&t.db).await;
        // NICE IEX: pipe-delimited segments, mmddyyyy, a stop after midnight on the next day.
        let r = import(&t.db, "nice-iex", Input::path(data("shifts-nice-iex.txt"))).await;
        assert!(r.committed, "{backend:?}: {r}");
        assert_eq!((r.rows, r.shifts), (6, 2));
        let night = (utc("2026-03-02T14:00:00Z"), utc("2026-03-02T23:00:00Z"));
        let ana = stored(&t.db, "E1001", Record::Scheduled).await;
        assert_eq!(ana, vec![(night.0, night.1, Kind::Night, 75)], "15 min break + 60 min lunch");

        // Calabrio: projected layers in UTC (replaces the IEX shift over the same span).
        let r = import(&t.db, "calabrio", Input::path(data("shifts-calabrio.csv"))).await;
        assert!(r.committed, "{backend:?}: {r}");
        assert_eq!((r.shifts, r.replaced), (2, 2));
        assert_eq!(stored(&t.db, "E1001", Record::Scheduled).await, vec![(night.0, night.1, Kind::Night, 15)]);

        // Genesys Cloud WFM: JSON shifts, start + length, Meal activities as breaks.
        let r = import(&t.db, "genesys-wfm", Input::path(data("shifts-genesys.json"))).await;
        assert!(r.committed, "{backend:?}: {r}");
        let dan = stored(&t.db, "b7e3c1a2-5d4f-4e8a-9c6b-1f2e3d4c5b6a", Record::Scheduled).await;
        assert_eq!(dan.len(), 2);
        assert_eq!(dan[0], (night.0, night.1, Kind::Night, 60));

        // Verint's layout is not documented: the preset says so and reads nothing.
        let r = import(&t.db, "verint", Input::path(data("shifts-ladder.csv"))).await;
        assert!(!r.committed);
        assert!(r.problems[0].message.contains("not documented"), "{r}");
        let r = import(&t.db, "kronos", Input::path(data("shifts-ladder.csv"))).await;
        assert!(
            r.problems[0].message.contains(
                "presets: ladder, nice-iex, calabrio, deputy, verint, genesys-wfm, sprout-biologs, kronos-timecard"
            ),
            "{r}"
        );
    })
    .await;
}
