//! Attendance (issue 29): for a person or a team and a month, the scheduled shifts against the
//! worked ones from time clocks (`ladder_core::wellbeing::attendance`). A shift belongs to the
//! month its start falls in, in the person's site zone; times are compared as UTC instants so
//! a night across a DST change counts its real length.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use ladder_core::access::Action;
use ladder_core::period::Month;
use ladder_core::wellbeing::attendance::{attendance, Attendance, LATE_AFTER_MINUTES};
use ladder_core::wellbeing::zone::{local_to_utc, parse_zone};
use ladder_core::wellbeing::Shift as CoreShift;
use ladder_core::{EmployeeId, TeamId};
use ladder_store::wellbeing::{self as store, Record};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::people::{visible_employee, visible_team};
use crate::state::AppState;

/// A month's attendance, for one person or summed over a team.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendanceView {
    /// The month's first day.
    pub month: NaiveDate,
    /// People counted (1 for a person).
    pub people: usize,
    pub scheduled_shifts: u32,
    pub scheduled_hours: f64,
    pub worked_shifts: u32,
    /// From time clocks, start to end (breaks not taken off).
    pub worked_hours: f64,
    /// Scheduled shifts no worked shift overlaps.
    pub missed_shifts: u32,
    /// Scheduled shifts begun more than `late_after_minutes` late.
    pub late_starts: u32,
    pub late_after_minutes: i64,
    /// Worked hours as a percent of scheduled hours; `null` with nothing scheduled.
    pub worked_percent: Option<f64>,
}

fn view(month: Month, people: usize, a: &Attendance) -> AttendanceView {
    let round = |x: f64| (x * 100.0).round() / 100.0;
    AttendanceView {
        month: month.first_day(),
        people,
        scheduled_shifts: a.scheduled_shifts,
        scheduled_hours: round(a.scheduled_hours),
        worked_shifts: a.worked_shifts,
        worked_hours: round(a.worked_hours),
        missed_shifts: a.missed_shifts,
        late_starts: a.late_starts,
        late_after_minutes: LATE_AFTER_MINUTES,
        worked_percent: a.worked_percent().map(|p| (p * 10.0).round() / 10.0),
    }
}

/// Each person's attendance in the month: shifts starting in it, in their site's zone.
async fn of_people(state: &AppState, ids: &[EmployeeId], month: Month) -> ApiResult<Attendance> {
    let zones: HashMap<EmployeeId, String> = store::zones(&state.db, ids).await?.into_iter().collect();
    // Read a day either side of the month in UTC, then keep what starts in each person's month.
    let day = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let (wide_from, wide_to) =
        (day(month.first_day()) - TimeDelta::days(1), day(month.last_day()) + TimeDelta::days(2));
    let scheduled = store::of_people(&state.db, ids, Record::Scheduled, wide_from, wide_to).await?;
    let worked = store::of_people(&state.db, ids, Record::Worked, wide_from, wide_to).await?;
    // Shifts still to come are neither missed nor late yet: only those ended by now count.
    let now = Utc::now();
    let mut total = Attendance::default();
    for id in ids {
        let tz = parse_zone(zones.get(id).map_or("UTC", String::as_str)).map_err(ApiError::internal)?;
        let edge = |d: NaiveDate| local_to_utc(d.and_hms_opt(0, 0, 0).expect("midnight"), tz).0;
        let (from, to) = (edge(month.first_day()), edge(month.last_day() + TimeDelta::days(1)));
        let pick = |all: &[store::Shift]| -> Vec<CoreShift> {
            all.iter()
                .filter(|s| s.employee_id == *id && (from..to).contains(&s.starts_at) && s.ends_at <= now)
                .map(|s| CoreShift { start: naive(s.starts_at), end: naive(s.ends_at) })
                .collect()
        };
        total.add(&attendance(&pick(&scheduled), &pick(&worked)));
    }
    Ok(total)
}

fn naive(t: DateTime<Utc>) -> chrono::NaiveDateTime {
    t.naive_utc()
}

/// A person's attendance in the month holding `day`.
pub async fn person(state: &AppState, me: &Me, id: EmployeeId, day: NaiveDate) -> ApiResult<AttendanceView> {
    let employee = visible_employee(state, me, id).await?;
    me.require(Action::ViewShifts(employee.placement()))?;
    let month = Month::of(day);
    Ok(view(month, 1, &of_people(state, &[id], month).await?))
}

/// A team's attendance in the month holding `day`: its members' figures summed.
pub async fn team(state: &AppState, me: &Me, team_id: TeamId, day: NaiveDate) -> ApiResult<AttendanceView> {
    visible_team(state, me, team_id).await?;
    let members = ladder_store::org::team_members(&state.db, team_id).await?;
    let ids: Vec<EmployeeId> = members.iter().map(|m| m.id).collect();
    let month = Month::of(day);
    Ok(view(month, ids.len(), &of_people(state, &ids, month).await?))
}
