//! What a metric's figures may be, from its declaration in the framework: one check for a KPI
//! file's rows and for figures typed in by hand, so neither takes what the other refuses.
//!
//! A figure is a numerator and (for a ratio) a denominator, both finite sums no larger than
//! [`MAX_SUM`]. Neither is negative, except a ratio in points (a net score such as NPS:
//! promoters minus detractors, between −denominator and +denominator). A share (a ratio in
//! percent) cannot pass 100 %, and a ratio with no denominator has no numerator either.

use crate::framework::{Metric, Unit};

/// The largest sum a figure may have: far beyond any person's month (a year of handle
/// seconds is about 3 × 10⁷), far below where adding sums loses whole units.
pub const MAX_SUM: f64 = 1e12;

/// The declared shape of a metric's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureRule {
    pub is_ratio: bool,
    /// A ratio in percent: the numerator counts part of the denominator.
    pub is_share: bool,
    /// A ratio in points: the numerator may go down to −denominator.
    pub is_net: bool,
}

/// Which of the figure's two sums is wrong, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FigureError {
    #[error("{0}")]
    Numerator(String),
    #[error("{0}")]
    Denominator(String),
}

impl FigureRule {
    pub fn of(metric: &Metric) -> FigureRule {
        let is_ratio = metric.denominator.is_some();
        FigureRule {
            is_ratio,
            is_share: is_ratio && metric.unit == Unit::Percent,
            is_net: is_ratio && metric.unit == Unit::Points,
        }
    }

    /// Checks a figure of the metric `id` (a plain sum's denominator is not looked at).
    pub fn check(&self, id: &str, numerator: f64, denominator: f64) -> Result<(), FigureError> {
        use FigureError::{Denominator, Numerator};
        let size = |n: f64| n.is_finite() && n.abs() <= MAX_SUM;
        if !size(numerator) {
            return Err(Numerator(format!("{numerator} for {id} is not a number up to {MAX_SUM:e}")));
        }
        if self.is_ratio && !size(denominator) {
            return Err(Denominator(format!("denominator {denominator} of {id} is not a number up to {MAX_SUM:e}")));
        }
        if numerator < 0.0 && !(self.is_net && -numerator <= denominator * (1.0 + 1e-9)) {
            return Err(Numerator(format!("negative value for {id}")));
        }
        if !self.is_ratio {
            return Ok(());
        }
        if denominator < 0.0 {
            return Err(Denominator(format!("negative denominator for {id}")));
        }
        if denominator == 0.0 && numerator != 0.0 {
            return Err(Denominator(format!("denominator of {id} is zero but its numerator is {numerator}")));
        }
        if (self.is_share || self.is_net) && numerator > denominator * (1.0 + 1e-9) {
            return Err(Numerator(format!(
                "{numerator} of {id} is more than its denominator {denominator}: a share cannot exceed 100 %"
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHARE: FigureRule = FigureRule { is_ratio: true, is_share: true, is_net: false };
    const NET: FigureRule = FigureRule { is_ratio: true, is_share: false, is_net: true };
    const TIME: FigureRule = FigureRule { is_ratio: true, is_share: false, is_net: false };
    const COUNT: FigureRule = FigureRule { is_ratio: false, is_share: false, is_net: false };

    #[test]
    fn figures_stay_inside_what_the_metric_declares() {
        assert!(SHARE.check("csat", 8.0, 10.0).is_ok());
        assert!(matches!(SHARE.check("csat", 50.0, 10.0), Err(FigureError::Numerator(m)) if m.contains("100 %")));
        assert!(matches!(TIME.check("aht", 1e308, 1.0), Err(FigureError::Numerator(_))));
        assert!(matches!(TIME.check("aht", 10.0, f64::INFINITY), Err(FigureError::Denominator(_))));
        assert!(matches!(TIME.check("aht", 5.0, 0.0), Err(FigureError::Denominator(_))));
        assert!(matches!(TIME.check("aht", 5.0, -1.0), Err(FigureError::Denominator(_))));
        assert!(matches!(TIME.check("aht", -5.0, 1.0), Err(FigureError::Numerator(_))));
        assert!(TIME.check("aht", 0.0, 0.0).is_ok());
        assert!(NET.check("nps", -3.0, 10.0).is_ok());
        assert!(NET.check("nps", -11.0, 10.0).is_err() && NET.check("nps", 11.0, 10.0).is_err());
        assert!(COUNT.check("fatal-errors", 3.0, 0.0).is_ok());
        assert!(COUNT.check("fatal-errors", f64::NAN, 0.0).is_err());
    }
}
