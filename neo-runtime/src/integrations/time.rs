//! Neo4j temporal values as `time` types (feature `time`).
//!
//! | Neo4j | `time` |
//! |---|---|
//! | `DATE` | `Date` |
//! | `LOCAL TIME` | `Time` |
//! | `LOCAL DATETIME` | `PlainDateTime` (`PrimitiveDateTime`) |
//! | `ZONED DATETIME` with an offset | `OffsetDateTime` |
//! | `ZONED DATETIME` (offset or zone id) | `UtcDateTime`, the instant |
//! | `DURATION` of seconds | `SignedDuration` (`time::Duration`) |
//!
//! Each converts into a [`Value`] of its Neo4j type with `Value::from`, to
//! be a parameter (pass `Value::from(x)`, not `x`: with `time`'s own
//! `serde` feature, `x` itself would serialize as text, a string to the
//! server). A date-time with a zone id (`Europe/Paris`) is read into
//! `UtcDateTime` (the instant) but not into `OffsetDateTime`, whose offset
//! would need the zone's rules (`jiff` has them); a duration with months or
//! days is not read into `SignedDuration`, as they have no fixed length.
//!
//! ```
//! use neo_runtime::{FromValue, Value};
//! use time::{Date, Month};
//!
//! let day = Date::from_calendar_date(2024, Month::February, 29).unwrap();
//! assert_eq!(Date::from_value(Value::from(day))?, day);
//! # Ok::<(), neo_runtime::Error>(())
//! ```

use neo_bolt::Value;
use neo_bolt::packstream::{Date, DateTime, DateTimeZoneId, Duration, LocalDateTime, LocalTime};
use time::{OffsetDateTime, PlainDateTime, SignedDuration, UtcDateTime, UtcOffset};

use super::{calendar_duration, out_of_range, time_of_day, total_nanoseconds};
use crate::error::Error;
use crate::from_value::{FromValue, mismatch};
use crate::value_kinds::ValueKinds;

/// The Julian day of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

fn utc(seconds: i64, nanoseconds: i64, value: &Value) -> Result<UtcDateTime, Error> {
    UtcDateTime::from_unix_timestamp_nanos(total_nanoseconds(seconds, nanoseconds))
        .map_err(|_| out_of_range(value, "time"))
}

impl FromValue for time::Date {
    const ACCEPTS: ValueKinds = ValueKinds::DATE;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Date(Date { days }) => days
                .checked_add(UNIX_EPOCH_JULIAN_DAY)
                .and_then(|day| i32::try_from(day).ok())
                .and_then(|day| time::Date::from_julian_day(day).ok())
                .ok_or_else(|| out_of_range(&value, "time")),
            other => Err(mismatch("Date", &other)),
        }
    }
}

impl FromValue for time::Time {
    const ACCEPTS: ValueKinds = ValueKinds::LOCAL_TIME;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::LocalTime(LocalTime { nanoseconds }) => time_of_day(nanoseconds)
                .and_then(|(h, m, s, ns)| time::Time::from_hms_nano(h, m, s, ns).ok())
                .ok_or_else(|| out_of_range(&value, "time")),
            other => Err(mismatch("LocalTime", &other)),
        }
    }
}

impl FromValue for PlainDateTime {
    const ACCEPTS: ValueKinds = ValueKinds::LOCAL_DATETIME;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::LocalDateTime(LocalDateTime {
                seconds,
                nanoseconds,
            }) => {
                let utc = utc(seconds, nanoseconds, &value)?;
                Ok(PlainDateTime::new(utc.date(), utc.time()))
            }
            other => Err(mismatch("LocalDateTime", &other)),
        }
    }
}

impl FromValue for OffsetDateTime {
    const ACCEPTS: ValueKinds = ValueKinds::ZONED_DATETIME;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::DateTime(DateTime {
                seconds,
                nanoseconds,
                tz_offset_seconds,
            }) => {
                let offset = i32::try_from(tz_offset_seconds)
                    .ok()
                    .and_then(|offset| UtcOffset::from_whole_seconds(offset).ok());
                utc(seconds, nanoseconds, &value)?
                    .checked_to_offset(offset.ok_or_else(|| out_of_range(&value, "time"))?)
                    .ok_or_else(|| out_of_range(&value, "time"))
            }
            Value::DateTimeZoneId(_) | Value::LegacyDateTimeZoneId(_) => {
                Err(Error::mapping(format!(
                    "{value} has a time zone id, whose offset `time` cannot know; \
                 read it into `time::UtcDateTime` (the instant), a `jiff::ZonedDateTime`, \
                 or `neo_runtime::types::DateTimeZoneId`"
                )))
            }
            other => Err(mismatch("DateTime", &other)),
        }
    }
}

impl FromValue for UtcDateTime {
    const ACCEPTS: ValueKinds = ValueKinds::ZONED_DATETIME;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::DateTime(DateTime {
                seconds,
                nanoseconds,
                ..
            })
            | Value::DateTimeZoneId(DateTimeZoneId {
                seconds,
                nanoseconds,
                ..
            }) => utc(seconds, nanoseconds, &value),
            Value::LegacyDateTimeZoneId(_) => Err(Error::mapping(format!(
                "{value} is a wall-clock time in a zone (Bolt 4.4 without the `utc` patch), \
                 whose instant needs the zone's rules; read it into a `jiff::ZonedDateTime`"
            ))),
            other => Err(mismatch("DateTime", &other)),
        }
    }
}

impl FromValue for SignedDuration {
    const ACCEPTS: ValueKinds = ValueKinds::DURATION;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Duration(duration @ Duration { months, days, .. })
                if months != 0 || days != 0 =>
            {
                Err(calendar_duration(
                    &duration,
                    "a `jiff::Span` or `neo_runtime::types::Duration`",
                ))
            }
            Value::Duration(Duration {
                seconds,
                nanoseconds,
                ..
            }) => SignedDuration::seconds(seconds)
                .checked_add(SignedDuration::nanoseconds(nanoseconds))
                .ok_or_else(|| out_of_range(&value, "time")),
            other => Err(mismatch("Duration", &other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::Month;

    use super::*;

    #[test]
    fn every_type_round_trips() {
        let date = time::Date::from_calendar_date(-44, Month::March, 15).unwrap();
        assert_eq!(time::Date::from_value(Value::from(date)).unwrap(), date);
        let time = time::Time::from_hms_nano(23, 59, 59, 999_999_999).unwrap();
        assert_eq!(time::Time::from_value(Value::from(time)).unwrap(), time);
        let local = PlainDateTime::new(date, time);
        assert_eq!(
            PlainDateTime::from_value(Value::from(local)).unwrap(),
            local
        );
        let offset = UtcOffset::from_hms(-3, -30, 0).unwrap();
        let zoned = local.assume_offset(offset);
        let read = OffsetDateTime::from_value(Value::from(zoned)).unwrap();
        assert_eq!((read, read.offset()), (zoned, offset));
        assert_eq!(
            UtcDateTime::from_value(Value::from(zoned)).unwrap(),
            zoned.to_utc()
        );
        let duration = SignedDuration::new(-5, -250);
        assert_eq!(
            SignedDuration::from_value(Value::from(duration)).unwrap(),
            duration
        );
    }

    #[test]
    fn what_time_cannot_hold_is_an_error_saying_what_to_read_instead() {
        let months = Value::Duration(Duration {
            months: 1,
            days: 0,
            seconds: 0,
            nanoseconds: 0,
        });
        let error = SignedDuration::from_value(months).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("the duration P1M has months or days"),
            "{error}"
        );
        let zoned = Value::DateTimeZoneId(DateTimeZoneId {
            seconds: 0,
            nanoseconds: 0,
            tz_id: "Europe/Paris".to_owned(),
        });
        let error = OffsetDateTime::from_value(zoned.clone()).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("read it into `time::UtcDateTime`"),
            "{error}"
        );
        assert_eq!(
            UtcDateTime::from_value(zoned).unwrap(),
            UtcDateTime::UNIX_EPOCH
        );
        let error = time::Date::from_value(Value::Date(Date { days: i64::MAX })).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Mapping);
        assert!(
            error
                .to_string()
                .contains("outside the range time can represent"),
            "{error}"
        );
        let error =
            time::Time::from_value(Value::LocalTime(LocalTime { nanoseconds: -1 })).unwrap_err();
        assert!(error.to_string().contains("outside the range"), "{error}");
        let error = time::Date::from_value(Value::from("2024-01-01")).unwrap_err();
        assert_eq!(error.to_string(), "expected Date, found String");
    }
}
