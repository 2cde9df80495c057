//! The market view's figures: pay quartiles of a set of postings, and shares.
//!
//! A posting's pay is the midpoint of its monthly range; quartiles are interpolated between
//! the sorted pays (the usual "type 7" rule: the median of 4 pays is the mean of the middle
//! two), rounded to whole minor units.

use serde::Serialize;

/// The first quartile, median and third quartile of monthly pays, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quartiles {
    pub q1: i64,
    pub median: i64,
    pub q3: i64,
    /// How many pays they come from.
    pub count: usize,
}

/// The midpoint of a monthly range.
pub fn midpoint(min: i64, max: i64) -> i64 {
    min + (max - min) / 2
}

/// The quartiles of `pays`; `None` for none.
pub fn quartiles(pays: &[i64]) -> Option<Quartiles> {
    if pays.is_empty() {
        return None;
    }
    let mut sorted = pays.to_vec();
    sorted.sort_unstable();
    let at = |q: f64| {
        let pos = q * (sorted.len() - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        let v = sorted[lo] as f64 + (sorted[hi] - sorted[lo]) as f64 * (pos - lo as f64);
        v.round() as i64
    };
    Some(Quartiles { q1: at(0.25), median: at(0.5), q3: at(0.75), count: sorted.len() })
}

/// `part` of `whole` in percent, to one decimal; 0 of 0 is 0.
pub fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_interpolate_and_shares_round() {
        assert_eq!(quartiles(&[]), None);
        assert_eq!(quartiles(&[5]), Some(Quartiles { q1: 5, median: 5, q3: 5, count: 1 }));
        assert_eq!(quartiles(&[40, 10, 30, 20]), Some(Quartiles { q1: 18, median: 25, q3: 33, count: 4 }));
        assert_eq!(midpoint(1_800_000, 2_500_000), 2_150_000);
        assert_eq!(share(1, 3), 33.3);
        assert_eq!(share(0, 0), 0.0);
    }
}
