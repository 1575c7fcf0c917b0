//! Serde serialization straight into a [`Packer`].
//!
//! | serde                                   | PackStream                  |
//! |-----------------------------------------|-----------------------------|
//! | bool, integers (within `i64`)           | Boolean, Integer            |
//! | `f32`, `f64`                            | Float                       |
//! | `char`, `str`                           | String                      |
//! | bytes (`serialize_bytes`)               | Bytes                       |
//! | `None`, unit, unit struct               | Null                        |
//! | `Some(x)`, newtype struct               | `x`                         |
//! | seq, tuple, tuple struct                | List                        |
//! | map (string or char keys), struct       | Map                         |
//! | unit variant                            | String (the variant name)   |
//! | newtype, tuple, struct variant          | Map `{variant: value}`      |
//!
//! The format counts as human-readable (serde's default): Neo4j has no UUID,
//! IP address or similar types, so their text forms are what queries store
//! and compare.
//!
//! Sequences and maps of unknown length are encoded into a scratch buffer
//! and copied after their header: the output is an append-only [`BufMut`],
//! so a header cannot be patched afterwards, and the items can be visited
//! only once, so they cannot be counted first. Known lengths (the common
//! case: vectors, maps, structs) are written straight through.

use bytes::BufMut;
use serde::ser::{self, Impossible, Serialize};

use super::marker::tag;
use super::value_serde::Kind;
use super::{Dialect, Packer, Unpacker};
use crate::{Error, ErrorKind};

/// A serde [`Serializer`](serde::Serializer) that writes PackStream into a
/// [`Packer`].
///
/// ```
/// use neo_bolt::packstream::{Dialect, Packer, Serializer};
/// use serde::Serialize;
///
/// #[derive(Serialize)]
/// struct Person<'a> { name: &'a str, age: u8 }
///
/// let mut out = Vec::new();
/// let mut packer = Packer::new(&mut out, Dialect::LATEST);
/// Person { name: "Ann", age: 42 }.serialize(&mut Serializer::new(&mut packer))?;
/// assert_eq!(out, [0xA2, 0x84, b'n', b'a', b'm', b'e', 0x83, b'A', b'n', b'n',
///                  0x83, b'a', b'g', b'e', 0x2A]);
/// # Ok::<(), neo_bolt::Error>(())
/// ```
pub struct Serializer<'p, B> {
    packer: &'p mut Packer<B>,
}

impl<'p, B: BufMut> Serializer<'p, B> {
    /// A serializer that writes into `packer`.
    pub fn new(packer: &'p mut Packer<B>) -> Self {
        Serializer { packer }
    }
}

/// Serializes `value` into `packer`.
///
/// ```
/// use neo_bolt::packstream::{self, Dialect, Packer};
///
/// let mut out = Vec::new();
/// packstream::serialize_into(&(1, "a"), &mut Packer::new(&mut out, Dialect::LATEST))?;
/// assert_eq!(out, [0x92, 0x01, 0x81, b'a']);
/// # Ok::<(), neo_bolt::Error>(())
/// ```
pub fn serialize_into<T, B>(value: &T, packer: &mut Packer<B>) -> Result<(), Error>
where
    T: Serialize + ?Sized,
    B: BufMut,
{
    value.serialize(&mut Serializer::new(packer))
}

/// Serializes `value` into a new byte vector.
///
/// ```
/// use neo_bolt::packstream::{self, Dialect};
///
/// assert_eq!(packstream::to_bytes(&Some(vec![true]), Dialect::LATEST)?, [0x91, 0xC3]);
/// # Ok::<(), neo_bolt::Error>(())
/// ```
pub fn to_bytes<T: Serialize + ?Sized>(value: &T, dialect: Dialect) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    serialize_into(value, &mut Packer::new(&mut out, dialect))?;
    Ok(out)
}

fn int_out_of_range(value: impl Into<i128>) -> Error {
    Error::new(ErrorKind::IntegerOutOfRange {
        value: value.into(),
        target: "i64 (PackStream Integer)",
    })
}

impl<'a, 'p, B: BufMut> ser::Serializer for &'a mut Serializer<'p, B> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'p, B>;
    type SerializeTuple = Compound<'a, 'p, B>;
    type SerializeTupleStruct = Compound<'a, 'p, B>;
    type SerializeTupleVariant = Compound<'a, 'p, B>;
    type SerializeMap = Compound<'a, 'p, B>;
    type SerializeStruct = StructCompound<'a, 'p, B>;
    type SerializeStructVariant = Compound<'a, 'p, B>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.packer.write_bool(v);
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    #[inline]
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.packer.write_int(v);
        Ok(())
    }

    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        let v = i64::try_from(v).map_err(|_| int_out_of_range(v))?;
        self.serialize_i64(v)
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        let v = i64::try_from(v).map_err(|_| int_out_of_range(v))?;
        self.serialize_i64(v)
    }

    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        match i64::try_from(v) {
            Ok(v) => self.serialize_i64(v),
            Err(_) => Err(match i128::try_from(v) {
                Ok(wide) => int_out_of_range(wide),
                Err(_) => Error::new(ErrorKind::Unencodable(format!(
                    "integer {v} is outside the i64 range of PackStream"
                ))),
            }),
        }
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }

    #[inline]
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.packer.write_float(v);
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.packer.write_str(v.encode_utf8(&mut [0; 4]))
    }

    #[inline]
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.packer.write_str(v)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.packer.write_bytes(v)
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.packer.write_null();
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.serialize_none()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_none()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.packer.write_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.packer.write_map_header(1)?;
        self.packer.write_str(variant)?;
        value.serialize(self)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a, 'p, B>, Error> {
        Compound::begin(self, len, Container::List)
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'p, B>, Error> {
        Compound::begin(self, Some(len), Container::List)
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'p, B>, Error> {
        Compound::begin(self, Some(len), Container::List)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'p, B>, Error> {
        self.packer.write_map_header(1)?;
        self.packer.write_str(variant)?;
        Compound::begin(self, Some(len), Container::List)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a, 'p, B>, Error> {
        Compound::begin(self, len, Container::Map)
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<StructCompound<'a, 'p, B>, Error> {
        match Kind::from_serde_name(name) {
            Some(kind) => StructureWriter::begin(self, kind).map(StructCompound::Structure),
            None => Compound::begin(self, Some(len), Container::Map).map(StructCompound::Map),
        }
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a, 'p, B>, Error> {
        self.packer.write_map_header(1)?;
        self.packer.write_str(variant)?;
        Compound::begin(self, Some(len), Container::Map)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Container {
    List,
    Map,
}

enum Items {
    /// The header is written; `announced` items must follow.
    Direct { announced: usize },
    /// The length is unknown: items go to a scratch buffer.
    Buffered(Vec<u8>),
}

/// An open list or map (from a seq, tuple, map, struct or variant).
pub struct Compound<'a, 'p, B> {
    ser: &'a mut Serializer<'p, B>,
    container: Container,
    items: Items,
    written: usize,
}

impl<'a, 'p, B: BufMut> Compound<'a, 'p, B> {
    fn begin(
        ser: &'a mut Serializer<'p, B>,
        len: Option<usize>,
        container: Container,
    ) -> Result<Self, Error> {
        let items = match len {
            Some(len) => {
                match container {
                    Container::List => ser.packer.write_list_header(len)?,
                    Container::Map => ser.packer.write_map_header(len)?,
                }
                Items::Direct { announced: len }
            }
            None => Items::Buffered(Vec::new()),
        };
        Ok(Compound {
            ser,
            container,
            items,
            written: 0,
        })
    }

    /// Serializes one list item, map key or map value.
    #[inline]
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        match &mut self.items {
            Items::Direct { .. } => value.serialize(&mut *self.ser),
            Items::Buffered(buf) => {
                let mut packer = Packer::new(buf, self.ser.packer.dialect());
                value.serialize(&mut Serializer::new(&mut packer))
            }
        }
    }

    fn key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        match &mut self.items {
            Items::Direct { .. } => key.serialize(MapKey {
                packer: &mut *self.ser.packer,
            }),
            Items::Buffered(buf) => {
                let mut packer = Packer::new(buf, self.ser.packer.dialect());
                key.serialize(MapKey {
                    packer: &mut packer,
                })
            }
        }
    }

    #[inline]
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.written += 1;
        match &mut self.items {
            Items::Direct { .. } => {
                self.ser.packer.write_str(key)?;
                value.serialize(&mut *self.ser)
            }
            Items::Buffered(_) => {
                self.key(key)?;
                self.item(value)
            }
        }
    }

    fn finish(self) -> Result<(), Error> {
        match self.items {
            Items::Direct { announced } if announced == self.written => Ok(()),
            Items::Direct { announced } => Err(Error::new(ErrorKind::Unencodable(format!(
                "a serializer announced {announced} item(s) but produced {}",
                self.written
            )))),
            Items::Buffered(buf) => {
                match self.container {
                    Container::List => self.ser.packer.write_list_header(self.written)?,
                    Container::Map => self.ser.packer.write_map_header(self.written)?,
                }
                self.ser.packer.write_encoded(&buf);
                Ok(())
            }
        }
    }
}

impl<B: BufMut> ser::SerializeSeq for Compound<'_, '_, B> {
    type Ok = ();
    type Error = Error;

    #[inline]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.written += 1;
        self.item(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<B: BufMut> ser::SerializeTuple for Compound<'_, '_, B> {
    type Ok = ();
    type Error = Error;

    #[inline]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<B: BufMut> ser::SerializeTupleStruct for Compound<'_, '_, B> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<B: BufMut> ser::SerializeTupleVariant for Compound<'_, '_, B> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<B: BufMut> ser::SerializeMap for Compound<'_, '_, B> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.written += 1;
        self.key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item(value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl<B: BufMut> ser::SerializeStructVariant for Compound<'_, '_, B> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

/// An open struct: a map of its fields, or a value structure.
pub enum StructCompound<'a, 'p, B> {
    /// A struct written as a map of its field names.
    Map(Compound<'a, 'p, B>),
    /// A value structure ([`Node`](super::Node), [`Date`](super::Date), ...).
    Structure(StructureWriter<'a, 'p, B>),
}

impl<B: BufMut> ser::SerializeStruct for StructCompound<'_, '_, B> {
    type Ok = ();
    type Error = Error;

    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        match self {
            StructCompound::Map(map) => map.field(key, value),
            StructCompound::Structure(s) => s.field(value),
        }
    }

    fn end(self) -> Result<(), Error> {
        match self {
            StructCompound::Map(map) => map.finish(),
            StructCompound::Structure(s) => s.finish(),
        }
    }
}

/// Writes a value structure from the fields of its serde struct, shaped by
/// the packer's dialect exactly as [`Packer::write_value`] shapes it.
pub struct StructureWriter<'a, 'p, B> {
    ser: &'a mut Serializer<'p, B>,
    kind: Kind,
    dialect: Dialect,
    index: usize,
    /// A date-time in the legacy wall-clock form: its fields are collected
    /// first, since the first wire field needs the last serde field.
    legacy: Option<[i64; 3]>,
}

impl<'a, 'p, B: BufMut> StructureWriter<'a, 'p, B> {
    fn begin(ser: &'a mut Serializer<'p, B>, kind: Kind) -> Result<Self, Error> {
        let dialect = ser.packer.dialect();
        let ids = dialect.element_ids;
        let utc = dialect.utc_datetime;
        let mut legacy = None;
        let header = match kind {
            Kind::Node => Some((tag::NODE, if ids { 4 } else { 3 })),
            Kind::UnboundRelationship => Some((tag::UNBOUND_RELATIONSHIP, if ids { 4 } else { 3 })),
            Kind::Relationship => Some((tag::RELATIONSHIP, if ids { 8 } else { 5 })),
            Kind::Path => Some((tag::PATH, 3)),
            Kind::Date => Some((tag::DATE, 1)),
            Kind::Time => Some((tag::TIME, 2)),
            Kind::LocalTime => Some((tag::LOCAL_TIME, 1)),
            Kind::DateTime if utc => Some((tag::DATE_TIME, 3)),
            Kind::DateTime => {
                legacy = Some([0; 3]);
                None
            }
            Kind::DateTimeZoneId if utc => Some((tag::DATE_TIME_ZONE_ID, 3)),
            Kind::DateTimeZoneId => {
                return Err(Error::new(ErrorKind::Unencodable(
                    "a UTC-based date-time with a zone id needs Bolt 5 or the Bolt 4.4 `utc` patch"
                        .into(),
                )));
            }
            Kind::LegacyDateTimeZoneId if !utc => Some((tag::LEGACY_DATE_TIME_ZONE_ID, 3)),
            Kind::LegacyDateTimeZoneId => {
                return Err(Error::new(ErrorKind::Unencodable(
                    "a wall-clock date-time with a zone id exists only in Bolt 4.4 without the `utc` patch"
                        .into(),
                )));
            }
            Kind::LocalDateTime => Some((tag::LOCAL_DATE_TIME, 2)),
            Kind::Duration => Some((tag::DURATION, 4)),
            Kind::Point2D => Some((tag::POINT_2D, 3)),
            Kind::Point3D => Some((tag::POINT_3D, 4)),
        };
        if let Some((tag, fields)) = header {
            ser.packer.write_struct_header(tag, fields)?;
        }
        Ok(StructureWriter {
            ser,
            kind,
            dialect,
            index: 0,
            legacy,
        })
    }

    fn field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let index = self.index;
        self.index += 1;
        if index >= self.kind.field_count() {
            return Err(self.wrong_field_count());
        }
        if let Some(ints) = &mut self.legacy {
            ints[index] = capture_int(value, self.dialect)?;
            return Ok(());
        }
        // Element ids exist on the wire only from Bolt 5 on.
        let skip = !self.dialect.element_ids
            && match self.kind {
                Kind::Node | Kind::UnboundRelationship => index == 3,
                Kind::Relationship => index >= 5,
                _ => false,
            };
        if skip {
            Ok(())
        } else {
            value.serialize(&mut *self.ser)
        }
    }

    fn finish(self) -> Result<(), Error> {
        if self.index != self.kind.field_count() {
            return Err(self.wrong_field_count());
        }
        if let Some([seconds, nanoseconds, offset]) = self.legacy {
            let local = seconds.checked_add(offset).ok_or_else(|| {
                Error::new(ErrorKind::Unencodable(
                    "date-time out of range for the legacy wall-clock form".into(),
                ))
            })?;
            let packer = &mut *self.ser.packer;
            packer.write_struct_header(tag::LEGACY_DATE_TIME, 3)?;
            packer.write_int(local);
            packer.write_int(nanoseconds);
            packer.write_int(offset);
        }
        Ok(())
    }

    fn wrong_field_count(&self) -> Error {
        Error::new(ErrorKind::Unencodable(format!(
            "{} has {} fields, got {}",
            self.kind.type_name(),
            self.kind.field_count(),
            self.index
        )))
    }
}

/// Serializes a value that must be an integer and reads it back.
fn capture_int<T: Serialize + ?Sized>(value: &T, dialect: Dialect) -> Result<i64, Error> {
    let mut scratch = Vec::with_capacity(9);
    serialize_into(value, &mut Packer::new(&mut scratch, dialect))?;
    let mut unpacker = Unpacker::new(&scratch, dialect);
    let int = unpacker.read_int()?;
    unpacker.finish()?;
    Ok(int)
}

/// Writes a map key: PackStream keys are strings.
struct MapKey<'k, B> {
    packer: &'k mut Packer<B>,
}

fn key_must_be_string(found: &str) -> Error {
    Error::new(ErrorKind::Unencodable(format!(
        "map keys must be strings, got a key of type {found}"
    )))
}

macro_rules! reject_key {
    ($($method:ident($($arg:ty),*) => $found:expr;)*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<(), Error> {
            Err(key_must_be_string($found))
        }
    )*};
}

impl<B: BufMut> ser::Serializer for MapKey<'_, B> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    #[inline]
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.packer.write_str(v)
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.packer.write_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.packer.write_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    reject_key! {
        serialize_bool(bool) => "bool";
        serialize_i8(i8) => "i8";
        serialize_i16(i16) => "i16";
        serialize_i32(i32) => "i32";
        serialize_i64(i64) => "i64";
        serialize_i128(i128) => "i128";
        serialize_u8(u8) => "u8";
        serialize_u16(u16) => "u16";
        serialize_u32(u32) => "u32";
        serialize_u64(u64) => "u64";
        serialize_u128(u128) => "u128";
        serialize_f32(f32) => "f32";
        serialize_f64(f64) => "f64";
        serialize_bytes(&[u8]) => "bytes";
        serialize_none() => "Option (None)";
        serialize_unit() => "unit";
        serialize_unit_struct(&'static str) => "unit struct";
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Error> {
        Err(key_must_be_string("Option (Some)"))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_must_be_string("newtype variant"))
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_must_be_string("sequence"))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_must_be_string("tuple"))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_must_be_string("tuple struct"))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_must_be_string("tuple variant"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_must_be_string("map"))
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(key_must_be_string("struct"))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_must_be_string("struct variant"))
    }
}
