//! What the import's tests share: the test kit (a fresh database per test on each backend), the
//! sample files, importing them, and reading back what the imports wrote.
#![allow(dead_code, clippy::type_complexity)]

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use ladder_core::{EmployeeId, Framework};
use ladder_import::{Input, Options, Report};
use ladder_store::{on_db, Db};
pub use ladder_testkit::{backends, each_backend, Backend, TestDb};

pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Options with a fixed "today", so tests do not depend on the calendar.
pub fn options() -> Options {
    Options { today: day(2026, 1, 1), ..Options::default() }
}

pub async fn import_people(db: &Db, input: Input) -> Report {
    ladder_import::people::import(db, &Framework::default_framework(), &input, &options()).await.unwrap()
}

/// Loads tests/data/people.csv and checks it went in.
pub async fn seed_people(db: &Db) {
    let r = import_people(db, Input::path(data("people.csv"))).await;
    assert!(r.committed, "{r}");
}

pub async fn import_kpi(db: &Db, mapping: &str, input: Input, opts: &Options) -> Report {
    let mapping = ladder_import::Mapping::load(mapping).unwrap();
    ladder_import::kpi::import(db, &Framework::default_framework(), &mapping, &input, opts).await.unwrap()
}

pub fn csv(name: &str, text: &str) -> Input {
    Input::bytes(name, text.as_bytes().to_vec())
}

/// Everything the imports write, as text, to compare databases.
pub async fn dump(db: &Db) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(daily(db).await.into_iter().map(|r| format!("daily {r:?}")));
    // Through the store's reader: a daily import's figures are kept with their days.
    let people: Vec<(EmployeeId, String)> =
        on_db!(db, p => sqlx::query_as("SELECT id, code FROM employees ORDER BY code").fetch_all(p).await.unwrap());
    for (id, code) in people {
        for a in ladder_store::kra::actuals(db, id, ANY_MONTH.0, ANY_MONTH.1).await.unwrap() {
            let row = (&code, a.month, &a.metric, a.numerator, a.denominator, a.source.as_str(), a.updated_at);
            out.push(format!("monthly {row:?}"));
        }
    }
    out.extend(people_dump(db).await);
    out
}

/// Every stored daily fact: (code, day, metric, numerator, denominator, file of the import that
/// last changed its metric's month).
pub async fn daily(db: &Db) -> Vec<(String, NaiveDate, String, f64, f64, String)> {
    let packed: Vec<(String, NaiveDate, Vec<u8>)> = on_db!(db, p => sqlx::query_as(
        "SELECT e.code, d.month, d.metrics FROM kpi_employee_months d JOIN employees e ON e.id = d.employee_id
         ORDER BY e.code, d.month").fetch_all(p).await.unwrap());
    let files: std::collections::HashMap<i64, String> =
        on_db!(db, p => sqlx::query_as("SELECT id, file_name FROM imports").fetch_all(p).await.unwrap())
            .into_iter()
            .collect();
    let mut out = Vec::new();
    for (code, month, metrics) in packed {
        for m in ladder_store::daily::unpack_metrics(&metrics).unwrap() {
            let file = &files[&m.import_id.expect("an imported metric names its import")];
            for (day, n, d) in ladder_store::daily::MonthDays::decode(m.days).unwrap().iter() {
                out.push((code.clone(), month.with_day(day).unwrap(), m.metric.to_string(), n, d, file.clone()));
            }
        }
    }
    out.sort_by(|a, b| (&a.0, a.1, &a.2).cmp(&(&b.0, b.1, &b.2)));
    out
}

/// The packed metrics of one employee's month.
pub async fn employee_month(db: &Db, employee_id: EmployeeId, month: NaiveDate) -> Vec<u8> {
    on_db!(db, p => sqlx::query_scalar("SELECT metrics FROM kpi_employee_months WHERE employee_id = $1 AND month = $2")
        .bind(employee_id).bind(month).fetch_one(p).await.unwrap())
}

pub async fn people_dump(db: &Db) -> Vec<String> {
    let mut out = Vec::new();
    type Emp = (i64, String, String, Option<String>, Option<i64>, String, NaiveDate, NaiveDate, Option<i64>, bool);
    let employees: Vec<Emp> = on_db!(db, p => sqlx::query_as(
        "SELECT id, code, name, email, team_id, role_id, role_since, hire_date, manager_id, active FROM employees ORDER BY id")
        .fetch_all(p).await.unwrap());
    out.extend(employees.into_iter().map(|r| format!("employee {r:?}")));
    let teams: Vec<(i64, i64, String)> = on_db!(db, p => sqlx::query_as("SELECT id, account_id, name FROM teams ORDER BY id").fetch_all(p).await.unwrap());
    out.extend(teams.into_iter().map(|r| format!("team {r:?}")));
    let leaders: Vec<(i64, i64)> = on_db!(db, p => sqlx::query_as(
        "SELECT team_id, employee_id FROM team_leaders ORDER BY 1, 2").fetch_all(p).await.unwrap());
    out.extend(leaders.into_iter().map(|r| format!("leads {r:?}")));
    let spells: Vec<(i64, String, Option<i64>, NaiveDate, Option<NaiveDate>)> = on_db!(db, p => sqlx::query_as(
        "SELECT employee_id, role_id, team_id, from_date, to_date FROM role_history ORDER BY employee_id, from_date, id")
        .fetch_all(p).await.unwrap());
    out.extend(spells.into_iter().map(|r| format!("spell {r:?}")));
    out
}

/// Months far enough apart to hold every test's.
const ANY_MONTH: (NaiveDate, NaiveDate) =
    (NaiveDate::from_ymd_opt(1900, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2999, 12, 1).unwrap());

/// The monthly sums of one employee's metric, as the store reads them.
pub async fn monthly(db: &Db, code: &str, month: NaiveDate, metric: &str) -> Option<(f64, f64)> {
    let id: EmployeeId = on_db!(db, p => sqlx::query_scalar("SELECT id FROM employees WHERE code = $1")
        .bind(code).fetch_one(p).await.unwrap());
    let actuals = ladder_store::kra::actuals(db, id, month, month).await.unwrap();
    actuals.into_iter().find(|a| a.metric == metric).map(|a| (a.numerator, a.denominator))
}

pub async fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT count(*) FROM {table}");
    on_db!(db, p => sqlx::query_scalar(&sql).fetch_one(p).await.unwrap())
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6 * b.abs().max(1.0)
}
