//! The rating requirement: the mean of the most recent monthly scores against the score the
//! rating's band needs.

use super::requirements::ratio;
use super::words::{months, num};
use super::{RequirementKind, RequirementStatus, TOLERANCE};
use crate::framework::{Framework, Requirements};
use crate::period::Month;

/// The rating requirement, evaluated once and used for the item and the forecast.
pub(super) struct RatingCheck {
    pub(super) rating: u8,
    pub(super) label: Option<String>,
    /// Months the mean is taken over.
    pub(super) months: usize,
    /// Scores in the window (at most `months`).
    pub(super) count: usize,
    pub(super) mean: f64,
    /// `None` when the rating is not one of the scoring bands.
    pub(super) need: Option<f64>,
}

impl RatingCheck {
    pub(super) fn new(framework: &Framework, req: &Requirements, rating: u8, scores: &[(Month, f64)]) -> RatingCheck {
        let months = (req.rating_months.max(1)) as usize;
        let window = &scores[scores.len().saturating_sub(months)..];
        let count = window.len();
        let mean = if count == 0 { 0.0 } else { window.iter().map(|s| s.1).sum::<f64>() / count as f64 };
        let band = framework.scoring.band(rating);
        RatingCheck {
            rating,
            label: band.map(|b| b.label.clone()),
            months,
            count,
            mean,
            need: band.map(|b| b.min_score),
        }
    }

    pub(super) fn met(&self) -> bool {
        self.need.is_some_and(|need| self.count >= self.months && self.mean >= need - TOLERANCE)
    }

    pub(super) fn item(&self) -> RequirementStatus {
        let met = self.met();
        let need = self.need.unwrap_or(0.0);
        let over =
            if self.months == 1 { "the last month".to_string() } else { format!("the last {} months", self.months) };
        let name = match &self.label {
            Some(label) => format!("Rating {} ({label}) or better, mean of {over}", self.rating),
            None => format!("Rating {}, mean of {over}", self.rating),
        };
        let history = self.count as f64 / self.months as f64;
        let progress = if self.need.is_none() {
            0.0
        } else if met {
            1.0
        } else {
            ratio(self.mean, need) * history.min(1.0)
        };
        let gap = if met {
            String::new()
        } else if self.need.is_none() {
            format!("rating {} is not one of the scoring bands", self.rating)
        } else if self.count == 0 {
            format!("no monthly scores yet: a mean of {} over {} needed", num(need), months(self.months))
        } else if self.count < self.months {
            format!(
                "only {} of the {} of score history needed ({} missing); mean so far {}, {} needed",
                self.count,
                months(self.months),
                self.months - self.count,
                num(self.mean),
                num(need)
            )
        } else {
            format!("mean score {} over {over}, {} needed", num(self.mean), num(need))
        };
        let closes_with = if met || self.need.is_none() {
            vec![]
        } else {
            vec![format!("keep scores at or above {} for {}", num(need), months(self.months))]
        };
        RequirementStatus {
            kind: RequirementKind::Rating,
            id: "rating".into(),
            name,
            met,
            have: self.mean,
            need,
            progress,
            gap,
            closes_with,
        }
    }
}
