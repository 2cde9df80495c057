//! What a people file changes, in the store's terms ([`Changes`]), from its rows and the stored
//! state: pure, so it is decided before the transaction and the store only writes it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use ladder_store::org::bulk::{AccountChange, Changes, NewTeam, Person, PersonChange, Ref, SiteChange, Spell};

use super::compare::Index;
use super::places::{Links, Places};
use super::rows::Row;

/// The changes a file makes. `today` starts the spell of a team move in the same role.
pub(super) fn changes<'a>(
    rows: &'a [Row],
    index: &Index<'a>,
    places: &'a Places,
    links: &Links<'a>,
    organisation_name: &'a str,
    today: NaiveDate,
) -> Changes<'a> {
    let mut changes = Changes { organisation_name, ..Changes::default() };
    let teams = places_changed(places, index, &mut changes);
    let team_of = |r: &Row, current: Option<i64>| match &r.place {
        None => current.map(Ref::Stored),
        Some(None) => None,
        Some(Some(p)) => teams.get(&(p.site.as_str(), p.account.as_str(), p.team.as_str())).copied(),
    };
    // Sized up front: a first import makes every row a newcomer, and growing these (and the
    // people in them) row by row copied them over and over.
    let new = rows.iter().filter(|r| !index.by_code.contains_key(r.code.as_str())).count();
    let mut newcomers: HashMap<&str, Ref> = HashMap::with_capacity(new);
    changes.newcomers.reserve_exact(new);
    changes.changed.reserve(rows.len() - new);
    for r in rows {
        match index.by_code.get(r.code.as_str()) {
            None => {
                newcomers.insert(&r.code, Ref::New(changes.newcomers.len()));
                let values = person(r, r.email.as_ref().and_then(|e| e.as_deref()), team_of(r, None));
                changes.newcomers.push(Person { active: r.active.unwrap_or(true), ..values });
            }
            Some(e) => {
                let email = r.email.as_ref().map_or(e.email.as_deref(), |email| email.as_deref());
                let values = Person { active: r.active.unwrap_or(e.active), ..person(r, email, team_of(r, e.team_id)) };
                let moved = values.team != e.team_id.map(Ref::Stored);
                let spell = if e.role_id != r.role || moved {
                    // From the role's start for a role change, from today for a team move.
                    Some(Spell::New { from: if e.role_id != r.role { r.role_since } else { today } })
                } else {
                    (e.role_since != r.role_since).then_some(Spell::Starts(r.role_since))
                };
                let changed = e.name != r.name
                    || e.email.as_deref() != email
                    || moved
                    || e.role_id != r.role
                    || e.role_since != r.role_since
                    || e.hire_date != r.hire_date
                    || e.hire_date_basis != r.hire_basis.as_str()
                    || e.active != values.active
                    || values.left_on.is_some_and(|left| e.left_on != Some(left));
                if changed {
                    changes.changed.push(PersonChange { id: e.id, spell, values });
                }
            }
        }
    }
    let person_ref =
        |code: &str| index.by_code.get(code).map(|e| Ref::Stored(e.id)).or_else(|| newcomers.get(code).copied());
    changes.reporting_lines = reporting_lines(rows, index, person_ref);
    changes.identities = identities(rows, index, person_ref);
    leaders_changed(links, &teams, index, person_ref, &mut changes);
    changes
}

/// (person, platform, identifier) for each identity a row gives that is not stored as it is.
fn identities<'a>(
    rows: &'a [Row],
    index: &Index<'_>,
    person_ref: impl Fn(&str) -> Option<Ref>,
) -> Vec<(Ref, &'static str, Option<&'a str>)> {
    let mut changed = Vec::new();
    for r in rows.iter().filter(|r| !r.identities.is_empty()) {
        let id = index.by_code.get(r.code.as_str()).map(|e| e.id);
        let person = person_ref(&r.code).expect("everyone in the file is known");
        for (platform, given) in &r.identities {
            let stored = id.and_then(|id| index.identity(id, *platform));
            if stored != given.as_deref() {
                changed.push((person, platform.as_str(), given.as_deref()));
            }
        }
    }
    changed
}

/// A row's values; `active` is filled in by the caller.
fn person<'a>(r: &'a Row, email: Option<&'a str>, team: Option<Ref>) -> Person<'a> {
    Person {
        code: &r.code,
        name: &r.name,
        email,
        team,
        role_id: &r.role,
        role_since: r.role_since,
        hire_date: r.hire_date,
        hire_date_basis: r.hire_basis.as_str(),
        active: true,
        left_on: r.left_on,
    }
}

/// (site, account, team) names.
type TeamKey<'a> = (&'a str, &'a str, &'a str);

/// Fills in the sites, accounts and teams to make or change: new ones made, the attributes the
/// file gives (the last row's, where rows differ) written where they changed. Returns every
/// team the file names.
fn places_changed<'a>(places: &'a Places, index: &Index<'_>, changes: &mut Changes<'a>) -> HashMap<TeamKey<'a>, Ref> {
    let mut sites: HashMap<&str, Ref> = HashMap::new();
    for (site, given) in &places.sites {
        let (country, timezone) = (given.first.as_deref(), given.second.as_deref());
        let change = match index.site_by_name.get(site.as_str()) {
            Some(s) if given.changes(&s.country, &s.timezone) => SiteChange::Update { id: s.id, country, timezone },
            Some(s) => {
                sites.insert(site, Ref::Stored(s.id));
                continue;
            }
            None => SiteChange::New {
                name: site,
                country: country.unwrap_or_default(),
                timezone: timezone.unwrap_or("UTC"),
            },
        };
        let id = match change {
            SiteChange::Update { id, .. } => Ref::Stored(id),
            SiteChange::New { .. } => Ref::New(changes.sites.len()),
        };
        sites.insert(site, id);
        changes.sites.push(change);
    }
    let mut accounts: HashMap<(&str, &str), Ref> = HashMap::new();
    for ((site, account), given) in &places.accounts {
        let (client, line_of_business) = (given.first.as_deref(), given.second.as_deref());
        let key = (site.as_str(), account.as_str());
        match index.account(site, account) {
            Some(a) if given.changes(&a.client, &a.line_of_business) => {
                changes.accounts.push(AccountChange::Update { id: a.id, client, line_of_business });
                accounts.insert(key, Ref::Stored(a.id));
            }
            Some(a) => {
                accounts.insert(key, Ref::Stored(a.id));
            }
            None => {
                accounts.insert(key, Ref::New(changes.accounts.len()));
                let (client, line_of_business) = (client.unwrap_or_default(), line_of_business.unwrap_or_default());
                let site = sites[site.as_str()];
                changes.accounts.push(AccountChange::New { site, name: account, client, line_of_business });
            }
        }
    }
    let mut teams = HashMap::new();
    for (site, account, team) in &places.teams {
        let key = (site.as_str(), account.as_str(), team.as_str());
        let id = match index.team(site, account, team) {
            Some(id) => Ref::Stored(id),
            None => {
                changes.teams.push(NewTeam { account: accounts[&(site.as_str(), account.as_str())], name: team });
                Ref::New(changes.teams.len() - 1)
            }
        };
        teams.insert(key, id);
    }
    teams
}

/// (person, team leader) where the file gives a person's team leader and it changes.
fn reporting_lines(
    rows: &[Row],
    index: &Index<'_>,
    person_ref: impl Fn(&str) -> Option<Ref>,
) -> Vec<(Ref, Option<Ref>)> {
    let mut lines = Vec::with_capacity(rows.len());
    lines.extend(rows.iter().filter_map(|r| {
        let leader = r.leader.as_ref()?;
        let manager = leader.as_deref().and_then(&person_ref);
        let unchanged = index.by_code.get(r.code.as_str()).is_some_and(|e| e.manager_id.map(Ref::Stored) == manager);
        (!unchanged).then(|| (person_ref(&r.code).expect("everyone in the file is known"), manager))
    }));
    lines
}

/// A team whose members' reporting lines the file gives is led by exactly those leaders: fills
/// in the pairs to hold and the stored leaders who go.
fn leaders_changed<'a>(
    links: &Links<'a>,
    teams: &HashMap<TeamKey<'a>, Ref>,
    index: &Index<'_>,
    person_ref: impl Fn(&str) -> Option<Ref>,
    changes: &mut Changes<'a>,
) {
    let mut led: BTreeMap<i64, BTreeSet<Ref>> = BTreeMap::new();
    for &(site, account, team, leader) in links {
        let team = teams[&(site, account, team)];
        let leader = person_ref(leader).expect("team leaders are checked to be known");
        if let Ref::Stored(id) = team {
            led.entry(id).or_default().insert(leader);
        }
        changes.team_leaders.push((team, leader));
    }
    changes.leaders_leaving = index
        .stored
        .leaders
        .iter()
        .filter(|(team, old)| led.get(team).is_some_and(|keep| !keep.contains(&Ref::Stored(*old))))
        .copied()
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::places::{links_in, places_in};
    use crate::people::rows::Place;
    use ladder_core::identity::Platform;
    use ladder_store::org::bulk::{Stored, StoredEmployee, StoredTeam};
    use ladder_store::org::{Account, Site};

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn stored() -> Stored {
        let employee = |id, code: &str, team_id, role_id: &str, manager_id| StoredEmployee {
            id,
            code: code.into(),
            name: format!("Person {code}"),
            email: Some(format!("{code}@example.com")),
            team_id,
            role_id: role_id.into(),
            role_since: date("2024-01-01"),
            hire_date: date("2024-01-01"),
            hire_date_basis: "given".into(),
            manager_id,
            active: true,
            left_on: None,
        };
        Stored {
            employees: vec![
                employee(1, "L1", Some(10), "team-leader", None),
                employee(2, "A1", Some(10), "customer-service-executive", Some(1)),
                employee(3, "A2", Some(10), "customer-service-executive", Some(1)),
            ],
            sites: vec![Site { id: 5, name: "Manila".into(), country: "PH".into(), timezone: "Asia/Manila".into() }],
            accounts: vec![Account {
                id: 7,
                site_id: 5,
                name: "Telco".into(),
                client: "T".into(),
                line_of_business: "voice".into(),
            }],
            teams: vec![StoredTeam { id: 10, account_id: 7, name: "Team 1".into() }],
            leaders: vec![(10, 1)],
            open_spells: vec![(1, date("2024-01-01")), (2, date("2024-01-01")), (3, date("2024-01-01"))],
            identities: vec![(2, "genesys".into(), "g-a1".into())],
        }
    }

    fn place(account: &str, team: &str) -> Option<Option<Place>> {
        Some(Some(Place {
            site: "Manila".into(),
            country: None,
            timezone: Some("Asia/Singapore".into()),
            account: account.into(),
            client: None,
            line_of_business: None,
            team: team.into(),
        }))
    }

    fn row(code: &str, role: &str, place: Option<Option<Place>>, leader: Option<&str>) -> Row {
        Row {
            row: 2,
            code: code.into(),
            name: format!("Person {code}"),
            email: None,
            place,
            role: role.into(),
            role_since: date("2024-01-01"),
            hire_date: date("2024-01-01"),
            hire_basis: crate::people::rows::HireBasis::Given,
            role_since_given: true,
            leader: Some(leader.map(String::from)),
            active: None,
            left_on: None,
            identities: vec![],
        }
    }

    #[test]
    fn the_changes_name_new_rows_by_their_place_and_stored_ones_by_id() {
        let stored = stored();
        let index = Index::new(&stored);
        let today = date("2025-05-20");
        let genesys = |id: Option<&str>| vec![(Platform::Genesys, id.map(String::from))];
        let rows = vec![
            // A1 moves to a new team of a new account, led by the newcomer N1.
            Row {
                identities: genesys(Some("g-a1")),
                ..row("A1", "customer-service-executive", place("Bank", "Team 9"), Some("N1"))
            },
            // A2 is promoted from June in the same team, with the same leader.
            Row { role_since: date("2025-06-01"), ..row("A2", "senior-agent", place("Telco", "Team 1"), Some("L1")) },
            Row { identities: genesys(Some("g-n1")), ..row("N1", "team-leader", place("Bank", "Team 9"), None) },
            // L1 is unchanged but no longer named as anyone's leader in Team 1.
            row("L1", "team-leader", None, None),
        ];
        let (places, links) = (places_in(&rows), links_in(&rows));
        let first = changes(&rows, &index, &places, &links, "Org", today);
        assert_eq!(first.sites, vec![SiteChange::Update { id: 5, country: None, timezone: Some("Asia/Singapore") }]);
        assert_eq!(
            first.accounts,
            vec![AccountChange::New { site: Ref::Stored(5), name: "Bank", client: "", line_of_business: "" }]
        );
        assert_eq!(first.teams, vec![NewTeam { account: Ref::New(0), name: "Team 9" }]);
        assert_eq!(first.newcomers.len(), 1);
        assert_eq!((first.newcomers[0].code, first.newcomers[0].team), ("N1", Some(Ref::New(0))));
        let changed: Vec<(i64, Option<Spell>, Option<Ref>, &str)> =
            first.changed.iter().map(|c| (c.id, c.spell, c.values.team, c.values.role_id)).collect();
        assert_eq!(
            changed,
            vec![
                (2, Some(Spell::New { from: today }), Some(Ref::New(0)), "customer-service-executive"),
                (3, Some(Spell::New { from: date("2025-06-01") }), Some(Ref::Stored(10)), "senior-agent"),
            ],
            "a team move starts its spell today, a new role on its own date; the email not given stays"
        );
        assert_eq!(first.changed[0].values.email, Some("A1@example.com"));
        assert_eq!(
            first.reporting_lines,
            vec![(Ref::Stored(2), Some(Ref::New(0))), (Ref::New(0), None)],
            "only changed lines: A2 keeps L1, L1 had none and has none; a newcomer's is always written"
        );
        assert_eq!(first.team_leaders, vec![(Ref::New(0), Ref::New(0)), (Ref::Stored(10), Ref::Stored(1))]);
        assert!(first.leaders_leaving.is_empty(), "L1 still leads Team 1 through A2");
        assert_eq!(first.identities, vec![(Ref::New(0), "genesys", Some("g-n1"))], "A1's is stored as it is");

        // A2 now reports to N1: Team 1 is led by N1 alone.
        let rows =
            [&rows[..1], &[row("A2", "customer-service-executive", place("Telco", "Team 1"), Some("N1"))], &rows[2..]]
                .concat();
        let (places, links) = (places_in(&rows), links_in(&rows));
        let second = changes(&rows, &index, &places, &links, "Org", today);
        assert_eq!(second.team_leaders, vec![(Ref::New(0), Ref::New(0)), (Ref::Stored(10), Ref::New(0))]);
        assert_eq!(second.leaders_leaving, vec![(10, 1)]);
        assert!(second.changed.iter().all(|c| c.id != 3), "A2's row itself is unchanged");
    }
}
