//! Leaving an organisation (issue 30): HR closes a person's account, and the person gets a
//! one-time link to download their record, valid for `Config::leaver_link_days`. Opening the
//! link shows what it gives and until when ([`offer`]); only the download itself ([`download`],
//! a POST) spends it, so a mail client's or chat app's link preview cannot. The person may type
//! their own Ladder password there to take their private log entries too.

use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use ladder_core::access::{Access, Action};
use ladder_core::EmployeeId;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{self, Me};
use crate::error::{ApiError, ApiResult};
use crate::service::record::{self, RecordFormat};
use crate::state::AppState;
use ladder_store::leaver_links::Pending;

/// The link HR hands to a person who left: shown once, never stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeaverLink {
    #[schema(value_type = i64)]
    pub employee_id: EmployeeId,
    pub link: String,
    pub expires_at: DateTime<Utc>,
}

/// Closes a person's account as a leaver (inactive from today, their user disabled and signed
/// out) and makes the one-time link to their record (HR and administrators).
pub async fn close_as_leaver(state: &AppState, me: &Me, id: EmployeeId) -> ApiResult<LeaverLink> {
    let employee = ladder_store::org::employee(&state.db, id).await.map_err(|e| match e {
        ladder_store::StoreError::NotFound => ApiError::not_found("employee"),
        other => other.into(),
    })?;
    let account = account_of(state, id).await?;
    me.require(Action::CloseAsLeaver { person: employee.placement(), account })?;
    let already_left = || ApiError::conflict(format!("{} has already left", employee.code));
    if !employee.active {
        return Err(already_left());
    }
    let token = auth::new_secret();
    let now = Utc::now();
    let expires_at = now + Duration::days(state.config.leaver_link_days);
    let leaver = ladder_store::leaver_links::Leaver {
        employee: id,
        left_on: now.date_naive(),
        token_hash: auth::hash_secret(&token),
        by: Some(me.user.id),
        expires_at,
    };
    ladder_store::leaver_links::close_as_leaver(&state.db, &leaver).await.map_err(|e| match e {
        ladder_store::StoreError::Conflict(why) if why == ladder_store::leaver_links::ALREADY_LEFT => already_left(),
        ladder_store::StoreError::Conflict(why) => ApiError::conflict(why),
        other => other.into(),
    })?;
    let link = format!("{}/leaver/{token}", state.config.public_url.trim_end_matches('/'));
    Ok(LeaverLink { employee_id: id, link, expires_at })
}

/// The access of the person's user account, if they have one: HR and administrator accounts are
/// an administrator's to close.
pub async fn account_of(state: &AppState, id: EmployeeId) -> ApiResult<Option<Access>> {
    let user = ladder_store::users::user_of_employee(&state.db, id).await?;
    Ok(user.and_then(|u| Access::parse(&u.access)))
}

/// What an unused link gives: whose record, until when, and whether a password can add the
/// private entries (only for a person who had an account with a password).
#[derive(Debug, Clone)]
pub struct Offer {
    pub name: String,
    pub expires_at: DateTime<Utc>,
    pub has_password: bool,
}

/// Every link that does not work (spent, expired, unknown, malformed) is the same 410, so a
/// link cannot be probed.
pub fn gone() -> ApiError {
    ApiError::new(StatusCode::GONE, "gone", "this download link no longer works (it works once, within its time)")
}

/// The link while it works; nothing is spent.
async fn pending(state: &AppState, token: &str) -> ApiResult<Pending> {
    if token.len() > ladder_core::limits::SECRET || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(gone());
    }
    let found = ladder_store::leaver_links::pending(&state.db, &auth::hash_secret(token), Utc::now()).await?;
    found.ok_or_else(gone)
}

/// What the link at `token` gives, without spending it.
pub async fn offer(state: &AppState, token: &str) -> ApiResult<Offer> {
    let link = pending(state, token).await?;
    let employee = ladder_store::org::employee(&state.db, link.employee_id).await?;
    Ok(Offer { name: employee.name, expires_at: link.expires_at, has_password: link.password_hash.is_some() })
}

/// Spends the link and returns the record as a ZIP (`record.json` and a CSV per part). Without
/// a password the log's shared entries only (HR handed the link over and could open it too);
/// with the person's own password, checked under the sign-in throttle for `client`, the private
/// ones too. A wrong password is an error that leaves the link unspent.
pub async fn download(state: &AppState, token: &str, password: Option<&str>, client: &str) -> ApiResult<Response> {
    let link = pending(state, token).await?;
    let id = link.employee_id;
    let password = password.filter(|p| !p.is_empty());
    if let Some(password) = password {
        let no_account =
            || ApiError::invalid("password", "there is no Ladder password for this record; leave it empty");
        let user = ladder_store::users::user_of_employee(&state.db, id).await?.ok_or_else(no_account)?;
        // Checked against the password the person had when they left, not the account's now.
        let kept = link.password_hash.as_deref().ok_or_else(no_account)?;
        auth::check_password(state, &user.email, kept, password, client).await?;
    }
    // Spending is one statement that checks too: of two downloads at once, one wins.
    let spent = ladder_store::leaver_links::take(&state.db, &auth::hash_secret(token), Utc::now()).await?;
    if spent != Some(id) {
        return Err(gone());
    }
    let full = ladder_store::person_record::read(&state.db, id).await?;
    let record = if password.is_some() { full } else { full.without_private_entries() };
    record::download(&record, RecordFormat::Zip, &state.framework)
}
