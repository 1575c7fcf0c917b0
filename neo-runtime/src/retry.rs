//! How transaction functions retry: which failures are retried, the
//! exponential backoff with jitter between attempts, and the time budget.
//!
//! The retry loop itself is `Session::run_transaction_function`; what it
//! decides after each failed attempt is [`Retries::after_failure`].

use std::time::Duration;

use tokio::time::Instant;

use crate::error::Error;

/// When and how often a managed transaction is retried.
///
/// The defaults are those of the official drivers: the first retry after
/// about one second, each delay twice the last, every delay jittered by
/// ±20 %, and no new attempt once 30 seconds have passed since the first
/// failure.
///
/// ```
/// use std::time::Duration;
/// use neo_runtime::RetryPolicy;
///
/// let policy = RetryPolicy::default().with_max_retry_time(Duration::from_secs(5));
/// let first = policy.delays().next().unwrap();
/// assert!(first >= Duration::from_millis(800) && first <= Duration::from_millis(1200));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_retry_time: Duration,
    initial_delay: Duration,
    multiplier: f64,
    jitter: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retry_time: Duration::from_secs(30),
            initial_delay: Duration::from_secs(1),
            multiplier: 2.0,
            jitter: 0.2,
        }
    }
}

impl RetryPolicy {
    /// Stops retrying once this much time has passed since the first failure
    /// (zero disables retries).
    pub fn with_max_retry_time(mut self, max_retry_time: Duration) -> Self {
        self.max_retry_time = max_retry_time;
        self
    }

    /// The delay before the first retry, before jitter.
    pub fn with_initial_delay(mut self, initial_delay: Duration) -> Self {
        self.initial_delay = initial_delay;
        self
    }

    /// The factor between consecutive delays (at least 1).
    pub fn with_multiplier(mut self, multiplier: f64) -> Self {
        self.multiplier = if multiplier.is_finite() {
            multiplier.max(1.0)
        } else {
            1.0
        };
        self
    }

    /// The jitter as a fraction of each delay, from 0 to 1.
    pub fn with_jitter(mut self, jitter: f64) -> Self {
        self.jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self
    }

    /// The retry budget, counted from the first failure.
    pub fn max_retry_time(&self) -> Duration {
        self.max_retry_time
    }

    /// The successive delays to sleep between attempts, jittered.
    pub fn delays(&self) -> Delays {
        Delays {
            next: self.initial_delay.as_secs_f64(),
            multiplier: self.multiplier,
            jitter: self.jitter,
            random: fastrand::Rng::new(),
        }
    }
}

/// The delays of a [`RetryPolicy`], as an endless iterator.
#[derive(Debug)]
pub struct Delays {
    next: f64,
    multiplier: f64,
    jitter: f64,
    random: fastrand::Rng,
}

impl Iterator for Delays {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        let base = self.next;
        // Cap the growth so that a long budget cannot overflow a Duration.
        self.next = (base * self.multiplier).min(3600.0);
        let spread = base * self.jitter;
        let jittered = base - spread + 2.0 * spread * self.random.f64();
        Some(Duration::from_secs_f64(jittered.max(0.0)))
    }
}

/// The retry state of one transaction function call: its delays, its
/// budget, and the errors of the attempts that failed.
#[derive(Debug)]
pub(crate) struct Retries {
    max_retry_time: Duration,
    delays: Delays,
    started: Option<Instant>,
    errors: Vec<Error>,
    attempt: usize,
}

impl Retries {
    /// The retry state of a call under `policy`.
    pub(crate) fn new(policy: &RetryPolicy) -> Self {
        Retries {
            max_retry_time: policy.max_retry_time(),
            delays: policy.delays(),
            started: None,
            errors: Vec::new(),
            attempt: 1,
        }
    }

    /// The number of the attempt under way, from 1.
    pub(crate) fn attempt(&self) -> usize {
        self.attempt
    }

    /// After a failed attempt: the delay before the next one, or the error
    /// to return (carrying the earlier attempts' errors) when it is not
    /// retryable or the budget, counted from the first failure, is spent.
    pub(crate) fn after_failure(&mut self, error: Error) -> Result<Duration, Error> {
        let started = *self.started.get_or_insert_with(Instant::now);
        if !error.is_retryable() || started.elapsed() >= self.max_retry_time {
            return Err(error.with_attempts(std::mem::take(&mut self.errors)));
        }
        let delay = self.delays.next().unwrap_or_default();
        tracing::warn!(%error, ?delay, attempt = self.attempt, "transaction failed; retrying");
        self.errors.push(error);
        self.attempt += 1;
        Ok(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_within_twenty_percent() {
        let delays: Vec<f64> = RetryPolicy::default()
            .delays()
            .take(6)
            .map(|d| d.as_secs_f64())
            .collect();
        for (i, delay) in delays.iter().enumerate() {
            let base = 2f64.powi(i as i32);
            assert!(
                (base * 0.8..=base * 1.2).contains(delay),
                "delay {i} = {delay}, base {base}"
            );
        }
    }

    #[test]
    fn jitter_actually_varies() {
        let delays: Vec<Duration> = (0..50)
            .map(|_| RetryPolicy::default().delays().next().unwrap())
            .collect();
        let distinct: std::collections::BTreeSet<_> = delays.iter().collect();
        assert!(distinct.len() > 40, "{distinct:?}");
    }

    #[test]
    fn successive_jitters_spread_evenly_over_their_range() {
        // Constant delays of 1 s with full jitter: uniform over [0 s, 2 s).
        let policy = RetryPolicy::default().with_multiplier(1.0).with_jitter(1.0);
        let draws: Vec<f64> = policy
            .delays()
            .take(4000)
            .map(|d| d.as_secs_f64())
            .collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        assert!((0.9..1.1).contains(&mean), "mean {mean}");
        let below = draws.iter().filter(|d| **d < 1.0).count() as f64 / draws.len() as f64;
        assert!((0.45..0.55).contains(&below), "{below} below the middle");
        for quarter in 0..4 {
            let (low, high) = (quarter as f64 * 0.5, (quarter + 1) as f64 * 0.5);
            let share = draws.iter().filter(|d| (low..high).contains(*d)).count() as f64
                / draws.len() as f64;
            assert!((0.2..0.3).contains(&share), "{share} in [{low}, {high})");
        }
        let distinct: std::collections::BTreeSet<u64> = draws.iter().map(|d| d.to_bits()).collect();
        assert!(distinct.len() > 3990, "{} distinct", distinct.len());
    }

    #[test]
    fn zero_jitter_gives_exact_exponential_delays() {
        let policy = RetryPolicy::default()
            .with_initial_delay(Duration::from_millis(10))
            .with_multiplier(3.0)
            .with_jitter(0.0);
        let delays: Vec<Duration> = policy.delays().take(3).collect();
        assert_eq!(delays, [10, 30, 90].map(Duration::from_millis).to_vec());
    }

    fn retryable() -> Error {
        Error::new(crate::ErrorKind::ServiceUnavailable, "gone")
    }

    #[test]
    fn retries_give_up_on_errors_that_are_not_retryable() {
        let mut retries = Retries::new(&RetryPolicy::default());
        let error = Error::new(crate::ErrorKind::Usage, "wrong");
        let given_up = retries.after_failure(error).unwrap_err();
        assert_eq!(given_up.kind(), crate::ErrorKind::Usage);
        assert!(given_up.attempts().is_empty());
        assert_eq!(retries.attempt(), 1);
    }

    #[test]
    fn retries_keep_the_errors_of_earlier_attempts_until_the_budget_is_spent() {
        let policy = RetryPolicy::default()
            .with_initial_delay(Duration::from_millis(1))
            .with_max_retry_time(Duration::from_millis(30));
        let mut retries = Retries::new(&policy);
        let first = retries.after_failure(retryable()).unwrap();
        assert!(first <= Duration::from_millis(2));
        assert_eq!(retries.attempt(), 2);
        retries.after_failure(retryable()).unwrap();
        std::thread::sleep(Duration::from_millis(40));
        let given_up = retries.after_failure(retryable()).unwrap_err();
        assert_eq!(given_up.attempts().len(), 2);
    }

    #[test]
    fn a_zero_budget_disables_retries() {
        let policy = RetryPolicy::default().with_max_retry_time(Duration::ZERO);
        let mut retries = Retries::new(&policy);
        assert!(retries.after_failure(retryable()).is_err());
    }

    #[test]
    fn nonsense_settings_are_clamped() {
        let policy = RetryPolicy::default()
            .with_multiplier(f64::NAN)
            .with_jitter(7.0);
        let delays: Vec<Duration> = policy.delays().take(200).collect();
        assert!(delays.iter().all(|d| *d <= Duration::from_secs(2)));
    }
}
