//! Times parsing and analysing a module of 100 realistic queries (the first
//! 100 of the test corpus), the work a checked-query macro does per module.
//!
//! `cargo run -p neo-cypher --example module_timing` (debug, as inside
//! rustc) or with `--release`.

use std::hint::black_box;
use std::time::{Duration, Instant};

const CORPUS: [&str; 3] = [
    include_str!("../tests/corpus/read.cypher"),
    include_str!("../tests/corpus/write.cypher"),
    include_str!("../tests/corpus/admin.cypher"),
];

fn module() -> Vec<String> {
    let mut queries = Vec::new();
    for file in CORPUS {
        for entry in file.split("\n\n") {
            let query: Vec<&str> = entry.lines().filter(|l| !l.starts_with('#')).collect();
            if !query.is_empty() {
                queries.push(query.join("\n"));
            }
        }
    }
    // Take a mix: every other query until 100.
    let mut picked: Vec<String> = queries.iter().step_by(2).cloned().collect();
    picked.extend(queries.iter().skip(1).step_by(2).cloned());
    picked.truncate(100);
    picked
}

fn analyse_module(queries: &[String]) -> usize {
    let mut facts = 0;
    for text in queries {
        let Ok(query) = neo_cypher::parse(text) else {
            return usize::MAX;
        };
        facts += query.parameters().len();
        facts += query
            .returned_columns()
            .and_then(|c| c.names().map(|n| n.len()))
            .unwrap_or(0);
        facts += usize::from(query.is_read_only());
        facts +=
            query.labels().len() + query.relationship_types().len() + query.property_keys().len();
    }
    facts
}

fn main() {
    let queries = module();
    let bytes: usize = queries.iter().map(String::len).sum();
    assert_ne!(
        analyse_module(&queries),
        usize::MAX,
        "a module query failed to parse"
    );
    let rounds = 200;
    let mut best = Duration::MAX;
    let mut total = Duration::ZERO;
    for _ in 0..rounds {
        let start = Instant::now();
        black_box(analyse_module(black_box(&queries)));
        let elapsed = start.elapsed();
        best = best.min(elapsed);
        total += elapsed;
    }
    let mean = total / rounds;
    println!(
        "{} queries ({} bytes): mean {:.3} ms per module, best {:.3} ms, mean {:.1} µs per query",
        queries.len(),
        bytes,
        mean.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3,
        mean.as_secs_f64() * 1e6 / queries.len() as f64
    );
}
