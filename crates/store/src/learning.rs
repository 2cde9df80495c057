//! The organisation's own learning catalogue entries (issue 26, migration 0034). The starter
//! list is framework data (`ladder_core::learning`); these rows come before it. Retired rows
//! stay, no longer suggested.

use chrono::{DateTime, Utc};
use ladder_core::UserId;
use serde::Serialize;

use crate::{on_db, Db, Result, StoreError};

/// An entry as stored: what was written, with its id and times.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct LearningItem {
    pub id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub item: NewItem,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
}

/// An entry as it is written (checked by the service).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct NewItem {
    pub title: String,
    pub provider: String,
    /// `course`, `programme`, `boot-camp`, `book` or `shadowing`.
    pub format: String,
    pub hours: Option<f64>,
    pub price_minor: Option<i64>,
    pub currency: Option<String>,
    pub link: String,
    /// Exactly one of these is set.
    pub skill_id: Option<String>,
    pub certification_id: Option<String>,
}

const COLUMNS: &str = "id, title, provider, format, hours, price_minor, currency, link, skill_id, certification_id, \
    created_at, updated_at, retired_at";

/// Every entry, the ones in use first, then by title; retired ones only when asked.
pub async fn items(db: &Db, with_retired: bool) -> Result<Vec<LearningItem>> {
    let filter = if with_retired { "" } else { "WHERE retired_at IS NULL" };
    let sql = format!("SELECT {COLUMNS} FROM learning_items {filter} ORDER BY retired_at IS NOT NULL, title, id");
    Ok(on_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?))
}

pub async fn item(db: &Db, id: i64) -> Result<LearningItem> {
    let sql = format!("SELECT {COLUMNS} FROM learning_items WHERE id = $1");
    let found: Option<LearningItem> = on_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
    found.ok_or(StoreError::NotFound)
}

pub async fn add(db: &Db, item: &NewItem, by: Option<UserId>, now: DateTime<Utc>) -> Result<LearningItem> {
    let sql = format!(
        "INSERT INTO learning_items (title, provider, format, hours, price_minor, currency, link, skill_id,
            certification_id, created_by, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING {COLUMNS}"
    );
    on_db!(db, p => sqlx::query_as(&sql).bind(&item.title).bind(&item.provider).bind(&item.format).bind(item.hours)
        .bind(item.price_minor).bind(&item.currency).bind(&item.link).bind(&item.skill_id).bind(&item.certification_id)
        .bind(by).bind(now).fetch_one(p).await)
    .map_err(|e| StoreError::from_write(e, "learning item"))
}

/// Rewrites an entry; `NotFound` when there is none.
pub async fn update(db: &Db, id: i64, item: &NewItem, now: DateTime<Utc>) -> Result<LearningItem> {
    let sql = format!(
        "UPDATE learning_items SET title = $2, provider = $3, format = $4, hours = $5, price_minor = $6,
            currency = $7, link = $8, skill_id = $9, certification_id = $10, updated_at = $11
        WHERE id = $1 RETURNING {COLUMNS}"
    );
    let found: Option<LearningItem> = on_db!(db, p => sqlx::query_as(&sql).bind(id).bind(&item.title)
        .bind(&item.provider).bind(&item.format).bind(item.hours).bind(item.price_minor).bind(&item.currency)
        .bind(&item.link).bind(&item.skill_id).bind(&item.certification_id).bind(now).fetch_optional(p).await?);
    found.ok_or(StoreError::NotFound)
}

/// Retires an entry (or brings it back with `retired: false`); `NotFound` when there is none.
pub async fn set_retired(db: &Db, id: i64, retired: bool, now: DateTime<Utc>) -> Result<LearningItem> {
    let sql = format!(
        "UPDATE learning_items SET retired_at = CASE WHEN $2 THEN COALESCE(retired_at, $3) END, updated_at = $3
        WHERE id = $1 RETURNING {COLUMNS}"
    );
    let found: Option<LearningItem> =
        on_db!(db, p => sqlx::query_as(&sql).bind(id).bind(retired).bind(now).fetch_optional(p).await?);
    found.ok_or(StoreError::NotFound)
}
