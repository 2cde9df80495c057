//! The organisation and its people, as far as the caller may see.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use ladder_core::access::Access;
use ladder_core::{EmployeeId, TeamId};
use ladder_store::org::{Employee, Scope};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, JsonBody, QueryArgs};
use crate::service::listing::{Listing, Order, PageQuery, PageSpec, MAX_LIMIT};
use crate::service::people::{self, visible_employee, IdentityView};
use crate::service::{directory, export};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_employees))
        .routes(routes!(export_employees))
        .routes(routes!(get_employee))
        .routes(routes!(list_identities))
        .routes(routes!(set_identity))
        .routes(routes!(list_teams))
}

/// The employees a caller's access covers.
pub async fn scope_of(state: &AppState, me: &Me) -> ApiResult<Scope> {
    Ok(match me.actor.access {
        Access::Agent => Scope::Employee(me.actor.employee_id.unwrap_or(EmployeeId(-1))),
        Access::TeamLeader => Scope::Teams(me.actor.led_teams.clone()),
        Access::Manager => {
            Scope::Teams(ladder_store::org::teams_in(&state.db, &me.actor.sites, &me.actor.accounts).await?)
        }
        // A QA/trainer's scope is their sites only (an account row never widens it).
        Access::Trainer => Scope::Teams(ladder_store::org::teams_in(&state.db, &me.actor.sites, &[]).await?),
        Access::Hr | Access::Admin => Scope::All,
    })
}

#[derive(Serialize, ToSchema)]
pub struct EmployeeView {
    #[schema(value_type = i64)]
    pub id: EmployeeId,
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    #[schema(value_type = Option<i64>)]
    pub team_id: Option<TeamId>,
    pub team_name: Option<String>,
    pub account_id: Option<i64>,
    pub site_id: Option<i64>,
    pub role_id: String,
    pub role_name: String,
    pub role_since: chrono::NaiveDate,
    pub hire_date: chrono::NaiveDate,
    /// True when the hire date is an estimate: from years of service (an HR export without
    /// dates), or unknown and counted from the first month with figures.
    pub hire_date_estimated: bool,
    /// How the hire date is known: `given`, `derived` (from years of service) or `first-data`
    /// (unknown: the first month with figures).
    pub hire_date_basis: String,
    #[schema(value_type = Option<i64>)]
    pub manager_id: Option<EmployeeId>,
}

impl EmployeeView {
    pub fn of(state: &AppState, e: Employee) -> EmployeeView {
        let role_name = state.framework.role(&e.role_id).map_or_else(|| e.role_id.clone(), |r| r.name.clone());
        EmployeeView {
            id: e.id,
            code: e.code,
            name: e.name,
            email: e.email,
            team_id: e.team_id,
            team_name: e.team_name,
            account_id: e.account_id,
            site_id: e.site_id,
            role_id: e.role_id,
            role_name,
            role_since: e.role_since,
            hire_date: e.hire_date,
            hire_date_estimated: e.hire_date_basis != "given",
            hire_date_basis: if e.hire_date_basis == "unknown" {
                "first-data".into()
            } else {
                e.hire_date_basis.clone()
            },
            manager_id: e.manager_id,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EmployeeFilter {
    /// Only this team's people.
    #[param(value_type = Option<i64>)]
    pub team: Option<TeamId>,
    /// People per page (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// The `next` of the page before.
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

/// A page of the people the caller may see (an agent: themselves; a leader: their teams; a
/// manager: their sites and accounts; HR and admins: everyone), by name; `total` counts them all.
#[utoipa::path(get, path = "/api/v1/employees", tag = "people", params(EmployeeFilter), responses((status = 200, body = Listing<EmployeeView>)))]
async fn list_employees(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<EmployeeFilter>,
) -> ApiResult<Json<Listing<EmployeeView>>> {
    let page = PageSpec::new(f.limit, f.cursor.as_deref())?;
    let listing = directory::employees(&state, &me, f.team, &page).await?;
    Ok(Json(listing.map(|e| EmployeeView::of(&state, e))))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EmployeeExport {
    /// csv or xlsx
    #[param(value_type = String)]
    pub format: export::Format,
    /// Only this team's people.
    #[param(value_type = Option<i64>)]
    pub team: Option<TeamId>,
}

/// The list of `GET /api/v1/employees` with the same filter, every page, as a CSV or XLSX file
/// (at most 100,000 rows; a longer list is a 422 asking for a filter).
#[utoipa::path(get, path = "/api/v1/employees/export", tag = "people", params(EmployeeExport),
    responses((status = 200, description = "the file", content_type = "text/csv"), (status = 422, body = crate::error::ErrorBody)))]
async fn export_employees(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(f): QueryArgs<EmployeeExport>,
) -> ApiResult<Response> {
    directory::employees_table(&state, &me, f.team).await?.download(f.format, "employees")
}

/// One person's profile.
#[utoipa::path(get, path = "/api/v1/employees/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = EmployeeView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
async fn get_employee(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
) -> ApiResult<Json<EmployeeView>> {
    Ok(Json(EmployeeView::of(&state, visible_employee(&state, &me, id).await?)))
}

/// One person's identifiers on the contact-centre platforms (what their exports call them), a
/// page at a time by platform.
#[utoipa::path(get, path = "/api/v1/employees/{id}/identities", tag = "people", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Listing<IdentityView>), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
async fn list_identities(
    State(state): State<AppState>,
    me: Me,
    Path(id): Path<EmployeeId>,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<IdentityView>>> {
    let all = people::identities(&state, &me, id).await?;
    Ok(Json(Listing::slice(all, &q.spec()?, Order::Ascending, |i| i.platform.clone())?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityInput {
    /// The user id, login, username or display name; `null` removes it.
    pub identifier: Option<String>,
}

/// Sets a person's identifier on a platform (genesys, amazon-connect, five9, nice, talkdesk,
/// wfm): their team leader, their manager, HR and admins may. An identifier another person has
/// on the same platform is a 409 (WFM display names may repeat).
#[utoipa::path(put, path = "/api/v1/employees/{id}/identities/{platform}", tag = "people",
    params(("id" = i64, Path), ("platform" = String, Path)), request_body = IdentityInput,
    responses((status = 200, body = Listing<IdentityView>), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
async fn set_identity(
    State(state): State<AppState>,
    me: Me,
    Path((id, platform)): Path<(EmployeeId, String)>,
    JsonBody(input): JsonBody<IdentityInput>,
) -> ApiResult<Json<Listing<IdentityView>>> {
    // The person's identifiers after the change, as the list answers them (one page: a person
    // has one a platform).
    let all = people::set_identity(&state, &me, id, &platform, input.identifier.as_deref()).await?;
    Ok(Json(Listing::slice(all, &PageSpec::first(MAX_LIMIT), Order::Ascending, |i| i.platform.clone())?))
}

#[derive(Serialize, ToSchema)]
pub struct TeamView {
    #[schema(value_type = i64)]
    pub id: TeamId,
    pub name: String,
    pub account_id: i64,
    pub site_id: i64,
}

/// A page of the teams the caller may see, by name.
#[utoipa::path(get, path = "/api/v1/teams", tag = "people", params(PageQuery), responses((status = 200, body = Listing<TeamView>)))]
async fn list_teams(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<TeamView>>> {
    let page = PageSpec::new(q.limit, q.cursor.as_deref())?;
    let teams = directory::teams(&state, &me, &page).await?;
    Ok(Json(teams.map(|t| TeamView { id: t.id, name: t.name, account_id: t.account_id, site_id: t.site_id })))
}
