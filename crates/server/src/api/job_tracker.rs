//! A person's own job hunt (issue 28): saved searches and the tracker of outside applications.
//! Under `/api/v1/me/`: each person reaches only their own; an id of someone else's is 403,
//! whoever asks (their leader, HR and administrators included).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, ErrorBody, JsonBody, QueryArgs};
use crate::service::listing::{Listing, Order, PageQuery};
use crate::service::postings::tracker::{self as service, SavedSearchView, SearchInput, TrackInput, TrackedView};
use crate::service::postings::PostingItem;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(searches, save_search))
        .routes(routes!(delete_search))
        .routes(routes!(run_search))
        .routes(routes!(applications, track))
        .routes(routes!(application, update_application, delete_application))
}

/// The signed-in person's saved searches (at most 20), oldest first, each with how many open
/// postings matching it arrived since they last ran it; a page at a time.
#[utoipa::path(get, path = "/api/v1/me/job-searches", tag = "jobs", params(PageQuery),
    responses((status = 200, body = Listing<SavedSearchView>), (status = 422, body = ErrorBody)))]
async fn searches(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<SavedSearchView>>> {
    let page = q.spec()?;
    Ok(Json(Listing::slice(service::searches(&state, &me).await?, &page, Order::Ascending, |s| s.id)?))
}

/// Saves a search (its filters as a query string) under a name; at most 20 a person.
#[utoipa::path(post, path = "/api/v1/me/job-searches", tag = "jobs", request_body = SearchInput,
    responses((status = 201, body = SavedSearchView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn save_search(
    State(state): State<AppState>,
    me: Me,
    JsonBody(input): JsonBody<SearchInput>,
) -> ApiResult<(StatusCode, Json<SavedSearchView>)> {
    Ok((StatusCode::CREATED, Json(service::save_search(&state, &me, &input).await?)))
}

#[utoipa::path(delete, path = "/api/v1/me/job-searches/{id}", tag = "jobs", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_search(State(state): State<AppState>, me: Me, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    service::delete_search(&state, &me, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RunQuery {
    /// 1–500, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Runs a saved search: a page of its postings with the person's fit. Its "new" count starts
/// again from here.
#[utoipa::path(get, path = "/api/v1/me/job-searches/{id}/postings", tag = "jobs",
    params(("id" = i64, Path), RunQuery),
    responses((status = 200, body = Listing<PostingItem>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn run_search(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<i64>,
    QueryArgs(q): QueryArgs<RunQuery>,
) -> ApiResult<Json<Listing<PostingItem>>> {
    Ok(Json(service::run_search(&state, &me, id, q.limit, q.cursor).await?))
}

/// The signed-in person's outside applications, a page at a time, the most recently changed
/// first. Private: no one else can list or read them.
#[utoipa::path(get, path = "/api/v1/me/outside-applications", tag = "jobs", params(PageQuery),
    responses((status = 200, body = Listing<TrackedView>), (status = 422, body = ErrorBody)))]
async fn applications(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<TrackedView>>> {
    let page = q.spec()?;
    let all = service::applications(&state, &me).await?;
    Ok(Json(Listing::slice(all, &page, Order::Descending, |a| (a.updated_at, a.id))?))
}

/// Starts tracking an outside application: from an imported posting (`posting_id`) or typed
/// (title, organisation, url). At most 500 a person.
#[utoipa::path(post, path = "/api/v1/me/outside-applications", tag = "jobs", request_body = TrackInput,
    responses((status = 201, body = TrackedView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn track(
    State(state): State<AppState>,
    me: Me,
    JsonBody(input): JsonBody<TrackInput>,
) -> ApiResult<(StatusCode, Json<TrackedView>)> {
    Ok((StatusCode::CREATED, Json(service::track(&state, &me, &input).await?)))
}

#[utoipa::path(get, path = "/api/v1/me/outside-applications/{id}", tag = "jobs", params(("id" = i64, Path)),
    responses((status = 200, body = TrackedView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn application(State(state): State<AppState>, me: Me, Path(id): Path<i64>) -> ApiResult<Json<TrackedView>> {
    Ok(Json(service::application(&state, &me, id).await?))
}

/// Moves an outside application on (stage, dates, note, reminder).
#[utoipa::path(put, path = "/api/v1/me/outside-applications/{id}", tag = "jobs", params(("id" = i64, Path)),
    request_body = TrackInput,
    responses((status = 200, body = TrackedView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_application(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<TrackInput>,
) -> ApiResult<Json<TrackedView>> {
    Ok(Json(service::update_application(&state, &me, id, &input).await?))
}

#[utoipa::path(delete, path = "/api/v1/me/outside-applications/{id}", tag = "jobs", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_application(State(state): State<AppState>, me: Me, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    service::delete_application(&state, &me, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
