//! Issue 27's findings, each held by a test: one account per employee, text limits and control
//! characters, the accomplishment log's pages, an invitation written whole or not at all, and
//! the JSON error body (and an OpenAPI document that says so) for every error under `/api/`.

use ladder_core::limits;
use serde_json::{json, Value};

use crate::common::{each_app, Persona, TestApp};

async fn user_count(app: &TestApp) -> usize {
    ladder_store::users::users(&app.db).await.unwrap().len()
}

async fn refused(res: reqwest::Response, status: u16, field: &str) -> Value {
    assert_eq!(res.status().as_u16(), status);
    let body: Value = res.json().await.expect("the JSON error body");
    assert_eq!(body["error"]["field"], field, "{body}");
    body
}

#[tokio::test]
async fn a_second_account_for_an_employee_is_refused_by_the_api_the_page_and_the_store() {
    each_app(async |app| {
        let admin = app.sign_in(Persona::Admin).await;
        let before = user_count(&app).await;
        // The API: the agent already has an account.
        let res = admin
            .post("/api/v1/users", json!({"email": "spy@example.com", "name": "Spy", "access": "agent", "employee_id": app.fixture.agent}))
            .await;
        let body = refused(res, 422, "employee_id").await;
        assert!(body["error"]["message"].as_str().unwrap().contains("already has an account"), "{body}");
        // The page, by the employee's code.
        let form = [("_csrf", admin.csrf.as_deref().unwrap()), ("email", "spy2@example.com"), ("name", "Spy"), ("access", "agent"), ("employee_code", "E1")];
        let page = admin.client.post(format!("{}/admin/invite", app.base)).form(&form).send().await.unwrap();
        let html = page.text().await.unwrap();
        assert!(html.contains("already has an account"), "the form again, with the reason");
        assert_eq!(user_count(&app).await, before, "no account was made");
        // The store's unique index holds even if a caller skips the service's check.
        let new = ladder_store::users::NewUser {
            organisation_id: app.fixture.organisation,
            email: "spy3@example.com",
            name: "Spy",
            access: ladder_core::access::Access::Agent,
            employee_id: Some(app.fixture.agent),
            password_hash: None,
        };
        let e = ladder_store::users::create_user(&app.db, &new).await.unwrap_err();
        assert!(matches!(&e, ladder_store::StoreError::Conflict(m) if m.contains("already has an account")), "{e:?}");
        // Someone without an account may still be given one.
        let res = admin
            .post("/api/v1/users", json!({"email": "cora@example.com", "name": "Cora", "access": "agent", "employee_id": app.fixture.far_agent}))
            .await;
        assert_eq!(res.status(), 201);
    })
    .await;
}

#[tokio::test]
async fn inviting_a_manager_for_an_unknown_site_or_account_writes_nothing() {
    each_app(async |app| {
        let admin = app.sign_in(Persona::Admin).await;
        let before = user_count(&app).await;
        for (field, body) in [
            ("sites", json!({"email": "m1@example.com", "name": "M", "access": "manager", "sites": [app.fixture.sites[0], 999_999]})),
            ("accounts", json!({"email": "m2@example.com", "name": "M", "access": "manager", "accounts": [999_999]})),
            ("sites", json!({"email": "m3@example.com", "name": "M", "access": "agent", "sites": [app.fixture.sites[0]]})),
        ] {
            refused(admin.post("/api/v1/users", body).await, 422, field).await;
        }
        assert_eq!(user_count(&app).await, before, "no orphan user");
        let ok = json!({"email": "m4@example.com", "name": "M", "access": "manager", "sites": [app.fixture.sites[1]], "accounts": [app.fixture.accounts[0]]});
        let res = admin.post("/api/v1/users", ok).await;
        assert_eq!(res.status(), 201);
        let id = ladder_core::UserId(res.json::<Value>().await.unwrap()["user_id"].as_i64().unwrap());
        let user = ladder_store::users::user(&app.db, id).await.unwrap();
        let actor = ladder_store::users::actor(&app.db, &user).await.unwrap();
        assert_eq!((actor.sites, actor.accounts), (vec![app.fixture.sites[1]], vec![app.fixture.accounts[0]]));
    })
    .await;
}

#[tokio::test]
async fn text_over_its_limit_or_with_control_characters_is_refused_naming_the_field() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let log = format!("/api/v1/employees/{}/accomplishments", app.fixture.agent);
        let entry = |extra: Value| {
            let mut e = json!({"date": "2026-01-05", "title": "Fixed the IVR loop"});
            e.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            e
        };
        let long = |n: usize| "x".repeat(n);
        for (field, extra) in [
            ("impact_unit", json!({"impact_unit": long(limits::LINE + 1)})),
            ("tags", json!({"tags": vec!["t"; limits::TAGS + 1]})),
            ("tags[0]", json!({"tags": [long(limits::TAG + 1)]})),
            ("title", json!({"title": "two\nlines"})),
            ("details", json!({"details": long(limits::TEXT + 1)})),
            ("details", json!({"details": "nul\u{0}byte"})),
        ] {
            refused(agent.post(&log, entry(extra)).await, 422, field).await;
        }
        assert_eq!(
            agent.post(&log, entry(json!({"impact_unit": long(limits::LINE), "details": "a\nb"}))).await.status(),
            201
        );
        let training = format!("/api/v1/employees/{}/training", app.fixture.agent);
        let item =
            json!({"kind": "course", "title": "Empathy", "status": "planned", "provider": long(limits::LINE + 1)});
        refused(agent.post(&training, item).await, 422, "provider").await;
        refused(agent.post("/api/v1/me/tokens", json!({"name": "ci\u{0}token"})).await, 422, "name").await;
        refused(agent.post("/api/v1/me/tokens", json!({"name": long(limits::NAME + 1)})).await, 422, "name").await;
        let admin = app.sign_in(Persona::Admin).await;
        let invite = json!({"email": "x@example.com", "name": long(limits::NAME + 1), "access": "hr"});
        refused(admin.post("/api/v1/users", invite).await, 422, "name").await;
    })
    .await;
}

#[tokio::test]
async fn the_accomplishment_log_comes_a_page_at_a_time() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let log = format!("/api/v1/employees/{}/accomplishments", app.fixture.agent);
        for day in 1..=5 {
            let entry = json!({"date": format!("2026-01-0{day}"), "title": format!("Entry {day}")});
            assert_eq!(agent.post(&log, entry).await.status(), 201);
        }
        let titles = |v: &Value| {
            v["items"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap().to_string()).collect::<Vec<_>>()
        };
        let first = agent.get_json(&format!("{log}?limit=2"), 200).await;
        assert_eq!((titles(&first), first["total"].as_u64()), (vec!["Entry 5".to_string(), "Entry 4".into()], Some(5)));
        let second = agent.get_json(&format!("{log}?limit=2&cursor={}", first["next"].as_str().unwrap()), 200).await;
        assert_eq!(titles(&second), ["Entry 3", "Entry 2"]);
        let third = agent.get_json(&format!("{log}?limit=2&cursor={}", second["next"].as_str().unwrap()), 200).await;
        assert_eq!((titles(&third), third["next"].clone()), (vec!["Entry 1".to_string()], Value::Null));
        assert_eq!(titles(&agent.get_json(&log, 200).await).len(), 5, "the default page holds them all");
        refused(agent.get(&format!("{log}?limit=501")).await, 422, "limit").await;
        refused(agent.get(&format!("{log}?offset=2")).await, 422, "offset").await;
        refused(agent.get(&format!("{log}?cursor=abc")).await, 422, "cursor").await;
    })
    .await;
}

#[tokio::test]
async fn every_error_under_the_api_is_the_json_error_body() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let big = "x".repeat(3 * 1024 * 1024);
        let cases = [
            (agent.get("/api/v1/no-such-route").await, 404, "not-found"),
            (agent.get("/api/nothing").await, 404, "not-found"),
            (agent.get("/api/v1/employees/abc").await, 400, "invalid"),
            (agent.request(reqwest::Method::PATCH, "/api/v1/me", None).await, 405, "method-not-allowed"),
            (
                agent
                    .client
                    .post(format!("{}/api/v1/me/tokens", app.base))
                    .header("x-csrf-token", agent.csrf.clone().unwrap())
                    .body("name=x")
                    .send()
                    .await
                    .unwrap(),
                415,
                "unsupported-media-type",
            ),
            (agent.post("/api/v1/me/tokens", json!({ "name": big })).await, 413, "too-large"),
            (app.sign_in(Persona::Anonymous).await.get("/api/v1/me").await, 401, "unauthenticated"),
        ];
        for (res, status, code) in cases {
            assert_eq!(res.status().as_u16(), status, "{}", res.url());
            assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"), "{}", res.url());
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["error"]["code"], code, "{body}");
            assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
        }
        // The pages keep their own answers.
        assert_eq!(agent.get("/no-such-page").await.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_states_the_limits_and_the_errors_every_operation_can_give() {
    let app = TestApp::spawn(ladder_testkit::Backend::Sqlite).await;
    let doc = app.sign_in(Persona::Anonymous).await.get_json("/api/v1/openapi.json", 200).await;
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["AccomplishmentInput"]["properties"]["impact_unit"]["maxLength"], limits::LINE);
    assert_eq!(schemas["AccomplishmentInput"]["properties"]["tags"]["maxItems"], limits::TAGS);
    assert_eq!(schemas["AccomplishmentInput"]["properties"]["tags"]["items"]["maxLength"], limits::TAG);
    assert_eq!(schemas["NewToken"]["properties"]["name"]["maxLength"], limits::NAME);
    // Every string a request body takes has a limit (all missing ones named at once).
    let mut unlimited = Vec::new();
    for (name, schema) in schemas.as_object().unwrap() {
        let input = doc["paths"].as_object().unwrap().values().flat_map(|p| p.as_object().unwrap().values()).any(|o| {
            o["requestBody"]["content"]["application/json"]["schema"]["$ref"] == format!("#/components/schemas/{name}")
        });
        for (property, field) in schema["properties"].as_object().into_iter().flatten() {
            let string =
                field["type"] == "string" || field["type"].as_array().is_some_and(|t| t.contains(&json!("string")));
            if input && string && field["format"].is_null() && !field["maxLength"].is_u64() {
                unlimited.push(format!("{name}.{property}"));
            }
        }
    }
    assert!(unlimited.is_empty(), "strings with no maxLength: {unlimited:?}");
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for status in ["400", "401", "403", "404", "422", "500"] {
                assert!(operation["responses"][status].is_object(), "{method} {path} documents {status}");
            }
        }
    }
    app.stop().await;
}
