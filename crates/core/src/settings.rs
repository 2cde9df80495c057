//! The organisation's numbers for reminders and colour bands: when a certification counts as
//! expiring, how far ahead coaching follow-ups are reminded and set, who is "slipping", and the
//! attainment bands a KRA is coloured by. They come from the framework file's `[settings]`
//! table (every key optional, defaulting to Ladder's numbers), so the pages and the API judge
//! a person's records by the same rules.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FrameworkSettings {
    /// Days before its expiry that a certification shows as expiring and is reminded.
    pub certification_expiry_warning_days: u32,
    /// Days ahead that a coaching follow-up is reminded.
    pub follow_up_reminder_days: u32,
    /// Days from today that a new coaching note's follow-up is proposed for.
    pub follow_up_default_days: u32,
    /// A readiness trend (score points per month) below this marks the person as slipping.
    pub slipping_trend_per_month: f64,
    /// KRA attainment (percent) at or above which a KRA is in band 5, 4 and 3; any other
    /// credit is band 2, none band 1.
    pub attainment_bands: [f64; 3],
}

impl Default for FrameworkSettings {
    fn default() -> FrameworkSettings {
        FrameworkSettings {
            certification_expiry_warning_days: 60,
            follow_up_reminder_days: 14,
            follow_up_default_days: 30,
            slipping_trend_per_month: -0.5,
            attainment_bands: [110.0, 100.0, 75.0],
        }
    }
}

/// A `[settings]` table laid over another framework's (`--extend`): the keys it gives replace
/// those, the others stay as they were.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsOverlay {
    pub certification_expiry_warning_days: Option<u32>,
    pub follow_up_reminder_days: Option<u32>,
    pub follow_up_default_days: Option<u32>,
    pub slipping_trend_per_month: Option<f64>,
    pub attainment_bands: Option<[f64; 3]>,
}

/// Longest window a setting may name, so dates stay in range.
const MAX_DAYS: u32 = 3650;

fn days_after(today: NaiveDate, days: u32) -> NaiveDate {
    today.checked_add_days(Days::new(days.into())).unwrap_or(NaiveDate::MAX)
}

impl FrameworkSettings {
    /// These settings with the keys an overlay gives replaced.
    pub fn overlaid(mut self, overlay: &SettingsOverlay) -> FrameworkSettings {
        let o = overlay.clone();
        self.certification_expiry_warning_days =
            o.certification_expiry_warning_days.unwrap_or(self.certification_expiry_warning_days);
        self.follow_up_reminder_days = o.follow_up_reminder_days.unwrap_or(self.follow_up_reminder_days);
        self.follow_up_default_days = o.follow_up_default_days.unwrap_or(self.follow_up_default_days);
        self.slipping_trend_per_month = o.slipping_trend_per_month.unwrap_or(self.slipping_trend_per_month);
        self.attainment_bands = o.attainment_bands.unwrap_or(self.attainment_bands);
        self
    }

    /// Whether a certification expiring on `expires` needs renewing: expired, or expiring
    /// within the warning window.
    pub fn renewal_due(&self, expires: Option<NaiveDate>, today: NaiveDate) -> bool {
        expires.is_some_and(|x| x <= days_after(today, self.certification_expiry_warning_days))
    }

    /// Whether to remind the holder of an expiry: still valid, and within the warning window.
    pub fn expiry_reminder(&self, expires: NaiveDate, today: NaiveDate) -> bool {
        expires >= today && self.renewal_due(Some(expires), today)
    }

    /// Whether a coaching follow-up on `follow_up` is coming up soon enough to remind.
    pub fn follow_up_reminder(&self, follow_up: NaiveDate, today: NaiveDate) -> bool {
        follow_up >= today && follow_up <= days_after(today, self.follow_up_reminder_days)
    }

    /// The follow-up date proposed for a coaching note written today.
    pub fn default_follow_up(&self, today: NaiveDate) -> NaiveDate {
        days_after(today, self.follow_up_default_days)
    }

    /// Whether a person whose monthly score moves by `trend_per_month` is slipping.
    pub fn slipping(&self, trend_per_month: Option<f64>) -> bool {
        trend_per_month.is_some_and(|t| t < self.slipping_trend_per_month)
    }

    /// The band (1–5) of a KRA's attainment, in percent of its target credit.
    pub fn attainment_band(&self, attainment: f64) -> u8 {
        let [five, four, three] = self.attainment_bands;
        match attainment {
            a if a >= five => 5,
            a if a >= four => 4,
            a if a >= three => 3,
            a if a > 0.0 => 2,
            _ => 1,
        }
    }

    /// Every problem with these numbers, as `key: what is wrong`.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (key, days) in [
            ("certification_expiry_warning_days", self.certification_expiry_warning_days),
            ("follow_up_reminder_days", self.follow_up_reminder_days),
            ("follow_up_default_days", self.follow_up_default_days),
        ] {
            if days > MAX_DAYS {
                out.push(format!("{key}: at most {MAX_DAYS} days"));
            }
        }
        if !(self.slipping_trend_per_month.is_finite() && self.slipping_trend_per_month <= 0.0) {
            out.push("slipping_trend_per_month: a number at or below 0 (a falling score)".into());
        }
        let [five, four, three] = self.attainment_bands;
        if !(five.is_finite() && five > four && four > three && three > 0.0) {
            out.push("attainment_bands: three numbers above 0, highest first".into());
        }
        out
    }
}

/// Reads a `[settings]` table and refuses numbers that make no sense, naming each.
pub(crate) fn checked<'de, D: Deserializer<'de>>(d: D) -> Result<FrameworkSettings, D::Error> {
    let settings = FrameworkSettings::deserialize(d)?;
    match settings.problems() {
        problems if problems.is_empty() => Ok(settings),
        problems => Err(serde::de::Error::custom(problems.join("; "))),
    }
}

/// [`checked`] for an overlay's table. Each rule reads one key only, so judging the given keys
/// over the defaults judges them over any valid base as well.
pub(crate) fn checked_overlay<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SettingsOverlay>, D::Error> {
    let overlay = SettingsOverlay::deserialize(d)?;
    match FrameworkSettings::default().overlaid(&overlay).problems() {
        problems if problems.is_empty() => Ok(Some(overlay)),
        problems => Err(serde::de::Error::custom(problems.join("; "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn certifications_are_due_for_renewal_within_the_window_and_once_expired() {
        let s = FrameworkSettings::default();
        let today = day(3, 1);
        assert!(s.renewal_due(Some(day(4, 30)), today), "60 days ahead");
        assert!(!s.renewal_due(Some(day(5, 1)), today), "61 days ahead");
        assert!(s.renewal_due(Some(day(2, 1)), today), "already expired");
        assert!(!s.renewal_due(None, today), "never expires");
        assert!(s.expiry_reminder(day(4, 30), today));
        assert!(s.expiry_reminder(today, today), "expires today");
        assert!(!s.expiry_reminder(day(2, 28), today), "expired: no reminder");
        let shorter = FrameworkSettings { certification_expiry_warning_days: 30, ..FrameworkSettings::default() };
        assert!(!shorter.renewal_due(Some(day(4, 30)), today));
    }

    #[test]
    fn follow_ups_are_reminded_two_weeks_ahead_and_proposed_a_month_ahead() {
        let s = FrameworkSettings::default();
        let today = day(3, 1);
        assert!(s.follow_up_reminder(day(3, 15), today));
        assert!(!s.follow_up_reminder(day(3, 16), today));
        assert!(s.follow_up_reminder(today, today));
        assert!(!s.follow_up_reminder(day(2, 28), today), "past follow-ups are not reminded");
        assert_eq!(s.default_follow_up(today), day(3, 31));
    }

    #[test]
    fn slipping_is_a_trend_below_the_threshold() {
        let s = FrameworkSettings::default();
        assert!(s.slipping(Some(-0.6)));
        assert!(!s.slipping(Some(-0.5)), "at the threshold is not slipping");
        assert!(!s.slipping(Some(1.0)));
        assert!(!s.slipping(None), "no trend yet");
    }

    #[test]
    fn attainment_bands_follow_the_settings() {
        let s = FrameworkSettings::default();
        let bands: Vec<u8> = [120.0, 110.0, 109.9, 100.0, 75.0, 74.9, 0.1, 0.0].map(|a| s.attainment_band(a)).into();
        assert_eq!(bands, [5, 5, 4, 4, 3, 2, 2, 1]);
        let strict = FrameworkSettings { attainment_bands: [120.0, 105.0, 90.0], ..FrameworkSettings::default() };
        assert_eq!(strict.attainment_band(110.0), 4);
    }

    #[test]
    fn nonsense_numbers_are_named() {
        let bad = FrameworkSettings {
            follow_up_reminder_days: 100_000,
            slipping_trend_per_month: 0.5,
            attainment_bands: [75.0, 100.0, 110.0],
            ..FrameworkSettings::default()
        };
        let problems = bad.problems().join("\n");
        assert!(problems.contains("follow_up_reminder_days"), "{problems}");
        assert!(problems.contains("slipping_trend_per_month"), "{problems}");
        assert!(problems.contains("attainment_bands"), "{problems}");
        assert!(FrameworkSettings::default().problems().is_empty());
    }
}
