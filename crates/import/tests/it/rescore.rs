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
E1001,2025-03-03,aht,16200,30
E1001,2025-03-04,aht,21000,30
E1001,2025-03-03,fcr,21,30
E1001,2025-03-05,csat,8,10
E1001,2025-04-01,csat,9,10
E1002,2025-03-03,aht,15000,30
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
        // April holds only CSAT (25 % of the template's weight): not enough data to score.
        assert_eq!((summary.employees, summary.months, summary.scored, summary.not_enough_data), (2, 3, 2, 1));

        let index = MetricIndex::new(&fw);
        let role = KraPlan::for_role(&fw, "customer-service-executive").unwrap();
        let scorer = Scorer::new(&fw.scoring, &role, &index);
        let mut march = index.empty_actuals();
        march.add(index.position("aht").unwrap(), Sums::new(37_200.0, 60.0));
        march.add(index.position("fcr").unwrap(), Sums::new(21.0, 30.0));
        march.add(index.position("csat").unwrap(), Sums::new(8.0, 10.0));
        let expected = scorer.score(&march, None).total;
        assert_eq!(seen[0], ("E1001".into(), "2025-03".into(), "customer-service-executive/default".into(), expected));
        // AHT 15 + FCR 20 + CSAT 25: exactly 60 % of the template's weight, so scored.
        assert!(expected.is_some());
        assert_eq!((seen[1].1.as_str(), seen[1].3), ("2025-04", None));
        // 500 s AHT is exactly the own plan's target: 100.
        assert_eq!(seen[2].0, "E1002");
        assert!(seen[2].2.starts_with("plan-"), "{:?}", seen[2]);
        assert_eq!(seen[2].3, Some(100.0));
    })
    .await;
}
