//! A personal Ladder (issue 30, `ladder me`): one person on their own machine, the agent and
//! their own admin, in an organisation, site, account and team of one. Written in one
//! transaction into an empty database, so a refused setup leaves nothing behind.

use chrono::{NaiveDate, Utc};
use ladder_core::access::Access;
use ladder_core::{EmployeeId, UserId};

use crate::{on_db, Backend, Db, Result, StoreError};

/// What the person gives about themselves.
#[derive(Debug, Clone)]
pub struct PersonalSetup<'a> {
    pub name: &'a str,
    pub email: &'a str,
    /// Their employee code (what `ladder export` and imports name them by).
    pub code: &'a str,
    pub role_id: &'a str,
    pub hire_date: NaiveDate,
    pub country: &'a str,
    pub timezone: &'a str,
    /// The employer's name, or empty (the organisation is then "NAME's Ladder").
    pub employer: &'a str,
    pub password_hash: &'a str,
}

/// The ids of the person's record and account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Personal {
    pub employee_id: EmployeeId,
    pub user_id: UserId,
}

/// Sets up a personal Ladder; a database that already holds an organisation or a user is a
/// conflict (one organisation per database).
pub async fn create(db: &Db, s: &PersonalSetup<'_>) -> Result<Personal> {
    let occupied = "SELECT (SELECT COUNT(*) FROM organisations) + (SELECT COUNT(*) FROM users)";
    let organisation =
        "INSERT INTO organisations (name, allow_self_entry, personal) VALUES ($1, TRUE, TRUE) RETURNING id";
    let site = "INSERT INTO sites (organisation_id, name, country, timezone) VALUES ($1, $2, $3, $4) RETURNING id";
    let account =
        "INSERT INTO accounts (site_id, name, client, line_of_business) VALUES ($1, 'My work', 'My employer', '') RETURNING id";
    let team = "INSERT INTO teams (account_id, name) VALUES ($1, 'Just me') RETURNING id";
    let employee = "INSERT INTO employees (organisation_id, code, name, email, team_id, role_id, role_since, hire_date)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id";
    let history = "INSERT INTO role_history (employee_id, role_id, team_id, from_date) VALUES ($1, $2, $3, $4)";
    let user = "INSERT INTO users (organisation_id, email, name, access, employee_id, password_hash, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    let email = s.email.trim().to_lowercase();
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        if db.backend() == Backend::Postgres {
            // Two first runs at once: the second waits here, then sees the first's organisation.
            // (SQLite's write transaction already holds the database's one write lock.)
            sqlx::query("LOCK TABLE organisations, users IN EXCLUSIVE MODE").execute(&mut *tx).await?;
        }
        let taken: i64 = sqlx::query_scalar(occupied).fetch_one(&mut *tx).await?;
        if taken > 0 {
            return Err(StoreError::Conflict(
                "this database already holds an organisation or users: a personal Ladder needs an empty one".into(),
            ));
        }
        let org_name = if s.employer.is_empty() { format!("{}'s Ladder", s.name) } else { s.employer.to_string() };
        let org: i64 = sqlx::query_scalar(organisation).bind(org_name).fetch_one(&mut *tx).await?;
        let site: i64 = sqlx::query_scalar(site)
            .bind(org).bind("My site").bind(s.country).bind(s.timezone).fetch_one(&mut *tx).await?;
        let account: i64 = sqlx::query_scalar(account).bind(site).fetch_one(&mut *tx).await?;
        let team: i64 = sqlx::query_scalar(team).bind(account).fetch_one(&mut *tx).await?;
        let employee_id: EmployeeId = sqlx::query_scalar(employee)
            .bind(org).bind(s.code).bind(s.name).bind(&email).bind(team).bind(s.role_id).bind(s.hire_date)
            .fetch_one(&mut *tx).await?;
        sqlx::query(history).bind(employee_id).bind(s.role_id).bind(team).bind(s.hire_date).execute(&mut *tx).await?;
        let user_id: UserId = sqlx::query_scalar(user)
            .bind(org).bind(&email).bind(s.name).bind(Access::Admin.as_str()).bind(employee_id)
            .bind(s.password_hash).bind(Utc::now())
            .fetch_one(&mut *tx).await?;
        sqlx::query(crate::kra::FIGURES_CHANGED).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(Personal { employee_id, user_id })
    })
}

/// Whether this database is a personal Ladder (then its person reviews their own check-ins):
/// set up by `ladder me` and still one person, with one active account. An organisation that
/// grew from one (a second employee, or a second account such as a supervisor the person
/// invited) is no longer personal, so nobody reviews themselves; a supervisor removed (their
/// account disabled) gives self-review back.
pub async fn is_personal(db: &Db) -> Result<bool> {
    let sql = "SELECT o.personal AND (SELECT COUNT(*) FROM users WHERE NOT disabled) = 1
            AND (SELECT COUNT(*) FROM employees) = 1
        FROM organisations o ORDER BY o.id LIMIT 1";
    let found: Option<bool> = on_db!(db, p => sqlx::query_scalar(sql).fetch_optional(p).await?);
    Ok(found.unwrap_or(false))
}

/// Whether nothing is set up yet: no organisation and no user (`ladder serve`'s first run).
pub async fn is_empty(db: &Db) -> Result<bool> {
    let sql = "SELECT (SELECT COUNT(*) FROM organisations) + (SELECT COUNT(*) FROM users)";
    let n: i64 = on_db!(db, p => sqlx::query_scalar(sql).fetch_one(p).await?);
    Ok(n == 0)
}

/// The person of a personal Ladder (set up by `ladder me`), whoever else has joined since: their
/// record, their account (the administrator linked to it) and their team. None in an
/// organisation's Ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub employee_id: EmployeeId,
    pub user_id: UserId,
    pub team_id: ladder_core::TeamId,
}

pub async fn owner(db: &Db) -> Result<Option<Owner>> {
    let sql = "SELECT e.id, u.id, e.team_id FROM organisations o
        JOIN employees e ON e.organisation_id = o.id JOIN users u ON u.employee_id = e.id
        WHERE o.personal AND u.access = 'admin' AND e.team_id IS NOT NULL ORDER BY o.id, e.id LIMIT 1";
    let row: Option<(EmployeeId, UserId, ladder_core::TeamId)> =
        on_db!(db, p => sqlx::query_as(sql).fetch_optional(p).await?);
    Ok(row.map(|(employee_id, user_id, team_id)| Owner { employee_id, user_id, team_id }))
}

/// Whether the organisation was set up as a personal Ladder (`organisations.personal`), however
/// many have joined since.
pub async fn is_marked_personal(db: &Db) -> Result<bool> {
    let sql = "SELECT personal FROM organisations ORDER BY id LIMIT 1";
    let found: Option<bool> = on_db!(db, p => sqlx::query_scalar(sql).fetch_optional(p).await?);
    Ok(found.unwrap_or(false))
}
