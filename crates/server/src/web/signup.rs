//! Self sign-up pages (issue 30): the form that mails a confirmation link, and the link's page
//! that sets the password and makes the account. Both are 404 while self sign-up is off.

use askama::Template;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{message_page, AnonymousForm, Nav, Page};
use crate::anonymous::FormToken;
use crate::error::ApiError;
use crate::service::signup;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    nav: Option<Nav>,
    csrf: String,
    email: String,
    name: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "signup_confirm.html")]
struct ConfirmPage {
    nav: Option<Nav>,
    csrf: String,
    email: String,
    name: String,
    error: Option<String>,
}

/// A page with a fresh form token, or the error that prevented it.
async fn with_form(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    page: impl FnOnce(String) -> Response,
) -> Response {
    match FormToken::for_browser(state, headers).await {
        Ok(form) => {
            let mut response = page(form.token.clone());
            *response.status_mut() = status;
            form.attach(response)
        }
        Err(e) => e.into_response(),
    }
}

fn off(state: &AppState) -> Option<Response> {
    (!state.config.self_signup).then(|| ApiError::not_found("page").into_response())
}

pub async fn form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(r) = off(&state) {
        return r;
    }
    with_form(&state, &headers, StatusCode::OK, |csrf| {
        Page(SignupPage { nav: None, csrf, email: String::new(), name: String::new(), error: None }).into_response()
    })
    .await
}

#[derive(Deserialize)]
pub struct SignupForm {
    email: String,
    name: String,
}

pub async fn start(
    State(state): State<AppState>,
    headers: HeaderMap,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    AnonymousForm(f): AnonymousForm<SignupForm>,
) -> Response {
    match signup::start(&state, &f.email, &f.name, &addr.ip().to_string()).await {
        Ok(()) => message_page(
            StatusCode::OK,
            "Check your e-mail",
            "We sent a link to confirm your e-mail; it works once, for 24 hours.",
            Some(("/explore", "Explore careers meanwhile")),
        ),
        Err(e) if e.status == StatusCode::NOT_FOUND => e.into_response(),
        Err(e) => {
            let error = Some(e.message.clone());
            let page = |csrf| Page(SignupPage { nav: None, csrf, email: f.email, name: f.name, error }).into_response();
            e.attach_cause(with_form(&state, &headers, e.status, page).await)
        }
    }
}

pub async fn confirm_form(State(state): State<AppState>, headers: HeaderMap, Path(token): Path<String>) -> Response {
    match signup::pending(&state, &token).await {
        Ok(s) => {
            let page =
                |csrf| Page(ConfirmPage { nav: None, csrf, email: s.email, name: s.name, error: None }).into_response();
            with_form(&state, &headers, StatusCode::OK, page).await
        }
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    password: String,
}

pub async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    AnonymousForm(f): AnonymousForm<PasswordForm>,
) -> Response {
    match signup::confirm(&state, &token, &f.password).await {
        Ok(_) => {
            message_page(StatusCode::OK, "Account ready", "Your Ladder account is ready.", Some(("/signin", "Sign in")))
        }
        Err(e) if e.status == StatusCode::NOT_FOUND => e.into_response(),
        Err(e) => {
            let Ok(s) = signup::pending(&state, &token).await else { return e.into_response() };
            let error = Some(e.message.clone());
            let page =
                |csrf| Page(ConfirmPage { nav: None, csrf, email: s.email, name: s.name, error }).into_response();
            e.attach_cause(with_form(&state, &headers, e.status, page).await)
        }
    }
}
