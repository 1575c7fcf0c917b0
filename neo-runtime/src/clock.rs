//! The time source of the driver's timekeeping: how long a connection has
//! been idle or alive, when a routing table expires, and when a bearer
//! token must be renewed.
//!
//! Those decisions happen after minutes or hours, which a test of an
//! application cannot wait for. A [`Clock`] of the test's own (set with
//! [`DriverConfig::with_clock`](crate::DriverConfig::with_clock) and
//! [`BearerAuthManager::with_clock`](crate::auth::BearerAuthManager::with_clock))
//! lets it move time on instead, the way `rustls` takes a time provider
//! for certificate checks. Timeouts that bound waiting on the network
//! (connection, acquisition, receive timeouts, retry delays) keep using
//! the runtime's timers: they measure real waits.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use std::time::{Duration, Instant, SystemTime};
//! use neo_runtime::clock::Clock;
//! use neo_runtime::DriverConfig;
//!
//! /// A clock that stands still until the test moves it.
//! #[derive(Debug)]
//! struct TestClock {
//!     start: (Instant, SystemTime),
//!     moved: Mutex<Duration>,
//! }
//!
//! impl Clock for TestClock {
//!     fn now(&self) -> Instant {
//!         self.start.0 + *self.moved.lock().unwrap()
//!     }
//!     fn system_now(&self) -> SystemTime {
//!         self.start.1 + *self.moved.lock().unwrap()
//!     }
//! }
//!
//! let clock = Arc::new(TestClock { start: (Instant::now(), SystemTime::now()), moved: Mutex::default() });
//! let config = DriverConfig::default().with_clock(clock.clone());
//! *clock.moved.lock().unwrap() += Duration::from_secs(3600); // an hour later, for the driver
//! # let _ = config;
//! ```

use std::fmt;
use std::time::{Instant, SystemTime};

/// Where the driver reads the time (see the [module docs](self)).
pub trait Clock: Send + Sync + fmt::Debug {
    /// Monotonic time: ages of connections, expiry of routing tables.
    fn now(&self) -> Instant;

    /// Wall-clock time: expiry of bearer tokens, which carry an absolute
    /// deadline.
    fn system_now(&self) -> SystemTime;
}

/// The system's clock: the default.
///
/// ```
/// use neo_runtime::clock::{Clock, SystemClock};
///
/// let earlier = SystemClock.now();
/// assert!(SystemClock.now() >= earlier);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn system_now(&self) -> SystemTime {
        SystemTime::now()
    }
}
