//! "My record" (issue 30): what Ladder holds about me, part by part, and the downloads; and
//! the one-time link a person who left downloads their record through (no sign-in: the link
//! is the key).

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{message_page, AnonymousForm, Nav, Page, PageResult, WebUser};
use crate::anonymous::FormToken;
use crate::error::ApiError;
use crate::service::{leaver, record as service};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "record.html")]
struct RecordPage {
    nav: Option<Nav>,
    name: String,
    /// Each part with how many entries it holds (formatted).
    parts: Vec<(&'static str, String)>,
}

pub async fn show(State(state): State<AppState>, user: WebUser) -> PageResult<impl IntoResponse> {
    let r = service::own_record(&state, &user.me).await?;
    let parts = vec![
        ("Roles held", r.work.len()),
        ("KRA plans", r.kra_plans.len()),
        ("Monthly KRA figures", r.figures.len()),
        ("Monthly scores", r.scores.len()),
        ("Career plan", usize::from(r.career_plan.is_some())),
        ("Goals of my own", r.goals.len()),
        ("Log entries (private ones too)", r.log.len()),
        ("Skill assessments", r.skills.len()),
        ("Certifications", r.certifications.len()),
        ("Training", r.training.len()),
        ("Check-ins", r.checkins.len()),
        ("Coaching notes to me", r.coaching_notes.len()),
        ("Internal applications", r.applications.len()),
    ];
    let parts = parts.into_iter().map(|(part, n)| (part, crate::web::format::thousands(n as u64))).collect();
    Ok(Page(RecordPage { nav: Some(Nav::new(&user, "/record")), name: r.person.name, parts }))
}

#[derive(Template)]
#[template(path = "leaver.html")]
struct LeaverPage {
    nav: Option<Nav>,
    csrf: String,
    name: String,
    /// When the link stops working, in words (UTC).
    until: String,
    has_password: bool,
    max_password: usize,
    error: Option<String>,
}

/// The page of a link that no longer works (spent, expired or unknown).
fn link_gone() -> Response {
    message_page(
        StatusCode::GONE,
        "This link no longer works",
        "A record link works once, and only for a set time after an account is closed. Ask HR for your record.",
        None,
    )
}

/// A leaver's link page (with `error` after a refused try), or the page saying it no longer works.
async fn leaver_page(state: &AppState, headers: &HeaderMap, token: &str, error: Option<ApiError>) -> Response {
    let offer = match leaver::offer(state, token).await {
        Ok(offer) => offer,
        Err(e) if e.status == StatusCode::GONE => return link_gone(),
        Err(e) => return e.into_response(),
    };
    let form = match FormToken::for_browser(state, headers).await {
        Ok(form) => form,
        Err(e) => return e.into_response(),
    };
    let page = LeaverPage {
        nav: None,
        csrf: form.token.clone(),
        name: offer.name,
        until: offer.expires_at.format("%-d %B %Y, %H:%M UTC").to_string(),
        has_password: offer.has_password,
        max_password: ladder_core::limits::PASSWORD,
        error: error.as_ref().map(|e| e.message.clone()),
    };
    // No cache keeps it and no Referer passes the address on: `crate::headers` sees to both.
    let mut response = Page(page).into_response();
    match error {
        Some(e) => {
            *response.status_mut() = e.status;
            form.attach(e.attach_cause(response))
        }
        None => form.attach(response),
    }
}

/// A leaver's one-time link, opened: what it gives and until when, and the button that spends
/// it. Opening it (a link preview does) spends nothing.
pub async fn leaver(State(state): State<AppState>, headers: HeaderMap, Path(token): Path<String>) -> Response {
    leaver_page(&state, &headers, &token, None).await
}

#[derive(Deserialize)]
pub struct LeaverForm {
    #[serde(default)]
    password: Option<String>,
}

/// The download: spends the link and sends the ZIP; a wrong password shows the page again with
/// the link unspent.
pub async fn leaver_download(
    State(state): State<AppState>,
    headers: HeaderMap,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    AnonymousForm(f): AnonymousForm<LeaverForm>,
) -> Response {
    match leaver::download(&state, &token, f.password.as_deref(), &addr.ip().to_string()).await {
        Ok(file) => file,
        Err(e) if e.status == StatusCode::GONE => link_gone(),
        Err(e) if e.status.is_client_error() => leaver_page(&state, &headers, &token, Some(e)).await,
        Err(e) => e.into_response(),
    }
}
