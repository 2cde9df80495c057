//! In-app notifications (issue 26, migration 0033): one row per recipient, written in the
//! transaction of the event it tells of (through a [`Tx`]), or by the daily pass (a coaching
//! follow-up, once per note). The text is made when shown from `kind` and `params`.

use chrono::{DateTime, Utc};
use ladder_core::{EmployeeId, UserId};
use serde::{Deserialize, Serialize};

use crate::db::Tx;
use crate::{on_db, read, Db, Result};

/// What a notification tells of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A person sent their check-in (to their leaders).
    CheckinSent,
    /// A leader reviewed a person's check-in (to the person).
    CheckinAcknowledged,
    /// A coaching follow-up is coming up (to the person, from the daily pass).
    FollowupDue,
    /// A leader assessed a skill the person had rated themselves (to the person).
    SkillConfirmed,
    /// An application moved to another stage (to the applicant).
    ApplicationMoved,
    /// A person agreed to their year's KRA plan (to their leaders).
    PlanAgreed,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::CheckinSent,
        Kind::CheckinAcknowledged,
        Kind::FollowupDue,
        Kind::SkillConfirmed,
        Kind::ApplicationMoved,
        Kind::PlanAgreed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::CheckinSent => "checkin_sent",
            Kind::CheckinAcknowledged => "checkin_acknowledged",
            Kind::FollowupDue => "followup_due",
            Kind::SkillConfirmed => "skill_confirmed",
            Kind::ApplicationMoved => "application_moved",
            Kind::PlanAgreed => "plan_agreed",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A notification to write: to whom is decided by the function it is given to.
#[derive(Debug, Clone)]
pub struct New {
    pub kind: Kind,
    /// Whom it is about.
    pub employee_id: Option<EmployeeId>,
    /// The page it opens (a path on this server).
    pub link: String,
    /// What the text is made from (a JSON object of strings).
    pub params: serde_json::Value,
    /// Makes it once only per recipient (a follow-up's note id); `None` for events.
    pub about: Option<String>,
}

/// One stored notification, with the name of the person it is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Notification {
    pub id: i64,
    pub user_id: UserId,
    pub kind: String,
    pub employee_id: Option<EmployeeId>,
    pub employee_name: Option<String>,
    pub link: String,
    pub params: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

const INSERT_SELECT: &str = "INSERT INTO notifications (user_id, kind, employee_id, link, params, about, created_at)
    SELECT u.id, $2, $3, $4, $5, $6, $7 FROM users u WHERE NOT u.disabled AND ";

macro_rules! insert {
    ($c:expr, $sql:expr, $who:expr, $n:expr, $at:expr) => {
        sqlx::query($sql)
            .bind($who)
            .bind($n.kind.as_str())
            .bind($n.employee_id)
            .bind(&$n.link)
            .bind($n.params.to_string())
            .bind(&$n.about)
            .bind($at)
            .execute($c)
            .await
            .map(|r| r.rows_affected())
    };
}

/// To the person's own account(s) but the one who did it (`by`: a personal Ladder's person
/// reviews their own check-in), in the event's transaction.
pub async fn to_person(tx: &mut Tx, employee: EmployeeId, by: UserId, n: &New) -> Result<()> {
    // An id of ours, not text from outside: safe in the statement, and it keeps one binding list.
    let sql = format!("{INSERT_SELECT} u.employee_id = $1 AND u.id <> {} ON CONFLICT DO NOTHING", by.0);
    on_db!(tx, c => insert!(c, &sql, employee, n, Utc::now())?);
    Ok(())
}

/// To whoever leads `employee`'s team (its team leaders and a personal Ladder's supervisors),
/// never to the person themselves, in the event's transaction.
pub async fn to_leaders_of(tx: &mut Tx, employee: EmployeeId, n: &New) -> Result<()> {
    let sql = format!(
        "{INSERT_SELECT} u.access = 'team-leader' AND (u.employee_id IS NULL OR u.employee_id <> $1)
        AND (u.employee_id IN (SELECT l.employee_id FROM team_leaders l JOIN employees e ON e.team_id = l.team_id
                WHERE e.id = $1)
            OR u.id IN (SELECT s.user_id FROM team_supervisors s JOIN employees e ON e.team_id = s.team_id
                WHERE e.id = $1))
        ON CONFLICT DO NOTHING"
    );
    on_db!(tx, c => insert!(c, &sql, employee, n, Utc::now())?);
    Ok(())
}

/// To one user, outside an event (the daily pass, the demo): false if `about` was made before.
pub async fn to_user(db: &Db, user: UserId, n: &New, at: DateTime<Utc>) -> Result<bool> {
    let sql = format!("{INSERT_SELECT} u.id = $1 ON CONFLICT DO NOTHING");
    let made = on_db!(db, p => insert!(p, &sql, user, n, at)?);
    Ok(made == 1)
}

/// How many of `user`'s notifications are unread: read on every page's header, so a direct
/// read on SQLite.
pub async fn unread_count(db: &Db, user: UserId) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL";
    let counts: Vec<i64> = read!(db, all, query_scalar, sql, |r| r.get(0); user);
    Ok(counts.first().copied().unwrap_or(0))
}

/// How many notifications `user` has in all.
pub async fn count(db: &Db, user: UserId) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM notifications WHERE user_id = $1";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(user).fetch_one(p).await?))
}

/// Up to `limit` of `user`'s notifications, newest first, older than the id `before` if given.
pub async fn list(db: &Db, user: UserId, before: Option<i64>, limit: i64) -> Result<Vec<Notification>> {
    let sql = "SELECT n.id, n.user_id, n.kind, n.employee_id, e.name AS employee_name, n.link, n.params,
        n.created_at, n.read_at FROM notifications n LEFT JOIN employees e ON e.id = n.employee_id
        WHERE n.user_id = $1 AND n.id < $2 ORDER BY n.id DESC LIMIT $3";
    let before = before.unwrap_or(i64::MAX);
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(user).bind(before).bind(limit).fetch_all(p).await?))
}

/// These users' unread notifications made since `since`, oldest first (the reminder e-mails).
pub async fn unread_since(db: &Db, users: &[UserId], since: DateTime<Utc>) -> Result<Vec<Notification>> {
    let sql = format!(
        "SELECT n.id, n.user_id, n.kind, n.employee_id, e.name AS employee_name, n.link, n.params,
        n.created_at, n.read_at FROM notifications n LEFT JOIN employees e ON e.id = n.employee_id
        WHERE n.user_id IN {} AND n.read_at IS NULL AND n.created_at >= $2 ORDER BY n.id",
        db.id_list("$1")
    );
    let users = crate::db::json_ids(users);
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(&users).bind(since).fetch_all(p).await?))
}

/// Marks one of `user`'s notifications read: false if they have none with that id.
pub async fn mark_read(db: &Db, user: UserId, id: i64, now: DateTime<Utc>) -> Result<bool> {
    let sql = "UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE user_id = $1 AND id = $2";
    let n = on_db!(db, p => sqlx::query(sql).bind(user).bind(id).bind(now).execute(p).await?.rows_affected());
    Ok(n == 1)
}

/// Marks every unread notification of `user` read; returns how many.
pub async fn mark_all_read(db: &Db, user: UserId, now: DateTime<Utc>) -> Result<u64> {
    let sql = "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL";
    Ok(on_db!(db, p => sqlx::query(sql).bind(user).bind(now).execute(p).await?.rows_affected()))
}

/// Deletes read notifications beyond each user's newest `keep` or made before `read_before`,
/// and any made before `any_before` (unread ones stay until read, or until then); returns how
/// many went.
pub async fn sweep(db: &Db, keep: i64, read_before: DateTime<Utc>, any_before: DateTime<Utc>) -> Result<u64> {
    let sql = "DELETE FROM notifications WHERE created_at < $3 OR (read_at IS NOT NULL AND (created_at < $2
        OR id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY id DESC) AS newer
            FROM notifications) ranked WHERE newer > $1)))";
    Ok(
        on_db!(db, p => sqlx::query(sql).bind(keep).bind(read_before).bind(any_before).execute(p).await?.rows_affected()),
    )
}
