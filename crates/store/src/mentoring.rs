//! Mentoring and shadowing (issue 26, migration 0034): a person's request for a mentor or a
//! shadowing day towards a role, the mentor their leader or HR pairs them with, and the sessions
//! either of them logs (evidence in the promotion packet).

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::{EmployeeId, UserId};
use serde::Serialize;

use crate::{on_db, Db, Result, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct MentoringRequest {
    pub id: i64,
    pub employee_id: EmployeeId,
    pub mentee_name: String,
    /// The mentee's team: who leads it may pair the request.
    pub mentee_team_id: Option<ladder_core::TeamId>,
    /// `mentor` or `shadowing`.
    pub kind: String,
    pub target_role: String,
    pub note: String,
    pub mentor_id: Option<EmployeeId>,
    pub mentor_name: Option<String>,
    pub paired_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Sessions logged and their minutes.
    pub sessions: i64,
    pub minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct MentoringSession {
    pub id: i64,
    pub request_id: i64,
    pub held_on: NaiveDate,
    pub minutes: i32,
    pub note: String,
    pub logged_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    /// Who logged it: `mentee` or `mentor` (none once the account is gone).
    pub logged_as: Option<String>,
}

/// A session with who logged it: the mentee's own account, or else the mentor's.
const SESSION_SELECT: &str = "SELECT s.id, s.request_id, s.held_on, s.minutes, s.note, s.logged_by, s.created_at,
        CASE WHEN u.id IS NULL THEN NULL WHEN u.employee_id = r.employee_id THEN 'mentee' ELSE 'mentor' END AS logged_as
    FROM mentoring_sessions s JOIN mentoring_requests r ON r.id = s.request_id
    LEFT JOIN users u ON u.id = s.logged_by";

const SELECT: &str = "SELECT r.id, r.employee_id, e.name AS mentee_name, e.team_id AS mentee_team_id, r.kind, r.target_role, r.note, r.mentor_id,
        m.name AS mentor_name, r.paired_at, r.created_at, r.closed_at,
        (SELECT COUNT(*) FROM mentoring_sessions s WHERE s.request_id = r.id) AS sessions,
        (SELECT COALESCE(SUM(s.minutes), 0) FROM mentoring_sessions s WHERE s.request_id = r.id) AS minutes
    FROM mentoring_requests r JOIN employees e ON e.id = r.employee_id LEFT JOIN employees m ON m.id = r.mentor_id";

pub async fn create(
    db: &Db,
    employee: EmployeeId,
    kind: &str,
    target_role: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<MentoringRequest> {
    let sql = "INSERT INTO mentoring_requests (employee_id, kind, target_role, note, created_at)
        VALUES ($1, $2, $3, $4, $5) RETURNING id";
    let id: i64 = on_db!(db, p => sqlx::query_scalar(sql).bind(employee).bind(kind).bind(target_role).bind(note)
        .bind(now).fetch_one(p).await)
    .map_err(|e| StoreError::from_write(e, "mentoring request"))?;
    request(db, id).await
}

pub async fn request(db: &Db, id: i64) -> Result<MentoringRequest> {
    let sql = format!("{SELECT} WHERE r.id = $1");
    let found: Option<MentoringRequest> = on_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
    found.ok_or(StoreError::NotFound)
}

/// Whose requests a list holds.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Everyone's (HR, administrators).
    All,
    /// Where this person is the mentee or the mentor, or the mentee is in one of these teams.
    Involving { employee: Option<EmployeeId>, teams: &'a [ladder_core::TeamId] },
}

/// Open requests first, newest first; every one in the scope (the caller pages them).
pub async fn requests(db: &Db, scope: Scope<'_>) -> Result<Vec<MentoringRequest>> {
    let order = "ORDER BY r.closed_at IS NOT NULL, r.created_at DESC, r.id DESC";
    match scope {
        Scope::All => {
            let sql = format!("{SELECT} {order}");
            Ok(on_db!(db, p => sqlx::query_as(&sql).fetch_all(p).await?))
        }
        Scope::Involving { employee, teams } => {
            let teams: Vec<i64> = teams.iter().map(|t| t.0).collect();
            let list = serde_json::to_string(&teams).unwrap_or_else(|_| "[]".into());
            let sql = format!(
                "{SELECT} WHERE r.employee_id = $1 OR r.mentor_id = $1 OR e.team_id IN {} {order}",
                db.id_list("$2")
            );
            let who = employee.map_or(-1, |e| e.0);
            Ok(on_db!(db, p => sqlx::query_as(&sql).bind(who).bind(&list).fetch_all(p).await?))
        }
    }
}

/// How many open requests a person has.
pub async fn open_count(db: &Db, employee: EmployeeId) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM mentoring_requests WHERE employee_id = $1 AND closed_at IS NULL";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(employee).fetch_one(p).await?))
}

/// Closes an open request; a closed one is a conflict.
pub async fn close(db: &Db, id: i64, now: DateTime<Utc>) -> Result<MentoringRequest> {
    let sql = "UPDATE mentoring_requests SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL";
    let changed = on_db!(db, p => sqlx::query(sql).bind(id).bind(now).execute(p).await?.rows_affected());
    if changed == 0 {
        return Err(StoreError::Conflict("the request is already closed".into()));
    }
    request(db, id).await
}

/// Pairs a request with a mentor (or changes the mentor) while it is open.
pub async fn pair(
    db: &Db,
    id: i64,
    mentor: EmployeeId,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<MentoringRequest> {
    let sql = "UPDATE mentoring_requests SET mentor_id = $2, paired_by = $3, paired_at = $4
        WHERE id = $1 AND closed_at IS NULL";
    let changed =
        on_db!(db, p => sqlx::query(sql).bind(id).bind(mentor).bind(by).bind(now).execute(p).await?.rows_affected());
    if changed == 0 {
        return Err(StoreError::Conflict("the request is closed".into()));
    }
    request(db, id).await
}

pub async fn add_session(
    db: &Db,
    request_id: i64,
    held_on: NaiveDate,
    minutes: i32,
    note: &str,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<MentoringSession> {
    let sql = "INSERT INTO mentoring_sessions (request_id, held_on, minutes, note, logged_by, created_at)
        VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    let id: i64 = on_db!(db, p => sqlx::query_scalar(sql).bind(request_id).bind(held_on).bind(minutes).bind(note)
        .bind(by).bind(now).fetch_one(p).await)
    .map_err(|e| StoreError::from_write(e, "mentoring session"))?;
    let sql = format!("{SESSION_SELECT} WHERE s.id = $1");
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_one(p).await?))
}

/// A request's sessions, oldest first.
pub async fn sessions(db: &Db, request_id: i64) -> Result<Vec<MentoringSession>> {
    let sql = format!("{SESSION_SELECT} WHERE s.request_id = $1 ORDER BY s.held_on, s.id");
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(request_id).fetch_all(p).await?))
}

/// A mentee's sessions across their requests, with the request's kind, target and mentor: the
/// packet's evidence.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Evidence {
    pub held_on: NaiveDate,
    pub minutes: i32,
    pub note: String,
    pub kind: String,
    pub target_role: String,
    pub mentor_name: Option<String>,
    /// Who logged it: `mentee` or `mentor`.
    pub logged_as: Option<String>,
}

pub async fn evidence(db: &Db, mentee: EmployeeId) -> Result<Vec<Evidence>> {
    let sql = "SELECT s.held_on, s.minutes, s.note, r.kind, r.target_role, m.name AS mentor_name,
        CASE WHEN u.id IS NULL THEN NULL WHEN u.employee_id = r.employee_id THEN 'mentee' ELSE 'mentor' END AS logged_as
        FROM mentoring_sessions s JOIN mentoring_requests r ON r.id = s.request_id
        LEFT JOIN employees m ON m.id = r.mentor_id LEFT JOIN users u ON u.id = s.logged_by
        WHERE r.employee_id = $1 ORDER BY s.held_on DESC, s.id DESC LIMIT 100";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(mentee).fetch_all(p).await?))
}

/// Active people in any of `roles` (the mentors a request may be paired with): those at `site`
/// first, then the rest, each by name.
pub async fn candidates(
    db: &Db,
    roles: &[String],
    site: Option<i64>,
    limit: i64,
) -> Result<Vec<(EmployeeId, String, String)>> {
    if roles.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (2..=roles.len() + 1).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT e.id, e.name, e.role_id FROM employees e LEFT JOIN teams t ON t.id = e.team_id
        LEFT JOIN accounts a ON a.id = t.account_id WHERE e.active AND e.role_id IN ({})
        ORDER BY CASE WHEN a.site_id = $1 THEN 0 ELSE 1 END, e.name, e.id LIMIT {limit}",
        marks.join(", ")
    );
    Ok(on_db!(db, p => {
        let mut q = sqlx::query_as(&sql).bind(site);
        for r in roles {
            q = q.bind(r);
        }
        q.fetch_all(p).await?
    }))
}
