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

pub mod attendance;
mod checks;
mod flags;
pub mod night_pay;
pub mod rollup;
mod rules;
mod shifts;
mod sources;
mod words;
pub mod zone;

pub use flags::{Assessment, Flag, FlagKind, Severity, WeekSummary};
pub use rules::WellbeingRules;
pub use shifts::{is_night_shift, night_hours, Shift, ShiftError};

use checks::{consecutive_nights, long_shifts, short_rest, weekly_hours, weekly_rest};
use shifts::{hours, secs_between};

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
    assess_with(shifts, rules, true)
}

/// [`assess`] with every flag's `message` left empty: for sums over many people (the roll-up),
/// where the words were two thirds of the assessment's time and no one reads them.
pub fn assess_without_words(shifts: &[Shift], rules: &WellbeingRules) -> Result<Assessment, ShiftError> {
    assess_with(shifts, rules, false)
}

fn assess_with(shifts: &[Shift], rules: &WellbeingRules, words: bool) -> Result<Assessment, ShiftError> {
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

    let weeks = weekly_hours(shifts, &order, &night, rules, &mut flags, words);
    consecutive_nights(shifts, &order, &night, rules, &mut flags, words);
    short_rest(shifts, &order, rules, &mut flags, words);
    weekly_rest(shifts, &order, rules, &mut flags, words);
    long_shifts(shifts, &order, &night, rules, &mut flags, words);

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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
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
    fn without_words_the_flags_are_the_same_but_for_their_messages() {
        let shifts = daily(9, 18.0, 14.0);
        let (with, without) = (run(&shifts), assess_without_words(&shifts, &WellbeingRules::default()).unwrap());
        assert!(with.flags.len() >= 4 && with.flags.iter().all(|f| !f.message.is_empty()), "{:?}", with.flags);
        let unsaid: Vec<Flag> = with.flags.iter().map(|f| Flag { message: String::new(), ..f.clone() }).collect();
        assert_eq!((without.flags, without.weeks), (unsaid, with.weeks));
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
