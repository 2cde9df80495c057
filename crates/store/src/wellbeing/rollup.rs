//! What the well-being roll-up reads (issue 29): the people in some teams with their site's
//! zone, and their scheduled and worked shifts over a span, streamed person by person so the
//! caller assesses one person at a time and holds no more than one person's shifts.
//!
//! A whole organisation's span is millions of rows: on SQLite with direct readers they are read
//! through rusqlite off the async workers (as [`crate::rollup`] does), else streamed by sqlx.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use futures_util::TryStreamExt;
use ladder_core::{EmployeeId, TeamId};

use crate::{on_db, Db, Result, StoreError};

/// Everyone now in one of `teams` (every team when `None`): id, team and the site's IANA zone.
pub async fn members(db: &Db, teams: Option<&[TeamId]>) -> Result<Vec<(EmployeeId, TeamId, String)>> {
    let scope = match teams {
        Some(_) => format!("e.team_id IN {}", db.id_list("$1")),
        None => "$1 = $1".to_string(),
    };
    let sql = format!(
        "SELECT e.id, e.team_id, s.timezone FROM employees e JOIN teams t ON t.id = e.team_id
        JOIN accounts a ON a.id = t.account_id JOIN sites s ON s.id = a.site_id WHERE {scope}"
    );
    let param = teams.map(crate::db::json_ids).unwrap_or_default();
    Ok(on_db!(db, c => sqlx::query_as(&sql).bind(&param).fetch_all(c).await?))
}

/// What takes the shifts of [`each_shift`], one at a time.
pub trait Sink: Send + 'static {
    /// One shift of `employee`'s: `worked` (a time clock's) or scheduled.
    fn shift(&mut self, employee: EmployeeId, worked: bool, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>);
}

/// Instants `[from, to)`.
pub type Window = (DateTime<Utc>, DateTime<Utc>);

/// The longest shift the read is sure to find from its start (imports refuse over 24 h; a
/// margin for hand entries): the start bound lets each person's rows be found by the index.
const LONGEST_SHIFT: TimeDelta = TimeDelta::hours(48);

/// Gives `sink` the scheduled shifts overlapping `scheduled` and the worked shifts starting in
/// `worked` of the people now in `teams` (every team when `None`). Each person's rows come
/// together, in no particular order within them.
///
/// On SQLite each half is a skip-scan of `shifts_by_employee` (the person, then the record and
/// the start), merged by person without a sort; it reads the span, not the whole table.
pub async fn each_shift<S: Sink>(
    db: &Db,
    teams: Option<&[TeamId]>,
    scheduled: Window,
    worked: Window,
    mut sink: S,
) -> Result<S> {
    let scope = match teams {
        Some(_) => format!("s.employee_id IN (SELECT id FROM employees WHERE team_id IN {})", db.id_list("$6")),
        None => "$6 = $6".to_string(),
    };
    let sql = format!(
        "SELECT s.employee_id, FALSE, s.starts_at, s.ends_at FROM shifts s
        WHERE s.record = 'scheduled' AND s.starts_at >= $1 AND s.starts_at < $2 AND s.ends_at > $3 AND {scope}
        UNION ALL
        SELECT s.employee_id, TRUE, s.starts_at, s.ends_at FROM shifts s
        WHERE s.record = 'worked' AND s.starts_at >= $4 AND s.starts_at < $5 AND {scope}
        ORDER BY 1"
    );
    let param = teams.map(crate::db::json_ids).unwrap_or_default();
    let earliest = scheduled.0 - LONGEST_SHIFT;
    if db.readers().is_some() {
        let db = db.clone();
        return tokio::task::spawn_blocking(move || {
            let readers = db.readers().expect("SQLite with readers");
            // Bound as sqlx writes the column (RFC 3339 text), so the text comparison holds.
            let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::AutoSi, false);
            let bounds = [stamp(earliest), stamp(scheduled.1), stamp(scheduled.0), stamp(worked.0), stamp(worked.1)];
            let params: [&dyn rusqlite::ToSql; 6] =
                [&bounds[0], &bounds[1], &bounds[2], &bounds[3], &bounds[4], &param];
            readers.each(&sql, &params, |r| {
                let (start, end) = (crate::read::timestamp(r, 2)?, crate::read::timestamp(r, 3)?);
                sink.shift(EmployeeId(r.get(0)?), r.get(1)?, start, end);
                Ok(())
            })?;
            Ok(sink)
        })
        .await
        .map_err(|e| StoreError::Invalid(format!("reading the shifts: {e}")))?;
    }
    on_db!(db, c => {
        let mut rows = sqlx::query_as::<_, (EmployeeId, bool, DateTime<Utc>, DateTime<Utc>)>(&sql)
            .bind(earliest).bind(scheduled.1).bind(scheduled.0).bind(worked.0).bind(worked.1).bind(&param)
            .fetch(c);
        while let Some((id, worked, starts_at, ends_at)) = rows.try_next().await? {
            sink.shift(id, worked, starts_at, ends_at);
        }
    });
    Ok(sink)
}
