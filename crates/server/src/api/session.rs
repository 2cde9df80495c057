//! Signing in and out, the current user, password change, invitations, API tokens.

use std::net::SocketAddr;

use crate::error::JsonBody;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::Json;
use ladder_core::{EmployeeId, TeamId, UserId};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{self, Me};
use crate::error::{ApiError, ApiResult, QueryArgs};
use crate::service::accounts::{self, CreatedToken};
use crate::service::listing::{Listing, Order, PageQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in, sign_out))
        .routes(routes!(me))
        .routes(routes!(sign_out_everywhere))
        .routes(routes!(change_password))
        .routes(routes!(accept_invitation))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

#[derive(Deserialize, ToSchema)]
pub struct SignIn {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionInfo {
    pub user: UserInfo,
    /// Send this as the `x-csrf-token` header on every state-changing request.
    pub csrf_token: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserInfo {
    #[schema(value_type = i64)]
    pub id: UserId,
    pub email: String,
    pub name: String,
    /// agent, team-leader, manager, hr or admin
    pub access: String,
    #[schema(value_type = Option<i64>)]
    pub employee_id: Option<EmployeeId>,
    #[schema(value_type = Vec<i64>)]
    pub led_teams: Vec<TeamId>,
}

impl UserInfo {
    pub fn of(me: &Me) -> UserInfo {
        UserInfo {
            id: me.user.id,
            email: me.user.email.clone(),
            name: me.user.name.clone(),
            access: me.user.access.clone(),
            employee_id: me.user.employee_id,
            led_teams: me.actor.led_teams.clone(),
        }
    }
}

/// Sign in with email and password; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = SignIn,
    responses((status = 200, body = SessionInfo), (status = 401, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
async fn sign_in(
    State(state): State<AppState>,
    session: Session,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    JsonBody(body): JsonBody<SignIn>,
) -> ApiResult<Json<SessionInfo>> {
    crate::service::accounts::check_sign_in(&body.email, &body.password)?;
    let (user, csrf_token) =
        auth::sign_in(&state, &session, &body.email, &body.password, &addr.ip().to_string()).await?;
    let actor = ladder_store::users::actor(&state.db, &user).await?;
    let me = Me { user, actor, via_token: false };
    Ok(Json(SessionInfo { user: UserInfo::of(&me), csrf_token }))
}

/// Sign out of this session.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204)))]
async fn sign_out(_me: Me, session: Session) -> ApiResult<StatusCode> {
    session.flush().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "session", responses((status = 200, body = UserInfo), (status = 401, body = crate::error::ErrorBody)))]
async fn me(me: Me) -> Json<UserInfo> {
    Json(UserInfo::of(&me))
}

/// Sign out of every session of this user, on every device.
#[utoipa::path(post, path = "/api/v1/session/everywhere", tag = "session", responses((status = 204)))]
async fn sign_out_everywhere(State(state): State<AppState>, me: Me, session: Session) -> ApiResult<StatusCode> {
    crate::service::accounts::sign_out_everywhere(&state, &me).await?;
    session.flush().await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Change one's password; other sessions are signed out.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "session", request_body = PasswordChange,
    responses((status = 204), (status = 422, body = crate::error::ErrorBody)))]
async fn change_password(
    State(state): State<AppState>,
    me: Me,
    session: Session,
    JsonBody(body): JsonBody<PasswordChange>,
) -> ApiResult<StatusCode> {
    let epoch = accounts::change_password(&state, &me, &body.current_password, &body.new_password).await?;
    // This session stays signed in; the others are not.
    session.insert("epoch", epoch).await.map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct AcceptInvitation {
    pub token: String,
    pub password: String,
}

/// Redeem a one-time invitation (or access-reset) link by choosing a password.
#[utoipa::path(post, path = "/api/v1/invitations/accept", tag = "session", request_body = AcceptInvitation,
    responses((status = 204), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn accept_invitation(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<AcceptInvitation>,
) -> ApiResult<StatusCode> {
    accounts::accept_invitation(&state, &body.token, &body.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct NewToken {
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The API tokens of the signed-in user, a page at a time, oldest first.
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "session", params(PageQuery),
    responses((status = 200, body = Listing<TokenInfo>), (status = 422, body = crate::error::ErrorBody)))]
async fn list_tokens(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<TokenInfo>>> {
    let page = q.spec()?;
    let tokens = ladder_store::users::api_tokens(&state.db, me.user.id).await?;
    let listing = Listing::slice(tokens, &page, Order::Ascending, |t| t.id)?;
    Ok(Json(listing.map(|t| TokenInfo {
        id: t.id,
        name: t.name,
        created_at: t.created_at,
        last_used_at: t.last_used_at,
        revoked_at: t.revoked_at,
    })))
}

/// Create an API token for integrations; it acts with the user's access.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "session", request_body = NewToken, responses((status = 201, body = CreatedToken)))]
async fn create_token(
    State(state): State<AppState>,
    me: Me,
    JsonBody(body): JsonBody<NewToken>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    Ok((StatusCode::CREATED, Json(accounts::create_token(&state, &me, &body.name).await?)))
}

/// Revoke one of one's API tokens.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "session", params(("id" = i64, Path)), responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn revoke_token(State(state): State<AppState>, me: Me, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    ladder_store::users::revoke_api_token(&state.db, me.user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
