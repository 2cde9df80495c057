//! Scores 1,000,000 employee-months with the default framework's customer-service template.
//! Run: `cargo bench -p ladder-core --bench scoring` (figures in BENCHMARKS.md).

use ladder_core::metric::Sums;
use ladder_core::scoring::{Actuals, KraPlan, MetricIndex, Scorer};
use ladder_core::Framework;

const EMPLOYEE_MONTHS: usize = 1_000_000;

fn main() {
    divan::main();
}

/// Deterministic, varied actuals: every KRA of the template, a few months missing a KRA,
/// and a sprinkling of fatal errors so the gates run too.
fn employee_months(fw: &Framework, plan: &KraPlan, index: &MetricIndex) -> Vec<Actuals> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 10_000) as f64 / 10_000.0
    };
    let fatal = index.position("fatal-errors");
    (0..EMPLOYEE_MONTHS)
        .map(|i| {
            let mut a = index.empty_actuals();
            for (k, kra) in plan.kras.iter().enumerate() {
                if (i + k) % 17 == 0 {
                    continue; // no data this month
                }
                let metric = fw.metric(&kra.metric).unwrap();
                let spread = (kra.limits.stretch - kra.limits.threshold) * 1.4;
                let value = kra.limits.threshold - spread * 0.2 + spread * next();
                let denominator = 200.0 + 400.0 * next();
                let numerator = if metric.denominator.is_some() { value / metric.scale * denominator } else { value };
                a.add(index.position(&kra.metric).unwrap(), Sums::new(numerator, denominator));
            }
            if let Some(f) = fatal {
                a.add(f, Sums::new(if i % 50 == 0 { 1.0 } else { 0.0 }, 0.0));
            }
            a
        })
        .collect()
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn score_one_million_employee_months(bencher: divan::Bencher) {
    let fw = Framework::default_framework();
    let plan = KraPlan::for_role(&fw, "customer-service-executive").unwrap();
    let index = MetricIndex::new(&fw);
    let months = employee_months(&fw, &plan, &index);
    let scorer = Scorer::new(&fw.scoring, &plan, &index);
    bencher.bench_local(|| {
        let mut rated = 0usize;
        for a in &months {
            rated += scorer.score(divan::black_box(a), None).rating.is_some() as usize;
        }
        divan::black_box(rated)
    });
}
