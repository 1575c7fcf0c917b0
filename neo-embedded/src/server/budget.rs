//! The server-wide allowance of memory for incoming messages that have
//! been received but not yet handled.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes that all connections together may hold for incoming messages:
/// the read buffers with their unfinished messages, and the complete
/// messages queued behind the one running.
#[derive(Debug)]
pub(crate) struct MemoryBudget {
    limit: usize,
    used: AtomicUsize,
}

impl MemoryBudget {
    pub(crate) fn new(limit: usize) -> Arc<MemoryBudget> {
        Arc::new(MemoryBudget {
            limit,
            used: AtomicUsize::new(0),
        })
    }

    /// The limit, in bytes.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    /// Bytes charged right now.
    pub(crate) fn used(&self) -> usize {
        self.used.load(Ordering::Acquire)
    }

    /// Charges `bytes` if that stays within the limit.
    fn try_take(&self, bytes: usize) -> bool {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(bytes).filter(|total| *total <= self.limit)
            })
            .is_ok()
    }

    fn give_back(&self, bytes: usize) {
        self.used.fetch_sub(bytes, Ordering::AcqRel);
    }
}

/// Bytes charged to a [`MemoryBudget`], given back when dropped.
#[derive(Debug)]
pub(crate) struct Charge {
    budget: Arc<MemoryBudget>,
    bytes: usize,
}

impl Charge {
    /// A charge of nothing yet.
    pub(crate) fn new(budget: &Arc<MemoryBudget>) -> Charge {
        Charge {
            budget: budget.clone(),
            bytes: 0,
        }
    }

    /// Grows or shrinks the charge to `bytes`. Growing fails, leaving the
    /// charge as it was, when the budget would pass its limit.
    pub(crate) fn resize(&mut self, bytes: usize) -> bool {
        if bytes > self.bytes {
            if !self.budget.try_take(bytes - self.bytes) {
                return false;
            }
        } else {
            self.budget.give_back(self.bytes - bytes);
        }
        self.bytes = bytes;
        true
    }

    /// Moves up to `bytes` of this charge into a charge of its own (for a
    /// message leaving the read buffer for the queue).
    pub(crate) fn split(&mut self, bytes: usize) -> Charge {
        let moved = bytes.min(self.bytes);
        self.bytes -= moved;
        Charge {
            budget: self.budget.clone(),
            bytes: moved,
        }
    }
}

impl Drop for Charge {
    fn drop(&mut self) {
        self.budget.give_back(self.bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_stay_within_the_limit_and_come_back_when_dropped() {
        let budget = MemoryBudget::new(100);
        let mut first = Charge::new(&budget);
        assert!(first.resize(60));
        let mut second = Charge::new(&budget);
        assert!(!second.resize(50), "60 + 50 passes the limit");
        assert!(second.resize(40));
        assert_eq!(budget.used(), 100);
        let message = first.split(25);
        assert_eq!(budget.used(), 100, "splitting moves, it does not free");
        drop(message);
        assert_eq!(budget.used(), 75);
        assert!(first.resize(10));
        drop(second);
        assert_eq!(budget.used(), 10);
        drop(first);
        assert_eq!(budget.used(), 0);
    }
}
