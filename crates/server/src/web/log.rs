//! The accomplishment log: add an entry in a few taps, filter, share with the leader.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc};
use ladder_store::records::{Accomplishment, AccomplishmentFilter};
use serde::Deserialize;

use super::{form_again, own_employee, CsrfForm, Nav, Page, PageQuery, PageResult, WebUser};
use crate::service::listing::PageSpec;
use crate::service::records::{self, AccomplishmentInput};
use crate::state::AppState;
use ladder_core::limits::LOG_PAGE;

#[derive(Deserialize, Default)]
pub struct LogFilter {
    tag: Option<String>,
    kra: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// Where the page of entries starts (newest first): the `next` of the page before.
    cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "log.html")]
struct LogPage {
    nav: Option<Nav>,
    csrf: String,
    entries: Vec<Accomplishment>,
    metrics: Vec<(String, String)>,
    tag: String,
    kra: String,
    from: String,
    to: String,
    /// Links to the next page of entries and back to the first, when there are such.
    older: Option<String>,
    newest: Option<String>,
    /// How many entries the filter matches, on every page.
    total: u64,
    error: Option<String>,
    /// What the form shows: what was typed when a post was refused, else a new entry.
    typed: Typed,
    /// The form's one-time key ([`super::once`]).
    key: String,
}

/// The add form's fields as typed, kept when a post is refused so nothing has to be typed again.
#[derive(Default)]
pub struct Typed {
    title: String,
    date: String,
    details: String,
    impact_value: String,
    impact_unit: String,
    tags: String,
    kras: Vec<String>,
    shared: bool,
}

impl Typed {
    fn of(form: &[(String, String)]) -> Typed {
        let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default();
        Typed {
            title: get("title"),
            date: get("date"),
            details: get("details"),
            impact_value: get("impact_value"),
            impact_unit: get("impact_unit"),
            tags: get("tags"),
            kras: form.iter().filter(|(k, _)| k == "kras").map(|(_, v)| v.clone()).collect(),
            shared: form.iter().any(|(k, _)| k == "shared"),
        }
    }
}

fn date(v: &Option<String>) -> Option<NaiveDate> {
    v.as_deref().filter(|s| !s.is_empty()).and_then(|s| ladder_core::dates::parse(s).ok())
}

fn blank(v: &Option<String>) -> Option<String> {
    v.clone().filter(|s| !s.trim().is_empty())
}

pub async fn show(
    State(state): State<AppState>,
    user: WebUser,
    PageQuery(f): PageQuery<LogFilter>,
) -> PageResult<Page<impl Template>> {
    page(&state, &user, &f, None, Typed::default()).await
}

async fn page(
    state: &AppState,
    user: &WebUser,
    f: &LogFilter,
    error: Option<String>,
    mut typed: Typed,
) -> PageResult<Page<impl Template>> {
    let employee = own_employee(state, user).await?;
    let filter = AccomplishmentFilter {
        shared_only: false,
        tag: blank(&f.tag).map(|t| t.to_lowercase()),
        kra: blank(&f.kra),
        skill: None,
        from: date(&f.from),
        to: date(&f.to),
        limit: None,
        after: None,
    };
    let spec = PageSpec::new(Some(LOG_PAGE as u32), f.cursor.as_deref())?;
    let listing = records::accomplishments(state, &user.me, &employee, filter, &spec).await?;
    let older = listing.next.as_deref().map(|next| log_link(f, Some(next)));
    let newest = f.cursor.as_ref().map(|_| log_link(f, None));
    if typed.date.is_empty() {
        typed.date = Utc::now().date_naive().to_string();
    }
    Ok(Page(LogPage {
        nav: Some(Nav::new(user, "/log")),
        csrf: user.csrf.clone(),
        entries: listing.items,
        total: listing.total,
        metrics: state.framework.metrics.iter().map(|m| (m.id.clone(), m.name.clone())).collect(),
        tag: f.tag.clone().unwrap_or_default(),
        kra: f.kra.clone().unwrap_or_default(),
        from: f.from.clone().unwrap_or_default(),
        to: f.to.clone().unwrap_or_default(),
        older,
        newest,
        error,
        typed,
        key: super::once::new_key(),
    }))
}

/// The log's address with the same filter, from `cursor` on (the first page without).
fn log_link(f: &LogFilter, cursor: Option<&str>) -> String {
    let mut pairs: Vec<(&str, String)> = [("tag", &f.tag), ("kra", &f.kra), ("from", &f.from), ("to", &f.to)]
        .into_iter()
        .filter_map(|(key, value)| value.clone().filter(|v| !v.is_empty()).map(|v| (key, v)))
        .collect();
    if let Some(cursor) = cursor {
        pairs.push(("cursor", cursor.to_string()));
    }
    format!("/log?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
}

/// The form as sent: repeated `kras` fields, comma-separated tags, an optional checkbox.
fn entry_from_form(form: &[(String, String)]) -> Result<AccomplishmentInput, String> {
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let date = ladder_core::dates::parse(&get("date")).map_err(|e| format!("Date: pick a date ({e})"))?;
    let impact_value = match get("impact_value") {
        v if v.is_empty() => None,
        v => Some(v.parse::<f64>().map_err(|_| "Impact value: type a number".to_string())?),
    };
    Ok(AccomplishmentInput {
        date,
        title: get("title"),
        details: get("details"),
        impact_value,
        impact_unit: Some(get("impact_unit")).filter(|u| !u.is_empty()),
        tags: get("tags").split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect(),
        kras: form.iter().filter(|(k, v)| k == "kras" && !v.is_empty()).map(|(_, v)| v.clone()).collect(),
        skills: Vec::new(),
        shared: form.iter().any(|(k, _)| k == "shared"),
    })
}

pub async fn add(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let employee = own_employee(&state, &user).await?;
    let no_filter = LogFilter::default();
    let again = |message: String| page(&state, &user, &no_filter, Some(message), Typed::of(&form));
    let input = match entry_from_form(&form) {
        Ok(i) => i,
        Err(message) => return Ok(again(message).await?.into_response()),
    };
    let refused = |e: crate::error::ApiError| {
        let field = super::field_label(e.field.as_deref().unwrap_or("entry"));
        form_again(e, move |message| again(format!("{field}: {message}")))
    };
    // Checked before the key is claimed: a repeat of a refused post is refused the same way.
    if let Err(e) = input.check(&state, &employee, None) {
        return refused(e).await;
    }
    let once = match super::once::claim(&state, &user, &form, "/log").await? {
        Ok(once) => once,
        Err(repeated) => return Ok(repeated),
    };
    match records::add_accomplishment(&state, &user.me, &employee, &input).await {
        Ok(_) => {
            once.finish(&state, &user, "/log").await?;
            Ok(Redirect::to("/log").into_response())
        }
        Err(e) => {
            once.release(&state, &user).await?;
            refused(e).await
        }
    }
}

#[derive(Deserialize)]
pub struct ShareForm {
    shared: String,
}

pub async fn share(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ShareForm>,
) -> PageResult<Redirect> {
    let employee = own_employee(&state, &user).await?;
    records::share_accomplishment(&state, &user.me, &employee, id, form.shared == "1").await?;
    Ok(Redirect::to("/log"))
}
