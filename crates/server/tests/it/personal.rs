//! A personal Ladder (issue 30, `ladder me`): from an empty database to a first month's score,
//! with the person as agent and their own admin, reviewing their own check-in; and the PDFs of
//! the packet and the career plan read back.

use chrono::{Datelike, Utc};
use ladder_core::period::Month;
use ladder_core::Framework;
use ladder_server::service::personal::{self, SetUp};
use ladder_server::state::Config;
use reqwest::Client;
use serde_json::{json, Value};

use crate::common::{self, Session};

const PASSWORD: &str = "a long personal passphrase";

fn ana() -> SetUp {
    SetUp {
        name: "Ana Reyes".into(),
        email: "ana@example.com".into(),
        password: PASSWORD.into(),
        role: "Customer Service Executive".into(),
        hire_date: common::day(2025, 1, 13),
        code: "me".into(),
        country: "Philippines".into(),
        timezone: "Asia/Manila".into(),
        employer: String::new(),
    }
}

async fn sign_in(base: &str, email: &str) -> Session {
    let client = Client::builder().cookie_store(true).build().unwrap();
    let res = client
        .post(format!("{base}/api/v1/session"))
        .json(&json!({ "email": email, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "sign in as {email}");
    let body: Value = res.json().await.unwrap();
    Session { client, csrf: body["csrf_token"].as_str().map(str::to_string), base: base.to_string() }
}

#[tokio::test]
async fn a_personal_ladder_goes_from_an_empty_database_to_a_first_months_score() {
    ladder_testkit::each_backend(async |test_db| {
        let (db, fw) = (test_db.db.clone(), Framework::default_framework());
        assert!(personal::is_empty(&db).await.unwrap());
        // Bad answers name their field and write nothing.
        let tomorrow = Utc::now().date_naive().succ_opt().unwrap();
        for (bad, field) in [
            (SetUp { name: " ".into(), ..ana() }, "name"),
            (SetUp { email: "ana".into(), ..ana() }, "email"),
            (SetUp { email: "@example.com".into(), ..ana() }, "email"),
            (SetUp { email: "ana@example".into(), ..ana() }, "email"),
            (SetUp { role: "astronaut".into(), ..ana() }, "role"),
            (SetUp { hire_date: tomorrow, ..ana() }, "hire_date"),
            (SetUp { timezone: "Mars/Olympus".into(), ..ana() }, "timezone"),
            (SetUp { code: "two words".into(), ..ana() }, "code"),
            (SetUp { password: "short".into(), ..ana() }, "password"),
            (SetUp { name: "x".repeat(500), ..ana() }, "name"),
            (SetUp { employer: "x".repeat(500), ..ana() }, "employer"),
        ] {
            let e = personal::set_up(&db, &fw, &bad).await.unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
        }
        assert!(personal::is_empty(&db).await.unwrap(), "a refused setup writes nothing");

        let ids = personal::set_up(&db, &fw, &ana()).await.unwrap();
        assert!(ladder_store::org::personal::is_personal(&db).await.unwrap());
        let again = personal::set_up(&db, &fw, &SetUp { email: "other@example.com".into(), ..ana() }).await;
        assert_eq!(again.unwrap_err().status, 409, "one organisation per database");

        let (base, server) = common::serve(&db, Config::default()).await;
        let ana = sign_in(&base, "ana@example.com").await;
        let me = ana.get_json("/api/v1/me", 200).await;
        assert_eq!((me["access"].as_str(), me["employee_id"].as_i64()), (Some("admin"), Some(ids.employee_id.0)), "{me}");
        let e = ids.employee_id;

        // She types her last full month's figures (self-entry is on in a personal Ladder).
        let month = Month::last_full(Utc::now().date_naive());
        let figures = json!([
            { "metric": "csat", "numerator": 45, "denominator": 50 },
            { "metric": "fcr", "numerator": 75, "denominator": 100 },
            { "metric": "aht", "numerator": 560 * 200, "denominator": 200 }
        ]);
        let res = ana.put(&format!("/api/v1/employees/{e}/actuals/{month}"), figures).await;
        assert_eq!(res.status(), 204, "{}", res.text().await.unwrap());
        let card = ana.get_json(&format!("/api/v1/employees/{e}/scorecard?month={month}"), 200).await;
        assert_eq!(card["month_state"]["state"], "scored", "{card}");
        assert!(card["scorecard"]["total"].as_f64().unwrap() > 0.0, "{card}");

        // A log entry, a plan, and a check-in she reviews herself.
        let entry = json!({ "date": month.first_day().with_day(20).unwrap().to_string(), "title": "Cut repeat calls by a fifth", "shared": true });
        assert_eq!(ana.post(&format!("/api/v1/employees/{e}/accomplishments"), entry).await.status(), 201);
        let plan = json!({ "target_role": "team-leader", "horizon_years": 5 });
        assert_eq!(ana.put(&format!("/api/v1/employees/{e}/career-plan"), plan).await.status(), 200);
        let checkin = json!({ "month": Month::of(Utc::now().date_naive()).to_string(), "highlights": "My first month on Ladder" });
        let res = ana.post(&format!("/api/v1/employees/{e}/checkins"), checkin).await;
        assert!(res.status().is_success(), "{}", res.status());
        let checkin: Value = res.json().await.unwrap();
        let ack = ana
            .post(&format!("/api/v1/employees/{e}/checkins/{}/acknowledge", checkin["id"]), json!({ "comment": "On track" }))
            .await;
        assert_eq!(ack.status(), 200, "she reviews her own check-in: {}", ack.text().await.unwrap());
        let checkins = ana.get_json(&format!("/api/v1/employees/{e}/checkins"), 200).await;
        assert!(checkins["items"][0]["acknowledged_at"].is_string(), "{checkins}");

        // The pages: home shows the month's score, the check-in page offers self-review.
        let home = ana.get("/home").await.text().await.unwrap();
        let total = format!("{:.1}", card["scorecard"]["total"].as_f64().unwrap());
        assert!(home.contains("Hello, Ana Reyes") && home.contains(&total), "home shows {total}: {home}");
        let page = ana.get("/checkin").await.text().await.unwrap();
        assert!(page.contains("Your check-in") && !page.contains("Waiting for your leader"), "{page}");

        // Grown into an organisation (a second person), nobody reviews themselves any more.
        let colleague = ladder_store::org::NewEmployee {
            code: "E2".into(),
            name: "Ben Cruz".into(),
            email: None,
            team_id: None,
            role_id: "customer-service-executive".into(),
            role_since: common::day(2025, 2, 1),
            hire_date: common::day(2025, 2, 1),
            manager_id: None,
        };
        let org = ladder_store::org::organisation(&db).await.unwrap().unwrap().0;
        ladder_store::org::create_employee(&db, org, &colleague).await.unwrap();
        assert!(!ladder_store::org::personal::is_personal(&db).await.unwrap());
        let ack = ana
            .post(&format!("/api/v1/employees/{e}/checkins/{}/acknowledge", checkin["id"]), json!({ "comment": "Again" }))
            .await;
        assert_eq!(ack.status(), 403, "no self-review once there are two: {}", ack.text().await.unwrap());
        server.abort();
    })
    .await;
}

/// The text of every page of a PDF, read back with a PDF library.
fn pdf_pages(bytes: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    // Whitespace collapsed: a table cell's text wraps onto several lines.
    let collapse = |t: String| t.split_whitespace().collect::<Vec<_>>().join(" ");
    pages.iter().map(|p| collapse(doc.extract_text(&[*p]).unwrap())).collect()
}

#[tokio::test]
async fn the_packet_and_the_plan_download_as_pdfs_with_their_text_for_whoever_sees_the_person() {
    common::each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(common::Persona::Agent).await;
        let plan = json!({ "target_role": "team-leader", "horizon_years": 5 });
        assert_eq!(agent.put(&format!("/api/v1/employees/{e}/career-plan"), plan).await.status(), 200);
        let entry = json!({ "date": "2026-03-10", "title": "Cut repeat calls by a fifth", "shared": true });
        assert_eq!(agent.post(&format!("/api/v1/employees/{e}/accomplishments"), entry).await.status(), 201);

        let leader = app.sign_in(common::Persona::Leader).await;
        let res = leader.get(&format!("/api/v1/employees/{e}/packet.pdf")).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert!(res.headers()["content-disposition"].to_str().unwrap().contains(".pdf"));
        let pages = pdf_pages(&res.bytes().await.unwrap());
        let text = pages.join("\n");
        let employee = app.sign_in(common::Persona::Agent).await.get_json(&format!("/api/v1/employees/{e}"), 200).await;
        let name = employee["name"].as_str().unwrap();
        for expected in [
            format!("Promotion packet: {name}"),
            "Customer Service Executive".to_string(),
            "KRA attainment, last 12 months".to_string(),
            "Cut repeat calls by a fifth".to_string(),
            "Leader's endorsement".to_string(),
        ] {
            assert!(text.contains(&expected), "{expected} in the packet: {text}");
        }
        assert!(pages[0].contains(&format!("page 1 of {}", pages.len())), "{}", pages[0]);
        assert!(!text.contains("? marks a character"), "Latin text loses nothing: {text}");
        // The next role's requirement lines, as the packet page lists them.
        let plan = agent.get_json(&format!("/api/v1/employees/{e}/career-plan"), 200).await;
        for item in plan["readiness"]["items"].as_array().unwrap() {
            let requirement = item["name"].as_str().unwrap();
            assert!(text.contains(requirement), "requirement {requirement}: {text}");
        }

        let res = agent.get("/plan.pdf").await;
        assert_eq!(res.status(), 200);
        let text = pdf_pages(&res.bytes().await.unwrap()).join("\n");
        for expected in [format!("Career plan: {name}"), "Team Leader".into(), "The path".into(), "Milestones".into()] {
            assert!(text.contains(&expected), "{expected} in the plan: {text}");
        }
        let res = agent.get(&format!("/api/v1/employees/{e}/career-plan.pdf")).await;
        assert_eq!(res.status(), 200);
        assert!(pdf_pages(&res.bytes().await.unwrap()).join("\n").contains("Career plan"));

        // The same access as the pages: another team's agent may not; the pages link the files.
        let other = app.sign_in(common::Persona::OtherTeamAgent).await;
        assert_eq!(other.get(&format!("/api/v1/employees/{e}/packet.pdf")).await.status(), 403);
        assert_eq!(other.get(&format!("/people/{e}/packet.pdf")).await.status(), 403);
        let page = leader.get(&format!("/people/{e}/packet")).await.text().await.unwrap();
        assert!(page.contains(&format!("href=\"/people/{e}/packet.pdf\"")), "{page}");
        assert!(agent.get("/plan").await.text().await.unwrap().contains("href=\"/plan.pdf\""));

        // A character the standard fonts lack becomes `?`, and the footer says so.
        let entry = json!({ "date": "2026-03-12", "title": "Coached 李明 on the recap script", "shared": true });
        assert_eq!(agent.post(&format!("/api/v1/employees/{e}/accomplishments"), entry).await.status(), 201);
        let res = leader.get(&format!("/api/v1/employees/{e}/packet.pdf")).await;
        let text = pdf_pages(&res.bytes().await.unwrap()).join("\n");
        assert!(text.contains("Coached ?? on") && text.contains("? marks a character"), "{text}");
    })
    .await;
}

#[tokio::test]
async fn a_personal_ladder_names_the_employer_given_in_the_record() {
    ladder_testkit::each_backend(async |test_db| {
        let (db, fw) = (test_db.db.clone(), Framework::default_framework());
        let ids =
            personal::set_up(&db, &fw, &SetUp { employer: " Acme Contact Centre ".into(), ..ana() }).await.unwrap();
        let record = ladder_store::person_record::read(&db, ids.employee_id).await.unwrap();
        let employers: Vec<&str> = record.work.iter().map(|w| w.organisation.as_str()).collect();
        assert_eq!(employers, vec!["Acme Contact Centre"], "the work history names the employer, trimmed");
    })
    .await;
}
