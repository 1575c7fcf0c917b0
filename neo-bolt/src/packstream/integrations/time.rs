//! `time` types as temporal values (feature `time`).
//!
//! ```
//! use neo_bolt::Value;
//! use neo_bolt::packstream::Date;
//! use time::Month;
//!
//! let date = time::Date::from_calendar_date(1970, Month::January, 2).unwrap();
//! assert_eq!(Value::from(date), Value::Date(Date { days: 1 }));
//! ```

use time::{OffsetDateTime, PlainDateTime, SignedDuration, UtcDateTime};

use super::{NANOS_PER_SECOND, seconds_and_nanos};
use crate::packstream::{Date, DateTime, Duration, LocalDateTime, LocalTime, Value};

/// The Julian day of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

/// A `Date`.
impl From<time::Date> for Value {
    fn from(date: time::Date) -> Self {
        Value::Date(Date {
            days: i64::from(date.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY,
        })
    }
}

/// A `LocalTime`.
impl From<time::Time> for Value {
    fn from(time: time::Time) -> Self {
        let (hour, minute, second, nanosecond) = time.as_hms_nano();
        let seconds = i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
        Value::LocalTime(LocalTime {
            nanoseconds: seconds * NANOS_PER_SECOND + i64::from(nanosecond),
        })
    }
}

/// A `LocalDateTime` (`PlainDateTime` is also named `PrimitiveDateTime`).
impl From<PlainDateTime> for Value {
    fn from(time: PlainDateTime) -> Self {
        let utc = time.assume_utc();
        Value::LocalDateTime(LocalDateTime {
            seconds: utc.unix_timestamp(),
            nanoseconds: i64::from(utc.nanosecond()),
        })
    }
}

/// A `DateTime` with the offset.
impl From<OffsetDateTime> for Value {
    fn from(time: OffsetDateTime) -> Self {
        Value::DateTime(DateTime {
            seconds: time.unix_timestamp(),
            nanoseconds: i64::from(time.nanosecond()),
            tz_offset_seconds: i64::from(time.offset().whole_seconds()),
        })
    }
}

/// A `DateTime` at offset zero.
impl From<UtcDateTime> for Value {
    fn from(time: UtcDateTime) -> Self {
        Value::DateTime(DateTime {
            seconds: time.unix_timestamp(),
            nanoseconds: i64::from(time.nanosecond()),
            tz_offset_seconds: 0,
        })
    }
}

/// A `Duration` of seconds and nanoseconds, no months and no days
/// (`SignedDuration` is also named `time::Duration`).
impl From<SignedDuration> for Value {
    fn from(duration: SignedDuration) -> Self {
        let (seconds, nanoseconds) = seconds_and_nanos(duration.whole_nanoseconds());
        Value::Duration(Duration {
            months: 0,
            days: 0,
            seconds,
            nanoseconds,
        })
    }
}

#[cfg(test)]
mod tests {
    use time::{Month, UtcOffset};

    use super::*;

    #[test]
    fn temporal_values_of_time() {
        let date = time::Date::from_calendar_date(1969, Month::December, 31).unwrap();
        assert_eq!(Value::from(date), Value::Date(Date { days: -1 }));
        let noon = time::Time::from_hms_nano(12, 0, 1, 5).unwrap();
        assert_eq!(
            Value::from(noon),
            Value::LocalTime(LocalTime {
                nanoseconds: 43_201_000_000_005
            })
        );
        assert_eq!(
            Value::from(PlainDateTime::new(date, noon)),
            Value::LocalDateTime(LocalDateTime {
                seconds: -43_199,
                nanoseconds: 5
            })
        );
        let offset = UtcOffset::from_whole_seconds(3600).unwrap();
        let paris = PlainDateTime::new(date, noon).assume_offset(offset);
        assert_eq!(
            Value::from(paris),
            Value::DateTime(DateTime {
                seconds: -43_199 - 3600,
                nanoseconds: 5,
                tz_offset_seconds: 3600
            })
        );
        assert_eq!(
            Value::from(paris.to_utc()),
            Value::DateTime(DateTime {
                seconds: -43_199 - 3600,
                nanoseconds: 5,
                tz_offset_seconds: 0
            })
        );
        assert_eq!(
            Value::from(SignedDuration::new(-2, 500_000_000)),
            Value::Duration(Duration {
                months: 0,
                days: 0,
                seconds: -2,
                nanoseconds: 500_000_000
            })
        );
    }
}
