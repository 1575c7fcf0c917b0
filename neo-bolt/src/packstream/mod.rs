//! PackStream: the value model and its binary encoding.
//!
//! - [`Value`] and the structures it carries ([`Node`], [`Relationship`],
//!   [`Path`], temporal and spatial types, and from Bolt 6 [`Vector`] and
//!   [`UnsupportedType`]).
//! - [`Packer`] writes values in their smallest form; [`Unpacker`] reads them
//!   back and rejects anything malformed with a typed [`Error`].
//! - [`Dialect`] captures what the negotiated Bolt version changes about value
//!   structures (element ids, UTC date-times).
//! - serde in both directions, with no [`Value`] in the middle:
//!   [`Serializer`] / [`to_bytes`] / [`serialize_into`] write any `Serialize`
//!   type into a [`Packer`]; [`Deserializer`] / [`from_bytes`] read any
//!   `Deserialize` type from an [`Unpacker`], borrowing strings and bytes.
//!
//! ```
//! use neo_bolt::packstream::{self, Dialect};
//! use neo_bolt::Value;
//!
//! let list = Value::List(vec![Value::from(1), Value::from("two"), Value::Null]);
//! let bytes = packstream::to_vec(&list, Dialect::LATEST)?;
//! assert_eq!(bytes, [0x93, 0x01, 0x83, b't', b'w', b'o', 0xC0]);
//! # Ok::<(), neo_bolt::Error>(())
//! ```

mod calendar;
#[cfg(feature = "chrono")]
mod chrono;
mod de;
mod decode;
mod dialect;
mod display;
mod encode;
mod graph;
mod integrations;
pub mod marker;
mod ser;
mod spatial;
mod temporal;
mod value;
mod value_serde;
mod vector;

#[cfg(feature = "chrono")]
pub use chrono::UNIX_EPOCH_DAYS_FROM_CE;
pub use de::{Deserializer, from_bytes};
pub use decode::{DEFAULT_MAX_DEPTH, Header, Unpacker, is_utf8};
pub use dialect::Dialect;
pub use encode::Packer;
pub use graph::{Node, Path, PathSegment, Relationship, UnboundRelationship};
pub use ser::{Compound, Serializer, StructCompound, StructureWriter, serialize_into, to_bytes};
pub use spatial::{Point2D, Point3D};
pub use temporal::{
    Date, DateTime, DateTimeZoneId, Duration, LegacyDateTimeZoneId, LocalDateTime, LocalTime, Time,
};
pub use value::{Map, Value};
pub use vector::{UnsupportedType, Vector, VectorType};

use crate::Error;

/// Encodes one value into a new byte vector.
///
/// ```
/// use neo_bolt::packstream::{to_vec, Dialect};
/// assert_eq!(to_vec(&neo_bolt::Value::Null, Dialect::LATEST)?, [0xC0]);
/// # Ok::<(), neo_bolt::Error>(())
/// ```
pub fn to_vec(value: &Value, dialect: Dialect) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    Packer::new(&mut out, dialect).write_value(value)?;
    Ok(out)
}

/// Decodes exactly one value from `bytes`; trailing bytes are an error.
///
/// ```
/// use neo_bolt::packstream::{from_slice, Dialect};
/// assert_eq!(from_slice(&[0xC9, 0x00, 0x2A], Dialect::LATEST)?, neo_bolt::Value::Integer(42));
/// # Ok::<(), neo_bolt::Error>(())
/// ```
pub fn from_slice(bytes: &[u8], dialect: Dialect) -> Result<Value, Error> {
    let mut unpacker = Unpacker::new(bytes, dialect);
    let value = unpacker.read_value()?;
    unpacker.finish()?;
    Ok(value)
}
