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
    })
    .await;
}
