//! A KPI import's figures, written in bulk inside its transaction ([`Tx`]): the stored
//! employee-months of a span read back, the merged ones written, a monthly file's rows written,
//! and the monthly rows a daily file's days replace removed (a figure is kept in one place).
//!
//! SQLite runs prepared statements through the C library on the transaction's own connection
//! (`sqlite.rs`); PostgreSQL streams the rows with `COPY` into staging tables and applies them at
//! the end (`postgres.rs`). The import decides what to write (merging, counting); this module is
//! the only writer of `kpi_employee_months` and `kra_actuals` it uses.

mod postgres;
mod sqlite;

use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;

use crate::{Result, StoreError, Tx};

/// A row of `kpi_employee_months` to write: every metric's days
/// ([`crate::daily::pack_metrics`]); one with no metric left is deleted.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthRow {
    pub employee_id: i64,
    /// [`month_key`].
    pub month: i32,
    pub metrics: Vec<u8>,
}

/// A monthly sum to write to `kra_actuals` (a monthly file's row).
#[derive(Debug, Clone, PartialEq)]
pub struct MonthlySum {
    pub employee_id: i64,
    pub month: i32,
    /// The metric's position in [`Settings::metrics`].
    pub metric: u16,
    pub numerator: f64,
    pub denominator: f64,
}

/// A monthly figure a daily file changed: its days are in a [`MonthRow`] written beside it, so
/// a `kra_actuals` row for it, if any, goes (a figure is kept in one place).
#[derive(Debug, Clone, PartialEq)]
pub struct ChangedFigure {
    pub employee_id: i64,
    pub month: i32,
    pub metric: u16,
    /// The metric had days stored before (so the figure is updated, not new).
    pub had_days: bool,
    /// The days' total changed (days may change and still add up to the same figure).
    pub total_changed: bool,
}

/// A month as a number (year × 12 + month − 1): what the rows above name months by.
pub fn month_key(day: NaiveDate) -> i32 {
    day.year() * 12 + day.month0() as i32
}

/// The first day of a [`month_key`].
pub fn month_start(key: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(key.div_euclid(12), key.rem_euclid(12) as u32 + 1, 1).expect("a valid month")
}

/// How the figures are written.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The framework's metric ids, by position.
    pub metrics: Arc<Vec<Arc<str>>>,
    /// `updated_at` of the monthly rows written.
    pub now: DateTime<Utc>,
    /// A monthly file: count the rows it adds (on SQLite, by the table's size before and after).
    pub monthly: bool,
    /// Take [`super::FIGURES_LOCK`] alone before the first read of stored figures (PostgreSQL;
    /// a real run: a dry run writes nothing and waits for no one).
    pub lock_figures: bool,
}

/// What the writes did to `kra_actuals`, once applied ([`Figures::finish`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// A monthly file's rows inserted.
    pub monthly_new: i64,
    /// A monthly file's rows inserted or changed.
    pub monthly_changed: i64,
    /// Monthly rows a daily file's days replaced where no days were stored before.
    pub replaced_without_days: u64,
}

/// The figures being written in a transaction.
pub struct Figures {
    tx: Tx,
    staging: Staging,
    /// Whether [`super::FIGURES_LOCK`] is still to be taken.
    lock_figures: bool,
    /// The (employee, month key) pairs written: their stored scores are queued at the end.
    touched: Vec<(i64, i32)>,
}

enum Staging {
    Sqlite(sqlite::Staging),
    Postgres(postgres::Staging),
}

/// The transaction's connection and the staging of its backend.
enum Backend<'a> {
    Sqlite(&'a mut SqliteConnection, &'a mut sqlite::Staging),
    Postgres(&'a mut PgConnection, &'a mut postgres::Staging),
}

impl Figures {
    /// Starts writing figures in `tx` (on PostgreSQL: makes the staging tables).
    pub async fn begin(mut tx: Tx, settings: Settings) -> Result<Figures> {
        let staging = match &mut tx {
            Tx::Sqlite(t) => Staging::Sqlite(sqlite::Staging::begin(t, &settings).await?),
            Tx::Postgres(t) => Staging::Postgres(postgres::Staging::begin(t, &settings).await?),
        };
        Ok(Figures { tx, staging, lock_figures: settings.lock_figures, touched: Vec::new() })
    }

    /// Calls `each` with (employee, month, packed metrics) for each stored employee-month of
    /// employees `employees.0..=employees.1` in month keys `months.0..=months.1`.
    pub async fn stored<E: From<StoreError>>(
        &mut self,
        employees: (i64, i64),
        months: (i32, i32),
        each: impl FnMut(i64, NaiveDate, &[u8]) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let lock = std::mem::take(&mut self.lock_figures);
        match self.backend() {
            Backend::Sqlite(c, s) => s.stored(c, employees, months, each).await,
            Backend::Postgres(c, _) => {
                if lock {
                    postgres::lock_figures(c).await.map_err(StoreError::from)?;
                }
                postgres::stored(c, employees, months, each).await
            }
        }
    }

    /// The monthly figures (`kra_actuals` rows, a monthly file's or typed in) of employees
    /// `employees.0..=employees.1` in month keys `months.0..=months.1`, as (employee, month key,
    /// metric, numerator, denominator): what a daily file's days would replace. Read before the
    /// batch that replaces them is put.
    pub async fn monthly_figures(
        &mut self,
        employees: (i64, i64),
        months: (i32, i32),
    ) -> Result<Vec<(i64, i32, String, f64, f64)>> {
        const SQL: &str = "SELECT employee_id, month, metric, numerator, denominator FROM kra_actuals \
            WHERE employee_id BETWEEN $1 AND $2 AND month BETWEEN $3 AND $4";
        let (from, to) = (month_start(months.0), month_start(months.1));
        let rows: Vec<(i64, NaiveDate, String, f64, f64)> = match &mut self.tx {
            Tx::Sqlite(t) => {
                sqlx::query_as(SQL).bind(employees.0).bind(employees.1).bind(from).bind(to).fetch_all(&mut **t).await?
            }
            Tx::Postgres(t) => {
                sqlx::query_as(SQL).bind(employees.0).bind(employees.1).bind(from).bind(to).fetch_all(&mut **t).await?
            }
        };
        Ok(rows.into_iter().map(|(e, month, metric, n, d)| (e, month_key(month), metric, n, d)).collect())
    }

    /// Writes the employee-months (deleting those left with no metric) and a monthly file's
    /// rows, and removes the monthly rows of the figures a daily file changed. On PostgreSQL
    /// they are staged, and written by [`Figures::finish`].
    pub async fn put(&mut self, months: &[MonthRow], actuals: &[MonthlySum], changed: &[ChangedFigure]) -> Result<()> {
        self.touched.extend(months.iter().map(|m| (m.employee_id, m.month)));
        self.touched.extend(actuals.iter().map(|a| (a.employee_id, a.month)));
        self.touched.extend(changed.iter().map(|c| (c.employee_id, c.month)));
        match self.backend() {
            Backend::Sqlite(c, s) => s.put(c, months, actuals, changed).await,
            Backend::Postgres(c, s) => s.put(c, months, actuals, changed).await,
        }
    }

    /// Applies what is staged, queues the stored scores of every employee-month written
    /// ([`crate::scores`]; in this transaction, so they commit or roll back together), and says
    /// what the writes did.
    pub async fn finish(&mut self) -> Result<Applied> {
        let applied = match self.backend() {
            Backend::Sqlite(c, s) => s.finish(c).await?,
            Backend::Postgres(c, s) => s.apply(c).await?,
        };
        let mut touched = std::mem::take(&mut self.touched);
        touched.sort_unstable();
        touched.dedup();
        let keys: Vec<(i64, NaiveDate)> = touched.into_iter().map(|(e, m)| (e, month_start(m))).collect();
        crate::scores::enqueue_keys(&mut self.tx, &keys).await?;
        Ok(applied)
    }

    fn backend(&mut self) -> Backend<'_> {
        match (&mut self.tx, &mut self.staging) {
            (Tx::Sqlite(t), Staging::Sqlite(s)) => Backend::Sqlite(t, s),
            (Tx::Postgres(t), Staging::Postgres(s)) => Backend::Postgres(t, s),
            _ => unreachable!("the staging is made for the transaction's backend"),
        }
    }

    /// The transaction, for the import's other writes (its `imports` row).
    pub fn tx(&mut self) -> &mut Tx {
        &mut self.tx
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<()> {
        self.tx.rollback().await
    }
}
