//! Merging a file's facts for one employee and month into what is stored: pure, so the counting
//! rules are tested without a database.
//!
//! The reader sorts the file's facts by (month, employee, metric, day) — on disk when they do not
//! fit in memory — so each stored row is read, merged and written once, and a file that comes in
//! date order can be written a month at a time while the rest is read.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use ladder_store::daily::{pack_metrics, MetricDays, MonthDays};
// What a batch writes, in the store's terms (`kra::bulk` writes them).
pub(crate) use ladder_store::kra::bulk::{month_key, month_start, ChangedFigure, MonthRow, MonthlySum};

use crate::report::Counts;
use crate::ImportError;

/// One fact: the sums of one metric for one employee and day (a monthly file's rows are day 1).
/// 24 bytes, so the sort moves a quarter less than with the fields side by side: month,
/// employee, metric and day are packed in one integer that sorts as they do ([`Fact::key`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fact {
    key: u64,
    pub numerator: f64,
    pub denominator: f64,
}

const DAY_BITS: u32 = 5;
const METRIC_BITS: u32 = 12;
const EMPLOYEE_BITS: u32 = 24;
/// Every month a `NaiveDate` can hold (years ±262,143) fits, offset to be positive.
const MONTH_BITS: u32 = 23;
const MONTH_OFFSET: i32 = 1 << (MONTH_BITS - 1);
/// The most employees an import can tell apart ([`Fact::new`] takes a dense index).
pub(crate) const MAX_EMPLOYEES: usize = 1 << EMPLOYEE_BITS;
/// The most metrics a framework may have for a file to be imported.
pub(crate) const MAX_METRICS: usize = 1 << METRIC_BITS;

impl Fact {
    /// `employee` is the employee's dense index in the order of their ids, so that facts sort
    /// by id; `metric` is the position in the framework's metric list.
    pub fn new(employee: u32, date: NaiveDate, metric: u16, numerator: f64, denominator: f64) -> Fact {
        debug_assert!((employee as usize) < MAX_EMPLOYEES && (metric as usize) < MAX_METRICS);
        let month = (month_key(date) + MONTH_OFFSET) as u64;
        let key = month << (EMPLOYEE_BITS + METRIC_BITS + DAY_BITS)
            | (employee as u64) << (METRIC_BITS + DAY_BITS)
            | (metric as u64) << DAY_BITS
            | date.day() as u64;
        Fact { key, numerator, denominator }
    }

    /// The order facts are merged in, (month, employee, metric, day), so a stored row's facts
    /// are adjacent and a month's rows come before the next month's.
    pub fn key(&self) -> u64 {
        self.key
    }

    /// [`month_key`] of the date.
    pub fn month(&self) -> i32 {
        (self.key >> (EMPLOYEE_BITS + METRIC_BITS + DAY_BITS)) as i32 - MONTH_OFFSET
    }

    /// The employee's dense index.
    pub fn employee(&self) -> u32 {
        (self.key >> (METRIC_BITS + DAY_BITS)) as u32 & ((1 << EMPLOYEE_BITS) - 1)
    }

    pub fn metric(&self) -> u16 {
        (self.key >> DAY_BITS) as u16 & ((1 << METRIC_BITS) - 1)
    }

    /// Day of the month, 1–31.
    pub fn day(&self) -> u8 {
        self.key as u8 & ((1 << DAY_BITS) - 1)
    }

    /// (month, employee, metric): the facts of one stored metric's month.
    fn group(&self) -> u64 {
        self.key >> DAY_BITS
    }
}

/// 24 bytes on disk while sorting.
impl Fact {
    pub fn write_to<W: Write>(&self, w: &mut W) -> std::io::Result<()> {
        w.write_all(&self.key.to_le_bytes())?;
        w.write_all(&self.numerator.to_le_bytes())?;
        w.write_all(&self.denominator.to_le_bytes())
    }

    pub fn read_from<R: Read>(r: &mut R) -> std::io::Result<Fact> {
        let mut b = [0u8; 24];
        r.read_exact(&mut b)?;
        let at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
        Ok(Fact { key: at(0), numerator: f64::from_bits(at(8)), denominator: f64::from_bits(at(16)) })
    }
}

/// The facts of one (employee, month, metric), in day order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MonthFacts {
    pub employee_id: i64,
    pub month: i32,
    pub metric: u16,
    /// (day, numerator, denominator).
    pub days: Vec<(u8, f64, f64)>,
}

/// Groups sorted facts into [`MonthFacts`].
pub(crate) struct Grouper {
    /// Employee ids by dense index.
    ids: Arc<[i64]>,
    current: Option<(u64, MonthFacts)>,
}

impl Grouper {
    pub fn new(ids: Arc<[i64]>) -> Grouper {
        Grouper { ids, current: None }
    }

    /// Adds the next fact (in [`Fact::key`] order); returns the group it closed, if any.
    pub fn push(&mut self, f: Fact) -> Option<MonthFacts> {
        match &mut self.current {
            Some((group, g)) if *group == f.group() => {
                match g.days.last_mut() {
                    // Facts of one day (an interaction log's calls, an interval report's half
                    // hours) come side by side: they add up to the day's, so a group holds at
                    // most a month's days whatever the rows.
                    Some((day, numerator, denominator)) if *day == f.day() => {
                        *numerator += f.numerator;
                        *denominator += f.denominator;
                    }
                    _ => g.days.push((f.day(), f.numerator, f.denominator)),
                }
                None
            }
            _ => {
                // Room for a whole month: growing it day by day reallocated four times a group.
                let mut days = Vec::with_capacity(31);
                days.push((f.day(), f.numerator, f.denominator));
                let employee_id = self.ids[f.employee() as usize];
                let next = MonthFacts { employee_id, month: f.month(), metric: f.metric(), days };
                self.current.replace((f.group(), next)).map(|(_, done)| done)
            }
        }
    }

    pub fn finish(self) -> Option<MonthFacts> {
        self.current.map(|(_, done)| done)
    }
}

/// One metric's stored days of an employee's month.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredMetric {
    pub metric: String,
    pub import_id: Option<i64>,
    pub days: Days,
}

/// A metric's days as stored, decoded only when the file changes them: the month's other
/// metrics are written back as they were, and damage in them does not stop an import.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Days {
    Encoded(Vec<u8>),
    Decoded(Box<MonthDays>),
}

impl Days {
    fn decoded(&mut self) -> Result<&mut MonthDays, ladder_store::daily::DecodeError> {
        if let Days::Encoded(bytes) = self {
            *self = Days::Decoded(Box::new(MonthDays::decode(bytes)?));
        }
        match self {
            Days::Decoded(days) => Ok(days),
            Days::Encoded(_) => unreachable!("decoded above"),
        }
    }

    fn total(&self) -> Result<(f64, f64), ladder_store::daily::DecodeError> {
        match self {
            Days::Encoded(bytes) => MonthDays::total_of(bytes),
            Days::Decoded(days) => Ok(days.total()),
        }
    }

    fn encoded(&self) -> std::borrow::Cow<'_, [u8]> {
        match self {
            Days::Encoded(bytes) => bytes.into(),
            Days::Decoded(days) => days.encode().into(),
        }
    }
}

/// Stored months by (employee, month key), metrics the framework no longer has included.
pub(crate) type Stored = HashMap<(i64, i32), Vec<StoredMetric>>;

/// What a batch changes: the employee-months to rewrite (one left with no metric is deleted),
/// a monthly file's rows, and the figures a daily file changed.
#[derive(Debug, Default)]
pub(crate) struct Merged {
    pub months: Vec<MonthRow>,
    pub actuals: Vec<MonthlySum>,
    pub changed: Vec<ChangedFigure>,
    /// A monthly file's figures whose stored days its rows replace.
    pub days_replaced: u64,
    /// Figures that may replace stored ones with less: a daily file's metrics with no days
    /// before (a monthly figure stored for them goes: the writer looks), a monthly file's
    /// figures over days that counted more.
    pub swaps: Vec<Swap>,
}

/// A figure before and after a file, as (numerator, denominator, days; 0 days: a monthly figure).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Swap {
    pub employee_id: i64,
    pub month: i32,
    pub metric: u16,
    pub before: (f64, f64, u32),
    pub after: (f64, f64, u32),
}

/// Merges daily groups (in key order, an employee-month's groups side by side) into the stored
/// days, counting each fact as new (no fact that day), updated (different sums) or unchanged.
/// Metrics the file changes name `import_id`; the file's other metrics, and those it does not
/// map, stay as stored. Returns only what changed.
pub(crate) fn merge_days(
    groups: &[MonthFacts],
    mut stored: Stored,
    names: &[Arc<str>],
    import_id: Option<i64>,
    counts: &mut Counts,
) -> crate::Result<Merged> {
    let mut merged = Merged::default();
    for month_groups in groups.chunk_by(|a, b| (a.employee_id, a.month) == (b.employee_id, b.month)) {
        let (employee_id, month) = (month_groups[0].employee_id, month_groups[0].month);
        let mut metrics = stored.remove(&(employee_id, month)).unwrap_or_default();
        let mut month_changed = false;
        for g in month_groups {
            let name = &*names[g.metric as usize];
            let found = metrics.iter().position(|m| m.metric == name);
            let at = match found {
                Some(at) => at,
                None => {
                    let days = Days::Decoded(Box::default());
                    metrics.push(StoredMetric { metric: name.to_string(), import_id, days });
                    metrics.len() - 1
                }
            };
            let entry = &mut metrics[at];
            let days = entry.days.decoded().map_err(|e| {
                let month = month_start(month);
                ImportError::Damaged(format!("stored days of employee {employee_id}, {month}, {name}: {e}"))
            })?;
            let before = counts.changed();
            let total_before = found.map(|_| days.total());
            for &(day, numerator, denominator) in &g.days {
                match days.set(day.into(), (numerator, denominator)) {
                    None => counts.new += 1,
                    Some(old) if old == (numerator, denominator) => counts.unchanged += 1,
                    Some(_) => counts.updated += 1,
                }
            }
            if counts.changed() > before {
                entry.import_id = import_id;
                month_changed = true;
                let had_days = total_before.is_some();
                let total_changed = total_before.is_none_or(|before| before != days.total());
                if !had_days {
                    let (n, d) = days.total();
                    let after = (n, d, days.len() as u32);
                    merged.swaps.push(Swap { employee_id, month, metric: g.metric, before: (0.0, 0.0, 0), after });
                }
                merged.changed.push(ChangedFigure { employee_id, month, metric: g.metric, had_days, total_changed });
            }
        }
        if month_changed {
            merged.months.push(month_row(employee_id, month, &metrics));
        }
    }
    Ok(merged)
}

/// Merges a monthly file's groups with the stored days. A figure equal to the total of the
/// metric's stored days changes nothing: the days stay and no row is written. Otherwise the
/// file's row is written and the metric's days, if any, go from their employee-month (a figure
/// is kept in one place, and the file's is the later); [`Merged::days_replaced`] counts those.
/// A stored monthly figure the file's differs from is swapped (listed, and needing
/// --replace-months) when the file's covers less: it is built only from parts of the month, or
/// counts fewer contacts (less of a plain sum).
pub(crate) fn merge_monthly(
    groups: &[MonthFacts],
    mut stored: Stored,
    stored_figures: &HashMap<(i64, i32, u16), (f64, f64)>,
    names: &[Arc<str>],
) -> Merged {
    let mut merged = Merged::default();
    for month_groups in groups.chunk_by(|a, b| (a.employee_id, a.month) == (b.employee_id, b.month)) {
        let (employee_id, month) = (month_groups[0].employee_id, month_groups[0].month);
        let mut metrics = stored.remove(&(employee_id, month)).unwrap_or_default();
        let held = metrics.len();
        for g in month_groups {
            let row = monthly_row(g);
            let figure = (row.numerator, row.denominator);
            let name = &*names[g.metric as usize];
            if let Some(&before) = stored_figures.get(&(employee_id, month, g.metric)) {
                // Parts of a month go on day 2 (kpi/rows.rs `add`), whole ones on day 1.
                let partial = g.days.iter().all(|&(day, _, _)| day != 1);
                if before != figure && (partial || covers_less(figure, before)) {
                    let (before, after) = ((before.0, before.1, 0), (figure.0, figure.1, 0));
                    merged.swaps.push(Swap { employee_id, month, metric: g.metric, before, after });
                }
            }
            match metrics.iter().position(|m| m.metric == name) {
                // Damaged days are replaced too.
                Some(at) if metrics[at].days.total().ok() == Some(figure) => continue,
                Some(at) => {
                    let removed = metrics.remove(at);
                    merged.days_replaced += 1;
                    // Fewer contacts (or less of a plain sum) than the days it replaces held.
                    if let Ok(days) = MonthDays::decode(&removed.days.encoded()) {
                        let (n, d) = days.total();
                        if covers_less(figure, (n, d)) {
                            let (before, after) = ((n, d, days.len() as u32), (figure.0, figure.1, 0));
                            merged.swaps.push(Swap { employee_id, month, metric: g.metric, before, after });
                        }
                    }
                }
                None => {}
            }
            merged.actuals.push(row);
        }
        if metrics.len() < held {
            merged.months.push(month_row(employee_id, month, &metrics));
        }
    }
    merged
}

/// Whether `figure` counts fewer contacts than `before` (less of a plain sum).
fn covers_less(figure: (f64, f64), (n, d): (f64, f64)) -> bool {
    if d != 0.0 {
        figure.1 < d
    } else {
        figure.0 < n
    }
}

/// A monthly file's group as its row (one fact, on day 1).
fn monthly_row(g: &MonthFacts) -> MonthlySum {
    let (numerator, denominator) = g.days.iter().fold((0.0, 0.0), |(n, d), &(_, a, b)| (n + a, d + b));
    MonthlySum { employee_id: g.employee_id, month: g.month, metric: g.metric, numerator, denominator }
}

/// An employee-month's metrics packed as a row to write (an empty one is deleted).
fn month_row(employee_id: i64, month: i32, metrics: &[StoredMetric]) -> MonthRow {
    let encoded: Vec<_> = metrics.iter().map(|m| m.days.encoded()).collect();
    let packed = metrics
        .iter()
        .zip(&encoded)
        .map(|(m, days)| MetricDays { metric: &m.metric, import_id: m.import_id, days: days.as_ref() })
        .collect();
    MonthRow { employee_id, month, metrics: pack_metrics(packed) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn month_keys_round_trip() {
        let k = month_key(date("2025-12-17"));
        assert_eq!(month_start(k), date("2025-12-01"));
        assert_eq!(month_start(k + 1), date("2026-01-01"));
    }

    #[test]
    fn facts_survive_the_sort_file() {
        let f = Fact::new(7, date("2024-02-29"), 513, 0.1 + 0.2, -3.5e300);
        let mut bytes = Vec::new();
        f.write_to(&mut bytes).unwrap();
        assert_eq!(bytes.len(), 24);
        assert_eq!(Fact::read_from(&mut bytes.as_slice()).unwrap(), f);
        let err = Fact::read_from(&mut &bytes[..23]).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof, "a run cut short");
    }

    /// Any date `NaiveDate` holds, an employee index and a metric position within the limits.
    fn fields() -> impl proptest::strategy::Strategy<Value = (i32, u32, u16, u32)> {
        use proptest::strategy::Strategy;
        (-262_000i32..=262_000, 0u32..12, 0u32..MAX_EMPLOYEES as u32, 0u16..MAX_METRICS as u16, 1u32..=31).prop_map(
            |(year, month0, employee, metric, day)| within_month((year * 12 + month0 as i32, employee, metric, day)),
        )
    }

    /// Day 29 to 31 where the month has them, its last day where it does not.
    fn within_month((month, employee, metric, day): (i32, u32, u16, u32)) -> (i32, u32, u16, u32) {
        let last = month_start(month + 1).pred_opt().expect("a day before").day();
        (month, employee, metric, day.min(last))
    }

    fn fact_of((month, employee, metric, day): (i32, u32, u16, u32)) -> Fact {
        let first = month_start(month);
        Fact::new(employee, first.with_day(day).unwrap(), metric, 0.0, 0.0)
    }

    proptest::proptest! {
        #[test]
        fn the_packed_key_sorts_as_the_fields_do_and_gives_them_back(a in fields(), b in fields()) {
            proptest::prop_assert_eq!(fact_of(a).key().cmp(&fact_of(b).key()), a.cmp(&b));
            // Near-equal keys too: the same month and employee, and the same everything but the day.
            for c in [(a.0, a.1, b.2, b.3), (a.0, a.1, a.2, b.3)].map(within_month) {
                proptest::prop_assert_eq!(fact_of(a).key().cmp(&fact_of(c).key()), a.cmp(&c));
            }
            let f = fact_of(a);
            proptest::prop_assert_eq!((f.month(), f.employee(), f.metric(), f.day() as u32), a);
        }
    }

    #[test]
    fn the_packed_key_holds_the_extremes() {
        for (day, employee, metric) in [
            (NaiveDate::MIN, 0, 0),
            (NaiveDate::MAX, MAX_EMPLOYEES as u32 - 1, MAX_METRICS as u16 - 1),
            (date("2025-01-31"), 1, 1),
        ] {
            let f = Fact::new(employee, day, metric, 1.0, 2.0);
            assert_eq!(
                (f.month(), f.employee(), f.metric(), f.day()),
                (month_key(day), employee, metric, day.day() as u8)
            );
        }
        assert!(Fact::new(0, NaiveDate::MIN, 0, 0.0, 0.0).key() < Fact::new(0, NaiveDate::MAX, 0, 0.0, 0.0).key());
    }

    #[test]
    fn groups_split_on_employee_month_and_metric_and_name_the_employee_by_id() {
        let facts = [
            Fact::new(1, date("2025-01-02"), 0, 1.0, 1.0),
            Fact::new(1, date("2025-01-03"), 0, 2.0, 1.0),
            Fact::new(1, date("2025-01-03"), 1, 3.0, 1.0),
            Fact::new(1, date("2025-02-03"), 1, 4.0, 1.0),
            Fact::new(2, date("2025-02-03"), 1, 5.0, 1.0),
        ];
        let mut g = Grouper::new(Arc::from([100, 200, 300]));
        let mut groups: Vec<MonthFacts> = facts.into_iter().filter_map(|f| g.push(f)).collect();
        groups.extend(g.finish());
        let shape: Vec<(i64, NaiveDate, u16, usize)> =
            groups.iter().map(|g| (g.employee_id, month_start(g.month), g.metric, g.days.len())).collect();
        assert_eq!(
            shape,
            vec![
                (200, date("2025-01-01"), 0, 2),
                (200, date("2025-01-01"), 1, 1),
                (200, date("2025-02-01"), 1, 1),
                (300, date("2025-02-01"), 1, 1)
            ]
        );
        assert_eq!(groups[0].days, vec![(2, 1.0, 1.0), (3, 2.0, 1.0)]);
    }

    #[test]
    fn facts_of_one_day_add_up_and_groups_stay_a_month_long() {
        // 3 calls a day over January for one employee and metric: one group of 31 days.
        let mut g = Grouper::new(Arc::from([7]));
        let mut closed = Vec::new();
        for day in 1..=31 {
            for call in 1..=3 {
                let handle = f64::from(day * 10 + call);
                closed.extend(g.push(Fact::new(0, date("2025-01-01").with_day(day).unwrap(), 0, handle, 1.0)));
            }
        }
        closed.extend(g.push(Fact::new(0, date("2025-02-01"), 0, 5.0, 1.0)));
        assert_eq!(closed.len(), 1, "February closed January's group");
        let january = &closed[0];
        assert_eq!(january.days.len(), 31);
        assert_eq!(january.days[0], (1, 11.0 + 12.0 + 13.0, 3.0));
        assert_eq!(january.days[30], (31, 311.0 + 312.0 + 313.0, 3.0));
        assert_eq!(g.finish().unwrap().days, vec![(1, 5.0, 1.0)]);
    }

    fn days(facts: &[(u32, f64, f64)]) -> MonthDays {
        let mut days = MonthDays::default();
        for &(day, n, d) in facts {
            days.set(day, (n, d));
        }
        days
    }

    /// A metric of an employee-month as written: (metric, import, days, bytes).
    type Unpacked = (String, Option<i64>, Vec<(u32, f64, f64)>, Vec<u8>);

    fn unpacked(row: &MonthRow) -> Vec<Unpacked> {
        ladder_store::daily::unpack_metrics(&row.metrics)
            .unwrap()
            .into_iter()
            .map(|m| {
                let days = MonthDays::decode(m.days).map(|d| d.iter().collect()).unwrap_or_default();
                (m.metric.to_string(), m.import_id, days, m.days.to_vec())
            })
            .collect()
    }

    #[test]
    fn merging_counts_each_fact_and_keeps_other_days_and_metrics() {
        let month = month_key(date("2025-03-01"));
        let names: Vec<Arc<str>> = ["aht", "csat", "fcr"].into_iter().map(Arc::from).collect();
        let stored_metric = |metric: &str, import_id, facts: &[(u32, f64, f64)]| StoredMetric {
            metric: metric.to_string(),
            import_id: Some(import_id),
            days: Days::Encoded(days(facts).encode()),
        };
        let stored: Stored = [
            (
                (5, month),
                vec![
                    stored_metric("aht", 1, &[(1, 10.0, 2.0), (2, 20.0, 4.0), (9, 1.0, 1.0)]),
                    // A metric the file does not map: kept as it is, byte for byte, even damaged.
                    StoredMetric { metric: "legacy".into(), import_id: Some(1), days: Days::Encoded(vec![9, 9]) },
                    stored_metric("fcr", 1, &[(1, 1.0, 1.0)]),
                ],
            ),
            ((6, month), vec![stored_metric("aht", 1, &[(1, 1.0, 1.0)])]),
            ((7, month), vec![stored_metric("aht", 1, &[(1, 5.0, 1.0), (2, 5.0, 1.0)])]),
        ]
        .into();
        let groups = vec![
            // Day 1 the same, day 2 corrected, day 3 new; day 9 is not in the file and stays.
            MonthFacts { employee_id: 5, month, metric: 0, days: vec![(1, 10.0, 2.0), (2, 21.0, 4.0), (3, 5.0, 1.0)] },
            // Nothing stored: all new.
            MonthFacts { employee_id: 5, month, metric: 1, days: vec![(1, 1.0, 2.0)] },
            // Identical to what is stored: no sum to write, and the metric keeps its import.
            MonthFacts { employee_id: 5, month, metric: 2, days: vec![(1, 1.0, 1.0)] },
            // A whole month unchanged: no row to write.
            MonthFacts { employee_id: 6, month, metric: 0, days: vec![(1, 1.0, 1.0)] },
            // Both days corrected, adding up to the same figure.
            MonthFacts { employee_id: 7, month, metric: 0, days: vec![(1, 4.0, 1.0), (2, 6.0, 1.0)] },
        ];
        let mut counts = Counts::default();
        let merged = merge_days(&groups, stored.clone(), &names, Some(7), &mut counts).unwrap();
        assert_eq!(counts, Counts { new: 2, updated: 3, unchanged: 3 });
        let changed = |employee_id, metric, had_days, total_changed| ChangedFigure {
            employee_id,
            month,
            metric,
            had_days,
            total_changed,
        };
        assert_eq!(
            merged.changed,
            vec![changed(5, 0, true, true), changed(5, 1, false, true), changed(7, 0, true, false)]
        );
        assert!(merged.actuals.is_empty(), "a daily file's figures stay with their days");
        assert_eq!(merged.months.iter().map(|m| m.employee_id).collect::<Vec<_>>(), vec![5, 7]);
        assert_eq!((merged.months[0].employee_id, merged.months[0].month), (5, month));
        assert_eq!(
            unpacked(&merged.months[0]).into_iter().map(|(m, import, days, _)| (m, import, days)).collect::<Vec<_>>(),
            vec![
                ("aht".to_string(), Some(7), vec![(1, 10.0, 2.0), (2, 21.0, 4.0), (3, 5.0, 1.0), (9, 1.0, 1.0)]),
                ("csat".to_string(), Some(7), vec![(1, 1.0, 2.0)]),
                ("fcr".to_string(), Some(1), vec![(1, 1.0, 1.0)]),
                ("legacy".to_string(), Some(1), vec![]),
            ]
        );
        assert_eq!(unpacked(&merged.months[0])[3].3, vec![9, 9], "the untouched metric's bytes as they were");

        // Damaged days of a metric the file changes stop the merge, naming where they are.
        let mut damaged = stored;
        damaged.get_mut(&(5, month)).unwrap()[0].days = Days::Encoded(vec![1, 0]);
        let err = merge_days(&groups, damaged, &names, Some(7), &mut Counts::default()).unwrap_err();
        assert!(matches!(&err, ImportError::Damaged(m) if m.contains("employee 5, 2025-03-01, aht")), "{err}");
    }

    #[test]
    fn a_monthly_file_replaces_the_days_of_the_figures_it_changes() {
        let month = month_key(date("2025-03-01"));
        let names: Vec<Arc<str>> = ["aht", "csat"].into_iter().map(Arc::from).collect();
        let stored_metric = |metric: &str, bytes: Vec<u8>| StoredMetric {
            metric: metric.to_string(),
            import_id: Some(1),
            days: Days::Encoded(bytes),
        };
        // Days adding up to (10, 2).
        let ten_in_two = || days(&[(1, 4.0, 1.0), (2, 6.0, 1.0)]).encode();
        let stored: Stored = [
            ((5, month), vec![stored_metric("aht", ten_in_two()), stored_metric("fcr", ten_in_two())]),
            ((6, month), vec![stored_metric("aht", ten_in_two())]),
            ((7, month), vec![stored_metric("fcr", ten_in_two())]),
            ((9, month), vec![stored_metric("aht", vec![1, 0])]),
        ]
        .into();
        let group =
            |employee_id, metric, numerator| MonthFacts { employee_id, month, metric, days: vec![(1, numerator, 2.0)] };
        // 5: aht changes (its days go, fcr's stay); 6: aht the same as its days' total; 7: csat
        // where only fcr has days; 8: nothing stored; 9: damaged days, replaced.
        let groups = [group(5, 0, 11.0), group(6, 0, 10.0), group(7, 1, 1.0), group(8, 0, 1.0), group(9, 0, 1.0)];
        let merged = merge_monthly(&groups, stored, &HashMap::new(), &names);
        let kept: Vec<(i64, Vec<String>)> =
            merged.months.iter().map(|r| (r.employee_id, unpacked(r).into_iter().map(|m| m.0).collect())).collect();
        assert_eq!(kept, vec![(5, vec!["fcr".to_string()]), (9, vec![])], "6 and 7 keep their days untouched");
        let rows: Vec<(i64, u16, f64, f64)> =
            merged.actuals.iter().map(|r| (r.employee_id, r.metric, r.numerator, r.denominator)).collect();
        assert_eq!(rows, vec![(5, 0, 11.0, 2.0), (7, 1, 1.0, 2.0), (8, 0, 1.0, 2.0), (9, 0, 1.0, 2.0)], "no row for 6");
        assert_eq!(merged.days_replaced, 2, "5's and 9's");
        assert!(merged.changed.is_empty());
    }
}
