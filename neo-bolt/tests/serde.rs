//! Serde support for PackStream: the mapping in both directions, `Value` and
//! the structures, hostile input.

use std::collections::{BTreeMap, HashMap};

use neo_bolt::packstream::{
    self, Date, DateTime, DateTimeZoneId, Deserializer, Dialect, Duration, LegacyDateTimeZoneId,
    LocalDateTime, LocalTime, Node, Packer, Path, Point2D, Point3D, Relationship, Time,
    UnboundRelationship, Unpacker, from_bytes, to_bytes,
};
use neo_bolt::{ErrorKind, Value};
use proptest::prelude::*;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize, Serializer};

const LATEST: Dialect = Dialect::LATEST;
const V4_4: Dialect = Dialect::V4_4;
const V4_4_UTC: Dialect = Dialect {
    element_ids: false,
    utc_datetime: true,
    vector_types: false,
};

fn ser<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    to_bytes(value, LATEST).unwrap()
}

fn de<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> T {
    from_bytes(bytes, LATEST).unwrap()
}

fn de_err<'de, T: Deserialize<'de> + std::fmt::Debug>(bytes: &'de [u8]) -> neo_bolt::Error {
    from_bytes::<T>(bytes, LATEST).unwrap_err()
}

/// Serializes through `serialize_bytes`, as `serde_bytes` does.
struct RawBytes<'a>(&'a [u8]);

impl Serialize for RawBytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// Serializes a sequence whose length is not known up front.
struct UnsizedSeq(Vec<i64>);

impl Serialize for UnsizedSeq {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().filter(|_| true))
    }
}

/// Announces one more element than it writes.
struct LyingSeq;

impl Serialize for LyingSeq {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(2))?;
        seq.serialize_element(&1)?;
        seq.end()
    }
}

// ---------------------------------------------------------------- serializer

#[test]
fn scalars_serialize_to_their_smallest_form() {
    assert_eq!(ser(&true), [0xC3]);
    assert_eq!(ser(&false), [0xC2]);
    assert_eq!(ser(&0u8), [0x00]);
    assert_eq!(ser(&-16i8), [0xF0]);
    assert_eq!(ser(&127i32), [0x7F]);
    assert_eq!(ser(&-17i16), [0xC8, 0xEF]);
    assert_eq!(ser(&128u16), [0xC9, 0x00, 0x80]);
    assert_eq!(ser(&70_000u32), [0xCA, 0x00, 0x01, 0x11, 0x70]);
    assert_eq!(
        ser(&i64::MIN),
        [0xCB, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
    );
    assert_eq!(ser(&(i64::MAX as u64)), ser(&i64::MAX));
    assert_eq!(ser(&-5i128), [0xFB]);
    assert_eq!(ser(&5u128), [0x05]);
    assert_eq!(ser(&1.5f32), [0xC1, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0]);
    assert_eq!(ser(&-0.0f64), [0xC1, 0x80, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(ser(&'é'), [0x82, 0xC3, 0xA9]);
    assert_eq!(ser("hi"), [0x82, b'h', b'i']);
    assert_eq!(
        ser(&"x".repeat(16)),
        [&[0xD0, 16][..], &[b'x'; 16]].concat()
    );
    assert_eq!(ser(&RawBytes(&[1, 2, 3])), [0xCC, 0x03, 1, 2, 3]);
}

#[test]
fn integers_outside_i64_are_typed_errors_naming_the_value() {
    let err = to_bytes(&u64::MAX, LATEST).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::IntegerOutOfRange {
            value: i128::from(u64::MAX),
            target: "i64 (PackStream Integer)"
        }
    );
    assert!(err.to_string().contains("18446744073709551615"));
    let err = to_bytes(&(i128::from(i64::MIN) - 1), LATEST).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::IntegerOutOfRange { value, .. } if *value == i128::from(i64::MIN) - 1)
    );
    let err = to_bytes(&u128::MAX, LATEST).unwrap_err();
    assert!(err.to_string().contains(&u128::MAX.to_string()));
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Unit;

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Meters(f64);

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Pair(i32, String);

#[test]
fn null_like_and_transparent_values() {
    assert_eq!(ser(&None::<i32>), [0xC0]);
    assert_eq!(ser(&()), [0xC0]);
    assert_eq!(ser(&Unit), [0xC0]);
    assert_eq!(ser(&Some(5)), [0x05]);
    assert_eq!(ser(&Meters(1.0)), ser(&1.0));
    assert_eq!(de::<Option<i32>>(&[0xC0]), None);
    assert_eq!(de::<Option<i32>>(&[0x05]), Some(5));
    assert_eq!(de::<()>(&[0xC0]), ());
    assert_eq!(de::<Unit>(&[0xC0]), Unit);
    assert_eq!(de::<Meters>(&ser(&1.0)), Meters(1.0));
}

#[test]
fn sequences_and_tuples_are_lists() {
    assert_eq!(ser(&vec![1, 2, 3]), [0x93, 1, 2, 3]);
    assert_eq!(ser(&(1, "a", true)), [0x93, 0x01, 0x81, b'a', 0xC3]);
    assert_eq!(ser(&Pair(1, "a".into())), [0x92, 0x01, 0x81, b'a']);
    assert_eq!(ser(&Vec::<u8>::new()), [0x90]);
    let twenty: Vec<i64> = (0..20).collect();
    let bytes = ser(&twenty);
    assert_eq!(&bytes[..2], [0xD4, 20]);
    assert_eq!(de::<Vec<i64>>(&bytes), twenty);
    assert_eq!(
        de::<(i32, &str, bool)>(&[0x93, 0x01, 0x81, b'a', 0xC3]),
        (1, "a", true)
    );
    assert_eq!(de::<Pair>(&[0x92, 0x01, 0x81, b'a']), Pair(1, "a".into()));
}

#[test]
fn unknown_lengths_encode_like_known_ones() {
    for n in [0, 1, 15, 16, 300] {
        let items: Vec<i64> = (0..n).map(|i| i * 1000).collect();
        assert_eq!(ser(&UnsizedSeq(items.clone())), ser(&items), "{n} items");
    }

    #[derive(Serialize)]
    struct Inner {
        b: i32,
    }
    #[derive(Serialize)]
    struct Flat {
        a: i32,
        #[serde(flatten)]
        inner: Inner,
    }
    // `flatten` makes serde write a map of unknown length.
    let mut expected = BTreeMap::new();
    expected.insert("a", 1);
    expected.insert("b", 2);
    assert_eq!(
        ser(&Flat {
            a: 1,
            inner: Inner { b: 2 }
        }),
        ser(&expected)
    );
}

#[test]
fn a_serializer_that_lies_about_its_length_is_an_error() {
    let err = to_bytes(&LyingSeq, LATEST).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Unencodable(_)), "{err}");
}

#[test]
fn maps_need_string_or_char_keys() {
    let mut map = BTreeMap::new();
    map.insert("k".to_string(), 1);
    assert_eq!(ser(&map), [0xA1, 0x81, b'k', 0x01]);
    let mut chars = BTreeMap::new();
    chars.insert('k', 1);
    assert_eq!(ser(&chars), [0xA1, 0x81, b'k', 0x01]);

    let mut ints = BTreeMap::new();
    ints.insert(7i32, 1);
    let err = to_bytes(&ints, LATEST).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Unencodable(m) if m.contains("i32")),
        "{err}"
    );
    let mut tuples = BTreeMap::new();
    tuples.insert((1, 2), 1);
    let err = to_bytes(&tuples, LATEST).unwrap_err();
    assert!(err.to_string().contains("tuple"), "{err}");
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Person {
    name: String,
    age: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
}

#[test]
fn structs_are_maps_of_their_field_names() {
    let ann = Person {
        name: "Ann".into(),
        age: 42,
        email: None,
    };
    let bytes = ser(&ann);
    assert_eq!(
        bytes,
        [
            0xA2, 0x84, b'n', b'a', b'm', b'e', 0x83, b'A', b'n', b'n', 0x83, b'a', b'g', b'e',
            0x2A
        ]
    );
    // The missing optional field reads as None.
    assert_eq!(de::<Person>(&bytes), ann);
    // Fields in any order, unknown fields ignored, null reads as None.
    let mut map = BTreeMap::new();
    map.insert("age", Value::from(42));
    map.insert("email", Value::Null);
    map.insert("extra", Value::from(vec![Value::from(1)]));
    map.insert("name", Value::from("Ann"));
    assert_eq!(de::<Person>(&ser(&map)), ann);
    // A required field missing is an error.
    let err = de_err::<Person>(&[0xA1, 0x83, b'a', b'g', b'e', 0x2A]);
    assert!(err.to_string().contains("name"), "{err}");
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
enum Shape {
    Empty,
    Circle(f64),
    Line(i32, i32),
    Rect { w: u16, h: u16 },
}

#[test]
fn enums_of_every_kind_both_ways() {
    let cases: [(Shape, Vec<u8>); 4] = [
        (Shape::Empty, vec![0x85, b'E', b'm', b'p', b't', b'y']),
        (
            Shape::Circle(2.0),
            [
                &[0xA1, 0x86][..],
                b"Circle",
                &[0xC1, 0x40, 0, 0, 0, 0, 0, 0, 0],
            ]
            .concat(),
        ),
        (
            Shape::Line(1, -1),
            [&[0xA1, 0x84][..], b"Line", &[0x92, 0x01, 0xFF]].concat(),
        ),
        (
            Shape::Rect { w: 3, h: 4 },
            [
                &[0xA1, 0x84][..],
                b"Rect",
                &[0xA2, 0x81, b'w', 3, 0x81, b'h', 4],
            ]
            .concat(),
        ),
    ];
    for (shape, bytes) in cases {
        assert_eq!(ser(&shape), bytes, "{shape:?}");
        assert_eq!(de::<Shape>(&bytes), shape);
    }
    // A unit variant also reads from the map form `{variant: null}`.
    assert_eq!(
        de::<Shape>(&[&[0xA1, 0x85][..], b"Empty", &[0xC0]].concat()),
        Shape::Empty
    );
    let err = de_err::<Shape>(&[0x85, b'S', b'q', b'u', b'a', b'r']);
    assert!(err.to_string().contains("Squar"), "{err}");
    let err = de_err::<Shape>(&[0x01]);
    assert!(
        matches!(err.kind(), ErrorKind::UnexpectedType { .. }),
        "{err}"
    );
}

#[test]
fn types_with_a_text_form_use_it() {
    let ip = std::net::IpAddr::from([127, 0, 0, 1]);
    assert_eq!(ser(&ip), ser("127.0.0.1"));
    assert_eq!(de::<std::net::IpAddr>(&ser("127.0.0.1")), ip);
}

// -------------------------------------------------------------- deserializer

#[test]
fn strings_and_bytes_are_borrowed_from_the_input() {
    let bytes = ser(&("hello", RawBytes(&[9, 8])));
    let (s, b): (&str, &[u8]) = de(&bytes);
    assert_eq!((s, b), ("hello", &[9u8, 8][..]));
    let range = bytes.as_ptr_range();
    assert!(range.contains(&s.as_ptr()));
    assert!(range.contains(&b.as_ptr()));
}

#[test]
fn integers_fit_any_integer_type_or_fail_naming_value_and_target() {
    let bytes = ser(&300);
    assert_eq!(de::<u16>(&bytes), 300);
    assert_eq!(de::<i128>(&bytes), 300);
    assert_eq!(de::<f64>(&bytes), 300.0);
    let err = de_err::<u8>(&bytes);
    assert_eq!(
        err.kind(),
        &ErrorKind::IntegerOutOfRange {
            value: 300,
            target: "u8"
        }
    );
    assert_eq!(err.offset(), Some(0));
    let err = de_err::<u64>(&ser(&-1));
    assert!(err.to_string().contains("-1") && err.to_string().contains("u64"));
    let err = de_err::<Vec<i8>>(&ser(&vec![1, 2, 1000]));
    assert_eq!(err.offset(), Some(3));
    let err = de_err::<i32>(&ser("1"));
    assert_eq!(
        err.kind(),
        &ErrorKind::UnexpectedType {
            expected: "Integer",
            found: "String"
        }
    );
}

#[test]
fn trailing_bytes_are_an_error() {
    let err = de_err::<i32>(&[0x01, 0x02]);
    assert_eq!(err.kind(), &ErrorKind::TrailingBytes(1));
}

#[test]
fn errors_from_visitors_carry_an_offset() {
    let bytes = ser(&vec![(1, "x")]);
    // [[1, "x"]]: the string starts at byte 3.
    let err = de_err::<Vec<(i32, i32)>>(&bytes);
    assert_eq!(err.offset(), Some(3));
    let err = de_err::<Person>(&ser(&BTreeMap::from([("age", 1)])));
    assert!(err.offset().is_some(), "{err}");
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Team {
    name: String,
    members: Vec<Person>,
    scores: HashMap<String, Vec<f64>>,
    lead: Option<Box<Person>>,
    tags: BTreeMap<String, Option<i64>>,
}

#[test]
fn nested_structs_vectors_and_maps_round_trip() {
    let team = Team {
        name: "core".into(),
        members: vec![
            Person {
                name: "Ann".into(),
                age: 1,
                email: Some("a@x".into()),
            },
            Person {
                name: "Bob".into(),
                age: 2,
                email: None,
            },
        ],
        scores: HashMap::from([("Ann".into(), vec![1.5, -2.0]), ("Bob".into(), vec![])]),
        lead: Some(Box::new(Person {
            name: "Cy".into(),
            age: 3,
            email: None,
        })),
        tags: BTreeMap::from([("a".into(), Some(i64::MIN)), ("b".into(), None)]),
    };
    let bytes = ser(&team);
    assert_eq!(de::<Team>(&bytes), team);
    // The same bytes read as a dynamic value and written back are identical.
    let value = packstream::from_slice(&bytes, LATEST).unwrap();
    assert_eq!(
        de::<Team>(&packstream::to_vec(&value, LATEST).unwrap()),
        team
    );
}

#[test]
fn a_struct_reads_from_a_list_by_position() {
    let bytes = ser(&("Ann", 42, None::<String>));
    assert_eq!(
        de::<Person>(&bytes),
        Person {
            name: "Ann".into(),
            age: 42,
            email: None
        }
    );
    // Items beyond the struct's fields are an error, not silently dropped.
    let err = de_err::<Person>(&ser(&("Ann", 42, None::<String>, 1)));
    assert!(err.to_string().contains("unread"), "{err}");
}

#[test]
fn a_record_decodes_one_column_at_a_time() {
    let mut bytes = Vec::new();
    let mut packer = Packer::new(&mut bytes, LATEST);
    packer.write_struct_header(0x71, 1).unwrap();
    packer.write_list_header(3).unwrap();
    packstream::serialize_into(&7, &mut packer).unwrap();
    packstream::serialize_into("seven", &mut packer).unwrap();
    packstream::serialize_into(&Shape::Line(7, 7), &mut packer).unwrap();

    let mut unpacker = Unpacker::new(&bytes, LATEST);
    assert_eq!(unpacker.read_struct_header().unwrap(), (0x71, 1));
    assert_eq!(unpacker.read_list_header().unwrap(), 3);
    let id = u32::deserialize(&mut Deserializer::new(&mut unpacker)).unwrap();
    let name = <&str>::deserialize(&mut Deserializer::new(&mut unpacker)).unwrap();
    let shape = Shape::deserialize(&mut Deserializer::new(&mut unpacker)).unwrap();
    unpacker.finish().unwrap();
    assert_eq!((id, name, shape), (7, "seven", Shape::Line(7, 7)));
}

#[test]
fn a_record_decodes_into_a_struct_after_its_list_header() {
    let bytes = ser(&("Ann", 42, None::<String>));
    let mut unpacker = Unpacker::new(&bytes, LATEST);
    let columns = unpacker.read_list_header().unwrap();
    let person: Person = Deserializer::new(&mut unpacker)
        .deserialize_items(columns)
        .unwrap();
    unpacker.finish().unwrap();
    assert_eq!(person.name, "Ann");
    // Too few columns for the struct, or too many, are errors.
    let mut unpacker = Unpacker::new(&bytes, LATEST);
    unpacker.read_list_header().unwrap();
    assert!(
        Deserializer::new(&mut unpacker)
            .deserialize_items::<Person>(1)
            .is_err()
    );
    let mut unpacker = Unpacker::new(&bytes, LATEST);
    unpacker.read_list_header().unwrap();
    let err = Deserializer::new(&mut unpacker)
        .deserialize_items::<(String, u8)>(3)
        .unwrap_err();
    assert!(err.to_string().contains("unread"), "{err}");
}

#[test]
fn ignored_values_are_skipped_and_checked() {
    #[derive(Deserialize, Debug)]
    struct OnlyA {
        a: i32,
    }
    let bytes = ser(&BTreeMap::from([
        ("a", Value::from(1)),
        (
            "z",
            Value::from(vec![Value::from("deep"), Value::Map(Default::default())]),
        ),
    ]));
    assert_eq!(de::<OnlyA>(&bytes).a, 1);
    de::<IgnoredAny>(&bytes);
    // A skipped value is still validated.
    let bad = [0xA2, 0x81, b'a', 0x01, 0x81, b'z', 0x81, 0xFF];
    let err = de_err::<OnlyA>(&bad);
    assert_eq!(err.kind(), &ErrorKind::InvalidUtf8);
    assert_eq!(err.offset(), Some(7));
}

// ---------------------------------------------------------------- structures

fn alice(dialect: Dialect) -> Node {
    let mut node = Node::new(
        7,
        ["Person"],
        [("name", Value::from("Alice")), ("age", Value::from(30))],
    );
    if dialect.element_ids {
        node.element_id = "4:abc:7".into();
    }
    node
}

#[derive(Deserialize, Debug, PartialEq)]
struct PersonProps {
    name: String,
    age: i64,
}

#[test]
fn a_node_or_relationship_reads_into_a_struct_by_its_properties() {
    for dialect in [LATEST, V4_4] {
        let bytes = packstream::to_vec(&Value::Node(Box::new(alice(dialect))), dialect).unwrap();
        let props: PersonProps = from_bytes(&bytes, dialect).unwrap();
        assert_eq!(
            props,
            PersonProps {
                name: "Alice".into(),
                age: 30
            }
        );
        let map: HashMap<String, Value> = from_bytes(&bytes, dialect).unwrap();
        assert_eq!(map.len(), 2);

        let rel = Relationship {
            id: 1,
            start_node_id: 2,
            end_node_id: 3,
            rel_type: "KNOWS".into(),
            properties: [("since".to_string(), Value::from(1999))].into(),
            element_id: "1".into(),
            start_node_element_id: "2".into(),
            end_node_element_id: "3".into(),
        };
        #[derive(Deserialize, Debug, PartialEq)]
        struct Since {
            since: u16,
        }
        let bytes = packstream::to_vec(&Value::Relationship(Box::new(rel)), dialect).unwrap();
        let since: Since = from_bytes(&bytes, dialect).unwrap();
        assert_eq!(since, Since { since: 1999 });
    }
}

#[test]
fn a_structure_reads_as_a_map_of_its_named_fields() {
    let bytes = packstream::to_vec(&Value::Node(Box::new(alice(LATEST))), LATEST).unwrap();
    let json: serde_json::Value = from_bytes(&bytes, LATEST).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "id": 7, "labels": ["Person"], "properties": {"name": "Alice", "age": 30},
            "element_id": "4:abc:7"
        })
    );
    // Over Bolt 4.4 the element id is the decimal id.
    let bytes = packstream::to_vec(&Value::Node(Box::new(alice(V4_4))), V4_4).unwrap();
    let json: serde_json::Value = from_bytes(&bytes, V4_4).unwrap();
    assert_eq!(json["element_id"], "7");

    let cases = [
        (
            Value::Date(Date { days: -3 }),
            serde_json::json!({"days": -3}),
        ),
        (
            Value::DateTime(DateTime {
                seconds: 4500,
                nanoseconds: 42,
                tz_offset_seconds: 3600,
            }),
            serde_json::json!({"seconds": 4500, "nanoseconds": 42, "tz_offset_seconds": 3600}),
        ),
        (
            Value::Point2D(Point2D {
                srid: 7203,
                x: 1.5,
                y: -2.0,
            }),
            serde_json::json!({"srid": 7203, "x": 1.5, "y": -2.0}),
        ),
    ];
    for dialect in [LATEST, V4_4] {
        for (value, expected) in &cases {
            let bytes = packstream::to_vec(value, dialect).unwrap();
            let json: serde_json::Value = from_bytes(&bytes, dialect).unwrap();
            assert_eq!(&json, expected, "{value:?} in {dialect:?}");
        }
    }
}

fn sample_values(dialect: Dialect) -> Vec<Value> {
    let node = alice(dialect);
    let other = Node::new(8, ["Person", "Admin"], [("name", Value::from("Bob"))]);
    let unbound = UnboundRelationship {
        id: 9,
        rel_type: "KNOWS".into(),
        properties: [("w".to_string(), Value::from(0.5))].into(),
        element_id: "9".into(),
    };
    let mut values = vec![
        Value::Null,
        Value::Boolean(true),
        Value::Integer(i64::MIN),
        Value::Integer(-17),
        Value::Integer(1 << 40),
        Value::Float(f64::INFINITY),
        Value::Float(-0.0),
        Value::Bytes(vec![0, 255, 7]),
        Value::Bytes(vec![1; 300]),
        Value::String("日本語 ✓".into()),
        Value::String("x".repeat(70_000)),
        Value::List((0..20).map(Value::from).collect()),
        Value::List(vec![Value::List(vec![]), Value::Map(Default::default())]),
        Value::Map(
            [
                ("a".to_string(), Value::from(1)),
                ("nested".to_string(), Value::Node(Box::new(node.clone()))),
            ]
            .into(),
        ),
        Value::Node(Box::new(node.clone())),
        Value::Relationship(Box::new(unbound.bind(&node, &other))),
        Value::UnboundRelationship(Box::new(unbound.clone())),
        Value::Path(Box::new(Path {
            nodes: vec![node, other],
            relationships: vec![unbound],
            indices: vec![1, 1],
        })),
        Value::Date(Date { days: 19_000 }),
        Value::Time(Time {
            nanoseconds: 1,
            tz_offset_seconds: -3600,
        }),
        Value::LocalTime(LocalTime { nanoseconds: 99 }),
        Value::DateTime(DateTime {
            seconds: 1_700_000_000,
            nanoseconds: 5,
            tz_offset_seconds: 7200,
        }),
        Value::LocalDateTime(LocalDateTime {
            seconds: -1,
            nanoseconds: 0,
        }),
        Value::Duration(Duration {
            months: 1,
            days: -2,
            seconds: 3,
            nanoseconds: -4,
        }),
        Value::Point2D(Point2D {
            srid: 4326,
            x: 1.0,
            y: 2.0,
        }),
        Value::Point3D(Point3D {
            srid: 9157,
            x: 1.0,
            y: 2.0,
            z: f64::NEG_INFINITY,
        }),
    ];
    if dialect.utc_datetime {
        values.push(Value::DateTimeZoneId(DateTimeZoneId {
            seconds: 1,
            nanoseconds: 2,
            tz_id: "Europe/Paris".into(),
        }));
    } else {
        values.push(Value::LegacyDateTimeZoneId(LegacyDateTimeZoneId {
            local_seconds: 1,
            nanoseconds: 2,
            tz_id: "Europe/Paris".into(),
        }));
    }
    values
}

#[test]
fn values_serialize_exactly_as_the_packer_writes_them() {
    for dialect in [LATEST, V4_4, V4_4_UTC] {
        for value in sample_values(dialect) {
            let expected = packstream::to_vec(&value, dialect).unwrap();
            assert_eq!(
                to_bytes(&value, dialect).unwrap(),
                expected,
                "{value:?} in {dialect:?}"
            );
            let back: Value = from_bytes(&expected, dialect).unwrap();
            assert_eq!(back, packstream::from_slice(&expected, dialect).unwrap());
            assert_eq!(back, value);
        }
    }
}

#[test]
fn structure_types_round_trip_on_their_own() {
    let node = alice(LATEST);
    let bytes = to_bytes(&node, LATEST).unwrap();
    assert_eq!(
        bytes,
        packstream::to_vec(&Value::Node(Box::new(node.clone())), LATEST).unwrap()
    );
    assert_eq!(from_bytes::<Node>(&bytes, LATEST).unwrap(), node);
    let date = Date { days: 3 };
    assert_eq!(
        to_bytes(&vec![date], LATEST).unwrap(),
        [0x91, 0xB1, 0x44, 0x03]
    );
    assert_eq!(
        from_bytes::<Vec<Date>>(&[0x91, 0xB1, 0x44, 0x03], LATEST).unwrap(),
        [date]
    );
    // Asking for one structure and finding another is a typed error.
    let err = from_bytes::<Date>(&[0xB1, 0x74, 0x03], LATEST).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::UnexpectedType {
            expected: "Date",
            found: "LocalTime"
        }
    );
    let err = from_bytes::<Node>(&[0xA0], LATEST).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::UnexpectedType {
            expected: "Node",
            found: "Map"
        }
    );
}

#[test]
fn legacy_date_times_convert_like_the_packer_does() {
    let dt = DateTime {
        seconds: 4500,
        nanoseconds: 42,
        tz_offset_seconds: 3600,
    };
    let bytes = to_bytes(&dt, V4_4).unwrap();
    assert_eq!(
        bytes,
        [0xB3, 0x46, 0xC9, 0x1F, 0xA4, 0x2A, 0xC9, 0x0E, 0x10]
    );
    assert_eq!(from_bytes::<DateTime>(&bytes, V4_4).unwrap(), dt);
    let overflow = DateTime {
        seconds: i64::MAX,
        nanoseconds: 0,
        tz_offset_seconds: 1,
    };
    assert!(to_bytes(&overflow, V4_4).is_err());
    // Zone-id date-times exist in one dialect each, as with the packer.
    let zoned = DateTimeZoneId {
        seconds: 0,
        nanoseconds: 0,
        tz_id: "UTC".into(),
    };
    assert!(matches!(
        to_bytes(&zoned, V4_4).unwrap_err().kind(),
        ErrorKind::Unencodable(_)
    ));
    assert!(packstream::to_vec(&Value::DateTimeZoneId(zoned), V4_4).is_err());
}

#[test]
fn other_formats_see_plain_maps_and_natural_values() {
    let node = alice(LATEST);
    let json = serde_json::to_value(&node).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "id": 7, "labels": ["Person"], "properties": {"age": 30, "name": "Alice"},
            "element_id": "4:abc:7"
        })
    );
    assert_eq!(serde_json::from_value::<Node>(json).unwrap(), node);

    let value = Value::List(vec![
        Value::Null,
        Value::from(true),
        Value::from(-3),
        Value::from(0.5),
        Value::from("s"),
        Value::Map([("k".to_string(), Value::from(1))].into()),
    ]);
    let text = serde_json::to_string(&value).unwrap();
    assert_eq!(text, r#"[null,true,-3,0.5,"s",{"k":1}]"#);
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
    // A structure inside a value becomes plain data in JSON.
    let text = serde_json::to_string(&Value::Date(Date { days: 2 })).unwrap();
    assert_eq!(text, r#"{"days":2}"#);
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        Value::Map([("days".to_string(), Value::from(2))].into())
    );
    let err = serde_json::from_str::<Value>("18446744073709551615").unwrap_err();
    assert!(err.to_string().contains("18446744073709551615"));
}

// ------------------------------------------------------------------ hostile

fn every_prefix_fails<T: for<'de> Deserialize<'de> + std::fmt::Debug>(
    bytes: &[u8],
    dialect: Dialect,
) {
    for cut in 0..bytes.len() {
        let result = from_bytes::<T>(&bytes[..cut], dialect);
        assert!(result.is_err(), "prefix of {cut} bytes decoded: {result:?}");
    }
}

#[test]
fn truncation_at_every_byte_is_an_error() {
    for dialect in [LATEST, V4_4] {
        let all = Value::List(sample_values(dialect));
        let bytes = packstream::to_vec(&all, dialect).unwrap();
        every_prefix_fails::<Value>(&bytes, dialect);
        every_prefix_fails::<IgnoredAny>(&bytes, dialect);
        every_prefix_fails::<serde_json::Value>(&bytes, dialect);
    }
    let team = ser(&Team {
        name: "n".into(),
        members: vec![],
        scores: HashMap::from([("a".into(), vec![1.0])]),
        lead: None,
        tags: BTreeMap::new(),
    });
    every_prefix_fails::<Team>(&team, LATEST);
}

#[test]
fn huge_declared_lengths_fail_without_allocating() {
    let cases: [&[u8]; 5] = [
        &[0xD6, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
        &[0xDA, 0xFF, 0xFF, 0xFF, 0xFF],
        &[0xD2, 0xFF, 0xFF, 0xFF, 0xFF, b'a'],
        &[0xCE, 0xFF, 0xFF, 0xFF, 0xFF],
        &[0xD5, 0xFF, 0xFF],
    ];
    for bytes in cases {
        assert!(from_bytes::<Value>(bytes, LATEST).is_err());
        assert!(from_bytes::<Vec<i64>>(bytes, LATEST).is_err());
        assert!(from_bytes::<HashMap<String, i64>>(bytes, LATEST).is_err());
        assert!(from_bytes::<String>(bytes, LATEST).is_err());
        assert!(from_bytes::<serde_bytes_like::Buf>(bytes, LATEST).is_err());
        assert!(from_bytes::<IgnoredAny>(bytes, LATEST).is_err());
    }
}

mod serde_bytes_like {
    /// Owned bytes read through `deserialize_byte_buf`.
    #[derive(Debug)]
    pub(super) struct Buf;

    impl<'de> serde::Deserialize<'de> for Buf {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl serde::de::Visitor<'_> for V {
                type Value = Buf;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("bytes")
                }
                fn visit_bytes<E>(self, _: &[u8]) -> Result<Buf, E> {
                    Ok(Buf)
                }
            }
            d.deserialize_byte_buf(V)
        }
    }
}

#[test]
fn nesting_ten_thousand_deep_is_a_depth_error() {
    let depth = 10_000;
    let mut lists = vec![0x91; depth];
    lists.push(0xC0);
    let mut maps = Vec::new();
    for _ in 0..depth {
        maps.extend_from_slice(&[0xA1, 0x81, b'k']);
    }
    maps.push(0xC0);
    for bytes in [&lists, &maps] {
        for err in [
            from_bytes::<Value>(bytes, LATEST).unwrap_err(),
            from_bytes::<IgnoredAny>(bytes, LATEST).unwrap_err(),
            from_bytes::<serde_json::Value>(bytes, LATEST).unwrap_err(),
        ] {
            assert!(
                matches!(err.kind(), ErrorKind::DepthLimitExceeded(_)),
                "{err}"
            );
        }
    }
}

#[test]
fn nesting_up_to_the_limit_decodes() {
    let depth = packstream::DEFAULT_MAX_DEPTH;
    let mut bytes = vec![0x91; depth];
    bytes.push(0x01);
    let mut value = from_bytes::<Value>(&bytes, LATEST).unwrap();
    for _ in 0..depth {
        value = value.as_list().unwrap()[0].clone();
    }
    assert_eq!(value, Value::Integer(1));
    from_bytes::<IgnoredAny>(&bytes, LATEST).unwrap();
    let mut too_deep = vec![0x91; depth + 1];
    too_deep.push(0x01);
    assert!(from_bytes::<Value>(&too_deep, LATEST).is_err());
    assert!(packstream::from_slice(&too_deep, LATEST).is_err());
}

// ---------------------------------------------------------------- proptests

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn large_collections_round_trip(
        items in prop::collection::vec(any::<i64>(), 0..70_000),
        map in prop::collection::hash_map("[a-z]{1,8}", ".{0,4}", 0..2_000),
    ) {
        let bytes = ser(&items);
        prop_assert_eq!(de::<Vec<i64>>(&bytes), items);
        let bytes = ser(&map);
        prop_assert_eq!(de::<HashMap<String, String>>(&bytes), map);
    }
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
struct Record {
    text: String,
    small: i8,
    wide: i64,
    unsigned: u32,
    flag: bool,
    maybe: Option<i64>,
    list: Vec<String>,
    map: BTreeMap<String, i64>,
    shape: Shape,
    pair: (u16, char),
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Empty),
        any::<f64>()
            .prop_filter("NaN is compared separately", |f| !f.is_nan())
            .prop_map(Shape::Circle),
        (any::<i32>(), any::<i32>()).prop_map(|(a, b)| Shape::Line(a, b)),
        (any::<u16>(), any::<u16>()).prop_map(|(w, h)| Shape::Rect { w, h }),
    ]
}

fn record() -> impl Strategy<Value = Record> {
    (
        ".*",
        any::<i8>(),
        prop_oneof![Just(i64::MIN), Just(i64::MAX), Just(0), any::<i64>()],
        any::<u32>(),
        any::<bool>(),
        any::<Option<i64>>(),
        prop::collection::vec(".{0,20}", 0..40),
        prop::collection::btree_map(".{0,8}", any::<i64>(), 0..20),
        shape(),
        (any::<u16>(), any::<char>()),
    )
        .prop_map(
            |(text, small, wide, unsigned, flag, maybe, list, map, shape, pair)| Record {
                text,
                small,
                wide,
                unsigned,
                flag,
                maybe,
                list,
                map,
                shape,
                pair,
            },
        )
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Boolean),
        any::<i64>().prop_map(Value::Integer),
        any::<f64>().prop_map(Value::Float),
        prop::collection::vec(any::<u8>(), 0..40).prop_map(Value::Bytes),
        ".{0,20}".prop_map(Value::String),
        any::<i64>().prop_map(|days| Value::Date(Date { days })),
        (any::<i64>(), any::<i64>()).prop_map(|(seconds, nanoseconds)| {
            Value::LocalDateTime(LocalDateTime {
                seconds,
                nanoseconds,
            })
        }),
        (any::<i64>(), any::<f64>(), any::<f64>())
            .prop_map(|(srid, x, y)| Value::Point2D(Point2D { srid, x, y })),
        (
            any::<i64>(),
            prop::collection::vec("[A-Z][a-z]{0,5}", 0..3),
            ".{0,8}"
        )
            .prop_map(|(id, labels, element_id)| Value::Node(Box::new(Node {
                id,
                labels,
                properties: [("p".to_string(), Value::from(id))].into(),
                element_id,
            }))),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 64, 10, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..10).prop_map(Value::List),
            prop::collection::btree_map(".{0,6}", inner, 0..10).prop_map(Value::Map),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn serde_structs_round_trip(record in record()) {
        let bytes = ser(&record);
        prop_assert_eq!(de::<Record>(&bytes), record.clone());
        // Through a dynamic value (which sorts map keys) and back.
        let value = packstream::from_slice(&bytes, LATEST).unwrap();
        prop_assert_eq!(de::<Record>(&packstream::to_vec(&value, LATEST).unwrap()), record);
    }


    #[test]
    fn floats_round_trip_bit_for_bit(
        f in prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY), any::<f64>()],
    ) {
        let back: f64 = de(&ser(&f));
        prop_assert_eq!(back.to_bits(), f.to_bits());
        let single = f as f32;
        let back: f32 = de(&ser(&single));
        prop_assert_eq!(back.to_bits(), single.to_bits());
    }

    #[test]
    fn values_match_the_packer_and_unpacker(value in value()) {
        for dialect in [LATEST, V4_4] {
            let expected = packstream::to_vec(&value, dialect).unwrap();
            prop_assert_eq!(&to_bytes(&value, dialect).unwrap(), &expected);
            let back: Value = from_bytes(&expected, dialect).unwrap();
            let reference = packstream::from_slice(&expected, dialect).unwrap();
            // Compare by encoding: NaN is not equal to itself.
            prop_assert_eq!(
                packstream::to_vec(&back, dialect).unwrap(),
                packstream::to_vec(&reference, dialect).unwrap()
            );
        }
    }

    #[test]
    fn corrupted_values_are_judged_like_the_unpacker_judges_them(
        seed in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        legacy in any::<bool>(),
    ) {
        let dialect = if legacy { V4_4 } else { LATEST };
        let mut bytes = packstream::to_vec(&Value::List(sample_values(dialect)), dialect).unwrap();
        let at = seed.index(bytes.len());
        bytes[at] = byte;
        let ours = from_bytes::<Value>(&bytes, dialect);
        let reference = packstream::from_slice(&bytes, dialect);
        match (ours, reference) {
            (Ok(ours), Ok(reference)) => prop_assert_eq!(
                packstream::to_vec(&ours, dialect).unwrap(),
                packstream::to_vec(&reference, dialect).unwrap()
            ),
            (Err(_), Err(_)) => {}
            (ours, reference) => prop_assert!(false, "{:?} vs {:?}", ours, reference),
        }
    }

    #[test]
    fn random_bytes_never_panic_and_agree_with_the_unpacker(
        bytes in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let ours = from_bytes::<Value>(&bytes, LATEST);
        let reference = packstream::from_slice(&bytes, LATEST);
        prop_assert_eq!(ours.is_ok(), reference.is_ok(), "{:?} vs {:?}", ours, reference);
        let _ = from_bytes::<IgnoredAny>(&bytes, LATEST);
        let _ = from_bytes::<Record>(&bytes, LATEST);
        let _ = from_bytes::<serde_json::Value>(&bytes, LATEST);
    }
}

#[test]
fn owned_strings_of_every_length_form_decode_and_bad_utf8_is_an_error() {
    for len in [0, 1, 15, 16, 17, 255, 256, 70_000] {
        let text: String = "héllo wörld ".chars().cycle().take(len).collect();
        let bytes = ser(&text);
        assert_eq!(de::<String>(&bytes), text, "{len} characters");
    }
    // A tiny string whose one byte is not UTF-8, and a STRING_8 one.
    let error = de_err::<String>(&[0x81, 0xFF]);
    assert!(matches!(error.kind(), ErrorKind::InvalidUtf8), "{error}");
    let error = de_err::<String>(&[0xD0, 0x02, b'a', 0xC3]);
    assert!(matches!(error.kind(), ErrorKind::InvalidUtf8), "{error}");
    // Truncated: the length says more than there is.
    let error = de_err::<String>(&[0xD1, 0x01, 0x00, b'a']);
    assert!(
        matches!(error.kind(), ErrorKind::UnexpectedEnd { .. }),
        "{error}"
    );
}
