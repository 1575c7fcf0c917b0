//! Map keys: PackStream keys are strings.

use bytes::BufMut;
use serde::ser::{self, Impossible, Serialize};

use crate::packstream::Packer;
use crate::{Error, ErrorKind};

/// Writes a map key: PackStream keys are strings.
pub(super) struct MapKey<'k, B> {
    pub(super) packer: &'k mut Packer<B>,
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
