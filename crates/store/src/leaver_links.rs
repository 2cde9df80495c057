//! One-time links for a person who left to download their record (issue 30, `leaver_links`):
//! only the SHA-256 of the token is stored, like invitations and API tokens. A link works once,
//! and only until it expires: taking it marks it used in the same statement that checks it, so
//! two downloads at once cannot both succeed.

use chrono::{DateTime, Utc};
use ladder_core::{EmployeeId, UserId};

use crate::{on_db, Db, Result};

/// Records a new link for `employee`, made by `by`, valid until `expires_at`.
pub async fn create(
    db: &Db,
    employee: EmployeeId,
    token_hash: &str,
    by: Option<UserId>,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    let sql = "INSERT INTO leaver_links (token_hash, employee_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
    on_db!(db, p => sqlx::query(sql).bind(token_hash).bind(employee).bind(by).bind(Utc::now()).bind(expires_at)
        .execute(p).await.map(drop)?);
    Ok(())
}

/// Uses the link: the person it is for if it is unused and `now` is before its expiry, and
/// from then on it is used; `None` otherwise (unknown, used, or expired).
pub async fn take(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<Option<EmployeeId>> {
    let sql = "UPDATE leaver_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
        RETURNING employee_id";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(token_hash).bind(now).fetch_optional(p).await?))
}

/// Closes a person's account as a leaver, in one transaction: the employee is inactive from
/// `left_on`, their user (if any) is disabled and signed out everywhere, and a one-time link
/// to their record is stored.
pub async fn close_as_leaver(
    db: &Db,
    employee: EmployeeId,
    left_on: chrono::NaiveDate,
    token_hash: &str,
    by: Option<UserId>,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    let leave = "UPDATE employees SET active = $2, left_on = $3 WHERE id = $1";
    let disable = "UPDATE users SET disabled = $2, session_epoch = session_epoch + 1 WHERE employee_id = $1";
    let link = "INSERT INTO leaver_links (token_hash, employee_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
    let mut tx = db.begin().await?;
    on_db!(&mut tx, c => {
        sqlx::query(leave).bind(employee).bind(false).bind(left_on).execute(&mut *c).await?;
        sqlx::query(disable).bind(employee).bind(true).execute(&mut *c).await?;
        sqlx::query(link).bind(token_hash).bind(employee).bind(by).bind(Utc::now()).bind(expires_at).execute(&mut *c).await?;
    });
    // Who counts in the headcount and roll-ups changed.
    crate::kra::figures_changed(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}
