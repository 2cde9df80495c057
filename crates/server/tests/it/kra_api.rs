//! KRA plans, actuals, scorecards and records over HTTP, on SQLite and PostgreSQL.

use crate::common;

use common::{day, each_app, Persona, Session, TestApp};
use ladder_core::{EmployeeId, TeamId};
use serde_json::{json, Value};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

fn kra<'a>(card: &'a Value, metric: &str) -> &'a Value {
    card["kras"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["metric"] == metric)
        .unwrap_or_else(|| panic!("{metric} in {card}"))
}

/// Inserts a figure as the import would (source 'import').
async fn imported(app: &TestApp, employee: EmployeeId, month: &str, metric: &str, num: f64, den: f64) {
    let day = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap();
    let sql = "INSERT INTO kra_actuals (employee_id, month, metric, numerator, denominator, source, updated_at)
        VALUES ($1, $2, $3, $4, $5, 'import', $6)";
    ladder_store::on_db!(&app.db, p => sqlx::query(sql).bind(employee).bind(day).bind(metric).bind(num).bind(den)
        .bind(chrono::Utc::now()).execute(p).await.map(|_| ()))
    .unwrap();
    ladder_store::on_db!(&app.db, p => sqlx::query(ladder_store::kra::FIGURES_CHANGED).execute(p).await.map(|_| ()))
        .unwrap();
}

#[tokio::test]
async fn a_month_is_scored_from_its_figures_and_the_year_is_a_ratio_of_sums() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let leader = app.sign_in(Persona::Leader).await;
        let agent = app.sign_in(Persona::Agent).await;

        let plan = json!({ "name": "2026 voice", "kras": [ { "metric": "fcr", "weight": 60 }, { "metric": "csat", "weight": 40 } ] });
        let res = leader.put(&format!("/api/v1/employees/{e}/kra-plans/2026"), plan).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

        // February: FCR 15 of 30 (50 %: exactly FCR's minimum volume, and 60 % of the weight,
        // the minimum to score); March: 70 of 100 (70 %), CSAT 45 of 50 (90 %).
        let feb = json!([ { "metric": "fcr", "numerator": 15, "denominator": 30 } ]);
        assert_eq!(agent.put(&format!("/api/v1/employees/{e}/actuals/2026-02"), feb).await.status(), 204);
        let mar = json!([
            { "metric": "fcr", "numerator": 70, "denominator": 100 },
            { "metric": "csat", "numerator": 45, "denominator": 50 }
        ]);
        assert_eq!(agent.put(&format!("/api/v1/employees/{e}/actuals/2026-03"), mar).await.status(), 204);
        // April comes after the month asked for: in neither its figures nor its year to date.
        let apr = json!([ { "metric": "fcr", "numerator": 0, "denominator": 50 } ]);
        assert_eq!(agent.put(&format!("/api/v1/employees/{e}/actuals/2026-04"), apr).await.status(), 204);

        let card = agent.get_json(&format!("/api/v1/employees/{e}/scorecard?month=2026-03"), 200).await;
        let figures: Vec<(&str, f64)> = card["actuals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["metric"].as_str().unwrap(), a["numerator"].as_f64().unwrap()))
            .collect();
        assert_eq!(figures, [("csat", 45.0), ("fcr", 70.0)], "only March's figures are listed");
        let month = &card["scorecard"];
        assert!(close(kra(month, "fcr")["value"].as_f64().unwrap(), 70.0), "{month}");
        assert!(close(kra(month, "fcr")["attainment"].as_f64().unwrap(), 100.0), "FCR at target scores 100");
        assert!(close(kra(month, "csat")["value"].as_f64().unwrap(), 90.0));
        // CSAT 90 is above the stretch of 85: capped at the stretch credit.
        let stretch_credit = ladder_core::Framework::default_framework().scoring.stretch_credit;
        assert!(close(kra(month, "csat")["attainment"].as_f64().unwrap(), stretch_credit));
        assert!(close(month["total"].as_f64().unwrap(), 0.6 * 100.0 + 0.4 * stretch_credit));
        assert!(!card["explanation"].as_array().unwrap().is_empty());
        // Year to date: (15 + 70) / (30 + 100) = 65.4 %, not the mean of the months (60 %).
        let ytd = kra(&card["year_to_date"], "fcr")["value"].as_f64().unwrap();
        assert!(close(ytd, 85.0 / 130.0 * 100.0), "ytd fcr {ytd}");

        let trend = agent.get_json(&format!("/api/v1/employees/{e}/trend?through=2026-03&months=3"), 200).await;
        let points = trend.as_array().unwrap();
        assert_eq!(points.len(), 3);
        assert_eq!(points[0]["month"], "2026-01");
        assert!(points[0]["total"].is_null(), "no figures in January");
        assert!(points[2]["total"].as_f64().unwrap() > points[1]["total"].as_f64().unwrap());

        // Both the plan and the figures are in the audit trail, with before and after.
        let audit = agent.get_json(&format!("/api/v1/employees/{e}/audit"), 200).await;
        let entities: Vec<&str> = audit["items"].as_array().unwrap().iter().map(|a| a["entity"].as_str().unwrap()).collect();
        assert!(entities.contains(&"kra-plan") && entities.contains(&"kra-actual"), "{entities:?}");
    })
    .await;
}

#[tokio::test]
async fn a_team_total_is_the_ratio_of_the_members_sums() {
    each_app(async |app| {
        let leader = app.sign_in(Persona::Leader).await;
        let (agent, lead) = (app.fixture.agent, app.fixture.leader);
        let t1 = app.fixture.teams[0];
        // Agent 70 of 100 calls resolved; the leader (also in T1) 1 of 10.
        let fig = |n, d| json!([ { "metric": "fcr", "numerator": n, "denominator": d } ]);
        assert_eq!(leader.put(&format!("/api/v1/employees/{agent}/actuals/2026-03"), fig(70, 100)).await.status(), 204);
        imported(&app, lead, "2026-03", "fcr", 1.0, 10.0).await;
        let team = leader.get_json(&format!("/api/v1/teams/{t1}/scorecard?month=2026-03"), 200).await;
        let fcr = team["totals"].as_array().unwrap().iter().find(|t| t["metric"] == "fcr").expect("fcr total");
        // 71 / 110 = 64.5 %, where the mean of the two rates would be 40 %.
        assert!(close(fcr["value"].as_f64().unwrap(), 71.0 / 110.0 * 100.0), "{fcr}");
        assert_eq!(fcr["people"], 2);
        assert_eq!(team["rows"].as_array().unwrap().len(), 2);
        // Each cell carries its attainment band, by the framework's settings, as the page colours it.
        let band = |a: f64| u64::from(ladder_core::settings::FrameworkSettings::default().attainment_band(a));
        let cells: Vec<&Value> =
            team["rows"].as_array().unwrap().iter().flat_map(|r| r["cells"].as_array().unwrap()).collect();
        assert!(cells.iter().any(|c| c["band"].is_u64()), "{team}");
        for cell in cells {
            assert_eq!(cell["band"].as_u64(), cell["attainment"].as_f64().map(band), "{cell}");
        }

        let rollup = leader.get_json("/api/v1/rollups?level=account&from=2026-01&through=2026-03", 200).await;
        let groups = rollup["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 1, "the leader sees only their account's figures: {rollup}");
        let fcr = groups[0]["totals"].as_array().unwrap().iter().find(|t| t["metric"] == "fcr").unwrap();
        assert!(close(fcr["value"].as_f64().unwrap(), 71.0 / 110.0 * 100.0));

        // Someone who may not see the team is refused; an unknown team is 404.
        let other = app.sign_in(Persona::OtherLeader).await;
        assert_eq!(other.get(&format!("/api/v1/teams/{t1}/scorecard?month=2026-03")).await.status(), 403);
        assert_eq!(leader.get("/api/v1/teams/999999/scorecard?month=2026-03").await.status(), 404);
    })
    .await;
}

#[tokio::test]
async fn a_saved_plan_scores_the_very_next_request() {
    // Scorecards keep resolved plans between requests (service::plans); a save must still show
    // at once, on the employee's scorecard and on the team's.
    let stretch_credit = ladder_core::Framework::default_framework().scoring.stretch_credit;
    each_app(async |app| {
        let (e, t1) = (app.fixture.agent, app.fixture.teams[0]);
        let leader = app.sign_in(Persona::Leader).await;
        // FCR 70 % (at target: 100), CSAT 90 % (above stretch: the stretch credit).
        let mar = json!([
            { "metric": "fcr", "numerator": 70, "denominator": 100 },
            { "metric": "csat", "numerator": 45, "denominator": 50 }
        ]);
        assert_eq!(leader.put(&format!("/api/v1/employees/{e}/actuals/2026-03"), mar).await.status(), 204);
        for (fcr, csat) in [(60.0, 40.0), (20.0, 80.0), (60.0, 40.0)] {
            let plan = json!({ "name": "2026", "kras": [ { "metric": "fcr", "weight": fcr }, { "metric": "csat", "weight": csat } ] });
            let res = leader.put(&format!("/api/v1/employees/{e}/kra-plans/2026"), plan).await;
            assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
            let expected = fcr / 100.0 * 100.0 + csat / 100.0 * stretch_credit;
            let card = leader.get_json(&format!("/api/v1/employees/{e}/scorecard?month=2026-03"), 200).await;
            let total = card["scorecard"]["total"].as_f64().unwrap();
            assert!(close(total, expected), "weights {fcr}/{csat}: employee total {total}, expected {expected}");
            let team = leader.get_json(&format!("/api/v1/teams/{t1}/scorecard?month=2026-03"), 200).await;
            let row = team["rows"].as_array().unwrap().iter().find(|r| r["employee_id"] == e.0).expect("the agent's row");
            let total = row["total"].as_f64().unwrap();
            assert!(close(total, expected), "weights {fcr}/{csat}: team row total {total}, expected {expected}");
        }
    })
    .await;
}

#[tokio::test]
async fn imported_figures_cannot_be_overwritten_by_hand() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Persona::Agent).await;
        imported(&app, e, "2026-03", "fcr", 70.0, 100.0).await;
        let res = agent
            .put(
                &format!("/api/v1/employees/{e}/actuals/2026-03"),
                json!([ { "metric": "fcr", "numerator": 99, "denominator": 100 } ]),
            )
            .await;
        assert_eq!(res.status(), 409);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "conflict");
        let figures = agent.get_json(&format!("/api/v1/employees/{e}/actuals/2026-03"), 200).await;
        assert_eq!(figures[0]["numerator"], 70.0);
        assert_eq!(figures[0]["source"], "import");

        // Bad figures name the field; nothing is written.
        let res = agent
            .put(
                &format!("/api/v1/employees/{e}/actuals/2026-03"),
                json!([ { "metric": "csat", "numerator": 40, "denominator": 50 }, { "metric": "aht", "numerator": 100, "denominator": 0 } ]),
            )
            .await;
        assert_eq!(res.status(), 422);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["field"], "[1].denominator");
        let figures = agent.get_json(&format!("/api/v1/employees/{e}/actuals/2026-03"), 200).await;
        assert_eq!(figures.as_array().unwrap().len(), 1, "the valid first row was not written either");
        assert_eq!(agent.get(&format!("/api/v1/employees/{e}/actuals/2026-13")).await.status(), 422);
    })
    .await;
}

#[tokio::test]
async fn a_kra_plan_is_checked_against_the_framework() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let leader = app.sign_in(Persona::Leader).await;
        let plan_path = format!("/api/v1/employees/{e}/kra-plans/2026");
        let put = |body: Value| leader.put(&plan_path, body);
        let field = |v: Value| v["error"]["field"].as_str().unwrap_or_default().to_string();

        let res = put(json!({ "name": "x", "kras": [ { "metric": "fcr", "weight": 60 } ] })).await;
        assert_eq!(res.status(), 422);
        assert_eq!(field(res.json().await.unwrap()), "kras");
        let res = put(json!({ "name": "x", "kras": [ { "metric": "nope", "weight": 100 } ] })).await;
        assert_eq!(field(res.json().await.unwrap()), "kras[0].metric");
        // AHT is lower-is-better: a threshold below the target is out of order.
        let res = put(json!({ "name": "x", "kras": [ { "metric": "aht", "weight": 100, "threshold": 300, "target": 400, "stretch": 350 } ] })).await;
        assert_eq!(res.status(), 422);
        assert_eq!(field(res.json().await.unwrap()), "kras[0]");

        let plans = leader.get_json(&format!("/api/v1/employees/{e}/kra-plans/2026"), 200).await;
        assert!(plans["plans"].as_array().unwrap().is_empty(), "nothing saved");
        assert!(!plans["role_template"]["kras"].as_array().unwrap().is_empty(), "the role's template applies");
    })
    .await;
}

#[tokio::test]
async fn accomplishments_stay_private_until_shared() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Persona::Agent).await;
        let path = format!("/api/v1/employees/{e}/accomplishments");
        let entry = |title: &str, shared: bool| {
            json!({ "date": "2026-03-10", "title": title, "impact_value": 12, "impact_unit": "% fewer repeat calls",
                    "tags": ["Process"], "kras": ["fcr"], "shared": shared })
        };
        let private: Value = agent.post(&path, entry("Private draft", false)).await.json().await.unwrap();
        agent.post(&path, entry("Shared win", true)).await;

        let titles = |v: Value| -> Vec<String> {
            v["items"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap().to_string()).collect()
        };
        assert_eq!(titles(agent.get_json(&path, 200).await).len(), 2);
        for persona in [Persona::Leader, Persona::Manager, Persona::Hr] {
            let seen = titles(app.sign_in(persona).await.get_json(&path, 200).await);
            assert_eq!(seen, vec!["Shared win".to_string()], "{persona:?} sees shared entries only");
        }
        // Filters: by tag (stored lower-case) and by KRA.
        assert_eq!(titles(agent.get_json(&format!("{path}?tag=process"), 200).await).len(), 2);
        assert_eq!(titles(agent.get_json(&format!("{path}?kra=csat"), 200).await).len(), 0);

        // Only the owner shares; then the leader sees it.
        let leader = app.sign_in(Persona::Leader).await;
        let share = format!("{path}/{}/share", private["id"]);
        assert_eq!(leader.post(&share, json!({ "shared": true })).await.status(), 403);
        assert_eq!(agent.post(&share, json!({ "shared": true })).await.status(), 200);
        assert_eq!(titles(leader.get_json(&path, 200).await).len(), 2);

        // A future date or an empty title is refused with the field named.
        let res = agent.post(&path, json!({ "date": "2999-01-01", "title": "x" })).await;
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "date");
        let res = agent.post(&path, json!({ "date": "2026-03-01", "title": " " })).await;
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "title");
    })
    .await;
}

#[tokio::test]
async fn a_leader_acknowledges_a_checkin_with_a_coaching_note() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Persona::Agent).await;
        let leader = app.sign_in(Persona::Leader).await;
        let entry: Value = agent
            .post(
                &format!("/api/v1/employees/{e}/accomplishments"),
                json!({ "date": "2026-03-05", "title": "Mentored two new hires", "shared": false }),
            )
            .await
            .json()
            .await
            .unwrap();
        let res = agent
            .post(
                &format!("/api/v1/employees/{e}/checkins"),
                json!({ "month": "2026-03", "highlights": "Good month", "accomplishment_ids": [entry["id"]],
                        "blockers": "Tool outage", "asks": "Coaching on AHT" }),
            )
            .await;
        assert_eq!(res.status(), 201);
        let checkin: Value = res.json().await.unwrap();
        // Picking an entry as a highlight shares it.
        let seen = leader.get_json(&format!("/api/v1/employees/{e}/accomplishments"), 200).await;
        assert_eq!(seen["items"].as_array().unwrap().len(), 1);

        let pending = leader.get_json("/api/v1/checkins/pending", 200).await;
        assert_eq!(pending["items"].as_array().unwrap().len(), 1);
        assert!(app.sign_in(Persona::OtherLeader).await.get_json("/api/v1/checkins/pending", 200).await["items"]
            .as_array()
            .unwrap()
            .is_empty());

        let ack = format!("/api/v1/employees/{e}/checkins/{}/acknowledge", checkin["id"]);
        let bad = leader
            .post(
                &ack,
                json!({ "comment": "ok", "coaching": { "metric": "aht", "note": "x", "follow_up": "2001-01-01" } }),
            )
            .await;
        assert_eq!(bad.json::<Value>().await.unwrap()["error"]["field"], "coaching.follow_up");
        let res = leader
            .post(&ack, json!({ "comment": "Well done", "coaching": { "metric": "aht", "note": "Shorter hold: use the knowledge base search", "follow_up": "2099-04-15" } }))
            .await;
        assert_eq!(res.status(), 200);
        let done: Value = res.json().await.unwrap();
        assert!(done["acknowledged_at"].is_string());
        assert_eq!(done["leader_comment"], "Well done");

        let notes = agent.get_json(&format!("/api/v1/employees/{e}/coaching-notes"), 200).await;
        assert_eq!(notes["items"][0]["metric"], "aht");
        assert_eq!(notes["items"][0]["checkin_id"], checkin["id"]);
        assert_eq!(leader.get_json("/api/v1/checkins/pending", 200).await["total"], 0);
        // Acknowledged: neither the agent nor the leader can change it again.
        let again = agent
            .post(&format!("/api/v1/employees/{e}/checkins"), json!({ "month": "2026-03", "highlights": "edit" }))
            .await;
        assert_eq!(again.status(), 409);
        assert_eq!(leader.post(&ack, json!({ "comment": "twice" })).await.status(), 409);
    })
    .await;
}

#[tokio::test]
async fn a_career_plan_lays_out_the_route_and_readiness() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Persona::Agent).await;
        let path = format!("/api/v1/employees/{e}/career-plan");
        let empty = agent.get_json(&path, 200).await;
        assert!(empty["target_role"].is_null());
        assert!(empty["next_role"].is_string(), "the usual next role is suggested without a plan");

        let res = agent.put(&path, json!({ "target_role": "operations-manager", "horizon_years": 8 })).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        let view = agent.get_json(&path, 200).await;
        let roles = view["plan"]["fastest"]["roles"].as_array().unwrap();
        assert_eq!(roles.first().unwrap(), "customer-service-executive");
        assert_eq!(roles.last().unwrap(), "operations-manager");
        assert_eq!(view["next_role"], roles[1]);
        assert!(view["readiness"]["items"].as_array().is_some_and(|i| !i.is_empty()));

        let res = agent.put(&path, json!({ "target_role": "astronaut", "horizon_years": 5 })).await;
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "target_role");
        // A role's name, as a person types it, names the same role.
        let res = agent.put(&path, json!({ "target_role": "Operations Manager", "horizon_years": 8 })).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        assert_eq!(agent.get_json(&path, 200).await["target_role"], "operations-manager");
        let res = agent.put(&path, json!({ "target_role": "operations-manager", "horizon_years": 1 })).await;
        assert_eq!(res.status(), 422, "no route arrives within one year");
    })
    .await;
}

/// A team's FCR in a roll-up by team: (value, people).
fn team_fcr(rollup: &Value, team: TeamId) -> Option<(f64, i64)> {
    let group = rollup["groups"].as_array().unwrap().iter().find(|g| g["id"] == team.0)?;
    let fcr = group["totals"].as_array().unwrap().iter().find(|t| t["metric"] == "fcr")?;
    Some((fcr["value"].as_f64().unwrap(), fcr["people"].as_i64().unwrap()))
}

#[tokio::test]
async fn a_kept_roll_up_follows_every_change_to_its_figures_on_every_server() {
    // Roll-ups are kept between requests (service::rollups). Whatever changes the figures or
    // the teams, through either of two app servers on one database, shows on both at once.
    each_app(async |app| {
        let (agent, [t1, t2, _]) = (app.fixture.agent, app.fixture.teams);
        let leader = app.sign_in(Persona::Leader).await;
        let hr = app.sign_in(Persona::Hr).await;
        let (other_base, other_server) = app.another_server().await;
        let hr_there = Session { client: hr.client.clone(), csrf: hr.csrf.clone(), base: other_base };
        let path = "/api/v1/rollups?level=team&through=2026-03";
        let both = || async { (hr.get_json(path, 200).await, hr_there.get_json(path, 200).await) };
        let fig = |n, d| json!([ { "metric": "fcr", "numerator": n, "denominator": d } ]);
        let actuals = format!("/api/v1/employees/{agent}/actuals/2026-03");

        assert_eq!(leader.put(&actuals, fig(70, 100)).await.status(), 204);
        for rollup in <[Value; 2]>::from(both().await) {
            assert_eq!(team_fcr(&rollup, t1), Some((70.0, 1)), "{rollup}");
        }

        // Both servers kept that answer: a change behind Ladder's back, which does not raise
        // the version, does not show.
        let behind = "UPDATE kra_actuals SET numerator = 75 WHERE employee_id = $1";
        ladder_store::on_db!(&app.db, p => sqlx::query(behind).bind(agent).execute(p).await.map(|_| ())).unwrap();
        for rollup in <[Value; 2]>::from(both().await) {
            assert_eq!(team_fcr(&rollup, t1), Some((70.0, 1)), "kept: {rollup}");
        }

        // Typed again: neither server gives the kept answer now.
        assert_eq!(leader.put(&actuals, fig(80, 100)).await.status(), 204);
        for rollup in <[Value; 2]>::from(both().await) {
            assert_eq!(team_fcr(&rollup, t1), Some((80.0, 1)), "{rollup}");
        }

        // A daily import of the leader's days (also in T1).
        let days = "employee,date,metric,numerator,denominator\nL1,2026-03-02,fcr,1,10\n";
        let (status, report) = hr.upload("/api/v1/imports/kpi", days).await;
        assert_eq!(status, 200, "{report}");
        for rollup in <[Value; 2]>::from(both().await) {
            let (value, people) = team_fcr(&rollup, t1).unwrap();
            assert!(close(value, 81.0 / 110.0 * 100.0) && people == 2, "{rollup}");
        }

        // A people import moves the agent to T2: their figures go with them.
        let people = "code,name,email,site,country,timezone,account,client,line_of_business,team,role,role_since,hire_date,team_leader\n\
            E1,Ana Agent,,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T2,customer-service-executive,2024-01-01,2023-06-01,\n";
        let (status, report) = hr.upload("/api/v1/imports/people", people).await;
        assert_eq!(status, 200, "{report}");
        for rollup in <[Value; 2]>::from(both().await) {
            assert_eq!((team_fcr(&rollup, t1), team_fcr(&rollup, t2)), (Some((10.0, 1)), Some((80.0, 1))), "{rollup}");
        }

        // And a change of role back into T1.
        ladder_store::org::change_role(&app.db, agent, "senior-agent", Some(t1), day(2026, 4, 1)).await.unwrap();
        for rollup in <[Value; 2]>::from(both().await) {
            let (value, people) = team_fcr(&rollup, t1).unwrap();
            assert!(close(value, 81.0 / 110.0 * 100.0) && people == 2, "{rollup}");
            assert_eq!(team_fcr(&rollup, t2), None, "{rollup}");
        }
        other_server.abort();
    })
    .await;
}

#[tokio::test]
async fn statuses_and_kinds_read_back_as_written_and_strangers_are_named() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Persona::Agent).await;
        let framework = agent.get_json("/api/v1/framework", 200).await;
        let cert = framework["certification"][0]["id"].as_str().unwrap().to_string();

        let path = format!("/api/v1/employees/{e}/certifications");
        let earned = json!({ "certification_id": cert, "status": "earned", "earned_date": "2026-01-10",
            "evidence_url": "https://certs.example.com/ana" });
        assert_eq!(agent.post(&path, earned).await.status(), 200);
        let listed = agent.get_json(&path, 200).await;
        assert_eq!(listed["items"][0]["status"], "earned", "{listed}");
        let res = agent.post(&path, json!({ "certification_id": cert, "status": "expired" })).await;
        assert_eq!(res.status(), 422);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["field"], "status");
        assert_eq!(body["error"]["message"], "one of planned, in-progress, earned");

        let path = format!("/api/v1/employees/{e}/training");
        let item = json!({ "kind": "on-the-job", "title": "Shadow a senior", "hours": 6, "status": "in-progress" });
        let added: Value = agent.post(&path, item).await.json().await.unwrap();
        assert_eq!((added["kind"].as_str(), added["status"].as_str()), (Some("on-the-job"), Some("in-progress")));
        let listed = agent.get_json(&path, 200).await;
        assert_eq!(listed["items"][0]["kind"], "on-the-job", "{listed}");
        for (bad, field, message) in [
            (json!({ "kind": "webinar", "title": "x", "status": "done" }), "kind", "course, bootcamp"),
            (json!({ "kind": "course", "title": "x", "status": "finished" }), "status", "planned, in-progress, done"),
        ] {
            let body: Value = agent.post(&path, bad).await.json().await.unwrap();
            assert_eq!(body["error"]["field"], field, "{body}");
            assert!(body["error"]["message"].as_str().unwrap().contains(message), "{body}");
        }

        // A leader's assessment reads back as `leader`, the person's own as `self`.
        let skill = framework["skill"][0]["id"].as_str().unwrap().to_string();
        let path = format!("/api/v1/employees/{e}/skills/{skill}/assessments");
        assert_eq!(agent.post(&path, json!({ "level": 3 })).await.status(), 201);
        assert_eq!(app.sign_in(Persona::Leader).await.post(&path, json!({ "level": 2 })).await.status(), 201);
        let assessments = agent.get_json(&format!("/api/v1/employees/{e}/skills"), 200).await;
        let who: Vec<&str> =
            assessments["items"].as_array().unwrap().iter().map(|a| a["assessor"].as_str().unwrap()).collect();
        assert_eq!(who, ["self", "leader"]);
    })
    .await;
}

#[tokio::test]
async fn a_month_left_out_is_the_last_full_month_and_a_malformed_one_is_named() {
    each_app(async |app| {
        let (e, t1) = (app.fixture.agent, app.fixture.teams[0]);
        let last_full = ladder_core::period::Month::last_full(chrono::Utc::now().date_naive()).to_string();
        let leader = app.sign_in(Persona::Leader).await;

        let card = leader.get_json(&format!("/api/v1/employees/{e}/scorecard"), 200).await;
        assert_eq!(card["month"], last_full.as_str());
        let team = leader.get_json(&format!("/api/v1/teams/{t1}/scorecard?month="), 200).await;
        assert_eq!(team["month"], last_full.as_str(), "an empty month is a month left out");
        let trend = leader.get_json(&format!("/api/v1/employees/{e}/trend?months=2"), 200).await;
        assert_eq!(trend.as_array().unwrap().last().unwrap()["month"], last_full.as_str(), "{trend}");
        let rollup = leader.get_json("/api/v1/rollups?level=team", 200).await;
        assert_eq!((rollup["from"].as_str(), rollup["through"].as_str()), (Some(&*last_full), Some(&*last_full)));

        for (path, field) in [
            (format!("/api/v1/employees/{e}/scorecard?month=2026-13"), "month"),
            (format!("/api/v1/teams/{t1}/scorecard?month=March"), "month"),
            (format!("/api/v1/employees/{e}/trend?through=26-03"), "through"),
            ("/api/v1/rollups?level=team&from=soon&through=2026-03".to_string(), "from"),
        ] {
            let res = leader.get(&path).await;
            assert_eq!(res.status(), 422, "{path}");
            let body: Value = res.json().await.unwrap();
            assert_eq!(
                (body["error"]["code"].as_str(), body["error"]["field"].as_str()),
                (Some("invalid"), Some(field))
            );
            assert!(body["error"]["message"].as_str().unwrap().contains("is not a month"), "{body}");
        }
    })
    .await;
}

#[tokio::test]
async fn reminders_follow_the_frameworks_windows_on_the_api_as_on_home() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let agent = app.sign_in(Persona::Agent).await;
        let leader = app.sign_in(Persona::Leader).await;
        let today = chrono::Utc::now().date_naive();
        let in_days = |n: u64| (today + chrono::Days::new(n)).to_string();
        let this_month = ladder_core::period::Month::of(today).to_string();
        let kinds = |r: &Value| -> Vec<String> {
            r["items"].as_array().unwrap().iter().map(|x| x["kind"].as_str().unwrap().to_string()).collect()
        };
        let path = format!("/api/v1/employees/{e}/reminders");

        let reminders = agent.get_json(&path, 200).await;
        assert_eq!(kinds(&reminders), vec!["checkin-due".to_string()], "{reminders}");
        assert_eq!(reminders["items"][0]["month"], this_month.as_str());

        // Within the 60-day expiry window and the 14-day follow-up window, and past each.
        let framework = agent.get_json("/api/v1/framework", 200).await;
        let certs: Vec<&str> =
            framework["certification"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
        let certifications = format!("/api/v1/employees/{e}/certifications");
        for (cert, expires) in [(certs[0], in_days(30)), (certs[1], in_days(90))] {
            let earned = json!({ "certification_id": cert, "status": "earned", "earned_date": today.to_string(),
                "expires_date": expires, "evidence_url": "https://certs.example.com/ana" });
            assert_eq!(agent.post(&certifications, earned).await.status(), 200);
        }
        let notes = format!("/api/v1/employees/{e}/coaching-notes");
        for (metric, follow_up) in [("aht", in_days(7)), ("csat", in_days(30))] {
            let note = json!({ "metric": metric, "note": format!("work on {metric}"), "follow_up": follow_up });
            assert!(leader.post(&notes, note).await.status().is_success());
        }
        let checkin = json!({ "month": this_month, "highlights": "A steady month" });
        assert!(agent.post(&format!("/api/v1/employees/{e}/checkins"), checkin).await.status().is_success());

        let reminders = agent.get_json(&path, 200).await;
        assert_eq!(kinds(&reminders), vec!["certification-expiring".to_string(), "follow-up".into()], "{reminders}");
        let (expiring, follow_up) = (&reminders["items"][0], &reminders["items"][1]);
        assert_eq!(
            (expiring["certification_id"].as_str(), expiring["expires"].as_str()),
            (Some(certs[0]), Some(&*in_days(30)))
        );
        assert_eq!((follow_up["metric"].as_str(), follow_up["follow_up"].as_str()), (Some("aht"), Some(&*in_days(7))));
        // The leader sees the same; home says them in words.
        assert_eq!(leader.get_json(&path, 200).await, reminders);
        let home = agent.client.get(format!("{}/home", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(home.contains(&format!("expires on {}: plan the renewal.", in_days(30))), "{home}");
        assert!(
            home.contains("Coaching follow-up on Average handle time by") && !home.contains("is due: tell your leader"),
            "{home}"
        );
    })
    .await;
}
