//! Who may apply for an opening: the role's promotion requirements (the readiness checklist and
//! its forecast) plus the opening's own rules.
//!
//! - **Eligible**: every required item of the role is met (or the person holds the role
//!   already: a move sideways) and every checkable rule is met.
//! - **Nearly eligible**: not eligible, but the rules that time cannot close are met (same
//!   site) and the rest is close: the readiness is at least [`NEARLY_PERCENT`] % or forecast
//!   within [`NEARLY_MONTHS`] months, and any company-tenure gap closes within that time too.
//! - **Not eligible**: anything else.
//!
//! "No final written warning" is a declaration: Ladder keeps no disciplinary records, so the
//! applicant confirms it when applying and HR checks it at screening; it never blocks here.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::framework::Framework;
use crate::readiness::{readiness, Profile, Readiness, ReadinessError};

/// Readiness at least this share of the way counts as nearly eligible.
pub const NEARLY_PERCENT: f64 = 75.0;
/// A forecast (or a company-tenure gap) closing within this many months counts as nearly.
pub const NEARLY_MONTHS: u32 = 6;

/// The opening's own rules: a small closed set, each checked or declared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningRules {
    /// The applicant declares they have no final written warning.
    pub no_final_warning: bool,
    /// Whole months with the company (from the hire date); 0 for none.
    pub min_company_months: u32,
    /// Only people already at the opening's site.
    pub same_site: bool,
}

/// What the rules are checked against, beside the readiness profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applicant {
    pub months_with_company: u32,
    pub site_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    Eligible,
    NearlyEligible,
    NotEligible,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Eligible => "eligible",
            Standing::NearlyEligible => "nearly-eligible",
            Standing::NotEligible => "not-eligible",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Standing::Eligible => "Eligible",
            Standing::NearlyEligible => "Nearly eligible",
            Standing::NotEligible => "Not eligible",
        }
    }
}

/// One of the opening's rules and where the person stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleCheck {
    /// `no-final-written-warning`, `company-tenure` or `same-site`.
    pub rule: String,
    pub name: String,
    /// `None`: declared by the applicant, not checked from data.
    pub met: Option<bool>,
    /// The gap in words; empty when met.
    pub gap: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Eligibility {
    pub standing: Standing,
    /// The role's checklist (its gaps say what closes them) and the forecast.
    pub readiness: Readiness,
    /// True when the person holds the opening's role already: its requirements count as met.
    pub same_role: bool,
    pub rules: Vec<RuleCheck>,
    /// Every open gap, in words: the role's, then the rules'.
    pub gaps: Vec<String>,
    /// When the person is forecast to meet the role's requirements (`None`: not forecast).
    pub forecast_date: Option<NaiveDate>,
}

/// How `profile` (with `applicant`'s facts) stands for an opening of `role` at `site_id`.
pub fn eligibility(
    framework: &Framework,
    role: &str,
    site_id: i64,
    rules: &OpeningRules,
    profile: &Profile,
    applicant: &Applicant,
) -> Result<Eligibility, ReadinessError> {
    let readiness = readiness(framework, role, profile)?;
    let same_role = profile.role == role;
    let role_met = same_role || readiness.ready;
    let checks = rule_checks(rules, site_id, applicant);
    let rules_met = checks.iter().all(|c| c.met != Some(false));

    let mut gaps: Vec<String> = if same_role {
        vec![]
    } else {
        readiness
            .items
            .iter()
            .filter(|i| !i.met && i.kind != crate::readiness::RequirementKind::PreferredCertification)
            .map(|i| format!("{}: {}", i.name, i.gap))
            .collect()
    };
    gaps.extend(checks.iter().filter(|c| c.met == Some(false)).map(|c| c.gap.clone()));

    let forecast_date = if role_met { Some(profile.as_of) } else { readiness.forecast.date };
    let horizon = profile.as_of.checked_add_months(Months::new(NEARLY_MONTHS)).unwrap_or(NaiveDate::MAX);
    let standing = if role_met && rules_met {
        Standing::Eligible
    } else if nearly(rules, site_id, applicant)
        && (role_met || readiness.percent >= NEARLY_PERCENT || forecast_date.is_some_and(|d| d <= horizon))
    {
        Standing::NearlyEligible
    } else {
        Standing::NotEligible
    };
    Ok(Eligibility { standing, readiness, same_role, rules: checks, gaps, forecast_date })
}

/// The rules that time cannot close are met, and those it can close will within the horizon.
fn nearly(rules: &OpeningRules, site_id: i64, applicant: &Applicant) -> bool {
    let site_ok = !rules.same_site || applicant.site_id == Some(site_id);
    let tenure_ok = applicant.months_with_company + NEARLY_MONTHS >= rules.min_company_months;
    site_ok && tenure_ok
}

fn rule_checks(rules: &OpeningRules, site_id: i64, applicant: &Applicant) -> Vec<RuleCheck> {
    let mut out = Vec::new();
    if rules.no_final_warning {
        out.push(RuleCheck {
            rule: "no-final-written-warning".into(),
            name: "No final written warning".into(),
            met: None,
            gap: String::new(),
        });
    }
    if rules.min_company_months > 0 {
        let left = rules.min_company_months.saturating_sub(applicant.months_with_company);
        out.push(RuleCheck {
            rule: "company-tenure".into(),
            name: format!("At least {} months with the company", rules.min_company_months),
            met: Some(left == 0),
            gap: if left == 0 { String::new() } else { format!("{left} more months with the company") },
        });
    }
    if rules.same_site {
        let met = applicant.site_id == Some(site_id);
        out.push(RuleCheck {
            rule: "same-site".into(),
            name: "Already at this site".into(),
            met: Some(met),
            gap: if met { String::new() } else { "open only to people at this site".into() },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::period::Month;

    const FRAMEWORK: &str = r#"
[meta]
id = "t"
version = "1"
name = "T"

[scoring]
version = "1"
threshold_credit = 50
stretch_credit = 120
missing_kra = "reweight"
band = [
  { rating = 2, label = "Needs improvement", min_score = 70 },
  { rating = 3, label = "Meets expectations", min_score = 90 },
]

[[role]]
id = "agent"
name = "Agent"
family = "voice"
level = 1
summary = "Answers."
education = "not-required"

[[role]]
id = "senior"
name = "Senior Agent"
family = "voice"
level = 2
summary = "Answers harder ones."
education = "not-required"
[role.requirements]
min_tenure_months = 12
min_rating = 3
rating_months = 3
"#;

    fn profile(months_in_role: u32, score: f64) -> Profile {
        let m = |n| Month::new(2026, n).unwrap();
        Profile {
            role: "agent".into(),
            months_in_role,
            tenure_estimated: false,
            monthly_scores: vec![(m(1), score), (m(2), score), (m(3), score)],
            skills: BTreeMap::new(),
            certifications: vec![],
            as_of: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
        }
    }

    fn check(p: &Profile, rules: OpeningRules, applicant: Applicant) -> Eligibility {
        let fw = Framework::parse(FRAMEWORK).unwrap();
        eligibility(&fw, "senior", 7, &rules, p, &applicant).unwrap()
    }

    const HERE: Applicant = Applicant { months_with_company: 24, site_id: Some(7) };

    #[test]
    fn meeting_the_role_and_the_rules_is_eligible() {
        let e = check(&profile(14, 95.0), OpeningRules::default(), HERE);
        assert_eq!(e.standing, Standing::Eligible);
        assert!(e.gaps.is_empty());
    }

    #[test]
    fn close_to_the_role_is_nearly_eligible_with_the_gaps_and_a_date() {
        let e = check(&profile(10, 95.0), OpeningRules::default(), HERE);
        assert_eq!(e.standing, Standing::NearlyEligible);
        assert_eq!(e.gaps, vec!["Time in role: 2 more months in role".to_string()]);
        assert_eq!(e.forecast_date, NaiveDate::from_ymd_opt(2026, 6, 1));
    }

    #[test]
    fn far_from_the_role_is_not_eligible() {
        let e = check(&profile(1, 40.0), OpeningRules::default(), HERE);
        assert_eq!(e.standing, Standing::NotEligible);
    }

    #[test]
    fn the_openings_rules_count() {
        let p = profile(14, 95.0);
        let elsewhere = Applicant { months_with_company: 24, site_id: Some(8) };
        let same_site = OpeningRules { same_site: true, ..Default::default() };
        assert_eq!(check(&p, same_site, elsewhere).standing, Standing::NotEligible, "time cannot move a site");
        let tenure = OpeningRules { min_company_months: 27, ..Default::default() };
        let e = check(&p, tenure, HERE);
        assert_eq!(e.standing, Standing::NearlyEligible);
        assert_eq!(e.gaps, vec!["3 more months with the company".to_string()]);
        let declared = OpeningRules { no_final_warning: true, ..Default::default() };
        let e = check(&p, declared, HERE);
        assert_eq!(e.standing, Standing::Eligible, "a declaration does not block");
        assert_eq!(e.rules[0].met, None);
    }

    #[test]
    fn holding_the_role_already_is_a_move_sideways() {
        let mut p = profile(0, 10.0);
        p.role = "senior".into();
        let e = check(&p, OpeningRules::default(), HERE);
        assert_eq!(e.standing, Standing::Eligible);
        assert!(e.same_role);
    }
}
