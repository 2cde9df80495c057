//! The audit trail of changes to scores, plans and ratings: who, when, before, after.

use chrono::{DateTime, Utc};
use ladder_core::{EmployeeId, UserId};
use serde::{Deserialize, Serialize};

use crate::{on_db, Db, Result, Tx};

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

/// An import as each person it changed sees it in their trail.
pub struct ImportTouch<'a> {
    pub import_id: i64,
    /// `people` or `kpi`.
    pub kind: &'a str,
    pub file_name: &'a str,
    pub actor_id: Option<UserId>,
}

/// One entry per person an import changed (`employee:{id}/import:{import_id}`, action
/// `import`), naming the import: one statement whatever the number of people, the ids bound as
/// one JSON array.
pub async fn record_import(tx: &mut Tx, touch: &ImportTouch<'_>, employees: &[i64]) -> Result<()> {
    if employees.is_empty() {
        return Ok(());
    }
    let ids = match tx.backend() {
        crate::Backend::Sqlite => "(SELECT value AS id FROM json_each($6))",
        crate::Backend::Postgres => "(SELECT value AS id FROM jsonb_array_elements_text(CAST($6 AS jsonb)))",
    };
    let sql = format!(
        "INSERT INTO audit_log (at, actor_id, entity, entity_id, action, before, after)
         SELECT $1, $2, $3, 'employee:' || ids.id || CAST($4 AS TEXT), 'import', NULL, CAST($5 AS TEXT) FROM {ids} ids"
    );
    let after =
        serde_json::json!({ "import": touch.import_id, "kind": touch.kind, "file": touch.file_name }).to_string();
    let ids = serde_json::to_string(employees).expect("numbers");
    on_db!(tx, c => sqlx::query(&sql)
        .bind(Utc::now())
        .bind(touch.actor_id)
        .bind(format!("{}-import", touch.kind))
        .bind(format!("/import:{}", touch.import_id))
        .bind(after)
        .bind(ids)
        .execute(c)
        .await
        .map(drop)?);
    Ok(())
}

/// The trail of one entity kind for an employee-scoped id prefix, newest first.
pub async fn for_entity(db: &Db, entity: &str, entity_id: &str, limit: i64) -> Result<Vec<AuditEntry>> {
    let sql = "SELECT id, at, actor_id, entity, entity_id, action, before, after FROM audit_log
        WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(entity).bind(entity_id).bind(limit).fetch_all(p).await?))
}

/// Every entry about an employee (entity ids are prefixed `employee:{id}`), newest first.
pub async fn for_employee(db: &Db, employee_id: EmployeeId, limit: i64) -> Result<Vec<AuditEntry>> {
    for_employee_before(db, employee_id, None, limit).await
}

/// Up to `limit` entries about an employee older than entry `before`, newest first: a page.
pub async fn for_employee_before(
    db: &Db,
    employee_id: EmployeeId,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    let sql = "SELECT id, at, actor_id, entity, entity_id, action, before, after FROM audit_log
        WHERE (entity_id = $1 OR entity_id LIKE $2) AND ($3 IS NULL OR id < $3) ORDER BY id DESC LIMIT $4";
    let (exact, prefix) = employee_entity(employee_id);
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(exact).bind(prefix).bind(before).bind(limit).fetch_all(p).await?))
}

/// How many entries there are about an employee.
pub async fn count_for_employee(db: &Db, employee_id: EmployeeId) -> Result<u64> {
    let sql = "SELECT COUNT(*) FROM audit_log WHERE entity_id = $1 OR entity_id LIKE $2";
    let (exact, prefix) = employee_entity(employee_id);
    let n: i64 = on_db!(db, p => sqlx::query_scalar(sql).bind(exact).bind(prefix).fetch_one(p).await?);
    Ok(n.max(0) as u64)
}

/// The entity id of an employee and the pattern of the ids under it.
fn employee_entity(employee_id: EmployeeId) -> (String, String) {
    (format!("employee:{employee_id}"), format!("employee:{employee_id}/%"))
}
