//! An employee's own record: career plan, accomplishments, skills, certifications, training,
//! monthly check-ins and the leader's coaching notes.

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::{EmployeeId, TeamId, UserId};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Change};
use crate::notifications::{self, Kind};
use crate::{on_db, Db, Result, StoreError};

pub mod evidence;
pub mod history;
mod kinds;
pub mod tables;
pub use evidence::{certification_of, upsert_certification, EvidenceFile};
pub use kinds::{Assessor, CertificationStatus, NotInSet, TrainingKind, TrainingStatus, Verification};

// ---- Career plan -------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct CareerPlanRow {
    pub employee_id: EmployeeId,
    pub target_role: String,
    pub horizon_years: i32,
    /// The chosen route as JSON role ids (empty: the fastest).
    pub path: String,
    pub updated_at: DateTime<Utc>,
}

pub async fn career_plan(db: &Db, employee_id: EmployeeId) -> Result<Option<CareerPlanRow>> {
    let sql =
        "SELECT employee_id, target_role, horizon_years, path, updated_at FROM career_plans WHERE employee_id = $1";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(employee_id).fetch_optional(p).await?))
}

/// Saves the plan and audits the change.
pub async fn save_career_plan(
    db: &Db,
    employee_id: EmployeeId,
    target_role: &str,
    horizon_years: i32,
    path: &[String],
    actor_id: Option<UserId>,
) -> Result<CareerPlanRow> {
    let before = career_plan(db, employee_id).await?;
    let path_json = serde_json::to_string(path).expect("strings serialise");
    let sql = "INSERT INTO career_plans (employee_id, target_role, horizon_years, path, updated_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (employee_id) DO UPDATE SET target_role = excluded.target_role, horizon_years = excluded.horizon_years,
            path = excluded.path, updated_at = excluded.updated_at";
    let change = Change {
        actor_id,
        entity: "career-plan",
        entity_id: format!("employee:{employee_id}/career-plan"),
        action: if before.is_some() { "update" } else { "create" },
        before: before
            .as_ref()
            .map(|b| serde_json::json!({ "target_role": b.target_role, "horizon_years": b.horizon_years })),
        after: Some(serde_json::json!({ "target_role": target_role, "horizon_years": horizon_years })),
    };
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        sqlx::query(sql).bind(employee_id).bind(target_role).bind(horizon_years).bind(&path_json).bind(Utc::now())
            .execute(&mut *tx).await.map_err(|e| StoreError::from_write(e, "career plan"))?;
        audit::bind(sqlx::query(audit::INSERT_SQL), &change).execute(&mut *tx).await?;
        tx.commit().await?;
    });
    career_plan(db, employee_id).await?.ok_or(StoreError::NotFound)
}

/// The career plans of many employees at once (the pipeline).
pub async fn career_plans_of(db: &Db, employee_ids: &[EmployeeId]) -> Result<Vec<CareerPlanRow>> {
    let sql = format!(
        "SELECT employee_id, target_role, horizon_years, path, updated_at FROM career_plans WHERE employee_id IN {}",
        db.id_list("$1")
    );
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(crate::db::json_ids(employee_ids)).fetch_all(p).await?))
}

// ---- Accomplishments ---------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accomplishment {
    pub id: i64,
    pub employee_id: EmployeeId,
    pub date: NaiveDate,
    pub title: String,
    pub details: String,
    pub impact_value: Option<f64>,
    pub impact_unit: Option<String>,
    pub tags: Vec<String>,
    pub kras: Vec<String>,
    pub skills: Vec<String>,
    pub shared: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewAccomplishment {
    pub date: NaiveDate,
    pub title: String,
    pub details: String,
    pub impact_value: Option<f64>,
    pub impact_unit: Option<String>,
    pub tags: Vec<String>,
    pub kras: Vec<String>,
    pub skills: Vec<String>,
    pub shared: bool,
}

#[derive(sqlx::FromRow)]
struct AccomplishmentRow {
    id: i64,
    employee_id: EmployeeId,
    date: NaiveDate,
    title: String,
    details: String,
    impact_value: Option<f64>,
    impact_unit: Option<String>,
    tags: String,
    kras: String,
    skills: String,
    shared: bool,
    created_at: DateTime<Utc>,
}

/// Lists are stored comma-separated with surrounding commas (",a,b,"), so a tag filter is a
/// plain `LIKE '%,tag,%'` on either database.
fn join_list(items: &[String]) -> String {
    let clean: Vec<&str> = items.iter().map(|s| s.trim()).filter(|s| !s.is_empty() && !s.contains(',')).collect();
    if clean.is_empty() {
        String::new()
    } else {
        format!(",{},", clean.join(","))
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',').filter(|p| !p.is_empty()).map(str::to_string).collect()
}

impl From<AccomplishmentRow> for Accomplishment {
    fn from(r: AccomplishmentRow) -> Accomplishment {
        Accomplishment {
            id: r.id,
            employee_id: r.employee_id,
            date: r.date,
            title: r.title,
            details: r.details,
            impact_value: r.impact_value,
            impact_unit: r.impact_unit,
            tags: split_list(&r.tags),
            kras: split_list(&r.kras),
            skills: split_list(&r.skills),
            shared: r.shared,
            created_at: r.created_at,
        }
    }
}

/// Which accomplishments to list.
#[derive(Debug, Clone, Default)]
pub struct AccomplishmentFilter {
    /// Only shared entries (for anyone but the owner).
    pub shared_only: bool,
    pub tag: Option<String>,
    pub kra: Option<String>,
    pub skill: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// A page, newest first: at most `limit` entries (all when `None`) after this date and id
    /// (the last entry of the page before).
    pub limit: Option<i64>,
    pub after: Option<(NaiveDate, i64)>,
}

const ACCOMPLISHMENT_SELECT: &str = "SELECT id, employee_id, date, title, details, impact_value, impact_unit, tags, kras, skills, shared, created_at FROM accomplishments";

/// The filter of [`accomplishments`] and [`count_accomplishments`] (`$1` to `$7`).
const ACCOMPLISHMENT_WHERE: &str = "WHERE employee_id = $1 AND (shared OR NOT $2)
    AND ($3 IS NULL OR tags LIKE $3) AND ($4 IS NULL OR kras LIKE $4) AND ($5 IS NULL OR skills LIKE $5)
    AND ($6 IS NULL OR date >= $6) AND ($7 IS NULL OR date <= $7)";

fn like(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|t| format!("%,{},%", t.trim()))
}

pub async fn accomplishments(
    db: &Db,
    employee_id: EmployeeId,
    f: &AccomplishmentFilter,
) -> Result<Vec<Accomplishment>> {
    let sql = format!(
        "{ACCOMPLISHMENT_SELECT} {ACCOMPLISHMENT_WHERE}
            AND ($8 IS NULL OR date < $8 OR (date = $8 AND id < $9))
        ORDER BY date DESC, id DESC LIMIT $10"
    );
    let limit = f.limit.unwrap_or(i64::MAX).max(0);
    let (date, id) = f.after.map_or((None, None), |(date, id)| (Some(date), Some(id)));
    let rows: Vec<AccomplishmentRow> = on_db!(db, p => sqlx::query_as(&sql)
        .bind(employee_id).bind(f.shared_only).bind(like(&f.tag)).bind(like(&f.kra)).bind(like(&f.skill))
        .bind(f.from).bind(f.to).bind(date).bind(id).bind(limit).fetch_all(p).await?);
    Ok(rows.into_iter().map(Accomplishment::from).collect())
}

/// How many entries [`accomplishments`] walks over on all its pages (the cursor aside).
pub async fn count_accomplishments(db: &Db, employee_id: EmployeeId, f: &AccomplishmentFilter) -> Result<u64> {
    let sql = format!("SELECT COUNT(*) FROM accomplishments {ACCOMPLISHMENT_WHERE}");
    let n: i64 = on_db!(db, p => sqlx::query_scalar(&sql)
        .bind(employee_id).bind(f.shared_only).bind(like(&f.tag)).bind(like(&f.kra)).bind(like(&f.skill))
        .bind(f.from).bind(f.to).fetch_one(p).await?);
    Ok(n.max(0) as u64)
}

/// The person's entries among `ids` (a check-in's picks), newest first; only shared ones when
/// `shared_only`. Filtered here, however long the log is.
pub async fn accomplishments_among(
    db: &Db,
    employee_id: EmployeeId,
    ids: &[i64],
    shared_only: bool,
) -> Result<Vec<Accomplishment>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{ACCOMPLISHMENT_SELECT} WHERE employee_id = $1 AND (shared OR NOT $2) AND id IN {}
        ORDER BY date DESC, id DESC",
        db.id_list("$3")
    );
    let ids = crate::db::json_ids(ids);
    let rows: Vec<AccomplishmentRow> =
        on_db!(db, p => sqlx::query_as(&sql).bind(employee_id).bind(shared_only).bind(&ids).fetch_all(p).await?);
    Ok(rows.into_iter().map(Accomplishment::from).collect())
}

pub async fn accomplishment(db: &Db, id: i64) -> Result<Accomplishment> {
    let sql = format!("{ACCOMPLISHMENT_SELECT} WHERE id = $1");
    let row: Option<AccomplishmentRow> = on_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
    row.map(Accomplishment::from).ok_or(StoreError::NotFound)
}

pub async fn add_accomplishment(db: &Db, employee_id: EmployeeId, a: &NewAccomplishment) -> Result<Accomplishment> {
    let sql = "INSERT INTO accomplishments (employee_id, date, title, details, impact_value, impact_unit, tags, kras, skills, shared, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
    let id: i64 = on_db!(db, p => sqlx::query_scalar(sql)
        .bind(employee_id).bind(a.date).bind(&a.title).bind(&a.details).bind(a.impact_value).bind(&a.impact_unit)
        .bind(join_list(&a.tags)).bind(join_list(&a.kras)).bind(join_list(&a.skills)).bind(a.shared).bind(Utc::now())
        .fetch_one(p).await.map_err(|e| StoreError::from_write(e, "accomplishment"))?);
    accomplishment(db, id).await
}

/// Replaces an entry's contents (its owner and creation time stay).
pub async fn update_accomplishment(db: &Db, id: i64, a: &NewAccomplishment) -> Result<Accomplishment> {
    let sql = "UPDATE accomplishments SET date = $2, title = $3, details = $4, impact_value = $5, impact_unit = $6,
        tags = $7, kras = $8, skills = $9, shared = $10 WHERE id = $1";
    let n = on_db!(db, p => sqlx::query(sql)
        .bind(id).bind(a.date).bind(&a.title).bind(&a.details).bind(a.impact_value).bind(&a.impact_unit)
        .bind(join_list(&a.tags)).bind(join_list(&a.kras)).bind(join_list(&a.skills)).bind(a.shared)
        .execute(p).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    accomplishment(db, id).await
}

pub async fn delete_accomplishment(db: &Db, id: i64) -> Result<()> {
    let n = on_db!(db, p => sqlx::query("DELETE FROM accomplishments WHERE id = $1").bind(id).execute(p).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

// ---- Skills ------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct SkillAssessment {
    pub id: i64,
    pub employee_id: EmployeeId,
    pub skill_id: String,
    pub level: i32,
    pub assessor: Assessor,
    pub assessed_by: Option<UserId>,
    pub assessed_at: DateTime<Utc>,
}

/// Every assessment of an employee, oldest first (the history; the last of each kind is current).
pub async fn skill_assessments(db: &Db, employee_id: EmployeeId) -> Result<Vec<SkillAssessment>> {
    let sql = "SELECT id, employee_id, skill_id, level, assessor, assessed_by, assessed_at FROM skill_assessments
        WHERE employee_id = $1 ORDER BY assessed_at, id";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(employee_id).fetch_all(p).await?))
}

/// Every assessment of many employees, oldest first within each.
pub async fn skill_assessments_of(db: &Db, employee_ids: &[EmployeeId]) -> Result<Vec<SkillAssessment>> {
    let sql = format!(
        "SELECT id, employee_id, skill_id, level, assessor, assessed_by, assessed_at FROM skill_assessments
        WHERE employee_id IN {} ORDER BY employee_id, assessed_at, id",
        db.id_list("$1")
    );
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(crate::db::json_ids(employee_ids)).fetch_all(p).await?))
}

pub async fn assess_skill(
    db: &Db,
    employee_id: EmployeeId,
    skill_id: &str,
    level: i32,
    assessor: Assessor,
    assessed_by: Option<UserId>,
) -> Result<SkillAssessment> {
    let sql = "INSERT INTO skill_assessments (employee_id, skill_id, level, assessor, assessed_by, assessed_at)
        VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, employee_id, skill_id, level, assessor, assessed_by, assessed_at";
    let self_rated =
        "SELECT COUNT(*) FROM skill_assessments WHERE employee_id = $1 AND skill_id = $2 AND assessor = $3";
    let mut tx = db.begin().await?;
    let saved: SkillAssessment = on_db!(&mut tx, c => sqlx::query_as(sql).bind(employee_id).bind(skill_id).bind(level)
        .bind(assessor).bind(assessed_by).bind(Utc::now()).fetch_one(c).await)
    .map_err(|e| StoreError::from_write(e, "skill assessment"))?;
    // A leader's level on a skill the person rated themselves confirms (or corrects) it: tell them.
    if assessor == Assessor::Leader {
        let own: i64 = on_db!(&mut tx, c => sqlx::query_scalar(self_rated).bind(employee_id).bind(skill_id)
            .bind(Assessor::Own).fetch_one(c).await?);
        if own > 0 {
            let params = serde_json::json!({ "skill": skill_id, "level": level.to_string() });
            let n = notify(Kind::SkillConfirmed, employee_id, "/growth".into(), params);
            notifications::to_person(&mut tx, employee_id, assessed_by.unwrap_or(UserId(0)), &n).await?;
        }
    }
    tx.commit().await?;
    Ok(saved)
}

/// An event's notification about `employee`, opening `link`.
fn notify(kind: Kind, employee: EmployeeId, link: String, params: serde_json::Value) -> notifications::New {
    notifications::New { kind, employee_id: Some(employee), link, params, about: None }
}

// ---- Certifications ----------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct CertificationRecord {
    pub id: i64,
    pub employee_id: EmployeeId,
    pub certification_id: String,
    pub status: CertificationStatus,
    pub planned_date: Option<NaiveDate>,
    pub earned_date: Option<NaiveDate>,
    pub expires_date: Option<NaiveDate>,
    /// A link to the evidence (http or https).
    pub evidence_url: Option<String>,
    /// The evidence file's name, when one was uploaded (its bytes are served on their own).
    pub evidence_file: Option<String>,
    /// When the evidence (or what it proves) last changed: the "to verify" list's order.
    pub evidence_changed_at: Option<DateTime<Utc>>,
    /// `verified` or `rejected`; none while it waits.
    pub verification: Option<Verification>,
    pub verified_by: Option<UserId>,
    pub verified_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
}

impl CertificationRecord {
    /// A short digest of what a verifier looks at (the claim, the link, the file and when the
    /// evidence last changed): a decision names the version it was made on, and one made on
    /// evidence replaced since is refused.
    pub fn evidence_version(&self) -> String {
        use sha2::{Digest, Sha256};
        let seen = serde_json::json!([
            self.status,
            self.earned_date,
            self.expires_date,
            self.evidence_url,
            self.evidence_file,
            self.evidence_changed_at.map(|t| t.timestamp_micros())
        ]);
        hex::encode(&Sha256::digest(seen.to_string().as_bytes())[..8])
    }

    /// Earned and verified: only then does it count (issue 26).
    pub fn held(&self) -> bool {
        self.status == CertificationStatus::Earned && self.verification == Some(Verification::Verified)
    }

    /// Earned and waiting for a verifier.
    pub fn awaiting_verification(&self) -> bool {
        self.status == CertificationStatus::Earned && self.verification.is_none()
    }

    /// Where it stands, in words: "planned", "in progress", "earned, verified", "earned,
    /// awaiting verification" or "earned, evidence rejected".
    pub fn state_label(&self) -> &'static str {
        match (self.status, self.verification) {
            (CertificationStatus::Planned, _) => "planned",
            (CertificationStatus::InProgress, _) => "in progress",
            (CertificationStatus::Earned, Some(Verification::Verified)) => "earned, verified",
            (CertificationStatus::Earned, Some(Verification::Rejected)) => "earned, evidence rejected",
            (CertificationStatus::Earned, None) => "earned, awaiting verification",
        }
    }
}

/// The columns of a [`CertificationRecord`], from `certifications c` joined to its file.
pub(crate) const CERT_SELECT: &str = "SELECT c.id, c.employee_id, c.certification_id, c.status, c.planned_date,
    c.earned_date, c.expires_date, c.evidence_url, f.file_name AS evidence_file, c.evidence_changed_at,
    c.verification, c.verified_by, c.verified_at, c.rejection_reason
    FROM certifications c LEFT JOIN certification_files f ON f.certification_row_id = c.id";

pub async fn certifications(db: &Db, employee_id: EmployeeId) -> Result<Vec<CertificationRecord>> {
    let sql = format!("{CERT_SELECT} WHERE c.employee_id = $1 ORDER BY c.certification_id");
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(employee_id).fetch_all(p).await?))
}

pub async fn certifications_of(db: &Db, employee_ids: &[EmployeeId]) -> Result<Vec<CertificationRecord>> {
    let sql =
        format!("{CERT_SELECT} WHERE c.employee_id IN {} ORDER BY c.employee_id, c.certification_id", db.id_list("$1"));
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(crate::db::json_ids(employee_ids)).fetch_all(p).await?))
}

// ---- Training ----------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct TrainingItem {
    pub id: i64,
    pub employee_id: EmployeeId,
    pub kind: TrainingKind,
    pub title: String,
    pub provider: String,
    pub hours: f64,
    pub status: TrainingStatus,
    pub skill_id: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub completed_date: Option<NaiveDate>,
}

const TRAINING_COLUMNS: &str =
    "id, employee_id, kind, title, provider, hours, status, skill_id, due_date, completed_date";

pub async fn training(db: &Db, employee_id: EmployeeId) -> Result<Vec<TrainingItem>> {
    let sql = format!(
        "SELECT {TRAINING_COLUMNS} FROM training_items WHERE employee_id = $1 ORDER BY COALESCE(completed_date, due_date), id"
    );
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(employee_id).fetch_all(p).await?))
}

pub async fn add_training(db: &Db, t: &TrainingItem) -> Result<TrainingItem> {
    let sql = format!(
        "INSERT INTO training_items (employee_id, kind, title, provider, hours, status, skill_id, due_date, completed_date)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {TRAINING_COLUMNS}"
    );
    on_db!(db, p => sqlx::query_as(&sql).bind(t.employee_id).bind(t.kind).bind(&t.title).bind(&t.provider)
        .bind(t.hours).bind(t.status).bind(&t.skill_id).bind(t.due_date).bind(t.completed_date).fetch_one(p).await)
    .map_err(|e| StoreError::from_write(e, "training item"))
}

// ---- Check-ins and coaching ----------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkin {
    pub id: i64,
    pub employee_id: EmployeeId,
    /// The first day of the month.
    pub month: NaiveDate,
    pub highlights: String,
    /// Accomplishment entries picked from the log.
    pub accomplishment_ids: Vec<i64>,
    pub blockers: String,
    pub asks: String,
    pub submitted_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_by: Option<UserId>,
    pub leader_comment: Option<String>,
}

#[derive(sqlx::FromRow)]
struct CheckinRow {
    id: i64,
    employee_id: EmployeeId,
    month: NaiveDate,
    highlights: String,
    accomplishment_ids: String,
    blockers: String,
    asks: String,
    submitted_at: DateTime<Utc>,
    acknowledged_at: Option<DateTime<Utc>>,
    acknowledged_by: Option<UserId>,
    leader_comment: Option<String>,
}

impl From<CheckinRow> for Checkin {
    fn from(r: CheckinRow) -> Checkin {
        Checkin {
            id: r.id,
            employee_id: r.employee_id,
            month: r.month,
            highlights: r.highlights,
            accomplishment_ids: r.accomplishment_ids.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
            blockers: r.blockers,
            asks: r.asks,
            submitted_at: r.submitted_at,
            acknowledged_at: r.acknowledged_at,
            acknowledged_by: r.acknowledged_by,
            leader_comment: r.leader_comment,
        }
    }
}

const CHECKIN_SELECT: &str =
    "SELECT c.id, c.employee_id, c.month, c.highlights, c.accomplishment_ids, c.blockers, c.asks,
    c.submitted_at, c.acknowledged_at, c.acknowledged_by, c.leader_comment FROM checkins c";

pub async fn checkins(db: &Db, employee_id: EmployeeId) -> Result<Vec<Checkin>> {
    checkins_after(db, employee_id, None, i64::MAX).await
}

/// Up to `limit` of a person's check-ins after this month and id, newest first.
pub async fn checkins_after(
    db: &Db,
    employee_id: EmployeeId,
    after: Option<(NaiveDate, i64)>,
    limit: i64,
) -> Result<Vec<Checkin>> {
    let sql = format!(
        "{CHECKIN_SELECT} WHERE c.employee_id = $1 AND ($2 IS NULL OR c.month < $2 OR (c.month = $2 AND c.id < $3))
        ORDER BY c.month DESC, c.id DESC LIMIT $4"
    );
    let (month, id) = after.map_or((None, None), |(month, id)| (Some(month), Some(id)));
    let rows: Vec<CheckinRow> = on_db!(db, p => sqlx::query_as(&sql)
        .bind(employee_id).bind(month).bind(id).bind(limit.max(0)).fetch_all(p).await?);
    Ok(rows.into_iter().map(Checkin::from).collect())
}

/// How many check-ins a person has sent.
pub async fn count_checkins(db: &Db, employee_id: EmployeeId) -> Result<u64> {
    let sql = "SELECT COUNT(*) FROM checkins WHERE employee_id = $1";
    let n: i64 = on_db!(db, p => sqlx::query_scalar(sql).bind(employee_id).fetch_one(p).await?);
    Ok(n.max(0) as u64)
}

/// The check-ins of these people (the reminder pass reads everyone's at once), newest first.
pub async fn checkins_of(db: &Db, employee_ids: &[EmployeeId]) -> Result<Vec<Checkin>> {
    let sql = format!("{CHECKIN_SELECT} WHERE c.employee_id IN {} ORDER BY c.month DESC", db.id_list("$1"));
    let ids = crate::db::json_ids(employee_ids);
    let rows: Vec<CheckinRow> = on_db!(db, p => sqlx::query_as(&sql).bind(&ids).fetch_all(p).await?);
    Ok(rows.into_iter().map(Checkin::from).collect())
}

pub async fn checkin(db: &Db, id: i64) -> Result<Checkin> {
    let sql = format!("{CHECKIN_SELECT} WHERE c.id = $1");
    let row: Option<CheckinRow> = on_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
    row.map(Checkin::from).ok_or(StoreError::NotFound)
}

/// A check-in waiting for review, with whose it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaitingCheckin {
    #[serde(flatten)]
    pub checkin: Checkin,
    pub employee_name: String,
}

#[derive(sqlx::FromRow)]
struct WaitingRow {
    #[sqlx(flatten)]
    checkin: CheckinRow,
    employee_name: String,
}

/// Who is in a review queue (`$1` the teams, `$2` the reviewer, never in their own queue):
/// the active members of the teams whose check-in is sent and not yet acknowledged.
fn queue_filter(db: &Db) -> String {
    format!(
        "FROM checkins c JOIN employees e ON e.id = c.employee_id
        WHERE c.acknowledged_at IS NULL AND e.active AND e.team_id IN {} AND e.id <> $2",
        db.id_list("$1")
    )
}

/// A page of the check-ins waiting in these teams, oldest sent first, after this sending time
/// and id (the last of the page before); never `reviewer`'s own.
pub async fn review_queue(
    db: &Db,
    teams: &[TeamId],
    reviewer: Option<EmployeeId>,
    after: Option<(DateTime<Utc>, i64)>,
    limit: i64,
) -> Result<Vec<WaitingCheckin>> {
    let select = CHECKIN_SELECT.replace(" FROM checkins c", ", e.name AS employee_name");
    let sql = format!(
        "{select} {} AND ($3 IS NULL OR c.submitted_at > $3 OR (c.submitted_at = $3 AND c.id > $4))
        ORDER BY c.submitted_at, c.id LIMIT $5",
        queue_filter(db)
    );
    let (at, id) = after.map_or((None, None), |(at, id)| (Some(at), Some(id)));
    let reviewer = reviewer.unwrap_or(EmployeeId(-1));
    let rows: Vec<WaitingRow> = on_db!(db, p => sqlx::query_as(&sql).bind(crate::db::json_ids(teams)).bind(reviewer)
        .bind(at).bind(id).bind(limit.max(0)).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|r| WaitingCheckin { checkin: Checkin::from(r.checkin), employee_name: r.employee_name })
        .collect())
}

/// How many check-ins [`review_queue`] holds over all its pages.
pub async fn count_review_queue(db: &Db, teams: &[TeamId], reviewer: Option<EmployeeId>) -> Result<u64> {
    let sql = format!("SELECT COUNT(*) {}", queue_filter(db));
    let reviewer = reviewer.unwrap_or(EmployeeId(-1));
    let n: i64 =
        on_db!(db, p => sqlx::query_scalar(&sql).bind(crate::db::json_ids(teams)).bind(reviewer).fetch_one(p).await?);
    Ok(n.max(0) as u64)
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewCheckin {
    pub month: NaiveDate,
    pub highlights: String,
    pub accomplishment_ids: Vec<i64>,
    pub blockers: String,
    pub asks: String,
}

/// Sends (or re-sends, until the leader acknowledges it) the check-in of a month, sharing the
/// person's entries it picks, in one transaction: a check-in refused shares nothing.
pub async fn submit_checkin(db: &Db, employee_id: EmployeeId, c: &NewCheckin) -> Result<Checkin> {
    let ids = c.accomplishment_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let sql = "INSERT INTO checkins (employee_id, month, highlights, accomplishment_ids, blockers, asks, submitted_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (employee_id, month) DO UPDATE SET highlights = excluded.highlights,
            accomplishment_ids = excluded.accomplishment_ids, blockers = excluded.blockers, asks = excluded.asks,
            submitted_at = excluded.submitted_at
        WHERE checkins.acknowledged_at IS NULL
        RETURNING id";
    let mut tx = db.begin().await?;
    let id: Option<i64> = on_db!(&mut tx, p => sqlx::query_scalar(sql)
        .bind(employee_id).bind(c.month).bind(&c.highlights).bind(&ids).bind(&c.blockers).bind(&c.asks).bind(Utc::now())
        .fetch_optional(p).await?);
    let Some(id) = id else {
        return Err(StoreError::Conflict(format!(
            "the check-in for {} was already acknowledged by your leader",
            c.month.format("%Y-%m")
        )));
    };
    if !c.accomplishment_ids.is_empty() {
        let share = format!(
            "UPDATE accomplishments SET shared = $2 WHERE employee_id = $1 AND NOT shared AND id IN {}",
            db.id_list("$3")
        );
        let picked = crate::db::json_ids(&c.accomplishment_ids);
        on_db!(&mut tx, p => sqlx::query(&share).bind(employee_id).bind(true).bind(&picked).execute(p).await.map(drop)?);
    }
    let params = serde_json::json!({ "month": c.month.format("%Y-%m").to_string() });
    let mut n = notify(Kind::CheckinSent, employee_id, format!("/team/checkins/{id}"), params);
    // Sending again before the review edits the same check-in: one notification (and mail) for it.
    n.about = Some(format!("checkin-{id}"));
    notifications::to_leaders_of(&mut tx, employee_id, &n).await?;
    tx.commit().await?;
    checkin(db, id).await
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct CoachingNote {
    pub id: i64,
    pub employee_id: EmployeeId,
    pub checkin_id: Option<i64>,
    pub author_id: UserId,
    /// The KRA the note is about.
    pub metric: String,
    pub note: String,
    pub follow_up: NaiveDate,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCoachingNote {
    pub metric: String,
    pub note: String,
    pub follow_up: NaiveDate,
}

pub async fn coaching_notes(db: &Db, employee_id: EmployeeId) -> Result<Vec<CoachingNote>> {
    let sql = "SELECT id, employee_id, checkin_id, author_id, metric, note, follow_up, created_at FROM coaching_notes
        WHERE employee_id = $1 ORDER BY created_at DESC, id DESC";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(employee_id).fetch_all(p).await?))
}

/// The coaching notes made with one of the person's check-ins, as [`coaching_notes`] orders them.
pub async fn checkin_coaching_notes(db: &Db, employee_id: EmployeeId, checkin_id: i64) -> Result<Vec<CoachingNote>> {
    let sql = "SELECT id, employee_id, checkin_id, author_id, metric, note, follow_up, created_at FROM coaching_notes
        WHERE employee_id = $1 AND checkin_id = $2 ORDER BY created_at DESC, id DESC";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(employee_id).bind(checkin_id).fetch_all(p).await?))
}

/// The coaching notes of these people, as [`coaching_notes`] orders them.
pub async fn coaching_notes_of(db: &Db, employee_ids: &[EmployeeId]) -> Result<Vec<CoachingNote>> {
    let sql = format!(
        "SELECT id, employee_id, checkin_id, author_id, metric, note, follow_up, created_at FROM coaching_notes
        WHERE employee_id IN {} ORDER BY created_at DESC, id DESC",
        db.id_list("$1")
    );
    Ok(on_db!(db, p => sqlx::query_as(&sql).bind(crate::db::json_ids(employee_ids)).fetch_all(p).await?))
}

const COACHING_INSERT: &str =
    "INSERT INTO coaching_notes (employee_id, checkin_id, author_id, metric, note, follow_up, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// A coaching note outside a check-in.
pub async fn add_coaching_note(db: &Db, employee_id: EmployeeId, author_id: UserId, n: &NewCoachingNote) -> Result<()> {
    on_db!(db, p => sqlx::query(COACHING_INSERT).bind(employee_id).bind(None::<i64>).bind(author_id).bind(&n.metric)
        .bind(&n.note).bind(n.follow_up).bind(Utc::now()).execute(p).await.map(|r| r.rows_affected()))
    .map_err(|e| StoreError::from_write(e, "coaching note"))?;
    Ok(())
}

/// The leader's acknowledgement, comment and optional coaching note, all or nothing.
pub async fn acknowledge_checkin(
    db: &Db,
    checkin_id: i64,
    author_id: UserId,
    comment: &str,
    note: Option<&NewCoachingNote>,
) -> Result<Checkin> {
    let current = checkin(db, checkin_id).await?;
    if current.acknowledged_at.is_some() {
        return Err(StoreError::Conflict("this check-in was already acknowledged".into()));
    }
    let now = Utc::now();
    let ack = "UPDATE checkins SET acknowledged_at = $2, acknowledged_by = $3, leader_comment = $4
        WHERE id = $1 AND acknowledged_at IS NULL";
    let mut tx = db.begin().await?;
    on_db!(&mut tx, c => {
        let n = sqlx::query(ack).bind(checkin_id).bind(now).bind(author_id).bind(comment).execute(&mut *c).await?.rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict("this check-in was already acknowledged".into()));
        }
        if let Some(note) = note {
            sqlx::query(COACHING_INSERT).bind(current.employee_id).bind(Some(checkin_id)).bind(author_id)
                .bind(&note.metric).bind(&note.note).bind(note.follow_up).bind(now).execute(&mut *c).await?;
        }
    });
    let params = serde_json::json!({ "month": current.month.format("%Y-%m").to_string() });
    let n = notify(Kind::CheckinAcknowledged, current.employee_id, format!("/checkin/{checkin_id}"), params);
    notifications::to_person(&mut tx, current.employee_id, author_id, &n).await?;
    tx.commit().await?;
    checkin(db, checkin_id).await
}

// ---- Endorsements ------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Endorsement {
    pub employee_id: EmployeeId,
    pub author_id: UserId,
    pub text: String,
    pub updated_at: DateTime<Utc>,
}

pub async fn endorsement(db: &Db, employee_id: EmployeeId) -> Result<Option<Endorsement>> {
    let sql = "SELECT employee_id, author_id, text, updated_at FROM endorsements WHERE employee_id = $1";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(employee_id).fetch_optional(p).await?))
}

/// Writes the leader's endorsement (replacing an earlier one) and audits it.
pub async fn endorse(db: &Db, employee_id: EmployeeId, author_id: UserId, text: &str) -> Result<()> {
    let before = endorsement(db, employee_id).await?;
    let sql = "INSERT INTO endorsements (employee_id, author_id, text, updated_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (employee_id) DO UPDATE SET author_id = excluded.author_id, text = excluded.text, updated_at = excluded.updated_at";
    let change = Change {
        actor_id: Some(author_id),
        entity: "endorsement",
        entity_id: format!("employee:{employee_id}/endorsement"),
        action: if before.is_some() { "update" } else { "create" },
        before: before.map(|b| serde_json::json!({ "text": b.text })),
        after: Some(serde_json::json!({ "text": text })),
    };
    on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        sqlx::query(sql).bind(employee_id).bind(author_id).bind(text).bind(Utc::now()).execute(&mut *tx).await?;
        audit::bind(sqlx::query(audit::INSERT_SQL), &change).execute(&mut *tx).await?;
        tx.commit().await?;
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_round_trip_and_drop_blanks_and_commas() {
        let stored = join_list(&["aht".into(), " fcr ".into(), String::new(), "a,b".into()]);
        assert_eq!(stored, ",aht,fcr,");
        assert_eq!(split_list(&stored), vec!["aht".to_string(), "fcr".to_string()]);
        assert_eq!(join_list(&[]), "");
        assert!(split_list("").is_empty());
    }
}
