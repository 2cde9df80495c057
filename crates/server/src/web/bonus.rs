//! The bonus estimate as the KRA page and home show it: this month's payout and amount, the
//! year to date, the payout at each rating, and what moving one KRA would change (core's
//! [`ladder_core::scoring::next_steps`]).

use ladder_core::framework::Framework;
use ladder_core::scoring::{next_steps, number, Milestone, Scorecard};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::format;
use crate::service::scorecards::EmployeeScorecard;

/// One rating's payout: the band, the score it starts at, the payout and (with a variable pay)
/// the amount.
pub struct PayoutStep {
    pub label: String,
    pub from_score: String,
    pub payout: String,
    pub amount: String,
    pub current: bool,
}

pub struct BonusView {
    pub payout: String,
    /// The month's amount, e.g. "3,360 PHP"; `None` without a variable pay on the plan.
    pub amount: Option<String>,
    pub ytd_payout: String,
    pub ytd_amount: Option<String>,
    /// The monthly variable pay at 100 %, e.g. "3,500 PHP".
    pub pay: Option<String>,
    pub steps: Vec<PayoutStep>,
    /// "CSAT 82 % → 85 % (its target): score 96.4 → 101.2, payout 96 % → 104 %".
    pub moves: Vec<String>,
    /// Gates that cut the rating or the payout this month, in words.
    pub gates: Vec<String>,
}

/// The estimate for a scored month; `None` when the month has no score (no plan, or not enough
/// data: no estimate then, not even a zero).
pub fn view(framework: &Framework, card: &EmployeeScorecard, pay: Option<&(Decimal, String)>) -> Option<BonusView> {
    let c = card.scorecard.as_ref().filter(|c| c.total.is_some())?;
    let rules = &framework.scoring;
    let money = |d: Decimal, currency: &str| format!("{} {currency}", format::amount(d.to_f64().unwrap_or(0.0)));
    let share = |percent: f64| {
        pay.map(|(p, cur)| {
            money(*p * Decimal::from_f64_retain(percent).unwrap_or_default() / Decimal::ONE_HUNDRED, cur)
        })
    };
    let ytd = card.year_to_date.as_ref().filter(|y| y.total.is_some());
    let mut bands: Vec<_> = rules.bands.iter().collect();
    bands.sort_by(|a, b| a.min_score.total_cmp(&b.min_score));
    let steps = bands
        .iter()
        .map(|b| {
            let payout = rules.payout_percent(b.rating);
            PayoutStep {
                label: b.label.clone(),
                from_score: number(b.min_score),
                payout: percent(payout),
                amount: share(payout).unwrap_or_default(),
                current: c.rating == Some(b.rating),
            }
        })
        .collect();
    Some(BonusView {
        payout: percent(c.payout_percent),
        amount: pay.map(|(_, cur)| c.bonus.map_or_else(|| "—".into(), |b| money(b, cur))),
        ytd_payout: ytd.map_or_else(|| "—".into(), |y| percent(y.payout_percent)),
        ytd_amount: pay.and(ytd).and_then(|y| y.bonus).zip(pay).map(|(b, (_, cur))| money(b, cur)),
        pay: pay.map(|(p, cur)| money(*p, cur)),
        steps,
        moves: moves(framework, c),
        gates: c
            .gates
            .iter()
            .map(|g| {
                let mut effect = Vec::new();
                if let Some(r) = g.cap_rating {
                    effect.push(format!(
                        "rating capped at {}",
                        rules.band(r).map_or_else(|| r.to_string(), |b| b.label.clone())
                    ));
                }
                if let Some(f) = g.incentive_factor {
                    effect.push(format!("payout × {}", number(f)));
                }
                format!("{}: {}", g.description, effect.join(", "))
            })
            .collect(),
    })
}

/// What moving each KRA to its next milestone would change, the biggest payout gain first.
fn moves(framework: &Framework, card: &Scorecard) -> Vec<String> {
    next_steps(&framework.scoring, card)
        .iter()
        .map(|w| {
            let name = framework.metric(&w.metric).map_or_else(|| w.metric.to_string(), |m| m.name.clone());
            let milestone = match w.milestone {
                Milestone::Target => "its target",
                Milestone::Stretch => "its stretch",
            };
            let payout = if (w.payout_after - w.payout_before).abs() < 1e-9 {
                format!("payout stays {}", percent(w.payout_before))
            } else {
                format!("payout {} → {}", percent(w.payout_before), percent(w.payout_after))
            };
            format!(
                "{name} {} → {} ({milestone}): score {:.1} → {:.1}, {payout}",
                w.unit.show(w.from),
                w.unit.show(w.to),
                w.total_before,
                w.total_after
            )
        })
        .collect()
}

fn percent(v: f64) -> String {
    format!("{} %", number(v))
}
