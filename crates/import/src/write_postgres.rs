//! PostgreSQL: facts are streamed with `COPY … FROM STDIN` into a temporary staging table, then
//! upserted in key order (so the primary-key index is appended to, not thrashed) in one statement that only rewrites rows whose sums differ and reports which rows
//! it inserted (`xmax = 0`) — all inside the import's transaction.

use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::postgres::PgConnection;
use sqlx::{Postgres, Transaction};

use crate::kpi::Fact;
use crate::mapping::Grain;
use crate::report::Counts;
use crate::ImportLog;

pub(crate) struct PgWriter {
    tx: Transaction<'static, Postgres>,
    grain: Grain,
    source_file: String,
    metrics: Arc<Vec<Arc<str>>>,
    written: u64,
    buffer: String,
}

impl PgWriter {
    pub async fn begin(
        pool: &sqlx::PgPool,
        grain: Grain,
        source_file: &str,
        metrics: Arc<Vec<Arc<str>>>,
    ) -> Result<PgWriter, sqlx::Error> {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "CREATE TEMP TABLE import_stage (employee_id BIGINT NOT NULL, day DATE NOT NULL, metric TEXT NOT NULL,
                numerator DOUBLE PRECISION NOT NULL, denominator DOUBLE PRECISION NOT NULL) ON COMMIT DROP",
        )
        .execute(&mut *tx)
        .await?;
        Ok(PgWriter {
            tx,
            grain,
            source_file: source_file.to_string(),
            metrics,
            written: 0,
            buffer: String::with_capacity(1 << 20),
        })
    }

    pub async fn write(&mut self, facts: &[Fact]) -> Result<(), sqlx::Error> {
        if facts.is_empty() {
            return Ok(());
        }
        self.buffer.clear();
        for f in facts {
            // Text COPY format: tab-separated; metric ids and dates hold no tabs or backslashes.
            let _ = writeln!(
                self.buffer,
                "{}\t{}\t{}\t{}\t{}",
                f.employee_id, f.day, self.metrics[f.metric as usize], f.numerator, f.denominator
            );
        }
        let conn: &mut PgConnection = &mut self.tx;
        let mut copy =
            conn.copy_in_raw("COPY import_stage (employee_id, day, metric, numerator, denominator) FROM STDIN").await?;
        if let Err(e) = copy.send(self.buffer.as_bytes()).await {
            copy.abort("import failed").await.ok();
            return Err(e);
        }
        copy.finish().await?;
        self.written += facts.len() as u64;
        Ok(())
    }

    pub async fn finish(&mut self, now: DateTime<Utc>) -> Result<(Counts, Option<Counts>), sqlx::Error> {
        let conn: &mut PgConnection = &mut self.tx;
        // Temporary tables are never analysed automatically; the planner needs their size.
        sqlx::query("ANALYZE import_stage").execute(&mut *conn).await?;
        if self.grain == Grain::Month {
            let (new, changed): (i64, i64) = sqlx::query_as(
                "WITH up AS (
                    INSERT INTO kra_actuals AS a (employee_id, month, metric, numerator, denominator, source, updated_at)
                    SELECT employee_id, day, metric, numerator, denominator, 'import', $1 FROM import_stage
                    ORDER BY employee_id, day, metric
                    ON CONFLICT (employee_id, month, metric) DO UPDATE SET numerator = EXCLUDED.numerator,
                        denominator = EXCLUDED.denominator, source = 'import', updated_at = EXCLUDED.updated_at
                    WHERE a.numerator <> EXCLUDED.numerator OR a.denominator <> EXCLUDED.denominator
                        OR a.source <> 'import'
                    RETURNING (xmax = 0) AS inserted)
                 SELECT count(*) FILTER (WHERE inserted), count(*) FROM up",
            )
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
            let facts = counts(new, changed, self.written as i64);
            return Ok((facts, None));
        }
        sqlx::query(
            "CREATE TEMP TABLE import_touched (employee_id BIGINT NOT NULL, month DATE NOT NULL) ON COMMIT DROP",
        )
        .execute(&mut *conn)
        .await?;
        let (new, changed): (i64, i64) = sqlx::query_as(
            "WITH up AS (
                INSERT INTO kpi_daily AS k (employee_id, day, metric, numerator, denominator, source_file)
                SELECT employee_id, day, metric, numerator, denominator, $1 FROM import_stage
                ORDER BY employee_id, day, metric
                ON CONFLICT (employee_id, day, metric) DO UPDATE SET numerator = EXCLUDED.numerator,
                    denominator = EXCLUDED.denominator, source_file = EXCLUDED.source_file
                WHERE k.numerator <> EXCLUDED.numerator OR k.denominator <> EXCLUDED.denominator
                RETURNING (xmax = 0) AS inserted, employee_id, day),
             touched AS (
                INSERT INTO import_touched (employee_id, month)
                SELECT DISTINCT employee_id, date_trunc('month', day)::date FROM up)
             SELECT count(*) FILTER (WHERE inserted), count(*) FROM up",
        )
        .bind(&self.source_file)
        .fetch_one(&mut *conn)
        .await?;
        let facts = counts(new, changed, self.written as i64);
        sqlx::query("ANALYZE import_touched").execute(&mut *conn).await?;
        let (m_new, m_changed): (i64, i64) = sqlx::query_as(
            "WITH up AS (
                INSERT INTO kra_actuals AS a (employee_id, month, metric, numerator, denominator, source, updated_at)
                SELECT d.employee_id, t.month, d.metric, sum(d.numerator), sum(d.denominator), 'import', $1
                FROM import_touched t JOIN kpi_daily d
                  ON d.employee_id = t.employee_id AND d.day >= t.month AND d.day < (t.month + interval '1 month')::date
                GROUP BY d.employee_id, t.month, d.metric
                ON CONFLICT (employee_id, month, metric) DO UPDATE SET numerator = EXCLUDED.numerator,
                    denominator = EXCLUDED.denominator, source = 'import', updated_at = EXCLUDED.updated_at
                WHERE a.numerator <> EXCLUDED.numerator OR a.denominator <> EXCLUDED.denominator
                    OR a.source <> 'import'
                RETURNING (xmax = 0) AS inserted)
             SELECT count(*) FILTER (WHERE inserted), count(*) FROM up",
        )
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
        let in_touched: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM import_touched t JOIN kra_actuals a ON a.employee_id = t.employee_id AND a.month = t.month",
        )
        .fetch_one(&mut *conn)
        .await?;
        Ok((facts, Some(counts(m_new, m_changed, in_touched))))
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

fn counts(new: i64, changed: i64, total: i64) -> Counts {
    Counts { new: new as u64, updated: (changed - new) as u64, unchanged: (total - changed).max(0) as u64 }
}

/// Writes the `imports` row of a committed import.
pub(crate) async fn record_import(conn: &mut PgConnection, log: &ImportLog<'_>) -> Result<i64, sqlx::Error> {
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
