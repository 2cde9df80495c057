//! The sites, accounts and teams a people file names, with the attributes it gives them, and
//! the team leaders it names for each team.

use std::collections::{BTreeSet, HashMap};

use super::rows::Row;

/// The sites, accounts and teams a file names, in the order they first appear, with the
/// attributes given for each.
#[derive(Default)]
pub(super) struct Places {
    /// Site → country, timezone.
    pub sites: Vec<(String, Attributes)>,
    /// (site, account) → client, line of business.
    pub accounts: Vec<((String, String), Attributes)>,
    pub teams: Vec<(String, String, String)>,
}

/// A place's two optional attributes: per attribute, the last row that gives it wins.
#[derive(Default)]
pub(super) struct Attributes {
    pub first: Option<String>,
    pub second: Option<String>,
    /// The last row that gave either (the first to name the place when none did).
    pub row: u64,
}

impl Attributes {
    /// Whether the file gives either attribute a value other than the stored one.
    pub fn changes(&self, first: &str, second: &str) -> bool {
        differs(&self.first, first) || differs(&self.second, second)
    }

    fn merge(&mut self, row: u64, first: &Option<String>, second: &Option<String>) {
        if first.is_some() || second.is_some() {
            self.row = row;
        }
        if first.is_some() {
            self.first.clone_from(first);
        }
        if second.is_some() {
            self.second.clone_from(second);
        }
    }
}

pub(super) fn places_in(rows: &[Row]) -> Places {
    let mut places = Places::default();
    let (mut site_at, mut account_at, mut seen_teams) = (HashMap::new(), HashMap::new(), BTreeSet::new());
    for r in rows {
        let Some(Some(p)) = &r.place else { continue };
        let at = *site_at.entry(p.site.clone()).or_insert_with(|| {
            places.sites.push((p.site.clone(), Attributes { row: r.row, ..Attributes::default() }));
            places.sites.len() - 1
        });
        places.sites[at].1.merge(r.row, &p.country, &p.timezone);
        let key = (p.site.clone(), p.account.clone());
        let at = *account_at.entry(key.clone()).or_insert_with(|| {
            places.accounts.push((key, Attributes { row: r.row, ..Attributes::default() }));
            places.accounts.len() - 1
        });
        places.accounts[at].1.merge(r.row, &p.client, &p.line_of_business);
        let team = (p.site.clone(), p.account.clone(), p.team.clone());
        if seen_teams.insert(team.clone()) {
            places.teams.push(team);
        }
    }
    places
}

pub(super) fn differs(given: &Option<String>, stored: &str) -> bool {
    given.as_deref().is_some_and(|g| g != stored)
}

/// (site, account, team, leader's code) for each team leader the file names for a team: a
/// leader of someone on a team leads that team.
pub(super) type Links<'r> = BTreeSet<(&'r str, &'r str, &'r str, &'r str)>;

pub(super) fn links_in(rows: &[Row]) -> Links<'_> {
    let mut links = BTreeSet::new();
    for r in rows {
        if let (Some(Some(leader)), Some(Some(place))) = (&r.leader, &r.place) {
            links.insert((place.site.as_str(), place.account.as_str(), place.team.as_str(), leader.as_str()));
        }
    }
    links
}
