//! Self sign-ups waiting for their e-mail to be confirmed (issue 30): a visitor's email and
//! name under the hash of a one-time token, until it is used or expires.

use chrono::{DateTime, Utc};
use ladder_core::UserId;

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

/// Confirms a sign-up in one transaction: uses its token up and makes the account (an agent with
/// no employee record, in `organisation`, with this password hash). `None` when the token is
/// used, expired or unknown. Either both happen or neither: a failed account (a taken email)
/// leaves the link unused, and of two confirmations at once only one makes an account.
pub async fn confirm(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
    organisation: i64,
    password_hash: &str,
) -> Result<Option<UserId>> {
    let redeem = "UPDATE signups SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
        RETURNING email, name";
    let user = "INSERT INTO users (organisation_id, email, name, access, employee_id, password_hash, created_at)
        VALUES ($1, $2, $3, $4, NULL, $5, $6) RETURNING id";
    let mut tx = db.begin().await?;
    let signup: Option<Signup> =
        on_db!(&mut tx, c => sqlx::query_as(redeem).bind(token_hash).bind(now).fetch_optional(c).await?);
    let Some(s) = signup else { return Ok(None) };
    let agent = ladder_core::access::Access::Agent.as_str();
    let id: UserId = on_db!(&mut tx, c => sqlx::query_scalar(user).bind(organisation).bind(&s.email).bind(&s.name)
        .bind(agent).bind(password_hash).bind(now).fetch_one(c).await
        .map_err(|e| crate::users::user_write_error(e, &s.email))?);
    tx.commit().await?;
    Ok(Some(id))
}
