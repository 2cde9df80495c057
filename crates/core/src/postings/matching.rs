//! A posting's framework role: by its `occupationalCategory` (an O*NET-SOC or ISCO-08 code on
//! a role), else by its title (the framework's title table, shared with the people import),
//! else none.

use serde::{Deserialize, Serialize};

use crate::framework::{Framework, Role};
use crate::titles::normalise;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchedBy {
    Code,
    Title,
    None,
}

impl MatchedBy {
    pub fn key(self) -> &'static str {
        match self {
            MatchedBy::Code => "code",
            MatchedBy::Title => "title",
            MatchedBy::None => "none",
        }
    }

    pub fn from_key(k: &str) -> Option<MatchedBy> {
        [MatchedBy::Code, MatchedBy::Title, MatchedBy::None].into_iter().find(|m| m.key() == k)
    }
}

/// The role matched and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleMatch {
    pub role: Option<String>,
    pub by: MatchedBy,
}

/// Matches a posting. Several roles may share a code (4222 is both voice and chat support):
/// the title picks among them when it can, else the most junior (the first listed).
pub fn match_role(fw: &Framework, codes: &[String], title: &str) -> RoleMatch {
    let by_code: Vec<&Role> = codes.iter().flat_map(|c| roles_with_code(fw, c)).collect();
    if !by_code.is_empty() {
        let titled = role_by_title(fw, title).filter(|r| by_code.iter().any(|c| c.id == r.id));
        let role = titled.or_else(|| by_code.iter().min_by_key(|r| r.level).copied());
        return RoleMatch { role: role.map(|r| r.id.clone()), by: MatchedBy::Code };
    }
    match role_by_title(fw, title) {
        Some(r) => RoleMatch { role: Some(r.id.clone()), by: MatchedBy::Title },
        None => RoleMatch { role: None, by: MatchedBy::None },
    }
}

/// The comparable form of an occupation code: O*NET-SOC "43-4051.00" and "43-4051" alike,
/// ISCO-08 "4222"; `None` for anything else (a text category such as "Customer Service").
pub fn code_key(code: &str) -> Option<String> {
    let c = code.trim();
    let c = c.strip_suffix(".00").unwrap_or(c);
    let is_onet = c.len() == 7 && c.as_bytes()[2] == b'-' && c.chars().filter(|ch| ch.is_ascii_digit()).count() == 6;
    let is_isco = c.len() == 4 && c.chars().all(|ch| ch.is_ascii_digit());
    (is_onet || is_isco).then(|| c.to_string())
}

fn roles_with_code<'a>(fw: &'a Framework, code: &str) -> Vec<&'a Role> {
    let Some(key) = code_key(code) else { return Vec::new() };
    fw.roles
        .iter()
        .filter(|r| [&r.onet_soc, &r.isco08].iter().any(|c| c.as_deref().and_then(code_key).as_deref() == Some(&key)))
        .collect()
}

/// The role whose known title (or name) is the longest run of whole words in `title`:
/// "Senior Customer Service Representative – Night Shift (WFH)" finds "Senior Customer Service
/// Representative" before "Customer Service Representative".
pub fn role_by_title<'a>(fw: &'a Framework, title: &str) -> Option<&'a Role> {
    if let Some(r) = fw.role_for(title) {
        return Some(r);
    }
    let hay = format!(" {} ", normalise(title));
    let names = fw.titles.iter().map(|t| (normalise(&t.title), t.role.as_str()));
    let roles = fw.roles.iter().map(|r| (normalise(&r.name), r.id.as_str()));
    let best = names
        .chain(roles)
        .filter(|(n, _)| !n.is_empty() && hay.contains(&format!(" {n} ")))
        .max_by_key(|(n, _)| n.len())?;
    fw.role(best.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_code_then_title_then_none() {
        let fw = Framework::default_framework();
        let m = |codes: &[&str], title: &str| {
            let r = match_role(&fw, &codes.iter().map(|c| c.to_string()).collect::<Vec<_>>(), title);
            (r.role, r.by)
        };
        assert_eq!(m(&["43-4051.00"], "Associate"), (Some("customer-service-executive".into()), MatchedBy::Code));
        assert_eq!(m(&["4222"], "Chat Support Agent"), (Some("chat-email-support-associate".into()), MatchedBy::Code));
        assert_eq!(m(&["43-9021"], "Encoder"), (Some("data-entry-operator".into()), MatchedBy::Code));
        assert_eq!(m(&["Customer Service"], "Team Lead - Night Shift"), (Some("team-leader".into()), MatchedBy::Title));
        assert_eq!(
            m(&[], "Senior Customer Service Representative (WFH)"),
            (Some("senior-agent".into()), MatchedBy::Title)
        );
        assert_eq!(m(&["29-2061.00"], "Licensed Practical Nurse"), (None, MatchedBy::None));
    }
}
