//! Accomplishments, skills, certifications, training, check-ins and coaching notes.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{NaiveDate, Utc};
use ladder_core::EmployeeId;
use ladder_store::records::{
    Accomplishment, AccomplishmentFilter, CertificationRecord, Checkin, CoachingNote, SkillAssessment, TrainingItem,
};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, ErrorBody, JsonBody, QueryArgs};
use crate::service::listing::{Listing, Order, PageQuery, PageSpec};
use crate::service::people::{development_employee, visible_employee};
use crate::service::records::{
    self as service, AccomplishmentInput, AcknowledgeInput, CertificationInput, CheckinInput, CoachingInput,
    TrainingInput,
};
use crate::service::reminders::{self, Reminder};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_accomplishments, add_accomplishment))
        .routes(routes!(update_accomplishment, delete_accomplishment))
        .routes(routes!(share_accomplishment))
        .routes(routes!(list_skills))
        .routes(routes!(assess_skill))
        .routes(routes!(list_certifications, set_certification))
        .routes(routes!(list_training, add_training))
        .routes(routes!(list_checkins, submit_checkin))
        .routes(routes!(acknowledge_checkin))
        .routes(routes!(pending_checkins))
        .routes(routes!(list_coaching_notes, add_coaching_note))
        .routes(routes!(list_reminders))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AccomplishmentQuery {
    pub tag: Option<String>,
    /// A KRA metric id.
    pub kra: Option<String>,
    pub skill: Option<String>,
    #[serde(default, deserialize_with = "ladder_core::dates::deserialize_opt")]
    pub from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "ladder_core::dates::deserialize_opt")]
    pub to: Option<NaiveDate>,
    /// Entries per page (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// The `next` of the page before.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

/// The log, a page at a time, newest first (by date, then id): every entry for its owner; only
/// shared entries for anyone else who may see the person. `total` counts every page.
#[utoipa::path(get, path = "/api/v1/employees/{id}/accomplishments", tag = "records",
    params(("id" = i64, Path), AccomplishmentQuery),
    responses((status = 200, body = Listing<serde_json::Value>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn list_accomplishments(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<AccomplishmentQuery>,
) -> ApiResult<Json<Listing<Accomplishment>>> {
    let page = PageSpec::new(q.limit, q.cursor.as_deref())?;
    let employee = visible_employee(&state, &me, id).await?;
    let filter = AccomplishmentFilter {
        shared_only: true,
        tag: q.tag,
        kra: q.kra,
        skill: q.skill,
        from: q.from,
        to: q.to,
        limit: None,
        after: None,
    };
    Ok(Json(service::accomplishments(&state, &me, &employee, filter, &page).await?))
}

/// Adds an entry to one's own log (private unless `shared`).
#[utoipa::path(post, path = "/api/v1/employees/{id}/accomplishments", tag = "records",
    params(("id" = i64, Path)), request_body = AccomplishmentInput,
    responses((status = 201, body = serde_json::Value), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_accomplishment(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    JsonBody(input): JsonBody<AccomplishmentInput>,
) -> ApiResult<(StatusCode, Json<Accomplishment>)> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok((StatusCode::CREATED, Json(service::add_accomplishment(&state, &me, &employee, &input).await?)))
}

/// Rewrites one's own entry.
#[utoipa::path(put, path = "/api/v1/employees/{id}/accomplishments/{entry}", tag = "records",
    params(("id" = i64, Path), ("entry" = i64, Path)), request_body = AccomplishmentInput,
    responses((status = 200, body = serde_json::Value), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn update_accomplishment(
    State(state): State<AppState>,
    me: Me,
    Path((id, entry)): Path<(EmployeeId, i64)>,
    JsonBody(input): JsonBody<AccomplishmentInput>,
) -> ApiResult<Json<Accomplishment>> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(service::update_accomplishment(&state, &me, &employee, entry, &input).await?))
}

/// Deletes one's own entry.
#[utoipa::path(delete, path = "/api/v1/employees/{id}/accomplishments/{entry}", tag = "records",
    params(("id" = i64, Path), ("entry" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete_accomplishment(
    State(state): State<AppState>,
    me: Me,
    Path((id, entry)): Path<(EmployeeId, i64)>,
) -> ApiResult<StatusCode> {
    let employee = visible_employee(&state, &me, id).await?;
    service::delete_accomplishment(&state, &me, &employee, entry).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct ShareInput {
    pub shared: bool,
}

/// Shares an entry with one's leader (or makes it private again).
#[utoipa::path(post, path = "/api/v1/employees/{id}/accomplishments/{entry}/share", tag = "records",
    params(("id" = i64, Path), ("entry" = i64, Path)), request_body = ShareInput,
    responses((status = 200, body = serde_json::Value), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn share_accomplishment(
    State(state): State<AppState>,
    me: Me,
    Path((id, entry)): Path<(EmployeeId, i64)>,
    JsonBody(input): JsonBody<ShareInput>,
) -> ApiResult<Json<Accomplishment>> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(service::share_accomplishment(&state, &me, &employee, entry, input.shared).await?))
}

/// The person's skill assessments (self and leader), a page at a time, oldest first.
#[utoipa::path(get, path = "/api/v1/employees/{id}/skills", tag = "records", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Listing<serde_json::Value>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn list_skills(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<SkillAssessment>>> {
    let page = q.spec()?;
    let employee = development_employee(&state, &me, id).await?;
    let all = service::skill_assessments(&state, &me, &employee).await?;
    Ok(Json(Listing::slice(all, &page, Order::Ascending, |a| (a.assessed_at, a.id))?))
}

#[derive(Deserialize, ToSchema)]
pub struct LevelInput {
    /// 1 to 5, as the skill's level descriptors say.
    pub level: i32,
}

/// A self-assessment (by the person) or a leader assessment (by their leader or manager).
#[utoipa::path(post, path = "/api/v1/employees/{id}/skills/{skill}/assessments", tag = "records",
    params(("id" = i64, Path), ("skill" = String, Path)), request_body = LevelInput,
    responses((status = 201, body = serde_json::Value), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn assess_skill(
    State(state): State<AppState>,
    me: Me,
    Path((id, skill)): Path<(EmployeeId, String)>,
    JsonBody(input): JsonBody<LevelInput>,
) -> ApiResult<(StatusCode, Json<SkillAssessment>)> {
    let employee = development_employee(&state, &me, id).await?;
    Ok((StatusCode::CREATED, Json(service::assess_skill(&state, &me, &employee, &skill, input.level).await?)))
}

/// The person's certifications (planned, in progress, earned; with their evidence and
/// verification), a page at a time by certification id.
#[utoipa::path(get, path = "/api/v1/employees/{id}/certifications", tag = "records",
    params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Listing<serde_json::Value>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn list_certifications(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<CertificationRecord>>> {
    let page = q.spec()?;
    let employee = development_employee(&state, &me, id).await?;
    let all = service::certifications(&state, &me, &employee).await?;
    Ok(Json(Listing::slice(all, &page, Order::Ascending, |c| c.certification_id.clone())?))
}

/// Records a certification as planned, in progress or earned (expiry from the framework's
/// validity when not given).
#[utoipa::path(post, path = "/api/v1/employees/{id}/certifications", tag = "records", params(("id" = i64, Path)),
    request_body = CertificationInput,
    responses((status = 200, body = serde_json::Value), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_certification(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    JsonBody(input): JsonBody<CertificationInput>,
) -> ApiResult<Json<CertificationRecord>> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(service::set_certification(&state, &me, &employee, &input).await?))
}

/// The person's courses, bootcamps, mentoring and on-the-job items, a page at a time, by the
/// day done (or due), undated first.
#[utoipa::path(get, path = "/api/v1/employees/{id}/training", tag = "records", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Listing<serde_json::Value>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn list_training(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<TrainingItem>>> {
    let page = q.spec()?;
    let employee = development_employee(&state, &me, id).await?;
    Ok(Json(service::training(&state, &me, &employee, &page).await?))
}

/// Adds a course, bootcamp, mentoring or on-the-job item with its hours.
#[utoipa::path(post, path = "/api/v1/employees/{id}/training", tag = "records", params(("id" = i64, Path)),
    request_body = TrainingInput,
    responses((status = 201, body = serde_json::Value), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_training(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    JsonBody(input): JsonBody<TrainingInput>,
) -> ApiResult<(StatusCode, Json<TrainingItem>)> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok((StatusCode::CREATED, Json(service::add_training(&state, &me, &employee, &input).await?)))
}

/// The person's monthly check-ins, a page at a time, newest month first.
#[utoipa::path(get, path = "/api/v1/employees/{id}/checkins", tag = "records", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Listing<serde_json::Value>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn list_checkins(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<Checkin>>> {
    let page = q.spec()?;
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(service::checkins(&state, &me, &employee, &page).await?))
}

/// Sends the month's check-in to the leader (re-sending replaces it until acknowledged).
#[utoipa::path(post, path = "/api/v1/employees/{id}/checkins", tag = "records", params(("id" = i64, Path)),
    request_body = CheckinInput,
    responses((status = 201, body = serde_json::Value), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_checkin(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    JsonBody(input): JsonBody<CheckinInput>,
) -> ApiResult<(StatusCode, Json<Checkin>)> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok((StatusCode::CREATED, Json(service::submit_checkin(&state, &me, &employee, &input).await?)))
}

/// The leader acknowledges a check-in, with a comment and optionally a coaching note on a KRA.
#[utoipa::path(post, path = "/api/v1/employees/{id}/checkins/{checkin}/acknowledge", tag = "records",
    params(("id" = i64, Path), ("checkin" = i64, Path)), request_body = AcknowledgeInput,
    responses((status = 200, body = serde_json::Value), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn acknowledge_checkin(
    State(state): State<AppState>,
    me: Me,
    Path((id, checkin)): Path<(EmployeeId, i64)>,
    JsonBody(input): JsonBody<AcknowledgeInput>,
) -> ApiResult<Json<Checkin>> {
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(service::acknowledge_checkin(&state, &me, &employee, checkin, &input).await?))
}

/// Check-ins waiting for the caller's review (team leaders and managers), a page at a time,
/// oldest first: the active members of their teams, never their own. Each item is the check-in
/// with `employee_name` and `waiting_days` (whole days since it was sent); `total` counts all.
#[utoipa::path(get, path = "/api/v1/checkins/pending", tag = "records", params(PageQuery),
    responses((status = 200, body = Listing<serde_json::Value>), (status = 422, body = ErrorBody)))]
async fn pending_checkins(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<service::PendingCheckin>>> {
    Ok(Json(service::pending_checkins(&state, &me, &q.spec()?).await?))
}

/// The coaching notes on the person, a page at a time, newest first.
#[utoipa::path(get, path = "/api/v1/employees/{id}/coaching-notes", tag = "records",
    params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Listing<serde_json::Value>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn list_coaching_notes(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<CoachingNote>>> {
    let page = q.spec()?;
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(service::coaching_notes(&state, &me, &employee, &page).await?))
}

/// A coaching note on a KRA with a follow-up date (leaders and managers of the person).
#[utoipa::path(post, path = "/api/v1/employees/{id}/coaching-notes", tag = "records", params(("id" = i64, Path)),
    request_body = CoachingInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_coaching_note(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    JsonBody(input): JsonBody<CoachingInput>,
) -> ApiResult<StatusCode> {
    let employee = visible_employee(&state, &me, id).await?;
    service::add_coaching_note(&state, &me, &employee, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What the person should act on soon: this month's check-in if not sent, certifications
/// expiring within the framework's warning window, coaching follow-ups within its reminder
/// window; a page at a time, in that order.
#[utoipa::path(get, path = "/api/v1/employees/{id}/reminders", tag = "records", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Listing<Reminder>), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn list_reminders(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<Reminder>>> {
    let page = q.spec()?;
    let employee = visible_employee(&state, &me, id).await?;
    Ok(Json(Listing::ranked(reminders::reminders(&state, &me, &employee, Utc::now().date_naive()).await?, &page)?))
}
