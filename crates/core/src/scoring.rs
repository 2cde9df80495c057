//! KRA scoring: attainment per KRA, the weighted total, gates, rating bands and the incentive.
//!
//! The rules are data ([`ScoringRules`], versioned, part of the framework file). A KRA with no
//! data in a period is *re-weighted away*: the weights of the KRAs that have data are scaled up to
//! 100, and the scorecard says so (`reweighted`, `missing`). A missing KRA never counts as zero.

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use crate::framework::{Framework, KraTemplate};
use crate::metric::{attainment, gap_to_target, Curve, Direction, Limits, Sums, Zone};

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
    /// The weight after re-weighting away KRAs with no data (0 for a missing KRA).
    pub effective_weight: f64,
    pub direction: Direction,
    pub limits: Limits,
    /// The aggregated value (ratio of sums) on the metric's display scale.
    pub value: Option<f64>,
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
    pub kras: Vec<KraScore>,
    /// Weighted score (0 to the stretch cap); `None` when no KRA had data.
    pub total: Option<f64>,
    /// The rating after gates; `None` when there is no total.
    pub rating: Option<u8>,
    pub rating_label: Option<Arc<str>>,
    /// The rating the total alone would have earned.
    pub rating_before_gates: Option<u8>,
    pub gates: Vec<GateFired>,
    pub payout_percent: f64,
    pub bonus: Option<Decimal>,
    /// True when some KRA had no data and its weight was spread over the others.
    pub reweighted: bool,
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
            index,
            labels: Labels::of(rules),
        }
    }

    /// Scores one period's actuals under this plan.
    ///
    /// ```
    /// use ladder_core::framework::Framework;
    /// use ladder_core::metric::Sums;
    /// use ladder_core::scoring::{KraPlan, MetricIndex, Scorer};
    /// let fw = Framework::default_framework();
    /// let plan = KraPlan::for_role(&fw, "customer-service-executive").unwrap();
    /// let index = MetricIndex::new(&fw);
    /// let mut actuals = index.empty_actuals();
    /// actuals.add(index.position("fcr").unwrap(), Sums::new(75.0, 100.0));
    /// let card = Scorer::new(&fw.scoring, &plan, &index).score(&actuals, None);
    /// assert!(card.reweighted);          // only FCR had data…
    /// assert!(card.total.unwrap() > 100.0); // …and 75 % beats its target
    /// ```
    pub fn score(&self, actuals: &Actuals, variable_pay: Option<Decimal>) -> Scorecard {
        let curve = self.rules.curve();
        // Two passes over the plan instead of collecting values: scoring millions of months
        // should not allocate more than the scorecard itself.
        let value_of = |p: &Option<usize>| p.and_then(|p| self.index.value(actuals, p));
        let weight_with_data: f64 = self
            .plan
            .kras
            .iter()
            .zip(&self.kra_positions)
            .filter(|(_, p)| value_of(p).is_some())
            .map(|(k, _)| k.weight)
            .sum();
        let scale_up = if weight_with_data > 0.0 { 100.0 / weight_with_data } else { 0.0 };

        let mut kras = Vec::with_capacity(self.plan.kras.len());
        let mut missing = Vec::new();
        let mut total = 0.0;
        for (kra, position) in self.plan.kras.iter().zip(&self.kra_positions) {
            let value = value_of(position);
            let scored = value.map(|v| {
                let (a, zone) = attainment(kra.direction, kra.limits, curve, v);
                (a, zone, gap_to_target(kra.direction, kra.limits, v))
            });
            let effective_weight = if value.is_some() { kra.weight * scale_up } else { 0.0 };
            let weighted = scored.map(|(a, ..)| effective_weight * a / 100.0);
            if let Some(w) = weighted {
                total += w;
            } else {
                missing.push(kra.metric.clone());
            }
            kras.push(KraScore {
                metric: kra.metric.clone(),
                plan: self.plan.id.clone(),
                plan_share: 1.0,
                weight: kra.weight,
                effective_weight,
                direction: kra.direction,
                limits: kra.limits,
                value,
                attainment: scored.map(|s| s.0),
                zone: scored.map(|s| s.1),
                weighted,
                points_lost: scored.map_or(0.0, |(a, ..)| effective_weight * (100.0 - a).max(0.0) / 100.0),
                gap_to_target: scored.map(|s| s.2),
            });
        }
        let total = (weight_with_data > 0.0).then_some(total);
        let gates = self.fired_gates(actuals);
        finish(self.rules, &self.labels, self.rules_version.clone(), kras, total, gates, missing, variable_pay)
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
/// account or role), each counting for its share of the period (e.g. days under it).
pub fn combine(rules: &ScoringRules, parts: Vec<(f64, Scorecard)>, variable_pay: Option<Decimal>) -> Option<Scorecard> {
    let share_with_data: f64 = parts.iter().filter(|(_, c)| c.total.is_some()).map(|(s, _)| s).sum();
    let mut total = 0.0;
    let mut kras = Vec::new();
    let mut gates: Vec<GateFired> = Vec::new();
    let mut missing = Vec::new();
    let version = parts.first()?.1.rules_version.clone();
    for (share, card) in parts {
        let weight = if card.total.is_some() && share_with_data > 0.0 { share / share_with_data } else { 0.0 };
        total += card.total.unwrap_or(0.0) * weight;
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
    }
    let total = (share_with_data > 0.0).then_some(total);
    Some(finish(rules, &Labels::of(rules), version, kras, total, gates, missing, variable_pay))
}

#[allow(clippy::too_many_arguments)]
fn finish(
    rules: &ScoringRules,
    labels: &Labels,
    rules_version: Arc<str>,
    kras: Vec<KraScore>,
    total: Option<f64>,
    gates: Vec<GateFired>,
    missing: Vec<Arc<str>>,
    variable_pay: Option<Decimal>,
) -> Scorecard {
    let band = total.and_then(|t| rules.band_for(t));
    let rating_before_gates = band.map(|b| b.rating);
    let cap = gates.iter().filter_map(|g| g.cap_rating).min();
    let rating = match (rating_before_gates, cap) {
        (Some(r), Some(c)) => Some(r.min(c)),
        (r, _) => r,
    };
    let factor: f64 = gates.iter().filter_map(|g| g.incentive_factor).product();
    let payout_percent = rating.map_or(0.0, |r| rules.payout_percent(r) * factor);
    let bonus = variable_pay.map(|pay| {
        let pct = Decimal::from_f64(payout_percent).unwrap_or_default();
        {
            let mut bonus = (pay * pct / Decimal::ONE_HUNDRED).round_dp(2);
            bonus.rescale(2);
            bonus
        }
    });
    let pulled_down_by = kras
        .iter()
        .filter(|k| k.points_lost > 0.0)
        .max_by(|a, b| a.points_lost.total_cmp(&b.points_lost))
        .map(|k| k.metric.clone());
    Scorecard {
        rules_version,
        reweighted: !missing.is_empty() && total.is_some(),
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

impl Scorecard {
    /// Plain-language reasons for the score, most important first.
    pub fn explain(&self) -> Vec<String> {
        let mut lines = Vec::new();
        match (self.total, &self.rating_label) {
            (Some(t), Some(label)) => lines.push(format!(
                "Score {t:.1} gives rating {} ({label}) under scoring rules {}.",
                self.rating.unwrap_or_default(),
                self.rules_version
            )),
            (Some(t), None) => lines.push(format!("Score {t:.1}; no rating band covers it.")),
            _ => lines.push("No KRA has data for this period, so there is no score.".into()),
        }
        for g in &self.gates {
            let mut effect = Vec::new();
            if let Some(c) = g.cap_rating {
                effect.push(format!("rating capped at {c}"));
            }
            if let Some(f) = g.incentive_factor {
                effect.push(if f == 0.0 { "no incentive".to_string() } else { format!("incentive × {f}") });
            }
            lines.push(format!(
                "Gate '{}' fired ({}: {} was {:.2}): {}.",
                g.id,
                g.description,
                g.metric,
                g.value,
                effect.join(", ")
            ));
        }
        if self.reweighted {
            let names: Vec<&str> = self.missing.iter().map(|m| &**m).collect();
            lines.push(format!(
                "No data for {}: {} weight was spread over the KRAs that have data (re-weighted), so it does not lower the score.",
                names.join(", "),
                if names.len() == 1 { "its" } else { "their" }
            ));
        }
        if let Some(m) = &self.pulled_down_by {
            if let Some(k) =
                self.kras.iter().filter(|k| &k.metric == m).max_by(|a, b| a.points_lost.total_cmp(&b.points_lost))
            {
                lines.push(format!(
                    "{} pulled the score down most: {:.1} % attainment cost {:.1} points{}.",
                    k.metric,
                    k.attainment.unwrap_or_default(),
                    k.points_lost,
                    k.gap_to_target
                        .filter(|g| *g > 0.0)
                        .map(|g| format!(" ({g:.2} short of target {})", k.limits.target))
                        .unwrap_or_default()
                ));
            }
        }
        lines
    }
}
