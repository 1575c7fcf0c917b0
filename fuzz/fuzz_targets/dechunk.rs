//! Feeds arbitrary bytes to the dechunker in arbitrary pieces, then decodes
//! every message it yields as a request and as a response.
//!
//! The dechunker must never panic, must yield the same messages (or the
//! same error) however the input is split, and must never return a message
//! over its size limit; the message decoders must never panic either.

#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use neo_bolt::BoltVersion;
use neo_bolt::chunk::Dechunker;
use neo_bolt::message::{Request, Response};
use neo_bolt::packstream::Dialect;

const LIMIT: usize = 4096;

/// Runs the dechunker over `input` delivered in pieces of the given sizes
/// (cycled), returning the messages and whether it failed.
fn dechunk(input: &[u8], pieces: &[u8]) -> (Vec<Vec<u8>>, bool) {
    let mut dechunker = Dechunker::with_max_message_size(LIMIT);
    let mut buffer = BytesMut::new();
    let mut messages = Vec::new();
    let mut rest = input;
    let mut sizes = pieces.iter().cycle();
    while !rest.is_empty() {
        let size = usize::from(*sizes.next().unwrap_or(&255)).max(1).min(rest.len());
        buffer.extend_from_slice(&rest[..size]);
        rest = &rest[size..];
        loop {
            match dechunker.decode(&mut buffer) {
                Ok(Some(message)) => {
                    assert!(message.len() <= LIMIT, "a message over the limit");
                    messages.push(message.to_vec());
                }
                Ok(None) => break,
                Err(_) => return (messages, true),
            }
        }
    }
    (messages, false)
}

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let (pieces, input) = rest.split_at(usize::from(split).min(rest.len()).min(8));
    let whole = dechunk(input, &[255]);
    let split = dechunk(input, if pieces.is_empty() { &[1] } else { pieces });
    assert_eq!(whole, split, "the split changed what the dechunker saw");
    for message in &whole.0 {
        for version in BoltVersion::SUPPORTED {
            let _ = Request::decode(message, version);
        }
        for dialect in [Dialect::LATEST, Dialect::V4_4] {
            if let Ok(Response::Record(record)) = Response::decode(message, dialect) {
                let _ = record.values();
            }
        }
    }
});
