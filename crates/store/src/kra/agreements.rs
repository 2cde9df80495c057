//! A person's agreement to their year's KRA plan (migration 0035): the KRA sheet signed off.
//! One row per person and year; a change to any of the year's plans afterwards stamps
//! `changed_at` in the plan's own transaction ([`PLAN_CHANGED`]), so the agreement no longer
//! holds but who agreed and when are still there to say so.

use chrono::{DateTime, Utc};
use ladder_core::{EmployeeId, UserId};
use serde::{Deserialize, Serialize};

use super::plans::{plans_for_year, plans_for_year_in, terms_version};
use crate::audit::{self, Change};
use crate::notifications::{self, Kind, New};
use crate::{on_db, Db, Result, StoreError};

/// Stamps the year's agreement as overtaken by a change (`$1` employee, `$2` year, `$3` when).
pub(super) const PLAN_CHANGED: &str =
    "UPDATE kra_plan_agreements SET changed_at = $3 WHERE employee_id = $1 AND year = $2 AND changed_at IS NULL";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Agreement {
    pub employee_id: EmployeeId,
    pub year: i32,
    pub agreed_by: Option<UserId>,
    /// The name of whoever agreed (`None` once their account is gone).
    pub agreed_by_name: Option<String>,
    pub agreed_at: DateTime<Utc>,
    /// When the plan changed after it was agreed; `None` while the agreement holds.
    pub changed_at: Option<DateTime<Utc>>,
}

impl Agreement {
    /// Whether the plan is agreed as it stands.
    pub fn holds(&self) -> bool {
        self.changed_at.is_none()
    }
}

const SELECT: &str = "SELECT a.employee_id, a.year, a.agreed_by, u.name AS agreed_by_name, a.agreed_at, a.changed_at
    FROM kra_plan_agreements a LEFT JOIN users u ON u.id = a.agreed_by";

/// The person's agreement to the year's plan, if they ever agreed to it.
pub async fn agreement(db: &Db, employee_id: EmployeeId, year: i32) -> Result<Option<Agreement>> {
    let sql = format!("{SELECT} WHERE a.employee_id = $1 AND a.year = $2");
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(employee_id).bind(year).fetch_optional(p).await?))
}

/// The agreements of many people's year (a team board).
pub async fn agreements_of(db: &Db, employee_ids: &[EmployeeId], year: i32) -> Result<Vec<Agreement>> {
    if employee_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("{SELECT} WHERE a.employee_id IN {} AND a.year = $2", db.id_list("$1"));
    let ids = crate::db::json_ids(employee_ids);
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(&ids).bind(year).fetch_all(p).await?))
}

/// The refusal of an agreement given on terms that changed after the person's page was drawn.
pub const TERMS_CHANGED: &str =
    "the KRA plan changed after your page was drawn: read it again, then agree to it as it stands";

/// Records that `by` (the person) agreed to the year's plan as it stands now, with an audit
/// entry and a notification to their leaders, in one transaction. Agreeing to a plan already
/// agreed changes nothing; a year with no plan set cannot be agreed. `seen` is the
/// [`terms_version`] the person read: checked inside the transaction, after the agreement's
/// row is written (and so held), so a plan changed meanwhile is refused, not agreed unread.
pub async fn agree(db: &Db, employee_id: EmployeeId, year: i32, by: UserId, seen: Option<&str>) -> Result<Agreement> {
    let before = agreement(db, employee_id, year).await?;
    if let Some(held) = before.as_ref().filter(|a| a.holds()) {
        let current = match seen {
            Some(_) => Some(terms_version(&plans_for_year(db, employee_id, year).await?)),
            None => None,
        };
        if seen == current.as_deref() {
            return Ok(held.clone());
        }
    }
    let upsert = "INSERT INTO kra_plan_agreements (employee_id, year, agreed_by, agreed_at, changed_at)
        VALUES ($1, $2, $3, $4, NULL)
        ON CONFLICT (employee_id, year) DO UPDATE SET agreed_by = excluded.agreed_by,
            agreed_at = excluded.agreed_at, changed_at = NULL";
    let now = Utc::now();
    let change = Change {
        actor_id: Some(by),
        entity: "kra-plan-agreement",
        entity_id: format!("employee:{employee_id}/kra-plans:{year}"),
        action: "agree",
        before: before.as_ref().map(|b| serde_json::json!({ "agreed_at": b.agreed_at, "changed_at": b.changed_at })),
        after: Some(serde_json::json!({ "agreed_at": now })),
    };
    let n = New {
        kind: Kind::PlanAgreed,
        employee_id: Some(employee_id),
        link: format!("/people/{employee_id}/kras-plan?year={year}"),
        params: serde_json::json!({ "year": year.to_string() }),
        about: None,
    };
    let mut tx = db.begin().await?;
    on_db!(&mut tx, c => sqlx::query(upsert).bind(employee_id).bind(year).bind(by).bind(now)
        .execute(&mut *c).await.map(drop)?);
    let plans = plans_for_year_in(&mut tx, employee_id, year).await?;
    if plans.is_empty() {
        return Err(StoreError::Conflict(format!("no KRA plan is set for {year} yet; your leader sets it first")));
    }
    if seen.is_some_and(|v| v != terms_version(&plans)) {
        return Err(StoreError::Conflict(TERMS_CHANGED.into()));
    }
    on_db!(&mut tx, c => audit::bind(sqlx::query(audit::INSERT_SQL), &change).execute(&mut *c).await.map(drop)?);
    notifications::to_leaders_of(&mut tx, employee_id, &n).await?;
    tx.commit().await?;
    agreement(db, employee_id, year).await?.ok_or(StoreError::NotFound)
}

/// Marks the demo's people's years agreed a few days after each year's last plan was set
/// (`who`: employee id, year and the user who agreed). For `ladder demo` only.
pub async fn write_demo(db: &Db, who: &[(EmployeeId, i32, Option<UserId>, DateTime<Utc>)]) -> Result<u64> {
    let insert = "INSERT INTO kra_plan_agreements (employee_id, year, agreed_by, agreed_at) VALUES ($1, $2, $3, $4)";
    let mut tx = db.begin().await?;
    for (employee_id, year, by, at) in who {
        on_db!(&mut tx, c => sqlx::query(insert).bind(*employee_id).bind(*year).bind(*by).bind(*at)
            .execute(&mut *c).await.map(drop)?);
    }
    tx.commit().await?;
    Ok(who.len() as u64)
}
