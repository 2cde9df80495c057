//! Problems with their place (row, column, value), and the parsers for the values found in
//! contact-centre exports: numbers with thousands separators, percentages, durations such as
//! ` 00:14:33.768` or `135:40:34`, and dates in the formats the platforms write.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::read::Cell;

/// One thing wrong with the input, and where it is. `row` is the spreadsheet row (the header is
/// usually row 1); 0 means the whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub row: u64,
    pub column: String,
    pub value: String,
    pub message: String,
}

impl Problem {
    pub fn new(row: u64, column: &str, value: &str, message: impl Into<String>) -> Problem {
        Problem { row, column: column.to_string(), value: value.to_string(), message: message.into() }
    }
    /// A problem with the file as a whole (no row or column).
    pub fn file(message: impl Into<String>) -> Problem {
        Problem::new(0, "", "", message)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.row > 0 {
            write!(f, "row {}", self.row)?;
            if !self.column.is_empty() {
                write!(f, ", column '{}'", self.column)?;
            }
            if !self.value.is_empty() {
                write!(f, ", value '{}'", self.value)?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// Why a value could not be read as a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadValue(pub String);

/// Reads a cell as a number: `1234.5`, `1,234.5`, `85%` (→ 0.85), a duration `hh:mm:ss[.fff]`
/// or `mm:ss` (→ seconds), or a spreadsheet time cell (a fraction of a day → seconds).
/// `Ok(None)` for an empty cell.
pub fn number(cell: Cell<'_>) -> Result<Option<f64>, BadValue> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(n) if n.is_finite() => Ok(Some(n)),
        Cell::Number(_) => Err(BadValue("not a finite number".into())),
        // A spreadsheet keeps a time as a fraction of a day: to the millisecond, as the clock it
        // came from, so the same workbook gives the same sums whenever it is read.
        Cell::Time(days) => Ok(Some((days * 86_400_000.0).round() / 1000.0)),
        Cell::Text(text) => number_text(text),
    }
}

fn number_text(raw: &str) -> Result<Option<f64>, BadValue> {
    if let Some(whole) = whole_number(raw) {
        return Ok(Some(whole));
    }
    let text = raw.trim();
    // Amazon Connect writes a metric with no value as "-", Talkdesk as "null".
    if text.is_empty() || text == "-" || text.eq_ignore_ascii_case("null") {
        return Ok(None);
    }
    if text.contains(':') {
        return duration(text).map(Some);
    }
    if let Some(iso) = text.strip_prefix("PT") {
        return iso_duration(iso).map(Some);
    }
    if let Some(pct) = text.strip_suffix('%') {
        return plain(pct.trim()).map(|v| Some(v / 100.0));
    }
    plain(text).map(Some)
}

/// Up to 15 plain digits, the most common cell of an export (counts, seconds), without the
/// checks and the general parser below: below 10^15 every whole number is exact in an `f64`, so
/// the result is the one `str::parse` gives.
fn whole_number(text: &str) -> Option<f64> {
    if text.is_empty() || text.len() > 15 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(text.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0')) as f64)
}

fn plain(text: &str) -> Result<f64, BadValue> {
    let cleaned;
    let text = if text.contains(',') {
        if !thousands_grouped(text) {
            return Err(BadValue("not a number (a comma is allowed only between groups of thousands)".into()));
        }
        cleaned = text.replace(',', "");
        cleaned.as_str()
    } else {
        text
    };
    // Rust also accepts "inf", "NaN" and "1e5"; exports never write those, so refuse letters.
    if text.bytes().any(|b| b.is_ascii_alphabetic()) {
        return Err(BadValue("not a number".into()));
    }
    text.parse::<f64>().map_err(|_| BadValue("not a number".into()))
}

/// `1,234` or `12,345,678.9`: digits in groups of three after the first group.
fn thousands_grouped(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let int = unsigned.split('.').next().unwrap_or("");
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// `hh:mm:ss[.fff]` (hours may exceed 24) or `mm:ss`, to seconds.
fn duration(text: &str) -> Result<f64, BadValue> {
    let bad = || BadValue("not a duration (use hh:mm:ss, mm:ss or seconds)".into());
    let parts: Vec<&str> = text.split(':').collect();
    let (h, m, s) = match parts.as_slice() {
        [h, m, s] => (*h, *m, *s),
        [m, s] => ("0", *m, *s),
        _ => return Err(bad()),
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return Err(bad());
    }
    let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
    if !digits(whole) || !digits(frac) {
        return Err(bad());
    }
    let h: f64 = h.parse().map_err(|_| bad())?;
    let m: f64 = m.parse().map_err(|_| bad())?;
    let s: f64 = s.parse().map_err(|_| bad())?;
    // Minutes pass 59 only where they lead (`75:30`, a long call as mm:ss).
    if (parts.len() == 3 && m >= 60.0) || s >= 60.0 {
        return Err(bad());
    }
    Ok(h * 3600.0 + m * 60.0 + s)
}

/// The part after `PT` of an ISO-8601 duration (`PT1H2M3.5S`, `PT0S`), to seconds.
fn iso_duration(text: &str) -> Result<f64, BadValue> {
    let bad = || BadValue("not a duration (use PT#H#M#S, hh:mm:ss, mm:ss or seconds)".into());
    let (mut seconds, mut number, mut units) = (0.0, String::new(), 0);
    for c in text.chars() {
        let scale = match c {
            '0'..='9' | '.' => {
                number.push(c);
                continue;
            }
            'H' => 3600.0,
            'M' => 60.0,
            'S' => 1.0,
            _ => return Err(bad()),
        };
        let value: f64 = number.parse().map_err(|_| bad())?;
        seconds += value * scale;
        number.clear();
        units += 1;
    }
    if units == 0 || !number.is_empty() {
        return Err(bad());
    }
    Ok(seconds)
}

/// Reads a date with the formats given (chrono `strftime` patterns), then ISO `YYYY-MM-DD`,
/// `YYYY-MM` (the first of the month) and a spreadsheet date cell. A time part in a format that
/// has one (`7/25/25 12:00 AM`) is dropped: Ladder keeps days. A date outside the years Ladder
/// keeps ([`ladder_core::dates`]) is refused, however it is written.
pub fn date(cell: Cell<'_>, formats: &[String]) -> Result<Option<NaiveDate>, BadValue> {
    Ok(timestamp(cell, formats)?.map(|t| t.date()))
}

/// Like [`date`], also saying which of `formats` read it (`None`: ISO or a spreadsheet date).
pub fn date_by(cell: Cell<'_>, formats: &[String]) -> Result<Option<(NaiveDate, Option<usize>)>, BadValue> {
    Ok(timestamp_by(cell, formats)?.map(|(t, by)| (t.date(), by)))
}

/// A date and time, read as [`date`] reads a date; a date without a time is its midnight.
/// Interval columns need the time: `7/25/25 12:00 AM` to `7/26/25 12:00 AM` is one day.
pub fn timestamp(cell: Cell<'_>, formats: &[String]) -> Result<Option<NaiveDateTime>, BadValue> {
    Ok(timestamp_by(cell, formats)?.map(|(t, _)| t))
}

/// A timestamp with an offset (`2025-07-24T20:30:00Z`, `2025-07-25 04:30:00+08:00`) as the
/// wall-clock time in `zone` (UTC where none is known), so the day taken from it is the day
/// where the person works; `None` for a text without an offset (already local time).
pub fn instant_in(text: &str, zone: Option<chrono_tz::Tz>) -> Option<NaiveDateTime> {
    use chrono::{DateTime, FixedOffset};
    let text = text.trim();
    // Cheap test first: every row's date goes through here.
    let b = text.as_bytes();
    let offset_like = |from_end: usize| b.len() > from_end && matches!(b[b.len() - from_end], b'+' | b'-');
    if b.len() < 16 || !(matches!(b[b.len() - 1], b'Z' | b'z') || offset_like(6) || offset_like(5)) {
        return None;
    }
    let with_offset = DateTime::parse_from_rfc3339(text).ok().or_else(|| {
        ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%:z", "%Y-%m-%d %H:%M%:z"]
            .iter()
            .find_map(|f| DateTime::<FixedOffset>::parse_from_str(text, f).ok())
    });
    let utc = match with_offset {
        Some(t) => t.naive_utc(),
        None => {
            let naive = text.strip_suffix(['Z', 'z'])?;
            ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(naive, f).ok())?
        }
    };
    Some(match zone {
        Some(tz) => ladder_core::wellbeing::zone::utc_to_local(utc.and_utc(), tz),
        None => utc,
    })
}

/// [`timestamp_by`], with a timestamp that carries an offset turned into `zone`'s local time
/// first ([`instant_in`]).
pub fn zoned_timestamp_by(
    cell: Cell<'_>,
    formats: &[String],
    zone: Option<chrono_tz::Tz>,
) -> Result<Option<(NaiveDateTime, Option<usize>)>, BadValue> {
    if let Cell::Text(text) = cell {
        if let Some(local) = instant_in(text, zone) {
            return ladder_core::dates::in_range(local.date())
                .map(|_| Some((local, None)))
                .map_err(|e| BadValue(e.to_string()));
        }
    }
    timestamp_by(cell, formats)
}

/// A date and time, and which of `formats` read it.
pub fn timestamp_by(cell: Cell<'_>, formats: &[String]) -> Result<Option<(NaiveDateTime, Option<usize>)>, BadValue> {
    match any_timestamp(cell, formats)? {
        Some((t, by)) => {
            ladder_core::dates::in_range(t.date()).map(|_| Some((t, by))).map_err(|e| BadValue(e.to_string()))
        }
        None => Ok(None),
    }
}

/// The date `text` reads as in one format.
fn in_format(text: &str, format: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, format)
        .ok()
        .or_else(|| NaiveDateTime::parse_from_str(text, format).ok().map(|dt| dt.date()))
}

fn any_timestamp(cell: Cell<'_>, formats: &[String]) -> Result<Option<(NaiveDateTime, Option<usize>)>, BadValue> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        Cell::Time(serial) | Cell::Number(serial) => return excel_timestamp(serial).map(|t| Some((t, None))),
        Cell::Text(t) => t.trim(),
    };
    if text.is_empty() {
        return Ok(None);
    }
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight exists");
    for (i, f) in formats.iter().enumerate() {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, f) {
            return Ok(Some((dt, Some(i))));
        }
        if let Ok(d) = NaiveDate::parse_from_str(text, f) {
            return Ok(Some((midnight(d), Some(i))));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(Some((midnight(d), None)));
    }
    if text.len() == 7 && text.as_bytes()[4] == b'-' {
        if let Ok(d) = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d") {
            return Ok(Some((midnight(d), None)));
        }
    }
    Err(BadValue(format!("not a date (expected a date like {})", examples(formats))))
}

/// The formats as examples of 25 July 2025 at midnight, as an export would write it
/// (`07/25/25 12:00 AM`), with ISO's two forms last; a format that cannot be written out
/// (one with a time zone) is shown as it is.
pub fn examples(formats: &[String]) -> String {
    use std::fmt::Write;
    let example = NaiveDate::from_ymd_opt(2025, 7, 25).expect("valid").and_hms_opt(0, 0, 0).expect("valid");
    let mut shown: Vec<String> = Vec::new();
    for f in formats {
        let mut text = String::new();
        let one = match write!(text, "{}", example.format(f)) {
            Ok(()) => text,
            Err(_) => format!("the format {f}"),
        };
        if !shown.contains(&one) {
            shown.push(one);
        }
    }
    shown.extend(["2025-07-25".to_string(), "2025-07".to_string()]);
    shown.join(" or ")
}

/// Which comes first in a numeric date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateOrder {
    /// 25/07/2025.
    DayFirst,
    /// 07/25/2025.
    MonthFirst,
}

impl DateOrder {
    /// The order a format writes, if it has both a day and a month number.
    fn of(format: &str) -> Option<DateOrder> {
        let (d, m) = (format.find("%d").or(format.find("%e"))?, format.find("%m")?);
        Some(if d < m { DateOrder::DayFirst } else { DateOrder::MonthFirst })
    }

    fn words(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "day/month",
            DateOrder::MonthFirst => "month/day",
        }
    }

    fn setting(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "date_order = \"day-first\"",
            DateOrder::MonthFirst => "date_order = \"month-first\"",
        }
    }
}

/// The formats a mapping's `date_order` leaves: those of the other order go.
pub fn in_order(formats: &[String], order: Option<DateOrder>) -> Vec<String> {
    let keep = |f: &String| order.is_none() || DateOrder::of(f).is_none_or(|o| Some(o) == order);
    formats.iter().filter(|f| keep(f)).cloned().collect()
}

/// The same format with day and month swapped, when it has both.
fn swapped(format: &str) -> Option<String> {
    DateOrder::of(format)?;
    Some(format.replace("%d", "\u{0}").replace("%m", "%d").replace('\u{0}', "%m"))
}

/// Watches a file's dates where the mapping's formats read a date both day/month and
/// month/day: a file whose every such date has a day of 12 or less cannot say which it is, and
/// one that reads a date one way and another the other way is read wrongly in part.
#[derive(Debug, Default)]
pub struct OrderCheck {
    /// For each format, its twin's position (the same with day and month swapped), if listed.
    twins: Vec<Option<usize>>,
    /// The first date read both ways, as (row, text, order it was read in).
    ambiguous: Option<(u64, String, DateOrder)>,
    /// The first date that reads in one order only, per order.
    evidence: [Option<(u64, String)>; 2],
}

impl OrderCheck {
    pub fn new(formats: &[String]) -> OrderCheck {
        let twins =
            formats.iter().map(|f| swapped(f).and_then(|twin| formats.iter().position(|g| *g == twin))).collect();
        OrderCheck { twins, ..OrderCheck::default() }
    }

    /// Whether there is anything to watch.
    pub fn active(&self) -> bool {
        self.twins.iter().any(Option::is_some)
    }

    /// Notes a date `text` of `row` that `formats[by]` read.
    pub fn note(&mut self, row: u64, text: &str, by: usize, formats: &[String]) {
        let Some(twin) = self.twins.get(by).copied().flatten() else { return };
        let Some(order) = DateOrder::of(&formats[by]) else { return };
        let read = in_format(text, &formats[by]);
        match in_format(text, &formats[twin]) {
            Some(other) if Some(other) != read => {
                self.ambiguous.get_or_insert_with(|| (row, text.to_string(), order));
            }
            Some(_) => {}
            None => {
                self.evidence[order as usize].get_or_insert_with(|| (row, text.to_string()));
            }
        }
    }

    /// The problem with the file's dates, if any, once it has been read.
    pub fn problem(&self) -> Option<String> {
        let (row, text, read_as) = self.ambiguous.clone()?;
        let [day_first, month_first] = &self.evidence;
        match (day_first, month_first) {
            (Some((r1, t1)), Some((r2, t2))) => Some(format!(
                "the dates mix day/month (row {r1}: {t1}) and month/day (row {r2}: {t2}); name the order in \
                 the mapping ({} or {}) and fix the other rows",
                DateOrder::DayFirst.setting(),
                DateOrder::MonthFirst.setting()
            )),
            (None, None) => Some(format!(
                "ambiguous dates: every date reads both as day/month and as month/day (row {row}: {text}); \
                 name the order in the mapping: {} or {}",
                DateOrder::DayFirst.setting(),
                DateOrder::MonthFirst.setting()
            )),
            (Some((r, t)), None) | (None, Some((r, t))) => {
                let is = if day_first.is_some() { DateOrder::DayFirst } else { DateOrder::MonthFirst };
                (is != read_as).then(|| {
                    format!(
                        "ambiguous dates: row {row} ({text}) was read as {} but row {r} ({t}) is {}; name the \
                         order in the mapping: {}",
                        read_as.words(),
                        is.words(),
                        is.setting()
                    )
                })
            }
        }
    }
}

/// A spreadsheet date serial (days since 1899-12-30, the time as a fraction) to a date and
/// time, to the millisecond.
fn excel_timestamp(serial: f64) -> Result<NaiveDateTime, BadValue> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return Err(BadValue("not a date".into()));
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid").and_hms_opt(0, 0, 0).expect("valid");
    Ok(base + chrono::Duration::milliseconds((serial * 86_400_000.0).round() as i64))
}

/// Whether a date is the first of its month.
pub fn is_first_of_month(d: NaiveDate) -> bool {
    d.day() == 1
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn whole_numbers_read_as_the_general_parser_reads_them(n in 0u64..1_000_000_000_000_000, zeros in 0usize..3) {
            let text = format!("{}{n}", "0".repeat(zeros));
            let expected = text.parse::<f64>().unwrap();
            prop_assert_eq!(whole_number(&text).map(f64::to_bits), (text.len() <= 15).then_some(expected.to_bits()));
            prop_assert_eq!(number_text(&text).unwrap(), Some(expected));
        }
    }

    #[test]
    fn only_plain_digits_take_the_short_way() {
        for text in ["", "-5", "+5", " 5", "5 ", "1,234", "1.5", "85%", "1e5", "0:30", "1234567890123456"] {
            assert_eq!(whole_number(text), None, "{text:?}");
        }
        assert_eq!(number_text(" 5 ").unwrap(), Some(5.0));
        assert_eq!(number_text("1234567890123456").unwrap(), Some(1234567890123456.0));
    }

    fn n(s: &str) -> Result<Option<f64>, BadValue> {
        number(Cell::Text(s))
    }

    #[test]
    fn numbers_in_the_shapes_exports_write() {
        assert_eq!(n("1234.5"), Ok(Some(1234.5)));
        assert_eq!(n(" 42 "), Ok(Some(42.0)));
        assert_eq!(n("1,234.5"), Ok(Some(1234.5)));
        assert_eq!(n("8,285.64%"), Ok(Some(82.8564)));
        assert_eq!(n("85%"), Ok(Some(0.85)));
        assert_eq!(n(""), Ok(None));
        assert_eq!(n(" 00:14:33.768").unwrap().unwrap(), 873.768);
        assert_eq!(n("135:40:34"), Ok(Some(135.0 * 3600.0 + 40.0 * 60.0 + 34.0)));
        assert_eq!(n("05:30"), Ok(Some(330.0)));
        assert_eq!(n("75:30"), Ok(Some(4530.0)), "a long call as mm:ss");
        assert!(n("1:75:30").is_err());
        assert_eq!(n("PT754.25S"), Ok(Some(754.25)));
        assert_eq!(n("PT1H2M3S"), Ok(Some(3723.0)));
        assert_eq!(n("PT0S"), Ok(Some(0.0)));
        assert!(n("PT").is_err() && n("PT5").is_err() && n("PT5X").is_err());
        assert_eq!(n("-"), Ok(None), "Amazon Connect's no value");
        assert_eq!(n("null"), Ok(None), "Talkdesk's no value");
        assert_eq!(n("-5"), Ok(Some(-5.0)));
        // A spreadsheet time is read to the millisecond: 0:14:33.768 as Excel stores it.
        let stored = (14.0 * 60.0 + 33.768) / 86_400.0;
        assert_eq!(number(Cell::Time(stored + 1e-12)), Ok(Some(873.768)));
        assert!(n("Infinity%").is_err());
        assert!(n("12,5").is_err());
        assert!(n("NaN").is_err());
        assert!(n("1:75:00").is_err());
        assert!(n("abc").is_err());
        assert_eq!(number(Cell::Time(0.5)), Ok(Some(43_200.0)));
    }

    #[test]
    fn dates_in_platform_formats() {
        let us = vec!["%m/%d/%y %I:%M %p".to_string()];
        assert_eq!(date(Cell::Text("7/25/25 12:00 AM"), &us), Ok(NaiveDate::from_ymd_opt(2025, 7, 25)));
        assert_eq!(date(Cell::Text("2025-07-25"), &us), Ok(NaiveDate::from_ymd_opt(2025, 7, 25)));
        assert_eq!(date(Cell::Text("2025-07"), &[]), Ok(NaiveDate::from_ymd_opt(2025, 7, 1)));
        assert_eq!(date(Cell::Number(45863.0), &[]), Ok(NaiveDate::from_ymd_opt(2025, 7, 25)));
        assert!(date(Cell::Text("25/07/2025"), &[]).is_err());
        assert!(date(Cell::Text("2025-02-30"), &[]).is_err());
        let clocks = ["%m/%d/%y %I:%M %p".to_string(), "%m/%d/%y %H:%M".to_string()];
        let at = |s: &str| timestamp(Cell::Text(s), &clocks).unwrap().unwrap().to_string();
        assert_eq!(at("7/25/25 12:00 AM"), "2025-07-25 00:00:00");
        assert_eq!(at("7/25/25 00:00"), "2025-07-25 00:00:00");
        assert_eq!(at("7/25/25 1:30 PM"), "2025-07-25 13:30:00");
        assert_eq!(at("7/25/25 13:30"), "2025-07-25 13:30:00");
        assert_eq!(at("2025-07-25"), "2025-07-25 00:00:00");
        let noon = timestamp(Cell::Time(45863.5), &[]).unwrap().unwrap();
        assert_eq!(noon.to_string(), "2025-07-25 12:00:00");
    }

    #[test]
    fn dates_outside_1900_to_2100_are_refused_however_written() {
        for text in ["-0001-06-01", "0000-01-01", "1-1-1", "+10000-01-01", "1899-12-31", "2101-01-01", "0001-01"] {
            let e = date(Cell::Text(text), &[]).unwrap_err();
            assert!(e.0.contains("1900-01-01 to 2100-12-31") || e.0.contains("not a date"), "{text}: {e:?}");
        }
        assert!(date(Cell::Text("-0001-06-01"), &[]).unwrap_err().0.contains("outside"));
        assert!(date(Cell::Number(1.0), &[]).unwrap_err().0.contains("outside"), "serial 1 is 1899-12-31");
        assert!(date(Cell::Number(2.0), &[]).is_ok());
        let us = vec!["%m/%d/%Y".to_string()];
        assert!(date(Cell::Text("1/1/10000"), &us).is_err());
    }
}
