//! `ladder import`: people and KPI files into the database, and `score-all` over what is stored.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use ladder_core::period::Month;
use ladder_core::Framework;
use ladder_import::mapping::{Mapping, DEFAULT_PRESET, PRESETS};
use ladder_import::people::PeopleMapping;
use ladder_import::{Input, Options, Phase, Progress, Report};

use crate::db_arg::DatabaseArgs;
use crate::framework_cmd::{in_force, FrameworkFlags};
use crate::out_file::OutFile;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Employees, sites, accounts, teams, team leaders and roles from a CSV or XLSX file.
    People(PeopleArgs),
    /// Daily or monthly KRA facts from a CSV or XLSX export, through a mapping preset or file.
    Kpi(KpiArgs),
    /// List the mapping presets.
    Presets,
    /// Score every employee-month that has actuals (plan in force, else the role's template).
    ScoreAll(ScoreAllArgs),
    /// Shift schedules (scheduled or worked) from Ladder's own file or a WFM export (issue 29).
    Shifts(crate::import_shifts_cmd::ShiftsArgs),
    /// A person's record (the `ladder-record` JSON of `ladder export`), all or nothing.
    Record(crate::record_cmd::ImportRecordArgs),
    /// Past performance ratings, skill assessments and certifications from a CSV or XLSX file.
    History(HistoryArgs),
}

#[derive(Args)]
pub struct HistoryArgs {
    file: PathBuf,
    /// What the file holds: ratings (employee,year,rating), skills
    /// (employee,skill,level,date,assessor) or certifications (employee,certification,earned[,expires]).
    /// Left out, each row names its kind in a `kind` column.
    #[arg(long, value_parser = parse_history_kind)]
    kind: Option<ladder_import::history::HistoryKind>,
    /// Import the good rows and leave the bad ones out, written to the rejects file with a
    /// reason column (default: nothing is written when any row is bad).
    #[arg(long)]
    skip_bad_rows: bool,
    /// Where --skip-bad-rows writes the rows it leaves out (default: FILE.rejects.csv beside it).
    #[arg(long, value_name = "FILE", requires = "skip_bad_rows")]
    rejects: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

fn parse_history_kind(text: &str) -> Result<ladder_import::history::HistoryKind, String> {
    ladder_import::history::HistoryKind::parse(text)
        .ok_or_else(|| format!("'{text}' is not a kind: ratings, skills or certifications"))
}

#[derive(Args)]
pub struct Common {
    /// Show what would change and every problem; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Dates after this are refused as being in the future (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    today: Option<NaiveDate>,
    #[command(flatten)]
    db: DatabaseArgs,
}

#[derive(Args)]
pub struct PeopleArgs {
    file: PathBuf,
    /// The organisation to create when the database has none.
    #[arg(long, default_value = "My organisation")]
    organisation: String,
    /// A people mapping (TOML) naming the file's columns: an HR system's export as it is.
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// Import the good rows and leave the bad ones out, written to the rejects file with a
    /// reason column (default: nothing is written when any row is bad).
    #[arg(long)]
    skip_bad_rows: bool,
    /// Where --skip-bad-rows writes the rows it leaves out (default: FILE.rejects.csv beside it).
    #[arg(long, value_name = "FILE", requires = "skip_bad_rows")]
    rejects: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
pub struct KpiArgs {
    file: PathBuf,
    /// A preset (see `ladder import presets`) or a mapping file (TOML).
    #[arg(long, default_value = DEFAULT_PRESET, value_name = "PRESET_OR_FILE")]
    mapping: String,
    /// Refuse rows outside this period: YYYY, YYYY-MM, or FROM..TO (dates). With YYYY-MM, rows
    /// whose interval crosses that month's start or end count for that month.
    #[arg(long)]
    period: Option<String>,
    /// Leave out rows about people no one is known as (template, QA and admin users in an
    /// export) and list them in the report, instead of refusing the file.
    #[arg(long)]
    ignore_unknown: bool,
    /// Let the file replace stored figures with less: part-month days over a month's figure
    /// (or a month's figure over more days). Without it such a file is refused, and a dry run
    /// lists every one, before → after.
    #[arg(long)]
    replace_months: bool,
    /// Import the good rows and leave the bad ones out, written to the rejects file with a
    /// reason column (default: nothing is written when any row is bad).
    #[arg(long)]
    skip_bad_rows: bool,
    /// Where --skip-bad-rows writes the rows it leaves out (default: FILE.rejects.csv beside
    /// the file).
    #[arg(long, value_name = "FILE", requires = "skip_bad_rows")]
    rejects: Option<PathBuf>,
    /// The date of every row, for a file with no date column (a one-day call log).
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<NaiveDate>,
    /// Spread a row whose interval crosses a month end over its months, by time (every ratio
    /// stays the same), instead of refusing it.
    #[arg(long)]
    split_intervals: bool,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
pub struct ScoreAllArgs {
    /// Write every scorecard as CSV (employee,month,plan,total,rating) to this file.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    db: DatabaseArgs,
}

pub fn run(fw: Framework, flags: &FrameworkFlags, cmd: ImportCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ImportCommand::Record(args) => crate::record_cmd::import(fw, flags, args),
        ImportCommand::Presets => {
            for (name, text) in PRESETS {
                let m = Mapping::parse(name, text)?;
                println!("{name:<16} {}", m.title);
            }
            Ok(ExitCode::SUCCESS)
        }
        ImportCommand::People(args) => {
            let mapping = args.mapping.as_deref().map(PeopleMapping::load).transpose()?.unwrap_or_default();
            let rt = tokio::runtime::Runtime::new()?;
            rt.block_on(async {
                let db = args.common.db.open().await?;
                let fw = &in_force(&db, fw, flags).await?;
                let mut opts = options(&args.common);
                opts.organisation_name = args.organisation.clone();
                let rejects = rejects_for(args.skip_bad_rows, args.rejects.as_deref(), &args.file)?;
                opts.skip_bad_rows = args.skip_bad_rows;
                opts.rejects = rejects.clone();
                let input = Input::path(&args.file);
                let (bar, progress) = progress_reporter(&args.common);
                opts.progress = Some(progress);
                let report = ladder_import::people::import_mapped(&db, fw, &mapping, &input, &opts).await;
                bar.finish_and_clear();
                db.close().await;
                let report = report.with_context(|| format!("importing {}", args.file.display()))?;
                rejects_said(rejects.as_deref(), report.rows_rejected, args.common.json);
                finish(report, args.common.json)
            })
        }
        ImportCommand::Kpi(args) => import_kpi(fw, flags, args),
        ImportCommand::ScoreAll(args) => score_all(fw, flags, args),
        ImportCommand::Shifts(args) => crate::import_shifts_cmd::run(args),
        ImportCommand::History(args) => import_history(fw, flags, args),
    }
}

/// `ladder import history`: ratings, skill assessments and certifications of the past.
fn import_history(fw: Framework, flags: &FrameworkFlags, args: HistoryArgs) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let db = args.common.db.open().await?;
        let fw = &in_force(&db, fw, flags).await?;
        let mut opts = options(&args.common);
        opts.skip_bad_rows = args.skip_bad_rows;
        let rejects = rejects_for(args.skip_bad_rows, args.rejects.as_deref(), &args.file)?;
        opts.rejects = rejects.clone();
        let input = Input::path(&args.file);
        let report = ladder_import::history::import(&db, fw, &input, args.kind, &opts).await;
        db.close().await;
        let report = report.with_context(|| format!("importing {}", args.file.display()))?;
        rejects_said(rejects.as_deref(), report.rows_rejected, args.common.json);
        if args.common.json {
            crate::print_json(&report)?;
        } else {
            println!("{report}");
        }
        Ok(if report.committed || (args.common.dry_run && report.problem_count == 0) {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })
}

/// `ladder import kpi`: the file, its rejects when bad rows are skipped, the report.
fn import_kpi(fw: Framework, flags: &FrameworkFlags, args: KpiArgs) -> anyhow::Result<ExitCode> {
    let mapping = Mapping::load(&args.mapping)?;
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let db = args.common.db.open().await?;
        let fw = &in_force(&db, fw, flags).await?;
        let mut opts = options(&args.common);
        opts.period = args.period.as_deref().map(parse_period).transpose()?;
        opts.ignore_unknown = args.ignore_unknown;
        opts.replace_months = args.replace_months;
        opts.skip_bad_rows = args.skip_bad_rows;
        let rejects = rejects_for(args.skip_bad_rows, args.rejects.as_deref(), &args.file)?;
        opts.rejects = rejects.clone();
        opts.date = args.date.map(ladder_core::dates::in_range).transpose()?;
        opts.split_intervals = args.split_intervals;
        let input = Input::path(&args.file);
        let (bar, progress) = progress_reporter(&args.common);
        opts.progress = Some(progress);
        let report = ladder_import::kpi::import(&db, fw, &mapping, &input, &opts).await;
        bar.finish_and_clear();
        db.close().await;
        let report = report.with_context(|| format!("importing {}", args.file.display()))?;
        rejects_said(rejects.as_deref(), report.rows_rejected, args.common.json);
        finish(report, args.common.json)
    })
}

/// `ladder import score-all`: every employee-month scored, optionally to a CSV written whole.
fn score_all(fw: Framework, flags: &FrameworkFlags, args: ScoreAllArgs) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let db = args.db.open().await?;
        let fw = &in_force(&db, fw, flags).await?;
        // Whole or absent: a killed run leaves no truncated file (crates/cli/tests/it/crash.rs).
        let mut out = match &args.out {
            Some(path) => {
                let file =
                    OutFile::create(path).with_context(|| format!("cannot create {}", path.display()))?;
                Some(ladder_import::rescore::ScoresCsv::new(file)?)
            }
            None => None,
        };
        let mut failed = None;
        let summary = ladder_import::rescore::score_all(&db, fw, |s| {
            if let Some(w) = out.as_mut() {
                if let Err(e) = w.write(s) {
                    failed.get_or_insert(e);
                }
            }
        })
        .await?;
        if let Some(e) = failed {
            return Err(e.into());
        }
        if let (Some(w), Some(path)) = (out, &args.out) {
            w.finish()?.commit().with_context(|| format!("cannot write {}", path.display()))?;
        }
        db.close().await;
        println!(
            "Scored {} employee-months of {} employees ({} with a score, {} with not enough data to score, {} without a plan); mean score {}.",
            summary.months,
            summary.employees,
            summary.scored,
            summary.not_enough_data,
            summary.unscored,
            summary.mean_total.map_or("-".to_string(), |m| format!("{m:.2}"))
        );
        for (rating, n) in &summary.ratings {
            println!("  rating {rating}: {n} months");
        }
        for p in &summary.problems {
            println!("  problem: {p}");
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn options(common: &Common) -> Options {
    let mut opts = Options { dry_run: common.dry_run, ..Options::default() };
    if let Some(today) = common.today {
        opts.today = today;
    }
    opts
}

fn finish(report: Report, json: bool) -> anyhow::Result<ExitCode> {
    if json {
        crate::print_json(&report)?;
    } else {
        println!("{report}");
    }
    Ok(if report.is_ok() || report.committed { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Where `--skip-bad-rows` writes the rows it leaves out: `--rejects`, else beside the file;
/// never the file itself.
fn rejects_for(skip: bool, given: Option<&std::path::Path>, file: &std::path::Path) -> anyhow::Result<Option<PathBuf>> {
    let rejects = skip.then(|| given.map_or_else(|| rejects_beside(file), std::path::Path::to_path_buf));
    if let Some(path) = rejects.as_deref().filter(|p| same_file(p, file)) {
        anyhow::bail!("--rejects {} is the file being imported: name another file", path.display());
    }
    Ok(rejects)
}

/// Says where the rows left out are, or removes a rejects file this run left empty (a header at
/// most): a file of the user's that holds more is never deleted.
fn rejects_said(rejects: Option<&std::path::Path>, rejected: u64, json: bool) {
    let Some(path) = rejects else { return };
    if rejected == 0 {
        let small = std::fs::metadata(path).is_ok_and(|m| m.len() <= 64 * 1024);
        let header_at_most =
            small && std::fs::read(path).is_ok_and(|b| b.trim_ascii_end().split(|c| *c == b'\n').count() <= 1);
        if header_at_most {
            let _ = std::fs::remove_file(path);
        }
    } else if !json {
        eprintln!("{rejected} bad row(s), as they were with a reason column: {}", path.display());
    }
}

/// Whether two paths name one file (writing the rejects over the input would truncate it).
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// `march.csv` → `march.rejects.csv`, beside it.
fn rejects_beside(file: &std::path::Path) -> PathBuf {
    let stem = file.file_stem().map_or("import".into(), |s| s.to_string_lossy().into_owned());
    file.with_file_name(format!("{stem}.rejects.csv"))
}

/// A progress bar on a terminal; elsewhere (a pipe, a log) a plain line per percent read.
fn progress_reporter(common: &Common) -> (ProgressBar, ladder_import::ProgressFn) {
    let terminal = std::io::stderr().is_terminal() && !common.json;
    let bar = if terminal { ProgressBar::new(1000) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg:<12} [{bar:40}] {percent:>3}% {elapsed_precise} ETA {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let shown = Arc::new(AtomicU64::new(u64::MAX));
    let b = bar.clone();
    let callback = move |p: &Progress| {
        let permille = (p.fraction() * 1000.0) as u64;
        let label = match p.phase {
            Phase::Reading => "reading",
            Phase::Writing => "writing",
            Phase::Summarising => "summarising",
            Phase::Finishing => "finishing",
        };
        if terminal {
            b.set_message(label);
            b.set_position(permille);
        } else {
            let percent = permille / 10 + p.phase as u64 * 1000;
            if shown.swap(percent, Ordering::Relaxed) != percent {
                eprintln!("progress: {label} {}% ({} rows)", permille / 10, p.rows);
            }
        }
    };
    (bar, Arc::new(callback))
}

/// `2025`, `2025-03` or `2025-01-01..2025-06-30`.
fn parse_period(text: &str) -> anyhow::Result<(NaiveDate, NaiveDate)> {
    if let Some((from, to)) = text.split_once("..") {
        let d = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").with_context(|| format!("bad date '{s}'"));
        return Ok((d(from)?, d(to)?));
    }
    if let Ok(year) = text.parse::<i32>() {
        let d = |m, day| NaiveDate::from_ymd_opt(year, m, day).context("bad year");
        return Ok((d(1, 1)?, d(12, 31)?));
    }
    let month: Month = text.parse().map_err(|_| anyhow::anyhow!("bad period '{text}' (YYYY, YYYY-MM or FROM..TO)"))?;
    Ok((month.first_day(), month.last_day()))
}

#[cfg(test)]
mod rejects_tests {
    use super::same_file;

    #[test]
    fn the_rejects_file_may_not_be_the_input() {
        let dir = std::env::temp_dir().join(format!("ladder-same-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("march.csv");
        std::fs::write(&input, "x\n").unwrap();
        assert!(same_file(&dir.join("./march.csv"), &input));
        assert!(!same_file(&dir.join("march.rejects.csv"), &input));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
