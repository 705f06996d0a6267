//! A small deterministic parallel loop over patient indices.
//!
//! Indices are cut into fixed chunks; every worker thread of the current
//! rayon pool takes the next chunk from a shared counter (dynamic load
//! balancing) and keeps its own accumulator. Results come back in index
//! order and accumulators are merged by the caller with order-independent
//! (integer) operations, so nothing depends on the number of threads or on
//! which thread ran which chunk.

use std::sync::atomic::{AtomicU64, Ordering};

/// What one worker thread hands back: its finished chunks (chunk number,
/// results) and its accumulator.
type WorkerResult<R, A> = (Vec<(u64, Vec<R>)>, A);

/// Runs `job(i, &mut acc)` for every `i` in `0..n` on every thread of the
/// current rayon pool. Returns the results in index order and one
/// accumulator per worker thread (some may be untouched).
pub fn run_indexed<R, A, I, J>(
    n: u64,
    chunk: u64,
    init: I,
    job: J,
    progress: &(dyn Fn(u64) + Sync),
) -> (Vec<R>, Vec<A>)
where
    R: Send,
    A: Send,
    I: Fn() -> A + Sync,
    J: Fn(u64, &mut A) -> R + Sync,
{
    run_chunked(
        n,
        chunk,
        init,
        |range, acc| range.map(|i| job(i, acc)).collect(),
        progress,
    )
}

/// Runs `job(range, &mut acc)` for the fixed chunks `range` of `0..n`
/// (every `chunk` indices; the job returns one result per index, in
/// order). The chunks do not depend on the number of threads, so a job
/// that works on several indices at once (lock-step batches) gives the
/// same results in pools of any size.
pub fn run_chunked<R, A, I, J>(
    n: u64,
    chunk: u64,
    init: I,
    job: J,
    progress: &(dyn Fn(u64) + Sync),
) -> (Vec<R>, Vec<A>)
where
    R: Send,
    A: Send,
    I: Fn() -> A + Sync,
    J: Fn(std::ops::Range<u64>, &mut A) -> Vec<R> + Sync,
{
    let chunk = chunk.max(1);
    let next = AtomicU64::new(0);
    let worker = || {
        let mut acc = init();
        let mut done = Vec::new();
        loop {
            let c = next.fetch_add(1, Ordering::Relaxed);
            let start = c.saturating_mul(chunk);
            if start >= n {
                break;
            }
            let end = (start + chunk).min(n);
            let rs: Vec<R> = job(start..end, &mut acc);
            progress(end - start);
            done.push((c, rs));
        }
        (done, acc)
    };
    // One worker per thread of the rayon pool; without the `parallel`
    // feature (the WebAssembly page) the calling thread is the only worker.
    #[cfg(feature = "parallel")]
    let per_thread: Vec<WorkerResult<R, A>> = rayon::broadcast(|_| worker());
    #[cfg(not(feature = "parallel"))]
    let per_thread: Vec<WorkerResult<R, A>> = vec![worker()];
    let mut chunks = Vec::new();
    let mut accs = Vec::with_capacity(per_thread.len());
    for (done, acc) in per_thread {
        chunks.extend(done);
        accs.push(acc);
    }
    chunks.sort_by_key(|(c, _)| *c);
    let results = chunks.into_iter().flat_map(|(_, rs)| rs).collect();
    (results, accs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_in_order_and_complete() {
        let (r, accs) = run_indexed(
            1003,
            10,
            || 0u64,
            |i, a| {
                *a += i;
                i * 2
            },
            &|_| {},
        );
        assert_eq!(r, (0..1003).map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(accs.iter().sum::<u64>(), (0..1003).sum::<u64>());
    }

    #[cfg(feature = "parallel")]
    #[test]
    fn same_results_in_pools_of_any_size() {
        let go = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                run_indexed(
                    257,
                    4,
                    Vec::new,
                    |i, a: &mut Vec<u64>| {
                        a.push(i);
                        i.wrapping_mul(0x9E37_79B9)
                    },
                    &|_| {},
                )
            })
        };
        let (a, acc_a) = go(1);
        let (b, acc_b) = go(3);
        assert_eq!(a, b);
        assert_eq!(acc_a.len(), 1);
        assert_eq!(acc_b.len(), 3);
        let mut all: Vec<u64> = acc_b.into_iter().flatten().collect();
        all.sort();
        assert_eq!(all, (0..257).collect::<Vec<_>>());
    }
}
