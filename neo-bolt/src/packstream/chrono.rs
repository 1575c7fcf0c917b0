//! `chrono` types as temporal values (feature `chrono`), so that they can be
//! passed wherever a [`Value`] goes.
//!
//! ```
//! use chrono::NaiveDate;
//! use neo_bolt::Value;
//! use neo_bolt::packstream::Date;
//!
//! let value = Value::from(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap());
//! assert_eq!(value, Value::Date(Date { days: 1 }));
//! ```

use chrono::{
    DateTime as ChronoDateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime,
    Timelike, Utc,
};

use super::{Date, DateTime, LocalDateTime, LocalTime, Value};

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
pub const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

fn nanos_of_time(time: NaiveTime) -> i64 {
    i64::from(time.num_seconds_from_midnight()) * 1_000_000_000 + i64::from(time.nanosecond())
}

impl From<NaiveDate> for Value {
    fn from(date: NaiveDate) -> Self {
        Value::Date(Date {
            days: i64::from(date.num_days_from_ce()) - UNIX_EPOCH_DAYS_FROM_CE,
        })
    }
}

impl From<NaiveTime> for Value {
    fn from(time: NaiveTime) -> Self {
        Value::LocalTime(LocalTime {
            nanoseconds: nanos_of_time(time),
        })
    }
}

impl From<NaiveDateTime> for Value {
    fn from(time: NaiveDateTime) -> Self {
        let utc = time.and_utc();
        Value::LocalDateTime(LocalDateTime {
            seconds: utc.timestamp(),
            nanoseconds: i64::from(utc.timestamp_subsec_nanos()),
        })
    }
}

impl From<ChronoDateTime<FixedOffset>> for Value {
    fn from(time: ChronoDateTime<FixedOffset>) -> Self {
        Value::DateTime(DateTime {
            seconds: time.timestamp(),
            nanoseconds: i64::from(time.timestamp_subsec_nanos()),
            tz_offset_seconds: i64::from(time.offset().local_minus_utc()),
        })
    }
}

impl From<ChronoDateTime<Utc>> for Value {
    fn from(time: ChronoDateTime<Utc>) -> Self {
        Value::from(time.fixed_offset())
    }
}
