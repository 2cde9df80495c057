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
use ladder_store::{on_db, Db};
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
    for (title, done_on) in [("Lead a huddle", None), ("Shadow a senior agent", Some(day(2026, 2, 20)))] {
        let goal = ladder_store::career_goals::GoalFields {
            milestone_role: "senior-agent".into(),
            title: title.into(),
            note: "=2+2 looks like a formula".into(),
            due_on: day(2026, 3, 1),
            done_on,
        };
        let caps = ladder_server::service::career_goals::CAPS;
        ladder_store::career_goals::add(db, e, &goal, None, caps, Utc::now()).await.unwrap();
    }
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
    fill_growth_and_application(app).await;
}

/// A certification, a training item and an application to an opening.
async fn fill_growth_and_application(app: &TestApp) {
    use ladder_store::records::{CertificationRecord, CertificationStatus, TrainingItem, TrainingKind, TrainingStatus};
    let (db, e) = (&app.db, app.fixture.agent);
    let cert = CertificationRecord {
        id: 0,
        employee_id: e,
        certification_id: "six-sigma-yellow-belt".into(),
        status: CertificationStatus::Earned,
        planned_date: None,
        earned_date: Some(day(2026, 1, 20)),
        expires_date: None,
        evidence_url: None,
        evidence_file: None,
        evidence_changed_at: None,
        verification: None,
        verified_by: None,
        verified_at: None,
        rejection_reason: None,
    };
    ladder_store::records::upsert_certification(db, &cert, None, None).await.unwrap();
    let course = TrainingItem {
        id: 0,
        employee_id: e,
        kind: TrainingKind::Course,
        title: "De-escalation basics".into(),
        provider: "Academy".into(),
        hours: 6.5,
        status: TrainingStatus::Done,
        skill_id: Some("communication".into()),
        due_date: None,
        completed_date: Some(day(2026, 2, 3)),
    };
    ladder_store::records::add_training(db, &course).await.unwrap();
    let f = &app.fixture;
    let opening = serde_json::json!({
        "role_id": "senior-agent", "site_id": f.sites[0], "account_id": f.accounts[0], "team_id": f.teams[1].0,
        "headcount": 1, "shift": "day", "shift_hours": "08:00–17:00", "hours_per_week": 40,
        "arrangement": "on-site", "pay_min": 2_500_000, "pay_max": 3_200_000, "currency": "PHP",
        "allowances": 0, "allowances_note": "", "night_differential_percent": 0, "signing_bonus": 0,
        "description": "Escalations.", "closing_date": "2099-12-31", "published": true,
    });
    let res = app.sign_in(Persona::Hr).await.post("/api/v1/openings", opening).await;
    assert_eq!(res.status(), 200);
    let opening_id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let by = app.fixture.users[&Persona::Agent];
    ladder_store::openings::applications::apply(db, opening_id, e, "{}", by).await.unwrap();
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
        assert_eq!(r["goals"].as_array().unwrap().len(), 2, "open and done goals: {}", r["goals"]);
        assert_eq!(r["goals"][1]["done_on"], "2026-02-20");

        let hr = app.sign_in(Persona::Hr).await;
        let theirs: Value = hr.get_json(&format!("/api/v1/employees/{e}/record"), 200).await;
        assert_eq!(theirs["log"].as_array().unwrap().len(), 1, "HR gets the shared entry only");
        assert!(!theirs.to_string().contains("Private worry"));
        assert_eq!(theirs["checkins"][0]["log_entries"][0], 0);
        let sql = "SELECT COUNT(*) FROM audit_log WHERE entity = 'employee_record' AND action = 'export'";
        let audited: i64 = ladder_store::on_db!(&app.db, p => sqlx::query_scalar(sql).fetch_one(p).await.unwrap());
        assert_eq!(audited, 1, "HR's export is audited, the person's own is not");
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
            "goals.csv",
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
        assert_eq!((first.certifications.len(), first.training.len(), first.applications.len()), (1, 1, 1));
        assert_eq!(first.goals.len(), 2, "goals are carried");
        let file = serde_json::to_vec_pretty(&first).unwrap();

        let fresh = ladder_testkit::TestDb::new(app.backend).await;
        let parsed = record::parse(&file).unwrap();
        let done = ladder_store::person_record::import(&fresh.db, &parsed, None).await.unwrap();
        assert!(done.created);
        stored_scores::drain(&state(&fresh.db), |_| {}).await.unwrap();
        let second = ladder_store::person_record::read(&fresh.db, done.employee_id).await.unwrap();
        assert_eq!(second.content(), first.content(), "a round trip changes nothing but where and when");

        // The imported person holds their current role here, from when the record says it began.
        let spells = ladder_store::org::role_history(&fresh.db, done.employee_id).await.unwrap();
        let current = first.work.iter().find(|w| w.to.is_none()).unwrap();
        assert_eq!(spells.len(), 1, "{spells:?}");
        assert_eq!((spells[0].role_id.as_str(), spells[0].from_date), (first.person.role.as_str(), current.from));
        assert_eq!((spells[0].team_id, spells[0].to_date), (None, None));

        // And once more, out of the second database into a third.
        let third_db = ladder_testkit::TestDb::new(app.backend).await;
        let again = ladder_store::person_record::import(&third_db.db, &second, None).await.unwrap();
        let third = ladder_store::person_record::read(&third_db.db, again.employee_id).await.unwrap();
        assert_eq!(third.log, first.log);
        assert_eq!(third.coaching_notes, first.coaching_notes);
        assert_eq!(third.work, first.work);
        // A role change there ends the carried spell in the next export, and adds the new one.
        ladder_store::org::change_role(&third_db.db, again.employee_id, "senior-agent", None, day(2026, 6, 1))
            .await
            .unwrap();
        let moved = ladder_store::person_record::read(&third_db.db, again.employee_id).await.unwrap();
        let roles: Vec<_> = moved.work.iter().map(|w| (w.role.as_str(), w.from, w.to)).collect();
        let want = vec![
            (current.role.as_str(), current.from, Some(day(2026, 5, 31))),
            ("senior-agent", day(2026, 6, 1), None),
        ];
        assert_eq!(roles, want);

        // The same code again: refused unless named with --into, and then refused for having data.
        let err = ladder_store::person_record::import(&fresh.db, &parsed, None).await.unwrap_err();
        assert!(err.to_string().contains("--into E1"), "{err}");
        let err = ladder_store::person_record::import(&fresh.db, &parsed, Some("E1")).await.unwrap_err();
        assert!(err.to_string().contains("already has a record"), "{err}");
        // Into a named person with nothing yet; but not one with only a training item.
        let far = ladder_store::person_record::import(&app.db, &parsed, Some("E3")).await.unwrap();
        assert_eq!((far.employee_id, far.created), (app.fixture.far_agent, false));
        let course = ladder_store::records::TrainingItem {
            employee_id: app.fixture.other_agent,
            ..ladder_store::records::training(&app.db, app.fixture.agent).await.unwrap().remove(0)
        };
        ladder_store::records::add_training(&app.db, &course).await.unwrap();
        let err = ladder_store::person_record::import(&app.db, &parsed, Some("E2")).await.unwrap_err();
        assert!(err.to_string().contains("already has a record"), "training counts: {err}");
        // Nor one with only a goal of their own.
        let leader = app.fixture.leader;
        let goal = ladder_store::career_goals::of_employee(&app.db, app.fixture.agent).await.unwrap().remove(0);
        let fields = ladder_store::career_goals::GoalFields {
            milestone_role: goal.milestone_role,
            title: goal.title,
            note: goal.note,
            due_on: goal.due_on,
            done_on: goal.done_on,
        };
        let caps = ladder_server::service::career_goals::CAPS;
        ladder_store::career_goals::add(&app.db, leader, &fields, None, caps, Utc::now()).await.unwrap();
        let err = ladder_store::person_record::import(&app.db, &parsed, Some("L1")).await.unwrap_err();
        assert!(err.to_string().contains("already has a record"), "a goal counts: {err}");
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
        assert!(ladder_store::person_record::import(&app.db, &r, None).await.is_err());
        assert!(matches!(
            ladder_store::org::employee_by_code(&app.db, "NEW1").await,
            Err(ladder_store::StoreError::NotFound)
        ));
    })
    .await;
}

/// The log titles in a leaver's ZIP.
async fn titles_in(res: reqwest::Response) -> Vec<String> {
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut json = Vec::new();
    zip.by_name("record.json").unwrap().read_to_end(&mut json).unwrap();
    record::parse(&json).unwrap().log.into_iter().map(|l| l.title).collect()
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"_csrf\" value=\"").expect("a form with a CSRF field") + 20;
    html[at..].split('"').next().unwrap().to_string()
}

/// Posts a leaver link's form (the page's token, and a password if given).
async fn take_link(client: &reqwest::Client, url: &str, password: Option<&str>) -> reqwest::Response {
    let page = client.get(url).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let mut form = vec![("_csrf", csrf.as_str())];
    form.extend(password.map(|p| ("password", p)));
    client.post(url).form(&form).send().await.unwrap()
}

#[tokio::test]
async fn a_leavers_link_shows_a_page_and_downloads_once_within_its_window() {
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
        assert!(token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()), "a 256-bit secret: {token}");
        let url = format!("{}{path}", app.base);

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

        // Opening the link (as a link preview would) shows what it gives and until when, twice.
        let anonymous = app.client();
        for _ in 0..2 {
            let res = anonymous.get(&url).send().await.unwrap();
            assert_eq!(res.status(), 200);
            let page = res.text().await.unwrap();
            assert!(page.contains(&expires.format("%-d %B %Y, %H:%M UTC").to_string()), "{page}");
            assert!(page.contains("works once") && page.contains("record.json"), "{page}");
            assert!(page.contains("name=\"password\""), "a person with a password may type it: {page}");
        }
        // A wrong password is refused on the page, and the link still works.
        let wrong = take_link(&anonymous, &url, Some("not my password at all")).await;
        assert_eq!(wrong.status(), 401);
        assert!(wrong.text().await.unwrap().contains("wrong password"));
        assert_eq!(anonymous.get(&url).send().await.unwrap().status(), 200);
        // A password set after the close (an administrator resetting the closed account) is not
        // the person's: it unlocks nothing, and the link still works.
        let reset = "UPDATE users SET password_hash = $2 WHERE employee_id = $1";
        let new_hash = ladder_server::auth::hash_password("an administrator's new password").unwrap();
        on_db!(&app.db, p => sqlx::query(reset).bind(e).bind(&new_hash).execute(p).await.map(drop).unwrap());
        let reset_try = take_link(&anonymous, &url, Some("an administrator's new password")).await;
        assert_eq!(reset_try.status(), 401, "only the password the person had when they left counts");
        assert_eq!(anonymous.get(&url).send().await.unwrap().status(), 200);
        // The person's own password gives the private entries too; then the link is spent.
        let mut titles = titles_in(take_link(&anonymous, &url, Some(crate::common::PASSWORD)).await).await;
        titles.sort();
        assert_eq!(titles, vec!["Cut repeat calls".to_string(), "Private worry".to_string()]);
        // The form token is the browser's, not the page's: a second post is the link's refusal.
        let csrf = csrf_of(&anonymous.get(format!("{}/signin", app.base)).send().await.unwrap().text().await.unwrap());
        let again = anonymous.post(&url).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(again.status(), 410);
        let page = anonymous.get(&url).send().await.unwrap();
        assert_eq!(page.status(), 410, "a link works once");
        assert!(page.text().await.unwrap().contains("This link no longer works"));

        // Without a password (as HR could): the shared entries only, once.
        let hash = ladder_server::auth::hash_secret("cd34");
        ladder_store::leaver_links::create(&app.db, e, &hash, None, Utc::now() + Duration::minutes(5)).await.unwrap();
        let shared = format!("{}/leaver/cd34", app.base);
        let csrf = csrf_of(&anonymous.get(&shared).send().await.unwrap().text().await.unwrap());
        let form = [("_csrf", csrf.as_str()), ("password", "")];
        assert_eq!(titles_in(anonymous.post(&shared).form(&form).send().await.unwrap()).await, ["Cut repeat calls"]);
        assert_eq!(anonymous.post(&shared).form(&form).send().await.unwrap().status(), 410, "a link works once");

        // A link past its window does not work, even unused; nor a made-up one.
        let hash = ladder_server::auth::hash_secret("ab12");
        ladder_store::leaver_links::create(&app.db, e, &hash, None, Utc::now() - Duration::minutes(1)).await.unwrap();
        let late = format!("{}/leaver/ab12", app.base);
        assert_eq!(anonymous.get(&late).send().await.unwrap().status(), 410);
        assert_eq!(anonymous.post(&late).form(&form).send().await.unwrap().status(), 410);
        let made_up = format!("{}/leaver/{}", app.base, "0".repeat(64));
        assert_eq!(anonymous.get(&made_up).send().await.unwrap().status(), 410);

        // Wrong passwords are throttled like sign-ins (5 by default): then even the right one
        // waits, and the link is still unspent.
        let hash = ladder_server::auth::hash_secret("ef56");
        ladder_store::leaver_links::create(&app.db, e, &hash, None, Utc::now() + Duration::minutes(5)).await.unwrap();
        let guessed = format!("{}/leaver/ef56", app.base);
        for _ in 0..5 {
            assert_eq!(take_link(&anonymous, &guessed, Some("a guess, wrong")).await.status(), 401);
        }
        assert_eq!(take_link(&anonymous, &guessed, Some(crate::common::PASSWORD)).await.status(), 429);
        assert_eq!(anonymous.get(&guessed).send().await.unwrap().status(), 200);

        // Only HR and administrators close accounts.
        let leader = app.sign_in(Persona::Leader).await;
        let other = app.fixture.other_agent;
        assert_eq!(leader.post(&format!("/api/v1/employees/{other}/leave"), serde_json::json!({})).await.status(), 403);
    })
    .await;
}

#[tokio::test]
async fn a_leaver_without_a_password_is_not_asked_for_one() {
    each_app(async |app| {
        fill(&app).await;
        let e = app.fixture.far_agent;
        let hr = app.sign_in(Persona::Hr).await;
        let res = hr.post(&format!("/api/v1/employees/{e}/leave"), serde_json::json!({})).await;
        assert_eq!(res.status(), 200);
        let link: Value = res.json().await.unwrap();
        let url = link["link"].as_str().unwrap();
        let url = format!("{}{}", app.base, &url[url.find("/leaver/").unwrap()..]);
        let client = app.client();
        let page = client.get(&url).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("name=\"password\""), "{page}");
        // A password typed anyway names the field and spends nothing.
        let res = take_link(&client, &url, Some("something")).await;
        assert_eq!(res.status(), 422);
        assert_eq!(client.get(&url).send().await.unwrap().status(), 200);
        assert_eq!(take_link(&client, &url, None).await.status(), 200);
    })
    .await;
}

#[tokio::test]
async fn hr_closes_no_hr_or_admin_account_nobody_closes_the_last_admin_and_a_close_happens_once() {
    use ladder_core::access::Access;
    use ladder_store::leaver_links::{close_as_leaver, Leaver, ALREADY_LEFT, LAST_ADMIN};
    each_app(async |app| {
        let f = app.fixture.clone();
        let user = |email: &'static str, access, employee| ladder_store::users::NewUser {
            organisation_id: f.organisation,
            email,
            name: "Staff",
            access,
            employee_id: Some(employee),
            password_hash: None,
        };
        ladder_store::users::create_user(&app.db, &user("hr2@example.com", Access::Hr, f.far_agent)).await.unwrap();
        // The other team's agent's account becomes an administrator's.
        let promote = "UPDATE users SET access = 'admin' WHERE id = $1";
        let other_user = f.users[&Persona::OtherTeamAgent];
        ladder_store::on_db!(&app.db, p => {
            sqlx::query(promote).bind(other_user).execute(p).await.unwrap();
        });
        let hr = app.sign_in(Persona::Hr).await;
        for (who, e) in [("an HR account", f.far_agent), ("an admin account", f.other_agent)] {
            let res = hr.post(&format!("/api/v1/employees/{e}/leave"), serde_json::json!({})).await;
            assert_eq!(res.status(), 403, "HR may not close {who}");
        }
        let admin = app.sign_in(Persona::Admin).await;
        let res = admin.post(&format!("/api/v1/employees/{}/leave", f.far_agent), serde_json::json!({})).await;
        assert_eq!(res.status(), 200, "an administrator may close an HR account");
        let spells = ladder_store::org::role_history(&app.db, f.far_agent).await.unwrap();
        assert!(spells.iter().all(|s| s.to_date.is_some()), "the open role spell ends: {spells:?}");
        let sql = "SELECT COUNT(*) FROM audit_log WHERE entity = 'employee' AND action = 'leave'";
        let audited: i64 = ladder_store::on_db!(&app.db, p => sqlx::query_scalar(sql).fetch_one(p).await.unwrap());
        assert_eq!(audited, 1);

        // With the fixture's administrator disabled, the one left is the last: not closed.
        let disable = "UPDATE users SET disabled = $2 WHERE id = $1";
        let fixture_admin = f.users[&Persona::Admin];
        ladder_store::on_db!(&app.db, p => {
            sqlx::query(disable).bind(fixture_admin).bind(true).execute(p).await.unwrap();
        });
        let leaver = |employee, token: &str| Leaver {
            employee,
            left_on: day(2026, 3, 1),
            token_hash: ladder_server::auth::hash_secret(token),
            by: None,
            expires_at: Utc::now() + Duration::days(1),
        };
        let err = close_as_leaver(&app.db, &leaver(f.other_agent, "aa")).await.unwrap_err();
        assert!(err.to_string().contains(LAST_ADMIN), "{err}");
        assert!(ladder_store::org::employee(&app.db, f.other_agent).await.unwrap().active, "nothing changed");

        // A second close of the same person (two at once, the later one) is a conflict, not a second link.
        close_as_leaver(&app.db, &leaver(f.agent, "bb")).await.unwrap();
        let err = close_as_leaver(&app.db, &leaver(f.agent, "cc")).await.unwrap_err();
        assert!(err.to_string().contains(ALREADY_LEFT), "{err}");
    })
    .await;
}
