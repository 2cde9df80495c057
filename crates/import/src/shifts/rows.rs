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
    /// `code` is the person's name as the file writes it (a time clock with no codes).
    pub by_name: bool,
}

/// A column found in the header: its position and its name (for problems).
type Col = (usize, String);

/// Where each field of a layout is in this file's header.
struct Columns {
    employee: Col,
    start: Col,
    end: Col,
    /// The end is a length in minutes.
    minutes: bool,
    date: Option<Col>,
    kind: Option<Col>,
    breaks: Option<Col>,
    record: Option<Col>,
    activity: Option<Col>,
    formats: Vec<String>,
    utc: bool,
    worked: bool,
}

impl Columns {
    fn of(table: &Table, layout: &Layout) -> Columns {
        let col = |names: &[&str]| names.iter().find_map(|n| table.column(n).map(|i| (i, n.to_string())));
        let need = |names: &[&str]| col(names).expect("the header names every key column");
        let (end, minutes) = match layout.end {
            End::At(n) => (need(n), false),
            End::Minutes(n) => (need(n), true),
        };
        Columns {
            employee: need(layout.employee),
            start: need(layout.start),
            end,
            minutes,
            date: layout.date.map(need),
            kind: layout.kind.and_then(col),
            breaks: layout.breaks.and_then(col),
            record: layout.record.and_then(col),
            activity: layout.activity.and_then(col),
            formats: layout.formats.iter().map(|s| s.to_string()).collect(),
            utc: layout.utc,
            worked: layout.worked,
        }
    }
}

/// Every row of the file; problems go to `problems`. Returns the file's SHA-256 too.
pub fn read(input: &Input, layout: &Layout, problems: &mut Vec<Problem>) -> crate::Result<(Vec<Raw>, String)> {
    let mut table = Table::open(input, &layout.keys())?;
    let cols = Columns::of(&table, layout);
    let mut out = Vec::new();
    while table.next_row()? {
        if table.is_blank() {
            continue;
        }
        if let Some(p) = table.bad_text() {
            problems.push(p);
            continue;
        }
        let mut found = Vec::new();
        let raw = row_of(&table, &cols, &mut found);
        match raw {
            Some(raw) if found.is_empty() => out.push(raw),
            _ => problems.extend(found),
        }
    }
    let sha256 = table.finish()?;
    Ok((out, sha256))
}

/// One row read; each cell that cannot be read adds a problem.
fn row_of(table: &Table, c: &Columns, problems: &mut Vec<Problem>) -> Option<Raw> {
    let row = table.row();
    let mut bad = |(i, name): &Col, message: String| {
        problems.push(Problem::new(row, name, &table.cell(*i).display(), message));
    };
    let code = table.cell(c.employee.0).text().into_owned();
    if code.is_empty() || code.chars().count() > MAX_CODE_CHARS {
        bad(&c.employee, format!("an employee code of 1 to {MAX_CODE_CHARS} characters"));
    }
    let day = c.date.as_ref().and_then(|d| match validate::date(table.cell(d.0), &c.formats) {
        Ok(Some(day)) => Some(day),
        Ok(None) => {
            bad(d, "missing date".into());
            None
        }
        Err(e) => {
            bad(d, e.0);
            None
        }
    });
    let mut at = |col: &Col| {
        let cell = table.cell(col.0);
        let read = match day {
            Some(day) => time_of_day(cell).map(|t| When::Local(day.and_time(t))),
            None => when(cell, &c.formats, c.utc),
        };
        read.map_err(|m| bad(col, m)).ok()
    };
    let start = at(&c.start);
    let end = if c.minutes {
        match validate::number(table.cell(c.end.0)) {
            Ok(Some(m)) if (1.0..=1440.0).contains(&m) => start.map(|s| add_minutes(s, m as i64)),
            _ => {
                bad(&c.end, "a length of 1 to 1440 minutes".into());
                None
            }
        }
    } else {
        at(&c.end).map(|e| match (day, start, e) {
            // Times of day: a stop before the start is on the next day.
            (Some(_), Some(When::Local(s)), When::Local(e)) if e <= s => When::Local(e + TimeDelta::days(1)),
            _ => e,
        })
    };
    let text = |col: &Col| Some(table.cell(col.0).text().into_owned()).filter(|t| !t.is_empty());
    let kind = c.kind.as_ref().and_then(|col| {
        let t = text(col)?;
        Kind::parse(&t).or_else(|| {
            bad(col, "a kind of day, night or rotating".into());
            None
        })
    });
    let record = match c.record.as_ref().and_then(|col| text(col).map(|t| (col, t))) {
        None if c.worked => Some(Record::Worked),
        None => Some(Record::Scheduled),
        Some((col, t)) => Record::parse(&t).or_else(|| {
            bad(col, "a record of scheduled or worked".into());
            None
        }),
    };
    let breaks = c.breaks.as_ref().map_or(0, |col| match validate::number(table.cell(col.0)) {
        Ok(None) => 0,
        Ok(Some(m)) if m.fract() == 0.0 && (0.0..=f64::from(MAX_BREAK_MINUTES)).contains(&m) => m as i32,
        _ => {
            bad(col, format!("breaks in whole minutes, 0 to {MAX_BREAK_MINUTES}"));
            0
        }
    });
    let activity = c.activity.as_ref().map(|col| table.cell(col.0).text().into_owned());
    Some(Raw { row, code, start: start?, end: end?, kind, breaks, record: record?, activity, by_name: false })
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
        // Most files write ISO local times: read those without trying every format in turn
        // (chrono re-reads a format string on each try; a year of shifts is millions of cells).
        if let Some(local) = iso_local(t) {
            return Ok(if utc { When::Instant(local.and_utc()) } else { When::Local(local) });
        }
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

/// `YYYY-MM-DDTHH:MM`, with a space for the `T` and `:SS` allowed, in the years Ladder keeps;
/// `None` for anything else (which the general path reads or refuses).
fn iso_local(t: &str) -> Option<NaiveDateTime> {
    let b = t.as_bytes();
    let shape = (b.len() == 16 || (b.len() == 19 && b[16] == b':'))
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b' ')
        && b[13] == b':';
    if !shape {
        return None;
    }
    let num = |at: usize, len: usize| {
        b[at..at + len].iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    let secs = if b.len() == 19 { num(17, 2)? } else { 0 };
    let date = chrono::NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 2)?, num(8, 2)?)?;
    let time = NaiveTime::from_hms_opt(num(11, 2)?, num(14, 2)?, secs)?;
    ladder_core::dates::in_range(date).ok().map(|d| d.and_time(time))
}

/// A time of day: `22:00`, `22:00:00`, `10:00 PM`, `10:00PM`, or a spreadsheet time.
pub fn time_of_day(cell: Cell<'_>) -> Result<NaiveTime, String> {
    let bad = || "not a time of day (expected HH:MM)".to_string();
    match cell {
        Cell::Time(f) | Cell::Number(f) if (0.0..1.0).contains(&f) => {
            let secs = (f * 86_400.0).round() as u32;
            NaiveTime::from_num_seconds_from_midnight_opt(secs % 86_400, 0).ok_or_else(bad)
        }
        Cell::Text(t) => ["%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p", "%I:%M%p"]
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
        let with_secs = d(2026, 3, 2).and_hms_opt(22, 0, 5).unwrap();
        assert_eq!(when(Cell::Text(" 2026-03-02 22:00:05 "), &f, false), Ok(When::Local(with_secs)));
        assert!(when(Cell::Text("2026-02-30T22:00"), &f, false).is_err());
        assert!(when(Cell::Text("2026-03-02T24:00"), &f, false).is_err());
        assert!(when(Cell::Text("0000-03-02T22:00"), &f, false).is_err(), "out of the years Ladder keeps");
        assert_eq!(time_of_day(Cell::Text("10:30 PM")), Ok(NaiveTime::from_hms_opt(22, 30, 0).unwrap()));
        assert_eq!(time_of_day(Cell::Time(0.25)), Ok(NaiveTime::from_hms_opt(6, 0, 0).unwrap()));
    }
}
