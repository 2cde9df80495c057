//! The bulk imports' reads and writes of the organisation. A people import's: everything it
//! compares a file with ([`stored`]), and the changes it decided, written in its transaction
//! ([`write()`]): sites, accounts and teams, new people (many to a statement) with their first
//! role spells, changes to people already here, reporting lines and team leaders. A KPI import
//! checks its rows against [`employee_keys`]; scoring every month reads [`employee_roles`].
//!
//! The import decides; this module is the only place its rows meet the tables, so a column added
//! to one of them is added here (and in the two migrations).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;

use super::{Account, Site};
use crate::{on_db, Backend, Db, Result, Tx};

/// Rows a multi-row statement writes at a time: well under either database's limit on bound
/// values.
pub const BATCH_ROWS: usize = 500;

/// An employee as a people import compares them.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredEmployee {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    pub team_id: Option<i64>,
    pub role_id: String,
    pub role_since: NaiveDate,
    pub hire_date: NaiveDate,
    /// 'given', 'derived' (from years of service) or 'unknown'.
    pub hire_date_basis: String,
    pub manager_id: Option<i64>,
    pub active: bool,
    /// The day they left, when known.
    pub left_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredTeam {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
}

/// Everything a people file is compared with.
#[derive(Debug, Clone, Default)]
pub struct Stored {
    pub employees: Vec<StoredEmployee>,
    pub sites: Vec<Site>,
    pub accounts: Vec<Account>,
    pub teams: Vec<StoredTeam>,
    /// (team, employee) of every team leader.
    pub leaders: Vec<(i64, i64)>,
    /// (employee, from) of every open role spell.
    pub open_spells: Vec<(i64, NaiveDate)>,
    /// (employee, platform, identifier) of every platform identity.
    pub identities: Vec<(i64, String, String)>,
}

/// Reads what a people file is compared with.
pub async fn stored(db: &Db) -> Result<Stored> {
    let employees =
        "SELECT id, code, name, email, team_id, role_id, role_since, hire_date, hire_date_basis, manager_id, active,
            left_on FROM employees";
    let sites = "SELECT id, name, country, timezone FROM sites";
    let accounts = "SELECT id, site_id, name, client, line_of_business FROM accounts";
    let teams = "SELECT id, account_id, name FROM teams";
    let leaders = "SELECT team_id, employee_id FROM team_leaders";
    let open_spells = "SELECT employee_id, from_date FROM role_history WHERE to_date IS NULL";
    let identities = super::identities::all(db).await?;
    Ok(on_db!(db, p => Stored {
        identities: identities.clone(),
        employees: sqlx::query_as(employees).fetch_all(p).await?,
        sites: sqlx::query_as(sites).fetch_all(p).await?,
        accounts: sqlx::query_as(accounts).fetch_all(p).await?,
        teams: sqlx::query_as(teams).fetch_all(p).await?,
        leaders: sqlx::query_as(leaders).fetch_all(p).await?,
        open_spells: sqlx::query_as(open_spells).fetch_all(p).await?,
    }))
}

/// Every employee's id, code, team and hire date, by id.
pub async fn employee_keys(db: &Db) -> Result<Vec<(i64, String, Option<i64>, NaiveDate)>> {
    let sql = "SELECT id, code, team_id, hire_date FROM employees ORDER BY id";
    Ok(on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?))
}

/// People whose hire date is unknown (`hire_date_basis = 'unknown'`) count their tenure from
/// their first month with figures: their hire date moves back to it (never forward), and so does
/// a role's start that was only the hire date standing in. The number of people moved.
pub async fn hire_dates_from_first_data(tx: &mut crate::Tx) -> Result<u64> {
    // The first month with figures: typed or monthly ones, or imported days.
    let first = |who: &str| {
        format!(
            "(SELECT MIN(f.month) FROM (SELECT MIN(month) AS month FROM kra_actuals WHERE employee_id = {who}
              UNION ALL SELECT MIN(month) FROM kpi_employee_months WHERE employee_id = {who}) f)"
        )
    };
    // The open spell that began with the stand-in date moves with it (before the dates change).
    let spells = format!(
        "UPDATE role_history SET from_date = {}
         WHERE to_date IS NULL AND EXISTS (SELECT 1 FROM employees e WHERE e.id = role_history.employee_id
            AND e.hire_date_basis = 'unknown' AND e.role_since = e.hire_date
            AND role_history.from_date = e.role_since AND {} < e.hire_date)",
        first("role_history.employee_id"),
        first("e.id")
    );
    on_db!(tx, c => sqlx::query(&spells).execute(c).await.map(drop)?);
    let first_here = first("employees.id");
    let sql = format!(
        "UPDATE employees SET
            role_since = CASE WHEN role_since = hire_date THEN {first_here} ELSE role_since END,
            hire_date = {first_here}
        WHERE hire_date_basis = 'unknown' AND {first_here} < hire_date"
    );
    Ok(on_db!(tx, c => sqlx::query(&sql).execute(c).await?.rows_affected()))
}

/// Each employee's site time zone (`None` outside a team) and how their hire date is known
/// (`given`, `derived`, `unknown`): what a KPI import reads dates with.
pub async fn employee_zones(db: &Db) -> Result<Vec<(i64, Option<String>, String)>> {
    let sql = "SELECT e.id, s.timezone, e.hire_date_basis FROM employees e LEFT JOIN teams t ON t.id = e.team_id \
               LEFT JOIN accounts a ON a.id = t.account_id LEFT JOIN sites s ON s.id = a.site_id";
    Ok(on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?))
}

/// Every employee's id, code and role.
pub async fn employee_roles(db: &Db) -> Result<Vec<(i64, String, String)>> {
    let sql = "SELECT id, code, role_id FROM employees";
    Ok(on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?))
}

/// A row stored already (its id), or one the same [`Changes`] makes: its place in the list of
/// changes of its kind ([`Changes::sites`], [`Changes::accounts`], [`Changes::teams`],
/// [`Changes::newcomers`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ref {
    Stored(i64),
    New(usize),
}

/// A site to make, or a stored one whose attributes the file gives (`None` keeps one).
#[derive(Debug, Clone, PartialEq)]
pub enum SiteChange<'a> {
    New { name: &'a str, country: &'a str, timezone: &'a str },
    Update { id: i64, country: Option<&'a str>, timezone: Option<&'a str> },
}

/// An account to make in a site, or a stored one whose attributes the file gives.
#[derive(Debug, Clone, PartialEq)]
pub enum AccountChange<'a> {
    New { site: Ref, name: &'a str, client: &'a str, line_of_business: &'a str },
    Update { id: i64, client: Option<&'a str>, line_of_business: Option<&'a str> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewTeam<'a> {
    pub account: Ref,
    pub name: &'a str,
}

/// An employee's values, as a new person has them or a changed one gets them.
#[derive(Debug, Clone, PartialEq)]
pub struct Person<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub team: Option<Ref>,
    pub role_id: &'a str,
    pub role_since: NaiveDate,
    pub hire_date: NaiveDate,
    /// How the hire date is known: 'given' or 'derived' (`employees.hire_date_basis`).
    pub hire_date_basis: &'a str,
    pub active: bool,
    /// The day they left, when the file says (`employees.left_on`; else the import's day).
    pub left_on: Option<NaiveDate>,
}

/// A person already here whose row changes (a new spell comes with a change of role, team or
/// role start).
#[derive(Debug, Clone, PartialEq)]
pub struct PersonChange<'a> {
    pub id: i64,
    pub spell: Option<Spell>,
    /// The row's values (the code stays).
    pub values: Person<'a>,
}

/// A change to a person's role history.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spell {
    /// A new spell from `from` in the person's (new) role and team; the open one ends the day
    /// before.
    New { from: NaiveDate },
    /// The open spell starts on another day.
    Starts(NaiveDate),
}

/// Everything a people import writes, in the order it is written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes<'a> {
    /// The organisation made when the database has none.
    pub organisation_name: &'a str,
    pub sites: Vec<SiteChange<'a>>,
    pub accounts: Vec<AccountChange<'a>>,
    /// Teams to make.
    pub teams: Vec<NewTeam<'a>>,
    /// People to add, each with their first role spell.
    pub newcomers: Vec<Person<'a>>,
    pub changed: Vec<PersonChange<'a>>,
    /// (person, their team leader) where that changes.
    pub reporting_lines: Vec<(Ref, Option<Ref>)>,
    /// (team, leader) pairs to hold: a team named here is led by exactly its leaders named here.
    pub team_leaders: Vec<(Ref, Ref)>,
    /// (team, employee) of stored leaders who no longer lead their team.
    pub leaders_leaving: Vec<(i64, i64)>,
    /// (person, platform, identifier) the file gives: `None` removes the person's identifier on
    /// that platform ([`super::identities`]).
    pub identities: Vec<(Ref, &'a str, Option<&'a str>)>,
}

/// Writes `changes` in `tx`; returns the ids of the people added or changed (for their audit
/// trails). The caller raises the figures' version in the same transaction once it has logged
/// the import (team moves change the roll-ups).
pub async fn write(tx: &mut Tx, changes: &Changes<'_>) -> Result<Vec<i64>> {
    let organisation = organisation(tx, changes.organisation_name).await?;
    let sites = write_sites(tx, organisation, &changes.sites).await?;
    let accounts = write_accounts(tx, &sites, &changes.accounts).await?;
    let teams = write_teams(tx, &accounts, &changes.teams).await?;
    let people = add_people(tx, organisation, &teams, &changes.newcomers).await?;
    change_people(tx, &teams, &changes.changed).await?;
    if tx.backend() == Backend::Postgres && changes.newcomers.len() > BATCH_ROWS {
        // The planner's row counts predate the newcomers: without them it would read the
        // whole table for each batch of reporting lines below instead of its index.
        on_db!(tx, c => sqlx::query("ANALYZE employees").execute(c).await.map(drop)?);
    }
    let lines: Vec<(i64, Option<i64>)> = changes
        .reporting_lines
        .iter()
        .map(|(person, leader)| (id(*person, &people), leader.map(|l| id(l, &people))))
        .collect();
    set_reporting_lines(tx, &lines).await?;
    set_team_leaders(tx, &teams, &people, changes).await?;
    let identities: Vec<(i64, &str, Option<&str>)> =
        changes.identities.iter().map(|(person, platform, given)| (id(*person, &people), *platform, *given)).collect();
    let any_stored = changes.identities.iter().any(|(person, ..)| matches!(person, Ref::Stored(_)));
    super::identities::write(tx, &identities, any_stored).await?;
    let mut touched: Vec<i64> = people.iter().copied().chain(changes.changed.iter().map(|c| c.id)).collect();
    touched.extend(lines.iter().map(|(person, _)| *person));
    touched.extend(identities.iter().map(|(person, ..)| *person));
    touched.sort_unstable();
    touched.dedup();
    Ok(touched)
}

/// The id a [`Ref`] names, given the ids of the new rows of its kind.
fn id(r: Ref, new: &[i64]) -> i64 {
    match r {
        Ref::Stored(id) => id,
        Ref::New(at) => new[at],
    }
}

/// The organisation (Ladder runs one per database), made if there is none.
async fn organisation(tx: &mut Tx, name: &str) -> Result<i64> {
    let first = "SELECT id FROM organisations ORDER BY id LIMIT 1";
    let make = "INSERT INTO organisations (name) VALUES ($1) RETURNING id";
    Ok(on_db!(tx, c => {
        let found: Option<i64> = sqlx::query_scalar(first).fetch_optional(&mut *c).await?;
        match found {
            Some(id) => id,
            None => sqlx::query_scalar(make).bind(name).fetch_one(c).await?,
        }
    }))
}

/// Writes the sites; returns the id of each, by its place in `changes`.
async fn write_sites(tx: &mut Tx, organisation: i64, changes: &[SiteChange<'_>]) -> Result<Vec<i64>> {
    let update = "UPDATE sites SET country = COALESCE($2, country), timezone = COALESCE($3, timezone) WHERE id = $1";
    let make = "INSERT INTO sites (organisation_id, name, country, timezone) VALUES ($1, $2, $3, $4) RETURNING id";
    let mut ids = Vec::with_capacity(changes.len());
    for change in changes {
        ids.push(match *change {
            SiteChange::Update { id, country, timezone } => {
                on_db!(tx, c => sqlx::query(update).bind(id).bind(country).bind(timezone).execute(c).await.map(drop)?);
                id
            }
            SiteChange::New { name, country, timezone } => on_db!(tx, c => sqlx::query_scalar(make)
                .bind(organisation).bind(name).bind(country).bind(timezone).fetch_one(c).await?),
        });
    }
    Ok(ids)
}

/// Writes the accounts; returns the id of each, by its place in `changes`.
async fn write_accounts(tx: &mut Tx, sites: &[i64], changes: &[AccountChange<'_>]) -> Result<Vec<i64>> {
    let update = "UPDATE accounts SET client = COALESCE($2, client), line_of_business = COALESCE($3, line_of_business) WHERE id = $1";
    let make = "INSERT INTO accounts (site_id, name, client, line_of_business) VALUES ($1, $2, $3, $4) RETURNING id";
    let mut ids = Vec::with_capacity(changes.len());
    for change in changes {
        ids.push(match *change {
            AccountChange::Update { id, client, line_of_business } => {
                on_db!(tx, c => sqlx::query(update).bind(id).bind(client).bind(line_of_business)
                    .execute(c).await.map(drop)?);
                id
            }
            AccountChange::New { site, name, client, line_of_business } => on_db!(tx, c => sqlx::query_scalar(make)
                .bind(self::id(site, sites)).bind(name).bind(client).bind(line_of_business).fetch_one(c).await?),
        });
    }
    Ok(ids)
}

/// Makes the teams; returns their ids, in order.
async fn write_teams(tx: &mut Tx, accounts: &[i64], teams: &[NewTeam<'_>]) -> Result<Vec<i64>> {
    let make = "INSERT INTO teams (account_id, name) VALUES ($1, $2) RETURNING id";
    let mut ids = Vec::with_capacity(teams.len());
    for team in teams {
        let account = id(team.account, accounts);
        ids.push(on_db!(tx, c => sqlx::query_scalar(make).bind(account).bind(team.name).fetch_one(c).await?));
    }
    Ok(ids)
}

/// Adds people, many to a statement (a round trip each, to SQLite's thread or the server), each
/// with their first role spell; returns their ids, in order.
async fn add_people(tx: &mut Tx, organisation: i64, teams: &[i64], people: &[Person<'_>]) -> Result<Vec<i64>> {
    let backend = tx.backend();
    let mut ids = Vec::with_capacity(people.len());
    for chunk in people.chunks(BATCH_ROWS) {
        let sql = format!(
            "INSERT INTO employees (organisation_id, code, name, email, team_id, role_id, role_since, hire_date,
                hire_date_basis, active, left_on)
             VALUES {} RETURNING id, code",
            backend.values_list(chunk.len(), 11)
        );
        let team = |p: &Person<'_>| p.team.map(|t| id(t, teams));
        let made: Vec<(i64, String)> = on_db!(tx, c => {
            let mut insert = sqlx::query_as(&sql);
            for p in chunk {
                insert = insert.bind(organisation).bind(p.code).bind(p.name).bind(p.email).bind(team(p))
                    .bind(p.role_id).bind(p.role_since).bind(p.hire_date).bind(p.hire_date_basis).bind(p.active)
                    .bind(p.left_on);
            }
            insert.fetch_all(c).await?
        });
        let by_code: HashMap<String, i64> = made.into_iter().map(|(id, code)| (code, id)).collect();
        let first = ids.len();
        ids.extend(chunk.iter().map(|p| by_code[p.code]));
        let sql = format!(
            "INSERT INTO role_history (employee_id, role_id, team_id, from_date) VALUES {}",
            backend.values_list(chunk.len(), 4)
        );
        on_db!(tx, c => {
            let mut spells = sqlx::query(&sql);
            for (p, id) in chunk.iter().zip(&ids[first..]) {
                spells = spells.bind(id).bind(p.role_id).bind(team(p)).bind(p.role_since);
            }
            spells.execute(c).await.map(drop)?
        });
    }
    Ok(ids)
}

/// People already here: a statement for each change (a file of changes is short).
async fn change_people(tx: &mut Tx, teams: &[i64], changed: &[PersonChange<'_>]) -> Result<()> {
    let close = "UPDATE role_history SET to_date = $2 WHERE employee_id = $1 AND to_date IS NULL";
    let open = "INSERT INTO role_history (employee_id, role_id, team_id, from_date) VALUES ($1, $2, $3, $4)";
    let starts = "UPDATE role_history SET from_date = $2 WHERE employee_id = $1 AND to_date IS NULL";
    let update = "UPDATE employees SET name = $2, email = $3, team_id = $4, role_id = $5, role_since = $6,
        hire_date = $7, active = $8, hire_date_basis = $9,
        left_on = CASE WHEN $8 THEN $11 ELSE COALESCE($11, left_on, $10) END WHERE id = $1";
    // Someone marked inactive left on the day the file gives, else on the day of the import
    // unless an earlier one said so; someone active keeps a leave date the file gives (a
    // notice period) and loses an old one (taken back).
    let today = chrono::Utc::now().date_naive();
    for change in changed {
        let values = &change.values;
        let team = values.team.map(|t| id(t, teams));
        on_db!(tx, c => {
            match change.spell {
                Some(Spell::New { from }) => {
                    let day_before = from.pred_opt().unwrap_or(from);
                    sqlx::query(close).bind(change.id).bind(day_before).execute(&mut *c).await?;
                    sqlx::query(open).bind(change.id).bind(values.role_id).bind(team).bind(from).execute(&mut *c).await?;
                }
                Some(Spell::Starts(from)) => {
                    sqlx::query(starts).bind(change.id).bind(from).execute(&mut *c).await?;
                }
                None => {}
            }
            sqlx::query(update).bind(change.id).bind(values.name).bind(values.email).bind(team).bind(values.role_id)
                .bind(values.role_since).bind(values.hire_date).bind(values.active).bind(values.hire_date_basis)
                .bind(today).bind(values.left_on).execute(&mut *c).await?;
            if change.spell.is_some() {
                // A new role (or team): the role's template scores the months without a plan.
                let (first, last) = crate::scores::all_months();
                sqlx::query(crate::scores::ENQUEUE_EMPLOYEE).bind(change.id).bind(first).bind(last).bind(crate::scores::fresh_stamp())
                    .execute(c).await?;
            }
        });
    }
    Ok(())
}

/// Sets people's team leaders, many to a statement.
async fn set_reporting_lines(tx: &mut Tx, lines: &[(i64, Option<i64>)]) -> Result<()> {
    let update = "UPDATE employees SET manager_id = v.column2 FROM (VALUES {}) AS v WHERE employees.id = v.column1";
    pairs_in_batches(tx, update, lines).await
}

/// Runs `statement` over `pairs`, [`BATCH_ROWS`] to a statement: its `{}` is replaced by that
/// many rows of two values.
async fn pairs_in_batches(tx: &mut Tx, statement: &str, pairs: &[(i64, Option<i64>)]) -> Result<()> {
    let backend = tx.backend();
    for chunk in pairs.chunks(BATCH_ROWS) {
        let sql = statement.replace("{}", &backend.values_list(chunk.len(), 2));
        on_db!(tx, c => {
            let mut query = sqlx::query(&sql);
            for (first, second) in chunk {
                query = query.bind(first).bind(second);
            }
            query.execute(c).await.map(drop)?
        });
    }
    Ok(())
}

/// Makes each team named in [`Changes::team_leaders`] led by exactly the leaders named with it.
async fn set_team_leaders(tx: &mut Tx, teams: &[i64], people: &[i64], changes: &Changes<'_>) -> Result<()> {
    let mut led: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    for (team, leader) in &changes.team_leaders {
        led.entry(id(*team, teams)).or_default().insert(id(*leader, people));
    }
    let pairs: Vec<(i64, Option<i64>)> =
        led.iter().flat_map(|(team, leaders)| leaders.iter().map(|l| (*team, Some(*l)))).collect();
    let insert = "INSERT INTO team_leaders (team_id, employee_id) VALUES {} ON CONFLICT DO NOTHING";
    pairs_in_batches(tx, insert, &pairs).await?;
    let leave = "DELETE FROM team_leaders WHERE team_id = $1 AND employee_id = $2";
    for (team, old) in &changes.leaders_leaving {
        on_db!(tx, c => sqlx::query(leave).bind(team).bind(old).execute(c).await.map(drop)?);
    }
    Ok(())
}
