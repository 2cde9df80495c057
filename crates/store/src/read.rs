//! The hot reads on SQLite, straight through the C library.
//!
//! sqlx runs each SQLite connection on a thread of its own and hands every row across a channel;
//! for the small indexed reads of a scorecard those hand-offs cost more than SQLite's own work
//! (BENCHMARKS.md). These reads run on the calling thread instead, on a small pool of
//! query-only connections to the same file that keep their statements prepared. Every write
//! still goes through sqlx. In WAL mode they read while another connection writes, and each
//! statement sees the latest commit, as a pooled sqlx connection would.
//!
//! Queries keep the `$N` placeholders both drivers accept, so one SQL text serves both paths;
//! [`crate::read!`] picks the path.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Type;
use rusqlite::{Connection, OpenFlags, Row, Statement, ToSql};

/// Prepared statements kept per connection: every hot query with room to spare.
const STATEMENT_CACHE: usize = 64;
/// Bytes of the file read through a memory map (SQLite caps it at its build's limit, 2 GiB).
const MMAP_SIZE: i64 = 1 << 31;
/// Idle connections kept; reads never wait for one (a busy pool opens another).
const MAX_IDLE: usize = 16;

pub struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readers").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Readers {
    /// Readers of a database file; `None` for an in-memory database (no other connection can
    /// open it). `StoreSettings::sqlite_direct_reads` decides whether a file gets them.
    pub fn for_file(path: &Path) -> Option<Readers> {
        let name = path.to_string_lossy();
        let in_memory = name.is_empty() || name == ":memory:" || name.starts_with("file:");
        (!in_memory).then(|| Readers { path: path.to_path_buf(), idle: Mutex::new(Vec::new()) })
    }

    fn open(&self) -> rusqlite::Result<Connection> {
        // Read-write without create: a read-only handle could not set up the WAL index itself.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&self.path, flags)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "query_only", true)?;
        conn.pragma_update(None, "cache_size", -16384)?;
        // Pages read through a memory map rather than copied in by a system call each; the file
        // is only ever read here.
        conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(conn)
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> crate::Result<T> {
        let pooled = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match pooled {
            Some(c) => c,
            None => self.open()?,
        };
        let out = f(&conn);
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
        Ok(out?)
    }

    /// Every row of `sql`, mapped.
    pub fn all<T>(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        mut map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> crate::Result<Vec<T>> {
        self.with(|conn| {
            let mut out = Vec::new();
            for_each_row(conn, sql, params, |row| {
                out.push(map(row)?);
                Ok(())
            })?;
            Ok(out)
        })
    }

    /// The first row of `sql`, if any, mapped.
    pub fn optional<T>(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        map: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> crate::Result<Option<T>> {
        self.with(|conn| {
            let mut statement = conn.prepare_cached(sql)?;
            bind(&mut statement, params)?;
            let mut rows = statement.raw_query();
            rows.next()?.map(map).transpose()
        })
    }

    /// Calls `each` for every row of `sql`, in one read transaction: a scan that sees one
    /// snapshot whatever commits meanwhile, without collecting the rows. The scan reads through
    /// the page cache, not the memory map: a map would keep every page of the table it touched
    /// resident, so memory would grow with the database.
    pub fn each(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        mut each: impl FnMut(&Row<'_>) -> rusqlite::Result<()>,
    ) -> crate::Result<()> {
        self.each_of(&[sql], params, |_, row| each(row))
    }

    /// Like [`Readers::each`] for several statements over the same parameters, one after the
    /// other in one read transaction, so that together they see one snapshot; `each` gets the
    /// statement's position and the row.
    pub fn each_of(
        &self,
        sqls: &[&str],
        params: &[&dyn ToSql],
        mut each: impl FnMut(usize, &Row<'_>) -> rusqlite::Result<()>,
    ) -> crate::Result<()> {
        self.with(|conn| {
            conn.pragma_update(None, "mmap_size", 0)?;
            let snapshot = conn.unchecked_transaction()?;
            let scanned = sqls
                .iter()
                .enumerate()
                .try_for_each(|(i, sql)| for_each_row(&snapshot, sql, params, |row| each(i, row)));
            // Read only: nothing to commit.
            drop(snapshot);
            conn.pragma_update(None, "mmap_size", MMAP_SIZE)?;
            scanned
        })
    }

    /// Closes the idle connections (the pool closes with the database).
    pub fn close(&self) {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// A `YYYY-MM-DD` column as a date. chrono's general parser, which rusqlite uses, re-reads its
/// format string on every value: a tenth of a team scorecard's time.
pub fn date(row: &Row<'_>, column: usize) -> rusqlite::Result<NaiveDate> {
    let text = row.get_ref(column)?.as_str()?;
    // A year such as `-0001` (written before dates were checked) is read as the nearest date
    // Ladder keeps, so one impossible row cannot fail a whole list.
    let date = parse_date(text).or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok());
    date.map(ladder_core::dates::clamp).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            Type::Text,
            format!("'{text}' is not a YYYY-MM-DD date").into(),
        )
    })
}

/// A timestamp column as sqlx writes it (RFC 3339), else as rusqlite reads one (which also
/// takes SQLite's own `YYYY-MM-DD HH:MM:SS`, slowly).
pub fn timestamp(row: &Row<'_>, column: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text = row.get_ref(column)?.as_str()?;
    if let Some(t) = utc_seconds(text) {
        return Ok(t);
    }
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) => Ok(t.with_timezone(&Utc)),
        Err(_) => row.get(column),
    }
}

/// The same for a column that may be NULL.
pub fn timestamp_or_null(row: &Row<'_>, column: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match row.get_ref(column)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        _ => timestamp(row, column).map(Some),
    }
}

/// `YYYY-MM-DDTHH:MM:SS+00:00`, the text sqlx writes for a whole-second UTC instant, read by
/// hand: a year of shifts is millions of them (anything else goes to chrono's parser).
fn utc_seconds(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() != 25 || &b[19..] != b"+00:00" || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let number =
        |digits: &[u8]| digits.iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')));
    let date = parse_date(&text[..10])?;
    let time = chrono::NaiveTime::from_hms_opt(number(&b[11..13])?, number(&b[14..16])?, number(&b[17..19])?)?;
    Some(date.and_time(time).and_utc())
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number =
        |digits: &[u8]| digits.iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')));
    NaiveDate::from_ymd_opt(number(&b[0..4])? as i32, number(&b[5..7])?, number(&b[8..10])?)
}

/// Runs `sql` (prepared once per connection) and calls `each` for every row.
fn for_each_row(
    conn: &Connection,
    sql: &str,
    params: &[&dyn ToSql],
    mut each: impl FnMut(&Row<'_>) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let mut statement = conn.prepare_cached(sql)?;
    bind(&mut statement, params)?;
    let mut rows = statement.raw_query();
    while let Some(row) = rows.next()? {
        each(row)?;
    }
    Ok(())
}

/// Binds `params[k]` to `$k+1`, by name: SQLite numbers `$N` parameters in order of first
/// appearance, which need not be N.
fn bind(statement: &mut Statement<'_>, params: &[&dyn ToSql]) -> rusqlite::Result<()> {
    for (i, value) in params.iter().enumerate() {
        if let Some(index) = statement.parameter_index(&format!("${}", i + 1))? {
            statement.raw_bind_parameter(index, value)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{parse_date, utc_seconds};
    use chrono::{DateTime, NaiveDate, Utc};

    #[test]
    fn whole_second_utc_instants_parse_as_chrono_does() {
        for text in ["2025-03-09T07:30:00+00:00", "2024-02-29T23:59:59+00:00", "1900-01-01T00:00:00+00:00"] {
            let chrono = DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc);
            assert_eq!(utc_seconds(text), Some(chrono), "{text}");
        }
        // Other shapes go to chrono's parser.
        for other in [
            "2025-03-09T07:30:00.250+00:00",
            "2025-03-09T15:30:00+08:00",
            "2025-03-09 07:30:00+00:00",
            "2025-03-09T24:00:00+00:00",
            "2025-02-29T07:30:00+00:00",
            "2025-03-09T07:30:00Z",
        ] {
            assert_eq!(utc_seconds(other), None, "{other}");
        }
    }

    #[test]
    fn dates_parse_as_chrono_does() {
        for text in ["2026-10-01", "2024-02-29", "0001-01-01", "9999-12-31"] {
            assert_eq!(parse_date(text), Some(text.parse::<NaiveDate>().unwrap()), "{text}");
        }
        for bad in [
            "2025-02-29",
            "2026-13-01",
            "2026-1-01",
            "2026/10/01",
            "2026-10-01T00:00:00",
            "",
            "20x6-10-01",
            "2026-10-+1",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
