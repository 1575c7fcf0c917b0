//! The openCypher TCK on the embedded engine: every scenario of
//! `tck/features` (outline rows counted one by one) runs on a fresh engine,
//! and the run prints passed, failed and skipped scenarios per feature
//! directory. Every scenario that runs must pass; a scenario is skipped
//! only for a reason stated in `tck_support`.
//!
//! `TCK_FILTER=substring` runs the scenarios whose feature or name contains
//! it; `TCK_VERBOSE=1` prints every failure and every skipped scenario.

mod tck_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tck_support::{Outcome, gherkin};

fn feature_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            feature_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "feature") {
            out.push(path);
        }
    }
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    skipped: usize,
}

#[test]
fn tck_scenarios_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tck");
    let features = root.join("features");
    let graphs = root.join("graphs");
    let mut files = Vec::new();
    feature_files(&features, &mut files);
    assert!(
        files.len() >= 200,
        "found only {} feature files under {}",
        files.len(),
        features.display()
    );
    let filter = std::env::var("TCK_FILTER").ok();
    let verbose = std::env::var("TCK_VERBOSE").is_ok();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut skip_reasons: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut skipped = Vec::new();
    for file in &files {
        let directory = file
            .parent()
            .and_then(|p| p.strip_prefix(&features).ok())
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let text = std::fs::read_to_string(file).unwrap();
        for scenario in gherkin::parse(&text) {
            if let Some(f) = &filter
                && !scenario.feature.contains(f.as_str())
                && !scenario.name.contains(f.as_str())
            {
                continue;
            }
            let tally = tallies.entry(directory.clone()).or_default();
            match tck_support::run(&scenario, &graphs) {
                Outcome::Passed => tally.passed += 1,
                Outcome::Skipped(reason) => {
                    tally.skipped += 1;
                    *skip_reasons.entry(reason).or_default() += 1;
                    skipped.push(format!(
                        "{} / {}: {reason}",
                        scenario.feature, scenario.name
                    ));
                }
                Outcome::Failed(why) => {
                    tally.failed += 1;
                    let query = scenario
                        .steps
                        .iter()
                        .filter(|s| s.text.starts_with("executing"))
                        .filter_map(|s| s.doc.clone())
                        .collect::<Vec<_>>()
                        .join("\n");
                    failures.push(format!(
                        "{} / {}\n{query}\n=> {why}",
                        scenario.feature, scenario.name
                    ));
                }
            }
        }
    }
    let mut total = Tally::default();
    println!(
        "{:<45} {:>7} {:>7} {:>8}",
        "directory", "passed", "failed", "skipped"
    );
    for (directory, tally) in &tallies {
        println!(
            "{directory:<45} {:>7} {:>7} {:>8}",
            tally.passed, tally.failed, tally.skipped
        );
        total.passed += tally.passed;
        total.failed += tally.failed;
        total.skipped += tally.skipped;
    }
    println!(
        "{:<45} {:>7} {:>7} {:>8}",
        "total", total.passed, total.failed, total.skipped
    );
    for (reason, n) in &skip_reasons {
        println!("skipped {n}: {reason}");
    }
    let shown = if verbose {
        failures.len()
    } else {
        failures.len().min(40)
    };
    if verbose {
        for line in &skipped {
            println!("SKIPPED {line}");
        }
    }
    for failure in &failures[..shown] {
        println!("\nFAILED {failure}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios that ran failed",
        failures.len(),
        total.passed + total.failed
    );
}
