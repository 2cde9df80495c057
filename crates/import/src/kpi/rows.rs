//! Checking a KPI file's rows one by one: the employee (known, and the caller's to import), the
//! date (in the period, not before the hire date, not a duplicate), and each mapped metric's
//! sums, turned into facts. A row is taken whole or not at all.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use ladder_core::{EmployeeId, TeamId};

use super::lookup::Lookup;
use super::Employee;
use crate::mapping::{self, Grain, Plan, PlanKind};
use crate::merge::Fact;
use crate::read::{Cell, Table};
use crate::validate::{self, Problem};
use crate::{EmployeeRef, Options};

/// What checking rows keeps from one row to the next.
pub(super) struct RowReader<'a> {
    pub plan: Plan,
    opts: &'a Options,
    employees: Lookup<'a>,
    seen: Seen,
    last_date: LastDate,
    /// Rows of people no one is known as, by the value given (`Options::ignore_unknown`).
    unknown: Unknown,
    /// The problem of such a row when they are not left out.
    unknown_message: String,
    /// Whether the file's dates read both day/month and month/day.
    pub orders: validate::OrderCheck,
}

impl<'a> RowReader<'a> {
    pub fn new(plan: Plan, opts: &'a Options, employees: Lookup<'a>, metrics: usize) -> RowReader<'a> {
        let slots = match plan.kind {
            PlanKind::Wide(_) => 1,
            PlanKind::Long { .. } => metrics,
        };
        let seen = Seen::new(employees.len(), slots);
        let unknown_message = employees.unknown_message();
        let (last_date, unknown) = (LastDate::default(), Unknown::default());
        let orders = validate::OrderCheck::new(&plan.date_formats);
        RowReader { plan, opts, employees, seen, last_date, unknown, unknown_message, orders }
    }

    /// The values of the employee column no one is known as, with their rows, most rows first.
    pub fn unknown(&self) -> crate::report::Unknown {
        self.unknown.summary()
    }

    /// Checks the table's current row: adds its facts, or its problem.
    pub fn read(&mut self, t: &Table, facts: &mut Vec<Fact>, problems: &mut Vec<Problem>) {
        let code_cell = t.cell(self.plan.employee);
        let code = code_cell.text();
        let Some(employee) = self.employee(t, &code, problems) else { return };
        let Some(day) = self.day(t, &employee, &code, problems) else { return };
        let row = t.row();
        let header = |i: usize| t.headers().get(i).map(String::as_str).unwrap_or("");
        match &self.plan.kind {
            PlanKind::Wide(metrics) => {
                if !self.seen.insert(day, employee.index, 0) {
                    problems.push(Problem::new(
                        row,
                        header(self.plan.employee),
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
                if !self.seen.insert(day, employee.index, slot as usize) {
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

    /// The employee of the row's `code`, if known and the caller's to import.
    fn employee(&mut self, t: &Table, code: &str, problems: &mut Vec<Problem>) -> Option<Employee> {
        let header = || t.headers().get(self.plan.employee).map(String::as_str).unwrap_or("");
        let row = t.row();
        if code.is_empty() {
            problems.push(Problem::new(row, header(), "", "the employee code is empty"));
            return None;
        }
        let Some(employee) = self.employees.get(code) else {
            if self.opts.ignore_unknown {
                self.unknown.add(code);
            } else {
                problems.push(Problem::new(row, header(), code, &self.unknown_message));
            }
            return None;
        };
        if self.opts.importer == Some(EmployeeId(employee.id)) {
            problems.push(Problem::new(row, header(), code, crate::OWN_RECORD));
            return None;
        }
        if let Some(allowed) = &self.opts.allowed {
            if !allowed(&EmployeeRef { id: Some(EmployeeId(employee.id)), code, team_id: employee.team_id.map(TeamId) })
            {
                problems.push(Problem::new(
                    row,
                    header(),
                    code,
                    "not allowed: this employee is outside the people you may import data for",
                ));
                return None;
            }
        }
        Some(employee)
    }

    /// The row's date, if it is one the file may have for the employee.
    fn day(&mut self, t: &Table, employee: &Employee, code: &str, problems: &mut Vec<Problem>) -> Option<NaiveDate> {
        let (plan, opts) = (&self.plan, self.opts);
        let header = || t.headers().get(plan.date).map(String::as_str).unwrap_or("");
        let row = t.row();
        let date_cell = t.cell(plan.date);
        let day = match self.last_date.parse(date_cell, &plan.date_formats, row, &mut self.orders) {
            Ok(Some(d)) => d,
            Ok(None) => {
                problems.push(Problem::new(row, header(), "", "the date is empty"));
                return None;
            }
            Err(e) => {
                problems.push(Problem::new(row, header(), &date_cell.display(), e.0));
                return None;
            }
        };
        let mut wrong = |message: String| {
            problems.push(Problem::new(row, header(), &date_cell.display(), message));
            None
        };
        if plan.grain == Grain::Month && !validate::is_first_of_month(day) {
            return wrong(format!(
                "wrong period: a monthly file needs a month (YYYY-MM or its first day), not the day {day}"
            ));
        }
        if day > opts.today {
            return wrong(format!("wrong period: {day} is in the future"));
        }
        if let Some((from, to)) = opts.period {
            let last = match plan.grain {
                Grain::Day => day,
                Grain::Month => ladder_core::period::Month::of(day).last_day(),
            };
            if last < from || day > to {
                return wrong(format!("wrong period: {day} is outside the import period {from} to {to}"));
            }
        }
        let hired = match plan.grain {
            Grain::Day => employee.hire_date,
            Grain::Month => employee.hire_date.with_day(1).expect("day 1 exists"),
        };
        if day < hired {
            return wrong(format!("wrong period: {day} is before {code}'s hire date {}", employee.hire_date));
        }
        Some(day)
    }
}

/// Values of the employee column that name no one, counted; past [`Unknown::DISTINCT`] distinct
/// values only the rows are counted, so a file of strangers cannot fill the memory.
#[derive(Default)]
struct Unknown {
    counts: HashMap<String, u64>,
    rows: u64,
}

impl Unknown {
    const DISTINCT: usize = 10_000;

    fn add(&mut self, value: &str) {
        self.rows += 1;
        if let Some(n) = self.counts.get_mut(value) {
            *n += 1;
        } else if self.counts.len() < Unknown::DISTINCT {
            self.counts.insert(value.to_string(), 1);
        }
    }

    fn summary(&self) -> crate::report::Unknown {
        let mut values: Vec<(String, u64)> = self.counts.iter().map(|(v, n)| (v.clone(), *n)).collect();
        values.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        crate::report::Unknown { rows: self.rows, distinct: values.len() as u64, values }
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
    /// Also tells `orders` about each new date text a format read (the same text reads the same).
    fn parse(
        &mut self,
        cell: Cell<'_>,
        formats: &[String],
        row: u64,
        orders: &mut validate::OrderCheck,
    ) -> Result<Option<NaiveDate>, validate::BadValue> {
        if let Cell::Text(text) = cell {
            if !self.text.is_empty() && text == self.text {
                return Ok(self.day);
            }
        }
        let read = validate::date_by(cell, formats)?;
        if let (Some((_, Some(by))), Cell::Text(text)) = (read, cell) {
            if orders.active() {
                orders.note(row, text.trim(), by, formats);
            }
        }
        let day = read.map(|(d, _)| d);
        if let Cell::Text(text) = cell {
            self.text.clear();
            self.text.push_str(text);
            self.day = day;
        }
        Ok(day)
    }
}
