//! Attendance over HTTP (issue 29): scheduled against worked shifts for a person and a team in
//! a month, as the core counts them; who may read it.

use crate::common;

use chrono::NaiveDateTime;
use common::{each_app, Persona};
use ladder_core::wellbeing::zone::{local_to_utc, parse_zone};
use ladder_store::wellbeing::{self as store, Kind, Record};
use serde_json::json;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

#[tokio::test]
async fn scheduled_against_worked_for_a_person_and_a_team() {
    each_app(async |app| {
        let backend = app.backend;
        let f = &app.fixture;
        let tz = parse_zone("Asia/Manila").unwrap();
        let shift = |record, a: &str, b: &str| store::Shift {
            employee_id: f.agent,
            record,
            starts_at: local_to_utc(t(a), tz).0,
            ends_at: local_to_utc(t(b), tz).0,
            time_zone: "Asia/Manila".into(),
            kind: Kind::Night,
            breaks_minutes: 0,
        };
        use Record::{Scheduled as S, Worked as W};
        let rows = vec![
            shift(S, "2026-03-02 22:00", "2026-03-03 06:00"),
            shift(S, "2026-03-03 22:00", "2026-03-04 06:00"),
            shift(S, "2026-03-04 22:00", "2026-03-05 06:00"),
            // 3 min late is on time; 10 min late is late; the third night is not worked.
            shift(W, "2026-03-02 22:03", "2026-03-03 06:00"),
            shift(W, "2026-03-03 22:10", "2026-03-04 06:05"),
            // Worked on 1 April (Manila), 16:00 UTC on 31 March: April's, not March's.
            shift(W, "2026-04-01 00:00", "2026-04-01 08:00"),
        ];
        let mut tx = app.db.begin().await.unwrap();
        store::insert(&mut tx, &rows, None).await.unwrap();
        tx.commit().await.unwrap();

        let agent = app.sign_in(Persona::Agent).await;
        let got = agent.get_json(&format!("/api/v1/employees/{}/attendance?week=2026-03-20", f.agent), 200).await;
        assert_eq!(
            got,
            json!({ "month": "2026-03-01", "people": 1, "scheduled_shifts": 3, "scheduled_hours": 24.0,
                "worked_shifts": 2, "worked_hours": 15.87, "missed_shifts": 1, "late_starts": 1,
                "late_after_minutes": 5, "worked_percent": 66.1 }),
            "{backend:?}"
        );
        let april = agent.get_json(&format!("/api/v1/employees/{}/attendance?week=2026-04-02", f.agent), 200).await;
        assert_eq!((april["worked_shifts"].clone(), april["worked_percent"].clone()), (json!(1), json!(null)));

        // The team's figures are its members' summed: only the agent has shifts.
        let leader = app.sign_in(Persona::Leader).await;
        let team = leader.get_json(&format!("/api/v1/teams/{}/attendance?week=2026-03-02", f.teams[0]), 200).await;
        assert_eq!((team["missed_shifts"].clone(), team["worked_hours"].clone()), (json!(1), json!(15.87)), "{team}");
        let other = app.sign_in(Persona::OtherTeamAgent).await;
        let path = format!("/api/v1/teams/{}/attendance", f.teams[0]);
        assert_eq!(other.get(&path).await.status().as_u16(), 403, "{backend:?}");

        // A shift of this month still to come is not missed yet: the month counts to date.
        let soon = chrono::Utc::now() + chrono::TimeDelta::minutes(30);
        let later = store::Shift {
            starts_at: soon,
            ends_at: soon + chrono::TimeDelta::hours(8),
            ..shift(S, "2026-03-02 22:00", "2026-03-03 06:00")
        };
        let mut tx = app.db.begin().await.unwrap();
        store::insert(&mut tx, &[later], None).await.unwrap();
        tx.commit().await.unwrap();
        let today = chrono::Utc::now().date_naive();
        let now = agent.get_json(&format!("/api/v1/employees/{}/attendance?week={today}", f.agent), 200).await;
        assert_eq!(
            (now["scheduled_shifts"].clone(), now["missed_shifts"].clone()),
            (json!(0), json!(0)),
            "{backend:?}: {now}"
        );
    })
    .await;
}

#[tokio::test]
async fn every_stored_shift_of_a_range_page_by_page_with_its_source() {
    each_app(async |app| {
        let backend = app.backend;
        let f = &app.fixture;
        let tz = parse_zone("Asia/Manila").unwrap();
        let day = |d: i64, h: u32, m: u32| {
            let local =
                t("2026-01-01 00:00") + chrono::TimeDelta::days(d) + chrono::TimeDelta::minutes(i64::from(h * 60 + m));
            local_to_utc(local, tz).0
        };
        let shift = |record, d: i64, (h, m): (u32, u32)| store::Shift {
            employee_id: f.agent,
            record,
            starts_at: day(d, h, m),
            ends_at: day(d, 17, 0),
            time_zone: "Asia/Manila".into(),
            kind: Kind::Day,
            breaks_minutes: 60,
        };
        // 55 days scheduled by hand, and one day worked from a Deputy file.
        let by_hand: Vec<store::Shift> = (0..55).map(|d| shift(Record::Scheduled, d, (9, 0))).collect();
        let clocked = [shift(Record::Worked, 0, (9, 5))];
        let log = store::ShiftImport {
            file_name: "clock.csv",
            sha256: "00",
            mapping: "deputy",
            rows: 1,
            started_at: chrono::Utc::now(),
            imported_by: None,
        };
        let span = store::Span { employee_id: f.agent, record: Record::Worked, from: day(0, 0, 0), to: day(1, 0, 0) };
        let mut tx = app.db.begin().await.unwrap();
        store::insert(&mut tx, &by_hand, None).await.unwrap();
        store::replace(&mut tx, &log, &[span], &clocked).await.unwrap();
        tx.commit().await.unwrap();

        let agent = app.sign_in(Persona::Agent).await;
        let path = |q: &str| format!("/api/v1/employees/{}/shifts?{q}", f.agent);
        let first = agent.get_json(&path("from=2026-01-01&to=2026-02-28"), 200).await;
        let shifts = first["shifts"].as_array().unwrap();
        assert_eq!((shifts.len(), first["more"].clone()), (50, json!(true)), "{backend:?}");
        assert_eq!(shifts[0]["start"], "2026-01-01T09:00:00");
        assert_eq!((shifts[0]["record"].clone(), shifts[0]["source"].clone()), (json!("scheduled"), json!("by hand")));
        assert_eq!(
            (shifts[1]["record"].clone(), shifts[1]["source"].clone()),
            (json!("worked"), json!("clock.csv (deputy)"))
        );
        let second = agent.get_json(&path("from=2026-01-01&to=2026-02-28&page=2"), 200).await;
        assert_eq!((second["shifts"].as_array().unwrap().len(), second["more"].clone()), (6, json!(false)));
        assert_eq!(second["shifts"][5]["start"], "2026-02-24T09:00:00", "the 55th day");
        // The range's last day counts; a range over 366 days and page 0 are refused.
        let one = agent.get_json(&path("from=2026-01-10&to=2026-01-10"), 200).await;
        assert_eq!(one["shifts"].as_array().unwrap().len(), 1);
        assert_eq!(agent.get(&path("from=2026-01-01&to=2027-01-02")).await.status().as_u16(), 422);
        assert_eq!(agent.get(&path("from=2026-01-01&to=2026-01-31&page=0")).await.status().as_u16(), 422);
        // A date at the edge of what a date can hold is a clear refusal, not a failed request.
        assert_eq!(agent.get(&path("from=%2B262142-12-30&to=%2B262142-12-31")).await.status().as_u16(), 422);

        // The page: the same list, with a way back and no way on from the last page.
        let html = agent.get("/wellbeing/shifts/all?from=2026-01-01&to=2026-02-28&page=2").await.text().await.unwrap();
        assert!(html.contains("Previous page") && !html.contains("Next page"), "{backend:?}");
        assert!(html.contains("Tue 24 Feb 2026 09:00"), "{html}");
    })
    .await;
}
