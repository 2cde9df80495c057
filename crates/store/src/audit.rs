//! The audit trail of changes to scores, plans and ratings: who, when, before, after.

use chrono::{DateTime, Utc};
use ladder_core::{EmployeeId, UserId};
use serde::{Deserialize, Serialize};

use crate::{on_db, Db, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<UserId>,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A change to record. `before`/`after` are JSON snapshots of what changed.
pub struct Change<'a> {
    pub actor_id: Option<UserId>,
    pub entity: &'a str,
    pub entity_id: String,
    pub action: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

const INSERT: &str = "INSERT INTO audit_log (at, actor_id, entity, entity_id, action, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Records a change on its own (outside a transaction).
pub async fn record(db: &Db, c: Change<'_>) -> Result<()> {
    on_db!(db, p => bind(sqlx::query(INSERT), &c).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Binds a change to the insert statement; used inside other modules' transactions too.
pub fn bind<'q, DB>(
    q: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>,
    c: &Change<'_>,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>
where
    DB: sqlx::Database,
    DateTime<Utc>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<UserId>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    q.bind(Utc::now())
        .bind(c.actor_id)
        .bind(c.entity.to_string())
        .bind(c.entity_id.clone())
        .bind(c.action.to_string())
        .bind(c.before.as_ref().map(|v| v.to_string()))
        .bind(c.after.as_ref().map(|v| v.to_string()))
}

pub const INSERT_SQL: &str = INSERT;

/// The trail of one entity kind for an employee-scoped id prefix, newest first.
pub async fn for_entity(db: &Db, entity: &str, entity_id: &str, limit: i64) -> Result<Vec<AuditEntry>> {
    let sql = "SELECT id, at, actor_id, entity, entity_id, action, before, after FROM audit_log
        WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(entity).bind(entity_id).bind(limit).fetch_all(p).await?))
}

/// Every entry about an employee (entity ids are prefixed `employee:{id}`), newest first.
pub async fn for_employee(db: &Db, employee_id: EmployeeId, limit: i64) -> Result<Vec<AuditEntry>> {
    let sql = "SELECT id, at, actor_id, entity, entity_id, action, before, after FROM audit_log
        WHERE entity_id = $1 OR entity_id LIKE $2 ORDER BY id DESC LIMIT $3";
    let exact = format!("employee:{employee_id}");
    let prefix = format!("employee:{employee_id}/%");
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(exact).bind(prefix).bind(limit).fetch_all(p).await?))
}
