//! Well-being data (issue 29): each person's scheduled and worked shifts (`shifts`), the shift
//! files they came from (`shift_imports`), and the private weekly pulse (`wellbeing_pulses`,
//! in [`pulse`]). This module owns those tables and all their SQL.
//!
//! Shifts are instants in UTC with the site's IANA zone they were written in, so local days,
//! weeks and nights (which the flags are about) can be rebuilt exactly, across DST changes.

pub mod listing;
pub mod pulse;
pub mod rollup;

use chrono::{DateTime, Utc};
use ladder_core::{EmployeeId, TeamId, UserId};
use serde::Serialize;

use crate::{on_db, Db, Result, StoreError, Tx};

/// Shifts a multi-row insert writes per statement (9 values each).
const ROWS_PER_STATEMENT: usize = 500;

/// Whether a shift is the schedule or what was worked (time clock, attendance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Record {
    Scheduled,
    Worked,
}

/// The kind of shift pattern, as the schedule names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Day,
    Night,
    Rotating,
}

macro_rules! text_enum {
    ($t:ty { $($v:ident => $s:literal),* }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
            pub fn parse(text: &str) -> Option<Self> {
                match text.trim().to_ascii_lowercase().as_str() { $($s => Some(Self::$v),)* _ => None }
            }
        }
    };
}
text_enum!(Record { Scheduled => "scheduled", Worked => "worked" });
text_enum!(Kind { Day => "day", Night => "night", Rotating => "rotating" });

/// One stored shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shift {
    pub employee_id: EmployeeId,
    pub record: Record,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The IANA zone the schedule was written in (the site's).
    pub time_zone: String,
    pub kind: Kind,
    pub breaks_minutes: i32,
}

/// Whom a shift file may name: each employee's id, code, team and site zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: EmployeeId,
    pub code: String,
    /// The name as the people file gave it (time clocks that carry only names are matched on it).
    pub name: String,
    pub team_id: Option<TeamId>,
    /// The site's IANA zone; `UTC` for someone in no team.
    pub time_zone: String,
}

/// Everyone a shift file may name, with their site's zone.
pub async fn people(db: &Db) -> Result<Vec<Person>> {
    let sql = "SELECT e.id, e.code, e.name, e.team_id, COALESCE(s.timezone, 'UTC') FROM employees e
        LEFT JOIN teams t ON t.id = e.team_id LEFT JOIN accounts a ON a.id = t.account_id
        LEFT JOIN sites s ON s.id = a.site_id";
    let rows: Vec<(EmployeeId, String, String, Option<TeamId>, String)> =
        on_db!(db, c => sqlx::query_as(sql).fetch_all(c).await?);
    Ok(rows
        .into_iter()
        .map(|(id, code, name, team_id, time_zone)| Person { id, code, name, team_id, time_zone })
        .collect())
}

/// What the `shift_imports` row of a committed file records.
#[derive(Debug, Clone, Copy)]
pub struct ShiftImport<'a> {
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub mapping: &'a str,
    pub rows: u64,
    pub started_at: DateTime<Utc>,
    pub imported_by: Option<UserId>,
}

/// Where a file's shifts replace the stored ones: one person's record between two instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub employee_id: EmployeeId,
    pub record: Record,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// Writes a shift file in `tx`: its log row, then, for each span, removes the stored shifts of
/// that person and record that overlap it and inserts the file's. Returns the log row's id and
/// how many stored shifts were replaced.
pub async fn replace(tx: &mut Tx, log: &ShiftImport<'_>, spans: &[Span], shifts: &[Shift]) -> Result<(i64, u64)> {
    let sql =
        "INSERT INTO shift_imports (file_name, sha256, mapping, rows, shifts, started_at, finished_at, imported_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    let id: i64 = on_db!(tx, c => sqlx::query_scalar(sql)
        .bind(log.file_name).bind(log.sha256).bind(log.mapping).bind(log.rows as i64)
        .bind(shifts.len() as i64).bind(log.started_at).bind(Utc::now()).bind(log.imported_by)
        .fetch_one(c).await?);
    let mut replaced = 0u64;
    let delete = "DELETE FROM shifts WHERE employee_id = $1 AND record = $2 AND starts_at < $3 AND ends_at > $4";
    for s in spans {
        let done = on_db!(tx, c => sqlx::query(delete)
            .bind(s.employee_id).bind(s.record.as_str()).bind(s.to).bind(s.from)
            .execute(c).await?.rows_affected());
        replaced += done;
    }
    insert(tx, shifts, Some(id)).await?;
    Ok((id, replaced))
}

/// Raises the shifts' version: every write of shifts runs it in its own transaction, so what was
/// computed from them at an earlier version (the well-being roll-up) is stale on every server.
const SHIFTS_CHANGED: &str = "INSERT INTO data_versions (subject, version) VALUES ('shifts', 1)
    ON CONFLICT (subject) DO UPDATE SET version = data_versions.version + 1";

/// The shifts' version (see [`SHIFTS_CHANGED`]); 0 before any shift is written. Read it before
/// computing from the shifts, so a result is never kept under a version newer than what it saw.
pub async fn shifts_version(db: &Db) -> Result<i64> {
    let sql = "SELECT COALESCE(MAX(version), 0) FROM data_versions WHERE subject = 'shifts'";
    Ok(on_db!(db, c => sqlx::query_scalar(sql).fetch_one(c).await?))
}

/// Inserts shifts (a person's hand entry passes no import), raising the shifts' version.
pub async fn insert(tx: &mut Tx, shifts: &[Shift], import_id: Option<i64>) -> Result<()> {
    on_db!(tx, c => sqlx::query(SHIFTS_CHANGED).execute(c).await.map(drop)?);
    if let Tx::Sqlite(t) = tx {
        return insert_sqlite(t, shifts, import_id).await;
    }
    let backend = tx.backend();
    for chunk in shifts.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO shifts (employee_id, record, starts_at, ends_at, time_zone, kind, breaks_minutes, import_id) VALUES {}",
            backend.values_list(chunk.len(), 8)
        );
        on_db!(tx, c => {
            let mut q = sqlx::query(&sql);
            for s in chunk {
                q = q.bind(s.employee_id).bind(s.record.as_str()).bind(s.starts_at).bind(s.ends_at)
                    .bind(&s.time_zone).bind(s.kind.as_str()).bind(s.breaks_minutes).bind(import_id);
            }
            q.execute(c).await.map(drop).map_err(|e| StoreError::from_write(e, "a shift"))?;
        });
    }
    Ok(())
}

/// SQLite: one prepared statement run for each shift on the transaction's own connection. A
/// year of a large organisation's shifts is millions of rows; through sqlx each 500-row
/// statement's 4,000 values were boxed and handed to the connection's thread.
async fn insert_sqlite(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    shifts: &[Shift],
    import_id: Option<i64>,
) -> Result<()> {
    const SQL: &str = "INSERT INTO shifts (employee_id, record, starts_at, ends_at, time_zone, kind, breaks_minutes, \
        import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    let written = crate::db::sqlite_direct(tx, |conn| {
        let mut insert = conn.prepare(SQL)?;
        let (mut starts, mut ends) = (String::new(), String::new());
        for s in shifts {
            utc_text(s.starts_at, &mut starts);
            utc_text(s.ends_at, &mut ends);
            insert.execute(rusqlite::params![
                s.employee_id,
                s.record.as_str(),
                starts,
                ends,
                s.time_zone,
                s.kind.as_str(),
                s.breaks_minutes,
                import_id
            ])?;
        }
        Ok(())
    })
    .await;
    written.map_err(|e| match e {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
        {
            StoreError::Invalid("a shift refers to something that does not exist".into())
        }
        e => e,
    })
}

/// An instant as the text sqlx writes for SQLite (RFC 3339 with `+00:00`, fractions only when
/// there are some), into `out`: the same text whichever path wrote it, so comparisons agree.
/// Digits by hand: chrono's formatter was a twentieth of a year's import.
fn utc_text(t: DateTime<Utc>, out: &mut String) {
    use chrono::{Datelike, Timelike};
    out.clear();
    if t.nanosecond() != 0 || !(0..=9999).contains(&t.year()) {
        out.push_str(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false));
        return;
    }
    let digits = |out: &mut String, n: u32, width: u32| {
        for p in (0..width).rev() {
            out.push(char::from(b'0' + (n / 10u32.pow(p) % 10) as u8));
        }
    };
    digits(out, t.year() as u32, 4);
    for (sep, n) in [('-', t.month()), ('-', t.day()), ('T', t.hour()), (':', t.minute()), (':', t.second())] {
        out.push(sep);
        digits(out, n, 2);
    }
    out.push_str("+00:00");
}

type Row = (EmployeeId, String, DateTime<Utc>, DateTime<Utc>, String, String, i32);

fn shift_of(row: Row) -> Result<Shift> {
    let (employee_id, record, starts_at, ends_at, time_zone, kind, breaks_minutes) = row;
    let damaged = |what: &str, v: &str| StoreError::Invalid(format!("shifts: unknown {what} '{v}'"));
    Ok(Shift {
        employee_id,
        record: Record::parse(&record).ok_or_else(|| damaged("record", &record))?,
        starts_at,
        ends_at,
        time_zone,
        kind: Kind::parse(&kind).ok_or_else(|| damaged("kind", &kind))?,
        breaks_minutes,
    })
}

const COLUMNS: &str = "employee_id, record, starts_at, ends_at, time_zone, kind, breaks_minutes";

/// The shifts of some people of one record that overlap `[from, to)`, by person then start.
pub async fn of_people(
    db: &Db,
    people: &[EmployeeId],
    record: Record,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Shift>> {
    let ids = serde_json::to_string(people).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let sql = format!(
        "SELECT {COLUMNS} FROM shifts WHERE employee_id IN {} AND record = $2 AND starts_at < $3 AND ends_at > $4
         ORDER BY employee_id, starts_at",
        db.id_list("$1")
    );
    let rows: Vec<Row> = on_db!(db, c => sqlx::query_as(&sql).bind(&ids).bind(record.as_str()).bind(to).bind(from)
        .fetch_all(c).await?);
    rows.into_iter().map(shift_of).collect()
}

/// One person's shifts of one record that overlap `[from, to)`, by start.
pub async fn of_employee(
    db: &Db,
    employee: EmployeeId,
    record: Record,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Shift>> {
    of_people(db, &[employee], record, from, to).await
}

/// A stored shift reduced to what the flags need: the person, its start and its end.
pub type Lean = (EmployeeId, DateTime<Utc>, DateTime<Utc>);

/// Every person's shifts of one record that overlap `[from, to)`, by person then start: the
/// whole organisation's flags in one read (`ladder wellbeing --all`). Lean rows, because a
/// year of a large organisation is millions of shifts. Sorted here, not by SQL: SQLite read the
/// index and then sorted each person's rows in a temporary B-tree, slower than a scan of the
/// table (which imports write in this order) and a sort of rows already nearly in order.
pub async fn of_everyone(db: &Db, record: Record, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Lean>> {
    let sql = "SELECT employee_id, starts_at, ends_at FROM shifts WHERE record = $1 AND starts_at < $2
        AND ends_at > $3";
    let mut rows = read_everyone(db, sql, record, from, to).await?;
    rows.sort_unstable_by_key(|&(id, start, _)| (id, start));
    Ok(rows)
}

async fn read_everyone(
    db: &Db,
    sql: &str,
    record: Record,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Lean>> {
    if let Some(readers) = db.readers() {
        // Bound as the text sqlx writes (RFC 3339), so the comparison is the stored text's.
        let text = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false);
        let read = |r: &rusqlite::Row<'_>| -> rusqlite::Result<Lean> {
            Ok((r.get(0)?, crate::read::timestamp(r, 1)?, crate::read::timestamp(r, 2)?))
        };
        return readers.all(sql, &[&record.as_str(), &text(to), &text(from)], read);
    }
    Ok(on_db!(db, c => sqlx::query_as(sql).bind(record.as_str()).bind(to).bind(from).fetch_all(c).await?))
}

/// How many shifts are stored (for reports and tests).
pub async fn count(db: &Db) -> Result<i64> {
    Ok(on_db!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM shifts").fetch_one(c).await?))
}

/// The IANA zone of the site each of `people` works at (`UTC` for someone in no team).
pub async fn zones(db: &Db, people: &[EmployeeId]) -> Result<Vec<(EmployeeId, String)>> {
    let ids = serde_json::to_string(people).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let sql = format!(
        "SELECT e.id, COALESCE(s.timezone, 'UTC') FROM employees e
        LEFT JOIN teams t ON t.id = e.team_id LEFT JOIN accounts a ON a.id = t.account_id
        LEFT JOIN sites s ON s.id = a.site_id WHERE e.id IN {}",
        db.id_list("$1")
    );
    Ok(on_db!(db, c => sqlx::query_as(&sql).bind(&ids).fetch_all(c).await?))
}

/// Adds one shift a person entered by hand, in `tx` (the caller checked it against the
/// person's other shifts in the same transaction).
pub async fn add_by_hand(tx: &mut Tx, shift: &Shift) -> Result<()> {
    insert(tx, std::slice::from_ref(shift), None).await
}

/// The starts of `employee`'s hand-entered shifts of `record` that overlap `[from, to)`.
pub async fn by_hand_starts(
    db: &Db,
    employee: EmployeeId,
    record: Record,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>> {
    let sql = "SELECT starts_at FROM shifts WHERE employee_id = $1 AND record = $2 AND starts_at < $3
        AND ends_at > $4 AND import_id IS NULL ORDER BY starts_at";
    Ok(on_db!(db, c => sqlx::query_scalar(sql).bind(employee).bind(record.as_str()).bind(to).bind(from)
        .fetch_all(c).await?))
}

/// Serialises `employee`'s hand entries until `tx` ends, so two at once cannot both pass the
/// overlap check: on PostgreSQL (READ COMMITTED) it locks their employee row; SQLite's
/// `BEGIN IMMEDIATE` already serialises every write.
pub async fn lock_person(tx: &mut Tx, employee: EmployeeId) -> Result<()> {
    if let Tx::Postgres(c) = tx {
        sqlx::query("SELECT id FROM employees WHERE id = $1 FOR UPDATE").bind(employee).execute(&mut **c).await?;
    }
    Ok(())
}

/// How many of `employee`'s shifts of `record` start in `[from, to)`, in `tx`.
pub async fn count_starting(
    tx: &mut Tx,
    employee: EmployeeId,
    record: Record,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<i64> {
    let sql =
        "SELECT COUNT(*) FROM shifts WHERE employee_id = $1 AND record = $2 AND starts_at >= $3 AND starts_at < $4";
    Ok(on_db!(tx, c => sqlx::query_scalar(sql).bind(employee).bind(record.as_str()).bind(from).bind(to)
        .fetch_one(c).await?))
}

/// Whether one of `employee`'s stored shifts of `record` overlaps `[from, to)`, in `tx`.
pub async fn overlaps(
    tx: &mut Tx,
    employee: EmployeeId,
    record: Record,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Option<(DateTime<Utc>, DateTime<Utc>)>> {
    let sql = "SELECT starts_at, ends_at FROM shifts WHERE employee_id = $1 AND record = $2 AND starts_at < $3
        AND ends_at > $4 ORDER BY starts_at LIMIT 1";
    Ok(on_db!(tx, c => sqlx::query_as(sql).bind(employee).bind(record.as_str()).bind(to).bind(from)
        .fetch_optional(c).await?))
}

/// Deletes `employee`'s hand-entered shift of `record` that starts at `starts_at`; whether
/// there was one. Imported shifts are the WFM tool's: the next file would only bring them back.
pub async fn delete_one(db: &Db, employee: EmployeeId, record: Record, starts_at: DateTime<Utc>) -> Result<bool> {
    let sql = "DELETE FROM shifts WHERE employee_id = $1 AND record = $2 AND starts_at = $3 AND import_id IS NULL";
    let done = on_db!(db, c => {
        let mut tx = c.begin_write().await?;
        let done = sqlx::query(sql).bind(employee).bind(record.as_str()).bind(starts_at)
            .execute(&mut *tx).await?.rows_affected();
        sqlx::query(SHIFTS_CHANGED).execute(&mut *tx).await?;
        tx.commit().await?;
        done
    });
    Ok(done > 0)
}

/// A site's night-differential rule as stored: window (HH:MM) and percent; all `None` is the
/// default rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NightRule {
    pub start: Option<String>,
    pub end: Option<String>,
    pub percent: Option<i32>,
}

/// The night-differential rule of the site `employee` works at (`None`: no site, or the
/// default rule).
pub async fn night_rule_of(db: &Db, employee: EmployeeId) -> Result<Option<NightRule>> {
    let sql = "SELECT s.night_start, s.night_end, s.night_percent FROM employees e
        JOIN teams t ON t.id = e.team_id JOIN accounts a ON a.id = t.account_id JOIN sites s ON s.id = a.site_id
        WHERE e.id = $1";
    let row: Option<(Option<String>, Option<String>, Option<i32>)> =
        on_db!(db, c => sqlx::query_as(sql).bind(employee).fetch_optional(c).await?);
    Ok(row.map(|(start, end, percent)| NightRule { start, end, percent }).filter(|r| *r != NightRule::default()))
}

/// Sets a site's night-differential rule (all `None` restores the default); whether the site exists.
pub async fn set_night_rule(db: &Db, site_id: i64, rule: &NightRule) -> Result<bool> {
    let sql = "UPDATE sites SET night_start = $1, night_end = $2, night_percent = $3 WHERE id = $4";
    let done = on_db!(db, c => sqlx::query(sql).bind(&rule.start).bind(&rule.end).bind(rule.percent).bind(site_id)
        .execute(c).await?.rows_affected());
    Ok(done > 0)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn utc_text_is_what_sqlx_writes() {
        let mut out = String::new();
        for t in [
            Utc.with_ymd_and_hms(2025, 3, 9, 7, 30, 0).unwrap(),
            Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + chrono::TimeDelta::milliseconds(250),
        ] {
            utc_text(t, &mut out);
            assert_eq!(out, t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false));
        }
        assert_eq!(out, "2025-01-01T00:00:00.250+00:00");
    }
}
