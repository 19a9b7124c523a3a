//! Independent jobs spread over the machine's cores, with results in input order whatever the
//! schedule, so that output never depends on timing.

use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::thread;

/// How many worker threads are worth starting for `jobs` jobs.
pub(crate) fn threads_for(jobs: usize) -> usize {
    thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(jobs)
        .max(1)
}

/// Items per chunk when `count` items are cut into chunks for [`map_in_order`]: about four chunks
/// per thread, so that the threads' shares even out.
pub(crate) fn chunk_len(count: usize) -> usize {
    count.div_ceil(threads_for(count) * 4).max(1)
}

/// Runs `job` on every item, on up to [`threads_for`] scoped threads that take items from one
/// queue (so a slow item does not hold up a fixed share of the rest). Results are by position.
/// `None` when a worker panicked, which the caller turns into its own error or fallback.
pub(crate) fn map_in_order<T: Send, R: Send>(
    items: Vec<T>,
    job: impl Fn(T) -> R + Sync,
) -> Option<Vec<R>> {
    let count = items.len();
    let threads = threads_for(count);
    if threads == 1 {
        return Some(items.into_iter().map(job).collect());
    }
    let queue = Mutex::new(items.into_iter().enumerate());
    let work = || {
        let mut done = Vec::new();
        loop {
            // A poisoned lock means another worker panicked; its join reports that.
            let next = match queue.lock() {
                Ok(mut items) => items.next(),
                Err(_) => None,
            };
            let Some((index, item)) = next else {
                return done;
            };
            done.push((index, job(item)));
        }
    };
    let per_worker: Vec<Vec<(usize, R)>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        handles
            .into_iter()
            .map(|handle| handle.join().ok())
            .collect::<Option<_>>()
    })?;
    let mut slots: Vec<Option<R>> = (0..count).map(|_| None).collect();
    for (index, result) in per_worker.into_iter().flatten() {
        slots[index] = Some(result);
    }
    slots.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_input_order() {
        let items: Vec<u64> = (0..200).collect();
        let out = map_in_order(items.clone(), |n| {
            // Uneven work, so workers finish out of order.
            std::hint::black_box((0..(n % 7) * 1000).sum::<u64>());
            n
        });
        assert_eq!(out, Some(items));
    }

    #[test]
    fn no_items_no_results() {
        assert_eq!(map_in_order(Vec::<u8>::new(), |n| n), Some(Vec::new()));
    }

    #[test]
    fn a_panicking_job_is_none_not_a_panic() {
        if threads_for(2) < 2 {
            return; // One core: jobs run on the caller's thread, where a panic is the caller's.
        }
        let out = std::panic::catch_unwind(|| {
            map_in_order(vec![1, 2, 3, 4], |n| {
                assert_ne!(n, 3, "job 3 fails");
                n
            })
        });
        assert!(matches!(out, Ok(None)), "{out:?}");
    }
}
