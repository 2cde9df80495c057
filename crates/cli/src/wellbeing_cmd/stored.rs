//! `ladder wellbeing --employee CODE [--from DATE --to DATE]`: the flags of a person's stored
//! schedule, in the site's local time (the same `assess` the file path and the pages use).

use std::process::ExitCode;

use anyhow::Context;
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use ladder_core::wellbeing::zone::{local_to_utc, parse_zone, utc_to_local};
use ladder_core::wellbeing::{assess, Assessment, Shift, WellbeingRules};
use ladder_store::wellbeing::{self as store, Record};
use serde::Serialize;

use super::WellbeingArgs;

#[derive(Serialize)]
struct StoredWellbeing {
    employee: String,
    time_zone: String,
    from: NaiveDate,
    to: NaiveDate,
    /// Local start of each shift, in the order the flags' shift indices refer to.
    starts: Vec<NaiveDateTime>,
    assessment: Assessment,
}

pub(super) fn run(args: WellbeingArgs) -> anyhow::Result<ExitCode> {
    let code = args.employee.as_deref().context("--employee or --shifts is needed")?.trim().to_string();
    let (from, to) = super::stored_days(&args)?;
    let rt = tokio::runtime::Runtime::new()?;
    let found = rt.block_on(async {
        let db = args.db.open().await?;
        let found = read(&db, &code, from, to).await;
        db.close().await;
        found
    })?;
    if args.json {
        crate::print_json(&found)?;
    } else {
        println!("{} ({}), {} to {}", found.employee, found.time_zone, found.from, found.to);
        super::print_assessment(&found.employee, &found.assessment, |i| {
            format!("shift of {}", found.starts[i].format("%Y-%m-%d %H:%M"))
        });
    }
    Ok(ExitCode::SUCCESS)
}

async fn read(db: &ladder_store::Db, code: &str, from: NaiveDate, to: NaiveDate) -> anyhow::Result<StoredWellbeing> {
    let people = store::people(db).await?;
    let person = people
        .iter()
        .find(|p| p.code.eq_ignore_ascii_case(code))
        .with_context(|| format!("--employee {code}: no such employee code"))?;
    let tz = parse_zone(&person.time_zone).map_err(anyhow::Error::msg)?;
    let edge = |d: NaiveDate| local_to_utc(d.and_hms_opt(0, 0, 0).expect("midnight"), tz).0;
    let stored =
        store::of_employee(db, person.id, Record::Scheduled, edge(from), edge(to + TimeDelta::days(1))).await?;
    let local: Vec<Shift> = stored
        .iter()
        .map(|s| Shift { start: utc_to_local(s.starts_at, tz), end: utc_to_local(s.ends_at, tz) })
        .collect();
    let assessment = assess(&local, &WellbeingRules::default()).map_err(|e| anyhow::anyhow!("stored shifts: {e}"))?;
    Ok(StoredWellbeing {
        employee: person.code.clone(),
        time_zone: tz.name().into(),
        from,
        to,
        starts: local.iter().map(|s| s.start).collect(),
        assessment,
    })
}
