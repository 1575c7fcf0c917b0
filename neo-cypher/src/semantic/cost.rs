//! What the semantic pass costs next to parsing, over the test corpus.
//!
//! `cargo test -p neo-cypher --lib semantic::cost -- --nocapture` (debug,
//! as inside rustc) or with `--release`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crate::parser::{self, Limits};

const CORPUS: [&str; 4] = [
    include_str!("../../tests/corpus/read.cypher"),
    include_str!("../../tests/corpus/write.cypher"),
    include_str!("../../tests/corpus/admin.cypher"),
    include_str!("../../tests/corpus/idioms.cypher"),
];

fn corpus() -> Vec<String> {
    let mut queries = Vec::new();
    for file in CORPUS {
        for entry in file.split("\n\n") {
            let query: Vec<&str> = entry.lines().filter(|l| !l.starts_with('#')).collect();
            if !query.is_empty() {
                queries.push(query.join("\n"));
            }
        }
    }
    queries
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Parsing alone and parsing followed by the semantic pass, alternately,
/// over the whole corpus; medians of the rounds, per query.
#[test]
fn the_semantic_pass_costs_microseconds_per_query() {
    let queries = corpus();
    assert!(queries.len() >= 300, "{} queries", queries.len());
    let parsed: Vec<_> = queries
        .iter()
        .map(|q| parser::parse(q, Limits::SHALLOW).ok().unwrap())
        .collect();
    let rounds = 15;
    let (mut parse_only, mut parse_and_check, mut check_only) = (vec![], vec![], vec![]);
    for _ in 0..rounds {
        let start = Instant::now();
        for text in &queries {
            black_box(parser::parse(black_box(text), Limits::SHALLOW).ok());
        }
        parse_only.push(start.elapsed());

        let start = Instant::now();
        for text in &queries {
            let query = parser::parse(black_box(text), Limits::SHALLOW)
                .ok()
                .unwrap();
            black_box(super::check(&query.statement, query.prefix.as_deref(), text).is_ok());
        }
        parse_and_check.push(start.elapsed());

        let start = Instant::now();
        for (query, text) in parsed.iter().zip(&queries) {
            assert!(
                super::check(black_box(&query.statement), None, text).is_ok(),
                "{text}"
            );
        }
        check_only.push(start.elapsed());
    }
    let per_query = |d: Duration| d.as_secs_f64() * 1e6 / queries.len() as f64;
    let (parse_only, parse_and_check, check_only) = (
        per_query(median(parse_only)),
        per_query(median(parse_and_check)),
        per_query(median(check_only)),
    );
    println!(
        "{} corpus queries, median of {rounds} rounds, per query: parse {parse_only:.1} µs, \
         parse + semantic pass {parse_and_check:.1} µs, semantic pass alone {check_only:.1} µs \
         ({:.0}% of parsing)",
        queries.len(),
        check_only / parse_only * 100.0
    );
    // A bound far above what is measured, to catch a pass that grows
    // quadratically, not to time the machine.
    assert!(check_only < 1000.0, "{check_only:.1} µs per query");
}
