//! `ladder jobs bench`: the job search's time over the stored postings, as the API runs it
//! (one page of 50 and the count under the same filters), for BENCHMARKS.md.

use std::process::ExitCode;
use std::time::Instant;

use chrono::Utc;
use ladder_store::postings::{self as store, Filters};

use crate::db_arg::DatabaseArgs;

/// The searches timed: what people filter on most.
fn searches() -> Vec<(&'static str, Filters)> {
    let open = Filters { open_on: Some(Utc::now().date_naive()), ..Filters::default() };
    let with = |f: Filters| Filters { open_on: open.open_on, ..f };
    vec![
        ("open postings, no filter", open.clone()),
        ("remote", with(Filters { arrangement: Some("remote".into()), ..Filters::default() })),
        (
            "night shift with night differential",
            with(Filters { shift: Some("night".into()), night_differential: true, ..Filters::default() }),
        ),
        (
            "pay at least PHP 25,000",
            with(Filters { pay_at_least: Some((2_500_000, "PHP".into())), ..Filters::default() }),
        ),
        (
            "signing bonus, non-voice, no degree",
            with(Filters {
                signing_bonus: true,
                channel: Some("non-voice".into()),
                degree: Some(false),
                ..Filters::default()
            }),
        ),
        ("company contains 'harbor'", with(Filters { company: Some("harbor".into()), ..Filters::default() })),
        (
            "location contains 'cebu', no experience",
            with(Filters { location: Some("cebu".into()), experience_at_most: Some(0), ..Filters::default() }),
        ),
        ("role team-leader", with(Filters { role: Some("team-leader".into()), ..Filters::default() })),
    ]
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

pub async fn run(db: DatabaseArgs, runs: usize) -> anyhow::Result<ExitCode> {
    let db = db.open().await?;
    let total = store::count(&db, &Filters::default()).await?;
    println!("{total} postings stored; {runs} runs of each search (page of 50 + count).");
    let mut all = Vec::new();
    println!("| search | matches | median ms | p95 ms |");
    println!("|---|---|---|---|");
    for (name, f) in searches() {
        let mut times = Vec::with_capacity(runs);
        let mut matches = 0;
        for i in 0..=runs {
            let started = Instant::now();
            let page = store::search(&db, &f, None, 51).await?;
            matches = store::count(&db, &f).await?;
            std::hint::black_box(page);
            if i > 0 {
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
        times.sort_by(f64::total_cmp);
        println!("| {name} | {matches} | {:.1} | {:.1} |", percentile(&times, 0.5), percentile(&times, 0.95));
        all.extend(times);
    }
    all.sort_by(f64::total_cmp);
    println!("All searches: median {:.1} ms, p95 {:.1} ms.", percentile(&all, 0.5), percentile(&all, 0.95));
    db.close().await;
    Ok(ExitCode::SUCCESS)
}
