//! The engine through the `GraphEngine` trait: streaming, update
//! semantics, summaries (counters, plans, notifications), the constructs
//! of the dialect, schema (indexes and constraints with their codes),
//! procedures, `CALL { } IN TRANSACTIONS`, transaction timeouts and
//! metadata, `LOAD CSV` and files that outlive the engine.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use neo_bolt::Value;
use neo_bolt::packstream::Map;
use neo_embedded::engine::{
    AccessMode, BatchEnd, EngineError, Field, GraphEngine, MarsEngine, Procedure, QueryOutput,
    TransactionConfig, codes,
};

fn engine() -> MarsEngine {
    MarsEngine::new()
        .unwrap()
        .with_lock_timeout(Duration::from_secs(5))
}

fn params<const N: usize>(pairs: [(&str, Value); N]) -> Map {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn run_with(engine: &dyn GraphEngine, query: &str, parameters: &Map) -> QueryOutput {
    let mut tx = engine.begin("neo4j", AccessMode::Write).unwrap();
    let out = tx
        .execute(query, parameters)
        .unwrap_or_else(|e| panic!("{query}: {e}"));
    tx.commit()
        .unwrap_or_else(|e| panic!("{query}: commit: {e}"));
    out
}

fn run(engine: &dyn GraphEngine, query: &str) -> QueryOutput {
    run_with(engine, query, &Map::new())
}

/// The error of a statement, whether it fails when run, pulled or committed.
fn fail(engine: &dyn GraphEngine, query: &str) -> EngineError {
    let mut tx = engine.begin("neo4j", AccessMode::Write).unwrap();
    match tx.execute(query, &Map::new()) {
        Err(e) => e,
        Ok(_) => match tx.commit() {
            Err(e) => e,
            Ok(_) => panic!("{query} succeeded"),
        },
    }
}

fn column(out: &QueryOutput) -> Vec<Value> {
    out.records.iter().map(|row| row[0].clone()).collect()
}

fn int(n: i64) -> Value {
    Value::Integer(n)
}

fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

fn count(engine: &dyn GraphEngine, query: &str) -> i64 {
    match column(&run(engine, query)).first() {
        Some(Value::Integer(n)) => *n,
        other => panic!("{query}: {other:?}"),
    }
}

// ---------------------------------------------------------------- streaming

#[test]
fn rows_stream_out_before_a_later_row_fails() {
    let engine = engine();
    let mut tx = engine.begin("neo4j", AccessMode::Read).unwrap();
    let head = tx
        .run("UNWIND [1, 0, 2] AS x RETURN 10 / x AS y", &Map::new())
        .unwrap();
    let first = tx.pull(head.id, 1);
    assert_eq!(first.records, [vec![int(10)]]);
    assert_eq!(first.end, BatchEnd::HasMore);
    let second = tx.pull(head.id, 1);
    assert!(second.records.is_empty());
    match second.end {
        BatchEnd::Failed(e) => assert_eq!(e.code, codes::ARITHMETIC_ERROR, "{e}"),
        other => panic!("expected the division by zero, got {other:?}"),
    }
}

#[test]
fn rows_are_computed_as_they_are_pulled() {
    // Ten billion rows: only a pull-based plan can give the first three
    // at once, in bounded memory.
    let engine = engine();
    let mut tx = engine.begin("neo4j", AccessMode::Read).unwrap();
    let started = Instant::now();
    let head = tx
        .run(
            "UNWIND range(1, 10000000000) AS x WITH x WHERE x % 2 = 0 RETURN x",
            &Map::new(),
        )
        .unwrap();
    let batch = tx.pull(head.id, 3);
    assert_eq!(batch.records, [vec![int(2)], vec![int(4)], vec![int(6)]]);
    assert_eq!(batch.end, BatchEnd::HasMore);
    assert!(started.elapsed() < Duration::from_secs(10));
    tx.rollback();
}

#[test]
fn several_statements_stream_side_by_side() {
    let engine = engine();
    let mut tx = engine.begin("neo4j", AccessMode::Read).unwrap();
    let a = tx
        .run("UNWIND [1, 2, 3] AS x RETURN x", &Map::new())
        .unwrap();
    let b = tx
        .run("UNWIND ['a', 'b'] AS x RETURN x", &Map::new())
        .unwrap();
    assert_eq!(tx.pull(b.id, 1).records, [vec![s("a")]]);
    assert_eq!(tx.pull(a.id, 2).records, [vec![int(1)], vec![int(2)]]);
    assert!(matches!(tx.pull(b.id, 5).end, BatchEnd::Done(_)));
    assert!(matches!(tx.pull(a.id, 5).end, BatchEnd::Done(_)));
}

// ------------------------------------------------------------ update rules

#[test]
fn writes_under_limit_happen_for_every_row() {
    let engine = engine();
    let out = run(
        &engine,
        "UNWIND range(1, 5) AS i CREATE (n:L {i: i}) RETURN n.i LIMIT 1",
    );
    assert_eq!(column(&out), [int(1)]);
    assert_eq!(out.stats.nodes_created, 5);
    assert_eq!(count(&engine, "MATCH (n:L) RETURN count(n)"), 5);
}

#[test]
fn merge_sees_what_earlier_rows_merged() {
    let engine = engine();
    let out = run(
        &engine,
        "UNWIND [1, 1, 2, 1] AS i MERGE (n:M {i: i}) RETURN count(*)",
    );
    assert_eq!(column(&out), [int(4)]);
    assert_eq!(out.stats.nodes_created, 2);
    assert_eq!(out.stats.labels_added, 2);
    assert_eq!(out.stats.properties_set, 2);
}

#[test]
fn create_and_merge_count_labels_and_properties() {
    let engine = engine();
    let out = run(
        &engine,
        "CREATE (:A:B {x: 1, y: null, z: 'z'})-[:R {w: 1}]->()",
    );
    assert_eq!(
        (
            out.stats.nodes_created,
            out.stats.relationships_created,
            out.stats.labels_added,
            out.stats.properties_set
        ),
        (2, 1, 2, 3)
    );
    let out = run(&engine, "MERGE (a:A {x: 1}) ON MATCH SET a.seen = true");
    assert_eq!((out.stats.nodes_created, out.stats.properties_set), (0, 1));
}

#[test]
fn deleted_entities_are_gone_and_paths_keep_uniqueness() {
    let engine = engine();
    run(
        &engine,
        "CREATE (a:P {n: 'a'})-[:T]->(b:P {n: 'b'})-[:T]->(c:P {n: 'c'}), (a)-[:T]->(c)",
    );
    // Relationship uniqueness: a path never uses a relationship twice.
    let out = run(
        &engine,
        "MATCH (x:P {n: 'a'})-[*]-(y) RETURN y.n AS n ORDER BY n",
    );
    assert_eq!(out.records.len(), 6, "{:?}", out.records);
    let err = fail(&engine, "MATCH (n:P {n: 'b'}) DELETE n");
    assert_eq!(err.code, codes::CONSTRAINT_VALIDATION_FAILED, "{err}");
    run(&engine, "MATCH (n:P {n: 'b'}) DETACH DELETE n");
    assert_eq!(count(&engine, "MATCH (n:P) RETURN count(n)"), 2);
}

// ------------------------------------------------------------- the dialect

#[test]
fn the_constructs_of_the_dialect_run_with_neo4j_results() {
    let engine = engine();
    run(
        &engine,
        "CREATE (a:S {name: 'a', age: 17})-[:T]->(b:S {name: 'b', age: 30})-[:T]->(c:S {name: 'c'}),
                (a)-[:T]->(c)",
    );
    let cases: &[(&str, Value)] = &[
        (
            "WITH 17 AS age RETURN CASE age WHEN < 18 THEN 'minor' ELSE 'adult' END",
            s("minor"),
        ),
        ("RETURN reduce(t = 0, x IN [1, 2, 3] | t + x)", int(6)),
        ("RETURN timestamp() > 1700000000000", Value::Boolean(true)),
        ("RETURN 'abc' =~ 'a.c'", Value::Boolean(true)),
        (
            "UNWIND [3, null, 1] AS x WITH x ORDER BY x NULLS FIRST RETURN collect(x)[0]",
            int(1),
        ),
        (
            "UNWIND [1, 2, 3, 4] AS x WITH x ORDER BY x OFFSET 2 RETURN collect(x)",
            Value::List(vec![int(3), int(4)]),
        ),
        (
            "CALL { RETURN 1 AS x UNION DISTINCT RETURN 1 AS x } RETURN count(*)",
            int(1),
        ),
        (
            "MATCH p = SHORTEST 1 (a:S {name: 'a'})-[:T]->+(c:S {name: 'c'}) RETURN length(p)",
            int(1),
        ),
        (
            "MATCH p = SHORTEST 2 (a:S {name: 'a'})-[:T]->+(c:S {name: 'c'}) RETURN collect(length(p))",
            Value::List(vec![int(1), int(2)]),
        ),
        (
            "MATCH p = SHORTEST 1 GROUPS (a:S {name: 'a'})-[:T]-{1,3}(c:S {name: 'c'}) RETURN count(p)",
            int(1),
        ),
        (
            "MATCH p = ALL SHORTEST (a:S {name: 'a'})--+(b:S {name: 'b'}) RETURN collect(length(p))",
            Value::List(vec![int(1)]),
        ),
        (
            "MATCH p = shortestPath((a:S {name: 'a'})-[:T*]->(c:S {name: 'c'})) RETURN length(p)",
            int(1),
        ),
        (
            "MATCH p = allShortestPaths((a:S {name: 'b'})-[*]-(c:S {name: 'c'})) RETURN count(p)",
            int(1),
        ),
        (
            "MATCH (:S {name: 'a'})((x)-[:T]->(y)){2}(:S {name: 'c'}) RETURN [n IN x | n.name]",
            Value::List(vec![s("a"), s("b")]),
        ),
        (
            "MATCH (n:S) WHERE EXISTS { (n)-->() } RETURN collect(n.name)",
            Value::List(vec![s("a"), s("b")]),
        ),
        ("MATCH (n:S {name: 'a'}) RETURN COUNT { (n)-->() }", int(2)),
        (
            "MATCH (n:S {name: 'a'}) RETURN COLLECT { MATCH (n)-->(m) RETURN m.name ORDER BY m.name }",
            Value::List(vec![s("b"), s("c")]),
        ),
        ("MATCH (n:S&!T|U) RETURN count(n)", int(3)),
        (
            "MATCH (n:S) CALL (n) { MATCH (n)-->(m) RETURN count(m) AS c } RETURN sum(c)",
            int(3),
        ),
        (
            "RETURN point.distance(point({x: 0, y: 0}), point({x: 3, y: 4}))",
            Value::Float(5.0),
        ),
        (
            "RETURN toString(date('2020-01-31') + duration('P1M'))",
            s("2020-02-29"),
        ),
        (
            "RETURN toString(duration.between(date('2020-01-01'), date('2020-03-15')))",
            s("P2M14D"),
        ),
        ("CYPHER runtime=slotted RETURN 1", int(1)),
        // Duration totals wrap in 64 bits, as Neo4j's do.
        (
            "RETURN duration({seconds: 9223372036854775807, nanoseconds: 999999999}).nanoseconds",
            int(-1),
        ),
        (
            "RETURN duration({seconds: 999, nanoseconds: 123456789}).nanoseconds",
            int(999_123_456_789),
        ),
        (
            "RETURN [x IN range(1, 5) WHERE x % 2 = 1 | x * x][-1]",
            int(25),
        ),
        (
            "WITH 'Dyn' AS l CREATE (n:$(l)) RETURN labels(n)",
            Value::List(vec![s("Dyn")]),
        ),
    ];
    for (query, expected) in cases {
        let out = run(&engine, query);
        assert_eq!(column(&out), std::slice::from_ref(expected), "{query}");
    }
    let out = run(&engine, "FOREACH (x IN [1, 2] | CREATE (:F {x: x}))");
    assert_eq!(out.stats.nodes_created, 2);
}

#[test]
fn words_the_syntax_tree_keeps_aside_change_results() {
    let engine = engine();
    let out = run(
        &engine,
        "RETURN trim(LEADING FROM '  a  '), trim(TRAILING 'x' FROM 'xxhixx'), \
                trim(BOTH 'x' FROM 'xxhixx'), trim('  c  ')",
    );
    assert_eq!(out.records, [vec![s("a  "), s("xxhi"), s("hi"), s("c")]]);
    let out = run(
        &engine,
        "RETURN '\u{FB01}' IS NFKC NORMALIZED, '\u{FB01}' IS NORMALIZED, 'e\u{301}' IS NOT NFD NORMALIZED",
    );
    assert_eq!(
        out.records,
        [vec![
            Value::Boolean(false),
            Value::Boolean(true),
            Value::Boolean(false)
        ]]
    );
    run(&engine, "CREATE (:W)-[:R]->(:W)");
    // Walks of one to three steps over one relationship, both directions.
    let out = run(
        &engine,
        "MATCH REPEATABLE ELEMENTS p = (:W)-[:R]-{1,3}(:W) RETURN count(p)",
    );
    assert_eq!(column(&out), [int(6)]);
    let out = run(&engine, "MATCH p = (:W)-[:R]-{1,3}(:W) RETURN count(p)");
    assert_eq!(column(&out), [int(2)]);
    let out = run(
        &engine,
        "MATCH REPEATABLE ELEMENTS (a:W)-[:R*2]-(b) RETURN count(*)",
    );
    assert_eq!(column(&out), [int(2)]);
    // The mode is the clause's own: a subquery's pattern keeps relationships apart.
    let out = run(
        &engine,
        "MATCH REPEATABLE ELEMENTS (a:W)-[:R]-(b) WHERE EXISTS { (a)-[:R]-()-[:R]-() } RETURN count(*)",
    );
    assert_eq!(column(&out), [int(0)]);
    let err = fail(&engine, "MATCH REPEATABLE ELEMENTS (a)-[:R]-+(b) RETURN b");
    assert_eq!(err.code, codes::SYNTAX_ERROR, "{err}");
}

#[test]
fn errors_have_neo4j_classes() {
    let engine = engine();
    for (query, code) in [
        ("RETURN 9223372036854775807 + 1", codes::ARITHMETIC_ERROR),
        ("RETURN 1 / 0", codes::ARITHMETIC_ERROR),
        // Types known from literals are checked before the query runs.
        ("RETURN 'a' + 1 - 1", codes::SYNTAX_ERROR),
        ("WITH {s: 'a'} AS m RETURN m.s + 1 - 1", codes::TYPE_ERROR),
        ("RETURN toInteger([1])", codes::TYPE_ERROR),
        ("CYPHER runtime=bogus RETURN 1", codes::SYNTAX_ERROR),
        ("RETURN nosuch(1)", codes::SYNTAX_ERROR),
        ("CALL nosuch.proc()", codes::PROCEDURE_NOT_FOUND),
        (
            "LOAD CSV FROM 'https://example.com/a.csv' AS row RETURN row",
            codes::NOT_SUPPORTED,
        ),
    ] {
        assert_eq!(fail(&engine, query).code, code, "{query}");
    }
}

// --------------------------------------------------------------- summaries

fn operators(plan: &Value, out: &mut Vec<String>) {
    if let Value::Map(map) = plan {
        if let Some(Value::String(name)) = map.get("operatorType") {
            out.push(name.clone());
        }
        if let Some(Value::List(children)) = map.get("children") {
            for child in children {
                operators(child, out);
            }
        }
    }
}

#[test]
fn explain_gives_a_plan_and_no_rows() {
    let engine = engine();
    run(
        &engine,
        "CREATE INDEX person_name FOR (p:Person) ON (p.name)",
    );
    run(&engine, "CREATE (:Person {name: 'Ann'})");
    let out = run(
        &engine,
        "EXPLAIN MATCH (p:Person {name: 'Ann'}) RETURN p.name",
    );
    assert!(out.records.is_empty());
    let plan = out.plan.expect("a plan");
    let mut names = Vec::new();
    operators(&plan, &mut names);
    assert!(
        names.iter().any(|n| n.starts_with("ProduceResults")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.starts_with("NodeIndexSeek")),
        "the index is used: {names:?}"
    );
    // Nothing ran: EXPLAIN of a write writes nothing.
    let out = run(&engine, "EXPLAIN CREATE (:Person {name: 'Bob'})");
    assert_eq!(out.stats.nodes_created, 0);
    assert_eq!(count(&engine, "MATCH (p:Person) RETURN count(p)"), 1);
}

#[test]
fn profile_gives_rows_and_counted_operators() {
    let engine = engine();
    run(&engine, "UNWIND range(1, 4) AS i CREATE (:N {i: i})");
    let out = run(&engine, "PROFILE MATCH (n:N) WHERE n.i > 2 RETURN n.i");
    assert_eq!(out.records.len(), 2);
    let Some(Value::Map(profile)) = out.plan else {
        panic!("no profile")
    };
    assert_eq!(profile.get("rows"), Some(&int(2)));
    assert!(matches!(profile.get("dbHits"), Some(Value::Integer(_))));
}

#[test]
fn a_cartesian_product_is_a_notification() {
    let engine = engine();
    let out = run(&engine, "MATCH (a), (b) RETURN count(*)");
    let codes: Vec<&str> = out.notifications.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(codes, ["Neo.ClientNotification.Statement.CartesianProduct"]);
    let out = run(&engine, "MATCH (a)-->(b) RETURN count(*)");
    assert!(out.notifications.is_empty(), "{:?}", out.notifications);
    let out = run(&engine, "MATCH (a:NoSuchLabel) RETURN a");
    assert_eq!(
        out.notifications[0].code,
        "Neo.ClientNotification.Statement.UnknownLabelWarning"
    );
}

// ------------------------------------------------------------------ schema

#[test]
fn indexes_are_created_listed_used_and_dropped() {
    let engine = engine();
    let out = run(
        &engine,
        "CREATE INDEX idx IF NOT EXISTS FOR (n:Person) ON (n.name)",
    );
    assert_eq!(out.stats.indexes_added, 1);
    let out = run(
        &engine,
        "CREATE INDEX idx IF NOT EXISTS FOR (n:Person) ON (n.name)",
    );
    assert_eq!(out.stats.indexes_added, 0);
    assert_eq!(
        fail(&engine, "CREATE INDEX idx FOR (n:Other) ON (n.x)").code,
        codes::INDEX_WITH_NAME_ALREADY_EXISTS
    );
    assert_eq!(
        fail(&engine, "CREATE INDEX FOR (n:Person) ON (n.name)").code,
        codes::EQUIVALENT_SCHEMA_RULE_ALREADY_EXISTS
    );
    for statement in [
        "CREATE TEXT INDEX t FOR (n:Person) ON (n.bio)",
        "CREATE POINT INDEX p FOR (n:Place) ON (n.at)",
        "CREATE RANGE INDEX r FOR ()-[k:KNOWS]-() ON (k.since)",
        "CREATE FULLTEXT INDEX f FOR (n:Movie|Book) ON EACH [n.title]",
        "CREATE VECTOR INDEX v FOR (d:Doc) ON (d.e)
         OPTIONS {indexConfig: {`vector.dimensions`: 2, `vector.similarity_function`: 'cosine'}}",
    ] {
        assert_eq!(
            run(&engine, statement).stats.indexes_added,
            1,
            "{statement}"
        );
    }
    let out = run(
        &engine,
        "SHOW INDEXES YIELD name, type WHERE name IN ['idx', 't', 'p', 'r', 'f', 'v'] \
         RETURN name + ':' + type ORDER BY name",
    );
    assert_eq!(
        column(&out),
        [
            "f:FULLTEXT",
            "idx:RANGE",
            "p:POINT",
            "r:RANGE",
            "t:TEXT",
            "v:VECTOR"
        ]
        .map(s)
    );
    run(
        &engine,
        "CREATE (:Movie {title: 'The Matrix'}), (:Book {title: 'Matrix notes'}), (:Movie {title: 'Heat'}),
                (:Doc {e: [1.0, 0.0]}), (:Doc {e: [0.0, 1.0]})",
    );
    let out = run(
        &engine,
        "CALL db.index.fulltext.queryNodes('f', 'matrix') YIELD node RETURN node.title ORDER BY node.title",
    );
    assert_eq!(column(&out), [s("Matrix notes"), s("The Matrix")]);
    let out = run(
        &engine,
        "CALL db.index.vector.queryNodes('v', 1, [0.9, 0.1]) YIELD node RETURN node.e",
    );
    assert_eq!(
        column(&out),
        [Value::List(vec![Value::Float(1.0), Value::Float(0.0)])]
    );
    // A text index holds strings: equality with another value still finds it.
    run(
        &engine,
        "CREATE (:Person {bio: 5}), (:Person {bio: 'five'})",
    );
    for (value, expected) in [(int(5), int(5)), (s("five"), s("five"))] {
        let out = run_with(
            &engine,
            "MATCH (p:Person) WHERE p.bio = $v RETURN p.bio",
            &params([("v", value)]),
        );
        assert_eq!(column(&out), [expected]);
    }
    assert_eq!(run(&engine, "DROP INDEX idx").stats.indexes_removed, 1);
    assert_eq!(
        run(&engine, "DROP INDEX idx IF EXISTS")
            .stats
            .indexes_removed,
        0
    );
    assert_eq!(
        fail(&engine, "DROP INDEX idx").code,
        codes::INDEX_DROP_FAILED
    );
}

#[test]
fn uniqueness_and_key_constraints_are_enforced_with_neo4j_codes() {
    let engine = engine();
    let out = run(
        &engine,
        "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE",
    );
    assert_eq!(out.stats.constraints_added, 1);
    assert_eq!(
        run(
            &engine,
            "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE"
        )
        .stats
        .constraints_added,
        0
    );
    run(&engine, "CREATE (:Person {id: 1})");
    let err = fail(&engine, "CREATE (:Person {id: 1})");
    assert_eq!(err.code, codes::CONSTRAINT_VALIDATION_FAILED, "{err}");
    assert!(err.message.contains("already exists"), "{err}");
    // Swapping values inside one transaction is fine: checked at commit.
    run(
        &engine,
        "CREATE (:Person {id: 2}) WITH 1 AS one MATCH (p:Person) SET p.id = 3 - p.id",
    );
    run(
        &engine,
        "CREATE CONSTRAINT key FOR (k:Key) REQUIRE (k.a, k.b) IS NODE KEY",
    );
    let err = fail(&engine, "CREATE (:Key {a: 1})");
    assert_eq!(err.code, codes::CONSTRAINT_VALIDATION_FAILED, "{err}");
    run(
        &engine,
        "CREATE CONSTRAINT rel_key FOR ()-[r:OWNS]-() REQUIRE r.id IS RELATIONSHIP KEY",
    );
    let err = fail(&engine, "CREATE ()-[:OWNS]->()");
    assert_eq!(err.code, codes::CONSTRAINT_VALIDATION_FAILED, "{err}");
    // Data that breaks a new constraint stops its creation.
    run(&engine, "CREATE (:Dup {x: 1}), (:Dup {x: 1})");
    let err = fail(
        &engine,
        "CREATE CONSTRAINT FOR (d:Dup) REQUIRE d.x IS UNIQUE",
    );
    assert_eq!(err.code, codes::CONSTRAINT_CREATION_FAILED, "{err}");
    let out = run(
        &engine,
        "SHOW CONSTRAINTS YIELD name, type RETURN name + ':' + type ORDER BY name",
    );
    assert_eq!(
        column(&out),
        [
            "key:NODE_KEY",
            "person_id:UNIQUENESS",
            "rel_key:RELATIONSHIP_KEY"
        ]
        .map(s)
    );
    assert_eq!(
        run(&engine, "DROP CONSTRAINT person_id")
            .stats
            .constraints_removed,
        1
    );
    run(&engine, "CREATE (:Person {id: 1})");
}

#[test]
fn existence_and_type_constraints_are_checked_at_commit() {
    let engine = engine();
    run(
        &engine,
        "CREATE CONSTRAINT name_exists FOR (p:Person) REQUIRE p.name IS NOT NULL",
    );
    run(
        &engine,
        "CREATE CONSTRAINT age_type FOR (p:Person) REQUIRE p.age IS :: INTEGER",
    );
    run(
        &engine,
        "CREATE CONSTRAINT rated FOR ()-[r:RATED]-() REQUIRE r.score IS NOT NULL",
    );
    // Within the transaction the property may be missing for a while.
    let mut tx = engine.begin("neo4j", AccessMode::Write).unwrap();
    tx.execute("CREATE (p:Person {age: 3})", &Map::new())
        .unwrap();
    tx.execute("MATCH (p:Person) SET p.name = 'Ann'", &Map::new())
        .unwrap();
    tx.commit().unwrap();
    for query in [
        "CREATE (:Person {age: 4})",
        "CREATE (:Person {name: 'Bob', age: 'four'})",
        "MATCH (p:Person) REMOVE p.name",
        "CREATE ()-[:RATED]->()",
    ] {
        let err = fail(&engine, query);
        assert_eq!(
            err.code,
            codes::CONSTRAINT_VALIDATION_FAILED,
            "{query}: {err}"
        );
    }
    assert_eq!(count(&engine, "MATCH (p:Person) RETURN count(p)"), 1);
}

// -------------------------------------------------------------- procedures

#[test]
fn schema_and_token_procedures_answer() {
    let engine = engine();
    run(
        &engine,
        "CREATE INDEX FOR (p:Person) ON (p.name)
         ",
    );
    run(&engine, "CREATE (:Person {name: 'Ann'})-[:KNOWS]->(:Robot)");
    let out = run(
        &engine,
        "CALL db.labels() YIELD label RETURN label ORDER BY label",
    );
    assert_eq!(column(&out), [s("Person"), s("Robot")]);
    let out = run(&engine, "CALL db.relationshipTypes()");
    assert_eq!(column(&out), [s("KNOWS")]);
    let out = run(
        &engine,
        "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey",
    );
    assert_eq!(column(&out), [s("name")]);
    run(&engine, "CALL db.awaitIndexes(10)");
    let out = run(
        &engine,
        "CALL db.schema.nodeTypeProperties() YIELD nodeType, propertyName \
         WHERE propertyName IS NOT NULL RETURN nodeType + '.' + propertyName",
    );
    assert_eq!(column(&out), [s(":`Person`.name")]);
    let out = run(&engine, "CALL dbms.components() YIELD name RETURN name");
    assert_eq!(column(&out), [s("Neo4j Kernel")]);
    let out = run(
        &engine,
        "SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'db.schema' RETURN name ORDER BY name",
    );
    assert_eq!(
        column(&out),
        [
            s("db.schema.nodeTypeProperties"),
            s("db.schema.relTypeProperties")
        ]
    );
    let out = run(
        &engine,
        "SHOW FUNCTIONS YIELD name WHERE name = 'toUpper' RETURN count(*)",
    );
    assert_eq!(column(&out), [int(1)]);
    let out = run(
        &engine,
        "SHOW DATABASES YIELD name RETURN name ORDER BY name",
    );
    assert_eq!(column(&out), [s("neo4j"), s("system")]);
}

#[test]
fn registered_procedures_are_callable_and_listed() {
    let engine = engine();
    engine
        .register_procedure(
            Procedure::new(
                "test.range",
                vec![Field::new("n", "INTEGER")],
                vec![Field::new("i", "INTEGER")],
                |args| match args {
                    [Value::Integer(n)] => Ok((0..*n).map(|i| vec![Value::Integer(i)]).collect()),
                    _ => Err(EngineError::new(
                        codes::ARGUMENT_ERROR,
                        "n must be an integer",
                    )),
                },
            )
            .with_description("Counts from zero."),
        )
        .unwrap();
    let out = run(&engine, "CALL test.range(3) YIELD i RETURN sum(i)");
    assert_eq!(column(&out), [int(3)]);
    let out = run(
        &engine,
        "UNWIND [1, 2] AS n CALL test.range(n) YIELD i RETURN count(*)",
    );
    assert_eq!(column(&out), [int(3)]);
    let out = run(
        &engine,
        "SHOW PROCEDURES YIELD name, description WHERE name = 'test.range' RETURN description",
    );
    assert_eq!(column(&out), [s("Counts from zero.")]);
    let err = fail(&engine, "CALL test.range('x')");
    assert_eq!(err.code, codes::SYNTAX_ERROR, "{err}");
}

// ------------------------------------------------------------ transactions

#[test]
fn call_in_transactions_commits_batches_in_auto_commit_only() {
    let engine = engine();
    let config = TransactionConfig {
        explicit: false,
        ..TransactionConfig::default()
    };
    let mut tx = engine.begin_with("neo4j", &config).unwrap();
    let out = tx
        .execute(
            "UNWIND range(1, 10) AS i CALL (i) { CREATE (:B {i: i}) } IN TRANSACTIONS OF 3 ROWS",
            &Map::new(),
        )
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(out.stats.nodes_created, 10);
    assert_eq!(count(&engine, "MATCH (b:B) RETURN count(b)"), 10);

    // A failing batch: the batches before it stay committed.
    let mut tx = engine.begin_with("neo4j", &config).unwrap();
    let err = tx
        .execute(
            "UNWIND [1, 2, 0, 4] AS i CALL (i) { CREATE (:C {x: 1 / i}) } IN TRANSACTIONS OF 1 ROW",
            &Map::new(),
        )
        .unwrap_err();
    assert_eq!(err.code, codes::ARITHMETIC_ERROR);
    drop(tx);
    assert_eq!(count(&engine, "MATCH (c:C) RETURN count(c)"), 2);

    let explicit = TransactionConfig {
        explicit: true,
        ..TransactionConfig::default()
    };
    let mut tx = engine.begin_with("neo4j", &explicit).unwrap();
    let err = tx
        .execute(
            "UNWIND [1] AS i CALL (i) { CREATE (:D) } IN TRANSACTIONS",
            &Map::new(),
        )
        .unwrap_err();
    assert_eq!(err.code, codes::TRANSACTION_START_FAILED, "{err}");
}

#[test]
fn a_transaction_times_out_while_it_waits_for_a_lock() {
    let engine = Arc::new(
        MarsEngine::new()
            .unwrap()
            .with_lock_timeout(Duration::from_secs(30)),
    );
    let mut holder = engine.begin("neo4j", AccessMode::Write).unwrap();
    holder.execute("CREATE (:Held)", &Map::new()).unwrap();
    let config = TransactionConfig {
        timeout: Some(Duration::from_millis(300)),
        ..TransactionConfig::default()
    };
    let mut waiter = engine.begin_with("neo4j", &config).unwrap();
    let started = Instant::now();
    let err = waiter
        .execute("CREATE (:Waiting)", &Map::new())
        .unwrap_err();
    let waited = started.elapsed();
    assert!(
        err.code == codes::LOCK_CLIENT_STOPPED || err.code == codes::TRANSACTION_TIMED_OUT,
        "{err}"
    );
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(10),
        "{waited:?}"
    );
    holder.commit().unwrap();
    assert_eq!(count(&*engine, "MATCH (n:Waiting) RETURN count(n)"), 0);
}

#[test]
fn a_lock_wait_beyond_the_lock_timeout_fails() {
    let engine = MarsEngine::new()
        .unwrap()
        .with_lock_timeout(Duration::from_millis(200));
    let mut holder = engine.begin("neo4j", AccessMode::Write).unwrap();
    holder.execute("CREATE (:Held)", &Map::new()).unwrap();
    let err = fail(&engine, "CREATE (:Waiting)");
    assert_eq!(err.code, codes::LOCK_ACQUISITION_TIMEOUT, "{err}");
}

#[test]
fn readers_see_committed_snapshots_while_a_writer_works() {
    let engine = Arc::new(engine());
    run(&*engine, "CREATE (:V {n: 1})");
    let mut writer = engine.begin("neo4j", AccessMode::Write).unwrap();
    writer
        .execute("MATCH (v:V) SET v.n = 2", &Map::new())
        .unwrap();
    let reader = {
        let engine = Arc::clone(&engine);
        thread::spawn(move || count(&*engine, "MATCH (v:V) RETURN v.n"))
    };
    assert_eq!(reader.join().unwrap(), 1);
    writer.commit().unwrap();
    assert_eq!(count(&*engine, "MATCH (v:V) RETURN v.n"), 2);
}

#[test]
fn transaction_metadata_comes_back_from_tx_get_metadata() {
    let engine = engine();
    let config = TransactionConfig {
        metadata: params([("app", s("billing")), ("attempt", int(2))]),
        ..TransactionConfig::default()
    };
    let mut tx = engine.begin_with("neo4j", &config).unwrap();
    let out = tx
        .execute(
            "CALL tx.getMetaData() YIELD metadata RETURN metadata",
            &Map::new(),
        )
        .unwrap();
    assert_eq!(
        column(&out),
        [Value::Map(params([
            ("app", s("billing")),
            ("attempt", int(2))
        ]))]
    );
    let out = tx
        .execute(
            "SHOW TRANSACTIONS YIELD metaData, currentQuery WHERE currentQuery STARTS WITH 'SHOW' \
             RETURN metaData.app",
            &Map::new(),
        )
        .unwrap();
    assert_eq!(column(&out), [s("billing")]);
}

// ------------------------------------------------------------------- files

fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "neo-embedded-{name}-{}-{:?}",
        std::process::id(),
        thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn load_csv_reads_files_under_the_import_directory_only() {
    let dir = scratch_dir("import");
    std::fs::write(dir.join("people.csv"), "name,age\nAnn,34\nBob,\n").unwrap();
    let engine = MarsEngine::new().unwrap().with_import_dir(&dir);
    let out = run(
        &engine,
        "LOAD CSV WITH HEADERS FROM 'file:///people.csv' AS row \
         CREATE (p:Person {name: row.name, age: toInteger(row.age)}) RETURN p.name, p.age, linenumber()",
    );
    assert_eq!(
        out.records,
        [
            vec![s("Ann"), int(34), int(2)],
            vec![s("Bob"), Value::Null, int(3)]
        ]
    );
    let out = run(
        &engine,
        "LOAD CSV FROM 'file:///people.csv' AS line RETURN line LIMIT 1",
    );
    assert_eq!(column(&out), [Value::List(vec![s("name"), s("age")])]);
    let err = fail(
        &engine,
        "LOAD CSV FROM 'file:///../etc/passwd' AS l RETURN l",
    );
    assert_eq!(err.code, codes::EXTERNAL_RESOURCE_FAILED, "{err}");
    let err = fail(&engine, "LOAD CSV FROM 'file:///missing.csv' AS l RETURN l");
    assert_eq!(err.code, codes::EXTERNAL_RESOURCE_FAILED, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn databases_opened_from_files_keep_their_data_and_schema() {
    let dir = scratch_dir("data");
    {
        let engine = MarsEngine::open(&dir).unwrap();
        run(
            &engine,
            "CREATE CONSTRAINT FOR (p:Person) REQUIRE p.id IS UNIQUE",
        );
        run(
            &engine,
            "CREATE (:Person {id: 1, at: point({x: 1, y: 2}), day: date('2024-02-29')})",
        );
        engine.create_database("other").unwrap();
        let mut tx = engine.begin("other", AccessMode::Write).unwrap();
        tx.execute("CREATE (:Elsewhere)", &Map::new()).unwrap();
        tx.commit().unwrap();
        // Uncommitted work is not kept.
        let mut tx = engine.begin("neo4j", AccessMode::Write).unwrap();
        tx.execute("CREATE (:Person {id: 2})", &Map::new()).unwrap();
        tx.rollback();
    }
    let engine = MarsEngine::open(&dir).unwrap();
    let out = run(
        &engine,
        "MATCH (p:Person) RETURN p.id, p.at.y, toString(p.day)",
    );
    assert_eq!(
        out.records,
        [vec![int(1), Value::Float(2.0), s("2024-02-29")]]
    );
    assert_eq!(
        fail(&engine, "CREATE (:Person {id: 1})").code,
        codes::CONSTRAINT_VALIDATION_FAILED
    );
    assert_eq!(engine.databases(), ["neo4j", "other", "system"]);
    let mut tx = engine.begin("other", AccessMode::Read).unwrap();
    let out = tx
        .execute("MATCH (n) RETURN count(n)", &Map::new())
        .unwrap();
    assert_eq!(column(&out), [int(1)]);
    drop(tx);
    drop(engine);
    let _ = std::fs::remove_dir_all(&dir);
}
