//! Yearly KRA plans and monthly KRA actuals.
//!
//! Actuals are kept as numerator/denominator sums per employee, month and metric, so every
//! roll-up (over months, people, teams) is a ratio of sums. Each (employee, month, metric) has
//! its figure in one place: a row of `kra_actuals` (typed in, a monthly file, the demo), or the
//! days a daily import packed into `kpi_employee_months`, whose total is the month's figure. The
//! writers keep it so (a daily import removes the row it replaces; a monthly file removes the
//! days), and the readers here read both.

pub mod bulk;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use rusqlite::Row;

use crate::audit::{self, Change};
pub use crate::rollup::{rollup, GroupSums, Level};
use crate::{on_db, read, Db, Result, StoreError, Tx};

/// A stored plan: one employee's KRAs from `effective_from` until the next plan of the year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredPlan {
    pub id: i64,
    pub employee_id: i64,
    pub year: i32,
    pub effective_from: NaiveDate,
    pub name: String,
    pub role_id: String,
    /// Monthly variable pay at 100 % payout, in minor units of `currency`.
    pub variable_pay_minor: Option<i64>,
    pub currency: String,
    pub updated_at: DateTime<Utc>,
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
    pub employee_id: i64,
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
    employee_id: i64,
    year: i32,
    effective_from: NaiveDate,
    name: String,
    role_id: String,
    variable_pay_minor: Option<i64>,
    currency: String,
    updated_at: DateTime<Utc>,
}

/// Plans with their lines, one row per line (a plan without lines has one row of NULLs): one
/// query.
const PLAN_WITH_LINES: &str = "SELECT p.id, p.employee_id, p.year, p.effective_from, p.name, p.role_id,
        p.variable_pay_minor, p.currency, p.updated_at, l.metric, l.weight, l.threshold, l.target, l.stretch
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
            employee_id: 0,
            year: 0,
            effective_from: NaiveDate::MIN,
            name: String::new(),
            role_id: String::new(),
            variable_pay_minor: None,
            currency: String::new(),
            updated_at: DateTime::<Utc>::MIN_UTC,
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
    pub employee_id: i64,
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
pub async fn plan_heads_for_year(db: &Db, employee_id: i64, year: i32) -> Result<Vec<PlanHead>> {
    let sql = format!("{PLAN_HEAD_SELECT} WHERE p.employee_id = $1 AND p.year = $2 ORDER BY p.effective_from, p.id");
    Ok(read!(db, all, query_as, &sql, PlanHead::read; employee_id, year))
}

/// The heads of many employees' plans of the year, by employee then date.
pub async fn plan_heads_for_employees(db: &Db, employee_ids: &[i64], year: i32) -> Result<Vec<PlanHead>> {
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

/// One month's sums of one metric for one employee: what scoring reads, without the row's
/// source and time.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Figure {
    pub employee_id: i64,
    pub metric: String,
    pub numerator: f64,
    pub denominator: f64,
}

/// The month's figures of many employees, by employee then metric.
pub async fn figures_of(db: &Db, employee_ids: &[i64], month: NaiveDate) -> Result<Vec<Figure>> {
    let sql = format!(
        "SELECT employee_id, metric, numerator, denominator FROM kra_actuals
         WHERE employee_id IN {} AND month = $2",
        db.id_list("$1")
    );
    let ids = crate::db::json_ids(employee_ids);
    let read = |r: &Row<'_>| {
        Ok(Figure { employee_id: r.get(0)?, metric: r.get(1)?, numerator: r.get(2)?, denominator: r.get(3)? })
    };
    let mut figures: Vec<Figure> = read!(db, all, query_as, &sql, read; &ids, month);
    for p in packed_months(db, &ids, month, month).await? {
        for m in p.sums()? {
            let (numerator, denominator) = (m.numerator, m.denominator);
            figures.push(Figure { employee_id: p.employee_id, metric: m.metric.to_string(), numerator, denominator });
        }
    }
    figures.sort_by(|a, b| (a.employee_id, &a.metric).cmp(&(b.employee_id, &b.metric)));
    Ok(figures)
}

/// The actuals of many employees for the months `from..=through`.
pub async fn actuals_of(db: &Db, employee_ids: &[i64], from: NaiveDate, through: NaiveDate) -> Result<Vec<Actual>> {
    let sql = format!("{ACTUAL_SELECT} WHERE employee_id IN {} AND month >= $2 AND month <= $3", db.id_list("$1"));
    let ids = crate::db::json_ids(employee_ids);
    let rows: Vec<ActualRow> = read!(db, all, query_as, &sql, ActualRow::read; &ids, from, through);
    let mut actuals: Vec<Actual> = rows.into_iter().map(Actual::from).collect();
    actuals.extend(packed_actuals(db, &ids, from, through).await?);
    actuals.sort_by(|a, b| (a.employee_id, a.month, &a.metric).cmp(&(b.employee_id, b.month, &b.metric)));
    Ok(actuals)
}

/// An employee-month a daily import packed (`kpi_employee_months`).
#[derive(sqlx::FromRow)]
struct PackedMonth {
    employee_id: i64,
    month: NaiveDate,
    metrics: Vec<u8>,
}

impl PackedMonth {
    fn read(r: &Row<'_>) -> rusqlite::Result<PackedMonth> {
        Ok(PackedMonth { employee_id: r.get(0)?, month: crate::read::date(r, 1)?, metrics: r.get(2)? })
    }

    /// Each metric's monthly sums, in metric order.
    fn sums(&self) -> Result<Vec<crate::daily::MetricSums<'_>>> {
        crate::daily::month_sums(&self.metrics).map_err(|e| {
            StoreError::Damaged(format!("stored days of employee {}, {}: {e}", self.employee_id, self.month))
        })
    }
}

/// The packed employee-months of employees `ids` (a JSON array) in the months `from..=through`.
async fn packed_months(db: &Db, ids: &str, from: NaiveDate, through: NaiveDate) -> Result<Vec<PackedMonth>> {
    let sql = format!(
        "SELECT employee_id, month, metrics FROM kpi_employee_months
         WHERE employee_id IN {} AND month >= $2 AND month <= $3",
        db.id_list("$1")
    );
    Ok(read!(db, all, query_as, &sql, PackedMonth::read; &ids, from, through))
}

/// The monthly sums daily imports keep with their days, as actuals: imported, changed when
/// the import that last changed their days finished.
async fn packed_actuals(db: &Db, ids: &str, from: NaiveDate, through: NaiveDate) -> Result<Vec<Actual>> {
    let packed = packed_months(db, ids, from, through).await?;
    let mut actuals = Vec::new();
    let mut import_ids = Vec::new();
    for p in &packed {
        for m in p.sums()? {
            import_ids.extend(m.import_id);
            actuals.push((
                m.import_id,
                Actual {
                    employee_id: p.employee_id,
                    month: p.month,
                    metric: m.metric.to_string(),
                    numerator: m.numerator,
                    denominator: m.denominator,
                    source: Source::Import,
                    updated_at: DateTime::UNIX_EPOCH,
                },
            ));
        }
    }
    import_ids.sort_unstable();
    import_ids.dedup();
    let finished = import_times(db, &import_ids).await?;
    Ok(actuals
        .into_iter()
        .map(|(import_id, mut a)| {
            // Days packed from an earlier version may name no import: their time is unknown.
            if let Some(&at) = import_id.and_then(|id| finished.get(&id)) {
                a.updated_at = at;
            }
            a
        })
        .collect())
}

/// When each of these imports finished (or started, if it has no finish recorded).
async fn import_times(db: &Db, import_ids: &[i64]) -> Result<std::collections::HashMap<i64, DateTime<Utc>>> {
    if import_ids.is_empty() {
        return Ok(Default::default());
    }
    let sql = format!("SELECT id, coalesce(finished_at, started_at) FROM imports WHERE id IN {}", db.id_list("$1"));
    let ids = crate::db::json_ids(import_ids);
    let read = |r: &Row<'_>| Ok((r.get(0)?, crate::read::timestamp(r, 1)?));
    let times: Vec<(i64, DateTime<Utc>)> = read!(db, all, query_as, &sql, read; &ids);
    Ok(times.into_iter().collect())
}

/// The plans of an employee's year, in the order they took effect.
pub async fn plans_for_year(db: &Db, employee_id: i64, year: i32) -> Result<Vec<StoredPlan>> {
    let sql = format!(
        "{PLAN_WITH_LINES} WHERE p.employee_id = $1 AND p.year = $2 ORDER BY p.effective_from, p.id, l.position"
    );
    let rows: Vec<PlanLineRow> = read!(db, all, query_as, &sql, PlanLineRow::reader(); employee_id, year);
    Ok(group_plans(rows))
}

/// Saves (creates or replaces) the plan taking effect on `effective_from`, and audits the change.
///
/// Every write of a plan or its lines must move `updated_at` in the same transaction: the server
/// keeps plans resolved by `(id, updated_at)` ([`PlanHead`]).
pub async fn save_plan(db: &Db, input: &PlanInput<'_>, actor_id: Option<i64>) -> Result<StoredPlan> {
    if input.lines.is_empty() {
        return Err(StoreError::Invalid("a KRA plan needs at least one KRA".into()));
    }
    let before = plans_for_year(db, input.employee_id, input.year)
        .await?
        .into_iter()
        .find(|p| p.effective_from == input.effective_from);
    let upsert = "INSERT INTO kra_plans (employee_id, year, effective_from, name, role_id, variable_pay_minor, currency, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (employee_id, effective_from) DO UPDATE SET year = excluded.year, name = excluded.name,
            role_id = excluded.role_id, variable_pay_minor = excluded.variable_pay_minor,
            currency = excluded.currency, updated_at = excluded.updated_at
        RETURNING id";
    let line = "INSERT INTO kra_plan_lines (plan_id, position, metric, weight, threshold, target, stretch)
        VALUES ($1, $2, $3, $4, $5, $6, $7)";
    let now = Utc::now();
    let entity_id = format!("employee:{}/kra-plan:{}", input.employee_id, input.effective_from);
    on_db!(db, p => {
        let mut tx = p.begin().await?;
        let id: i64 = sqlx::query_scalar(upsert)
            .bind(input.employee_id).bind(input.year).bind(input.effective_from).bind(input.name)
            .bind(input.role_id).bind(input.variable_pay_minor).bind(input.currency).bind(now)
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
        tx.commit().await?;
    });
    plans_for_year(db, input.employee_id, input.year)
        .await?
        .into_iter()
        .find(|p| p.effective_from == input.effective_from)
        .ok_or(StoreError::NotFound)
}

/// Where a monthly figure came from. Imported figures are read-only by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Manual,
    Import,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Manual => "manual",
            Source::Import => "import",
        }
    }
    fn parse(s: &str) -> Source {
        if s == "import" {
            Source::Import
        } else {
            Source::Manual
        }
    }
}

/// One metric's sums for one employee and month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actual {
    pub employee_id: i64,
    /// The first day of the month.
    pub month: NaiveDate,
    pub metric: String,
    pub numerator: f64,
    pub denominator: f64,
    pub source: Source,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ActualRow {
    employee_id: i64,
    month: NaiveDate,
    metric: String,
    numerator: f64,
    denominator: f64,
    source: String,
    updated_at: DateTime<Utc>,
}

impl ActualRow {
    fn read(r: &Row<'_>) -> rusqlite::Result<ActualRow> {
        Ok(ActualRow {
            employee_id: r.get(0)?,
            month: crate::read::date(r, 1)?,
            metric: r.get(2)?,
            numerator: r.get(3)?,
            denominator: r.get(4)?,
            source: r.get(5)?,
            updated_at: crate::read::timestamp(r, 6)?,
        })
    }
}

impl From<ActualRow> for Actual {
    fn from(r: ActualRow) -> Actual {
        Actual {
            employee_id: r.employee_id,
            month: r.month,
            metric: r.metric,
            numerator: r.numerator,
            denominator: r.denominator,
            source: Source::parse(&r.source),
            updated_at: r.updated_at,
        }
    }
}

const ACTUAL_SELECT: &str =
    "SELECT employee_id, month, metric, numerator, denominator, source, updated_at FROM kra_actuals";

/// An employee's actuals for the months `from..=through` (first days of months), by month then
/// metric.
pub async fn actuals(db: &Db, employee_id: i64, from: NaiveDate, through: NaiveDate) -> Result<Vec<Actual>> {
    let sql = format!("{ACTUAL_SELECT} WHERE employee_id = $1 AND month >= $2 AND month <= $3");
    let rows: Vec<ActualRow> = read!(db, all, query_as, &sql, ActualRow::read; employee_id, from, through);
    let mut actuals: Vec<Actual> = rows.into_iter().map(Actual::from).collect();
    actuals.extend(packed_actuals(db, &crate::db::json_ids(&[employee_id]), from, through).await?);
    actuals.sort_by(|a, b| (a.month, &a.metric).cmp(&(b.month, &b.metric)));
    Ok(actuals)
}

/// A figure typed in by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualFigure {
    pub metric: String,
    pub numerator: f64,
    pub denominator: f64,
}

/// The PostgreSQL advisory lock (held to the end of a transaction) over where each figure is
/// kept. A KPI import holds it alone from before it reads the stored figures until it commits
/// (a dry run does not take it); hand entry shares it, waiting a few seconds at most. Otherwise
/// each could put a figure in one place while the other, not yet committed, puts it in the
/// other (days and a monthly row), and both would count. On SQLite the one writer at a time
/// does the same.
pub const FIGURES_LOCK: i64 = 0x4c41_4444_4552_0001;

/// Raises the version of the figures, in the transaction of a write that changes KRA figures
/// or who is in which team: whatever was computed from them at an earlier version (roll-ups)
/// is then stale, on every app server.
pub const FIGURES_CHANGED: &str = "UPDATE data_versions SET version = version + 1 WHERE subject = 'figures'";

/// Raises the version of the figures ([`FIGURES_CHANGED`]) in a transaction that changes them.
pub async fn figures_changed(tx: &mut Tx) -> Result<()> {
    on_db!(tx, c => sqlx::query(FIGURES_CHANGED).execute(c).await.map(drop)?);
    Ok(())
}

/// The version of the figures (see [`FIGURES_CHANGED`]). Read it before computing from the
/// figures, so a result is never kept under a version newer than what it saw.
pub async fn figures_version(db: &Db) -> Result<i64> {
    let sql = "SELECT version FROM data_versions WHERE subject = 'figures'";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).fetch_one(p).await?))
}

/// PostgreSQL's SQLSTATE for a lock wait that ran out of `lock_timeout`.
const LOCK_NOT_AVAILABLE: &str = "55P03";

/// Saves hand-typed figures for a month in one transaction. Imported figures are never
/// overwritten by hand: a metric that already holds an imported value is a conflict.
pub async fn put_manual(
    db: &Db,
    employee_id: i64,
    month: NaiveDate,
    figures: &[ManualFigure],
    actor_id: Option<i64>,
) -> Result<()> {
    let existing = actuals(db, employee_id, month, month).await?;
    if let Some(imported) =
        figures.iter().find(|f| existing.iter().any(|a| a.metric == f.metric && a.source == Source::Import))
    {
        return Err(StoreError::Conflict(format!(
            "{} for {} was imported from the contact-centre platform and cannot be changed by hand",
            imported.metric,
            month.format("%Y-%m")
        )));
    }
    let upsert = "INSERT INTO kra_actuals (employee_id, month, metric, numerator, denominator, source, updated_at)
        VALUES ($1, $2, $3, $4, $5, 'manual', $6)
        ON CONFLICT (employee_id, month, metric) DO UPDATE SET numerator = excluded.numerator,
            denominator = excluded.denominator, updated_at = excluded.updated_at
        WHERE kra_actuals.source = 'manual'";
    let now = Utc::now();
    on_db!(db, p => {
        let mut tx = p.begin().await?;
        if db.backend() == crate::Backend::Postgres {
            // A person waits a few seconds at most (and holds a pooled connection meanwhile);
            // an import can take minutes.
            sqlx::query("SET LOCAL lock_timeout = '5s'").execute(&mut *tx).await?;
            let locked = sqlx::query("SELECT pg_advisory_xact_lock_shared($1)").bind(FIGURES_LOCK).execute(&mut *tx).await;
            match locked {
                Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some(LOCK_NOT_AVAILABLE) => {
                    return Err(StoreError::Conflict(
                        "KRA figures are being imported right now; try again once the import has finished".into(),
                    ));
                }
                locked => locked.map(drop)?,
            }
        }
        // Days a daily import packed meanwhile hold the month's figure too.
        let packed: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT metrics FROM kpi_employee_months WHERE employee_id = $1 AND month = $2")
                .bind(employee_id)
                .bind(month)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(metrics) = packed {
            let packed = PackedMonth { employee_id, month, metrics };
            if let Some(m) = packed.sums()?.iter().find(|m| figures.iter().any(|f| f.metric == m.metric)) {
                return Err(StoreError::Conflict(format!("{} was imported meanwhile", m.metric)));
            }
        }
        let mut changed = false;
        for f in figures {
            let before = existing.iter().find(|a| a.metric == f.metric);
            let unchanged = before.is_some_and(|b| b.numerator == f.numerator && b.denominator == f.denominator);
            if unchanged {
                continue;
            }
            let written = sqlx::query(upsert).bind(employee_id).bind(month).bind(&f.metric)
                .bind(f.numerator).bind(f.denominator).bind(now).execute(&mut *tx).await?.rows_affected();
            if written == 0 {
                // An import landed between the check above and this write.
                return Err(StoreError::Conflict(format!("{} was imported meanwhile", f.metric)));
            }
            let change = Change {
                actor_id,
                entity: "kra-actual",
                entity_id: format!("employee:{employee_id}/actual:{}/{}", month.format("%Y-%m"), f.metric),
                action: if before.is_some() { "update" } else { "create" },
                before: before.map(|b| serde_json::json!({ "numerator": b.numerator, "denominator": b.denominator })),
                after: Some(serde_json::json!({ "numerator": f.numerator, "denominator": f.denominator })),
            };
            audit::bind(sqlx::query(audit::INSERT_SQL), &change).execute(&mut *tx).await?;
            changed = true;
        }
        if changed {
            sqlx::query(FIGURES_CHANGED).execute(&mut *tx).await?;
        }
        tx.commit().await?;
    });
    Ok(())
}
