//! Site time zones: a schedule's local times to instants and back.
//!
//! WFM tools write shift times in the site's (or management unit's) local time. Twice a year in
//! zones with daylight saving a local time is missing (clocks go forward) or happens twice (clocks
//! go back). We follow iCalendar (RFC 5545 §3.3.5) so the same file always gives the same
//! instants: a missing time is read with the offset in force before the change (02:30 on the
//! night clocks jump from 02:00 to 03:00 is 03:30), and a repeated time is its first occurrence.
//! A file that means the second one says so with an explicit offset.

use chrono::{DateTime, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
pub use chrono_tz::Tz;

/// How a local time was turned into an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LocalFix {
    /// The local time names one instant.
    Exact,
    /// The clocks went forward over it: read with the offset before the change.
    Gap,
    /// The clocks went back over it: the first of its two instants.
    Repeated,
}

/// Reads an IANA zone name (`Asia/Manila`, `America/New_York`, `UTC`).
pub fn parse_zone(name: &str) -> Result<Tz, String> {
    name.trim().parse::<Tz>().map_err(|_| format!("'{name}' is not an IANA time zone (e.g. Asia/Manila)"))
}

/// The instant a local wall-clock time in `tz` names, by the rule in this module's header.
pub fn local_to_utc(local: NaiveDateTime, tz: Tz) -> (DateTime<Utc>, LocalFix) {
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => (t.with_timezone(&Utc), LocalFix::Exact),
        chrono::LocalResult::Ambiguous(first, _) => (first.with_timezone(&Utc), LocalFix::Repeated),
        chrono::LocalResult::None => {
            // The offset a day earlier is the one before the change (no zone changes twice a day).
            let before = local - TimeDelta::days(1);
            let offset = tz.offset_from_local_datetime(&before).earliest().map(|o| o.fix().local_minus_utc());
            let secs = offset.unwrap_or(0);
            ((local - TimeDelta::seconds(i64::from(secs))).and_utc(), LocalFix::Gap)
        }
    }
}

/// The wall-clock time in `tz` at an instant.
pub fn utc_to_local(instant: DateTime<Utc>, tz: Tz) -> NaiveDateTime {
    instant.with_timezone(&tz).naive_local()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }
    fn utc(s: &str) -> DateTime<Utc> {
        t(s).and_utc()
    }

    #[test]
    fn manila_has_one_offset() {
        let tz = parse_zone("Asia/Manila").unwrap();
        assert_eq!(local_to_utc(t("2026-03-08 22:00"), tz), (utc("2026-03-08 14:00"), LocalFix::Exact));
        assert_eq!(utc_to_local(utc("2026-03-08 14:00"), tz), t("2026-03-08 22:00"));
    }

    #[test]
    fn a_missing_time_takes_the_offset_before_the_change() {
        // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT.
        let tz = parse_zone("America/New_York").unwrap();
        let (at, fix) = local_to_utc(t("2026-03-08 02:30"), tz);
        assert_eq!((at, fix), (utc("2026-03-08 07:30"), LocalFix::Gap)); // = 03:30 EDT
        assert_eq!(utc_to_local(at, tz), t("2026-03-08 03:30"));
        assert_eq!(local_to_utc(t("2026-03-08 03:00"), tz).0, utc("2026-03-08 07:00"));
    }

    #[test]
    fn a_repeated_time_is_the_first() {
        // New York, 1 November 2026: 02:00 EDT becomes 01:00 EST; 01:30 happens twice.
        let tz = parse_zone("America/New_York").unwrap();
        assert_eq!(local_to_utc(t("2026-11-01 01:30"), tz), (utc("2026-11-01 05:30"), LocalFix::Repeated));
        assert_eq!(local_to_utc(t("2026-11-01 02:30"), tz), (utc("2026-11-01 07:30"), LocalFix::Exact));
    }

    #[test]
    fn unknown_zone_is_refused() {
        assert!(parse_zone("Mars/Olympus").unwrap_err().contains("IANA"));
        assert_eq!(parse_zone(" UTC ").unwrap(), Tz::UTC);
    }
}
