//! A mapping's expressions resolved against a file's header, evaluated row by row, and a
//! metric's numerator and denominator checked against its rule.

use ladder_core::figures::FigureError;

use super::{BlankNumerator, Expr, MetricInfo};
use crate::condition;
use crate::read::Table;
use crate::validate::{self, BadValue, Problem};

/// An expression with its columns found in the header.
#[derive(Debug, Clone)]
pub enum Compiled {
    Column(usize),
    Number(f64),
    Sum(Vec<Compiled>),
    Product(Vec<Compiled>),
    Yes(usize),
    Count(condition::Compiled),
    When(condition::Compiled, Box<Compiled>),
}

/// A bad cell met while computing an expression.
#[derive(Debug, Clone)]
pub struct CellError {
    pub column: usize,
    pub error: BadValue,
}

impl Compiled {
    /// `Ok(None)` when a cell it needs is empty (no data).
    pub fn eval(&self, t: &Table) -> Result<Option<f64>, CellError> {
        match self {
            Compiled::Column(i) => validate::number(t.cell(*i)).map_err(|error| CellError { column: *i, error }),
            Compiled::Number(n) => Ok(Some(*n)),
            Compiled::Product(parts) => {
                let mut acc = 1.0;
                for p in parts {
                    match p.eval(t)? {
                        Some(v) => acc *= v,
                        None => return Ok(None),
                    }
                }
                Ok(Some(acc))
            }
            // Exports leave a time blank where it is zero (no hold on a call): a sum is empty only
            // when every part is.
            Compiled::Sum(parts) => {
                let mut acc = None;
                for p in parts {
                    if let Some(v) = p.eval(t)? {
                        acc = Some(acc.unwrap_or(0.0) + v);
                    }
                }
                Ok(acc)
            }
            Compiled::Yes(i) => condition::yes_no(t.cell(*i))
                .map(|yes| yes.map(|y| if y { 1.0 } else { 0.0 }))
                .map_err(|error| CellError { column: *i, error }),
            Compiled::Count(c) => {
                let holds = c.holds(t).map_err(|error| CellError { column: c.column, error })?;
                Ok(Some(if holds { 1.0 } else { 0.0 }))
            }
            Compiled::When(c, then) => match c.holds(t).map_err(|error| CellError { column: c.column, error })? {
                true => then.eval(t),
                false => Ok(Some(0.0)),
            },
        }
    }

    /// The first column it reads (where a problem with the whole value is reported).
    pub fn first_column(&self) -> Option<usize> {
        match self {
            Compiled::Column(i) | Compiled::Yes(i) => Some(*i),
            Compiled::Number(_) => None,
            Compiled::Sum(p) | Compiled::Product(p) => p.iter().find_map(Compiled::first_column),
            Compiled::Count(c) => Some(c.column),
            Compiled::When(_, then) => then.first_column(),
        }
    }

    /// The first column it reads that is empty in this row.
    pub fn first_empty(&self, t: &Table) -> Option<usize> {
        match self {
            Compiled::Column(i) | Compiled::Yes(i) => t.cell(*i).is_blank().then_some(*i),
            Compiled::Number(_) | Compiled::Count(_) => None,
            Compiled::Product(p) => p.iter().find_map(|e| e.first_empty(t)),
            // Empty only when every part is.
            Compiled::Sum(p) => {
                p.iter().all(|e| e.first_empty(t).is_some()).then(|| p.first()?.first_empty(t)).flatten()
            }
            Compiled::When(_, then) => then.first_empty(t),
        }
    }
}

pub(super) fn compile(expr: &Expr, t: &Table, why: &str, missing: &mut Vec<Problem>) -> Compiled {
    match expr {
        Expr::Column(name) => match t.column(name) {
            Some(i) => Compiled::Column(i),
            None => {
                missing.push(Problem::new(t.header_row(), name, "", format!("'{name}' (for {why})")));
                Compiled::Number(0.0)
            }
        },
        Expr::Number(n) => Compiled::Number(*n),
        Expr::Sum { sum } => Compiled::Sum(sum.iter().map(|e| compile(e, t, why, missing)).collect()),
        Expr::Product { product } => Compiled::Product(product.iter().map(|e| compile(e, t, why, missing)).collect()),
        Expr::Yes { yes } => match compile(&Expr::Column(yes.clone()), t, why, missing) {
            Compiled::Column(i) => Compiled::Yes(i),
            missing_column => missing_column,
        },
        Expr::Count { count } => match condition::Compiled::new(count, t, why, missing) {
            Some(c) => Compiled::Count(c),
            None => Compiled::Number(0.0),
        },
        Expr::When { when, then } => match condition::Compiled::new(when, t, why, missing) {
            Some(c) => Compiled::When(c, Box::new(compile(then, t, why, missing))),
            None => Compiled::Number(0.0),
        },
    }
}

/// Why a row's metric could not be taken.
#[derive(Debug, Clone)]
pub struct Refused {
    pub problem: Problem,
    /// The values were read but break the metric's rule (a share above 100 %, a negative
    /// time), as opposed to a file that cannot be read.
    pub rule_break: bool,
}

impl From<Problem> for Refused {
    fn from(problem: Problem) -> Refused {
        Refused { problem, rule_break: false }
    }
}

/// The value of a metric's sums in one row, checked: `Ok(None)` when the row has no data for it.
pub fn sums(
    t: &Table,
    metric: &MetricInfo,
    numerator: &Compiled,
    denominator: Option<&Compiled>,
    blank_numerator: BlankNumerator,
) -> Result<Option<(f64, f64)>, Refused> {
    let header = |i: usize| t.headers().get(i).cloned().unwrap_or_default();
    let cell_problem = |e: CellError| {
        Problem::new(
            t.row(),
            &header(e.column),
            &t.cell(e.column).display(),
            format!("{} for {}", e.error.0, metric.id),
        )
    };
    let num = numerator.eval(t).map_err(cell_problem)?;
    // A plain sum has no denominator: whatever the file has there is ignored.
    let denominator = denominator.filter(|_| metric.is_ratio);
    if metric.is_ratio && denominator.is_none() {
        // A long mapping may leave the denominator out (for plain sums); a ratio's row then
        // cannot be read.
        let message = format!("{} is a ratio, but the mapping names no denominator", metric.id);
        return Err(Problem::new(t.row(), "", "", message).into());
    }
    let den = match denominator {
        Some(d) => d.eval(t).map_err(cell_problem)?,
        None => Some(0.0),
    };
    match (num, den) {
        (None, None) => Ok(None),
        (None, Some(d)) => {
            if d == 0.0 || !metric.is_ratio {
                return Ok(None);
            }
            if blank_numerator == BlankNumerator::Zero {
                return sums_checked(t, metric, (0.0, d), numerator, denominator);
            }
            let col = numerator.first_empty(t).map(header).unwrap_or_default();
            Err(Problem::new(t.row(), &col, "", format!("empty, but the denominator of {} is {d}", metric.id)).into())
        }
        (Some(n), None) => {
            if n == 0.0 {
                return Ok(None);
            }
            let col = denominator.and_then(|d| d.first_empty(t)).map(header).unwrap_or_default();
            Err(Problem::new(t.row(), &col, "", format!("empty, but the numerator of {} is {n}", metric.id)).into())
        }
        (Some(n), Some(d)) => sums_checked(t, metric, (n, d), numerator, denominator),
    }
}

/// The sums if they keep the metric's rule; a rule break names the column it is in.
fn sums_checked(
    t: &Table,
    metric: &MetricInfo,
    (n, d): (f64, f64),
    numerator: &Compiled,
    denominator: Option<&Compiled>,
) -> Result<Option<(f64, f64)>, Refused> {
    let header = |i: usize| t.headers().get(i).cloned().unwrap_or_default();
    let at = |e: &Compiled| e.first_column().map(|i| (header(i), t.cell(i).display())).unwrap_or_default();
    if let Err(e) = metric.rule.check(&metric.id, n, d) {
        let (col, val) = match (&e, denominator) {
            (FigureError::Denominator(_), Some(den)) => at(den),
            _ => at(numerator),
        };
        let problem = Problem::new(t.row(), &col, &val, e.to_string());
        return Err(Refused { problem, rule_break: true });
    }
    Ok(Some((n, if metric.is_ratio { d } else { 0.0 })))
}
