//! The demo's own goals (issue 26): three people with a career plan (the demo agent first) get
//! goals under their route's milestones — one done, one due soon, one overdue — written after
//! the generated organisation through the store (outside the pinned demo digest).

use chrono::{Duration, NaiveDate, Utc};
use ladder_core::framework::Framework;
use ladder_core::planner::{self, PlanRequest};
use ladder_core::EmployeeId;
use ladder_store::career_goals::{self, GoalFields};
use ladder_store::demo::DemoSummary;
use ladder_store::Db;

/// The most people looked through for career plans (the first ones by id, the demo agent aside).
const LOOK_AT: usize = 500;

/// (title, note, days from today it is due, done days ago).
const GOALS: [(&str, &str, i64, Option<i64>); 3] = [
    ("Shadow a senior colleague on escalations", "Two shifts, then note what they do differently.", -20, Some(3)),
    ("Ask my leader to assess my coaching", "Bring two examples from this month's huddles.", 10, None),
    ("Finish the quality calibration course", "", -5, None),
];

pub async fn write(db: &Db, framework: &Framework, summary: &DemoSummary) -> anyhow::Result<()> {
    let agent =
        summary.sign_ins.iter().find(|s| s.access == ladder_core::access::Access::Agent).and_then(|s| s.employee_id);
    let mut ids: Vec<EmployeeId> = agent.map(EmployeeId).into_iter().collect();
    let mut people = ladder_store::org::bulk::employee_roles(db).await?;
    people.sort();
    ids.extend(people.iter().map(|p| EmployeeId(p.0)).filter(|id| Some(id.0) != agent).take(LOOK_AT));
    let plans = ladder_store::records::career_plans_of(db, &ids).await?;
    let today = Utc::now().date_naive();
    let now = Utc::now();
    let mut written = 0;
    for id in &ids {
        let Some(plan) = plans.iter().find(|p| p.employee_id == *id) else { continue };
        let employee = ladder_store::org::employee(db, *id).await?;
        let Some(first) = first_milestone(framework, &employee, &plan.target_role, plan.horizon_years, today) else {
            continue;
        };
        for (title, note, due_in, done_ago) in GOALS {
            let fields = GoalFields {
                milestone_role: first.clone(),
                title: title.into(),
                note: note.into(),
                due_on: today + Duration::days(due_in),
                done_on: done_ago.map(|d| today - Duration::days(d)),
            };
            career_goals::add(db, *id, &fields, None, ladder_server::service::career_goals::CAPS, now).await?;
        }
        written += 1;
        if written == 3 {
            break;
        }
    }
    println!("  {written} people with goals of their own under their plan's milestones.");
    Ok(())
}

/// The first milestone's role of the person's planned route, if it plans.
fn first_milestone(
    framework: &Framework,
    e: &ladder_store::org::Employee,
    target: &str,
    horizon_years: i32,
    today: NaiveDate,
) -> Option<String> {
    let request = PlanRequest {
        from: e.role_id.clone(),
        to: target.to_string(),
        months_in_role: ladder_server::service::career::months_between(e.role_since, today),
        start: today,
        horizon_months: (horizon_years.clamp(1, 15) * 12) as u32,
        alternatives: 0,
    };
    planner::plan(framework, &request).ok()?.fastest.milestones.first().map(|m| m.role.clone())
}
