//! Fatigue and burnout signals from one person's shift records.
//!
//! [`assess`] reads a list of worked shifts (local site time) and raises [`Flag`]s where the
//! roster goes against published shift-work guidance: long weeks, long runs of night shifts,
//! short rest between shifts, no weekly day off, and over-long shifts. The thresholds live in
//! [`WellbeingRules`]; each default names its source (see `shared/domain/kpis.md` §6).
//!
//! **These flags are coaching and rostering prompts, not penalties.** They are shown to agents,
//! team leaders and HR so a roster can be fixed or a conversation started; they must not feed
//! KRA scores, ratings or incentives. Most of the rules are about the schedule, not the person.
//!
//! ## Definitions
//!
//! - **Night window**: from [`WellbeingRules::night_start`] to [`WellbeingRules::night_end`]
//!   (default 22:00–06:00, wrapping midnight). Each window is named by the date on which it
//!   opens: the window opening at 22:00 on 3 March is "the night of 3 March".
//! - **Night shift** ([`is_night_shift`]): a shift with at least
//!   [`WellbeingRules::night_min_hours`] (default 3 h) inside night windows, summed over every
//!   window it touches.
//! - **The night a night shift belongs to**: the night window holding the first night-window
//!   minute of the shift. With the default window this is the date the shift starts, except
//!   that a shift starting between 00:00 and 06:00 belongs to the previous evening's night.
//! - **Consecutive nights**: night shifts whose nights fall on consecutive calendar dates, with no
//!   night off in between. Two night shifts belonging to the same night count as one night. A
//!   day shift in between does not break the run (it adds to the strain; the short-rest rule
//!   will usually flag it too). The whole run is flagged once.
//! - **Weekly rest**: shifts sorted by start are cut into *stretches* wherever the rest between
//!   one shift's end and the next shift's start is at least [`WellbeingRules::weekly_rest_hours`]
//!   (default 24 h). A stretch lasting (first start to last end) longer than
//!   [`WellbeingRules::weekly_rest_window_days`] days (default 7) is flagged as a Warning, and
//!   longer than twice that (14 days) as High. Rest before the first and after the last input
//!   shift is unknown and is assumed to be long enough. This is a simplification of the EU rule
//!   ("24 h rest in each 7-day period"): it finds every run of more than 7 days with no 24 h
//!   break, but it does not slide a 7-day window across the edges of two stretches.
//! - **Weeks**: ISO weeks, Monday 00:00 to the next Monday 00:00. A shift crossing a week
//!   boundary adds to each week the hours falling in it; it is *counted* (in
//!   [`WeekSummary::shifts`] and [`WeekSummary::night_shifts`]) in the week where it starts.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

/// The result of [`assess`].
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

/// Assess one person's shifts.
///
/// Shifts may come in any order; they are sorted by start internally, and every index in the
/// result (and in errors) points into the input slice. Shifts must not overlap, and each must
/// end after it starts: end-before-start is checked first, in input order, then overlaps, in
/// time order. Touching shifts (one ends when the next starts) are allowed and have 0 h rest.
///
/// ```
/// use chrono::NaiveDateTime;
/// use ladder_core::wellbeing::{assess, FlagKind, Severity, Shift, WellbeingRules};
///
/// let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
/// let shifts = [
///     Shift { start: t("2025-03-03 22:00"), end: t("2025-03-04 06:00") },
///     // only 7 h after the first shift ends: a quick return
///     Shift { start: t("2025-03-04 13:00"), end: t("2025-03-04 21:00") },
/// ];
/// let a = assess(&shifts, &WellbeingRules::default()).unwrap();
/// assert_eq!(a.night_shifts, 1);
/// assert_eq!(a.total_hours, 16.0);
/// assert_eq!(a.flags.len(), 1);
/// assert_eq!(a.flags[0].kind, FlagKind::ShortRest);
/// assert_eq!(a.flags[0].value, 7.0);
/// assert_eq!(a.flags[0].shifts, vec![0, 1]);
/// assert_eq!(a.worst, Some(Severity::High));
/// ```
pub fn assess(shifts: &[Shift], rules: &WellbeingRules) -> Result<Assessment, ShiftError> {
    for (index, s) in shifts.iter().enumerate() {
        if s.end <= s.start {
            return Err(ShiftError::EndsBeforeStart { index, start: s.start, end: s.end });
        }
    }
    let mut order: Vec<usize> = (0..shifts.len()).collect();
    order.sort_by_key(|&i| (shifts[i].start, i));
    // With no overlap among the earlier shifts, the previous shift has the latest end so far,
    // so checking neighbours finds the first overlap.
    for w in order.windows(2) {
        if shifts[w[1]].start < shifts[w[0]].end {
            return Err(ShiftError::Overlap { index: w[1], other: w[0] });
        }
    }

    let night: Vec<bool> = shifts.iter().map(|s| is_night_shift(s, rules)).collect();
    let mut flags = Vec::new();

    let weeks = weekly_hours(shifts, &order, &night, rules, &mut flags);
    consecutive_nights(shifts, &order, &night, rules, &mut flags);
    short_rest(shifts, &order, rules, &mut flags);
    weekly_rest(shifts, &order, rules, &mut flags);
    long_shifts(shifts, &order, &night, rules, &mut flags);

    flags.sort_by(|a, b| a.from.cmp(&b.from).then((a.kind as u8).cmp(&(b.kind as u8))));
    let worst = flags.iter().map(|f| f.severity).max();
    let total_secs: i64 = shifts.iter().map(|s| secs_between(s.start, s.end)).sum();
    Ok(Assessment {
        flags,
        weeks,
        total_hours: hours(total_secs),
        night_shifts: night.iter().filter(|&&n| n).count(),
        worst,
    })
}

// ---- the rules -------------------------------------------------------------------------

#[derive(Default)]
struct WeekAcc {
    secs: i64,
    shifts: usize,
    night_shifts: usize,
    members: Vec<usize>,
}

fn weekly_hours(
    shifts: &[Shift],
    order: &[usize],
    night: &[bool],
    rules: &WellbeingRules,
    flags: &mut Vec<Flag>,
) -> Vec<WeekSummary> {
    let mut weeks: BTreeMap<NaiveDate, WeekAcc> = BTreeMap::new();
    for &i in order {
        let s = shifts[i];
        let first_monday = monday_of(s.start.date());
        let mut monday = first_monday;
        loop {
            let week_start = monday.and_time(NaiveTime::MIN);
            let week_end = week_start + TimeDelta::days(7);
            let secs = overlap_secs(s.start, s.end, week_start, week_end);
            if secs > 0 {
                let acc = weeks.entry(monday).or_default();
                acc.secs += secs;
                acc.members.push(i);
                if monday == first_monday {
                    acc.shifts += 1;
                    acc.night_shifts += usize::from(night[i]);
                }
            }
            if s.end <= week_end {
                break;
            }
            monday += TimeDelta::days(7);
        }
    }

    let mut out = Vec::with_capacity(weeks.len());
    for (monday, acc) in weeks {
        let h = hours(acc.secs);
        let over = if h > rules.weekly_hours_high {
            Some((Severity::High, rules.weekly_hours_high, "a very heavy week"))
        } else if h > rules.weekly_hours_warning {
            Some((Severity::Warning, rules.weekly_hours_warning, "a long week"))
        } else {
            None
        };
        if let Some((severity, limit, note)) = over {
            let from = monday.and_time(NaiveTime::MIN);
            flags.push(Flag {
                kind: FlagKind::WeeklyHours,
                severity,
                from,
                to: from + TimeDelta::days(7),
                value: h,
                limit,
                shifts: acc.members,
                message: format!(
                    "{} worked in the week starting {} — more than {} h, {note}. The UK Working \
                     Time Regulations cap the average week at 48 h, and fatigue guidance advises \
                     against more than 50 h a week; worth a look at overtime and the roster.",
                    fmt_hours(h),
                    monday.format("%a %-d %b %Y"),
                    fmt_num(limit),
                ),
            });
        }
        out.push(WeekSummary { week_start: monday, hours: h, shifts: acc.shifts, night_shifts: acc.night_shifts });
    }
    out
}

fn consecutive_nights(
    shifts: &[Shift],
    order: &[usize],
    night: &[bool],
    rules: &WellbeingRules,
    flags: &mut Vec<Flag>,
) {
    // (night date, input index) of each night shift, in time order.
    let nights: Vec<(NaiveDate, usize)> =
        order.iter().filter(|&&i| night[i]).filter_map(|&i| night_of(&shifts[i], rules).map(|d| (d, i))).collect();

    let mut run: Vec<usize> = Vec::new();
    let mut count: u32 = 0;
    let mut last: Option<NaiveDate> = None;
    for &(date, i) in &nights {
        match last {
            Some(prev) if date == prev => {}
            Some(prev) if prev.succ_opt() == Some(date) => count += 1,
            _ => {
                close_night_run(shifts, &run, count, rules, flags);
                run.clear();
                count = 1;
            }
        }
        run.push(i);
        last = Some(date);
    }
    close_night_run(shifts, &run, count, rules, flags);
}

fn close_night_run(shifts: &[Shift], run: &[usize], count: u32, rules: &WellbeingRules, flags: &mut Vec<Flag>) {
    let (Some(&first), Some(&last)) = (run.first(), run.last()) else { return };
    let (severity, limit, note) = if count > rules.consecutive_nights_high {
        (Severity::High, rules.consecutive_nights_high, "is a long run")
    } else if count > rules.consecutive_nights_warning {
        (Severity::Warning, rules.consecutive_nights_warning, "strains sleep")
    } else {
        return;
    };
    flags.push(Flag {
        kind: FlagKind::ConsecutiveNights,
        severity,
        from: shifts[first].start,
        to: shifts[last].end,
        value: f64::from(count),
        limit: f64::from(limit),
        shifts: run.to_vec(),
        message: format!(
            "{count} night shifts in a row (more than {limit} {note}; HSE advises 2–3 and fatigue \
             guidance at most 3–4). Plan at least 2 full nights' sleep after the last one."
        ),
    });
}

fn short_rest(shifts: &[Shift], order: &[usize], rules: &WellbeingRules, flags: &mut Vec<Flag>) {
    for w in order.windows(2) {
        let (prev, next) = (shifts[w[0]], shifts[w[1]]);
        let rest = hours(secs_between(prev.end, next.start));
        let (severity, limit) = if rest < rules.quick_return_hours {
            (Severity::High, rules.quick_return_hours)
        } else if rest < rules.min_rest_hours {
            (Severity::Warning, rules.min_rest_hours)
        } else {
            continue;
        };
        let what = if severity == Severity::High {
            format!("a quick return (under {} h), which fatigue guidance advises against", fmt_num(limit))
        } else {
            format!("under the {} h minimum", fmt_num(limit))
        };
        flags.push(Flag {
            kind: FlagKind::ShortRest,
            severity,
            from: prev.end,
            to: next.start,
            value: rest,
            limit,
            shifts: vec![w[0], w[1]],
            message: format!(
                "Only {} rest between the shift ending {} and the next one starting {}: {what}. \
                 The EU Working Time Directive gives 11 h daily rest, and fatigue guidance \
                 suggests 12 h between shifts.",
                fmt_hours(rest),
                fmt_when(prev.end),
                fmt_when(next.start),
            ),
        });
    }
}

fn weekly_rest(shifts: &[Shift], order: &[usize], rules: &WellbeingRules, flags: &mut Vec<Flag>) {
    let Some(&first) = order.first() else { return };
    let mut stretch = vec![first];
    let mut longest_gap: Option<f64> = None;
    for w in order.windows(2) {
        let gap = hours(secs_between(shifts[w[0]].end, shifts[w[1]].start));
        if gap >= rules.weekly_rest_hours {
            close_stretch(shifts, &stretch, longest_gap, rules, flags);
            stretch.clear();
            longest_gap = None;
        } else {
            longest_gap = Some(longest_gap.map_or(gap, |g: f64| g.max(gap)));
        }
        stretch.push(w[1]);
    }
    close_stretch(shifts, &stretch, longest_gap, rules, flags);
}

fn close_stretch(
    shifts: &[Shift],
    stretch: &[usize],
    longest_gap: Option<f64>,
    rules: &WellbeingRules,
    flags: &mut Vec<Flag>,
) {
    let (Some(&first), Some(&last)) = (stretch.first(), stretch.last()) else { return };
    // Shifts do not overlap, so the last to start is also the last to end.
    let (from, to) = (shifts[first].start, shifts[last].end);
    let span = hours(secs_between(from, to));
    let window = f64::from(rules.weekly_rest_window_days) * 24.0;
    let (severity, limit) = if span > 2.0 * window {
        (Severity::High, 2.0 * window)
    } else if span > window {
        (Severity::Warning, window)
    } else {
        return;
    };
    let gap_note = longest_gap.map(|g| format!(" (longest break {})", fmt_hours(g))).unwrap_or_default();
    flags.push(Flag {
        kind: FlagKind::NoWeeklyRest,
        severity,
        from,
        to,
        value: span,
        limit,
        shifts: stretch.to_vec(),
        message: format!(
            "{} of work from {} to {} without a break of {} or more{gap_note}, longer than {}. \
             The EU Working Time Directive gives 24 h of rest in every 7 days, and HSE advises \
             at most 5–7 work days in a row; plan a full day off.",
            fmt_span(span),
            fmt_when(from),
            fmt_when(to),
            fmt_hours(rules.weekly_rest_hours),
            fmt_span(limit),
        ),
    });
}

fn long_shifts(shifts: &[Shift], order: &[usize], night: &[bool], rules: &WellbeingRules, flags: &mut Vec<Flag>) {
    for &i in order {
        let s = shifts[i];
        let h = s.hours();
        let (kind, severity, limit, guidance) = if h > rules.long_shift_hours {
            (FlagKind::LongShift, Severity::High, rules.long_shift_hours, "HSE advises at most 12 h including overtime")
        } else if night[i] && h > rules.long_night_shift_hours {
            (
                FlagKind::LongNightShift,
                Severity::Warning,
                rules.long_night_shift_hours,
                "HSE advises at most 8 h for night shifts",
            )
        } else {
            continue;
        };
        let what = if kind == FlagKind::LongNightShift { "night shift" } else { "shift" };
        flags.push(Flag {
            kind,
            severity,
            from: s.start,
            to: s.end,
            value: h,
            limit,
            shifts: vec![i],
            message: format!(
                "A {} {what} starting {} (longer than {} h; {guidance}).",
                fmt_hours(h),
                fmt_when(s.start),
                fmt_num(limit),
            ),
        });
    }
}

// ---- helpers ---------------------------------------------------------------------------

fn secs_between(from: NaiveDateTime, to: NaiveDateTime) -> i64 {
    (to - from).num_seconds()
}

fn hours(secs: i64) -> f64 {
    secs as f64 / 3600.0
}

fn overlap_secs(a0: NaiveDateTime, a1: NaiveDateTime, b0: NaiveDateTime, b1: NaiveDateTime) -> i64 {
    secs_between(a0.max(b0), a1.min(b1)).max(0)
}

fn monday_of(date: NaiveDate) -> NaiveDate {
    date - TimeDelta::days(i64::from(date.weekday().num_days_from_monday()))
}

/// Every night window that could touch the shift, as (date it opens, open, close), in order.
/// Empty when `night_start == night_end`.
fn night_windows(shift: &Shift, rules: &WellbeingRules) -> Vec<(NaiveDate, NaiveDateTime, NaiveDateTime)> {
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
fn night_of(shift: &Shift, rules: &WellbeingRules) -> Option<NaiveDate> {
    night_windows(shift, rules)
        .into_iter()
        .find(|&(_, open, close)| overlap_secs(shift.start, shift.end, open, close) > 0)
        .map(|(d, _, _)| d)
}

/// "9 h", "10 h 30 min", "45 min".
fn fmt_hours(h: f64) -> String {
    let mins = (h * 60.0).round() as i64;
    match (mins / 60, mins % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// "7 days", "8 days 3 h", "1 day 2 h 30 min".
fn fmt_span(h: f64) -> String {
    let mins = (h * 60.0).round() as i64;
    let days = mins / (24 * 60);
    let rest = mins % (24 * 60);
    let d = format!("{days} day{}", if days == 1 { "" } else { "s" });
    match (days, rest) {
        (0, _) => fmt_hours(h),
        (_, 0) => d,
        _ => format!("{d} {}", fmt_hours(rest as f64 / 60.0)),
    }
}

/// A threshold without a needless ".0": 48, 10.5.
fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

fn fmt_when(t: NaiveDateTime) -> String {
    t.format("%a %-d %b %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }
    fn sh(start: &str, end: &str) -> Shift {
        Shift { start: t(start), end: t(end) }
    }
    /// Monday 3 March 2025 at 00:00, plus `hours`.
    fn at(hours: f64) -> NaiveDateTime {
        t("2025-03-03 00:00") + TimeDelta::seconds((hours * 3600.0).round() as i64)
    }
    /// `n` shifts of `len` hours, one a day, starting on day 0 at `hour`.
    fn daily(n: usize, hour: f64, len: f64) -> Vec<Shift> {
        (0..n)
            .map(|d| {
                let s = d as f64 * 24.0 + hour;
                Shift { start: at(s), end: at(s + len) }
            })
            .collect()
    }
    fn run(shifts: &[Shift]) -> Assessment {
        assess(shifts, &WellbeingRules::default()).unwrap()
    }
    fn of_kind(a: &Assessment, kind: FlagKind) -> Vec<&Flag> {
        a.flags.iter().filter(|f| f.kind == kind).collect()
    }

    #[test]
    fn fixture_monday_is_a_monday() {
        assert_eq!(at(0.0).weekday(), chrono::Weekday::Mon);
    }

    #[test]
    fn defaults_follow_the_sources() {
        let r = WellbeingRules::default();
        assert_eq!(r.weekly_hours_warning, 48.0);
        assert_eq!(r.weekly_hours_high, 60.0);
        assert_eq!(r.night_start, NaiveTime::from_hms_opt(22, 0, 0).unwrap());
        assert_eq!(r.night_end, NaiveTime::from_hms_opt(6, 0, 0).unwrap());
        assert_eq!(r.night_min_hours, 3.0);
        assert_eq!((r.consecutive_nights_warning, r.consecutive_nights_high), (3, 5));
        assert_eq!((r.min_rest_hours, r.quick_return_hours), (11.0, 8.0));
        assert_eq!((r.weekly_rest_hours, r.weekly_rest_window_days), (24.0, 7));
        assert_eq!((r.long_shift_hours, r.long_night_shift_hours), (12.0, 8.0));
    }

    #[test]
    fn empty_input_gives_no_flags() {
        let a = run(&[]);
        assert!(a.flags.is_empty());
        assert!(a.weeks.is_empty());
        assert_eq!(a.total_hours, 0.0);
        assert_eq!(a.night_shifts, 0);
        assert_eq!(a.worst, None);
    }

    #[test]
    fn a_normal_week_gives_no_flags() {
        let a = run(&daily(5, 9.0, 9.0));
        assert!(a.flags.is_empty(), "{:?}", a.flags);
        assert_eq!(a.total_hours, 45.0);
        assert_eq!(a.weeks.len(), 1);
        assert_eq!(a.worst, None);
    }

    // ---- night window ----

    #[test]
    fn night_shift_needs_three_hours_in_the_window() {
        let r = WellbeingRules::default();
        assert!(is_night_shift(&sh("2025-03-03 22:00", "2025-03-04 06:00"), &r));
        assert!(is_night_shift(&sh("2025-03-03 20:00", "2025-03-04 01:00"), &r)); // exactly 3 h
        assert!(!is_night_shift(&sh("2025-03-03 20:00", "2025-03-04 00:59"), &r)); // 2 h 59
        assert!(is_night_shift(&sh("2025-03-04 03:00", "2025-03-04 12:00"), &r)); // exactly 3 h
        assert!(!is_night_shift(&sh("2025-03-04 04:00", "2025-03-04 12:00"), &r)); // 2 h
        assert!(!is_night_shift(&sh("2025-03-03 14:00", "2025-03-03 22:00"), &r)); // 0 h
        assert_eq!(night_hours(&sh("2025-03-03 14:00", "2025-03-03 22:00"), &r), 0.0);
    }

    #[test]
    fn night_hours_count_every_window_a_shift_touches() {
        let r = WellbeingRules::default();
        // 2 h of the night of 2 March plus 1 h of the night of 3 March.
        let s = sh("2025-03-03 04:00", "2025-03-03 23:00");
        assert_eq!(night_hours(&s, &r), 3.0);
        assert!(is_night_shift(&s, &r));
    }

    #[test]
    fn night_window_need_not_wrap_midnight() {
        let r = WellbeingRules {
            night_start: NaiveTime::from_hms_opt(0, 0, 0).unwrap(),
            night_end: NaiveTime::from_hms_opt(5, 0, 0).unwrap(),
            ..WellbeingRules::default()
        };
        assert_eq!(night_hours(&sh("2025-03-03 22:00", "2025-03-04 06:00"), &r), 5.0);
        let empty = WellbeingRules { night_end: r.night_start, ..r };
        assert!(!is_night_shift(&sh("2025-03-03 22:00", "2025-03-04 06:00"), &empty));
    }

    // ---- consecutive nights ----

    #[test]
    fn three_nights_in_a_row_do_not_fire() {
        let a = run(&daily(3, 22.0, 8.0));
        assert_eq!(a.night_shifts, 3);
        assert!(of_kind(&a, FlagKind::ConsecutiveNights).is_empty());
    }

    #[test]
    fn four_nights_in_a_row_are_a_warning() {
        let a = run(&daily(4, 22.0, 8.0));
        let f = of_kind(&a, FlagKind::ConsecutiveNights);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!((f[0].value, f[0].limit), (4.0, 3.0));
        assert_eq!(f[0].shifts, vec![0, 1, 2, 3]);
        assert_eq!((f[0].from, f[0].to), (at(22.0), at(3.0 * 24.0 + 30.0)));
        assert!(f[0].message.starts_with("4 night shifts in a row"), "{}", f[0].message);
    }

    #[test]
    fn five_nights_are_a_warning_six_are_high() {
        let five = run(&daily(5, 22.0, 8.0));
        assert_eq!(of_kind(&five, FlagKind::ConsecutiveNights)[0].severity, Severity::Warning);
        let six = run(&daily(6, 22.0, 8.0));
        let f = of_kind(&six, FlagKind::ConsecutiveNights);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::High);
        assert_eq!((f[0].value, f[0].limit), (6.0, 5.0));
        assert_eq!(f[0].shifts.len(), 6);
        assert_eq!(six.worst, Some(Severity::High));
    }

    #[test]
    fn a_night_off_breaks_the_run() {
        let mut shifts = daily(3, 22.0, 8.0);
        shifts.extend(daily(3, 4.0 * 24.0 + 22.0, 8.0)); // nights 0,1,2 then 4,5,6
        let a = run(&shifts);
        assert_eq!(a.night_shifts, 6);
        assert!(of_kind(&a, FlagKind::ConsecutiveNights).is_empty());
    }

    #[test]
    fn a_shift_starting_after_midnight_belongs_to_the_previous_night() {
        let shifts = [
            sh("2025-03-03 23:00", "2025-03-04 07:00"), // night of 3 Mar
            sh("2025-03-05 00:30", "2025-03-05 08:30"), // night of 4 Mar
            sh("2025-03-05 22:00", "2025-03-06 06:00"), // night of 5 Mar
            sh("2025-03-06 23:00", "2025-03-07 07:00"), // night of 6 Mar
        ];
        let a = run(&shifts);
        let f = of_kind(&a, FlagKind::ConsecutiveNights);
        assert_eq!(f.len(), 1, "{:?}", a.flags);
        assert_eq!(f[0].value, 4.0);
        // Replacing the second with a day shift leaves a night off (4 Mar): runs of 1 and 2.
        let mut gap = shifts;
        gap[1] = sh("2025-03-04 08:00", "2025-03-04 10:00"); // a day shift instead
        assert!(of_kind(&run(&gap), FlagKind::ConsecutiveNights).is_empty());
    }

    #[test]
    fn a_day_shift_between_nights_does_not_break_the_run() {
        let mut shifts = daily(4, 22.0, 8.0);
        shifts.insert(1, sh("2025-03-04 13:00", "2025-03-04 17:00"));
        let a = run(&shifts);
        let f = of_kind(&a, FlagKind::ConsecutiveNights);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].shifts, vec![0, 2, 3, 4]);
    }

    #[test]
    fn two_night_shifts_in_one_night_count_once() {
        let shifts = [
            sh("2025-03-03 22:00", "2025-03-04 01:00"),
            sh("2025-03-04 02:00", "2025-03-04 06:00"), // same night as the first
            sh("2025-03-04 22:00", "2025-03-05 06:00"),
            sh("2025-03-05 22:00", "2025-03-06 06:00"),
        ];
        let a = run(&shifts);
        assert_eq!(a.night_shifts, 4);
        assert!(of_kind(&a, FlagKind::ConsecutiveNights).is_empty());
    }

    // ---- short rest ----

    #[test]
    fn exactly_eleven_hours_rest_does_not_fire() {
        let a = run(&[Shift { start: at(8.0), end: at(16.0) }, Shift { start: at(27.0), end: at(35.0) }]);
        assert!(of_kind(&a, FlagKind::ShortRest).is_empty());
    }

    #[test]
    fn ten_and_a_half_hours_rest_is_a_warning() {
        let a = run(&[Shift { start: at(8.0), end: at(16.0) }, Shift { start: at(26.5), end: at(34.5) }]);
        let f = of_kind(&a, FlagKind::ShortRest);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!((f[0].value, f[0].limit), (10.5, 11.0));
        assert_eq!(f[0].shifts, vec![0, 1]);
        assert_eq!((f[0].from, f[0].to), (at(16.0), at(26.5)));
        assert!(f[0].message.contains("10 h 30 min"), "{}", f[0].message);
    }

    #[test]
    fn quick_return_under_eight_hours_is_high() {
        let exactly_8 = run(&[Shift { start: at(8.0), end: at(16.0) }, Shift { start: at(24.0), end: at(30.0) }]);
        assert_eq!(of_kind(&exactly_8, FlagKind::ShortRest)[0].severity, Severity::Warning);
        let a = run(&[Shift { start: at(8.0), end: at(16.0) }, Shift { start: at(23.5), end: at(30.0) }]);
        let f = of_kind(&a, FlagKind::ShortRest);
        assert_eq!(f[0].severity, Severity::High);
        assert_eq!((f[0].value, f[0].limit), (7.5, 8.0));
    }

    #[test]
    fn touching_shifts_are_allowed_with_zero_rest() {
        let a = run(&[Shift { start: at(8.0), end: at(12.0) }, Shift { start: at(12.0), end: at(16.0) }]);
        assert_eq!(of_kind(&a, FlagKind::ShortRest)[0].value, 0.0);
    }

    // ---- weekly rest ----

    #[test]
    fn stretch_of_six_days_twenty_three_hours_does_not_fire() {
        let mut shifts = daily(7, 0.0, 8.0);
        shifts.push(Shift { start: at(6.0 * 24.0 + 15.0), end: at(6.0 * 24.0 + 23.0) });
        let a = run(&shifts);
        assert!(of_kind(&a, FlagKind::NoWeeklyRest).is_empty());
    }

    #[test]
    fn stretch_of_exactly_seven_days_does_not_fire() {
        let mut shifts = daily(7, 0.0, 8.0);
        shifts.push(Shift { start: at(6.0 * 24.0 + 16.0), end: at(7.0 * 24.0) });
        assert!(of_kind(&run(&shifts), FlagKind::NoWeeklyRest).is_empty());
    }

    #[test]
    fn stretch_of_eight_days_is_a_warning() {
        let mut shifts = daily(8, 0.0, 8.0);
        shifts.push(Shift { start: at(7.0 * 24.0 + 16.0), end: at(8.0 * 24.0) });
        let a = run(&shifts);
        let f = of_kind(&a, FlagKind::NoWeeklyRest);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!((f[0].value, f[0].limit), (192.0, 168.0));
        assert_eq!(f[0].shifts, (0..9).collect::<Vec<_>>());
        assert_eq!((f[0].from, f[0].to), (at(0.0), at(192.0)));
        assert!(f[0].message.starts_with("8 days of work"), "{}", f[0].message);
    }

    #[test]
    fn a_24_hour_gap_resets_the_stretch() {
        // 6 days on (00:00–08:00, ends day 5 08:00), exactly 24 h off, 6 days on.
        let mut shifts = daily(6, 0.0, 8.0);
        shifts.extend(daily(6, 6.0 * 24.0 + 8.0, 8.0));
        assert_eq!(shifts[6].start - shifts[5].end, TimeDelta::hours(24));
        assert!(of_kind(&run(&shifts), FlagKind::NoWeeklyRest).is_empty());
        // 23 h off does not reset it.
        shifts[6..].iter_mut().for_each(|s| {
            s.start -= TimeDelta::hours(1);
            s.end -= TimeDelta::hours(1);
        });
        assert_eq!(of_kind(&run(&shifts), FlagKind::NoWeeklyRest).len(), 1);
    }

    #[test]
    fn stretch_over_fourteen_days_is_high() {
        let a = run(&daily(15, 9.0, 8.0));
        let f = of_kind(&a, FlagKind::NoWeeklyRest);
        assert_eq!(f[0].severity, Severity::High);
        assert_eq!(f[0].limit, 336.0);
        let exactly_14 = run(&daily(14, 0.0, 24.0)); // touching 24 h shifts: 336 h, not more
        let f = of_kind(&exactly_14, FlagKind::NoWeeklyRest);
        assert_eq!((f[0].severity, f[0].value), (Severity::Warning, 336.0));
    }

    // ---- weekly hours ----

    #[test]
    fn week_is_split_across_sunday_midnight() {
        let s = sh("2025-03-09 20:00", "2025-03-10 04:00"); // Sun → Mon
        let a = run(&[s]);
        assert_eq!(a.weeks.len(), 2);
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            a.weeks,
            vec![
                WeekSummary { week_start: d("2025-03-03"), hours: 4.0, shifts: 1, night_shifts: 1 },
                WeekSummary { week_start: d("2025-03-10"), hours: 4.0, shifts: 0, night_shifts: 0 },
            ]
        );
        assert_eq!(a.total_hours, 8.0);
        assert_eq!(a.night_shifts, 1);
    }

    #[test]
    fn exactly_48_hours_does_not_fire() {
        let a = run(&daily(4, 8.0, 12.0));
        assert_eq!(a.weeks[0].hours, 48.0);
        assert!(of_kind(&a, FlagKind::WeeklyHours).is_empty());
    }

    #[test]
    fn split_hours_can_tip_a_week_over() {
        // 44 h Mon–Thu, plus a Sunday night shift with 4 h before midnight: 48 h → no flag;
        // move it 1 h earlier (5 h before midnight): 49 h → warning for that week only.
        let mut shifts = daily(4, 8.0, 11.0);
        shifts.push(sh("2025-03-09 20:00", "2025-03-10 04:00"));
        assert!(of_kind(&run(&shifts), FlagKind::WeeklyHours).is_empty());
        shifts[4] = sh("2025-03-09 19:00", "2025-03-10 03:00");
        let a = run(&shifts);
        let f = of_kind(&a, FlagKind::WeeklyHours);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!((f[0].value, f[0].limit), (49.0, 48.0));
        assert_eq!((f[0].from, f[0].to), (at(0.0), at(168.0)));
        assert_eq!(f[0].shifts, vec![0, 1, 2, 3, 4]);
        assert_eq!(a.weeks[1].hours, 3.0);
    }

    #[test]
    fn sixty_hours_is_a_warning_more_is_high() {
        let sixty = run(&daily(5, 8.0, 12.0));
        let f = of_kind(&sixty, FlagKind::WeeklyHours);
        assert_eq!((f.len(), f[0].severity, f[0].limit), (1, Severity::Warning, 48.0));
        let a = run(&daily(6, 8.0, 10.5)); // 63 h
        let f = of_kind(&a, FlagKind::WeeklyHours);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::High);
        assert_eq!((f[0].value, f[0].limit), (63.0, 60.0));
    }

    // ---- long shifts ----

    #[test]
    fn thirteen_hour_day_shift_is_high() {
        let a = run(&[sh("2025-03-03 07:00", "2025-03-03 20:00")]);
        assert_eq!(a.flags.len(), 1);
        let f = &a.flags[0];
        assert_eq!((f.kind, f.severity), (FlagKind::LongShift, Severity::High));
        assert_eq!((f.value, f.limit), (13.0, 12.0));
        assert_eq!(f.shifts, vec![0]);
        let twelve = run(&[sh("2025-03-03 07:00", "2025-03-03 19:00")]);
        assert!(twelve.flags.is_empty());
    }

    #[test]
    fn nine_hour_night_shift_is_a_warning() {
        let a = run(&[sh("2025-03-03 22:00", "2025-03-04 07:00")]);
        assert_eq!(a.flags.len(), 1);
        let f = &a.flags[0];
        assert_eq!((f.kind, f.severity), (FlagKind::LongNightShift, Severity::Warning));
        assert_eq!((f.value, f.limit), (9.0, 8.0));
        assert!(run(&[sh("2025-03-03 22:00", "2025-03-04 06:00")]).flags.is_empty());
        // A 9 h day shift is fine.
        assert!(run(&[sh("2025-03-03 08:00", "2025-03-03 17:00")]).flags.is_empty());
    }

    #[test]
    fn thirteen_hour_night_shift_is_only_a_long_shift() {
        let a = run(&[sh("2025-03-03 18:00", "2025-03-04 07:00")]);
        assert_eq!(a.flags.len(), 1);
        assert_eq!((a.flags[0].kind, a.flags[0].severity), (FlagKind::LongShift, Severity::High));
    }

    // ---- errors, order, output ----

    #[test]
    fn end_before_or_at_start_is_an_error() {
        let ok = sh("2025-03-03 08:00", "2025-03-03 16:00");
        let same = sh("2025-03-04 08:00", "2025-03-04 08:00");
        let back = sh("2025-03-05 08:00", "2025-03-05 07:00");
        let r = WellbeingRules::default();
        assert_eq!(
            assess(&[ok, same, back], &r),
            Err(ShiftError::EndsBeforeStart { index: 1, start: same.start, end: same.end })
        );
        let e = assess(&[ok, back], &r).unwrap_err();
        assert_eq!(e, ShiftError::EndsBeforeStart { index: 1, start: back.start, end: back.end });
        assert_eq!(e.to_string(), "shift 1 ends (2025-03-05 07:00:00) before or when it starts (2025-03-05 08:00:00)");
    }

    #[test]
    fn overlap_names_the_later_shift_and_the_one_it_runs_into() {
        let r = WellbeingRules::default();
        let a = sh("2025-03-03 08:00", "2025-03-03 16:00");
        let b = sh("2025-03-03 15:00", "2025-03-03 20:00");
        let c = sh("2025-03-04 08:00", "2025-03-04 16:00");
        assert_eq!(assess(&[c, b, a], &r), Err(ShiftError::Overlap { index: 1, other: 2 }));
        assert_eq!(assess(&[a, c, b], &r).unwrap_err().to_string(), "shift 2 overlaps shift 0");
        // Same start: the later one in the input is the one reported.
        assert_eq!(assess(&[a, c, a], &r), Err(ShiftError::Overlap { index: 2, other: 0 }));
        // A long shift containing another.
        let long = sh("2025-03-03 00:00", "2025-03-05 00:00");
        assert_eq!(assess(&[a, long], &r), Err(ShiftError::Overlap { index: 0, other: 1 }));
    }

    #[test]
    fn out_of_order_input_reports_input_indices() {
        let early = Shift { start: at(8.0), end: at(16.0) };
        let late = Shift { start: at(22.0), end: at(30.0) }; // 6 h rest
        let a = run(&[late, early]);
        let f = of_kind(&a, FlagKind::ShortRest);
        assert_eq!(f[0].shifts, vec![1, 0]);
        let mut nights = daily(4, 22.0, 8.0);
        nights.reverse();
        let a = run(&nights);
        assert_eq!(of_kind(&a, FlagKind::ConsecutiveNights)[0].shifts, vec![3, 2, 1, 0]);
    }

    #[test]
    fn flags_are_sorted_by_start_then_kind_and_worst_is_the_max() {
        // Five 14 h night shifts (18:00–08:00) with 10 h rest between: 70 h in the week.
        let shifts = daily(5, 18.0, 14.0);
        let mut rev = shifts.clone();
        rev.reverse();
        let a = run(&rev);
        assert!(a.flags.windows(2).all(|w| (w[0].from, w[0].kind as u8) <= (w[1].from, w[1].kind as u8)));
        assert_eq!(a.flags[0].kind, FlagKind::WeeklyHours); // from Monday 00:00
        assert_eq!(a.worst, Some(Severity::High));
        let kinds: Vec<FlagKind> = a.flags.iter().map(|f| f.kind).collect();
        assert!(kinds.contains(&FlagKind::ConsecutiveNights));
        assert!(kinds.contains(&FlagKind::ShortRest));
        assert!(kinds.contains(&FlagKind::LongShift));
        // A night-run flag and a long-shift flag both start at the first shift: night run first.
        let at_first: Vec<FlagKind> = a.flags.iter().filter(|f| f.from == shifts[0].start).map(|f| f.kind).collect();
        assert_eq!(at_first, vec![FlagKind::ConsecutiveNights, FlagKind::LongShift]);
    }

    #[test]
    fn serde_names_are_kebab_case_and_rules_round_trip() {
        assert_eq!(serde_json::to_string(&Severity::High).unwrap(), "\"high\"");
        assert_eq!(serde_json::to_string(&FlagKind::ConsecutiveNights).unwrap(), "\"consecutive-nights\"");
        let r = WellbeingRules::default();
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<WellbeingRules>(&json).unwrap(), r);
        let partial: WellbeingRules = serde_json::from_str(r#"{"min_rest_hours": 12.0}"#).unwrap();
        assert_eq!(partial, WellbeingRules { min_rest_hours: 12.0, ..r });
    }

    #[test]
    fn hours_format_in_plain_words() {
        assert_eq!(fmt_hours(9.0), "9 h");
        assert_eq!(fmt_hours(10.5), "10 h 30 min");
        assert_eq!(fmt_hours(0.25), "15 min");
        assert_eq!(fmt_span(192.0), "8 days");
        assert_eq!(fmt_span(24.5), "1 day 30 min");
        assert_eq!(fmt_span(5.0), "5 h");
        assert_eq!(fmt_num(10.5), "10.5");
        assert_eq!(fmt_num(48.0), "48");
    }

    /// Non-overlapping shifts built from (gap, length) in minutes, then shuffled.
    fn shift_lists() -> impl Strategy<Value = Vec<Shift>> {
        prop::collection::vec((0i64..3000, 1i64..900), 0..40)
            .prop_map(|parts| {
                let mut now = t("2025-03-01 00:00");
                parts
                    .into_iter()
                    .map(|(gap, len)| {
                        let start = now + TimeDelta::minutes(gap);
                        now = start + TimeDelta::minutes(len);
                        Shift { start, end: now }
                    })
                    .collect::<Vec<_>>()
            })
            .prop_shuffle()
    }

    proptest! {
        #[test]
        fn weekly_hours_add_up_and_flags_are_well_formed(shifts in shift_lists()) {
            let a = run(&shifts);
            let week_sum: f64 = a.weeks.iter().map(|w| w.hours).sum();
            prop_assert!((week_sum - a.total_hours).abs() < 1e-6);
            prop_assert_eq!(a.weeks.iter().map(|w| w.shifts).sum::<usize>(), shifts.len());
            prop_assert_eq!(a.weeks.iter().map(|w| w.night_shifts).sum::<usize>(), a.night_shifts);
            prop_assert!(a.weeks.windows(2).all(|w| w[0].week_start < w[1].week_start));
            let key = |f: &Flag| (f.from, f.kind as u8);
            prop_assert!(a.flags.windows(2).all(|w| key(&w[0]) <= key(&w[1])));
            prop_assert!(a.flags.iter().all(|f| !f.shifts.is_empty()));
            prop_assert!(a.flags.iter().flat_map(|f| &f.shifts).all(|&i| i < shifts.len()));
            prop_assert!(a.flags.iter().all(|f| f.from <= f.to && f.severity > Severity::Info));
            prop_assert_eq!(a.worst, a.flags.iter().map(|f| f.severity).max());
        }
    }
}
