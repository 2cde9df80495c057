//! Worked time from time clocks whose rows are punches rather than shifts (exports.md §3):
//! Sprout (PH) Attendance biologs, one punch a row, and the Kronos/UKG timecard, several In/Out
//! pairs a row. Punches are paired here; a punch without its partner is a problem naming its row.
//! (Deputy's timesheets are one shift a row: a [`super::layout::Layout`].)
//!
//! A person's pairs less than [`JOIN_GAP_MINUTES`] apart are one shift, the gaps its breaks: a
//! time clock records a meal break as an Out and an In, and the fatigue rules are about the rest
//! between shifts, not the lunch hour. The 3 h is our rule, not a vendor's: meal breaks are
//! 30–60 min, and a longer gap is a split shift.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use ladder_store::wellbeing::Record;

use super::rows::{time_of_day, Raw, When};
use crate::read::{Input, Table};
use crate::validate::{self, Problem};

/// Pairs closer than this are one shift (see the module's note).
pub const JOIN_GAP_MINUTES: i64 = 180;
/// The longest employee code or name read.
const MAX_WHO_CHARS: usize = 200;

/// The punch-per-row layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Sprout Attendance Manager biologs: `Employee` ("Last, First"), `Date` (MM/DD/YYYY),
    /// `Time` (HH:MM AM/PM), `Log Mode` (In/Out), one punch a row.
    SproutBiologs,
    /// Kronos/UKG Workforce Central timecard: `Date`, then `In`, `Transfer`, `Out` repeated.
    KronosTimecard,
}

pub const SPROUT: &str = "sprout-biologs";
pub const KRONOS: &str = "kronos-timecard";

/// The clock a preset names.
pub fn preset(name: &str) -> Option<Clock> {
    let name = name.trim();
    if name.eq_ignore_ascii_case(SPROUT) {
        Some(Clock::SproutBiologs)
    } else if name.eq_ignore_ascii_case(KRONOS) {
        Some(Clock::KronosTimecard)
    } else {
        None
    }
}

/// One worked span from an In to an Out, in the site's wall-clock time.
#[derive(Debug, Clone)]
struct Pair {
    row: u64,
    who: String,
    by_name: bool,
    start: NaiveDateTime,
    end: NaiveDateTime,
}

/// What a time-clock file held: its worked shifts (record `worked`), the rows read and its SHA-256.
pub struct Read {
    pub raws: Vec<Raw>,
    pub rows: u64,
    pub sha256: String,
    /// Punches at the file's edges whose pair lies outside it, left out (not problems).
    pub notes: Vec<String>,
}

/// Reads a time-clock file; unreadable cells and unpaired punches go to `problems`.
pub fn read(input: &Input, clock: Clock, problems: &mut Vec<Problem>) -> crate::Result<Read> {
    let mut notes = Vec::new();
    let (pairs, rows, sha256) = match clock {
        Clock::SproutBiologs => sprout(input, problems, &mut notes)?,
        Clock::KronosTimecard => kronos(input, problems)?,
    };
    Ok(Read { raws: join(pairs), rows, sha256, notes })
}

fn keys(names: &[&[&str]]) -> Vec<Vec<String>> {
    names.iter().map(|alts| alts.iter().map(|s| s.to_string()).collect()).collect()
}

/// The employee cell: 1 to 200 characters.
fn who(table: &Table, col: usize, name: &str, problems: &mut Vec<Problem>) -> Option<String> {
    let text = table.cell(col).text().trim().to_string();
    if text.is_empty() || text.chars().count() > MAX_WHO_CHARS {
        problems.push(Problem::new(
            table.row(),
            name,
            &table.cell(col).display(),
            format!("an employee of 1 to {MAX_WHO_CHARS} characters"),
        ));
        return None;
    }
    Some(text)
}

fn day(table: &Table, col: usize, name: &str, formats: &[String], problems: &mut Vec<Problem>) -> Option<NaiveDate> {
    let cell = table.cell(col);
    // The timecard screen writes the weekday first ("Mon 3/02/2026").
    let text = cell.text();
    let text = text.trim();
    let bare = text.split_once(' ').filter(|(w, _)| w.chars().all(|c| c.is_ascii_alphabetic())).map(|(_, d)| d.trim());
    let read = match bare {
        Some(d) => validate::date(crate::read::Cell::Text(d), formats),
        None => validate::date(cell, formats),
    };
    match read {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            problems.push(Problem::new(table.row(), name, "", "missing date"));
            None
        }
        Err(e) => {
            problems.push(Problem::new(table.row(), name, &cell.display(), e.0));
            None
        }
    }
}

/// A punch of the biologs.
struct Punch {
    row: u64,
    at: NaiveDateTime,
    is_in: bool,
}

fn sprout(
    input: &Input,
    problems: &mut Vec<Problem>,
    notes: &mut Vec<String>,
) -> crate::Result<(Vec<Pair>, u64, String)> {
    let mut table = Table::open(input, &keys(&[&["Employee"], &["Date"], &["Time"], &["Log Mode"]]))?;
    let col = |n: &str| table.column(n).expect("a key column");
    let (e, d, t, m) = (col("Employee"), col("Date"), col("Time"), col("Log Mode"));
    let formats = ["%m/%d/%Y".to_string(), "%m-%d-%Y".to_string()];
    let mut by_person: BTreeMap<String, (String, Vec<Punch>)> = BTreeMap::new();
    let mut rows = 0;
    while table.next_row()? {
        if table.is_blank() {
            continue;
        }
        rows += 1;
        if let Some(p) = table.bad_text() {
            problems.push(p);
            continue;
        }
        let row = table.row();
        let name = who(&table, e, "Employee", problems);
        let date = day(&table, d, "Date", &formats, problems);
        let time = time_of_day(table.cell(t))
            .map_err(|msg| problems.push(Problem::new(row, "Time", &table.cell(t).display(), msg)));
        let mode = table.cell(m).text().trim().to_ascii_lowercase();
        let is_in = match mode.as_str() {
            "in" | "time in" | "clock in" => Some(true),
            "out" | "time out" | "clock out" => Some(false),
            _ => {
                problems.push(Problem::new(row, "Log Mode", &table.cell(m).display(), "a log mode of In or Out"));
                None
            }
        };
        if let (Some(name), Some(date), Ok(time), Some(is_in)) = (name, date, time, is_in) {
            let entry = by_person.entry(super::name_key(&name)).or_insert_with(|| (name, Vec::new()));
            entry.1.push(Punch { row, at: date.and_time(time), is_in });
        }
    }
    let sha256 = table.finish()?;
    let all = by_person.values().flat_map(|(_, ps)| ps.iter().map(|p| p.at));
    let (first, last) = (all.clone().min(), all.max());
    // A 24/7 site's export cuts night shifts at its edges: an Out on its first morning or an In
    // on its last night pairs with a punch outside the file, so it is left out, not refused.
    let near = |a: NaiveDateTime, b: Option<NaiveDateTime>| b.is_some_and(|b| (a - b).abs() <= TimeDelta::hours(24));
    let mut pairs = Vec::new();
    for (_, (name, mut punches)) in by_person {
        punches.sort_by_key(|p| (p.at, p.row));
        let mut open: Option<&Punch> = None;
        for (n, p) in punches.iter().enumerate() {
            if n == 0 && !p.is_in && near(p.at, first) {
                notes.push(format!(
                    "row {}: {name}'s Out at {} pairs with an In before the file; left out",
                    p.row, p.at
                ));
                continue;
            }
            match (open, p.is_in) {
                (None, true) => open = Some(p),
                (Some(i), true) => {
                    let msg = format!("an In with no Out before this person's next In (row {})", p.row);
                    problems.push(Problem::new(i.row, "Log Mode", "In", msg));
                    open = Some(p);
                }
                (Some(i), false) => {
                    pairs.push(Pair { row: i.row, who: name.clone(), by_name: true, start: i.at, end: p.at });
                    open = None;
                }
                (None, false) => {
                    problems.push(Problem::new(p.row, "Log Mode", "Out", "an Out with no In before it (same person)"));
                }
            }
        }
        match open {
            Some(i) if near(i.at, last) => {
                notes
                    .push(format!("row {}: {name}'s In at {} pairs with an Out after the file; left out", i.row, i.at));
            }
            Some(i) => problems.push(Problem::new(i.row, "Log Mode", "In", "an In with no Out after it (same person)")),
            None => {}
        }
    }
    Ok((pairs, rows, sha256))
}

/// Columns that name the person in a timecard export: an ID (matched to the code) or a name.
const KRONOS_IDS: &[&str] = &["Person Number", "Employee ID", "Employee Code", "ID"];
const KRONOS_NAMES: &[&str] = &["Employee Name", "Employee", "Name"];

fn kronos(input: &Input, problems: &mut Vec<Problem>) -> crate::Result<(Vec<Pair>, u64, String)> {
    let mut table = Table::open(input, &keys(&[&["Date"], &["In"], &["Out"]]))?;
    let find = |names: &[&str]| names.iter().find_map(|n| table.column(n).map(|i| (i, n.to_string())));
    let person = find(KRONOS_IDS).map(|c| (c, false)).or_else(|| find(KRONOS_NAMES).map(|c| (c, true)));
    let Some(((who_col, who_name), by_name)) = person else {
        problems.push(Problem::file(format!(
            "the timecard names no employee: the header (row {}) needs one of {} (matched to the employee code) \
             or {} (matched to the name)",
            table.header_row(),
            KRONOS_IDS.join(", "),
            KRONOS_NAMES.join(", ")
        )));
        return Ok((Vec::new(), 0, table.finish()?));
    };
    let date_col = table.column("Date").expect("a key column");
    // The screen repeats In, Transfer, Out: every In and every Out, left to right.
    let punch_cols: Vec<(usize, bool)> = table
        .headers()
        .iter()
        .enumerate()
        .filter_map(|(i, h)| match h.trim().to_ascii_lowercase().as_str() {
            "in" => Some((i, true)),
            "out" => Some((i, false)),
            _ => None,
        })
        .collect();
    let formats: Vec<String> = ["%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y"].map(String::from).to_vec();
    let (mut pairs, mut rows) = (Vec::new(), 0);
    // A blank Date or employee continues the row above, as the timecard screen shows a day's
    // second line of punches.
    let (mut last_who, mut last_day): (Option<String>, Option<NaiveDate>) = (None, None);
    while table.next_row()? {
        if table.is_blank() {
            continue;
        }
        rows += 1;
        if let Some(p) = table.bad_text() {
            problems.push(p);
            continue;
        }
        let row = table.row();
        let times = kronos_times(&table, &punch_cols, problems);
        if times.is_empty() {
            // A pay-code line (vacation, holiday) with no punches: still the line the next blank
            // cells continue, so its person and day carry on.
            if !table.cell(who_col).is_blank() {
                last_who = who(&table, who_col, &who_name, problems);
            }
            if !table.cell(date_col).is_blank() {
                last_day = day(&table, date_col, "Date", &formats, problems);
            }
            continue;
        }
        let name = if table.cell(who_col).is_blank() {
            last_who.clone().or_else(|| who(&table, who_col, &who_name, problems))
        } else {
            who(&table, who_col, &who_name, problems)
        };
        let date = if table.cell(date_col).is_blank() && last_day.is_some() {
            last_day
        } else {
            day(&table, date_col, "Date", &formats, problems)
        };
        last_who.clone_from(&name);
        last_day = date;
        let (Some(name), Some(date)) = (name, date) else { continue };
        pairs.extend(kronos_pairs(row, &name, by_name, date, &times, problems));
    }
    let sha256 = table.finish()?;
    Ok((pairs, rows, sha256))
}

/// The row's punches in column order: (column, is an In, time); unreadable ones are problems.
fn kronos_times(
    table: &Table,
    cols: &[(usize, bool)],
    problems: &mut Vec<Problem>,
) -> Vec<(usize, bool, chrono::NaiveTime)> {
    let mut out = Vec::new();
    for &(i, is_in) in cols {
        let cell = table.cell(i);
        if cell.is_blank() {
            continue;
        }
        match time_of_day(cell) {
            Ok(t) => out.push((i, is_in, t)),
            Err(m) => problems.push(Problem::new(table.row(), if is_in { "In" } else { "Out" }, &cell.display(), m)),
        }
    }
    out
}

/// Pairs each In with the Out after it; a time earlier than the one before it is the next day.
fn kronos_pairs(
    row: u64,
    who: &str,
    by_name: bool,
    date: NaiveDate,
    times: &[(usize, bool, chrono::NaiveTime)],
    problems: &mut Vec<Problem>,
) -> Vec<Pair> {
    let mut pairs = Vec::new();
    let mut previous: Option<NaiveDateTime> = None;
    let mut open: Option<NaiveDateTime> = None;
    for &(_, is_in, t) in times {
        let mut at = date.and_time(t);
        while previous.is_some_and(|p| at < p) {
            at += TimeDelta::days(1);
        }
        previous = Some(at);
        let shown = t.format("%H:%M").to_string();
        match (open, is_in) {
            (None, true) => open = Some(at),
            (Some(_), true) => {
                problems.push(Problem::new(row, "In", &shown, "an In after an In with no Out between them"));
                open = Some(at);
            }
            (Some(start), false) => {
                pairs.push(Pair { row, who: who.to_string(), by_name, start, end: at });
                open = None;
            }
            (None, false) => problems.push(Problem::new(row, "Out", &shown, "an Out with no In before it")),
        }
    }
    if open.is_some() {
        problems.push(Problem::new(row, "Out", "", "an In with no Out"));
    }
    pairs
}

/// Each person's pairs, joined into shifts where the gap is under [`JOIN_GAP_MINUTES`].
fn join(mut pairs: Vec<Pair>) -> Vec<Raw> {
    pairs.sort_by_cached_key(|p| (super::name_key(&p.who), p.start, p.row));
    let mut out: Vec<(Pair, i64)> = Vec::new();
    for p in pairs {
        match out.last_mut() {
            Some((last, breaks))
                if last.who == p.who
                    && p.start >= last.end
                    && (p.start - last.end).num_minutes() < JOIN_GAP_MINUTES =>
            {
                *breaks += (p.start - last.end).num_minutes();
                last.end = p.end;
            }
            _ => out.push((p, 0)),
        }
    }
    out.into_iter()
        .map(|(p, breaks)| Raw {
            row: p.row,
            code: p.who,
            start: When::Local(p.start),
            end: When::Local(p.end),
            kind: None,
            breaks: breaks.min(1440) as i32,
            record: Record::Worked,
            activity: None,
            by_name: p.by_name,
        })
        .collect()
}
