//! Cypher through the `GraphEngine` trait, on the marsdb engine: results,
//! transactions, errors.

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use neo_bolt::Value;
use neo_bolt::packstream::{
    Date, DateTime, DateTimeZoneId, Duration as BoltDuration, LegacyDateTimeZoneId, LocalDateTime,
    LocalTime, Map, Point2D, Time,
};
use neo_embedded::engine::{
    AccessMode, EngineError, GraphEngine, MarsEngine, QueryOutput, QueryType, codes,
};

fn engine() -> MarsEngine {
    MarsEngine::new()
        .unwrap()
        .with_lock_timeout(Duration::from_millis(200))
}

fn params<const N: usize>(pairs: [(&str, Value); N]) -> Map {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn no_params() -> Map {
    Map::new()
}

/// Runs one statement in its own committed write transaction.
fn run_with(engine: &dyn GraphEngine, query: &str, parameters: &Map) -> QueryOutput {
    let mut tx = engine.begin("neo4j", AccessMode::Write).unwrap();
    let out = tx
        .execute(query, parameters)
        .unwrap_or_else(|e| panic!("{query}: {e}"));
    tx.commit().unwrap();
    out
}

fn run(engine: &dyn GraphEngine, query: &str) -> QueryOutput {
    run_with(engine, query, &no_params())
}

/// Runs one statement that must fail, and returns its error.
fn fail_with(engine: &dyn GraphEngine, query: &str, parameters: &Map) -> EngineError {
    let mut tx = engine.begin("neo4j", AccessMode::Write).unwrap();
    match tx.execute(query, parameters) {
        Ok(out) => panic!("{query} succeeded: {out:?}"),
        Err(e) => e,
    }
}

fn fail(engine: &dyn GraphEngine, query: &str) -> EngineError {
    fail_with(engine, query, &no_params())
}

fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

fn i(n: i64) -> Value {
    Value::Integer(n)
}

fn list(items: impl IntoIterator<Item = Value>) -> Value {
    Value::List(items.into_iter().collect())
}

/// The single column of the output, row by row.
fn single_column(out: &QueryOutput) -> Vec<Value> {
    assert_eq!(out.fields.len(), 1, "{:?}", out.fields);
    out.records.iter().map(|row| row[0].clone()).collect()
}

/// Alice -KNOWS-> Bob -KNOWS-> Carol, Alice -WORKS_FOR-> Acme; Dave alone.
fn people() -> MarsEngine {
    let engine = engine();
    run(
        &engine,
        "CREATE (a:Person {name: 'Alice', age: 30})-[:KNOWS {since: 2010}]->\
         (b:Person {name: 'Bob', age: 25})-[:KNOWS {since: 2015}]->(c:Person {name: 'Carol', age: 41}), \
         (a)-[:WORKS_FOR]->(:Company {name: 'Acme'}), (:Person {name: 'Dave'})",
    );
    engine
}

#[test]
fn create_reports_counters_and_returns_the_new_id() {
    let engine = engine();
    let out = run_with(
        &engine,
        "CREATE (a:Person {name: $name}) RETURN id(a)",
        &params([("name", s("Alice"))]),
    );
    assert_eq!(out.fields, ["id(a)"]);
    assert!(matches!(out.records[..], [ref row] if matches!(row[..], [Value::Integer(_)])));
    assert_eq!(out.stats.nodes_created, 1);
    assert!(out.stats.contains_updates);
    assert_eq!(out.query_type, QueryType::ReadWrite);

    let out = run(&engine, "CREATE (:A)-[:R {w: 1}]->(:B {x: 1, y: 2})");
    assert_eq!(out.stats.nodes_created, 2);
    assert_eq!(out.stats.relationships_created, 1);
    assert!(out.fields.is_empty());
    assert_eq!(out.query_type, QueryType::Write);
    assert_eq!(out.stats.to_map()["nodes-created"], i(2));
}

#[test]
fn a_map_parameter_can_be_a_patterns_properties() {
    let engine = engine();
    let props = Value::Map(params([("name", s("Ann")), ("age", i(7))]));
    let out = run_with(
        &engine,
        "CREATE (n:Person $props) RETURN n.name, n.age",
        &params([("props", props)]),
    );
    assert_eq!(out.records, [vec![s("Ann"), i(7)]]);
}

#[test]
fn match_by_label_orders_by_name() {
    let engine = people();
    let out = run(&engine, "MATCH (a:Person) RETURN a.name ORDER BY a.name");
    assert_eq!(out.fields, ["a.name"]);
    assert_eq!(
        single_column(&out),
        [s("Alice"), s("Bob"), s("Carol"), s("Dave")]
    );
    assert_eq!(out.query_type, QueryType::Read);
    assert!(!out.stats.contains_updates);
}

#[test]
fn match_with_a_property_map() {
    let engine = people();
    let out = run(
        &engine,
        "MATCH (p:Person {name: 'Bob', age: 25}) RETURN p.age",
    );
    assert_eq!(single_column(&out), [i(25)]);
    let out = run(
        &engine,
        "MATCH (p:Person {name: 'Bob', age: 26}) RETURN p.age",
    );
    assert!(out.records.is_empty());
}

#[test]
fn match_follows_both_directions() {
    let engine = people();
    let outgoing = run(
        &engine,
        "MATCH (:Person {name: 'Bob'})-[:KNOWS]->(x) RETURN x.name",
    );
    assert_eq!(single_column(&outgoing), [s("Carol")]);
    let incoming = run(
        &engine,
        "MATCH (:Person {name: 'Bob'})<-[:KNOWS]-(x) RETURN x.name",
    );
    assert_eq!(single_column(&incoming), [s("Alice")]);
    let either = run(
        &engine,
        "MATCH (:Person {name: 'Bob'})-[:KNOWS]-(x) RETURN x.name ORDER BY x.name",
    );
    assert_eq!(single_column(&either), [s("Alice"), s("Carol")]);
}

#[test]
fn match_variable_length_paths() {
    let engine = people();
    let out = run(
        &engine,
        "MATCH (:Person {name: 'Alice'})-[:KNOWS*1..2]->(x) RETURN x.name ORDER BY x.name",
    );
    assert_eq!(single_column(&out), [s("Bob"), s("Carol")]);
    let out = run(
        &engine,
        "MATCH (:Person {name: 'Alice'})-[:KNOWS*2]->(x) RETURN x.name",
    );
    assert_eq!(single_column(&out), [s("Carol")]);
    let out = run(
        &engine,
        "MATCH (x)-[*]->(:Person {name: 'Carol'}) RETURN count(x)",
    );
    assert_eq!(single_column(&out), [i(2)]);
}

#[test]
fn match_several_patterns() {
    let engine = people();
    let out = run(
        &engine,
        "MATCH (a:Person {name: 'Alice'})-[:WORKS_FOR]->(c), (a)-[:KNOWS]->(b) RETURN c.name, b.name",
    );
    assert_eq!(out.fields, ["c.name", "b.name"]);
    assert_eq!(out.records, [vec![s("Acme"), s("Bob")]]);
    let out = run(&engine, "MATCH (a:Company), (b:Company) RETURN count(*)");
    assert_eq!(single_column(&out), [i(1)]);
}

#[test]
fn optional_match_yields_null_when_nothing_matches() {
    let engine = people();
    let out = run(
        &engine,
        "MATCH (p:Person) OPTIONAL MATCH (p)-[:WORKS_FOR]->(c) RETURN p.name, c.name ORDER BY p.name",
    );
    assert_eq!(
        out.records,
        [
            vec![s("Alice"), s("Acme")],
            vec![s("Bob"), Value::Null],
            vec![s("Carol"), Value::Null],
            vec![s("Dave"), Value::Null],
        ]
    );
    let out = run(&engine, "OPTIONAL MATCH (x:Nobody) RETURN x");
    assert_eq!(single_column(&out), [Value::Null]);
}

#[test]
fn where_combines_and_or_not_xor() {
    let engine = people();
    let out = run(
        &engine,
        "MATCH (p:Person) WHERE (p.age > 26 AND NOT p.name = 'Carol') OR p.age < 26 \
         RETURN p.name ORDER BY p.name",
    );
    assert_eq!(single_column(&out), [s("Alice"), s("Bob")]);
    let out = run(
        &engine,
        "MATCH (p:Person) WHERE p.age > 26 XOR p.age > 35 RETURN p.name",
    );
    assert_eq!(single_column(&out), [s("Alice")]);
}

#[test]
fn where_is_null_and_in() {
    let engine = people();
    let out = run(
        &engine,
        "MATCH (p:Person) WHERE p.age IS NULL RETURN p.name",
    );
    assert_eq!(single_column(&out), [s("Dave")]);
    let out = run(
        &engine,
        "MATCH (p:Person) WHERE p.name IN ['Bob', 'Zed'] RETURN p.name",
    );
    assert_eq!(single_column(&out), [s("Bob")]);
    let out = run_with(
        &engine,
        "MATCH (p:Person) WHERE p.age IS NOT NULL AND p.name IN $names RETURN p.name ORDER BY p.name",
        &params([("names", list([s("Carol"), s("Alice"), s("Dave")]))]),
    );
    assert_eq!(single_column(&out), [s("Alice"), s("Carol")]);
}

#[test]
fn where_string_predicates() {
    let engine = people();
    let q = |pred: &str| {
        single_column(&run(
            &engine,
            &format!("MATCH (p:Person) WHERE p.name {pred} RETURN p.name ORDER BY p.name"),
        ))
    };
    assert_eq!(q("STARTS WITH 'Ca'"), [s("Carol")]);
    assert_eq!(q("ENDS WITH 'e'"), [s("Alice"), s("Dave")]);
    assert_eq!(q("CONTAINS 'o'"), [s("Bob"), s("Carol")]);
}

#[test]
fn return_aliases_star_and_distinct() {
    let engine = people();
    let out = run(
        &engine,
        "MATCH (p:Person {name: 'Bob'}) RETURN p.name AS name, p.age AS `the age`",
    );
    assert_eq!(out.fields, ["name", "the age"]);
    assert_eq!(out.records, [vec![s("Bob"), i(25)]]);

    let out = run(&engine, "MATCH (p:Person {name: 'Bob'}) RETURN *");
    assert_eq!(out.fields, ["p"]);
    assert!(matches!(&out.records[0][0], Value::Node(n) if n.properties["name"] == s("Bob")));

    let out = run(
        &engine,
        "MATCH (p)-[:KNOWS]->() RETURN DISTINCT labels(p) AS l",
    );
    assert_eq!(single_column(&out), [list([s("Person")])]);
}

#[test]
fn order_by_skip_and_limit_also_as_parameters() {
    let engine = people();
    let out = run(
        &engine,
        "MATCH (p:Person) RETURN p.name ORDER BY p.name DESC SKIP 1 LIMIT 2",
    );
    assert_eq!(single_column(&out), [s("Carol"), s("Bob")]);
    let out = run_with(
        &engine,
        "MATCH (p:Person) RETURN p.name ORDER BY p.name SKIP $skip LIMIT $limit",
        &params([("skip", i(2)), ("limit", i(5))]),
    );
    assert_eq!(single_column(&out), [s("Carol"), s("Dave")]);
    // A negative literal is refused when the query is compiled, a negative
    // parameter when the query runs (both syntax errors, as in Neo4j).
    let err = fail(&engine, "MATCH (p:Person) RETURN p.name SKIP -1");
    assert_eq!(err.code, codes::SYNTAX_ERROR);
    let err = fail_with(
        &engine,
        "MATCH (p:Person) RETURN p.name SKIP $skip",
        &params([("skip", i(-1))]),
    );
    assert_eq!(err.code, codes::SYNTAX_ERROR);
}

#[test]
fn aggregates_count_collect_sum_avg_min_max() {
    let engine = people();
    let out = run(
        &engine,
        "MATCH (p:Person) RETURN count(*), count(p.age), sum(p.age), avg(p.age), min(p.age), max(p.age)",
    );
    assert_eq!(
        out.fields,
        [
            "count(*)",
            "count(p.age)",
            "sum(p.age)",
            "avg(p.age)",
            "min(p.age)",
            "max(p.age)"
        ]
    );
    assert_eq!(
        out.records,
        [vec![i(4), i(3), i(96), Value::Float(32.0), i(25), i(41)]]
    );
    let out = run(
        &engine,
        "MATCH (p:Person) WITH p ORDER BY p.name RETURN collect(p.name) AS names",
    );
    assert_eq!(
        single_column(&out),
        [list([s("Alice"), s("Bob"), s("Carol"), s("Dave")])]
    );
    let out = run(
        &engine,
        "MATCH (p:Person)-[:KNOWS]->(f) RETURN p.name, count(f) AS friends ORDER BY p.name",
    );
    assert_eq!(out.records, [vec![s("Alice"), i(1)], vec![s("Bob"), i(1)]]);
}

#[test]
fn with_pipelines_filter_and_alias() {
    let engine = people();
    let out = run(
        &engine,
        "MATCH (p:Person) WITH p.name AS name, p.age AS age WHERE age > 26 \
         RETURN name ORDER BY name",
    );
    assert_eq!(single_column(&out), [s("Alice"), s("Carol")]);
}

#[test]
fn merge_runs_on_create_then_on_match() {
    let engine = engine();
    let merge = "MERGE (c:Company {name: 'Acme'}) ON CREATE SET c.created = true \
                 ON MATCH SET c.matched = true RETURN c.created, c.matched";
    let first = run(&engine, merge);
    assert_eq!(first.records, [vec![Value::Boolean(true), Value::Null]]);
    assert_eq!(first.stats.nodes_created, 1);
    let second = run(&engine, merge);
    assert_eq!(
        second.records,
        [vec![Value::Boolean(true), Value::Boolean(true)]]
    );
    assert_eq!(second.stats.nodes_created, 0);
    let count = run(&engine, "MATCH (c:Company) RETURN count(c)");
    assert_eq!(single_column(&count), [i(1)]);
}

#[test]
fn merge_of_the_seed_links_an_employee_once() {
    let engine = engine();
    run_with(
        &engine,
        "CREATE (a:Person {name: $name}) RETURN id(a)",
        &params([("name", s("Alice"))]),
    );
    let merge = "MATCH (emp:Person {name: $person_name}) MERGE (com:Company {name: $company_name}) \
                 MERGE (emp)-[:WORKS_FOR]->(com)";
    let args = params([("person_name", s("Alice")), ("company_name", s("Acme"))]);
    let first = run_with(&engine, merge, &args);
    assert_eq!(first.stats.nodes_created, 1);
    assert_eq!(first.stats.relationships_created, 1);
    let second = run_with(&engine, merge, &args);
    assert!(!second.stats.contains_updates);
    let out = run(
        &engine,
        "MATCH (p:Person)-[:WORKS_FOR]->(c:Company) RETURN p.name, c.name",
    );
    assert_eq!(out.records, [vec![s("Alice"), s("Acme")]]);
}

#[test]
fn set_and_remove_properties_and_labels() {
    let engine = people();
    let out = run(
        &engine,
        "MATCH (p:Person {name: 'Bob'}) SET p.age = 26, p.city = 'Oslo', p:Admin RETURN labels(p), p.age",
    );
    assert_eq!(out.records, [vec![list([s("Person"), s("Admin")]), i(26)]]);
    assert_eq!(out.stats.properties_set, 2);
    assert_eq!(out.stats.labels_added, 1);

    let out = run(
        &engine,
        "MATCH (p:Person {name: 'Bob'}) REMOVE p.city, p:Admin RETURN labels(p), p.city",
    );
    assert_eq!(out.records, [vec![list([s("Person")]), Value::Null]]);
    assert_eq!(out.stats.labels_removed, 1);

    let out = run(
        &engine,
        "MATCH (p:Person {name: 'Bob'}) SET p += {nick: 'B'} RETURN p.nick, p.age",
    );
    assert_eq!(out.records, [vec![s("B"), i(26)]]);
    let out = run(
        &engine,
        "MATCH ()-[r:KNOWS {since: 2010}]->() SET r.since = 2011 RETURN r.since",
    );
    assert_eq!(single_column(&out), [i(2011)]);
}

#[test]
fn delete_of_a_connected_node_fails_with_constraint_validation() {
    let engine = people();
    let err = fail(&engine, "MATCH (p:Person {name: 'Bob'}) DELETE p");
    assert_eq!(err.code, codes::CONSTRAINT_VALIDATION_FAILED);
    assert!(err.message.contains("still has relationships"), "{err}");
    let out = run(&engine, "MATCH (p:Person {name: 'Bob'}) RETURN count(p)");
    assert_eq!(single_column(&out), [i(1)]);

    let out = run(&engine, "MATCH (p:Person {name: 'Dave'}) DELETE p");
    assert_eq!(out.stats.nodes_deleted, 1);
    let out = run(&engine, "MATCH (:Person {name: 'Bob'})-[r]->() DELETE r");
    assert_eq!(out.stats.relationships_deleted, 1);
}

#[test]
fn detach_delete_removes_node_and_relationships() {
    let engine = people();
    let out = run(&engine, "MATCH (p:Person {name: 'Bob'}) DETACH DELETE p");
    assert_eq!(out.stats.nodes_deleted, 1);
    assert_eq!(out.stats.relationships_deleted, 2);
    let out = run(&engine, "MATCH ()-[r:KNOWS]->() RETURN count(r)");
    assert_eq!(single_column(&out), [i(0)]);
}

#[test]
fn unwind_lists_and_parameter_ranges() {
    let engine = engine();
    let out = run_with(
        &engine,
        "UNWIND range(1, $n) AS x RETURN x",
        &params([("n", i(4))]),
    );
    assert_eq!(out.fields, ["x"]);
    assert_eq!(single_column(&out), [i(1), i(2), i(3), i(4)]);
    let out = run_with(
        &engine,
        "UNWIND $rows AS row CREATE (:Item {n: row.n}) RETURN count(*)",
        &params([(
            "rows",
            list([
                Value::Map(params([("n", i(1))])),
                Value::Map(params([("n", i(2))])),
            ]),
        )]),
    );
    assert_eq!(out.stats.nodes_created, 2);
    let out = run(&engine, "UNWIND [] AS x RETURN x");
    assert!(out.records.is_empty());
}

#[test]
fn case_in_both_forms() {
    let engine = people();
    let out = run(
        &engine,
        "MATCH (p:Person) RETURN p.name, CASE WHEN p.age >= 30 THEN 'senior' \
         WHEN p.age IS NULL THEN 'unknown' ELSE 'junior' END AS band ORDER BY p.name",
    );
    assert_eq!(
        out.records,
        [
            vec![s("Alice"), s("senior")],
            vec![s("Bob"), s("junior")],
            vec![s("Carol"), s("senior")],
            vec![s("Dave"), s("unknown")],
        ]
    );
    let out = run(
        &engine,
        "RETURN CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END",
    );
    assert_eq!(
        out.fields,
        ["CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END"]
    );
    assert_eq!(single_column(&out), [s("two")]);
}

#[test]
fn parameters_of_every_engine_type_round_trip() {
    let engine = engine();
    let values = [
        Value::Null,
        Value::Boolean(true),
        i(-7),
        Value::Float(2.5),
        s("héllo"),
        list([i(1), s("two"), list([Value::Null])]),
        Value::Map(params([
            ("k", i(1)),
            ("nested", Value::Map(params([("x", s("y"))]))),
        ])),
        Value::Date(Date { days: 19000 }),
        Value::Time(Time {
            nanoseconds: 3_600_000_000_001,
            tz_offset_seconds: 7200,
        }),
        Value::LocalTime(LocalTime { nanoseconds: 42 }),
        Value::DateTime(DateTime {
            seconds: 1_700_000_000,
            nanoseconds: 5,
            tz_offset_seconds: -3600,
        }),
        Value::DateTimeZoneId(DateTimeZoneId {
            seconds: 1_700_000_000,
            nanoseconds: 0,
            tz_id: "Europe/Paris".into(),
        }),
        Value::LocalDateTime(LocalDateTime {
            seconds: -86_400,
            nanoseconds: 1,
        }),
        Value::Duration(BoltDuration {
            months: 14,
            days: -3,
            seconds: 61,
            nanoseconds: 7,
        }),
    ];
    for value in values {
        let out = run_with(&engine, "RETURN $v AS v", &params([("v", value.clone())]));
        assert_eq!(single_column(&out), [value]);
    }
    // Stored and read back as properties too.
    let date = Value::Date(Date { days: 1 });
    let out = run_with(
        &engine,
        "CREATE (n:T {d: $d, l: $l}) RETURN n.d, n.l",
        &params([("d", date.clone()), ("l", list([i(1), i(2)]))]),
    );
    assert_eq!(out.records, [vec![date, list([i(1), i(2)])]]);
}

#[test]
fn legacy_zone_id_parameters_become_instants() {
    let engine = engine();
    // 2023-07-01T12:00 wall clock in Paris is 10:00 UTC (summer time).
    let local = 1_688_212_800; // 2023-07-01T12:00:00 read as UTC
    let out = run_with(
        &engine,
        "RETURN $t AS t",
        &params([(
            "t",
            Value::LegacyDateTimeZoneId(LegacyDateTimeZoneId {
                local_seconds: local,
                nanoseconds: 0,
                tz_id: "Europe/Paris".into(),
            }),
        )]),
    );
    assert_eq!(
        single_column(&out),
        [Value::DateTimeZoneId(DateTimeZoneId {
            seconds: local - 7200,
            nanoseconds: 0,
            tz_id: "Europe/Paris".into(),
        })]
    );
}

#[test]
fn byte_arrays_and_points_are_parameters_and_properties() {
    let engine = engine();
    let bytes = Value::Bytes(vec![0, 1, 127, 128, 255]);
    let point = Value::Point2D(Point2D {
        srid: 7203,
        x: 1.0,
        y: 2.0,
    });
    run_with(
        &engine,
        "CREATE (:Blob {data: $b, at: $p})",
        &params([("b", bytes.clone()), ("p", point.clone())]),
    );
    let out = run(&engine, "MATCH (n:Blob) RETURN n.data, n.at, n.at.x");
    assert_eq!(out.records, [vec![bytes, point, Value::Float(1.0)]]);
}

#[test]
fn unknown_zones_and_graph_values_are_refused_as_parameters() {
    let engine = engine();
    for value in [
        Value::DateTimeZoneId(DateTimeZoneId {
            seconds: 0,
            nanoseconds: 0,
            tz_id: "Mars/Olympus".into(),
        }),
        Value::Point2D(Point2D {
            srid: 1234,
            x: 1.0,
            y: 2.0,
        }),
    ] {
        let err = fail_with(&engine, "RETURN $v", &params([("v", value)]));
        assert!(
            err.code == codes::TYPE_ERROR || err.code == codes::ARGUMENT_ERROR,
            "{err}"
        );
    }
}

#[test]
fn missing_parameter_is_parameter_missing() {
    let engine = engine();
    let err = fail(&engine, "MATCH (p:Person {name: $who}) RETURN p");
    assert_eq!(err.code, codes::PARAMETER_MISSING);
    assert!(err.message.contains("who"), "{err}");
}

#[test]
fn scalar_and_list_functions() {
    let engine = people();
    let out = run(
        &engine,
        "MATCH (p:Person {name: 'Alice'})-[r:KNOWS]->() \
         RETURN id(p), elementId(p), labels(p), type(r), properties(r), keys(p), \
         range(1, 3), size([1, 2]), size('abc'), coalesce(p.missing, p.name)",
    );
    assert_eq!(
        out.fields,
        [
            "id(p)",
            "elementId(p)",
            "labels(p)",
            "type(r)",
            "properties(r)",
            "keys(p)",
            "range(1, 3)",
            "size([1, 2])",
            "size('abc')",
            "coalesce(p.missing, p.name)"
        ]
    );
    let row = &out.records[0];
    let Value::Integer(id) = row[0] else {
        panic!("id is {:?}", row[0])
    };
    assert_eq!(row[1], s(&id.to_string()));
    assert_eq!(row[2], list([s("Person")]));
    assert_eq!(row[3], s("KNOWS"));
    assert_eq!(row[4], Value::Map(params([("since", i(2010))])));
    let Value::List(keys) = &row[5] else { panic!() };
    let mut keys = keys.clone();
    keys.sort_by_key(|k| format!("{k:?}"));
    assert_eq!(keys, [s("age"), s("name")]);
    assert_eq!(row[6], list([i(1), i(2), i(3)]));
    assert_eq!(row[7..], [i(2), i(3), s("Alice")]);
}

#[test]
fn element_id_works_in_where_and_matches_node_values() {
    let engine = people();
    let out = run(&engine, "MATCH (p:Person {name: 'Carol'}) RETURN p");
    let Value::Node(carol) = &out.records[0][0] else {
        panic!()
    };
    let out = run_with(
        &engine,
        "MATCH (p) WHERE elementId(p) = $id RETURN p.name",
        &params([("id", s(&carol.element_id))]),
    );
    assert_eq!(single_column(&out), [s("Carol")]);
}

#[test]
fn nodes_relationships_and_paths_come_back_as_graph_values() {
    let engine = people();
    let out = run(
        &engine,
        "MATCH p = (a:Person {name: 'Alice'})-[r:KNOWS]->(b) RETURN a, r, b, p",
    );
    let [
        Value::Node(a),
        Value::Relationship(r),
        Value::Node(b),
        Value::Path(p),
    ] = &out.records[0][..]
    else {
        panic!("{:?}", out.records)
    };
    assert_eq!(a.labels, ["Person"]);
    assert_eq!(a.properties["name"], s("Alice"));
    assert_eq!(a.element_id, a.id.to_string());
    assert_eq!(r.rel_type, "KNOWS");
    assert_eq!((r.start_node_id, r.end_node_id), (a.id, b.id));
    assert_eq!(r.start_node_element_id, a.element_id);
    assert_eq!(r.properties["since"], i(2010));
    assert_eq!(p.nodes, [(**a).clone(), (**b).clone()]);
    assert_eq!(p.relationships.len(), 1);
    assert_eq!(p.indices, [1, 1]);
    assert_eq!(p.segments().unwrap()[0].relationship, **r);

    // Walked against the arrow: the step is negative.
    let out = run(
        &engine,
        "MATCH p = (:Person {name: 'Carol'})<-[:KNOWS*2]-(x) RETURN p",
    );
    let Value::Path(p) = &out.records[0][0] else {
        panic!()
    };
    assert_eq!(p.nodes.len(), 3);
    assert_eq!(p.indices, [-1, 1, -2, 2]);
    let names: Vec<_> = p
        .nodes
        .iter()
        .map(|n| n.properties["name"].clone())
        .collect();
    assert_eq!(names, [s("Carol"), s("Bob"), s("Alice")]);
}

#[test]
fn rollback_undoes_every_write() {
    let engine = people();
    let mut tx = engine.begin("neo4j", AccessMode::Write).unwrap();
    tx.execute("CREATE (:Person {name: 'Eve'})", &no_params())
        .unwrap();
    tx.execute(
        "MATCH (p:Person {name: 'Alice'}) SET p.age = 99",
        &no_params(),
    )
    .unwrap();
    tx.execute(
        "MATCH (p:Person {name: 'Bob'}) DETACH DELETE p",
        &no_params(),
    )
    .unwrap();
    tx.rollback();
    let out = run(
        &engine,
        "MATCH (p:Person) RETURN p.name, p.age ORDER BY p.name",
    );
    assert_eq!(
        out.records,
        [
            vec![s("Alice"), i(30)],
            vec![s("Bob"), i(25)],
            vec![s("Carol"), i(41)],
            vec![s("Dave"), Value::Null],
        ]
    );
}

#[test]
fn dropping_a_transaction_rolls_it_back_and_frees_the_write_lock() {
    let engine = engine();
    {
        let mut tx = engine.begin("neo4j", AccessMode::Write).unwrap();
        tx.execute("CREATE (:Ghost)", &no_params()).unwrap();
    }
    let out = run(&engine, "MATCH (g:Ghost) RETURN count(g)");
    assert_eq!(single_column(&out), [i(0)]);
}

#[test]
fn a_transaction_reads_its_own_writes() {
    let engine = engine();
    let mut tx = engine.begin("neo4j", AccessMode::Write).unwrap();
    tx.execute("CREATE (:Person {name: 'Eve'})", &no_params())
        .unwrap();
    let out = tx
        .execute("MATCH (p:Person) RETURN p.name", &no_params())
        .unwrap();
    assert_eq!(single_column(&out), [s("Eve")]);
    tx.commit().unwrap();
    let out = run(&engine, "MATCH (p:Person) RETURN p.name");
    assert_eq!(single_column(&out), [s("Eve")]);
}

#[test]
fn others_do_not_see_uncommitted_writes_and_wait_to_write() {
    let engine = engine();
    let mut writer = engine.begin("neo4j", AccessMode::Write).unwrap();
    writer
        .execute("CREATE (:Person {name: 'Eve'})", &no_params())
        .unwrap();

    let mut reader = engine.begin("neo4j", AccessMode::Read).unwrap();
    let out = reader
        .execute("MATCH (p:Person) RETURN count(p)", &no_params())
        .unwrap();
    assert_eq!(single_column(&out), [i(0)]);

    // A second writer reads the committed state, then waits for the lock.
    let mut second = engine.begin("neo4j", AccessMode::Write).unwrap();
    let out = second
        .execute("MATCH (p:Person) RETURN count(p)", &no_params())
        .unwrap();
    assert_eq!(single_column(&out), [i(0)]);
    let err = second
        .execute("CREATE (:Person {name: 'Mallory'})", &no_params())
        .unwrap_err();
    assert_eq!(err.code, codes::LOCK_ACQUISITION_TIMEOUT);
    assert!(err.is_transient());

    writer.commit().unwrap();
    let out = reader
        .execute("MATCH (p:Person) RETURN count(p)", &no_params())
        .unwrap();
    assert_eq!(single_column(&out), [i(1)]);
    assert_eq!(
        run(&engine, "CREATE (:Person {name: 'Mallory'})")
            .stats
            .nodes_created,
        1
    );
}

#[test]
fn a_waiting_writer_proceeds_once_the_lock_is_released() {
    let engine = Arc::new(
        MarsEngine::new()
            .unwrap()
            .with_lock_timeout(Duration::from_secs(10)),
    );
    let mut first = engine.begin("neo4j", AccessMode::Write).unwrap();
    first.execute("CREATE (:N {v: 1})", &no_params()).unwrap();
    let other = Arc::clone(&engine);
    let waiter = thread::spawn(move || {
        let mut tx = other.begin("neo4j", AccessMode::Write).unwrap();
        tx.execute("MATCH (n:N) SET n.v = n.v + 10", &no_params())
            .unwrap();
        tx.commit().unwrap();
    });
    thread::sleep(Duration::from_millis(50));
    first.commit().unwrap();
    waiter.join().unwrap();
    let out = run(&*engine, "MATCH (n:N) RETURN n.v");
    assert_eq!(single_column(&out), [i(11)]);
}

#[test]
fn concurrent_writers_are_serialised() {
    let engine = Arc::new(MarsEngine::new().unwrap());
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let engine = Arc::clone(&engine);
            thread::spawn(move || {
                for n in 0..10 {
                    let mut tx = engine.begin("neo4j", AccessMode::Write).unwrap();
                    tx.execute(
                        "CREATE (:W {w: $w, n: $n})",
                        &params([("w", i(w)), ("n", i(n))]),
                    )
                    .unwrap();
                    tx.commit().unwrap();
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let out = run(&*engine, "MATCH (x:W) RETURN count(x)");
    assert_eq!(single_column(&out), [i(40)]);
}

#[test]
fn a_failed_statement_rolls_the_transaction_back() {
    let engine = people();
    let mut tx = engine.begin("neo4j", AccessMode::Write).unwrap();
    tx.execute("CREATE (:Person {name: 'Eve'})", &no_params())
        .unwrap();
    let err = tx.execute("RETURN 1 / 0", &no_params()).unwrap_err();
    assert_eq!(err.code, codes::ARITHMETIC_ERROR);
    let err = tx.execute("RETURN 1", &no_params()).unwrap_err();
    assert_eq!(err.code, codes::TRANSACTION_MARKED_AS_FAILED);
    assert_eq!(
        tx.commit().unwrap_err().code,
        codes::TRANSACTION_MARKED_AS_FAILED
    );
    let out = run(&engine, "MATCH (p:Person {name: 'Eve'}) RETURN count(p)");
    assert_eq!(single_column(&out), [i(0)]);
}

#[test]
fn read_transactions_refuse_writes_but_run_procedures() {
    let engine = people();
    let mut tx = engine.begin("neo4j", AccessMode::Read).unwrap();
    let err = tx
        .execute("CREATE (:Person {name: 'Eve'})", &no_params())
        .unwrap_err();
    assert_eq!(err.code, codes::ACCESS_MODE);
    let out = run(&engine, "MATCH (p:Person {name: 'Eve'}) RETURN count(p)");
    assert_eq!(single_column(&out), [i(0)]);

    let mut tx = engine.begin("neo4j", AccessMode::Read).unwrap();
    let out = tx.execute("CALL db.labels()", &no_params()).unwrap();
    assert_eq!(out.fields[0], "label");
    assert_eq!(out.query_type, QueryType::Read);
    let labels: Vec<_> = out.records.iter().map(|row| row[0].clone()).collect();
    assert!(labels.contains(&s("Person")) && labels.contains(&s("Company")));
    let out = tx.execute("RETURN 1 + 1 AS two", &no_params()).unwrap();
    assert_eq!(single_column(&out), [i(2)]);
    tx.commit().unwrap();
}

#[test]
fn invalid_queries_are_syntax_errors_naming_the_problem() {
    let engine = people();
    for query in [
        "RETRUN 1",
        "MATCH (p) RETURN nosuchfunction(p)",
        "MATCH (p RETURN p",
    ] {
        let err = fail(&engine, query);
        assert_eq!(err.code, codes::SYNTAX_ERROR, "{query}: {err}");
        assert!(!err.message.is_empty());
    }
    let err = fail(&engine, "MATCH (p) RETURN nosuchfunction(p)");
    assert!(err.message.contains("nosuchfunction"), "{err}");
    let err = fail(&engine, "BEGIN");
    assert_eq!(err.code, codes::SYNTAX_ERROR);
    assert!(err.message.contains("transaction API"), "{err}");
    let err = fail(&engine, "RETURN x");
    assert_eq!(err.code, codes::SYNTAX_ERROR);
}

#[test]
fn type_and_arithmetic_errors_have_their_codes() {
    let engine = engine();
    // A literal of the wrong type is found before the query runs, as Neo4j
    // finds it: a syntax error; a value only known when it runs is a type
    // error.
    assert_eq!(fail(&engine, "RETURN 'a' * 2").code, codes::SYNTAX_ERROR);
    let text = Map::from([("text".to_owned(), s("a"))]);
    assert_eq!(
        fail_with(&engine, "RETURN $text * 2", &text).code,
        codes::TYPE_ERROR
    );
    assert_eq!(
        fail(&engine, "CREATE (:X {m: {a: 1}})").code,
        codes::TYPE_ERROR
    );
    assert_eq!(fail(&engine, "RETURN 1 / 0").code, codes::ARITHMETIC_ERROR);
    assert_eq!(
        fail(&engine, "RETURN 9223372036854775807 + 1").code,
        codes::ARITHMETIC_ERROR
    );
}

#[test]
fn garbage_and_hostile_queries_fail_cleanly() {
    let engine = engine();
    let deep = format!("RETURN {}1{}", "(".repeat(5000), ")".repeat(5000));
    let err = fail(&engine, &deep);
    assert_eq!(err.code, codes::SYNTAX_ERROR);
    assert!(err.message.contains("nests"), "{err}");
    for query in [
        "",
        ";",
        "   ",
        "((((",
        "MATCH (",
        "RETURN '",
        "MATCH (a)-[",
        "RETURN \u{0}",
        "CREATE (:`",
        "MATCH (n) RETURN n LIMIT 99999999999999999999",
        "RETURN [1,2,3][99999999999]",
        "RETURN substring('abc', -5, -7)",
    ] {
        let mut tx = engine.begin("neo4j", AccessMode::Write).unwrap();
        if let Err(err) = tx.execute(query, &no_params()) {
            assert!(err.code.starts_with("Neo."), "{query}: {err}");
        }
    }
}

#[test]
fn deeply_nested_parameters_are_handled() {
    let engine = engine();
    let mut nested = i(1);
    for _ in 0..500 {
        nested = list([nested]);
    }
    let mut tx = engine.begin("neo4j", AccessMode::Write).unwrap();
    match tx.execute("RETURN size($v) AS n", &params([("v", nested)])) {
        Ok(out) => assert_eq!(single_column(&out), [i(1)]),
        Err(err) => assert!(err.code.starts_with("Neo.ClientError."), "{err}"),
    }
}

#[test]
fn mutated_queries_never_panic_the_caller() {
    let engine = people();
    let seeds = [
        "MATCH (a:Person {name: 'Alice'})-[:KNOWS*1..2]->(b) RETURN b.name ORDER BY b.name",
        "UNWIND range(1, 3) AS x WITH x WHERE x > 1 RETURN collect(x)",
        "MERGE (c:Company {name: 'Acme'}) ON MATCH SET c.n = 1 RETURN c",
    ];
    let alphabet = b"()[]{}-<>:,.$'\"`*|=+ 0aZ";
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..150 {
        let mut bytes = seeds[round % seeds.len()].as_bytes().to_vec();
        for _ in 0..(1 + next() % 4) {
            let at = (next() as usize) % bytes.len();
            match next() % 3 {
                0 => bytes[at] = alphabet[(next() as usize) % alphabet.len()],
                1 => {
                    bytes.remove(at);
                }
                _ => bytes.insert(at, alphabet[(next() as usize) % alphabet.len()]),
            }
        }
        let query = String::from_utf8_lossy(&bytes).into_owned();
        let mut tx = engine.begin("neo4j", AccessMode::Write).unwrap();
        if let Err(err) = tx.execute(&query, &no_params()) {
            assert!(err.code.starts_with("Neo."), "{query}: {err}");
        }
        tx.rollback();
    }
}

#[test]
fn databases_are_separate_and_managed_by_name() {
    let engine = engine();
    assert_eq!(engine.databases(), ["neo4j", "system"]);
    engine.create_database("reports").unwrap();
    assert_eq!(
        engine.create_database("Reports").unwrap_err().code,
        codes::EXISTING_DATABASE_FOUND
    );
    assert_eq!(
        engine.create_database("x").unwrap_err().code,
        codes::ARGUMENT_ERROR
    );

    let mut tx = engine.begin("reports", AccessMode::Write).unwrap();
    tx.execute("CREATE (:Report)", &no_params()).unwrap();
    tx.commit().unwrap();
    let out = run(&engine, "MATCH (n) RETURN count(n)");
    assert_eq!(single_column(&out), [i(0)]);

    let mut system = engine.begin("system", AccessMode::Read).unwrap();
    let out = system
        .execute("MATCH (n) RETURN count(n)", &no_params())
        .unwrap();
    assert_eq!(single_column(&out), [i(0)]);

    engine.drop_database("reports").unwrap();
    assert_eq!(
        engine.begin("reports", AccessMode::Read).unwrap_err().code,
        codes::DATABASE_NOT_FOUND
    );
    assert_eq!(
        engine.drop_database("reports").unwrap_err().code,
        codes::DATABASE_NOT_FOUND
    );
    assert_eq!(
        engine.drop_database("system").unwrap_err().code,
        codes::FORBIDDEN
    );
    assert_eq!(engine.databases(), ["neo4j", "system"]);
}

#[test]
fn the_engine_is_usable_as_a_shared_trait_object() {
    let engine: Arc<dyn GraphEngine> = Arc::new(people());
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let engine = Arc::clone(&engine);
            thread::spawn(move || {
                let mut tx = engine.begin("neo4j", AccessMode::Read).unwrap();
                let out = tx
                    .execute("MATCH (p:Person) RETURN count(p)", &no_params())
                    .unwrap();
                tx.commit().unwrap();
                single_column(&out)
            })
        })
        .collect();
    for reader in readers {
        assert_eq!(reader.join().unwrap(), [i(4)]);
    }
}

fn map(entries: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    Value::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

#[test]
fn map_projections_select_properties_and_add_entries() {
    let engine = people();
    let out = run(
        &engine,
        "MATCH (p:Person) WHERE p.age > 26 RETURN p {.name, .age, older: p.age + 1} AS person ORDER BY person.name",
    );
    assert_eq!(out.fields, ["person"]);
    assert_eq!(
        single_column(&out),
        [
            map([("name", s("Alice")), ("age", i(30)), ("older", i(31))]),
            map([("name", s("Carol")), ("age", i(41)), ("older", i(42))]),
        ]
    );

    // Unaliased, the column is named by the projection as written.
    let out = run(
        &engine,
        "MATCH (p:Person {name: 'Dave'}) WITH p, 7 AS x RETURN p {.name, x}",
    );
    assert_eq!(out.fields, ["p {.name, x}"]);
    assert_eq!(
        single_column(&out),
        [map([("name", s("Dave")), ("x", i(7))])]
    );

    // `.*` alone is every property; a missing one reads as null.
    let out = run(
        &engine,
        "MATCH (p:Person {name: 'Bob'}) RETURN p {.*} AS everything, p {.name, .email} AS some",
    );
    assert_eq!(out.records[0][0], map([("name", s("Bob")), ("age", i(25))]));
    assert_eq!(
        out.records[0][1],
        map([("name", s("Bob")), ("email", Value::Null)])
    );
}

#[test]
fn map_projections_nest_and_mix_with_parameters() {
    let engine = people();
    let out = run_with(
        &engine,
        "MATCH (p:Person {name: $name})-[:KNOWS]->(f) \
         WITH p, collect(f {.name, tag: $tag}) AS friends \
         RETURN p {.name, friends} AS person",
        &params([("name", s("Alice")), ("tag", s("friend"))]),
    );
    assert_eq!(
        single_column(&out),
        [map([
            ("name", s("Alice")),
            (
                "friends",
                list([map([("name", s("Bob")), ("tag", s("friend"))])])
            ),
        ])]
    );
    // A pattern's property map is not a projection.
    let out = run(&engine, "MATCH (p {name: 'Carol'}) RETURN p.age");
    assert_eq!(single_column(&out), [i(41)]);
}
