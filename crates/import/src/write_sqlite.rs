//! SQLite: facts are upserted with prepared multi-row statements inside one transaction. The
//! upsert only rewrites a row whose sums differ, so the rows it touches are exactly the new and
//! updated ones; counting the table before and after splits them.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sqlx::{Sqlite, SqliteConnection, Transaction};

use crate::kpi::Fact;
use crate::mapping::Grain;
use crate::report::Counts;
use crate::ImportLog;

/// Rows per INSERT statement: 6 parameters each, well under SQLite's limit of 32,766.
const ROWS_PER_STATEMENT: usize = 500;

pub(crate) struct SqliteWriter {
    tx: Transaction<'static, Sqlite>,
    grain: Grain,
    source_file: String,
    metrics: Arc<Vec<Arc<str>>>,
    now: DateTime<Utc>,
    before: i64,
    affected: u64,
    written: u64,
    full_sql: String,
    /// (employee, month) whose daily facts changed: their monthly sums are recomputed.
    touched: HashSet<(i64, i32)>,
}

/// Anonymous `?` placeholders: SQLite looks a numbered or named parameter's name up in a list,
/// which made binding a 3,000-parameter statement quadratic.
fn insert_sql(grain: Grain, rows: usize) -> String {
    let mut sql = String::with_capacity(160 + rows * 24);
    match grain {
        Grain::Day => sql
            .push_str("INSERT INTO kpi_daily (employee_id, day, metric, numerator, denominator, source_file) VALUES "),
        Grain::Month => sql.push_str(
            "INSERT INTO kra_actuals (employee_id, month, metric, numerator, denominator, source, updated_at) VALUES ",
        ),
    }
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        match grain {
            Grain::Day => sql.push_str("(?,?,?,?,?,?)"),
            Grain::Month => sql.push_str("(?,?,?,?,?,'import',?)"),
        }
    }
    match grain {
        Grain::Day => sql.push_str(
            " ON CONFLICT (employee_id, day, metric) DO UPDATE SET numerator = excluded.numerator, \
             denominator = excluded.denominator, source_file = excluded.source_file \
             WHERE kpi_daily.numerator <> excluded.numerator OR kpi_daily.denominator <> excluded.denominator",
        ),
        Grain::Month => sql.push_str(UPSERT_ACTUALS),
    }
    sql
}

const UPSERT_ACTUALS: &str = " ON CONFLICT (employee_id, month, metric) DO UPDATE SET numerator = excluded.numerator, \
    denominator = excluded.denominator, source = 'import', updated_at = excluded.updated_at \
    WHERE kra_actuals.numerator <> excluded.numerator OR kra_actuals.denominator <> excluded.denominator \
    OR kra_actuals.source <> 'import'";

fn target(grain: Grain) -> &'static str {
    match grain {
        Grain::Day => "SELECT count(*) FROM kpi_daily",
        Grain::Month => "SELECT count(*) FROM kra_actuals",
    }
}

impl SqliteWriter {
    pub async fn begin(
        pool: &sqlx::SqlitePool,
        grain: Grain,
        source_file: &str,
        metrics: Arc<Vec<Arc<str>>>,
    ) -> Result<SqliteWriter, sqlx::Error> {
        let mut tx = pool.begin().await?;
        let before: i64 = sqlx::query_scalar(target(grain)).fetch_one(&mut *tx).await?;
        Ok(SqliteWriter {
            tx,
            grain,
            source_file: source_file.to_string(),
            metrics,
            now: Utc::now(),
            before,
            affected: 0,
            written: 0,
            full_sql: insert_sql(grain, ROWS_PER_STATEMENT),
            touched: HashSet::new(),
        })
    }

    pub async fn write(&mut self, facts: &[Fact]) -> Result<(), sqlx::Error> {
        for chunk in facts.chunks(ROWS_PER_STATEMENT) {
            let partial;
            let sql = if chunk.len() == ROWS_PER_STATEMENT {
                &self.full_sql
            } else {
                partial = insert_sql(self.grain, chunk.len());
                &partial
            };
            let mut q = sqlx::query(sql);
            for f in chunk {
                q = q
                    .bind(f.employee_id)
                    .bind(f.day)
                    .bind(&*self.metrics[f.metric as usize])
                    .bind(f.numerator)
                    .bind(f.denominator);
                q = match self.grain {
                    Grain::Day => q.bind(self.source_file.as_str()),
                    Grain::Month => q.bind(self.now),
                };
            }
            let n = q.execute(&mut *self.tx).await?.rows_affected();
            self.affected += n;
            self.written += chunk.len() as u64;
            if n > 0 && self.grain == Grain::Day {
                // Some fact of this chunk changed: recompute every month it covers (cheap, and
                // the recompute itself only rewrites monthly rows that differ).
                self.touched.extend(chunk.iter().map(|f| (f.employee_id, month_key(f.day))));
            }
        }
        Ok(())
    }

    /// Counts the facts, then (daily files) recomputes the monthly actuals they changed.
    pub async fn finish(&mut self, now: DateTime<Utc>) -> Result<(Counts, Option<Counts>), sqlx::Error> {
        let after: i64 = sqlx::query_scalar(target(self.grain)).fetch_one(&mut *self.tx).await?;
        let new = (after - self.before) as u64;
        let facts = Counts { new, updated: self.affected - new, unchanged: self.written - self.affected };
        if self.grain == Grain::Month {
            return Ok((facts, None));
        }
        let conn: &mut SqliteConnection = &mut self.tx;
        sqlx::query(
            "CREATE TEMP TABLE IF NOT EXISTS import_touched (employee_id INTEGER NOT NULL, month TEXT NOT NULL, \
             next_month TEXT NOT NULL, PRIMARY KEY (employee_id, month)) WITHOUT ROWID",
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM import_touched").execute(&mut *conn).await?;
        let mut touched: Vec<(i64, i32)> = self.touched.drain().collect();
        touched.sort_unstable();
        for chunk in touched.chunks(ROWS_PER_STATEMENT) {
            let values: Vec<String> = (0..chunk.len()).map(|_| "(?,?,?)".to_string()).collect();
            let sql = format!("INSERT INTO import_touched VALUES {}", values.join(","));
            let mut q = sqlx::query(&sql);
            for (employee, month) in chunk {
                let (first, next) = month_bounds(*month);
                q = q.bind(employee).bind(first).bind(next);
            }
            q.execute(&mut *conn).await?;
        }
        let before: i64 = sqlx::query_scalar("SELECT count(*) FROM kra_actuals").fetch_one(&mut *conn).await?;
        let sql = format!(
            "INSERT INTO kra_actuals (employee_id, month, metric, numerator, denominator, source, updated_at)
             SELECT d.employee_id, t.month, d.metric, sum(d.numerator), sum(d.denominator), 'import', ?1
             FROM import_touched t JOIN kpi_daily d
               ON d.employee_id = t.employee_id AND d.day >= t.month AND d.day < t.next_month
             WHERE true
             GROUP BY d.employee_id, t.month, d.metric{UPSERT_ACTUALS}"
        );
        let changed = sqlx::query(&sql).bind(now).execute(&mut *conn).await?.rows_affected();
        let after: i64 = sqlx::query_scalar("SELECT count(*) FROM kra_actuals").fetch_one(&mut *conn).await?;
        let in_touched: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM import_touched t JOIN kra_actuals a ON a.employee_id = t.employee_id AND a.month = t.month",
        )
        .fetch_one(&mut *conn)
        .await?;
        let new = (after - before) as u64;
        let monthly = Counts { new, updated: changed - new, unchanged: (in_touched as u64).saturating_sub(changed) };
        Ok((facts, Some(monthly)))
    }

    pub fn connection(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

/// A month as a number (year × 12 + month − 1).
pub(crate) fn month_key(day: NaiveDate) -> i32 {
    day.year() * 12 + day.month0() as i32
}

/// The first day of a month key and of the month after.
pub(crate) fn month_bounds(key: i32) -> (NaiveDate, NaiveDate) {
    let first = |k: i32| NaiveDate::from_ymd_opt(k.div_euclid(12), k.rem_euclid(12) as u32 + 1, 1).expect("valid");
    (first(key), first(key + 1))
}

/// Writes the `imports` row of a committed import.
pub(crate) async fn record_import(conn: &mut SqliteConnection, log: &ImportLog<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO imports (kind, file_name, sha256, mapping, rows, rows_new, rows_updated, rows_unchanged,
             started_at, finished_at, imported_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(log.kind.as_str())
    .bind(log.file_name)
    .bind(log.sha256)
    .bind(log.mapping)
    .bind(log.rows as i64)
    .bind(log.counts.new as i64)
    .bind(log.counts.updated as i64)
    .bind(log.counts.unchanged as i64)
    .bind(log.started_at)
    .bind(Utc::now())
    .bind(log.imported_by)
    .fetch_one(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_keys_round_trip() {
        let d = NaiveDate::from_ymd_opt(2025, 12, 17).unwrap();
        let (first, next) = month_bounds(month_key(d));
        assert_eq!(first, NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
        assert_eq!(next, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    }

    #[test]
    fn statements_have_a_placeholder_per_value() {
        let sql = insert_sql(Grain::Day, 2);
        assert!(sql.contains("VALUES (?,?,?,?,?,?),(?,?,?,?,?,?) ON CONFLICT"));
        assert_eq!(insert_sql(Grain::Month, 3).matches('?').count(), 18);
    }
}
