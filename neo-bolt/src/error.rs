//! The codec's error type.

use std::fmt;

/// An error from encoding or decoding PackStream or Bolt data.
///
/// It is small (one pointer) so that the happy path of the decoder stays cheap,
/// and it says what went wrong and, when decoding, at which byte offset.
///
/// ```
/// use neo_bolt::packstream::{self, Dialect};
/// use neo_bolt::ErrorKind;
///
/// let err = packstream::from_slice(&[0xC4], Dialect::LATEST).unwrap_err();
/// assert_eq!(err.kind(), &ErrorKind::ReservedMarker(0xC4));
/// assert_eq!(err.offset(), Some(0));
/// ```
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    offset: Option<usize>,
}

/// What went wrong; see [`Error::kind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input ended before the value did.
    #[error("unexpected end of input: {needed} more byte(s) needed, {available} available")]
    UnexpectedEnd {
        /// Bytes the value still needed.
        needed: usize,
        /// Bytes that were left.
        available: usize,
    },
    /// A marker byte that PackStream reserves.
    #[error("reserved PackStream marker 0x{0:02X}")]
    ReservedMarker(u8),
    /// A structure tag that is not a known value structure.
    #[error("unknown structure tag 0x{0:02X}")]
    UnknownStructTag(u8),
    /// A known structure with the wrong number of fields.
    #[error("structure 0x{tag:02X} ({name}) has {found} field(s), expected {expected}")]
    StructSize {
        /// The structure tag.
        tag: u8,
        /// The structure's name.
        name: &'static str,
        /// The field count this protocol version requires.
        expected: usize,
        /// The field count found.
        found: usize,
    },
    /// An integer that does not fit the type it is read into or written as.
    #[error("integer {value} does not fit in {target}")]
    IntegerOutOfRange {
        /// The integer.
        value: i128,
        /// The type it had to fit.
        target: &'static str,
    },
    /// String bytes that are not valid UTF-8.
    #[error("string is not valid UTF-8")]
    InvalidUtf8,
    /// Values nested deeper than the decoder allows.
    #[error("values nested deeper than {0} levels")]
    DepthLimitExceeded(usize),
    /// A value of one type where another was required.
    #[error("expected {expected}, found {found}")]
    UnexpectedType {
        /// What was required.
        expected: &'static str,
        /// What was found.
        found: &'static str,
    },
    /// Bytes left over after a complete value or message.
    #[error("{0} trailing byte(s) after the value")]
    TrailingBytes(usize),
    /// A value that cannot be represented on the wire (too long, or not
    /// expressible in the negotiated protocol version).
    #[error("value cannot be encoded: {0}")]
    Unencodable(String),
    /// A message or handshake that breaks the Bolt protocol.
    #[error("protocol violation: {0}")]
    Protocol(String),
    /// A framed message larger than the reader accepts.
    #[error("message of at least {size} bytes exceeds the limit of {max} bytes")]
    MessageTooLarge {
        /// The body size reached when the limit was crossed.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The handshake found no protocol version both sides speak.
    #[error("no common Bolt version; offered {offered}")]
    NoCommonVersion {
        /// What was offered, e.g. `"manifest v1, 5.8..5.0, 4.4"`.
        offered: String,
    },
    /// A message tag that is not a Bolt request or response.
    #[error("unknown message tag 0x{0:02X}")]
    UnknownMessageTag(u8),
    /// A message, or a message field, that the negotiated Bolt version does
    /// not have (or no longer has).
    #[error("{what} needs Bolt {needs}, but Bolt {version} was negotiated")]
    NotInVersion {
        /// The message or field.
        what: &'static str,
        /// The versions that have it, such as `5.1+`.
        needs: &'static str,
        /// The negotiated version.
        version: crate::BoltVersion,
    },
    /// The peer answered the handshake as an HTTP server.
    #[error("this is an HTTP port, not Bolt (the Bolt port is usually 7687)")]
    HttpPort,
    /// A message from serde (a `Serialize` or `Deserialize` implementation).
    #[error("{0}")]
    Message(String),
}

impl Error {
    /// Makes an error of this kind, with no offset.
    pub fn new(kind: ErrorKind) -> Self {
        Error(Box::new(Inner { kind, offset: None }))
    }

    /// Makes an error of this kind at a byte offset of the input.
    pub fn at(kind: ErrorKind, offset: usize) -> Self {
        Error(Box::new(Inner {
            kind,
            offset: Some(offset),
        }))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The byte offset in the decoded input where the problem was found.
    pub fn offset(&self) -> Option<usize> {
        self.0.offset
    }

    /// The same error for input that started `by` bytes further on.
    pub(crate) fn offset_by(mut self, by: usize) -> Self {
        if let Some(offset) = &mut self.0.offset {
            *offset += by;
        }
        self
    }

    pub(crate) fn with_offset_if_unset(mut self, offset: usize) -> Self {
        if self.0.offset.is_none() {
            self.0.offset = Some(offset);
        }
        self
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error::new(kind)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("offset", &self.0.offset)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.offset {
            Some(offset) => write!(f, "{} (at byte {offset})", self.0.kind),
            None => fmt::Display::fmt(&self.0.kind, f),
        }
    }
}

impl std::error::Error for Error {}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(ErrorKind::Message(msg.to_string()))
    }
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(ErrorKind::Message(msg.to_string()))
    }
}
