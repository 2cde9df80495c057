//! Platform identities over the API: set by HR and administrators only (audited), unique on
//! their platform, and used by a preset's import, which leaves unknown users out when asked.

use crate::common;

use common::{each_app, Persona};
use serde_json::json;

const GENESYS_ID: &str = "5e1c2a34-93b1-4a7e-b0c1-7d2f1e0a9b11";

fn genesys_export(rows: &[(&str, u32)]) -> String {
    let mut text = String::from(
        "Agent Performance Summary\nInterval Start,Interval End,Media Type,Agent Id,Agent Name,Answered,Avg Handle,Transferred\n",
    );
    for (agent, answered) in rows {
        text.push_str(&format!("3/2/26 12:00 AM,3/3/26 12:00 AM,voice,{agent},Someone,{answered}, 00:05:00.000,1\n"));
    }
    text
}

#[tokio::test]
async fn hr_sets_a_genesys_id_and_the_genesys_preset_finds_the_agent_by_it() {
    each_app(async |app| {
        let (agent, other) = (app.fixture.agent, app.fixture.other_agent);
        let leader = app.sign_in(Persona::Leader).await;
        let hr = app.sign_in(Persona::Hr).await;
        let path = format!("/api/v1/employees/{agent}/identities/genesys");
        // A leader could claim another team's figures by their platform id: not theirs to set.
        let res = leader.put(&path, json!({ "identifier": GENESYS_ID })).await;
        assert_eq!(res.status(), 403);
        let res = hr.put(&path, json!({ "identifier": format!("  {GENESYS_ID} ") })).await;
        assert_eq!(res.status(), 200);
        let sql = "SELECT COUNT(*) FROM audit_log WHERE entity = 'employee_identity'";
        let audited: i64 = ladder_store::on_db!(&app.db, p => sqlx::query_scalar(sql).fetch_one(p).await.unwrap());
        assert_eq!(audited, 1);
        let listed = leader.get_json(&format!("/api/v1/employees/{agent}/identities"), 200).await;
        assert_eq!(
            listed,
            json!({ "items": [{ "platform": "genesys", "label": "Genesys Cloud user id", "identifier": GENESYS_ID }],
                "total": 1, "next": null })
        );

        let clash =
            hr.put(&format!("/api/v1/employees/{other}/identities/genesys"), json!({ "identifier": GENESYS_ID })).await;
        assert_eq!(clash.status(), 409);
        let body: serde_json::Value = clash.json().await.unwrap();
        assert!(body["error"]["message"].as_str().unwrap().ends_with("already belongs to another person"), "{body}");
        assert!(!body["error"]["message"].as_str().unwrap().contains("E1"), "no holder named: {body}");
        let bad = hr.put(&format!("/api/v1/employees/{other}/identities/skype"), json!({ "identifier": "x" })).await;
        assert_eq!(bad.status(), 422);
        let long = "x".repeat(ladder_core::identity::MAX_IDENTIFIER + 1);
        let res = hr.put(&format!("/api/v1/employees/{other}/identities/wfm"), json!({ "identifier": long })).await;
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["field"], "identifier", "{body}");

        // The export names the agent by the Genesys id; a QA template user is no one.
        let file = genesys_export(&[(GENESYS_ID, 20), ("qa-template-user", 2)]);
        let (status, report) = leader.upload("/api/v1/imports/kpi?mapping=genesys-cloud", &file).await;
        assert_eq!(status, 422, "{report}");
        assert_eq!(report["problems"][0]["value"], "qa-template-user");
        let (status, report) =
            leader.upload("/api/v1/imports/kpi?mapping=genesys-cloud&ignore_unknown=true", &file).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(
            report["unknown"],
            json!({ "rows": 1, "distinct": 1, "distinct_exact": true, "values": [["qa-template-user", 1]] })
        );
        let figures = leader.get_json(&format!("/api/v1/employees/{agent}/actuals/2026-03"), 200).await;
        let aht = figures.as_array().unwrap().iter().find(|f| f["metric"] == "aht").expect("AHT imported");
        assert_eq!((aht["numerator"].as_f64(), aht["denominator"].as_f64()), (Some(6000.0), Some(20.0)));

        // The person page says what the platforms call them.
        let html = leader.get(&format!("/people/{agent}")).await.text().await.unwrap();
        assert!(html.contains(&format!("Genesys Cloud user id <code>{GENESYS_ID}</code>")), "{html}");

        // Removed with null.
        let res = hr.put(&path, json!({ "identifier": null })).await;
        assert_eq!(res.status(), 200);
        let listed = leader.get_json(&format!("/api/v1/employees/{agent}/identities"), 200).await;
        assert_eq!(listed, json!({ "items": [], "total": 0, "next": null }));
    })
    .await;
}
