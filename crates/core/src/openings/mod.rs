//! Internal openings (issue 28): who may apply for one (the role's promotion requirements from
//! [`crate::readiness`] plus the opening's own rules) and how an application moves through its
//! stages. Pure; the server loads the facts and the store keeps the result.

mod eligibility;
pub mod money;
mod stage;

pub use eligibility::{
    eligibility, Applicant, Eligibility, OpeningRules, RuleCheck, Standing, NEARLY_MONTHS, NEARLY_PERCENT,
};
pub use stage::{move_allowed, Mover, Stage, StageError};

use serde::{Deserialize, Serialize};

/// The hours an opening's shift falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShiftPattern {
    Day,
    Night,
    Rotating,
}

/// Where the work is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Arrangement {
    OnSite,
    Hybrid,
    Remote,
}

impl ShiftPattern {
    pub const ALL: [ShiftPattern; 3] = [ShiftPattern::Day, ShiftPattern::Night, ShiftPattern::Rotating];
    pub fn as_str(self) -> &'static str {
        match self {
            ShiftPattern::Day => "day",
            ShiftPattern::Night => "night",
            ShiftPattern::Rotating => "rotating",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

impl Arrangement {
    pub const ALL: [Arrangement; 3] = [Arrangement::OnSite, Arrangement::Hybrid, Arrangement::Remote];
    pub fn as_str(self) -> &'static str {
        match self {
            Arrangement::OnSite => "on-site",
            Arrangement::Hybrid => "hybrid",
            Arrangement::Remote => "remote",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}
