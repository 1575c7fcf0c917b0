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

use serde::de::value::{BorrowedStrDeserializer, SeqDeserializer};
use serde::de::{self, Deserialize, DeserializeSeed, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

use super::decode::{check_value_struct, struct_name};
use super::marker::{self, tag};
use super::value_serde::{Kind, VALUE_NAME};
use super::{Dialect, Header, Unpacker};
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

/// The next `len` values as one list (see
/// [`Deserializer::deserialize_items`]).
struct ItemsDeserializer<'a, 'de, 'u> {
    de: &'a mut Deserializer<'de, 'u>,
    len: usize,
}

impl<'de> de::Deserializer<'de> for ItemsDeserializer<'_, 'de, '_> {
    type Error = Error;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.de.list(self.len, visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
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

    /// Visits a (checked) structure as a map of its named fields.
    fn structure<V: Visitor<'de>>(&mut self, tag: u8, visitor: V) -> Result<V::Value, Error> {
        self.unpacker.enter()?;
        let result = self.structure_fields(tag, visitor);
        self.unpacker.leave();
        result
    }

    fn structure_fields<V: Visitor<'de>>(
        &mut self,
        tag: u8,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let plan = Plan::new(tag, self.unpacker)?;
        let steps = plan.steps.len();
        let mut fields = Fields {
            de: &mut *self,
            plan,
            index: 0,
            ints: [0; 8],
        };
        let result = visitor.visit_map(&mut fields);
        let index = fields.index;
        match result {
            Ok(value) if index == steps => Ok(value),
            Ok(_) => Err(unread(self.pos(), steps - index, "structure")),
            Err(e) => Err(e.with_offset_if_unset(self.pos())),
        }
    }

    /// Visits the properties of a (checked) node or relationship as a map.
    fn properties<V: Visitor<'de>>(
        &mut self,
        tag: u8,
        fields: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.unpacker.enter()?;
        let result = self.properties_inner(tag, fields, visitor);
        self.unpacker.leave();
        result
    }

    fn properties_inner<V: Visitor<'de>>(
        &mut self,
        tag: u8,
        fields: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        // Fields before the properties: id, labels (node); id, type
        // (unbound); id, start, end, type (relationship).
        let before = if tag == tag::RELATIONSHIP { 4 } else { 2 };
        for _ in 0..before {
            self.unpacker.skip_value()?;
        }
        let start = self.pos();
        let value = match self.unpacker.read_header()? {
            Header::Map(len) => self.map(len, visitor)?,
            other => return Err(unexpected(start, "Map", &other)),
        };
        for _ in before + 1..fields {
            self.unpacker.skip_value()?;
        }
        Ok(value)
    }

    /// A map asked for: a map, a node's or relationship's properties, or a
    /// structure's named fields.
    fn map_like<V: Visitor<'de>>(
        &mut self,
        header: Header,
        start: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match header {
            Header::Map(len) => self.map(len, visitor),
            Header::Struct { tag, fields } => {
                self.check_struct(tag, fields, start)?;
                match tag {
                    tag::NODE | tag::RELATIONSHIP | tag::UNBOUND_RELATIONSHIP => {
                        self.properties(tag, fields, visitor)
                    }
                    _ => self.structure(tag, visitor),
                }
            }
            other => Err(unexpected(start, "Map", &other)),
        }
    }

    /// One of our value structures, asked for by its reserved serde name.
    fn named_structure<V: Visitor<'de>>(
        &mut self,
        kind: Kind,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let start = self.pos();
        match self.unpacker.read_header()? {
            Header::Struct { tag, fields } => {
                self.check_struct(tag, fields, start)?;
                if Kind::from_tag(tag) != Some(kind) {
                    return Err(Error::at(
                        ErrorKind::UnexpectedType {
                            expected: kind.type_name(),
                            found: struct_name(tag),
                        },
                        start,
                    ));
                }
                self.structure(tag, visitor)
            }
            other => Err(unexpected(start, kind.type_name(), &other)),
        }
    }

    /// [`Value`](super::Value) asking for a faithful value: structures are
    /// enum variants named after their kind.
    fn faithful_value<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Error> {
        let start = self.pos();
        match self.unpacker.read_header()? {
            Header::Struct { tag, fields } => {
                self.check_struct(tag, fields, start)?;
                visitor
                    .visit_enum(StructureEnum { de: self, tag })
                    .map_err(at(start))
            }
            other => self.any_after(other, start, visitor),
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

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
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
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let start = self.pos();
        match self.unpacker.read_header()? {
            Header::List(len) => self.list(len, visitor),
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

/// The items of a list.
struct Items<'a, 'de, 'u> {
    de: &'a mut Deserializer<'de, 'u>,
    remaining: usize,
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de, '_> {
    type Error = Error;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.remaining == 0 {
            return Ok(None);
        }
        self.remaining -= 1;
        seed.deserialize(&mut *self.de).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.de.unpacker.capacity_hint(self.remaining))
    }
}

/// The entries of a map; keys must be strings.
struct Entries<'a, 'de, 'u> {
    de: &'a mut Deserializer<'de, 'u>,
    remaining: usize,
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de, '_> {
    type Error = Error;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.remaining == 0 {
            return Ok(None);
        }
        let start = self.de.pos();
        let key = self.de.str()?;
        seed.deserialize(BorrowedStrDeserializer::<Error>::new(key))
            .map(Some)
            .map_err(at(start))
    }

    #[inline]
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        self.remaining = self.remaining.saturating_sub(1);
        seed.deserialize(&mut *self.de)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.de.unpacker.capacity_hint(self.remaining))
    }
}

/// How one named field of a structure is read.
#[derive(Clone, Copy)]
enum Step {
    /// An integer on the wire (remembered for `IdOf`).
    Int,
    /// A float on the wire.
    Float,
    /// A string on the wire.
    Str,
    /// A list on the wire, handed to the field's deserializer.
    List,
    /// A map on the wire, handed to the field's deserializer.
    Map,
    /// No wire field (Bolt 4.4): the decimal form of an earlier integer.
    IdOf(usize),
    /// No wire field left: a value computed up front.
    Given(usize),
}

/// The named fields of one structure in one dialect.
struct Plan {
    names: &'static [&'static str],
    steps: &'static [Step],
    given: [i64; 3],
}

impl Plan {
    /// The plan for a checked structure; the legacy wall-clock date-time is
    /// read here already, as its first field needs its last.
    fn new(t: u8, unpacker: &mut Unpacker<'_>) -> Result<Plan, Error> {
        use Step::{Float as F, IdOf, Int as I, List as L, Map as M, Str as S};
        const NODE: &[&str] = &["id", "labels", "properties", "element_id"];
        const REL: &[&str] = &[
            "id",
            "start_node_id",
            "end_node_id",
            "rel_type",
            "properties",
            "element_id",
            "start_node_element_id",
            "end_node_element_id",
        ];
        const UNBOUND: &[&str] = &["id", "rel_type", "properties", "element_id"];
        const DATE_TIME: &[&str] = &["seconds", "nanoseconds", "tz_offset_seconds"];
        let ids = unpacker.dialect().element_ids;
        let mut given = [0; 3];
        let (names, steps): (&'static [&'static str], &'static [Step]) = match t {
            tag::NODE if ids => (NODE, &[I, L, M, S]),
            tag::NODE => (NODE, &[I, L, M, IdOf(0)]),
            tag::RELATIONSHIP if ids => (REL, &[I, I, I, S, M, S, S, S]),
            tag::RELATIONSHIP => (REL, &[I, I, I, S, M, IdOf(0), IdOf(1), IdOf(2)]),
            tag::UNBOUND_RELATIONSHIP if ids => (UNBOUND, &[I, S, M, S]),
            tag::UNBOUND_RELATIONSHIP => (UNBOUND, &[I, S, M, IdOf(0)]),
            tag::PATH => (&["nodes", "relationships", "indices"], &[L, L, L]),
            tag::DATE => (&["days"], &[I]),
            tag::TIME => (&["nanoseconds", "tz_offset_seconds"], &[I, I]),
            tag::LOCAL_TIME => (&["nanoseconds"], &[I]),
            tag::DATE_TIME => (DATE_TIME, &[I, I, I]),
            tag::LEGACY_DATE_TIME => {
                let start = unpacker.position();
                let local_seconds = unpacker.read_int()?;
                let nanoseconds = unpacker.read_int()?;
                let offset = unpacker.read_int()?;
                let seconds = local_seconds.checked_sub(offset).ok_or_else(|| {
                    Error::at(
                        ErrorKind::Protocol("legacy date-time out of range".into()),
                        start,
                    )
                })?;
                given = [seconds, nanoseconds, offset];
                (DATE_TIME, &[Step::Given(0), Step::Given(1), Step::Given(2)])
            }
            tag::DATE_TIME_ZONE_ID => (&["seconds", "nanoseconds", "tz_id"], &[I, I, S]),
            tag::LEGACY_DATE_TIME_ZONE_ID => {
                (&["local_seconds", "nanoseconds", "tz_id"], &[I, I, S])
            }
            tag::LOCAL_DATE_TIME => (&["seconds", "nanoseconds"], &[I, I]),
            tag::DURATION => (&["months", "days", "seconds", "nanoseconds"], &[I, I, I, I]),
            tag::POINT_2D => (&["srid", "x", "y"], &[I, F, F]),
            tag::POINT_3D => (&["srid", "x", "y", "z"], &[I, F, F, F]),
            other => return Err(unpacker.error(ErrorKind::UnknownStructTag(other))),
        };
        Ok(Plan {
            names,
            steps,
            given,
        })
    }
}

/// A structure's fields, as a map from field names.
struct Fields<'a, 'de, 'u> {
    de: &'a mut Deserializer<'de, 'u>,
    plan: Plan,
    index: usize,
    ints: [i64; 8],
}

impl Fields<'_, '_, '_> {
    /// Fails unless the next value is a list (or, with `list` false, a map).
    fn expect_container(&mut self, list: bool) -> Result<(), Error> {
        let ok = match self.de.unpacker.rest() {
            [0x90..=0x9F | marker::LIST_8..=marker::LIST_32, ..] => list,
            [0xA0..=0xAF | marker::MAP_8..=marker::MAP_32, ..] => !list,
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(self.de.not_a(if list { "List" } else { "Map" }))
        }
    }
}

impl<'de> de::MapAccess<'de> for Fields<'_, 'de, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.plan.names.get(self.index) {
            Some(name) => seed
                .deserialize(BorrowedStrDeserializer::<Error>::new(name))
                .map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let index = self.index;
        self.index += 1;
        let step = self.plan.steps.get(index).copied().ok_or_else(|| {
            self.de.unpacker.error(ErrorKind::Message(
                "structure field read past its end".into(),
            ))
        })?;
        match step {
            Step::Int => {
                let v = self.de.unpacker.read_int()?;
                if let Some(slot) = self.ints.get_mut(index) {
                    *slot = v;
                }
                seed.deserialize(v.into_deserializer())
            }
            Step::Float => {
                let v = self.de.unpacker.read_float()?;
                seed.deserialize(v.into_deserializer())
            }
            Step::Str => {
                let v = self.de.unpacker.read_str()?;
                seed.deserialize(BorrowedStrDeserializer::<Error>::new(v))
            }
            Step::List => {
                self.expect_container(true)?;
                seed.deserialize(&mut *self.de)
            }
            Step::Map => {
                self.expect_container(false)?;
                seed.deserialize(&mut *self.de)
            }
            Step::IdOf(i) => {
                let id = self.ints.get(i).copied().unwrap_or_default();
                seed.deserialize(id.to_string().into_deserializer())
            }
            Step::Given(i) => {
                let v = self.plan.given.get(i).copied().unwrap_or_default();
                seed.deserialize(v.into_deserializer())
            }
        }
    }
}

/// A structure offered to [`Value`](super::Value) as an enum variant.
struct StructureEnum<'a, 'de, 'u> {
    de: &'a mut Deserializer<'de, 'u>,
    tag: u8,
}

impl<'de> de::EnumAccess<'de> for StructureEnum<'_, 'de, '_> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let kind = Kind::from_tag(self.tag).ok_or_else(|| {
            self.de
                .unpacker
                .error(ErrorKind::UnknownStructTag(self.tag))
        })?;
        let variant = seed.deserialize(BorrowedStrDeserializer::<Error>::new(kind.type_name()))?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for StructureEnum<'_, 'de, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Err(de::Error::invalid_type(
            de::Unexpected::NewtypeVariant,
            &"a unit variant",
        ))
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(StructureContent {
            de: self.de,
            tag: self.tag,
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, Error> {
        Err(de::Error::invalid_type(
            de::Unexpected::NewtypeVariant,
            &"a tuple variant",
        ))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.de.structure(self.tag, visitor)
    }
}

/// The fields of a structure whose header is read.
struct StructureContent<'a, 'de, 'u> {
    de: &'a mut Deserializer<'de, 'u>,
    tag: u8,
}

impl<'de> de::Deserializer<'de> for StructureContent<'_, 'de, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.de.structure(self.tag, visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// An enum written as a single-entry map `{variant: value}`.
struct VariantMap<'a, 'de, 'u> {
    de: &'a mut Deserializer<'de, 'u>,
}

impl<'de> de::EnumAccess<'de> for VariantMap<'_, 'de, '_> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let name = self.de.unpacker.read_str()?;
        let variant = seed.deserialize(BorrowedStrDeserializer::<Error>::new(name))?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for VariantMap<'_, 'de, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        de::Deserialize::deserialize(&mut *self.de)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(&mut *self.de)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_tuple(&mut *self.de, len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_struct(&mut *self.de, "", fields, visitor)
    }
}
