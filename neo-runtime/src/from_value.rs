//! Converting one [`Value`] into a Rust type: what the derives build fields
//! from.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use neo_bolt::Value;
use neo_bolt::packstream::{
    Date, DateTime, DateTimeZoneId, Duration, LegacyDateTimeZoneId, LocalDateTime, LocalTime, Node,
    Path, Point2D, Point3D, Relationship, Time, UnboundRelationship,
};

use crate::error::Error;
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
}

/// The error for a value of the wrong type.
pub(crate) fn mismatch(expected: &str, found: &Value) -> Error {
    Error::mapping(format!("expected {expected}, found {}", found.type_name()))
}

impl FromValue for Value {
    fn from_value(value: Value) -> Result<Self, Error> {
        Ok(value)
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

    fn from_missing() -> Option<Self> {
        Some(None)
    }
}

impl<T: FromValue> FromValue for Box<T> {
    const ACCEPTS: ValueKinds = T::ACCEPTS;

    fn from_value(value: Value) -> Result<Self, Error> {
        T::from_value(value).map(Box::new)
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
    bool => Boolean, "Boolean", BOOLEAN;
    i64 => Integer, "Integer", INTEGER;
    String => String, "String", STRING;
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

macro_rules! integer_impls {
    ($($ty:ty),*) => {$(
        impl FromValue for $ty {
            const ACCEPTS: ValueKinds = ValueKinds::INTEGER;

            fn from_value(value: Value) -> Result<Self, Error> {
                let integer = i64::from_value(value)?;
                <$ty>::try_from(integer).map_err(|_| {
                    Error::mapping(format!(
                        "the integer {integer} does not fit `{}`",
                        stringify!($ty)
                    ))
                })
            }
        }
    )*};
}

integer_impls!(i8, i16, i32, isize, u8, u16, u32, u64, usize);

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
}

impl FromValue for f32 {
    const ACCEPTS: ValueKinds = NUMBER;

    fn from_value(value: Value) -> Result<Self, Error> {
        #[allow(clippy::cast_possible_truncation)]
        f64::from_value(value).map(|f| f as f32)
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    const ACCEPTS: ValueKinds = ValueKinds::list_of(T::ACCEPTS);

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
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
}
