//! The reading thread of a KPI import: it streams the file, checks each row
//! ([`super::rows`]) and hands the facts to the sorting thread ([`crate::sorting`]), which
//! sends them on, grouped and sorted, to the writer; problems and progress go straight to the
//! import. A file that comes month by month is cut at each new month, so a month is written
//! while the next is read.

use std::sync::Arc;

use ladder_core::Framework;

use super::lookup::Lookup;
use super::rows::RowReader;
use super::{Directory, PROBLEMS_PER_MESSAGE, ROWS_PER_PROGRESS};
use crate::mapping::{Mapping, Plan};
use crate::merge::{Fact, Grouper, MonthFacts};
use crate::read::{Input, Table};
use crate::rejects::Rejects;
use crate::sorting::{self, Sorted, Sorter};
use crate::validate::Problem;
use crate::{ImportError, Options};

/// What the reading thread tells the import.
pub(super) enum Msg {
    Opened {
        total_bytes: u64,
    },
    Read {
        problems: Vec<Problem>,
        /// Metrics left out of rows for breaking their rule (a mapping that warns).
        warnings: Vec<Problem>,
        rows: u64,
        bytes: u64,
    },
    /// Groups to write; with (facts sent, facts in all) while the last segment is written.
    Groups {
        groups: Vec<MonthFacts>,
        progress: Option<(u64, u64)>,
    },
    /// Problems with the file as a whole: they stop the import even when bad rows are skipped.
    Blocking(Vec<Problem>),
    Done {
        sha256: String,
        rows: u64,
        /// Rows of unknown people left out (`Options::ignore_unknown`).
        unknown: crate::report::Unknown,
        /// What the rows touch and what was left out ([`Touched`]).
        touched: Touched,
        /// Rows the mapping's filters left out, by reason.
        skipped: Vec<(String, u64)>,
    },
    /// A row of a month already written: the file is not in month order.
    Unordered,
    Failed(ImportError),
}

/// Reads the file on the calling thread (the reader's), telling `tx` how it goes.
pub(super) fn read_file(
    mapping: &Mapping,
    fw: &Framework,
    input: &Input,
    opts: &Options,
    employees: &Directory,
    by_month: bool,
    tx: tokio::sync::mpsc::Sender<Msg>,
) {
    let problems_only = |problems: Vec<Problem>| {
        send(&tx, Msg::Blocking(problems));
        let (unknown, touched) = (Default::default(), Touched::default());
        send(&tx, Msg::Done { sha256: String::new(), rows: 0, unknown, touched, skipped: Vec::new() });
    };
    let table = match Table::open(input, &mapping.keys()) {
        Ok(t) => t,
        Err(crate::read::ReadError::NoHeader(_, found)) => return problems_only(vec![Problem::file(found)]),
        Err(e) => return fail(&tx, e.into()),
    };
    if !send(&tx, Msg::Opened { total_bytes: table.total_bytes() }) {
        return;
    }
    let plan = match Plan::compile(mapping, fw, &table, file_date(mapping, input, opts)) {
        Ok(p) => p,
        Err(problems) => return problems_only(problems),
    };
    let sorter = match Sorter::start(send_groups(tx.clone(), ids_by_index(employees), opts.groups_per_batch.max(1))) {
        Ok(s) => s,
        Err(e) => return fail(&tx, e.into()),
    };
    let rejects = match opts.rejects.as_deref().filter(|_| opts.skip_bad_rows).map(Rejects::create).transpose() {
        Ok(r) => r,
        Err(e) => return fail(&tx, e.into()),
    };
    let rows = RowReader::new(plan, opts, Lookup::new(employees), fw.metrics.len());
    let touched = Touched::default();
    FileReader { table, rows, sorter, tx: &tx, opts, by_month, cuts: MonthCuts::default(), rejects, touched }.read();
}

/// The months and people a file's good rows are about, and the bad rows left out.
#[derive(Debug, Default)]
pub(super) struct Touched {
    /// Month keys, in order.
    pub months: std::collections::BTreeSet<i32>,
    /// One bit per employee (by dense index).
    people: Vec<u64>,
    pub people_count: u64,
    pub rejected: u64,
    /// How many of them the rejects file holds (it is capped).
    pub rejected_written: u64,
    last_month: Option<i32>,
}

impl Touched {
    fn note(&mut self, fact: &Fact) {
        // Files come month by month: most rows repeat the month before.
        if self.last_month != Some(fact.month()) {
            self.last_month = Some(fact.month());
            self.months.insert(fact.month());
        }
        let i = fact.employee() as usize;
        if self.people.len() <= i / 64 {
            self.people.resize(i / 64 + 1, 0);
        }
        let (word, bit) = (&mut self.people[i / 64], 1u64 << (i % 64));
        if *word & bit == 0 {
            *word |= bit;
            self.people_count += 1;
        }
    }
}

/// A file being read, its facts handed on as they come.
struct FileReader<'a> {
    table: Table,
    rows: RowReader<'a>,
    sorter: Sorter,
    tx: &'a tokio::sync::mpsc::Sender<Msg>,
    opts: &'a Options,
    /// Cut the file at each new month (see [`MonthCuts`]).
    by_month: bool,
    cuts: MonthCuts,
    /// Where bad rows go with `--skip-bad-rows`.
    rejects: Option<Rejects>,
    touched: Touched,
}

/// What became of a row's facts.
enum Kept {
    Yes,
    /// The sorting thread stopped.
    SortStopped,
    /// The row belongs to a month already cut off.
    Unordered,
}

/// Tells the import; `false` when it has gone away.
fn send(tx: &tokio::sync::mpsc::Sender<Msg>, m: Msg) -> bool {
    tx.blocking_send(m).is_ok()
}

fn fail(tx: &tokio::sync::mpsc::Sender<Msg>, e: ImportError) {
    send(tx, Msg::Failed(e));
}

/// The sorting thread stopped (a full temporary disk, say): its error is the one to report.
fn sort_stopped(tx: &tokio::sync::mpsc::Sender<Msg>, sorter: Sorter) {
    let error = sorter.finish().err().unwrap_or_else(|| std::io::Error::other("the sort stopped"));
    fail(tx, error.into())
}

impl FileReader<'_> {
    fn read(mut self) {
        let counter = self.table.bytes_read();
        let mut facts = sorting::new_batch();
        let mut problems = Vec::new();
        let mut problem_count = 0usize;
        let mut rows = 0u64;
        loop {
            match self.table.next_row() {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return fail(self.tx, e.into()),
            }
            if self.table.is_blank() {
                continue;
            }
            rows += 1;
            let before = facts.len();
            let problems_before = problems.len();
            match self.table.bad_text() {
                Some(p) => problems.push(p),
                None => self.rows.read(&self.table, &mut facts, &mut problems),
            }
            if problems.len() > problems_before {
                self.touched.rejected += 1;
                if let Some(rejects) = &mut self.rejects {
                    if let Err(e) = rejects.write(&self.table, &problems[problems_before..]) {
                        return fail(self.tx, e.into());
                    }
                }
            } else {
                // Every fact: a split row counts for more than one month.
                for fact in &facts[before..] {
                    self.touched.note(fact);
                }
            }
            // A real run with a problem writes nothing: stop keeping facts. A dry run goes on, to
            // count what the good rows would change, as does a run that skips bad rows.
            if problems.is_empty() && problem_count == 0 || self.opts.dry_run || self.opts.skip_bad_rows {
                match self.keep(&mut facts, before) {
                    Kept::Yes => {}
                    Kept::SortStopped => return sort_stopped(self.tx, self.sorter),
                    Kept::Unordered => {
                        drop(self.sorter);
                        send(self.tx, Msg::Unordered);
                        return;
                    }
                }
            } else {
                facts.clear();
            }
            if problems.len() >= PROBLEMS_PER_MESSAGE || rows.is_multiple_of(ROWS_PER_PROGRESS) {
                problem_count += problems.len();
                let (problems, warnings) = (std::mem::take(&mut problems), std::mem::take(&mut self.rows.warnings));
                if !send(self.tx, Msg::Read { problems, warnings, rows, bytes: counter.get() }) {
                    return;
                }
            }
        }
        problem_count += problems.len();
        let warnings = std::mem::take(&mut self.rows.warnings);
        if !send(self.tx, Msg::Read { problems, warnings, rows, bytes: counter.get() }) {
            return;
        }
        if let Some(message) = self.rows.orders.problem() {
            let column = match self.rows.plan.date {
                crate::mapping::DateSource::Column(i) => self.table.headers().get(i).cloned().unwrap_or_default(),
                crate::mapping::DateSource::Fixed(_) => String::new(),
            };
            if !send(self.tx, Msg::Blocking(vec![Problem::new(0, &column, "", message)])) {
                return;
            }
            problem_count += 1;
        }
        let keep = problem_count == 0 || self.opts.skip_bad_rows;
        self.finish(facts, keep, rows);
    }

    /// Hands the facts on to the sorting thread: those before a new month's row (`facts[before..]`)
    /// are cut off when the file comes month by month, and a full batch goes.
    fn keep(&mut self, facts: &mut Vec<Fact>, before: usize) -> Kept {
        // A row's facts share its date.
        let step = match facts.get(before) {
            Some(fact) if self.by_month => self.cuts.next(fact.month()),
            _ => Step::Same,
        };
        match step {
            Step::Same => {}
            Step::Cut => {
                let mut later = sorting::new_batch();
                later.extend(facts.drain(before..));
                if !(self.sorter.push(std::mem::replace(facts, later)) && self.sorter.cut()) {
                    return Kept::SortStopped;
                }
            }
            Step::Unordered => return Kept::Unordered,
        }
        if facts.len() >= sorting::BATCH && !self.sorter.push(std::mem::replace(facts, sorting::new_batch())) {
            return Kept::SortStopped;
        }
        Kept::Yes
    }

    /// The file is read: hands on the last facts (unless a real run met a problem) and says so.
    fn finish(mut self, facts: Vec<Fact>, no_problem: bool, rows: u64) {
        if let Some(rejects) = self.rejects.take() {
            match rejects.finish() {
                Ok(written) => self.touched.rejected_written = written,
                Err(e) => return fail(self.tx, e.into()),
            }
        }
        let sha256 = match self.table.finish() {
            Ok(sha256) => sha256,
            Err(e) => return fail(self.tx, e.into()),
        };
        if no_problem || self.opts.dry_run {
            // Should the thread have stopped, `finish` says why.
            self.sorter.push(facts);
            if let Err(e) = self.sorter.finish() {
                return fail(self.tx, e.into());
            }
        } else {
            // Before `Done`: months it is still handing on would only be written to be rolled back.
            drop(self.sorter);
        }
        let reasons = self.rows.plan.skips.iter().map(|(reason, _)| reason.clone());
        let skipped = reasons.zip(self.rows.skipped.iter().copied()).filter(|(_, n)| *n > 0).collect();
        let unknown = self.rows.unknown();
        send(self.tx, Msg::Done { sha256, rows, unknown, touched: self.touched, skipped });
    }
}

/// The date of every row of a file with no date column: the import's (`--date`), else one in the
/// file name by the mapping's pattern. `None` when neither gives one.
pub(super) fn file_date(mapping: &Mapping, input: &Input, opts: &Options) -> Option<chrono::NaiveDate> {
    opts.date.or_else(|| date_in_name(&input.name, mapping.date_in_file_name.as_deref()?))
}

/// The first date in `name` written as `pattern` (a chrono pattern): tried at each place in
/// the name, longest first, so `20250725` is not read as 2 July. Names are short (a file name).
fn date_in_name(name: &str, pattern: &str) -> Option<chrono::NaiveDate> {
    name.char_indices().find_map(|(i, _)| {
        let rest = &name[i..];
        let mut ends: Vec<usize> = rest.char_indices().map(|(j, c)| j + c.len_utf8()).collect();
        ends.reverse();
        // chrono reads `-2025` as a year before Christ: only dates Ladder keeps count.
        let date = |j: usize| chrono::NaiveDate::parse_from_str(&rest[..j], pattern).ok();
        ends.into_iter().find_map(|j| date(j).filter(|d| ladder_core::dates::in_range(*d).is_ok()))
    })
}

/// Where a file that comes month by month can be cut: what it has had so far is complete once a
/// later month starts, unless a row of a month already cut turns up after all.
#[derive(Debug, Default)]
struct MonthCuts {
    latest: Option<i32>,
    cut_through: Option<i32>,
}

#[derive(Debug, PartialEq)]
enum Step {
    /// Goes with what came before.
    Same,
    /// Starts a later month: cut what came before off.
    Cut,
    /// Belongs to a month already cut.
    Unordered,
}

impl MonthCuts {
    fn next(&mut self, month: i32) -> Step {
        if self.cut_through.is_some_and(|cut| month <= cut) {
            return Step::Unordered;
        }
        match self.latest {
            Some(latest) if month > latest => {
                self.cut_through = Some(latest);
                self.latest = Some(month);
                Step::Cut
            }
            Some(_) => Step::Same,
            None => {
                self.latest = Some(month);
                Step::Same
            }
        }
    }
}

/// Employee ids by dense index, for the facts to name their employee by id again.
pub(super) fn ids_by_index(employees: &Directory) -> Arc<[i64]> {
    // Indexes are dense ([`numbered`]).
    let mut ids = vec![0; employees.len()];
    for e in employees.values() {
        ids[e.index as usize] = e.id;
    }
    ids.into()
}

/// What the sorting thread does with each sorted segment: groups its facts per (month,
/// employee, metric) and sends them in batches of one month each, so a batch's stored rows are
/// read by one range. `Ok(false)` when the import has gone away.
fn send_groups(
    tx: tokio::sync::mpsc::Sender<Msg>,
    ids: Arc<[i64]>,
    groups_per_batch: usize,
) -> impl FnMut(Sorted) -> std::io::Result<bool> + Send {
    move |sorted: Sorted| {
        let progress = |sent: u64| sorted.last.then_some((sent, sorted.count));
        let send_batch = |batch: &mut Vec<MonthFacts>, sent: u64| {
            let groups = std::mem::replace(batch, Vec::with_capacity(groups_per_batch));
            tx.blocking_send(Msg::Groups { groups, progress: progress(sent) }).is_ok()
        };
        let add = |group: MonthFacts, batch: &mut Vec<MonthFacts>, sent: u64| {
            let ends = batch_ends(batch, &group, groups_per_batch);
            let sending = !ends || send_batch(batch, sent);
            batch.push(group);
            sending
        };
        let mut grouper = Grouper::new(ids.clone());
        let mut batch = Vec::with_capacity(groups_per_batch);
        let mut sent = 0u64;
        for fact in sorted.facts {
            sent += 1;
            if let Some(group) = grouper.push(fact?) {
                if !add(group, &mut batch, sent) {
                    return Ok(false);
                }
            }
        }
        if let Some(group) = grouper.finish() {
            if !add(group, &mut batch, sent) {
                return Ok(false);
            }
        }
        Ok(send_batch(&mut batch, sent))
    }
}

/// Whether `batch` is complete before `next`: a batch holds one month, and each employee's
/// month whole, as the writer merges a stored employee-month with one batch only.
fn batch_ends(batch: &[MonthFacts], next: &MonthFacts, limit: usize) -> bool {
    batch
        .last()
        .is_some_and(|last| last.month != next.month || batch.len() >= limit && last.employee_id != next.employee_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_batch_ends_between_employee_months_and_at_every_month() {
        let group = |employee_id, month, metric| MonthFacts { employee_id, month, metric, days: vec![(1, 1.0, 1.0)] };
        let batch = vec![group(1, 5, 0), group(2, 5, 0), group(2, 5, 1)];
        assert!(!batch_ends(&[], &group(1, 5, 0), 2), "an empty batch takes anything");
        assert!(!batch_ends(&batch, &group(2, 5, 2), 2), "a full batch keeps an employee's month whole");
        assert!(batch_ends(&batch, &group(3, 5, 0), 2), "and ends before the next employee");
        assert!(!batch_ends(&batch, &group(3, 5, 0), 4), "a batch not full goes on");
        assert!(batch_ends(&batch, &group(2, 6, 0), 4), "a month ends a batch, full or not");
    }

    #[test]
    fn a_date_is_found_in_a_file_name_by_its_pattern() {
        let day = chrono::NaiveDate::from_ymd_opt(2025, 7, 25);
        assert_eq!(date_in_name("calls_2025-07-25.csv", "%Y-%m-%d"), day);
        assert_eq!(date_in_name("bank_calls_20250725_v2.csv", "%Y%m%d"), day);
        assert_eq!(date_in_name("Calls 25.07.2025 (final).xlsx", "%d.%m.%Y"), day);
        assert_eq!(date_in_name("calls.csv", "%Y-%m-%d"), None);
        assert_eq!(date_in_name("bank-calls-2025-07-25.csv", "%Y-%m-%d"), day, "not the year -2025");
        assert_eq!(date_in_name("ñame_2025-07-25", "%Y-%m-%d"), day, "names beyond ASCII");
    }

    #[test]
    fn a_later_month_cuts_and_an_earlier_one_after_a_cut_is_out_of_order() {
        let mut cuts = MonthCuts::default();
        let steps: Vec<Step> = [3, 3, 2, 3, 4, 4, 6, 5].into_iter().map(|m| cuts.next(m)).collect();
        use Step::*;
        // February after March, and May after June, join the segment being read: none of them
        // was cut off yet.
        assert_eq!(steps, vec![Same, Same, Same, Same, Cut, Same, Cut, Same]);
        assert_eq!(cuts.next(4), Unordered, "April was cut off when June started");
        assert_eq!(cuts.next(2), Unordered, "and February before it");
        assert_eq!(cuts.next(6), Same, "the month being read");
    }
}
