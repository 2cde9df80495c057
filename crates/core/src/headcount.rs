//! Headcount and its month-on-month change (issue 25): who was here at the start and the end
//! of a month, who joined, who left, who was promoted, and the attrition rate, grouped by
//! where people sat (site, account, role) or how long they had been here (tenure band).
//!
//! Pure: the store reads people and their role spells, the service names the groups. [`span`]
//! over everyone is the reference; at scale the store counts who sat where in SQL and only the
//! people something happened to come here ([`span_with_counts`]).
//! Someone is here on a day from their hire date until the day before they left. A person
//! marked inactive with no leave date left before leave dates were kept: they are counted
//! nowhere, as their leaving month is unknown.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::period::Month;
use crate::TeamId;

/// How long someone has been here, in the bands HR reports by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Tenure {
    /// Under 6 months.
    UnderSixMonths,
    /// 6 to 12 months.
    SixToTwelveMonths,
    /// 1 to 2 years.
    OneToTwoYears,
    /// 2 to 5 years.
    TwoToFiveYears,
    /// 5 years or more.
    FiveYearsPlus,
}

impl Tenure {
    pub const ALL: [Tenure; 5] = [
        Tenure::UnderSixMonths,
        Tenure::SixToTwelveMonths,
        Tenure::OneToTwoYears,
        Tenure::TwoToFiveYears,
        Tenure::FiveYearsPlus,
    ];

    /// The band on `day` of someone hired on `hired`: whole months of service.
    pub fn on(hired: NaiveDate, day: NaiveDate) -> Tenure {
        let mut months = (day.year() - hired.year()) * 12 + day.month() as i32 - hired.month() as i32;
        if day.day() < hired.day() {
            months -= 1;
        }
        match months {
            ..6 => Tenure::UnderSixMonths,
            6..12 => Tenure::SixToTwelveMonths,
            12..24 => Tenure::OneToTwoYears,
            24..60 => Tenure::TwoToFiveYears,
            _ => Tenure::FiveYearsPlus,
        }
    }

    /// The latest hire dates of the bands after the first, for `day`: someone hired after
    /// `bounds[0]` is under 6 months, after `bounds[1]` under 12, and so on (as [`Tenure::on`]
    /// counts), so a database can band people by comparing dates alone.
    pub fn bounds(day: NaiveDate) -> [NaiveDate; 4] {
        [6, 12, 24, 60].map(|months| months_before(day, months))
    }

    pub fn label(self) -> &'static str {
        match self {
            Tenure::UnderSixMonths => "under 6 months",
            Tenure::SixToTwelveMonths => "6–12 months",
            Tenure::OneToTwoYears => "1–2 years",
            Tenure::TwoToFiveYears => "2–5 years",
            Tenure::FiveYearsPlus => "5 years or more",
        }
    }
}

/// `day` moved back `months` months, on the same day of the month or the month's last day
/// (hired on or before it, someone has served `months` whole months on `day`).
fn months_before(day: NaiveDate, months: u32) -> NaiveDate {
    let index = day.year() * 12 + day.month0() as i32 - months as i32;
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
    (1..=day.day()).rev().find_map(|d| NaiveDate::from_ymd_opt(year, month, d)).unwrap_or(day)
}

/// What a database count is grouped by: the team (the service names its site or account), the
/// role or the tenure band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Team,
    Role,
    Tenure,
}

/// One group of a database count.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    Team(Option<TeamId>),
    Role(String),
    Tenure(Tenure),
}

/// One role spell: the role and team someone had from a day to a day (both included).
#[derive(Debug, Clone, PartialEq)]
pub struct Spell {
    pub role_id: String,
    pub team_id: Option<TeamId>,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// A person as the headcount needs them.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub hire_date: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub active: bool,
    /// Their role and team now, where no spell covers a day.
    pub role_id: String,
    pub team_id: Option<TeamId>,
    /// Their role spells, oldest first.
    pub spells: Vec<Spell>,
}

/// Where someone sat on a day, to group them by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Position<'a> {
    pub role_id: &'a str,
    pub team_id: Option<TeamId>,
    pub tenure: Tenure,
}

impl Person {
    /// Whether they were here on `day`.
    pub fn here_on(&self, day: NaiveDate) -> bool {
        self.hire_date <= day && self.left_on.map_or(self.active, |left| day < left)
    }

    /// Where they sat on `day`: the spell covering it, else their role and team now.
    pub fn position(&self, day: NaiveDate) -> Position<'_> {
        let spell = self.spells.iter().rev().find(|s| s.from <= day && s.to.is_none_or(|to| day <= to));
        let (role_id, team_id) =
            spell.map_or((self.role_id.as_str(), self.team_id), |s| (s.role_id.as_str(), s.team_id));
        Position { role_id, team_id, tenure: Tenure::on(self.hire_date, day) }
    }
}

impl Position<'_> {
    /// The group this position falls in when counting by `by`.
    pub fn group(&self, by: By) -> Group {
        match by {
            By::Team => Group::Team(self.team_id),
            By::Role => Group::Role(self.role_id.to_string()),
            By::Tenure => Group::Tenure(self.tenure),
        }
    }
}

/// A group's month: headcount at its start (the day before its first day) and at its end, and the
/// moves in between.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Change {
    pub start: u64,
    pub end: u64,
    pub joiners: u64,
    pub leavers: u64,
    pub promotions: u64,
}

impl Change {
    /// Leavers over the average of the start and end headcounts; none without anyone here.
    pub fn attrition(&self) -> Option<f64> {
        let average = (self.start + self.end) as f64 / 2.0;
        (average > 0.0).then(|| self.leavers as f64 / average)
    }

    /// Adds `other`'s figures to these.
    pub fn add(&mut self, other: &Change) {
        self.start += other.start;
        self.end += other.end;
        self.joiners += other.joiners;
        self.leavers += other.leavers;
        self.promotions += other.promotions;
    }
}

/// The month's change for each group `key` names, in key order, and the total.
///
/// People are grouped where they sat at the month's end; a leaver where they sat on their last
/// day; the start headcount where people sat at the start. A promotion is a spell begun in the
/// month in a role of a higher `level` than the spell before it.
pub fn month<K: Ord>(
    people: &[Person],
    month: Month,
    level: impl Fn(&str) -> Option<u8>,
    key: impl Fn(&Position<'_>) -> K,
) -> (Vec<(K, Change)>, Change) {
    span(people, month.first_day(), month.last_day(), level, key)
}

/// [`month`] for any span of days `first..=last` (a week, for the well-being roll-up): the
/// start headcount is the day before `first`, the end headcount `last`.
pub fn span<K: Ord>(
    people: &[Person],
    first: NaiveDate,
    last: NaiveDate,
    level: impl Fn(&str) -> Option<u8>,
    key: impl Fn(&Position<'_>) -> K,
) -> (Vec<(K, Change)>, Change) {
    let before = first.pred_opt().unwrap_or(first);
    let in_month = |day: NaiveDate| first <= day && day <= last;
    let mut groups: BTreeMap<K, Change> = BTreeMap::new();
    for p in people {
        if p.here_on(before) {
            groups.entry(key(&p.position(before))).or_default().start += 1;
        }
        if p.here_on(last) {
            let at_end = groups.entry(key(&p.position(last))).or_default();
            at_end.end += 1;
            at_end.joiners += u64::from(in_month(p.hire_date));
            at_end.promotions += promotions(p, first, last, &level);
        }
        if let Some(left) = p.left_on.filter(|left| in_month(*left) && p.hire_date < *left) {
            let last_day = left.pred_opt().unwrap_or(left);
            let group = groups.entry(key(&p.position(last_day))).or_default();
            group.leavers += 1;
            // Joined and left in the same month: a joiner too.
            group.joiners += u64::from(in_month(p.hire_date));
        }
    }
    let mut total = Change::default();
    groups.values().for_each(|c| total.add(c));
    (groups.into_iter().collect(), total)
}

/// [`span`] from counts a database made. `stayed` counts the people nothing happened to in the
/// span (not hired, gone, or beginning or ending a spell in it, nor in two spells at once) by the
/// group they sat in at its start and at its end: the same spell covers both ends, so only their
/// tenure band can differ. `eventful` holds everyone else who may have been here, with their
/// spells. The figures are [`span`]'s over both.
pub fn span_with_counts<K: Ord>(
    stayed: impl IntoIterator<Item = (K, K, u64)>,
    eventful: &[Person],
    first: NaiveDate,
    last: NaiveDate,
    level: impl Fn(&str) -> Option<u8>,
    key: impl Fn(&Position<'_>) -> K,
) -> (Vec<(K, Change)>, Change) {
    let (moved, _) = span(eventful, first, last, level, key);
    let mut groups: BTreeMap<K, Change> = moved.into_iter().collect();
    for (at_start, at_end, n) in stayed {
        groups.entry(at_start).or_default().start += n;
        groups.entry(at_end).or_default().end += n;
    }
    let mut total = Change::default();
    groups.values().for_each(|c| total.add(c));
    (groups.into_iter().collect(), total)
}

/// How many of `p`'s spells begun between `first` and `last` moved them to a higher level.
fn promotions(p: &Person, first: NaiveDate, last: NaiveDate, level: &impl Fn(&str) -> Option<u8>) -> u64 {
    p.spells
        .windows(2)
        .filter(|pair| first <= pair[1].from && pair[1].from <= last)
        .filter(|pair| matches!((level(&pair[0].role_id), level(&pair[1].role_id)), (Some(a), Some(b)) if b > a))
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn person(hired: &str, left: Option<&str>, spells: &[(&str, &str)]) -> Person {
        let spells: Vec<Spell> = spells
            .iter()
            .enumerate()
            .map(|(i, (role, from))| Spell {
                role_id: role.to_string(),
                team_id: None,
                from: day(from),
                to: spells.get(i + 1).map(|(_, next)| day(next).pred_opt().unwrap()),
            })
            .collect();
        Person {
            hire_date: day(hired),
            left_on: left.map(day),
            active: left.is_none(),
            role_id: spells.last().map_or("agent".into(), |s| s.role_id.clone()),
            team_id: None,
            spells,
        }
    }

    #[test]
    fn tenure_bands_turn_on_whole_months() {
        let hired = day("2024-03-15");
        assert_eq!(Tenure::on(hired, day("2024-09-14")), Tenure::UnderSixMonths);
        assert_eq!(Tenure::on(hired, day("2024-09-15")), Tenure::SixToTwelveMonths);
        assert_eq!(Tenure::on(hired, day("2025-03-15")), Tenure::OneToTwoYears);
        assert_eq!(Tenure::on(hired, day("2026-03-15")), Tenure::TwoToFiveYears);
        assert_eq!(Tenure::on(hired, day("2029-03-15")), Tenure::FiveYearsPlus);
    }

    #[test]
    fn tenure_bounds_band_as_tenure_on_does() {
        let band = |hired: NaiveDate, day: NaiveDate| {
            let bounds = Tenure::bounds(day);
            Tenure::ALL[bounds.iter().take_while(|b| hired <= **b).count()]
        };
        let start = day("2019-12-01");
        for d in (0..800).step_by(7).map(|n| day("2026-01-01") + chrono::Days::new(n)) {
            for hired in (0..2600).map(|n| start + chrono::Days::new(n)).filter(|h| *h <= d) {
                assert_eq!(band(hired, d), Tenure::on(hired, d), "hired {hired}, on {d}");
            }
        }
        // The end of a long month back to a short one.
        assert_eq!(Tenure::bounds(day("2026-08-31"))[0], day("2026-02-28"));
    }

    #[test]
    fn counts_of_who_stayed_and_the_eventful_give_the_same_month_as_everyone() {
        let level = |role: &str| Some(if role == "lead" { 2 } else { 1 });
        let people = vec![
            person("2020-01-01", None, &[("agent", "2020-01-01")]),
            person("2025-09-15", None, &[("agent", "2025-09-15")]),
            person("2020-01-01", None, &[("agent", "2020-01-01"), ("lead", "2026-03-10")]),
            person("2020-01-01", Some("2026-03-20"), &[("agent", "2020-01-01")]),
            person("2026-03-05", Some("2026-03-25"), &[("agent", "2026-03-05")]),
            person("2026-03-05", None, &[("agent", "2026-03-05")]),
        ];
        let (first, last) = (day("2026-03-01"), day("2026-03-31"));
        let key = |p: &Position<'_>| p.group(By::Tenure);
        // The first two stayed: one in each band at the start, both 6–12 months at the end.
        let stayed = [
            (Group::Tenure(Tenure::FiveYearsPlus), Group::Tenure(Tenure::FiveYearsPlus), 1),
            (Group::Tenure(Tenure::UnderSixMonths), Group::Tenure(Tenure::SixToTwelveMonths), 1),
        ];
        let got = span_with_counts(stayed, &people[2..], first, last, level, key);
        assert_eq!(got, span(&people, first, last, level, key));
    }

    #[test]
    fn a_month_counts_joiners_leavers_promotions_and_attrition() {
        let level = |role: &str| Some(if role == "lead" { 2 } else { 1 });
        let people = vec![
            person("2020-01-01", None, &[("agent", "2020-01-01")]),
            person("2020-01-01", None, &[("agent", "2020-01-01"), ("lead", "2026-03-10")]),
            person("2020-01-01", Some("2026-03-20"), &[("agent", "2020-01-01")]),
            person("2026-03-05", None, &[("agent", "2026-03-05")]),
            person("2026-04-01", None, &[("agent", "2026-04-01")]),
            // Inactive with no leave date: counted nowhere.
            Person { active: false, ..person("2020-01-01", None, &[("agent", "2020-01-01")]) },
        ];
        let (groups, total) = month(&people, Month::new(2026, 3).unwrap(), level, |p| p.role_id.to_string());
        assert_eq!(total, Change { start: 3, end: 3, joiners: 1, leavers: 1, promotions: 1 });
        assert_eq!(total.attrition(), Some(1.0 / 3.0));
        let lead = groups.iter().find(|(k, _)| k == "lead").unwrap().1;
        assert_eq!((lead.start, lead.end, lead.promotions), (0, 1, 1));
    }
}
