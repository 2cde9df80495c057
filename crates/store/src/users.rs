//! Accounts: users, one-time invitations, API tokens (stored hashed) and login attempts.
//! Hashing passwords is the server's job; this module stores what it is given.

use chrono::{DateTime, Utc};
use ladder_core::access::{Access, Actor};
use ladder_core::{EmployeeId, UserId};
use serde::{Deserialize, Serialize};

use rusqlite::Row;

use crate::{on_db, read, Db, Result, StoreError};

/// The sign-in tables, as bulk writers fill them.
pub mod tables {
    use crate::table::Table;

    pub const USERS: Table = Table {
        name: "users",
        columns:
            "id, organisation_id, email, name, access, employee_id, password_hash, disabled, session_epoch, created_at",
        identity: true,
    };

    pub const MANAGER_SCOPES: Table = Table::new("manager_scopes", "user_id, site_id, account_id");
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub access: String,
    pub employee_id: Option<EmployeeId>,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub disabled: bool,
    pub session_epoch: i64,
    pub created_at: DateTime<Utc>,
}

impl User {
    /// A row of `USER_SELECT`'s columns read directly, from column `first` on.
    fn read(r: &Row<'_>, first: usize) -> rusqlite::Result<User> {
        Ok(User {
            id: r.get(first)?,
            email: r.get(first + 1)?,
            name: r.get(first + 2)?,
            access: r.get(first + 3)?,
            employee_id: r.get(first + 4)?,
            password_hash: r.get(first + 5)?,
            disabled: r.get(first + 6)?,
            session_epoch: r.get(first + 7)?,
            created_at: crate::read::timestamp(r, first + 8)?,
        })
    }

    pub fn access(&self) -> Access {
        Access::parse(&self.access).unwrap_or(Access::Agent)
    }
}

const USER_SELECT: &str =
    "SELECT id, email, name, access, employee_id, password_hash, disabled, session_epoch, created_at FROM users";

#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub organisation_id: i64,
    pub email: &'a str,
    pub name: &'a str,
    pub access: Access,
    pub employee_id: Option<EmployeeId>,
    pub password_hash: Option<&'a str>,
}

pub async fn create_user(db: &Db, u: &NewUser<'_>) -> Result<UserId> {
    let sql = "INSERT INTO users (organisation_id, email, name, access, employee_id, password_hash, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    let email = u.email.trim().to_lowercase();
    on_db!(db, p => sqlx::query_scalar(sql)
        .bind(u.organisation_id).bind(&email).bind(u.name).bind(u.access.as_str()).bind(u.employee_id)
        .bind(u.password_hash).bind(Utc::now())
        .fetch_one(p).await)
    .map_err(|e| user_write_error(e, &email))
}

/// A new account's one-time invitation to set a password, written with it.
#[derive(Debug, Clone)]
pub struct NewInvitation<'a> {
    pub token_hash: &'a str,
    pub expires_at: DateTime<Utc>,
}

/// Creates a user, the sites and accounts a manager answers for, and the invitation, in one
/// transaction: a refused scope leaves no account behind. A second account for an employee who
/// has one, or a taken email, is a conflict.
pub async fn create_invited_user(
    db: &Db,
    u: &NewUser<'_>,
    sites: &[i64],
    accounts: &[i64],
    invitation: &NewInvitation<'_>,
) -> Result<UserId> {
    let insert = "INSERT INTO users (organisation_id, email, name, access, employee_id, password_hash, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    let scope = "INSERT INTO manager_scopes (user_id, site_id, account_id) VALUES ($1, $2, $3)";
    let invite = "INSERT INTO invitations (token_hash, user_id, expires_at) VALUES ($1, $2, $3)";
    let email = u.email.trim().to_lowercase();
    let refused = |e: sqlx::Error| user_write_error(e, &email);
    on_db!(db, p => {
        let mut tx = p.begin().await?;
        let id: UserId = sqlx::query_scalar(insert)
            .bind(u.organisation_id).bind(&email).bind(u.name).bind(u.access.as_str()).bind(u.employee_id)
            .bind(u.password_hash).bind(Utc::now())
            .fetch_one(&mut *tx).await.map_err(refused)?;
        let scopes = sites.iter().map(|s| (Some(*s), None)).chain(accounts.iter().map(|a| (None, Some(*a))));
        for (site, account) in scopes {
            sqlx::query(scope).bind(id).bind(site).bind(account).execute(&mut *tx).await
                .map_err(|e| StoreError::from_write(e, "a manager's site or account"))?;
        }
        sqlx::query(invite).bind(invitation.token_hash).bind(id).bind(invitation.expires_at)
            .execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(id)
    })
}

/// A refused insert of a user: the one account per employee, or the one user per email.
pub(crate) fn user_write_error(e: sqlx::Error, email: &str) -> StoreError {
    let per_employee = match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            d.constraint() == Some("users_one_per_employee") || d.message().contains("users.employee_id")
        }
        _ => false,
    };
    if per_employee {
        return StoreError::Conflict("this employee already has an account".into());
    }
    StoreError::from_write(e, &format!("a user with email {email}"))
}

/// The account linked to an employee's record, if any (there is at most one).
pub async fn user_of_employee(db: &Db, employee: EmployeeId) -> Result<Option<User>> {
    let sql = format!("{USER_SELECT} WHERE employee_id = $1");
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(employee).fetch_optional(p).await?))
}

pub async fn user(db: &Db, id: UserId) -> Result<User> {
    let sql = format!("{USER_SELECT} WHERE id = $1");
    let found: Option<User> = read!(db, optional, query_as, &sql, |r| User::read(r, 0); id);
    found.ok_or(StoreError::NotFound)
}

pub async fn user_by_email(db: &Db, email: &str) -> Result<Option<User>> {
    let sql = format!("{USER_SELECT} WHERE email = $1");
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(email.trim().to_lowercase()).fetch_optional(p).await?))
}

pub async fn users(db: &Db) -> Result<Vec<User>> {
    let sql = format!("{USER_SELECT} ORDER BY email");
    Ok(on_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?))
}

pub async fn set_password_hash(db: &Db, user_id: UserId, hash: &str) -> Result<()> {
    let sql = "UPDATE users SET password_hash = $2 WHERE id = $1";
    on_db!(db, p => sqlx::query(sql).bind(user_id).bind(hash).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_disabled(db: &Db, user_id: UserId, disabled: bool) -> Result<()> {
    let sql = "UPDATE users SET disabled = $2, session_epoch = session_epoch + 1 WHERE id = $1";
    on_db!(db, p => sqlx::query(sql).bind(user_id).bind(disabled).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Invalidates every session of a user ("sign out everywhere", access reset).
pub async fn bump_session_epoch(db: &Db, user_id: UserId) -> Result<i64> {
    let sql = "UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1 RETURNING session_epoch";
    on_db!(db, p => sqlx::query_scalar(sql).bind(user_id).fetch_optional(p).await)?.ok_or(StoreError::NotFound)
}

pub async fn add_manager_scope(db: &Db, user_id: UserId, site_id: Option<i64>, account_id: Option<i64>) -> Result<()> {
    let sql = "INSERT INTO manager_scopes (user_id, site_id, account_id) VALUES ($1, $2, $3)";
    on_db!(db, p => sqlx::query(sql).bind(user_id).bind(site_id).bind(account_id).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The actor a user acts as: their access and the scope it covers.
pub async fn actor(db: &Db, user: &User) -> Result<Actor> {
    // A supervisor of a personal Ladder leads without an employee record of their own.
    let led_teams = match user.employee_id {
        Some(e) if user.access() == Access::TeamLeader => crate::org::led_teams(db, e).await?,
        None if user.access() == Access::TeamLeader => crate::supervisors::supervised_teams(db, user.id).await?,
        _ => vec![],
    };
    // A QA/trainer's sites are kept as a manager's are.
    let (sites, accounts) = if matches!(user.access(), Access::Manager | Access::Trainer) {
        let sql = "SELECT site_id, account_id FROM manager_scopes WHERE user_id = $1";
        let rows: Vec<(Option<i64>, Option<i64>)> =
            read!(db, all, query_as, sql, |r| Ok((r.get(0)?, r.get(1)?)); user.id);
        (rows.iter().filter_map(|r| r.0).collect(), rows.iter().filter_map(|r| r.1).collect())
    } else {
        (vec![], vec![])
    };
    Ok(Actor { user_id: user.id, access: user.access(), employee_id: user.employee_id, led_teams, sites, accounts })
}

pub async fn create_invitation(db: &Db, user_id: UserId, token_hash: &str, expires_at: DateTime<Utc>) -> Result<()> {
    // A new invitation replaces any unused one.
    let clear = "DELETE FROM invitations WHERE user_id = $1 AND used_at IS NULL";
    let sql = "INSERT INTO invitations (token_hash, user_id, expires_at) VALUES ($1, $2, $3)";
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        sqlx::query(clear).bind(user_id).execute(&mut *tx).await?;
        sqlx::query(sql).bind(token_hash).bind(user_id).bind(expires_at).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    })
}

/// Marks an invitation used and returns its user, if it is unused and unexpired. Atomic: a
/// token can be redeemed once even when two requests race.
pub async fn redeem_invitation(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<Option<UserId>> {
    let sql = "UPDATE invitations SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(token_hash).bind(now).fetch_optional(p).await?))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: UserId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn create_api_token(db: &Db, user_id: UserId, name: &str, token_hash: &str) -> Result<i64> {
    let sql = "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id";
    Ok(
        on_db!(db, p => sqlx::query_scalar(sql).bind(user_id).bind(name).bind(token_hash).bind(Utc::now()).fetch_one(p).await?),
    )
}

pub async fn api_tokens(db: &Db, user_id: UserId) -> Result<Vec<ApiToken>> {
    let sql =
        "SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(user_id).fetch_all(p).await?))
}

pub async fn revoke_api_token(db: &Db, user_id: UserId, token_id: i64) -> Result<()> {
    let sql = "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL";
    let done = on_db!(db, p => sqlx::query(sql).bind(token_id).bind(user_id).bind(Utc::now()).execute(p).await?.rows_affected());
    if done == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The user a token (by hash) belongs to, unless revoked: one query, as it runs on every API call.
pub async fn user_for_token(db: &Db, token_hash: &str) -> Result<Option<User>> {
    #[derive(sqlx::FromRow)]
    struct TokenUser {
        last_used_at: Option<DateTime<Utc>>,
        #[sqlx(flatten)]
        user: User,
    }
    let sql = "SELECT t.last_used_at, u.id, u.email, u.name, u.access, u.employee_id, u.password_hash, u.disabled,
            u.session_epoch, u.created_at
        FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL";
    let read =
        |r: &Row<'_>| Ok(TokenUser { last_used_at: crate::read::timestamp_or_null(r, 0)?, user: User::read(r, 1)? });
    let found: Option<TokenUser> = read!(db, optional, query_as, sql, read; token_hash);
    let Some(TokenUser { last_used_at, user }) = found else { return Ok(None) };
    // "Last used" to the minute: writing it on every request would queue every API call behind
    // SQLite's one writer.
    let now = Utc::now();
    if last_used_at.is_none_or(|t| now - t >= chrono::Duration::minutes(1)) {
        let touch = "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1";
        on_db!(db, p => sqlx::query(touch).bind(token_hash).bind(now).execute(p).await.map(|r| r.rows_affected()))?;
    }
    Ok(Some(user))
}

/// What ending a user's access does to their password.
#[derive(Debug, Clone, Copy)]
pub enum Password<'a> {
    Keep,
    /// An access reset: the old password stops working until the new link is used.
    Clear,
    /// A password change: the new hash.
    Set(&'a str),
}

/// Ends every session and API token of a user in one transaction ("sign out everywhere", a
/// password change, an access reset); returns the new session epoch.
pub async fn end_all_access(db: &Db, user_id: UserId, password: Password<'_>, now: DateTime<Utc>) -> Result<i64> {
    let mut tx = db.begin().await?;
    let bump = "UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1 RETURNING session_epoch";
    let revoke = "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";
    let set_hash = "UPDATE users SET password_hash = $2 WHERE id = $1";
    let hash = match password {
        Password::Keep => None,
        Password::Clear => Some(None),
        Password::Set(h) => Some(Some(h)),
    };
    let epoch: Option<i64> = on_db!(&mut tx, c => {
        if let Some(hash) = hash {
            sqlx::query(set_hash).bind(user_id).bind(hash).execute(&mut *c).await?;
        }
        sqlx::query(revoke).bind(user_id).bind(now).execute(&mut *c).await?;
        sqlx::query_scalar(bump).bind(user_id).fetch_optional(&mut *c).await?
    });
    let epoch = epoch.ok_or(StoreError::NotFound)?;
    tx.commit().await?;
    Ok(epoch)
}

/// Up to `limit` users after the one with this email and id, by email then id (a page of the list).
pub async fn users_after(db: &Db, after: Option<(String, UserId)>, limit: i64) -> Result<Vec<User>> {
    let (email, id) = after.map_or((None, None), |(email, id)| (Some(email), Some(id)));
    let sql = format!(
        "{USER_SELECT} WHERE ($1 IS NULL OR email > $1 OR (email = $1 AND id > $2)) ORDER BY email, id LIMIT $3"
    );
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(&email).bind(id).bind(limit).fetch_all(p).await?))
}

/// How many users there are.
pub async fn count_users(db: &Db) -> Result<u64> {
    let n: i64 = on_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(p).await?);
    Ok(n.max(0) as u64)
}

/// Links an account with no employee record to `employee` (HR, after a self sign-up). An
/// account linked meanwhile is stale; a record that has an account already is a conflict.
pub async fn link_employee(db: &Db, user_id: UserId, employee: EmployeeId) -> Result<()> {
    let sql = "UPDATE users SET employee_id = $2 WHERE id = $1 AND employee_id IS NULL";
    let email = user(db, user_id).await?.email;
    let done =
        on_db!(db, p => sqlx::query(sql).bind(user_id).bind(employee).execute(p).await.map(|r| r.rows_affected()))
            .map_err(|e| user_write_error(e, &email))?;
    if done == 0 {
        return Err(StoreError::Stale("the account was linked meanwhile: reload it".into()));
    }
    Ok(())
}
