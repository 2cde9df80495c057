//! What readiness reports: each requirement and where the person stands, the score trend, and
//! the forecast.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[cfg(doc)]
use super::TREND_MIN_MONTHS;
#[cfg(doc)]
use crate::period::Month;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequirementKind {
    Tenure,
    Rating,
    Skill,
    Certification,
    PreferredCertification,
}

/// One requirement of the target role and where the person stands against it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequirementStatus {
    pub kind: RequirementKind,
    /// "tenure", "rating", the skill id or the certification id.
    pub id: String,
    /// Readable.
    pub name: String,
    pub met: bool,
    /// Months / mean score / level / 1 or 0 for a certification.
    pub have: f64,
    pub need: f64,
    /// 0–1: partial credit towards the requirement.
    pub progress: f64,
    /// The gap in plain words; empty when met.
    pub gap: String,
    /// Suggestions that would close the gap.
    pub closes_with: Vec<String>,
}

/// A least-squares line of monthly score against [`Month::ordinal`]:
/// `fitted(m) = intercept + slope_per_month × m.ordinal()`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    pub slope_per_month: f64,
    /// The fitted value at month ordinal 0 (see [`Month::ordinal`]).
    pub intercept: f64,
    pub months_used: usize,
    /// The fitted value at the latest month used.
    pub latest_fitted: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// `as_of` + the tenure months still needed.
    pub tenure_date: NaiveDate,
    /// When the score requirement is forecast to be met (`as_of` if it is, or if there is none);
    /// `None` when it will not be at this trend, or cannot be forecast.
    pub score_date: Option<NaiveDate>,
    /// `None` with fewer than [`TREND_MIN_MONTHS`] monthly scores.
    pub trend: Option<Trend>,
    /// The later of the tenure and score dates, when both are known and no skill or
    /// certification gap is open; `None` when it cannot be forecast.
    pub date: Option<NaiveDate>,
    /// The forecast in plain words.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Readiness {
    pub target: String,
    pub target_name: String,
    pub items: Vec<RequirementStatus>,
    /// Mean progress of the required items × 100.
    pub percent: f64,
    /// Every required item is met.
    pub ready: bool,
    pub forecast: Forecast,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadinessError {
    #[error("unknown role '{0}'")]
    UnknownRole(String),
}
