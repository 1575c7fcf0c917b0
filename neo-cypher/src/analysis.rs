//! The columns a query returns.

use crate::Span;
use crate::ast::{ClauseKind, QueryBody, SingleQuery, Yield};

/// One returned column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The name Neo4j gives the column: the alias, else the expression text
    /// exactly as written (`p.name`, `count(*)`).
    pub name: String,
    /// The projection item (or yielded field) that produces it.
    pub span: Span,
}

/// What the final clause of a query returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReturnColumns {
    /// Exactly these columns, in order.
    Named(Vec<Column>),
    /// `RETURN *` or `YIELD *`: every variable in scope, plus these columns.
    Star(Vec<Column>),
    /// Columns fixed by the callee (a procedure called without `YIELD`, a
    /// `SHOW` command without `YIELD`), unknown without a catalog.
    Unknown,
}

impl ReturnColumns {
    /// The column names when they are known exactly.
    pub fn names(&self) -> Option<Vec<&str>> {
        match self {
            ReturnColumns::Named(columns) => {
                Some(columns.iter().map(|c| c.name.as_str()).collect())
            }
            _ => None,
        }
    }
}

/// The columns of a body (all `UNION` parts agree; checked when parsing).
pub(crate) fn body_columns(body: &QueryBody) -> Option<ReturnColumns> {
    body.parts.first().and_then(single_query_columns)
}

/// The columns of one part: those of its last clause.
pub(crate) fn single_query_columns(query: &SingleQuery) -> Option<ReturnColumns> {
    let last = query.clauses.last()?;
    match &last.kind {
        ClauseKind::Return(projection) => {
            let columns = projection
                .items
                .iter()
                .map(|item| Column {
                    name: item.column.clone(),
                    span: item.span,
                })
                .collect();
            Some(if projection.star {
                ReturnColumns::Star(columns)
            } else {
                ReturnColumns::Named(columns)
            })
        }
        ClauseKind::Procedure { yields, .. } => Some(yield_columns(yields.as_ref())),
        ClauseKind::Show(show) => Some(yield_columns(show.yields.as_ref())),
        _ => None,
    }
}

fn yield_columns(yields: Option<&Yield>) -> ReturnColumns {
    match yields {
        None => ReturnColumns::Unknown,
        Some(y) if y.star => ReturnColumns::Star(Vec::new()),
        Some(y) => ReturnColumns::Named(
            y.items
                .iter()
                .map(|(field, alias)| {
                    let name = alias.as_ref().unwrap_or(field);
                    Column {
                        name: name.name.clone(),
                        span: alias.as_ref().map_or(field.span, |a| field.span.to(a.span)),
                    }
                })
                .collect(),
        ),
    }
}
