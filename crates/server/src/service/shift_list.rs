//! Every stored shift of a person in a chosen range, scheduled and worked, with its source, a
//! page at a time (issue 29): what the well-being page's two weeks leave out.

use chrono::{NaiveDate, TimeDelta};
use ladder_core::access::Action;
use ladder_core::wellbeing::zone::{local_to_utc, parse_zone, utc_to_local};
use ladder_core::EmployeeId;
use ladder_store::wellbeing::{self as store, listing};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::people::visible_employee;
use crate::state::AppState;

/// Shifts on a page.
pub const PER_PAGE: i64 = 50;
/// The longest range listed, in days.
pub const MAX_DAYS: i64 = 366;
/// The last page number asked for (50 × 1,000 shifts is more than a year of anyone's).
pub const MAX_PAGE: i64 = 1000;

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct RangeQuery {
    /// The first day (local site time; default: 4 weeks ago).
    pub from: Option<NaiveDate>,
    /// The last day, inclusive (default: 2 weeks ahead); at most 366 days after `from`.
    pub to: Option<NaiveDate>,
    /// The page, from 1 (50 shifts a page).
    #[param(minimum = 1, maximum = 1000)]
    pub page: Option<i64>,
}

impl RangeQuery {
    /// The range asked for, with the defaults.
    pub fn range(&self) -> (NaiveDate, NaiveDate, i64) {
        let today = chrono::Utc::now().date_naive();
        let from = self.from.unwrap_or(today - chrono::TimeDelta::weeks(4));
        let to = self.to.unwrap_or(today + chrono::TimeDelta::weeks(2));
        (from, to, self.page.unwrap_or(1))
    }
}

/// One stored shift, in local site time, with where it came from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListedShift {
    pub start: chrono::NaiveDateTime,
    pub end: chrono::NaiveDateTime,
    /// `scheduled` or `worked`.
    pub record: String,
    pub kind: String,
    pub breaks_minutes: i32,
    /// The file it was imported from, with its preset ("timesheets.csv (deputy)"), or "by hand".
    pub source: String,
}

/// A page of a person's shifts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShiftPage {
    pub from: NaiveDate,
    /// The last day listed (inclusive).
    pub to: NaiveDate,
    pub time_zone: String,
    pub page: i64,
    pub per_page: i64,
    /// Whether a next page holds more.
    pub more: bool,
    pub shifts: Vec<ListedShift>,
}

/// The shifts of `id` starting from `from` to `to` (inclusive, local site days), page `page`.
pub async fn list(
    state: &AppState,
    me: &Me,
    id: EmployeeId,
    from: NaiveDate,
    to: NaiveDate,
    page: i64,
) -> ApiResult<ShiftPage> {
    let employee = visible_employee(state, me, id).await?;
    me.require(Action::ViewShifts(employee.placement()))?;
    for (field, day) in [("from", from), ("to", to)] {
        ladder_core::dates::in_range(day).map_err(|e| ApiError::invalid(field, e.to_string()))?;
    }
    if to < from {
        return Err(ApiError::invalid("to", format!("{to} is before {from}")));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(ApiError::invalid("to", format!("a range of at most {MAX_DAYS} days")));
    }
    if !(1..=MAX_PAGE).contains(&page) {
        return Err(ApiError::invalid("page", format!("a page from 1 to {MAX_PAGE}")));
    }
    let zone = store::zones(&state.db, &[id]).await?.pop().map_or_else(|| "UTC".to_string(), |(_, z)| z);
    let tz = parse_zone(&zone).map_err(ApiError::internal)?;
    let edge = |d: NaiveDate| local_to_utc(d.and_hms_opt(0, 0, 0).expect("midnight"), tz).0;
    let (start, end) = (edge(from), edge(to + TimeDelta::days(1)));
    // One more than a page, to know whether there is a next.
    let mut rows = listing::page(&state.db, id, start, end, (page - 1) * PER_PAGE, PER_PAGE + 1).await?;
    let more = rows.len() as i64 > PER_PAGE;
    rows.truncate(PER_PAGE as usize);
    let shifts = rows
        .into_iter()
        .map(|l| {
            // Each shift in the zone it was written in.
            let z = parse_zone(&l.shift.time_zone).unwrap_or(tz);
            ListedShift {
                start: utc_to_local(l.shift.starts_at, z),
                end: utc_to_local(l.shift.ends_at, z),
                record: l.shift.record.as_str().into(),
                kind: l.shift.kind.as_str().into(),
                breaks_minutes: l.shift.breaks_minutes,
                source: l.source.map_or_else(|| "by hand".into(), |(file, preset)| format!("{file} ({preset})")),
            }
        })
        .collect();
    Ok(ShiftPage { from, to, time_zone: zone, page, per_page: PER_PAGE, more, shifts })
}
