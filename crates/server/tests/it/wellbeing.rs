//! Well-being over HTTP (issue 29): flags from stored shifts equal the core's for the same
//! shifts; the leader's fatigue board; the pulse's privacy.

use crate::common;

use chrono::{NaiveDate, NaiveDateTime};
use common::{each_app, Persona};
use ladder_core::wellbeing::zone::{local_to_utc, parse_zone};
use ladder_core::wellbeing::{assess, Shift, WellbeingRules};
use ladder_core::EmployeeId;
use ladder_store::wellbeing::{self as store, Kind, Record};
use ladder_store::Db;
use serde_json::{json, Value};

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// Stores local Manila shifts for a person as the import would.
async fn store_shifts(db: &Db, employee: EmployeeId, local: &[Shift]) {
    let tz = parse_zone("Asia/Manila").unwrap();
    let rows: Vec<store::Shift> = local
        .iter()
        .map(|s| store::Shift {
            employee_id: employee,
            record: Record::Scheduled,
            starts_at: local_to_utc(s.start, tz).0,
            ends_at: local_to_utc(s.end, tz).0,
            time_zone: "Asia/Manila".into(),
            kind: Kind::Night,
            breaks_minutes: 60,
        })
        .collect();
    let mut tx = db.begin().await.unwrap();
    store::insert(&mut tx, &rows, None).await.unwrap();
    tx.commit().await.unwrap();
}

/// Four nights in a row, then a quick return, in the week of 2 March 2026; a long night next week.
fn schedule() -> Vec<Shift> {
    let s = |a: &str, b: &str| Shift { start: t(a), end: t(b) };
    vec![
        s("2026-03-02 22:00", "2026-03-03 06:00"),
        s("2026-03-03 22:00", "2026-03-04 06:00"),
        s("2026-03-04 22:00", "2026-03-05 06:00"),
        s("2026-03-05 22:00", "2026-03-06 06:00"),
        s("2026-03-06 14:00", "2026-03-06 20:00"),
        s("2026-03-10 21:00", "2026-03-11 07:00"),
    ]
}

#[tokio::test]
async fn stored_shift_flags_equal_the_cores_and_show_on_the_board() {
    each_app(async |app| {
        let backend = app.backend;
        let f = &app.fixture;
        let local = schedule();
        store_shifts(&app.db, f.agent, &local).await;
        let core = assess(&local, &WellbeingRules::default()).unwrap();
        let agent = app.sign_in(Persona::Agent).await;
        let got = agent.get_json(&format!("/api/v1/employees/{}/wellbeing?week=2026-03-04", f.agent), 200).await;
        assert_eq!(got["time_zone"], "Asia/Manila");
        let weeks = got["weeks"].as_array().unwrap();
        assert_eq!(weeks[0]["week"], "2026-03-02");
        assert_eq!(weeks[0]["shifts"].as_array().unwrap().len(), 5);
        assert_eq!(weeks[0]["shifts"][0]["start"], "2026-03-02T22:00:00", "{backend:?}: local site time");
        let shown: Vec<(String, String)> = weeks
            .iter()
            .flat_map(|w| w["flags"].as_array().unwrap().clone())
            .map(|f: Value| (f["kind"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string()))
            .collect();
        let expected: Vec<(String, String)> = core
            .flags
            .iter()
            .map(|f| (serde_json::to_value(f.kind).unwrap().as_str().unwrap().to_string(), f.message.clone()))
            .collect();
        assert_eq!(shown, expected, "{backend:?}");
        assert!(shown.iter().any(|(k, _)| k == "consecutive-nights") && shown.iter().any(|(k, _)| k == "short-rest"));
        assert!(weeks[0]["flags"][0]["source"].as_str().unwrap().contains("HSE"), "{got}");

        // The leader's board: the agent with this week's and next week's flags, counted by kind.
        let leader = app.sign_in(Persona::Leader).await;
        let board = leader.get_json(&format!("/api/v1/teams/{}/wellbeing?week=2026-03-02", f.teams[0]), 200).await;
        let row = board["people"].as_array().unwrap().iter().find(|p| p["employee_id"] == json!(f.agent.0)).unwrap();
        assert!(!row["this_week"].as_array().unwrap().is_empty());
        assert_eq!(row["next_week"][0]["kind"], "long-night-shift", "{board}");
        assert_eq!(row["three_weeks_running"], false);
        let nights = board["counts"].as_array().unwrap().iter().find(|c| c[0] == "ConsecutiveNights").unwrap().clone();
        assert_eq!(nights, json!(["ConsecutiveNights", 1, 0]));
        // Another team's leader sees neither.
        let other = app.sign_in(Persona::OtherLeader).await;
        assert_eq!(other.get(&format!("/api/v1/teams/{}/wellbeing", f.teams[0])).await.status().as_u16(), 403);
    })
    .await;
}

#[tokio::test]
async fn a_leader_never_reads_a_persons_pulse_and_sees_means_of_five_or_more() {
    each_app(async |app| {
        let backend = app.backend;
        let f = &app.fixture;
        let agent = app.sign_in(Persona::Agent).await;
        let note = "Sleeping badly since the night rota";
        let res = agent.put("/api/v1/me/pulse", json!({ "energy": 2, "stress": 5, "sleep": 1, "note": note })).await;
        assert_eq!(res.status().as_u16(), 200, "{backend:?}");
        let this_week = ladder_server::service::wellbeing::monday(chrono::Utc::now().date_naive());
        let mine = agent.get_json("/api/v1/me/pulse", 200).await;
        let newest = &mine["items"][0];
        assert_eq!((newest["week"].clone(), newest["note"].clone()), (json!(this_week), json!(note)));
        // A past week's answer cannot be changed afterwards.
        let past =
            agent.put("/api/v1/me/pulse", json!({ "week": "2026-03-04", "energy": 2, "stress": 5, "sleep": 1 })).await;
        assert_eq!(past.status().as_u16(), 422, "{backend:?}");
        // Limits: a score out of range, a note too long.
        let bad = agent.put("/api/v1/me/pulse", json!({ "energy": 6, "stress": 2, "sleep": 4 })).await;
        assert_eq!(bad.status().as_u16(), 422);
        let long = agent
            .put("/api/v1/me/pulse", json!({ "energy": 3, "stress": 2, "sleep": 4, "note": "x".repeat(501) }))
            .await;
        assert_eq!(long.status().as_u16(), 422);

        // T1 has the leader and the agent; three more people make five, of whom four answer.
        let mut team = vec![f.agent];
        for i in 0..3 {
            let e = ladder_store::org::NewEmployee {
                code: format!("P{i}"),
                name: format!("Pat {i}"),
                email: None,
                team_id: Some(f.teams[0]),
                role_id: "customer-service-executive".into(),
                role_since: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
                hire_date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
                manager_id: None,
            };
            team.push(ladder_store::org::create_employee(&app.db, f.organisation, &e).await.unwrap());
        }
        // Answers of a week that has ended: the agent's (with its note) and three others'.
        let week = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let answer = |energy, stress, sleep, note: Option<&str>| ladder_store::wellbeing::pulse::Answer {
            week,
            energy,
            stress,
            sleep,
            note: note.map(str::to_string),
        };
        let save = async |id: EmployeeId, a: ladder_store::wellbeing::pulse::Answer| {
            ladder_store::wellbeing::pulse::save(&app.db, id, &a, chrono::Utc::now()).await.unwrap();
        };
        save(f.agent, answer(2, 5, 1, Some(note))).await;
        for id in &team[1..] {
            save(*id, answer(4, 2, 4, None)).await;
        }
        let leader = app.sign_in(Persona::Leader).await;
        let pulse = format!("/api/v1/teams/{}/pulse?week=2026-03-02", f.teams[0]);
        assert_eq!(leader.get_json(&pulse, 200).await, Value::Null, "{backend:?}: 4 answers show nothing");
        // No endpoint gives the leader the agent's answers: their own pulse is theirs alone.
        let paths = [
            "/api/v1/me/pulse".to_string(),
            pulse.clone(),
            format!("/api/v1/employees/{}/wellbeing?week=2026-03-02", f.agent),
            format!("/api/v1/teams/{}/wellbeing?week=2026-03-02", f.teams[0]),
            format!("/api/v1/employees/{}", f.agent),
        ];
        for path in &paths {
            let body = leader.get(path).await.text().await.unwrap();
            assert!(!body.contains(note) && !body.contains("\"stress\":5"), "{backend:?}: {path} gave away {body}");
        }
        // The leader's answer that week makes five: now the mean shows, and still no one's note.
        save(f.leader, answer(5, 1, 5, None)).await;
        let mean = leader.get_json(&pulse, 200).await;
        assert_eq!(mean["answered"], 5, "{backend:?}: {mean}");
        assert_eq!(mean["stress"], json!(2.4));
        assert!(!mean.to_string().contains(note));
        // This week's mean would move with each answer: refused until the week has ended.
        let now = format!("/api/v1/teams/{}/pulse?week={this_week}", f.teams[0]);
        assert_eq!(leader.get(&now).await.status().as_u16(), 422, "{backend:?}");
    })
    .await;
}

#[tokio::test]
async fn the_agent_sees_a_short_rest_on_home_and_answers_the_pulse_on_the_page() {
    each_app(async |app| {
        let backend = app.backend;
        let f = &app.fixture;
        // Two shifts this week with 9 h between them.
        let monday = ladder_server::service::wellbeing::monday(chrono::Utc::now().date_naive());
        let at = |h: u32| monday.and_hms_opt(h, 0, 0).unwrap();
        let local = [
            Shift { start: at(8), end: at(17) },
            Shift { start: at(26 - 24) + chrono::TimeDelta::days(1), end: at(11) + chrono::TimeDelta::days(1) },
        ];
        store_shifts(&app.db, f.agent, &local).await;
        let agent = app.sign_in(Persona::Agent).await;
        let home = agent.get("/home").await.text().await.unwrap();
        assert!(home.contains("id=\"wellbeing\"") && home.contains("9 h rest between"), "{backend:?}: {home}");
        assert!(home.contains("EU Working Time Directive"));
        let page = agent.get("/wellbeing").await;
        assert_eq!(page.status().as_u16(), 200);
        let page = page.text().await.unwrap();
        assert!(page.contains("2 shifts, 18.0 h"), "{backend:?}: this week's two 9-hour shifts");
        assert!(page.contains("No shifts on record for this week."), "next week has none: {page}");
        assert!(!page.contains("-0.0"), "no negative zero");
        let body: Vec<(&str, &str)> = vec![
            ("_csrf", agent.csrf.as_deref().unwrap()),
            ("energy", "2"),
            ("stress", "4"),
            ("sleep", "3"),
            ("note", "Tired"),
        ];
        let res = agent.client.post(format!("{}/wellbeing/pulse", agent.base)).form(&body).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200, "{backend:?}");
        assert!(res.text().await.unwrap().contains("Tired"));
        let bad: Vec<(&str, &str)> =
            vec![("_csrf", agent.csrf.as_deref().unwrap()), ("energy", "9"), ("stress", "4"), ("sleep", "3")];
        let res = agent.client.post(format!("{}/wellbeing/pulse", agent.base)).form(&bad).send().await.unwrap();
        assert!(
            res.text().await.unwrap().contains("energy is 1 to 5, not 9"),
            "{backend:?}: the form again, saying why"
        );

        // The leader's board shows the agent; another team's leader may not open it.
        let leader = app.sign_in(Persona::Leader).await;
        let board = leader.get(&format!("/wellbeing/team/{}", f.teams[0])).await.text().await.unwrap();
        assert!(board.contains("Ana Agent") && board.contains("9 h rest between"), "{backend:?}: {board}");
        assert!(!board.contains("Tired"));
        let other = app.sign_in(Persona::OtherLeader).await;
        assert_eq!(other.get(&format!("/wellbeing/team/{}", f.teams[0])).await.status().as_u16(), 403);
    })
    .await;
}

#[tokio::test]
async fn night_hours_of_the_month_from_worked_shifts() {
    each_app(async |app| {
        let backend = app.backend;
        let f = &app.fixture;
        let tz = parse_zone("Asia/Manila").unwrap();
        let worked = |a: &str, b: &str| store::Shift {
            employee_id: f.agent,
            record: Record::Worked,
            starts_at: local_to_utc(t(a), tz).0,
            ends_at: local_to_utc(t(b), tz).0,
            time_zone: "Asia/Manila".into(),
            kind: Kind::Night,
            breaks_minutes: 0,
        };
        // 8 h of night, then 20:00–04:00 across the month's end: 2 h in March, 4 h in April.
        // A scheduled shift does not count: only worked time earns the differential.
        let mut rows =
            vec![worked("2026-03-02 22:00", "2026-03-03 06:00"), worked("2026-03-31 20:00", "2026-04-01 04:00")];
        rows.push(store::Shift { record: Record::Scheduled, ..worked("2026-03-10 22:00", "2026-03-11 06:00") });
        let mut tx = app.db.begin().await.unwrap();
        store::insert(&mut tx, &rows, None).await.unwrap();
        tx.commit().await.unwrap();
        let agent = app.sign_in(Persona::Agent).await;
        let march = agent.get_json(&format!("/api/v1/employees/{}/night-work?week=2026-03-15", f.agent), 200).await;
        assert_eq!(
            march,
            json!({ "month": "2026-03-01", "night_minutes": 600, "percent": 10, "premium_wage_hours": 1.0,
                "window_start": "22:00", "window_end": "06:00", "default_rule": true }),
            "{backend:?}"
        );
        let april = agent.get_json(&format!("/api/v1/employees/{}/night-work?week=2026-04-01", f.agent), 200).await;
        assert_eq!(april["night_minutes"], 240);
    })
    .await;
}

#[tokio::test]
async fn a_person_enters_and_deletes_their_own_shifts_with_the_imports_checks() {
    each_app(async |app| {
        let backend = app.backend;
        let f = &app.fixture;
        let agent = app.sign_in(Persona::Agent).await;
        let monday = ladder_server::service::wellbeing::monday(chrono::Utc::now().date_naive());
        let at = |d: i64, h: u32| (monday + chrono::TimeDelta::days(d)).and_hms_opt(h, 0, 0).unwrap().to_string();
        let iso = |d: i64, h: u32| at(d, h).replace(' ', "T");
        let shift = |s: String, e: String| json!({ "start": s, "end": e, "kind": "day", "breaks_minutes": 60 });

        let res = agent.post("/api/v1/me/shifts", shift(iso(0, 14), iso(0, 23))).await;
        assert_eq!(res.status().as_u16(), 200, "{backend:?}");
        assert_eq!(res.json::<serde_json::Value>().await.unwrap()["start"], iso(0, 14));
        // The import's checks, each naming its field.
        for (body, field, words) in [
            (shift(iso(0, 20), iso(1, 2)), "start", "overlaps your shift"),
            (shift(iso(1, 9), iso(1, 8)), "end", "before or when it starts"),
            (shift(iso(1, 8), iso(2, 9)), "end", "over 24 h"),
            (json!({ "start": iso(1, 8), "end": iso(1, 17), "kind": "graveyard" }), "kind", "day, night or rotating"),
            (
                json!({ "start": iso(1, 8), "end": iso(1, 9), "kind": "day", "breaks_minutes": 60 }),
                "breaks_minutes",
                "breaks",
            ),
            (shift("2020-01-06T08:00:00".into(), "2020-01-06T17:00:00".into()), "start", "60 days before"),
            (shift(iso(-61, 8), iso(-61, 17)), "start", "60 days before"),
            (shift(iso(400, 8), iso(400, 17)), "start", "a year after"),
            (json!({ "start": iso(3, 8), "end": at(3, 8).replace(' ', "T").replace("08:00:00", "08:20:00"), "kind": "day" }), "end", "at least 30 min"),
        ] {
            let res = agent.post("/api/v1/me/shifts", body.clone()).await;
            assert_eq!(res.status().as_u16(), 422, "{backend:?}: {body}");
            let err: serde_json::Value = res.json().await.unwrap();
            assert_eq!(err["error"]["field"], field, "{body}: {err}");
            assert!(err.to_string().contains(words), "{body}: {err}");
        }

        // By the page's form: Tuesday 07:00 after Monday's 23:00 close is 8 h of rest.
        let csrf = agent.csrf.clone().unwrap();
        let (start, end) =
            (at(1, 7).replace(' ', "T")[..16].to_string(), at(1, 16).replace(' ', "T")[..16].to_string());
        let form =
            [("_csrf", csrf.as_str()), ("start", &start), ("end", &end), ("kind", "day"), ("breaks_minutes", "60")];
        let res = agent.client.post(format!("{}/wellbeing/shifts", agent.base)).form(&form).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200, "{backend:?}: redirected to the page");
        let page = res.text().await.unwrap();
        assert!(page.contains("2 shifts, 18.0 h") && page.contains("8 h rest between"), "{backend:?}: {page}");
        let got = agent.get_json(&format!("/api/v1/employees/{}/wellbeing", f.agent), 200).await;
        assert_eq!(got["weeks"][0]["shifts"].as_array().unwrap().len(), 2);
        assert_eq!(got["weeks"][0]["shifts"][0]["by_hand"], true, "{backend:?}: entered by hand");
        // A refused form says why on the page.
        let form =
            [("_csrf", csrf.as_str()), ("start", &start), ("end", &start), ("kind", "day"), ("breaks_minutes", "0")];
        let res = agent.client.post(format!("{}/wellbeing/shifts", agent.base)).form(&form).send().await.unwrap();
        assert!(res.text().await.unwrap().contains("before or when it starts"), "{backend:?}");

        // The leader sees the shifts but enters none for the agent: /me/shifts is the leader's own.
        let leader = app.sign_in(Persona::Leader).await;
        let res = leader.delete(&format!("/api/v1/me/shifts?start={}", iso(0, 14))).await;
        assert_eq!(res.status().as_u16(), 404, "{backend:?}: not the leader's shift");
        // Delete by the page's form, then by the API; a second delete finds nothing.
        let form = [("_csrf", csrf.as_str()), ("start", &start)];
        let res =
            agent.client.post(format!("{}/wellbeing/shifts/delete", agent.base)).form(&form).send().await.unwrap();
        assert!(!res.text().await.unwrap().contains("8 h rest between"), "{backend:?}");
        assert_eq!(agent.delete(&format!("/api/v1/me/shifts?start={}", iso(0, 14))).await.status().as_u16(), 204);
        assert_eq!(agent.delete(&format!("/api/v1/me/shifts?start={}", iso(0, 14))).await.status().as_u16(), 404);
        let got = agent.get_json(&format!("/api/v1/employees/{}/wellbeing", f.agent), 200).await;
        assert_eq!(got["weeks"][0]["shifts"], json!([]));
    })
    .await;
}

#[tokio::test]
async fn each_site_pays_nights_by_its_own_rule() {
    each_app(async |app| {
        let backend = app.backend;
        let f = &app.fixture;
        let tz = parse_zone("Asia/Manila").unwrap();
        let worked = |who: EmployeeId| store::Shift {
            employee_id: who,
            record: Record::Worked,
            starts_at: local_to_utc(t("2026-03-02 20:00"), tz).0,
            ends_at: local_to_utc(t("2026-03-03 05:00"), tz).0,
            time_zone: "Asia/Manila".into(),
            kind: Kind::Night,
            breaks_minutes: 0,
        };
        let mut tx = app.db.begin().await.unwrap();
        store::insert(&mut tx, &[worked(f.agent), worked(f.far_agent)], None).await.unwrap();
        tx.commit().await.unwrap();
        // Cebu (the far agent's site) pays 20 % for 21:00–07:00; Manila keeps the default.
        let admin = app.sign_in(Persona::Admin).await;
        let rule = json!({ "start": "21:00", "end": "07:00", "percent": 20 });
        let res = admin.put(&format!("/api/v1/sites/{}/night-differential", f.sites[1]), rule).await;
        assert_eq!(res.status().as_u16(), 204, "{backend:?}");
        let night = async |who: EmployeeId| {
            admin.get_json(&format!("/api/v1/employees/{who}/night-work?week=2026-03-10"), 200).await
        };
        // 20:00–05:00: Manila counts 22:00–05:00 (7 h at 10 %), Cebu 21:00–05:00 (8 h at 20 %).
        let manila = night(f.agent).await;
        assert_eq!(
            (manila["night_minutes"].as_i64(), manila["percent"].as_i64()),
            (Some(420), Some(10)),
            "{backend:?}"
        );
        assert_eq!((manila["premium_wage_hours"].as_f64(), manila["default_rule"].as_bool()), (Some(0.7), Some(true)));
        let cebu = night(f.far_agent).await;
        assert_eq!((cebu["night_minutes"].as_i64(), cebu["percent"].as_i64()), (Some(480), Some(20)), "{backend:?}");
        assert_eq!((cebu["premium_wage_hours"].as_f64(), cebu["window_start"].as_str()), (Some(1.6), Some("21:00")));
        // Bad rules name their field; all nulls restore the default.
        for (body, field) in [
            (json!({ "start": "9pm", "end": "06:00", "percent": 10 }), "start"),
            (json!({ "start": "22:00", "end": "06:00", "percent": 101 }), "percent"),
            (json!({ "start": "22:00", "end": "22:00", "percent": 10 }), "end"),
        ] {
            let res = admin.put(&format!("/api/v1/sites/{}/night-differential", f.sites[1]), body).await;
            assert_eq!(res.status().as_u16(), 422);
            assert_eq!(res.json::<serde_json::Value>().await.unwrap()["error"]["field"], field);
        }
        let reset = json!({ "start": null, "end": null, "percent": null });
        admin.put(&format!("/api/v1/sites/{}/night-differential", f.sites[1]), reset).await;
        assert_eq!(night(f.far_agent).await["night_minutes"], 420, "{backend:?}: back to the default");
    })
    .await;
}

#[tokio::test]
async fn the_check_in_shows_the_months_flags_and_a_coaching_note_can_be_about_well_being() {
    each_app(async |app| {
        let backend = app.backend;
        let f = &app.fixture;
        // This month: a late close and an early open, 9 h apart.
        let today = chrono::Utc::now().date_naive();
        let first = ladder_core::period::Month::of(today).first_day();
        let at = |d: i64, h: u32| (first + chrono::TimeDelta::days(d)).and_hms_opt(h, 0, 0).unwrap();
        store_shifts(
            &app.db,
            f.agent,
            &[Shift { start: at(1, 14), end: at(1, 23) }, Shift { start: at(2, 8), end: at(2, 17) }],
        )
        .await;
        let agent = app.sign_in(Persona::Agent).await;
        let page = agent.get("/checkin").await.text().await.unwrap();
        assert!(
            page.contains("Well-being flags this month") && page.contains("9 h rest between"),
            "{backend:?}: {page}"
        );

        let leader = app.sign_in(Persona::Leader).await;
        let follow_up = (today + chrono::TimeDelta::days(14)).to_string();
        let note = json!({ "metric": "well-being", "note": "Swap the Tuesday close", "follow_up": follow_up });
        let res = leader.post(&format!("/api/v1/employees/{}/coaching-notes", f.agent), note).await;
        assert!(res.status().is_success(), "{backend:?}: {}", res.status());
        let notes = leader.get_json(&format!("/api/v1/employees/{}/coaching-notes", f.agent), 200).await;
        assert_eq!(notes["items"][0]["metric"], "well-being");
        let bad = json!({ "metric": "wellness", "note": "x", "follow_up": follow_up });
        let res = leader.post(&format!("/api/v1/employees/{}/coaching-notes", f.agent), bad).await;
        assert_eq!(res.status().as_u16(), 422, "{backend:?}: only KRAs and well-being");
    })
    .await;
}

#[tokio::test]
async fn an_imported_shift_cannot_be_deleted_by_hand() {
    each_app(async |app| {
        let backend = app.backend;
        let f = &app.fixture;
        let agent = app.sign_in(Persona::Agent).await;
        let got = agent.get_json(&format!("/api/v1/employees/{}/wellbeing", f.agent), 200).await;
        let tz = parse_zone(got["time_zone"].as_str().unwrap()).unwrap();
        let monday = ladder_server::service::wellbeing::monday(chrono::Utc::now().date_naive());
        let start = (monday + chrono::TimeDelta::days(2)).and_hms_opt(9, 0, 0).unwrap();
        let shift = store::Shift {
            employee_id: f.agent,
            record: Record::Scheduled,
            starts_at: local_to_utc(start, tz).0,
            ends_at: local_to_utc(start + chrono::TimeDelta::hours(9), tz).0,
            time_zone: tz.name().into(),
            kind: Kind::Day,
            breaks_minutes: 60,
        };
        let log = store::ShiftImport {
            file_name: "wfm.csv",
            sha256: "",
            mapping: "",
            rows: 1,
            started_at: chrono::Utc::now(),
            imported_by: None,
        };
        let mut tx = app.db.begin().await.unwrap();
        store::replace(&mut tx, &log, &[], &[shift]).await.unwrap();
        tx.commit().await.unwrap();

        let iso = start.format("%Y-%m-%dT%H:%M:%S").to_string();
        let res = agent.delete(&format!("/api/v1/me/shifts?start={iso}")).await;
        assert_eq!(res.status().as_u16(), 404, "{backend:?}: an imported shift is the WFM tool's");
        let got = agent.get_json(&format!("/api/v1/employees/{}/wellbeing", f.agent), 200).await;
        let shifts = got["weeks"][0]["shifts"].as_array().unwrap();
        assert_eq!(shifts.len(), 1, "{backend:?}: still there");
        assert_eq!(shifts[0]["by_hand"], false);
        let page = agent.get("/wellbeing").await.text().await.unwrap();
        assert!(page.contains("09:00") && !page.contains("Delete the shift of"), "{backend:?}: {page}");
    })
    .await;
}

#[tokio::test]
async fn the_same_shift_sent_twice_at_once_is_stored_once() {
    each_app(async |app| {
        let backend = app.backend;
        let f = &app.fixture;
        let agent = app.sign_in(Persona::Agent).await;
        let monday = ladder_server::service::wellbeing::monday(chrono::Utc::now().date_naive());
        for d in 0..5 {
            let at = |h: u32| (monday + chrono::TimeDelta::days(d)).and_hms_opt(h, 0, 0).unwrap();
            let body = json!({ "start": at(8), "end": at(17), "kind": "day", "breaks_minutes": 60 });
            let (a, b) =
                tokio::join!(agent.post("/api/v1/me/shifts", body.clone()), agent.post("/api/v1/me/shifts", body));
            let mut codes = [a.status().as_u16(), b.status().as_u16()];
            codes.sort();
            assert_eq!(codes, [200, 422], "{backend:?}: day {d}: one stored, one refused as overlapping");
        }
        let got = agent.get_json(&format!("/api/v1/employees/{}/wellbeing", f.agent), 200).await;
        assert_eq!(got["weeks"][0]["shifts"].as_array().unwrap().len(), 5, "{backend:?}");
    })
    .await;
}

#[tokio::test]
async fn a_schedule_the_rules_refuse_says_so_instead_of_showing_no_flags() {
    each_app(async |app| {
        let backend = app.backend;
        let f = &app.fixture;
        let agent = app.sign_in(Persona::Agent).await;
        let now = chrono::Utc::now();
        // Written past the checks: ends before it starts.
        let damaged = store::Shift {
            employee_id: f.agent,
            record: Record::Scheduled,
            starts_at: now,
            ends_at: now - chrono::TimeDelta::hours(1),
            time_zone: "UTC".into(),
            kind: Kind::Day,
            breaks_minutes: 0,
        };
        let mut tx = app.db.begin().await.unwrap();
        store::insert(&mut tx, &[damaged], None).await.unwrap();
        tx.commit().await.unwrap();
        let got = agent.get_json(&format!("/api/v1/employees/{}/wellbeing", f.agent), 200).await;
        assert!(got["problem"].as_str().unwrap_or_default().contains("schedule has a problem"), "{backend:?}: {got}");
        let page = agent.get("/wellbeing").await.text().await.unwrap();
        assert!(page.contains("schedule has a problem"), "{backend:?}");
    })
    .await;
}

#[tokio::test]
async fn a_shift_by_hand_is_checked_on_real_time_across_dst() {
    each_app(async |app| {
        let backend = app.backend;
        ladder_store::on_db!(&app.db, p => sqlx::query("UPDATE sites SET timezone = 'America/New_York'")
            .execute(p).await.unwrap().rows_affected());
        let agent = app.sign_in(Persona::Agent).await;
        let shift = |s: &str, e: &str| json!({ "start": s, "end": e, "kind": "day", "breaks_minutes": 0 });
        // 24.5 h on the wall clock, 23.5 h really: the clocks jump forward on 14 March 2027.
        let res = agent.post("/api/v1/me/shifts", shift("2027-03-13T08:00:00", "2027-03-14T08:30:00")).await;
        assert_eq!(res.status().as_u16(), 200, "{backend:?}");
        let got: Value = res.json().await.unwrap();
        assert_eq!(
            (got["start"].as_str(), got["end"].as_str()),
            (Some("2027-03-13T08:00:00"), Some("2027-03-14T08:30:00"))
        );
        // 23.5 h on the wall clock, 24.5 h really: the clocks go back on 1 November 2026.
        for (body, field, words) in [
            (shift("2026-10-31T23:30:00", "2026-11-01T23:00:00"), "end", "over 24 h"),
            (shift("2027-03-14T02:30:00", "2027-03-14T09:00:00"), "start", "does not exist"),
        ] {
            let res = agent.post("/api/v1/me/shifts", body.clone()).await;
            assert_eq!(res.status().as_u16(), 422, "{backend:?}: {body}");
            let err: Value = res.json().await.unwrap();
            assert_eq!(err["error"]["field"], field, "{body}: {err}");
            assert!(err.to_string().contains(words), "{body}: {err}");
        }
    })
    .await;
}

#[tokio::test]
async fn at_most_three_shifts_by_hand_start_on_one_day() {
    each_app(async |app| {
        let backend = app.backend;
        let agent = app.sign_in(Persona::Agent).await;
        let day = chrono::Utc::now().date_naive() + chrono::TimeDelta::days(10);
        let at = |h: u32| day.and_hms_opt(h, 0, 0).unwrap();
        for h in [6, 9, 12, 15] {
            let body = json!({ "start": at(h), "end": at(h + 2), "kind": "day" });
            let res = agent.post("/api/v1/me/shifts", body).await;
            let want = if h < 15 { 200 } else { 422 };
            assert_eq!(res.status().as_u16(), want, "{backend:?}: the shift at {h}:00");
            if want == 422 {
                assert!(res.text().await.unwrap().contains("at most 3 shifts"), "{backend:?}");
            }
        }
    })
    .await;
}

#[tokio::test]
async fn the_forms_blank_breaks_are_none_and_its_times_whole_minutes() {
    each_app(async |app| {
        let backend = app.backend;
        let f = &app.fixture;
        let agent = app.sign_in(Persona::Agent).await;
        let monday = ladder_server::service::wellbeing::monday(chrono::Utc::now().date_naive());
        let at = |h: u32, s: u32| (monday + chrono::TimeDelta::days(2)).and_hms_opt(h, 0, s).unwrap();
        let (start, end) =
            (at(8, 42).format("%Y-%m-%dT%H:%M:%S").to_string(), at(17, 0).format("%Y-%m-%dT%H:%M").to_string());
        let csrf = agent.csrf.clone().unwrap();
        let form =
            [("_csrf", csrf.as_str()), ("start", &start), ("end", &end), ("kind", "day"), ("breaks_minutes", "")];
        let res = agent.client.post(format!("{}/wellbeing/shifts", agent.base)).form(&form).send().await.unwrap();
        assert!(!res.text().await.unwrap().contains("breaks in whole minutes"), "{backend:?}: blank is no breaks");
        let got = agent.get_json(&format!("/api/v1/employees/{}/wellbeing", f.agent), 200).await;
        let stored = &got["weeks"][0]["shifts"][0];
        assert_eq!(stored["breaks_minutes"], 0, "{backend:?}: {got}");
        assert_eq!(stored["start"], at(8, 0).format("%Y-%m-%dT%H:%M:%S").to_string(), "{backend:?}: whole minutes");
    })
    .await;
}
