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

#[tokio::test]
async fn figures_changed_since_they_were_read_are_not_overwritten_unseen() {
    each_app(async |app| {
        let backend = app.backend;
        let (agent, leader) = (app.sign_in(Persona::Agent).await, app.sign_in(Persona::Leader).await);
        let path = format!("/api/v1/employees/{}/actuals/2026-03", app.fixture.agent);
        let tag_of = |res: &reqwest::Response| res.headers()["etag"].to_str().unwrap().to_string();
        let seen = tag_of(&agent.get(&path).await);
        let fcr = |n: u32| json!([ { "metric": "fcr", "numerator": n, "denominator": 100 } ]);
        assert_eq!(leader.put(&path, fcr(70)).await.status(), 204, "no If-Match: saved as before");

        let stale =
            agent.client.put(format!("{}{}", agent.base, path)).header("x-csrf-token", agent.csrf.clone().unwrap());
        let res = stale.header("if-match", &seen).json(&fcr(55)).send().await.unwrap();
        assert_eq!(res.status(), 412, "{backend:?}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "changed");
        let now = agent.get(&path).await;
        let fresh = tag_of(&now);
        assert_ne!(fresh, seen, "the tag follows the figures");
        // The page's form carries the same tag as the API's ETag (both read the month's figures).
        let page = agent.get("/kras?month=2026-03").await.text().await.unwrap();
        assert!(page.contains(&format!("name=\"_figures\" value=\"{}\"", fresh.trim_matches('"'))), "the form's tag");
        assert_eq!(now.json::<serde_json::Value>().await.unwrap()[0]["numerator"], 70.0, "the leader's figure kept");

        let fresh_put =
            agent.client.put(format!("{}{}", agent.base, path)).header("x-csrf-token", agent.csrf.clone().unwrap());
        let res = fresh_put.header("if-match", &fresh).json(&fcr(55)).send().await.unwrap();
        assert_eq!(res.status(), 204, "{backend:?}: saved on the figures seen");
    })
    .await;
}
