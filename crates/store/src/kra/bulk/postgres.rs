//! PostgreSQL: the rows to write are streamed with `COPY … FROM STDIN` into temporary staging
//! tables as the import goes, sorted by month and employee, then applied by a few statements at
//! the end (the employee-months; a monthly file's rows, counting what that inserted and changed;
//! the monthly rows a daily file's days replace), all inside the import's transaction.

use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::PgConnection;

use super::{month_start, Applied, ChangedFigure, MonthRow, MonthlySum, Settings};
use crate::StoreError;

pub(super) struct Staging {
    metrics: Arc<Vec<Arc<str>>>,
    now: DateTime<Utc>,
    buffer: String,
}

impl Staging {
    pub async fn begin(tx: &mut PgConnection, settings: &Settings) -> Result<Staging, sqlx::Error> {
        for sql in [
            "CREATE TEMP TABLE import_stage_months (employee_id BIGINT NOT NULL, month DATE NOT NULL,
                metrics BYTEA NOT NULL) ON COMMIT DROP",
            "CREATE TEMP TABLE import_stage (employee_id BIGINT NOT NULL, month DATE NOT NULL, metric TEXT NOT NULL,
                numerator DOUBLE PRECISION NOT NULL, denominator DOUBLE PRECISION NOT NULL) ON COMMIT DROP",
            "CREATE TEMP TABLE import_stage_changed (employee_id BIGINT NOT NULL, month DATE NOT NULL,
                metric TEXT NOT NULL, had_days BOOLEAN NOT NULL) ON COMMIT DROP",
        ] {
            sqlx::query(sql).execute(&mut *tx).await?;
        }
        let (metrics, now) = (settings.metrics.clone(), settings.now);
        Ok(Staging { metrics, now, buffer: String::with_capacity(1 << 20) })
    }

    /// Stages the rows; [`Staging::apply`] writes them.
    pub async fn put(
        &mut self,
        tx: &mut PgConnection,
        months: &[MonthRow],
        actuals: &[MonthlySum],
        changed: &[ChangedFigure],
    ) -> crate::Result<()> {
        // Text COPY format: tab-separated, bytea as \\x-prefixed hex; metric ids and dates hold
        // no tabs or backslashes.
        self.buffer.clear();
        for r in months {
            let _ =
                writeln!(self.buffer, "{}\t{}\t\\\\x{}", r.employee_id, month_start(r.month), hex::encode(&r.metrics));
        }
        self.copy(tx, "COPY import_stage_months (employee_id, month, metrics) FROM STDIN").await?;
        self.buffer.clear();
        for r in actuals {
            let metric = &self.metrics[r.metric as usize];
            let month = month_start(r.month);
            let _ = writeln!(self.buffer, "{}\t{month}\t{metric}\t{}\t{}", r.employee_id, r.numerator, r.denominator);
        }
        self.copy(tx, "COPY import_stage (employee_id, month, metric, numerator, denominator) FROM STDIN").await?;
        self.buffer.clear();
        for c in changed {
            let metric = &self.metrics[c.metric as usize];
            let _ = writeln!(self.buffer, "{}\t{}\t{metric}\t{}", c.employee_id, month_start(c.month), c.had_days);
        }
        self.copy(tx, "COPY import_stage_changed (employee_id, month, metric, had_days) FROM STDIN").await?;
        Ok(())
    }

    /// Sends the buffer by `statement`, if it holds anything.
    async fn copy(&mut self, conn: &mut PgConnection, statement: &str) -> Result<(), sqlx::Error> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let mut copy = conn.copy_in_raw(statement).await?;
        if let Err(e) = copy.send(self.buffer.as_bytes()).await {
            copy.abort("import failed").await.ok();
            return Err(e);
        }
        copy.finish().await?;
        Ok(())
    }

    /// Writes what is staged.
    pub async fn apply(&mut self, conn: &mut PgConnection) -> crate::Result<Applied> {
        // No ORDER BY: the rows were staged sorted by month and employee (the reader sorts them;
        // metrics by framework position, not by id), a scan of the fresh staging table returns
        // them so, and sorting them again by the key spilled to disk for little locality.
        sqlx::query(
            "INSERT INTO kpi_employee_months AS k (employee_id, month, metrics)
             SELECT employee_id, month, metrics FROM import_stage_months WHERE length(metrics) > 0
             ON CONFLICT (employee_id, month) DO UPDATE SET metrics = EXCLUDED.metrics",
        )
        .execute(&mut *conn)
        .await?;
        // An employee-month whose every metric a monthly file replaced.
        sqlx::query(
            "DELETE FROM kpi_employee_months k USING import_stage_months s
             WHERE length(s.metrics) = 0 AND k.employee_id = s.employee_id AND k.month = s.month",
        )
        .execute(&mut *conn)
        .await?;
        let (monthly_new, monthly_changed): (i64, i64) = sqlx::query_as(
            "WITH up AS (
                INSERT INTO kra_actuals AS a (employee_id, month, metric, numerator, denominator, source, updated_at)
                SELECT employee_id, month, metric, numerator, denominator, 'import', $1 FROM import_stage
                ON CONFLICT (employee_id, month, metric) DO UPDATE SET numerator = EXCLUDED.numerator,
                    denominator = EXCLUDED.denominator, source = 'import', updated_at = EXCLUDED.updated_at
                WHERE a.numerator <> EXCLUDED.numerator OR a.denominator <> EXCLUDED.denominator
                    OR a.source <> 'import'
                RETURNING (xmax = 0) AS inserted)
             SELECT count(*) FILTER (WHERE inserted), count(*) FROM up",
        )
        .bind(self.now)
        .fetch_one(&mut *conn)
        .await?;
        // A figure is kept in one place: the days a daily file wrote replace its monthly rows,
        // typed in or imported (none is written meanwhile: the import holds FIGURES_LOCK).
        let replaced_without_days: i64 = sqlx::query_scalar(
            "WITH gone AS (
                DELETE FROM kra_actuals a USING import_stage_changed c
                WHERE a.employee_id = c.employee_id AND a.month = c.month AND a.metric = c.metric
                RETURNING c.had_days)
             SELECT count(*) FILTER (WHERE NOT had_days) FROM gone",
        )
        .fetch_one(&mut *conn)
        .await?;
        Ok(Applied { monthly_new, monthly_changed, replaced_without_days: replaced_without_days as u64 })
    }
}

/// Takes `kra::FIGURES_LOCK` alone until the transaction ends: called before the first read of
/// stored figures, once the file has been read and sorted, so the lock is held only while
/// figures are merged and written.
pub(super) async fn lock_figures(tx: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(crate::kra::FIGURES_LOCK).execute(tx).await.map(drop)
}

/// Calls `each` for the stored days of employees `employees.0..=employees.1` in month keys
/// `months.0..=months.1`.
pub(super) async fn stored<E: From<StoreError>>(
    tx: &mut PgConnection,
    employees: (i64, i64),
    months: (i32, i32),
    mut each: impl FnMut(i64, NaiveDate, &[u8]) -> Result<(), E>,
) -> Result<(), E> {
    let sql = "SELECT employee_id, month, metrics FROM kpi_employee_months
        WHERE employee_id BETWEEN $1 AND $2 AND month BETWEEN $3 AND $4";
    let found: Vec<(i64, NaiveDate, Vec<u8>)> = sqlx::query_as(sql)
        .bind(employees.0)
        .bind(employees.1)
        .bind(month_start(months.0))
        .bind(month_start(months.1))
        .fetch_all(tx)
        .await
        .map_err(StoreError::from)?;
    for (employee_id, month, metrics) in found {
        each(employee_id, month, &metrics)?;
    }
    Ok(())
}
