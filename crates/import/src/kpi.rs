//! Importing KRA facts: daily (or monthly) rows per employee, mapped to framework metrics as
//! numerator and denominator sums.
//!
//! A reader thread streams the file, checks every row and sends batches of facts over a bounded
//! channel; the async side loads them into the database inside one transaction. Daily facts go
//! to `kpi_daily`, then the monthly sums of every (employee, month) they changed are recomputed
//! from `kpi_daily` into `kra_actuals` (source 'import') in the same transaction. Monthly files go
//! straight to `kra_actuals`. When any row has a problem nothing is committed; a dry run always
//! rolls back, after counting what would change.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use ladder_core::Framework;
use ladder_store::Db;

use crate::mapping::{self, Grain, Mapping, Plan, PlanKind};
use crate::read::{Input, Table};
use crate::report::{Kind, Report};
use crate::validate::{self, Problem};
use crate::{EmployeeRef, ImportError, Options, Phase, Progress};

/// Facts sent to the database at a time.
const BATCH: usize = 16_384;

/// One fact: the sums of one metric for one employee and day (or month, as its first day).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fact {
    pub employee_id: i64,
    pub day: NaiveDate,
    /// Position in the framework's metric list.
    pub metric: u16,
    pub numerator: f64,
    pub denominator: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct Employee {
    pub id: i64,
    pub team_id: Option<i64>,
    pub hire_date: NaiveDate,
    /// Dense index, for the duplicate check.
    pub index: u32,
}

/// Every employee by code.
pub(crate) async fn directory(db: &Db) -> Result<HashMap<String, Employee>, ImportError> {
    let sql = "SELECT id, code, team_id, hire_date FROM employees ORDER BY id";
    let rows: Vec<(i64, String, Option<i64>, NaiveDate)> =
        ladder_store::on_db!(db, p => sqlx::query_as(sql).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, (id, code, team_id, hire_date))| (code, Employee { id, team_id, hire_date, index: i as u32 }))
        .collect())
}

enum Msg {
    Opened { total_bytes: u64 },
    Batch { facts: Vec<Fact>, problems: Vec<Problem>, rows: u64, bytes: u64 },
    Done { sha256: String, rows: u64 },
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
    let mut report = Report::new(Kind::Kpi, &input.name, &mapping.name, opts.dry_run);
    let employees = Arc::new(directory(db).await?);
    let metrics: Arc<Vec<Arc<str>>> = Arc::new(fw.metrics.iter().map(|m| Arc::from(m.id.as_str())).collect());

    let (tx, mut rx) = tokio::sync::mpsc::channel::<Msg>(4);
    let reader = {
        let (mapping, fw, input, opts, employees) =
            (mapping.clone(), fw.clone(), input.clone(), opts.clone(), employees.clone());
        std::thread::spawn(move || read_file(&mapping, &fw, &input, &opts, &employees, tx))
    };

    let mut writer = Writer::begin(db, mapping.grain, &input.name, metrics.clone()).await?;
    let mut total_bytes = 0;
    let mut done = None;
    let mut failure = None;
    while let Some(msg) = rx.recv().await {
        match msg {
            Msg::Opened { total_bytes: t } => total_bytes = t,
            Msg::Batch { facts, problems, rows, bytes } => {
                for p in problems {
                    report.add_problem(p, opts.max_problems);
                }
                // A real run that has met a problem will be rolled back: stop loading. A dry run
                // goes on, to count what the good rows would change.
                if opts.dry_run || report.problem_count == 0 {
                    writer.write(&facts).await?;
                }
                report.rows = rows;
                opts.report_progress(Progress { phase: Phase::Reading, rows, bytes, total_bytes });
            }
            Msg::Done { sha256, rows } => {
                report.rows = rows;
                done = Some(sha256);
            }
            Msg::Failed(e) => failure = Some(e),
        }
    }
    reader.join().map_err(|_| ImportError::Reader("the reader thread panicked".into()))?;
    if let Some(e) = failure {
        writer.rollback().await?;
        return Err(e);
    }
    let Some(sha256) = done else {
        writer.rollback().await?;
        return Err(ImportError::Reader("the file was not read to the end".into()));
    };
    report.sha256 = Some(sha256.clone());

    let progress = |phase| Progress { phase, rows: report.rows, bytes: total_bytes, total_bytes };
    opts.report_progress(progress(Phase::Summarising));
    let (facts, monthly) = writer.finish(chrono::Utc::now()).await?;
    let label = match mapping.grain {
        Grain::Day => "daily facts",
        Grain::Month => "monthly actuals",
    };
    report.counts.push((label.to_string(), facts));
    if let Some(m) = monthly {
        report.counts.push(("monthly actuals".to_string(), m));
    }
    opts.report_progress(progress(Phase::Finishing));
    if opts.dry_run || report.problem_count > 0 {
        writer.rollback().await?;
    } else {
        let id = writer
            .record_import(&crate::ImportLog {
                kind: Kind::Kpi,
                file_name: &input.name,
                sha256: &sha256,
                mapping: &mapping.name,
                rows: report.rows,
                counts: facts,
                started_at,
                imported_by: opts.imported_by,
            })
            .await?;
        writer.commit().await?;
        report.committed = true;
        report.import_id = Some(id);
    }
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// The backend's bulk path.
enum Writer {
    Sqlite(crate::write_sqlite::SqliteWriter),
    Postgres(crate::write_postgres::PgWriter),
}

impl Writer {
    async fn begin(db: &Db, grain: Grain, source_file: &str, metrics: Arc<Vec<Arc<str>>>) -> crate::Result<Writer> {
        Ok(match db {
            Db::Sqlite(p) => {
                Writer::Sqlite(crate::write_sqlite::SqliteWriter::begin(p, grain, source_file, metrics).await?)
            }
            Db::Postgres(p) => {
                Writer::Postgres(crate::write_postgres::PgWriter::begin(p, grain, source_file, metrics).await?)
            }
        })
    }
    async fn write(&mut self, facts: &[Fact]) -> crate::Result<()> {
        match self {
            Writer::Sqlite(w) => w.write(facts).await?,
            Writer::Postgres(w) => w.write(facts).await?,
        }
        Ok(())
    }
    async fn finish(
        &mut self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<(crate::Counts, Option<crate::Counts>)> {
        Ok(match self {
            Writer::Sqlite(w) => w.finish(now).await?,
            Writer::Postgres(w) => w.finish(now).await?,
        })
    }
    async fn record_import(&mut self, log: &crate::ImportLog<'_>) -> crate::Result<i64> {
        Ok(match self {
            Writer::Sqlite(w) => crate::write_sqlite::record_import(w.connection(), log).await?,
            Writer::Postgres(w) => crate::write_postgres::record_import(w.connection(), log).await?,
        })
    }
    async fn commit(self) -> crate::Result<()> {
        match self {
            Writer::Sqlite(w) => w.commit().await?,
            Writer::Postgres(w) => w.commit().await?,
        }
        Ok(())
    }
    async fn rollback(self) -> crate::Result<()> {
        match self {
            Writer::Sqlite(w) => w.rollback().await?,
            Writer::Postgres(w) => w.rollback().await?,
        }
        Ok(())
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

fn read_file(
    mapping: &Mapping,
    fw: &Framework,
    input: &Input,
    opts: &Options,
    employees: &HashMap<String, Employee>,
    tx: tokio::sync::mpsc::Sender<Msg>,
) {
    let send = |m: Msg| tx.blocking_send(m).is_ok();
    let mut table = match Table::open(input, &mapping.keys()) {
        Ok(t) => t,
        Err(crate::read::ReadError::NoHeader(_, wanted)) => {
            let p = Problem::file(format!("missing column: no header row names {wanted}"));
            send(Msg::Batch { facts: vec![], problems: vec![p], rows: 0, bytes: 0 });
            send(Msg::Done { sha256: String::new(), rows: 0 });
            return;
        }
        Err(e) => {
            send(Msg::Failed(e.into()));
            return;
        }
    };
    if !send(Msg::Opened { total_bytes: table.total_bytes() }) {
        return;
    }
    let plan = match Plan::compile(mapping, fw, &table) {
        Ok(p) => p,
        Err(problems) => {
            send(Msg::Batch { facts: vec![], problems, rows: 0, bytes: 0 });
            send(Msg::Done { sha256: String::new(), rows: 0 });
            return;
        }
    };
    let position: HashMap<&str, u16> = fw.metrics.iter().enumerate().map(|(i, m)| (m.id.as_str(), i as u16)).collect();
    let slots = match plan.kind {
        PlanKind::Wide(_) => 1,
        PlanKind::Long { .. } => fw.metrics.len(),
    };
    let mut seen = Seen::new(employees.len(), slots);
    let counter = table.bytes_read();
    let mut facts = Vec::with_capacity(BATCH);
    let mut problems = Vec::new();
    let mut rows = 0u64;
    loop {
        match table.next_row() {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                send(Msg::Failed(e.into()));
                return;
            }
        }
        if table.is_blank() {
            continue;
        }
        rows += 1;
        read_row(&table, &plan, opts, employees, &position, &mut seen, &mut facts, &mut problems);
        if facts.len() >= BATCH || problems.len() >= BATCH {
            let batch = std::mem::replace(&mut facts, Vec::with_capacity(BATCH));
            let ok =
                send(Msg::Batch { facts: batch, problems: std::mem::take(&mut problems), rows, bytes: counter.get() });
            if !ok {
                return;
            }
        }
    }
    send(Msg::Batch { facts, problems, rows, bytes: counter.get() });
    match table.finish() {
        Ok(sha256) => send(Msg::Done { sha256, rows }),
        Err(e) => send(Msg::Failed(e.into())),
    };
}

#[allow(clippy::too_many_arguments)]
fn read_row(
    t: &Table,
    plan: &Plan,
    opts: &Options,
    employees: &HashMap<String, Employee>,
    position: &HashMap<&str, u16>,
    seen: &mut Seen,
    facts: &mut Vec<Fact>,
    problems: &mut Vec<Problem>,
) {
    let header = |i: usize| t.headers().get(i).map(String::as_str).unwrap_or("");
    let row = t.row();
    // Employee.
    let code_cell = t.cell(plan.employee);
    let code = code_cell.display();
    if code.is_empty() {
        problems.push(Problem::new(row, header(plan.employee), "", "the employee code is empty"));
        return;
    }
    let Some(employee) = employees.get(code.as_str()) else {
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
    let day = match validate::date(date_cell, &plan.date_formats) {
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
                    Ok(Some((numerator, denominator))) => facts.push(Fact {
                        employee_id: employee.id,
                        day,
                        metric: position[m.metric.id.as_ref()],
                        numerator,
                        denominator,
                    }),
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
            let slot = position[metric.id.as_ref()];
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
                    facts.push(Fact { employee_id: employee.id, day, metric: slot, numerator, denominator })
                }
                Ok(None) => {}
                Err(p) => problems.push(p),
            }
        }
    }
}
