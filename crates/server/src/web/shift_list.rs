//! The person's own stored shifts, scheduled and worked, of a chosen range, with their source,
//! a page at a time (`/wellbeing/shifts/all`).

use askama::Template;
use axum::extract::State;

use super::{own_employee, Nav, Page, PageQuery, PageResult, WebUser};
use crate::service::shift_list::{self, RangeQuery, ShiftPage};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "shift_list.html")]
struct ShiftListPage {
    nav: Option<Nav>,
    list: ShiftPage,
}

impl ShiftListPage {
    /// The link to page `page` of the same range.
    fn link(&self, page: i64) -> String {
        format!("/wellbeing/shifts/all?from={}&to={}&page={page}", self.list.from, self.list.to)
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: WebUser,
    PageQuery(q): PageQuery<RangeQuery>,
) -> PageResult<Page<impl Template>> {
    let employee = own_employee(&state, &user).await?;
    let (from, to, page) = q.range();
    let list = shift_list::list(&state, &user.me, employee.id, from, to, page).await?;
    Ok(Page(ShiftListPage { nav: Some(Nav::new(&user, "/wellbeing")), list }))
}
