//! The parser never panics: not on arbitrary text, not on corpus queries
//! with random edits. Errors always point inside the text.

use proptest::prelude::*;

fn corpus() -> &'static [String] {
    static CORPUS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(load_corpus)
}

fn load_corpus() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut entries = Vec::new();
    for file in [
        "read.cypher",
        "write.cypher",
        "admin.cypher",
        "idioms.cypher",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        for entry in text.split("\n\n") {
            let query: Vec<&str> = entry.lines().filter(|l| !l.starts_with('#')).collect();
            if !query.is_empty() {
                entries.push(query.join("\n"));
            }
        }
    }
    entries
}

/// Fragments that are likely to produce interesting near-valid queries.
const FRAGMENTS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "-",
    "->",
    "<-",
    "--",
    ":",
    "::",
    "|",
    "&",
    "!",
    "%",
    "$",
    "$p",
    "$(",
    "*",
    "..",
    ",",
    ".",
    "=",
    "+=",
    "'",
    "\"",
    "`",
    "/*",
    "//",
    "\\",
    "0x",
    "1e",
    "1.5",
    "MATCH",
    "RETURN",
    "WITH",
    "WHERE",
    "CALL",
    "{ ",
    "}",
    "IN",
    "TRANSACTIONS",
    "EXISTS",
    "COUNT",
    "CASE",
    "WHEN",
    "END",
    "UNION",
    "AS",
    "IS",
    "NOT",
    "NULL",
    "SHORTEST",
    "FOREACH",
    "YIELD",
    "SET",
    "n",
    "n.x",
    "ü",
    "\n",
];

/// A small schema (with typos' targets) every parsed query is checked
/// against.
fn schema() -> &'static neo_cypher::schema::Schema {
    static SCHEMA: std::sync::OnceLock<neo_cypher::schema::Schema> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        neo_cypher::schema::Schema::parse(
            "[nodes.Person]\nname = \"STRING\"\nx = \"INTEGER\"\n[nodes.A]\n[relationships.KNOWS]\nsince = \"DATE\"\n",
        )
        .unwrap()
    })
}

fn check(text: &str) {
    match neo_cypher::parse(text) {
        Ok(query) => {
            let _ = query.returned_columns();
            let _ = query.is_read_only();
            for name in query
                .parameters()
                .into_iter()
                .chain(query.labels())
                .chain(query.property_keys())
            {
                assert!(name.span.end <= text.len() && name.span.start <= name.span.end);
            }
            let schema = schema();
            for problem in query.check_schema(schema) {
                assert!(problem.span.end <= text.len());
                assert!(problem.render(text, "neo-schema.toml").contains('^'));
            }
            let _ = query.column_types(schema);
        }
        Err(error) => {
            assert!(
                error.offset <= text.len(),
                "offset {} beyond {}",
                error.offset,
                text.len()
            );
            assert!(text.is_char_boundary(error.offset));
            assert!(error.line >= 1 && error.column >= 1);
            let rendered = error.render(text);
            assert!(rendered.contains('^'));
        }
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, usize),
    Truncate(usize),
    Duplicate(usize, usize),
}

fn apply(text: &str, edit: &Edit) -> String {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let at = |i: usize| boundaries[i % boundaries.len()];
    match *edit {
        Edit::Delete(a, len) => {
            let start = at(a);
            let end = at(a + len % 8).max(start);
            format!("{}{}", &text[..start], &text[end..])
        }
        Edit::Insert(a, fragment) => {
            let start = at(a);
            format!(
                "{}{}{}",
                &text[..start],
                FRAGMENTS[fragment % FRAGMENTS.len()],
                &text[start..]
            )
        }
        Edit::Truncate(a) => text[..at(a)].to_owned(),
        Edit::Duplicate(a, len) => {
            let start = at(a);
            let end = at(a + len % 12).max(start);
            format!("{}{}", &text[..end], &text[start..])
        }
    }
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Delete(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Insert(a, b)),
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Duplicate(a, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,80}") {
        check(&text);
    }

    #[test]
    fn cypher_like_token_soup_never_panics(parts in proptest::collection::vec(0..FRAGMENTS.len(), 0..30)) {
        let text: Vec<&str> = parts.iter().map(|&i| FRAGMENTS[i]).collect();
        check(&text.join(" "));
    }

    #[test]
    fn edited_corpus_queries_never_panic(index in any::<usize>(), edits in proptest::collection::vec(edit(), 1..4)) {
        let corpus = corpus();
        let mut text = corpus[index % corpus.len()].clone();
        for e in &edits {
            text = apply(&text, e);
        }
        check(&text);
    }

    #[test]
    fn schema_file_soup_never_panics(parts in proptest::collection::vec(0..SCHEMA_FRAGMENTS.len(), 0..24)) {
        let text: String = parts.iter().map(|&i| SCHEMA_FRAGMENTS[i]).collect();
        if let Err(error) = neo_cypher::schema::Schema::parse(&text) {
            prop_assert!(error.line >= 1 && error.column >= 1);
            prop_assert!(error.line <= text.lines().count().max(1) + 1);
        }
    }
}

/// Pieces of schema files, glued without separators.
const SCHEMA_FRAGMENTS: &[&str] = &[
    "[nodes.Person]\n",
    "[relationships.KNOWS]\n",
    "[nodes]\n",
    "name = ",
    "\"STRING",
    "\"",
    " NOT NULL",
    "LIST<",
    ">",
    " | ",
    "INTEGER",
    "ANY<",
    "\n",
    "=",
    "ü",
    "1",
    "{",
    "}",
    "LOCAL TIME",
];
