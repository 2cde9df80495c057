//! Monthly KRA figures: each person's numerator and denominator for every KRA of the plan in
//! force, a team leader's from the team's sums, the fatal-error gate beside the QA scores, and
//! each month's best and worst KRA (which the check-ins talk about).
//!
//! Each KRA has a personal bias (someone can be quick but less accurate), then the month's form:
//! ability, the trend over the year, new-in-role ramp-up and noise.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use ladder_core::metric::Direction;
use ladder_core::period::Month;
use ladder_core::scoring::KraLine;

use super::calendar::{at, plus_days, workdays};
use super::catalogue::Lob;
use super::org::{Kind, Org, Person};
use super::plans::PlanSpan;
use super::records::Ctx;
use super::rng::Rng;
use super::tables::T_ACTUALS;
use super::writer::{Writer, V};

/// One month's sums of one metric.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Sum {
    num: f64,
    den: f64,
}

/// The monthly figures a team's agents produced (by month index and metric), for their
/// leader's roll-up.
pub(super) type Rollup = HashMap<(usize, Arc<str>), Sum>;

/// A KRA's metric, value and target in one month.
pub(super) type Standing = Option<(Arc<str>, f64, f64)>;

/// Each month's (by index) best KRA, and worst KRA below target.
pub(super) type BestWorst = HashMap<usize, (Standing, Standing)>;

/// How a person is doing in one month, before each KRA's own bias.
struct MonthForm {
    /// The month's stream, shared by its KRAs in plan order.
    rng: Rng,
    /// 0 = on target, +1 = at stretch, −1 = at threshold.
    form: f64,
    bad_attendance: bool,
    /// Fatal errors in the month's audits.
    fatal: f64,
    /// Keyed in by hand rather than imported.
    manual: bool,
    updated_import: DateTime<Utc>,
    updated_manual: DateTime<Utc>,
}

impl MonthForm {
    fn new(seed: u64, p: &Person, mi: usize, m: Month, months: usize, manual: bool) -> MonthForm {
        let n = months as f64;
        let mut rng = Rng::new(seed, "actuals", (p.id as u64) << 8 | mi as u64);
        let role_since = p.spells.iter().rev().find(|s| s.from <= m.last_day()).map_or(p.hire, |s| s.from);
        let months_in_role = (m.ordinal() - Month::of(role_since).ordinal()).max(0) as f64;
        let ramp = (3.0 - months_in_role).max(0.0) * 0.35;
        let form = 0.3 + 0.55 * p.ability + p.slope * (mi as f64 - (n - 1.0) / 2.0) - ramp + rng.normal() * 0.28;
        let bad_attendance = rng.chance(p.absence_risk);
        let fatal = if matches!(p.kind, Kind::Agent | Kind::Senior) && rng.chance(p.fatal_risk) {
            if rng.chance(0.1) {
                2.0
            } else {
                1.0
            }
        } else {
            0.0
        };
        MonthForm {
            rng,
            form,
            bad_attendance,
            fatal,
            manual,
            updated_import: at(plus_days(m.next().first_day(), 1), 2, (p.id % 60) as u32),
            updated_manual: at(plus_days(m.next().first_day(), 4), 10, (p.id % 60) as u32),
        }
    }

    fn source(&self, manual: bool) -> (&'static str, DateTime<Utc>) {
        if manual {
            ("manual", self.updated_manual)
        } else {
            ("import", self.updated_import)
        }
    }
}

/// Writes the person's monthly actuals under the plan in force each month. Agents add their
/// sums to `rollup`; a team leader of `team_size` people takes the team's sums from it.
pub(super) fn write_actuals(
    ctx: &Ctx,
    p: &Person,
    plans: &[PlanSpan],
    rollup: &mut Rollup,
    team_size: usize,
    w: &mut Writer,
) -> BestWorst {
    let (seed, cal) = (ctx.seed, &ctx.cal);
    let lob = p.account.map(|a| ctx.org.accounts[a].lob);
    let scope = scope(ctx.org, p, team_size);
    let mut best_worst = BestWorst::new();
    let mut metric_bias: HashMap<Arc<str>, f64> = HashMap::new();
    let manual_months = {
        let mut r = Rng::new(seed, "manual", p.id as u64);
        (0..cal.months.len()).filter(|_| r.chance(0.03)).collect::<Vec<_>>()
    };
    for (mi, m) in cal.months.iter().enumerate() {
        if p.hire > m.last_day() {
            continue;
        }
        let Some(span) = plans.iter().rev().find(|s| s.from <= m.last_day()) else { continue };
        let mut month = MonthForm::new(seed, p, mi, *m, cal.months.len(), manual_months.contains(&mi));
        let mut month_values: Vec<(Arc<str>, f64, f64, f64)> = Vec::new();
        let mut qa_audits = None;
        for line in &span.plan.kras {
            let metric = &line.metric;
            let bias = *metric_bias
                .entry(metric.clone())
                .or_insert_with(|| Rng::new(seed, &format!("bias/{metric}"), p.id as u64).normal() * 0.35);
            let (num, den, source) = if p.kind == Kind::Leader && rollup.contains_key(&(mi, metric.clone())) {
                let s = rollup[&(mi, metric.clone())];
                (s.num, s.den, "import")
            } else {
                let (num, den) = own_figure(line, bias, &mut month, p, lob, scope, *m);
                let source = if month.manual || &**metric == "coaching-completion" { "manual" } else { "import" };
                (num, den, source)
            };
            let (_, updated) = month.source(source == "manual");
            w.row(
                T_ACTUALS,
                [
                    p.id.into(),
                    m.first_day().into(),
                    metric.clone().into(),
                    num.into(),
                    den.into(),
                    V::Static(source),
                    updated.into(),
                ],
            );
            if matches!(p.kind, Kind::Agent | Kind::Senior) {
                let e = rollup.entry((mi, metric.clone())).or_default();
                e.num += num;
                e.den += den;
            }
            let (value, standing) = standing(line, num, den);
            month_values.push((metric.clone(), value, line.limits.target, standing));
            if &**metric == "qa-score" {
                qa_audits = Some(den / 100.0);
            }
        }
        // Fatal errors are not a weighted KRA but a gate (framework `[[scoring.gate]]`): the QA
        // export carries them next to the audit scores.
        if let (Some(audits), Kind::Agent | Kind::Senior) = (qa_audits, p.kind) {
            let (source, updated) = month.source(month.manual);
            w.row(
                T_ACTUALS,
                [
                    p.id.into(),
                    m.first_day().into(),
                    V::Static("fatal-errors"),
                    month.fatal.into(),
                    audits.round().max(1.0).into(),
                    V::Static(source),
                    updated.into(),
                ],
            );
        }
        best_worst.insert(mi, best_and_worst(&month_values));
    }
    best_worst
}

/// How many people's work a person's figures cover.
fn scope(org: &Org, p: &Person, team_size: usize) -> f64 {
    match p.kind {
        Kind::Ops | Kind::Wfm => p.account.map_or(1.0, |a| org.accounts[a].headcount as f64 * 0.8),
        Kind::Head => org.accounts.iter().filter(|a| a.site == p.site).map(|a| a.headcount as f64).sum::<f64>() * 0.8,
        Kind::Leader => team_size as f64,
        _ => 1.0,
    }
}

/// A person's own numerator and denominator for one KRA in month `m`.
fn own_figure(
    line: &KraLine,
    bias: f64,
    month: &mut MonthForm,
    p: &Person,
    lob: Option<&Lob>,
    scope: f64,
    m: Month,
) -> (f64, f64) {
    let metric = &line.metric;
    let rng = &mut month.rng;
    let den = denominator(metric, p.kind, lob, scope, m, rng, p);
    let num = if &**metric == "fatal-errors" {
        month.fatal
    } else if &**metric == "attendance" && month.bad_attendance {
        den * rng.range(0.8, 0.895)
    } else {
        let v = value_for(line, month.form + bias, rng);
        let mut num = v / line.scale * den;
        if &**metric == "qa-score" && month.fatal > 0.0 {
            // An auto-fail evaluation earns 0 points.
            num = (num - 100.0 * month.fatal).max(0.0);
        }
        num
    };
    let num = if counts(metric) { rng.round(num) } else { (num * 100.0).round() / 100.0 };
    let num = if line.scale == 100.0
        && line.direction != Direction::Band
        && counts(metric)
        && &**metric != "audit-completion"
    {
        num.min(den)
    } else {
        num
    };
    (num, den)
}

/// The KRA's value on its display scale, and how far above (+) or below (−) target it is, in
/// threshold-to-target steps.
fn standing(line: &KraLine, num: f64, den: f64) -> (f64, f64) {
    let value = if line.is_ratio { num / den * line.scale } else { num * line.scale };
    let span_t = (line.limits.target - line.limits.threshold).abs().max(1e-9);
    let standing = match line.direction {
        Direction::Higher => (value - line.limits.target) / span_t,
        Direction::Lower => (line.limits.target - value) / span_t,
        Direction::Band => {
            if value < line.limits.target {
                (value - line.limits.target) / span_t
            } else if value > line.limits.stretch {
                (line.limits.stretch - value) / span_t
            } else {
                0.5
            }
        }
    };
    (value, standing)
}

/// The month's best KRA, and its worst one below target: (metric, value, target, standing).
fn best_and_worst(month_values: &[(Arc<str>, f64, f64, f64)]) -> (Standing, Standing) {
    let best = month_values.iter().max_by(|a, b| a.3.total_cmp(&b.3)).map(|(m, v, t, _)| (m.clone(), *v, *t));
    let worst = month_values
        .iter()
        .filter(|x| x.3 < 0.0)
        .min_by(|a, b| a.3.total_cmp(&b.3))
        .map(|(m, v, t, _)| (m.clone(), *v, *t));
    (best, worst)
}

/// Metrics whose numerator counts things (rounded to whole numbers).
fn counts(metric: &str) -> bool {
    !matches!(
        metric,
        "attendance" | "occupancy" | "shrinkage" | "turnaround-time" | "calibration-variance" | "gross-margin"
    )
}

/// The monthly volume behind a metric (its denominator), for one person.
fn denominator(metric: &str, kind: Kind, lob: Option<&Lob>, scope: f64, m: Month, rng: &mut Rng, p: &Person) -> f64 {
    let days = workdays(m);
    let month_share = days / 21.7;
    let peak = lob.and_then(|l| l.peak.iter().find(|(mm, _)| *mm == m.month)).map_or(1.0, |(_, f)| *f);
    let contacts = lob.map_or(900.0, |l| l.monthly_volume) * month_share * p.volume * peak * rng.range(0.93, 1.07);
    let evals = rng.int(4, 8) as f64;
    let v = match metric {
        "aht" | "fcr" | "transfer-rate" | "escalation-rate" | "conversion-rate" => contacts * scope,
        "csat" | "nps" => (contacts * scope * rng.range(0.06, 0.12)).round().max(3.0),
        "qa-score" => match kind {
            Kind::Trainer => rng.int(15, 30) as f64 * 100.0,
            _ => evals * 100.0 * scope.sqrt(),
        },
        "fatal-errors" => evals,
        "adherence" => (days * 480.0 * p.volume * scope).round(),
        "attendance" | "shrinkage" => (days * 8.0 * p.volume * scope).round(),
        "occupancy" => (days * 7.0 * scope).round(),
        "service-level" | "abandonment-rate" | "forecast-error" => (contacts * scope * 1.08).round(),
        "accuracy" | "error-rate" => rng.int(250, 600) as f64,
        "transactions-per-hour" => (days * 6.5 * p.volume).round(),
        "turnaround-time" | "sla-compliance" => (contacts * scope).round(),
        "backlog" => (days * rng.range(30.0, 80.0) * scope.sqrt()).round(),
        "coaching-completion" => match kind {
            Kind::Leader => (scope * 3.0).round().max(4.0),
            _ => rng.int(16, 30) as f64,
        },
        "attrition" => scope.max(1.0),
        "training-attrition" => rng.int(12, 25) as f64,
        "time-to-proficiency" => rng.int(8, 20) as f64,
        "audit-completion" => days * 8.0,
        "calibration-variance" => rng.int(6, 12) as f64,
        "milestone-on-time" => rng.int(4, 10) as f64,
        "client-satisfaction" => rng.int(3, 8) as f64,
        "gross-margin" => (scope * rng.range(1.3, 1.6) * 1000.0).round(),
        _ => 100.0,
    };
    v.max(1.0).round()
}

/// A value on the metric's display scale for a person whose "form" this month is `s`
/// (0 = on target, +1 = at stretch, −1 = at threshold).
fn value_for(line: &KraLine, s: f64, rng: &mut Rng) -> f64 {
    let l = line.limits;
    let v = match line.direction {
        Direction::Higher | Direction::Lower => {
            l.target
                + s * (l.target - l.threshold)
                    * if s > 0.0 { ((l.stretch - l.target) / (l.target - l.threshold)).abs().max(0.4) } else { 1.0 }
        }
        Direction::Band => {
            (l.target + l.stretch) / 2.0 + rng.normal() * (l.stretch - l.target) * 0.45 - s.min(0.0) * 4.0
        }
    };
    // Shares stop at 100 %, except those whose stretch lies beyond (e.g. audits done ÷ planned).
    let max = match line.scale == 100.0 {
        true if l.stretch > 100.0 => l.stretch * 1.05,
        true => 100.0,
        false => f64::INFINITY,
    };
    let min = if &*line.metric == "nps" { -100.0 } else { 0.0 };
    v.clamp(min, max)
}
