//! Where a row with an interval (a start and an end column, as platform reports write them)
//! counts: within one day, for that day; within one month, for that month; across a month end,
//! refused unless the import says how (`--period YYYY-MM`: the whole file counts for that month;
//! `--split-intervals`: each row is spread over its months by time, so every ratio stays the same).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use ladder_core::period::Month;

use crate::mapping::Grain;

/// How the import treats intervals that are not one day.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rules {
    /// Day: each row is a day or less. Month: rows count for months.
    pub grain: Grain,
    pub period_month: Option<Month>,
    pub split: bool,
}

/// Where a row counts: (date, share of the row's sums) — the day, or a month's first day.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Placed {
    pub places: Vec<(NaiveDate, f64)>,
    /// The interval is exactly the period it is stored under (a whole day, a whole month): a
    /// second such row for the same employee is a duplicate, not a part.
    pub whole: bool,
}

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).expect("midnight exists")
}

/// Whether the interval is longer than a day (24 hours): the file then counts for months. One
/// of a day or less counts for the day it starts on, even when it ends after midnight.
pub(super) fn longer_than_a_day(start: NaiveDateTime, end: NaiveDateTime) -> bool {
    end - start > Duration::days(1)
}

/// Where the row of `start`–`end` (end exclusive) counts, or why it cannot.
pub(super) fn place(start: NaiveDateTime, end: NaiveDateTime, rules: Rules) -> Result<Placed, String> {
    if end <= start {
        return Err(format!("the interval ends ({end}) before or when it starts ({start})"));
    }
    // Shares of a split are counted in whole milliseconds: a shorter interval would give 0 ÷ 0.
    if end - start < Duration::milliseconds(1) {
        return Err(format!("the interval {start} to {end} is shorter than a millisecond"));
    }
    let (first, last) = (Month::of(start.date()), Month::of((end - Duration::milliseconds(1)).date()));
    if !longer_than_a_day(start, end) {
        let whole = start == midnight(start.date()) && end == midnight(start.date() + Duration::days(1));
        let at = match rules.grain {
            Grain::Day => start.date(),
            Grain::Month => first.first_day(),
        };
        return Ok(Placed { places: vec![(at, 1.0)], whole: whole && rules.grain == Grain::Day });
    }
    if rules.grain == Grain::Day {
        return Err(format!(
            "the interval {start} to {end} is longer than a day, but the file's first row is a day or less: \
             export one interval length per file"
        ));
    }
    if first == last {
        let whole = start == midnight(first.first_day()) && end == midnight(first.next().first_day());
        return Ok(Placed { places: vec![(first.first_day(), 1.0)], whole });
    }
    if let Some(month) = rules.period_month {
        let (from, to) = (midnight(month.first_day()), midnight(month.next().first_day()));
        if end <= from || start >= to {
            return Err(format!("wrong period: the interval {start} to {end} is outside {month}"));
        }
        return Ok(Placed { places: vec![(month.first_day(), 1.0)], whole: false });
    }
    if !rules.split {
        return Err(format!(
            "the interval {start} to {end} crosses a month end: give --period YYYY-MM to count the whole file \
             for one month, or --split-intervals to spread each row over its months by days"
        ));
    }
    Ok(Placed { places: split(start, end), whole: false })
}

/// The share of `start`–`end` in each month it touches, by time.
fn split(start: NaiveDateTime, end: NaiveDateTime) -> Vec<(NaiveDate, f64)> {
    let total = (end - start).num_milliseconds() as f64;
    let mut places = Vec::new();
    let mut month = Month::of(start.date());
    loop {
        let from = start.max(midnight(month.first_day()));
        let to = end.min(midnight(month.next().first_day()));
        if from >= end {
            break;
        }
        places.push((month.first_day(), (to - from).num_milliseconds() as f64 / total));
        month = month.next();
    }
    debug_assert!(places.iter().all(|(d, _)| d.day() == 1));
    places
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }
    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    const DAYS: Rules = Rules { grain: Grain::Day, period_month: None, split: false };
    const MONTHS: Rules = Rules { grain: Grain::Month, period_month: None, split: false };

    #[test]
    fn an_interval_within_a_day_counts_for_the_day() {
        let whole = place(at("2025-07-25 00:00"), at("2025-07-26 00:00"), DAYS).unwrap();
        assert_eq!(whole, Placed { places: vec![(day("2025-07-25"), 1.0)], whole: true });
        let half_hour = place(at("2025-07-25 23:30"), at("2025-07-26 00:00"), DAYS).unwrap();
        assert_eq!(half_hour, Placed { places: vec![(day("2025-07-25"), 1.0)], whole: false });
        let err = place(at("2025-07-25 00:00"), at("2025-07-27 00:00"), DAYS).unwrap_err();
        assert!(err.contains("longer than a day"), "{err}");
        assert!(place(at("2025-07-25 10:00"), at("2025-07-25 10:00"), DAYS).unwrap_err().contains("before or when"));
        // An hour across midnight (or a month end) is no longer than a day: its start's day.
        let late = place(at("2025-07-31 23:30"), at("2025-08-01 00:30"), DAYS).unwrap();
        assert_eq!(late, Placed { places: vec![(day("2025-07-31"), 1.0)], whole: false });
        assert!(!longer_than_a_day(at("2025-07-25 12:00"), at("2025-07-26 12:00")));
        assert!(longer_than_a_day(at("2025-07-25 12:00"), at("2025-07-26 12:01")));
    }

    #[test]
    fn an_interval_within_a_month_counts_for_the_month() {
        let july = place(at("2025-07-01 00:00"), at("2025-08-01 00:00"), MONTHS).unwrap();
        assert_eq!(july, Placed { places: vec![(day("2025-07-01"), 1.0)], whole: true });
        let week = place(at("2025-07-07 00:00"), at("2025-07-14 00:00"), MONTHS).unwrap();
        assert_eq!(week, Placed { places: vec![(day("2025-07-01"), 1.0)], whole: false });
        let one_day = place(at("2025-07-07 00:00"), at("2025-07-08 00:00"), MONTHS).unwrap();
        assert_eq!(one_day.places, vec![(day("2025-07-01"), 1.0)]);
    }

    #[test]
    fn a_month_end_crossed_is_refused_naming_both_ways_on() {
        let (start, end) = (at("2025-07-16 00:00"), at("2025-08-16 00:00"));
        let err = place(start, end, MONTHS).unwrap_err();
        assert!(err.contains("--period YYYY-MM") && err.contains("--split-intervals"), "{err}");
        let july = Rules { period_month: Some(Month::of(day("2025-07-01"))), ..MONTHS };
        assert_eq!(place(start, end, july).unwrap().places, vec![(day("2025-07-01"), 1.0)]);
        let june = Rules { period_month: Some(Month::of(day("2025-06-01"))), ..MONTHS };
        assert!(place(start, end, june).unwrap_err().contains("outside 2025-06"));
        let split = place(start, end, Rules { split: true, ..MONTHS }).unwrap();
        // 16 days of July (16th–31st) and 15 of August (1st–15th).
        assert_eq!(split.places, vec![(day("2025-07-01"), 16.0 / 31.0), (day("2025-08-01"), 15.0 / 31.0)]);
        let across_a_year = place(at("2025-12-20 00:00"), at("2026-02-10 00:00"), Rules { split: true, ..MONTHS });
        let shares: f64 = across_a_year.unwrap().places.iter().map(|(_, s)| s).sum();
        assert!((shares - 1.0).abs() < 1e-12);
    }
}
