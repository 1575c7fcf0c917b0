//! Value structures written from their serde structs.

use bytes::BufMut;
use serde::ser::Serialize;

use super::{Serializer, serialize_into};
use crate::packstream::marker::tag;
use crate::packstream::value_serde::Kind;
use crate::packstream::{Dialect, Packer, Unpacker};
use crate::{Error, ErrorKind};

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
    pub(super) fn begin(ser: &'a mut Serializer<'p, B>, kind: Kind) -> Result<Self, Error> {
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
            Kind::Vector => {
                ser.packer.check_vector_types("a vector")?;
                ser.packer.vectors_written = true;
                Some((tag::VECTOR, 2))
            }
            Kind::Unsupported => {
                ser.packer
                    .check_vector_types("an unsupported-type placeholder")?;
                Some((tag::UNSUPPORTED, 4))
            }
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

    pub(super) fn field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
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

    pub(super) fn finish(self) -> Result<(), Error> {
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
