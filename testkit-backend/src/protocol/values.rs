//! Cypher values as testkit writes them (`nutkit/protocol/cypher.py`), and
//! their conversion to and from the driver's [`Value`].
//!
//! Every value travels as `{"name": <type>, "data": {...}}`. Floats that JSON
//! cannot hold travel as the strings `"NaN"`, `"+Infinity"` and `"-Infinity"`;
//! bytes as hex pairs separated by spaces (`"ff 01"`).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, Timelike};
use chrono_tz::Tz;
use neo_bolt::packstream::{
    Date, DateTime, DateTimeZoneId, Duration, LocalDateTime, LocalTime, Map, Node, Path, Point2D,
    Point3D, Relationship, Time,
};
use neo_runtime::{FromValue, Value};
use serde::{Deserialize, Serialize};

/// Days from 0001-01-01 (day 1 of the proleptic Gregorian calendar) to
/// 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;
const NANOS_PER_SECOND: i64 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;

/// The spatial reference ids of the two coordinate systems, in 2D and 3D.
const SRID_CARTESIAN_2D: i64 = 7203;
const SRID_CARTESIAN_3D: i64 = 9157;
const SRID_WGS84_2D: i64 = 4326;
const SRID_WGS84_3D: i64 = 4979;

/// One Cypher value in testkit's encoding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", content = "data")]
pub(crate) enum CypherValue {
    /// `null`.
    CypherNull {
        #[serde(default)]
        value: Option<()>,
    },
    /// A boolean.
    CypherBool { value: bool },
    /// A 64-bit integer.
    CypherInt { value: i64 },
    /// A float, with the special values spelled out.
    CypherFloat { value: Float },
    /// A string.
    CypherString { value: String },
    /// Bytes as `"ff 01"`.
    CypherBytes { value: String },
    /// A list.
    CypherList { value: Vec<CypherValue> },
    /// A map with string keys.
    CypherMap {
        value: BTreeMap<String, CypherValue>,
    },
    /// A node (only ever received from the server).
    #[serde(rename = "Node", alias = "CypherNode", rename_all = "camelCase")]
    Node {
        id: Box<CypherValue>,
        labels: Box<CypherValue>,
        props: Box<CypherValue>,
        element_id: Box<CypherValue>,
    },
    /// A relationship with its end points.
    #[serde(
        rename = "Relationship",
        alias = "CypherRelationship",
        rename_all = "camelCase"
    )]
    Relationship {
        id: Box<CypherValue>,
        start_node_id: Box<CypherValue>,
        end_node_id: Box<CypherValue>,
        #[serde(rename = "type")]
        rel_type: Box<CypherValue>,
        props: Box<CypherValue>,
        element_id: Box<CypherValue>,
        start_node_element_id: Box<CypherValue>,
        end_node_element_id: Box<CypherValue>,
    },
    /// A path: its nodes in walk order and its relationships, bound.
    #[serde(rename = "Path", alias = "CypherPath")]
    Path {
        nodes: Box<CypherValue>,
        relationships: Box<CypherValue>,
    },
    /// A point in a cartesian or WGS-84 system.
    CypherPoint {
        system: String,
        x: f64,
        y: f64,
        #[serde(default)]
        z: Option<f64>,
    },
    /// A date.
    CypherDate { year: i64, month: u32, day: u32 },
    /// A time of day, with an offset unless local.
    CypherTime {
        hour: u32,
        minute: u32,
        second: u32,
        nanosecond: u32,
        #[serde(default)]
        utc_offset_s: Option<i64>,
    },
    /// A wall-clock date-time, with an offset (and maybe a zone) unless local.
    CypherDateTime {
        year: i64,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
        nanosecond: u32,
        #[serde(default)]
        utc_offset_s: Option<i64>,
        #[serde(default)]
        timezone_id: Option<String>,
    },
    /// A duration.
    CypherDuration {
        months: i64,
        days: i64,
        seconds: i64,
        nanoseconds: i64,
    },
}

/// A float that may be NaN or infinite, as testkit spells those.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Float(pub(crate) f64);

impl PartialEq for Float {
    /// NaN equals NaN here, as in testkit: the values describe what travels.
    fn eq(&self, other: &Self) -> bool {
        (self.0.is_nan() && other.0.is_nan()) || self.0 == other.0
    }
}

impl Serialize for Float {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.0;
        if value.is_nan() {
            serializer.serialize_str("NaN")
        } else if value == f64::INFINITY {
            serializer.serialize_str("+Infinity")
        } else if value == f64::NEG_INFINITY {
            serializer.serialize_str("-Infinity")
        } else {
            serializer.serialize_f64(value)
        }
    }
}

impl<'de> Deserialize<'de> for Float {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Number(f64),
            Text(String),
        }
        match Repr::deserialize(deserializer)? {
            Repr::Number(value) => Ok(Float(value)),
            Repr::Text(text) => match text.as_str() {
                "NaN" => Ok(Float(f64::NAN)),
                "+Infinity" | "Infinity" => Ok(Float(f64::INFINITY)),
                "-Infinity" => Ok(Float(f64::NEG_INFINITY)),
                other => Err(serde::de::Error::custom(format!(
                    "`{other}` is not a float (numbers, \"NaN\", \"+Infinity\" or \"-Infinity\")"
                ))),
            },
        }
    }
}

/// Why a value cannot be converted.
#[derive(Debug)]
pub(crate) enum ValueError {
    /// It has no counterpart on the other side (a backend limit).
    Unsupported(String),
    /// The driver's own conversion refused it (as it would for an
    /// application): reported to the test as a driver error.
    Driver(neo_runtime::Error),
}

impl ValueError {
    fn new(message: impl Into<String>) -> Self {
        ValueError::Unsupported(message.into())
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueError::Unsupported(message) => f.write_str(message),
            ValueError::Driver(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for ValueError {}

impl CypherValue {
    /// `null`.
    pub(crate) fn null() -> Self {
        CypherValue::CypherNull { value: None }
    }

    /// A string.
    pub(crate) fn string(value: impl Into<String>) -> Self {
        CypherValue::CypherString {
            value: value.into(),
        }
    }

    /// An integer.
    pub(crate) fn int(value: i64) -> Self {
        CypherValue::CypherInt { value }
    }

    /// Converts a value received from testkit into a driver value (for
    /// query parameters and transaction metadata).
    pub(crate) fn into_value(self) -> Result<Value, ValueError> {
        Ok(match self {
            CypherValue::CypherNull { .. } => Value::Null,
            CypherValue::CypherBool { value } => Value::Boolean(value),
            CypherValue::CypherInt { value } => Value::Integer(value),
            CypherValue::CypherFloat { value } => Value::Float(value.0),
            CypherValue::CypherString { value } => Value::String(value),
            CypherValue::CypherBytes { value } => Value::Bytes(parse_hex_bytes(&value)?),
            CypherValue::CypherList { value } => Value::List(
                value
                    .into_iter()
                    .map(CypherValue::into_value)
                    .collect::<Result<_, _>>()?,
            ),
            CypherValue::CypherMap { value } => Value::Map(into_map(value)?),
            CypherValue::Node { .. }
            | CypherValue::Relationship { .. }
            | CypherValue::Path { .. } => {
                return Err(ValueError::new(
                    "nodes, relationships and paths cannot be sent as parameters",
                ));
            }
            CypherValue::CypherPoint { system, x, y, z } => point(&system, x, y, z)?,
            CypherValue::CypherDate { year, month, day } => Value::Date(Date {
                days: days_since_epoch(year, month, day)?,
            }),
            CypherValue::CypherTime {
                hour,
                minute,
                second,
                nanosecond,
                utc_offset_s,
            } => {
                let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanosecond)
                    .ok_or_else(|| {
                        ValueError::new(format!(
                            "{hour:02}:{minute:02}:{second:02}.{nanosecond:09} is not a time of day"
                        ))
                    })?;
                let nanoseconds = nanos_of_day(time);
                match utc_offset_s {
                    None => Value::LocalTime(LocalTime { nanoseconds }),
                    Some(offset) => Value::Time(Time {
                        nanoseconds,
                        tz_offset_seconds: offset,
                    }),
                }
            }
            CypherValue::CypherDateTime {
                year,
                month,
                day,
                hour,
                minute,
                second,
                nanosecond,
                utc_offset_s,
                timezone_id,
            } => {
                let days = days_since_epoch(year, month, day)?;
                let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanosecond)
                    .ok_or_else(|| {
                        ValueError::new(format!(
                            "{hour:02}:{minute:02}:{second:02}.{nanosecond:09} is not a time of day"
                        ))
                    })?;
                let local_seconds =
                    days * SECONDS_PER_DAY + i64::from(time.num_seconds_from_midnight());
                let nanoseconds = i64::from(nanosecond);
                match (utc_offset_s, timezone_id) {
                    (None, None) => Value::LocalDateTime(LocalDateTime {
                        seconds: local_seconds,
                        nanoseconds,
                    }),
                    (None, Some(zone)) => {
                        return Err(ValueError::new(format!(
                            "a date-time in zone `{zone}` needs its UTC offset"
                        )));
                    }
                    (Some(offset), None) => Value::DateTime(DateTime {
                        seconds: local_seconds - offset,
                        nanoseconds,
                        tz_offset_seconds: offset,
                    }),
                    (Some(offset), Some(zone)) => Value::DateTimeZoneId(DateTimeZoneId {
                        seconds: local_seconds - offset,
                        nanoseconds,
                        tz_id: zone,
                    }),
                }
            }
            CypherValue::CypherDuration {
                months,
                days,
                seconds,
                nanoseconds,
            } => Value::Duration(Duration {
                months,
                days,
                seconds,
                nanoseconds,
            }),
        })
    }

    /// Converts a value the driver received into testkit's encoding.
    pub(crate) fn from_value(value: &Value) -> Result<Self, ValueError> {
        Ok(match value {
            Value::Null => CypherValue::null(),
            Value::Boolean(value) => CypherValue::CypherBool { value: *value },
            Value::Integer(value) => CypherValue::int(*value),
            Value::Float(value) => CypherValue::CypherFloat {
                value: Float(*value),
            },
            Value::Bytes(bytes) => CypherValue::CypherBytes {
                value: hex_bytes(bytes),
            },
            Value::String(value) => CypherValue::string(value.clone()),
            Value::List(items) => CypherValue::CypherList {
                value: items
                    .iter()
                    .map(CypherValue::from_value)
                    .collect::<Result<_, _>>()?,
            },
            Value::Map(map) => CypherValue::CypherMap {
                value: from_map(map)?,
            },
            Value::Node(node) => from_node(node)?,
            Value::Relationship(relationship) => from_relationship(relationship)?,
            Value::UnboundRelationship(_) => {
                return Err(ValueError::new(
                    "a relationship without end points can only appear inside a path",
                ));
            }
            Value::Path(path) => from_path(path)?,
            Value::Vector(_) | Value::Unsupported(_) => {
                return Err(ValueError::new(format!(
                    "a {} has no encoding in this testkit revision",
                    value.type_name()
                )));
            }
            Value::Date(date) => {
                let date = date_from_days(date.days)?;
                CypherValue::CypherDate {
                    year: i64::from(date.year()),
                    month: date.month(),
                    day: date.day(),
                }
            }
            Value::Time(time) => {
                let (hour, minute, second, nanosecond) = time_of_day(time.nanoseconds)?;
                CypherValue::CypherTime {
                    hour,
                    minute,
                    second,
                    nanosecond,
                    utc_offset_s: Some(time.tz_offset_seconds),
                }
            }
            Value::LocalTime(time) => {
                let (hour, minute, second, nanosecond) = time_of_day(time.nanoseconds)?;
                CypherValue::CypherTime {
                    hour,
                    minute,
                    second,
                    nanosecond,
                    utc_offset_s: None,
                }
            }
            Value::DateTime(date_time) => wall_clock(
                date_time.local_seconds(),
                date_time.nanoseconds,
                Some(date_time.tz_offset_seconds),
                None,
            )?,
            // Zone rules are the driver's (`chrono-tz`): a zone it does not
            // know is its error, as an application would see it.
            Value::DateTimeZoneId(_) | Value::LegacyDateTimeZoneId(_) => {
                let zoned = chrono::DateTime::<Tz>::from_value(value.clone())
                    .map_err(ValueError::Driver)?;
                let offset = i64::from(zoned.offset().fix().local_minus_utc());
                let local = zoned.naive_local();
                CypherValue::CypherDateTime {
                    year: i64::from(local.year()),
                    month: local.month(),
                    day: local.day(),
                    hour: local.hour(),
                    minute: local.minute(),
                    second: local.second(),
                    nanosecond: local.nanosecond(),
                    utc_offset_s: Some(offset),
                    timezone_id: Some(zoned.timezone().name().to_owned()),
                }
            }
            Value::LocalDateTime(date_time) => {
                wall_clock(date_time.seconds, date_time.nanoseconds, None, None)?
            }
            Value::Duration(duration) => CypherValue::CypherDuration {
                months: duration.months,
                days: duration.days,
                seconds: duration.seconds,
                nanoseconds: duration.nanoseconds,
            },
            Value::Point2D(point) => CypherValue::CypherPoint {
                system: system_of(point.srid)?.to_owned(),
                x: point.x,
                y: point.y,
                z: None,
            },
            Value::Point3D(point) => CypherValue::CypherPoint {
                system: system_of(point.srid)?.to_owned(),
                x: point.x,
                y: point.y,
                z: Some(point.z),
            },
        })
    }
}

/// Converts a plain JSON value (as testkit writes auth token parameters)
/// into a driver value; objects shaped like a Cypher value are read as one.
pub(crate) fn from_plain_json(json: serde_json::Value) -> Result<Value, ValueError> {
    use serde_json::Value as Json;
    Ok(match json {
        Json::Null => Value::Null,
        Json::Bool(value) => Value::Boolean(value),
        Json::Number(number) => match number.as_i64() {
            Some(integer) => Value::Integer(integer),
            None => Value::Float(number.as_f64().ok_or_else(|| {
                ValueError::new(format!("{number} is neither an integer nor a float"))
            })?),
        },
        Json::String(text) => Value::String(text),
        Json::Array(items) => Value::List(
            items
                .into_iter()
                .map(from_plain_json)
                .collect::<Result<_, _>>()?,
        ),
        Json::Object(object) => {
            let typed = object.len() <= 2
                && object
                    .get("name")
                    .and_then(Json::as_str)
                    .is_some_and(|name| name.starts_with("Cypher"));
            if typed {
                let value: CypherValue = serde_json::from_value(Json::Object(object))
                    .map_err(|error| ValueError::new(error.to_string()))?;
                return value.into_value();
            }
            Value::Map(
                object
                    .into_iter()
                    .map(|(key, value)| from_plain_json(value).map(|value| (key, value)))
                    .collect::<Result<_, _>>()?,
            )
        }
    })
}

/// Converts testkit's map of values (parameters, metadata) into a driver map.
pub(crate) fn into_map(map: BTreeMap<String, CypherValue>) -> Result<Map, ValueError> {
    map.into_iter()
        .map(|(key, value)| value.into_value().map(|value| (key, value)))
        .collect()
}

/// Converts a driver map into testkit's encoding.
pub(crate) fn from_map(map: &Map) -> Result<BTreeMap<String, CypherValue>, ValueError> {
    map.iter()
        .map(|(key, value)| CypherValue::from_value(value).map(|value| (key.clone(), value)))
        .collect()
}

fn from_node(node: &Node) -> Result<CypherValue, ValueError> {
    Ok(CypherValue::Node {
        id: Box::new(CypherValue::int(node.id)),
        labels: Box::new(CypherValue::CypherList {
            value: node.labels.iter().map(CypherValue::string).collect(),
        }),
        props: Box::new(CypherValue::CypherMap {
            value: from_map(&node.properties)?,
        }),
        element_id: Box::new(CypherValue::string(node.element_id.clone())),
    })
}

fn from_relationship(relationship: &Relationship) -> Result<CypherValue, ValueError> {
    Ok(CypherValue::Relationship {
        id: Box::new(CypherValue::int(relationship.id)),
        start_node_id: Box::new(CypherValue::int(relationship.start_node_id)),
        end_node_id: Box::new(CypherValue::int(relationship.end_node_id)),
        rel_type: Box::new(CypherValue::string(relationship.rel_type.clone())),
        props: Box::new(CypherValue::CypherMap {
            value: from_map(&relationship.properties)?,
        }),
        element_id: Box::new(CypherValue::string(relationship.element_id.clone())),
        start_node_element_id: Box::new(CypherValue::string(
            relationship.start_node_element_id.clone(),
        )),
        end_node_element_id: Box::new(CypherValue::string(
            relationship.end_node_element_id.clone(),
        )),
    })
}

fn from_path(path: &Path) -> Result<CypherValue, ValueError> {
    let malformed =
        || ValueError::new("a path whose indices do not fit its nodes and relationships");
    let nodes = path.walk_nodes().ok_or_else(malformed)?;
    let segments = path.segments().ok_or_else(malformed)?;
    Ok(CypherValue::Path {
        nodes: Box::new(CypherValue::CypherList {
            value: nodes.into_iter().map(from_node).collect::<Result<_, _>>()?,
        }),
        relationships: Box::new(CypherValue::CypherList {
            value: segments
                .iter()
                .map(|segment| from_relationship(&segment.relationship))
                .collect::<Result<_, _>>()?,
        }),
    })
}

fn point(system: &str, x: f64, y: f64, z: Option<f64>) -> Result<Value, ValueError> {
    let (srid_2d, srid_3d) = match system {
        "cartesian" => (SRID_CARTESIAN_2D, SRID_CARTESIAN_3D),
        "wgs84" => (SRID_WGS84_2D, SRID_WGS84_3D),
        other => {
            return Err(ValueError::new(format!(
                "unknown coordinate system `{other}` (expected cartesian or wgs84)"
            )));
        }
    };
    Ok(match z {
        None => Value::Point2D(Point2D {
            srid: srid_2d,
            x,
            y,
        }),
        Some(z) => Value::Point3D(Point3D {
            srid: srid_3d,
            x,
            y,
            z,
        }),
    })
}

fn system_of(srid: i64) -> Result<&'static str, ValueError> {
    match srid {
        SRID_CARTESIAN_2D | SRID_CARTESIAN_3D => Ok("cartesian"),
        SRID_WGS84_2D | SRID_WGS84_3D => Ok("wgs84"),
        other => Err(ValueError::new(format!(
            "points of SRID {other} have no testkit encoding"
        ))),
    }
}

/// `"ff 01"` (or `"ff01"`) as bytes.
fn parse_hex_bytes(text: &str) -> Result<Vec<u8>, ValueError> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|byte| !byte.is_ascii_whitespace())
        .collect();
    if !digits.len().is_multiple_of(2) {
        return Err(ValueError::new(format!(
            "`{text}` is not a sequence of hex byte pairs"
        )));
    }
    digits
        .chunks_exact(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| ValueError::new(format!("`{text}` holds a byte that is not hex")))
        })
        .collect()
}

/// Bytes as `"ff 01"`.
fn hex_bytes(bytes: &[u8]) -> String {
    let pairs: Vec<String> = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    pairs.join(" ")
}

fn days_since_epoch(year: i64, month: u32, day: u32) -> Result<i64, ValueError> {
    let date = i32::try_from(year)
        .ok()
        .and_then(|year| NaiveDate::from_ymd_opt(year, month, day))
        .ok_or_else(|| ValueError::new(format!("{year}-{month:02}-{day:02} is not a date")))?;
    Ok(i64::from(date.num_days_from_ce()) - UNIX_EPOCH_DAYS_FROM_CE)
}

fn date_from_days(days: i64) -> Result<NaiveDate, ValueError> {
    days.checked_add(UNIX_EPOCH_DAYS_FROM_CE)
        .and_then(|days| i32::try_from(days).ok())
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or_else(|| ValueError::new(format!("{days} days from 1970-01-01 is out of range")))
}

fn nanos_of_day(time: NaiveTime) -> i64 {
    i64::from(time.num_seconds_from_midnight()) * NANOS_PER_SECOND + i64::from(time.nanosecond())
}

fn time_of_day(nanoseconds: i64) -> Result<(u32, u32, u32, u32), ValueError> {
    if !(0..SECONDS_PER_DAY * NANOS_PER_SECOND).contains(&nanoseconds) {
        return Err(ValueError::new(format!(
            "{nanoseconds} ns is not a time of day"
        )));
    }
    let seconds = nanoseconds / NANOS_PER_SECOND;
    let nanosecond = nanoseconds % NANOS_PER_SECOND;
    let narrow = |n: i64| u32::try_from(n).unwrap_or_default();
    Ok((
        narrow(seconds / 3600),
        narrow(seconds / 60 % 60),
        narrow(seconds % 60),
        narrow(nanosecond),
    ))
}

/// A `CypherDateTime` from wall-clock seconds since 1970-01-01T00:00.
fn wall_clock(
    local_seconds: i64,
    nanoseconds: i64,
    utc_offset_s: Option<i64>,
    timezone_id: Option<String>,
) -> Result<CypherValue, ValueError> {
    let local = naive_local(local_seconds, nanoseconds)?;
    Ok(CypherValue::CypherDateTime {
        year: i64::from(local.year()),
        month: local.month(),
        day: local.day(),
        hour: local.hour(),
        minute: local.minute(),
        second: local.second(),
        nanosecond: local.nanosecond(),
        utc_offset_s,
        timezone_id,
    })
}

fn naive_local(local_seconds: i64, nanoseconds: i64) -> Result<NaiveDateTime, ValueError> {
    let nanos = u32::try_from(nanoseconds)
        .ok()
        .filter(|n| i64::from(*n) < NANOS_PER_SECOND)
        .ok_or_else(|| ValueError::new(format!("{nanoseconds} ns is not within a second")))?;
    chrono::DateTime::from_timestamp(local_seconds, nanos)
        .map(|instant| instant.naive_utc())
        .ok_or_else(|| ValueError::new(format!("{local_seconds} s from 1970 is out of range")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use neo_bolt::packstream::LegacyDateTimeZoneId;
    use serde_json::json;

    fn decode(json: serde_json::Value) -> CypherValue {
        serde_json::from_value(json).unwrap()
    }

    fn encode(value: &CypherValue) -> serde_json::Value {
        serde_json::to_value(value).unwrap()
    }

    #[test]
    fn scalars_read_as_testkit_writes_them() {
        assert_eq!(
            decode(json!({"name": "CypherNull", "data": {"value": null}})),
            CypherValue::null()
        );
        assert_eq!(
            decode(json!({"name": "CypherInt", "data": {"value": -3}})),
            CypherValue::int(-3)
        );
        assert_eq!(
            decode(json!({"name": "CypherString", "data": {"value": "x"}}))
                .into_value()
                .unwrap(),
            Value::from("x")
        );
        assert_eq!(
            decode(json!({"name": "CypherBytes", "data": {"value": "00 ff 1a"}}))
                .into_value()
                .unwrap(),
            Value::Bytes(vec![0x00, 0xff, 0x1a])
        );
    }

    #[test]
    fn special_floats_travel_as_strings_both_ways() {
        for (text, value) in [
            ("NaN", f64::NAN),
            ("+Infinity", f64::INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
        ] {
            let read = decode(json!({"name": "CypherFloat", "data": {"value": text}}));
            let Value::Float(got) = read.into_value().unwrap() else {
                panic!("not a float");
            };
            assert!(got.is_nan() == value.is_nan() && (value.is_nan() || got == value));
            let written = encode(&CypherValue::from_value(&Value::Float(value)).unwrap());
            assert_eq!(
                written,
                json!({"name": "CypherFloat", "data": {"value": text}})
            );
        }
        let plain = encode(&CypherValue::from_value(&Value::Float(1.5)).unwrap());
        assert_eq!(
            plain,
            json!({"name": "CypherFloat", "data": {"value": 1.5}})
        );
        assert!(
            serde_json::from_value::<CypherValue>(
                json!({"name": "CypherFloat", "data": {"value": "lots"}})
            )
            .is_err()
        );
    }

    #[test]
    fn nested_collections_round_trip() {
        let json = json!({"name": "CypherMap", "data": {"value": {
            "a": {"name": "CypherList", "data": {"value": [
                {"name": "CypherInt", "data": {"value": 1}},
                {"name": "CypherBool", "data": {"value": true}},
                {"name": "CypherNull", "data": {"value": null}}
            ]}}
        }}});
        let value = decode(json.clone()).into_value().unwrap();
        assert_eq!(
            value.as_map().unwrap()["a"].as_list().unwrap()[0],
            Value::Integer(1)
        );
        assert_eq!(encode(&CypherValue::from_value(&value).unwrap()), json);
    }

    #[test]
    fn bytes_are_written_as_spaced_hex_pairs() {
        let written = encode(&CypherValue::from_value(&Value::Bytes(vec![0xff, 1])).unwrap());
        assert_eq!(
            written,
            json!({"name": "CypherBytes", "data": {"value": "ff 01"}})
        );
        assert!(parse_hex_bytes("f").is_err());
        assert!(parse_hex_bytes("zz").is_err());
        assert_eq!(parse_hex_bytes("").unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn nodes_carry_ids_labels_properties_and_element_ids() {
        let node = Node {
            id: 123,
            labels: vec!["l1".into(), "l2".into()],
            properties: Map::from([("a".to_owned(), Value::from(1))]),
            element_id: "n1-123".into(),
        };
        let written = encode(&CypherValue::from_value(&Value::Node(Box::new(node))).unwrap());
        assert_eq!(
            written,
            json!({"name": "Node", "data": {
                "id": {"name": "CypherInt", "data": {"value": 123}},
                "labels": {"name": "CypherList", "data": {"value": [
                    {"name": "CypherString", "data": {"value": "l1"}},
                    {"name": "CypherString", "data": {"value": "l2"}}
                ]}},
                "props": {"name": "CypherMap", "data": {"value": {
                    "a": {"name": "CypherInt", "data": {"value": 1}}
                }}},
                "elementId": {"name": "CypherString", "data": {"value": "n1-123"}}
            }})
        );
    }

    #[test]
    fn paths_are_written_in_walk_order_with_bound_relationships() {
        use neo_bolt::packstream::UnboundRelationship;
        let a = Node::new(1, ["A"], Vec::<(&str, Value)>::new());
        let b = Node::new(2, ["B"], Vec::<(&str, Value)>::new());
        let knows = UnboundRelationship {
            id: 9,
            rel_type: "KNOWS".into(),
            element_id: "9".into(),
            ..Default::default()
        };
        // a <-[:KNOWS]- b -[:KNOWS]-> a
        let path = Path {
            nodes: vec![a, b],
            relationships: vec![knows],
            indices: vec![-1, 1, 1, 0],
        };
        let CypherValue::Path {
            nodes,
            relationships,
        } = CypherValue::from_value(&Value::Path(Box::new(path))).unwrap()
        else {
            panic!("not a path");
        };
        let CypherValue::CypherList { value: nodes } = *nodes else {
            panic!()
        };
        let ids: Vec<_> = nodes
            .iter()
            .map(|node| match node {
                CypherValue::Node { id, .. } => (**id).clone(),
                _ => panic!(),
            })
            .collect();
        assert_eq!(ids, [1, 2, 1].map(CypherValue::int));
        let CypherValue::CypherList {
            value: relationships,
        } = *relationships
        else {
            panic!()
        };
        let ends: Vec<_> = relationships
            .iter()
            .map(|rel| match rel {
                CypherValue::Relationship {
                    start_node_id,
                    end_node_id,
                    ..
                } => ((**start_node_id).clone(), (**end_node_id).clone()),
                _ => panic!(),
            })
            .collect();
        assert_eq!(
            ends,
            [
                (CypherValue::int(2), CypherValue::int(1)),
                (CypherValue::int(2), CypherValue::int(1))
            ]
        );
    }

    #[test]
    fn graph_values_cannot_be_parameters() {
        let node = CypherValue::Node {
            id: Box::new(CypherValue::int(1)),
            labels: Box::new(CypherValue::CypherList { value: vec![] }),
            props: Box::new(CypherValue::CypherMap {
                value: BTreeMap::new(),
            }),
            element_id: Box::new(CypherValue::string("1")),
        };
        assert!(node.into_value().is_err());
    }

    #[test]
    fn dates_and_times_convert_both_ways() {
        let date =
            decode(json!({"name": "CypherDate", "data": {"year": 2024, "month": 2, "day": 29}}));
        let value = date.clone().into_value().unwrap();
        assert_eq!(value, Value::Date(Date { days: 19_782 }));
        assert_eq!(CypherValue::from_value(&value).unwrap(), date);

        let time = decode(json!({"name": "CypherTime", "data": {
            "hour": 1, "minute": 2, "second": 3, "nanosecond": 4, "utc_offset_s": -3600}}));
        let value = time.clone().into_value().unwrap();
        assert_eq!(
            value,
            Value::Time(Time {
                nanoseconds: 3_723_000_000_004,
                tz_offset_seconds: -3600
            })
        );
        assert_eq!(CypherValue::from_value(&value).unwrap(), time);

        assert!(
            decode(json!({"name": "CypherDate", "data": {"year": 2023, "month": 2, "day": 29}}))
                .into_value()
                .is_err()
        );
    }

    #[test]
    fn date_times_keep_wall_clock_offset_and_zone() {
        let with_offset = decode(json!({"name": "CypherDateTime", "data": {
            "year": 1970, "month": 1, "day": 1, "hour": 2, "minute": 15, "second": 0,
            "nanosecond": 42, "utc_offset_s": 3600}}));
        let value = with_offset.clone().into_value().unwrap();
        assert_eq!(
            value,
            Value::DateTime(DateTime {
                seconds: 4500,
                nanoseconds: 42,
                tz_offset_seconds: 3600
            })
        );
        assert_eq!(CypherValue::from_value(&value).unwrap(), with_offset);

        let zoned = decode(json!({"name": "CypherDateTime", "data": {
            "year": 2022, "month": 6, "day": 7, "hour": 11, "minute": 52, "second": 5,
            "nanosecond": 0, "utc_offset_s": 7200, "timezone_id": "Europe/Stockholm"}}));
        let value = zoned.clone().into_value().unwrap();
        let Value::DateTimeZoneId(ref instant) = value else {
            panic!("{value:?}")
        };
        assert_eq!(instant.seconds, 1_654_595_525);
        // The offset comes back from the zone's rules (summer time).
        assert_eq!(CypherValue::from_value(&value).unwrap(), zoned);

        let winter = Value::DateTimeZoneId(DateTimeZoneId {
            seconds: 1_641_038_400, // 2022-01-01T12:00Z
            nanoseconds: 0,
            tz_id: "Europe/Stockholm".into(),
        });
        let CypherValue::CypherDateTime {
            hour, utc_offset_s, ..
        } = CypherValue::from_value(&winter).unwrap()
        else {
            panic!()
        };
        assert_eq!((hour, utc_offset_s), (13, Some(3600)));

        let unknown_zone = Value::DateTimeZoneId(DateTimeZoneId {
            seconds: 0,
            nanoseconds: 0,
            tz_id: "Moon/Base".into(),
        });
        assert!(CypherValue::from_value(&unknown_zone).is_err());
    }

    #[test]
    fn legacy_zoned_date_times_take_the_offset_of_their_wall_clock() {
        let legacy = Value::LegacyDateTimeZoneId(LegacyDateTimeZoneId {
            local_seconds: 1_654_602_725, // 2022-06-07T11:52:05 wall clock
            nanoseconds: 7,
            tz_id: "Europe/Stockholm".into(),
        });
        assert_eq!(
            CypherValue::from_value(&legacy).unwrap(),
            CypherValue::CypherDateTime {
                year: 2022,
                month: 6,
                day: 7,
                hour: 11,
                minute: 52,
                second: 5,
                nanosecond: 7,
                utc_offset_s: Some(7200),
                timezone_id: Some("Europe/Stockholm".into()),
            }
        );
    }

    #[test]
    fn local_date_times_and_durations() {
        let local = decode(json!({"name": "CypherDateTime", "data": {
            "year": 1969, "month": 12, "day": 31, "hour": 23, "minute": 59, "second": 59,
            "nanosecond": 999_999_999, "utc_offset_s": null, "timezone_id": null}}));
        let value = local.clone().into_value().unwrap();
        assert_eq!(
            value,
            Value::LocalDateTime(LocalDateTime {
                seconds: -1,
                nanoseconds: 999_999_999
            })
        );
        assert_eq!(CypherValue::from_value(&value).unwrap(), local);

        let duration = decode(json!({"name": "CypherDuration", "data": {
            "months": 1, "days": -2, "seconds": 3, "nanoseconds": 4}}));
        assert_eq!(
            CypherValue::from_value(&duration.clone().into_value().unwrap()).unwrap(),
            duration
        );
    }

    #[test]
    fn plain_json_reads_scalars_nested_values_and_typed_values() {
        let value = from_plain_json(json!({
            "sky?": "no", "my eyes": 0.1, "answer": 42, "yes": true, "none": null,
            "list": [1, "a"],
            "typed": {"name": "CypherInt", "data": {"value": 7}}
        }))
        .unwrap();
        let map = value.as_map().unwrap();
        assert_eq!(map["sky?"], Value::from("no"));
        assert_eq!(map["my eyes"], Value::Float(0.1));
        assert_eq!(map["answer"], Value::Integer(42));
        assert_eq!(map["yes"], Value::Boolean(true));
        assert_eq!(map["none"], Value::Null);
        assert_eq!(
            map["list"],
            Value::from(vec![Value::from(1), Value::from("a")])
        );
        assert_eq!(map["typed"], Value::Integer(7));
    }

    #[test]
    fn points_map_systems_to_srids() {
        let point = decode(json!({"name": "CypherPoint", "data": {
            "system": "wgs84", "x": 1.5, "y": 2.5, "z": 3.5}}));
        let value = point.clone().into_value().unwrap();
        assert_eq!(
            value,
            Value::Point3D(Point3D {
                srid: 4979,
                x: 1.5,
                y: 2.5,
                z: 3.5
            })
        );
        assert_eq!(CypherValue::from_value(&value).unwrap(), point);
        assert!(
            decode(json!({"name": "CypherPoint", "data": {"system": "mars", "x": 1.0, "y": 2.0}}))
                .into_value()
                .is_err()
        );
    }
}
