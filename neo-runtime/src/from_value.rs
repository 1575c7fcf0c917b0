//! Converting one [`Value`] into a Rust type: what the derives build fields
//! from.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use neo_bolt::Value;
use neo_bolt::packstream::{
    Date, DateTime, DateTimeZoneId, Duration, Header, LegacyDateTimeZoneId, LocalDateTime,
    LocalTime, Node, Path, Point2D, Point3D, Relationship, Time, UnboundRelationship, Unpacker,
    Vector, marker,
};

use crate::error::Error;
use crate::error::decode_error;
use crate::value_kinds::ValueKinds;

/// Types that can be built from one [`Value`]: the field types of
/// `#[derive(Record)]`, `#[derive(Node)]` and `#[derive(Relationship)]`
/// structs, which implement it themselves, so they nest.
///
/// ```
/// use neo_runtime::{FromValue, Value};
///
/// let names = Vec::<String>::from_value(Value::from(vec!["Ann", "Bob"]))?;
/// assert_eq!(names, ["Ann", "Bob"]);
/// let missing = Option::<i64>::from_value(Value::Null)?;
/// assert_eq!(missing, None);
/// let err = i64::from_value(Value::from("x")).unwrap_err();
/// assert_eq!(err.to_string(), "expected Integer, found String");
/// # Ok::<(), neo_runtime::Error>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a Neo4j value",
    label = "`FromValue` is not implemented for `{Self}`",
    note = "derive it: `#[derive(neo_runtime::Node)]` for a node, `#[derive(neo_runtime::Relationship)]` for a relationship, `#[derive(neo_runtime::Record)]` for a map; or implement `FromValue` for it",
    note = "the types of `chrono`, `time`, `jiff`, `uuid`, `serde_json` and `geo-types` need the neo-runtime feature of that name (`json` for `serde_json`, `geo` for `geo-types`)"
)]
pub trait FromValue: Sized {
    /// Builds the value; a value of the wrong shape is an
    /// [`ErrorKind::Mapping`](crate::ErrorKind::Mapping) error naming the type
    /// found.
    fn from_value(value: Value) -> Result<Self, Error>;

    /// The value of an absent column or property, if the type has one
    /// (`None` for `Option`).
    fn from_missing() -> Option<Self> {
        None
    }

    /// The kinds of value `from_value` may accept, for checking a row type
    /// against the property types of a schema file at compile time. The
    /// default, every kind, skips the check.
    #[doc(hidden)]
    const ACCEPTS: ValueKinds = ValueKinds::ANY;

    /// Builds the value straight from its PackStream encoding, where
    /// `unpacker` stands, and moves past it. It must accept and reject what
    /// `from_value` does, with the same errors; the default decodes a
    /// [`Value`] and calls `from_value`.
    #[doc(hidden)]
    fn from_packstream(unpacker: &mut crate::__private::Unpacker<'_>) -> Result<Self, Error> {
        Self::from_value(read_value(unpacker)?)
    }
}

/// Reads one whole value; bytes that do not decode are a protocol error.
pub(crate) fn read_value(unpacker: &mut Unpacker<'_>) -> Result<Value, Error> {
    unpacker.read_value().map_err(decode_error)
}

/// Reads the next value's header when `accept` takes it, moving past the
/// header; otherwise leaves the unpacker where it was.
fn header_if<T>(
    unpacker: &mut Unpacker<'_>,
    accept: impl FnOnce(&Header) -> Option<T>,
) -> Option<T> {
    let mut probe = unpacker.clone();
    let taken = accept(&probe.read_header().ok()?)?;
    *unpacker = probe;
    Some(taken)
}

/// What the next value is, from its marker alone, for the kinds whose
/// readers fail on exactly the bytes `Unpacker::read_value` fails on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Float,
    String,
    List,
}

/// The kind of the next value (`None` for any other, or no more bytes).
#[inline]
fn next_marker(unpacker: &Unpacker<'_>) -> Option<Kind> {
    match unpacker.peek_marker().ok()? {
        0x00..=0x7F
        | 0xF0..=0xFF
        | marker::INT_8
        | marker::INT_16
        | marker::INT_32
        | marker::INT_64 => Some(Kind::Int),
        marker::FLOAT_64 => Some(Kind::Float),
        0x80..=0x8F | marker::STRING_8 | marker::STRING_16 | marker::STRING_32 => {
            Some(Kind::String)
        }
        0x90..=0x9F | marker::LIST_8 | marker::LIST_16 | marker::LIST_32 => Some(Kind::List),
        _ => None,
    }
}

/// The error for a value of the wrong type (or for the placeholder of a
/// value the connection's protocol version cannot carry).
pub(crate) fn mismatch(expected: &str, found: &Value) -> Error {
    match found {
        Value::Unsupported(placeholder) => Error::mapping(format!(
            "expected {expected}, found {placeholder} that this connection's protocol version cannot carry"
        )),
        _ => Error::mapping(format!("expected {expected}, found {}", found.type_name())),
    }
}

impl FromValue for Value {
    fn from_value(value: Value) -> Result<Self, Error> {
        Ok(value)
    }

    fn from_packstream(unpacker: &mut Unpacker<'_>) -> Result<Self, Error> {
        read_value(unpacker)
    }

    fn from_missing() -> Option<Self> {
        Some(Value::Null)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    const ACCEPTS: ValueKinds = T::ACCEPTS.union(ValueKinds::NULL);

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Null => Ok(None),
            value => T::from_value(value).map(Some),
        }
    }

    fn from_packstream(unpacker: &mut Unpacker<'_>) -> Result<Self, Error> {
        match header_if(unpacker, |header| {
            matches!(header, Header::Null).then_some(())
        }) {
            Some(()) => Ok(None),
            None => T::from_packstream(unpacker).map(Some),
        }
    }

    fn from_missing() -> Option<Self> {
        Some(None)
    }
}

impl<T: FromValue> FromValue for Box<T> {
    const ACCEPTS: ValueKinds = T::ACCEPTS;

    fn from_value(value: Value) -> Result<Self, Error> {
        T::from_value(value).map(Box::new)
    }

    fn from_packstream(unpacker: &mut Unpacker<'_>) -> Result<Self, Error> {
        T::from_packstream(unpacker).map(Box::new)
    }
}

macro_rules! variant_impls {
    ($($ty:ty => $variant:ident, $name:literal, $kinds:ident;)*) => {$(
        impl FromValue for $ty {
            const ACCEPTS: ValueKinds = ValueKinds::$kinds;

            fn from_value(value: Value) -> Result<Self, Error> {
                match value {
                    Value::$variant(inner) => Ok(inner),
                    other => Err(mismatch($name, &other)),
                }
            }
        }
    )*};
}

macro_rules! boxed_variant_impls {
    ($($ty:ty => $variant:ident, $name:literal, $kinds:ident;)*) => {$(
        impl FromValue for $ty {
            const ACCEPTS: ValueKinds = ValueKinds::$kinds;

            fn from_value(value: Value) -> Result<Self, Error> {
                match value {
                    Value::$variant(inner) => Ok(*inner),
                    other => Err(mismatch($name, &other)),
                }
            }
        }
    )*};
}

boxed_variant_impls! {
    Node => Node, "Node", NODE;
    Relationship => Relationship, "Relationship", RELATIONSHIP;
    UnboundRelationship => UnboundRelationship, "Relationship", RELATIONSHIP;
    Path => Path, "Path", PATH;
}

variant_impls! {
    Vector => Vector, "Vector", VECTOR;
    Date => Date, "Date", DATE;
    Time => Time, "Time", ZONED_TIME;
    LocalTime => LocalTime, "LocalTime", LOCAL_TIME;
    DateTime => DateTime, "DateTime", ZONED_DATETIME;
    DateTimeZoneId => DateTimeZoneId, "DateTime", ZONED_DATETIME;
    LegacyDateTimeZoneId => LegacyDateTimeZoneId, "DateTime", ZONED_DATETIME;
    LocalDateTime => LocalDateTime, "LocalDateTime", LOCAL_DATETIME;
    Duration => Duration, "Duration", DURATION;
    Point2D => Point2D, "Point", POINT;
    Point3D => Point3D, "Point", POINT;
}

impl FromValue for bool {
    const ACCEPTS: ValueKinds = ValueKinds::BOOLEAN;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Boolean(b) => Ok(b),
            other => Err(mismatch("Boolean", &other)),
        }
    }

    fn from_packstream(unpacker: &mut Unpacker<'_>) -> Result<Self, Error> {
        // A boolean is its marker alone.
        if let Ok(m @ (marker::FALSE | marker::TRUE)) = unpacker.peek_marker() {
            unpacker.read_header().map_err(decode_error)?;
            return Ok(m == marker::TRUE);
        }
        Self::from_value(read_value(unpacker)?)
    }
}

impl FromValue for i64 {
    const ACCEPTS: ValueKinds = ValueKinds::INTEGER;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Integer(i) => Ok(i),
            other => Err(mismatch("Integer", &other)),
        }
    }

    fn from_packstream(unpacker: &mut Unpacker<'_>) -> Result<Self, Error> {
        // An integer's bytes fail to read only as `read_value` fails on
        // them (too few); any other value gives the error as `from_value`
        // words it.
        match next_marker(unpacker) {
            Some(Kind::Int) => unpacker.read_int().map_err(decode_error),
            _ => Self::from_value(read_value(unpacker)?),
        }
    }
}

impl FromValue for String {
    const ACCEPTS: ValueKinds = ValueKinds::STRING;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::String(s) => Ok(s),
            other => Err(mismatch("String", &other)),
        }
    }

    fn from_packstream(unpacker: &mut Unpacker<'_>) -> Result<Self, Error> {
        // A string fails to read only as `read_value` fails on it (too few
        // bytes, not UTF-8); any other value gives the error as
        // `from_value` words it.
        match next_marker(unpacker) {
            Some(Kind::String) => unpacker.read_string().map_err(decode_error),
            _ => Self::from_value(read_value(unpacker)?),
        }
    }
}

macro_rules! integer_impls {
    ($($ty:ty),*) => {$(
        impl FromValue for $ty {
            const ACCEPTS: ValueKinds = ValueKinds::INTEGER;

            fn from_value(value: Value) -> Result<Self, Error> {
                fit(i64::from_value(value)?)
            }

            fn from_packstream(unpacker: &mut Unpacker<'_>) -> Result<Self, Error> {
                fit(i64::from_packstream(unpacker)?)
            }
        }
    )*};
}

integer_impls!(i8, i16, i32, isize, u8, u16, u32, u64, usize);

/// An integer as a narrower type, or an error naming both.
fn fit<T: TryFrom<i64>>(integer: i64) -> Result<T, Error> {
    T::try_from(integer).map_err(|_| {
        Error::mapping(format!(
            "the integer {integer} does not fit `{}`",
            std::any::type_name::<T>()
        ))
    })
}

/// Floats read integers too, as `f64::from_value` does.
const NUMBER: ValueKinds = ValueKinds::FLOAT.union(ValueKinds::INTEGER);

impl FromValue for f64 {
    const ACCEPTS: ValueKinds = NUMBER;

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Float(f) => Ok(f),
            #[allow(clippy::cast_precision_loss)]
            Value::Integer(i) => Ok(i as f64),
            other => Err(mismatch("Float", &other)),
        }
    }

    fn from_packstream(unpacker: &mut Unpacker<'_>) -> Result<Self, Error> {
        // Numbers fail to read only as `read_value` fails on them (too few
        // bytes); any other value gives the error as `from_value` words it.
        match next_marker(unpacker) {
            Some(Kind::Float) => unpacker.read_float().map_err(decode_error),
            #[allow(clippy::cast_precision_loss)]
            Some(Kind::Int) => unpacker.read_int().map(|i| i as f64).map_err(decode_error),
            _ => Self::from_value(read_value(unpacker)?),
        }
    }
}

impl FromValue for f32 {
    const ACCEPTS: ValueKinds = NUMBER;

    fn from_value(value: Value) -> Result<Self, Error> {
        #[allow(clippy::cast_possible_truncation)]
        f64::from_value(value).map(|f| f as f32)
    }

    fn from_packstream(unpacker: &mut Unpacker<'_>) -> Result<Self, Error> {
        #[allow(clippy::cast_possible_truncation)]
        f64::from_packstream(unpacker).map(|f| f as f32)
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    /// Lists of what `T` reads, and vectors when `T` reads numbers.
    const ACCEPTS: ValueKinds = {
        let list = ValueKinds::list_of(T::ACCEPTS);
        if T::ACCEPTS.contains(ValueKinds::INTEGER) || T::ACCEPTS.contains(ValueKinds::FLOAT) {
            list.union(ValueKinds::VECTOR)
        } else {
            list
        }
    };

    /// A list, or the elements of a vector (integers or floats, as the
    /// vector's type says).
    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::Vector(vector) => vector_elements(&vector)
                .into_iter()
                .enumerate()
                .map(|(index, item)| {
                    T::from_value(item)
                        .map_err(|error| Error::mapping(format!("element {index}: {error}")))
                })
                .collect(),
            Value::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(index, item)| {
                    T::from_value(item)
                        .map_err(|error| Error::mapping(format!("element {index}: {error}")))
                })
                .collect(),
            other => Err(mismatch("List", &other)),
        }
    }

    fn from_packstream(unpacker: &mut Unpacker<'_>) -> Result<Self, Error> {
        // A list header fails to read only as `read_value` fails on it
        // (too few bytes); any other value gives the error as `from_value`
        // words it.
        if next_marker(unpacker) != Some(Kind::List) {
            return Self::from_value(read_value(unpacker)?);
        }
        let len = unpacker.read_list_header().map_err(decode_error)?;
        let mut items = Vec::with_capacity(unpacker.capacity_hint(len));
        for index in 0..len {
            let item = T::from_packstream(unpacker)
                .map_err(|error| Error::mapping(format!("element {index}: {error}")))?;
            items.push(item);
        }
        Ok(items)
    }
}

/// A vector's elements as values: integers for integer vectors, floats
/// for float vectors.
fn vector_elements(vector: &Vector) -> Vec<Value> {
    match vector.to_i64_vec() {
        Some(integers) => integers.into_iter().map(Value::Integer).collect(),
        None => vector.to_f64_vec().into_iter().map(Value::Float).collect(),
    }
}

fn map_entries<T: FromValue>(
    value: Value,
) -> Result<impl Iterator<Item = Result<(String, T), Error>>, Error> {
    match value {
        Value::Map(map) => Ok(map.into_iter().map(|(key, value)| {
            T::from_value(value)
                .map(|value| (key.clone(), value))
                .map_err(|error| Error::mapping(format!("key `{key}`: {error}")))
        })),
        other => Err(mismatch("Map", &other)),
    }
}

impl<T: FromValue> FromValue for BTreeMap<String, T> {
    const ACCEPTS: ValueKinds = ValueKinds::MAP;

    fn from_value(value: Value) -> Result<Self, Error> {
        map_entries(value)?.collect()
    }
}

impl<T: FromValue, S: BuildHasher + Default> FromValue for HashMap<String, T, S> {
    const ACCEPTS: ValueKinds = ValueKinds::MAP;

    fn from_value(value: Value) -> Result<Self, Error> {
        map_entries(value)?.collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_integer_out_of_range_names_the_value_and_the_type() {
        let err = u8::from_value(Value::from(300)).unwrap_err();
        assert_eq!(err.to_string(), "the integer 300 does not fit `u8`");
        assert_eq!(i32::from_value(Value::from(-5)).unwrap(), -5);
    }

    #[test]
    fn nested_errors_say_where_the_value_was() {
        let value = Value::from(vec![Value::from(1), Value::from("two")]);
        let err = Vec::<i64>::from_value(value).unwrap_err();
        assert_eq!(err.to_string(), "element 1: expected Integer, found String");
        let map = Value::Map([("k".to_owned(), Value::Null)].into());
        let err = BTreeMap::<String, bool>::from_value(map).unwrap_err();
        assert_eq!(err.to_string(), "key `k`: expected Boolean, found Null");
    }

    #[test]
    fn only_option_and_value_have_a_value_when_missing() {
        assert_eq!(Option::<i64>::from_missing(), Some(None));
        assert_eq!(Value::from_missing(), Some(Value::Null));
        assert!(i64::from_missing().is_none());
        assert!(String::from_missing().is_none());
    }

    #[test]
    fn accepted_kinds_follow_the_value_variants_read() {
        assert_eq!(String::ACCEPTS, ValueKinds::STRING);
        assert_eq!(u8::ACCEPTS, ValueKinds::INTEGER);
        assert!(f64::ACCEPTS.contains(ValueKinds::INTEGER));
        assert!(!i64::ACCEPTS.contains(ValueKinds::FLOAT));
        assert_eq!(
            Option::<bool>::ACCEPTS,
            ValueKinds::BOOLEAN.union(ValueKinds::NULL)
        );
        assert_eq!(
            Vec::<String>::ACCEPTS,
            ValueKinds::list_of(ValueKinds::STRING)
        );
        assert_eq!(Value::ACCEPTS, ValueKinds::ANY);
        assert_eq!(Node::ACCEPTS, ValueKinds::NODE);
        assert_eq!(Time::ACCEPTS, ValueKinds::ZONED_TIME);
        assert_eq!(BTreeMap::<String, i64>::ACCEPTS, ValueKinds::MAP);
    }

    #[test]
    fn floats_accept_integers_but_integers_do_not_accept_floats() {
        assert_eq!(f64::from_value(Value::from(2)).unwrap(), 2.0);
        assert!(i64::from_value(Value::Float(2.0)).is_err());
    }

    mod straight_from_bytes {
        use super::*;
        use neo_bolt::packstream::{Dialect, to_vec};
        use proptest::prelude::*;

        fn value() -> impl Strategy<Value = Value> {
            let scalar = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Boolean),
                any::<i64>().prop_map(Value::Integer),
                (-300i64..300).prop_map(Value::Integer),
                any::<f64>()
                    .prop_filter("NaN is not equal to itself", |f| !f.is_nan())
                    .prop_map(Value::Float),
                ".{0,40}".prop_map(Value::String),
                prop::collection::vec(any::<u8>(), 0..4).prop_map(Value::Bytes),
            ];
            scalar.prop_recursive(2, 12, 4, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..5).prop_map(Value::List),
                    prop::collection::btree_map("[a-c]{1,2}", inner, 0..3).prop_map(Value::Map),
                ]
            })
        }

        /// Decodes `value` both ways; they must agree on the result or the
        /// error, and the bytes path must end right after the value.
        fn same<T: FromValue + PartialEq + std::fmt::Debug>(value: &Value) {
            let bytes = to_vec(value, Dialect::LATEST).unwrap();
            let mut unpacker = Unpacker::new(&bytes, Dialect::LATEST);
            let from_bytes = T::from_packstream(&mut unpacker);
            let from_value = T::from_value(value.clone());
            match (&from_bytes, &from_value) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b);
                    assert_eq!(unpacker.remaining(), 0, "the whole value was read");
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                _ => panic!(
                    "{value:?}: {from_bytes:?} from the bytes, {from_value:?} from the value"
                ),
            }
        }

        proptest! {
            #[test]
            fn every_type_reads_the_bytes_as_it_reads_the_value(value in value()) {
                same::<bool>(&value);
                same::<i64>(&value);
                same::<i32>(&value);
                same::<u8>(&value);
                same::<f64>(&value);
                same::<f32>(&value);
                same::<String>(&value);
                same::<Value>(&value);
                same::<Option<i64>>(&value);
                same::<Option<String>>(&value);
                same::<Vec<i64>>(&value);
                same::<Vec<Option<String>>>(&value);
                same::<Vec<Vec<f64>>>(&value);
                same::<Box<bool>>(&value);
                same::<BTreeMap<String, i64>>(&value);
            }
        }
    }
}
