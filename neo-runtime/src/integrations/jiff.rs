//! Neo4j temporal values as `jiff` types (feature `jiff`), time zones
//! included.
//!
//! | Neo4j | `jiff` |
//! |---|---|
//! | `DATE` | `civil::Date` |
//! | `LOCAL TIME` | `civil::Time` |
//! | `LOCAL DATETIME` | `civil::DateTime` |
//! | `ZONED DATETIME` with a zone id | `ZonedDateTime` in that zone |
//! | `ZONED DATETIME` with an offset | `ZonedDateTime` at that fixed offset |
//! | `ZONED DATETIME` (either) | `Timestamp`, the instant |
//! | `DURATION` | `Span` (months, days, seconds and nanoseconds) |
//! | `DURATION` of seconds | `SignedDuration` |
//!
//! Each converts into a [`Value`] of its Neo4j type with `Value::from`, to
//! be a parameter (pass `Value::from(x)`, not `x`: with `jiff`'s own
//! `serde` feature, `x` itself would serialize as text, a string to the
//! server); a `ZonedDateTime` in an IANA zone travels with its zone id.
//! Zones are looked up in the system's time zone database. A value beyond
//! `jiff`'s range (years -9999 to 9999), a duration whose parts have
//! different signs (which a `Span` cannot hold) and a duration with months
//! or days read into a `SignedDuration` are mapping errors.
//!
//! ```
//! use jiff::civil::date;
//! use neo_runtime::{FromValue, Value};
//!
//! let day = date(2024, 2, 29);
//! assert_eq!(jiff::civil::Date::from_value(Value::from(day))?, day);
//! # Ok::<(), neo_runtime::Error>(())
//! ```

use jiff::civil::{Date as CivilDate, DateTime as CivilDateTime, Time as CivilTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Span, Timestamp, ZonedDateTime};
use neo_bolt::Value;
use neo_bolt::packstream::{
    Date, DateTime, DateTimeZoneId, Duration, LegacyDateTimeZoneId, LocalDateTime, LocalTime,
};

use super::{NANOS_PER_SECOND, calendar_duration, out_of_range, time_of_day, total_nanoseconds};
use crate::error::Error;
use crate::from_value::{FromValue, mismatch};
use crate::value_kinds::ValueKinds;

const SECONDS_PER_DAY: i64 = 86_400;

fn civil_date(days: i64, value: &Value) -> Result<CivilDate, Error> {
    let (year, month, day) = Date { days }.to_ymd();
    i16::try_from(year)
        .ok()
        .zip(i8::try_from(month).ok().zip(i8::try_from(day).ok()))
        .and_then(|(year, (month, day))| CivilDate::new(year, month, day).ok())
        .ok_or_else(|| out_of_range(value, "jiff"))
}

fn civil_time(nanoseconds: i64, value: &Value) -> Result<CivilTime, Error> {
    time_of_day(nanoseconds)
        .and_then(|(hour, minute, second, nanosecond)| {
            CivilTime::new(
                i8::try_from(hour).ok()?,
                i8::try_from(minute).ok()?,
                i8::try_from(second).ok()?,
                i32::try_from(nanosecond).ok()?,
            )
            .ok()
        })
        .ok_or_else(|| out_of_range(value, "jiff"))
}

/// A date and time from seconds since 1970-01-01T00:00 (as if in UTC).
fn civil_date_time(seconds: i64, nanoseconds: i64, value: &Value) -> Result<CivilDateTime, Error> {
    let total = total_nanoseconds(seconds, nanoseconds);
    let per_day = i128::from(SECONDS_PER_DAY * NANOS_PER_SECOND);
    let days = i64::try_from(total.div_euclid(per_day)).map_err(|_| out_of_range(value, "jiff"))?;
    // Below a day's nanoseconds.
    let of_day = i64::try_from(total.rem_euclid(per_day)).unwrap_or(0);
    Ok(CivilDateTime::from_parts(
        civil_date(days, value)?,
        civil_time(of_day, value)?,
    ))
}

fn timestamp(seconds: i64, nanoseconds: i64, value: &Value) -> Result<Timestamp, Error> {
    Timestamp::from_nanosecond(total_nanoseconds(seconds, nanoseconds))
        .map_err(|_| out_of_range(value, "jiff"))
}

/// The zone `tz_id` from the system's time zone database.
fn zone(tz_id: &str) -> Result<TimeZone, Error> {
    TimeZone::get(tz_id).map_err(|error| {
        Error::mapping(format!(
            "the time zone `{tz_id}` is not known here: {error}"
        ))
    })
}

impl FromValue for CivilDate {
    const ACCEPTS: ValueKinds = ValueKinds::DATE;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Date(Date { days }) => civil_date(days, &value),
            other => Err(mismatch("Date", &other)),
        }
    }
}

impl FromValue for CivilTime {
    const ACCEPTS: ValueKinds = ValueKinds::LOCAL_TIME;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::LocalTime(LocalTime { nanoseconds }) => civil_time(nanoseconds, &value),
            other => Err(mismatch("LocalTime", &other)),
        }
    }
}

impl FromValue for CivilDateTime {
    const ACCEPTS: ValueKinds = ValueKinds::LOCAL_DATETIME;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::LocalDateTime(LocalDateTime {
                seconds,
                nanoseconds,
            }) => civil_date_time(seconds, nanoseconds, &value),
            other => Err(mismatch("LocalDateTime", &other)),
        }
    }
}

impl FromValue for ZonedDateTime {
    const ACCEPTS: ValueKinds = ValueKinds::ZONED_DATETIME;

    /// A zone id gives that zone; an offset, a fixed offset; a wall-clock
    /// time in a zone (Bolt 4.4 without the `utc` patch) is placed in the
    /// zone as `jiff` does by default (in a gap or an overlap of the clock,
    /// the offset before the change).
    fn from_value(value: Value) -> Result<Self, Error> {
        match &value {
            Value::DateTimeZoneId(DateTimeZoneId {
                seconds,
                nanoseconds,
                tz_id,
            }) => Ok(timestamp(*seconds, *nanoseconds, &value)?.to_zoned_datetime(zone(tz_id)?)),
            Value::DateTime(DateTime {
                seconds,
                nanoseconds,
                tz_offset_seconds,
            }) => {
                let offset = i32::try_from(*tz_offset_seconds)
                    .ok()
                    .and_then(|seconds| Offset::from_seconds(seconds).ok())
                    .ok_or_else(|| out_of_range(&value, "jiff"))?;
                Ok(timestamp(*seconds, *nanoseconds, &value)?
                    .to_zoned_datetime(TimeZone::fixed(offset)))
            }
            Value::LegacyDateTimeZoneId(LegacyDateTimeZoneId {
                local_seconds,
                nanoseconds,
                tz_id,
            }) => civil_date_time(*local_seconds, *nanoseconds, &value)?
                .to_zoned_datetime(zone(tz_id)?)
                .map_err(|_| out_of_range(&value, "jiff")),
            other => Err(mismatch("DateTime", other)),
        }
    }
}

impl FromValue for Timestamp {
    const ACCEPTS: ValueKinds = ValueKinds::ZONED_DATETIME;

    fn from_value(value: Value) -> Result<Self, Error> {
        ZonedDateTime::from_value(value).map(|zoned| zoned.timestamp())
    }
}

impl FromValue for Span {
    const ACCEPTS: ValueKinds = ValueKinds::DURATION;

    fn from_value(value: Value) -> Result<Self, Error> {
        let Value::Duration(Duration {
            months,
            days,
            seconds,
            nanoseconds,
        }) = value
        else {
            return Err(mismatch("Duration", &value));
        };
        let total = total_nanoseconds(seconds, nanoseconds);
        let signs = [months.signum(), days.signum(), total.signum() as i64];
        if signs.contains(&1) && signs.contains(&-1) {
            return Err(Error::mapping(format!(
                "the duration {value} has parts of both signs, which a `jiff::Span` cannot \
                 hold; read it into `neo_runtime::types::Duration`"
            )));
        }
        let per_second = i128::from(NANOS_PER_SECOND);
        let whole_seconds =
            i64::try_from(total / per_second).map_err(|_| out_of_range(&value, "jiff"))?;
        // Below a second.
        let fraction = i64::try_from(total % per_second).unwrap_or(0);
        Span::new()
            .try_months(months)
            .and_then(|span| span.try_days(days))
            .and_then(|span| span.try_seconds(whole_seconds))
            .and_then(|span| span.try_nanoseconds(fraction))
            .map_err(|_| out_of_range(&value, "jiff"))
    }
}

impl FromValue for SignedDuration {
    const ACCEPTS: ValueKinds = ValueKinds::DURATION;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Duration(duration @ Duration { months, days, .. })
                if months != 0 || days != 0 =>
            {
                Err(calendar_duration(&duration, "a `jiff::Span`"))
            }
            Value::Duration(Duration {
                seconds,
                nanoseconds,
                ..
            }) => SignedDuration::try_from_nanos_i128(total_nanoseconds(seconds, nanoseconds))
                .ok_or_else(|| out_of_range(&value, "jiff")),
            other => Err(mismatch("Duration", &other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::ToSpan;
    use jiff::civil::{date, time};

    use super::*;

    #[test]
    fn civil_values_round_trip() {
        let day = date(-44, 3, 15);
        assert_eq!(CivilDate::from_value(Value::from(day)).unwrap(), day);
        let moment = time(23, 59, 59, 999_999_999);
        assert_eq!(CivilTime::from_value(Value::from(moment)).unwrap(), moment);
        let local = day.to_datetime(moment);
        assert_eq!(
            CivilDateTime::from_value(Value::from(local)).unwrap(),
            local
        );
    }

    #[test]
    fn zoned_values_keep_their_zone_or_offset() {
        let instant = Timestamp::from_second(1_709_214_307).unwrap();
        let paris = instant.to_zoned_datetime(zone("Europe/Paris").unwrap());
        let value = Value::from(paris.clone());
        assert!(matches!(&value, Value::DateTimeZoneId(z) if z.tz_id == "Europe/Paris"));
        assert_eq!(ZonedDateTime::from_value(value.clone()).unwrap(), paris);
        assert_eq!(Timestamp::from_value(value).unwrap(), instant);
        let fixed =
            instant.to_zoned_datetime(TimeZone::fixed(Offset::from_seconds(19_800).unwrap()));
        let read = ZonedDateTime::from_value(Value::from(fixed.clone())).unwrap();
        assert_eq!((read.timestamp(), read.offset()), (instant, fixed.offset()));
        assert_eq!(
            Timestamp::from_value(Value::from(instant)).unwrap(),
            instant
        );
    }

    #[test]
    fn a_wall_clock_time_in_a_zone_is_placed_in_it() {
        // 2024-02-29T13:45:07 in Paris is 12:45:07 UTC.
        let legacy = Value::LegacyDateTimeZoneId(LegacyDateTimeZoneId {
            local_seconds: 1_709_214_307,
            nanoseconds: 0,
            tz_id: "Europe/Paris".to_owned(),
        });
        let read = ZonedDateTime::from_value(legacy).unwrap();
        assert_eq!(read.timestamp().as_second(), 1_709_214_307 - 3600);
    }

    #[test]
    fn spans_and_durations_round_trip() {
        let span = 14.months().days(10).seconds(7).nanoseconds(500);
        let read = Span::from_value(Value::from(span)).unwrap();
        assert_eq!(read.fieldwise(), span.fieldwise());
        let negative = (-3).days().seconds(-2);
        assert_eq!(
            Span::from_value(Value::from(negative)).unwrap().fieldwise(),
            negative.fieldwise()
        );
        let duration = SignedDuration::new(-5, -250);
        assert_eq!(
            SignedDuration::from_value(Value::from(duration)).unwrap(),
            duration
        );
    }

    #[test]
    fn what_jiff_cannot_hold_is_an_error() {
        let mixed = Value::Duration(Duration {
            months: 1,
            days: -1,
            seconds: 0,
            nanoseconds: 0,
        });
        let error = Span::from_value(mixed.clone()).unwrap_err();
        assert!(error.to_string().contains("parts of both signs"), "{error}");
        let error = SignedDuration::from_value(mixed).unwrap_err();
        assert!(
            error.to_string().contains("read it into a `jiff::Span`"),
            "{error}"
        );
        let error =
            CivilDate::from_value(Value::Date(Date::from_ymd(10_000, 1, 1).unwrap())).unwrap_err();
        assert_eq!(
            error.to_string(),
            "+10000-01-01 is outside the range jiff can represent"
        );
        let unknown = Value::DateTimeZoneId(DateTimeZoneId {
            seconds: 0,
            nanoseconds: 0,
            tz_id: "Mars/Olympus_Mons".to_owned(),
        });
        let error = ZonedDateTime::from_value(unknown).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("the time zone `Mars/Olympus_Mons` is not known here"),
            "{error}"
        );
    }
}
