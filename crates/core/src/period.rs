//! Months, quarters and years, and the share of a period each plan covers.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A calendar month. Orders chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        (1..=12).contains(&month).then_some(Month { year, month })
    }
    pub fn of(date: NaiveDate) -> Month {
        Month { year: date.year(), month: date.month() }
    }
    /// The last month that has ended by `today`. It is the month meant wherever a request or a
    /// page leaves the month out: figures for a month arrive after it ends.
    pub fn last_full(today: NaiveDate) -> Month {
        Month::of(today).prev()
    }
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid month")
    }
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("in range")
    }
    pub fn days(self) -> u32 {
        self.last_day().day()
    }
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }
    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month { year: self.year - 1, month: 12 }
        } else {
            Month { year: self.year, month: self.month - 1 }
        }
    }
    /// Months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Month) -> i32 {
        (later.year - self.year) * 12 + later.month as i32 - self.month as i32
    }
    pub fn quarter(self) -> Quarter {
        Quarter { year: self.year, quarter: (self.month - 1) / 3 + 1 }
    }
    /// An index that increases by one per month, for regressions over time.
    pub fn ordinal(self) -> i32 {
        self.year * 12 + self.month as i32 - 1
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a month or a date (expected YYYY-MM or YYYY-MM-DD)")]
pub struct BadPeriod(pub String);

impl FromStr for Month {
    type Err = BadPeriod;
    /// Accepts `YYYY-MM` or a full `YYYY-MM-DD` date (the month it falls in).
    fn from_str(s: &str) -> Result<Month, BadPeriod> {
        let bad = || BadPeriod(s.to_string());
        let t = s.trim();
        if t.len() == 10 {
            return crate::dates::parse(t).map(Month::of).map_err(|_| bad());
        }
        let (y, m) = t.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let month = Month::new(y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?).ok_or_else(bad)?;
        crate::dates::month_in_range(month).map_err(|_| bad())
    }
}

impl TryFrom<String> for Month {
    type Error = BadPeriod;
    fn try_from(s: String) -> Result<Month, BadPeriod> {
        s.parse()
    }
}

impl From<Month> for String {
    fn from(m: Month) -> String {
        m.to_string()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    pub year: i32,
    /// 1–4.
    pub quarter: u32,
}

impl Quarter {
    pub fn months(self) -> [Month; 3] {
        let first = (self.quarter - 1) * 3 + 1;
        [0, 1, 2].map(|i| Month { year: self.year, month: first + i })
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.quarter)
    }
}

/// A span a score is computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Period {
    Month {
        month: Month,
    },
    Quarter {
        quarter: Quarter,
    },
    Year {
        year: i32,
    },
    /// January to `through`, inclusive.
    YearToDate {
        through: Month,
    },
}

impl Period {
    pub fn contains(self, m: Month) -> bool {
        match self {
            Period::Month { month } => month == m,
            Period::Quarter { quarter } => m.quarter() == quarter,
            Period::Year { year } => m.year == year,
            Period::YearToDate { through } => m.year == through.year && m <= through,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month { month } => write!(f, "{month}"),
            Period::Quarter { quarter } => write!(f, "{quarter}"),
            Period::Year { year } => write!(f, "{year}"),
            Period::YearToDate { through } => write!(f, "{}-YTD-{:02}", through.year, through.month),
        }
    }
}

/// A plan an employee was on from a date (until the next assignment starts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment<P> {
    pub from: NaiveDate,
    pub plan: P,
}

/// The days of `month` each plan covered, in order, for plans that covered any.
/// `assignments` must be sorted by `from`; days before the first assignment count for none.
///
/// ```
/// use chrono::NaiveDate;
/// use ladder_core::period::{plan_days, Assignment, Month};
/// let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
/// let moves = [Assignment { from: d(1, 1), plan: "voice" }, Assignment { from: d(3, 11), plan: "chat" }];
/// assert_eq!(plan_days(Month::new(2026, 3).unwrap(), &moves), vec![("voice", 10), ("chat", 21)]);
/// ```
pub fn plan_days<P: Clone>(month: Month, assignments: &[Assignment<P>]) -> Vec<(P, u32)> {
    let (first, last) = (month.first_day(), month.last_day());
    let mut out = Vec::new();
    for (i, a) in assignments.iter().enumerate() {
        let end = assignments.get(i + 1).map_or(last, |n| n.from.pred_opt().expect("in range")).min(last);
        let start = a.from.max(first);
        if start <= end {
            out.push((a.plan.clone(), (end - start).num_days() as u32 + 1));
        }
    }
    out
}

/// Adds whole months to a date, clamping to the month's end (Jan 31 + 1 month = Feb 28/29).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).expect("date in range")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_months_and_dates() {
        assert_eq!("2026-03".parse::<Month>().unwrap(), Month::new(2026, 3).unwrap());
        assert_eq!("2026-03-31".parse::<Month>().unwrap(), Month::new(2026, 3).unwrap());
        assert!("2026-13".parse::<Month>().is_err());
        assert!("2026-02-30".parse::<Month>().is_err());
        assert!("26-03".parse::<Month>().is_err());
        assert!("March".parse::<Month>().is_err());
        for outside in ["0000-01", "1899-12", "2101-01", "-001-01", "+999-01", "0000-01-01", "10000-01-01"] {
            assert!(outside.parse::<Month>().is_err(), "{outside}");
        }
    }

    #[test]
    fn the_month_left_out_is_the_last_full_one() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(Month::last_full(day(2026, 3, 1)), Month::new(2026, 2).unwrap());
        assert_eq!(Month::last_full(day(2026, 3, 31)), Month::new(2026, 2).unwrap());
        assert_eq!(Month::last_full(day(2026, 1, 15)), Month::new(2025, 12).unwrap());
    }

    #[test]
    fn month_arithmetic() {
        let dec = Month::new(2025, 12).unwrap();
        assert_eq!(dec.next(), Month::new(2026, 1).unwrap());
        assert_eq!(dec.next().prev(), dec);
        assert_eq!(Month::new(2024, 2).unwrap().days(), 29);
        assert_eq!(dec.months_until(Month::new(2026, 6).unwrap()), 6);
        assert_eq!(Month::new(2026, 5).unwrap().quarter().to_string(), "2026-Q2");
    }

    #[test]
    fn periods_contain_their_months() {
        let may = Month::new(2026, 5).unwrap();
        assert!(Period::Quarter { quarter: may.quarter() }.contains(Month::new(2026, 4).unwrap()));
        assert!(!Period::Quarter { quarter: may.quarter() }.contains(Month::new(2026, 7).unwrap()));
        assert!(Period::YearToDate { through: may }.contains(Month::new(2026, 1).unwrap()));
        assert!(!Period::YearToDate { through: may }.contains(Month::new(2026, 6).unwrap()));
        assert!(!Period::YearToDate { through: may }.contains(Month::new(2025, 12).unwrap()));
    }

    #[test]
    fn plan_days_cover_the_month_once() {
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let moves = [Assignment { from: d(2, 10), plan: 1 }, Assignment { from: d(2, 20), plan: 2 }];
        assert_eq!(plan_days(Month::new(2026, 2).unwrap(), &moves), vec![(1, 10), (2, 9)]);
        assert_eq!(plan_days(Month::new(2026, 1).unwrap(), &moves), vec![]);
        assert_eq!(plan_days(Month::new(2026, 3).unwrap(), &moves), vec![(2, 31)]);
    }
}
