//! Importing KRA facts: daily (or monthly) rows per employee, mapped to framework metrics as
//! numerator and denominator sums.
//!
//! A reader thread streams the file and checks every row, while a second thread sorts the facts
//! by (month, employee, metric, day) as they come ([`crate::sorting`]: in memory, spilling
//! sorted runs to temporary files, so memory stays flat whatever the file's size) and sends them
//! grouped per (month, employee, metric). The async side merges each employee's month with its
//! stored row of daily facts and writes the rows that changed, in one transaction; a metric's
//! monthly figure is the total of its days, and the `kra_actuals` row it replaces, if any, goes.
//! Monthly files go to `kra_actuals` and remove the days they replace (a figure equal to its
//! days' total leaves them and writes nothing).
//! When any row has a problem nothing is committed; a dry run always rolls back, after counting
//! what would change.
//!
//! Exports come in date order, so a month's facts are complete once a later month starts: the
//! reader then cuts them off to be sorted and written while it reads on, and the two cores
//! share the work instead of the writing waiting for the whole file. Should a row of a month
//! already cut turn up, the file is not in month order: that attempt is rolled back and the file
//! read again, sorted whole before anything is written.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use ladder_core::Framework;
use ladder_store::Db;

use crate::mapping::{self, Grain, Mapping, Plan, PlanKind};
use crate::merge::{self, Fact, Grouper, MonthFacts};
use crate::read::{Cell, Input, Table};
use crate::report::{Kind, Report};
use crate::sorting::{self, Sorted, Sorter};
use crate::validate::{self, Problem};
use crate::write::{ImportStart, Writer};
use crate::{EmployeeRef, ImportError, Options, Phase, Progress};

/// (employee, month, metric) groups merged and written at a time, about.
pub(crate) const GROUPS_PER_BATCH: usize = 8_000;
/// Problems sent at a time while reading.
const PROBLEMS_PER_MESSAGE: usize = 1_000;
/// Rows read between progress reports.
const ROWS_PER_PROGRESS: u64 = 20_000;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Employee {
    pub id: i64,
    pub team_id: Option<i64>,
    pub hire_date: NaiveDate,
    /// Dense index in id order: the duplicate check's bit, and the employee in a fact's sort key.
    pub index: u32,
}

/// Employees by code, with a fast hash: every row of a file looks one up.
pub(crate) type Directory = HashMap<String, Employee, foldhash::fast::RandomState>;

/// Whether a fact can name every employee and metric ([`merge::MAX_EMPLOYEES`],
/// [`merge::MAX_METRICS`]).
fn within_limits(employees: usize, metrics: usize) -> Result<(), ImportError> {
    if employees <= merge::MAX_EMPLOYEES && metrics <= merge::MAX_METRICS {
        return Ok(());
    }
    Err(ImportError::Limit(format!(
        "an import handles up to {} employees and {} metrics; the organisation has {employees} employees \
         and the framework {metrics} metrics",
        merge::MAX_EMPLOYEES,
        merge::MAX_METRICS
    )))
}

/// Every employee by code.
pub(crate) async fn directory(db: &Db) -> Result<Directory, ImportError> {
    let sql = "SELECT id, code, team_id, hire_date FROM employees ORDER BY id";
    let rows: Vec<(i64, String, Option<i64>, NaiveDate)> =
        ladder_store::on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?);
    Ok(numbered(rows))
}

/// The directory of `(id, code, team, hire date)` rows, numbered in id order.
fn numbered(rows: Vec<(i64, String, Option<i64>, NaiveDate)>) -> Directory {
    let mut directory: Directory = rows
        .into_iter()
        .map(|(id, code, team_id, hire_date)| (code, Employee { id, team_id, hire_date, index: 0 }))
        .collect();
    // Numbered after the map is built: a code held in two organisations keeps one entry (the
    // later id, as before), and the indexes stay dense, below the directory's size.
    let mut by_id: Vec<&mut Employee> = directory.values_mut().collect();
    by_id.sort_unstable_by_key(|e| e.id);
    for (index, employee) in by_id.into_iter().enumerate() {
        employee.index = index as u32;
    }
    directory
}

enum Msg {
    Opened {
        total_bytes: u64,
    },
    Read {
        problems: Vec<Problem>,
        rows: u64,
        bytes: u64,
    },
    /// Groups to write; with (facts sent, facts in all) while the last segment is written.
    Groups {
        groups: Vec<MonthFacts>,
        progress: Option<(u64, u64)>,
    },
    Done {
        sha256: String,
        rows: u64,
    },
    /// A row of a month already written: the file is not in month order.
    Unordered,
    Failed(ImportError),
}

/// Imports a KPI file with a mapping. Problems are in the report (and then nothing is written);
/// an `Err` is a failure to read the file or to talk to the database.
pub async fn import(
    db: &Db,
    fw: &Framework,
    mapping: &Mapping,
    input: &Input,
    opts: &Options,
) -> crate::Result<Report> {
    let started = Instant::now();
    let started_at = chrono::Utc::now();
    mapping.check(fw)?;
    let employees = Arc::new(directory(db).await?);
    within_limits(employees.len(), fw.metrics.len())?;
    // A pipe cannot be read twice, so it is sorted whole, as a file out of month order is.
    let mut by_month = input.can_be_read_again();
    let mut reads = 0;
    loop {
        reads += 1;
        let attempt = Attempt { db, fw, mapping, input, opts, employees: &employees, started_at, by_month };
        if let Some(mut report) = attempt.run().await? {
            report.reads = reads;
            report.elapsed_ms = started.elapsed().as_millis() as u64;
            return Ok(report);
        }
        by_month = false;
    }
}

/// One read of the file, in one transaction.
struct Attempt<'a> {
    db: &'a Db,
    fw: &'a Framework,
    mapping: &'a Mapping,
    input: &'a Input,
    opts: &'a Options,
    employees: &'a Arc<Directory>,
    started_at: chrono::DateTime<chrono::Utc>,
    /// Write each month once a later one starts (see the module's comment).
    by_month: bool,
}

impl Attempt<'_> {
    /// The report, or `None` when the file turned out not to be in month order (nothing kept).
    async fn run(self) -> crate::Result<Option<Report>> {
        let Attempt { db, fw, mapping, input, opts, .. } = self;
        let mut report = Report::new(Kind::Kpi, &input.name, &mapping.name, opts.dry_run);
        let metrics: Arc<Vec<Arc<str>>> = Arc::new(fw.metrics.iter().map(|m| Arc::from(m.id.as_str())).collect());

        let (tx, mut rx) = tokio::sync::mpsc::channel::<Msg>(4);
        let reader = {
            let (mapping, fw, input, opts, employees, by_month) =
                (mapping.clone(), fw.clone(), input.clone(), opts.clone(), self.employees.clone(), self.by_month);
            std::thread::Builder::new()
                .name("import-read".into())
                .spawn(move || read_file(&mapping, &fw, &input, &opts, &employees, by_month, tx))
                .map_err(|e| ImportError::Reader(format!("starting the reader thread: {e}")))?
        };

        let start = ImportStart {
            file_name: input.name.clone(),
            mapping: mapping.name.clone(),
            started_at: self.started_at,
            imported_by: opts.imported_by,
        };
        let mut writer = Writer::begin(db, opts.dry_run, mapping.grain, start, metrics, chrono::Utc::now()).await?;
        let mut total_bytes = 0;
        let mut done = None;
        let mut failure = None;
        let mut unordered = false;
        while let Some(msg) = rx.recv().await {
            match msg {
                Msg::Opened { total_bytes: t } => total_bytes = t,
                Msg::Read { problems, rows, bytes } => {
                    for p in problems {
                        report.add_problem(p, opts.max_problems);
                    }
                    report.rows = rows;
                    opts.report_progress(Progress::of_file(Phase::Reading, rows, bytes, total_bytes));
                }
                Msg::Groups { groups, progress } => {
                    writer.write(groups).await?;
                    if let Some((written, to_write)) = progress {
                        opts.report_progress(Progress {
                            phase: Phase::Writing,
                            rows: report.rows,
                            bytes: total_bytes,
                            total_bytes,
                            written,
                            to_write,
                        });
                    }
                }
                Msg::Done { sha256, rows } => {
                    report.rows = rows;
                    done = Some(sha256);
                }
                Msg::Unordered => {
                    unordered = true;
                    break;
                }
                Msg::Failed(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        // Unblocks and ends the reader and the sorting thread if the loop above left early.
        drop(rx);
        reader.join().map_err(|_| ImportError::Reader("the reader thread panicked".into()))?;
        if let Some(e) = failure {
            writer.rollback().await?;
            return Err(e);
        }
        if unordered {
            writer.rollback().await?;
            return Ok(None);
        }
        let Some(sha256) = done else {
            writer.rollback().await?;
            return Err(ImportError::Reader("the file was not read to the end".into()));
        };
        report.sha256 = Some(sha256.clone());

        let progress = |phase| Progress::of_file(phase, report.rows, total_bytes, total_bytes);
        if report.problem_count > 0 && !opts.dry_run {
            // Months cut off before the problem were written; they are not counted, as nothing is kept.
            opts.report_progress(progress(Phase::Finishing));
            writer.rollback().await?;
            return Ok(Some(report));
        }
        opts.report_progress(progress(Phase::Summarising));
        let (facts, monthly) = writer.finish().await?;
        let label = match mapping.grain {
            Grain::Day => "daily facts",
            Grain::Month => "monthly actuals",
        };
        report.counts.push((label.to_string(), facts));
        if let Some(m) = monthly {
            report.counts.push(("monthly actuals".to_string(), m));
        }
        opts.report_progress(progress(Phase::Finishing));
        if opts.dry_run {
            writer.rollback().await?;
        } else {
            let id = writer.record_import(&sha256, report.rows, facts).await?;
            writer.commit().await?;
            report.committed = true;
            report.import_id = Some(id);
        }
        Ok(Some(report))
    }
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

/// Which (employee, day[, metric]) the file has had, to find duplicate rows with memory that
/// grows with employees × days, not with rows.
struct Seen {
    slots: usize,
    employees: usize,
    days: HashMap<i32, Vec<u64>>,
}

impl Seen {
    fn new(employees: usize, slots: usize) -> Seen {
        Seen { slots, employees: employees.max(1), days: HashMap::new() }
    }
    /// Marks the key; `false` when it was marked already.
    fn insert(&mut self, day: NaiveDate, employee: u32, slot: usize) -> bool {
        let bits = self.employees * self.slots;
        let set = self.days.entry(day.num_days_from_ce()).or_insert_with(|| vec![0; bits.div_ceil(64)]);
        let bit = employee as usize * self.slots + slot;
        let (word, mask) = (bit / 64, 1u64 << (bit % 64));
        let fresh = set[word] & mask == 0;
        set[word] |= mask;
        fresh
    }
}

/// The last date cell's text and what it parsed to: files come date by date, so most rows repeat
/// the row before's date, and chrono's parser reads its format string again on every call.
#[derive(Default)]
struct LastDate {
    text: String,
    day: Option<NaiveDate>,
}

impl LastDate {
    fn parse(&mut self, cell: Cell<'_>, formats: &[String]) -> Result<Option<NaiveDate>, validate::BadValue> {
        if let Cell::Text(text) = cell {
            if !self.text.is_empty() && text == self.text {
                return Ok(self.day);
            }
        }
        let day = validate::date(cell, formats)?;
        if let Cell::Text(text) = cell {
            self.text.clear();
            self.text.push_str(text);
            self.day = day;
        }
        Ok(day)
    }
}

#[allow(clippy::too_many_arguments)]
fn read_file(
    mapping: &Mapping,
    fw: &Framework,
    input: &Input,
    opts: &Options,
    employees: &Directory,
    by_month: bool,
    tx: tokio::sync::mpsc::Sender<Msg>,
) {
    let send = |m: Msg| tx.blocking_send(m).is_ok();
    let fail = |e: ImportError| {
        send(Msg::Failed(e));
    };
    let problems_only = |problems: Vec<Problem>| {
        send(Msg::Read { problems, rows: 0, bytes: 0 });
        send(Msg::Done { sha256: String::new(), rows: 0 });
    };
    let mut table = match Table::open(input, &mapping.keys()) {
        Ok(t) => t,
        Err(crate::read::ReadError::NoHeader(_, wanted)) => {
            return problems_only(vec![Problem::file(format!("missing column: no header row names {wanted}"))]);
        }
        Err(e) => return fail(e.into()),
    };
    if !send(Msg::Opened { total_bytes: table.total_bytes() }) {
        return;
    }
    let plan = match Plan::compile(mapping, fw, &table) {
        Ok(p) => p,
        Err(problems) => return problems_only(problems),
    };
    let slots = match plan.kind {
        PlanKind::Wide(_) => 1,
        PlanKind::Long { .. } => fw.metrics.len(),
    };
    let mut seen = Seen::new(employees.len(), slots);
    let counter = table.bytes_read();
    let sorter = match Sorter::start(send_groups(tx.clone(), ids_by_index(employees), opts.groups_per_batch.max(1))) {
        Ok(s) => s,
        Err(e) => return fail(e.into()),
    };
    // The sorting thread stopped (a full temporary disk, say): its error is the one to report.
    let stopped = |sorter: Sorter| {
        let error = sorter.finish().err().unwrap_or_else(|| std::io::Error::other("the sort stopped"));
        fail(error.into())
    };
    let mut cuts = MonthCuts::default();
    let mut facts = sorting::new_batch();
    let mut problems = Vec::new();
    let mut problem_count = 0usize;
    let mut rows = 0u64;
    let mut last_date = LastDate::default();
    let mut lookup = Lookup::new(employees);
    loop {
        match table.next_row() {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return fail(e.into()),
        }
        if table.is_blank() {
            continue;
        }
        rows += 1;
        let before = facts.len();
        read_row(&table, &plan, opts, &mut lookup, &mut seen, &mut last_date, &mut facts, &mut problems);
        // A real run with a problem writes nothing: stop keeping facts. A dry run goes on, to
        // count what the good rows would change.
        if problems.is_empty() && problem_count == 0 || opts.dry_run {
            // A row's facts share its date.
            let step = match facts.get(before) {
                Some(fact) if by_month => cuts.next(fact.month()),
                _ => Step::Same,
            };
            match step {
                Step::Same => {}
                Step::Cut => {
                    let mut later = sorting::new_batch();
                    later.extend(facts.drain(before..));
                    if !(sorter.push(std::mem::replace(&mut facts, later)) && sorter.cut()) {
                        return stopped(sorter);
                    }
                }
                Step::Unordered => {
                    drop(sorter);
                    send(Msg::Unordered);
                    return;
                }
            }
            if facts.len() >= sorting::BATCH && !sorter.push(std::mem::replace(&mut facts, sorting::new_batch())) {
                return stopped(sorter);
            }
        } else {
            facts.clear();
        }
        if problems.len() >= PROBLEMS_PER_MESSAGE || rows.is_multiple_of(ROWS_PER_PROGRESS) {
            problem_count += problems.len();
            if !send(Msg::Read { problems: std::mem::take(&mut problems), rows, bytes: counter.get() }) {
                return;
            }
        }
    }
    problem_count += problems.len();
    if !send(Msg::Read { problems, rows, bytes: counter.get() }) {
        return;
    }
    let sha256 = match table.finish() {
        Ok(sha256) => sha256,
        Err(e) => return fail(e.into()),
    };
    if problem_count == 0 || opts.dry_run {
        // Should the thread have stopped, `finish` says why.
        sorter.push(facts);
        if let Err(e) = sorter.finish() {
            return fail(e.into());
        }
    } else {
        // Before `Done`: months it is still handing on would only be written to be rolled back.
        drop(sorter);
    }
    send(Msg::Done { sha256, rows });
}

/// Finds employees by code, first guessing that a row's employee is the one who followed the
/// row before's last time, or one of the next few in index order: exports list the same people
/// in the same order day after day (mostly the order they were added in, less those absent),
/// and a right guess reads compact arrays in index order instead of missing the cache in the
/// directory's table (a seventh of the reading thread's time at 10,000 agents).
struct Lookup<'d> {
    directory: &'d Directory,
    /// By dense index: the employee, where their code ends in `codes`, and who came next last
    /// time ([`Lookup::NONE`] if nobody yet).
    employees: Vec<Employee>,
    code_ends: Vec<usize>,
    codes: String,
    next: Vec<u32>,
    last: Option<u32>,
}

impl<'d> Lookup<'d> {
    const NONE: u32 = u32::MAX;

    fn new(directory: &'d Directory) -> Lookup<'d> {
        let mut by_index: Vec<(&String, &Employee)> = directory.iter().collect();
        by_index.sort_unstable_by_key(|(_, e)| e.index);
        let mut codes = String::with_capacity(by_index.iter().map(|(code, _)| code.len()).sum());
        let code_ends = by_index
            .iter()
            .map(|(code, _)| {
                codes.push_str(code);
                codes.len()
            })
            .collect();
        Lookup {
            directory,
            employees: by_index.iter().map(|(_, e)| **e).collect(),
            code_ends,
            codes,
            next: vec![Lookup::NONE; by_index.len()],
            last: None,
        }
    }

    /// How far past the row before's employee, in index order, to look: people absent that
    /// day (or not in the file, such as their team leaders) come between.
    const AHEAD: usize = 8;

    /// The index of `code` if it is one of the likeliest: who followed the row before's
    /// employee last time, then the next few in index order.
    fn guess(&self, code: &str) -> Option<usize> {
        let last = self.last? as usize;
        let followed = self.next[last] as usize;
        let ahead = last + 1..(last + 1 + Lookup::AHEAD).min(self.employees.len());
        std::iter::once(followed).filter(|&i| i < self.employees.len()).chain(ahead).find(|&i| self.code(i) == code)
    }

    fn code(&self, index: usize) -> &str {
        let start = index.checked_sub(1).map_or(0, |before| self.code_ends[before]);
        &self.codes[start..self.code_ends[index]]
    }

    fn get(&mut self, code: &str) -> Option<Employee> {
        if let Some(guess) = self.guess(code) {
            if let Some(last) = self.last {
                self.next[last as usize] = guess as u32;
            }
            self.last = Some(guess as u32);
            return Some(self.employees[guess]);
        }
        let found = self.directory.get(code).copied();
        if let (Some(last), Some(e)) = (self.last, found) {
            self.next[last as usize] = e.index;
        }
        self.last = found.map(|e| e.index);
        found
    }
}

/// Employee ids by dense index, for the facts to name their employee by id again.
fn ids_by_index(employees: &Directory) -> Arc<[i64]> {
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

#[allow(clippy::too_many_arguments)]
fn read_row(
    t: &Table,
    plan: &Plan,
    opts: &Options,
    employees: &mut Lookup<'_>,
    seen: &mut Seen,
    last_date: &mut LastDate,
    facts: &mut Vec<Fact>,
    problems: &mut Vec<Problem>,
) {
    let header = |i: usize| t.headers().get(i).map(String::as_str).unwrap_or("");
    let row = t.row();
    // Employee.
    let code_cell = t.cell(plan.employee);
    let code = code_cell.text();
    if code.is_empty() {
        problems.push(Problem::new(row, header(plan.employee), "", "the employee code is empty"));
        return;
    }
    let Some(employee) = employees.get(&code) else {
        problems.push(Problem::new(row, header(plan.employee), &code, "unknown employee code"));
        return;
    };
    if let Some(allowed) = &opts.allowed {
        if !allowed(&EmployeeRef { id: Some(employee.id), code: &code, team_id: employee.team_id }) {
            problems.push(Problem::new(
                row,
                header(plan.employee),
                &code,
                "not allowed: this employee is outside the people you may import data for",
            ));
            return;
        }
    }
    // Date.
    let date_cell = t.cell(plan.date);
    let day = match last_date.parse(date_cell, &plan.date_formats) {
        Ok(Some(d)) => d,
        Ok(None) => {
            problems.push(Problem::new(row, header(plan.date), "", "the date is empty"));
            return;
        }
        Err(e) => {
            problems.push(Problem::new(row, header(plan.date), &date_cell.display(), e.0));
            return;
        }
    };
    let date_problem = |message: String| Problem::new(row, header(plan.date), &date_cell.display(), message);
    if plan.grain == Grain::Month && !validate::is_first_of_month(day) {
        problems.push(date_problem(format!(
            "wrong period: a monthly file needs a month (YYYY-MM or its first day), not the day {day}"
        )));
        return;
    }
    if day > opts.today {
        problems.push(date_problem(format!("wrong period: {day} is in the future")));
        return;
    }
    if let Some((from, to)) = opts.period {
        let last = match plan.grain {
            Grain::Day => day,
            Grain::Month => ladder_core::period::Month::of(day).last_day(),
        };
        if last < from || day > to {
            problems.push(date_problem(format!("wrong period: {day} is outside the import period {from} to {to}")));
            return;
        }
    }
    let hired = match plan.grain {
        Grain::Day => employee.hire_date,
        Grain::Month => employee.hire_date.with_day(1).expect("day 1 exists"),
    };
    if day < hired {
        problems.push(date_problem(format!("wrong period: {day} is before {code}'s hire date {}", employee.hire_date)));
        return;
    }
    // Metrics.
    match &plan.kind {
        PlanKind::Wide(metrics) => {
            if !seen.insert(day, employee.index, 0) {
                problems.push(Problem::new(
                    row,
                    header(plan.employee),
                    &code,
                    format!("duplicate row: {code} already has a row for {day} earlier in the file"),
                ));
                return;
            }
            let start = facts.len();
            for m in metrics {
                match mapping::sums(t, &m.metric, &m.numerator, m.denominator.as_ref()) {
                    Ok(Some((numerator, denominator))) => {
                        facts.push(Fact::new(employee.index, day, m.metric.position, numerator, denominator))
                    }
                    Ok(None) => {}
                    Err(p) => {
                        // A row is taken whole or not at all.
                        facts.truncate(start);
                        problems.push(p);
                        return;
                    }
                }
            }
        }
        PlanKind::Long { metric_column, numerator, denominator, names } => {
            let cell = t.cell(*metric_column);
            let Some(metric) = mapping::long_metric(names, cell) else {
                problems.push(Problem::new(row, header(*metric_column), &cell.display(), "unknown metric"));
                return;
            };
            let slot = metric.position;
            if !seen.insert(day, employee.index, slot as usize) {
                problems.push(Problem::new(
                    row,
                    header(*metric_column),
                    &cell.display(),
                    format!("duplicate row: {code} already has {} for {day} earlier in the file", metric.id),
                ));
                return;
            }
            match mapping::sums(t, metric, numerator, denominator.as_ref()) {
                Ok(Some((numerator, denominator))) => {
                    facts.push(Fact::new(employee.index, day, slot, numerator, denominator))
                }
                Ok(None) => {}
                Err(p) => problems.push(p),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organisation_or_framework_past_what_a_fact_can_name_is_refused_up_front() {
        assert!(within_limits(merge::MAX_EMPLOYEES, merge::MAX_METRICS).is_ok());
        for (employees, metrics) in [(merge::MAX_EMPLOYEES + 1, 6), (10, merge::MAX_METRICS + 1)] {
            let refused = within_limits(employees, metrics).unwrap_err().to_string();
            assert!(
                refused.contains(&format!("{employees} employees")) && refused.contains(&format!("{metrics} metrics"))
            );
        }
    }

    #[test]
    fn the_lookup_finds_each_code_whatever_the_order_and_knows_no_stranger() {
        let day = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let rows =
            [(1, "A"), (2, "B"), (3, "C"), (4, "D")].map(|(id, code)| (id, code.to_string(), None, day)).to_vec();
        let directory = numbered(rows);
        let mut lookup = Lookup::new(&directory);
        // Day by day in one order, then another, with strangers and repeats between.
        let codes = "A B C D A B C D X A B C D D C B A B A A C D X X A C D A D B";
        for code in codes.split(' ') {
            let found = lookup.get(code).map(|e| e.id);
            assert_eq!(found, directory.get(code).map(|e| e.id), "{code} after {:?}", lookup.last);
        }
    }

    #[test]
    fn employees_are_numbered_densely_in_id_order_even_when_two_organisations_share_a_code() {
        let day = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let rows =
            [(3, "A"), (9, "B"), (12, "A"), (20, "C")].map(|(id, code)| (id, code.to_string(), None, day)).to_vec();
        let directory = numbered(rows);
        let index = |code: &str| (directory[code].id, directory[code].index);
        assert_eq!((index("A"), index("B"), index("C")), ((12, 1), (9, 0), (20, 2)));
        assert_eq!(&*ids_by_index(&directory), &[9, 12, 20]);
    }

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
