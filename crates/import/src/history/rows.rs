//! One row of a history file: its columns found by name, each cell checked, with the column
//! and value named when it is wrong.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use ladder_core::{EmployeeId, Framework};
use ladder_store::records::history::{PastAssessment, PastCertification, PastRating};
use ladder_store::records::Assessor;

use super::HistoryKind;
use crate::read::{Cell, Table};
use crate::validate::{self, Problem};

/// The names the employee column goes by.
pub(super) const EMPLOYEE: [&str; 3] = ["employee", "code", "employee_code"];
pub(super) const UNKNOWN_EMPLOYEE: &str = "unknown employee code";

/// A checked row.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Rating(PastRating),
    Skill(PastAssessment),
    Certification(PastCertification),
}

impl Record {
    pub fn kind(&self) -> HistoryKind {
        match self {
            Record::Rating(_) => HistoryKind::Ratings,
            Record::Skill(_) => HistoryKind::Skills,
            Record::Certification(_) => HistoryKind::Certifications,
        }
    }
}

pub(super) fn split(records: Vec<Record>) -> (Vec<PastRating>, Vec<PastAssessment>, Vec<PastCertification>) {
    let (mut ratings, mut skills, mut certifications) = (Vec::new(), Vec::new(), Vec::new());
    for r in records {
        match r {
            Record::Rating(x) => ratings.push(x),
            Record::Skill(x) => skills.push(x),
            Record::Certification(x) => certifications.push(x),
        }
    }
    (ratings, skills, certifications)
}

/// Where each column is. A kind's columns are needed when the file is of that kind (or, with a
/// `kind` column, when a row is).
pub(super) struct Columns {
    employee: usize,
    kind: Result<HistoryKind, usize>,
    by_name: HashMap<&'static str, usize>,
}

/// A column: its key, the names it goes by, and whether a row of its kind needs it.
type Column = (&'static str, &'static [&'static str], bool);

/// Each kind's columns.
const KIND_COLUMNS: [(HistoryKind, &[Column]); 3] = [
    (HistoryKind::Ratings, &[("year", &["year"], true), ("rating", &["rating"], true)]),
    (
        HistoryKind::Skills,
        &[
            ("skill", &["skill", "skill_id"], true),
            ("level", &["level"], true),
            ("date", &["date", "assessed", "assessed_at", "assessed_on"], true),
            ("assessor", &["assessor"], true),
        ],
    ),
    (
        HistoryKind::Certifications,
        &[
            ("certification", &["certification", "certification_id"], true),
            ("earned", &["earned", "earned_on", "earned_date"], true),
            ("expires", &["expires", "expires_on", "expires_date"], false),
        ],
    ),
];

impl Columns {
    pub fn find(t: &Table, kind: Option<HistoryKind>) -> Result<Columns, Problem> {
        let employee = EMPLOYEE.iter().find_map(|n| t.column(n)).expect("the header was found by it");
        let kind = match kind {
            Some(k) => Ok(k),
            None => Err(t.column("kind").ok_or_else(|| {
                let message = format!(
                    "no 'kind' column: name the file's kind (--kind ratings|skills|certifications) or give each \
                     row's kind in a 'kind' column; the header has: {}",
                    t.headers().join(", ")
                );
                Problem::new(t.header_row(), "kind", "", message)
            })?),
        };
        let mut by_name = HashMap::new();
        let mut missing = Vec::new();
        for (k, columns) in KIND_COLUMNS {
            for (key, names, needed) in columns {
                match names.iter().find_map(|n| t.column(n)) {
                    Some(i) => {
                        by_name.insert(*key, i);
                    }
                    // A file of one kind needs that kind's columns; a mixed file is checked by row.
                    None if *needed && kind == Ok(k) => missing.push(names[0]),
                    None => {}
                }
            }
        }
        if !missing.is_empty() {
            let message =
                format!("missing column(s) '{}'; the header has: {}", missing.join("', '"), t.headers().join(", "));
            return Err(Problem::new(t.header_row(), missing[0], "", message));
        }
        Ok(Columns { employee, kind, by_name })
    }
}

/// One row, read and checked.
pub(super) fn parse(
    t: &Table,
    c: &Columns,
    fw: &Framework,
    codes: &HashMap<String, i64>,
    today: NaiveDate,
) -> Result<Record, Problem> {
    let cells = Cells { t, c };
    let code = cells.text_at(c.employee);
    let header = |i: usize| t.headers()[i].clone();
    if code.is_empty() {
        return Err(Problem::new(t.row(), &header(c.employee), "", "the employee code is empty"));
    }
    let Some(&id) = codes.get(&code) else {
        return Err(Problem::new(t.row(), &header(c.employee), &code, UNKNOWN_EMPLOYEE));
    };
    let employee_id = EmployeeId(id);
    let kind = match c.kind {
        Ok(k) => k,
        Err(i) => {
            let text = cells.text_at(i);
            HistoryKind::parse(&text).ok_or_else(|| {
                Problem::new(t.row(), &header(i), &text, "not a kind: ratings, skills or certifications")
            })?
        }
    };
    match kind {
        HistoryKind::Ratings => rating(&cells, fw, employee_id, today),
        HistoryKind::Skills => skill(&cells, fw, employee_id, today),
        HistoryKind::Certifications => certification(&cells, fw, employee_id, today),
    }
}

fn rating(cells: &Cells<'_>, fw: &Framework, employee_id: EmployeeId, today: NaiveDate) -> Result<Record, Problem> {
    let year = cells.whole("year", 1970, i64::from(today.year()))?;
    let ratings: Vec<i64> = fw.scoring.bands.iter().map(|b| i64::from(b.rating)).collect();
    let (low, high) = (ratings.iter().min().copied().unwrap_or(1), ratings.iter().max().copied().unwrap_or(5));
    let rating = cells.whole("rating", low, high)?;
    Ok(Record::Rating(PastRating { employee_id, year: year as i32, rating: rating as i32 }))
}

fn skill(cells: &Cells<'_>, fw: &Framework, employee_id: EmployeeId, today: NaiveDate) -> Result<Record, Problem> {
    let skill = cells.required("skill")?;
    if fw.skill(&skill).is_none() {
        let known: Vec<&str> = fw.skills.iter().map(|s| s.id.as_str()).collect();
        return Err(cells.problem(
            "skill",
            &skill,
            format!("unknown skill; the framework's skills: {}", known.join(", ")),
        ));
    }
    let level = cells.whole("level", 1, 5)?;
    let on = cells.day("date", today)?.ok_or_else(|| cells.problem("date", "", "the date is empty"))?;
    let who = cells.required("assessor")?;
    let assessor = match who.trim().to_ascii_lowercase().as_str() {
        "self" | "own" | "employee" => Assessor::Own,
        "leader" | "team leader" | "team-leader" | "manager" => Assessor::Leader,
        _ => return Err(cells.problem("assessor", &who, "not an assessor: self or leader")),
    };
    let assessed_at = on.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
    Ok(Record::Skill(PastAssessment { employee_id, skill_id: skill, level: level as i32, assessor, assessed_at }))
}

fn certification(
    cells: &Cells<'_>,
    fw: &Framework,
    employee_id: EmployeeId,
    today: NaiveDate,
) -> Result<Record, Problem> {
    let id = cells.required("certification")?;
    if fw.certification(&id).is_none() {
        let known: Vec<&str> = fw.certifications.iter().map(|c| c.id.as_str()).collect();
        let message = format!("unknown certification; the framework's: {}", known.join(", "));
        return Err(cells.problem("certification", &id, message));
    }
    let earned = cells.day("earned", today)?.ok_or_else(|| cells.problem("earned", "", "the date earned is empty"))?;
    // An expiry may lie ahead: only the date's own range applies.
    let expires = cells.day("expires", NaiveDate::MAX)?;
    if let Some(x) = expires.filter(|x| *x < earned) {
        return Err(cells.problem(
            "expires",
            &x.to_string(),
            format!("wrong period: expires before it was earned ({earned})"),
        ));
    }
    Ok(Record::Certification(PastCertification { employee_id, certification_id: id, earned, expires }))
}

struct Cells<'a> {
    t: &'a Table,
    c: &'a Columns,
}

impl Cells<'_> {
    fn text_at(&self, i: usize) -> String {
        match self.t.cell(i) {
            Cell::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            c => c.display().trim().to_string(),
        }
    }

    fn header(&self, key: &str) -> String {
        self.c.by_name.get(key).map_or_else(|| key.to_string(), |i| self.t.headers()[*i].clone())
    }

    fn problem(&self, key: &str, value: &str, message: impl Into<String>) -> Problem {
        Problem::new(self.t.row(), &self.header(key), value, message)
    }

    /// The cell's text; a column the file lacks (a mixed file's row of another kind) is a problem.
    fn required(&self, key: &str) -> Result<String, Problem> {
        let Some(i) = self.c.by_name.get(key) else {
            return Err(self.problem(key, "", format!("this row needs a '{key}' column")));
        };
        let text = self.text_at(*i);
        if text.is_empty() {
            return Err(self.problem(key, "", format!("{} is empty", self.header(key))));
        }
        Ok(text)
    }

    fn whole(&self, key: &str, low: i64, high: i64) -> Result<i64, Problem> {
        let text = self.required(key)?;
        match text.parse::<i64>() {
            Ok(n) if (low..=high).contains(&n) => Ok(n),
            _ => Err(self.problem(key, &text, format!("not a whole number from {low} to {high}"))),
        }
    }

    /// A date no later than `latest`; `None` for an empty cell or a column the file lacks.
    fn day(&self, key: &str, latest: NaiveDate) -> Result<Option<NaiveDate>, Problem> {
        let Some(i) = self.c.by_name.get(key) else { return Ok(None) };
        let cell = self.t.cell(*i);
        let day = validate::date(cell, &[]).map_err(|e| self.problem(key, &cell.display(), e.0))?;
        match day {
            Some(d) if d > latest => Err(self.problem(key, &d.to_string(), "wrong period: the date is in the future")),
            other => Ok(other),
        }
    }
}
