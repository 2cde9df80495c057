//! `ladder backup PATH`: a consistent copy of the database while the server keeps running.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use ladder_store::{Backend, Db};

use crate::db_arg::{redact, DatabaseArgs};

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// The file to write (it must not exist). SQLite: a database file you can open with
    /// `--database sqlite://PATH`. PostgreSQL: a pg_dump custom archive for `pg_restore`.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

pub fn run(args: BackupArgs) -> anyhow::Result<ExitCode> {
    crate::serve_cmd::runtime()?.block_on(async {
        let url = args.db.url()?;
        // Connect without migrating: a backup copies the database as it is.
        let db = Db::connect_with(&url, &args.db.store.settings())
            .await
            .with_context(|| format!("cannot open {}", redact(&url)))?;
        let started = std::time::Instant::now();
        db.backup(&args.path, Some(&url)).await.with_context(|| format!("backup of {} failed", redact(&url)))?;
        let backend = db.backend();
        db.close().await;
        let size = std::fs::metadata(&args.path).map(|m| m.len()).unwrap_or(0);
        println!(
            "Backed up {} to {} ({:.1} MB) in {:.1?}.",
            redact(&url),
            args.path.display(),
            size as f64 / 1e6,
            started.elapsed()
        );
        match backend {
            Backend::Sqlite => {
                println!("Restore: use the file as it is, e.g. --database {}", Db::sqlite_url(&args.path))
            }
            Backend::Postgres => {
                println!("Restore: pg_restore --no-owner --dbname postgres://…/EMPTY_DATABASE {}", args.path.display())
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
