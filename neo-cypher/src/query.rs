//! A parsed query and its analyses.

use crate::Span;
use crate::analysis::{ReturnColumns, body_columns};
use crate::ast::{MatchMode, Name, NormalForm, Statement, TrimMode};
use crate::parser::{self, DEEP_STACK, Limits, Symbols};
use crate::schema::{ColumnType, Schema, SchemaProblem};
use crate::schema_check::Checker;
use crate::{ErrorDetail, SyntaxError, semantic};

/// A parsed statement with the facts a checked query needs.
///
/// ```
/// let query = neo_cypher::parse(
///     "MATCH (p:Person {name: $name})-[:KNOWS]->(f) RETURN f.name AS friend, count(*)",
/// )?;
/// let parameters: Vec<&str> = query.parameters().iter().map(|p| p.name.as_str()).collect();
/// assert_eq!(parameters, ["name"]);
/// let columns = query.returned_columns().unwrap();
/// assert_eq!(columns.names().unwrap(), ["friend", "count(*)"]);
/// assert!(query.is_read_only());
/// assert_eq!(query.labels()[0].name, "Person");
/// assert_eq!(query.relationship_types()[0].name, "KNOWS");
/// # Ok::<(), neo_cypher::SyntaxError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Query {
    statement: Statement,
    prefix: Option<String>,
    symbols: Symbols,
}

/// The `$parameters` of a query text, found by the lexer alone: for
/// queries that are not parsed (the `unchecked` escape hatch), so that their
/// parameters can still be checked. Each name once, in order of appearance.
///
/// ```
/// let names = neo_cypher::scan_parameters("MATCH (n) WHERE n.a = $a OR n.b = $`b b` RETURN $a")?;
/// let names: Vec<&str> = names.iter().map(|n| n.name.as_str()).collect();
/// assert_eq!(names, ["a", "b b"]);
/// # Ok::<(), neo_cypher::SyntaxError>(())
/// ```
pub fn scan_parameters(text: &str) -> Result<Vec<Name>, SyntaxError> {
    let mut names: Vec<Name> = Vec::new();
    for token in crate::lexer::lex(text)? {
        if token.kind != crate::lexer::Tok::Param {
            continue;
        }
        let raw = token.span.text(text).get(1..).unwrap_or("");
        let name = if raw.starts_with('`') {
            crate::lexer::unquote_name(raw)
        } else {
            raw.to_owned()
        };
        if !names.iter().any(|n| n.name == name) {
            names.push(Name {
                name,
                span: token.span,
            });
        }
    }
    Ok(names)
}

/// Parses one Cypher statement (an optional trailing `;` is allowed).
///
/// ```
/// let error = neo_cypher::parse("MATCH (n RETURN n").unwrap_err();
/// assert_eq!(error.message, "expected `:`, `{`, `WHERE` or `)`, found `RETURN`");
/// assert_eq!((error.line, error.column), (1, 10));
/// ```
pub fn parse(text: &str) -> Result<Query, SyntaxError> {
    match parse_within(text, Limits::SHALLOW) {
        Err(error) if error.detail() == ErrorDetail::NestingTooDeep => {
            parse_on_deep_stack(text).unwrap_or(Err(error))
        }
        result => result,
    }
}

/// Parses and analyses `text` on this thread, within `limits`.
fn parse_within(text: &str, limits: Limits) -> Result<Query, SyntaxError> {
    let parsed = parser::parse(text, limits)?;
    semantic::check(&parsed.statement, parsed.prefix.as_deref(), text)?;
    Ok(Query {
        statement: parsed.statement,
        prefix: parsed.prefix,
        symbols: parsed.symbols,
    })
}

/// Parses and analyses a query that nests beyond [`Limits::SHALLOW`] on a
/// thread with a stack large enough for [`Limits::DEEP`]; `None` when no
/// such thread can be started.
fn parse_on_deep_stack(text: &str) -> Option<Result<Query, SyntaxError>> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("neo-cypher-deep-parse".to_owned())
            .stack_size(DEEP_STACK)
            .spawn_scoped(scope, || parse_within(text, Limits::DEEP))
            .ok()?;
        match worker.join() {
            Ok(result) => Some(result),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

impl Query {
    /// The syntax tree.
    pub fn statement(&self) -> &Statement {
        &self.statement
    }

    /// The `CYPHER …` / `EXPLAIN` / `PROFILE` prefix as written, if any.
    pub fn prefix(&self) -> Option<&str> {
        self.prefix.as_deref()
    }

    /// Every distinct parameter (`$name`, `$0`), at its first occurrence, in
    /// order of appearance.
    pub fn parameters(&self) -> Vec<&Name> {
        let mut seen: Vec<&Name> = Vec::new();
        for parameter in &self.symbols.parameters {
            if !seen.iter().any(|s| s.name == parameter.name) {
                seen.push(parameter);
            }
        }
        seen
    }

    /// The columns of the final `RETURN` (or of a final `CALL … YIELD` /
    /// `SHOW … YIELD`); `None` when the query returns no rows to the client
    /// (updates only, `FINISH`, a final unit subquery, a command).
    ///
    /// All parts of a `UNION` have the same columns: a mismatch is a parse
    /// error, as in Neo4j.
    pub fn returned_columns(&self) -> Option<ReturnColumns> {
        match &self.statement {
            Statement::Query(body) => body_columns(body),
            Statement::Command(_) => None,
        }
    }

    /// False when anything in the statement may write: `CREATE`, `MERGE`,
    /// `SET`, `REMOVE`, `DELETE` (also inside `FOREACH` and subqueries),
    /// `CALL { … } IN TRANSACTIONS`, a procedure not known to be read-only,
    /// `TERMINATE TRANSACTIONS`, schema and administration commands.
    pub fn is_read_only(&self) -> bool {
        !self.symbols.writes
    }

    /// Every label occurrence (patterns, label predicates, `SET`/`REMOVE`,
    /// index and constraint definitions), in order.
    pub fn labels(&self) -> &[Name] {
        &self.symbols.labels
    }

    /// Every relationship type occurrence, in order.
    pub fn relationship_types(&self) -> &[Name] {
        &self.symbols.relationship_types
    }

    /// Every property key occurrence (`n.key`, pattern and map-projection
    /// keys, index and constraint properties), in order.
    pub fn property_keys(&self) -> &[Name] {
        &self.symbols.property_keys
    }

    /// How the `trim(…)` call written at `call` (its expression's span)
    /// trims: `BOTH` unless `LEADING` or `TRAILING` is written.
    ///
    /// ```
    /// use neo_cypher::ast::{ClauseKind, Statement, TrimMode};
    ///
    /// let query = neo_cypher::parse("RETURN trim(LEADING 'x' FROM 'xax')")?;
    /// let Statement::Query(body) = query.statement() else { unreachable!() };
    /// let ClauseKind::Return(projection) = &body.parts[0].clauses[0].kind else { unreachable!() };
    /// assert_eq!(query.trim_mode(projection.items[0].expr.span), TrimMode::Leading);
    /// # Ok::<(), neo_cypher::SyntaxError>(())
    /// ```
    pub fn trim_mode(&self, call: Span) -> TrimMode {
        self.symbols
            .trim_modes
            .iter()
            .find(|(span, _)| *span == call)
            .map_or(TrimMode::Both, |(_, mode)| *mode)
    }

    /// The normal form of the `IS [NOT] [form] NORMALIZED` test written at
    /// `test` (its expression's span): NFC unless another is written.
    ///
    /// ```
    /// use neo_cypher::ast::{ClauseKind, NormalForm, Statement};
    ///
    /// let query = neo_cypher::parse("RETURN 'a' IS NFKD NORMALIZED")?;
    /// let Statement::Query(body) = query.statement() else { unreachable!() };
    /// let ClauseKind::Return(projection) = &body.parts[0].clauses[0].kind else { unreachable!() };
    /// assert_eq!(query.normal_form(projection.items[0].expr.span), NormalForm::Nfkd);
    /// # Ok::<(), neo_cypher::SyntaxError>(())
    /// ```
    pub fn normal_form(&self, test: Span) -> NormalForm {
        self.symbols
            .normal_forms
            .iter()
            .find(|(span, _)| *span == test)
            .map_or(NormalForm::Nfc, |(_, form)| *form)
    }

    /// The match mode of the `MATCH` clause written at `clause` (its span):
    /// `DIFFERENT RELATIONSHIPS` unless `REPEATABLE ELEMENTS` is written.
    ///
    /// ```
    /// use neo_cypher::ast::{MatchMode, Statement};
    ///
    /// let query = neo_cypher::parse("MATCH REPEATABLE ELEMENTS (a)-->{2}(b) RETURN b")?;
    /// let Statement::Query(body) = query.statement() else { unreachable!() };
    /// let clause = &body.parts[0].clauses[0];
    /// assert_eq!(query.match_mode(clause.span), MatchMode::RepeatableElements);
    /// # Ok::<(), neo_cypher::SyntaxError>(())
    /// ```
    pub fn match_mode(&self, clause: Span) -> MatchMode {
        self.symbols
            .match_modes
            .iter()
            .find(|(start, _)| *start == clause.start)
            .map_or(MatchMode::DifferentRelationships, |(_, mode)| *mode)
    }

    /// The labels, relationship types and property keys the query uses
    /// that `schema` does not declare, in order of appearance.
    ///
    /// Properties are checked on variables bound by node and relationship
    /// patterns (`var.key`, `var {.key}`, pattern maps, `SET var += {…}`):
    /// the key must be declared for one of the variable's labels (or
    /// types), or for any label (or type) when the pattern names none.
    /// Variables bound any other way, dynamic labels and names under `!`
    /// are not checked. Commands (indexes, constraints, …) are not checked.
    ///
    /// ```
    /// use neo_cypher::schema::{Schema, SchemaProblemKind};
    ///
    /// let schema = Schema::parse("[nodes.Person]\nname = \"STRING\"\n[relationships.KNOWS]\n")?;
    /// let query = neo_cypher::parse("MATCH (a:Persn)-[:KNOWS]->(b:Person) RETURN b.name")?;
    /// let problems = query.check_schema(&schema);
    /// assert_eq!(problems.len(), 1);
    /// assert_eq!(problems[0].kind, SchemaProblemKind::UnknownLabel);
    /// assert_eq!(
    ///     problems[0].message("neo-schema.toml"),
    ///     "label `:Persn` is not in neo-schema.toml; did you mean `:Person`?"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_schema(&self, schema: &Schema) -> Vec<SchemaProblem> {
        Checker::run(schema, &self.statement).0
    }

    /// The returned columns that are a declared property of a pattern
    /// variable with known labels (`RETURN p.born AS born`), with the
    /// declared type; every part of a `UNION` contributes its own.
    ///
    /// ```
    /// use neo_cypher::schema::{PropertyType, Schema};
    ///
    /// let schema = Schema::parse("[nodes.Person]\nborn = \"INTEGER\"\n")?;
    /// let query = neo_cypher::parse("MATCH (p:Person) RETURN p.born AS born, count(*) AS n")?;
    /// let columns = query.column_types(&schema);
    /// assert_eq!(columns.len(), 1);
    /// assert_eq!((columns[0].column.as_str(), &columns[0].ty), ("born", &PropertyType::Integer));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn column_types(&self, schema: &Schema) -> Vec<ColumnType> {
        Checker::run(schema, &self.statement).1
    }
}
