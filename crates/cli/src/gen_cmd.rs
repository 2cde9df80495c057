//! `ladder gen`: a synthetic organisation and a year of daily KPI rows, streamed to files.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::Datelike;
use clap::Args;
use ladder_import::gen::Org;

#[derive(Args)]
pub struct GenArgs {
    /// Agents in the organisation (team leaders come on top, one per 12 agents).
    #[arg(long, default_value_t = 1000)]
    employees: usize,
    /// The same seed always gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The year of daily KPI rows (default: last year).
    #[arg(long)]
    year: Option<i32>,
    /// Rows to spoil on purpose (unknown employee, bad number, duplicate row, denominator zero,
    /// wrong period, share above 100 %, in turn); their rows are listed.
    #[arg(long, default_value_t = 0)]
    errors: usize,
    /// Write calls.csv, a per-call log (about ten calls an agent a working day; mapping
    /// ladder-calls), instead of the daily kpi.csv.
    #[arg(long)]
    per_interaction: bool,
    /// Where to write people.csv and kpi.csv (or calls.csv).
    #[arg(long, default_value = ".", value_name = "DIR")]
    out_dir: PathBuf,
}

pub fn run(args: GenArgs) -> anyhow::Result<ExitCode> {
    let year = args.year.unwrap_or_else(|| chrono::Utc::now().year() - 1);
    let org = Org { agents: args.employees, seed: args.seed, year };
    std::fs::create_dir_all(&args.out_dir).with_context(|| format!("cannot create {}", args.out_dir.display()))?;
    let create = |name: &str| -> anyhow::Result<BufWriter<File>> {
        let path = args.out_dir.join(name);
        let file = File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(BufWriter::with_capacity(1 << 20, file))
    };
    let mut people = create("people.csv")?;
    org.write_people(&mut people)?;
    people.flush()?;
    if args.per_interaction {
        let mut calls = create("calls.csv")?;
        let rows = org.write_calls(&mut calls)?;
        calls.flush()?;
        println!(
            "Wrote {} (agents: {}, teams: {}) and {} ({rows} calls in {year}, mapping ladder-calls).",
            args.out_dir.join("people.csv").display(),
            args.employees,
            org.teams(),
            args.out_dir.join("calls.csv").display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut kpi = create("kpi.csv")?;
    let spoiled = org.write_kpi(&mut kpi, args.errors)?;
    kpi.flush()?;
    println!(
        "Wrote {} (agents: {}, teams: {}) and {} (daily rows for {year}, mapping ladder-wide).",
        args.out_dir.join("people.csv").display(),
        args.employees,
        org.teams(),
        args.out_dir.join("kpi.csv").display()
    );
    for (row, kind) in spoiled {
        println!("  spoiled row {row}: {kind}");
    }
    Ok(ExitCode::SUCCESS)
}
