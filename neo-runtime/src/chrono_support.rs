//! Neo4j temporal values as `chrono` types (feature `chrono`).
//!
//! Reading: `NaiveDate` from a Date, `NaiveTime` from a LocalTime,
//! `NaiveDateTime` from a LocalDateTime, `DateTime<FixedOffset>` and
//! `DateTime<Utc>` from a DateTime (so derived structs can have such
//! fields). Writing: each of those converts into a [`Value`] of the matching
//! temporal type (`Value::from`), so it can be passed as a parameter.
//!
//! ```
//! use chrono::NaiveDate;
//! use neo_runtime::{FromValue, Value};
//!
//! let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
//! let value = Value::from(day);
//! assert_eq!(NaiveDate::from_value(value)?, day);
//! # Ok::<(), neo_runtime::Error>(())
//! ```

use chrono::{DateTime as ChronoDateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use neo_bolt::Value;
use neo_bolt::packstream::{Date, DateTime, LocalDateTime, LocalTime, UNIX_EPOCH_DAYS_FROM_CE};

use crate::error::Error;
use crate::from_value::{FromValue, mismatch};
use crate::value_kinds::ValueKinds;

fn out_of_range(what: &str) -> Error {
    Error::mapping(format!(
        "the {what} is outside the range chrono can represent"
    ))
}

impl FromValue for NaiveDate {
    const ACCEPTS: ValueKinds = ValueKinds::DATE;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Date(Date { days }) => days
                .checked_add(UNIX_EPOCH_DAYS_FROM_CE)
                .and_then(|d| i32::try_from(d).ok())
                .and_then(NaiveDate::from_num_days_from_ce_opt)
                .ok_or_else(|| out_of_range("date")),
            other => Err(mismatch("Date", &other)),
        }
    }
}

fn time_from_nanos(nanos: i64) -> Option<NaiveTime> {
    let seconds = u32::try_from(nanos.div_euclid(1_000_000_000)).ok()?;
    let fraction = u32::try_from(nanos.rem_euclid(1_000_000_000)).ok()?;
    NaiveTime::from_num_seconds_from_midnight_opt(seconds, fraction)
}

impl FromValue for NaiveTime {
    const ACCEPTS: ValueKinds = ValueKinds::LOCAL_TIME;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::LocalTime(LocalTime { nanoseconds }) => {
                time_from_nanos(nanoseconds).ok_or_else(|| out_of_range("time"))
            }
            other => Err(mismatch("LocalTime", &other)),
        }
    }
}

fn utc(seconds: i64, nanoseconds: i64) -> Option<ChronoDateTime<Utc>> {
    ChronoDateTime::from_timestamp(seconds, u32::try_from(nanoseconds).ok()?)
}

impl FromValue for NaiveDateTime {
    const ACCEPTS: ValueKinds = ValueKinds::LOCAL_DATETIME;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::LocalDateTime(LocalDateTime {
                seconds,
                nanoseconds,
            }) => utc(seconds, nanoseconds)
                .map(|t| t.naive_utc())
                .ok_or_else(|| out_of_range("date-time")),
            other => Err(mismatch("LocalDateTime", &other)),
        }
    }
}

impl FromValue for ChronoDateTime<FixedOffset> {
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
                    .and_then(FixedOffset::east_opt)
                    .ok_or_else(|| out_of_range("offset"))?;
                utc(seconds, nanoseconds)
                    .map(|t| t.with_timezone(&offset))
                    .ok_or_else(|| out_of_range("date-time"))
            }
            other => Err(mismatch("DateTime", &other)),
        }
    }
}

impl FromValue for ChronoDateTime<Utc> {
    const ACCEPTS: ValueKinds = ValueKinds::ZONED_DATETIME;

    fn from_value(value: Value) -> Result<Self, Error> {
        ChronoDateTime::<FixedOffset>::from_value(value).map(|t| t.with_timezone(&Utc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_through_chrono() {
        let date = NaiveDate::from_ymd_opt(1969, 12, 31).unwrap();
        assert_eq!(Value::from(date), Value::Date(Date { days: -1 }));
        assert_eq!(NaiveDate::from_value(Value::from(date)).unwrap(), date);

        let time = NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999).unwrap();
        assert_eq!(NaiveTime::from_value(Value::from(time)).unwrap(), time);

        let local = date.and_time(time);
        assert_eq!(
            NaiveDateTime::from_value(Value::from(local)).unwrap(),
            local
        );

        // 1970-01-01T02:15:00.000000042+01:00 is 4500 s after the epoch.
        let offset = FixedOffset::east_opt(3600).unwrap();
        let instant = ChronoDateTime::from_timestamp(4500, 42)
            .unwrap()
            .with_timezone(&offset);
        assert_eq!(
            Value::from(instant),
            Value::DateTime(DateTime {
                seconds: 4500,
                nanoseconds: 42,
                tz_offset_seconds: 3600
            })
        );
        assert_eq!(
            ChronoDateTime::<FixedOffset>::from_value(Value::from(instant)).unwrap(),
            instant
        );
        assert_eq!(
            ChronoDateTime::<Utc>::from_value(Value::from(instant)).unwrap(),
            instant.with_timezone(&Utc)
        );
    }

    #[test]
    fn wrong_types_and_ranges_are_mapping_errors() {
        let err = NaiveDate::from_value(Value::from("2024-01-01")).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Mapping);
        let err = NaiveDate::from_value(Value::Date(Date { days: i64::MAX })).unwrap_err();
        assert!(err.to_string().contains("outside the range"), "{err}");
        let err =
            NaiveTime::from_value(Value::LocalTime(LocalTime { nanoseconds: -1 })).unwrap_err();
        assert!(err.to_string().contains("outside the range"), "{err}");
    }
}
