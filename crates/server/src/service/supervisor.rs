//! A supervisor for a personal Ladder (issue 30): its person hands someone a one-time link
//! (`/supervise/TOKEN`, stored hashed, one waiting at a time, `Config::supervisor_link_days`
//! long, revocable); whoever opens it chooses a name, e-mail and password and gets an account
//! that leads the person's team and nothing else — a team leader without an employee record, so
//! they see what is shared (KRAs, plans, shared log entries, check-ins) and review check-ins,
//! never private entries or the organisation's settings. While a supervisor is active the
//! person no longer reviews their own check-ins (`org::personal::is_personal` counts active
//! accounts); removing the supervisor disables their account and gives self-review back.

use chrono::{DateTime, Duration, Utc};
use ladder_core::access::Action;
use ladder_core::{TeamId, UserId};
use ladder_store::org::personal::{self, Owner};
use ladder_store::supervisors::{self as store, JoinRefused, NewSupervisor};
use ladder_store::Db;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{self, Me};
use crate::error::{ApiError, ApiResult};
use crate::service::limits;
use crate::settings::Config;
use crate::state::AppState;

/// Active supervisors a personal Ladder may have at once: a boss and a mentor or two.
pub const MAX_SUPERVISORS: i64 = 3;

/// A new link, shown once; only its hash is kept.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupervisorLink {
    pub link: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PendingLink {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SupervisorRow {
    #[schema(value_type = i64)]
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    /// Removed: the account is disabled.
    pub removed: bool,
    pub since: DateTime<Utc>,
}

/// The person's supervisors and the link waiting to be used.
#[derive(Debug, Serialize, ToSchema)]
pub struct Supervisors {
    pub pending: Option<PendingLink>,
    pub supervisors: Vec<SupervisorRow>,
    /// Whether the person reviews their own check-ins now (no active supervisor).
    pub self_review: bool,
    pub max_supervisors: i64,
    pub link_days: i64,
}

/// The person of this personal Ladder, if `me` is them; 403 for anyone else (and in an
/// organisation's Ladder).
async fn owner(state: &AppState, me: &Me) -> ApiResult<Owner> {
    let found = personal::owner(&state.db).await?;
    let (who, is_personal) = match (found, me.user.employee_id) {
        (Some(o), Some(e)) if o.employee_id == e => (ladder_store::org::placement(&state.db, e).await?, true),
        (_, Some(e)) => (ladder_store::org::placement(&state.db, e).await?, false),
        (_, None) => return Err(ApiError::forbidden()),
    };
    me.require(Action::ManageSupervisors { who, personal: is_personal })?;
    found.ok_or_else(ApiError::forbidden)
}

pub async fn overview(state: &AppState, me: &Me) -> ApiResult<Supervisors> {
    let o = owner(state, me).await?;
    let pending = store::pending_invite(&state.db, o.team_id, Utc::now()).await?;
    let supervisors = store::of_team(&state.db, o.team_id).await?;
    Ok(Supervisors {
        pending: pending.map(|p| PendingLink { created_at: p.created_at, expires_at: p.expires_at }),
        self_review: personal::is_personal(&state.db).await?,
        supervisors: supervisors
            .into_iter()
            .map(|s| SupervisorRow {
                user_id: s.user_id,
                name: s.name,
                email: s.email,
                removed: s.disabled,
                since: s.since,
            })
            .collect(),
        max_supervisors: MAX_SUPERVISORS,
        link_days: state.config.supervisor_link_days,
    })
}

/// A new link for the person's supervisor; the one still waiting stops working.
pub async fn invite(state: &AppState, me: &Me) -> ApiResult<SupervisorLink> {
    let o = owner(state, me).await?;
    issue(&state.db, &state.config, o.team_id, o.user_id).await
}

/// Makes the link (also `ladder me invite`, run by whoever holds the database): refused while
/// the team has its most supervisors.
pub async fn issue(db: &Db, config: &Config, team: TeamId, by: UserId) -> ApiResult<SupervisorLink> {
    if store::active_count(db, team).await? >= MAX_SUPERVISORS {
        return Err(full());
    }
    let token = auth::new_secret();
    let now = Utc::now();
    let expires_at = now + Duration::days(config.supervisor_link_days);
    store::replace_invite(db, team, by, &auth::hash_secret(&token), now, expires_at).await?;
    let link = format!("{}/supervise/{token}", config.public_url.trim_end_matches('/'));
    Ok(SupervisorLink { link, expires_at })
}

fn full() -> ApiError {
    ApiError::conflict(format!(
        "a personal Ladder has at most {MAX_SUPERVISORS} supervisors: remove one before inviting another"
    ))
}

/// Revokes the waiting link; 404 if there was none.
pub async fn revoke(state: &AppState, me: &Me) -> ApiResult<()> {
    let o = owner(state, me).await?;
    if store::revoke_invite(&state.db, o.team_id).await? {
        Ok(())
    } else {
        Err(ApiError::not_found("supervisor link"))
    }
}

/// Removes a supervisor: their account is disabled and signed out everywhere.
pub async fn remove(state: &AppState, me: &Me, user: UserId) -> ApiResult<()> {
    let o = owner(state, me).await?;
    let theirs = store::of_team(&state.db, o.team_id).await?;
    if !theirs.iter().any(|s| s.user_id == user) {
        return Err(ApiError::not_found("supervisor"));
    }
    ladder_store::users::set_disabled(&state.db, user, true).await?;
    Ok(())
}

fn link_gone() -> ApiError {
    ApiError::not_found("supervisor link (it may be used, revoked or expired)")
}

/// Whose Ladder a link invites to (their name), while it works.
pub async fn invited_by(state: &AppState, token: &str) -> ApiResult<String> {
    limits::check_line("token", token, limits::SECRET).map_err(|_| link_gone())?;
    let team = store::invite_team(&state.db, &auth::hash_secret(token), Utc::now()).await?.ok_or_else(link_gone)?;
    let owner = personal::owner(&state.db).await?.filter(|o| o.team_id == team).ok_or_else(link_gone)?;
    Ok(ladder_store::org::employee(&state.db, owner.employee_id).await?.name)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct JoinAsSupervisor {
    pub token: String,
    pub name: String,
    pub email: String,
    pub password: String,
}

/// Uses the link up and makes the supervisor's account; every field is checked first, and a
/// refused one leaves the link working.
pub async fn join(state: &AppState, body: &JoinAsSupervisor) -> ApiResult<UserId> {
    invited_by(state, &body.token).await?;
    limits::check_line("name", &body.name, limits::NAME)?;
    if body.name.trim().is_empty() {
        return Err(ApiError::invalid("name", "is empty"));
    }
    limits::check_line("email", &body.email, limits::EMAIL)?;
    let address: lettre::Address =
        body.email.trim().parse().map_err(|_| ApiError::invalid("email", "is not an e-mail address"))?;
    let email = address.to_string().to_lowercase();
    if ladder_store::users::user_by_email(&state.db, &email).await?.is_some() {
        return Err(ApiError::invalid("email", "has an account here already; use another e-mail"));
    }
    limits::check_text("password", &body.password, limits::PASSWORD)?;
    auth::check_new_password(&body.password, Some(&email))?;
    let hash = auth::hash_password(&body.password)?;
    let (organisation_id, ..) = ladder_store::org::organisation(&state.db).await?.ok_or_else(link_gone)?;
    let s = NewSupervisor { organisation_id, email: &email, name: body.name.trim(), password_hash: &hash };
    match store::join(&state.db, &auth::hash_secret(&body.token), &s, MAX_SUPERVISORS, Utc::now()).await {
        Ok(id) => Ok(id),
        Err(JoinRefused::LinkGone) => Err(link_gone()),
        Err(JoinRefused::Full { .. }) => Err(full()),
        Err(JoinRefused::Store(e)) => Err(e.into()),
    }
}
