//! `ladder wellbeing --all [--from DATE --to DATE] [--json]`: every flag of every person's
//! stored schedule, counted by kind and severity — the organisation-wide pass (and what
//! `scripts/bench-shifts` times after an import). Each person is assessed by the same `assess`
//! as `--employee`, over the same local days in their site's zone.

use std::collections::HashMap;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use ladder_core::wellbeing::zone::{local_to_utc, parse_zone, utc_to_local, Tz};
use ladder_core::wellbeing::{assess, Assessment, FlagKind, Severity, Shift, WellbeingRules};
use ladder_core::EmployeeId;
use ladder_store::wellbeing::{self as store, Lean, Record};
use serde::Serialize;

/// Every kind, in the order the report lists them.
const KINDS: [FlagKind; 6] = [
    FlagKind::WeeklyHours,
    FlagKind::ConsecutiveNights,
    FlagKind::ShortRest,
    FlagKind::NoWeeklyRest,
    FlagKind::LongShift,
    FlagKind::LongNightShift,
];

/// The flags of one kind across everyone.
#[derive(Debug, Default, Clone, Copy, Serialize)]
struct KindCount {
    kind: Option<FlagKind>,
    warning: u64,
    high: u64,
    /// People with at least one flag of this kind.
    people: u64,
}

#[derive(Debug, Serialize)]
pub(super) struct Everyone {
    from: NaiveDate,
    to: NaiveDate,
    /// People with at least one shift in the span.
    people: u64,
    shifts: u64,
    /// Weeks (ISO, site time) in which someone worked: one per person and week.
    person_weeks: u64,
    hours: f64,
    people_flagged: u64,
    flags: Vec<KindCount>,
}

pub(super) fn run(db: &super::DatabaseArgs, from: NaiveDate, to: NaiveDate, json: bool) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Runtime::new()?;
    let found = rt.block_on(async {
        let db = db.open().await?;
        let found = read(&db, from, to).await;
        db.close().await;
        found
    })?;
    if json {
        crate::print_json(&found)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "Stored schedules {} to {}: {} people, {} shifts, {} person-weeks, {:.1} h scheduled; {} people with a flag",
        found.from, found.to, found.people, found.shifts, found.person_weeks, found.hours, found.people_flagged
    );
    for k in &found.flags {
        let name = serde_json::to_value(k.kind)?;
        let name = name.as_str().unwrap_or_default();
        println!(
            "  {name}: {} flags ({} warning, {} high), {} people",
            k.warning + k.high,
            k.warning,
            k.high,
            k.people
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn read(db: &ladder_store::Db, from: NaiveDate, to: NaiveDate) -> anyhow::Result<Everyone> {
    let people = store::people(db).await?;
    let zones: HashMap<EmployeeId, (&str, &str)> =
        people.iter().map(|p| (p.id, (p.code.as_str(), p.time_zone.as_str()))).collect();
    // Wide enough for every zone (offsets are within ±14 h); each person is cut to their own days.
    let wide = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let rows =
        store::of_everyone(db, Record::Scheduled, wide(from - TimeDelta::days(1)), wide(to + TimeDelta::days(2)))
            .await?;
    let mut out = Everyone {
        from,
        to,
        people: 0,
        shifts: 0,
        person_weeks: 0,
        hours: 0.0,
        people_flagged: 0,
        flags: KINDS.iter().map(|&k| KindCount { kind: Some(k), ..KindCount::default() }).collect(),
    };
    let rules = WellbeingRules::default();
    let mut local: Vec<Shift> = Vec::new();
    for person in rows.chunk_by(|a, b| a.0 == b.0) {
        let id = person[0].0;
        let (code, zone) = zones.get(&id).copied().unwrap_or(("?", "UTC"));
        let tz = parse_zone(zone).map_err(anyhow::Error::msg)?;
        local.clear();
        local.extend(in_days(person, tz, from, to));
        if local.is_empty() {
            continue;
        }
        let a = assess(&local, &rules).with_context(|| format!("employee {code}'s stored shifts"))?;
        out.add(&a, local.len());
    }
    Ok(out)
}

/// A person's shifts overlapping their local days `from..=to`, in local time.
fn in_days(person: &[Lean], tz: Tz, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = Shift> + '_ {
    let edge = |d: NaiveDate| local_to_utc(d.and_hms_opt(0, 0, 0).expect("midnight"), tz).0;
    let (start, end): (DateTime<Utc>, DateTime<Utc>) = (edge(from), edge(to + TimeDelta::days(1)));
    person
        .iter()
        .filter(move |s| s.1 < end && s.2 > start)
        .map(move |s| Shift { start: utc_to_local(s.1, tz), end: utc_to_local(s.2, tz) })
}

impl Everyone {
    fn add(&mut self, a: &Assessment, shifts: usize) {
        self.people += 1;
        self.shifts += shifts as u64;
        self.person_weeks += a.weeks.len() as u64;
        self.hours += a.total_hours;
        self.people_flagged += u64::from(!a.flags.is_empty());
        for count in &mut self.flags {
            let mut any = false;
            for f in a.flags.iter().filter(|f| Some(f.kind) == count.kind) {
                any = true;
                match f.severity {
                    Severity::High => count.high += 1,
                    _ => count.warning += 1,
                }
            }
            count.people += u64::from(any);
        }
    }
}
