//! SUCCESS metadata read straight from its bytes agrees with the decoded
//! map, for every accessor, whatever the server put in it.

use bytes::{Bytes, BytesMut};
use neo_bolt::Value;
use neo_bolt::message::{QueryType, Response, Success};
use neo_bolt::packstream::{Dialect, Map, Packer};
use proptest::prelude::*;

const KEYS: &[&str] = &[
    "fields",
    "t_first",
    "t_last",
    "qid",
    "has_more",
    "bookmark",
    "db",
    "type",
    "server",
    "connection_id",
    "protocol_version",
    "advertised_address",
    "credentials_expired",
    "other",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Boolean),
        any::<i64>().prop_map(Value::Integer),
        (-1000i64..1000).prop_map(Value::Integer),
        any::<f64>().prop_map(Value::Float),
        "[a-z:é]{0,20}".prop_map(Value::String),
        Just(Value::String("rw".into())),
        Just(Value::String("w".into())),
        Just(Value::String("s".into())),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(2, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
            prop::collection::vec("[a-z]{1,6}".prop_map(Value::String), 0..4).prop_map(Value::List),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..3).prop_map(Value::Map),
        ]
    })
}

fn encode(map: &Map) -> Bytes {
    let mut out = BytesMut::new();
    Packer::new(&mut out, Dialect::LATEST)
        .write_map(map)
        .unwrap();
    out.freeze()
}

fn assert_same(lazy: &Success, eager: &Success) {
    assert_eq!(lazy.fields().ok(), eager.fields().ok());
    assert_eq!(lazy.fields().is_err(), eager.fields().is_err());
    assert_eq!(lazy.t_first(), eager.t_first());
    assert_eq!(lazy.t_last(), eager.t_last());
    assert_eq!(lazy.qid(), eager.qid());
    assert_eq!(lazy.has_more(), eager.has_more());
    assert_eq!(lazy.bookmark(), eager.bookmark());
    assert_eq!(lazy.db(), eager.db());
    assert_eq!(lazy.query_type(), eager.query_type());
    assert_eq!(
        lazy.checked_query_type().ok(),
        eager.checked_query_type().ok()
    );
    assert_eq!(
        lazy.checked_query_type().map_err(|e| e.to_string()),
        eager.checked_query_type().map_err(|e| e.to_string())
    );
    assert_eq!(lazy.server(), eager.server());
    assert_eq!(lazy.connection_id(), eager.connection_id());
    assert_eq!(lazy.protocol_version(), eager.protocol_version());
    assert_eq!(lazy.advertised_address(), eager.advertised_address());
    assert_eq!(lazy.credentials_expired(), eager.credentials_expired());
}

proptest! {
    #[test]
    fn accessors_on_the_bytes_agree_with_the_decoded_map(
        entries in prop::collection::vec((prop::sample::select(KEYS), value()), 0..8),
    ) {
        let map: Map = entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let eager = Success::new(map.clone());
        let lazy = Success::decode(encode(&map), Dialect::LATEST).unwrap();
        assert_same(&lazy, &eager);
        // Once the map has been asked for, the answers stay the same.
        prop_assert_eq!(lazy.metadata(), &map);
        assert_same(&lazy, &eager);
        prop_assert_eq!(&lazy, &eager);
        prop_assert_eq!(lazy.into_metadata(), map);
    }

    #[test]
    fn broken_metadata_is_rejected_when_received(
        entries in prop::collection::vec((prop::sample::select(KEYS), value()), 1..6),
        cut in any::<prop::sample::Index>(),
    ) {
        let map: Map = entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let bytes = encode(&map);
        let cut = cut.index(bytes.len());
        prop_assert!(Success::decode(bytes.slice(..cut), Dialect::LATEST).is_err());
    }
}

#[test]
fn a_repeated_key_reads_as_its_last_entry_either_way() {
    // {"qid": 1, "qid": 2}
    let bytes = Bytes::from_static(b"\xA2\x83qid\x01\x83qid\x02");
    let lazy = Success::decode(bytes.clone(), Dialect::LATEST).unwrap();
    assert_eq!(lazy.qid(), Some(2));
    assert_eq!(lazy.metadata().get("qid"), Some(&Value::Integer(2)));
}

#[test]
fn metadata_that_is_not_a_map_or_has_trailing_bytes_is_an_error() {
    for bad in [
        &b"\x01"[..],
        b"\x90",
        b"\xA0\x01",
        b"\xA1\x01\x01",
        b"\xA1\x81a\x81\xFF",
    ] {
        let error = Success::decode(Bytes::copy_from_slice(bad), Dialect::LATEST).unwrap_err();
        assert!(error.offset().is_some(), "{bad:?}: {error}");
    }
    // Through a whole message, the offset counts from the message start.
    let body = Bytes::from_static(b"\xB1\x70\xA1\x81a\x81\xFF");
    let error = Response::decode(&body, Dialect::LATEST).unwrap_err();
    assert!(error.offset().is_some_and(|offset| offset >= 2), "{error}");
}

#[test]
fn metadata_nested_deeper_than_decoding_allows_is_refused_on_arrival() {
    // {"k": [[[…]]]}: lists nested until the depth limit is just passed.
    for depth in [500usize, 511, 512, 600] {
        let mut bytes = vec![0xA1, 0x81, b'k'];
        bytes.extend(std::iter::repeat_n(0x91, depth));
        bytes.push(0x90);
        let decoded = neo_bolt::packstream::Unpacker::new(&bytes, Dialect::LATEST).read_map();
        let lazy = Success::decode(Bytes::from(bytes), Dialect::LATEST);
        assert_eq!(lazy.is_ok(), decoded.is_ok(), "nesting {depth}");
        if let Ok(lazy) = lazy {
            assert_eq!(lazy.metadata(), &decoded.unwrap());
        }
    }
}

#[test]
fn the_query_type_is_checked_on_the_bytes_as_on_the_map() {
    for (value, expected) in [
        (Value::from("w"), Ok(Some(QueryType::Write))),
        (Value::from("rw"), Ok(Some(QueryType::ReadWrite))),
        (Value::Null, Ok(None)),
        (Value::from("wr"), Err("unknown query type `wr`")),
        (Value::from(1), Err("String")),
    ] {
        let map: Map = [("type".to_owned(), value)].into();
        for success in [
            Success::new(map.clone()),
            Success::decode(encode(&map), Dialect::LATEST).unwrap(),
        ] {
            match (success.checked_query_type(), expected) {
                (Ok(found), Ok(expected)) => assert_eq!(found, expected),
                (Err(error), Err(words)) => assert!(error.to_string().contains(words), "{error}"),
                (found, expected) => panic!("{found:?} where {expected:?} was expected"),
            }
        }
    }
    let absent = Success::decode(encode(&Map::new()), Dialect::LATEST).unwrap();
    assert_eq!(absent.checked_query_type().unwrap(), None);
}
