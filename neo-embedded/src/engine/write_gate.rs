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

    /// Waits up to `timeout` for the gate.
    pub(crate) fn acquire(self: &Arc<Self>, timeout: Duration) -> Result<WritePermit, EngineError> {
        let deadline = Instant::now() + timeout;
        let mut busy = self.lock();
        while *busy {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
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
        let first = gate.acquire(Duration::from_millis(10)).unwrap();
        let err = gate.acquire(Duration::from_millis(20)).unwrap_err();
        assert_eq!(err.code, codes::LOCK_ACQUISITION_TIMEOUT);
        drop(first);
        assert!(gate.acquire(Duration::from_millis(10)).is_ok());
    }
}
