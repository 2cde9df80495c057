//! Mentoring and shadowing pages (issue 26): one's requests and the ones one pairs or mentors,
//! asking for a mentor or a shadowing day, pairing, and logging sessions.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use ladder_core::EmployeeId;
use serde::Deserialize;

use super::{field_label, form_again, CsrfForm, Nav, Page, PageResult, WebUser};
use crate::error::ApiError;
use crate::service::listing::PageSpec;
use crate::service::mentoring::{self as service, PairInput, RequestInput, RequestView, SessionInput, SessionView};
use crate::state::AppState;

/// How many requests the page lists: open ones first, then the newest.
const LIST_PAGE: u32 = 200;

#[derive(Template)]
#[template(path = "mentoring.html")]
struct MentoringPage {
    nav: Option<Nav>,
    csrf: String,
    key: String,
    has_record: bool,
    roles: Vec<(String, String)>,
    kind: String,
    target: String,
    note: String,
    requests: Vec<RequestView>,
    /// "the first 200 of 1,234" when there are more than the page shows.
    requests_cut: Option<String>,
    error: Option<String>,
}

pub async fn show(State(state): State<AppState>, user: WebUser) -> PageResult<Page<impl Template>> {
    list_page(&state, &user, RequestForm::default(), None).await
}

#[derive(Default, Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    target_role: String,
    #[serde(default)]
    note: String,
    #[serde(default, rename = "_key")]
    key: String,
}

async fn list_page(
    state: &AppState,
    user: &WebUser,
    form: RequestForm,
    error: Option<String>,
) -> PageResult<Page<impl Template>> {
    let requests = service::requests(state, &user.me, &PageSpec::first(LIST_PAGE)).await?;
    let mut target = form.target_role;
    if target.is_empty() {
        // The target of the person's career plan, when they have one.
        if let Some(id) = user.me.user.employee_id {
            target =
                ladder_store::records::career_plan(&state.db, id).await?.map(|p| p.target_role).unwrap_or_default();
        }
    }
    Ok(Page(MentoringPage {
        nav: Some(Nav::new(user, "/mentoring")),
        csrf: user.csrf.clone(),
        key: super::once::new_key(),
        has_record: user.me.user.employee_id.is_some(),
        roles: state.framework.roles.iter().map(|r| (r.id.clone(), r.name.clone())).collect(),
        kind: form.kind,
        target,
        note: form.note,
        requests_cut: super::pager::cut_note(&requests, "the first"),
        requests: requests.items,
        error,
    }))
}

fn shown(field: Option<&str>, message: String) -> String {
    field.map_or_else(|| message.clone(), |f| format!("{}: {message}", field_label(f)))
}

pub async fn create(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(f): CsrfForm<RequestForm>,
) -> PageResult<Response> {
    let employee = super::own_employee(&state, &user).await?;
    let once =
        match super::once::claim(&state, &user, &[(super::once::FIELD.into(), f.key.clone())], "/mentoring").await? {
            Ok(once) => once,
            Err(repeated) => return Ok(repeated),
        };
    let input = RequestInput { kind: f.kind.clone(), target_role: f.target_role.clone(), note: f.note.clone() };
    match service::create(&state, &user.me, &employee, &input).await {
        Ok(r) => {
            let done = format!("/mentoring/{}", r.id);
            once.finish(&state, &user, &done).await?;
            Ok(Redirect::to(&done).into_response())
        }
        Err(e) => {
            once.release(&state, &user).await?;
            let field = e.field.clone();
            form_again(e, |m| list_page(&state, &user, f, Some(shown(field.as_deref(), m)))).await
        }
    }
}

#[derive(Template)]
#[template(path = "mentoring_request.html")]
struct RequestPage {
    nav: Option<Nav>,
    csrf: String,
    key: String,
    r: RequestView,
    sessions: Vec<SessionView>,
    candidates: Vec<(EmployeeId, String, String)>,
    today: String,
    error: Option<String>,
}

async fn request_page(
    state: &AppState,
    user: &WebUser,
    id: i64,
    error: Option<String>,
) -> PageResult<Page<impl Template>> {
    let detail = service::request(state, &user.me, id).await?;
    let candidates = if detail.request.may_pair { service::candidates(state, &user.me, id).await? } else { Vec::new() };
    Ok(Page(RequestPage {
        nav: Some(Nav::new(user, "/mentoring")),
        csrf: user.csrf.clone(),
        key: super::once::new_key(),
        r: detail.request,
        sessions: detail.sessions,
        candidates,
        today: Utc::now().date_naive().to_string(),
        error,
    }))
}

pub async fn request(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> PageResult<Page<impl Template>> {
    request_page(&state, &user, id, None).await
}

#[derive(Deserialize)]
pub struct PairForm {
    mentor_id: String,
}

pub async fn pair(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<PairForm>,
) -> PageResult<Response> {
    let result = match f.mentor_id.trim().parse::<i64>() {
        Ok(m) => service::pair(&state, &user.me, id, &PairInput { mentor_id: EmployeeId(m) }).await.map(drop),
        Err(_) => Err(ApiError::invalid("mentor_id", "choose a mentor from the list")),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/mentoring/{id}")).into_response()),
        Err(e) => {
            let field = e.field.clone();
            form_again(e, |m| request_page(&state, &user, id, Some(shown(field.as_deref(), m)))).await
        }
    }
}

#[derive(Deserialize)]
pub struct SessionForm {
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    note: String,
    #[serde(default, rename = "_key")]
    key: String,
}

fn session_input(f: &SessionForm) -> Result<SessionInput, ApiError> {
    let held_on =
        ladder_core::dates::parse(f.held_on.trim()).map_err(|e| ApiError::invalid("held_on", e.to_string()))?;
    let minutes = f.minutes.trim().parse::<i32>().map_err(|_| ApiError::invalid("minutes", "15 to 480 minutes"))?;
    Ok(SessionInput { held_on, minutes, note: f.note.clone() })
}

pub async fn log_session(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<SessionForm>,
) -> PageResult<Response> {
    let back = format!("/mentoring/{id}");
    let input = match session_input(&f) {
        Ok(i) => i,
        Err(e) => {
            let field = e.field.clone();
            return form_again(e, |m| request_page(&state, &user, id, Some(shown(field.as_deref(), m)))).await;
        }
    };
    let once = match super::once::claim(&state, &user, &[(super::once::FIELD.into(), f.key)], &back).await? {
        Ok(once) => once,
        Err(repeated) => return Ok(repeated),
    };
    match service::log_session(&state, &user.me, id, &input).await {
        Ok(_) => {
            once.finish(&state, &user, &back).await?;
            Ok(Redirect::to(&back).into_response())
        }
        Err(e) => {
            once.release(&state, &user).await?;
            let field = e.field.clone();
            form_again(e, |m| request_page(&state, &user, id, Some(shown(field.as_deref(), m)))).await
        }
    }
}

pub async fn close(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> PageResult<Response> {
    match service::close(&state, &user.me, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/mentoring/{id}")).into_response()),
        Err(e) => {
            let field = e.field.clone();
            form_again(e, |m| request_page(&state, &user, id, Some(shown(field.as_deref(), m)))).await
        }
    }
}
