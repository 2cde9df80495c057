//! Readiness for every step of a route to the target role, not only the next one (issue 26).
//!
//! - **The next step** (from the current role) is judged exactly as [`readiness`]: the profile
//!   as it is.
//! - **A later step** is judged against the same skills, certifications and monthly scores
//!   (they go with the person; the scores stand for the KRA performance shown so far), but the
//!   time in role counts in the role the step starts from, which the person has not reached
//!   yet: it is a gap of the full months needed, worded as time to spend there once arrived
//!   (around the route's expected date for that role).
//! - **Standing**: `ready` when every required item is met; `nearly-ready` when the mean
//!   progress reaches [`NEARLY_READY_PERCENT`] (the pipeline's "nearly" stage); else `gaps`.
//!   Preferred certifications never count, as in [`readiness`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::words::months;
use super::{months_after, readiness, Profile, ReadinessError, RequirementKind, RequirementStatus};
use crate::framework::Framework;
use crate::planner::Route;

/// A step this far along (mean progress of its required items, in %) is "nearly ready".
pub const NEARLY_READY_PERCENT: f64 = 75.0;

/// Where a person stands against one step of their route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStanding {
    Ready,
    NearlyReady,
    Gaps,
}

/// One step of the route: the move from `from_role` into `role`, and the person's standing
/// against its requirements today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepReadiness {
    pub role: String,
    pub role_name: String,
    pub from_role: String,
    pub from_role_name: String,
    /// When the person is expected to reach `from_role` (`None` for the next step: they hold it).
    pub from_arrival: Option<NaiveDate>,
    /// Each requirement with where the person stands (as in [`readiness`]).
    pub items: Vec<RequirementStatus>,
    /// Mean progress of the required items × 100.
    pub percent: f64,
    pub ready: bool,
    pub standing: StepStanding,
    /// The standing in words: "Ready: every requirement is met.", "Nearly ready: 1 gap left
    /// (Coaching).", "3 gaps: …".
    pub summary: String,
}

/// Readiness for each step of `route` (which starts at the profile's role), in route order.
pub fn route_readiness(
    framework: &Framework,
    route: &Route,
    profile: &Profile,
) -> Result<Vec<StepReadiness>, ReadinessError> {
    let mut steps = Vec::with_capacity(route.milestones.len());
    for (i, pair) in route.roles.windows(2).enumerate() {
        let (from, to) = (&pair[0], &pair[1]);
        let arrival = i.checked_sub(1).and_then(|prev| route.milestones.get(prev)).map(|m| m.expected);
        let from_name = framework.role(from).map_or_else(|| from.clone(), |r| r.name.clone());
        let mut r = match arrival {
            None => readiness(framework, to, profile)?,
            Some(_) => {
                let later =
                    Profile { role: from.clone(), months_in_role: 0, tenure_estimated: false, ..profile.clone() };
                readiness(framework, to, &later)?
            }
        };
        if let Some(arrival) = arrival {
            for item in r.items.iter_mut().filter(|i| i.kind == RequirementKind::Tenure) {
                reword_future_tenure(item, &from_name, arrival);
            }
        }
        let standing = standing(r.ready, r.percent);
        let mut step = StepReadiness {
            role: to.clone(),
            role_name: r.target_name,
            from_role: from.clone(),
            from_role_name: from_name,
            from_arrival: arrival,
            items: r.items,
            percent: r.percent,
            ready: r.ready,
            standing,
            summary: String::new(),
        };
        step.summary = step.summarize();
        steps.push(step);
    }
    Ok(steps)
}

/// A later step's time in role: all of it is still ahead, in a role not reached yet.
fn reword_future_tenure(item: &mut RequirementStatus, from_name: &str, arrival: NaiveDate) {
    let need = item.need as u32;
    item.name = format!("Time as {from_name}");
    item.gap = format!("{} as {from_name} once there (expected around {arrival})", months(need as usize));
    item.closes_with = vec![format!("reach {from_name}, then stay until around {}", months_after(arrival, need))];
}

fn standing(ready: bool, percent: f64) -> StepStanding {
    if ready {
        StepStanding::Ready
    } else if percent >= NEARLY_READY_PERCENT {
        StepStanding::NearlyReady
    } else {
        StepStanding::Gaps
    }
}

impl StepReadiness {
    /// The standing in words, naming the open required items (again after rewording items).
    pub fn summarize(&self) -> String {
        summary_of(self)
    }
}

fn summary_of(step: &StepReadiness) -> String {
    let open: Vec<&str> = step
        .items
        .iter()
        .filter(|i| !i.met && i.kind != RequirementKind::PreferredCertification)
        .map(|i| i.name.as_str())
        .collect();
    let gaps = |n: usize| if n == 1 { "1 gap".to_string() } else { format!("{n} gaps") };
    match step.standing {
        StepStanding::Ready => "Ready: every requirement is met.".to_string(),
        StepStanding::NearlyReady => format!("Nearly ready: {} left ({}).", gaps(open.len()), open.join("; ")),
        StepStanding::Gaps => format!("{}: {}.", gaps(open.len()), open.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::period::Month;
    use crate::planner::{plan, PlanRequest};
    use crate::readiness::HeldCertification;

    const FRAMEWORK: &str = r#"
[meta]
id = "steps"
version = "1"
name = "Steps"

[scoring]
version = "1"
threshold_credit = 50
stretch_credit = 120
missing_kra = "reweight"
band = [
  { rating = 1, label = "Low", min_score = 0 },
  { rating = 3, label = "Meets", min_score = 90 },
]

[[skill]]
id = "coaching"
name = "Coaching"
kind = "soft"
levels = ["l1", "l2", "l3", "l4", "l5"]

[[skill]]
id = "product"
name = "Product knowledge"
kind = "technical"
levels = ["l1", "l2", "l3", "l4", "l5"]

[[certification]]
id = "itil4"
name = "ITIL 4 Foundation"
issuer = "PeopleCert"

[[role]]
id = "agent"
name = "Agent"
family = "voice"
level = 1
summary = "-"
education = "not-required"

[[role]]
id = "senior"
name = "Senior Agent"
family = "voice"
level = 2
summary = "-"
education = "not-required"
[role.requirements]
min_tenure_months = 6
skills = { product = 3 }

[[role]]
id = "lead"
name = "Team Leader"
family = "management"
level = 3
summary = "-"
education = "not-required"
[role.requirements]
min_tenure_months = 12
min_rating = 3
rating_months = 3
skills = { coaching = 3, product = 3 }
certifications = ["itil4"]

[[path]]
from = "agent"
to = "senior"
months_min = 6
months_max = 12

[[path]]
from = "senior"
to = "lead"
months_min = 12
months_max = 18
"#;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn profile() -> Profile {
        Profile {
            role: "agent".into(),
            months_in_role: 8,
            tenure_estimated: false,
            monthly_scores: (1..=3).map(|m| (Month::new(2026, m).unwrap(), 95.0)).collect(),
            skills: BTreeMap::from([("product".into(), 3), ("coaching".into(), 2)]),
            certifications: vec![],
            as_of: date(2026, 4, 1),
        }
    }

    fn steps_of(fw: &Framework, p: &Profile) -> Vec<StepReadiness> {
        let request = PlanRequest {
            from: "agent".into(),
            to: "lead".into(),
            months_in_role: p.months_in_role,
            start: p.as_of,
            horizon_months: 60,
            alternatives: 0,
        };
        let route = plan(fw, &request).unwrap().fastest;
        route_readiness(fw, &route, p).unwrap()
    }

    #[test]
    fn every_step_of_the_route_has_its_own_readiness() {
        let fw = Framework::parse(FRAMEWORK).unwrap();
        let steps = steps_of(&fw, &profile());
        assert_eq!(steps.len(), 2);
        let (next, later) = (&steps[0], &steps[1]);
        assert_eq!((next.from_role.as_str(), next.role.as_str()), ("agent", "senior"));
        assert_eq!(next.from_arrival, None);
        // Eight months as an agent, product knowledge at 3: every requirement met.
        assert_eq!(next.standing, StepStanding::Ready);
        assert_eq!(next.summary, "Ready: every requirement is met.");
        // The next step is exactly the next-role readiness.
        let direct = readiness(&fw, "senior", &profile()).unwrap();
        assert_eq!(next.items, direct.items);

        assert_eq!((later.from_role_name.as_str(), later.role_name.as_str()), ("Senior Agent", "Team Leader"));
        // Senior Agent is expected after 0–4 more months (2 expected): 2026-06-01.
        assert_eq!(later.from_arrival, Some(date(2026, 6, 1)));
        let tenure = later.items.iter().find(|i| i.kind == RequirementKind::Tenure).unwrap();
        assert!(!tenure.met);
        assert_eq!(tenure.name, "Time as Senior Agent");
        assert_eq!(tenure.gap, "12 months as Senior Agent once there (expected around 2026-06-01)");
        assert_eq!(tenure.closes_with, ["reach Senior Agent, then stay until around 2027-06-01"]);
        // The scores so far meet the rating; skills and certifications are today's.
        let rating = later.items.iter().find(|i| i.kind == RequirementKind::Rating).unwrap();
        assert!(rating.met);
        let coaching = later.items.iter().find(|i| i.id == "coaching").unwrap();
        assert_eq!(coaching.gap, "Coaching level 2, 3 needed");
        assert!(later.items.iter().any(|i| i.id == "itil4" && !i.met));
        assert!(!later.ready);
        // (0 + 1 + 2/3 + 1 + 0) / 5 = 53 %.
        assert!((later.percent - 53.33).abs() < 0.01, "{}", later.percent);
        assert_eq!(later.standing, StepStanding::Gaps);
        assert_eq!(later.summary, "3 gaps: Time as Senior Agent; Coaching; ITIL 4 Foundation.");
    }

    #[test]
    fn nearly_ready_and_gaps_follow_the_progress() {
        let fw = Framework::parse(FRAMEWORK).unwrap();
        let mut p = profile();
        p.months_in_role = 5; // 5 of 6 months; product knowledge met: (5/6 + 1) / 2 ≈ 92 %
        let next = &steps_of(&fw, &p)[0];
        assert_eq!(next.standing, StepStanding::NearlyReady);
        assert_eq!(next.summary, "Nearly ready: 1 gap left (Time in role).");

        p.skills.clear(); // not assessed: (5/6 + 0) / 2 ≈ 42 %
        let next = &steps_of(&fw, &p)[0];
        assert_eq!(next.standing, StepStanding::Gaps);
        assert_eq!(next.summary, "2 gaps: Time in role; Product knowledge.");
    }

    #[test]
    fn a_later_step_with_everything_but_time_is_never_ready_before_arrival() {
        let fw = Framework::parse(FRAMEWORK).unwrap();
        let mut p = profile();
        p.skills.insert("coaching".into(), 4);
        p.certifications.push(HeldCertification { id: "itil4".into(), earned: date(2025, 1, 1), expires: None });
        let later = &steps_of(&fw, &p)[1];
        assert!(!later.ready);
        // Four of five required items met: 80 %.
        assert_eq!(later.standing, StepStanding::NearlyReady);
        assert_eq!(later.summary, "Nearly ready: 1 gap left (Time as Senior Agent).");
    }

    #[test]
    fn standings_serialise_in_kebab_case() {
        assert_eq!(serde_json::to_value(StepStanding::NearlyReady).unwrap(), "nearly-ready");
        assert_eq!(serde_json::to_value(StepStanding::Ready).unwrap(), "ready");
    }
}
