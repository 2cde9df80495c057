//! `ladder migrate`: bring a database's schema up to date and say where it stands.

use std::process::ExitCode;

use clap::Args;

use crate::db_arg::{redact, DatabaseArgs};

#[derive(Args, Debug)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
}

pub fn run(args: MigrateArgs) -> anyhow::Result<ExitCode> {
    crate::serve_cmd::runtime()?.block_on(async {
        let url = args.db.url()?;
        let db = args.db.open().await?;
        let versions = db.applied_migrations().await?;
        db.close().await;
        let list = versions.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        println!("{} is up to date; applied migrations: {list}", redact(&url));
        Ok(ExitCode::SUCCESS)
    })
}
