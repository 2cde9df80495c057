//! "My KRAs for the year as agreed" and the year-end summary (issue 26), over HTTP on SQLite and
//! PostgreSQL: the person agrees, a change clears it, only the person may agree; the year's
//! figures match the scorecard's year to date.

use crate::common;

use common::{each_app, Persona};
use serde_json::{json, Value};

fn plan(name: &str) -> Value {
    json!({ "name": name, "variable_pay": "3000.00", "currency": "PHP",
        "kras": [ { "metric": "fcr", "weight": 60 }, { "metric": "aht", "weight": 40 } ] })
}

#[tokio::test]
async fn the_person_agrees_a_change_clears_it_and_only_they_may() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let (leader, agent, hr) =
            (app.sign_in(Persona::Leader).await, app.sign_in(Persona::Agent).await, app.sign_in(Persona::Hr).await);
        let agree = format!("/api/v1/employees/{e}/kra-plans/2026/agree");

        // Nothing to agree to before the leader sets the plan.
        let plans = agent.get_json(&format!("/api/v1/employees/{e}/kra-plans/2026"), 200).await;
        assert_eq!(plans["agreement"]["state"], "no-plan", "{plans}");
        assert_eq!(agent.post(&agree, json!({})).await.status(), 409);

        let res = leader.put(&format!("/api/v1/employees/{e}/kra-plans/2026"), plan("2026 voice")).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let plans = leader.get_json(&format!("/api/v1/employees/{e}/kra-plans/2026"), 200).await;
        assert_eq!(plans["agreement"]["state"], "not-agreed");
        assert_eq!(plans["agreement"]["may_agree"], false, "the leader may not agree for the person");
        let leader_user = app.fixture.users[&Persona::Leader].0;
        assert_eq!(plans["plans"][0]["updated_by"], leader_user, "who set the plan is kept");

        // Neither the leader nor HR may agree on the person's behalf.
        assert_eq!(leader.post(&agree, json!({})).await.status(), 403);
        assert_eq!(hr.post(&agree, json!({})).await.status(), 403);

        let agreed = agent.post(&agree, json!({})).await;
        assert_eq!(agreed.status(), 200);
        let agreed: Value = agreed.json().await.unwrap();
        assert_eq!(agreed["state"], "agreed", "{agreed}");
        assert_eq!(agreed["agreed_by"], "Agent");
        assert!(agreed["agreed_at"].is_string() && agreed["changed_at"].is_null());
        assert_eq!(agreed["may_agree"], false, "agreed as it stands");

        // Audited, and the leader is told.
        let audit = agent.get_json(&format!("/api/v1/employees/{e}/audit"), 200).await;
        let agree_rows =
            audit["items"].as_array().unwrap().iter().filter(|a| a["entity"] == "kra-plan-agreement").count();
        assert_eq!(agree_rows, 1, "{audit}");
        let told = leader.get_json("/api/v1/me/notifications", 200).await;
        assert!(
            told["items"].as_array().unwrap().iter().any(|n| n["kind"] == "plan_agreed"
                && n["text"].as_str().unwrap().contains("agreed to their KRA plan for 2026")),
            "{told}"
        );

        // Saving the same terms keeps the agreement; a change clears it, keeping when it was agreed.
        assert_eq!(
            leader.put(&format!("/api/v1/employees/{e}/kra-plans/2026"), plan("2026 voice")).await.status(),
            200
        );
        let plans = agent.get_json(&format!("/api/v1/employees/{e}/kra-plans/2026"), 200).await;
        assert_eq!(plans["agreement"]["state"], "agreed", "the same plan again is no change");
        assert_eq!(
            leader.put(&format!("/api/v1/employees/{e}/kra-plans/2026"), plan("2026 voice, new")).await.status(),
            200
        );
        let plans = agent.get_json(&format!("/api/v1/employees/{e}/kra-plans/2026"), 200).await;
        let a = &plans["agreement"];
        assert_eq!(a["state"], "needs-agreeing-again", "{plans}");
        assert_eq!(a["agreed_at"], agreed["agreed_at"]);
        assert!(a["changed_at"].is_string());
        assert_eq!(a["may_agree"], true);
        // The page says so, in words.
        let page = agent.get("/kras/plan?year=2026").await.text().await.unwrap();
        assert!(page.contains("after it was agreed on") && page.contains("needs agreeing again"), "{page}");
        assert!(page.contains("First-contact resolution") && page.contains("m:ss"), "KRAs by name, AHT in m:ss");

        // Agreeing again holds; another year is its own.
        assert_eq!(agent.post(&agree, json!({})).await.status(), 200);
        let plans = agent.get_json(&format!("/api/v1/employees/{e}/kra-plans/2026"), 200).await;
        assert_eq!(plans["agreement"]["state"], "agreed");
        assert_eq!(agent.post(&format!("/api/v1/employees/{e}/kra-plans/2025/agree"), json!({})).await.status(), 409);
        assert_eq!(agent.post(&format!("/api/v1/employees/{e}/kra-plans/1999/agree"), json!({})).await.status(), 422);
    })
    .await;
}

#[tokio::test]
async fn the_years_result_is_the_scorecards_year_to_date_and_a_year_without_data_says_so() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let (leader, agent) = (app.sign_in(Persona::Leader).await, app.sign_in(Persona::Agent).await);
        assert_eq!(
            leader.put(&format!("/api/v1/employees/{e}/kra-plans/2025"), plan("2025 voice")).await.status(),
            200
        );
        // March: FCR 70 of 100, AHT 560 s over 200 calls; June: FCR 40 of 80, AHT 600 s over 100.
        for (month, fcr, calls, aht, handled) in [("2025-03", 70, 100, 560, 200), ("2025-06", 40, 80, 600, 100)] {
            let figures = json!([
                { "metric": "fcr", "numerator": fcr, "denominator": calls },
                { "metric": "aht", "numerator": aht * handled, "denominator": handled }
            ]);
            let res = agent.put(&format!("/api/v1/employees/{e}/actuals/{month}"), figures).await;
            assert_eq!(res.status(), 204, "{}", res.text().await.unwrap());
        }
        let shared = json!({ "date": "2025-05-02", "title": "Cut repeat calls", "shared": true });
        let private = json!({ "date": "2025-07-02", "title": "A note to self", "shared": false });
        for entry in [shared, private] {
            assert_eq!(agent.post(&format!("/api/v1/employees/{e}/accomplishments"), entry).await.status(), 201);
        }

        let year = agent.get_json(&format!("/api/v1/employees/{e}/year/2025"), 200).await;
        let card = agent.get_json(&format!("/api/v1/employees/{e}/scorecard?month=2025-12"), 200).await;
        assert_eq!(year["has_figures"], true);
        assert_eq!(year["result"]["through"], "2025-12");
        let total = year["result"]["total"].as_f64().expect("the year is scored");
        assert!((total - card["year_to_date"]["total"].as_f64().unwrap()).abs() < 1e-9, "{year}\n{card}");
        // FCR over the year is a ratio of sums: 110 of 180, not the mean of 70 % and 50 %.
        let fcr = card["year_to_date"]["kras"].as_array().unwrap().iter().find(|k| k["metric"] == "fcr").unwrap();
        assert!((fcr["value"].as_f64().unwrap() - 110.0 / 180.0 * 100.0).abs() < 1e-6);
        assert_eq!(year["result"]["rating_label"], card["year_to_date"]["rating_label"]);
        let bonus = year["result"]["bonus"].as_f64().expect("a plan with variable pay earns a bonus");
        assert_eq!(year["result"]["currency"], "PHP");
        let payout = year["result"]["payout_percent"].as_f64().unwrap();
        // Twelve months of 3,000 PHP at the year's payout.
        assert!((bonus - 12.0 * 3000.0 * payout / 100.0).abs() < 0.01, "{bonus} at {payout} %");
        let months = year["months"].as_array().unwrap();
        assert_eq!(months.len(), 12);
        assert_eq!(months[0]["data"]["state"], "no-data");
        let march = agent.get_json(&format!("/api/v1/employees/{e}/scorecard?month=2025-03"), 200).await;
        assert_eq!(months[2]["total"], march["scorecard"]["total"]);
        // The person counts their private entry; the leader sees the shared one only.
        assert_eq!(year["accomplishments"], 2);
        assert_eq!(year["highlights"].as_array().unwrap().len(), 1);
        let as_leader = leader.get_json(&format!("/api/v1/employees/{e}/year/2025"), 200).await;
        assert_eq!(as_leader["accomplishments"], 1);
        assert_eq!(as_leader["result"]["total"], year["result"]["total"]);

        // A year with no figures says so.
        let empty = agent.get_json(&format!("/api/v1/employees/{e}/year/2024"), 200).await;
        assert_eq!(empty["has_figures"], false);
        assert!(empty["result"]["total"].is_null() && empty["result"]["bonus"].is_null());
        assert_eq!(empty["result"]["data"]["state"], "no-data");
        let page = agent.get("/year?year=2024").await.text().await.unwrap();
        assert!(page.contains("No KRA figures for 2024"), "{page}");
        let page = leader.get(&format!("/people/{e}/year?year=2025")).await.text().await.unwrap();
        assert!(page.contains("Cut repeat calls") && !page.contains("A note to self"), "{page}");

        // Out of range: 422 naming the year.
        let res = agent.get(&format!("/api/v1/employees/{e}/year/1999")).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("year"));
    })
    .await;
}
