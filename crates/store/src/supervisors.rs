//! A personal Ladder's supervisors (issue 30, migration 0029): the owner's one-time invite link,
//! stored as its SHA-256 only, and the accounts it made, each leading the owner's team without
//! an employee record of its own. One link waits at a time: a new one deletes the pending one.

use chrono::{DateTime, Utc};
use ladder_core::access::Access;
use ladder_core::{TeamId, UserId};

use crate::{on_db, read, Db, Result, StoreError};

/// The link waiting to be used, if any.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingInvite {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// A supervisor of a team: their account, and whether it is disabled (removed).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Supervisor {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub disabled: bool,
    pub since: DateTime<Utc>,
}

/// Stores a new link for `team`, deleting the one still pending (its URL stops working).
pub async fn replace_invite(
    db: &Db,
    team: TeamId,
    by: UserId,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    let clear = "DELETE FROM supervisor_invites WHERE team_id = $1 AND used_at IS NULL";
    let insert = "INSERT INTO supervisor_invites (token_hash, team_id, created_by, created_at, expires_at)
        VALUES ($1, $2, $3, $4, $5)";
    let mut tx = db.begin().await?;
    on_db!(&mut tx, c => {
        sqlx::query(clear).bind(team).execute(&mut *c).await?;
        sqlx::query(insert).bind(token_hash).bind(team).bind(by).bind(now).bind(expires_at).execute(&mut *c).await?;
    });
    tx.commit().await
}

/// Deletes the team's pending link; false if there was none.
pub async fn revoke_invite(db: &Db, team: TeamId) -> Result<bool> {
    let sql = "DELETE FROM supervisor_invites WHERE team_id = $1 AND used_at IS NULL";
    Ok(on_db!(db, p => sqlx::query(sql).bind(team).execute(p).await?.rows_affected()) > 0)
}

/// The team's link waiting to be used (unused and unexpired).
pub async fn pending_invite(db: &Db, team: TeamId, now: DateTime<Utc>) -> Result<Option<PendingInvite>> {
    let sql = "SELECT created_at, expires_at FROM supervisor_invites
        WHERE team_id = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC LIMIT 1";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(team).bind(now).fetch_optional(p).await?))
}

/// The team a link would make its user supervise, while it is unused and unexpired.
pub async fn invite_team(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<Option<TeamId>> {
    let sql = "SELECT team_id FROM supervisor_invites WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(token_hash).bind(now).fetch_optional(p).await?))
}

/// The supervisor a link makes.
#[derive(Debug, Clone)]
pub struct NewSupervisor<'a> {
    pub organisation_id: i64,
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
}

/// Why a link made no account.
#[derive(Debug)]
pub enum JoinRefused {
    /// Used, expired, revoked or never made.
    LinkGone,
    /// The team has `cap` active supervisors already.
    Full {
        cap: i64,
    },
    Store(StoreError),
}

impl From<StoreError> for JoinRefused {
    fn from(e: StoreError) -> Self {
        JoinRefused::Store(e)
    }
}

impl From<sqlx::Error> for JoinRefused {
    fn from(e: sqlx::Error) -> Self {
        JoinRefused::Store(e.into())
    }
}

/// Uses the link up and makes its account, a team leader of the link's team, in one
/// transaction: a refused e-mail (taken) or a full team leaves the link unused. Atomic: a link
/// makes one account even when two requests race.
pub async fn join(
    db: &Db,
    token_hash: &str,
    s: &NewSupervisor<'_>,
    cap: i64,
    now: DateTime<Utc>,
) -> std::result::Result<UserId, JoinRefused> {
    let redeem = "UPDATE supervisor_invites SET used_at = $2
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING team_id";
    let active = "SELECT COUNT(*) FROM team_supervisors s JOIN users u ON u.id = s.user_id
        WHERE s.team_id = $1 AND NOT u.disabled";
    let user = "INSERT INTO users (organisation_id, email, name, access, employee_id, password_hash, created_at)
        VALUES ($1, $2, $3, $4, NULL, $5, $6) RETURNING id";
    let made = "UPDATE supervisor_invites SET user_id = $2 WHERE token_hash = $1";
    let lead = "INSERT INTO team_supervisors (user_id, team_id, created_at) VALUES ($1, $2, $3)";
    let email = s.email.trim().to_lowercase();
    let mut tx = db.begin().await?;
    let user_id = on_db!(&mut tx, c => {
        let team: Option<TeamId> = sqlx::query_scalar(redeem).bind(token_hash).bind(now).fetch_optional(&mut *c).await?;
        let Some(team) = team else { return Err(JoinRefused::LinkGone) };
        let n: i64 = sqlx::query_scalar(active).bind(team).fetch_one(&mut *c).await?;
        if n >= cap {
            return Err(JoinRefused::Full { cap });
        }
        let id: UserId = sqlx::query_scalar(user)
            .bind(s.organisation_id).bind(&email).bind(s.name).bind(Access::TeamLeader.as_str())
            .bind(s.password_hash).bind(now)
            .fetch_one(&mut *c).await
            .map_err(|e| StoreError::from_write(e, &format!("a user with email {email}")))?;
        sqlx::query(made).bind(token_hash).bind(id).execute(&mut *c).await?;
        sqlx::query(lead).bind(id).bind(team).bind(now).execute(&mut *c).await?;
        id
    });
    tx.commit().await?;
    Ok(user_id)
}

/// The team's supervisors, removed ones too, oldest first.
pub async fn of_team(db: &Db, team: TeamId) -> Result<Vec<Supervisor>> {
    let sql = "SELECT u.id AS user_id, u.name, u.email, u.disabled, s.created_at AS since
        FROM team_supervisors s JOIN users u ON u.id = s.user_id WHERE s.team_id = $1 ORDER BY s.created_at, u.id";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(team).fetch_all(p).await?))
}

/// The supervisors of the team that are not disabled.
pub async fn active_count(db: &Db, team: TeamId) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM team_supervisors s JOIN users u ON u.id = s.user_id
        WHERE s.team_id = $1 AND NOT u.disabled";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(team).fetch_one(p).await?))
}

/// The teams a user supervises without an employee record (their `led_teams`): read on every
/// request of such a user, so a direct read on SQLite.
pub async fn supervised_teams(db: &Db, user: UserId) -> Result<Vec<TeamId>> {
    let sql = "SELECT team_id FROM team_supervisors WHERE user_id = $1 ORDER BY team_id";
    Ok(read!(db, all, query_scalar, sql, |r| r.get(0); user))
}
