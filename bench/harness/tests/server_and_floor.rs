//! The benchmark server answers the raw floor client's round trips.

use std::net::TcpListener;

use harness::raw::RawClient;

fn start_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = listener.local_addr().expect("bound").to_string();
    std::thread::spawn(move || harness::server::run(listener, &[]));
    address
}

#[test]
fn streams_every_row_in_batches_of_the_fetch_size() {
    let mut client = RawClient::connect(&start_server()).expect("connects");
    assert_eq!(client.stream_rows(2_500).expect("streams"), 2_500);
    assert_eq!(client.stream_rows(1).expect("streams"), 1);
}

#[test]
fn answers_queries_and_transactions_on_one_connection() {
    let mut client = RawClient::connect(&start_server()).expect("connects");
    assert_eq!(client.return_one(3).expect("queries"), 3);
    assert_eq!(client.write_transactions(3).expect("transactions"), 3);
    assert_eq!(client.return_one(1).expect("queries"), 1);
}

#[test]
fn rows_hold_the_documented_values() {
    let rows = harness::server::RowSet::encode(3);
    assert_eq!(rows.len(), 3);
    let second = rows.slice(1, 2);
    // Chunk header, RECORD of a 4-list, the int 2, then the 16-byte name
    // (STRING_8 marker and length).
    assert_eq!(&second[2..8], &[0xB1, 0x71, 0x94, 0x02, 0xD0, 0x10]);
    let name = harness::workload::row_name(2);
    assert_eq!(&second[8..24], name.as_bytes());
}
