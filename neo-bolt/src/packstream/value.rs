//! The dynamic PackStream value.

use std::collections::BTreeMap;

use super::{
    Date, DateTime, DateTimeZoneId, Duration, LegacyDateTimeZoneId, LocalDateTime, LocalTime, Node,
    Path, Point2D, Point3D, Relationship, Time, UnboundRelationship, UnsupportedType, Vector,
};

/// A PackStream dictionary: string keys, values in key order.
pub type Map = BTreeMap<String, Value>;

/// Any value that travels over Bolt.
///
/// Users who know their shapes decode straight into their own types through
/// serde; `Value` is for everything dynamic.
///
/// ```
/// use neo_bolt::Value;
///
/// let v = Value::from(vec![Value::from(1), Value::from("x")]);
/// assert_eq!(v.type_name(), "List");
/// assert_eq!(v.as_list().map(|items| items.len()), Some(2));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// Null, or a missing value.
    #[default]
    Null,
    /// A boolean.
    Boolean(bool),
    /// A signed 64-bit integer.
    Integer(i64),
    /// A 64-bit float.
    Float(f64),
    /// A byte array.
    Bytes(Vec<u8>),
    /// A UTF-8 string.
    String(String),
    /// A list of values of any types.
    List(Vec<Value>),
    /// A map with string keys.
    Map(Map),
    /// A graph node (boxed, like the other graph values, so that a `Value`
    /// stays small: rows of scalars are what results mostly hold).
    Node(Box<Node>),
    /// A graph relationship with its end points.
    Relationship(Box<Relationship>),
    /// A relationship inside a [`Path`], without end points.
    UnboundRelationship(Box<UnboundRelationship>),
    /// An alternating sequence of nodes and relationships.
    Path(Box<Path>),
    /// A date.
    Date(Date),
    /// A time of day with a UTC offset.
    Time(Time),
    /// A time of day without a zone.
    LocalTime(LocalTime),
    /// An instant with a UTC offset.
    DateTime(DateTime),
    /// An instant with a named time zone.
    DateTimeZoneId(DateTimeZoneId),
    /// A wall-clock date-time with a named time zone, as Bolt 4.4 sends it
    /// without the `utc` patch.
    LegacyDateTimeZoneId(LegacyDateTimeZoneId),
    /// A date-time without a zone.
    LocalDateTime(LocalDateTime),
    /// A temporal amount.
    Duration(Duration),
    /// A two-dimensional point.
    Point2D(Point2D),
    /// A three-dimensional point.
    Point3D(Point3D),
    /// A vector of numbers of one type (Bolt 6+).
    Vector(Vector),
    /// What a Bolt 6 server sends for a value of a type the negotiated
    /// version cannot carry.
    Unsupported(Box<UnsupportedType>),
}

impl Value {
    /// The name of the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "Null",
            Value::Boolean(_) => "Boolean",
            Value::Integer(_) => "Integer",
            Value::Float(_) => "Float",
            Value::Bytes(_) => "Bytes",
            Value::String(_) => "String",
            Value::List(_) => "List",
            Value::Map(_) => "Map",
            Value::Node(_) => "Node",
            Value::Relationship(_) => "Relationship",
            Value::UnboundRelationship(_) => "UnboundRelationship",
            Value::Path(_) => "Path",
            Value::Date(_) => "Date",
            Value::Time(_) => "Time",
            Value::LocalTime(_) => "LocalTime",
            Value::DateTime(_) => "DateTime",
            Value::DateTimeZoneId(_) | Value::LegacyDateTimeZoneId(_) => "DateTimeZoneId",
            Value::LocalDateTime(_) => "LocalDateTime",
            Value::Duration(_) => "Duration",
            Value::Point2D(_) => "Point2D",
            Value::Point3D(_) => "Point3D",
            Value::Vector(_) => "Vector",
            Value::Unsupported(_) => "UnsupportedType",
        }
    }

    /// Whether the value is null.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer, if this is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Integer(i) => Some(*i),
            _ => None,
        }
    }

    /// The float, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The bytes, if this is a byte array.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The items, if this is a list.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// The entries, if this is a map.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(map) => Some(map),
            _ => None,
        }
    }

    /// The node, if this is one.
    pub fn as_node(&self) -> Option<&Node> {
        match self {
            Value::Node(node) => Some(node.as_ref()),
            _ => None,
        }
    }

    /// The relationship, if this is one.
    pub fn as_relationship(&self) -> Option<&Relationship> {
        match self {
            Value::Relationship(rel) => Some(rel.as_ref()),
            _ => None,
        }
    }

    /// The vector, if this is one.
    pub fn as_vector(&self) -> Option<&Vector> {
        match self {
            Value::Vector(vector) => Some(vector),
            _ => None,
        }
    }

    /// The path, if this is one.
    pub fn as_path(&self) -> Option<&Path> {
        match self {
            Value::Path(path) => Some(path.as_ref()),
            _ => None,
        }
    }
}

macro_rules! from_scalar {
    ($($t:ty => $variant:ident via $conv:expr),* $(,)?) => {
        $(impl From<$t> for Value {
            fn from(v: $t) -> Self {
                Value::$variant($conv(v))
            }
        })*
    };
}

from_scalar! {
    bool => Boolean via std::convert::identity,
    i8 => Integer via i64::from,
    i16 => Integer via i64::from,
    i32 => Integer via i64::from,
    i64 => Integer via std::convert::identity,
    u8 => Integer via i64::from,
    u16 => Integer via i64::from,
    u32 => Integer via i64::from,
    f32 => Float via f64::from,
    f64 => Float via std::convert::identity,
    String => String via std::convert::identity,
    &str => String via String::from,
    Map => Map via std::convert::identity,
    Node => Node via Box::new,
    Relationship => Relationship via Box::new,
    UnboundRelationship => UnboundRelationship via Box::new,
    Path => Path via Box::new,
    Date => Date via std::convert::identity,
    Time => Time via std::convert::identity,
    LocalTime => LocalTime via std::convert::identity,
    DateTime => DateTime via std::convert::identity,
    DateTimeZoneId => DateTimeZoneId via std::convert::identity,
    LocalDateTime => LocalDateTime via std::convert::identity,
    Duration => Duration via std::convert::identity,
    Point2D => Point2D via std::convert::identity,
    Point3D => Point3D via std::convert::identity,
    Vector => Vector via std::convert::identity,
    UnsupportedType => Unsupported via Box::new,
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Value::List(items.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}
