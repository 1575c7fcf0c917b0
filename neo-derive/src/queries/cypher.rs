//! A query's Cypher, analysed: parsed by `neo-cypher` (or, for `unchecked`
//! queries, only lexed for its parameters), and whether it runs
//! `CALL { … } IN TRANSACTIONS`.

use neo_cypher::ast::{Clause, ClauseKind, QueryBody, Statement};
use proc_macro2::Span;

use crate::ctxt::Ctxt;

/// The text and what was found in it.
pub(super) struct Cypher {
    /// The parsed statement; `None` for `unchecked` queries.
    pub(super) parsed: Option<neo_cypher::Query>,
    /// Every `$parameter`, once, in order.
    pub(super) parameters: Vec<String>,
    /// Whether it runs `CALL { … } IN TRANSACTIONS`.
    pub(super) in_transactions: bool,
}

impl Cypher {
    /// Analyses `text`; a syntax error is recorded at `span` (the text or its
    /// file name) with a caret excerpt.
    pub(super) fn analyse(cx: &Ctxt, text: &str, unchecked: bool, span: Span) -> Option<Cypher> {
        let invalid = |error: neo_cypher::SyntaxError| {
            cx.error_at(span, format!("invalid Cypher: {}", error.render(text)));
        };
        if unchecked {
            let parameters = neo_cypher::scan_parameters(text).map_err(invalid).ok()?;
            return Some(Cypher {
                parsed: None,
                parameters: parameters.into_iter().map(|name| name.name).collect(),
                in_transactions: mentions_in_transactions(text),
            });
        }
        let parsed = neo_cypher::parse(text).map_err(invalid).ok()?;
        let parameters = parsed.parameters().iter().map(|p| p.name.clone()).collect();
        let in_transactions = match parsed.statement() {
            Statement::Query(body) => body_in_transactions(body),
            Statement::Command(_) => false,
        };
        Some(Cypher {
            parsed: Some(parsed),
            parameters,
            in_transactions,
        })
    }

    /// Whether the query cannot write; unknown (false) when unchecked.
    pub(super) fn is_read_only(&self) -> bool {
        self.parsed
            .as_ref()
            .is_some_and(|query| query.is_read_only())
    }
}

/// Whether a `CALL { … }` clause of the body, at any depth of clauses, runs
/// `IN TRANSACTIONS`. Expression subqueries (`EXISTS { … }`, `COUNT { … }`,
/// `COLLECT { … }`) are read-only, so they cannot hold one.
fn body_in_transactions(body: &QueryBody) -> bool {
    body.parts
        .iter()
        .any(|part| clauses_in_transactions(&part.clauses))
}

fn clauses_in_transactions(clauses: &[Clause]) -> bool {
    clauses.iter().any(|clause| match &clause.kind {
        ClauseKind::Subquery {
            in_transactions: Some(_),
            ..
        } => true,
        ClauseKind::Subquery { body, .. } => body_in_transactions(body),
        ClauseKind::Foreach { body, .. } => clauses_in_transactions(body),
        _ => false,
    })
}

/// For text that is not parsed: whether it has `} IN TRANSACTIONS` or
/// `CONCURRENT TRANSACTIONS` (case-insensitive, outside strings, quoted
/// names and comments), the two ways `CALL { … } IN [n] [CONCURRENT]
/// TRANSACTIONS` can be written.
pub(super) fn mentions_in_transactions(text: &str) -> bool {
    let tokens = rough_tokens(text);
    tokens.windows(3).any(|w| {
        w[0] == "}" && w[1].eq_ignore_ascii_case("IN") && w[2].eq_ignore_ascii_case("TRANSACTIONS")
    }) || tokens.windows(2).any(|w| {
        w[0].eq_ignore_ascii_case("CONCURRENT") && w[1].eq_ignore_ascii_case("TRANSACTIONS")
    })
}

/// Words and punctuation of Cypher text, without strings, quoted names and
/// comments.
fn rough_tokens(text: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |end| end + 2);
        } else if matches!(c, b'\'' | b'"' | b'`') {
            i += quoted_len(rest, c);
        } else {
            let word = rest
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len());
            let len = match word {
                0 => rest.chars().next().map_or(1, char::len_utf8),
                word => word,
            };
            tokens.push(&rest[..len]);
            i += len;
        }
    }
    tokens
}

/// The length of a quoted string or name at the start of `rest`, quotes
/// included (backslash escapes in strings; doubled backticks in names).
fn quoted_len(rest: &str, quote: u8) -> usize {
    let bytes = rest.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote != b'`' => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed_in_transactions(text: &str) -> bool {
        let cx = Ctxt::new();
        let cypher = Cypher::analyse(&cx, text, false, Span::call_site());
        cx.check().unwrap();
        cypher.unwrap().in_transactions
    }

    #[test]
    fn in_transactions_is_found_in_the_syntax_tree() {
        assert!(parsed_in_transactions(
            "UNWIND range(1, 10) AS i CALL (i) { CREATE (:N {i: i}) } IN TRANSACTIONS OF 2 ROWS"
        ));
        assert!(parsed_in_transactions(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN 4 CONCURRENT TRANSACTIONS"
        ));
        assert!(parsed_in_transactions(
            "RETURN 1 AS x UNION ALL CALL { CREATE (:N) } IN TRANSACTIONS RETURN 2 AS x"
        ));
        assert!(!parsed_in_transactions(
            "CALL { CREATE (:N) RETURN 1 AS one } RETURN one"
        ));
        assert!(!parsed_in_transactions(
            "MATCH (n) WHERE n.kind = 'IN TRANSACTIONS' RETURN n"
        ));
    }

    #[test]
    fn the_text_is_scanned_when_it_is_not_parsed() {
        assert!(mentions_in_transactions(
            "CALL { CREATE (:X) } IN TRANSACTIONS OF $n ROWS"
        ));
        assert!(mentions_in_transactions(
            "call {\n create (:X)\n}\nin transactions"
        ));
        assert!(mentions_in_transactions(
            "CALL { CREATE (:X) } IN $n CONCURRENT TRANSACTIONS"
        ));
        assert!(mentions_in_transactions(
            "CALL { CREATE (:X) } /* batched */ IN TRANSACTIONS"
        ));
        assert!(!mentions_in_transactions(
            "MATCH (n) WHERE n.x IN transactions RETURN n"
        ));
        assert!(!mentions_in_transactions(
            "RETURN '} IN TRANSACTIONS' AS s, \"CONCURRENT TRANSACTIONS\" AS t"
        ));
        assert!(!mentions_in_transactions("RETURN 1 // } IN TRANSACTIONS\n"));
        assert!(!mentions_in_transactions(
            "MATCH (`} IN TRANSACTIONS`) RETURN 1"
        ));
        assert!(mentions_in_transactions(
            "RETURN 'é' + '→' AS s, ¬ CALL { CREATE (:Été) } IN TRANSACTIONS"
        ));
    }
}
