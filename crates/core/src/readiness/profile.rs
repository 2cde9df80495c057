//! What readiness is judged on: a person's role, tenure, monthly scores, skills and
//! certifications, as of a date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::period::Month;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldCertification {
    pub id: String,
    pub earned: NaiveDate,
    /// `None`: no expiry recorded (the framework's `validity_months` applies if it has one).
    pub expires: Option<NaiveDate>,
}

/// What is known about a person, as of a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The current role.
    pub role: String,
    pub months_in_role: u32,
    /// The time in role is an estimate: the hire date is unknown and counts from the first
    /// figures, and the role started with it.
    pub tenure_estimated: bool,
    /// Weighted KRA totals per month (0–120 scale), any order. Months after `as_of` are ignored;
    /// of two scores for the same month, the later in the list counts.
    pub monthly_scores: Vec<(Month, f64)>,
    /// Skill id → current level (the leader's assessment where there is one).
    pub skills: BTreeMap<String, u8>,
    pub certifications: Vec<HeldCertification>,
    pub as_of: NaiveDate,
}
