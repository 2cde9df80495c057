//! One's own notifications (issue 26): the list, newest first and paged by key, and marking
//! one or all read. Everyone signed in, for themselves only.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::Me;
use crate::error::{ApiResult, ErrorBody, JsonBody, QueryArgs};
use crate::service::listing::{Listing, PageSpec};
use crate::service::notifications::{self, MarkRead, NotificationView, Unread};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(read))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NotificationQuery {
    /// At most this many (default 50, 1 to 500).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// The `next` of the page before.
    pub cursor: Option<String>,
}

/// The signed-in person's notifications, newest first: `total` over all pages, `next` reads
/// the next page.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "session", params(NotificationQuery),
    responses((status = 200, body = Listing<NotificationView>), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    me: Me,
    QueryArgs(q): QueryArgs<NotificationQuery>,
) -> ApiResult<Json<Listing<NotificationView>>> {
    let page = PageSpec::new(q.limit, q.cursor.as_deref())?;
    Ok(Json(notifications::list(&state, &me, &page).await?))
}

/// Marks one notification (`id`) or all of them (`all: true`) read; answers how many are still
/// unread. Another person's notification is a 404.
#[utoipa::path(post, path = "/api/v1/me/notifications/read", tag = "session", request_body = MarkRead,
    responses((status = 200, body = Unread), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn read(State(state): State<AppState>, me: Me, JsonBody(body): JsonBody<MarkRead>) -> ApiResult<Json<Unread>> {
    Ok(Json(notifications::mark_read(&state, &me, &body).await?))
}
