//! Byte-exact PackStream vectors: every marker width in both directions, and
//! every value structure in the Bolt 5 and Bolt 4.4 dialects.

use neo_bolt::packstream::{
    self, Date, DateTime, DateTimeZoneId, Dialect, Duration, LegacyDateTimeZoneId, LocalDateTime,
    LocalTime, Map, Node, Packer, Path, Point2D, Point3D, Relationship, Time, UnboundRelationship,
    Unpacker, UnsupportedType, Vector,
};
use neo_bolt::{BoltVersion, ErrorKind, Value};

/// Bolt 4.4 with the `utc` patch: no element ids, UTC date-times.
const V4_4_UTC: Dialect = Dialect {
    element_ids: false,
    utc_datetime: true,
    vector_types: false,
};

const ALL_DIALECTS: [Dialect; 4] = [Dialect::LATEST, Dialect::V5, Dialect::V4_4, V4_4_UTC];

fn encode(value: &Value, dialect: Dialect) -> Vec<u8> {
    packstream::to_vec(value, dialect)
        .unwrap_or_else(|e| panic!("{value:?} should encode in {dialect:?}: {e}"))
}

fn decode(bytes: &[u8], dialect: Dialect) -> Value {
    packstream::from_slice(bytes, dialect)
        .unwrap_or_else(|e| panic!("{bytes:02X?} should decode in {dialect:?}: {e}"))
}

/// The value encodes to exactly these bytes, and the bytes decode to it.
fn assert_vector(value: &Value, dialect: Dialect, bytes: &[u8]) {
    assert_eq!(
        encode(value, dialect),
        bytes,
        "encoding {value:?} in {dialect:?}"
    );
    assert_eq!(
        &decode(bytes, dialect),
        value,
        "decoding {bytes:02X?} in {dialect:?}"
    );
}

fn decode_error(bytes: &[u8], dialect: Dialect) -> neo_bolt::Error {
    match packstream::from_slice(bytes, dialect) {
        Ok(value) => panic!("{bytes:02X?} decoded to {value:?} in {dialect:?}"),
        Err(e) => e,
    }
}

fn encode_error(value: &Value, dialect: Dialect) -> neo_bolt::Error {
    match packstream::to_vec(value, dialect) {
        Ok(bytes) => panic!("{value:?} encoded to {bytes:02X?} in {dialect:?}"),
        Err(e) => e,
    }
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn map(entries: &[(&str, Value)]) -> Map {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

// ---------------------------------------------------------------- scalars

#[test]
fn null_and_booleans() {
    assert_vector(&Value::Null, Dialect::LATEST, &[0xC0]);
    assert_vector(&Value::Boolean(false), Dialect::LATEST, &[0xC2]);
    assert_vector(&Value::Boolean(true), Dialect::LATEST, &[0xC3]);
}

#[test]
fn integers_at_every_width_boundary_use_the_smallest_form() {
    let vectors: &[(i64, &[u8])] = &[
        (0, &[0x00]),
        (1, &[0x01]),
        (42, &[0x2A]),
        (127, &[0x7F]),
        (-1, &[0xFF]),
        (-16, &[0xF0]),
        (-17, &[0xC8, 0xEF]),
        (-128, &[0xC8, 0x80]),
        (-129, &[0xC9, 0xFF, 0x7F]),
        (128, &[0xC9, 0x00, 0x80]),
        (32767, &[0xC9, 0x7F, 0xFF]),
        (-32768, &[0xC9, 0x80, 0x00]),
        (32768, &[0xCA, 0x00, 0x00, 0x80, 0x00]),
        (-32769, &[0xCA, 0xFF, 0xFF, 0x7F, 0xFF]),
        (i64::from(i32::MAX), &[0xCA, 0x7F, 0xFF, 0xFF, 0xFF]),
        (i64::from(i32::MIN), &[0xCA, 0x80, 0x00, 0x00, 0x00]),
        (
            i64::from(i32::MAX) + 1,
            &[0xCB, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00],
        ),
        (
            i64::from(i32::MIN) - 1,
            &[0xCB, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF],
        ),
        (
            i64::MAX,
            &[0xCB, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
        ),
        (
            i64::MIN,
            &[0xCB, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
        ),
    ];
    for (value, bytes) in vectors {
        assert_vector(&Value::Integer(*value), Dialect::LATEST, bytes);
    }
}

#[test]
fn every_small_integer_has_the_expected_width() {
    for v in -40_000i64..=40_000 {
        let width = encode(&Value::Integer(v), Dialect::LATEST).len();
        let expected = match v {
            -16..=127 => 1,
            -128..=-17 => 2,
            -32768..=-129 | 128..=32767 => 3,
            _ => 5,
        };
        assert_eq!(width, expected, "{v}");
    }
}

#[test]
fn integers_decode_from_any_width() {
    let forty_two: &[&[u8]] = &[
        &[0x2A],
        &[0xC8, 0x2A],
        &[0xC9, 0x00, 0x2A],
        &[0xCA, 0x00, 0x00, 0x00, 0x2A],
        &[0xCB, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A],
    ];
    for bytes in forty_two {
        assert_eq!(decode(bytes, Dialect::LATEST), Value::Integer(42));
    }
    let minus_one: &[&[u8]] = &[
        &[0xFF],
        &[0xC8, 0xFF],
        &[0xC9, 0xFF, 0xFF],
        &[0xCA, 0xFF, 0xFF, 0xFF, 0xFF],
        &[0xCB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
    ];
    for bytes in minus_one {
        assert_eq!(decode(bytes, Dialect::LATEST), Value::Integer(-1));
    }
    assert_eq!(
        decode(&[0xCB, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF], Dialect::LATEST),
        Value::Integer(i64::from(i32::MAX))
    );
    assert_eq!(
        decode(&[0xCA, 0xFF, 0xFF, 0xFF, 0x80], Dialect::LATEST),
        Value::Integer(-128)
    );
}

#[test]
fn floats_are_always_eight_bytes_big_endian() {
    let vectors: &[(f64, [u8; 8])] = &[
        (0.0, [0x00, 0, 0, 0, 0, 0, 0, 0]),
        (1.0, [0x3F, 0xF0, 0, 0, 0, 0, 0, 0]),
        (1.1, [0x3F, 0xF1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A]),
        (-2.5, [0xC0, 0x04, 0, 0, 0, 0, 0, 0]),
        (f64::MAX, [0x7F, 0xEF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
        (f64::MIN_POSITIVE, [0x00, 0x10, 0, 0, 0, 0, 0, 0]),
        (f64::INFINITY, [0x7F, 0xF0, 0, 0, 0, 0, 0, 0]),
        (f64::NEG_INFINITY, [0xFF, 0xF0, 0, 0, 0, 0, 0, 0]),
    ];
    for (value, body) in vectors {
        assert_vector(
            &Value::Float(*value),
            Dialect::LATEST,
            &cat(&[&[0xC1], body]),
        );
    }
}

#[test]
fn negative_zero_keeps_its_sign() {
    let bytes = encode(&Value::Float(-0.0), Dialect::LATEST);
    assert_eq!(bytes, [0xC1, 0x80, 0, 0, 0, 0, 0, 0, 0]);
    let back = decode(&bytes, Dialect::LATEST).as_f64().unwrap();
    assert_eq!(back.to_bits(), (-0.0f64).to_bits());
    assert!(back.is_sign_negative());
}

#[test]
fn nan_payloads_survive_both_directions() {
    let patterns: [u64; 5] = [
        f64::NAN.to_bits(),
        0x7FF8_0000_0000_0000,
        0x7FF0_0000_0000_0001, // signalling
        0xFFF8_0000_DEAD_BEEF, // negative, with a payload
        0x7FFF_FFFF_FFFF_FFFF,
    ];
    for bits in patterns {
        let bytes = encode(&Value::Float(f64::from_bits(bits)), Dialect::LATEST);
        assert_eq!(bytes[0], 0xC1);
        assert_eq!(bytes[1..], bits.to_be_bytes());
        let back = decode(&bytes, Dialect::LATEST).as_f64().unwrap();
        assert_eq!(back.to_bits(), bits, "{bits:016X}");
    }
}

// ------------------------------------------------ sized values and headers

const LENGTHS: [usize; 7] = [0, 15, 16, 255, 256, 65_535, 65_536];

/// The expected header of a sized value of `len` elements.
fn sized_header(len: usize, tiny: Option<u8>, [m8, m16, m32]: [u8; 3]) -> Vec<u8> {
    match (len, tiny) {
        (0..=15, Some(tiny)) => vec![tiny | len as u8],
        (0..=255, _) => vec![m8, len as u8],
        (256..=65_535, _) => cat(&[&[m16], &(len as u16).to_be_bytes()]),
        _ => cat(&[&[m32], &(len as u32).to_be_bytes()]),
    }
}

#[test]
fn string_headers_at_every_length_boundary() {
    for len in LENGTHS {
        let value = Value::String("s".repeat(len));
        let bytes = encode(&value, Dialect::LATEST);
        let header = sized_header(len, Some(0x80), [0xD0, 0xD1, 0xD2]);
        assert_eq!(bytes[..header.len()], header, "length {len}");
        assert_eq!(bytes.len(), header.len() + len);
        assert!(bytes[header.len()..].iter().all(|&b| b == b's'));
        assert_eq!(decode(&bytes, Dialect::LATEST), value);
    }
}

#[test]
fn explicit_string_header_bytes() {
    assert_eq!(encode(&Value::from(""), Dialect::LATEST), [0x80]);
    assert_eq!(encode(&Value::from("a"), Dialect::LATEST), [0x81, b'a']);
    let fifteen = encode(&Value::from("x".repeat(15)), Dialect::LATEST);
    assert_eq!(fifteen[0], 0x8F);
    let sixteen = encode(&Value::from("x".repeat(16)), Dialect::LATEST);
    assert_eq!(sixteen[..2], [0xD0, 0x10]);
    let s255 = encode(&Value::from("x".repeat(255)), Dialect::LATEST);
    assert_eq!(s255[..2], [0xD0, 0xFF]);
    let s256 = encode(&Value::from("x".repeat(256)), Dialect::LATEST);
    assert_eq!(s256[..3], [0xD1, 0x01, 0x00]);
    let s65535 = encode(&Value::from("x".repeat(65_535)), Dialect::LATEST);
    assert_eq!(s65535[..3], [0xD1, 0xFF, 0xFF]);
    let s65536 = encode(&Value::from("x".repeat(65_536)), Dialect::LATEST);
    assert_eq!(s65536[..5], [0xD2, 0x00, 0x01, 0x00, 0x00]);
}

#[test]
fn string_length_counts_utf8_bytes_not_chars() {
    // Eight two-byte characters: sixteen bytes, so no longer a tiny string.
    let value = Value::from("é".repeat(8));
    let bytes = encode(&value, Dialect::LATEST);
    assert_eq!(bytes[..2], [0xD0, 0x10]);
    assert_eq!(bytes.len(), 18);
    assert_eq!(decode(&bytes, Dialect::LATEST), value);
    assert_vector(
        &Value::from("日本"),
        Dialect::LATEST,
        &[0x86, 0xE6, 0x97, 0xA5, 0xE6, 0x9C, 0xAC],
    );
}

#[test]
fn byte_array_headers_at_every_length_boundary() {
    for len in LENGTHS {
        let value = Value::Bytes(vec![0xAB; len]);
        let bytes = encode(&value, Dialect::LATEST);
        // Byte arrays have no tiny form.
        let header = sized_header(len, None, [0xCC, 0xCD, 0xCE]);
        assert_eq!(bytes[..header.len()], header, "length {len}");
        assert_eq!(bytes.len(), header.len() + len);
        assert_eq!(decode(&bytes, Dialect::LATEST), value);
    }
    assert_vector(&Value::Bytes(vec![]), Dialect::LATEST, &[0xCC, 0x00]);
    assert_vector(
        &Value::Bytes(vec![1, 2, 3]),
        Dialect::LATEST,
        &[0xCC, 0x03, 1, 2, 3],
    );
}

#[test]
fn list_headers_at_every_length_boundary() {
    for len in LENGTHS {
        let value = Value::List(vec![Value::Integer(1); len]);
        let bytes = encode(&value, Dialect::LATEST);
        let header = sized_header(len, Some(0x90), [0xD4, 0xD5, 0xD6]);
        assert_eq!(bytes[..header.len()], header, "length {len}");
        assert_eq!(bytes.len(), header.len() + len);
        assert_eq!(decode(&bytes, Dialect::LATEST), value);
    }
    assert_vector(
        &Value::from(vec![Value::from(1), Value::from("a"), Value::Null]),
        Dialect::LATEST,
        &[0x93, 0x01, 0x81, b'a', 0xC0],
    );
}

#[test]
fn map_headers_at_every_length_boundary() {
    for len in LENGTHS {
        let value = Value::Map((0..len).map(|i| (format!("{i:05}"), Value::Null)).collect());
        let bytes = encode(&value, Dialect::LATEST);
        let header = sized_header(len, Some(0xA0), [0xD8, 0xD9, 0xDA]);
        assert_eq!(bytes[..header.len()], header, "length {len}");
        // Each entry: a five-byte tiny string key (1 + 5 bytes) and a null.
        assert_eq!(bytes.len(), header.len() + len * 7);
        assert_eq!(decode(&bytes, Dialect::LATEST), value);
    }
    assert_vector(
        &Value::Map(map(&[("a", Value::from(1)), ("b", Value::Boolean(true))])),
        Dialect::LATEST,
        &[0xA2, 0x81, b'a', 0x01, 0x81, b'b', 0xC3],
    );
}

#[test]
fn sized_values_decode_from_non_minimal_headers() {
    let a = Value::from("a");
    for bytes in [
        &[0xD0, 0x01, b'a'][..],
        &[0xD1, 0x00, 0x01, b'a'],
        &[0xD2, 0x00, 0x00, 0x00, 0x01, b'a'],
    ] {
        assert_eq!(decode(bytes, Dialect::LATEST), a);
    }
    let blob = Value::Bytes(vec![0xFF]);
    for bytes in [
        &[0xCD, 0x00, 0x01, 0xFF][..],
        &[0xCE, 0x00, 0x00, 0x00, 0x01, 0xFF],
    ] {
        assert_eq!(decode(bytes, Dialect::LATEST), blob);
    }
    let list = Value::from(vec![1]);
    for bytes in [
        &[0xD4, 0x01, 0x01][..],
        &[0xD5, 0x00, 0x01, 0x01],
        &[0xD6, 0x00, 0x00, 0x00, 0x01, 0x01],
    ] {
        assert_eq!(decode(bytes, Dialect::LATEST), list);
    }
    let one = Value::Map(map(&[("a", Value::from(1))]));
    for bytes in [
        &[0xD8, 0x01, 0x81, b'a', 0x01][..],
        &[0xD9, 0x00, 0x01, 0x81, b'a', 0x01],
        &[0xDA, 0x00, 0x00, 0x00, 0x01, 0x81, b'a', 0x01],
        &[0xA1, 0xD0, 0x01, b'a', 0xC8, 0x01],
    ] {
        assert_eq!(decode(bytes, Dialect::LATEST), one);
    }
    assert_eq!(
        decode(&[0xD4, 0x00], Dialect::LATEST),
        Value::List(Vec::new())
    );
    assert_eq!(
        decode(&[0xD8, 0x00], Dialect::LATEST),
        Value::Map(Map::new())
    );
}

#[test]
fn a_repeated_map_key_keeps_its_last_value() {
    let bytes = [0xA2, 0x81, b'a', 0x01, 0x81, b'a', 0x02];
    assert_eq!(
        decode(&bytes, Dialect::LATEST),
        Value::Map(map(&[("a", Value::from(2))]))
    );
    let bytes = [
        0xA3, 0x81, b'a', 0x01, 0x81, b'b', 0x02, 0x81, b'a', 0x81, b'z',
    ];
    assert_eq!(
        decode(&bytes, Dialect::LATEST),
        Value::Map(map(&[("a", Value::from("z")), ("b", Value::from(2))]))
    );
    let mut unpacker = Unpacker::new(&bytes, Dialect::LATEST);
    let read = unpacker.read_map().unwrap();
    assert_eq!(read.len(), 2);
    assert_eq!(read["a"], Value::from("z"));
    unpacker.finish().unwrap();
}

#[test]
fn struct_headers_over_fifteen_fields_are_unencodable() {
    let mut out = Vec::new();
    let mut packer = Packer::new(&mut out, Dialect::LATEST);
    packer.write_struct_header(0x10, 15).unwrap();
    let err = packer.write_struct_header(0x10, 16).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Unencodable(_)), "{err:?}");
    assert_eq!(out, [0xBF, 0x10]);
}

// ------------------------------------------------------------- graph types

fn alice() -> Node {
    Node {
        id: 42,
        labels: vec!["Person".into()],
        properties: map(&[("name", Value::from("Alice"))]),
        element_id: "4:db:42".into(),
    }
}

fn alice_bytes_v5() -> Vec<u8> {
    cat(&[
        &[0xB4, 0x4E, 0x2A, 0x91, 0x86],
        b"Person",
        &[0xA1, 0x84],
        b"name",
        &[0x85],
        b"Alice",
        &[0x87],
        b"4:db:42",
    ])
}

fn alice_bytes_v4() -> Vec<u8> {
    cat(&[
        &[0xB3, 0x4E, 0x2A, 0x91, 0x86],
        b"Person",
        &[0xA1, 0x84],
        b"name",
        &[0x85],
        b"Alice",
    ])
}

#[test]
fn node_in_every_dialect() {
    assert_vector(
        &Value::Node(Box::new(alice())),
        Dialect::LATEST,
        &alice_bytes_v5(),
    );
    let legacy = Node {
        element_id: "42".into(),
        ..alice()
    };
    for dialect in [Dialect::V4_4, V4_4_UTC] {
        assert_vector(
            &Value::Node(Box::new(legacy.clone())),
            dialect,
            &alice_bytes_v4(),
        );
        // Bolt 4.4 has no element id: a non-decimal one is not sent.
        assert_eq!(
            encode(&Value::Node(Box::new(alice())), dialect),
            alice_bytes_v4()
        );
    }
}

#[test]
fn node_with_no_labels_and_no_properties() {
    let node = Node::new(-1, Vec::<String>::new(), Vec::<(String, Value)>::new());
    assert_vector(
        &Value::Node(Box::new(node)),
        Dialect::LATEST,
        &[0xB4, 0x4E, 0xFF, 0x90, 0xA0, 0x82, b'-', b'1'],
    );
}

fn knows() -> Relationship {
    Relationship {
        id: 7,
        start_node_id: 1,
        end_node_id: 2,
        rel_type: "KNOWS".into(),
        properties: map(&[("since", Value::from(1999))]),
        element_id: "5:db:7".into(),
        start_node_element_id: "4:db:1".into(),
        end_node_element_id: "4:db:2".into(),
    }
}

#[test]
fn relationship_in_every_dialect() {
    let v5 = cat(&[
        &[0xB8, 0x52, 0x07, 0x01, 0x02, 0x85],
        b"KNOWS",
        &[0xA1, 0x85],
        b"since",
        &[0xC9, 0x07, 0xCF, 0x86],
        b"5:db:7",
        &[0x86],
        b"4:db:1",
        &[0x86],
        b"4:db:2",
    ]);
    assert_vector(
        &Value::Relationship(Box::new(knows())),
        Dialect::LATEST,
        &v5,
    );

    let v4 = cat(&[
        &[0xB5, 0x52, 0x07, 0x01, 0x02, 0x85],
        b"KNOWS",
        &[0xA1, 0x85],
        b"since",
        &[0xC9, 0x07, 0xCF],
    ]);
    let legacy = Relationship {
        element_id: "7".into(),
        start_node_element_id: "1".into(),
        end_node_element_id: "2".into(),
        ..knows()
    };
    for dialect in [Dialect::V4_4, V4_4_UTC] {
        assert_vector(&Value::Relationship(Box::new(legacy.clone())), dialect, &v4);
        assert_eq!(encode(&Value::Relationship(Box::new(knows())), dialect), v4);
    }
}

fn unbound(id: i64, rel_type: &str) -> UnboundRelationship {
    UnboundRelationship {
        id,
        rel_type: rel_type.into(),
        properties: Map::new(),
        element_id: format!("5:db:{id}"),
    }
}

#[test]
fn unbound_relationship_in_every_dialect() {
    let v5 = cat(&[
        &[0xB4, 0x72, 0x07, 0x85],
        b"KNOWS",
        &[0xA0, 0x86],
        b"5:db:7",
    ]);
    assert_vector(
        &Value::UnboundRelationship(Box::new(unbound(7, "KNOWS"))),
        Dialect::LATEST,
        &v5,
    );
    let v4 = cat(&[&[0xB3, 0x72, 0x07, 0x85], b"KNOWS", &[0xA0]]);
    let legacy = UnboundRelationship {
        element_id: "7".into(),
        ..unbound(7, "KNOWS")
    };
    for dialect in [Dialect::V4_4, V4_4_UTC] {
        assert_vector(
            &Value::UnboundRelationship(Box::new(legacy.clone())),
            dialect,
            &v4,
        );
    }
}

fn bare_node(id: i64, element_id: &str) -> Node {
    Node {
        id,
        labels: Vec::new(),
        properties: Map::new(),
        element_id: element_id.into(),
    }
}

#[test]
fn path_in_every_dialect() {
    let path = Path {
        nodes: vec![bare_node(1, "4:db:1"), bare_node(2, "4:db:2")],
        relationships: vec![unbound(7, "R")],
        indices: vec![1, 1],
    };
    let v5 = cat(&[
        &[0xB3, 0x50, 0x92],
        &[0xB4, 0x4E, 0x01, 0x90, 0xA0, 0x86],
        b"4:db:1",
        &[0xB4, 0x4E, 0x02, 0x90, 0xA0, 0x86],
        b"4:db:2",
        &[0x91, 0xB4, 0x72, 0x07, 0x81, b'R', 0xA0, 0x86],
        b"5:db:7",
        &[0x92, 0x01, 0x01],
    ]);
    assert_vector(&Value::Path(Box::new(path)), Dialect::LATEST, &v5);

    let legacy = Path {
        nodes: vec![bare_node(1, "1"), bare_node(2, "2")],
        relationships: vec![UnboundRelationship {
            element_id: "7".into(),
            ..unbound(7, "R")
        }],
        indices: vec![1, 1],
    };
    let v4 = [
        0xB3, 0x50, 0x92, 0xB3, 0x4E, 0x01, 0x90, 0xA0, 0xB3, 0x4E, 0x02, 0x90, 0xA0, 0x91, 0xB3,
        0x72, 0x07, 0x81, b'R', 0xA0, 0x92, 0x01, 0x01,
    ];
    for dialect in [Dialect::V4_4, V4_4_UTC] {
        assert_vector(&Value::Path(Box::new(legacy.clone())), dialect, &v4);
    }
}

#[test]
fn empty_path() {
    assert_vector(
        &Value::Path(Box::default()),
        Dialect::LATEST,
        &[0xB3, 0x50, 0x90, 0x90, 0x90],
    );
}

#[test]
fn a_path_whose_members_are_not_nodes_and_relationships_is_rejected() {
    // nodes: [Date] instead of [Node]
    let err = decode_error(
        &[0xB3, 0x50, 0x91, 0xB1, 0x44, 0x00, 0x90, 0x90],
        Dialect::LATEST,
    );
    assert_eq!(
        err.kind(),
        &ErrorKind::UnexpectedType {
            expected: "Node",
            found: "Date"
        }
    );
    assert_eq!(err.offset(), Some(3));
    // relationships: [Node] instead of [UnboundRelationship]
    let err = decode_error(
        &[
            0xB3, 0x50, 0x90, 0x91, 0xB4, 0x4E, 0x01, 0x90, 0xA0, 0x81, b'1', 0x90,
        ],
        Dialect::LATEST,
    );
    assert_eq!(
        err.kind(),
        &ErrorKind::UnexpectedType {
            expected: "UnboundRelationship",
            found: "Node"
        }
    );
    // indices: a string
    let err = decode_error(&[0xB3, 0x50, 0x90, 0x90, 0x91, 0x81, b'x'], Dialect::LATEST);
    assert_eq!(
        err.kind(),
        &ErrorKind::UnexpectedType {
            expected: "Integer",
            found: "String"
        }
    );
}

#[test]
fn decoding_bolt_4_4_fills_element_ids_with_decimal_ids() {
    let bytes = [
        0xB5, 0x52, 0xC9, 0x30, 0x39, 0xFF, 0xCB, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x81, b'T', 0xA0,
    ];
    let rel = decode(&bytes, Dialect::V4_4);
    let rel = rel.as_relationship().unwrap();
    assert_eq!(rel.element_id, "12345");
    assert_eq!(rel.start_node_element_id, "-1");
    assert_eq!(rel.end_node_element_id, i64::MAX.to_string());

    let node = decode(&[0xB3, 0x4E, 0xF0, 0x90, 0xA0], Dialect::V4_4);
    assert_eq!(node.as_node().unwrap().element_id, "-16");
}

// ---------------------------------------------------------- temporal types

#[test]
fn date_time_types_that_do_not_depend_on_the_dialect() {
    let vectors: Vec<(Value, Vec<u8>)> = vec![
        (
            Value::Date(Date { days: 19_000 }),
            vec![0xB1, 0x44, 0xC9, 0x4A, 0x38],
        ),
        (Value::Date(Date { days: -1 }), vec![0xB1, 0x44, 0xFF]),
        (
            Value::Time(Time {
                nanoseconds: 43_200_000_000_000,
                tz_offset_seconds: 3600,
            }),
            vec![
                0xB2, 0x54, 0xCB, 0x00, 0x00, 0x27, 0x4A, 0x48, 0xA7, 0x80, 0x00, 0xC9, 0x0E, 0x10,
            ],
        ),
        (
            Value::Time(Time {
                nanoseconds: 1,
                tz_offset_seconds: -18_000,
            }),
            vec![0xB2, 0x54, 0x01, 0xC9, 0xB9, 0xB0],
        ),
        (
            Value::LocalTime(LocalTime { nanoseconds: 1 }),
            vec![0xB1, 0x74, 0x01],
        ),
        (
            Value::LocalDateTime(LocalDateTime {
                seconds: 8100,
                nanoseconds: 42,
            }),
            vec![0xB2, 0x64, 0xC9, 0x1F, 0xA4, 0x2A],
        ),
        (
            Value::Duration(Duration {
                months: 14,
                days: -3,
                seconds: 3661,
                nanoseconds: 500,
            }),
            vec![0xB4, 0x45, 0x0E, 0xFD, 0xC9, 0x0E, 0x4D, 0xC9, 0x01, 0xF4],
        ),
    ];
    for dialect in ALL_DIALECTS {
        for (value, bytes) in &vectors {
            assert_vector(value, dialect, bytes);
        }
    }
}

/// 1970-01-01T02:15:00.000000042+01:00
const REFERENCE_INSTANT: DateTime = DateTime {
    seconds: 4500,
    nanoseconds: 42,
    tz_offset_seconds: 3600,
};

#[test]
fn date_time_uses_utc_seconds_in_bolt_5_and_with_the_utc_patch() {
    let utc = [0xB3, 0x49, 0xC9, 0x11, 0x94, 0x2A, 0xC9, 0x0E, 0x10];
    for dialect in [Dialect::LATEST, V4_4_UTC] {
        assert_vector(&Value::DateTime(REFERENCE_INSTANT), dialect, &utc);
    }
}

#[test]
fn date_time_uses_wall_clock_seconds_in_legacy_bolt_4_4() {
    // 8100 = 4500 + 3600: the wall-clock seconds.
    let legacy = [0xB3, 0x46, 0xC9, 0x1F, 0xA4, 0x2A, 0xC9, 0x0E, 0x10];
    assert_vector(&Value::DateTime(REFERENCE_INSTANT), Dialect::V4_4, &legacy);
    assert_eq!(REFERENCE_INSTANT.local_seconds(), 8100);

    let west = DateTime {
        seconds: 0,
        nanoseconds: 0,
        tz_offset_seconds: -3600,
    };
    assert_vector(
        &Value::DateTime(west),
        Dialect::V4_4,
        &[0xB3, 0x46, 0xC9, 0xF1, 0xF0, 0x00, 0xC9, 0xF1, 0xF0],
    );
}

#[test]
fn date_time_tags_belong_to_one_dialect_each() {
    let utc = [0xB3, 0x49, 0xC9, 0x11, 0x94, 0x2A, 0xC9, 0x0E, 0x10];
    let legacy = [0xB3, 0x46, 0xC9, 0x1F, 0xA4, 0x2A, 0xC9, 0x0E, 0x10];
    let err = decode_error(&utc, Dialect::V4_4);
    assert_eq!(err.kind(), &ErrorKind::UnknownStructTag(0x49));
    assert_eq!(err.offset(), Some(0));
    for dialect in [Dialect::LATEST, V4_4_UTC] {
        let err = decode_error(&legacy, dialect);
        assert_eq!(err.kind(), &ErrorKind::UnknownStructTag(0x46));
        assert_eq!(err.offset(), Some(0));
    }
}

#[test]
fn legacy_date_time_out_of_range_is_an_error_both_ways() {
    let too_late = DateTime {
        seconds: i64::MAX,
        nanoseconds: 0,
        tz_offset_seconds: 1,
    };
    let err = encode_error(&Value::DateTime(too_late), Dialect::V4_4);
    assert!(matches!(err.kind(), ErrorKind::Unencodable(_)), "{err:?}");
    // The UTC form carries the same instant without arithmetic.
    encode(&Value::DateTime(too_late), Dialect::LATEST);

    // local seconds i64::MIN with a +1 s offset: the UTC seconds underflow.
    let bytes = [
        0xB3, 0x46, 0xCB, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    ];
    let err = decode_error(&bytes, Dialect::V4_4);
    assert!(matches!(err.kind(), ErrorKind::Protocol(_)), "{err:?}");
}

fn paris() -> DateTimeZoneId {
    DateTimeZoneId {
        seconds: 4500,
        nanoseconds: 42,
        tz_id: "Europe/Paris".into(),
    }
}

fn legacy_paris() -> LegacyDateTimeZoneId {
    LegacyDateTimeZoneId {
        local_seconds: 8100,
        nanoseconds: 42,
        tz_id: "Europe/Paris".into(),
    }
}

#[test]
fn date_time_zone_id_in_bolt_5_and_with_the_utc_patch() {
    let bytes = cat(&[&[0xB3, 0x69, 0xC9, 0x11, 0x94, 0x2A, 0x8C], b"Europe/Paris"]);
    for dialect in [Dialect::LATEST, V4_4_UTC] {
        assert_vector(&Value::DateTimeZoneId(paris()), dialect, &bytes);
    }
    let err = decode_error(&bytes, Dialect::V4_4);
    assert_eq!(err.kind(), &ErrorKind::UnknownStructTag(0x69));
}

#[test]
fn legacy_date_time_zone_id_in_legacy_bolt_4_4() {
    let bytes = cat(&[&[0xB3, 0x66, 0xC9, 0x1F, 0xA4, 0x2A, 0x8C], b"Europe/Paris"]);
    assert_vector(
        &Value::LegacyDateTimeZoneId(legacy_paris()),
        Dialect::V4_4,
        &bytes,
    );
    for dialect in [Dialect::LATEST, V4_4_UTC] {
        let err = decode_error(&bytes, dialect);
        assert_eq!(err.kind(), &ErrorKind::UnknownStructTag(0x66));
    }
}

#[test]
fn zone_id_date_times_are_unencodable_in_the_other_dialect() {
    let err = encode_error(&Value::DateTimeZoneId(paris()), Dialect::V4_4);
    assert!(matches!(err.kind(), ErrorKind::Unencodable(_)), "{err:?}");
    for dialect in [Dialect::LATEST, V4_4_UTC] {
        let err = encode_error(&Value::LegacyDateTimeZoneId(legacy_paris()), dialect);
        assert!(matches!(err.kind(), ErrorKind::Unencodable(_)), "{err:?}");
    }
}

#[test]
fn dialect_for_version_picks_the_date_time_form() {
    assert_eq!(
        Dialect::for_version(BoltVersion::V4_4, false),
        Dialect::V4_4
    );
    assert_eq!(Dialect::for_version(BoltVersion::V4_4, true), V4_4_UTC);
    for version in BoltVersion::SUPPORTED.into_iter().filter(|v| v.major == 5) {
        assert_eq!(Dialect::for_version(version, false), Dialect::V5);
        assert_eq!(Dialect::for_version(version, true), Dialect::V5);
    }
    assert_eq!(
        Dialect::for_version(BoltVersion::V6_0, false),
        Dialect::LATEST
    );
}

// ----------------------------------------------------------- spatial types

#[test]
fn points_in_every_dialect() {
    let p2 = Value::Point2D(Point2D {
        srid: Point2D::CARTESIAN,
        x: 1.0,
        y: -2.5,
    });
    let p2_bytes = [
        0xB3, 0x58, 0xC9, 0x1C, 0x23, 0xC1, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0xC1, 0xC0, 0x04, 0, 0,
        0, 0, 0, 0,
    ];
    let p3 = Value::Point3D(Point3D {
        srid: Point3D::CARTESIAN,
        x: 1.0,
        y: 2.0,
        z: 3.0,
    });
    let p3_bytes = [
        0xB4, 0x59, 0xC9, 0x23, 0xC5, 0xC1, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0xC1, 0x40, 0x00, 0, 0,
        0, 0, 0, 0, 0xC1, 0x40, 0x08, 0, 0, 0, 0, 0, 0,
    ];
    for dialect in ALL_DIALECTS {
        assert_vector(&p2, dialect, &p2_bytes);
        assert_vector(&p3, dialect, &p3_bytes);
    }
}

#[test]
fn point_coordinates_must_be_floats() {
    // Point2D with an integer x.
    let err = decode_error(
        &[
            0xB3, 0x58, 0xC9, 0x1C, 0x23, 0x01, 0xC1, 0, 0, 0, 0, 0, 0, 0, 0,
        ],
        Dialect::LATEST,
    );
    assert_eq!(
        err.kind(),
        &ErrorKind::UnexpectedType {
            expected: "Float",
            found: "Integer"
        }
    );
    assert_eq!(err.offset(), Some(5));
}

// ------------------------------------------------------ field-count checks

#[test]
fn every_structure_rejects_a_wrong_field_count() {
    // (tag, name, fields in Bolt 5, fields in Bolt 4.4)
    let table: [(u8, &str, usize, usize); 12] = [
        (0x4E, "Node", 4, 3),
        (0x52, "Relationship", 8, 5),
        (0x72, "UnboundRelationship", 4, 3),
        (0x50, "Path", 3, 3),
        (0x44, "Date", 1, 1),
        (0x54, "Time", 2, 2),
        (0x74, "LocalTime", 1, 1),
        (0x64, "LocalDateTime", 2, 2),
        (0x45, "Duration", 4, 4),
        (0x58, "Point2D", 3, 3),
        (0x59, "Point3D", 4, 4),
        (0x49, "DateTime", 3, 3),
    ];
    for (tag, name, v5, v4) in table {
        for (dialect, expected) in [(Dialect::LATEST, v5), (V4_4_UTC, v4)] {
            for found in [expected - 1, expected + 1] {
                // Enough null fields to make the count the only problem.
                let mut bytes = vec![0xB0 | found as u8, tag];
                bytes.extend(std::iter::repeat_n(0xC0, found));
                let err = decode_error(&bytes, dialect);
                assert_eq!(
                    err.kind(),
                    &ErrorKind::StructSize {
                        tag,
                        name,
                        expected,
                        found
                    },
                    "{name} in {dialect:?}"
                );
                assert_eq!(err.offset(), Some(0));
            }
        }
    }
    for (tag, name) in [(0x46, "DateTime"), (0x66, "DateTimeZoneId")] {
        let err = decode_error(&[0xB2, tag, 0x00, 0x00], Dialect::V4_4);
        assert_eq!(
            err.kind(),
            &ErrorKind::StructSize {
                tag,
                name,
                expected: 3,
                found: 2
            }
        );
    }
}

// ------------------------------------------------------ path reconstruction

fn chain_path(indices: Vec<i64>) -> Path {
    Path {
        nodes: vec![
            Node::new(1, ["A"], Vec::<(String, Value)>::new()),
            Node::new(2, ["B"], Vec::<(String, Value)>::new()),
            Node::new(3, ["C"], Vec::<(String, Value)>::new()),
        ],
        relationships: vec![unbound(10, "R1"), unbound(20, "R2")],
        indices,
    }
}

/// (walked start id, relationship id, real start id, real end id, walked end id)
fn steps(path: &Path) -> Vec<(i64, i64, i64, i64, i64)> {
    path.segments()
        .expect("valid path")
        .iter()
        .map(|s| {
            (
                s.start.id,
                s.relationship.id,
                s.relationship.start_node_id,
                s.relationship.end_node_id,
                s.end.id,
            )
        })
        .collect()
}

#[test]
fn path_segments_walk_forwards() {
    // (1)-[R1]->(2)-[R2]->(3)
    let path = chain_path(vec![1, 1, 2, 2]);
    assert_eq!(steps(&path), [(1, 10, 1, 2, 2), (2, 20, 2, 3, 3)]);
    let segments = path.segments().unwrap();
    assert_eq!(segments[0].relationship.rel_type, "R1");
    assert_eq!(segments[0].relationship.element_id, "5:db:10");
    assert_eq!(segments[0].relationship.start_node_element_id, "1");
    assert_eq!(segments[0].relationship.end_node_element_id, "2");
    let walk: Vec<i64> = path.walk_nodes().unwrap().iter().map(|n| n.id).collect();
    assert_eq!(walk, [1, 2, 3]);
}

#[test]
fn path_segments_walk_backwards() {
    // (1)<-[R1]-(2)<-[R2]-(3)
    let path = chain_path(vec![-1, 1, -2, 2]);
    assert_eq!(steps(&path), [(1, 10, 2, 1, 2), (2, 20, 3, 2, 3)]);
    let segments = path.segments().unwrap();
    assert_eq!(segments[1].relationship.start_node_element_id, "3");
    assert_eq!(segments[1].relationship.end_node_element_id, "2");
}

#[test]
fn path_segments_with_repeated_nodes_and_relationships() {
    // (1)-[R1]->(2)<-[R2]-(1)... : back to the start node over R2 walked
    // backwards, then over R1 again.
    let path = chain_path(vec![1, 1, -2, 0, 1, 1]);
    assert_eq!(
        steps(&path),
        [(1, 10, 1, 2, 2), (2, 20, 1, 2, 1), (1, 10, 1, 2, 2)]
    );
    let walk: Vec<i64> = path.walk_nodes().unwrap().iter().map(|n| n.id).collect();
    assert_eq!(walk, [1, 2, 1, 2]);
}

#[test]
fn a_path_of_one_node_has_no_segments() {
    let path = chain_path(Vec::new());
    assert_eq!(path.segments().unwrap(), []);
    let walk: Vec<i64> = path.walk_nodes().unwrap().iter().map(|n| n.id).collect();
    assert_eq!(walk, [1]);
}

#[test]
fn path_segments_reject_invalid_indices() {
    let invalid: [Vec<i64>; 9] = [
        vec![1],           // odd count
        vec![1, 1, 2],     // odd count
        vec![0, 1],        // relationship index zero
        vec![3, 1],        // relationship out of range
        vec![-3, 1],       // relationship out of range, backwards
        vec![1, 3],        // node out of range
        vec![1, -1],       // negative node index
        vec![i64::MIN, 1], // extreme relationship index
        vec![1, 1, 2, i64::MAX],
    ];
    for indices in invalid {
        let path = chain_path(indices.clone());
        assert_eq!(path.segments(), None, "{indices:?}");
        assert_eq!(path.walk_nodes(), None, "{indices:?}");
    }
    let no_nodes = Path::default();
    assert_eq!(no_nodes.segments(), None);
    assert_eq!(no_nodes.start(), None);
}

#[test]
fn bolt_6_vectors_and_placeholders_byte_exact() {
    // `V`, a one-byte array holding the element type's marker (FLOAT_32 is
    // 0xC6), and the big-endian elements.
    let vector = Value::Vector(Vector::from(vec![1.0_f32, -2.0]));
    assert_vector(
        &vector,
        Dialect::LATEST,
        &[
            0xB2, 0x56, 0xCC, 0x01, 0xC6, 0xCC, 0x08, 0x3F, 0x80, 0x00, 0x00, 0xC0, 0x00, 0x00,
            0x00,
        ],
    );
    let ints = Value::Vector(Vector::from(vec![1_i16, -1]));
    assert_vector(
        &ints,
        Dialect::LATEST,
        &[
            0xB2, 0x56, 0xCC, 0x01, 0xC9, 0xCC, 0x04, 0x00, 0x01, 0xFF, 0xFF,
        ],
    );
    // `?`: name, the minimum version's major and minor, and extra.
    let placeholder = Value::Unsupported(Box::new(UnsupportedType::new(
        "X",
        BoltVersion::new(6, 1),
        Some("m".into()),
    )));
    assert_vector(
        &placeholder,
        Dialect::LATEST,
        &[
            0xB4, 0x3F, 0x81, b'X', 0x06, 0x01, 0xA1, 0x87, b'm', b'e', b's', b's', b'a', b'g',
            b'e', 0x81, b'm',
        ],
    );
    // Servers before Bolt 6 never see one, nor send one.
    for dialect in [Dialect::V5, Dialect::V4_4] {
        let error = packstream::to_vec(&vector, dialect).unwrap_err();
        assert!(error.to_string().contains("Bolt 6.0"), "{error}");
        let bytes = encode(&vector, Dialect::LATEST);
        let error = packstream::from_slice(&bytes, dialect).unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::UnknownStructTag(0x56)),
            "{error}"
        );
    }
    // A malformed vector is an error, not a panic.
    let bad = [0xB2, 0x56, 0xCC, 0x01, 0xCA, 0xCC, 0x03, 0x00, 0x00, 0x01];
    assert!(packstream::from_slice(&bad, Dialect::LATEST).is_err());
    let unknown = [0xB2, 0x56, 0xCC, 0x01, 0xC0, 0xCC, 0x00];
    assert!(packstream::from_slice(&unknown, Dialect::LATEST).is_err());
}

#[test]
fn a_vector_reads_as_a_sequence_of_numbers_through_serde() {
    let bytes = encode(
        &Value::Vector(Vector::from(vec![0.5_f32, 2.0])),
        Dialect::LATEST,
    );
    let as_f32: Vec<f32> = packstream::from_bytes(&bytes, Dialect::LATEST).unwrap();
    assert_eq!(as_f32, [0.5, 2.0]);
    let as_f64: Vec<f64> = packstream::from_bytes(&bytes, Dialect::LATEST).unwrap();
    assert_eq!(as_f64, [0.5, 2.0]);
    let typed: Vector = packstream::from_bytes(&bytes, Dialect::LATEST).unwrap();
    assert_eq!(typed, Vector::from(vec![0.5_f32, 2.0]));
    let value: Value = packstream::from_bytes(&bytes, Dialect::LATEST).unwrap();
    assert_eq!(value, Value::Vector(typed.clone()));
    // Serialized through serde, it is the same structure.
    assert_eq!(
        packstream::to_bytes(&typed, Dialect::LATEST).unwrap(),
        bytes
    );
    assert!(packstream::to_bytes(&typed, Dialect::V5).is_err());
}
