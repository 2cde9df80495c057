//! The log of committed imports (`imports`): the file, its SHA-256, the mapping, what it changed
//! and who imported it. The row is written in the import's own transaction, so it exists exactly
//! when the import's rows do, and daily facts name it (`kpi_employee_months`).

use chrono::{DateTime, Utc};
use ladder_core::UserId;
use serde::Serialize;

use crate::{on_db, Result, Tx};

/// What a file brought: people and structure, or KRA facts. Stored as `people` or `kpi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportKind {
    People,
    Kpi,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::People => "people",
            ImportKind::Kpi => "kpi",
        }
    }
}

/// What the `imports` row of an import records.
#[derive(Debug, Clone, Copy)]
pub struct ImportLog<'a> {
    pub kind: ImportKind,
    pub file_name: &'a str,
    pub mapping: &'a str,
    pub started_at: DateTime<Utc>,
    pub imported_by: Option<UserId>,
    pub outcome: Outcome<'a>,
}

/// What an import read and changed: known once it has finished.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outcome<'a> {
    pub sha256: &'a str,
    pub rows: u64,
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// Makes the import's row, finished now; returns its id.
pub async fn record(tx: &mut Tx, log: &ImportLog<'_>) -> Result<i64> {
    let sql = "INSERT INTO imports (kind, file_name, sha256, mapping, rows, rows_new, rows_updated, rows_unchanged,
             started_at, finished_at, imported_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
    let o = &log.outcome;
    Ok(on_db!(tx, c => sqlx::query_scalar(sql)
        .bind(log.kind.as_str())
        .bind(log.file_name)
        .bind(o.sha256)
        .bind(log.mapping)
        .bind(o.rows as i64)
        .bind(o.new as i64)
        .bind(o.updated as i64)
        .bind(o.unchanged as i64)
        .bind(log.started_at)
        .bind(Utc::now())
        .bind(log.imported_by)
        .fetch_one(c)
        .await?))
}

/// Completes a row [`record`] made before the import had finished (a KPI import makes it before
/// its first batch of days, which name it), finished now.
pub async fn finish(tx: &mut Tx, id: i64, outcome: &Outcome<'_>) -> Result<()> {
    let sql = "UPDATE imports SET sha256 = $1, rows = $2, rows_new = $3, rows_updated = $4, rows_unchanged = $5,
        finished_at = $6 WHERE id = $7";
    on_db!(tx, c => sqlx::query(sql)
        .bind(outcome.sha256)
        .bind(outcome.rows as i64)
        .bind(outcome.new as i64)
        .bind(outcome.updated as i64)
        .bind(outcome.unchanged as i64)
        .bind(Utc::now())
        .bind(id)
        .execute(c)
        .await
        .map(drop)?);
    Ok(())
}
