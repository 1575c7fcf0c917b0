//! The PackStream encoder.

use bytes::BufMut;

use super::marker::{self, tag};
use super::{Dialect, Map, Value};
use crate::{Error, ErrorKind};

/// Writes PackStream values into a buffer, each in its smallest form.
///
/// The low-level `write_*` methods let callers (the serde serializer, the
/// message encoder) stream values without building a [`Value`] first.
///
/// ```
/// use neo_bolt::packstream::{Dialect, Packer};
///
/// let mut out = Vec::new();
/// let mut packer = Packer::new(&mut out, Dialect::LATEST);
/// packer.write_map_header(1)?;
/// packer.write_str("n")?;
/// packer.write_int(-1);
/// assert_eq!(out, [0xA1, 0x81, b'n', 0xFF]);
/// # Ok::<(), neo_bolt::Error>(())
/// ```
pub struct Packer<B> {
    out: B,
    dialect: Dialect,
    pub(crate) vectors_written: bool,
}

impl<B: BufMut> Packer<B> {
    /// A packer that appends to `out`.
    pub fn new(out: B, dialect: Dialect) -> Self {
        Packer {
            out,
            dialect,
            vectors_written: false,
        }
    }

    /// The dialect values are written in.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Gives the buffer back.
    pub fn into_inner(self) -> B {
        self.out
    }

    /// Writes null.
    pub fn write_null(&mut self) {
        self.out.put_u8(marker::NULL);
    }

    /// Writes a boolean.
    pub fn write_bool(&mut self, value: bool) {
        self.out
            .put_u8(if value { marker::TRUE } else { marker::FALSE });
    }

    /// Writes an integer in the smallest form that holds it.
    #[inline]
    pub fn write_int(&mut self, value: i64) {
        // Each form is written with one `put_slice`: one capacity check.
        if (-16..=127).contains(&value) {
            // TINY_INT: the marker is the value's low byte.
            self.out.put_u8(value as u8);
        } else if let Ok(v) = i8::try_from(value) {
            self.out.put_slice(&[marker::INT_8, v as u8]);
        } else if let Ok(v) = i16::try_from(value) {
            let [a, b] = v.to_be_bytes();
            self.out.put_slice(&[marker::INT_16, a, b]);
        } else if let Ok(v) = i32::try_from(value) {
            let [a, b, c, d] = v.to_be_bytes();
            self.out.put_slice(&[marker::INT_32, a, b, c, d]);
        } else {
            self.write_marked_u64(marker::INT_64, value.to_be_bytes());
        }
    }

    /// Writes a float.
    #[inline]
    pub fn write_float(&mut self, value: f64) {
        self.write_marked_u64(marker::FLOAT_64, value.to_be_bytes());
    }

    #[inline]
    fn write_marked_u64(&mut self, marker: u8, [a, b, c, d, e, f, g, h]: [u8; 8]) {
        self.out.put_slice(&[marker, a, b, c, d, e, f, g, h]);
    }

    /// Writes a byte array.
    pub fn write_bytes(&mut self, value: &[u8]) -> Result<(), Error> {
        let len = value.len();
        if len <= usize::from(u8::MAX) {
            self.out.put_slice(&[marker::BYTES_8, len as u8]);
        } else if len <= usize::from(u16::MAX) {
            let [a, b] = (len as u16).to_be_bytes();
            self.out.put_slice(&[marker::BYTES_16, a, b]);
        } else {
            let [a, b, c, d] = checked_u32(len, "byte array")?.to_be_bytes();
            self.out.put_slice(&[marker::BYTES_32, a, b, c, d]);
        }
        self.out.put_slice(value);
        Ok(())
    }

    /// Writes a string.
    #[inline]
    pub fn write_str(&mut self, value: &str) -> Result<(), Error> {
        self.write_sized_header(
            value.len(),
            marker::TINY_STRING,
            [marker::STRING_8, marker::STRING_16, marker::STRING_32],
            "string",
        )?;
        self.out.put_slice(value.as_bytes());
        Ok(())
    }

    /// Writes the header of a list of `len` items; the items follow.
    #[inline]
    pub fn write_list_header(&mut self, len: usize) -> Result<(), Error> {
        self.write_sized_header(
            len,
            marker::TINY_LIST,
            [marker::LIST_8, marker::LIST_16, marker::LIST_32],
            "list",
        )
    }

    /// Writes the header of a map of `len` entries; keys and values follow.
    #[inline]
    pub fn write_map_header(&mut self, len: usize) -> Result<(), Error> {
        self.write_sized_header(
            len,
            marker::TINY_MAP,
            [marker::MAP_8, marker::MAP_16, marker::MAP_32],
            "map",
        )
    }

    /// Writes the header of a structure with `fields` fields (at most 15).
    #[inline]
    pub fn write_struct_header(&mut self, tag: u8, fields: usize) -> Result<(), Error> {
        if fields > 15 {
            return Err(too_many_fields(fields));
        }
        self.out
            .put_slice(&[marker::TINY_STRUCT | fields as u8, tag]);
        Ok(())
    }

    #[inline]
    fn write_sized_header(
        &mut self,
        len: usize,
        tiny: u8,
        [m8, m16, m32]: [u8; 3],
        what: &str,
    ) -> Result<(), Error> {
        if len < 16 {
            self.out.put_u8(tiny | len as u8);
        } else if len <= usize::from(u8::MAX) {
            self.out.put_slice(&[m8, len as u8]);
        } else if len <= usize::from(u16::MAX) {
            let [a, b] = (len as u16).to_be_bytes();
            self.out.put_slice(&[m16, a, b]);
        } else {
            let [a, b, c, d] = checked_u32(len, what)?.to_be_bytes();
            self.out.put_slice(&[m32, a, b, c, d]);
        }
        Ok(())
    }

    /// Copies bytes that already hold encoded PackStream data, verbatim.
    ///
    /// The caller vouches for the bytes; nothing is checked.
    #[inline]
    pub fn write_raw(&mut self, bytes: &[u8]) {
        self.out.put_slice(bytes);
    }

    /// Writes a map of values.
    pub fn write_map(&mut self, map: &Map) -> Result<(), Error> {
        self.write_map_header(map.len())?;
        for (key, value) in map {
            self.write_str(key)?;
            self.write_value(value)?;
        }
        Ok(())
    }

    /// Writes a list of strings.
    pub fn write_str_list<S: AsRef<str>>(&mut self, items: &[S]) -> Result<(), Error> {
        self.write_list_header(items.len())?;
        for item in items {
            self.write_str(item.as_ref())?;
        }
        Ok(())
    }

    /// Writes any value, with structures shaped by the packer's dialect.
    pub fn write_value(&mut self, value: &Value) -> Result<(), Error> {
        match value {
            Value::Null => self.write_null(),
            Value::Boolean(b) => self.write_bool(*b),
            Value::Integer(i) => self.write_int(*i),
            Value::Float(f) => self.write_float(*f),
            Value::Bytes(b) => self.write_bytes(b)?,
            Value::String(s) => self.write_str(s)?,
            Value::List(items) => {
                self.write_list_header(items.len())?;
                for item in items {
                    self.write_value(item)?;
                }
            }
            Value::Map(map) => self.write_map(map)?,
            Value::Node(node) => self.write_node(node)?,
            Value::Relationship(rel) => {
                let ids = self.dialect.element_ids;
                self.write_struct_header(tag::RELATIONSHIP, if ids { 8 } else { 5 })?;
                self.write_int(rel.id);
                self.write_int(rel.start_node_id);
                self.write_int(rel.end_node_id);
                self.write_str(&rel.rel_type)?;
                self.write_map(&rel.properties)?;
                if ids {
                    self.write_str(&rel.element_id)?;
                    self.write_str(&rel.start_node_element_id)?;
                    self.write_str(&rel.end_node_element_id)?;
                }
            }
            Value::UnboundRelationship(rel) => self.write_unbound(rel)?,
            Value::Path(path) => {
                self.write_struct_header(tag::PATH, 3)?;
                self.write_list_header(path.nodes.len())?;
                for node in &path.nodes {
                    self.write_node(node)?;
                }
                self.write_list_header(path.relationships.len())?;
                for rel in &path.relationships {
                    self.write_unbound(rel)?;
                }
                self.write_list_header(path.indices.len())?;
                for index in &path.indices {
                    self.write_int(*index);
                }
            }
            Value::Date(d) => {
                self.write_struct_header(tag::DATE, 1)?;
                self.write_int(d.days);
            }
            Value::Time(t) => {
                self.write_struct_header(tag::TIME, 2)?;
                self.write_int(t.nanoseconds);
                self.write_int(t.tz_offset_seconds);
            }
            Value::LocalTime(t) => {
                self.write_struct_header(tag::LOCAL_TIME, 1)?;
                self.write_int(t.nanoseconds);
            }
            Value::DateTime(dt) => {
                if self.dialect.utc_datetime {
                    self.write_struct_header(tag::DATE_TIME, 3)?;
                    self.write_int(dt.seconds);
                } else {
                    let local = dt
                        .seconds
                        .checked_add(dt.tz_offset_seconds)
                        .ok_or_else(|| {
                            Error::new(ErrorKind::Unencodable(
                                "date-time out of range for the legacy wall-clock form".into(),
                            ))
                        })?;
                    self.write_struct_header(tag::LEGACY_DATE_TIME, 3)?;
                    self.write_int(local);
                }
                self.write_int(dt.nanoseconds);
                self.write_int(dt.tz_offset_seconds);
            }
            Value::DateTimeZoneId(dt) => {
                if !self.dialect.utc_datetime {
                    return Err(Error::new(ErrorKind::Unencodable(
                        "a UTC-based date-time with a zone id needs Bolt 5 or the Bolt 4.4 `utc` patch"
                            .into(),
                    )));
                }
                self.write_struct_header(tag::DATE_TIME_ZONE_ID, 3)?;
                self.write_int(dt.seconds);
                self.write_int(dt.nanoseconds);
                self.write_str(&dt.tz_id)?;
            }
            Value::LegacyDateTimeZoneId(dt) => {
                if self.dialect.utc_datetime {
                    return Err(Error::new(ErrorKind::Unencodable(
                        "a wall-clock date-time with a zone id exists only in Bolt 4.4 without the `utc` patch"
                            .into(),
                    )));
                }
                self.write_struct_header(tag::LEGACY_DATE_TIME_ZONE_ID, 3)?;
                self.write_int(dt.local_seconds);
                self.write_int(dt.nanoseconds);
                self.write_str(&dt.tz_id)?;
            }
            Value::LocalDateTime(dt) => {
                self.write_struct_header(tag::LOCAL_DATE_TIME, 2)?;
                self.write_int(dt.seconds);
                self.write_int(dt.nanoseconds);
            }
            Value::Duration(d) => {
                self.write_struct_header(tag::DURATION, 4)?;
                self.write_int(d.months);
                self.write_int(d.days);
                self.write_int(d.seconds);
                self.write_int(d.nanoseconds);
            }
            Value::Point2D(p) => {
                self.write_struct_header(tag::POINT_2D, 3)?;
                self.write_int(p.srid);
                self.write_float(p.x);
                self.write_float(p.y);
            }
            Value::Point3D(p) => {
                self.write_struct_header(tag::POINT_3D, 4)?;
                self.write_int(p.srid);
                self.write_float(p.x);
                self.write_float(p.y);
                self.write_float(p.z);
            }
            Value::Vector(vector) => self.write_vector(vector)?,
            Value::Unsupported(placeholder) => {
                self.check_vector_types("an unsupported-type placeholder")?;
                self.write_struct_header(tag::UNSUPPORTED, 4)?;
                self.write_str(placeholder.name())?;
                let version = placeholder.minimum_protocol_version();
                self.write_int(i64::from(version.major));
                self.write_int(i64::from(version.minor));
                let mut extra = Map::new();
                if let Some(message) = placeholder.message() {
                    extra.insert("message".into(), Value::from(message));
                }
                self.write_map(&extra)?;
            }
        }
        Ok(())
    }

    /// Writes a vector (Bolt 6+): its element type's marker and its
    /// big-endian elements, both as bytes.
    pub fn write_vector(&mut self, vector: &super::Vector) -> Result<(), Error> {
        self.check_vector_types("a vector")?;
        self.write_struct_header(tag::VECTOR, 2)?;
        self.write_bytes(&[vector.element_type().marker()])?;
        self.write_bytes(&vector.to_be_bytes())?;
        self.vectors_written = true;
        Ok(())
    }

    /// Whether a vector was written (to tell values that need Bolt 6).
    pub fn wrote_vectors(&self) -> bool {
        self.vectors_written
    }

    pub(crate) fn check_vector_types(&self, what: &str) -> Result<(), Error> {
        if self.dialect.vector_types {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::Unencodable(format!(
                "{what} needs Bolt 6.0 or later"
            ))))
        }
    }

    fn write_node(&mut self, node: &super::Node) -> Result<(), Error> {
        let ids = self.dialect.element_ids;
        self.write_struct_header(tag::NODE, if ids { 4 } else { 3 })?;
        self.write_int(node.id);
        self.write_str_list(&node.labels)?;
        self.write_map(&node.properties)?;
        if ids {
            self.write_str(&node.element_id)?;
        }
        Ok(())
    }

    fn write_unbound(&mut self, rel: &super::UnboundRelationship) -> Result<(), Error> {
        let ids = self.dialect.element_ids;
        self.write_struct_header(tag::UNBOUND_RELATIONSHIP, if ids { 4 } else { 3 })?;
        self.write_int(rel.id);
        self.write_str(&rel.rel_type)?;
        self.write_map(&rel.properties)?;
        if ids {
            self.write_str(&rel.element_id)?;
        }
        Ok(())
    }
}

#[cold]
#[inline(never)]
fn too_many_fields(fields: usize) -> Error {
    Error::new(ErrorKind::Unencodable(format!(
        "a structure has at most 15 fields, got {fields}"
    )))
}

#[cold]
#[inline(never)]
fn too_long(len: usize, what: &str) -> Error {
    Error::new(ErrorKind::Unencodable(format!(
        "a {what} of {len} elements exceeds PackStream's 4 GiB limit"
    )))
}

fn checked_u32(len: usize, what: &str) -> Result<u32, Error> {
    u32::try_from(len).map_err(|_| too_long(len, what))
}
