//! Decoding a row into any `T: Deserialize`, straight from its PackStream
//! bytes.
//!
//! A record reads as a map from column names to values when a struct or map
//! is asked for, and as a sequence of values when a tuple or sequence is: so
//! any `T: Deserialize` is a row type, and no `Value` tree is built on the
//! way.

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use neo_bolt::packstream::{Deserializer, Dialect, Unpacker};

use crate::error::{Error, ErrorKind, decode_error};

/// A record's fields as a serde data source.
pub(crate) struct RecordDeserializer<'de, 'k> {
    pub(crate) keys: &'k [String],
    pub(crate) unpacker: Unpacker<'de>,
    pub(crate) len: usize,
    /// What the result has learnt about its column order, when rows of a
    /// stream are decoded one after the other.
    pub(crate) order: Option<&'k mut ColumnOrder>,
}

/// Whether a result's columns are exactly a struct's fields, in order.
///
/// Then a row is handed to the struct's visitor as a sequence, which skips
/// matching each column name against the fields. The answer is worked out
/// once per result and row type (by the address of the type's field list).
/// Should a visitor not take the sequence, the row is decoded again as a
/// map, and the sequence is not offered again.
#[derive(Debug, Default)]
#[doc(hidden)]
pub struct ColumnOrder {
    /// The field list last checked (address, length) and the answer.
    checked: Option<(usize, usize, bool)>,
    /// The last row was offered as a sequence.
    pub(crate) offered: bool,
}

impl ColumnOrder {
    /// Whether `keys` are exactly `fields`, in order (worked out once per
    /// field list, by its address).
    #[inline]
    pub fn in_order(&mut self, keys: &[String], fields: &'static [&'static str]) -> bool {
        let id = (fields.as_ptr() as usize, fields.len());
        match self.checked {
            Some((address, len, in_order)) if (address, len) == id => in_order,
            _ => {
                let in_order = keys.len() == fields.len()
                    && keys.iter().zip(fields).all(|(key, field)| key == field);
                self.checked = Some((id.0, id.1, in_order));
                in_order
            }
        }
    }

    /// Stops offering rows as sequences.
    pub(crate) fn decline(&mut self) {
        if let Some((_, _, in_order)) = &mut self.checked {
            *in_order = false;
        }
    }
}

impl<'de> de::Deserializer<'de> for RecordDeserializer<'de, '_> {
    type Error = neo_bolt::Error;

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Self::Error> {
        if self.keys.len() != self.len {
            return Err(de::Error::custom(format!(
                "the record has {} values for {} columns",
                self.len,
                self.keys.len()
            )));
        }
        visitor.visit_map(Columns {
            keys: self.keys,
            unpacker: &mut self.unpacker,
            next: 0,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        mut self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let keys = self.keys;
        if self.keys.len() == self.len
            && let Some(order) = self.order.as_deref_mut()
            && order.in_order(keys, fields)
        {
            order.offered = true;
            let mut values = Values {
                unpacker: &mut self.unpacker,
                left: self.len,
            };
            let value = visitor.visit_seq(&mut values)?;
            if values.left != 0 {
                return Err(de::Error::custom("columns were left unread"));
            }
            return Ok(value);
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_seq(Values {
            unpacker: &mut self.unpacker,
            left: self.len,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct map enum identifier ignored_any
    }
}

struct Columns<'de, 'a, 'k> {
    keys: &'k [String],
    unpacker: &'a mut Unpacker<'de>,
    next: usize,
}

impl<'de> MapAccess<'de> for Columns<'de, '_, '_> {
    type Error = neo_bolt::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.keys.get(self.next) {
            Some(key) => seed.deserialize(key.as_str().into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let key = self.keys.get(self.next).map_or("?", String::as_str);
        self.next += 1;
        seed.deserialize(&mut Deserializer::new(self.unpacker))
            .map_err(|error| de::Error::custom(format!("column `{key}`: {error}")))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.keys.len() - self.next)
    }
}

struct Values<'de, 'a> {
    unpacker: &'a mut Unpacker<'de>,
    left: usize,
}

impl<'de> SeqAccess<'de> for Values<'de, '_> {
    type Error = neo_bolt::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut Deserializer::new(self.unpacker))
            .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// Decodes a RECORD message body into a row type; `order` carries what
/// earlier rows of the same result taught (see [`ColumnOrder`]).
pub(crate) fn decode_row<'r, T: Deserialize<'r>>(
    keys: &[String],
    body: &'r [u8],
    dialect: Dialect,
    order: Option<&mut ColumnOrder>,
) -> Result<T, Error> {
    let mut unpacker = Unpacker::new(body.get(2..).unwrap_or_default(), dialect);
    let len = unpacker.read_list_header().map_err(decode_error)?;
    let Some(order) = order else {
        return T::deserialize(RecordDeserializer {
            keys,
            unpacker,
            len,
            order: None,
        })
        .map_err(|error| mapping_error::<T>("record", error));
    };
    order.offered = false;
    let first = T::deserialize(RecordDeserializer {
        keys,
        unpacker: unpacker.clone(),
        len,
        order: Some(&mut *order),
    });
    match first {
        Err(_) if order.offered => {
            // The row type did not take the row as a sequence: decode it by
            // column name, which also gives the error that names the column.
            order.decline();
            T::deserialize(RecordDeserializer {
                keys,
                unpacker,
                len,
                order: None,
            })
        }
        first => first,
    }
    .map_err(|error| mapping_error::<T>("record", error))
}

pub(super) fn mapping_error<T>(what: &str, error: neo_bolt::Error) -> Error {
    Error::new(
        ErrorKind::Mapping,
        format!(
            "{what} does not fit `{}`: {error}",
            std::any::type_name::<T>()
        ),
    )
}
