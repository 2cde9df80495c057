//! Internal openings and applications over HTTP (issue 28): eligibility from the person's own
//! data, one-click apply with the packet, the leader's endorsement, stage moves and who may make
//! them, a hire that changes the role, who sees an application, and the public JSON-LD.

use crate::common;

use common::{each_app, Persona, TestApp};
use ladder_store::records::Assessor;
use serde_json::{json, Value};

/// A senior-agent opening at site S1, account A1 (the manager's), team T2.
fn opening(app: &TestApp, extra: Value) -> Value {
    let f = &app.fixture;
    let mut body = json!({
        "role_id": "senior-agent",
        "site_id": f.sites[0],
        "account_id": f.accounts[0],
        "team_id": f.teams[1].0,
        "headcount": 2,
        "shift": "night",
        "shift_hours": "22:00–07:00, Monday to Friday",
        "hours_per_week": 40,
        "arrangement": "remote",
        "pay_min": 2_500_000,
        "pay_max": 3_200_000,
        "currency": "PHP",
        "allowances": 200_000,
        "allowances_note": "rice and transport",
        "night_differential_percent": 10,
        "signing_bonus": 1_000_000,
        "description": "Take escalations on the telco queue.",
        "closing_date": "2099-12-31",
        "published": true,
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

/// Gives the agent every senior-agent skill: with the tenure met, only the rating (no KRA
/// history in the fixture) is open, so they are nearly eligible.
async fn skilled_agent(app: &TestApp) {
    for (skill, level) in [
        ("communication", 3),
        ("active-listening", 3),
        ("customer-service", 4),
        ("problem-solving", 3),
        ("product-knowledge", 4),
        ("crm-proficiency", 3),
    ] {
        ladder_store::records::assess_skill(&app.db, app.fixture.agent, skill, level, Assessor::Leader, None)
            .await
            .unwrap();
    }
}

async fn post(app: &TestApp, who: Persona, path: &str, body: Value) -> (u16, Value) {
    let res = app.sign_in(who).await.post(path, body).await;
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_agent_nearly_eligible_applies_the_leader_endorses_and_a_hire_changes_the_role() {
    each_app(async |app| {
        let backend = app.backend;
        let f = app.fixture.clone();
        let (status, posted) = post(&app, Persona::Hr, "/api/v1/openings", opening(&app, json!({}))).await;
        assert_eq!(status, 200, "{backend:?}: {posted}");
        let id = posted["id"].as_i64().unwrap();
        assert_eq!(posted["title"], "Senior Agent / Subject-Matter Expert", "the role's name when left empty");
        assert_eq!(posted["onet_soc"], Value::Null);

        // Without the skills the agent is far from the role: not listed, and refused.
        let agent = app.sign_in(Persona::Agent).await;
        assert_eq!(agent.get_json("/api/v1/me/openings", 200).await, json!({ "items": [], "total": 0, "next": null }));
        let all = agent.get_json("/api/v1/me/openings?all=true", 200).await;
        assert_eq!(all["items"][0]["standing"], "not-eligible");
        let refused = agent.post(&format!("/api/v1/openings/{id}/applications"), json!({})).await;
        assert_eq!(refused.status().as_u16(), 409, "{backend:?}");

        skilled_agent(&app).await;
        let mine = agent.get_json("/api/v1/me/openings", 200).await;
        let mine = &mine["items"];
        assert_eq!(mine[0]["standing"], "nearly-eligible", "{backend:?}: {mine}");
        let gaps: Vec<String> = serde_json::from_value(mine[0]["gaps"].clone()).unwrap();
        assert_eq!(gaps.len(), 1, "{gaps:?}");
        assert!(gaps[0].contains("months"), "the rating needs months of history: {gaps:?}");

        let res = agent.post(&format!("/api/v1/openings/{id}/applications"), json!({})).await;
        assert_eq!(res.status().as_u16(), 200, "{backend:?}");
        let application: Value = res.json().await.unwrap();
        let app_id = application["id"].as_i64().unwrap();
        assert_eq!(application["stage"], "applied");
        assert_eq!(application["packet"]["standing"], "nearly-eligible");
        assert_eq!(application["packet"]["skills"]["customer-service"], 4);
        assert_eq!(application["packet_url"], format!("/people/{}/packet", f.agent));
        let again = agent.post(&format!("/api/v1/openings/{id}/applications"), json!({})).await;
        assert_eq!(again.status().as_u16(), 409, "one application per opening");

        // The leader is told (their queue) and endorses.
        let leader = app.sign_in(Persona::Leader).await;
        let queue = leader.get_json("/api/v1/me/applications-to-endorse", 200).await;
        assert_eq!(queue["items"][0]["id"], app_id, "{backend:?}");
        let res = leader.post(&format!("/api/v1/applications/{app_id}/endorsement"), json!({ "text": "Ready." })).await;
        assert_eq!(res.status().as_u16(), 200);
        assert_eq!(leader.get_json("/api/v1/me/applications-to-endorse", 200).await["total"], 0);

        // HR moves it through the stages with notes, then hires from a start date.
        let hr = app.sign_in(Persona::Hr).await;
        for stage in ["screening", "interview", "offer"] {
            let res = hr
                .post(
                    &format!("/api/v1/applications/{app_id}/stage"),
                    json!({ "stage": stage, "note": format!("to {stage}") }),
                )
                .await;
            assert_eq!(res.status().as_u16(), 200, "{backend:?} {stage}");
        }
        let no_date = hr.post(&format!("/api/v1/applications/{app_id}/stage"), json!({ "stage": "hired" })).await;
        assert_eq!(no_date.status().as_u16(), 422);
        let hired = hr
            .post(
                &format!("/api/v1/applications/{app_id}/stage"),
                json!({ "stage": "hired", "note": "Welcome", "start_date": "2026-03-01" }),
            )
            .await;
        assert_eq!(hired.status().as_u16(), 200, "{backend:?}");
        let hired: Value = hired.json().await.unwrap();
        let moves: Vec<&str> =
            hired["history"].as_array().unwrap().iter().map(|e| e["to_stage"].as_str().unwrap()).collect();
        assert_eq!(moves, ["applied", "screening", "interview", "offer", "hired"]);
        assert_eq!(hired["next_stages"], json!([]), "hired is final");

        let person = ladder_store::org::employee(&app.db, f.agent).await.unwrap();
        assert_eq!((person.role_id.as_str(), person.team_id), ("senior-agent", Some(f.teams[1])), "{backend:?}");
        assert_eq!(person.role_since, common::day(2026, 3, 1));
        let history = ladder_store::org::role_history(&app.db, f.agent).await.unwrap();
        assert_eq!(history.last().unwrap().role_id, "senior-agent");
        let trail = ladder_store::audit::for_employee(&app.db, f.agent, 50).await.unwrap();
        assert!(trail.iter().filter(|e| e.entity == "application").count() >= 6, "apply, endorse, 4 moves: {trail:?}");
        // The applicant sees their own stage.
        let mine = agent.get_json("/api/v1/me/applications", 200).await;
        assert_eq!(mine["items"][0]["stage"], "hired");
    })
    .await;
}

#[tokio::test]
async fn stages_move_only_the_allowed_ways_by_the_allowed_people() {
    each_app(async |app| {
        let backend = app.backend;
        let (_, posted) = post(
            &app,
            Persona::Manager,
            "/api/v1/openings",
            opening(&app, json!({ "role_id": "customer-service-executive" })),
        )
        .await;
        let id = posted["id"].as_i64().expect("the manager posts in their account");
        assert_eq!(posted["hiring_manager_id"], app.fixture.users[&Persona::Manager].0, "the poster by default");
        let agent = app.sign_in(Persona::Agent).await;
        let applied: Value =
            agent.post(&format!("/api/v1/openings/{id}/applications"), json!({})).await.json().await.unwrap();
        let app_id = applied["id"].as_i64().expect("the same role: a move sideways, eligible");
        let stage = |who: Persona, to: &'static str| {
            let app = &app;
            async move {
                let s = app.sign_in(who).await;
                s.post(&format!("/api/v1/applications/{app_id}/stage"), json!({ "stage": to, "note": "n" }))
                    .await
                    .status()
                    .as_u16()
            }
        };
        assert_eq!(stage(Persona::Agent, "screening").await, 403, "{backend:?}: an applicant only withdraws");
        assert_eq!(stage(Persona::Leader, "screening").await, 403, "the leader endorses, not moves");
        assert_eq!(stage(Persona::Hr, "withdrawn").await, 403, "only the applicant withdraws");
        assert_eq!(stage(Persona::Manager, "hired").await, 409, "hire only from an offer");
        assert_eq!(
            stage(Persona::Manager, "interview").await,
            200,
            "the hiring manager moves it; stages may be skipped"
        );
        assert_eq!(stage(Persona::Hr, "screening").await, 409, "never backwards");
        assert_eq!(stage(Persona::Agent, "withdrawn").await, 200);
        assert_eq!(stage(Persona::Hr, "not-selected").await, 409, "withdrawn is final");
        assert_eq!(stage(Persona::Hr, "promoted").await, 422, "not a stage");
    })
    .await;
}

#[tokio::test]
async fn an_application_is_seen_by_the_applicant_their_leader_the_hiring_manager_and_hr_only() {
    each_app(async |app| {
        let backend = app.backend;
        let hiring = app.fixture.users[&Persona::Manager];
        let body = opening(&app, json!({ "role_id": "customer-service-executive", "hiring_manager_id": hiring.0 }));
        let (_, posted) = post(&app, Persona::Hr, "/api/v1/openings", body).await;
        let id = posted["id"].as_i64().unwrap();
        let agent = app.sign_in(Persona::Agent).await;
        let applied: Value =
            agent.post(&format!("/api/v1/openings/{id}/applications"), json!({})).await.json().await.unwrap();
        let app_id = applied["id"].as_i64().unwrap();
        use Persona::*;
        for (persona, sees) in [
            (Agent, true),
            (Leader, true),
            (Manager, true), // the hiring manager
            (Hr, true),
            (Admin, true),
            (OtherLeader, false),
            (OtherTeamAgent, false),
        ] {
            let s = app.sign_in(persona).await;
            let status = s.get(&format!("/api/v1/applications/{app_id}")).await.status().as_u16();
            assert_eq!(status, if sees { 200 } else { 403 }, "{backend:?} {persona:?}");
            let listed = s.get_json(&format!("/api/v1/openings/{id}/applications"), 200).await;
            assert_eq!(listed["total"], u64::from(sees), "{backend:?} {persona:?}");
        }
        let anonymous = app.sign_in(Anonymous).await;
        assert_eq!(anonymous.get(&format!("/api/v1/applications/{app_id}")).await.status().as_u16(), 401);
    })
    .await;
}

/// Moves an application to an offer as HR.
async fn to_offer(app: &TestApp, app_id: i64) {
    let hr = app.sign_in(Persona::Hr).await;
    let res = hr.post(&format!("/api/v1/applications/{app_id}/stage"), json!({ "stage": "offer" })).await;
    assert_eq!(res.status().as_u16(), 200, "{:?}", app.backend);
}

#[tokio::test]
async fn a_hire_keeps_to_the_headcount_the_openings_account_and_the_role_history() {
    each_app(async |app| {
        let backend = app.backend;
        let f = app.fixture.clone();
        let body = opening(&app, json!({ "role_id": "customer-service-executive", "headcount": 1 }));
        let (_, posted) = post(&app, Persona::Hr, "/api/v1/openings", body).await;
        let id = posted["id"].as_i64().unwrap();
        let mut ids = vec![];
        for who in [Persona::Agent, Persona::OtherTeamAgent] {
            let (status, applied) = post(&app, who, &format!("/api/v1/openings/{id}/applications"), json!({})).await;
            assert_eq!(status, 200, "{backend:?} {who:?}: {applied}");
            ids.push(applied["id"].as_i64().unwrap());
            to_offer(&app, *ids.last().unwrap()).await;
        }
        let hire = |app_id: i64, extra: Value| {
            let app = &app;
            async move {
                let mut body = json!({ "stage": "hired", "start_date": "2026-03-01" });
                for (k, v) in extra.as_object().unwrap() {
                    body[k] = v.clone();
                }
                post(app, Persona::Hr, &format!("/api/v1/applications/{app_id}/stage"), body).await
            }
        };
        // A team of another account, and a start before the current role began (2024-01-01).
        let (status, body) = hire(ids[0], json!({ "team_id": f.teams[2].0 })).await;
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some("team_id")), "{backend:?}: {body}");
        let (status, body) = hire(ids[0], json!({ "start_date": "2023-12-31" })).await;
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some("start_date")), "{backend:?}: {body}");
        let (status, body) = hire(ids[0], json!({})).await;
        assert_eq!(status, 200, "{backend:?}: {body}");
        let person = ladder_store::org::employee(&app.db, f.agent).await.unwrap();
        assert_eq!(person.team_id, Some(f.teams[1]), "the opening's team by default");
        // The headcount of one is filled: the second hire is refused and nothing changes.
        let (status, body) = hire(ids[1], json!({})).await;
        assert_eq!(status, 409, "{backend:?}: {body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("headcount"), "{body}");
        let other = ladder_store::org::employee(&app.db, f.other_agent).await.unwrap();
        assert_eq!(other.role_since, common::day(2024, 1, 1), "{backend:?}");
        let hr = app.sign_in(Persona::Hr).await;
        assert_eq!(hr.get_json(&format!("/api/v1/applications/{}", ids[1]), 200).await["stage"], "offer");
        // Raised to two, the second is hired; an edit may not take the headcount below the two.
        let mut edit = opening(&app, json!({ "role_id": "customer-service-executive", "headcount": 2 }));
        assert_eq!(hr.put(&format!("/api/v1/openings/{id}"), edit.clone()).await.status().as_u16(), 200);
        assert_eq!(hire(ids[1], json!({})).await.0, 200, "{backend:?}");
        edit["headcount"] = json!(1);
        let body: Value = hr.put(&format!("/api/v1/openings/{id}"), edit).await.json().await.unwrap();
        assert_eq!(body["error"]["field"].as_str(), Some("headcount"), "{backend:?}: {body}");
    })
    .await;
}

#[tokio::test]
async fn the_hiring_manager_is_someone_who_could_post_the_opening() {
    each_app(async |app| {
        let f = app.fixture.clone();
        let u = |p: Persona| f.users[&p].0;
        let elsewhere = json!({ "site_id": f.sites[1], "account_id": f.accounts[1], "team_id": f.teams[2].0 });
        for (extra, ok) in [
            (json!({ "hiring_manager_id": u(Persona::Agent) }), false),
            (json!({ "hiring_manager_id": u(Persona::Leader) }), false),
            (json!({ "hiring_manager_id": u(Persona::Manager) }), true),
            (json!({ "hiring_manager_id": u(Persona::Admin) }), true),
        ] {
            let (status, body) = post(&app, Persona::Hr, "/api/v1/openings", opening(&app, extra)).await;
            let field = body["error"]["field"].as_str();
            assert_eq!((status, field), if ok { (200, None) } else { (422, Some("hiring_manager_id")) }, "{body}");
        }
        let mut body = opening(&app, elsewhere);
        body["hiring_manager_id"] = json!(u(Persona::Manager));
        let (status, body) = post(&app, Persona::Hr, "/api/v1/openings", body).await;
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some("hiring_manager_id")), "out of scope");
    })
    .await;
}

#[tokio::test]
async fn openings_are_checked_field_by_field_and_posted_only_where_one_may() {
    each_app(async |app| {
        let f = app.fixture.clone();
        for (extra, field) in [
            (json!({ "role_id": "astronaut" }), "role_id"),
            (json!({ "headcount": 0 }), "headcount"),
            (json!({ "shift": "graveyard" }), "shift"),
            (json!({ "arrangement": "moon" }), "arrangement"),
            (json!({ "pay_max": 1 }), "pay_max"),
            (json!({ "currency": "pesos" }), "currency"),
            (json!({ "description": "x".repeat(10_001) }), "description"),
            (json!({ "closing_date": "2000-01-01" }), "closing_date"),
            (json!({ "account_id": f.accounts[1] }), "account_id"),
            (json!({ "night_differential_percent": 101 }), "night_differential_percent"),
        ] {
            let (status, body) = post(&app, Persona::Hr, "/api/v1/openings", opening(&app, extra)).await;
            assert_eq!((status, body["error"]["field"].as_str()), (422, Some(field)), "{body}");
        }
        // The manager answers for account A1 only.
        let elsewhere =
            opening(&app, json!({ "site_id": f.sites[1], "account_id": f.accounts[1], "team_id": f.teams[2].0 }));
        assert_eq!(post(&app, Persona::Manager, "/api/v1/openings", elsewhere).await.0, 403);
        assert_eq!(post(&app, Persona::Leader, "/api/v1/openings", opening(&app, json!({}))).await.0, 403);
        let (_, posted) = post(&app, Persona::Hr, "/api/v1/openings", opening(&app, json!({}))).await;
        let id = posted["id"].as_i64().unwrap();
        let (status, closed) = post(&app, Persona::Manager, &format!("/api/v1/openings/{id}/close"), json!({})).await;
        assert_eq!((status, closed["open"].clone()), (200, json!(false)));
        let agent = app.sign_in(Persona::Agent).await;
        assert_eq!(agent.get_json("/api/v1/openings", 200).await["total"], 0, "closed ones leave the list");
        assert_eq!(agent.get_json("/api/v1/openings?all=true", 200).await["total"], 1);
    })
    .await;
}

/// The JobPosting properties job-search engines require, checked one by one.
fn assert_job_posting(p: &Value) {
    assert_eq!(p["@context"], "https://schema.org/");
    assert_eq!(p["@type"], "JobPosting");
    for text in
        ["title", "description", "datePosted", "validThrough", "employmentType", "workHours", "incentiveCompensation"]
    {
        assert!(p[text].as_str().is_some_and(|s| !s.is_empty()), "{text} in {p}");
    }
    assert!(chrono::NaiveDate::parse_from_str(p["datePosted"].as_str().unwrap(), "%Y-%m-%d").is_ok());
    assert!(chrono::NaiveDateTime::parse_from_str(p["validThrough"].as_str().unwrap(), "%Y-%m-%dT%H:%M:%S").is_ok());
    assert_eq!(p["hiringOrganization"]["@type"], "Organization");
    assert_eq!(p["hiringOrganization"]["name"], "Test BPO");
    let salary = &p["baseSalary"];
    assert_eq!((salary["@type"].as_str(), salary["currency"].as_str()), (Some("MonetaryAmount"), Some("PHP")));
    let value = &salary["value"];
    assert_eq!((value["@type"].as_str(), value["unitText"].as_str()), (Some("QuantitativeValue"), Some("MONTH")));
    assert!(value["minValue"].as_f64().unwrap() <= value["maxValue"].as_f64().unwrap());
    let remote = p["jobLocationType"] == "TELECOMMUTE";
    if remote {
        assert_eq!(p["applicantLocationRequirements"]["@type"], "Country", "{p}");
        assert!(p["applicantLocationRequirements"]["name"].as_str().is_some());
    } else {
        assert_eq!(p["jobLocation"]["@type"], "Place", "{p}");
        assert_eq!(p["jobLocation"]["address"]["@type"], "PostalAddress");
        assert!(p["jobLocation"]["address"]["addressCountry"].as_str().is_some());
    }
}

fn json_ld_of(html: &str) -> Value {
    let start = html.find(r#"<script type="application/ld+json">"#).expect("a JSON-LD script") + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[tokio::test]
async fn a_published_opening_has_a_public_page_with_job_posting_json_ld_and_is_in_the_feed() {
    each_app(async |app| {
        let backend = app.backend;
        let remote =
            opening(&app, json!({ "role_id": "customer-service-executive", "description": "Calls </script><b>x</b> <!--<script> & more" }));
        let (_, remote) = post(&app, Persona::Hr, "/api/v1/openings", remote).await;
        let on_site =
            opening(&app, json!({ "arrangement": "on-site", "signing_bonus": 0, "night_differential_percent": 0 }));
        let (_, on_site) = post(&app, Persona::Hr, "/api/v1/openings", on_site).await;
        let (_, hidden) =
            post(&app, Persona::Hr, "/api/v1/openings", opening(&app, json!({ "published": false }))).await;
        let nobody = app.client();
        let page = |id: &Value| {
            let nobody = nobody.clone();
            let url = format!("{}/jobs/{id}", app.base);
            async move {
                let res = nobody.get(url).send().await.unwrap();
                (res.status().as_u16(), res.text().await.unwrap())
            }
        };
        let (status, html) = page(&remote["id"]).await;
        assert_eq!(status, 200, "{backend:?}: no sign-in needed");
        assert!(!html.contains("Calls </script><b>"), "the description cannot close the script or add markup");
        let ld = json_ld_of(&html);
        let script = &html[html.find("application/ld+json").unwrap() + 21..];
        let script = &script[..script.find("</script>").unwrap()];
        assert!(!script.contains(['<', '>', '&']), "every <, > and & escaped: {script}");
        assert_eq!(ld["description"], "Calls </script><b>x</b> <!--<script> & more");
        assert_job_posting(&ld);
        assert_eq!(ld["jobLocationType"], "TELECOMMUTE");
        assert_eq!(ld["occupationalCategory"], "43-4051.00", "the role's O*NET-SOC code");
        assert_eq!(ld["baseSalary"]["value"]["minValue"], 25000);
        assert_eq!(ld["baseSalary"]["value"]["maxValue"], 32000);
        assert_eq!(ld["employmentType"], "FULL_TIME");
        assert!(ld["incentiveCompensation"].as_str().unwrap().contains("PHP 10000"), "{ld}");
        assert!(ld["workHours"].as_str().unwrap().contains("22:00–07:00"));
        let (_, html) = page(&on_site["id"]).await;
        let ld = json_ld_of(&html);
        assert_job_posting(&ld);
        assert_eq!(ld["jobLocation"]["address"]["addressLocality"], "Manila");
        assert_eq!(page(&hidden["id"]).await.0, 404, "unpublished");

        let feed = nobody.get(format!("{}/openings/feed.jsonld", app.base)).send().await.unwrap();
        assert_eq!(feed.headers()["content-type"], "application/ld+json");
        let feed: Value = feed.json().await.unwrap();
        let ids: Vec<String> =
            feed.as_array().unwrap().iter().map(|p| p["identifier"]["value"].as_str().unwrap().to_string()).collect();
        assert_eq!(ids, [on_site["id"].to_string(), remote["id"].to_string()], "published ones, newest first");
        feed.as_array().unwrap().iter().for_each(assert_job_posting);

        // Closed: gone from the page and the feed.
        let (status, _) = post(&app, Persona::Hr, &format!("/api/v1/openings/{}/close", remote["id"]), json!({})).await;
        assert_eq!(status, 200);
        assert_eq!(page(&remote["id"]).await.0, 404);
        let feed: Value =
            nobody.get(format!("{}/openings/feed.jsonld", app.base)).send().await.unwrap().json().await.unwrap();
        assert_eq!(feed.as_array().unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn the_pages_walk_an_agent_to_apply_and_hr_to_hire() {
    each_app(async |app| {
        let backend = app.backend;
        skilled_agent(&app).await;
        let (_, posted) =
            post(&app, Persona::Hr, "/api/v1/openings", opening(&app, json!({ "rule_no_final_warning": true }))).await;
        let id = posted["id"].as_i64().unwrap();
        let agent = app.sign_in(Persona::Agent).await;
        let list = agent.get("/openings").await.text().await.unwrap();
        assert!(list.contains("Nearly eligible") && list.contains("To close:"), "{backend:?}: {list}");
        let page = agent.get(&format!("/openings/{id}")).await.text().await.unwrap();
        assert!(page.contains("I have no final written warning"), "{page}");
        let csrf = agent.csrf.clone().unwrap();
        let form = |pairs: &[(&str, &str)]| {
            pairs.iter().map(|(k, v)| format!("{k}={}", urlencoding(v))).collect::<Vec<_>>().join("&")
        };
        let res = agent
            .client
            .post(format!("{}/openings/{id}/apply", app.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[("_csrf", &csrf)]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 422, "the declaration is asked for");
        let res = agent
            .client
            .post(format!("{}/openings/{id}/apply", app.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form(&[("_csrf", &csrf), ("declared_no_final_warning", "1")]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "{backend:?}: redirected to the application");
        let html = res.text().await.unwrap();
        assert!(html.contains(r#"<strong id="stage">Applied</strong>"#), "{html}");
        let hr = app.sign_in(Persona::Hr).await;
        let listed = hr.get_json(&format!("/api/v1/openings/{id}/applications"), 200).await;
        let app_id = listed["items"][0]["id"].as_i64().unwrap();
        let hr_page = hr.get(&format!("/applications/{app_id}")).await.text().await.unwrap();
        assert!(hr_page.contains(r#"<option value="screening">"#), "{hr_page}");
        let agent_page = agent.get(&format!("/applications/{app_id}")).await.text().await.unwrap();
        assert!(agent_page.contains(r#"<option value="withdrawn">"#) && !agent_page.contains(r#"value="screening""#));
        let other = app.sign_in(Persona::OtherTeamAgent).await;
        assert_eq!(other.get(&format!("/applications/{app_id}")).await.status().as_u16(), 403);
    })
    .await;
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn json_ld_leaves_out_an_unknown_country_and_counts_each_currencys_minor_units() {
    each_app(async |app| {
        let backend = app.backend;
        let f = app.fixture.clone();
        let site = ladder_store::org::create_site(&app.db, f.organisation, "Nowhere", "", "UTC").await.unwrap();
        let place = json!({ "site_id": site, "account_id": null, "team_id": null });
        let mut ids = vec![];
        for (arrangement, currency, min, max) in [
            ("remote", "JPY", 300_000, 400_000),
            ("on-site", "KWD", 1_250, 2_000),
            ("hybrid", "PHP", 2_500_050, 2_600_000),
        ] {
            let mut body = opening(&app, place.clone());
            for (k, v) in [("arrangement", json!(arrangement)), ("currency", json!(currency))] {
                body[k] = v;
            }
            body["pay_min"] = json!(min);
            body["pay_max"] = json!(max);
            let (status, posted) = post(&app, Persona::Hr, "/api/v1/openings", body).await;
            assert_eq!(status, 200, "{backend:?}: {posted}");
            ids.push(posted["id"].as_i64().unwrap());
        }
        let nobody = app.client();
        let mut lds = vec![];
        for id in &ids {
            let html = nobody.get(format!("{}/jobs/{id}", app.base)).send().await.unwrap().text().await.unwrap();
            lds.push((json_ld_of(&html), html));
        }
        let (remote, html) = &lds[0];
        assert_eq!(remote["applicantLocationRequirements"], Value::Null, "no empty country: {remote}");
        assert_eq!(remote["baseSalary"]["value"]["minValue"], 300_000, "JPY has no minor units");
        assert!(html.contains("JPY 300,000 to JPY 400,000"), "{backend:?}");
        let (on_site, html) = &lds[1];
        assert_eq!(on_site["jobLocation"]["address"]["addressCountry"], Value::Null, "{on_site}");
        assert_eq!(on_site["jobLocation"]["address"]["addressLocality"], "Nowhere");
        assert_eq!(on_site["baseSalary"]["value"]["minValue"], 1.25, "KWD has three");
        assert!(html.contains("KWD 1.250 to KWD 2"), "{backend:?}");
        let (hybrid, _) = &lds[2];
        assert_eq!(hybrid["baseSalary"]["value"]["minValue"], 25_000.5);
    })
    .await;
}

/// Posts a page form (the CSRF field first) and gives the status and the page after redirects.
async fn page_form(s: &common::Session, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let mut body: Vec<(&str, &str)> = vec![("_csrf", s.csrf.as_deref().unwrap())];
    body.extend_from_slice(fields);
    let res = s.client.post(format!("{}{}", s.base, path)).form(&body).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_edit_page_shows_the_opening_and_saves_with_the_same_checks_as_posting() {
    each_app(async |app| {
        let (_, posted) = post(&app, Persona::Hr, "/api/v1/openings", opening(&app, json!({}))).await;
        let id = posted["id"].as_i64().unwrap();
        let hr = app.sign_in(Persona::Hr).await;
        let html = hr.get(&format!("/openings/{id}/edit")).await.text().await.unwrap();
        assert!(html.contains("Edit the opening") && html.contains(r#"value="25000""#), "amounts in pesos");
        assert!(html.contains(r#"<option value="night" selected>"#), "the shift chosen");
        let page = hr.get(&format!("/openings/{id}")).await.text().await.unwrap();
        assert!(page.contains(&format!("/openings/{id}/edit")), "linked from the opening");

        // Every field as the form shows it, then a change and a refusal.
        let mut fields: Vec<(String, String)> = Vec::new();
        for k in ["role_id", "title", "site_id", "account_id", "headcount", "shift", "shift_hours", "hours_per_week"]
            .into_iter()
            .chain(["arrangement", "currency", "pay_min", "pay_max", "allowances", "allowances_note"])
            .chain(["night_differential_percent", "signing_bonus", "closing_date", "rule_min_company_months"])
        {
            fields.push((k.into(), posted_value(&app, &posted, k)));
        }
        fields.push(("description".into(), "Escalations and coaching.".into()));
        fields.push(("published".into(), "1".into()));
        let with = |k: &str, v: &str| {
            let mut f = fields.clone();
            f.iter_mut().filter(|(key, _)| key == k).for_each(|(_, val)| *val = v.to_string());
            f
        };
        let send = async |f: Vec<(String, String)>| {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            page_form(&hr, &format!("/openings/{id}/edit"), &pairs).await
        };
        let (status, html) = send(with("pay_min", "40000")).await;
        assert_eq!(status, 422, "pay from above pay to");
        assert!(
            html.contains("pay_min") && html.contains(r#"value="40000""#),
            "refused, the form keeps what was typed"
        );
        let (status, _) = send(with("closing_date", "2001-01-01")).await;
        assert_eq!(status, 422, "a closing date in the past");
        let (status, html) = send(with("headcount", "3")).await;
        assert_eq!(status, 200, "{html}");
        let saved = hr.get_json(&format!("/api/v1/openings/{id}"), 200).await;
        assert_eq!((saved["headcount"].as_i64(), saved["pay_min"].as_i64()), (Some(3), Some(2_500_000)), "{saved}");
        assert_eq!(saved["team_id"], posted["team_id"], "the team set over the API stays");
        assert_eq!(saved["description"], "Escalations and coaching.");

        let agent = app.sign_in(Persona::Agent).await;
        assert_eq!(agent.get(&format!("/openings/{id}/edit")).await.status().as_u16(), 403);
        let (status, _) = page_form(&agent, &format!("/openings/{id}/edit"), &[("headcount", "9")]).await;
        assert_eq!(status, 403);
    })
    .await;
}

/// A posted opening's field as the form takes it (amounts in major units).
fn posted_value(_app: &TestApp, posted: &Value, k: &str) -> String {
    let v = &posted[k];
    match k {
        "pay_min" | "pay_max" | "allowances" | "signing_bonus" => (v.as_i64().unwrap() / 100).to_string(),
        _ => match v {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        },
    }
}
/// A self sign-up (an agent's account with no employee record) is an outside visitor: it sees
/// the published openings taking applications, as the public feed does, and nothing internal.
#[tokio::test]
async fn a_self_signup_sees_only_published_openings() {
    each_app(async |app| {
        let backend = app.backend;
        let (status, public) = post(&app, Persona::Hr, "/api/v1/openings", opening(&app, json!({}))).await;
        assert_eq!(status, 200, "{backend:?}: {public}");
        let (status, internal) =
            post(&app, Persona::Hr, "/api/v1/openings", opening(&app, json!({ "published": false }))).await;
        assert_eq!(status, 200, "{backend:?}: {internal}");
        let (organisation_id, ..) = ladder_store::org::organisation(&app.db).await.unwrap().unwrap();
        let hash = ladder_server::auth::hash_password(common::PASSWORD).unwrap();
        let user = ladder_store::users::NewUser {
            organisation_id,
            email: "visitor@example.org",
            name: "Visitor",
            access: ladder_core::access::Access::Agent,
            employee_id: None,
            password_hash: Some(&hash),
        };
        ladder_store::users::create_user(&app.db, &user).await.unwrap();
        let client = app.client();
        let res = client
            .post(format!("{}/api/v1/session", app.base))
            .json(&json!({ "email": "visitor@example.org", "password": common::PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{backend:?}");
        let body: Value = res.json().await.unwrap();
        let csrf = body["csrf_token"].as_str().map(str::to_string);
        let guest = common::Session { client, csrf, base: app.base.clone() };

        let listed: Value = guest.get("/api/v1/openings?all=true").await.json().await.unwrap();
        let ids: Vec<&Value> = listed["items"].as_array().unwrap().iter().map(|o| &o["id"]).collect();
        assert_eq!(ids, [&public["id"]], "{backend:?}: only the published one: {listed}");
        assert_eq!(listed["total"], 1, "{backend:?}");
        assert_eq!(guest.get(&format!("/api/v1/openings/{}", public["id"])).await.status(), 200);
        let hidden = internal["id"].clone();
        assert_eq!(guest.get(&format!("/api/v1/openings/{hidden}")).await.status(), 404, "{backend:?}");
        assert_eq!(guest.get(&format!("/api/v1/openings/{hidden}/applications")).await.status(), 404);
        assert_eq!(guest.get(&format!("/openings/{hidden}")).await.status(), 404, "{backend:?}: the page");
        let page = guest.get("/openings").await.text().await.unwrap();
        assert!(!page.contains(&format!("/openings/{hidden}\"")), "{backend:?}: not on the list page");
        // An employee still sees both.
        let agent = app.sign_in(Persona::Agent).await;
        assert_eq!(agent.get(&format!("/api/v1/openings/{hidden}")).await.status(), 200);
    })
    .await;
}
