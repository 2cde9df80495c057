//! The thresholds behind every well-being flag, each default with its source.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

/// The thresholds behind every flag. The defaults follow the sources in
/// `shared/domain/kpis.md` §6; where a default is a judgement, its doc says so.
///
/// Missing fields take their default when deserialised, so a config file only needs the
/// thresholds a site wants to change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WellbeingRules {
    /// A week with more hours than this is a Warning. Default 48: UK Working Time Regulations,
    /// 48-h average week (we flag single weeks, a stricter prompt than the 17-week average);
    /// the fatigue guide also advises avoiding more than 50 h a week.
    pub weekly_hours_warning: f64,
    /// A week with more hours than this is High. Default 60: a judgement (12 h above the WTR
    /// 48-h average and 10 h above the fatigue guide's 50 h), not a sourced limit.
    pub weekly_hours_high: f64,
    /// Start of the night window. Default 22:00: Philippine Labor Code night differential
    /// covers 10 PM–6 AM (`shared/domain/jobs.md`).
    pub night_start: NaiveTime,
    /// End of the night window (next day when it is before `night_start`). Default 06:00:
    /// Philippine Labor Code night differential.
    pub night_end: NaiveTime,
    /// A shift is a night shift when at least this many hours fall in the night window.
    /// Default 3: a judgement informed by ILO C171 (night work is ≥ 7 consecutive hours
    /// including midnight–5 am); 3 h catches late evening and early-morning shifts that
    /// still cut into night sleep.
    pub night_min_hours: f64,
    /// More consecutive nights than this is a Warning. Default 3: HSE advises restricting
    /// night shifts to 2–3 in a row; the fatigue guide says no more than 3–4.
    pub consecutive_nights_warning: u32,
    /// More consecutive nights than this is High. Default 5: a judgement, beyond the fatigue
    /// guide's upper bound of 4 successive nights.
    pub consecutive_nights_high: u32,
    /// Rest between shifts below this is a Warning. Default 11: EU Working Time Directive,
    /// 11 h daily rest (the fatigue guide asks for 12 h).
    pub min_rest_hours: f64,
    /// Rest between shifts below this is High. Default 8: the fatigue guide advises avoiding
    /// 8-h "quick returns".
    pub quick_return_hours: f64,
    /// A gap between shifts at least this long counts as weekly rest. Default 24: EU Working
    /// Time Directive, 24 h weekly rest in each 7 days.
    pub weekly_rest_hours: f64,
    /// Weekly rest must come at least once in every stretch of this many days. Default 7:
    /// EU Working Time Directive (each 7-day period); HSE advises 5–7 consecutive work days
    /// at most. A stretch longer than twice this is High.
    pub weekly_rest_window_days: u32,
    /// A shift longer than this is High. Default 12: HSE limits shifts to 12 h including
    /// overtime.
    pub long_shift_hours: f64,
    /// A night shift longer than this (but not longer than `long_shift_hours`) is a Warning.
    /// Default 8: HSE limits night shifts to 8 h; UK WTR limits night workers to 8 h in 24
    /// on average.
    pub long_night_shift_hours: f64,
}

impl Default for WellbeingRules {
    fn default() -> Self {
        WellbeingRules {
            weekly_hours_warning: 48.0,
            weekly_hours_high: 60.0,
            night_start: NaiveTime::from_hms_opt(22, 0, 0).expect("valid time"),
            night_end: NaiveTime::from_hms_opt(6, 0, 0).expect("valid time"),
            night_min_hours: 3.0,
            consecutive_nights_warning: 3,
            consecutive_nights_high: 5,
            min_rest_hours: 11.0,
            quick_return_hours: 8.0,
            weekly_rest_hours: 24.0,
            weekly_rest_window_days: 7,
            long_shift_hours: 12.0,
            long_night_shift_hours: 8.0,
        }
    }
}
