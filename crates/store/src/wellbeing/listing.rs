//! A person's stored shifts, scheduled and worked, a page at a time, each with where it came
//! from: the file (and its preset) that brought it, or the person's own hand.

use chrono::{DateTime, Utc};
use ladder_core::EmployeeId;

use super::{shift_of, Shift};
use crate::{on_db, Db, Result};

/// One stored shift and its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub shift: Shift,
    /// The file's name and preset; `None` for a shift entered by hand.
    pub source: Option<(String, String)>,
}

/// `employee`'s shifts starting in `[from, to)`, by start then record (scheduled first),
/// skipping `offset` and returning at most `limit`.
pub async fn page(
    db: &Db,
    employee: EmployeeId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    offset: i64,
    limit: i64,
) -> Result<Vec<Listed>> {
    let sql = "SELECT s.employee_id, s.record, s.starts_at, s.ends_at, s.time_zone, s.kind, s.breaks_minutes,
        i.file_name, i.mapping FROM shifts s LEFT JOIN shift_imports i ON i.id = s.import_id
        WHERE s.employee_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3
        ORDER BY s.starts_at, s.record, s.id LIMIT $4 OFFSET $5";
    type Joined =
        (EmployeeId, String, DateTime<Utc>, DateTime<Utc>, String, String, i32, Option<String>, Option<String>);
    let rows: Vec<Joined> = on_db!(db, c => sqlx::query_as(sql).bind(employee).bind(from).bind(to).bind(limit)
        .bind(offset).fetch_all(c).await?);
    rows.into_iter()
        .map(|(e, record, starts, ends, zone, kind, breaks, file, mapping)| {
            let shift = shift_of((e, record, starts, ends, zone, kind, breaks))?;
            Ok(Listed { shift, source: file.map(|f| (f, mapping.unwrap_or_default())) })
        })
        .collect()
}
