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
use crate::service::wellbeing::{
    self as service, Board, NightWork, PersonWellbeing, PulseAggregate, PulseInput, PulseView,
};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(person))
        .routes(routes!(board))
        .routes(routes!(team_pulse))
        .routes(routes!(own_pulse, save_pulse))
        .routes(routes!(night_work))
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

/// The caller's own pulse answers, newest first.
#[utoipa::path(get, path = "/api/v1/me/pulse", tag = "wellbeing", responses((status = 200, body = Vec<PulseView>)))]
async fn own_pulse(State(state): State<AppState>, me: Me) -> ApiResult<Json<Vec<PulseView>>> {
    Ok(Json(service::own_pulse(&state, &me).await?))
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
