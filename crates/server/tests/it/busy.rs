//! Writes while other writes run (issue 27): on SQLite a person's hand entry during imports
//! once failed with 500 "database is locked"; now every write waits its turn.

use crate::common;

use common::{each_app, Persona};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hand_entries_during_imports_wait_their_turn() {
    each_app(async |app| {
        let backend = app.backend;
        let hr = app.sign_in(Persona::Hr).await;
        let agent = app.sign_in(Persona::Agent).await;
        let mut file = String::from("employee,date,metric,numerator,denominator\n");
        for day in 0..360 {
            let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Duration::days(day);
            for code in ["E1", "E2", "E3"] {
                file.push_str(&format!("{code},{date},fcr,{},10\n", day % 10));
            }
        }
        let imports = tokio::spawn(async move {
            let mut statuses = vec![];
            for _ in 0..6 {
                statuses.push(hr.upload("/api/v1/imports/kpi", &file).await.0);
            }
            statuses
        });
        let e = app.fixture.agent;
        let mut entries = vec![];
        for i in 0..40u32 {
            let month = format!("2026-{:02}", i % 12 + 1);
            let figures = json!([ { "metric": "csat", "numerator": 40 + i % 10, "denominator": 50 } ]);
            entries.push(agent.put(&format!("/api/v1/employees/{e}/actuals/{month}"), figures).await.status().as_u16());
        }
        let imports = imports.await.unwrap();
        assert!(imports.iter().all(|&s| s == 200), "{backend:?}: imports {imports:?}");
        assert!(entries.iter().all(|&s| s == 204), "{backend:?}: hand entries {entries:?}");
    })
    .await;
}
