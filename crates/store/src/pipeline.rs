//! The talent pipeline kept per person (`pipeline_snapshot`, issue 25): the service computes a
//! row from the readiness rules and writes it here; the organisation-wide views (the pipeline,
//! the 9-box, "who is slipping") filter, sort, count and page in SQL over everyone in scope.
//!
//! Where a person sits (name, team, account, site, role) is copied into the row so every filter
//! and sort reads one table's indexes; a row computed before today is stale and recomputed.

use chrono::NaiveDate;
use ladder_core::{EmployeeId, TeamId};
use serde::{Deserialize, Serialize};

use crate::{on_db, Db, Result};

/// One person's row. `next_role` is `None` for someone with no next step (or not active): kept,
/// so the refresh knows they were looked at, but never listed.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SnapshotRow {
    pub employee_id: EmployeeId,
    pub name: String,
    pub team_id: Option<TeamId>,
    pub account_id: Option<i64>,
    pub site_id: Option<i64>,
    pub role_id: String,
    pub next_role: Option<String>,
    pub readiness_percent: f64,
    pub ready: bool,
    pub stage: String,
    pub performance: Option<f64>,
    pub performance_band: String,
    pub readiness_band: String,
    pub trend_per_month: Option<f64>,
    pub slipping: bool,
    pub forecast: Option<NaiveDate>,
    pub readiness_key: f64,
    pub performance_key: f64,
    pub trend_key: f64,
    pub computed_on: NaiveDate,
    pub framework_version: String,
    pub figures_version: i64,
}

const COLUMNS: &str = "employee_id, name, team_id, account_id, site_id, role_id, next_role, readiness_percent, \
    ready, stage, performance, performance_band, readiness_band, trend_per_month, slipping, forecast, readiness_key, \
    performance_key, trend_key, computed_on, framework_version, figures_version";
const COLUMN_COUNT: usize = 22;
/// Rows per statement: 22 parameters each stays far below both drivers' limits.
const ROWS_PER_STATEMENT: usize = 400;

/// Writes (or replaces) these rows.
pub async fn upsert(db: &Db, rows: &[SnapshotRow]) -> Result<()> {
    let updates: Vec<String> =
        COLUMNS.split(", ").skip(1).map(|c| c.trim()).map(|c| format!("{c} = excluded.{c}")).collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO pipeline_snapshot ({COLUMNS}) VALUES {} ON CONFLICT (employee_id) DO UPDATE SET {}",
            db.backend().values_list(chunk.len(), COLUMN_COUNT),
            updates.join(", ")
        );
        on_db!(db, p => {
            let mut q = sqlx::query(&sql);
            for r in chunk {
                q = q
                    .bind(r.employee_id)
                    .bind(&r.name)
                    .bind(r.team_id)
                    .bind(r.account_id)
                    .bind(r.site_id)
                    .bind(&r.role_id)
                    .bind(&r.next_role)
                    .bind(r.readiness_percent)
                    .bind(r.ready)
                    .bind(&r.stage)
                    .bind(r.performance)
                    .bind(&r.performance_band)
                    .bind(&r.readiness_band)
                    .bind(r.trend_per_month)
                    .bind(r.slipping)
                    .bind(r.forecast)
                    .bind(r.readiness_key)
                    .bind(r.performance_key)
                    .bind(r.trend_key)
                    .bind(r.computed_on)
                    .bind(&r.framework_version)
                    .bind(r.figures_version);
            }
            q.execute(p).await.map(drop)?
        });
    }
    // After the rows: a reader that saw the old version may have counted some new rows, and
    // counts again once it sees this one.
    on_db!(db, p => sqlx::query(SNAPSHOT_CHANGED).execute(p).await.map(drop)?);
    Ok(())
}

const SNAPSHOT_CHANGED: &str = "INSERT INTO data_versions (subject, version) VALUES ('pipeline', 1)
    ON CONFLICT (subject) DO UPDATE SET version = data_versions.version + 1";

/// Moves on whenever rows are written: counts kept under an older version are stale.
pub async fn snapshot_version(db: &Db) -> Result<i64> {
    let sql = "SELECT COALESCE(MAX(version), 0) FROM data_versions WHERE subject = 'pipeline'";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).fetch_one(p).await?))
}

/// The version of the framework a row was computed under: a digest of all of it (roles, paths,
/// requirements, skills, certifications, scoring), as any part can move someone's readiness.
pub fn framework_version(fw: &ladder_core::Framework) -> String {
    use sha2::Digest;
    let what = serde_json::to_string(fw).expect("a framework serialises");
    hex::encode(&sha2::Sha256::digest(what.as_bytes())[..16])
}

/// Up to `limit` employees, in id order after `after`, whose row is missing, was computed
/// before `today` or under another framework than `version` (the background refresh's work list).
pub async fn stale(db: &Db, today: NaiveDate, version: &str, after: EmployeeId, limit: i64) -> Result<Vec<EmployeeId>> {
    let sql = "SELECT e.id FROM employees e LEFT JOIN pipeline_snapshot s ON s.employee_id = e.id
        WHERE e.id > $1 AND (s.employee_id IS NULL OR s.computed_on < $2 OR s.framework_version <> $3)
        ORDER BY e.id LIMIT $4";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(after).bind(today).bind(version).bind(limit).fetch_all(p).await?))
}

/// Up to `limit` employee ids after `after`, in id order (the full rebuild's work list).
pub async fn employee_ids(db: &Db, after: EmployeeId, limit: i64) -> Result<Vec<EmployeeId>> {
    let sql = "SELECT id FROM employees WHERE id > $1 ORDER BY id LIMIT $2";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(after).bind(limit).fetch_all(p).await?))
}

/// How many employees there are (the full rebuild's progress).
pub async fn employee_count(db: &Db) -> Result<u64> {
    let n: i64 = on_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM employees").fetch_one(p).await?);
    Ok(n.max(0) as u64)
}

/// Marks the rows of these teams (every row when `None`) stale, for the background refresh
/// after a change whose people are not listed one by one (an import).
pub async fn mark_stale(db: &Db, teams: Option<&[TeamId]>) -> Result<()> {
    // Before any day a row can be computed on, and inside both databases' date range.
    let long_ago = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
    match teams {
        None => {
            let sql = "UPDATE pipeline_snapshot SET computed_on = $1";
            on_db!(db, p => sqlx::query(sql).bind(long_ago).execute(p).await.map(drop)?);
        }
        Some(teams) => {
            let sql = format!("UPDATE pipeline_snapshot SET computed_on = $1 WHERE team_id IN {}", db.id_list("$2"));
            let ids = crate::db::json_ids(teams);
            on_db!(db, p => sqlx::query(&sql).bind(long_ago).bind(&ids).execute(p).await.map(drop)?);
        }
    }
    Ok(())
}

// ---- Reading -------------------------------------------------------------------------------

/// Which rows a list, a count or a 9-box covers. `teams` is the viewer's scope (`None`:
/// everyone); the rest are the caller's filters, all of which must hold.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub teams: Option<Vec<TeamId>>,
    pub site: Option<i64>,
    pub account: Option<i64>,
    pub team: Option<TeamId>,
    pub role: Option<String>,
    pub next_role: Option<String>,
    pub stage: Option<String>,
    pub performance_band: Option<String>,
    pub readiness_band: Option<String>,
    /// `true`: only people with no month scored; `false`: only people with one.
    pub no_data: Option<bool>,
    pub slipping: Option<bool>,
}

/// The order of a list; each ends with the employee id, so the order is total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Sort {
    /// Ready first, then the highest readiness.
    #[default]
    Readiness,
    Name,
    /// Highest first; no data last.
    Performance,
    /// Falling fastest first; no trend last.
    Trend,
}

impl Sort {
    fn column(self) -> (&'static str, bool) {
        match self {
            Sort::Readiness => ("readiness_key", true),
            Sort::Name => ("name", false),
            Sort::Performance => ("performance_key", true),
            Sort::Trend => ("trend_key", false),
        }
    }
}

/// Where a page resumes: the sort key and id of the last row shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Key {
    Number(f64),
    Text(String),
}

impl SnapshotRow {
    /// This row's key under `sort`.
    pub fn key(&self, sort: Sort) -> Key {
        match sort {
            Sort::Readiness => Key::Number(self.readiness_key),
            Sort::Name => Key::Text(self.name.clone()),
            Sort::Performance => Key::Number(self.performance_key),
            Sort::Trend => Key::Number(self.trend_key),
        }
    }
}

enum Param {
    Int(i64),
    Text(String),
    Number(f64),
    Bool(bool),
}

/// The WHERE clause of a filter, with its parameters from `$1`.
fn clause(db: &Db, f: &Filter) -> (String, Vec<Param>) {
    let mut terms = vec!["next_role IS NOT NULL".to_string()];
    let mut params = Vec::new();
    let mut add = |term: &str, p: Param, params: &mut Vec<Param>| {
        params.push(p);
        terms.push(term.replace('?', &format!("${}", params.len())));
    };
    if let Some(teams) = &f.teams {
        let list = db.id_list("?");
        add(&format!("team_id IN {list}"), Param::Text(crate::db::json_ids(teams)), &mut params);
    }
    let ints = [("site_id", f.site), ("account_id", f.account), ("team_id", f.team.map(|t| t.0))];
    for (column, value) in ints {
        if let Some(v) = value {
            add(&format!("{column} = ?"), Param::Int(v), &mut params);
        }
    }
    let texts = [
        ("role_id", &f.role),
        ("next_role", &f.next_role),
        ("stage", &f.stage),
        ("performance_band", &f.performance_band),
        ("readiness_band", &f.readiness_band),
    ];
    for (column, value) in texts {
        if let Some(v) = value {
            add(&format!("{column} = ?"), Param::Text(v.clone()), &mut params);
        }
    }
    if let Some(v) = f.slipping {
        add("slipping = ?", Param::Bool(v), &mut params);
    }
    if let Some(none) = f.no_data {
        terms.push(if none { "performance IS NULL" } else { "performance IS NOT NULL" }.to_string());
    }
    (terms.join(" AND "), params)
}

/// Binds `$params` in order to a sqlx query.
macro_rules! bind_all {
    ($q:expr, $params:expr) => {{
        let mut q = $q;
        for p in $params {
            q = match p {
                Param::Int(v) => q.bind(*v),
                Param::Text(v) => q.bind(v.as_str()),
                Param::Number(v) => q.bind(*v),
                Param::Bool(v) => q.bind(*v),
            };
        }
        q
    }};
}

/// Up to `limit` rows matching `f`, in `sort` order, after `after` (a key and id).
pub async fn page(
    db: &Db,
    f: &Filter,
    sort: Sort,
    after: Option<(Key, EmployeeId)>,
    limit: i64,
) -> Result<Vec<SnapshotRow>> {
    let (mut filter, mut params) = clause(db, f);
    let (column, descending) = sort.column();
    if let Some((key, id)) = after {
        let (k, i) = (params.len() + 1, params.len() + 2);
        let beyond = if descending { "<" } else { ">" };
        filter.push_str(&format!(" AND ({column} {beyond} ${k} OR ({column} = ${k} AND employee_id > ${i}))"));
        params.push(match key {
            Key::Number(n) => Param::Number(n),
            Key::Text(t) => Param::Text(t),
        });
        params.push(Param::Int(id.0));
    }
    params.push(Param::Int(limit));
    let direction = if descending { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT {COLUMNS} FROM pipeline_snapshot WHERE {filter} ORDER BY {column} {direction}, employee_id LIMIT ${}",
        params.len()
    );
    Ok(on_db!(db, p => bind_all!(sqlx::query_as(&sql), &params).fetch_all(p).await?))
}

/// How many rows match `f`.
pub async fn count(db: &Db, f: &Filter) -> Result<u64> {
    let (filter, params) = clause(db, f);
    let sql = format!("SELECT COUNT(*) FROM pipeline_snapshot WHERE {filter}");
    let n: i64 = on_db!(db, p => bind_all!(sqlx::query_scalar(&sql), &params).fetch_one(p).await?);
    Ok(n.max(0) as u64)
}

/// Counts of the rows matching `f` by the values of `columns` (a fixed list of this module's
/// column names).
async fn grouped(db: &Db, f: &Filter, columns: &str) -> Result<Vec<(Vec<String>, u64)>> {
    let (filter, params) = clause(db, f);
    let sql = format!("SELECT {columns}, COUNT(*) FROM pipeline_snapshot WHERE {filter} GROUP BY {columns}");
    let n = columns.split(',').count();
    let rows: Vec<(Vec<String>, u64)> = on_db!(db, p => {
        use sqlx::Row as _;
        bind_all!(sqlx::query(&sql), &params)
            .fetch_all(p)
            .await?
            .iter()
            .map(|r| {
                let values = (0..n).map(|i| r.try_get::<String, _>(i)).collect::<std::result::Result<Vec<_>, _>>()?;
                let count: i64 = r.try_get(n)?;
                Ok::<_, sqlx::Error>((values, count.max(0) as u64))
            })
            .collect::<std::result::Result<Vec<_>, _>>()?
    });
    Ok(rows)
}

/// People by (performance band, readiness band, stage) over the rows matching `f`: the 9-box
/// and the stage counts in one scan.
pub async fn counts(db: &Db, f: &Filter) -> Result<Vec<(String, String, String, u64)>> {
    let rows = grouped(db, f, "performance_band, readiness_band, stage").await?;
    Ok(rows.into_iter().map(|(mut v, n)| (v.remove(0), v.remove(0), v.remove(0), n)).collect())
}

/// How many rows are stale (computed before `today` or under another framework than `version`)
/// or missing, for the pages to say the snapshot is being refreshed.
pub async fn stale_count(db: &Db, today: NaiveDate, version: &str) -> Result<u64> {
    let sql = "SELECT COUNT(*) FROM employees e LEFT JOIN pipeline_snapshot s ON s.employee_id = e.id
        WHERE s.employee_id IS NULL OR s.computed_on < $1 OR s.framework_version <> $2";
    let n: i64 = on_db!(db, p => sqlx::query_scalar(sql).bind(today).bind(version).fetch_one(p).await?);
    Ok(n.max(0) as u64)
}

/// The names of these teams, by id (for the rows of one page).
pub async fn team_names(db: &Db, ids: &[TeamId]) -> Result<std::collections::HashMap<TeamId, String>> {
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let sql = format!("SELECT id, name FROM teams WHERE id IN {}", db.id_list("$1"));
    let ids = crate::db::json_ids(ids);
    let rows: Vec<(TeamId, String)> = on_db!(db, p => sqlx::query_as(&sql).bind(ids).fetch_all(p).await?);
    Ok(rows.into_iter().collect())
}
