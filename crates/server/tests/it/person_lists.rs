//! Issue 25 for one person's lists, on both databases: the log, check-ins, coaching notes,
//! training, the audit trail, pulses, API tokens, identities, skill assessments, saved job
//! searches, outside applications and the queues (check-ins waiting for a leader, applications)
//! each come a page at a time; so do certifications, reminders, the to-verify and to-confirm
//! queues, the openings matched to one, mentoring requests, reminder e-mail settings and the
//! catalogues (explorer, job market, learning). The pages add up to `total`, hold nothing twice,
//! run in the order of one long page, and a made-up cursor or an unknown parameter is a 422 naming it.

use std::collections::HashSet;

use chrono::{Days, NaiveDate, Utc};
use ladder_store::audit::{self, Change};
use ladder_store::records::{
    add_accomplishment, add_coaching_note, submit_checkin, NewAccomplishment, NewCheckin, NewCoachingNote,
};
use ladder_store::wellbeing::pulse::{self, Answer};
use serde_json::{json, Value};

use crate::common::{day, each_app, Persona, Session};

const POSTINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/it/fixtures/postings/");

/// Walks every page of `path` at `limit` a page and checks them against one long page: the
/// same items in the same order, none twice (by `key`), each page saying the same total.
/// Returns the items.
async fn walk_all(s: &Session, path: &str, limit: u32, key: &str) -> Vec<Value> {
    let join = if path.contains('?') { '&' } else { '?' };
    let whole = s.get_json(&format!("{path}{join}limit=500"), 200).await;
    let total = whole["total"].as_u64().unwrap();
    assert!(whole["next"].is_null(), "{path}: one long page holds them all: {whole}");
    let (mut items, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let after = cursor.as_ref().map_or(String::new(), |c| format!("&cursor={c}"));
        let page = s.get_json(&format!("{path}{join}limit={limit}{after}"), 200).await;
        let got = page["items"].as_array().unwrap();
        assert!(got.len() <= limit as usize, "{path}: {page}");
        assert_eq!(page["total"].as_u64(), Some(total), "{path}: every page says the same total");
        items.extend(got.iter().cloned());
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(items.len() as u64, total, "{path}: the pages add up to the total");
    // An empty key: the whole item is its own key (a list whose rows share no id field).
    let keys: HashSet<String> =
        items.iter().map(|i| if key.is_empty() { i.to_string() } else { i[key].to_string() }).collect();
    assert_eq!(keys.len(), items.len(), "{path}: nothing twice");
    assert_eq!(Value::Array(items.clone()), whole["items"], "{path}: the order of one long page");
    items
}

/// A made-up cursor and an unknown parameter are 422s naming `cursor` and the parameter.
async fn refuses_bad_queries(s: &Session, path: &str) {
    // `zz` is no hex; `5b5d` is hex of `[]`, JSON that is no list's key.
    let queries = [("cursor=zz", "cursor"), ("cursor=5b5d", "cursor"), ("limit=501", "limit"), ("bogus=1", "bogus")];
    for (query, field) in queries {
        let res = s.get(&format!("{path}?{query}")).await;
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or_default();
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some(field)), "{path}?{query}: {body}");
    }
}

#[tokio::test]
async fn each_of_a_persons_lists_pages_by_cursor_to_its_total() {
    each_app(async |app| {
        let f = &app.fixture;
        let e = f.agent;
        let agent = app.sign_in(Persona::Agent).await;
        let leader = app.sign_in(Persona::Leader).await;
        let hr = app.sign_in(Persona::Hr).await;

        // The log: two entries share a date, so the id breaks the tie.
        let log = format!("/api/v1/employees/{e}/accomplishments");
        for (date, title) in [("2026-01-03", "A"), ("2026-01-05", "B"), ("2026-01-05", "C"), ("2026-02-01", "D")] {
            let entry = json!({ "date": date, "title": title, "shared": true });
            assert_eq!(agent.post(&log, entry).await.status(), 201);
        }
        let entries = walk_all(&agent, &log, 1, "id").await;
        let dates: Vec<&str> = entries.iter().map(|a| a["date"].as_str().unwrap()).collect();
        assert_eq!(dates, ["2026-02-01", "2026-01-05", "2026-01-05", "2026-01-03"], "newest first");
        // A filter pages too, and its total counts only what it matches.
        let january = walk_all(&agent, &format!("{log}?to=2026-01-31"), 2, "id").await;
        assert_eq!(january.len(), 3);

        // Check-ins over five months, none acknowledged: the person's list and the leader's queue.
        for month in 1..=5 {
            let c =
                NewCheckin { month: day(2025, month, 1), highlights: format!("month {month}"), ..Default::default() };
            submit_checkin(&app.db, e, &c).await.unwrap();
        }
        let checkins = walk_all(&leader, &format!("/api/v1/employees/{e}/checkins"), 2, "id").await;
        assert_eq!(checkins[0]["month"], "2025-05-01", "newest month first");
        assert_eq!(walk_all(&leader, "/api/v1/checkins/pending", 2, "id").await.len(), 5);

        // Coaching notes, training (some undated), pulses, tokens, identities, audit entries.
        let follow_up = (Utc::now().date_naive() + Days::new(14)).to_string();
        for metric in ["aht", "csat", "well-being"] {
            let note = json!({ "metric": metric, "note": format!("work on {metric}"), "follow_up": follow_up });
            assert!(leader.post(&format!("/api/v1/employees/{e}/coaching-notes"), note).await.status().is_success());
        }
        walk_all(&agent, &format!("/api/v1/employees/{e}/coaching-notes"), 2, "id").await;

        let training = format!("/api/v1/employees/{e}/training");
        for (title, due) in [("Excel", Some("2026-05-01")), ("Empathy", None), ("Voice", Some("2026-02-01"))] {
            let mut item = json!({ "kind": "course", "title": title, "status": "planned" });
            if let Some(due) = due {
                item["due_date"] = json!(due);
            }
            assert_eq!(agent.post(&training, item).await.status(), 201);
        }
        let titles: Vec<String> =
            walk_all(&agent, &training, 1, "id").await.iter().map(|t| t["title"].as_str().unwrap().into()).collect();
        assert_eq!(titles, ["Empathy", "Voice", "Excel"], "undated first, then by day");

        let monday = |d: u32| NaiveDate::from_ymd_opt(2026, 2, d).unwrap();
        for week in [monday(2), monday(9), monday(16)] {
            let answer = Answer { week, energy: 3, stress: 3, sleep: 3, note: None };
            pulse::save(&app.db, e, &answer, Utc::now()).await.unwrap();
        }
        let weeks = walk_all(&agent, "/api/v1/me/pulse", 2, "week").await;
        assert_eq!(weeks[0]["week"], "2026-02-16", "newest week first");

        for name in ["one", "two", "three"] {
            assert_eq!(agent.post("/api/v1/me/tokens", json!({ "name": name })).await.status(), 201);
        }
        assert_eq!(walk_all(&agent, "/api/v1/me/tokens", 2, "id").await.len(), 3);

        for platform in ["genesys", "five9", "wfm"] {
            let path = format!("/api/v1/employees/{e}/identities/{platform}");
            assert_eq!(hr.put(&path, json!({ "identifier": format!("ana-{platform}") })).await.status(), 200);
        }
        let identities = format!("/api/v1/employees/{e}/identities");
        assert_eq!(walk_all(&leader, &identities, 1, "platform").await.len(), 3);

        for i in 0..4 {
            let change = Change {
                actor_id: None,
                entity: "kra-plan",
                entity_id: format!("employee:{e}/2026/{i}"),
                action: "update",
                before: None,
                after: Some(json!({ "i": i })),
            };
            audit::record(&app.db, change).await.unwrap();
        }
        let trail = walk_all(&leader, &format!("/api/v1/employees/{e}/audit"), 3, "id").await;
        assert!(trail.len() >= 4, "{trail:?}");
        let ids: Vec<i64> = trail.iter().map(|a| a["id"].as_i64().unwrap()).collect();
        assert!(ids.is_sorted_by(|a, b| a > b), "newest first: {ids:?}");

        // Skill assessments, saved job searches, outside applications.
        let framework = agent.get_json("/api/v1/framework", 200).await;
        for skill in framework["skill"].as_array().unwrap().iter().take(3) {
            let path = format!("/api/v1/employees/{e}/skills/{}/assessments", skill["id"].as_str().unwrap());
            assert_eq!(agent.post(&path, json!({ "level": 3 })).await.status(), 201);
        }
        let skills = format!("/api/v1/employees/{e}/skills");
        assert_eq!(walk_all(&agent, &skills, 2, "id").await.len(), 3);
        for name in ["Remote", "Nights", "Chat"] {
            let search = json!({ "name": name, "query": format!("q={name}") });
            assert_eq!(agent.post("/api/v1/me/job-searches", search).await.status(), 201);
            let tracked = json!({ "title": format!("{name} agent") });
            assert_eq!(agent.post("/api/v1/me/outside-applications", tracked).await.status(), 201);
        }
        assert_eq!(walk_all(&agent, "/api/v1/me/job-searches", 2, "id").await.len(), 3);
        assert_eq!(walk_all(&agent, "/api/v1/me/outside-applications", 2, "id").await.len(), 3);

        for path in [
            skills,
            "/api/v1/me/applications".into(),
            "/api/v1/me/applications-to-endorse".into(),
            "/api/v1/me/job-searches".into(),
            "/api/v1/me/outside-applications".into(),
        ] {
            refuses_bad_queries(&agent, &path).await;
        }
        for path in [
            log,
            format!("/api/v1/employees/{e}/checkins"),
            format!("/api/v1/employees/{e}/coaching-notes"),
            training,
            format!("/api/v1/employees/{e}/audit"),
            identities,
            "/api/v1/checkins/pending".into(),
        ] {
            refuses_bad_queries(&leader, &path).await;
        }
        refuses_bad_queries(&agent, "/api/v1/me/pulse").await;
        refuses_bad_queries(&agent, "/api/v1/me/tokens").await;
    })
    .await;
}

/// The log page: 50 entries at a time, how many in all, "Older entries" by cursor and back to
/// the newest; a made-up cursor is refused.
#[tokio::test]
async fn the_log_page_pages_by_cursor_and_says_how_many_in_all() {
    each_app(async |app| {
        let e = app.fixture.agent;
        for i in 0..52 {
            let entry = NewAccomplishment {
                date: day(2025, 1, 1) + Days::new(i),
                title: format!("Entry number {i:02}"),
                ..Default::default()
            };
            add_accomplishment(&app.db, e, &entry).await.unwrap();
        }
        let agent = app.sign_in(Persona::Agent).await;
        let res = agent.get("/log").await;
        assert_eq!(res.status(), 200);
        let first = res.text().await.unwrap();
        assert!(first.contains("52 entries in all"), "{first}");
        assert!(first.contains("Entry number 51") && !first.contains("Entry number 01"), "newest 50 first");
        assert!(!first.contains("Newest entries"), "the first page links no further back");
        let older = first.split("href=\"").find(|s| s.starts_with("/log?cursor=")).expect("an Older entries link");
        let older = older.split('"').next().unwrap().replace("&amp;", "&");
        let second = agent.get(&older).await.text().await.unwrap();
        assert!(second.contains("Entry number 01") && second.contains("Entry number 00"), "{second}");
        assert!(!second.contains("Entry number 02") && second.contains("Newest entries"), "{second}");
        assert_eq!(agent.get("/log?cursor=zz").await.status(), 422);
    })
    .await;
}

/// Certifications, reminders, the to-verify and to-confirm queues, matched openings and
/// mentoring requests: each pages by cursor to its total.
#[tokio::test]
async fn certifications_reminders_queues_openings_and_mentoring_page_by_cursor() {
    each_app(async |app| {
        let f = &app.fixture;
        let e = f.agent;
        let (agent, leader, hr) =
            (app.sign_in(Persona::Agent).await, app.sign_in(Persona::Leader).await, app.sign_in(Persona::Hr).await);
        let framework = agent.get_json("/api/v1/framework", 200).await;

        // Three certifications earned with evidence: the person's list and the leader's queue.
        let certifications = format!("/api/v1/employees/{e}/certifications");
        for cert in framework["certification"].as_array().unwrap().iter().take(3) {
            let earned = json!({ "certification_id": cert["id"], "status": "earned", "earned_date": "2026-01-10",
                "evidence_url": "https://certs.example.com/ana" });
            assert_eq!(agent.post(&certifications, earned).await.status(), 200);
        }
        let ids: Vec<String> = walk_all(&agent, &certifications, 2, "certification_id")
            .await
            .iter()
            .map(|c| c["certification_id"].as_str().unwrap().into())
            .collect();
        assert!(ids.len() == 3 && ids.is_sorted(), "by certification id: {ids:?}");
        assert_eq!(walk_all(&leader, "/api/v1/certifications/to-verify", 2, "certification_id").await.len(), 3);

        // Three self-ratings waiting for the leader.
        for skill in framework["skill"].as_array().unwrap().iter().take(3) {
            let path = format!("/api/v1/employees/{e}/skills/{}/assessments", skill["id"].as_str().unwrap());
            assert_eq!(agent.post(&path, json!({ "level": 3 })).await.status(), 201);
        }
        let waiting = walk_all(&leader, "/api/v1/skills/to-confirm", 2, "skill_id").await;
        let rated: Vec<&str> = waiting.iter().map(|r| r["rated_at"].as_str().unwrap()).collect();
        assert!(waiting.len() == 3 && rated.is_sorted(), "oldest first: {rated:?}");

        // This month's check-in due and two follow-ups: three reminders, in that order.
        let follow_up = (Utc::now().date_naive() + Days::new(7)).to_string();
        for metric in ["aht", "csat"] {
            let note = json!({ "metric": metric, "note": format!("work on {metric}"), "follow_up": follow_up });
            assert!(leader.post(&format!("/api/v1/employees/{e}/coaching-notes"), note).await.status().is_success());
        }
        let reminders = walk_all(&agent, &format!("/api/v1/employees/{e}/reminders"), 1, "").await;
        assert_eq!(reminders[0]["kind"], "checkin-due", "{reminders:?}");
        assert_eq!(reminders.iter().filter(|r| r["kind"] == "follow-up").count(), 2, "{reminders:?}");

        // Three openings the agent is not eligible for, newest first; two mentoring requests.
        for hours in [38, 40, 42] {
            let (status, posted) = post_opening(&app, &hr, hours).await;
            assert_eq!(status, 200, "{posted}");
        }
        let openings = walk_all(&agent, "/api/v1/me/openings?all=true", 2, "").await;
        let ids: Vec<i64> = openings.iter().map(|o| o["opening"]["id"].as_i64().unwrap()).collect();
        assert!(ids.len() == 3 && ids.is_sorted_by(|a, b| a > b), "the same standing, newest first: {ids:?}");
        let ask = json!({ "kind": "mentor", "target_role": "team-leader" });
        assert_eq!(agent.post(&format!("/api/v1/employees/{e}/mentoring"), ask.clone()).await.status(), 201);
        let other = app.sign_in(Persona::OtherTeamAgent).await;
        assert_eq!(other.post(&format!("/api/v1/employees/{}/mentoring", f.other_agent), ask).await.status(), 201);
        assert_eq!(walk_all(&hr, "/api/v1/mentoring", 1, "id").await.len(), 2);

        for path in [certifications, format!("/api/v1/employees/{e}/reminders"), "/api/v1/me/openings".into()] {
            refuses_bad_queries(&agent, &path).await;
        }
        for path in ["/api/v1/certifications/to-verify", "/api/v1/skills/to-confirm", "/api/v1/mentoring"] {
            refuses_bad_queries(&leader, path).await;
        }
    })
    .await;
}

/// HR posts an opening for a senior agent, told apart by its weekly hours.
async fn post_opening(app: &crate::common::TestApp, hr: &Session, hours_per_week: u32) -> (u16, Value) {
    let f = &app.fixture;
    let body = json!({
        "role_id": "senior-agent", "site_id": f.sites[0], "account_id": f.accounts[0], "team_id": f.teams[1].0,
        "headcount": 1, "shift": "night", "shift_hours": "22:00–07:00, Monday to Friday",
        "hours_per_week": hours_per_week, "arrangement": "remote", "pay_min": 2_500_000, "pay_max": 3_200_000,
        "currency": "PHP", "description": "Take escalations.", "closing_date": "2099-12-31", "published": true,
    });
    let res = hr.post("/api/v1/openings", body).await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The catalogues and settings: the explorer's roles, certifications and industries, the job
/// market by role, the learning catalogue, one's learning gaps and reminder e-mail settings.
#[tokio::test]
async fn the_catalogues_and_settings_page_by_cursor_in_their_own_order() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Persona::Agent).await;
        // Postings for more than one role, for the market.
        let hr = app.sign_in(Persona::Hr).await;
        for name in ["careers_graph.jsonld", "board_array.json", "board_export.csv"] {
            let text = std::fs::read_to_string(format!("{POSTINGS}{name}")).unwrap();
            let (status, report) = hr.upload(&format!("/api/v1/jobs/postings/import?name={name}"), &text).await;
            assert_eq!(status, 200, "{name}: {report}");
        }
        let plan = json!({ "target_role": "team-leader", "horizon_years": 5 });
        assert_eq!(agent.put(&format!("/api/v1/employees/{e}/career-plan"), plan).await.status(), 200);
        let gaps = format!("/api/v1/employees/{e}/learning");
        for (path, key) in [
            ("/api/v1/explore/roles", "id"),
            ("/api/v1/explore/certifications", "id"),
            ("/api/v1/explore/industries", "id"),
            ("/api/v1/jobs/market", "role"),
            ("/api/v1/learning/items", "key"),
            (gaps.as_str(), "id"),
            ("/api/v1/me/mail", "kind"),
        ] {
            let total = agent.get_json(path, 200).await["total"].as_u64().unwrap();
            assert!(total >= 2, "{path}: more than one page to walk");
            // About three pages, whatever the list's length.
            walk_all(&agent, path, (total / 3).max(1) as u32, key).await;
            refuses_bad_queries(&agent, path).await;
        }
        let roles = walk_all(&agent, "/api/v1/explore/roles", 4, "id").await;
        let entry: Vec<bool> = roles.iter().map(|r| r["entry"].as_bool().unwrap()).collect();
        assert!(entry.is_sorted_by(|a, b| a >= b), "entry roles first, across pages: {entry:?}");
    })
    .await;
}

/// The check-in page: the history 24 months at a time, how many in all, "Older check-ins" by
/// cursor and back to the newest; coaching notes past a page's most say how many are shown.
#[tokio::test]
async fn the_checkin_page_pages_its_history_and_says_when_notes_are_cut() {
    each_app(async |app| {
        let f = &app.fixture;
        let e = f.agent;
        // Thirty months, from January 2020; none this month.
        for i in 0..30 {
            let month = day(2020, 1, 1).checked_add_months(chrono::Months::new(i)).unwrap();
            let c = NewCheckin { month, highlights: format!("month {i}"), ..Default::default() };
            submit_checkin(&app.db, e, &c).await.unwrap();
        }
        let leader = f.users[&Persona::Leader];
        for i in 0..501 {
            let note = NewCoachingNote { metric: "aht".into(), note: format!("note {i}"), follow_up: day(2026, 1, 1) };
            add_coaching_note(&app.db, e, leader, &note).await.unwrap();
        }
        let agent = app.sign_in(Persona::Agent).await;
        let first = agent.get("/checkin").await.text().await.unwrap();
        assert!(first.contains("1–24 of 30, newest first") && first.contains(">2022-06<"), "{first}");
        assert!(first.contains(">2020-07<") && !first.contains(">2020-06<"), "the 24 newest first");
        assert!(!first.contains("Newest check-ins"), "the first page links no further forward");
        assert!(first.contains("the newest 500 of 501"), "the notes say they are cut");
        let older =
            first.split("href=\"").find(|s| s.starts_with("/checkin?cursor=")).expect("an Older check-ins link");
        let older = older.split('"').next().unwrap().replace("&amp;", "&").replace("&#38;", "&");
        let second = agent.get(&older).await.text().await.unwrap();
        assert!(
            second.contains("25–30 of 30") && second.contains(">2020-06<") && second.contains(">2020-01<"),
            "{second}"
        );
        assert!(!second.contains(">2020-07<") && second.contains("Newest check-ins"), "{second}");
        assert_eq!(agent.get("/checkin?cursor=zz").await.status(), 422);
        assert_eq!(agent.get("/checkin?page=2").await.status(), 422, "an unknown parameter");
    })
    .await;
}
