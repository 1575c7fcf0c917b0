//! `jiff` types as temporal values (feature `jiff`).
//!
//! ```
//! use jiff::civil::Date;
//! use neo_bolt::Value;
//!
//! let value = Value::from(Date::new(1970, 1, 2).unwrap());
//! assert_eq!(value, Value::Date(neo_bolt::packstream::Date { days: 1 }));
//! ```

use jiff::civil::{Date as CivilDate, DateTime as CivilDateTime, Time as CivilTime};
use jiff::{SignedDuration, Span, Timestamp, ZonedDateTime};

use super::{NANOS_PER_SECOND, seconds_and_nanos};
use crate::packstream::calendar::days_from_ymd;
use crate::packstream::{
    Date, DateTime, DateTimeZoneId, Duration, LocalDateTime, LocalTime, Value,
};

fn days(date: CivilDate) -> i64 {
    // Months are 1..=12 and days 1..=31 in every `jiff` date.
    let month = u8::try_from(date.month()).unwrap_or(1);
    let day = u8::try_from(date.day()).unwrap_or(1);
    days_from_ymd(i64::from(date.year()), month, day)
}

fn nanoseconds_of_day(time: CivilTime) -> i64 {
    let seconds =
        i64::from(time.hour()) * 3600 + i64::from(time.minute()) * 60 + i64::from(time.second());
    seconds * NANOS_PER_SECOND + i64::from(time.subsec_nanosecond())
}

/// A `Date`.
impl From<CivilDate> for Value {
    fn from(date: CivilDate) -> Self {
        Value::Date(Date { days: days(date) })
    }
}

/// A `LocalTime`.
impl From<CivilTime> for Value {
    fn from(time: CivilTime) -> Self {
        Value::LocalTime(LocalTime {
            nanoseconds: nanoseconds_of_day(time),
        })
    }
}

/// A `LocalDateTime`.
impl From<CivilDateTime> for Value {
    fn from(time: CivilDateTime) -> Self {
        let seconds_of_day = nanoseconds_of_day(time.time()) / NANOS_PER_SECOND;
        Value::LocalDateTime(LocalDateTime {
            seconds: days(time.date()) * 86_400 + seconds_of_day,
            nanoseconds: i64::from(time.subsec_nanosecond()),
        })
    }
}

/// A `DateTime` at offset zero.
impl From<Timestamp> for Value {
    fn from(instant: Timestamp) -> Self {
        let (seconds, nanoseconds) = seconds_and_nanos(instant.as_nanosecond());
        Value::DateTime(DateTime {
            seconds,
            nanoseconds,
            tz_offset_seconds: 0,
        })
    }
}

/// A `DateTime` with a zone id when the time zone has an IANA name
/// (`Europe/Paris`), else a `DateTime` with its offset at that instant.
impl From<ZonedDateTime> for Value {
    fn from(time: ZonedDateTime) -> Self {
        let (seconds, nanoseconds) = seconds_and_nanos(time.timestamp().as_nanosecond());
        match time.time_zone().iana_name() {
            Some(zone) => Value::DateTimeZoneId(DateTimeZoneId {
                seconds,
                nanoseconds,
                tz_id: zone.to_owned(),
            }),
            None => Value::DateTime(DateTime {
                seconds,
                nanoseconds,
                tz_offset_seconds: i64::from(time.offset().seconds()),
            }),
        }
    }
}

/// A `Duration`: years and months as months, weeks and days as days, the
/// rest as seconds and nanoseconds.
impl From<Span> for Value {
    fn from(span: Span) -> Self {
        let nanoseconds = ((i128::from(span.get_hours()) * 3600
            + i128::from(span.get_minutes()) * 60
            + i128::from(span.get_seconds()))
            * i128::from(NANOS_PER_SECOND))
            + i128::from(span.get_milliseconds()) * 1_000_000
            + i128::from(span.get_microseconds()) * 1_000
            + i128::from(span.get_nanoseconds());
        let (seconds, nanoseconds) = seconds_and_nanos(nanoseconds);
        Value::Duration(Duration {
            months: i64::from(span.get_years()) * 12 + i64::from(span.get_months()),
            days: i64::from(span.get_weeks()) * 7 + i64::from(span.get_days()),
            seconds,
            nanoseconds,
        })
    }
}

/// A `Duration` of seconds and nanoseconds (no months, no days).
impl From<SignedDuration> for Value {
    fn from(duration: SignedDuration) -> Self {
        let (seconds, nanoseconds) = seconds_and_nanos(duration.as_nanos());
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
    use jiff::ToSpan;
    use jiff::tz::{Offset, TimeZone};

    use super::*;

    #[test]
    fn civil_values() {
        let date = CivilDate::new(1969, 12, 31).unwrap();
        assert_eq!(Value::from(date), Value::Date(Date { days: -1 }));
        let time = CivilTime::new(12, 0, 1, 5).unwrap();
        assert_eq!(
            Value::from(time),
            Value::LocalTime(LocalTime {
                nanoseconds: 43_201_000_000_005
            })
        );
        assert_eq!(
            Value::from(date.to_datetime(time)),
            Value::LocalDateTime(LocalDateTime {
                seconds: -43_199,
                nanoseconds: 5
            })
        );
    }

    #[test]
    fn instants_and_zones() {
        let instant = Timestamp::new(-43_199, 5).unwrap();
        assert_eq!(
            Value::from(instant),
            Value::DateTime(DateTime {
                seconds: -43_199,
                nanoseconds: 5,
                tz_offset_seconds: 0
            })
        );
        let fixed =
            instant.to_zoned_datetime(TimeZone::fixed(Offset::from_seconds(-3600).unwrap()));
        assert_eq!(
            Value::from(fixed),
            Value::DateTime(DateTime {
                seconds: -43_199,
                nanoseconds: 5,
                tz_offset_seconds: -3600
            })
        );
    }

    #[test]
    fn spans_and_durations() {
        let span = 1
            .year()
            .months(2)
            .weeks(1)
            .days(3)
            .hours(4)
            .minutes(5)
            .seconds(6)
            .milliseconds(1500);
        assert_eq!(
            Value::from(span),
            Value::Duration(Duration {
                months: 14,
                days: 10,
                seconds: 4 * 3600 + 5 * 60 + 7,
                nanoseconds: 500_000_000
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
