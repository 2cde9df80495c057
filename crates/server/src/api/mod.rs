//! The JSON API under `/api/v1`. Every handler is annotated for OpenAPI, and the document is
//! assembled from the same router that serves requests, so the two cannot drift.

pub mod document;
pub mod documents;
pub mod evidence;
pub mod explore;
pub mod goals;
pub mod headcount;
pub mod imports;
pub mod job_tracker;
pub mod jobs;
pub mod kra;
pub mod learning;
pub mod mentoring;
pub mod notifications;
pub mod openings;
pub mod params;
pub mod people;
pub mod personal;
pub mod pipeline;
pub mod record;
pub mod records;
pub mod session;
pub mod supervisor;
pub mod users;
pub mod wellbeing;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Ladder API", description = "Career plans, KRAs and well-being for BPO teams. Sign in with POST /api/v1/session (cookie + x-csrf-token header on writes) or send `Authorization: Bearer <token>`."),
    components(schemas(
        crate::error::ErrorBody,
        crate::error::ErrorDetail,
        // Query parameters' types, referred to by name from the operations.
        crate::service::export::Format,
        crate::service::pipeline::PipelineSort,
        crate::service::record::RecordFormat,
    )),
    tags(
        (name = "session", description = "Signing in and out, the current user, API tokens"),
        (name = "admin", description = "Users and invitations"),
        (name = "people", description = "The organisation and its people"),
        (name = "kra", description = "KRA plans, actuals and scorecards"),
        (name = "records", description = "Accomplishments, skills, certifications, training, check-ins"),
        (name = "imports", description = "People and KPI files from HR and contact-centre platforms"),
        (name = "wellbeing", description = "Shifts, fatigue flags and the private weekly pulse"),
        (name = "openings", description = "Internal openings, eligibility and applications"),
        (name = "jobs", description = "Outside job postings: search with the person's fit, the market view, imports"),
        (name = "record", description = "The record that goes with a person: export as JSON, ZIP or JSON Resume; leavers"),
        (name = "learning", description = "The learning catalogue, the items that close a person's gaps, enrolling; mentoring and shadowing"),
        (name = "explore", description = "The public career explorer: roles, the ladder, certifications, industries, which entry role fits (no sign-in)"),
    )
)]
struct ApiDoc;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(session::router())
        .merge(users::router())
        .merge(people::router())
        .merge(kra::router())
        .merge(goals::router())
        .merge(records::router())
        .merge(evidence::router())
        .merge(record::router())
        .merge(imports::router())
        .merge(pipeline::router())
        .merge(headcount::router())
        .merge(wellbeing::router())
        .merge(openings::router())
        .merge(jobs::router())
        .merge(job_tracker::router())
        .merge(explore::router())
        .merge(documents::router())
        .merge(personal::router())
        .merge(supervisor::router())
        .merge(learning::router())
        .merge(mentoring::router())
        .merge(notifications::router())
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::extract::Path;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use axum::Router;
    use ladder_core::{EmployeeId, TeamId};
    use serde::Deserialize;
    use tower::ServiceExt;

    use crate::error::{ApiResult, QueryArgs};

    #[derive(Deserialize)]
    struct Typed {
        team: Option<TeamId>,
    }

    #[derive(Deserialize)]
    struct Plain {
        team: Option<i64>,
    }

    /// Typed ids read from a path or a query string exactly as the plain numbers they replace:
    /// the same values, and the same answer for one that is not a number.
    #[tokio::test]
    async fn ids_in_paths_and_queries_read_as_plain_numbers_did() {
        let app = Router::new()
            .route("/typed/{id}", get(|Path(id): Path<EmployeeId>| async move { id.to_string() }))
            .route("/plain/{id}", get(|Path(id): Path<i64>| async move { id.to_string() }))
            .route(
                "/typed",
                get(
                    |QueryArgs(q): QueryArgs<Typed>| async move { ApiResult::Ok(format!("{:?}", q.team.map(|t| t.0))) },
                ),
            )
            .route(
                "/plain",
                get(|QueryArgs(q): QueryArgs<Plain>| async move { ApiResult::Ok(format!("{:?}", q.team)) }),
            );
        let answer = |uri: String| {
            let app = app.clone();
            async move {
                let response = app.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
                let status = response.status();
                let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
                (status, String::from_utf8_lossy(&body).into_owned())
            }
        };
        for value in ["42", "-7", "abc", "4.5", "99999999999999999999", ""] {
            assert_eq!(answer(format!("/typed/{value}")).await, answer(format!("/plain/{value}")).await, "{value}");
            let query = |kind: &str| answer(format!("/{kind}?team={value}"));
            assert_eq!(query("typed").await, query("plain").await, "{value}");
        }
        assert_eq!(answer("/typed/42".into()).await, (StatusCode::OK, "42".into()));
        assert_eq!(answer("/typed?team=abc".into()).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
