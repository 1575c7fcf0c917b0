//! Testkit's fake time (`FakeTimeInstall`, `FakeTimeTick`,
//! `FakeTimeUninstall`): a [`Clock`] the drivers and bearer token managers
//! of one connection read, which stands still while installed and moves
//! only when the test ticks it.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use neo_runtime::clock::Clock;

/// The clock of one testkit connection: the system's, or frozen.
#[derive(Debug, Clone, Default)]
pub(crate) struct TestkitClock(Arc<Mutex<Option<Frozen>>>);

/// Where fake time stands: when it was installed, and how far it moved.
#[derive(Debug, Clone, Copy)]
struct Frozen {
    instant: Instant,
    system: SystemTime,
    moved: Duration,
}

impl TestkitClock {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Frozen>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops time where it is now.
    pub(crate) fn install(&self) {
        *self.lock() = Some(Frozen {
            instant: Instant::now(),
            system: SystemTime::now(),
            moved: Duration::ZERO,
        });
    }

    /// Moves fake time on; `false` when none is installed.
    pub(crate) fn tick(&self, by: Duration) -> bool {
        match self.lock().as_mut() {
            Some(frozen) => {
                frozen.moved += by;
                true
            }
            None => false,
        }
    }

    /// Back to the system's time.
    pub(crate) fn uninstall(&self) {
        *self.lock() = None;
    }
}

impl Clock for TestkitClock {
    fn now(&self) -> Instant {
        match *self.lock() {
            Some(frozen) => frozen.instant + frozen.moved,
            None => Instant::now(),
        }
    }

    fn system_now(&self) -> SystemTime {
        match *self.lock() {
            Some(frozen) => frozen.system + frozen.moved,
            None => SystemTime::now(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installed_time_stands_still_until_ticked() {
        let clock = TestkitClock::default();
        assert!(!clock.tick(Duration::from_secs(1)), "nothing to tick");
        clock.install();
        let (instant, system) = (clock.now(), clock.system_now());
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(clock.now(), instant);
        assert!(clock.tick(Duration::from_secs(3600)));
        assert_eq!(clock.now(), instant + Duration::from_secs(3600));
        assert_eq!(clock.system_now(), system + Duration::from_secs(3600));
        clock.uninstall();
        assert!(clock.now() < instant + Duration::from_secs(3600));
    }
}
