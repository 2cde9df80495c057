//! Published openings for people not signed in: one public page per opening and a feed, each
//! with schema.org JobPosting JSON-LD carrying what job-search engines require (title,
//! description, datePosted, validThrough, hiringOrganization, jobLocation or TELECOMMUTE with
//! applicantLocationRequirements, baseSalary) and what BPO job seekers filter on.

use ladder_store::openings::{self as store, Opening};
use serde_json::{json, Value};

use super::{today, view, OpeningView};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The most openings the feed lists.
const MAX_FEED: i64 = 1000;

/// Minor units as the amount schema.org expects (major units).
fn major(minor: i64, currency: &str) -> Value {
    let per = ladder_core::openings::money::minor_per_major(currency);
    if minor % per == 0 {
        json!(minor / per)
    } else {
        json!(minor as f64 / per as f64)
    }
}

fn money_words(minor: i64, currency: &str) -> String {
    format!("{currency} {}", major(minor, currency))
}

/// Loads a published opening that still takes applications: 404 otherwise (a closed or
/// unpublished opening is not there for people not signed in).
pub async fn published(state: &AppState, id: i64) -> ApiResult<OpeningView> {
    let o = store::opening(&state.db, id).await.map_err(|_| ApiError::not_found("opening"))?;
    if !o.published || !o.is_open(today()) {
        return Err(ApiError::not_found("opening"));
    }
    Ok(view(state, None, o))
}

/// The JobPosting of a published opening.
pub async fn job_posting(state: &AppState, id: i64) -> ApiResult<Value> {
    let v = published(state, id).await?;
    Ok(posting(state, &v, &organisation(state).await?))
}

/// Every published opening still taking applications, as a JSON-LD array of JobPostings.
pub async fn feed(state: &AppState) -> ApiResult<Value> {
    let org = organisation(state).await?;
    let rows: Vec<Opening> = store::list(&state.db, Some(today()), true, None, MAX_FEED).await?;
    Ok(Value::Array(rows.into_iter().map(|o| posting(state, &view(state, None, o), &org)).collect()))
}

async fn organisation(state: &AppState) -> ApiResult<String> {
    Ok(ladder_store::org::organisation(&state.db).await?.map_or_else(|| "Ladder".to_string(), |(_, name, _)| name))
}

/// The public page's address.
pub fn url_of(state: &AppState, id: i64) -> String {
    format!("{}/jobs/{id}", state.config.public_url.trim_end_matches('/'))
}

/// The JobPosting JSON-LD of an opening (see the module docs for what is in it).
pub fn posting(state: &AppState, o: &OpeningView, organisation: &str) -> Value {
    let mut p = json!({
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": o.title,
        "description": o.description,
        "identifier": { "@type": "PropertyValue", "name": organisation, "value": o.id.to_string() },
        "url": url_of(state, o.id),
        "datePosted": o.posted_on.to_string(),
        "validThrough": format!("{}T23:59:59", o.closing_date),
        "hiringOrganization": { "@type": "Organization", "name": organisation },
        "employmentType": if o.hours_per_week >= 35 { "FULL_TIME" } else { "PART_TIME" },
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": o.currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": major(o.pay_min, &o.currency),
                "maxValue": major(o.pay_max, &o.currency),
                "unitText": "MONTH",
            },
        },
        "workHours": work_hours(o),
        "incentiveCompensation": incentives(o),
        "totalJobOpenings": o.headcount,
    });
    let mut place = json!({
        "@type": "Place",
        "address": { "@type": "PostalAddress", "addressLocality": o.site_name },
    });
    // A site without a country says nothing rather than an empty country.
    let country = o.site_country.trim();
    if !country.is_empty() {
        place["address"]["addressCountry"] = json!(country);
    }
    if o.arrangement == "remote" {
        p["jobLocationType"] = json!("TELECOMMUTE");
        if !country.is_empty() {
            p["applicantLocationRequirements"] = json!({ "@type": "Country", "name": country });
        }
    } else {
        p["jobLocation"] = place;
    }
    if let Some(code) = &o.onet_soc {
        p["occupationalCategory"] = json!(code);
    }
    if o.allowances > 0 {
        let what = if o.allowances_note.is_empty() { "allowances".to_string() } else { o.allowances_note.clone() };
        p["jobBenefits"] = json!(format!("{what}: {} a month", money_words(o.allowances, &o.currency)));
    }
    p
}

fn work_hours(o: &OpeningView) -> String {
    let mut s = format!("{} shift", o.shift);
    if !o.shift_hours.is_empty() {
        s.push_str(&format!(", {}", o.shift_hours));
    }
    s.push_str(&format!(", {} hours a week", o.hours_per_week));
    if o.arrangement == "hybrid" {
        s.push_str(", hybrid (part on site, part from home)");
    }
    s
}

fn incentives(o: &OpeningView) -> String {
    let bonus = if o.signing_bonus > 0 {
        format!("signing bonus {}", money_words(o.signing_bonus, &o.currency))
    } else {
        "no signing bonus".into()
    };
    let night = if o.night_differential_percent > 0 {
        format!("night differential {} % for hours between 22:00 and 06:00", o.night_differential_percent)
    } else {
        "no night differential".into()
    };
    let mut s = format!("{bonus}; {night}");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}
