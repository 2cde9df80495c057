//! One-time links for a person who left to download their record (issue 30, `leaver_links`):
//! only the SHA-256 of the token is stored, like invitations and API tokens. A link works once,
//! and only until it expires: taking it marks it used in the same statement that checks it, so
//! two downloads at once cannot both succeed. Looking at a link ([`pending`]) does not use it.

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::{EmployeeId, UserId};

use crate::{on_db, Db, Result, StoreError};

/// Keeps the person's password as it is now with the link: only it unlocks the private entries
/// later (see [`password_of`]).
const KEEP_PASSWORD: &str =
    "UPDATE leaver_links SET password_hash = (SELECT password_hash FROM users WHERE employee_id = $2) WHERE token_hash = $1";

/// Records a new link for `employee`, made by `by`, valid until `expires_at`, with the person's
/// password as it is now.
pub async fn create(
    db: &Db,
    employee: EmployeeId,
    token_hash: &str,
    by: Option<UserId>,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    let sql = "INSERT INTO leaver_links (token_hash, employee_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
    let mut tx = db.begin().await?;
    on_db!(&mut tx, c => {
        sqlx::query(sql).bind(token_hash).bind(employee).bind(by).bind(Utc::now()).bind(expires_at).execute(&mut *c).await?;
        sqlx::query(KEEP_PASSWORD).bind(token_hash).bind(employee).execute(&mut *c).await?;
    });
    tx.commit().await
}

/// An unused link that still works: the person it is for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Pending {
    pub employee_id: EmployeeId,
    pub expires_at: DateTime<Utc>,
    /// The person's password hash when the link was made (`None`: they had none). A password set
    /// later (an administrator resetting the closed account) does not count.
    pub password_hash: Option<String>,
}

/// The link, if it is unused and `now` is before its expiry; nothing changes (a link's page is
/// shown with this, so a preview does not spend it).
pub async fn pending(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Pending>> {
    let sql = "SELECT employee_id, expires_at, password_hash FROM leaver_links
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(token_hash).bind(now).fetch_optional(p).await?))
}

/// Uses the link: the person it is for if it is unused and `now` is before its expiry, and
/// from then on it is used; `None` otherwise (unknown, used, or expired).
pub async fn take(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<Option<EmployeeId>> {
    let sql = "UPDATE leaver_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
        RETURNING employee_id";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(token_hash).bind(now).fetch_optional(p).await?))
}

/// The conflict when the person was closed already (perhaps by someone else a moment ago).
pub const ALREADY_LEFT: &str = "already left";
/// The conflict when the person's user is the last administrator who can still sign in.
pub const LAST_ADMIN: &str = "this is the last active administrator: make another administrator first";

/// One leaver's closing: who, from which day, and the link's hash, maker and expiry.
pub struct Leaver {
    pub employee: EmployeeId,
    pub left_on: NaiveDate,
    pub token_hash: String,
    pub by: Option<UserId>,
    pub expires_at: DateTime<Utc>,
}

/// Closes a person's account as a leaver, in one transaction: the employee is inactive from
/// `left_on` (only if they were active, so two closes at once make one), their open role spell
/// ends that day, their user (if any) is disabled and signed out everywhere, a one-time link to
/// their record is stored, and the closing is audited. Never the last active administrator.
pub async fn close_as_leaver(db: &Db, l: &Leaver) -> Result<()> {
    let leave = "UPDATE employees SET active = $2, left_on = $3 WHERE id = $1 AND active = $4";
    let other_admins = "SELECT COUNT(*) FROM users WHERE access = 'admin' AND disabled = $2
        AND (employee_id IS NULL OR employee_id <> $1)";
    let is_admin = "SELECT COUNT(*) FROM users WHERE access = 'admin' AND employee_id = $1";
    let end_spell = "UPDATE role_history SET to_date = $2 WHERE employee_id = $1 AND to_date IS NULL";
    let disable = "UPDATE users SET disabled = $2, session_epoch = session_epoch + 1 WHERE employee_id = $1";
    let link = "INSERT INTO leaver_links (token_hash, employee_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
    let mut tx = db.begin().await?;
    let closed = on_db!(&mut tx, c => sqlx::query(leave).bind(l.employee).bind(false).bind(l.left_on).bind(true)
        .execute(&mut *c).await?.rows_affected());
    if closed != 1 {
        return Err(StoreError::Conflict(ALREADY_LEFT.into()));
    }
    let (admin, others): (i64, i64) = on_db!(&mut tx, c => (
        sqlx::query_scalar(is_admin).bind(l.employee).fetch_one(&mut *c).await?,
        sqlx::query_scalar(other_admins).bind(l.employee).bind(false).fetch_one(&mut *c).await?,
    ));
    if admin > 0 && others == 0 {
        return Err(StoreError::Conflict(LAST_ADMIN.into()));
    }
    on_db!(&mut tx, c => {
        sqlx::query(end_spell).bind(l.employee).bind(l.left_on).execute(&mut *c).await?;
        sqlx::query(disable).bind(l.employee).bind(true).execute(&mut *c).await?;
        sqlx::query(link).bind(&l.token_hash).bind(l.employee).bind(l.by).bind(Utc::now()).bind(l.expires_at)
            .execute(&mut *c).await?;
        sqlx::query(KEEP_PASSWORD).bind(&l.token_hash).bind(l.employee).execute(&mut *c).await?;
    });
    let change = crate::audit::Change {
        actor_id: l.by,
        entity: "employee",
        entity_id: l.employee.to_string(),
        action: "leave",
        before: None,
        after: Some(serde_json::json!({ "left_on": l.left_on })),
    };
    on_db!(&mut tx, c => crate::audit::bind(sqlx::query(crate::audit::INSERT_SQL), &change).execute(&mut *c).await.map(drop)?);
    // Who counts in the headcount and roll-ups changed.
    crate::kra::figures_changed(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}
