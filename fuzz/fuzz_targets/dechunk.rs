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
/// (cycled), returning the messages and whether it failed. With `in_runs`,
/// messages whose first byte is even are taken in runs with `split_run`, as
/// a client takes RECORDs, and the others with `decode`.
fn dechunk(input: &[u8], pieces: &[u8], in_runs: bool) -> (Vec<Vec<u8>>, bool) {
    let mut dechunker = Dechunker::with_max_message_size(LIMIT);
    let mut buffer = BytesMut::new();
    let mut messages = Vec::new();
    let mut rest = input;
    let mut sizes = pieces.iter().cycle();
    let wanted = |body: &[u8]| body.first().is_some_and(|b| b % 2 == 0);
    while !rest.is_empty() {
        let size = usize::from(*sizes.next().unwrap_or(&255)).max(1).min(rest.len());
        buffer.extend_from_slice(&rest[..size]);
        rest = &rest[size..];
        loop {
            let mut ranges = Vec::new();
            if in_runs
                && let Some(block) = dechunker.split_run(&mut buffer, wanted, &mut ranges)
            {
                for range in ranges {
                    let body = &block[range.start as usize..range.end as usize];
                    assert!(wanted(body) && body.len() <= LIMIT);
                    messages.push(body.to_vec());
                }
            }
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
    let pieces = if pieces.is_empty() { &[1][..] } else { pieces };
    let whole = dechunk(input, &[255], false);
    let split = dechunk(input, pieces, false);
    assert_eq!(whole, split, "the split changed what the dechunker saw");
    let runs = dechunk(input, pieces, true);
    assert_eq!(whole, runs, "taking runs changed what the dechunker saw");
    for message in &whole.0 {
        for version in BoltVersion::SUPPORTED {
            let _ = Request::decode(message, version);
        }
        for dialect in [Dialect::LATEST, Dialect::V4_4] {
            match Response::decode(message, dialect) {
                Ok(Response::Record(record)) => {
                    let _ = record.values();
                }
                Ok(Response::Success(success)) => {
                    // Read from the bytes, then from the map: the same answers.
                    let lazy = (success.fields().ok(), success.qid(), success.has_more(), success.bookmark().map(str::to_owned));
                    let map = success.metadata().clone();
                    let eager = neo_bolt::message::Success::new(map);
                    assert_eq!(lazy, (eager.fields().ok(), eager.qid(), eager.has_more(), eager.bookmark().map(str::to_owned)));
                }
                _ => {}
            }
        }
    }
});
