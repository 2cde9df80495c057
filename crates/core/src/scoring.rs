//! KRA scoring: attainment per KRA, the weighted total, gates, rating bands and the incentive.
//!
//! The rules are data ([`ScoringRules`], versioned, part of the framework file). A KRA with no
//! data in a period is *re-weighted away*: the weights of the KRAs that have data are scaled up to
//! 100, and the scorecard says so (`reweighted`, `missing`). A missing KRA never counts as zero.
//! A KRA under its metric's minimum volume does not count either, and when the KRAs that count
//! carry too little of the weight there is no score at all ([`enough`]: "not enough data").

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use crate::framework::{Framework, KraTemplate, Unit};
use crate::metric::{attainment, gap_to_target, Curve, Direction, Limits, Sums, Zone};

mod enough;
mod explain;
mod what_if;
pub use enough::{number, volume_number, MinVolume, ScoreState, ShortOfData, DEFAULT_MIN_WEIGHT_WITH_DATA};
use enough::{volume_enough, weight_enough};
pub use what_if::{next_steps, what_if, Milestone, WhatIf};

/// The declared scoring rules. Bump `version` whenever a rule changes: every scorecard carries it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScoringRules {
    pub version: String,
    /// Credit (%) a KRA earns exactly at its threshold.
    pub threshold_credit: f64,
    /// Credit (%) a KRA earns at stretch and beyond: the cap.
    pub stretch_credit: f64,
    /// What happens to a KRA with no data in a period.
    pub missing_kra: MissingKra,
    /// A rating needs the KRAs that count to carry at least this share (%) of the plan's weight.
    #[serde(default = "enough::default_min_weight_with_data")]
    pub min_weight_with_data: f64,
    /// The least monthly volume of a metric's denominator for its KRA to count; metrics not
    /// listed count from any volume.
    #[serde(default)]
    pub min_volume: Vec<MinVolume>,
    #[serde(rename = "band")]
    pub bands: Vec<RatingBand>,
    #[serde(default, rename = "gate")]
    pub gates: Vec<Gate>,
    #[serde(default, rename = "incentive")]
    pub incentive: Vec<IncentiveStep>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum MissingKra {
    /// Spread the missing KRA's weight over the KRAs that have data, and say so.
    Reweight,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RatingBand {
    pub rating: u8,
    pub label: String,
    /// The lowest total score (0–`stretch_credit`) that earns this rating.
    pub min_score: f64,
}

/// A rule that overrides the score: a fatal error, or attendance under a floor.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    pub id: String,
    pub description: String,
    pub metric: String,
    /// Fires when the metric's value is strictly below this.
    #[serde(default)]
    pub below: Option<f64>,
    /// Fires when the metric's value is strictly above this.
    #[serde(default)]
    pub above: Option<f64>,
    /// The highest rating allowed when the gate fires.
    #[serde(default)]
    pub cap_rating: Option<u8>,
    /// The incentive is multiplied by this when the gate fires (0 = no incentive).
    #[serde(default)]
    pub incentive_factor: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IncentiveStep {
    pub rating: u8,
    /// Share of the variable pay paid out at this rating, in %.
    pub payout_percent: f64,
}

impl ScoringRules {
    pub fn curve(&self) -> Curve {
        Curve { threshold_credit: self.threshold_credit, stretch_credit: self.stretch_credit }
    }

    /// The band a total score falls in: the one with the highest `min_score` not above it.
    pub fn band_for(&self, score: f64) -> Option<&RatingBand> {
        self.bands.iter().filter(|b| b.min_score <= score).max_by(|a, b| a.min_score.total_cmp(&b.min_score))
    }

    pub fn band(&self, rating: u8) -> Option<&RatingBand> {
        self.bands.iter().find(|b| b.rating == rating)
    }

    pub fn payout_percent(&self, rating: u8) -> f64 {
        self.incentive.iter().find(|s| s.rating == rating).map_or(0.0, |s| s.payout_percent)
    }

    /// The minimum monthly volume declared for a metric, if any.
    pub fn min_volume(&self, metric: &str) -> Option<&MinVolume> {
        self.min_volume.iter().find(|v| v.metric == metric)
    }
}

/// One KRA of a resolved plan: the metric, its weight and its limits.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct KraLine {
    pub metric: Arc<str>,
    pub weight: f64,
    pub direction: Direction,
    pub limits: Limits,
    pub scale: f64,
    pub is_ratio: bool,
    pub unit: Unit,
}

/// The KRAs an employee is measured on for a period.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct KraPlan {
    pub id: Arc<str>,
    pub role: String,
    pub kras: Vec<KraLine>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("unknown role '{0}'")]
    UnknownRole(String),
    #[error("role '{0}' has no KRA template")]
    NoTemplate(String),
    #[error("unknown metric '{0}'")]
    UnknownMetric(String),
    #[error("KRA weights sum to {0}, not 100")]
    Weights(f64),
}

impl KraPlan {
    /// The plan a role's default template gives.
    pub fn for_role(framework: &Framework, role: &str) -> Result<KraPlan, PlanError> {
        let r = framework.role(role).ok_or_else(|| PlanError::UnknownRole(role.to_string()))?;
        if r.kras.is_empty() {
            return Err(PlanError::NoTemplate(role.to_string()));
        }
        Self::from_template(framework, &format!("{role}/default"), role, &r.kras)
    }

    /// A plan from explicit KRA lines; limits left out come from the metric library.
    pub fn from_template(
        framework: &Framework,
        id: &str,
        role: &str,
        template: &[KraTemplate],
    ) -> Result<KraPlan, PlanError> {
        let mut kras = Vec::with_capacity(template.len());
        for t in template {
            let m = framework.metric(&t.metric).ok_or_else(|| PlanError::UnknownMetric(t.metric.clone()))?;
            kras.push(KraLine {
                metric: Arc::from(m.id.as_str()),
                weight: t.weight,
                direction: m.direction,
                limits: Limits {
                    threshold: t.threshold.unwrap_or(m.threshold),
                    target: t.target.unwrap_or(m.target),
                    stretch: t.stretch.unwrap_or(m.stretch),
                },
                scale: m.scale,
                is_ratio: m.denominator.is_some(),
                unit: m.unit,
            });
        }
        let total: f64 = kras.iter().map(|k| k.weight).sum();
        if (total - 100.0).abs() > 1e-6 {
            return Err(PlanError::Weights(total));
        }
        Ok(KraPlan { id: Arc::from(id), role: role.to_string(), kras })
    }
}

/// One employee's actuals for one period, by metric id. Built once per period; the scorer
/// looks metrics up by position, so scoring does no string work.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Actuals {
    values: Vec<Option<Sums>>,
}

/// Positions of metrics in an [`Actuals`]: the framework's metric order.
#[derive(Debug, Clone)]
pub struct MetricIndex {
    ids: Vec<Arc<str>>,
    ratio: Vec<(bool, f64)>,
}

impl MetricIndex {
    pub fn new(framework: &Framework) -> MetricIndex {
        MetricIndex {
            ids: framework.metrics.iter().map(|m| Arc::from(m.id.as_str())).collect(),
            ratio: framework.metrics.iter().map(|m| (m.denominator.is_some(), m.scale)).collect(),
        }
    }
    pub fn position(&self, metric: &str) -> Option<usize> {
        self.ids.iter().position(|m| &**m == metric)
    }
    pub fn id(&self, position: usize) -> &Arc<str> {
        &self.ids[position]
    }
    pub fn len(&self) -> usize {
        self.ids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
    pub fn empty_actuals(&self) -> Actuals {
        Actuals { values: vec![None; self.ids.len()] }
    }
    /// The value of a metric on its display scale, if it has data.
    pub fn value(&self, actuals: &Actuals, position: usize) -> Option<f64> {
        let (is_ratio, scale) = self.ratio[position];
        actuals.values[position].and_then(|s| s.value(is_ratio, scale))
    }
}

impl Actuals {
    /// Adds a row's sums to a metric (ratio of sums: add numerators and denominators).
    pub fn add(&mut self, position: usize, sums: Sums) {
        let slot = &mut self.values[position];
        *slot = Some(slot.unwrap_or_default() + sums);
    }
    pub fn get(&self, position: usize) -> Option<Sums> {
        self.values.get(position).copied().flatten()
    }
    /// Adds every metric of `other` into this one (a roll-up over periods or people).
    pub fn merge(&mut self, other: &Actuals) {
        for (position, sums) in other.values.iter().enumerate() {
            if let Some(s) = sums {
                self.add(position, *s);
            }
        }
    }
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }
}

/// A plan and the rules, resolved against a metric index once, then used for many scorecards.
#[derive(Debug, Clone)]
pub struct Scorer<'a> {
    rules: &'a ScoringRules,
    rules_version: Arc<str>,
    plan: &'a KraPlan,
    kra_positions: Vec<Option<usize>>,
    gate_positions: Vec<Option<usize>>,
    /// Each KRA's minimum monthly volume and what it counts.
    volumes: Vec<Option<(f64, Arc<str>)>>,
    index: &'a MetricIndex,
    labels: Labels,
}

/// Rating labels shared by every scorecard instead of copied into each.
#[derive(Debug, Clone)]
struct Labels(Vec<(u8, Arc<str>)>);

impl Labels {
    fn of(rules: &ScoringRules) -> Labels {
        Labels(rules.bands.iter().map(|b| (b.rating, Arc::from(b.label.as_str()))).collect())
    }
    fn get(&self, rating: u8) -> Option<Arc<str>> {
        self.0.iter().find(|(r, _)| *r == rating).map(|(_, l)| l.clone())
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KraScore {
    pub metric: Arc<str>,
    /// The plan this line came from (differs between lines only after a mid-period move).
    pub plan: Arc<str>,
    /// The plan's share of the period (1 unless the employee changed plan mid-period).
    pub plan_share: f64,
    pub weight: f64,
    /// The weight after re-weighting away KRAs that do not count (0 for those).
    pub effective_weight: f64,
    pub direction: Direction,
    pub limits: Limits,
    pub unit: Unit,
    /// The aggregated value (ratio of sums) on the metric's display scale.
    pub value: Option<f64>,
    /// The sum of the metric's denominator (contacts, surveys…); `None` for a plain sum.
    pub volume: Option<f64>,
    /// The least volume this KRA needed to count over the period, if the metric has a minimum.
    pub min_volume: Option<f64>,
    /// Whether the KRA counts towards the score: it has a value and enough volume.
    pub counted: bool,
    pub attainment: Option<f64>,
    pub zone: Option<Zone>,
    /// Points contributed to the total: effective weight × attainment ÷ 100 × plan share.
    pub weighted: Option<f64>,
    /// Points lost against 100 % attainment; what pulled the score down.
    pub points_lost: f64,
    /// How far the value is from target, in the metric's unit (0 when met).
    pub gap_to_target: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GateFired {
    pub id: String,
    pub description: String,
    pub metric: String,
    pub value: f64,
    pub cap_rating: Option<u8>,
    pub incentive_factor: Option<f64>,
}

/// The result of scoring one employee for one period, with everything needed to explain it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Scorecard {
    pub rules_version: Arc<str>,
    /// `scored`, or `not-enough-data` (then there is no total, rating or incentive).
    pub state: ScoreState,
    /// Why there is too little data: KRAs under their minimum volume, and the weight carried
    /// by the KRAs that count when it is under the minimum.
    pub short_of_data: Vec<ShortOfData>,
    /// The share (%) of the plan's weight carried by the KRAs that count.
    pub weight_with_data: f64,
    pub kras: Vec<KraScore>,
    /// Weighted score (0 to the stretch cap); `None` when there is not enough data.
    pub total: Option<f64>,
    /// The rating after gates; `None` when there is no total.
    pub rating: Option<u8>,
    pub rating_label: Option<Arc<str>>,
    /// The rating the total alone would have earned.
    pub rating_before_gates: Option<u8>,
    pub gates: Vec<GateFired>,
    pub payout_percent: f64,
    pub bonus: Option<Decimal>,
    /// True when some KRA did not count and its weight was spread over the others.
    pub reweighted: bool,
    /// KRAs with no data at all.
    pub missing: Vec<Arc<str>>,
    /// The KRA that cost the most points, if any fell short of 100 %.
    pub pulled_down_by: Option<Arc<str>>,
}

impl<'a> Scorer<'a> {
    pub fn new(rules: &'a ScoringRules, plan: &'a KraPlan, index: &'a MetricIndex) -> Scorer<'a> {
        Scorer {
            rules,
            rules_version: Arc::from(rules.version.as_str()),
            plan,
            kra_positions: plan.kras.iter().map(|k| index.position(&k.metric)).collect(),
            gate_positions: rules.gates.iter().map(|g| index.position(&g.metric)).collect(),
            volumes: plan
                .kras
                .iter()
                .map(|k| rules.min_volume(&k.metric).map(|v| (v.min, Arc::from(v.unit.as_str()))))
                .collect(),
            index,
            labels: Labels::of(rules),
        }
    }

    /// Scores one month's actuals under this plan.
    ///
    /// ```
    /// use ladder_core::framework::Framework;
    /// use ladder_core::metric::Sums;
    /// use ladder_core::scoring::{KraPlan, MetricIndex, ScoreState, Scorer};
    /// let fw = Framework::default_framework();
    /// let plan = KraPlan::for_role(&fw, "customer-service-executive").unwrap();
    /// let index = MetricIndex::new(&fw);
    /// let mut actuals = index.empty_actuals();
    /// actuals.add(index.position("fcr").unwrap(), Sums::new(75.0, 100.0));
    /// let card = Scorer::new(&fw.scoring, &plan, &index).score(&actuals, None);
    /// // FCR beats its target, but one KRA carries too little of the weight to rate the month.
    /// assert_eq!(card.state, ScoreState::NotEnoughData);
    /// assert_eq!((card.total, card.rating), (None, None));
    /// ```
    pub fn score(&self, actuals: &Actuals, variable_pay: Option<Decimal>) -> Scorecard {
        self.score_over(actuals, variable_pay, 1)
    }

    /// Scores the summed actuals of `months` months: each metric's minimum volume is per month,
    /// so over several months it is that many times the monthly minimum.
    pub fn score_over(&self, actuals: &Actuals, variable_pay: Option<Decimal>, months: u32) -> Scorecard {
        let curve = self.rules.curve();
        let months = months.max(1);
        // Two passes over the plan instead of collecting values: scoring millions of months
        // should not allocate more than the scorecard itself.
        let look = |i: usize| {
            let (kra, position) = (&self.plan.kras[i], self.kra_positions[i]);
            let value = position.and_then(|p| self.index.value(actuals, p));
            let volume = if kra.is_ratio { position.and_then(|p| actuals.get(p)).map(|s| s.denominator) } else { None };
            let needed = self.volumes[i].as_ref().map(|(min, _)| min * f64::from(months));
            let counted = value.is_some() && needed.is_none_or(|n| volume.is_some_and(|v| volume_enough(v, n)));
            (value, volume, needed, counted)
        };
        let plan_weight: f64 = self.plan.kras.iter().map(|k| k.weight).sum();
        let weight_with_data: f64 =
            (0..self.plan.kras.len()).filter(|&i| look(i).3).map(|i| self.plan.kras[i].weight).sum();
        let scale_up = if weight_with_data > 0.0 { 100.0 / weight_with_data } else { 0.0 };

        let mut kras = Vec::with_capacity(self.plan.kras.len());
        let mut missing = Vec::new();
        let mut short = Vec::new();
        let mut total = 0.0;
        for (i, kra) in self.plan.kras.iter().enumerate() {
            let (value, volume, needed, counted) = look(i);
            let scored = value.filter(|_| counted).map(|v| {
                let (a, zone) = attainment(kra.direction, kra.limits, curve, v);
                (a, zone, gap_to_target(kra.direction, kra.limits, v))
            });
            let effective_weight = if counted { kra.weight * scale_up } else { 0.0 };
            let weighted = scored.map(|(a, ..)| effective_weight * a / 100.0);
            total += weighted.unwrap_or(0.0);
            match (value, counted, &self.volumes[i]) {
                (None, ..) => missing.push(kra.metric.clone()),
                (Some(_), false, Some((_, unit))) => short.push(ShortOfData::Volume {
                    metric: kra.metric.clone(),
                    volume: volume.unwrap_or(0.0),
                    needed: needed.unwrap_or(0.0),
                    unit: unit.clone(),
                    months,
                }),
                _ => {}
            }
            kras.push(KraScore {
                metric: kra.metric.clone(),
                plan: self.plan.id.clone(),
                plan_share: 1.0,
                weight: kra.weight,
                effective_weight,
                direction: kra.direction,
                limits: kra.limits,
                unit: kra.unit,
                value,
                volume,
                min_volume: needed,
                counted,
                attainment: scored.map(|s| s.0),
                zone: scored.map(|s| s.1),
                weighted,
                points_lost: scored.map_or(0.0, |(a, ..)| effective_weight * (100.0 - a).max(0.0) / 100.0),
                gap_to_target: scored.map(|s| s.2),
            });
        }
        let parts = Parts {
            kras,
            total: (weight_with_data > 0.0).then_some(total),
            weight_with_data: if plan_weight > 0.0 { weight_with_data / plan_weight * 100.0 } else { 0.0 },
            gates: self.fired_gates(actuals),
            missing,
            short,
        };
        finish(self.rules, &self.labels, self.rules_version.clone(), parts, variable_pay)
    }

    fn fired_gates(&self, actuals: &Actuals) -> Vec<GateFired> {
        let mut fired = Vec::new();
        for (gate, position) in self.rules.gates.iter().zip(&self.gate_positions) {
            let Some(value) = position.and_then(|p| self.index.value(actuals, p)) else { continue };
            let below = gate.below.is_some_and(|limit| value < limit);
            let above = gate.above.is_some_and(|limit| value > limit);
            if below || above {
                fired.push(GateFired {
                    id: gate.id.clone(),
                    description: gate.description.clone(),
                    metric: gate.metric.clone(),
                    value,
                    cap_rating: gate.cap_rating,
                    incentive_factor: gate.incentive_factor,
                });
            }
        }
        fired
    }
}

/// Combines the scorecards of the plans an employee had during one period (after a move of
/// account or role), each counting for its share of the period (e.g. days under it). The rule on
/// enough data holds for the whole: the weight with data is the parts' weight with data, each
/// counted by its share, so a part too thin to rate alone still adds its KRAs' points.
pub fn combine(rules: &ScoringRules, parts: Vec<(f64, Scorecard)>, variable_pay: Option<Decimal>) -> Option<Scorecard> {
    // Each part's total before the rule on enough data: the points of the KRAs that count.
    let part_total = |c: &Scorecard| c.kras.iter().filter_map(|k| k.weighted).reduce(|a, b| a + b);
    let all_shares: f64 = parts.iter().map(|(s, _)| s).sum();
    let share_with_data: f64 = parts.iter().filter(|(_, c)| part_total(c).is_some()).map(|(s, _)| s).sum();
    let weight_with_data = if all_shares > 0.0 {
        parts.iter().map(|(s, c)| s * c.weight_with_data).sum::<f64>() / all_shares
    } else {
        0.0
    };
    let mut total = 0.0;
    let mut kras = Vec::new();
    let mut gates: Vec<GateFired> = Vec::new();
    let mut missing = Vec::new();
    let mut short: Vec<ShortOfData> = Vec::new();
    let version = parts.first()?.1.rules_version.clone();
    for (share, card) in parts {
        let part = part_total(&card);
        let weight = if part.is_some() && share_with_data > 0.0 { share / share_with_data } else { 0.0 };
        total += part.unwrap_or(0.0) * weight;
        for mut k in card.kras {
            k.plan_share = weight;
            k.weighted = k.weighted.map(|w| w * weight);
            k.points_lost *= weight;
            kras.push(k);
        }
        for g in card.gates {
            if !gates.iter().any(|f| f.id == g.id) {
                gates.push(g);
            }
        }
        missing.extend(card.missing);
        for reason in card.short_of_data {
            // The weight is judged again for the whole; a thin metric is named once.
            if matches!(reason, ShortOfData::Volume { .. }) && !short.contains(&reason) {
                short.push(reason);
            }
        }
    }
    let total = (share_with_data > 0.0).then_some(total);
    let parts = Parts { kras, total, weight_with_data, gates, missing, short };
    Some(finish(rules, &Labels::of(rules), version, parts, variable_pay))
}

/// What a scorecard is made of before the rules on enough data, bands, gates and pay.
struct Parts {
    kras: Vec<KraScore>,
    /// The weighted total of the KRAs that count; `None` when none counts.
    total: Option<f64>,
    weight_with_data: f64,
    gates: Vec<GateFired>,
    missing: Vec<Arc<str>>,
    short: Vec<ShortOfData>,
}

/// A total's rating before and after the gates, and the payout (%) it earns.
struct Rated {
    before_gates: Option<u8>,
    rating: Option<u8>,
    payout_percent: f64,
}

fn rated(rules: &ScoringRules, total: Option<f64>, gates: &[GateFired]) -> Rated {
    let before_gates = total.and_then(|t| rules.band_for(t)).map(|b| b.rating);
    let cap = gates.iter().filter_map(|g| g.cap_rating).min();
    let rating = match (before_gates, cap) {
        (Some(r), Some(c)) => Some(r.min(c)),
        (r, _) => r,
    };
    let factor: f64 = gates.iter().filter_map(|g| g.incentive_factor).product();
    let payout_percent = rating.map_or(0.0, |r| rules.payout_percent(r) * factor);
    Rated { before_gates, rating, payout_percent }
}

fn finish(
    rules: &ScoringRules,
    labels: &Labels,
    rules_version: Arc<str>,
    parts: Parts,
    variable_pay: Option<Decimal>,
) -> Scorecard {
    let Parts { kras, total, weight_with_data, gates, missing, mut short } = parts;
    let enough = total.is_some() && weight_enough(weight_with_data, rules.min_weight_with_data);
    if !enough {
        short.push(ShortOfData::Weight { percent: weight_with_data, needed: rules.min_weight_with_data });
    }
    let total = total.filter(|_| enough);
    let Rated { before_gates: rating_before_gates, rating, payout_percent } = rated(rules, total, &gates);
    // No incentive estimate from too little data: not even a zero.
    let bonus = variable_pay.filter(|_| enough).map(|pay| {
        let pct = Decimal::from_f64(payout_percent).unwrap_or_default();
        let mut bonus = (pay * pct / Decimal::ONE_HUNDRED).round_dp(2);
        bonus.rescale(2);
        bonus
    });
    let pulled_down_by = kras
        .iter()
        .filter(|k| k.points_lost > 0.0)
        .max_by(|a, b| a.points_lost.total_cmp(&b.points_lost))
        .map(|k| k.metric.clone());
    Scorecard {
        rules_version,
        state: if enough { ScoreState::Scored } else { ScoreState::NotEnoughData },
        weight_with_data,
        reweighted: enough && kras.iter().any(|k| !k.counted),
        short_of_data: short,
        kras,
        total,
        rating,
        rating_label: rating.and_then(|r| labels.get(r)),
        rating_before_gates,
        gates,
        payout_percent,
        bonus,
        missing,
        pulled_down_by,
    }
}
