//! Codec benchmark: decode and encode one million RECORD messages.
//!
//! Each record is `B1 71` followed by a four-item list
//! `[integer, 16-character string, float, boolean]`, with integers spread over
//! every width. Run with `cargo bench -p neo-bolt --bench codec`; it prints
//! the median nanoseconds per record over seven runs of each case
//! (`CODEC_BENCH_RECORDS` and `CODEC_BENCH_RUNS` override the counts, e.g.
//! for a run under a profiler).

use std::hint::black_box;
use std::time::Instant;

use neo_bolt::Value;
use neo_bolt::packstream::{Dialect, Packer, Unpacker};

const RECORDS: usize = 1_000_000;
const RUNS: usize = 7;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
const RECORD: u8 = 0x71;

/// The integer of record `i`: tiny, 8-, 16-, 32- and 64-bit in turn.
fn int_field(i: usize) -> i64 {
    let i = i as i64;
    match i % 5 {
        0 => i % 100,
        1 => -100 - i % 28,
        2 => 1_000 + i % 30_000,
        3 => 100_000 + i,
        _ => (1 << 40) + i,
    }
}

/// The 16-character string of record `i`.
fn string_field(i: usize, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    write!(out, "name-{i:011}").expect("writing to a String");
}

/// Every record, packed back to back into one buffer.
fn build_records(records: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(records * 40);
    let mut packer = Packer::new(&mut out, Dialect::LATEST);
    let mut s = String::new();
    for i in 0..records {
        string_field(i, &mut s);
        packer.write_struct_header(RECORD, 1).expect("header");
        packer.write_list_header(4).expect("list");
        packer.write_int(int_field(i));
        packer.write_str(&s).expect("string");
        packer.write_float(i as f64 * 0.5);
        packer.write_bool(i % 2 == 0);
    }
    out
}

/// Reads one RECORD's fields as a row.
#[inline]
fn read_row(unpacker: &mut Unpacker<'_>) -> Vec<Value> {
    let (tag, fields) = unpacker.read_struct_header().expect("record header");
    assert!(tag == RECORD && fields == 1, "not a RECORD");
    match unpacker.read_value().expect("record fields") {
        Value::List(row) => row,
        other => panic!("RECORD fields are a {}", other.type_name()),
    }
}

/// Writes one row as a RECORD.
#[inline]
fn write_row(packer: &mut Packer<&mut Vec<u8>>, row: &[Value]) {
    packer.write_struct_header(RECORD, 1).expect("header");
    packer.write_list_header(row.len()).expect("list");
    for field in row {
        packer.write_value(field).expect("field");
    }
}

fn median_ns_per_record(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn measure(name: &str, records: usize, runs: usize, mut run: impl FnMut()) -> f64 {
    let samples: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed().as_nanos() as f64 / records as f64
        })
        .collect();
    let median = median_ns_per_record(samples.clone());
    let runs: Vec<String> = samples.iter().map(|s| format!("{s:.1}")).collect();
    println!(
        "{name:<44} median {median:7.1} ns/record   runs [{}]",
        runs.join(", ")
    );
    median
}

fn main() {
    let records = env_or("CODEC_BENCH_RECORDS", RECORDS);
    let runs = env_or("CODEC_BENCH_RUNS", RUNS).max(1);
    let input = build_records(records);
    println!(
        "{records} RECORD messages, {} bytes ({:.1} bytes/record), median of {runs} runs",
        input.len(),
        input.len() as f64 / records as f64
    );

    // (a) Decode every record into a row of values, consuming each row.
    measure(
        "(a) decode rows (read_value per record)",
        records,
        runs,
        || {
            let mut unpacker = Unpacker::new(&input, Dialect::LATEST);
            let mut checksum = 0i64;
            while unpacker.remaining() > 0 {
                let row = black_box(read_row(&mut unpacker));
                if let Some(i) = row[0].as_i64() {
                    checksum = checksum.wrapping_add(i);
                }
            }
            black_box(checksum);
        },
    );

    // (a') The same, field by field instead of through the list value.
    measure(
        "(a') decode rows (read_value per field)",
        records,
        runs,
        || {
            let mut unpacker = Unpacker::new(&input, Dialect::LATEST);
            while unpacker.remaining() > 0 {
                let (tag, fields) = unpacker.read_struct_header().expect("record header");
                assert!(tag == RECORD && fields == 1, "not a RECORD");
                let len = unpacker.read_list_header().expect("fields");
                let mut row = Vec::with_capacity(unpacker.capacity_hint(len));
                for _ in 0..len {
                    row.push(unpacker.read_value().expect("field"));
                }
                black_box(row);
            }
        },
    );

    // (a'') Decode and keep every row in memory.
    let mut rows: Vec<Vec<Value>> = Vec::new();
    measure(
        "(a'') decode rows, keeping all of them",
        records,
        runs,
        || {
            rows = Vec::with_capacity(records);
            let mut unpacker = Unpacker::new(&input, Dialect::LATEST);
            while unpacker.remaining() > 0 {
                rows.push(read_row(&mut unpacker));
            }
        },
    );
    assert_eq!(rows.len(), records);

    // (c) Encode every row into a reused buffer.
    let mut out: Vec<u8> = Vec::new();
    measure(
        "(c) encode rows into a reused buffer",
        records,
        runs,
        || {
            out.clear();
            let mut packer = Packer::new(&mut out, Dialect::LATEST);
            for row in &rows {
                write_row(&mut packer, row);
            }
            black_box(&out);
        },
    );
    assert!(out == input, "the encoded records differ from the input");

    // (c') The same from a pool of 4096 rows that stays in cache: the
    // encoder's own cost, without reading 600 MB of decoded rows (each row
    // is four 144-byte values) from memory.
    let pool: Vec<Vec<Value>> = rows.iter().take(4096).cloned().collect();
    drop(rows);
    measure("(c') encode rows from a cached pool", records, runs, || {
        out.clear();
        let mut packer = Packer::new(&mut out, Dialect::LATEST);
        for row in pool.iter().cycle().take(records) {
            write_row(&mut packer, row);
        }
        black_box(&out);
    });
    assert_eq!(out[..pool.len() * 8], input[..pool.len() * 8]);
}
