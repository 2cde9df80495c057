//! A person's own job-search data (issue 28, migration 0022): saved searches (`job_searches`)
//! and the tracker of outside applications (`outside_applications`). Every read and write is
//! scoped to the owner's user id; the service decides who that may be.

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::UserId;
use serde::Serialize;

use crate::{on_db, Db, Result};

/// A saved search: the `/jobs` filters as a query string.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct SavedSearch {
    pub id: i64,
    pub user_id: UserId,
    pub name: String,
    pub query: String,
    pub created_at: DateTime<Utc>,
    pub looked_at: Option<DateTime<Utc>>,
    /// The newest posting id when it was last run: postings above it are new.
    pub seen_posting_id: i64,
}

const SEARCH_COLUMNS: &str = "id, user_id, name, query, created_at, looked_at, seen_posting_id";

/// The owner's saved searches, oldest first.
pub async fn searches(db: &Db, user: UserId) -> Result<Vec<SavedSearch>> {
    let sql = format!("SELECT {SEARCH_COLUMNS} FROM job_searches WHERE user_id = $1 ORDER BY id");
    Ok(on_db!(db, c => sqlx::query_as(&sql).bind(user).fetch_all(c).await?))
}

/// One saved search, whoever owns it (the service checks the owner).
pub async fn search_by_id(db: &Db, id: i64) -> Result<Option<SavedSearch>> {
    let sql = format!("SELECT {SEARCH_COLUMNS} FROM job_searches WHERE id = $1");
    Ok(on_db!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await?))
}

/// Saves a search, seen as of now (only later postings count as new); `None` when the person
/// has `max` already (counted in the same statement, so two at once cannot pass the limit).
pub async fn save_search(
    db: &Db,
    user: UserId,
    (name, query): (&str, &str),
    at: DateTime<Utc>,
    max: i64,
) -> Result<Option<i64>> {
    let seen = newest_posting(db).await?;
    let sql = "INSERT INTO job_searches (user_id, name, query, created_at, looked_at, seen_posting_id)
        SELECT $1, $2, $3, $4, $4, $5 WHERE (SELECT COUNT(*) FROM job_searches WHERE user_id = $1) < $6 RETURNING id";
    Ok(on_db!(db, c => sqlx::query_scalar(sql).bind(user).bind(name).bind(query).bind(at).bind(seen).bind(max)
        .fetch_optional(c).await?))
}

/// Marks a search as run now: every posting so far is seen.
pub async fn mark_looked(db: &Db, user: UserId, id: i64, at: DateTime<Utc>) -> Result<()> {
    let seen = newest_posting(db).await?;
    let sql = "UPDATE job_searches SET looked_at = $2, seen_posting_id = $3 WHERE id = $1 AND user_id = $4";
    changed(on_db!(db, c => sqlx::query(sql).bind(id).bind(at).bind(seen).bind(user).execute(c).await?.rows_affected()))
}

/// Writes go by id and owner together: another person's id changes nothing and is not found.
fn changed(rows: u64) -> Result<()> {
    if rows == 0 {
        return Err(crate::StoreError::NotFound);
    }
    Ok(())
}

pub async fn delete_search(db: &Db, user: UserId, id: i64) -> Result<()> {
    let sql = "DELETE FROM job_searches WHERE id = $1 AND user_id = $2";
    changed(on_db!(db, c => sqlx::query(sql).bind(id).bind(user).execute(c).await?.rows_affected()))
}

async fn newest_posting(db: &Db) -> Result<i64> {
    let sql = "SELECT COALESCE(MAX(id), 0) FROM job_postings";
    Ok(on_db!(db, c => sqlx::query_scalar(sql).fetch_one(c).await?))
}

/// One outside application as tracked by its owner.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct OutsideApplication {
    pub id: i64,
    pub user_id: UserId,
    pub posting_id: Option<i64>,
    pub title: String,
    pub organisation: Option<String>,
    pub url: Option<String>,
    pub stage: String,
    pub saved_on: Option<NaiveDate>,
    pub applied_on: Option<NaiveDate>,
    pub interview_on: Option<NaiveDate>,
    pub offer_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub remind_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What the owner writes: everything but the ids and the instants.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tracked {
    pub posting_id: Option<i64>,
    pub title: String,
    pub organisation: Option<String>,
    pub url: Option<String>,
    pub stage: String,
    pub saved_on: Option<NaiveDate>,
    pub applied_on: Option<NaiveDate>,
    pub interview_on: Option<NaiveDate>,
    pub offer_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub remind_on: Option<NaiveDate>,
    pub note: Option<String>,
}

const APP_COLUMNS: &str = "id, user_id, posting_id, title, organisation, url, stage, saved_on, applied_on,
    interview_on, offer_on, closed_on, remind_on, note, created_at, updated_at";

/// The owner's tracked applications, the most recently changed first.
pub async fn applications(db: &Db, user: UserId) -> Result<Vec<OutsideApplication>> {
    let sql =
        format!("SELECT {APP_COLUMNS} FROM outside_applications WHERE user_id = $1 ORDER BY updated_at DESC, id DESC");
    Ok(on_db!(db, c => sqlx::query_as(&sql).bind(user).fetch_all(c).await?))
}

pub async fn application(db: &Db, id: i64) -> Result<Option<OutsideApplication>> {
    let sql = format!("SELECT {APP_COLUMNS} FROM outside_applications WHERE id = $1");
    Ok(on_db!(db, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await?))
}

/// Tracks an application; `None` when the person tracks `max` already (one statement).
pub async fn track(db: &Db, user: UserId, t: &Tracked, at: DateTime<Utc>, max: i64) -> Result<Option<i64>> {
    let sql = "INSERT INTO outside_applications (user_id, posting_id, title, organisation, url, stage, saved_on,
        applied_on, interview_on, offer_on, closed_on, remind_on, note, created_at, updated_at)
        SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14
        WHERE (SELECT COUNT(*) FROM outside_applications WHERE user_id = $1) < $15 RETURNING id";
    Ok(on_db!(db, c => sqlx::query_scalar(sql).bind(user).bind(t.posting_id).bind(&t.title).bind(&t.organisation)
        .bind(&t.url).bind(&t.stage).bind(t.saved_on).bind(t.applied_on).bind(t.interview_on).bind(t.offer_on)
        .bind(t.closed_on).bind(t.remind_on).bind(&t.note).bind(at).bind(max).fetch_optional(c).await?))
}

pub async fn update_application(db: &Db, user: UserId, id: i64, t: &Tracked, at: DateTime<Utc>) -> Result<()> {
    let sql = "UPDATE outside_applications SET posting_id = $2, title = $3, organisation = $4, url = $5, stage = $6,
        saved_on = $7, applied_on = $8, interview_on = $9, offer_on = $10, closed_on = $11, remind_on = $12,
        note = $13, updated_at = $14 WHERE id = $1 AND user_id = $15";
    changed(on_db!(db, c => sqlx::query(sql).bind(id).bind(t.posting_id).bind(&t.title).bind(&t.organisation)
        .bind(&t.url).bind(&t.stage).bind(t.saved_on).bind(t.applied_on).bind(t.interview_on).bind(t.offer_on)
        .bind(t.closed_on).bind(t.remind_on).bind(&t.note).bind(at).bind(user).execute(c).await?.rows_affected()))
}

pub async fn delete_application(db: &Db, user: UserId, id: i64) -> Result<()> {
    let sql = "DELETE FROM outside_applications WHERE id = $1 AND user_id = $2";
    changed(on_db!(db, c => sqlx::query(sql).bind(id).bind(user).execute(c).await?.rows_affected()))
}
