//! A personal Ladder's supervisor pages (issue 30): the person's page under Account (make or
//! revoke the link, remove a supervisor) and the link's page, where the supervisor joins.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ladder_core::UserId;
use serde::Deserialize;

use super::{message_page, AnonymousForm, CsrfForm, Nav, Page, PageResult, WebUser};
use crate::anonymous::FormToken;
use crate::error::ApiError;
use crate::service::supervisor::{self, JoinAsSupervisor, SupervisorLink, Supervisors};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "supervisor.html")]
struct SupervisorPage {
    nav: Option<Nav>,
    csrf: String,
    view: Supervisors,
    new_link: Option<SupervisorLink>,
    notice: Option<String>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    user: &WebUser,
    new_link: Option<SupervisorLink>,
    notice: Option<&str>,
) -> PageResult<Page<SupervisorPage>> {
    Ok(Page(SupervisorPage {
        nav: Some(Nav::new(user, "/account")),
        csrf: user.csrf.clone(),
        view: supervisor::overview(state, &user.me).await?,
        new_link,
        notice: notice.map(str::to_string),
        error: None,
    }))
}

pub async fn show(State(state): State<AppState>, user: WebUser) -> PageResult<impl IntoResponse> {
    page(&state, &user, None, None).await
}

pub async fn invite(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> PageResult<Response> {
    match supervisor::invite(&state, &user.me).await {
        Ok(link) => Ok(page(&state, &user, Some(link), None).await?.into_response()),
        Err(e) if e.status == StatusCode::CONFLICT => {
            let mut again = page(&state, &user, None, None).await?;
            again.0.error = Some(e.message.clone());
            Ok((StatusCode::CONFLICT, again).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> PageResult<Response> {
    supervisor::revoke(&state, &user.me).await?;
    Ok(page(&state, &user, None, Some("Link revoked: it no longer works.")).await?.into_response())
}

pub async fn remove(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<UserId>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> PageResult<Response> {
    supervisor::remove(&state, &user.me, id).await?;
    let notice = "Supervisor removed: their account is disabled.";
    Ok(page(&state, &user, None, Some(notice)).await?.into_response())
}

#[derive(Template)]
#[template(path = "supervise.html")]
struct JoinPage {
    nav: Option<Nav>,
    csrf: String,
    owner: String,
    name: String,
    email: String,
    error: Option<String>,
}

/// The link's page: who invites, and the form to join.
pub async fn join_form(State(state): State<AppState>, headers: HeaderMap, Path(token): Path<String>) -> Response {
    let owner = match supervisor::invited_by(&state, &token).await {
        Ok(owner) => owner,
        Err(e) => return error_page(e),
    };
    match FormToken::for_browser(&state, &headers).await {
        Ok(form) => {
            let page = JoinPage {
                nav: None,
                csrf: form.token.clone(),
                owner,
                name: String::new(),
                email: String::new(),
                error: None,
            };
            form.attach(Page(page).into_response())
        }
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
pub struct JoinForm {
    name: String,
    email: String,
    password: String,
}

pub async fn join(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    AnonymousForm(f): AnonymousForm<JoinForm>,
) -> Response {
    let body = JoinAsSupervisor { token: token.clone(), name: f.name, email: f.email, password: f.password };
    match supervisor::join(&state, &body).await {
        Ok(_) => message_page(
            StatusCode::OK,
            "Account ready",
            "You are now a supervisor: sign in with your e-mail and password.",
            Some(("/signin", "Sign in")),
        ),
        Err(e) if e.status == StatusCode::NOT_FOUND => error_page(e),
        Err(e) => {
            let Ok(owner) = supervisor::invited_by(&state, &token).await else { return error_page(e) };
            let form = match FormToken::for_browser(&state, &headers).await {
                Ok(form) => form,
                Err(failed) => return failed.into_response(),
            };
            let page = JoinPage {
                nav: None,
                csrf: form.token.clone(),
                owner,
                name: body.name,
                email: body.email,
                error: Some(e.message.clone()),
            };
            form.attach(e.attach_cause((e.status, Page(page)).into_response()))
        }
    }
}

/// A link that does not work (spent, replaced, revoked, expired) as a page, not the API's JSON;
/// other errors as they are.
fn error_page(e: ApiError) -> Response {
    if e.status != StatusCode::NOT_FOUND {
        return e.into_response();
    }
    message_page(
        StatusCode::NOT_FOUND,
        "This link no longer works",
        "A supervisor link works once, for a few days, and a newer link replaces it. Ask for a new one.",
        None,
    )
}
