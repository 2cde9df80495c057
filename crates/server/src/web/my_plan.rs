//! My personal plan (issue 30): the plan page of an account with no employee record, such as a
//! self sign-up, over `service::personal_plan`.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::plan::{route_view, RouteView};
use super::{form_again, CsrfForm, Nav, Page, PageResult, WebUser};
use crate::service::personal_plan::{self, PersonalPlanInput};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "my_plan.html")]
struct MyPlanPage {
    nav: Option<Nav>,
    csrf: String,
    roles: Vec<(String, String)>,
    from: String,
    to: String,
    horizon: i32,
    fastest: Option<RouteView>,
    alternatives: Vec<RouteView>,
    problem: Option<String>,
    error: Option<String>,
}

pub async fn show(State(state): State<AppState>, user: WebUser) -> PageResult<Page<impl Template>> {
    page(&state, &user, None).await
}

async fn page(state: &AppState, user: &WebUser, error: Option<String>) -> PageResult<Page<impl Template>> {
    let view = personal_plan::view(state, &user.me).await?;
    let mut roles: Vec<(String, String)> =
        state.framework.roles.iter().map(|r| (r.id.clone(), r.name.clone())).collect();
    roles.sort_by(|a, b| a.1.cmp(&b.1));
    let routes = view.plan.as_ref();
    Ok(Page(MyPlanPage {
        nav: Some(Nav::new(user, "/my-plan")),
        csrf: user.csrf.clone(),
        roles,
        from: view.from_role.clone().unwrap_or_default(),
        to: view.to_role.clone().unwrap_or_default(),
        horizon: view.horizon_years.unwrap_or(5),
        fastest: routes.map(|p| route_view(state, &p.fastest)),
        alternatives: routes.map(|p| p.alternatives.iter().map(|r| route_view(state, r)).collect()).unwrap_or_default(),
        problem: view.plan_problem,
        error,
    }))
}

#[derive(Deserialize)]
pub struct MyPlanForm {
    from_role: String,
    to_role: String,
    horizon_years: i32,
}

pub async fn save(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(f): CsrfForm<MyPlanForm>,
) -> PageResult<Response> {
    let input = PersonalPlanInput { from_role: f.from_role, to_role: f.to_role, horizon_years: f.horizon_years };
    match personal_plan::save(&state, &user.me, &input).await {
        Ok(_) => Ok(Redirect::to("/my-plan").into_response()),
        Err(e) => form_again(e, |error| page(&state, &user, Some(error))).await,
    }
}
