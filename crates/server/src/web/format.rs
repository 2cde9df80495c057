//! How figures read on a page: values in their unit, scores, months, rating colours.

use ladder_core::framework::{Framework, Unit};
use ladder_core::metric::gap_words;
use ladder_core::period::Month;
use ladder_core::readiness::{RequirementKind, RequirementStatus};
use ladder_core::scoring::{number, volume_number, KraScore, Scorecard};
use ladder_core::settings::FrameworkSettings;

use crate::service::scorecards::DataState;

/// A metric's value in its unit: 86.4 %, 9:50 (minutes:seconds), 12.5/h, 1,204.
pub fn value(v: Option<f64>, unit: Unit) -> String {
    v.map_or_else(|| "—".into(), |v| unit.show(v))
}

/// A figure typed by a person (an impact): thousands separated, at most two decimals.
pub fn amount(v: impl AsNumber) -> String {
    let v = v.number();
    // Beyond 1e15 cents no longer fit an f64 exactly and `as u64` saturates (values saved before
    // the ±1e9 limit): a plain scientific form, never a wrong number.
    if !v.is_finite() || v.abs() >= 1e15 {
        return format!("{v:.3e}");
    }
    let rounded = (v.abs() * 100.0).round() / 100.0;
    let whole = thousands(rounded.trunc() as u64);
    let cents = ((rounded.fract()) * 100.0).round() as u64;
    let sign = if v < 0.0 && rounded > 0.0 { "-" } else { "" };
    match cents {
        0 => format!("{sign}{whole}"),
        c if c % 10 == 0 => format!("{sign}{whole}.{}", c / 10),
        c => format!("{sign}{whole}.{c:02}"),
    }
}

/// A number however deeply borrowed (templates pass `&&f64`).
pub trait AsNumber {
    fn number(&self) -> f64;
}

impl AsNumber for f64 {
    fn number(&self) -> f64 {
        *self
    }
}

impl<T: AsNumber + ?Sized> AsNumber for &T {
    fn number(&self) -> f64 {
        (**self).number()
    }
}

/// Where a person stands against one requirement, in words with units.
pub fn standing(i: &RequirementStatus) -> String {
    use crate::service::career::years_months;
    let months = |v: f64| years_months(v.max(0.0).round() as u32);
    match i.kind {
        RequirementKind::Tenure => format!("{} in role ({} needed)", months(i.have), months(i.need)),
        RequirementKind::Rating if !i.met => i.gap.clone(),
        RequirementKind::Rating => format!("mean score {:.1} ({} needed)", i.have, number(i.need)),
        RequirementKind::Skill if !i.met => i.gap.clone(),
        RequirementKind::Skill => format!("level {} ({} needed)", number(i.have), number(i.need)),
        RequirementKind::Certification | RequirementKind::PreferredCertification if i.met => "held".into(),
        RequirementKind::Certification | RequirementKind::PreferredCertification => i.gap.clone(),
    }
}

pub fn score(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{v:.1}"))
}

/// A period's rating as a page shows it — the band's label, "not enough data", or `none` —
/// and, when there is not enough data, what is missing.
pub fn rating(card: Option<&Scorecard>, data: &DataState, none: &str) -> (String, Vec<String>) {
    if data.not_enough() {
        return ("not enough data".into(), data.reasons.clone());
    }
    (card.and_then(|c| c.rating_label.as_deref()).unwrap_or(none).to_string(), Vec::new())
}

/// A count with thousands separated: `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Monthly pay from minor units: "PHP 18,000–25,000 a month", "pay not stated".
pub fn monthly_pay(min: Option<i64>, max: Option<i64>, currency: Option<&str>) -> String {
    let (Some(min), Some(max)) = (min, max) else { return "pay not stated".into() };
    let unit = 10u64.pow(ladder_core::postings::pay::minor_digits(currency));
    let major = |m: i64| thousands(m.max(0) as u64 / unit);
    let range = if major(min) == major(max) { major(min) } else { format!("{}–{}", major(min), major(max)) };
    format!("{} {range} a month", currency.unwrap_or("(currency not stated)"))
}

pub fn month(m: Month) -> String {
    const NAMES: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!("{} {}", NAMES[(m.month - 1) as usize], m.year)
}

/// A month on a chart's axis: "Dec 25" (the year kept, short).
pub fn month_short(m: Month) -> String {
    let long = month(m);
    format!("{} {:02}", &long[..3], m.year.rem_euclid(100))
}

/// The CSS class that colours a rating or attainment band (band-1 … band-5).
pub fn band(rating: Option<u8>) -> String {
    rating.map_or_else(String::new, |r| format!("band-{}", r.clamp(1, 5)))
}

/// The CSS class of a KRA's attainment, by the framework's attainment bands.
pub fn attainment_band(settings: &FrameworkSettings, attainment: Option<f64>) -> String {
    band(attainment.map(|a| settings.attainment_band(a)))
}

/// A KRA row as the agent reads it: what it is, where it stands, what it needs.
pub struct KraRow {
    pub metric: String,
    pub name: String,
    pub weight: String,
    pub value: String,
    pub target: String,
    pub threshold: String,
    pub stretch: String,
    pub attainment: String,
    pub needs: String,
    pub band: String,
}

impl KraRow {
    pub fn of(framework: &Framework, k: &KraScore) -> KraRow {
        let metric = framework.metric(&k.metric);
        let unit = metric.map_or(Unit::Count, |m| m.unit);
        let needs = match k.value {
            None => "no data yet".to_string(),
            Some(_) if !k.counted => {
                let what = framework.scoring.min_volume(&k.metric).map_or("", |v| v.unit.as_str());
                format!(
                    "not counted: {} {what}, {} needed",
                    volume_number(k.volume.unwrap_or(0.0)),
                    number(k.min_volume.unwrap_or(0.0))
                )
            }
            Some(v) => gap_words(k.direction, unit, k.limits, v).unwrap_or_else(|| "at or past target".to_string()),
        };
        KraRow {
            metric: k.metric.to_string(),
            name: metric.map_or_else(|| k.metric.to_string(), |m| m.name.clone()),
            weight: format!("{:.0}", k.weight),
            value: value(k.value, unit),
            target: value(Some(k.limits.target), unit),
            threshold: value(Some(k.limits.threshold), unit),
            stretch: value(Some(k.limits.stretch), unit),
            attainment: k.attainment.map_or_else(|| "—".into(), |a| format!("{a:.0} %")),
            needs,
            band: attainment_band(&framework.settings, k.attainment),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_separated() {
        for (n, text) in [(0, "0"), (999, "999"), (12345, "12,345"), (1234567, "1,234,567")] {
            assert_eq!(super::thousands(n), text);
        }
    }

    use super::*;

    #[test]
    fn amounts_and_spans_read_plainly() {
        assert_eq!(amount(1234567.891), "1,234,567.89");
        assert_eq!(amount(12.0), "12");
        assert_eq!(amount(-0.5), "-0.5");
        assert_eq!(amount(1e308), "1.000e308");
        assert_eq!(amount(-2.5e15), "-2.500e15");
        assert_eq!(amount(5e14), "500,000,000,000,000");
        use crate::service::career::years_months;
        assert_eq!(years_months(12), "1 year");
        assert_eq!(years_months(13), "1 year 1 month");
        assert_eq!(years_months(27), "2 years 3 months");
        assert_eq!(years_months(5), "5 months");
    }

    #[test]
    fn values_read_in_their_unit() {
        assert_eq!(value(Some(590.0), Unit::Seconds), "9:50");
        assert_eq!(value(Some(86.44), Unit::Percent), "86.4 %");
        assert_eq!(value(Some(1204.0), Unit::Count), "1204");
        assert_eq!(value(None, Unit::Percent), "—");
        assert_eq!(month(Month::new(2026, 3).unwrap()), "Mar 2026");
        assert_eq!(band(Some(9)), "band-5");
        let settings = FrameworkSettings::default();
        assert_eq!(attainment_band(&settings, Some(100.0)), "band-4");
        assert_eq!(attainment_band(&settings, Some(0.0)), "band-1");
        assert_eq!(attainment_band(&settings, None), "");
    }

    fn aht_line(value: f64, volume: f64) -> KraScore {
        use ladder_core::metric::{Direction, Limits};
        let fw = Framework::default_framework();
        let plan = ladder_core::scoring::KraPlan::for_role(&fw, "customer-service-executive").unwrap();
        let index = ladder_core::scoring::MetricIndex::new(&fw);
        let mut actuals = index.empty_actuals();
        actuals.add(index.position("aht").unwrap(), ladder_core::metric::Sums::new(value * volume, volume));
        let card = ladder_core::scoring::Scorer::new(&fw.scoring, &plan, &index).score(&actuals, None);
        let line = card.kras.into_iter().find(|k| &*k.metric == "aht").unwrap();
        assert_eq!(line.direction, Direction::Lower);
        assert_eq!(line.limits, Limits { threshold: 720.0, target: 590.0, stretch: 480.0 });
        line
    }

    #[test]
    fn a_lower_is_better_gap_reads_over_target_in_seconds() {
        let fw = Framework::default_framework();
        let row = KraRow::of(&fw, &aht_line(602.29, 100.0));
        assert_eq!(row.needs, "12.29 s over target");
        assert_eq!(KraRow::of(&fw, &aht_line(500.0, 100.0)).needs, "at or past target");
        // Three calls are under AHT's minimum volume: shown, not counted.
        let thin = KraRow::of(&fw, &aht_line(300.0, 3.0));
        assert_eq!(thin.needs, "not counted: 3 contacts, 30 needed");
        let almost = KraRow::of(&fw, &aht_line(300.0, 29.996));
        assert_eq!(almost.needs, "not counted: 29.99 contacts, 30 needed", "rounded down, not up to the minimum");
        assert_eq!(thin.attainment, "—");
    }
}
