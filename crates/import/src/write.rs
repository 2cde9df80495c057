//! Writing a KPI file's sorted groups, merged with what is stored, through the store's bulk
//! writer (`ladder_store::kra::bulk`) in one transaction, and counting what changed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use ladder_store::audit::{self, ImportTouch};
use ladder_store::imports::{self, ImportLog, Outcome};
use ladder_store::kra::bulk::{Figures, Settings};
use ladder_store::Db;

use tokio::task::{spawn_blocking, JoinHandle};

use crate::mapping::Grain;
use crate::merge::{self, month_key, Days, Merged, MonthFacts, Stored, StoredMetric, Swap};
use crate::report::{Counts, Kind, MAX_REPLACEMENTS};
use crate::ImportError;

/// What the import's `imports` row says from the start; [`Writer::record_import`] adds the rest.
pub(crate) struct ImportStart {
    pub file_name: String,
    pub mapping: String,
    pub started_at: DateTime<Utc>,
    pub imported_by: Option<ladder_core::UserId>,
}

pub(crate) struct Writer {
    figures: Figures,
    start: ImportStart,
    /// The `imports` row, made before the first batch of days is merged (they name it).
    import_id: Option<i64>,
    grain: Grain,
    /// The framework's metric ids, by position.
    metrics: Arc<Vec<Arc<str>>>,
    /// Daily facts (daily files) or monthly rows (monthly files) merged so far.
    facts: Counts,
    /// (employee, month, metric) groups seen: monthly sums the file covers.
    groups: u64,
    /// Figures a daily file changed, of those how many had days stored before, and of those
    /// how many still add up to the same figure.
    figures_changed: u64,
    figures_with_days: u64,
    figures_same_total: u64,
    /// A monthly file's figures that replaced stored days: their rows are new, the figures not.
    days_replaced: u64,
    /// The last batch's rows, being merged on a blocking thread while this one writes the batch
    /// before: the writing thread is the import's busiest.
    merging: Option<JoinHandle<crate::Result<(Merged, Counts)>>>,
    /// The people whose figures the import changed: each gets an entry in their audit trail.
    touched: HashSet<i64, foldhash::fast::RandomState>,
    /// Stored figures the file replaces with less (the first [`MAX_REPLACEMENTS`]), and how many.
    swaps: Vec<Swap>,
    swap_count: u64,
}

impl Writer {
    pub async fn begin(
        db: &Db,
        dry_run: bool,
        grain: Grain,
        start: ImportStart,
        metrics: Arc<Vec<Arc<str>>>,
        now: DateTime<Utc>,
    ) -> crate::Result<Writer> {
        // A dry run writes nothing and waits for no one.
        let settings =
            Settings { metrics: metrics.clone(), now, monthly: grain == Grain::Month, lock_figures: !dry_run };
        Ok(Writer {
            figures: Figures::begin(db.begin().await?, settings).await?,
            start,
            import_id: None,
            grain,
            metrics,
            facts: Counts::default(),
            groups: 0,
            figures_changed: 0,
            figures_with_days: 0,
            figures_same_total: 0,
            days_replaced: 0,
            merging: None,
            touched: HashSet::default(),
            swaps: Vec::new(),
            swap_count: 0,
        })
    }

    /// Merges a batch of groups (in key order) with what is stored and writes what changed. The
    /// merge runs beside the writing of the batch before; each employee-month is in one batch
    /// only, so what that writes is never among the stored rows this batch merges with.
    pub async fn write(&mut self, groups: Vec<MonthFacts>) -> crate::Result<()> {
        if groups.is_empty() {
            return Ok(());
        }
        self.groups += groups.len() as u64;
        // Batches hold one month each (in (month, employee) order), yet any order is read right.
        let employees = span(groups.iter().map(|g| g.employee_id));
        let months = span(groups.iter().map(|g| g.month));
        let mut stored = Stored::with_capacity(groups.len());
        let keep = |employee_id, month, metrics: &[u8]| {
            stored.insert((employee_id, month_key(month)), unpack_stored(employee_id, month, metrics)?);
            Ok::<_, ImportError>(())
        };
        self.figures.stored(employees, months, keep).await?;
        let names = self.metrics.clone();
        let merging = match self.grain {
            // The file's figures replace stored days of the same metrics.
            Grain::Month => {
                let held = self.held_figures(employees, months).await?;
                spawn_blocking(move || Ok((merge::merge_monthly(&groups, stored, &held, &names), Counts::default())))
            }
            Grain::Day => {
                // Changed metrics name the import, so its row is made before the merge.
                let import_id = Some(self.import_id().await?);
                spawn_blocking(move || {
                    let mut counts = Counts::default();
                    let merged = merge::merge_days(&groups, stored, &names, import_id, &mut counts)?;
                    Ok((merged, counts))
                })
            }
        };
        self.write_merged().await?;
        self.merging = Some(merging);
        Ok(())
    }

    /// The stored monthly figures of the employees and months, by (employee, month, metric
    /// position); metrics the framework no longer has are left out.
    async fn held_figures(
        &mut self,
        employees: (i64, i64),
        months: (i32, i32),
    ) -> crate::Result<HashMap<(i64, i32, u16), (f64, f64)>> {
        let position: HashMap<&str, u16> = self.metrics.iter().enumerate().map(|(i, m)| (&**m, i as u16)).collect();
        let rows = self.figures.monthly_figures(employees, months).await?;
        Ok(rows
            .into_iter()
            .filter_map(|(e, month, metric, n, d)| position.get(metric.as_str()).map(|&m| ((e, month, m), (n, d))))
            .collect())
    }

    /// Waits for the batch being merged, if any, and writes its rows.
    async fn write_merged(&mut self) -> crate::Result<()> {
        let Some(merging) = self.merging.take() else { return Ok(()) };
        let (merged, counts) = merging.await.map_err(|e| ImportError::Reader(format!("merging a batch: {e}")))??;
        self.facts += counts;
        self.figures_changed += merged.changed.len() as u64;
        self.figures_with_days += merged.changed.iter().filter(|c| c.had_days).count() as u64;
        self.figures_same_total += merged.changed.iter().filter(|c| c.had_days && !c.total_changed).count() as u64;
        self.days_replaced += merged.days_replaced;
        self.keep_swaps(merged.swaps).await?;
        let people = merged.months.iter().map(|m| m.employee_id);
        self.touched.extend(people.chain(merged.actuals.iter().map(|a| a.employee_id)));
        self.figures.put(&merged.months, &merged.actuals, &merged.changed).await?;
        Ok(())
    }

    /// Keeps the swaps that replace a stored figure with less: a monthly file's as they are; a
    /// daily file's where a monthly figure is stored for the metric (read before the batch that
    /// drops it is put).
    async fn keep_swaps(&mut self, mut swaps: Vec<Swap>) -> crate::Result<()> {
        if swaps.is_empty() {
            return Ok(());
        }
        if self.grain == Grain::Day {
            let employees = span(swaps.iter().map(|s| s.employee_id));
            let months = span(swaps.iter().map(|s| s.month));
            let held: HashMap<(i64, i32, String), (f64, f64)> = self
                .figures
                .monthly_figures(employees, months)
                .await?
                .into_iter()
                .map(|(e, month, metric, n, d)| ((e, month, metric), (n, d)))
                .collect();
            let metrics = &self.metrics;
            swaps.retain_mut(|s| {
                let key = (s.employee_id, s.month, metrics[s.metric as usize].to_string());
                held.get(&key).map(|&(n, d)| s.before = (n, d, 0)).is_some()
            });
        }
        self.swap_count += swaps.len() as u64;
        let room = MAX_REPLACEMENTS.saturating_sub(self.swaps.len());
        self.swaps.extend(swaps.into_iter().take(room));
        Ok(())
    }

    /// Stored figures the file replaces with less: the first few, and how many in all.
    pub fn swaps(&self) -> (&[Swap], u64) {
        (&self.swaps, self.swap_count)
    }

    /// The import's `imports` row, made the first time it is needed: in the transaction, so it
    /// goes with the rows that name it, and not before the first batch, so a SQLite import takes
    /// the write lock only once it has rows to merge (for a file in date order, its first month).
    async fn import_id(&mut self) -> crate::Result<i64> {
        if let Some(id) = self.import_id {
            return Ok(id);
        }
        let start = &self.start;
        let log = ImportLog {
            kind: Kind::Kpi,
            file_name: &start.file_name,
            mapping: &start.mapping,
            started_at: start.started_at,
            imported_by: start.imported_by,
            outcome: Outcome::default(),
        };
        let id = imports::record(self.figures.tx(), &log).await?;
        self.import_id = Some(id);
        Ok(id)
    }

    /// Applies what is staged and counts: (facts or monthly rows of a monthly file, monthly rows
    /// of a daily file).
    pub async fn finish(&mut self) -> crate::Result<(Counts, Option<Counts>)> {
        self.write_merged().await?;
        let applied = self.figures.finish().await?;
        let (new, changed) = match self.grain {
            Grain::Month => (applied.monthly_new, applied.monthly_changed),
            Grain::Day => self.daily_figures(applied.replaced_without_days),
        };
        // A figure whose days a monthly row replaced was there before.
        let new = (new - self.days_replaced as i64).max(0);
        let monthly = Counts {
            new: new as u64,
            updated: (changed - new) as u64,
            unchanged: self.groups.saturating_sub(changed as u64),
        };
        Ok(match self.grain {
            Grain::Month => (monthly, None),
            Grain::Day => (self.facts, Some(monthly)),
        })
    }

    /// A daily file's figures as (new, new or changed): new where the metric had neither days
    /// nor a monthly row before; changed where its days add up to another figure.
    fn daily_figures(&self, replaced_without_days: u64) -> (i64, i64) {
        let new = self.figures_changed - self.figures_with_days - replaced_without_days;
        (new as i64, (self.figures_changed - self.figures_same_total) as i64)
    }

    /// Records the import in `imports`: the file's hash, its rows and what it changed; and
    /// raises the figures' version.
    pub async fn record_import(&mut self, sha256: &str, rows: u64, counts: Counts) -> crate::Result<i64> {
        let id = self.import_id().await?;
        let outcome = Outcome { sha256, rows, new: counts.new, updated: counts.updated, unchanged: counts.unchanged };
        imports::finish(self.figures.tx(), id, &outcome).await?;
        let mut touched: Vec<i64> = self.touched.iter().copied().collect();
        touched.sort_unstable();
        let start = &self.start;
        let touch =
            ImportTouch { import_id: id, kind: "kpi", file_name: &start.file_name, actor_id: start.imported_by };
        audit::record_import(self.figures.tx(), &touch, &touched).await?;
        ladder_store::kra::figures_changed(self.figures.tx()).await?;
        Ok(id)
    }

    pub async fn commit(mut self) -> crate::Result<()> {
        self.write_merged().await?;
        // First figures for someone whose hire date is unknown date their tenure (once every
        // month is written).
        ladder_store::org::bulk::hire_dates_from_first_data(self.figures.tx()).await?;
        Ok(self.figures.commit().await?)
    }

    pub async fn rollback(self) -> crate::Result<()> {
        Ok(self.figures.rollback().await?)
    }
}

/// The least and the greatest of some values (at least one).
fn span<T: Ord + Copy>(values: impl Iterator<Item = T>) -> (T, T) {
    values.fold(None, |span, v| Some(span.map_or((v, v), |(lo, hi): (T, T)| (lo.min(v), hi.max(v))))).expect("a value")
}

/// A stored employee-month's metrics, their days left encoded, or what is wrong with the row.
pub(crate) fn unpack_stored(employee_id: i64, month: NaiveDate, metrics: &[u8]) -> crate::Result<Vec<StoredMetric>> {
    let metrics = ladder_store::daily::unpack_metrics(metrics)
        .map_err(|e| ImportError::Damaged(format!("stored days of employee {employee_id}, {month}: {e}")))?;
    Ok(metrics
        .into_iter()
        .map(|m| StoredMetric {
            metric: m.metric.to_string(),
            import_id: m.import_id,
            days: Days::Encoded(m.days.to_vec()),
        })
        .collect())
}
