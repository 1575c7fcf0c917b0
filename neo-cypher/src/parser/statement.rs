//! Statements, prefixes, `UNION` bodies and the checks on how queries end.

use super::{PResult, Parser};
use crate::ErrorDetail;
use crate::ast::*;
use crate::lexer::{P, Tok};

/// Keywords that can start a clause (for messages and suggestions).
pub(super) const CLAUSE_KEYWORDS: &[&str] = &[
    "MATCH", "OPTIONAL", "RETURN", "WITH", "UNWIND", "CREATE", "MERGE", "SET", "REMOVE", "DELETE",
    "DETACH", "FOREACH", "CALL", "LOAD", "USE", "FINISH", "UNION", "ORDER", "LIMIT", "SKIP",
    "SHOW", "WHERE", "YIELD",
];

impl Parser<'_> {
    pub(super) fn statement(&mut self) -> PResult<(Statement, Option<String>)> {
        let prefix = self.prefix()?;
        let statement = match self.command_after_use()? {
            Some(command) => Statement::Command(Box::new(command)),
            None => {
                let body = self.query_body()?;
                Statement::Query(body)
            }
        };
        if self.at(P::Semi) {
            self.pos += 1;
            if self.kind() != Tok::Eof {
                let span = self.span();
                return self.fail_at(
                    span,
                    "only one statement is allowed; remove what follows the `;`",
                );
            }
        }
        if self.kind() != Tok::Eof {
            if matches!(statement, Statement::Query(_)) {
                self.hint_keywords(CLAUSE_KEYWORDS);
                return self.fail("a clause");
            }
            return self.fail("end of input");
        }
        if let Statement::Query(body) = &statement {
            for part in &body.parts {
                self.check_conclusion(part)?;
            }
        }
        Ok((statement, prefix))
    }

    /// A command, possibly after `USE graph`; `None` (nothing consumed) for
    /// a query.
    fn command_after_use(&mut self) -> PResult<Option<Command>> {
        if !self.at_kw("USE") {
            return self.command();
        }
        let cp = self.checkpoint();
        self.pos += 1;
        self.graph_reference()?;
        let command = self.command()?;
        if command.is_none() {
            self.restore(&cp);
        }
        Ok(command)
    }

    /// `CYPHER [version] [k=v …]` and `EXPLAIN` / `PROFILE`.
    pub(super) fn prefix(&mut self) -> PResult<Option<String>> {
        let start = self.span().start;
        let mut any = false;
        loop {
            if self.at_kw("CYPHER") && !self.at_n(1, P::LParen) {
                self.pos += 1;
                any = true;
                if matches!(self.kind(), Tok::Int | Tok::Float) {
                    self.pos += 1;
                }
                while self.at_name() && self.at_n(1, P::Eq) {
                    self.pos += 2;
                    if matches!(self.kind(), Tok::Ident | Tok::Int | Tok::Float | Tok::Str) {
                        self.pos += 1;
                    } else {
                        return self.fail("an option value");
                    }
                }
            } else if (self.at_kw("EXPLAIN") || self.at_kw("PROFILE"))
                && !matches!(self.kind_at(1), Tok::Eof | Tok::P(_))
            {
                self.pos += 1;
                any = true;
            } else {
                break;
            }
        }
        Ok(any.then(|| self.since(start).text(self.src).to_owned()))
    }

    /// Single queries joined by `UNION`; `top` checks how the query ends.
    pub(super) fn query_body(&mut self) -> PResult<QueryBody> {
        self.enter()?;
        let start = self.span().start;
        let mut parts = vec![self.single_query()?];
        let mut union_all = Vec::new();
        while self.at_kw("UNION") {
            self.pos += 1;
            let all = self.eat_kw("ALL");
            if !all {
                self.eat_kw("DISTINCT");
            }
            union_all.push(all);
            parts.push(self.single_query()?);
        }
        self.check_union_columns(&parts)?;
        self.leave();
        Ok(QueryBody {
            parts,
            union_all,
            span: self.since(start),
        })
    }

    pub(super) fn check_union_columns(&mut self, parts: &[SingleQuery]) -> PResult<()> {
        let Some(first) = parts
            .first()
            .and_then(crate::analysis::single_query_columns)
        else {
            return Ok(());
        };
        for part in &parts[1..] {
            let columns = crate::analysis::single_query_columns(part);
            if let (crate::ReturnColumns::Named(a), Some(crate::ReturnColumns::Named(b))) =
                (&first, &columns)
            {
                // The same names; Neo4j does not require the same order.
                let mut left: Vec<&str> = a.iter().map(|c| c.name.as_str()).collect();
                let mut right: Vec<&str> = b.iter().map(|c| c.name.as_str()).collect();
                left.sort_unstable();
                right.sort_unstable();
                let same = left == right;
                if !same {
                    let span = part.clauses.last().map_or(part.span, |c| c.span);
                    return self.fail_with(
                        span,
                        ErrorDetail::DifferentColumnsInUnion,
                        "all sub queries in a UNION must have the same return column names",
                    );
                }
            }
        }
        Ok(())
    }

    /// A top-level query must end with a clause that returns or updates.
    pub(super) fn check_conclusion(&mut self, part: &SingleQuery) -> PResult<()> {
        if let Some(last) = part.clauses.last() {
            let name = match &last.kind {
                ClauseKind::Match { .. } => Some("MATCH"),
                ClauseKind::With(_) => Some("WITH"),
                ClauseKind::Unwind { .. } => Some("UNWIND"),
                ClauseKind::LoadCsv { .. } => Some("LOAD CSV"),
                ClauseKind::Use(_) => Some("USE"),
                ClauseKind::Filter(_) => Some("FILTER"),
                ClauseKind::Let(_) => Some("LET"),
                _ => None,
            };
            if let Some(name) = name {
                return self.fail_with(
                    last.span,
                    ErrorDetail::InvalidClauseComposition,
                    format!(
                        "a query cannot conclude with {name} (must be a RETURN clause, a FINISH clause, an update clause, a unit subquery call, or a procedure call)"
                    ),
                );
            }
        }
        Ok(())
    }

    pub(super) fn single_query(&mut self) -> PResult<SingleQuery> {
        let start = self.span().start;
        let mut clauses = Vec::new();
        while let Some(clause) = self.clause()? {
            clauses.push(clause);
        }
        if clauses.is_empty() {
            self.hint_keywords(CLAUSE_KEYWORDS);
            return self.fail("a clause");
        }
        for (i, clause) in clauses.iter().enumerate() {
            if matches!(clause.kind, ClauseKind::Return(_)) && i + 1 < clauses.len() {
                let next = clauses[i + 1].span;
                return self.fail_with(
                    next,
                    ErrorDetail::InvalidClauseComposition,
                    "RETURN can only be used at the end of the query",
                );
            }
        }
        Ok(SingleQuery {
            clauses,
            span: self.since(start),
        })
    }
}
