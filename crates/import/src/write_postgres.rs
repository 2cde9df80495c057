//! PostgreSQL: the rows to write are streamed with `COPY … FROM STDIN` into temporary staging
//! tables as the import goes, sorted by month and employee, then applied by a few statements at
//! the end (the employee-months; a monthly file's rows, counting what that inserted and changed;
//! the monthly rows a daily file's days replace), all inside the import's transaction.

use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::postgres::PgConnection;
use sqlx::{Postgres, Transaction};

use crate::merge::{month_start, Merged};

pub(crate) struct PgWriter {
    tx: Transaction<'static, Postgres>,
    metrics: Arc<Vec<Arc<str>>>,
    now: DateTime<Utc>,
    buffer: String,
}

impl PgWriter {
    pub async fn begin(
        pool: &sqlx::PgPool,
        metrics: Arc<Vec<Arc<str>>>,
        now: DateTime<Utc>,
    ) -> Result<PgWriter, sqlx::Error> {
        let mut tx = pool.begin().await?;
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
        Ok(PgWriter { tx, metrics, now, buffer: String::with_capacity(1 << 20) })
    }

    /// Takes `kra::FIGURES_LOCK` alone until the transaction ends: called before the first read
    /// of stored figures, once the file has been read and sorted, so the lock is held only while
    /// figures are merged and written.
    pub async fn lock_figures(&mut self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(ladder_store::kra::FIGURES_LOCK)
            .execute(&mut *self.tx)
            .await
            .map(drop)
    }

    /// Stages the rows; [`PgWriter::apply`] writes them.
    pub async fn put(&mut self, merged: &Merged) -> Result<(), sqlx::Error> {
        // Text COPY format: tab-separated, bytea as \\x-prefixed hex; metric ids and dates hold
        // no tabs or backslashes.
        self.buffer.clear();
        for r in &merged.months {
            let _ =
                writeln!(self.buffer, "{}\t{}\t\\\\x{}", r.employee_id, month_start(r.month), hex::encode(&r.metrics));
        }
        self.copy("COPY import_stage_months (employee_id, month, metrics) FROM STDIN").await?;
        self.buffer.clear();
        for r in &merged.actuals {
            let metric = &self.metrics[r.metric as usize];
            let month = month_start(r.month);
            let _ = writeln!(self.buffer, "{}\t{month}\t{metric}\t{}\t{}", r.employee_id, r.numerator, r.denominator);
        }
        self.copy("COPY import_stage (employee_id, month, metric, numerator, denominator) FROM STDIN").await?;
        self.buffer.clear();
        for c in &merged.changed {
            let metric = &self.metrics[c.metric as usize];
            let _ = writeln!(self.buffer, "{}\t{}\t{metric}\t{}", c.employee_id, month_start(c.month), c.had_days);
        }
        self.copy("COPY import_stage_changed (employee_id, month, metric, had_days) FROM STDIN").await
    }

    /// Sends the buffer by `statement`, if it holds anything.
    async fn copy(&mut self, statement: &str) -> Result<(), sqlx::Error> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let conn: &mut PgConnection = &mut self.tx;
        let mut copy = conn.copy_in_raw(statement).await?;
        if let Err(e) = copy.send(self.buffer.as_bytes()).await {
            copy.abort("import failed").await.ok();
            return Err(e);
        }
        copy.finish().await?;
        Ok(())
    }

    /// Writes what is staged; returns (a monthly file's rows inserted, inserted or changed) and
    /// how many monthly rows a daily file's days replaced where no days were stored before.
    pub async fn apply(&mut self) -> Result<((i64, i64), u64), sqlx::Error> {
        let conn: &mut PgConnection = &mut self.tx;
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
        let monthly = sqlx::query_as(
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
        Ok((monthly, replaced_without_days as u64))
    }

    pub fn connection(&mut self) -> &mut PgConnection {
        &mut self.tx
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}
