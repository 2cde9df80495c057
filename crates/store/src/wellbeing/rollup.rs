//! What the well-being roll-up reads (issue 29): the people in some teams with their site's
//! zone, and every scheduled shift of theirs over a span, streamed by person then start so the
//! caller assesses one person at a time and holds no more than one person's shifts.
//!
//! A whole organisation's span is millions of rows: on SQLite with direct readers they are read
//! through rusqlite off the async workers (as [`crate::rollup`] does), else streamed by sqlx.

use chrono::{DateTime, SecondsFormat, Utc};
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

/// What takes the shifts of [`each_scheduled`], one at a time.
pub trait Sink: Send + 'static {
    fn shift(&mut self, employee: EmployeeId, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>);
}

/// Gives `sink` every scheduled shift overlapping `[from, to)` of the people now in `teams`
/// (every team when `None`), ordered by person then start; returns the sink.
pub async fn each_scheduled<S: Sink>(
    db: &Db,
    teams: Option<&[TeamId]>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    mut sink: S,
) -> Result<S> {
    let scope = match teams {
        Some(_) => format!("s.employee_id IN (SELECT id FROM employees WHERE team_id IN {})", db.id_list("$3")),
        None => "$3 = $3".to_string(),
    };
    let sql = format!(
        "SELECT s.employee_id, s.starts_at, s.ends_at FROM shifts s
        WHERE s.record = 'scheduled' AND s.starts_at < $1 AND s.ends_at > $2 AND {scope}
        ORDER BY s.employee_id, s.starts_at"
    );
    let param = teams.map(crate::db::json_ids).unwrap_or_default();
    if db.readers().is_some() {
        let db = db.clone();
        return tokio::task::spawn_blocking(move || {
            let readers = db.readers().expect("SQLite with readers");
            // Bound as sqlx writes the column (RFC 3339 text), so the text comparison holds.
            let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::AutoSi, false);
            let (to, from) = (stamp(to), stamp(from));
            let params: [&dyn rusqlite::ToSql; 3] = [&to, &from, &param];
            readers.each(&sql, &params, |r| {
                sink.shift(EmployeeId(r.get(0)?), crate::read::timestamp(r, 1)?, crate::read::timestamp(r, 2)?);
                Ok(())
            })?;
            Ok(sink)
        })
        .await
        .map_err(|e| StoreError::Invalid(format!("reading the shifts: {e}")))?;
    }
    on_db!(db, c => {
        let mut rows = sqlx::query_as::<_, (EmployeeId, DateTime<Utc>, DateTime<Utc>)>(&sql)
            .bind(to).bind(from).bind(&param).fetch(c);
        while let Some((id, starts_at, ends_at)) = rows.try_next().await? {
            sink.shift(id, starts_at, ends_at);
        }
    });
    Ok(sink)
}
