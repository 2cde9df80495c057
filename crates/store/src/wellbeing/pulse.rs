//! The private weekly pulse (`wellbeing_pulses`): energy, stress and sleep from 1 to 5 and an
//! optional note, one answer per person and ISO week. Only the person reads their answers;
//! others get [`aggregate`], which refuses groups smaller than [`MIN_GROUP`].

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use ladder_core::EmployeeId;
use serde::Serialize;

use crate::{on_db, Db, Result, StoreError};

/// The smallest group whose answers are shown together (issue 29: 5 or more people).
pub const MIN_GROUP: usize = 5;
/// The longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// One week's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The Monday of the ISO week.
    pub week: NaiveDate,
    pub energy: i16,
    pub stress: i16,
    pub sleep: i16,
    pub note: Option<String>,
}

/// A group's answers for a week, never a person's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aggregate {
    pub week: NaiveDate,
    pub answered: i64,
    pub energy: f64,
    pub stress: f64,
    pub sleep: f64,
}

/// Checks an answer: scores 1–5, a note of at most [`MAX_NOTE_CHARS`], the week a Monday.
pub fn check(a: &Answer) -> std::result::Result<(), (&'static str, String)> {
    for (field, v) in [("energy", a.energy), ("stress", a.stress), ("sleep", a.sleep)] {
        if !(1..=5).contains(&v) {
            return Err((field, format!("{field} is 1 to 5, not {v}")));
        }
    }
    if a.note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
        return Err(("note", format!("a note is at most {MAX_NOTE_CHARS} characters")));
    }
    if a.week.weekday() != chrono::Weekday::Mon {
        return Err(("week", format!("{} is not the Monday of a week", a.week)));
    }
    Ok(())
}

/// Saves (or replaces) a person's answer for its week.
pub async fn save(db: &Db, employee: EmployeeId, a: &Answer, at: DateTime<Utc>) -> Result<()> {
    check(a).map_err(|(_, m)| StoreError::Invalid(m))?;
    let sql = "INSERT INTO wellbeing_pulses (employee_id, week, energy, stress, sleep, note, answered_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (employee_id, week) DO UPDATE SET energy = excluded.energy, stress = excluded.stress,
        sleep = excluded.sleep, note = excluded.note, answered_at = excluded.answered_at";
    on_db!(db, c => sqlx::query(sql).bind(employee).bind(a.week).bind(a.energy).bind(a.stress).bind(a.sleep)
        .bind(a.note.as_deref()).bind(at).execute(c).await.map(drop)?);
    Ok(())
}

/// A person's own answers, newest first, at most `limit`.
pub async fn own(db: &Db, employee: EmployeeId, limit: i64) -> Result<Vec<Answer>> {
    let sql = "SELECT week, energy, stress, sleep, note FROM wellbeing_pulses WHERE employee_id = $1
        ORDER BY week DESC LIMIT $2";
    let rows: Vec<(NaiveDate, i16, i16, i16, Option<String>)> =
        on_db!(db, c => sqlx::query_as(sql).bind(employee).bind(limit).fetch_all(c).await?);
    Ok(rows
        .into_iter()
        .map(|(week, energy, stress, sleep, note)| Answer { week, energy, stress, sleep, note })
        .collect())
}

/// The mean answers of `people` for a week, or `None` when fewer than [`MIN_GROUP`] answered:
/// a smaller group's mean would give away its members' answers.
pub async fn aggregate(db: &Db, people: &[EmployeeId], week: NaiveDate) -> Result<Option<Aggregate>> {
    let ids = serde_json::to_string(people).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let sql = format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(energy), 0) AS BIGINT), CAST(COALESCE(SUM(stress), 0) AS BIGINT),
         CAST(COALESCE(SUM(sleep), 0) AS BIGINT)
         FROM wellbeing_pulses WHERE week = $2 AND employee_id IN {}",
        db.id_list("$1")
    );
    let (n, e, s, z): (i64, i64, i64, i64) =
        on_db!(db, c => sqlx::query_as(&sql).bind(&ids).bind(week).fetch_one(c).await?);
    if (n as usize) < MIN_GROUP {
        return Ok(None);
    }
    let mean = |sum: i64| ((sum as f64 / n as f64) * 100.0).round() / 100.0;
    Ok(Some(Aggregate { week, answered: n, energy: mean(e), stress: mean(s), sleep: mean(z) }))
}
