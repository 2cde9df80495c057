//! Sign-in counters (`login_throttle`), one row per key. An attempt is counted before the
//! password is checked, by compare-and-swap on the row's version, so a hundred parallel tries
//! cannot all read "under the limit" (issue 27). The rule itself is [`ladder_core::throttle`].

use chrono::{DateTime, Duration, Utc};
use ladder_core::throttle::{attempt, Counter, Rule};

use crate::{on_db, Result};

/// How many times a lost race is retried before the attempt is refused as "too busy".
const RACES: usize = 64;

/// Counts one attempt on `key`, or says how long to wait.
pub async fn count_attempt(
    db: &crate::Db,
    key: &str,
    rule: Rule,
    now: DateTime<Utc>,
) -> Result<std::result::Result<(), Duration>> {
    for _ in 0..RACES {
        let stored = current(db, key).await?;
        let next = match attempt(rule, stored.map(|(c, _)| c), now) {
            Ok(next) => next,
            Err(wait) => return Ok(Err(wait)),
        };
        let won = match stored {
            None => insert(db, key, next).await?,
            Some((_, version)) => swap(db, key, version, next).await?,
        };
        if won {
            return Ok(Ok(()));
        }
    }
    Ok(Err(Duration::seconds(1)))
}

async fn current(db: &crate::Db, key: &str) -> Result<Option<(Counter, i64)>> {
    let sql = "SELECT failures, window_start, last_at, version FROM login_throttle WHERE key = $1";
    let row: Option<(i64, DateTime<Utc>, DateTime<Utc>, i64)> =
        on_db!(db, p => sqlx::query_as(sql).bind(key).fetch_optional(p).await?);
    Ok(row.map(|(failures, window_start, last_at, version)| (Counter { failures, window_start, last_at }, version)))
}

async fn insert(db: &crate::Db, key: &str, c: Counter) -> Result<bool> {
    let sql = "INSERT INTO login_throttle (key, failures, version, window_start, last_at) VALUES ($1, $2, 0, $3, $4)
        ON CONFLICT (key) DO NOTHING";
    let n = on_db!(db, p => sqlx::query(sql).bind(key).bind(c.failures).bind(c.window_start).bind(c.last_at)
        .execute(p).await?.rows_affected());
    Ok(n == 1)
}

async fn swap(db: &crate::Db, key: &str, version: i64, c: Counter) -> Result<bool> {
    let sql = "UPDATE login_throttle SET failures = $3, window_start = $4, last_at = $5, version = version + 1
        WHERE key = $1 AND version = $2";
    let n = on_db!(db, p => sqlx::query(sql).bind(key).bind(version).bind(c.failures).bind(c.window_start)
        .bind(c.last_at).execute(p).await?.rows_affected());
    Ok(n == 1)
}

/// Takes back one counted attempt (it succeeded), so a busy office's sign-ins do not add up.
pub async fn refund(db: &crate::Db, key: &str) -> Result<()> {
    let sql = "UPDATE login_throttle SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END,
        version = version + 1 WHERE key = $1";
    on_db!(db, p => sqlx::query(sql).bind(key).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Forgets a key's attempts (a pair that signed in).
pub async fn clear(db: &crate::Db, key: &str) -> Result<()> {
    on_db!(db, p => sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(key).execute(p).await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Removes counters untouched since `before`; returns how many.
pub async fn sweep(db: &crate::Db, before: DateTime<Utc>) -> Result<u64> {
    let sql = "DELETE FROM login_throttle WHERE last_at < $1";
    Ok(on_db!(db, p => sqlx::query(sql).bind(before).execute(p).await?.rows_affected()))
}
