//! A person's own job hunt (issue 28): saved searches with "new since you last looked", and the
//! private tracker of outside applications. No one but the owner — not their leader, manager,
//! HR or an administrator — reads or changes either, through the API or the pages.

use crate::common;

use common::{each_app, Persona, Session};
use reqwest::Method;
use serde_json::{json, Value};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/it/fixtures/postings/");
const OTHERS: [Persona; 6] =
    [Persona::OtherTeamAgent, Persona::Leader, Persona::OtherLeader, Persona::Manager, Persona::Hr, Persona::Admin];

async fn import(s: &Session, name: &str) {
    let text = std::fs::read_to_string(format!("{FIXTURES}{name}")).unwrap();
    let (status, report) = s.upload(&format!("/api/v1/jobs/postings/import?name={name}"), &text).await;
    assert_eq!(status, 200, "{name}: {report}");
}

async fn send(s: &Session, method: Method, path: &str, body: Option<Value>, status: u16) -> Value {
    let res = s.request(method.clone(), path, body).await;
    assert_eq!(res.status().as_u16(), status, "{method} {path}");
    res.json().await.unwrap_or(Value::Null)
}

async fn form(s: &Session, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let mut body: Vec<(&str, &str)> = vec![("_csrf", s.csrf.as_deref().unwrap())];
    body.extend_from_slice(fields);
    let res = s.client.request(Method::POST, format!("{}{}", s.base, path)).form(&body).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn a_saved_search_counts_new_postings_until_it_is_run_and_only_its_owner_reaches_it() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let body =
            json!({ "name": "Remote chat", "query": "?arrangement=remote&channel=non-voice&signing_bonus=false" });
        let saved = send(&agent, Method::POST, "/api/v1/me/job-searches", Some(body), 201).await;
        assert_eq!(saved["query"], "arrangement=remote&channel=non-voice", "{saved}");
        assert_eq!(saved["new_since_looked"], 0);
        let id = saved["id"].as_i64().unwrap();

        import(&app.sign_in(Persona::Hr).await, "careers_graph.jsonld").await;
        let list = send(&agent, Method::GET, "/api/v1/me/job-searches", None, 200).await;
        assert_eq!(list["items"][0]["new_since_looked"], 1, "{list}");
        let run = send(&agent, Method::GET, &format!("/api/v1/me/job-searches/{id}/postings"), None, 200).await;
        assert_eq!(run["items"][0]["title"], "Chat Support Agent (Work From Home)", "{run}");
        let list = send(&agent, Method::GET, "/api/v1/me/job-searches", None, 200).await;
        assert_eq!(list["items"][0]["new_since_looked"], 0, "seen once run");

        for persona in OTHERS {
            let other = app.sign_in(persona).await;
            let theirs = send(&other, Method::GET, "/api/v1/me/job-searches", None, 200).await;
            assert_eq!(theirs, json!({ "items": [], "total": 0, "next": null }), "{persona:?}");
            send(&other, Method::GET, &format!("/api/v1/me/job-searches/{id}/postings"), None, 403).await;
            send(&other, Method::DELETE, &format!("/api/v1/me/job-searches/{id}"), None, 403).await;
            let html = other.get("/jobs").await.text().await.unwrap();
            assert!(!html.contains("Remote chat"), "{persona:?} sees the agent's saved search");
            assert_eq!(other.get(&format!("/jobs/searches/{id}")).await.status().as_u16(), 403, "{persona:?}");
        }
        send(&agent, Method::DELETE, &format!("/api/v1/me/job-searches/{id}"), None, 204).await;
        send(&agent, Method::DELETE, &format!("/api/v1/me/job-searches/{id}"), None, 404).await;
    })
    .await;
}

#[tokio::test]
async fn saved_searches_have_limits_that_name_the_field() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let long = "n".repeat(121);
        for (body, field) in [
            (json!({ "name": " ", "query": "" }), "name"),
            (json!({ "name": long, "query": "" }), "name"),
            (json!({ "name": "a\u{0}b", "query": "" }), "name"),
            (json!({ "name": "x", "query": "shift=graveyard" }), "shift"),
            (json!({ "name": "x", "query": "salary=1" }), "query"),
            (json!({ "name": "x", "query": "q=".to_string() + &"a".repeat(2001) }), "query"),
            // Short as sent, past the limit once each `é` is encoded as `%C3%A9`.
            (json!({ "name": "x", "query": format!("q={e}&company={e}&location={e}", e = "é".repeat(110)) }), "query"),
        ] {
            let e = send(&agent, Method::POST, "/api/v1/me/job-searches", Some(body.clone()), 422).await;
            assert_eq!(e["error"]["field"], field, "{body}: {e}");
        }
        for n in 0..20 {
            let body = json!({ "name": format!("search {n}"), "query": "shift=night" });
            send(&agent, Method::POST, "/api/v1/me/job-searches", Some(body), 201).await;
        }
        let body = json!({ "name": "one too many", "query": "" });
        let e = send(&agent, Method::POST, "/api/v1/me/job-searches", Some(body), 409).await;
        assert!(e["error"]["message"].as_str().unwrap().contains("20"), "{e}");
        // Someone else's limit is their own.
        let leader = app.sign_in(Persona::Leader).await;
        send(&leader, Method::POST, "/api/v1/me/job-searches", Some(json!({ "name": "mine", "query": "" })), 201).await;
    })
    .await;
}

#[tokio::test]
async fn the_outside_tracker_is_private_to_its_owner_on_every_endpoint_and_page() {
    each_app(async |app| {
        import(&app.sign_in(Persona::Hr).await, "careers_graph.jsonld").await;
        let agent = app.sign_in(Persona::Agent).await;
        let found = agent.get_json("/api/v1/jobs/postings?arrangement=remote", 200).await;
        let posting = found["items"][0]["id"].as_i64().unwrap();
        let from_posting = json!({ "posting_id": posting });
        let tracked = send(&agent, Method::POST, "/api/v1/me/outside-applications", Some(from_posting), 201).await;
        assert_eq!(tracked["title"], "Chat Support Agent (Work From Home)", "{tracked}");
        assert_eq!(tracked["stage"], "saved");
        assert!(tracked["saved_on"].is_string() && tracked["organisation"].is_string(), "{tracked}");
        let typed = json!({ "title": "Quality analyst at Zephyr", "organisation": "Zephyr Outsourcing",
            "url": "https://jobs.example.com/qa-42", "stage": "applied", "applied_on": "2026-11-02" });
        let typed = send(&agent, Method::POST, "/api/v1/me/outside-applications", Some(typed), 201).await;
        let id = typed["id"].as_i64().unwrap();
        let path = format!("/api/v1/me/outside-applications/{id}");

        for persona in OTHERS {
            let other = app.sign_in(persona).await;
            let list = send(&other, Method::GET, "/api/v1/me/outside-applications", None, 200).await;
            assert_eq!(list, json!({ "items": [], "total": 0, "next": null }), "{persona:?}");
            send(&other, Method::GET, &path, None, 403).await;
            send(&other, Method::PUT, &path, Some(json!({ "stage": "rejected" })), 403).await;
            send(&other, Method::DELETE, &path, None, 403).await;
            let (status, _) = form(&other, &format!("/jobs/tracker/{id}"), &[("stage", "rejected")]).await;
            assert_eq!(status, 403, "{persona:?} moves the agent's application by form");
            let (status, _) = form(&other, &format!("/jobs/tracker/{id}/delete"), &[]).await;
            assert_eq!(status, 403, "{persona:?}");
            for page in ["/jobs", "/jobs/tracker"] {
                let html = other.get(page).await.text().await.unwrap();
                assert!(
                    !html.contains("Zephyr") && !html.contains("app-"),
                    "{persona:?} sees the agent's tracker on {page}"
                );
            }
        }
        let still = send(&agent, Method::GET, &path, None, 200).await;
        assert_eq!((still["stage"].as_str(), still["applied_on"].as_str()), (Some("applied"), Some("2026-11-02")));
        assert_eq!(send(&agent, Method::GET, "/api/v1/me/outside-applications", None, 200).await["total"], 2);
    })
    .await;
}

#[tokio::test]
async fn stages_carry_their_dates_and_a_due_reminder_shows_on_the_jobs_page() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let today = chrono::Utc::now().date_naive().to_string();
        let body = json!({ "title": "Team lead, night shift", "organisation": "Acme Contact", "stage": "applied",
            "applied_on": "2026-10-01" });
        let t = send(&agent, Method::POST, "/api/v1/me/outside-applications", Some(body), 201).await;
        let path = format!("/api/v1/me/outside-applications/{}", t["id"]);
        let moved = json!({ "stage": "interview", "applied_on": "2026-10-01", "remind_on": today, "note": "Bring the KPI report" });
        let t = send(&agent, Method::PUT, &path, Some(moved), 200).await;
        assert_eq!((t["interview_on"].as_str(), t["applied_on"].as_str()), (Some(today.as_str()), Some("2026-10-01")));
        assert_eq!((t["title"].as_str(), t["reminder_due"].as_bool()), (Some("Team lead, night shift"), Some(true)));
        let html = agent.get("/jobs").await.text().await.unwrap();
        assert!(html.contains("Reminders due") && html.contains("Team lead, night shift"), "due on /jobs");
        let t = send(&agent, Method::PUT, &path, Some(json!({ "stage": "withdrawn", "remind_on": today })), 200).await;
        assert_eq!((t["closed_on"].as_str(), t["reminder_due"].as_bool()), (Some(today.as_str()), Some(false)));
        assert!(!agent.get("/jobs").await.text().await.unwrap().contains("Reminders due"));
        send(&agent, Method::DELETE, &path, None, 204).await;
    })
    .await;
}

#[tokio::test]
async fn a_stage_change_keeps_the_earlier_days_the_note_and_the_reminder_and_null_clears() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let body = json!({ "title": "QA analyst", "stage": "applied", "applied_on": "2026-10-01",
            "remind_on": "2026-10-08", "note": "Asked for Maria" });
        let t = send(&agent, Method::POST, "/api/v1/me/outside-applications", Some(body), 201).await;
        let path = format!("/api/v1/me/outside-applications/{}", t["id"]);
        let t = send(&agent, Method::PUT, &path, Some(json!({ "stage": "interview" })), 200).await;
        assert_eq!(t["applied_on"].as_str(), Some("2026-10-01"), "{t}");
        assert_eq!((t["note"].as_str(), t["remind_on"].as_str()), (Some("Asked for Maria"), Some("2026-10-08")));
        let t = send(&agent, Method::PUT, &path, Some(json!({ "note": "" , "remind_on": null })), 200).await;
        assert_eq!((t["stage"].as_str(), t["applied_on"].as_str()), (Some("interview"), Some("2026-10-01")));
        assert_eq!((t["note"].as_str(), t["remind_on"].as_str()), (None, None), "{t}");
    })
    .await;
}

#[tokio::test]
async fn every_tracker_field_has_a_limit_that_names_it() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        for (body, field) in [
            (json!({}), "title"),
            (json!({ "title": "t".repeat(201) }), "title"),
            (json!({ "title": "x", "organisation": "o".repeat(201) }), "organisation"),
            (json!({ "title": "x", "url": "javascript:alert(1)" }), "url"),
            (json!({ "title": "x", "url": format!("https://e.com/{}", "u".repeat(500)) }), "url"),
            (json!({ "title": "x", "note": "n".repeat(4001) }), "note"),
            (json!({ "title": "x", "stage": "hired" }), "stage"),
            (json!({ "title": "x", "remind_on": "1999-12-31" }), "remind_on"),
            (json!({ "title": "x", "applied_on": "2999-01-01" }), "applied_on"),
            (json!({ "posting_id": 999999 }), "posting_id"),
            (json!({ "title": "x", "salary": 1 }), "salary"),
        ] {
            let e = send(&agent, Method::POST, "/api/v1/me/outside-applications", Some(body.clone()), 422).await;
            let named = e["error"]["field"].as_str().map(str::to_string).unwrap_or_default();
            assert!(named == field || e["error"]["message"].as_str().unwrap_or("").contains(field), "{body}: {e}");
        }
        let (status, html) = form(&agent, "/jobs/tracker", &[("title", "x"), ("remind_on", "soon")]).await;
        assert_eq!(status, 422);
        assert!(html.contains("remind_on: a day as YYYY-MM-DD"), "the page names the field");
    })
    .await;
}

#[tokio::test]
async fn the_pages_save_a_search_and_track_a_posting() {
    each_app(async |app| {
        import(&app.sign_in(Persona::Hr).await, "careers_graph.jsonld").await;
        let agent = app.sign_in(Persona::Agent).await;
        let (status, html) = form(&agent, "/jobs/searches", &[("name", "Night work"), ("query", "shift=night")]).await;
        assert_eq!(status, 200);
        assert!(html.contains("Night work") && html.contains("since you last looked"), "listed after saving");
        let (status, html) = form(&agent, "/jobs/searches", &[("name", ""), ("query", "shift=night")]).await;
        assert_eq!(status, 422);
        assert!(html.contains("name: a name"), "{status}");

        let found = agent.get_json("/api/v1/jobs/postings", 200).await;
        let posting = found["items"][0]["id"].as_i64().unwrap().to_string();
        let (status, html) = form(&agent, "/jobs/tracker", &[("posting_id", &posting), ("stage", "saved")]).await;
        assert_eq!(status, 200);
        assert!(html.contains("Chat Support Agent (Work From Home)") && html.contains("only you see this page"));
        let list = send(&agent, Method::GET, "/api/v1/me/outside-applications", None, 200).await;
        let id = list["items"][0]["id"].as_i64().unwrap();
        let (status, _) =
            form(&agent, &format!("/jobs/tracker/{id}"), &[("stage", "offer"), ("note", "Offer: PHP 30k")]).await;
        assert_eq!(status, 200);
        let t = send(&agent, Method::GET, &format!("/api/v1/me/outside-applications/{id}"), None, 200).await;
        assert_eq!((t["stage"].as_str(), t["note"].as_str()), (Some("offer"), Some("Offer: PHP 30k")), "{t}");
        assert!(t["url"].is_string(), "the posting's link is kept: {t}");
        let (status, _) = form(&agent, &format!("/jobs/tracker/{id}/delete"), &[]).await;
        assert_eq!(status, 200);
        assert_eq!(send(&agent, Method::GET, "/api/v1/me/outside-applications", None, 200).await["total"], 0);
    })
    .await;
}
