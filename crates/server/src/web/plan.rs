//! My career plan: target and horizon, the route as a dated timeline, the readiness checklist
//! for the next step with what closes each gap, and alternatives.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use ladder_core::planner::Route;
use ladder_core::readiness::Readiness;
use serde::Deserialize;

use super::{form_again, own_employee, CsrfForm, Nav, Page, PageResult, WebUser};
use crate::service::career::{self, CareerPlanInput};
use crate::state::AppState;

pub struct Step {
    pub role: String,
    pub expected: String,
    pub range: String,
}

pub struct RouteView {
    pub roles: String,
    pub months: String,
    pub steps: Vec<Step>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    nav: Option<Nav>,
    csrf: String,
    current_role: String,
    months_in_role: u32,
    roles: Vec<(String, String)>,
    target: String,
    horizon: i32,
    fastest: Option<RouteView>,
    alternatives: Vec<RouteView>,
    problem: Option<String>,
    readiness: Option<Readiness>,
    /// The items that close each skill and certification gap ([`super::learning`]).
    gaps: Vec<super::learning::GapOffers>,
    back: &'static str,
    error: Option<String>,
}

pub(crate) fn route_view(state: &AppState, r: &Route) -> RouteView {
    RouteView {
        roles: r.roles.iter().map(|id| career::role_name(state, id)).collect::<Vec<_>>().join(" → "),
        months: format!("{}–{} months", r.months_min, r.months_max),
        steps: r
            .milestones
            .iter()
            .map(|m| Step {
                role: m.role_name.clone(),
                expected: m.expected.format("%b %Y").to_string(),
                range: format!("{} – {}", m.earliest.format("%b %Y"), m.latest.format("%b %Y")),
            })
            .collect(),
    }
}

pub async fn show(State(state): State<AppState>, user: WebUser) -> PageResult<Page<impl Template>> {
    page(&state, &user, None).await
}

async fn page(state: &AppState, user: &WebUser, error: Option<String>) -> PageResult<Page<impl Template>> {
    let employee = own_employee(state, user).await?;
    let view = career::career_plan(state, &user.me, &employee).await?;
    let mut roles: Vec<(String, String)> = state
        .framework
        .roles
        .iter()
        .filter(|r| r.id != employee.role_id)
        .map(|r| (r.id.clone(), r.name.clone()))
        .collect();
    roles.sort_by(|a, b| a.1.cmp(&b.1));
    let gaps = match &view.readiness {
        Some(r) => super::learning::offers(crate::service::learning::gaps_of(state, &user.me, r).await?),
        None => Vec::new(),
    };
    Ok(Page(PlanPage {
        nav: Some(Nav::new(user, "/plan")),
        csrf: user.csrf.clone(),
        current_role: view.current_role_name.clone(),
        months_in_role: view.months_in_role,
        roles,
        target: view.target_role.clone().unwrap_or_default(),
        horizon: view.horizon_years.unwrap_or(5),
        fastest: view.plan.as_ref().map(|p| route_view(state, &p.fastest)),
        alternatives: view
            .plan
            .as_ref()
            .map(|p| p.alternatives.iter().map(|r| route_view(state, r)).collect())
            .unwrap_or_default(),
        problem: view.plan_problem.clone(),
        readiness: view.readiness,
        gaps,
        back: "/plan",
        error,
    }))
}

/// My career plan as a PDF file.
pub async fn pdf(State(state): State<AppState>, user: WebUser) -> PageResult<Response> {
    let employee = own_employee(&state, &user).await?;
    let (name, bytes) = crate::pdf::plan(&state, &user.me, &employee).await?;
    Ok(crate::pdf::download(bytes, &name))
}

#[derive(Deserialize)]
pub struct PlanForm {
    target_role: String,
    horizon_years: i32,
}

pub async fn save(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(form): CsrfForm<PlanForm>,
) -> PageResult<Response> {
    let employee = own_employee(&state, &user).await?;
    let input = CareerPlanInput { target_role: form.target_role, horizon_years: form.horizon_years };
    match career::save_career_plan(&state, &user.me, &employee, &input).await {
        Ok(_) => Ok(Redirect::to("/plan").into_response()),
        Err(e) => form_again(e, |error| page(&state, &user, Some(error))).await,
    }
}
