//! Self sign-ups waiting for their e-mail to be confirmed (issue 30): a visitor's email and
//! name under the hash of a one-time token, until it is used or expires.

use chrono::{DateTime, Utc};

use crate::{on_db, Db, Result};

/// A confirmed sign-up: whom to make an account for.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Signup {
    pub email: String,
    pub name: String,
}

/// Stores a sign-up under `token_hash`; an earlier unused one for the same email is replaced.
pub async fn start(
    db: &Db,
    email: &str,
    name: &str,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    let email = email.trim().to_lowercase();
    let mut tx = db.begin().await?;
    let clear = "DELETE FROM signups WHERE (email = $1 AND used_at IS NULL) OR expires_at < $2";
    let insert = "INSERT INTO signups (token_hash, email, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
    on_db!(&mut tx, c => {
        sqlx::query(clear).bind(&email).bind(now).execute(&mut *c).await?;
        sqlx::query(insert).bind(token_hash).bind(&email).bind(name).bind(now).bind(expires_at).execute(&mut *c).await?;
    });
    tx.commit().await
}

/// The sign-up a token names, if unused and unexpired (to show the form; nothing changes).
pub async fn pending(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Signup>> {
    let sql = "SELECT email, name FROM signups WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(token_hash).bind(now).fetch_optional(p).await?))
}

/// Uses a sign-up's token up and returns it, if unused and unexpired. Atomic: a link confirms
/// once even when two requests race.
pub async fn redeem(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Signup>> {
    let sql = "UPDATE signups SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
        RETURNING email, name";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(token_hash).bind(now).fetch_optional(p).await?))
}
