//! The benchmark server answers the raw floor client's round trips.

use std::net::TcpListener;

use harness::raw::RawClient;
use harness::server::{RowKind, RowSet};
use neo_bolt::Value;
use neo_bolt::packstream::{Dialect, Unpacker};

fn start_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = listener.local_addr().expect("bound").to_string();
    std::thread::spawn(move || harness::server::run(listener, &[], true));
    address
}

#[test]
fn streams_every_row_in_batches_of_the_fetch_size() {
    let mut client = RawClient::connect(&start_server()).expect("connects");
    assert_eq!(client.stream_rows(2_500).expect("streams"), 2_500);
    assert_eq!(client.stream_rows(1).expect("streams"), 1);
    assert_eq!(client.stream_graph(1_001).expect("streams"), 1_001);
}

#[test]
fn answers_queries_and_transactions_on_one_connection() {
    let mut client = RawClient::connect(&start_server()).expect("connects");
    assert_eq!(client.return_one(3).expect("queries"), 3);
    assert_eq!(client.write_transactions(3).expect("transactions"), 3);
    assert_eq!(client.return_one(1).expect("queries"), 1);
}

#[test]
fn bulk_writes_are_counted_and_checked_map_by_map() {
    let mut client = RawClient::connect(&start_server()).expect("connects");
    let rows = harness::workload::W6_ROWS_PER_QUERY as i64;
    let request = RawClient::bulk_request();
    assert_eq!(client.bulk_writes(&request, 2).expect("writes"), 2 * rows);
    assert!(RawClient::bulk_message_size() > 500_000);
}

#[test]
fn rows_hold_the_documented_values() {
    let rows = RowSet::encode(RowKind::Flat, 3, Dialect::V5);
    assert_eq!(rows.len(), 3);
    let second = rows.slice(1, 2);
    // Chunk header, RECORD of a 4-list, the int 2, then the 16-byte name
    // (STRING_8 marker and length).
    assert_eq!(&second[2..8], &[0xB1, 0x71, 0x94, 0x02, 0xD0, 0x10]);
    let name = harness::workload::row_name(2);
    assert_eq!(&second[8..24], name.as_bytes());
}

#[test]
fn graph_rows_hold_a_node_and_a_relationship_in_each_dialect() {
    for dialect in [Dialect::V5, Dialect::V4_4] {
        let rows = RowSet::encode(RowKind::Graph, 2, dialect);
        let second = rows.slice(1, 2);
        // Chunk header, then the RECORD structure and its list of fields.
        let mut unpacker = Unpacker::new(&second[2..], dialect);
        assert_eq!(unpacker.read_struct_header().unwrap(), (0x71, 1));
        let fields = unpacker.read_value().unwrap();
        let (node, relationship) = harness::server::graph_row(2);
        let mut expected = vec![
            Value::Node(Box::new(node)),
            Value::Relationship(Box::new(relationship)),
        ];
        if !dialect.element_ids {
            for value in &mut expected {
                match value {
                    Value::Node(node) => node.element_id = node.id.to_string(),
                    Value::Relationship(r) => {
                        r.element_id = r.id.to_string();
                        r.start_node_element_id = r.start_node_id.to_string();
                        r.end_node_element_id = r.end_node_id.to_string();
                    }
                    _ => {}
                }
            }
        }
        assert_eq!(fields, Value::List(expected));
        let person = harness::workload::person(2);
        let Value::List(items) = &fields else {
            unreachable!()
        };
        let Value::Node(node) = &items[0] else {
            unreachable!()
        };
        assert_eq!(node.properties.len(), 8);
        assert_eq!(
            node.properties["email"].as_str(),
            Some(person.email.as_str())
        );
    }
}
