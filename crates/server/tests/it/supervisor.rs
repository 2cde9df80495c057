//! A personal Ladder's supervisor (issue 30), on SQLite and PostgreSQL: the person makes a
//! one-time link, the supervisor joins with it and sees what is shared (never a private entry),
//! reviews check-ins (and the person no longer does), cannot administer or invite; the person
//! revokes a link and removes the supervisor, which gives self-review back.

use chrono::{Duration, Utc};
use ladder_core::period::Month;
use ladder_core::Framework;
use ladder_server::service::personal::{self, SetUp};
use ladder_server::state::Config;
use reqwest::Client;
use serde_json::{json, Value};

use crate::common::{self, Session};

const PASSWORD: &str = "a long personal passphrase";
const SUPERVISOR_PASSWORD: &str = "the supervisor's own passphrase";

fn ana() -> SetUp {
    SetUp {
        name: "Ana Reyes".into(),
        email: "ana@example.com".into(),
        password: PASSWORD.into(),
        role: "customer-service-executive".into(),
        hire_date: common::day(2025, 1, 13),
        code: "me".into(),
        country: "Philippines".into(),
        timezone: "Asia/Manila".into(),
        employer: String::new(),
    }
}

fn client() -> Client {
    Client::builder().cookie_store(true).build().unwrap()
}

async fn sign_in(base: &str, email: &str, password: &str) -> Session {
    let client = client();
    let res = client
        .post(format!("{base}/api/v1/session"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "sign in as {email}");
    let body: Value = res.json().await.unwrap();
    Session { client, csrf: body["csrf_token"].as_str().map(str::to_string), base: base.to_string() }
}

/// The token at the end of a link.
fn token(link: &Value) -> String {
    link["link"].as_str().unwrap().rsplit('/').next().unwrap().to_string()
}

#[tokio::test]
async fn a_supervisor_joins_by_link_sees_only_what_is_shared_and_reviews_until_removed() {
    ladder_testkit::each_backend(async |test_db| {
        let db = test_db.db.clone();
        let ids = personal::set_up(&db, &Framework::default_framework(), &ana()).await.unwrap();
        let e = ids.employee_id;
        let config = Config { public_url: "https://ladder.example.com".into(), supervisor_link_days: 3, ..Config::default() };
        let (base, server) = common::serve(&db, config).await;
        let ana = sign_in(&base, "ana@example.com", PASSWORD).await;
        let anon = Session { client: client(), csrf: None, base: base.clone() };

        let view = ana.get_json("/api/v1/me/supervisors", 200).await;
        assert_eq!((view["self_review"].as_bool(), view["pending"].is_null()), (Some(true), true), "{view}");

        // A link, then a second one: the first stops working.
        let first = ana.post("/api/v1/me/supervisors/invite", json!({})).await;
        assert_eq!(first.status(), 201);
        let first: Value = first.json().await.unwrap();
        assert!(first["link"].as_str().unwrap().starts_with("https://ladder.example.com/supervise/"), "{first}");
        let expires: chrono::DateTime<Utc> = first["expires_at"].as_str().unwrap().parse().unwrap();
        assert!((expires - (Utc::now() + Duration::days(3))).num_minutes().abs() < 5, "the lifetime setting: {first}");
        let res = ana.post("/api/v1/me/supervisors/invite", json!({})).await;
        let link: Value = res.json().await.unwrap();
        assert_eq!(anon.get(&format!("/supervise/{}", token(&first))).await.status(), 404, "replaced");
        let page = anon.get(&format!("/supervise/{}", token(&link))).await.text().await.unwrap();
        assert!(page.contains("Supervise Ana Reyes"), "{page}");
        assert!(ana.get_json("/api/v1/me/supervisors", 200).await["pending"].is_object());
        // Only the hash is stored.
        let stored: Vec<String> = {
            let sql = "SELECT token_hash FROM supervisor_invites";
            ladder_store::on_db!(&db, p => sqlx::query_scalar(sql).fetch_all(p).await.unwrap())
        };
        assert!(!stored.is_empty() && !stored.contains(&token(&link)), "{stored:?}");

        // A shared and a private entry, and a check-in.
        let month = Month::last_full(Utc::now().date_naive()).first_day().to_string();
        for (title, shared) in [("Shared: cut repeat calls", true), ("Private: thinking of leaving", false)] {
            let entry = json!({ "date": month, "title": title, "shared": shared });
            assert_eq!(ana.post(&format!("/api/v1/employees/{e}/accomplishments"), entry).await.status(), 201);
        }
        let checkin = json!({ "month": Month::of(Utc::now().date_naive()).to_string(), "highlights": "First month" });
        let checkin: Value = ana.post(&format!("/api/v1/employees/{e}/checkins"), checkin).await.json().await.unwrap();

        // Joining: bad fields are named and leave the link working.
        let join = |name: &str, email: &str, password: &str| {
            json!({ "token": token(&link), "name": name, "email": email, "password": password })
        };
        for (body, field) in [
            (join(" ", "ben@example.com", SUPERVISOR_PASSWORD), "name"),
            (join("Ben Cruz", "ben", SUPERVISOR_PASSWORD), "email"),
            (join("Ben Cruz", "ANA@example.com", SUPERVISOR_PASSWORD), "email"),
            (join("Ben Cruz", "ben@example.com", "short"), "password"),
            (join(&"x".repeat(500), "ben@example.com", SUPERVISOR_PASSWORD), "name"),
        ] {
            let res = anon.post("/api/v1/supervisor-invites/accept", body).await;
            assert_eq!(res.status(), 422);
            let error: Value = res.json().await.unwrap();
            assert_eq!(error["error"]["field"], field, "{error}");
        }
        let res = anon.post("/api/v1/supervisor-invites/accept", join("Ben Cruz", "ben@example.com", SUPERVISOR_PASSWORD)).await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        let again = anon.post("/api/v1/supervisor-invites/accept", join("Cy", "cy@example.com", SUPERVISOR_PASSWORD)).await;
        assert_eq!(again.status(), 404, "a link works once");

        // The supervisor: a team leader of Ana's team, with no record of their own.
        let ben = sign_in(&base, "ben@example.com", SUPERVISOR_PASSWORD).await;
        let me = ben.get_json("/api/v1/me", 200).await;
        assert_eq!(me["access"], "team-leader", "{me}");
        assert!(me["employee_id"].is_null(), "{me}");
        ben.get_json(&format!("/api/v1/employees/{e}"), 200).await;
        let entries = ben.get_json(&format!("/api/v1/employees/{e}/accomplishments"), 200).await.to_string();
        assert!(entries.contains("Shared: cut repeat calls") && !entries.contains("Private"), "{entries}");
        ben.get_json(&format!("/api/v1/employees/{e}/scorecard"), 200).await;
        assert_eq!(ben.get(&format!("/api/v1/employees/{e}/record")).await.status(), 403, "a record is more than shared");
        assert_eq!(ben.get("/api/v1/users").await.status(), 403, "no administration");
        assert_eq!(ben.get("/api/v1/me/supervisors").await.status(), 403);
        assert_eq!(ben.post("/api/v1/me/supervisors/invite", json!({})).await.status(), 403, "invites no one");
        let person = ben.get(&format!("/people/{e}")).await;
        assert_eq!(person.status(), 200);
        let person = person.text().await.unwrap();
        assert!(person.contains("Shared: cut repeat calls") && !person.contains("Private"), "{person}");
        let home = ben.get("/home").await.text().await.unwrap();
        assert!(home.contains("href=\"/team\""), "{home}");
        let team = ben.get("/team").await;
        assert_eq!(team.status(), 200);
        assert!(team.text().await.unwrap().contains("Ana Reyes"));

        // Ben reviews the check-in; Ana no longer reviews her own.
        let acknowledge = format!("/api/v1/employees/{e}/checkins/{}/acknowledge", checkin["id"]);
        assert_eq!(ana.post(&acknowledge, json!({ "comment": "Mine" })).await.status(), 403, "no self-review");
        assert_eq!(ana.get_json("/api/v1/me/supervisors", 200).await["self_review"], false);
        let res = ben.post(&acknowledge, json!({ "comment": "Good start" })).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

        // A pending link is revoked; removing Ben disables him and gives self-review back.
        let res = ana.post("/api/v1/me/supervisors/invite", json!({})).await;
        let pending: Value = res.json().await.unwrap();
        assert_eq!(ana.delete("/api/v1/me/supervisors/invite").await.status(), 204);
        assert_eq!(ana.delete("/api/v1/me/supervisors/invite").await.status(), 404, "nothing left to revoke");
        let revoked = anon.get(&format!("/supervise/{}", token(&pending))).await;
        assert_eq!(revoked.status(), 404, "revoked");
        assert!(revoked.text().await.unwrap().contains("This link no longer works"), "a page, not the API's JSON");
        let view = ana.get_json("/api/v1/me/supervisors", 200).await;
        let ben_id = view["supervisors"][0]["user_id"].as_i64().unwrap();
        assert_eq!(view["supervisors"][0]["removed"], false, "{view}");
        assert_eq!(ana.delete(&format!("/api/v1/me/supervisors/{}", ids.user_id)).await.status(), 404, "not a supervisor");
        assert_eq!(ana.delete(&format!("/api/v1/me/supervisors/{ben_id}")).await.status(), 204);
        assert_eq!(ben.get(&format!("/api/v1/employees/{e}")).await.status(), 401, "signed out");
        let view = ana.get_json("/api/v1/me/supervisors", 200).await;
        assert_eq!((view["self_review"].as_bool(), &view["supervisors"][0]["removed"]), (Some(true), &json!(true)));
        let checkin = json!({ "month": Month::of(Utc::now().date_naive()).prev().to_string(), "highlights": "Before" });
        let res = ana.post(&format!("/api/v1/employees/{e}/checkins"), checkin).await;
        assert!(res.status().is_success(), "{}", res.status());
        let checkin: Value = res.json().await.unwrap();
        let acknowledge = format!("/api/v1/employees/{e}/checkins/{}/acknowledge", checkin["id"]);
        assert_eq!(ana.post(&acknowledge, json!({ "comment": "Mine again" })).await.status(), 200, "self-review is back");
        server.abort();
    })
    .await;
}

#[tokio::test]
async fn a_link_expires_the_supervisors_are_capped_and_an_organisations_ladder_has_none() {
    ladder_testkit::each_backend(async |test_db| {
        let db = test_db.db.clone();
        let ids = personal::set_up(&db, &Framework::default_framework(), &ana()).await.unwrap();
        let owner = ladder_store::org::personal::owner(&db).await.unwrap().unwrap();
        assert_eq!((owner.employee_id, owner.user_id), (ids.employee_id, ids.user_id));
        let config = Config::default();
        let link = ladder_server::service::supervisor::issue(&db, &config, owner.team_id, owner.user_id).await.unwrap();
        let hash = ladder_server::auth::hash_secret(link.link.rsplit('/').next().unwrap());
        let now = Utc::now();
        let team = ladder_store::supervisors::invite_team;
        assert_eq!(team(&db, &hash, now).await.unwrap(), Some(owner.team_id));
        assert_eq!(team(&db, &hash, now + Duration::days(8)).await.unwrap(), None, "expired after 7 days");
        let org = ladder_store::org::organisation(&db).await.unwrap().unwrap().0;
        let joined = |n: usize| ladder_store::supervisors::NewSupervisor {
            organisation_id: org,
            email: ["a@example.com", "b@example.com", "c@example.com", "d@example.com"][n],
            name: "S",
            password_hash: "x",
        };
        let late = ladder_store::supervisors::join(&db, &hash, &joined(0), 3, now + Duration::days(8)).await;
        assert!(matches!(late, Err(ladder_store::supervisors::JoinRefused::LinkGone)), "{late:?}");
        for n in 0..3 {
            let link =
                ladder_server::service::supervisor::issue(&db, &config, owner.team_id, owner.user_id).await.unwrap();
            let hash = ladder_server::auth::hash_secret(link.link.rsplit('/').next().unwrap());
            ladder_store::supervisors::join(&db, &hash, &joined(n), 3, Utc::now()).await.unwrap();
        }
        let full = ladder_server::service::supervisor::issue(&db, &config, owner.team_id, owner.user_id).await;
        assert_eq!(full.unwrap_err().status, 409, "at most three");
    })
    .await;
}

/// In an organisation's Ladder nobody manages supervisors, not even an administrator.
#[tokio::test]
async fn in_an_organisations_ladder_no_one_has_supervisor_links() {
    common::each_app(async |app| {
        for persona in [common::Persona::Admin, common::Persona::Agent, common::Persona::Leader] {
            let s = app.sign_in(persona).await;
            assert_eq!(s.get("/api/v1/me/supervisors").await.status(), 403, "{persona:?}");
            assert_eq!(s.post("/api/v1/me/supervisors/invite", json!({})).await.status(), 403, "{persona:?}");
            assert_eq!(s.get("/account/supervisor").await.status(), 403, "{persona:?}");
            assert!(!s.get("/account").await.text().await.unwrap().contains("/account/supervisor"));
        }
        let anon = app.sign_in(common::Persona::Anonymous).await;
        assert_eq!(anon.get("/supervise/not-a-token").await.status(), 404);
    })
    .await;
}
