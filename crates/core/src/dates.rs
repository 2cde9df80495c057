//! The dates Ladder keeps: 1900-01-01 to 2100-12-31, one rule for every way a date comes in
//! (files, the API's JSON, forms, query strings). chrono reads years such as `-0001`, `0` or
//! `+10000`, which no hire date or figure can have, and which other code (SQLite's text dates,
//! the pages) cannot read back; they are refused where they enter, and a stored one is read as
//! the nearest date in range ([`clamp`]) so that one bad row never breaks a list.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer};

use crate::period::Month;

/// The first and last years a date may have.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2100;

/// The first date in range.
pub fn first() -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("valid date")
}

/// The last date in range.
pub fn last() -> NaiveDate {
    NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).expect("valid date")
}

/// Why a date is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadDate {
    #[error("{0} is outside the dates Ladder keeps ({FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31)")]
    OutOfRange(String),
    #[error("'{0}' is not a date (expected YYYY-MM-DD)")]
    Malformed(String),
}

/// Whether a year is in range.
pub fn year_in_range(year: i32) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&year)
}

/// The date, if it is in range.
pub fn in_range(date: NaiveDate) -> Result<NaiveDate, BadDate> {
    if year_in_range(date.year()) {
        Ok(date)
    } else {
        Err(BadDate::OutOfRange(date.format("%Y-%m-%d").to_string()))
    }
}

/// A month, if its year is in range.
pub fn month_in_range(month: Month) -> Result<Month, BadDate> {
    if year_in_range(month.year) {
        Ok(month)
    } else {
        Err(BadDate::OutOfRange(month.to_string()))
    }
}

/// Reads `YYYY-MM-DD` with a four-digit year (so not `1-1-1`, `-0001-…` or `+10000-…`), in range.
pub fn parse(text: &str) -> Result<NaiveDate, BadDate> {
    let t = text.trim();
    let b = t.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err(BadDate::Malformed(t.to_string()));
    }
    let date = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| BadDate::Malformed(t.to_string()))?;
    in_range(date)
}

/// A stored date brought into range: what reads use, so one impossible row cannot fail a list.
pub fn clamp(date: NaiveDate) -> NaiveDate {
    date.clamp(first(), last())
}

/// Whether figures for `month` would come before the person was hired (the month of the hire
/// date is theirs).
pub fn before_hire(month: Month, hire_date: NaiveDate) -> bool {
    month < Month::of(hire_date)
}

/// For `#[serde(deserialize_with = "ladder_core::dates::deserialize")]`: a date in range.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let text = std::borrow::Cow::<str>::deserialize(d)?;
    parse(&text).map_err(serde::de::Error::custom)
}

/// The same for a date that may be left out, null or empty (`#[serde(default, deserialize_with =
/// "ladder_core::dates::deserialize_opt")]`).
pub fn deserialize_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let text = Option::<std::borrow::Cow<str>>::deserialize(d)?;
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => parse(t).map(Some).map_err(serde::de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_four_digit_years_from_1900_to_2100_are_dates() {
        assert_eq!(parse("2024-02-29"), Ok(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()));
        assert_eq!(parse(" 1900-01-01 "), Ok(first()));
        assert_eq!(parse("2100-12-31"), Ok(last()));
        for bad in ["-0001-06-01", "+10000-01-01", "10000-01-01", "1-1-1", "2024-1-1", "2024-02-30"] {
            assert!(matches!(parse(bad), Err(BadDate::Malformed(_))), "{bad}");
        }
        for far in ["0000-01-01", "1899-12-31", "2101-01-01", "0001-01-01", "9999-12-31"] {
            let e = parse(far).unwrap_err();
            assert!(matches!(e, BadDate::OutOfRange(_)), "{far}");
            assert!(e.to_string().contains("1900-01-01 to 2100-12-31"), "{e}");
        }
        let minus_one = NaiveDate::from_ymd_opt(-1, 6, 1).unwrap();
        assert!(in_range(minus_one).is_err());
        assert_eq!(clamp(minus_one), first());
        assert_eq!(clamp(NaiveDate::from_ymd_opt(10000, 1, 1).unwrap()), last());
        assert!(month_in_range(Month { year: 0, month: 1 }).is_err());
    }

    #[test]
    fn a_month_before_the_hire_month_is_before_hire() {
        let hired = NaiveDate::from_ymd_opt(2024, 3, 20).unwrap();
        assert!(before_hire(Month::new(2024, 2).unwrap(), hired));
        assert!(!before_hire(Month::new(2024, 3).unwrap(), hired));
    }
}
