//! Reading CSV files with errors that name the file, line and field.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    pub file: PathBuf,
    /// 1-based line number; the header is line 1.
    pub line: u64,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)?;
        if let Some(field) = &self.field {
            write!(f, ": field '{field}'")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in a file; the command fails with all of them, not just the first.
#[derive(Debug)]
pub struct InputErrors(pub Vec<InputError>);

const SHOWN: usize = 50;

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} row problem(s); nothing was scored:", self.0.len())?;
        for e in self.0.iter().take(SHOWN) {
            writeln!(f, "  {e}")?;
        }
        if self.0.len() > SHOWN {
            writeln!(f, "  … and {} more", self.0.len() - SHOWN)?;
        }
        Ok(())
    }
}

impl std::error::Error for InputErrors {}

/// A CSV file opened with its header checked, yielding rows as name → value lookups.
pub struct CsvFile {
    path: PathBuf,
    reader: csv::Reader<std::fs::File>,
    columns: HashMap<String, usize>,
}

/// A row of a [`CsvFile`], with the line it came from.
pub struct Row<'a> {
    pub line: u64,
    record: csv::StringRecord,
    file: &'a CsvFile,
}

impl CsvFile {
    /// Opens `path` and checks that every `required` column is in its header.
    pub fn open(path: &Path, required: &[&str]) -> Result<CsvFile, InputErrors> {
        let fail = |message: String| InputErrors(vec![InputError { file: path.into(), line: 1, field: None, message }]);
        let file = std::fs::File::open(path).map_err(|e| fail(format!("cannot open: {e}")))?;
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(file);
        let header = reader.headers().map_err(|e| fail(format!("cannot read the header: {e}")))?.clone();
        let columns: HashMap<String, usize> =
            header.iter().enumerate().map(|(i, name)| (name.trim().to_ascii_lowercase(), i)).collect();
        let missing: Vec<&str> = required.iter().copied().filter(|c| !columns.contains_key(*c)).collect();
        if !missing.is_empty() {
            return Err(fail(format!(
                "missing column(s) {}; the header must name {}",
                missing.join(", "),
                required.join(",")
            )));
        }
        Ok(CsvFile { path: path.into(), reader, columns })
    }

    /// Calls `each` for every data row; collects every problem it reports and every unreadable row.
    pub fn for_each_row(mut self, mut each: impl FnMut(&Row) -> Result<(), InputError>) -> Result<(), InputErrors> {
        let mut errors = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            match self.reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line());
                    if record.iter().all(|f| f.is_empty()) {
                        continue;
                    }
                    let row = Row { line, record: std::mem::take(&mut record), file: &self };
                    if let Err(e) = each(&row) {
                        errors.push(e);
                    }
                    record = row.record;
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    errors.push(InputError { file: self.path.clone(), line, field: None, message: e.to_string() });
                    if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }) {
                        break;
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(InputErrors(errors))
        }
    }
}

impl Row<'_> {
    /// The trimmed value of a column ("" when the row is short).
    pub fn get(&self, column: &str) -> &str {
        self.file.columns.get(column).and_then(|&i| self.record.get(i)).unwrap_or("")
    }

    pub fn error(&self, field: &str, message: impl Into<String>) -> InputError {
        InputError {
            file: self.file.path.clone(),
            line: self.line,
            field: Some(field.to_string()),
            message: message.into(),
        }
    }

    /// A required, non-empty value.
    pub fn required(&self, column: &str) -> Result<&str, InputError> {
        match self.get(column) {
            "" => Err(self.error(column, "is empty")),
            v => Ok(v),
        }
    }

    /// A finite number.
    pub fn number(&self, column: &str) -> Result<f64, InputError> {
        let raw = self.required(column)?;
        match raw.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.error(column, format!("'{raw}' is not a number"))),
        }
    }

    /// Parses a value with `parse`, naming the column and the value when it fails.
    pub fn parsed<T, E: fmt::Display>(
        &self,
        column: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, InputError> {
        let raw = self.required(column)?;
        parse(raw).map_err(|e| self.error(column, e.to_string()))
    }
}
