//! "To verify" (issue 26): the earned certifications waiting in a team leader's teams, a
//! QA/trainer's sites or (for HR and administrators) anywhere, oldest first, each with its
//! evidence and a verify or reject form; and the evidence files themselves.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use ladder_core::EmployeeId;
use serde::Deserialize;

use super::pager::cut_note;
use super::{form_again, CsrfForm, Nav, Page, PageResult, WebUser};
use crate::service::evidence::{self, DecisionInput, ToConfirm, ToVerify};
use crate::service::listing::PageSpec;
use crate::service::people::development_employee;
use crate::state::AppState;

/// How many of each list the page shows at once: the oldest, as they are worked through.
const VERIFY_PAGE: u32 = 200;

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    nav: Option<Nav>,
    csrf: String,
    items: Vec<ToVerify>,
    ratings: Vec<ToConfirm>,
    /// "the oldest 200 of 1,234" when the list runs past the page.
    items_cut: Option<String>,
    ratings_cut: Option<String>,
    error: Option<String>,
    /// What was just decided, said back.
    done: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyQuery {
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    user: WebUser,
    super::PageQuery(q): super::PageQuery<VerifyQuery>,
) -> PageResult<Page<impl Template>> {
    let done = q.done.filter(|d| matches!(d.as_str(), "verified" | "rejected" | "confirmed"));
    page(&state, &user, None, done).await
}

async fn page(
    state: &AppState,
    user: &WebUser,
    error: Option<String>,
    done: Option<String>,
) -> PageResult<Page<impl Template>> {
    let page = PageSpec::first(VERIFY_PAGE);
    let items = evidence::to_verify(state, &user.me, &page).await?;
    let ratings = evidence::to_confirm(state, &user.me, &page).await?;
    Ok(Page(VerifyPage {
        nav: Some(Nav::new(user, "/verify")),
        csrf: user.csrf.clone(),
        items_cut: cut_note(&items, "the oldest"),
        ratings_cut: cut_note(&ratings, "the oldest"),
        items: items.items,
        ratings: ratings.items,
        error,
        done,
    }))
}

#[derive(Deserialize)]
pub struct DecisionForm {
    decision: String,
    #[serde(default)]
    reason: String,
    /// The version of the evidence the page showed.
    version: String,
}

/// Verifies or rejects one certification, then the list again.
pub async fn decide(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, certification)): Path<(EmployeeId, String)>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> PageResult<Response> {
    let employee = development_employee(&state, &user.me, id).await?;
    let input = DecisionInput { decision: f.decision, reason: Some(f.reason), evidence_version: Some(f.version) };
    match evidence::decide(&state, &user.me, &employee, &certification, &input).await {
        Ok(saved) => {
            let done = saved.verification.map_or("verified", |v| v.as_str());
            Ok(Redirect::to(&format!("/verify?done={done}")).into_response())
        }
        Err(e) => {
            let field = e.field.as_deref().map(super::field_label);
            let message = |error: String| field.map_or_else(|| error.clone(), |f| format!("{f}: {error}"));
            // Refused with its own status (409 when the evidence changed), the list drawn again.
            let status = e.status;
            form_again(e, |error| async move {
                Ok::<_, super::PageError>((status, page(&state, &user, Some(message(error)), None).await?))
            })
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    level: i32,
}

/// A leader's or QA/trainer's assessment of a self-rated skill, then the list again.
pub async fn confirm_skill(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, skill)): Path<(EmployeeId, String)>,
    CsrfForm(f): CsrfForm<ConfirmForm>,
) -> PageResult<Response> {
    let employee = development_employee(&state, &user.me, id).await?;
    match crate::service::records::assess_skill(&state, &user.me, &employee, &skill, f.level).await {
        Ok(_) => Ok(Redirect::to("/verify?done=confirmed").into_response()),
        Err(e) => {
            let message = e.message.clone();
            form_again(e, |_| page(&state, &user, Some(format!("Level: {message}")), None)).await
        }
    }
}

/// An evidence file, as a download: whoever may see the person's development.
pub async fn file(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, certification)): Path<(EmployeeId, String)>,
) -> PageResult<Response> {
    let employee = development_employee(&state, &user.me, id).await?;
    let file = evidence::file(&state, &user.me, &employee, &certification).await?;
    Ok(crate::api::evidence::file_response(file))
}
