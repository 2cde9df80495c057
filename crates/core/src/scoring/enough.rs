//! When there is enough data to rate: the share of the plan's weight that must have data and
//! the least volume (the metric's denominator, e.g. contacts or surveys) a KRA needs per month.
//! Below either rule a scorecard is "not enough data": no score, no rating, no incentive, and the
//! reasons say what is missing.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The default share (%) of the plan's weight the KRAs with data must carry for a rating.
pub const DEFAULT_MIN_WEIGHT_WITH_DATA: f64 = 60.0;

/// Shares are sums of weights: allow for floating-point dust at exactly the minimum.
const EPSILON: f64 = 1e-9;

pub(super) fn default_min_weight_with_data() -> f64 {
    DEFAULT_MIN_WEIGHT_WITH_DATA
}

/// The least volume a metric needs in a month for its KRA to count.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MinVolume {
    pub metric: String,
    /// The least sum of the metric's denominator per month (a KRA counts from exactly this).
    pub min: f64,
    /// What the denominator counts, plural, as the reasons say it: "surveys", "contacts".
    pub unit: String,
}

/// Whether a scorecard rates the period.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ScoreState {
    /// Enough data: a score, a rating and an incentive.
    Scored,
    /// Too little data (or none): no score, no rating, no incentive; `short_of_data` says why.
    NotEnoughData,
}

impl ScoreState {
    pub fn as_str(self) -> &'static str {
        match self {
            ScoreState::Scored => "scored",
            ScoreState::NotEnoughData => "not-enough-data",
        }
    }
}

/// One reason a KRA or the whole scorecard has too little data.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ShortOfData {
    /// A KRA's volume is under the minimum, so it does not count.
    Volume {
        metric: Arc<str>,
        volume: f64,
        needed: f64,
        unit: Arc<str>,
        /// Months the volume was summed over (the minimum is per month).
        months: u32,
    },
    /// The KRAs that count carry too little of the plan's weight (in %).
    Weight { percent: f64, needed: f64 },
}

impl ShortOfData {
    /// The reason in plain words; `name` turns a metric id into what the reader calls it.
    ///
    /// ```
    /// use ladder_core::scoring::ShortOfData;
    /// let thin = ShortOfData::Volume { metric: "csat".into(), volume: 6.0, needed: 10.0, unit: "surveys".into(), months: 1 };
    /// assert_eq!(thin.words(|m| m.to_uppercase()), "CSAT: 6 surveys, 10 needed");
    /// let weight = ShortOfData::Weight { percent: 35.0, needed: 60.0 };
    /// assert_eq!(weight.words(|m| m.to_string()), "KRAs with data carry 35 % of the weight, 60 % needed");
    /// ```
    pub fn words(&self, name: impl Fn(&str) -> String) -> String {
        match self {
            ShortOfData::Volume { metric, volume, needed, unit, months } => {
                let over = if *months > 1 { format!(" over {months} months") } else { String::new() };
                format!("{}: {} {unit}{over}, {} needed", name(metric), volume_number(*volume), number(*needed))
            }
            ShortOfData::Weight { percent, needed } => {
                // Rounded down: a share just under the minimum must not read as the minimum.
                let shown = (percent * 10.0 + EPSILON).floor() / 10.0;
                format!("KRAs with data carry {} % of the weight, {} % needed", number(shown), number(*needed))
            }
        }
    }
}

/// Whether a volume reaches a minimum (exactly the minimum is enough).
pub(super) fn volume_enough(volume: f64, min: f64) -> bool {
    volume + EPSILON >= min
}

/// Whether a share of weight (in %) reaches the minimum (exactly the minimum is enough).
pub(super) fn weight_enough(percent: f64, min: f64) -> bool {
    percent + EPSILON >= min
}

/// A volume under its minimum, rounded down to 2 decimals: 29.996 contacts must not read as
/// the 30 needed.
pub fn volume_number(v: f64) -> String {
    number(((v * 100.0) * (1.0 + EPSILON)).floor() / 100.0)
}

/// A figure without trailing zeros: 6, 12.5, 0.25.
pub fn number(v: f64) -> String {
    let text = format!("{v:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minimum_itself_is_enough() {
        assert!(volume_enough(10.0, 10.0));
        assert!(!volume_enough(9.0, 10.0));
        assert!(weight_enough(60.0, 60.0));
        assert!(weight_enough(100.0 / 3.0 + 100.0 / 3.0 - 1e-12, 200.0 / 3.0));
        assert!(!weight_enough(59.99, 60.0));
    }

    #[test]
    fn a_volume_just_under_the_minimum_does_not_read_as_the_minimum() {
        let thin = ShortOfData::Volume {
            metric: "aht".into(),
            volume: 29.996,
            needed: 30.0,
            unit: "contacts".into(),
            months: 1,
        };
        assert_eq!(thin.words(str::to_string), "aht: 29.99 contacts, 30 needed");
        assert_eq!(volume_number(0.29), "0.29");
        assert_eq!(volume_number(3.0), "3");
    }

    #[test]
    fn a_share_just_under_the_minimum_does_not_read_as_the_minimum() {
        let short = ShortOfData::Weight { percent: 59.96, needed: 60.0 };
        assert_eq!(short.words(str::to_string), "KRAs with data carry 59.9 % of the weight, 60 % needed");
        let months = ShortOfData::Volume {
            metric: "aht".into(),
            volume: 45.0,
            needed: 90.0,
            unit: "contacts".into(),
            months: 3,
        };
        assert_eq!(months.words(str::to_string), "aht: 45 contacts over 3 months, 90 needed");
    }
}
