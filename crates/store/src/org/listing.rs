//! Long lists of the organisation read a page at a time by key (name, then id), with a count
//! under the same filters: what the API's and the pages' paged lists ask (issue 25).
//!
//! The key of the last row shown is where the next page starts (`after`), so a page costs the
//! same wherever it is and a row added meanwhile does not shift the pages.

use ladder_core::{EmployeeId, TeamId};
use rusqlite::Row;

use super::{Employee, Scope, Team, EMPLOYEE_SELECT};
use crate::{on_db, read, Db, Result};

/// Where a page resumes: the name and id of the last row of the page before.
pub type After<Id> = Option<(String, Id)>;

/// The `WHERE` clause of the scope and the team filter, with the value of `$1`.
fn employee_filter(db: &Db, scope: &Scope, team: Option<TeamId>) -> (String, String) {
    let (filter, param) = match scope {
        Scope::All => ("$1 = $1".to_string(), String::new()),
        Scope::Employee(id) => ("e.id = CAST($1 AS BIGINT)".to_string(), id.to_string()),
        Scope::Teams(teams) => (format!("e.team_id IN {}", db.id_list("$1")), crate::db::json_ids(teams)),
    };
    let team_filter = if team.is_some() { "e.team_id = $2" } else { "$2 IS NULL" };
    (format!("e.active AND {filter} AND {team_filter}"), param)
}

/// Up to `limit` active employees in a scope (optionally one team's) after `after`, by name and id.
pub async fn employees_after(
    db: &Db,
    scope: &Scope,
    team: Option<TeamId>,
    after: After<EmployeeId>,
    limit: i64,
) -> Result<Vec<Employee>> {
    let (filter, param) = employee_filter(db, scope, team);
    let (name, id) = after.map_or((None, None), |(name, id)| (Some(name), Some(id)));
    let sql = format!(
        "{EMPLOYEE_SELECT} WHERE {filter} AND ($3 IS NULL OR e.name > $3 OR (e.name = $3 AND e.id > $4))
        ORDER BY e.name, e.id LIMIT $5"
    );
    let found: Vec<Employee> = read!(db, all, query_as, &sql, Employee::read; param, team, name, id, limit);
    Ok(found.into_iter().map(Employee::clamped).collect())
}

/// How many active employees [`employees_after`] walks over, on all its pages.
pub async fn count_employees(db: &Db, scope: &Scope, team: Option<TeamId>) -> Result<u64> {
    let (filter, param) = employee_filter(db, scope, team);
    let sql = format!("SELECT COUNT(*) FROM employees e WHERE {filter}");
    let n: Option<i64> = read!(db, optional, query_scalar, &sql, |r: &Row<'_>| r.get(0); param, team);
    Ok(n.unwrap_or(0).max(0) as u64)
}

/// Up to `limit` teams (only these, when given) after `after`, by name and id.
pub async fn teams_after(db: &Db, only: Option<&[TeamId]>, after: After<TeamId>, limit: i64) -> Result<Vec<Team>> {
    let only = only.map(crate::db::json_ids);
    let (name, id) = after.map_or((None, None), |(name, id)| (Some(name), Some(id)));
    let sql = format!(
        "SELECT t.id, t.account_id, a.site_id, t.name FROM teams t JOIN accounts a ON a.id = t.account_id
        WHERE ($1 IS NULL OR t.id IN {}) AND ($2 IS NULL OR t.name > $2 OR (t.name = $2 AND t.id > $3))
        ORDER BY t.name, t.id LIMIT $4",
        db.id_list("$1")
    );
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(&only).bind(&name).bind(id).bind(limit).fetch_all(p).await?))
}

/// How many teams [`teams_after`] walks over.
pub async fn count_teams(db: &Db, only: Option<&[TeamId]>) -> Result<u64> {
    let only = only.map(crate::db::json_ids);
    let sql = format!("SELECT COUNT(*) FROM teams t WHERE ($1 IS NULL OR t.id IN {})", db.id_list("$1"));
    let n: i64 = on_db!(db, p => sqlx::query_scalar(&sql).bind(&only).fetch_one(p).await?);
    Ok(n.max(0) as u64)
}
