//! Property tests: every value survives encode -> decode in each dialect, and
//! re-encoding a decoded value reproduces the same bytes.

use neo_bolt::Value;
use neo_bolt::packstream::{
    self, Date, DateTime, DateTimeZoneId, Dialect, Duration, LegacyDateTimeZoneId, LocalDateTime,
    LocalTime, Map, Node, Packer, Path, Point2D, Point3D, Relationship, Time, UnboundRelationship,
    Unpacker, UnsupportedType, Vector,
};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;

/// Bolt 4.4 with the `utc` patch: no element ids, UTC date-times.
const V4_4_UTC: Dialect = Dialect {
    element_ids: false,
    utc_datetime: true,
    vector_types: false,
};

// ------------------------------------------------------------- comparison

/// Structural equality in which floats compare by their bits, so that NaN
/// payloads and the sign of zero count.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::List(xs), Value::List(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same(x, y))
        }
        (Value::Map(xs), Value::Map(ys)) => same_map(xs, ys),
        (Value::Node(x), Value::Node(y)) => same_node(x, y),
        (Value::Relationship(x), Value::Relationship(y)) => {
            x.id == y.id
                && x.start_node_id == y.start_node_id
                && x.end_node_id == y.end_node_id
                && x.rel_type == y.rel_type
                && same_map(&x.properties, &y.properties)
                && x.element_id == y.element_id
                && x.start_node_element_id == y.start_node_element_id
                && x.end_node_element_id == y.end_node_element_id
        }
        (Value::UnboundRelationship(x), Value::UnboundRelationship(y)) => same_unbound(x, y),
        (Value::Path(x), Value::Path(y)) => {
            x.indices == y.indices
                && x.nodes.len() == y.nodes.len()
                && x.nodes.iter().zip(&y.nodes).all(|(a, b)| same_node(a, b))
                && x.relationships.len() == y.relationships.len()
                && x.relationships
                    .iter()
                    .zip(&y.relationships)
                    .all(|(a, b)| same_unbound(a, b))
        }
        (Value::Point2D(p), Value::Point2D(q)) => {
            p.srid == q.srid && p.x.to_bits() == q.x.to_bits() && p.y.to_bits() == q.y.to_bits()
        }
        (Value::Point3D(p), Value::Point3D(q)) => {
            p.srid == q.srid
                && p.x.to_bits() == q.x.to_bits()
                && p.y.to_bits() == q.y.to_bits()
                && p.z.to_bits() == q.z.to_bits()
        }
        // Bit for bit, NaN payloads included.
        (Value::Vector(x), Value::Vector(y)) => {
            x.element_type() == y.element_type() && x.to_be_bytes() == y.to_be_bytes()
        }
        _ => a == b,
    }
}

fn same_map(a: &Map, b: &Map) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
}

fn same_node(a: &Node, b: &Node) -> bool {
    a.id == b.id
        && a.labels == b.labels
        && same_map(&a.properties, &b.properties)
        && a.element_id == b.element_id
}

fn same_unbound(a: &UnboundRelationship, b: &UnboundRelationship) -> bool {
    a.id == b.id
        && a.rel_type == b.rel_type
        && same_map(&a.properties, &b.properties)
        && a.element_id == b.element_id
}

#[test]
fn same_compares_floats_by_bits() {
    assert!(same(&Value::Float(f64::NAN), &Value::Float(f64::NAN)));
    assert!(!same(&Value::Float(0.0), &Value::Float(-0.0)));
    assert!(!same(
        &Value::from(vec![Value::Float(1.0)]),
        &Value::from(vec![Value::Float(2.0)])
    ));
}

// ------------------------------------------------------------- strategies

fn int() -> BoxedStrategy<i64> {
    prop_oneof![
        4 => any::<i64>(),
        2 => -300i64..300,
        1 => -70_000i64..70_000,
        2 => proptest::sample::select(vec![
            i64::MIN,
            i64::MIN + 1,
            i64::from(i32::MIN) - 1,
            i64::from(i32::MIN),
            -32_769,
            -32_768,
            -129,
            -128,
            -17,
            -16,
            0,
            127,
            128,
            32_767,
            32_768,
            i64::from(i32::MAX),
            i64::from(i32::MAX) + 1,
            i64::MAX - 1,
            i64::MAX,
        ]),
    ]
    .boxed()
}

fn float() -> BoxedStrategy<f64> {
    prop_oneof![
        3 => any::<u64>().prop_map(f64::from_bits),
        2 => any::<f64>(),
        1 => proptest::sample::select(vec![
            0.0,
            -0.0,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
        ]),
    ]
    .boxed()
}

/// Short strings: ASCII words, any Unicode, and multi-byte scripts.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        "[a-zA-Z_]{0,12}",
        any::<String>(),
        "[é日本語🦀\u{10FFFF}\u{0}]{0,20}",
    ]
    .boxed()
}

fn scalar() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Boolean),
        int().prop_map(Value::Integer),
        float().prop_map(Value::Float),
        vec(any::<u8>(), 0..40).prop_map(Value::Bytes),
        text().prop_map(Value::String),
    ]
    .boxed()
}

/// Date-times valid in `dialect`: zone ids in the dialect's form, and in
/// the legacy wall-clock form only instants whose local seconds fit.
fn temporal(dialect: Dialect) -> BoxedStrategy<Value> {
    let date_time = if dialect.utc_datetime {
        (int(), int(), int()).boxed()
    } else {
        (
            -(1i64 << 62)..(1i64 << 62),
            0i64..1_000_000_000,
            -64_800i64..=64_800,
        )
            .boxed()
    };
    let zoned = if dialect.utc_datetime {
        (int(), 0i64..1_000_000_000, text())
            .prop_map(|(seconds, nanoseconds, tz_id)| {
                Value::DateTimeZoneId(DateTimeZoneId {
                    seconds,
                    nanoseconds,
                    tz_id,
                })
            })
            .boxed()
    } else {
        (int(), 0i64..1_000_000_000, text())
            .prop_map(|(local_seconds, nanoseconds, tz_id)| {
                Value::LegacyDateTimeZoneId(LegacyDateTimeZoneId {
                    local_seconds,
                    nanoseconds,
                    tz_id,
                })
            })
            .boxed()
    };
    let temporal = prop_oneof![
        int().prop_map(|days| Value::Date(Date { days })),
        (int(), int()).prop_map(|(nanoseconds, tz_offset_seconds)| Value::Time(Time {
            nanoseconds,
            tz_offset_seconds
        })),
        int().prop_map(|nanoseconds| Value::LocalTime(LocalTime { nanoseconds })),
        date_time.prop_map(|(seconds, nanoseconds, tz_offset_seconds)| {
            Value::DateTime(DateTime {
                seconds,
                nanoseconds,
                tz_offset_seconds,
            })
        }),
        zoned,
        (int(), int()).prop_map(
            |(seconds, nanoseconds)| Value::LocalDateTime(LocalDateTime {
                seconds,
                nanoseconds
            })
        ),
        (int(), int(), int(), int()).prop_map(|(months, days, seconds, nanoseconds)| {
            Value::Duration(Duration {
                months,
                days,
                seconds,
                nanoseconds,
            })
        }),
        (int(), float(), float()).prop_map(|(srid, x, y)| Value::Point2D(Point2D { srid, x, y })),
        (int(), float(), float(), float()).prop_map(|(srid, x, y, z)| Value::Point3D(Point3D {
            srid,
            x,
            y,
            z
        })),
    ]
    .boxed();
    prop_oneof![3 => temporal, 1 => bolt_6(dialect)].boxed()
}

/// Vectors and placeholders where the dialect has them (else more points).
fn bolt_6(dialect: Dialect) -> BoxedStrategy<Value> {
    if !dialect.vector_types {
        return (int(), float(), float())
            .prop_map(|(srid, x, y)| Value::Point2D(Point2D { srid, x, y }))
            .boxed();
    }
    prop_oneof![
        vec(any::<i8>(), 0..40).prop_map(|v| Value::Vector(Vector::I8(v))),
        vec(any::<i16>(), 0..40).prop_map(|v| Value::Vector(Vector::I16(v))),
        vec(any::<i32>(), 0..40).prop_map(|v| Value::Vector(Vector::I32(v))),
        vec(any::<i64>(), 0..40).prop_map(|v| Value::Vector(Vector::I64(v))),
        vec(any::<u32>().prop_map(f32::from_bits), 0..40)
            .prop_map(|v| Value::Vector(Vector::F32(v))),
        vec(float(), 0..40).prop_map(|v| Value::Vector(Vector::F64(v))),
        (
            text(),
            any::<u8>(),
            any::<u8>(),
            proptest::option::of(text())
        )
            .prop_map(|(name, major, minor, message)| {
                Value::Unsupported(Box::new(UnsupportedType::new(
                    name,
                    neo_bolt::BoltVersion::new(major, minor),
                    message,
                )))
            }),
    ]
    .boxed()
}

/// An id and its element id: any string in Bolt 5, the decimal id in 4.4
/// (which is what a 4.4 decoder produces).
fn ids(dialect: Dialect) -> BoxedStrategy<(i64, String)> {
    if dialect.element_ids {
        (int(), text()).boxed()
    } else {
        int().prop_map(|id| (id, id.to_string())).boxed()
    }
}

fn properties(values: BoxedStrategy<Value>) -> BoxedStrategy<Map> {
    btree_map(text(), values, 0..6).boxed()
}

fn node(dialect: Dialect, values: BoxedStrategy<Value>) -> BoxedStrategy<Node> {
    (ids(dialect), vec(text(), 0..4), properties(values))
        .prop_map(|((id, element_id), labels, properties)| Node {
            id,
            labels,
            properties,
            element_id,
        })
        .boxed()
}

fn unbound(dialect: Dialect, values: BoxedStrategy<Value>) -> BoxedStrategy<UnboundRelationship> {
    (ids(dialect), text(), properties(values))
        .prop_map(
            |((id, element_id), rel_type, properties)| UnboundRelationship {
                id,
                rel_type,
                properties,
                element_id,
            },
        )
        .boxed()
}

fn relationship(dialect: Dialect, values: BoxedStrategy<Value>) -> BoxedStrategy<Relationship> {
    (
        ids(dialect),
        ids(dialect),
        ids(dialect),
        text(),
        properties(values),
    )
        .prop_map(
            |((id, element_id), (start, start_element), (end, end_element), rel_type, props)| {
                Relationship {
                    id,
                    start_node_id: start,
                    end_node_id: end,
                    rel_type,
                    properties: props,
                    element_id,
                    start_node_element_id: start_element,
                    end_node_element_id: end_element,
                }
            },
        )
        .boxed()
}

fn path(dialect: Dialect, values: BoxedStrategy<Value>) -> BoxedStrategy<Path> {
    (
        vec(node(dialect, values.clone()), 0..4),
        vec(unbound(dialect, values), 0..4),
        vec(int(), 0..8),
    )
        .prop_map(|(nodes, relationships, indices)| Path {
            nodes,
            relationships,
            indices,
        })
        .boxed()
}

/// Any value valid in `dialect`, nested up to a few levels deep.
fn value(dialect: Dialect) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![3 => scalar(), 1 => temporal(dialect)];
    leaf.prop_recursive(4, 96, 8, move |inner| {
        prop_oneof![
            3 => vec(inner.clone(), 0..10).prop_map(Value::List),
            3 => btree_map(text(), inner.clone(), 0..10).prop_map(Value::Map),
            1 => node(dialect, inner.clone()).prop_map(Value::from),
            1 => relationship(dialect, inner.clone()).prop_map(Value::from),
            1 => unbound(dialect, inner.clone()).prop_map(Value::from),
            1 => path(dialect, inner).prop_map(Value::from),
        ]
    })
    .boxed()
}

/// Flat collections and strings of up to a few thousand elements, so that
/// the 8- and 16-bit size headers are exercised.
fn large(dialect: Dialect) -> BoxedStrategy<Value> {
    let item = prop_oneof![3 => scalar(), 1 => temporal(dialect)].boxed();
    prop_oneof![
        vec(item.clone(), 0..3000).prop_map(Value::List),
        btree_map("[a-z0-9]{1,6}", item, 0..2000).prop_map(Value::Map),
        vec(any::<char>(), 0..3000).prop_map(|chars| Value::String(chars.into_iter().collect())),
        vec(any::<u8>(), 0..70_000).prop_map(Value::Bytes),
    ]
    .boxed()
}

/// Every variant name, spelled out so that a new variant must be added here.
fn variant(v: &Value) -> &'static str {
    match v {
        Value::Null => "Null",
        Value::Boolean(_) => "Boolean",
        Value::Integer(_) => "Integer",
        Value::Float(_) => "Float",
        Value::Bytes(_) => "Bytes",
        Value::String(_) => "String",
        Value::List(_) => "List",
        Value::Map(_) => "Map",
        Value::Node(_) => "Node",
        Value::Relationship(_) => "Relationship",
        Value::UnboundRelationship(_) => "UnboundRelationship",
        Value::Path(_) => "Path",
        Value::Date(_) => "Date",
        Value::Time(_) => "Time",
        Value::LocalTime(_) => "LocalTime",
        Value::DateTime(_) => "DateTime",
        Value::DateTimeZoneId(_) => "DateTimeZoneId",
        Value::LegacyDateTimeZoneId(_) => "LegacyDateTimeZoneId",
        Value::LocalDateTime(_) => "LocalDateTime",
        Value::Duration(_) => "Duration",
        Value::Point2D(_) => "Point2D",
        Value::Point3D(_) => "Point3D",
        Value::Vector(_) => "Vector",
        Value::Unsupported(_) => "UnsupportedType",
    }
}

fn collect_variants(v: &Value, seen: &mut std::collections::BTreeSet<&'static str>) {
    seen.insert(variant(v));
    match v {
        Value::List(items) => items.iter().for_each(|i| collect_variants(i, seen)),
        Value::Map(map) => map.values().for_each(|i| collect_variants(i, seen)),
        _ => {}
    }
}

#[test]
fn the_value_strategy_produces_every_variant_valid_in_its_dialect() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let every: std::collections::BTreeSet<&str> = [
        "Null",
        "Boolean",
        "Integer",
        "Float",
        "Bytes",
        "String",
        "List",
        "Map",
        "Node",
        "Relationship",
        "UnboundRelationship",
        "Path",
        "Date",
        "Time",
        "LocalTime",
        "DateTime",
        "LocalDateTime",
        "Duration",
        "Point2D",
        "Point3D",
    ]
    .into_iter()
    .collect();
    for (dialect, zoned, other) in [
        (Dialect::LATEST, "DateTimeZoneId", "LegacyDateTimeZoneId"),
        (Dialect::V5, "DateTimeZoneId", "LegacyDateTimeZoneId"),
        (V4_4_UTC, "DateTimeZoneId", "LegacyDateTimeZoneId"),
        (Dialect::V4_4, "LegacyDateTimeZoneId", "DateTimeZoneId"),
    ] {
        let strategy = value(dialect);
        let mut runner = TestRunner::deterministic();
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..600 {
            let v = strategy.new_tree(&mut runner).unwrap().current();
            collect_variants(&v, &mut seen);
        }
        let mut expected = every.clone();
        expected.insert(zoned);
        if dialect.vector_types {
            expected.insert("Vector");
            expected.insert("UnsupportedType");
        }
        assert_eq!(seen, expected, "{dialect:?} (never {other})");
    }
}

// ------------------------------------------------------------- properties

/// Encodes, decodes, compares, and checks that re-encoding is byte-stable
/// and that `skip_value` consumes exactly the encoded value.
fn check_round_trip(value: &Value, dialect: Dialect) -> Result<(), TestCaseError> {
    let bytes = packstream::to_vec(value, dialect)
        .map_err(|e| TestCaseError::fail(format!("encoding failed: {e}")))?;
    let back = packstream::from_slice(&bytes, dialect)
        .map_err(|e| TestCaseError::fail(format!("decoding failed: {e}")))?;
    prop_assert!(
        same(value, &back),
        "{value:?} came back as {back:?} in {dialect:?}"
    );
    let again = packstream::to_vec(&back, dialect)
        .map_err(|e| TestCaseError::fail(format!("re-encoding failed: {e}")))?;
    prop_assert_eq!(&again, &bytes);

    let mut skipper = Unpacker::new(&bytes, dialect);
    skipper
        .skip_value()
        .map_err(|e| TestCaseError::fail(format!("skipping failed: {e}")))?;
    prop_assert_eq!(skipper.position(), bytes.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    #[test]
    fn round_trips_in_bolt_6(v in value(Dialect::LATEST)) {
        check_round_trip(&v, Dialect::LATEST)?;
    }

    #[test]
    fn round_trips_in_bolt_5(v in value(Dialect::V5)) {
        check_round_trip(&v, Dialect::V5)?;
    }

    #[test]
    fn round_trips_in_bolt_4_4(v in value(Dialect::V4_4)) {
        check_round_trip(&v, Dialect::V4_4)?;
    }

    #[test]
    fn round_trips_in_bolt_4_4_with_the_utc_patch(v in value(V4_4_UTC)) {
        check_round_trip(&v, V4_4_UTC)?;
    }

    #[test]
    fn values_without_structures_encode_the_same_in_every_dialect(
        v in scalar().prop_recursive(3, 48, 6, |inner| prop_oneof![
            vec(inner.clone(), 0..8).prop_map(Value::List),
            btree_map(text(), inner, 0..8).prop_map(Value::Map),
        ])
    ) {
        let latest = packstream::to_vec(&v, Dialect::LATEST).unwrap();
        prop_assert_eq!(&packstream::to_vec(&v, Dialect::V4_4).unwrap(), &latest);
        prop_assert_eq!(&packstream::to_vec(&v, V4_4_UTC).unwrap(), &latest);
    }

    #[test]
    fn integers_read_back_through_read_int(i in int()) {
        let bytes = packstream::to_vec(&Value::Integer(i), Dialect::LATEST).unwrap();
        let mut unpacker = Unpacker::new(&bytes, Dialect::LATEST);
        prop_assert_eq!(unpacker.read_int().unwrap(), i);
        unpacker.finish().unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn large_values_round_trip_in_bolt_5(v in large(Dialect::LATEST)) {
        check_round_trip(&v, Dialect::LATEST)?;
    }

    #[test]
    fn large_values_round_trip_in_bolt_4_4(v in large(Dialect::V4_4)) {
        check_round_trip(&v, Dialect::V4_4)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_stream_of_values_reads_back_in_order(
        values in vec(value(Dialect::LATEST), 0..12)
    ) {
        let mut out = Vec::new();
        let mut packer = Packer::new(&mut out, Dialect::LATEST);
        for v in &values {
            packer.write_value(v).unwrap();
        }
        let mut unpacker = Unpacker::new(&out, Dialect::LATEST);
        for v in &values {
            let back = unpacker.read_value().unwrap();
            prop_assert!(same(v, &back), "{v:?} came back as {back:?}");
        }
        unpacker.finish().unwrap();
    }

    #[test]
    fn a_list_streamed_item_by_item_matches_the_list_value(
        items in vec(value(Dialect::LATEST), 0..16)
    ) {
        let mut out = Vec::new();
        let mut packer = Packer::new(&mut out, Dialect::LATEST);
        packer.write_list_header(items.len()).unwrap();
        for item in &items {
            packer.write_value(item).unwrap();
        }
        prop_assert_eq!(out, packstream::to_vec(&Value::List(items), Dialect::LATEST).unwrap());
    }
}
