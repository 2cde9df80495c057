//! Internal openings and applications in the JSON API (issue 28), and the public JSON-LD feed
//! of published openings (no sign-in).

use axum::extract::{Path, State};
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, JsonBody, QueryArgs};
use crate::service::listing::{Listing, Order, PageQuery, PageSpec};
use crate::service::openings::applications::{
    self as apps, ApplicationLine, ApplicationView, ApplyInput, EndorseInput, MoveInput,
};
use crate::service::openings::matching::{self, MatchQuery, MatchView};
use crate::service::openings::{self as service, OpeningInput, OpeningView, OpeningsQuery};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(opening, update))
        .routes(routes!(close))
        .routes(routes!(reopen))
        .routes(routes!(for_me))
        .routes(routes!(apply))
        .routes(routes!(of_opening))
        .routes(routes!(mine))
        .routes(routes!(to_endorse))
        .routes(routes!(application))
        .routes(routes!(move_stage))
        .routes(routes!(endorse))
}

type E = crate::error::ErrorBody;

/// Openings, newest first: those taking applications, or with `all` every one.
#[utoipa::path(get, path = "/api/v1/openings", tag = "openings", params(OpeningsQuery),
    responses((status = 200, body = Listing<OpeningView>), (status = 422, body = E)))]
async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<OpeningsQuery>,
) -> ApiResult<Json<Listing<OpeningView>>> {
    Ok(Json(service::list(&state, &me, &q).await?))
}

/// Posts an opening (HR and administrators anywhere, managers at their sites and accounts).
#[utoipa::path(post, path = "/api/v1/openings", tag = "openings", request_body = OpeningInput,
    responses((status = 200, body = OpeningView), (status = 403, body = E), (status = 422, body = E)))]
async fn create(
    State(state): State<AppState>,
    me: Me,
    JsonBody(input): JsonBody<OpeningInput>,
) -> ApiResult<Json<OpeningView>> {
    Ok(Json(service::create(&state, &me, input).await?))
}

#[utoipa::path(get, path = "/api/v1/openings/{id}", tag = "openings", params(("id" = i64, Path)),
    responses((status = 200, body = OpeningView), (status = 404, body = E)))]
async fn opening(State(state): State<AppState>, me: Me, Path(id): Path<i64>) -> ApiResult<Json<OpeningView>> {
    Ok(Json(service::opening(&state, &me, id).await?))
}

/// Edits an opening (whoever may post at both its old and its new place).
#[utoipa::path(put, path = "/api/v1/openings/{id}", tag = "openings", params(("id" = i64, Path)), request_body = OpeningInput,
    responses((status = 200, body = OpeningView), (status = 403, body = E), (status = 422, body = E)))]
async fn update(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<OpeningInput>,
) -> ApiResult<Json<OpeningView>> {
    Ok(Json(service::update(&state, &me, id, input).await?))
}

/// Closes an opening: it takes no more applications and leaves the public feed.
#[utoipa::path(post, path = "/api/v1/openings/{id}/close", tag = "openings", params(("id" = i64, Path)),
    responses((status = 200, body = OpeningView), (status = 403, body = E)))]
async fn close(State(state): State<AppState>, me: Me, Path(id): Path<i64>) -> ApiResult<Json<OpeningView>> {
    Ok(Json(service::set_open(&state, &me, id, false).await?))
}

#[utoipa::path(post, path = "/api/v1/openings/{id}/reopen", tag = "openings", params(("id" = i64, Path)),
    responses((status = 200, body = OpeningView), (status = 403, body = E)))]
async fn reopen(State(state): State<AppState>, me: Me, Path(id): Path<i64>) -> ApiResult<Json<OpeningView>> {
    Ok(Json(service::set_open(&state, &me, id, true).await?))
}

/// The open openings for the caller: eligible, then nearly eligible with the gaps and the
/// forecast date; with `all`, the rest too. A page at a time by rank (standing, then the newest
/// opening first). Only the newest 500 open openings are judged: with more open, older ones are
/// not listed, and `total` counts the matches among those 500.
#[utoipa::path(get, path = "/api/v1/me/openings", tag = "openings", params(MatchQuery),
    responses((status = 200, body = Listing<MatchView>,
        description = "A page of matches; `total` is of the newest 500 open openings, not of all open ones"),
        (status = 422, body = E)))]
async fn for_me(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<MatchQuery>,
) -> ApiResult<Json<Listing<MatchView>>> {
    Ok(Json(matching::for_me_page(&state, &me, &q).await?))
}

/// Applies the caller with their promotion packet (eligible or nearly eligible only).
#[utoipa::path(post, path = "/api/v1/openings/{id}/applications", tag = "openings", params(("id" = i64, Path)), request_body = ApplyInput,
    responses((status = 200, body = ApplicationView), (status = 409, body = E), (status = 422, body = E)))]
async fn apply(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<ApplyInput>,
) -> ApiResult<Json<ApplicationView>> {
    Ok(Json(apps::apply(&state, &me, id, &input).await?))
}

/// An opening's applications the caller may see (HR and the hiring manager: all), a page at a
/// time, the first applied first.
#[utoipa::path(get, path = "/api/v1/openings/{id}/applications", tag = "openings", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Listing<ApplicationLine>), (status = 422, body = E)))]
async fn of_opening(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<i64>,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<ApplicationLine>>> {
    let page = q.spec()?;
    Ok(Json(by_applied(apps::of_opening(&state, &me, id).await?, &page)?))
}

/// The caller's own applications and their stages, a page at a time, the first applied first.
#[utoipa::path(get, path = "/api/v1/me/applications", tag = "openings", params(PageQuery),
    responses((status = 200, body = Listing<ApplicationLine>), (status = 422, body = E)))]
async fn mine(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<ApplicationLine>>> {
    let page = q.spec()?;
    Ok(Json(by_applied(apps::mine(&state, &me).await?, &page)?))
}

/// A team leader's queue: their people's open applications not yet endorsed, a page at a time,
/// the first applied first.
#[utoipa::path(get, path = "/api/v1/me/applications-to-endorse", tag = "openings", params(PageQuery),
    responses((status = 200, body = Listing<ApplicationLine>), (status = 422, body = E)))]
async fn to_endorse(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<ApplicationLine>>> {
    let page = q.spec()?;
    Ok(Json(by_applied(apps::to_endorse(&state, &me).await?, &page)?))
}

/// A page of applications by the time they were made, then id.
fn by_applied(all: Vec<ApplicationLine>, page: &PageSpec) -> ApiResult<Listing<ApplicationLine>> {
    Listing::slice(all, page, Order::Ascending, |a| (a.applied_at, a.id))
}

/// One application with its packet and stage history (applicant, their leader, the hiring
/// manager and HR only).
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "openings", params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationView), (status = 403, body = E), (status = 404, body = E)))]
async fn application(State(state): State<AppState>, me: Me, Path(id): Path<i64>) -> ApiResult<Json<ApplicationView>> {
    Ok(Json(apps::application(&state, &me, id).await?))
}

/// Moves an application's stage with a note (HR and the hiring manager; the applicant only
/// withdraws). Hired needs `start_date` and changes the person's role and team from it.
#[utoipa::path(post, path = "/api/v1/applications/{id}/stage", tag = "openings", params(("id" = i64, Path)), request_body = MoveInput,
    responses((status = 200, body = ApplicationView), (status = 403, body = E), (status = 409, body = E), (status = 412, body = E)))]
async fn move_stage(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<MoveInput>,
) -> ApiResult<Json<ApplicationView>> {
    Ok(Json(apps::move_stage(&state, &me, id, &input).await?))
}

/// The applicant's team leader endorses the application.
#[utoipa::path(post, path = "/api/v1/applications/{id}/endorsement", tag = "openings", params(("id" = i64, Path)), request_body = EndorseInput,
    responses((status = 200, body = ApplicationView), (status = 403, body = E)))]
async fn endorse(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<EndorseInput>,
) -> ApiResult<Json<ApplicationView>> {
    Ok(Json(apps::endorse(&state, &me, id, &input).await?))
}
