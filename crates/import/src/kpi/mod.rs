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

mod interval;
mod lookup;
mod reader;
mod rows;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use ladder_core::identity::Platform;
use ladder_core::metric::Sums;
use ladder_core::Framework;
use ladder_store::org::identities;
use ladder_store::Db;

use crate::mapping::{self, Grain, Mapping};
use crate::merge;
use crate::read::Input;
use crate::report::{Kind, Replacement, Report};
use crate::validate::Problem;
use crate::write::{ImportStart, Writer};
use crate::{ImportError, Options, Phase, Progress};
use reader::Msg;

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
    /// The time zone of the person's site: a timestamp with an offset is read in it.
    pub zone: Option<chrono_tz::Tz>,
    /// Dense index in id order: the duplicate check's bit, and the employee in a fact's sort key.
    pub index: u32,
}

/// Employees by code, with a fast hash: every row of a file looks one up.
pub(crate) type Codes = HashMap<String, Employee, foldhash::fast::RandomState>;

/// Employees by code ([`Codes`], which it derefs to), and by the other names a platform's file
/// may give them ([`Aliases`]).
#[derive(Default)]
pub(crate) struct Directory {
    codes: Codes,
    pub aliases: Aliases,
    /// The platform whose identifiers the file gives, for the message about an unknown user.
    pub platform: Option<Platform>,
}

impl Directory {
    /// What a row naming no one is told.
    pub fn unknown_message(&self) -> String {
        match self.platform {
            None | Some(Platform::Wfm) => "unknown employee code".into(),
            Some(p) => format!(
                "unknown employee code or {label}: give people theirs in the people file's {column} column, \
                 or leave such users out with --ignore-unknown",
                label = p.label(),
                column = p.column()
            ),
        }
    }
}

impl std::ops::Deref for Directory {
    type Target = Codes;
    fn deref(&self) -> &Codes {
        &self.codes
    }
}

/// A platform's identifiers and unique WFM display names, each to an employee's dense index.
#[derive(Default)]
pub(crate) struct Aliases {
    /// Matched before codes.
    pub ids: HashMap<String, u32, foldhash::fast::RandomState>,
    /// Matched after codes: only names no two people share.
    pub names: HashMap<String, u32, foldhash::fast::RandomState>,
}

impl Aliases {
    /// The aliases of `platform` from its stored identifiers and everyone's WFM display names,
    /// given (employee id, value) pairs and the directory's indexes by id.
    fn new(ids: Vec<(i64, String)>, names: Vec<(i64, String)>, index_of: &HashMap<i64, u32>) -> Aliases {
        let mut aliases = Aliases::default();
        aliases.ids.extend(ids.into_iter().filter_map(|(id, value)| Some((value, *index_of.get(&id)?))));
        let mut seen: HashMap<String, Option<u32>> = HashMap::new();
        for (id, name) in names {
            let Some(&index) = index_of.get(&id) else { continue };
            // A name two people share matches neither.
            seen.entry(name).and_modify(|e| *e = None).or_insert(Some(index));
        }
        aliases.names.extend(seen.into_iter().filter_map(|(name, index)| Some((name, index?))));
        aliases
    }
}

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

/// Every employee by code, and by the identifiers of `platform` (with unique WFM display names)
/// when the file names people as a platform does.
pub(crate) async fn directory(db: &Db, platform: Option<Platform>) -> Result<Directory, ImportError> {
    let mut directory = numbered(ladder_store::org::bulk::employee_keys(db).await?);
    let extras: HashMap<i64, (Option<String>, String)> = ladder_store::org::bulk::employee_zones(db)
        .await?
        .into_iter()
        .map(|(id, zone, basis)| (id, (zone, basis)))
        .collect();
    for employee in directory.codes.values_mut() {
        let Some((zone, basis)) = extras.get(&employee.id) else { continue };
        employee.zone = zone.as_deref().and_then(|z| z.trim().parse().ok());
        // An unknown hire date counts from the first figures: no figure is before it.
        if basis == "unknown" {
            employee.hire_date = NaiveDate::MIN;
        }
    }
    if let Some(platform) = platform {
        let index_of: HashMap<i64, u32> = directory.values().map(|e| (e.id, e.index)).collect();
        let ids = match platform {
            Platform::Wfm => Vec::new(),
            p => identities::for_platform(db, p.as_str()).await?,
        };
        let names = identities::for_platform(db, Platform::Wfm.as_str()).await?;
        directory.aliases = Aliases::new(ids, names, &index_of);
        directory.platform = Some(platform);
    }
    Ok(directory)
}

/// The directory of `(id, code, team, hire date)` rows, numbered in id order.
fn numbered(rows: Vec<(i64, String, Option<i64>, NaiveDate)>) -> Directory {
    let mut codes: Codes = rows
        .into_iter()
        .map(|(id, code, team_id, hire_date)| (code, Employee { id, team_id, hire_date, zone: None, index: 0 }))
        .collect();
    // Numbered after the map is built: a code held in two organisations keeps one entry (the
    // later id, as before), and the indexes stay dense, below the directory's size.
    let mut by_id: Vec<&mut Employee> = codes.values_mut().collect();
    by_id.sort_unstable_by_key(|e| e.id);
    for (index, employee) in by_id.into_iter().enumerate() {
        employee.index = index as u32;
    }
    Directory { codes, aliases: Aliases::default(), platform: None }
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
    let employees = Arc::new(directory(db, mapping.platform()).await?);
    within_limits(employees.len(), fw.metrics.len())?;
    let mapping = &interval_grain(mapping, fw, input, opts).await?;
    // A pipe cannot be read twice, so it is sorted whole, as a file out of month order is; so
    // is a file whose rows are spread over months, as one row then feeds two months.
    let mut by_month = input.can_be_read_again() && !opts.split_intervals;
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

/// [`with_interval_grain`] off the async runtime: it opens and reads the file (an XLSX is
/// parsed whole).
async fn interval_grain(mapping: &Mapping, fw: &Framework, input: &Input, opts: &Options) -> crate::Result<Mapping> {
    if mapping.interval_end.is_none() {
        return Ok(mapping.clone());
    }
    let (mapping, fw, input, opts) = (mapping.clone(), fw.clone(), input.clone(), opts.clone());
    tokio::task::spawn_blocking(move || with_interval_grain(&mapping, &fw, &input, &opts))
        .await
        .map_err(|e| ImportError::Reader(format!("reading the file's first interval: {e}")))?
}

/// The mapping, with the grain its intervals give: a file whose first row covers more than a day
/// counts for months (stored as monthly figures). Only its first data row is read for this.
fn with_interval_grain(mapping: &Mapping, fw: &Framework, input: &Input, opts: &Options) -> crate::Result<Mapping> {
    let mut mapping = mapping.clone();
    if mapping.interval_end.is_none() || !input.can_be_read_again() {
        return Ok(mapping);
    }
    let mut table = match crate::read::Table::open(input, &mapping.keys()) {
        Ok(t) => t,
        // The import's own read reports it.
        Err(crate::read::ReadError::NoHeader(..)) => return Ok(mapping),
        Err(e) => return Err(e.into()),
    };
    let Ok(plan) = crate::mapping::Plan::compile(&mapping, fw, &table, reader::file_date(&mapping, input, opts)) else {
        return Ok(mapping);
    };
    let (mapping::DateSource::Column(start), Some(end)) = (plan.date, plan.interval_end) else { return Ok(mapping) };
    while table.next_row()? {
        let read = |i| crate::validate::timestamp(table.cell(i), &plan.date_formats);
        if let (Ok(Some(from)), Ok(Some(to))) = (read(start), read(end)) {
            if interval::longer_than_a_day(from, to) {
                mapping.grain = Grain::Month;
            }
            break;
        }
    }
    Ok(mapping)
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
                .spawn(move || reader::read_file(&mapping, &fw, &input, &opts, &employees, by_month, tx))
                .map_err(|e| ImportError::Reader(format!("starting the reader thread: {e}")))?
        };

        let start = ImportStart {
            file_name: input.name.clone(),
            mapping: mapping.name.clone(),
            started_at: self.started_at,
            imported_by: opts.imported_by,
        };
        let mut writer =
            Writer::begin(db, opts.dry_run, mapping.grain, start, metrics.clone(), chrono::Utc::now()).await?;
        let read = receive(&mut rx, &mut writer, &mut report, opts).await?;
        // Unblocks and ends the reader and the sorting thread if the file was not read to the end.
        drop(rx);
        reader.join().map_err(|_| ImportError::Reader("the reader thread panicked".into()))?;
        let names = Names { employees: self.employees, metrics: &metrics, fw };
        conclude(writer, report, read, mapping.grain, opts, names).await
    }
}

/// How the reading ended.
enum Ending {
    /// The whole file was read: its SHA-256.
    Done(String),
    /// A row of a month already written: the file is not in month order.
    Unordered,
    Failed(ImportError),
    /// The reader stopped without saying why.
    CutShort,
}

/// What the reading thread told the import.
struct Read {
    total_bytes: u64,
    ending: Ending,
}

/// Takes in the reader's messages, writing the groups it sends, until it is done or stops.
async fn receive(
    rx: &mut tokio::sync::mpsc::Receiver<Msg>,
    writer: &mut Writer,
    report: &mut Report,
    opts: &Options,
) -> crate::Result<Read> {
    let mut total_bytes = 0;
    let mut done = None;
    while let Some(msg) = rx.recv().await {
        match msg {
            Msg::Opened { total_bytes: t } => total_bytes = t,
            Msg::Read { problems, warnings, rows, bytes } => {
                for p in problems {
                    report.add_problem(p, opts.max_problems);
                }
                for w in warnings {
                    report.add_warning(w, opts.max_problems);
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
            Msg::Blocking(problems) => {
                for p in problems {
                    report.add_blocking(p, opts.max_problems);
                }
            }
            Msg::Done { sha256, rows, unknown, touched, skipped } => {
                report.rows = rows;
                report.unknown = unknown;
                report.skipped = skipped;
                report.months =
                    touched.months.iter().map(|&m| merge::month_start(m).format("%Y-%m").to_string()).collect();
                report.people = touched.people_count;
                report.rows_rejected = if opts.skip_bad_rows { touched.rejected } else { 0 };
                report.rows_rejected_written = if opts.skip_bad_rows { touched.rejected_written } else { 0 };
                done = Some(sha256);
            }
            Msg::Unordered => return Ok(Read { total_bytes, ending: Ending::Unordered }),
            Msg::Failed(e) => return Ok(Read { total_bytes, ending: Ending::Failed(e) }),
        }
    }
    Ok(Read { total_bytes, ending: done.map_or(Ending::CutShort, Ending::Done) })
}

/// Counts what the import changed and commits it, or rolls it back (a dry run, a problem, a file
/// out of month order: `None`, a failure).
async fn conclude(
    mut writer: Writer,
    mut report: Report,
    read: Read,
    grain: Grain,
    opts: &Options,
    names: Names<'_>,
) -> crate::Result<Option<Report>> {
    let sha256 = match read.ending {
        Ending::Done(sha256) => sha256,
        Ending::Failed(e) => {
            writer.rollback().await?;
            return Err(e);
        }
        Ending::Unordered => {
            writer.rollback().await?;
            return Ok(None);
        }
        Ending::CutShort => {
            writer.rollback().await?;
            return Err(ImportError::Reader("the file was not read to the end".into()));
        }
    };
    report.sha256 = Some(sha256.clone());

    let total_bytes = read.total_bytes;
    let progress = |phase, report: &Report| Progress::of_file(phase, report.rows, total_bytes, total_bytes);
    if !report.may_commit(opts.skip_bad_rows) && !opts.dry_run {
        // Months cut off before the problem were written; they are not counted, as nothing is kept.
        opts.report_progress(progress(Phase::Finishing, &report));
        writer.rollback().await?;
        return Ok(Some(report));
    }
    opts.report_progress(progress(Phase::Summarising, &report));
    let (facts, monthly) = writer.finish().await?;
    replacements(&writer, &mut report, &names, grain, opts);
    let label = match grain {
        Grain::Day => "daily facts",
        Grain::Month => "monthly actuals",
    };
    report.counts.push((label.to_string(), facts));
    if let Some(m) = monthly {
        report.counts.push(("monthly actuals".to_string(), m));
    }
    opts.report_progress(progress(Phase::Finishing, &report));
    if opts.dry_run || !report.may_commit(opts.skip_bad_rows) {
        writer.rollback().await?;
    } else {
        let id = writer.record_import(&sha256, report.rows, facts).await?;
        writer.commit().await?;
        report.committed = true;
        report.import_id = Some(id);
    }
    Ok(Some(report))
}

/// What the report names employees and metrics by.
struct Names<'a> {
    employees: &'a Directory,
    metrics: &'a [Arc<str>],
    /// Each metric's unit and what its volume counts.
    fw: &'a Framework,
}

/// Puts the stored figures the file replaces with less in the report; without
/// [`Options::replace_months`] they stop the import, saying how to go on.
fn replacements(writer: &Writer, report: &mut Report, names: &Names<'_>, grain: Grain, opts: &Options) {
    let (swaps, count) = writer.swaps();
    if count == 0 {
        return;
    }
    let wanted: std::collections::HashSet<i64> = swaps.iter().map(|s| s.employee_id).collect();
    let codes: HashMap<i64, &str> =
        names.employees.iter().filter(|(_, e)| wanted.contains(&e.id)).map(|(code, e)| (e.id, code.as_str())).collect();
    // A monthly file's swap over a stored monthly figure lists no days before.
    let what = |s: &merge::Swap| match grain {
        Grain::Day => "days over a monthly figure",
        Grain::Month if s.before.2 == 0 => "a monthly figure over a monthly figure",
        Grain::Month => "a monthly figure over days",
    };
    report.replacement_count = count;
    report.replacements = swaps
        .iter()
        .map(|s| {
            let id = &names.metrics[s.metric as usize];
            let metric = names.fw.metrics.iter().find(|m| m.id == id.as_ref());
            let volume = names.fw.scoring.min_volume(id).map(|v| v.unit.as_str());
            let figure =
                |(n, d): (f64, f64)| metric.map_or_else(|| format!("{n} ÷ {d}"), |m| m.figure(Sums::new(n, d), volume));
            Replacement {
                employee: codes.get(&s.employee_id).map_or_else(|| s.employee_id.to_string(), |c| c.to_string()),
                month: merge::month_start(s.month).format("%Y-%m").to_string(),
                metric: names.metrics[s.metric as usize].to_string(),
                what: what(s).to_string(),
                before_numerator: s.before.0,
                before_denominator: s.before.1,
                before_days: s.before.2,
                after_numerator: s.after.0,
                after_denominator: s.after.1,
                after_days: s.after.2,
                metric_name: metric.map_or_else(|| id.to_string(), |m| m.name.clone()),
                before: figure((s.before.0, s.before.1)),
                after: figure((s.after.0, s.after.1)),
            }
        })
        .collect();
    if !opts.replace_months {
        let message = match grain {
            Grain::Day => format!(
                "partial months: the file's days would replace {count} whole-month figure(s) stored before \
                 (listed above, before → after); import the whole month, or choose to replace them \
                 (--replace-months, or \"Replace stored months\" on the page)"
            ),
            Grain::Month => format!(
                "partial months: the file's monthly figures would replace {count} stored figure(s) that counted \
                 more, or a stored figure with part of a month (listed above, before → after); check the file \
                 covers whole months, or choose to replace them (--replace-months, or \"Replace stored months\" \
                 on the page)"
            ),
        };
        report.add_blocking(Problem::file(message), opts.max_problems);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reader::ids_by_index;

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
    fn employees_are_numbered_densely_in_id_order_even_when_two_organisations_share_a_code() {
        let day = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let rows =
            [(3, "A"), (9, "B"), (12, "A"), (20, "C")].map(|(id, code)| (id, code.to_string(), None, day)).to_vec();
        let directory = numbered(rows);
        let index = |code: &str| (directory[code].id, directory[code].index);
        assert_eq!((index("A"), index("B"), index("C")), ((12, 1), (9, 0), (20, 2)));
        assert_eq!(&*ids_by_index(&directory), &[9, 12, 20]);
    }
}
