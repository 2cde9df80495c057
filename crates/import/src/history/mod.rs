//! `ladder import history`: a person's past as an HR system holds it — performance ratings
//! (year, rating), skill assessments (skill, level, date, assessor) and earned certifications
//! (id, earned, expires) — from CSV or XLSX, one kind a file or several with a `kind` column.
//! Every row is checked first (problems by row and column; people no one is listed once each);
//! then all is written in one transaction, or nothing. With `--skip-bad-rows` the good rows are
//! written and the bad ones go to the rejects file with their reason.

mod rows;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::Utc;
use ladder_core::Framework;
use ladder_store::records::history::{self, Written};
use ladder_store::Db;
use serde::Serialize;

use crate::read::{Input, Table};
use crate::rejects::Rejects;
use crate::validate::Problem;
use crate::{ImportError, Options};
pub use rows::Record;

/// The most rows one history file may have.
pub const MAX_ROWS: u64 = 200_000;

/// What a history file (or a row, with a `kind` column) holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HistoryKind {
    Ratings,
    Skills,
    Certifications,
}

impl HistoryKind {
    pub const ALL: [HistoryKind; 3] = [HistoryKind::Ratings, HistoryKind::Skills, HistoryKind::Certifications];

    pub fn as_str(self) -> &'static str {
        match self {
            HistoryKind::Ratings => "ratings",
            HistoryKind::Skills => "skills",
            HistoryKind::Certifications => "certifications",
        }
    }

    /// `ratings`, `skills` or `certifications`, any case, singular too.
    pub fn parse(text: &str) -> Option<HistoryKind> {
        let t = text.trim().to_ascii_lowercase();
        HistoryKind::ALL.into_iter().find(|k| t == k.as_str() || t == k.as_str().trim_end_matches('s'))
    }
}

/// What a history import did, or would do.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HistoryReport {
    pub file: String,
    pub dry_run: bool,
    pub rows: u64,
    /// Per kind: rows new, updated and unchanged (what a dry run would write).
    pub written: BTreeMap<HistoryKind, Written>,
    /// The first problems (at most `Options::max_problems`), by row and column.
    pub problems: Vec<Problem>,
    pub problem_count: u64,
    /// Employee codes no one has, with the rows naming each, in the order first seen.
    pub unknown: Vec<(String, u64)>,
    pub rows_rejected: u64,
    pub rows_rejected_written: u64,
    pub committed: bool,
}

impl fmt::Display for HistoryReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.dry_run { "Dry run of" } else { "Import of" };
        writeln!(f, "{what} {} (history): {} rows read", self.file, self.rows)?;
        for (kind, w) in &self.written {
            writeln!(f, "  {}: {} new, {} updated, {} unchanged", kind.as_str(), w.new, w.updated, w.unchanged)?;
        }
        if !self.unknown.is_empty() {
            let listed: Vec<String> = self
                .unknown
                .iter()
                .map(|(code, rows)| format!("{code} ({rows} row{})", if *rows == 1 { "" } else { "s" }))
                .collect();
            writeln!(f, "{} unknown employee code(s): {}", self.unknown.len(), listed.join(", "))?;
        }
        if self.problem_count > 0 {
            writeln!(f, "{} problem(s):", self.problem_count)?;
            for p in &self.problems {
                writeln!(f, "  - {p}")?;
            }
            if self.problem_count > self.problems.len() as u64 {
                writeln!(f, "  … and {} more", self.problem_count - self.problems.len() as u64)?;
            }
        }
        if self.rows_rejected > 0 {
            writeln!(f, "{} bad row(s) left out and written to the rejects file.", self.rows_rejected)?;
        }
        if self.committed {
            write!(f, "Written.")
        } else if self.dry_run {
            write!(f, "Nothing was written (dry run).")
        } else {
            write!(f, "Nothing was written: fix the problems and import again, or skip the bad rows.")
        }
    }
}

/// Reads, checks and (unless a dry run or a problem stops it) writes a history file. `kind`
/// is the file's kind; without it the file needs a `kind` column.
pub async fn import(
    db: &Db,
    fw: &Framework,
    input: &Input,
    kind: Option<HistoryKind>,
    opts: &Options,
) -> crate::Result<HistoryReport> {
    let codes: HashMap<String, i64> =
        ladder_store::org::bulk::employee_keys(db).await?.into_iter().map(|(id, code, ..)| (code, id)).collect();
    let (input_copy, fw_copy, opts_copy) = (input.clone(), fw.clone(), opts.clone());
    let read = tokio::task::spawn_blocking(move || read(&input_copy, &fw_copy, kind, &codes, &opts_copy))
        .await
        .map_err(|e| ImportError::Reader(format!("reading the history file: {e}")))??;
    let Read { mut report, records } = read;
    report.dry_run = opts.dry_run;
    let may_write = report.problem_count == 0 || (opts.skip_bad_rows && !records.is_empty());
    let mut tx = db.begin().await?;
    let (ratings, assessments, certifications) = rows::split(records);
    let now = Utc::now();
    let kinds_in_file = report.written.keys().copied().collect::<Vec<_>>();
    for kind in kinds_in_file {
        let written = match kind {
            HistoryKind::Ratings => history::write_ratings(&mut tx, &ratings, now).await?,
            HistoryKind::Skills => history::write_assessments(&mut tx, &assessments).await?,
            HistoryKind::Certifications => history::write_certifications(&mut tx, &certifications).await?,
        };
        report.written.insert(kind, written);
    }
    if opts.dry_run || !may_write {
        tx.rollback().await?;
        return Ok(report);
    }
    // Skills and certifications count towards readiness: the pipeline is computed again.
    tx.commit().await?;
    ladder_store::pipeline::mark_stale(db, None).await?;
    report.committed = true;
    Ok(report)
}

struct Read {
    report: HistoryReport,
    records: Vec<Record>,
}

/// Reads every row; the good ones as records, the others as problems (and rejects).
fn read(
    input: &Input,
    fw: &Framework,
    kind: Option<HistoryKind>,
    codes: &HashMap<String, i64>,
    opts: &Options,
) -> crate::Result<Read> {
    let mut report = HistoryReport { file: input.name.clone(), ..HistoryReport::default() };
    let keys = vec![rows::EMPLOYEE.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    let mut table = match Table::open(input, &keys) {
        Ok(t) => t,
        Err(crate::read::ReadError::NoHeader(_, found)) => {
            add(&mut report, Problem::file(found), opts);
            return Ok(Read { report, records: Vec::new() });
        }
        Err(e) => return Err(e.into()),
    };
    let columns = match rows::Columns::find(&table, kind) {
        Ok(c) => c,
        Err(p) => {
            add(&mut report, p, opts);
            return Ok(Read { report, records: Vec::new() });
        }
    };
    let mut rejects = match opts.rejects.as_deref().filter(|_| opts.skip_bad_rows) {
        Some(path) => Some(Rejects::create(path).map_err(|e| rejects_failed(path, e))?),
        None => None,
    };
    let mut unknown: Vec<(String, u64)> = Vec::new();
    let mut records = Vec::new();
    while table.next_row()? {
        if table.is_blank() {
            continue;
        }
        report.rows += 1;
        if report.rows > MAX_ROWS {
            add(&mut report, Problem::file(format!("a history file has at most {MAX_ROWS} rows; split it")), opts);
            return Ok(Read { report, records: Vec::new() });
        }
        let parsed = match table.bad_text() {
            Some(p) => Err(p),
            None => rows::parse(&table, &columns, fw, codes, opts.today),
        };
        match parsed {
            Ok(r) => {
                report.written.entry(r.kind()).or_default();
                records.push(r);
            }
            Err(p) => {
                if p.message == rows::UNKNOWN_EMPLOYEE {
                    match unknown.iter().position(|(code, _)| *code == p.value) {
                        Some(at) => unknown[at].1 += 1,
                        None if unknown.len() < 1_000 => unknown.push((p.value.clone(), 1)),
                        None => {}
                    }
                }
                if let Some(out) = &mut rejects {
                    let path = opts.rejects.as_deref().expect("a rejects file is open");
                    out.write(&table, std::slice::from_ref(&p)).map_err(|e| rejects_failed(path, e))?;
                    report.rows_rejected += 1;
                }
                add(&mut report, p, opts);
            }
        }
    }
    table.finish()?;
    if let (Some(out), Some(path)) = (rejects, opts.rejects.as_deref()) {
        report.rows_rejected_written = out.finish().map_err(|e| rejects_failed(path, e))?;
    }
    report.unknown = unknown;
    Ok(Read { report, records })
}

fn add(report: &mut HistoryReport, p: Problem, opts: &Options) {
    report.problem_count += 1;
    if report.problems.len() < opts.max_problems {
        report.problems.push(p);
    }
}

fn rejects_failed(path: &std::path::Path, e: std::io::Error) -> ImportError {
    ImportError::Reader(format!("writing the rejects file {}: {e}", path.display()))
}
