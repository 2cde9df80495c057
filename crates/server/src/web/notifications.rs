//! The notifications page (issue 26): one's own, newest first, paged; mark one or all read.

use askama::Template;
use axum::extract::State;
use axum::response::Redirect;
use serde::Deserialize;

use super::pager::{PageAt, Pager};
use super::{CsrfForm, Nav, Page, PageQuery, PageResult, WebUser};
use crate::service::listing::PageSpec;
use crate::service::notifications::{self, MarkRead, NotificationView};
use crate::state::AppState;

/// Notifications a page shows.
const PER_PAGE: u32 = 25;

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    nav: Option<Nav>,
    csrf: String,
    items: Vec<NotificationView>,
    pager: Pager,
    unread: i64,
}

pub async fn show(
    State(state): State<AppState>,
    user: WebUser,
    PageQuery(at): PageQuery<PageAt>,
) -> PageResult<Page<impl Template>> {
    let page = PageSpec::new(Some(PER_PAGE), at.cursor.as_deref())?;
    let listing = notifications::list(&state, &user.me, &page).await?;
    let pager = Pager::of(&listing, &at, "/notifications?");
    Ok(Page(NotificationsPage {
        nav: Some(Nav::new(&user, "/notifications")),
        csrf: user.csrf.clone(),
        items: listing.items,
        pager,
        unread: notifications::unread(&state, &user.me).await?,
    }))
}

#[derive(Deserialize)]
pub struct ReadForm {
    /// One notification's id; left out (or empty), all of them.
    #[serde(default)]
    id: String,
    /// Where to go afterwards: the notification's page, or back to the list.
    #[serde(default)]
    open: String,
}

pub async fn read(
    State(state): State<AppState>,
    user: WebUser,
    CsrfForm(f): CsrfForm<ReadForm>,
) -> PageResult<Redirect> {
    let id = f.id.trim();
    let what = if id.is_empty() {
        MarkRead { id: None, all: true }
    } else {
        let id = id.parse().map_err(|_| crate::error::ApiError::invalid("id", "a notification's number"))?;
        MarkRead { id: Some(id), all: false }
    };
    notifications::mark_read(&state, &user.me, &what).await?;
    // Only a path on this server: never an address from elsewhere.
    let open = f.open.trim();
    let safe = open.len() <= 200 && super::safe_next(Some(open)) == open;
    Ok(Redirect::to(if safe { open } else { "/notifications" }))
}
