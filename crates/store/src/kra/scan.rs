//! Every figure in (employee, month) order, streamed: what scoring every month reads. Each
//! figure is in one of two tables, both stored in (employee, month) order, so their union is
//! merged by either database, not sorted.

use chrono::NaiveDate;
use futures_util::TryStreamExt;

use crate::read::Readers;
use crate::{on_db, Db, Result, StoreError};

/// A row of the scan: a monthly row of one metric, or a daily import's packed employee-month
/// ([`crate::daily::month_sums`] gives its figures).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scanned<'a> {
    Monthly { metric: &'a str, numerator: f64, denominator: f64 },
    Packed(&'a [u8]),
}

const SCAN_SQL: &str = "SELECT employee_id, month, metric, numerator, denominator, NULL AS metrics FROM kra_actuals
    UNION ALL SELECT employee_id, month, NULL, NULL, NULL, metrics FROM kpi_employee_months
    ORDER BY 1, 2";

/// Calls `each` with every row, on this thread, through the direct readers (SQLite), in one
/// read transaction.
pub fn each_directly(readers: &Readers, mut each: impl FnMut(i64, NaiveDate, Scanned<'_>)) -> Result<()> {
    readers.each(SCAN_SQL, &[], |row| {
        let (employee, month) = (row.get(0)?, crate::read::date(row, 1)?);
        let scanned = match row.get_ref(2)?.as_str_or_null()? {
            Some(metric) => Scanned::Monthly { metric, numerator: row.get(3)?, denominator: row.get(4)? },
            None => Scanned::Packed(row.get_ref(5)?.as_blob()?),
        };
        each(employee, month, scanned);
        Ok(())
    })
}

/// Calls `each` with every row, streamed through sqlx; stops at its first error.
pub async fn each<E: From<StoreError>>(
    db: &Db,
    mut each: impl FnMut(i64, NaiveDate, Scanned<'_>) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    type Row = (i64, NaiveDate, Option<String>, Option<f64>, Option<f64>, Option<Vec<u8>>);
    on_db!(db, p => {
        let mut rows = sqlx::query_as::<_, Row>(SCAN_SQL).fetch(p);
        while let Some((employee, month, metric, numerator, denominator, packed)) =
            rows.try_next().await.map_err(StoreError::from)?
        {
            let scanned = match &metric {
                Some(metric) => Scanned::Monthly {
                    metric,
                    numerator: numerator.unwrap_or_default(),
                    denominator: denominator.unwrap_or_default(),
                },
                None => Scanned::Packed(packed.as_deref().unwrap_or_default()),
            };
            each(employee, month, scanned)?;
        }
    });
    Ok(())
}
