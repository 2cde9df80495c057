//! The organisation as a BPO has it: organisation → sites → accounts → teams → employees,
//! with reporting lines and role history.

pub mod bulk;
pub mod headcount;
pub mod identities;
pub mod listing;
pub mod personal;
pub mod tables;

use chrono::NaiveDate;
use ladder_core::access::Placement;
use ladder_core::{EmployeeId, TeamId};
use serde::{Deserialize, Serialize};

use rusqlite::Row;

use crate::{on_db, read, Db, Result, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Site {
    pub id: i64,
    pub name: String,
    pub country: String,
    pub timezone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub site_id: i64,
    pub name: String,
    pub client: String,
    pub line_of_business: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Team {
    pub id: TeamId,
    pub account_id: i64,
    pub site_id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Employee {
    pub id: EmployeeId,
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    pub team_id: Option<TeamId>,
    pub team_name: Option<String>,
    pub account_id: Option<i64>,
    pub site_id: Option<i64>,
    pub role_id: String,
    pub role_since: NaiveDate,
    pub hire_date: NaiveDate,
    pub manager_id: Option<EmployeeId>,
    pub active: bool,
    /// How the hire date is known: 'given', or 'derived' from years of service (an estimate).
    pub hire_date_basis: String,
}

impl Employee {
    /// A row of `EMPLOYEE_SELECT` read directly.
    fn read(r: &Row<'_>) -> rusqlite::Result<Employee> {
        Ok(Employee {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            email: r.get(3)?,
            team_id: r.get(4)?,
            team_name: r.get(5)?,
            account_id: r.get(6)?,
            site_id: r.get(7)?,
            role_id: r.get(8)?,
            role_since: crate::read::date(r, 9)?,
            hire_date: crate::read::date(r, 10)?,
            manager_id: r.get(11)?,
            active: r.get(12)?,
            hire_date_basis: r.get(13)?,
        })
    }

    /// The employee with dates out of range (stored before dates were checked) brought into
    /// range, as the direct reads do ([`crate::read::date`]).
    fn clamped(mut self) -> Employee {
        self.role_since = ladder_core::dates::clamp(self.role_since);
        self.hire_date = ladder_core::dates::clamp(self.hire_date);
        self
    }

    pub fn placement(&self) -> Placement {
        Placement { employee_id: self.id, team_id: self.team_id, account_id: self.account_id, site_id: self.site_id }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEmployee {
    pub code: String,
    pub name: String,
    pub email: Option<String>,
    pub team_id: Option<TeamId>,
    pub role_id: String,
    pub role_since: NaiveDate,
    pub hire_date: NaiveDate,
    pub manager_id: Option<EmployeeId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct RoleSpell {
    pub role_id: String,
    pub team_id: Option<TeamId>,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
}

/// Which employees a listing covers. A manager's sites and accounts are resolved to their
/// teams first ([`teams_in`]), so every scope is a list of teams, one person, or everyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Teams(Vec<TeamId>),
    Employee(EmployeeId),
}

const EMPLOYEE_SELECT: &str =
    "SELECT e.id, e.code, e.name, e.email, e.team_id, t.name AS team_name, t.account_id, a.site_id,
        e.role_id, e.role_since, e.hire_date, e.manager_id, e.active, e.hire_date_basis
    FROM employees e
    LEFT JOIN teams t ON t.id = e.team_id
    LEFT JOIN accounts a ON a.id = t.account_id";

pub async fn create_organisation(db: &Db, name: &str) -> Result<i64> {
    let sql = "INSERT INTO organisations (name) VALUES ($1) RETURNING id";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(name).fetch_one(p).await?))
}

/// The organisation (Ladder runs one per database) and whether agents may type their own actuals.
pub async fn organisation(db: &Db) -> Result<Option<(i64, String, bool)>> {
    let sql = "SELECT id, name, allow_self_entry FROM organisations ORDER BY id LIMIT 1";
    Ok(on_db!(db, p => sqlx::query_as(sql).fetch_optional(p).await?))
}

pub async fn create_site(db: &Db, organisation_id: i64, name: &str, country: &str, timezone: &str) -> Result<i64> {
    let sql = "INSERT INTO sites (organisation_id, name, country, timezone) VALUES ($1, $2, $3, $4) RETURNING id";
    on_db!(db, p => sqlx::query_scalar(sql).bind(organisation_id).bind(name).bind(country).bind(timezone).fetch_one(p).await)
        .map_err(|e| StoreError::from_write(e, "site"))
}

pub async fn create_account(db: &Db, site_id: i64, name: &str, client: &str, line_of_business: &str) -> Result<i64> {
    let sql = "INSERT INTO accounts (site_id, name, client, line_of_business) VALUES ($1, $2, $3, $4) RETURNING id";
    on_db!(db, p => sqlx::query_scalar(sql).bind(site_id).bind(name).bind(client).bind(line_of_business).fetch_one(p).await)
        .map_err(|e| StoreError::from_write(e, "account"))
}

pub async fn create_team(db: &Db, account_id: i64, name: &str) -> Result<TeamId> {
    let sql = "INSERT INTO teams (account_id, name) VALUES ($1, $2) RETURNING id";
    on_db!(db, p => sqlx::query_scalar(sql).bind(account_id).bind(name).fetch_one(p).await)
        .map_err(|e| StoreError::from_write(e, "team"))
}

/// Adds an employee and opens their first role spell.
pub async fn create_employee(db: &Db, organisation_id: i64, e: &NewEmployee) -> Result<EmployeeId> {
    let insert = "INSERT INTO employees (organisation_id, code, name, email, team_id, role_id, role_since, hire_date, manager_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    let history = "INSERT INTO role_history (employee_id, role_id, team_id, from_date) VALUES ($1, $2, $3, $4)";
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let id: EmployeeId = sqlx::query_scalar(insert)
            .bind(organisation_id).bind(&e.code).bind(&e.name).bind(&e.email).bind(e.team_id)
            .bind(&e.role_id).bind(e.role_since).bind(e.hire_date).bind(e.manager_id)
            .fetch_one(&mut *tx).await.map_err(|err| StoreError::from_write(err, &format!("employee {}", e.code)))?;
        sqlx::query(history).bind(id).bind(&e.role_id).bind(e.team_id).bind(e.role_since).execute(&mut *tx).await?;
        // Who is in which team changed (the headcount and roll-ups kept by servers are stale).
        sqlx::query(crate::kra::FIGURES_CHANGED).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(id)
    })
}

pub async fn set_team_leader(db: &Db, team_id: TeamId, employee_id: EmployeeId) -> Result<()> {
    let sql = "INSERT INTO team_leaders (team_id, employee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    on_db!(db, p => sqlx::query(sql).bind(team_id).bind(employee_id).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn employee(db: &Db, id: EmployeeId) -> Result<Employee> {
    let sql = format!("{EMPLOYEE_SELECT} WHERE e.id = $1");
    let found: Option<Employee> = read!(db, optional, query_as, &sql, Employee::read; id);
    found.map(Employee::clamped).ok_or(StoreError::NotFound)
}

/// The day the person left, if they have (`employees.left_on`).
pub async fn left_on(db: &Db, id: EmployeeId) -> Result<Option<NaiveDate>> {
    let sql = "SELECT left_on FROM employees WHERE id = $1";
    let found: Option<Option<NaiveDate>> = on_db!(db, p => sqlx::query_scalar(sql).bind(id).fetch_optional(p).await?);
    Ok(found.flatten())
}

pub async fn employee_by_code(db: &Db, code: &str) -> Result<Employee> {
    let sql = format!("{EMPLOYEE_SELECT} WHERE e.code = $1");
    let found: Option<Employee> = on_db!(db, p => sqlx::query_as(&sql).bind(code).fetch_optional(p).await)?;
    found.map(Employee::clamped).ok_or(StoreError::NotFound)
}

/// Employees in a scope, by name, optionally only one team's.
pub async fn employees(db: &Db, scope: &Scope, team: Option<TeamId>, limit: i64, offset: i64) -> Result<Vec<Employee>> {
    let (filter, param) = match scope {
        Scope::All => ("$1 = $1".to_string(), String::new()),
        Scope::Employee(id) => ("e.id = CAST($1 AS BIGINT)".to_string(), id.to_string()),
        Scope::Teams(teams) => (format!("e.team_id IN {}", db.id_list("$1")), crate::db::json_ids(teams)),
    };
    let team_filter = if team.is_some() { "e.team_id = $2" } else { "$2 IS NULL" };
    let sql = format!(
        "{EMPLOYEE_SELECT} WHERE e.active AND {filter} AND {team_filter} ORDER BY e.name, e.id LIMIT $3 OFFSET $4"
    );
    let found: Vec<Employee> = read!(db, all, query_as, &sql, Employee::read; param, team, limit, offset);
    Ok(found.into_iter().map(Employee::clamped).collect())
}

/// An active member of a team: what a team's scorecard shows of them.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Member {
    pub id: EmployeeId,
    pub name: String,
    pub role_id: String,
}

/// A team's active members, by name.
pub async fn team_members(db: &Db, team_id: TeamId) -> Result<Vec<Member>> {
    let sql = "SELECT id, name, role_id FROM employees WHERE team_id = $1 AND active ORDER BY name, id";
    let read = |r: &Row<'_>| Ok(Member { id: r.get(0)?, name: r.get(1)?, role_id: r.get(2)? });
    Ok(read!(db, all, query_as, sql, read; team_id))
}

/// The codes of these employees, by id (for listings that show who a user is).
pub async fn codes(db: &Db, ids: &[EmployeeId]) -> Result<std::collections::HashMap<EmployeeId, String>> {
    let sql = format!("SELECT id, code FROM employees WHERE id IN {}", db.id_list("$1"));
    let ids = crate::db::json_ids(ids);
    let rows: Vec<(EmployeeId, String)> = read!(db, all, query_as, &sql, |r| Ok((r.get(0)?, r.get(1)?)); ids);
    Ok(rows.into_iter().collect())
}

/// The teams inside any of these sites or accounts.
pub async fn teams_in(db: &Db, sites: &[i64], accounts: &[i64]) -> Result<Vec<TeamId>> {
    let sql = format!(
        "SELECT t.id FROM teams t JOIN accounts a ON a.id = t.account_id WHERE a.site_id IN {} OR t.account_id IN {} ORDER BY t.id",
        db.id_list("$1"),
        db.id_list("$2")
    );
    let (sites, accounts) = (crate::db::json_ids(sites), crate::db::json_ids(accounts));
    Ok(read!(db, all, query_scalar, &sql, |r| r.get(0); sites, accounts))
}

pub async fn placement(db: &Db, employee_id: EmployeeId) -> Result<Placement> {
    Ok(employee(db, employee_id).await?.placement())
}

/// The teams an employee leads.
pub async fn led_teams(db: &Db, employee_id: EmployeeId) -> Result<Vec<TeamId>> {
    let sql = "SELECT team_id FROM team_leaders WHERE employee_id = $1 ORDER BY team_id";
    Ok(read!(db, all, query_scalar, sql, |r| r.get(0); employee_id))
}

/// The people who lead a team.
pub async fn team_leaders(db: &Db, team_id: TeamId) -> Result<Vec<EmployeeId>> {
    let sql = "SELECT employee_id FROM team_leaders WHERE team_id = $1 ORDER BY employee_id";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(team_id).fetch_all(p).await?))
}

pub async fn team(db: &Db, id: TeamId) -> Result<Team> {
    let sql = "SELECT t.id, t.account_id, a.site_id, t.name FROM teams t JOIN accounts a ON a.id = t.account_id WHERE t.id = $1";
    let read = |r: &Row<'_>| Ok(Team { id: r.get(0)?, account_id: r.get(1)?, site_id: r.get(2)?, name: r.get(3)? });
    let found: Option<Team> = read!(db, optional, query_as, sql, read; id);
    found.ok_or(StoreError::NotFound)
}

pub async fn teams(db: &Db) -> Result<Vec<Team>> {
    let sql = "SELECT t.id, t.account_id, a.site_id, t.name FROM teams t JOIN accounts a ON a.id = t.account_id ORDER BY t.name, t.id";
    Ok(on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?))
}

pub async fn accounts(db: &Db) -> Result<Vec<Account>> {
    let sql = "SELECT id, site_id, name, client, line_of_business FROM accounts ORDER BY name, id";
    Ok(on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?))
}

pub async fn account(db: &Db, id: i64) -> Result<Account> {
    let sql = "SELECT id, site_id, name, client, line_of_business FROM accounts WHERE id = $1";
    on_db!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?.ok_or(StoreError::NotFound)
}

pub async fn sites(db: &Db) -> Result<Vec<Site>> {
    let sql = "SELECT id, name, country, timezone FROM sites ORDER BY name, id";
    Ok(on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?))
}

pub async fn role_history(db: &Db, employee_id: EmployeeId) -> Result<Vec<RoleSpell>> {
    let sql =
        "SELECT role_id, team_id, from_date, to_date FROM role_history WHERE employee_id = $1 ORDER BY from_date, id";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(employee_id).fetch_all(p).await?))
}

/// Moves an employee to a new role (and team) from a date, closing the open role spell.
pub async fn change_role(
    db: &Db,
    employee_id: EmployeeId,
    role_id: &str,
    team_id: Option<TeamId>,
    from: NaiveDate,
) -> Result<()> {
    let mut tx = db.begin().await?;
    change_role_in(&mut tx, employee_id, role_id, team_id, from).await?;
    tx.commit().await
}

/// [`change_role`] inside a transaction the caller holds (a hire from an internal opening
/// moves the application's stage in the same one).
pub async fn change_role_in(
    tx: &mut crate::Tx,
    employee_id: EmployeeId,
    role_id: &str,
    team_id: Option<TeamId>,
    from: NaiveDate,
) -> Result<()> {
    let close = "UPDATE role_history SET to_date = $2 WHERE employee_id = $1 AND to_date IS NULL";
    let open = "INSERT INTO role_history (employee_id, role_id, team_id, from_date) VALUES ($1, $2, $3, $4)";
    let update = "UPDATE employees SET role_id = $2, team_id = $3, role_since = $4 WHERE id = $1";
    let day_before = from.pred_opt().unwrap_or(from);
    on_db!(tx, c => {
        sqlx::query(close).bind(employee_id).bind(day_before).execute(&mut *c).await?;
        sqlx::query(open).bind(employee_id).bind(role_id).bind(team_id).bind(from).execute(&mut *c).await?;
        sqlx::query(update).bind(employee_id).bind(role_id).bind(team_id).bind(from).execute(&mut *c).await?;
        // The person's figures now count in the new team's roll-ups.
        sqlx::query(crate::kra::FIGURES_CHANGED).execute(&mut *c).await?;
        // A role's template scores every month without a plan of its own: all are stale.
        let (first, last) = crate::scores::all_months();
        sqlx::query(crate::scores::ENQUEUE_EMPLOYEE).bind(employee_id).bind(first).bind(last).bind(crate::scores::fresh_stamp()).execute(&mut *c).await?;
        Ok(())
    })
}

/// These employees (active or not), by id: the pipeline's refresh reads a batch at once.
pub async fn employees_by_ids(db: &Db, ids: &[EmployeeId]) -> Result<Vec<Employee>> {
    let sql = format!("{EMPLOYEE_SELECT} WHERE e.id IN {} ORDER BY e.id", db.id_list("$1"));
    let ids = crate::db::json_ids(ids);
    let found: Vec<Employee> = on_db!(db, p => sqlx::query_as(&sql).bind(ids).fetch_all(p).await?);
    Ok(found.into_iter().map(Employee::clamped).collect())
}
