//! Yearly KRA plans and monthly KRA actuals.
//!
//! Actuals are kept as numerator/denominator sums per employee, month and metric, so every
//! roll-up (over months, people, teams) is a ratio of sums. Each (employee, month, metric) has
//! its figure in one place: a row of `kra_actuals` (typed in, a monthly file, the demo), or the
//! days a daily import packed into `kpi_employee_months`, whose total is the month's figure. The
//! writers keep it so (a daily import removes the row it replaces; a monthly file removes the
//! days), and the readers here read both.
//!
//! The module is split along its seams: [`plans`] (yearly plans and their lines), [`mod@actuals`]
//! (monthly figures, read from both places, and hand entry), [`scan`] (every figure, streamed),
//! [`bulk`] (a KPI import's writes),
//! and here the figures' lock and version, which every writer of figures shares.

pub mod actuals;
pub mod agreements;
pub mod bulk;
pub mod plans;
pub mod scan;
pub mod tables;

pub use crate::rollup::{rollup, GroupSums, Level};
pub use actuals::*;
pub use agreements::{agree, agreement, agreements_of, Agreement, TERMS_CHANGED};
pub use plans::*;

use crate::{on_db, Db, Result, Tx};

/// The PostgreSQL advisory lock (held to the end of a transaction) over where each figure is
/// kept. A KPI import holds it alone from before it reads the stored figures until it commits
/// (a dry run does not take it); hand entry shares it, waiting a few seconds at most. Otherwise
/// each could put a figure in one place while the other, not yet committed, puts it in the
/// other (days and a monthly row), and both would count. On SQLite the one writer at a time
/// does the same.
pub const FIGURES_LOCK: i64 = 0x4c41_4444_4552_0001;

/// Raises the version of the figures, in the transaction of a write that changes KRA figures
/// or who is in which team: whatever was computed from them at an earlier version (roll-ups)
/// is then stale, on every app server.
pub const FIGURES_CHANGED: &str = "UPDATE data_versions SET version = version + 1 WHERE subject = 'figures'";

/// Raises the version of the figures ([`FIGURES_CHANGED`]) in a transaction that changes them.
pub async fn figures_changed(tx: &mut Tx) -> Result<()> {
    on_db!(tx, c => sqlx::query(FIGURES_CHANGED).execute(c).await.map(drop)?);
    Ok(())
}

/// The version of the figures (see [`FIGURES_CHANGED`]). Read it before computing from the
/// figures, so a result is never kept under a version newer than what it saw.
pub async fn figures_version(db: &Db) -> Result<i64> {
    let sql = "SELECT version FROM data_versions WHERE subject = 'figures'";
    Ok(on_db!(db, p => sqlx::query_scalar(sql).fetch_one(p).await?))
}
