//! Each person's secret calendar feed (issue 30): the hash of the token in its URL. A new feed
//! replaces the old one; revoking deletes it, so the old URL finds nothing.

use chrono::{DateTime, Utc};
use ladder_core::UserId;

use crate::{on_db, Db, Result};

/// Stores `token_hash` as the user's feed, replacing any earlier one.
pub async fn replace(db: &Db, user: UserId, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
    let sql = "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)
        ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at";
    on_db!(db, p => sqlx::query(sql).bind(user).bind(token_hash).bind(now).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Revokes the user's feed; false if there was none.
pub async fn revoke(db: &Db, user: UserId) -> Result<bool> {
    let sql = "DELETE FROM calendar_feeds WHERE user_id = $1";
    Ok(on_db!(db, p => sqlx::query(sql).bind(user).execute(p).await?.rows_affected()) == 1)
}

/// The user whose feed this is.
pub async fn owner(db: &Db, token_hash: &str) -> Result<Option<UserId>> {
    let sql = "SELECT user_id FROM calendar_feeds WHERE token_hash = $1";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(token_hash).fetch_optional(p).await?))
}

/// When the user's current feed was made, if they have one.
pub async fn made_at(db: &Db, user: UserId) -> Result<Option<DateTime<Utc>>> {
    let sql = "SELECT created_at FROM calendar_feeds WHERE user_id = $1";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(user).fetch_optional(p).await?))
}
