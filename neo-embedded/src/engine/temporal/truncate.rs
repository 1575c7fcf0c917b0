//! `date.truncate`, `datetime.truncate` and friends: a temporal value cut
//! down to a unit, then adjusted by a map of overrides.

use std::collections::BTreeMap;

use super::{
    Date, DateTime, LocalDateTime, LocalTime, NANOS_PER_SECOND, Time, Zone, build_date,
    build_datetime, build_local_datetime, build_local_time, build_time, calendar,
};
use crate::engine::error::{EngineError, Result};
use crate::engine::value::Value;

/// What kind of value a truncation makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TruncateTo {
    Date,
    LocalTime,
    Time,
    LocalDateTime,
    DateTime,
}

impl TruncateTo {
    /// The Cypher type name.
    fn name(self) -> &'static str {
        match self {
            TruncateTo::Date => "DATE",
            TruncateTo::LocalTime => "LOCAL TIME",
            TruncateTo::Time => "ZONED TIME",
            TruncateTo::LocalDateTime => "LOCAL DATETIME",
            TruncateTo::DateTime => "ZONED DATETIME",
        }
    }
}

fn date_unit(date: Date, unit: &str) -> Result<Option<Date>> {
    let (year, month, _) = date.ymd();
    let days = match unit {
        "millennium" => calendar::days_from_civil(year.div_euclid(1000) * 1000, 1, 1),
        "century" => calendar::days_from_civil(year.div_euclid(100) * 100, 1, 1),
        "decade" => calendar::days_from_civil(year.div_euclid(10) * 10, 1, 1),
        "year" => calendar::days_from_civil(year, 1, 1),
        "weekyear" => {
            let (week_year, _) = calendar::iso_week(date.days);
            calendar::days_from_week_date(week_year, 1, 1)
                .ok_or_else(|| EngineError::argument("Invalid week year"))?
        }
        "quarter" => calendar::days_from_civil(year, (calendar::quarter_of(month) - 1) * 3 + 1, 1),
        "month" => calendar::days_from_civil(year, month, 1),
        "week" => date.days - (calendar::day_of_week(date.days) - 1),
        "day" => date.days,
        _ => return Ok(None),
    };
    Ok(Some(Date { days }))
}

fn time_unit(time: LocalTime, unit: &str) -> Option<LocalTime> {
    let step = match unit {
        "hour" => 3600 * NANOS_PER_SECOND,
        "minute" => 60 * NANOS_PER_SECOND,
        "second" => NANOS_PER_SECOND,
        "millisecond" => 1_000_000,
        "microsecond" => 1000,
        _ => return None,
    };
    Some(LocalTime {
        nanos: time.nanos - time.nanos % step,
    })
}

fn unknown_unit(unit: &str) -> EngineError {
    EngineError::argument(format!("Unit {unit} is not supported"))
}

/// Truncates `value` to `unit`, making a value of kind `to`, then applies
/// `overrides`.
pub(crate) fn truncate(
    to: TruncateTo,
    unit: &str,
    value: &Value,
    overrides: &BTreeMap<String, Value>,
    default_zone: Zone,
    now: LocalDateTime,
) -> Result<Value> {
    let unit_lower = unit.to_ascii_lowercase();
    let unit = unit_lower.as_str();
    let date_level = matches!(
        unit,
        "millennium"
            | "century"
            | "decade"
            | "year"
            | "weekyear"
            | "quarter"
            | "month"
            | "week"
            | "day"
    );
    let mismatch = || {
        EngineError::type_error(format!(
            "Cannot truncate {} to {}",
            value.type_name(),
            to.name()
        ))
    };
    let (date, time, zone) = match value {
        Value::Date(d) => (Some(*d), None, None),
        Value::LocalTime(t) => (None, Some(*t), None),
        Value::Time(t) => (
            None,
            Some(t.local),
            Some((t.offset, Zone::Offset(t.offset))),
        ),
        Value::LocalDateTime(dt) => (Some(dt.date), Some(dt.time), None),
        Value::DateTime(dt) => (
            Some(dt.local.date),
            Some(dt.local.time),
            Some((dt.offset, dt.zone)),
        ),
        _ => return Err(mismatch()),
    };
    let truncated_date = match date {
        Some(d) if date_level => Some(date_unit(d, unit)?.ok_or_else(|| unknown_unit(unit))?),
        other => other,
    };
    let truncated_time = if date_level {
        Some(LocalTime { nanos: 0 })
    } else {
        match time {
            Some(t) => Some(time_unit(t, unit).ok_or_else(|| unknown_unit(unit))?),
            None => {
                if matches!(to, TruncateTo::Date) {
                    return Err(unknown_unit(unit));
                }
                None
            }
        }
    };
    let has_overrides = !overrides.is_empty();
    let mut map: BTreeMap<String, Value> = overrides.clone();
    match to {
        TruncateTo::Date => {
            let date = truncated_date.ok_or_else(mismatch)?;
            if !date_level {
                return Err(unknown_unit(unit));
            }
            if !has_overrides {
                return Ok(Value::Date(date));
            }
            map.insert("date".into(), Value::Date(date));
            Ok(Value::Date(build_date(&map)?))
        }
        TruncateTo::LocalTime => {
            if date_level && unit != "day" {
                return Err(unknown_unit(unit));
            }
            let time = truncated_time.ok_or_else(mismatch)?;
            if !has_overrides {
                return Ok(Value::LocalTime(time));
            }
            map.insert("time".into(), Value::LocalTime(time));
            Ok(Value::LocalTime(build_local_time(&map)?))
        }
        TruncateTo::Time => {
            if date_level && unit != "day" {
                return Err(unknown_unit(unit));
            }
            let time = truncated_time.ok_or_else(mismatch)?;
            let offset = match zone {
                Some((offset, _)) => offset,
                None => DateTime::from_instant(now, default_zone)?.offset,
            };
            let base = Time {
                local: time,
                offset,
            };
            if !has_overrides {
                return Ok(Value::Time(base));
            }
            if let Some(tz) = map.remove("timezone") {
                // A zone override keeps the wall clock, in the new zone.
                let mut inner = map.clone();
                inner.insert("time".into(), Value::LocalTime(time));
                let local = build_local_time(&inner)?;
                let zone = match tz {
                    Value::String(s) => super::zone_from_text(&s)?,
                    other => {
                        return Err(EngineError::type_error(format!(
                            "Invalid value for timezone: {}",
                            other.type_name()
                        )));
                    }
                };
                let offset = DateTime::from_instant(now, zone)?.offset;
                return Ok(Value::Time(Time { local, offset }));
            }
            map.insert("time".into(), Value::Time(base));
            Ok(Value::Time(build_time(&map, default_zone, now)?))
        }
        TruncateTo::LocalDateTime => {
            let date = truncated_date.ok_or_else(mismatch)?;
            let time = truncated_time.unwrap_or(LocalTime { nanos: 0 });
            let local = LocalDateTime { date, time };
            if !has_overrides {
                return Ok(Value::LocalDateTime(local));
            }
            map.insert("datetime".into(), Value::LocalDateTime(local));
            Ok(Value::LocalDateTime(build_local_datetime(&map)?))
        }
        TruncateTo::DateTime => {
            let date = truncated_date.ok_or_else(mismatch)?;
            let time = truncated_time.unwrap_or(LocalTime { nanos: 0 });
            let local = LocalDateTime { date, time };
            let zone = zone.map_or(default_zone, |(_, zone)| zone);
            let base = DateTime::from_local(local, zone)?;
            if !has_overrides {
                return Ok(Value::DateTime(Box::new(base)));
            }
            if let Some(tz) = map.remove("timezone") {
                // A zone override keeps the wall clock, in the new zone.
                let mut inner = map.clone();
                inner.insert("datetime".into(), Value::LocalDateTime(local));
                let local = build_local_datetime(&inner)?;
                let zone = match tz {
                    Value::String(s) => super::zone_from_text(&s)?,
                    other => {
                        return Err(EngineError::type_error(format!(
                            "Invalid value for timezone: {}",
                            other.type_name()
                        )));
                    }
                };
                return Ok(Value::DateTime(Box::new(DateTime::from_local(
                    local, zone,
                )?)));
            }
            map.insert("datetime".into(), Value::DateTime(Box::new(base)));
            Ok(Value::DateTime(Box::new(build_datetime(
                &map,
                default_zone,
            )?)))
        }
    }
}
