//! Bolt message framing: chunking on the way out, dechunking on the way in.
//!
//! A message travels as one or more chunks, each a big-endian `u16` length
//! (1 to 65535) followed by that many bytes, and ends with the terminator
//! `00 00`. A lone `00 00` between messages is a NOOP keep-alive, which the
//! reader skips.
//!
//! Writing encodes a message body straight into the output buffer: reserve a
//! chunk header with [`begin_message`], write the body (for example with a
//! [`Packer`](crate::packstream::Packer) over the same buffer), then
//! [`end_message`] fills in the header, splits a large body into chunks in
//! place and appends the terminator. Reading is a [`Dechunker`], which hands
//! out each complete body as [`Bytes`] sharing the input buffer's memory.
//!
//! ```
//! use bytes::BytesMut;
//! use neo_bolt::chunk::{self, Dechunker};
//! use neo_bolt::packstream::{Dialect, Packer};
//!
//! // RESET is a structure with tag 0F and no fields.
//! let mut out = BytesMut::new();
//! let start = chunk::begin_message(&mut out);
//! Packer::new(&mut out, Dialect::LATEST).write_struct_header(0x0F, 0)?;
//! chunk::end_message(&mut out, start);
//! assert_eq!(&out[..], [0x00, 0x02, 0xB0, 0x0F, 0x00, 0x00]);
//!
//! let mut dechunker = Dechunker::new();
//! let body = dechunker.decode(&mut out)?.expect("a whole message");
//! assert_eq!(&body[..], [0xB0, 0x0F]);
//! assert!(out.is_empty());
//! # Ok::<(), neo_bolt::Error>(())
//! ```

use std::num::NonZeroU16;
use std::ops::Range;

use bytes::{Buf, BufMut, Bytes, BytesMut};

use crate::{Error, ErrorKind};

/// The chunk size the writers use unless told otherwise: 16 KiB, a good
/// balance between memory and latency (any size up to 65535 is legal).
pub const DEFAULT_MAX_CHUNK_SIZE: NonZeroU16 = NonZeroU16::MIN.saturating_add(16 * 1024 - 1);

/// The largest message body a [`Dechunker`] accepts unless told otherwise:
/// 64 MiB.
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 64 * 1024 * 1024;

/// Length of a chunk header, and of the message terminator.
const HEADER_LEN: usize = 2;

/// The message terminator, also the NOOP keep-alive.
const TERMINATOR: [u8; HEADER_LEN] = [0x00, 0x00];

/// Where a message being written began; returned by [`begin_message`] and
/// consumed by [`end_message`].
#[derive(Debug)]
#[must_use = "the message is not framed until it is passed to `end_message`"]
pub struct MessageStart {
    header: usize,
    max_chunk_size: NonZeroU16,
}

/// Starts a message at the end of `out`, reserving its first chunk header.
///
/// Write the body after it, then call [`end_message`]. Chunks are at most
/// [`DEFAULT_MAX_CHUNK_SIZE`] bytes; see [`begin_message_with_chunk_size`].
///
/// ```
/// use bytes::{BufMut, BytesMut};
/// use neo_bolt::chunk;
///
/// let mut out = BytesMut::new();
/// let start = chunk::begin_message(&mut out);
/// out.put_slice(&[0xB0, 0x02]); // GOODBYE
/// chunk::end_message(&mut out, start);
/// assert_eq!(&out[..], [0x00, 0x02, 0xB0, 0x02, 0x00, 0x00]);
/// ```
pub fn begin_message(out: &mut BytesMut) -> MessageStart {
    begin_message_with_chunk_size(out, DEFAULT_MAX_CHUNK_SIZE)
}

/// Like [`begin_message`], with chunks of at most `max_chunk_size` bytes.
///
/// ```
/// use std::num::NonZeroU16;
/// use bytes::{BufMut, BytesMut};
/// use neo_bolt::chunk;
///
/// let mut out = BytesMut::new();
/// let start = chunk::begin_message_with_chunk_size(&mut out, NonZeroU16::new(2).unwrap());
/// out.put_slice(b"abc");
/// chunk::end_message(&mut out, start);
/// assert_eq!(&out[..], [0, 2, b'a', b'b', 0, 1, b'c', 0, 0]);
/// ```
pub fn begin_message_with_chunk_size(
    out: &mut BytesMut,
    max_chunk_size: NonZeroU16,
) -> MessageStart {
    let header = out.len();
    out.put_slice(&TERMINATOR);
    MessageStart {
        header,
        max_chunk_size,
    }
}

/// Finishes the message begun at `start`: everything written to `out` since
/// then is its body.
///
/// Fills in the chunk header, splits a body longer than the chunk size into
/// several chunks in place (moving the body once, with no temporary buffer),
/// and appends the terminator `00 00`. Chunks are never empty. An empty body
/// leaves just `00 00`, which the peer reads as a NOOP.
///
/// `out` must still hold everything written since [`begin_message`]; if it
/// was truncated below the reserved header, nothing is framed.
pub fn end_message(out: &mut BytesMut, start: MessageStart) {
    let MessageStart {
        header,
        max_chunk_size,
    } = start;
    let body_start = header + HEADER_LEN;
    let Some(body_len) = out.len().checked_sub(body_start) else {
        debug_assert!(false, "buffer truncated below the message start");
        return;
    };
    let max = usize::from(max_chunk_size.get());
    if body_len <= max {
        // One chunk; an empty body leaves the header as `00 00`, a NOOP.
        put_chunk_header(out, header, body_len);
        if body_len > 0 {
            out.put_slice(&TERMINATOR);
        }
        return;
    }

    // Several chunks: make room for the extra headers, then move each chunk
    // back by the headers in front of it, last chunk first so that no byte is
    // overwritten before it has moved.
    let chunks = body_len.div_ceil(max);
    out.resize(out.len() + (chunks - 1) * HEADER_LEN, 0);
    for index in (0..chunks).rev() {
        let from = body_start + index * max;
        let len = max.min(body_len - index * max);
        let to = header + index * (max + HEADER_LEN);
        if index > 0 {
            out.copy_within(from..from + len, to + HEADER_LEN);
        }
        put_chunk_header(out, to, len);
    }
    out.put_slice(&TERMINATOR);
}

/// Writes `body` as one message: chunks of at most
/// [`DEFAULT_MAX_CHUNK_SIZE`] bytes, then the terminator. An empty body
/// writes a NOOP.
///
/// ```
/// use bytes::BytesMut;
/// use neo_bolt::chunk;
///
/// let mut out = BytesMut::new();
/// chunk::write_message(&mut out, &[0xB1, 0x54, 0x02]); // TELEMETRY 2
/// assert_eq!(&out[..], [0x00, 0x03, 0xB1, 0x54, 0x02, 0x00, 0x00]);
/// ```
pub fn write_message(out: &mut BytesMut, body: &[u8]) {
    let max = usize::from(DEFAULT_MAX_CHUNK_SIZE.get());
    let chunks = body.len().div_ceil(max);
    out.reserve(body.len() + chunks * HEADER_LEN + HEADER_LEN);
    for chunk in body.chunks(max) {
        // `chunks(max)` yields slices of 1..=max bytes, and max fits a u16.
        out.put_u16(chunk.len() as u16);
        out.put_slice(chunk);
    }
    out.put_slice(&TERMINATOR);
}

/// Writes a NOOP keep-alive (`00 00`), legal between messages from Bolt 4.1.
///
/// ```
/// let mut out = bytes::BytesMut::new();
/// neo_bolt::chunk::write_noop(&mut out);
/// assert_eq!(&out[..], [0x00, 0x00]);
/// ```
pub fn write_noop(out: &mut BytesMut) {
    out.put_slice(&TERMINATOR);
}

fn put_chunk_header(out: &mut BytesMut, at: usize, len: usize) {
    // Callers pass lengths no larger than the chunk size, a u16.
    out[at..at + HEADER_LEN].copy_from_slice(&(len as u16).to_be_bytes());
}

/// Reassembles messages from a stream of chunks, in the style of a
/// `tokio_util::codec::Decoder`.
///
/// Feed it the bytes read so far; it returns each complete message body and
/// removes it from the buffer. It skips NOOPs, accepts input split at any
/// byte, and never copies a single-chunk message: the body is split off the
/// input buffer and frozen. A multi-chunk body is joined in place inside the
/// input buffer, again with no new allocation.
///
/// Bytes of an incomplete message stay in the buffer until the terminator
/// arrives, so the caller must only ever append to it between calls. A
/// message whose chunks add up to more than the maximum size is rejected as
/// soon as the offending chunk header is read, before its bytes are awaited,
/// and the dechunker never reserves more than the rest of one chunk (at most
/// 64 KiB), so a peer cannot make the buffer grow beyond that maximum plus
/// the chunk headers. After an error the stream cannot be resynchronised:
/// close it.
///
/// ```
/// use bytes::BytesMut;
/// use neo_bolt::chunk::Dechunker;
///
/// let mut dechunker = Dechunker::new();
/// let mut input = BytesMut::new();
/// input.extend_from_slice(&[0x00, 0x00, 0x00, 0x02, 0xB0]); // NOOP, then half a message
/// assert_eq!(dechunker.decode(&mut input)?, None);
/// input.extend_from_slice(&[0x0F, 0x00, 0x00]);
/// assert_eq!(dechunker.decode(&mut input)?.as_deref(), Some(&[0xB0, 0x0F][..]));
/// # Ok::<(), neo_bolt::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Dechunker {
    max_message_size: usize,
    /// Offset in the input of the next chunk header to read; the chunks
    /// before it belong to the message in progress.
    next_header: usize,
    /// Body bytes announced by those chunks.
    body_len: usize,
}

impl Default for Dechunker {
    fn default() -> Self {
        Dechunker::new()
    }
}

impl Dechunker {
    /// A dechunker accepting messages up to [`DEFAULT_MAX_MESSAGE_SIZE`].
    pub fn new() -> Self {
        Dechunker::with_max_message_size(DEFAULT_MAX_MESSAGE_SIZE)
    }

    /// A dechunker accepting message bodies of at most `max_message_size`
    /// bytes.
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use neo_bolt::{chunk::Dechunker, ErrorKind};
    ///
    /// let mut dechunker = Dechunker::with_max_message_size(1024);
    /// let mut input = BytesMut::from(&[0xFF, 0xFF][..]); // a 65535-byte chunk follows
    /// let err = dechunker.decode(&mut input).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::MessageTooLarge { max: 1024, .. }));
    /// ```
    pub fn with_max_message_size(max_message_size: usize) -> Self {
        Dechunker {
            max_message_size,
            next_header: 0,
            body_len: 0,
        }
    }

    /// The largest message body accepted.
    pub fn max_message_size(&self) -> usize {
        self.max_message_size
    }

    /// Whether part of a message has been seen but not its terminator.
    pub fn is_mid_message(&self) -> bool {
        self.next_header > 0
    }

    /// Takes the next complete message body out of `src`, or returns
    /// `Ok(None)` when more bytes are needed (having consumed any NOOPs).
    ///
    /// Fails with [`ErrorKind::MessageTooLarge`] when the message in progress
    /// grows beyond the maximum size.
    pub fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, Error> {
        loop {
            let Some(&[high, low]) = src.get(self.next_header..self.next_header + HEADER_LEN)
            else {
                // Ask for the rest of the current chunk and the next header:
                // at most 65537 bytes, however large the message claims to be.
                src.reserve(self.next_header + HEADER_LEN - src.len());
                return Ok(None);
            };
            let len = usize::from(u16::from_be_bytes([high, low]));
            if len == 0 {
                if self.next_header == 0 {
                    // A NOOP between messages.
                    src.advance(HEADER_LEN);
                    continue;
                }
                return Ok(Some(self.take_message(src)));
            }
            let body_len = self.body_len + len;
            if body_len > self.max_message_size {
                let max = self.max_message_size;
                *self = Dechunker::with_max_message_size(max);
                return Err(Error::new(ErrorKind::MessageTooLarge {
                    size: body_len,
                    max,
                }));
            }
            self.body_len = body_len;
            self.next_header += HEADER_LEN + len;
        }
    }

    /// Splits off the front of `src`, in one piece, the longest run of
    /// complete single-chunk messages whose bodies `wanted` accepts (NOOPs
    /// between them included), and appends where each body lies in the
    /// returned block to `bodies`.
    ///
    /// This is the fast path for a stream of small messages such as RECORDs:
    /// one split and no per-message bookkeeping in the buffer. It returns
    /// `None` when the run is empty, or when a message is in progress (a
    /// partly received or multi-chunk one): [`decode`](Self::decode) takes
    /// those, and reports a message over the size limit. Bodies are not copied; the block shares `src`'s memory.
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use neo_bolt::chunk::Dechunker;
    ///
    /// let mut input = BytesMut::from(&[0, 1, 7, 0, 0, 0, 0, 0, 2, 8, 9, 0, 0, 0, 1, 1, 0, 0][..]);
    /// let mut bodies = Vec::new();
    /// let block = Dechunker::new()
    ///     .split_run(&mut input, |body| body[0] != 1, &mut bodies)
    ///     .expect("two messages");
    /// let taken: Vec<&[u8]> = bodies.iter().map(|r| &block[r.start as usize..r.end as usize]).collect();
    /// assert_eq!(taken, [&[7][..], &[8, 9][..]]);
    /// assert_eq!(&input[..], [0, 1, 1, 0, 0]); // the unwanted message stays
    /// ```
    pub fn split_run(
        &mut self,
        src: &mut BytesMut,
        mut wanted: impl FnMut(&[u8]) -> bool,
        bodies: &mut Vec<Range<u32>>,
    ) -> Option<Bytes> {
        if self.next_header != 0 {
            return None;
        }
        // Offsets are kept as `u32`; a block never needs to be larger.
        let limit = src.len().min(u32::MAX as usize);
        let input = &src[..limit];
        let mut end = 0;
        while let Some(&[high, low]) = input.get(end..end + HEADER_LEN) {
            let len = usize::from(u16::from_be_bytes([high, low]));
            let body_start = end + HEADER_LEN;
            if len == 0 {
                end = body_start;
                continue;
            }
            if len > self.max_message_size {
                // Over the limit: `decode` reports it.
                break;
            }
            let body_end = body_start + len;
            match input.get(body_end..body_end + HEADER_LEN) {
                Some(terminator) if terminator == TERMINATOR => {}
                // Incomplete, or the first of several chunks.
                _ => break,
            }
            if !wanted(&input[body_start..body_end]) {
                break;
            }
            // Both fit a u32: they are below `limit`.
            bodies.push(body_start as u32..body_end as u32);
            end = body_end + HEADER_LEN;
        }
        (end > 0).then(|| src.split_to(end).freeze())
    }

    /// Joins the chunks of the finished message in place (the first chunk
    /// never moves, so a single-chunk message is not copied) and splits the
    /// body off `src`.
    fn take_message(&mut self, src: &mut BytesMut) -> Bytes {
        let frame_len = self.next_header + HEADER_LEN;
        let body_len = self.body_len;
        let mut read = 0;
        let mut write = HEADER_LEN;
        while read < self.next_header {
            let len = usize::from(u16::from_be_bytes([src[read], src[read + 1]]));
            let from = read + HEADER_LEN;
            if from != write {
                src.copy_within(from..from + len, write);
            }
            write += len;
            read = from + len;
        }
        src.advance(HEADER_LEN);
        let body = src.split_to(body_len).freeze();
        src.advance(frame_len - HEADER_LEN - body_len);
        self.next_header = 0;
        self.body_len = 0;
        body
    }
}
