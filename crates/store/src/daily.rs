//! The daily KRA facts of one employee, month and metric, packed into one value.
//!
//! A year of daily exports for 10,000 agents is about 13.5 million facts. Stored a row each, the
//! import spent its time in B-tree inserts; packed a row per (employee, month, metric) it is 20×
//! fewer rows, and the monthly sum is computed from the row as it is written.
//!
//! Layout (little-endian): a `u32` mask with bit `d − 1` set for each day `d` of the month that
//! has a fact, then the days' sums in ascending day order. Bit 31 tells how the sums are held:
//!
//! - clear (the first layout, still read): the numerator and the denominator as `f64`, 16 bytes a
//!   day;
//! - set (what [`MonthDays::encode`] writes): per day one byte, its high nibble for the numerator
//!   and its low nibble for the denominator, then each sum as that nibble says — `k` in 0–3 for a
//!   whole number of 10^−k (a zigzag varint of the scaled value), 15 for the `f64`'s 8 bytes.
//!   Exports hold counts, seconds and points, mostly whole: 4–5 bytes a day instead of 16, so the
//!   import writes and checkpoints a third of the pages. A value is scaled only when it decodes
//!   back bit for bit.

use chrono::{Datelike, NaiveDate};
use integer_encoding::VarInt;
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
        let mut mask = COMPACT;
        let mut out = Vec::with_capacity(4 + 5 * 31);
        out.extend_from_slice(&[0; 4]);
        for (day, numerator, denominator) in self.iter() {
            mask |= 1 << (day - 1);
            let (n, d) = (Sum::of(numerator), Sum::of(denominator));
            out.push(n.nibble() << 4 | d.nibble());
            n.write(&mut out);
            d.write(&mut out);
        }
        out[..4].copy_from_slice(&mask.to_le_bytes());
        out
    }

    pub fn decode(bytes: &[u8]) -> Result<MonthDays, DecodeError> {
        let (head, mut rest) = bytes.split_first_chunk::<4>().ok_or(DecodeError("shorter than its day mask"))?;
        let mask = u32::from_le_bytes(*head);
        let compact = mask & COMPACT != 0;
        let days = mask & !COMPACT;
        if !compact && rest.len() != 16 * days.count_ones() as usize {
            return Err(DecodeError("the length does not match the day mask"));
        }
        let mut month = MonthDays::default();
        for i in 0..31 {
            if days & (1 << i) == 0 {
                continue;
            }
            month.days[i] = Some(if compact {
                let (&kinds, tail) = rest.split_first().ok_or(DecodeError("a day with no sums"))?;
                let (numerator, tail) = Sum::read(kinds >> 4, tail)?;
                let (denominator, tail) = Sum::read(kinds & 0x0f, tail)?;
                rest = tail;
                (numerator, denominator)
            } else {
                let (n, tail) = rest.split_first_chunk::<8>().expect("length checked");
                let (d, tail) = tail.split_first_chunk::<8>().expect("length checked");
                rest = tail;
                (f64::from_le_bytes(*n), f64::from_le_bytes(*d))
            });
        }
        if !rest.is_empty() {
            return Err(DecodeError("bytes after the last day"));
        }
        Ok(month)
    }
}

/// Bit 31 of the day mask: the sums are in the compact layout.
const COMPACT: u32 = 1 << 31;
/// The decimal scales a sum may be held at, as divisors (exact in `f64`).
const SCALES: [f64; 4] = [1.0, 10.0, 100.0, 1000.0];
const RAW: u8 = 15;

/// One sum as the compact layout holds it.
enum Sum {
    Scaled { scale: u8, mantissa: i64 },
    Raw(f64),
}

impl Sum {
    fn of(value: f64) -> Sum {
        // Exact integers in f64 stop at 2^53.
        const LIMIT: f64 = 9_007_199_254_740_992.0;
        for (scale, divisor) in SCALES.iter().enumerate() {
            let scaled = (value * divisor).round();
            if scaled.abs() < LIMIT {
                let mantissa = scaled as i64;
                // -0.0 and values a scale cannot hold exactly fail here.
                if (mantissa as f64 / divisor).to_bits() == value.to_bits() {
                    return Sum::Scaled { scale: scale as u8, mantissa };
                }
            }
        }
        Sum::Raw(value)
    }

    fn nibble(&self) -> u8 {
        match self {
            Sum::Scaled { scale, .. } => *scale,
            Sum::Raw(_) => RAW,
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Sum::Scaled { mantissa, .. } => {
                let mut buf = [0u8; 10];
                let n = mantissa.encode_var(&mut buf);
                out.extend_from_slice(&buf[..n]);
            }
            Sum::Raw(v) => out.extend_from_slice(&v.to_le_bytes()),
        }
    }

    fn read(nibble: u8, bytes: &[u8]) -> Result<(f64, &[u8]), DecodeError> {
        if nibble == RAW {
            let (v, tail) = bytes.split_first_chunk::<8>().ok_or(DecodeError("a sum cut short"))?;
            return Ok((f64::from_le_bytes(*v), tail));
        }
        let divisor = SCALES.get(nibble as usize).ok_or(DecodeError("an unknown kind of sum"))?;
        let (mantissa, used) = i64::decode_var(bytes).ok_or(DecodeError("a sum cut short"))?;
        Ok((mantissa as f64 / divisor, &bytes[used..]))
    }
}

/// Packs the rows of the one-row-per-fact table of earlier versions (`kpi_daily`) into
/// `kpi_month_days` (naming the last import of each row's file), then drops it, in one
/// transaction. Runs after the migrations; does nothing once the old table is gone. Returns the
/// number of facts packed.
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
                    "INSERT INTO kpi_month_days (employee_id, month, metric, days, import_id) VALUES ($1, $2, $3, $4,
                        (SELECT max(id) FROM imports WHERE kind = 'kpi' AND file_name = $5))",
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
        assert_eq!(m.encode(), COMPACT.to_le_bytes());
        assert_eq!(m.set(31, (0.5, 2.0)), None);
        assert_eq!(m.set(1, (3.25, 4.0)), None);
        assert_eq!(m.set(1, (3.0, 4.0)), Some((3.25, 4.0)));
        let bytes = m.encode();
        assert_eq!(&bytes[..4], &(1u32 | 1 << 30 | COMPACT).to_le_bytes());
        // Day 1: whole numbers (kinds 0, 0), 3 and 4 as zigzag varints; day 31: 0.5 in tenths.
        assert_eq!(&bytes[4..], &[0x00, 6, 8, 0x10, 10, 4]);
        let back = MonthDays::decode(&bytes).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.total(), (3.5, 6.0));
        assert_eq!(back.iter().map(|(d, _, _)| d).collect::<Vec<_>>(), vec![1, 31]);
        assert_eq!(back.get(2), None);
        assert_eq!(back.get(0), None);
    }

    #[test]
    fn reads_the_first_layout() {
        let mut bytes = (1u32 | 1 << 30).to_le_bytes().to_vec();
        for v in [3.0f64, 4.0, 0.5, 2.0] {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        let m = MonthDays::decode(&bytes).unwrap();
        assert_eq!(m.iter().collect::<Vec<_>>(), vec![(1, 3.0, 4.0), (31, 0.5, 2.0)]);
    }

    #[test]
    fn export_figures_take_a_few_bytes_a_day() {
        let mut m = MonthDays::default();
        for day in 1..=22 {
            // Handle seconds over contacts, and a quality score in halves over its maximum.
            m.set(day, (23_453.0 + day as f64, 46.0));
        }
        m.set(23, (87.5, 100.0));
        m.set(24, (0.125, 1.0));
        let bytes = m.encode();
        assert!(bytes.len() <= 4 + 5 * 24, "{} bytes", bytes.len());
        assert_eq!(MonthDays::decode(&bytes).unwrap(), m);
    }

    #[test]
    fn keeps_what_no_scale_holds_bit_for_bit() {
        let mut m = MonthDays::default();
        m.set(1, (-0.0, f64::NAN));
        m.set(2, (0.1 + 0.2, f64::INFINITY));
        m.set(3, (1e300, -9_007_199_254_740_993.0));
        let back = MonthDays::decode(&m.encode()).unwrap();
        let bits = |m: &MonthDays| m.iter().map(|(d, n, q)| (d, n.to_bits(), q.to_bits())).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&m));
    }

    #[test]
    fn refuses_damaged_values() {
        assert!(MonthDays::decode(&[1, 0]).is_err());
        assert!(MonthDays::decode(&[1, 0, 0, 0]).is_err(), "a day with no sums (first layout)");
        assert!(MonthDays::decode(&[1, 0, 0, 0x80]).is_err(), "a day with no sums");
        assert!(MonthDays::decode(&[1, 0, 0, 0x80, 0x40, 1, 1]).is_err(), "an unknown kind");
        assert!(MonthDays::decode(&[1, 0, 0, 0x80, 0x0f, 1, 1]).is_err(), "a raw sum cut short");
        assert!(MonthDays::decode(&[1, 0, 0, 0x80, 0x00, 0x81]).is_err(), "a varint cut short");
        let mut m = MonthDays::default();
        m.set(5, (1.0, 1.0));
        let mut bytes = m.encode();
        bytes.push(0);
        assert!(MonthDays::decode(&bytes).is_err(), "bytes after the last day");
    }

    /// Any `f64`, or a decimal with up to four places as exports hold them.
    fn sum() -> impl proptest::strategy::Strategy<Value = f64> {
        use proptest::prelude::*;
        prop_oneof![
            proptest::num::f64::ANY,
            (-10_000_000i64..10_000_000, 0..5i32).prop_map(|(m, k)| m as f64 / 10f64.powi(k))
        ]
    }

    proptest::proptest! {
        #[test]
        fn any_month_round_trips(days in proptest::collection::btree_map(1u32..=31, (sum(), sum()), 0..31)) {
            let mut m = MonthDays::default();
            for (&day, &sums) in &days {
                m.set(day, sums);
            }
            let bytes = m.encode();
            proptest::prop_assert!(bytes.len() <= 4 + 17 * days.len());
            let back = MonthDays::decode(&bytes).unwrap();
            // Bit for bit, NaN included.
            let bits = |m: &MonthDays| m.iter().map(|(d, n, q)| (d, n.to_bits(), q.to_bits())).collect::<Vec<_>>();
            proptest::prop_assert_eq!(bits(&back), bits(&m));
        }
    }
}
