//! The query corpora: every query in `corpus/*.cypher` is accepted, and
//! every query in `corpus/reject.txt` fails at the recorded position with
//! the recorded message.

use std::path::Path;

/// Blank-line-separated entries with `#` comment lines removed (they are
/// file comments, not Cypher).
fn entries(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|entry| {
            entry
                .lines()
                .filter(|line| !line.starts_with('#') || line.starts_with("#@"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|entry| !entry.trim().is_empty())
        .collect()
}

fn accept_corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cypher"))
        .collect();
    files.sort();
    let mut all = Vec::new();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for entry in entries(&std::fs::read_to_string(&file).unwrap()) {
            all.push((name.clone(), entry));
        }
    }
    all
}

#[test]
fn every_corpus_query_is_accepted() {
    let corpus = accept_corpus();
    assert!(
        corpus.len() >= 150,
        "corpus has only {} queries",
        corpus.len()
    );
    let failures: Vec<String> = corpus
        .iter()
        .filter_map(|(file, query)| {
            neo_cypher::parse(query)
                .err()
                .map(|e| format!("{file}:\n{}\n", e.render(query)))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} rejected:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_corpus_covers_the_required_constructs() {
    let all: String = accept_corpus().into_iter().map(|(_, q)| q + "\n").collect();
    for construct in [
        "IN TRANSACTIONS OF",
        "EXISTS {",
        "COUNT {",
        "COLLECT {",
        "{.name",
        "[(a)-",
        "[x IN",
        ":A&B",
        ":A|B",
        ":!A",
        ":%",
        ":$($label)",
        "){1,3}",
        ")+(",
        ")*(",
        "shortestPath(",
        "SHORTEST 2",
        "FOREACH",
        "LOAD CSV WITH HEADERS",
        "FIELDTERMINATOR",
        "USE neo4j",
        "NULLS LAST",
        "UNION ALL",
        "SHOW DATABASES",
        "SHOW INDEXES YIELD",
        "SHOW PROCEDURES",
        "SHOW TRANSACTIONS",
        "IF NOT EXISTS FOR (n:Person) ON (n.name)",
        "IS UNIQUE",
        "IS NOT NULL",
        "IS :: INTEGER",
        "IS NODE KEY",
        "DROP INDEX",
        "DROP CONSTRAINT",
        "CREATE DATABASE",
        "DROP DATABASE",
        "ALTER DATABASE",
        "YIELD label",
        "CASE n.status WHEN",
        "CASE WHEN",
        "$0",
        "`weird name`",
        "\\'",
        "//",
        "/*",
        "0x1F",
        "0o17",
        "1e10",
        "1_000_000",
        "STARTS WITH",
        "=~",
        " XOR ",
        "[1..3]",
        "count(DISTINCT",
        "count(*)",
        "reduce(",
        "all(x IN",
        "any(y IN",
        "none(x IN",
        "single(x IN",
        "ON CREATE SET",
        "ON MATCH SET",
        "SET n += $props",
        "SET n:Active",
        "REMOVE",
        "DETACH DELETE",
        "OPTIONAL MATCH",
        "WITH n WHERE",
        "UNWIND",
        "RETURN *",
        "LIMIT $limit",
        "SKIP",
        "OFFSET",
        "FINISH",
        "FILTER",
        "LET ",
        "EXPLAIN",
        "PROFILE",
        "CYPHER 5",
    ] {
        assert!(
            all.contains(construct),
            "no corpus query contains {construct:?}"
        );
    }
}

#[test]
fn every_rejected_query_fails_at_the_recorded_position() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/reject.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let cases = entries(&text);
    assert!(
        cases.len() >= 30,
        "reject corpus has only {} queries",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let (query, spec) = case
            .rsplit_once("\n#@ ")
            .expect("each reject entry ends with `#@ line:col message`");
        let (position, message) = spec.split_once(' ').unwrap_or((spec, ""));
        let (line, column) = position.split_once(':').unwrap();
        let expected = (
            line.parse::<usize>().unwrap(),
            column.parse::<usize>().unwrap(),
        );
        match neo_cypher::parse(query) {
            Ok(_) => failures.push(format!("accepted: {query}")),
            Err(error) => {
                if (error.line, error.column) != expected || !error.message.contains(message) {
                    failures.push(format!(
                        "{query}\n  want {}:{} {message:?}\n  got  {}:{} {:?}",
                        expected.0, expected.1, error.line, error.column, error.message
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
