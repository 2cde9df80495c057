//! The public career explorer as JSON (issue 30): roles, the ladder, certifications, industries
//! and "which entry role fits me". No sign-in: like the pages, these read only the framework;
//! requests without credentials are bounded per address (`anonymous::limit`) and the one body
//! is small.

use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiError, ApiResult, ErrorBody, JsonBody, QueryArgs};
use crate::service::explore::{
    self, CertificationView, FitInput, FitView, IndustryView, LadderView, RoleSummary, RoleView,
};
use crate::service::listing::{Listing, PageQuery};
use crate::state::AppState;

/// The most bytes a self-assessment may send: a few dozen fields.
pub const MAX_FIT_BODY: usize = 4 * 1024;

/// Anyone while the explorer is public; a signed-in person only when `explorer_public` is off.
struct Reader;

impl FromRequestParts<AppState> for Reader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Reader, ApiError> {
        if !state.config.explorer_public {
            Me::from_request_parts(parts, state).await?;
        }
        Ok(Reader)
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_roles))
        .routes(routes!(get_role))
        .routes(routes!(get_ladder))
        .routes(routes!(list_certifications))
        .routes(routes!(get_certification))
        .routes(routes!(list_industries))
        .merge(OpenApiRouter::new().routes(routes!(post_fit)).layer(DefaultBodyLimit::max(MAX_FIT_BODY)))
}

/// Every role of the career framework, entry roles first, a page at a time.
#[utoipa::path(get, path = "/api/v1/explore/roles", tag = "explore", security(()), params(PageQuery),
    responses((status = 200, body = Listing<RoleSummary>), (status = 422, body = ErrorBody)))]
async fn list_roles(
    _: Reader,
    State(state): State<AppState>,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<RoleSummary>>> {
    Ok(Json(Listing::ranked(explore::roles(&state.framework), &q.spec()?)?))
}

/// One role: the work, skills with what each level means, education, shifts, the moves in and
/// out with typical months, certifications that help, the first 90 days (entry roles) and the
/// occupations outside BPO its skills carry over to.
#[utoipa::path(get, path = "/api/v1/explore/roles/{id}", tag = "explore", security(()),
    params(("id" = String, Path, description = "the role's id")),
    responses((status = 200, body = RoleView), (status = 404, body = ErrorBody)))]
async fn get_role(_: Reader, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<RoleView>> {
    let pay = crate::service::postings::market::role_pay(&state, &id).await?;
    Ok(Json(explore::role(&state.framework, &id, pay)?))
}

/// The ladder: every role with its typical months from an entry role, and every move.
#[utoipa::path(get, path = "/api/v1/explore/ladder", tag = "explore", security(()),
    responses((status = 200, body = LadderView)))]
async fn get_ladder(_: Reader, State(state): State<AppState>) -> Json<LadderView> {
    Json(explore::ladder(&state.framework))
}

/// Every certification in the framework: issuer, prerequisites, validity, the roles it helps;
/// a page at a time.
#[utoipa::path(get, path = "/api/v1/explore/certifications", tag = "explore", security(()), params(PageQuery),
    responses((status = 200, body = Listing<CertificationView>), (status = 422, body = ErrorBody)))]
async fn list_certifications(
    _: Reader,
    State(state): State<AppState>,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<CertificationView>>> {
    Ok(Json(Listing::ranked(explore::certifications(&state.framework), &q.spec()?)?))
}

/// One certification.
#[utoipa::path(get, path = "/api/v1/explore/certifications/{id}", tag = "explore", security(()),
    params(("id" = String, Path, description = "the certification's id")),
    responses((status = 200, body = CertificationView), (status = 404, body = ErrorBody)))]
async fn get_certification(
    _: Reader,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<CertificationView>> {
    Ok(Json(explore::certification(&state.framework, &id)?))
}

/// The industries BPO centres serve and the entry roles each hires for, a page at a time.
#[utoipa::path(get, path = "/api/v1/explore/industries", tag = "explore", security(()), params(PageQuery),
    responses((status = 200, body = Listing<IndustryView>), (status = 422, body = ErrorBody)))]
async fn list_industries(
    _: Reader,
    State(state): State<AppState>,
    QueryArgs(q): QueryArgs<PageQuery>,
) -> ApiResult<Json<Listing<IndustryView>>> {
    Ok(Json(Listing::ranked(explore::industries(&state.framework), &q.spec()?)?))
}

/// "Which entry role fits me": every entry role scored for the answers (out of 100), best
/// first, with the reasons, what to weigh, and the first 90 days' learning. Skills are rated
/// 1–5; one the self-assessment does not ask about, or an unknown field, is a 422 naming it.
#[utoipa::path(post, path = "/api/v1/explore/fit", tag = "explore", security(()), request_body = FitInput,
    responses((status = 200, body = FitView), (status = 422, body = ErrorBody)))]
async fn post_fit(
    _: Reader,
    State(state): State<AppState>,
    JsonBody(input): JsonBody<FitInput>,
) -> ApiResult<Json<FitView>> {
    Ok(Json(explore::fit(&state.framework, &input)?))
}
