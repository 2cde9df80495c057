//! Roll-ups kept across requests.
//!
//! A roll-up of a whole organisation reads every figure of its months: seconds for a
//! 100,000-person organisation over a year (BENCHMARKS.md), the same answer until an import,
//! a typed figure or a team move. Each is kept under the figures' version
//! ([`kra::figures_version`]), which every such write raises in its own transaction, so an
//! answer is reused only while nothing it was computed from has changed, on any app server.

use std::sync::Arc;

use chrono::NaiveDate;
use ladder_core::TeamId;
use ladder_store::kra::{self, GroupSums, Level};
use ladder_store::Db;

/// About 80 bytes a group and metric: the bound keeps the cache near 40 MB.
const SUMS_KEPT: u64 = 500_000;

/// The figures' version, the level, the months and the teams in scope (`None`: all).
type Key = (i64, Level, NaiveDate, NaiveDate, Option<Vec<TeamId>>);

#[derive(Clone)]
struct BySums;

impl quick_cache::Weighter<Key, Arc<Vec<GroupSums>>> for BySums {
    fn weight(&self, _: &Key, sums: &Arc<Vec<GroupSums>>) -> u64 {
        sums.len() as u64 + 1
    }
}

pub struct RollupCache {
    kept: quick_cache::sync::Cache<Key, Arc<Vec<GroupSums>>, BySums>,
}

impl Default for RollupCache {
    fn default() -> RollupCache {
        RollupCache { kept: quick_cache::sync::Cache::with_weighter(1024, SUMS_KEPT, BySums) }
    }
}

impl RollupCache {
    /// [`kra::rollup`], computed once per version of the figures; requests that ask for the
    /// same roll-up meanwhile wait for that one computation.
    pub async fn rollup(
        &self,
        db: &Db,
        level: Level,
        from: NaiveDate,
        through: NaiveDate,
        teams: Option<&[TeamId]>,
    ) -> ladder_store::Result<Arc<Vec<GroupSums>>> {
        // Read before computing: what is kept under a version then holds every change up to it.
        let version = kra::figures_version(db).await?;
        let key: Key = (version, level, from, through, teams.map(<[TeamId]>::to_vec));
        self.kept
            .get_or_insert_async(&key, async { kra::rollup(db, level, from, through, teams).await.map(Arc::new) })
            .await
    }
}
