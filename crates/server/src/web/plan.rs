//! My career plan: target and horizon, the route as a dated timeline with the readiness for
//! every step and the person's own goals under each milestone, the checklist for the next step
//! with what closes each gap, and alternatives. The goal forms are `web::plan_goals`.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use ladder_core::planner::Route;
use ladder_core::readiness::{Readiness, StepReadiness, StepStanding};
use serde::Deserialize;

use super::plan_goals::{GoalForms, GoalRow};

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

/// One milestone of the plan's route on the plan page: when, how ready the person is for the
/// move into it, and their own goals under it.
pub struct Milestone {
    pub role: String,
    pub role_name: String,
    pub expected: String,
    pub range: String,
    pub readiness: Option<StepReadiness>,
    /// "Ready", "Nearly ready" or "Gaps to close", and its tag's colour class.
    pub standing: (&'static str, &'static str),
    pub goals: Vec<GoalRow>,
}

fn standing_words(s: StepStanding) -> (&'static str, &'static str) {
    match s {
        StepStanding::Ready => ("Ready", "ok"),
        StepStanding::NearlyReady => ("Nearly ready", "warn"),
        StepStanding::Gaps => ("Gaps to close", "bad"),
    }
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
    milestones: Vec<Milestone>,
    /// Goals under roles no longer on the route (the target or the framework changed).
    other_goals: Vec<GoalRow>,
    goal_forms: GoalForms,
    /// Bounds of a goal's due date.
    today: String,
    last_due: String,
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
    page(&state, &user, None, GoalForms::default()).await
}

pub(crate) async fn page(
    state: &AppState,
    user: &WebUser,
    error: Option<String>,
    goal_forms: GoalForms,
) -> PageResult<Page<impl Template>> {
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
    let mut goals: Vec<GoalRow> = crate::service::career_goals::all(state, &user.me, &employee)
        .await?
        .into_iter()
        .map(|g| GoalRow::of(g, &goal_forms))
        .collect();
    let milestones = milestones(&view, &mut goals);
    let today = chrono::Utc::now().date_naive();
    let horizon = view.horizon_years.unwrap_or(5).clamp(1, 15) as u32;
    Ok(Page(PlanPage {
        nav: Some(Nav::new(user, "/plan")),
        csrf: user.csrf.clone(),
        current_role: view.current_role_name.clone(),
        months_in_role: view.months_in_role,
        roles,
        target: view.target_role.clone().unwrap_or_default(),
        horizon: view.horizon_years.unwrap_or(5),
        fastest: view.plan.as_ref().map(|p| route_view(state, &p.fastest)),
        milestones,
        other_goals: goals,
        goal_forms,
        today: today.to_string(),
        last_due: today.checked_add_months(chrono::Months::new(horizon * 12)).unwrap_or(today).to_string(),
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

/// The fastest route's milestones with each step's readiness, taking each milestone's goals out
/// of `goals` (what is left sits under roles no longer on the route).
fn milestones(view: &career::CareerPlanView, goals: &mut Vec<GoalRow>) -> Vec<Milestone> {
    let Some(plan) = &view.plan else { return Vec::new() };
    plan.fastest
        .milestones
        .iter()
        .map(|m| {
            let readiness = view.steps.iter().find(|s| s.role == m.role).cloned();
            let (mine, rest): (Vec<GoalRow>, Vec<GoalRow>) =
                std::mem::take(goals).into_iter().partition(|g| g.goal.milestone_role == m.role);
            *goals = rest;
            Milestone {
                role: m.role.clone(),
                role_name: m.role_name.clone(),
                expected: m.expected.format("%b %Y").to_string(),
                range: format!("{} – {}", m.earliest.format("%b %Y"), m.latest.format("%b %Y")),
                standing: readiness.as_ref().map_or(("", ""), |r| standing_words(r.standing)),
                readiness,
                goals: mine,
            }
        })
        .collect()
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
        Err(e) => form_again(e, |error| page(&state, &user, Some(error), GoalForms::default())).await,
    }
}
