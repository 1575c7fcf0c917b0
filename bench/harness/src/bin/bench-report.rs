//! Reads `RESULT` lines (stdin) and prints the tables of medians and
//! ratios with the status of each bar, as Markdown.

use std::collections::BTreeMap;
use std::io::BufRead;

use harness::workload::Workload;

const CLIENTS: [&str; 4] = ["ours", "neo4j", "neo4rs", "raw"];
const PEERS: [&str; 2] = ["neo4j", "neo4rs"];

#[derive(Debug, Default)]
struct Runs {
    secs: Vec<f64>,
    rss_kib: Vec<f64>,
    rss_before_kib: Vec<f64>,
    allocs: Vec<f64>,
    p99_us: Vec<f64>,
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

struct Table {
    runs: BTreeMap<(Workload, &'static str), Runs>,
}

impl Table {
    fn get(&self, w: Workload, c: &str) -> Option<&Runs> {
        let client = CLIENTS.iter().find(|x| **x == c)?;
        self.runs.get(&(w, *client))
    }

    fn secs(&self, w: Workload, c: &str) -> Option<f64> {
        median(&self.get(w, c)?.secs)
    }

    fn rss_kib(&self, w: Workload, c: &str) -> Option<f64> {
        median(&self.get(w, c)?.rss_kib)
    }

    fn rss_growth_kib(&self, w: Workload, c: &str) -> Option<f64> {
        let runs = self.get(w, c)?;
        let growth: Vec<f64> = runs
            .rss_kib
            .iter()
            .zip(&runs.rss_before_kib)
            .map(|(peak, before)| peak - before)
            .collect();
        median(&growth)
    }

    fn allocs_per_unit(&self, w: Workload, c: &str) -> Option<f64> {
        median(&self.get(w, c)?.allocs).map(|a| a / w.units() as f64)
    }

    fn p99_us(&self, w: Workload, c: &str) -> Option<f64> {
        median(&self.get(w, c)?.p99_us)
    }

    /// The floor's run for `w`: its base workload's for a variant only
    /// ours runs.
    fn floor_secs(&self, w: Workload) -> Option<f64> {
        self.secs(w.base(), "raw")
    }

    /// The time of the faster peer, and which it is.
    fn faster_peer(&self, w: Workload) -> Option<(f64, &'static str)> {
        PEERS
            .iter()
            .filter_map(|c| self.secs(w.base(), c).map(|s| (s, *c)))
            .min_by(|a, b| a.0.total_cmp(&b.0))
    }
}

/// Whether a workload is reported as a rate (higher is better) or a
/// latency, and its metric's name.
fn metric(w: Workload) -> (&'static str, bool) {
    match w {
        Workload::W1
        | Workload::W1Borrowed
        | Workload::W1Values
        | Workload::W1Small
        | Workload::W5 => ("rows/s", true),
        Workload::W2 => ("µs/query", false),
        Workload::W3 | Workload::W3Pipelined => ("µs/tx", false),
        Workload::W4 => ("tx/s", true),
        Workload::W6 => ("ms/query", false),
        Workload::W7 | Workload::W7Pipelined => ("ops/s", true),
    }
}

fn value(table: &Table, w: Workload, c: &str) -> Option<f64> {
    let secs = table.secs(w, c)?;
    let n = w.units() as f64;
    Some(match w {
        Workload::W6 => secs / n * 1e3,
        _ if metric(w).1 => n / secs,
        _ => secs / n * 1e6,
    })
}

fn format_value(w: Workload, v: f64) -> String {
    if metric(w).1 {
        if v >= 1e6 {
            format!("{:.2} M", v / 1e6)
        } else {
            format!("{v:.0}")
        }
    } else {
        format!("{v:.1}")
    }
}

fn status(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

fn main() {
    let mut table = Table {
        runs: BTreeMap::new(),
    };
    let mut bad = 0;
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let Some(rest) = line.strip_prefix("RESULT ") else {
            continue;
        };
        let fields: BTreeMap<&str, &str> = rest
            .split_whitespace()
            .filter_map(|f| f.split_once('='))
            .collect();
        let (Some(client), Some(workload)) = (
            fields
                .get("client")
                .and_then(|c| CLIENTS.iter().find(|x| *x == c)),
            fields
                .get("workload")
                .and_then(|w| w.parse::<Workload>().ok()),
        ) else {
            continue;
        };
        let number = |key: &str| fields.get(key).and_then(|v| v.parse::<f64>().ok());
        let (Some(secs), Some(rss), Some(check)) = (
            number("secs"),
            number("rss_kib"),
            fields.get("check").and_then(|v| v.parse::<i64>().ok()),
        ) else {
            continue;
        };
        if harness::report::expected_check(workload) != check {
            bad += 1;
            eprintln!("wrong check in: {line}");
            continue;
        }
        let entry = table.runs.entry((workload, client)).or_default();
        entry.secs.push(secs);
        entry.rss_kib.push(rss);
        entry
            .rss_before_kib
            .push(number("rss_before_kib").unwrap_or(0.0));
        entry.allocs.push(number("allocs").unwrap_or(0.0));
        if let Some(p99) = number("p99_us") {
            entry.p99_us.push(p99);
        }
    }
    let reps = table.runs.values().map(|r| r.secs.len()).min().unwrap_or(0);
    println!("Medians of {reps} alternating runs per client and workload.\n");
    println!(
        "| workload | metric | ours (neo-runtime) | neo4j 0.2 | neo4rs 0.9 | raw floor | ours vs neo4j | ours vs neo4rs | ours vs floor |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    let present: Vec<Workload> = Workload::ALL
        .into_iter()
        .filter(|w| CLIENTS.iter().any(|c| table.secs(*w, c).is_some()))
        .collect();
    for &w in &present {
        // A variant only ours runs shows its base workload's other clients,
        // in parentheses, and is compared with them.
        let cell = |c: &str| {
            let of = if c == "ours" { w } else { w.base() };
            value(&table, of, c).map_or("–".to_owned(), |v| {
                if of == w {
                    format_value(w, v)
                } else {
                    format!("({})", format_value(w, v))
                }
            })
        };
        let raw = cell("raw");
        // Speed-up of ours: >1 means ours is faster.
        let speedup = |c: &str| match (table.secs(w, "ours"), table.secs(w.base(), c)) {
            (Some(ours), Some(other)) => format!("{:.2}x faster", other / ours),
            _ => "–".to_owned(),
        };
        let floor = match (table.secs(w, "ours"), table.floor_secs(w)) {
            (Some(ours), Some(raw)) => format!("{:.2}x the floor's time", ours / raw),
            _ => "–".to_owned(),
        };
        println!(
            "| {} | {} | {} | {} | {} | {raw} | {} | {} | {floor} |",
            w.name(),
            metric(w).0,
            cell("ours"),
            cell("neo4j"),
            cell("neo4rs"),
            speedup("neo4j"),
            speedup("neo4rs"),
        );
    }

    println!("\nMemory: peak resident set (MiB, median) and allocations per unit (median):\n");
    println!(
        "| workload | unit | ours RSS | neo4j RSS | neo4rs RSS | raw RSS | ours allocs | neo4j allocs | neo4rs allocs | raw allocs |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &w in &present {
        let rss = |c: &str| {
            table
                .rss_kib(w, c)
                .map_or("–".to_owned(), |k| format!("{:.1}", k / 1024.0))
        };
        let allocs = |c: &str| {
            table
                .allocs_per_unit(w, c)
                .map_or("–".to_owned(), |a| format!("{a:.2}"))
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            w.name(),
            w.unit(),
            rss("ours"),
            rss("neo4j"),
            rss("neo4rs"),
            rss("raw"),
            allocs("ours"),
            allocs("neo4j"),
            allocs("neo4rs"),
            allocs("raw"),
        );
    }

    if present.contains(&Workload::W7) || present.contains(&Workload::W7Pipelined) {
        println!("\nW7 latency per operation, 99th percentile (µs, median of the runs):\n");
        println!("| ours | ours, BEGIN pipelined | neo4j | neo4rs | raw floor |");
        println!("|---:|---:|---:|---:|---:|");
        let p99 = |w: Workload, c: &str| {
            table
                .p99_us(w, c)
                .map_or("–".to_owned(), |p| format!("{p:.0}"))
        };
        println!(
            "| {} | {} | {} | {} | {} |",
            p99(Workload::W7, "ours"),
            p99(Workload::W7Pipelined, "ours"),
            p99(Workload::W7, "neo4j"),
            p99(Workload::W7, "neo4rs"),
            p99(Workload::W7, "raw")
        );
    }

    println!("\nBars:\n");
    let rate = |w: Workload| table.secs(w, "ours").map(|s| w.units() as f64 / s);
    if let Some(owned) = rate(Workload::W1) {
        let borrowed = rate(Workload::W1Borrowed)
            .map_or("–".to_owned(), |r| format!("{:.2}M rows/s", r / 1e6));
        println!(
            "- W1 typed, owned rows >= 25M rows/s: {:.2}M rows/s (borrowed rows: {borrowed}): {}",
            owned / 1e6,
            status(owned >= 25e6)
        );
    }
    if let Some(values) = rate(Workload::W1Values) {
        println!(
            "- W1 through values() >= 10M rows/s: {:.2}M rows/s: {}",
            values / 1e6,
            status(values >= 10e6)
        );
    }
    let floor_ratio = |w: Workload| Some(table.secs(w, "ours")? / table.floor_secs(w)?);
    if let Some(ratio) = floor_ratio(Workload::W2) {
        println!(
            "- W2 <= 1.10x the raw floor: {ratio:.3}x: {}",
            status(ratio <= 1.10)
        );
    }
    for (w, how) in [
        (Workload::W3, "BEGIN answered first, the default"),
        (Workload::W3Pipelined, "BEGIN pipelined"),
    ] {
        if let Some(ratio) = floor_ratio(w) {
            println!(
                "- W3 <= 0.72x the three-round-trip raw client ({how}): {ratio:.3}x: {}",
                status(ratio <= 0.72)
            );
        }
    }
    if let (Some(ours), Some((peer, name))) = (
        table.secs(Workload::W4, "ours"),
        table.faster_peer(Workload::W4),
    ) {
        let lead = peer / ours;
        println!(
            "- W4 throughput >= the faster peer ({name}): {lead:.2}x: {}",
            status(lead >= 1.0)
        );
    }
    for (w, bar) in [(Workload::W5, 8.0), (Workload::W6, 5.0)] {
        if let (Some(ours), Some((peer, name))) = (table.secs(w, "ours"), table.faster_peer(w)) {
            let lead = peer / ours;
            println!(
                "- {} >= {bar}x the faster peer ({name}): {lead:.2}x: {}",
                w.name().to_uppercase(),
                status(lead >= bar)
            );
        }
    }
    for (w, how) in [
        (Workload::W7, "BEGIN answered first, the default"),
        (Workload::W7Pipelined, "BEGIN pipelined"),
    ] {
        let (Some(ours), Some((peer, name))) = (table.secs(w, "ours"), table.faster_peer(w)) else {
            continue;
        };
        let lead = peer / ours;
        let ours_p99 = table.p99_us(w, "ours");
        let peer_p99 = table.p99_us(Workload::W7, name);
        let lower = matches!((ours_p99, peer_p99), (Some(a), Some(b)) if a < b);
        println!(
            "- W7 >= 2x the faster peer's ({name}) throughput with a lower p99 ({how}): {lead:.2}x, p99 {} µs vs {} µs: {}",
            ours_p99.map_or("–".to_owned(), |p| format!("{p:.0}")),
            peer_p99.map_or("–".to_owned(), |p| format!("{p:.0}")),
            status(lead >= 2.0 && lower)
        );
    }
    if let (Some(big), Some(small)) = (
        table.rss_kib(Workload::W1, "ours"),
        table.rss_kib(Workload::W1Small, "ours"),
    ) {
        let ratio = big / small;
        println!(
            "- W1 peak RSS at 1,000,000 rows within 2x of 10,000 rows: {ratio:.2}x ({:.1} MiB vs {:.1} MiB): {}",
            big / 1024.0,
            small / 1024.0,
            status(ratio <= 2.0)
        );
    }
    if let Some(peak) = table.rss_kib(Workload::W6, "ours") {
        let message = harness::raw::RawClient::bulk_message_size() as f64 / 1024.0;
        let growth = table.rss_growth_kib(Workload::W6, "ours").unwrap_or(0.0);
        println!(
            "- W6 peak RSS below 3x the largest message ({:.2} MiB): peak {:.1} MiB = {:.1}x; growth during the queries {:.2} MiB = {:.2}x: {} for the peak, {} for the growth",
            message / 1024.0,
            peak / 1024.0,
            peak / message,
            growth / 1024.0,
            growth / message,
            status(peak < 3.0 * message),
            status(growth < 3.0 * message),
        );
    }
    for client in CLIENTS {
        let missing: Vec<&str> = Workload::ALL
            .into_iter()
            .filter(|w| present.contains(w) && table.secs(*w, client).is_none())
            .filter(|w| {
                // The variants only ours runs.
                client == "ours" || !w.ours_only()
            })
            .map(Workload::name)
            .collect();
        if !missing.is_empty() {
            println!("- no result for {client} in {}", missing.join(", "));
        }
    }
    if bad > 0 {
        println!("- {bad} run(s) reported a wrong check value and were left out");
    }
}
