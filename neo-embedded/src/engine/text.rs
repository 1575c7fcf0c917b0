//! Light lexical work on query text, before the engine parses it: the
//! nesting-depth guard, the `elementId(...)` rewrite and the column names
//! Neo4j gives to unaliased `RETURN` items.

use std::borrow::Cow;

use neo_bolt::packstream::{Map, Value};

/// One lexical token: its byte range in the query and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Token {
    start: usize,
    end: usize,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A name or keyword (backtick-quoted names included).
    Word,
    /// A string or number literal.
    Literal,
    /// `(`, `[` or `{`.
    Open,
    /// `)`, `]` or `}`.
    Close,
    /// `,`.
    Comma,
    /// `.`.
    Dot,
    /// `;`.
    Semicolon,
    /// Any other symbol.
    Symbol,
}

/// Splits `query` into tokens, skipping white space and comments. Never
/// fails: an unterminated string or comment runs to the end.
fn tokens(query: &str) -> Vec<Token> {
    let bytes = query.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        let kind = match b {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i = (i + 2).min(bytes.len());
                continue;
            }
            b'\'' | b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                Kind::Literal
            }
            b'`' => {
                i += 1;
                // A doubled backtick is an escaped one, inside the name.
                while i < bytes.len() && (bytes[i] != b'`' || bytes.get(i + 1) == Some(&b'`')) {
                    i += if bytes[i] == b'`' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                Kind::Word
            }
            b'0'..=b'9' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                Kind::Literal
            }
            b'(' | b'[' | b'{' => {
                i += 1;
                Kind::Open
            }
            b')' | b']' | b'}' => {
                i += 1;
                Kind::Close
            }
            b',' => {
                i += 1;
                Kind::Comma
            }
            b'.' => {
                i += 1;
                Kind::Dot
            }
            b';' => {
                i += 1;
                Kind::Semicolon
            }
            _ if b == b'_' || b == b'$' || b.is_ascii_alphabetic() || b >= 0x80 => {
                i += 1;
                while i < bytes.len()
                    && (bytes[i] == b'_' || bytes[i].is_ascii_alphanumeric() || bytes[i] >= 0x80)
                {
                    i += 1;
                }
                Kind::Word
            }
            _ => {
                i += 1;
                Kind::Symbol
            }
        };
        // `i` only ever stops on an ASCII byte or the end, so `start..i` is a
        // char boundary range.
        out.push(Token {
            start,
            end: i.min(bytes.len()),
            kind,
        });
    }
    out
}

fn is_word(query: &str, token: &Token, word: &str) -> bool {
    token.kind == Kind::Word
        && query
            .get(token.start..token.end)
            .is_some_and(|t| t.eq_ignore_ascii_case(word))
}

/// The deepest bracket nesting in `query` (outside strings and comments).
pub(crate) fn nesting_depth(query: &str) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for token in tokens(query) {
        match token.kind {
            Kind::Open => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Kind::Close => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Prefix given to parameter names in the text the engine parses, so that a
/// parameter may be named like a keyword (`$skip`, `$limit`) or a number (`$0`).
pub(crate) const PARAMETER_PREFIX: &str = "p_";

/// A query in the engine's dialect, with the parameters the rewrite added.
#[derive(Debug, Default)]
pub(crate) struct Rewritten {
    /// The query text to parse.
    pub(crate) query: String,
    /// Parameters to add to the caller's (named as the caller would).
    pub(crate) extra_parameters: Map,
}

/// Whether the parameter token at `i` is a pattern's whole property map:
/// `(n:Person $props)`, `(n $props)`, `[r:KNOWS $props]`.
fn is_pattern_properties(query: &str, toks: &[Token], i: usize) -> bool {
    let closes = toks.get(i + 1).is_some_and(|t| t.kind == Kind::Close);
    let (Some(prev), Some(before)) = (
        i.checked_sub(1).and_then(|j| toks.get(j)),
        i.checked_sub(2).and_then(|j| toks.get(j)),
    ) else {
        return false;
    };
    let prev_is_name = prev.kind == Kind::Word
        && !query
            .get(prev.start..prev.end)
            .unwrap_or("$")
            .starts_with('$')
        && !is_word(query, prev, "NOT")
        && !is_word(query, prev, "DISTINCT");
    let label = before.kind == Kind::Symbol && query.get(before.start..before.end) == Some(":");
    closes && prev_is_name && (label || before.kind == Kind::Open)
}

/// Writes `{`key`: $p_name__0, ...}` for a map parameter used as a pattern's
/// properties, which the engine only accepts as a literal map.
fn expand_pattern_properties(name: &str, map: &Map, extra: &mut Map) -> String {
    let mut out = String::from("{");
    for (index, (key, value)) in map.iter().enumerate() {
        let flat = format!("{name}__{index}");
        if index > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(&key.replace('`', "``"));
        out.push_str("`: $");
        out.push_str(PARAMETER_PREFIX);
        out.push_str(&flat);
        extra.insert(flat, value.clone());
    }
    out.push('}');
    out
}

/// Words the engine's grammar reserves that Cypher 5 uses only as names
/// (`mandatory` is a column of `db.schema.nodeTypeProperties()`): they are
/// backtick-quoted wherever they appear unquoted.
const KEYWORD_NAMES: [&str; 1] = ["mandatory"];

/// Built-in procedures the engine gives an extra `count` column, with the
/// one column Neo4j yields.
const SINGLE_COLUMN_PROCEDURES: [(&str, &str); 2] = [
    ("labels", "label"),
    ("relationshipTypes", "relationshipType"),
];

/// Where to add ` YIELD column` when the whole statement is
/// `CALL db.labels()` or `CALL db.relationshipTypes()`, so that it yields
/// Neo4j's single column.
fn single_column_yield(query: &str, toks: &[Token]) -> Option<(usize, &'static str)> {
    let [call, db, dot, name, open, close, rest @ ..] = toks else {
        return None;
    };
    let text = |token: &Token| query.get(token.start..token.end);
    let bare_call = is_word(query, call, "CALL")
        && text(db) == Some("db")
        && dot.kind == Kind::Dot
        && text(open) == Some("(")
        && text(close) == Some(")")
        && rest.iter().all(|t| t.kind == Kind::Semicolon);
    if !bare_call {
        return None;
    }
    let (_, column) = SINGLE_COLUMN_PROCEDURES
        .iter()
        .find(|(procedure, _)| text(name) == Some(*procedure))?;
    Some((close.end, *column))
}

/// Rewrites the query into the engine's dialect:
/// - every call `elementId(x)` becomes `toString(id(x))`, the engine's
///   spelling of the same value (element ids are the decimal ids);
/// - every `$name` becomes `$p_name` (see [`PARAMETER_PREFIX`]);
/// - a map parameter used as a pattern's properties, `(n:Person $props)`,
///   becomes a literal map of one parameter per entry;
/// - the names in [`KEYWORD_NAMES`] are backtick-quoted;
/// - a bare `CALL db.labels()` or `CALL db.relationshipTypes()` yields only
///   the column Neo4j gives;
/// - a map projection whose first item is a property, `p {.name, .age, n:
///   x}` or `p {.*}`, becomes the map literal it stands for (see
///   [`map_projection`]).
pub(crate) fn rewrite(query: &str, parameters: &Map) -> Rewritten {
    let toks = tokens(query);
    let mut extra = Map::new();
    // (start, end, replacement) of byte ranges; an empty range inserts.
    let mut edits: Vec<(usize, usize, Cow<'static, str>)> = Vec::new();
    if let Some((at, column)) = single_column_yield(query, &toks) {
        edits.push((at, at, Cow::Owned(format!(" YIELD {column}"))));
    }
    for (i, token) in toks.iter().enumerate() {
        let text = query.get(token.start..token.end).unwrap_or("");
        if token.kind == Kind::Word && text.len() > 1 && text.starts_with('$') {
            let name = &text[1..];
            match parameters.get(name) {
                Some(Value::Map(map)) if is_pattern_properties(query, &toks, i) => {
                    let literal = expand_pattern_properties(name, map, &mut extra);
                    edits.push((token.start, token.end, Cow::Owned(literal)));
                }
                _ => edits.push((
                    token.start + 1,
                    token.start + 1,
                    Cow::Borrowed(PARAMETER_PREFIX),
                )),
            }
            continue;
        }
        if let Some(projection) = map_projection(query, &toks, i) {
            edits.extend(projection);
            continue;
        }
        if token.kind == Kind::Word && KEYWORD_NAMES.iter().any(|k| is_word(query, token, k)) {
            edits.push((token.start, token.end, Cow::Owned(format!("`{text}`"))));
            continue;
        }
        let after_dot = i > 0 && toks[i - 1].kind == Kind::Dot;
        if after_dot || !is_word(query, token, "elementId") {
            continue;
        }
        let Some(open) = toks.get(i + 1).filter(|t| t.kind == Kind::Open) else {
            continue;
        };
        if query.get(open.start..open.end) != Some("(") {
            continue;
        }
        let mut depth = 0usize;
        let close = toks[i + 1..].iter().find(|t| {
            match t.kind {
                Kind::Open => depth += 1,
                Kind::Close => depth = depth.saturating_sub(1),
                _ => {}
            }
            t.kind == Kind::Close && depth == 0
        });
        if let Some(close) = close {
            edits.push((token.start, token.end, Cow::Borrowed("toString(id")));
            edits.push((close.end, close.end, Cow::Borrowed(")")));
        }
    }
    edits.sort_by_key(|(start, end, _)| (*start, *end));
    let mut out = String::with_capacity(query.len() + edits.len() * 8);
    let mut at = 0;
    for (start, end, text) in edits {
        if let Some(kept) = query.get(at..start) {
            out.push_str(kept);
        }
        out.push_str(&text);
        at = at.max(end);
    }
    if let Some(rest) = query.get(at..) {
        out.push_str(rest);
    }
    Rewritten {
        query: out,
        extra_parameters: extra,
    }
}

/// The edits that turn the map projection starting at `toks[at]` into a
/// map literal, when it is one: `var {` followed by `.`, which a pattern's
/// property map never is. `.key` becomes `key: var.key`, a lone `variable`
/// becomes `variable: variable`, `key: expr` stays; `var {.*}` alone becomes
/// `properties(var)`. Projections this cannot express (`.*` among other
/// items) are left for the engine to refuse.
fn map_projection(
    query: &str,
    toks: &[Token],
    at: usize,
) -> Option<Vec<(usize, usize, Cow<'static, str>)>> {
    let var = toks.get(at).filter(|t| t.kind == Kind::Word)?;
    let open = toks.get(at + 1)?;
    if query.get(open.start..open.end) != Some("{")
        || toks.get(at + 2)?.kind != Kind::Dot
        || (at > 0 && toks[at - 1].kind == Kind::Dot)
    {
        return None;
    }
    let text = |token: &Token| query.get(token.start..token.end).unwrap_or("");
    // Names written into the new text are quoted as the rest of the query
    // will be.
    let name = |token: &Token| {
        if KEYWORD_NAMES.iter().any(|k| is_word(query, token, k)) {
            format!("`{}`", text(token))
        } else {
            text(token).to_owned()
        }
    };
    let var_text = name(var);
    // The items: token ranges between the braces, split at top-level commas.
    let mut items: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut item_start = at + 2;
    let mut close = None;
    for (index, token) in toks.iter().enumerate().skip(at + 2) {
        match token.kind {
            Kind::Open => depth += 1,
            Kind::Close if depth == 0 => {
                items.push((item_start, index));
                close = Some(token);
                break;
            }
            Kind::Close => depth -= 1,
            Kind::Comma if depth == 0 => {
                items.push((item_start, index));
                item_start = index + 1;
            }
            _ => {}
        }
    }
    let close = close?;
    let all_properties = |&(start, end): &(usize, usize)| {
        end == start + 2 && toks[start].kind == Kind::Dot && text(&toks[start + 1]) == "*"
    };
    if items.iter().any(all_properties) {
        if items.len() != 1 {
            return None;
        }
        return Some(vec![(
            var.start,
            close.end,
            Cow::Owned(format!("properties({var_text})")),
        )]);
    }
    let mut edits = vec![(var.start, var.end, Cow::Borrowed(""))];
    for &(start, end) in &items {
        let first = toks.get(start)?;
        match (first.kind, end - start) {
            // `.key`
            (Kind::Dot, 2) if toks[start + 1].kind == Kind::Word => {
                let key = name(&toks[start + 1]);
                edits.push((
                    first.start,
                    first.start,
                    Cow::Owned(format!("{key}: {var_text}")),
                ));
            }
            // `variable`
            (Kind::Word, 1) => {
                let variable = name(first);
                edits.push((
                    first.start,
                    first.start,
                    Cow::Owned(format!("{variable}: ")),
                ));
            }
            // `key: expr`
            (Kind::Word, _) if toks.get(start + 1).is_some_and(|t| text(t) == ":") => {}
            _ => return None,
        }
    }
    Some(edits)
}

/// Whether the query has an updating clause (`CREATE`, `MERGE`, `SET`,
/// `DELETE`, `REMOVE`) or creates an index. Such a word as a property
/// (`n.set`), a map key (`{set: 1}`) or a label (`:Create`) is no clause.
pub(crate) fn has_update_clause(query: &str) -> bool {
    let toks = tokens(query);
    let colon = |t: Option<&Token>| t.is_some_and(|t| query.get(t.start..t.end) == Some(":"));
    toks.iter().enumerate().any(|(i, token)| {
        let before = i.checked_sub(1).and_then(|b| toks.get(b));
        let after_dot = before.is_some_and(|t| t.kind == Kind::Dot);
        !after_dot
            && !colon(before)
            && !colon(toks.get(i + 1))
            && ["CREATE", "MERGE", "SET", "DELETE", "REMOVE"]
                .iter()
                .any(|w| is_word(query, token, w))
    })
}

/// Whether `query` has a `CALL` of the procedure named `name` (dotted, such
/// as `db.schema.nodeTypeProperties`); parts may be backtick-quoted.
pub(crate) fn calls_procedure(query: &str, name: &str) -> bool {
    let toks = tokens(query);
    let parts: Vec<&str> = name.split('.').collect();
    let part_matches = |token: &Token, part: &str| {
        let text = query.get(token.start..token.end).unwrap_or("");
        let unquoted = text
            .strip_prefix('`')
            .and_then(|t| t.strip_suffix('`'))
            .unwrap_or(text);
        token.kind == Kind::Word && unquoted == part
    };
    toks.iter().enumerate().any(|(i, token)| {
        is_word(query, token, "CALL")
            && parts.iter().enumerate().all(|(n, part)| {
                let at = i + 1 + 2 * n;
                let dot_before = n == 0 || toks.get(at - 1).is_some_and(|t| t.kind == Kind::Dot);
                dot_before && toks.get(at).is_some_and(|t| part_matches(t, part))
            })
    })
}

/// The column names Neo4j gives the final `RETURN` of `query`: an item's
/// alias, or else its text as written. `None` when the items cannot be told
/// apart lexically (`RETURN *`, no top-level `RETURN`).
pub(crate) fn return_columns(query: &str) -> Option<Vec<String>> {
    let toks = tokens(query);
    let mut depth = 0usize;
    let mut return_at = None;
    for (i, token) in toks.iter().enumerate() {
        match token.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            _ if depth == 0 && is_word(query, token, "RETURN") => {
                let after_dot = i > 0 && toks[i - 1].kind == Kind::Dot;
                if !after_dot {
                    return_at = Some(i);
                }
            }
            _ => {}
        }
    }
    let mut i = return_at? + 1;
    if toks.get(i).is_some_and(|t| is_word(query, t, "DISTINCT")) {
        i += 1;
    }
    let mut columns = Vec::new();
    let mut item: Vec<Token> = Vec::new();
    let mut depth = 0usize;
    for (j, token) in toks.iter().enumerate().skip(i) {
        let after_dot = j > 0 && toks[j - 1].kind == Kind::Dot;
        if depth == 0 && !after_dot {
            let ends = token.kind == Kind::Semicolon
                || ["ORDER", "SKIP", "LIMIT", "UNION"]
                    .iter()
                    .any(|w| is_word(query, token, w));
            if ends {
                break;
            }
            if token.kind == Kind::Comma {
                columns.push(column_name(query, &item)?);
                item.clear();
                continue;
            }
        }
        match token.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            _ => {}
        }
        item.push(*token);
    }
    columns.push(column_name(query, &item)?);
    Some(columns)
}

fn column_name(query: &str, item: &[Token]) -> Option<String> {
    let (first, last) = (item.first()?, item.last()?);
    if item.len() == 1 && query.get(first.start..first.end) == Some("*") {
        return None;
    }
    if item.len() >= 3 && is_word(query, &item[item.len() - 2], "AS") {
        let alias = query.get(last.start..last.end)?;
        let alias = alias.strip_prefix('`').unwrap_or(alias);
        let alias = alias.strip_suffix('`').unwrap_or(alias);
        return Some(alias.to_owned());
    }
    let text = query.get(first.start..last.end)?;
    let quoted = (item.len() == 1)
        .then(|| text.strip_prefix('`')?.strip_suffix('`'))
        .flatten();
    Some(match quoted {
        Some(name) => name.replace("``", "`"),
        None => text.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite_plain(query: &str) -> String {
        rewrite(query, &Map::new()).query
    }

    #[test]
    fn map_projections_become_map_literals() {
        assert_eq!(
            rewrite_plain("RETURN p {.name, .age, x: p.a + 1, y} AS m"),
            "RETURN  {name: p.name, age: p.age, x: p.a + 1, y: y} AS m"
        );
        assert_eq!(rewrite_plain("RETURN p{.*}"), "RETURN properties(p)");
        // Nested, and inside a function call.
        assert_eq!(
            rewrite_plain("RETURN collect(f {.name, k: [(f)--(g) | g {.id}]})"),
            "RETURN collect( {name: f.name, k: [(f)--(g) |  {id: g.id}]})"
        );
        // Names the engine reserves are quoted in the new text too.
        assert_eq!(
            rewrite_plain("RETURN p {.mandatory}"),
            "RETURN  {`mandatory`: p.`mandatory`}"
        );
    }

    #[test]
    fn property_maps_and_unsupported_projections_are_left_alone() {
        for query in [
            "MATCH (p {name: 'x'}) RETURN p",
            "CREATE (p:Person {name: 'x', age: 1})",
            "RETURN {a: 1, b: {c: 2}}",
            "RETURN p {.*, extra: 1}",
            "RETURN p {x: 1}",
        ] {
            assert_eq!(rewrite_plain(query), query);
        }
    }

    #[test]
    fn map_parameters_in_patterns_become_literal_maps() {
        let props = Value::Map(Map::from([
            ("name".to_owned(), Value::String("Ann".into())),
            ("odd`key".to_owned(), Value::Integer(1)),
        ]));
        let params = Map::from([("props".to_owned(), props), ("x".to_owned(), Value::Null)]);
        let out = rewrite(
            "CREATE (n:Person $props) RETURN size($props), (NOT $x)",
            &params,
        );
        assert_eq!(
            out.query,
            "CREATE (n:Person {`name`: $p_props__0, `odd``key`: $p_props__1}) \
             RETURN size($p_props), (NOT $p_x)"
        );
        assert_eq!(
            out.extra_parameters["props__0"],
            Value::String("Ann".into())
        );
        assert_eq!(out.extra_parameters["props__1"], Value::Integer(1));
    }

    #[test]
    fn depth_ignores_brackets_in_strings() {
        assert_eq!(nesting_depth("RETURN '((((' + ([{x: 1}])"), 3);
    }

    #[test]
    fn element_id_calls_and_parameters_are_rewritten() {
        assert_eq!(
            rewrite_plain(
                "MATCH (n) WHERE elementId(n) = $e RETURN ELEMENTID( n ), 'elementId(x)', n.elementId"
            ),
            "MATCH (n) WHERE toString(id(n)) = $p_e RETURN toString(id( n )), 'elementId(x)', n.elementId"
        );
    }

    #[test]
    fn reserved_names_are_quoted() {
        assert_eq!(
            rewrite_plain(
                "CALL p() YIELD Mandatory WHERE mandatory RETURN n.mandatory, 'mandatory'"
            ),
            "CALL p() YIELD `Mandatory` WHERE `mandatory` RETURN n.`mandatory`, 'mandatory'"
        );
    }

    #[test]
    fn bare_label_and_type_listings_yield_one_column() {
        assert_eq!(
            rewrite_plain("CALL db.labels();"),
            "CALL db.labels() YIELD label;"
        );
        assert_eq!(
            rewrite_plain("call db.relationshipTypes( )"),
            "call db.relationshipTypes( ) YIELD relationshipType"
        );
        for kept in [
            "CALL db.labels() YIELD label, count",
            "CALL db.propertyKeys()",
            "CALL db.labels",
        ] {
            assert_eq!(rewrite_plain(kept), kept);
        }
    }

    #[test]
    fn keyword_and_numeric_parameters_get_the_prefix() {
        assert_eq!(
            rewrite_plain("RETURN 1 SKIP $skip LIMIT $0 // $x\n, '$y'"),
            "RETURN 1 SKIP $p_skip LIMIT $p_0 // $x\n, '$y'"
        );
    }

    #[test]
    fn update_clauses_are_found_outside_strings_and_properties() {
        assert!(has_update_clause("MATCH (n) set n.x = 1"));
        assert!(has_update_clause("UNWIND [1] AS x CREATE (:X)"));
        assert!(!has_update_clause(
            "MATCH (n) RETURN n.set, 'CREATE' // DELETE"
        ));
        assert!(!has_update_clause("CALL db.labels()"));
        assert!(!has_update_clause(
            "WITH {set: 1, Delete: 2} AS m MATCH (n:Create)-[:MERGE]->() RETURN m"
        ));
        assert!(has_update_clause("MATCH (n) SET n:Person"));
        assert!(has_update_clause("MERGE (n {a: 1}) ON CREATE SET n.b = 2"));
    }

    #[test]
    fn procedure_calls_are_found_by_their_dotted_name() {
        let name = "db.schema.nodeTypeProperties";
        assert!(calls_procedure("CALL db.schema.nodeTypeProperties()", name));
        assert!(calls_procedure(
            "call db . `schema`.nodeTypeProperties() YIELD nodeType RETURN nodeType",
            name
        ));
        assert!(!calls_procedure("CALL db.schema.relTypeProperties()", name));
        assert!(!calls_procedure(
            "RETURN 'CALL db.schema.nodeTypeProperties()'",
            name
        ));
        assert!(!calls_procedure("CALL db.schema", name));
    }

    #[test]
    fn return_columns_keep_text_and_aliases() {
        assert_eq!(
            return_columns(
                "MATCH (a) WITH a RETURN id(a), count( * ), a.name AS `the name` ORDER BY a.name"
            ),
            Some(vec!["id(a)".into(), "count( * )".into(), "the name".into()])
        );
        assert_eq!(
            return_columns("RETURN CASE WHEN 1 > 2 THEN [1, 2] END, {a: 1, b: 2}"),
            Some(vec![
                "CASE WHEN 1 > 2 THEN [1, 2] END".into(),
                "{a: 1, b: 2}".into()
            ])
        );
        assert_eq!(
            return_columns("RETURN `mandatory`, `odd``name`, a.`x`"),
            Some(vec!["mandatory".into(), "odd`name".into(), "a.`x`".into()])
        );
        assert_eq!(return_columns("MATCH (a) RETURN *"), None);
        assert_eq!(return_columns("CREATE (a)"), None);
    }
}
