//! Mentoring and shadowing (issue 26): requests, pairing with a mentor, sessions.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use ladder_core::EmployeeId;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, ErrorBody, JsonBody, QueryArgs};
use crate::service::listing::{Listing, PageQuery};
use crate::service::mentoring::{
    self as service, PairInput, RequestDetail, RequestInput, RequestView, SessionInput, SessionView,
};
use crate::service::people::visible_employee;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(create))
        .routes(routes!(detail))
        .routes(routes!(pair))
        .routes(routes!(log_session))
        .routes(routes!(close))
}

/// The requests the caller takes part in: their own, the ones they mentor, their teams'
/// (team leaders), everyone's (HR and administrators); open ones first, a page at a time.
#[utoipa::path(get, path = "/api/v1/mentoring", tag = "learning", params(PageQuery),
    responses((status = 200, body = Listing<RequestView>), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<RequestView>>> {
    let page = q.spec()?;
    Ok(Json(service::requests(&state, &me, &page).await?))
}

/// Asks for a mentor or a shadowing day towards a role: the person only.
#[utoipa::path(post, path = "/api/v1/employees/{id}/mentoring", tag = "learning", params(("id" = i64, Path)),
    request_body = RequestInput,
    responses((status = 201, body = RequestView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    JsonBody(input): JsonBody<RequestInput>,
) -> ApiResult<(StatusCode, Json<RequestView>)> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok((StatusCode::CREATED, Json(service::create(&state, &me, &employee, &input).await?)))
}

/// A request with its sessions: the mentee, their team leader, the mentor, HR and administrators.
#[utoipa::path(get, path = "/api/v1/mentoring/{id}", tag = "learning", params(("id" = i64, Path)),
    responses((status = 200, body = RequestDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn detail(State(state): State<AppState>, me: Me, Path(id): Path<i64>) -> ApiResult<Json<RequestDetail>> {
    Ok(Json(service::request(&state, &me, id).await?))
}

/// Pairs the request with a mentor in a role at or above its target: the mentee's team leader,
/// HR and administrators.
#[utoipa::path(post, path = "/api/v1/mentoring/{id}/mentor", tag = "learning", params(("id" = i64, Path)),
    request_body = PairInput,
    responses((status = 200, body = RequestView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn pair(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<PairInput>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(service::pair(&state, &me, id, &input).await?))
}

/// Logs a session (date, 15–480 minutes, a note): the mentee or the mentor.
#[utoipa::path(post, path = "/api/v1/mentoring/{id}/sessions", tag = "learning", params(("id" = i64, Path)),
    request_body = SessionInput,
    responses((status = 201, body = SessionView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn log_session(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<SessionInput>,
) -> ApiResult<(StatusCode, Json<SessionView>)> {
    Ok((StatusCode::CREATED, Json(service::log_session(&state, &me, id, &input).await?)))
}

/// Closes an open request (no more pairing or sessions; the sessions stay evidence): the mentee,
/// their team leader, HR and administrators.
#[utoipa::path(post, path = "/api/v1/mentoring/{id}/closed", tag = "learning", params(("id" = i64, Path)),
    responses((status = 200, body = RequestView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
async fn close(State(state): State<AppState>, me: Me, Path(id): Path<i64>) -> ApiResult<Json<RequestView>> {
    Ok(Json(service::close(&state, &me, id).await?))
}
