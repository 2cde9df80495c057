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
