//! One writer at a time, with a bounded wait.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::error::{EngineError, codes};

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

    /// Waits up to `timeout` for the gate, and never past `stop` (the
    /// waiting transaction's own deadline).
    pub(crate) fn acquire(
        self: &Arc<Self>,
        timeout: Duration,
        stop: Option<Instant>,
    ) -> Result<WritePermit, EngineError> {
        let timed_out = Instant::now() + timeout;
        let deadline = stop.map_or(timed_out, |stop| stop.min(timed_out));
        let mut busy = self.lock();
        while *busy {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                if stop.is_some_and(|stop| stop <= timed_out) {
                    return Err(EngineError::new(
                        codes::LOCK_CLIENT_STOPPED,
                        "The transaction has been terminated, so no more locks can be acquired. \
                         This can occur because the transaction ran longer than its timeout.",
                    ));
                }
                return Err(EngineError::new(
                    codes::LOCK_ACQUISITION_TIMEOUT,
                    format!(
                        "another transaction held the write lock for longer than {timeout:?}; \
                         only one transaction writes at a time"
                    ),
                ));
            }
            busy = self
                .freed
                .wait_timeout(busy, left)
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
        let first = gate.acquire(Duration::from_millis(10), None).unwrap();
        let err = gate.acquire(Duration::from_millis(20), None).unwrap_err();
        assert_eq!(err.code, codes::LOCK_ACQUISITION_TIMEOUT);
        drop(first);
        assert!(gate.acquire(Duration::from_millis(10), None).is_ok());
    }

    #[test]
    fn a_waiter_stops_at_its_transaction_deadline() {
        let gate = Arc::new(WriteGate::default());
        let _first = gate.acquire(Duration::from_millis(10), None).unwrap();
        let started = Instant::now();
        let stop = started + Duration::from_millis(30);
        let err = gate
            .acquire(Duration::from_secs(30), Some(stop))
            .unwrap_err();
        assert_eq!(err.code, codes::LOCK_CLIENT_STOPPED);
        assert!(started.elapsed() < Duration::from_secs(5));
        let err = gate
            .acquire(
                Duration::from_millis(10),
                Some(Instant::now() + Duration::from_secs(30)),
            )
            .unwrap_err();
        assert_eq!(err.code, codes::LOCK_ACQUISITION_TIMEOUT);
    }
}
