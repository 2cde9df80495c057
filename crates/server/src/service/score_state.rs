//! Whether a period is scored or has not enough data, with what is missing in the framework's
//! words: the one view the API's scorecards, trends and team rows and the pages all use.

use ladder_core::scoring::{number, GateFired, ScoreState, Scorecard, ScoringRules};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// A metric's name in the framework (its id when the framework lacks it).
pub fn metric_name(state: &AppState, id: &str) -> String {
    state.framework.metric(id).map_or_else(|| id.to_string(), |m| m.name.clone())
}

/// Whether a period is scored, and what is missing when it is not.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DataState {
    /// `scored`; `not-enough-data` (figures too few to rate: no score, rating or incentive);
    /// `no-data` (no figures at all).
    #[schema(value_type = String, example = "not-enough-data")]
    pub state: &'static str,
    /// What is short, in words: "Customer satisfaction (top box): 6 surveys, 10 needed",
    /// "KRAs with data carry 35 % of the weight, 60 % needed". A scored period may still name a
    /// KRA that did not count for its volume.
    pub reasons: Vec<String>,
}

impl DataState {
    pub fn of(state: &AppState, card: Option<&Scorecard>) -> DataState {
        let Some(card) = card else { return DataState { state: "no-data", reasons: Vec::new() } };
        let reasons = card.short_of_data.iter().map(|r| r.words(|m| metric_name(state, m))).collect();
        let name = match card.state {
            ScoreState::Scored => "scored",
            ScoreState::NotEnoughData if card.kras.iter().all(|k| k.value.is_none()) => "no-data",
            ScoreState::NotEnoughData => "not-enough-data",
        };
        DataState { state: name, reasons }
    }

    pub fn scored(&self) -> bool {
        self.state == "scored"
    }

    pub fn not_enough(&self) -> bool {
        self.state == "not-enough-data"
    }
}

/// A scorecard's explanation with the framework's metric names.
pub fn explain(state: &AppState, card: &Scorecard) -> Vec<String> {
    card.explain_with(|m| metric_name(state, m))
}

/// A gate that fired and what it did, in words: "Attendance under 90 %: payout × 0".
pub fn gate_words(rules: &ScoringRules, g: &GateFired) -> String {
    let mut effect = Vec::new();
    if let Some(r) = g.cap_rating {
        effect.push(format!("rating capped at {}", rules.band(r).map_or_else(|| r.to_string(), |b| b.label.clone())));
    }
    if let Some(f) = g.incentive_factor {
        effect.push(format!("payout × {}", number(f)));
    }
    format!("{}: {}", g.description, effect.join(", "))
}
