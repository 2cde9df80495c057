//! Well-being roll-ups (issue 29): what one person's schedule says about a span of days (a month
//! or a week), and the sums of many people for a team, account or site.
//!
//! A shift counts in the span its local start falls in (as [`WeekSummary`](super::WeekSummary)
//! counts it in its week). A flag counts in the span its own start falls in, so a run of nights
//! that began before the span is still found: the caller passes the shifts of a few weeks
//! before (and a week after, so a stretch without rest is measured whole).
//!
//! Shares are people with a flag over people with shifts. A unit of fewer than
//! [`MIN_PEOPLE`] people shows none: with 4 people a share of 25 % names someone. Attendance
//! (scheduled shifts against worked ones, [`super::attendance`]) is summed the same way and
//! shown on the same terms, over the people with a scheduled shift it counts.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde::Serialize;

use super::attendance::Attendance;
use super::{assess_without_words, is_night_shift, FlagKind, Shift, ShiftError, WellbeingRules};

/// The fewest people a share, a mean or a count of flags is shown for.
pub const MIN_PEOPLE: u64 = 5;

/// The flags a roll-up counts people for; a long shift and a long night shift are one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    WeeklyHours,
    ConsecutiveNights,
    ShortRest,
    NoWeeklyRest,
    LongShift,
}

impl Kind {
    pub const ALL: [Kind; 5] =
        [Kind::WeeklyHours, Kind::ConsecutiveNights, Kind::ShortRest, Kind::NoWeeklyRest, Kind::LongShift];

    pub fn of(flag: FlagKind) -> Kind {
        match flag {
            FlagKind::WeeklyHours => Kind::WeeklyHours,
            FlagKind::ConsecutiveNights => Kind::ConsecutiveNights,
            FlagKind::ShortRest => Kind::ShortRest,
            FlagKind::NoWeeklyRest => Kind::NoWeeklyRest,
            FlagKind::LongShift | FlagKind::LongNightShift => Kind::LongShift,
        }
    }

    /// What the column is called, in words.
    pub fn label(self) -> &'static str {
        match self {
            Kind::WeeklyHours => "long weeks",
            Kind::ConsecutiveNights => "nights in a row",
            Kind::ShortRest => "short rest between shifts",
            Kind::NoWeeklyRest => "7 days without 24 h rest",
            Kind::LongShift => "long shifts",
        }
    }
}

/// One person's span.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PersonSpan {
    /// Shifts starting in the span.
    pub shifts: u32,
    /// Night shifts starting in the span.
    pub nights: u32,
    /// Hours of the shifts starting in the span.
    pub hours: f64,
    /// Whether a flag of each [`Kind`] (in `Kind::ALL`'s order) starts in the span.
    pub flagged: [bool; 5],
}

/// `shifts` (one person's, local site time, any order) over the days `first..=last`.
pub fn person_span(
    shifts: &[Shift],
    first: NaiveDate,
    last: NaiveDate,
    rules: &WellbeingRules,
) -> Result<PersonSpan, ShiftError> {
    let (from, to) = edges(first, last);
    let inside = |t: NaiveDateTime| from <= t && t < to;
    let assessment = assess_without_words(shifts, rules)?;
    let mut out = PersonSpan::default();
    for s in shifts.iter().filter(|s| inside(s.start)) {
        out.shifts += 1;
        out.hours += s.hours();
        out.nights += u32::from(is_night_shift(s, rules));
    }
    for flag in assessment.flags.iter().filter(|f| inside(f.from)) {
        let kind = Kind::of(flag.kind);
        out.flagged[Kind::ALL.iter().position(|k| *k == kind).expect("every kind is listed")] = true;
    }
    Ok(out)
}

/// The span's first instant and the instant after its last day, local time.
fn edges(first: NaiveDate, last: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    (first.and_time(NaiveTime::MIN), (last + TimeDelta::days(1)).and_time(NaiveTime::MIN))
}

/// Many people's spans summed; only people with a shift in the span count.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    /// People with at least one shift starting in the span.
    pub people: u64,
    /// People with each kind of flag, in `Kind::ALL`'s order.
    pub flagged: [u64; 5],
    /// People with any flag.
    pub any: u64,
    pub nights: u64,
    pub hours: f64,
    /// People whose stored schedule could not be assessed (overlapping shifts): not counted.
    pub unreadable: u64,
    /// People with a scheduled shift that attendance counts, and their attendance summed.
    pub attendance_people: u64,
    pub attendance: Attendance,
}

impl Tally {
    pub fn add_person(&mut self, p: &PersonSpan) {
        if p.shifts == 0 {
            return;
        }
        self.people += 1;
        for (sum, flagged) in self.flagged.iter_mut().zip(p.flagged) {
            *sum += u64::from(flagged);
        }
        self.any += u64::from(p.flagged.iter().any(|f| *f));
        self.nights += u64::from(p.nights);
        self.hours += p.hours;
    }

    /// Adds one person's attendance; someone with no scheduled shift counted adds nothing.
    pub fn add_attendance(&mut self, a: &Attendance) {
        if a.scheduled_shifts == 0 {
            return;
        }
        self.attendance_people += 1;
        self.attendance.add(a);
    }

    pub fn add(&mut self, other: &Tally) {
        self.people += other.people;
        for (sum, n) in self.flagged.iter_mut().zip(other.flagged) {
            *sum += n;
        }
        self.any += other.any;
        self.nights += other.nights;
        self.hours += other.hours;
        self.unreadable += other.unreadable;
        // A team with no time-clock data would count every scheduled shift as missed.
        if other.attendance.worked_shifts > 0 {
            self.attendance_people += other.attendance_people;
            self.attendance.add(&other.attendance);
        }
    }

    /// Whether there are enough people to show shares and means.
    pub fn shown(&self) -> bool {
        self.people >= MIN_PEOPLE
    }

    /// The share (0–1) of people with each kind of flag; `None` under [`MIN_PEOPLE`].
    pub fn shares(&self) -> Option<[f64; 5]> {
        self.shown().then(|| self.flagged.map(|n| n as f64 / self.people as f64))
    }

    /// The share of people with any flag.
    pub fn any_share(&self) -> Option<f64> {
        self.shown().then(|| self.any as f64 / self.people as f64)
    }

    /// Night shifts per person with shifts.
    pub fn nights_per_person(&self) -> Option<f64> {
        self.shown().then(|| self.nights as f64 / self.people as f64)
    }

    /// The attendance summed, or why it is not shown: no worked shift at all (no time-clock
    /// data: every shift would look missed), or under [`MIN_PEOPLE`] people with a scheduled
    /// shift counted.
    pub fn attendance_shown(&self) -> Result<&Attendance, Hidden> {
        if self.attendance.worked_shifts == 0 {
            Err(Hidden::NoWorkedTime)
        } else if self.attendance_people < MIN_PEOPLE {
            Err(Hidden::TooFewPeople)
        } else {
            Ok(&self.attendance)
        }
    }

    /// Mean hours a week per person with shifts, over a span of `days`.
    pub fn weekly_hours(&self, days: i64) -> Option<f64> {
        (self.shown() && days > 0).then(|| self.hours / self.people as f64 / (days as f64 / 7.0))
    }
}

/// Why a unit's attendance is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hidden {
    TooFewPeople,
    NoWorkedTime,
}

impl Hidden {
    pub fn words(self) -> &'static str {
        match self {
            Hidden::TooFewPeople => "too few people",
            Hidden::NoWorkedTime => "no worked-time data",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn shift(a: &str, b: &str) -> Shift {
        Shift { start: t(a), end: t(b) }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_span_counts_its_own_shifts_and_flags_that_start_in_it() {
        let rules = WellbeingRules::default();
        // Four nights from Sunday 1 March: the run starts before the week of 2 March.
        let shifts = [
            shift("2026-03-01 22:00", "2026-03-02 06:00"),
            shift("2026-03-02 22:00", "2026-03-03 06:00"),
            shift("2026-03-03 22:00", "2026-03-04 06:00"),
            shift("2026-03-04 22:00", "2026-03-05 06:00"),
            // 7 h after the last night: a short rest starting on 5 March.
            shift("2026-03-05 13:00", "2026-03-05 21:00"),
        ];
        let week = person_span(&shifts, day("2026-03-02"), day("2026-03-08"), &rules).unwrap();
        assert_eq!((week.shifts, week.nights, week.hours), (4, 3, 32.0));
        assert_eq!(week.flagged, [false, false, true, false, false], "the run of nights began the day before");
        let with_sunday = person_span(&shifts, day("2026-03-01"), day("2026-03-08"), &rules).unwrap();
        assert_eq!(with_sunday.flagged, [false, true, true, false, false]);
    }

    #[test]
    fn a_tally_shows_nothing_under_five_people() {
        let flagged = PersonSpan { shifts: 5, nights: 2, hours: 40.0, flagged: [true, false, false, false, false] };
        let calm = PersonSpan { flagged: [false; 5], ..flagged };
        let mut tally = Tally::default();
        for p in [flagged, calm, calm, calm, PersonSpan::default()] {
            tally.add_person(&p);
        }
        assert_eq!(tally.people, 4, "no shift, not counted");
        assert_eq!((tally.shares(), tally.any_share(), tally.weekly_hours(7)), (None, None, None));
        tally.add_person(&calm);
        assert_eq!(tally.shares().unwrap()[0], 0.2);
        assert_eq!(tally.nights_per_person(), Some(2.0));
        assert_eq!(tally.weekly_hours(14), Some(20.0), "40 h in two weeks");
    }

    #[test]
    fn attendance_shows_for_five_people_with_worked_time() {
        let worked = Attendance { scheduled_shifts: 4, worked_shifts: 3, missed_shifts: 1, ..Attendance::default() };
        let no_clock = Attendance { worked_shifts: 0, ..worked };
        let mut tally = Tally::default();
        for _ in 0..5 {
            tally.add_attendance(&no_clock);
        }
        assert_eq!(tally.attendance_shown(), Err(Hidden::NoWorkedTime));
        let mut few = Tally::default();
        for _ in 0..4 {
            few.add_attendance(&worked);
        }
        few.add_attendance(&Attendance::default());
        assert_eq!(few.attendance_shown(), Err(Hidden::TooFewPeople), "nothing scheduled: not counted");
        tally.add_attendance(&worked);
        let shown = tally.attendance_shown().unwrap();
        assert_eq!((shown.scheduled_shifts, shown.worked_shifts, shown.missed_shifts), (24, 3, 6));
        let mut sum = Tally::default();
        sum.add(&tally);
        assert_eq!((sum.attendance_people, sum.attendance), (6, tally.attendance));
        let mut no_clock_team = Tally::default();
        no_clock_team.add_attendance(&no_clock);
        sum.add(&no_clock_team);
        assert_eq!(sum.attendance_people, 6, "a team without time-clock data adds no attendance");
    }
}
