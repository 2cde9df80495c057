//! A certification's evidence and its verification (issue 26): the link or file that backs an
//! earned certification, kept in `certifications` and `certification_files` (this module owns
//! the latter), and the verifier's decision. Any change to what is claimed — the status, the
//! dates, the link or the file — sets the decision back to waiting.

use chrono::{DateTime, Utc};
use ladder_core::{EmployeeId, TeamId, UserId};
use serde::Serialize;

use super::{CertificationRecord, Verification, CERT_SELECT};
use crate::audit::{self, Change};
use crate::{on_db, Db, Result, StoreError};

/// An evidence file as stored: its bytes are read only to serve it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EvidenceFile {
    pub file_name: String,
    /// `application/pdf`, `image/png` or `image/jpeg` (sniffed from the bytes, not trusted).
    pub content_type: String,
    pub content: Vec<u8>,
}

pub async fn certification_by_id(db: &Db, id: i64) -> Result<CertificationRecord> {
    let sql = format!("{CERT_SELECT} WHERE c.id = $1");
    let row: Option<CertificationRecord> = on_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
    row.ok_or(StoreError::NotFound)
}

pub async fn certification_of(
    db: &Db,
    employee_id: EmployeeId,
    certification_id: &str,
) -> Result<Option<CertificationRecord>> {
    let sql = format!("{CERT_SELECT} WHERE c.employee_id = $1 AND c.certification_id = $2");
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(employee_id).bind(certification_id).fetch_optional(p).await?))
}

/// Whether `c` claims the same as what is stored, so a verification of it still stands.
fn same_claim(before: &CertificationRecord, c: &CertificationRecord) -> bool {
    before.status == c.status
        && before.earned_date == c.earned_date
        && before.expires_date == c.expires_date
        && before.evidence_url == c.evidence_url
}

/// Records or updates one certification of an employee, with a new evidence file if given, in
/// one transaction with its audit row. A changed claim waits for a verifier again.
pub async fn upsert_certification(
    db: &Db,
    c: &CertificationRecord,
    file: Option<&EvidenceFile>,
    actor_id: Option<UserId>,
) -> Result<CertificationRecord> {
    let before = certification_of(db, c.employee_id, &c.certification_id).await?;
    let keep = file.is_none() && before.as_ref().is_some_and(|b| same_claim(b, c));
    let now = Utc::now();
    let sql = "INSERT INTO certifications (employee_id, certification_id, status, planned_date, earned_date,
            expires_date, evidence_url, evidence_changed_at, claimed_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10)
        ON CONFLICT (employee_id, certification_id) DO UPDATE SET status = excluded.status,
            planned_date = excluded.planned_date, earned_date = excluded.earned_date,
            expires_date = excluded.expires_date, evidence_url = excluded.evidence_url,
            evidence_changed_at = CASE WHEN $9 THEN certifications.evidence_changed_at ELSE excluded.evidence_changed_at END,
            claimed_by = CASE WHEN $9 THEN certifications.claimed_by ELSE excluded.claimed_by END,
            verification = CASE WHEN $9 THEN certifications.verification ELSE NULL END,
            verified_by = CASE WHEN $9 THEN certifications.verified_by ELSE NULL END,
            verified_at = CASE WHEN $9 THEN certifications.verified_at ELSE NULL END,
            rejection_reason = CASE WHEN $9 THEN certifications.rejection_reason ELSE NULL END
        RETURNING id";
    let put_file = "INSERT INTO certification_files (certification_row_id, file_name, content_type, size, content,
            uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (certification_row_id) DO UPDATE SET file_name = excluded.file_name,
            content_type = excluded.content_type, size = excluded.size, content = excluded.content,
            uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at";
    let change = Change {
        actor_id,
        entity: "certification",
        entity_id: format!("employee:{}/certification:{}", c.employee_id, c.certification_id),
        action: "set",
        before: before.as_ref().map(|b| {
            serde_json::json!({ "status": b.status, "earned": b.earned_date,
            "expires": b.expires_date, "evidence_url": b.evidence_url, "verification": b.verification })
        }),
        after: Some(serde_json::json!({ "status": c.status, "earned": c.earned_date, "expires": c.expires_date,
            "evidence_url": c.evidence_url, "evidence_file": file.map(|f| &f.file_name) })),
    };
    let id: i64 = on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let id: i64 = sqlx::query_scalar(sql)
            .bind(c.employee_id).bind(&c.certification_id).bind(c.status).bind(c.planned_date).bind(c.earned_date)
            .bind(c.expires_date).bind(&c.evidence_url).bind(now).bind(keep).bind(actor_id)
            .fetch_one(&mut *tx).await.map_err(|e| StoreError::from_write(e, "certification"))?;
        if let Some(f) = file {
            sqlx::query(put_file).bind(id).bind(&f.file_name).bind(&f.content_type).bind(f.content.len() as i64)
                .bind(&f.content).bind(actor_id).bind(now)
                .execute(&mut *tx).await.map_err(|e| StoreError::from_write(e, "evidence file"))?;
        }
        audit::bind(sqlx::query(audit::INSERT_SQL), &change).execute(&mut *tx).await?;
        tx.commit().await?;
        id
    });
    certification_by_id(db, id).await
}

/// The evidence file of a certification row, if it has one.
pub async fn evidence_file(db: &Db, certification_row_id: i64) -> Result<Option<EvidenceFile>> {
    let sql = "SELECT file_name, content_type, content FROM certification_files WHERE certification_row_id = $1";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(certification_row_id).fetch_optional(p).await?))
}

/// The refusal of a decision made on evidence that changed after the verifier's page was drawn.
pub const EVIDENCE_CHANGED: &str = "the evidence changed after your page was drawn: look at it again before you decide";

/// A verifier's decision on an earned certification, with its audit row. One no longer earned
/// is a conflict, and so is one whose evidence is no longer the version the verifier saw
/// (`seen`, from [`CertificationRecord::evidence_version`]), checked on the row the decision
/// locks, so a replacement committed meanwhile cannot slip in between.
pub async fn decide(
    db: &Db,
    id: i64,
    verdict: Verification,
    reason: Option<&str>,
    actor_id: UserId,
    seen: Option<&str>,
) -> Result<CertificationRecord> {
    let current = certification_by_id(db, id).await?;
    if current.status != super::CertificationStatus::Earned {
        return Err(StoreError::Conflict("only an earned certification is verified".into()));
    }
    // Nobody verifies a claim they recorded themselves (a leader typing in a team member's).
    let sql = "UPDATE certifications SET verification = $2, verified_by = $3, verified_at = $4, rejection_reason = $5
        WHERE id = $1 AND status = 'earned' AND (claimed_by IS NULL OR claimed_by <> $3)";
    let change = Change {
        actor_id: Some(actor_id),
        entity: "certification",
        entity_id: format!("employee:{}/certification:{}", current.employee_id, current.certification_id),
        action: verdict.as_str(),
        before: Some(serde_json::json!({ "verification": current.verification })),
        after: Some(serde_json::json!({ "verification": verdict, "reason": reason })),
    };
    let by_id = format!("{CERT_SELECT} WHERE c.id = $1");
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(sql).bind(id).bind(verdict).bind(actor_id).bind(Utc::now()).bind(reason)
            .execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict(
                "you recorded this claim yourself: another verifier (leader, QA/trainer or HR) decides on it".into(),
            ));
        }
        // Read after the update, which holds the row: what is decided on is what is stored.
        let stored: CertificationRecord = sqlx::query_as(&by_id).bind(id).fetch_one(&mut *tx).await?;
        if seen.is_some_and(|v| v != stored.evidence_version()) {
            return Err(StoreError::Conflict(EVIDENCE_CHANGED.into()));
        }
        audit::bind(sqlx::query(audit::INSERT_SQL), &change).execute(&mut *tx).await?;
        tx.commit().await?;
    });
    certification_by_id(db, id).await
}

/// An earned certification waiting for a verifier, with whose it is.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct AwaitingCertification {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub record: CertificationRecord,
    pub employee_name: String,
}

/// The people of a queue: the active members of `teams` (`$1`, their ids; NULL for everyone
/// when `None`), never the caller (`$2`), who is `e` and whose id is `person`.
fn queue_scope(db: &Db, teams: Option<&[TeamId]>, person: &str) -> String {
    let teams = match teams {
        Some(_) => format!("e.team_id IN {}", db.id_list("$1")),
        None => "$1 IS NULL".to_string(),
    };
    format!("e.active AND {teams} AND {person} <> $2")
}

/// The certifications waiting for a verifier (`$1`, `$2` as [`queue_scope`]): earned, not yet
/// decided.
fn awaiting_where(db: &Db, teams: Option<&[TeamId]>) -> String {
    format!(
        "JOIN employees e ON e.id = c.employee_id
        WHERE c.status = 'earned' AND c.verification IS NULL AND {}",
        queue_scope(db, teams, "c.employee_id")
    )
}

/// The claim's time as the queue sorts and resumes it. SQLite keeps it as text, and the rows
/// migration 0032 dated (`…Z`) are spelt unlike sqlx's (`…+00:00`), so both sides are brought
/// to one spelling before they are compared; PostgreSQL compares the timestamps themselves.
fn claimed_key(db: &Db, of: &str) -> String {
    match db.backend() {
        crate::Backend::Sqlite => format!("strftime('%Y-%m-%dT%H:%M:%f', {of})"),
        crate::Backend::Postgres => of.to_string(),
    }
}

/// A page of the earned certifications waiting for a verifier among the people of `teams`
/// (everyone's when `None`), never the caller's own (`except`): oldest claim first (undated ones
/// before all), after the claim time and row id of the last of the page before.
pub async fn awaiting(
    db: &Db,
    teams: Option<&[TeamId]>,
    except: Option<EmployeeId>,
    after: Option<(Option<DateTime<Utc>>, i64)>,
    limit: i64,
) -> Result<Vec<AwaitingCertification>> {
    let select = CERT_SELECT.replace("SELECT c.id,", "SELECT e.name AS employee_name, c.id,");
    let (key, at) = (claimed_key(db, "c.evidence_changed_at"), claimed_key(db, "$3"));
    // Undated claims come first: after one of them, the rest of the undated by id, then every
    // dated one; after a dated one, later ones and, at the same time, higher ids.
    let sql = format!(
        "{select} {} AND ($4 IS NULL
            OR ($3 IS NULL AND (c.evidence_changed_at IS NOT NULL OR c.id > $4))
            OR ({key} > {at} OR ({key} = {at} AND c.id > $4)))
        ORDER BY (CASE WHEN c.evidence_changed_at IS NULL THEN 0 ELSE 1 END), {key}, c.id LIMIT $5",
        awaiting_where(db, teams)
    );
    let ids = teams.map(crate::db::json_ids);
    let except = except.unwrap_or(EmployeeId(-1));
    let (at, id) = after.map_or((None, None), |(at, id)| (at, Some(id)));
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(ids).bind(except).bind(at).bind(id).bind(limit.max(0))
        .fetch_all(p).await?))
}

/// How many certifications [`awaiting`] holds over all its pages.
pub async fn count_awaiting(db: &Db, teams: Option<&[TeamId]>, except: Option<EmployeeId>) -> Result<u64> {
    let sql = format!("SELECT COUNT(*) FROM certifications c {}", awaiting_where(db, teams));
    let ids = teams.map(crate::db::json_ids);
    let except = except.unwrap_or(EmployeeId(-1));
    let n: i64 = on_db!(db, p => sqlx::query_scalar(&sql).bind(ids).bind(except).fetch_one(p).await?);
    Ok(n.max(0) as u64)
}

/// A self-rating no leader or QA/trainer has assessed since.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct UnconfirmedRating {
    /// The self-rating's row: the queue's tie-break.
    pub id: i64,
    pub employee_id: EmployeeId,
    pub employee_name: String,
    pub skill_id: String,
    pub level: i32,
    pub assessed_at: chrono::DateTime<Utc>,
}

/// Each person's latest self-rating of a skill with no leader assessment at or after it, among
/// the people of a queue (`$1`, `$2` as [`queue_scope`]).
fn unconfirmed_where(db: &Db, teams: Option<&[TeamId]>) -> String {
    format!(
        "FROM skill_assessments s JOIN employees e ON e.id = s.employee_id
        WHERE s.assessor = 'self' AND {}
          AND NOT EXISTS (SELECT 1 FROM skill_assessments l WHERE l.employee_id = s.employee_id
              AND l.skill_id = s.skill_id AND l.assessor = 'leader' AND l.assessed_at >= s.assessed_at)
          AND NOT EXISTS (SELECT 1 FROM skill_assessments n WHERE n.employee_id = s.employee_id
              AND n.skill_id = s.skill_id AND n.assessor = 'self'
              AND (n.assessed_at > s.assessed_at OR (n.assessed_at = s.assessed_at AND n.id > s.id)))",
        queue_scope(db, teams, "s.employee_id")
    )
}

/// A page of the self-ratings waiting for a leader's or QA/trainer's assessment among the people
/// of `teams` (everyone's when `None`), never `except`'s own: oldest first, after the rating
/// time and row id of the last of the page before.
pub async fn unconfirmed_ratings(
    db: &Db,
    teams: Option<&[TeamId]>,
    except: Option<EmployeeId>,
    after: Option<(DateTime<Utc>, i64)>,
    limit: i64,
) -> Result<Vec<UnconfirmedRating>> {
    let sql = format!(
        "SELECT s.id, s.employee_id, e.name AS employee_name, s.skill_id, s.level, s.assessed_at {}
          AND ($3 IS NULL OR s.assessed_at > $3 OR (s.assessed_at = $3 AND s.id > $4))
        ORDER BY s.assessed_at, s.id LIMIT $5",
        unconfirmed_where(db, teams)
    );
    let ids = teams.map(crate::db::json_ids);
    let except = except.unwrap_or(EmployeeId(-1));
    let (at, id) = after.map_or((None, None), |(at, id)| (Some(at), Some(id)));
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(ids).bind(except).bind(at).bind(id).bind(limit.max(0))
        .fetch_all(p).await?))
}

/// How many self-ratings [`unconfirmed_ratings`] holds over all its pages.
pub async fn count_unconfirmed_ratings(db: &Db, teams: Option<&[TeamId]>, except: Option<EmployeeId>) -> Result<u64> {
    let sql = format!("SELECT COUNT(*) {}", unconfirmed_where(db, teams));
    let ids = teams.map(crate::db::json_ids);
    let except = except.unwrap_or(EmployeeId(-1));
    let n: i64 = on_db!(db, p => sqlx::query_scalar(&sql).bind(ids).bind(except).fetch_one(p).await?);
    Ok(n.max(0) as u64)
}
