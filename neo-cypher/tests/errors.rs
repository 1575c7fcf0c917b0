//! Error messages and their rendering: positions, expected tokens,
//! "did you mean" suggestions and caret excerpts.

use neo_cypher::parse;

fn rendered(text: &str) -> String {
    parse(text).unwrap_err().render(text)
}

#[test]
fn a_misspelt_keyword_is_pointed_at_with_a_suggestion() {
    assert_eq!(
        rendered("MATCH (n:Person)\nWHERE n.age > 30\nRETRUN n.name"),
        "error: expected a clause, found `RETRUN`\n\
         3 | RETRUN n.name\n  \
           | ^^^^^^\n  \
           = help: did you mean `RETURN`?"
    );
}

#[test]
fn a_missing_parenthesis_lists_what_could_come_next() {
    assert_eq!(
        rendered("MATCH (n:Person RETURN n"),
        "error: expected `{`, `WHERE` or `)`, found `RETURN`\n\
         1 | MATCH (n:Person RETURN n\n  \
           |                 ^^^^^^"
    );
}

#[test]
fn end_of_input_is_rendered_after_the_last_character() {
    assert_eq!(
        rendered("RETURN 1 +"),
        "error: expected an expression, found end of input\n\
         1 | RETURN 1 +\n  \
           |           ^"
    );
}

#[test]
fn lexical_errors_point_at_the_literal() {
    assert_eq!(
        rendered("RETURN 'abc"),
        "error: unterminated string literal\n\
         1 | RETURN 'abc\n  \
           |        ^"
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = "RETURN 'ünïcødé' AS s RETRUN";
    let error = parse(text).unwrap_err();
    assert_eq!((error.line, error.column), (1, 23));
    assert_eq!(error.offset, text.find("RETRUN").unwrap());
    assert!(
        error
            .render(text)
            .contains("\n  |                       ^^^^^^\n"),
        "{}",
        error.render(text)
    );
}

#[test]
fn keyword_suggestions_cover_clause_parts() {
    let error = parse("MATCH (n) RETURN n ORDER BY n.x DESK").unwrap_err();
    assert_eq!(error.help.as_deref(), Some("did you mean `DESC`?"));
    let error = parse("MATCH (n) WHERE n.name STRTS WITH 'a' RETURN n").unwrap_err();
    assert_eq!(error.help.as_deref(), Some("did you mean `STARTS`?"));
    let error = parse("MACTH (n) RETURN n").unwrap_err();
    assert_eq!(error.help.as_deref(), Some("did you mean `MATCH`?"));
    assert_eq!(error.column, 1);
}

#[test]
fn unrelated_words_get_no_suggestion() {
    let error = parse("MATCH (n) BANANA n").unwrap_err();
    assert_eq!(error.help, None);
    assert_eq!(
        error.message,
        "expected `,`, `WHERE` or a clause, found `BANANA`"
    );
}

#[test]
fn display_includes_the_position() {
    let error = parse("MATCH (n) RETRUN n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "expected `,`, `WHERE` or a clause, found `RETRUN` (line 1, column 11); did you mean `RETURN`?"
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let text = format!("RETURN {}1{}", "(".repeat(10_000), ")".repeat(10_000));
    let error = parse(&text).unwrap_err();
    assert!(
        error.message.contains("nests too deeply"),
        "{}",
        error.message
    );
    let text = format!("RETURN {}1", "-".repeat(10_000));
    assert!(parse(&text).is_err());
    let text = format!("RETURN {}", "[".repeat(10_000));
    assert!(parse(&text).is_err());
}
