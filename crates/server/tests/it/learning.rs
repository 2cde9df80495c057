//! The learning catalogue (issue 26): HR's own entries before the starter list, their limits,
//! the items that close each gap, and enrolling (one training record however often it is sent).

use crate::common;

use common::{each_app, Persona::*};
use serde_json::{json, Value};

fn entry(title: &str, skill: &str) -> Value {
    json!({ "title": title, "provider": "L&D", "format": "programme", "hours": 12, "skill_id": skill })
}

#[tokio::test]
async fn hr_adds_edits_and_retires_entries_which_come_first() {
    each_app(async |app| {
        let (hr, agent) = (app.sign_in(Hr).await, app.sign_in(Agent).await);
        let res = hr.post("/api/v1/learning/items", entry("Coaching clinic", "coaching")).await;
        assert_eq!(res.status(), 201);
        let made: Value = res.json().await.unwrap();
        let id = made["id"].as_i64().unwrap();
        assert_eq!((made["key"].as_str(), made["cost"].as_str()), (Some(format!("org-{id}").as_str()), Some("free")));

        let all = agent.get_json("/api/v1/learning/items?limit=500", 200).await;
        let all = &all["items"];
        assert_eq!(all[0]["title"], "Coaching clinic", "the organisation's own first");
        assert!(all.as_array().unwrap().iter().any(|i| i["key"] == "starter-coursera-coaching-skills-for-managers"));

        let mut changed = entry("Coaching clinic, second run", "coaching");
        changed["price_minor"] = json!(250000);
        changed["currency"] = json!("php");
        let updated = hr.put(&format!("/api/v1/learning/items/{id}"), changed).await.json::<Value>().await.unwrap();
        assert_eq!(
            (updated["title"].as_str(), updated["cost"].as_str()),
            (Some("Coaching clinic, second run"), Some("PHP 2500.00"))
        );

        let res = hr.post(&format!("/api/v1/learning/items/{id}/retired"), json!({ "retired": true })).await;
        assert_eq!(res.status(), 200);
        let seen = agent.get_json("/api/v1/learning/items?retired=true&limit=500", 200).await;
        let seen = seen["items"].as_array().unwrap();
        assert!(seen.iter().all(|i| i["id"] != id), "retired: no longer offered, even when asked");
        let hr_sees = hr.get_json("/api/v1/learning/items?retired=true&limit=500", 200).await;
        assert_eq!(hr_sees["items"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap()["retired"], true);
        assert_eq!(agent.get("/api/v1/learning/items?colour=red").await.status(), 422, "unknown query parameter");
        assert_eq!(agent.post("/api/v1/learning/items", entry("Mine", "coaching")).await.status(), 403);
        assert_eq!(hr.put("/api/v1/learning/items/999999", entry("Gone", "coaching")).await.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn entries_have_limits_and_each_refusal_names_its_field() {
    each_app(async |app| {
        let hr = app.sign_in(Hr).await;
        let with = |change: &dyn Fn(&mut Value)| {
            let mut body = entry("A course", "coaching");
            change(&mut body);
            body
        };
        let cases: Vec<(Value, &str)> = vec![
            (with(&|b| b["title"] = json!(" ")), "title"),
            (with(&|b| b["title"] = json!("x".repeat(201))), "title"),
            (with(&|b| b["format"] = json!("webinar")), "format"),
            (with(&|b| b["hours"] = json!(0)), "hours"),
            (with(&|b| b["hours"] = json!(2001)), "hours"),
            (with(&|b| b["price_minor"] = json!(500)), "currency"),
            (with(&|b| b["price_minor"] = json!(-1)), "price_minor"),
            (
                with(&|b| {
                    b["price_minor"] = json!(500);
                    b["currency"] = json!("pesos")
                }),
                "currency",
            ),
            (with(&|b| b["link"] = json!("javascript:alert(1)")), "link"),
            (with(&|b| b["skill_id"] = json!("juggling")), "skill_id"),
            (with(&|b| b["certification_id"] = json!("itil-4-foundation")), "skill_id"),
            (
                with(&|b| {
                    b["skill_id"] = Value::Null;
                    b["certification_id"] = json!("nope")
                }),
                "certification_id",
            ),
        ];
        for (body, field) in cases {
            let res = hr.post("/api/v1/learning/items", body.clone()).await;
            assert_eq!(res.status(), 422, "{body}");
            let err: Value = res.json().await.unwrap();
            assert_eq!(err["error"]["field"], field, "{body}");
        }
    })
    .await;
}

#[tokio::test]
async fn each_gap_gets_items_that_fit_it_and_enrolling_twice_makes_one_record() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let (hr, agent) = (app.sign_in(Hr).await, app.sign_in(Agent).await);
        let plan = json!({ "target_role": "team-leader", "horizon_years": 5 });
        assert_eq!(agent.put(&format!("/api/v1/employees/{e}/career-plan"), plan).await.status(), 200);
        let gaps = agent.get_json(&format!("/api/v1/employees/{e}/learning?limit=500"), 200).await;
        let gaps = gaps["items"].as_array().unwrap().clone();
        let skills: Vec<&Value> = gaps.iter().filter(|g| g["kind"] == "skill").collect();
        assert!(skills.len() >= 2, "{gaps:?}");
        for g in &skills {
            let items = g["items"].as_array().unwrap();
            assert!((1..=3).contains(&items.len()), "{g}");
            for i in items {
                assert!(i["skills"].as_array().unwrap().contains(&g["id"]), "{} does not fit {}", i["title"], g["id"]);
            }
        }
        let first_titles = |g: &Value| g["items"][0]["title"].clone();
        assert_ne!(first_titles(skills[0]), first_titles(skills[1]), "not the same items under every skill");

        // The organisation's own entry comes first for its skill.
        let skill = skills[0]["id"].as_str().unwrap().to_string();
        hr.post("/api/v1/learning/items", entry("Our own programme", &skill)).await;
        let gaps = agent.get_json(&format!("/api/v1/employees/{e}/learning?limit=500"), 200).await;
        let mine = gaps["items"].as_array().unwrap().iter().find(|g| g["id"] == skill.as_str()).unwrap().clone();
        assert_eq!(mine["items"][0]["title"], "Our own programme");

        let key = mine["items"][1]["key"].as_str().unwrap().to_string();
        let enrol_path = format!("/api/v1/employees/{e}/learning/enrol");
        let enrol = |key: String| agent.post(&enrol_path, json!({ "item": key }));
        let first: Value = enrol(key.clone()).await.json().await.unwrap();
        let again: Value = enrol(key.clone()).await.json().await.unwrap();
        assert_eq!(first["id"], again["id"], "enrolling again gives the same record");
        assert_eq!((first["status"].as_str(), first["skill_id"].as_str()), (Some("planned"), Some(skill.as_str())));
        let training = agent.get_json(&format!("/api/v1/employees/{e}/training"), 200).await;
        assert_eq!((training["items"].as_array().unwrap().len(), &training["total"]), (1, &json!(1)), "{training}");
        let res = enrol("starter-no-such-thing".into()).await;
        assert_eq!(res.status(), 422);
        let leader = app.sign_in(Leader).await;
        let res = leader.post(&format!("/api/v1/employees/{e}/learning/enrol"), json!({ "item": key })).await;
        assert_eq!(res.status(), 200, "a leader may plan training for their people, as with training itself");
    })
    .await;
}

fn form_value(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\" value=\"")).unwrap_or_else(|| panic!("no {name} in the page"));
    html[at + name.len() + 15..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn the_pages_offer_items_per_gap_and_a_double_tapped_enrol_is_one_record() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Agent).await;
        let plan = json!({ "target_role": "team-leader", "horizon_years": 5 });
        agent.put(&format!("/api/v1/employees/{e}/career-plan"), plan).await;
        for path in ["/learning", "/growth", "/plan"] {
            let html = agent.get(path).await.text().await.unwrap();
            assert!(html.contains("action=\"/learning/enrol\""), "{path} offers items to enrol in");
        }
        let html = agent.get("/learning").await.text().await.unwrap();
        assert!(html.contains("What closes your gaps") && !html.contains("Add an entry"), "agents read, HR adds");
        let (csrf, key, item) = (form_value(&html, "_csrf"), form_value(&html, "_key"), form_value(&html, "item"));
        let client = &agent.client;
        let post = || {
            client
                .post(format!("{}/learning/enrol", app.base))
                .form(&[
                    ("_csrf", csrf.as_str()),
                    ("_key", key.as_str()),
                    ("item", item.as_str()),
                    ("back", "/learning"),
                ])
                .send()
        };
        for _ in 0..2 {
            // The client follows the redirect: the repeat lands where the first one did.
            let res = post().await.unwrap();
            assert!(res.status().is_success(), "{}", res.status());
            assert_eq!(res.url().path(), "/growth");
        }
        let training = agent.get_json(&format!("/api/v1/employees/{e}/training"), 200).await;
        assert_eq!((training["items"].as_array().unwrap().len(), &training["total"]), (1, &json!(1)), "{training}");

        let hr = app.sign_in(Hr).await;
        let html = hr.get("/learning").await.text().await.unwrap();
        assert!(html.contains("Add an entry") && html.contains("Coaching"), "HR's form and the catalogue by skill");
    })
    .await;
}
