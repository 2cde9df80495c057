//! Sorting a file's facts on a thread of their own, so that on two cores the reader parses and
//! checks the next rows while the last full run is sorted, instead of the two taking turns.
//!
//! The reader may cut the facts into segments (a month at a time, for a file in date order):
//! each is sorted and handed to a consumer as soon as it is cut, while the reader goes on. A
//! segment of up to [`SORT_RUN`] facts is sorted in memory; a larger one goes to temporary files
//! a sorted run at a time and is merged on the way out ([`crate::spill`]), so memory stays flat
//! whatever the file's size. The queue between the threads holds at most [`QUEUE`] batches.
//!
//! Runs are sorted by a stable sort, which merges the ascending stretches it finds: a month of
//! an export in date order is a few dozen of them, one a day (employees in order, each row's
//! metrics in the framework's order), so it is merged rather than sorted from scratch.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::merge::Fact;
use crate::spill::Runs;

/// Facts sorted in memory before a sorted run goes to a temporary file: 2 M × 24 bytes.
const SORT_RUN: usize = 2_000_000;
/// Facts sent to the sorting thread at a time.
pub(crate) const BATCH: usize = 16_384;
/// Room for the facts of the row that fills a batch, so the vector never grows.
const ROW_ROOM: usize = 64;
/// Batches waiting for the sorting thread: up to a full run (48 MB), enough for the reader to go
/// on while a run is sorted.
const QUEUE: usize = SORT_RUN / BATCH;

/// An empty batch to fill up to [`BATCH`] facts.
pub(crate) fn new_batch() -> Vec<Fact> {
    Vec::with_capacity(BATCH + ROW_ROOM)
}

/// One sorted segment: how many facts, the facts (from memory, or merged from temporary files),
/// and whether it is the last.
pub(crate) struct Sorted<'a> {
    pub count: u64,
    pub facts: Box<dyn Iterator<Item = io::Result<Fact>> + Send + 'a>,
    pub last: bool,
}

enum ToSorter {
    Facts(Vec<Fact>),
    /// What came before is a segment of its own.
    Cut,
    /// The last facts were sent.
    End,
}

/// The sorting thread's handle. Dropped without [`Sorter::finish`] (a refused file, a failure,
/// a file out of month order), it tells the thread to stop at once, rather than sort what is
/// still queued or hand on the rest of a segment, and waits for it: the thread's work must not
/// run on beside the next read of the file.
pub(crate) struct Sorter {
    queue: Option<SyncSender<ToSorter>>,
    thread: Option<JoinHandle<io::Result<Option<u64>>>>,
    abandoned: Arc<AtomicBool>,
}

impl Sorter {
    /// Starts the thread; `consume` gets each sorted segment, on that thread, and says whether
    /// to go on.
    pub fn start(consume: impl FnMut(Sorted<'_>) -> io::Result<bool> + Send + 'static) -> io::Result<Sorter> {
        let (queue, inbox) = sync_channel(QUEUE);
        let abandoned = Arc::new(AtomicBool::new(false));
        let stop = abandoned.clone();
        let thread = std::thread::Builder::new()
            .name("import-sort".into())
            .spawn(move || sort(inbox, &stop, SORT_RUN, consume))?;
        Ok(Sorter { queue: Some(queue), thread: Some(thread), abandoned })
    }

    /// Hands a batch over; `false` when the sorting thread has stopped (its error comes from
    /// [`Sorter::finish`]).
    pub fn push(&self, batch: Vec<Fact>) -> bool {
        batch.is_empty() || self.send(ToSorter::Facts(batch))
    }

    /// Ends a segment: the facts pushed so far are sorted and consumed apart from what follows.
    pub fn cut(&self) -> bool {
        self.send(ToSorter::Cut)
    }

    fn send(&self, message: ToSorter) -> bool {
        self.queue.as_ref().is_some_and(|q| q.send(message).is_ok())
    }

    /// Waits until the last segment is consumed: how many facts were sorted in all, or why the
    /// sorting thread stopped.
    pub fn finish(mut self) -> io::Result<u64> {
        let (Some(queue), Some(thread)) = (self.queue.take(), self.thread.take()) else {
            unreachable!("finish consumes the sorter")
        };
        // Without the end marker the thread gives up.
        let _ = queue.send(ToSorter::End);
        drop(queue);
        match thread.join() {
            Ok(Ok(Some(count))) => Ok(count),
            Ok(Ok(None)) => Err(io::Error::other("the sorting thread stopped early")),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(io::Error::other("the sorting thread panicked")),
        }
    }
}

impl Drop for Sorter {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            self.abandoned.store(true, Ordering::Relaxed);
            // Without its queue the thread cannot wait for more; whatever it consumes into
            // (the import's channel) is still read, or closed, so it cannot hang either.
            self.queue.take();
            let _ = thread.join();
        }
    }
}

/// Sorts what arrives, segment by segment, until the end marker; returns how many facts were
/// sorted, or `None` when the reader went away without the marker, gave up (a failed or refused
/// file: nothing to sort) or the consumer stopped.
fn sort(
    inbox: Receiver<ToSorter>,
    abandoned: &AtomicBool,
    run_size: usize,
    mut consume: impl FnMut(Sorted<'_>) -> io::Result<bool>,
) -> io::Result<Option<u64>> {
    let mut run: Vec<Fact> = Vec::with_capacity(run_size);
    let mut runs = Runs::default();
    let mut total = 0;
    for message in inbox {
        if abandoned.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let last = match message {
            ToSorter::Facts(batch) => {
                let mut rest = &batch[..];
                while !rest.is_empty() {
                    let (now, later) = rest.split_at((run_size - run.len()).min(rest.len()));
                    run.extend_from_slice(now);
                    rest = later;
                    if run.len() == run_size {
                        run.sort_by_key(Fact::key);
                        runs.write(&run)?;
                        run.clear();
                    }
                }
                continue;
            }
            ToSorter::Cut if run.is_empty() && runs.is_empty() => continue,
            ToSorter::Cut => false,
            ToSorter::End => true,
        };
        run.sort_by_key(Fact::key);
        let count = runs.count() + run.len() as u64;
        total += count;
        // Told to stop while the consumer is at it, the facts end in an error.
        let unless_abandoned = |fact| match abandoned.load(Ordering::Relaxed) {
            true => Err(io::Error::other("the sort was abandoned")),
            false => fact,
        };
        let facts: Box<dyn Iterator<Item = io::Result<Fact>> + Send> = if runs.is_empty() {
            Box::new(run.drain(..).map(Ok).map(unless_abandoned))
        } else {
            Box::new(std::mem::take(&mut runs).merge(run.drain(..))?.map(unless_abandoned))
        };
        let go_on = consume(Sorted { count, facts, last })?;
        if !go_on {
            return Ok(None);
        }
        if last {
            return Ok(Some(total));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use chrono::NaiveDate;

    use super::*;

    fn fact(employee: u32, day: u32, metric: u16) -> Fact {
        Fact::new(employee, NaiveDate::from_ymd_opt(2025, 3, day).unwrap(), metric, day as f64, 1.0)
    }

    fn sorted(facts: &[Fact]) -> Vec<Fact> {
        let mut facts = facts.to_vec();
        facts.sort_by_key(Fact::key);
        facts
    }

    /// Each segment a consumer got: (facts, count, last).
    type Kept = Arc<Mutex<Vec<(Vec<Fact>, u64, bool)>>>;

    /// A sorter whose consumer keeps each segment.
    fn keeping() -> (Sorter, Kept) {
        let kept = Arc::new(Mutex::new(Vec::new()));
        let into = kept.clone();
        let sorter = Sorter::start(move |sorted: Sorted| {
            let facts = sorted.facts.collect::<io::Result<Vec<Fact>>>()?;
            into.lock().unwrap().push((facts, sorted.count, sorted.last));
            Ok(true)
        })
        .unwrap();
        (sorter, kept)
    }

    #[test]
    fn facts_come_back_in_key_order_across_batches() {
        let (sorter, kept) = keeping();
        let mut pushed = Vec::new();
        for employee in (1..=40).rev() {
            let batch: Vec<Fact> = (1..=28).rev().flat_map(|d| [fact(employee, d, 1), fact(employee, d, 0)]).collect();
            pushed.extend(batch.iter().copied());
            assert!(sorter.push(batch));
        }
        assert_eq!(sorter.finish().unwrap(), pushed.len() as u64);
        pushed.sort_by_key(Fact::key);
        let kept = kept.lock().unwrap();
        assert_eq!(*kept, vec![(pushed.clone(), pushed.len() as u64, true)], "one segment, the last");
    }

    #[test]
    fn each_cut_segment_is_sorted_alone_and_handed_on_in_order() {
        let (sorter, kept) = keeping();
        let first = vec![fact(9, 3, 0), fact(2, 5, 1), fact(2, 4, 1)];
        let second = vec![fact(1, 20, 0), fact(1, 19, 0)];
        assert!(sorter.cut(), "a cut before any fact makes no segment");
        assert!(sorter.push(first.clone()));
        assert!(sorter.cut());
        assert!(sorter.cut(), "nor does a second cut in a row");
        assert!(sorter.push(second.clone()));
        assert_eq!(sorter.finish().unwrap(), 5);
        // Employee 1's facts sort before employee 2's, yet come after them: they were cut apart.
        assert_eq!(*kept.lock().unwrap(), vec![(sorted(&first), 3, false), (sorted(&second), 2, true)]);
    }

    #[test]
    fn segments_larger_than_a_run_spill_and_merge_back_in_order() {
        // Runs of 7 facts: 23 spill three runs and keep two, 14 are exactly two runs (nothing
        // left in memory at the cut), 13 are one run and six.
        let facts: Vec<Fact> = (0..50u32).map(|i| fact((i * 37) % 50, 1 + i % 28, (i % 3) as u16)).collect();
        let segments = [&facts[..23], &facts[23..37], &facts[37..]];
        let (queue, inbox) = sync_channel(64);
        for (i, segment) in segments.iter().enumerate() {
            for batch in segment.chunks(5) {
                queue.send(ToSorter::Facts(batch.to_vec())).unwrap();
            }
            queue.send(if i == 2 { ToSorter::End } else { ToSorter::Cut }).unwrap();
        }
        let mut kept = Vec::new();
        let consume = |sorted: Sorted<'_>| {
            let facts = sorted.facts.collect::<io::Result<Vec<Fact>>>()?;
            kept.push((facts, sorted.count, sorted.last));
            Ok(true)
        };
        assert_eq!(sort(inbox, &AtomicBool::new(false), 7, consume).unwrap(), Some(50));
        let expected: Vec<(Vec<Fact>, u64, bool)> =
            segments.iter().enumerate().map(|(i, segment)| (sorted(segment), segment.len() as u64, i == 2)).collect();
        assert_eq!(kept, expected);
    }

    #[test]
    fn told_to_stop_mid_segment_the_facts_end_in_an_error() {
        let abandoned = AtomicBool::new(false);
        let (queue, inbox) = sync_channel(2);
        queue.send(ToSorter::Facts(vec![fact(1, 1, 0), fact(2, 1, 0), fact(3, 1, 0)])).unwrap();
        queue.send(ToSorter::End).unwrap();
        let mut handed_on = Vec::new();
        let consume = |sorted: Sorted<'_>| {
            for fact in sorted.facts {
                handed_on.push(fact?.employee());
                // As a dropped `Sorter` does, from the reader's thread.
                abandoned.store(true, Ordering::Relaxed);
            }
            Ok(true)
        };
        let error = sort(inbox, &abandoned, SORT_RUN, consume).unwrap_err();
        assert_eq!(error.to_string(), "the sort was abandoned");
        assert_eq!(handed_on, vec![1], "nothing after the stop");
    }

    #[test]
    fn a_consumer_that_stops_stops_the_sort() {
        let sorter = Sorter::start(|_| Ok(false)).unwrap();
        assert!(sorter.push(vec![fact(1, 1, 0)]));
        assert!(sorter.cut());
        let error = sorter.finish().unwrap_err();
        assert!(error.to_string().contains("stopped early"), "{error}");

        let failing = Sorter::start(|_| Err(io::Error::other("disk full"))).unwrap();
        assert_eq!(failing.finish().unwrap_err().to_string(), "disk full", "the consumer's error is the one reported");
    }

    #[test]
    fn an_abandoned_sort_stops_without_sorting_what_is_queued() {
        let (sorter, _) = keeping();
        let abandoned = sorter.abandoned.clone();
        drop(sorter);
        assert!(abandoned.load(Ordering::Relaxed), "dropping the sorter tells its thread to stop");

        let consumed = |sorted: Sorted| Ok(sorted.count == 10);
        // The thread, told so, returns nothing even with facts and the end marker queued.
        let (queue, inbox) = sync_channel(2);
        queue.send(ToSorter::Facts(vec![fact(1, 1, 0); 10])).unwrap();
        queue.send(ToSorter::End).unwrap();
        assert!(sort(inbox, &AtomicBool::new(true), SORT_RUN, consumed).unwrap().is_none());
        // Not told, the same queue is sorted.
        let (queue, inbox) = sync_channel(2);
        queue.send(ToSorter::Facts(vec![fact(1, 1, 0); 10])).unwrap();
        queue.send(ToSorter::End).unwrap();
        assert_eq!(sort(inbox, &AtomicBool::new(false), SORT_RUN, consumed).unwrap(), Some(10));
    }

    #[test]
    fn nothing_pushed_is_one_empty_last_segment() {
        let (sorter, kept) = keeping();
        assert_eq!(sorter.finish().unwrap(), 0);
        assert_eq!(*kept.lock().unwrap(), vec![(Vec::new(), 0, true)]);
    }
}
