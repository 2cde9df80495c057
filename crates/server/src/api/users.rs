//! Administration of users: invitations by one-time link, access resets, disabling.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, JsonBody, QueryArgs};
use crate::service::accounts::{self, InvitationLink, Invite, UserRow};
use crate::service::listing::{Listing, PageSpec};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, invite_user))
        .routes(routes!(reset_access))
        .routes(routes!(set_disabled))
}

/// A page of the users, by email (admin only).
#[utoipa::path(get, path = "/api/v1/users", tag = "admin", params(crate::service::listing::PageQuery),
    responses((status = 200, body = Listing<UserRow>), (status = 403, body = crate::error::ErrorBody)))]
async fn list_users(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<crate::service::listing::PageQuery>,
) -> ApiResult<Json<Listing<UserRow>>> {
    let page = PageSpec::new(q.limit, q.cursor.as_deref())?;
    Ok(Json(accounts::users_page(&state, &me, &page).await?))
}

/// Invite someone: creates the user and a one-time link to set a password (admin only).
#[utoipa::path(post, path = "/api/v1/users", tag = "admin", request_body = Invite,
    responses((status = 201, body = InvitationLink), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn invite_user(
    State(state): State<AppState>,
    me: Me,
    JsonBody(body): JsonBody<Invite>,
) -> ApiResult<(StatusCode, Json<InvitationLink>)> {
    Ok((StatusCode::CREATED, Json(accounts::invite(&state, &me, &body).await?)))
}

/// Reset someone's access: signs them out everywhere and issues a new one-time link (admin only).
#[utoipa::path(post, path = "/api/v1/users/{id}/reset", tag = "admin", params(("id" = i64, Path)),
    responses((status = 200, body = InvitationLink), (status = 404, body = crate::error::ErrorBody)))]
async fn reset_access(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<ladder_core::UserId>,
) -> ApiResult<Json<InvitationLink>> {
    Ok(Json(accounts::reset_access(&state, &me, id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct Disabled {
    pub disabled: bool,
}

/// Disable or re-enable a user (admin only); disabling signs them out everywhere.
#[utoipa::path(put, path = "/api/v1/users/{id}/disabled", tag = "admin", params(("id" = i64, Path)), request_body = Disabled,
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn set_disabled(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<ladder_core::UserId>,
    JsonBody(body): JsonBody<Disabled>,
) -> ApiResult<StatusCode> {
    accounts::set_disabled(&state, &me, id, body.disabled).await?;
    Ok(StatusCode::NO_CONTENT)
}
