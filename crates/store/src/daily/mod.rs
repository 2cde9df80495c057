//! The daily KRA facts of one employee and month, packed into one value: the codec
//! (`codec`, re-exported here) and the data migrations that packed the layouts of earlier
//! versions (`migrate`).
//!
//! A year of daily exports for 10,000 agents is about 13.5 million facts. Stored a row each, the
//! import spent its time in B-tree inserts; packed a row per (employee, month, metric) it is 20×
//! fewer rows, and a row per (employee, month) with every metric in it ([`pack_metrics`]) 6× fewer
//! again. The monthly sums are computed from the row as it is written.
//!
//! One metric's month ([`MonthDays`]):
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

mod codec;
mod migrate;

pub use codec::*;
pub use migrate::*;
