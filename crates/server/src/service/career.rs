//! Career plans, readiness for the next step, and the talent pipeline. The planner and the
//! readiness rules are the core's; this module gathers what they need from the store.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Utc};
use ladder_core::access::Action;
use ladder_core::period::Month;
use ladder_core::planner::{self, CareerPlan, PlanRequest};
use ladder_core::readiness::{self, HeldCertification, Profile, Readiness, RequirementStatus, StepReadiness};
use ladder_core::EmployeeId;
use ladder_store::org::Employee;
use ladder_store::records::{self as store, Assessor, CertificationRecord, CertificationStatus, SkillAssessment};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Me;
use crate::error::{ApiError, ApiResult};
use crate::service::scorecards;
use crate::state::AppState;

/// Whole months from `since` to `as_of`.
pub fn months_between(since: NaiveDate, as_of: NaiveDate) -> u32 {
    let mut months = (as_of.year() - since.year()) * 12 + as_of.month() as i32 - since.month() as i32;
    if as_of.day() < since.day() {
        months -= 1;
    }
    months.max(0) as u32
}

/// Current skill levels: the latest leader assessment where there is one, else the latest self.
pub fn current_skills(assessments: &[SkillAssessment]) -> BTreeMap<String, u8> {
    // A person's own rating is a claim: only a leader's assessment (the latest) counts towards
    // readiness, so rating oneself 5 everywhere makes no one "ready" (issue 26).
    let mut confirmed: BTreeMap<String, u8> = BTreeMap::new();
    for a in assessments.iter().filter(|a| a.assessor == Assessor::Leader) {
        confirmed.insert(a.skill_id.clone(), a.level.clamp(1, 5) as u8);
    }
    confirmed
}

/// Skills the person rated themselves that no leader has assessed yet, with the level claimed.
fn unconfirmed_skills(assessments: &[SkillAssessment]) -> BTreeMap<String, i32> {
    let mut own: BTreeMap<String, i32> = BTreeMap::new();
    for a in assessments.iter().filter(|a| a.assessor == Assessor::Own) {
        own.insert(a.skill_id.clone(), a.level);
    }
    for a in assessments.iter().filter(|a| a.assessor == Assessor::Leader) {
        own.remove(&a.skill_id);
    }
    own
}

/// Says, on a skill gap the person has rated themselves, that their rating waits for a leader
/// (in the third person: the leader's page and the printed packet show it too).
fn mark_unconfirmed(items: &mut [RequirementStatus], assessments: &[SkillAssessment]) {
    let claimed = unconfirmed_skills(assessments);
    for item in items.iter_mut().filter(|i| i.kind == readiness::RequirementKind::Skill && !i.met) {
        if let Some(level) = claimed.get(&item.id) {
            item.gap = format!(
                "{}, level {} needed: self-rated {level}, awaiting a leader's assessment",
                item.name, item.need
            );
        }
    }
}

/// Says, on a certification gap the person has claimed as earned, that the claim waits for a
/// verifier or was rejected (issue 26): a claim is shown, but not counted.
fn mark_unverified(items: &mut [RequirementStatus], certs: &[CertificationRecord]) {
    use readiness::RequirementKind::{Certification, PreferredCertification};
    for item in items.iter_mut().filter(|i| matches!(i.kind, Certification | PreferredCertification)) {
        let Some(claim) = certs.iter().find(|c| c.certification_id == item.id && !c.held()) else { continue };
        if item.met || claim.status != CertificationStatus::Earned {
            continue;
        }
        let state = claim.state_label();
        item.gap = match item.gap.split_once(" not held") {
            Some((name, rest)) => format!("{name} {state}{rest}"),
            None => format!("{}: {state}", item.name),
        };
    }
}

/// The certifications that count: earned and verified (a claim alone does not, issue 26).
fn held(certs: &[CertificationRecord]) -> Vec<HeldCertification> {
    certs
        .iter()
        .filter(|c| c.held())
        .filter_map(|c| {
            Some(HeldCertification { id: c.certification_id.clone(), earned: c.earned_date?, expires: c.expires_date })
        })
        .collect()
}

/// What the readiness rules need to know about a person, as of today.
pub async fn profile(state: &AppState, employee: &Employee, monthly_scores: Vec<(Month, f64)>) -> ApiResult<Profile> {
    let skills = store::skill_assessments(&state.db, employee.id).await?;
    let certs = store::certifications(&state.db, employee.id).await?;
    Ok(profile_of(employee, monthly_scores, &skills, &certs))
}

/// A profile from records already loaded (for many people at once).
pub fn profile_of(
    employee: &Employee,
    monthly_scores: Vec<(Month, f64)>,
    skills: &[SkillAssessment],
    certs: &[CertificationRecord],
) -> Profile {
    let as_of = Utc::now().date_naive();
    Profile {
        role: employee.role_id.clone(),
        months_in_role: months_between(employee.role_since, as_of),
        tenure_estimated: employee.hire_date_basis == "unknown" && employee.role_since <= employee.hire_date,
        monthly_scores,
        skills: current_skills(skills),
        certifications: held(certs),
        as_of,
    }
}

/// The last full month and the 12 months through it.
pub(crate) fn score_window() -> (Month, Month) {
    let through = Month::last_full(Utc::now().date_naive());
    let mut first = through;
    for _ in 1..readiness::TREND_MONTHS {
        first = first.prev();
    }
    (first, through)
}

/// The role a person would move to next: the first step of their plan's route, else the
/// quickest path out of their role.
pub fn next_role(state: &AppState, employee: &Employee, plan: Option<&CareerPlan>) -> Option<String> {
    if let Some(step) = plan.and_then(|p| p.fastest.milestones.first()) {
        return Some(step.role.clone());
    }
    state
        .framework
        .paths_from(&employee.role_id)
        .min_by(|a, b| a.months_expected().total_cmp(&b.months_expected()))
        .map(|p| p.to.clone())
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CareerPlanInput {
    pub target_role: String,
    /// 1 to 15 years.
    pub horizon_years: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CareerPlanView {
    #[schema(value_type = i64)]
    pub employee_id: EmployeeId,
    pub current_role: String,
    pub current_role_name: String,
    pub months_in_role: u32,
    /// `None` until the person chooses a target.
    pub target_role: Option<String>,
    pub horizon_years: Option<i32>,
    /// The fastest route and alternatives, as dated milestones.
    #[schema(value_type = Option<Object>)]
    pub plan: Option<CareerPlan>,
    /// Why no route could be planned, if none could.
    pub plan_problem: Option<String>,
    /// The next step on the route (or the usual next role).
    pub next_role: Option<String>,
    /// Readiness for the next step: the checklist, each gap with what closes it, and a forecast.
    #[schema(value_type = Option<Object>)]
    pub readiness: Option<Readiness>,
    /// Readiness for every step of the fastest route, in order (empty without a plan): each
    /// step's role and the role it starts from, the requirements met and missing (self-claims
    /// and unverified certifications do not count), `percent`, `ready`, `standing` (`ready`,
    /// `nearly-ready` or `gaps`) and a `summary` in words.
    #[schema(value_type = Vec<Object>)]
    pub steps: Vec<StepReadiness>,
}

pub(crate) fn plan_route(
    state: &AppState,
    employee: &Employee,
    target: &str,
    horizon_years: i32,
) -> Result<CareerPlan, String> {
    let today = Utc::now().date_naive();
    let request = PlanRequest {
        from: employee.role_id.clone(),
        to: target.to_string(),
        months_in_role: months_between(employee.role_since, today),
        start: today,
        horizon_months: (horizon_years.clamp(1, 15) * 12) as u32,
        alternatives: 3,
    };
    planner::plan(&state.framework, &request).map_err(|e| planning_problem(state, &e))
}

/// Why no route was planned, naming roles by their names (the core's message names ids).
pub(crate) fn planning_problem(state: &AppState, e: &planner::PlanningError) -> String {
    use planner::PlanningError::*;
    let name = |id: &str| role_name(state, id);
    match e {
        UnknownRole(id) => format!("there is no role '{id}' in the framework"),
        SameRole(id) => format!("{} is already the current role", name(id)),
        NoPath { from, to } => format!("no path leads from {} to {} in the framework", name(from), name(to)),
        BeyondHorizon { from, to, horizon_months, fastest_min } => format!(
            "no path from {} to {} arrives within {}; the fastest takes at least {}",
            name(from),
            name(to),
            years_months(*horizon_months),
            years_months(*fastest_min)
        ),
    }
}

/// A span of months in words: "1 year 3 months", "2 years", "5 months", "1 month".
pub fn years_months(months: u32) -> String {
    let plural = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (months / 12, months % 12) {
        (0, m) => plural(m, "month", "months"),
        (y, 0) => plural(y, "year", "years"),
        (y, m) => format!("{} {}", plural(y, "year", "years"), plural(m, "month", "months")),
    }
}

pub async fn career_plan(state: &AppState, me: &Me, employee: &Employee) -> ApiResult<CareerPlanView> {
    me.require(Action::ViewPerson(employee.placement()))?;
    let stored = store::career_plan(&state.db, employee.id).await?;
    let (plan, plan_problem) = match &stored {
        Some(s) => match plan_route(state, employee, &s.target_role, s.horizon_years) {
            Ok(p) => (Some(p), None),
            Err(e) => (None, Some(e)),
        },
        None => (None, None),
    };
    let next = next_role(state, employee, plan.as_ref());
    let (readiness, steps) = match &next {
        Some(role) => judge(state, employee, role, plan.as_ref()).await?,
        None => (None, Vec::new()),
    };
    Ok(CareerPlanView {
        employee_id: employee.id,
        current_role: employee.role_id.clone(),
        current_role_name: role_name(state, &employee.role_id),
        months_in_role: months_between(employee.role_since, Utc::now().date_naive()),
        target_role: stored.as_ref().map(|s| s.target_role.clone()),
        horizon_years: stored.as_ref().map(|s| s.horizon_years),
        plan,
        plan_problem,
        next_role: next,
        readiness,
        steps,
    })
}

/// Readiness for the next role and for every step of the plan's fastest route, on the evidence
/// that counts: a self-rating or an unverified certification is named as such, never met.
async fn judge(
    state: &AppState,
    employee: &Employee,
    next: &str,
    plan: Option<&CareerPlan>,
) -> ApiResult<(Option<Readiness>, Vec<StepReadiness>)> {
    let (first, through) = score_window();
    let scores = scorecards::monthly_totals(state, std::slice::from_ref(employee), first, through)
        .await?
        .remove(&employee.id)
        .unwrap_or_default();
    let assessments = store::skill_assessments(&state.db, employee.id).await?;
    let certs = store::certifications(&state.db, employee.id).await?;
    let profile = profile_of(employee, scores, &assessments, &certs);
    let mut found = readiness::readiness(&state.framework, next, &profile).ok();
    if let Some(r) = found.as_mut() {
        mark_unconfirmed(&mut r.items, &assessments);
        mark_unverified(&mut r.items, &certs);
    }
    let mut steps = match plan {
        Some(p) => readiness::route_readiness(&state.framework, &p.fastest, &profile).unwrap_or_default(),
        None => Vec::new(),
    };
    for step in &mut steps {
        mark_unconfirmed(&mut step.items, &assessments);
        mark_unverified(&mut step.items, &certs);
        step.summary = step.summarize();
    }
    Ok((found, steps))
}

pub fn role_name(state: &AppState, id: &str) -> String {
    state.framework.role(id).map_or_else(|| id.to_string(), |r| r.name.clone())
}

/// Saves the person's own target; refuses a target no path reaches within the horizon.
pub async fn save_career_plan(
    state: &AppState,
    me: &Me,
    employee: &Employee,
    input: &CareerPlanInput,
) -> ApiResult<CareerPlanView> {
    me.require(Action::WriteOwnRecord(employee.placement()))?;
    crate::service::limits::check_line("target_role", &input.target_role, crate::service::limits::KEY)?;
    // A role's name ("Team Leader") does as well as its id.
    let target = state.framework.find_role(&input.target_role).map_err(|e| ApiError::invalid("target_role", e))?;
    let target = target.id.clone();
    if !(1..=15).contains(&input.horizon_years) {
        return Err(ApiError::invalid("horizon_years", "a horizon is 1 to 15 years"));
    }
    let plan =
        plan_route(state, employee, &target, input.horizon_years).map_err(|e| ApiError::invalid("target_role", e))?;
    store::save_career_plan(
        &state.db,
        employee.id,
        &target,
        input.horizon_years,
        &plan.fastest.roles,
        Some(me.user.id),
    )
    .await?;
    // The plan's first step is the person's next role in the pipeline.
    crate::service::pipeline::refresh(state, &[employee.id]).await?;
    career_plan(state, me, employee).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn whole_months_count_only_completed_months() {
        assert_eq!(months_between(day(2024, 1, 15), day(2024, 3, 14)), 1);
        assert_eq!(months_between(day(2024, 1, 15), day(2024, 3, 15)), 2);
        assert_eq!(months_between(day(2024, 5, 1), day(2024, 3, 1)), 0);
    }

    #[test]
    fn only_a_leaders_assessment_counts_a_self_assessment_waits_for_one() {
        let a = |skill: &str, level, assessor: &str, n| SkillAssessment {
            id: n,
            employee_id: EmployeeId(1),
            skill_id: skill.into(),
            level,
            assessor: assessor.parse().unwrap(),
            assessed_by: None,
            assessed_at: Utc::now(),
        };
        let assessments = [
            a("coaching", 4, "self", 1),
            a("coaching", 2, "leader", 2),
            a("coaching", 5, "self", 3),
            a("empathy", 3, "self", 4),
        ];
        let skills = current_skills(&assessments);
        assert_eq!(skills["coaching"], 2);
        assert!(!skills.contains_key("empathy"), "a self-rating alone is a claim");
        let waiting = unconfirmed_skills(&assessments);
        assert_eq!(waiting.into_iter().collect::<Vec<_>>(), vec![("empathy".to_string(), 3)]);
    }
}
