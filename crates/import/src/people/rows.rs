//! Reading a people file: its columns found by their names, and every row checked on its own
//! (a code given twice is a problem at its second row).

use std::collections::HashMap;

use chrono::NaiveDate;
use ladder_core::Framework;

use crate::read::{Cell, Input, Table};
use crate::report::Report;
use crate::validate::{self, Problem};
use crate::{Options, Phase, Progress};

/// The columns of a people file, each with the names accepted for it.
const COLUMNS: &[(&str, &[&str])] = &[
    ("code", &["code", "employee", "employee code", "employee id"]),
    ("name", &["name", "full name", "employee name"]),
    ("email", &["email", "e-mail"]),
    ("site", &["site"]),
    ("country", &["country", "site country"]),
    ("timezone", &["timezone", "time zone", "site timezone"]),
    ("account", &["account"]),
    ("client", &["client"]),
    ("line_of_business", &["line of business", "line_of_business", "lob"]),
    ("team", &["team"]),
    ("role", &["role", "role id"]),
    ("role_since", &["role since", "role_since", "role start"]),
    ("hire_date", &["hire date", "hire_date", "hired"]),
    ("team_leader", &["team leader", "team_leader", "reports to", "manager"]),
    ("active", &["active"]),
];

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
    pub leader: Option<Option<String>>,
    pub active: Option<bool>,
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

/// Reads the file and checks each row; `None` when its header already makes it a problem.
pub(super) fn read(
    input: &Input,
    fw: &Framework,
    opts: &Options,
    report: &mut Report,
) -> crate::Result<Option<FileRows>> {
    let keys = vec![COLUMNS[0].1.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
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
        .filter_map(|(key, names)| names.iter().find_map(|n| table.column(n)).map(|i| (*key, i)))
        .collect();
    for required in ["name", "role", "hire_date"] {
        if !columns.contains_key(required) {
            let names = COLUMNS.iter().find(|(k, _)| *k == required).expect("listed").1;
            report.add_problem(
                Problem::new(
                    table.header_row(),
                    names[0],
                    "",
                    format!("missing column '{}'; the header has: {}", names[0], table.headers().join(", ")),
                ),
                opts.max_problems,
            );
        }
    }
    if !report.is_ok() {
        return Ok(None);
    }
    let rows = read_rows(&mut table, &columns, fw, opts, report)?;
    let headers = table.headers().to_vec();
    report.sha256 = Some(table.finish()?);
    Ok(Some(FileRows { rows, total_bytes, columns, headers }))
}

/// Every row that passes its own checks; the others are problems.
fn read_rows(
    table: &mut Table,
    columns: &HashMap<&'static str, usize>,
    fw: &Framework,
    opts: &Options,
    report: &mut Report,
) -> crate::Result<Vec<Row>> {
    let total_bytes = table.total_bytes();
    let mut rows = Vec::new();
    let mut first_row: HashMap<String, u64> = HashMap::new();
    let mut next_progress = 10_000;
    while table.next_row()? {
        if table.is_blank() {
            continue;
        }
        report.rows += 1;
        if let Some(p) = table.bad_text() {
            report.add_problem(p, opts.max_problems);
            continue;
        }
        match parse_row(table, columns, fw) {
            Ok(r) => {
                if let Some(first) = first_row.get(&r.code) {
                    let col = table.headers()[columns["code"]].clone();
                    report.add_problem(
                        Problem::new(
                            r.row,
                            &col,
                            &r.code,
                            format!("duplicate row: {} already appears at row {first}", r.code),
                        ),
                        opts.max_problems,
                    );
                } else {
                    first_row.insert(r.code.clone(), r.row);
                    rows.push(r);
                }
            }
            Err(p) => report.add_problem(p, opts.max_problems),
        }
        if report.rows >= next_progress {
            next_progress += 10_000;
            let bytes = table.bytes_read().get();
            opts.report_progress(Progress::of_file(Phase::Reading, report.rows, bytes, total_bytes));
        }
    }
    Ok(rows)
}

pub(super) fn parse_row(t: &Table, columns: &HashMap<&'static str, usize>, fw: &Framework) -> Result<Row, Problem> {
    let row = t.row();
    let header = |key: &str| columns.get(key).map(|i| t.headers()[*i].clone()).unwrap_or_else(|| key.to_string());
    let text = |key: &str| -> Option<String> {
        columns.get(key).map(|i| match t.cell(*i) {
            Cell::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            c => c.display(),
        })
    };
    let required = |key: &str| -> Result<String, Problem> {
        match text(key) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(Problem::new(row, &header(key), "", format!("{} is empty", header(key)))),
        }
    };
    let date = |key: &str| -> Result<Option<NaiveDate>, Problem> {
        let Some(i) = columns.get(key) else { return Ok(None) };
        let cell = t.cell(*i);
        validate::date(cell, &[]).map_err(|e| Problem::new(row, &header(key), &cell.display(), e.0))
    };
    let optional = |key: &str| text(key).map(|v| if v.is_empty() { None } else { Some(v) });
    let code = required("code")?;
    let name = required("name")?;
    let role_text = required("role")?;
    let role = match fw.role(&role_text) {
        Some(r) => r.id.clone(),
        None => match fw.roles.iter().find(|r| r.name.eq_ignore_ascii_case(&role_text)) {
            Some(r) => r.id.clone(),
            None => {
                return Err(Problem::new(row, &header("role"), &role_text, "unknown role (use a framework role id)"))
            }
        },
    };
    let hire_date =
        date("hire_date")?.ok_or_else(|| Problem::new(row, &header("hire_date"), "", "the hire date is empty"))?;
    if hire_date > chrono::Utc::now().date_naive() + chrono::Duration::days(366) {
        return Err(Problem::new(
            row,
            &header("hire_date"),
            &hire_date.to_string(),
            "wrong period: the hire date is more than a year ahead",
        ));
    }
    let role_since = date("role_since")?.unwrap_or(hire_date);
    if role_since < hire_date {
        return Err(Problem::new(
            row,
            &header("role_since"),
            &role_since.to_string(),
            format!("wrong period: the role starts before the hire date {hire_date}"),
        ));
    }
    let email = optional("email");
    if let Some(Some(e)) = &email {
        if !e.contains('@') || e.contains(' ') {
            return Err(Problem::new(row, &header("email"), e, "not an e-mail address"));
        }
    }
    let place = match (optional("site"), optional("account"), optional("team")) {
        (None, None, None) => None,
        (Some(None), Some(None), Some(None)) | (None, None, Some(None)) => Some(None),
        (Some(Some(site)), Some(Some(account)), Some(Some(team))) => Some(Some(Place {
            site,
            country: optional("country").flatten(),
            timezone: optional("timezone").flatten(),
            account,
            client: optional("client").flatten(),
            line_of_business: optional("line_of_business").flatten(),
            team,
        })),
        _ => {
            return Err(Problem::new(
                row,
                &header("team"),
                &text("team").unwrap_or_default(),
                "a team needs its site and account (give all three, or none)",
            ))
        }
    };
    let active = match text("active") {
        None => None,
        Some(v) => match v.to_ascii_lowercase().as_str() {
            "" => None,
            "1" | "yes" | "y" | "true" | "active" => Some(true),
            "0" | "no" | "n" | "false" | "inactive" | "left" => Some(false),
            _ => return Err(Problem::new(row, &header("active"), &v, "not yes or no")),
        },
    };
    Ok(Row { row, code, name, email, place, role, role_since, hire_date, leader: optional("team_leader"), active })
}
