//! Bulk imports over the API: the file is the request body.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, ErrorBody, QueryArgs};
use crate::service::imports::{self, Kind, MappingChoice};
use crate::state::AppState;

/// Files up to this size may be uploaded; larger ones go through `ladder import`.
pub const MAX_UPLOAD: usize = 64 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import)).layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// A mapping preset for KPI files: genesys-cloud, amazon-connect, five9, nice-cxone,
    /// talkdesk, ladder-wide, ladder-long (default), ladder-monthly.
    pub mapping: Option<String>,
    /// Report what would change and every problem, and write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// KPI files with no date column: the date of every row (YYYY-MM-DD).
    pub date: Option<String>,
    /// KPI files: refuse rows outside this month (YYYY-MM); rows whose interval crosses its
    /// start or end count for it.
    pub period: Option<String>,
    /// KPI files: spread a row whose interval crosses a month end over its months by time.
    #[serde(default)]
    pub split_intervals: bool,
}

/// Imports a CSV or XLSX file (the body; name it with `x-file-name`, e.g. `march.xlsx`).
/// All or nothing: 200 with the report when it was committed (or a clean dry run), 422 with
/// the report listing every problem (row, column, value) when nothing was written. Team
/// leaders and managers may import rows about their own teams' people only.
#[utoipa::path(post, path = "/api/v1/imports/{kind}", tag = "imports",
    params(("kind" = String, Path, description = "people or kpi"), ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = serde_json::Value), (status = 422, body = serde_json::Value), (status = 403, body = ErrorBody)))]
async fn import(
    State(state): State<AppState>,
    me: Me,
    Path(kind): Path<String>,
    QueryArgs(q): QueryArgs<ImportQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<ladder_import::Report>)> {
    let kind = match kind.as_str() {
        "people" => Kind::People,
        "kpi" => Kind::Kpi,
        other => return Err(crate::error::ApiError::not_found(&format!("import kind '{other}'"))),
    };
    let name = headers.get("x-file-name").and_then(|v| v.to_str().ok()).unwrap_or("upload.csv").to_string();
    let upload = imports::Upload {
        kind,
        mapping: MappingChoice::Preset(q.mapping),
        file_name: name,
        bytes: body.to_vec(),
        dry_run: q.dry_run,
        kpi: imports::KpiChoices { date: q.date, period: q.period, split_intervals: q.split_intervals },
    };
    let report = imports::run(&state, &me, upload, None).await?;
    let status = if report.is_ok() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)))
}
