//! The learning catalogue (issue 26): courses, programmes, boot camps, books and shadowing days
//! that close a skill or certification gap. A starter list ships in the binary
//! (`framework/learning.toml`, facts from ../shared/domain/learning.md); an organisation adds its
//! own entries in the database, and those come first. Mentoring limits live here too.

use serde::{Deserialize, Serialize};

/// The starter catalogue, embedded at compile time.
pub const STARTER_TOML: &str = include_str!("../framework/learning.toml");

/// How many items a gap shows.
pub const PER_GAP: usize = 3;
/// A mentoring session's length in minutes.
pub const SESSION_MINUTES: std::ops::RangeInclusive<i32> = 15..=480;
/// The longest note on a mentoring request or session.
pub const NOTE: usize = 1000;
/// The most hours an item may take (a year of full-time study).
pub const MAX_HOURS: f64 = 2000.0;
/// The highest price an item may carry, in minor units (ten million in major units).
pub const MAX_PRICE_MINOR: i64 = 1_000_000_000;
/// The longest link.
pub const LINK: usize = 500;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    Course,
    Programme,
    BootCamp,
    Book,
    Shadowing,
}

impl Format {
    pub const ALL: [Format; 5] = [Format::Course, Format::Programme, Format::BootCamp, Format::Book, Format::Shadowing];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Course => "course",
            Format::Programme => "programme",
            Format::BootCamp => "boot-camp",
            Format::Book => "book",
            Format::Shadowing => "shadowing",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Course => "Course",
            Format::Programme => "Programme",
            Format::BootCamp => "Boot camp",
            Format::Book => "Book",
            Format::Shadowing => "Shadowing",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// How an item is paid for. A price, when known, is given beside it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum CostModel {
    Free,
    /// Free to audit; the certificate is paid (Coursera, edX: learning.md §0).
    AuditFree,
    Subscription,
    OneOff,
    /// Set by each school or provider.
    FeesVary,
}

/// One starter item, as `learning.toml` gives it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StarterItem {
    pub id: String,
    pub title: String,
    pub provider: String,
    pub format: Format,
    /// Hours of study when the provider states them.
    #[serde(default)]
    pub hours: Option<f64>,
    /// The provider's own duration band when it gives no hours ("1–4 weeks").
    #[serde(default)]
    pub duration: Option<String>,
    pub cost: CostModel,
    /// The price in minor units, its ISO 4217 currency and the date or edition it was seen.
    #[serde(default)]
    pub price_minor: Option<i64>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub price_seen: Option<String>,
    #[serde(default)]
    pub link: String,
    /// Skills it builds.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Certifications it prepares for.
    #[serde(default)]
    pub certifications: Vec<String>,
    /// Where the facts come from (a section of ../shared/domain/learning.md and its source).
    pub source: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    #[serde(default, rename = "item")]
    pub items: Vec<StarterItem>,
}

impl Catalogue {
    pub fn parse(text: &str) -> Result<Catalogue, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// The catalogue that ships with Ladder.
    pub fn starter() -> &'static Catalogue {
        static STARTER: std::sync::OnceLock<Catalogue> = std::sync::OnceLock::new();
        STARTER.get_or_init(|| Catalogue::parse(STARTER_TOML).expect("the starter catalogue parses (tested)"))
    }

    /// The items for a skill or certification, in the file's order (the best first).
    pub fn for_gap<'a>(&'a self, gap: &'a Gap) -> impl Iterator<Item = &'a StarterItem> + 'a {
        self.items.iter().filter(move |i| gap.matches(&i.skills, &i.certifications))
    }
}

/// What a gap is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    Skill(String),
    Certification(String),
}

impl Gap {
    pub fn matches(&self, skills: &[String], certifications: &[String]) -> bool {
        match self {
            Gap::Skill(s) => skills.iter().any(|x| x == s),
            Gap::Certification(c) => certifications.iter().any(|x| x == c),
        }
    }
}

/// The cost in words: "free", "USD 20.00 (seen 2024)", "subscription".
pub fn cost_words(model: CostModel, price_minor: Option<i64>, currency: Option<&str>, seen: Option<&str>) -> String {
    let price = match (price_minor, currency) {
        (Some(p), Some(c)) if p > 0 => Some(format!("{c} {}", major_units(p, c))),
        _ => None,
    };
    let seen = seen.map(|s| format!(" (price seen {s})")).unwrap_or_default();
    match (model, price) {
        (CostModel::Free, _) => "free".into(),
        (CostModel::AuditFree, Some(p)) => format!("free to audit; certificate {p}{seen}"),
        (CostModel::AuditFree, None) => "free to audit; certificate paid".into(),
        (CostModel::Subscription, Some(p)) => format!("subscription, {p}{seen}"),
        (CostModel::Subscription, None) => "subscription".into(),
        (CostModel::OneOff, Some(p)) => format!("{p}{seen}"),
        (CostModel::OneOff, None) => "one-off price".into(),
        (CostModel::FeesVary, _) => "fees vary by provider".into(),
    }
}

/// Minor units as major units with the currency's own decimals: "20.00", "3000", "1.250".
pub fn major_units(minor: i64, currency: &str) -> String {
    let digits = crate::openings::money::minor_digits(currency) as usize;
    let per = crate::openings::money::minor_per_major(currency);
    let (whole, part) = (minor / per, (minor % per).abs());
    if digits == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{part:0digits$}")
    }
}

/// The length in words: "30 hours", "1–4 weeks", "length not stated".
pub fn length_words(hours: Option<f64>, duration: Option<&str>) -> String {
    match (hours, duration) {
        (Some(h), _) if h == h.trunc() => format!("{h:.0} hours"),
        (Some(h), _) => format!("{h:.1} hours"),
        (None, Some(d)) => d.to_string(),
        (None, None) => "length not stated".into(),
    }
}

/// Problems of one item's figures and text, each `(field, message)`.
pub fn item_problems(
    hours: Option<f64>,
    price_minor: Option<i64>,
    currency: Option<&str>,
    link: &str,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(h) = hours {
        if !(h.is_finite() && h > 0.0 && h <= MAX_HOURS) {
            out.push(("hours", format!("hours are more than 0 and at most {MAX_HOURS:.0}")));
        }
    }
    if let Some(p) = price_minor {
        if !(0..=MAX_PRICE_MINOR).contains(&p) {
            out.push(("price_minor", "a price is 0 to 1,000,000,000 minor units".into()));
        }
        if p > 0 && currency.is_none() {
            out.push(("currency", "a price needs its currency (ISO 4217, three capital letters)".into()));
        }
    }
    if let Some(c) = currency {
        if !(c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase())) {
            out.push(("currency", "three capital letters (ISO 4217), such as USD or PHP".into()));
        }
    }
    if !link.is_empty() && !link.starts_with("https://") && !link.starts_with("http://") {
        out.push(("link", "a web address starting with https://".into()));
    }
    if link.chars().count() > LINK {
        out.push(("link", format!("at most {LINK} characters")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_and_lengths_read_as_words() {
        assert_eq!(cost_words(CostModel::OneOff, Some(2000), Some("USD"), Some("2024")), "USD 20.00 (price seen 2024)");
        assert_eq!(cost_words(CostModel::OneOff, Some(3000), Some("JPY"), None), "JPY 3000");
        assert_eq!(cost_words(CostModel::OneOff, Some(150_050), Some("PHP"), None), "PHP 1500.50");
        assert_eq!(cost_words(CostModel::Free, None, None, None), "free");
        assert_eq!(cost_words(CostModel::AuditFree, None, None, None), "free to audit; certificate paid");
        assert_eq!(length_words(Some(30.0), None), "30 hours");
        assert_eq!(length_words(Some(2.5), None), "2.5 hours");
        assert_eq!(length_words(None, Some("1–4 weeks")), "1–4 weeks");
    }

    #[test]
    fn item_figures_are_bounded() {
        assert!(item_problems(Some(10.0), Some(2000), Some("USD"), "https://x.org").is_empty());
        let bad = item_problems(Some(0.0), Some(-1), Some("usd"), "ftp://x");
        let fields: Vec<_> = bad.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["hours", "price_minor", "currency", "link"]);
        assert_eq!(item_problems(None, Some(100), None, "")[0].0, "currency");
    }

    #[test]
    fn the_starter_catalogue_parses_and_coaching_gets_coaching_items() {
        let c = Catalogue::starter();
        let gap = Gap::Skill("coaching".into());
        let coaching: Vec<_> = c.for_gap(&gap).map(|i| i.title.as_str()).collect();
        assert!(coaching.iter().any(|t| t.contains("Coaching")), "{coaching:?}");
        assert!(coaching.iter().all(|t| !t.contains("ITIL")), "{coaching:?}");
    }
}
