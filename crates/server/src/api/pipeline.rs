//! The talent pipeline over everyone in the caller's scope: a paged list and its counts (the
//! 9-box and the stages), with the same filters.

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, ErrorBody, QueryArgs};
use crate::service::listing::Listing;
use crate::service::pipeline::{self, PipelineEntry, PipelineExport, PipelineFilter, PipelineQuery, PipelineSummary};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(summary)).routes(routes!(download))
}

/// Who is ready or nearly ready for their next role, with a 9-box position: one page, over
/// everyone the caller may see (`total`), filtered and sorted; `next` reads the next page.
#[utoipa::path(get, path = "/api/v1/pipeline", tag = "kra", params(PipelineQuery),
    responses((status = 200, body = Listing<PipelineEntry>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PipelineQuery>,
) -> ApiResult<Json<Listing<PipelineEntry>>> {
    Ok(Json(pipeline::pipeline(&state, &me, &q).await?))
}

/// The pipeline's counts with the same filters: the 9-box's twelve cells (they add up to
/// `total`) and the people ready, nearly ready and developing.
#[utoipa::path(get, path = "/api/v1/pipeline/summary", tag = "kra", params(PipelineFilter),
    responses((status = 200, body = PipelineSummary), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn summary(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<PipelineFilter>,
) -> ApiResult<Json<PipelineSummary>> {
    Ok(Json(pipeline::summary(&state, &me, &f).await?))
}

/// The pipeline with the list's filters and order, every row, as a CSV or XLSX file (at most
/// 100,000 rows; a longer list is a 422 asking for a filter).
#[utoipa::path(get, path = "/api/v1/pipeline/export", tag = "kra", params(PipelineExport),
    responses((status = 200, description = "the file", content_type = "text/csv"), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn download(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PipelineExport>,
) -> ApiResult<Response> {
    let format = pipeline::format_of(&q)?;
    pipeline::pipeline_table(&state, &me, &q).await?.download(format, "pipeline")
}
