//! Well-being in the JSON API (issue 29): a person's shifts and flags, a team's fatigue board
//! and pulse aggregate, and the caller's own weekly pulse.

use axum::extract::{Path, State};
use axum::Json;
use chrono::NaiveDate;
use ladder_core::{EmployeeId, TeamId};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, JsonBody, QueryArgs};
use crate::service::attendance::{self, AttendanceView};
use crate::service::listing::{Listing, PageQuery};
use crate::service::shift_entry::{self, ShiftInput};
use crate::service::shift_list::{self, RangeQuery, ShiftPage};
use crate::service::wellbeing::{
    self as service, Board, NightWork, PersonWellbeing, PulseAggregate, PulseInput, PulseView,
};
use crate::service::wellbeing::{NightRuleInput, ShiftView};
use crate::service::wellbeing_rollup as rollup_service;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(person))
        .routes(routes!(board))
        .routes(routes!(team_pulse))
        .routes(routes!(own_pulse, save_pulse))
        .routes(routes!(night_work))
        .routes(routes!(person_attendance))
        .routes(routes!(team_attendance))
        .routes(routes!(shift_list))
        .routes(routes!(add_shift, delete_shift))
        .routes(routes!(set_night_rule))
        .routes(routes!(rollup))
        .routes(routes!(export_rollup))
}

/// Which roll-up: a month (default the last full one) or, given `week`, that ISO week.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RollupQuery {
    /// `YYYY-MM`; default: the last full month. Left out when `week` is given.
    #[serde(default, deserialize_with = "crate::params::optional_month")]
    #[param(value_type = Option<String>, max_length = 10, example = "2026-03")]
    pub month: Option<ladder_core::period::Month>,
    /// Any day of an ISO week: the roll-up of that week instead of a month.
    pub week: Option<NaiveDate>,
    /// site, account or team; default: the highest the caller sees a unit at.
    #[param(value_type = Option<String>)]
    pub level: Option<rollup_service::Level>,
    /// Within this site (level account) or account (level team).
    #[param(minimum = 1)]
    pub parent: Option<i64>,
    /// csv or xlsx (the export only).
    #[param(value_type = Option<String>)]
    pub format: Option<crate::service::export::Format>,
}

impl RollupQuery {
    fn span(&self) -> rollup_service::Span {
        match (self.week, self.month) {
            (Some(day), _) => rollup_service::Span::Week(day),
            (None, month) => {
                rollup_service::Span::Month(month.unwrap_or_else(|| crate::params::MonthParam::default().0))
            }
        }
    }
}

/// Fatigue flags by site, account or team for a month or week: people with shifts, the share
/// with each kind of flag (none under 5 people), nights per person, mean weekly hours, and the
/// unit's attrition. Team leaders see their teams; managers their sites and accounts.
#[utoipa::path(get, path = "/api/v1/wellbeing/rollup", tag = "wellbeing", params(RollupQuery),
    responses((status = 200, body = rollup_service::RollupView), (status = 403, body = crate::error::ErrorBody)))]
async fn rollup(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<RollupQuery>,
) -> ApiResult<Json<rollup_service::RollupView>> {
    Ok(Json(rollup_service::rollup(&state, &me, q.span(), q.level, q.parent).await?))
}

/// The roll-up of `GET /api/v1/wellbeing/rollup` as a CSV (default) or XLSX file, the total last.
#[utoipa::path(get, path = "/api/v1/wellbeing/rollup/export", tag = "wellbeing", params(RollupQuery),
    responses((status = 200, description = "the file", content_type = "text/csv"), (status = 403, body = crate::error::ErrorBody)))]
async fn export_rollup(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<RollupQuery>,
) -> ApiResult<axum::response::Response> {
    let view = rollup_service::rollup(&state, &me, q.span(), q.level, q.parent).await?;
    let name = format!("wellbeing-{}-{}-{}", view.from, view.through, view.level.as_str());
    rollup_service::table(&view).download(q.format.unwrap_or(crate::service::export::Format::Csv), &name)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct WeekQuery {
    /// Any day of the first week shown (default: today).
    pub week: Option<NaiveDate>,
}

fn day(q: &WeekQuery) -> NaiveDate {
    q.week.unwrap_or_else(|| chrono::Utc::now().date_naive())
}

/// A person's scheduled shifts and fatigue flags, this week and next (local site time).
#[utoipa::path(get, path = "/api/v1/employees/{id}/wellbeing", tag = "wellbeing", params(("id" = i64, Path), WeekQuery),
    responses((status = 200, body = PersonWellbeing), (status = 403, body = crate::error::ErrorBody)))]
async fn person(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<WeekQuery>,
) -> ApiResult<Json<PersonWellbeing>> {
    Ok(Json(service::person(&state, &me, id, day(&q)).await?))
}

/// A team's fatigue board: who has which flags this week and next, counts by kind, and who has
/// been flagged three weeks running.
#[utoipa::path(get, path = "/api/v1/teams/{id}/wellbeing", tag = "wellbeing", params(("id" = i64, Path), WeekQuery),
    responses((status = 200, body = Board), (status = 403, body = crate::error::ErrorBody)))]
async fn board(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<TeamId>,
    QueryArgs(q): QueryArgs<WeekQuery>,
) -> ApiResult<Json<Board>> {
    Ok(Json(service::board(&state, &me, id, day(&q)).await?))
}

/// A team's mean pulse for a week: `null` when fewer than 5 people answered. No one's own
/// answers are ever shown to others.
#[utoipa::path(get, path = "/api/v1/teams/{id}/pulse", tag = "wellbeing", params(("id" = i64, Path), WeekQuery),
    responses((status = 200, body = Option<PulseAggregate>), (status = 403, body = crate::error::ErrorBody)))]
async fn team_pulse(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<TeamId>,
    QueryArgs(q): QueryArgs<WeekQuery>,
) -> ApiResult<Json<Option<PulseAggregate>>> {
    Ok(Json(service::team_pulse(&state, &me, id, day(&q)).await?))
}

/// The caller's own pulse answers, a page at a time, newest week first.
#[utoipa::path(get, path = "/api/v1/me/pulse", tag = "wellbeing", params(PageQuery),
    responses((status = 200, body = Listing<PulseView>), (status = 422, body = crate::error::ErrorBody)))]
async fn own_pulse(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<PulseView>>> {
    Ok(Json(service::own_pulse(&state, &me, &q.spec()?).await?))
}

/// Answers the caller's own pulse for a week (energy, stress, sleep 1–5; a note of at most
/// 500 characters), replacing an earlier answer for that week.
#[utoipa::path(put, path = "/api/v1/me/pulse", tag = "wellbeing", request_body = PulseInput,
    responses((status = 200, body = PulseView), (status = 422, body = crate::error::ErrorBody)))]
async fn save_pulse(
    State(state): State<AppState>,
    me: Me,
    JsonBody(input): JsonBody<PulseInput>,
) -> ApiResult<Json<PulseView>> {
    Ok(Json(service::save_pulse(&state, &me, input).await?))
}

/// Night work in the month holding `week` (default: this month) from the person's worked
/// shifts, and the night differential as hours of their wage (default rule: Philippine Labor
/// Code, 10 % for 22:00–06:00).
#[utoipa::path(get, path = "/api/v1/employees/{id}/night-work", tag = "wellbeing", params(("id" = i64, Path), WeekQuery),
    responses((status = 200, body = NightWork), (status = 403, body = crate::error::ErrorBody)))]
async fn night_work(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<WeekQuery>,
) -> ApiResult<Json<NightWork>> {
    Ok(Json(service::night_work(&state, &me, id, day(&q)).await?))
}

/// Attendance in the month holding `week` (default: this month): hours scheduled and worked
/// (time clocks), scheduled shifts missed (no worked shift overlaps) and started over 5 min late.
#[utoipa::path(get, path = "/api/v1/employees/{id}/attendance", tag = "wellbeing", params(("id" = i64, Path), WeekQuery),
    responses((status = 200, body = AttendanceView), (status = 403, body = crate::error::ErrorBody)))]
async fn person_attendance(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<WeekQuery>,
) -> ApiResult<Json<AttendanceView>> {
    Ok(Json(attendance::person(&state, &me, id, day(&q)).await?))
}

/// A team's attendance in the month holding `week` (default: this month): its members' figures
/// summed.
#[utoipa::path(get, path = "/api/v1/teams/{id}/attendance", tag = "wellbeing", params(("id" = i64, Path), WeekQuery),
    responses((status = 200, body = AttendanceView), (status = 403, body = crate::error::ErrorBody)))]
async fn team_attendance(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<TeamId>,
    QueryArgs(q): QueryArgs<WeekQuery>,
) -> ApiResult<Json<AttendanceView>> {
    Ok(Json(attendance::team(&state, &me, id, day(&q)).await?))
}

/// Every stored shift of a person starting in a range, scheduled and worked, with its source
/// (the file and preset, or by hand), 50 a page.
#[utoipa::path(get, path = "/api/v1/employees/{id}/shifts", tag = "wellbeing", params(("id" = i64, Path), RangeQuery),
    responses((status = 200, body = ShiftPage), (status = 403, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
async fn shift_list(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<RangeQuery>,
) -> ApiResult<Json<ShiftPage>> {
    let (from, to, page) = q.range();
    Ok(Json(shift_list::list(&state, &me, id, from, to, page).await?))
}

/// Adds a shift to the caller's own schedule by hand (local site time; a personal account has
/// no WFM tool). Refused when it ends before it starts, runs over 24 h or overlaps another.
#[utoipa::path(post, path = "/api/v1/me/shifts", tag = "wellbeing", request_body = ShiftInput,
    responses((status = 200, body = ShiftView), (status = 422, body = crate::error::ErrorBody)))]
async fn add_shift(
    State(state): State<AppState>,
    me: Me,
    JsonBody(input): JsonBody<ShiftInput>,
) -> ApiResult<Json<ShiftView>> {
    Ok(Json(shift_entry::add(&state, &me, input).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ShiftStart {
    /// The shift's start, local site time (e.g. 2026-03-02T22:00:00).
    pub start: chrono::NaiveDateTime,
}

/// Deletes the caller's own scheduled shift that starts at `start`.
#[utoipa::path(delete, path = "/api/v1/me/shifts", tag = "wellbeing", params(ShiftStart),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
async fn delete_shift(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<ShiftStart>,
) -> ApiResult<axum::http::StatusCode> {
    shift_entry::delete(&state, &me, q.start).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Sets a site's night-differential rule (administrators): the local window and the percent;
/// every field `null` restores the default (Philippine Labor Code, 10 % for 22:00–06:00).
#[utoipa::path(put, path = "/api/v1/sites/{id}/night-differential", tag = "wellbeing", params(("id" = i64, Path)),
    request_body = NightRuleInput,
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn set_night_rule(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<NightRuleInput>,
) -> ApiResult<axum::http::StatusCode> {
    service::set_night_rule(&state, &me, id, input).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
