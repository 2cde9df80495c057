//! The public career explorer's data and rules: what an entry role asks of a newcomer and its
//! first 90 days, the occupations outside BPO a role's skills carry over to, the industries
//! that hire for each role, and how long the ladder typically takes to climb. Pure: the server
//! shapes pages and JSON from these.

pub mod fit;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::framework::{Framework, Problem, Role};

/// What an entry role asks of a newcomer, how often it works nights, and the first 90 days.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EntryProfile {
    pub role: String,
    /// Skill id → the level (1–5) the role asks for by the end of nesting.
    pub skills: BTreeMap<String, u8>,
    pub nights: Nights,
    /// The first 90 days' learning, in order.
    #[serde(default)]
    pub first_90_days: Vec<String>,
    #[serde(default)]
    pub source: Option<String>,
}

/// How often a role works night shifts.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Nights {
    Common,
    Some,
    Rare,
}

impl Nights {
    pub fn label(self) -> &'static str {
        match self {
            Nights::Common => "night shifts are common",
            Nights::Some => "some night shifts",
            Nights::Rare => "night shifts are rare",
        }
    }
}

/// The kinds of work outside BPO the explorer groups occupations by.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Sector {
    Retail,
    Banking,
    Operations,
    Hr,
    Training,
    Itsm,
}

impl Sector {
    pub fn label(self) -> &'static str {
        match self {
            Sector::Retail => "Retail and consumer services",
            Sector::Banking => "Banking, financial services and insurance",
            Sector::Operations => "Operations and business analysis",
            Sector::Hr => "Human resources",
            Sector::Training => "Training and people development",
            Sector::Itsm => "IT service management",
        }
    }
}

/// An occupation outside BPO, by its O*NET-SOC code, with the Ladder skills core to it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Occupation {
    pub id: String,
    pub title: String,
    pub sector: Sector,
    pub onet_soc: String,
    /// The ESCO occupation (and its ISCO-08 group) the crosswalk gives, if any.
    #[serde(default)]
    pub esco: Option<String>,
    /// The framework roles whose work O*NET lists as related.
    pub from: Vec<String>,
    /// Ladder skills core to the occupation (O*NET importance ≥ 3, through the skills bridge).
    pub skills: Vec<String>,
    /// O*NET skills the sources give to add that no Ladder skill names (e.g. Mathematics).
    #[serde(default)]
    pub also: Vec<String>,
    #[serde(default)]
    pub source: Option<String>,
}

/// An industry BPO centres serve, and the entry roles it hires for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Industry {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub roles: Vec<String>,
    #[serde(default)]
    pub source: Option<String>,
}

/// An occupation a role's skills carry over to: what carries, what to add.
#[derive(Debug, Clone, PartialEq)]
pub struct Transfer<'a> {
    pub occupation: &'a Occupation,
    pub carries: Vec<&'a str>,
    pub to_add: Vec<&'a str>,
}

impl Framework {
    pub fn entry_profile(&self, role: &str) -> Option<&EntryProfile> {
        self.entries.iter().find(|e| e.role == role)
    }

    pub fn industry(&self, id: &str) -> Option<&Industry> {
        self.industries.iter().find(|i| i.id == id)
    }

    /// The skills a role asks for: a newcomer's levels for an entry role, otherwise what it
    /// takes to be promoted into it.
    pub fn skills_for(&self, role: &Role) -> BTreeMap<String, u8> {
        match self.entry_profile(&role.id) {
            Some(entry) => entry.skills.clone(),
            None => role.requirements.skills.clone(),
        }
    }

    /// The occupations outside BPO `role` leads to, by sector, with the skills that carry.
    pub fn transfers(&self, role: &Role) -> Vec<Transfer<'_>> {
        let has = self.skills_for(role);
        let mut out: Vec<Transfer> = self
            .occupations
            .iter()
            .filter(|o| o.from.contains(&role.id))
            .map(|o| Transfer {
                occupation: o,
                carries: o.skills.iter().filter(|s| has.contains_key(*s)).map(String::as_str).collect(),
                to_add: o.skills.iter().filter(|s| !has.contains_key(*s)).map(String::as_str).collect(),
            })
            .collect();
        out.sort_by(|a, b| a.occupation.sector.cmp(&b.occupation.sector).then(b.carries.len().cmp(&a.carries.len())));
        out
    }
}

/// The typical time from an entry role: the shortest sums of `months_min` and of
/// `months_max` over the paths, per role (entry roles are 0). A role no path reaches has none.
pub fn months_from_entry(fw: &Framework) -> BTreeMap<&str, (u32, u32)> {
    let mut best: BTreeMap<&str, (u32, u32)> =
        fw.roles.iter().filter(|r| r.level == 1).map(|r| (r.id.as_str(), (0, 0))).collect();
    // The graph is acyclic (validated), so relaxing every path once per role settles it.
    for _ in 0..fw.roles.len() {
        let mut changed = false;
        for p in &fw.paths {
            let Some(&(lo, hi)) = best.get(p.from.as_str()) else { continue };
            let candidate = (lo + p.months_min, hi + p.months_max);
            let slot = best.entry(p.to.as_str()).or_insert((u32::MAX, u32::MAX));
            if candidate.0 < slot.0 || candidate.1 < slot.1 {
                *slot = (slot.0.min(candidate.0), slot.1.min(candidate.1));
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    best
}

/// The explorer's data checked against the rest of the framework, each problem at its place.
pub(crate) fn problems(fw: &Framework) -> Vec<Problem> {
    let roles: BTreeSet<&str> = fw.roles.iter().map(|r| r.id.as_str()).collect();
    let skills: BTreeSet<&str> = fw.skills.iter().map(|s| s.id.as_str()).collect();
    let mut out = Vec::new();
    let mut push = |at: String, message: String| out.push(Problem { at, message });
    let mut seen = BTreeSet::new();
    for e in &fw.entries {
        let at = format!("entry[{}]", e.role);
        match fw.role(&e.role) {
            None => push(format!("{at}.role"), format!("unknown role '{}'", e.role)),
            Some(r) if r.level != 1 => push(format!("{at}.role"), "only a level-1 role has an entry profile".into()),
            Some(_) => {}
        }
        if !seen.insert(e.role.as_str()) {
            push(format!("{at}.role"), "duplicate entry profile".into());
        }
        for (skill, level) in &e.skills {
            if !skills.contains(skill.as_str()) {
                push(format!("{at}.skills.{skill}"), "unknown skill".into());
            }
            if !(1..=5).contains(level) {
                push(format!("{at}.skills.{skill}"), format!("level {level} is outside 1–5"));
            }
        }
    }
    let mut ids = BTreeSet::new();
    for o in &fw.occupations {
        let at = format!("occupation[{}]", o.id);
        if !ids.insert(o.id.as_str()) {
            push(format!("{at}.id"), "duplicate id".into());
        }
        for (i, r) in o.from.iter().enumerate().filter(|(_, r)| !roles.contains(r.as_str())) {
            push(format!("{at}.from[{i}]"), format!("unknown role '{r}'"));
        }
        for (i, s) in o.skills.iter().enumerate().filter(|(_, s)| !skills.contains(s.as_str())) {
            push(format!("{at}.skills[{i}]"), format!("unknown skill '{s}'"));
        }
    }
    let mut ids = BTreeSet::new();
    for industry in &fw.industries {
        let at = format!("industry[{}]", industry.id);
        if !ids.insert(industry.id.as_str()) {
            push(format!("{at}.id"), "duplicate id".into());
        }
        for (i, r) in industry.roles.iter().enumerate().filter(|(_, r)| !roles.contains(r.as_str())) {
            push(format!("{at}.roles[{i}]"), format!("unknown role '{r}'"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_framework_has_a_profile_for_every_entry_role_and_reaches_every_role() {
        let fw = Framework::default_framework();
        let months = months_from_entry(&fw);
        for role in &fw.roles {
            assert!(months.contains_key(role.id.as_str()), "{} is reached from an entry role", role.id);
            if role.level == 1 {
                assert!(fw.entry_profile(&role.id).is_some(), "{} has an entry profile", role.id);
                assert_eq!(months[role.id.as_str()], (0, 0));
            }
        }
        // careers.md: team leader after about 2–3 years.
        assert_eq!(months["team-leader"], (24, 36));
        assert!(months["operations-manager"].0 >= 48, "{:?}", months["operations-manager"]);
    }

    #[test]
    fn every_role_leads_somewhere_outside_bpo_and_skills_split_into_carried_and_to_add() {
        let fw = Framework::default_framework();
        for role in &fw.roles {
            let transfers = fw.transfers(role);
            assert!(!transfers.is_empty(), "{} has occupations outside BPO", role.id);
            for t in &transfers {
                assert_eq!(t.carries.len() + t.to_add.len(), t.occupation.skills.len());
            }
        }
        let cse = fw.role("customer-service-executive").unwrap();
        let clerks = fw.transfers(cse).into_iter().find(|t| t.occupation.onet_soc == "43-9041.00").unwrap();
        assert!(clerks.carries.contains(&"active-listening"));
        assert!(clerks.to_add.contains(&"critical-thinking"), "{:?}", clerks.to_add);
    }

    #[test]
    fn skills_to_add_outside_bpo_are_the_ones_the_sources_give() {
        // transitions.md §3: the O*NET "add" lists of the cited related-occupation rows.
        let fw = Framework::default_framework();
        let also = |id: &str| fw.occupations.iter().find(|o| o.id == id).unwrap().also.clone();
        assert!(also("bill-account-collectors").is_empty(), "43-4051 PL9: add none");
        assert_eq!(also("bookkeeping-clerks"), ["Mathematics"]);
        assert_eq!(also("network-support-specialists"), ["Systems Evaluation"]);
        assert_eq!(also("production-planning-clerks"), ["Coordination"]);
        assert!(also("retail-supervisors").is_empty(), "43-1011 S12: add none");
    }

    #[test]
    fn a_wrong_reference_in_the_explorer_data_is_named_where_it_is() {
        let mut fw = Framework::default_framework();
        fw.entries[0].skills.insert("juggling".into(), 3);
        fw.entries[0].skills.insert("communication".into(), 6);
        fw.occupations[0].from.push("astronaut".into());
        fw.industries[0].roles.push("pilot".into());
        let at: Vec<String> = problems(&fw).into_iter().map(|p| p.at).collect();
        let role = &fw.entries[0].role;
        assert!(at.contains(&format!("entry[{role}].skills.juggling")), "{at:?}");
        assert!(at.contains(&format!("entry[{role}].skills.communication")), "{at:?}");
        assert!(at.iter().any(|a| a.starts_with("occupation[") && a.contains(".from[")), "{at:?}");
        assert!(at.iter().any(|a| a.starts_with("industry[") && a.contains(".roles[")), "{at:?}");
    }
}
