//! A person's own job hunt as pages (issue 28): saving the `/jobs` search under a name, opening
//! and deleting a saved one, and the private tracker of outside applications (`/jobs/tracker`).
//! Only the owner's items are ever read; the service refuses anyone else's.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;

use super::pager::PageAt;
use super::{CsrfForm, Nav, Page, PageResult, WebUser};
use crate::error::ApiError;
use crate::service::postings::tracker::{self as service, SearchInput, TrackInput, TrackedView, STAGES};
use crate::state::AppState;

type Form = Vec<(String, String)>;

fn field(form: &Form, k: &str) -> Option<String> {
    form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// A field sent, even blank (blank clears it); `None` when the form has no such field.
fn sent(form: &Form, k: &str) -> Option<String> {
    form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string())
}

fn message(e: &ApiError) -> String {
    match &e.field {
        Some(f) => format!("{f}: {}", e.message),
        None => e.message.clone(),
    }
}

/// Saves the search shown on `/jobs`, then shows it again.
pub async fn save_search(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(form): CsrfForm<Form>,
) -> PageResult<Response> {
    let input = SearchInput {
        name: field(&form, "name").unwrap_or_default(),
        query: field(&form, "query").unwrap_or_default(),
    };
    match service::save_search(&state, &user.me, &input).await {
        Ok(saved) => Ok(Redirect::to(&format!("/jobs/searches/{}", saved.id)).into_response()),
        Err(e) if e.status.is_client_error() && e.status != StatusCode::FORBIDDEN => {
            let q = service::parse_query(&input.query).unwrap_or_default();
            let shown = super::jobs::page(&state, &user, q, PageAt::default(), None, Some(message(&e))).await?;
            Ok((e.status, shown).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Opens a saved search: its postings count as seen from now.
pub async fn open_search(State(state): State<AppState>, user: WebUser, Path(id): Path<i64>) -> PageResult<Response> {
    let query = service::open_search(&state, &user.me, id).await?;
    Ok(Redirect::to(&format!("/jobs?{query}")).into_response())
}

pub async fn delete_search(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Form>,
) -> PageResult<Response> {
    service::delete_search(&state, &user.me, id).await?;
    Ok(Redirect::to("/jobs#saved-h").into_response())
}

#[derive(Template)]
#[template(path = "jobs_tracker.html")]
struct TrackerPage {
    nav: Option<Nav>,
    csrf: String,
    items: Vec<TrackedView>,
    stages: [&'static str; 6],
    error: Option<String>,
}

impl TrackerPage {
    fn day(&self, d: &Option<NaiveDate>) -> String {
        d.map(|d| d.to_string()).unwrap_or_default()
    }
    fn text(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
}

async fn tracker_page(state: &AppState, user: &WebUser, error: Option<String>) -> PageResult<Page<TrackerPage>> {
    Ok(Page(TrackerPage {
        nav: Some(Nav::new(user, "/jobs")),
        csrf: user.csrf.clone(),
        items: service::applications(state, &user.me).await?,
        stages: STAGES,
        error,
    }))
}

pub async fn tracker(State(state): State<AppState>, user: WebUser) -> PageResult<Page<impl Template>> {
    tracker_page(&state, &user, None).await
}

/// The form's fields as the API's input; a day that does not read is refused naming its field.
fn input_of(form: &Form) -> Result<TrackInput, ApiError> {
    // A date field sent blank clears it; one the form lacks keeps its value.
    let day = |k: &str| -> Result<Option<Option<NaiveDate>>, ApiError> {
        let read = |v: String| v.parse().map_err(|_| ApiError::invalid(k, "a day as YYYY-MM-DD"));
        sent(form, k).map(|v| if v.is_empty() { Ok(None) } else { read(v).map(Some) }).transpose()
    };
    let posting_id = field(form, "posting_id")
        .map(|v| v.parse::<i64>().map_err(|_| ApiError::invalid("posting_id", "a posting's number")))
        .transpose()?;
    Ok(TrackInput {
        posting_id,
        title: field(form, "title"),
        organisation: sent(form, "organisation"),
        url: sent(form, "url"),
        stage: field(form, "stage"),
        saved_on: day("saved_on")?,
        applied_on: day("applied_on")?,
        interview_on: day("interview_on")?,
        offer_on: day("offer_on")?,
        closed_on: day("closed_on")?,
        remind_on: day("remind_on")?,
        note: sent(form, "note"),
    })
}

/// After a write: the tracker at the item, or the tracker again with what was refused.
async fn after(state: &AppState, user: &WebUser, done: Result<TrackedView, ApiError>) -> PageResult<Response> {
    match done {
        Ok(t) => Ok(Redirect::to(&format!("/jobs/tracker#app-{}", t.id)).into_response()),
        Err(e)
            if e.status.is_client_error() && e.status != StatusCode::FORBIDDEN && e.status != StatusCode::NOT_FOUND =>
        {
            Ok((e.status, tracker_page(state, user, Some(message(&e))).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn track(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(form): CsrfForm<Form>,
) -> PageResult<Response> {
    let mut input = match input_of(&form) {
        Ok(i) => i,
        Err(e) => return after(&state, &user, Err(e)).await,
    };
    // From a posting: blank company and url mean "as the posting says".
    if input.posting_id.is_some() {
        input.organisation = input.organisation.filter(|o| !o.is_empty());
        input.url = input.url.filter(|u| !u.is_empty());
    }
    let done = service::track(&state, &user.me, &input).await;
    after(&state, &user, done).await
}

pub async fn update(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<Form>,
) -> PageResult<Response> {
    let done = match input_of(&form) {
        Ok(input) => service::update_application(&state, &user.me, id, &input).await,
        Err(e) => Err(e),
    };
    after(&state, &user, done).await
}

pub async fn delete(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Form>,
) -> PageResult<Response> {
    service::delete_application(&state, &user.me, id).await?;
    Ok(Redirect::to("/jobs/tracker").into_response())
}
