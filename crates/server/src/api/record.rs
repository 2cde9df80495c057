//! The record that goes with a person (issue 30): one's own, a person's (HR and administrators),
//! and closing an account as a leaver with a one-time link to the record.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use ladder_core::EmployeeId;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, ErrorBody, QueryArgs};
use crate::service::leaver::{self, LeaverLink};
use crate::service::record::{self as service, RecordFormat};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(own_record)).routes(routes!(employee_record)).routes(routes!(close_as_leaver))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RecordQuery {
    /// `ladder` (the JSON `ladder import record` reads; the default), `zip` (that JSON and one
    /// CSV per part) or `json-resume`.
    #[serde(default)]
    pub format: RecordFormat,
}

/// Everything about me, as a file (docs/record.md).
#[utoipa::path(get, path = "/api/v1/me/record", tag = "record", params(RecordQuery),
    responses((status = 200, description = "the record file", content_type = "application/json"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn own_record(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<RecordQuery>,
) -> ApiResult<Response> {
    let record = service::own_record(&state, &me).await?;
    service::download(&record, q.format, &state.framework)
}

/// Everything about a person, as a file (HR and administrators).
#[utoipa::path(get, path = "/api/v1/employees/{id}/record", tag = "record", params(("id" = i64, Path), RecordQuery),
    responses((status = 200, description = "the record file", content_type = "application/json"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn employee_record(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<RecordQuery>,
) -> ApiResult<Response> {
    let record = service::record_of(&state, &me, id).await?;
    service::download(&record, q.format, &state.framework)
}

/// Close a person's account as a leaver: inactive from today, signed out and disabled; the
/// answer holds a one-time link to their record, shown this once (HR and administrators).
#[utoipa::path(post, path = "/api/v1/employees/{id}/leave", tag = "record", params(("id" = i64, Path)),
    responses((status = 200, body = LeaverLink), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
async fn close_as_leaver(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
) -> ApiResult<Json<LeaverLink>> {
    Ok(Json(leaver::close_as_leaver(&state, &me, id).await?))
}
