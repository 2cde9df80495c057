//! SQLite: rows are upserted a month at a time, in key order within the month, so the B-trees
//! are appended to or walked forwards, by prepared single-row statements run on the import
//! transaction's own connection through the C library: sqlx would take each statement to the
//! connection's thread and back, and box every bound value on the way.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDate, SecondsFormat};
use rusqlite::{params, Connection};
use sqlx::SqliteConnection;

use super::{month_key, month_start, Applied, ChangedFigure, MonthRow, MonthlySum, Settings};
use crate::StoreError;

const MONTHS_SQL: &str = "INSERT INTO kpi_employee_months (employee_id, month, metrics) VALUES (?1, ?2, ?3) \
    ON CONFLICT (employee_id, month) DO UPDATE SET metrics = excluded.metrics";

const DROP_MONTH_SQL: &str = "DELETE FROM kpi_employee_months WHERE employee_id = ?1 AND month = ?2";

/// The monthly rows of a span of employees and months, to find those a daily file replaces.
const SPAN_ROWS_SQL: &str = "SELECT employee_id, month, metric FROM kra_actuals \
    WHERE employee_id BETWEEN ?1 AND ?2 AND month BETWEEN ?3 AND ?4";

const MONTH_ROWS_SQL: &str = "SELECT metric FROM kra_actuals WHERE employee_id = ?1 AND month = ?2";

const DROP_ROW_SQL: &str = "DELETE FROM kra_actuals WHERE employee_id = ?1 AND month = ?2 AND metric = ?3";

const STORED_SQL: &str = "SELECT employee_id, month, metrics FROM kpi_employee_months \
    WHERE employee_id BETWEEN ?1 AND ?2 AND month BETWEEN ?3 AND ?4";

const ACTUALS_SQL: &str =
    "INSERT INTO kra_actuals (employee_id, month, metric, numerator, denominator, source, updated_at) \
    VALUES (?1, ?2, ?3, ?4, ?5, 'import', ?6) \
    ON CONFLICT (employee_id, month, metric) DO UPDATE SET numerator = excluded.numerator, \
    denominator = excluded.denominator, source = 'import', updated_at = excluded.updated_at \
    WHERE kra_actuals.numerator <> excluded.numerator OR kra_actuals.denominator <> excluded.denominator \
    OR kra_actuals.source <> 'import'";

pub(super) struct Staging {
    metrics: Arc<Vec<Arc<str>>>,
    /// `updated_at` as sqlx writes a timestamp (RFC 3339), so every row reads back the same.
    now: String,
    /// Month keys as the text SQLite stores (what binding a `NaiveDate` writes), made once each.
    month_text: HashMap<i32, String>,
    /// A monthly file's rows before it (it counts its new rows by the table's size).
    monthly_before: Option<i64>,
    written: Written,
}

impl Staging {
    pub async fn begin(tx: &mut SqliteConnection, settings: &Settings) -> crate::Result<Staging> {
        let monthly_before = match settings.monthly {
            true => Some(count_actuals(tx).await?),
            false => None,
        };
        Ok(Staging {
            metrics: settings.metrics.clone(),
            now: settings.now.to_rfc3339_opts(SecondsFormat::AutoSi, false),
            month_text: HashMap::new(),
            monthly_before,
            written: Written::default(),
        })
    }

    /// Writes the merged employee-months and a monthly file's rows, and deletes the monthly
    /// rows a daily file's days replace.
    pub async fn put(
        &mut self,
        tx: &mut SqliteConnection,
        months: &[MonthRow],
        actuals: &[MonthlySum],
        changed: &[ChangedFigure],
    ) -> crate::Result<()> {
        let keys = months.iter().map(|r| r.month);
        for month in keys.chain(actuals.iter().map(|r| r.month)).chain(changed.iter().map(|c| c.month)) {
            self.remember_month(month);
        }
        let (month_text, metrics, now) = (&self.month_text, &self.metrics, &self.now);
        let written = crate::db::sqlite_direct(tx, |conn| {
            let mut upsert = conn.prepare_cached(MONTHS_SQL)?;
            let mut drop_month = conn.prepare_cached(DROP_MONTH_SQL)?;
            for r in months {
                match r.metrics.is_empty() {
                    true => drop_month.execute(params![r.employee_id, month_text[&r.month]])?,
                    false => upsert.execute(params![r.employee_id, month_text[&r.month], r.metrics])?,
                };
            }
            let mut upsert = conn.prepare_cached(ACTUALS_SQL)?;
            let mut written = Written::default();
            for r in actuals {
                let (month, metric) = (month_text[&r.month].as_str(), &*metrics[r.metric as usize]);
                written.monthly_changed +=
                    upsert.execute(params![r.employee_id, month, metric, r.numerator, r.denominator, now])? as u64;
            }
            written.replaced_without_days = drop_replaced(conn, changed, month_text, metrics)?;
            Ok(written)
        })
        .await?;
        self.written.monthly_changed += written.monthly_changed;
        self.written.replaced_without_days += written.replaced_without_days;
        Ok(())
    }

    /// What the writes did (nothing is staged on SQLite).
    pub async fn finish(&mut self, tx: &mut SqliteConnection) -> crate::Result<Applied> {
        let monthly_new = match self.monthly_before {
            Some(before) => count_actuals(tx).await? - before,
            None => 0,
        };
        Ok(Applied {
            monthly_new,
            monthly_changed: self.written.monthly_changed as i64,
            replaced_without_days: self.written.replaced_without_days,
        })
    }

    /// Calls `each` for the stored days of employees `employees.0..=employees.1` in month keys
    /// `months.0..=months.1`, read through the C library like the writes: a re-import reads
    /// every stored row, and sqlx would copy each across to its connection thread.
    pub async fn stored<E: From<StoreError>>(
        &mut self,
        tx: &mut SqliteConnection,
        employees: (i64, i64),
        months: (i32, i32),
        mut each: impl FnMut(i64, NaiveDate, &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        self.remember_month(months.0);
        self.remember_month(months.1);
        let (from, to) = (self.month_text[&months.0].as_str(), self.month_text[&months.1].as_str());
        crate::db::sqlite_direct(tx, |conn| {
            let mut select = conn.prepare_cached(STORED_SQL)?;
            let mut rows = select.query(params![employees.0, employees.1, from, to])?;
            while let Some(row) = rows.next()? {
                let (employee_id, month): (i64, NaiveDate) = (row.get(0)?, row.get(1)?);
                // Handed on in SQLite's own buffer: a re-import reads every stored row.
                if let Err(e) = each(employee_id, month, row.get_ref(2)?.as_blob()?) {
                    return Ok(Err(e));
                }
            }
            Ok(Ok(()))
        })
        .await?
    }

    /// Keeps a month key's text as SQLite stores it (what binding a `NaiveDate` writes).
    fn remember_month(&mut self, key: i32) {
        self.month_text.entry(key).or_insert_with(|| month_start(key).format("%Y-%m-%d").to_string());
    }
}

async fn count_actuals(tx: &mut SqliteConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM kra_actuals").fetch_one(tx).await
}

/// What [`Staging::put`] changed in `kra_actuals`.
#[derive(Debug, Default, Clone, Copy)]
struct Written {
    /// A monthly file's rows inserted or changed.
    pub monthly_changed: u64,
    /// Rows a daily file's days replaced where no days were stored before.
    pub replaced_without_days: u64,
}

/// Deletes the monthly rows of figures a daily file changed; returns how many of them had no
/// days stored before.
fn drop_replaced(
    conn: &Connection,
    changed: &[ChangedFigure],
    month_text: &HashMap<i32, String>,
    metrics: &[Arc<str>],
) -> rusqlite::Result<u64> {
    let held = match held_in_span(conn, changed, month_text)? {
        Some(held) => held,
        None => held_by_employee(conn, changed, month_text)?,
    };
    if held.is_empty() {
        return Ok(0);
    }
    let mut drop = conn.prepare_cached(DROP_ROW_SQL)?;
    let mut replaced_without_days = 0;
    for c in changed {
        let metric = &metrics[c.metric as usize];
        if held.contains(&(c.employee_id, c.month, metric.to_string())) {
            drop.execute(params![c.employee_id, month_text[&c.month], &**metric])?;
            replaced_without_days += u64::from(!c.had_days);
        }
    }
    Ok(replaced_without_days)
}

/// Monthly rows as (employee, month key, metric).
type Held = std::collections::HashSet<(i64, i32, String)>;

/// The monthly rows in the batch's span of employees and months, by one range: mostly there are
/// none. The span also holds employee-months the batch did not change, so it is given up
/// (`None`) once it has read more rows than the batch has figures.
fn held_in_span(
    conn: &Connection,
    changed: &[ChangedFigure],
    month_text: &HashMap<i32, String>,
) -> rusqlite::Result<Option<Held>> {
    let Some(first) = changed.first() else { return Ok(Some(Held::new())) };
    let (mut employees, mut months) = ((first.employee_id, first.employee_id), (first.month, first.month));
    for c in changed {
        employees = (employees.0.min(c.employee_id), employees.1.max(c.employee_id));
        months = (months.0.min(c.month), months.1.max(c.month));
    }
    let mut select = conn.prepare_cached(SPAN_ROWS_SQL)?;
    let mut rows = select.query(params![employees.0, employees.1, month_text[&months.0], month_text[&months.1]])?;
    let mut held = Held::new();
    while let Some(row) = rows.next()? {
        if held.len() == changed.len() {
            return Ok(None);
        }
        held.insert((row.get(0)?, month_key(row.get(1)?), row.get(2)?));
    }
    Ok(Some(held))
}

/// The monthly rows of each employee-month the batch changed, a lookup each.
fn held_by_employee(
    conn: &Connection,
    changed: &[ChangedFigure],
    month_text: &HashMap<i32, String>,
) -> rusqlite::Result<Held> {
    let mut select = conn.prepare_cached(MONTH_ROWS_SQL)?;
    let mut held = Held::new();
    for c in changed.chunk_by(|a, b| (a.employee_id, a.month) == (b.employee_id, b.month)).map(|g| &g[0]) {
        let mut rows = select.query(params![c.employee_id, month_text[&c.month]])?;
        while let Some(row) = rows.next()? {
            held.insert((c.employee_id, c.month, row.get(0)?));
        }
    }
    Ok(held)
}
