//! `ladder wellbeing`: rest and fatigue flags from shift records.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta, Utc};
use clap::Args;
use ladder_core::wellbeing::{assess, Assessment, Shift, WellbeingRules};
use serde::Serialize;

use crate::csv_input::{CsvFile, InputError, InputErrors};
use crate::db_arg::DatabaseArgs;

mod everyone;
mod stored;

/// The longest span read from the stored schedule at once: a year and a bit.
const MAX_DAYS: i64 = 400;

#[derive(Args)]
pub struct WellbeingArgs {
    /// CSV with header employee,start,end (ISO date-times, e.g. 2026-03-02T22:00).
    #[arg(long, value_name = "FILE", required_unless_present_any = ["employee", "all"],
          conflicts_with_all = ["employee", "all"])]
    shifts: Option<PathBuf>,
    /// Read this person's stored schedule instead of a file (see `ladder import shifts`).
    #[arg(long, value_name = "CODE", conflicts_with = "all")]
    employee: Option<String>,
    /// Assess everyone's stored schedule and count the flags by kind and severity.
    #[arg(long)]
    all: bool,
    /// First day read from the stored schedule (default: 4 weeks before today).
    #[arg(long, value_name = "DATE", conflicts_with = "shifts")]
    from: Option<NaiveDate>,
    /// Last day read from the stored schedule (default: 2 weeks after today).
    #[arg(long, value_name = "DATE", conflicts_with = "shifts")]
    to: Option<NaiveDate>,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DatabaseArgs,
}

#[derive(Serialize)]
struct EmployeeWellbeing {
    employee: String,
    /// The file line of each shift, in the order the flags' shift indices refer to.
    lines: Vec<u64>,
    assessment: Assessment,
}

pub fn run(args: WellbeingArgs) -> anyhow::Result<ExitCode> {
    if args.all {
        let (from, to) = stored_days(&args)?;
        return everyone::run(&args.db, from, to, args.json);
    }
    let Some(path) = args.shifts.clone() else { return stored::run(args) };
    let file = CsvFile::open(&path, &["employee", "start", "end"])?;
    let mut by_employee: BTreeMap<String, (Vec<Shift>, Vec<u64>)> = BTreeMap::new();
    file.for_each_row(|row| {
        let employee = row.required("employee")?;
        let start = row.parsed("start", parse_date_time)?;
        let end = row.parsed("end", parse_date_time)?;
        let entry = by_employee.entry(employee.to_string()).or_default();
        entry.0.push(Shift { start, end });
        entry.1.push(row.line);
        Ok(())
    })?;

    let rules = WellbeingRules::default();
    let mut report = Vec::new();
    let mut problems = Vec::new();
    for (employee, (shifts, lines)) in by_employee {
        match assess(&shifts, &rules) {
            Ok(assessment) => report.push(EmployeeWellbeing { employee, lines, assessment }),
            Err(e) => problems.push(InputError {
                file: path.clone(),
                line: lines[shift_index(&e)],
                field: None,
                message: format!("employee {employee}: {e}"),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(InputErrors(problems).into());
    }
    if args.json {
        crate::print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    for e in &report {
        print_assessment(&e.employee, &e.assessment, |i| format!("line {}", e.lines[i]));
    }
    Ok(ExitCode::SUCCESS)
}

/// The days read from the stored schedule: `--from`/`--to`, by default 4 weeks back to 2 ahead.
fn stored_days(args: &WellbeingArgs) -> anyhow::Result<(NaiveDate, NaiveDate)> {
    let today = Utc::now().date_naive();
    let from = args.from.unwrap_or(today - TimeDelta::weeks(4));
    let to = args.to.unwrap_or(today + TimeDelta::weeks(2));
    if to < from {
        anyhow::bail!("--to {to} is before --from {from}");
    }
    if (to - from).num_days() > MAX_DAYS {
        anyhow::bail!("--from {from} --to {to}: at most {MAX_DAYS} days at once");
    }
    Ok((from, to))
}

/// The plain-text report of one person; `place` names a flag's shift (by its index).
fn print_assessment(employee: &str, a: &Assessment, place: impl Fn(usize) -> String) {
    let n = |count: usize, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
    let (weeks, nights) = (n(a.weeks.len(), "week", "weeks"), n(a.night_shifts, "night shift", "night shifts"));
    println!("{employee}: {:.1} h over {weeks}, {nights}", a.total_hours);
    if a.flags.is_empty() {
        println!("  no flags");
    }
    for f in &a.flags {
        let places: Vec<String> = f.shifts.iter().map(|&i| place(i)).collect();
        println!("  [{:?}] {} ({})", f.severity, f.message, places.join(", "));
    }
}

fn shift_index(e: &ladder_core::wellbeing::ShiftError) -> usize {
    use ladder_core::wellbeing::ShiftError::*;
    match e {
        EndsBeforeStart { index, .. } | Overlap { index, .. } => *index,
    }
}

/// ISO date-times with `T` or a space, with or without seconds.
fn parse_date_time(raw: &str) -> Result<NaiveDateTime, String> {
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
        .ok_or_else(|| format!("'{raw}' is not a date-time (expected YYYY-MM-DDTHH:MM)"))
}
