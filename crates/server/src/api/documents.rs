//! Server-made PDF files (issue 30): a person's promotion packet and career plan, for whoever
//! may see the person (the same checks as the JSON and the pages).

use axum::extract::{Path, State};
use axum::response::Response;
use ladder_core::EmployeeId;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::ApiResult;
use crate::service::people::visible_employee;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(packet_pdf)).routes(routes!(career_plan_pdf))
}

/// The promotion packet as a PDF: the record, the monthly scores as a chart, accomplishments,
/// the next role's requirements, certifications, the leader's endorsement.
#[utoipa::path(get, path = "/api/v1/employees/{id}/packet.pdf", tag = "records", params(("id" = i64, Path)),
    responses((status = 200, description = "the PDF file", content_type = "application/pdf"),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn packet_pdf(State(state): State<AppState>, me: Me, Path(id): Path<EmployeeId>) -> ApiResult<Response> {
    let (name, bytes) = crate::pdf::packet(&state, &me, id).await?;
    Ok(crate::pdf::download(bytes, &name))
}

/// The career plan as a PDF: the route as a timeline, readiness for the next step as bars.
#[utoipa::path(get, path = "/api/v1/employees/{id}/career-plan.pdf", tag = "kra", params(("id" = i64, Path)),
    responses((status = 200, description = "the PDF file", content_type = "application/pdf"),
        (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn career_plan_pdf(State(state): State<AppState>, me: Me, Path(id): Path<EmployeeId>) -> ApiResult<Response> {
    let employee = visible_employee(&state, &me, id).await?;
    let (name, bytes) = crate::pdf::plan(&state, &me, &employee).await?;
    Ok(crate::pdf::download(bytes, &name))
}
