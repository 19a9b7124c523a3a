//! Independent jobs spread over the machine's cores, with results in input order whatever the
//! schedule, so that output never depends on timing.

use std::cell::Cell;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::thread;

thread_local! {
    /// The thread count set by [`with_threads`] on this thread; [`map_in_order`] hands it on to its
    /// workers, so that nested work sees it too. `None`: the machine's count.
    static THREADS: Cell<Option<NonZeroUsize>> = const { Cell::new(None) };
}

/// Runs `f` as if the machine had `threads` cores (0 counts as 1): every pass of the generator that
/// spreads work over threads (parsing in pieces, converting and lowering schemas, formatting) uses
/// that many, on this thread and on the workers it starts. The output is the same whatever the
/// count; this exists so that tests can hold that on any machine, and to pin a count for
/// measurements. Nested calls override outer ones until they return.
pub fn with_threads<R>(threads: usize, f: impl FnOnce() -> R) -> R {
    /// Puts the outer setting back, also when `f` panics.
    struct Restore(Option<NonZeroUsize>);

    impl Drop for Restore {
        fn drop(&mut self) {
            THREADS.set(self.0);
        }
    }

    let count = NonZeroUsize::new(threads).unwrap_or(NonZeroUsize::MIN);
    let _restore = Restore(THREADS.replace(Some(count)));
    f()
}

/// How many worker threads are worth starting for `jobs` jobs.
pub(crate) fn threads_for(jobs: usize) -> usize {
    THREADS
        .get()
        .or_else(|| thread::available_parallelism().ok())
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
/// `None` when a job panicked, which the caller turns into its own error or fallback; on one
/// thread too, so that the outcome does not depend on the thread count.
pub(crate) fn map_in_order<T: Send, R: Send>(
    items: Vec<T>,
    job: impl Fn(T) -> R + Sync,
) -> Option<Vec<R>> {
    let count = items.len();
    let threads = threads_for(count);
    if threads == 1 {
        // Every result is dropped on a panic, as when a worker panics: nothing half-done is seen.
        return panic::catch_unwind(AssertUnwindSafe(|| items.into_iter().map(&job).collect()))
            .ok();
    }
    let inherited = THREADS.get();
    let queue = Mutex::new(items.into_iter().enumerate());
    let work = || {
        THREADS.set(inherited);
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

    /// One thread (jobs on the caller's thread) and several, whatever this machine has.
    const COUNTS: [usize; 2] = [1, 4];

    #[test]
    fn results_keep_input_order() {
        for threads in COUNTS {
            let items: Vec<u64> = (0..200).collect();
            let workers = Mutex::new(std::collections::HashSet::new());
            let out = with_threads(threads, || {
                map_in_order(items.clone(), |n| {
                    if let Ok(mut seen) = workers.lock() {
                        seen.insert(thread::current().id());
                    }
                    // Uneven work, so workers finish out of order.
                    std::hint::black_box((0..(n % 7) * 1000).sum::<u64>());
                    n
                })
            });
            assert_eq!(out, Some(items), "{threads} threads");
            let workers = workers.into_inner().unwrap_or_default();
            let caller = thread::current().id();
            if threads == 1 {
                assert_eq!(workers, [caller].into(), "one thread: the caller's");
            } else {
                // Not exactly `threads`: a worker may find the queue empty before its first job.
                assert!((1..=threads).contains(&workers.len()), "{workers:?}");
                assert!(!workers.contains(&caller), "{threads} threads: on workers");
            }
        }
    }

    #[test]
    fn no_items_no_results() {
        for threads in COUNTS {
            let out = with_threads(threads, || map_in_order(Vec::<u8>::new(), |n| n));
            assert_eq!(out, Some(Vec::new()));
        }
    }

    #[test]
    fn a_panicking_job_is_none_not_a_panic() {
        for threads in COUNTS {
            let out = std::panic::catch_unwind(|| {
                with_threads(threads, || {
                    map_in_order(vec![1, 2, 3, 4], |n| {
                        assert_ne!(n, 3, "job 3 fails");
                        n
                    })
                })
            });
            assert!(matches!(out, Ok(None)), "{threads} threads: {out:?}");
        }
    }

    #[test]
    fn the_count_reaches_nested_work_and_is_restored() {
        let outside = threads_for(usize::MAX);
        let seen = with_threads(3, || {
            let nested = map_in_order((0..12).collect(), |_: u32| threads_for(usize::MAX));
            let inner = with_threads(1, || threads_for(usize::MAX));
            (nested, inner, threads_for(usize::MAX), threads_for(2))
        });
        assert_eq!(seen, (Some(vec![3; 12]), 1, 3, 2));
        assert_eq!(threads_for(usize::MAX), outside);
        assert_eq!(with_threads(0, || threads_for(usize::MAX)), 1);
        let _ = std::panic::catch_unwind(|| with_threads(2, || panic!("inside")));
        assert_eq!(threads_for(usize::MAX), outside, "restored after a panic");
    }
}
