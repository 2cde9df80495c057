//! Monthly KRA figures: read from where each is kept (a row of `kra_actuals`, or the days a daily
//! import packed into `kpi_employee_months`), and typed in by hand.

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::{EmployeeId, UserId};
use rusqlite::Row;
use serde::{Deserialize, Serialize};

use super::{FIGURES_CHANGED, FIGURES_LOCK};
use crate::audit::{self, Change};
use crate::{on_db, read, Db, Result, StoreError};

/// One month's sums of one metric for one employee: what scoring reads, without the row's
/// source and time.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Figure {
    pub employee_id: EmployeeId,
    pub metric: String,
    pub numerator: f64,
    pub denominator: f64,
}

/// The month's figures of many employees, by employee then metric.
pub async fn figures_of(db: &Db, employee_ids: &[EmployeeId], month: NaiveDate) -> Result<Vec<Figure>> {
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
pub async fn actuals_of(
    db: &Db,
    employee_ids: &[EmployeeId],
    from: NaiveDate,
    through: NaiveDate,
) -> Result<Vec<Actual>> {
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
    employee_id: EmployeeId,
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
    pub employee_id: EmployeeId,
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
    employee_id: EmployeeId,
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
pub async fn actuals(db: &Db, employee_id: EmployeeId, from: NaiveDate, through: NaiveDate) -> Result<Vec<Actual>> {
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

/// PostgreSQL's SQLSTATE for a lock wait that ran out of `lock_timeout`.
const LOCK_NOT_AVAILABLE: &str = "55P03";

/// A tag of a month's figures as stored (metric, numbers, source, in metric order): what a
/// person saw before typing, compared when they save (HTTP's ETag and If-Match), so figures
/// changed meanwhile by an import or another person are not overwritten unseen.
pub fn figures_tag<'a>(figures: impl IntoIterator<Item = (&'a str, f64, f64, Source)>) -> String {
    use sha2::{Digest, Sha256};
    let mut sorted: Vec<_> = figures.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut hash = Sha256::new();
    for (metric, numerator, denominator, source) in sorted {
        hash.update(format!("{metric}|{numerator:?}|{denominator:?}|{source:?};").as_bytes());
    }
    hex::encode(&hash.finalize()[..12])
}

/// [`figures_tag`] of stored rows.
pub fn rows_tag(rows: &[Actual]) -> String {
    figures_tag(rows.iter().map(|a| (a.metric.as_str(), a.numerator, a.denominator, a.source)))
}

/// The checks on the month's figures as they are now, once no import can write meanwhile.
fn check_manual(existing: &[Actual], figures: &[ManualFigure], month: NaiveDate, seen: Option<&str>) -> Result<()> {
    if let Some(imported) =
        figures.iter().find(|f| existing.iter().any(|a| a.metric == f.metric && a.source == Source::Import))
    {
        return Err(StoreError::Conflict(format!(
            "{} for {} was imported from the contact-centre platform and cannot be changed by hand",
            imported.metric,
            month.format("%Y-%m")
        )));
    }
    if seen.is_some_and(|seen| seen != rows_tag(existing)) {
        return Err(StoreError::Stale(format!(
            "the figures for {} changed since you opened them (an import or another person); \
             reload to see them and type yours again",
            month.format("%Y-%m")
        )));
    }
    Ok(())
}

/// Saves hand-typed figures for a month in one transaction. Imported figures are never
/// overwritten by hand: a metric that already holds an imported value is a conflict.
pub async fn put_manual(
    db: &Db,
    employee_id: EmployeeId,
    month: NaiveDate,
    figures: &[ManualFigure],
    actor_id: Option<UserId>,
) -> Result<()> {
    put_manual_if_unchanged(db, employee_id, month, figures, actor_id, None).await
}

/// [`put_manual`], refused when `seen` (the [`figures_tag`] of what the person saw) is not
/// the month's figures any more.
pub async fn put_manual_if_unchanged(
    db: &Db,
    employee_id: EmployeeId,
    month: NaiveDate,
    figures: &[ManualFigure],
    actor_id: Option<UserId>,
    seen: Option<&str>,
) -> Result<()> {
    let upsert = "INSERT INTO kra_actuals (employee_id, month, metric, numerator, denominator, source, updated_at)
        VALUES ($1, $2, $3, $4, $5, 'manual', $6)
        ON CONFLICT (employee_id, month, metric) DO UPDATE SET numerator = excluded.numerator,
            denominator = excluded.denominator, updated_at = excluded.updated_at
        WHERE kra_actuals.source = 'manual'";
    let now = Utc::now();
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
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
        // Read once this transaction holds SQLite's write lock or the figures' shared lock on
        // PostgreSQL: an import cannot change them between this check and the write.
        let existing = actuals(db, employee_id, month, month).await?;
        check_manual(&existing, figures, month, seen)?;
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
            // The month's stored score is stale from this commit on (the caller recomputes it).
            sqlx::query(crate::scores::ENQUEUE_EMPLOYEE).bind(employee_id).bind(month).bind(month).bind(crate::scores::fresh_stamp())
                .execute(&mut *tx).await?;
        }
        tx.commit().await?;
    });
    Ok(())
}
