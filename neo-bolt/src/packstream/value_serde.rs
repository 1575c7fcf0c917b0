//! Serde implementations for [`Value`] and the value structures.
//!
//! Structures serialize as structs with reserved names (`$neo_bolt::Node`,
//! ...). Any serde format sees a plain struct of their fields; the PackStream
//! [`Serializer`](super::Serializer) and [`Deserializer`](super::Deserializer)
//! recognise the names and use the real wire structures instead, so a value
//! written through serde is byte for byte what [`Packer::write_value`]
//! writes.
//!
//! [`Value`] deserializes through a reserved newtype name: the PackStream
//! deserializer answers it with structures as enum variants, so nothing is
//! lost, while other formats give natural data (maps, lists, scalars).
//!
//! [`Packer::write_value`]: super::Packer::write_value

use std::fmt;

use serde::de::{
    self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::marker::tag;
use super::{
    Date, DateTime, DateTimeZoneId, Duration, LegacyDateTimeZoneId, LocalDateTime, LocalTime, Map,
    Node, Path, Point2D, Point3D, Relationship, Time, UnboundRelationship, UnsupportedType, Value,
    Vector,
};
use crate::BoltVersion;

/// The newtype name through which [`Value`] asks for faithful structures.
pub(crate) const VALUE_NAME: &str = "$neo_bolt::Value";

/// The value structures, as serde sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Node,
    Relationship,
    UnboundRelationship,
    Path,
    Date,
    Time,
    LocalTime,
    DateTime,
    DateTimeZoneId,
    LegacyDateTimeZoneId,
    LocalDateTime,
    Duration,
    Point2D,
    Point3D,
    Vector,
    Unsupported,
}

impl Kind {
    const ALL: [Kind; 16] = [
        Kind::Node,
        Kind::Relationship,
        Kind::UnboundRelationship,
        Kind::Path,
        Kind::Date,
        Kind::Time,
        Kind::LocalTime,
        Kind::DateTime,
        Kind::DateTimeZoneId,
        Kind::LegacyDateTimeZoneId,
        Kind::LocalDateTime,
        Kind::Duration,
        Kind::Point2D,
        Kind::Point3D,
        Kind::Vector,
        Kind::Unsupported,
    ];

    /// The variant names of the structure enum (see [`VALUE_NAME`]).
    const VARIANTS: &'static [&'static str] = &[
        "Node",
        "Relationship",
        "UnboundRelationship",
        "Path",
        "Date",
        "Time",
        "LocalTime",
        "DateTime",
        "DateTimeZoneId",
        "LegacyDateTimeZoneId",
        "LocalDateTime",
        "Duration",
        "Point2D",
        "Point3D",
        "Vector",
        "UnsupportedType",
    ];

    /// The plain name, e.g. `Node`.
    pub(crate) fn type_name(self) -> &'static str {
        Self::VARIANTS[self as usize]
    }

    /// The reserved serde struct name, e.g. `$neo_bolt::Node`.
    pub(crate) fn serde_name(self) -> &'static str {
        match self {
            Kind::Node => "$neo_bolt::Node",
            Kind::Relationship => "$neo_bolt::Relationship",
            Kind::UnboundRelationship => "$neo_bolt::UnboundRelationship",
            Kind::Path => "$neo_bolt::Path",
            Kind::Date => "$neo_bolt::Date",
            Kind::Time => "$neo_bolt::Time",
            Kind::LocalTime => "$neo_bolt::LocalTime",
            Kind::DateTime => "$neo_bolt::DateTime",
            Kind::DateTimeZoneId => "$neo_bolt::DateTimeZoneId",
            Kind::LegacyDateTimeZoneId => "$neo_bolt::LegacyDateTimeZoneId",
            Kind::LocalDateTime => "$neo_bolt::LocalDateTime",
            Kind::Duration => "$neo_bolt::Duration",
            Kind::Point2D => "$neo_bolt::Point2D",
            Kind::Point3D => "$neo_bolt::Point3D",
            Kind::Vector => VECTOR_NAME,
            Kind::Unsupported => UNSUPPORTED_NAME,
        }
    }

    /// The structure a reserved serde struct name stands for.
    #[inline]
    pub(crate) fn from_serde_name(name: &str) -> Option<Kind> {
        if !name.starts_with("$neo_bolt::") {
            return None;
        }
        Kind::ALL.into_iter().find(|k| k.serde_name() == name)
    }

    /// The structure a (valid) wire tag decodes to.
    pub(crate) fn from_tag(t: u8) -> Option<Kind> {
        Some(match t {
            tag::NODE => Kind::Node,
            tag::RELATIONSHIP => Kind::Relationship,
            tag::UNBOUND_RELATIONSHIP => Kind::UnboundRelationship,
            tag::PATH => Kind::Path,
            tag::DATE => Kind::Date,
            tag::TIME => Kind::Time,
            tag::LOCAL_TIME => Kind::LocalTime,
            tag::DATE_TIME | tag::LEGACY_DATE_TIME => Kind::DateTime,
            tag::DATE_TIME_ZONE_ID => Kind::DateTimeZoneId,
            tag::LEGACY_DATE_TIME_ZONE_ID => Kind::LegacyDateTimeZoneId,
            tag::LOCAL_DATE_TIME => Kind::LocalDateTime,
            tag::DURATION => Kind::Duration,
            tag::POINT_2D => Kind::Point2D,
            tag::POINT_3D => Kind::Point3D,
            tag::VECTOR => Kind::Vector,
            tag::UNSUPPORTED => Kind::Unsupported,
            _ => return None,
        })
    }

    /// How many fields the serde struct has (every field, whatever the
    /// dialect leaves out on the wire).
    pub(crate) fn field_count(self) -> usize {
        match self {
            Kind::Relationship => 8,
            Kind::Node
            | Kind::UnboundRelationship
            | Kind::Duration
            | Kind::Point3D
            | Kind::Unsupported => 4,
            Kind::Path
            | Kind::DateTime
            | Kind::DateTimeZoneId
            | Kind::LegacyDateTimeZoneId
            | Kind::Point2D => 3,
            Kind::Time | Kind::LocalDateTime | Kind::Vector => 2,
            Kind::Date | Kind::LocalTime => 1,
        }
    }
}

// The field lists below must stay in wire order: the PackStream serializer
// writes the fields as they come.

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(remote = "Node", rename = "$neo_bolt::Node")]
struct NodeDef {
    id: i64,
    labels: Vec<String>,
    properties: Map,
    element_id: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(remote = "Relationship", rename = "$neo_bolt::Relationship")]
struct RelationshipDef {
    id: i64,
    start_node_id: i64,
    end_node_id: i64,
    rel_type: String,
    properties: Map,
    element_id: String,
    start_node_element_id: String,
    end_node_element_id: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(
    remote = "UnboundRelationship",
    rename = "$neo_bolt::UnboundRelationship"
)]
struct UnboundRelationshipDef {
    id: i64,
    rel_type: String,
    properties: Map,
    element_id: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(remote = "Path", rename = "$neo_bolt::Path")]
struct PathDef {
    nodes: Vec<Node>,
    relationships: Vec<UnboundRelationship>,
    indices: Vec<i64>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(remote = "Date", rename = "$neo_bolt::Date")]
struct DateDef {
    days: i64,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(remote = "Time", rename = "$neo_bolt::Time")]
struct TimeDef {
    nanoseconds: i64,
    tz_offset_seconds: i64,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(remote = "LocalTime", rename = "$neo_bolt::LocalTime")]
struct LocalTimeDef {
    nanoseconds: i64,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(remote = "DateTime", rename = "$neo_bolt::DateTime")]
struct DateTimeDef {
    seconds: i64,
    nanoseconds: i64,
    tz_offset_seconds: i64,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(remote = "DateTimeZoneId", rename = "$neo_bolt::DateTimeZoneId")]
struct DateTimeZoneIdDef {
    seconds: i64,
    nanoseconds: i64,
    tz_id: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(
    remote = "LegacyDateTimeZoneId",
    rename = "$neo_bolt::LegacyDateTimeZoneId"
)]
struct LegacyDateTimeZoneIdDef {
    local_seconds: i64,
    nanoseconds: i64,
    tz_id: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(remote = "LocalDateTime", rename = "$neo_bolt::LocalDateTime")]
struct LocalDateTimeDef {
    seconds: i64,
    nanoseconds: i64,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(remote = "Duration", rename = "$neo_bolt::Duration")]
struct DurationDef {
    months: i64,
    days: i64,
    seconds: i64,
    nanoseconds: i64,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(remote = "Point2D", rename = "$neo_bolt::Point2D")]
struct Point2DDef {
    srid: i64,
    x: f64,
    y: f64,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(remote = "Point3D", rename = "$neo_bolt::Point3D")]
struct Point3DDef {
    srid: i64,
    x: f64,
    y: f64,
    z: f64,
}

macro_rules! via_def {
    ($($ty:ident => $def:ident),* $(,)?) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $def::serialize(self, serializer)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $def::deserialize(deserializer)
            }
        }
    )*};
}

via_def! {
    Node => NodeDef,
    Relationship => RelationshipDef,
    UnboundRelationship => UnboundRelationshipDef,
    Path => PathDef,
    Date => DateDef,
    Time => TimeDef,
    LocalTime => LocalTimeDef,
    DateTime => DateTimeDef,
    DateTimeZoneId => DateTimeZoneIdDef,
    LegacyDateTimeZoneId => LegacyDateTimeZoneIdDef,
    LocalDateTime => LocalDateTimeDef,
    Duration => DurationDef,
    Point2D => Point2DDef,
    Point3D => Point3DDef,
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Boolean(b) => serializer.serialize_bool(*b),
            Value::Integer(i) => serializer.serialize_i64(*i),
            Value::Float(f) => serializer.serialize_f64(*f),
            Value::Bytes(b) => serializer.serialize_bytes(b),
            Value::String(s) => serializer.serialize_str(s),
            Value::List(items) => serializer.collect_seq(items),
            Value::Map(map) => serializer.collect_map(map),
            Value::Node(v) => v.serialize(serializer),
            Value::Relationship(v) => v.serialize(serializer),
            Value::UnboundRelationship(v) => v.serialize(serializer),
            Value::Path(v) => v.serialize(serializer),
            Value::Date(v) => v.serialize(serializer),
            Value::Time(v) => v.serialize(serializer),
            Value::LocalTime(v) => v.serialize(serializer),
            Value::DateTime(v) => v.serialize(serializer),
            Value::DateTimeZoneId(v) => v.serialize(serializer),
            Value::LegacyDateTimeZoneId(v) => v.serialize(serializer),
            Value::LocalDateTime(v) => v.serialize(serializer),
            Value::Duration(v) => v.serialize(serializer),
            Value::Point2D(v) => v.serialize(serializer),
            Value::Point3D(v) => v.serialize(serializer),
            Value::Vector(v) => v.serialize(serializer),
            Value::Unsupported(v) => v.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(VALUE_NAME, ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any PackStream value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Boolean(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Integer(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        i64::try_from(v)
            .map(Value::Integer)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &"an integer within i64"))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        i64::try_from(v)
            .map(Value::Integer)
            .map_err(|_| E::custom(format!("integer {v} is outside the i64 range")))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        i64::try_from(v)
            .map(Value::Integer)
            .map_err(|_| E::custom(format!("integer {v} is outside the i64 range")))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Bytes(v.to_vec()))
    }

    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Value, E> {
        Ok(Value::Bytes(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some((key, value)) = access.next_entry::<String, Value>()? {
            map.insert(key, value);
        }
        Ok(Value::Map(map))
    }

    /// Only the PackStream deserializer calls this, for structures.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (kind, variant) = data.variant::<KindTag>()?;
        Ok(match kind.0 {
            Kind::Node => Value::Node(variant.newtype_variant()?),
            Kind::Relationship => Value::Relationship(variant.newtype_variant()?),
            Kind::UnboundRelationship => Value::UnboundRelationship(variant.newtype_variant()?),
            Kind::Path => Value::Path(variant.newtype_variant()?),
            Kind::Date => Value::Date(variant.newtype_variant()?),
            Kind::Time => Value::Time(variant.newtype_variant()?),
            Kind::LocalTime => Value::LocalTime(variant.newtype_variant()?),
            Kind::DateTime => Value::DateTime(variant.newtype_variant()?),
            Kind::DateTimeZoneId => Value::DateTimeZoneId(variant.newtype_variant()?),
            Kind::LegacyDateTimeZoneId => Value::LegacyDateTimeZoneId(variant.newtype_variant()?),
            Kind::LocalDateTime => Value::LocalDateTime(variant.newtype_variant()?),
            Kind::Duration => Value::Duration(variant.newtype_variant()?),
            Kind::Point2D => Value::Point2D(variant.newtype_variant()?),
            Kind::Point3D => Value::Point3D(variant.newtype_variant()?),
            Kind::Vector => Value::Vector(variant.newtype_variant()?),
            Kind::Unsupported => Value::Unsupported(Box::new(variant.newtype_variant()?)),
        })
    }
}

/// The reserved serde name of [`Vector`].
const VECTOR_NAME: &str = "$neo_bolt::Vector";
/// The reserved serde name of [`UnsupportedType`].
const UNSUPPORTED_NAME: &str = "$neo_bolt::UnsupportedType";
const VECTOR_FIELDS: &[&str] = &["type_marker", "data"];
const UNSUPPORTED_FIELDS: &[&str] = &[
    "name",
    "minimum_protocol_major",
    "minimum_protocol_minor",
    "extra",
];

/// Bytes that serialize as a byte array.
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

/// A byte array read back: from bytes, or from a sequence of bytes (for
/// formats without a byte type).
struct ByteBuf(Vec<u8>);

impl<'de> Deserialize<'de> for ByteBuf {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BytesVisitor;

        impl<'de> Visitor<'de> for BytesVisitor {
            type Value = ByteBuf;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a byte array")
            }

            fn visit_bytes<E>(self, v: &[u8]) -> Result<ByteBuf, E> {
                Ok(ByteBuf(v.to_vec()))
            }

            fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<ByteBuf, E> {
                Ok(ByteBuf(v))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ByteBuf, A::Error> {
                let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
                while let Some(byte) = seq.next_element()? {
                    bytes.push(byte);
                }
                Ok(ByteBuf(bytes))
            }
        }

        deserializer.deserialize_bytes(BytesVisitor)
    }
}

/// A vector serializes as its wire structure: the element type's marker and
/// the big-endian elements, both byte arrays.
impl Serialize for Vector {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fields = serializer.serialize_struct(VECTOR_NAME, 2)?;
        fields.serialize_field("type_marker", &Bytes(&[self.element_type().marker()]))?;
        fields.serialize_field("data", &Bytes(&self.to_be_bytes()))?;
        fields.end()
    }
}

impl<'de> Deserialize<'de> for Vector {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct VectorVisitor;

        impl<'de> Visitor<'de> for VectorVisitor {
            type Value = Vector;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a vector")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vector, A::Error> {
                let (mut marker, mut data) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "type_marker" => marker = Some(map.next_value::<ByteBuf>()?.0),
                        "data" => data = Some(map.next_value::<ByteBuf>()?.0),
                        other => return Err(de::Error::unknown_field(other, VECTOR_FIELDS)),
                    }
                }
                let marker = marker.ok_or_else(|| de::Error::missing_field("type_marker"))?;
                let data = data.ok_or_else(|| de::Error::missing_field("data"))?;
                let [marker] = marker[..] else {
                    return Err(de::Error::invalid_length(marker.len(), &"one byte"));
                };
                Vector::from_be_bytes(marker, &data).map_err(de::Error::custom)
            }
        }

        deserializer.deserialize_struct(VECTOR_NAME, VECTOR_FIELDS, VectorVisitor)
    }
}

/// The placeholder serializes as its wire structure: name, the minimum
/// version's major and minor, and a map that may hold a message.
impl Serialize for UnsupportedType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let version = self.minimum_protocol_version();
        let mut extra = Map::new();
        if let Some(message) = self.message() {
            extra.insert("message".into(), Value::from(message));
        }
        let mut fields = serializer.serialize_struct(UNSUPPORTED_NAME, 4)?;
        fields.serialize_field("name", self.name())?;
        fields.serialize_field("minimum_protocol_major", &i64::from(version.major))?;
        fields.serialize_field("minimum_protocol_minor", &i64::from(version.minor))?;
        fields.serialize_field("extra", &extra)?;
        fields.end()
    }
}

impl<'de> Deserialize<'de> for UnsupportedType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UnsupportedVisitor;

        impl<'de> Visitor<'de> for UnsupportedVisitor {
            type Value = UnsupportedType;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an unsupported-type placeholder")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UnsupportedType, A::Error> {
                let (mut name, mut major, mut minor, mut extra) = (None, None, None, Map::new());
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "name" => name = Some(map.next_value::<String>()?),
                        "minimum_protocol_major" => major = Some(map.next_value::<u8>()?),
                        "minimum_protocol_minor" => minor = Some(map.next_value::<u8>()?),
                        "extra" => extra = map.next_value::<Map>()?,
                        other => return Err(de::Error::unknown_field(other, UNSUPPORTED_FIELDS)),
                    }
                }
                let name = name.ok_or_else(|| de::Error::missing_field("name"))?;
                let major =
                    major.ok_or_else(|| de::Error::missing_field("minimum_protocol_major"))?;
                let minor =
                    minor.ok_or_else(|| de::Error::missing_field("minimum_protocol_minor"))?;
                let message = extra
                    .get("message")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                Ok(UnsupportedType::new(
                    name,
                    BoltVersion::new(major, minor),
                    message,
                ))
            }
        }

        deserializer.deserialize_struct(UNSUPPORTED_NAME, UNSUPPORTED_FIELDS, UnsupportedVisitor)
    }
}

/// A structure's variant name, read as an enum variant identifier.
struct KindTag(Kind);

impl<'de> Deserialize<'de> for KindTag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KindVisitor;

        impl Visitor<'_> for KindVisitor {
            type Value = KindTag;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a PackStream structure name")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<KindTag, E> {
                Kind::ALL
                    .into_iter()
                    .find(|k| k.type_name() == v)
                    .map(KindTag)
                    .ok_or_else(|| E::unknown_variant(v, Kind::VARIANTS))
            }
        }

        deserializer.deserialize_identifier(KindVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packstream::{Dialect, to_bytes};

    #[test]
    fn every_kind_is_found_by_its_reserved_name_only() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_serde_name(kind.serde_name()), Some(kind));
            assert_eq!(Kind::from_serde_name(kind.type_name()), None);
        }
        assert_eq!(Kind::from_serde_name("$neo_bolt::Nope"), None);
    }

    #[test]
    fn field_counts_match_the_serde_structs() {
        let values = [
            (Kind::Node, Value::Node(Box::default())),
            (Kind::Relationship, Value::Relationship(Box::default())),
            (
                Kind::UnboundRelationship,
                Value::UnboundRelationship(Box::default()),
            ),
            (Kind::Path, Value::Path(Box::default())),
            (Kind::Date, Value::Date(Date::default())),
            (Kind::Time, Value::Time(Time::default())),
            (Kind::LocalTime, Value::LocalTime(LocalTime::default())),
            (Kind::DateTime, Value::DateTime(DateTime::default())),
            (
                Kind::DateTimeZoneId,
                Value::DateTimeZoneId(DateTimeZoneId::default()),
            ),
            (
                Kind::LegacyDateTimeZoneId,
                Value::LegacyDateTimeZoneId(LegacyDateTimeZoneId::default()),
            ),
            (
                Kind::LocalDateTime,
                Value::LocalDateTime(LocalDateTime::default()),
            ),
            (Kind::Duration, Value::Duration(Duration::default())),
            (Kind::Point2D, Value::Point2D(Point2D::default())),
            (Kind::Point3D, Value::Point3D(Point3D::default())),
            (
                Kind::Vector,
                Value::Vector(Vector::from(vec![1.5_f32, -2.0])),
            ),
            (
                Kind::Unsupported,
                Value::Unsupported(Box::new(UnsupportedType::new(
                    "FUTURE",
                    BoltVersion::new(6, 9),
                    Some("later".into()),
                ))),
            ),
        ];
        assert_eq!(values.len(), Kind::ALL.len());
        for (kind, value) in values {
            let json = serde_json::to_value(&value).unwrap_or_default();
            let fields = json.as_object().map_or(0, |o| o.len());
            assert_eq!(fields, kind.field_count(), "{kind:?}");
            // Our serializer writes what the packer writes.
            let dialect = if kind == Kind::LegacyDateTimeZoneId {
                Dialect::V4_4
            } else {
                Dialect::LATEST
            };
            assert_eq!(
                to_bytes(&value, dialect).ok(),
                crate::packstream::to_vec(&value, dialect).ok(),
                "{kind:?}"
            );
        }
    }
}
