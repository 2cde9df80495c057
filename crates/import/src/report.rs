//! What an import did (or, for a dry run, would do), as data and as text.

use std::fmt;

use serde::Serialize;

use crate::validate::Problem;

/// New, updated and unchanged rows of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl Counts {
    pub fn changed(&self) -> u64 {
        self.new + self.updated
    }
    pub fn total(&self) -> u64 {
        self.new + self.updated + self.unchanged
    }
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.new += other.new;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} new, {} updated, {} unchanged", self.new, self.updated, self.unchanged)
    }
}

/// What a file brought; the store records it with the import.
pub use ladder_store::imports::ImportKind as Kind;

/// The outcome of an import.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub kind: Kind,
    pub file: String,
    pub mapping: String,
    pub sha256: Option<String>,
    pub dry_run: bool,
    /// True when the changes were committed: a real run without problems.
    pub committed: bool,
    /// Data rows read (blank separator rows are not counted).
    pub rows: u64,
    /// Labelled counts: "daily facts", "monthly actuals", "employees", "teams", …
    pub counts: Vec<(String, Counts)>,
    /// Plain-language lines about what changes (people imports), capped.
    pub changes: Vec<String>,
    /// Problems found, capped at the import's `max_problems`.
    pub problems: Vec<Problem>,
    /// Every problem found, listed or not.
    pub problem_count: u64,
    /// Rows the mapping's row filters left out, by reason (not problems).
    pub skipped: Vec<(String, u64)>,
    /// Figures left out of a row for breaking their metric's rule, where the mapping takes
    /// the rest of the row (platform data); capped as problems are.
    pub warnings: Vec<Problem>,
    pub warning_count: u64,
    /// The `imports` row of a committed import.
    pub import_id: Option<i64>,
    /// Times the file was read: 2 when a KPI file's rows are not in month order, as the first
    /// read, writing a month at a time, was rolled back when it found out.
    pub reads: u32,
    pub elapsed_ms: u64,
}

impl Report {
    pub(crate) fn new(kind: Kind, file: &str, mapping: &str, dry_run: bool) -> Report {
        Report {
            kind,
            file: file.to_string(),
            mapping: mapping.to_string(),
            sha256: None,
            dry_run,
            committed: false,
            rows: 0,
            counts: Vec::new(),
            changes: Vec::new(),
            problems: Vec::new(),
            problem_count: 0,
            skipped: Vec::new(),
            warnings: Vec::new(),
            warning_count: 0,
            import_id: None,
            reads: 1,
            elapsed_ms: 0,
        }
    }

    pub fn is_ok(&self) -> bool {
        self.problem_count == 0
    }

    /// The counts under a label.
    pub fn counts(&self, label: &str) -> Option<Counts> {
        self.counts.iter().find(|(l, _)| l == label).map(|(_, c)| *c)
    }

    pub(crate) fn add_warning(&mut self, p: Problem, cap: usize) {
        self.warning_count += 1;
        if self.warnings.len() < cap {
            self.warnings.push(p);
        }
    }

    pub(crate) fn add_problem(&mut self, p: Problem, cap: usize) {
        self.problem_count += 1;
        if self.problems.len() < cap {
            self.problems.push(p);
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.dry_run { "Dry run of" } else { "Import of" };
        writeln!(
            f,
            "{what} {} ({} file, mapping {}): {} rows read",
            self.file,
            self.kind.as_str(),
            self.mapping,
            self.rows
        )?;
        let verb = if self.committed { "" } else { "would be " };
        for (label, c) in &self.counts {
            writeln!(f, "  {label}: {} {verb}new, {} {verb}updated, {} unchanged", c.new, c.updated, c.unchanged)?;
        }
        for line in &self.changes {
            writeln!(f, "  {line}")?;
        }
        for (reason, n) in &self.skipped {
            writeln!(f, "  Skipped {n} row(s): {reason}")?;
        }
        if self.warning_count > 0 {
            writeln!(f, "{} warning(s): figures left out, the rest of each row kept:", self.warning_count)?;
            for w in &self.warnings {
                writeln!(f, "  - {w}")?;
            }
            if self.warning_count > self.warnings.len() as u64 {
                writeln!(f, "  … and {} more", self.warning_count - self.warnings.len() as u64)?;
            }
        }
        if self.reads > 1 {
            writeln!(f, "  The rows are not in date order, so the file was read {} times.", self.reads)?;
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
        if self.committed {
            write!(f, "Committed in {:.1} s.", self.elapsed_ms as f64 / 1000.0)
        } else if self.problem_count > 0 {
            write!(f, "Nothing was written: fix the problems and import again.")
        } else {
            write!(f, "Dry run: nothing was written.")
        }
    }
}
