//! The daily KRA facts of one employee, month and metric, packed into one value.
//!
//! A year of daily exports for 10,000 agents is about 13.5 million facts. Stored a row each, the
//! import spent its time in B-tree inserts; packed a row per (employee, month, metric) it is 20×
//! fewer rows, and the monthly sum is computed from the row as it is written.
//!
//! Layout (little-endian): a `u32` mask with bit `d − 1` set for each day `d` of the month that
//! has a fact, then, for each set bit in ascending order, the numerator and the denominator as
//! `f64`. Nothing else, so a row's size is `4 + 16 × days`.

use chrono::{Datelike, NaiveDate};
use ladder_core::period::Month;

use crate::{Backend, Db};

/// The daily sums (numerator, denominator) of one month, indexed by day of month − 1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MonthDays {
    days: [Option<(f64, f64)>; 31],
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("packed daily facts: {0}")]
pub struct DecodeError(&'static str);

impl MonthDays {
    /// The fact of a day (1–31), if any.
    pub fn get(&self, day: u32) -> Option<(f64, f64)> {
        self.days.get(day.checked_sub(1)? as usize).copied().flatten()
    }

    /// Sets a day's fact; returns what it was.
    ///
    /// # Panics
    /// When `day` is not 1–31.
    pub fn set(&mut self, day: u32, sums: (f64, f64)) -> Option<(f64, f64)> {
        assert!((1..=31).contains(&day), "day of month {day}");
        self.days[day as usize - 1].replace(sums)
    }

    pub fn len(&self) -> usize {
        self.days.iter().flatten().count()
    }

    pub fn is_empty(&self) -> bool {
        self.days.iter().all(Option::is_none)
    }

    /// (day, numerator, denominator) in day order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, f64, f64)> + '_ {
        self.days.iter().enumerate().filter_map(|(i, d)| d.map(|(n, q)| (i as u32 + 1, n, q)))
    }

    /// The month's sums: what `kra_actuals` holds, so roll-ups stay ratios of sums.
    pub fn total(&self) -> (f64, f64) {
        self.iter().fold((0.0, 0.0), |(n, d), (_, num, den)| (n + num, d + den))
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut mask = 0u32;
        let mut out = Vec::with_capacity(4 + 16 * 31);
        out.extend_from_slice(&[0; 4]);
        for (day, numerator, denominator) in self.iter() {
            mask |= 1 << (day - 1);
            out.extend_from_slice(&numerator.to_le_bytes());
            out.extend_from_slice(&denominator.to_le_bytes());
        }
        out[..4].copy_from_slice(&mask.to_le_bytes());
        out
    }

    pub fn decode(bytes: &[u8]) -> Result<MonthDays, DecodeError> {
        let (head, mut rest) = bytes.split_first_chunk::<4>().ok_or(DecodeError("shorter than its day mask"))?;
        let mask = u32::from_le_bytes(*head);
        if mask >> 31 != 0 {
            return Err(DecodeError("a day after the 31st"));
        }
        if rest.len() != 16 * mask.count_ones() as usize {
            return Err(DecodeError("the length does not match the day mask"));
        }
        let mut month = MonthDays::default();
        for i in 0..31 {
            if mask & (1 << i) != 0 {
                let (n, tail) = rest.split_first_chunk::<8>().expect("length checked");
                let (d, tail) = tail.split_first_chunk::<8>().expect("length checked");
                month.days[i] = Some((f64::from_le_bytes(*n), f64::from_le_bytes(*d)));
                rest = tail;
            }
        }
        Ok(month)
    }
}

/// Packs the rows of the one-row-per-fact table of earlier versions (`kpi_daily`) into
/// `kpi_month_days`, then drops it, in one transaction. Runs after the migrations; does nothing
/// once the old table is gone. Returns the number of facts packed.
pub async fn pack_legacy(db: &Db) -> crate::Result<u64> {
    let exists_sql = match db.backend() {
        Backend::Sqlite => "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'kpi_daily'",
        Backend::Postgres => {
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'kpi_daily'"
        }
    };
    let exists: i64 = crate::on_db!(db, p => sqlx::query_scalar(exists_sql).fetch_one(p).await?);
    if exists == 0 {
        return Ok(0);
    }
    type Fact = (i64, NaiveDate, String, f64, f64, String);
    let packed = crate::on_db!(db, p => {
        let mut tx = p.begin().await?;
        let employees: Vec<i64> =
            sqlx::query_scalar("SELECT DISTINCT employee_id FROM kpi_daily ORDER BY employee_id").fetch_all(&mut *tx).await?;
        let mut packed = 0u64;
        for employee in employees {
            let facts: Vec<Fact> = sqlx::query_as(
                "SELECT employee_id, day, metric, numerator, denominator, source_file FROM kpi_daily
                 WHERE employee_id = $1 ORDER BY metric, day",
            )
            .bind(employee)
            .fetch_all(&mut *tx)
            .await?;
            packed += facts.len() as u64;
            for group in facts.chunk_by(|a, b| a.2 == b.2 && Month::of(a.1) == Month::of(b.1)) {
                let mut days = MonthDays::default();
                for (_, day, _, numerator, denominator, _) in group {
                    days.set(day.day(), (*numerator, *denominator));
                }
                let (_, day, metric, _, _, source_file) = group.last().expect("chunks are not empty");
                sqlx::query(
                    "INSERT INTO kpi_month_days (employee_id, month, metric, days, source_file) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(employee)
                .bind(Month::of(*day).first_day())
                .bind(metric)
                .bind(days.encode())
                .bind(source_file)
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query("DROP TABLE kpi_daily").execute(&mut *tx).await?;
        tx.commit().await?;
        packed
    });
    if packed > 0 {
        tracing::info!(facts = packed, "packed the daily facts of kpi_daily into kpi_month_days");
    }
    Ok(packed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_sums() {
        let mut m = MonthDays::default();
        assert_eq!(m.encode(), vec![0, 0, 0, 0]);
        assert_eq!(m.set(31, (0.5, 2.0)), None);
        assert_eq!(m.set(1, (3.25, 4.0)), None);
        assert_eq!(m.set(1, (3.0, 4.0)), Some((3.25, 4.0)));
        let bytes = m.encode();
        assert_eq!(bytes.len(), 4 + 32);
        assert_eq!(&bytes[..4], &(1u32 | 1 << 30).to_le_bytes());
        let back = MonthDays::decode(&bytes).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.total(), (3.5, 6.0));
        assert_eq!(back.iter().map(|(d, _, _)| d).collect::<Vec<_>>(), vec![1, 31]);
        assert_eq!(back.get(2), None);
        assert_eq!(back.get(0), None);
    }

    #[test]
    fn refuses_damaged_values() {
        assert!(MonthDays::decode(&[1, 0]).is_err());
        assert!(MonthDays::decode(&[1, 0, 0, 0]).is_err(), "a day with no sums");
        assert!(MonthDays::decode(&[0, 0, 0, 0x80]).is_err(), "day 32");
        let mut m = MonthDays::default();
        m.set(5, (1.0, 1.0));
        let mut bytes = m.encode();
        bytes.push(0);
        assert!(MonthDays::decode(&bytes).is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_month_round_trips(days in proptest::collection::btree_map(1u32..=31, (proptest::num::f64::ANY, proptest::num::f64::ANY), 0..31)) {
            let mut m = MonthDays::default();
            for (&day, &sums) in &days {
                m.set(day, sums);
            }
            let bytes = m.encode();
            proptest::prop_assert_eq!(bytes.len(), 4 + 16 * days.len());
            let back = MonthDays::decode(&bytes).unwrap();
            // Bit for bit, NaN included.
            let bits = |m: &MonthDays| m.iter().map(|(d, n, q)| (d, n.to_bits(), q.to_bits())).collect::<Vec<_>>();
            proptest::prop_assert_eq!(bits(&back), bits(&m));
        }
    }
}
