//! A person's own short-term goals under the milestones of their career plan (issue 26,
//! migration 0036): added, edited, ticked done (the day is kept), reopened and deleted, each
//! change audited. The rules (who, limits, dates) are the service's; the caps (open goals, all
//! goals) are counted here, inside the write, after the person's row is locked (PostgreSQL runs
//! READ COMMITTED, so two posts at once would otherwise both count below the cap).

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::{EmployeeId, UserId};
use serde::Serialize;

use crate::audit::{self, Change};
use crate::{on_db, Db, Result, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Goal {
    pub id: i64,
    pub employee_id: EmployeeId,
    /// The role of the plan's milestone the goal sits under.
    pub milestone_role: String,
    pub title: String,
    pub note: String,
    pub due_on: NaiveDate,
    /// The day it was ticked done; `None` while open.
    pub done_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A goal's fields as they are written (checked by the service).
#[derive(Debug, Clone, PartialEq)]
pub struct GoalFields {
    pub milestone_role: String,
    pub title: String,
    pub note: String,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

const COLUMNS: &str = "id, employee_id, milestone_role, title, note, due_on, done_on, created_at, updated_at";

/// A person's goals, by due date then id.
pub async fn of_employee(db: &Db, employee: EmployeeId) -> Result<Vec<Goal>> {
    let sql = format!("SELECT {COLUMNS} FROM career_goals WHERE employee_id = $1 ORDER BY due_on, id");
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(employee).fetch_all(p).await?))
}

/// A person's open goals due on or before `until` (overdue ones too), by due date.
pub async fn open_due_by(db: &Db, employee: EmployeeId, until: NaiveDate) -> Result<Vec<Goal>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM career_goals WHERE employee_id = $1 AND done_on IS NULL AND due_on <= $2
         ORDER BY due_on, id"
    );
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(employee).bind(until).fetch_all(p).await?))
}

pub async fn goal(db: &Db, id: i64) -> Result<Goal> {
    let sql = format!("SELECT {COLUMNS} FROM career_goals WHERE id = $1");
    let found: Option<Goal> = on_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
    found.ok_or(StoreError::NotFound)
}

fn snapshot(f: &GoalFields) -> serde_json::Value {
    serde_json::json!({
        "milestone_role": f.milestone_role, "title": f.title, "note": f.note,
        "due_on": f.due_on, "done_on": f.done_on,
    })
}

fn fields_of(g: &Goal) -> GoalFields {
    GoalFields {
        milestone_role: g.milestone_role.clone(),
        title: g.title.clone(),
        note: g.note.clone(),
        due_on: g.due_on,
        done_on: g.done_on,
    }
}

/// The most goals one person may hold: open ones, and all of them (done ones included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    pub open: i64,
    pub total: i64,
}

fn too_many_open(max_open: i64) -> StoreError {
    StoreError::Conflict(format!("at most {max_open} open goals at once: tick one done or delete one first"))
}

fn too_many_in_all(max_total: i64) -> StoreError {
    StoreError::Conflict(format!("at most {max_total} goals in all, done ones included: delete some first"))
}

/// Open goals and all goals of the person (`$1`).
const COUNT: &str = "SELECT COALESCE(SUM(CASE WHEN done_on IS NULL THEN 1 ELSE 0 END), 0), COUNT(*)
    FROM career_goals WHERE employee_id = $1";

/// Locks the person's row until the write ends, so writes that count their goals run one after
/// the other. SQLite's write transaction (`BEGIN IMMEDIATE`) already does; the plain read keeps
/// one code path.
fn lock_person(db: &Db) -> &'static str {
    match db.backend() {
        crate::Backend::Postgres => "SELECT id FROM employees WHERE id = $1 FOR UPDATE",
        crate::Backend::Sqlite => "SELECT id FROM employees WHERE id = $1",
    }
}

/// Adds a goal, refused (`Conflict`) when the person already has `caps.open` open ones (for an
/// open goal) or `caps.total` in all.
pub async fn add(
    db: &Db,
    employee: EmployeeId,
    f: &GoalFields,
    by: Option<UserId>,
    caps: Caps,
    now: DateTime<Utc>,
) -> Result<Goal> {
    let insert = format!(
        "INSERT INTO career_goals (employee_id, milestone_role, title, note, due_on, done_on, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {COLUMNS}"
    );
    let lock = lock_person(db);
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        sqlx::query(lock).bind(employee).execute(&mut *tx).await?;
        let (open, total): (i64, i64) = sqlx::query_as(COUNT).bind(employee).fetch_one(&mut *tx).await?;
        if total >= caps.total {
            return Err(too_many_in_all(caps.total));
        }
        if f.done_on.is_none() && open >= caps.open {
            return Err(too_many_open(caps.open));
        }
        let goal: Goal = sqlx::query_as(&insert).bind(employee).bind(&f.milestone_role).bind(&f.title).bind(&f.note)
            .bind(f.due_on).bind(f.done_on).bind(now).fetch_one(&mut *tx).await
            .map_err(|e| StoreError::from_write(e, "career goal"))?;
        let change = Change {
            actor_id: by,
            entity: "career-goal",
            entity_id: format!("employee:{employee}/career-goal:{}", goal.id),
            action: "create",
            before: None,
            after: Some(snapshot(f)),
        };
        audit::bind(sqlx::query(audit::INSERT_SQL), &change).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(goal)
    })
}

/// Rewrites a goal; reopening one is refused (`Conflict`) at `max_open` open goals. `NotFound`
/// when there is none.
pub async fn update(
    db: &Db,
    id: i64,
    f: &GoalFields,
    by: Option<UserId>,
    max_open: i64,
    now: DateTime<Utc>,
) -> Result<Goal> {
    let before = goal(db, id).await?;
    let sql = format!(
        "UPDATE career_goals SET milestone_role = $2, title = $3, note = $4, due_on = $5, done_on = $6, updated_at = $7
         WHERE id = $1 RETURNING {COLUMNS}"
    );
    let action = match (before.done_on, f.done_on) {
        (Some(_), None) => "reopen",
        (None, Some(_)) => "done",
        _ => "update",
    };
    let change = Change {
        actor_id: by,
        entity: "career-goal",
        entity_id: format!("employee:{}/career-goal:{id}", before.employee_id),
        action,
        before: Some(snapshot(&fields_of(&before))),
        after: Some(snapshot(f)),
    };
    let lock = lock_person(db);
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        if action == "reopen" {
            sqlx::query(lock).bind(before.employee_id).execute(&mut *tx).await?;
            let (open, _): (i64, i64) = sqlx::query_as(COUNT).bind(before.employee_id).fetch_one(&mut *tx).await?;
            if open >= max_open {
                return Err(too_many_open(max_open));
            }
        }
        let found: Option<Goal> = sqlx::query_as(&sql).bind(id).bind(&f.milestone_role).bind(&f.title).bind(&f.note)
            .bind(f.due_on).bind(f.done_on).bind(now).fetch_optional(&mut *tx).await
            .map_err(|e| StoreError::from_write(e, "career goal"))?;
        let Some(goal) = found else { return Err(StoreError::NotFound) };
        audit::bind(sqlx::query(audit::INSERT_SQL), &change).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(goal)
    })
}

/// Deletes a goal and audits what it was; `NotFound` when there is none.
pub async fn delete(db: &Db, id: i64, by: Option<UserId>) -> Result<()> {
    let before = goal(db, id).await?;
    let change = Change {
        actor_id: by,
        entity: "career-goal",
        entity_id: format!("employee:{}/career-goal:{id}", before.employee_id),
        action: "delete",
        before: Some(snapshot(&fields_of(&before))),
        after: None,
    };
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query("DELETE FROM career_goals WHERE id = $1").bind(id).execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit::bind(sqlx::query(audit::INSERT_SQL), &change).execute(&mut *tx).await?;
        tx.commit().await?;
    });
    Ok(())
}
