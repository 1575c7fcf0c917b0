//! The write lock of a database: one writing transaction at a time, with a
//! bounded wait that also ends when the waiting transaction reaches its
//! own timeout or is terminated.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::error::{EngineError, codes};
use super::exec::Guard;

/// How often a waiting transaction looks at its termination flag.
const TERMINATION_CHECK: Duration = Duration::from_millis(20);

/// The write lock of one database: held by the write transaction that has
/// written, released when it commits, rolls back or is dropped.
#[derive(Debug, Default)]
pub(crate) struct WriteGate {
    busy: Mutex<bool>,
    freed: Condvar,
}

/// Proof of holding a [`WriteGate`]; releases it on drop.
#[derive(Debug)]
pub(crate) struct WritePermit {
    gate: Arc<WriteGate>,
}

impl WriteGate {
    fn lock(&self) -> MutexGuard<'_, bool> {
        self.busy
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits for the gate: at most `timeout`, and never past the waiting
    /// transaction's deadline or termination (`guard`).
    pub(crate) fn acquire(
        self: &Arc<Self>,
        timeout: Duration,
        guard: &Guard,
    ) -> Result<WritePermit, EngineError> {
        let deadline = Instant::now() + timeout;
        let mut busy = self.lock();
        while *busy {
            if guard.terminated.load(Ordering::Relaxed) {
                return Err(EngineError::new(
                    codes::TERMINATED,
                    "The transaction has been terminated while waiting for a lock. Explicitly \
                     terminated by the user.",
                ));
            }
            let now = Instant::now();
            if guard.deadline.is_some_and(|d| now >= d) {
                return Err(EngineError::new(
                    codes::LOCK_CLIENT_STOPPED,
                    "The transaction has been terminated. Retry your operation in a new transaction, \
                     and you should see a successful result. The transaction has not completed \
                     within the timeout specified at its start by the client, and was stopped while \
                     waiting for a lock held by another transaction.",
                ));
            }
            if now >= deadline {
                return Err(EngineError::new(
                    codes::LOCK_ACQUISITION_TIMEOUT,
                    format!(
                        "another transaction held the write lock for longer than {timeout:?}; only \
                         one transaction writes to a database at a time"
                    ),
                ));
            }
            let mut wait = (deadline - now).min(TERMINATION_CHECK);
            if let Some(d) = guard.deadline {
                wait = wait.min(d.saturating_duration_since(now));
            }
            busy = self
                .freed
                .wait_timeout(busy, wait.max(Duration::from_millis(1)))
                .map(|(guard, _)| guard)
                .unwrap_or_else(|poisoned| poisoned.into_inner().0);
        }
        *busy = true;
        Ok(WritePermit { gate: self.clone() })
    }
}

impl Drop for WritePermit {
    fn drop(&mut self) {
        *self.gate.lock() = false;
        self.gate.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_acquire_times_out_until_the_first_permit_drops() {
        let gate = Arc::new(WriteGate::default());
        let guard = Guard::default();
        let first = gate.acquire(Duration::from_millis(10), &guard).unwrap();
        let err = gate.acquire(Duration::from_millis(20), &guard).unwrap_err();
        assert_eq!(err.code, codes::LOCK_ACQUISITION_TIMEOUT);
        drop(first);
        assert!(gate.acquire(Duration::from_millis(10), &guard).is_ok());
    }

    #[test]
    fn a_transaction_deadline_stops_the_wait() {
        let gate = Arc::new(WriteGate::default());
        let _first = gate
            .acquire(Duration::from_millis(10), &Guard::default())
            .unwrap();
        let guard = Guard {
            deadline: Some(Instant::now() + Duration::from_millis(30)),
            ..Guard::default()
        };
        let started = Instant::now();
        let err = gate.acquire(Duration::from_secs(30), &guard).unwrap_err();
        assert_eq!(err.code, codes::LOCK_CLIENT_STOPPED);
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
