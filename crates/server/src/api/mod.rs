//! The JSON API under `/api/v1`. Every handler is annotated for OpenAPI, and the document is
//! assembled from the same router that serves requests, so the two cannot drift.

pub mod imports;
pub mod kra;
pub mod people;
pub mod records;
pub mod session;
pub mod users;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Ladder API", description = "Career plans, KRAs and well-being for BPO teams. Sign in with POST /api/v1/session (cookie + x-csrf-token header on writes) or send `Authorization: Bearer <token>`."),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    tags(
        (name = "session", description = "Signing in and out, the current user, API tokens"),
        (name = "admin", description = "Users and invitations"),
        (name = "people", description = "The organisation and its people"),
        (name = "kra", description = "KRA plans, actuals and scorecards"),
        (name = "records", description = "Accomplishments, skills, certifications, training, check-ins"),
        (name = "imports", description = "People and KPI files from HR and contact-centre platforms"),
    )
)]
struct ApiDoc;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(session::router())
        .merge(users::router())
        .merge(people::router())
        .merge(kra::router())
        .merge(records::router())
        .merge(imports::router())
}

/// A page of a listing: `?limit=&offset=`.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct Page {
    /// At most this many (default 100, at most 1000).
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl Page {
    pub fn limit(&self) -> i64 {
        self.limit.unwrap_or(100).clamp(1, 1000)
    }
    pub fn offset(&self) -> i64 {
        self.offset.unwrap_or(0).max(0)
    }
}
