//! Who a person is on each contact-centre platform: the identifier an export names its agents by
//! (a Genesys Cloud user id, an Amazon Connect login, a Five9 username, a NICE CXone agent id, a
//! Talkdesk user id, the display name in a WFM tool). A people file sets them in one column per
//! platform; a KPI preset names its platform, and its rows match that identifier first.

use serde::{Deserialize, Serialize};

/// The longest identifier kept: platform ids are UUIDs or logins, display names are names.
pub const MAX_IDENTIFIER: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    Genesys,
    AmazonConnect,
    Five9,
    Nice,
    Talkdesk,
    /// A workforce-management tool's display name: not unique, so matched only where it is.
    Wfm,
}

impl Platform {
    pub const ALL: [Platform; 6] = [
        Platform::Genesys,
        Platform::AmazonConnect,
        Platform::Five9,
        Platform::Nice,
        Platform::Talkdesk,
        Platform::Wfm,
    ];

    /// The name stored and written in mappings and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Genesys => "genesys",
            Platform::AmazonConnect => "amazon-connect",
            Platform::Five9 => "five9",
            Platform::Nice => "nice",
            Platform::Talkdesk => "talkdesk",
            Platform::Wfm => "wfm",
        }
    }

    /// The people file's column.
    pub fn column(self) -> &'static str {
        match self {
            Platform::Genesys => "genesys_id",
            Platform::AmazonConnect => "amazon_connect_id",
            Platform::Five9 => "five9_username",
            Platform::Nice => "nice_id",
            Platform::Talkdesk => "talkdesk_id",
            Platform::Wfm => "wfm_name",
        }
    }

    /// What the identifier is, in words.
    pub fn label(self) -> &'static str {
        match self {
            Platform::Genesys => "Genesys Cloud user id",
            Platform::AmazonConnect => "Amazon Connect login",
            Platform::Five9 => "Five9 username",
            Platform::Nice => "NICE CXone agent id",
            Platform::Talkdesk => "Talkdesk user id",
            Platform::Wfm => "WFM display name",
        }
    }

    /// Whether one identifier names one person (every platform's but a display name).
    pub fn unique(self) -> bool {
        self != Platform::Wfm
    }

    pub fn parse(s: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Every platform's name, for messages.
    pub fn names() -> String {
        Platform::ALL.map(Platform::as_str).join(", ")
    }
}

/// An identifier as given, trimmed; an error says what is wrong with it.
pub fn check_identifier(platform: Platform, value: &str) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("the {} is empty", platform.label()));
    }
    if value.chars().count() > MAX_IDENTIFIER {
        return Err(format!("the {} is longer than {MAX_IDENTIFIER} characters", platform.label()));
    }
    if value.chars().any(char::is_control) {
        return Err(format!("the {} holds a control character", platform.label()));
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_platform_reads_back_from_its_name_and_only_display_names_may_repeat() {
        for p in Platform::ALL {
            assert_eq!(Platform::parse(p.as_str()), Some(p));
            assert_eq!(p.unique(), p != Platform::Wfm);
        }
        assert_eq!(Platform::parse("genesys-cloud"), None);
    }

    #[test]
    fn identifiers_are_trimmed_and_bounded() {
        assert_eq!(check_identifier(Platform::Five9, "  ana.reyes@acme.example "), Ok("ana.reyes@acme.example".into()));
        assert!(check_identifier(Platform::Genesys, " ").unwrap_err().contains("Genesys Cloud user id is empty"));
        assert!(check_identifier(Platform::Nice, &"9".repeat(MAX_IDENTIFIER + 1)).unwrap_err().contains("longer"));
        assert!(check_identifier(Platform::Wfm, "Ana\u{7}").is_err());
    }
}
