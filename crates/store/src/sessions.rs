//! Web sessions kept in the database, so several app servers can share them. `id` is what the
//! server keys a session by (the hash of the id in the cookie).

use chrono::{DateTime, Utc};

use crate::{on_db, Db, Result};

/// Saves (inserts or replaces) a session's serialised data.
pub async fn save(db: &Db, id: &str, data: &[u8], expires_at: DateTime<Utc>) -> Result<()> {
    let sql = "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3)
        ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at";
    on_db!(db, p => sqlx::query(sql).bind(id).bind(data).bind(expires_at).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Inserts a new session; false when the id is taken (the caller picks another).
pub async fn create(db: &Db, id: &str, data: &[u8], expires_at: DateTime<Utc>) -> Result<bool> {
    let sql = "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING";
    let n = on_db!(db, p => sqlx::query(sql).bind(id).bind(data).bind(expires_at).execute(p).await?.rows_affected());
    Ok(n == 1)
}

/// A live session's data.
pub async fn load(db: &Db, id: &str, now: DateTime<Utc>) -> Result<Option<Vec<u8>>> {
    let sql = "SELECT data FROM sessions WHERE id = $1 AND expires_at > $2";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(id).bind(now).fetch_optional(p).await?))
}

pub async fn delete(db: &Db, id: &str) -> Result<()> {
    on_db!(db, p => sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Removes expired sessions; returns how many.
pub async fn delete_expired(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    let sql = "DELETE FROM sessions WHERE expires_at <= $1";
    Ok(on_db!(db, p => sqlx::query(sql).bind(now).execute(p).await?.rows_affected()))
}
