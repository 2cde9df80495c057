//! Promotion readiness: how far someone is from the requirements of a target role, what would
//! close each gap, and when they will be ready at their current pace.
//!
//! ## Requirements
//!
//! The requirements are the target role's [`Requirements`](crate::framework::Requirements)
//! (what it takes to be promoted *into* it), checked against a [`Profile`] on its `as_of` date:
//!
//! - **Tenure** (listed when `min_tenure_months` > 0): `months_in_role` ≥ `min_tenure_months`.
//! - **Rating** (listed when `min_rating` is set): the mean of the most recent `rating_months`
//!   monthly scores (months up to and including the month of `as_of`, in month order) must reach
//!   the `min_score` of the band `min_rating` (a mean within 10⁻⁹ below it counts, to absorb
//!   rounding). With fewer scores than `rating_months` it is not
//!   met, whatever the mean, and the gap says how many months of history are missing. Progress is
//!   `mean ÷ need` (at most 1), scaled down by the share of the history present.
//! - **Skills**: the profile's level (0 when the skill is not in the profile) ≥ the level needed.
//! - **Certifications**: held and not expired on `as_of`. A certification counts from its
//!   `earned` date and is valid *until* its expiry date (so it has expired on that date). When a
//!   held certification has no `expires` date but the framework gives the certification a
//!   `validity_months`, it expires that many months after it was earned.
//! - **Preferred certifications** are listed with [`RequirementKind::PreferredCertification`] but
//!   never block [`Readiness::ready`] and do not count in [`Readiness::percent`].
//!
//! `percent` is the mean progress of the required items × 100 (100 when there are none);
//! `ready` is true when every required item is met.
//!
//! ## Forecast
//!
//! - **Tenure**: `as_of` + the months still needed.
//! - **Trend**: an ordinary least-squares line of score against [`Month::ordinal`] over the most
//!   recent [`TREND_MONTHS`] monthly scores; none with fewer than 3.
//! - **Score date**: the months after the latest scored month are projected along the trend line
//!   (clamped to 0 – `stretch_credit`, the highest score possible) and appended to the history;
//!   the score requirement is forecast as met once the mean of the last `rating_months` scores,
//!   real and projected, reaches the score needed. The date is the first day of the month *after*
//!   that month (when its score is in), and never before `as_of`. This rolling-mean rule covers
//!   both a mean lagging behind a line that is already above the bar and a short history. When
//!   the rating is already met the score date is `as_of`; when no date within
//!   [`FORECAST_YEARS`] years of `as_of` qualifies, there is none (a flat or falling trend below
//!   the bar never gets there).
//! - **Date**: the later of the tenure and score dates. Skill and certification gaps cannot be
//!   forecast from data, so while one is open the date is `None` and the message gives the date
//!   the tenure and score requirements allow, "once the gaps close".

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};

use crate::framework::Framework;
use crate::period::Month;

mod forecast;
mod profile;
mod rating;
mod report;
mod requirements;
mod steps;
mod words;

pub use forecast::least_squares;
pub use profile::{HeldCertification, Profile};
pub use report::{Forecast, Readiness, ReadinessError, RequirementKind, RequirementStatus, Trend};
pub use steps::{route_readiness, StepReadiness, StepStanding, NEARLY_READY_PERCENT};

use forecast::forecast;
use rating::RatingCheck;
use requirements::{cert_item, skill_item, tenure_item};

/// The most recent monthly scores the trend is fitted over.
pub const TREND_MONTHS: usize = 12;
/// The fewest monthly scores a trend is fitted to.
pub const TREND_MIN_MONTHS: usize = 3;
/// How far ahead a score forecast may reach.
pub const FORECAST_YEARS: u32 = 10;
/// A mean this close below the score needed counts as reaching it (floating-point rounding).
const TOLERANCE: f64 = 1e-9;

/// How ready `profile` is for the role `target`, and when they will be (see the
/// [module docs](self) for the rules).
///
/// ```
/// use std::collections::BTreeMap;
/// use chrono::NaiveDate;
/// use ladder_core::framework::Framework;
/// use ladder_core::period::Month;
/// use ladder_core::readiness::{readiness, Profile};
///
/// let fw = Framework::parse(r#"
/// [meta]
/// id = "example"
/// version = "1"
/// name = "Example"
///
/// [scoring]
/// version = "1"
/// threshold_credit = 50
/// stretch_credit = 120
/// missing_kra = "reweight"
/// band = [
///   { rating = 2, label = "Needs improvement", min_score = 70 },
///   { rating = 3, label = "Meets expectations", min_score = 90 },
/// ]
///
/// [[role]]
/// id = "team-leader"
/// name = "Team Leader"
/// family = "management"
/// level = 3
/// summary = "Leads a team of agents."
/// education = "not-required"
/// [role.requirements]
/// min_tenure_months = 18
/// min_rating = 3
/// rating_months = 3
/// "#).unwrap();
///
/// let month = |m| Month::new(2026, m).unwrap();
/// let profile = Profile {
///     role: "senior-agent".into(),
///     months_in_role: 12,
///     tenure_estimated: false,
///     monthly_scores: vec![(month(1), 84.0), (month(2), 86.0), (month(3), 88.0)],
///     skills: BTreeMap::new(),
///     certifications: vec![],
///     as_of: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
/// };
/// let r = readiness(&fw, "team-leader", &profile).unwrap();
/// assert!(!r.ready);
/// assert_eq!(r.items[0].gap, "6 more months in role");
/// assert_eq!(r.items[1].gap, "mean score 86 over the last 3 months, 90 needed");
/// // (12/18 + 86/90) / 2 ≈ 81 %.
/// assert!((r.percent - 81.1).abs() < 0.1);
/// // +2 a month: April 90, May 92 → the mean of March–May is 90, in once May is over;
/// // tenure on 1 October.
/// assert_eq!(r.forecast.score_date, NaiveDate::from_ymd_opt(2026, 6, 1));
/// assert_eq!(r.forecast.date, NaiveDate::from_ymd_opt(2026, 10, 1));
/// ```
pub fn readiness(framework: &Framework, target: &str, profile: &Profile) -> Result<Readiness, ReadinessError> {
    let role = framework.role(target).ok_or_else(|| ReadinessError::UnknownRole(target.to_string()))?;
    let req = &role.requirements;
    let scores = score_history(profile);

    let tenure_left = req.min_tenure_months.saturating_sub(profile.months_in_role);
    let tenure_date = months_after(profile.as_of, tenure_left);
    let mut items = Vec::new();
    if req.min_tenure_months > 0 {
        items.push(tenure_item(req, profile, tenure_left, tenure_date));
    }
    let rating = req.min_rating.map(|r| RatingCheck::new(framework, req, r, &scores));
    if let Some(check) = &rating {
        items.push(check.item());
    }
    for (skill, &level) in &req.skills {
        items.push(skill_item(framework, profile, skill, level));
    }
    for cert in &req.certifications {
        items.push(cert_item(framework, profile, cert, RequirementKind::Certification));
    }
    for cert in &req.preferred_certifications {
        items.push(cert_item(framework, profile, cert, RequirementKind::PreferredCertification));
    }

    let required: Vec<&RequirementStatus> =
        items.iter().filter(|i| i.kind != RequirementKind::PreferredCertification).collect();
    let percent = if required.is_empty() {
        100.0
    } else {
        required.iter().map(|i| i.progress).sum::<f64>() / required.len() as f64 * 100.0
    };
    let ready = required.iter().all(|i| i.met);
    let forecast = forecast(framework, profile, &items, rating.as_ref(), &scores, tenure_date, ready);
    Ok(Readiness { target: target.to_string(), target_name: role.name.clone(), items, percent, ready, forecast })
}

/// The monthly scores up to the month of `as_of`, in month order, one per month (the later
/// entry wins), finite values only.
fn score_history(profile: &Profile) -> Vec<(Month, f64)> {
    let last = Month::of(profile.as_of);
    let by_month: BTreeMap<Month, f64> =
        profile.monthly_scores.iter().filter(|(m, s)| *m <= last && s.is_finite()).copied().collect();
    by_month.into_iter().collect()
}

/// [`crate::period::add_months`], saturating at the last representable date.
fn months_after(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAMEWORK: &str = r#"
[meta]
id = "test"
version = "1"
name = "Test"

[scoring]
version = "1"
threshold_credit = 50
stretch_credit = 120
missing_kra = "reweight"
band = [
  { rating = 1, label = "Unsatisfactory", min_score = 0 },
  { rating = 2, label = "Needs improvement", min_score = 70 },
  { rating = 3, label = "Meets expectations", min_score = 90 },
]

[[skill]]
id = "coaching"
name = "Coaching"
kind = "soft"
levels = ["l1", "l2", "gives structured feedback weekly", "l4", "l5"]

[[skill]]
id = "excel"
name = "Spreadsheets"
kind = "technical"
levels = ["l1", "l2", "l3", "l4", "l5"]

[[certification]]
id = "itil4"
name = "ITIL 4 Foundation"
issuer = "PeopleCert"
helps_roles = ["team-leader"]
validity_months = 36
renewal = "retake or 20 CPD points a year"

[[certification]]
id = "copc"
name = "COPC CX Standard"
issuer = "COPC Inc."
helps_roles = ["team-leader"]

[[certification]]
id = "lssyb"
name = "Lean Six Sigma Yellow Belt"
issuer = "IASSC"

[[role]]
id = "agent"
name = "Agent"
family = "voice"
level = 1
summary = "-"
education = "not-required"

[[role]]
id = "team-leader"
name = "Team Leader"
family = "management"
level = 3
summary = "-"
education = "not-required"
[role.requirements]
min_tenure_months = 18
min_rating = 3
rating_months = 6
skills = { coaching = 3, excel = 2 }
certifications = ["itil4"]
preferred_certifications = ["lssyb"]

[[role]]
id = "open-door"
name = "Open Door"
family = "voice"
level = 2
summary = "No requirements."
education = "not-required"

[[role]]
id = "scored"
name = "Scored"
family = "voice"
level = 2
summary = "Tenure and rating only."
education = "not-required"
[role.requirements]
min_tenure_months = 18
min_rating = 3
rating_months = 6
"#;

    fn fw() -> Framework {
        Framework::parse(FRAMEWORK).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Scores for consecutive months, the last one in June 2026.
    fn scores_to_june(values: &[f64]) -> Vec<(Month, f64)> {
        let mut month = Month::new(2026, 6).unwrap();
        let mut out = Vec::new();
        for v in values.iter().rev() {
            out.push((month, *v));
            month = month.prev();
        }
        out.reverse();
        out
    }

    /// Meets every team-leader requirement on 2026-07-01.
    fn ready_profile() -> Profile {
        Profile {
            role: "agent".into(),
            months_in_role: 24,
            tenure_estimated: false,
            monthly_scores: scores_to_june(&[92.0, 95.0, 91.0, 90.0, 94.0, 93.0]),
            skills: BTreeMap::from([("coaching".into(), 3), ("excel".into(), 4)]),
            certifications: vec![
                HeldCertification { id: "itil4".into(), earned: date(2025, 3, 1), expires: None },
                HeldCertification { id: "lssyb".into(), earned: date(2024, 3, 1), expires: None },
            ],
            as_of: date(2026, 7, 1),
        }
    }

    fn item<'a>(r: &'a Readiness, id: &str) -> &'a RequirementStatus {
        r.items.iter().find(|i| i.id == id).unwrap_or_else(|| panic!("no item {id}"))
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn everything_met_is_ready() {
        let r = readiness(&fw(), "team-leader", &ready_profile()).unwrap();
        assert_eq!(r.target_name, "Team Leader");
        assert!(r.ready);
        assert_eq!(r.percent, 100.0);
        assert!(r.items.iter().all(|i| i.met && i.gap.is_empty() && i.closes_with.is_empty()));
        let kinds: Vec<RequirementKind> = r.items.iter().map(|i| i.kind).collect();
        use RequirementKind::*;
        assert_eq!(kinds, [Tenure, Rating, Skill, Skill, Certification, PreferredCertification]);
        assert_eq!(r.forecast.date, Some(date(2026, 7, 1)));
        assert_eq!(r.forecast.message, "Ready now: every requirement is met.");
    }

    #[test]
    fn tenure_gap() {
        let mut p = ready_profile();
        p.months_in_role = 14;
        let r = readiness(&fw(), "team-leader", &p).unwrap();
        let t = item(&r, "tenure");
        assert!(!t.met && !r.ready);
        assert_eq!((t.have, t.need), (14.0, 18.0));
        assert!(close(t.progress, 14.0 / 18.0));
        assert_eq!(t.gap, "4 more months in role");
        assert_eq!(t.closes_with, ["stay in the role until 2026-11-01"]);
        assert_eq!(r.forecast.tenure_date, date(2026, 11, 1));
        p.months_in_role = 17;
        assert_eq!(item(&readiness(&fw(), "team-leader", &p).unwrap(), "tenure").gap, "1 more month in role");
    }

    #[test]
    fn an_estimated_tenure_is_used_and_says_so() {
        let mut p = ready_profile();
        p.months_in_role = 14;
        p.tenure_estimated = true;
        let r = readiness(&fw(), "team-leader", &p).unwrap();
        let t = item(&r, "tenure");
        assert_eq!((t.met, t.have, t.name.as_str()), (false, 14.0, "Time in role (estimated)"));
        assert_eq!(t.gap, "4 more months in role (counted from the first figures; the hire date is unknown)");
        p.months_in_role = 18;
        let t = item(&readiness(&fw(), "team-leader", &p).unwrap(), "tenure").clone();
        assert!(t.met && t.gap.is_empty(), "met on the estimate: {t:?}");
    }

    #[test]
    fn rating_gap_uses_the_last_months_up_to_as_of() {
        let mut p = ready_profile();
        // The last six (January–June) average 86.5; December and July (after as_of) are ignored.
        p.monthly_scores = scores_to_june(&[100.0, 80.0, 85.0, 90.0, 88.0, 86.0, 90.0]);
        p.monthly_scores.push((Month::new(2026, 7).unwrap(), 120.0));
        p.as_of = date(2026, 6, 30);
        let r = readiness(&fw(), "team-leader", &p).unwrap();
        let rating = item(&r, "rating");
        assert_eq!(rating.kind, RequirementKind::Rating);
        assert_eq!(rating.name, "Rating 3 (Meets expectations) or better, mean of the last 6 months");
        assert!(!rating.met);
        assert!(close(rating.have, 86.5));
        assert_eq!(rating.need, 90.0);
        assert!(close(rating.progress, 86.5 / 90.0));
        assert_eq!(rating.gap, "mean score 86.5 over the last 6 months, 90 needed");
        assert_eq!(rating.closes_with, ["keep scores at or above 90 for 6 months"]);
    }

    #[test]
    fn short_score_history_is_not_met_and_says_what_is_missing() {
        let mut p = ready_profile();
        p.monthly_scores = scores_to_june(&[95.0, 96.0, 97.0, 98.0]);
        let r = readiness(&fw(), "team-leader", &p).unwrap();
        let rating = item(&r, "rating");
        assert!(!rating.met, "a high mean over too few months does not count");
        assert_eq!(
            rating.gap,
            "only 4 of the 6 months of score history needed (2 missing); mean so far 96.5, 90 needed"
        );
        assert!(close(rating.progress, 4.0 / 6.0));

        p.monthly_scores.clear();
        let r = readiness(&fw(), "team-leader", &p).unwrap();
        assert_eq!(item(&r, "rating").gap, "no monthly scores yet: a mean of 90 over 6 months needed");
        assert_eq!(item(&r, "rating").progress, 0.0);
    }

    #[test]
    fn the_later_duplicate_month_counts() {
        let mut p = ready_profile();
        p.monthly_scores.push((Month::new(2026, 6).unwrap(), 33.0)); // a correction of June
        let r = readiness(&fw(), "team-leader", &p).unwrap();
        assert!(close(item(&r, "rating").have, (92.0 + 95.0 + 91.0 + 90.0 + 94.0 + 33.0) / 6.0));
    }

    #[test]
    fn skill_gaps_suggest_the_level_not_every_certification() {
        let mut p = ready_profile();
        p.skills = BTreeMap::from([("coaching".into(), 2)]);
        let r = readiness(&fw(), "team-leader", &p).unwrap();
        let coaching = item(&r, "coaching");
        assert!(!coaching.met);
        assert_eq!((coaching.have, coaching.need), (2.0, 3.0));
        assert!(close(coaching.progress, 2.0 / 3.0));
        assert_eq!(coaching.gap, "Coaching level 2, 3 needed");
        // Certifications are requirements of their own; a skill's gap names only its level.
        assert_eq!(coaching.closes_with, ["reach level 3: gives structured feedback weekly"]);
        let excel = item(&r, "excel");
        assert_eq!((excel.have, excel.progress), (0.0, 0.0));
        assert_eq!(excel.gap, "Spreadsheets not assessed yet, level 2 needed");
    }

    #[test]
    fn missing_and_expired_certifications() {
        let mut p = ready_profile();
        p.certifications.retain(|c| c.id != "itil4");
        let r = readiness(&fw(), "team-leader", &p).unwrap();
        let itil = item(&r, "itil4");
        assert_eq!(itil.kind, RequirementKind::Certification);
        assert!(!itil.met && !r.ready);
        assert_eq!((itil.have, itil.need, itil.progress), (0.0, 1.0, 0.0));
        assert_eq!(itil.gap, "ITIL 4 Foundation not held");
        assert_eq!(itil.closes_with, ["earn ITIL 4 Foundation (PeopleCert)"]);

        // An explicit expiry date in the past.
        p.certifications.push(HeldCertification {
            id: "itil4".into(),
            earned: date(2025, 1, 10),
            expires: Some(date(2026, 1, 10)),
        });
        let r = readiness(&fw(), "team-leader", &p).unwrap();
        let itil = item(&r, "itil4");
        assert!(!itil.met);
        assert_eq!(itil.gap, "ITIL 4 Foundation not held (expired 2026-01-10)");
        assert_eq!(itil.closes_with, ["renew ITIL 4 Foundation (PeopleCert): retake or 20 CPD points a year"]);

        // No expiry recorded: the framework's 36 months apply (2023-01-10 + 36 months).
        p.certifications.pop();
        p.certifications.push(HeldCertification { id: "itil4".into(), earned: date(2023, 1, 10), expires: None });
        assert_eq!(
            item(&readiness(&fw(), "team-leader", &p).unwrap(), "itil4").gap,
            "ITIL 4 Foundation not held (expired 2026-01-10)"
        );

        // Valid until the day before the expiry date; expired on it.
        p.certifications.pop();
        p.certifications.push(HeldCertification {
            id: "itil4".into(),
            earned: date(2025, 1, 10),
            expires: Some(date(2026, 7, 2)),
        });
        assert!(item(&readiness(&fw(), "team-leader", &p).unwrap(), "itil4").met);
        p.as_of = date(2026, 7, 2);
        assert!(!item(&readiness(&fw(), "team-leader", &p).unwrap(), "itil4").met);

        // A renewal alongside the expired record counts; one earned after as_of does not.
        p.certifications.push(HeldCertification { id: "itil4".into(), earned: date(2026, 7, 3), expires: None });
        assert!(!item(&readiness(&fw(), "team-leader", &p).unwrap(), "itil4").met);
        p.certifications.push(HeldCertification { id: "itil4".into(), earned: date(2026, 6, 1), expires: None });
        assert!(item(&readiness(&fw(), "team-leader", &p).unwrap(), "itil4").met);
    }

    #[test]
    fn a_preferred_certification_never_blocks() {
        let mut p = ready_profile();
        p.certifications.retain(|c| c.id != "lssyb");
        let r = readiness(&fw(), "team-leader", &p).unwrap();
        let lss = item(&r, "lssyb");
        assert_eq!(lss.kind, RequirementKind::PreferredCertification);
        assert!(!lss.met);
        assert_eq!(lss.gap, "Lean Six Sigma Yellow Belt not held; preferred, not required");
        assert_eq!(lss.closes_with, ["earn Lean Six Sigma Yellow Belt (IASSC)"]);
        assert!(r.ready);
        assert_eq!(r.percent, 100.0);
    }

    #[test]
    fn percent_is_the_mean_progress_of_required_items() {
        let mut p = ready_profile();
        p.months_in_role = 9; // 9 / 18 = 0.5
        p.skills.insert("coaching".into(), 1); // 1 / 3
        p.certifications.clear(); // ITIL 0; the preferred one does not count
                                  // tenure 0.5, rating 1, coaching 1/3, excel 1, ITIL 0 → (2.5 + 1/3) / 5
        let r = readiness(&fw(), "team-leader", &p).unwrap();
        assert!(close(r.percent, (2.5 + 1.0 / 3.0) / 5.0 * 100.0), "{}", r.percent);
        assert!(!r.ready);

        let open = readiness(&fw(), "open-door", &p).unwrap();
        assert!(open.items.is_empty() && open.ready);
        assert_eq!(open.percent, 100.0);
    }

    #[test]
    fn unknown_role() {
        assert_eq!(
            readiness(&fw(), "astronaut", &ready_profile()),
            Err(ReadinessError::UnknownRole("astronaut".into()))
        );
    }

    #[test]
    fn least_squares_on_known_points() {
        assert_eq!(least_squares(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0), (3.0, 7.0)]), Some((2.0, 1.0)));
        // x̄ = 2.5, ȳ = 5; Sxx = 5, Sxy = (−1.5)(−3) + (−0.5)(−1) + (0.5)(0) + (1.5)(4) = 11;
        // slope 2.2, intercept 5 − 2.2 × 2.5 = −0.5.
        let (slope, intercept) = least_squares(&[(1.0, 2.0), (2.0, 4.0), (3.0, 5.0), (4.0, 9.0)]).unwrap();
        assert!(close(slope, 2.2) && close(intercept, -0.5), "{slope} {intercept}");
        // Large x (month ordinals) stays exact.
        let (slope, intercept) = least_squares(&[(24312.0, 80.0), (24313.0, 81.5), (24314.0, 83.0)]).unwrap();
        assert!(close(slope, 1.5));
        assert!((intercept + 1.5 * 24312.0 - 80.0).abs() < 1e-6);
        assert_eq!(least_squares(&[]), None);
        assert_eq!(least_squares(&[(1.0, 1.0)]), None);
        assert_eq!(least_squares(&[(2.0, 1.0), (2.0, 7.0), (2.0, 3.0)]), None);
        assert_eq!(least_squares(&[(1.0, f64::NAN), (2.0, 1.0)]), None);
    }

    /// Rising: scores January–June 2026 of 80, 82, …, 90, on 2026-07-01 with 12 of 18 months.
    fn rising() -> Profile {
        Profile {
            role: "agent".into(),
            months_in_role: 12,
            tenure_estimated: false,
            monthly_scores: scores_to_june(&[80.0, 82.0, 84.0, 86.0, 88.0, 90.0]),
            skills: BTreeMap::new(),
            certifications: vec![],
            as_of: date(2026, 7, 1),
        }
    }

    #[test]
    fn forecast_for_a_rising_trend() {
        // Worked example. The line through (Jan 80) … (Jun 90) is exact: +2 a month, 90 fitted
        // in June, so the latest fitted value already meets 90 but the 6-month mean (85) does not.
        // Projected: July 92, August 94, September 96. Rolling 6-month means: to July
        // (82+84+86+88+90+92)/6 = 87; to August 89; to September (86+88+90+92+94+96)/6 = 91 ≥ 90.
        // September's score is in on 2026-10-01: the score date. Tenure: 18 − 12 = 6 months
        // after 2026-07-01 = 2027-01-01. Ready at the later: 2027-01-01.
        let r = readiness(&fw(), "scored", &rising()).unwrap();
        assert!(!r.ready);
        let f = &r.forecast;
        let t = f.trend.as_ref().unwrap();
        assert!(close(t.slope_per_month, 2.0));
        assert_eq!(t.months_used, 6);
        assert!(close(t.latest_fitted, 90.0));
        let june = Month::new(2026, 6).unwrap().ordinal();
        assert!((t.intercept + 2.0 * f64::from(june) - 90.0).abs() < 1e-6);
        assert_eq!(f.score_date, Some(date(2026, 10, 1)));
        assert_eq!(f.tenure_date, date(2027, 1, 1));
        assert_eq!(f.date, Some(date(2027, 1, 1)));
        assert_eq!(
            f.message,
            "At the current trend (+2.0 points a month) the score requirement is met by 2026-10; tenure by 2027-01; ready around 2027-01."
        );
    }

    #[test]
    fn skill_and_certification_gaps_keep_the_date_open() {
        // The same scores against the team-leader role: the coaching, spreadsheet and ITIL gaps
        // cannot be forecast, so no date, but the message gives the date the rest allows.
        let r = readiness(&fw(), "team-leader", &rising()).unwrap();
        assert_eq!(r.forecast.score_date, Some(date(2026, 10, 1)));
        assert_eq!(r.forecast.date, None);
        assert_eq!(
            r.forecast.message,
            "At the current trend (+2.0 points a month) the score requirement is met by 2026-10; tenure by 2027-01; ready around 2027-01 once the skill and certification gaps close."
        );

        let mut p = ready_profile();
        p.skills.remove("excel");
        let r = readiness(&fw(), "team-leader", &p).unwrap();
        assert_eq!(r.forecast.date, None);
        assert_eq!(r.forecast.message, "The score requirement is met; ready once the skill gap closes.");
    }

    #[test]
    fn a_short_history_is_forecast_through_the_missing_months() {
        // January–April 95, 96, 97, 98 (+1 a month), 6 months needed: May 99 and June 100 are
        // projected; the six then average 97.5 ≥ 90, once June is over: 2026-07-01.
        let mut p = rising();
        p.months_in_role = 18;
        p.monthly_scores = scores_to_june(&[95.0, 96.0, 97.0, 98.0]);
        p.monthly_scores.iter_mut().for_each(|(m, _)| *m = m.prev().prev());
        p.as_of = date(2026, 5, 10);
        let r = readiness(&fw(), "scored", &p).unwrap();
        assert_eq!(r.forecast.score_date, Some(date(2026, 7, 1)));
        assert_eq!(r.forecast.date, Some(date(2026, 7, 1)));
    }

    #[test]
    fn a_falling_trend_will_not_get_there() {
        let mut p = rising();
        p.monthly_scores = scores_to_june(&[94.0, 92.0, 90.0, 88.0, 86.0, 84.0]); // mean 89, −2 a month
        let r = readiness(&fw(), "scored", &p).unwrap();
        assert!(!item(&r, "rating").met);
        assert!(close(r.forecast.trend.as_ref().unwrap().slope_per_month, -2.0));
        assert_eq!(r.forecast.score_date, None);
        assert_eq!(r.forecast.date, None);
        assert!(r.forecast.message.contains("will not"), "{}", r.forecast.message);
        assert_eq!(
            r.forecast.message,
            "Scores are falling (−2.0 a month): at this trend the rating requirement will not be met; the tenure requirement is met by 2027-01."
        );
    }

    #[test]
    fn a_slow_rise_is_capped_at_ten_years() {
        // +0.01 a month from 80: 90 is ~1,000 months away.
        let mut p = rising();
        p.monthly_scores = scores_to_june(&[80.0, 80.01, 80.02, 80.03, 80.04, 80.05]);
        let r = readiness(&fw(), "scored", &p).unwrap();
        assert_eq!(r.forecast.score_date, None);
        assert!(r.forecast.message.contains("not be met within 10 years"), "{}", r.forecast.message);
    }

    #[test]
    fn fewer_than_three_months_give_no_trend() {
        let mut p = rising();
        p.monthly_scores = scores_to_june(&[88.0, 89.0]);
        let r = readiness(&fw(), "scored", &p).unwrap();
        assert_eq!(r.forecast.trend, None);
        assert_eq!(r.forecast.score_date, None);
        assert_eq!(r.forecast.date, None);
        assert!(r.forecast.message.starts_with("Not enough score history (2 months)"), "{}", r.forecast.message);
    }

    #[test]
    fn the_trend_uses_at_most_twelve_months() {
        let mut p = rising();
        let mut values = vec![0.0; 6];
        values.extend((0..12).map(|i| 80.0 + f64::from(i)));
        p.monthly_scores = scores_to_june(&values);
        let t = readiness(&fw(), "scored", &p).unwrap().forecast.trend.unwrap();
        assert_eq!(t.months_used, 12);
        assert!(close(t.slope_per_month, 1.0));
    }

    #[test]
    fn serializes_with_kebab_case_kinds() {
        let r = readiness(&fw(), "team-leader", &rising()).unwrap();
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"preferred-certification\""));
        let back: Readiness = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
    }
}
