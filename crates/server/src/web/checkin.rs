//! The monthly check-in: highlights picked from the log, blockers, asks → sent to the leader.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Days, Utc};
use ladder_core::period::Month;
use ladder_store::records::{Accomplishment, AccomplishmentFilter, Checkin, CoachingNote};

use super::format;
use super::pager::{cut_note, PageAt, Pager};
use super::{form_again, own_employee, CsrfForm, Nav, Page, PageQuery, PageResult, WebUser};
use crate::error::ApiError;
use crate::service::listing::{PageSpec, MAX_LIMIT};
use crate::service::records::{self, CheckinInput};
use crate::service::wellbeing::FlagView;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "checkin.html")]
struct CheckinPage {
    nav: Option<Nav>,
    csrf: String,
    month_label: String,
    current: Option<Checkin>,
    can_edit: bool,
    /// A personal Ladder: the person reviews their own check-ins.
    self_review: bool,
    recent: Vec<Accomplishment>,
    /// "the newest 500 of 1,234" when the recent entries run past what the form lists.
    recent_cut: Option<String>,
    /// A page of the earlier check-ins, newest first.
    history: Vec<Checkin>,
    history_pager: Pager,
    /// Whether this is a later page of the history (a link back to the newest).
    history_later: bool,
    notes: Vec<CoachingNote>,
    notes_cut: Option<String>,
    /// The month's well-being flags from the schedule, to bring up in the talk.
    flags: Vec<FlagView>,
    error: Option<String>,
}

/// Earlier check-ins a page of the history shows: two years of months.
const HISTORY_PAGE: u32 = 24;

pub async fn show(
    State(state): State<AppState>,
    user: WebUser,
    PageQuery(at): PageQuery<PageAt>,
) -> PageResult<Page<impl Template>> {
    page(&state, &user, &at, None).await
}

async fn page(state: &AppState, user: &WebUser, at: &PageAt, error: Option<String>) -> PageResult<Page<impl Template>> {
    let employee = own_employee(state, user).await?;
    let today = Utc::now().date_naive();
    let month = Month::of(today);
    let history =
        records::checkins(state, &user.me, &employee, &PageSpec::new(Some(HISTORY_PAGE), at.cursor.as_deref())?)
            .await?;
    // This month's check-in, if sent, is the newest of all.
    let newest = records::checkins(state, &user.me, &employee, &PageSpec::first(1)).await?.items;
    let current = newest.into_iter().find(|c| c.month == month.first_day());
    let most = PageSpec::first(MAX_LIMIT);
    let filter = AccomplishmentFilter { from: Some(today - Days::new(62)), ..Default::default() };
    let recent = records::accomplishments(state, &user.me, &employee, filter, &most).await?;
    let notes = records::coaching_notes(state, &user.me, &employee, &most).await?;
    let self_review = records::may_review(state, &user.me, &employee).await?;
    let flags = crate::service::wellbeing::month_flags(state, &user.me, employee.id, today).await?;
    Ok(Page(CheckinPage {
        nav: Some(Nav::new(user, "/checkin")),
        csrf: user.csrf.clone(),
        month_label: format::month(month),
        can_edit: current.as_ref().is_none_or(|c| c.acknowledged_at.is_none()),
        current,
        self_review,
        recent_cut: cut_note(&recent, "the newest"),
        recent: recent.items,
        history_pager: Pager::of(&history, at, "/checkin?"),
        history_later: at.cursor.is_some(),
        history: history.items,
        notes_cut: cut_note(&notes, "the newest"),
        notes: notes.items,
        flags,
        error,
    }))
}

pub async fn send(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let employee = own_employee(&state, &user).await?;
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let input = CheckinInput {
        month: Month::of(Utc::now().date_naive()),
        highlights: get("highlights"),
        accomplishment_ids: form
            .iter()
            .filter(|(k, _)| k == "accomplishment_ids")
            .filter_map(|(_, v)| v.parse().ok())
            .collect(),
        blockers: get("blockers"),
        asks: get("asks"),
    };
    let newest = PageAt::default();
    match records::submit_checkin(&state, &user.me, &employee, &input).await {
        Ok(_) => Ok(Redirect::to("/checkin").into_response()),
        Err(e) => form_again(e, |error| page(&state, &user, &newest, Some(error))).await,
    }
}

// ---- A past check-in -----------------------------------------------------------------------

/// A coaching note as a past check-in shows it: its topic by name.
pub struct PastNote {
    pub topic: String,
    pub note: String,
    pub follow_up: String,
}

#[derive(Template)]
#[template(path = "checkin_past.html")]
struct PastPage {
    nav: Option<Nav>,
    month_label: String,
    checkin: Checkin,
    picked: Vec<Accomplishment>,
    notes: Vec<PastNote>,
}

/// One of the person's own check-ins with what the leader wrote back: the comment and the
/// coaching note made with it.
pub async fn past(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> PageResult<Page<impl Template>> {
    let employee = own_employee(&state, &user).await?;
    let checkin = match ladder_store::records::checkin(&state.db, id).await {
        Ok(c) if c.employee_id == employee.id => c,
        _ => return Err(ApiError::not_found("check-in").into()),
    };
    let picked = records::picked_accomplishments(&state, &user.me, &employee, &checkin).await?;
    let notes = records::checkin_notes(&state, &user.me, &employee, id)
        .await?
        .into_iter()
        .map(|n| PastNote {
            topic: match state.framework.metric(&n.metric) {
                Some(m) => m.name.clone(),
                None if n.metric == records::WELLBEING_TOPIC => records::WELLBEING_TOPIC_NAME.into(),
                None => n.metric.clone(),
            },
            note: n.note,
            follow_up: n.follow_up.to_string(),
        })
        .collect();
    Ok(Page(PastPage {
        nav: Some(Nav::new(&user, "/checkin")),
        month_label: format::month(Month::of(checkin.month)),
        checkin,
        picked,
        notes,
    }))
}
