//! An output file that appears whole or not at all: written beside its path under a hidden
//! temporary name, synced, then renamed over it. A run killed half-way leaves no truncated file
//! that looks like a result, and an earlier result stays until the new one is complete.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub struct OutFile {
    path: PathBuf,
    partial: PathBuf,
    writer: BufWriter<File>,
}

impl OutFile {
    pub fn create(path: &Path) -> std::io::Result<OutFile> {
        let name =
            path.file_name().ok_or_else(|| std::io::Error::other(format!("{} is not a file name", path.display())))?;
        let partial = path.with_file_name(format!(".{}.partial", name.to_string_lossy()));
        let writer = BufWriter::new(File::create(&partial)?);
        Ok(OutFile { path: path.to_path_buf(), partial, writer })
    }

    /// Syncs the file and moves it into place.
    pub fn commit(self) -> std::io::Result<()> {
        let file = self.writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&self.partial, &self.path)?;
        // The rename itself survives a power cut only once the directory is synced.
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            File::open(dir)?.sync_all()?;
        }
        Ok(())
    }
}

impl Write for OutFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_appears_only_when_committed() {
        let dir = std::env::temp_dir().join(format!("ladder-out-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("scores.csv");
        std::fs::write(&path, "earlier\n").unwrap();
        let mut out = OutFile::create(&path).unwrap();
        writeln!(out, "new").unwrap();
        out.flush().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "earlier\n");
        out.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        assert!(!dir.join(".scores.csv.partial").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
