//! The headcount (issue 25): people by site, account, role or tenure band, with the month's
//! joiners, leavers, promotions and attrition; as JSON or as a CSV or XLSX download.

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, ErrorBody, QueryArgs};
use crate::params::MonthParam;
use crate::service::export;
use crate::service::headcount::{self, HeadcountView, Level};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_headcount)).routes(routes!(export_headcount))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HeadcountQuery {
    /// `YYYY-MM`; default: the last full month.
    #[serde(default)]
    #[param(value_type = Option<String>, example = "2026-03")]
    pub month: MonthParam,
    /// site (default), account, role or tenure
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub level: Level,
}

/// The month's headcount by site, account, role or tenure band (HR and admins: everyone;
/// managers: their sites and accounts).
#[utoipa::path(get, path = "/api/v1/headcount", tag = "people", params(HeadcountQuery),
    responses((status = 200, body = HeadcountView), (status = 403, body = ErrorBody)))]
async fn get_headcount(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<HeadcountQuery>,
) -> ApiResult<Json<HeadcountView>> {
    Ok(Json(headcount::headcount(&state, &me, q.month.0, q.level).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HeadcountExport {
    /// csv or xlsx
    #[param(value_type = String)]
    pub format: export::Format,
    /// `YYYY-MM`; default: the last full month.
    #[serde(default)]
    #[param(value_type = Option<String>, example = "2026-03")]
    pub month: MonthParam,
    /// site (default), account, role or tenure
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub level: Level,
}

/// The headcount of `GET /api/v1/headcount` as a CSV or XLSX file, the total on the last row.
#[utoipa::path(get, path = "/api/v1/headcount/export", tag = "people", params(HeadcountExport),
    responses((status = 200, description = "the file", content_type = "text/csv"), (status = 403, body = ErrorBody)))]
async fn export_headcount(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<HeadcountExport>,
) -> ApiResult<Response> {
    let view = headcount::headcount(&state, &me, q.month.0, q.level).await?;
    headcount::table(&view).download(q.format, &format!("headcount-{}-{}", view.month, q.level.as_str()))
}
