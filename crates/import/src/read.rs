//! Reading CSV and XLSX files row by row, with spreadsheet row numbers.
//!
//! CSV is streamed: one record buffer is reused, so memory stays flat whatever the file size,
//! and the bytes are hashed (SHA-256) as they are read. XLSX is read with `calamine`, which
//! loads the sheet, within limits ([`crate::xlsx`]). The header is the first row,
//! among the first [`HEADER_SEARCH_ROWS`], that names every key column, so report titles above
//! the header (as some platforms write) are skipped.

use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use calamine::Data;
use sha2::{Digest, Sha256};

use crate::validate::Problem;

/// How far down the header may be.
pub const HEADER_SEARCH_ROWS: u64 = 20;

/// A file to import: a path, or bytes already in memory (an upload).
#[derive(Debug, Clone)]
pub struct Input {
    /// The file name as shown in reports and stored with the rows (no directories).
    pub name: String,
    pub data: InputData,
}

#[derive(Debug, Clone)]
pub enum InputData {
    Path(PathBuf),
    Bytes(Arc<Vec<u8>>),
}

impl Input {
    pub fn path(path: impl Into<PathBuf>) -> Input {
        let path = path.into();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Input { name, data: InputData::Path(path) }
    }
    pub fn bytes(name: &str, bytes: Vec<u8>) -> Input {
        Input { name: name.to_string(), data: InputData::Bytes(Arc::new(bytes)) }
    }
    fn is_xlsx(&self) -> std::io::Result<bool> {
        let lower = self.name.to_ascii_lowercase();
        if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
            return Ok(true);
        }
        // A ZIP signature: an XLSX whatever its name.
        let mut head = [0u8; 4];
        let n = match &self.data {
            InputData::Path(p) => std::fs::File::open(p)?.read(&mut head)?,
            InputData::Bytes(b) => (&b[..]).read(&mut head)?,
        };
        Ok(n == 4 && head == *b"PK\x03\x04")
    }
    /// Whether a second read gets the same bytes again: not so for a pipe.
    pub(crate) fn can_be_read_again(&self) -> bool {
        match &self.data {
            InputData::Path(p) => std::fs::metadata(p).is_ok_and(|m| m.is_file()),
            InputData::Bytes(_) => true,
        }
    }
    pub(crate) fn len(&self) -> u64 {
        match &self.data {
            InputData::Path(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            InputData::Bytes(b) => b.len() as u64,
        }
    }
}

/// One cell, borrowed from the current row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    /// A spreadsheet date or time: days since 1899-12-30, with the time as a fraction.
    Time(f64),
}

impl Cell<'_> {
    /// The cell as the user would see it, for messages.
    pub fn display(&self) -> String {
        self.text().into_owned()
    }
    /// [`Cell::display`], borrowed when the cell is text: a KPI file's every row looks its
    /// employee code up by it.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Empty => "".into(),
            Cell::Text(t) => t.trim().into(),
            Cell::Number(n) | Cell::Time(n) => n.to_string().into(),
        }
    }
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0}: {1}")]
    Csv(String, csv::Error),
    #[error("{0} is not a readable XLSX workbook: {1}")]
    Xlsx(String, String),
    /// The file, and every missing column with the header that was found.
    #[error("{0}: {1}")]
    NoHeader(String, String),
}

/// Bytes read so far, shared with the progress reporter.
#[derive(Debug, Default)]
pub struct Counter(AtomicU64);

impl Counter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    read: Arc<Counter>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.read.0.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

type CsvReader = csv::Reader<Hashing<Box<dyn Read + Send>>>;

enum Inner {
    Csv { reader: Box<CsvReader>, record: csv::ByteRecord },
    Xlsx { rows: Vec<Vec<Data>>, first_row: u64, next: usize, sha256: String },
}

/// A table being read: the header, then one row at a time.
pub struct Table {
    name: String,
    inner: Inner,
    headers: Vec<String>,
    header_row: u64,
    row: u64,
    total_bytes: u64,
    read: Arc<Counter>,
}

/// Says once which key columns no header names, and what the likeliest header has.
fn no_header(keys: &[Vec<String>], best: Option<(usize, u64, Vec<String>)>) -> String {
    let wanted = |alts: &Vec<String>| format!("'{}'", alts.join("' or '"));
    match best {
        Some((named, row, cells)) if named > 0 => {
            let missing: Vec<String> =
                keys.iter().filter(|alts| alts.iter().all(|k| find_in(&cells, k).is_none())).map(wanted).collect();
            let shown: Vec<&str> = cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
            format!(
                "missing column{}: {}; the header found (row {row}) has: {}",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", "),
                shown.join(", ")
            )
        }
        best => {
            let all: Vec<String> = keys.iter().map(wanted).collect();
            let first = best.map(|(_, row, cells)| {
                let shown: Vec<&str> = cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
                format!("; row {row} has: {}", shown.join(", "))
            });
            format!(
                "missing columns: no row in the first {HEADER_SEARCH_ROWS} names {}{}",
                all.join(", "),
                first.unwrap_or_default()
            )
        }
    }
}

impl Table {
    /// Opens the input and finds the header: the first row naming one of each set of
    /// alternative key column names.
    pub fn open(input: &Input, keys: &[Vec<String>]) -> Result<Table, ReadError> {
        let io = |e| ReadError::Io(input.name.clone(), e);
        let read = Arc::new(Counter::default());
        let total_bytes = input.len();
        let inner = if input.is_xlsx().map_err(io)? {
            let bytes = match &input.data {
                InputData::Path(p) => std::fs::read(p).map_err(io)?,
                InputData::Bytes(b) => b.to_vec(),
            };
            let sha256 = hex::encode(Sha256::digest(&bytes));
            read.0.store(bytes.len() as u64, Ordering::Relaxed);
            let (rows, first_row) = first_sheet(&input.name, bytes)?;
            Inner::Xlsx { rows, first_row, next: 0, sha256 }
        } else {
            let raw: Box<dyn Read + Send> = match &input.data {
                InputData::Path(p) => Box::new(std::fs::File::open(p).map_err(io)?),
                InputData::Bytes(b) => Box::new(Cursor::new(SharedBytes(b.clone()))),
            };
            let mut buffered = BufReader::with_capacity(1 << 16, raw);
            let delimiter = sniff_delimiter(buffered.fill_buf().map_err(io)?);
            let hashing: Box<dyn Read + Send> = Box::new(buffered);
            let reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .buffer_capacity(1 << 16)
                .from_reader(Hashing { inner: hashing, hasher: Sha256::new(), read: read.clone() });
            Inner::Csv { reader: Box::new(reader), record: csv::ByteRecord::new() }
        };
        let mut table =
            Table { name: input.name.clone(), inner, headers: Vec::new(), header_row: 0, row: 0, total_bytes, read };
        table.find_header(keys)?;
        Ok(table)
    }

    fn find_header(&mut self, keys: &[Vec<String>]) -> Result<(), ReadError> {
        // The row naming most key columns, should none name them all: the header meant.
        let mut best: Option<(usize, u64, Vec<String>)> = None;
        while self.next_raw()? {
            if self.row > HEADER_SEARCH_ROWS {
                break;
            }
            let cells: Vec<String> = (0..self.width()).map(|i| self.cell(i).display()).collect();
            let named = keys.iter().filter(|alternatives| alternatives.iter().any(|k| find_in(&cells, k).is_some()));
            let named = named.count();
            if named == keys.len() {
                self.headers = cells;
                self.header_row = self.row;
                return Ok(());
            }
            let filled = cells.iter().any(|c| !c.trim().is_empty());
            if filled && best.as_ref().is_none_or(|(most, _, _)| named > *most) {
                best = Some((named, self.row, cells));
            }
        }
        Err(ReadError::NoHeader(self.name.clone(), no_header(keys, best)))
    }

    /// The file's name, for messages.
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn headers(&self) -> &[String] {
        &self.headers
    }
    pub fn header_row(&self) -> u64 {
        self.header_row
    }
    /// The position of a column by name: exact (ignoring surrounding spaces), else ignoring case.
    pub fn column(&self, name: &str) -> Option<usize> {
        find_in(&self.headers, name)
    }

    /// Moves to the next row; `false` at the end.
    pub fn next_row(&mut self) -> Result<bool, ReadError> {
        self.next_raw()
    }

    fn next_raw(&mut self) -> Result<bool, ReadError> {
        match &mut self.inner {
            Inner::Csv { reader, record } => {
                let more = reader.read_byte_record(record).map_err(|e| ReadError::Csv(self.name.clone(), e))?;
                if more {
                    // csv skips empty lines and dates a record from where it began looking, so
                    // count from where it stopped: the line after the record's last one.
                    self.row = reader.position().line().saturating_sub(1).max(self.row + 1);
                }
                Ok(more)
            }
            Inner::Xlsx { rows, first_row, next, .. } => {
                if *next >= rows.len() {
                    return Ok(false);
                }
                self.row = *first_row + *next as u64 + 1;
                *next += 1;
                Ok(true)
            }
        }
    }

    /// The spreadsheet row number of the current row.
    pub fn row(&self) -> u64 {
        self.row
    }

    pub(crate) fn width(&self) -> usize {
        match &self.inner {
            Inner::Csv { record, .. } => record.len(),
            Inner::Xlsx { rows, next, .. } => rows.get(next.wrapping_sub(1)).map_or(0, Vec::len),
        }
    }

    pub fn cell(&self, i: usize) -> Cell<'_> {
        match &self.inner {
            Inner::Csv { record, .. } => match record.get(i) {
                None | Some(b"") => Cell::Empty,
                Some(bytes) => Cell::Text(std::str::from_utf8(bytes).unwrap_or("\u{FFFD}")),
            },
            Inner::Xlsx { rows, next, .. } => match rows.get(next.wrapping_sub(1)).and_then(|r| r.get(i)) {
                None | Some(Data::Empty) => Cell::Empty,
                Some(Data::String(s)) | Some(Data::DateTimeIso(s)) | Some(Data::DurationIso(s)) => Cell::Text(s),
                Some(Data::Float(f)) => Cell::Number(*f),
                Some(Data::Int(n)) => Cell::Number(*n as f64),
                Some(Data::Bool(b)) => Cell::Number(if *b { 1.0 } else { 0.0 }),
                Some(Data::DateTime(d)) => Cell::Time(d.as_f64()),
                Some(Data::Error(_)) => Cell::Text("#ERROR"),
            },
        }
    }

    /// The row's first cell that is not UTF-8 text or holds a NUL byte, as a problem naming the
    /// row, the column and the byte: one rule for every file (a cell is never read half-decoded).
    pub fn bad_text(&self) -> Option<Problem> {
        let (column, message, value) = match &self.inner {
            Inner::Csv { record, .. } => {
                let all = record.as_slice();
                // Most rows are ASCII without a NUL: settled without looking at each cell.
                if all.is_ascii() && !all.contains(&0) {
                    return None;
                }
                let record_start = record.position().map_or(0, |p| p.byte());
                let mut before = 0;
                let mut found = None;
                for (i, field) in record.iter().enumerate() {
                    if let Some(message) = text_fault(field, record_start + before) {
                        found = Some((i, message, String::from_utf8_lossy(field).into_owned()));
                        break;
                    }
                    before += field.len() as u64;
                }
                found?
            }
            Inner::Xlsx { rows, next, .. } => {
                let row = rows.get(next.wrapping_sub(1))?;
                row.iter().enumerate().find_map(|(i, cell)| match cell {
                    Data::String(s) if s.contains('\0') => {
                        let at = s.find('\0').unwrap_or(0);
                        Some((i, format!("a NUL byte (byte {at} of the cell) is not text"), s.replace('\0', "")))
                    }
                    _ => None,
                })?
            }
        };
        let header = self.headers.get(column).map_or_else(|| format!("column {}", column + 1), Clone::clone);
        Some(Problem::new(self.row, &header, &value, message))
    }

    /// Every cell of the row is empty (the separator rows some exports write).
    pub fn is_blank(&self) -> bool {
        if let Inner::Csv { record, .. } = &self.inner {
            // Asked of every row: a visible ASCII byte (the first of most rows' employee code)
            // settles it without decoding a cell.
            if record.iter().any(|field| field.iter().any(u8::is_ascii_graphic)) {
                return false;
            }
        }
        (0..self.width()).all(|i| self.cell(i).is_blank())
    }

    pub fn bytes_read(&self) -> Arc<Counter> {
        self.read.clone()
    }
    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    /// The SHA-256 of the whole file, once every row has been read.
    pub fn finish(self) -> Result<String, ReadError> {
        match self.inner {
            Inner::Csv { reader, .. } => {
                let mut hashing = reader.into_inner();
                // Whatever csv did not need (nothing, normally) still counts for the hash.
                std::io::copy(&mut hashing, &mut std::io::sink()).map_err(|e| ReadError::Io(self.name.clone(), e))?;
                Ok(hex::encode(hashing.hasher.finalize()))
            }
            Inner::Xlsx { sha256, .. } => Ok(sha256),
        }
    }
}

/// What is wrong with a cell's bytes as text, if anything; `file_at` is about where it starts.
fn text_fault(field: &[u8], file_at: u64) -> Option<String> {
    if let Err(e) = std::str::from_utf8(field) {
        let at = e.valid_up_to();
        return Some(format!(
            "not UTF-8 text: byte {at} of the cell (about byte {} of the file) cannot be read; save the file as UTF-8",
            file_at + at as u64
        ));
    }
    let at = field.iter().position(|b| *b == 0)?;
    Some(format!("a NUL byte (byte {at} of the cell, about byte {} of the file) is not text", file_at + at as u64))
}

/// The first worksheet's rows and the number of the row above them, read within the limits of
/// [`crate::xlsx`]. calamine 0.31 panics on some damaged workbooks (a shared-string index past
/// the table, found by fuzzing): that is the file's fault, so it is an error about the file (a
/// 400), not a crash of the import (a 500).
fn first_sheet(name: &str, bytes: Vec<u8>) -> Result<(Vec<Vec<Data>>, u64), ReadError> {
    let bad = |why: String| ReadError::Xlsx(name.to_string(), why);
    let read = || crate::xlsx::read_first_sheet(bytes, &crate::xlsx::Limits::DEFAULT).map_err(|e| bad(e.to_string()));
    let sheet = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
        .unwrap_or_else(|_| Err(bad("it is damaged: a cell refers to something the workbook does not have".into())))?;
    Ok((sheet.rows, sheet.first_row))
}

struct SharedBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

fn find_in(cells: &[String], name: &str) -> Option<usize> {
    let name = name.trim();
    cells
        .iter()
        .position(|c| c.trim() == name)
        .or_else(|| cells.iter().position(|c| c.trim().eq_ignore_ascii_case(name)))
}

/// `;` or tab when the first line has more of them than commas (European and TSV exports).
fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|b| *b == b'\n').next().unwrap_or(head);
    let count = |c: u8| line.iter().filter(|b| **b == c).count();
    let (commas, semis, tabs) = (count(b','), count(b';'), count(b'\t'));
    // NICE IEX WFM writes pipe-delimited files (shared/domain/exports.md §2.2).
    if count(b'|') > commas.max(semis).max(tabs) {
        b'|'
    } else if semis > commas && semis >= tabs {
        b';'
    } else if tabs > commas {
        b'\t'
    } else {
        b','
    }
}

/// A file's name without its directories.
pub fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_cell_is_read_trimmed_without_a_copy() {
        use std::borrow::Cow;
        assert!(matches!(Cell::Text(" E1001 ").text(), Cow::Borrowed("E1001")));
        assert_eq!(Cell::Number(1001.0).text(), "1001");
        assert_eq!(Cell::Empty.display(), "");
    }

    #[test]
    fn blank_rows_are_cells_of_spaces_or_nothing_whatever_the_spaces() {
        // A no-break space (U+00A0) is not ASCII: such a row takes the slow path, and is blank.
        let csv = "Agent,Calls\n , \u{a0}\n\u{a0}x,\n\t,.\nE1,5\n";
        let mut t = Table::open(&Input::bytes("x.csv", csv.into()), &[vec!["agent".into()]]).unwrap();
        let mut blank = Vec::new();
        while t.next_row().unwrap() {
            blank.push(t.is_blank());
        }
        assert_eq!(blank, vec![true, false, false, false]);
    }

    #[test]
    fn finds_the_header_below_a_title_and_numbers_rows_like_a_spreadsheet() {
        let csv = "Agent report\n\nAgent,Date,Calls\nE1,2025-01-02,5\n,,\nE2,2025-01-02,7\n";
        let mut t = Table::open(&Input::bytes("x.csv", csv.into()), &[vec!["agent".into()]]).unwrap();
        assert_eq!(t.header_row(), 3);
        assert_eq!(t.column("calls"), Some(2));
        assert!(t.next_row().unwrap());
        assert_eq!((t.row(), t.cell(0)), (4, Cell::Text("E1")));
        assert!(t.next_row().unwrap());
        assert!(t.is_blank());
        assert!(t.next_row().unwrap());
        assert_eq!(t.row(), 6);
        assert!(!t.next_row().unwrap());
        let expected = hex::encode(Sha256::digest(csv.as_bytes()));
        assert_eq!(t.finish().unwrap(), expected);
    }

    #[test]
    fn invalid_utf8_and_nul_bytes_are_refused_naming_row_column_and_byte() {
        let mut csv = b"Agent,Name\nE1,Ana\nE2,Ben\xff\xfeX\nE3,Cy\0ra\nE4,Z\xc3\xa9\n".to_vec();
        csv.extend_from_slice(b"");
        let mut t = Table::open(&Input::bytes("x.csv", csv), &[vec!["agent".into()]]).unwrap();
        let mut found = Vec::new();
        while t.next_row().unwrap() {
            found.push(t.bad_text());
        }
        assert_eq!(found[0], None);
        let bad = found[1].clone().expect("invalid UTF-8 refused");
        assert_eq!((bad.row, bad.column.as_str()), (3, "Name"));
        assert!(bad.message.contains("not UTF-8") && bad.message.contains("byte 3 of the cell"), "{bad}");
        let nul = found[2].clone().expect("NUL refused");
        assert_eq!((nul.row, nul.column.as_str()), (4, "Name"));
        assert!(nul.message.contains("NUL byte (byte 2 of the cell"), "{nul}");
        assert_eq!(found[3], None, "UTF-8 beyond ASCII is text");
    }

    #[test]
    fn a_damaged_workbook_is_an_error_about_the_file() {
        // A shared-string cell whose index is past the table (tests/data/make_damaged_xlsx.py):
        // calamine panicked on it, and the import answered 500 (fuzz/, xlsx target).
        let bytes = include_bytes!("../tests/data/damaged-shared-string.xlsx").to_vec();
        let err = Table::open(&Input::bytes("kpi.xlsx", bytes), &[vec!["code".into()]]).err();
        assert!(
            matches!(&err, Some(ReadError::Xlsx(name, why)) if name == "kpi.xlsx" && why.contains("damaged")),
            "{err:?}"
        );
    }

    #[test]
    fn semicolon_files_are_recognised() {
        let mut t = Table::open(&Input::bytes("x.csv", b"a;b\n1;2\n".to_vec()), &[vec!["b".into()]]).unwrap();
        assert!(t.next_row().unwrap());
        assert_eq!(t.cell(1), Cell::Text("2"));
    }
}
