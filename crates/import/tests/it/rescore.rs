//! Scoring every employee-month from the stored actuals agrees with the core's scorer, and uses
//! an employee's own KRA plan where there is one.

use crate::common;

use common::*;
use ladder_core::metric::Sums;
use ladder_core::scoring::{KraPlan, MetricIndex, Scorer};
use ladder_core::Framework;
use ladder_store::on_db;

#[tokio::test]
async fn every_month_is_scored_with_the_plan_in_force() {
    let fw = Framework::default_framework();
    let file = "employee,date,metric,numerator,denominator
E1001,2025-03-03,aht,5400,10
E1001,2025-03-04,aht,7000,10
E1001,2025-03-03,fcr,7,10
E1001,2025-04-01,csat,9,10
E1002,2025-03-03,aht,6000,12
";
    each_backend(async |t| {
        seed_people(&t.db).await;
        let r = import_kpi(&t.db, "ladder-long", csv("a.csv", file), &options()).await;
        assert!(r.committed, "{r}");
        // E1002 has their own plan from March: AHT only, with a tighter target.
        let e1002 = ladder_store::org::employee_by_code(&t.db, "E1002").await.unwrap();
        on_db!(&t.db, p => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO kra_plans (employee_id, year, effective_from, name, role_id, updated_at)
                 VALUES ($1, 2025, $2, 'AHT focus', 'customer-service-executive', $3) RETURNING id")
                .bind(e1002.id).bind(day(2025, 3, 1)).bind(chrono::Utc::now()).fetch_one(p).await.unwrap();
            sqlx::query("INSERT INTO kra_plan_lines (plan_id, position, metric, weight, threshold, target, stretch)
                 VALUES ($1, 0, 'aht', 100, 600, 500, 400)").bind(id).execute(p).await.unwrap();
        });
        let mut seen = Vec::new();
        let summary = ladder_import::rescore::score_all(&t.db, &fw, |s| {
            seen.push((s.code.to_string(), s.month.to_string(), s.plan.to_string(), s.card.total))
        })
        .await
        .unwrap();
        assert_eq!((summary.employees, summary.months, summary.scored), (2, 3, 3));

        let index = MetricIndex::new(&fw);
        let role = KraPlan::for_role(&fw, "customer-service-executive").unwrap();
        let scorer = Scorer::new(&fw.scoring, &role, &index);
        let mut march = index.empty_actuals();
        march.add(index.position("aht").unwrap(), Sums::new(12_400.0, 20.0));
        march.add(index.position("fcr").unwrap(), Sums::new(7.0, 10.0));
        let expected = scorer.score(&march, None).total;
        assert_eq!(seen[0], ("E1001".into(), "2025-03".into(), "customer-service-executive/default".into(), expected));
        assert_eq!(seen[1].1, "2025-04");
        // 500 s AHT is exactly the own plan's target: 100.
        assert_eq!(seen[2].0, "E1002");
        assert!(seen[2].2.starts_with("plan-"), "{:?}", seen[2]);
        assert_eq!(seen[2].3, Some(100.0));
    })
    .await;
}
