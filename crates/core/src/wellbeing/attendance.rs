//! Attendance: a person's (or a team's) scheduled shifts against the shifts they worked.
//!
//! - **Hours scheduled / worked**: the shifts' lengths, start to end (breaks are not taken off:
//!   a time clock gives the break's length, a schedule may not).
//! - **Shift missed**: a scheduled shift that no worked shift overlaps.
//! - **Late start**: a scheduled shift whose earliest overlapping worked shift starts more than
//!   [`LATE_AFTER_MINUTES`] after it (a common grace period; ours, not a cited figure).
//!
//! Both lists must be in one time base. Naive UTC gives real elapsed hours across a DST change;
//! local site time gives wall-clock hours. A team's figures are the sum of each person's
//! (call [`attendance`] per person, then [`Attendance::add`]), since shifts of different people
//! must not be matched to each other.

use serde::Serialize;

use super::shifts::{hours, secs_between};
use super::Shift;

/// Minutes after the scheduled start a worked shift may begin before it counts as late.
pub const LATE_AFTER_MINUTES: i64 = 5;

/// Scheduled against worked, for one person or (summed) a team.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Attendance {
    pub scheduled_shifts: u32,
    pub scheduled_hours: f64,
    pub worked_shifts: u32,
    pub worked_hours: f64,
    /// Scheduled shifts with no overlapping worked shift.
    pub missed_shifts: u32,
    /// Scheduled shifts begun more than [`LATE_AFTER_MINUTES`] late.
    pub late_starts: u32,
}

impl Attendance {
    /// Adds another person's figures (a team's total).
    pub fn add(&mut self, other: &Attendance) {
        self.scheduled_shifts += other.scheduled_shifts;
        self.scheduled_hours += other.scheduled_hours;
        self.worked_shifts += other.worked_shifts;
        self.worked_hours += other.worked_hours;
        self.missed_shifts += other.missed_shifts;
        self.late_starts += other.late_starts;
    }

    /// Worked hours as a share of scheduled hours, in per cent (`None` with nothing scheduled).
    pub fn worked_percent(&self) -> Option<f64> {
        (self.scheduled_hours > 0.0).then(|| 100.0 * self.worked_hours / self.scheduled_hours)
    }
}

/// One person's attendance: `scheduled` against `worked`, in any order.
pub fn attendance(scheduled: &[Shift], worked: &[Shift]) -> Attendance {
    attendance_in_span(scheduled, worked, worked)
}

/// [`attendance`] for a span: `scheduled` and `worked_in_span` are the span's shifts, while each
/// scheduled shift is matched against `worked_near`, which also holds worked shifts at the
/// span's edges (a clock-in at 23:55 for a midnight start) and ones not yet ended (overtime).
pub fn attendance_in_span(scheduled: &[Shift], worked_near: &[Shift], worked_in_span: &[Shift]) -> Attendance {
    let length = |s: &Shift| hours(secs_between(s.start, s.end).max(0));
    let mut sorted: Vec<&Shift> = worked_near.iter().collect();
    sorted.sort_by_key(|w| w.start);
    let mut a = Attendance {
        scheduled_shifts: scheduled.len() as u32,
        scheduled_hours: scheduled.iter().map(length).sum(),
        worked_shifts: worked_in_span.len() as u32,
        worked_hours: worked_in_span.iter().map(length).sum(),
        ..Attendance::default()
    };
    for s in scheduled {
        // The earliest-starting worked shift that overlaps this one.
        let first = sorted.iter().find(|w| w.start < s.end && w.end > s.start);
        match first {
            None => a.missed_shifts += 1,
            Some(w) if secs_between(s.start, w.start) > LATE_AFTER_MINUTES * 60 => a.late_starts += 1,
            Some(_) => {}
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_clock_in_before_the_span_or_a_shift_not_yet_ended_still_attends() {
        let midnight = Shift { start: at(2, 0, 0), end: at(2, 8, 0) };
        let early = Shift { start: at(1, 23, 55), end: at(2, 8, 0) };
        let a = attendance_in_span(&[midnight], &[early], &[]);
        assert_eq!((a.missed_shifts, a.late_starts, a.worked_shifts), (0, 0, 0), "{a:?}");
        assert_eq!(attendance(&[midnight], &[]).missed_shifts, 1, "nothing near: missed");
    }

    fn at(day: u32, h: u32, m: u32) -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, day).unwrap().and_hms_opt(h, m, 0).unwrap()
    }
    fn shift(day: u32, (h1, m1): (u32, u32), end_day: u32, (h2, m2): (u32, u32)) -> Shift {
        Shift { start: at(day, h1, m1), end: at(end_day, h2, m2) }
    }

    #[test]
    fn counts_missed_late_and_hours() {
        let scheduled = [
            shift(2, (22, 0), 3, (7, 0)), // worked 5 min late: on time
            shift(3, (22, 0), 4, (7, 0)), // worked 6 min late: late
            shift(4, (22, 0), 5, (7, 0)), // not worked: missed
            shift(6, (9, 0), 6, (18, 0)), // worked early: on time
        ];
        let worked = [
            shift(6, (8, 50), 6, (18, 0)),
            shift(3, (22, 6), 4, (7, 0)),
            shift(2, (22, 5), 3, (7, 30)),
            shift(8, (9, 0), 8, (12, 0)), // unscheduled: counts as worked hours only
        ];
        let a = attendance(&scheduled, &worked);
        assert_eq!((a.scheduled_shifts, a.worked_shifts, a.missed_shifts, a.late_starts), (4, 4, 1, 1));
        assert!((a.scheduled_hours - 36.0).abs() < 1e-9, "{a:?}");
        // 9h10 + 8h54 + 9h25 + 3h = 30h29.
        assert!((a.worked_hours - (30.0 + 29.0 / 60.0)).abs() < 1e-9, "{a:?}");
        assert_eq!(a.worked_percent().map(|p| (p * 10.0).round() / 10.0), Some(84.7));
    }

    #[test]
    fn a_worked_shift_touching_is_not_overlapping_and_split_punches_count_from_the_first() {
        let scheduled = [shift(2, (9, 0), 2, (18, 0))];
        // Ends exactly when the scheduled shift starts: no overlap, so the shift is missed.
        assert_eq!(attendance(&scheduled, &[shift(2, (1, 0), 2, (9, 0))]).missed_shifts, 1);
        // Two pieces: the first starts on time, so the shift is neither missed nor late.
        let pieces = [shift(2, (13, 0), 2, (18, 0)), shift(2, (9, 2), 2, (12, 0))];
        let a = attendance(&scheduled, &pieces);
        assert_eq!((a.missed_shifts, a.late_starts), (0, 0));
        assert!(attendance(&[], &[]).worked_percent().is_none());
        let mut team = a;
        team.add(&attendance(&scheduled, &[]));
        assert_eq!((team.scheduled_shifts, team.missed_shifts), (2, 1));
    }
}
