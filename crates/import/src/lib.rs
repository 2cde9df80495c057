//! # ladder-import
//!
//! Bulk data into Ladder: people and structure ([`people`]) and KRA facts ([`kpi`]) from CSV or
//! XLSX, mapped with presets for contact-centre platforms' exports or a user's own mapping file
//! ([`mapping`]); synthetic organisations and KPI files for tests and benchmarks ([`gen`]); and
//! scoring every employee-month from the stored actuals ([`rescore`]).
//!
//! Every import is all-or-nothing: it runs in one transaction, and nothing is written when any
//! row has a problem. A dry run does the same work and rolls back, so it reports exactly what a
//! real run would change. PostgreSQL loads rows with `COPY` into a staging table, then upserts;
//! SQLite upserts with prepared multi-row statements. See docs/import.md.

pub mod condition;
pub mod gen;
pub mod history;
pub mod kpi;
pub mod mapping;
mod merge;
pub mod people;
pub mod postings;
pub mod postings_gen;
pub mod postings_table;
pub mod read;
pub mod rejects;
pub mod report;
pub mod rescore;
pub mod shifts;
mod sorting;
mod spill;
pub mod validate;
mod write;
pub mod xlsx;

use std::sync::Arc;

use chrono::NaiveDate;
use ladder_core::{EmployeeId, TeamId, UserId};

pub use mapping::Mapping;
pub use read::Input;
pub use report::{Counts, ProblemGroup, Replacement, Report};
pub use validate::Problem;

/// The employee a row is about, for the caller's permission check.
#[derive(Debug, Clone, Copy)]
pub struct EmployeeRef<'a> {
    /// `None` for a person the import would create.
    pub id: Option<EmployeeId>,
    pub code: &'a str,
    /// The team the employee is in now (or, for a new person, the existing team they would join).
    pub team_id: Option<TeamId>,
}

/// Decides whether the caller may import rows about an employee. Rows it refuses are problems.
pub type EmployeeFilter = Arc<dyn Fn(&EmployeeRef<'_>) -> bool + Send + Sync>;

/// The problem of a row about the importer themselves ([`Options::importer`]).
pub(crate) const OWN_RECORD: &str =
    "not allowed: this is your own record, and no one imports their own figures, role or hire date";

/// Where an import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Reading and checking rows (a KPI file's facts are sorted as they come).
    Reading,
    /// Writing the sorted facts, merged with what is stored.
    Writing,
    /// Recomputing monthly actuals and counting changes.
    Summarising,
    /// Committing (or, for a dry run or a failed import, rolling back).
    Finishing,
}

#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub rows: u64,
    pub bytes: u64,
    pub total_bytes: u64,
    /// While writing: the facts written so far and in all.
    pub written: u64,
    pub to_write: u64,
}

impl Progress {
    /// A phase's progress without a count of its own (reading, and the short last phases).
    pub fn of_file(phase: Phase, rows: u64, bytes: u64, total_bytes: u64) -> Progress {
        Progress { phase, rows, bytes, total_bytes, written: 0, to_write: 0 }
    }

    /// The share of the current phase done, 0–1.
    pub fn fraction(&self) -> f64 {
        let (done, total) = match self.phase {
            Phase::Writing => (self.written, self.to_write),
            _ => (self.bytes, self.total_bytes),
        };
        if total == 0 {
            0.0
        } else {
            (done as f64 / total as f64).min(1.0)
        }
    }
}

pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// How an import runs.
#[derive(Clone)]
pub struct Options {
    /// Do everything, report, then roll back.
    pub dry_run: bool,
    /// Only rows about employees this accepts are imported; others are problems.
    pub allowed: Option<EmployeeFilter>,
    pub progress: Option<ProgressFn>,
    /// The user recorded in `imports.imported_by` and in the audit trail of everyone changed.
    pub imported_by: Option<UserId>,
    /// The importer's own employee record: rows about it are refused, as no one manages
    /// themselves (their figures, role and hire date are someone else's to import).
    pub importer: Option<EmployeeId>,
    /// Dates after this are refused (the future); also the date of role and team moves that
    /// a people file does not date.
    pub today: NaiveDate,
    /// When set, KPI rows outside these dates (inclusive) are problems.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// KPI rows about people no one is known as are left out and listed in the report
    /// ([`Report::unknown`]) instead of being problems: template, QA and admin users in an export.
    pub ignore_unknown: bool,
    /// The date of every row of a file with no date column (`--date`).
    pub date: Option<NaiveDate>,
    /// A row whose interval crosses a month end is spread over its months by time, instead of
    /// being refused (`--split-intervals`).
    pub split_intervals: bool,
    /// How many problems are listed (all are counted).
    pub max_problems: usize,
    /// The organisation created when the database has none (people import).
    pub organisation_name: String,
    /// About how many (employee, month, metric) groups of a KPI file are merged and written
    /// at a time; a batch never splits an employee's month. Tests make it small.
    pub groups_per_batch: usize,
    /// Let a file replace stored figures with less (part-month days over a month's figure, a
    /// month's figure over more days): refused otherwise, and a dry run lists them.
    pub replace_months: bool,
    /// Write the good rows and leave the bad ones out (to [`Options::rejects`]), instead of
    /// writing nothing. A problem with the file as a whole still stops it.
    pub skip_bad_rows: bool,
    /// Where the rows left out go (CSV: the file's header and the rows as they were, plus a
    /// `reason` column).
    pub rejects: Option<std::path::PathBuf>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            dry_run: false,
            allowed: None,
            progress: None,
            imported_by: None,
            importer: None,
            today: chrono::Utc::now().date_naive(),
            period: None,
            ignore_unknown: false,
            date: None,
            split_intervals: false,
            max_problems: 1000,
            organisation_name: "My organisation".into(),
            groups_per_batch: kpi::GROUPS_PER_BATCH,
            replace_months: false,
            skip_bad_rows: false,
            rejects: None,
        }
    }
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("dry_run", &self.dry_run)
            .field("allowed", &self.allowed.is_some())
            .field("today", &self.today)
            .field("period", &self.period)
            .field("ignore_unknown", &self.ignore_unknown)
            .field("replace_months", &self.replace_months)
            .field("skip_bad_rows", &self.skip_bad_rows)
            .field("date", &self.date)
            .field("split_intervals", &self.split_intervals)
            .finish()
    }
}

impl Options {
    /// The one calendar month `period` covers exactly (`--period YYYY-MM`), if it does.
    pub(crate) fn period_month(&self) -> Option<ladder_core::period::Month> {
        let (from, to) = self.period?;
        let month = ladder_core::period::Month::of(from);
        (from == month.first_day() && to == month.last_day()).then_some(month)
    }

    pub(crate) fn report_progress(&self, p: Progress) {
        if let Some(f) = &self.progress {
            f(&p);
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Mapping(#[from] mapping::MappingError),
    #[error(transparent)]
    Read(#[from] read::ReadError),
    #[error(transparent)]
    Store(#[from] ladder_store::StoreError),
    #[error("damaged data in the database: {0}")]
    Damaged(String),
    #[error("sorting the facts in a temporary file: {0}")]
    Sort(#[from] std::io::Error),
    #[error("the reader stopped unexpectedly: {0}")]
    Reader(String),
    #[error("too large for one import: {0}")]
    Limit(String),
}

pub type Result<T> = std::result::Result<T, ImportError>;
