//! The learning catalogue (issue 26): everyone reads it; HR and administrators add, edit and
//! retire the organisation's own entries; a person's gaps with the items that close them, and
//! enrolling in one (a planned training record).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use ladder_core::EmployeeId;
use ladder_store::records::TrainingItem;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, ErrorBody, JsonBody, QueryArgs};
use crate::service::learning::{self as service, CatalogueItem, GapItems, ItemInput};
use crate::service::listing::{Listing, PageQuery, PageSpec};
use crate::service::people::visible_employee;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(catalogue, add_item))
        .routes(routes!(update_item))
        .routes(routes!(retire_item))
        .routes(routes!(gaps))
        .routes(routes!(enrol))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CatalogueQuery {
    /// Retired entries too (HR and administrators only; others get the entries in use).
    pub retired: Option<bool>,
    /// Entries per page (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// The `next` of the page before.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

/// The catalogue: the organisation's own entries first, then the starter list's; a page at a time.
#[utoipa::path(get, path = "/api/v1/learning/items", tag = "learning", params(CatalogueQuery),
    responses((status = 200, body = Listing<CatalogueItem>), (status = 422, body = ErrorBody)))]
async fn catalogue(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<CatalogueQuery>,
) -> ApiResult<Json<Listing<CatalogueItem>>> {
    let page = PageSpec::new(q.limit, q.cursor.as_deref())?;
    Ok(Json(Listing::ranked(service::catalogue(&state, &me, q.retired.unwrap_or(false)).await?, &page)?))
}

/// Adds an entry of the organisation's own (HR and administrators).
#[utoipa::path(post, path = "/api/v1/learning/items", tag = "learning", request_body = ItemInput,
    responses((status = 201, body = CatalogueItem), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_item(
    State(state): State<AppState>,
    me: Me,
    JsonBody(input): JsonBody<ItemInput>,
) -> ApiResult<(StatusCode, Json<CatalogueItem>)> {
    Ok((StatusCode::CREATED, Json(service::add_item(&state, &me, &input).await?)))
}

/// Rewrites an entry of the organisation's own (HR and administrators).
#[utoipa::path(put, path = "/api/v1/learning/items/{id}", tag = "learning", params(("id" = i64, Path)),
    request_body = ItemInput,
    responses((status = 200, body = CatalogueItem), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn update_item(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<ItemInput>,
) -> ApiResult<Json<CatalogueItem>> {
    Ok(Json(service::update_item(&state, &me, id, &input).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireInput {
    /// true retires the entry (no longer suggested); false brings it back.
    pub retired: bool,
}

/// Retires an entry or brings it back (HR and administrators).
#[utoipa::path(post, path = "/api/v1/learning/items/{id}/retired", tag = "learning", params(("id" = i64, Path)),
    request_body = RetireInput,
    responses((status = 200, body = CatalogueItem), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn retire_item(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<RetireInput>,
) -> ApiResult<Json<CatalogueItem>> {
    Ok(Json(service::set_retired(&state, &me, id, input.retired).await?))
}

/// The person's skill and certification gaps for their target role, each with the one to three
/// items that close it (the organisation's entries first); a page of gaps at a time.
#[utoipa::path(get, path = "/api/v1/employees/{id}/learning", tag = "learning", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Listing<GapItems>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn gaps(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<GapItems>>> {
    let page = q.spec()?;
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(Listing::ranked(service::gaps(&state, &me, &employee).await?, &page)?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolInput {
    /// The catalogue item's `key` (`org-ID` or `starter-ID`).
    #[schema(max_length = 90)]
    pub item: String,
}

/// Enrols the person in a catalogue item: a planned training record. Enrolling again in an item
/// still planned or in progress gives the same record.
#[utoipa::path(post, path = "/api/v1/employees/{id}/learning/enrol", tag = "learning", params(("id" = i64, Path)),
    request_body = EnrolInput,
    responses((status = 200, body = serde_json::Value), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn enrol(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    JsonBody(input): JsonBody<EnrolInput>,
) -> ApiResult<Json<TrainingItem>> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(service::enrol(&state, &me, &employee, &input.item).await?))
}
