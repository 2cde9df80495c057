//! Accounts: invitations, password changes, API tokens and user administration — the logic
//! behind both the API (`api::session`, `api::users`) and the pages (`web::account`, `web::admin`).

use chrono::{Duration, Utc};
use ladder_core::access::{Access, Action};
use ladder_core::{EmployeeId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use ladder_store::users::Password;

use super::limits;
use crate::auth::{self, Me};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Sets the password of the invitation's user and uses the invitation up.
pub async fn accept_invitation(state: &AppState, token: &str, password: &str) -> ApiResult<()> {
    limits::check_line("token", token, limits::SECRET)?;
    limits::check_text("password", password, limits::PASSWORD)?;
    auth::check_new_password(password, None)?;
    let hash = auth::hash_password(password)?;
    let user_id = ladder_store::users::redeem_invitation(&state.db, &auth::hash_secret(token), Utc::now())
        .await?
        .ok_or_else(|| ApiError::not_found("invitation (it may be used or expired)"))?;
    ladder_store::users::set_password_hash(&state.db, user_id, &hash).await?;
    ladder_store::users::bump_session_epoch(&state.db, user_id).await?;
    Ok(())
}

/// A sign-in's email and password within their limits, checked before any hashing.
pub fn check_sign_in(email: &str, password: &str) -> ApiResult<()> {
    limits::check_line("email", email, limits::EMAIL)?;
    limits::check_text("password", password, limits::PASSWORD)
}

/// Changes one's password; returns the new session epoch (other sessions end).
pub async fn change_password(state: &AppState, me: &Me, current: &str, new: &str) -> ApiResult<i64> {
    limits::check_text("current_password", current, limits::PASSWORD)?;
    limits::check_text("new_password", new, limits::PASSWORD)?;
    if !me.user.password_hash.as_deref().is_some_and(|h| auth::verify_password(current, h)) {
        return Err(ApiError::invalid("current_password", "the current password is wrong"));
    }
    auth::check_new_password(new, Some(&me.user.email))?;
    let hash = auth::hash_password(new)?;
    Ok(ladder_store::users::end_all_access(&state.db, me.user.id, Password::Set(&hash), Utc::now()).await?)
}

/// Ends every session and API token of the signed-in user.
pub async fn sign_out_everywhere(state: &AppState, me: &Me) -> ApiResult<()> {
    ladder_store::users::end_all_access(&state.db, me.user.id, Password::Keep, Utc::now()).await?;
    Ok(())
}

#[derive(Serialize, ToSchema)]
pub struct CreatedToken {
    pub id: i64,
    pub name: String,
    /// Shown once; only its hash is kept.
    pub token: String,
}

pub async fn create_token(state: &AppState, me: &Me, name: &str) -> ApiResult<CreatedToken> {
    limits::check_line("name", name, limits::NAME)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::invalid("name", "give the token a name"));
    }
    let token = format!("ldr_{}", auth::new_secret());
    let id = ladder_store::users::create_api_token(&state.db, me.user.id, name, &auth::hash_secret(&token)).await?;
    Ok(CreatedToken { id, name: name.to_string(), token })
}

#[derive(Serialize, ToSchema)]
pub struct UserRow {
    #[schema(value_type = i64)]
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub access: String,
    #[schema(value_type = Option<i64>)]
    pub employee_id: Option<EmployeeId>,
    pub disabled: bool,
    /// False until the invitation is accepted.
    pub has_password: bool,
}

pub async fn list_users(state: &AppState, me: &Me) -> ApiResult<Vec<UserRow>> {
    me.require(Action::Administer)?;
    let users = ladder_store::users::users(&state.db).await?;
    Ok(users.into_iter().map(UserRow::of).collect())
}

impl UserRow {
    pub fn of(u: ladder_store::users::User) -> UserRow {
        UserRow {
            has_password: u.password_hash.is_some(),
            id: u.id,
            email: u.email,
            name: u.name,
            access: u.access,
            employee_id: u.employee_id,
            disabled: u.disabled,
        }
    }
}

/// A page of the users, by email (admin only).
pub async fn users_page(
    state: &AppState,
    me: &Me,
    page: &crate::service::listing::PageSpec,
) -> ApiResult<crate::service::listing::Listing<UserRow>> {
    me.require(Action::Administer)?;
    let rows = ladder_store::users::users_after(&state.db, page.after()?, page.fetch()).await?;
    let total = ladder_store::users::count_users(&state.db).await?;
    let listing = crate::service::listing::Listing::from_rows(rows, page, total, |u| (u.email.clone(), u.id));
    Ok(listing.map(UserRow::of))
}

#[derive(Deserialize, ToSchema)]
pub struct Invite {
    pub email: String,
    pub name: String,
    /// agent, team-leader, manager, hr or admin
    pub access: String,
    #[schema(value_type = Option<i64>)]
    pub employee_id: Option<EmployeeId>,
    /// For managers: the sites and accounts they answer for.
    #[serde(default)]
    pub sites: Vec<i64>,
    #[serde(default)]
    pub accounts: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationLink {
    #[schema(value_type = i64)]
    pub user_id: UserId,
    /// One-time link, valid for 7 days; shown once.
    pub link: String,
    pub expires_at: chrono::DateTime<Utc>,
}

/// Creates the user, a manager's scopes and a one-time link to set a password (admin only), in
/// one transaction, once everything asked for is known to be right.
pub async fn invite(state: &AppState, me: &Me, body: &Invite) -> ApiResult<InvitationLink> {
    me.require(Action::Administer)?;
    let access = check_invite(state, body).await?;
    let (organisation_id, ..) = ladder_store::org::organisation(&state.db).await?.ok_or_else(|| {
        ApiError::conflict(
            "the database holds no organisation yet: import a people file first (ladder import people FILE)",
        )
    })?;
    let token = auth::new_secret();
    let expires_at = Utc::now() + Duration::days(7);
    let user_id = ladder_store::users::create_invited_user(
        &state.db,
        &ladder_store::users::NewUser {
            organisation_id,
            email: &body.email,
            name: body.name.trim(),
            access,
            employee_id: body.employee_id,
            password_hash: None,
        },
        &body.sites,
        &body.accounts,
        &ladder_store::users::NewInvitation { token_hash: &auth::hash_secret(&token), expires_at },
    )
    .await?;
    Ok(InvitationLink { user_id, link: invitation_link(state, &token), expires_at })
}

/// The checks of an invitation, each naming its field: the access, the email and name, the
/// employee (who exists and has no account yet: one account per person), and a manager's sites
/// and accounts (which exist).
async fn check_invite(state: &AppState, body: &Invite) -> ApiResult<Access> {
    let access = Access::parse(&body.access)
        .ok_or_else(|| ApiError::invalid("access", "must be agent, team-leader, manager, hr, admin or qa-trainer"))?;
    limits::check_line("email", &body.email, limits::EMAIL)?;
    if !body.email.contains('@') {
        return Err(ApiError::invalid("email", "is not an email address"));
    }
    limits::check_line("name", &body.name, limits::NAME)?;
    if body.name.trim().is_empty() {
        return Err(ApiError::invalid("name", "is empty"));
    }
    if let Some(e) = body.employee_id {
        ladder_store::org::employee(&state.db, e)
            .await
            .map_err(|_| ApiError::invalid("employee_id", "no such employee"))?;
        if let Some(holder) = ladder_store::users::user_of_employee(&state.db, e).await? {
            return Err(ApiError::invalid(
                "employee_id",
                format!("this employee already has an account ({}); one account per person", holder.email),
            ));
        }
    }
    if access != Access::Manager && !(body.sites.is_empty() && body.accounts.is_empty()) {
        // A QA/trainer works at sites (issue 26), never across an account.
        if !(access == Access::Trainer && body.accounts.is_empty()) {
            let field = if body.sites.is_empty() || access == Access::Trainer { "accounts" } else { "sites" };
            return Err(ApiError::invalid(
                field,
                "only managers answer for accounts, and managers and QA/trainers for sites",
            ));
        }
    }
    if access == Access::Trainer && body.sites.is_empty() {
        return Err(ApiError::invalid("sites", "a QA/trainer works at one site or more"));
    }
    let sites: Vec<i64> = ladder_store::org::sites(&state.db).await?.iter().map(|s| s.id).collect();
    if let Some(unknown) = body.sites.iter().find(|s| !sites.contains(s)) {
        return Err(ApiError::invalid("sites", format!("no site has id {unknown}")));
    }
    let accounts: Vec<i64> = ladder_store::org::accounts(&state.db).await?.iter().map(|a| a.id).collect();
    if let Some(unknown) = body.accounts.iter().find(|a| !accounts.contains(a)) {
        return Err(ApiError::invalid("accounts", format!("no account has id {unknown}")));
    }
    if body.sites.len() + body.accounts.len() > limits::MANAGER_SCOPES {
        return Err(ApiError::invalid("sites", format!("at most {} sites and accounts", limits::MANAGER_SCOPES)));
    }
    Ok(access)
}

fn invitation_link(state: &AppState, token: &str) -> String {
    format!("{}/invite/{token}", state.config.public_url.trim_end_matches('/'))
}

async fn new_invitation(state: &AppState, user_id: UserId) -> ApiResult<InvitationLink> {
    let token = auth::new_secret();
    let expires_at = Utc::now() + Duration::days(7);
    ladder_store::users::create_invitation(&state.db, user_id, &auth::hash_secret(&token), expires_at).await?;
    Ok(InvitationLink { user_id, link: invitation_link(state, &token), expires_at })
}

/// Ends the user's sessions, API tokens and password, and issues a new one-time link (admin only).
pub async fn reset_access(state: &AppState, me: &Me, user_id: UserId) -> ApiResult<InvitationLink> {
    me.require(Action::Administer)?;
    ladder_store::users::user(&state.db, user_id).await?;
    ladder_store::users::end_all_access(&state.db, user_id, Password::Clear, Utc::now()).await?;
    new_invitation(state, user_id).await
}

/// Disables or re-enables a user (admin only); disabling signs them out everywhere.
pub async fn set_disabled(state: &AppState, me: &Me, user_id: UserId, disabled: bool) -> ApiResult<()> {
    me.require(Action::Administer)?;
    if user_id == me.user.id && disabled {
        return Err(ApiError::invalid("disabled", "you cannot disable yourself"));
    }
    ladder_store::users::user(&state.db, user_id).await?;
    ladder_store::users::set_disabled(&state.db, user_id, disabled).await?;
    Ok(())
}
