//! The demo's dates: the months of history, "today", and day arithmetic.

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc, Weekday};
use ladder_core::period::Month;

/// Dates and the months of history.
pub(super) struct Calendar {
    pub(super) months: Vec<Month>,
    /// The last day of `through`: "today" for the demo.
    pub(super) as_of: NaiveDate,
}

impl Calendar {
    /// The `months` months of history ending with `through`.
    pub(super) fn ending(through: Month, months: u32) -> Calendar {
        let mut m = through;
        let mut out = vec![m];
        for _ in 1..months {
            m = m.prev();
            out.push(m);
        }
        out.reverse();
        Calendar { months: out, as_of: through.last_day() }
    }
}

pub(super) fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(hour, minute, 0).expect("valid time"))
}

pub(super) fn minus_months(day: NaiveDate, n: u32) -> NaiveDate {
    day.checked_sub_months(Months::new(n)).expect("date in range")
}

pub(super) fn plus_months(day: NaiveDate, n: u32) -> NaiveDate {
    day.checked_add_months(Months::new(n)).expect("date in range")
}

pub(super) fn plus_days(day: NaiveDate, n: i64) -> NaiveDate {
    day + chrono::Duration::days(n)
}

pub(super) fn workdays(m: Month) -> f64 {
    let mut n = 0;
    let mut d = m.first_day();
    while d <= m.last_day() {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            n += 1;
        }
        d = d.succ_opt().expect("date in range");
    }
    f64::from(n)
}
