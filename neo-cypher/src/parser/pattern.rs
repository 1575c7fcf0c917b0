//! Path patterns, label expressions and quantifiers.

use super::{Expect, PResult, Parser};
use crate::ErrorDetail;
use crate::ast::*;
use crate::lexer::{P, Tok};

/// True when a path has a relationship, or a quantified group: a path of
/// one node in parentheses, `(a = (b IS NULL))`, is an expression.
fn has_relationship(elements: &[PathElement]) -> bool {
    elements.iter().any(|element| match element {
        PathElement::Node(_) => false,
        PathElement::Relationship(_) => true,
        PathElement::Group(group) => {
            group.quantifier.is_some() || has_relationship(&group.path.elements)
        }
    })
}

impl Parser<'_> {
    /// Comma-separated pattern parts.
    pub(super) fn patterns(&mut self) -> PResult<Vec<PatternPart>> {
        let mut parts = vec![self.pattern_part()?];
        while self.eat(P::Comma) {
            parts.push(self.pattern_part()?);
        }
        Ok(parts)
    }

    /// A pattern part that contains at least one relationship or group, as
    /// required where a pattern stands in an expression.
    pub(super) fn pattern_part_with_relationship(&mut self) -> PResult<PatternPart> {
        let part = self.pattern_part()?;
        if part.selector.is_some() || has_relationship(&part.elements) {
            Ok(part)
        } else {
            self.fail("a relationship pattern")
        }
    }

    /// `[p =] [selector] path`.
    pub(super) fn pattern_part(&mut self) -> PResult<PatternPart> {
        self.enter()?;
        let start = self.span().start;
        let variable = if self.at_name() && self.at_n(1, P::Eq) {
            let name = self.name()?;
            self.pos += 1;
            Some(name)
        } else {
            None
        };
        let selector = self.path_selector()?;
        let elements = match self.shortest_inner.take() {
            // `shortestPath(…)`: the path was parsed inside the call.
            Some(inner) => inner,
            None => self.path_elements()?,
        };
        self.leave();
        Ok(PatternPart {
            variable,
            selector,
            elements,
            span: self.since(start),
        })
    }

    /// `shortestPath(…)`, `allShortestPaths(…)`, `ANY SHORTEST`, `SHORTEST k
    /// [GROUPS]`, `ALL SHORTEST`, `ANY [k]`, `ALL`, each with an optional
    /// `PATH`/`PATHS`.
    fn path_selector(&mut self) -> PResult<Option<String>> {
        let start = self.span().start;
        if (self.at_kw("shortestPath") || self.at_kw("allShortestPaths")) && self.at_n(1, P::LParen)
        {
            self.pos += 2;
            let inner = self.path_elements()?;
            self.expect(P::RParen)?;
            self.shortest_inner = Some(inner);
            return Ok(Some(self.since(start).text(self.src).to_owned()));
        }
        let selector_follows = |p: &Self, ahead: usize| {
            matches!(p.kind_at(ahead), Tok::P(P::LParen) | Tok::Int | Tok::Param)
                || p.at_kw_n(ahead, "SHORTEST")
                || p.at_kw_n(ahead, "PATH")
                || p.at_kw_n(ahead, "PATHS")
                || p.at_kw_n(ahead, "GROUPS")
                || p.at_kw_n(ahead, "GROUP")
        };
        if !((self.at_kw("ANY") || self.at_kw("ALL") || self.at_kw("SHORTEST"))
            && selector_follows(self, 1))
        {
            return Ok(None);
        }
        let word = self.bump_text().to_ascii_uppercase();
        if matches!(self.kind(), Tok::Int | Tok::Param) && word != "ALL" {
            let token = self.bump();
            if token.kind == Tok::Param {
                self.record_parameter(token);
            }
        }
        if word != "SHORTEST" {
            self.eat_kw("SHORTEST");
        }
        if self.eat_one_of(&["GROUPS", "GROUP"]).is_none() {
            self.eat_one_of(&["PATHS", "PATH"]);
        }
        Ok(Some(self.since(start).text(self.src).to_owned()))
    }

    /// Nodes and groups joined by relationships.
    fn path_elements(&mut self) -> PResult<Vec<PathElement>> {
        let mut elements = vec![self.node_or_group()?];
        loop {
            let at_relationship = self.at(P::Minus) || (self.at(P::Lt) && self.at_n(1, P::Minus));
            if !at_relationship {
                // Quantified groups may sit right next to nodes:
                // `(a)((x)-->(y)){1,3}(b)`.
                let after_group = matches!(elements.last(), Some(PathElement::Group(_)));
                if self.at(P::LParen) && (after_group || self.at_group()) {
                    elements.push(self.node_or_group()?);
                    continue;
                }
                return Ok(elements);
            }
            elements.push(PathElement::Relationship(self.relationship()?));
            elements.push(self.node_or_group()?);
        }
    }

    fn at_group(&self) -> bool {
        self.at(P::LParen)
            && (self.at_n(1, P::LParen)
                || (self.at_name_n(1) && self.at_n(2, P::Eq) && self.at_n(3, P::LParen)))
    }

    fn node_or_group(&mut self) -> PResult<PathElement> {
        if self.at_group() {
            return Ok(PathElement::Group(Box::new(self.group()?)));
        }
        Ok(PathElement::Node(self.node_pattern()?))
    }

    fn group(&mut self) -> PResult<GroupPattern> {
        let start = self.span().start;
        self.expect(P::LParen)?;
        let path = self.pattern_part()?;
        let predicate = self.where_opt()?;
        self.expect(P::RParen)?;
        let quantifier = self.quantifier()?;
        Ok(GroupPattern {
            path,
            predicate,
            quantifier,
            span: self.since(start),
        })
    }

    /// `{m,n}`, `{n}`, `{,n}`, `{m,}`, `+` or `*`.
    fn quantifier(&mut self) -> PResult<Option<Quantifier>> {
        if self.skip(P::Plus) {
            return Ok(Some(Quantifier {
                min: Some(1),
                max: None,
            }));
        }
        if self.skip(P::Star) {
            return Ok(Some(Quantifier {
                min: Some(0),
                max: None,
            }));
        }
        if !self.at(P::LBrace) {
            return Ok(None);
        }
        let start = self.bump().span.start;
        let min = if self.kind() == Tok::Int {
            Some(self.unsigned()?)
        } else {
            None
        };
        let max = if self.eat(P::Comma) {
            if self.kind() == Tok::Int {
                Some(self.unsigned()?)
            } else {
                None
            }
        } else {
            if min.is_none() {
                return self.fail("an integer");
            }
            min
        };
        self.expect(P::RBrace)?;
        if let (Some(a), Some(b)) = (min, max)
            && a > b
        {
            let span = self.since(start);
            return self.fail_at(
                span,
                "a quantifier's lower bound cannot exceed its upper bound",
            );
        }
        Ok(Some(Quantifier { min, max }))
    }

    fn node_pattern(&mut self) -> PResult<NodePattern> {
        let start = self.span().start;
        self.expect(P::LParen)?;
        let name_followers = [P::RParen, P::Colon, P::LBrace];
        let variable = if self.at_name()
            && !self.at_keyword_use("WHERE", &name_followers)
            && !self.at_keyword_use("IS", &name_followers)
        {
            Some(self.name()?)
        } else {
            None
        };
        let is = self.at_kw("IS");
        if is {
            self.pos += 1;
        } else {
            self.note(Expect::Hidden("IS"));
        }
        let labels = if is || self.eat(P::Colon) {
            Some(self.label_expr(false)?)
        } else {
            None
        };
        let properties = self.pattern_properties()?;
        let predicate = self.where_opt()?;
        self.expect(P::RParen)?;
        Ok(NodePattern {
            variable,
            labels,
            properties,
            predicate,
            span: self.since(start),
        })
    }

    /// `{…}` or `$param` inside a node or relationship pattern.
    fn pattern_properties(&mut self) -> PResult<Option<Expr>> {
        if self.at(P::LBrace) {
            let start = self.span().start;
            let entries = self.map_literal()?;
            for (key, _) in &entries {
                self.symbols.property_keys.push(key.clone());
            }
            return Ok(Some(Expr {
                kind: ExprKind::Map(entries),
                span: self.since(start),
            }));
        }
        self.note(Expect::Punct(P::LBrace));
        if self.kind() == Tok::Param {
            let token = self.bump();
            let name = self.record_parameter(token);
            return Ok(Some(Expr {
                kind: ExprKind::Parameter(name),
                span: token.span,
            }));
        }
        Ok(None)
    }

    fn relationship(&mut self) -> PResult<RelationshipPattern> {
        let start = self.span().start;
        let left = self.eat(P::Lt);
        self.expect(P::Minus)?;
        let mut pattern = RelationshipPattern {
            variable: None,
            direction: Direction::Both,
            types: None,
            length: None,
            properties: None,
            predicate: None,
            quantifier: None,
            span: self.since(start),
        };
        if self.eat(P::LBracket) {
            if self.at_name() && !self.at_keyword_use("WHERE", &[P::RBracket, P::Colon]) {
                let name = self.name()?;
                self.symbols.relationship_variables.push(name.name.clone());
                pattern.variable = Some(name);
            }
            if self.eat(P::Colon) || self.eat_kw("IS") {
                pattern.types = Some(self.label_expr(true)?);
            }
            if self.eat(P::Star) {
                pattern.length = Some(self.variable_length()?);
            } else if self.at(P::DotDot) {
                let span = self.span();
                return self.fail_with(
                    span,
                    ErrorDetail::InvalidRelationshipPattern,
                    "the bounds of a variable-length relationship follow a `*`, e.g. `[:KNOWS*1..3]`",
                );
            }
            pattern.properties = self.pattern_properties()?;
            pattern.predicate = self.where_opt()?;
            self.expect(P::RBracket)?;
        }
        self.expect(P::Minus)?;
        let right = self.at(P::Gt);
        if right {
            self.pos += 1;
        }
        pattern.direction = match (left, right) {
            (true, false) => Direction::Left,
            (false, true) => Direction::Right,
            _ => Direction::Both,
        };
        pattern.quantifier = self.quantifier()?;
        pattern.span = self.since(start);
        Ok(pattern)
    }

    /// After `*`: `n`, `m..n`, `..n`, `m..` or nothing.
    fn variable_length(&mut self) -> PResult<(Option<u64>, Option<u64>)> {
        if self.at(P::Minus) || (self.at(P::DotDot) && self.at_n(1, P::Minus)) {
            let span = self.span();
            return self.fail_with(
                span,
                ErrorDetail::InvalidRelationshipPattern,
                "the bounds of a variable-length relationship cannot be negative",
            );
        }
        let min = if self.kind() == Tok::Int {
            Some(self.unsigned()?)
        } else {
            None
        };
        if self.eat(P::DotDot) {
            let max = if self.kind() == Tok::Int {
                Some(self.unsigned()?)
            } else {
                None
            };
            return Ok((min, max));
        }
        Ok((min, min))
    }

    /// True when the name at the cursor is `keyword` used as a keyword: it
    /// is not followed by one of `name_followers`, which would make it a
    /// variable.
    fn at_keyword_use(&self, keyword: &str, name_followers: &[P]) -> bool {
        self.at_kw(keyword) && !name_followers.iter().any(|p| self.at_n(1, *p))
    }

    // ----- label expressions ------------------------------------------

    pub(super) fn is_relationship_variable(&self, name: &str) -> bool {
        self.symbols
            .relationship_variables
            .iter()
            .any(|v| v == name)
    }

    pub(super) fn record_label(&mut self, name: &Name, relationship: bool) {
        if relationship {
            self.symbols.relationship_types.push(name.clone());
        } else {
            self.symbols.labels.push(name.clone());
        }
    }

    /// A label expression after `:` or `IS`, in a pattern.
    pub(super) fn label_expr(&mut self, relationship: bool) -> PResult<LabelExpr> {
        self.enter()?;
        let result = self.label_or(relationship, false);
        self.leave();
        result
    }

    /// A label expression after `n:` inside an expression, where `|` may
    /// instead end a comprehension filter (`[x IN l WHERE x:A | x.name]`).
    pub(super) fn label_expr_in_expression(&mut self, relationship: bool) -> PResult<LabelExpr> {
        self.enter()?;
        let result = self.label_or(relationship, true);
        self.leave();
        result
    }

    fn label_or(&mut self, relationship: bool, careful: bool) -> PResult<LabelExpr> {
        let mut terms = vec![self.label_and(relationship, careful)?];
        while self.at(P::Pipe) {
            if careful {
                // Only an alternative when a bare label follows, not the
                // mapping expression of a comprehension.
                let cp = self.checkpoint();
                self.pos += 1;
                self.eat(P::Colon);
                let term = self.attempt(2, |p| p.label_and(relationship, true))?;
                let continues_expression = (self.pipe_maps && self.at(P::RBracket))
                    || matches!(
                        self.kind(),
                        Tok::P(
                            P::Dot
                                | P::LParen
                                | P::LBracket
                                | P::LBrace
                                | P::Plus
                                | P::Minus
                                | P::Star
                                | P::Slash
                                | P::Percent
                                | P::Caret
                                | P::Concat
                        )
                    );
                match term {
                    Some(term) if !continues_expression => terms.push(term),
                    _ => {
                        self.restore(&cp);
                        break;
                    }
                }
            } else {
                self.pos += 1;
                self.eat(P::Colon);
                terms.push(self.label_and(relationship, careful)?);
            }
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            LabelExpr::Or(terms)
        })
    }

    fn label_and(&mut self, relationship: bool, careful: bool) -> PResult<LabelExpr> {
        let mut terms = vec![self.label_not(relationship, careful)?];
        loop {
            let colon = self.at(P::Colon) && !careful;
            let colon_in_expression = self.at(P::Colon) && careful && self.starts_label_name_at(1);
            if self.at(P::Amp) || colon || colon_in_expression {
                self.pos += 1;
                terms.push(self.label_not(relationship, careful)?);
            } else {
                break;
            }
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            LabelExpr::And(terms)
        })
    }

    fn starts_label_name_at(&self, ahead: usize) -> bool {
        matches!(
            self.kind_at(ahead),
            Tok::Ident | Tok::Quoted | Tok::P(P::Bang | P::Percent | P::Dollar)
        )
    }

    fn label_not(&mut self, relationship: bool, careful: bool) -> PResult<LabelExpr> {
        if self.eat(P::Bang) {
            self.enter()?;
            let inner = self.label_not(relationship, careful)?;
            self.leave();
            return Ok(LabelExpr::Not(Box::new(inner)));
        }
        if self.at(P::Percent) {
            return Ok(LabelExpr::Wildcard(self.bump().span));
        }
        if self.eat(P::LParen) {
            self.enter()?;
            let inner = self.label_or(relationship, careful)?;
            self.leave();
            self.expect(P::RParen)?;
            return Ok(inner);
        }
        if self.at(P::Dollar) || (self.kind() == Tok::Param && self.at_n(1, P::LParen)) {
            return self.dynamic_label();
        }
        let name = self.name()?;
        self.record_label(&name, relationship);
        Ok(LabelExpr::Name(name))
    }

    /// `$(expr)`, `$any(expr)`, `$all(expr)`.
    pub(super) fn dynamic_label(&mut self) -> PResult<LabelExpr> {
        let any = if self.eat(P::Dollar) {
            false
        } else {
            let token = self.token(0);
            let word = self.parameter_name(token).to_ascii_lowercase();
            if word != "any" && word != "all" {
                return self.fail("`$(`, `$any(` or `$all(`");
            }
            self.pos += 1;
            word == "any"
        };
        self.expect(P::LParen)?;
        let expr = self.expr()?;
        self.expect(P::RParen)?;
        Ok(LabelExpr::Dynamic {
            expr: Box::new(expr),
            any,
        })
    }
}
