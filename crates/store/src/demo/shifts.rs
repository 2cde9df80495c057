//! The demo's schedules (issue 29): for everyone in a team, the last 5 weeks, this week and the
//! next 2, scheduled and (for shifts already over) worked, in the site's local time.
//!
//! Patterns, each person's own: day shifts Monday to Friday, night shifts, or rotating (day and
//! night weeks in turn). Night and rotating shifts are common for global clients
//! (`shared/domain/careers.md`); the share of each here — 55 % day, 30 % night, 15 % rotating —
//! is a [GUESS]. Nights follow the guidance's "no more than 2–3 in a row" (`kpis.md` §6.1) as
//! 3 nights, a night off, 2 nights. A few person-weeks break the guidance so the flags show:
//! overtime on a sixth day (a long week), a late close before an early open (short rest), and
//! five nights in a row. The agent persona always has a short rest this week.
//!
//! Relative to the day the demo runs (the pages show this week and the next), so these rows are
//! not in the demo's digest; they go through the store's shift write path.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use ladder_core::wellbeing::zone::{local_to_utc, parse_zone};
use ladder_core::EmployeeId;

use super::rng::Rng;
use crate::wellbeing::{self as store, Kind, Record, Shift};
use crate::{Db, Result, StoreError};

/// Weeks before this one, and after it.
const WEEKS_BACK: i64 = 5;
const WEEKS_AHEAD: i64 = 2;
/// Every shift: 9 h with a 1 h unpaid break.
const SHIFT_HOURS: i64 = 9;
const BREAK_MINUTES: i32 = 60;

#[derive(Clone, Copy, PartialEq)]
enum Pattern {
    Day(u32),
    Night,
    Rotating(u32),
}

/// Local (start, kind) of each shift of one week starting `monday`.
fn week_shifts(
    pattern: Pattern,
    week: i64,
    monday: NaiveDate,
    rng: &mut Rng,
    force_short_rest: bool,
) -> Vec<(NaiveDateTime, Kind)> {
    let day = |d: i64, hour: u32| (monday + TimeDelta::days(d)).and_hms_opt(hour, 0, 0).expect("valid hour");
    let (night_week, kind, hour) = match pattern {
        Pattern::Day(h) => (false, Kind::Day, h),
        Pattern::Night => (true, Kind::Night, 22),
        Pattern::Rotating(h) => (week % 2 != 0, Kind::Rotating, h),
    };
    let mut out: Vec<(NaiveDateTime, Kind)> = Vec::new();
    if night_week {
        // Nights of Monday–Wednesday, off Thursday, Friday–Saturday; sometimes five in a row.
        let nights: &[i64] = if rng.chance(0.05) { &[0, 1, 2, 3, 4] } else { &[0, 1, 2, 4, 5] };
        out.extend(nights.iter().map(|&d| (day(d, 22), kind)));
        return out;
    }
    out.extend((0..5).map(|d| (day(d, hour), kind)));
    if force_short_rest || rng.chance(0.04) {
        // A late close on Tuesday before Wednesday's shift: under 11 h between them.
        let late = if hour <= 10 { 14 } else { hour + 3 };
        out[1].0 = day(1, late.min(14));
        out[2].0 = day(2, hour.min(8));
    }
    if rng.chance(0.05) {
        // Overtime on Saturday: 54 h in the week.
        out.push((day(5, hour), kind));
    }
    out
}

/// Writes the schedules; returns how many shifts were written.
pub(super) async fn write(db: &Db, seed: u64, agent: Option<EmployeeId>, today: NaiveDate) -> Result<u64> {
    let this_monday = today - TimeDelta::days(i64::from(today.weekday().num_days_from_monday()));
    let now = Utc::now();
    // Worked copies of shifts over before today began (UTC), so two builds of a day agree.
    let worked_before = today.and_time(chrono::NaiveTime::MIN).and_utc();
    let mut shifts = Vec::new();
    for person in store::people(db).await?.into_iter().filter(|p| p.team_id.is_some()) {
        let tz = parse_zone(&person.time_zone).map_err(StoreError::Invalid)?;
        let mut rng = Rng::new(seed, "shifts", person.id.0 as u64);
        let hour = *rng.pick(&[7, 8, 8, 9, 9, 10, 13]);
        let pattern = match rng.weighted(&[(0u8, 55), (1, 30), (2, 15)]) {
            0 => Pattern::Day(hour),
            1 => Pattern::Night,
            _ => Pattern::Rotating(hour),
        };
        let is_agent = agent == Some(person.id);
        // The agent persona works days, so this week's short rest is easy to see.
        let pattern = if is_agent { Pattern::Day(9) } else { pattern };
        for week in -WEEKS_BACK..=WEEKS_AHEAD {
            let monday = this_monday + TimeDelta::weeks(week);
            for (start, kind) in week_shifts(pattern, week, monday, &mut rng, is_agent && week == 0) {
                let starts_at = local_to_utc(start, tz).0;
                let ends_at = local_to_utc(start + TimeDelta::hours(SHIFT_HOURS), tz).0;
                let shift = Shift {
                    employee_id: person.id,
                    record: Record::Scheduled,
                    starts_at,
                    ends_at,
                    time_zone: tz.name().into(),
                    kind,
                    breaks_minutes: BREAK_MINUTES,
                };
                if ends_at <= worked_before {
                    shifts.push(Shift { record: Record::Worked, ..shift.clone() });
                }
                shifts.push(shift);
            }
        }
    }
    // Logged as one import named "demo": a WFM tool's schedule, which nobody deletes by hand.
    let log = store::ShiftImport {
        file_name: "demo",
        sha256: "",
        mapping: "",
        rows: shifts.len() as u64,
        started_at: now,
        imported_by: None,
    };
    let mut tx = db.begin().await?;
    store::replace(&mut tx, &log, &[], &shifts).await?;
    tx.commit().await?;
    Ok(shifts.len() as u64)
}
