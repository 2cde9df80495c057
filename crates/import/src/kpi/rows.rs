//! Checking a KPI file's rows one by one: the mapping's row filters, the employee (known, and
//! the caller's to import), the date or interval (in the period, not before the hire date, not
//! a duplicate), and each mapped metric's sums, turned into facts. A row is taken whole or not at
//! all, except that a metric breaking its rule in a mapping that warns is left out of the row.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use ladder_core::{EmployeeId, TeamId};

use super::interval::{self, Placed};
use super::lookup::Lookup;
use super::Employee;
use crate::mapping::{self, DateSource, Grain, Plan, PlanKind, Refused, Rows, RuleBreaks};
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
    intervals_seen: Intervals,
    /// The current row's interval, when the file has an end column.
    interval: Option<(NaiveDateTime, NaiveDateTime)>,
    last_date: LastDate,
    /// Rows of people no one is known as, by the value given (`Options::ignore_unknown`).
    unknown: Unknown,
    /// The problem of such a row when they are not left out.
    unknown_message: String,
    /// Whether the file's dates read both day/month and month/day.
    pub orders: validate::OrderCheck,
    intervals: interval::Rules,
    /// Rows left out by each of the plan's row filters.
    pub skipped: Vec<u64>,
    /// Metrics left out of a row for breaking their rule (a mapping that warns), to report.
    pub warnings: Vec<Problem>,
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
        let intervals =
            interval::Rules { grain: plan.grain, period_month: opts.period_month(), split: opts.split_intervals };
        let skipped = vec![0; plan.skips.len()];
        RowReader {
            plan,
            opts,
            employees,
            seen,
            intervals_seen: Intervals::default(),
            interval: None,
            last_date,
            unknown,
            unknown_message,
            orders,
            intervals,
            skipped,
            warnings: Vec::new(),
        }
    }

    /// The values of the employee column no one is known as, with their rows, most rows first.
    pub fn unknown(&self) -> crate::report::Unknown {
        self.unknown.summary()
    }

    /// Whether a row filter leaves the row out (counted), or a problem with its cell.
    fn skipped(&mut self, t: &Table, problems: &mut Vec<Problem>) -> bool {
        for (i, (_, condition)) in self.plan.skips.iter().enumerate() {
            match condition.holds(t) {
                Ok(false) => {}
                Ok(true) => {
                    self.skipped[i] += 1;
                    return true;
                }
                Err(e) => {
                    let header = t.headers().get(condition.column).map(String::as_str).unwrap_or("");
                    problems.push(Problem::new(t.row(), header, &t.cell(condition.column).display(), e.0));
                    return true;
                }
            }
        }
        false
    }

    /// Checks the table's current row: adds its facts, or its problem.
    pub fn read(&mut self, t: &Table, facts: &mut Vec<Fact>, problems: &mut Vec<Problem>) {
        if self.skipped(t, problems) {
            return;
        }
        let code_cell = t.cell(self.plan.employee);
        let code = code_cell.text();
        let Some(employee) = self.employee(t, &code, problems) else { return };
        self.interval = None;
        let Some(placed) = self.placed(t, &employee, &code, problems) else { return };
        let day = placed.places[0].0;
        // Parts of a day add up, but the same part twice (exports put one after another) must not.
        let interval = self.interval.filter(|_| self.plan.rows == Rows::Summary && !placed.whole);
        let date_header = match self.plan.date {
            DateSource::Column(i) => i,
            DateSource::Fixed(_) => self.plan.employee,
        };
        // Parts of a day (or month) add up; a row for the whole of it twice is a duplicate.
        let check_duplicates = self.plan.rows == Rows::Summary && placed.whole;
        let row = t.row();
        let header = |i: usize| t.headers().get(i).map(String::as_str).unwrap_or("");
        let (plan, warnings) = (&self.plan, &mut self.warnings);
        match &plan.kind {
            PlanKind::Wide(metrics) => {
                if check_duplicates && !self.seen.insert(day, employee.index, 0) {
                    problems.push(Problem::new(
                        row,
                        header(self.plan.employee),
                        &code,
                        format!("duplicate row: {code} already has a row for {day} earlier in the file"),
                    ));
                    return;
                }
                if let Some(interval) = interval {
                    if let Err(message) = self.intervals_seen.insert(employee.index, 0, interval, &code) {
                        problems.push(Problem::new(row, header(date_header), &t.cell(date_header).display(), message));
                        return;
                    }
                }
                let start = facts.len();
                for m in metrics {
                    let sums = mapping::sums(t, &m.metric, &m.numerator, m.denominator.as_ref(), plan.blank_numerator);
                    if let Err(p) = add(plan, warnings, sums, &placed, (row, employee.index, m.metric.position), facts)
                    {
                        // A row is taken whole or not at all.
                        facts.truncate(start);
                        problems.push(p);
                        return;
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
                if check_duplicates && !self.seen.insert(day, employee.index, slot as usize) {
                    problems.push(Problem::new(
                        row,
                        header(*metric_column),
                        &cell.display(),
                        format!("duplicate row: {code} already has {} for {day} earlier in the file", metric.id),
                    ));
                    return;
                }
                if let Some(interval) = interval {
                    if let Err(message) = self.intervals_seen.insert(employee.index, slot, interval, &code) {
                        problems.push(Problem::new(row, header(date_header), &t.cell(date_header).display(), message));
                        return;
                    }
                }
                let sums = mapping::sums(t, metric, numerator, denominator.as_ref(), plan.blank_numerator);
                if let Err(p) = add(plan, warnings, sums, &placed, (row, employee.index, slot), facts) {
                    problems.push(p);
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

    /// Where the row counts, if it is a date (or interval) the file may have for the employee.
    fn placed(&mut self, t: &Table, employee: &Employee, code: &str, problems: &mut Vec<Problem>) -> Option<Placed> {
        let date_column = match self.plan.date {
            DateSource::Column(i) => i,
            DateSource::Fixed(day) => {
                let placed = Placed { places: vec![(day, 1.0)], whole: true };
                return self.check_dates(placed, t, employee, code, None, problems);
            }
        };
        let row = t.row();
        let header = |i: usize| t.headers().get(i).map(String::as_str).unwrap_or("").to_string();
        // Timestamps with an offset are turned into the mapping's zone when it names one (the
        // file's own choice), else the person's site's.
        let zone = self.plan.zone.or(employee.zone);
        let start = self.timestamp(t, date_column, zone, problems)?;
        let Some(end_column) = self.plan.interval_end else {
            let placed = Placed { places: vec![(start.date(), 1.0)], whole: true };
            return self.check_dates(placed, t, employee, code, Some(date_column), problems);
        };
        let end = self.timestamp(t, end_column, zone, problems)?;
        self.interval = Some((start, end));
        match interval::place(start, end, self.intervals) {
            Ok(placed) => self.check_dates(placed, t, employee, code, Some(date_column), problems),
            Err(message) => {
                problems.push(Problem::new(row, &header(end_column), &t.cell(end_column).display(), message));
                None
            }
        }
    }

    /// The date and time in a column of the row (the date column is read through the cache).
    fn timestamp(
        &mut self,
        t: &Table,
        column: usize,
        zone: Option<chrono_tz::Tz>,
        problems: &mut Vec<Problem>,
    ) -> Option<NaiveDateTime> {
        let header = t.headers().get(column).map(String::as_str).unwrap_or("");
        let cell = t.cell(column);
        let instant = match cell {
            Cell::Text(text) => validate::instant_in(text, zone),
            _ => None,
        };
        let read = match self.plan.date {
            // Not cached by its text: the same instant is another day for another person.
            _ if instant.is_some() => {
                let local = instant.expect("tested");
                ladder_core::dates::in_range(local.date())
                    .map(|_| Some(local))
                    .map_err(|e| validate::BadValue(e.to_string()))
            }
            DateSource::Column(c) if c == column && self.plan.interval_end.is_none() => {
                self.last_date.parse(cell, &self.plan.date_formats, t.row(), &mut self.orders).map(|d| d.map(midnight))
            }
            // Interval columns: read each time, and watched for their order as dates are.
            _ => validate::timestamp_by(cell, &self.plan.date_formats).map(|read| {
                if let (Some((_, Some(by))), Cell::Text(text)) = (read, cell) {
                    if self.orders.active() {
                        self.orders.note(t.row(), text.trim(), by, &self.plan.date_formats);
                    }
                }
                read.map(|(d, _)| d)
            }),
        };
        match read {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                problems.push(Problem::new(t.row(), header, "", "the date is empty"));
                None
            }
            Err(e) => {
                problems.push(Problem::new(t.row(), header, &cell.display(), e.0));
                None
            }
        }
    }

    /// The placed dates, if each is one the file may have for the employee.
    fn check_dates(
        &self,
        placed: Placed,
        t: &Table,
        employee: &Employee,
        code: &str,
        column: Option<usize>,
        problems: &mut Vec<Problem>,
    ) -> Option<Placed> {
        for &(day, _) in &placed.places {
            if let Err(message) = self.check_date(day, employee, code) {
                let header = column.and_then(|i| t.headers().get(i)).map(String::as_str).unwrap_or("");
                let value = column.map(|i| t.cell(i).display()).unwrap_or_else(|| day.to_string());
                problems.push(Problem::new(t.row(), header, &value, message));
                return None;
            }
        }
        Some(placed)
    }

    /// Why the file may not have `day` for the employee, if so.
    fn check_date(&self, day: NaiveDate, employee: &Employee, code: &str) -> Result<(), String> {
        let (plan, opts) = (&self.plan, self.opts);
        let wrong = Err;
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
        Ok(())
    }
}

/// Values of the employee column that name no one, counted; past [`Unknown::DISTINCT`] distinct
/// values only the rows are counted, so a file of strangers cannot fill the memory.
#[derive(Default)]
struct Unknown {
    counts: HashMap<String, u64>,
    rows: u64,
    /// A value met past the cap: the distinct count is a floor.
    more: bool,
}

impl Unknown {
    const DISTINCT: usize = 10_000;

    fn add(&mut self, value: &str) {
        self.rows += 1;
        if let Some(n) = self.counts.get_mut(value) {
            *n += 1;
        } else if self.counts.len() < Unknown::DISTINCT {
            self.counts.insert(value.to_string(), 1);
        } else {
            self.more = true;
        }
    }

    fn summary(&self) -> crate::report::Unknown {
        let mut values: Vec<(String, u64)> = self.counts.iter().map(|(v, n)| (v.clone(), *n)).collect();
        values.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        crate::report::Unknown { rows: self.rows, distinct: values.len() as u64, distinct_exact: !self.more, values }
    }
}

/// Adds a metric's sums of the row as facts where the row counts; a rule broken under a
/// mapping that warns leaves the metric out, with a warning.
fn add(
    plan: &Plan,
    warnings: &mut Vec<Problem>,
    sums: Result<Option<(f64, f64)>, Refused>,
    placed: &Placed,
    (row, employee, metric): (u64, u32, u16),
    facts: &mut Vec<Fact>,
) -> Result<(), Problem> {
    let (numerator, denominator) = match sums {
        Ok(Some(sums)) => sums,
        Ok(None) => return Ok(()),
        Err(r) if r.rule_break && plan.rule_breaks == RuleBreaks::Warn => {
            let mut warning = r.problem;
            warning.message = format!("{}; left out of this row", warning.message);
            warnings.push(warning);
            return Ok(());
        }
        Err(r) => return Err(r.problem),
    };
    // An interaction that adds nothing to a metric (a call with no survey) is no fact of it.
    if plan.rows == Rows::Interaction && numerator == 0.0 && denominator == 0.0 {
        return Ok(());
    }
    // Checked before any fact is made, so a refused row leaves none (a share is within 0–1).
    let finite = |x: f64| x.is_finite();
    if !finite(numerator) || !finite(denominator) || !placed.places.iter().all(|&(_, share)| finite(share)) {
        let message = format!("the row's sums ({numerator} ÷ {denominator}) are not numbers that can be stored");
        return Err(Problem::new(row, "", "", message));
    }
    // A monthly file's facts from part of a month go on its 2nd day (whole months on the 1st):
    // a month built only from parts replaces a stored figure only when asked (merge_monthly).
    let partial = plan.grain == Grain::Month && !placed.whole;
    for &(day, share) in &placed.places {
        let day = if partial { day.with_day(2).expect("day 2 exists") } else { day };
        facts.push(Fact::new(employee, day, metric, numerator * share, denominator * share));
    }
    Ok(())
}

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).expect("midnight exists")
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

/// The parts of days (or months) the file has had per (employee, slot): an interval that starts
/// where one before did, or overlaps the employee's interval just before, is refused.
#[derive(Default)]
struct Intervals {
    starts: HashSet<(u32, u16, i64)>,
    last: HashMap<(u32, u16), (NaiveDateTime, NaiveDateTime)>,
}

impl Intervals {
    fn insert(
        &mut self,
        employee: u32,
        slot: u16,
        (start, end): (NaiveDateTime, NaiveDateTime),
        code: &str,
    ) -> Result<(), String> {
        let overlaps = |(from, to): (NaiveDateTime, NaiveDateTime)| start < to && from < end;
        let before = self.last.get(&(employee, slot)).copied().filter(|&i| overlaps(i));
        let repeated = !self.starts.insert((employee, slot, start.and_utc().timestamp_millis()));
        if repeated || before.is_some() {
            let earlier = before.map_or_else(|| format!("starting {start}"), |(from, to)| format!("{from} to {to}"));
            return Err(format!(
                "overlapping interval: {code} already has an interval {earlier} earlier in the file (an export \
                 added twice?); the interval {start} to {end} would count twice"
            ));
        }
        self.last.insert((employee, slot), (start, end));
        Ok(())
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
