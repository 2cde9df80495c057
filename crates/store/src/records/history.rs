//! A person's history as an HR system hands it over (`ladder import history`): past
//! performance ratings (this module owns `performance_ratings`), skill assessments and earned
//! certifications, written in the import's one transaction. Writing the same file again
//! changes nothing: a rating is one a person and year, an assessment already stored as it is
//! (same skill, level, assessor and time) is not added twice, a certification is one a person.

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::EmployeeId;
use serde::Serialize;

use super::Assessor;
use crate::{on_db, Db, Result, Tx};

#[derive(Debug, Clone, PartialEq)]
pub struct PastRating {
    pub employee_id: EmployeeId,
    pub year: i32,
    pub rating: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PastAssessment {
    pub employee_id: EmployeeId,
    pub skill_id: String,
    pub level: i32,
    pub assessor: Assessor,
    pub assessed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PastCertification {
    pub employee_id: EmployeeId,
    pub certification_id: String,
    pub earned: NaiveDate,
    pub expires: Option<NaiveDate>,
}

/// New, updated and unchanged rows of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Written {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// A person's past ratings, oldest first.
pub async fn ratings(db: &Db, employee_id: EmployeeId) -> Result<Vec<(i32, i32)>> {
    let sql = "SELECT year, rating FROM performance_ratings WHERE employee_id = $1 ORDER BY year";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(employee_id).fetch_all(p).await?))
}

pub async fn write_ratings(tx: &mut Tx, rows: &[PastRating], now: DateTime<Utc>) -> Result<Written> {
    let mut written = Written::default();
    let find = "SELECT rating FROM performance_ratings WHERE employee_id = $1 AND year = $2";
    let upsert = "INSERT INTO performance_ratings (employee_id, year, rating, imported_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (employee_id, year) DO UPDATE SET rating = excluded.rating, imported_at = excluded.imported_at";
    for r in rows {
        let stored: Option<i32> =
            on_db!(tx, c => sqlx::query_scalar(find).bind(r.employee_id).bind(r.year).fetch_optional(c).await?);
        match stored {
            Some(s) if s == r.rating => written.unchanged += 1,
            found => {
                on_db!(tx, c => sqlx::query(upsert).bind(r.employee_id).bind(r.year).bind(r.rating).bind(now)
                    .execute(c).await.map(drop)?);
                if found.is_some() {
                    written.updated += 1;
                } else {
                    written.new += 1;
                }
            }
        }
    }
    Ok(written)
}

pub async fn write_assessments(tx: &mut Tx, rows: &[PastAssessment]) -> Result<Written> {
    let mut written = Written::default();
    let find = "SELECT count(*) FROM skill_assessments WHERE employee_id = $1 AND skill_id = $2 AND level = $3
        AND assessor = $4 AND assessed_at = $5";
    let insert = "INSERT INTO skill_assessments (employee_id, skill_id, level, assessor, assessed_by, assessed_at)
        VALUES ($1, $2, $3, $4, NULL, $5)";
    for a in rows {
        let (e, s, l, by, at) = (a.employee_id, a.skill_id.as_str(), a.level, a.assessor, a.assessed_at);
        let stored: i64 =
            on_db!(tx, c => sqlx::query_scalar(find).bind(e).bind(s).bind(l).bind(by).bind(at).fetch_one(c).await?);
        if stored > 0 {
            written.unchanged += 1;
            continue;
        }
        on_db!(tx, c => sqlx::query(insert).bind(e).bind(s).bind(l).bind(by).bind(at).execute(c).await.map(drop)?);
        written.new += 1;
    }
    Ok(written)
}

/// Status, earned and expiry dates, and verification of a stored certification.
type StoredCertification = (String, Option<NaiveDate>, Option<NaiveDate>, Option<String>);

pub async fn write_certifications(tx: &mut Tx, rows: &[PastCertification]) -> Result<Written> {
    let mut written = Written::default();
    let find = "SELECT status, earned_date, expires_date, verification FROM certifications
        WHERE employee_id = $1 AND certification_id = $2";
    // HR's own system is the evidence: an imported certification is verified by the import
    // (no verifier named), unlike a person's own claim (issue 26).
    let upsert = "INSERT INTO certifications (employee_id, certification_id, status, planned_date, earned_date,
            expires_date, evidence_changed_at, verification, verified_at)
        VALUES ($1, $2, 'earned', NULL, $3, $4, $5, 'verified', $5)
        ON CONFLICT (employee_id, certification_id) DO UPDATE SET status = excluded.status,
            earned_date = excluded.earned_date, expires_date = excluded.expires_date,
            evidence_changed_at = excluded.evidence_changed_at, claimed_by = NULL, verification = 'verified', verified_by = NULL,
            verified_at = excluded.verified_at, rejection_reason = NULL";
    for r in rows {
        let stored: Option<StoredCertification> = on_db!(tx, c => sqlx::query_as(find)
            .bind(r.employee_id).bind(&r.certification_id).fetch_optional(c).await?);
        // Unchanged only while still verified: a re-import verifies what waited since migration 0032.
        let same = |(s, e, x, v): &StoredCertification| {
            s == "earned" && *e == Some(r.earned) && *x == r.expires && v.as_deref() == Some("verified")
        };
        if stored.as_ref().is_some_and(same) {
            written.unchanged += 1;
            continue;
        }
        on_db!(tx, c => sqlx::query(upsert).bind(r.employee_id).bind(&r.certification_id).bind(r.earned)
            .bind(r.expires).bind(Utc::now()).execute(c).await.map(drop)?);
        if stored.is_some() {
            written.updated += 1;
        } else {
            written.new += 1;
        }
    }
    Ok(written)
}
