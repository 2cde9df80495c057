//! The search's query (API query string and the page's form alike), checked into the store's
//! filters: each value from its closed set or within its limits, else a 422 naming the field.

use chrono::NaiveDate;
use ladder_core::limits;
use ladder_core::postings::{pay::currency_code, Arrangement, Channel, Industry, Shift};
use ladder_store::postings::Filters;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};

/// The most months of experience one may filter on (40 years).
const MAX_EXPERIENCE_MONTHS: i64 = 480;

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Words in the title.
    pub q: Option<String>,
    /// remote, hybrid or on-site (remote postings come first in any case).
    pub arrangement: Option<String>,
    /// day, night or rotating.
    pub shift: Option<String>,
    /// Monthly pay at least this much (major units, e.g. 20000) in `currency`.
    pub pay_at_least: Option<String>,
    /// ISO 4217; default PHP.
    pub currency: Option<String>,
    /// Only postings with a signing bonus.
    #[serde(default)]
    pub signing_bonus: bool,
    /// Only postings with a night differential.
    #[serde(default)]
    pub night_differential: bool,
    /// it, banking-financial, insurance, telecom, healthcare, e-commerce or travel-hospitality.
    pub industry: Option<String>,
    /// Part of the company's name.
    pub company: Option<String>,
    /// Part of the location.
    pub location: Option<String>,
    /// voice or non-voice.
    pub channel: Option<String>,
    /// required or not-required.
    pub degree: Option<String>,
    /// Postings asking for at most this many months of experience (0: no experience).
    pub experience_at_most: Option<String>,
    /// A framework role id.
    pub role: Option<String>,
    /// Closed postings too.
    #[serde(default)]
    pub include_expired: bool,
    /// 1–500, default 50.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// A value from a closed set, named by `key`; blank is none.
fn keyed<T: Copy>(field: &str, v: &Option<String>, from: fn(&str) -> Option<T>, all: &[&str]) -> ApiResult<Option<T>> {
    let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    from(v).map(Some).ok_or_else(|| ApiError::invalid(field, format!("one of {}", all.join(", "))))
}

/// A text filter: blank is none, one line of at most [`limits::LINE`] characters.
fn line(field: &str, v: &Option<String>) -> ApiResult<Option<String>> {
    let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    match limits::line_problem(v, limits::LINE) {
        Some(p) => Err(ApiError::invalid(field, p)),
        None => Ok(Some(v.to_string())),
    }
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl SearchQuery {
    /// The store's filters, open postings only (on `today`) unless `include_expired`.
    pub fn filters(&self, today: NaiveDate) -> ApiResult<Filters> {
        let keys = |all: &[&'static str]| all.to_vec();
        let arrangement = keyed(
            "arrangement",
            &self.arrangement,
            Arrangement::from_key,
            &keys(&Arrangement::ALL.iter().map(|a| a.key()).collect::<Vec<_>>()),
        )?;
        let shift =
            keyed("shift", &self.shift, Shift::from_key, &Shift::ALL.iter().map(|a| a.key()).collect::<Vec<_>>())?;
        let industry = keyed(
            "industry",
            &self.industry,
            Industry::from_key,
            &Industry::ALL.iter().map(|a| a.key()).collect::<Vec<_>>(),
        )?;
        let channel = keyed(
            "channel",
            &self.channel,
            Channel::from_key,
            &Channel::ALL.iter().map(|a| a.key()).collect::<Vec<_>>(),
        )?;
        let degree = match blank(&self.degree) {
            None => None,
            Some("required") => Some(true),
            Some("not-required") => Some(false),
            Some(_) => return Err(ApiError::invalid("degree", "required or not-required")),
        };
        let currency = match blank(&self.currency) {
            None => "PHP".to_string(),
            Some(c) => {
                currency_code(c).ok_or_else(|| ApiError::invalid("currency", "an ISO 4217 code such as PHP or USD"))?
            }
        };
        let pay_at_least = match blank(&self.pay_at_least) {
            None => None,
            Some(p) => {
                let amount: Decimal = p
                    .replace(',', "")
                    .parse()
                    .map_err(|_| ApiError::invalid("pay_at_least", "a number of the currency's units a month"))?;
                let digits = ladder_core::postings::pay::minor_digits(Some(&currency));
                let minor = (amount * Decimal::from(10i64.pow(digits)))
                    .round()
                    .to_i64()
                    .filter(|m| (0..=100_000_000_000).contains(m));
                Some((minor.ok_or_else(|| ApiError::invalid("pay_at_least", "between 0 and 1,000,000,000"))?, currency))
            }
        };
        let experience_at_most =
            match blank(&self.experience_at_most) {
                None => None,
                Some(e) => Some(e.parse::<i64>().ok().filter(|m| (0..=MAX_EXPERIENCE_MONTHS).contains(m)).ok_or_else(
                    || ApiError::invalid("experience_at_most", format!("whole months, 0 to {MAX_EXPERIENCE_MONTHS}")),
                )?),
            };
        let role = line("role", &self.role)?;
        Ok(Filters {
            open_on: (!self.include_expired).then_some(today),
            arrangement: arrangement.map(|a| a.key().to_string()),
            shift: shift.map(|s| s.key().to_string()),
            pay_at_least,
            signing_bonus: self.signing_bonus,
            night_differential: self.night_differential,
            industry: industry.map(|i| i.key().to_string()),
            company: line("company", &self.company)?,
            location: line("location", &self.location)?,
            channel: channel.map(|c| c.key().to_string()),
            degree,
            experience_at_most,
            role,
            text: line("q", &self.q)?,
            id_above: None,
        })
    }
}
