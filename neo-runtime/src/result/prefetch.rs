//! When a result asks the server for its next batch ahead of the reader.

use crate::config::FETCH_ALL;
use crate::error::Error;

/// When a result requests its next batch before the reader needs it,
/// counted in records received and not yet read.
///
/// Once the unread records fall to the **low** watermark while the server
/// has more, the next `PULL` goes out, so the batch arrives while the rest
/// is read; it goes out only if the unread records plus one more batch stay
/// within the **high** watermark, which bounds the records a result holds.
/// Otherwise the next batch is requested when the reader has read every
/// record it holds.
///
/// The default, for a fetch size `n`, is a low watermark of 30% of `n`
/// (rounded down) and a high one of `n` plus the low: a result holds at
/// most 1.3 batches, and one that has read less than 70% of its batch has
/// asked for nothing more (closing its session then discards the rest
/// without pulling another batch). A fetch size of
/// [`FETCH_ALL`] takes everything at once and never asks again.
///
/// ```
/// use neo_runtime::{DriverConfig, PrefetchWatermarks, SessionConfig};
///
/// // Ask for the next batch when half of the current one is left, and
/// // never hold more than two batches of 1000.
/// let watermarks = PrefetchWatermarks::new(500, 2000).unwrap();
/// let driver_config = DriverConfig::default().with_prefetch_watermarks(watermarks);
/// // No read-ahead at all for this session: the next batch only when the
/// // reader has read the current one.
/// let session_config = SessionConfig::default().with_prefetch_watermarks(PrefetchWatermarks::ON_DEMAND);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrefetchWatermarks {
    low: usize,
    high: usize,
}

impl PrefetchWatermarks {
    /// No read-ahead: the next batch is requested when the reader has read
    /// every record the result holds.
    pub const ON_DEMAND: PrefetchWatermarks = PrefetchWatermarks { low: 0, high: 0 };

    /// Watermarks of `low` and `high` records; `low` above `high` is an
    /// [`ErrorKind::InvalidConfiguration`](crate::ErrorKind::InvalidConfiguration)
    /// error.
    ///
    /// ```
    /// use neo_runtime::PrefetchWatermarks;
    ///
    /// assert!(PrefetchWatermarks::new(300, 1300).is_ok());
    /// assert!(PrefetchWatermarks::new(10, 5).is_err());
    /// ```
    pub fn new(low: usize, high: usize) -> Result<Self, Error> {
        if low > high {
            return Err(Error::invalid_config(format!(
                "prefetch watermarks: the low watermark ({low}) is above the high one ({high})"
            )));
        }
        Ok(PrefetchWatermarks { low, high })
    }

    /// The default for a fetch size: 30% of it and 130% of it.
    ///
    /// ```
    /// use neo_runtime::PrefetchWatermarks;
    ///
    /// let watermarks = PrefetchWatermarks::for_fetch_size(1000);
    /// assert_eq!((watermarks.low(), watermarks.high()), (300, 1300));
    /// ```
    pub fn for_fetch_size(fetch_size: i64) -> Self {
        if fetch_size == FETCH_ALL || fetch_size <= 0 {
            return PrefetchWatermarks::ON_DEMAND;
        }
        let size = usize::try_from(fetch_size).unwrap_or(usize::MAX);
        let low = size / 10 * 3 + size % 10 * 3 / 10;
        PrefetchWatermarks {
            low,
            high: size.saturating_add(low),
        }
    }

    /// Unread records at or below which the next batch is requested.
    pub fn low(&self) -> usize {
        self.low
    }

    /// The most records a result holds because of a request sent ahead.
    pub fn high(&self) -> usize {
        self.high
    }

    /// Whether a result holding `unread` records should request a batch of
    /// `fetch_size` now.
    #[inline]
    pub(crate) fn ask_ahead(&self, unread: usize, fetch_size: i64) -> bool {
        let Ok(batch) = usize::try_from(fetch_size) else {
            return false; // everything was asked for at once
        };
        unread <= self.low && unread.saturating_add(batch) <= self.high
    }
}

/// How a result fetches: its batch size and watermarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fetching {
    pub(crate) size: i64,
    pub(crate) watermarks: PrefetchWatermarks,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_asks_ahead_with_30_percent_left_and_holds_at_most_130_percent() {
        let watermarks = PrefetchWatermarks::for_fetch_size(1000);
        assert!(!watermarks.ask_ahead(301, 1000));
        assert!(watermarks.ask_ahead(300, 1000));
        assert!(watermarks.ask_ahead(0, 1000));
        let small = PrefetchWatermarks::for_fetch_size(2);
        assert_eq!((small.low(), small.high()), (0, 2));
        assert!(!small.ask_ahead(1, 2), "one of two read: nothing more yet");
        assert!(small.ask_ahead(0, 2));
        let odd = PrefetchWatermarks::for_fetch_size(7);
        assert_eq!((odd.low(), odd.high()), (2, 9));
    }

    #[test]
    fn the_high_watermark_bounds_what_is_held() {
        let watermarks = PrefetchWatermarks::new(3, 5).unwrap();
        assert!(!watermarks.ask_ahead(3, 4), "3 + 4 > 5");
        assert!(!watermarks.ask_ahead(2, 4));
        assert!(watermarks.ask_ahead(1, 4));
    }

    #[test]
    fn on_demand_and_fetch_all_never_ask_ahead() {
        assert!(!PrefetchWatermarks::ON_DEMAND.ask_ahead(0, 1));
        assert!(
            !PrefetchWatermarks::new(10, 100)
                .unwrap()
                .ask_ahead(0, FETCH_ALL)
        );
        assert_eq!(
            PrefetchWatermarks::for_fetch_size(FETCH_ALL),
            PrefetchWatermarks::ON_DEMAND
        );
    }

    #[test]
    fn a_low_watermark_above_the_high_one_is_refused() {
        let error = PrefetchWatermarks::new(6, 5).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidConfiguration);
        assert!(error.to_string().contains("low watermark (6)"));
    }
}
