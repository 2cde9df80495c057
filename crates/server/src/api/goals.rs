//! A person's own short-term goals under the milestones of their career plan (issue 26): read
//! by whoever sees the person, written by the person only.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use ladder_core::EmployeeId;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, ErrorBody, JsonBody, QueryArgs};
use crate::service::career_goals::{self as service, GoalInput, GoalPatch, GoalView};
use crate::service::listing::{Listing, PageQuery};
use crate::service::people::visible_employee;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(update, delete))
}

/// The person's goals by due date, a page at a time: the person, their leader and manager, HR
/// and administrators. Each says whether it is done or overdue.
#[utoipa::path(get, path = "/api/v1/employees/{id}/career-plan/goals", tag = "kra",
    params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Listing<GoalView>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<GoalView>>> {
    let page = q.spec()?;
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(service::list(&state, &me, &employee, &page).await?))
}

/// Adds a goal under a milestone of the plan (the person only): at most 50 open at once, due
/// from today to the plan's horizon.
#[utoipa::path(post, path = "/api/v1/employees/{id}/career-plan/goals", tag = "kra", params(("id" = i64, Path)),
    request_body = GoalInput,
    responses((status = 201, body = GoalView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    JsonBody(input): JsonBody<GoalInput>,
) -> ApiResult<(StatusCode, Json<GoalView>)> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok((StatusCode::CREATED, Json(service::create(&state, &me, &employee, &input).await?)))
}

/// Edits a goal, ticks it done (`done: true`, today's date kept) or reopens it (the person only).
#[utoipa::path(patch, path = "/api/v1/employees/{id}/career-plan/goals/{goal}", tag = "kra",
    params(("id" = i64, Path), ("goal" = i64, Path)), request_body = GoalPatch,
    responses((status = 200, body = GoalView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    me: Me,
    Path((id, goal)): Path<(EmployeeId, i64)>,
    JsonBody(patch): JsonBody<GoalPatch>,
) -> ApiResult<Json<GoalView>> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(service::update(&state, &me, &employee, goal, &patch).await?))
}

/// Deletes a goal (the person only; the audit trail keeps what it was).
#[utoipa::path(delete, path = "/api/v1/employees/{id}/career-plan/goals/{goal}", tag = "kra",
    params(("id" = i64, Path), ("goal" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete(
    State(state): State<AppState>,
    me: Me,
    Path((id, goal)): Path<(EmployeeId, i64)>,
) -> ApiResult<StatusCode> {
    let employee = visible_employee(&state, &me, id).await?;
    service::delete(&state, &me, &employee, goal).await?;
    Ok(StatusCode::NO_CONTENT)
}
