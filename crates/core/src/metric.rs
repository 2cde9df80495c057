//! Metric values as sums, and the piecewise-linear attainment curve.
//!
//! A KRA value is never stored as an average: it is `Σnumerator ÷ Σdenominator` (or `Σnumerator`
//! for a plain sum), so a day with 10 calls weighs a tenth of a day with 100.

use serde::{Deserialize, Serialize};

/// Which way is better for a metric.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// More is better: threshold < target < stretch.
    Higher,
    /// Less is better: threshold > target > stretch.
    Lower,
    /// Best inside `[target, stretch]`; credit falls to the threshold floor at the same
    /// distance `target − threshold` outside either edge (e.g. occupancy 75–85 %, since
    /// above ~85 % is a burnout signal — callcentrehelper.com, see shared/domain/kpis.md §6.3).
    Band,
}

/// The running sums behind one metric for one employee and period.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
pub struct Sums {
    pub numerator: f64,
    pub denominator: f64,
}

impl Sums {
    pub fn new(numerator: f64, denominator: f64) -> Sums {
        Sums { numerator, denominator }
    }

    pub fn add(&mut self, other: Sums) {
        self.numerator += other.numerator;
        self.denominator += other.denominator;
    }

    /// The metric's value on its display scale; `None` when a ratio has a zero denominator.
    ///
    /// ```
    /// use ladder_core::metric::Sums;
    /// // 3 days: 10 calls / 3000 s, 100 calls / 30000 s, 50 calls / 20000 s → 53000 ÷ 160
    /// let mut s = Sums::default();
    /// for (secs, calls) in [(3000.0, 10.0), (30000.0, 100.0), (20000.0, 50.0)] {
    ///     s.add(Sums::new(secs, calls));
    /// }
    /// assert_eq!(s.value(true, 1.0), Some(331.25));
    /// ```
    pub fn value(&self, is_ratio: bool, scale: f64) -> Option<f64> {
        if is_ratio {
            (self.denominator != 0.0).then(|| self.numerator / self.denominator * scale)
        } else {
            Some(self.numerator * scale)
        }
    }
}

impl std::ops::Add for Sums {
    type Output = Sums;
    fn add(mut self, other: Sums) -> Sums {
        Sums::add(&mut self, other);
        self
    }
}

impl std::iter::Sum for Sums {
    fn sum<I: Iterator<Item = Sums>>(iter: I) -> Sums {
        iter.fold(Sums::default(), |a, b| a + b)
    }
}

/// The three points of a KRA's scale.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Limits {
    pub threshold: f64,
    pub target: f64,
    pub stretch: f64,
}

/// How much credit the curve gives at its threshold (the floor) and at stretch (the cap), in %.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Curve {
    pub threshold_credit: f64,
    pub stretch_credit: f64,
}

/// Where a value sits on a KRA's scale.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Zone {
    BelowThreshold,
    BelowTarget,
    AtTarget,
    AboveTarget,
    AtStretch,
}

/// Attainment in % of a value against its limits: 0 below threshold, the floor at threshold,
/// 100 at target, the cap at stretch, linear in between.
///
/// ```
/// use ladder_core::metric::{attainment, Curve, Direction, Limits};
/// let fcr = Limits { threshold: 60.0, target: 70.0, stretch: 80.0 };
/// let curve = Curve { threshold_credit: 50.0, stretch_credit: 120.0 };
/// assert_eq!(attainment(Direction::Higher, fcr, curve, 59.9).0, 0.0);
/// assert_eq!(attainment(Direction::Higher, fcr, curve, 65.0).0, 75.0);
/// assert_eq!(attainment(Direction::Higher, fcr, curve, 75.0).0, 110.0);
/// assert_eq!(attainment(Direction::Higher, fcr, curve, 95.0).0, 120.0);
/// ```
pub fn attainment(direction: Direction, limits: Limits, curve: Curve, value: f64) -> (f64, Zone) {
    match direction {
        Direction::Higher => rising(limits, curve, value),
        Direction::Lower => rising(
            Limits { threshold: -limits.threshold, target: -limits.target, stretch: -limits.stretch },
            curve,
            -value,
        ),
        Direction::Band => band(limits, curve, value),
    }
}

fn rising(l: Limits, c: Curve, v: f64) -> (f64, Zone) {
    if v < l.threshold {
        (0.0, Zone::BelowThreshold)
    } else if v < l.target {
        let t = (v - l.threshold) / (l.target - l.threshold);
        (c.threshold_credit + (100.0 - c.threshold_credit) * t, Zone::BelowTarget)
    } else if v < l.stretch {
        let t = (v - l.target) / (l.stretch - l.target);
        let zone = if v == l.target { Zone::AtTarget } else { Zone::AboveTarget };
        (100.0 + (c.stretch_credit - 100.0) * t, zone)
    } else {
        (c.stretch_credit, Zone::AtStretch)
    }
}

fn band(l: Limits, c: Curve, v: f64) -> (f64, Zone) {
    let tolerance = l.target - l.threshold;
    let distance = if v < l.target {
        l.target - v
    } else if v > l.stretch {
        v - l.stretch
    } else {
        return (100.0, Zone::AtTarget);
    };
    if distance > tolerance {
        (0.0, Zone::BelowThreshold)
    } else {
        let t = 1.0 - distance / tolerance;
        (c.threshold_credit + (100.0 - c.threshold_credit) * t, Zone::BelowTarget)
    }
}

/// The value a KRA must reach to hit its target, and how far it is from there now
/// (positive = short of target in the metric's good direction).
pub fn gap_to_target(direction: Direction, limits: Limits, value: f64) -> f64 {
    match direction {
        Direction::Higher => (limits.target - value).max(0.0),
        Direction::Lower => (value - limits.target).max(0.0),
        Direction::Band => {
            if value < limits.target {
                limits.target - value
            } else if value > limits.stretch {
                value - limits.stretch
            } else {
                0.0
            }
        }
    }
}

/// How far a value is from target, in words with its unit and which way: "12.29 s over target"
/// for a lower-is-better KRA, "3.5 percentage points short of target" for a higher one.
/// `None` when the target is met.
///
/// ```
/// use ladder_core::framework::Unit;
/// use ladder_core::metric::{gap_words, Direction, Limits};
/// let aht = Limits { threshold: 720.0, target: 590.0, stretch: 480.0 };
/// assert_eq!(gap_words(Direction::Lower, Unit::Seconds, aht, 602.29).unwrap(), "12.29 s over target");
/// assert_eq!(gap_words(Direction::Lower, Unit::Seconds, aht, 500.0), None);
/// ```
pub fn gap_words(direction: Direction, unit: crate::framework::Unit, limits: Limits, value: f64) -> Option<String> {
    let gap = gap_to_target(direction, limits, value);
    if gap <= 1e-9 {
        return None;
    }
    let way = match direction {
        Direction::Higher => "short of target",
        Direction::Lower => "over target",
        Direction::Band if value < limits.target => "under the target band",
        Direction::Band => "over the target band",
    };
    Some(format!("{}{} {way}", crate::scoring::number(gap), unit.gap_suffix()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CURVE: Curve = Curve { threshold_credit: 50.0, stretch_credit: 120.0 };

    #[test]
    fn lower_is_better_mirrors_higher() {
        let aht = Limits { threshold: 600.0, target: 480.0, stretch: 420.0 };
        assert_eq!(attainment(Direction::Lower, aht, CURVE, 601.0), (0.0, Zone::BelowThreshold));
        assert_eq!(attainment(Direction::Lower, aht, CURVE, 600.0).0, 50.0);
        assert_eq!(attainment(Direction::Lower, aht, CURVE, 540.0).0, 75.0);
        assert_eq!(attainment(Direction::Lower, aht, CURVE, 480.0), (100.0, Zone::AtTarget));
        assert_eq!(attainment(Direction::Lower, aht, CURVE, 300.0), (120.0, Zone::AtStretch));
    }

    #[test]
    fn band_is_full_inside_and_falls_off_both_sides() {
        let occupancy = Limits { threshold: 65.0, target: 75.0, stretch: 85.0 };
        assert_eq!(attainment(Direction::Band, occupancy, CURVE, 80.0).0, 100.0);
        assert_eq!(attainment(Direction::Band, occupancy, CURVE, 70.0).0, 75.0);
        assert_eq!(attainment(Direction::Band, occupancy, CURVE, 90.0).0, 75.0);
        assert_eq!(attainment(Direction::Band, occupancy, CURVE, 95.0).0, 50.0);
        assert_eq!(attainment(Direction::Band, occupancy, CURVE, 96.0).0, 0.0);
        assert_eq!(attainment(Direction::Band, occupancy, CURVE, 64.0).0, 0.0);
    }

    #[test]
    fn zero_denominator_has_no_value() {
        assert_eq!(Sums::new(5.0, 0.0).value(true, 100.0), None);
        assert_eq!(Sums::new(5.0, 0.0).value(false, 1.0), Some(5.0));
    }

    #[test]
    fn gap_to_target_is_zero_once_met() {
        let aht = Limits { threshold: 600.0, target: 480.0, stretch: 420.0 };
        assert_eq!(gap_to_target(Direction::Lower, aht, 500.0), 20.0);
        assert_eq!(gap_to_target(Direction::Lower, aht, 450.0), 0.0);
    }

    #[test]
    fn gaps_read_with_their_unit_and_direction() {
        use crate::framework::Unit;
        let fcr = Limits { threshold: 60.0, target: 70.0, stretch: 80.0 };
        assert_eq!(
            gap_words(Direction::Higher, Unit::Percent, fcr, 66.5).unwrap(),
            "3.5 percentage points short of target"
        );
        let occupancy = Limits { threshold: 65.0, target: 75.0, stretch: 85.0 };
        assert_eq!(
            gap_words(Direction::Band, Unit::Percent, occupancy, 72.0).unwrap(),
            "3 percentage points under the target band"
        );
        assert_eq!(
            gap_words(Direction::Band, Unit::Percent, occupancy, 88.0).unwrap(),
            "3 percentage points over the target band"
        );
        assert_eq!(gap_words(Direction::Band, Unit::Percent, occupancy, 80.0), None);
        let errors = Limits { threshold: 2.0, target: 0.5, stretch: 0.0 };
        assert_eq!(gap_words(Direction::Lower, Unit::Count, errors, 1.0).unwrap(), "0.5 over target");
    }
}
