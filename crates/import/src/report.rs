//! What an import did (or, for a dry run, would do), as data and as text.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;

use crate::validate::Problem;

/// Kinds of problem summarised apart; the rest go under the last one.
const MAX_KINDS: usize = 50;
/// Distinct values a kind counts exactly (beyond that it says "more than").
const MAX_DISTINCT: usize = 10_000;
/// Distinct values a kind shows.
const SHOWN_VALUES: usize = 5;
/// Figures a partial file would replace that a report lists (all are counted).
pub(crate) const MAX_REPLACEMENTS: usize = 200;

/// Every problem of one kind (and column): how many, where the first is, and the first few
/// distinct values — what a person needs to fix a file, where a list would stop at its cap.
#[derive(Debug, Clone, Serialize)]
pub struct ProblemGroup {
    /// What is wrong, in a few words: "duplicate row", "unknown employee code", "not a date".
    pub kind: String,
    pub column: String,
    pub count: u64,
    /// The spreadsheet row of the first (0: the file as a whole).
    pub first_row: u64,
    /// The first problem's message in full.
    pub example: String,
    /// Distinct values among them (at most 10,000 are counted: see `distinct_exact`).
    pub distinct: u64,
    pub distinct_exact: bool,
    /// The first few distinct values, in the order met.
    pub values: Vec<String>,
    #[serde(skip)]
    seen: HashSet<String>,
}

impl ProblemGroup {
    fn of(p: &Problem) -> ProblemGroup {
        ProblemGroup {
            kind: kind_of(&p.message).to_string(),
            column: p.column.clone(),
            count: 0,
            first_row: p.row,
            example: p.to_string(),
            distinct: 0,
            distinct_exact: true,
            values: Vec::new(),
            seen: HashSet::new(),
        }
    }

    fn add(&mut self, p: &Problem) {
        self.count += 1;
        if p.value.is_empty() {
            return;
        }
        if self.seen.len() >= MAX_DISTINCT {
            self.distinct_exact &= self.seen.contains(&p.value);
            return;
        }
        if self.seen.insert(p.value.clone()) {
            self.distinct += 1;
            if self.values.len() < SHOWN_VALUES {
                self.values.push(p.value.clone());
            }
        }
    }
}

/// A message's kind: its words before the details (a colon, a bracket, " for metric").
pub(crate) fn kind_of(message: &str) -> &str {
    let end = [": ", " (", " for "].iter().filter_map(|sep| message.find(sep)).min().unwrap_or(message.len());
    message[..end].trim()
}

impl fmt::Display for ProblemGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One problem is shown as it is; several as their kind, count and first.
        if self.count == 1 {
            return write!(f, "{}", self.example);
        }
        write!(f, "{} × {}", self.count, self.kind)?;
        if !self.column.is_empty() {
            write!(f, " in column '{}'", self.column)?;
        }
        if self.first_row > 0 {
            write!(f, " (first at row {})", self.first_row)?;
        }
        write!(f, ": {}", self.example)?;
        if self.distinct > 1 {
            let more = if self.distinct_exact { "" } else { "more than " };
            let rest = if self.distinct as usize > self.values.len() { ", …" } else { "" };
            write!(f, "; {more}{} distinct values: {}{rest}", self.distinct, self.values.join(", "))?;
        }
        Ok(())
    }
}

/// A stored monthly figure a file would replace with less: part-month days over a whole
/// month's figure, or a month's figure over more days than it covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replacement {
    pub employee: String,
    /// `YYYY-MM`.
    pub month: String,
    pub metric: String,
    /// "days over a monthly figure", "a monthly figure over days" or "a monthly figure over a
    /// monthly figure".
    pub what: String,
    pub before_numerator: f64,
    pub before_denominator: f64,
    /// Days stored before (0 for a monthly figure).
    pub before_days: u32,
    pub after_numerator: f64,
    pub after_denominator: f64,
    /// Days in the file (0 for a monthly figure).
    pub after_days: u32,
    /// The metric's name, as pages say it.
    pub metric_name: String,
    /// The stored figure in the metric's unit with its volume: "81.7 % (120 surveys)".
    pub before: String,
    /// The file's figure the same way: "83.3 % (48 surveys)".
    pub after: String,
}

impl fmt::Display for Replacement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let from = |days: u32| match days {
            0 => "the whole month".to_string(),
            1 => "1 day".to_string(),
            n => format!("{n} days"),
        };
        write!(
            f,
            "{} {} {}: {} from {} → {} from {}",
            self.employee,
            self.month,
            self.metric_name,
            self.before,
            from(self.before_days),
            self.after,
            from(self.after_days)
        )
    }
}

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

/// The rows left out as about unknown people: how many, and the values given for them (distinct,
/// with their rows, most first; at most 10,000 distinct values are kept, `distinct` counts those
/// and `distinct_exact` is false when there were more).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unknown {
    pub rows: u64,
    pub distinct: u64,
    pub distinct_exact: bool,
    pub values: Vec<(String, u64)>,
}

impl Default for Unknown {
    fn default() -> Unknown {
        Unknown { rows: 0, distinct: 0, distinct_exact: true, values: Vec::new() }
    }
}

impl Unknown {
    /// How many values a listing shows.
    pub const SHOWN: usize = 20;

    /// The values a listing shows: the most frequent first.
    pub fn shown(&self) -> &[(String, u64)] {
        &self.values[..self.values.len().min(Unknown::SHOWN)]
    }

    /// "3" or, past the cap, "more than 10000".
    pub fn distinct_text(&self) -> String {
        if self.distinct_exact {
            self.distinct.to_string()
        } else {
            format!("more than {}", self.distinct)
        }
    }
}

impl fmt::Display for Unknown {
    /// "12 rows of 3 unknown people left out: QA_TEMPLATE (8 rows), admin (3), ana.r (1)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = Unknown::SHOWN;
        let people = if self.distinct == 1 && self.distinct_exact { "person" } else { "people" };
        write!(f, "{} row(s) of {} unknown {people} left out: ", self.rows, self.distinct_text())?;
        for (i, (value, rows)) in self.values.iter().take(SHOWN).enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            let unit = if i == 0 {
                if *rows == 1 {
                    " row"
                } else {
                    " rows"
                }
            } else {
                ""
            };
            write!(f, "{sep}{value} ({rows}{unit})")?;
        }
        if self.values.len() > SHOWN {
            write!(f, ", … and {} more", self.values.len() - SHOWN)?;
        }
        Ok(())
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
    /// True when the changes were committed: a real run without problems, or one that skipped
    /// its bad rows (`skip_bad_rows`) and had no problem with the file as a whole.
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
    /// Rows about people no one is known as, left out because the import was asked to
    /// (`--ignore-unknown`); empty otherwise, when they are problems.
    pub unknown: Unknown,
    /// Every problem, summarised by kind (none left out).
    pub problem_summary: Vec<ProblemGroup>,
    /// Months the file's rows fall in (`YYYY-MM`), and the people they are about: a wrong
    /// date order or a wrong file shows here before anything is written.
    pub months: Vec<String>,
    pub people: u64,
    /// Stored figures the file would replace with less (every one counted, the first listed).
    pub replacements: Vec<Replacement>,
    pub replacement_count: u64,
    /// Rows left out with `--skip-bad-rows` (written to the rejects file).
    pub rows_rejected: u64,
    /// How many of them the rejects file holds: at most [`crate::rejects::MAX_ROWS`].
    pub rows_rejected_written: u64,
    /// Problems that stop an import even with `--skip-bad-rows` (the file's, not a row's).
    #[serde(skip)]
    pub blocking: u64,
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
            unknown: Unknown::default(),
            problem_summary: Vec::new(),
            months: Vec::new(),
            people: 0,
            replacements: Vec::new(),
            replacement_count: 0,
            rows_rejected: 0,
            rows_rejected_written: 0,
            blocking: 0,
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
        let kind = kind_of(&p.message);
        let found = self.problem_summary.iter().position(|g| g.kind == kind && g.column == p.column);
        let at = match found {
            Some(at) => at,
            None if self.problem_summary.len() < MAX_KINDS => {
                self.problem_summary.push(ProblemGroup::of(&p));
                self.problem_summary.len() - 1
            }
            None => self.problem_summary.len() - 1,
        };
        self.problem_summary[at].add(&p);
        if self.problems.len() < cap {
            self.problems.push(p);
        }
    }

    /// A problem with the file as a whole: it stops the import even when bad rows are skipped.
    pub(crate) fn add_blocking(&mut self, p: Problem, cap: usize) {
        self.blocking += 1;
        self.add_problem(p, cap);
    }

    /// Whether a real run may commit: no problem, or only bad rows that are being skipped.
    pub fn may_commit(&self, skip_bad_rows: bool) -> bool {
        self.problem_count == 0 || skip_bad_rows && self.blocking == 0
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
        if self.unknown.rows > 0 {
            writeln!(f, "  {}", self.unknown)?;
        }
        if !self.months.is_empty() {
            let months = match self.months.as_slice() {
                [one] => one.clone(),
                [first, .., last] => format!("{} months, {first} to {last}", self.months.len()),
                [] => unreachable!("not empty"),
            };
            let people = if self.people == 1 { "person" } else { "people" };
            writeln!(f, "  The rows are about {} {people} in {months}.", self.people)?;
        }
        if self.replacement_count > 0 {
            let verb = if self.committed { "were" } else { "would be" };
            writeln!(f, "{} stored figure(s) {verb} replaced by less data (before → after):", self.replacement_count)?;
            for r in &self.replacements {
                writeln!(f, "  - {r}")?;
            }
            if self.replacement_count > self.replacements.len() as u64 {
                writeln!(f, "  … and {} more", self.replacement_count - self.replacements.len() as u64)?;
            }
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
            writeln!(f, "{} problem(s), by kind:", self.problem_count)?;
            for g in &self.problem_summary {
                writeln!(f, "  - {g}")?;
            }
        }
        if self.rows_rejected > 0 {
            if self.rows_rejected_written < self.rows_rejected {
                writeln!(
                    f,
                    "{} bad row(s) left out; the first {} written to the rejects file.",
                    self.rows_rejected, self.rows_rejected_written
                )?;
            } else {
                writeln!(f, "{} bad row(s) left out and written to the rejects file.", self.rows_rejected)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_people_past_the_cap_read_more_than_and_one_person_is_a_person() {
        let values: Vec<(String, u64)> = (0..25).map(|i| (format!("u{i}"), 1)).collect();
        let capped = Unknown { rows: 30, distinct: 25, distinct_exact: false, values };
        let text = capped.to_string();
        assert!(text.contains("of more than 25 unknown people"), "{text}");
        assert!(text.contains("… and 5 more"), "{text}");
        assert_eq!(capped.shown().len(), Unknown::SHOWN);

        let mut r = Report::new(Kind::Kpi, "march.csv", "ladder-long", true);
        r.rows = 2;
        r.months = vec!["2026-03".into()];
        r.people = 1;
        assert!(r.to_string().contains("about 1 person in 2026-03"), "{r}");
    }
}
