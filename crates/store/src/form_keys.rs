//! One-time keys of forms that create things (migration 0021): a key is claimed by the first
//! post that carries it, so a second post with it creates nothing and is sent to the first
//! one's result.

use chrono::{DateTime, Utc};
use ladder_core::UserId;

use crate::{on_db, Db, Result};

/// Whether this post is the first with its key (or takes over a claim abandoned while empty),
/// where the first one's result is, or that the first is still being handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    First,
    Done(String),
    Pending,
}

/// Claims `key` for `user`. A claim still without a result since before `abandoned` (its post
/// was cancelled or crashed between claiming and saving) is taken over, so the entry is not lost.
pub async fn claim(db: &Db, user: UserId, key: &str, now: DateTime<Utc>, abandoned: DateTime<Utc>) -> Result<Claim> {
    let sql = "INSERT INTO form_keys (user_id, key, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
    let n = on_db!(db, p => sqlx::query(sql).bind(user).bind(key).bind(now).execute(p).await?.rows_affected());
    if n == 1 {
        return Ok(Claim::First);
    }
    // One statement, so of two posts taking over the same claim only one does.
    let sql = "UPDATE form_keys SET created_at = $3 \
               WHERE user_id = $1 AND key = $2 AND result IS NULL AND created_at < $4";
    let n = on_db!(db, p => sqlx::query(sql).bind(user).bind(key).bind(now).bind(abandoned).execute(p).await?.rows_affected());
    if n == 1 {
        return Ok(Claim::First);
    }
    let sql = "SELECT result FROM form_keys WHERE user_id = $1 AND key = $2";
    let result: Option<Option<String>> =
        on_db!(db, p => sqlx::query_scalar(sql).bind(user).bind(key).fetch_optional(p).await?);
    Ok(match result.flatten() {
        Some(result) => Claim::Done(result),
        None => Claim::Pending,
    })
}

/// Records where the result of the post that claimed `key` is.
pub async fn finish(db: &Db, user: UserId, key: &str, result: &str) -> Result<()> {
    let sql = "UPDATE form_keys SET result = $3 WHERE user_id = $1 AND key = $2";
    on_db!(db, p => sqlx::query(sql).bind(user).bind(key).bind(result).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Gives `key` back after the post that claimed it was refused, so the form can be sent again.
pub async fn release(db: &Db, user: UserId, key: &str) -> Result<()> {
    let sql = "DELETE FROM form_keys WHERE user_id = $1 AND key = $2 AND result IS NULL";
    on_db!(db, p => sqlx::query(sql).bind(user).bind(key).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Removes keys claimed before `before`; returns how many.
pub async fn sweep(db: &Db, before: DateTime<Utc>) -> Result<u64> {
    let sql = "DELETE FROM form_keys WHERE created_at < $1";
    Ok(on_db!(db, p => sqlx::query(sql).bind(before).execute(p).await?.rows_affected()))
}
