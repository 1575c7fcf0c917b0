//! Sequence, map and enum access over the wire forms.

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Visitor};
use serde::forward_to_deserialize_any;

use super::{Deserializer, at};
use crate::Error;

/// The next `len` values as one list (see
/// [`Deserializer::deserialize_items`]).
pub(super) struct ItemsDeserializer<'a, 'de, 'u> {
    pub(super) de: &'a mut Deserializer<'de, 'u>,
    pub(super) len: usize,
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

/// The items of a list.
pub(super) struct Items<'a, 'de, 'u> {
    pub(super) de: &'a mut Deserializer<'de, 'u>,
    pub(super) remaining: usize,
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
pub(super) struct Entries<'a, 'de, 'u> {
    pub(super) de: &'a mut Deserializer<'de, 'u>,
    pub(super) remaining: usize,
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

/// An enum written as a single-entry map `{variant: value}`.
pub(super) struct VariantMap<'a, 'de, 'u> {
    pub(super) de: &'a mut Deserializer<'de, 'u>,
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
