//! Zoned date-times with the IANA time-zone database (feature `chrono-tz`).
//!
//! Reading: a date-time with a zone id converts to
//! `chrono::DateTime<chrono_tz::Tz>`, with the offset the zone's rules
//! give at that instant; a zone id the database does not know is an
//! [`ErrorKind::Mapping`](crate::ErrorKind::Mapping) error naming it (a
//! server may send zones this build's database lacks, or made-up ones).
//!
//! Writing: a Bolt 4.4 server without the `utc` patch takes a zoned
//! date-time as wall-clock time plus the zone id. Without zone rules the
//! driver cannot compute that wall-clock time, so without this feature
//! such a parameter is refused; with it, the wall-clock form is sent.
//!
//! ```
//! use chrono::TimeZone;
//! use chrono_tz::Europe::Stockholm;
//! use neo_runtime::types::{DateTimeZoneId, Value};
//! use neo_runtime::FromValue;
//!
//! // 2022-06-07T09:52:05Z, received with its zone.
//! let received = Value::DateTimeZoneId(DateTimeZoneId {
//!     seconds: 1_654_595_525,
//!     nanoseconds: 0,
//!     tz_id: "Europe/Stockholm".into(),
//! });
//! let local = chrono::DateTime::<chrono_tz::Tz>::from_value(received)?;
//! assert_eq!(local, Stockholm.with_ymd_and_hms(2022, 6, 7, 11, 52, 5).unwrap());
//!
//! let unknown = Value::DateTimeZoneId(DateTimeZoneId {
//!     seconds: 0,
//!     nanoseconds: 0,
//!     tz_id: "Europe/Atlantis".into(),
//! });
//! let error = chrono::DateTime::<chrono_tz::Tz>::from_value(unknown).unwrap_err();
//! assert!(error.to_string().contains("Europe/Atlantis"));
//! # Ok::<(), neo_runtime::Error>(())
//! ```

use chrono::{DateTime as ChronoDateTime, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;
use neo_bolt::Value;
use neo_bolt::packstream::{DateTimeZoneId, LegacyDateTimeZoneId};

use crate::error::Error;
use crate::from_value::{FromValue, mismatch};
use crate::value_kinds::ValueKinds;

/// The zone an id names in the time-zone database.
fn zone(tz_id: &str) -> Result<Tz, Error> {
    tz_id.parse::<Tz>().map_err(|_| {
        Error::mapping(format!(
            "unknown time zone `{tz_id}`: the time-zone database has no such zone"
        ))
    })
}

fn out_of_range() -> Error {
    Error::mapping("the date-time is outside the range chrono can represent")
}

fn nanos(nanoseconds: i64) -> Result<u32, Error> {
    u32::try_from(nanoseconds).map_err(|_| out_of_range())
}

impl FromValue for ChronoDateTime<Tz> {
    const ACCEPTS: ValueKinds = ValueKinds::ZONED_DATETIME;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::DateTimeZoneId(DateTimeZoneId {
                seconds,
                nanoseconds,
                tz_id,
            }) => {
                let zone = zone(&tz_id)?;
                let instant = ChronoDateTime::from_timestamp(seconds, nanos(nanoseconds)?)
                    .ok_or_else(out_of_range)?;
                Ok(instant.with_timezone(&zone))
            }
            Value::LegacyDateTimeZoneId(LegacyDateTimeZoneId {
                local_seconds,
                nanoseconds,
                tz_id,
            }) => {
                let zone = zone(&tz_id)?;
                let local = ChronoDateTime::from_timestamp(local_seconds, nanos(nanoseconds)?)
                    .ok_or_else(out_of_range)?
                    .naive_utc();
                wall_clock_in(zone, local, &tz_id)
            }
            other => Err(mismatch("DateTime with a zone id", &other)),
        }
    }
}

/// The instant a wall-clock time stands for in `zone`: the earlier one
/// when the clock is set back, an error in the gap when it is set forward.
fn wall_clock_in(zone: Tz, local: NaiveDateTime, tz_id: &str) -> Result<ChronoDateTime<Tz>, Error> {
    zone.from_local_datetime(&local)
        .earliest()
        .ok_or_else(|| Error::mapping(format!("{local} does not exist in time zone `{tz_id}`")))
}

/// `value` with every UTC-based zoned date-time (at any depth) turned into
/// the wall-clock form of servers before the `utc` patch.
pub(crate) fn to_wall_clock_zone_ids(value: Value) -> Result<Value, Error> {
    Ok(match value {
        Value::DateTimeZoneId(DateTimeZoneId {
            seconds,
            nanoseconds,
            tz_id,
        }) => {
            let zone = zone(&tz_id)?;
            let instant = ChronoDateTime::from_timestamp(seconds, 0).ok_or_else(out_of_range)?;
            let offset = zone
                .offset_from_utc_datetime(&instant.naive_utc())
                .fix()
                .local_minus_utc();
            Value::LegacyDateTimeZoneId(LegacyDateTimeZoneId {
                local_seconds: seconds + i64::from(offset),
                nanoseconds,
                tz_id,
            })
        }
        Value::List(items) => Value::List(
            items
                .into_iter()
                .map(to_wall_clock_zone_ids)
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(map) => Value::Map(
            map.into_iter()
                .map(|(key, value)| to_wall_clock_zone_ids(value).map(|value| (key, value)))
                .collect::<Result<_, _>>()?,
        ),
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use chrono::Timelike;

    use super::*;

    #[test]
    fn wall_clock_and_utc_forms_read_alike() {
        let utc = Value::DateTimeZoneId(DateTimeZoneId {
            seconds: 1_654_595_525,
            nanoseconds: 9,
            tz_id: "Europe/Stockholm".into(),
        });
        let wall = to_wall_clock_zone_ids(utc.clone()).unwrap();
        assert_eq!(
            wall,
            Value::LegacyDateTimeZoneId(LegacyDateTimeZoneId {
                local_seconds: 1_654_595_525 + 7200,
                nanoseconds: 9,
                tz_id: "Europe/Stockholm".into(),
            })
        );
        let from_utc = ChronoDateTime::<Tz>::from_value(utc).unwrap();
        let from_wall = ChronoDateTime::<Tz>::from_value(wall).unwrap();
        assert_eq!(from_utc, from_wall);
        assert_eq!((from_utc.hour(), from_utc.nanosecond()), (11, 9));
    }

    #[test]
    fn nested_values_are_converted_and_unknown_zones_refused() {
        let zoned = |tz_id: &str| {
            Value::DateTimeZoneId(DateTimeZoneId {
                seconds: 0,
                nanoseconds: 0,
                tz_id: tz_id.into(),
            })
        };
        let nested = Value::List(vec![Value::Map(
            [("at".to_owned(), zoned("UTC"))].into_iter().collect(),
        )]);
        let Value::List(items) = to_wall_clock_zone_ids(nested).unwrap() else {
            panic!("not a list")
        };
        let Value::Map(map) = &items[0] else {
            panic!("not a map")
        };
        assert!(matches!(map["at"], Value::LegacyDateTimeZoneId(_)));
        let error = to_wall_clock_zone_ids(zoned("Europe/Neo4j")).unwrap_err();
        assert!(error.to_string().contains("Europe/Neo4j"), "{error}");
        let error = ChronoDateTime::<Tz>::from_value(Value::Integer(1)).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::Mapping);
    }

    #[test]
    fn a_wall_clock_time_in_the_spring_gap_does_not_exist() {
        // 2022-03-27 02:30 does not happen in Stockholm.
        let gap = Value::LegacyDateTimeZoneId(LegacyDateTimeZoneId {
            local_seconds: 1_648_348_200,
            nanoseconds: 0,
            tz_id: "Europe/Stockholm".into(),
        });
        let error = ChronoDateTime::<Tz>::from_value(gap).unwrap_err();
        assert!(error.to_string().contains("does not exist"), "{error}");
    }
}
