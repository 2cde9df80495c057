//! Comparing a people file's rows with what is stored: the problems that need the stored state
//! (permissions, unknown team leaders, a role that starts too early), what would change about
//! each person (the report's lines), and the counts of new, updated and unchanged rows.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use ladder_core::identity::Platform;
use ladder_core::{EmployeeId, TeamId};
use ladder_store::org::bulk::{Stored, StoredEmployee};
use ladder_store::org::{Account, Site};

use super::places::{differs, Attributes, Links, Places};
use super::rows::{FileRows, HireBasis, Place, Row};
use crate::report::{Counts, Report};
use crate::validate::Problem;
use crate::{EmployeeRef, Options};

/// The stored organisation, looked up by the names and codes a file uses.
pub(super) struct Index<'s> {
    pub stored: &'s Stored,
    pub by_code: HashMap<&'s str, &'s StoredEmployee>,
    code_of: HashMap<i64, &'s str>,
    open_spell: HashMap<i64, NaiveDate>,
    pub site_by_name: HashMap<&'s str, &'s Site>,
    account_by_name: HashMap<(i64, &'s str), &'s Account>,
    team_by_name: HashMap<(i64, &'s str), i64>,
    /// Team → (site, account, team) names.
    team_place: HashMap<i64, (&'s str, &'s str, &'s str)>,
    /// (employee, platform) → identifier, and (platform, identifier) → employee where unique.
    identity_of: HashMap<(i64, &'s str), &'s str>,
    holder: HashMap<(&'s str, &'s str), i64>,
}

impl<'s> Index<'s> {
    pub fn new(stored: &'s Stored) -> Index<'s> {
        let Stored { employees, sites, accounts, teams, open_spells, .. } = stored;
        let team_place = teams
            .iter()
            .filter_map(|t| {
                let account = accounts.iter().find(|a| a.id == t.account_id)?;
                let site = sites.iter().find(|s| s.id == account.site_id)?;
                Some((t.id, (site.name.as_str(), account.name.as_str(), t.name.as_str())))
            })
            .collect();
        let identities = &stored.identities;
        Index {
            identity_of: identities.iter().map(|(e, p, i)| ((*e, p.as_str()), i.as_str())).collect(),
            holder: identities
                .iter()
                .filter(|(_, p, _)| Platform::parse(p).is_some_and(Platform::unique))
                .map(|(e, p, i)| ((p.as_str(), i.as_str()), *e))
                .collect(),
            stored,
            by_code: employees.iter().map(|e| (e.code.as_str(), e)).collect(),
            code_of: employees.iter().map(|e| (e.id, e.code.as_str())).collect(),
            open_spell: open_spells.iter().copied().collect(),
            site_by_name: sites.iter().map(|s| (s.name.as_str(), s)).collect(),
            account_by_name: accounts.iter().map(|a| ((a.site_id, a.name.as_str()), a)).collect(),
            team_by_name: teams.iter().map(|t| ((t.account_id, t.name.as_str()), t.id)).collect(),
            team_place,
        }
    }

    pub fn account(&self, site: &str, account: &str) -> Option<&'s Account> {
        self.site_by_name.get(site).and_then(|s| self.account_by_name.get(&(s.id, account))).copied()
    }

    /// The stored team of a place, if there is one.
    pub fn team(&self, site: &str, account: &str, team: &str) -> Option<i64> {
        self.account(site, account).and_then(|a| self.team_by_name.get(&(a.id, team))).copied()
    }

    /// A stored person's identifier on a platform.
    pub fn identity(&self, employee: i64, platform: Platform) -> Option<&'s str> {
        self.identity_of.get(&(employee, platform.as_str())).copied()
    }

    fn team_of_place(&self, place: &Option<Place>) -> Option<i64> {
        place.as_ref().and_then(|p| self.team(&p.site, &p.account, &p.team))
    }
}

/// Adds the problems and the lines of what would change to the report, and its counts; returns
/// the counts of employees.
pub(super) fn compare(
    file: &FileRows,
    index: &Index<'_>,
    places: &Places,
    links: &Links<'_>,
    opts: &Options,
    report: &mut Report,
) -> Counts {
    let in_file: BTreeSet<&str> = file.rows.iter().map(|r| r.code.as_str()).collect();
    let mut employees = Counts::default();
    for r in &file.rows {
        let current = index.by_code.get(r.code.as_str()).copied();
        if !allowed(r, current, index, file, opts, report) {
            continue;
        }
        check_leader(r, &in_file, index, file, opts, report);
        match current {
            None => {
                employees.new += 1;
                if report.changes.len() < opts.max_problems {
                    let estimated = match r.hire_basis {
                        HireBasis::Derived => {
                            format!(", hired about {} (estimated from years of service)", r.hire_date)
                        }
                        HireBasis::FirstData => ", hire date unknown (tenure counts from the first figures)".into(),
                        HireBasis::Given => String::new(),
                    };
                    report.changes.push(format!("{}: new ({}{estimated})", who(r), r.role));
                }
            }
            Some(e) => {
                let what = differences(r, e, index, file, opts, report);
                if what.is_empty() {
                    employees.unchanged += 1;
                } else {
                    employees.updated += 1;
                    if report.changes.len() < opts.max_problems {
                        report.changes.push(format!("{}: {}", who(r), what.join("; ")));
                    }
                }
            }
        }
    }
    check_identities(file, index, opts, report);
    let identities = count_identities(file, index);
    let (sites, accounts, teams) = count_places(places, index, file, opts, report);
    report.counts = vec![
        ("employees".into(), employees),
        ("sites".into(), sites),
        ("accounts".into(), accounts),
        ("teams".into(), teams),
        ("team leaders".into(), count_leaders(links, index)),
    ];
    if identities.total() > 0 {
        report.counts.push(("platform identities".into(), identities));
    }
    employees
}

/// Whether the caller may import the row (a problem when not): both where the person is now
/// and where the row puts them (a team not made yet, or none, is nobody's but HR's), so nobody
/// moves people in or out of their reach.
fn allowed(
    r: &Row,
    current: Option<&StoredEmployee>,
    index: &Index<'_>,
    file: &FileRows,
    opts: &Options,
    report: &mut Report,
) -> bool {
    let id = current.map(|e| EmployeeId(e.id));
    if id.is_some() && id == opts.importer {
        report.add_problem(Problem::new(r.row, file.header("code"), &r.code, crate::OWN_RECORD), opts.max_problems);
        return false;
    }
    let Some(allowed) = &opts.allowed else { return true };
    // `None`: a new person; a row that leaves the team as it is.
    let now = current.map(|e| e.team_id);
    let to = r.place.as_ref().map(|place| index.team_of_place(place));
    let teamless_newcomer = (now.is_none() && to.is_none()).then_some(None);
    let mut judged = [now, to, teamless_newcomer].into_iter().flatten();
    if judged.all(|team_id| allowed(&EmployeeRef { id, code: &r.code, team_id: team_id.map(TeamId) })) {
        return true;
    }
    let message = "not allowed: this person is outside the people you may import";
    report.add_problem(Problem::new(r.row, file.header("code"), &r.code, message), opts.max_problems);
    false
}

/// An identifier names one person on its platform (a WFM display name excepted): one given to
/// two rows, or held by someone else whom the file does not give another, is a problem at the
/// row that would take it.
fn check_identities(file: &FileRows, index: &Index<'_>, opts: &Options, report: &mut Report) {
    // Identifiers route imported figures to people: only HR and administrators (who import with
    // no employee filter) may change them, or a leader could claim another team's figures.
    if opts.allowed.is_some() {
        for r in &file.rows {
            let id = index.by_code.get(r.code.as_str()).map(|e| e.id);
            for (platform, value) in &r.identities {
                let stored = id.and_then(|id| index.identity(id, *platform));
                if stored != value.as_deref() {
                    let message = "not allowed: platform identifiers are HR's to change";
                    let shown = value.as_deref().unwrap_or_default();
                    report.add_problem(
                        Problem::new(r.row, file.header(platform.column()), shown, message),
                        opts.max_problems,
                    );
                }
            }
        }
    }
    let mut given: HashMap<(Platform, &str), (&str, u64)> = HashMap::new();
    // (employee, platform) the file sets, to see identifiers it moves off their holders.
    let mut sets: HashMap<(&str, Platform), Option<&str>> = HashMap::new();
    for r in &file.rows {
        for (platform, value) in &r.identities {
            sets.insert((r.code.as_str(), *platform), value.as_deref());
        }
    }
    for r in &file.rows {
        for (platform, value) in r.identities.iter().filter(|(p, _)| p.unique()) {
            let Some(value) = value.as_deref() else { continue };
            let column = file.header(platform.column());
            if let Some((code, row)) = given.insert((*platform, value), (&r.code, r.row)) {
                let message = format!(
                    "duplicate identifier: {} '{value}' is also given to {code} at row {row}",
                    platform.label()
                );
                report.add_problem(Problem::new(r.row, column, value, message), opts.max_problems);
                continue;
            }
            let Some(holder) = index.holder.get(&(platform.as_str(), value)) else { continue };
            let holder_code = index.code_of.get(holder).copied().unwrap_or_default();
            let released =
                holder_code != r.code && sets.get(&(holder_code, *platform)).is_some_and(|v| *v != Some(value));
            if holder_code != r.code && !released {
                let message =
                    format!("duplicate identifier: {} '{value}' already belongs to {holder_code}", platform.label());
                report.add_problem(Problem::new(r.row, column, value, message), opts.max_problems);
            }
        }
    }
}

/// A team leader must be someone else, in the file or stored.
fn check_leader(
    r: &Row,
    in_file: &BTreeSet<&str>,
    index: &Index<'_>,
    file: &FileRows,
    opts: &Options,
    report: &mut Report,
) {
    let Some(Some(leader)) = &r.leader else { return };
    let column = file.header("team_leader");
    if leader == &r.code {
        let problem = Problem::new(r.row, column, leader, "a person cannot be their own team leader");
        report.add_problem(problem, opts.max_problems);
    } else if !in_file.contains(leader.as_str()) && !index.by_code.contains_key(leader.as_str()) {
        let problem = Problem::new(r.row, column, leader, "unknown team leader: no employee has this code");
        report.add_problem(problem, opts.max_problems);
    }
}

/// What the row changes about a stored person, as the report says it; a new role that starts
/// before the current one is a problem.
fn differences(
    r: &Row,
    e: &StoredEmployee,
    index: &Index<'_>,
    file: &FileRows,
    opts: &Options,
    report: &mut Report,
) -> Vec<String> {
    let mut what = Vec::new();
    if e.name != r.name {
        what.push(format!("name '{}' → '{}'", e.name, r.name));
    }
    if let Some(email) = &r.email {
        if &e.email != email {
            what.push(format!("email {} → {}", opt(&e.email), opt(email)));
        }
    }
    if let Some(place) = &r.place {
        let now = e.team_id.and_then(|t| index.team_place.get(&t)).map(|(s, a, t)| format!("{s}/{a}/{t}"));
        let new = place.as_ref().map(|p| format!("{}/{}/{}", p.site, p.account, p.team));
        if now != new {
            what.push(format!("team {} → {}", opt(&now), opt(&new)));
        }
    }
    if e.role_id != r.role {
        what.push(format!("role {} → {} from {}", e.role_id, r.role, r.role_since));
        if let Some(from) = index.open_spell.get(&e.id).filter(|from| r.role_since <= **from) {
            let message =
                format!("wrong period: the new role must start after the current one ({} since {from})", e.role_id);
            let problem = Problem::new(r.row, file.header("role_since"), &r.role_since.to_string(), message);
            report.add_problem(problem, opts.max_problems);
        }
    } else if e.role_since != r.role_since {
        what.push(format!("role since {} → {}", e.role_since, r.role_since));
    }
    let estimated = |basis: &str| match basis {
        "derived" => " (estimated from years of service)",
        "unknown" => " (unknown: counted from the first figures)",
        _ => "",
    };
    if e.hire_date != r.hire_date || e.hire_date_basis != r.hire_basis.as_str() {
        let (before, after) = (estimated(&e.hire_date_basis), estimated(r.hire_basis.as_str()));
        what.push(format!("hired {}{before} → {}{after}", e.hire_date, r.hire_date));
    }
    if let Some(leader) = &r.leader {
        let now = e.manager_id.and_then(|m| index.code_of.get(&m)).map(|c| c.to_string());
        if &now != leader {
            what.push(format!("team leader {} → {}", opt(&now), opt(leader)));
        }
    }
    for (platform, given) in &r.identities {
        let stored = index.identity(e.id, *platform).map(str::to_string);
        if &stored != given {
            what.push(format!("{} {} → {}", platform.column(), opt(&stored), opt(given)));
        }
    }
    if let Some(active) = r.active.filter(|active| *active != e.active) {
        what.push(if active { "active again".to_string() } else { "left (inactive)".to_string() });
    }
    what
}

/// Counts the sites, accounts and teams the file names as new, updated or unchanged. Sites and
/// accounts are shared by every team in them: their details are HR's to change.
fn count_places(
    places: &Places,
    index: &Index<'_>,
    file: &FileRows,
    opts: &Options,
    report: &mut Report,
) -> (Counts, Counts, Counts) {
    let (mut sites, mut accounts, mut teams) = (Counts::default(), Counts::default(), Counts::default());
    let mut not_theirs = |row: u64, column: &str, value: &Option<String>, what: &str| {
        if opts.allowed.is_some() {
            let value = value.as_deref().unwrap_or_default();
            let message = format!("not allowed: {what} are HR's to change");
            report.add_problem(Problem::new(row, file.header(column), value, &message), opts.max_problems);
        }
    };
    // A place the file names: new, unchanged, or changed in one of its two details (the first
    // that differs is the one named).
    let mut judge = |counts: &mut Counts,
                     stored: Option<(&str, &str)>,
                     given: &Attributes,
                     columns: [&str; 2],
                     what| {
        match stored {
            None => counts.new += 1,
            Some((first, second)) if given.changes(first, second) => {
                counts.updated += 1;
                let (column, value) =
                    if differs(&given.first, first) { (columns[0], &given.first) } else { (columns[1], &given.second) };
                not_theirs(given.row, column, value, what);
            }
            Some(_) => counts.unchanged += 1,
        }
    };
    for (site, given) in &places.sites {
        let stored = index.site_by_name.get(site.as_str()).map(|s| (s.country.as_str(), s.timezone.as_str()));
        judge(&mut sites, stored, given, ["country", "timezone"], "a site's country and timezone");
    }
    for ((site, account), given) in &places.accounts {
        let stored = index.account(site, account).map(|a| (a.client.as_str(), a.line_of_business.as_str()));
        let columns = ["client", "line_of_business"];
        judge(&mut accounts, stored, given, columns, "an account's client and line of business");
    }
    for (site, account, team) in &places.teams {
        match index.team(site, account, team) {
            Some(_) => teams.unchanged += 1,
            None => teams.new += 1,
        }
    }
    (sites, accounts, teams)
}

/// Counts the team leaders the file names as new or unchanged.
fn count_leaders(links: &Links<'_>, index: &Index<'_>) -> Counts {
    let stored: BTreeSet<(&str, &str, &str, &str)> = index
        .stored
        .leaders
        .iter()
        .filter_map(|(team, employee)| {
            let (s, a, t) = index.team_place.get(team)?;
            Some((*s, *a, *t, *index.code_of.get(employee)?))
        })
        .collect();
    let mut counts = Counts::default();
    for link in links {
        match stored.contains(link) {
            true => counts.unchanged += 1,
            false => counts.new += 1,
        }
    }
    counts
}

/// A row's person as the report names them: code and name, the code once where it stands in.
fn who(r: &Row) -> String {
    if r.name == r.code {
        r.code.clone()
    } else {
        format!("{} {}", r.code, r.name)
    }
}

/// The identifiers the file gives, as new (none stored), updated (another stored, or removed) or
/// unchanged.
fn count_identities(file: &FileRows, index: &Index<'_>) -> Counts {
    let mut counts = Counts::default();
    for r in &file.rows {
        let id = index.by_code.get(r.code.as_str()).map(|e| e.id);
        for (platform, given) in &r.identities {
            match (id.and_then(|id| index.identity(id, *platform)), given.as_deref()) {
                (None, None) => {}
                (None, Some(_)) => counts.new += 1,
                (Some(stored), Some(given)) if stored == given => counts.unchanged += 1,
                (Some(_), _) => counts.updated += 1,
            }
        }
    }
    counts
}

fn opt(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("(none)")
}
