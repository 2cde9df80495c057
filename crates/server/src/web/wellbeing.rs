//! Well-being pages (issue 29): the person's flags this week and next with the guidance's
//! source, the private weekly pulse form, and a team leader's fatigue board.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDateTime, Timelike, Utc};
use ladder_core::TeamId;

use super::{form_again, own_employee, CsrfForm, Nav, Page, PageResult, WebUser};
use crate::error::ApiError;
use crate::service::attendance::{self, AttendanceView};
use crate::service::listing::PageSpec;
use crate::service::shift_entry::{self, ShiftInput};
use crate::service::wellbeing::{self as service, Board, NightWork, PulseInput, PulseView, WeekView};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "wellbeing.html")]
struct WellbeingPage {
    nav: Option<Nav>,
    csrf: String,
    time_zone: String,
    weeks: Vec<WeekView>,
    /// Why the schedule's flags cannot be shown, if they cannot.
    problem: Option<String>,
    answers: Vec<PulseView>,
    /// The teams whose board the person may open (a team leader's).
    boards: Vec<i64>,
    /// Whether the person may open the roll-up by site, account and team.
    rollup: bool,
    night: NightWork,
    attendance: AttendanceView,
    error: Option<String>,
    /// Why a shift entered by hand was refused.
    shift_error: Option<String>,
}

#[derive(Template)]
#[template(path = "fatigue_board.html")]
struct BoardPage {
    nav: Option<Nav>,
    board: Board,
    attendance: AttendanceView,
}

pub async fn show(State(state): State<AppState>, user: WebUser) -> PageResult<Page<impl Template>> {
    page(&state, &user, None, None).await
}

async fn page(
    state: &AppState,
    user: &WebUser,
    error: Option<String>,
    shift_error: Option<String>,
) -> PageResult<Page<impl Template>> {
    let employee = own_employee(state, user).await?;
    let today = Utc::now().date_naive();
    let mine = service::person(state, &user.me, employee.id, today).await?;
    // A year of answers; the API pages further back.
    let answers = service::own_pulse(state, &user.me, &PageSpec::first(53)).await?.items;
    let night = service::night_work(state, &user.me, employee.id, today).await?;
    let attendance = attendance::person(state, &user.me, employee.id, today).await?;
    Ok(Page(WellbeingPage {
        nav: Some(Nav::new(user, "/wellbeing")),
        csrf: user.csrf.clone(),
        time_zone: mine.time_zone,
        weeks: mine.weeks,
        problem: mine.problem,
        answers,
        boards: user.me.actor.led_teams.iter().map(|t| t.0).collect(),
        rollup: ladder_core::access::allowed(&user.me.actor, ladder_core::access::Action::ViewWellbeingRollup),
        night,
        attendance,
        error,
        shift_error,
    }))
}

pub async fn save_pulse(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let get = |k: &str| form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let score = |k: &str| get(k).parse::<i16>().unwrap_or(0);
    let input = PulseInput {
        week: None,
        energy: score("energy"),
        stress: score("stress"),
        sleep: score("sleep"),
        note: Some(get("note")),
    };
    match service::save_pulse(&state, &user.me, input).await {
        Ok(_) => Ok(Redirect::to("/wellbeing").into_response()),
        Err(e) => form_again(e, |error| page(&state, &user, Some(error), None)).await,
    }
}

fn field(form: &[(String, String)], k: &str) -> String {
    form.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
}

/// A `datetime-local` value (seconds optional); an unreadable one names its field.
fn local_time(form: &[(String, String)], k: &str) -> Result<NaiveDateTime, ApiError> {
    let raw = field(form, k);
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&raw, f).ok())
        .ok_or_else(|| ApiError::invalid(k, format!("'{raw}' is not a date and time (YYYY-MM-DDTHH:MM)")))
}

/// A schedule is in whole minutes: a browser's stray seconds are dropped.
fn to_the_minute(t: NaiveDateTime) -> NaiveDateTime {
    t.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(t)
}

pub async fn add_shift(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let added = async {
        let input = ShiftInput {
            start: to_the_minute(local_time(&form, "start")?),
            end: to_the_minute(local_time(&form, "end")?),
            kind: field(&form, "kind"),
            // Blank is no breaks; anything else unreadable is refused by the range check.
            breaks_minutes: match field(&form, "breaks_minutes").as_str() {
                "" => 0,
                raw => raw.parse().unwrap_or(-1),
            },
        };
        shift_entry::add(&state, &user.me, input).await
    };
    match added.await {
        Ok(_) => Ok(Redirect::to("/wellbeing").into_response()),
        Err(e) => form_again(e, |error| page(&state, &user, None, Some(error))).await,
    }
}

pub async fn delete_shift(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> PageResult<Response> {
    let deleted = async { shift_entry::delete(&state, &user.me, local_time(&form, "start")?).await };
    match deleted.await {
        Ok(()) => Ok(Redirect::to("/wellbeing").into_response()),
        Err(e) => form_again(e, |error| page(&state, &user, None, Some(error))).await,
    }
}

pub async fn board(
    State(state): State<AppState>,
    user: WebUser,
    Path(team): Path<TeamId>,
) -> PageResult<Page<impl Template>> {
    let today = Utc::now().date_naive();
    let board = service::board(&state, &user.me, team, today).await?;
    let attendance = attendance::team(&state, &user.me, team, today).await?;
    Ok(Page(BoardPage { nav: Some(Nav::new(&user, "/wellbeing")), board, attendance }))
}
