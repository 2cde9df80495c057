//! `ladder`: the one binary. Subcommands over the domain core; the server comes with `serve`.

mod backup_cmd;
mod csv_input;
mod db_arg;
mod demo_cmd;
mod demo_goals;
mod demo_learning;
mod framework_cmd;
mod gen_cmd;
mod import_cmd;
mod import_shifts_cmd;
mod jobs_bench;
mod jobs_cmd;
mod me_cmd;
mod migrate_cmd;
mod out_file;
mod pipeline_cmd;
mod plan_cmd;
mod progress;
mod record_cmd;
mod score_cmd;
mod scores_cmd;
mod serve_cmd;
mod user_cmd;
mod wellbeing_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: the server's requests allocate from many threads (tokio's and each SQLite
/// connection's); glibc's allocator spent a tenth of a scorecard request growing, trimming and
/// locking its arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use ladder_core::framework::Framework;

#[derive(Parser)]
#[command(name = "ladder", version, about = "Career plans, KRAs and well-being for BPO teams")]
struct Cli {
    /// Use this framework file instead of the built-in one.
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "extend")]
    framework: Option<PathBuf>,
    /// Lay this file over the built-in framework (same ids replace, new ids are added).
    #[arg(long, global = true, value_name = "FILE")]
    extend: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check or print the career framework.
    #[command(subcommand)]
    Framework(framework_cmd::FrameworkCommand),
    /// The fastest path (and alternatives) from one role to another, as dated milestones.
    Plan(plan_cmd::PlanArgs),
    /// Monthly and year-to-date KRA scores from a CSV of actuals.
    Score(score_cmd::ScoreArgs),
    /// Fatigue and rest flags from a CSV of shifts.
    Wellbeing(wellbeing_cmd::WellbeingArgs),
    /// Bulk import of people and KPI files (CSV/XLSX), and scoring every stored month.
    #[command(subcommand)]
    Import(import_cmd::ImportCommand),
    /// Write a synthetic organisation and a year of daily KPI rows (deterministic from --seed).
    Gen(gen_cmd::GenArgs),
    /// Serve the API and the web pages over a database.
    Serve(serve_cmd::ServeArgs),
    /// Set up a personal Ladder for yourself on this machine (you are the agent and your own admin).
    Me(me_cmd::MeArgs),
    /// Build a sample BPO organisation in a fresh database and serve it (sign-ins are printed).
    Demo(demo_cmd::DemoArgs),
    /// Bring a database's schema up to date and list the applied migrations.
    Migrate(migrate_cmd::MigrateArgs),
    /// Add users (with an invitation link or a password), reset access, list users.
    #[command(subcommand)]
    User(user_cmd::UserCommand),
    /// A consistent copy of the database while the server keeps running.
    Backup(backup_cmd::BackupArgs),
    /// The stored employee-month scores: recompute the stale ones (or all) with progress.
    #[command(subcommand)]
    Scores(scores_cmd::ScoresCommand),
    /// The talent pipeline's stored readiness: recompute it for everyone, with progress.
    #[command(subcommand)]
    Pipeline(pipeline_cmd::PipelineCommand),
    /// Outside job postings: import JSON-LD, list them, match them to a person.
    #[command(subcommand)]
    Jobs(jobs_cmd::JobsCommand),
    /// A person's record as a file: the Ladder format, JSON Resume or a ZIP of CSVs; or their
    /// calendar (iCalendar).
    Export(record_cmd::ExportArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let flags = framework_cmd::FrameworkFlags { replace: cli.framework, extend: cli.extend };
    let result = match cli.command {
        Command::Framework(cmd) => framework_cmd::run(cmd, flags),
        Command::Migrate(args) => migrate_cmd::run(args),
        Command::Backup(args) => backup_cmd::run(args),
        command => load_framework(&flags).and_then(|fw| match command {
            Command::Plan(args) => plan_cmd::run(&fw, args),
            Command::Score(args) => score_cmd::run(&fw, args),
            Command::Wellbeing(args) => wellbeing_cmd::run(args),
            Command::Import(cmd) => import_cmd::run(fw, &flags, cmd),
            Command::Gen(args) => gen_cmd::run(args),
            Command::Serve(args) => serve_cmd::run(fw, &flags, args),
            Command::Demo(args) => demo_cmd::run(fw, args),
            Command::Me(args) => me_cmd::run(fw, &flags, args),
            Command::User(cmd) => user_cmd::run(fw, cmd),
            Command::Scores(cmd) => scores_cmd::run(fw, &flags, cmd),
            Command::Pipeline(cmd) => pipeline_cmd::run(fw, &flags, cmd),
            Command::Jobs(cmd) => jobs_cmd::run(fw, &flags, cmd),
            Command::Export(args) => record_cmd::export(fw, &flags, args),
            Command::Framework(_) | Command::Migrate(_) | Command::Backup(_) => unreachable!("handled above"),
        }),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The framework the flags name: the built-in one, a replacement, or the built-in one extended.
/// (Commands that open a database then take the overlay stored there: [`framework_cmd::in_force`].)
pub fn load_framework(flags: &framework_cmd::FrameworkFlags) -> anyhow::Result<Framework> {
    use anyhow::Context;
    if let Some(path) = &flags.replace {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        return Framework::load(&text).with_context(|| format!("in {}", path.display()));
    }
    match &flags.extend {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            framework_cmd::extended(&text).with_context(|| format!("after extending with {}", path.display()))
        }
        None => Ok(Framework::default_framework()),
    }
}

/// Prints a value as pretty JSON followed by a newline.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
