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

mod key;
mod structure;

use bytes::BufMut;
use serde::ser::{self, Serialize};

use self::key::MapKey;
pub use self::structure::StructureWriter;
use super::value_serde::Kind;
use super::{Dialect, Packer};
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
                self.ser.packer.write_raw(&buf);
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
