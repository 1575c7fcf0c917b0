//! Temporal functions: construction from text, maps and other temporal
//! values, the current time on three clocks, truncation, epoch
//! conversions and durations.

use super::{Function, wrong_type};
use crate::engine::error::{EngineError, Result};
use crate::engine::exec::ExecCtx;
use crate::engine::temporal::{
    self, BetweenUnit, Date, DateTime, DurationNumber, LocalDateTime, LocalTime, Moment,
    NANOS_PER_SECOND, Time, TruncateTo, Zone,
};
use crate::engine::value::Value;

/// The temporal types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TemporalKind {
    Date,
    LocalTime,
    Time,
    LocalDateTime,
    DateTime,
}

/// Which clock a no-argument call reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clock {
    /// `date()`: the statement's clock unless given a value.
    Construct,
    Realtime,
    Statement,
    Transaction,
}

pub(super) fn resolve(name: &str) -> Option<(Function, usize, usize)> {
    let (kind, rest) = match name.split_once('.') {
        Some((kind, rest)) => (kind, Some(rest)),
        None => (name, None),
    };
    let kind = match kind {
        "date" => TemporalKind::Date,
        "localtime" => TemporalKind::LocalTime,
        "time" => TemporalKind::Time,
        "localdatetime" => TemporalKind::LocalDateTime,
        "datetime" => TemporalKind::DateTime,
        _ => return None,
    };
    Some(match rest {
        None => (Function::Temporal(kind, Clock::Construct), 0, 1),
        Some("realtime") => (Function::Temporal(kind, Clock::Realtime), 0, 1),
        Some("statement") => (Function::Temporal(kind, Clock::Statement), 0, 1),
        Some("transaction") => (Function::Temporal(kind, Clock::Transaction), 0, 1),
        Some("truncate") => (Function::TemporalTruncate(kind), 2, 3),
        Some(_) => return None,
    })
}

fn kind_name(kind: TemporalKind) -> &'static str {
    match kind {
        TemporalKind::Date => "date",
        TemporalKind::LocalTime => "localtime",
        TemporalKind::Time => "time",
        TemporalKind::LocalDateTime => "localdatetime",
        TemporalKind::DateTime => "datetime",
    }
}

/// The current instant on `clock`, in `zone`.
fn now(clock: Clock, zone: Zone, ctx: &ExecCtx<'_>) -> Result<DateTime> {
    let utc = match clock {
        Clock::Realtime => temporal::now_utc(),
        Clock::Transaction => ctx.transaction_time(),
        Clock::Construct | Clock::Statement => ctx.statement_time(),
    };
    DateTime::from_instant(utc, zone)
}

fn from_now(kind: TemporalKind, at: DateTime) -> Value {
    match kind {
        TemporalKind::Date => Value::Date(at.local.date),
        TemporalKind::LocalTime => Value::LocalTime(at.local.time),
        TemporalKind::Time => Value::Time(Time {
            local: at.local.time,
            offset: at.offset,
        }),
        TemporalKind::LocalDateTime => Value::LocalDateTime(at.local),
        TemporalKind::DateTime => Value::DateTime(Box::new(at)),
    }
}

pub(super) fn call(function: Function, args: Vec<Value>, ctx: &mut ExecCtx<'_>) -> Result<Value> {
    let default_zone = ctx.default_zone();
    match function {
        Function::Temporal(kind, clock) => {
            let Some(arg) = args.into_iter().next() else {
                return Ok(from_now(kind, now(clock, default_zone, ctx)?));
            };
            match (clock, arg) {
                (_, Value::Null) => Ok(Value::Null),
                (Clock::Construct, arg) => construct(kind, arg, ctx),
                (clock, Value::String(zone)) => {
                    let zone = temporal::zone_from_text(&zone)?;
                    Ok(from_now(kind, now(clock, zone, ctx)?))
                }
                (clock, Value::Map(map)) => {
                    let zone = match map.get("timezone") {
                        Some(Value::String(zone)) => temporal::zone_from_text(zone)?,
                        _ => default_zone,
                    };
                    Ok(from_now(kind, now(clock, zone, ctx)?))
                }
                (_, other) => Err(wrong_type(kind_name(kind), "a time zone", &other)),
            }
        }
        Function::TemporalTruncate(kind) => {
            let mut args = args.into_iter();
            let unit = args.next().unwrap_or_default();
            let value = args.next().unwrap_or_default();
            let overrides = args.next().unwrap_or_default();
            let unit = match unit {
                Value::String(s) => s,
                other => return Err(wrong_type("truncate", "a unit name", &other)),
            };
            if value.is_null() {
                return Ok(Value::Null);
            }
            let overrides = match overrides {
                Value::Null => Default::default(),
                Value::Map(map) => map,
                other => return Err(wrong_type("truncate", "a Map", &other)),
            };
            let to = match kind {
                TemporalKind::Date => TruncateTo::Date,
                TemporalKind::LocalTime => TruncateTo::LocalTime,
                TemporalKind::Time => TruncateTo::Time,
                TemporalKind::LocalDateTime => TruncateTo::LocalDateTime,
                TemporalKind::DateTime => TruncateTo::DateTime,
            };
            let now_utc = ctx.statement_time();
            temporal::truncate(to, &unit, &value, &overrides, default_zone, now_utc)
        }
        Function::DateTimeFromEpoch => {
            let mut args = args.into_iter();
            let (seconds, nanos) = (
                args.next().unwrap_or_default(),
                args.next().unwrap_or_default(),
            );
            if seconds.is_null() || nanos.is_null() {
                return Ok(Value::Null);
            }
            let (Value::Int(s), Value::Int(n)) = (&seconds, &nanos) else {
                return Err(wrong_type("datetime.fromepoch", "integers", &seconds));
            };
            Ok(Value::DateTime(Box::new(temporal::datetime_from_epoch(
                i128::from(*s) * i128::from(NANOS_PER_SECOND) + i128::from(*n),
            )?)))
        }
        Function::DateTimeFromEpochMillis => match args.into_iter().next().unwrap_or_default() {
            Value::Null => Ok(Value::Null),
            Value::Int(ms) => Ok(Value::DateTime(Box::new(temporal::datetime_from_epoch(
                i128::from(ms) * 1_000_000,
            )?))),
            other => Err(wrong_type("datetime.fromepochmillis", "an Integer", &other)),
        },
        Function::Duration => match args.into_iter().next().unwrap_or_default() {
            Value::Null => Ok(Value::Null),
            Value::String(s) => Ok(Value::Duration(Box::new(temporal::parse_duration(&s)?))),
            Value::Map(map) => {
                let mut entries = Vec::new();
                for (key, value) in &map {
                    let number = match value {
                        Value::Int(i) => DurationNumber::Int(*i),
                        Value::Float(f) => DurationNumber::Float(*f),
                        Value::Null => continue,
                        other => return Err(wrong_type("duration", "a number", other)),
                    };
                    entries.push((key.clone(), number));
                }
                Ok(Value::Duration(Box::new(temporal::duration_from_map(
                    &entries,
                )?)))
            }
            Value::Duration(d) => Ok(Value::Duration(d)),
            other => Err(wrong_type("duration", "a String or a Map", &other)),
        },
        Function::DurationBetween
        | Function::DurationInMonths
        | Function::DurationInDays
        | Function::DurationInSeconds => {
            let mut args = args.into_iter();
            let (from, to) = (
                args.next().unwrap_or_default(),
                args.next().unwrap_or_default(),
            );
            if from.is_null() || to.is_null() {
                return Ok(Value::Null);
            }
            let unit = match function {
                Function::DurationInMonths => BetweenUnit::Months,
                Function::DurationInDays => BetweenUnit::Days,
                Function::DurationInSeconds => BetweenUnit::Seconds,
                _ => BetweenUnit::All,
            };
            let (Some(a), Some(b)) = (moment(&from), moment(&to)) else {
                let bad = if moment(&from).is_none() { &from } else { &to };
                return Err(wrong_type("duration.between", "a temporal value", bad));
            };
            Ok(Value::Duration(Box::new(temporal::between(a, b, unit)?)))
        }
        other => Err(EngineError::internal(format!(
            "{other:?} is not a temporal function"
        ))),
    }
}

fn moment(value: &Value) -> Option<Moment> {
    Some(match value {
        Value::Date(d) => Moment::Date(*d),
        Value::LocalTime(t) => Moment::LocalTime(*t),
        Value::Time(t) => Moment::Time(*t),
        Value::LocalDateTime(dt) => Moment::LocalDateTime(*dt),
        Value::DateTime(dt) => Moment::DateTime(**dt),
        _ => return None,
    })
}

/// `date(x)`, `datetime(x)`, …: from text, a map, or another temporal value.
fn construct(kind: TemporalKind, arg: Value, ctx: &mut ExecCtx<'_>) -> Result<Value> {
    let default_zone = ctx.default_zone();
    let now_utc = ctx.statement_time();
    let default_offset = || {
        DateTime::from_instant(now_utc, default_zone)
            .map(|d| d.offset)
            .unwrap_or(0)
    };
    Ok(match (kind, arg) {
        (TemporalKind::Date, Value::String(s)) => Value::Date(temporal::parse_date(&s)?),
        (TemporalKind::LocalTime, Value::String(s)) => {
            Value::LocalTime(temporal::parse_local_time(&s)?)
        }
        (TemporalKind::Time, Value::String(s)) => {
            Value::Time(temporal::parse_time(&s, default_offset)?)
        }
        (TemporalKind::LocalDateTime, Value::String(s)) => {
            Value::LocalDateTime(temporal::parse_local_datetime(&s)?)
        }
        (TemporalKind::DateTime, Value::String(s)) => {
            Value::DateTime(Box::new(temporal::parse_datetime(&s, default_zone)?))
        }
        (TemporalKind::Date, Value::Map(map)) => Value::Date(temporal::build_date(&map)?),
        (TemporalKind::LocalTime, Value::Map(map)) => {
            Value::LocalTime(temporal::build_local_time(&map)?)
        }
        (TemporalKind::Time, Value::Map(map)) => {
            Value::Time(temporal::build_time(&map, default_zone, now_utc)?)
        }
        (TemporalKind::LocalDateTime, Value::Map(map)) => {
            Value::LocalDateTime(temporal::build_local_datetime(&map)?)
        }
        (TemporalKind::DateTime, Value::Map(map)) => {
            Value::DateTime(Box::new(temporal::build_datetime(&map, default_zone)?))
        }
        (kind, other) => select(kind, other, default_zone, now_utc)?,
    })
}

/// A temporal value of `kind` taken from another temporal value.
fn select(
    kind: TemporalKind,
    value: Value,
    default_zone: Zone,
    now_utc: LocalDateTime,
) -> Result<Value> {
    let fail = |v: &Value| wrong_type(kind_name(kind), "a String, a Map or a temporal value", v);
    let (date, time, zone): (Option<Date>, Option<LocalTime>, Option<(i32, Zone)>) = match &value {
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
        _ => return Err(fail(&value)),
    };
    Ok(match kind {
        TemporalKind::Date => Value::Date(date.ok_or_else(|| fail(&value))?),
        TemporalKind::LocalTime => Value::LocalTime(time.ok_or_else(|| fail(&value))?),
        TemporalKind::Time => {
            let local = time.ok_or_else(|| fail(&value))?;
            let offset = match zone {
                Some((offset, _)) => offset,
                None => DateTime::from_instant(now_utc, default_zone)?.offset,
            };
            Value::Time(Time { local, offset })
        }
        TemporalKind::LocalDateTime => Value::LocalDateTime(LocalDateTime {
            date: date.ok_or_else(|| fail(&value))?,
            time: time.unwrap_or(LocalTime { nanos: 0 }),
        }),
        TemporalKind::DateTime => {
            let local = LocalDateTime {
                date: date.ok_or_else(|| fail(&value))?,
                time: time.unwrap_or(LocalTime { nanos: 0 }),
            };
            match zone {
                Some((offset, zone @ Zone::Offset(_))) => Value::DateTime(Box::new(DateTime {
                    local,
                    offset,
                    zone,
                })),
                Some((_, zone)) => Value::DateTime(Box::new(DateTime::from_local(local, zone)?)),
                None => Value::DateTime(Box::new(DateTime::from_local(local, default_zone)?)),
            }
        }
    })
}
