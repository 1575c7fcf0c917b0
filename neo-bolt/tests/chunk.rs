//! Bolt message framing: chunk layout, reassembly across arbitrary splits,
//! NOOPs, and the message size limit.

use std::num::NonZeroU16;

use bytes::{BufMut, Bytes, BytesMut};
use neo_bolt::ErrorKind;
use neo_bolt::chunk::{self, DEFAULT_MAX_CHUNK_SIZE, DEFAULT_MAX_MESSAGE_SIZE, Dechunker};
use neo_bolt::packstream::{Dialect, Packer};
use proptest::prelude::*;

/// Frames a body with `begin_message`/`end_message`, after some bytes that
/// are already in the buffer, and returns only the new bytes.
fn framed_in_place(body: &[u8], chunk_size: NonZeroU16) -> Vec<u8> {
    let mut out = BytesMut::from(&b"earlier"[..]);
    let start = chunk::begin_message_with_chunk_size(&mut out, chunk_size);
    out.put_slice(body);
    chunk::end_message(&mut out, start);
    assert_eq!(
        &out[..7],
        b"earlier",
        "bytes before the message are untouched"
    );
    out[7..].to_vec()
}

/// Splits a framed message into its chunks, checking the terminator.
fn chunks_of(framed: &[u8]) -> Vec<&[u8]> {
    let mut chunks = Vec::new();
    let mut rest = framed;
    loop {
        let len = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
        if len == 0 {
            assert_eq!(rest.len(), 2, "nothing follows the terminator");
            return chunks;
        }
        chunks.push(&rest[2..2 + len]);
        rest = &rest[2 + len..];
    }
}

fn body_of_len(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// Decodes every message in `input`, which must end on a message boundary.
fn decode_all(dechunker: &mut Dechunker, input: &mut BytesMut) -> Vec<Bytes> {
    let mut messages = Vec::new();
    while let Some(body) = dechunker.decode(input).expect("valid framing") {
        messages.push(body);
    }
    messages
}

#[test]
fn reset_body_is_framed_as_in_the_reference() {
    let mut out = BytesMut::new();
    let start = chunk::begin_message(&mut out);
    Packer::new(&mut out, Dialect::LATEST)
        .write_struct_header(0x0F, 0)
        .unwrap();
    chunk::end_message(&mut out, start);
    assert_eq!(&out[..], [0x00, 0x02, 0xB0, 0x0F, 0x00, 0x00]);
}

#[test]
fn pull_body_is_framed_as_in_the_reference() {
    let mut out = BytesMut::new();
    let start = chunk::begin_message(&mut out);
    let mut packer = Packer::new(&mut out, Dialect::LATEST);
    packer.write_struct_header(0x3F, 1).unwrap();
    packer.write_map_header(1).unwrap();
    packer.write_str("n").unwrap();
    packer.write_int(1000);
    chunk::end_message(&mut out, start);
    assert_eq!(
        &out[..],
        [
            0x00, 0x08, 0xB1, 0x3F, 0xA1, 0x81, 0x6E, 0xC9, 0x03, 0xE8, 0x00, 0x00
        ]
    );
}

#[test]
fn reference_vectors_match_write_message() {
    let vectors: [(&[u8], &[u8]); 4] = [
        (&[0xB0, 0x02], &[0x00, 0x02, 0xB0, 0x02, 0x00, 0x00]),
        (
            &[0xB1, 0x2F, 0xA1, 0x81, 0x6E, 0xFF],
            &[0x00, 0x06, 0xB1, 0x2F, 0xA1, 0x81, 0x6E, 0xFF, 0x00, 0x00],
        ),
        (
            &[
                0xB3, 0x10, 0x88, b'R', b'E', b'T', b'U', b'R', b'N', b' ', b'1', 0xA0, 0xA0,
            ],
            &[
                0x00, 0x0D, 0xB3, 0x10, 0x88, b'R', b'E', b'T', b'U', b'R', b'N', b' ', b'1', 0xA0,
                0xA0, 0x00, 0x00,
            ],
        ),
        (
            &[0xB1, 0x54, 0x02],
            &[0x00, 0x03, 0xB1, 0x54, 0x02, 0x00, 0x00],
        ),
    ];
    for (body, framed) in vectors {
        let mut out = BytesMut::new();
        chunk::write_message(&mut out, body);
        assert_eq!(&out[..], framed);
        assert_eq!(framed_in_place(body, DEFAULT_MAX_CHUNK_SIZE), framed);

        let mut input = BytesMut::from(framed);
        let decoded = Dechunker::new().decode(&mut input).unwrap();
        assert_eq!(decoded.as_deref(), Some(body));
        assert!(input.is_empty());
    }
}

#[test]
fn bodies_of_every_interesting_size_round_trip_in_full_chunks() {
    let max = usize::from(DEFAULT_MAX_CHUNK_SIZE.get());
    assert_eq!(max, 16384);
    for len in [
        1, 2, 255, 16383, 16384, 16385, 32767, 32768, 32769, 65535, 65536, 100_000,
    ] {
        let body = body_of_len(len);
        let mut written = BytesMut::new();
        chunk::write_message(&mut written, &body);
        let in_place = framed_in_place(&body, DEFAULT_MAX_CHUNK_SIZE);
        assert_eq!(
            written[..],
            in_place[..],
            "both writers agree for {len} bytes"
        );

        let chunks = chunks_of(&written);
        assert_eq!(
            chunks.len(),
            len.div_ceil(max),
            "chunk count for {len} bytes"
        );
        for (index, chunk) in chunks.iter().enumerate() {
            assert!(!chunk.is_empty());
            if index + 1 < chunks.len() {
                assert_eq!(chunk.len(), max, "only the last chunk may be short");
            }
        }
        assert_eq!(chunks.concat(), body);

        let mut input = written;
        let decoded = Dechunker::new().decode(&mut input).unwrap();
        assert_eq!(
            decoded.as_deref(),
            Some(&body[..]),
            "round trip of {len} bytes"
        );
        assert!(input.is_empty());
    }
}

#[test]
fn an_empty_body_becomes_a_noop_that_the_reader_skips() {
    let mut out = BytesMut::new();
    let start = chunk::begin_message(&mut out);
    chunk::end_message(&mut out, start);
    assert_eq!(&out[..], [0x00, 0x00]);

    let mut written = BytesMut::new();
    chunk::write_message(&mut written, &[]);
    assert_eq!(&written[..], [0x00, 0x00]);

    let mut dechunker = Dechunker::new();
    assert_eq!(dechunker.decode(&mut out).unwrap(), None);
    assert!(out.is_empty(), "the NOOP is consumed");
    assert!(!dechunker.is_mid_message());
}

#[test]
fn custom_chunk_sizes_split_a_body_evenly() {
    let body = body_of_len(100_000);
    for size in [1u16, 3, 1000, 16383, 65535] {
        let chunk_size = NonZeroU16::new(size).unwrap();
        let framed = framed_in_place(&body, chunk_size);
        let chunks = chunks_of(&framed);
        let size = usize::from(size);
        assert_eq!(chunks.len(), body.len().div_ceil(size));
        assert!(chunks.iter().all(|c| !c.is_empty() && c.len() <= size));
        assert_eq!(chunks.concat(), body);

        let mut input = BytesMut::from(&framed[..]);
        let decoded = Dechunker::new().decode(&mut input).unwrap();
        assert_eq!(decoded.as_deref(), Some(&body[..]));
    }
}

#[test]
fn a_single_chunk_message_is_returned_without_copying() {
    let mut input = BytesMut::new();
    chunk::write_message(&mut input, &body_of_len(1000));
    let start = input.as_ptr();
    let body = Dechunker::new().decode(&mut input).unwrap().unwrap();
    assert_eq!(
        body.as_ptr(),
        start.wrapping_add(2),
        "the body shares the input's memory"
    );
}

#[test]
fn a_multi_chunk_message_is_joined_inside_the_input_buffer() {
    let body = body_of_len(50_000);
    let mut input = BytesMut::new();
    chunk::write_message(&mut input, &body);
    chunk::write_message(&mut input, &[0xB0, 0x0F]);
    let start = input.as_ptr();
    let mut dechunker = Dechunker::new();
    let decoded = dechunker.decode(&mut input).unwrap().unwrap();
    assert_eq!(decoded, body);
    assert_eq!(decoded.as_ptr(), start.wrapping_add(2), "no new allocation");
    let next = dechunker.decode(&mut input).unwrap();
    assert_eq!(
        next.as_deref(),
        Some(&[0xB0, 0x0F][..]),
        "the next message is intact"
    );
    assert!(input.is_empty());
}

#[test]
fn a_split_run_stops_at_an_incomplete_or_multi_chunk_message() {
    let mut input = BytesMut::new();
    chunk::write_message(&mut input, &[2, 1]);
    chunk::write_noop(&mut input);
    chunk::write_message(&mut input, &[4]);
    let start = chunk::begin_message_with_chunk_size(&mut input, NonZeroU16::new(1).unwrap());
    input.put_slice(&[6, 6]);
    chunk::end_message(&mut input, start);
    let mut dechunker = Dechunker::new();
    let mut ranges = Vec::new();
    let block = dechunker
        .split_run(&mut input, |_| true, &mut ranges)
        .unwrap();
    assert_eq!(&block[..], [0, 2, 2, 1, 0, 0, 0, 0, 0, 1, 4, 0, 0]);
    assert_eq!(ranges, [2..4, 10..11]);
    // The two-chunk message is left for `decode`.
    assert_eq!(dechunker.split_run(&mut input, |_| true, &mut ranges), None);
    assert_eq!(&dechunker.decode(&mut input).unwrap().unwrap()[..], [6, 6]);

    // Half a message: nothing is taken, and nothing while `decode` is
    // part-way through it.
    input.extend_from_slice(&[0, 3, 8]);
    assert_eq!(dechunker.split_run(&mut input, |_| true, &mut ranges), None);
    assert_eq!(dechunker.decode(&mut input).unwrap(), None);
    assert_eq!(dechunker.split_run(&mut input, |_| true, &mut ranges), None);
    input.extend_from_slice(&[8, 8, 0, 0]);
    assert_eq!(
        &dechunker.decode(&mut input).unwrap().unwrap()[..],
        [8, 8, 8]
    );
    assert!(input.is_empty());
}

#[test]
fn a_split_run_leaves_a_message_over_the_limit_to_decode() {
    let mut input = BytesMut::new();
    chunk::write_message(&mut input, &[1, 2]);
    chunk::write_message(&mut input, &[3; 10]);
    let mut dechunker = Dechunker::with_max_message_size(4);
    let mut ranges = Vec::new();
    let block = dechunker
        .split_run(&mut input, |_| true, &mut ranges)
        .unwrap();
    assert_eq!(&block[..], [0, 2, 1, 2, 0, 0]);
    assert_eq!((ranges.len(), ranges[0].clone()), (1, 2..4));
    let error = dechunker.decode(&mut input).unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::MessageTooLarge { size: 10, max: 4 }
    ));
}

#[test]
fn noops_between_messages_are_skipped() {
    let mut input = BytesMut::new();
    chunk::write_noop(&mut input);
    chunk::write_noop(&mut input);
    chunk::write_message(&mut input, &[0xB0, 0x0F]);
    chunk::write_noop(&mut input);
    chunk::write_message(&mut input, &[0xB0, 0x02]);
    chunk::write_noop(&mut input);
    let messages = decode_all(&mut Dechunker::new(), &mut input);
    assert_eq!(messages, [&[0xB0, 0x0F][..], &[0xB0, 0x02][..]]);
    assert!(input.is_empty(), "the trailing NOOP is consumed too");
}

#[test]
fn a_stream_fed_one_byte_at_a_time_yields_the_same_messages() {
    let bodies = [
        body_of_len(3),
        body_of_len(40_000),
        body_of_len(16384),
        body_of_len(1),
    ];
    let mut stream = BytesMut::new();
    for body in &bodies {
        chunk::write_noop(&mut stream);
        chunk::write_message(&mut stream, body);
    }
    let mut dechunker = Dechunker::new();
    let mut input = BytesMut::new();
    let mut messages = Vec::new();
    for &byte in stream.iter() {
        input.put_u8(byte);
        if let Some(body) = dechunker.decode(&mut input).unwrap() {
            messages.push(body);
        }
    }
    assert_eq!(messages, bodies);
    assert!(input.is_empty());
    assert!(!dechunker.is_mid_message());
}

#[test]
fn the_default_limit_is_64_mib() {
    assert_eq!(DEFAULT_MAX_MESSAGE_SIZE, 64 * 1024 * 1024);
    assert_eq!(
        Dechunker::new().max_message_size(),
        DEFAULT_MAX_MESSAGE_SIZE
    );
    assert_eq!(
        Dechunker::default().max_message_size(),
        DEFAULT_MAX_MESSAGE_SIZE
    );
}

#[test]
fn an_oversized_chunk_header_fails_before_its_bytes_arrive() {
    let mut dechunker = Dechunker::with_max_message_size(1000);
    let mut input = BytesMut::from(&[0xFF, 0xFF][..]);
    let err = dechunker.decode(&mut input).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::MessageTooLarge {
            size: 65535,
            max: 1000
        }
    );
    assert!(
        input.capacity() < 1000,
        "nothing was reserved for the chunk"
    );
}

#[test]
fn chunks_adding_up_past_the_limit_fail_at_the_crossing_header() {
    let mut dechunker = Dechunker::with_max_message_size(300);
    let mut input = BytesMut::new();
    input.put_u16(200);
    input.put_slice(&[7; 200]);
    assert_eq!(dechunker.decode(&mut input).unwrap(), None);
    assert!(dechunker.is_mid_message());
    input.put_u16(101);
    let err = dechunker.decode(&mut input).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::MessageTooLarge {
            size: 301,
            max: 300
        }
    );
    assert!(
        !dechunker.is_mid_message(),
        "the state is reset after an error"
    );
}

#[test]
fn a_message_of_exactly_the_limit_is_accepted() {
    let body = body_of_len(300);
    let mut input = BytesMut::new();
    input.put_u16(200);
    input.put_slice(&body[..200]);
    input.put_u16(100);
    input.put_slice(&body[200..]);
    input.put_u16(0);
    let decoded = Dechunker::with_max_message_size(300)
        .decode(&mut input)
        .unwrap();
    assert_eq!(decoded.as_deref(), Some(&body[..]));
}

#[test]
fn a_hostile_stream_of_tiny_chunks_is_bounded_by_the_limit() {
    // One-byte chunks: three wire bytes per body byte, so the limit trips
    // after about 3 * max buffered bytes, never more.
    let max = 10_000;
    let mut dechunker = Dechunker::with_max_message_size(max);
    let mut input = BytesMut::new();
    let mut fed = 0usize;
    let err = loop {
        input.put_slice(&[0x00, 0x01, 0xAB]);
        fed += 3;
        match dechunker.decode(&mut input) {
            Ok(None) => {}
            Ok(Some(_)) => panic!("no terminator was sent"),
            Err(err) => break err,
        }
    };
    assert!(matches!(err.kind(), ErrorKind::MessageTooLarge { .. }));
    assert!(fed <= 3 * (max + 1));
}

fn framed_stream(bodies: &[Vec<u8>], chunk_size: NonZeroU16, noops: &[bool]) -> BytesMut {
    let mut stream = BytesMut::new();
    for (index, body) in bodies.iter().enumerate() {
        if noops.get(index).copied().unwrap_or(false) {
            chunk::write_noop(&mut stream);
        }
        let start = chunk::begin_message_with_chunk_size(&mut stream, chunk_size);
        stream.put_slice(body);
        chunk::end_message(&mut stream, start);
    }
    stream
}

/// Frames `body` the obvious way, for comparison.
fn reference_framing(body: &[u8], chunk_size: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in body.chunks(chunk_size) {
        out.extend_from_slice(&(chunk.len() as u16).to_be_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&[0, 0]);
    out
}

proptest! {
    #[test]
    fn in_place_framing_matches_the_obvious_framing(
        len in 0usize..70_000,
        chunk_size in prop_oneof![1u16..=16, 1u16..=u16::MAX],
    ) {
        let body = body_of_len(len);
        let framed = framed_in_place(&body, NonZeroU16::new(chunk_size).unwrap());
        prop_assert_eq!(framed, reference_framing(&body, usize::from(chunk_size)));
    }

    #[test]
    fn random_splits_yield_the_same_messages(
        bodies in prop::collection::vec(prop::collection::vec(any::<u8>(), 1..3000), 1..6),
        chunk_size in 1u16..=4000,
        noops in prop::collection::vec(any::<bool>(), 6),
        cuts in prop::collection::vec(0usize..20_000, 0..12),
    ) {
        let chunk_size = NonZeroU16::new(chunk_size).unwrap();
        let stream = framed_stream(&bodies, chunk_size, &noops);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|cut| cut % (stream.len() + 1)).collect();
        cuts.push(stream.len());
        cuts.sort_unstable();

        let mut dechunker = Dechunker::new();
        let mut input = BytesMut::new();
        let mut messages = Vec::new();
        let mut fed = 0;
        for cut in cuts {
            input.extend_from_slice(&stream[fed..cut]);
            fed = cut;
            while let Some(body) = dechunker.decode(&mut input).unwrap() {
                messages.push(body.to_vec());
            }
        }
        prop_assert_eq!(messages, bodies);
        prop_assert!(input.is_empty());
    }

    #[test]
    fn split_runs_and_single_messages_together_yield_the_same_messages(
        bodies in prop::collection::vec(prop::collection::vec(any::<u8>(), 1..300), 1..40),
        chunk_size in prop_oneof![1u16..=64, Just(u16::MAX)],
        noops in prop::collection::vec(any::<bool>(), 40),
        cuts in prop::collection::vec(0usize..20_000, 0..12),
    ) {
        let chunk_size = NonZeroU16::new(chunk_size).unwrap();
        let stream = framed_stream(&bodies, chunk_size, &noops);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|cut| cut % (stream.len() + 1)).collect();
        cuts.push(stream.len());
        cuts.sort_unstable();

        // Bodies starting with an even byte are taken in runs, the others
        // one by one, as a client takes RECORDs and summaries.
        let wanted = |body: &[u8]| body[0].is_multiple_of(2);
        let mut dechunker = Dechunker::new();
        let mut input = BytesMut::new();
        let mut messages = Vec::new();
        let mut fed = 0;
        for cut in cuts {
            input.extend_from_slice(&stream[fed..cut]);
            fed = cut;
            loop {
                let mut ranges = Vec::new();
                if let Some(block) = dechunker.split_run(&mut input, wanted, &mut ranges) {
                    prop_assert!(!ranges.is_empty() || block.iter().all(|b| *b == 0));
                    for range in ranges {
                        let body = &block[range.start as usize..range.end as usize];
                        prop_assert!(wanted(body));
                        messages.push(body.to_vec());
                    }
                }
                match dechunker.decode(&mut input).unwrap() {
                    Some(body) => messages.push(body.to_vec()),
                    None => break,
                }
            }
        }
        prop_assert_eq!(messages, bodies);
        prop_assert!(input.is_empty());
    }

    #[test]
    fn garbage_never_panics_and_respects_the_limit(
        garbage in prop::collection::vec(any::<u8>(), 0..4096),
        split in 0usize..4096,
    ) {
        let max = 512;
        let mut dechunker = Dechunker::with_max_message_size(max);
        let split = split.min(garbage.len());
        let mut input = BytesMut::from(&garbage[..split]);
        for part in [&garbage[split..], &[][..]] {
            loop {
                match dechunker.decode(&mut input) {
                    Ok(Some(body)) => prop_assert!(!body.is_empty() && body.len() <= max),
                    Ok(None) => break,
                    Err(err) => {
                        let too_large = matches!(err.kind(), ErrorKind::MessageTooLarge { .. });
                        prop_assert!(too_large);
                        return Ok(());
                    }
                }
            }
            input.extend_from_slice(part);
        }
    }
}
