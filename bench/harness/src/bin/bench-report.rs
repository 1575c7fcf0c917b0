//! Reads `RESULT` lines (stdin) and prints the table of medians and ratios
//! with the status of each bar, as Markdown.

use std::collections::BTreeMap;
use std::io::BufRead;

const CLIENTS: [&str; 4] = ["ours", "neo4j", "neo4rs", "raw"];

#[derive(Debug, Default)]
struct Runs {
    secs: Vec<f64>,
    rss_kib: Vec<f64>,
}

fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    })
}

fn main() {
    let mut runs: BTreeMap<(String, String), Runs> = BTreeMap::new();
    let mut units: BTreeMap<String, f64> = BTreeMap::new();
    let mut bad = 0;
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let Some(rest) = line.strip_prefix("RESULT ") else {
            continue;
        };
        let fields: BTreeMap<&str, &str> = rest
            .split_whitespace()
            .filter_map(|f| f.split_once('='))
            .collect();
        let (Some(client), Some(workload)) = (fields.get("client"), fields.get("workload")) else {
            continue;
        };
        let number = |key: &str| fields.get(key).and_then(|v| v.parse::<f64>().ok());
        let (Some(secs), Some(rss), Some(n), Some(check)) = (
            number("secs"),
            number("rss_kib"),
            number("units"),
            fields.get("check").and_then(|v| v.parse::<i64>().ok()),
        ) else {
            continue;
        };
        let expected = workload
            .parse::<harness::workload::Workload>()
            .map(harness::report::expected_check);
        if expected != Ok(check) {
            bad += 1;
            eprintln!("wrong check in: {line}");
            continue;
        }
        units.insert((*workload).to_owned(), n);
        let entry = runs
            .entry(((*workload).to_owned(), (*client).to_owned()))
            .or_default();
        entry.secs.push(secs);
        entry.rss_kib.push(rss);
    }
    let secs = |w: &str, c: &str| {
        runs.get(&(w.to_owned(), c.to_owned()))
            .and_then(|r| median(&r.secs))
    };
    let rss = |w: &str, c: &str| {
        runs.get(&(w.to_owned(), c.to_owned()))
            .and_then(|r| median(&r.rss_kib))
    };
    let reps = runs.values().map(|r| r.secs.len()).min().unwrap_or(0);
    println!("Medians of {reps} alternating runs per client and workload.\n");
    println!(
        "| workload | metric | ours (neo-runtime) | neo4j 0.2 | neo4rs 0.9 | raw floor | ours vs neo4j | ours vs neo4rs | ours vs floor |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    let rows: [(&str, &str, bool); 5] = [
        ("w1", "rows/s", true),
        ("w1-small", "rows/s", true),
        ("w2", "µs/query", false),
        ("w3", "µs/tx", false),
        ("w4", "tx/s", true),
    ];
    for (workload, metric, rate) in rows {
        let n = units.get(workload).copied().unwrap_or(0.0);
        let value = |c: &str| secs(workload, c).map(|s| if rate { n / s } else { s / n * 1e6 });
        let cell = |c: &str| match value(c) {
            Some(v) if rate => format!("{:.0}", v),
            Some(v) => format!("{v:.1}"),
            None => "–".to_owned(),
        };
        // Speed-up of ours: >1 means ours is faster.
        let speedup = |c: &str| match (secs(workload, "ours"), secs(workload, c)) {
            (Some(ours), Some(other)) => format!("{:.2}x faster", other / ours),
            _ => "–".to_owned(),
        };
        let floor = match (secs(workload, "ours"), secs(workload, "raw")) {
            (Some(ours), Some(raw)) => format!("{:.2}x the floor's time", ours / raw),
            _ => "–".to_owned(),
        };
        println!(
            "| {workload} | {metric} | {} | {} | {} | {} | {} | {} | {floor} |",
            cell("ours"),
            cell("neo4j"),
            cell("neo4rs"),
            cell("raw"),
            speedup("neo4j"),
            speedup("neo4rs"),
        );
    }
    println!("\nPeak resident memory (MiB, median):\n");
    println!("| workload | ours | neo4j | neo4rs | raw floor |");
    println!("|---|---:|---:|---:|---:|");
    for workload in ["w1", "w1-small", "w2", "w3", "w4"] {
        let cell =
            |c: &str| rss(workload, c).map_or("–".to_owned(), |k| format!("{:.1}", k / 1024.0));
        println!(
            "| {workload} | {} | {} | {} | {} |",
            cell("ours"),
            cell("neo4j"),
            cell("neo4rs"),
            cell("raw")
        );
    }
    println!("\nBars:\n");
    let faster_peer = |w: &str| {
        ["neo4j", "neo4rs"]
            .iter()
            .filter_map(|c| secs(w, c))
            .fold(f64::INFINITY, f64::min)
    };
    let status = |ok: bool| if ok { "met" } else { "MISSED" };
    if let Some(ours) = secs("w1", "ours") {
        let rate = units.get("w1").copied().unwrap_or(0.0) / ours;
        let lead = faster_peer("w1") / ours;
        println!(
            "- W1 >= 10M rows/s and >= 6x the faster peer: {:.2}M rows/s, {lead:.2}x: {}",
            rate / 1e6,
            status(rate >= 10e6 && lead >= 6.0)
        );
    }
    if let (Some(ours), Some(raw)) = (secs("w2", "ours"), secs("w2", "raw")) {
        let ratio = ours / raw;
        println!(
            "- W2 <= 1.15x the floor: {ratio:.3}x: {}",
            status(ratio <= 1.15)
        );
    }
    if let (Some(ours), Some(raw)) = (secs("w3", "ours"), secs("w3", "raw")) {
        let ratio = ours / raw;
        println!(
            "- W3 <= 0.8x the three-round-trip raw client: {ratio:.3}x: {}",
            status(ratio <= 0.8)
        );
    }
    if let Some(ours) = secs("w4", "ours") {
        let lead = faster_peer("w4") / ours;
        println!(
            "- W4 throughput >= the faster peer: {lead:.2}x: {}",
            status(lead >= 1.0)
        );
    }
    if let (Some(big), Some(small)) = (rss("w1", "ours"), rss("w1-small", "ours")) {
        let ratio = big / small;
        println!(
            "- Peak RSS streaming 1,000,000 rows <= 2x streaming 10,000: {ratio:.2}x: {}",
            status(ratio <= 2.0)
        );
    }
    for client in CLIENTS {
        let missing: Vec<&str> = ["w1", "w1-small", "w2", "w3", "w4"]
            .into_iter()
            .filter(|w| secs(w, client).is_none())
            .collect();
        if !missing.is_empty() {
            println!("- no result for {client} in {}", missing.join(", "));
        }
    }
    if bad > 0 {
        println!("- {bad} run(s) reported a wrong check value and were left out");
    }
}
