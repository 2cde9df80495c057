//! Imports over the API, as each kind of user: all or nothing, and only for one's own people.

use crate::common;

use common::{each_app, Persona};

#[tokio::test]
async fn a_leader_imports_their_team_only_and_a_bad_file_writes_nothing() {
    each_app(async |app| {
        let leader = app.sign_in(Persona::Leader).await;
        let own = "employee,date,metric,numerator,denominator\nE1,2026-03-02,fcr,7,10\nE1,2026-03-03,fcr,3,10\n";
        let (status, report) = leader.upload("/api/v1/imports/kpi?dry_run=true", own).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["committed"], false);
        let figures = leader.get_json(&format!("/api/v1/employees/{}/actuals/2026-03", app.fixture.agent), 200).await;
        assert!(figures.as_array().unwrap().is_empty(), "a dry run writes nothing");

        let (status, report) = leader.upload("/api/v1/imports/kpi", own).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["committed"], true);
        let figures = leader.get_json(&format!("/api/v1/employees/{}/actuals/2026-03", app.fixture.agent), 200).await;
        assert_eq!(figures[0]["numerator"], 10.0);
        assert_eq!(figures[0]["denominator"], 20.0);
        assert_eq!(figures[0]["source"], "import");

        // A row about another team's agent (E2) refuses the whole file, naming the row.
        let mixed = "employee,date,metric,numerator,denominator\nE1,2026-04-01,fcr,1,10\nE2,2026-04-01,fcr,9,10\n";
        let (status, report) = leader.upload("/api/v1/imports/kpi", mixed).await;
        assert_eq!(status, 422, "{report}");
        assert_eq!(report["committed"], false);
        let problem = &report["problems"][0];
        assert_eq!(problem["row"], 3, "{report}");
        assert_eq!(problem["value"], "E2");
        let april = leader.get_json(&format!("/api/v1/employees/{}/actuals/2026-04", app.fixture.agent), 200).await;
        assert!(april.as_array().unwrap().is_empty(), "nothing of the refused file was written");

        // A manager may import rows about the accounts they manage (E1 and E2 are in Telco voice),
        // and not about another account's people (E3).
        let manager = app.sign_in(Persona::Manager).await;
        let (status, report) = manager.upload("/api/v1/imports/kpi?dry_run=true", mixed).await;
        assert_eq!(status, 200, "{report}");
        let far = "employee,date,metric,numerator,denominator\nE1,2026-04-02,fcr,1,10\nE3,2026-04-02,fcr,9,10\n";
        let (status, report) = manager.upload("/api/v1/imports/kpi", far).await;
        assert_eq!(status, 422, "{report}");
        assert_eq!(
            (report["problems"][0]["row"].as_u64(), report["problems"][0]["value"].as_str()),
            (Some(3), Some("E3"))
        );

        // HR may import anyone's rows; agents may not import at all.
        let (status, _) = app.sign_in(Persona::Hr).await.upload("/api/v1/imports/kpi", mixed).await;
        assert_eq!(status, 200);
        let (status, _) = app.sign_in(Persona::Agent).await.upload("/api/v1/imports/kpi", own).await;
        assert_eq!(status, 403);
        let (status, body) = leader.upload("/api/v1/imports/kpi?mapping=nope", own).await;
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some("mapping")));
    })
    .await;
}

#[tokio::test]
async fn a_leader_cannot_move_people_in_or_out_of_their_teams_by_a_people_import() {
    let header = "code,name,email,site,country,timezone,account,client,line_of_business,team,role,role_since,hire_date,team_leader\n";
    let row = |code: &str, name: &str, team: &str| {
        format!("{code},{name},,Manila,PH,Asia/Manila,Telco voice,Telco,voice,{team},customer-service-executive,2024-01-01,2023-06-01,\n")
    };
    each_app(async |app| {
        let [t1, t2, _] = app.fixture.teams;
        let team_of = |code: &'static str| {
            let db = app.db.clone();
            async move { ladder_store::org::employee_by_code(&db, code).await.unwrap().team_id }
        };
        let leader = app.sign_in(Persona::Leader).await;

        // Their own agent, staying in their team: allowed (a new name, so the row changes something).
        let (status, report) =
            leader.upload("/api/v1/imports/people", &format!("{header}{}", row("E1", "Ana A. Agent", "T1"))).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["committed"], true, "{report}");

        // Out of their reach: their agent into another leader's team, that team's agent into
        // theirs, their agent into a team that does not exist yet, or into no team. Each file is
        // refused whole, naming its row, and nobody moves.
        let blank_team = "E1,Ana Agent,,,,,,,,,customer-service-executive,2024-01-01,2023-06-01,\n".to_string();
        for (file, code) in [
            (row("E1", "Ana Agent", "T2"), "E1"),
            (row("E2", "Ben Other", "T1"), "E2"),
            (row("E1", "Ana Agent", "T9"), "E1"),
            (blank_team, "E1"),
            (row("N1", "Nina New", "T2"), "N1"),
            (row("N1", "Nina New", "T9"), "N1"),
            ("N1,Nina New,,,,,,,,,customer-service-executive,2024-01-01,2023-06-01,\n".to_string(), "N1"),
        ] {
            let (status, report) = leader.upload("/api/v1/imports/people", &format!("{header}{file}")).await;
            assert_eq!(status, 422, "{file}: {report}");
            assert_eq!(report["committed"], false, "{report}");
            let problem = &report["problems"][0];
            assert_eq!((problem["row"].as_u64(), problem["value"].as_str()), (Some(2), Some(code)), "{report}");
            assert!(problem["message"].as_str().unwrap().contains("not allowed"), "{report}");
        }
        // A site is every team's in it: its timezone is HR's to change, even from one's own row.
        let moved_site = format!("{header}E1,Ana Agent,,Manila,PH,Asia/Singapore,Telco voice,Telco,voice,T1,customer-service-executive,2024-01-01,2023-06-01,\n");
        let (status, report) = leader.upload("/api/v1/imports/people", &moved_site).await;
        assert_eq!(status, 422, "{report}");
        let problem = &report["problems"][0];
        assert_eq!((problem["row"].as_u64(), problem["column"].as_str()), (Some(2), Some("timezone")), "{report}");
        assert_eq!(problem["value"], "Asia/Singapore");
        assert_eq!((team_of("E1").await, team_of("E2").await), (Some(t1), Some(t2)));
        assert!(ladder_store::org::employee_by_code(&app.db, "N1").await.is_err(), "no one was added");

        // A newcomer to their own team is theirs to add; HR may move anyone.
        let (status, report) =
            leader.upload("/api/v1/imports/people", &format!("{header}{}", row("N2", "Noel New", "T1"))).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(team_of("N2").await, Some(t1));
        let hr = app.sign_in(Persona::Hr).await;
        let (status, report) =
            hr.upload("/api/v1/imports/people", &format!("{header}{}", row("E1", "Ana Agent", "T2"))).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(team_of("E1").await, Some(t2));
    })
    .await;
}

/// A `multipart/form-data` body of text fields and files ((name, file name, content)).
fn multipart(fields: &[(&str, Option<&str>, &str)]) -> (String, String) {
    let boundary = "ladder-test-boundary-7d1f";
    let mut body = String::new();
    for (name, file, content) in fields {
        body += &format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"");
        if let Some(file) = file {
            body += &format!("; filename=\"{file}\"\r\nContent-Type: application/octet-stream");
        }
        body += &format!("\r\n\r\n{content}\r\n");
    }
    body += &format!("--{boundary}--\r\n");
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_form(
    session: &common::Session,
    path: &str,
    fields: &[(&str, Option<&str>, &str)],
) -> (u16, serde_json::Value) {
    let (content_type, body) = multipart(fields);
    let mut req =
        session.client.post(format!("{}{}", session.base, path)).header("content-type", content_type).body(body);
    if let Some(t) = &session.csrf {
        req = req.header("x-csrf-token", t);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(serde_json::Value::Null))
}

/// The user's own mapping: an export with its own column names and day-first dates.
const MAPPING: &str = r#"name = "our-export"
format = "wide"
grain = "day"
employee = "Agent"
date = "Day"
date_formats = ["%d/%m/%Y"]
[[metric]]
id = "fcr"
numerator = "Resolved"
denominator = "Calls"
"#;

#[tokio::test]
async fn the_api_takes_the_users_own_mapping_and_skips_bad_rows_when_asked() {
    each_app(async |app| {
        let hr = app.sign_in(Persona::Hr).await;
        let file = "Agent,Day,Calls,Resolved\nE1,02/03/2026,10,7\nghost,02/03/2026,10,7\nE2,02/03/2026,ten,7\n";
        let fields = |extra: &'static str| {
            vec![
                ("mapping_file", Some("ours.toml"), MAPPING),
                ("file", Some("ours.csv"), file),
                ("skip_bad_rows", None, extra),
            ]
        };
        // All or nothing by default: two bad rows, summarised by kind.
        let (status, report) = post_form(&hr, "/api/v1/imports/kpi", &fields("false")).await;
        assert_eq!(status, 422, "{report}");
        assert_eq!((report["committed"].as_bool(), report["problem_count"].as_u64()), (Some(false), Some(2)));
        let kinds: Vec<&str> =
            report["problem_summary"].as_array().unwrap().iter().map(|g| g["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, vec!["unknown employee code", "not a number"], "{report}");
        assert_eq!(report["months"], serde_json::json!(["2026-03"]), "read day-first: {report}");

        // Skipping bad rows: the good one is written, the bad ones come back as they were.
        let (status, report) = post_form(&hr, "/api/v1/imports/kpi", &fields("true")).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!((report["committed"].as_bool(), report["rows_rejected"].as_u64()), (Some(true), Some(2)));
        let rejects = report["rejects_csv"].as_str().unwrap();
        let lines: Vec<&str> = rejects.lines().collect();
        assert_eq!(lines[0], "Agent,Day,Calls,Resolved,reason");
        assert!(
            lines[1].starts_with("ghost,02/03/2026,10,7,") && lines[2].starts_with("E2,02/03/2026,ten,7,"),
            "{rejects}"
        );
        let figures = hr.get_json(&format!("/api/v1/employees/{}/actuals/2026-03", app.fixture.agent), 200).await;
        assert_eq!((figures[0]["numerator"].as_f64(), figures[0]["denominator"].as_f64()), (Some(7.0), Some(10.0)));

        // Limits and mistakes are named by field.
        let huge = "#".repeat(65 * 1024);
        let (status, body) = post_form(
            &hr,
            "/api/v1/imports/kpi",
            &[("mapping_file", Some("big.toml"), &huge), ("file", Some("f.csv"), file)],
        )
        .await;
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some("mapping_file")), "{body}");
        let (status, body) = post_form(&hr, "/api/v1/imports/kpi", &[("mapping_file", Some("m.toml"), MAPPING)]).await;
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some("file")), "{body}");
        let (status, body) =
            post_form(&hr, "/api/v1/imports/kpi", &[("file", Some("f.csv"), file), ("colour", None, "red")]).await;
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some("colour")), "{body}");
        let agent = app.sign_in(Persona::Agent).await;
        let (status, _) = post_form(&agent, "/api/v1/imports/kpi", &fields("true")).await;
        assert_eq!(status, 403);
    })
    .await;
}

#[tokio::test]
async fn days_over_a_typed_month_are_refused_over_the_api_until_replace_months() {
    use ladder_store::kra::{put_manual, ManualFigure};
    each_app(async |app| {
        let hr = app.sign_in(Persona::Hr).await;
        let month = chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        let typed = ManualFigure { metric: "fcr".into(), numerator: 70.0, denominator: 100.0 };
        put_manual(&app.db, app.fixture.agent, month, &[typed], None).await.unwrap();
        let one_day = "employee,date,metric,numerator,denominator\nE1,2026-02-10,fcr,9,10\n";
        let (status, report) = hr.upload("/api/v1/imports/kpi?dry_run=true", one_day).await;
        assert_eq!(status, 422, "{report}");
        let r = &report["replacements"][0];
        assert_eq!(
            (r["employee"].as_str(), r["month"].as_str(), r["metric"].as_str()),
            (Some("E1"), Some("2026-02"), Some("fcr"))
        );
        assert_eq!((r["before_denominator"].as_f64(), r["after_denominator"].as_f64()), (Some(100.0), Some(10.0)));
        // In the metric's unit with its volume, as the page shows them.
        assert_eq!(
            (r["before"].as_str(), r["after"].as_str()),
            (Some("70.0 % (100 contacts)"), Some("90.0 % (10 contacts)"))
        );
        let (status, _) = hr.upload("/api/v1/imports/kpi", one_day).await;
        assert_eq!(status, 422);
        let figures = hr.get_json(&format!("/api/v1/employees/{}/actuals/2026-02", app.fixture.agent), 200).await;
        assert_eq!(figures[0]["denominator"].as_f64(), Some(100.0), "the typed month stays");
        let (status, report) = hr.upload("/api/v1/imports/kpi?replace_months=true", one_day).await;
        assert_eq!((status, report["committed"].as_bool()), (200, Some(true)), "{report}");
    })
    .await;
}

#[tokio::test]
async fn per_call_reports_and_interval_choices_go_through_the_api() {
    each_app(async |app| {
        let hr = app.sign_in(Persona::Hr).await;
        // A Talkdesk calls report (a few of its columns): E1's two calls of 2 March add up, the
        // abandoned call is skipped and counted, not a problem.
        let calls = "call_id,type,start_at,end_at,user_id,talk_time,hold_time,is_transfer,csat_score\n\
                     c1,inbound,2026-03-02T08:00:00Z,2026-03-02T08:05:00Z,E1,240,30,false,5\n\
                     c2,abandoned,2026-03-02T08:01:00Z,2026-03-02T08:01:40Z,null,0,0,false,null\n\
                     c3,inbound,2026-03-02T09:00:00Z,2026-03-02T09:04:00Z,E1,200,null,true,null\n";
        let (status, report) = hr.upload("/api/v1/imports/kpi?mapping=talkdesk", calls).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(
            report["skipped"],
            serde_json::json!([["not answered by an agent (abandoned, missed, voicemail)", 1]])
        );
        let figures = hr.get_json(&format!("/api/v1/employees/{}/actuals/2026-03", app.fixture.agent), 200).await;
        let aht = figures.as_array().unwrap().iter().find(|f| f["metric"] == "aht").expect("aht").clone();
        assert_eq!((aht["numerator"].as_f64(), aht["denominator"].as_f64()), (Some(470.0), Some(2.0)));

        // A Genesys row for 16 February to 16 March: refused, then counted for one month or spread.
        let range = "Interval Start,Interval End,Agent Id,Answered,Avg Handle,Transferred\n\
                     2/16/26 00:00,3/16/26 00:00,E2,28, 00:05:00.000,1\n";
        let (status, report) = hr.upload("/api/v1/imports/kpi?mapping=genesys-cloud&dry_run=true", range).await;
        assert_eq!(status, 422, "{report}");
        assert!(report["problems"][0]["message"].as_str().unwrap().contains("--split-intervals"), "{report}");
        let (status, report) =
            hr.upload("/api/v1/imports/kpi?mapping=genesys-cloud&dry_run=true&period=2026-02", range).await;
        assert_eq!(status, 200, "{report}");
        let (status, report) = hr.upload("/api/v1/imports/kpi?mapping=genesys-cloud&split_intervals=true", range).await;
        assert_eq!(status, 200, "{report}");
        let feb = hr.get_json(&format!("/api/v1/employees/{}/actuals/2026-02", app.fixture.other_agent), 200).await;
        let aht = feb.as_array().unwrap().iter().find(|f| f["metric"] == "aht").expect("February's share").clone();
        // 13 of 28 days in February: 13 answered calls' worth, the average unchanged.
        let (n, d) = (aht["numerator"].as_f64().unwrap(), aht["denominator"].as_f64().unwrap());
        assert!((d - 13.0).abs() < 1e-9 && (n / d - 300.0).abs() < 1e-9, "{n}/{d}");

        // The date of a file with no date column is checked, and named as the field.
        let (status, body) = hr.upload("/api/v1/imports/kpi?date=2026-13-01", calls).await;
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some("date")), "{body}");
        let (status, body) = hr.upload("/api/v1/imports/kpi?period=March", calls).await;
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some("period")), "{body}");
    })
    .await;
}

#[tokio::test]
async fn a_people_mapping_is_used_and_long_file_names_are_refused() {
    each_app(async |app| {
        let hr = app.sign_in(Persona::Hr).await;
        let mapping = "name = \"hris\"\n[columns]\ncode = \"EmployeeNumber\"\n";
        let file = "EmployeeNumber,name,email,site,country,timezone,account,client,line_of_business,team,role,role_since,hire_date,team_leader\nE1,Ana Agent,,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,customer-service-executive,2024-01-01,2023-06-01,\n";
        let fields = [("mapping_file", Some("hris.toml"), mapping), ("file", Some("people.csv"), file), ("dry_run", None, "true")];
        let (status, report) = post_form(&hr, "/api/v1/imports/people", &fields).await;
        assert_eq!((status, report["mapping"].as_str()), (200, Some("hris")), "{report}");

        let long = format!("{}.csv", "m".repeat(300));
        let (status, body) = post_form(&hr, "/api/v1/imports/kpi", &[("file", Some(long.as_str()), "x\n")]).await;
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some("file")), "{body}");
    })
    .await;
}

#[tokio::test]
async fn a_leader_cannot_set_platform_identifiers_by_a_people_import() {
    let file = "code,name,email,site,country,timezone,account,client,line_of_business,team,role,role_since,hire_date,team_leader,genesys_id\nE1,Ana Agent,,Manila,PH,Asia/Manila,Telco voice,Telco,voice,T1,customer-service-executive,2024-01-01,2023-06-01,,5e1c2a34-93b1-4a7e-b0c1-7d2f1e0a9b11\n";
    each_app(async |app| {
        let leader = app.sign_in(Persona::Leader).await;
        let (status, report) = leader.upload("/api/v1/imports/people?dry_run=true", file).await;
        assert_eq!(status, 422, "{report}");
        let message = report["problems"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("platform identifiers are HR's to change"), "{report}");
        let hr = app.sign_in(Persona::Hr).await;
        let (status, report) = hr.upload("/api/v1/imports/people?dry_run=true", file).await;
        assert_eq!(status, 200, "{report}");
    })
    .await;
}

#[tokio::test]
async fn a_people_file_with_skip_bad_rows_writes_the_good_people_and_returns_the_bad_rows() {
    each_app(async |app| {
        let hr = app.sign_in(Persona::Hr).await;
        let file = "code,name,role,hire_date\nN9,Nia New,customer-service-executive,2024-01-01\nN8,Bo Bad,astronaut,2024-01-01\n";
        let (status, report) = hr.upload("/api/v1/imports/people", file).await;
        assert_eq!((status, report["committed"].as_bool()), (422, Some(false)), "all or nothing: {report}");
        let (status, report) = hr.upload("/api/v1/imports/people?skip_bad_rows=true", file).await;
        assert_eq!((status, report["committed"].as_bool()), (200, Some(true)), "{report}");
        assert_eq!(report["rows_rejected"].as_u64(), Some(1), "{report}");
        let rejects = report["rejects_csv"].as_str().unwrap_or_default();
        assert!(rejects.starts_with("code,name,role,hire_date,reason") && rejects.contains("N8,Bo Bad,astronaut"), "{rejects}");
        assert!(rejects.contains("unknown role"), "{rejects}");
        assert!(ladder_store::org::employee_by_code(&app.db, "N9").await.is_ok(), "{:?}", app.backend);
        assert!(ladder_store::org::employee_by_code(&app.db, "N8").await.is_err());
    })
    .await;
}
