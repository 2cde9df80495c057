//! Secrets the app servers share (`server_secrets`), made once by whichever server asks first.

use crate::{on_db, Db, Result};

/// The secret called `name`, stored as `made` if there is none yet; every server gets the same.
pub async fn get_or_create(db: &Db, name: &str, made: &str) -> Result<String> {
    let read = "SELECT value FROM server_secrets WHERE name = $1";
    // Read first: callers on a hot path (a calendar feed's poll) then never take the write lock.
    let stored: Option<String> = on_db!(db, p => sqlx::query_scalar(read).bind(name).fetch_optional(p).await?);
    if let Some(value) = stored {
        return Ok(value);
    }
    let insert = "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
    on_db!(db, p => sqlx::query(insert).bind(name).bind(made).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(on_db!(db, p => sqlx::query_scalar(read).bind(name).fetch_one(p).await?))
}
