//! The public career explorer: the framework's roles, ladder, certifications, industries and
//! "which entry role fits me", shaped once for the pages and the JSON API. Nothing here needs a
//! sign-in or reads the database: it is all framework data (`ladder_core::explore`).

use std::collections::BTreeMap;

use ladder_core::explore::fit::{self, Answers, Channel};
use ladder_core::explore::months_from_entry;
use ladder_core::framework::{Certification, Education, Framework, Role, RoleFamily};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

/// A role in a list or on the ladder.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleSummary {
    pub id: String,
    pub name: String,
    /// `voice`, `non-voice`, `support-function` or `management`.
    pub family: String,
    /// The kind of work in words: voice, non-voice, or both.
    pub work: String,
    /// An entry role (no experience needed) rather than a growth role.
    pub entry: bool,
    /// 1 = entry; higher is more senior.
    pub level: u8,
    pub summary: String,
    /// The shortest typical months from an entry role (0 for an entry role), low and high.
    pub months_from_entry: Option<[u32; 2]>,
}

/// A skill a role asks for, at a level, with what that level means.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkillNeed {
    pub id: String,
    pub name: String,
    pub level: u8,
    pub meaning: String,
}

/// A move into or out of a role, with the typical months spent in the role it leaves.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Move {
    pub role: String,
    pub name: String,
    pub months_min: u32,
    pub months_max: u32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CertificationView {
    pub id: String,
    pub name: String,
    pub issuer: String,
    pub proves: Option<String>,
    pub prerequisites: Option<String>,
    /// Months until renewal; none where it does not expire or no rule is known.
    pub validity_months: Option<u32>,
    /// Validity in words.
    pub validity: String,
    pub renewal: Option<String>,
    pub roles: Vec<RoleRef>,
}

/// An occupation outside BPO a role's skills carry over to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutsideView {
    pub title: String,
    /// `retail`, `banking`, `operations`, `hr`, `training` or `itsm`.
    pub sector: String,
    pub sector_name: String,
    pub onet_soc: String,
    pub esco: Option<String>,
    /// Skill names the role already asks for.
    pub carries: Vec<String>,
    /// Skill names to add, then the occupation's core skills Ladder does not track.
    pub to_add: Vec<String>,
}

/// What imported job postings say a role pays (filled once postings exist; omitted until then).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MarketPay {
    pub postings: u32,
    /// ISO 4217.
    pub currency: String,
    /// Monthly pay in minor units: the lower quartile, the median and the upper quartile.
    pub monthly_low: i64,
    pub monthly_median: i64,
    pub monthly_high: i64,
    /// Share of the postings that are remote, in percent.
    pub remote_percent: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleView {
    pub role: RoleSummary,
    /// `degree-required`, `degree-preferred` or `not-required`.
    pub education: String,
    pub education_text: String,
    pub shifts: String,
    pub nights: Option<String>,
    pub isco08: Option<String>,
    pub onet_soc: Option<String>,
    pub skills: Vec<SkillNeed>,
    pub paths_in: Vec<Move>,
    pub paths_out: Vec<Move>,
    pub certifications: Vec<CertificationView>,
    pub first_90_days: Vec<String>,
    pub outside: Vec<OutsideView>,
    pub industries: Vec<RoleRef>,
    /// Present only where imported postings give it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market_pay: Option<MarketPay>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PathView {
    pub from: String,
    pub to: String,
    pub months_min: u32,
    pub months_max: u32,
}

/// The whole ladder: roles by level and the moves between them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LadderView {
    pub roles: Vec<RoleSummary>,
    pub paths: Vec<PathView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndustryView {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub roles: Vec<RoleRef>,
}

/// Voice work, written and back-office work, or either.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema, Default, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Work {
    Voice,
    NonVoice,
    #[default]
    Either,
}

/// The self-assessment: skills rated 1–5 (only those the form asks about; one left out counts
/// as 1), the work wanted, whether nights are possible, whether the person has a degree.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FitInput {
    #[serde(default)]
    pub skills: BTreeMap<String, u8>,
    #[serde(default)]
    pub work: Work,
    pub nights_ok: bool,
    pub degree: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FitSuggestion {
    pub role: RoleSummary,
    /// Out of 100: skills 60, the kind of work 20, nights 10, education 10.
    pub score: u8,
    /// `good` (75+), `possible` (50+) or `stretch`.
    pub fit: String,
    pub reasons: Vec<String>,
    pub cautions: Vec<String>,
    pub first_90_days: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FitView {
    pub suggestions: Vec<FitSuggestion>,
}

pub fn summary(fw: &Framework, role: &Role) -> RoleSummary {
    let months = months_from_entry(fw);
    summary_with(role, &months)
}

fn summary_with(role: &Role, months: &BTreeMap<&str, (u32, u32)>) -> RoleSummary {
    let (family, work) = match role.family {
        RoleFamily::Voice => ("voice", "voice"),
        RoleFamily::NonVoice => ("non-voice", "non-voice"),
        RoleFamily::SupportFunction => ("support-function", "voice and non-voice"),
        RoleFamily::Management => ("management", "voice and non-voice"),
    };
    RoleSummary {
        id: role.id.clone(),
        name: role.name.clone(),
        family: family.into(),
        work: work.into(),
        entry: role.level == 1,
        level: role.level,
        summary: role.summary.clone(),
        months_from_entry: months.get(role.id.as_str()).map(|&(lo, hi)| [lo, hi]),
    }
}

/// Every role, entry roles first, then by level.
pub fn roles(fw: &Framework) -> Vec<RoleSummary> {
    let months = months_from_entry(fw);
    let mut roles: Vec<&Role> = fw.roles.iter().collect();
    roles.sort_by_key(|r| r.level);
    roles.into_iter().map(|r| summary_with(r, &months)).collect()
}

pub fn ladder(fw: &Framework) -> LadderView {
    LadderView {
        roles: roles(fw),
        paths: fw
            .paths
            .iter()
            .map(|p| PathView {
                from: p.from.clone(),
                to: p.to.clone(),
                months_min: p.months_min,
                months_max: p.months_max,
            })
            .collect(),
    }
}

fn role_ref(fw: &Framework, id: &str) -> RoleRef {
    RoleRef { id: id.into(), name: fw.role(id).map_or_else(|| id.to_string(), |r| r.name.clone()) }
}

fn skill_name(fw: &Framework, id: &str) -> String {
    fw.skill(id).map_or_else(|| id.to_string(), |s| s.name.clone())
}

/// One role's page; 404 for an id the framework does not have. `market_pay` comes from
/// imported postings where a deployment has them.
pub fn role(fw: &Framework, id: &str, market_pay: Option<MarketPay>) -> Result<RoleView, ApiError> {
    let role = fw.role(id).ok_or_else(|| ApiError::not_found("role"))?;
    let skills = fw
        .skills_for(role)
        .into_iter()
        .map(|(skill, level)| {
            let found = fw.skill(&skill);
            let meaning = found.and_then(|s| s.levels.get(usize::from(level.max(1)) - 1)).cloned().unwrap_or_default();
            SkillNeed { name: skill_name(fw, &skill), id: skill, level, meaning }
        })
        .collect();
    let moves = |pick: &dyn Fn(&ladder_core::framework::Path) -> Option<String>| -> Vec<Move> {
        fw.paths
            .iter()
            .filter_map(|p| {
                let other = pick(p)?;
                let name = role_ref(fw, &other).name;
                Some(Move { role: other, name, months_min: p.months_min, months_max: p.months_max })
            })
            .collect()
    };
    let entry = fw.entry_profile(&role.id);
    let (education, education_text) = match role.education {
        Education::DegreeRequired => ("degree-required", "A degree is required."),
        Education::DegreePreferred => ("degree-preferred", "A degree is preferred, not required."),
        Education::NotRequired => ("not-required", "No degree is needed."),
    };
    Ok(RoleView {
        role: summary(fw, role),
        education: education.into(),
        education_text: education_text.into(),
        shifts: role.shifts.clone(),
        nights: entry.map(|e| capitalised(e.nights.label())),
        isco08: role.isco08.clone(),
        onet_soc: role.onet_soc.clone(),
        skills,
        paths_in: moves(&|p| (p.to == role.id).then(|| p.from.clone())),
        paths_out: moves(&|p| (p.from == role.id).then(|| p.to.clone())),
        certifications: fw
            .certifications
            .iter()
            .filter(|c| c.helps_roles.contains(&role.id) || role.requirements.preferred_certifications.contains(&c.id))
            .map(|c| certification_view(fw, c))
            .collect(),
        first_90_days: entry.map(|e| e.first_90_days.clone()).unwrap_or_default(),
        outside: outside(fw, role),
        industries: fw
            .industries
            .iter()
            .filter(|i| i.roles.contains(&role.id))
            .map(|i| RoleRef { id: i.id.clone(), name: i.name.clone() })
            .collect(),
        market_pay,
    })
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn outside(fw: &Framework, role: &Role) -> Vec<OutsideView> {
    fw.transfers(role)
        .into_iter()
        .map(|t| {
            let o = t.occupation;
            let mut to_add: Vec<String> = t.to_add.iter().map(|s| skill_name(fw, s)).collect();
            to_add.extend(o.also.iter().cloned());
            OutsideView {
                title: o.title.clone(),
                sector: serde_json::to_value(o.sector)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                sector_name: o.sector.label().into(),
                onet_soc: o.onet_soc.clone(),
                esco: o.esco.clone(),
                carries: t.carries.iter().map(|s| skill_name(fw, s)).collect(),
                to_add,
            }
        })
        .collect()
}

pub fn certification_view(fw: &Framework, c: &Certification) -> CertificationView {
    let validity = match c.validity_months {
        Some(m) if m % 12 == 0 => format!("Valid {} years, then renewed", m / 12),
        Some(m) => format!("Valid {m} months, then renewed"),
        None if c.lifetime => "Does not expire".into(),
        None => "No expiry date is known".into(),
    };
    CertificationView {
        id: c.id.clone(),
        name: c.name.clone(),
        issuer: c.issuer.clone(),
        proves: c.proves.clone(),
        prerequisites: c.prerequisites.clone(),
        validity_months: c.validity_months,
        validity,
        renewal: c.renewal.clone(),
        roles: c.helps_roles.iter().map(|r| role_ref(fw, r)).collect(),
    }
}

pub fn certifications(fw: &Framework) -> Vec<CertificationView> {
    fw.certifications.iter().map(|c| certification_view(fw, c)).collect()
}

pub fn certification(fw: &Framework, id: &str) -> Result<CertificationView, ApiError> {
    fw.certification(id).map(|c| certification_view(fw, c)).ok_or_else(|| ApiError::not_found("certification"))
}

pub fn industries(fw: &Framework) -> Vec<IndustryView> {
    fw.industries
        .iter()
        .map(|i| IndustryView {
            id: i.id.clone(),
            name: i.name.clone(),
            summary: i.summary.clone(),
            roles: i.roles.iter().map(|r| role_ref(fw, r)).collect(),
        })
        .collect()
}

/// The entry roles ranked for the answers; a skill not asked about or a rating outside 1–5 is
/// a 422 naming it.
pub fn fit(fw: &Framework, input: &FitInput) -> Result<FitView, ApiError> {
    let answers = Answers {
        skills: input.skills.clone(),
        channel: match input.work {
            Work::Voice => Channel::Voice,
            Work::NonVoice => Channel::NonVoice,
            Work::Either => Channel::Either,
        },
        nights_ok: input.nights_ok,
        degree: input.degree,
    };
    answers.check(fw).map_err(|e| ApiError::invalid(&e.field, e.message))?;
    let months = months_from_entry(fw);
    let suggestions = fit::suggest(fw, &answers)
        .into_iter()
        .filter_map(|s| {
            let role = fw.role(s.role)?;
            let fit = match s.score {
                75.. => "good",
                50.. => "possible",
                _ => "stretch",
            };
            Some(FitSuggestion {
                role: summary_with(role, &months),
                score: s.score,
                fit: fit.into(),
                reasons: s.reasons,
                cautions: s.cautions,
                first_90_days: fw.entry_profile(&role.id).map(|e| e.first_90_days.clone()).unwrap_or_default(),
            })
        })
        .collect();
    Ok(FitView { suggestions })
}

/// The self-assessment as the page's form sends it (`communication=3&work=voice&nights=no&
/// degree=yes`): a skill left empty is left out; any other field, or a value the form does not
/// offer, is a 422 naming the field.
pub fn fit_input(fw: &Framework, form: &BTreeMap<String, String>) -> Result<FitInput, ApiError> {
    let asked = fit::asked_skills(fw);
    let yes_no = |field: &str| -> Result<bool, ApiError> {
        match form.get(field).map(String::as_str) {
            Some("yes") => Ok(true),
            Some("no") | None => Ok(false),
            Some(_) => Err(ApiError::invalid(field, "answer yes or no")),
        }
    };
    let mut input = FitInput {
        skills: BTreeMap::new(),
        work: Work::Either,
        nights_ok: yes_no("nights")?,
        degree: yes_no("degree")?,
    };
    for (field, value) in form {
        match field.as_str() {
            "nights" | "degree" => {}
            "work" => {
                input.work = match value.as_str() {
                    "voice" => Work::Voice,
                    "non-voice" => Work::NonVoice,
                    "either" | "" => Work::Either,
                    _ => return Err(ApiError::invalid("work", "choose voice, non-voice or either")),
                }
            }
            skill if asked.contains(&skill) => {
                if value.is_empty() {
                    continue;
                }
                let rating = value.parse::<u8>().ok().filter(|r| (1..=5).contains(r));
                let rating = rating.ok_or_else(|| ApiError::invalid(skill, "rate it from 1 to 5"))?;
                input.skills.insert(skill.to_string(), rating);
            }
            // Shared links carry these; they say nothing about the person.
            tracking if is_tracking_param(tracking) => {}
            // The name is echoed back, so only its first 40 characters.
            other => {
                let shown: String = other.chars().take(40).collect();
                return Err(ApiError::invalid(&shown, "not a field of this form"));
            }
        }
    }
    Ok(input)
}

/// Query parameters that link shorteners, ads and social sites add to shared links.
const TRACKING_PREFIXES: [&str; 8] = ["utm_", "fbclid", "gclid", "dclid", "msclkid", "mc_", "_ga", "igshid"];

fn is_tracking_param(name: &str) -> bool {
    TRACKING_PREFIXES.iter().any(|p| name.starts_with(p))
}
