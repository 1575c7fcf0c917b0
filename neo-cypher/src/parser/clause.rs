//! Statements, query bodies and clauses.

use super::{Expect, PResult, Parser};
use crate::Span;
use crate::ast::*;
use crate::lexer::{P, Tok};

/// Keywords that can start a clause (for messages and suggestions).
pub(super) const CLAUSE_KEYWORDS: &[&str] = &[
    "MATCH", "OPTIONAL", "RETURN", "WITH", "UNWIND", "CREATE", "MERGE", "SET", "REMOVE", "DELETE",
    "DETACH", "FOREACH", "CALL", "LOAD", "USE", "FINISH", "UNION", "ORDER", "LIMIT", "SKIP",
    "SHOW", "WHERE", "YIELD",
];

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
    pub(super) fn statement(&mut self) -> PResult<(Statement, Option<String>)> {
        let prefix = self.prefix()?;
        let statement = match self.command()? {
            Some(command) => Statement::Command(Box::new(command)),
            None => {
                let body = self.query_body()?;
                Statement::Query(body)
            }
        };
        if self.at(P::Semi) {
            self.pos += 1;
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

    /// `CYPHER [version] [k=v …]` and `EXPLAIN` / `PROFILE`.
    fn prefix(&mut self) -> PResult<Option<String>> {
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

    fn check_union_columns(&mut self, parts: &[SingleQuery]) -> PResult<()> {
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
                    return self.fail_at(
                        span,
                        "all sub queries in a UNION must have the same return column names",
                    );
                }
            }
        }
        Ok(())
    }

    /// A top-level query must end with a clause that returns or updates.
    fn check_conclusion(&mut self, part: &SingleQuery) -> PResult<()> {
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
                return self.fail_at(
                    last.span,
                    format!(
                        "a query cannot conclude with {name} (must be a RETURN clause, a FINISH clause, an update clause, a unit subquery call, or a procedure call)"
                    ),
                );
            }
        }
        Ok(())
    }

    fn single_query(&mut self) -> PResult<SingleQuery> {
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
                return self.fail_at(next, "RETURN can only be used at the end of the query");
            }
        }
        Ok(SingleQuery {
            clauses,
            span: self.since(start),
        })
    }

    /// One clause, or `None` when the next token does not start one.
    fn clause(&mut self) -> PResult<Option<Clause>> {
        let start = self.span().start;
        let kind = if self.at_kw("MATCH") {
            self.pos += 1;
            self.match_clause(false)?
        } else if self.at_kw("OPTIONAL") && self.at_kw_n(1, "MATCH") {
            self.pos += 2;
            self.match_clause(true)?
        } else if self.at_kw("OPTIONAL") && self.at_kw_n(1, "CALL") {
            self.pos += 2;
            self.call_clause(true)?
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
        } else if self.at_kw("DELETE")
            || ((self.at_kw("DETACH") || self.at_kw("NODETACH")) && self.at_kw_n(1, "DELETE"))
        {
            let detach = self.at_kw("DETACH");
            if !self.at_kw("DELETE") {
                self.pos += 1;
            }
            self.pos += 1;
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

    fn match_clause(&mut self, optional: bool) -> PResult<ClauseKind> {
        // Match modes (`REPEATABLE ELEMENTS`, `DIFFERENT RELATIONSHIPS`).
        if (self.at_kw("REPEATABLE") && (self.at_kw_n(1, "ELEMENTS") || self.at_kw_n(1, "ELEMENT")))
            || (self.at_kw("DIFFERENT")
                && (self.at_kw_n(1, "RELATIONSHIPS") || self.at_kw_n(1, "RELATIONSHIP")))
        {
            self.pos += 2;
            if self.at_kw("BINDINGS") {
                self.pos += 1;
            }
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
    fn hint(&mut self) -> PResult<()> {
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
    fn projection(&mut self, with_where: bool) -> PResult<Projection> {
        let mut projection = Projection {
            distinct: self.eat_kw("DISTINCT"),
            ..Projection::default()
        };
        if !projection.distinct {
            self.eat_kw("ALL");
        }
        let mut first = true;
        if self.eat(P::Star) {
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
        let mut projection = self.paging(projection)?;
        if with_where {
            projection.predicate = self.where_opt()?;
        }
        Ok(projection)
    }

    /// `[ORDER BY …] [SKIP|OFFSET n] [LIMIT n]`.
    fn paging(&mut self, mut projection: Projection) -> PResult<Projection> {
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

    fn merge_clause(&mut self) -> PResult<ClauseKind> {
        let pattern = self.pattern_part()?;
        let mut actions = Vec::new();
        while self.at_kw("ON") && (self.at_kw_n(1, "CREATE") || self.at_kw_n(1, "MATCH")) {
            let on_create = self.at_kw_n(1, "CREATE");
            self.pos += 2;
            self.expect_kw("SET")?;
            actions.push((on_create, self.set_items()?));
        }
        Ok(ClauseKind::Merge { pattern, actions })
    }

    fn set_items(&mut self) -> PResult<Vec<SetItem>> {
        let mut items = Vec::new();
        loop {
            items.push(self.set_item()?);
            if !self.eat(P::Comma) {
                return Ok(items);
            }
        }
    }

    fn set_item(&mut self) -> PResult<SetItem> {
        if self.at_name() {
            match self.kind_at(1) {
                Tok::P(P::Colon) => {
                    let variable = self.name()?;
                    let labels = self.label_list(&variable)?;
                    return Ok(SetItem::Labels { variable, labels });
                }
                Tok::Ident if self.at_kw_n(1, "IS") => {
                    let variable = self.name()?;
                    self.pos += 1;
                    let labels = vec![self.label_atom_name(&variable)?];
                    return Ok(SetItem::Labels { variable, labels });
                }
                Tok::P(P::Eq) | Tok::P(P::PlusEq) => {
                    let variable = self.name()?;
                    let merge = self.at(P::PlusEq);
                    self.pos += 1;
                    let value = self.expr()?;
                    return Ok(SetItem::Properties {
                        variable,
                        value,
                        merge,
                    });
                }
                _ => {}
            }
        }
        let target = self.postfix_expr()?;
        if !matches!(target.kind, ExprKind::Property(..) | ExprKind::Index(..)) {
            return self.fail_at(target.span, "expected a property such as `n.name` to set");
        }
        self.expect(P::Eq)?;
        let value = self.expr()?;
        Ok(SetItem::Property { target, value })
    }

    /// `:A:B` / `:$(expr)` after a variable in SET/REMOVE.
    fn label_list(&mut self, variable: &Name) -> PResult<Vec<LabelExpr>> {
        let mut labels = Vec::new();
        while self.eat(P::Colon) {
            labels.push(self.label_atom_name(variable)?);
        }
        Ok(labels)
    }

    /// A single label name or dynamic label.
    fn label_atom_name(&mut self, variable: &Name) -> PResult<LabelExpr> {
        let relationship = self.is_relationship_variable(&variable.name);
        if self.at(P::Dollar) || (self.kind() == Tok::Param && self.at_n(1, P::LParen)) {
            return self.dynamic_label();
        }
        let name = self.name()?;
        self.record_label(&name, relationship);
        Ok(LabelExpr::Name(name))
    }

    fn remove_items(&mut self) -> PResult<Vec<RemoveItem>> {
        let mut items = Vec::new();
        loop {
            if self.at_name() && (self.at_n(1, P::Colon) || self.at_kw_n(1, "IS")) {
                let variable = self.name()?;
                let labels = if self.eat_kw("IS") {
                    vec![self.label_atom_name(&variable)?]
                } else {
                    self.label_list(&variable)?
                };
                items.push(RemoveItem::Labels { variable, labels });
            } else {
                let target = self.postfix_expr()?;
                if !matches!(target.kind, ExprKind::Property(..) | ExprKind::Index(..)) {
                    return self.fail_at(target.span, "expected a property or labels to remove");
                }
                items.push(RemoveItem::Property(target));
            }
            if !self.eat(P::Comma) {
                return Ok(items);
            }
        }
    }

    fn foreach_clause(&mut self) -> PResult<ClauseKind> {
        self.enter()?;
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
        self.leave();
        Ok(ClauseKind::Foreach {
            variable,
            list,
            body,
        })
    }

    fn load_csv(&mut self) -> PResult<ClauseKind> {
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
    fn graph_reference(&mut self) -> PResult<Expr> {
        self.postfix_expr()
    }

    fn let_clause(&mut self) -> PResult<ClauseKind> {
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

    fn call_clause(&mut self, optional: bool) -> PResult<ClauseKind> {
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
    fn scope_then_brace(&self) -> bool {
        let mut i = 1;
        loop {
            match self.kind_at(i) {
                Tok::P(P::RParen) => return self.at_n(i + 1, P::LBrace),
                Tok::Ident | Tok::Quoted | Tok::P(P::Comma) | Tok::P(P::Star) => i += 1,
                _ => return false,
            }
        }
    }

    fn subquery_call(&mut self, optional: bool) -> PResult<ClauseKind> {
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
        let body = self.query_body()?;
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

    fn in_transactions(&mut self) -> PResult<InTransactions> {
        let concurrency = if self.at_kw("TRANSACTIONS") {
            None
        } else if self.at_kw("CONCURRENT") {
            self.pos += 1;
            None
        } else {
            let n = self.additive_expr()?;
            self.expect_kw("CONCURRENT")?;
            Some(n)
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
                        if !self.at_kw("THEN")
                            && self.kind() != Tok::Eof
                            && !self.at(P::Semi)
                            && !self.at_kw("ON")
                            && !self.at_kw("REPORT")
                            && !self.at_kw("OF")
                        {
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
