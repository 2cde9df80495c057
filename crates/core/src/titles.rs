//! Job titles as HR systems write them ("Call Center Representative", "CSR", "Team Lead"),
//! each mapped to a framework role: a people file may give a role by its id, its name or a
//! title. The starter list is the framework's `[[title]]` entries; an organisation's overlay
//! (`--extend`) adds titles or moves one to another role.

use serde::{Deserialize, Serialize};

use crate::framework::{Framework, Role};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JobTitle {
    /// As HR writes it; matched ignoring case, spaces and punctuation.
    pub title: String,
    /// A framework role id.
    pub role: String,
}

/// A title's comparable form: lower case, letters and digits only, words single-spaced
/// ("Sr. Customer-Care  Rep" → "sr customer care rep").
pub fn normalise(title: &str) -> String {
    let spaced: String =
        title.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Framework {
    /// The role a people file's text names: a role id, a role's name or a known job title.
    pub fn role_for(&self, text: &str) -> Option<&Role> {
        if let Some(r) = self.role(text) {
            return Some(r);
        }
        let wanted = normalise(text);
        if let Some(r) = self.roles.iter().find(|r| normalise(&r.name) == wanted || normalise(&r.id) == wanted) {
            return Some(r);
        }
        let title = self.titles.iter().find(|t| normalise(&t.title) == wanted)?;
        self.role(&title.role)
    }

    /// What a people file may give as a role, for an error message: every role id and the
    /// titles mapped to it.
    pub fn valid_roles(&self) -> String {
        self.roles
            .iter()
            .map(|r| {
                let titles: Vec<&str> =
                    self.titles.iter().filter(|t| t.role == r.id).map(|t| t.title.as_str()).collect();
                if titles.is_empty() {
                    r.id.clone()
                } else {
                    format!("{} ({})", r.id, titles.join(", "))
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Lays an overlay's titles over the base's: a title already listed (compared normalised) moves
/// to the overlay's role, a new one is added.
pub(crate) fn merge(base: &mut Vec<JobTitle>, overlay: Vec<JobTitle>) {
    for t in overlay {
        let key = normalise(&t.title);
        match base.iter_mut().find(|b| normalise(&b.title) == key) {
            Some(slot) => *slot = t,
            None => base.push(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::FrameworkOverlay;

    #[test]
    fn the_starter_list_maps_common_bpo_titles_to_roles_whatever_their_spelling() {
        let fw = Framework::default_framework();
        assert!(fw.titles.len() >= 30, "a starter list of at least 30 titles: {}", fw.titles.len());
        for (text, role) in [
            ("customer care associate", "customer-service-executive"),
            ("Call Center Representative", "customer-service-executive"),
            ("CSR", "customer-service-executive"),
            ("Chat Support Agent", "chat-email-support-associate"),
            ("Technical-Support  Representative", "technical-support-associate"),
            ("Team Lead", "team-leader"),
            ("QA Analyst", "quality-analyst"),
            ("Trainer", "process-trainer"),
            ("WFM Analyst", "wfm-analyst"),
            ("Operations Manager", "operations-manager"),
            ("Account Manager", "client-relationship-manager"),
            ("team-leader", "team-leader"),
            ("Workforce Management Analyst", "wfm-analyst"),
        ] {
            assert_eq!(fw.role_for(text).map(|r| r.id.as_str()), Some(role), "{text}");
        }
        assert!(fw.role_for("Laboratory Technician").is_none());
        let valid = fw.valid_roles();
        assert!(valid.contains("team-leader (") && valid.contains("Team Lead"), "{valid}");
    }

    #[test]
    fn an_overlay_adds_titles_and_moves_one_to_another_role() {
        let mut fw = Framework::default_framework();
        let overlay = FrameworkOverlay::parse(
            r#"
            [[title]]
            title = "Customer Experience Champion"
            role = "customer-service-executive"
            [[title]]
            title = "trainer"
            role = "senior-agent"
            "#,
        )
        .unwrap();
        let before = fw.titles.len();
        fw.extend(overlay);
        assert_eq!(fw.titles.len(), before + 1);
        assert_eq!(fw.role_for("customer experience champion").unwrap().id, "customer-service-executive");
        assert_eq!(fw.role_for("Trainer").unwrap().id, "senior-agent");
        assert!(crate::validate::validate(&fw).is_empty());
    }

    #[test]
    fn a_title_naming_no_role_is_a_framework_problem() {
        let mut fw = Framework::default_framework();
        fw.titles.push(JobTitle { title: "Floor Walker".into(), role: "floor-walker".into() });
        let problems = crate::validate::validate(&fw);
        assert!(
            problems.iter().any(|p| p.at == "title[Floor Walker].role" && p.message.contains("floor-walker")),
            "{problems:?}"
        );
    }
}
