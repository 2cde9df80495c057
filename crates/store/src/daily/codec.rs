//! The codec of packed daily facts: one metric's month ([`MonthDays`]) and an employee's month
//! of every metric ([`pack_metrics`]), with their monthly sums. Pure: no database here.

use integer_encoding::VarInt;

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
        let mut month = MonthDays::default();
        each_day(bytes, |i, sums| month.days[i] = Some(sums))?;
        Ok(month)
    }

    /// The month's sums of [`MonthDays::encode`]d days, added in day order as
    /// [`MonthDays::total`] adds them, without building the month.
    pub fn total_of(bytes: &[u8]) -> Result<(f64, f64), DecodeError> {
        let mut total = (0.0, 0.0);
        each_day(bytes, |_, (n, d)| total = (total.0 + n, total.1 + d))?;
        Ok(total)
    }
}

/// Calls `f` with (day of month − 1, sums) for each day of encoded days, in day order.
fn each_day(bytes: &[u8], mut f: impl FnMut(usize, (f64, f64))) -> Result<(), DecodeError> {
    let (head, mut rest) = bytes.split_first_chunk::<4>().ok_or(DecodeError("shorter than its day mask"))?;
    let mask = u32::from_le_bytes(*head);
    let compact = mask & COMPACT != 0;
    let days = mask & !COMPACT;
    if !compact && rest.len() != 16 * days.count_ones() as usize {
        return Err(DecodeError("the length does not match the day mask"));
    }
    for i in 0..31 {
        if days & (1 << i) == 0 {
            continue;
        }
        f(
            i,
            if compact {
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
            },
        );
    }
    if !rest.is_empty() {
        return Err(DecodeError("bytes after the last day"));
    }
    Ok(())
}

/// One metric's days in a row of `kpi_employee_months`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricDays<'a> {
    pub metric: &'a str,
    /// The import that last changed the days (imports.id), when one was recorded.
    pub import_id: Option<i64>,
    /// [`MonthDays::encode`]d.
    pub days: &'a [u8],
}

/// Packs an employee's month: per metric, in id order, varints for the id's length, the id,
/// the import id + 1 (0 for none) and the length of the days, then the days.
pub fn pack_metrics(mut metrics: Vec<MetricDays<'_>>) -> Vec<u8> {
    metrics.sort_unstable_by(|a, b| a.metric.cmp(b.metric));
    let mut out = Vec::with_capacity(metrics.iter().map(|m| 12 + m.metric.len() + m.days.len()).sum());
    let mut buf = [0u8; 10];
    let mut varint = |out: &mut Vec<u8>, v: u64| {
        let n = v.encode_var(&mut buf);
        out.extend_from_slice(&buf[..n]);
    };
    for m in &metrics {
        varint(&mut out, m.metric.len() as u64);
        out.extend_from_slice(m.metric.as_bytes());
        varint(&mut out, m.import_id.map_or(0, |id| id as u64 + 1));
        varint(&mut out, m.days.len() as u64);
        out.extend_from_slice(m.days);
    }
    out
}

/// The metrics [`pack_metrics`] packed, in its order (ids ascending, each once); the days are
/// left encoded.
pub fn unpack_metrics(mut bytes: &[u8]) -> Result<Vec<MetricDays<'_>>, DecodeError> {
    fn varint(bytes: &mut &[u8]) -> Result<u64, DecodeError> {
        let (v, used) = u64::decode_var(bytes).ok_or(DecodeError("a number cut short or too long"))?;
        *bytes = &bytes[used..];
        Ok(v)
    }
    fn take<'a>(bytes: &mut &'a [u8], len: u64) -> Result<&'a [u8], DecodeError> {
        let len = usize::try_from(len).ok().filter(|&n| n <= bytes.len()).ok_or(DecodeError("a metric cut short"))?;
        let (head, tail) = bytes.split_at(len);
        *bytes = tail;
        Ok(head)
    }
    let mut out = Vec::with_capacity(8);
    while !bytes.is_empty() {
        let len = varint(&mut bytes)?;
        let metric =
            std::str::from_utf8(take(&mut bytes, len)?).map_err(|_| DecodeError("a metric id not in UTF-8"))?;
        if out.last().is_some_and(|before: &MetricDays| before.metric >= metric) {
            return Err(DecodeError("metric ids out of order or repeated"));
        }
        let import_id = match varint(&mut bytes)? {
            0 => None,
            id => Some(i64::try_from(id - 1).map_err(|_| DecodeError("an import id out of range"))?),
        };
        let len = varint(&mut bytes)?;
        out.push(MetricDays { metric, import_id, days: take(&mut bytes, len)? });
    }
    Ok(out)
}

/// One metric's monthly sums in a row of `kpi_employee_months`: the total of its days.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricSums<'a> {
    pub metric: &'a str,
    /// The import that last changed the days, when one was recorded.
    pub import_id: Option<i64>,
    pub numerator: f64,
    pub denominator: f64,
}

/// The monthly sums of each metric of a packed employee-month, in metric order. A daily import
/// keeps its sums here only: `kra_actuals` holds no row for them (each employee, month and
/// metric has its figure in one place, which the writers keep so).
pub fn month_sums(packed: &[u8]) -> Result<Vec<MetricSums<'_>>, DecodeError> {
    unpack_metrics(packed)?
        .into_iter()
        .map(|m| {
            let (numerator, denominator) = MonthDays::total_of(m.days)?;
            Ok(MetricSums { metric: m.metric, import_id: m.import_id, numerator, denominator })
        })
        .collect()
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
        // Whole numbers (most sums: counts, seconds) without the rounding below.
        if value.abs() < LIMIT {
            let whole = value as i64;
            if (whole as f64).to_bits() == value.to_bits() {
                return Sum::Scaled { scale: 0, mantissa: whole };
            }
        }
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

    #[test]
    fn metrics_pack_in_id_order_and_unpack_as_they_were() {
        let (aht, fcr) = ([1u8, 0, 0, 0x80, 0x00, 6, 8], [0x80u8, 0, 0, 0x80]);
        let metrics = vec![
            MetricDays { metric: "fcr", import_id: None, days: &fcr },
            MetricDays { metric: "aht", import_id: Some(300), days: &aht },
        ];
        let packed = pack_metrics(metrics.clone());
        let back = unpack_metrics(&packed).unwrap();
        assert_eq!(back, vec![metrics[1].clone(), metrics[0].clone()]);
        assert_eq!(unpack_metrics(&[]).unwrap(), vec![], "an empty month");
        // aht's record: 1 + 3 bytes of id, 2 of import id, 1 + 7 of days.
        let first = 14;
        assert_eq!(unpack_metrics(&packed[..first]).unwrap(), vec![metrics[1].clone()]);
        for cut in (1..packed.len()).filter(|&cut| cut != first) {
            assert!(unpack_metrics(&packed[..cut]).is_err(), "cut at {cut}");
        }
        assert!(unpack_metrics(&[2, 0xff, 0xfe, 0, 0]).is_err(), "an id not in UTF-8");
        let twice = [&packed[..first], &packed[..first]].concat();
        assert!(unpack_metrics(&twice).is_err(), "a metric twice");
        let swapped = [&packed[first..], &packed[..first]].concat();
        assert!(unpack_metrics(&swapped).is_err(), "ids out of order");
        assert!(unpack_metrics(&[0xff; 11]).is_err(), "a varint too long");
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
