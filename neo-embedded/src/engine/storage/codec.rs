//! Property values as the store keeps them.
//!
//! `marsdb-graph` stores scalars, temporal values and lists natively. Byte
//! arrays and points, which it lacks, are stored as one-entry maps under a
//! reserved key: a property can never be a map (Neo4j refuses maps as
//! property values, and so does [`to_property`]), so a stored map is always
//! one of these.

use std::collections::BTreeMap;

use marsdb_graph::{PropertyValue, TzId};

use crate::engine::error::{EngineError, Result};
use crate::engine::spatial::Point;
use crate::engine::temporal::{
    Date, DateTime, Duration, LocalDateTime, LocalTime, NANOS_PER_SECOND, Time, Zone, parse_zone,
};
use crate::engine::value::Value;

/// The key of a stored byte array (its bytes as Latin-1 characters).
const BYTES_KEY: &str = "\u{0}bytes";
/// The key of a stored point: `[srid, x, y(, z)]`.
const POINT_KEY: &str = "\u{0}point";

fn not_storable(value: &Value) -> EngineError {
    EngineError::type_error(format!(
        "Property values can only be of primitive types or arrays thereof. Encountered: {}.",
        describe(value)
    ))
}

fn describe(value: &Value) -> String {
    match value {
        Value::Map(map) => {
            let entries: Vec<String> = map.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            format!("Map{{{}}}", entries.join(", "))
        }
        other => other.to_string(),
    }
}

/// Whether a value may be stored as a property (`null` means "remove").
pub(crate) fn to_property(value: &Value) -> Result<PropertyValue> {
    Ok(match value {
        Value::List(items) => {
            let mut kind: Option<std::mem::Discriminant<Value>> = None;
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                if matches!(item, Value::List(_) | Value::Map(_) | Value::Null) {
                    return Err(EngineError::type_error(format!(
                        "Collections containing {} can not be stored in properties.",
                        match item {
                            Value::Null => "null values",
                            Value::List(_) => "collections",
                            _ => "maps",
                        }
                    )));
                }
                let this = std::mem::discriminant(item);
                if kind.is_some_and(|k| k != this) {
                    return Err(EngineError::type_error(
                        "Collections containing mixed types can not be stored in properties.",
                    ));
                }
                kind = Some(this);
                out.push(scalar(item)?);
            }
            PropertyValue::List(out)
        }
        other => scalar(other)?,
    })
}

fn scalar(value: &Value) -> Result<PropertyValue> {
    Ok(match value {
        Value::Bool(b) => PropertyValue::Bool(*b),
        Value::Int(i) => PropertyValue::Int(*i),
        Value::Float(f) => PropertyValue::Float(*f),
        Value::String(s) => PropertyValue::String(s.clone()),
        Value::Bytes(bytes) => PropertyValue::Map(BTreeMap::from([(
            BYTES_KEY.to_owned(),
            PropertyValue::String(bytes.iter().map(|b| char::from(*b)).collect()),
        )])),
        Value::Point(p) => {
            let mut coords = vec![
                PropertyValue::Int(p.crs.srid()),
                PropertyValue::Float(p.x),
                PropertyValue::Float(p.y),
            ];
            if let Some(z) = p.z {
                coords.push(PropertyValue::Float(z));
            }
            PropertyValue::Map(BTreeMap::from([(
                POINT_KEY.to_owned(),
                PropertyValue::List(coords),
            )]))
        }
        Value::Date(d) => PropertyValue::Date(d.days),
        Value::LocalTime(t) => PropertyValue::LocalTime(t.nanos),
        Value::Time(t) => PropertyValue::Time {
            nanos_of_day: t.local.nanos,
            offset_seconds: t.offset,
        },
        Value::LocalDateTime(dt) => PropertyValue::LocalDateTime {
            epoch_seconds: dt.epoch_second(),
            nanos: (dt.time.nanos % NANOS_PER_SECOND) as i32,
        },
        Value::DateTime(dt) => {
            let utc = dt.utc();
            PropertyValue::DateTime {
                epoch_seconds: utc.epoch_second(),
                nanos: (utc.time.nanos % NANOS_PER_SECOND) as i32,
                zone: match dt.zone {
                    Zone::Offset(offset) => TzId::Offset(offset),
                    Zone::Named(tz) => TzId::Named(tz.name().to_owned()),
                },
            }
        }
        Value::Duration(d) => PropertyValue::Duration {
            months: d.months,
            days: d.days,
            seconds: d.seconds,
            nanos: d.nanos as i32,
        },
        other => return Err(not_storable(other)),
    })
}

fn corrupt(what: &str) -> EngineError {
    EngineError::internal(format!("a stored property could not be read: {what}"))
}

/// A stored property as a value.
pub(crate) fn from_property(value: &PropertyValue) -> Result<Value> {
    Ok(match value {
        PropertyValue::Null => Value::Null,
        PropertyValue::Bool(b) => Value::Bool(*b),
        PropertyValue::Int(i) => Value::Int(*i),
        PropertyValue::Float(f) => Value::Float(*f),
        PropertyValue::String(s) => Value::String(s.clone()),
        PropertyValue::Date(days) => Value::Date(Date { days: *days }),
        PropertyValue::LocalTime(nanos) => Value::LocalTime(LocalTime { nanos: *nanos }),
        PropertyValue::Time {
            nanos_of_day,
            offset_seconds,
        } => Value::Time(Time {
            local: LocalTime {
                nanos: *nanos_of_day,
            },
            offset: *offset_seconds,
        }),
        PropertyValue::LocalDateTime {
            epoch_seconds,
            nanos,
        } => Value::LocalDateTime(LocalDateTime::from_epoch_second(
            *epoch_seconds,
            i64::from(*nanos),
        )?),
        PropertyValue::DateTime {
            epoch_seconds,
            nanos,
            zone,
        } => {
            let utc = LocalDateTime::from_epoch_second(*epoch_seconds, i64::from(*nanos))?;
            let zone = match zone {
                TzId::Offset(offset) => Zone::Offset(*offset),
                TzId::Named(name) => parse_zone(name).ok_or_else(|| corrupt("unknown zone"))?,
            };
            Value::DateTime(Box::new(DateTime::from_instant(utc, zone)?))
        }
        PropertyValue::Duration {
            months,
            days,
            seconds,
            nanos,
        } => Value::Duration(Box::new(Duration::from_parts(
            *months,
            *days,
            *seconds,
            i64::from(*nanos),
        )?)),
        PropertyValue::List(items) => {
            Value::List(items.iter().map(from_property).collect::<Result<_>>()?)
        }
        PropertyValue::Map(map) => {
            if let Some(PropertyValue::String(latin1)) = map.get(BYTES_KEY) {
                Value::Bytes(latin1.chars().map(|c| c as u32 as u8).collect())
            } else if let Some(PropertyValue::List(coords)) = map.get(POINT_KEY) {
                let number = |i: usize| match coords.get(i) {
                    Some(PropertyValue::Float(f)) => Ok(*f),
                    _ => Err(corrupt("point coordinate")),
                };
                let srid = match coords.first() {
                    Some(PropertyValue::Int(s)) => *s,
                    _ => return Err(corrupt("point srid")),
                };
                let z = if coords.len() == 4 {
                    Some(number(3)?)
                } else {
                    None
                };
                Value::Point(Box::new(Point::from_srid(srid, number(1)?, number(2)?, z)?))
            } else {
                return Err(corrupt("unexpected map"));
            }
        }
    })
}

/// Converts stored properties.
pub(crate) fn from_properties(
    props: &BTreeMap<String, PropertyValue>,
) -> Result<BTreeMap<String, Value>> {
    props
        .iter()
        .map(|(k, v)| Ok((k.clone(), from_property(v)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_and_points_round_trip() {
        let bytes = Value::Bytes(vec![0, 127, 128, 255]);
        let stored = to_property(&bytes).unwrap();
        assert!(
            matches!(from_property(&stored).unwrap(), Value::Bytes(b) if b == [0, 127, 128, 255])
        );
        let point = Value::Point(Box::new(
            Point::from_srid(9157, 1.0, 2.0, Some(3.0)).unwrap(),
        ));
        let stored = to_property(&point).unwrap();
        assert!(matches!(from_property(&stored).unwrap(), Value::Point(p) if p.z == Some(3.0)));
    }

    #[test]
    fn maps_and_mixed_lists_are_refused() {
        assert!(to_property(&Value::Map(BTreeMap::new())).is_err());
        assert!(to_property(&Value::List(vec![Value::Int(1), Value::Float(1.0)])).is_err());
        assert!(to_property(&Value::List(vec![])).is_ok());
    }
}
