//! Scores every employee-month that has actuals: the employee's KRA plan (`kra_plans`, the one
//! in force in that month), else their role's template, applied with the core's [`Scorer`].
//!
//! The actuals are streamed in (employee, month) order, so memory holds one employee-month at a
//! time plus the plans, whatever the number of months.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use ladder_core::framework::KraTemplate;
use ladder_core::metric::Sums;
use ladder_core::period::Month;
use ladder_core::scoring::{Actuals, KraPlan, MetricIndex, Scorecard, Scorer};
use ladder_core::Framework;
use ladder_store::{on_db, Db};
use serde::Serialize;

/// One scored month.
#[derive(Debug)]
pub struct Scored<'a> {
    pub employee_id: i64,
    pub code: &'a str,
    pub month: Month,
    pub plan: &'a str,
    pub card: &'a Scorecard,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub employees: u64,
    pub months: u64,
    /// Months with a total score (at least one KRA had data).
    pub scored: u64,
    /// Months that could not be scored: no plan for the employee's role, or a bad stored plan.
    pub unscored: u64,
    pub mean_total: Option<f64>,
    /// Rating → months.
    pub ratings: BTreeMap<u8, u64>,
    pub problems: Vec<String>,
}

/// A stored plan: in force from a date.
struct StoredPlan {
    from: NaiveDate,
    plan: KraPlan,
}

/// Scores every employee-month with actuals, calling `each` for every scorecard.
pub async fn score_all(db: &Db, fw: &Framework, mut each: impl FnMut(&Scored<'_>)) -> crate::Result<Summary> {
    let index = MetricIndex::new(fw);
    let employees: Vec<(i64, String, String)> =
        on_db!(db, p => sqlx::query_as("SELECT id, code, role_id FROM employees").fetch_all(p).await?);
    let employees: HashMap<i64, (String, String)> =
        employees.into_iter().map(|(id, code, role)| (id, (code, role))).collect();
    let mut summary = Summary::default();

    // Role templates, resolved once.
    let mut role_plans: HashMap<String, KraPlan> = HashMap::new();
    for (_, role) in employees.values() {
        if !role_plans.contains_key(role) {
            if let Ok(plan) = KraPlan::for_role(fw, role) {
                role_plans.insert(role.clone(), plan);
            }
        }
    }
    // Stored plans, by employee, oldest first.
    type PlanLine = (i64, i64, NaiveDate, String, String, f64, f64, f64, f64);
    let lines: Vec<PlanLine> = on_db!(db, p => sqlx::query_as(
        "SELECT p.id, p.employee_id, p.effective_from, p.role_id, l.metric, l.weight, l.threshold, l.target, l.stretch
         FROM kra_plans p JOIN kra_plan_lines l ON l.plan_id = p.id
         ORDER BY p.employee_id, p.effective_from, p.id, l.position").fetch_all(p).await?);
    let mut stored: HashMap<i64, Vec<StoredPlan>> = HashMap::new();
    let mut i = 0;
    while i < lines.len() {
        let (plan_id, employee, from, role) = (lines[i].0, lines[i].1, lines[i].2, lines[i].3.clone());
        let mut template = Vec::new();
        while i < lines.len() && lines[i].0 == plan_id {
            let l = &lines[i];
            template.push(KraTemplate {
                metric: l.4.clone(),
                weight: l.5,
                threshold: Some(l.6),
                target: Some(l.7),
                stretch: Some(l.8),
            });
            i += 1;
        }
        match KraPlan::from_template(fw, &format!("plan-{plan_id}"), &role, &template) {
            Ok(plan) => stored.entry(employee).or_default().push(StoredPlan { from, plan }),
            Err(e) => summary.problems.push(format!("KRA plan {plan_id} of employee {employee}: {e}")),
        }
    }
    let role_scorers: HashMap<&str, Scorer<'_>> =
        role_plans.iter().map(|(role, plan)| (role.as_str(), Scorer::new(&fw.scoring, plan, &index))).collect();

    let mut total_sum = 0.0;
    let mut current: Option<(i64, NaiveDate)> = None;
    let mut actuals = index.empty_actuals();
    let mut last_employee = None;
    let mut finish = |key: (i64, NaiveDate), actuals: &Actuals, summary: &mut Summary| {
        let (employee_id, month_start) = key;
        let month = Month::of(month_start);
        summary.months += 1;
        if last_employee != Some(employee_id) {
            summary.employees += 1;
            last_employee = Some(employee_id);
        }
        let Some((code, role)) = employees.get(&employee_id) else { return };
        let own = stored.get(&employee_id).and_then(|plans| plans.iter().rev().find(|p| p.from <= month.last_day()));
        let (card, plan_id) = match own {
            Some(p) => (Scorer::new(&fw.scoring, &p.plan, &index).score(actuals, None), p.plan.id.clone()),
            None => match role_scorers.get(role.as_str()) {
                Some(s) => (s.score(actuals, None), role_plans[role].id.clone()),
                None => {
                    summary.unscored += 1;
                    return;
                }
            },
        };
        if let Some(t) = card.total {
            summary.scored += 1;
            total_sum += t;
        }
        if let Some(r) = card.rating {
            *summary.ratings.entry(r).or_default() += 1;
        }
        each(&Scored { employee_id, code, month, plan: &plan_id, card: &card });
    };

    let mut take = |employee: i64, month: NaiveDate, metric: &str, numerator: f64, denominator: f64| {
        let key = (employee, month);
        if current != Some(key) {
            if let Some(done) = current {
                finish(done, &actuals, &mut summary);
            }
            current = Some(key);
            actuals = index.empty_actuals();
        }
        if let Some(pos) = index.position(metric) {
            actuals.add(pos, Sums::new(numerator, denominator));
        }
    };
    let sql = "SELECT employee_id, month, metric, numerator, denominator FROM kra_actuals ORDER BY employee_id, month";
    match db.readers() {
        Some(readers) => readers.each(sql, &[], |row| {
            take(row.get(0)?, ladder_store::read::date(row, 1)?, row.get_ref(2)?.as_str()?, row.get(3)?, row.get(4)?);
            Ok(())
        })?,
        None => on_db!(db, p => {
            let mut rows = sqlx::query_as::<_, (i64, NaiveDate, String, f64, f64)>(sql).fetch(p);
            while let Some((employee, month, metric, numerator, denominator)) = rows.try_next().await? {
                take(employee, month, &metric, numerator, denominator);
            }
        }),
    }
    if let Some(done) = current {
        finish(done, &actuals, &mut summary);
    }
    summary.mean_total = (summary.scored > 0).then(|| total_sum / summary.scored as f64);
    Ok(summary)
}
