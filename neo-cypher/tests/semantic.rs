//! The semantic analysis: each rule rejects what Neo4j rejects, with
//! Neo4j's detail, status code and a precise position, and accepts the
//! valid queries around it.

use neo_cypher::{ErrorDetail, parse};

/// Asserts that `text` is rejected with `detail` at the last occurrence of
/// `at` in the text; returns the message.
#[track_caller]
fn rejects(text: &str, detail: ErrorDetail, at: &str) -> String {
    let error = match parse(text) {
        Ok(_) => panic!("accepted: {text}"),
        Err(error) => error,
    };
    assert_eq!(error.detail(), detail, "{text}\n{}", error.render(text));
    let offset = text
        .rfind(at)
        .unwrap_or_else(|| panic!("`{at}` is not in {text}"));
    assert_eq!(
        error.offset,
        offset,
        "{text}: wrong position\n{}",
        error.render(text)
    );
    error.message
}

#[track_caller]
fn accepts(text: &str) {
    if let Err(error) = parse(text) {
        panic!("rejected: {text}\n{}", error.render(text));
    }
}

#[test]
fn variables_must_be_in_scope() {
    let message = rejects("MATCH (a) RETURN b", ErrorDetail::UndefinedVariable, "b");
    assert_eq!(message, "Variable `b` not defined");
    rejects(
        "MATCH (a)-->(b) WITH a RETURN b",
        ErrorDetail::UndefinedVariable,
        "b",
    );
    rejects(
        "UNWIND [1] AS x RETURN [y IN [x] | y] AS l, y",
        ErrorDetail::UndefinedVariable,
        "y",
    );
    rejects(
        "MATCH (n) CALL { RETURN n.x AS x } RETURN x",
        ErrorDetail::UndefinedVariable,
        "n.x",
    );
    rejects(
        "MATCH (a) WHERE (a)-[r]->() RETURN a",
        ErrorDetail::UndefinedVariable,
        "r]",
    );
    accepts("MATCH (a)-->(b) WITH a WHERE b.x = 1 RETURN a");
    accepts("MATCH (a)-->(b) WITH a ORDER BY b.y RETURN a");
    rejects(
        "MATCH (a)-->(b) WITH a RETURN a ORDER BY b.y",
        ErrorDetail::UndefinedVariable,
        "b.y",
    );
    accepts("MATCH (n) CALL { WITH n RETURN n.x AS x } RETURN x");
    accepts("MATCH (n) CALL (n) { MATCH (n)-->(m) RETURN m } RETURN n, m");
    accepts("MATCH (n) CALL (*) { RETURN n.x AS x } RETURN x");
    accepts("MATCH (n) WHERE EXISTS { MATCH (n)-->(m) WHERE m.x > n.x } RETURN n");
    accepts("RETURN [(a)-->(b) WHERE b:L | b.name] AS names");
    accepts("CALL db.labels() YIELD label RETURN label");
    accepts("CALL db.labels() YIELD *");
    accepts("SHOW INDEXES YIELD name, type WHERE type = 'RANGE' RETURN name");
    accepts("SHOW PROCEDURES WHERE name STARTS WITH 'db.'");
}

#[test]
fn the_did_you_mean_names_a_variable_in_scope() {
    let text = "MATCH (person) RETURN persn.name";
    let error = parse(text).unwrap_err();
    assert_eq!(error.help.as_deref(), Some("did you mean `person`?"));
    assert_eq!(
        error.render(text),
        "error: Variable `persn` not defined\n\
         1 | MATCH (person) RETURN persn.name\n  \
           |                       ^^^^^\n  \
           = help: did you mean `person`?"
    );
}

#[test]
fn after_distinct_or_aggregation_only_projected_columns_are_in_scope() {
    let message = rejects(
        "MATCH (a) RETURN DISTINCT a.name ORDER BY a.age",
        ErrorDetail::UndefinedVariable,
        "a.age",
    );
    assert!(message.contains("it is not possible to access variables declared before"));
    accepts("MATCH (a) RETURN DISTINCT a.name ORDER BY a.name");
    accepts("MATCH (a) RETURN a.name AS name, count(*) AS c ORDER BY c DESC, name");
    accepts("MATCH (a) RETURN a.name, count(*) ORDER BY count(*) DESC");
    accepts("MATCH (a) WITH a.x AS x, count(*) AS c WHERE c > 1 RETURN x");
}

#[test]
fn variables_keep_one_kind() {
    let message = rejects(
        "MATCH (a)-[r]->(b) MATCH (r) RETURN r",
        ErrorDetail::VariableTypeConflict,
        "r) RETURN",
    );
    assert_eq!(
        message,
        "Type mismatch: r defined with conflicting type Relationship (expected Node)"
    );
    rejects(
        "WITH 1 AS n MATCH (n) RETURN n",
        ErrorDetail::VariableTypeConflict,
        "n) RETURN",
    );
    rejects(
        "MATCH (n) WITH [n] AS ns MATCH (ns)-->() RETURN ns",
        ErrorDetail::VariableTypeConflict,
        "ns)-->",
    );
    rejects(
        "MATCH p = ()-->(), (p) RETURN p",
        ErrorDetail::VariableTypeConflict,
        "p) RETURN",
    );
    accepts("MATCH (a)-[r]->(b) MATCH (a)-[r]->(c) RETURN c");
    accepts("WITH $x AS n MATCH (n) RETURN n");
    accepts("MATCH (n) WITH [n] AS ns UNWIND ns AS m MATCH (m)-->() RETURN m");
}

#[test]
fn variables_are_bound_once() {
    rejects(
        "MATCH (p) MATCH p = ()-->() RETURN p",
        ErrorDetail::VariableAlreadyBound,
        "p = ",
    );
    rejects(
        "WITH 1 AS x UNWIND [2] AS x RETURN x",
        ErrorDetail::VariableAlreadyBound,
        "x RETURN",
    );
    rejects(
        "MATCH (a) CREATE (a)",
        ErrorDetail::VariableAlreadyBound,
        "a)",
    );
    rejects(
        "MATCH (a) CREATE (a:Label)-[:R]->(b)",
        ErrorDetail::VariableAlreadyBound,
        "a:Label",
    );
    rejects(
        "MATCH ()-[r]->() CREATE ()-[r:T]->()",
        ErrorDetail::VariableAlreadyBound,
        "r:T",
    );
    rejects(
        "CALL db.labels() YIELD label, label AS label RETURN label",
        ErrorDetail::VariableAlreadyBound,
        "label RETURN",
    );
    let message = rejects(
        "MATCH (x) CALL { MATCH (y) RETURN y AS x } RETURN x",
        ErrorDetail::VariableAlreadyBound,
        "x }",
    );
    assert_eq!(message, "Variable `x` already declared in outer scope");
    accepts("MATCH (a), (b) CREATE (a)-[:R]->(b)");
    accepts("MATCH (a) MERGE (a)-[:R]->(b:B {x: 1})");
    accepts("CREATE (a:A)-[:R]->(b:B), (b)-[:S]->(c)");
    accepts("UNWIND [1] AS x FOREACH (x IN [2] | CREATE ({v: x}))");
}

#[test]
fn a_relationship_variable_is_used_once_per_pattern() {
    let message = rejects(
        "MATCH (a)-[r]->()-[r]->(a) RETURN r",
        ErrorDetail::RelationshipUniquenessViolation,
        "r]->(a)",
    );
    assert!(message.contains("'r'"));
    rejects(
        "MATCH (a) WHERE EXISTS { (a)-[r]->()-[r]->() } RETURN a",
        ErrorDetail::RelationshipUniquenessViolation,
        "r]->() }",
    );
    // In a pattern comprehension Neo4j only deprecates it.
    accepts("MATCH (a) RETURN [(a)-[r]->()-[r]->(b) | b] AS bs");
}

#[test]
fn functions_are_resolved() {
    let text = "RETURN toUppr('a')";
    let error = parse(text).unwrap_err();
    assert_eq!(error.detail(), ErrorDetail::UnknownFunction);
    assert_eq!(error.message, "Unknown function 'toUppr'");
    assert_eq!(error.help.as_deref(), Some("did you mean `toUpper`?"));
    let message = rejects(
        "RETURN left('abc')",
        ErrorDetail::InvalidNumberOfArguments,
        "left",
    );
    assert_eq!(message, "Insufficient parameters for function 'left'");
    rejects(
        "RETURN toUpper('a', 'b')",
        ErrorDetail::InvalidNumberOfArguments,
        "toUpper",
    );
    rejects(
        "RETURN toUpper(DISTINCT 'a')",
        ErrorDetail::InvalidArgumentPassingMode,
        "toUpper",
    );
    let message = rejects(
        "MATCH (n) RETURN type(n)",
        ErrorDetail::InvalidArgumentType,
        "n)",
    );
    assert_eq!(message, "Type mismatch: expected Relationship but was Node");
    rejects(
        "MATCH p = (a)-->(b) RETURN size(p)",
        ErrorDetail::InvalidArgumentType,
        "p)",
    );
    let message = rejects(
        "RETURN distance(point({x: 0, y: 0}), point({x: 1, y: 1}))",
        ErrorDetail::UnknownFunction,
        "distance",
    );
    assert_eq!(message, "'distance' has been replaced by 'point.distance'");
    rejects(
        "RETURN graph.byName('g') AS g",
        ErrorDetail::Syntax,
        "graph.byName",
    );
    accepts("USE graph.byName($name) MATCH (n) RETURN n");
    accepts("RETURN TOUPPER('a'), ToLower('B'), count(*)");
    accepts("RETURN apoc.text.join(['a'], ',') AS joined");
    accepts("RETURN normalize('abc', NFKD) AS n");
    accepts("RETURN range(0, 10, 2), substring('abc', 1), round(1.5, 1, 'HALF_UP')");
    accepts("CYPHER 25 RETURN someNewFunction(1) AS x");
    // Argument types that Neo4j checks only when running are accepted.
    accepts("RETURN range(true, 1)");
}

#[test]
fn aggregations_are_where_neo4j_allows_them() {
    rejects(
        "MATCH (n) WHERE count(n) > 1 RETURN n",
        ErrorDetail::InvalidAggregation,
        "count(n)",
    );
    rejects(
        "MATCH (n) RETURN n.x ORDER BY max(n.y)",
        ErrorDetail::InvalidAggregation,
        "max",
    );
    rejects(
        "MATCH (n) RETURN [x IN [1, 2] | count(*)]",
        ErrorDetail::InvalidAggregation,
        "count",
    );
    rejects(
        "MATCH (n) SET n.c = count(*)",
        ErrorDetail::InvalidAggregation,
        "count",
    );
    rejects(
        "RETURN count(count(*))",
        ErrorDetail::NestedAggregation,
        "count(*)",
    );
    rejects(
        "RETURN count(rand())",
        ErrorDetail::NonConstantExpression,
        "rand",
    );
    let message = rejects(
        "MATCH (a)-->(b) RETURN a.x + count(b)",
        ErrorDetail::AmbiguousAggregationExpression,
        "a.x +",
    );
    assert!(message.ends_with("Illegal expression(s): a"), "{message}");
    accepts("MATCH (a)-->(b) RETURN a.x, a.x + count(b)");
    accepts("MATCH (a)-->(b) RETURN a, a.x + count(b)");
    accepts("MATCH (n) RETURN CASE WHEN count(*) > 0 THEN 'some' ELSE 'none' END AS any");
    accepts("MATCH (n) RETURN [x IN collect(n) | x.name] AS names");
    accepts("MATCH (n) RETURN {count: count(*)} AS stats");
}

#[test]
fn skip_and_limit_are_constant_non_negative_integers() {
    rejects(
        "MATCH (n) RETURN n SKIP n.x",
        ErrorDetail::NonConstantExpression,
        "n.x",
    );
    let message = rejects(
        "MATCH (n) RETURN n LIMIT -1",
        ErrorDetail::NegativeIntegerArgument,
        "-1",
    );
    assert_eq!(
        message,
        "Invalid input. '-1' is not a valid value. Must be a non-negative integer."
    );
    rejects(
        "MATCH (n) RETURN n LIMIT 1.5",
        ErrorDetail::InvalidArgumentType,
        "1.5",
    );
    accepts("MATCH (n) RETURN n SKIP $s LIMIT 1 + 1");
    accepts("MATCH (n) RETURN n LIMIT size([x IN [1, 2] | x])");
}

#[test]
fn updates_follow_the_rules_of_create_merge_and_delete() {
    rejects(
        "CREATE ()-->()",
        ErrorDetail::NoSingleRelationshipType,
        "-->",
    );
    rejects(
        "CREATE ()-[:A|B]->()",
        ErrorDetail::NoSingleRelationshipType,
        "-[",
    );
    rejects(
        "CREATE ()-[:A]-()",
        ErrorDetail::RequiresDirectedRelationship,
        "-[",
    );
    rejects("CREATE ()-[:A*2]->()", ErrorDetail::CreatingVarLength, "-[");
    rejects(
        "MATCH (n) DELETE n:Person",
        ErrorDetail::InvalidDelete,
        "n:Person",
    );
    rejects(
        "MATCH () DELETE 1 + 1",
        ErrorDetail::InvalidArgumentType,
        "1 + 1",
    );
    rejects(
        "MATCH (n) FOREACH (x IN [1] | MATCH (m) DELETE m)",
        ErrorDetail::InvalidClauseComposition,
        "MATCH (m)",
    );
    rejects(
        "MATCH (n) WHERE EXISTS { MATCH (n)-->(m) SET m.x = 1 } RETURN n",
        ErrorDetail::InvalidClauseComposition,
        "SET",
    );
    accepts("MERGE (a)-[:R]-(b)");
    accepts("MATCH p = ()-->() DELETE p");
    accepts("MATCH (n) WITH collect(n) AS ns FOREACH (x IN ns | DETACH DELETE x)");
}

#[test]
fn parameter_maps_are_not_allowed_where_a_pattern_is_matched() {
    let message = rejects(
        "MATCH (n $props) RETURN n",
        ErrorDetail::InvalidParameterUse,
        "$props",
    );
    assert!(message.starts_with("Parameter maps cannot be used in `MATCH` patterns"));
    rejects(
        "MERGE (n:L $props)",
        ErrorDetail::InvalidParameterUse,
        "$props",
    );
    accepts("CREATE (n:L $props)");
    accepts("MATCH (n:L {id: $props.id}) RETURN n");
}

#[test]
fn operands_of_known_types_are_checked() {
    rejects("RETURN 1 AND true", ErrorDetail::InvalidArgumentType, "1");
    rejects("RETURN NOT 'x'", ErrorDetail::InvalidArgumentType, "'x'");
    rejects(
        "RETURN 1 IN 'abc'",
        ErrorDetail::InvalidArgumentType,
        "'abc'",
    );
    rejects(
        "UNWIND ['a'] AS x RETURN x % 2",
        ErrorDetail::InvalidArgumentType,
        "x %",
    );
    rejects(
        "MATCH (n) WHERE (n) RETURN n",
        ErrorDetail::InvalidArgumentType,
        "(n) RETURN",
    );
    accepts("MATCH (n) WHERE n.active AND $flag RETURN n");
    accepts("RETURN date() - duration('P1D') AS yesterday, 2 ^ 3 AS eight, 'a' + 1 AS s");
    accepts("RETURN datetime().year, point({x: 1, y: 2}).x, duration('P1D').days");
}

#[test]
fn property_access_on_a_value_is_a_type_error() {
    let text = "WITH 1 AS x RETURN x.name";
    let error = parse(text).unwrap_err();
    assert_eq!(error.detail(), ErrorDetail::InvalidArgumentType);
    assert_eq!(error.code(), "Neo.ClientError.Statement.TypeError");
    assert_eq!(error.offset, text.find("x.name").unwrap());
    // On a path it is a syntax error.
    let error = parse("MATCH p = ()-->() RETURN p.name").unwrap_err();
    assert_eq!(error.code(), "Neo.ClientError.Statement.SyntaxError");
}

#[test]
fn pattern_expressions_are_predicates() {
    rejects(
        "MATCH (n) RETURN (n)-->() AS out",
        ErrorDetail::Syntax,
        "(n)-->()",
    );
    let message = rejects(
        "MATCH (n) RETURN size((n)-->()) AS degree",
        ErrorDetail::Syntax,
        "(n)-->()",
    );
    assert!(message.contains("replace size() with COUNT {}"));
    rejects(
        "MATCH (n) WHERE exists(n.name) RETURN n",
        ErrorDetail::Syntax,
        "n.name",
    );
    accepts("MATCH (a), (b) WHERE (a)-->(b) AND NOT (b)-->(a) RETURN exists((a)--(b)) AS linked");
    accepts("MATCH (a) RETURN CASE WHEN (a)-->() THEN 1 ELSE 0 END AS out");
    accepts("MATCH (a), (b) RETURN shortestPath((a)-[*]-(b)) AS path");
}

#[test]
fn union_parts_are_combined_one_way() {
    rejects(
        "RETURN 1 AS a UNION RETURN 2 AS a UNION ALL RETURN 3 AS a",
        ErrorDetail::InvalidClauseComposition,
        "RETURN 3",
    );
    rejects(
        "RETURN 1 AS a UNION RETURN 2 AS b",
        ErrorDetail::DifferentColumnsInUnion,
        "RETURN 2",
    );
    accepts("MATCH (a) RETURN a.x AS x UNION MATCH (b) RETURN b.y AS x");
}

#[test]
fn projections_alias_expressions_and_need_variables_for_a_star() {
    rejects(
        "MATCH (a) WITH a, count(*) RETURN a",
        ErrorDetail::NoExpressionAlias,
        "count",
    );
    rejects(
        "MATCH () RETURN *",
        ErrorDetail::NoVariablesInScope,
        "RETURN",
    );
    rejects(
        "CALL db.labels() YIELD * RETURN label",
        ErrorDetail::Syntax,
        "YIELD",
    );
    accepts("MATCH (n) WITH * WHERE true RETURN *");
}

#[test]
fn literals_that_neo4j_accepts_parse() {
    accepts("RETURN -0x8000000000000000 AS min");
    accepts("RETURN -0o1000000000000000000000 AS min");
    accepts("RETURN -9223372036854775808 AS min");
    accepts("RETURN {``: 1} AS emptyKey");
    rejects(
        "RETURN 0x8000000000000000",
        ErrorDetail::IntegerOverflow,
        "0x",
    );
    rejects("RETURN 12ab", ErrorDetail::InvalidNumberLiteral, "12ab");
    rejects("RETURN {12ab: 1}", ErrorDetail::Syntax, "12ab");
    rejects("MATCH (n:``) RETURN n", ErrorDetail::Syntax, "``");
}

#[test]
fn label_disjunctions_in_a_list_comprehension_filter_are_labels() {
    accepts("MATCH (n) RETURN [x IN n.items WHERE x:Person|Company] AS names");
    accepts("MATCH (n) RETURN [x IN n.items WHERE x:Person | x.name] AS names");
    accepts("MATCH (n) RETURN [(n)-->(m) WHERE m:Person | m] AS people");
}

#[test]
fn every_detail_has_its_tck_name_and_a_status_code() {
    assert_eq!(ErrorDetail::Syntax.name(), "UnexpectedSyntax");
    assert_eq!(
        ErrorDetail::UndefinedVariable.to_string(),
        "UndefinedVariable"
    );
    assert_eq!(
        ErrorDetail::NestedAggregation.status_code(),
        "Neo.ClientError.Statement.SyntaxError"
    );
    let error = parse("MATCH (n RETURN n").unwrap_err();
    assert_eq!(error.detail(), ErrorDetail::Syntax);
    assert_eq!(error.code(), "Neo.ClientError.Statement.SyntaxError");
}

/// Queries in the style of Neo4j's documentation and of applications: the
/// analysis must find nothing to refuse in them.
#[test]
fn realistic_queries_are_accepted() {
    for text in [
        "MATCH (p:Person)-[:ACTED_IN]->(m:Movie) WITH p, count(m) AS movies WHERE movies > 2 RETURN p.name, movies ORDER BY movies DESC LIMIT 5",
        "MATCH (a:Person {name: 'A'}), (b:Person {name: 'B'}) MATCH p = shortestPath((a)-[*..15]-(b)) RETURN p",
        "MATCH p = ALL SHORTEST (a:Station)-[:LINK]-+(b:Station) WHERE a.name = 'X' RETURN [n IN nodes(p) | n.name] AS stops",
        "MATCH (n:Person) WHERE n.name = $name SET n += $props RETURN n",
        "UNWIND $events AS event MERGE (y:Year {year: event.year}) MERGE (y)<-[:IN]-(e:Event {id: event.id}) RETURN e.id AS x ORDER BY x",
        "MATCH (c:Customer) OPTIONAL MATCH (c)-[:PLACED]->(o:Order) RETURN c.name, count(o) AS orders, collect(o.id)[..3] AS recent",
        "MATCH (u:User) WHERE u.created > datetime() - duration({days: 7}) RETURN u",
        "LOAD CSV WITH HEADERS FROM 'file:///x.csv' AS row WITH row WHERE row.id IS NOT NULL MERGE (n:N {id: toInteger(row.id)}) ON CREATE SET n.name = row.name",
        "MATCH (n:Person) RETURN n.name AS name, CASE WHEN n.age < 18 THEN 'minor' ELSE 'adult' END AS group",
        "MATCH (a)-[r:KNOWS]->(b) WITH a, collect({name: b.name, since: r.since}) AS friends RETURN a.name, friends",
        "MATCH (n:Person) WHERE any(label IN labels(n) WHERE label STARTS WITH 'P') RETURN n",
        "MATCH (n) RETURN n.name, size([(n)-[:KNOWS]->() | 1]) AS degree",
        "MATCH (n)-[r]->(m) RETURN type(r) AS t, count(*) AS c ORDER BY c DESC",
        "CALL db.schema.visualization()",
        "CALL { MATCH (p:Person) RETURN p ORDER BY p.age LIMIT 1 UNION MATCH (p:Person) RETURN p ORDER BY p.age DESC LIMIT 1 } RETURN p.name",
        "MATCH (p:Person) CALL (p) { MATCH (p)-[:KNOWS]->(f) RETURN count(f) AS friends } RETURN p.name, friends",
        "UNWIND range(1, 10) AS i CALL (i) { CREATE (:Number {value: i}) } IN TRANSACTIONS OF 2 ROWS",
        "MATCH (n:Label) WITH n LIMIT 1000 DETACH DELETE n",
        "MATCH (p:Person) RETURN p {.name, .age, friends: [(p)-[:KNOWS]->(f) | f {.name}]} AS person",
        "MATCH (n) WHERE n.email =~ '.*@example\\\\.com' RETURN n",
        "MATCH (n:Person) WITH n.country AS country, avg(n.age) AS avgAge WHERE avgAge > 30 RETURN country, avgAge",
        "MATCH (n) RETURN COUNT { (n)--() } AS degree",
        "MATCH (n) WHERE n.score IS :: INTEGER RETURN n",
        "MATCH (n:Person) SET n.tags = coalesce(n.tags, []) + $tag",
        "MATCH (n) REMOVE n:Temp, n.tmp",
        "MATCH (a:A), (b:B) WHERE a.id = b.aid CREATE (a)-[:HAS]->(b)",
        "MATCH (n) WITH n ORDER BY n.created DESC LIMIT 10 RETURN collect(n.id) AS ids",
        "MATCH (n:Person) RETURN n.name ORDER BY n.name SKIP 10 LIMIT 10",
        "WITH $list AS items UNWIND items AS item WITH item WHERE item.active RETURN item.id",
        "MATCH path = (a)-[:ROAD*1..5]->(b) WHERE a.name = $from AND b.name = $to RETURN path, reduce(d = 0, r IN relationships(path) | d + r.distance) AS distance ORDER BY distance LIMIT 1",
        "MATCH (n) RETURN DISTINCT labels(n) AS labels, count(*) AS c",
        "MATCH (m:Movie) WHERE m.title CONTAINS $q OR m.tagline CONTAINS $q RETURN m LIMIT $limit",
        "MATCH (n) WHERE elementId(n) = $id RETURN n",
        "FOREACH (name IN $names | MERGE (:Person {name: name}))",
        "MATCH (a)-[r]->(b) WHERE r.weight > 0.5 WITH a, b, r ORDER BY r.weight DESC RETURN a.name, b.name, r.weight LIMIT 10",
        "MATCH (n) SET n.updated = timestamp()",
        "MATCH (n:Person) RETURN n.name, [x IN n.scores WHERE x > 10] AS high",
        "RETURN apoc.date.format(timestamp(), 'ms', 'yyyy-MM-dd') AS today",
        "MATCH (n) WITH n.group AS g, collect(n) AS members UNWIND members AS m RETURN g, m.name",
        "MATCH (a:Person)-[:KNOWS*2]->(foaf) WHERE NOT (a)-[:KNOWS]->(foaf) RETURN foaf.name",
        "MATCH (n) RETURN n.x AS x, max(n.y) AS y ORDER BY x",
        "MATCH (n) RETURN max(n.y) AS y, n.x ORDER BY n.x",
        "MATCH (n) WITH collect(DISTINCT n.x) AS xs RETURN size(xs)",
        "MERGE (n:Counter {id: 1}) ON CREATE SET n.count = 1 ON MATCH SET n.count = n.count + 1 RETURN n.count",
        "MATCH (p:Person) WITH p, rand() AS r ORDER BY r LIMIT 5 RETURN p",
        "MATCH (n) RETURN n.name AS name UNION ALL MATCH (m) RETURN m.title AS name",
        "OPTIONAL MATCH (n:Missing) RETURN n IS NULL AS missing",
        "MATCH (n) RETURN n.a + n.b AS s, count(*) AS c",
        "MATCH (n) WHERE n.date >= date('2020-01-01') RETURN n.date.year AS year",
        "WITH point({latitude: 1.0, longitude: 2.0}) AS p1, point({latitude: 3.0, longitude: 4.0}) AS p2 RETURN point.distance(p1, p2) AS d",
        "MATCH (n) RETURN n LIMIT toInteger($limit)",
        "MATCH (a)-[:R]->(b) RETURN a, collect(b) AS bs, size(collect(b)) AS n",
        "UNWIND [1, 2, 3] AS x WITH x WHERE x > 1 RETURN sum(x) AS total",
        "MATCH (n) RETURN n ORDER BY n.x IS NULL, n.x",
        "MATCH (n) WHERE n[$key] = $value RETURN n",
        "MATCH ()-[r]->() WHERE r[$key] IS NOT NULL DELETE r",
        "CALL db.index.fulltext.queryNodes('titles', $q) YIELD node, score RETURN node.title, score",
        "MATCH (n)-[r*0..]->(m) RETURN m",
        "MATCH (a:Person WHERE a.age > 30)-[:KNOWS]->(b) RETURN b",
        "MATCH (p:Product) RETURN p.category AS c, round(avg(p.price), 2) AS avg",
        "MATCH (p)-[:BOUGHT]->(x) WITH p, count(x) AS n WHERE n > 3 MATCH (p)-[:LIVES_IN]->(c) RETURN c.name, count(p)",
        "MATCH (a)-[r:KNOWS]-(b) RETURN a, b, startNode(r) = a AS outgoing",
        "MATCH (n) RETURN n, COLLECT { MATCH (n)-->(m) RETURN m.name } AS names",
        "MATCH (n) WHERE COUNT { (n)-->() } > 2 RETURN n",
        "MATCH (a)-[e]-(b) WITH DISTINCT a RETURN a",
        "MATCH (n:Person) WHERE NOT EXISTS { MATCH (n)-[:OWNS]->(:Car) } RETURN n",
        "MATCH (p:Person) RETURN p.name AS name, [(p)-[:ACTED_IN]->(m) WHERE m.released > 2000 | m.title][..3] AS recent",
        "MATCH (n) WITH n.type AS type, count(*) AS c RETURN type, c, c * 100.0 / sum(c) AS share",
        "MATCH (n) RETURN n.a AS a, count(*) + n.a AS weighted",
        "MATCH (a)-[rs*1..3]->(b) UNWIND rs AS r RETURN type(r), startNode(r)",
        "MATCH (n) CALL { WITH n MATCH (n)--(m) RETURN collect(m) AS ms } RETURN n, ms",
        "MATCH (a)((x)-[:R]->(y)){1,3}(b) RETURN a, b, x",
        "MATCH (n) SET n:$($labels) RETURN n",
        "MATCH (n) RETURN n.name ORDER BY toLower(n.name)",
        "USE neo4j MATCH (n) RETURN count(n) AS nodes",
        "CALL db.labels() YIELD label WITH label WHERE label STARTS WITH 'P' RETURN collect(label) AS labels",
        "SHOW TRANSACTIONS YIELD transactionId AS id, currentQuery WHERE currentQuery CONTAINS 'MATCH' RETURN id",
        "MATCH (n) WITH n, [(n)-->(m) | m] AS ms WHERE size(ms) > 1 RETURN n, ms",
        "MATCH (n) RETURN exists { (n)-->(:Label) } AS linked, n.name",
    ] {
        accepts(text);
    }
}
