//! Synthetic outside job postings, as JobPosting JSON-LD the way job boards write it (pay as a
//! MonetaryAmount range or a text, TELECOMMUTE for remote, shifts and bonuses in the text),
//! deterministic from a seed: for `ladder demo` and the search benchmark (`ladder jobs gen`).

use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};

const TITLES: &[&str] = &[
    "Customer Service Representative",
    "Call Center Agent",
    "Customer Care Associate",
    "Technical Support Representative",
    "Chat Support Agent",
    "Email Support Agent",
    "Data Entry Clerk",
    "Back Office Associate",
    "Claims Processor",
    "Senior Customer Service Representative",
    "Team Lead",
    "Call Center Supervisor",
    "QA Analyst",
    "Trainer",
    "WFM Analyst",
    "Real-Time Analyst",
    "Operations Manager",
    "Account Manager",
    "Registered Nurse",
    "Sales Associate",
];
const COMPANIES: &[&str] = &[
    "Acme Contact Solutions",
    "Northwind BPO",
    "Blue Harbor Outsourcing",
    "Pacific Crest CX",
    "Luzon Global Services",
    "Visayas Support Hub",
    "Manila Bay Teleservices",
    "Summit Care Partners",
    "Orient Point Solutions",
    "Bright Path CX",
    "Island Voice Inc.",
    "Metro Connect BPO",
    "Lighthouse Support Co.",
    "Evergreen Back Office",
    "Coral Reef Contact",
];
const CITIES: &[(&str, &str)] = &[
    ("Makati", "Metro Manila"),
    ("Taguig", "Metro Manila"),
    ("Quezon City", "Metro Manila"),
    ("Pasig", "Metro Manila"),
    ("Cebu City", "Cebu"),
    ("Davao City", "Davao del Sur"),
    ("Iloilo City", "Iloilo"),
    ("Bacolod", "Negros Occidental"),
    ("Clark", "Pampanga"),
    ("Baguio", "Benguet"),
];
const INDUSTRIES: &[&str] = &[
    "a US telco",
    "a global bank",
    "an insurance provider",
    "a healthcare company",
    "an e-commerce marketplace",
    "an airline",
    "a software company",
];

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same postings.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Posting `i` of the set for `seed`, posted up to 90 days before `today`; about one in six
/// has closed.
pub fn posting(seed: u64, i: u64, today: NaiveDate) -> Value {
    let mut r = Rng(seed.wrapping_mul(1_000_003).wrapping_add(i));
    r.next();
    let title = *r.pick(TITLES);
    let company = *r.pick(COMPANIES);
    let (city, region) = *r.pick(CITIES);
    let posted = today - Duration::days(r.below(90) as i64);
    let valid = posted + Duration::days(30 + r.below(75) as i64);
    let remote = r.chance(30);
    let shift = *r.pick(&["Night shift", "Day shift", "Rotating shifts", "Graveyard shift", ""]);
    let mut perks = Vec::new();
    if r.chance(25) {
        perks.push(format!("PHP {},000 signing bonus", 5 + r.below(16)));
    }
    if shift.contains("Night") || shift.contains("Graveyard") || r.chance(10) {
        perks.push("Night differential".into());
    }
    perks.push("HMO from day 1".into());
    let hybrid = !remote && r.chance(20);
    let channel = if title.contains("Chat")
        || title.contains("Email")
        || title.contains("Data")
        || title.contains("Back Office")
        || title.contains("Claims")
    {
        "Non-voice"
    } else {
        "Voice"
    };
    let education = if r.chance(60) { "High school or senior high graduate" } else { "Bachelor's degree" };
    let experience = *r.pick(&[
        "No experience needed",
        "At least 6 months of BPO experience",
        "At least 1 year of BPO experience",
        "2 years of experience",
    ]);
    let description = format!(
        "<p>{channel} account for {}. {shift}.{}</p><ul><li>{}</li></ul><p>{experience}. {education}.</p>",
        r.pick(INDUSTRIES),
        if hybrid { " Hybrid setup." } else { "" },
        perks.join("</li><li>")
    );
    let senior = title.contains("Lead")
        || title.contains("Supervisor")
        || title.contains("Manager")
        || title.contains("Analyst")
        || title.contains("Trainer");
    let base = if senior { 30_000 + r.below(40) as u64 * 1000 } else { 16_000 + r.below(14) as u64 * 1000 };
    let salary = match r.below(10) {
        0 => json!(format!("PHP {},000 - {},000 a month", base / 1000, base / 1000 + 5)),
        1 => {
            json!({"@type": "MonetaryAmount", "currency": "PHP", "value": {"@type": "QuantitativeValue", "value": (base / 173).to_string(), "unitText": "HOUR"}})
        }
        2 => Value::Null,
        _ => {
            json!({"@type": "MonetaryAmount", "currency": "PHP", "value": {"@type": "QuantitativeValue", "minValue": base, "maxValue": base + 5000, "unitText": "MONTH"}})
        }
    };
    let mut p = json!({
        "@context": "https://schema.org", "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "name": company, "value": format!("gen-{seed}-{i}")},
        "title": if remote { format!("{title} (Work From Home)") } else { title.to_string() },
        "description": description,
        "datePosted": posted.to_string(), "validThrough": valid.to_string(),
        "employmentType": if r.chance(80) { json!("FULL_TIME") } else { json!(["FULL_TIME", "CONTRACTOR"]) },
        "hiringOrganization": {"@type": "Organization", "name": company},
        "baseSalary": salary,
        "workHours": shift,
    });
    if remote {
        p["jobLocationType"] = json!("TELECOMMUTE");
        p["applicantLocationRequirements"] = json!({"@type": "Country", "name": "Philippines"});
    } else {
        p["jobLocation"] = json!({"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": city, "addressRegion": region, "addressCountry": "PH"}});
    }
    p
}

/// `count` postings from `first`, as one JSON array (a file `ladder jobs import` reads).
pub fn batch(seed: u64, first: u64, count: u64, today: NaiveDate) -> Value {
    Value::Array((first..first + count).map(|i| posting(seed, i, today)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ladder_core::postings::read_file;

    #[test]
    fn generated_postings_read_back_and_repeat_for_a_seed() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let text = batch(7, 0, 200, today).to_string();
        let read = read_file(&text, &ladder_core::Framework::default_framework()).unwrap();
        assert_eq!(read.postings.len(), 200);
        assert!(read.postings.iter().filter(|p| p.role.is_some()).count() > 150);
        assert!(read.postings.iter().any(|p| p.signing_bonus) && read.postings.iter().any(|p| p.pay.is_none()));
        assert_eq!(batch(7, 0, 3, today), batch(7, 0, 3, today));
    }
}
