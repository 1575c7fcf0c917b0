//! The PackStream decoder.

use super::marker::{self, tag};
use super::{
    Date, DateTime, DateTimeZoneId, Dialect, Duration, LegacyDateTimeZoneId, LocalDateTime,
    LocalTime, Map, Node, Path, Point2D, Point3D, Relationship, Time, UnboundRelationship,
    UnsupportedType, Value, Vector,
};
use crate::{BoltVersion, Error, ErrorKind};

/// How deeply lists, maps and structures may nest before decoding fails.
pub const DEFAULT_MAX_DEPTH: usize = 512;

/// What a marker announces: a scalar with its value, or a container with its
/// length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Header {
    /// Null.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer (any width).
    Int(i64),
    /// A float.
    Float(f64),
    /// A byte array of this many bytes.
    Bytes(usize),
    /// A string of this many UTF-8 bytes.
    String(usize),
    /// A list of this many items.
    List(usize),
    /// A map of this many entries.
    Map(usize),
    /// A structure with a tag and this many fields.
    Struct {
        /// The structure's tag byte.
        tag: u8,
        /// The number of fields that follow.
        fields: usize,
    },
}

impl Header {
    /// The name of the announced type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Header::Null => "Null",
            Header::Bool(_) => "Boolean",
            Header::Int(_) => "Integer",
            Header::Float(_) => "Float",
            Header::Bytes(_) => "Bytes",
            Header::String(_) => "String",
            Header::List(_) => "List",
            Header::Map(_) => "Map",
            Header::Struct { .. } => "Structure",
        }
    }
}

/// Reads PackStream values from a byte slice without trusting it.
///
/// Every length is checked against the bytes actually present before
/// anything is allocated, nesting is bounded, and every malformed input is a
/// typed [`Error`] carrying the byte offset.
///
/// ```
/// use neo_bolt::packstream::{Dialect, Header, Unpacker};
///
/// let mut unpacker = Unpacker::new(&[0x92, 0x01, 0x81, b'a'], Dialect::LATEST);
/// assert_eq!(unpacker.read_header()?, Header::List(2));
/// assert_eq!(unpacker.read_int()?, 1);
/// assert_eq!(unpacker.read_str()?, "a");
/// unpacker.finish()?;
/// # Ok::<(), neo_bolt::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Unpacker<'a> {
    input: &'a [u8],
    pos: usize,
    dialect: Dialect,
    depth: usize,
    max_depth: usize,
}

impl<'a> Unpacker<'a> {
    /// An unpacker over `input`.
    pub fn new(input: &'a [u8], dialect: Dialect) -> Self {
        Unpacker {
            input,
            pos: 0,
            dialect,
            depth: 0,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    /// Sets how deeply containers may nest.
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// The dialect structures are read in.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The offset of the next byte to read.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// How many bytes are left.
    pub fn remaining(&self) -> usize {
        self.input.len() - self.pos
    }

    /// The bytes not read yet, for decoders that parse common forms inline.
    #[inline]
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or_default()
    }

    /// Consumes `n` bytes of [`rest`](Self::rest) (never past the end).
    #[inline]
    pub(crate) fn advance(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n).min(self.input.len());
    }

    /// Fails if any bytes are left.
    pub fn finish(&self) -> Result<(), Error> {
        match self.remaining() {
            0 => Ok(()),
            n => Err(Error::at(ErrorKind::TrailingBytes(n), self.pos)),
        }
    }

    /// Makes an error of `kind` at the current offset.
    #[cold]
    pub fn error(&self, kind: ErrorKind) -> Error {
        Error::at(kind, self.pos)
    }

    /// The error for needing `len` bytes when fewer are left.
    #[cold]
    #[inline(never)]
    fn end_error(&self, len: usize) -> Error {
        let available = self.remaining();
        self.error(ErrorKind::UnexpectedEnd {
            needed: len - available,
            available,
        })
    }

    /// Takes the next `len` bytes, failing if fewer are left.
    #[inline]
    pub fn take(&mut self, len: usize) -> Result<&'a [u8], Error> {
        // One bounds check: an end that overflows wraps below the start,
        // which `get` rejects like any end past the input.
        match self.input.get(self.pos..self.pos.wrapping_add(len)) {
            Some(bytes) => {
                self.pos += len;
                Ok(bytes)
            }
            _ => Err(self.end_error(len)),
        }
    }

    #[inline]
    fn take_array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let input = self.input;
        match input.get(self.pos..).and_then(<[u8]>::first_chunk::<N>) {
            Some(array) => {
                self.pos += N;
                Ok(*array)
            }
            None => Err(self.end_error(N)),
        }
    }

    #[inline]
    fn take_byte(&mut self) -> Result<u8, Error> {
        match self.input.get(self.pos) {
            Some(&byte) => {
                self.pos += 1;
                Ok(byte)
            }
            None => Err(self.end_error(1)),
        }
    }

    /// The next marker byte, without consuming it.
    #[inline]
    pub fn peek_marker(&self) -> Result<u8, Error> {
        match self.input.get(self.pos) {
            Some(&byte) => Ok(byte),
            None => Err(self.end_error(1)),
        }
    }

    /// Reads a marker and whatever sizes or scalar it carries.
    ///
    /// For containers only the header is consumed; the caller reads the
    /// items (and should use [`enter`](Self::enter) to bound nesting).
    #[inline]
    pub fn read_header(&mut self) -> Result<Header, Error> {
        let start = self.pos;
        let m = self.take_byte()?;
        let header = match m {
            0x00..=0x7F => Header::Int(i64::from(m)),
            0xF0..=0xFF => Header::Int(i64::from(m as i8)),
            0x80..=0x8F => Header::String(usize::from(m & 0x0F)),
            0x90..=0x9F => Header::List(usize::from(m & 0x0F)),
            0xA0..=0xAF => Header::Map(usize::from(m & 0x0F)),
            0xB0..=0xBF => {
                let tag = self.take_byte()?;
                Header::Struct {
                    tag,
                    fields: usize::from(m & 0x0F),
                }
            }
            marker::NULL => Header::Null,
            marker::FALSE => Header::Bool(false),
            marker::TRUE => Header::Bool(true),
            marker::FLOAT_64 => Header::Float(f64::from_be_bytes(self.take_array()?)),
            marker::INT_8 => Header::Int(i64::from(i8::from_be_bytes(self.take_array()?))),
            marker::INT_16 => Header::Int(i64::from(i16::from_be_bytes(self.take_array()?))),
            marker::INT_32 => Header::Int(i64::from(i32::from_be_bytes(self.take_array()?))),
            marker::INT_64 => Header::Int(i64::from_be_bytes(self.take_array()?)),
            marker::BYTES_8 => Header::Bytes(self.read_len8()?),
            marker::BYTES_16 => Header::Bytes(self.read_len16()?),
            marker::BYTES_32 => Header::Bytes(self.read_len32()?),
            marker::STRING_8 => Header::String(self.read_len8()?),
            marker::STRING_16 => Header::String(self.read_len16()?),
            marker::STRING_32 => Header::String(self.read_len32()?),
            marker::LIST_8 => Header::List(self.read_len8()?),
            marker::LIST_16 => Header::List(self.read_len16()?),
            marker::LIST_32 => Header::List(self.read_len32()?),
            marker::MAP_8 => Header::Map(self.read_len8()?),
            marker::MAP_16 => Header::Map(self.read_len16()?),
            marker::MAP_32 => Header::Map(self.read_len32()?),
            reserved => return Err(reserved_marker(reserved, start)),
        };
        Ok(header)
    }

    #[inline]
    fn read_len8(&mut self) -> Result<usize, Error> {
        Ok(usize::from(self.take_byte()?))
    }

    #[inline]
    fn read_len16(&mut self) -> Result<usize, Error> {
        Ok(usize::from(u16::from_be_bytes(self.take_array()?)))
    }

    #[inline]
    fn read_len32(&mut self) -> Result<usize, Error> {
        let len = u32::from_be_bytes(self.take_array()?);
        // A length beyond the address space can never be satisfied by the
        // input; saturate so that the availability check reports it.
        Ok(usize::try_from(len).unwrap_or(usize::MAX))
    }

    /// Enters a container: fails once nesting passes the maximum depth.
    /// Pair with [`leave`](Self::leave).
    #[inline]
    pub fn enter(&mut self) -> Result<(), Error> {
        if self.depth >= self.max_depth {
            return Err(self.error(ErrorKind::DepthLimitExceeded(self.max_depth)));
        }
        self.depth += 1;
        Ok(())
    }

    /// Leaves a container entered with [`enter`](Self::enter).
    #[inline]
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// A capacity to reserve for `len` items: never more than the bytes left,
    /// since every item takes at least one byte.
    #[inline]
    pub fn capacity_hint(&self, len: usize) -> usize {
        len.min(self.remaining())
    }

    /// Reads string bytes of a known length, borrowing them from the input.
    #[inline]
    pub fn read_str_body(&mut self, len: usize) -> Result<&'a str, Error> {
        let start = self.pos;
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes).map_err(|_| invalid_utf8(start))
    }

    #[cold]
    #[inline(never)]
    fn unexpected(&self, start: usize, expected: &'static str, found: &Header) -> Error {
        Error::at(
            ErrorKind::UnexpectedType {
                expected,
                found: found.type_name(),
            },
            start,
        )
    }

    /// Reads an integer.
    #[inline]
    pub fn read_int(&mut self) -> Result<i64, Error> {
        // Tiny integers, the commonest form, from the marker alone; the
        // sized forms from the bytes after it.
        if let Some(&m) = self.input.get(self.pos) {
            if !(0x80..0xF0).contains(&m) {
                self.pos += 1;
                return Ok(i64::from(m as i8));
            }
            let start = self.pos;
            let value = match m {
                marker::INT_8 => self.sized_int::<1>().map(|[a]| i64::from(a as i8)),
                marker::INT_16 => self.sized_int().map(|b| i64::from(i16::from_be_bytes(b))),
                marker::INT_32 => self.sized_int().map(|b| i64::from(i32::from_be_bytes(b))),
                marker::INT_64 => self.sized_int().map(i64::from_be_bytes),
                _ => None,
            };
            if let Some(value) = value {
                return Ok(value);
            }
            // Another type, or too few bytes: the header path says which.
            match self.read_header()? {
                Header::Int(i) => return Ok(i),
                other => return Err(self.unexpected(start, "Integer", &other)),
            }
        }
        Err(self.end_error(1))
    }

    /// The `N` bytes after an integer's marker, moving past both; `None`
    /// (not moving) when fewer are left.
    #[inline]
    fn sized_int<const N: usize>(&mut self) -> Option<[u8; N]> {
        let bytes = self.input.get(self.pos + 1..)?.first_chunk::<N>()?;
        self.pos += 1 + N;
        Some(*bytes)
    }

    /// Reads a float.
    #[inline]
    pub fn read_float(&mut self) -> Result<f64, Error> {
        let start = self.pos;
        if let [marker::FLOAT_64, a, b, c, d, e, f, g, h, ..] = *self.rest() {
            self.pos += 9;
            return Ok(f64::from_be_bytes([a, b, c, d, e, f, g, h]));
        }
        match self.read_header()? {
            Header::Float(f) => Ok(f),
            other => Err(self.unexpected(start, "Float", &other)),
        }
    }

    /// Reads a string, borrowing it from the input.
    #[inline]
    pub fn read_str(&mut self) -> Result<&'a str, Error> {
        let start = self.pos;
        match self.read_header()? {
            Header::String(len) => self.read_str_body(len),
            other => Err(self.unexpected(start, "String", &other)),
        }
    }

    /// Reads a string's bytes, borrowing them from the input, checked to be
    /// UTF-8 as [`read_str`](Self::read_str) checks them, for a caller
    /// that only compares them or needs them valid: ASCII, the commonest
    /// case, is checked a word at a time wherever it lies, which the
    /// standard check does only from an aligned address.
    ///
    /// ```
    /// use neo_bolt::packstream::{Dialect, Unpacker};
    ///
    /// let mut unpacker = Unpacker::new(&[0x84, b'n', b'a', b'm', b'e', 0x82, 0xC3, 0x28], Dialect::LATEST);
    /// assert_eq!(unpacker.read_str_bytes()?, b"name");
    /// assert!(unpacker.read_str_bytes().is_err()); // not UTF-8
    /// # Ok::<(), neo_bolt::Error>(())
    /// ```
    #[inline]
    pub fn read_str_bytes(&mut self) -> Result<&'a [u8], Error> {
        let bytes = self.read_str_raw()?;
        if is_utf8(bytes) {
            Ok(bytes)
        } else {
            // Where the string's bytes start, as `read_str` says.
            Err(invalid_utf8(self.pos - bytes.len()))
        }
    }

    /// Reads a string's bytes, borrowing them from the input, **not**
    /// checked to be UTF-8: for a caller that compares them with strings it
    /// knows, which are (bytes equal to one are valid), and checks any
    /// others itself (`std::str::from_utf8`) before using them as text.
    ///
    /// ```
    /// use neo_bolt::packstream::{Dialect, Unpacker};
    ///
    /// let mut unpacker = Unpacker::new(&[0x82, 0xC3, 0x28], Dialect::LATEST);
    /// let bytes = unpacker.read_str_raw()?;
    /// assert_ne!(bytes, b"name");
    /// assert!(std::str::from_utf8(bytes).is_err());
    /// # Ok::<(), neo_bolt::Error>(())
    /// ```
    #[inline]
    pub fn read_str_raw(&mut self) -> Result<&'a [u8], Error> {
        let len = self.read_string_header()?;
        self.take(len)
    }

    /// Reads a string into a new `String`. The bytes are copied first and
    /// validated in their new home: the allocation is aligned, and UTF-8
    /// validation only goes a word at a time from an aligned address (up to
    /// one it goes byte by byte), so this is faster than validating in place
    /// and copying.
    ///
    /// ```
    /// use neo_bolt::packstream::{Dialect, Unpacker};
    ///
    /// let mut unpacker = Unpacker::new(&[0x82, b'h', b'i'], Dialect::LATEST);
    /// assert_eq!(unpacker.read_string()?, "hi");
    /// # Ok::<(), neo_bolt::Error>(())
    /// ```
    #[inline]
    pub fn read_string(&mut self) -> Result<String, Error> {
        let len = self.read_string_header()?;
        self.read_string_body(len)
    }

    /// Reads a string's header and returns its length in bytes, with the
    /// short forms, which nearly every string takes, inline.
    #[inline]
    fn read_string_header(&mut self) -> Result<usize, Error> {
        let start = self.pos;
        match *self.rest() {
            [m @ 0x80..=0x8F, ..] => {
                self.pos += 1;
                Ok(usize::from(m & 0x0F))
            }
            [marker::STRING_8, len, ..] => {
                self.pos += 2;
                Ok(usize::from(len))
            }
            _ => match self.read_header()? {
                Header::String(len) => Ok(len),
                other => Err(self.unexpected(start, "String", &other)),
            },
        }
    }

    /// Reads string bytes of a known length into an owned `String`. The
    /// bytes are validated after the copy, in aligned memory, where the
    /// check of a short string takes a few word compares.
    #[inline]
    fn read_string_body(&mut self, len: usize) -> Result<String, Error> {
        let body = self.pos;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| invalid_utf8(body))
    }

    /// Reads a byte array, borrowing it from the input.
    pub fn read_bytes(&mut self) -> Result<&'a [u8], Error> {
        let start = self.pos;
        match self.read_header()? {
            Header::Bytes(len) => self.take(len),
            other => Err(self.unexpected(start, "Bytes", &other)),
        }
    }

    /// Reads a list header and returns its length.
    #[inline]
    pub fn read_list_header(&mut self) -> Result<usize, Error> {
        if let [m @ 0x90..=0x9F, ..] = self.rest() {
            let len = usize::from(m & 0x0F);
            self.pos += 1;
            return Ok(len);
        }
        let start = self.pos;
        match self.read_header()? {
            Header::List(len) => Ok(len),
            other => Err(self.unexpected(start, "List", &other)),
        }
    }

    /// Reads a map header and returns its entry count.
    #[inline]
    pub fn read_map_header(&mut self) -> Result<usize, Error> {
        if let [m @ 0xA0..=0xAF, ..] = self.rest() {
            let len = usize::from(m & 0x0F);
            self.pos += 1;
            return Ok(len);
        }
        let start = self.pos;
        match self.read_header()? {
            Header::Map(len) => Ok(len),
            other => Err(self.unexpected(start, "Map", &other)),
        }
    }

    /// Reads a structure header and returns its tag and field count.
    #[inline]
    pub fn read_struct_header(&mut self) -> Result<(u8, usize), Error> {
        if let [m @ 0xB0..=0xBF, tag, ..] = self.rest() {
            let header = (*tag, usize::from(m & 0x0F));
            self.pos += 2;
            return Ok(header);
        }
        let start = self.pos;
        match self.read_header()? {
            Header::Struct { tag, fields } => Ok((tag, fields)),
            other => Err(self.unexpected(start, "Structure", &other)),
        }
    }

    /// Skips one value of any type, checking it as thoroughly as reading it.
    pub fn skip_value(&mut self) -> Result<(), Error> {
        let start = self.pos;
        let header = self.read_header()?;
        match header {
            Header::Null | Header::Bool(_) | Header::Int(_) | Header::Float(_) => {}
            Header::Bytes(len) => {
                self.take(len)?;
            }
            Header::String(len) => {
                let body = self.pos;
                let bytes = self.take(len)?;
                if !is_utf8(bytes) {
                    return Err(invalid_utf8(body));
                }
            }
            Header::List(len) => self.skip_items(len)?,
            Header::Map(len) => {
                self.enter()?;
                for _ in 0..len {
                    self.read_str_bytes()?;
                    self.skip_value()?;
                }
                self.leave();
            }
            Header::Struct { .. } => {
                // Structure fields are typed (a Node's id is an integer, a
                // Point's coordinates are floats...): read the structure to
                // check it exactly as `read_value` does.
                self.read_value_after(header, start)?;
            }
        }
        Ok(())
    }

    fn skip_items(&mut self, len: usize) -> Result<(), Error> {
        self.enter()?;
        for _ in 0..len {
            self.skip_value()?;
        }
        self.leave();
        Ok(())
    }

    /// Reads one value of any type into a [`Value`].
    #[inline]
    pub fn read_value(&mut self) -> Result<Value, Error> {
        let start = self.pos;
        // The commonest values (small integers, short strings, floats,
        // null and booleans) straight from their marker, without a header.
        if let Some(&m) = self.input.get(start) {
            let value = match m {
                0x00..=0x7F | 0xF0..=0xFF => Some(Value::Integer(i64::from(m as i8))),
                0x80..=0x8F => {
                    self.pos += 1;
                    let len = usize::from(m & 0x0F);
                    return Ok(Value::String(self.read_string_body(len)?));
                }
                marker::FLOAT_64 => {
                    self.pos += 1;
                    return Ok(Value::Float(f64::from_be_bytes(self.take_array()?)));
                }
                marker::STRING_8 => {
                    if let Some(&len) = self.input.get(start + 1) {
                        self.pos += 2;
                        return Ok(Value::String(self.read_string_body(usize::from(len))?));
                    }
                    None
                }
                marker::INT_8 | marker::INT_16 | marker::INT_32 | marker::INT_64 => {
                    return self.read_int().map(Value::Integer);
                }
                marker::NULL => Some(Value::Null),
                marker::FALSE => Some(Value::Boolean(false)),
                marker::TRUE => Some(Value::Boolean(true)),
                _ => None,
            };
            if let Some(value) = value {
                self.pos += 1;
                return Ok(value);
            }
        }
        let header = self.read_header()?;
        self.read_value_after(header, start)
    }

    /// Reads `len` values one after the other (a list's items, a record's
    /// fields) into a new vector. Scalars, the common case, are taken from
    /// their marker and written straight into the vector rather than moved
    /// there through a `Result`; containers are read as by
    /// [`read_value`](Self::read_value).
    ///
    /// ```
    /// use neo_bolt::Value;
    /// use neo_bolt::packstream::{Dialect, Unpacker};
    ///
    /// // 1, "a", null, [2]
    /// let mut unpacker = Unpacker::new(&[0x01, 0x81, b'a', 0xC0, 0x91, 0x02], Dialect::LATEST);
    /// let values = unpacker.read_values(4)?;
    /// assert_eq!(values[1], Value::String("a".into()));
    /// assert_eq!(values[3], Value::List(vec![Value::Integer(2)]));
    /// # Ok::<(), neo_bolt::Error>(())
    /// ```
    pub fn read_values(&mut self, len: usize) -> Result<Vec<Value>, Error> {
        let mut items = Vec::with_capacity(self.capacity_hint(len));
        for _ in 0..len {
            if !self.push_scalar(&mut items)? {
                let start = self.pos;
                let header = self.read_header()?;
                items.push(self.read_value_after(header, start)?);
            }
        }
        Ok(items)
    }

    /// Pushes the scalar that starts at the current position onto `items`
    /// (reading it from its marker, without building a header), or returns
    /// `false`, consuming nothing, for anything else: containers are left to
    /// the caller so that this frame never recurses.
    #[inline]
    fn push_scalar(&mut self, items: &mut Vec<Value>) -> Result<bool, Error> {
        let m = self.peek_marker()?;
        let value = match m {
            0x00..=0x7F | 0xF0..=0xFF => Value::Integer(i64::from(m as i8)),
            0x80..=0x8F => {
                self.pos += 1;
                let text = self.read_string_body(usize::from(m & 0x0F))?;
                items.push(Value::String(text));
                return Ok(true);
            }
            marker::STRING_8 if self.input.len() > self.pos + 1 => {
                let len = usize::from(self.input[self.pos + 1]);
                self.pos += 2;
                items.push(Value::String(self.read_string_body(len)?));
                return Ok(true);
            }
            marker::STRING_8 | marker::STRING_16 | marker::STRING_32 => {
                let start = self.pos;
                let text = match self.read_header()? {
                    Header::String(len) => self.read_string_body(len)?,
                    other => return Err(self.unexpected(start, "String", &other)),
                };
                items.push(Value::String(text));
                return Ok(true);
            }
            marker::FLOAT_64 => {
                self.pos += 1;
                items.push(Value::Float(f64::from_be_bytes(self.take_array()?)));
                return Ok(true);
            }
            marker::INT_8 | marker::INT_16 | marker::INT_32 | marker::INT_64 => {
                items.push(Value::Integer(self.read_int()?));
                return Ok(true);
            }
            marker::NULL => Value::Null,
            marker::FALSE => Value::Boolean(false),
            marker::TRUE => Value::Boolean(true),
            _ => return Ok(false),
        };
        self.pos += 1;
        items.push(value);
        Ok(true)
    }

    /// Reads the rest of a value whose header (which started at `start`) has
    /// already been read.
    pub fn read_value_after(&mut self, header: Header, start: usize) -> Result<Value, Error> {
        Ok(match header {
            Header::Null => Value::Null,
            Header::Bool(b) => Value::Boolean(b),
            Header::Int(i) => Value::Integer(i),
            Header::Float(f) => Value::Float(f),
            Header::Bytes(len) => Value::Bytes(self.take(len)?.to_vec()),
            Header::String(len) => Value::String(self.read_string_body(len)?),
            Header::List(len) => {
                self.enter()?;
                let items = self.read_values(len)?;
                self.leave();
                Value::List(items)
            }
            Header::Map(len) => {
                self.enter()?;
                let map = self.read_map_entries(len)?;
                self.leave();
                Value::Map(map)
            }
            Header::Struct { tag, fields } => {
                check_value_struct(self.dialect, tag, fields).map_err(|k| Error::at(k, start))?;
                self.enter()?;
                let value = self.read_struct_fields(tag)?;
                self.leave();
                value
            }
        })
    }

    /// Reads a whole map of values (a dictionary's keys must be strings;
    /// a repeated key keeps its last value).
    pub fn read_map(&mut self) -> Result<Map, Error> {
        let len = self.read_map_header()?;
        self.enter()?;
        let map = self.read_map_entries(len)?;
        self.leave();
        Ok(map)
    }

    fn read_map_entries(&mut self, len: usize) -> Result<Map, Error> {
        let mut map = Map::new();
        for _ in 0..len {
            let key = self.read_string()?;
            let value = self.read_value()?;
            map.insert(key, value);
        }
        Ok(map)
    }

    fn read_str_list(&mut self) -> Result<Vec<String>, Error> {
        let len = self.read_list_header()?;
        self.enter()?;
        let mut items = Vec::with_capacity(self.capacity_hint(len));
        for _ in 0..len {
            items.push(self.read_string()?);
        }
        self.leave();
        Ok(items)
    }

    fn read_typed_list<T>(
        &mut self,
        mut read: impl FnMut(&mut Self) -> Result<T, Error>,
    ) -> Result<Vec<T>, Error> {
        let len = self.read_list_header()?;
        self.enter()?;
        let mut items = Vec::with_capacity(self.capacity_hint(len));
        for _ in 0..len {
            items.push(read(self)?);
        }
        self.leave();
        Ok(items)
    }

    fn expect_struct(&mut self, expected_tag: u8) -> Result<(), Error> {
        let start = self.pos;
        let (tag, fields) = self.read_struct_header()?;
        if tag != expected_tag {
            return Err(Error::at(
                ErrorKind::UnexpectedType {
                    expected: struct_name(expected_tag),
                    found: struct_name(tag),
                },
                start,
            ));
        }
        check_value_struct(self.dialect, tag, fields).map_err(|k| Error::at(k, start))
    }

    fn read_node_fields(&mut self) -> Result<Node, Error> {
        let id = self.read_int()?;
        let labels = self.read_str_list()?;
        let properties = self.read_map()?;
        let element_id = self.read_element_id(id)?;
        Ok(Node {
            id,
            labels,
            properties,
            element_id,
        })
    }

    fn read_unbound_fields(&mut self) -> Result<UnboundRelationship, Error> {
        let id = self.read_int()?;
        let rel_type = self.read_string()?;
        let properties = self.read_map()?;
        let element_id = self.read_element_id(id)?;
        Ok(UnboundRelationship {
            id,
            rel_type,
            properties,
            element_id,
        })
    }

    fn read_element_id(&mut self, legacy_id: i64) -> Result<String, Error> {
        if self.dialect.element_ids {
            Ok(self.read_string()?)
        } else {
            Ok(legacy_id.to_string())
        }
    }

    // The larger structures are read by functions of their own so that the
    // frame of `read_struct_fields`, which sits in every level of a nested
    // value, stays small: unoptimised builds give every temporary its own
    // stack slot, and the deepest accepted nesting must fit a 2 MiB thread.

    fn read_relationship_fields(&mut self) -> Result<Relationship, Error> {
        let id = self.read_int()?;
        let start_node_id = self.read_int()?;
        let end_node_id = self.read_int()?;
        let rel_type = self.read_string()?;
        let properties = self.read_map()?;
        let (element_id, start_node_element_id, end_node_element_id) = if self.dialect.element_ids {
            (
                self.read_string()?,
                self.read_string()?,
                self.read_string()?,
            )
        } else {
            (
                id.to_string(),
                start_node_id.to_string(),
                end_node_id.to_string(),
            )
        };
        Ok(Relationship {
            id,
            start_node_id,
            end_node_id,
            rel_type,
            properties,
            element_id,
            start_node_element_id,
            end_node_element_id,
        })
    }

    fn read_path_fields(&mut self) -> Result<Path, Error> {
        let nodes = self.read_typed_list(|u| {
            u.expect_struct(tag::NODE)?;
            u.enter()?;
            let node = u.read_node_fields();
            u.leave();
            node
        })?;
        let relationships = self.read_typed_list(|u| {
            u.expect_struct(tag::UNBOUND_RELATIONSHIP)?;
            u.enter()?;
            let rel = u.read_unbound_fields();
            u.leave();
            rel
        })?;
        let indices = self.read_typed_list(Self::read_int)?;
        Ok(Path {
            nodes,
            relationships,
            indices,
        })
    }

    fn read_legacy_date_time_fields(&mut self) -> Result<DateTime, Error> {
        let start = self.pos;
        let local_seconds = self.read_int()?;
        let nanoseconds = self.read_int()?;
        let tz_offset_seconds = self.read_int()?;
        let seconds = local_seconds
            .checked_sub(tz_offset_seconds)
            .ok_or_else(|| {
                Error::at(
                    ErrorKind::Protocol("legacy date-time out of range".into()),
                    start,
                )
            })?;
        Ok(DateTime {
            seconds,
            nanoseconds,
            tz_offset_seconds,
        })
    }

    fn read_struct_fields(&mut self, tag: u8) -> Result<Value, Error> {
        Ok(match tag {
            tag::NODE => Value::Node(Box::new(self.read_node_fields()?)),
            tag::RELATIONSHIP => Value::Relationship(Box::new(self.read_relationship_fields()?)),
            tag::UNBOUND_RELATIONSHIP => {
                Value::UnboundRelationship(Box::new(self.read_unbound_fields()?))
            }
            tag::PATH => Value::Path(Box::new(self.read_path_fields()?)),
            tag::DATE => Value::Date(Date {
                days: self.read_int()?,
            }),
            tag::TIME => Value::Time(Time {
                nanoseconds: self.read_int()?,
                tz_offset_seconds: self.read_int()?,
            }),
            tag::LOCAL_TIME => Value::LocalTime(LocalTime {
                nanoseconds: self.read_int()?,
            }),
            tag::DATE_TIME => Value::DateTime(DateTime {
                seconds: self.read_int()?,
                nanoseconds: self.read_int()?,
                tz_offset_seconds: self.read_int()?,
            }),
            tag::LEGACY_DATE_TIME => Value::DateTime(self.read_legacy_date_time_fields()?),
            tag::DATE_TIME_ZONE_ID => Value::DateTimeZoneId(DateTimeZoneId {
                seconds: self.read_int()?,
                nanoseconds: self.read_int()?,
                tz_id: self.read_string()?,
            }),
            tag::LEGACY_DATE_TIME_ZONE_ID => Value::LegacyDateTimeZoneId(LegacyDateTimeZoneId {
                local_seconds: self.read_int()?,
                nanoseconds: self.read_int()?,
                tz_id: self.read_string()?,
            }),
            tag::LOCAL_DATE_TIME => Value::LocalDateTime(LocalDateTime {
                seconds: self.read_int()?,
                nanoseconds: self.read_int()?,
            }),
            tag::DURATION => Value::Duration(Duration {
                months: self.read_int()?,
                days: self.read_int()?,
                seconds: self.read_int()?,
                nanoseconds: self.read_int()?,
            }),
            tag::POINT_2D => Value::Point2D(Point2D {
                srid: self.read_int()?,
                x: self.read_float()?,
                y: self.read_float()?,
            }),
            tag::POINT_3D => Value::Point3D(Point3D {
                srid: self.read_int()?,
                x: self.read_float()?,
                y: self.read_float()?,
                z: self.read_float()?,
            }),
            tag::VECTOR => Value::Vector(self.read_vector_fields()?),
            tag::UNSUPPORTED => {
                let name = self.read_string()?;
                let start = self.pos;
                let major = self.read_int()?;
                let minor = self.read_int()?;
                let version = match (u8::try_from(major), u8::try_from(minor)) {
                    (Ok(major), Ok(minor)) => BoltVersion::new(major, minor),
                    _ => {
                        return Err(Error::at(
                            ErrorKind::Protocol(format!(
                                "protocol version {major}.{minor} out of range"
                            )),
                            start,
                        ));
                    }
                };
                let extra = self.read_map()?;
                let message = extra
                    .get("message")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                Value::Unsupported(Box::new(UnsupportedType::new(name, version, message)))
            }
            other => return Err(self.error(ErrorKind::UnknownStructTag(other))),
        })
    }

    /// Reads the fields of a vector structure whose header is read.
    pub(crate) fn read_vector_fields(&mut self) -> Result<Vector, Error> {
        let start = self.pos;
        let marker = match self.read_bytes()? {
            [marker] => *marker,
            other => {
                return Err(Error::at(
                    ErrorKind::Protocol(format!(
                        "a vector's element type is one byte, not {}",
                        other.len()
                    )),
                    start,
                ));
            }
        };
        let start = self.pos;
        let data = self.read_bytes()?;
        Vector::from_be_bytes(marker, data).map_err(|error| match error.kind() {
            ErrorKind::Protocol(message) => Error::at(ErrorKind::Protocol(message.clone()), start),
            _ => error,
        })
    }
}

/// Whether `bytes` are UTF-8, as `std::str::from_utf8` says, with ASCII
/// (the commonest text on the wire: keys, labels, ids) checked a word at a
/// time wherever the bytes lie; the standard check goes byte by byte up to
/// an aligned address, which is most of a short string.
///
/// ```
/// use neo_bolt::packstream::is_utf8;
///
/// assert!(is_utf8(b"4:bench:12345"));
/// assert!(is_utf8("Malm\u{f6}".as_bytes()));
/// assert!(!is_utf8(&[b'a', 0xC3, 0x28]));
/// ```
#[inline]
pub fn is_utf8(bytes: &[u8]) -> bool {
    is_ascii(bytes) || std::str::from_utf8(bytes).is_ok()
}

/// Whether every byte is below 0x80, reading whole (possibly overlapping)
/// words.
#[inline]
fn is_ascii(bytes: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if let Some(last) = bytes.last_chunk::<8>() {
        let (words, _) = bytes.as_chunks::<8>();
        let high = words.iter().fold(u64::from_ne_bytes(*last), |acc, word| {
            acc | u64::from_ne_bytes(*word)
        });
        return high & HIGH == 0;
    }
    if let (Some(first), Some(last)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        return (u32::from_ne_bytes(*first) | u32::from_ne_bytes(*last)) & 0x8080_8080 == 0;
    }
    bytes.iter().fold(0, |acc, byte| acc | byte) < 0x80
}

#[cold]
#[inline(never)]
fn invalid_utf8(offset: usize) -> Error {
    Error::at(ErrorKind::InvalidUtf8, offset)
}

#[cold]
#[inline(never)]
fn reserved_marker(marker: u8, offset: usize) -> Error {
    Error::at(ErrorKind::ReservedMarker(marker), offset)
}

/// The name of a value structure, for error messages.
pub(crate) fn struct_name(tag: u8) -> &'static str {
    match tag {
        tag::NODE => "Node",
        tag::RELATIONSHIP => "Relationship",
        tag::UNBOUND_RELATIONSHIP => "UnboundRelationship",
        tag::PATH => "Path",
        tag::DATE => "Date",
        tag::TIME => "Time",
        tag::LOCAL_TIME => "LocalTime",
        tag::DATE_TIME | tag::LEGACY_DATE_TIME => "DateTime",
        tag::DATE_TIME_ZONE_ID | tag::LEGACY_DATE_TIME_ZONE_ID => "DateTimeZoneId",
        tag::LOCAL_DATE_TIME => "LocalDateTime",
        tag::DURATION => "Duration",
        tag::POINT_2D => "Point2D",
        tag::POINT_3D => "Point3D",
        tag::VECTOR => "Vector",
        tag::UNSUPPORTED => "UnsupportedType",
        _ => "unknown structure",
    }
}

/// Checks that `tag` is a value structure of this dialect with the right
/// number of fields.
pub(crate) fn check_value_struct(
    dialect: Dialect,
    tag: u8,
    fields: usize,
) -> Result<(), ErrorKind> {
    let expected = match tag {
        tag::NODE | tag::UNBOUND_RELATIONSHIP => {
            if dialect.element_ids {
                4
            } else {
                3
            }
        }
        tag::RELATIONSHIP => {
            if dialect.element_ids {
                8
            } else {
                5
            }
        }
        tag::PATH | tag::POINT_2D => 3,
        tag::DATE | tag::LOCAL_TIME => 1,
        tag::TIME | tag::LOCAL_DATE_TIME => 2,
        tag::DATE_TIME | tag::DATE_TIME_ZONE_ID if dialect.utc_datetime => 3,
        tag::LEGACY_DATE_TIME | tag::LEGACY_DATE_TIME_ZONE_ID if !dialect.utc_datetime => 3,
        tag::DURATION | tag::POINT_3D => 4,
        tag::VECTOR if dialect.vector_types => 2,
        tag::UNSUPPORTED if dialect.vector_types => 4,
        other => return Err(ErrorKind::UnknownStructTag(other)),
    };
    if fields == expected {
        Ok(())
    } else {
        Err(ErrorKind::StructSize {
            tag,
            name: struct_name(tag),
            expected,
            found: fields,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `read_value` through the header, as every value but the commonest
    /// scalars is read.
    fn through_header(input: &[u8]) -> (Result<Value, Error>, usize) {
        let mut unpacker = Unpacker::new(input, Dialect::V5);
        let result = unpacker
            .read_header()
            .and_then(|header| unpacker.read_value_after(header, 0));
        (result, unpacker.position())
    }

    /// What follows a marker in the comparisons of the fast paths with the
    /// header path: nothing, too little, a short string, enough for any
    /// scalar.
    const PAYLOADS: [&[u8]; 5] = [
        b"",
        b"\x3f\xf0",
        b"\x3f\xf0\0\0\0\0\0\0",
        b"\xff\xfeabcdefghijkl",
        b"\x02h\xc3\xa9llo wor",
    ];

    #[test]
    fn ints_floats_and_string_bytes_read_inline_match_the_header_path() {
        for marker in 0..=u8::MAX {
            for payload in PAYLOADS {
                let mut input = vec![marker];
                input.extend_from_slice(payload);
                let (slow, slow_position) = through_header(&input);
                let mut unpacker = Unpacker::new(&input, Dialect::V5);
                match (unpacker.read_int(), &slow) {
                    (Ok(i), Ok(Value::Integer(j))) => {
                        assert_eq!(i, *j);
                        assert_eq!(unpacker.position(), slow_position);
                    }
                    (Ok(i), _) => panic!("marker {marker:#04x}: int {i} vs {slow:?}"),
                    (Err(_), Ok(Value::Integer(_))) => panic!("marker {marker:#04x}"),
                    (Err(_), _) => {}
                }
                let mut unpacker = Unpacker::new(&input, Dialect::V5);
                match (unpacker.read_float(), &slow) {
                    (Ok(f), Ok(Value::Float(g))) => {
                        assert_eq!(f.to_bits(), g.to_bits());
                        assert_eq!(unpacker.position(), slow_position);
                    }
                    (Ok(f), _) => panic!("marker {marker:#04x}: float {f} vs {slow:?}"),
                    (Err(_), Ok(Value::Float(_))) => panic!("marker {marker:#04x}"),
                    (Err(_), _) => {}
                }
                let mut unpacker = Unpacker::new(&input, Dialect::V5);
                let mut str_unpacker = Unpacker::new(&input, Dialect::V5);
                match (unpacker.read_str_bytes(), str_unpacker.read_str()) {
                    (Ok(bytes), Ok(s)) => {
                        assert_eq!(bytes, s.as_bytes());
                        assert_eq!(unpacker.position(), str_unpacker.position());
                    }
                    (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                    (a, b) => panic!("marker {marker:#04x}: {a:?} vs {b:?}"),
                }
            }
        }
    }

    #[test]
    fn values_read_in_a_row_match_the_header_path_for_every_marker() {
        for marker in 0..=u8::MAX {
            for payload in PAYLOADS {
                let mut input = vec![marker];
                input.extend_from_slice(payload);
                let (slow, slow_position) = through_header(&input);
                let mut unpacker = Unpacker::new(&input, Dialect::V5);
                match (unpacker.read_values(1), slow) {
                    (Ok(values), Ok(value)) => {
                        match (values.as_slice(), value) {
                            ([Value::Float(f)], Value::Float(g)) => {
                                assert_eq!(f.to_bits(), g.to_bits(), "marker {marker:#04x}")
                            }
                            (values, value) => assert_eq!(values, [value], "marker {marker:#04x}"),
                        }
                        assert_eq!(unpacker.position(), slow_position, "marker {marker:#04x}");
                    }
                    (Err(fast), Err(slow)) => {
                        assert_eq!(fast.to_string(), slow.to_string(), "marker {marker:#04x}");
                    }
                    (fast, slow) => panic!("marker {marker:#04x}: {fast:?} vs {slow:?}"),
                }
            }
        }
    }

    #[test]
    fn string_bytes_that_are_not_utf8_are_refused_where_they_start() {
        for input in [&b"\x82\xc3\x28"[..], b"\xd0\x03ab\xff", b"\x89abcdefgh\x80"] {
            let error = Unpacker::new(input, Dialect::V5)
                .read_str_bytes()
                .unwrap_err();
            let expected = Unpacker::new(input, Dialect::V5).read_str().unwrap_err();
            assert_eq!(error.to_string(), expected.to_string());
            assert!(matches!(error.kind(), ErrorKind::InvalidUtf8), "{error}");
        }
    }

    #[test]
    fn the_word_ascii_check_agrees_with_the_standard_one_at_every_length_and_position() {
        for len in 0..40 {
            let ascii = vec![b'a'; len];
            assert!(is_ascii(&ascii) && is_utf8(&ascii), "{len}");
            for at in 0..len {
                let mut high = ascii.clone();
                high[at] = 0xC3;
                assert!(!is_ascii(&high), "{len} {at}");
                assert_eq!(is_utf8(&high), std::str::from_utf8(&high).is_ok());
                if at + 1 < len {
                    high[at + 1] = 0xB6; // "ö"
                    assert!(!is_ascii(&high) && is_utf8(&high), "{len} {at}");
                }
            }
        }
    }

    #[test]
    fn integers_read_inline_match_the_header_path_even_when_cut_short() {
        for input in [
            &b"\x7f"[..],
            b"\xf0",
            b"\xc8\x80",
            b"\xc8",
            b"\xc9\x01\x00",
            b"\xc9\x01",
            b"\xca\x00\x01\x86\xa0",
            b"\xca\x00\x01",
            b"\xcb\x80\x00\x00\x00\x00\x00\x00\x00",
            b"\xcb\x00",
            b"\xc1\x00\x00\x00\x00\x00\x00\x00\x00",
            b"\x81a",
            b"",
        ] {
            let mut inline = Unpacker::new(input, Dialect::V5);
            let mut header = Unpacker::new(input, Dialect::V5);
            let through_header = match header.read_header() {
                Ok(Header::Int(i)) => Ok(i),
                Ok(other) => Err(header.unexpected(0, "Integer", &other)),
                Err(error) => Err(error),
            };
            match (inline.read_int(), through_header) {
                (Ok(a), Ok(b)) => assert_eq!((a, inline.position()), (b, header.position())),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{input:?}"),
                (a, b) => panic!("{input:?}: {a:?} vs {b:?}"),
            }
        }
    }

    #[test]
    fn scalars_read_from_their_marker_match_the_header_path_for_every_marker() {
        for marker in 0..=u8::MAX {
            for payload in PAYLOADS {
                let mut input = vec![marker];
                input.extend_from_slice(payload);
                let mut unpacker = Unpacker::new(&input, Dialect::V5);
                let fast = unpacker.read_value();
                let (slow, slow_position) = through_header(&input);
                match (&fast, &slow) {
                    (Ok(a), Ok(b)) => {
                        // Compared as printed: a NaN float equals itself.
                        assert_eq!(format!("{a:?}"), format!("{b:?}"), "marker {marker:#04x}");
                        assert_eq!(unpacker.position(), slow_position, "marker {marker:#04x}");
                    }
                    (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                    _ => panic!("marker {marker:#04x}: {fast:?} vs {slow:?}"),
                }
            }
        }
    }
}
