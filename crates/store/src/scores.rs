//! Stored employee-month scores (`employee_scores`) and the durable queue of those to recompute
//! (`score_queue`).
//!
//! Whatever changes a score's inputs — figures, a KRA plan, a role — puts the employee-months
//! it touches in the queue in its own transaction ([`ENQUEUE_EMPLOYEE`], [`enqueue_keys`]), so
//! a crash cannot lose the fact that a score is stale. A worker (the server's, or `ladder scores
//! rebuild`) takes keys ([`queued`]), scores them with the core and stores the result
//! ([`settle`]): in one transaction it removes each key only if no change came since it was
//! taken (its `stamp`), and writes the scores of only those keys. A framework change is seen by
//! [`framework_version`]: rows of another version are queued again ([`enqueue_stale`]).

use chrono::{DateTime, NaiveDate, Utc};
use ladder_core::{EmployeeId, Framework};
use rusqlite::Row;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{on_db, read, Db, Result, Tx};

/// The framework version a score was produced under: the SHA-256 (hex, first 16 bytes) of what
/// scoring reads from the framework — metrics, the roles' KRA templates, the scoring rules and
/// the settings — after overlays. Two frameworks that score alike share it.
pub fn framework_version(fw: &Framework) -> String {
    let templates: Vec<(&str, &Vec<ladder_core::framework::KraTemplate>)> =
        fw.roles.iter().map(|r| (r.id.as_str(), &r.kras)).collect();
    let what = serde_json::json!({
        "metrics": fw.metrics,
        "templates": templates,
        "scoring": fw.scoring,
        "settings": fw.settings,
    });
    let digest = Sha256::digest(what.to_string().as_bytes());
    hex::encode(&digest[..16])
}

/// One KRA of a stored score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KraScore {
    pub metric: String,
    pub value: Option<f64>,
    pub attainment: Option<f64>,
    pub counted: bool,
}

/// A stored employee-month score.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredScore {
    pub employee_id: EmployeeId,
    /// The month's first day.
    pub month: NaiveDate,
    pub version: String,
    /// `scored`, `not-enough-data`, `no-data` (figures only for metrics outside the plan) or
    /// `no-plan` (no plan for the role).
    pub state: String,
    pub total: Option<f64>,
    pub rating: Option<i32>,
    pub rating_label: Option<String>,
    /// Ids of the gates that capped the rating.
    pub gates: Vec<String>,
    pub kras: Vec<KraScore>,
    pub computed_at: DateTime<Utc>,
}

/// The longest state, label, gate id list and KRA list stored: a score comes from the core, so
/// these only guard the table against a damaged framework.
const MAX_TEXT: usize = 200;
const MAX_KRAS: usize = 64;

/// An employee-month taken from the queue, with the stamp it had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, sqlx::FromRow)]
pub struct Queued {
    pub employee_id: EmployeeId,
    pub month: NaiveDate,
    pub stamp: i64,
}

/// Queues every employee-month of employee `$1` from `$2` through `$3` (first days) that has
/// figures or a stored score, with stamp `$4` ([`fresh_stamp`]). Run it in the transaction of the
/// change (bind the four).
pub const ENQUEUE_EMPLOYEE: &str = "INSERT INTO score_queue (employee_id, month, stamp)
    SELECT employee_id, month, $4 FROM (
        SELECT employee_id, month FROM kra_actuals WHERE employee_id = $1 AND month BETWEEN $2 AND $3
        UNION SELECT employee_id, month FROM kpi_employee_months WHERE employee_id = $1 AND month BETWEEN $2 AND $3
        UNION SELECT employee_id, month FROM employee_scores WHERE employee_id = $1 AND month BETWEEN $2 AND $3
    ) AS k WHERE true
    ON CONFLICT (employee_id, month) DO UPDATE SET stamp = score_queue.stamp + 1";

/// The stamp of a key entering the queue: never one a settled and removed key had, so a worker
/// holding the old stamp cannot take the new key off the queue (microseconds since 1970, and
/// above every stamp this process handed out before).
pub fn fresh_stamp() -> i64 {
    static LAST: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
    let now = Utc::now().timestamp_micros();
    let previous = LAST.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
    if previous >= now {
        LAST.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
    } else {
        now
    }
}

/// The widest span [`ENQUEUE_EMPLOYEE`] takes: every month.
pub fn all_months() -> (NaiveDate, NaiveDate) {
    (NaiveDate::from_ymd_opt(1900, 1, 1).expect("date"), NaiveDate::from_ymd_opt(9999, 12, 1).expect("date"))
}

/// Queues an employee's months `from..=through` in `tx` ([`ENQUEUE_EMPLOYEE`]).
pub async fn enqueue_employee(tx: &mut Tx, employee: EmployeeId, from: NaiveDate, through: NaiveDate) -> Result<()> {
    on_db!(tx, c => sqlx::query(ENQUEUE_EMPLOYEE).bind(employee).bind(from).bind(through).bind(fresh_stamp()).execute(c).await.map(drop)?);
    Ok(())
}

/// Rows of a multi-row statement: within SQLite's and PostgreSQL's limits on bound values.
const BATCH: usize = 500;

/// Queues these (employee, month's first day) keys in `tx`.
pub async fn enqueue_keys(tx: &mut Tx, keys: &[(i64, NaiveDate)]) -> Result<()> {
    let backend = tx.backend();
    for batch in keys.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO score_queue (employee_id, month, stamp) VALUES {} \
             ON CONFLICT (employee_id, month) DO UPDATE SET stamp = score_queue.stamp + 1",
            backend.values_list(batch.len(), 3)
        );
        on_db!(&mut *tx, c => {
            let mut q = sqlx::query(&sql);
            for (employee, month) in batch {
                q = q.bind(*employee).bind(*month).bind(fresh_stamp());
            }
            q.execute(c).await?;
        });
    }
    Ok(())
}

/// Queues every stored score of another framework version, and every employee-month with
/// figures but no stored score (one written before this table, or by the demo). Returns the
/// keys queued or moved.
pub async fn enqueue_stale(db: &Db, version: &str) -> Result<u64> {
    let other_version = "INSERT INTO score_queue (employee_id, month, stamp)
        SELECT employee_id, month, $2 FROM employee_scores WHERE version <> $1
        ON CONFLICT (employee_id, month) DO UPDATE SET stamp = score_queue.stamp + 1";
    let missing = "INSERT INTO score_queue (employee_id, month, stamp)
        SELECT employee_id, month, $1 FROM (
            SELECT employee_id, month FROM kra_actuals UNION SELECT employee_id, month FROM kpi_employee_months
        ) AS k WHERE NOT EXISTS
            (SELECT 1 FROM employee_scores s WHERE s.employee_id = k.employee_id AND s.month = k.month)
        ON CONFLICT (employee_id, month) DO NOTHING";
    Ok(on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let moved = sqlx::query(other_version).bind(version).bind(fresh_stamp()).execute(&mut *tx).await?.rows_affected();
        let added = sqlx::query(missing).bind(fresh_stamp()).execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        moved + added
    }))
}

/// Queues every employee-month with figures or a stored score (`ladder scores rebuild --all`).
pub async fn enqueue_all(db: &Db) -> Result<u64> {
    let sql = "INSERT INTO score_queue (employee_id, month, stamp)
        SELECT employee_id, month, $1 FROM (
            SELECT employee_id, month FROM kra_actuals UNION SELECT employee_id, month FROM kpi_employee_months
            UNION SELECT employee_id, month FROM employee_scores
        ) AS k WHERE true
        ON CONFLICT (employee_id, month) DO UPDATE SET stamp = score_queue.stamp + 1";
    Ok(on_db!(db, p => {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(sql).bind(fresh_stamp()).execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        n
    }))
}

/// The first `limit` queued keys, in (employee, month) order.
pub async fn queued(db: &Db, limit: i64) -> Result<Vec<Queued>> {
    let sql = "SELECT employee_id, month, stamp FROM score_queue ORDER BY employee_id, month LIMIT $1";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(limit).fetch_all(p).await?))
}

/// Up to `limit` queued keys after `after` (employee, month), in key order: the worker walks the
/// queue with it, so a key it cannot score does not hold up those behind it.
pub async fn queued_after(db: &Db, after: (EmployeeId, NaiveDate), limit: i64) -> Result<Vec<Queued>> {
    let sql = "SELECT employee_id, month, stamp FROM score_queue
        WHERE employee_id > $1 OR (employee_id = $1 AND month > $2) ORDER BY employee_id, month LIMIT $3";
    Ok(on_db!(db, p => sqlx::query_as(sql).bind(after.0).bind(after.1).bind(limit).fetch_all(p).await?))
}

/// How many keys are queued, counted up to `cap` (a page only says "many").
pub async fn queue_len(db: &Db, cap: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM (SELECT 1 FROM score_queue LIMIT $1) AS q";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).bind(cap).fetch_one(p).await?))
}

/// The queued months of these employees in `from..=through`, with their stamps.
pub async fn queued_of(db: &Db, employees: &[EmployeeId], from: NaiveDate, through: NaiveDate) -> Result<Vec<Queued>> {
    let sql = format!(
        "SELECT employee_id, month, stamp FROM score_queue
         WHERE employee_id IN {} AND month BETWEEN $2 AND $3 ORDER BY employee_id, month",
        db.id_list("$1")
    );
    let ids = crate::db::json_ids(employees);
    let map = |r: &Row<'_>| Ok(Queued { employee_id: r.get(0)?, month: crate::read::date(r, 1)?, stamp: r.get(2)? });
    Ok(read!(db, all, query_as, &sql, map; ids, from, through))
}

/// Stores what was computed for keys taken with [`queued`]: each `(key, score)` (`None`: the
/// month has no figures left, so its row goes) is written only if its key is still queued with
/// the stamp it was taken with, and that key leaves the queue — one transaction. A key changed
/// meanwhile stays queued for the next round. Returns the keys settled.
pub async fn settle(db: &Db, done: &[(Queued, Option<StoredScore>)]) -> Result<usize> {
    if done.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    let mut settled = 0;
    for batch in done.chunks(BATCH) {
        let keys: Vec<Queued> = batch.iter().map(|(k, _)| *k).collect();
        let taken = take(&mut tx, &keys).await?;
        let mut put = Vec::with_capacity(batch.len());
        let mut gone = Vec::new();
        for (key, score) in batch.iter().filter(|(k, _)| taken.contains(&(k.employee_id, k.month))) {
            match score {
                Some(s) => put.push(s),
                None => gone.push((key.employee_id, key.month)),
            }
        }
        write_scores(&mut tx, &put).await?;
        delete_scores(&mut tx, &gone).await?;
        settled += taken.len();
    }
    tx.commit().await?;
    Ok(settled)
}

/// Removes the keys still queued with their stamps; returns them.
async fn take(tx: &mut Tx, keys: &[Queued]) -> Result<std::collections::HashSet<(EmployeeId, NaiveDate)>> {
    if keys.is_empty() {
        return Ok(Default::default());
    }
    let sql = format!(
        "DELETE FROM score_queue WHERE (employee_id, month, stamp) IN (VALUES {}) RETURNING employee_id, month",
        tx.backend().values_list(keys.len(), 3)
    );
    let rows: Vec<(EmployeeId, NaiveDate)> = on_db!(tx, c => {
        let mut q = sqlx::query_as(&sql);
        for k in keys {
            q = q.bind(k.employee_id).bind(k.month).bind(k.stamp);
        }
        q.fetch_all(c).await?
    });
    Ok(rows.into_iter().collect())
}

async fn write_scores(tx: &mut Tx, scores: &[&StoredScore]) -> Result<()> {
    if scores.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO employee_scores (employee_id, month, version, state, total, rating, rating_label, gates, kras,
            computed_at) VALUES {}
         ON CONFLICT (employee_id, month) DO UPDATE SET version = excluded.version, state = excluded.state,
            total = excluded.total, rating = excluded.rating, rating_label = excluded.rating_label,
            gates = excluded.gates, kras = excluded.kras, computed_at = excluded.computed_at",
        tx.backend().values_list(scores.len(), 10)
    );
    let mut texts = Vec::with_capacity(scores.len());
    for s in scores {
        if s.state.len() > MAX_TEXT
            || s.rating_label.as_ref().is_some_and(|l| l.len() > MAX_TEXT)
            || s.kras.len() > MAX_KRAS
        {
            return Err(crate::StoreError::Invalid(format!(
                "the score of employee {} for {} is too large to store",
                s.employee_id, s.month
            )));
        }
        texts.push((json(serde_json::to_string(&s.gates))?, json(serde_json::to_string(&s.kras))?));
    }
    on_db!(tx, c => {
        let mut q = sqlx::query(&sql);
        for (s, (gates, kras)) in scores.iter().zip(&texts) {
            q = q.bind(s.employee_id).bind(s.month).bind(&s.version).bind(&s.state).bind(s.total).bind(s.rating)
                .bind(&s.rating_label).bind(gates).bind(kras).bind(s.computed_at);
        }
        q.execute(c).await?;
    });
    Ok(())
}

async fn delete_scores(tx: &mut Tx, keys: &[(EmployeeId, NaiveDate)]) -> Result<()> {
    if keys.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "DELETE FROM employee_scores WHERE (employee_id, month) IN (VALUES {})",
        tx.backend().values_list(keys.len(), 2)
    );
    on_db!(tx, c => {
        let mut q = sqlx::query(&sql);
        for (employee, month) in keys {
            q = q.bind(*employee).bind(*month);
        }
        q.execute(c).await?;
    });
    Ok(())
}

/// A stored total: (employee, month's first day, total — `None` when not scored — and the
/// framework version that produced it).
pub type StoredTotal = (EmployeeId, NaiveDate, Option<f64>, String);

/// The stored monthly totals of these employees for `from..=through`, by employee and month.
/// A row whose version is not the framework's in force is stale: the caller decides.
pub async fn totals_of(
    db: &Db,
    employees: &[EmployeeId],
    from: NaiveDate,
    through: NaiveDate,
) -> Result<Vec<StoredTotal>> {
    let sql = format!(
        "SELECT employee_id, month, total, version FROM employee_scores
         WHERE employee_id IN {} AND month BETWEEN $2 AND $3 ORDER BY employee_id, month",
        db.id_list("$1")
    );
    let ids = crate::db::json_ids(employees);
    let map = |r: &Row<'_>| Ok((r.get(0)?, crate::read::date(r, 1)?, r.get(2)?, r.get(3)?));
    Ok(read!(db, all, query_as, &sql, map; ids, from, through))
}

/// Which people [`of_month`] reads: everyone, or the members (now) of these teams.
#[derive(Debug, Clone)]
pub enum ScoreScope<'a> {
    All,
    Teams(&'a [ladder_core::TeamId]),
}

const SCORE_COLUMNS: &str =
    "s.employee_id, s.month, s.version, s.state, s.total, s.rating, s.rating_label, s.gates, s.kras, s.computed_at";

/// The stored scores of one month (its first day) for a scope, by employee, whatever their
/// version (the caller compares it with [`framework_version`]).
pub async fn of_month(db: &Db, month: NaiveDate, scope: ScoreScope<'_>) -> Result<Vec<StoredScore>> {
    type Raw = (
        EmployeeId,
        NaiveDate,
        String,
        String,
        Option<f64>,
        Option<i32>,
        Option<String>,
        String,
        String,
        DateTime<Utc>,
    );
    let (sql, teams) = match scope {
        ScoreScope::All => (
            format!(
                "SELECT {SCORE_COLUMNS} FROM employee_scores s WHERE s.month = $1 AND $2 = $2 ORDER BY s.employee_id"
            ),
            String::new(),
        ),
        ScoreScope::Teams(teams) => (
            format!(
                "SELECT {SCORE_COLUMNS} FROM employee_scores s JOIN employees e ON e.id = s.employee_id
                 WHERE s.month = $1 AND e.team_id IN {} ORDER BY s.employee_id",
                db.id_list("$2")
            ),
            crate::db::json_ids(teams),
        ),
    };
    let raw: Vec<Raw> = on_db!(db, p => sqlx::query_as(&sql).bind(month).bind(&teams).fetch_all(p).await?);
    raw.into_iter()
        .map(|(employee_id, month, version, state, total, rating, rating_label, gates, kras, computed_at)| {
            Ok(StoredScore {
                employee_id,
                month,
                version,
                state,
                total,
                rating,
                rating_label,
                gates: json(serde_json::from_str(&gates))?,
                kras: json(serde_json::from_str(&kras))?,
                computed_at,
            })
        })
        .collect()
}

/// A stored score's JSON that does not read (or write) is damage, named as such.
fn json<T>(r: serde_json::Result<T>) -> Result<T> {
    r.map_err(|e| crate::StoreError::Damaged(format!("a stored score's JSON: {e}")))
}

/// The roles (now) of these employees: what their months are scored under when they have no
/// plan of their own. One missing from the result has no row.
pub async fn roles_of(db: &Db, employees: &[EmployeeId]) -> Result<Vec<(EmployeeId, String)>> {
    let sql = format!("SELECT id, role_id FROM employees WHERE id IN {}", db.id_list("$1"));
    let ids = crate::db::json_ids(employees);
    Ok(read!(db, all, query_as, &sql, |r| Ok((r.get(0)?, r.get(1)?)); ids))
}
