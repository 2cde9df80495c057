//! What an outside probe broke in signing in (issue 27), kept fixed: parallel guesses past the
//! limit, anonymous visits that stored sessions, tokens that outlived a sign-out, redirects off
//! the site, readable session ids, weak passwords, missing security headers.

use crate::common;

use common::{each_app, each_app_with, Persona, TestApp, PASSWORD};
use ladder_server::state::Config;
use serde_json::{json, Value};

/// Fires `n` sign-ins at once with `email(i)` and a wrong password; the statuses seen.
async fn guesses_at_once(app: &TestApp, n: usize, email: impl Fn(usize) -> String) -> (usize, usize) {
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/session", app.base);
    let mut tries = tokio::task::JoinSet::new();
    for i in 0..n {
        let request = client.post(&url).json(&json!({ "email": email(i), "password": "a wrong guess" }));
        tries.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let statuses = tries.join_all().await;
    let tried = statuses.iter().filter(|&&s| s == 401).count();
    let refused = statuses.iter().filter(|&&s| s == 429).count();
    assert_eq!(tried + refused, n, "only 401 and 429: {statuses:?}");
    (tried, refused)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_at_one_account_stop_at_the_limit() {
    each_app_with(Config { login_attempts: 5, anonymous_per_second: 1000, ..Config::default() }, async |app| {
        let (tried, refused) = guesses_at_once(&app, 100, |_| "agent@example.com".into()).await;
        assert_eq!((tried, refused), (5, 95), "{:?}", app.backend);
        // The same person from the same address waits; someone else at that address does not.
        let client = app.client();
        let res = sign_in_with(&client, &app.base, "agent@example.com", PASSWORD).await;
        assert_eq!(res.status(), 429);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["message"], "too many failed sign-ins; try again in 1 minute");
        app.sign_in(Persona::Leader).await;
        // A password of a megabyte is refused before it is hashed.
        let res = sign_in_with(&client, &app.base, "leader@example.com", &"x".repeat(1 << 20)).await;
        assert_eq!(res.status(), 422);
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "password");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_from_one_address_stop_at_its_limit() {
    // An address may fail 20 times the per-person limit: 2 × 20 = 40.
    each_app_with(Config { login_attempts: 2, anonymous_per_second: 1000, ..Config::default() }, async |app| {
        let (tried, _) = guesses_at_once(&app, 60, |i| format!("nobody{i}@example.com")).await;
        assert_eq!(tried, 40, "{:?}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn a_good_sign_in_gives_its_count_back() {
    each_app_with(Config { login_attempts: 1, ..Config::default() }, async |app| {
        // 30 sign-ins from one address (a floor sharing one) do not add up to its limit of 20.
        for _ in 0..30 {
            app.sign_in(Persona::Agent).await;
        }
    })
    .await;
}

/// POSTs an API sign-in as `client`.
async fn sign_in_with(client: &reqwest::Client, base: &str, email: &str, password: &str) -> reqwest::Response {
    let body = json!({ "email": email, "password": password });
    client.post(format!("{base}/api/v1/session")).json(&body).send().await.unwrap()
}

async fn session_rows(app: &TestApp) -> i64 {
    ladder_store::on_db!(&app.db, p => sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(p).await.unwrap())
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"_csrf\" value=\"").expect("a form with a CSRF field") + 20;
    html[at..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn anonymous_visits_store_nothing_and_their_forms_are_bound_to_the_browser() {
    each_app(async |app| {
        let backend = app.backend;
        let before = session_rows(&app).await;
        let visitor =
            reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        for _ in 0..20 {
            let res = visitor.get(format!("{}/signin", app.base)).send().await.unwrap();
            assert_eq!(res.status(), 200);
        }
        let res = reqwest::get(format!("{}/invite/not-a-real-token", app.base)).await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(session_rows(&app).await, before, "{backend:?}: no session stored for a visit");

        // The form's token works only with the cookie it came with.
        let page = visitor.get(format!("{}/signin", app.base)).send().await.unwrap().text().await.unwrap();
        let token = csrf_of(&page);
        let stranger = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let form = [("_csrf", token.as_str()), ("email", "agent@example.com"), ("password", PASSWORD)];
        let res = stranger.post(format!("{}/signin", app.base)).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 403, "{backend:?}: a token without its cookie");
        let res = visitor.post(format!("{}/signin", app.base)).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 303, "{backend:?}");
        assert_eq!(session_rows(&app).await, before + 1, "signing in stores the one session");
    })
    .await;
}

#[tokio::test]
async fn an_address_without_credentials_gets_a_bounded_rate() {
    each_app_with(Config { anonymous_per_second: 1, ..Config::default() }, async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let anon = reqwest::Client::new();
        let mut limited = None;
        for i in 0..20 {
            let res = anon.get(format!("{}/signin", app.base)).send().await.unwrap();
            if res.status() == 429 {
                let body: Value = res.json().await.unwrap();
                assert_eq!(body["error"]["code"], "rate-limited");
                limited = Some(i);
                break;
            }
        }
        assert!(limited.is_some_and(|i| i >= 4), "a burst of five, then 429: {limited:?}");
        // Signed-in people are not counted with the anonymous ones.
        for _ in 0..10 {
            assert_eq!(agent.get("/api/v1/me").await.status(), 200);
        }
    })
    .await;
}

async fn token_of(app: &TestApp, persona: Persona) -> (common::Session, String) {
    let session = app.sign_in(persona).await;
    let created: Value = session.post("/api/v1/me/tokens", json!({ "name": "sync" })).await.json().await.unwrap();
    let token = created["token"].as_str().unwrap().to_string();
    (session, token)
}

async fn token_works(app: &TestApp, token: &str) -> bool {
    let res = reqwest::Client::new().get(format!("{}/api/v1/me", app.base)).bearer_auth(token).send().await.unwrap();
    res.status() == 200
}

#[tokio::test]
async fn api_tokens_end_with_every_sign_out_everywhere_password_change_and_reset() {
    each_app(async |app| {
        let backend = app.backend;
        let (session, token) = token_of(&app, Persona::Agent).await;
        assert!(token_works(&app, &token).await);
        assert_eq!(session.post("/api/v1/session/everywhere", json!({})).await.status(), 204);
        assert!(!token_works(&app, &token).await, "{backend:?}: sign-out everywhere");

        let (session, token) = token_of(&app, Persona::Agent).await;
        let change = json!({ "current_password": PASSWORD, "new_password": "night shift mornings" });
        assert_eq!(session.post("/api/v1/me/password", change).await.status(), 204);
        assert!(!token_works(&app, &token).await, "{backend:?}: password change");

        let (_, token) = token_of(&app, Persona::Leader).await;
        let admin = app.sign_in(Persona::Admin).await;
        let leader = app.fixture.users[&Persona::Leader];
        assert_eq!(admin.post(&format!("/api/v1/users/{leader}/reset"), json!({})).await.status(), 200);
        assert!(!token_works(&app, &token).await, "{backend:?}: access reset");
        let res = sign_in_with(&app.client(), &app.base, Persona::Leader.email(), PASSWORD).await;
        assert_eq!(res.status(), 401, "{backend:?}: the old password stops working at a reset");
    })
    .await;
}

#[tokio::test]
async fn only_same_site_paths_are_followed_after_sign_in() {
    each_app(async |app| {
        for (next, expected) in [
            ("/\t/evil.example/", "/home"),
            ("/\n/evil.example", "/home"),
            ("/\u{1}x", "/home"),
            ("//evil.example", "/home"),
            ("https://evil.example", "/home"),
            ("/kras?month=2026-03", "/kras?month=2026-03"),
        ] {
            let client = reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let page = client.get(format!("{}/signin", app.base)).send().await.unwrap().text().await.unwrap();
            let token = csrf_of(&page);
            let form =
                [("_csrf", token.as_str()), ("email", "agent@example.com"), ("password", PASSWORD), ("next", next)];
            let res = client.post(format!("{}/signin", app.base)).form(&form).send().await.unwrap();
            assert_eq!(res.status(), 303, "{next:?}");
            assert_eq!(res.headers()["location"], expected, "{next:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn session_ids_are_stored_hashed() {
    each_app(async |app| {
        let client = app.client();
        let res = sign_in_with(&client, &app.base, "agent@example.com", PASSWORD).await;
        let cookie = res.cookies().find(|c| c.name() == "ladder_session").expect("a session cookie").value().to_string();
        let ids: Vec<String> =
            ladder_store::on_db!(&app.db, p => sqlx::query_scalar("SELECT id FROM sessions").fetch_all(p).await.unwrap());
        assert!(!ids.contains(&cookie), "{:?}: the cookie's id is not in the table", app.backend);
        assert!(ids.contains(&ladder_server::auth::hash_secret(&cookie)));
        assert_eq!(client.get(format!("{}/api/v1/me", app.base)).send().await.unwrap().status(), 200);
    })
    .await;
}

#[tokio::test]
async fn weak_new_passwords_are_refused_with_the_rule() {
    each_app(async |app| {
        let hr = app.sign_in(Persona::Hr).await;
        for weak in ["          ", "aaaaaaaaaaaa", "1234567890", "Password123", "hr@example.com"] {
            let change = json!({ "current_password": PASSWORD, "new_password": weak });
            let res = hr.post("/api/v1/me/password", change).await;
            assert_eq!(res.status(), 422, "{weak:?}");
            assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "password", "{weak:?}");
        }
        let page = hr.get("/account").await.text().await.unwrap();
        assert!(page.contains("a very common password or your email address"), "the rule is on the form");
    })
    .await;
}

#[tokio::test]
async fn pages_and_answers_carry_the_security_headers() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        for path in ["/home", "/api/v1/me", "/signin", "/api/v1/no-such-thing", "/api/v1/employees/not-a-number"] {
            let res = agent.get(path).await;
            let h = res.headers();
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), "{path}: {csp}");
            assert_eq!(h["x-frame-options"], "DENY", "{path}");
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
            assert_eq!(h["cache-control"], "no-store", "{path}: personal");
        }
        let css = agent.get("/static/app.css").await;
        assert_eq!(css.headers()["cache-control"], "public, max-age=3600", "the stylesheet may be cached");
    })
    .await;
}
