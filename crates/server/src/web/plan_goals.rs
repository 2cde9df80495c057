//! The person's own goals on the plan page (issue 26): add (with a one-time key, so a double
//! post makes one goal), edit, tick done, reopen, delete. A refused form comes back with what
//! was typed and the reason, naming the field, with the service's status.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::page::field_label;
use super::{form_again, own_employee, CsrfForm, PageResult, WebUser};
use crate::error::{ApiError, ApiResult};
use crate::service::career_goals::{self as service, GoalInput, GoalPatch, GoalView};
use crate::state::AppState;

/// What a goal form holds, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GoalForm {
    #[serde(default)]
    pub milestone_role: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub due_on: String,
    #[serde(default, rename = "_key")]
    pub key: String,
}

/// The goal forms of a plan page: the add form (empty, or as typed when refused) with a fresh
/// one-time key, the goal whose edit form was refused, and why.
pub struct GoalForms {
    pub add: GoalForm,
    pub key: String,
    pub editing: Option<(i64, GoalForm)>,
    /// "Title: a goal needs a title" and the like.
    pub error: Option<String>,
}

impl Default for GoalForms {
    fn default() -> GoalForms {
        GoalForms { add: GoalForm::default(), key: super::once::new_key(), editing: None, error: None }
    }
}

/// A goal as the page lists it, with its edit form filled (as typed, when that form was refused).
pub struct GoalRow {
    pub goal: GoalView,
    pub due: String,
    pub done_on: String,
    pub form: GoalForm,
    /// The edit form was refused: shown open, with the reason.
    pub error: Option<String>,
}

impl GoalRow {
    pub fn of(goal: GoalView, forms: &GoalForms) -> GoalRow {
        let refused = forms.editing.as_ref().filter(|(id, _)| *id == goal.id);
        let form = match refused {
            Some((_, typed)) => typed.clone(),
            None => GoalForm {
                milestone_role: goal.milestone_role.clone(),
                title: goal.title.clone(),
                note: goal.note.clone(),
                due_on: goal.due_on.to_string(),
                key: String::new(),
            },
        };
        GoalRow {
            due: goal.due_on.format("%-d %b %Y").to_string(),
            done_on: goal.done_on.map(|d| d.format("%-d %b %Y").to_string()).unwrap_or_default(),
            error: refused.and(forms.error.clone()),
            form,
            goal,
        }
    }
}

fn due_date(text: &str) -> ApiResult<chrono::NaiveDate> {
    if text.trim().is_empty() {
        return Err(ApiError::invalid("due_on", "choose the day it is due"));
    }
    ladder_core::dates::parse(text).map_err(|e| ApiError::invalid("due_on", e.to_string()))
}

fn reason(e: &ApiError) -> String {
    e.field.as_deref().map_or_else(|| e.message.clone(), |f| format!("{}: {}", field_label(f), e.message))
}

/// Shows the plan page again with `forms` and the refusal's status.
async fn again(state: &AppState, user: &WebUser, e: ApiError, mut forms: GoalForms) -> PageResult<Response> {
    let status = e.status;
    forms.error = Some(reason(&e));
    form_again(e, |_| async move {
        let page = super::plan::page(state, user, None, forms).await?;
        PageResult::Ok((status, page))
    })
    .await
}

pub async fn add(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(f): CsrfForm<GoalForm>,
) -> PageResult<Response> {
    let employee = own_employee(&state, &user).await?;
    let typed = GoalForms { add: GoalForm { key: String::new(), ..f.clone() }, ..GoalForms::default() };
    let due_on = match due_date(&f.due_on) {
        Ok(d) => d,
        Err(e) => return again(&state, &user, e, typed).await,
    };
    let once = match super::once::claim(&state, &user, &[(super::once::FIELD.into(), f.key.clone())], "/plan").await? {
        Ok(once) => once,
        Err(repeated) => return Ok(repeated),
    };
    let input =
        GoalInput { milestone_role: f.milestone_role.clone(), title: f.title.clone(), note: f.note.clone(), due_on };
    match service::create(&state, &user.me, &employee, &input).await {
        Ok(goal) => {
            let done = format!("/plan#goal-{}", goal.id);
            once.finish(&state, &user, &done).await?;
            Ok(Redirect::to(&done).into_response())
        }
        Err(e) => {
            once.release(&state, &user).await?;
            again(&state, &user, e, typed).await
        }
    }
}

/// Saves a goal's edit form.
pub async fn edit(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<GoalForm>,
) -> PageResult<Response> {
    let typed = GoalForms { editing: Some((id, f.clone())), ..GoalForms::default() };
    let patch = match due_date(&f.due_on) {
        Ok(due_on) => GoalPatch {
            milestone_role: Some(f.milestone_role),
            title: Some(f.title),
            note: Some(f.note),
            due_on: Some(due_on),
            done: None,
        },
        Err(e) => return again(&state, &user, e, typed).await,
    };
    patch_goal(&state, &user, id, patch, typed).await
}

async fn patch_goal(
    state: &AppState,
    user: &WebUser,
    id: i64,
    patch: GoalPatch,
    forms: GoalForms,
) -> PageResult<Response> {
    let employee = own_employee(state, user).await?;
    match service::update(state, &user.me, &employee, id, &patch).await {
        Ok(_) => Ok(Redirect::to(&format!("/plan#goal-{id}")).into_response()),
        Err(e) => again(state, user, e, forms).await,
    }
}

/// An empty form body (the CSRF token only).
#[derive(Deserialize)]
pub struct NoFields {}

pub async fn done(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> PageResult<Response> {
    let patch = GoalPatch { done: Some(true), ..GoalPatch::default() };
    patch_goal(&state, &user, id, patch, GoalForms::default()).await
}

pub async fn reopen(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> PageResult<Response> {
    let patch = GoalPatch { done: Some(false), ..GoalPatch::default() };
    patch_goal(&state, &user, id, patch, GoalForms::default()).await
}

pub async fn delete(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> PageResult<Response> {
    let employee = own_employee(&state, &user).await?;
    match service::delete(&state, &user.me, &employee, id).await {
        Ok(()) => Ok(Redirect::to("/plan#goals-h").into_response()),
        Err(e) => again(&state, &user, e, GoalForms::default()).await,
    }
}
