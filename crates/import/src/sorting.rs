//! Sorting a file's facts on a thread of their own, so that on two cores the reader parses and
//! checks the next rows while the last full run is sorted, instead of the two taking turns.
//!
//! Runs past [`SORT_RUN`] facts go to temporary files (`extsort`), so memory stays flat whatever
//! the file's size; the queue between the threads holds at most [`QUEUE`] batches.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::merge::Fact;

/// Facts sorted in memory before a sorted run goes to a temporary file: 2 M × 32 bytes.
const SORT_RUN: usize = 2_000_000;
/// Facts sent to the sorting thread at a time.
pub(crate) const BATCH: usize = 16_384;
/// Room for the facts of the row that fills a batch, so the vector never grows.
const ROW_ROOM: usize = 64;
/// Batches waiting for the sorting thread: up to a full run (64 MB), enough for the reader to go
/// on while a run is sorted.
const QUEUE: usize = SORT_RUN / BATCH;

/// An empty batch to fill up to [`BATCH`] facts.
pub(crate) fn new_batch() -> Vec<Fact> {
    Vec::with_capacity(BATCH + ROW_ROOM)
}

/// The sorted facts: how many, and the facts (boxed, as the sorter's comparator has no name;
/// the comparisons themselves stay inlined).
pub(crate) struct Sorted {
    pub count: u64,
    pub facts: Box<dyn Iterator<Item = io::Result<Fact>> + Send>,
}

/// The sorting thread's handle. Dropped without [`Sorter::finish`] (a refused file, a failure),
/// it tells the thread to stop at once rather than sort what is still queued.
pub(crate) struct Sorter {
    queue: Option<SyncSender<Vec<Fact>>>,
    thread: Option<JoinHandle<io::Result<Option<Sorted>>>>,
    abandoned: Arc<AtomicBool>,
}

impl Sorter {
    pub fn start() -> io::Result<Sorter> {
        let (queue, inbox) = sync_channel(QUEUE);
        let abandoned = Arc::new(AtomicBool::new(false));
        let stop = abandoned.clone();
        let thread = std::thread::Builder::new().name("import-sort".into()).spawn(move || sort(inbox, &stop))?;
        Ok(Sorter { queue: Some(queue), thread: Some(thread), abandoned })
    }

    /// Hands a batch over; `false` when the sorting thread has stopped (its error comes from
    /// [`Sorter::finish`]).
    pub fn push(&self, batch: Vec<Fact>) -> bool {
        batch.is_empty() || self.queue.as_ref().is_some_and(|q| q.send(batch).is_ok())
    }

    /// Every fact pushed, sorted; or why the sorting thread stopped.
    pub fn finish(mut self) -> io::Result<Sorted> {
        let (Some(queue), Some(thread)) = (self.queue.take(), self.thread.take()) else {
            unreachable!("finish consumes the sorter")
        };
        // An empty batch says the last one was sent; without it the thread gives up.
        let _ = queue.send(Vec::new());
        drop(queue);
        match thread.join() {
            Ok(Ok(Some(sorted))) => Ok(sorted),
            Ok(Ok(None)) => Err(io::Error::other("the sorting thread stopped early")),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(io::Error::other("the sorting thread panicked")),
        }
    }
}

impl Drop for Sorter {
    fn drop(&mut self) {
        if self.thread.is_some() {
            self.abandoned.store(true, Ordering::Relaxed);
        }
    }
}

/// Sorts what arrives until the empty batch that ends it; returns `None` when the reader went
/// away without one or gave up (a failed or refused file: nothing to sort).
fn sort(inbox: Receiver<Vec<Fact>>, abandoned: &AtomicBool) -> io::Result<Option<Sorted>> {
    let mut sorter = extsort::ExternalSorter::new().with_segment_size(SORT_RUN).pushed_by_key(Fact::key);
    for batch in inbox {
        if abandoned.load(Ordering::Relaxed) {
            return Ok(None);
        }
        if batch.is_empty() {
            let facts = sorter.done()?;
            return Ok(Some(Sorted { count: facts.sorted_count(), facts: Box::new(facts) }));
        }
        for fact in batch {
            sorter.push(fact)?;
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn fact(employee: i64, day: u32, metric: u16) -> Fact {
        Fact::new(employee, NaiveDate::from_ymd_opt(2025, 3, day).unwrap(), metric, day as f64, 1.0)
    }

    #[test]
    fn facts_come_back_in_key_order_across_batches() {
        let sorter = Sorter::start().unwrap();
        let mut pushed = Vec::new();
        for employee in (1..=40).rev() {
            let batch: Vec<Fact> = (1..=28).rev().flat_map(|d| [fact(employee, d, 1), fact(employee, d, 0)]).collect();
            pushed.extend(batch.iter().copied());
            assert!(sorter.push(batch));
        }
        let sorted = sorter.finish().unwrap();
        assert_eq!(sorted.count, pushed.len() as u64);
        let sorted: Vec<Fact> = sorted.facts.map(Result::unwrap).collect();
        pushed.sort_by_key(Fact::key);
        assert_eq!(sorted, pushed);
    }

    #[test]
    fn an_abandoned_sort_stops_without_sorting_what_is_queued() {
        let sorter = Sorter::start().unwrap();
        let abandoned = sorter.abandoned.clone();
        drop(sorter);
        assert!(abandoned.load(Ordering::Relaxed), "dropping the sorter tells its thread to stop");

        // The thread, told so, returns nothing even with facts and the end marker queued.
        let (queue, inbox) = sync_channel(2);
        queue.send(vec![fact(1, 1, 0); 10]).unwrap();
        queue.send(Vec::new()).unwrap();
        assert!(sort(inbox, &AtomicBool::new(true)).unwrap().is_none());
        // Not told, the same queue is sorted.
        let (queue, inbox) = sync_channel(2);
        queue.send(vec![fact(1, 1, 0); 10]).unwrap();
        queue.send(Vec::new()).unwrap();
        assert_eq!(sort(inbox, &AtomicBool::new(false)).unwrap().map(|s| s.count), Some(10));
    }

    #[test]
    fn nothing_pushed_is_nothing_sorted() {
        let sorted = Sorter::start().unwrap().finish().unwrap();
        assert_eq!((sorted.count, sorted.facts.count()), (0, 0));
    }
}
