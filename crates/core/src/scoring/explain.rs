//! A scorecard in plain words: the score and rating (or why there is none), gates, re-weighting
//! and the KRA that cost the most, each figure with its unit and direction.

use super::{number, ScoreState, Scorecard, ShortOfData};
use crate::metric::gap_words;

impl Scorecard {
    /// Plain-language reasons for the score, most important first. Metrics are named by id.
    pub fn explain(&self) -> Vec<String> {
        self.explain_with(|m| m.to_string())
    }

    /// [`Scorecard::explain`], naming each metric with `name` (e.g. the framework's names).
    pub fn explain_with(&self, name: impl Fn(&str) -> String) -> Vec<String> {
        let mut lines = Vec::new();
        match (self.state, self.total, &self.rating_label) {
            (ScoreState::Scored, Some(t), Some(label)) => lines.push(format!(
                "Score {t:.1} gives rating {} ({label}) under scoring rules {}.",
                self.rating.unwrap_or_default(),
                self.rules_version
            )),
            (ScoreState::Scored, Some(t), None) => lines.push(format!("Score {t:.1}; no rating band covers it.")),
            _ if self.kras.iter().all(|k| k.value.is_none()) => {
                lines.push("No KRA has data for this period, so there is no score.".into())
            }
            _ => lines.push(format!(
                "Not enough data for a score, a rating or an incentive: {}.",
                self.short_of_data.iter().map(|r| r.words(&name)).collect::<Vec<_>>().join("; ")
            )),
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
                name(&g.metric),
                g.value,
                effect.join(", ")
            ));
        }
        if self.reweighted {
            lines.extend(self.reweighting(&name));
        }
        lines.extend(self.pulled_down(&name));
        lines
    }

    /// Which KRAs did not count, and that their weight went to the others.
    fn reweighting(&self, name: &impl Fn(&str) -> String) -> Vec<String> {
        let mut lines = Vec::new();
        let names: Vec<String> = self.missing.iter().map(|m| name(m)).collect();
        if !names.is_empty() {
            lines.push(format!(
                "No data for {}: {} weight was spread over the KRAs that have data (re-weighted), so it does not lower the score.",
                names.join(", "),
                if names.len() == 1 { "its" } else { "their" }
            ));
        }
        let thin: Vec<String> = self
            .short_of_data
            .iter()
            .filter(|r| matches!(r, ShortOfData::Volume { .. }))
            .map(|r| r.words(name))
            .collect();
        if !thin.is_empty() {
            lines.push(format!(
                "Too little volume to count ({}): the weight went to the KRAs that count (re-weighted).",
                thin.join("; ")
            ));
        }
        lines
    }

    /// The KRA that cost the most points, with how far it is from target in its unit.
    fn pulled_down(&self, name: &impl Fn(&str) -> String) -> Option<String> {
        let m = self.pulled_down_by.as_ref()?;
        let k = self.kras.iter().filter(|k| &k.metric == m).max_by(|a, b| a.points_lost.total_cmp(&b.points_lost))?;
        let gap = k
            .value
            .and_then(|v| gap_words(k.direction, k.unit, k.limits, v))
            .map(|g| format!(" ({g} {}{})", number(k.limits.target), k.unit.suffix()))
            .unwrap_or_default();
        let verb =
            if self.state == ScoreState::Scored { "pulled the score down most" } else { "is furthest from target" };
        Some(format!(
            "{} {verb}: {:.1} % attainment cost {:.1} points{gap}.",
            name(&k.metric),
            k.attainment.unwrap_or_default(),
            k.points_lost,
        ))
    }
}
