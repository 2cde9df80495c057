//! What moving one KRA would change: the total, the rating and the payout if that KRA's value
//! reached its next milestone (its target, else its stretch), everything else as it is. The
//! agent sees which KRA is worth the effort ("CSAT 82.0 % → 85.0 %: payout 96 % → 104 %").

use std::sync::Arc;

use super::{rated, KraScore, Scorecard, ScoringRules};
use crate::framework::Unit;
use crate::metric::{attainment, Direction};

/// Which limit a what-if moves the KRA to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Milestone {
    Target,
    Stretch,
}

/// One KRA moved, and the month's score before and after.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WhatIf {
    pub metric: Arc<str>,
    pub unit: Unit,
    pub from: f64,
    pub to: f64,
    pub milestone: Milestone,
    pub total_before: f64,
    pub total_after: f64,
    pub rating_before: Option<u8>,
    pub rating_after: Option<u8>,
    pub payout_before: f64,
    pub payout_after: f64,
}

/// The value a KRA would move to next: its target when short of it, else its stretch; `None`
/// at stretch (or, for a band, inside it) or without a value.
pub fn next_milestone(k: &KraScore) -> Option<(f64, Milestone)> {
    let v = k.value?;
    let l = k.limits;
    match k.direction {
        Direction::Higher if v < l.target => Some((l.target, Milestone::Target)),
        Direction::Higher if v < l.stretch => Some((l.stretch, Milestone::Stretch)),
        Direction::Lower if v > l.target => Some((l.target, Milestone::Target)),
        Direction::Lower if v > l.stretch => Some((l.stretch, Milestone::Stretch)),
        Direction::Band if v < l.target => Some((l.target, Milestone::Target)),
        Direction::Band if v > l.stretch => Some((l.stretch, Milestone::Target)),
        _ => None,
    }
}

/// The month re-scored with `metric` at `to`: `None` unless the card is scored and the KRA counts.
pub fn what_if(rules: &ScoringRules, card: &Scorecard, metric: &str, to: f64, milestone: Milestone) -> Option<WhatIf> {
    let total = card.total?;
    let lines: Vec<&KraScore> = card.kras.iter().filter(|k| &*k.metric == metric && k.counted).collect();
    let first = lines.first()?;
    let curve = rules.curve();
    // Each line's points change by its weight × the change in attainment (× its plan's share).
    let delta: f64 = lines
        .iter()
        .map(|k| {
            let now = k.attainment.unwrap_or(0.0);
            let then = attainment(k.direction, k.limits, curve, to).0;
            k.plan_share * k.effective_weight * (then - now) / 100.0
        })
        .sum();
    let total_after = (total + delta).clamp(0.0, rules.stretch_credit);
    // A gate on this very metric stays fired only if the new value still trips it.
    let gates: Vec<_> =
        card.gates.iter().filter(|g| g.metric != metric || still_fires(rules, &g.id, to)).cloned().collect();
    let after = rated(rules, Some(total_after), &gates);
    Some(WhatIf {
        metric: first.metric.clone(),
        unit: first.unit,
        from: first.value?,
        to,
        milestone,
        total_before: total,
        total_after,
        rating_before: card.rating,
        rating_after: after.rating,
        payout_before: card.payout_percent,
        payout_after: after.payout_percent,
    })
}

fn still_fires(rules: &ScoringRules, gate: &str, value: f64) -> bool {
    rules
        .gates
        .iter()
        .find(|g| g.id == gate)
        .is_none_or(|g| g.below.is_some_and(|limit| value < limit) || g.above.is_some_and(|limit| value > limit))
}

/// Each counted KRA moved to its next milestone, one at a time; the biggest payout gain first,
/// then the biggest gain in score.
pub fn next_steps(rules: &ScoringRules, card: &Scorecard) -> Vec<WhatIf> {
    let mut seen: Vec<&str> = Vec::new();
    let mut steps = Vec::new();
    for k in card.kras.iter().filter(|k| k.counted) {
        if seen.contains(&&*k.metric) {
            continue;
        }
        seen.push(&k.metric);
        if let Some((to, milestone)) = next_milestone(k) {
            steps.extend(what_if(rules, card, &k.metric, to, milestone));
        }
    }
    steps.sort_by(|a, b| {
        let gain = |w: &WhatIf| (w.payout_after - w.payout_before, w.total_after - w.total_before);
        let (pa, ta) = gain(a);
        let (pb, tb) = gain(b);
        pb.total_cmp(&pa).then(tb.total_cmp(&ta))
    });
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Framework;
    use crate::metric::Sums;
    use crate::scoring::{KraPlan, MetricIndex, Scorer};

    /// A month of the default framework's customer-service plan: every KRA with data.
    fn month(framework: &Framework, below_target: &str) -> (Scorecard, KraPlan) {
        let plan = KraPlan::for_role(framework, "customer-service-executive").unwrap();
        let index = MetricIndex::new(framework);
        let mut actuals = index.empty_actuals();
        for k in &plan.kras {
            let l = k.limits;
            // Each KRA half-way between target and stretch, but one half-way to its target.
            let v =
                if &*k.metric == below_target { (l.threshold + l.target) / 2.0 } else { (l.target + l.stretch) / 2.0 };
            let m = framework.metric(&k.metric).unwrap();
            let sums = if k.is_ratio { Sums::new(v / m.scale * 1000.0, 1000.0) } else { Sums::new(v / m.scale, 1.0) };
            actuals.add(index.position(&k.metric).unwrap(), sums);
        }
        let card = Scorer::new(&framework.scoring, &plan, &index).score(&actuals, None);
        (card, plan)
    }

    #[test]
    fn moving_a_kra_to_target_matches_scoring_the_month_again() {
        let fw = Framework::default_framework();
        let plan = KraPlan::for_role(&fw, "customer-service-executive").unwrap();
        let low = plan.kras[0].metric.to_string();
        let (card, _) = month(&fw, &low);
        assert!(card.total.is_some(), "the month is scored: {:?}", card.short_of_data);
        let k = card.kras.iter().find(|k| *k.metric == *low).unwrap();
        let (to, milestone) = next_milestone(k).unwrap();
        assert_eq!(milestone, Milestone::Target);
        let w = what_if(&fw.scoring, &card, &low, to, milestone).unwrap();
        // The same month with that KRA at target, scored from scratch.
        let (rescored, _) = month(&fw, "none-below-target");
        let at_target: f64 = rescored.total.unwrap()
            - rescored.kras.iter().find(|k| *k.metric == *low).unwrap().weighted.unwrap()
            + k.effective_weight;
        assert!((w.total_after - at_target).abs() < 1e-6, "{} vs {at_target}", w.total_after);
        assert!(w.total_after > w.total_before);
        assert!(w.payout_after >= w.payout_before);
        assert_eq!(w.payout_before, card.payout_percent);
    }

    #[test]
    fn next_steps_put_the_biggest_payout_gain_first_and_skip_kras_at_stretch() {
        let fw = Framework::default_framework();
        let plan = KraPlan::for_role(&fw, "customer-service-executive").unwrap();
        let low = plan.kras[0].metric.to_string();
        let (card, _) = month(&fw, &low);
        let steps = next_steps(&fw.scoring, &card);
        let short_of_stretch = card.kras.iter().filter(|k| next_milestone(k).is_some()).count();
        assert!(short_of_stretch > 1, "the plan has KRAs to move");
        assert_eq!(steps.len(), short_of_stretch);
        for pair in steps.windows(2) {
            let gain = |w: &WhatIf| w.payout_after - w.payout_before;
            assert!(gain(&pair[0]) >= gain(&pair[1]));
        }
        let at_stretch = KraScore { value: Some(card.kras[0].limits.stretch), ..card.kras[0].clone() };
        assert_eq!(next_milestone(&at_stretch), None);
    }

    #[test]
    fn no_what_if_without_a_score() {
        let fw = Framework::default_framework();
        let (mut card, _) = month(&fw, "x");
        card.total = None;
        assert!(next_steps(&fw.scoring, &card).is_empty());
    }
}
