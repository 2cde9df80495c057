//! A posting's pay as a monthly range in integer minor units (centavos, cents), whatever unit
//! it was written in.
//!
//! Assumptions (a posting rarely says more):
//! - a month is 52 ÷ 12 weeks;
//! - an hourly rate is paid for the week's hours: the posting's own "N hours a week" when its
//!   `workHours` says so, else [`DEFAULT_WEEK_HOURS`];
//! - a daily rate is paid for [`WEEK_DAYS`] days a week;
//! - a yearly figure is spread over 12 months (a 13th-month pay is not added);
//! - no unit means a month (the common way BPO postings state pay);
//! - a single figure is both the low and the high end of the range.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::fields::{number, parse_amount, text};

/// Hours a week an hourly rate is paid for, when the posting does not say.
pub const DEFAULT_WEEK_HOURS: u32 = 40;
/// Days a week a daily rate is paid for.
pub const WEEK_DAYS: u32 = 5;
/// The most one posting's monthly pay may be, in major units (anything above is a typo).
const MAX_MONTHLY: i64 = 1_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PayUnit {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl PayUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            PayUnit::Hour => "hour",
            PayUnit::Day => "day",
            PayUnit::Week => "week",
            PayUnit::Month => "month",
            PayUnit::Year => "year",
        }
    }

    /// A schema.org `unitText` ("HOUR", "MONTH") or a word in a salary text ("per hr", "/mo",
    /// "annually"); whole words only, so "Monday" is no day and "through" no hour.
    pub fn parse(s: &str) -> Option<PayUnit> {
        let l = s.to_ascii_lowercase();
        let words: Vec<&str> = l.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).collect();
        let has = |units: &[&str]| words.iter().any(|w| units.contains(w));
        if has(&["hour", "hours", "hourly", "hr", "hrs", "h"]) {
            Some(PayUnit::Hour)
        } else if has(&["day", "days", "daily"]) {
            Some(PayUnit::Day)
        } else if has(&["week", "weeks", "weekly", "wk", "wks"]) {
            Some(PayUnit::Week)
        } else if has(&["month", "months", "monthly", "mo", "mos", "mthly"]) {
            Some(PayUnit::Month)
        } else if has(&["year", "years", "yearly", "annum", "annual", "annually", "yr", "yrs"]) {
            Some(PayUnit::Year)
        } else {
            None
        }
    }

    /// How many of this unit a month holds, for `week_hours` hours a week.
    fn per_month(self, week_hours: u32) -> Decimal {
        let weeks = Decimal::from(52) / Decimal::from(12);
        match self {
            PayUnit::Hour => Decimal::from(week_hours) * weeks,
            PayUnit::Day => Decimal::from(WEEK_DAYS) * weeks,
            PayUnit::Week => weeks,
            PayUnit::Month => Decimal::ONE,
            PayUnit::Year => Decimal::ONE / Decimal::from(12),
        }
    }
}

/// Monthly pay: `min` ≤ `max`, in minor units of `currency` (ISO 4217, when the posting gives
/// one); `unit` is how the posting wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyPay {
    pub min: i64,
    pub max: i64,
    pub currency: Option<String>,
    pub unit: PayUnit,
}

/// The posting's pay from `baseSalary` (else `estimatedSalary`), with `salaryCurrency` when
/// the amount names none; `week_hours` from its `workHours`.
pub fn read(posting: &Map<String, Value>, week_hours: u32) -> Option<MonthlyPay> {
    let salary = posting.get("baseSalary").filter(|v| !v.is_null()).or_else(|| posting.get("estimatedSalary"))?;
    let salary = match salary {
        Value::Array(a) => a.first()?,
        one => one,
    };
    let raw = raw_amount(salary)?;
    // What the posting declares beats what the amount's text suggests.
    let declared = text(posting.get("salaryCurrency")).and_then(|c| currency_code(&c));
    let currency = declared.or(raw.currency);
    let unit = raw.unit.unwrap_or(PayUnit::Month);
    // An absurd figure overflows the multiply: no pay, not a panic.
    let monthly = |d: Decimal| to_minor(d.checked_mul(unit.per_month(week_hours))?, currency.as_deref());
    let (lo, hi) = (monthly(raw.min)?, monthly(raw.max)?);
    Some(MonthlyPay { min: lo.min(hi), max: lo.max(hi), currency, unit })
}

struct Raw {
    min: Decimal,
    max: Decimal,
    currency: Option<String>,
    unit: Option<PayUnit>,
}

/// A salary as a number, a text, a MonetaryAmount (its value a number, a text or a
/// QuantitativeValue) or a PriceSpecification.
fn raw_amount(v: &Value) -> Option<Raw> {
    match v {
        Value::Number(_) => {
            let n = number(Some(v))?;
            Some(Raw { min: n, max: n, currency: None, unit: None })
        }
        Value::String(s) => from_text(s),
        Value::Object(o) => from_object(o),
        _ => None,
    }
}

fn from_object(o: &Map<String, Value>) -> Option<Raw> {
    let currency = ["currency", "priceCurrency"].iter().find_map(|k| text(o.get(*k))).and_then(|c| currency_code(&c));
    let own_unit = unit_of(o);
    let inner = o.get("value").or_else(|| o.get("price"));
    let mut raw = match inner {
        Some(Value::Object(q)) => range_of(q).or_else(|| from_object(q))?,
        Some(Value::String(s)) => from_text(s)?,
        Some(v @ Value::Number(_)) => raw_amount(v)?,
        _ => range_of(o)?,
    };
    raw.unit = raw.unit.or(own_unit);
    raw.currency = currency.or(raw.currency);
    Some(raw)
}

/// `minValue`/`maxValue` (or `value`, or `minPrice`/`maxPrice`/`price`) of a QuantitativeValue
/// or PriceSpecification.
fn range_of(q: &Map<String, Value>) -> Option<Raw> {
    let pick = |keys: &[&str]| keys.iter().find_map(|k| number(q.get(*k)));
    let value = pick(&["value", "price"]);
    let min = pick(&["minValue", "minPrice"]).or(value);
    let max = pick(&["maxValue", "maxPrice"]).or(value).or(min);
    Some(Raw { min: min.or(max)?, max: max?, currency: None, unit: unit_of(q) })
}

fn unit_of(o: &Map<String, Value>) -> Option<PayUnit> {
    text(o.get("unitText"))
        .or_else(|| o.get("referenceQuantity").and_then(|r| text(r.get("unitText"))))
        .and_then(|u| PayUnit::parse(&u))
}

/// "PHP 18,000 - 22,000 a month", "$15/hr", "₱18k–₱20k".
fn from_text(s: &str) -> Option<Raw> {
    let cleaned = s.replace(['–', '—'], "-").replace(" to ", "-");
    let mut parts = cleaned.split('-').filter_map(parse_amount);
    let min = parts.next()?;
    let max = parts.next().unwrap_or(min);
    Some(Raw { min, max, currency: currency_in(s), unit: PayUnit::parse(s) })
}

/// A currency named in a salary text: a code first ("SGD $3,000" is SGD), else a sign.
fn currency_in(s: &str) -> Option<String> {
    let code =
        s.split(|c: char| !c.is_ascii_alphabetic()).find_map(|w| (w.len() == 3).then(|| currency_code(w)).flatten());
    code.or_else(|| {
        [("₱", "PHP"), ("₹", "INR"), ("€", "EUR"), ("£", "GBP"), ("$", "USD")]
            .iter()
            .find(|(sign, _)| s.contains(sign))
            .map(|(_, code)| code.to_string())
    })
}

/// An ISO 4217 code from what a posting writes ("php", "Php", "PHP"); a word that is not a
/// known code (e.g. "per") is refused.
pub fn currency_code(s: &str) -> Option<String> {
    const KNOWN: &[&str] = &[
        "PHP", "USD", "EUR", "GBP", "INR", "AUD", "CAD", "NZD", "SGD", "MYR", "IDR", "THB", "VND", "JPY", "KRW", "CNY",
        "HKD", "AED", "SAR", "ZAR", "MXN", "BRL", "COP", "PEN", "CLP", "ARS", "EGP", "KES", "NGN", "PKR", "BDT", "LKR",
        "PLN", "RON", "BGN", "CZK", "HUF", "CHF", "SEK", "NOK", "DKK", "TRY", "MAD", "GTQ", "CRC", "JMD", "DOP",
    ];
    let code = s.trim().to_ascii_uppercase();
    KNOWN.contains(&code.as_str()).then_some(code)
}

/// Minor units a currency has (ISO 4217 exponent): 0 for the few without cents, else 2.
pub fn minor_digits(currency: Option<&str>) -> u32 {
    match currency {
        Some("JPY" | "KRW" | "VND" | "CLP" | "IDR" | "HUF") => 0,
        _ => 2,
    }
}

/// `amount` (major units) in minor units, rounded half away from zero; `None` when absurd.
fn to_minor(amount: Decimal, currency: Option<&str>) -> Option<i64> {
    if amount.is_sign_negative() || amount > Decimal::from(MAX_MONTHLY) {
        return None;
    }
    let scale = Decimal::from(10i64.pow(minor_digits(currency)));
    amount.checked_mul(scale)?.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero).to_i64()
}

/// Hours a week from a `workHours` text ("40 hours per week", "45 hrs/wk"), when it says.
pub fn week_hours(work_hours: &str) -> Option<u32> {
    let l = work_hours.to_ascii_lowercase();
    if !(l.contains("week") || l.contains("wk")) {
        return None;
    }
    let words: Vec<&str> = l.split(|c: char| c.is_whitespace() || c == '/').filter(|w| !w.is_empty()).collect();
    words.windows(2).find_map(|w| {
        let n: u32 = w[0].trim_end_matches(['h', 'r', 's']).parse().ok()?;
        let unit = if w[0].ends_with('h') || w[0].ends_with("hrs") { "h" } else { w[1] };
        (unit.starts_with('h') && (1..=80).contains(&n)).then_some(n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pay(v: Value) -> MonthlyPay {
        read(v.as_object().unwrap(), DEFAULT_WEEK_HOURS).unwrap()
    }

    #[test]
    fn each_unit_becomes_a_month_in_minor_units() {
        let month = |unit: &str, value: Value| {
            pay(json!({"baseSalary": {"@type": "MonetaryAmount", "currency": "PHP",
                "value": {"@type": "QuantitativeValue", "value": value, "unitText": unit}}}))
        };
        assert_eq!(month("MONTH", json!(18000)).min, 1_800_000);
        assert_eq!(month("YEAR", json!("240000")).min, 2_000_000);
        // 100 an hour × 40 h × 52/12 weeks = 17,333.33
        assert_eq!(month("HOUR", json!(100)).min, 1_733_333);
        // 800 a day × 5 days × 52/12 = 17,333.33
        assert_eq!(month("DAY", json!(800)).max, 1_733_333);
        assert_eq!(month("WEEK", json!(4000)).min, 1_733_333);
        assert_eq!(month("MONTH", json!(18000)).currency.as_deref(), Some("PHP"));
    }

    #[test]
    fn overflowing_figures_are_no_pay_not_a_panic() {
        let none = |v: Value| read(v.as_object().unwrap(), DEFAULT_WEEK_HOURS);
        assert_eq!(none(json!({"baseSalary": "999999999999999999999999k per hr"})), None);
        assert_eq!(
            none(json!({"baseSalary": {"currency": "PHP", "value": {"value": 1e28, "unitText": "HOUR"}}})),
            None
        );
        assert_eq!(
            none(json!({"baseSalary": {"value": {"value": "79228162514264337593543950335", "unitText": "YEAR"}}})),
            None
        );
    }

    #[test]
    fn declared_currency_and_codes_beat_guesses_and_units_are_whole_words() {
        let p = pay(json!({"baseSalary": "$3,000 a month", "salaryCurrency": "SGD"}));
        assert_eq!(p.currency.as_deref(), Some("SGD"));
        let o = pay(json!({"baseSalary": {"currency": "AUD", "value": "$25 per hour"}}));
        assert_eq!(o.currency.as_deref(), Some("AUD"));
        assert_eq!(pay(json!({"baseSalary": "SGD $3,000"})).currency.as_deref(), Some("SGD"));
        let m = pay(json!({"baseSalary": "PHP 18,000, Monday to Friday"}));
        assert_eq!((m.unit, m.min), (PayUnit::Month, 1_800_000));
        assert_eq!(PayUnit::parse("three shifts, Monday through Thursday"), None);
        assert_eq!(PayUnit::parse("$15/hr"), Some(PayUnit::Hour));
        assert_eq!(PayUnit::parse("18k/mo"), Some(PayUnit::Month));
        assert_eq!(PayUnit::parse("paid daily"), Some(PayUnit::Day));
        assert_eq!(PayUnit::parse("240k annually"), Some(PayUnit::Year));
    }

    #[test]
    fn ranges_numbers_and_texts() {
        let r = pay(
            json!({"baseSalary": {"currency": "PHP", "value": {"minValue": "18,000", "maxValue": 22000, "unitText": "MONTH"}}}),
        );
        assert_eq!((r.min, r.max), (1_800_000, 2_200_000));
        let n = pay(json!({"baseSalary": 20000, "salaryCurrency": "php"}));
        assert_eq!((n.min, n.max, n.currency.as_deref(), n.unit), (2_000_000, 2_000_000, Some("PHP"), PayUnit::Month));
        let t = pay(json!({"baseSalary": "₱18k – ₱25k per month"}));
        assert_eq!((t.min, t.max, t.currency.as_deref()), (1_800_000, 2_500_000, Some("PHP")));
        let h = pay(json!({"baseSalary": "USD 15 per hour"}));
        assert_eq!((h.min, h.unit, h.currency.as_deref()), (260_000, PayUnit::Hour, Some("USD")));
        let p = pay(json!({"baseSalary": {"@type": "PriceSpecification", "price": 30000, "priceCurrency": "PHP"}}));
        assert_eq!(p.max, 3_000_000);
    }

    #[test]
    fn an_hourly_rate_uses_the_postings_own_week() {
        assert_eq!(week_hours("45 hours per week, night shift"), Some(45));
        assert_eq!(week_hours("40hrs/week"), Some(40));
        assert_eq!(week_hours("10pm-7am"), None);
        let r = read(
            json!({"baseSalary": {"currency": "USD", "value": {"value": 12, "unitText": "HOUR"}}}).as_object().unwrap(),
            45,
        )
        .unwrap();
        assert_eq!(r.min, 234_000); // 12 × 45 × 52/12
    }
}
