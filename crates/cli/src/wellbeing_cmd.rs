//! `ladder wellbeing`: rest and fatigue flags from shift records.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDateTime;
use clap::Args;
use ladder_core::wellbeing::{assess, Assessment, Shift, WellbeingRules};
use serde::Serialize;

use crate::csv_input::{CsvFile, InputError, InputErrors};

#[derive(Args)]
pub struct WellbeingArgs {
    /// CSV with header employee,start,end (ISO date-times, e.g. 2026-03-02T22:00).
    #[arg(long, value_name = "FILE")]
    shifts: PathBuf,
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct EmployeeWellbeing {
    employee: String,
    /// The file line of each shift, in the order the flags' shift indices refer to.
    lines: Vec<u64>,
    assessment: Assessment,
}

pub fn run(args: WellbeingArgs) -> anyhow::Result<ExitCode> {
    let file = CsvFile::open(&args.shifts, &["employee", "start", "end"])?;
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
                file: args.shifts.clone(),
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
        let a = &e.assessment;
        println!(
            "{}: {:.1} h over {} week(s), {} night shift(s)",
            e.employee,
            a.total_hours,
            a.weeks.len(),
            a.night_shifts
        );
        if a.flags.is_empty() {
            println!("  no flags");
        }
        for f in &a.flags {
            let lines: Vec<String> = f.shifts.iter().map(|&i| e.lines[i].to_string()).collect();
            println!("  [{:?}] {} (line {})", f.severity, f.message, lines.join(", "));
        }
    }
    Ok(ExitCode::SUCCESS)
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
