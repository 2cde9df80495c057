//! The career framework as data: roles, paths, skills, certifications, the KRA metric library,
//! role KRA templates and the scoring rules. The default ships inside the binary
//! (`framework/default.toml`); an organisation may replace or extend it with its own file.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::explore::{EntryProfile, Industry, Occupation};
use crate::metric::Direction;
use crate::scoring::ScoringRules;
use crate::settings::{FrameworkSettings, SettingsOverlay};
use crate::titles::JobTitle;

/// The default framework, embedded at compile time.
pub const DEFAULT_FRAMEWORK_TOML: &str = include_str!("../framework/default.toml");

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub meta: Meta,
    #[serde(default, rename = "role")]
    pub roles: Vec<Role>,
    #[serde(default, rename = "path")]
    pub paths: Vec<Path>,
    #[serde(default, rename = "skill")]
    pub skills: Vec<Skill>,
    #[serde(default, rename = "certification")]
    pub certifications: Vec<Certification>,
    #[serde(default, rename = "metric")]
    pub metrics: Vec<Metric>,
    /// Job titles as HR systems write them, each to a role ([`crate::titles`]).
    #[serde(default, rename = "title")]
    pub titles: Vec<JobTitle>,
    /// What each entry role asks of a newcomer, and its first 90 days (the explorer).
    #[serde(default, rename = "entry")]
    pub entries: Vec<EntryProfile>,
    /// Occupations outside BPO that roles' skills carry over to (the explorer).
    #[serde(default, rename = "occupation")]
    pub occupations: Vec<Occupation>,
    /// Industries BPO centres serve, and the roles they hire for (the explorer).
    #[serde(default, rename = "industry")]
    pub industries: Vec<Industry>,
    pub scoring: ScoringRules,
    /// Reminder windows and colour bands; Ladder's defaults where the file has none.
    #[serde(default, deserialize_with = "crate::settings::checked")]
    pub settings: FrameworkSettings,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub id: String,
    pub version: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum RoleFamily {
    Voice,
    NonVoice,
    SupportFunction,
    Management,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Education {
    DegreeRequired,
    DegreePreferred,
    NotRequired,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub family: RoleFamily,
    /// 1 = entry; higher is more senior.
    pub level: u8,
    pub summary: String,
    pub education: Education,
    #[serde(default)]
    pub shifts: String,
    #[serde(default)]
    pub isco08: Option<String>,
    #[serde(default)]
    pub onet_soc: Option<String>,
    /// What it takes to be promoted *into* this role.
    #[serde(default)]
    pub requirements: Requirements,
    /// The role's default KRA template; weights sum to 100.
    #[serde(default)]
    pub kras: Vec<KraTemplate>,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    /// Months in the current role before the move.
    #[serde(default)]
    pub min_tenure_months: u32,
    /// Minimum rating (band number) the mean monthly score of the last `rating_months` must reach.
    #[serde(default)]
    pub min_rating: Option<u8>,
    #[serde(default = "default_rating_months")]
    pub rating_months: u32,
    /// Skill id → minimum level (1–5).
    #[serde(default)]
    pub skills: BTreeMap<String, u8>,
    #[serde(default)]
    pub certifications: Vec<String>,
    #[serde(default)]
    pub preferred_certifications: Vec<String>,
}

fn default_rating_months() -> u32 {
    6
}

/// A move between two roles and how long people typically spend in `from` before it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Path {
    pub from: String,
    pub to: String,
    pub months_min: u32,
    pub months_max: u32,
    #[serde(default)]
    pub source: Option<String>,
}

impl Path {
    /// The midpoint of the typical range, used to rank paths.
    pub fn months_expected(&self) -> f64 {
        (self.months_min + self.months_max) as f64 / 2.0
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SkillKind {
    Soft,
    Technical,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Skill {
    pub id: String,
    pub name: String,
    pub kind: SkillKind,
    /// Descriptors of levels 1 to 5, in order.
    pub levels: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Certification {
    pub id: String,
    pub name: String,
    pub issuer: String,
    /// Roles this certification helps towards.
    #[serde(default)]
    pub helps_roles: Vec<String>,
    /// Months until it must be renewed; `None` where it does not expire (or no rule is known).
    #[serde(default)]
    pub validity_months: Option<u32>,
    /// The issuer states it never expires (then `validity_months` is not given).
    #[serde(default)]
    pub lifetime: bool,
    #[serde(default)]
    pub renewal: Option<String>,
    /// What a candidate needs before sitting it ("none" where the issuer asks nothing).
    #[serde(default)]
    pub prerequisites: Option<String>,
    /// What holding it shows, in a sentence.
    #[serde(default)]
    pub proves: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Seconds,
    Percent,
    Count,
    PerHour,
    Points,
    Days,
    Hours,
}

impl Unit {
    /// How the unit is written in files and shown after a figure.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Seconds => "seconds",
            Unit::Percent => "percent",
            Unit::Count => "count",
            Unit::PerHour => "per-hour",
            Unit::Points => "points",
            Unit::Days => "days",
            Unit::Hours => "hours",
        }
    }

    /// What follows a value in words: "590 s", "80 %", "12.5/h".
    pub fn suffix(self) -> &'static str {
        match self {
            Unit::Seconds => " s",
            Unit::Percent => " %",
            Unit::Count => "",
            Unit::PerHour => "/h",
            Unit::Points => " points",
            Unit::Days => " days",
            Unit::Hours => " h",
        }
    }

    /// A value in this unit, the one way every page and report writes it: 86.4 %, 9:50
    /// (minutes:seconds), 12.5/h, 1204.
    ///
    /// ```
    /// use ladder_core::framework::Unit;
    /// assert_eq!(Unit::Percent.show(81.6667), "81.7 %");
    /// assert_eq!(Unit::Seconds.show(590.4), "9:50");
    /// ```
    pub fn show(self, v: f64) -> String {
        match self {
            Unit::Percent => format!("{v:.1} %"),
            Unit::Seconds => {
                let s = v.round() as i64;
                format!("{}:{:02}", s / 60, s % 60)
            }
            Unit::PerHour => format!("{v:.1}/h"),
            Unit::Days => format!("{v:.1} d"),
            Unit::Hours => format!("{v:.1} h"),
            Unit::Points => format!("{v:.1}"),
            Unit::Count if v.fract().abs() < 1e-9 => format!("{}", v as i64),
            Unit::Count => format!("{v:.1}"),
        }
    }

    /// What follows a difference of two values: a gap between percentages is in points.
    pub fn gap_suffix(self) -> &'static str {
        match self {
            Unit::Percent => " percentage points",
            other => other.suffix(),
        }
    }
}

/// A KRA metric: always a ratio of two sums (or a plain sum when there is no denominator),
/// so any roll-up over days, months, agents or teams is Σnumerator ÷ Σdenominator.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub id: String,
    pub name: String,
    /// What the numerator counts, e.g. "handle seconds (talk + hold + after-call work)".
    pub numerator: String,
    /// What the denominator counts; `None` for a plain sum.
    #[serde(default)]
    pub denominator: Option<String>,
    pub unit: Unit,
    /// The ratio is multiplied by this for display and targets (100 for percentages).
    #[serde(default = "one")]
    pub scale: f64,
    pub direction: Direction,
    pub threshold: f64,
    pub target: f64,
    pub stretch: f64,
    #[serde(default)]
    pub source: Option<String>,
}

fn one() -> f64 {
    1.0
}

impl Metric {
    /// Sums shown as a reader compares them: the value in the metric's unit with its volume,
    /// "81.7 % (48 surveys)"; `volume` names what the denominator counts (the scoring rules'
    /// minimum-volume unit, else the metric's own denominator). A plain sum is its value alone.
    ///
    /// ```
    /// use ladder_core::Framework;
    /// use ladder_core::metric::Sums;
    /// let fw = Framework::default_framework();
    /// let csat = fw.metrics.iter().find(|m| m.id == "csat").unwrap();
    /// assert_eq!(csat.figure(Sums::new(98.0, 120.0), Some("surveys")), "81.7 % (120 surveys)");
    /// assert_eq!(csat.figure(Sums::new(0.0, 0.0), Some("surveys")), "— (0 surveys)");
    /// ```
    pub fn figure(&self, sums: crate::metric::Sums, volume: Option<&str>) -> String {
        let Some(denominator) = &self.denominator else { return self.unit.show(sums.numerator * self.scale) };
        let value = sums.value(true, self.scale).map_or_else(|| "—".to_string(), |v| self.unit.show(v));
        let counted = volume.unwrap_or(denominator);
        format!("{value} ({} {counted})", crate::scoring::number(sums.denominator))
    }
}

/// One KRA of a role's template. Limits left out fall back to the metric's defaults.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KraTemplate {
    pub metric: String,
    pub weight: f64,
    #[serde(default)]
    pub threshold: Option<f64>,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    pub stretch: Option<f64>,
}

/// Where in a framework file a problem is, and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// A path such as `role[customer-service-executive].kras` or `path[3].to`.
    pub at: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Syntax(String),
    #[error("the framework has {} problem(s):\n{}", .0.len(), .0.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
}

impl Framework {
    /// Parses a framework without validating it.
    pub fn parse(text: &str) -> Result<Framework, LoadError> {
        toml::from_str(text).map_err(|e| LoadError::Syntax(e.to_string()))
    }

    /// Parses and validates; every problem found is returned, not just the first.
    pub fn load(text: &str) -> Result<Framework, LoadError> {
        let framework = Self::parse(text)?;
        let problems = crate::validate::validate(&framework);
        if problems.is_empty() {
            Ok(framework)
        } else {
            Err(LoadError::Invalid(problems))
        }
    }

    /// The framework shipped with Ladder.
    pub fn default_framework() -> Framework {
        Self::load(DEFAULT_FRAMEWORK_TOML).expect("the embedded default framework is valid")
    }

    /// The shipped framework with an organisation's overlay (the `--extend` form) laid over it,
    /// validated: what `ladder framework apply` stores and the server reloads.
    pub fn default_with_overlay(text: &str) -> Result<Framework, LoadError> {
        let overlay = FrameworkOverlay::parse(text)?;
        let mut fw = Framework::default_framework();
        fw.extend(overlay);
        let problems = crate::validate::validate(&fw);
        if problems.is_empty() {
            Ok(fw)
        } else {
            Err(LoadError::Invalid(problems))
        }
    }

    /// Lays an organisation's file over this one: entries with the same id (or the same
    /// from/to for paths) replace ours, new ones are added. `meta` and `scoring` are taken from
    /// the overlay when it has them; `settings` key by key.
    pub fn extend(&mut self, overlay: FrameworkOverlay) {
        if let Some(meta) = overlay.meta {
            self.meta = meta;
        }
        if let Some(scoring) = overlay.scoring {
            self.scoring = scoring;
        }
        if let Some(settings) = overlay.settings {
            self.settings = self.settings.clone().overlaid(&settings);
        }
        merge_by(&mut self.roles, overlay.roles, |r| r.id.clone());
        merge_by(&mut self.skills, overlay.skills, |s| s.id.clone());
        merge_by(&mut self.certifications, overlay.certifications, |c| c.id.clone());
        merge_by(&mut self.metrics, overlay.metrics, |m| m.id.clone());
        merge_by(&mut self.paths, overlay.paths, |p| (p.from.clone(), p.to.clone()));
        crate::titles::merge(&mut self.titles, overlay.titles);
        merge_by(&mut self.entries, overlay.entries, |e| e.role.clone());
        merge_by(&mut self.occupations, overlay.occupations, |o| o.id.clone());
        merge_by(&mut self.industries, overlay.industries, |i| i.id.clone());
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// A role by its id or its name, as a person would type either: `team-leader`, `Team
    /// Leader`, `team leader` (case and repeated spaces do not matter). An id wins over a
    /// name; a name two roles share is refused, naming both.
    pub fn find_role(&self, id_or_name: &str) -> Result<&Role, String> {
        if let Some(role) = self.role(id_or_name) {
            return Ok(role);
        }
        let wanted = folded(id_or_name);
        if let Some(role) = self.roles.iter().find(|r| folded(&r.id) == wanted) {
            return Ok(role);
        }
        let named: Vec<&Role> = self.roles.iter().filter(|r| folded(&r.name) == wanted).collect();
        match named.as_slice() {
            [one] => Ok(one),
            [] => {
                let roles: Vec<String> = self.roles.iter().map(|r| format!("{} ({})", r.id, r.name)).collect();
                Err(format!("unknown role '{id_or_name}'; the roles are: {}", roles.join(", ")))
            }
            many => {
                let ids: Vec<&str> = many.iter().map(|r| r.id.as_str()).collect();
                Err(format!("'{id_or_name}' names {} roles ({}): use the role's id", many.len(), ids.join(", ")))
            }
        }
    }
    pub fn metric(&self, id: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.id == id)
    }
    pub fn skill(&self, id: &str) -> Option<&Skill> {
        self.skills.iter().find(|s| s.id == id)
    }
    pub fn certification(&self, id: &str) -> Option<&Certification> {
        self.certifications.iter().find(|c| c.id == id)
    }
    pub fn paths_from<'a>(&'a self, role: &'a str) -> impl Iterator<Item = &'a Path> + 'a {
        self.paths.iter().filter(move |p| p.from == role)
    }
}

/// A role id or name folded for comparing: lower case, spaces and `-`/`_` as one space.
fn folded(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A partial framework laid over another with [`Framework::extend`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkOverlay {
    #[serde(default)]
    pub meta: Option<Meta>,
    #[serde(default, rename = "role")]
    pub roles: Vec<Role>,
    #[serde(default, rename = "path")]
    pub paths: Vec<Path>,
    #[serde(default, rename = "skill")]
    pub skills: Vec<Skill>,
    #[serde(default, rename = "certification")]
    pub certifications: Vec<Certification>,
    #[serde(default, rename = "metric")]
    pub metrics: Vec<Metric>,
    /// Titles added, or moved to another role.
    #[serde(default, rename = "title")]
    pub titles: Vec<JobTitle>,
    #[serde(default, rename = "entry")]
    pub entries: Vec<EntryProfile>,
    #[serde(default, rename = "occupation")]
    pub occupations: Vec<Occupation>,
    #[serde(default, rename = "industry")]
    pub industries: Vec<Industry>,
    #[serde(default)]
    pub scoring: Option<ScoringRules>,
    /// Replaces the keys of `[settings]` it gives; the others stay as the base file has them.
    #[serde(default, deserialize_with = "crate::settings::checked_overlay")]
    pub settings: Option<SettingsOverlay>,
}

impl FrameworkOverlay {
    pub fn parse(text: &str) -> Result<FrameworkOverlay, LoadError> {
        toml::from_str(text).map_err(|e| LoadError::Syntax(e.to_string()))
    }
}

fn merge_by<T, K: PartialEq>(base: &mut Vec<T>, overlay: Vec<T>, key: impl Fn(&T) -> K) {
    for item in overlay {
        match base.iter_mut().find(|b| key(b) == key(&item)) {
            Some(slot) => *slot = item,
            None => base.push(item),
        }
    }
}

#[cfg(test)]
mod role_name_tests {
    use super::*;

    #[test]
    fn a_role_is_found_by_id_or_by_name_in_any_case_and_a_shared_name_is_refused() {
        let mut fw = Framework::default_framework();
        for typed in ["team-leader", "Team Leader", "team leader", "  TEAM   leader ", "Team-Leader"] {
            assert_eq!(fw.find_role(typed).map(|r| r.id.as_str()), Ok("team-leader"), "{typed:?}");
        }
        let unknown = fw.find_role("Team Captain").unwrap_err();
        assert!(unknown.contains("unknown role 'Team Captain'") && unknown.contains("team-leader (Team Leader)"));

        // Two roles called "Floor Lead" make the name ambiguous; their ids still work.
        fw.roles.iter_mut().find(|r| r.id == "team-leader").unwrap().name = "Floor Lead".into();
        let mut twin = fw.role("team-leader").unwrap().clone();
        twin.id = "chat-lead".into();
        fw.roles.push(twin);
        let ambiguous = fw.find_role("floor lead").unwrap_err();
        assert!(ambiguous.contains("names 2 roles (team-leader, chat-lead)"), "{ambiguous}");
        assert_eq!(fw.find_role("Chat Lead").map(|r| r.id.as_str()), Ok("chat-lead"));
    }
}
