//! Night differential: the premium for work in the night window, from worked shifts.
//!
//! The default rule is the Philippine Labor Code's (Presidential Decree 442, Art. 86, renumbered
//! Art. 91): at least 10 % of the regular wage for each hour worked between 10 PM and 6 AM
//! (`shared/domain/jobs.md`). Sites elsewhere set their own window and percentage. Hours are
//! real elapsed time: the night a clock goes forward is an hour shorter.

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::zone::{local_to_utc, utc_to_local, Tz};

/// A site's night-differential rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NightDifferential {
    /// Local time the night window opens (default 22:00).
    pub start: NaiveTime,
    /// Local time it closes, the next day when before `start` (default 06:00).
    pub end: NaiveTime,
    /// The premium in percent of the hourly wage (default 10).
    pub percent: u32,
}

impl Default for NightDifferential {
    fn default() -> Self {
        NightDifferential {
            start: NaiveTime::from_hms_opt(22, 0, 0).expect("valid time"),
            end: NaiveTime::from_hms_opt(6, 0, 0).expect("valid time"),
            percent: 10,
        }
    }
}

impl NightDifferential {
    /// Minutes of `[start, end)` inside the night windows of `tz`, in real elapsed time.
    pub fn night_minutes(&self, start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> i64 {
        if end <= start || self.start == self.end {
            return 0;
        }
        let wraps = self.start > self.end;
        let first = utc_to_local(start, tz).date() - TimeDelta::days(1);
        let last = utc_to_local(end, tz).date();
        first
            .iter_days()
            .take_while(|d| *d <= last)
            .map(|d| {
                let close_day = if wraps { d + TimeDelta::days(1) } else { d };
                let open = local_to_utc(d.and_time(self.start), tz).0;
                let close = local_to_utc(close_day.and_time(self.end), tz).0;
                (end.min(close) - start.max(open)).num_minutes().max(0)
            })
            .sum()
    }

    /// The premium for `minutes` of night work at `hourly_minor` (minor units an hour), rounded
    /// to the nearest minor unit (half up).
    pub fn premium_minor(&self, minutes: i64, hourly_minor: i64) -> i64 {
        let scaled = i128::from(minutes) * i128::from(hourly_minor) * i128::from(self.percent);
        ((scaled + 3000) / 6000) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wellbeing::zone::parse_zone;
    use chrono::NaiveDateTime;

    fn utc(s: &str) -> DateTime<Utc> {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap().and_utc()
    }

    #[test]
    fn an_evening_shift_across_midnight_in_manila() {
        // 18:00–03:00 Manila (UTC+8): 22:00–03:00 is night, 5 h.
        let rule = NightDifferential::default();
        let tz = parse_zone("Asia/Manila").unwrap();
        assert_eq!(rule.night_minutes(utc("2026-03-02 10:00"), utc("2026-03-02 19:00"), tz), 300);
        // A day shift has none; a shift touching two windows counts both (04:00–23:30: 2 h + 1 h 30).
        assert_eq!(rule.night_minutes(utc("2026-03-02 01:00"), utc("2026-03-02 10:00"), tz), 0);
        assert_eq!(rule.night_minutes(utc("2026-03-01 20:00"), utc("2026-03-02 15:30"), tz), 210);
    }

    #[test]
    fn the_night_clocks_go_forward_is_an_hour_shorter() {
        // New York, 7–8 March 2026: 22:00 EST (03:00Z) to 06:00 EDT (10:00Z) is 7 h of work.
        let rule = NightDifferential::default();
        let tz = parse_zone("America/New_York").unwrap();
        assert_eq!(rule.night_minutes(utc("2026-03-08 03:00"), utc("2026-03-08 10:00"), tz), 420);
        // And the night they go back, 31 Oct–1 Nov, is 9 h (02:00Z to 11:00Z).
        assert_eq!(rule.night_minutes(utc("2026-11-01 02:00"), utc("2026-11-01 11:00"), tz), 540);
    }

    #[test]
    fn premium_is_ten_percent_of_the_hours_wage() {
        let rule = NightDifferential::default();
        // 5 h at PHP 80.00 an hour: 10 % of 400.00 = 40.00.
        assert_eq!(rule.premium_minor(300, 8000), 4000);
        // 7 min at 80.00: 10 % of 9.333… = 0.9333 → 0.93.
        assert_eq!(rule.premium_minor(7, 8000), 93);
    }
}
