//! The forecast: the score trend (a least-squares line), the month the rolling mean is projected
//! to reach the score needed, and when the person will be ready, in plain words.

use chrono::NaiveDate;

use super::rating::RatingCheck;
use super::words::{months, sentence, signed};
use super::{
    months_after, Forecast, Profile, RequirementKind, RequirementStatus, Trend, FORECAST_YEARS, TOLERANCE,
    TREND_MIN_MONTHS, TREND_MONTHS,
};
use crate::framework::Framework;
use crate::period::Month;

/// The trend, the score and tenure dates, and when the person will be ready, in words.
pub(super) fn forecast(
    framework: &Framework,
    profile: &Profile,
    items: &[RequirementStatus],
    rating: Option<&RatingCheck>,
    scores: &[(Month, f64)],
    tenure_date: NaiveDate,
    ready: bool,
) -> Forecast {
    let as_of = profile.as_of;
    let trend = fit_trend(scores);
    let limit = months_after(as_of, FORECAST_YEARS * 12);
    let score_date = match rating {
        None => Some(as_of),
        Some(r) if r.met() => Some(as_of),
        Some(r) => match (r.need, &trend) {
            (Some(need), Some(t)) => project(framework, scores, r.months, need, t, as_of, limit),
            _ => None,
        },
    };
    let gaps = open_gaps(items);
    let when = score_date.map(|s| s.max(tenure_date));
    let date = if ready { Some(as_of) } else { when.filter(|_| gaps.is_none()) };

    let message = if ready {
        "Ready now: every requirement is met.".to_string()
    } else {
        let mut clauses = Vec::new();
        let mut dated_score = false;
        if let Some(r) = rating {
            let (clause, dated) = score_clause(r, trend.as_ref(), scores.len(), score_date);
            dated_score = dated;
            clauses.push(clause);
        }
        if tenure_date > as_of {
            let when = Month::of(tenure_date);
            clauses.push(if dated_score {
                format!("tenure by {when}")
            } else {
                format!("the tenure requirement is met by {when}")
            });
        }
        match (when, gaps) {
            (Some(w), None) => clauses.push(format!("ready around {}", Month::of(w))),
            (Some(w), Some(g)) if w > as_of => clauses.push(format!("ready around {} once {g}", Month::of(w))),
            (Some(_), Some(g)) => clauses.push(format!("ready once {g}")),
            (None, _) => {}
        }
        sentence(&clauses)
    };
    Forecast { tenure_date, score_date, trend, date, message }
}

/// The skill and certification gaps still open, as the end of "ready once …"; `None` when none
/// is (they cannot be forecast, so while one is open there is no date).
fn open_gaps(items: &[RequirementStatus]) -> Option<&'static str> {
    let open_gap = |kind| items.iter().any(|i: &RequirementStatus| i.kind == kind && !i.met);
    match (open_gap(RequirementKind::Skill), open_gap(RequirementKind::Certification)) {
        (true, true) => Some("the skill and certification gaps close"),
        (true, false) => Some(if count_open(items, RequirementKind::Skill) > 1 {
            "the skill gaps close"
        } else {
            "the skill gap closes"
        }),
        (false, true) => Some(if count_open(items, RequirementKind::Certification) > 1 {
            "the certification gaps close"
        } else {
            "the certification gap closes"
        }),
        (false, false) => None,
    }
}

/// What the forecast says of the score requirement, and whether that names a date.
fn score_clause(
    r: &RatingCheck,
    trend: Option<&Trend>,
    scored_months: usize,
    score_date: Option<NaiveDate>,
) -> (String, bool) {
    let sign = trend.map(|t| signed(t.slope_per_month)).unwrap_or_default();
    let clause = match (r.met(), r.need, trend, score_date) {
        (true, ..) => "the score requirement is met".to_string(),
        (false, None, ..) => format!(
            "the rating requirement names rating {}, which the scoring rules do not define, so it cannot be forecast",
            r.rating
        ),
        (false, Some(_), None, _) => {
            format!("not enough score history ({}) to forecast the score requirement", months(scored_months))
        }
        (false, Some(_), Some(_), Some(d)) => {
            return (
                format!("at the current trend ({sign} points a month) the score requirement is met by {}", Month::of(d)),
                true,
            );
        }
        (false, Some(_), Some(t), None) if t.slope_per_month < 0.0 => {
            format!("scores are falling ({sign} a month): at this trend the rating requirement will not be met")
        }
        (false, Some(_), Some(t), None) if t.slope_per_month == 0.0 => {
            "scores are flat: at this trend the rating requirement will not be met".to_string()
        }
        (false, Some(_), Some(_), None) => format!(
            "scores are rising ({sign} a month), but at this trend the rating requirement will not be met within {FORECAST_YEARS} years"
        ),
    };
    (clause, false)
}

fn count_open(items: &[RequirementStatus], kind: RequirementKind) -> usize {
    items.iter().filter(|i| i.kind == kind && !i.met).count()
}

/// The trend over the most recent [`TREND_MONTHS`] scores; `None` with fewer than
/// [`TREND_MIN_MONTHS`].
fn fit_trend(scores: &[(Month, f64)]) -> Option<Trend> {
    let recent = &scores[scores.len().saturating_sub(TREND_MONTHS)..];
    if recent.len() < TREND_MIN_MONTHS {
        return None;
    }
    // Fitted against months counted from the latest (x = 0 there), so the latest fitted value
    // and the projections from it carry no rounding from the large month ordinals.
    let latest = recent.last().expect("at least 3 scores").0.ordinal();
    let points: Vec<(f64, f64)> = recent.iter().map(|(m, s)| (f64::from(m.ordinal() - latest), *s)).collect();
    let (slope, latest_fitted) = least_squares(&points)?;
    Some(Trend {
        slope_per_month: slope,
        intercept: latest_fitted - slope * f64::from(latest),
        months_used: recent.len(),
        latest_fitted,
    })
}

/// The first date by which the mean of the last `window` scores, real then projected along the
/// trend, reaches `need`; `None` if not by `limit`.
fn project(
    framework: &Framework,
    scores: &[(Month, f64)],
    window: usize,
    need: f64,
    trend: &Trend,
    as_of: NaiveDate,
    limit: NaiveDate,
) -> Option<NaiveDate> {
    let cap = framework.scoring.stretch_credit.max(0.0);
    let mut history: Vec<f64> = scores.iter().map(|s| s.1).collect();
    let latest = scores.last()?.0;
    let mut month = latest;
    loop {
        month = month.next();
        // The month's score is in once it is over.
        let date = month.next().first_day().max(as_of);
        if date > limit {
            return None;
        }
        let fitted = trend.latest_fitted + trend.slope_per_month * f64::from(latest.months_until(month));
        history.push(fitted.max(0.0).min(cap));
        if history.len() >= window {
            let recent = &history[history.len() - window..];
            if recent.iter().sum::<f64>() / window as f64 >= need - TOLERANCE {
                return Some(date);
            }
        }
    }
}

/// Ordinary least squares through `points` (x, y): the `(slope, intercept)` of the line
/// `y = intercept + slope × x` that minimises the squared vertical distances. `None` for fewer
/// than 2 points, when every x is the same, or when a value is not finite.
///
/// ```
/// use ladder_core::readiness::least_squares;
/// // Exactly on y = 1 + 2x.
/// assert_eq!(least_squares(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]), Some((2.0, 1.0)));
/// // Scattered: means (2, 4), Sxy = 3, Sxx = 2: slope = 3 / 2 = 1.5, intercept = 4 − 1.5 × 2 = 1.
/// assert_eq!(least_squares(&[(1.0, 3.0), (2.0, 3.0), (3.0, 6.0)]), Some((1.5, 1.0)));
/// assert_eq!(least_squares(&[(1.0, 3.0)]), None);
/// assert_eq!(least_squares(&[(1.0, 3.0), (1.0, 5.0)]), None);
/// ```
pub fn least_squares(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    // Centred sums: exact enough even for x values as large as month ordinals (~24,000).
    let (sxx, sxy) = points.iter().fold((0.0, 0.0), |(sxx, sxy), &(x, y)| {
        let dx = x - mean_x;
        (sxx + dx * dx, sxy + dx * (y - mean_y))
    });
    if sxx.is_nan() || sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let intercept = mean_y - slope * mean_x;
    (slope.is_finite() && intercept.is_finite()).then_some((slope, intercept))
}
