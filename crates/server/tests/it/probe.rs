//! Findings of the security probe (issue 27), each held by a test: no one imports their own
//! record, imports show in the audit trail, dates stay within 1900–2100 on every path, and
//! figures typed in by hand are held to the same range as imported ones.

use serde_json::json;

use crate::common;

use common::{each_app, Backend, Persona};

const KPI_HEADER: &str = "employee,date,metric,numerator,denominator\n";
const PEOPLE_HEADER: &str = "code,name,email,site,country,timezone,account,client,line_of_business,team,role,role_since,hire_date,team_leader\n";

fn person_row(code: &str, name: &str, role: &str, hired: &str) -> String {
    format!("{code},{name},,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,{role},{hired},{hired},\n")
}

#[tokio::test]
async fn leaders_and_managers_cannot_import_their_own_figures_role_or_hire_date() {
    each_app(async |app| {
        let [t1, ..] = app.fixture.teams;
        // A manager with a record of their own in a team of the account they manage.
        let m1 = ladder_store::org::NewEmployee {
            code: "M1".into(),
            name: "Mia Manager".into(),
            email: None,
            team_id: Some(t1),
            role_id: "team-leader".into(),
            role_since: common::day(2024, 1, 1),
            hire_date: common::day(2023, 6, 1),
            manager_id: None,
        };
        let m1 = ladder_store::org::create_employee(&app.db, app.fixture.organisation, &m1).await.unwrap();
        let manager_user = app.fixture.users[&Persona::Manager];
        ladder_store::on_db!(&app.db, p => sqlx::query("UPDATE users SET employee_id = $1 WHERE id = $2")
            .bind(m1).bind(manager_user).execute(p).await.map(drop).unwrap());

        for (persona, code, id) in [(Persona::Leader, "L1", app.fixture.leader), (Persona::Manager, "M1", m1)] {
            let session = app.sign_in(persona).await;
            // Figures about themselves, beside a good row about their agent: the whole file is refused.
            let kpi = format!("{KPI_HEADER}E1,2026-03-02,fcr,7,10\n{code},2026-03-02,fcr,10,10\n");
            let (status, report) = session.upload("/api/v1/imports/kpi", &kpi).await;
            assert_eq!(status, 422, "{persona:?}: {report}");
            assert_eq!(report["committed"], false);
            let problem = &report["problems"][0];
            assert_eq!((problem["row"].as_u64(), problem["value"].as_str()), (Some(3), Some(code)), "{report}");
            assert!(problem["message"].as_str().unwrap().contains("your own record"), "{report}");
            let figures = session.get_json(&format!("/api/v1/employees/{id}/actuals/2026-03"), 200).await;
            assert!(figures.as_array().unwrap().is_empty(), "{persona:?}'s own figures were written");

            // A promotion and an earlier hire date for themselves.
            let people =
                format!("{PEOPLE_HEADER}{}", person_row(code, "Self Promoted", "operations-manager", "2001-01-01"));
            let (status, report) = session.upload("/api/v1/imports/people", &people).await;
            assert_eq!(status, 422, "{persona:?}: {report}");
            let problem = &report["problems"][0];
            assert_eq!((problem["row"].as_u64(), problem["value"].as_str()), (Some(2), Some(code)), "{report}");
            assert!(problem["message"].as_str().unwrap().contains("your own record"), "{report}");
            let me = ladder_store::org::employee(&app.db, id).await.unwrap();
            assert_eq!((me.role_id.as_str(), me.hire_date), ("team-leader", common::day(2023, 6, 1)));
        }
    })
    .await;
}

#[tokio::test]
async fn every_import_that_changes_a_person_shows_in_their_audit_trail() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let leader = app.sign_in(Persona::Leader).await;
        let (status, report) =
            leader.upload("/api/v1/imports/kpi", &format!("{KPI_HEADER}E1,2026-03-02,fcr,7,10\n")).await;
        assert_eq!(status, 200, "{report}");
        let kpi_import = report["import_id"].as_i64().unwrap();
        let people =
            format!("{PEOPLE_HEADER}{}", person_row("E1", "Ana Renamed", "customer-service-executive", "2023-06-01"));
        let (status, report) = leader.upload("/api/v1/imports/people", &people).await;
        assert_eq!(status, 200, "{report}");
        let people_import = report["import_id"].as_i64().unwrap();

        let trail = leader.get_json(&format!("/api/v1/employees/{e}/audit"), 200).await;
        let imports: Vec<(String, String)> = trail["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|entry| entry["action"] == "import")
            .map(|entry| {
                (entry["entity"].as_str().unwrap().to_string(), entry["entity_id"].as_str().unwrap().to_string())
            })
            .collect();
        assert_eq!(
            imports,
            [
                ("people-import".to_string(), format!("employee:{e}/import:{people_import}")),
                ("kpi-import".to_string(), format!("employee:{e}/import:{kpi_import}")),
            ],
            "{trail}"
        );
        let kpi_entry = trail["items"].as_array().unwrap().iter().find(|x| x["entity"] == "kpi-import").unwrap();
        assert_eq!(kpi_entry["actor_id"], json!(app.fixture.users[&Persona::Leader]));
        assert!(kpi_entry["after"].as_str().unwrap().contains("march.csv"), "{kpi_entry}");
        // Only the person the rows were about.
        let other = leader.get_json(&format!("/api/v1/employees/{}/audit", app.fixture.leader), 200).await;
        assert!(other["items"].as_array().unwrap().iter().all(|x| x["action"] != "import"), "{other}");
    })
    .await;
}

#[tokio::test]
async fn dates_outside_1900_to_2100_are_refused_on_every_path_and_a_stored_one_breaks_no_list() {
    each_app(async |app| {
        let hr = app.sign_in(Persona::Hr).await;
        for hired in ["-0001-06-01", "0000-01-01", "1-1-1", "10000-01-01", "1899-12-31"] {
            let people = format!("{PEOPLE_HEADER}{}", person_row("N1", "Nia New", "customer-service-executive", hired));
            let (status, report) = hr.upload("/api/v1/imports/people", &people).await;
            assert_eq!(status, 422, "{hired}: {report}");
            assert_eq!(report["problems"][0]["row"], 2, "{report}");
        }
        let leader = app.sign_in(Persona::Leader).await;
        let (status, report) =
            leader.upload("/api/v1/imports/kpi", &format!("{KPI_HEADER}E1,1899-12-01,fcr,1,2\n")).await;
        assert_eq!(status, 422, "{report}");
        assert!(report["problems"][0]["message"].as_str().unwrap().contains("1900-01-01 to 2100-12-31"), "{report}");

        // JSON bodies and query strings name the field.
        let agent = app.sign_in(Persona::Agent).await;
        let e = app.fixture.agent;
        let entry = json!({ "date": "-0001-03-10", "title": "Old", "tags": [], "kras": [], "shared": false });
        let res = agent.post(&format!("/api/v1/employees/{e}/accomplishments"), entry).await;
        assert_eq!(res.status(), 422);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["field"], "date", "{body}");
        let res = agent.get(&format!("/api/v1/employees/{e}/accomplishments?from=10000-01-01")).await;
        assert_eq!(res.status(), 422);
        let res = agent.get(&format!("/api/v1/employees/{e}/scorecard?month=0000-01")).await;
        assert_eq!(res.status(), 422);

        // A date stored before the rule (here: year -1) reads as the nearest date kept.
        let minus_one = match app.backend {
            Backend::Sqlite => "-0001-06-01",
            Backend::Postgres => "0002-06-01 BC",
        };
        let sql = match app.backend {
            Backend::Sqlite => "UPDATE employees SET hire_date = $1 WHERE code = 'E1'",
            Backend::Postgres => "UPDATE employees SET hire_date = CAST($1 AS DATE) WHERE code = 'E1'",
        };
        ladder_store::on_db!(&app.db, p => sqlx::query(sql).bind(minus_one).execute(p).await.map(drop).unwrap());
        for persona in [Persona::Leader, Persona::Hr] {
            let list = app.sign_in(persona).await.get_json("/api/v1/employees", 200).await;
            let ana = list["items"].as_array().unwrap().iter().find(|p| p["code"] == "E1").expect("listed");
            assert_eq!(ana["hire_date"], "1900-01-01", "{persona:?}");
        }
        leader.get_json(&format!("/api/v1/employees/{e}"), 200).await;
    })
    .await;
}

#[tokio::test]
async fn figures_typed_in_are_held_to_the_metric_range_and_the_hire_date() {
    each_app(async |app| {
        let e = app.fixture.agent;
        let leader = app.sign_in(Persona::Leader).await;
        let path = format!("/api/v1/employees/{e}/actuals/2026-03");
        for (figure, field) in [
            (json!({ "metric": "csat", "numerator": 500, "denominator": 100 }), "[0].numerator"),
            (json!({ "metric": "aht", "numerator": 1e308, "denominator": 1 }), "[0].numerator"),
            (json!({ "metric": "aht", "numerator": 100, "denominator": 1e300 }), "[0].denominator"),
            (json!({ "metric": "fatal-errors", "numerator": -1 }), "[0].numerator"),
        ] {
            let res = leader.put(&path, json!([figure])).await;
            assert_eq!(res.status(), 422, "{figure}");
            let body: serde_json::Value = res.json().await.unwrap();
            assert_eq!(body["error"]["field"], field, "{figure}: {body}");
        }
        // The same CSAT imported is refused too: one rule.
        let (status, report) =
            leader.upload("/api/v1/imports/kpi", &format!("{KPI_HEADER}E1,2026-03-02,csat,500,100\n")).await;
        assert_eq!(status, 422, "{report}");
        assert!(report["problems"][0]["message"].as_str().unwrap().contains("cannot exceed 100 %"), "{report}");
        let ok = json!([{ "metric": "csat", "numerator": 45, "denominator": 50 }]);
        assert_eq!(leader.put(&path, ok.clone()).await.status(), 204);

        // Hired 2023-06-01: May 2023 has no figures to enter.
        let res = leader.put(&format!("/api/v1/employees/{e}/actuals/2023-05"), ok.clone()).await;
        assert_eq!(res.status(), 422);
        let body: serde_json::Value = res.json().await.unwrap();
        assert!(
            body["error"]["message"].as_str().unwrap().contains("before Ana Agent's hire date 2023-06-01"),
            "{body}"
        );
        assert_eq!(leader.put(&format!("/api/v1/employees/{e}/actuals/2023-06"), ok).await.status(), 204);
    })
    .await;
}
