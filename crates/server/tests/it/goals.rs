//! The long-term plan (issue 26): readiness for every step of the route to the target role, and
//! the person's own dated goals under each milestone — written by the person only, read by whoever
//! sees them, limited, audited, paged, on the pages and in home's to-dos.

use crate::common;

use chrono::{Duration, Utc};
use common::{each_app, Persona::*};
use reqwest::Method;
use serde_json::{json, Value};

/// The agent (customer service executive since 2024) aims at operations manager: via team leader.
async fn plan_two_steps(agent: &common::Session, e: ladder_core::EmployeeId) {
    let plan = json!({ "target_role": "operations-manager", "horizon_years": 5 });
    assert_eq!(agent.put(&format!("/api/v1/employees/{e}/career-plan"), plan).await.status(), 200);
}

fn item<'a>(step: &'a Value, id: &str) -> &'a Value {
    step["items"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap_or_else(|| panic!("no {id} in {step}"))
}

#[tokio::test]
async fn every_step_of_the_route_has_its_readiness_on_the_evidence_that_counts() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let (agent, leader) = (app.sign_in(Agent).await, app.sign_in(Leader).await);
        let before = agent.get_json(&format!("/api/v1/employees/{e}/career-plan"), 200).await;
        assert_eq!(before["steps"], json!([]), "no plan, no steps");
        plan_two_steps(&agent, e).await;
        // A self-rating is a claim: shown, not counted, on every step.
        let claim = json!({ "level": 5 });
        let res = agent.post(&format!("/api/v1/employees/{e}/skills/coaching/assessments"), claim).await;
        assert!(res.status().is_success());

        let view = agent.get_json(&format!("/api/v1/employees/{e}/career-plan"), 200).await;
        let steps = view["steps"].as_array().unwrap();
        assert_eq!(steps.len(), 2, "{view}");
        let roles: Vec<(&str, &str)> =
            steps.iter().map(|s| (s["from_role"].as_str().unwrap(), s["role"].as_str().unwrap())).collect();
        assert_eq!(roles, [("customer-service-executive", "team-leader"), ("team-leader", "operations-manager")]);
        // The first step is the next-role readiness, item for item.
        assert_eq!(steps[0]["items"], view["readiness"]["items"]);
        assert!(steps[0]["from_arrival"].is_null() && steps[1]["from_arrival"].is_string());
        for step in steps {
            let coaching = item(step, "coaching");
            assert_eq!(coaching["met"], false);
            assert!(coaching["gap"].as_str().unwrap().contains("self-rated 5, awaiting a leader's assessment"));
            assert!(["ready", "nearly-ready", "gaps"].contains(&step["standing"].as_str().unwrap()));
            assert!(step["summary"].as_str().unwrap().contains("Coaching"));
        }
        // Time as team leader is all ahead: 24 months once there.
        let tenure = item(&steps[1], "tenure");
        assert_eq!((tenure["name"].as_str(), tenure["met"].as_bool()), (Some("Time as Team Leader"), Some(false)));
        assert!(tenure["gap"].as_str().unwrap().starts_with("24 months as Team Leader once there"));
        // 24 months as a customer service executive already: the first step's tenure is met.
        assert_eq!(item(&steps[0], "tenure")["met"], true);

        // The leader's assessment counts, on both steps.
        let res =
            leader.post(&format!("/api/v1/employees/{e}/skills/coaching/assessments"), json!({ "level": 4 })).await;
        assert!(res.status().is_success());
        let view = leader.get_json(&format!("/api/v1/employees/{e}/career-plan"), 200).await;
        for step in view["steps"].as_array().unwrap() {
            assert_eq!(item(step, "coaching")["met"], true, "{step}");
            assert!(!step["summary"].as_str().unwrap().contains("Coaching"));
        }

        // The page shows each milestone's standing and what it asks.
        let page = agent.get("/plan").await.text().await.unwrap();
        assert!(page.contains("id=\"step-team-leader\"") && page.contains("id=\"step-operations-manager\""));
        assert!(page.contains("Time as Team Leader") && page.contains("What Operations Manager asks, judged today"));
        assert!(page.contains("Gaps to close") || page.contains("Nearly ready"));
    })
    .await;
}

async fn goal(s: &common::Session, e: ladder_core::EmployeeId, body: Value) -> reqwest::Response {
    s.post(&format!("/api/v1/employees/{e}/career-plan/goals"), body).await
}

async fn field_of(res: reqwest::Response) -> String {
    assert_eq!(res.status(), 422);
    res.json::<Value>().await.unwrap()["error"]["field"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn goals_are_added_ticked_reopened_edited_and_deleted_within_their_limits() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Agent).await;
        let today = Utc::now().date_naive();
        let soon = (today + Duration::days(7)).to_string();
        let ok = json!({ "milestone_role": "team-leader", "title": "Run a huddle", "due_on": soon });
        assert_eq!(field_of(goal(&agent, e, ok.clone()).await).await, "milestone_role", "no plan yet");
        plan_two_steps(&agent, e).await;

        let beyond = (today + Duration::days(5 * 366)).to_string();
        let long_ago = (today - Duration::days(3)).to_string();
        for (body, field) in [
            (json!({ "milestone_role": "head-of-operations", "title": "x", "due_on": soon }), "milestone_role"),
            (json!({ "milestone_role": "customer-service-executive", "title": "x", "due_on": soon }), "milestone_role"),
            (json!({ "milestone_role": "team-leader", "title": "  ", "due_on": soon }), "title"),
            (json!({ "milestone_role": "team-leader", "title": "x".repeat(201), "due_on": soon }), "title"),
            (
                json!({ "milestone_role": "team-leader", "title": "x", "note": "n".repeat(2001), "due_on": soon }),
                "note",
            ),
            (json!({ "milestone_role": "team-leader", "title": "x", "due_on": long_ago }), "due_on"),
            (json!({ "milestone_role": "team-leader", "title": "x", "due_on": beyond }), "due_on"),
            (json!({ "milestone_role": "team-leader", "title": "x", "due_on": "2026-13-01" }), "due_on"),
        ] {
            assert_eq!(field_of(goal(&agent, e, body.clone()).await).await, field, "{body}");
        }
        let res = goal(
            &agent,
            e,
            json!({ "milestone_role": "operations-manager", "title": "x".repeat(200),
            "note": "n".repeat(2000), "due_on": today }),
        )
        .await;
        assert_eq!(res.status(), 201, "the longest title and note, due today");
        let res = goal(&agent, e, ok.clone()).await;
        assert_eq!(res.status(), 201);
        let made = res.json::<Value>().await.unwrap();
        let id = made["id"].as_i64().unwrap();
        assert_eq!((made["milestone_role_name"].as_str(), made["done"].as_bool()), (Some("Team Leader"), Some(false)));
        assert_eq!((made["overdue"].as_bool(), made["on_route"].as_bool()), (Some(false), Some(true)));

        let path = format!("/api/v1/employees/{e}/career-plan/goals/{id}");
        let patch = |body: Value| agent.request(Method::PATCH, &path, Some(body));
        let done = patch(json!({ "done": true })).await.json::<Value>().await.unwrap();
        assert_eq!((done["done"].as_bool(), done["done_on"].as_str()), (Some(true), Some(today.to_string().as_str())));
        let open = patch(json!({ "done": false })).await.json::<Value>().await.unwrap();
        assert!(open["done_on"].is_null() && open["done"] == false);
        let edited = patch(json!({ "title": "Run two huddles", "milestone_role": "operations-manager" })).await;
        let edited = edited.json::<Value>().await.unwrap();
        assert_eq!(
            (edited["title"].as_str(), edited["due_on"].as_str()),
            (Some("Run two huddles"), Some(soon.as_str()))
        );
        assert_eq!(edited["milestone_role"], "operations-manager");
        assert_eq!(field_of(patch(json!({ "title": "" })).await).await, "title");
        assert_eq!(field_of(patch(json!({ "due_on": long_ago })).await).await, "due_on");
        assert_eq!(patch(json!({ "colour": "red" })).await.status(), 422, "unknown fields are refused");

        // At most 50 open: two so far; ticking one frees a place, reopening it needs one.
        for n in 0..48 {
            let body = json!({ "milestone_role": "team-leader", "title": format!("Goal {n}"), "due_on": soon });
            assert_eq!(goal(&agent, e, body).await.status(), 201);
        }
        assert_eq!(goal(&agent, e, ok.clone()).await.status(), 409, "the 51st open goal");
        assert_eq!(patch(json!({ "done": true })).await.status(), 200);
        assert_eq!(goal(&agent, e, ok.clone()).await.status(), 201);
        assert_eq!(patch(json!({ "done": false })).await.status(), 409, "reopening would make 51");

        // Paged by due date: the pages add up to the total, each goal once.
        let (mut seen, mut next) = (Vec::new(), None::<String>);
        loop {
            let cursor = next.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
            let page = agent.get_json(&format!("/api/v1/employees/{e}/career-plan/goals?limit=7{cursor}"), 200).await;
            assert_eq!(page["total"], 51);
            seen.extend(page["items"].as_array().unwrap().iter().map(|g| g["id"].as_i64().unwrap()));
            next = page["next"].as_str().map(str::to_string);
            if next.is_none() {
                break;
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!((seen.len(), unique.len()), (51, 51));

        assert_eq!(agent.delete(&path).await.status(), 204);
        assert_eq!(agent.delete(&path).await.status(), 404);
        let audit = agent.get_json(&format!("/api/v1/employees/{e}/audit?limit=500"), 200).await;
        let actions: Vec<&str> = audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["entity_id"] == format!("employee:{e}/career-goal:{id}"))
            .map(|a| a["action"].as_str().unwrap())
            .collect();
        // The refused reopen wrote nothing.
        assert_eq!(actions, ["delete", "done", "update", "reopen", "done", "create"], "newest first");
    })
    .await;
}

#[tokio::test]
async fn only_the_person_writes_their_goals_whoever_sees_them_reads() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Agent).await;
        plan_two_steps(&agent, e).await;
        let due = (Utc::now().date_naive() + Duration::days(3)).to_string();
        let body = json!({ "milestone_role": "team-leader", "title": "Coach a new joiner", "due_on": due });
        let res = goal(&agent, e, body.clone()).await;
        let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let list = format!("/api/v1/employees/{e}/career-plan/goals");
        let one = format!("{list}/{id}");
        for who in [Leader, Manager, Hr, Admin] {
            let s = app.sign_in(who).await;
            let page = s.get_json(&list, 200).await;
            assert_eq!(page["items"][0]["title"], "Coach a new joiner", "{who:?} reads");
        }
        for who in [OtherTeamAgent, OtherLeader, Trainer] {
            assert_eq!(app.sign_in(who).await.get(&list).await.status(), 403, "{who:?} does not read");
        }
        for who in [Leader, Manager, Hr, Admin, OtherTeamAgent, OtherLeader] {
            let s = app.sign_in(who).await;
            assert_eq!(goal(&s, e, body.clone()).await.status(), 403, "{who:?} adds");
            assert_eq!(s.request(Method::PATCH, &one, Some(json!({ "done": true }))).await.status(), 403, "{who:?}");
            assert_eq!(s.delete(&one).await.status(), 403, "{who:?} deletes");
        }
        // Another person's goal under the agent's id is not found, not theirs to touch.
        let other = app.fixture.other_agent;
        let them = app.sign_in(OtherTeamAgent).await;
        plan_two_steps(&them, other).await;
        assert_eq!(them.delete(&format!("/api/v1/employees/{other}/career-plan/goals/{id}")).await.status(), 404);
        assert_eq!(agent.get_json(&list, 200).await["total"], 1);

        // The leader sees them read-only on the person's page.
        let page = app.sign_in(Leader).await.get(&format!("/people/{e}")).await.text().await.unwrap();
        assert!(page.contains("Their own goals") && page.contains("Coach a new joiner"));
        assert!(!page.contains("/plan/goals/"), "no goal forms for the leader");
    })
    .await;
}

#[tokio::test]
async fn the_plan_page_adds_once_keeps_typed_text_and_shows_overdue_goals_and_to_dos() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Agent).await;
        plan_two_steps(&agent, e).await;
        let page = agent.get("/plan").await.text().await.unwrap();
        assert!(page.contains("Add a goal of my own"));
        let csrf = agent.csrf.clone().unwrap();
        let due = (Utc::now().date_naive() + Duration::days(5)).to_string();
        let post = |title: &'static str, due: String| {
            let form = [
                ("_csrf", csrf.clone()),
                ("_key", "k-goal-1".to_string()),
                ("milestone_role", "team-leader".to_string()),
                ("title", title.to_string()),
                ("note", "Ask Lena first".to_string()),
                ("due_on", due),
            ];
            agent.client.post(format!("{}/plan/goals", app.base)).form(&form).send()
        };
        // Refused: the form comes back with what was typed and why, and the key stays unused.
        let refused = post("Shadow the huddle", "not a date".into()).await.unwrap();
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(
            html.contains("Due on:") && html.contains("value=\"Shadow the huddle\"") && html.contains("Ask Lena first")
        );
        let first = post("Shadow the huddle", due.clone()).await.unwrap();
        let second = post("Shadow the huddle", due.clone()).await.unwrap();
        assert!(first.status().is_success() && second.status().is_success());
        let goals = agent.get_json(&format!("/api/v1/employees/{e}/career-plan/goals"), 200).await;
        assert_eq!(goals["total"], 1, "a double post makes one goal");
        let id = goals["items"][0]["id"].as_i64().unwrap();

        // Ticked on the page, then shown done.
        let res = agent
            .client
            .post(format!("{}/plan/goals/{id}/done", app.base))
            .form(&[("_csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
        let html = res.text().await.unwrap();
        assert!(html.contains("<s>Shadow the huddle</s>") && html.contains("Reopen"));

        // An overdue goal (written as if set weeks ago) is marked, and home lists it and one due soon.
        let past = ladder_store::career_goals::GoalFields {
            milestone_role: "team-leader".into(),
            title: "Finish the coaching module".into(),
            note: String::new(),
            due_on: Utc::now().date_naive() - Duration::days(2),
            done_on: None,
        };
        ladder_store::career_goals::add(
            &app.db,
            e,
            &past,
            None,
            ladder_server::service::career_goals::CAPS,
            Utc::now(),
        )
        .await
        .unwrap();
        let body = json!({ "milestone_role": "team-leader", "title": "Read the WFM primer", "due_on": due });
        assert_eq!(goal(&agent, e, body).await.status(), 201);
        let html = agent.get("/plan").await.text().await.unwrap();
        assert!(html.contains("Overdue"));
        let home = agent.get("/home").await.text().await.unwrap();
        assert!(home.contains("Finish the coaching module") && home.contains("was due"));
        assert!(home.contains("Read the WFM primer") && !home.contains("Your goal &quot;Shadow the huddle"));
        let calendar = agent.get("/api/v1/me/calendar.ics").await;
        assert!(calendar.status().is_success());
        let ics = calendar.text().await.unwrap();
        assert!(ics.contains("Goal due: Read the WFM primer") && !ics.contains("Shadow the huddle"), "open goals only");
    })
    .await;
}

fn fields(title: String, done: bool) -> ladder_store::career_goals::GoalFields {
    let today = Utc::now().date_naive();
    ladder_store::career_goals::GoalFields {
        milestone_role: "team-leader".into(),
        title,
        note: String::new(),
        due_on: today + Duration::days(7),
        done_on: done.then_some(today),
    }
}

/// Two posts at once cannot both pass the open-goals cap: the person's row is locked before the
/// count (PostgreSQL runs READ COMMITTED, where both would count 49 and insert).
#[tokio::test]
async fn goals_posted_at_once_stop_at_the_open_cap() {
    use ladder_server::service::career_goals::{CAPS, MAX_OPEN};
    use ladder_store::career_goals::{add, of_employee};
    each_app(async |app| {
        let e = app.fixture.agent;
        for n in 0..MAX_OPEN - 1 {
            add(&app.db, e, &fields(format!("Goal {n}"), false), None, CAPS, Utc::now()).await.unwrap();
        }
        let mut posts = tokio::task::JoinSet::new();
        for n in 0..8 {
            let db = app.db.clone();
            posts
                .spawn(async move { add(&db, e, &fields(format!("Racing {n}"), false), None, CAPS, Utc::now()).await });
        }
        let mut added = 0;
        while let Some(res) = posts.join_next().await {
            match res.unwrap() {
                Ok(_) => added += 1,
                Err(ladder_store::StoreError::Conflict(m)) => assert!(m.contains("at most 50 open goals"), "{m}"),
                Err(other) => panic!("{other:?}"),
            }
        }
        assert_eq!(added, 1, "one place was left");
        let open = of_employee(&app.db, e).await.unwrap().iter().filter(|g| g.done_on.is_none()).count();
        assert_eq!(open as i64, MAX_OPEN);
    })
    .await;
}

/// Done goals count too: at most 500 in all, refused with a 409 that says why.
#[tokio::test]
async fn a_person_keeps_at_most_500_goals_done_ones_included() {
    use ladder_server::service::career_goals::{CAPS, MAX_TOTAL};
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Agent).await;
        plan_two_steps(&agent, e).await;
        for n in 0..MAX_TOTAL - 1 {
            let done = fields(format!("Done {n}"), true);
            ladder_store::career_goals::add(&app.db, e, &done, None, CAPS, Utc::now()).await.unwrap();
        }
        let soon = (Utc::now().date_naive() + Duration::days(7)).to_string();
        let body = json!({ "milestone_role": "team-leader", "title": "One more", "due_on": soon });
        assert_eq!(goal(&agent, e, body.clone()).await.status(), 201, "the 500th");
        let refused = goal(&agent, e, body).await;
        assert_eq!(refused.status(), 409, "the 501st, with one open goal only");
        let message =
            refused.json::<Value>().await.unwrap()["error"]["message"].as_str().unwrap_or_default().to_string();
        assert!(message.contains("at most 500 goals in all"), "{message}");
        let done = fields("Done late".into(), true);
        let err = ladder_store::career_goals::add(&app.db, e, &done, None, CAPS, Utc::now()).await.unwrap_err();
        assert!(matches!(err, ladder_store::StoreError::Conflict(_)), "a done one is refused too: {err:?}");
        let total =
            agent.get_json(&format!("/api/v1/employees/{e}/career-plan/goals?limit=1"), 200).await["total"].clone();
        assert_eq!(total, 500);
    })
    .await;
}
