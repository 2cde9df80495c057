//! `ladder pipeline refresh`: recomputes the talent pipeline's stored readiness (the rows the
//! pipeline, 9-box and "who is slipping" read) for everyone, or only the stale rows, with a
//! progress bar. `ladder serve` does the stale part by itself in the background.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use ladder_core::Framework;
use ladder_server::state::{AppState, Config};

use crate::db_arg::DatabaseArgs;

#[derive(Subcommand, Debug)]
pub enum PipelineCommand {
    /// Recompute every person's readiness, next role and 9-box place.
    Refresh(RefreshArgs),
}

#[derive(Args, Debug)]
pub struct RefreshArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// Only people with no row or a row computed before today.
    #[arg(long)]
    pub stale_only: bool,
}

pub fn run(
    framework: Framework,
    flags: &crate::framework_cmd::FrameworkFlags,
    command: PipelineCommand,
) -> anyhow::Result<ExitCode> {
    let PipelineCommand::Refresh(args) = command;
    crate::serve_cmd::runtime()?.block_on(async {
        let db = args.db.open().await?;
        let framework = crate::framework_cmd::in_force(&db, framework, flags).await?;
        let state = AppState::new(db, framework, Config::default());
        let bar = crate::progress::bar(0, "people");
        let started = std::time::Instant::now();
        let update = |done: u64, total: u64| {
            bar.set_length(total);
            bar.set_position(done);
        };
        let done = ladder_server::service::pipeline::refresh_all(&state, args.stale_only, &update)
            .await
            .map_err(|e| anyhow::anyhow!("refreshing the pipeline failed: {e:?}"))?;
        bar.finish_and_clear();
        println!("Pipeline refreshed: {done} people in {:.1} s.", started.elapsed().as_secs_f64());
        state.db.close().await;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}
