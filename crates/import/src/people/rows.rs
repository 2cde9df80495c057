//! Reading a people file: its columns found by their names, and every row checked on its own
//! (a code given twice is a problem at its second row).

use std::collections::HashMap;

use chrono::NaiveDate;
use ladder_core::identity::{self, Platform};
use ladder_core::Framework;

use super::mapping::{PeopleMapping, COLUMNS};
use crate::read::{Cell, Input, Table};
use crate::report::Report;
use crate::validate::{self, Problem};
use crate::{Options, Phase, Progress};

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    pub row: u64,
    pub code: String,
    pub name: String,
    pub email: Option<Option<String>>,
    /// (site, account, team) names with the site's and account's attributes.
    pub place: Option<Option<Place>>,
    pub role: String,
    pub role_since: NaiveDate,
    pub hire_date: NaiveDate,
    /// How the hire date is known: given, or derived from years of service.
    pub hire_basis: HireBasis,
    /// Whether the file gives the role's start (else it is the hire date).
    pub role_since_given: bool,
    pub leader: Option<Option<String>>,
    pub active: Option<bool>,
    /// The day they left (`leave_date`), which makes them inactive.
    pub left_on: Option<NaiveDate>,
    /// The platform identities the file has a column for: `None` clears one.
    pub identities: Vec<(Platform, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Place {
    pub site: String,
    pub country: Option<String>,
    pub timezone: Option<String>,
    pub account: String,
    pub client: Option<String>,
    pub line_of_business: Option<String>,
    pub team: String,
}

/// A people file's rows that passed their own checks, with its header.
pub(super) struct FileRows {
    pub rows: Vec<Row>,
    pub total_bytes: u64,
    /// With `--skip-bad-rows`, the rows left out by their row number, with why.
    pub rejected: Rejected,
    /// Column key → position.
    columns: HashMap<&'static str, usize>,
    headers: Vec<String>,
}

impl FileRows {
    /// The file's header of a column, "" when the file has no such column.
    pub fn header(&self, key: &str) -> &str {
        self.columns.get(key).map_or("", |i| self.headers[*i].as_str())
    }
}

/// Rows left out with `--skip-bad-rows`: every one counted, the first
/// [`crate::rejects::MAX_ROWS`] kept with their problems for the rejects file.
#[derive(Default)]
pub(super) struct Rejected {
    pub rows: std::collections::BTreeMap<u64, Vec<Problem>>,
    pub count: u64,
}

impl Rejected {
    pub fn add(&mut self, p: &Problem) {
        if let Some(problems) = self.rows.get_mut(&p.row) {
            problems.push(p.clone());
            return;
        }
        self.count += 1;
        if self.rows.len() < crate::rejects::MAX_ROWS as usize {
            self.rows.insert(p.row, vec![p.clone()]);
        }
    }
}

/// How a hire date is known ([`ladder_store::org::bulk::Person::hire_date_basis`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HireBasis {
    Given,
    /// Counted back from the file's date by "years at company".
    Derived,
    /// Not in the file: tenure counts from the person's first figures (stored as `unknown`;
    /// the store moves the date to the first month with figures, see
    /// `ladder_store::org::bulk::hire_dates_from_first_data`).
    FirstData,
}

impl HireBasis {
    /// A stored basis that is a real date (given or derived), not a stand-in.
    pub fn known(stored: &str) -> Option<Self> {
        match stored {
            "given" => Some(Self::Given),
            "derived" => Some(Self::Derived),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HireBasis::Given => "given",
            HireBasis::Derived => "derived",
            HireBasis::FirstData => "unknown",
        }
    }
}

/// What reading a row needs besides the row: where each column is, the mapping's constants and
/// date formats, and the day years of service count back from.
pub(super) struct Context<'a> {
    columns: HashMap<&'static str, usize>,
    mapping: &'a PeopleMapping,
    fw: &'a Framework,
    as_of: NaiveDate,
}

/// Reads the file and checks each row; `None` when its header already makes it a problem.
pub(super) fn read(
    input: &Input,
    fw: &Framework,
    mapping: &PeopleMapping,
    opts: &Options,
    report: &mut Report,
) -> crate::Result<Option<FileRows>> {
    let keys = vec![mapping.names("code")];
    let mut table = match Table::open(input, &keys) {
        Ok(t) => t,
        Err(crate::read::ReadError::NoHeader(_, found)) => {
            report.add_problem(Problem::file(found), opts.max_problems);
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    let total_bytes = table.total_bytes();
    let columns: HashMap<&'static str, usize> = COLUMNS
        .iter()
        .filter_map(|(key, _)| mapping.names(key).iter().find_map(|n| table.column(n)).map(|i| (*key, i)))
        .collect();
    let given = |key: &str| columns.contains_key(key) || mapping.defaults.contains_key(key);
    let mut missing: Vec<String> = Vec::new();
    // A mapping may leave the name out (the code stands in), and the hire date where the years
    // at the company are given.
    if !given("name") && !mapping.is_written() {
        missing.push(mapping.names("name")[0].clone());
    }
    if !given("role") {
        missing.push(mapping.names("role")[0].clone());
    }
    if !given("hire_date") && !given("years_at_company") {
        missing.push(mapping.names("hire_date")[0].clone());
    }
    if !missing.is_empty() {
        let message = format!(
            "missing column{} '{}'; the header has: {}",
            if missing.len() == 1 { "" } else { "s" },
            missing.join("', '"),
            table.headers().join(", ")
        );
        report.add_problem(Problem::new(table.header_row(), &missing[0], "", message), opts.max_problems);
        return Ok(None);
    }
    let context = Context { columns, mapping, fw, as_of: mapping.as_of.unwrap_or(opts.today) };
    let problems_before = report.problem_count;
    let mut rejected = Rejected::default();
    let rows = read_rows(&mut table, &context, opts, report, &mut rejected)?;
    let headers = table.headers().to_vec();
    report.sha256 = Some(table.finish()?);
    debug_assert!(!opts.skip_bad_rows || report.problem_count - problems_before == rejected.count);
    Ok(Some(FileRows { rows, total_bytes, rejected, columns: context.columns, headers }))
}

/// Every row that passes its own checks; the others are problems.
fn read_rows(
    table: &mut Table,
    context: &Context<'_>,
    opts: &Options,
    report: &mut Report,
    rejected: &mut Rejected,
) -> crate::Result<Vec<Row>> {
    let total_bytes = table.total_bytes();
    let mut add_problem = |report: &mut Report, p: Problem| {
        if opts.skip_bad_rows {
            rejected.add(&p);
        }
        report.add_problem(p, opts.max_problems);
    };
    let mut rows = Vec::new();
    let mut first_row: HashMap<String, u64> = HashMap::new();
    let mut next_progress = 10_000;
    while table.next_row()? {
        if table.is_blank() {
            continue;
        }
        report.rows += 1;
        if let Some(p) = table.bad_text() {
            add_problem(report, p);
            continue;
        }
        match parse_row(table, context) {
            Ok(r) => {
                if let Some(first) = first_row.get(&r.code) {
                    let col = table.headers()[context.columns["code"]].clone();
                    let message = format!("duplicate row: {} already appears at row {first}", r.code);
                    add_problem(report, Problem::new(r.row, &col, &r.code, message));
                } else {
                    first_row.insert(r.code.clone(), r.row);
                    rows.push(r);
                }
            }
            Err(p) => add_problem(report, p),
        }
        if report.rows >= next_progress {
            next_progress += 10_000;
            let bytes = table.bytes_read().get();
            opts.report_progress(Progress::of_file(Phase::Reading, report.rows, bytes, total_bytes));
        }
    }
    Ok(rows)
}

/// One row's cells, read through a [`Context`].
struct Cells<'a> {
    t: &'a Table,
    c: &'a Context<'a>,
}

impl Cells<'_> {
    fn header(&self, key: &str) -> String {
        self.c.columns.get(key).map(|i| self.t.headers()[*i].clone()).unwrap_or_else(|| key.to_string())
    }

    /// The cell's text (or the mapping's constant); `None` when the file has no such column.
    fn text(&self, key: &str) -> Option<String> {
        match self.c.columns.get(key) {
            Some(i) => Some(match self.t.cell(*i) {
                Cell::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
                c => c.display(),
            }),
            None => self.c.mapping.defaults.get(key).cloned(),
        }
    }

    fn problem(&self, key: &str, value: &str, message: impl Into<String>) -> Problem {
        Problem::new(self.t.row(), &self.header(key), value, message)
    }

    fn required(&self, key: &str) -> Result<String, Problem> {
        match self.text(key) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(self.problem(key, "", format!("{} is empty", self.header(key)))),
        }
    }

    fn optional(&self, key: &str) -> Option<Option<String>> {
        self.text(key).map(|v| if v.is_empty() { None } else { Some(v) })
    }

    fn date(&self, key: &str) -> Result<Option<NaiveDate>, Problem> {
        let Some(i) = self.c.columns.get(key) else {
            let Some(text) = self.c.mapping.defaults.get(key) else { return Ok(None) };
            return validate::date(Cell::Text(text), &self.c.mapping.date_formats)
                .map_err(|e| self.problem(key, text, e.0));
        };
        let cell = self.t.cell(*i);
        validate::date(cell, &self.c.mapping.date_formats).map_err(|e| self.problem(key, &cell.display(), e.0))
    }

    /// A day `years` before the file's date ("years at company" 3.5 → three and a half years).
    fn years_back(&self, key: &str) -> Result<Option<NaiveDate>, Problem> {
        let Some(text) = self.text(key).filter(|t| !t.is_empty()) else { return Ok(None) };
        let years: f64 = match text.trim().parse() {
            Ok(y) if (0.0..=60.0).contains(&y) => y,
            _ => return Err(self.problem(key, &text, "not a number of years from 0 to 60")),
        };
        let days = (years * 365.2425).round() as i64;
        Ok(Some(self.c.as_of - chrono::Duration::days(days)))
    }
}

pub(super) fn parse_row(t: &Table, c: &Context<'_>) -> Result<Row, Problem> {
    let cells = Cells { t, c };
    let row = t.row();
    let code = cells.required("code")?;
    let name = match cells.text("name") {
        None if c.mapping.is_written() => code.clone(),
        _ => cells.required("name")?,
    };
    let role = role(&cells)?;
    let dated_since = cells.date("role_since")?;
    let years_since = if dated_since.is_none() { cells.years_back("years_in_role")? } else { None };
    let given_since = dated_since.or(years_since);
    let (hire_date, hire_basis) = hire_date(&cells, given_since)?;
    let role_since = match (dated_since, years_since) {
        (Some(d), _) => d,
        // Rounded years can reach before the hire date: the role then starts with the job.
        (None, Some(d)) => d.max(hire_date),
        (None, None) => hire_date,
    };
    if role_since < hire_date {
        let message = format!("wrong period: the role starts before the hire date {hire_date}");
        return Err(cells.problem("role_since", &role_since.to_string(), message));
    }
    let email = cells.optional("email");
    if let Some(Some(e)) = &email {
        if !e.contains('@') || e.contains(' ') {
            return Err(cells.problem("email", e, "not an e-mail address"));
        }
    }
    let place = place(&cells)?;
    let active = match cells.text("active") {
        None => None,
        Some(v) => match v.to_ascii_lowercase().as_str() {
            "" => None,
            "1" | "yes" | "y" | "true" | "active" => Some(true),
            "0" | "no" | "n" | "false" | "inactive" | "left" => Some(false),
            _ => return Err(cells.problem("active", &v, "not yes or no")),
        },
    };
    let left_on = cells.date("leave_date")?;
    if let Some(left) = left_on.filter(|left| *left < hire_date) {
        let message = format!("wrong period: the leave date is before the hire date {hire_date}");
        return Err(cells.problem("leave_date", &left.to_string(), message));
    }
    // A leave date makes someone inactive unless the row says they are active (a notice period).
    let active = active.or(left_on.map(|_| false));
    let mut identities = Vec::new();
    for platform in Platform::ALL {
        let Some(given) = cells.optional(platform.column()) else { continue };
        let given = match given {
            None => None,
            Some(v) => Some(
                identity::check_identifier(platform, &v)
                    .map_err(|message| cells.problem(platform.column(), &v, message))?,
            ),
        };
        identities.push((platform, given));
    }
    let leader = cells.optional("team_leader");
    Ok(Row {
        row,
        code,
        name,
        email,
        place,
        role,
        role_since,
        hire_date,
        hire_basis,
        role_since_given: given_since.is_some(),
        leader,
        active,
        left_on,
        identities,
    })
}

/// The row's role: a role id, a role's name or a known job title.
fn role(cells: &Cells<'_>) -> Result<String, Problem> {
    let text = cells.required("role")?;
    match cells.c.fw.role_for(&text) {
        Some(r) => Ok(r.id.clone()),
        None => Err(cells.problem(
            "role",
            &text,
            format!(
                "unknown role or job title; give a role id, a role's name or one of these titles: {} \
                 (an organisation adds its own titles with [[title]] in its framework overlay)",
                cells.c.fw.valid_roles()
            ),
        )),
    }
}

/// The hire date as given, else counted back from "years at company", else unknown: until the
/// person's first figures say more, the role's start or the file's date stands in.
fn hire_date(cells: &Cells<'_>, role_since: Option<NaiveDate>) -> Result<(NaiveDate, HireBasis), Problem> {
    let (hire_date, basis) = match cells.date("hire_date")? {
        Some(d) => (d, HireBasis::Given),
        None => match cells.years_back("years_at_company")? {
            Some(d) => (d, HireBasis::Derived),
            None => (role_since.unwrap_or(cells.c.as_of), HireBasis::FirstData),
        },
    };
    if hire_date > chrono::Utc::now().date_naive() + chrono::Duration::days(366) {
        let message = "wrong period: the hire date is more than a year ahead";
        return Err(cells.problem("hire_date", &hire_date.to_string(), message));
    }
    Ok((hire_date, basis))
}

/// The row's team with its site and account: all three, or none.
fn place(cells: &Cells<'_>) -> Result<Option<Option<Place>>, Problem> {
    Ok(match (cells.optional("site"), cells.optional("account"), cells.optional("team")) {
        (None, None, None) => None,
        (Some(None), Some(None), Some(None)) | (None, None, Some(None)) => Some(None),
        (Some(Some(site)), Some(Some(account)), Some(Some(team))) => Some(Some(Place {
            site,
            country: cells.optional("country").flatten(),
            timezone: cells.optional("timezone").flatten(),
            account,
            client: cells.optional("client").flatten(),
            line_of_business: cells.optional("line_of_business").flatten(),
            team,
        })),
        _ => {
            let team = cells.text("team").unwrap_or_default();
            return Err(cells.problem("team", &team, "a team needs its site and account (give all three, or none)"));
        }
    })
}
