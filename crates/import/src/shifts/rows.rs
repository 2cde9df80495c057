//! Reading a shift file's rows (CSV or XLSX) in a [`Layout`] into raw shifts or segments, each
//! with its row; a cell that cannot be read is a problem naming its row, column and value.

use chrono::{DateTime, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use ladder_store::wellbeing::{Kind, Record};

use super::layout::{End, Layout};
use crate::read::{Cell, Input, Table};
use crate::validate::{self, Problem};

/// The longest break a row may give, in minutes (a day).
pub const MAX_BREAK_MINUTES: i32 = 1440;
/// The longest employee code read.
const MAX_CODE_CHARS: usize = 200;

/// A time as the file gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Wall-clock time in the site's zone.
    Local(NaiveDateTime),
    /// An instant (the file gave an offset, or the layout is in UTC).
    Instant(DateTime<Utc>),
}

/// One row: a shift, or an activity segment of one.
#[derive(Debug, Clone)]
pub struct Raw {
    pub row: u64,
    pub code: String,
    pub start: When,
    pub end: When,
    pub kind: Option<Kind>,
    pub breaks: i32,
    pub record: Record,
    /// The activity of a segment.
    pub activity: Option<String>,
}

/// Every row of the file; problems go to `problems`. Returns the file's SHA-256 too.
pub fn read(input: &Input, layout: &Layout, problems: &mut Vec<Problem>) -> crate::Result<(Vec<Raw>, String)> {
    let mut table = Table::open(input, &layout.keys())?;
    let col = |t: &Table, names: &[&str]| names.iter().find_map(|n| t.column(n).map(|i| (i, n.to_string())));
    let need = |t: &Table, names: &[&str]| col(t, names).expect("the header names every key column");
    let employee = need(&table, layout.employee);
    let start = need(&table, layout.start);
    let (end, minutes) = match layout.end {
        End::At(n) => (need(&table, n), false),
        End::Minutes(n) => (need(&table, n), true),
    };
    let date = layout.date.map(|n| need(&table, n));
    let kind = layout.kind.and_then(|n| col(&table, n));
    let breaks = layout.breaks.and_then(|n| col(&table, n));
    let record = layout.record.and_then(|n| col(&table, n));
    let activity = layout.activity.and_then(|n| col(&table, n));
    let formats: Vec<String> = layout.formats.iter().map(|s| s.to_string()).collect();
    let mut out = Vec::new();
    while table.next_row()? {
        if table.is_blank() {
            continue;
        }
        let row = table.row();
        if let Some(p) = table.bad_text() {
            problems.push(p);
            continue;
        }
        let before = problems.len();
        let mut bad = |(_, name): &(usize, String), cell: Cell<'_>, message: String| {
            problems.push(Problem::new(row, name, &cell.display(), message));
        };
        let code = table.cell(employee.0).text().into_owned();
        if code.is_empty() || code.chars().count() > MAX_CODE_CHARS {
            bad(&employee, table.cell(employee.0), format!("an employee code of 1 to {MAX_CODE_CHARS} characters"));
        }
        let day = match &date {
            Some(d) => match validate::date(table.cell(d.0), &formats) {
                Ok(Some(day)) => Some(day),
                Ok(None) => {
                    bad(d, table.cell(d.0), "missing date".into());
                    None
                }
                Err(e) => {
                    bad(d, table.cell(d.0), e.0);
                    None
                }
            },
            None => None,
        };
        let at = |c: &(usize, String), bad: &mut dyn FnMut(&(usize, String), Cell<'_>, String)| {
            let cell = table.cell(c.0);
            let read = match day {
                Some(day) => time_of_day(cell).map(|t| When::Local(day.and_time(t))),
                None => when(cell, &formats, layout.utc),
            };
            read.map_err(|m| bad(c, cell, m)).ok()
        };
        let s = at(&start, &mut bad);
        let e = if minutes {
            let cell = table.cell(end.0);
            match validate::number(cell) {
                Ok(Some(m)) if (1.0..=1440.0).contains(&m) => s.map(|s| add_minutes(s, m as i64)),
                _ => {
                    bad(&end, cell, "a length of 1 to 1440 minutes".into());
                    None
                }
            }
        } else {
            at(&end, &mut bad).map(|e| match (day, s, e) {
                // Times of day: a stop before the start is on the next day.
                (Some(_), Some(When::Local(s)), When::Local(e)) if e <= s => When::Local(e + TimeDelta::days(1)),
                _ => e,
            })
        };
        let k = kind.as_ref().and_then(|c| {
            let cell = table.cell(c.0);
            if cell.is_blank() {
                return None;
            }
            Kind::parse(&cell.text()).or_else(|| {
                bad(c, cell, "a kind of day, night or rotating".into());
                None
            })
        });
        let r = record.as_ref().map_or(Some(Record::Scheduled), |c| {
            let cell = table.cell(c.0);
            if cell.is_blank() {
                return Some(Record::Scheduled);
            }
            Record::parse(&cell.text()).or_else(|| {
                bad(c, cell, "a record of scheduled or worked".into());
                None
            })
        });
        let b = breaks.as_ref().map_or(0, |c| {
            let cell = table.cell(c.0);
            match validate::number(cell) {
                Ok(None) => 0,
                Ok(Some(m)) if m.fract() == 0.0 && (0.0..=f64::from(MAX_BREAK_MINUTES)).contains(&m) => m as i32,
                _ => {
                    bad(c, cell, format!("breaks in whole minutes, 0 to {MAX_BREAK_MINUTES}"));
                    0
                }
            }
        });
        let act = activity.as_ref().map(|c| table.cell(c.0).text().into_owned());
        if problems.len() == before {
            if let (Some(start), Some(end), Some(record)) = (s, e, r) {
                out.push(Raw { row, code, start, end, kind: k, breaks: b, record, activity: act });
            }
        }
    }
    let sha256 = table.finish()?;
    Ok((out, sha256))
}

fn add_minutes(w: When, m: i64) -> When {
    match w {
        When::Local(t) => When::Local(t + TimeDelta::minutes(m)),
        When::Instant(t) => When::Instant(t + TimeDelta::minutes(m)),
    }
}

/// A date-time cell: with an offset (`Z`, `+08:00`) an instant, else local time (or UTC when the
/// layout says so).
pub fn when(cell: Cell<'_>, formats: &[String], utc: bool) -> Result<When, String> {
    if let Cell::Text(t) = cell {
        let t = t.trim();
        if let Ok(i) = DateTime::parse_from_rfc3339(t) {
            return Ok(When::Instant(i.with_timezone(&Utc)));
        }
        for f in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M%:z", "%Y-%m-%d %H:%M:%S%:z"] {
            if let Ok(i) = DateTime::parse_from_str(t, f) {
                return Ok(When::Instant(i.with_timezone(&Utc)));
            }
        }
    }
    let mut all: Vec<String> = formats.to_vec();
    all.extend(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"].map(String::from));
    match validate::timestamp(cell, &all) {
        Ok(Some(t)) if utc => Ok(When::Instant(t.and_utc())),
        Ok(Some(t)) => Ok(When::Local(t)),
        Ok(None) => Err("missing date-time".into()),
        Err(_) => Err("not a date-time (expected YYYY-MM-DDTHH:MM, local site time, or with an offset)".into()),
    }
}

/// A time of day: `22:00`, `22:00:00`, `10:00 PM`, or a spreadsheet time.
fn time_of_day(cell: Cell<'_>) -> Result<NaiveTime, String> {
    let bad = || "not a time of day (expected HH:MM)".to_string();
    match cell {
        Cell::Time(f) | Cell::Number(f) if (0.0..1.0).contains(&f) => {
            let secs = (f * 86_400.0).round() as u32;
            NaiveTime::from_num_seconds_from_midnight_opt(secs % 86_400, 0).ok_or_else(bad)
        }
        Cell::Text(t) => ["%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p"]
            .iter()
            .find_map(|f| NaiveTime::parse_from_str(t.trim(), f).ok())
            .ok_or_else(bad),
        Cell::Empty => Err("missing time".into()),
        _ => Err(bad()),
    }
}

/// A date read for tests of the parsers.
#[cfg(test)]
fn d(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_make_instants_and_plain_times_are_local() {
        let f: Vec<String> = Vec::new();
        let local = d(2026, 3, 2).and_hms_opt(22, 0, 0).unwrap();
        assert_eq!(when(Cell::Text("2026-03-02T22:00"), &f, false), Ok(When::Local(local)));
        assert_eq!(when(Cell::Text("2026-03-02 22:00"), &f, true), Ok(When::Instant(local.and_utc())));
        let i = when(Cell::Text("2026-03-02T22:00+08:00"), &f, false).unwrap();
        assert_eq!(i, When::Instant((local - TimeDelta::hours(8)).and_utc()));
        assert_eq!(when(Cell::Text("2026-03-02T14:00:00Z"), &f, false), Ok(i));
        assert!(when(Cell::Text("tomorrow"), &f, false).is_err());
        assert_eq!(time_of_day(Cell::Text("10:30 PM")), Ok(NaiveTime::from_hms_opt(22, 30, 0).unwrap()));
        assert_eq!(time_of_day(Cell::Time(0.25)), Ok(NaiveTime::from_hms_opt(6, 0, 0).unwrap()));
    }
}
