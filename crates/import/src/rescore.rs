//! Scores every employee-month that has actuals: the employee's KRA plan (`kra_plans`, the one
//! in force in that month), else their role's template, applied with the core's [`Scorer`].
//!
//! The actuals are streamed in (employee, month) order, so memory holds one employee-month at a
//! time plus the plans, whatever the number of months (and, on SQLite, where they are read on a
//! thread of their own while this one scores, up to about ten thousand more in flight).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use ladder_core::framework::KraTemplate;
use ladder_core::metric::Sums;
use ladder_core::period::Month;
use ladder_core::scoring::{Actuals, KraPlan, MetricIndex, Scorecard, Scorer};
use ladder_core::{EmployeeId, Framework};
use ladder_store::kra::scan::Scanned;
use ladder_store::Db;
use serde::Serialize;

/// One scored month.
#[derive(Debug)]
pub struct Scored<'a> {
    pub employee_id: i64,
    pub code: &'a str,
    pub month: Month,
    pub plan: &'a str,
    pub card: &'a Scorecard,
}

/// `score-all --out`: a CSV row per scored month, written by the csv crate (so a comma or a quote
/// in a code or a plan's name stays in its column), with text a spreadsheet would run as a
/// formula neutralised ([`ladder_core::export::text_cell`]); numbers stay numbers.
pub struct ScoresCsv<W: std::io::Write>(csv::Writer<W>);

impl<W: std::io::Write> ScoresCsv<W> {
    /// Writes the header.
    pub fn new(out: W) -> csv::Result<ScoresCsv<W>> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["employee", "month", "plan", "total", "rating", "state", "short_of_data"])?;
        Ok(ScoresCsv(w))
    }

    /// A row: the total and rating are empty when the month has not enough data, and the
    /// last two columns say so (`not-enough-data`) and why, in words.
    pub fn write(&mut self, s: &Scored<'_>) -> csv::Result<()> {
        use ladder_core::export::text_cell;
        let c = s.card;
        let total = c.total.map(|t| t.to_string()).unwrap_or_default();
        let rating = c.rating.map(|r| r.to_string()).unwrap_or_default();
        let short: Vec<String> = c.short_of_data.iter().map(|r| r.words(str::to_string)).collect();
        self.0.write_record([
            &*text_cell(s.code),
            &s.month.to_string(),
            &*text_cell(s.plan),
            &total,
            &rating,
            c.state.as_str(),
            &short.join("; "),
        ])
    }

    /// Flushes everything written; the writer, to close or commit.
    pub fn finish(self) -> std::io::Result<W> {
        let mut out = self.0.into_inner().map_err(|e| e.into_error())?;
        out.flush()?;
        Ok(out)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub employees: u64,
    pub months: u64,
    /// Months with a total score (enough data to rate).
    pub scored: u64,
    /// Months with figures too few to rate (no score, no rating): under the framework's
    /// minimum weight with data or minimum volumes.
    pub not_enough_data: u64,
    /// Months that could not be scored: no plan for the employee's role, or a bad stored plan.
    pub unscored: u64,
    pub mean_total: Option<f64>,
    /// Rating → months.
    pub ratings: BTreeMap<u8, u64>,
    pub problems: Vec<String>,
}

/// An employee-month's actuals, as read.
type EmployeeMonth = ((i64, NaiveDate), Actuals);
/// Months handed from the reading thread to the scoring one at a time, and batches in flight.
const MONTH_BATCH: usize = 1024;
const MONTH_BATCHES: usize = 8;

/// Gathers rows in (employee, month) order into each month's actuals.
struct MonthGrouper<'i> {
    index: &'i MetricIndex,
    current: Option<EmployeeMonth>,
}

impl<'i> MonthGrouper<'i> {
    fn new(index: &'i MetricIndex) -> MonthGrouper<'i> {
        MonthGrouper { index, current: None }
    }

    /// Adds a row; returns the month it closed, if any.
    fn take(
        &mut self,
        employee: i64,
        month: NaiveDate,
        metric: &str,
        numerator: f64,
        denominator: f64,
    ) -> Option<EmployeeMonth> {
        let key = (employee, month);
        let done = match &self.current {
            Some((current, _)) if *current == key => None,
            _ => self.current.replace((key, self.index.empty_actuals())),
        };
        if let (Some(pos), Some((_, actuals))) = (self.index.position(metric), &mut self.current) {
            actuals.add(pos, Sums::new(numerator, denominator));
        }
        done
    }

    /// Adds the figures of a packed employee-month (a daily import's days); returns the month
    /// it closed, if any.
    fn take_packed(&mut self, employee: i64, month: NaiveDate, packed: &[u8]) -> crate::Result<Option<EmployeeMonth>> {
        let sums = ladder_store::daily::month_sums(packed)
            .map_err(|e| crate::ImportError::Damaged(format!("stored days of employee {employee}, {month}: {e}")))?;
        let mut done = None;
        for m in sums {
            done = done.or(self.take(employee, month, m.metric, m.numerator, m.denominator));
        }
        Ok(done)
    }

    fn finish(self) -> Option<EmployeeMonth> {
        self.current
    }
}

/// Runs `produce` on a thread of its own, handing what it makes to `consume` on this one in
/// batches of `batch_size`, in order; returns `produce`'s error, after `consume` has had
/// everything made before it.
fn side_by_side<T: Send>(
    produce: impl FnOnce(&mut dyn FnMut(T)) -> crate::Result<()> + Send,
    batch_size: usize,
    mut consume: impl FnMut(T),
) -> crate::Result<()> {
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<T>>(MONTH_BATCHES);
        let producing = scope.spawn(move || {
            let mut batch = Vec::with_capacity(batch_size);
            let produced = produce(&mut |item| {
                batch.push(item);
                if batch.len() >= batch_size {
                    // The consuming side only goes away by panicking: nothing to do then.
                    let _ = send.send(std::mem::replace(&mut batch, Vec::with_capacity(batch_size)));
                }
            });
            let _ = send.send(batch);
            produced
        });
        for item in receive.iter().flatten() {
            consume(item);
        }
        producing.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// A stored plan: in force from a date.
struct StoredPlan {
    from: NaiveDate,
    plan: KraPlan,
}

/// Employees' codes and roles, by id.
type Employees = HashMap<i64, (String, String)>;

/// Scores every employee-month with actuals, calling `each` for every scorecard.
pub async fn score_all(db: &Db, fw: &Framework, each: impl FnMut(&Scored<'_>)) -> crate::Result<Summary> {
    let index = MetricIndex::new(fw);
    let employees: Employees = ladder_store::org::bulk::employee_roles(db)
        .await?
        .into_iter()
        .map(|(id, code, role)| (id, (code, role)))
        .collect();
    let mut summary = Summary::default();
    let role_plans = role_plans(fw, &employees);
    let stored = stored_plans(db, fw, &mut summary).await?;
    let mut scoring = Scoring::new(fw, &index, &employees, &role_plans, &stored, each);
    scan(db, &index, |key, actuals| scoring.month(key, actuals, &mut summary)).await?;
    summary.mean_total = (summary.scored > 0).then(|| scoring.total_sum / summary.scored as f64);
    Ok(summary)
}

/// The role templates of the employees' roles, resolved once.
fn role_plans(fw: &Framework, employees: &Employees) -> HashMap<String, KraPlan> {
    let mut role_plans: HashMap<String, KraPlan> = HashMap::new();
    for (_, role) in employees.values() {
        if !role_plans.contains_key(role) {
            if let Ok(plan) = KraPlan::for_role(fw, role) {
                role_plans.insert(role.clone(), plan);
            }
        }
    }
    role_plans
}

/// Stored plans, by employee, oldest first; one that no longer fits the framework is a problem.
async fn stored_plans(db: &Db, fw: &Framework, summary: &mut Summary) -> crate::Result<HashMap<i64, Vec<StoredPlan>>> {
    let lines = ladder_store::kra::every_plan_line(db).await?;
    let mut stored: HashMap<i64, Vec<StoredPlan>> = HashMap::new();
    for plan_lines in lines.chunk_by(|a, b| a.plan_id == b.plan_id) {
        let first = &plan_lines[0];
        let (plan_id, EmployeeId(employee), from) = (first.plan_id, first.employee_id, first.effective_from);
        let template: Vec<KraTemplate> = plan_lines
            .iter()
            .map(|l| KraTemplate {
                metric: l.line.metric.clone(),
                weight: l.line.weight,
                threshold: Some(l.line.threshold),
                target: Some(l.line.target),
                stretch: Some(l.line.stretch),
            })
            .collect();
        match KraPlan::from_template(fw, &format!("plan-{plan_id}"), &first.role_id, &template) {
            Ok(plan) => stored.entry(employee).or_default().push(StoredPlan { from, plan }),
            Err(e) => summary.problems.push(format!("KRA plan {plan_id} of employee {employee}: {e}")),
        }
    }
    Ok(stored)
}

/// Scores each employee-month as it comes and keeps the summary's running totals.
struct Scoring<'a, F> {
    fw: &'a Framework,
    index: &'a MetricIndex,
    employees: &'a Employees,
    role_plans: &'a HashMap<String, KraPlan>,
    role_scorers: HashMap<&'a str, Scorer<'a>>,
    stored: &'a HashMap<i64, Vec<StoredPlan>>,
    each: F,
    total_sum: f64,
    last_employee: Option<i64>,
}

impl<'a, F: FnMut(&Scored<'_>)> Scoring<'a, F> {
    fn new(
        fw: &'a Framework,
        index: &'a MetricIndex,
        employees: &'a Employees,
        role_plans: &'a HashMap<String, KraPlan>,
        stored: &'a HashMap<i64, Vec<StoredPlan>>,
        each: F,
    ) -> Scoring<'a, F> {
        let role_scorers =
            role_plans.iter().map(|(role, plan)| (role.as_str(), Scorer::new(&fw.scoring, plan, index))).collect();
        Scoring { fw, index, employees, role_plans, role_scorers, stored, each, total_sum: 0.0, last_employee: None }
    }

    /// Scores an employee's month: under their own plan in force that month, else their role's.
    fn month(&mut self, key: (i64, NaiveDate), actuals: &Actuals, summary: &mut Summary) {
        let (employee_id, month_start) = key;
        let month = Month::of(month_start);
        summary.months += 1;
        if self.last_employee != Some(employee_id) {
            summary.employees += 1;
            self.last_employee = Some(employee_id);
        }
        let Some((code, role)) = self.employees.get(&employee_id) else { return };
        let own =
            self.stored.get(&employee_id).and_then(|plans| plans.iter().rev().find(|p| p.from <= month.last_day()));
        let (card, plan_id) = match own {
            Some(p) => (Scorer::new(&self.fw.scoring, &p.plan, self.index).score(actuals, None), p.plan.id.clone()),
            None => match self.role_scorers.get(role.as_str()) {
                Some(s) => (s.score(actuals, None), self.role_plans[role].id.clone()),
                None => {
                    summary.unscored += 1;
                    return;
                }
            },
        };
        if let Some(t) = card.total {
            summary.scored += 1;
            self.total_sum += t;
        } else {
            summary.not_enough_data += 1;
        }
        if let Some(r) = card.rating {
            *summary.ratings.entry(r).or_default() += 1;
        }
        (self.each)(&Scored { employee_id, code, month, plan: &plan_id, card: &card });
    }
}

/// Streams every figure in (employee, month) order and hands on each month's actuals.
async fn scan(
    db: &Db,
    index: &MetricIndex,
    mut month_done: impl FnMut((i64, NaiveDate), &Actuals),
) -> crate::Result<()> {
    let mut months = MonthGrouper::new(index);
    match db.readers() {
        // Read and grouped on a thread of its own while this one scores: the two take about
        // as long as each other.
        Some(readers) => side_by_side(
            |hand_on| {
                let mut damaged = None;
                ladder_store::kra::scan::each_directly(readers, |employee, month, row| {
                    let done = match row {
                        Scanned::Monthly { metric, numerator, denominator } => {
                            months.take(employee, month, metric, numerator, denominator)
                        }
                        Scanned::Packed(packed) => match months.take_packed(employee, month, packed) {
                            Ok(done) => done,
                            Err(e) => {
                                damaged.get_or_insert(e);
                                None
                            }
                        },
                    };
                    if let Some(done) = done {
                        hand_on(done);
                    }
                })?;
                if let Some(e) = damaged {
                    return Err(e);
                }
                if let Some(done) = months.finish() {
                    hand_on(done);
                }
                Ok(())
            },
            MONTH_BATCH,
            |(key, actuals)| month_done(key, &actuals),
        ),
        None => {
            ladder_store::kra::scan::each(db, |employee, month, row| {
                let done = match row {
                    Scanned::Monthly { metric, numerator, denominator } => {
                        months.take(employee, month, metric, numerator, denominator)
                    }
                    Scanned::Packed(packed) => months.take_packed(employee, month, packed)?,
                };
                if let Some((key, actuals)) = done {
                    month_done(key, &actuals);
                }
                Ok::<_, crate::ImportError>(())
            })
            .await?;
            if let Some((key, actuals)) = months.finish() {
                month_done(key, &actuals);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    /// A customer service executive's month from these figures, under the default framework.
    fn card(rows: &[(&str, f64, f64)]) -> Scorecard {
        let fw = Framework::default_framework();
        let plan = KraPlan::for_role(&fw, "customer-service-executive").unwrap();
        let index = MetricIndex::new(&fw);
        let mut actuals = index.empty_actuals();
        for (metric, n, d) in rows {
            actuals.add(index.position(metric).unwrap(), Sums::new(*n, *d));
        }
        Scorer::new(&fw.scoring, &plan, &index).score(&actuals, None)
    }

    #[test]
    fn scores_csv_keeps_columns_and_writes_no_formula() {
        let month = Month::new(2026, 3).unwrap();
        // On target in CSAT, FCR, QA and AHT (80 % of the weight): 100, rating 3.
        let scored =
            card(&[("csat", 40.0, 50.0), ("fcr", 70.0, 100.0), ("qa-score", 85.0, 100.0), ("aht", 59_000.0, 100.0)]);
        // AHT on three calls: not enough data.
        let thin = card(&[("aht", 600.0, 3.0)]);
        let mut out = ScoresCsv::new(Vec::new()).unwrap();
        let row = |code, plan, card| Scored { employee_id: 1, code, month, plan, card };
        out.write(&row("=HYPERLINK(\"http://evil\",\"x\")", "Plan, with \"comma\"", &scored)).unwrap();
        out.write(&row("E2", "-1+1", &thin)).unwrap();
        let bytes = out.finish().unwrap();
        let mut read = csv::Reader::from_reader(&bytes[..]);
        let rows: Vec<Vec<String>> = read.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        assert_eq!(
            rows[0],
            ["'=HYPERLINK(\"http://evil\",\"x\")", "2026-03", "Plan, with \"comma\"", "100", "3", "scored", ""]
        );
        assert_eq!(
            rows[1],
            [
                "E2",
                "2026-03",
                "'-1+1",
                "",
                "",
                "not-enough-data",
                "aht: 3 contacts, 30 needed; KRAs with data carry 0 % of the weight, 60 % needed"
            ]
        );
    }

    use super::*;

    #[test]
    fn what_is_made_beside_is_consumed_whole_and_in_order_in_batches_of_any_size() {
        for batch_size in [1, 2, 3, 7, 100] {
            let mut consumed = Vec::new();
            side_by_side(
                |hand_on| {
                    (0..7).for_each(&mut *hand_on);
                    Ok(())
                },
                batch_size,
                |item| consumed.push(item),
            )
            .unwrap();
            assert_eq!(consumed, (0..7).collect::<Vec<_>>(), "batches of {batch_size}");
        }
    }

    #[test]
    fn a_failed_read_is_the_result_after_what_came_before_it_is_consumed() {
        let mut consumed = Vec::new();
        let failed = side_by_side(
            |hand_on| {
                (0..5).for_each(&mut *hand_on);
                Err(crate::ImportError::Reader("the disk went away".into()))
            },
            2,
            |item| consumed.push(item),
        );
        assert!(matches!(failed, Err(crate::ImportError::Reader(m)) if m == "the disk went away"));
        assert_eq!(consumed, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn rows_are_gathered_a_month_at_a_time_and_unknown_metrics_left_out() {
        let fw = Framework::default_framework();
        let index = MetricIndex::new(&fw);
        let day = |m| NaiveDate::from_ymd_opt(2025, m, 1).unwrap();
        let mut months = MonthGrouper::new(&index);
        let mut done = Vec::new();
        for (employee, month, metric, numerator) in [
            (1, 3, "aht", 10.0),
            (1, 3, "fcr", 1.0),
            (1, 3, "no-such-metric", 5.0),
            (1, 4, "aht", 20.0),
            (2, 4, "aht", 30.0),
        ] {
            done.extend(months.take(employee, day(month), metric, numerator, 2.0));
        }
        done.extend(months.finish());
        let keys: Vec<(i64, NaiveDate)> = done.iter().map(|(key, _)| *key).collect();
        assert_eq!(keys, vec![(1, day(3)), (1, day(4)), (2, day(4))]);
        let mut march = index.empty_actuals();
        march.add(index.position("aht").unwrap(), Sums::new(10.0, 2.0));
        march.add(index.position("fcr").unwrap(), Sums::new(1.0, 2.0));
        assert_eq!(done[0].1, march);
    }
}
