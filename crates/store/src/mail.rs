//! Reminder e-mails (issue 30): which were sent (`mail_sent`) and which kinds each person turned
//! off (`mail_opt_outs`). A reminder is claimed before it is sent, so two servers, or one
//! restarted, never send it twice; a failed send gives its claim back.

use chrono::{DateTime, Utc};
use ladder_core::UserId;

use crate::{on_db, Db, Result};

/// Claims the reminder `kind` about `about` for `user`: true if no one had, so send it now.
pub async fn claim(db: &Db, user: UserId, kind: &str, about: &str, now: DateTime<Utc>) -> Result<bool> {
    let sql = "INSERT INTO mail_sent (user_id, kind, about, sent_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (user_id, kind, about) DO NOTHING";
    let n =
        on_db!(db, p => sqlx::query(sql).bind(user).bind(kind).bind(about).bind(now).execute(p).await?.rows_affected());
    Ok(n == 1)
}

/// Gives a claim back (the mail could not be sent), so the next pass tries again.
pub async fn unclaim(db: &Db, user: UserId, kind: &str, about: &str) -> Result<()> {
    let sql = "DELETE FROM mail_sent WHERE user_id = $1 AND kind = $2 AND about = $3";
    on_db!(db, p => sqlx::query(sql).bind(user).bind(kind).bind(about).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// How many reminders were sent to `user` (for tests and the account page).
pub async fn sent_count(db: &Db, user: UserId) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM mail_sent WHERE user_id = $1";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(user).fetch_one(p).await?))
}

/// The kinds of reminder `user` turned off.
pub async fn opt_outs(db: &Db, user: UserId) -> Result<Vec<String>> {
    let sql = "SELECT kind FROM mail_opt_outs WHERE user_id = $1 ORDER BY kind";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(user).fetch_all(p).await?))
}

/// Replaces the kinds `user` turned off, in one transaction.
pub async fn set_opt_outs(db: &Db, user: UserId, kinds: &[&str]) -> Result<()> {
    let mut tx = db.begin().await?;
    on_db!(&mut tx, c => {
        sqlx::query("DELETE FROM mail_opt_outs WHERE user_id = $1").bind(user).execute(&mut *c).await?;
        for kind in kinds {
            sqlx::query("INSERT INTO mail_opt_outs (user_id, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(user).bind(*kind).execute(&mut *c).await?;
        }
    });
    tx.commit().await
}

/// Everyone who may get reminders: enabled users with a personal record, with that record.
pub async fn recipients(db: &Db) -> Result<Vec<(UserId, String, ladder_core::EmployeeId)>> {
    let sql = "SELECT id, email, employee_id FROM users WHERE employee_id IS NOT NULL AND NOT disabled ORDER BY id";
    Ok(on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?))
}

/// These users' turned-off kinds, as (user, kind) pairs (the reminder pass reads a chunk of
/// people at once).
pub async fn opt_outs_of(db: &Db, users: &[UserId]) -> Result<Vec<(UserId, String)>> {
    let sql =
        format!("SELECT user_id, kind FROM mail_opt_outs WHERE user_id IN {} ORDER BY user_id, kind", db.id_list("$1"));
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(crate::db::json_ids(users)).fetch_all(p).await?))
}

/// Every reminder sent already to these users, as (user, kind, about): the pass claims only the
/// others.
pub async fn sent_to(db: &Db, users: &[UserId]) -> Result<Vec<(UserId, String, String)>> {
    let sql = format!("SELECT user_id, kind, about FROM mail_sent WHERE user_id IN {}", db.id_list("$1"));
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(crate::db::json_ids(users)).fetch_all(p).await?))
}
