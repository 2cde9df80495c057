//! Sorted runs of facts kept in temporary files, and their merge back in key order: how a set of
//! facts too large for memory is sorted.
//!
//! Not `extsort`: it sorts each run again with an unstable sort (which cannot use the order the
//! runs already have), and when the facts end exactly where a run was written it hands back
//! only what is in memory, dropping the runs on disk.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Seek};

use crate::merge::Fact;

/// The runs written so far, each sorted by [`Fact::key`].
#[derive(Default)]
pub(crate) struct Runs {
    files: Vec<(File, u64)>,
}

impl Runs {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Facts in all the runs.
    pub fn count(&self) -> u64 {
        self.files.iter().map(|(_, n)| n).sum()
    }

    /// Writes a sorted run to a temporary file of its own, which the system deletes once closed.
    pub fn write(&mut self, run: &[Fact]) -> io::Result<()> {
        let mut out = BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
        for fact in run {
            fact.write_to(&mut out)?;
        }
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        self.files.push((file, run.len() as u64));
        Ok(())
    }

    /// Every run, and `memory` (sorted too), merged in key order; equal keys come run by run, in
    /// the order the runs were written, then from memory.
    pub fn merge<M>(self, memory: M) -> io::Result<Merge<M>>
    where
        M: Iterator<Item = Fact>,
    {
        let sources: Vec<Source> =
            self.files.into_iter().map(|(file, left)| Source { reader: BufReader::new(file), left }).collect();
        let n = sources.len() + 1;
        let mut merge =
            Merge { sources, memory, heads: vec![None; n], heap: BinaryHeap::with_capacity(n), failed: None };
        for i in 0..n {
            merge.refill(i)?;
        }
        Ok(merge)
    }
}

/// One run on disk being read back.
struct Source {
    reader: BufReader<File>,
    /// Facts not read yet: the file ends after them, and ending sooner is an error.
    left: u64,
}

impl Source {
    fn next(&mut self) -> io::Result<Option<Fact>> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        Fact::read_from(&mut self.reader).map(Some)
    }
}

/// The merged facts (see [`Runs::merge`]).
pub(crate) struct Merge<M> {
    sources: Vec<Source>,
    memory: M,
    /// The next fact of each source; the last is memory's.
    heads: Vec<Option<Fact>>,
    /// (key, source) of every head there is.
    heap: BinaryHeap<Reverse<(u64, usize)>>,
    /// A source that failed while the fact before was handed out: the next (and last) item.
    failed: Option<io::Error>,
}

impl<M: Iterator<Item = Fact>> Merge<M> {
    /// Takes source `i`'s next fact as its head.
    fn refill(&mut self, i: usize) -> io::Result<()> {
        let next = match self.sources.get_mut(i) {
            Some(source) => source.next()?,
            None => self.memory.next(),
        };
        if let Some(fact) = next {
            self.heap.push(Reverse((fact.key(), i)));
        }
        self.heads[i] = next;
        Ok(())
    }
}

impl<M: Iterator<Item = Fact>> Iterator for Merge<M> {
    type Item = io::Result<Fact>;

    fn next(&mut self) -> Option<io::Result<Fact>> {
        if let Some(e) = self.failed.take() {
            return Some(Err(e));
        }
        let Reverse((_, i)) = self.heap.pop()?;
        let fact = self.heads[i].expect("a source in the heap has a head");
        if let Err(e) = self.refill(i) {
            self.heap.clear();
            self.failed = Some(e);
        }
        Some(Ok(fact))
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn fact(employee: u32, day: u32) -> Fact {
        Fact::new(employee, NaiveDate::from_ymd_opt(2025, 5, day).unwrap(), 0, employee as f64, day as f64)
    }

    fn sorted(mut facts: Vec<Fact>) -> Vec<Fact> {
        facts.sort_by_key(Fact::key);
        facts
    }

    #[test]
    fn runs_and_memory_merge_in_key_order() {
        let mut runs = Runs::default();
        let a = sorted((1..=9).map(|e| fact(e * 3, 1)).collect());
        let b = sorted((1..=9).map(|e| fact(e * 2, 2)).collect());
        runs.write(&a).unwrap();
        runs.write(&b).unwrap();
        runs.write(&[]).unwrap();
        assert_eq!(runs.count(), 18);
        let memory = sorted(vec![fact(5, 9), fact(1, 1), fact(30, 3)]);
        let merged: Vec<Fact> = runs.merge(memory.clone().into_iter()).unwrap().map(Result::unwrap).collect();
        assert_eq!(merged, sorted([a, b, memory].concat()));
    }

    #[test]
    fn equal_keys_come_run_by_run_then_from_memory() {
        let with = |numerator: f64| {
            let mut f = fact(7, 3);
            f.numerator = numerator;
            f
        };
        let mut runs = Runs::default();
        runs.write(&[with(1.0)]).unwrap();
        runs.write(&[fact(1, 1), with(2.0)]).unwrap();
        let merged: Vec<f64> = runs.merge([with(3.0)].into_iter()).unwrap().map(|f| f.unwrap().numerator).collect();
        assert_eq!(merged, vec![1.0, 1.0, 2.0, 3.0], "employee 1's fact first, then employee 7's in order");
    }

    #[test]
    fn runs_alone_merge_whole() {
        // The case extsort gets wrong: nothing left in memory after the last run was written.
        let mut runs = Runs::default();
        runs.write(&[fact(2, 1), fact(4, 1)]).unwrap();
        runs.write(&[fact(1, 1), fact(3, 1)]).unwrap();
        let merged: Vec<u32> = runs.merge(std::iter::empty()).unwrap().map(|f| f.unwrap().employee()).collect();
        assert_eq!(merged, vec![1, 2, 3, 4]);
    }

    #[test]
    fn a_run_cut_short_on_disk_is_an_error_not_an_early_end() {
        let mut runs = Runs::default();
        runs.write(&[fact(1, 1), fact(2, 1)]).unwrap();
        let (file, _) = &runs.files[0];
        file.set_len(24 + 10).unwrap();
        let results: Vec<io::Result<Fact>> = runs.merge(std::iter::empty()).unwrap().collect();
        assert_eq!(results.len(), 2, "the fact before, then the error, then nothing: {results:?}");
        assert_eq!(results[0].as_ref().unwrap().employee(), 1);
        assert_eq!(results[1].as_ref().unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
    }
}
