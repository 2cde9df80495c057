//! No rating from too little data, over HTTP on SQLite and PostgreSQL: the scorecard's state and
//! reasons in the API (and its OpenAPI types), every page that shows a score, the team board,
//! the trend, readiness's rating requirement, and the pipeline's and 9-box's "no data" place.

use crate::common;

use chrono::Utc;
use common::{each_app, Persona, Session, TestApp};
use ladder_core::period::Month;
use serde_json::{json, Value};

/// The last full month: the one the person page, the packet and readiness look at.
fn last_full() -> Month {
    Month::last_full(Utc::now().date_naive())
}

async fn put_figures(s: &Session, app: &TestApp, month: Month, figures: Value) {
    let res = s.put(&format!("/api/v1/employees/{}/actuals/{month}", app.fixture.agent), figures).await;
    assert_eq!(res.status(), 204, "{}", res.text().await.unwrap());
}

async fn html(s: &Session, path: &str) -> String {
    let res = s.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

/// AHT of 200 s — far past its stretch — on three calls: the only figure of the month.
fn three_calls() -> Value {
    json!([ { "metric": "aht", "numerator": 600, "denominator": 3 } ])
}

const THIN_AHT: &str = "Average handle time: 3 contacts, 30 needed";
const NO_WEIGHT: &str = "KRAs with data carry 0 % of the weight, 60 % needed";

#[tokio::test]
async fn aht_on_three_calls_is_not_enough_data_in_the_api_not_exceptional() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Persona::Agent).await;
        let month = last_full();
        put_figures(&agent, &app, month, three_calls()).await;

        let card = agent.get_json(&format!("/api/v1/employees/{e}/scorecard?month={month}"), 200).await;
        let c = &card["scorecard"];
        assert_eq!(c["state"], "not-enough-data", "{c}");
        for field in ["total", "rating", "rating_label", "bonus"] {
            assert!(c[field].is_null(), "{field} in {c}");
        }
        assert_eq!(
            c["short_of_data"][0],
            json!({ "kind": "volume", "metric": "aht", "volume": 3.0, "needed": 30.0, "unit": "contacts", "months": 1 })
        );
        assert_eq!(c["short_of_data"][1], json!({ "kind": "weight", "percent": 0.0, "needed": 60.0 }));
        let aht = c["kras"].as_array().unwrap().iter().find(|k| k["metric"] == "aht").unwrap();
        assert_eq!((aht["counted"].clone(), aht["value"].clone()), (json!(false), json!(200.0)));
        assert_eq!(card["month_state"], json!({ "state": "not-enough-data", "reasons": [THIN_AHT, NO_WEIGHT] }));
        assert_eq!(card["year_to_date_state"]["state"], "not-enough-data");
        let explanation = card["explanation"].to_string();
        assert!(
            explanation.contains("Not enough data for a score") && !explanation.contains("Exceptional"),
            "{explanation}"
        );

        let trend = agent.get_json(&format!("/api/v1/employees/{e}/trend?through={month}&months=2"), 200).await;
        assert_eq!(trend[0]["data"]["state"], "no-data");
        assert_eq!(trend[1]["data"]["state"], "not-enough-data");
        assert!(trend[1]["total"].is_null() && trend[1]["rating_label"].is_null());

        let leader = app.sign_in(Persona::Leader).await;
        let team =
            leader.get_json(&format!("/api/v1/teams/{}/scorecard?month={month}", app.fixture.teams[0]), 200).await;
        let row = team["rows"].as_array().unwrap().iter().find(|r| r["employee_id"] == json!(e.0)).unwrap();
        assert_eq!(row["data"]["state"], "not-enough-data");
        assert!(row["rating"].is_null());
        let leader_row = team["rows"].as_array().unwrap().iter().find(|r| r["employee_id"] != json!(e.0)).unwrap();
        assert_eq!(leader_row["data"]["state"], "no-data", "no figures is not 'not enough'");

        // The OpenAPI document names the new fields.
        let doc = agent.get_json("/api/v1/openapi.json", 200).await;
        let schemas = &doc["components"]["schemas"];
        assert!(
            schemas["EmployeeScorecard"]["properties"]["month_state"].is_object(),
            "{}",
            schemas["EmployeeScorecard"]
        );
        assert!(schemas["DataState"]["properties"]["reasons"].is_object());
        assert!(schemas["TeamRow"]["properties"]["data"].is_object());
        assert!(schemas["TrendPoint"]["properties"]["data"].is_object());
    })
    .await;
}

#[tokio::test]
async fn exactly_60_percent_of_the_weight_with_enough_volume_is_scored() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Persona::Agent).await;
        let month = last_full();
        // CSAT 25 + FCR 20 + AHT 15 = 60 % of the customer service executive's weight; FCR on
        // exactly its 30 contacts.
        let figures = |fcr_contacts: f64| {
            json!([
                { "metric": "csat", "numerator": 8, "denominator": 10 },
                { "metric": "fcr", "numerator": 0.7 * fcr_contacts, "denominator": fcr_contacts },
                { "metric": "aht", "numerator": 590 * 40, "denominator": 40 }
            ])
        };
        put_figures(&agent, &app, month, figures(30.0)).await;
        let card = agent.get_json(&format!("/api/v1/employees/{e}/scorecard?month={month}"), 200).await;
        assert_eq!(card["month_state"], json!({ "state": "scored", "reasons": [] }), "{card}");
        assert_eq!(card["scorecard"]["rating"], 3, "{card}");

        put_figures(&agent, &app, month, figures(20.0)).await;
        let card = agent.get_json(&format!("/api/v1/employees/{e}/scorecard?month={month}"), 200).await;
        assert_eq!(
            card["month_state"]["reasons"],
            json!([
                "First-contact resolution: 20 contacts, 30 needed",
                "KRAs with data carry 40 % of the weight, 60 % needed"
            ])
        );
        assert!(card["scorecard"]["rating"].is_null());
    })
    .await;
}

#[tokio::test]
async fn every_page_that_shows_a_score_says_not_enough_data_and_why() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        let month = last_full();
        put_figures(&agent, &app, month, three_calls()).await;
        let leader = app.sign_in(Persona::Leader).await;
        let e = app.fixture.agent;
        for (who, path) in [
            (&agent, format!("/kras?month={month}")),
            (&agent, "/home".to_string()),
            (&leader, format!("/people/{e}")),
            (&leader, format!("/people/{e}/packet")),
            (&leader, format!("/team?month={month}")),
        ] {
            let page = html(who, &path).await;
            assert!(page.contains("not enough data"), "{path}: {page}");
            assert!(page.contains(THIN_AHT), "{path} names what is missing");
            // The charts draw every band as a guide line; outside them no band is named.
            assert!(!without_charts(&page).contains("Exceptional"), "{path}");
        }
        // The KRA row says why AHT does not count rather than how far it is from target.
        let kras = html(&agent, &format!("/kras?month={month}")).await;
        assert!(kras.contains("not counted: 3 contacts, 30 needed"), "{kras}");
    })
    .await;
}

/// A page without its SVG charts.
fn without_charts(page: &str) -> String {
    let mut out = String::new();
    let mut rest = page;
    while let Some(start) = rest.find("<svg") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("</svg>").map_or("", |end| &rest[start + end + 6..]);
    }
    out + rest
}

/// Six months to the last full one, each with the given figures.
async fn six_months(app: &TestApp, agent: &Session, figures: Value) {
    let mut m = last_full();
    for _ in 0..6 {
        put_figures(agent, app, m, figures.clone()).await;
        m = m.prev();
    }
}

fn rating_item(plan: &Value) -> Value {
    plan["readiness"]["items"].as_array().unwrap().iter().find(|i| i["kind"] == "rating").cloned().unwrap()
}

#[tokio::test]
async fn thin_months_meet_no_rating_requirement_and_sit_in_the_no_data_place() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Persona::Agent).await;
        let hr = app.sign_in(Persona::Hr).await;
        // Six months of stellar but thin figures: AHT on three calls, CSAT from five surveys.
        let thin = json!([
            { "metric": "aht", "numerator": 600, "denominator": 3 },
            { "metric": "csat", "numerator": 5, "denominator": 5 }
        ]);
        six_months(&app, &agent, thin).await;
        let plan = agent.get_json(&format!("/api/v1/employees/{e}/career-plan"), 200).await;
        let item = rating_item(&plan);
        assert_eq!(item["met"], false, "{item}");
        assert!(item["gap"].as_str().unwrap().contains("no monthly scores yet"), "{item}");
        let pipeline = hr.get_json("/api/v1/pipeline", 200).await;
        let entry = pipeline["items"].as_array().unwrap().iter().find(|p| p["employee_id"] == json!(e.0)).unwrap();
        assert_eq!((entry["performance_band"].clone(), entry["performance"].clone()), (json!("no-data"), Value::Null));
        let page = html(&hr, "/pipeline").await;
        assert!(page.contains("not enough data to score performance, low readiness"), "{page}");
        assert!(page.contains("<span class=\"muted\">not enough data</span>"), "{page}");

        // The same six months with enough volume (60 % of the weight at stretch) are scored.
        let enough = json!([
            { "metric": "aht", "numerator": 200 * 60, "denominator": 60 },
            { "metric": "csat", "numerator": 20, "denominator": 20 },
            { "metric": "fcr", "numerator": 90, "denominator": 100 }
        ]);
        six_months(&app, &agent, enough).await;
        let plan = agent.get_json(&format!("/api/v1/employees/{e}/career-plan"), 200).await;
        assert_eq!(rating_item(&plan)["met"], true, "{}", rating_item(&plan));
        let pipeline = hr.get_json("/api/v1/pipeline", 200).await;
        let entry = pipeline["items"].as_array().unwrap().iter().find(|p| p["employee_id"] == json!(e.0)).unwrap();
        assert_eq!(entry["performance_band"], "high");
    })
    .await;
}
