//! Responses: server to client.

use bytes::{BufMut, Bytes};

use super::success::Success;
use super::tag;
use crate::packstream::{Dialect, Packer, Unpacker, Value};
use crate::server_error::ServerError;
use crate::{BoltVersion, Error, ErrorKind};

/// A response message.
///
/// Decoding borrows the body: a [`Record`] keeps its fields as bytes until
/// they are asked for.
///
/// ```
/// use neo_bolt::message::{Record, Response};
/// use neo_bolt::packstream::{Dialect, Packer};
/// use neo_bolt::{BoltVersion, Value};
///
/// let mut body = Vec::new();
/// let mut packer = Packer::new(&mut body, Dialect::LATEST);
/// Record::encode_values(&mut packer, &[Value::from(1), Value::from("a")])?;
///
/// let Response::Record(record) = Response::decode(&body, Dialect::LATEST)? else {
///     unreachable!()
/// };
/// assert_eq!(record.len(), 2);
/// assert_eq!(record.values()?, [Value::from(1), Value::from("a")]);
/// # Ok::<(), neo_bolt::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Response<'a> {
    /// SUCCESS: the request succeeded.
    Success(Success),
    /// RECORD: one row of a result.
    Record(Record<'a>),
    /// IGNORED: the request was skipped after an earlier failure.
    Ignored,
    /// FAILURE: the request failed.
    Failure(ServerError),
}

/// One row of a result, borrowing the encoded fields from the message body.
///
/// Decode columns lazily with [`unpacker`](Record::unpacker), or all at
/// once with [`values`](Record::values).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Record<'a> {
    len: usize,
    fields: &'a [u8],
    dialect: Dialect,
}

impl<'a> Record<'a> {
    /// A record of `len` fields whose encoded bytes are `fields`, one value
    /// after another (the server side uses this to send rows it encoded
    /// itself).
    pub fn from_encoded(len: usize, fields: &'a [u8], dialect: Dialect) -> Self {
        Record {
            len,
            fields,
            dialect,
        }
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the record has no fields.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The encoded fields, one value after another.
    pub fn raw_fields(&self) -> &'a [u8] {
        self.fields
    }

    /// The dialect the fields are encoded in.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// An unpacker positioned at the first field; read [`len`](Self::len)
    /// values from it.
    pub fn unpacker(&self) -> Unpacker<'a> {
        Unpacker::new(self.fields, self.dialect)
    }

    /// Decodes every field.
    pub fn values(&self) -> Result<Vec<Value>, Error> {
        let mut unpacker = self.unpacker();
        let mut values = Vec::with_capacity(unpacker.capacity_hint(self.len));
        for _ in 0..self.len {
            values.push(unpacker.read_value()?);
        }
        unpacker.finish()?;
        Ok(values)
    }

    /// Writes a RECORD of these values.
    pub fn encode_values<B: BufMut>(packer: &mut Packer<B>, values: &[Value]) -> Result<(), Error> {
        packer.write_struct_header(tag::RECORD, 1)?;
        packer.write_list_header(values.len())?;
        for value in values {
            packer.write_value(value)?;
        }
        Ok(())
    }

    /// Writes this record, copying its encoded fields verbatim.
    pub fn encode<B: BufMut>(&self, packer: &mut Packer<B>) -> Result<(), Error> {
        packer.write_struct_header(tag::RECORD, 1)?;
        packer.write_list_header(self.len)?;
        packer.write_raw(self.fields);
        Ok(())
    }
}

fn expect_fields(tag: u8, name: &'static str, expected: usize, found: usize) -> Result<(), Error> {
    if expected == found {
        Ok(())
    } else {
        Err(Error::at(
            ErrorKind::StructSize {
                tag,
                name,
                expected,
                found,
            },
            0,
        ))
    }
}

impl<'a> Response<'a> {
    /// Decodes a response body. RECORD fields stay encoded and are read in
    /// `dialect`; SUCCESS metadata is checked and copied (so that a kept
    /// summary does not hold on to the read buffer), and decoded when asked
    /// for (see [`Success::decode`]); FAILURE metadata is decoded.
    pub fn decode(body: &'a [u8], dialect: Dialect) -> Result<Self, Error> {
        let mut unpacker = Unpacker::new(body, dialect);
        let (tag, fields) = unpacker.read_struct_header()?;
        let response = match tag {
            tag::SUCCESS => {
                expect_fields(tag, "SUCCESS", 1, fields)?;
                let start = unpacker.position();
                let map = Bytes::copy_from_slice(&body[start..]);
                return Success::decode(map, dialect)
                    .map(Response::Success)
                    .map_err(|error| error.offset_by(start));
            }
            tag::RECORD => {
                expect_fields(tag, "RECORD", 1, fields)?;
                let len = unpacker.read_list_header()?;
                // Every field takes at least one byte.
                if len > unpacker.remaining() {
                    return Err(unpacker.error(ErrorKind::UnexpectedEnd {
                        needed: len - unpacker.remaining(),
                        available: unpacker.remaining(),
                    }));
                }
                let start = unpacker.position();
                return Ok(Response::Record(Record {
                    len,
                    fields: &body[start..],
                    dialect,
                }));
            }
            tag::IGNORED => {
                expect_fields(tag, "IGNORED", 0, fields)?;
                Response::Ignored
            }
            tag::FAILURE => {
                expect_fields(tag, "FAILURE", 1, fields)?;
                Response::Failure(ServerError::from_metadata(&unpacker.read_map()?))
            }
            other => return Err(Error::at(ErrorKind::UnknownMessageTag(other), 0)),
        };
        unpacker.finish()?;
        Ok(response)
    }

    /// Encodes the response for a connection that negotiated `version`
    /// (which shapes FAILURE metadata).
    pub fn encode<B: BufMut>(
        &self,
        packer: &mut Packer<B>,
        version: BoltVersion,
    ) -> Result<(), Error> {
        match self {
            Response::Success(success) => {
                packer.write_struct_header(tag::SUCCESS, 1)?;
                packer.write_map(success.metadata())
            }
            Response::Record(record) => record.encode(packer),
            Response::Ignored => packer.write_struct_header(tag::IGNORED, 0),
            Response::Failure(error) => {
                packer.write_struct_header(tag::FAILURE, 1)?;
                packer.write_map(&error.to_metadata(version))
            }
        }
    }

    /// Whether this is a summary (anything but RECORD).
    pub fn is_summary(&self) -> bool {
        !matches!(self, Response::Record(_))
    }
}
