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
    let amount = pay.map(|(_, cur)| c.bonus.map_or_else(|| "—".into(), |b| money(b, cur)));
    let steps = bands
        .iter()
        .map(|b| {
            let headline = (c.rating == Some(b.rating)).then(|| (c.payout_percent, amount.clone()));
            step(&b.label, b.min_score, rules.payout_percent(b.rating), headline, &share)
        })
        .collect();
    Some(BonusView {
        payout: percent(c.payout_percent),
        amount,
        ytd_payout: ytd.map_or_else(|| "—".into(), |y| percent(y.payout_percent)),
        ytd_amount: pay.and(ytd).and_then(|y| y.bonus).zip(pay).map(|(b, (_, cur))| money(b, cur)),
        pay: pay.map(|(p, cur)| money(*p, cur)),
        steps,
        moves: moves(framework, c),
        gates: c.gates.iter().map(|g| crate::service::score_state::gate_words(rules, g)).collect(),
    })
}

/// One rating's row. `headline` (this month's payout and amount, after the gates' factor) marks
/// the current row and is shown there, so that row matches the headline.
fn step(
    label: &str,
    min_score: f64,
    payout: f64,
    headline: Option<(f64, Option<String>)>,
    share: &dyn Fn(f64) -> Option<String>,
) -> PayoutStep {
    let (shown, amount, current) = match headline {
        Some((gated, amount)) if (gated - payout).abs() > 1e-9 => {
            (format!("{} (after this month's gates)", percent(gated)), amount, true)
        }
        Some((_, amount)) => (percent(payout), amount, true),
        None => (percent(payout), share(payout), false),
    };
    PayoutStep {
        label: label.to_string(),
        from_score: number(min_score),
        payout: shown,
        amount: amount.unwrap_or_default(),
        current,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_row_shows_the_headline_after_the_gates() {
        let share = |p: f64| Some(format!("{} PHP", p * 35.0));
        // "Meets" pays 100 %, but a gate halved this month's payout to 50 % (1,750 PHP).
        let row = step("Meets", 100.0, 100.0, Some((50.0, Some("1,750 PHP".into()))), &share);
        assert!(row.current);
        assert_eq!(row.payout, format!("{} (after this month's gates)", percent(50.0)));
        assert_eq!(row.amount, "1,750 PHP");
        let ungated = step("Meets", 100.0, 100.0, Some((100.0, Some("3,500 PHP".into()))), &share);
        assert_eq!((ungated.payout, ungated.amount), (percent(100.0), "3,500 PHP".to_string()));
        let other = step("Exceeds", 110.0, 120.0, None, &share);
        assert_eq!((other.payout, other.amount, other.current), (percent(120.0), "4200 PHP".to_string(), false));
    }
}
