//! `ladder scores rebuild [--all]`: recomputes the stored employee-month scores that are stale —
//! queued by a change, stored under another framework, or never stored — with a progress bar;
//! `--all` recomputes every one. The server's worker does the same in the background.

use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Subcommand};
use ladder_core::Framework;
use ladder_server::service::stored_scores;
use ladder_server::state::{AppState, Config};
use ladder_store::scores;

use crate::db_arg::DatabaseArgs;

#[derive(Subcommand, Debug)]
pub enum ScoresCommand {
    /// Recompute the stale stored scores (or, with --all, every one), batch by batch: stopped,
    /// it carries on where it was when run again.
    Rebuild(RebuildArgs),
}

#[derive(Args, Debug)]
pub struct RebuildArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// Recompute every stored score, not only the stale ones.
    #[arg(long)]
    pub all: bool,
}

pub fn run(
    framework: Framework,
    flags: &crate::framework_cmd::FrameworkFlags,
    cmd: ScoresCommand,
) -> anyhow::Result<ExitCode> {
    let ScoresCommand::Rebuild(args) = cmd;
    crate::serve_cmd::runtime()?.block_on(async {
        let db = args.db.open().await?;
        let framework = crate::framework_cmd::in_force(&db, framework, flags).await?;
        let state = AppState::new(db.clone(), framework, Config::default());
        let started = Instant::now();
        if args.all {
            scores::enqueue_all(&db).await?;
        } else {
            scores::enqueue_stale(&db, &state.score_version).await?;
        }
        let total = scores::queue_len(&db, i64::MAX).await?;
        let bar = crate::progress::bar(total as u64, "employee-months");
        let done = stored_scores::drain(&state, |n| bar.set_position(n))
            .await
            .map_err(|e| anyhow::anyhow!("recomputing stored scores: {}", e.with_cause()))?;
        bar.finish_and_clear();
        println!(
            "{done} employee-month scores recomputed in {:.1} s (framework version {})",
            started.elapsed().as_secs_f64(),
            state.score_version
        );
        db.close().await;
        Ok(ExitCode::SUCCESS)
    })
}
