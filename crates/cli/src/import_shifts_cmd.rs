//! `ladder import shifts FILE [--mapping PRESET] [--dry-run]`: shift schedules into the
//! database (issue 29), in Ladder's own columns or a WFM tool's export layout.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use ladder_import::shifts::preset_names;
use ladder_import::{Input, Options};

use crate::db_arg::DatabaseArgs;

#[derive(Args)]
pub struct ShiftsArgs {
    /// The shift file: CSV/XLSX (`employee,start,end[,kind,breaks,record]` in site time), or a
    /// WFM or time-clock export in the preset's layout.
    file: PathBuf,
    /// The file's layout: ladder (default); schedules: nice-iex, calabrio, genesys-wfm (JSON),
    /// verint; worked time from time clocks: deputy, sprout-biologs, kronos-timecard.
    #[arg(long, default_value = "ladder", value_name = "PRESET")]
    mapping: String,
    /// Check every row and report; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    db: DatabaseArgs,
}

pub fn run(args: ShiftsArgs) -> anyhow::Result<ExitCode> {
    let names = preset_names();
    if !names.contains(&args.mapping.as_str()) {
        anyhow::bail!("--mapping {}: no such shift preset (presets: {})", args.mapping, names.join(", "));
    }
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let db = args.db.open().await?;
        let opts = Options { dry_run: args.dry_run, ..Options::default() };
        let report = ladder_import::shifts::import(&db, &args.mapping, &Input::path(&args.file), &opts).await;
        db.close().await;
        let report = report.with_context(|| format!("importing {}", args.file.display()))?;
        if args.json {
            crate::print_json(&report)?;
        } else {
            print!("{report}");
        }
        Ok(if report.is_ok() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
    })
}
