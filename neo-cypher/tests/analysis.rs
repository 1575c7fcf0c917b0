//! The analyses a checked query relies on: parameters, returned columns,
//! read-only detection, and the schema names a query mentions.

use neo_cypher::{ReturnColumns, Span, parse};

fn parameters(text: &str) -> Vec<String> {
    parse(text)
        .unwrap()
        .parameters()
        .iter()
        .map(|p| p.name.clone())
        .collect()
}

fn columns(text: &str) -> Option<ReturnColumns> {
    parse(text).unwrap().returned_columns()
}

fn column_names(text: &str) -> Vec<String> {
    match columns(text) {
        Some(ReturnColumns::Named(columns)) => columns.into_iter().map(|c| c.name).collect(),
        other => panic!("expected named columns for {text:?}, got {other:?}"),
    }
}

fn read_only(text: &str) -> bool {
    parse(text).unwrap().is_read_only()
}

fn names(list: &[neo_cypher::ast::Name]) -> Vec<&str> {
    list.iter().map(|n| n.name.as_str()).collect()
}

#[test]
fn parameters_are_listed_once_in_order_of_first_appearance() {
    let text =
        "MATCH (n:Person {id: $id}) WHERE n.age > $min AND n.id <> $id RETURN n LIMIT $limit";
    assert_eq!(parameters(text), ["id", "min", "limit"]);
    let query = parse(text).unwrap();
    let first = query.parameters()[0];
    assert_eq!(first.span, Span::new(21, 24));
    assert_eq!(first.span.text(text), "$id");
}

#[test]
fn numbered_quoted_and_nested_parameters_are_found() {
    assert_eq!(
        parameters("RETURN $0, $1, $`odd name`"),
        ["0", "1", "odd name"]
    );
    assert_eq!(
        parameters("MATCH (n:$($label)) SET n += $props RETURN n"),
        ["label", "props"]
    );
    assert_eq!(
        parameters(
            "CALL { MATCH (n) WHERE n.x = $inner RETURN n } RETURN [x IN $list WHERE x > $floor] AS xs, n"
        ),
        ["inner", "list", "floor"]
    );
    assert_eq!(parameters("CREATE (n $props)"), ["props"]);
    assert_eq!(
        parameters("CREATE INDEX $name FOR (n:L) ON (n.p)"),
        ["name"]
    );
}

#[test]
fn parameters_in_comments_and_strings_are_ignored() {
    assert_eq!(
        parameters("RETURN '$notParam' AS s // $alsoNot\n, $real /* $nope */"),
        ["real"]
    );
}

#[test]
fn columns_use_aliases_or_the_expression_text_as_written() {
    assert_eq!(
        column_names(
            "MATCH (p:Person) RETURN p.name, p.age AS age, count(*), toUpper( p.name ), [x IN p.list | x]"
        ),
        [
            "p.name",
            "age",
            "count(*)",
            "toUpper( p.name )",
            "[x IN p.list | x]"
        ]
    );
    assert_eq!(
        column_names("WITH 1 AS `a b` RETURN `a b` AS `the column`"),
        ["the column"]
    );
    assert_eq!(column_names("RETURN (1 + 2) * 3"), ["(1 + 2) * 3"]);
    assert_eq!(
        column_names("MATCH (n) RETURN DISTINCT n.x ORDER BY n.x LIMIT 1"),
        ["n.x"]
    );
}

#[test]
fn column_spans_cover_the_projection_item() {
    let text = "MATCH (n) RETURN n.name AS name, n.age";
    let Some(ReturnColumns::Named(columns)) = columns(text) else {
        panic!()
    };
    assert_eq!(columns[0].span.text(text), "n.name AS name");
    assert_eq!(columns[1].span.text(text), "n.age");
}

#[test]
fn union_columns_come_from_the_first_part_and_must_agree() {
    assert_eq!(
        column_names("RETURN 1 AS x UNION ALL RETURN 2 AS x UNION ALL RETURN 3 AS x"),
        ["x"]
    );
    let error = parse("RETURN 1 AS x UNION RETURN 2 AS y").unwrap_err();
    assert!(
        error.message.contains("same return column names"),
        "{}",
        error.message
    );
    assert_eq!(error.column, 21);
    assert_eq!(
        column_names("RETURN 1 AS x, 2 AS y UNION RETURN 2 AS y, 1 AS x"),
        ["x", "y"]
    );
    let error = parse("RETURN 1 AS x, 2 AS y UNION RETURN 1 AS x").unwrap_err();
    assert!(error.message.contains("same return column names"));
    let error = parse("CALL { RETURN 1 AS a UNION RETURN 2 AS b } RETURN a").unwrap_err();
    assert!(error.message.contains("same return column names"));
}

#[test]
fn star_projections_are_marked() {
    assert_eq!(
        columns("MATCH (n) RETURN *"),
        Some(ReturnColumns::Star(Vec::new()))
    );
    match columns("MATCH (n) RETURN *, n.x AS x") {
        Some(ReturnColumns::Star(extra)) => assert_eq!(extra[0].name, "x"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        columns("CALL db.labels() YIELD *"),
        Some(ReturnColumns::Star(Vec::new()))
    );
}

#[test]
fn queries_without_a_final_return_have_no_columns() {
    assert_eq!(columns("CREATE (n:Person)"), None);
    assert_eq!(columns("MATCH (n) SET n.x = 1"), None);
    assert_eq!(columns("MATCH (n) CALL (n) { SET n.y = 2 }"), None);
    assert_eq!(columns("MATCH (n) DETACH DELETE n FINISH"), None);
    assert_eq!(columns("CREATE INDEX FOR (n:L) ON (n.p)"), None);
    assert_eq!(columns("CALL { RETURN 1 AS x } IN TRANSACTIONS"), None);
}

#[test]
fn procedure_and_show_columns_come_from_yield() {
    assert_eq!(column_names("CALL db.labels() YIELD label"), ["label"]);
    assert_eq!(
        column_names("CALL db.propertyKeys() YIELD propertyKey AS key"),
        ["key"]
    );
    assert_eq!(
        column_names("SHOW INDEXES YIELD name, type WHERE type = 'RANGE'"),
        ["name", "type"]
    );
    assert_eq!(
        column_names("SHOW DATABASES YIELD name RETURN name AS db"),
        ["db"]
    );
    assert_eq!(columns("CALL db.labels()"), Some(ReturnColumns::Unknown));
    assert_eq!(columns("SHOW DATABASES"), Some(ReturnColumns::Unknown));
}

#[test]
fn reading_queries_are_read_only() {
    for text in [
        "MATCH (n) RETURN n",
        "MATCH (n) WHERE EXISTS { (n)-->() } RETURN n",
        "CALL { MATCH (n) RETURN n } RETURN n",
        "CALL db.labels() YIELD label RETURN label",
        "SHOW INDEXES",
        "LOAD CSV FROM 'file:///x.csv' AS row RETURN row",
        "UNWIND [1, 2] AS x RETURN x",
        "RETURN [(a)-->(b) | b] AS bs",
        "MATCH (n) RETURN n.create AS create, n.set AS set",
    ] {
        assert!(read_only(text), "{text}");
    }
}

#[test]
fn writes_anywhere_make_a_query_writing() {
    for text in [
        "CREATE (n)",
        "MERGE (n:A {id: 1}) RETURN n",
        "MATCH (n) SET n.x = 1",
        "MATCH (n) REMOVE n:L",
        "MATCH (n) DELETE n",
        "MATCH (n) DETACH DELETE n",
        "FOREACH (x IN [1] | CREATE (:A))",
        "MATCH (n) CALL (n) { SET n.x = 1 } RETURN n",
        "CALL { MATCH (n) RETURN n } IN TRANSACTIONS",
        "LOAD CSV FROM 'file:///x.csv' AS row CREATE (:Row)",
        "CALL apoc.create.node(['A'], {}) YIELD node RETURN node",
        "CREATE INDEX FOR (n:L) ON (n.p)",
        "DROP CONSTRAINT c",
        "CREATE DATABASE foo",
        "GRANT ROLE r TO u",
        "TERMINATE TRANSACTIONS 'tx-1'",
        "MATCH (a) RETURN a UNION MATCH (b) SET b.x = 1 RETURN b AS a",
    ] {
        assert!(!read_only(text), "{text}");
    }
}

#[test]
fn labels_types_and_property_keys_are_collected_with_spans() {
    let text = "MATCH (a:Person&Admin)-[r:KNOWS|LIKES {since: 1}]->(b:!Robot) \
                WHERE a.age > 3 AND r:KNOWS AND b:Employee \
                SET b:Friend, b.score = 1 \
                RETURN a {.name}";
    let query = parse(text).unwrap();
    assert_eq!(
        names(query.labels()),
        ["Person", "Admin", "Robot", "Employee", "Friend"]
    );
    assert_eq!(
        names(query.relationship_types()),
        ["KNOWS", "LIKES", "KNOWS"]
    );
    assert_eq!(
        names(query.property_keys()),
        ["since", "age", "score", "name"]
    );
    assert_eq!(query.labels()[0].span.text(text), "Person");
    assert_eq!(query.relationship_types()[1].span.text(text), "LIKES");
}

#[test]
fn schema_commands_report_their_labels_and_properties() {
    let query =
        parse("CREATE CONSTRAINT c FOR (p:Person) REQUIRE (p.first, p.last) IS NODE KEY").unwrap();
    assert_eq!(names(query.labels()), ["Person"]);
    assert_eq!(names(query.property_keys()), ["first", "last"]);
    let query = parse("CREATE INDEX i FOR ()-[r:OWNS]-() ON (r.since)").unwrap();
    assert_eq!(names(query.relationship_types()), ["OWNS"]);
}

#[test]
fn backtracked_patterns_do_not_leave_symbols_behind() {
    // `(a.x + 1)` is first tried as a pattern and then read as an expression.
    let query = parse("MATCH (a) RETURN (a.x + 1) AS y").unwrap();
    assert_eq!(names(query.property_keys()), ["x"]);
}

#[test]
fn prefixes_are_kept() {
    assert_eq!(
        parse("CYPHER 5 EXPLAIN MATCH (n) RETURN n")
            .unwrap()
            .prefix(),
        Some("CYPHER 5 EXPLAIN")
    );
    assert_eq!(parse("MATCH (n) RETURN n").unwrap().prefix(), None);
}
