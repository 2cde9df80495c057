//! The rejects file of `--skip-bad-rows`: the rows left out, as they were, under the file's
//! header, with a `reason` column, so a person can fix them and import that file alone.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use crate::read::Table;
use crate::validate::Problem;

pub(crate) struct Rejects {
    out: csv::Writer<BufWriter<File>>,
    header_written: bool,
}

impl Rejects {
    pub fn create(path: &Path) -> std::io::Result<Rejects> {
        let file = File::create(path)?;
        // Flexible: a row wider than the header keeps its extra cells.
        let out = csv::WriterBuilder::new().flexible(true).from_writer(BufWriter::new(file));
        Ok(Rejects { out, header_written: false })
    }

    /// Writes the table's current row with the reasons it was left out.
    pub fn write(&mut self, t: &Table, problems: &[Problem]) -> std::io::Result<()> {
        let headers = t.headers();
        if !self.header_written {
            self.out.write_record(headers.iter().map(String::as_str).chain(["reason"]))?;
            self.header_written = true;
        }
        let width = headers.len().max(t.width());
        let reason = problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; ");
        let cells: Vec<String> = (0..width).map(|i| t.cell(i).display()).collect();
        self.out.write_record(cells.iter().map(String::as_str).chain([reason.as_str()]))?;
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        use std::io::Write;
        self.out.flush()?;
        self.out.into_inner().map_err(|e| e.into_error())?.flush()
    }
}
