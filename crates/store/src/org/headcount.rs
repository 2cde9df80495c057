//! What the headcount view reads (issue 25). [`span`] lets the database count where the people
//! nothing happened to in a span sat (one `GROUP BY`) and reads only the others, with their role
//! spells; [`people`] reads everyone who may have been here, for `ladder_core::headcount::span`,
//! the reference the counts are tested against.

use std::collections::HashMap;

use chrono::NaiveDate;
use ladder_core::headcount::{self, By, Change, Group, Person, Spell, Tenure};
use ladder_core::{EmployeeId, TeamId};

use super::Scope;
use crate::{on_db, Db, Result, Tx};

type PersonRow = (EmployeeId, NaiveDate, Option<NaiveDate>, bool, String, Option<TeamId>);
type SpellRow = (EmployeeId, String, Option<TeamId>, NaiveDate, Option<NaiveDate>);

/// The span `first..=last`'s change for each group, counted by `by`, over the people of `scope`:
/// [`headcount::span`]'s figures without reading everyone. The database counts who stayed as they
/// were; only the people something happened to are read, with their spells. `level` is a role's
/// level. The reads share one snapshot: someone hired between them would otherwise be neither
/// eventful nor a joiner, but counted as here at the start.
pub async fn span(
    db: &Db,
    scope: &Scope,
    first: NaiveDate,
    last: NaiveDate,
    by: By,
    level: impl Fn(&str) -> Option<u8>,
) -> Result<(Vec<(Group, Change)>, Change)> {
    let before = first.pred_opt().unwrap_or(first);
    let mut tx = db.begin_read().await?;
    let eventful = crate::db::json_ids(&eventful(db, &mut tx, scope, before, first, last).await?);
    let stayed = stayed(db, &mut tx, scope, before, last, &eventful, by).await?;
    let people = read_people(db, &mut tx, scope, before, last, Some(&eventful)).await?;
    tx.commit().await?;
    Ok(headcount::span_with_counts(stayed, &people, first, last, level, |p| p.group(by)))
}

/// Everyone of `scope` something happened to in `first..=last` (`before` the day before): hired
/// or gone in it, beginning a spell in it or ending one before its last day, or in two spells at
/// once on its last day. For anyone else one spell (or none) covers both ends of the span.
async fn eventful(
    db: &Db,
    tx: &mut Tx,
    scope: &Scope,
    before: NaiveDate,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<EmployeeId>> {
    // Everyone's: the organisation's changes in one pass. A scope's (a leader's few teams): its
    // people, each looked up, rather than the organisation's changes read and most dropped.
    let everyone = "SELECT id FROM employees
            WHERE $3 = $3 AND ((hire_date >= $4 AND hire_date <= $2) OR (left_on >= $4 AND left_on <= $2))
        UNION SELECT employee_id FROM role_history
            WHERE (from_date >= $4 AND from_date <= $2) OR (to_date >= $1 AND to_date < $2)
        UNION SELECT employee_id FROM role_history WHERE from_date <= $2 AND (to_date IS NULL OR to_date >= $2)
            GROUP BY employee_id HAVING COUNT(*) > 1";
    let (filter, param) = scope_filter(db, scope);
    let scoped = format!(
        "SELECT e.id FROM employees e WHERE {filter} AND ((e.hire_date >= $4 AND e.hire_date <= $2)
            OR (e.left_on >= $4 AND e.left_on <= $2)
            OR EXISTS (SELECT 1 FROM role_history h WHERE h.employee_id = e.id
                AND ((h.from_date >= $4 AND h.from_date <= $2) OR (h.to_date >= $1 AND h.to_date < $2)))
            OR (SELECT COUNT(*) FROM role_history h WHERE h.employee_id = e.id
                AND h.from_date <= $2 AND (h.to_date IS NULL OR h.to_date >= $2)) > 1)"
    );
    let sql = if matches!(scope, Scope::All) { everyone } else { &scoped };
    Ok(on_db!(tx, c => sqlx::query_scalar(sql).bind(before).bind(last).bind(&param).bind(first)
        .fetch_all(&mut *c).await?))
}

/// The scope's condition on `employees e` with its parameter, bound as `$3`: the team they are in
/// now or were in during `$1..=$2`.
fn scope_filter(db: &Db, scope: &Scope) -> (String, String) {
    match scope {
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
    }
}

/// How many of [`people`]`(before, last)` who are not `eventful` (a JSON list of ids) were here
/// (at both ends, for them), by the group they sat in at the start and at the end: their spell
/// covering `last` (one at most), else their role and team now. Tenure bands by comparing the
/// hire date with the bands' bounds on each day (`$5`–`$12`). Hired by `before`: anyone hired
/// later is eventful (a joiner), whatever the snapshot.
async fn stayed(
    db: &Db,
    tx: &mut Tx,
    scope: &Scope,
    before: NaiveDate,
    last: NaiveDate,
    eventful: &str,
    by: By,
) -> Result<Vec<(Group, Group, u64)>> {
    let (filter, param) = scope_filter(db, scope);
    let (at_start, at_end) = match by {
        By::Team => ("team_id", "team_id"),
        By::Role => ("role_id", "role_id"),
        By::Tenure => ("band_start", "band_end"),
    };
    let band = |from: usize| {
        let p = |i: usize| format!("${}", from + i);
        format!(
            "CASE WHEN e.hire_date > {} THEN 0 WHEN e.hire_date > {} THEN 1 WHEN e.hire_date > {} THEN 2 \
             WHEN e.hire_date > {} THEN 3 ELSE 4 END",
            p(0),
            p(1),
            p(2),
            p(3)
        )
    };
    // The groups come back as text, whichever their type.
    let sql = format!(
        "SELECT CAST({at_start} AS TEXT), CAST({at_end} AS TEXT), COUNT(*) FROM (
            SELECT CASE WHEN s.id IS NULL THEN e.role_id ELSE s.role_id END AS role_id,
                CASE WHEN s.id IS NULL THEN e.team_id ELSE s.team_id END AS team_id,
                {} AS band_start, {} AS band_end
            FROM employees e
            LEFT JOIN role_history s ON s.employee_id = e.id AND s.from_date <= $2
                AND (s.to_date IS NULL OR s.to_date >= $2)
            WHERE e.hire_date <= $1 AND (e.left_on IS NULL OR e.left_on >= $1) AND {filter}
                AND ((e.left_on IS NULL AND e.active) OR e.left_on > $2) AND e.id NOT IN {ids}
        ) stayed GROUP BY {at_start}, {at_end}",
        band(5),
        band(9),
        ids = db.id_list("$4"),
    );
    let [s0, s1, s2, s3] = Tenure::bounds(before);
    let [e0, e1, e2, e3] = Tenure::bounds(last);
    let rows: Vec<(Option<String>, Option<String>, i64)> = on_db!(tx, c => sqlx::query_as(&sql)
        .bind(before).bind(last).bind(&param).bind(eventful)
        .bind(s0).bind(s1).bind(s2).bind(s3).bind(e0).bind(e1).bind(e2).bind(e3)
        .fetch_all(&mut *c).await?);
    rows.into_iter().map(|(start, end, n)| Ok((group_of(by, start)?, group_of(by, end)?, n as u64))).collect()
}

/// A count's group from its column as text.
fn group_of(by: By, text: Option<String>) -> Result<Group> {
    let bad = |text: &str| crate::StoreError::Damaged(format!("headcount group {text:?}"));
    Ok(match (by, text) {
        (By::Team, None) => Group::Team(None),
        (By::Team, Some(t)) => Group::Team(Some(TeamId(t.parse().map_err(|_| bad(&t))?))),
        (By::Role, Some(role)) => Group::Role(role),
        (By::Tenure, Some(b)) => {
            Group::Tenure(*b.parse().ok().and_then(|i: usize| Tenure::ALL.get(i)).ok_or_else(|| bad(&b))?)
        }
        (_, None) => return Err(bad("NULL")),
    })
}

/// People hired by `last` and not gone before `first` (a leave date on or after it, or none),
/// with their spells, in a scope. A scope of teams is the team they are in now or were in
/// during the span (so a leaver from a manager's team stays in that manager's count, and
/// someone who left the team years ago does not).
pub async fn people(db: &Db, scope: &Scope, first: NaiveDate, last: NaiveDate) -> Result<Vec<Person>> {
    let mut tx = db.begin_read().await?;
    let people = read_people(db, &mut tx, scope, first, last, None).await?;
    tx.commit().await?;
    Ok(people)
}

/// [`people`], or only those of `among` (a JSON list of ids).
async fn read_people(
    db: &Db,
    tx: &mut Tx,
    scope: &Scope,
    first: NaiveDate,
    last: NaiveDate,
    among: Option<&str>,
) -> Result<Vec<Person>> {
    let (filter, param) = scope_filter(db, scope);
    let eventful = match among {
        None => "$4 = $4".to_string(),
        Some(_) => format!("e.id IN {}", db.id_list("$4")),
    };
    let where_ = format!("e.hire_date <= $2 AND (e.left_on IS NULL OR e.left_on >= $1) AND {filter} AND {eventful}");
    let people_sql =
        format!("SELECT e.id, e.hire_date, e.left_on, e.active, e.role_id, e.team_id FROM employees e WHERE {where_}");
    let spells_sql = format!(
        "SELECT h.employee_id, h.role_id, h.team_id, h.from_date, h.to_date FROM role_history h
        JOIN employees e ON e.id = h.employee_id WHERE {where_} ORDER BY h.employee_id, h.from_date, h.id"
    );
    let among = among.unwrap_or_default();
    let (rows, spells): (Vec<PersonRow>, Vec<SpellRow>) = on_db!(tx, c => {
        let rows =
            sqlx::query_as(&people_sql).bind(first).bind(last).bind(&param).bind(among).fetch_all(&mut *c).await?;
        let spells =
            sqlx::query_as(&spells_sql).bind(first).bind(last).bind(&param).bind(among).fetch_all(&mut *c).await?;
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
