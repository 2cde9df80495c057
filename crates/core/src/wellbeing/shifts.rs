//! Shifts and their time arithmetic: lengths, overlaps, ISO weeks, and the night windows a
//! shift touches (which make it a night shift, and name the night it belongs to).

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::WellbeingRules;

/// One worked shift, in local site time. `end` must be after `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

impl Shift {
    /// Length of the shift in hours.
    pub fn hours(&self) -> f64 {
        hours(secs_between(self.start, self.end))
    }
}

/// Why a list of shifts cannot be assessed. Indices are into the input slice.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ShiftError {
    #[error("shift {index} ends ({end}) before or when it starts ({start})")]
    EndsBeforeStart { index: usize, start: NaiveDateTime, end: NaiveDateTime },
    /// `index` is the later-starting shift (on equal starts, the later one in the input) and
    /// `other` the earlier one it runs into.
    #[error("shift {index} overlaps shift {other}")]
    Overlap { index: usize, other: usize },
}

/// Hours of the shift that fall inside night windows, summed over every window it touches
/// (a long shift may touch two).
pub fn night_hours(shift: &Shift, rules: &WellbeingRules) -> f64 {
    let secs: i64 = night_windows(shift, rules)
        .into_iter()
        .map(|(_, open, close)| overlap_secs(shift.start, shift.end, open, close))
        .sum();
    hours(secs)
}

/// Whether at least [`WellbeingRules::night_min_hours`] of the shift fall in the night window
/// (default: 3 h between 22:00 and 06:00).
pub fn is_night_shift(shift: &Shift, rules: &WellbeingRules) -> bool {
    let h = night_hours(shift, rules);
    h > 0.0 && h >= rules.night_min_hours
}

/// Every night window that could touch the shift, as (date it opens, open, close), in order.
/// Empty when `night_start == night_end`.
pub(super) fn night_windows(shift: &Shift, rules: &WellbeingRules) -> Vec<(NaiveDate, NaiveDateTime, NaiveDateTime)> {
    if rules.night_start == rules.night_end {
        return Vec::new();
    }
    let wraps = rules.night_start > rules.night_end;
    let first = shift.start.date().pred_opt().unwrap_or(shift.start.date());
    let last = shift.end.date();
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter_map(|d| {
            let open = d.and_time(rules.night_start);
            let close_day = if wraps { d.succ_opt()? } else { d };
            Some((d, open, close_day.and_time(rules.night_end)))
        })
        .collect()
}

/// The night a shift belongs to: the opening date of the first night window it overlaps.
pub(super) fn night_of(shift: &Shift, rules: &WellbeingRules) -> Option<NaiveDate> {
    night_windows(shift, rules)
        .into_iter()
        .find(|&(_, open, close)| overlap_secs(shift.start, shift.end, open, close) > 0)
        .map(|(d, _, _)| d)
}

pub(super) fn secs_between(from: NaiveDateTime, to: NaiveDateTime) -> i64 {
    (to - from).num_seconds()
}

pub(super) fn hours(secs: i64) -> f64 {
    secs as f64 / 3600.0
}

pub(super) fn overlap_secs(a0: NaiveDateTime, a1: NaiveDateTime, b0: NaiveDateTime, b1: NaiveDateTime) -> i64 {
    secs_between(a0.max(b0), a1.min(b1)).max(0)
}

pub(super) fn monday_of(date: NaiveDate) -> NaiveDate {
    date - TimeDelta::days(i64::from(date.weekday().num_days_from_monday()))
}
