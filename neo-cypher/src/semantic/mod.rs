//! The semantic analysis that follows parsing, after Neo4j's own front
//! end: variable scoping through `WITH`, `UNWIND`, `CALL`, `UNION` and
//! comprehensions; node, relationship, path and value variables; function
//! resolution; aggregation rules; `SKIP`/`LIMIT`; the rules of updating
//! clauses; parameters where they are not allowed.
//!
//! It reports the first error found, in the order Neo4j checks, with the
//! detail and status code Neo4j gives it. Whatever cannot be decided from
//! the text alone (procedure signatures, property types, parameter values)
//! is accepted: a query this pass rejects is one Neo4j rejects.

mod aggregation;
mod clauses;
#[cfg(test)]
mod cost;
mod expressions;
mod functions;
mod patterns;
mod projection;
mod same;
mod scope;
mod types;
mod updates;

use crate::ast::{ClauseKind, QueryBody, SingleQuery, Statement};
use crate::{ErrorDetail, Span, SyntaxError};
use scope::{Frame, Scopes, Var};
use types::Ty;

/// Checks a parsed statement; commands have nothing to check. `prefix` is
/// the `CYPHER …` / `EXPLAIN` prefix as written.
pub(crate) fn check(
    statement: &Statement,
    prefix: Option<&str>,
    src: &str,
) -> Result<(), SyntaxError> {
    let Statement::Query(body) = statement else {
        return Ok(());
    };
    let mut analyzer = Analyzer {
        scopes: Scopes::default(),
        projected: Vec::new(),
        hidden: Vec::new(),
        newer_language: prefix.is_some_and(selects_newer_language),
    };
    analyzer
        .query_body(body, &Import::Nothing, true)
        .map(|_| ())
        .map_err(|failure| failure.into_error(src))
}

/// Why a query is rejected: converted to a [`SyntaxError`] at the end.
#[derive(Debug)]
struct Failure {
    span: Span,
    detail: ErrorDetail,
    message: String,
    code: Option<&'static str>,
    help: Option<String>,
}

/// The result of a check; the failure is boxed to keep results small on
/// the recursion's stack.
type Check<T = ()> = Result<T, Box<Failure>>;

/// A failure of `detail` at `span`.
fn fail<T>(span: Span, detail: ErrorDetail, message: impl Into<String>) -> Check<T> {
    Err(failure(span, detail, message))
}

/// The failure itself, to refine before returning it.
fn failure(span: Span, detail: ErrorDetail, message: impl Into<String>) -> Box<Failure> {
    Box::new(Failure {
        span,
        detail,
        message: message.into(),
        code: None,
        help: None,
    })
}

impl Failure {
    /// The same failure with another status code than its detail's.
    fn with_code(mut self: Box<Self>, code: &'static str) -> Box<Self> {
        self.code = Some(code);
        self
    }

    /// The same failure with a suggestion.
    fn with_help(mut self: Box<Self>, help: Option<String>) -> Box<Self> {
        self.help = help;
        self
    }

    fn detail(&self) -> ErrorDetail {
        self.detail
    }

    fn span(&self) -> Span {
        self.span
    }

    fn into_error(self, src: &str) -> SyntaxError {
        let error = SyntaxError::new(src, self.span, self.message)
            .with_detail(self.detail)
            .with_help(self.help);
        match self.code {
            Some(code) => error.with_code(code),
            None => error,
        }
    }
}

/// The first clause of a part that is not `USE`, with its index.
fn first_after_use(part: &SingleQuery) -> Option<(usize, &crate::ast::Clause)> {
    part.clauses
        .iter()
        .enumerate()
        .find(|(_, clause)| !matches!(clause.kind, ClauseKind::Use(_)))
}

/// What a query part can see of the enclosing query when it starts.
enum Import<'a> {
    /// Nothing: a top-level query.
    Nothing,
    /// Everything, throughout: `EXISTS`, `COUNT` and `COLLECT` subqueries.
    All,
    /// These variables: `CALL (a, b) { … }`.
    Vars(Vec<Var<'a>>),
    /// What a leading `WITH` names: `CALL { WITH a … }`.
    FirstWith,
}

/// The analysis state: scopes, and the projection whose items stand for
/// their columns while its `ORDER BY` and `WHERE` are checked.
struct Analyzer<'a> {
    scopes: Scopes<'a>,
    /// After a `WITH`/`RETURN` with `DISTINCT` or an aggregation, the items
    /// (with their types) that `ORDER BY` and `WHERE` may repeat.
    projected: Vec<(&'a crate::ast::Expr, Ty)>,
    /// Variables such a projection hid (for a precise message).
    hidden: Vec<&'a str>,
    /// The query selects a Cypher version after 5 (`CYPHER 25`), whose
    /// functions this catalogue may not know.
    newer_language: bool,
}

/// True for a prefix such as `CYPHER 25`.
fn selects_newer_language(prefix: &str) -> bool {
    let words: Vec<String> = prefix
        .split_whitespace()
        .map(str::to_ascii_uppercase)
        .collect();
    words.windows(2).any(|pair| {
        pair[0] == "CYPHER"
            && pair[1]
                .split('.')
                .next()
                .and_then(|major| major.parse::<u32>().ok())
                .is_some_and(|major| major > 5)
    })
}

/// The variables a query part returns, and whether it returns them with
/// `RETURN *`.
struct Returned<'a> {
    vars: Vec<Var<'a>>,
    star: bool,
}

impl<'a> Analyzer<'a> {
    /// Checks `UNION`ed parts; returns what the first part returns.
    fn query_body(
        &mut self,
        body: &'a QueryBody,
        import: &Import<'a>,
        top_level: bool,
    ) -> Check<Returned<'a>> {
        if let Some(index) = body
            .union_all
            .iter()
            .position(|all| *all != body.union_all[0])
        {
            let span = body
                .parts
                .get(index + 1)
                .map_or(body.span, |part| part.span);
            return fail(
                span,
                ErrorDetail::InvalidClauseComposition,
                "Invalid combination of UNION and UNION ALL",
            );
        }
        let mut first = None;
        for part in &body.parts {
            let returned = self.single_query(part, import, top_level && body.parts.len() == 1)?;
            first.get_or_insert(returned);
        }
        Ok(first.unwrap_or(Returned {
            vars: Vec::new(),
            star: false,
        }))
    }

    /// Checks one part's clauses in a frame of its own.
    fn single_query(
        &mut self,
        part: &'a SingleQuery,
        import: &Import<'a>,
        top_level: bool,
    ) -> Check<Returned<'a>> {
        let first_is_with = matches!(
            first_after_use(part).map(|(_, c)| &c.kind),
            Some(ClauseKind::With(_))
        );
        let frame = match import {
            Import::Nothing => Frame::default(),
            Import::All => Frame {
                transparent: true,
                ..Frame::default()
            },
            Import::Vars(vars) => Frame {
                vars: vars.clone(),
                ..Frame::default()
            },
            Import::FirstWith => Frame {
                transparent: first_is_with,
                ..Frame::default()
            },
        };
        self.scopes.push(frame);
        let result = self.clauses(part, matches!(import, Import::FirstWith), top_level);
        self.scopes.pop();
        result
    }

    fn clauses(
        &mut self,
        part: &'a SingleQuery,
        first_imports: bool,
        top_level: bool,
    ) -> Check<Returned<'a>> {
        let standalone = top_level
            && part
                .clauses
                .iter()
                .filter(|c| !matches!(c.kind, ClauseKind::Use(_)))
                .count()
                == 1;
        let importing = first_after_use(part).map(|(index, _)| index);
        for (index, clause) in part.clauses.iter().enumerate() {
            self.clause(clause, standalone)?;
            if first_imports && Some(index) == importing {
                self.scopes.top().transparent = false;
            }
        }
        Ok(match part.clauses.last().map(|c| &c.kind) {
            Some(ClauseKind::Return(projection)) => Returned {
                vars: self.scopes.top().vars.clone(),
                star: projection.star,
            },
            _ => Returned {
                vars: Vec::new(),
                star: false,
            },
        })
    }
}
