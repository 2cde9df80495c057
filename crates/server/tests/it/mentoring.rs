//! Mentoring and shadowing (issue 26): a request, pairing by the leader with someone at or above
//! the target role, sessions logged by the mentor and the mentee, and the packet's evidence.

use crate::common;

use chrono::Utc;
use common::{each_app, Persona::*};
use serde_json::{json, Value};

#[tokio::test]
async fn a_request_is_paired_by_the_leader_and_both_sides_log_sessions() {
    each_app(async |app| {
        let f = &app.fixture;
        let e = f.agent;
        let (agent, leader, mentor) =
            (app.sign_in(Agent).await, app.sign_in(Leader).await, app.sign_in(OtherLeader).await);
        let ask = json!({ "kind": "mentor", "target_role": "team-leader", "note": "How does a huddle run?" });
        let res = agent.post(&format!("/api/v1/employees/{e}/mentoring"), ask).await;
        assert_eq!(res.status(), 201);
        let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

        for (body, field) in [
            (json!({ "kind": "coach", "target_role": "team-leader" }), "kind"),
            (json!({ "kind": "mentor", "target_role": "astronaut" }), "target_role"),
            (json!({ "kind": "shadowing", "target_role": "team-leader", "note": "x".repeat(1001) }), "note"),
        ] {
            let res = agent.post(&format!("/api/v1/employees/{e}/mentoring"), body).await;
            assert_eq!(res.status(), 422);
            assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], field);
        }
        assert_eq!(
            leader
                .post(
                    &format!("/api/v1/employees/{e}/mentoring"),
                    json!({ "kind": "mentor", "target_role": "team-leader" })
                )
                .await
                .status(),
            403
        );

        // No mentor yet: nothing to log. Sessions are held on or after the day of the request.
        let today = Utc::now().date_naive();
        let session = json!({ "held_on": today, "minutes": 60, "note": "Walked through the huddle plan" });
        assert_eq!(agent.post(&format!("/api/v1/mentoring/{id}/sessions"), session.clone()).await.status(), 409);
        // The mentor must hold the target role or one above it, and may not be the mentee.
        let pair = |who: ladder_core::EmployeeId| json!({ "mentor_id": who });
        let res = leader.post(&format!("/api/v1/mentoring/{id}/mentor"), pair(f.other_agent)).await;
        assert_eq!(res.status(), 422);
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "mentor_id");
        assert_eq!(leader.post(&format!("/api/v1/mentoring/{id}/mentor"), pair(e)).await.status(), 422);
        assert_eq!(agent.post(&format!("/api/v1/mentoring/{id}/mentor"), pair(f.other_leader)).await.status(), 403);
        assert_eq!(
            mentor.get(&format!("/api/v1/mentoring/{id}")).await.status(),
            403,
            "not before they are the mentor"
        );
        let res = leader.post(&format!("/api/v1/mentoring/{id}/mentor"), pair(f.other_leader)).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap()["mentor_name"], "Omar Other");

        assert_eq!(mentor.post(&format!("/api/v1/mentoring/{id}/sessions"), session).await.status(), 201);
        let short = json!({ "held_on": today, "minutes": 10 });
        let res = agent.post(&format!("/api/v1/mentoring/{id}/sessions"), short).await;
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "minutes");
        let tomorrow = (Utc::now().date_naive() + chrono::Duration::days(1)).to_string();
        let res = agent
            .post(&format!("/api/v1/mentoring/{id}/sessions"), json!({ "held_on": tomorrow, "minutes": 30 }))
            .await;
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "held_on");
        let yesterday = (today - chrono::Duration::days(1)).to_string();
        let res = agent
            .post(&format!("/api/v1/mentoring/{id}/sessions"), json!({ "held_on": yesterday, "minutes": 30 }))
            .await;
        assert_eq!(res.status(), 422, "not before the request was made");
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "held_on");
        let own = json!({ "held_on": today, "minutes": 480, "note": "Shadowed the whole shift" });
        assert_eq!(agent.post(&format!("/api/v1/mentoring/{id}/sessions"), own).await.status(), 201);
        let hr = app.sign_in(Hr).await;
        assert_eq!(
            hr.post(&format!("/api/v1/mentoring/{id}/sessions"), json!({ "held_on": "2026-01-12", "minutes": 30 }))
                .await
                .status(),
            403
        );

        let detail = mentor.get_json(&format!("/api/v1/mentoring/{id}"), 200).await;
        assert_eq!(
            (detail["request"]["sessions"].as_i64(), detail["request"]["minutes"].as_i64()),
            (Some(2), Some(540))
        );
        assert_eq!(detail["sessions"][0]["held_on"], today.to_string());
        assert_eq!(detail["sessions"][0]["logged_by"], "mentor");
        assert_eq!(detail["sessions"][1]["logged_by"], "mentee");
        assert_eq!(app.sign_in(Manager).await.get(&format!("/api/v1/mentoring/{id}")).await.status(), 403);
        assert_eq!(app.sign_in(OtherTeamAgent).await.get(&format!("/api/v1/mentoring/{id}")).await.status(), 403);
        for who in [&agent, &leader, &mentor, &hr] {
            let list = who.get_json("/api/v1/mentoring", 200).await;
            assert!(list["items"].as_array().unwrap().iter().any(|r| r["id"] == id));
        }
        let others = app.sign_in(OtherTeamAgent).await.get_json("/api/v1/mentoring", 200).await;
        assert_eq!(others["total"], 0, "{others}");

        // The sessions are evidence in the packet, page and PDF alike.
        let packet = leader.get(&format!("/people/{e}/packet")).await.text().await.unwrap();
        assert!(
            packet.contains("Mentoring and shadowing")
                && packet.contains("480 minutes")
                && packet.contains("Omar Other")
                && packet.contains("logged by the mentor")
                && packet.contains("logged by the mentee")
        );
    })
    .await;
}

#[tokio::test]
async fn the_pages_ask_pair_and_log() {
    each_app(async |app| {
        let agent = app.sign_in(Agent).await;
        let html = agent.get("/mentoring").await.text().await.unwrap();
        assert!(html.contains("Ask for a mentor or a shadowing day"));
        let csrf = agent.csrf.clone().unwrap();
        let key = "k-mentoring-1";
        let post = || {
            agent
                .client
                .post(format!("{}/mentoring", app.base))
                .form(&[
                    ("_csrf", csrf.as_str()),
                    ("_key", key),
                    ("kind", "shadowing"),
                    ("target_role", "quality-analyst"),
                    ("note", ""),
                ])
                .send()
        };
        let first = post().await.unwrap();
        let second = post().await.unwrap();
        assert_eq!(first.url().path(), second.url().path(), "a repeated form opens the same request");
        let list = agent.get_json("/api/v1/mentoring", 200).await;
        assert_eq!(list["total"], 1, "{list}");
        let id = list["items"][0]["id"].as_i64().unwrap();

        let leader = app.sign_in(Leader).await;
        let page = leader.get(&format!("/mentoring/{id}")).await.text().await.unwrap();
        assert!(page.contains("Pair with a mentor") && page.contains("Omar Other"), "leaders and above are offered");
        let res = leader
            .client
            .post(format!("{}/mentoring/{id}/mentor", app.base))
            .form(&[
                ("_csrf", leader.csrf.clone().unwrap().as_str()),
                ("mentor_id", &app.fixture.other_leader.to_string()),
            ])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
        let page = agent.get(&format!("/mentoring/{id}")).await.text().await.unwrap();
        assert!(page.contains("Log the session") && page.contains("Paired with <strong>Omar Other</strong>"));
        let res = agent
            .client
            .post(format!("{}/mentoring/{id}/sessions", app.base))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("held_on", &Utc::now().date_naive().to_string()),
                ("minutes", "5"),
                ("note", ""),
            ])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "the form again, with why");
        assert!(res.text().await.unwrap().contains("Minutes: 15 to 480 minutes"));
    })
    .await;
}

#[tokio::test]
async fn requests_close_and_free_a_place() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let (agent, leader, hr) = (app.sign_in(Agent).await, app.sign_in(Leader).await, app.sign_in(Hr).await);
        let ask = json!({ "kind": "mentor", "target_role": "team-leader" });
        let mut ids = Vec::new();
        for _ in 0..5 {
            let res = agent.post(&format!("/api/v1/employees/{e}/mentoring"), ask.clone()).await;
            assert_eq!(res.status(), 201);
            ids.push(res.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
        }
        assert_eq!(agent.post(&format!("/api/v1/employees/{e}/mentoring"), ask.clone()).await.status(), 409);

        // Not someone else's: neither a leader of another team nor a manager.
        for who in [OtherLeader, Manager, OtherTeamAgent] {
            let res = app.sign_in(who).await.post(&format!("/api/v1/mentoring/{}/closed", ids[0]), json!({})).await;
            assert_eq!(res.status(), 403, "{who:?}");
        }
        let closed = agent.post(&format!("/api/v1/mentoring/{}/closed", ids[0]), json!({})).await;
        assert_eq!(closed.status(), 200);
        let closed = closed.json::<Value>().await.unwrap();
        assert!(closed["closed_at"].is_string() && closed["may_close"] == false);
        assert_eq!(agent.post(&format!("/api/v1/mentoring/{}/closed", ids[0]), json!({})).await.status(), 409);
        let pair = json!({ "mentor_id": app.fixture.other_leader });
        assert_eq!(leader.post(&format!("/api/v1/mentoring/{}/mentor", ids[0]), pair).await.status(), 409);
        assert_eq!(leader.post(&format!("/api/v1/mentoring/{}/closed", ids[1]), json!({})).await.status(), 200);
        assert_eq!(hr.post(&format!("/api/v1/mentoring/{}/closed", ids[2]), json!({})).await.status(), 200);
        // Three places are free again.
        assert_eq!(agent.post(&format!("/api/v1/employees/{e}/mentoring"), ask).await.status(), 201);

        // The page's button.
        let page = agent.get(&format!("/mentoring/{}", ids[3])).await.text().await.unwrap();
        assert!(page.contains("Close the request"));
        let res = agent
            .client
            .post(format!("{}/mentoring/{}/closed", app.base, ids[3]))
            .form(&[("_csrf", agent.csrf.clone().unwrap().as_str())])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success());
        let page = res.text().await.unwrap();
        assert!(page.contains("Closed on") && !page.contains("Close the request"));
    })
    .await;
}

#[tokio::test]
async fn a_request_holds_at_most_200_sessions() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let (agent, leader) = (app.sign_in(Agent).await, app.sign_in(Leader).await);
        let ask = json!({ "kind": "shadowing", "target_role": "team-leader" });
        let res = agent.post(&format!("/api/v1/employees/{e}/mentoring"), ask).await;
        let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let pair = json!({ "mentor_id": app.fixture.other_leader });
        assert_eq!(leader.post(&format!("/api/v1/mentoring/{id}/mentor"), pair).await.status(), 200);
        let (today, now) = (Utc::now().date_naive(), Utc::now());
        let sql = "INSERT INTO mentoring_sessions (request_id, held_on, minutes, note, created_at)
            VALUES ($1, $2, 30, '', $3)";
        for _ in 0..199 {
            ladder_store::on_db!(&app.db, p => sqlx::query(sql).bind(id).bind(today).bind(now).execute(p).await.unwrap().rows_affected());
        }
        let session = json!({ "held_on": today, "minutes": 30 });
        assert_eq!(agent.post(&format!("/api/v1/mentoring/{id}/sessions"), session.clone()).await.status(), 201);
        let res = agent.post(&format!("/api/v1/mentoring/{id}/sessions"), session).await;
        assert_eq!(res.status(), 422, "the 201st");
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "sessions");
    })
    .await;
}
