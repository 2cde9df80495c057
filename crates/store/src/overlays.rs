//! The organisation's framework overlay (`framework_overlays`): the `--extend` form of the
//! framework, stored with the data it scores so every command and server uses the same one.
//! Each apply adds a version (who, when, the text and its SHA-256); the last is in force.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::{on_db, Db, Result, Tx};

/// Overlay files up to this size are stored (the built-in framework is about 60 KB).
pub const MAX_OVERLAY_BYTES: usize = 1024 * 1024;
/// The longest `applied_by`.
pub const MAX_APPLIED_BY: usize = 200;

/// One stored version.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Overlay {
    pub version: i64,
    pub overlay: String,
    pub sha256: String,
    pub applied_by: String,
    pub applied_at: DateTime<Utc>,
}

/// The overlay's SHA-256, hex.
pub fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Stores `text` as the next version, in `tx` (nothing is kept unless it commits); returns the
/// version. The caller has checked the overlay against the framework.
pub async fn apply_in(tx: &mut Tx, text: &str, applied_by: &str, at: DateTime<Utc>) -> Result<i64> {
    if text.len() > MAX_OVERLAY_BYTES || applied_by.len() > MAX_APPLIED_BY {
        return Err(crate::StoreError::Invalid(format!(
            "an overlay is at most {MAX_OVERLAY_BYTES} bytes and its author's name {MAX_APPLIED_BY}"
        )));
    }
    let next: i64 = on_db!(tx, c => sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM framework_overlays")
            .fetch_one(c)
            .await?);
    let sql = "INSERT INTO framework_overlays (version, overlay, sha256, applied_by, applied_at) \
        VALUES ($1, $2, $3, $4, $5)";
    on_db!(tx, c => {
        sqlx::query(sql).bind(next).bind(text).bind(sha256(text)).bind(applied_by).bind(at).execute(c).await?;
    });
    Ok(next)
}

/// Stores `text` as the next version in a transaction of its own.
pub async fn apply(db: &Db, text: &str, applied_by: &str) -> Result<i64> {
    let mut tx = db.begin().await?;
    let version = apply_in(&mut tx, text, applied_by, Utc::now()).await?;
    tx.commit().await?;
    Ok(version)
}

/// The overlay in force: the last version, if any.
pub async fn current(db: &Db) -> Result<Option<Overlay>> {
    let sql = "SELECT version, overlay, sha256, applied_by, applied_at FROM framework_overlays \
        ORDER BY version DESC LIMIT 1";
    let row: Option<(i64, String, String, String, DateTime<Utc>)> =
        on_db!(db, c => sqlx::query_as(sql).fetch_optional(c).await?);
    Ok(row.map(|(version, overlay, sha256, applied_by, applied_at)| Overlay {
        version,
        overlay,
        sha256,
        applied_by,
        applied_at,
    }))
}

/// The version of the overlay in force, without its text: what a running server checks.
pub async fn current_version(db: &Db) -> Result<Option<i64>> {
    let sql = "SELECT MAX(version) FROM framework_overlays";
    Ok(on_db!(db, c => sqlx::query_scalar(sql).fetch_one(c).await?))
}

/// Every version, newest first, without the text.
pub async fn history(db: &Db) -> Result<Vec<(i64, String, String, DateTime<Utc>)>> {
    let sql = "SELECT version, sha256, applied_by, applied_at FROM framework_overlays ORDER BY version DESC";
    Ok(on_db!(db, c => sqlx::query_as(sql).fetch_all(c).await?))
}
