//! Scripts of several statements separated by `;`, as `.cypher` files of
//! test fixtures and migrations hold them.

use crate::lexer::{P, Tok, lex};
use crate::{Span, SyntaxError};

/// The statements of a script, in order, as spans into it: the text from
/// each statement's first token to its last, without the `;` that ends it.
///
/// The script is split on the `;` tokens of the lexer, so a `;` inside a
/// string, a quoted name or a comment does not end a statement. Empty
/// statements (`;;`, a trailing `;`, a script of comments only) are left
/// out. Only the tokens are read: each statement still has to be
/// [`parse`](crate::parse)d; text the lexer rejects (an unterminated string
/// or comment) is a [`SyntaxError`] at its place in the script.
///
/// ```
/// let script = "CREATE (:Person {name: 'a;b'}); // one; two\n\
///               CREATE (:Movie) /* ; */;\n\n";
/// let statements: Vec<&str> = neo_cypher::split_statements(script)?
///     .into_iter()
///     .map(|span| span.text(script))
///     .collect();
/// assert_eq!(statements, ["CREATE (:Person {name: 'a;b'})", "CREATE (:Movie)"]);
/// # Ok::<(), neo_cypher::SyntaxError>(())
/// ```
pub fn split_statements(script: &str) -> Result<Vec<Span>, SyntaxError> {
    let mut statements = Vec::new();
    let mut current: Option<Span> = None;
    for token in lex(script)? {
        match token.kind {
            Tok::P(P::Semi) | Tok::Eof => statements.extend(current.take()),
            _ => {
                current = Some(match current {
                    Some(span) => span.to(token.span),
                    None => token.span,
                });
            }
        }
    }
    Ok(statements)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(script: &str) -> Vec<&str> {
        split_statements(script)
            .unwrap()
            .into_iter()
            .map(|span| span.text(script))
            .collect()
    }

    #[test]
    fn semicolons_end_statements() {
        assert_eq!(
            split("CREATE (a); CREATE (b);\nMATCH (n) RETURN n"),
            ["CREATE (a)", "CREATE (b)", "MATCH (n) RETURN n"]
        );
    }

    #[test]
    fn semicolons_in_strings_names_and_comments_do_not() {
        assert_eq!(
            split("RETURN 'a;b', \"c;d\", `e;f`; // g; h\nRETURN 1 /* ; */ + 1"),
            ["RETURN 'a;b', \"c;d\", `e;f`", "RETURN 1 /* ; */ + 1"]
        );
        assert_eq!(split("RETURN 'it\\'s; fine'"), ["RETURN 'it\\'s; fine'"]);
    }

    #[test]
    fn empty_statements_are_left_out() {
        assert!(split("").is_empty());
        assert!(split(" ;; \n// only a comment;\n/* ; */").is_empty());
        assert_eq!(split(";RETURN 1;;"), ["RETURN 1"]);
    }

    #[test]
    fn a_statement_spans_several_lines() {
        let script = "CREATE (a:Person {\n  name: 'Ann'\n})\n;\n";
        assert_eq!(split(script), ["CREATE (a:Person {\n  name: 'Ann'\n})"]);
    }

    #[test]
    fn lexer_errors_are_placed_in_the_script() {
        let error = split_statements("RETURN 1;\nRETURN 'open").unwrap_err();
        assert_eq!((error.line, error.column), (2, 8));
        assert!(error.message.contains("unterminated"), "{}", error.message);
    }
}
