//! Shifts a person enters by hand (issue 29: a personal account has no WFM tool): add and
//! delete one's own scheduled shifts, with the import's checks — an end after the start, at
//! most 24 h, no overlap with one's other shifts — in the site's local time.

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use ladder_core::access::Action;
use ladder_core::wellbeing::zone::{local_to_utc, parse_zone, utc_to_local, LocalFix, Tz};
use ladder_core::EmployeeId;
use ladder_import::shifts::MAX_SHIFT_HOURS;
use ladder_store::wellbeing::{self as store, Kind, Record, Shift};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::wellbeing::ShiftView;
use crate::state::AppState;

/// How far from today a shift may be entered: a schedule's recent past, and a year ahead.
const MAX_DAYS_BACK: i64 = 60;
const MAX_DAYS_AHEAD: i64 = 366;
/// The shortest shift worth a record, and the most that may start on one local day.
const MIN_SHIFT_MINUTES: i64 = 30;
const MAX_SHIFTS_A_DAY: i64 = 3;

/// A shift as the person enters it, in their site's local time.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ShiftInput {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    /// `day`, `night` or `rotating`.
    #[schema(max_length = 8)]
    pub kind: String,
    /// Unpaid breaks in whole minutes (0 to the shift's length).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1440)]
    pub breaks_minutes: i32,
}

/// The caller's own employee record, its placement checked for hand entry, and its site zone.
async fn own(state: &AppState, me: &Me) -> ApiResult<(EmployeeId, Tz)> {
    let id = me.actor.employee_id.ok_or_else(|| ApiError::not_found("your employee record"))?;
    let employee = ladder_store::org::employee(&state.db, id).await?;
    me.require(Action::EnterOwnShifts(employee.placement()))?;
    let zone = store::zones(&state.db, &[id]).await?.pop().map_or_else(|| "UTC".into(), |(_, z)| z);
    Ok((id, parse_zone(&zone).map_err(ApiError::internal)?))
}

/// The instant a local time names; a time the clocks skip (spring forward) is refused, as
/// the import notes it, since the person meant a time that does not exist.
fn instant(field: &str, local: NaiveDateTime, tz: Tz) -> ApiResult<DateTime<Utc>> {
    match local_to_utc(local, tz) {
        (_, LocalFix::Gap) => Err(ApiError::invalid(
            field,
            format!("{local} does not exist in {}: the clocks jump forward then", tz.name()),
        )),
        (at, _) => Ok(at),
    }
}

/// The input's checks that need no database, on the instants (a night across a DST change is
/// as long as it really is): kind, order, length, breaks, how far away.
fn check(input: &ShiftInput, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> ApiResult<Kind> {
    let kind = Kind::parse(&input.kind).ok_or_else(|| ApiError::invalid("kind", "day, night or rotating"))?;
    let length = ends_at - starts_at;
    if length <= TimeDelta::zero() {
        return Err(ApiError::invalid(
            "end",
            format!("ends ({}) before or when it starts ({})", input.end, input.start),
        ));
    }
    if length < TimeDelta::minutes(MIN_SHIFT_MINUTES) {
        return Err(ApiError::invalid("end", format!("a shift of at least {MIN_SHIFT_MINUTES} min")));
    }
    if length > TimeDelta::hours(MAX_SHIFT_HOURS) {
        let h = length.num_minutes() as f64 / 60.0;
        return Err(ApiError::invalid("end", format!("a shift of {h:.1} h: over {MAX_SHIFT_HOURS} h")));
    }
    if input.breaks_minutes < 0 || i64::from(input.breaks_minutes) >= length.num_minutes() {
        return Err(ApiError::invalid("breaks_minutes", "breaks in whole minutes, 0 to under the shift's length"));
    }
    let today = Utc::now().date_naive();
    let away = (input.start.date() - today).num_days();
    if !(-MAX_DAYS_BACK..=MAX_DAYS_AHEAD).contains(&away) {
        return Err(ApiError::invalid(
            "start",
            format!("from {MAX_DAYS_BACK} days before today ({today}) to a year after"),
        ));
    }
    Ok(kind)
}

/// Adds a scheduled shift to the caller's own record.
pub async fn add(state: &AppState, me: &Me, input: ShiftInput) -> ApiResult<ShiftView> {
    let (id, tz) = own(state, me).await?;
    let (starts_at, ends_at) = (instant("start", input.start, tz)?, instant("end", input.end, tz)?);
    let kind = check(&input, starts_at, ends_at)?;
    let shift = Shift {
        employee_id: id,
        record: Record::Scheduled,
        starts_at,
        ends_at,
        time_zone: tz.name().into(),
        kind,
        breaks_minutes: input.breaks_minutes,
    };
    let mut tx = state.db.begin().await?;
    store::lock_person(&mut tx, id).await?;
    let day = input.start.date().and_hms_opt(0, 0, 0).expect("midnight");
    let (day_from, day_to) = (local_to_utc(day, tz).0, local_to_utc(day + TimeDelta::days(1), tz).0);
    if store::count_starting(&mut tx, id, Record::Scheduled, day_from, day_to).await? >= MAX_SHIFTS_A_DAY {
        return Err(ApiError::invalid("start", format!("at most {MAX_SHIFTS_A_DAY} shifts start on one day")));
    }
    if let Some((s, e)) = store::overlaps(&mut tx, id, Record::Scheduled, starts_at, ends_at).await? {
        let (s, e) = (utc_to_local(s, tz), utc_to_local(e, tz));
        return Err(ApiError::invalid("start", format!("overlaps your shift of {s} to {e}")));
    }
    store::add_by_hand(&mut tx, &shift).await?;
    tx.commit().await?;
    // The stored times: a repeated hour (fall back) is its first.
    Ok(ShiftView {
        start: utc_to_local(starts_at, tz),
        end: utc_to_local(ends_at, tz),
        kind: kind.as_str().into(),
        breaks_minutes: input.breaks_minutes,
        by_hand: true,
    })
}

/// Deletes the caller's own hand-entered scheduled shift starting at `start` (local time);
/// an imported one is not found.
pub async fn delete(state: &AppState, me: &Me, start: NaiveDateTime) -> ApiResult<()> {
    let (id, tz) = own(state, me).await?;
    if store::delete_one(&state.db, id, Record::Scheduled, local_to_utc(start, tz).0).await? {
        Ok(())
    } else {
        Err(ApiError::not_found("a shift of yours starting then"))
    }
}
