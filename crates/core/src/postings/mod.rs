//! Outside job postings: schema.org `JobPosting` JSON-LD as found in the wild (a single object,
//! an array, inside `@graph` or another node, or in the `<script type="application/ld+json">`
//! blocks of a saved HTML page), read leniently into one [`Posting`] shape: text as plain text,
//! pay as a monthly range in minor units ([`pay`]), the features BPO job seekers filter on
//! ([`features`]) and the matched framework role ([`matching`]).
//!
//! A file that is not valid JSON (or has a JSON-LD script that is not) is refused as a whole
//! with the line and column of the fault in the file; a posting without a title is skipped
//! with a note; anything else missing is left empty.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::framework::Framework;

pub mod features;
pub mod fields;
pub mod html;
pub mod market;
pub mod matching;
pub mod pay;
mod read;

pub use features::{Arrangement, Channel, Industry, Shift};
pub use matching::MatchedBy;
pub use pay::{MonthlyPay, PayUnit};
pub use read::{read_file, unshare_urls, FileRead, ReadError};

/// The largest file read (a saved job page with its scripts and styles is well under this).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// The most postings one file may hold.
pub const MAX_POSTINGS_PER_FILE: usize = 10_000;
/// How long each kept text may be, in characters; longer is cut.
pub const MAX_TITLE: usize = 200;
pub const MAX_ORGANISATION: usize = 200;
pub const MAX_LOCATION: usize = 300;
pub const MAX_URL: usize = 2000;
pub const MAX_DESCRIPTION: usize = 10_000;
pub const MAX_IDENTITY: usize = 800;

/// One posting, as Ladder keeps it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Posting {
    /// What makes two postings the same one ([`identity`]).
    pub identity: String,
    pub title: String,
    pub organisation: Option<String>,
    pub description: String,
    pub url: Option<String>,
    /// The places, "locality, region, country", several joined by "; ".
    pub location: Option<String>,
    pub date_posted: Option<NaiveDate>,
    /// The last day the posting is open (the date part of `validThrough`).
    pub valid_through: Option<NaiveDate>,
    pub employment_types: Vec<String>,
    /// The `occupationalCategory` as written (codes or text).
    pub occupational_category: Option<String>,
    pub role: Option<String>,
    pub matched_by: MatchedBy,
    pub pay: Option<MonthlyPay>,
    pub arrangement: Arrangement,
    pub shift: Option<Shift>,
    pub signing_bonus: bool,
    pub night_differential: bool,
    pub industry: Option<Industry>,
    pub channel: Option<Channel>,
    pub degree_required: Option<bool>,
    pub experience_months: Option<u32>,
}

impl Posting {
    /// Whether the posting has closed by `today` (its last day is before it).
    pub fn expired(&self, today: NaiveDate) -> bool {
        self.valid_through.is_some_and(|d| d < today)
    }
}

/// An http(s) address (any case of the scheme), the only kind shown or kept as a link.
pub fn is_web_url(u: &str) -> bool {
    let lower = u.trim_start().get(..8).unwrap_or("").to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// A posting's identity: `id:` its organisation and identifier, else `url:` its address
/// (without a `#fragment` or trailing `/`), else `key:` organisation, title, location and
/// date posted, each compared ignoring case and punctuation.
pub fn identity(
    identifier: Option<&str>,
    url: Option<&str>,
    org: &str,
    title: &str,
    location: &str,
    posted: &str,
) -> String {
    let n = crate::titles::normalise;
    let id = if let Some(i) = identifier.filter(|i| !i.trim().is_empty()) {
        format!("id:{}:{}", n(org), i.trim())
    } else if let Some(u) = url.filter(|u| !u.trim().is_empty()) {
        let u = u.trim();
        let u = u.split('#').next().unwrap_or(u);
        format!("url:{}", u.trim_end_matches('/'))
    } else {
        format!("key:{}|{}|{}|{}", n(org), n(title), n(location), posted)
    };
    fields::clip(&id, MAX_IDENTITY)
}

/// A posting from one JSON-LD `JobPosting` object; `Err` names why it is skipped.
pub fn from_json(o: &Map<String, Value>, fw: &Framework) -> Result<Posting, String> {
    use fields::{clip, items, text, texts};
    let title = text(o.get("title")).or_else(|| text(o.get("name"))).map(|t| clip(&html::to_text(&t), MAX_TITLE));
    let title = title.filter(|t| !t.is_empty()).ok_or("no title")?;
    let organisation = o.get("hiringOrganization").and_then(|h| text(Some(h))).map(|t| clip(&t, MAX_ORGANISATION));
    let description = clip(&html::to_text(&text(o.get("description")).unwrap_or_default()), MAX_DESCRIPTION);
    // Only web addresses are kept: a `javascript:` or `data:` url would become a link on the pages.
    let url = text(o.get("url")).filter(|u| is_web_url(u)).map(|u| clip(&u, MAX_URL));
    let location = location(o).map(|l| clip(&l, MAX_LOCATION));
    let date_posted = date(o.get("datePosted"));
    let work_hours = texts(o.get("workHours")).join(" ");
    let benefits: Vec<String> =
        ["jobBenefits", "benefits", "incentiveCompensation", "incentives", "specialCommitments"]
            .iter()
            .flat_map(|k| texts(o.get(*k)))
            .map(|t| html::to_text(&t))
            .collect();
    let all_text = format!("{title} {work_hours} {} {description}", benefits.join(" "));
    let words = features::plain(&all_text);
    let codes = category_codes(o);
    let matched = matching::match_role(fw, &codes, &title);
    let telecommute = texts(o.get("jobLocationType")).iter().any(|t| t.eq_ignore_ascii_case("TELECOMMUTE"));
    let education = items(o.get("educationRequirements")).into_iter().map(education_text).collect::<Vec<_>>().join(" ");
    let (exp_months, exp_text) = experience(o.get("experienceRequirements"));
    let week_hours = pay::week_hours(&work_hours).unwrap_or(pay::DEFAULT_WEEK_HOURS);
    let org = organisation.clone().unwrap_or_default();
    let posted = date_posted.map(|d| d.to_string()).unwrap_or_default();
    let identifier = identifier(o.get("identifier"));
    let identity =
        identity(identifier.as_deref(), url.as_deref(), &org, &title, location.as_deref().unwrap_or(""), &posted);
    Ok(Posting {
        identity,
        organisation,
        url,
        date_posted,
        valid_through: date(o.get("validThrough")),
        employment_types: texts(o.get("employmentType"))
            .iter()
            .map(|t| clip(&t.to_ascii_uppercase(), 40))
            .take(10)
            .collect(),
        occupational_category: (!codes.is_empty()).then(|| clip(&codes.join(", "), 200)),
        role: matched.role,
        matched_by: matched.by,
        pay: pay::read(o, week_hours),
        arrangement: features::arrangement(telecommute, &words),
        shift: features::shift(&words),
        signing_bonus: features::signing_bonus(&words),
        night_differential: features::night_differential(&words),
        industry: features::industry(&texts(o.get("industry")).join(" "), &all_text),
        channel: features::channel(&words),
        degree_required: features::degree_required(&education, &words),
        experience_months: features::experience_months(exp_months, &exp_text, &words),
        location,
        title,
        description,
    })
}

/// A date or date-time's day ("2026-12-31", "2026-12-31T23:59:59+08:00"), within Ladder's
/// range of dates.
fn date(v: Option<&Value>) -> Option<NaiveDate> {
    let t = fields::text(v)?;
    let day = t.get(..10)?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok().and_then(|d| crate::dates::in_range(d).ok())
}

/// `identifier` as a text, a number or a PropertyValue (`value`, with its `name` when given).
fn identifier(v: Option<&Value>) -> Option<String> {
    let v = fields::items(v).into_iter().next()?;
    match v {
        Value::Object(o) => {
            let value = fields::text(o.get("value")).or_else(|| fields::text(o.get("@id")))?;
            Some(match fields::text(o.get("name")) {
                Some(name) => format!("{name}:{value}"),
                None => value,
            })
        }
        other => fields::text(Some(other)),
    }
}

/// The places of `jobLocation` (a Place whose `address` is a PostalAddress or a text), else
/// the `applicantLocationRequirements` of a remote posting.
fn location(o: &Map<String, Value>) -> Option<String> {
    let mut places: Vec<String> = fields::items(o.get("jobLocation")).into_iter().filter_map(place).collect();
    if places.is_empty() {
        places = fields::texts(o.get("applicantLocationRequirements"));
    }
    places.dedup();
    (!places.is_empty()).then(|| places.join("; "))
}

fn place(p: &Value) -> Option<String> {
    let address = match p {
        Value::Object(o) => o.get("address").unwrap_or(p),
        _ => p,
    };
    match address {
        Value::Object(a) => {
            let parts: Vec<String> = ["addressLocality", "addressRegion", "addressCountry"]
                .iter()
                .filter_map(|k| fields::text(a.get(*k)))
                .collect();
            if parts.is_empty() {
                fields::text(p.get("name"))
            } else {
                Some(parts.join(", "))
            }
        }
        other => fields::text(Some(other)),
    }
}

/// `occupationalCategory` (texts or CategoryCodes' `codeValue`) and `relevantOccupation`'s
/// `occupationalCategory`.
fn category_codes(o: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |v: Option<&Value>| {
        for item in fields::items(v) {
            let code = match item {
                Value::Object(c) => fields::text(c.get("codeValue")).or_else(|| fields::text(Some(item))),
                _ => fields::text(Some(item)),
            };
            out.extend(code);
        }
    };
    add(o.get("occupationalCategory"));
    for occ in fields::items(o.get("relevantOccupation")) {
        add(occ.get("occupationalCategory"));
    }
    out.truncate(10);
    out
}

/// An education requirement as text: a text, or a credential's `credentialCategory` / `name`.
fn education_text(v: &Value) -> String {
    match v {
        Value::Object(c) => ["credentialCategory", "name", "description"]
            .iter()
            .filter_map(|k| fields::text(c.get(*k)))
            .collect::<Vec<_>>()
            .join(" "),
        other => fields::text(Some(other)).map(|t| html::to_text(&t)).unwrap_or_default(),
    }
}

/// `experienceRequirements`: the months of an OccupationalExperienceRequirements, and any text.
fn experience(v: Option<&Value>) -> (Option<u32>, String) {
    let mut months = None;
    let mut words = Vec::new();
    for item in fields::items(v) {
        match item {
            Value::Object(e) => {
                months = months.or_else(|| {
                    fields::number(e.get("monthsOfExperience"))
                        .and_then(|m| rust_decimal::prelude::ToPrimitive::to_u32(&m.trunc()))
                        .filter(|m| *m <= 600)
                });
                words.extend(fields::text(e.get("description")));
            }
            other => words.extend(fields::text(Some(other)).map(|t| html::to_text(&t))),
        }
    }
    (months, words.join(" "))
}
