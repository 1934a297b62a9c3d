//! Order-preserving parallel map over a slice, on every core, without `unsafe` or a thread
//! pool crate: scoped threads take fixed-size blocks from a shared queue (so a few slow items
//! do not idle the other cores) and write into their own block of the output.

use std::sync::Mutex;

/// Items per block taken from the queue.
const BLOCK: usize = 32;

/// The number of worker threads: every core the process may use.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `items.iter().map(f).collect()`, computed on all cores; output order is input order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads().min(items.len().div_ceil(BLOCK));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let mut out: Vec<Option<R>> = Vec::with_capacity(items.len());
    out.resize_with(items.len(), || None);
    {
        let queue = Mutex::new(out.chunks_mut(BLOCK).zip(items.chunks(BLOCK)));
        let work = || loop {
            let next = match queue.lock() {
                Ok(mut q) => q.next(),
                Err(_) => None,
            };
            let Some((slots, inputs)) = next else { break };
            for (slot, item) in slots.iter_mut().zip(inputs) {
                *slot = Some(f(item));
            }
        };
        std::thread::scope(|s| {
            for _ in 1..threads {
                s.spawn(work);
            }
            work();
        });
    }
    // Every slot was filled unless a worker panicked, in which case the scope re-raised it.
    out.into_iter().flatten().collect()
}
