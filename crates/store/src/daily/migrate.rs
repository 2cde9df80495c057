//! The data migrations of daily facts: steps SQL alone cannot do, run after the schema's
//! migrations ([`crate::Db::migrate`]); each does nothing once done.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use ladder_core::period::Month;

use super::codec::{pack_metrics, unpack_metrics, DecodeError, MetricDays, MonthDays};
use crate::{Backend, Db};

/// Packs the rows of the one-row-per-fact table of earlier versions (`kpi_daily`) into
/// `kpi_employee_months` (each metric naming the last import of its file), then drops it, in one
/// transaction. Runs after the migrations; does nothing once the old table is gone. Returns the
/// number of facts packed.
pub async fn pack_legacy(db: &Db) -> crate::Result<u64> {
    if !table_exists(db, "kpi_daily").await? {
        return Ok(0);
    }
    type Fact = (NaiveDate, String, f64, f64, String);
    let packed = crate::on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        if db.backend() == Backend::Postgres {
            // See pack_metrics_by_month.
            sqlx::query("LOCK TABLE kpi_daily IN EXCLUSIVE MODE").execute(&mut *tx).await?;
        }
        let imports: HashMap<String, i64> =
            sqlx::query_as("SELECT file_name, max(id) FROM imports WHERE kind = 'kpi' GROUP BY file_name")
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
        let employees: Vec<i64> =
            sqlx::query_scalar("SELECT DISTINCT employee_id FROM kpi_daily ORDER BY employee_id").fetch_all(&mut *tx).await?;
        let mut packed = 0u64;
        for employee in employees {
            let mut facts: Vec<Fact> = sqlx::query_as(
                "SELECT day, metric, numerator, denominator, source_file FROM kpi_daily WHERE employee_id = $1",
            )
            .bind(employee)
            .fetch_all(&mut *tx)
            .await?;
            facts.sort_by(|a, b| (Month::of(a.0), &a.1, a.0).cmp(&(Month::of(b.0), &b.1, b.0)));
            packed += facts.len() as u64;
            for month in facts.chunk_by(|a, b| Month::of(a.0) == Month::of(b.0)) {
                let metrics: Vec<(&str, Option<i64>, Vec<u8>)> = month
                    .chunk_by(|a, b| a.1 == b.1)
                    .map(|metric| {
                        let mut days = MonthDays::default();
                        for (day, _, numerator, denominator, _) in metric {
                            days.set(day.day(), (*numerator, *denominator));
                        }
                        let last = metric.last().expect("chunks are not empty");
                        (last.1.as_str(), imports.get(&last.4).copied(), days.encode())
                    })
                    .collect();
                let metrics = metrics.iter().map(|(metric, import_id, days)| MetricDays { metric, import_id: *import_id, days }).collect();
                sqlx::query("INSERT INTO kpi_employee_months (employee_id, month, metrics) VALUES ($1, $2, $3)")
                    .bind(employee)
                    .bind(Month::of(month[0].0).first_day())
                    .bind(pack_metrics(metrics))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        sqlx::query("DROP TABLE kpi_daily").execute(&mut *tx).await?;
        tx.commit().await?;
        packed
    });
    if packed > 0 {
        tracing::info!(facts = packed, "packed the daily facts of kpi_daily into kpi_employee_months");
    }
    Ok(packed)
}

/// Moves the rows of `kpi_month_days` (a row per employee, month and metric: versions 4–6)
/// into `kpi_employee_months`, their days as they are, then drops it, in one transaction. A
/// month already there (packed from `kpi_daily` beside it) keeps the metrics the moved rows do
/// not have. Runs after the migrations; does nothing once the old table is gone. Returns the
/// number of rows moved.
pub async fn pack_metrics_by_month(db: &Db) -> crate::Result<u64> {
    if !table_exists(db, "kpi_month_days").await? {
        return Ok(0);
    }
    type Row = (NaiveDate, String, Vec<u8>, Option<i64>);
    let moved = crate::on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        if db.backend() == Backend::Postgres {
            // Keeps writers out while the rows move: a server of the version before, still
            // running, could otherwise write rows already moved, and they would go with the
            // table. (A SQLite writer makes this step fail instead; it can be run again.)
            sqlx::query("LOCK TABLE kpi_month_days IN EXCLUSIVE MODE").execute(&mut *tx).await?;
        }
        let employees: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT employee_id FROM kpi_month_days ORDER BY employee_id")
            .fetch_all(&mut *tx)
            .await?;
        if !employees.is_empty() {
            // Once per database, and a while for a large one.
            tracing::info!(employees = employees.len(), "packing kpi_month_days a row per employee and month");
        }
        let mut moved = 0u64;
        for employee in employees {
            let rows: Vec<Row> = sqlx::query_as(
                "SELECT month, metric, days, import_id FROM kpi_month_days WHERE employee_id = $1 ORDER BY month, metric",
            )
            .bind(employee)
            .fetch_all(&mut *tx)
            .await?;
            moved += rows.len() as u64;
            let packed: HashMap<NaiveDate, Vec<u8>> =
                sqlx::query_as("SELECT month, metrics FROM kpi_employee_months WHERE employee_id = $1")
                    .bind(employee)
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .collect();
            for month in rows.chunk_by(|a, b| a.0 == b.0) {
                let mut metrics: Vec<MetricDays> = month
                    .iter()
                    .map(|(_, metric, days, import_id)| MetricDays { metric, import_id: *import_id, days })
                    .collect();
                if let Some(before) = packed.get(&month[0].0) {
                    let before = unpack_metrics(before).map_err(|e| {
                        crate::StoreError::Invalid(format!("kpi_employee_months of employee {employee}, {}: {e}", month[0].0))
                    })?;
                    metrics.extend(before.into_iter().filter(|b| month.iter().all(|row| row.1 != b.metric)));
                }
                sqlx::query(
                    "INSERT INTO kpi_employee_months (employee_id, month, metrics) VALUES ($1, $2, $3)
                     ON CONFLICT (employee_id, month) DO UPDATE SET metrics = excluded.metrics",
                )
                .bind(employee)
                .bind(month[0].0)
                .bind(pack_metrics(metrics))
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query("DROP TABLE kpi_month_days").execute(&mut *tx).await?;
        tx.commit().await?;
        moved
    });
    if moved > 0 {
        tracing::info!(rows = moved, "packed the rows of kpi_month_days into kpi_employee_months");
    }
    Ok(moved)
}

/// Version 9: removes the copies earlier versions kept in `kra_actuals` of the figures a daily
/// import keeps with their days, so each figure is in one place. A copy equal to the days'
/// total (up to rounding: see [`is_copy`]) goes; one that differs was written later (a monthly
/// file) and stays, and the days it replaced go instead. In one transaction, with the marker
/// table the migration made; does nothing once that is gone. Returns the number of copies
/// removed.
pub async fn keep_figures_in_one_place(db: &Db) -> crate::Result<u64> {
    keep_figures_in_one_place_by(db, 1000).await
}

/// [`keep_figures_in_one_place`], reading `employees_at_a_time` employees' rows at a time.
#[doc(hidden)]
pub async fn keep_figures_in_one_place_by(db: &Db, employees_at_a_time: i64) -> crate::Result<u64> {
    const MARKER: &str = "figures_in_two_places";
    if !table_exists(db, MARKER).await? {
        return Ok(0);
    }
    type Packed = (i64, NaiveDate, Vec<u8>);
    type Figure = (i64, NaiveDate, String, f64, f64);
    let backend = db.backend();
    let (removed, skipped) = crate::on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        if backend == Backend::Postgres {
            // Keeps writers out while figures move, and makes a second server starting beside
            // this one wait here, then find the work done. (A server of a version before 9
            // still running afterwards would write copies again: stop those before upgrading.)
            sqlx::query("LOCK TABLE kra_actuals, kpi_employee_months IN EXCLUSIVE MODE").execute(&mut *tx).await?;
            let marker: i64 = sqlx::query_scalar(TABLE_EXISTS_POSTGRES).bind(MARKER).fetch_one(&mut *tx).await?;
            if marker == 0 {
                return Ok(0);
            }
        }
        let (mut removed, mut skipped) = (0u64, 0u64);
        let mut after = i64::MIN;
        loop {
            let next: Option<i64> = sqlx::query_scalar(
                "SELECT employee_id FROM kpi_employee_months WHERE employee_id > $1 ORDER BY employee_id LIMIT 1",
            )
            .bind(after)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(first) = next else { break };
            let last = first.saturating_add(employees_at_a_time - 1);
            let packed: Vec<Packed> = sqlx::query_as(
                "SELECT employee_id, month, metrics FROM kpi_employee_months WHERE employee_id BETWEEN $1 AND $2",
            )
            .bind(first)
            .bind(last)
            .fetch_all(&mut *tx)
            .await?;
            let figures: Vec<Figure> = sqlx::query_as(
                "SELECT employee_id, month, metric, numerator, denominator FROM kra_actuals
                 WHERE employee_id BETWEEN $1 AND $2",
            )
            .bind(first)
            .bind(last)
            .fetch_all(&mut *tx)
            .await?;
            let figures: HashMap<(i64, NaiveDate, &str), (f64, f64)> =
                figures.iter().map(|(e, m, metric, n, d)| ((*e, *m, metric.as_str()), (*n, *d))).collect();
            let mut copies = Vec::new();
            for (employee_id, month, bytes) in &packed {
                let Ok(sorted) = sort_month(bytes, |metric| figures.get(&(*employee_id, *month, metric)).copied())
                else {
                    // Left as it is: reading it fails with the damage named, and one damaged
                    // month must not keep every server from starting.
                    tracing::warn!(employee_id, %month, "kpi_employee_months: damaged days left as they are");
                    skipped += 1;
                    continue;
                };
                if sorted.damaged > 0 {
                    tracing::warn!(employee_id, %month, metrics = sorted.damaged, "damaged days left as they are");
                    skipped += 1;
                }
                copies.extend(sorted.copies.iter().map(|metric| (*employee_id, month.to_string(), *metric)));
                if sorted.kept.len() == sorted.held {
                    continue;
                }
                let sql = if sorted.kept.is_empty() {
                    "DELETE FROM kpi_employee_months WHERE employee_id = $1 AND month = $2 AND $3 = $3"
                } else {
                    "UPDATE kpi_employee_months SET metrics = $3 WHERE employee_id = $1 AND month = $2"
                };
                sqlx::query(sql).bind(employee_id).bind(month).bind(pack_metrics(sorted.kept)).execute(&mut *tx).await?;
            }
            if !copies.is_empty() {
                let keys = serde_json::to_string(&copies).expect("keys serialise");
                removed += sqlx::query(delete_figures_sql(backend)).bind(keys).execute(&mut *tx).await?.rows_affected();
            }
            after = last;
        }
        sqlx::query(&format!("DROP TABLE {MARKER}")).execute(&mut *tx).await?;
        tx.commit().await?;
        (removed, skipped)
    });
    if removed > 0 {
        tracing::info!(figures = removed, "removed the copies of daily-imported figures from kra_actuals");
    }
    if skipped > 0 {
        tracing::warn!(months = skipped, "employee-months with damaged days were left as they were");
    }
    Ok(removed)
}

/// Deletes the `kra_actuals` rows a JSON array of `[employee_id, "month", "metric"]` names.
fn delete_figures_sql(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "DELETE FROM kra_actuals WHERE (employee_id, month, metric) IN
             (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
              FROM json_each($1))"
        }
        Backend::Postgres => {
            "DELETE FROM kra_actuals a USING jsonb_array_elements(CAST($1 AS jsonb)) x
             WHERE a.employee_id = (x->>0)::bigint AND a.month = (x->>1)::date AND a.metric = x->>2"
        }
    }
}

/// An employee-month's metrics sorted by where their figure stays.
struct SortedMonth<'a> {
    held: usize,
    /// Metrics whose days stay.
    kept: Vec<MetricDays<'a>>,
    /// Metrics whose monthly row is a copy of their days' total, to remove.
    copies: Vec<&'a str>,
    /// Metrics with a monthly row whose days cannot be read: both are left as they are.
    damaged: usize,
}

/// Sorts a packed month's metrics by `monthly`, the monthly row of a metric, if any: without
/// one, or with a copy of the days' total, the days stay; with a different figure (a monthly
/// file came later) they go.
fn sort_month<'a>(
    packed: &'a [u8],
    monthly: impl Fn(&str) -> Option<(f64, f64)>,
) -> Result<SortedMonth<'a>, DecodeError> {
    let metrics = unpack_metrics(packed)?;
    let mut sorted =
        SortedMonth { held: metrics.len(), kept: Vec::with_capacity(metrics.len()), copies: Vec::new(), damaged: 0 };
    for m in metrics {
        let Some(row) = monthly(m.metric) else {
            sorted.kept.push(m);
            continue;
        };
        match MonthDays::decode(m.days) {
            Ok(days) if is_copy(&days, row) => sorted.copies.push(m.metric),
            Ok(_) => continue,
            // Left in both places: which one holds the figure cannot be told.
            Err(_) => sorted.damaged += 1,
        }
        sorted.kept.push(m);
    }
    Ok(sorted)
}

/// Whether a monthly row holds the total of `days`. Earlier versions added the days in day order
/// (bit for bit [`MonthDays::total`]) or, before version 4, by SQL `SUM` in any order. Two
/// orders of at most 31 values round apart by less than 2 × 30 × 2^−53 ≈ 6.7e−15 of the days'
/// absolute sum; within 1e−12 of it (150 times that) a figure is the same figure.
fn is_copy(days: &MonthDays, row: (f64, f64)) -> bool {
    let total = days.total();
    let scale = days.iter().fold((0.0, 0.0), |(n, d), (_, num, den)| (n + num.abs(), d + den.abs()));
    let same = |total: f64, scale: f64, row: f64| total == row || (total - row).abs() <= scale * 1e-12;
    same(total.0, scale.0, row.0) && same(total.1, scale.1, row.1)
}

const TABLE_EXISTS_POSTGRES: &str =
    "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1";

async fn table_exists(db: &Db, table: &str) -> crate::Result<bool> {
    let sql = match db.backend() {
        Backend::Sqlite => "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
        Backend::Postgres => TABLE_EXISTS_POSTGRES,
    };
    let found: i64 = crate::on_db!(db, p => sqlx::query_scalar(sql).bind(table).fetch_one(p).await?);
    Ok(found > 0)
}
