//! Account pages: invitation acceptance, password change, sessions, API tokens, the calendar
//! (download and secret feed) and the reminder e-mails.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use ladder_store::users::ApiToken;
use serde::Deserialize;

use super::{form_again, message_page, AnonymousForm, CsrfForm, Nav, Page, PageResult, WebUser};
use crate::anonymous::FormToken;
use crate::service::accounts::{self, CreatedToken};
use crate::service::calendar::{self, FeedLinks};
use crate::service::mail::{self, MailKind, MailSetting};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    nav: Option<Nav>,
    csrf: String,
    error: Option<String>,
}

pub async fn invite_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match FormToken::for_browser(&state, &headers).await {
        Ok(form) => form.attach(Page(InvitePage { nav: None, csrf: form.token.clone(), error: None }).into_response()),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    password: String,
}

pub async fn accept_invite(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    AnonymousForm(f): AnonymousForm<PasswordForm>,
) -> Response {
    match accounts::accept_invitation(&state, &token, &f.password).await {
        Ok(()) => message_page(StatusCode::OK, "Password set", "Your account is ready.", Some(("/signin", "Sign in"))),
        Err(e) => {
            // Without a token the form could not be sent again: say so (and log why) instead.
            let form = match FormToken::for_browser(&state, &headers).await {
                Ok(form) => form,
                Err(failed) => return failed.into_response(),
            };
            let page = InvitePage { nav: None, csrf: form.token.clone(), error: Some(e.message.clone()) };
            form.attach(e.attach_cause((e.status, Page(page)).into_response()))
        }
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    nav: Option<Nav>,
    csrf: String,
    name: String,
    email: String,
    access: String,
    tokens: Vec<ApiToken>,
    new_token: Option<CreatedToken>,
    notice: Option<String>,
    error: Option<String>,
    /// The calendar needs a personal record.
    has_record: bool,
    feed_made: Option<chrono::DateTime<chrono::Utc>>,
    new_feed: Option<FeedLinks>,
    mail: Vec<MailSetting>,
    /// The person of a personal Ladder, who may invite a supervisor.
    personal_owner: bool,
}

async fn account_page(
    state: &AppState,
    user: &WebUser,
    new_token: Option<CreatedToken>,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult<Page<AccountPage>> {
    let tokens = ladder_store::users::api_tokens(&state.db, user.me.user.id).await?;
    let owner = ladder_store::org::personal::owner(&state.db).await?;
    Ok(Page(AccountPage {
        personal_owner: owner.is_some_and(|o| o.user_id == user.me.user.id),
        has_record: user.me.user.employee_id.is_some(),
        feed_made: ladder_store::calendar_feeds::made_at(&state.db, user.me.user.id).await?,
        new_feed: None,
        mail: mail::settings(state, &user.me).await?,
        nav: Some(Nav::new(user, "/account")),
        csrf: user.csrf.clone(),
        name: user.me.user.name.clone(),
        email: user.me.user.email.clone(),
        access: user.me.user.access.clone(),
        tokens,
        new_token,
        notice,
        error,
    }))
}

pub async fn show(State(state): State<AppState>, user: WebUser) -> PageResult<impl IntoResponse> {
    account_page(&state, &user, None, None, None).await
}

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(f): CsrfForm<ChangePasswordForm>,
) -> PageResult<Response> {
    match accounts::change_password(&state, &user.me, &f.current_password, &f.new_password).await {
        Ok(epoch) => {
            user.session.insert("epoch", epoch).await.ok();
            let notice = "Password changed; your other sessions were signed out.";
            Ok(account_page(&state, &user, None, Some(notice.into()), None).await?.into_response())
        }
        Err(e) => form_again(e, |error| account_page(&state, &user, None, None, Some(error))).await,
    }
}

pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> PageResult<Redirect> {
    crate::service::accounts::sign_out_everywhere(&state, &user.me).await?;
    user.session.flush().await.ok();
    Ok(Redirect::to("/signin"))
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(f): CsrfForm<TokenForm>,
) -> PageResult<Response> {
    match accounts::create_token(&state, &user.me, &f.name).await {
        Ok(t) => Ok(account_page(&state, &user, Some(t), None, None).await?.into_response()),
        Err(e) => form_again(e, |error| account_page(&state, &user, None, None, Some(error))).await,
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> PageResult<Redirect> {
    ladder_store::users::revoke_api_token(&state.db, user.me.user.id, id).await?;
    Ok(Redirect::to("/account"))
}

/// One's calendar as a file to import.
pub async fn download_calendar(State(state): State<AppState>, user: WebUser) -> PageResult<Response> {
    Ok(crate::api::personal::ics(calendar::own(&state, &user.me).await?, true))
}

/// A new secret feed address, shown once on the account page.
pub async fn new_feed(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> PageResult<Response> {
    let links = calendar::new_feed(&state, &user.me).await?;
    let mut page = account_page(&state, &user, None, None, None).await?;
    page.0.new_feed = Some(links);
    Ok(page.into_response())
}

pub async fn revoke_feed(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> PageResult<Response> {
    calendar::revoke_feed(&state, &user.me).await?;
    let notice = "Calendar feed revoked: its address no longer works.";
    Ok(account_page(&state, &user, None, Some(notice.into()), None).await?.into_response())
}

/// The reminder e-mail checkboxes: a kind left unticked is turned off.
pub async fn set_mail(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(f): CsrfForm<std::collections::HashMap<String, String>>,
) -> PageResult<Response> {
    let off: Vec<String> =
        MailKind::ALL.iter().filter(|k| !f.contains_key(k.as_str())).map(|k| k.as_str().to_string()).collect();
    mail::set_off(&state, &user.me, &off).await?;
    let notice = "Reminder e-mails saved.";
    Ok(account_page(&state, &user, None, Some(notice.into()), None).await?.into_response())
}

/// A calendar feed at its secret address (`/calendar/TOKEN.ics`), for calendar apps: no sign-in.
pub async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    match calendar::feed(&state, token).await {
        Ok(text) => crate::api::personal::ics(text, false),
        Err(e) => e.into_response(),
    }
}
