//! `ladder jobs import FILE|DIR` and the upload page: outside job postings (schema.org
//! JobPosting JSON-LD, alone or in saved HTML pages; or CSV/XLSX tables through a mapping,
//! [`crate::postings_table`]) into the store. Each file is read on its
//! own: a file that is not valid JSON is reported with its line and column and skipped, and
//! the others still import. All the files' postings are written in one transaction (rolled
//! back on a dry run, so the report says exactly what a real run would do).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use ladder_core::postings::{read_file, FileRead, MAX_FILE_BYTES};
use ladder_core::Framework;
use ladder_store::postings::upsert_in;
use ladder_store::Db;
use serde::Serialize;

use crate::postings_table::{is_table, read_table, PostingsMapping};
use crate::read::Input;

/// The file endings read from a directory.
pub const EXTENSIONS: [&str; 7] = ["json", "jsonld", "html", "htm", "csv", "tsv", "xlsx"];
/// The most files one import reads.
pub const MAX_FILES: usize = 100_000;

/// One file's outcome.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FileOutcome {
    pub file: String,
    pub postings: usize,
    pub imported: u64,
    pub updated: u64,
    /// Postings of the file left out, each with why ("posting 2: no title").
    pub skipped_postings: Vec<String>,
    /// Why the whole file was skipped ("line 4, column 33: not valid JSON: …").
    pub error: Option<String>,
}

/// The whole import.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PostingsReport {
    pub dry_run: bool,
    pub files: Vec<FileOutcome>,
    pub imported: u64,
    pub updated: u64,
    pub skipped_files: usize,
}

impl PostingsReport {
    /// Whether every file was read.
    pub fn is_ok(&self) -> bool {
        self.skipped_files == 0
    }
}

impl std::fmt::Display for PostingsReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (verb, update) = if self.dry_run { ("Would import", "update") } else { ("Imported", "updated") };
        let read = self.files.len() - self.skipped_files;
        writeln!(
            f,
            "{verb} {} new postings and {update} {} from {read} of {} files.",
            self.imported,
            self.updated,
            self.files.len()
        )?;
        for file in &self.files {
            if let Some(e) = &file.error {
                writeln!(f, "Skipped {}: {e}", file.file)?;
            }
            for p in &file.skipped_postings {
                writeln!(f, "{}: left out {p}", file.file)?;
            }
        }
        Ok(())
    }
}

/// The files `path` names: itself, or every file of the directory (not its subdirectories)
/// ending in one of [`EXTENSIONS`], by name.
pub fn files_in(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path)? {
        let p = entry?.path();
        let ext = p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        if p.is_file() && ext.is_some_and(|e| EXTENSIONS.contains(&e.as_str())) {
            files.push(p);
        }
        if files.len() > MAX_FILES {
            return Err(std::io::Error::other(format!("more than {MAX_FILES} files in {}", path.display())));
        }
    }
    files.sort();
    Ok(files)
}

/// Reads a file's bytes, refusing one over [`MAX_FILE_BYTES`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_FILE_BYTES as u64 {
        return Err(format!("larger than {} MB", MAX_FILE_BYTES / (1024 * 1024)));
    }
    std::fs::read(path).map_err(|e| e.to_string())
}

/// The postings of one file: a table (by its name's ending) through `mapping`, else JSON-LD
/// from its text (bytes that are not UTF-8 are replaced: a saved page in another encoding
/// still gives its ASCII JSON).
pub fn read_any(name: &str, bytes: Vec<u8>, mapping: &PostingsMapping, fw: &Framework) -> Result<FileRead, String> {
    if is_table(name) {
        let file = Path::new(name).file_name().map_or(name.into(), |f| f.to_string_lossy().into_owned());
        return read_table(&Input::bytes(&file, bytes), mapping, fw);
    }
    read_file(&String::from_utf8_lossy(&bytes), fw).map_err(|e| e.to_string())
}

/// Imports named files (a file name and its bytes, or why it could not be read), tables read
/// through `mapping`, calling `progress(done, total)` after each.
pub async fn import(
    db: &Db,
    fw: &Framework,
    files: Vec<(String, Result<Vec<u8>, String>)>,
    mapping: &PostingsMapping,
    dry_run: bool,
    at: DateTime<Utc>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> ladder_store::Result<PostingsReport> {
    let total = files.len() as u64;
    let mut report = PostingsReport { dry_run, ..PostingsReport::default() };
    let mut tx = db.begin().await?;
    for (i, (name, text)) in files.into_iter().enumerate() {
        let mut outcome = FileOutcome { file: name.clone(), ..FileOutcome::default() };
        match text.and_then(|bytes| read_any(&name, bytes, mapping, fw)) {
            Ok(read) => {
                let done = upsert_in(&mut tx, &read.postings, &name, at).await?;
                outcome.postings = read.postings.len();
                (outcome.imported, outcome.updated) = (done.imported, done.updated);
                outcome.skipped_postings = read.skipped;
                report.imported += done.imported;
                report.updated += done.updated;
            }
            Err(e) => {
                outcome.error = Some(e);
                report.skipped_files += 1;
            }
        }
        report.files.push(outcome);
        progress(i as u64 + 1, total);
    }
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(report)
}
