//! The admin page: users (invite, reset, disable) and the framework in force.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use ladder_core::access::Access;
use serde::Deserialize;

use super::pager::{PageAt, Pager};
use super::{form_again, CsrfForm, Nav, Page, PageQuery, PageResult, WebUser};
use crate::service::accounts::{self, Invite, UserRow};
use crate::service::listing::PageSpec;
use crate::state::AppState;

/// Where a page shown after a form starts: the first page of users.
static FIRST_PAGE: PageAt = PageAt { cursor: None, from: None };

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    nav: Option<Nav>,
    csrf: String,
    users: Vec<UserRow>,
    pager: Pager,
    accesses: Vec<&'static str>,
    /// The sites a manager or a QA/trainer may be given: (id, name).
    sites: Vec<(i64, String)>,
    link: Option<(String, String)>,
    error: Option<String>,
    framework_name: String,
    framework_version: String,
    rules_version: String,
    role_count: usize,
    metric_count: usize,
}

async fn page(
    state: &AppState,
    user: &WebUser,
    link: Option<(String, String)>,
    error: Option<String>,
    at: &PageAt,
) -> PageResult<Response> {
    let listing = accounts::users_page(state, &user.me, &PageSpec::new(None, at.cursor.as_deref())?).await?;
    let pager = Pager::of(&listing, at, "/admin?");
    let fw = &state.framework;
    let page = AdminPage {
        nav: Some(Nav::new(user, "/admin")),
        csrf: user.csrf.clone(),
        users: listing.items,
        pager,
        accesses: Access::ALL.iter().map(|a| a.as_str()).collect(),
        sites: ladder_store::org::sites(&state.db).await?.into_iter().map(|s| (s.id, s.name)).collect(),
        link,
        error,
        framework_name: fw.meta.name.clone(),
        framework_version: fw.meta.version.clone(),
        rules_version: fw.scoring.version.clone(),
        role_count: fw.roles.len(),
        metric_count: fw.metrics.len(),
    };
    Ok(Page(page).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    user: WebUser,
    PageQuery(at): PageQuery<PageAt>,
) -> PageResult<Response> {
    page(&state, &user, None, None, &at).await
}

#[derive(Deserialize)]
pub struct InviteForm {
    email: String,
    name: String,
    access: String,
    #[serde(default)]
    employee_code: String,
    /// A site (its id) for a manager or a QA/trainer; empty for none.
    #[serde(default)]
    site: String,
}

pub async fn invite(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(f): CsrfForm<InviteForm>,
) -> PageResult<Response> {
    let employee_id = match f.employee_code.trim() {
        "" => None,
        code => match ladder_store::org::employee_by_code(&state.db, code).await {
            Ok(e) => Some(e.id),
            Err(ladder_store::StoreError::NotFound) => {
                return page(&state, &user, None, Some(format!("No employee has the code {code}.")), &FIRST_PAGE).await
            }
            Err(e) => return Err(e.into()),
        },
    };
    let sites = match f.site.trim() {
        "" => vec![],
        id => match id.parse::<i64>() {
            Ok(id) => vec![id],
            Err(_) => {
                return page(&state, &user, None, Some("Site: choose one from the list.".into()), &FIRST_PAGE).await
            }
        },
    };
    let body = Invite { email: f.email.clone(), name: f.name, access: f.access, employee_id, sites, accounts: vec![] };
    match accounts::invite(&state, &user.me, &body).await {
        Ok(link) => page(&state, &user, Some((f.email, link.link)), None, &FIRST_PAGE).await,
        Err(e) => form_again(e, |error| page(&state, &user, None, Some(error), &FIRST_PAGE)).await,
    }
}

pub async fn reset(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<ladder_core::UserId>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> PageResult<Response> {
    match accounts::reset_access(&state, &user.me, id).await {
        Ok(link) => {
            let email = ladder_store::users::user(&state.db, id).await.map(|u| u.email).unwrap_or_default();
            page(&state, &user, Some((email, link.link)), None, &FIRST_PAGE).await
        }
        Err(e) => form_again(e, |error| page(&state, &user, None, Some(error), &FIRST_PAGE)).await,
    }
}

#[derive(Deserialize)]
pub struct DisabledForm {
    disabled: bool,
}

pub async fn set_disabled(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<ladder_core::UserId>,
    CsrfForm(f): CsrfForm<DisabledForm>,
) -> PageResult<Response> {
    match accounts::set_disabled(&state, &user.me, id, f.disabled).await {
        Ok(()) => Ok(Redirect::to("/admin").into_response()),
        Err(e) => form_again(e, |error| page(&state, &user, None, Some(error), &FIRST_PAGE)).await,
    }
}
