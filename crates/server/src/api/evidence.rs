//! A certification's evidence and its verification (issue 26): upload and download the evidence
//! file, verify or reject, and the caller's "to verify" list.

use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use ladder_core::EmployeeId;
use ladder_store::records::{CertificationRecord, EvidenceFile};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiError, ApiResult, ErrorBody, JsonBody, QueryArgs};
use crate::service::evidence::{self, DecisionInput, ToConfirm, ToVerify};
use crate::service::listing::{Listing, PageQuery};
use crate::service::people::{development_employee, visible_employee};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(download_evidence, upload_evidence))
        .routes(routes!(decide))
        .routes(routes!(to_verify))
        .routes(routes!(to_confirm))
        // A file of 2 MiB and a little over, so a file just too big is a 422 naming the field.
        .layer(axum::extract::DefaultBodyLimit::max(evidence::FILE_MAX + 64 * 1024))
}

/// The evidence file, as a download in its own content type: to whoever may see the person's
/// skills and certifications.
#[utoipa::path(get, path = "/api/v1/employees/{id}/certifications/{certification}/evidence", tag = "records",
    params(("id" = i64, Path), ("certification" = String, Path)),
    responses((status = 200, description = "the file (PDF, PNG or JPEG)", content_type = "application/octet-stream"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn download_evidence(
    State(state): State<AppState>,
    me: Me,
    Path((id, certification)): Path<(EmployeeId, String)>,
) -> ApiResult<Response> {
    let employee = development_employee(&state, &me, id).await?;
    let file = evidence::file(&state, &me, &employee, &certification).await?;
    Ok(file_response(file))
}

/// A stored evidence file as an attachment, never shown inline (its type is the sniffed one).
pub fn file_response(file: EvidenceFile) -> Response {
    let ascii: String =
        file.file_name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    let headers = [
        (header::CONTENT_TYPE, file.content_type),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\"")),
        (header::CACHE_CONTROL, "private, no-store".to_string()),
    ];
    (headers, file.content).into_response()
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The file's name as the person knows it (at most 200 characters kept).
    pub name: Option<String>,
}

/// Attaches (or replaces) a recorded certification's evidence file: the body is the file itself,
/// a PDF, PNG or JPEG of at most 2 MiB (its content decides its type). The person or the line
/// above them; the certification then waits for a verifier again.
#[utoipa::path(put, path = "/api/v1/employees/{id}/certifications/{certification}/evidence", tag = "records",
    params(("id" = i64, Path), ("certification" = String, Path), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = serde_json::Value), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn upload_evidence(
    State(state): State<AppState>,
    me: Me,
    Path((id, certification)): Path<(EmployeeId, String)>,
    QueryArgs(q): QueryArgs<UploadQuery>,
    request: Request,
) -> ApiResult<Json<CertificationRecord>> {
    let employee = visible_employee(&state, &me, id).await?;
    // Refused before the body is read.
    evidence::may_give_evidence(&me, &employee)?;
    let body = Bytes::from_request(request, &state).await.map_err(|e| ApiError::invalid("body", e.body_text()))?;
    let name = q.name.unwrap_or_default();
    Ok(Json(evidence::attach_file(&state, &me, &employee, &certification, &name, body.to_vec()).await?))
}

/// Verifies or rejects (with a reason) an earned certification: the person's team leader, a
/// QA/trainer over them, HR or an administrator, never on their own.
#[utoipa::path(post, path = "/api/v1/employees/{id}/certifications/{certification}/verification", tag = "records",
    params(("id" = i64, Path), ("certification" = String, Path)), request_body = DecisionInput,
    responses((status = 200, body = serde_json::Value), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn decide(
    State(state): State<AppState>,
    me: Me,
    Path((id, certification)): Path<(EmployeeId, String)>,
    JsonBody(input): JsonBody<DecisionInput>,
) -> ApiResult<Json<CertificationRecord>> {
    let employee = development_employee(&state, &me, id).await?;
    Ok(Json(evidence::decide(&state, &me, &employee, &certification, &input).await?))
}

/// Earned certifications waiting for the caller to verify them, a page at a time, oldest claim
/// first: a team leader's teams, a QA/trainer's sites, everyone for HR and administrators.
#[utoipa::path(get, path = "/api/v1/certifications/to-verify", tag = "records", params(PageQuery),
    responses((status = 200, body = Listing<ToVerify>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn to_verify(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<ToVerify>>> {
    Ok(Json(evidence::to_verify(&state, &me, &q.spec()?).await?))
}

/// Self-ratings no leader or QA/trainer has assessed since, a page at a time, oldest first: a
/// team leader's teams, a QA/trainer's sites. Confirm one with a leader assessment
/// (`POST /api/v1/employees/{id}/skills/{skill}/assessments`).
#[utoipa::path(get, path = "/api/v1/skills/to-confirm", tag = "records", params(PageQuery),
    responses((status = 200, body = Listing<ToConfirm>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn to_confirm(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<ToConfirm>>> {
    Ok(Json(evidence::to_confirm(&state, &me, &q.spec()?).await?))
}
