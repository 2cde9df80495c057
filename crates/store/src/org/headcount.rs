//! What the headcount view reads (issue 25): every person who may have been here in a month, with
//! their role spells, in a scope. One pass over two queries; the counting is
//! `ladder_core::headcount`'s.

use std::collections::HashMap;

use chrono::NaiveDate;
use ladder_core::headcount::{Person, Spell};
use ladder_core::{EmployeeId, TeamId};

use super::Scope;
use crate::{on_db, Db, Result};

type PersonRow = (EmployeeId, NaiveDate, Option<NaiveDate>, bool, String, Option<TeamId>);
type SpellRow = (EmployeeId, String, Option<TeamId>, NaiveDate, Option<NaiveDate>);

/// People hired by `last` and not gone before `first` (a leave date on or after it, or none),
/// with their spells, in a scope. A scope of teams is the team they are in now or were in
/// during the span (so a leaver from a manager's team stays in that manager's count, and
/// someone who left the team years ago does not).
pub async fn people(db: &Db, scope: &Scope, first: NaiveDate, last: NaiveDate) -> Result<Vec<Person>> {
    let (filter, param) = match scope {
        Scope::All => ("$3 = $3".to_string(), String::new()),
        Scope::Employee(id) => ("e.id = CAST($3 AS BIGINT)".to_string(), id.to_string()),
        Scope::Teams(teams) => (
            format!(
                "(e.team_id IN {ids} OR e.id IN (SELECT employee_id FROM role_history WHERE team_id IN {ids} \
                 AND from_date <= $2 AND (to_date IS NULL OR to_date >= $1)))",
                ids = db.id_list("$3")
            ),
            crate::db::json_ids(teams),
        ),
    };
    let where_ = format!("e.hire_date <= $2 AND (e.left_on IS NULL OR e.left_on >= $1) AND {filter}");
    let people_sql =
        format!("SELECT e.id, e.hire_date, e.left_on, e.active, e.role_id, e.team_id FROM employees e WHERE {where_}");
    let spells_sql = format!(
        "SELECT h.employee_id, h.role_id, h.team_id, h.from_date, h.to_date FROM role_history h
        JOIN employees e ON e.id = h.employee_id WHERE {where_} ORDER BY h.employee_id, h.from_date, h.id"
    );
    let (rows, spells): (Vec<PersonRow>, Vec<SpellRow>) = on_db!(db, p => {
        let rows = sqlx::query_as(&people_sql).bind(first).bind(last).bind(&param).fetch_all(p).await?;
        let spells = sqlx::query_as(&spells_sql).bind(first).bind(last).bind(&param).fetch_all(p).await?;
        (rows, spells)
    });
    let mut by_person: HashMap<EmployeeId, Vec<Spell>> = HashMap::new();
    for (id, role_id, team_id, from, to) in spells {
        by_person.entry(id).or_default().push(Spell { role_id, team_id, from, to });
    }
    Ok(rows
        .into_iter()
        .map(|(id, hire_date, left_on, active, role_id, team_id)| Person {
            hire_date,
            left_on,
            active,
            role_id,
            team_id,
            spells: by_person.remove(&id).unwrap_or_default(),
        })
        .collect())
}
