//! An overlay stored with `ladder framework apply` while the server runs is taken up without a
//! restart: the explorer shows its role, and the stored scores move to its version (issue 24,
//! point 7). On both databases.

use std::time::Duration;

use ladder_core::Framework;
use ladder_server::state::Config;
use ladder_store::on_db;

use crate::common::*;

/// A role the built-in framework lacks: the roles' KRA templates change, and with them the
/// version stored scores are kept under.
const OVERLAY: &str = r#"[[role]]
id = "floor-walker"
name = "Floor Walker"
family = "management"
level = 3
summary = "Walks the floor and helps agents with difficult contacts."
education = "not-required"
kras = [{ metric = "csat", weight = 100 }]
"#;

async fn versions(db: &ladder_store::Db) -> Vec<String> {
    on_db!(db, p => sqlx::query_scalar("SELECT DISTINCT version FROM employee_scores ORDER BY 1").fetch_all(p).await.unwrap())
}

#[tokio::test]
async fn an_overlay_applied_while_the_server_runs_takes_effect_without_a_restart() {
    let config = Config { framework_check: Duration::ZERO, ..Config::default() };
    each_app_with(config, async |app| {
        let visitor = app.sign_in(Persona::Anonymous).await;
        visitor.get_json("/api/v1/explore/roles/floor-walker", 404).await;
        let before = ladder_store::scores::framework_version(&Framework::default_framework());
        // A typed figure queues the agent's month; the worker stores its score under the
        // built-in framework's version.
        let month = chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        let typed = ladder_store::kra::ManualFigure { metric: "fcr".into(), numerator: 70.0, denominator: 100.0 };
        ladder_store::kra::put_manual(&app.db, app.fixture.agent, month, &[typed], None).await.unwrap();
        let mut seen = versions(&app.db).await;
        for _ in 0..200 {
            if !seen.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            seen = versions(&app.db).await;
        }
        assert_eq!(seen, vec![before.clone()], "{:?}", app.backend);

        ladder_store::overlays::apply(&app.db, OVERLAY, "ops.admin").await.unwrap();
        let role = visitor.get_json("/api/v1/explore/roles/floor-walker", 200).await;
        assert_eq!(role["role"]["name"], "Floor Walker", "{:?}: {role}", app.backend);

        // The stored scores are computed again under the new version, in the background.
        let after = ladder_store::scores::framework_version(&Framework::default_with_overlay(OVERLAY).unwrap());
        assert_ne!(before, after);
        for _ in 0..200 {
            if seen.iter().all(|v| *v == after) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            // Requests keep coming, as they would.
            visitor.get_json("/api/v1/explore/roles/floor-walker", 200).await;
            seen = versions(&app.db).await;
        }
        assert!(seen.iter().all(|v| *v == after), "{:?}: {seen:?}", app.backend);
    })
    .await;
}
