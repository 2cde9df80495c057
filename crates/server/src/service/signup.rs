//! Self sign-up (issue 30), off unless `Config::self_signup`: a visitor gives an e-mail and a
//! name, gets a one-time link by mail (its hash stored, valid for a day), and sets a password
//! there, which makes an account with no employee record: the explorer and the jobs, until HR
//! links it to one (`link_account`). Starting a sign-up is throttled per address and per e-mail.

use chrono::{Duration, Utc};
use ladder_core::access::{Access, Action};
use ladder_core::throttle::Rule;
use ladder_core::{EmployeeId, UserId};
use ladder_store::signups::Signup;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{self, Me};
use crate::error::{ApiError, ApiResult};
use crate::service::accounts::UserRow;
use crate::service::limits;
use crate::state::AppState;

/// How long a confirmation link works.
pub const LINK_VALID: Duration = Duration::hours(24);
/// Sign-ups an address may start in an hour (an office shares one) and an e-mail may get.
const PER_ADDRESS: i64 = 20;
const PER_EMAIL: i64 = 3;

/// Not found while self sign-up is off: the pages do not exist.
fn require_on(state: &AppState) -> ApiResult<()> {
    if state.config.self_signup {
        Ok(())
    } else {
        Err(ApiError::not_found("page"))
    }
}

/// Starts a sign-up and mails its link. An e-mail that has an account already gets a note
/// saying so instead, and the visitor sees the same answer either way.
pub async fn start(state: &AppState, email: &str, name: &str, client: &str) -> ApiResult<()> {
    require_on(state)?;
    limits::check_line("email", email, limits::EMAIL)?;
    // A bare address only (no display name), kept and throttled in one lower-case form.
    let address: lettre::Address =
        email.trim().parse().map_err(|_| ApiError::invalid("email", "is not an e-mail address"))?;
    let email = address.to_string().to_lowercase();
    limits::check_line("name", name, limits::NAME)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::invalid("name", "is empty"));
    }
    throttle(state, &email, client).await?;
    let base = state.config.public_url.trim_end_matches('/');
    if ladder_store::users::user_by_email(&state.db, &email).await?.is_some() {
        let body = format!(
            "Hello,\n\nSomeone asked to sign up to Ladder with this e-mail, which has an account already. \
             Sign in at {base}/signin. If it was not you, ignore this e-mail.\n"
        );
        return send(state, &email, "You already have a Ladder account", body).await;
    }
    let token = auth::new_secret();
    let now = Utc::now();
    ladder_store::signups::start(&state.db, &email, name, &auth::hash_secret(&token), now, now + LINK_VALID).await?;
    let body = format!(
        "Hello,\n\nConfirm your e-mail and choose a password to start your own Ladder:\n\n{base}/signup/{token}\n\n\
         The link works once, for 24 hours. If you did not ask for it, ignore this e-mail.\n"
    );
    send(state, &email, "Confirm your Ladder sign-up", body).await
}

async fn send(state: &AppState, to: &str, subject: &str, body: String) -> ApiResult<()> {
    state.mailer.send(to, subject, body).await.map_err(ApiError::internal)
}

async fn throttle(state: &AppState, email: &str, client: &str) -> ApiResult<()> {
    let now = Utc::now();
    let rule = |limit| Rule { limit, window: Duration::hours(1), backoff: false };
    for (key, limit) in [(format!("signup-client:{client}"), PER_ADDRESS), (format!("signup-email:{email}"), PER_EMAIL)]
    {
        if let Err(wait) = ladder_store::throttle::count_attempt(&state.db, &key, rule(limit), now).await? {
            let wait = ladder_core::throttle::wait_in_words(wait);
            return Err(ApiError::new(
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                format!("too many sign-ups; try again in {wait}"),
            ));
        }
    }
    Ok(())
}

fn link_gone() -> ApiError {
    ApiError::not_found("sign-up link (it may be used or expired)")
}

/// The sign-up a link confirms, while it is unused and unexpired.
pub async fn pending(state: &AppState, token: &str) -> ApiResult<Signup> {
    require_on(state)?;
    limits::check_line("token", token, limits::SECRET).map_err(|_| link_gone())?;
    ladder_store::signups::pending(&state.db, &auth::hash_secret(token), Utc::now()).await?.ok_or_else(link_gone)
}

/// Confirms a sign-up: uses its link up and makes the account with this password, in one
/// transaction.
pub async fn confirm(state: &AppState, token: &str, password: &str) -> ApiResult<UserId> {
    let signup = pending(state, token).await?;
    limits::check_text("password", password, limits::PASSWORD)?;
    auth::check_new_password(password, Some(&signup.email))?;
    let hash = auth::hash_password(password)?;
    let (organisation_id, ..) = ladder_store::org::organisation(&state.db)
        .await?
        .ok_or_else(|| ApiError::conflict("this Ladder holds no organisation yet; ask its administrator"))?;
    // A taken e-mail is a conflict, and the link stays unused.
    let token_hash = auth::hash_secret(token);
    let made = ladder_store::signups::confirm(&state.db, &token_hash, Utc::now(), organisation_id, &hash).await?;
    made.ok_or_else(link_gone)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LinkAccount {
    /// The employee record to link the account to (one that has no account yet).
    #[schema(value_type = i64)]
    pub employee_id: EmployeeId,
}

/// Links an account without an employee record to one (HR and administrators): a self sign-up
/// who turns out to work here, or joins.
pub async fn link_account(state: &AppState, me: &Me, user_id: UserId, body: &LinkAccount) -> ApiResult<UserRow> {
    me.require(Action::LinkAccount)?;
    let user = ladder_store::users::user(&state.db, user_id).await?;
    if user.employee_id.is_some() {
        return Err(ApiError::conflict("this account is linked to an employee record already"));
    }
    if user.access() != Access::Agent {
        return Err(ApiError::invalid("user", "only agents' accounts are linked this way; invite others"));
    }
    ladder_store::org::employee(&state.db, body.employee_id)
        .await
        .map_err(|_| ApiError::invalid("employee_id", "no such employee"))?;
    ladder_store::users::link_employee(&state.db, user_id, body.employee_id).await?;
    Ok(UserRow::of(ladder_store::users::user(&state.db, user_id).await?))
}
