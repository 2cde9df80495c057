//! SQLite: rows are read and upserted with prepared multi-row statements inside the import's
//! transaction, in key order, so the B-trees are appended to or walked forwards.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::{Sqlite, SqliteConnection, Transaction};

use crate::merge::{month_start, Packed};

/// Rows per INSERT statement: at most 6 parameters each, well under SQLite's limit of 32,766.
const ROWS_PER_STATEMENT: usize = 500;

pub(crate) struct SqliteWriter {
    tx: Transaction<'static, Sqlite>,
    source_file: String,
    metrics: Arc<Vec<Arc<str>>>,
    now: DateTime<Utc>,
    /// Month keys as the text SQLite stores (what binding a `NaiveDate` writes), made once each.
    month_text: HashMap<i32, String>,
}

/// Anonymous `?` placeholders: SQLite looks a numbered or named parameter's name up in a list,
/// which made binding a 3,000-parameter statement quadratic.
fn values(rows: usize, row: &str) -> String {
    let mut sql = String::with_capacity(rows * (row.len() + 1));
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push_str(row);
    }
    sql
}

fn days_sql(rows: usize) -> String {
    format!(
        "INSERT INTO kpi_month_days (employee_id, month, metric, days, source_file) VALUES {} \
         ON CONFLICT (employee_id, month, metric) DO UPDATE SET days = excluded.days, source_file = excluded.source_file",
        values(rows, "(?,?,?,?,?)")
    )
}

fn actuals_sql(rows: usize) -> String {
    format!(
        "INSERT INTO kra_actuals (employee_id, month, metric, numerator, denominator, source, updated_at) VALUES {} \
         ON CONFLICT (employee_id, month, metric) DO UPDATE SET numerator = excluded.numerator, \
         denominator = excluded.denominator, source = 'import', updated_at = excluded.updated_at \
         WHERE kra_actuals.numerator <> excluded.numerator OR kra_actuals.denominator <> excluded.denominator \
         OR kra_actuals.source <> 'import'",
        values(rows, "(?,?,?,?,?,'import',?)")
    )
}

impl SqliteWriter {
    pub async fn begin(
        pool: &sqlx::SqlitePool,
        source_file: &str,
        metrics: Arc<Vec<Arc<str>>>,
        now: DateTime<Utc>,
    ) -> Result<SqliteWriter, sqlx::Error> {
        Ok(SqliteWriter {
            tx: pool.begin().await?,
            source_file: source_file.to_string(),
            metrics,
            now,
            month_text: HashMap::new(),
        })
    }

    pub async fn count_actuals(&mut self) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT count(*) FROM kra_actuals").fetch_one(&mut *self.tx).await
    }

    /// Writes the rows' days (when they have them) and monthly sums; returns how many monthly
    /// rows were inserted or changed.
    pub async fn put(&mut self, rows: &[Packed]) -> Result<u64, sqlx::Error> {
        for r in rows {
            self.month_text.entry(r.month).or_insert_with(|| month_start(r.month).format("%Y-%m-%d").to_string());
        }
        let month = |r: &Packed| self.month_text[&r.month].as_str();
        let mut changed = 0;
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let with_days: Vec<&Packed> = chunk.iter().filter(|r| r.days.is_some()).collect();
            if !with_days.is_empty() {
                let sql = days_sql(with_days.len());
                let mut q = sqlx::query(&sql);
                for r in with_days {
                    q = q
                        .bind(r.employee_id)
                        .bind(month(r))
                        .bind(&*self.metrics[r.metric as usize])
                        .bind(r.days.as_deref())
                        .bind(self.source_file.as_str());
                }
                q.execute(&mut *self.tx).await?;
            }
            let sql = actuals_sql(chunk.len());
            let mut q = sqlx::query(&sql);
            for r in chunk {
                q = q
                    .bind(r.employee_id)
                    .bind(month(r))
                    .bind(&*self.metrics[r.metric as usize])
                    .bind(r.numerator)
                    .bind(r.denominator)
                    .bind(self.now);
            }
            changed += q.execute(&mut *self.tx).await?.rows_affected();
        }
        Ok(changed)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_have_a_placeholder_per_value() {
        assert!(days_sql(2).contains("VALUES (?,?,?,?,?),(?,?,?,?,?) ON CONFLICT"));
        assert_eq!(actuals_sql(3).matches('?').count(), 18);
    }
}
