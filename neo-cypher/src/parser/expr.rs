//! Expressions, from `OR` down to atoms.

use super::{Expect, PResult, Parser, parse_int};
use crate::ast::*;
use crate::lexer::{self, P, Tok};
use crate::{ErrorDetail, Span};

/// Words that can appear in a type name (`IS :: LIST<INTEGER NOT NULL>`).
const TYPE_WORDS: &[&str] = &[
    "INTEGER",
    "INT",
    "SIGNED",
    "FLOAT",
    "STRING",
    "BOOLEAN",
    "BOOL",
    "DATE",
    "LOCAL",
    "ZONED",
    "TIME",
    "DATETIME",
    "TIMESTAMP",
    "DURATION",
    "POINT",
    "NODE",
    "VERTEX",
    "RELATIONSHIP",
    "EDGE",
    "MAP",
    "LIST",
    "ARRAY",
    "PATH",
    "PATHS",
    "ANY",
    "PROPERTY",
    "VALUE",
    "NOTHING",
    "NULL",
];

/// Keywords that may directly follow a complete expression.
const EXPRESSION_FOLLOWERS: &[&str] = &[
    "AND",
    "OR",
    "XOR",
    "IN",
    "IS",
    "STARTS",
    "ENDS",
    "CONTAINS",
    "AS",
    "ORDER",
    "SKIP",
    "OFFSET",
    "LIMIT",
    "WHERE",
    "THEN",
    "ELSE",
    "END",
    "WHEN",
    "ASC",
    "DESC",
    "ASCENDING",
    "DESCENDING",
    "NULLS",
    "UNION",
    "RETURN",
    "WITH",
    "MATCH",
    "OPTIONAL",
    "CREATE",
    "MERGE",
    "SET",
    "DELETE",
    "DETACH",
    "NODETACH",
    "REMOVE",
    "UNWIND",
    "CALL",
    "FOREACH",
    "LOAD",
    "USE",
    "FINISH",
    "YIELD",
    "ON",
    "FILTER",
    "LET",
    "CONCURRENT",
    "ROWS",
    "ROW",
];

fn boxed(expr: Expr) -> Box<Expr> {
    Box::new(expr)
}

impl Parser<'_> {
    fn node(&self, kind: ExprKind, start: usize) -> Expr {
        Expr {
            kind,
            span: self.since(start),
        }
    }

    fn binary(&self, op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
        let span = lhs.span.to(rhs.span);
        Expr {
            kind: ExprKind::Binary(op, boxed(lhs), boxed(rhs)),
            span,
        }
    }

    /// A full expression.
    pub(super) fn expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let wraps = self.wraps;
        let expr = self.or_expr();
        self.wraps = wraps;
        self.leave();
        expr
    }

    fn or_expr(&mut self) -> PResult<Expr> {
        let mut lhs = self.xor_expr()?;
        while self.skip_kw("OR") {
            self.wrap()?;
            let rhs = self.xor_expr()?;
            lhs = self.binary(BinaryOp::Or, lhs, rhs);
        }
        Ok(lhs)
    }

    fn xor_expr(&mut self) -> PResult<Expr> {
        let mut lhs = self.and_expr()?;
        while self.skip_kw("XOR") {
            self.wrap()?;
            let rhs = self.and_expr()?;
            lhs = self.binary(BinaryOp::Xor, lhs, rhs);
        }
        Ok(lhs)
    }

    fn and_expr(&mut self) -> PResult<Expr> {
        let mut lhs = self.not_expr()?;
        while self.skip_kw("AND") {
            self.wrap()?;
            let rhs = self.not_expr()?;
            lhs = self.binary(BinaryOp::And, lhs, rhs);
        }
        Ok(lhs)
    }

    fn not_expr(&mut self) -> PResult<Expr> {
        if self.at_kw("NOT") && !self.ends_operand_at(1) {
            let start = self.bump().span.start;
            self.enter()?;
            let operand = self.not_expr()?;
            self.leave();
            return Ok(self.node(ExprKind::Unary(UnaryOp::Not, boxed(operand)), start));
        }
        self.comparison_expr()
    }

    /// True when the token `ahead` cannot start an operand (so a keyword
    /// before it is a plain variable name).
    fn ends_operand_at(&self, ahead: usize) -> bool {
        matches!(
            self.kind_at(ahead),
            Tok::Eof
                | Tok::P(P::RParen | P::RBracket | P::RBrace | P::Comma | P::Semi | P::Dot | P::Eq)
        )
    }

    fn comparison_expr(&mut self) -> PResult<Expr> {
        let mut lhs = self.predicate_expr()?;
        loop {
            let op = match self.kind() {
                Tok::P(P::Eq) => BinaryOp::Eq,
                Tok::P(P::Neq) => BinaryOp::Neq,
                Tok::P(P::Lt) => BinaryOp::Lt,
                Tok::P(P::Gt) => BinaryOp::Gt,
                Tok::P(P::Le) => BinaryOp::Le,
                Tok::P(P::Ge) => BinaryOp::Ge,
                _ => return Ok(lhs),
            };
            self.pos += 1;
            self.wrap()?;
            let rhs = self.predicate_expr()?;
            lhs = self.binary(op, lhs, rhs);
        }
    }

    /// String, list, null and type predicates.
    fn predicate_expr(&mut self) -> PResult<Expr> {
        let start = self.span().start;
        let mut lhs = self.additive_expr()?;
        loop {
            if self.at(P::RegexMatch)
                || self.at(P::ColonColon)
                || ["STARTS", "ENDS", "CONTAINS", "IN", "IS"]
                    .iter()
                    .any(|k| self.at_kw(k))
            {
                self.wrap()?;
            }
            let op = if self.at(P::RegexMatch) {
                self.pos += 1;
                BinaryOp::Regex
            } else if self.at_kw("STARTS") && self.at_kw_n(1, "WITH") {
                self.pos += 2;
                BinaryOp::StartsWith
            } else if self.at_kw("ENDS") && self.at_kw_n(1, "WITH") {
                self.pos += 2;
                BinaryOp::EndsWith
            } else if self.at_kw("CONTAINS") {
                self.pos += 1;
                BinaryOp::Contains
            } else if self.at_kw("IN") {
                self.pos += 1;
                BinaryOp::In
            } else if self.at_kw("IS") {
                self.pos += 1;
                lhs = self.is_tail(lhs, start)?;
                continue;
            } else if self.at(P::ColonColon) {
                self.pos += 1;
                self.type_name()?;
                let ty = self.type_text();
                lhs = self.node(ExprKind::IsType(boxed(lhs), false, ty), start);
                continue;
            } else {
                self.note(Expect::Hidden("STARTS"));
                self.note(Expect::Hidden("ENDS"));
                self.note(Expect::Hidden("CONTAINS"));
                self.note(Expect::Hidden("IS"));
                return Ok(lhs);
            };
            let rhs = self.additive_expr()?;
            lhs = self.binary(op, lhs, rhs);
        }
    }

    /// After `IS`: `[NOT] NULL`, `[NOT] :: T`, `[NOT] TYPED T`,
    /// `[NOT] [NFC|NFD|NFKC|NFKD] NORMALIZED`, or a label expression.
    fn is_tail(&mut self, lhs: Expr, start: usize) -> PResult<Expr> {
        let negated = self.at_kw("NOT") && !self.ends_operand_at(1);
        if negated {
            self.pos += 1;
        }
        if self.skip_kw("NULL") {
            return Ok(self.node(ExprKind::IsNull(boxed(lhs), negated), start));
        }
        if self.skip(P::ColonColon) || self.skip_kw("TYPED") {
            self.type_name()?;
            let ty = self.type_text();
            return Ok(self.node(ExprKind::IsType(boxed(lhs), negated, ty), start));
        }
        let mut form = NormalForm::Nfc;
        if ["NFC", "NFD", "NFKC", "NFKD"].iter().any(|k| self.at_kw(k))
            && self.at_kw_n(1, "NORMALIZED")
        {
            if self.at_kw("NFD") {
                form = NormalForm::Nfd;
            } else if self.at_kw("NFKC") {
                form = NormalForm::Nfkc;
            } else if self.at_kw("NFKD") {
                form = NormalForm::Nfkd;
            }
            self.pos += 1;
        }
        if self.skip_kw("NORMALIZED") {
            let test = self.node(ExprKind::IsNormalized(boxed(lhs), negated), start);
            if form != NormalForm::Nfc {
                self.symbols.normal_forms.push((test.span, form));
            }
            return Ok(test);
        }
        if negated {
            self.hint_keywords(&["NULL", "NORMALIZED", "TYPED"]);
            return self.fail("`NULL`, `:: TYPE` or `NORMALIZED`");
        }
        let relationship =
            matches!(&lhs.kind, ExprKind::Variable(v) if self.is_relationship_variable(v));
        let labels = self.label_expr(relationship)?;
        Ok(self.node(ExprKind::HasLabels(boxed(lhs), labels), start))
    }

    /// A type after `::`/`TYPED`: `INTEGER`, `LIST<STRING NOT NULL>`,
    /// `INTEGER | FLOAT`, `ANY<…>`, `TIME WITH TIME ZONE`, ….
    pub(super) fn type_name(&mut self) -> PResult<()> {
        self.type_start = self.span().start;
        self.type_union()
    }

    fn type_text(&self) -> String {
        self.since(self.type_start).text(self.src).to_owned()
    }

    fn type_union(&mut self) -> PResult<()> {
        loop {
            self.type_part()?;
            if !(self.at(P::Pipe) && TYPE_WORDS.iter().any(|k| self.at_kw_n(1, k))) {
                return Ok(());
            }
            self.pos += 1;
        }
    }

    fn type_part(&mut self) -> PResult<()> {
        let mut words = 0;
        loop {
            if TYPE_WORDS.iter().any(|k| self.at_kw(k)) {
                // `NULL` only as a whole type or in `NOT NULL`.
                if self.at_kw("NULL") && words > 0 {
                    break;
                }
                self.pos += 1;
                words += 1;
            } else if (self.at_kw("WITH") || self.at_kw("WITHOUT"))
                && (self.at_kw_n(1, "TIME") || self.at_kw_n(1, "TIMEZONE"))
            {
                self.pos += 2;
                self.eat_kw("ZONE");
            } else {
                break;
            }
        }
        if words == 0 {
            return self.fail("a type such as `INTEGER`");
        }
        if self.eat(P::Lt) {
            self.enter()?;
            self.type_union()?;
            self.leave();
            self.expect(P::Gt)?;
        }
        if self.at_kw("NOT") && self.at_kw_n(1, "NULL") {
            self.pos += 2;
        } else {
            self.eat(P::Bang);
        }
        Ok(())
    }

    /// `+`, `-` and `||`.
    pub(super) fn additive_expr(&mut self) -> PResult<Expr> {
        let mut lhs = self.multiplicative_expr()?;
        loop {
            let op = match self.kind() {
                Tok::P(P::Plus) => BinaryOp::Add,
                Tok::P(P::Minus) => BinaryOp::Sub,
                Tok::P(P::Concat) => BinaryOp::Concat,
                _ => return Ok(lhs),
            };
            self.pos += 1;
            self.wrap()?;
            let rhs = self.multiplicative_expr()?;
            lhs = self.binary(op, lhs, rhs);
        }
    }

    fn multiplicative_expr(&mut self) -> PResult<Expr> {
        let mut lhs = self.power_expr()?;
        loop {
            let op = match self.kind() {
                Tok::P(P::Star) => BinaryOp::Mul,
                Tok::P(P::Slash) => BinaryOp::Div,
                Tok::P(P::Percent) => BinaryOp::Mod,
                _ => return Ok(lhs),
            };
            self.pos += 1;
            self.wrap()?;
            let rhs = self.power_expr()?;
            lhs = self.binary(op, lhs, rhs);
        }
    }

    fn power_expr(&mut self) -> PResult<Expr> {
        let mut lhs = self.unary_expr()?;
        while self.skip(P::Caret) {
            self.wrap()?;
            let rhs = self.unary_expr()?;
            lhs = self.binary(BinaryOp::Pow, lhs, rhs);
        }
        Ok(lhs)
    }

    fn unary_expr(&mut self) -> PResult<Expr> {
        let op = match self.kind() {
            Tok::P(P::Minus) => UnaryOp::Neg,
            Tok::P(P::Plus) => UnaryOp::Plus,
            _ => return self.postfix_expr(),
        };
        let start = self.bump().span.start;
        // `-9223372036854775808` is only valid as a negative literal.
        if op == UnaryOp::Neg && self.kind() == Tok::Int {
            let token = self.token(0);
            let text = format!("-{}", self.text(token));
            if let Some(value) = parse_int(&text) {
                self.pos += 1;
                let literal = self.node(ExprKind::Integer(value), start);
                return self.postfix_tail(literal, start);
            }
        }
        self.enter()?;
        let operand = self.unary_expr()?;
        self.leave();
        Ok(self.node(ExprKind::Unary(op, boxed(operand)), start))
    }

    /// An atom followed by property access, indexing, slicing, labels.
    pub(super) fn postfix_expr(&mut self) -> PResult<Expr> {
        let start = self.span().start;
        let atom = self.primary_expr()?;
        self.postfix_tail(atom, start)
    }

    fn postfix_tail(&mut self, mut expr: Expr, start: usize) -> PResult<Expr> {
        loop {
            if self.at(P::Dot) || self.at(P::LBracket) || self.at(P::Colon) {
                self.wrap()?;
            }
            if self.at(P::Dot) && self.at_name_n(1) {
                self.pos += 1;
                let key = self.name()?;
                self.symbols.property_keys.push(key.clone());
                expr = self.node(ExprKind::Property(boxed(expr), key), start);
            } else if self.at(P::LBracket) {
                self.pos += 1;
                expr = self.index_or_slice(expr, start)?;
            } else if self.at(P::Colon) && self.starts_label_at(1) {
                self.pos += 1;
                let relationship =
                    matches!(&expr.kind, ExprKind::Variable(v) if self.is_relationship_variable(v));
                let labels = self.label_expr_in_expression(relationship)?;
                expr = self.node(ExprKind::HasLabels(boxed(expr), labels), start);
            } else {
                return Ok(expr);
            }
        }
    }

    fn starts_label_at(&self, ahead: usize) -> bool {
        matches!(
            self.kind_at(ahead),
            Tok::Ident
                | Tok::Quoted
                | Tok::P(P::Bang | P::Percent | P::LParen | P::Dollar)
                | Tok::Param
        )
    }

    fn index_or_slice(&mut self, base: Expr, start: usize) -> PResult<Expr> {
        let from = if self.at(P::DotDot) {
            None
        } else {
            Some(boxed(self.expr()?))
        };
        if self.eat(P::DotDot) {
            let to = if self.at(P::RBracket) {
                None
            } else {
                Some(boxed(self.expr()?))
            };
            self.expect(P::RBracket)?;
            return Ok(self.node(ExprKind::Slice(boxed(base), from, to), start));
        }
        self.expect(P::RBracket)?;
        match from {
            Some(index) => Ok(self.node(ExprKind::Index(boxed(base), index), start)),
            None => self.fail("an expression"),
        }
    }

    /// Literals, variables, calls, subqueries, comprehensions, patterns.
    pub(super) fn primary_expr(&mut self) -> PResult<Expr> {
        let token = self.token(0);
        let start = token.span.start;
        match token.kind {
            Tok::Int => {
                self.pos += 1;
                match parse_int(self.text(token)) {
                    Some(value) => Ok(self.node(ExprKind::Integer(value), start)),
                    None => self.fail_with(
                        token.span,
                        ErrorDetail::IntegerOverflow,
                        "integer literal is too large",
                    ),
                }
            }
            Tok::BadNumber => {
                self.pos += 1;
                self.fail_with(
                    token.span,
                    ErrorDetail::InvalidNumberLiteral,
                    "invalid number literal",
                )
            }
            Tok::Float => {
                self.pos += 1;
                let clean: String = self.text(token).chars().filter(|c| *c != '_').collect();
                match clean.parse::<f64>() {
                    Ok(value) if value.is_finite() => Ok(self.node(ExprKind::Float(value), start)),
                    _ => self.fail_with(
                        token.span,
                        ErrorDetail::FloatingPointOverflow,
                        "float literal is out of range",
                    ),
                }
            }
            Tok::Str => {
                self.pos += 1;
                let value = lexer::unescape_string(self.text(token));
                Ok(self.node(ExprKind::String(value), start))
            }
            Tok::Param => {
                self.pos += 1;
                let name = self.record_parameter(token);
                Ok(self.node(ExprKind::Parameter(name), start))
            }
            Tok::P(P::LParen) => self.parenthesized(),
            Tok::P(P::LBracket) => self.bracketed(),
            Tok::P(P::LBrace) => {
                let entries = self.map_literal()?;
                Ok(self.node(ExprKind::Map(entries), start))
            }
            Tok::Ident => self.keyword_or_name(),
            Tok::Quoted => {
                if self.at_n(1, P::LParen) || (self.at_n(1, P::Dot) && self.looks_like_call()) {
                    return self.function_call();
                }
                let name = self.name()?;
                self.maybe_map_projection(name, start)
            }
            _ => {
                self.hint_keywords(&[
                    "CASE", "EXISTS", "COUNT", "COLLECT", "NOT", "NULL", "TRUE", "FALSE",
                ]);
                self.fail("an expression")
            }
        }
    }

    /// `(expr)` or a pattern such as `(a)-->(b)`.
    fn parenthesized(&mut self) -> PResult<Expr> {
        let start = self.span().start;
        if let Some(pattern) = self.attempt(0, |p| {
            let part = p.pattern_part_with_relationship()?;
            // `(a)` alone is an expression; a pattern needs a relationship.
            Ok(part)
        })? {
            return Ok(self.node(ExprKind::Pattern(Box::new(pattern)), start));
        }
        self.pos += 1;
        let inner = self.expr()?;
        self.expect(P::RParen)?;
        // Keep the parentheses in the span so column names match the text.
        Ok(Expr {
            kind: inner.kind,
            span: self.since(start),
        })
    }

    /// `[` … `]`: list comprehension, pattern comprehension or list.
    fn bracketed(&mut self) -> PResult<Expr> {
        let start = self.span().start;
        if self.at_name_n(1) && self.at_kw_n(2, "IN") {
            self.pos += 1;
            let variable = self.name()?;
            self.pos += 1;
            let list = self.expr()?;
            let filter = self.filter(false)?;
            let map = if self.eat(P::Pipe) {
                Some(boxed(self.expr()?))
            } else {
                None
            };
            self.expect(P::RBracket)?;
            return Ok(self.node(
                ExprKind::ListComprehension {
                    variable,
                    list: boxed(list),
                    filter,
                    map,
                },
                start,
            ));
        }
        if self.at_n(1, P::LParen)
            || (self.at_name_n(1) && self.at_n(2, P::Eq) && self.at_n(3, P::LParen))
        {
            let comprehension = self.attempt(1, |p| {
                p.pos += 1;
                let pattern = p.pattern_part_with_relationship()?;
                let filter = p.filter(true)?;
                p.expect(P::Pipe)?;
                let map = p.expr()?;
                p.expect(P::RBracket)?;
                Ok((pattern, filter, map))
            })?;
            if let Some((pattern, filter, map)) = comprehension {
                return Ok(self.node(
                    ExprKind::PatternComprehension {
                        pattern: Box::new(pattern),
                        filter,
                        map: boxed(map),
                    },
                    start,
                ));
            }
        }
        self.pos += 1;
        let mut items = Vec::new();
        if !self.at(P::RBracket) {
            items = self.expr_list()?;
        }
        self.expect(P::RBracket)?;
        Ok(self.node(ExprKind::List(items), start))
    }

    /// The `WHERE` of a comprehension. In a pattern comprehension a `|`
    /// after a label predicate starts the mapping (`WHERE b:A | b`), which
    /// is mandatory; in a list comprehension `| B]` continues the label
    /// expression (`WHERE x:A|B`), as the mapping is optional.
    fn filter(&mut self, pipe_maps: bool) -> PResult<Option<Box<Expr>>> {
        let saved = std::mem::replace(&mut self.pipe_maps, pipe_maps);
        let filter = self.where_opt();
        self.pipe_maps = saved;
        Ok(filter?.map(boxed))
    }

    /// `{key: value, …}`.
    pub(super) fn map_literal(&mut self) -> PResult<Vec<(Name, Expr)>> {
        self.expect(P::LBrace)?;
        let mut entries = Vec::new();
        if !self.at(P::RBrace) {
            loop {
                let key = self.name()?;
                self.expect(P::Colon)?;
                let value = self.expr()?;
                entries.push((key, value));
                if !self.eat(P::Comma) {
                    break;
                }
            }
        }
        self.expect(P::RBrace)?;
        Ok(entries)
    }

    /// True when the cursor is at `a.b.c(`.
    fn looks_like_call(&self) -> bool {
        let mut i = 0;
        loop {
            if !self.at_name_n(i) {
                return false;
            }
            match self.kind_at(i + 1) {
                Tok::P(P::LParen) => return true,
                Tok::P(P::Dot) => i += 2,
                _ => return false,
            }
        }
    }

    fn keyword_or_name(&mut self) -> PResult<Expr> {
        let token = self.token(0);
        let start = token.span.start;
        let word = self.text(token).to_ascii_uppercase();
        let next = self.kind_at(1);
        match word.as_str() {
            "TRUE" | "FALSE" if !matches!(next, Tok::P(P::LParen)) => {
                self.pos += 1;
                Ok(self.node(ExprKind::Bool(word == "TRUE"), start))
            }
            "NULL" if !matches!(next, Tok::P(P::LParen)) => {
                self.pos += 1;
                Ok(self.node(ExprKind::Null, start))
            }
            "CASE" if !self.ends_operand_at(1) => self.case_expr(),
            "RETURN" | "MATCH" | "WITH" | "WHERE" | "CREATE" | "MERGE" | "UNWIND" | "SET"
            | "DELETE" | "REMOVE" | "OPTIONAL" | "ORDER" | "LIMIT" | "SKIP" | "UNION" | "CALL"
            | "DETACH" | "FOREACH" | "THEN" | "ELSE" | "END" | "WHEN"
                if self.keyword_starts_something_else() =>
            {
                self.fail("an expression")
            }
            "EXISTS" | "COUNT" | "COLLECT" if next == Tok::P(P::LBrace) => {
                let kind = match word.as_str() {
                    "EXISTS" => SubqueryKind::Exists,
                    "COUNT" => SubqueryKind::Count,
                    _ => SubqueryKind::Collect,
                };
                self.pos += 1;
                self.subquery_expr(kind, start)
            }
            "COUNT" if next == Tok::P(P::LParen) && self.at_n(2, P::Star) => {
                self.pos += 3;
                self.expect(P::RParen)?;
                Ok(self.node(ExprKind::CountStar, start))
            }
            "ALL" | "ANY" | "NONE" | "SINGLE"
                if next == Tok::P(P::LParen) && self.at_name_n(2) && self.at_kw_n(3, "IN") =>
            {
                let kind = match word.as_str() {
                    "ALL" => Quantified::All,
                    "ANY" => Quantified::Any,
                    "NONE" => Quantified::None,
                    _ => Quantified::Single,
                };
                self.quantified_expr(kind, start)
            }
            "REDUCE" if next == Tok::P(P::LParen) && self.at_name_n(2) && self.at_n(3, P::Eq) => {
                self.reduce_expr(start)
            }
            "SHORTESTPATH" | "ALLSHORTESTPATHS" if next == Tok::P(P::LParen) => {
                let pattern = self.pattern_part()?;
                Ok(self.node(ExprKind::Pattern(Box::new(pattern)), start))
            }
            _ if self.looks_like_call() => self.function_call(),
            _ => {
                let name = self.name()?;
                self.maybe_map_projection(name, start)
            }
        }
    }

    /// `all/any/none/single(x IN list WHERE p)` from the `(`.
    fn quantified_expr(&mut self, kind: Quantified, start: usize) -> PResult<Expr> {
        self.pos += 2;
        let variable = self.name()?;
        self.pos += 1;
        let list = self.expr()?;
        let predicate = self.where_opt()?.map(boxed);
        self.expect(P::RParen)?;
        Ok(self.node(
            ExprKind::Quantified {
                kind,
                variable,
                list: boxed(list),
                predicate,
            },
            start,
        ))
    }

    /// `reduce(acc = init, x IN list | expr)` from the `(`.
    fn reduce_expr(&mut self, start: usize) -> PResult<Expr> {
        self.pos += 2;
        let accumulator = self.name()?;
        self.pos += 1;
        let init = self.expr()?;
        self.expect(P::Comma)?;
        let variable = self.name()?;
        self.expect_kw("IN")?;
        let list = self.expr()?;
        self.expect(P::Pipe)?;
        let expr = self.expr()?;
        self.expect(P::RParen)?;
        Ok(self.node(
            ExprKind::Reduce {
                accumulator,
                init: boxed(init),
                variable,
                list: boxed(list),
                expr: boxed(expr),
            },
            start,
        ))
    }

    /// True when the clause or `CASE` keyword at the cursor is followed by
    /// what would begin its own operand (`WHERE RETURN n`), so it is not a
    /// variable of that name (`RETURN order ORDER BY order` keeps `order`).
    fn keyword_starts_something_else(&self) -> bool {
        let next = self.token(1);
        match next.kind {
            Tok::Ident => !EXPRESSION_FOLLOWERS
                .iter()
                .any(|k| self.is_keyword(next, k)),
            Tok::Quoted | Tok::Param | Tok::Int | Tok::Float | Tok::BadNumber | Tok::Str => true,
            Tok::P(P::LParen) => !self.looks_like_call(),
            Tok::P(P::Star | P::LBrace) => true,
            _ => false,
        }
    }

    /// A variable, or a map projection `v {…}` when a brace follows.
    fn maybe_map_projection(&mut self, name: Name, start: usize) -> PResult<Expr> {
        if !self.at(P::LBrace) {
            return Ok(self.node(ExprKind::Variable(name.name), start));
        }
        self.pos += 1;
        let mut items = Vec::new();
        if !self.at(P::RBrace) {
            loop {
                if self.eat(P::Dot) {
                    if self.eat(P::Star) {
                        items.push(MapProjectionItem::AllProperties);
                    } else {
                        let key = self.name()?;
                        self.symbols.property_keys.push(key.clone());
                        items.push(MapProjectionItem::Property(key));
                    }
                } else {
                    let key = self.name()?;
                    if self.eat(P::Colon) {
                        let value = self.expr()?;
                        items.push(MapProjectionItem::Literal(key, value));
                    } else {
                        items.push(MapProjectionItem::Variable(key));
                    }
                }
                if !self.eat(P::Comma) {
                    break;
                }
            }
        }
        self.expect(P::RBrace)?;
        Ok(self.node(ExprKind::MapProjection(name, items), start))
    }

    fn function_call(&mut self) -> PResult<Expr> {
        let start = self.span().start;
        let name = self.dotted_name()?;
        self.expect(P::LParen)?;
        let distinct = self.skip_kw("DISTINCT");
        if !distinct && self.at_kw("ALL") && !self.at_n(1, P::LParen) && !self.ends_operand_at(1) {
            self.pos += 1;
        }
        let mut args = Vec::new();
        let is_trim = name.name.eq_ignore_ascii_case("trim")
            || name.name.eq_ignore_ascii_case("ltrim")
            || name.name.eq_ignore_ascii_case("rtrim")
            || name.name.eq_ignore_ascii_case("btrim");
        let mut trim_mode = TrimMode::Both;
        if is_trim
            && ["BOTH", "LEADING", "TRAILING"]
                .iter()
                .any(|k| self.at_kw(k))
            && !self.ends_operand_at(1)
        {
            if self.at_kw("LEADING") {
                trim_mode = TrimMode::Leading;
            } else if self.at_kw("TRAILING") {
                trim_mode = TrimMode::Trailing;
            }
            self.pos += 1;
        }
        if is_trim && self.at_kw("FROM") {
            self.pos += 1;
        }
        if !self.at(P::RParen) {
            loop {
                args.push(self.expr()?);
                if is_trim && self.eat_kw("FROM") {
                    continue;
                }
                if !self.eat(P::Comma) {
                    break;
                }
            }
        }
        self.expect(P::RParen)?;
        let call = self.node(
            ExprKind::Function {
                name,
                distinct,
                args,
            },
            start,
        );
        if trim_mode != TrimMode::Both {
            self.symbols.trim_modes.push((call.span, trim_mode));
        }
        Ok(call)
    }

    fn case_expr(&mut self) -> PResult<Expr> {
        let start = self.bump().span.start;
        self.enter()?;
        if self.at_kw("END") {
            self.note(Expect::Keyword("WHEN"));
            return Err(super::Fail);
        }
        let operand = if self.at_kw("WHEN") {
            None
        } else {
            Some(boxed(self.expr()?))
        };
        let mut whens = Vec::new();
        while self.eat_kw("WHEN") {
            let mut alternatives = Vec::new();
            loop {
                if operand.is_some() {
                    // Extended simple CASE: `WHEN < 3`, `WHEN IS NULL`.
                    let alt_start = self.span().start;
                    let op = match self.kind() {
                        Tok::P(P::Eq) => Some(BinaryOp::Eq),
                        Tok::P(P::Neq) => Some(BinaryOp::Neq),
                        Tok::P(P::Lt) => Some(BinaryOp::Lt),
                        Tok::P(P::Gt) => Some(BinaryOp::Gt),
                        Tok::P(P::Le) => Some(BinaryOp::Le),
                        Tok::P(P::Ge) => Some(BinaryOp::Ge),
                        _ => None,
                    };
                    if let Some(op) = op {
                        self.pos += 1;
                        let rhs = self.predicate_expr()?;
                        let lhs = Expr {
                            kind: ExprKind::Null,
                            span: Span::new(alt_start, alt_start),
                        };
                        alternatives.push(self.binary(op, lhs, rhs));
                    } else if self.at_kw("IS") {
                        self.pos += 1;
                        let lhs = Expr {
                            kind: ExprKind::Null,
                            span: Span::new(alt_start, alt_start),
                        };
                        alternatives.push(self.is_tail(lhs, alt_start)?);
                    } else {
                        alternatives.push(self.expr()?);
                    }
                } else {
                    alternatives.push(self.expr()?);
                }
                if operand.is_none() || !self.eat(P::Comma) {
                    break;
                }
            }
            self.expect_kw("THEN")?;
            let result = self.expr()?;
            whens.push((alternatives, result));
        }
        if whens.is_empty() {
            self.note(Expect::Keyword("WHEN"));
            return Err(super::Fail);
        }
        let otherwise = if self.eat_kw("ELSE") {
            Some(boxed(self.expr()?))
        } else {
            None
        };
        self.expect_kw("END")?;
        self.leave();
        Ok(self.node(
            ExprKind::Case {
                operand,
                whens,
                otherwise,
            },
            start,
        ))
    }

    /// `EXISTS/COUNT/COLLECT { … }` after the keyword.
    fn subquery_expr(&mut self, kind: SubqueryKind, start: usize) -> PResult<Expr> {
        self.expect(P::LBrace)?;
        self.enter()?;
        let pattern_form = kind != SubqueryKind::Collect
            && (self.at(P::LParen)
                || (self.at_name() && self.at_n(1, P::Eq))
                || (self.at_name()
                    && !super::statement::CLAUSE_KEYWORDS
                        .iter()
                        .any(|k| self.at_kw(k))));
        let expr = if pattern_form {
            let patterns = self.patterns()?;
            let predicate = self.where_opt()?.map(boxed);
            ExprKind::PatternSubquery(kind, patterns, predicate)
        } else {
            ExprKind::Subquery(kind, Box::new(self.query_body()?))
        };
        self.expect(P::RBrace)?;
        self.leave();
        Ok(self.node(expr, start))
    }
}
