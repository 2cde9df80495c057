//! "My record" (issue 30): what Ladder holds about me, part by part, and the downloads; and
//! the one-time link a person who left downloads their record through (no sign-in: the link
//! is the key).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{message_page, Nav, Page, PageResult, WebUser};
use crate::service::record as service;
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

/// A leaver's one-time download: the ZIP, or a page saying the link no longer works.
pub async fn leaver(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match service::leaver_download(&state, &token).await {
        Ok(file) => file,
        Err(e) if e.status == StatusCode::NOT_FOUND => message_page(
            StatusCode::NOT_FOUND,
            "This link no longer works",
            "A record link works once, and only for a set time after an account is closed. Ask HR for your record.",
            None,
        ),
        Err(e) => e.into_response(),
    }
}
