//! Bulk imports over the API: the file is the request body, or a multipart form with the file
//! and the user's own mapping (TOML), as the page and `ladder import kpi --mapping FILE` take.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiError, ApiResult, ErrorBody, QueryArgs};
use crate::service::imports::{self, Kind, MappingChoice, MAX_MAPPING_BYTES};
use crate::service::shift_upload::{self, ShiftUpload};
use crate::state::AppState;

/// Files up to this size may be uploaded; larger ones go through `ladder import`.
pub const MAX_UPLOAD: usize = 64 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import))
        .routes(routes!(import_shifts))
        .routes(routes!(job))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// A mapping preset for KPI files: genesys-cloud, amazon-connect, five9, nice-cxone,
    /// talkdesk, ladder-wide, ladder-long (default), ladder-monthly. A multipart request may
    /// send its own mapping.
    pub mapping: Option<String>,
    /// Report what would change and every problem, and write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// KPI files: leave out rows about people no one is known as (template, QA, admin users)
    /// and list them in the report's `unknown`, instead of refusing the file.
    #[serde(default)]
    pub ignore_unknown: bool,
    /// Let the file replace stored figures with less (part-month days over a whole month's
    /// figure, a month's figure over more days); refused otherwise, listed before → after.
    #[serde(default)]
    pub replace_months: bool,
    /// People and KPI files: write the good rows and return the bad ones in `rejects_csv` (as they were,
    /// with a `reason` column) instead of writing nothing.
    #[serde(default)]
    pub skip_bad_rows: bool,
    /// KPI files with no date column: the date of every row (YYYY-MM-DD).
    pub date: Option<String>,
    /// KPI files: refuse rows outside this month (YYYY-MM); rows whose interval crosses its
    /// start or end count for it.
    pub period: Option<String>,
    /// KPI files: spread a row whose interval crosses a month end over its months by time.
    #[serde(default)]
    pub split_intervals: bool,
}

/// The multipart form (`multipart/form-data`): every field but `file` is optional, and a
/// field given here wins over the query's.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ImportForm {
    /// The CSV or XLSX file (its file name is kept).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// The user's own mapping (TOML, at most 64 KB), instead of a preset.
    #[schema(value_type = Option<String>, format = Binary)]
    mapping_file: Option<Vec<u8>>,
    /// A preset's name.
    mapping: Option<String>,
    /// `true` for a dry run.
    dry_run: Option<bool>,
    ignore_unknown: Option<bool>,
    replace_months: Option<bool>,
    skip_bad_rows: Option<bool>,
    /// Files with no date column: the date of every row (YYYY-MM-DD).
    date: Option<String>,
    /// Only rows of this month (YYYY-MM).
    period: Option<String>,
    split_intervals: Option<bool>,
}

/// The import's report, and the rows left out when bad rows were skipped.
#[derive(Serialize)]
pub struct ImportResponse {
    #[serde(flatten)]
    report: ladder_import::Report,
    /// CSV: the file's header and the bad rows as they were, plus a `reason` column.
    #[serde(skip_serializing_if = "Option::is_none")]
    rejects_csv: Option<String>,
}

/// Imports a CSV or XLSX file: the body (name it with `x-file-name`, e.g. `march.xlsx`), or a
/// multipart form with the file and the user's own mapping. All or nothing by default: 200 with
/// the report when it was committed (or a clean dry run), 422 with the report when nothing was
/// written. The report summarises every problem by kind (`problem_summary`: count, first row,
/// the first distinct values), names the months and people the file touches, and lists stored
/// figures the file would replace with less (`replacements`, refused without `replace_months`).
/// With `skip_bad_rows` a people or KPI file's good rows are written and the bad ones come back in
/// `rejects_csv`. Team leaders and managers may import rows about their own teams' people only.
#[utoipa::path(post, path = "/api/v1/imports/{kind}", tag = "imports",
    params(("kind" = String, Path, description = "people or kpi"), ImportQuery),
    request_body(content(
        (Vec<u8> = "application/octet-stream"),
        (ImportForm = "multipart/form-data"),
    )),
    responses((status = 200, body = serde_json::Value), (status = 422, body = serde_json::Value), (status = 403, body = ErrorBody)))]
async fn import(
    State(state): State<AppState>,
    me: Me,
    Path(kind): Path<String>,
    QueryArgs(q): QueryArgs<ImportQuery>,
    request: Request,
) -> ApiResult<(StatusCode, Json<ImportResponse>)> {
    let kind = match kind.as_str() {
        "people" => Kind::People,
        "kpi" => Kind::Kpi,
        other => return Err(ApiError::not_found(&format!("import kind '{other}'"))),
    };
    let headers = request.headers();
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let upload = if multipart {
        let form =
            Multipart::from_request(request, &state).await.map_err(|e| ApiError::invalid("body", e.body_text()))?;
        read_form(form, kind, q).await?
    } else {
        let name = headers.get("x-file-name").and_then(|v| v.to_str().ok()).unwrap_or("upload.csv").to_string();
        let body = Bytes::from_request(request, &state).await.map_err(|e| ApiError::invalid("body", e.body_text()))?;
        imports::Upload {
            kind,
            mapping: MappingChoice::Preset(q.mapping),
            file_name: name,
            bytes: body.to_vec(),
            dry_run: q.dry_run,
            ignore_unknown: q.ignore_unknown,
            replace_months: q.replace_months,
            skip_bad_rows: q.skip_bad_rows,
            kpi: imports::KpiChoices { date: q.date, period: q.period, split_intervals: q.split_intervals },
        }
    };
    let skip = upload.skip_bad_rows;
    let done = imports::run(&state, &me, upload, None).await?;
    // A dry run that skipping bad rows would let through answers as the real run would.
    let fine = done.report.committed || done.report.may_commit(skip);
    let status = if fine { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(ImportResponse { report: done.report, rejects_csv: done.rejects.as_deref().map(str::to_string) })))
}

/// Reads the multipart form's fields (the file, a written mapping, the choices).
async fn read_form(mut form: Multipart, kind: Kind, q: ImportQuery) -> ApiResult<imports::Upload> {
    let bad = |e: axum::extract::multipart::MultipartError| ApiError::invalid("body", e.body_text());
    let yes = |text: &str| matches!(text.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on");
    let mut upload = imports::Upload {
        kind,
        mapping: MappingChoice::Preset(q.mapping),
        file_name: "upload.csv".into(),
        bytes: Vec::new(),
        dry_run: q.dry_run,
        ignore_unknown: q.ignore_unknown,
        replace_months: q.replace_months,
        skip_bad_rows: q.skip_bad_rows,
        kpi: imports::KpiChoices { date: q.date, period: q.period, split_intervals: q.split_intervals },
    };
    let mut file = false;
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                upload.file_name = field.file_name().unwrap_or("upload.csv").to_string();
                upload.bytes = field.bytes().await.map_err(bad)?.to_vec();
                file = true;
            }
            "mapping_file" => {
                let file_name = field.file_name().unwrap_or("mapping.toml").to_string();
                let bytes = field.bytes().await.map_err(bad)?;
                if bytes.len() > MAX_MAPPING_BYTES {
                    let limit = MAX_MAPPING_BYTES / 1024;
                    return Err(ApiError::invalid("mapping_file", format!("a mapping file is at most {limit} KB")));
                }
                let text = String::from_utf8(bytes.to_vec())
                    .map_err(|_| ApiError::invalid("mapping_file", "the mapping file is not UTF-8 text"))?;
                upload.mapping = MappingChoice::Written { name: file_name, text };
            }
            "mapping" | "dry_run" | "ignore_unknown" | "replace_months" | "skip_bad_rows" | "date" | "period"
            | "split_intervals" => {
                let text = field.text().await.map_err(bad)?;
                if text.len() > 100 {
                    return Err(ApiError::invalid(&name, "at most 100 characters"));
                }
                match name.as_str() {
                    "mapping" if !matches!(upload.mapping, MappingChoice::Written { .. }) => {
                        upload.mapping = MappingChoice::Preset(Some(text.trim().to_string()).filter(|t| !t.is_empty()))
                    }
                    "dry_run" => upload.dry_run = yes(&text),
                    "ignore_unknown" => upload.ignore_unknown = yes(&text),
                    "replace_months" => upload.replace_months = yes(&text),
                    "skip_bad_rows" => upload.skip_bad_rows = yes(&text),
                    "date" => upload.kpi.date = Some(text),
                    "period" => upload.kpi.period = Some(text),
                    "split_intervals" => upload.kpi.split_intervals = yes(&text),
                    _ => {}
                }
            }
            other => return Err(ApiError::invalid(
                other,
                "unknown field (file, mapping_file, mapping, dry_run, ignore_unknown, replace_months, skip_bad_rows, \
                     date, period, split_intervals)",
            )),
        }
    }
    if !file {
        return Err(ApiError::invalid("file", "the form has no file field"));
    }
    Ok(upload)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ShiftQuery {
    /// A shift preset: ladder (default), nice-iex, calabrio, deputy, genesys-wfm,
    /// sprout-biologs, kronos-timecard (docs/shifts.md). A multipart form's `mapping` wins.
    pub mapping: Option<String>,
    /// Check every row and write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// The multipart form for a shift file: `file` and, optionally, `mapping` and `dry_run`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ShiftForm {
    /// The CSV, XLSX or (Genesys) JSON file (its file name is kept).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// A shift preset's name.
    mapping: Option<String>,
    /// `true` for a dry run.
    dry_run: Option<bool>,
}

/// A started import job and where to follow it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct JobStarted {
    pub id: String,
    /// The job as JSON: progress, then the report.
    pub url: String,
    /// The job's page, for a browser.
    pub page: String,
}

/// Imports a shift file (a schedule or a time clock's worked time) as a background job: the
/// body (name it with `x-file-name`), or a multipart form. All or nothing: a problem in any row
/// (named by row, column and value) and nothing is written. Team leaders and managers may
/// import rows about their own teams' people only. Answers 202 with the job's URL; read the
/// report there when its `status` is `done`.
#[utoipa::path(post, path = "/api/v1/imports/shifts", tag = "imports", params(ShiftQuery),
    request_body(content(
        (Vec<u8> = "application/octet-stream"),
        (ShiftForm = "multipart/form-data"),
    )),
    responses((status = 202, body = JobStarted), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn import_shifts(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<ShiftQuery>,
    request: Request,
) -> ApiResult<(StatusCode, [(header::HeaderName, String); 1], Json<JobStarted>)> {
    let headers = request.headers();
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let mut upload = ShiftUpload {
        preset: q.mapping.unwrap_or_else(|| "ladder".into()),
        file_name: headers.get("x-file-name").and_then(|v| v.to_str().ok()).unwrap_or("shifts.csv").to_string(),
        bytes: Vec::new(),
        dry_run: q.dry_run,
    };
    if multipart {
        let form =
            Multipart::from_request(request, &state).await.map_err(|e| ApiError::invalid("body", e.body_text()))?;
        read_shift_form(form, &mut upload).await?;
    } else {
        let body = Bytes::from_request(request, &state).await.map_err(|e| ApiError::invalid("body", e.body_text()))?;
        upload.bytes = body.to_vec();
    }
    if upload.bytes.is_empty() {
        return Err(ApiError::invalid("file", "the file is empty"));
    }
    let id = shift_upload::start(&state, &me, upload).await?;
    let url = format!("/api/v1/imports/jobs/{id}");
    let started = JobStarted { url: url.clone(), page: format!("/import/jobs/{id}"), id };
    Ok((StatusCode::ACCEPTED, [(header::LOCATION, url)], Json(started)))
}

/// Reads a shift form's fields into `upload`.
async fn read_shift_form(mut form: Multipart, upload: &mut ShiftUpload) -> ApiResult<()> {
    let bad = |e: axum::extract::multipart::MultipartError| ApiError::invalid("body", e.body_text());
    let mut file = false;
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                upload.file_name = field.file_name().unwrap_or("shifts.csv").to_string();
                upload.bytes = field.bytes().await.map_err(bad)?.to_vec();
                file = true;
            }
            "mapping" | "dry_run" => {
                let text = field.text().await.map_err(bad)?;
                if text.len() > 100 {
                    return Err(ApiError::invalid(&name, "at most 100 characters"));
                }
                if name == "mapping" {
                    upload.preset = text.trim().to_string();
                } else {
                    upload.dry_run = matches!(text.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on");
                }
            }
            other => return Err(ApiError::invalid(other, "unknown field (file, mapping, dry_run)")),
        }
    }
    if !file {
        return Err(ApiError::invalid("file", "the form has no file field"));
    }
    Ok(())
}

/// An import job as JSON: running with its progress, done with its report, or failed.
#[derive(Serialize, utoipa::ToSchema)]
pub struct JobView {
    pub id: String,
    /// running, done or failed.
    pub status: &'static str,
    /// While running: the phase, rows read, bytes read of the total, facts written of all.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub progress: Option<ladder_import::Progress>,
    /// A people or KPI file's report, when done.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub report: Option<ladder_import::Report>,
    /// A shift file's report (every problem by row, column and value), when done.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub shift_report: Option<ladder_import::shifts::ShiftReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One of the caller's import jobs (another user's is 404). Finished jobs are kept an hour.
#[utoipa::path(get, path = "/api/v1/imports/jobs/{id}", tag = "imports", params(("id" = String, Path)),
    responses((status = 200, body = JobView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn job(State(state): State<AppState>, me: Me, Path(id): Path<String>) -> ApiResult<Json<JobView>> {
    me.require(ladder_core::access::Action::Import)?;
    if id.len() > 100 {
        return Err(ApiError::not_found("import"));
    }
    let job = state.imports.get(&id).filter(|j| j.owner == me.user.id).ok_or_else(|| ApiError::not_found("import"))?;
    let running = job.running();
    let status = match (running, &job.error) {
        (true, _) => "running",
        (false, Some(_)) => "failed",
        (false, None) => "done",
    };
    Ok(Json(JobView {
        id,
        status,
        progress: job.progress.filter(|_| running),
        report: job.report,
        shift_report: job.shifts,
        error: job.error,
    }))
}
