//! Helpers shared by the message encoders and decoders: writing maps whose
//! entries are optional, and taking typed entries out of decoded maps.

use bytes::BufMut;

use super::hello::BoltAgent;
use crate::packstream::{Map, Packer, Unpacker, Value};
use crate::{BoltVersion, Error, ErrorKind};

/// One value of a map entry, written without building a [`Value`].
pub(crate) enum Field<'x> {
    Str(&'x str),
    Int(i64),
    StrList(&'x [String]),
    StaticStrList(&'x [&'static str]),
    Map(&'x Map),
    Agent(&'x BoltAgent),
}

impl Field<'_> {
    fn write<B: BufMut>(&self, packer: &mut Packer<B>) -> Result<(), Error> {
        match self {
            Field::Str(s) => packer.write_str(s),
            Field::Int(i) => {
                packer.write_int(*i);
                Ok(())
            }
            Field::StrList(items) => packer.write_str_list(items),
            Field::StaticStrList(items) => packer.write_str_list(items),
            Field::Map(map) => packer.write_map(map),
            Field::Agent(agent) => agent.write(packer),
        }
    }
}

/// Writes a map of the entries that are present, in the given order.
pub(crate) fn write_fields<B: BufMut>(
    packer: &mut Packer<B>,
    entries: &[(&str, Option<Field<'_>>)],
) -> Result<(), Error> {
    let len = entries.iter().filter(|(_, field)| field.is_some()).count();
    packer.write_map_header(len)?;
    for (key, field) in entries {
        if let Some(field) = field {
            packer.write_str(key)?;
            field.write(packer)?;
        }
    }
    Ok(())
}

/// An error for a value of the wrong type.
pub(crate) fn wrong_type(expected: &'static str, found: &Value) -> Error {
    Error::new(ErrorKind::UnexpectedType {
        expected,
        found: found.type_name(),
    })
}

/// An error for a message that breaks the protocol.
pub(crate) fn protocol(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Protocol(message.into()))
}

/// An error for something the negotiated version does not have.
pub(crate) fn not_in_version(
    what: &'static str,
    needs: &'static str,
    version: BoltVersion,
) -> Error {
    Error::new(ErrorKind::NotInVersion {
        what,
        needs,
        version,
    })
}

/// Removes `key`; absent and null both give `None`.
pub(crate) fn take(map: &mut Map, key: &str) -> Option<Value> {
    match map.remove(key) {
        None | Some(Value::Null) => None,
        Some(value) => Some(value),
    }
}

/// Removes a string entry.
pub(crate) fn take_str(map: &mut Map, key: &str) -> Result<Option<String>, Error> {
    match take(map, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(wrong_type("String", &other)),
    }
}

/// Removes an integer entry.
pub(crate) fn take_int(map: &mut Map, key: &str) -> Result<Option<i64>, Error> {
    match take(map, key) {
        None => Ok(None),
        Some(Value::Integer(i)) => Ok(Some(i)),
        Some(other) => Err(wrong_type("Integer", &other)),
    }
}

/// Removes a map entry.
pub(crate) fn take_map(map: &mut Map, key: &str) -> Result<Option<Map>, Error> {
    match take(map, key) {
        None => Ok(None),
        Some(Value::Map(m)) => Ok(Some(m)),
        Some(other) => Err(wrong_type("Map", &other)),
    }
}

/// Removes a list-of-strings entry.
pub(crate) fn take_str_list(map: &mut Map, key: &str) -> Result<Option<Vec<String>>, Error> {
    match take(map, key) {
        None => Ok(None),
        Some(Value::List(items)) => items
            .into_iter()
            .map(|item| match item {
                Value::String(s) => Ok(s),
                other => Err(wrong_type("String", &other)),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(wrong_type("List", &other)),
    }
}

/// Reads a list of strings from the unpacker.
pub(crate) fn read_str_list(unpacker: &mut Unpacker<'_>) -> Result<Vec<String>, Error> {
    let start = unpacker.position();
    match unpacker.read_value()? {
        Value::Null => Ok(Vec::new()),
        Value::List(items) => items
            .into_iter()
            .map(|item| match item {
                Value::String(s) => Ok(s),
                other => Err(Error::at(
                    ErrorKind::UnexpectedType {
                        expected: "String",
                        found: other.type_name(),
                    },
                    start,
                )),
            })
            .collect(),
        other => Err(Error::at(
            ErrorKind::UnexpectedType {
                expected: "List",
                found: other.type_name(),
            },
            start,
        )),
    }
}

/// Reads a map, or null as an empty map.
pub(crate) fn read_map_or_null(unpacker: &mut Unpacker<'_>) -> Result<Map, Error> {
    if unpacker.peek_marker()? == crate::packstream::marker::NULL {
        unpacker.read_header()?;
        return Ok(Map::new());
    }
    unpacker.read_map()
}

/// The string at `key`, if it is one.
pub(crate) fn get_str<'m>(map: &'m Map, key: &str) -> Option<&'m str> {
    map.get(key).and_then(Value::as_str)
}

/// The integer at `key`, if it is one.
pub(crate) fn get_int(map: &Map, key: &str) -> Option<i64> {
    map.get(key).and_then(Value::as_i64)
}

/// The boolean at `key`, if it is one.
pub(crate) fn get_bool(map: &Map, key: &str) -> Option<bool> {
    map.get(key).and_then(Value::as_bool)
}
