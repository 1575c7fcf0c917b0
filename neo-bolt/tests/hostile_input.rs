//! Hostile input: truncated, oversized, deeply nested, reserved or malformed
//! PackStream must fail with a typed error, quickly, without panicking and
//! without allocating by a length the input merely claims.

use std::alloc::System;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once, PoisonError};
use std::time::{Duration, Instant};

use neo_bolt::packstream::{
    self, DEFAULT_MAX_DEPTH, Date, DateTime, DateTimeZoneId, Dialect, Duration as PsDuration,
    LegacyDateTimeZoneId, LocalDateTime, LocalTime, Map, Node, Path, Point2D, Point3D, Time,
    UnboundRelationship, Unpacker, marker,
};
use neo_bolt::{Error, ErrorKind, Value};
use proptest::prelude::*;
use tracking_allocator::{
    AllocationGroupId, AllocationGroupToken, AllocationRegistry, AllocationTracker, Allocator,
};

// ------------------------------------------------- allocation measurement

#[global_allocator]
static ALLOCATOR: Allocator<System> = Allocator::system();

/// The allocation group being measured (0: none).
static MEASURED_GROUP: AtomicUsize = AtomicUsize::new(0);
/// The largest single allocation request seen in the measured group.
static LARGEST_REQUEST: AtomicUsize = AtomicUsize::new(0);

struct LargestRequest;

impl AllocationTracker for LargestRequest {
    fn allocated(&self, _addr: usize, size: usize, _wrapped: usize, group: AllocationGroupId) {
        if group.as_usize().get() == MEASURED_GROUP.load(Ordering::SeqCst) {
            LARGEST_REQUEST.fetch_max(size, Ordering::SeqCst);
        }
    }

    fn deallocated(
        &self,
        _: usize,
        _: usize,
        _: usize,
        _: AllocationGroupId,
        _: AllocationGroupId,
    ) {
    }
}

/// Runs `f` and returns the largest single allocation it requested (on this
/// thread; measurements are serialised across the test threads).
fn largest_allocation<R>(f: impl FnOnce() -> R) -> (R, usize) {
    static INSTALL: Once = Once::new();
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    INSTALL.call_once(|| {
        AllocationRegistry::set_global_tracker(LargestRequest).expect("the only tracker");
        AllocationRegistry::enable_tracking();
    });
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let mut token = AllocationGroupToken::register().expect("an allocation group");
    MEASURED_GROUP.store(token.id().as_usize().get(), Ordering::SeqCst);
    LARGEST_REQUEST.store(0, Ordering::SeqCst);
    let guard = token.enter();
    let result = f();
    drop(guard);
    MEASURED_GROUP.store(0, Ordering::SeqCst);
    (result, LARGEST_REQUEST.load(Ordering::SeqCst))
}

const ALLOCATION_BUDGET: usize = 64 * 1024;

#[test]
fn the_allocation_probe_sees_large_requests() {
    let (buffer, largest) = largest_allocation(|| vec![1u8; 200_000]);
    assert_eq!(buffer.len(), 200_000);
    assert!(largest >= 200_000, "{largest}");
    let (_, largest) = largest_allocation(|| 2 + 2);
    assert_eq!(largest, 0);
}

// ---------------------------------------------------------------- helpers

/// Bolt 4.4 with the `utc` patch.
const V4_4_UTC: Dialect = Dialect {
    element_ids: false,
    utc_datetime: true,
    vector_types: false,
};

const ALL_DIALECTS: [Dialect; 4] = [Dialect::LATEST, Dialect::V5, Dialect::V4_4, V4_4_UTC];

fn decode_error(bytes: &[u8], dialect: Dialect) -> Error {
    match packstream::from_slice(bytes, dialect) {
        Ok(value) => panic!("{bytes:02X?} decoded to {value:?}"),
        Err(e) => e,
    }
}

fn skip_error(bytes: &[u8], dialect: Dialect) -> Error {
    let mut unpacker = Unpacker::new(bytes, dialect);
    match unpacker.skip_value().and_then(|()| unpacker.finish()) {
        Ok(()) => panic!("{bytes:02X?} was skipped"),
        Err(e) => e,
    }
}

/// Decoding and skipping both fail with this kind of error at this offset.
fn assert_rejected(bytes: &[u8], dialect: Dialect, kind: &ErrorKind, offset: usize) {
    for (how, err) in [
        ("read", decode_error(bytes, dialect)),
        ("skip", skip_error(bytes, dialect)),
    ] {
        assert_eq!(err.kind(), kind, "{how} {bytes:02X?} in {dialect:?}");
        assert_eq!(err.offset(), Some(offset), "{how} {bytes:02X?}");
    }
}

fn props(entries: &[(&str, Value)]) -> Map {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

/// One value of every kind valid in `dialect`, nested in lists and maps.
fn rich_value(dialect: Dialect) -> Value {
    let id = |n: i64, prefix: &str| {
        if dialect.element_ids {
            format!("{prefix}:{n}")
        } else {
            n.to_string()
        }
    };
    let node = |n: i64| Node {
        id: n,
        labels: vec!["Person".into(), "Ünïcödé".into()],
        properties: props(&[
            ("name", Value::from("Alice")),
            ("age", Value::from(33)),
            ("tags", Value::from(vec!["a", "b"])),
        ]),
        element_id: id(n, "4:db"),
    };
    let unbound = UnboundRelationship {
        id: 70_000,
        rel_type: "KNOWS".into(),
        properties: props(&[("since", Value::from(1999))]),
        element_id: id(70_000, "5:db"),
    };
    let zoned = if dialect.utc_datetime {
        Value::DateTimeZoneId(DateTimeZoneId {
            seconds: 4500,
            nanoseconds: 42,
            tz_id: "Europe/Paris".into(),
        })
    } else {
        Value::LegacyDateTimeZoneId(LegacyDateTimeZoneId {
            local_seconds: 8100,
            nanoseconds: 42,
            tz_id: "Europe/Paris".into(),
        })
    };
    Value::Map(props(&[
        ("null", Value::Null),
        ("bool", Value::Boolean(true)),
        (
            "ints",
            Value::from(vec![0, -16, -17, 128, -129, 40_000, i64::MIN]),
        ),
        ("float", Value::Float(-1.5)),
        ("bytes", Value::Bytes((0..=255).collect())),
        ("long string", Value::from("é".repeat(200))),
        ("node", Value::Node(Box::new(node(1)))),
        (
            "relationship",
            Value::Relationship(Box::new(unbound.bind(&node(1), &node(2)))),
        ),
        (
            "unbound",
            Value::UnboundRelationship(Box::new(unbound.clone())),
        ),
        (
            "path",
            Value::Path(Box::new(Path {
                nodes: vec![node(1), node(2)],
                relationships: vec![unbound],
                indices: vec![1, 1],
            })),
        ),
        (
            "temporal",
            Value::List(vec![
                Value::Date(Date { days: -1 }),
                Value::Time(Time {
                    nanoseconds: 1,
                    tz_offset_seconds: 3600,
                }),
                Value::LocalTime(LocalTime { nanoseconds: 2 }),
                Value::DateTime(DateTime {
                    seconds: 4500,
                    nanoseconds: 42,
                    tz_offset_seconds: 3600,
                }),
                zoned,
                Value::LocalDateTime(LocalDateTime {
                    seconds: 3,
                    nanoseconds: 4,
                }),
                Value::Duration(PsDuration {
                    months: 1,
                    days: 2,
                    seconds: 3,
                    nanoseconds: 4,
                }),
            ]),
        ),
        (
            "spatial",
            Value::List(vec![
                Value::Point2D(Point2D {
                    srid: 4326,
                    x: 1.0,
                    y: 2.0,
                }),
                Value::Point3D(Point3D {
                    srid: 4979,
                    x: 1.0,
                    y: 2.0,
                    z: 3.0,
                }),
            ]),
        ),
        ("empty", Value::Map(Map::new())),
    ]))
}

// ------------------------------------------------------------- truncation

#[test]
fn truncation_at_every_offset_is_an_unexpected_end() {
    for dialect in ALL_DIALECTS {
        let value = rich_value(dialect);
        let bytes = packstream::to_vec(&value, dialect).unwrap();
        assert!(bytes.len() > 900, "{}", bytes.len());
        assert_eq!(packstream::from_slice(&bytes, dialect).unwrap(), value);
        for cut in 0..bytes.len() {
            let prefix = &bytes[..cut];
            for (how, err) in [
                ("read", decode_error(prefix, dialect)),
                ("skip", skip_error(prefix, dialect)),
            ] {
                match err.kind() {
                    ErrorKind::UnexpectedEnd { needed, available } => {
                        assert!(*needed > 0);
                        let offset = err.offset().unwrap();
                        assert_eq!(offset + available, cut, "{how} cut at {cut}");
                    }
                    other => panic!("{how} cut at {cut} of {dialect:?}: {other:?}"),
                }
            }
        }
    }
}

#[test]
fn unexpected_end_reports_what_was_missing() {
    let err = decode_error(&[0xC9, 0x01], Dialect::LATEST);
    assert_eq!(
        err.kind(),
        &ErrorKind::UnexpectedEnd {
            needed: 1,
            available: 1
        }
    );
    assert_eq!(err.offset(), Some(1));
    let err = decode_error(&[], Dialect::LATEST);
    assert_eq!(
        err.kind(),
        &ErrorKind::UnexpectedEnd {
            needed: 1,
            available: 0
        }
    );
    assert_eq!(err.offset(), Some(0));
}

#[test]
fn trailing_bytes_are_rejected_with_their_count() {
    let err = decode_error(&[0x01, 0x02, 0x03], Dialect::LATEST);
    assert_eq!(err.kind(), &ErrorKind::TrailingBytes(2));
    assert_eq!(err.offset(), Some(1));
}

// --------------------------------------------------------- huge lengths

/// Headers that claim far more than the input holds, each followed by a few
/// bytes of a body that would be valid so far.
fn oversized_inputs(dialect: Dialect) -> Vec<(&'static str, Vec<u8>)> {
    // A node's structure marker: four fields with element ids, else three.
    let n = if dialect.element_ids { 0xB4 } else { 0xB3 };
    let element_id: &[u8] = if dialect.element_ids {
        &[0x81, b'1']
    } else {
        &[]
    };
    let strings: &[u8] = &[0x81, b'a', 0x81, b'b', 0x81, b'c'];
    let ints: &[u8] = &[0x01, 0x02, 0x03, 0x04];
    let nodes = &[
        &[n, 0x4E, 0x01, 0x90, 0xA0][..],
        element_id,
        &[n, 0x4E, 0x02],
    ]
    .concat();
    let cases: [(&str, &[u8], &[u8]); 18] = [
        (
            "string u32",
            &[marker::STRING_32, 0xFF, 0xFF, 0xFF, 0xFF],
            strings,
        ),
        (
            "bytes u32",
            &[marker::BYTES_32, 0xFF, 0xFF, 0xFF, 0xFF],
            ints,
        ),
        ("list u32", &[marker::LIST_32, 0xFF, 0xFF, 0xFF, 0xFF], ints),
        (
            "map u32",
            &[marker::MAP_32, 0xFF, 0xFF, 0xFF, 0xFF],
            strings,
        ),
        (
            "string 2^31",
            &[marker::STRING_32, 0x80, 0x00, 0x00, 0x00],
            strings,
        ),
        (
            "list 2^31",
            &[marker::LIST_32, 0x80, 0x00, 0x00, 0x00],
            strings,
        ),
        ("string u16", &[marker::STRING_16, 0xFF, 0xFF], strings),
        ("bytes u16", &[marker::BYTES_16, 0xFF, 0xFF], ints),
        ("list u16", &[marker::LIST_16, 0xFF, 0xFF], ints),
        ("map u16", &[marker::MAP_16, 0xFF, 0xFF], strings),
        ("string u8", &[marker::STRING_8, 0xFF], strings),
        ("list u8", &[marker::LIST_8, 0xFF], ints),
        // Inside structures: a node's labels and properties, a path's lists.
        (
            "node labels",
            &[n, 0x4E, 0x01, marker::LIST_32, 0xFF, 0xFF, 0xFF, 0xFF],
            strings,
        ),
        (
            "node properties",
            &[n, 0x4E, 0x01, 0x90, marker::MAP_32, 0xFF, 0xFF, 0xFF, 0xFF],
            strings,
        ),
        (
            "path nodes",
            &[0xB3, 0x50, marker::LIST_32, 0xFF, 0xFF, 0xFF, 0xFF],
            nodes,
        ),
        (
            "path indices",
            &[
                0xB3,
                0x50,
                0x90,
                0x90,
                marker::LIST_32,
                0xFF,
                0xFF,
                0xFF,
                0xFF,
            ],
            ints,
        ),
        (
            "nested lists",
            &[0x91, 0x91, marker::LIST_32, 0xFF, 0xFF, 0xFF, 0xFF],
            ints,
        ),
        (
            "map key",
            &[0xA1, marker::STRING_32, 0xFF, 0xFF, 0xFF, 0xFF],
            strings,
        ),
    ];
    cases
        .into_iter()
        .map(|(name, header, body)| (name, [header, body].concat()))
        .collect()
}

#[test]
fn huge_declared_lengths_fail_fast_without_allocating_them() {
    for dialect in ALL_DIALECTS {
        for (name, bytes) in oversized_inputs(dialect) {
            let started = Instant::now();
            let (read, largest_read) =
                largest_allocation(|| packstream::from_slice(&bytes, dialect));
            let (skipped, largest_skip) = largest_allocation(|| {
                let mut unpacker = Unpacker::new(&bytes, dialect);
                unpacker.skip_value()
            });
            let elapsed = started.elapsed();

            for (how, result) in [("read", read.map(drop)), ("skip", skipped)] {
                let err = result.expect_err(name);
                assert!(
                    matches!(err.kind(), ErrorKind::UnexpectedEnd { .. }),
                    "{how} {name}: {err:?}"
                );
            }
            assert!(
                largest_read <= ALLOCATION_BUDGET && largest_skip <= ALLOCATION_BUDGET,
                "{name}: allocated {largest_read} / {largest_skip} bytes at once"
            );
            assert!(
                elapsed < Duration::from_millis(500),
                "{name} took {elapsed:?}"
            );
        }
    }
}

#[test]
fn a_huge_string_length_reports_the_shortfall() {
    let bytes = [marker::STRING_32, 0xFF, 0xFF, 0xFF, 0xFF, b'a', b'b', b'c'];
    let err = decode_error(&bytes, Dialect::LATEST);
    assert_eq!(
        err.kind(),
        &ErrorKind::UnexpectedEnd {
            needed: 0xFFFF_FFFF - 3,
            available: 3
        }
    );
    assert_eq!(err.offset(), Some(5));
}

#[test]
fn a_list_longer_than_its_items_allocates_only_for_the_bytes_present() {
    // A list that claims 2^32-1 items followed by 4000 one-byte items.
    let mut bytes = vec![marker::LIST_32, 0xFF, 0xFF, 0xFF, 0xFF];
    bytes.extend(std::iter::repeat_n(0xC0, 4000));
    let (result, largest) = largest_allocation(|| packstream::from_slice(&bytes, Dialect::LATEST));
    assert!(matches!(
        result.unwrap_err().kind(),
        ErrorKind::UnexpectedEnd { .. }
    ));
    let limit = 4000 * std::mem::size_of::<Value>();
    assert!(largest <= limit, "{largest} > {limit}");
}

// ---------------------------------------------------------------- nesting

const HOSTILE_DEPTH: usize = 10_000;

/// `levels` copies of `prefix` around a null.
fn nested(prefix: &[u8], levels: usize) -> Vec<u8> {
    let mut bytes = prefix.repeat(levels);
    bytes.push(0xC0);
    bytes
}

fn assert_depth_limited(bytes: &[u8], dialect: Dialect, what: &str) {
    for (how, err) in [
        ("read", decode_error(bytes, dialect)),
        ("skip", skip_error(bytes, dialect)),
    ] {
        assert_eq!(
            err.kind(),
            &ErrorKind::DepthLimitExceeded(DEFAULT_MAX_DEPTH),
            "{how} {what}"
        );
    }
}

#[test]
fn ten_thousand_nested_lists_hit_the_depth_limit() {
    for prefix in [&[0x91][..], &[marker::LIST_8, 0x01], &[0x92, 0x01]] {
        assert_depth_limited(
            &nested(prefix, HOSTILE_DEPTH),
            Dialect::LATEST,
            "nested lists",
        );
    }
}

#[test]
fn ten_thousand_nested_maps_hit_the_depth_limit() {
    assert_depth_limited(
        &nested(&[0xA1, 0x81, b'k'], HOSTILE_DEPTH),
        Dialect::LATEST,
        "nested maps",
    );
}

#[test]
fn ten_thousand_nested_structures_hit_the_depth_limit() {
    // A node whose only property holds the next node.
    let node_v5 = [0xB4, 0x4E, 0x01, 0x90, 0xA1, 0x81, b'k'];
    assert_depth_limited(
        &nested(&node_v5, HOSTILE_DEPTH),
        Dialect::LATEST,
        "nested nodes",
    );
    let node_v4 = [0xB3, 0x4E, 0x01, 0x90, 0xA1, 0x81, b'k'];
    assert_depth_limited(
        &nested(&node_v4, HOSTILE_DEPTH),
        Dialect::V4_4,
        "nested nodes",
    );
    // A path whose first node's property holds the next path.
    let path = [0xB3, 0x50, 0x91, 0xB4, 0x4E, 0x01, 0x90, 0xA1, 0x81, b'k'];
    assert_depth_limited(
        &nested(&path, HOSTILE_DEPTH),
        Dialect::LATEST,
        "nested paths",
    );
    // A relationship whose property holds the next relationship.
    let rel = [0xB5, 0x52, 0x01, 0x02, 0x03, 0x81, b'T', 0xA1, 0x81, b'k'];
    assert_depth_limited(
        &nested(&rel, HOSTILE_DEPTH),
        Dialect::V4_4,
        "nested relationships",
    );
}

#[test]
fn nesting_up_to_the_limit_is_accepted() {
    let at_limit = nested(&[0x91], DEFAULT_MAX_DEPTH);
    packstream::from_slice(&at_limit, Dialect::LATEST).unwrap();
    let mut unpacker = Unpacker::new(&at_limit, Dialect::LATEST);
    unpacker.skip_value().unwrap();
    unpacker.finish().unwrap();

    let over = nested(&[0x91], DEFAULT_MAX_DEPTH + 1);
    assert_depth_limited(&over, Dialect::LATEST, "one past the limit");

    // The deepest accepted chain of paths (four levels each: the path, its
    // node list, the node, its properties) fits a default thread stack.
    let path = [0xB3, 0x50, 0x91, 0xB4, 0x4E, 0x01, 0x90, 0xA1, 0x81, b'k'];
    let tail = [0x81, b'1', 0x90, 0x90];
    let levels = DEFAULT_MAX_DEPTH / 4;
    let mut bytes = path.repeat(levels);
    bytes.push(0xC0);
    for _ in 0..levels {
        bytes.extend_from_slice(&tail);
    }
    let value = packstream::from_slice(&bytes, Dialect::LATEST).unwrap();
    assert!(matches!(value, Value::Path(_)));
}

#[test]
fn a_custom_depth_limit_applies() {
    let bytes = nested(&[0x91], 4);
    let mut unpacker = Unpacker::new(&bytes, Dialect::LATEST).with_max_depth(3);
    let err = unpacker.read_value().unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::DepthLimitExceeded(3));
    assert_eq!(err.offset(), Some(4));
    let mut unpacker = Unpacker::new(&bytes, Dialect::LATEST).with_max_depth(4);
    unpacker.read_value().unwrap();
}

// -------------------------------------------------------- reserved markers

#[test]
fn every_reserved_marker_is_rejected_where_it_stands() {
    let reserved: Vec<u8> = (0..=255u8).filter(|&m| marker::is_reserved(m)).collect();
    let expected: Vec<u8> = (0xC4..=0xC7)
        .chain([0xCF, 0xD3, 0xD7])
        .chain(0xDB..=0xEF)
        .collect();
    assert_eq!(reserved, expected);
    for m in reserved {
        let kind = ErrorKind::ReservedMarker(m);
        for dialect in ALL_DIALECTS {
            assert_rejected(&[m], dialect, &kind, 0);
            assert_rejected(&[m, 0x00, 0x00, 0x00, 0x00], dialect, &kind, 0);
            assert_rejected(&[0x92, 0x01, m], dialect, &kind, 2);
            assert_rejected(&[0xA1, 0x81, b'k', m], dialect, &kind, 3);
            assert_rejected(&[0xB1, 0x44, m], dialect, &kind, 2);
        }
    }
}

#[test]
fn no_other_marker_is_reported_as_reserved() {
    for m in (0..=255u8).filter(|&m| !marker::is_reserved(m)) {
        if let Err(err) = packstream::from_slice(&[m], Dialect::LATEST) {
            assert!(
                !matches!(err.kind(), ErrorKind::ReservedMarker(_)),
                "{m:02X}: {err:?}"
            );
        }
    }
}

// -------------------------------------------------------------- structures

const VALUE_TAGS: [u8; 13] = [
    0x4E, 0x52, 0x72, 0x50, 0x44, 0x54, 0x74, 0x64, 0x45, 0x58, 0x59, 0x49, 0x69,
];
const LEGACY_TAGS: [u8; 2] = [0x46, 0x66];

#[test]
fn unknown_structure_tags_are_rejected() {
    for dialect in ALL_DIALECTS {
        let mut known: Vec<u8> = if dialect.utc_datetime {
            VALUE_TAGS.to_vec()
        } else {
            VALUE_TAGS
                .iter()
                .copied()
                .filter(|t| ![0x49, 0x69].contains(t))
                .chain(LEGACY_TAGS)
                .collect()
        };
        if dialect.vector_types {
            // Bolt 6: vectors and the unsupported-type placeholder.
            known.extend([0x56, 0x3F]);
        }
        for tag in (0..=255u8).filter(|t| !known.contains(t)) {
            let kind = ErrorKind::UnknownStructTag(tag);
            for fields in [0usize, 1, 3, 15] {
                let mut bytes = vec![0xB0 | fields as u8, tag];
                bytes.extend(std::iter::repeat_n(0x01, fields));
                assert_rejected(&bytes, dialect, &kind, 0);
            }
            assert_rejected(&[0x91, 0xB0, tag], dialect, &kind, 1);
        }
    }
}

#[test]
fn structure_fields_of_the_wrong_type_are_rejected() {
    let unexpected = |expected, found| ErrorKind::UnexpectedType { expected, found };
    let cases: Vec<(Vec<u8>, ErrorKind, usize)> = vec![
        // Date whose days are a string.
        (
            vec![0xB1, 0x44, 0x81, b'x'],
            unexpected("Integer", "String"),
            2,
        ),
        // Node whose labels are a map.
        (
            vec![0xB4, 0x4E, 0x01, 0xA0, 0xA0, 0x80],
            unexpected("List", "Map"),
            3,
        ),
        // Node whose label is an integer.
        (
            vec![0xB4, 0x4E, 0x01, 0x91, 0x01, 0xA0, 0x80],
            unexpected("String", "Integer"),
            4,
        ),
        // Node whose element id is null.
        (
            vec![0xB4, 0x4E, 0x01, 0x90, 0xA0, 0xC0],
            unexpected("String", "Null"),
            5,
        ),
        // Relationship whose type is an integer.
        (
            vec![0xB8, 0x52, 0x01, 0x02, 0x03, 0x04, 0xA0, 0x80, 0x80, 0x80],
            unexpected("String", "Integer"),
            5,
        ),
        // Point2D whose srid is a float.
        (
            [
                &[0xB3, 0x58, 0xC1][..],
                &[0; 8],
                &[0xC1],
                &[0; 8],
                &[0xC1],
                &[0; 8],
            ]
            .concat(),
            unexpected("Integer", "Float"),
            2,
        ),
        // DateTimeZoneId whose zone is an integer.
        (
            vec![0xB3, 0x69, 0x01, 0x02, 0x03],
            unexpected("String", "Integer"),
            4,
        ),
        // Map whose key is an integer.
        (vec![0xA1, 0x01, 0x01], unexpected("String", "Integer"), 1),
        // Node properties whose key is a list.
        (
            vec![0xB4, 0x4E, 0x01, 0x90, 0xA1, 0x90, 0x01, 0x80],
            unexpected("String", "List"),
            5,
        ),
    ];
    for (bytes, kind, offset) in cases {
        assert_rejected(&bytes, Dialect::LATEST, &kind, offset);
    }
}

/// Regression: `skip_value` used to accept structures whose fields had the
/// wrong types, which `read_value` rejects.
#[test]
fn skip_value_checks_structure_fields_like_read_value() {
    for bytes in [
        &[0xB1, 0x44, 0x81, b'x'][..],
        &[0xB2, 0x54, 0xC0, 0xC0],
        &[0xB3, 0x58, 0x01, 0x02, 0x03],
        &[0xB3, 0x50, 0x91, 0x01, 0x90, 0x90],
    ] {
        let mut unpacker = Unpacker::new(bytes, Dialect::LATEST);
        assert!(
            unpacker.skip_value().is_err(),
            "{bytes:02X?} skipped although it does not decode"
        );
    }
    // And a legacy date-time whose UTC seconds would underflow.
    let bytes = [0xB3, 0x46, 0xCB, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01];
    let mut unpacker = Unpacker::new(&bytes, Dialect::V4_4);
    assert!(unpacker.skip_value().is_err());
}

// ------------------------------------------------------------------- UTF-8

#[test]
fn invalid_utf8_is_rejected_wherever_a_string_is_read() {
    let bad_strings: [&[u8]; 6] = [
        &[0x81, 0xFF],                   // never valid
        &[0x82, 0xC0, 0x80],             // overlong NUL
        &[0x83, 0xED, 0xA0, 0x80],       // UTF-16 surrogate
        &[0x82, 0xE6, 0x97],             // truncated sequence
        &[0x81, 0x80],                   // lone continuation byte
        &[0x84, 0xF4, 0x90, 0x80, 0x80], // beyond U+10FFFF
    ];
    for bad in bad_strings {
        for dialect in ALL_DIALECTS {
            // The error points at the string's first byte after its header.
            assert_rejected(bad, dialect, &ErrorKind::InvalidUtf8, 1);
            // As a map key.
            let as_key = [&[0xA1][..], bad, &[0xC0]].concat();
            assert_rejected(&as_key, dialect, &ErrorKind::InvalidUtf8, 2);
            // As a node label (Bolt 4.4 node layout in every dialect below).
            let label = [&[0xB3, 0x4E, 0x01, 0x91][..], bad, &[0xA0]].concat();
            if !dialect.element_ids {
                assert_rejected(&label, dialect, &ErrorKind::InvalidUtf8, 5);
            }
        }
    }
    let long = [&[marker::STRING_16, 0x01, 0x00][..], &[b'a'; 255], &[0xFF]].concat();
    assert_rejected(&long, Dialect::LATEST, &ErrorKind::InvalidUtf8, 3);
}

// ---------------------------------------------------- random and mutated

/// Decodes `bytes` and skips them, and checks that both agree.
fn read_and_skip_agree(bytes: &[u8], dialect: Dialect) -> Result<(), TestCaseError> {
    let read = packstream::from_slice(bytes, dialect);
    let mut unpacker = Unpacker::new(bytes, dialect);
    let skipped = unpacker.skip_value().and_then(|()| unpacker.finish());
    prop_assert_eq!(
        read.is_ok(),
        skipped.is_ok(),
        "read {:?} but skip {:?}",
        read,
        skipped
    );
    if let (Err(read), Err(skipped)) = (&read, &skipped) {
        prop_assert!(read.offset().is_some() && skipped.offset().is_some());
    }
    Ok(())
}

fn encoded_samples() -> Vec<(Dialect, Vec<u8>)> {
    ALL_DIALECTS
        .into_iter()
        .map(|d| (d, packstream::to_vec(&rich_value(d), d).unwrap()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        for dialect in ALL_DIALECTS {
            read_and_skip_agree(&bytes, dialect)?;
        }
    }

    #[test]
    fn random_bytes_behind_a_marker_never_panic(
        head in proptest::sample::select(vec![
            0x91u8, 0x93, 0xA1, 0xA2, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB8, 0xD0, 0xD4, 0xD8,
        ]),
        bytes in proptest::collection::vec(any::<u8>(), 0..48),
    ) {
        let input = [&[head][..], &bytes].concat();
        for dialect in ALL_DIALECTS {
            read_and_skip_agree(&input, dialect)?;
        }
    }

    #[test]
    fn mutated_encodings_never_panic(
        sample in 0usize..3,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
    ) {
        let (dialect, mut bytes) = encoded_samples().swap_remove(sample);
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        read_and_skip_agree(&bytes, dialect)?;
        let end = cut.index(bytes.len() + 1);
        read_and_skip_agree(&bytes[..end], dialect)?;
    }
}
