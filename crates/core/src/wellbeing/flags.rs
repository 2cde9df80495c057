//! What an assessment reports: flags with their kind and severity, and the weekly summaries.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// How strongly a flag asks for attention. `Info` is reserved for informational prompts;
/// the current rules raise only `Warning` and `High`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    High,
}

/// What a flag is about, and the unit of its `value` and `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlagKind {
    /// Hours worked in one ISO week (value: hours; span: the week).
    WeeklyHours,
    /// A run of night shifts on consecutive nights (value: number of nights).
    ConsecutiveNights,
    /// Too little rest between two shifts (value: rest hours; span: the rest).
    ShortRest,
    /// A stretch without a weekly rest gap (value: stretch length in hours; limit: the window
    /// in hours, e.g. 168 or 336).
    NoWeeklyRest,
    /// A shift longer than the shift limit (value: shift hours).
    LongShift,
    /// A night shift longer than the night-shift limit (value: shift hours).
    LongNightShift,
}

/// One well-being signal: what happened, how far it went past the rule, and which shifts
/// caused it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub severity: Severity,
    /// Start of the span the flag is about.
    pub from: NaiveDateTime,
    /// End of the span the flag is about.
    pub to: NaiveDateTime,
    /// The measured quantity (see [`FlagKind`] for units).
    pub value: f64,
    /// The threshold it went past (the High one for High flags).
    pub limit: f64,
    /// Indices into the input slice of the shifts that caused it, listed in time order.
    pub shifts: Vec<usize>,
    /// Plain words for agents and team leaders: what happened and what the guidance says.
    pub message: String,
}

/// Hours and shifts in one ISO week (only weeks with worked hours are listed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekSummary {
    /// The Monday the week starts on.
    pub week_start: NaiveDate,
    /// Hours worked inside the week (shifts crossing Sunday midnight are split).
    pub hours: f64,
    /// Shifts starting in the week.
    pub shifts: usize,
    /// Night shifts starting in the week.
    pub night_shifts: usize,
}

/// The result of [`assess`](super::assess).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// Sorted by `from`, then by kind (in [`FlagKind`] declaration order).
    pub flags: Vec<Flag>,
    /// Weeks in date order.
    pub weeks: Vec<WeekSummary>,
    pub total_hours: f64,
    pub night_shifts: usize,
    /// The severest flag, or `None` when there are no flags.
    pub worst: Option<Severity>,
}
