//! Secrets the app servers share (`server_secrets`), made once by whichever server asks first.

use crate::{on_db, Db, Result};

/// The secret called `name`, stored as `made` if there is none yet; every server gets the same.
pub async fn get_or_create(db: &Db, name: &str, made: &str) -> Result<String> {
    let insert = "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
    on_db!(db, p => sqlx::query(insert).bind(name).bind(made).execute(p).await.map(|r| r.rows_affected()))?;
    let read = "SELECT value FROM server_secrets WHERE name = $1";
    Ok(on_db!(db, p => sqlx::query_scalar(read).bind(name).fetch_one(p).await?))
}
