//! The public career explorer (issue 30): its pages and its JSON load signed out, the landing
//! page is the explorer for a visitor and home for a signed-in person, and the self-assessment
//! refuses what it does not ask for.

use crate::common;

use common::{each_app, each_app_with, Persona};
use ladder_core::Framework;
use ladder_server::state::Config;
use serde_json::json;

async fn page(s: &common::Session, path: &str) -> (u16, String) {
    let res = s.get(path).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn explorer_pages_load_signed_out_and_the_landing_page_is_the_explorer() {
    each_app(async |app| {
        let fw = Framework::default_framework();
        let visitor = app.sign_in(Persona::Anonymous).await;
        let (status, html) = page(&visitor, "/").await;
        assert_eq!(status, 200, "a visitor gets the explorer at /, not a sign-in box: {html}");
        assert!(html.contains("Careers in BPO") && html.contains("href=\"/signin\""), "{html}");
        assert!(html.contains("<svg role=\"img\""), "the ladder as a picture");
        // The picture's text equivalent names every role.
        let list = &html[html.find("id=\"ladder-text\"").unwrap()..];
        let list = &list[..list.find("</ol>").unwrap()];
        for role in &fw.roles {
            assert!(list.contains(&role.name.replace('&', "&amp;")), "{} in the ladder's text", role.name);
        }

        let (status, html) = page(&visitor, "/explore/roles/customer-service-executive").await;
        assert_eq!(status, 200);
        for text in
            ["Skills it needs", "The first 90 days", "No degree is needed", "Senior Agent", "outside BPO", "43-9041.00"]
        {
            assert!(html.contains(text), "{text}: {html}");
        }
        assert!(!html.contains("What the market pays"), "no postings, no pay section");
        let (status, html) = page(&visitor, "/explore/roles/team-leader").await;
        assert_eq!(status, 200);
        assert!(html.contains("2–3 years from an entry role") && html.contains("ccsp"), "{html}");
        assert_eq!(page(&visitor, "/explore/roles/astronaut").await.0, 404);

        let (status, html) = page(&visitor, "/explore/industries").await;
        assert_eq!(status, 200);
        assert!(html.contains("Healthcare") && html.contains("Process Associate"));
        let (status, html) = page(&visitor, "/explore/certifications/itil-4-foundation").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("PeopleCert")
                && html.contains("Valid 3 years")
                && html.contains("Technical Support Associate")
        );
        assert_eq!(page(&visitor, "/explore/certifications").await.0, 200);
        assert_eq!(page(&visitor, "/explore/certifications/nope").await.0, 404);

        // The sign-in page, where the demo's printed sign-ins lead, links the explorer too.
        let (status, html) = page(&visitor, "/signin").await;
        assert_eq!(status, 200);
        assert!(html.contains("id=\"explore-link\"") && html.contains("href=\"/explore\""), "{html}");

        // Signed in: `/` is home, and the explorer keeps the person's navigation.
        let agent = app.sign_in(Persona::Agent).await;
        let res = agent.get("/").await;
        assert_eq!(res.url().path(), "/home");
        let (status, html) = page(&agent, "/explore").await;
        assert_eq!(status, 200);
        assert!(html.contains("Sign out") && !html.contains(">Sign in<"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn the_self_assessment_suggests_entry_roles_and_refuses_what_it_does_not_ask() {
    each_app(async |app| {
        let visitor = app.sign_in(Persona::Anonymous).await;
        let (status, html) = page(&visitor, "/explore/fit").await;
        assert_eq!(status, 200);
        assert!(html.contains("id=\"fit-form\"") && !html.contains("id=\"suggestions\""));

        let asked = "/explore/fit?communication=5&active-listening=4&empathy=4&customer-service=&work=voice&nights=yes&degree=no";
        let (status, html) = page(&visitor, asked).await;
        assert_eq!(status, 200, "{html}");
        let suggestions = &html[html.find("id=\"suggestions\"").unwrap()..];
        let first = suggestions.find("Customer Service Executive").unwrap();
        assert!(suggestions.find("Data Entry Operator").unwrap() > first, "a voice role first for a talker");
        assert!(suggestions.contains("The first 90 days"));
        assert!(html.contains("<option value=\"5\" selected>"), "the answers stay in the form");

        for (query, field) in [
            ("communication=6", "communication"),
            ("communication=0", "communication"),
            ("communication=abc", "communication"),
            ("salary=100", "salary"),
            ("business-acumen=3", "business-acumen"),
            ("nights=maybe", "nights"),
            ("work=sales", "work"),
        ] {
            let (status, html) = page(&visitor, &format!("/explore/fit?{query}")).await;
            assert_eq!(status, 422, "{query}");
            assert!(html.contains("role=\"alert\"") && html.contains(&format!("{field}:")), "{query}: {html}");
        }
        let long = "x".repeat(5000);
        let (status, html) = page(&visitor, &format!("/explore/fit?{long}=1")).await;
        assert_eq!(status, 422);
        assert!(!html.contains(&"x".repeat(41)), "an unknown field's name is cut short when shown");
    })
    .await;
}

#[tokio::test]
async fn the_explorer_is_json_without_a_sign_in() {
    each_app(async |app| {
        let fw = Framework::default_framework();
        let visitor = app.sign_in(Persona::Anonymous).await;
        let roles = visitor.get_json("/api/v1/explore/roles?limit=500", 200).await;
        assert_eq!((roles["items"].as_array().unwrap().len(), roles["total"].as_u64()), (fw.roles.len(), Some(fw.roles.len() as u64)));
        assert_eq!(roles["items"][0]["entry"], true);

        let tl = visitor.get_json("/api/v1/explore/roles/team-leader", 200).await;
        assert_eq!(tl["role"]["months_from_entry"], json!([24, 36]));
        assert!(tl["paths_in"].as_array().unwrap().iter().any(|m| m["role"] == "senior-agent"));
        assert!(tl["skills"].as_array().unwrap().iter().all(|s| !s["meaning"].as_str().unwrap().is_empty()));
        assert!(tl["outside"].as_array().unwrap().iter().any(|o| o["sector"] == "hr"));
        assert!(tl.get("market_pay").is_none(), "left out without postings");
        assert_eq!(visitor.get_json("/api/v1/explore/roles/nope", 404).await["error"]["code"], "not-found");

        let ladder = visitor.get_json("/api/v1/explore/ladder", 200).await;
        assert_eq!(ladder["paths"].as_array().unwrap().len(), fw.paths.len());
        let certs = visitor.get_json("/api/v1/explore/certifications", 200).await;
        assert_eq!(certs["total"].as_u64(), Some(fw.certifications.len() as u64), "{certs}");
        assert_eq!(visitor.get_json("/api/v1/explore/certifications/aptd", 200).await["id"], "aptd");
        assert!(!visitor.get_json("/api/v1/explore/industries", 200).await["items"].as_array().unwrap().is_empty());
        assert_eq!(visitor.get("/api/v1/explore/roles?colour=red").await.status(), 422, "only the page's parameters");

        let fit = |body| async { visitor.post("/api/v1/explore/fit", body).await };
        let res = fit(json!({ "skills": { "typing-speed-accuracy": 5, "attention-to-detail": 5 }, "work": "non-voice", "nights_ok": false, "degree": true })).await;
        assert_eq!(res.status(), 200);
        let body: serde_json::Value = res.json().await.unwrap();
        let suggestions = body["suggestions"].as_array().unwrap();
        assert_eq!(suggestions.len(), fw.entries.len());
        assert_eq!(suggestions[0]["role"]["id"], "data-entry-operator");
        let scores: Vec<u64> = suggestions.iter().map(|s| s["score"].as_u64().unwrap()).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

        for (body, field) in [
            (json!({ "skills": { "communication": 9 }, "nights_ok": true, "degree": true }), "skills.communication"),
            (json!({ "skills": { "juggling": 3 }, "nights_ok": true, "degree": true }), "skills.juggling"),
            (json!({ "skills": {}, "nights_ok": true, "degree": true, "salary": 1 }), ""),
            (json!({ "skills": { "communication": 300 }, "nights_ok": true, "degree": true }), ""),
        ] {
            let res = fit(body.clone()).await;
            assert_eq!(res.status(), 422, "{body}");
            let error: serde_json::Value = res.json().await.unwrap();
            if !field.is_empty() {
                assert_eq!(error["error"]["field"], field, "{error}");
            }
        }
        let big = json!({ "skills": {}, "nights_ok": true, "degree": true, "pad": "x".repeat(10_000) });
        assert_eq!(fit(big).await.status(), 413, "the body is small");

        // Every persona reads it alike.
        for persona in [Persona::Agent, Persona::Admin] {
            let s = app.sign_in(persona).await;
            assert_eq!(s.get_json("/api/v1/explore/roles", 200).await["total"].as_u64(), Some(fw.roles.len() as u64));
        }
        let doc = visitor.get_json("/api/v1/openapi.json", 200).await;
        assert!(doc["paths"]["/api/v1/explore/fit"]["post"].is_object());
        assert!(doc["paths"]["/api/v1/explore/roles/{id}"]["get"].is_object());
    })
    .await;
}

#[tokio::test]
async fn certification_pages_say_what_the_sources_say() {
    each_app(async |app| {
        let visitor = app.sign_in(Persona::Anonymous).await;
        for id in ["six-sigma-yellow-belt", "six-sigma-green-belt"] {
            let (status, html) = page(&visitor, &format!("/explore/certifications/{id}")).await;
            assert_eq!(status, 200);
            assert!(html.contains("Does not expire") && !html.contains("No expiry date is known"), "{id}: {html}");
            assert!(!html.contains("Prerequisite: 3 years"), "{id}: renewal is not the prerequisites");
        }
        let (_, html) = page(&visitor, "/explore/certifications/copc-cx-standard").await;
        assert!(html.contains("not published in our sources") && !html.contains("none for the courses"), "{html}");
        // Our research notes stay in the framework file, not on the public page.
        let (_, html) = page(&visitor, "/explore/certifications/itil-4-foundation").await;
        assert!(!html.contains("<dt>Source</dt>") && !html.contains("careers.md"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn a_shared_link_with_tracking_parameters_still_opens_the_fit_form() {
    each_app(async |app| {
        let visitor = app.sign_in(Persona::Anonymous).await;
        let shared = "/explore/fit?communication=5&work=voice&fbclid=IwAR0x&utm_source=fb&utm_medium=social&gclid=abc";
        let (status, html) = page(&visitor, shared).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("id=\"suggestions\""), "{html}");
        for path in ["/explore?utm_campaign=x", "/explore/roles/team-leader?fbclid=y"] {
            assert_eq!(page(&visitor, path).await.0, 200, "{path}");
        }
        // Other unknown fields are still refused by name.
        let (status, html) = page(&visitor, "/explore/fit?utm=1").await;
        assert_eq!(status, 422);
        assert!(html.contains("utm:"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn an_explorer_error_leads_a_visitor_back_to_the_careers() {
    each_app(async |app| {
        let visitor = app.sign_in(Persona::Anonymous).await;
        for path in ["/explore/roles/astronaut", "/explore/certifications/nope"] {
            let (status, html) = page(&visitor, path).await;
            assert_eq!(status, 404, "{path}");
            assert!(
                html.contains("href=\"/explore\">Back to careers") && !html.contains("href=\"/home\""),
                "{path}: {html}"
            );
        }
        let agent = app.sign_in(Persona::Agent).await;
        let (status, html) = page(&agent, "/explore/roles/astronaut").await;
        assert_eq!(status, 404);
        assert!(html.contains("Back to home"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn a_private_explorer_needs_a_sign_in() {
    each_app_with(Config { explorer_public: false, ..Config::default() }, async |app| {
        let visitor = app.sign_in(Persona::Anonymous).await;
        for path in ["/", "/explore", "/explore/roles/team-leader", "/explore/fit", "/explore/certifications/aptd"] {
            let res = visitor.get(path).await;
            assert_eq!(res.url().path(), "/signin", "{path} goes to sign-in");
        }
        assert_eq!(visitor.get("/api/v1/explore/roles").await.status(), 401);
        let fit = json!({ "skills": {}, "nights_ok": true, "degree": true });
        assert_eq!(visitor.post("/api/v1/explore/fit", fit).await.status(), 401);

        let agent = app.sign_in(Persona::Agent).await;
        assert_eq!(agent.get("/").await.url().path(), "/home");
        assert_eq!(page(&agent, "/explore/roles/team-leader").await.0, 200);
        assert_eq!(agent.get("/api/v1/explore/roles").await.status(), 200);
    })
    .await;
}

/// The framework's `source` notes (where a figure comes from) stay in the TOML: neither the JSON
/// answers nor the OpenAPI document carry them.
#[tokio::test]
async fn the_explorer_json_keeps_the_frameworks_source_notes_out() {
    each_app(async |app| {
        let fw = Framework::default_framework();
        assert!(fw.certifications.iter().any(|c| c.source.is_some()), "the framework has notes to keep out");
        let visitor = app.sign_in(Persona::Anonymous).await;
        fn has_source(v: &serde_json::Value) -> bool {
            match v {
                serde_json::Value::Object(map) => map.contains_key("source") || map.values().any(has_source),
                serde_json::Value::Array(items) => items.iter().any(has_source),
                _ => false,
            }
        }
        let mut answers = vec![
            visitor.get_json("/api/v1/explore/certifications?limit=500", 200).await,
            visitor.get_json("/api/v1/explore/industries?limit=500", 200).await,
        ];
        for role in &fw.roles {
            answers.push(visitor.get_json(&format!("/api/v1/explore/roles/{}", role.id), 200).await);
        }
        for cert in &fw.certifications {
            answers.push(visitor.get_json(&format!("/api/v1/explore/certifications/{}", cert.id), 200).await);
        }
        for answer in &answers {
            assert!(!has_source(answer), "{answer}");
        }
        let doc = visitor.get_json("/api/v1/openapi.json", 200).await;
        for schema in ["CertificationView", "OutsideView", "IndustryView"] {
            let properties = &doc["components"]["schemas"][schema]["properties"];
            assert!(properties.is_object() && properties.get("source").is_none(), "{schema}: {properties}");
        }
    })
    .await;
}
