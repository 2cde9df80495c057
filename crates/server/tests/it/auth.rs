//! Signing in and out, sessions, CSRF, throttling, invitations and API tokens — on SQLite and
//! PostgreSQL.

use crate::common;

use common::{each_app, each_app_with, Persona, TestApp, PASSWORD};
use ladder_server::state::Config;
use serde_json::{json, Value};

#[tokio::test]
async fn sign_in_me_and_sign_out() {
    each_app(async |app| {
        let backend = app.backend;
        let anon = app.sign_in(Persona::Anonymous).await;
        let res = anon.get("/api/v1/me").await;
        assert_eq!(res.status(), 401, "{backend:?}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthenticated");

        let agent = app.sign_in(Persona::Agent).await;
        let me = agent.get_json("/api/v1/me", 200).await;
        assert_eq!(me["email"], "agent@example.com");
        assert_eq!(me["access"], "agent");
        assert_eq!(me["employee_id"], app.fixture.agent.0);

        assert_eq!(agent.delete("/api/v1/session").await.status(), 204);
        assert_eq!(agent.get("/api/v1/me").await.status(), 401, "{backend:?}: signed out");
    })
    .await;
}

#[tokio::test]
async fn wrong_password_is_refused_and_sign_ins_are_throttled() {
    let config = Config { login_attempts: 3, ..Config::default() };
    each_app_with(config, async |app| {
        let backend = app.backend;
        let client = app.client();
        let attempt = |password: &'static str| {
            let client = client.clone();
            let url = format!("{}/api/v1/session", app.base);
            async move {
                client
                    .post(url)
                    .json(&json!({ "email": "agent@example.com", "password": password }))
                    .send()
                    .await
                    .unwrap()
            }
        };
        for _ in 0..3 {
            let res = attempt("guess").await;
            assert_eq!(res.status(), 401);
            assert_eq!(res.json::<Value>().await.unwrap()["error"]["message"], "wrong email or password");
        }
        // Even the right password is refused while the window lasts.
        let res = attempt(PASSWORD).await;
        assert_eq!(res.status(), 429, "{backend:?}");
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "rate-limited");
    })
    .await;
}

#[tokio::test]
async fn cookie_writes_need_the_csrf_token() {
    each_app(async |app| {
        let backend = app.backend;
        let mut agent = app.sign_in(Persona::Agent).await;
        let token = agent.csrf.take();
        let res = agent.post("/api/v1/me/tokens", json!({ "name": "x" })).await;
        assert_eq!(res.status(), 403);
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "csrf");
        agent.csrf = Some("wrong".into());
        assert_eq!(agent.post("/api/v1/me/tokens", json!({ "name": "x" })).await.status(), 403);
        agent.csrf = token;
        assert_eq!(agent.post("/api/v1/me/tokens", json!({ "name": "x" })).await.status(), 201, "{backend:?}");
    })
    .await;
}

#[tokio::test]
async fn the_session_id_changes_on_sign_in() {
    each_app(async |app| {
        let client = reqwest::Client::builder().build().unwrap();
        // A cookie planted before sign-in must not become the signed-in session (fixation).
        let planted = "ladder_session=planted-value";
        let res = client
            .post(format!("{}/api/v1/session", app.base))
            .header("cookie", planted)
            .json(&json!({ "email": "agent@example.com", "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let set_cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
        assert!(set_cookie.starts_with("ladder_session=") && !set_cookie.contains("planted-value"), "{set_cookie}");
        assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    })
    .await;
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session() {
    each_app(async |app| {
        let backend = app.backend;
        let phone = app.sign_in(Persona::Agent).await;
        let laptop = app.sign_in(Persona::Agent).await;
        assert_eq!(phone.post("/api/v1/session/everywhere", json!({})).await.status(), 204);
        assert_eq!(laptop.get("/api/v1/me").await.status(), 401, "{backend:?}");
        assert_eq!(phone.get("/api/v1/me").await.status(), 401);
    })
    .await;
}

#[tokio::test]
async fn an_invitation_works_once_and_reset_signs_out() {
    each_app(async |app| {
        let backend = app.backend;
        let admin = app.sign_in(Persona::Admin).await;
        let res = admin
            .post("/api/v1/users", json!({ "email": "New.Person@Example.com", "name": "New Person", "access": "agent", "employee_id": app.fixture.far_agent }))
            .await;
        assert_eq!(res.status(), 201);
        let invite: Value = res.json().await.unwrap();
        let token = invite["link"].as_str().unwrap().rsplit('/').next().unwrap().to_string();

        let anon = app.sign_in(Persona::Anonymous).await;
        let accept = json!({ "token": token, "password": "a long new password" });
        let short = json!({ "token": token, "password": "short" });
        let res = anon.post("/api/v1/invitations/accept", short).await;
        assert_eq!(res.status(), 422);
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "password");
        assert_eq!(anon.post("/api/v1/invitations/accept", accept.clone()).await.status(), 204);
        assert_eq!(anon.post("/api/v1/invitations/accept", accept).await.status(), 404, "{backend:?}: used once");

        let client = app.client();
        let res = client
            .post(format!("{}/api/v1/session", app.base))
            .json(&json!({ "email": "new.person@example.com", "password": "a long new password" }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "email is matched case-insensitively");

        let user_id = invite["user_id"].as_i64().unwrap();
        assert_eq!(admin.post(&format!("/api/v1/users/{user_id}/reset"), json!({})).await.status(), 200);
        let me = client.get(format!("{}/api/v1/me", app.base)).send().await.unwrap();
        assert_eq!(me.status(), 401, "{backend:?}: reset signs the user out");

        // A duplicate email is a conflict.
        let res = admin
            .post("/api/v1/users", json!({ "email": "agent@example.com", "name": "Dup", "access": "agent" }))
            .await;
        assert_eq!(res.status(), 409);
    })
    .await;
}

#[tokio::test]
async fn api_tokens_authenticate_until_revoked() {
    each_app(async |app| {
        let backend = app.backend;
        let leader = app.sign_in(Persona::Leader).await;
        let created: Value =
            leader.post("/api/v1/me/tokens", json!({ "name": "wfm sync" })).await.json().await.unwrap();
        let token = created["token"].as_str().unwrap().to_string();
        let bare = reqwest::Client::new();
        let me = |t: String| {
            let bare = bare.clone();
            let url = format!("{}/api/v1/me", app.base);
            async move { bare.get(url).bearer_auth(t).send().await.unwrap() }
        };
        let res = me(token.clone()).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json::<Value>().await.unwrap()["access"], "team-leader");
        // Only the hash is stored.
        let stored: Vec<String> = ladder_store::on_db!(&app.db, p => sqlx::query_scalar("SELECT token_hash FROM api_tokens").fetch_all(p).await.unwrap());
        assert!(stored.iter().all(|h| h != &token && h.len() == 64));
        // Its use is recorded (to the minute, so a busy integration does not write every time).
        let last_used = || async {
            let sql = "SELECT last_used_at FROM api_tokens";
            let t: Option<chrono::DateTime<chrono::Utc>> =
                ladder_store::on_db!(&app.db, p => sqlx::query_scalar(sql).fetch_one(p).await.unwrap());
            t
        };
        let first_use = last_used().await.expect("the first use is recorded");
        assert_eq!(me(token.clone()).await.status(), 200);
        assert_eq!(last_used().await, Some(first_use), "a second use within the minute writes nothing");
        ladder_store::on_db!(&app.db, p => sqlx::query("UPDATE api_tokens SET last_used_at = $1")
            .bind(first_use - chrono::Duration::minutes(5)).execute(p).await.unwrap().rows_affected());
        assert_eq!(me(token.clone()).await.status(), 200);
        assert!(last_used().await.unwrap() >= first_use, "a use after a minute is recorded again");

        let id = created["id"].as_i64().unwrap();
        assert_eq!(leader.delete(&format!("/api/v1/me/tokens/{id}")).await.status(), 204);
        assert_eq!(me(token).await.status(), 401, "{backend:?}");
        assert_eq!(me("ldr_nonsense".into()).await.status(), 401);
    })
    .await;
}

#[tokio::test]
async fn password_change_keeps_this_session_and_ends_others() {
    each_app(async |app| {
        let backend = app.backend;
        let here = app.sign_in(Persona::Hr).await;
        let elsewhere = app.sign_in(Persona::Hr).await;
        let wrong = json!({ "current_password": "nope", "new_password": "another long password" });
        let res = here.post("/api/v1/me/password", wrong).await;
        assert_eq!(res.status(), 422);
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "current_password");
        let ok = json!({ "current_password": PASSWORD, "new_password": "another long password" });
        assert_eq!(here.post("/api/v1/me/password", ok).await.status(), 204);
        assert_eq!(here.get("/api/v1/me").await.status(), 200, "{backend:?}");
        assert_eq!(elsewhere.get("/api/v1/me").await.status(), 401);
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_lists_the_api() {
    let app = TestApp::spawn(common::Backend::Sqlite).await;
    let doc = app.sign_in(Persona::Anonymous).await.get_json("/api/v1/openapi.json", 200).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/v1/session", "/api/v1/me", "/api/v1/employees/{id}", "/api/v1/users"] {
        assert!(doc["paths"].get(path).is_some(), "{path} in the OpenAPI document");
    }
    // Every schema a part of the document points at is in it (a client generator stops on one missing).
    let text = doc.to_string();
    let dangling: Vec<&str> = text
        .split("\"#/components/schemas/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|name| doc["components"]["schemas"].get(*name).is_none())
        .collect();
    assert!(dangling.is_empty(), "schemas referred to but not in the document: {dangling:?}");
    app.stop().await;
}
