//! Career path planning: the routes through the role graph from one role to another, ranked by
//! expected time, each laid out as dated milestones.
//!
//! ## Model
//!
//! Each framework [`Path`] says how long people typically spend in its `from` role before the move
//! (`months_min`–`months_max`). A route is a chain of paths; its time is the sum of its steps.
//! The months already spent in the current role ([`PlanRequest::months_in_role`]) are credited
//! to the **first step only**: its minimum and maximum are each reduced by them, never below 0.
//!
//! - **Expected months** of a step are the midpoint of its (credited) range; a route's expected
//!   months are the sum of the midpoints, which always lies between its minimum and maximum.
//! - **Ranking**: by expected months, then by fewer steps, then by the role ids in lexicographic
//!   order, so the result is deterministic. The first route is the fastest; the next
//!   [`PlanRequest::alternatives`] routes (distinct, simple) are the alternatives.
//! - **Horizon**: a route whose *earliest* arrival (its minimum months) is beyond
//!   [`PlanRequest::horizon_months`] is dropped; one whose *expected* arrival is beyond it is
//!   kept with [`Route::within_horizon`] `false`.
//! - **Dates**: `earliest` = start + cumulative minimum months, `latest` = start + cumulative
//!   maximum, `expected` = start + the cumulative expected months rounded half up; months are
//!   added as in [`crate::period::add_months`] (31 January + 1 month = 28/29 February).
//!
//! ## Search
//!
//! Routes are enumerated best-first (an A* enumeration of simple paths): partial routes sit in a
//! priority queue ordered by expected months so far plus the shortest expected months still
//! needed to reach the target (a lower bound computed once over the reverse graph), so complete
//! routes come out in increasing expected time and the search stops as soon as the fastest route
//! and the `alternatives` next ones are known. Partial routes that cannot arrive within the
//! horizon even at the minimum pace are pruned. The result is exact; there is no arbitrary cap on
//! the number of paths considered, only a guard against pathological frameworks: at most
//! [`MAX_EXPANSIONS`] partial routes are expanded, after which the best routes found so far are
//! returned. The framework's role graph is acyclic (validated), but the search only extends a
//! route with roles it has not visited, so it also terminates on an unvalidated graph.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};

use crate::framework::{Framework, Path};

/// The most partial routes the search expands before it settles for the routes found so far.
/// Real frameworks (15–30 roles) need a few dozen.
pub const MAX_EXPANSIONS: usize = 100_000;

/// What to plan: from the current role to a target role, from a date, within a horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRequest {
    pub from: String,
    pub to: String,
    /// Months already spent in `from`; counts toward the first step only.
    pub months_in_role: u32,
    /// Dates are laid out from here.
    pub start: NaiveDate,
    /// Routes whose earliest arrival is beyond this are dropped; routes whose expected arrival
    /// is beyond it are kept but marked (e.g. 60–120).
    pub horizon_months: u32,
    /// How many alternatives to return besides the fastest route (at most).
    pub alternatives: usize,
}

/// Arriving in one role of a route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub role: String,
    pub role_name: String,
    /// Cumulative from `start`.
    pub months_min: u32,
    /// Cumulative from `start`.
    pub months_max: u32,
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
    pub expected: NaiveDate,
}

/// One way from the current role to the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// The roles in order, from the current role to the target.
    pub roles: Vec<String>,
    /// One per step (none for the current role).
    pub milestones: Vec<Milestone>,
    pub months_min: u32,
    pub months_max: u32,
    /// The sum of the steps' midpoints, after the time-in-role credit.
    pub months_expected: f64,
    /// Whether the expected arrival is within the horizon.
    pub within_horizon: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CareerPlan {
    pub request: PlanRequest,
    pub fastest: Route,
    pub alternatives: Vec<Route>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanningError {
    #[error("unknown role '{0}'")]
    UnknownRole(String),
    #[error("'{0}' is already the current role")]
    SameRole(String),
    #[error("no path leads from '{from}' to '{to}' in the framework")]
    NoPath { from: String, to: String },
    #[error("no path from '{from}' to '{to}' arrives within the {horizon_months}-month horizon (the fastest takes at least {fastest_min} months)")]
    BeyondHorizon { from: String, to: String, horizon_months: u32, fastest_min: u32 },
}

/// Plans the routes from `request.from` to `request.to`: the fastest and up to
/// `request.alternatives` others, each as dated milestones (see the [module docs](self)).
///
/// ```
/// use chrono::NaiveDate;
/// use ladder_core::framework::Framework;
/// use ladder_core::planner::{plan, PlanRequest};
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
/// band = [{ rating = 1, label = "Any", min_score = 0 }]
///
/// [[role]]
/// id = "agent"
/// name = "Agent"
/// family = "voice"
/// level = 1
/// summary = "Answers calls."
/// education = "not-required"
///
/// [[role]]
/// id = "senior-agent"
/// name = "Senior Agent"
/// family = "voice"
/// level = 2
/// summary = "Takes escalations."
/// education = "not-required"
///
/// [[role]]
/// id = "team-leader"
/// name = "Team Leader"
/// family = "management"
/// level = 3
/// summary = "Leads a team."
/// education = "not-required"
///
/// [[path]]
/// from = "agent"
/// to = "senior-agent"
/// months_min = 6
/// months_max = 12
///
/// [[path]]
/// from = "senior-agent"
/// to = "team-leader"
/// months_min = 12
/// months_max = 18
///
/// [[path]]
/// from = "agent"
/// to = "team-leader"
/// months_min = 24
/// months_max = 36
/// "#).unwrap();
///
/// let request = PlanRequest {
///     from: "agent".into(),
///     to: "team-leader".into(),
///     months_in_role: 4,
///     start: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
///     horizon_months: 60,
///     alternatives: 2,
/// };
/// let career = plan(&fw, &request).unwrap();
/// // Via senior agent: (6−4 … 12−4) + (12 … 18) = 14–26 months, 20 expected.
/// assert_eq!(career.fastest.roles, ["agent", "senior-agent", "team-leader"]);
/// assert_eq!((career.fastest.months_min, career.fastest.months_max), (14, 26));
/// assert_eq!(career.fastest.months_expected, 20.0);
/// let senior = &career.fastest.milestones[0];
/// assert_eq!(senior.earliest, NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
/// assert_eq!(senior.expected, NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()); // 5 months, clamped
/// // The direct move (20–32 months after the credit, 26 expected) is the alternative.
/// assert_eq!(career.alternatives.len(), 1);
/// assert_eq!(career.alternatives[0].months_expected, 26.0);
/// ```
pub fn plan(framework: &Framework, request: &PlanRequest) -> Result<CareerPlan, PlanningError> {
    let (from, to) = (request.from.as_str(), request.to.as_str());
    for id in [from, to] {
        if framework.role(id).is_none() {
            return Err(PlanningError::UnknownRole(id.to_string()));
        }
    }
    if from == to {
        return Err(PlanningError::SameRole(from.to_string()));
    }

    let graph = Graph::new(framework, to);
    let credit = request.months_in_role;
    // The earliest possible arrival over all routes (exact on an acyclic graph).
    let fastest_min = graph
        .edges_from(from)
        .filter_map(|p| Some(u64::from(p.months_min.saturating_sub(credit)) + graph.remaining_min(&p.to)?))
        .min()
        .ok_or_else(|| PlanningError::NoPath { from: from.to_string(), to: to.to_string() })?;
    let horizon = request.horizon_months;
    let beyond = || PlanningError::BeyondHorizon {
        from: from.to_string(),
        to: to.to_string(),
        horizon_months: horizon,
        fastest_min: u32::try_from(fastest_min).unwrap_or(u32::MAX),
    };
    if fastest_min > u64::from(horizon) {
        return Err(beyond());
    }

    let wanted = request.alternatives.saturating_add(1);
    let mut routes = graph.best_routes(from, credit, horizon, wanted).into_iter();
    let fastest = routes.next().ok_or_else(beyond)?;
    let build = |c: Candidate| build_route(framework, request, c);
    Ok(CareerPlan { request: request.clone(), fastest: build(fastest), alternatives: routes.map(build).collect() })
}

/// The framework's paths as an adjacency list, with lower bounds of the time still needed from
/// each role to the target.
struct Graph<'a> {
    target: &'a str,
    /// Role → its outgoing paths, by target id; the first of duplicate paths wins.
    next: BTreeMap<&'a str, BTreeMap<&'a str, &'a Path>>,
    /// Role → the fewest expected months (sum of midpoints) from it to the target.
    expected_to_target: BTreeMap<&'a str, f64>,
    /// Role → the fewest minimum months from it to the target.
    min_to_target: BTreeMap<&'a str, u64>,
}

impl<'a> Graph<'a> {
    fn new(framework: &'a Framework, target: &'a str) -> Graph<'a> {
        let mut next: BTreeMap<&str, BTreeMap<&str, &Path>> = BTreeMap::new();
        for p in &framework.paths {
            if p.from != p.to {
                next.entry(p.from.as_str()).or_default().entry(p.to.as_str()).or_insert(p);
            }
        }
        let edges: Vec<&Path> = next.values().flat_map(|m| m.values().copied()).collect();
        // Bellman–Ford over the reverse graph: costs are non-negative, so this settles in at
        // most as many rounds as there are roles, cycles or not.
        let mut expected_to_target = BTreeMap::from([(target, 0.0)]);
        let mut min_to_target = BTreeMap::from([(target, 0u64)]);
        for _ in 0..=edges.len() {
            let mut changed = false;
            for p in &edges {
                if let Some(&rest) = expected_to_target.get(p.to.as_str()) {
                    let cost = rest + p.months_expected();
                    if !matches!(expected_to_target.get(p.from.as_str()), Some(&c) if c <= cost) {
                        expected_to_target.insert(p.from.as_str(), cost);
                        changed = true;
                    }
                }
                if let Some(&rest) = min_to_target.get(p.to.as_str()) {
                    let cost = rest + u64::from(p.months_min);
                    if !matches!(min_to_target.get(p.from.as_str()), Some(&c) if c <= cost) {
                        min_to_target.insert(p.from.as_str(), cost);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        Graph { target, next, expected_to_target, min_to_target }
    }

    fn edges_from(&self, role: &str) -> impl Iterator<Item = &'a Path> + '_ {
        self.next.get(role).into_iter().flat_map(|m| m.values().copied())
    }

    fn remaining_min(&self, role: &str) -> Option<u64> {
        self.min_to_target.get(role).copied()
    }

    /// Up to `wanted` routes from `from` to the target, best first, none with a minimum beyond
    /// `horizon`.
    fn best_routes(&self, from: &'a str, credit: u32, horizon: u32, wanted: usize) -> Vec<Candidate<'a>> {
        let mut queue = BinaryHeap::new();
        queue.push(Candidate { bound: 0.0, roles: vec![from], steps: Vec::new(), expected: 0.0, min: 0 });
        let mut found: Vec<Candidate> = Vec::new();
        let mut expansions = 0;
        while let Some(partial) = queue.pop() {
            // Complete routes come out in order of expected months; keep popping while a route
            // could still tie with the last one wanted, so ties are broken by the full ranking.
            if found.len() >= wanted && partial.bound > found[wanted - 1].expected {
                break;
            }
            expansions += 1;
            if expansions > MAX_EXPANSIONS {
                break;
            }
            let last = *partial.roles.last().expect("a route has a first role");
            if last == self.target {
                found.push(partial);
                continue;
            }
            for p in self.edges_from(last) {
                let role = p.to.as_str();
                if partial.roles.contains(&role) {
                    continue;
                }
                let (Some(&rest_expected), Some(&rest_min)) =
                    (self.expected_to_target.get(role), self.min_to_target.get(role))
                else {
                    continue; // the target cannot be reached from there
                };
                let first = partial.steps.is_empty();
                let take = if first { credit } else { 0 };
                let step = (p.months_min.saturating_sub(take), p.months_max.saturating_sub(take));
                let min = partial.min + u64::from(step.0);
                if min + rest_min > u64::from(horizon) {
                    continue; // cannot arrive within the horizon even at the fastest pace
                }
                let expected = partial.expected + (f64::from(step.0) + f64::from(step.1)) / 2.0;
                let mut roles = partial.roles.clone();
                roles.push(role);
                let mut steps = partial.steps.clone();
                steps.push(step);
                queue.push(Candidate { bound: expected + rest_expected, roles, steps, expected, min });
            }
        }
        found.sort_by(Candidate::rank);
        found.truncate(wanted);
        found
    }
}

/// A (partial) route during the search.
#[derive(Debug, Clone)]
struct Candidate<'a> {
    /// Expected months so far plus the fewest still needed: a lower bound of any completion.
    bound: f64,
    roles: Vec<&'a str>,
    /// Each step's (min, max) months, after the credit on the first.
    steps: Vec<(u32, u32)>,
    expected: f64,
    min: u64,
}

impl Candidate<'_> {
    /// The final ranking: expected months, then fewer steps, then role ids.
    fn rank(a: &Self, b: &Self) -> Ordering {
        a.expected.total_cmp(&b.expected).then(a.roles.len().cmp(&b.roles.len())).then_with(|| a.roles.cmp(&b.roles))
    }
}

impl PartialEq for Candidate<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Candidate<'_> {}
impl PartialOrd for Candidate<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate<'_> {
    /// Reversed, so `BinaryHeap` (a max-heap) pops the lowest bound first.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .bound
            .total_cmp(&self.bound)
            .then(other.roles.len().cmp(&self.roles.len()))
            .then_with(|| other.roles.cmp(&self.roles))
    }
}

fn build_route(framework: &Framework, request: &PlanRequest, c: Candidate) -> Route {
    let (mut min, mut max) = (0u64, 0u64);
    let mut milestones = Vec::with_capacity(c.steps.len());
    for (role, (step_min, step_max)) in c.roles[1..].iter().zip(&c.steps) {
        min += u64::from(*step_min);
        max += u64::from(*step_max);
        milestones.push(Milestone {
            role: role.to_string(),
            role_name: framework.role(role).map_or_else(|| role.to_string(), |r| r.name.clone()),
            months_min: saturate(min),
            months_max: saturate(max),
            earliest: months_after(request.start, min),
            latest: months_after(request.start, max),
            // The midpoint rounded half up.
            expected: months_after(request.start, (min + max).div_ceil(2)),
        });
    }
    Route {
        roles: c.roles.iter().map(|r| r.to_string()).collect(),
        milestones,
        months_min: saturate(min),
        months_max: saturate(max),
        months_expected: c.expected,
        within_horizon: c.expected <= f64::from(request.horizon_months),
    }
}

fn saturate(months: u64) -> u32 {
    u32::try_from(months).unwrap_or(u32::MAX)
}

/// [`crate::period::add_months`], saturating at the last representable date instead of panicking
/// on an absurd number of months.
fn months_after(start: NaiveDate, months: u64) -> NaiveDate {
    u32::try_from(months).ok().and_then(|m| start.checked_add_months(Months::new(m))).unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEADER: &str = r#"
[meta]
id = "test"
version = "1"
name = "Test"

[scoring]
version = "1"
threshold_credit = 50
stretch_credit = 120
missing_kra = "reweight"
band = [{ rating = 1, label = "Any", min_score = 0 }]
"#;

    /// A framework with the given roles (id = name) and paths (from, to, min, max).
    fn framework(roles: &[&str], paths: &[(&str, &str, u32, u32)]) -> Framework {
        let mut text = HEADER.to_string();
        for (i, r) in roles.iter().enumerate() {
            text += &format!(
                "\n[[role]]\nid = \"{r}\"\nname = \"Role {r}\"\nfamily = \"voice\"\nlevel = {}\nsummary = \"-\"\neducation = \"not-required\"\n",
                i + 1
            );
        }
        for (from, to, min, max) in paths {
            text += &format!("\n[[path]]\nfrom = \"{from}\"\nto = \"{to}\"\nmonths_min = {min}\nmonths_max = {max}\n");
        }
        Framework::parse(&text).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn request(from: &str, to: &str) -> PlanRequest {
        PlanRequest {
            from: from.into(),
            to: to.into(),
            months_in_role: 0,
            start: date(2026, 1, 15),
            horizon_months: 120,
            alternatives: 3,
        }
    }

    /// a → b → d (6–12, 12–24: 27 expected), a → c → d (12–18, 18–30: 39), a → d (30–42: 36).
    fn diamond() -> Framework {
        framework(
            &["a", "b", "c", "d"],
            &[("a", "b", 6, 12), ("b", "d", 12, 24), ("a", "c", 12, 18), ("c", "d", 18, 30), ("a", "d", 30, 42)],
        )
    }

    fn ids(route: &Route) -> Vec<&str> {
        route.roles.iter().map(String::as_str).collect()
    }

    #[test]
    fn fastest_route_beats_a_slower_one() {
        let career = plan(&diamond(), &request("a", "d")).unwrap();
        assert_eq!(ids(&career.fastest), ["a", "b", "d"]);
        assert_eq!((career.fastest.months_min, career.fastest.months_max), (18, 36));
        assert_eq!(career.fastest.months_expected, 27.0);
        assert!(career.fastest.within_horizon);
        assert_eq!(career.fastest.milestones.len(), 2);
        assert_eq!(career.fastest.milestones[0].role_name, "Role b");
        assert_eq!((career.fastest.milestones[0].months_min, career.fastest.milestones[0].months_max), (6, 12));
        assert_eq!((career.fastest.milestones[1].months_min, career.fastest.milestones[1].months_max), (18, 36));
    }

    #[test]
    fn alternatives_are_ordered_distinct_and_at_most_k() {
        let fw = diamond();
        let career = plan(&fw, &request("a", "d")).unwrap();
        let alts: Vec<Vec<&str>> = career.alternatives.iter().map(ids).collect();
        assert_eq!(alts, [vec!["a", "d"], vec!["a", "c", "d"]]); // 36 then 39 expected
        let expected: Vec<f64> = career.alternatives.iter().map(|r| r.months_expected).collect();
        assert_eq!(expected, [36.0, 39.0]);

        let mut one = request("a", "d");
        one.alternatives = 1;
        let career = plan(&fw, &one).unwrap();
        assert_eq!(career.alternatives.len(), 1);
        assert_eq!(ids(&career.alternatives[0]), ["a", "d"]);

        one.alternatives = 0;
        assert!(plan(&fw, &one).unwrap().alternatives.is_empty());
    }

    #[test]
    fn ties_go_to_fewer_steps_then_role_ids() {
        // Three routes of 12 expected months: a→d direct, a→b→d and a→c→d.
        let fw = framework(
            &["a", "b", "c", "d"],
            &[("a", "c", 6, 6), ("c", "d", 6, 6), ("a", "b", 6, 6), ("b", "d", 6, 6), ("a", "d", 10, 14)],
        );
        let career = plan(&fw, &request("a", "d")).unwrap();
        assert_eq!(ids(&career.fastest), ["a", "d"]);
        let alts: Vec<Vec<&str>> = career.alternatives.iter().map(ids).collect();
        assert_eq!(alts, [vec!["a", "b", "d"], vec!["a", "c", "d"]]);
    }

    #[test]
    fn time_in_role_counts_toward_the_first_step_only_and_saturates() {
        let fw = framework(&["a", "b", "c"], &[("a", "b", 6, 12), ("b", "c", 12, 24)]);
        let mut req = request("a", "c");
        req.months_in_role = 8; // 6–12 becomes 0–4; 12–24 untouched
        let route = plan(&fw, &req).unwrap().fastest;
        assert_eq!((route.milestones[0].months_min, route.milestones[0].months_max), (0, 4));
        assert_eq!((route.months_min, route.months_max), (12, 28));
        assert_eq!(route.months_expected, 20.0);
        assert_eq!(route.milestones[0].earliest, req.start);

        req.months_in_role = 100; // more than the whole first step: 0–0, never negative
        let route = plan(&fw, &req).unwrap().fastest;
        assert_eq!((route.milestones[0].months_min, route.milestones[0].months_max), (0, 0));
        assert_eq!((route.months_min, route.months_max), (12, 24));
        assert_eq!(route.months_expected, 18.0);
    }

    #[test]
    fn the_credit_can_change_which_route_is_fastest() {
        // Direct a→c is 20–28 (24); via b is 6–6 + 12–12 (18). Ten months in a: direct 10–18 (14),
        // via b 0–0 + 12 (12) — still via b; twenty months: direct 0–8 (4) wins.
        let fw = framework(&["a", "b", "c"], &[("a", "b", 6, 6), ("b", "c", 12, 12), ("a", "c", 20, 28)]);
        let mut req = request("a", "c");
        req.months_in_role = 10;
        assert_eq!(ids(&plan(&fw, &req).unwrap().fastest), ["a", "b", "c"]);
        req.months_in_role = 20;
        let career = plan(&fw, &req).unwrap();
        assert_eq!(ids(&career.fastest), ["a", "c"]);
        assert_eq!(career.fastest.months_expected, 4.0);
    }

    #[test]
    fn routes_beyond_the_horizon_are_dropped() {
        let fw = diamond();
        let mut req = request("a", "d");
        // Minimums: a→b→d 18, a→c→d 30, a→d 30. A 24-month horizon keeps only a→b→d, whose
        // expected 27 months are beyond it: kept, but marked.
        req.horizon_months = 24;
        let career = plan(&fw, &req).unwrap();
        assert_eq!(ids(&career.fastest), ["a", "b", "d"]);
        assert!(!career.fastest.within_horizon);
        assert!(career.alternatives.is_empty());

        req.horizon_months = 30; // the other two reach it at their minimum
        let career = plan(&fw, &req).unwrap();
        assert_eq!(career.alternatives.len(), 2);
        assert!(career.alternatives.iter().all(|r| !r.within_horizon));

        req.horizon_months = 27; // exactly the expected months of the fastest
        assert!(plan(&fw, &req).unwrap().fastest.within_horizon);
    }

    #[test]
    fn beyond_horizon_when_every_route_is() {
        let mut req = request("a", "d");
        req.horizon_months = 17;
        req.months_in_role = 0;
        let err = plan(&diamond(), &req).unwrap_err();
        assert_eq!(
            err,
            PlanningError::BeyondHorizon { from: "a".into(), to: "d".into(), horizon_months: 17, fastest_min: 18 }
        );
        assert!(err.to_string().contains("at least 18 months"));
        req.months_in_role = 1; // the credit brings the fastest to 17
        assert!(plan(&diamond(), &req).is_ok());
    }

    #[test]
    fn unknown_same_and_unconnected_roles() {
        let fw = framework(&["a", "b", "c"], &[("a", "b", 6, 12)]);
        assert_eq!(plan(&fw, &request("x", "b")).unwrap_err(), PlanningError::UnknownRole("x".into()));
        assert_eq!(plan(&fw, &request("a", "y")).unwrap_err(), PlanningError::UnknownRole("y".into()));
        assert_eq!(plan(&fw, &request("a", "a")).unwrap_err(), PlanningError::SameRole("a".into()));
        assert_eq!(
            plan(&fw, &request("a", "c")).unwrap_err(),
            PlanningError::NoPath { from: "a".into(), to: "c".into() }
        );
        // Paths only go forward.
        assert_eq!(
            plan(&fw, &request("b", "a")).unwrap_err(),
            PlanningError::NoPath { from: "b".into(), to: "a".into() }
        );
    }

    #[test]
    fn dates_are_laid_out_from_the_start() {
        let fw = framework(&["a", "b", "c"], &[("a", "b", 1, 4), ("b", "c", 12, 13)]);
        let mut req = request("a", "c");
        req.start = date(2026, 1, 31);
        let route = plan(&fw, &req).unwrap().fastest;
        let b = &route.milestones[0];
        assert_eq!(b.earliest, date(2026, 2, 28)); // 31 January + 1 month, clamped
        assert_eq!(b.latest, date(2026, 5, 31));
        assert_eq!(b.expected, date(2026, 4, 30)); // 2.5 months rounds up to 3; clamped to 30 April
        let c = &route.milestones[1];
        assert_eq!((c.months_min, c.months_max), (13, 17));
        assert_eq!(c.earliest, date(2027, 2, 28));
        assert_eq!(c.latest, date(2027, 6, 30));
        assert_eq!(c.expected, date(2027, 4, 30)); // 15 months, clamped
        assert_eq!(route.months_expected, 15.0);

        req.start = date(2024, 1, 31); // a leap year
        assert_eq!(plan(&fw, &req).unwrap().fastest.milestones[0].earliest, date(2024, 2, 29));
    }

    #[test]
    fn the_plan_echoes_the_request_and_serializes() {
        let req = request("a", "d");
        let career = plan(&diamond(), &req).unwrap();
        assert_eq!(career.request, req);
        let json = serde_json::to_string(&career).unwrap();
        let back: CareerPlan = serde_json::from_str(&json).unwrap();
        assert_eq!(back, career);
    }

    #[test]
    fn a_wide_graph_does_not_blow_up() {
        // 12 layers of 3 roles, every role linked to every role of the next layer: 3^10 ≈ 59,000
        // routes from the first layer's role to the last layer's.
        let mut roles = vec!["start".to_string()];
        let mut paths = Vec::new();
        let mut previous = vec!["start".to_string()];
        for layer in 0..10 {
            let current: Vec<String> = (0..3).map(|i| format!("r{layer}-{i}")).collect();
            for p in &previous {
                for (i, c) in current.iter().enumerate() {
                    paths.push((p.clone(), c.clone(), 6 + i as u32, 12 + i as u32));
                }
            }
            roles.extend(current.iter().cloned());
            previous = current;
        }
        roles.push("end".into());
        for p in &previous {
            paths.push((p.clone(), "end".into(), 6, 12));
        }
        let role_refs: Vec<&str> = roles.iter().map(String::as_str).collect();
        let path_refs: Vec<(&str, &str, u32, u32)> =
            paths.iter().map(|(a, b, x, y)| (a.as_str(), b.as_str(), *x, *y)).collect();
        let fw = framework(&role_refs, &path_refs);
        let mut req = request("start", "end");
        req.horizon_months = 1000;
        req.alternatives = 5;
        let career = plan(&fw, &req).unwrap();
        assert_eq!(career.fastest.roles.len(), 12);
        assert!(career.fastest.roles[1..11].iter().all(|r| r.ends_with("-0")));
        assert_eq!(career.fastest.months_expected, 11.0 * 9.0);
        assert_eq!(career.alternatives.len(), 5);
        assert!(career.alternatives.iter().all(|r| r.months_expected == 100.0));
        // Ten routes tie at 100 (one slower role); role ids break the tie: the slower role in
        // the latest layer sorts first.
        let slower: Vec<String> =
            career.alternatives.iter().map(|r| r.roles.iter().find(|id| id.ends_with("-1")).unwrap().clone()).collect();
        assert_eq!(slower, ["r9-1", "r8-1", "r7-1", "r6-1", "r5-1"]);
    }

    /// Every simple route, by brute force, ranked as `plan` ranks them.
    fn all_routes(fw: &Framework, req: &PlanRequest) -> Vec<(f64, Vec<String>, u32)> {
        fn walk(
            fw: &Framework,
            req: &PlanRequest,
            roles: &mut Vec<String>,
            min: u32,
            sum: u32,
            out: &mut Vec<(f64, Vec<String>, u32)>,
        ) {
            let last = roles.last().unwrap().clone();
            if last == req.to {
                out.push((f64::from(sum) / 2.0, roles.clone(), min));
                return;
            }
            for p in fw.paths_from(&last) {
                if roles.contains(&p.to) {
                    continue;
                }
                let credit = if roles.len() == 1 { req.months_in_role } else { 0 };
                let (a, b) = (p.months_min.saturating_sub(credit), p.months_max.saturating_sub(credit));
                roles.push(p.to.clone());
                walk(fw, req, roles, min + a, sum + a + b, out);
                roles.pop();
            }
        }
        let mut out = Vec::new();
        walk(fw, req, &mut vec![req.from.clone()], 0, 0, &mut out);
        out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.len().cmp(&b.1.len())).then_with(|| a.1.cmp(&b.1)));
        out
    }

    fn arb_case() -> impl Strategy<Value = (Framework, PlanRequest)> {
        (2usize..8)
            .prop_flat_map(|n| {
                let edges =
                    proptest::collection::vec((0..n, 0..n, 0u32..30, 0u32..30, prop::bool::weighted(0.5)), 0..30);
                (Just(n), edges, 0..n, 0..n, 0u32..30, 0u32..150, 0usize..5)
            })
            .prop_map(|(n, edges, from, to, months_in_role, horizon_months, alternatives)| {
                let names: Vec<String> = (0..n).map(|i| format!("r{i}")).collect();
                let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                let mut paths: Vec<(&str, &str, u32, u32)> = Vec::new();
                for (a, b, x, y, keep) in edges {
                    // Only forward paths (acyclic), no duplicates, min ≤ max.
                    if a < b && keep && !paths.iter().any(|p| p.0 == refs[a] && p.1 == refs[b]) {
                        paths.push((refs[a], refs[b], x.min(y), x.max(y)));
                    }
                }
                let fw = framework(&refs, &paths);
                let req = PlanRequest {
                    from: names[from].clone(),
                    to: names[to].clone(),
                    months_in_role,
                    start: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
                    horizon_months,
                    alternatives,
                };
                (fw, req)
            })
    }

    proptest! {
        #[test]
        fn routes_follow_framework_paths_and_match_brute_force((fw, req) in arb_case()) {
            let every = all_routes(&fw, &req);
            match plan(&fw, &req) {
                Ok(career) => {
                    let routes: Vec<&Route> = std::iter::once(&career.fastest).chain(&career.alternatives).collect();
                    prop_assert!(career.alternatives.len() <= req.alternatives);
                    for r in &routes {
                        prop_assert_eq!(r.roles.first(), Some(&req.from));
                        prop_assert_eq!(r.roles.last(), Some(&req.to));
                        prop_assert_eq!(r.milestones.len(), r.roles.len() - 1);
                        for w in r.roles.windows(2) {
                            prop_assert!(fw.paths.iter().any(|p| p.from == w[0] && p.to == w[1]));
                        }
                        prop_assert!(f64::from(r.months_min) <= r.months_expected);
                        prop_assert!(r.months_expected <= f64::from(r.months_max));
                        prop_assert!(r.months_min <= req.horizon_months);
                        prop_assert_eq!(r.within_horizon, r.months_expected <= f64::from(req.horizon_months));
                        let last = r.milestones.last().unwrap();
                        prop_assert_eq!((last.months_min, last.months_max), (r.months_min, r.months_max));
                        prop_assert!(last.earliest <= last.expected && last.expected <= last.latest);
                    }
                    // Exactly the best routes a brute-force enumeration ranks first.
                    let kept: Vec<&(f64, Vec<String>, u32)> =
                        every.iter().filter(|r| r.2 <= req.horizon_months).take(req.alternatives + 1).collect();
                    prop_assert_eq!(kept.len(), routes.len());
                    for (want, got) in kept.iter().zip(&routes) {
                        prop_assert_eq!(&want.1, &got.roles);
                        prop_assert_eq!(want.0, got.months_expected);
                    }
                }
                Err(PlanningError::SameRole(_)) => prop_assert_eq!(&req.from, &req.to),
                Err(PlanningError::NoPath { .. }) => prop_assert!(every.is_empty()),
                Err(PlanningError::BeyondHorizon { fastest_min, .. }) => {
                    prop_assert!(!every.is_empty());
                    prop_assert!(every.iter().all(|r| r.2 > req.horizon_months));
                    prop_assert_eq!(Some(fastest_min), every.iter().map(|r| r.2).min());
                }
                Err(e) => prop_assert!(false, "unexpected error {e}"),
            }
        }
    }
}
