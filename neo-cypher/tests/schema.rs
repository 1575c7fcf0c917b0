//! Schema files (`neo-schema.toml`) and checking queries against them.

use std::collections::BTreeSet;
use std::path::Path;

use neo_cypher::parse;
use neo_cypher::schema::{PropertyType, Schema, SchemaProblemKind};

const MOVIES: &str = r#"
# neo-schema.toml
[nodes.Person]
name = "STRING NOT NULL"
born = "INTEGER"
email = "STRING"

[nodes.Movie]
title = "STRING NOT NULL"
released = "INTEGER"
tagline = "STRING"

[nodes.Admin]
level = "INTEGER"

[nodes.Genre]          # a label with no properties is an empty table

[relationships.ACTED_IN]
roles = "LIST<STRING>"

[relationships.DIRECTED]
[relationships.KNOWS]
since = "DATE"
"#;

fn movies() -> Schema {
    Schema::parse(MOVIES).unwrap()
}

/// Each problem as `message @ text at its span`.
fn problems(text: &str) -> Vec<String> {
    parse(text)
        .unwrap()
        .check_schema(&movies())
        .iter()
        .map(|p| format!("{} @ {}", p.message("neo-schema.toml"), p.span.text(text)))
        .collect()
}

fn assert_clean(text: &str) {
    assert_eq!(problems(text), Vec::<String>::new(), "{text}");
}

#[test]
fn the_documented_file_parses_with_every_label_type_and_property() {
    let schema = movies();
    let labels: Vec<&str> = schema.nodes.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(labels, ["Admin", "Genre", "Movie", "Person"]);
    let types: Vec<&str> = schema
        .relationships
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(types, ["ACTED_IN", "DIRECTED", "KNOWS"]);
    assert!(schema.label("Genre").unwrap().properties.is_empty());
    let person = schema.label("Person").unwrap();
    assert!(person.property("name").unwrap().not_null);
    let born = person.property("born").unwrap();
    assert_eq!((&born.ty, born.not_null), (&PropertyType::Integer, false));
    let roles = schema
        .relationship_type("ACTED_IN")
        .unwrap()
        .property("roles")
        .unwrap();
    assert_eq!(roles.ty, PropertyType::List(Box::new(PropertyType::String)));
    assert!(schema.label("Persons").is_none());
}

#[test]
fn every_type_name_is_accepted() {
    let text = r#"
[nodes.All]
a = "ANY"
b = "BOOLEAN"
c = "STRING"
d = "INTEGER"
e = "FLOAT"
f = "DATE"
g = "LOCAL TIME"
h = "ZONED TIME"
i = "LOCAL DATETIME"
j = "ZONED DATETIME"
k = "DURATION"
l = "POINT"
m = "LIST<INTEGER NOT NULL> NOT NULL"
n = "INTEGER | FLOAT"
o = "timestamp with time zone"
"#;
    let schema = Schema::parse(text).unwrap();
    let all = schema.label("All").unwrap();
    let rendered: Vec<String> = all.properties.iter().map(|p| p.ty.to_string()).collect();
    assert_eq!(
        rendered,
        [
            "ANY",
            "BOOLEAN",
            "STRING",
            "INTEGER",
            "FLOAT",
            "DATE",
            "LOCAL TIME",
            "ZONED TIME",
            "LOCAL DATETIME",
            "ZONED DATETIME",
            "DURATION",
            "POINT",
            "LIST<INTEGER>",
            "INTEGER | FLOAT",
            "ZONED DATETIME"
        ]
    );
    assert!(all.property("m").unwrap().not_null);
}

#[test]
fn an_empty_file_is_an_empty_schema() {
    assert_eq!(Schema::parse("# nothing yet\n").unwrap(), Schema::default());
}

fn error(text: &str) -> String {
    Schema::parse(text).unwrap_err().to_string()
}

#[test]
fn malformed_files_are_rejected_with_line_and_column() {
    assert_eq!(
        error("[nodes.Person]\nname = STRING\n"),
        "2:8: string values must be quoted, expected literal string"
    );
    assert_eq!(
        error("[nodes.Person]\n[labels.Movie]\n"),
        "2:2: unknown table `labels`; expected `nodes` or `relationships`"
    );
    assert_eq!(
        error("nodes = 1\n"),
        "1:9: `nodes` must be a table of tables, such as `[nodes.Name]`"
    );
    assert_eq!(
        error("[nodes]\nPerson = \"STRING\"\n"),
        "2:10: `nodes.Person` must be a table of property types"
    );
    assert_eq!(
        error("[relationships.KNOWS]\nsince = 2020\n"),
        "2:9: `relationships.KNOWS.since` must be a type name in a string, such as \"STRING NOT NULL\""
    );
    assert_eq!(
        error("[nodes.Person]\nname = \"STRING\"\nborn = \"INTEGR NOT NULL\"\n"),
        "3:8: `nodes.Person.born`: unknown type `INTEGR`; did you mean `INTEGER`?"
    );
    assert_eq!(
        error("[nodes.Person]\ntags = \"LIST<STRING\"\n"),
        "2:8: `nodes.Person.tags`: expected `>` after the element type of `LIST<…>`"
    );
}

#[test]
fn unknown_labels_and_types_are_reported_with_suggestions() {
    assert_eq!(
        problems("MATCH (p:Persn)-[:ACTD_IN]->(m:Movie) RETURN p"),
        [
            "label `:Persn` is not in neo-schema.toml; did you mean `:Person`? @ Persn",
            "relationship type `:ACTD_IN` is not in neo-schema.toml; did you mean `:ACTED_IN`? @ ACTD_IN"
        ]
    );
    assert_eq!(
        problems("MATCH (p:Spaceship) RETURN p"),
        ["label `:Spaceship` is not in neo-schema.toml @ Spaceship"]
    );
}

#[test]
fn created_and_merged_names_must_be_declared() {
    assert_eq!(
        problems("CREATE (:Person {name: $n})-[:LIKES]->(:Movie {title: $t})"),
        ["relationship type `:LIKES` is not in neo-schema.toml @ LIKES"]
    );
    assert_eq!(
        problems("MERGE (m:Movi {title: $t}) ON CREATE SET m.released = 1"),
        ["label `:Movi` is not in neo-schema.toml; did you mean `:Movie`? @ Movi"]
    );
    assert_eq!(
        problems("MATCH (p:Person) SET p:Admn REMOVE p:Persn"),
        [
            "label `:Admn` is not in neo-schema.toml; did you mean `:Admin`? @ Admn",
            "label `:Persn` is not in neo-schema.toml; did you mean `:Person`? @ Persn"
        ]
    );
}

#[test]
fn properties_are_looked_up_on_the_variables_labels() {
    assert_eq!(
        problems("MATCH (p:Person) WHERE p.nmae = $n RETURN p.born, p {.emial}"),
        [
            "property `nmae` is not declared for `:Person` in neo-schema.toml; did you mean `name`? @ nmae",
            "property `emial` is not declared for `:Person` in neo-schema.toml; did you mean `email`? @ emial"
        ]
    );
    assert_eq!(
        problems("MATCH (:Person {titel: $t})-[r:ACTED_IN {role: $r}]->(m:Movie) RETURN r.roles"),
        [
            "property `titel` is not declared for `:Person` in neo-schema.toml @ titel",
            "property `role` is not declared for `:ACTED_IN` in neo-schema.toml; did you mean `roles`? @ role"
        ]
    );
    // A key on another label is still wrong for this variable.
    assert_eq!(
        problems("MATCH (p:Person) RETURN p.title"),
        ["property `title` is not declared for `:Person` in neo-schema.toml @ title"]
    );
}

#[test]
fn set_targets_and_set_maps_are_checked() {
    assert_eq!(
        problems("MATCH (p:Person) SET p.bron = 1, p += {emali: $e} REMOVE p.tagline"),
        [
            "property `bron` is not declared for `:Person` in neo-schema.toml; did you mean `born`? @ bron",
            "property `emali` is not declared for `:Person` in neo-schema.toml; did you mean `email`? @ emali",
            "property `tagline` is not declared for `:Person` in neo-schema.toml @ tagline"
        ]
    );
}

#[test]
fn unlabelled_variables_need_the_key_on_some_label_or_type() {
    assert_clean("MATCH (n)-[r]->(m) RETURN n.title, n.name, r.since, m.level");
    assert_eq!(
        problems("MATCH (n)-[r]->() RETURN n.nmae, r.snice"),
        [
            "property `nmae` is not declared for any label in neo-schema.toml; did you mean `name`? @ nmae",
            "property `snice` is not declared for any relationship type in neo-schema.toml; did you mean `since`? @ snice"
        ]
    );
}

#[test]
fn label_predicates_and_set_labels_widen_a_variables_labels() {
    assert_clean("MATCH (p:Person) WHERE p.level > 1 AND p:Admin RETURN p.name");
    assert_clean("MATCH (p:Person) SET p:Admin SET p.level = 3");
    assert_clean("MATCH (p:Person|Movie) RETURN p.title, p.name");
    assert_clean("MATCH (n) WHERE n:Movie OR n:Person RETURN n.title");
    // A predicate does not narrow an unlabelled variable to its labels.
    assert_clean("MATCH (n) WHERE n:Genre OR n.title IS NOT NULL RETURN n.name");
}

#[test]
fn variables_the_check_cannot_follow_are_not_checked() {
    // UNWIND, LOAD CSV, procedure results, projections, parameters.
    assert_clean("UNWIND $rows AS row MERGE (p:Person {name: row.personName}) RETURN row.anything");
    assert_clean("LOAD CSV WITH HEADERS FROM $url AS line CREATE (:Movie {title: line.whatever})");
    assert_clean("CALL db.labels() YIELD label RETURN label.x");
    assert_clean("MATCH (p:Person) WITH p.name AS p RETURN p.whatever");
    assert_clean("MATCH (p:Person) WITH {a: p} AS m RETURN m.a");
    // Dynamic labels, wildcards and negations: any label's keys are fine.
    assert_clean("MATCH (n:$($label)) RETURN n.title");
    assert_clean("MATCH (n:!Person) RETURN n.title");
    assert_clean("MATCH (n:%) RETURN n.level");
    assert_clean("MATCH (n:!Deleted) RETURN n");
    // Comprehension variables shadow pattern variables.
    assert_clean("MATCH (p:Person) RETURN [p IN $list | p.anything] AS xs");
    // Quantified groups and variable-length relationships bind lists.
    assert_clean("MATCH (a:Person) ((x:Person)-[k:KNOWS]->(y)){1,3} (b) RETURN a.name");
    assert_clean("MATCH (a:Person)-[rs:KNOWS*1..3]->(b) RETURN rs");
    // Commands are not checked.
    assert_clean("CREATE INDEX FOR (n:Unknown) ON (n.whatever)");
}

#[test]
fn bindings_follow_with_and_reach_into_subqueries() {
    assert_eq!(
        problems("MATCH (p:Person) WITH p AS q, 1 AS one RETURN q.nmae"),
        [
            "property `nmae` is not declared for `:Person` in neo-schema.toml; did you mean `name`? @ nmae"
        ]
    );
    assert_eq!(
        problems(
            "MATCH (p:Person) WHERE EXISTS { MATCH (p)-[:ACTED_IN]->(m) WHERE m.titel = 'x' } \
             CALL (p) { RETURN p.bron AS b } RETURN b"
        ),
        [
            "property `titel` is not declared for any label in neo-schema.toml; did you mean `title`? @ titel",
            "property `bron` is not declared for `:Person` in neo-schema.toml; did you mean `born`? @ bron"
        ]
    );
    // ORDER BY sees the variables before the projection.
    assert_eq!(
        problems("MATCH (p:Person) RETURN p.name AS name ORDER BY p.bron"),
        [
            "property `bron` is not declared for `:Person` in neo-schema.toml; did you mean `born`? @ bron"
        ]
    );
}

#[test]
fn relationship_type_predicates_use_the_types() {
    assert_clean("MATCH ()-[r]->() WHERE r:KNOWS RETURN r.since");
    assert_eq!(
        problems("MATCH ()-[r]->() WHERE r:KNOW RETURN r"),
        ["relationship type `:KNOW` is not in neo-schema.toml; did you mean `:KNOWS`? @ KNOW"]
    );
}

#[test]
fn returned_properties_have_their_declared_types() {
    let schema = movies();
    let query = parse(
        "MATCH (p:Person)-[r:ACTED_IN]->(m:Movie) \
         RETURN p.name AS name, p.born AS born, r.roles AS roles, m.title, size(r.roles) AS n",
    )
    .unwrap();
    let columns: Vec<(String, String, bool)> = query
        .column_types(&schema)
        .into_iter()
        .map(|c| (c.column, c.ty.to_string(), c.not_null))
        .collect();
    assert_eq!(
        columns,
        [
            ("name".to_owned(), "STRING".to_owned(), true),
            ("born".to_owned(), "INTEGER".to_owned(), false),
            ("roles".to_owned(), "LIST<STRING>".to_owned(), false),
            ("m.title".to_owned(), "STRING".to_owned(), true),
        ]
    );
}

#[test]
fn every_union_part_gives_its_column_types() {
    let query =
        parse("MATCH (p:Person) RETURN p.born AS x UNION MATCH (m:Movie) RETURN m.title AS x")
            .unwrap();
    let types: Vec<String> = query
        .column_types(&movies())
        .iter()
        .map(|c| c.ty.to_string())
        .collect();
    assert_eq!(types, ["INTEGER", "STRING"]);
}

#[test]
fn columns_without_a_known_type_are_left_out() {
    let query = parse(
        "MATCH (n) MATCH (p:Person) WITH n, p, p.born AS born \
         RETURN n.name AS a, born, p.unknown AS c, p AS d",
    )
    .unwrap();
    assert!(query.column_types(&movies()).is_empty());
}

#[test]
fn problems_render_with_a_caret_under_the_name() {
    let text = "MATCH (p:Persn)\nRETURN p";
    let problem = &parse(text).unwrap().check_schema(&movies())[0];
    assert_eq!(problem.kind, SchemaProblemKind::UnknownLabel);
    assert_eq!(
        problem.render(text, "neo-schema.toml"),
        "error: label `:Persn` is not in neo-schema.toml\n\
         1 | MATCH (p:Persn)\n  \
           |          ^^^^^\n  \
           = help: did you mean `:Person`?"
    );
}

/// Every `.cypher` query of the parser's corpus.
fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cypher"))
        .collect();
    files.sort();
    let mut queries = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for entry in text.split("\n\n") {
            let entry: Vec<&str> = entry
                .lines()
                .filter(|line| !line.starts_with('#') || line.starts_with("#@"))
                .collect();
            let entry = entry.join("\n");
            if !entry.trim().is_empty() {
                queries.push(entry);
            }
        }
    }
    queries
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A schema declaring every label and relationship type the corpus names,
/// each with every property key and word of the corpus.
fn permissive_schema(queries: &[String]) -> Schema {
    let mut labels = BTreeSet::new();
    let mut types = BTreeSet::new();
    let mut keys = BTreeSet::new();
    for text in queries {
        let query = parse(text).unwrap();
        labels.extend(query.labels().iter().map(|n| n.name.clone()));
        types.extend(query.relationship_types().iter().map(|n| n.name.clone()));
        keys.extend(query.property_keys().iter().map(|n| n.name.clone()));
        keys.extend(
            text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .map(str::to_owned),
        );
    }
    let properties: String = keys
        .iter()
        .map(|k| format!("{} = \"ANY\"\n", quoted(k)))
        .collect();
    let mut file = String::new();
    for label in &labels {
        file.push_str(&format!("[nodes.{}]\n{properties}\n", quoted(label)));
    }
    for ty in &types {
        file.push_str(&format!("[relationships.{}]\n{properties}\n", quoted(ty)));
    }
    Schema::parse(&file).unwrap()
}

#[test]
fn the_corpus_has_no_problems_against_a_schema_that_declares_its_names() {
    let queries = corpus();
    assert!(queries.len() >= 150);
    let schema = permissive_schema(&queries);
    let failures: Vec<String> = queries
        .iter()
        .filter_map(|text| {
            let problems = parse(text).unwrap().check_schema(&schema);
            (!problems.is_empty()).then(|| {
                let rendered: Vec<String> = problems
                    .iter()
                    .map(|p| p.render(text, "the schema"))
                    .collect();
                format!("{text}\n{}\n", rendered.join("\n"))
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} queries with problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn against_an_empty_schema_the_corpus_names_are_reported_where_the_parser_saw_them() {
    let empty = Schema::default();
    let mut reported = 0;
    for text in corpus() {
        let query = parse(&text).unwrap();
        for problem in query.check_schema(&empty) {
            let seen = match problem.kind {
                SchemaProblemKind::UnknownLabel => query.labels(),
                SchemaProblemKind::UnknownRelationshipType => query.relationship_types(),
                SchemaProblemKind::UnknownProperty => query.property_keys(),
            };
            assert!(
                seen.iter()
                    .any(|n| n.name == problem.name && n.span == problem.span),
                "{text}: {problem:?}"
            );
            reported += 1;
        }
    }
    assert!(reported > 100, "only {reported} problems reported");
}
