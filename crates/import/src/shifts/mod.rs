//! Importing shift schedules (issue 29): Ladder's own CSV/XLSX and presets for WFM exports
//! ([`layout`], [`genesys`]), into `ladder_store::wellbeing`.
//!
//! Like the other imports it is all-or-nothing: every row is read and checked first, and nothing
//! is written when one has a problem (named by row, column and value); a dry run stops before
//! writing. Local times are the employee's site's zone (`sites.timezone`), with DST gaps and
//! repeats resolved as `ladder_core::wellbeing::zone` says (each one noted in the report).
//! A shift ending before it starts, one over 24 h, and shifts of one person that overlap are
//! problems. A file replaces, for each person and record (scheduled or worked), the stored
//! shifts overlapping the span from its first shift's start to its last shift's end.

pub mod genesys;
pub mod layout;
pub mod rows;
pub mod timeclock;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use ladder_core::wellbeing::zone::{local_to_utc, parse_zone, utc_to_local, LocalFix, Tz};
use ladder_core::wellbeing::{is_night_shift, Shift as CoreShift, WellbeingRules};
use ladder_core::EmployeeId;
use ladder_store::wellbeing::{self as store, Kind, Person, Record, ShiftImport, Span};
use ladder_store::Db;
use serde::Serialize;

use crate::read::Input;
use crate::validate::Problem;
use crate::{EmployeeRef, Options};
use rows::{Raw, When};

/// The most shifts one file may hold (a year of shifts for about 20,000 people).
pub const MAX_SHIFTS: usize = 5_000_000;
/// The longest shift, in hours.
pub const MAX_SHIFT_HOURS: i64 = 24;
/// The preset for Genesys Cloud WFM's JSON.
pub const GENESYS: &str = "genesys-wfm";

/// Every preset's name, for `--mapping` and the upload form.
pub fn preset_names() -> Vec<&'static str> {
    layout::PRESETS.iter().map(|l| l.name).chain([GENESYS, timeclock::SPROUT, timeclock::KRONOS]).collect()
}

/// A name as a key: "Last, First" turned to "first last", case and spacing ignored, so a time
/// clock's "Santos, Ana" finds the people file's "Ana Santos".
pub fn name_key(name: &str) -> String {
    let ordered = match name.split_once(',') {
        Some((last, first)) => format!("{first} {last}"),
        None => name.to_string(),
    };
    ordered.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

/// What a shift import did, or (dry run) would do.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ShiftReport {
    pub file: String,
    pub mapping: String,
    pub dry_run: bool,
    pub committed: bool,
    /// Rows (or, for Genesys, shifts) read.
    pub rows: u64,
    /// Shifts after segments are joined.
    pub shifts: u64,
    pub people: u64,
    /// Stored shifts the file replaced.
    pub replaced: u64,
    /// Local times that fell in a DST change, and how each was read.
    pub notes: Vec<String>,
    pub problems: Vec<Problem>,
    pub import_id: Option<i64>,
    pub sha256: String,
}

impl ShiftReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl fmt::Display for ShiftReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.committed {
            "imported"
        } else if self.problems.is_empty() {
            "checked (dry run, nothing written)"
        } else {
            "NOT imported (nothing written)"
        };
        writeln!(f, "{} ({}): {what}", self.file, self.mapping)?;
        let n = |count: u64, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
        writeln!(
            f,
            "  {}, {}, {}, {} replaced",
            n(self.rows, "row", "rows"),
            n(self.shifts, "shift", "shifts"),
            n(self.people, "person", "people"),
            n(self.replaced, "stored shift", "stored shifts")
        )?;
        for n in &self.notes {
            writeln!(f, "  note: {n}")?;
        }
        if !self.problems.is_empty() {
            writeln!(f, "  {} problem(s):", self.problems.len())?;
            for p in self.problems.iter().take(100) {
                writeln!(f, "    {p}")?;
            }
        }
        Ok(())
    }
}

/// A shift checked and placed in time, with the row it came from.
#[derive(Debug, Clone)]
struct Placed {
    row: u64,
    employee: EmployeeId,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    tz: Tz,
    kind: Option<Kind>,
    breaks: i64,
    record: Record,
    activity: Option<String>,
}

/// Imports a shift file in the layout `preset` names (see [`layout::PRESETS`] and [`GENESYS`]).
pub async fn import(db: &Db, preset: &str, input: &Input, opts: &Options) -> crate::Result<ShiftReport> {
    let started_at = Utc::now();
    let mut report = ShiftReport {
        file: input.name.clone(),
        mapping: preset.to_string(),
        dry_run: opts.dry_run,
        ..Default::default()
    };
    let total = input.len();
    let progress = |p: crate::Progress| {
        if let Some(f) = &opts.progress {
            f(&p)
        }
    };
    progress(crate::Progress::of_file(crate::Phase::Reading, 0, 0, total));
    let mut problems = Vec::new();
    let mut rows_read = None;
    let (raws, segments) = if preset.eq_ignore_ascii_case(GENESYS) {
        (genesys::read(input, &mut problems)?, false)
    } else if let Some(clock) = timeclock::preset(preset) {
        let read = timeclock::read(input, clock, &mut problems)?;
        rows_read = Some(read.rows);
        report.notes.extend(read.notes);
        ((read.raws, read.sha256), false)
    } else {
        let Some(layout) = layout::preset(preset) else {
            let names = preset_names().join(", ");
            report.problems.push(Problem::file(format!("no shift preset '{preset}' (presets: {names})")));
            return Ok(report);
        };
        if !layout.documented {
            report.problems.push(Problem::file(layout.about));
            return Ok(report);
        }
        (rows::read(input, layout, &mut problems)?, layout.activity.is_some())
    };
    let (raws, sha256) = raws;
    report.sha256 = sha256;
    report.rows = rows_read.unwrap_or(raws.len() as u64 + problems.len() as u64);
    progress(crate::Progress::of_file(crate::Phase::Reading, report.rows, total, total));
    if raws.len() > MAX_SHIFTS {
        return Err(crate::ImportError::Limit(format!("a shift file holds at most {MAX_SHIFTS} rows")));
    }

    let people: HashMap<String, Person> = store::people(db).await?.into_iter().map(|p| (p.code.clone(), p)).collect();
    let mut placed = place(&raws, &people, opts, &mut report.notes, &mut problems);
    // A year of shifts is millions of rows: each stage's copy goes as soon as the next is made.
    drop(raws);
    if segments {
        placed = join_segments(placed);
    }
    let shifts = check(placed, &mut problems);
    problems.sort_by_key(|p| p.row);
    report.problems = problems;
    report.shifts = shifts.len() as u64;
    report.people = shifts.iter().map(|s| s.employee_id).collect::<std::collections::HashSet<_>>().len() as u64;
    if !report.problems.is_empty() || opts.dry_run {
        return Ok(report);
    }

    let spans = spans(&shifts);
    let log = ShiftImport {
        file_name: &input.name,
        sha256: &report.sha256,
        mapping: preset,
        rows: report.rows,
        started_at,
        imported_by: opts.imported_by,
    };
    let to_write = shifts.len() as u64;
    progress(crate::Progress {
        phase: crate::Phase::Writing,
        rows: report.rows,
        bytes: total,
        total_bytes: total,
        written: 0,
        to_write,
    });
    let mut tx = db.begin().await?;
    let (id, replaced) = store::replace(&mut tx, &log, &spans, &shifts).await?;
    progress(crate::Progress::of_file(crate::Phase::Finishing, report.rows, total, total));
    tx.commit().await?;
    report.import_id = Some(id);
    report.replaced = replaced;
    report.committed = true;
    Ok(report)
}

/// Finds each row's person and turns its times into instants in the person's site zone.
fn place(
    raws: &[Raw],
    people: &HashMap<String, Person>,
    opts: &Options,
    notes: &mut Vec<String>,
    problems: &mut Vec<Problem>,
) -> Vec<Placed> {
    let mut out = Vec::with_capacity(raws.len());
    let mut names: HashMap<String, Vec<&Person>> = HashMap::new();
    if raws.iter().any(|r| r.by_name) {
        // Only the people the importer may write to: a name shared with someone in another
        // team must neither match them nor show their code.
        let may = |p: &Person| {
            let who = EmployeeRef { id: Some(p.id), code: &p.code, team_id: p.team_id };
            opts.allowed.as_ref().is_none_or(|allowed| allowed(&who))
        };
        for p in people.values().filter(|p| may(p)) {
            names.entry(name_key(&p.name)).or_default().push(p);
        }
    }
    // Zones by name, read once each (a file has millions of rows and a handful of zones).
    let mut zones: HashMap<&str, Result<Tz, String>> = HashMap::new();
    for r in raws {
        let Some(person) = person_of(r, people, &names, problems) else {
            continue;
        };
        let who = EmployeeRef { id: Some(person.id), code: &person.code, team_id: person.team_id };
        if opts.allowed.as_ref().is_some_and(|allowed| !allowed(&who)) {
            problems.push(Problem::new(
                r.row,
                "employee",
                &r.code,
                "not allowed: not one of the people you may import for",
            ));
            continue;
        }
        let tz = match zones.entry(person.time_zone.as_str()).or_insert_with_key(|z| parse_zone(z)).clone() {
            Ok(tz) => tz,
            Err(m) => {
                problems.push(Problem::new(r.row, "employee", &r.code, format!("the site's time zone: {m}")));
                continue;
            }
        };
        let mut instant = |w: When, column: &str| match w {
            When::Instant(i) => i,
            When::Local(t) => {
                let (i, fix) = local_to_utc(t, tz);
                match fix {
                    LocalFix::Exact => {}
                    LocalFix::Gap => notes.push(format!(
                        "row {}, {column}: {t} does not exist in {tz} (the clocks went forward); read as {}",
                        r.row,
                        utc_to_local(i, tz).format("%H:%M")
                    )),
                    LocalFix::Repeated => notes.push(format!(
                        "row {}, {column}: {t} happens twice in {tz} (the clocks went back); read as the first",
                        r.row
                    )),
                }
                i
            }
        };
        let start = instant(r.start, "start");
        let end = instant(r.end, "end");
        out.push(Placed {
            row: r.row,
            employee: person.id,
            start,
            end,
            tz,
            kind: r.kind,
            breaks: i64::from(r.breaks),
            record: r.record,
            activity: r.activity.clone(),
        });
    }
    out
}

/// The row's person: by code, or by name for a time clock that has only names (`names` holds
/// only people the importer may write to). A name two of them share is a problem naming their
/// codes (nothing is guessed).
fn person_of<'a>(
    r: &Raw,
    people: &'a HashMap<String, Person>,
    names: &HashMap<String, Vec<&'a Person>>,
    problems: &mut Vec<Problem>,
) -> Option<&'a Person> {
    if !r.by_name {
        let found = people.get(&r.code);
        if found.is_none() {
            problems.push(Problem::new(r.row, "employee", &r.code, "unknown employee code"));
        }
        return found;
    }
    match names.get(&name_key(&r.code)).map(Vec::as_slice) {
        Some([one]) => Some(*one),
        Some(many) if many.len() > 1 => {
            let mut codes: Vec<&str> = many.iter().map(|p| p.code.as_str()).collect();
            codes.sort_unstable();
            let msg = format!(
                "{} employees have this name ({}): the file has no codes to tell them apart, so nothing is guessed",
                codes.len(),
                codes.join(", ")
            );
            problems.push(Problem::new(r.row, "employee", &r.code, msg));
            None
        }
        _ => {
            problems.push(Problem::new(r.row, "employee", &r.code, "no employee you may import for has this name"));
            None
        }
    }
}

/// Joins each person's touching activity segments into shifts; break activities add to breaks.
fn join_segments(mut segs: Vec<Placed>) -> Vec<Placed> {
    segs.sort_by_key(|s| (s.employee, s.record, s.start, s.row));
    let is_break = |s: &Placed| {
        s.activity.as_deref().is_some_and(|a| layout::BREAK_WORDS.iter().any(|w| a.to_ascii_lowercase().contains(w)))
    };
    let mut out: Vec<Placed> = Vec::new();
    for s in segs {
        let minutes = if is_break(&s) { (s.end - s.start).num_minutes().max(0) } else { 0 };
        match out.last_mut() {
            Some(last)
                if last.employee == s.employee && last.record == s.record && last.end == s.start && s.end > s.start =>
            {
                last.end = s.end;
                last.breaks += minutes;
            }
            _ => out.push(Placed { breaks: minutes, activity: None, ..s }),
        }
    }
    out
}

/// Checks each shift alone, then each person's shifts against each other.
fn check(placed: Vec<Placed>, problems: &mut Vec<Problem>) -> Vec<store::Shift> {
    let total = placed.len();
    let mut by_person: BTreeMap<(EmployeeId, Record), Vec<Placed>> = BTreeMap::new();
    for p in placed {
        let len = p.end - p.start;
        // Shown as the file wrote it: the site's wall-clock time.
        let shown = |t: DateTime<Utc>| utc_to_local(t, p.tz).format("%Y-%m-%dT%H:%M").to_string();
        if p.end <= p.start {
            problems.push(Problem::new(p.row, "end", &shown(p.end), "the shift ends before (or when) it starts"));
        } else if len > TimeDelta::hours(MAX_SHIFT_HOURS) {
            let h = len.num_minutes() as f64 / 60.0;
            problems.push(Problem::new(
                p.row,
                "end",
                &shown(p.end),
                format!("a shift of {h:.1} h: over {MAX_SHIFT_HOURS} h"),
            ));
        } else if p.breaks >= len.num_minutes() {
            problems.push(Problem::new(p.row, "breaks", &p.breaks.to_string(), "breaks as long as the shift"));
        } else {
            by_person.entry((p.employee, p.record)).or_default().push(p);
        }
    }
    let rules = WellbeingRules::default();
    let mut out = Vec::with_capacity(total);
    for ((employee_id, record), mut shifts) in by_person {
        shifts.sort_by_key(|s| (s.start, s.row));
        for w in shifts.windows(2) {
            if w[1].start < w[0].end {
                let msg = format!("overlaps the shift on row {} (same person)", w[0].row);
                let shown = utc_to_local(w[1].start, w[1].tz).format("%Y-%m-%dT%H:%M").to_string();
                problems.push(Problem::new(w[1].row, "start", &shown, msg));
            }
        }
        for s in shifts {
            // A file that names the kind is taken at its word; otherwise the night window decides.
            let kind = s.kind.unwrap_or_else(|| {
                let local = CoreShift { start: utc_to_local(s.start, s.tz), end: utc_to_local(s.end, s.tz) };
                let night = local.end > local.start && is_night_shift(&local, &rules);
                if night {
                    Kind::Night
                } else {
                    Kind::Day
                }
            });
            out.push(store::Shift {
                employee_id,
                record,
                starts_at: s.start,
                ends_at: s.end,
                time_zone: s.tz.name().to_string(),
                kind,
                breaks_minutes: s.breaks as i32,
            });
        }
    }
    out
}

/// For each person and record, from the first shift's start to the last shift's end.
fn spans(shifts: &[store::Shift]) -> Vec<Span> {
    let mut spans: BTreeMap<(EmployeeId, Record), Span> = BTreeMap::new();
    for s in shifts {
        let span = spans.entry((s.employee_id, s.record)).or_insert(Span {
            employee_id: s.employee_id,
            record: s.record,
            from: s.starts_at,
            to: s.ends_at,
        });
        span.from = span.from.min(s.starts_at);
        span.to = span.to.max(s.ends_at);
    }
    spans.into_values().collect()
}
