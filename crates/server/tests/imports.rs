//! Imports over the API, as each kind of user: all or nothing, and only for one's own people.

mod common;

use common::{backends, Persona, TestApp};

#[tokio::test]
async fn a_leader_imports_their_team_only_and_a_bad_file_writes_nothing() {
    for backend in backends().await {
        let app = TestApp::spawn(backend).await;
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

        // HR may import anyone's rows; agents may not import at all.
        let (status, _) = app.sign_in(Persona::Hr).await.upload("/api/v1/imports/kpi", mixed).await;
        assert_eq!(status, 200);
        let (status, _) = app.sign_in(Persona::Agent).await.upload("/api/v1/imports/kpi", own).await;
        assert_eq!(status, 403);
        let (status, body) = leader.upload("/api/v1/imports/kpi?mapping=nope", own).await;
        assert_eq!((status, body["error"]["field"].as_str()), (422, Some("mapping")));
        app.stop().await;
    }
}
