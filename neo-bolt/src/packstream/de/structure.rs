//! Value structures as serde sees them: a map of named fields, a node's
//! properties, or (for [`Value`](crate::Value)) an enum variant per kind.

use serde::de::value::{BorrowedBytesDeserializer, BorrowedStrDeserializer};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

use super::{Deserializer, at, unexpected, unread};
use crate::packstream::decode::struct_name;
use crate::packstream::marker::{self, tag};
use crate::packstream::value_serde::Kind;
use crate::packstream::{Header, Unpacker};
use crate::{Error, ErrorKind};

impl<'de> Deserializer<'de, '_> {
    /// Visits a (checked) structure as a map of its named fields.
    pub(super) fn structure<V: Visitor<'de>>(
        &mut self,
        tag: u8,
        visitor: V,
    ) -> Result<V::Value, Error> {
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
    pub(super) fn map_like<V: Visitor<'de>>(
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
    pub(super) fn named_structure<V: Visitor<'de>>(
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
    pub(super) fn faithful_value<V: Visitor<'de>>(
        &mut self,
        visitor: V,
    ) -> Result<V::Value, Error> {
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
    /// A byte array on the wire.
    Bytes,
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
        use Step::{Bytes as B, Float as F, IdOf, Int as I, List as L, Map as M, Str as S};
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
            tag::VECTOR => (&["type_marker", "data"], &[B, B]),
            tag::UNSUPPORTED => (
                &[
                    "name",
                    "minimum_protocol_major",
                    "minimum_protocol_minor",
                    "extra",
                ],
                &[S, I, I, M],
            ),
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
            Step::Bytes => {
                let v = self.de.unpacker.read_bytes()?;
                seed.deserialize(BorrowedBytesDeserializer::<Error>::new(v))
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
