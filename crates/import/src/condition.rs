//! Conditions on one cell of a row, as a mapping writes them: which rows to skip
//! (`[[skip]]`), what a count counts (`{ count = … }`) and when a value applies
//! (`{ when = …, then = … }`). Per-interaction logs hold yes/no columns and ratings, not sums:
//! these turn them into the 1s and 0s that sum to a day's figures.

use serde::Deserialize;

use crate::read::{Cell, Table};
use crate::validate::{self, BadValue, Problem};

/// A test of one column's cell; every test given must hold.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Condition {
    pub column: String,
    /// `yes`, `no` (a yes/no column), `empty` or `present`.
    #[serde(default)]
    pub is: Option<Is>,
    /// The cell's text is one of these (trimmed, any case); `""` matches an empty cell.
    #[serde(default)]
    pub one_of: Vec<String>,
    /// The cell is a number at least (at most) this; an empty cell is neither.
    #[serde(default)]
    pub at_least: Option<f64>,
    #[serde(default)]
    pub at_most: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Is {
    Yes,
    No,
    Empty,
    Present,
}

/// A row filter: rows the condition holds for are left out and counted under the reason.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Skip {
    pub reason: String,
    #[serde(flatten)]
    pub when: Condition,
}

/// The most `one_of` values a condition may list, and the longest reason: limits on what a
/// user's mapping may hold.
const MAX_VALUES: usize = 1_000;
const MAX_REASON: usize = 200;

impl Condition {
    /// What is wrong with the condition as written, if anything.
    pub fn invalid(&self) -> Option<String> {
        if self.is.is_none() && self.one_of.is_empty() && self.at_least.is_none() && self.at_most.is_none() {
            return Some(format!("the condition on '{}' needs is, one_of, at_least or at_most", self.column));
        }
        if self.one_of.len() > MAX_VALUES {
            return Some(format!("one_of on '{}' lists more than {MAX_VALUES} values", self.column));
        }
        if [self.at_least, self.at_most].iter().flatten().any(|n| !n.is_finite()) {
            return Some(format!("at_least and at_most on '{}' must be numbers", self.column));
        }
        None
    }
}

impl Skip {
    pub fn invalid(&self) -> Option<String> {
        if self.reason.trim().is_empty() || self.reason.len() > MAX_REASON {
            return Some(format!("a [[skip]] needs a reason of 1 to {MAX_REASON} characters"));
        }
        self.when.invalid()
    }
}

/// A condition with its column found in the header.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub column: usize,
    is: Option<Is>,
    /// Lower case, trimmed.
    one_of: Vec<String>,
    at_least: Option<f64>,
    at_most: Option<f64>,
}

impl Compiled {
    /// `None` (with a problem in `missing`) when the header has no such column.
    pub fn new(c: &Condition, t: &Table, why: &str, missing: &mut Vec<Problem>) -> Option<Compiled> {
        let Some(column) = t.column(&c.column) else {
            let message = format!("'{}' (for {why})", c.column);
            missing.push(Problem::new(t.header_row(), &c.column, "", message));
            return None;
        };
        Some(Compiled {
            column,
            is: c.is,
            one_of: c.one_of.iter().map(|v| v.trim().to_lowercase()).collect(),
            at_least: c.at_least,
            at_most: c.at_most,
        })
    }

    /// Whether the row's cell passes; a cell the test cannot read is an error.
    pub fn holds(&self, t: &Table) -> Result<bool, BadValue> {
        let cell = t.cell(self.column);
        let blank = no_value(cell);
        let passes_is = match self.is {
            None => true,
            Some(Is::Empty) => blank,
            Some(Is::Present) => !blank,
            Some(Is::Yes) => yes_no(cell)? == Some(true),
            Some(Is::No) => yes_no(cell)? == Some(false),
        };
        if !passes_is {
            return Ok(false);
        }
        if !self.one_of.is_empty() {
            let text = if blank { String::new() } else { cell.text().to_lowercase() };
            if !self.one_of.contains(&text) {
                return Ok(false);
            }
        }
        if self.at_least.is_some() || self.at_most.is_some() {
            let Some(n) = validate::number(cell)? else { return Ok(false) };
            if self.at_least.is_some_and(|min| n < min) || self.at_most.is_some_and(|max| n > max) {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// Empty, or the marks exports write for no value (`-`, `null`).
fn no_value(cell: Cell<'_>) -> bool {
    match cell {
        Cell::Text(t) => {
            let t = t.trim();
            t.is_empty() || t == "-" || t.eq_ignore_ascii_case("null")
        }
        other => other.is_blank(),
    }
}

/// A yes/no cell: `Y`/`N`, `yes`/`no`, `true`/`false`, `1`/`0` in any case; `None` when empty.
pub fn yes_no(cell: Cell<'_>) -> Result<Option<bool>, BadValue> {
    let bad = || BadValue("not yes or no (use Y/N, yes/no, true/false or 1/0)".into());
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(1.0) => Ok(Some(true)),
        Cell::Number(0.0) => Ok(Some(false)),
        Cell::Number(_) | Cell::Time(_) => Err(bad()),
        Cell::Text(text) => {
            let text = text.trim();
            const YES: [&str; 4] = ["y", "yes", "true", "1"];
            const NO: [&str; 4] = ["n", "no", "false", "0"];
            if text.is_empty() {
                Ok(None)
            } else if YES.iter().any(|y| text.eq_ignore_ascii_case(y)) {
                Ok(Some(true))
            } else if NO.iter().any(|n| text.eq_ignore_ascii_case(n)) {
                Ok(Some(false))
            } else {
                Err(bad())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Input;

    #[test]
    fn yes_and_no_in_every_spelling_exports_use() {
        for text in ["Y", "y", "YES", "Yes", "true", "TRUE", "1", " yes "] {
            assert_eq!(yes_no(Cell::Text(text)), Ok(Some(true)), "{text}");
        }
        for text in ["N", "n", "No", "FALSE", "false", "0"] {
            assert_eq!(yes_no(Cell::Text(text)), Ok(Some(false)), "{text}");
        }
        assert_eq!(yes_no(Cell::Text("  ")), Ok(None));
        assert_eq!(yes_no(Cell::Number(1.0)), Ok(Some(true)), "an XLSX boolean");
        for text in ["maybe", "2", "yess", "-"] {
            assert!(yes_no(Cell::Text(text)).unwrap_err().0.contains("Y/N"), "{text}");
        }
    }

    #[test]
    fn conditions_test_their_cell() {
        let csv = "Agent,Answered,Rating\nA,Y,5\nNO_SERVER,n,\n,yes,3\nB,maybe,x\n";
        let mut t = Table::open(&Input::bytes("x.csv", csv.into()), &[vec!["Agent".into()]]).unwrap();
        let cond = |toml: &str| -> Compiled {
            let c: Condition = toml::from_str(toml).unwrap();
            Compiled::new(&c, &t, "a test", &mut Vec::new()).unwrap()
        };
        let answered = cond("column = \"Answered\"\nis = \"yes\"");
        let top2 = cond("column = \"Rating\"\nat_least = 4");
        let no_agent = cond("column = \"Agent\"\none_of = [\"\", \"no_server\"]");
        let mut seen = Vec::new();
        while t.next_row().unwrap() {
            seen.push((answered.holds(&t).ok(), top2.holds(&t).ok(), no_agent.holds(&t).unwrap()));
        }
        assert_eq!(
            seen,
            vec![
                (Some(true), Some(true), false),
                (Some(false), Some(false), true),
                (Some(true), Some(false), true),
                (None, None, false),
            ]
        );
        let c: Condition = toml::from_str("column = \"Rating\"").unwrap();
        assert!(c.invalid().unwrap().contains("needs is, one_of"));
    }
}
