//! The career plan as a PDF: the same view as the plan page (`service::career::career_plan`, so
//! the same access check), with the route as a timeline and the readiness as bars.

use chrono::{NaiveDate, Utc};
use ladder_core::planner::Route;
use ladder_store::org::Employee;

use super::{Bar, Doc, Span};
use crate::auth::Me;
use crate::error::ApiResult;
use crate::service::career::{self, CareerPlanView};
use crate::state::AppState;

/// The career plan of one person, for whoever may see them (as the page and the API).
pub async fn plan(state: &AppState, me: &Me, employee: &Employee) -> ApiResult<(String, Vec<u8>)> {
    let view = career::career_plan(state, me, employee).await?;
    Ok((super::file_name("career-plan", &employee.name), render(state, &employee.name, &view)))
}

fn months_after(from: NaiveDate, to: NaiveDate) -> f32 {
    ((to - from).num_days().max(0) as f32) / 30.44
}

fn route_line(state: &AppState, r: &Route) -> String {
    let roles: Vec<String> = r.roles.iter().map(|id| career::role_name(state, id)).collect();
    format!("{} ({}–{} months)", roles.join(" → "), r.months_min, r.months_max)
}

fn render(state: &AppState, name: &str, v: &CareerPlanView) -> Vec<u8> {
    let mut doc = Doc::new(&format!("Career plan: {name}"));
    doc.title(&format!("Career plan: {name}"));
    let today = Utc::now().date_naive();
    doc.paragraph(&format!("Now: {}, {} months in role. Printed {today}.", v.current_role_name, v.months_in_role));
    match (&v.target_role, v.horizon_years) {
        (Some(target), Some(years)) => doc.paragraph(&format!(
            "Target: {} within {years} year{}.",
            career::role_name(state, target),
            if years == 1 { "" } else { "s" }
        )),
        _ => doc.paragraph("No target role chosen yet (choose one on the plan page)."),
    }
    if let Some(problem) = &v.plan_problem {
        doc.paragraph(problem);
    }
    if let Some(plan) = &v.plan {
        doc.heading("The path");
        doc.paragraph(&route_line(state, &plan.fastest));
        let spans: Vec<Span> = plan
            .fastest
            .milestones
            .iter()
            .map(|m| Span {
                label: m.role_name.clone(),
                earliest: months_after(today, m.earliest),
                latest: months_after(today, m.latest),
                expected: months_after(today, m.expected),
                note: format!(
                    "around {} ({} – {})",
                    m.expected.format("%b %Y"),
                    m.earliest.format("%b %Y"),
                    m.latest.format("%b %Y")
                ),
            })
            .collect();
        doc.span_chart("Milestones: earliest to latest, the mark at the expected month", &spans);
        for m in &plan.fastest.milestones {
            doc.bullet(&format!("{} — around {}", m.role_name, m.expected.format("%b %Y")));
        }
    }
    if let Some(r) = &v.readiness {
        doc.heading(&format!("Ready for {}? {:.0} %", r.target_name, r.percent));
        doc.paragraph(&r.forecast.message);
        let bars: Vec<Bar> = r
            .items
            .iter()
            .map(|i| Bar {
                label: i.name.clone(),
                progress: i.progress,
                note: if i.met { "met".to_string() } else { i.gap.clone() },
            })
            .collect();
        doc.bar_chart("Each requirement: how far along", &bars);
        for i in r.items.iter().filter(|i| !i.met && !i.closes_with.is_empty()) {
            doc.bullet(&format!("{}: closes with {}", i.name, i.closes_with.join("; ")));
        }
    }
    if let Some(plan) = v.plan.as_ref().filter(|p| !p.alternatives.is_empty()) {
        doc.heading("Alternatives");
        for a in &plan.alternatives {
            doc.bullet(&route_line(state, a));
        }
    }
    doc.finish()
}
