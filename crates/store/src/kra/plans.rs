//! Yearly KRA plans: an employee's KRAs (metric, weight, threshold, target, stretch) from a date
//! until the next plan of the year, read with their lines in one query and saved with an audit
//! entry.

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::{EmployeeId, UserId};
use rusqlite::Row;
use serde::{Deserialize, Serialize};

use crate::audit::{self, Change};
use crate::{on_db, read, Db, Result, StoreError, Tx};

/// A stored plan: one employee's KRAs from `effective_from` until the next plan of the year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredPlan {
    pub id: i64,
    pub employee_id: EmployeeId,
    pub year: i32,
    pub effective_from: NaiveDate,
    pub name: String,
    pub role_id: String,
    /// Monthly variable pay at 100 % payout, in minor units of `currency`.
    pub variable_pay_minor: Option<i64>,
    pub currency: String,
    pub updated_at: DateTime<Utc>,
    /// Who last set the plan; `None` for a plan an import or the demo wrote (or one set before
    /// migration 0035 kept it).
    pub updated_by: Option<UserId>,
    pub lines: Vec<PlanLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct PlanLine {
    pub metric: String,
    pub weight: f64,
    pub threshold: f64,
    pub target: f64,
    pub stretch: f64,
}

/// What a plan is saved as (the lines are checked against the framework by the caller).
#[derive(Debug, Clone)]
pub struct PlanInput<'a> {
    pub employee_id: EmployeeId,
    pub year: i32,
    pub effective_from: NaiveDate,
    pub name: &'a str,
    pub role_id: &'a str,
    pub variable_pay_minor: Option<i64>,
    pub currency: &'a str,
    pub lines: &'a [PlanLine],
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: i64,
    employee_id: EmployeeId,
    year: i32,
    effective_from: NaiveDate,
    name: String,
    role_id: String,
    variable_pay_minor: Option<i64>,
    currency: String,
    updated_at: DateTime<Utc>,
    updated_by: Option<UserId>,
}

/// Plans with their lines, one row per line (a plan without lines has one row of NULLs): one
/// query.
const PLAN_WITH_LINES: &str = "SELECT p.id, p.employee_id, p.year, p.effective_from, p.name, p.role_id,
        p.variable_pay_minor, p.currency, p.updated_at, l.metric, l.weight, l.threshold, l.target, l.stretch,
        p.updated_by
    FROM kra_plans p LEFT JOIN kra_plan_lines l ON l.plan_id = p.id";

#[derive(sqlx::FromRow)]
struct PlanLineRow {
    #[sqlx(flatten)]
    plan: PlanRow,
    metric: Option<String>,
    weight: Option<f64>,
    threshold: Option<f64>,
    target: Option<f64>,
    stretch: Option<f64>,
}

impl PlanRow {
    /// A plan already read from an earlier row: only its id is kept.
    fn repeated(id: i64) -> PlanRow {
        PlanRow {
            id,
            employee_id: EmployeeId(0),
            year: 0,
            effective_from: NaiveDate::MIN,
            name: String::new(),
            role_id: String::new(),
            variable_pay_minor: None,
            currency: String::new(),
            updated_at: DateTime::<Utc>::MIN_UTC,
            updated_by: None,
        }
    }

    /// The plan's columns at the start of a direct read's row.
    fn read(r: &Row<'_>) -> rusqlite::Result<PlanRow> {
        Ok(PlanRow {
            id: r.get(0)?,
            employee_id: r.get(1)?,
            year: r.get(2)?,
            effective_from: crate::read::date(r, 3)?,
            name: r.get(4)?,
            role_id: r.get(5)?,
            variable_pay_minor: r.get(6)?,
            currency: r.get(7)?,
            updated_at: crate::read::timestamp(r, 8)?,
            // After the lines' columns: the plan's last column, added by migration 0035.
            updated_by: r.get(14)?,
        })
    }
}

impl PlanLineRow {
    /// Rows come ordered by plan, each line repeating its plan's columns: those are decoded on
    /// a plan's first row only, as [`group_plans`] reads them nowhere else (the others carry
    /// just the plan's id).
    fn reader() -> impl FnMut(&Row<'_>) -> rusqlite::Result<PlanLineRow> {
        let mut previous: Option<i64> = None;
        move |r| {
            let id: i64 = r.get(0)?;
            let plan = if previous == Some(id) { PlanRow::repeated(id) } else { PlanRow::read(r)? };
            previous = Some(id);
            PlanLineRow::read_lines(r, plan)
        }
    }

    fn read_lines(r: &Row<'_>, plan: PlanRow) -> rusqlite::Result<PlanLineRow> {
        Ok(PlanLineRow {
            plan,
            metric: r.get(9)?,
            weight: r.get(10)?,
            threshold: r.get(11)?,
            target: r.get(12)?,
            stretch: r.get(13)?,
        })
    }
}

fn stored_plan(r: PlanRow) -> StoredPlan {
    StoredPlan {
        id: r.id,
        employee_id: r.employee_id,
        year: r.year,
        effective_from: r.effective_from,
        name: r.name,
        role_id: r.role_id,
        variable_pay_minor: r.variable_pay_minor,
        currency: r.currency,
        updated_at: r.updated_at,
        updated_by: r.updated_by,
        lines: Vec::new(),
    }
}

/// Groups rows ordered by plan (then line position) into plans.
fn group_plans(rows: Vec<PlanLineRow>) -> Vec<StoredPlan> {
    let mut out: Vec<StoredPlan> = Vec::new();
    for row in rows {
        if out.last().is_none_or(|p| p.id != row.plan.id) {
            out.push(stored_plan(row.plan));
        }
        if let (Some(metric), Some(weight), Some(threshold), Some(target), Some(stretch)) =
            (row.metric, row.weight, row.threshold, row.target, row.stretch)
        {
            let plan = out.last_mut().expect("pushed above");
            plan.lines.push(PlanLine { metric, weight, threshold, target, stretch });
        }
    }
    out
}

/// A stored plan's terms without its lines. Saving a plan moves its `updated_at` in the same
/// transaction as its lines, so `(id, updated_at)` names one set of lines for good: a
/// scorecard can keep the plan resolved and read only this row on later requests.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PlanHead {
    pub id: i64,
    pub employee_id: EmployeeId,
    pub effective_from: NaiveDate,
    pub role_id: String,
    pub variable_pay_minor: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

impl PlanHead {
    fn read(r: &Row<'_>) -> rusqlite::Result<PlanHead> {
        Ok(PlanHead {
            id: r.get(0)?,
            employee_id: r.get(1)?,
            effective_from: crate::read::date(r, 2)?,
            role_id: r.get(3)?,
            variable_pay_minor: r.get(4)?,
            updated_at: crate::read::timestamp(r, 5)?,
        })
    }
}

const PLAN_HEAD_SELECT: &str =
    "SELECT p.id, p.employee_id, p.effective_from, p.role_id, p.variable_pay_minor, p.updated_at FROM kra_plans p";

/// The heads of an employee's plans of the year, in the order they took effect.
pub async fn plan_heads_for_year(db: &Db, employee_id: EmployeeId, year: i32) -> Result<Vec<PlanHead>> {
    let sql = format!("{PLAN_HEAD_SELECT} WHERE p.employee_id = $1 AND p.year = $2 ORDER BY p.effective_from, p.id");
    Ok(read!(db, all, query_as, &sql, PlanHead::read; employee_id, year))
}

/// The heads of many employees' plans of the year, by employee then date.
pub async fn plan_heads_for_employees(db: &Db, employee_ids: &[EmployeeId], year: i32) -> Result<Vec<PlanHead>> {
    let sql = format!(
        "{PLAN_HEAD_SELECT} WHERE p.employee_id IN {} AND p.year = $2 ORDER BY p.employee_id, p.effective_from, p.id",
        db.id_list("$1")
    );
    let ids = crate::db::json_ids(employee_ids);
    Ok(read!(db, all, query_as, &sql, PlanHead::read; &ids, year))
}

/// A plan's line with the plan's `updated_at` and role as read in the same statement, so the
/// three agree.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct VersionedLine {
    pub plan_id: i64,
    pub updated_at: DateTime<Utc>,
    pub role_id: String,
    #[sqlx(flatten)]
    pub line: PlanLine,
}

/// The lines of these plans, ordered by plan then position.
pub async fn plan_lines(db: &Db, plan_ids: &[i64]) -> Result<Vec<VersionedLine>> {
    let sql = format!(
        "SELECT l.plan_id, p.updated_at, p.role_id, l.metric, l.weight, l.threshold, l.target, l.stretch
         FROM kra_plan_lines l JOIN kra_plans p ON p.id = l.plan_id
         WHERE l.plan_id IN {} ORDER BY l.plan_id, l.position",
        db.id_list("$1")
    );
    let ids = crate::db::json_ids(plan_ids);
    let read = |r: &Row<'_>| {
        Ok(VersionedLine {
            plan_id: r.get(0)?,
            updated_at: crate::read::timestamp(r, 1)?,
            role_id: r.get(2)?,
            line: PlanLine {
                metric: r.get(3)?,
                weight: r.get(4)?,
                threshold: r.get(5)?,
                target: r.get(6)?,
                stretch: r.get(7)?,
            },
        })
    };
    Ok(read!(db, all, query_as, &sql, read; &ids))
}

fn plans_of_year_sql() -> String {
    format!("{PLAN_WITH_LINES} WHERE p.employee_id = $1 AND p.year = $2 ORDER BY p.effective_from, p.id, l.position")
}

/// The plans of an employee's year, in the order they took effect.
pub async fn plans_for_year(db: &Db, employee_id: EmployeeId, year: i32) -> Result<Vec<StoredPlan>> {
    let sql = plans_of_year_sql();
    let rows: Vec<PlanLineRow> = read!(db, all, query_as, &sql, PlanLineRow::reader(); employee_id, year);
    Ok(group_plans(rows))
}

/// [`plans_for_year`] inside a write transaction, so what is compared is what is written over.
pub(crate) async fn plans_for_year_in(tx: &mut Tx, employee_id: EmployeeId, year: i32) -> Result<Vec<StoredPlan>> {
    let sql = plans_of_year_sql();
    let rows: Vec<PlanLineRow> =
        on_db!(tx, c => sqlx::query_as(&sql).bind(employee_id).bind(year).fetch_all(&mut *c).await?);
    Ok(group_plans(rows))
}

/// A short digest of the terms of the year's plans (dates, names, roles, pay and KRAs; not when
/// they were saved, so saving the same terms again keeps it): the agreement names the version
/// the person read, and one given on terms changed since is refused.
pub fn terms_version(plans: &[StoredPlan]) -> String {
    use sha2::{Digest, Sha256};
    let terms: Vec<_> = plans
        .iter()
        .map(|p| serde_json::json!([p.effective_from, p.name, p.role_id, p.variable_pay_minor, p.currency, p.lines]))
        .collect();
    hex::encode(&Sha256::digest(serde_json::Value::Array(terms).to_string().as_bytes())[..8])
}

/// A line of a stored plan with the plan's terms: what scoring every month reads.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanLineOf {
    pub plan_id: i64,
    pub employee_id: EmployeeId,
    pub effective_from: NaiveDate,
    pub role_id: String,
    pub line: PlanLine,
}

/// Every line of every stored plan, by employee, then date, plan and position.
pub async fn every_plan_line(db: &Db) -> Result<Vec<PlanLineOf>> {
    type Row = (i64, EmployeeId, NaiveDate, String, String, f64, f64, f64, f64);
    let sql =
        "SELECT p.id, p.employee_id, p.effective_from, p.role_id, l.metric, l.weight, l.threshold, l.target, l.stretch
         FROM kra_plans p JOIN kra_plan_lines l ON l.plan_id = p.id
         ORDER BY p.employee_id, p.effective_from, p.id, l.position";
    let rows: Vec<Row> = on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(plan_id, employee_id, effective_from, role_id, metric, weight, threshold, target, stretch)| PlanLineOf {
            plan_id,
            employee_id,
            effective_from,
            role_id,
            line: PlanLine { metric, weight, threshold, target, stretch },
        })
        .collect())
}

/// Saves (creates or replaces) the plan taking effect on `effective_from`, and audits the change.
///
/// Every write of a plan or its lines must move `updated_at` in the same transaction: the server
/// keeps plans resolved by `(id, updated_at)` ([`PlanHead`]).
pub async fn save_plan(db: &Db, input: &PlanInput<'_>, actor_id: Option<UserId>) -> Result<StoredPlan> {
    if input.lines.is_empty() {
        return Err(StoreError::Invalid("a KRA plan needs at least one KRA".into()));
    }
    let upsert = "INSERT INTO kra_plans (employee_id, year, effective_from, name, role_id, variable_pay_minor, currency, updated_at, updated_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (employee_id, effective_from) DO UPDATE SET year = excluded.year, name = excluded.name,
            role_id = excluded.role_id, variable_pay_minor = excluded.variable_pay_minor,
            currency = excluded.currency, updated_at = excluded.updated_at, updated_by = excluded.updated_by
        RETURNING id";
    let line = "INSERT INTO kra_plan_lines (plan_id, position, metric, weight, threshold, target, stretch)
        VALUES ($1, $2, $3, $4, $5, $6, $7)";
    let now = Utc::now();
    let entity_id = format!("employee:{}/kra-plan:{}", input.employee_id, input.effective_from);
    let year_first = NaiveDate::from_ymd_opt(input.year, 1, 1).ok_or_else(|| StoreError::Invalid("year".into()))?;
    let year_last = NaiveDate::from_ymd_opt(input.year, 12, 1).ok_or_else(|| StoreError::Invalid("year".into()))?;
    let mut tx = db.begin().await?;
    // Read in the write's own transaction: a save committed meanwhile cannot be missed.
    let before = plans_for_year_in(&mut tx, input.employee_id, input.year)
        .await?
        .into_iter()
        .find(|p| p.effective_from == input.effective_from);
    // A plan saved as it was agreed (the same terms again) keeps the agreement.
    let changed = before.as_ref().is_none_or(|b| {
        b.name != input.name
            || b.role_id != input.role_id
            || b.lines != input.lines
            || b.variable_pay_minor != input.variable_pay_minor
            || b.currency != input.currency
    });
    on_db!(&mut tx, tx => {
        let id: i64 = sqlx::query_scalar(upsert)
            .bind(input.employee_id).bind(input.year).bind(input.effective_from).bind(input.name)
            .bind(input.role_id).bind(input.variable_pay_minor).bind(input.currency).bind(now).bind(actor_id)
            .fetch_one(&mut *tx).await.map_err(|e| StoreError::from_write(e, "KRA plan"))?;
        sqlx::query("DELETE FROM kra_plan_lines WHERE plan_id = $1").bind(id).execute(&mut *tx).await?;
        for (position, l) in input.lines.iter().enumerate() {
            sqlx::query(line).bind(id).bind(position as i32).bind(&l.metric).bind(l.weight)
                .bind(l.threshold).bind(l.target).bind(l.stretch).execute(&mut *tx).await?;
        }
        let change = Change {
            actor_id,
            entity: "kra-plan",
            entity_id: entity_id.clone(),
            action: if before.is_some() { "update" } else { "create" },
            before: before.as_ref().map(|b| serde_json::json!({ "name": b.name, "lines": b.lines, "variable_pay_minor": b.variable_pay_minor })),
            after: Some(serde_json::json!({ "name": input.name, "lines": input.lines, "variable_pay_minor": input.variable_pay_minor })),
        };
        audit::bind(sqlx::query(audit::INSERT_SQL), &change).execute(&mut *tx).await?;
        if changed {
            sqlx::query(super::agreements::PLAN_CHANGED).bind(input.employee_id).bind(input.year).bind(now)
                .execute(&mut *tx).await?;
        }
        // Every month of the plan's year may be scored differently now.
        sqlx::query(crate::scores::ENQUEUE_EMPLOYEE).bind(input.employee_id).bind(year_first).bind(year_last).bind(crate::scores::fresh_stamp())
            .execute(&mut *tx).await?;
    });
    tx.commit().await?;
    plans_for_year(db, input.employee_id, input.year)
        .await?
        .into_iter()
        .find(|p| p.effective_from == input.effective_from)
        .ok_or(StoreError::NotFound)
}
