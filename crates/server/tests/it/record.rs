//! The record that goes with a person (issue 30), on SQLite and PostgreSQL: what the export
//! holds (private entries too), who may take it, the ZIP and the résumé, the round trip
//! export → import into a fresh database → export, an import that fails leaving nothing, and a
//! leaver's one-time link (works once, only within its window).

use std::io::Read;

use chrono::{Duration, Utc};
use ladder_core::record::{self, Record};
use ladder_core::Framework;
use ladder_server::service::stored_scores;
use ladder_server::state::{AppState, Config};
use ladder_store::records::{NewAccomplishment, NewCheckin, NewCoachingNote};
use ladder_store::Db;
use serde_json::Value;

use crate::common::{day, each_app, Persona, TestApp};

/// Gives the agent something of every part: figures, a plan, log entries (one private), skills,
/// a certification, training, a check-in with a coaching note.
async fn fill(app: &TestApp) {
    let (db, e) = (&app.db, app.fixture.agent);
    let figure = |metric: &str, n: f64, d: f64| ladder_store::kra::ManualFigure {
        metric: metric.into(),
        numerator: n,
        denominator: d,
    };
    ladder_store::kra::put_manual(
        db,
        e,
        day(2026, 1, 1),
        &[figure("aht", 33000.0, 100.0), figure("csat", 88.0, 100.0)],
        None,
    )
    .await
    .unwrap();
    ladder_store::kra::put_manual(db, e, day(2026, 2, 1), &[figure("aht", 31000.0, 100.0)], None).await.unwrap();
    ladder_store::records::save_career_plan(db, e, "team-leader", 3, &["senior-agent".into()], None).await.unwrap();
    let entry = |title: &str, shared: bool| NewAccomplishment {
        date: day(2026, 2, 10),
        title: title.into(),
        details: "=1+1 looks like a formula".into(),
        impact_value: Some(12.0),
        impact_unit: Some("%".into()),
        tags: vec!["billing".into()],
        kras: vec!["fcr".into()],
        skills: vec![],
        shared,
    };
    let shared = ladder_store::records::add_accomplishment(db, e, &entry("Cut repeat calls", true)).await.unwrap();
    ladder_store::records::add_accomplishment(db, e, &entry("Private worry", false)).await.unwrap();
    ladder_store::records::assess_skill(db, e, "communication", 4, ladder_store::records::Assessor::Own, None)
        .await
        .unwrap();
    let checkin = NewCheckin {
        month: day(2026, 2, 1),
        highlights: "Good month".into(),
        accomplishment_ids: vec![shared.id],
        blockers: String::new(),
        asks: "Coaching on AHT".into(),
    };
    let c = ladder_store::records::submit_checkin(db, e, &checkin).await.unwrap();
    let note = NewCoachingNote { metric: "aht".into(), note: "Try the new macro".into(), follow_up: day(2026, 3, 15) };
    let leader = app.fixture.users[&Persona::Leader];
    ladder_store::records::acknowledge_checkin(db, c.id, leader, "Well done", Some(&note)).await.unwrap();
}

fn state(db: &Db) -> AppState {
    AppState::new(db.clone(), Framework::default_framework(), Config::default())
}

#[tokio::test]
async fn my_record_holds_every_part_and_private_entries_and_only_hr_and_i_may_take_it() {
    each_app(async |app| {
        fill(&app).await;
        let e = app.fixture.agent;
        let agent = app.sign_in(Persona::Agent).await;
        let r: Value = agent.get_json("/api/v1/me/record", 200).await;
        assert_eq!(r["format"], "ladder-record");
        assert_eq!(r["version"], 1);
        assert_eq!(r["person"]["code"], "E1");
        assert_eq!(r["log"].as_array().unwrap().len(), 2, "private entries too");
        assert_eq!(r["figures"].as_array().unwrap().len(), 3);
        assert_eq!(r["checkins"][0]["log_entries"][0], 0);
        assert_eq!(r["coaching_notes"][0]["author"], "Leader");
        assert_eq!(r["work"][0]["team"], "T1");
        assert_eq!(r["career_plan"]["target_role"], "team-leader");

        let hr = app.sign_in(Persona::Hr).await;
        hr.get_json(&format!("/api/v1/employees/{e}/record"), 200).await;
        for persona in [Persona::Leader, Persona::Manager, Persona::OtherTeamAgent] {
            let res = app.sign_in(persona).await.get(&format!("/api/v1/employees/{e}/record")).await;
            assert_eq!(res.status(), 403, "{persona:?}");
        }
        let res = agent.get("/api/v1/me/record?format=pdf").await;
        assert_eq!(res.status(), 422, "an unknown format is refused by name");

        let res = agent.get("/api/v1/me/record?format=zip").await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/zip");
        let bytes = res.bytes().await.unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let names: Vec<String> = zip.file_names().map(str::to_string).collect();
        for part in [
            "record.json",
            "person.csv",
            "figures.csv",
            "log.csv",
            "checkins.csv",
            "coaching_notes.csv",
            "applications.csv",
        ] {
            assert!(names.iter().any(|n| n == part), "{part} in {names:?}");
        }
        let mut log = String::new();
        zip.by_name("log.csv").unwrap().read_to_string(&mut log).unwrap();
        assert!(log.contains("Private worry") && log.contains("'=1+1"), "formula-safe CSV: {log}");

        let resume: Value = agent.get_json("/api/v1/me/record?format=json-resume", 200).await;
        assert_eq!(resume["basics"]["name"], "Ana Agent");
        assert!(!resume.to_string().contains("Private worry"));

        let (status, html) = {
            let res = agent.get("/record").await;
            (res.status(), res.text().await.unwrap())
        };
        assert_eq!(status, 200);
        assert!(html.contains("My record") && html.contains("/api/v1/me/record?format=zip"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn a_record_exported_imported_into_a_fresh_database_and_exported_again_is_the_same() {
    each_app(async |app| {
        fill(&app).await;
        stored_scores::drain(&state(&app.db), |_| {}).await.unwrap();
        let first = ladder_store::person_record::read(&app.db, app.fixture.agent).await.unwrap();
        assert!(!first.scores.is_empty(), "scored months are in the record");
        let file = serde_json::to_vec_pretty(&first).unwrap();

        let fresh = ladder_testkit::TestDb::new(app.backend).await;
        let parsed = record::parse(&file).unwrap();
        let done = ladder_store::person_record::import(&fresh.db, &parsed).await.unwrap();
        assert!(done.created);
        stored_scores::drain(&state(&fresh.db), |_| {}).await.unwrap();
        let second = ladder_store::person_record::read(&fresh.db, done.employee_id).await.unwrap();
        assert_eq!(second.content(), first.content(), "a round trip changes nothing but where and when");

        // And once more, out of the second database into a third.
        let third_db = ladder_testkit::TestDb::new(app.backend).await;
        let again = ladder_store::person_record::import(&third_db.db, &second).await.unwrap();
        let third = ladder_store::person_record::read(&third_db.db, again.employee_id).await.unwrap();
        assert_eq!(third.log, first.log);
        assert_eq!(third.coaching_notes, first.coaching_notes);
        assert_eq!(third.work, first.work);

        // The same person again: refused, nothing added.
        let err = ladder_store::person_record::import(&fresh.db, &parsed).await.unwrap_err();
        assert!(err.to_string().contains("already has a record"), "{err}");
        fresh.clean_up().await;
        third_db.clean_up().await;
    })
    .await;
}

#[tokio::test]
async fn an_import_that_fails_half_way_leaves_nothing() {
    each_app(async |app| {
        fill(&app).await;
        let mut r: Record = ladder_store::person_record::read(&app.db, app.fixture.agent).await.unwrap();
        r.person.code = "NEW1".into();
        // The same certification twice: the second insert fails after the person and log are written.
        r.certifications.push(record::Certification {
            certification: "six-sigma-yellow-belt".into(),
            status: "earned".into(),
            planned_date: None,
            earned_date: None,
            expires_date: None,
        });
        r.certifications.push(r.certifications[0].clone());
        assert!(ladder_store::person_record::import(&app.db, &r).await.is_err());
        assert!(matches!(
            ladder_store::org::employee_by_code(&app.db, "NEW1").await,
            Err(ladder_store::StoreError::NotFound)
        ));
    })
    .await;
}

#[tokio::test]
async fn a_leavers_link_works_once_and_only_within_its_window() {
    each_app(async |app| {
        fill(&app).await;
        let e = app.fixture.agent;
        let hr = app.sign_in(Persona::Hr).await;
        let res = hr.post(&format!("/api/v1/employees/{e}/leave"), serde_json::json!({})).await;
        assert_eq!(res.status(), 200);
        let link: Value = res.json().await.unwrap();
        let url = link["link"].as_str().unwrap().to_string();
        let expires: chrono::DateTime<Utc> = link["expires_at"].as_str().unwrap().parse().unwrap();
        assert!((expires - Utc::now() - Duration::days(30)).num_minutes().abs() < 5, "30 days by default");
        let path = &url[url.find("/leaver/").unwrap()..];
        let token = &path["/leaver/".len()..];

        // The person is gone: inactive, and their sign-in no longer works.
        assert!(!ladder_store::org::employee(&app.db, e).await.unwrap().active);
        let login = app
            .client()
            .post(format!("{}/api/v1/session", app.base))
            .json(&serde_json::json!({ "email": Persona::Agent.email(), "password": crate::common::PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_ne!(login.status(), 200, "a leaver cannot sign in");
        // Closing twice is a conflict, not a second link.
        assert_eq!(hr.post(&format!("/api/v1/employees/{e}/leave"), serde_json::json!({})).await.status(), 409);

        let anonymous = app.client();
        let first = anonymous.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(first.status(), 200);
        let bytes = first.bytes().await.unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let mut json = Vec::new();
        zip.by_name("record.json").unwrap().read_to_end(&mut json).unwrap();
        assert_eq!(record::parse(&json).unwrap().log.len(), 2);
        let second = anonymous.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(second.status(), 404, "a link works once");

        // A link past its window does not work, even unused.
        let hash = ladder_server::auth::hash_secret("ab12");
        ladder_store::leaver_links::create(&app.db, e, &hash, None, Utc::now() - Duration::minutes(1)).await.unwrap();
        assert_eq!(anonymous.get(format!("{}/leaver/ab12", app.base)).send().await.unwrap().status(), 404);
        assert_ne!(token, "ab12");
        // Nor a made-up one.
        assert_eq!(
            anonymous.get(format!("{}/leaver/{}", app.base, "0".repeat(64))).send().await.unwrap().status(),
            404
        );

        // Only HR and administrators close accounts.
        let leader = app.sign_in(Persona::Leader).await;
        let other = app.fixture.other_agent;
        assert_eq!(leader.post(&format!("/api/v1/employees/{other}/leave"), serde_json::json!({})).await.status(), 403);
    })
    .await;
}
