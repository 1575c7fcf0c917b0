//! `CALL`: subqueries, `IN TRANSACTIONS`, procedures and `YIELD`.

use super::{Expect, PResult, Parser};
use crate::Span;
use crate::ast::*;
use crate::lexer::{P, Tok};

/// Procedures known not to write.
const READ_ONLY_PROCEDURES: &[&str] = &[
    "db.labels",
    "db.relationshipTypes",
    "db.propertyKeys",
    "db.info",
    "db.ping",
    "db.schema.visualization",
    "db.schema.nodeTypeProperties",
    "db.schema.relTypeProperties",
    "db.index.fulltext.queryNodes",
    "db.index.fulltext.queryRelationships",
    "db.index.fulltext.listAvailableAnalyzers",
    "db.index.vector.queryNodes",
    "db.index.vector.queryRelationships",
    "db.awaitIndex",
    "db.awaitIndexes",
    "dbms.components",
    "dbms.info",
    "dbms.listConfig",
    "dbms.showCurrentUser",
    "dbms.queryJmx",
    "tx.getMetaData",
];

impl Parser<'_> {
    pub(super) fn call_clause(&mut self, optional: bool) -> PResult<ClauseKind> {
        if self.at(P::LBrace) || (self.at(P::LParen) && self.scope_then_brace()) {
            return self.subquery_call(optional);
        }
        let name = self.dotted_name()?;
        let args = if self.eat(P::LParen) {
            let mut args = Vec::new();
            if !self.at(P::RParen) {
                args = self.expr_list()?;
            }
            self.expect(P::RParen)?;
            Some(args)
        } else {
            None
        };
        if !READ_ONLY_PROCEDURES.contains(&name.name.as_str()) {
            self.symbols.writes = true;
        }
        let yields = if self.at_kw("YIELD") {
            self.pos += 1;
            Some(self.yield_items()?)
        } else {
            None
        };
        Ok(ClauseKind::Procedure {
            optional,
            name,
            args,
            yields,
        })
    }

    /// True when `( … )` at the cursor is followed by `{` (a scope clause).
    pub(super) fn scope_then_brace(&self) -> bool {
        let mut i = 1;
        loop {
            match self.kind_at(i) {
                Tok::P(P::RParen) => return self.at_n(i + 1, P::LBrace),
                Tok::Ident | Tok::Quoted | Tok::P(P::Comma) | Tok::P(P::Star) => i += 1,
                _ => return false,
            }
        }
    }

    pub(super) fn subquery_call(&mut self, optional: bool) -> PResult<ClauseKind> {
        let scope = if self.eat(P::LParen) {
            let mut names = Vec::new();
            if self.at(P::Star) {
                let span = self.bump().span;
                names.push(Name {
                    name: "*".to_owned(),
                    span,
                });
            } else if !self.at(P::RParen) {
                loop {
                    names.push(self.name()?);
                    if !self.eat(P::Comma) {
                        break;
                    }
                }
            }
            self.expect(P::RParen)?;
            Some(names)
        } else {
            None
        };
        self.expect(P::LBrace)?;
        // A subquery in a clause costs three levels: its clauses recurse
        // through far more of the parser than an expression does.
        self.enter_by(2)?;
        let body = self.query_body()?;
        self.leave_by(2);
        self.expect(P::RBrace)?;
        let in_transactions = if self.at_kw("IN") {
            self.pos += 1;
            self.symbols.writes = true;
            Some(self.in_transactions()?)
        } else {
            None
        };
        Ok(ClauseKind::Subquery {
            optional,
            scope,
            body: Box::new(body),
            in_transactions,
        })
    }

    pub(super) fn in_transactions(&mut self) -> PResult<InTransactions> {
        let concurrency = if self.at_kw("TRANSACTIONS") {
            None
        } else if self.at_kw("CONCURRENT") {
            self.pos += 1;
            None
        } else if matches!(self.kind(), Tok::Int | Tok::Param | Tok::P(P::LParen))
            || self.at_kw_n(1, "CONCURRENT")
        {
            let n = self.additive_expr()?;
            self.expect_kw("CONCURRENT")?;
            Some(n)
        } else {
            self.note(Expect::Keyword("TRANSACTIONS"));
            return Err(super::Fail);
        };
        self.expect_kw("TRANSACTIONS")?;
        let mut spec = InTransactions {
            concurrency,
            batch_size: None,
            on_error: None,
            report_status: None,
        };
        loop {
            if self.at_kw("OF") {
                self.pos += 1;
                spec.batch_size = Some(self.additive_expr()?);
                if self.eat_one_of(&["ROWS", "ROW"]).is_none() {
                    return Err(super::Fail);
                }
            } else if self.at_kw("ON") && self.at_kw_n(1, "ERROR") {
                self.pos += 2;
                let start = self.span().start;
                match self.eat_one_of(&["CONTINUE", "BREAK", "FAIL", "RETRY"]) {
                    Some("RETRY") => {
                        self.eat_kw("FOR");
                        if matches!(self.kind(), Tok::Int | Tok::Float | Tok::Param) {
                            self.additive_expr()?;
                            self.eat_one_of(&["SECONDS", "SECOND", "SEC", "S"]);
                        }
                        if self.eat_kw("THEN")
                            && self.eat_one_of(&["CONTINUE", "BREAK", "FAIL"]).is_none()
                        {
                            return Err(super::Fail);
                        }
                    }
                    Some(_) => {}
                    None => return Err(super::Fail),
                }
                spec.on_error = Some(self.since(start).text(self.src).to_ascii_uppercase());
            } else if self.at_kw("REPORT") {
                self.pos += 1;
                self.expect_kw("STATUS")?;
                self.expect_kw("AS")?;
                spec.report_status = Some(self.name()?);
            } else {
                self.note(Expect::Keyword("OF"));
                self.note(Expect::Keyword("ON ERROR"));
                self.note(Expect::Keyword("REPORT STATUS"));
                return Ok(spec);
            }
        }
    }

    /// `YIELD * | a [AS b], … [ORDER BY …] [SKIP …] [LIMIT …] [WHERE …]`.
    pub(super) fn yield_items(&mut self) -> PResult<Yield> {
        let start = self.prev_end().saturating_sub("YIELD".len());
        let mut result = Yield {
            star: false,
            items: Vec::new(),
            page: None,
            predicate: None,
            span: Span::default(),
        };
        if self.eat(P::Star) {
            result.star = true;
        } else {
            loop {
                let field = self.name()?;
                let alias = if self.eat_kw("AS") {
                    Some(self.name()?)
                } else {
                    None
                };
                result.items.push((field, alias));
                if !self.eat(P::Comma) {
                    break;
                }
            }
        }
        let page = self.paging(Projection::default())?;
        if !page.order_by.is_empty() || page.skip.is_some() || page.limit.is_some() {
            result.page = Some(page);
        }
        result.predicate = self.where_opt()?;
        result.span = self.since(start);
        Ok(result)
    }
}
