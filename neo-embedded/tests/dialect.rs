//! Dialect coverage: every query of neo-cypher's accept corpus
//! (`neo-cypher/tests/corpus/*.cypher`) runs on the engine, over a small
//! seeded graph with the parameters it needs, or is refused with a precise
//! error naming what is not available. At least 90% of the queries that
//! are not administration (users, roles, privileges, servers, aliases,
//! database management) must run; the test prints, by construct, what
//! does not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use neo_bolt::Value;
use neo_bolt::packstream::Map;
use neo_cypher::ast::{ClauseKind, CommandKind, Statement};
use neo_embedded::engine::{AccessMode, BatchEnd, EngineError, GraphEngine, MarsEngine, codes};

/// The corpus entries: blank-line separated, `#` comment lines removed
/// (the same reading as neo-cypher's corpus test).
fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../neo-cypher/tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "cypher"))
        .collect();
    files.sort();
    let mut all = Vec::new();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        for entry in text.split("\n\n") {
            let query = entry
                .lines()
                .filter(|line| !line.starts_with('#') || line.starts_with("#@"))
                .collect::<Vec<_>>()
                .join("\n");
            if !query.trim().is_empty() {
                all.push((name.clone(), query));
            }
        }
    }
    all
}

/// The graph every query runs over (on a fresh engine each time, so that
/// the writes of one query do not change what the next one sees).
const SEED: &[&str] = &[
    "CREATE INDEX person_name_seed FOR (n:Person) ON (n.name)",
    "CREATE FULLTEXT INDEX titles FOR (n:Movie|Book) ON EACH [n.title, n.description]",
    "CREATE VECTOR INDEX idx FOR (d:Doc) ON (d.embedding)
     OPTIONS {indexConfig: {`vector.dimensions`: 3, `vector.similarity_function`: 'cosine'}}",
    "CREATE (alice:Person:Employee {id: 1, name: 'Alice', surname: 'Smith', age: 34,
             email: 'alice@example.com', city: 'Berlin', score: 3.5, scores: [1, 2],
             tags: ['a'], list: [1, 2, 3], vip: true, status: 'A', a: 1, b: 2,
             active: true, count: 1, createdAt: datetime('2024-01-01T00:00:00Z'),
             since: date('2020-01-01'), location: point({x: 1.0, y: 2.0})}),
            (bob:Person {id: 2, name: 'Bob', age: 28, email: 'bob@example.com',
             city: 'Paris', x: 1, scores: [3], tags: ['b'], list: [1], status: 'B'}),
            (carol:Person {id: 3, name: 'Carol', age: 41, x: 2}),
            (acme:Company {name: 'Acme'}),
            (matrix:Movie {title: 'The Matrix', released: 1999, order: 1}),
            (book:Book {title: 'Matrix notes', description: 'about the matrix'}),
            (alice)-[:KNOWS {since: 2020, w: 1}]->(bob),
            (bob)-[:KNOWS {since: 2021, w: 2}]->(carol),
            (carol)-[:KNOWS {since: 2019}]->(alice),
            (alice)-[:ACTED_IN]->(matrix),
            (alice)-[:LIVES_IN]->(:City {name: 'Berlin'})<-[:LIVES_IN]-(bob),
            (alice)-[:RATED {score: 4}]->(matrix),
            (alice)-[:FOLLOWS]->(bob)-[:POSTED]->(:Post {id: 7, text: 'hi',
                createdAt: datetime()}),
            (bob)-[:HAS_PET]->(:Pet {name: 'Rex'}),
            (alice)-[:MEMBER_OF]->(:Group {name: 'admins'}),
            (s1:Station {name: 'North'})-[:LINK]->(s2:Station {name: 'Centre'})
                -[:LINK]->(:Station {name: 'South'}),
            (:A {x: 1, id: 1})-[:R {weight: 2.0}]->(:B {y: 2, id: 2}),
            (:Stop)-[:NEXT]->(:Stop),
            (:Temp), (:Old)-[:R]->(:Old),
            (:Counter {value: 1}),
            (:Account {id: 1, balance: 100}), (:Account {id: 2, balance: 5}),
            (:User {id: 1, email: 'u@example.com'})-[:OWNS]->(:Device),
            (:Doc {embedding: [0.1, 0.2, 0.3]})",
];

/// Files under the import directory for `LOAD CSV FROM 'file:///…'`.
const IMPORT_FILES: &[(&str, &str)] = &[
    ("data.csv", "1,one\n2,two\n"),
    ("x.tsv", "a\tb\n"),
    ("big.csv", "id\n1\n2\n3\n"),
    ("people.csv", "id;name\n1;Ann\n2;Ben\n"),
];

/// Parameter values, as Cypher literals, by name.
const PARAMETERS: &[(&str, &str)] = &[
    ("0", "'Alice'"),
    ("1", "34"),
    ("a", "1"),
    ("age", "30"),
    ("amount", "10"),
    ("b", "2"),
    ("batch", "[{id: 1, props: {a: 1}}]"),
    ("data", "{items: [{name: 'i', tags: ['X', 'Y']}]}"),
    ("db", "'sales2'"),
    ("elementId", "'0'"),
    ("email", "'alice@example.com'"),
    ("embedding", "[0.1, 0.2, 0.25]"),
    ("events", "[{id: 1}, {id: 2}]"),
    ("from", "1"),
    ("graph", "'neo4j'"),
    ("i", "1"),
    ("id", "1"),
    ("items", "[1, 2]"),
    ("key", "'k'"),
    ("l", "[1, 2, 3]"),
    ("label", "'Person'"),
    ("labels", "['Person', 'Movie']"),
    ("limit", "10"),
    ("list", "[1, 2, 3]"),
    ("min", "0.5"),
    ("ms", "1700000000000"),
    ("name", "'Alice'"),
    ("nodes", "[{name: 'n1'}, {name: 'n2'}]"),
    ("other", "'bob'"),
    ("param", "{key: 1}"),
    ("pattern", "'.*Matrix.*'"),
    ("prefix", "'A'"),
    ("props", "{name: 'Bob', age: 42}"),
    ("q", "'al'"),
    ("query", "'matrix'"),
    ("relProps", "{w: 1}"),
    ("rows", "[{id: 1, extra: 'x'}]"),
    ("since", "'2020-01-01T00:00:00Z'"),
    ("size", "2"),
    ("skip", "0"),
    ("tag", "'new'"),
    ("to", "2"),
    ("type", "'KNOWS'"),
    ("until", "'2030-01-01T00:00:00Z'"),
    ("url", "'file:///people.csv'"),
    ("userId", "1"),
    ("value", "5"),
    ("x", "7"),
];

/// Queries that need a parameter of another shape than the shared one,
/// or a schema of their own: (a fragment of the query, name, literal).
const OVERRIDES: &[(&str, &str, &str)] = &[
    // The rows become property values here, so they must be scalars.
    ("CREATE (:X {v: r})", "rows", "[1, 2, 3]"),
];
/// Statements run ahead of a query, on a database: (a fragment of the
/// query, database, statement).
const EXTRA_SETUP: &[(&str, &str, &str)] = &[
    // The shared graph has a vector index of this name.
    ("queryNodes('idx', 'term~')", "neo4j", "DROP INDEX idx"),
    (
        "queryNodes('idx', 'term~')",
        "neo4j",
        "CREATE FULLTEXT INDEX idx FOR (n:Movie) ON EACH [n.title]",
    ),
    // The commands on `sales` that follow its `DROP … DESTROY DATA`.
    (
        "sales DUMP DATA",
        "system",
        "CREATE DATABASE sales IF NOT EXISTS",
    ),
    (
        "sales SET ACCESS",
        "system",
        "CREATE DATABASE sales IF NOT EXISTS",
    ),
    (
        "START DATABASE sales",
        "system",
        "CREATE DATABASE sales IF NOT EXISTS",
    ),
    (
        "STOP DATABASE sales",
        "system",
        "CREATE DATABASE sales IF NOT EXISTS",
    ),
    // Like Neo4j, a new database has a label lookup index: drop it to make
    // one by another name.
    (
        "CREATE LOOKUP INDEX node_labels",
        "neo4j",
        "DROP INDEX index_343aff4e",
    ),
];

/// Queries Neo4j answers with an error as well: (a fragment of the query,
/// the error code, why).
const INVALID: &[(&str, &str, &str)] = &[
    (
        "WITH * WHERE true RETURN *",
        codes::SYNTAX_ERROR,
        "RETURN * with no variable in scope",
    ),
    (
        "map: {a: 1}",
        codes::TYPE_ERROR,
        "a map is not a property value",
    ),
    (
        "RETURN s[0], s[1..]",
        codes::TYPE_ERROR,
        "strings are not indexed or sliced",
    ),
    (
        "allShortestPaths((a)-[*..10]-(b))",
        codes::SEMANTIC_ERROR,
        "shortest paths of a node to itself (every node is paired with itself)",
    ),
    (
        "MATCH REPEATABLE ELEMENTS p = (a)-->+(b)",
        codes::SYNTAX_ERROR,
        "an unbounded quantifier under REPEATABLE ELEMENTS without a path selector",
    ),
    (
        "WHERE x:Person|Company]",
        codes::SYNTAX_ERROR,
        "neo-cypher reads `| Company` as the list comprehension's projection",
    ),
];

/// What running a query came to.
enum Outcome {
    Ran,
    /// Refused with an error that names what is not available.
    Refused(EngineError),
    /// Failed as Neo4j fails.
    Invalid(&'static str),
    Failed(String),
}

/// True for the codes that say "this is not available here" precisely:
/// a construct the engine does not run, or a procedure not registered.
fn is_refusal(error: &EngineError) -> bool {
    error.code == codes::NOT_SUPPORTED || error.code == codes::PROCEDURE_NOT_FOUND
}

fn is_administration(query: &str) -> bool {
    match neo_cypher::parse(query).map(|q| q.statement().clone()) {
        Ok(Statement::Command(command)) => {
            matches!(
                command.kind,
                CommandKind::Database { .. } | CommandKind::Admin { .. }
            )
        }
        Ok(Statement::Query(body)) => body.parts.iter().flat_map(|p| &p.clauses).any(|c| {
            matches!(&c.kind, ClauseKind::Show(show) if ["USER", "ROLE", "PRIVILEGE", "SERVER", "ALIAS"]
                .iter()
                .any(|word| show.command.contains(word)))
        }),
        Err(_) => false,
    }
}

fn literal(engine: &MarsEngine, text: &str) -> Value {
    let mut tx = engine.begin("neo4j", AccessMode::Read).unwrap();
    let out = tx
        .execute(&format!("RETURN {text} AS v"), &Map::new())
        .unwrap_or_else(|e| panic!("{text}: {e}"));
    out.records[0][0].clone()
}

fn parameters(engine: &MarsEngine, query: &str) -> Result<Map, String> {
    let parsed = neo_cypher::parse(query).map_err(|e| e.to_string())?;
    let mut map = Map::new();
    for name in parsed.parameters() {
        let name = name.name.as_str();
        let text = OVERRIDES
            .iter()
            .find(|(fragment, param, _)| *param == name && query.contains(fragment))
            .map(|(_, _, text)| *text)
            .or_else(|| {
                PARAMETERS
                    .iter()
                    .find(|(param, _)| *param == name)
                    .map(|(_, text)| *text)
            })
            .ok_or_else(|| format!("no value for ${name}: add one to PARAMETERS"))?;
        map.insert(name.to_owned(), literal(engine, text));
    }
    Ok(map)
}

fn run_one(engine: &MarsEngine, database: &str, query: &str, params: &Map) -> Outcome {
    let outcome = run_to_end(engine, database, query, params);
    if let Outcome::Failed(why) = &outcome
        && let Some((_, code, reason)) = INVALID
            .iter()
            .find(|(fragment, _, _)| query.contains(fragment))
        && why.starts_with(code)
    {
        return Outcome::Invalid(reason);
    }
    outcome
}

fn run_to_end(engine: &MarsEngine, database: &str, query: &str, params: &Map) -> Outcome {
    let mut tx = match engine.begin(database, AccessMode::Write) {
        Ok(tx) => tx,
        Err(e) => return Outcome::Failed(format!("begin: {e}")),
    };
    let head = match tx.run(query, params) {
        Ok(head) => head,
        Err(e) if is_refusal(&e) => return Outcome::Refused(e),
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    loop {
        let batch = tx.pull(head.id, 1000);
        match batch.end {
            BatchEnd::HasMore => continue,
            BatchEnd::Done(_) => break,
            BatchEnd::Failed(e) if is_refusal(&e) => return Outcome::Refused(e),
            BatchEnd::Failed(e) => return Outcome::Failed(e.to_string()),
        }
    }
    match tx.commit() {
        Ok(_) => Outcome::Ran,
        Err(e) if is_refusal(&e) => Outcome::Refused(e),
        Err(e) => Outcome::Failed(format!("commit: {e}")),
    }
}

fn execute(engine: &MarsEngine, database: &str, statement: &str) {
    let mut tx = engine.begin(database, AccessMode::Write).unwrap();
    tx.execute(statement, &Map::new())
        .unwrap_or_else(|e| panic!("setup {statement}: {e}"));
    tx.commit().unwrap();
}

fn extra_setup(engine: &MarsEngine, query: &str) {
    for (fragment, database, statement) in EXTRA_SETUP {
        if query.contains(fragment) {
            execute(engine, database, statement);
        }
    }
}

fn seeded_engine(import: &Path) -> MarsEngine {
    let engine = MarsEngine::new().unwrap().with_import_dir(import);
    for statement in SEED {
        execute(&engine, "neo4j", statement);
    }
    engine
}

#[derive(Default)]
struct Tally {
    ran: usize,
    refused: usize,
    invalid: usize,
    failed: usize,
}

#[test]
fn the_corpus_runs_on_the_engine() {
    let import = std::env::temp_dir().join(format!("neo-embedded-dialect-{}", std::process::id()));
    std::fs::create_dir_all(&import).unwrap();
    for (name, text) in IMPORT_FILES {
        std::fs::write(import.join(name), text).unwrap();
    }
    let corpus = corpus();
    assert!(
        corpus.len() >= 300,
        "corpus has only {} queries",
        corpus.len()
    );
    let mut user = Tally::default();
    let mut admin = Tally::default();
    let mut by_file: BTreeMap<String, Tally> = BTreeMap::new();
    let mut refused: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut invalid = Vec::new();
    let mut failures = Vec::new();
    // The administration file is a sequence (create, then drop, …): its
    // queries share one engine with an empty graph; every other query runs
    // on a fresh copy of the shared graph.
    let mut admin_engine = None;
    for (file, query) in &corpus {
        let fresh;
        let engine = if file == "admin.cypher" {
            admin_engine.get_or_insert_with(|| MarsEngine::new().unwrap())
        } else {
            fresh = seeded_engine(&import);
            &fresh
        };
        extra_setup(engine, query);
        let administration = is_administration(query);
        let database = if administration { "system" } else { "neo4j" };
        let outcome = match parameters(engine, query) {
            Ok(params) => run_one(engine, database, query, &params),
            Err(e) => Outcome::Failed(e),
        };
        let tally = if administration {
            &mut admin
        } else {
            &mut user
        };
        let per_file = by_file.entry(file.clone()).or_default();
        match outcome {
            Outcome::Ran => {
                tally.ran += 1;
                per_file.ran += 1;
            }
            Outcome::Refused(error) => {
                tally.refused += 1;
                per_file.refused += 1;
                // The message up to its first sentence or colon names the construct.
                let construct = [". ", ": ", "\n"]
                    .iter()
                    .filter_map(|end| error.message.find(end))
                    .min()
                    .map_or(error.message.as_str(), |at| &error.message[..at]);
                refused
                    .entry(format!("{} {construct}", error.code))
                    .or_default()
                    .push(query.replace('\n', " "));
            }
            Outcome::Invalid(reason) => {
                tally.invalid += 1;
                per_file.invalid += 1;
                invalid.push(format!("{reason}: {}", query.replace('\n', " ")));
            }
            Outcome::Failed(why) => {
                tally.failed += 1;
                per_file.failed += 1;
                failures.push(format!("{file}: {query}\n  => {why}"));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&import);

    println!(
        "{:<16} {:>5} {:>8} {:>8} {:>7}",
        "file", "ran", "refused", "invalid", "failed"
    );
    for (file, t) in &by_file {
        println!(
            "{file:<16} {:>5} {:>8} {:>8} {:>7}",
            t.ran, t.refused, t.invalid, t.failed
        );
    }
    for (what, t) in [("queries", &user), ("administration", &admin)] {
        let total = t.ran + t.refused + t.invalid + t.failed;
        println!(
            "{what}: {} of {total} ran ({:.1}%), {} refused, {} invalid as in Neo4j, {} failed",
            t.ran,
            100.0 * t.ran as f64 / total.max(1) as f64,
            t.refused,
            t.invalid,
            t.failed
        );
    }
    println!("\nrejected as Neo4j rejects them:");
    for line in &invalid {
        println!("  {line}");
    }
    println!("\nnot run, by construct:");
    for (construct, queries) in &refused {
        println!("  {construct} ({}):", queries.len());
        for query in queries {
            println!("      {query}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} queries failed with an error that is not a refusal:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let total = user.ran + user.refused + user.invalid;
    assert!(
        user.ran * 10 >= total * 9,
        "only {} of {total} queries ran",
        user.ran
    );
}
