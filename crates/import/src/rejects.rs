//! The rejects file of `--skip-bad-rows`: the rows left out, as they were, under the file's
//! header, with a `reason` column, so a person can fix them and import that file alone.
//! Capped ([`MAX_ROWS`], [`MAX_BYTES`]): a huge file of tiny bad rows must not make a huge
//! rejects file (the server holds it in memory); past the cap the rows are only counted.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use crate::read::Table;
use crate::validate::Problem;

/// The most rows a rejects file holds.
pub const MAX_ROWS: u64 = 10_000;
/// The most bytes (about) a rejects file holds.
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;

pub(crate) struct Rejects {
    out: csv::Writer<BufWriter<File>>,
    header_written: bool,
    rows: u64,
    bytes: u64,
}

/// Opens the file readable by its owner only: rejected rows are people's figures.
fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) gets a leading `'`; a
/// plain number such as `-5` stays as it was.
fn defused(cell: String) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell
    }
}

impl Rejects {
    pub fn create(path: &Path) -> std::io::Result<Rejects> {
        let file = create_private(path)?;
        // Flexible: a row wider than the header keeps its extra cells.
        let out = csv::WriterBuilder::new().flexible(true).from_writer(BufWriter::new(file));
        Ok(Rejects { out, header_written: false, rows: 0, bytes: 0 })
    }

    /// Writes the table's current row with the reasons it was left out, unless the file is full.
    pub fn write(&mut self, t: &Table, problems: &[Problem]) -> std::io::Result<()> {
        if self.rows >= MAX_ROWS || self.bytes >= MAX_BYTES {
            return Ok(());
        }
        let headers = t.headers();
        if !self.header_written {
            self.out.write_record(headers.iter().map(|h| defused(h.clone())).chain(["reason".to_string()]))?;
            self.header_written = true;
        }
        let width = headers.len().max(t.width());
        let reason = problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; ");
        let cells: Vec<String> = (0..width).map(|i| defused(t.cell(i).display())).collect();
        self.bytes += (cells.iter().map(|c| c.len() + 1).sum::<usize>() + reason.len() + 1) as u64;
        self.rows += 1;
        self.out.write_record(cells.iter().map(String::as_str).chain([reason.as_str()]))?;
        Ok(())
    }

    /// Flushes the file; the number of rows written.
    pub fn finish(mut self) -> std::io::Result<u64> {
        use std::io::Write;
        self.out.flush()?;
        self.out.into_inner().map_err(|e| e.into_error())?.flush()?;
        Ok(self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::defused;

    #[test]
    fn formulas_are_defused_and_numbers_kept() {
        assert_eq!(defused("=HYPERLINK(\"x\")".into()), "'=HYPERLINK(\"x\")");
        assert_eq!(defused("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(defused("+cmd".into()), "'+cmd");
        assert_eq!(defused("-5".into()), "-5");
        assert_eq!(defused("E1001".into()), "E1001");
    }
}
