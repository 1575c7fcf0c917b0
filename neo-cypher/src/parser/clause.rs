//! Reading clauses and projections: `MATCH`, `WITH`, `RETURN`, `UNWIND`, `LOAD CSV`, `FOREACH`, …

use super::statement::CLAUSE_KEYWORDS;
use super::{PResult, Parser};
use crate::ErrorDetail;
use crate::ast::*;
use crate::lexer::{P, Tok};

impl Parser<'_> {
    /// One clause, or `None` when the next token does not start one.
    pub(super) fn clause(&mut self) -> PResult<Option<Clause>> {
        let start = self.span().start;
        let kind = if self.at_kw("MATCH") {
            self.pos += 1;
            self.match_clause(false)?
        } else if self.at_kw("OPTIONAL") {
            self.pos += 1;
            if self.eat_kw("MATCH") {
                self.match_clause(true)?
            } else {
                self.expect_kw("CALL")?;
                self.call_clause(true)?
            }
        } else if self.at_kw("CALL") {
            self.pos += 1;
            self.call_clause(false)?
        } else if self.at_kw("RETURN") {
            self.pos += 1;
            ClauseKind::Return(self.projection(false)?)
        } else if self.at_kw("WITH") {
            self.pos += 1;
            ClauseKind::With(self.projection(true)?)
        } else if self.at_kw("UNWIND") {
            self.pos += 1;
            let list = self.expr()?;
            self.expect_kw("AS")?;
            let variable = self.name()?;
            ClauseKind::Unwind { list, variable }
        } else if self.at_kw("CREATE") {
            self.pos += 1;
            self.symbols.writes = true;
            ClauseKind::Create(self.patterns()?)
        } else if self.at_kw("MERGE") {
            self.pos += 1;
            self.symbols.writes = true;
            self.merge_clause()?
        } else if self.at_kw("SET") {
            self.pos += 1;
            self.symbols.writes = true;
            ClauseKind::Set(self.set_items()?)
        } else if self.at_kw("REMOVE") {
            self.pos += 1;
            self.symbols.writes = true;
            ClauseKind::Remove(self.remove_items()?)
        } else if self.at_kw("DELETE") || self.at_kw("DETACH") || self.at_kw("NODETACH") {
            let detach = self.at_kw("DETACH");
            if !self.at_kw("DELETE") {
                self.pos += 1;
            }
            self.expect_kw("DELETE")?;
            self.symbols.writes = true;
            ClauseKind::Delete {
                detach,
                targets: self.expr_list()?,
            }
        } else if self.at_kw("FOREACH") && self.at_n(1, P::LParen) {
            self.pos += 1;
            self.foreach_clause()?
        } else if self.at_kw("LOAD") && self.at_kw_n(1, "CSV") {
            self.pos += 2;
            self.load_csv()?
        } else if self.at_kw("USE") {
            self.pos += 1;
            ClauseKind::Use(self.graph_reference()?)
        } else if self.at_kw("FINISH") {
            self.pos += 1;
            ClauseKind::Finish
        } else if self.at_kw("FILTER") {
            self.pos += 1;
            self.eat_kw("WHERE");
            ClauseKind::Filter(self.expr()?)
        } else if self.at_kw("LET") && self.at_name_n(1) && self.at_n(2, P::Eq) {
            self.pos += 1;
            self.let_clause()?
        } else if (self.at_kw("ORDER") && self.at_kw_n(1, "BY"))
            || self.at_kw("SKIP")
            || self.at_kw("OFFSET")
            || self.at_kw("LIMIT")
        {
            let page = self.paging(Projection::default())?;
            ClauseKind::Page(page)
        } else if self.at_kw("SHOW") {
            self.pos += 1;
            ClauseKind::Show(self.show()?)
        } else if self.at_kw("TERMINATE")
            && (self.at_kw_n(1, "TRANSACTION") || self.at_kw_n(1, "TRANSACTIONS"))
        {
            self.pos += 2;
            self.symbols.writes = true;
            ClauseKind::Show(self.show_tail("TERMINATE TRANSACTIONS".to_owned())?)
        } else {
            return Ok(None);
        };
        Ok(Some(Clause {
            kind,
            span: self.since(start),
        }))
    }

    pub(super) fn at_name_n(&self, ahead: usize) -> bool {
        matches!(self.kind_at(ahead), Tok::Ident | Tok::Quoted)
    }

    pub(super) fn match_clause(&mut self, optional: bool) -> PResult<ClauseKind> {
        // Match modes (`REPEATABLE ELEMENTS`, `DIFFERENT RELATIONSHIPS`).
        // A mode is recorded by where the clause starts: at `MATCH`, or at
        // `OPTIONAL`.
        let keyword = self.pos.saturating_sub(if optional { 2 } else { 1 });
        let clause_start = self.tokens.get(keyword).map_or(0, |t| t.span.start);
        let mut repeatable = false;
        if (self.at_kw("REPEATABLE") && (self.at_kw_n(1, "ELEMENTS") || self.at_kw_n(1, "ELEMENT")))
            || (self.at_kw("DIFFERENT")
                && (self.at_kw_n(1, "RELATIONSHIPS") || self.at_kw_n(1, "RELATIONSHIP")))
        {
            repeatable = self.at_kw("REPEATABLE");
            self.pos += 2;
            if self.at_kw("BINDINGS") {
                self.pos += 1;
            }
        }
        if repeatable {
            self.symbols
                .match_modes
                .push((clause_start, MatchMode::RepeatableElements));
        }
        let patterns = self.patterns()?;
        while self.at_kw("USING") {
            self.pos += 1;
            self.hint()?;
        }
        let predicate = self.where_opt()?;
        Ok(ClauseKind::Match {
            optional,
            patterns,
            predicate,
        })
    }

    /// `USING [TEXT|RANGE|POINT] INDEX [SEEK] n:L(p, …)`, `USING SCAN n:L`,
    /// `USING JOIN ON a, b`.
    pub(super) fn hint(&mut self) -> PResult<()> {
        if self.eat_kw("JOIN") {
            self.expect_kw("ON")?;
            self.expr_list()?;
            return Ok(());
        }
        if self.eat_kw("SCAN") {
            self.name()?;
            self.expect(P::Colon)?;
            self.name()?;
            return Ok(());
        }
        self.eat_one_of(&["TEXT", "RANGE", "POINT", "BTREE"]);
        self.expect_kw("INDEX")?;
        self.eat_kw("SEEK");
        self.name()?;
        self.expect(P::Colon)?;
        self.name()?;
        self.expect(P::LParen)?;
        loop {
            self.name()?;
            if !self.eat(P::Comma) {
                break;
            }
        }
        self.expect(P::RParen)?;
        Ok(())
    }

    pub(super) fn where_opt(&mut self) -> PResult<Option<Expr>> {
        if self.eat_kw("WHERE") {
            Ok(Some(self.expr()?))
        } else {
            Ok(None)
        }
    }

    pub(super) fn expr_list(&mut self) -> PResult<Vec<Expr>> {
        let mut list = vec![self.expr()?];
        while self.eat(P::Comma) {
            list.push(self.expr()?);
        }
        Ok(list)
    }

    /// The body of `WITH` (`with_where`) or `RETURN`.
    pub(super) fn projection(&mut self, with_where: bool) -> PResult<Projection> {
        let mut projection = Projection {
            distinct: self.skip_kw("DISTINCT"),
            ..Projection::default()
        };
        if !projection.distinct && self.at_kw("ALL") && !self.at_n(1, P::LParen) {
            self.pos += 1;
        }
        let mut first = true;
        if self.skip(P::Star) {
            projection.star = true;
            first = false;
        }
        loop {
            if !first && !self.eat(P::Comma) {
                break;
            }
            first = false;
            let start = self.span().start;
            let expr = self.expr()?;
            let alias = if self.eat_kw("AS") {
                Some(self.name()?)
            } else {
                None
            };
            let column = match &alias {
                Some(alias) => alias.name.clone(),
                None => expr.span.text(self.src).to_owned(),
            };
            projection.items.push(ProjectionItem {
                expr,
                alias,
                column,
                span: self.since(start),
            });
        }
        self.check_projection_items(&projection.items)?;
        let mut projection = self.paging(projection)?;
        if with_where {
            projection.predicate = self.where_opt()?;
        }
        Ok(projection)
    }

    /// Neo4j's syntax rule for projection items: unique column names. (An
    /// alias for every `WITH` item that is not a plain variable is checked
    /// by the semantic analysis, after the rules Neo4j checks first.)
    fn check_projection_items(&mut self, items: &[ProjectionItem]) -> PResult<()> {
        for (i, item) in items.iter().enumerate() {
            if items[..i]
                .iter()
                .any(|earlier| earlier.column == item.column)
            {
                return self.fail_with(
                    item.span,
                    ErrorDetail::ColumnNameConflict,
                    format!(
                        "multiple result columns with the same name `{}` are not supported",
                        item.column
                    ),
                );
            }
        }
        Ok(())
    }

    /// `[ORDER BY …] [SKIP|OFFSET n] [LIMIT n]`.
    pub(super) fn paging(&mut self, mut projection: Projection) -> PResult<Projection> {
        if self.at_kw("ORDER") {
            self.pos += 1;
            self.expect_kw("BY")?;
            loop {
                let expr = self.expr()?;
                let descending = match self.eat_one_of(&["ASC", "ASCENDING", "DESC", "DESCENDING"])
                {
                    Some(k) => k.starts_with('D'),
                    None => false,
                };
                let nulls_first = if self.eat_kw("NULLS") {
                    match self.eat_one_of(&["FIRST", "LAST"]) {
                        Some(k) => Some(k == "FIRST"),
                        None => return Err(super::Fail),
                    }
                } else {
                    None
                };
                projection.order_by.push(SortItem {
                    expr,
                    descending,
                    nulls_first,
                });
                if !self.eat(P::Comma) {
                    break;
                }
            }
        }
        if self.skip_kw("SKIP") || self.skip_kw("OFFSET") {
            projection.skip = Some(self.expr()?);
        }
        if self.skip_kw("LIMIT") {
            projection.limit = Some(self.expr()?);
        }
        Ok(projection)
    }

    pub(super) fn foreach_clause(&mut self) -> PResult<ClauseKind> {
        // Clauses nested in clauses: three levels (see `subquery_call`).
        self.enter_by(3)?;
        self.expect(P::LParen)?;
        let variable = self.name()?;
        self.expect_kw("IN")?;
        let list = self.expr()?;
        self.expect(P::Pipe)?;
        let mut body = Vec::new();
        while let Some(clause) = self.clause()? {
            body.push(clause);
        }
        if body.is_empty() {
            self.hint_keywords(CLAUSE_KEYWORDS);
            return self.fail("an updating clause");
        }
        self.expect(P::RParen)?;
        self.leave_by(3);
        Ok(ClauseKind::Foreach {
            variable,
            list,
            body,
        })
    }

    pub(super) fn load_csv(&mut self) -> PResult<ClauseKind> {
        let headers = if self.eat_kw("WITH") {
            self.expect_kw("HEADERS")?;
            true
        } else {
            false
        };
        self.expect_kw("FROM")?;
        let from = self.expr()?;
        self.expect_kw("AS")?;
        let variable = self.name()?;
        let terminator = if self.eat_kw("FIELDTERMINATOR") {
            let token = self.token(0);
            if token.kind != Tok::Str {
                return self.fail("a string literal");
            }
            self.pos += 1;
            Some(crate::lexer::unescape_string(self.text(token)))
        } else {
            None
        };
        Ok(ClauseKind::LoadCsv {
            headers,
            from,
            variable,
            terminator,
        })
    }

    /// `USE name`, `USE a.b`, `USE graph.byName($x)`.
    pub(super) fn graph_reference(&mut self) -> PResult<Expr> {
        self.postfix_expr()
    }

    pub(super) fn let_clause(&mut self) -> PResult<ClauseKind> {
        let mut bindings = Vec::new();
        loop {
            let name = self.name()?;
            self.expect(P::Eq)?;
            bindings.push((name, self.expr()?));
            if !self.eat(P::Comma) {
                return Ok(ClauseKind::Let(bindings));
            }
        }
    }
}
