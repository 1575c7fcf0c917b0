//! A global allocator that counts allocations, for allocations per row or
//! per query. Every client installs it:
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOCATOR: harness::alloc::Counting = harness::alloc::Counting;
//! ```
//!
//! Each thread counts in a slot of its own with plain loads and stores (no
//! locked instruction), so counting costs a few instructions per
//! allocation and no contention; [`allocations`] sums the slots.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// The system allocator, counting every allocation (`alloc`,
/// `alloc_zeroed` and `realloc` each count one).
#[derive(Debug, Clone, Copy, Default)]
pub struct Counting;

/// Threads beyond this many share slots (and may lose a count in a race);
/// the benchmarks use at most 65 threads.
const SLOTS: usize = 1024;

static COUNTS: [AtomicU64; SLOTS] = [const { AtomicU64::new(0) }; SLOTS];
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static SLOT: Cell<usize> = const { Cell::new(usize::MAX) };
}

#[inline]
fn count() {
    let slot = SLOT
        .try_with(|slot| {
            let mut index = slot.get();
            if index == usize::MAX {
                index = NEXT_SLOT.fetch_add(1, Ordering::Relaxed) % SLOTS;
                slot.set(index);
            }
            index
        })
        .unwrap_or(SLOTS - 1);
    let counter = &COUNTS[slot];
    // Only this thread writes its slot: no read-modify-write needed.
    counter.store(counter.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`; counting touches
// no memory the allocation hands out.
unsafe impl GlobalAlloc for Counting {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller upholds `GlobalAlloc::dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Allocations so far, over every thread.
pub fn allocations() -> u64 {
    COUNTS.iter().map(|c| c.load(Ordering::Relaxed)).sum()
}
