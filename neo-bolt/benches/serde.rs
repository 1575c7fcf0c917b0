//! Serde benchmark: RECORD messages decoded into and encoded from a struct.
//!
//! Run with `cargo bench -p neo-bolt --bench serde [-- FILTER]`. Prints the
//! median nanoseconds per record over seven runs of one million records, for
//! every case whose name contains FILTER (all cases without one).

use std::hint::black_box;
use std::time::Instant;

use neo_bolt::packstream::{Deserializer, Dialect, Packer, Serializer, Unpacker};
use serde::{Deserialize, Serialize};

const RECORDS: usize = 1_000_000;
const RUNS: usize = 7;
const RECORD: u8 = 0x71;

/// A row borrowing its string from the message buffer.
#[derive(Deserialize, Serialize)]
struct Row<'a> {
    id: i64,
    name: &'a str,
    score: f64,
    active: bool,
}

/// The same row, owning its string.
#[derive(Deserialize)]
struct OwnedRow {
    id: i64,
    name: String,
    score: f64,
    active: bool,
}

/// Ids of every integer width: tiny, 8, 16, 32 and 64 bits.
fn id(i: usize) -> i64 {
    let i = i as i64;
    match i % 5 {
        0 => i % 100,
        1 => -17 - i % 100,
        2 => 1_000 + i % 30_000,
        3 => 100_000 + i,
        _ => (1 << 40) + i,
    }
}

fn name(i: usize) -> String {
    format!("user-{i:011}")
}

fn build_records() -> Vec<u8> {
    let mut out = Vec::with_capacity(RECORDS * 40);
    let mut packer = Packer::new(&mut out, Dialect::LATEST);
    for i in 0..RECORDS {
        packer.write_struct_header(RECORD, 1).unwrap();
        packer.write_list_header(4).unwrap();
        packer.write_int(id(i));
        packer.write_str(&name(i)).unwrap();
        packer.write_float(i as f64 * 0.25);
        packer.write_bool(i % 2 == 0);
    }
    out
}

/// Reads each RECORD's structure header with the unpacker, then the field
/// list as one `T` (a struct read by position).
fn decode<'de, T: Deserialize<'de>>(bytes: &'de [u8], mut check: impl FnMut(&T) -> i64) -> i64 {
    let mut unpacker = Unpacker::new(bytes, Dialect::LATEST);
    let mut sum = 0i64;
    while unpacker.remaining() > 0 {
        let (tag, fields) = unpacker.read_struct_header().unwrap();
        assert_eq!((tag, fields), (RECORD, 1));
        let row = T::deserialize(&mut Deserializer::new(&mut unpacker)).unwrap();
        sum = sum.wrapping_add(check(&row));
    }
    sum
}

/// Reads each RECORD's structure and list headers with the unpacker, then
/// the four fields as one `T`.
fn decode_items<'de, T: Deserialize<'de>>(
    bytes: &'de [u8],
    mut check: impl FnMut(&T) -> i64,
) -> i64 {
    let mut unpacker = Unpacker::new(bytes, Dialect::LATEST);
    let mut sum = 0i64;
    while unpacker.remaining() > 0 {
        let (tag, fields) = unpacker.read_struct_header().unwrap();
        assert_eq!((tag, fields), (RECORD, 1));
        let columns = unpacker.read_list_header().unwrap();
        let row: T = Deserializer::new(&mut unpacker)
            .deserialize_items(columns)
            .unwrap();
        sum = sum.wrapping_add(check(&row));
    }
    sum
}

fn decode_values(bytes: &[u8]) -> i64 {
    let mut unpacker = Unpacker::new(bytes, Dialect::LATEST);
    let mut sum = 0i64;
    while unpacker.remaining() > 0 {
        unpacker.read_struct_header().unwrap();
        let value = unpacker.read_value().unwrap();
        sum = sum.wrapping_add(value.as_list().map_or(0, |l| l.len() as i64));
    }
    sum
}

fn report(case: &str, ns_per_record: f64) {
    println!("{case:<48} {ns_per_record:6.1} ns/record");
}

fn selected(case: &str) -> bool {
    std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .is_none_or(|filter| case.contains(&filter))
}

fn median_ns_per_record(mut run: impl FnMut() -> i64) -> f64 {
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            black_box(run());
            start.elapsed().as_nanos() as f64 / RECORDS as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[RUNS / 2]
}

fn main() {
    let bytes = build_records();
    println!(
        "{RECORDS} RECORD messages, {} bytes; median of {RUNS} runs",
        bytes.len()
    );

    if selected("decode-borrowed") {
        let borrowed = median_ns_per_record(|| {
            decode::<Row<'_>>(black_box(&bytes), |r| {
                r.id ^ r.name.len() as i64 ^ r.score as i64 ^ i64::from(r.active)
            })
        });
        report("decode into Row<'_> (borrowed &str)", borrowed);
    }

    if selected("decode-items") {
        let items = median_ns_per_record(|| {
            decode_items::<Row<'_>>(black_box(&bytes), |r| {
                r.id ^ r.name.len() as i64 ^ r.score as i64 ^ i64::from(r.active)
            })
        });
        report("decode into Row<'_>, list header read first", items);
    }

    if selected("decode-owned") {
        let owned = median_ns_per_record(|| {
            decode::<OwnedRow>(black_box(&bytes), |r| {
                r.id ^ r.name.len() as i64 ^ r.score as i64 ^ i64::from(r.active)
            })
        });
        report("decode into OwnedRow (String)", owned);
    }

    if selected("decode-value") {
        let values = median_ns_per_record(|| decode_values(black_box(&bytes)));
        report("decode into Value (reference)", values);
    }

    let names: Vec<String> = (0..RECORDS).map(name).collect();
    let rows: Vec<Row<'_>> = names
        .iter()
        .enumerate()
        .map(|(i, name)| Row {
            id: id(i),
            name,
            score: i as f64 * 0.25,
            active: i % 2 == 0,
        })
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 2);

    if selected("serialize-tuple") {
        let as_list = median_ns_per_record(|| {
            out.clear();
            let mut packer = Packer::new(&mut out, Dialect::LATEST);
            for row in &rows {
                packer.write_struct_header(RECORD, 1).unwrap();
                (row.id, row.name, row.score, row.active)
                    .serialize(&mut Serializer::new(&mut packer))
                    .unwrap();
            }
            out.len() as i64
        });
        assert_eq!(out, bytes, "the tuple form is the RECORD form");
        report("serialize (id, name, score, active)", as_list);
    }

    if selected("serialize-struct") {
        let as_map = median_ns_per_record(|| {
            out.clear();
            let mut packer = Packer::new(&mut out, Dialect::LATEST);
            for row in &rows {
                packer.write_struct_header(RECORD, 1).unwrap();
                row.serialize(&mut Serializer::new(&mut packer)).unwrap();
            }
            out.len() as i64
        });
        report("serialize Row (map of field names)", as_map);
    }
}
