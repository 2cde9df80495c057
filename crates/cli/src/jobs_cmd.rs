//! `ladder jobs`: outside job postings (issue 28). `import FILE|DIR` reads schema.org
//! JobPosting JSON-LD (alone or in saved HTML pages) into the database; `list` prints the open
//! postings (all with `--all`); `match EMPLOYEE_CODE` lists them by that person's fit.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use clap::{Args, Subcommand};
use ladder_core::Framework;
use ladder_import::postings_table::PostingsMapping;
use ladder_server::service::postings::{by_fit, PostingItem};
use ladder_server::state::{AppState, Config};
use ladder_store::postings::{self as store, Filters, StoredPosting};
use serde::Serialize;

use crate::db_arg::DatabaseArgs;

#[derive(Subcommand)]
pub enum JobsCommand {
    /// Import postings: JobPosting JSON-LD (.json, .jsonld, saved .html pages) or CSV/XLSX tables
    /// (through --mapping); a file, or every such file of a directory.
    Import(ImportArgs),
    /// The open postings (with --all, the expired ones too).
    List(ListArgs),
    /// The open postings by fit for one person (their skills, certifications, tenure, rating).
    Match(MatchArgs),
    /// Write synthetic postings as JSON-LD files of 5,000 each (deterministic from --seed).
    Gen(GenArgs),
    /// Time typical searches (first page and count) over the stored postings: median and p95.
    Bench(BenchArgs),
}

#[derive(Args)]
pub struct GenArgs {
    #[arg(long, default_value_t = 100_000)]
    count: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value = ".", value_name = "DIR")]
    out_dir: PathBuf,
}

#[derive(Args)]
pub struct BenchArgs {
    /// Times each search runs (after one warm-up).
    #[arg(long, default_value_t = 50)]
    runs: usize,
    #[command(flatten)]
    db: DatabaseArgs,
}

#[derive(Args)]
pub struct ImportArgs {
    /// A file or a directory.
    path: PathBuf,
    /// Which column of a CSV/XLSX file holds each field (TOML; see docs/jobs.md). Without it,
    /// a common job-board export's column names.
    #[arg(long, value_name = "M.toml")]
    mapping: Option<PathBuf>,
    /// Read everything and report; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DatabaseArgs,
}

#[derive(Args)]
pub struct ListArgs {
    /// Expired postings too.
    #[arg(long)]
    all: bool,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DatabaseArgs,
}

#[derive(Args)]
pub struct MatchArgs {
    /// The person's employee code.
    code: String,
    /// At most this many postings.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DatabaseArgs,
}

pub fn run(fw: Framework, flags: &crate::framework_cmd::FrameworkFlags, cmd: JobsCommand) -> anyhow::Result<ExitCode> {
    crate::serve_cmd::runtime()?.block_on(async {
        match cmd {
            JobsCommand::Import(args) => import(fw, flags, args).await,
            JobsCommand::List(args) => list(args).await,
            JobsCommand::Match(args) => matching(fw, flags, args).await,
            JobsCommand::Gen(args) => generate(args),
            JobsCommand::Bench(args) => crate::jobs_bench::run(args.db, args.runs).await,
        }
    })
}

async fn import(
    fw: Framework,
    flags: &crate::framework_cmd::FrameworkFlags,
    args: ImportArgs,
) -> anyhow::Result<ExitCode> {
    let paths =
        ladder_import::postings::files_in(&args.path).with_context(|| format!("reading {}", args.path.display()))?;
    let mapping = match &args.mapping {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            PostingsMapping::from_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
        None => PostingsMapping::default(),
    };
    let db = args.db.open().await?;
    let fw = crate::framework_cmd::in_force(&db, fw, flags).await?;
    let bar = crate::progress::bar(paths.len() as u64, "files");
    let files = paths.iter().map(|p| (p.display().to_string(), ladder_import::postings::read_bytes(p))).collect();
    let update = |done: u64, _total: u64| bar.set_position(done);
    let report = ladder_import::postings::import(&db, &fw, files, &mapping, args.dry_run, Utc::now(), &update).await;
    bar.finish_and_clear();
    db.close().await;
    let report = report.context("storing the postings")?;
    if args.json {
        crate::print_json(&report)?;
    } else {
        print!("{report}");
    }
    Ok(if report.is_ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The fields `ladder jobs list --json` prints for each posting (issue 28's list).
#[derive(Serialize)]
struct Listed {
    title: String,
    organisation: Option<String>,
    role: Option<String>,
    matched_by: String,
    pay_month_min: Option<i64>,
    pay_month_max: Option<i64>,
    currency: Option<String>,
    remote: bool,
    shift: Option<String>,
    signing_bonus: bool,
    valid_through: Option<NaiveDate>,
}

impl From<StoredPosting> for Listed {
    fn from(p: StoredPosting) -> Listed {
        Listed {
            remote: p.arrangement == "remote",
            title: p.title,
            organisation: p.organisation,
            role: p.role_id,
            matched_by: p.matched_by,
            pay_month_min: p.pay_month_min,
            pay_month_max: p.pay_month_max,
            currency: p.currency,
            shift: p.shift,
            signing_bonus: p.signing_bonus,
            valid_through: p.valid_through,
        }
    }
}

async fn list(args: ListArgs) -> anyhow::Result<ExitCode> {
    let db = args.db.open().await?;
    let filters = Filters { open_on: (!args.all).then(|| Utc::now().date_naive()), ..Filters::default() };
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let page = store::search(&db, &filters, after, 1000).await?;
        let Some(last) = page.last() else { break };
        after = Some((last.arrangement_rank, last.posted_on, last.id));
        rows.extend(page);
    }
    db.close().await;
    if args.json {
        crate::print_json(&rows.into_iter().map(Listed::from).collect::<Vec<_>>())?;
        return Ok(ExitCode::SUCCESS);
    }
    for p in &rows {
        let org = p.organisation.as_deref().unwrap_or("(no company)");
        let role = p.role_id.as_deref().unwrap_or("unmatched");
        println!(
            "{} — {org} [{role}, {}] {}{}",
            p.title,
            p.arrangement,
            pay_words(p.pay_month_min, p.pay_month_max, p.currency.as_deref()),
            closes(p.valid_through)
        );
    }
    println!("{} postings.", rows.len());
    Ok(ExitCode::SUCCESS)
}

/// "PHP 18,000–25,000 a month" or "pay not stated".
fn pay_words(min: Option<i64>, max: Option<i64>, currency: Option<&str>) -> String {
    let (Some(min), Some(max)) = (min, max) else { return "pay not stated".into() };
    let digits = ladder_core::postings::pay::minor_digits(currency);
    let major = |m: i64| group(m / 10i64.pow(digits));
    let range = if min == max { major(min) } else { format!("{}–{}", major(min), major(max)) };
    format!("{} {range} a month", currency.unwrap_or("(currency not stated)"))
}

fn group(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn closes(valid_through: Option<NaiveDate>) -> String {
    valid_through.map(|d| format!(", open until {d}")).unwrap_or_default()
}

async fn matching(
    fw: Framework,
    flags: &crate::framework_cmd::FrameworkFlags,
    args: MatchArgs,
) -> anyhow::Result<ExitCode> {
    let db = args.db.open().await?;
    let fw = crate::framework_cmd::in_force(&db, fw, flags).await?;
    let employee = ladder_store::org::employee_by_code(&db, &args.code)
        .await
        .with_context(|| format!("no employee with the code {}", args.code))?;
    let state = AppState::new(db, fw, Config::default());
    let items = by_fit(&state, &employee, args.limit).await.map_err(|e| anyhow::anyhow!("matching failed: {e:?}"))?;
    state.db.close().await;
    if args.json {
        crate::print_json(&items)?;
    } else {
        print_matches(&employee.name, &items);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_matches(name: &str, items: &[PostingItem]) {
    println!("Postings for {name}, best fit first:");
    for i in items {
        let fit = match &i.fit {
            Some(f) if f.own_role => "100 % (their own role)".to_string(),
            Some(f) => {
                format!("{} % fit, {} of {} requirements met", f.percent, f.met.len(), f.met.len() + f.gaps.len())
            }
            None => "no framework role: fit unknown".to_string(),
        };
        let org = i.organisation.as_deref().unwrap_or("(no company)");
        println!(
            "- {} — {org}: {fit}; {}",
            i.title,
            pay_words(i.pay_month_min, i.pay_month_max, i.currency.as_deref())
        );
        for g in i.fit.iter().flat_map(|f| &f.gaps) {
            let helps = if g.closes_with.is_empty() {
                String::new()
            } else {
                format!(" (helps: {})", g.closes_with.join("; "))
            };
            println!("    gap: {}{helps}", g.gap);
        }
    }
}

fn generate(args: GenArgs) -> anyhow::Result<ExitCode> {
    const PER_FILE: u64 = 5000;
    std::fs::create_dir_all(&args.out_dir).with_context(|| format!("cannot create {}", args.out_dir.display()))?;
    let today = Utc::now().date_naive();
    let mut first = 0;
    while first < args.count {
        let n = PER_FILE.min(args.count - first);
        let path = args.out_dir.join(format!("postings-{:05}.json", first / PER_FILE + 1));
        let batch = ladder_import::postings_gen::batch(args.seed, first, n, today);
        std::fs::write(&path, batch.to_string()).with_context(|| format!("cannot write {}", path.display()))?;
        first += n;
    }
    println!("Wrote {} postings to {} (seed {}).", args.count, args.out_dir.display(), args.seed);
    Ok(ExitCode::SUCCESS)
}
