//! Serde deserialization straight from an [`Unpacker`].
//!
//! Strings and byte arrays are borrowed from the input when the target
//! allows (`&'de str`, `&'de [u8]`). Integers fit any integer type or fail
//! with [`ErrorKind::IntegerOutOfRange`]; a struct reads from a map by field
//! name or from a list by position; an enum reads from a string (unit
//! variants) or a single-entry map `{variant: value}`.
//!
//! Value structures: a struct or map asked from a [`Node`](super::Node) or
//! [`Relationship`](super::Relationship) gets its properties, so a
//! `#[derive(Deserialize)] struct Person { name: String }` decodes straight
//! from a node. Anything else sees a structure as a map of its named fields
//! (a node as `{id, labels, properties, element_id}`, a date as `{days}`, ...).
//!
//! Every error carries the byte offset where it was found, nesting is
//! bounded by the [`Unpacker`]'s depth limit, and nothing is allocated by a
//! length read from the input.

mod access;
mod structure;

use serde::de::value::{BorrowedStrDeserializer, SeqDeserializer};
use serde::de::{self, Deserialize, Visitor};

use self::access::{Entries, Items, ItemsDeserializer, VariantMap};
use super::decode::check_value_struct;
use super::marker::{self, tag};
use super::value_serde::{Kind, VALUE_NAME};
use super::{Dialect, Header, Unpacker, Vector};
use crate::{Error, ErrorKind};

/// A serde [`Deserializer`](serde::Deserializer) that reads one PackStream
/// value from an [`Unpacker`].
///
/// It reads exactly one value per `deserialize` call and leaves the
/// unpacker after it, so a caller can mix the two: read a record's list
/// header with the unpacker, then deserialize each field.
///
/// ```
/// use neo_bolt::packstream::{Deserializer, Dialect, Unpacker};
/// use serde::Deserialize;
///
/// let bytes = [0x92, 0x2A, 0x82, b'h', b'i'];
/// let mut unpacker = Unpacker::new(&bytes, Dialect::LATEST);
/// let columns = unpacker.read_list_header()?;
/// let id = i32::deserialize(&mut Deserializer::new(&mut unpacker))?;
/// let word = <&str>::deserialize(&mut Deserializer::new(&mut unpacker))?;
/// assert_eq!((columns, id, word), (2, 42, "hi"));
/// # Ok::<(), neo_bolt::Error>(())
/// ```
pub struct Deserializer<'de, 'u> {
    unpacker: &'u mut Unpacker<'de>,
}

impl<'de, 'u> Deserializer<'de, 'u> {
    /// A deserializer reading from `unpacker`.
    #[inline]
    pub fn new(unpacker: &'u mut Unpacker<'de>) -> Self {
        Deserializer { unpacker }
    }

    /// Deserializes a `T` from the next `len` values, seen as one list: for
    /// a record whose list header the caller has already read. A struct
    /// reads them by position; all `len` values must be used.
    ///
    /// ```
    /// use neo_bolt::packstream::{Deserializer, Dialect, Unpacker};
    ///
    /// let bytes = [0x92, 0x2A, 0x82, b'h', b'i'];
    /// let mut unpacker = Unpacker::new(&bytes, Dialect::LATEST);
    /// let columns = unpacker.read_list_header()?;
    /// let row: (u8, &str) = Deserializer::new(&mut unpacker).deserialize_items(columns)?;
    /// assert_eq!(row, (42, "hi"));
    /// # Ok::<(), neo_bolt::Error>(())
    /// ```
    pub fn deserialize_items<T: Deserialize<'de>>(&mut self, len: usize) -> Result<T, Error> {
        T::deserialize(ItemsDeserializer { de: self, len })
    }
}

/// Deserializes a `T` from exactly the bytes of one value; trailing bytes
/// are an error.
///
/// ```
/// use neo_bolt::packstream::{self, Dialect};
/// use serde::Deserialize;
///
/// #[derive(Deserialize, Debug, PartialEq)]
/// struct Person<'a> { name: &'a str, age: u8 }
///
/// let bytes = [0xA2, 0x84, b'n', b'a', b'm', b'e', 0x83, b'A', b'n', b'n',
///              0x83, b'a', b'g', b'e', 0x2A];
/// let ann: Person<'_> = packstream::from_bytes(&bytes, Dialect::LATEST)?;
/// assert_eq!(ann, Person { name: "Ann", age: 42 });
/// # Ok::<(), neo_bolt::Error>(())
/// ```
pub fn from_bytes<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
    dialect: Dialect,
) -> Result<T, Error> {
    let mut unpacker = Unpacker::new(bytes, dialect);
    let result = T::deserialize(&mut Deserializer::new(&mut unpacker));
    let value = result.map_err(at(unpacker.position()))?;
    unpacker.finish()?;
    Ok(value)
}

fn unexpected(start: usize, expected: &'static str, found: &Header) -> Error {
    Error::at(
        ErrorKind::UnexpectedType {
            expected,
            found: found.type_name(),
        },
        start,
    )
}

/// Puts `offset` on an error that has none yet.
fn at(offset: usize) -> impl Fn(Error) -> Error {
    move |e| e.with_offset_if_unset(offset)
}

fn unread(offset: usize, remaining: usize, what: &str) -> Error {
    Error::at(
        ErrorKind::Message(format!("{remaining} unread item(s) left in a {what}")),
        offset,
    )
}

impl<'de> Deserializer<'de, '_> {
    #[inline]
    fn pos(&self) -> usize {
        self.unpacker.position()
    }

    /// Reads an integer, with every integer form decoded inline.
    #[inline(always)]
    fn int(&mut self) -> Result<i64, Error> {
        let (value, size) = match *self.unpacker.rest() {
            [m @ (0x00..=0x7F | 0xF0..=0xFF), ..] => (i64::from(m as i8), 1),
            [marker::INT_8, a, ..] => (i64::from(i8::from_be_bytes([a])), 2),
            [marker::INT_16, a, b, ..] => (i64::from(i16::from_be_bytes([a, b])), 3),
            [marker::INT_32, a, b, c, d, ..] => (i64::from(i32::from_be_bytes([a, b, c, d])), 5),
            [marker::INT_64, a, b, c, d, e, f, g, h, ..] => {
                (i64::from_be_bytes([a, b, c, d, e, f, g, h]), 9)
            }
            _ => return self.int_slow(),
        };
        self.unpacker.advance(size);
        Ok(value)
    }

    #[cold]
    #[inline(never)]
    fn int_slow(&mut self) -> Result<i64, Error> {
        self.unpacker.read_int()
    }

    /// The error for a value that is not of the `expected` type.
    #[cold]
    #[inline(never)]
    fn not_a(&mut self, expected: &'static str) -> Error {
        let start = self.pos();
        match self.unpacker.read_header() {
            Ok(found) => unexpected(start, expected, &found),
            Err(e) => e,
        }
    }

    /// Reads a string, with the short forms decoded inline.
    #[inline(always)]
    fn str(&mut self) -> Result<&'de str, Error> {
        let rest = self.unpacker.rest();
        let (skip, len) = match *rest {
            [m @ 0x80..=0x8F, ..] => (1, usize::from(m & 0x0F)),
            [marker::STRING_8, len, ..] => (2, usize::from(len)),
            _ => return self.str_slow(),
        };
        match rest.get(skip..skip + len).map(std::str::from_utf8) {
            Some(Ok(s)) => {
                self.unpacker.advance(skip + len);
                Ok(s)
            }
            // Truncated or invalid: the unpacker reports it as usual.
            _ => self.str_slow(),
        }
    }

    #[cold]
    #[inline(never)]
    fn str_slow(&mut self) -> Result<&'de str, Error> {
        self.unpacker.read_str()
    }

    /// Hands a value whose header is read to the visitor, whatever its type.
    fn any_after<V: Visitor<'de>>(
        &mut self,
        header: Header,
        start: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match header {
            Header::Null => visitor.visit_unit(),
            Header::Bool(b) => visitor.visit_bool(b),
            Header::Int(i) => visitor.visit_i64(i),
            Header::Float(f) => visitor.visit_f64(f),
            Header::Bytes(len) => {
                let bytes = self.unpacker.take(len)?;
                visitor.visit_borrowed_bytes(bytes)
            }
            Header::String(len) => {
                let s = self.unpacker.read_str_body(len)?;
                visitor.visit_borrowed_str(s)
            }
            Header::List(len) => self.list(len, visitor),
            Header::Map(len) => self.map(len, visitor),
            Header::Struct { tag, fields } => {
                self.check_struct(tag, fields, start)?;
                self.structure(tag, visitor)
            }
        }
        .map_err(at(start))
    }

    fn check_struct(&self, tag: u8, fields: usize, start: usize) -> Result<(), Error> {
        check_value_struct(self.unpacker.dialect(), tag, fields).map_err(|k| Error::at(k, start))
    }

    /// Visits the `len` items of a list whose header is read.
    #[inline]
    fn list<V: Visitor<'de>>(&mut self, len: usize, visitor: V) -> Result<V::Value, Error> {
        self.unpacker.enter()?;
        let mut items = Items {
            de: &mut *self,
            remaining: len,
        };
        let result = visitor.visit_seq(&mut items);
        let remaining = items.remaining;
        self.unpacker.leave();
        match result {
            Ok(value) if remaining == 0 => Ok(value),
            Ok(_) => Err(unread(self.pos(), remaining, "list")),
            Err(e) => Err(e.with_offset_if_unset(self.pos())),
        }
    }

    /// Visits the `len` entries of a map whose header is read.
    fn map<V: Visitor<'de>>(&mut self, len: usize, visitor: V) -> Result<V::Value, Error> {
        self.unpacker.enter()?;
        let mut entries = Entries {
            de: &mut *self,
            remaining: len,
        };
        let result = visitor.visit_map(&mut entries);
        let remaining = entries.remaining;
        self.unpacker.leave();
        match result {
            Ok(value) if remaining == 0 => Ok(value),
            Ok(_) => Err(unread(self.pos(), remaining, "map")),
            Err(e) => Err(e.with_offset_if_unset(self.pos())),
        }
    }
}

macro_rules! deserialize_int {
    ($($method:ident => $ty:ty, $visit:ident;)*) => {$(
        #[inline]
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let start = self.pos();
            let i = self.int()?;
            match <$ty>::try_from(i) {
                Ok(v) => visitor.$visit(v).map_err(at(start)),
                Err(_) => Err(Error::at(
                    ErrorKind::IntegerOutOfRange {
                        value: i128::from(i),
                        target: stringify!($ty),
                    },
                    start,
                )),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let start = self.pos();
        let header = self.unpacker.read_header()?;
        self.any_after(header, start, visitor)
    }

    #[inline]
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let start = self.pos();
        let b = match self.unpacker.rest() {
            [marker::TRUE, ..] => true,
            [marker::FALSE, ..] => false,
            _ => return Err(self.not_a("Boolean")),
        };
        self.unpacker.advance(1);
        visitor.visit_bool(b).map_err(at(start))
    }

    deserialize_int! {
        deserialize_i8 => i8, visit_i8;
        deserialize_i16 => i16, visit_i16;
        deserialize_i32 => i32, visit_i32;
        deserialize_u8 => u8, visit_u8;
        deserialize_u16 => u16, visit_u16;
        deserialize_u32 => u32, visit_u32;
        deserialize_u64 => u64, visit_u64;
        deserialize_u128 => u128, visit_u128;
    }

    #[inline]
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let start = self.pos();
        let i = self.int()?;
        visitor.visit_i64(i).map_err(at(start))
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let start = self.pos();
        match self.unpacker.read_header()? {
            Header::Int(i) => visitor.visit_i128(i128::from(i)).map_err(at(start)),
            other => Err(unexpected(start, "Integer", &other)),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    /// A float, or an integer (which the float visitors convert).
    #[inline]
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let start = self.pos();
        if let [marker::FLOAT_64, a, b, c, d, e, f, g, h, ..] = *self.unpacker.rest() {
            self.unpacker.advance(9);
            let f = f64::from_be_bytes([a, b, c, d, e, f, g, h]);
            return visitor.visit_f64(f).map_err(at(start));
        }
        match self.unpacker.read_header()? {
            Header::Float(f) => visitor.visit_f64(f),
            Header::Int(i) => visitor.visit_i64(i),
            other => return Err(unexpected(start, "Float", &other)),
        }
        .map_err(at(start))
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    #[inline]
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let start = self.pos();
        let s = self.str()?;
        visitor.visit_borrowed_str(s).map_err(at(start))
    }

    #[inline]
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let start = self.pos();
        let s = self.unpacker.read_string()?;
        visitor.visit_string(s).map_err(at(start))
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let start = self.pos();
        match self.unpacker.read_header()? {
            header @ (Header::Bytes(_) | Header::String(_) | Header::List(_)) => {
                self.any_after(header, start, visitor)
            }
            other => Err(unexpected(start, "Bytes", &other)),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    #[inline]
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.unpacker.peek_marker()? == marker::NULL {
            self.unpacker.read_header()?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let start = self.pos();
        match self.unpacker.read_header()? {
            Header::Null => visitor.visit_unit().map_err(at(start)),
            other => Err(unexpected(start, "Null", &other)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name == VALUE_NAME {
            self.faithful_value(visitor)
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    /// A list; a byte array also reads as a sequence of `u8`.
    /// A list, the bytes of a byte array, or the elements of a vector.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let start = self.pos();
        match self.unpacker.read_header()? {
            Header::List(len) => self.list(len, visitor),
            Header::Struct {
                tag: tag::VECTOR,
                fields,
            } => {
                self.check_struct(tag::VECTOR, fields, start)?;
                self.unpacker.enter()?;
                let vector = self.unpacker.read_vector_fields();
                self.unpacker.leave();
                let seq = match vector? {
                    Vector::I8(items) => visitor.visit_seq(SeqDeserializer::new(items.into_iter())),
                    Vector::I16(items) => {
                        visitor.visit_seq(SeqDeserializer::new(items.into_iter()))
                    }
                    Vector::I32(items) => {
                        visitor.visit_seq(SeqDeserializer::new(items.into_iter()))
                    }
                    Vector::I64(items) => {
                        visitor.visit_seq(SeqDeserializer::new(items.into_iter()))
                    }
                    Vector::F32(items) => {
                        visitor.visit_seq(SeqDeserializer::new(items.into_iter()))
                    }
                    Vector::F64(items) => {
                        visitor.visit_seq(SeqDeserializer::new(items.into_iter()))
                    }
                };
                seq.map_err(at(start))
            }
            Header::Bytes(len) => {
                let bytes = self.unpacker.take(len)?;
                visitor
                    .visit_seq(SeqDeserializer::new(bytes.iter().copied()))
                    .map_err(at(start))
            }
            other => Err(unexpected(start, "List", &other)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let start = self.pos();
        let header = self.unpacker.read_header()?;
        self.map_like(header, start, visitor)
    }

    /// A map by field name, a list by position, a node's or relationship's
    /// properties, or (for our value types) the structure itself.
    #[inline]
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if let Some(kind) = Kind::from_serde_name(name) {
            return self.named_structure(kind, visitor);
        }
        let start = self.pos();
        if let [m @ 0x90..=0x9F, ..] = *self.unpacker.rest() {
            self.unpacker.advance(1);
            return self.list(usize::from(m & 0x0F), visitor);
        }
        match self.unpacker.read_header()? {
            Header::List(len) => self.list(len, visitor),
            header => self.map_like(header, start, visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let start = self.pos();
        match self.unpacker.read_header()? {
            Header::String(len) => {
                let variant = self.unpacker.read_str_body(len)?;
                visitor.visit_enum(BorrowedStrDeserializer::<Error>::new(variant))
            }
            Header::Map(1) => {
                self.unpacker.enter()?;
                let result = visitor.visit_enum(VariantMap { de: &mut *self });
                self.unpacker.leave();
                result
            }
            other => Err(unexpected(start, "String or single-entry Map", &other)),
        }
        .map_err(at(start))
    }

    #[inline]
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.unpacker.skip_value()?;
        visitor.visit_unit()
    }
}
