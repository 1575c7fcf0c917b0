//! Light lexical work on query text, before the engine parses it: the
//! nesting-depth guard, the `elementId(...)` rewrite and the column names
//! Neo4j gives to unaliased `RETURN` items.

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
                while i < bytes.len() && bytes[i] != b'`' {
                    i += 1;
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

/// Rewrites every call `elementId(x)` into `toString(id(x))`, the engine's
/// spelling of the same value (element ids are the decimal ids).
pub(crate) fn rewrite_element_id(query: &str) -> String {
    let toks = tokens(query);
    // (byte offset, text to insert or the range to replace)
    let mut edits: Vec<(usize, usize, &str)> = Vec::new();
    for (i, token) in toks.iter().enumerate() {
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
            edits.push((token.start, token.end, "toString(id"));
            edits.push((close.end, close.end, ")"));
        }
    }
    if edits.is_empty() {
        return query.to_owned();
    }
    edits.sort_by_key(|&(start, end, _)| (start, end));
    let mut out = String::with_capacity(query.len() + edits.len() * 8);
    let mut at = 0;
    for (start, end, text) in edits {
        if let Some(kept) = query.get(at..start) {
            out.push_str(kept);
        }
        out.push_str(text);
        at = at.max(end);
    }
    if let Some(rest) = query.get(at..) {
        out.push_str(rest);
    }
    out
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
    query.get(first.start..last.end).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_ignores_brackets_in_strings() {
        assert_eq!(nesting_depth("RETURN '((((' + ([{x: 1}])"), 3);
    }

    #[test]
    fn element_id_calls_become_to_string_of_id() {
        assert_eq!(
            rewrite_element_id(
                "MATCH (n) WHERE elementId(n) = $e RETURN ELEMENTID( n ), 'elementId(x)', n.elementId"
            ),
            "MATCH (n) WHERE toString(id(n)) = $e RETURN toString(id( n )), 'elementId(x)', n.elementId"
        );
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
        assert_eq!(return_columns("MATCH (a) RETURN *"), None);
        assert_eq!(return_columns("CREATE (a)"), None);
    }
}
