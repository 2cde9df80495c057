//! "My KRAs for the year as agreed" and the year-end summary (issue 26), over HTTP on SQLite and
//! PostgreSQL: the person agrees, a change clears it, only the person may agree; the year's
//! figures match the scorecard's year to date.

use crate::common;

use common::{day, each_app, Persona};
use serde_json::{json, Value};

fn plan_from(name: &str, from: &str, pay: &str) -> Value {
    json!({ "name": name, "effective_from": from, "variable_pay": pay, "currency": "PHP",
        "kras": [ { "metric": "fcr", "weight": 60 }, { "metric": "aht", "weight": 40 } ] })
}

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
        // With no plan set the board and the person's page say so, not "not agreed".
        let board = leader.get("/team?month=2026-03").await.text().await.unwrap();
        assert!(board.contains(r#"data-agreement="no-plan""#) && board.contains("no KRA plan"), "{board}");
        assert!(!board.contains("KRAs not agreed"), "{board}");
        let person = leader.get(&format!("/people/{e}")).await.text().await.unwrap();
        assert!(person.contains(r#"data-agreement="no-plan""#) && person.contains("no KRA plan set"), "{person}");

        let res = leader.put(&format!("/api/v1/employees/{e}/kra-plans/2026"), plan("2026 voice")).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let plans = leader.get_json(&format!("/api/v1/employees/{e}/kra-plans/2026"), 200).await;
        assert_eq!(plans["agreement"]["state"], "not-agreed");
        assert_eq!(plans["agreement"]["may_agree"], false, "the leader may not agree for the person");
        let board = leader.get("/team?month=2026-03").await.text().await.unwrap();
        assert!(board.contains(r#"data-agreement="not-agreed""#) && board.contains("KRAs not agreed"), "{board}");
        let read = plans["agreement"]["version"].as_str().expect("the terms' version").to_string();
        let leader_user = app.fixture.users[&Persona::Leader].0;
        assert_eq!(plans["plans"][0]["updated_by"], leader_user, "who set the plan is kept");

        // Neither the leader nor HR may agree on the person's behalf.
        assert_eq!(leader.post(&agree, json!({})).await.status(), 403);
        assert_eq!(hr.post(&agree, json!({})).await.status(), 403);

        // A version too long is refused naming the field; one of other terms is a conflict.
        let res = agent.post(&agree, json!({ "version": "v".repeat(65) })).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("version"));
        let res = agent.post(&agree, json!({ "version": "0123456789abcdef" })).await;
        assert_eq!(res.status(), 409);
        assert!(res.text().await.unwrap().contains("changed after your page was drawn"));
        let plans = agent.get_json(&format!("/api/v1/employees/{e}/kra-plans/2026"), 200).await;
        assert_eq!(plans["agreement"]["state"], "not-agreed", "a refused agreement leaves nothing behind");
        // The page's form carries the version it shows.
        let page = agent.get("/kras/plan?year=2026").await.text().await.unwrap();
        assert!(page.contains(&format!(r#"name="version" value="{read}""#)), "{page}");

        let agreed = agent.post(&agree, json!({ "version": read })).await;
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
        let note = told["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["kind"] == "plan_agreed")
            .unwrap_or_else(|| panic!("{told}"));
        assert!(note["text"].as_str().unwrap().contains("agreed to their KRA plan for 2026"), "{told}");
        // Its link opens the person's sheet for the year.
        let link = note["link"].as_str().unwrap();
        assert_eq!(link, format!("/people/{e}/kras-plan?year=2026"));
        let res = leader.get(link).await;
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains("Agreed by Agent"));

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
        assert_ne!(a["version"], read, "new terms, a new version");
        // Agreeing on the terms read before the change is refused.
        assert_eq!(agent.post(&agree, json!({ "version": read })).await.status(), 409);
        let board = leader.get("/team?month=2026-03").await.text().await.unwrap();
        assert!(board.contains("KRAs changed since agreed"), "{board}");
        // The page says so, in words.
        let page = agent.get("/kras/plan?year=2026").await.text().await.unwrap();
        assert!(page.contains("after it was agreed on") && page.contains("needs agreeing again"), "{page}");
        assert!(page.contains("First-contact resolution") && page.contains("m:ss"), "KRAs by name, AHT in m:ss");

        // Agreeing again holds; another year is its own.
        assert_eq!(agent.post(&agree, json!({})).await.status(), 200);
        let plans = agent.get_json(&format!("/api/v1/employees/{e}/kra-plans/2026"), 200).await;
        assert_eq!(plans["agreement"]["state"], "agreed");
        // The same terms saved under another role are a change: the plan's role is one of its terms.
        ladder_store::org::change_role(&app.db, e, "senior-agent", Some(app.fixture.teams[0]), day(2026, 4, 1))
            .await
            .unwrap();
        let res = leader.put(&format!("/api/v1/employees/{e}/kra-plans/2026"), plan("2026 voice, new")).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let plans = agent.get_json(&format!("/api/v1/employees/{e}/kra-plans/2026"), 200).await;
        assert_eq!(plans["plans"][0]["role_id"], "senior-agent");
        assert_eq!(plans["agreement"]["state"], "needs-agreeing-again", "{plans}");
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
        // A pay rise from July: 3,000 PHP a month to June, 4,000 from July.
        let raise = plan_from("2025 voice, raised", "2025-07-01", "4000.00");
        assert_eq!(leader.put(&format!("/api/v1/employees/{e}/kra-plans/2025"), raise).await.status(), 200);
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
        // Six months of 3,000 PHP and six of 4,000, at the year's payout: not December's pay × 12.
        assert!((bonus - (6.0 * 3000.0 + 6.0 * 4000.0) * payout / 100.0).abs() < 0.01, "{bonus} at {payout} %");
        assert_eq!(year["result"]["pay_months"], 12);
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

#[tokio::test]
async fn a_joiner_who_left_earns_on_the_months_employed_each_at_its_plans_pay() {
    each_app(async |app| {
        use ladder_store::org::{create_employee, NewEmployee};
        let (leader, admin) = (app.sign_in(Persona::Leader).await, app.sign_in(Persona::Admin).await);
        // Hired 10 May 2025, gone 20 October: May to October, six months.
        let joiner = NewEmployee {
            code: "E9".into(),
            name: "Jo Joiner".into(),
            email: None,
            team_id: Some(app.fixture.teams[0]),
            role_id: "customer-service-executive".into(),
            role_since: day(2025, 5, 10),
            hire_date: day(2025, 5, 10),
            manager_id: Some(app.fixture.leader),
        };
        let j = create_employee(&app.db, app.fixture.organisation, &joiner).await.unwrap();
        let plans = format!("/api/v1/employees/{j}/kra-plans/2025");
        assert_eq!(leader.put(&plans, plan("2025 voice")).await.status(), 200);
        assert_eq!(leader.put(&plans, plan_from("2025 voice, raised", "2025-09-01", "4000.00")).await.status(), 200);
        for month in ["2025-06", "2025-09"] {
            let figures = json!([
                { "metric": "fcr", "numerator": 70, "denominator": 100 },
                { "metric": "aht", "numerator": 560 * 200, "denominator": 200 }
            ]);
            let res = leader.put(&format!("/api/v1/employees/{j}/actuals/{month}"), figures).await;
            assert_eq!(res.status(), 204, "{}", res.text().await.unwrap());
        }
        let leaver = ladder_store::leaver_links::Leaver {
            employee: j,
            left_on: day(2025, 10, 20),
            token_hash: "not a real link".into(),
            by: None,
            expires_at: chrono::Utc::now(),
        };
        ladder_store::leaver_links::close_as_leaver(&app.db, &leaver).await.unwrap();

        let year = admin.get_json(&format!("/api/v1/employees/{j}/year/2025"), 200).await;
        let payout = year["result"]["payout_percent"].as_f64().expect("the year is scored");
        let bonus = year["result"]["bonus"].as_f64().expect("a plan with variable pay earns a bonus");
        // May to August at 3,000 PHP, September and October at 4,000: 20,000 PHP at 100 %.
        let base = 4.0 * 3000.0 + 2.0 * 4000.0;
        assert!((bonus - base * payout / 100.0).abs() < 0.01, "{bonus} at {payout} %: {year}");
        assert_eq!(year["result"]["pay_months"], 6, "{year}");
        assert_eq!(year["result"]["currency"], "PHP");
        let page = admin.get(&format!("/people/{j}/year?year=2025")).await.text().await.unwrap();
        assert!(page.contains("of 6 months employed"), "{page}");
    })
    .await;
}

#[tokio::test]
async fn the_year_links_stop_at_the_years_a_plan_may_name() {
    each_app(async |app| {
        let agent = app.sign_in(Persona::Agent).await;
        for (path, year, gone) in [
            ("/year", 2000, "year=1999"),
            ("/kras/plan", 2000, "year=1999"),
            ("/year", 2100, "year=2101"),
            ("/kras/plan", 2100, "year=2101"),
        ] {
            let res = agent.get(&format!("{path}?year={year}")).await;
            assert_eq!(res.status(), 200);
            let page = res.text().await.unwrap();
            assert!(!page.contains(gone), "{path} for {year} links to a year out of range");
            let inward = if year == 2000 { "year=2001" } else { "year=2099" };
            assert!(page.contains(inward), "{path} for {year} still links inward");
        }
        // A year not yet begun has no result: no full month of it has ended.
        let page = agent.get("/year?year=2100").await.text().await.unwrap();
        assert!(page.contains("No full month of 2100 yet"), "{page}");
    })
    .await;
}
