//! `ladder export EMPLOYEE_CODE --format ladder|json-resume|zip|ics [--out FILE]` and
//! `ladder import record FILE` (issue 30): a person's record out of one Ladder and into
//! another (a personal one, or another organisation's), all or nothing.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use ladder_core::Framework;
use ladder_server::service::calendar;
use ladder_server::service::record::{self, RecordFormat};
use ladder_server::service::stored_scores;
use ladder_server::state::{AppState, Config};

use crate::db_arg::DatabaseArgs;
use crate::framework_cmd::{in_force, FrameworkFlags};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ExportFormat {
    /// The `ladder-record` JSON (docs/record.md), which `ladder import record` reads.
    Ladder,
    /// JSON Resume 1.0.0 (shared accomplishments only).
    JsonResume,
    /// A ZIP: `record.json` and one CSV per part.
    Zip,
    /// The person's calendar (iCalendar, RFC 5545): plan milestones, check-ins due,
    /// certification expiries, coaching follow-ups and scheduled shifts, as on their account page.
    Ics,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// The person's employee code.
    pub employee_code: String,
    #[arg(long, value_enum, default_value = "ladder")]
    pub format: ExportFormat,
    /// Write here (whole or not at all) instead of to standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ImportRecordArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// A `ladder-record` JSON file (`ladder export … --format ladder`, or `record.json` from the ZIP).
    pub file: PathBuf,
    /// Add the record to this existing person (who must have no record yet). Without it, a code
    /// already here is refused: the same code is no proof it is the same person.
    #[arg(long, value_name = "CODE")]
    pub into: Option<String>,
}

pub fn export(fw: Framework, flags: &FrameworkFlags, args: ExportArgs) -> anyhow::Result<ExitCode> {
    crate::serve_cmd::runtime()?.block_on(async {
        let db = args.db.open().await?;
        let fw = in_force(&db, fw, flags).await?;
        let employee = match ladder_store::org::employee_by_code(&db, &args.employee_code).await {
            Err(ladder_store::StoreError::NotFound) => {
                anyhow::bail!("no employee has the code {:?}", args.employee_code)
            }
            other => other?,
        };
        let bytes = match args.format {
            ExportFormat::Ics => calendar::for_employee(&db, &fw, &employee, chrono::Utc::now())
                .await
                .map_err(|e| anyhow::anyhow!(e.with_cause()))?
                .into_bytes(),
            other => {
                let rec = ladder_store::person_record::read(&db, employee.id).await?;
                let format = match other {
                    ExportFormat::Ladder | ExportFormat::Ics => RecordFormat::Ladder,
                    ExportFormat::JsonResume => RecordFormat::JsonResume,
                    ExportFormat::Zip => RecordFormat::Zip,
                };
                record::file(&rec, format, &fw).map_err(|e| anyhow::anyhow!(e.with_cause()))?.0
            }
        };
        match &args.out {
            Some(path) => {
                let mut out =
                    crate::out_file::OutFile::create(path).with_context(|| format!("writing {}", path.display()))?;
                out.write_all(&bytes)?;
                out.commit().with_context(|| format!("writing {}", path.display()))?;
                eprintln!("{}'s {} written to {}", employee.code, what(args.format), path.display());
            }
            None => std::io::stdout().write_all(&bytes)?,
        }
        db.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

fn what(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Ics => "calendar",
        _ => "record",
    }
}

pub fn import(fw: Framework, flags: &FrameworkFlags, args: ImportRecordArgs) -> anyhow::Result<ExitCode> {
    let name = args.file.display().to_string();
    let file = std::fs::File::open(&args.file).with_context(|| format!("opening {name}"))?;
    let mut bytes = Vec::new();
    // One byte over the limit is enough to refuse the file without reading all of it.
    file.take(ladder_core::record::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {name}"))?;
    let rec = ladder_core::record::parse(&bytes).map_err(|p| anyhow::anyhow!("{name}: {p}"))?;
    crate::serve_cmd::runtime()?.block_on(async {
        let db = args.db.open().await?;
        let fw = in_force(&db, fw, flags).await?;
        rec.check_ids(&fw).map_err(|p| anyhow::anyhow!("{name}: {p}; nothing was imported"))?;
        let done = ladder_store::person_record::import(&db, &rec, args.into.as_deref())
            .await
            .with_context(|| format!("{name}: nothing was imported"))?;
        // The imported months are queued for scoring; score them now, under this Ladder's framework.
        let state = AppState::new(db.clone(), fw, Config::default());
        stored_scores::drain(&state, |_| {}).await.map_err(|e| {
            anyhow::anyhow!(
                "{name}: the record was imported; scoring it failed ({}) and stays queued for the server",
                e.with_cause()
            )
        })?;
        println!(
            "{} {} ({}): {} figures, {} log entries, {} check-ins, {} goals",
            if done.created { "created" } else { "matched" },
            rec.person.code,
            rec.person.name,
            rec.figures.len(),
            rec.log.len(),
            rec.checkins.len(),
            rec.goals.len()
        );
        db.close().await;
        Ok(ExitCode::SUCCESS)
    })
}
