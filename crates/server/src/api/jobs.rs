//! Outside job postings (issue 28): the search with the person's fit, one posting, the market
//! view per framework role, and the import of JobPosting JSON-LD files (HR and administrators).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiError, ApiResult, ErrorBody, QueryArgs};
use crate::service::listing::{Listing, PageQuery};
use crate::service::postings::{self, market::RoleMarket, PostingItem, SearchQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(one))
        .routes(routes!(market))
        .routes(routes!(import))
        .layer(axum::extract::DefaultBodyLimit::max(postings::MAX_UPLOAD))
}

/// Open outside postings, remote first then the newest, with the filters job seekers use;
/// each with the signed-in person's fit for its role. Everyone signed in.
#[utoipa::path(get, path = "/api/v1/jobs/postings", tag = "jobs", params(SearchQuery),
    responses((status = 200, body = Listing<PostingItem>), (status = 422, body = ErrorBody)))]
async fn search(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<SearchQuery>,
) -> ApiResult<Json<Listing<PostingItem>>> {
    Ok(Json(postings::search(&state, &me, &q).await?))
}

#[derive(Serialize, ToSchema)]
pub struct PostingDetail {
    pub posting: PostingItem,
    /// Plain text.
    pub description: String,
}

/// One posting with its description and the person's fit.
#[utoipa::path(get, path = "/api/v1/jobs/postings/{id}", tag = "jobs", params(("id" = i64, Path)),
    responses((status = 200, body = PostingDetail), (status = 404, body = ErrorBody)))]
async fn one(State(state): State<AppState>, me: Me, Path(id): Path<i64>) -> ApiResult<Json<PostingDetail>> {
    let (posting, description) = postings::posting(&state, &me, id).await?;
    Ok(Json(PostingDetail { posting, description }))
}

/// For each framework role: pay median and quartiles of the open postings (overall, by
/// location, by shift), the share remote and the share with a signing bonus; a page at a time,
/// in the framework's order of roles.
#[utoipa::path(get, path = "/api/v1/jobs/market", tag = "jobs", params(PageQuery),
    responses((status = 200, body = Listing<RoleMarket>), (status = 422, body = ErrorBody)))]
async fn market(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<RoleMarket>>> {
    let page = q.spec()?;
    Ok(Json(Listing::ranked(postings::market::market(&state, &me).await?, &page)?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// The file's name, for the report.
    pub name: Option<String>,
    /// Read and report; write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Imports one JobPosting JSON-LD file (JSON, or a saved HTML page) sent as the request body;
/// a `name` ending in .csv, .tsv or .xlsx is read as a job board's table with the default
/// column names (docs/jobs.md). A body that is not valid JSON is reported with its line and
/// column (`skipped_files` 1); a table's rows that cannot be read, with row and column.
#[utoipa::path(post, path = "/api/v1/jobs/postings/import", tag = "jobs", params(ImportQuery),
    request_body(content = String, description = "the file", content_type = "application/ld+json"),
    responses((status = 200, description = "the import report: files (each with imported, updated, skipped_postings, error), imported, updated, skipped_files", body = Object),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<ImportQuery>,
    body: Bytes,
) -> ApiResult<Json<ladder_import::postings::PostingsReport>> {
    let name = q.name.unwrap_or_else(|| "upload".into());
    if let Some(p) = ladder_core::limits::line_problem(&name, ladder_core::limits::NAME) {
        return Err(ApiError::invalid("name", p));
    }
    Ok(Json(postings::import_files(&state, &me, vec![(name, body.to_vec())], None, q.dry_run).await?))
}
