//! Reading one connection's requests: framing, the share of the server's
//! memory for incoming messages that each holds, RESETs spotted ahead of the
//! queue, and decoding.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::{Bytes, BytesMut};
use neo_bolt::BoltVersion;
use neo_bolt::chunk::Dechunker;
use neo_bolt::message::{AuthToken, Logon, Request, tag};
use neo_bolt::packstream::Unpacker;
use tokio::io::AsyncReadExt;
use tokio::net::tcp::OwnedReadHalf;
use tokio::sync::mpsc;

use super::budget::{Charge, MemoryBudget};
use super::outbox::Outbox;

/// Requests read ahead of the one running.
pub(crate) const QUEUE: usize = 64;

/// Room made in the read buffer before each read.
const READ_AHEAD: usize = 8 * 1024;

/// A read buffer larger than this (and mostly empty) is replaced by a
/// smaller one once its message has been taken.
const KEEP_READ_BUFFER: usize = 128 * 1024;

/// The name of a message, from its tag (for counters and faults).
pub(crate) fn message_name(body: &[u8]) -> &'static str {
    match body.get(1).copied() {
        Some(tag::HELLO) => "HELLO",
        Some(tag::GOODBYE) => "GOODBYE",
        Some(tag::RESET) => "RESET",
        Some(tag::RUN) => "RUN",
        Some(tag::BEGIN) => "BEGIN",
        Some(tag::COMMIT) => "COMMIT",
        Some(tag::ROLLBACK) => "ROLLBACK",
        Some(tag::DISCARD) => "DISCARD",
        Some(tag::PULL) => "PULL",
        Some(tag::TELEMETRY) => "TELEMETRY",
        Some(tag::ROUTE) => "ROUTE",
        Some(tag::LOGON) => "LOGON",
        Some(tag::LOGOFF) => "LOGOFF",
        _ => "UNKNOWN",
    }
}

pub(crate) fn is_reset(body: &[u8]) -> bool {
    body == [0xB0, tag::RESET]
}

/// What the reader hands the request loop.
#[derive(Debug)]
pub(crate) enum Incoming {
    /// A complete message, holding its share of the memory budget until it
    /// has been handled.
    Message { body: Bytes, charge: Charge },
    /// Reading on would pass the server's memory for incoming messages.
    OverBudget,
}

/// Decodes a request in the connection's version and dialect.
///
/// A LOGON whose map has no `scheme`, which the official drivers send when
/// the application passes no credentials (`auth=None`), is read as the
/// `none` scheme, as Neo4j reads it: accepted when authentication is off,
/// refused as unauthorized when it is on.
pub(crate) fn decode(body: &[u8], out: &Outbox) -> Result<Request<'static>, neo_bolt::Error> {
    let error = match Request::decode_with_dialect(body, out.version(), out.dialect()) {
        Ok(request) => return Ok(request),
        Err(error) => error,
    };
    let without_scheme = match body {
        [0xB1, tag::LOGON, map @ ..] => {
            let mut unpacker = Unpacker::new(map, out.dialect());
            let map = unpacker.read_map();
            unpacker.finish().is_ok() && map.is_ok_and(|map| !map.contains_key("scheme"))
        }
        _ => false,
    };
    if without_scheme && out.version() >= BoltVersion::V5_1 {
        Ok(Request::Logon(Logon {
            auth: Cow::Owned(AuthToken::None),
        }))
    } else {
        Err(error)
    }
}

/// Reads messages and queues them, counting RESETs as they arrive so that
/// the requests queued before one are skipped. The read buffer (with the
/// unfinished message in it) and every queued message are charged to the
/// server's memory budget; when the next read would pass it, the reader
/// says so and stops.
pub(crate) async fn read_messages(
    mut read: OwnedReadHalf,
    mut input: BytesMut,
    max_message_size: usize,
    budget: Arc<MemoryBudget>,
    sender: mpsc::Sender<Incoming>,
    pending_resets: Arc<AtomicUsize>,
) {
    let mut dechunker = Dechunker::with_max_message_size(max_message_size);
    let mut held = Charge::new(&budget);
    loop {
        loop {
            match dechunker.decode(&mut input) {
                Ok(Some(body)) => {
                    if is_reset(&body) {
                        pending_resets.fetch_add(1, Ordering::AcqRel);
                    }
                    let charge = held.split(body.len());
                    if sender
                        .send(Incoming::Message { body, charge })
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    tracing::debug!(%error, "unreadable message; closing");
                    return;
                }
            }
        }
        if input.capacity() > KEEP_READ_BUFFER.max(4 * input.len()) {
            // A large message has left: keep what follows it in a small
            // buffer of its own rather than the tail of its allocation.
            input = BytesMut::from(&input[..]);
        }
        input.reserve(READ_AHEAD);
        if !held.resize(input.capacity()) {
            tracing::debug!(
                buffered = input.len(),
                limit = budget.limit(),
                "the memory for incoming messages is used up; closing"
            );
            let _ = sender.send(Incoming::OverBudget).await;
            return;
        }
        match read.read_buf(&mut input).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}
