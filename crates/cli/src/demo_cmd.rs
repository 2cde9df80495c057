//! `ladder demo`: a sample BPO organisation in a fresh database, then the server over it.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use ladder_core::period::Month;
use ladder_core::Framework;
use ladder_store::demo::{self, DemoSpec, DemoSummary, Progress};
use ladder_store::Db;

use crate::db_arg::{redact, StoreArgs};
use crate::serve_cmd::ServerArgs;

/// The password of every demo sign-in.
pub const DEMO_PASSWORD: &str = "ladder-demo-2026";

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Build into this empty database (sqlite://PATH or postgres://…). Default: a new SQLite
    /// file in a new directory under the system's temporary directory (printed).
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    #[command(flatten)]
    pub server: ServerArgs,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Only build the database; do not serve it.
    #[arg(long)]
    pub no_serve: bool,
    /// People in the organisation; sites, accounts and teams scale with it unless given.
    #[arg(long, default_value_t = 600)]
    pub employees: usize,
    /// Front-line teams (default: one per 15 people).
    #[arg(long)]
    pub teams: Option<usize>,
    /// Client accounts (default: one per 400 people, at least 6).
    #[arg(long)]
    pub accounts: Option<usize>,
    /// Sites (default: one per 3,000 people, at least 3).
    #[arg(long)]
    pub sites: Option<usize>,
    /// Months of KRA history.
    #[arg(long, default_value_t = 12)]
    pub months: u32,
    /// The last month of history, YYYY-MM (default: the last full month).
    #[arg(long, value_name = "YYYY-MM")]
    pub through: Option<Month>,
    /// The same seed (and sizes) always gives the same organisation.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// The password of every demo sign-in.
    #[arg(long, default_value = DEMO_PASSWORD)]
    pub password: String,
}

impl DemoArgs {
    fn spec(&self) -> DemoSpec {
        let mut spec = DemoSpec::scaled(self.employees);
        spec.seed = self.seed;
        spec.months = self.months;
        if let Some(t) = self.teams {
            spec.teams = t;
        }
        if let Some(a) = self.accounts {
            spec.accounts = a;
        }
        if let Some(s) = self.sites {
            spec.sites = s;
        }
        if let Some(m) = self.through {
            spec.through = m;
        }
        spec
    }
}

pub fn run(framework: Framework, args: DemoArgs) -> anyhow::Result<ExitCode> {
    // Bulk loading trips sqlx's slow-statement warning by design; keep it quiet here.
    crate::serve_cmd::init_tracing("info,sqlx=error");
    let spec = args.spec();
    spec.check()?;
    ladder_server::auth::check_new_password(&args.password, None)
        .map_err(|e| anyhow::anyhow!("--password: {}", e.message))?;
    let url = match &args.database {
        Some(url) => url.clone(),
        None => {
            let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
            let dir = std::env::temp_dir().join(format!("ladder-demo-{stamp}-{}", std::process::id()));
            std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
            Db::sqlite_url(&dir.join("ladder.db"))
        }
    };
    args.server.check()?;
    let settings = args.server.settings(args.store.settings());
    crate::serve_cmd::runtime_with(settings.worker_threads)?.block_on(async {
        let db = Db::connect_and_migrate_with(&url, &settings.store)
            .await
            .with_context(|| format!("cannot open {}", redact(&url)))?;
        let hash = ladder_server::auth::hash_password(&args.password)
            .map_err(|e| anyhow::anyhow!("cannot hash the demo password: {}", e.with_cause()))?;
        eprintln!(
            "Building the demo organisation in {}: {} people, {} teams, {} accounts, {} sites, {} months to {} (seed {})",
            redact(&url),
            spec.employees,
            spec.teams,
            spec.accounts,
            spec.sites,
            spec.months,
            spec.through,
            spec.seed
        );
        let started = Instant::now();
        let bar = crate::progress::bar(spec.employees as u64, "people");
        let summary = demo::generate(&db, &framework, &spec, &hash, &mut |p: Progress| {
            bar.set_length(p.total);
            bar.set_position(p.done);
            bar.set_message(p.stage);
        })
        .await
        .with_context(|| format!("cannot build the demo in {}", redact(&url)))?;
        bar.finish_and_clear();
        print_summary(&summary, &url, &args.password, started.elapsed());
        demo_postings(&db, &framework, spec.seed).await?;
        crate::demo_learning::write(&db, &framework, &summary).await?;
        crate::demo_goals::write(&db, &framework, &summary).await?;
        if args.no_serve {
            db.close().await;
            println!("Serve it with: ladder serve --database {}", redact(&url));
            return Ok(ExitCode::SUCCESS);
        }
        crate::serve_cmd::serve(db, framework, settings).await?;
        Ok(ExitCode::SUCCESS)
    })
}

fn print_summary(s: &DemoSummary, url: &str, password: &str, took: std::time::Duration) {
    let n = |t: &str| group_thousands(s.count(t));
    let rows: u64 = s.rows.iter().map(|(_, n)| n).sum();
    println!(
        "{}: {} people in {} teams, {} accounts and {} sites; KRA history {} to {} (seed {}).",
        s.organisation,
        n("employees"),
        n("teams"),
        n("accounts"),
        n("sites"),
        s.first_month,
        s.through,
        s.seed
    );
    println!(
        "  {} KRA plans ({} years agreed), {} monthly KRA figures, {} check-ins, {} coaching notes, {} accomplishments, {} skill assessments, {} certifications, {} training items, {} career plans.",
        n("kra_plans"),
        n("kra_plan_agreements"),
        n("kra_actuals"),
        n("checkins"),
        n("coaching_notes"),
        n("accomplishments"),
        n("skill_assessments"),
        n("certifications"),
        n("training_items"),
        n("career_plans"),
    );
    println!("  {} internal openings with {} applications in every stage.", n("openings"), n("applications"));
    println!("  {} notifications for the agent and the team leader, read and unread.", n("notifications"));
    println!("  {} rows written in {:.1?}.", group_thousands(rows), took);
    println!("Database: {}", redact(url));
    println!("Sign in with password {password}:");
    let width = s.sign_ins.iter().map(|x| x.email.len()).max().unwrap_or(10);
    for x in &s.sign_ins {
        println!("  {:<12} {:<width$}  {} ({})", x.persona, x.email, x.name, x.description);
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> =
        digits.as_bytes().rchunks(3).rev().map(|g| std::str::from_utf8(g).expect("ASCII digits")).collect();
    groups.join(",")
}

/// Outside job postings for the jobs pages: generated, read through the JSON-LD reader.
async fn demo_postings(db: &Db, framework: &Framework, seed: u64) -> anyhow::Result<()> {
    const POSTINGS: u64 = 300;
    let batch = ladder_import::postings_gen::batch(seed, 0, POSTINGS, chrono::Utc::now().date_naive());
    let read = ladder_core::postings::read_file(&batch.to_string(), framework)?;
    ladder_store::postings::upsert(db, &read.postings, "demo", chrono::Utc::now()).await?;
    println!("  {} outside job postings (generated).", read.postings.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::group_thousands(0), "0");
        assert_eq!(super::group_thousands(999), "999");
        assert_eq!(super::group_thousands(1000), "1,000");
        assert_eq!(super::group_thousands(7_541_230), "7,541,230");
    }
}
