//! A personal Ladder's supervisor (issue 30): its person makes, revokes and lists the one-time
//! link and removes a supervisor; whoever holds the link joins with it (no sign-in).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use ladder_core::UserId;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, ErrorBody, JsonBody};
use crate::service::supervisor::{self, JoinAsSupervisor, SupervisorLink, Supervisors};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(overview))
        .routes(routes!(invite, revoke))
        .routes(routes!(remove))
        .routes(routes!(join))
}

/// One's supervisors (removed ones too), the link waiting to be used, and whether one reviews
/// one's own check-ins: the person of a personal Ladder only.
#[utoipa::path(get, path = "/api/v1/me/supervisors", tag = "session",
    responses((status = 200, body = Supervisors), (status = 403, body = ErrorBody)))]
async fn overview(State(state): State<AppState>, me: Me) -> ApiResult<Json<Supervisors>> {
    Ok(Json(supervisor::overview(&state, &me).await?))
}

/// A one-time link that makes its holder one's supervisor, shown once; the link still waiting
/// stops working. 409 while one has the most supervisors.
#[utoipa::path(post, path = "/api/v1/me/supervisors/invite", tag = "session",
    responses((status = 201, body = SupervisorLink), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn invite(State(state): State<AppState>, me: Me) -> ApiResult<(StatusCode, Json<SupervisorLink>)> {
    Ok((StatusCode::CREATED, Json(supervisor::invite(&state, &me).await?)))
}

/// Revokes the link waiting to be used.
#[utoipa::path(delete, path = "/api/v1/me/supervisors/invite", tag = "session",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn revoke(State(state): State<AppState>, me: Me) -> ApiResult<StatusCode> {
    supervisor::revoke(&state, &me).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a supervisor: their account is disabled and signed out; with no supervisor left,
/// one reviews one's own check-ins again.
#[utoipa::path(delete, path = "/api/v1/me/supervisors/{id}", tag = "session",
    params(("id" = i64, Path, description = "the supervisor's user id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn remove(State(state): State<AppState>, me: Me, Path(id): Path<UserId>) -> ApiResult<StatusCode> {
    supervisor::remove(&state, &me, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Joined {
    #[schema(value_type = i64)]
    pub user_id: UserId,
}

/// Joins a personal Ladder as its person's supervisor with the link's token, choosing a name,
/// e-mail (the sign-in) and password. 404 once the link is used, revoked or expired.
#[utoipa::path(post, path = "/api/v1/supervisor-invites/accept", tag = "session", request_body = JoinAsSupervisor,
    responses((status = 201, body = Joined), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn join(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<JoinAsSupervisor>,
) -> ApiResult<(StatusCode, Json<Joined>)> {
    let user_id = supervisor::join(&state, &body).await?;
    Ok((StatusCode::CREATED, Json(Joined { user_id })))
}
