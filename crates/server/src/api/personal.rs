//! A person's own Ladder (issue 30): their calendar (download and secret feed), their reminder
//! e-mails, and HR linking a self sign-up's account to an employee record.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, ErrorBody, JsonBody, QueryArgs};
use crate::service::accounts::UserRow;
use crate::service::calendar::{self, FeedLinks};
use crate::service::listing::{Listing, PageQuery, PageSpec, MAX_LIMIT};
use crate::service::mail::{self, MailSetting};
use crate::service::personal_plan::{self, PersonalPlanInput, PersonalPlanView};
use crate::service::signup::{self, LinkAccount};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(download_calendar))
        .routes(routes!(new_feed, revoke_feed))
        .routes(routes!(mail_settings, set_mail_settings))
        .routes(routes!(link_account))
        .routes(routes!(personal_plan, save_personal_plan))
}

/// An iCalendar file as a download (`attachment`) or a feed (`inline`).
pub fn ics(text: String, attachment: bool) -> Response {
    let disposition =
        if attachment { "attachment; filename=\"ladder.ics\"" } else { "inline; filename=\"ladder.ics\"" };
    let headers = [
        (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
        (header::CONTENT_DISPOSITION, disposition),
        (header::CACHE_CONTROL, "private, no-store"),
    ];
    (headers, text).into_response()
}

/// One's own calendar (RFC 5545): plan milestones, check-ins due, certification expiries,
/// coaching follow-ups, scheduled shifts.
#[utoipa::path(get, path = "/api/v1/me/calendar.ics", tag = "session",
    responses((status = 200, description = "the calendar", content_type = "text/calendar"), (status = 404, body = ErrorBody)))]
async fn download_calendar(State(state): State<AppState>, me: Me) -> ApiResult<Response> {
    Ok(ics(calendar::own(&state, &me).await?, true))
}

/// A new secret address for one's calendar feed, shown once; the earlier one stops working.
#[utoipa::path(put, path = "/api/v1/me/calendar-feed", tag = "session",
    responses((status = 200, body = FeedLinks), (status = 404, body = ErrorBody)))]
async fn new_feed(State(state): State<AppState>, me: Me) -> ApiResult<Json<FeedLinks>> {
    Ok(Json(calendar::new_feed(&state, &me).await?))
}

/// Revokes one's calendar feed: its address stops working.
#[utoipa::path(delete, path = "/api/v1/me/calendar-feed", tag = "session",
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn revoke_feed(State(state): State<AppState>, me: Me) -> ApiResult<StatusCode> {
    calendar::revoke_feed(&state, &me).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which reminder e-mails one gets: one row a kind, a page at a time.
#[utoipa::path(get, path = "/api/v1/me/mail", tag = "session", params(PageQuery),
    responses((status = 200, body = Listing<MailSetting>), (status = 422, body = ErrorBody)))]
async fn mail_settings(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<MailSetting>>> {
    let page = q.spec()?;
    Ok(Json(Listing::ranked(mail::settings(&state, &me).await?, &page)?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MailChoice {
    /// The kinds turned off (checkin-due, checkin-acknowledged, certification-expiring,
    /// application-moved, follow-up-due, checkin-sent, skill-confirmed); every other kind is on.
    pub off: Vec<String>,
}

/// Turns reminder e-mails on and off; answers every kind as the list does (one page: there are
/// far fewer kinds than a page holds).
#[utoipa::path(put, path = "/api/v1/me/mail", tag = "session", request_body = MailChoice,
    responses((status = 200, body = Listing<MailSetting>), (status = 422, body = ErrorBody)))]
async fn set_mail_settings(
    State(state): State<AppState>,
    me: Me,
    JsonBody(body): JsonBody<MailChoice>,
) -> ApiResult<Json<Listing<MailSetting>>> {
    let settings = mail::set_off(&state, &me, &body.off).await?;
    Ok(Json(Listing::ranked(settings, &PageSpec::first(MAX_LIMIT))?))
}

/// Links an account without an employee record (a self sign-up) to one: HR and administrators.
#[utoipa::path(put, path = "/api/v1/users/{id}/employee", tag = "admin", params(("id" = i64, Path)),
    request_body = LinkAccount,
    responses((status = 200, body = UserRow), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn link_account(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<ladder_core::UserId>,
    JsonBody(body): JsonBody<LinkAccount>,
) -> ApiResult<Json<UserRow>> {
    Ok(Json(signup::link_account(&state, &me, id, &body).await?))
}

/// One's personal plan (for an account with no employee record; those with one plan on it).
#[utoipa::path(get, path = "/api/v1/me/personal-plan", tag = "session", responses((status = 200, body = PersonalPlanView)))]
async fn personal_plan(State(state): State<AppState>, me: Me) -> ApiResult<Json<PersonalPlanView>> {
    Ok(Json(personal_plan::view(&state, &me).await?))
}

/// Saves one's personal plan: from a role to another within a horizon.
#[utoipa::path(put, path = "/api/v1/me/personal-plan", tag = "session", request_body = PersonalPlanInput,
    responses((status = 200, body = PersonalPlanView), (status = 422, body = ErrorBody)))]
async fn save_personal_plan(
    State(state): State<AppState>,
    me: Me,
    JsonBody(body): JsonBody<PersonalPlanInput>,
) -> ApiResult<Json<PersonalPlanView>> {
    Ok(Json(personal_plan::save(&state, &me, &body).await?))
}
