//! KRA plans, actuals, scorecards, trends, roll-ups, and career plans (the pipeline is `api::pipeline`).

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use ladder_core::period::Month;
use ladder_core::{EmployeeId, TeamId};
use ladder_store::kra::{Level, StoredPlan};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiError, ApiResult, ErrorBody, JsonBody, QueryArgs};
use crate::params::{optional_month, MonthParam};
use crate::service::career::{self, CareerPlanInput, CareerPlanView};
use crate::service::kra_sheet::{self, AgreementView};
use crate::service::listing::{Listing, PageQuery};
use crate::service::people::visible_employee;
use crate::service::scorecards::{
    self, ActualView, EmployeeScorecard, FigureInput, KraPlanInput, Rollup, TeamScorecard, TrendPoint,
};
use crate::service::year_summary::{self, YearSummary};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(framework))
        .routes(routes!(get_kra_plans, put_kra_plan))
        .routes(routes!(agree_kra_plan))
        .routes(routes!(year_summary))
        .routes(routes!(get_actuals, put_actuals))
        .routes(routes!(employee_scorecard))
        .routes(routes!(employee_trend))
        .routes(routes!(employee_audit))
        .routes(routes!(team_scorecard))
        .routes(routes!(rollups))
        .routes(routes!(get_career_plan, put_career_plan))
}

/// Parses a `YYYY-MM` month, naming the field when it is not one.
pub fn month_arg(field: &str, value: &str) -> ApiResult<Month> {
    value.parse().map_err(|e: ladder_core::period::BadPeriod| ApiError::invalid(field, e.to_string()))
}

/// The career framework in force: roles, paths, skills, certifications, metrics, scoring rules.
#[utoipa::path(get, path = "/api/v1/framework", tag = "kra", responses((status = 200, body = serde_json::Value)))]
async fn framework(State(state): State<AppState>, _me: Me) -> Json<serde_json::Value> {
    Json(serde_json::to_value(&*state.framework).unwrap_or_default())
}

#[derive(Serialize, ToSchema)]
pub struct KraPlansView {
    pub year: i32,
    /// Stored plans in the order they took effect; empty when the role's template applies.
    #[schema(value_type = Vec<Object>)]
    pub plans: Vec<StoredPlan>,
    /// The role's default template, with limits from the metric library.
    #[schema(value_type = Option<Object>)]
    pub role_template: Option<ladder_core::scoring::KraPlan>,
    /// Whether the person agreed to the year's plan as it stands, who and when.
    pub agreement: AgreementView,
}

/// An employee's KRA plans for a year.
#[utoipa::path(get, path = "/api/v1/employees/{id}/kra-plans/{year}", tag = "kra",
    params(("id" = i64, Path), ("year" = i32, Path)),
    responses((status = 200, body = KraPlansView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_kra_plans(
    State(state): State<AppState>,
    me: Me,
    Path((id, year)): Path<(EmployeeId, i32)>,
) -> ApiResult<Json<KraPlansView>> {
    let employee = visible_employee(&state, &me, id).await?;
    let plans = ladder_store::kra::plans_for_year(&state.db, employee.id, year).await?;
    let role_template = ladder_core::scoring::KraPlan::for_role(&state.framework, &employee.role_id).ok();
    let agreement = kra_sheet::agreement(&state, &me, &employee, year).await?;
    Ok(Json(KraPlansView { year, plans, role_template, agreement }))
}

/// The person agrees to their year's KRA plan as it stands (the KRA sheet signed off): who and
/// when are kept, audited, and their team leader is notified. Only the person themselves may
/// (not their leader, not HR); a later change to the plan clears the agreement. A year with no
/// plan set is a 409, and so is a `version` that no longer names the plan's terms; a year
/// outside 2000–2100 a 422.
#[utoipa::path(post, path = "/api/v1/employees/{id}/kra-plans/{year}/agree", tag = "kra",
    params(("id" = i64, Path), ("year" = i32, Path)), request_body = AgreeInput,
    responses((status = 200, body = AgreementView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn agree_kra_plan(
    State(state): State<AppState>,
    me: Me,
    Path((id, year)): Path<(EmployeeId, i32)>,
    JsonBody(input): JsonBody<AgreeInput>,
) -> ApiResult<Json<AgreementView>> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(kra_sheet::agree(&state, &me, &employee, year, input.version.as_deref()).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct AgreeInput {
    /// The `agreement.version` of the plans read (from GET kra-plans/{year}), at most 64
    /// characters: when the plan's terms changed since, the agreement is refused with 409.
    /// Left out, the person agrees to the terms as stored.
    #[serde(default)]
    #[schema(max_length = 64)]
    pub version: Option<String>,
}

/// The person's year: each month's score and rating (or why there is none), the year's result
/// as the scorecard's year to date, the bonus earned, accomplishments, certifications earned,
/// training completed, role changes and check-ins. A year outside 2000–2100 is a 422.
#[utoipa::path(get, path = "/api/v1/employees/{id}/year/{year}", tag = "kra",
    params(("id" = i64, Path), ("year" = i32, Path)),
    responses((status = 200, body = YearSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn year_summary(
    State(state): State<AppState>,
    me: Me,
    Path((id, year)): Path<(EmployeeId, i32)>,
) -> ApiResult<Json<YearSummary>> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(year_summary::summary(&state, &me, &employee, year).await?))
}

/// Sets the KRA plan taking effect on `effective_from` (default 1 January). Leaders and
/// managers of the person only; weights must sum to 100 and limits follow each metric's
/// direction. The change is audited.
#[utoipa::path(put, path = "/api/v1/employees/{id}/kra-plans/{year}", tag = "kra",
    params(("id" = i64, Path), ("year" = i32, Path)), request_body = KraPlanInput,
    responses((status = 200, body = serde_json::Value), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_kra_plan(
    State(state): State<AppState>,
    me: Me,
    Path((id, year)): Path<(EmployeeId, i32)>,
    JsonBody(input): JsonBody<KraPlanInput>,
) -> ApiResult<Json<StoredPlan>> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(scorecards::save_kra_plan(&state, &me, &employee, year, &input).await?))
}

/// The month's figures (numerator and denominator per metric, and where they came from). The
/// `ETag` header tags them: send it back as `If-Match` when saving, so figures changed meanwhile
/// are not overwritten unseen.
#[utoipa::path(get, path = "/api/v1/employees/{id}/actuals/{month}", tag = "kra",
    params(("id" = i64, Path), ("month" = String, Path, example = "2026-03")),
    responses((status = 200, body = Vec<ActualView>, headers(("ETag" = String, description = "tag of these figures"))),
        (status = 403, body = ErrorBody)))]
async fn get_actuals(
    State(state): State<AppState>,
    me: Me,
    Path((id, month)): Path<(EmployeeId, String)>,
) -> ApiResult<([(header::HeaderName, String); 1], Json<Vec<ActualView>>)> {
    let month = month_arg("month", &month)?;
    let employee = visible_employee(&state, &me, id).await?;
    let rows = ladder_store::kra::actuals(&state.db, employee.id, month.first_day(), month.first_day()).await?;
    let tag = format!("\"{}\"", ladder_store::kra::rows_tag(&rows));
    Ok(([(header::ETAG, tag)], Json(rows.iter().map(|a| scorecards::actual_view(&state, a)).collect())))
}

/// The tag in an `If-Match` header (`*` or none: save whatever is there).
fn if_match(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::IF_MATCH)?.to_str().ok()?.trim();
    let tag = value.trim_start_matches("W/").trim_matches('"');
    (tag != "*" && !tag.is_empty()).then(|| tag.to_string())
}

/// Types in the month's figures by hand: the person themselves where the organisation allows
/// self-entry, their leader or manager, or an admin. Imported figures cannot be overwritten.
/// With `If-Match` (the `ETag` of the figures read), figures changed since are refused (412).
#[utoipa::path(put, path = "/api/v1/employees/{id}/actuals/{month}", tag = "kra",
    params(("id" = i64, Path), ("month" = String, Path, example = "2026-03"),
        ("If-Match" = Option<String>, Header, description = "the ETag of the figures read")),
    request_body = Vec<FigureInput>,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_actuals(
    State(state): State<AppState>,
    me: Me,
    Path((id, month)): Path<(EmployeeId, String)>,
    headers: HeaderMap,
    JsonBody(figures): JsonBody<Vec<FigureInput>>,
) -> ApiResult<StatusCode> {
    let month = month_arg("month", &month)?;
    let employee = visible_employee(&state, &me, id).await?;
    scorecards::enter_actuals(&state, &me, &employee, month, &figures, if_match(&headers).as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MonthQuery {
    /// `YYYY-MM`; default: the last full month.
    #[serde(default)]
    #[param(value_type = Option<String>, example = "2026-03")]
    pub month: MonthParam,
}

/// The month's scorecard and the year to date, each with its explanation in plain words.
#[utoipa::path(get, path = "/api/v1/employees/{id}/scorecard", tag = "kra", params(("id" = i64, Path), MonthQuery),
    responses((status = 200, body = EmployeeScorecard), (status = 403, body = ErrorBody)))]
async fn employee_scorecard(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<MonthQuery>,
) -> ApiResult<Json<EmployeeScorecard>> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(scorecards::employee_scorecard(&state, &me, &employee, q.month.0).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TrendQuery {
    /// The last month, `YYYY-MM`; default: the last full month.
    #[serde(default)]
    #[param(value_type = Option<String>, example = "2026-03")]
    pub through: MonthParam,
    /// How many months (1–36, default 12).
    pub months: Option<u32>,
}

/// Monthly total and rating over the last months.
#[utoipa::path(get, path = "/api/v1/employees/{id}/trend", tag = "kra", params(("id" = i64, Path), TrendQuery),
    responses((status = 200, body = Vec<TrendPoint>), (status = 403, body = ErrorBody)))]
async fn employee_trend(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<TrendQuery>,
) -> ApiResult<Json<Vec<TrendPoint>>> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(scorecards::trend(&state, &me, &employee, q.through.0, q.months.unwrap_or(12)).await?))
}

/// Changes to the person's scores, plans and ratings: who, when, before, after; a page at a
/// time, newest first.
#[utoipa::path(get, path = "/api/v1/employees/{id}/audit", tag = "kra", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Listing<serde_json::Value>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn employee_audit(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<ladder_store::audit::AuditEntry>>> {
    let page = q.spec()?;
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(crate::service::records::audit_trail(&state, &me, &employee, &page).await?))
}

/// The team's month: agents × KRAs, and the team's totals as ratios of sums.
#[utoipa::path(get, path = "/api/v1/teams/{id}/scorecard", tag = "kra", params(("id" = i64, Path), MonthQuery),
    responses((status = 200, body = TeamScorecard), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn team_scorecard(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<TeamId>,
    QueryArgs(q): QueryArgs<MonthQuery>,
) -> ApiResult<Json<TeamScorecard>> {
    Ok(Json(scorecards::team_scorecard(&state, &me, id, q.month.0).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RollupQuery {
    /// `team`, `account` or `site`.
    #[param(value_type = String)]
    pub level: Level,
    /// First month, `YYYY-MM` (default: `through`).
    #[serde(default, deserialize_with = "optional_month")]
    #[param(value_type = Option<String>, example = "2026-01")]
    pub from: Option<Month>,
    /// Last month, `YYYY-MM` (default: the last full month).
    #[serde(default)]
    #[param(value_type = Option<String>, example = "2026-03")]
    pub through: MonthParam,
}

/// Figures by team, account or site over a span of months, as ratios of sums, over the teams
/// the caller may see.
#[utoipa::path(get, path = "/api/v1/rollups", tag = "kra", params(RollupQuery),
    responses((status = 200, body = Rollup), (status = 403, body = ErrorBody)))]
async fn rollups(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<RollupQuery>,
) -> ApiResult<Json<Rollup>> {
    let through = q.through.0;
    let from = q.from.unwrap_or(through);
    if from > through {
        return Err(ApiError::invalid("from", "from comes after through"));
    }
    Ok(Json(scorecards::rollup(&state, &me, q.level, from, through).await?))
}

/// The person's career plan: target, routes as dated milestones, and readiness for the next step.
#[utoipa::path(get, path = "/api/v1/employees/{id}/career-plan", tag = "kra", params(("id" = i64, Path)),
    responses((status = 200, body = CareerPlanView), (status = 403, body = ErrorBody)))]
async fn get_career_plan(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
) -> ApiResult<Json<CareerPlanView>> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(career::career_plan(&state, &me, &employee).await?))
}

/// Chooses a target role and horizon (the person only).
#[utoipa::path(put, path = "/api/v1/employees/{id}/career-plan", tag = "kra", params(("id" = i64, Path)),
    request_body = CareerPlanInput,
    responses((status = 200, body = CareerPlanView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_career_plan(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    JsonBody(input): JsonBody<CareerPlanInput>,
) -> ApiResult<Json<CareerPlanView>> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(career::save_career_plan(&state, &me, &employee, &input).await?))
}
