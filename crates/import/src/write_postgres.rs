//! PostgreSQL: the rows to write are streamed with `COPY … FROM STDIN` into a temporary staging
//! table as the import goes, sorted by month and employee, then upserted by two statements at
//! the end (the packed days, then the monthly sums, counting what each inserted and changed), all
//! inside the import's transaction.

use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::postgres::PgConnection;
use sqlx::{Postgres, Transaction};

use crate::merge::{month_start, Packed};

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
        sqlx::query(
            "CREATE TEMP TABLE import_stage (employee_id BIGINT NOT NULL, month DATE NOT NULL, metric TEXT NOT NULL,
                days BYTEA, numerator DOUBLE PRECISION NOT NULL, denominator DOUBLE PRECISION NOT NULL) ON COMMIT DROP",
        )
        .execute(&mut *tx)
        .await?;
        Ok(PgWriter { tx, metrics, now, buffer: String::with_capacity(1 << 20) })
    }

    /// Stages the rows; [`PgWriter::apply`] writes them.
    pub async fn put(&mut self, rows: &[Packed]) -> Result<(), sqlx::Error> {
        if rows.is_empty() {
            return Ok(());
        }
        self.buffer.clear();
        for r in rows {
            // Text COPY format: tab-separated, \N for NULL, bytea as \\x-prefixed hex; metric ids
            // and dates hold no tabs or backslashes.
            let _ = write!(
                self.buffer,
                "{}\t{}\t{}\t",
                r.employee_id,
                month_start(r.month),
                self.metrics[r.metric as usize]
            );
            match &r.days {
                Some(days) => {
                    self.buffer.push_str("\\\\x");
                    self.buffer.push_str(&hex::encode(days));
                }
                None => self.buffer.push_str("\\N"),
            }
            let _ = writeln!(self.buffer, "\t{}\t{}", r.numerator, r.denominator);
        }
        let conn: &mut PgConnection = &mut self.tx;
        let mut copy = conn
            .copy_in_raw("COPY import_stage (employee_id, month, metric, days, numerator, denominator) FROM STDIN")
            .await?;
        if let Err(e) = copy.send(self.buffer.as_bytes()).await {
            copy.abort("import failed").await.ok();
            return Err(e);
        }
        copy.finish().await?;
        Ok(())
    }

    /// Upserts the staged rows, the days naming import `import_id`; returns (monthly rows
    /// inserted, inserted or changed).
    pub async fn apply(&mut self, import_id: Option<i64>) -> Result<(i64, i64), sqlx::Error> {
        let conn: &mut PgConnection = &mut self.tx;
        // No ORDER BY: the rows were staged sorted by month and employee (the reader sorts them;
        // metrics by framework position, not by id), a scan of the fresh staging table returns
        // them so, and sorting them again by the key spilled to disk for little locality.
        sqlx::query(
            "INSERT INTO kpi_month_days AS k (employee_id, month, metric, days, import_id)
             SELECT employee_id, month, metric, days, $1 FROM import_stage WHERE days IS NOT NULL
             ON CONFLICT (employee_id, month, metric) DO UPDATE SET days = EXCLUDED.days, import_id = EXCLUDED.import_id",
        )
        .bind(import_id)
        .execute(&mut *conn)
        .await?;
        sqlx::query_as(
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
        .await
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
