//! What BPO job seekers filter on, derived from what a posting says: its structured properties
//! first, then words in its title, work hours, benefits and description. Nothing is guessed
//! when the posting is silent (the field stays empty / false).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Shift {
    Day,
    Night,
    Rotating,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Arrangement {
    Remote,
    Hybrid,
    OnSite,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Industry {
    It,
    BankingFinancial,
    Insurance,
    Telecom,
    Healthcare,
    Ecommerce,
    TravelHospitality,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    Voice,
    NonVoice,
}

macro_rules! keyed {
    ($t:ty { $($v:ident => $k:literal),* $(,)? }) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$(<$t>::$v),*];
            pub fn key(self) -> &'static str { match self { $(<$t>::$v => $k),* } }
            pub fn from_key(k: &str) -> Option<$t> { match k { $($k => Some(<$t>::$v),)* _ => None } }
        }
    };
}
keyed!(Shift { Day => "day", Night => "night", Rotating => "rotating" });
keyed!(Arrangement { Remote => "remote", Hybrid => "hybrid", OnSite => "on-site" });
keyed!(Industry { It => "it", BankingFinancial => "banking-financial", Insurance => "insurance",
    Telecom => "telecom", Healthcare => "healthcare", Ecommerce => "e-commerce", TravelHospitality => "travel-hospitality" });
keyed!(Channel { Voice => "voice", NonVoice => "non-voice" });

impl Industry {
    pub fn label(self) -> &'static str {
        match self {
            Industry::It => "IT",
            Industry::BankingFinancial => "Banking and financial services",
            Industry::Insurance => "Insurance",
            Industry::Telecom => "Telecom",
            Industry::Healthcare => "Healthcare",
            Industry::Ecommerce => "E-commerce",
            Industry::TravelHospitality => "Travel and hospitality",
        }
    }
}

/// Lower-cased text with words single-spaced and hyphens as spaces, for phrase checks.
pub fn plain(s: &str) -> String {
    let spaced: String = s.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' }).collect();
    format!(" {} ", spaced.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Whether the [`plain`] text holds any of the phrases as whole words.
fn says(p: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|w| p.contains(&format!(" {w} ")))
}

/// The shift: both day and night named, or rotating/shifting named, is rotating.
pub fn shift(p: &str) -> Option<Shift> {
    let night = says(
        p,
        &[
            "night shift",
            "nightshift",
            "graveyard",
            "graveyard shift",
            "night shifts",
            "overnight",
            "us shift",
            "us hours",
        ],
    );
    let day = says(p, &["day shift", "dayshift", "day shifts", "morning shift", "mid shift", "mid shifts"]);
    if says(p, &["rotating", "rotational", "shifting schedule", "rotating shifts", "shifting", "flexible shifts"])
        || (night && day)
    {
        Some(Shift::Rotating)
    } else if night {
        Some(Shift::Night)
    } else if day {
        Some(Shift::Day)
    } else {
        None
    }
}

/// Remote when `jobLocationType` is TELECOMMUTE (what the posting declares wins) or the title,
/// hours or description say work from home; hybrid when it says hybrid; else on site. A phrase
/// after "no" / "not" / "non" ("not WFH", "no remote") does not count.
pub fn arrangement(telecommute: bool, p: &str) -> Arrangement {
    if telecommute {
        Arrangement::Remote
    } else if says_unnegated(p, &["hybrid", "hybrid setup", "hybrid work"]) {
        Arrangement::Hybrid
    } else if says_unnegated(
        p,
        &["work from home", "wfh", "remote", "fully remote", "home based", "homebased", "work at home"],
    ) {
        Arrangement::Remote
    } else {
        Arrangement::OnSite
    }
}

/// Like [`says`], but only where the phrase is not negated by the word (or "a"/"an" and the
/// word) before it.
fn says_unnegated(p: &str, phrases: &[&str]) -> bool {
    const NEGATIONS: &[&str] = &["no", "not", "non", "never"];
    phrases.iter().any(|w| {
        p.match_indices(&format!(" {w} ")).any(|(at, _)| {
            let mut before = p[..at].split_whitespace().rev();
            match before.next() {
                Some("a" | "an") => !before.next().is_some_and(|b| NEGATIONS.contains(&b)),
                Some(b) => !NEGATIONS.contains(&b),
                None => true,
            }
        })
    })
}

pub fn signing_bonus(p: &str) -> bool {
    says(p, &["signing bonus", "sign on bonus", "sign in bonus", "signon bonus", "joining bonus", "hiring bonus"])
}

pub fn night_differential(p: &str) -> bool {
    says(p, &["night differential", "night diff", "night shift differential", "nd pay", "night premium"])
}

/// The industry from the `industry` property when it names one, else from the posting's text
/// (as written, not [`plain`]: "IT" is the industry only in capitals, "it" is a pronoun).
pub fn industry(declared: &str, text: &str) -> Option<Industry> {
    industry_in(declared, true).or_else(|| industry_in(text, false))
}

fn industry_in(text: &str, any_case: bool) -> Option<Industry> {
    const WORDS: &[(Industry, &[&str])] = &[
        (Industry::Insurance, &["insurance", "insurer", "claims"]),
        (
            Industry::Healthcare,
            &["healthcare", "health care", "medical", "hospital", "pharma", "pharmaceutical", "hmo provider"],
        ),
        (
            Industry::BankingFinancial,
            &["bank", "banking", "financial", "finance", "fintech", "credit card", "mortgage", "loans"],
        ),
        (Industry::Telecom, &["telecom", "telecommunications", "telco", "mobile network", "broadband"]),
        (Industry::TravelHospitality, &["travel", "airline", "hotel", "hospitality", "booking", "cruise"]),
        (Industry::Ecommerce, &["e commerce", "ecommerce", "online retail", "online shop", "retail", "marketplace"]),
        (Industry::It, &["software", "technology", "saas", "information technology", "tech"]),
    ];
    let p = plain(text);
    let it = |w: &str| w == "IT" || (any_case && w.eq_ignore_ascii_case("it"));
    WORDS
        .iter()
        .find(|(_, w)| says(&p, w))
        .map(|(i, _)| *i)
        .or_else(|| text.split(|c: char| !c.is_alphanumeric()).any(it).then_some(Industry::It))
}

/// Voice or non-voice from the text; `None` when it says neither.
pub fn channel(p: &str) -> Option<Channel> {
    if says(
        p,
        &["non voice", "nonvoice", "chat support", "email support", "data entry", "back office", "chat and email"],
    ) {
        Some(Channel::NonVoice)
    } else if says(
        p,
        &[
            "voice",
            "inbound calls",
            "outbound calls",
            "inbound",
            "outbound",
            "call center",
            "call centre",
            "phone support",
            "telemarketing",
        ],
    ) {
        Some(Channel::Voice)
    } else {
        None
    }
}

/// Whether a degree is required: `Some(false)` when the posting says it is not (or asks only
/// for school or some college), `Some(true)` when it asks for one, `None` when silent.
pub fn degree_required(education: &str, p: &str) -> Option<bool> {
    let e = plain(education);
    for text in [e.as_str(), p] {
        if says(
            text,
            &[
                "no degree",
                "degree not required",
                "not required to have a degree",
                "undergraduate",
                "undergraduates",
                "college level",
                "high school",
                "senior high",
                "k 12",
                "shs graduate",
                "hs graduate",
                "degree preferred",
                "preferably a graduate",
                "with or without degree",
            ],
        ) {
            return Some(false);
        }
        if says(
            text,
            &[
                "bachelor",
                "bachelors",
                "bachelor degree",
                "bachelor s degree",
                "college graduate",
                "degree holder",
                "bachelor s",
                "university degree",
                "graduate of any",
                "degree",
            ],
        ) {
            return Some(true);
        }
    }
    None
}

/// Months of experience asked for: `monthsOfExperience` when given, else "no experience" (0),
/// "N months" or "N year(s)" in the requirement or description.
pub fn experience_months(declared: Option<u32>, requirement: &str, p: &str) -> Option<u32> {
    if declared.is_some() {
        return declared;
    }
    for text in [plain(requirement), p.to_string()] {
        if says(
            &text,
            &[
                "no experience",
                "no experience required",
                "no experience needed",
                "fresh graduates",
                "fresh grads",
                "newbies",
                "first timers",
                "without experience",
            ],
        ) {
            return Some(0);
        }
        if let Some(m) = months_in(&text) {
            return Some(m);
        }
    }
    None
}

/// The first "N month(s)" / "N year(s)" (also "1 yr") in a [`plain`] text, in months.
fn months_in(p: &str) -> Option<u32> {
    let words: Vec<&str> = p.split_whitespace().collect();
    words.windows(2).find_map(|w| {
        let n: u32 = w[0].parse().ok().filter(|n| *n <= 40)?;
        match w[1] {
            "month" | "months" | "mos" => Some(n),
            "year" | "years" | "yr" | "yrs" => Some(n * 12),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_arrangement_and_bonuses_come_from_the_words() {
        assert_eq!(shift(&plain("CSR - Night Shift")), Some(Shift::Night));
        assert_eq!(shift(&plain("Graveyard, US holidays")), Some(Shift::Night));
        assert_eq!(shift(&plain("willing to work on shifting schedules")), Some(Shift::Rotating));
        assert_eq!(shift(&plain("day shift or night shift")), Some(Shift::Rotating));
        assert_eq!(shift(&plain("Dayshift | Makati")), Some(Shift::Day));
        assert_eq!(shift(&plain("Customer Service")), None);
        assert_eq!(arrangement(true, " "), Arrangement::Remote);
        assert_eq!(arrangement(false, &plain("Permanent Work-From-Home")), Arrangement::Remote);
        assert_eq!(arrangement(false, &plain("Hybrid setup in BGC")), Arrangement::Hybrid);
        assert_eq!(arrangement(false, &plain("Onsite")), Arrangement::OnSite);
        assert_eq!(arrangement(true, &plain("Hybrid setup in BGC")), Arrangement::Remote);
        assert_eq!(arrangement(false, &plain("Onsite in Makati, NOT WFH")), Arrangement::OnSite);
        assert_eq!(arrangement(false, &plain("No remote work; not a work-from-home role")), Arrangement::OnSite);
        assert_eq!(arrangement(false, &plain("Not hybrid, fully remote")), Arrangement::Remote);
        assert!(signing_bonus(&plain("PHP 10,000 Sign-On Bonus!")));
        assert!(night_differential(&plain("Night Differential pay")));
        assert!(!night_differential(&plain("Night shift")));
    }

    #[test]
    fn industry_channel_degree_and_experience() {
        assert_eq!(industry("Banking", " "), Some(Industry::BankingFinancial));
        assert_eq!(industry("", "a US telco account"), Some(Industry::Telecom));
        assert_eq!(industry("", "for a leading HMO provider"), Some(Industry::Healthcare));
        assert_eq!(industry("", "Make it happen for our customers"), None);
        assert_eq!(industry("", "Support for an IT services firm"), Some(Industry::It));
        assert_eq!(industry("", "Information Technology account"), Some(Industry::It));
        assert_eq!(industry("it", " "), Some(Industry::It));
        assert_eq!(industry("", "Help each patient book a visit"), None);
        assert_eq!(channel(&plain("Non-Voice | Email support")), Some(Channel::NonVoice));
        assert_eq!(channel(&plain("Inbound calls")), Some(Channel::Voice));
        assert_eq!(degree_required("High school graduate", " "), Some(false));
        assert_eq!(degree_required("Bachelor's degree", " "), Some(true));
        assert_eq!(degree_required("", &plain("College level or SHS graduate")), Some(false));
        assert_eq!(degree_required("", " "), None);
        assert_eq!(experience_months(None, "", &plain("No experience needed!")), Some(0));
        assert_eq!(experience_months(None, "At least 1 year of BPO experience", " "), Some(12));
        assert_eq!(experience_months(None, "6 months call center experience", " "), Some(6));
        assert_eq!(experience_months(Some(24), "", " "), Some(24));
    }
}
