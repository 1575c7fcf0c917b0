//! Expressions: variables in scope, operand types, comprehensions, pattern
//! predicates and subquery expressions.

use super::aggregation::Ctx;
use super::patterns::PatternContext;
use super::scope::{Frame, Var};
use super::types::Ty;
use super::{Analyzer, Check, Import, fail, failure};
use crate::ast::{
    BinaryOp, ClauseKind, Expr, ExprKind, LabelExpr, MapProjectionItem, PathElement, PatternPart,
    QueryBody, SubqueryKind, UnaryOp,
};
use crate::detail::codes;
use crate::{ErrorDetail, Span};

/// True for `shortestPath(…)` and `allShortestPaths(…)`, which are
/// expressions of their own rather than pattern predicates.
pub(super) fn is_shortest(part: &PatternPart) -> bool {
    part.selector.as_deref().is_some_and(|selector| {
        let lower = selector.to_ascii_lowercase();
        lower.starts_with("shortestpath") || lower.starts_with("allshortestpaths")
    })
}

/// A type mismatch at `span`.
pub(super) fn mismatch<T>(span: Span, expected: Ty, actual: Ty) -> Check<T> {
    Err(mismatch_failure(span, expected, actual))
}

fn mismatch_failure(span: Span, expected: Ty, actual: Ty) -> Box<super::Failure> {
    failure(
        span,
        ErrorDetail::InvalidArgumentType,
        format!(
            "Type mismatch: expected {} but was {}",
            expected.describe(),
            actual.describe()
        ),
    )
}

impl<'a> Analyzer<'a> {
    /// Checks `expr` in `ctx`; returns what it may evaluate to.
    pub(super) fn expr(&mut self, expr: &'a Expr, ctx: Ctx) -> Check<Ty> {
        if let Some(ty) = self.projected_column(expr) {
            return Ok(ty);
        }
        match &expr.kind {
            ExprKind::Null | ExprKind::Parameter(_) => Ok(Ty::ANY),
            ExprKind::Bool(_) => Ok(Ty::BOOLEAN),
            ExprKind::Integer(_) => Ok(Ty::INTEGER),
            ExprKind::Float(_) => Ok(Ty::FLOAT),
            ExprKind::String(_) => Ok(Ty::STRING),
            ExprKind::Variable(name) => self.variable(name, expr.span),
            ExprKind::List(items) => self.list(items, ctx),
            ExprKind::Map(entries) => {
                for (_, value) in entries {
                    self.expr(value, ctx.value())?;
                }
                Ok(Ty::MAP)
            }
            ExprKind::Property(base, _) => self.property(base, ctx),
            ExprKind::Index(base, index) => self.index(base, index, ctx),
            ExprKind::Slice(base, from, to) => {
                self.slice(base, from.as_deref(), to.as_deref(), ctx)
            }
            ExprKind::HasLabels(base, labels) => {
                self.expr(base, ctx.value())?;
                self.label_expr(labels)?;
                Ok(Ty::BOOLEAN)
            }
            ExprKind::Unary(op, operand) => self.unary(*op, operand, ctx),
            ExprKind::Binary(..) => self.binary_chain(expr, ctx),
            ExprKind::IsNull(operand, _)
            | ExprKind::IsType(operand, _, _)
            | ExprKind::IsNormalized(operand, _) => {
                self.expr(operand, ctx.value())?;
                Ok(Ty::BOOLEAN)
            }
            ExprKind::Function {
                name,
                distinct,
                args,
            } => self.function(expr, name, *distinct, args, ctx),
            ExprKind::CountStar => {
                self.check_aggregation_allowed(expr, "count(...)", ctx)?;
                Ok(Ty::INTEGER)
            }
            ExprKind::Case {
                operand,
                whens,
                otherwise,
            } => self.case(operand.as_deref(), whens, otherwise.as_deref(), ctx),
            ExprKind::ListComprehension {
                variable,
                list,
                filter,
                map,
            } => self.list_comprehension(
                &variable.name,
                variable.span,
                list,
                filter.as_deref(),
                map.as_deref(),
                ctx,
            ),
            ExprKind::PatternComprehension {
                pattern,
                filter,
                map,
            } => self.pattern_comprehension(pattern, filter.as_deref(), map, ctx),
            ExprKind::Quantified {
                variable,
                list,
                predicate,
                ..
            } => {
                self.list_comprehension(
                    &variable.name,
                    variable.span,
                    list,
                    predicate.as_deref(),
                    None,
                    ctx,
                )?;
                Ok(Ty::BOOLEAN)
            }
            ExprKind::Reduce {
                accumulator,
                init,
                variable,
                list,
                expr: step,
            } => self.reduce(accumulator, init, variable, list, step, ctx),
            ExprKind::Subquery(kind, body) => self.subquery_expression(*kind, body, expr.span),
            ExprKind::PatternSubquery(kind, patterns, predicate) => {
                self.scopes.push(Frame {
                    transparent: true,
                    ..Frame::default()
                });
                let result = self
                    .patterns(patterns, PatternContext::Match)
                    .and_then(|()| match predicate {
                        Some(predicate) => self.predicate(predicate, Ctx::PREDICATE),
                        None => Ok(()),
                    });
                self.scopes.pop();
                result?;
                Ok(subquery_type(*kind))
            }
            ExprKind::Pattern(part) => self.pattern_expression(part, expr, ctx),
            ExprKind::MapProjection(name, entries) => {
                self.variable(&name.name, name.span)?;
                for entry in entries {
                    match entry {
                        MapProjectionItem::Literal(_, value) => {
                            self.expr(value, ctx.value())?;
                        }
                        MapProjectionItem::Variable(variable) => {
                            self.variable(&variable.name, variable.span)?;
                        }
                        MapProjectionItem::Property(_) | MapProjectionItem::AllProperties => {}
                    }
                }
                Ok(Ty::MAP)
            }
        }
    }

    /// Checks a predicate: a boolean is expected.
    pub(super) fn predicate(&mut self, expr: &'a Expr, ctx: Ctx) -> Check {
        let ty = self.expr(expr, ctx.predicate())?;
        self.expect(expr, ty, Ty::BOOLEAN)
    }

    /// Refuses `actual` when it cannot be `expected`.
    pub(super) fn expect(&self, expr: &Expr, actual: Ty, expected: Ty) -> Check {
        if actual.meets(expected) {
            Ok(())
        } else {
            mismatch(expr.span, expected, actual)
        }
    }

    /// After a `WITH`/`RETURN` with `DISTINCT` or an aggregation, an
    /// expression that repeats an item stands for its column.
    fn projected_column(&self, expr: &Expr) -> Option<Ty> {
        self.projected
            .iter()
            .find(|(item, _)| super::same::same(item, expr))
            .map(|(_, ty)| *ty)
    }

    /// A variable reference.
    pub(super) fn variable(&self, name: &'a str, span: Span) -> Check<Ty> {
        if let Some(var) = self.scopes.lookup(name) {
            return Ok(var.ty);
        }
        if self.scopes.is_open() {
            return Ok(Ty::ANY);
        }
        if self.hidden.contains(&name) {
            return fail(
                span,
                ErrorDetail::UndefinedVariable,
                format!(
                    "In a WITH/RETURN with DISTINCT or an aggregation, it is not possible to access variables declared before the WITH/RETURN: {name}"
                ),
            );
        }
        let visible = self.scopes.visible();
        let help = crate::suggest(name, visible.iter().map(|v| v.name))
            .map(|s| format!("did you mean `{s}`?"));
        Err(failure(
            span,
            ErrorDetail::UndefinedVariable,
            format!("Variable `{name}` not defined"),
        )
        .with_help(help))
    }

    fn list(&mut self, items: &'a [Expr], ctx: Ctx) -> Check<Ty> {
        let mut element: Option<Ty> = None;
        for item in items {
            let ty = self.expr(item, ctx.value())?;
            element = Some(element.map_or(ty, |e| e.or(ty)));
        }
        Ok(Ty::list_of(element.unwrap_or(Ty::ANY)))
    }

    /// `base.key`: the base must be able to have properties.
    fn property(&mut self, base: &'a Expr, ctx: Ctx) -> Check<Ty> {
        let ty = self.expr(base, ctx.value())?;
        if !ty.meets(Ty::PROPERTY_HOLDER) {
            let failure = mismatch_failure(base.span, Ty::PROPERTY_HOLDER, ty);
            // A value that is no entity at all is a type error in Neo4j; a
            // path is a syntax error.
            return Err(if ty.meets(Ty::PATH) {
                failure
            } else {
                failure.with_code(codes::TYPE_ERROR)
            });
        }
        Ok(Ty::ANY)
    }

    fn index(&mut self, base: &'a Expr, index: &'a Expr, ctx: Ctx) -> Check<Ty> {
        let ty = self.expr(base, ctx.value())?;
        self.expr(index, ctx.value())?;
        Ok(if ty.within(Ty::LIST) {
            ty.elements()
        } else {
            Ty::ANY
        })
    }

    fn slice(
        &mut self,
        base: &'a Expr,
        from: Option<&'a Expr>,
        to: Option<&'a Expr>,
        ctx: Ctx,
    ) -> Check<Ty> {
        let ty = self.expr(base, ctx.value())?;
        for bound in [from, to].into_iter().flatten() {
            self.expr(bound, ctx.value())?;
        }
        Ok(if ty.within(Ty::LIST) { ty } else { Ty::ANY })
    }

    /// Evaluates the expressions of dynamic labels.
    pub(super) fn label_expr(&mut self, labels: &'a LabelExpr) -> Check {
        match labels {
            LabelExpr::Name(_) | LabelExpr::Wildcard(_) => Ok(()),
            LabelExpr::Dynamic { expr, .. } => self.expr(expr, Ctx::VALUE).map(|_| ()),
            LabelExpr::Not(inner) => self.label_expr(inner),
            LabelExpr::And(terms) | LabelExpr::Or(terms) => {
                for term in terms {
                    self.label_expr(term)?;
                }
                Ok(())
            }
        }
    }

    fn unary(&mut self, op: UnaryOp, operand: &'a Expr, ctx: Ctx) -> Check<Ty> {
        match op {
            UnaryOp::Not => {
                let ty = self.expr(operand, ctx.predicate())?;
                self.expect(operand, ty, Ty::BOOLEAN)?;
                Ok(Ty::BOOLEAN)
            }
            UnaryOp::Neg | UnaryOp::Plus => {
                let allowed = Ty::NUMBER.or(Ty::DURATION);
                let ty = self.expr(operand, ctx.value())?;
                self.expect(operand, ty, allowed)?;
                Ok(if ty.within(allowed) { ty } else { allowed })
            }
        }
    }

    /// A chain of binary operators, walked along its left spine without
    /// recursion (`a + b + c + …` nests to the left).
    fn binary_chain(&mut self, top: &'a Expr, ctx: Ctx) -> Check<Ty> {
        let mut spine: Vec<&'a Expr> = vec![top];
        let mut leftmost = top;
        while let ExprKind::Binary(_, lhs, _) = &leftmost.kind {
            leftmost = lhs;
            if !matches!(lhs.kind, ExprKind::Binary(..)) || self.projected_column(lhs).is_some() {
                break;
            }
            spine.push(lhs);
        }
        let operand_ctx = |op: BinaryOp| match op {
            BinaryOp::And | BinaryOp::Or | BinaryOp::Xor => ctx.predicate(),
            _ => ctx.value(),
        };
        let Some(ExprKind::Binary(innermost, _, _)) = spine.last().map(|e| &e.kind) else {
            return Ok(Ty::ANY);
        };
        let mut ty = self.expr(leftmost, operand_ctx(*innermost))?;
        for node in spine.iter().rev() {
            let ExprKind::Binary(op, lhs, rhs) = &node.kind else {
                continue;
            };
            let rhs_ty = self.expr(rhs, operand_ctx(*op))?;
            ty = self.binary(*op, lhs, ty, rhs, rhs_ty)?;
        }
        Ok(ty)
    }

    /// The type of `lhs op rhs`, refusing operands it cannot apply to.
    fn binary(&self, op: BinaryOp, lhs: &Expr, lt: Ty, rhs: &Expr, rt: Ty) -> Check<Ty> {
        let numbers = Ty::NUMBER;
        let arithmetic = |allowed_left: Ty, allowed_right: Ty| -> Check<Ty> {
            self.expect(lhs, lt, allowed_left)?;
            self.expect(rhs, rt, allowed_right)?;
            Ok(if lt.within(Ty::INTEGER) && rt.within(Ty::INTEGER) {
                Ty::INTEGER
            } else if lt.within(numbers) && rt.within(numbers) {
                if lt.within(Ty::FLOAT) || rt.within(Ty::FLOAT) {
                    Ty::FLOAT
                } else {
                    numbers
                }
            } else {
                Ty::ANY
            })
        };
        match op {
            BinaryOp::And | BinaryOp::Or | BinaryOp::Xor => {
                self.expect(lhs, lt, Ty::BOOLEAN)?;
                self.expect(rhs, rt, Ty::BOOLEAN)?;
                Ok(Ty::BOOLEAN)
            }
            BinaryOp::Eq
            | BinaryOp::Neq
            | BinaryOp::Lt
            | BinaryOp::Gt
            | BinaryOp::Le
            | BinaryOp::Ge
            | BinaryOp::Regex
            | BinaryOp::StartsWith
            | BinaryOp::EndsWith
            | BinaryOp::Contains => Ok(Ty::BOOLEAN),
            BinaryOp::In => {
                self.expect(rhs, rt, Ty::LIST)?;
                Ok(Ty::BOOLEAN)
            }
            BinaryOp::Mod => arithmetic(numbers, numbers),
            BinaryOp::Pow => arithmetic(numbers, numbers).map(|_| Ty::FLOAT),
            BinaryOp::Mul => {
                let either = numbers.or(Ty::DURATION);
                arithmetic(either, either)
            }
            BinaryOp::Div => arithmetic(numbers.or(Ty::DURATION), numbers),
            BinaryOp::Sub => {
                let either = numbers.or(Ty::DURATION).or(Ty::TEMPORAL);
                arithmetic(either, either)
            }
            BinaryOp::Add => Ok(if lt.within(numbers) && rt.within(numbers) {
                arithmetic(numbers, numbers)?
            } else if lt.within(Ty::STRING) && rt.within(Ty::STRING.or(numbers)) {
                Ty::STRING
            } else if lt.within(Ty::LIST) || rt.within(Ty::LIST) {
                Ty::LIST
            } else {
                Ty::ANY
            }),
            BinaryOp::Concat => Ok(if lt.within(Ty::STRING) && rt.within(Ty::STRING) {
                Ty::STRING
            } else if lt.within(Ty::LIST) && rt.within(Ty::LIST) {
                Ty::LIST
            } else {
                Ty::ANY
            }),
        }
    }

    fn case(
        &mut self,
        operand: Option<&'a Expr>,
        whens: &'a [(Vec<Expr>, Expr)],
        otherwise: Option<&'a Expr>,
        ctx: Ctx,
    ) -> Check<Ty> {
        if let Some(operand) = operand {
            self.expr(operand, ctx.value())?;
        }
        let mut result: Option<Ty> = None;
        for (alternatives, value) in whens {
            for alternative in alternatives {
                if operand.is_some() {
                    self.expr(alternative, ctx.value())?;
                } else {
                    self.predicate(alternative, ctx)?;
                }
            }
            let ty = self.expr(value, ctx.value())?;
            result = Some(result.map_or(ty, |r| r.or(ty)));
        }
        if let Some(otherwise) = otherwise {
            let ty = self.expr(otherwise, ctx.value())?;
            result = Some(result.map_or(ty, |r| r.or(ty)));
        }
        Ok(result.unwrap_or(Ty::ANY))
    }

    /// `[x IN list WHERE filter | map]`, and the quantifiers: the variable
    /// is in scope of the filter and the mapping only.
    fn list_comprehension(
        &mut self,
        variable: &'a str,
        span: Span,
        list: &'a Expr,
        filter: Option<&'a Expr>,
        map: Option<&'a Expr>,
        ctx: Ctx,
    ) -> Check<Ty> {
        let list_ty = self.expr(list, ctx.value())?;
        let element = list_ty.elements();
        self.scopes.push(Frame {
            vars: vec![Var {
                name: variable,
                ty: element,
                span,
            }],
            transparent: true,
            open: false,
        });
        let inner = ctx.over_list();
        let result = (|| {
            if let Some(filter) = filter {
                self.predicate(filter, inner)?;
            }
            match map {
                Some(map) => self.expr(map, inner.value()),
                None => Ok(element),
            }
        })();
        self.scopes.pop();
        Ok(Ty::list_of(result?))
    }

    fn reduce(
        &mut self,
        accumulator: &'a crate::ast::Name,
        init: &'a Expr,
        variable: &'a crate::ast::Name,
        list: &'a Expr,
        step: &'a Expr,
        ctx: Ctx,
    ) -> Check<Ty> {
        self.expr(init, ctx.value())?;
        let list_ty = self.expr(list, ctx.value())?;
        self.scopes.push(Frame {
            vars: vec![
                Var {
                    name: &accumulator.name,
                    ty: Ty::ANY,
                    span: accumulator.span,
                },
                Var {
                    name: &variable.name,
                    ty: list_ty.elements(),
                    span: variable.span,
                },
            ],
            transparent: true,
            open: false,
        });
        let result = self.expr(step, ctx.over_list().value());
        self.scopes.pop();
        result?;
        Ok(Ty::ANY)
    }

    /// `[(a)-->(b) WHERE … | …]`: the pattern may introduce variables,
    /// visible in the comprehension only.
    fn pattern_comprehension(
        &mut self,
        pattern: &'a PatternPart,
        filter: Option<&'a Expr>,
        map: &'a Expr,
        ctx: Ctx,
    ) -> Check<Ty> {
        self.scopes.push(Frame {
            transparent: true,
            ..Frame::default()
        });
        let inner = ctx.over_list();
        let result = (|| {
            self.patterns(std::slice::from_ref(pattern), PatternContext::Comprehension)?;
            if let Some(filter) = filter {
                self.predicate(filter, inner)?;
            }
            self.expr(map, inner.value())
        })();
        self.scopes.pop();
        Ok(Ty::list_of(result?))
    }

    /// `EXISTS { … }`, `COUNT { … }`, `COLLECT { … }` with a full query:
    /// it sees the enclosing variables and may not update.
    fn subquery_expression(
        &mut self,
        kind: SubqueryKind,
        body: &'a QueryBody,
        span: Span,
    ) -> Check<Ty> {
        let name = match kind {
            SubqueryKind::Exists => "An Exists Expression",
            SubqueryKind::Count => "A Count Expression",
            SubqueryKind::Collect => "A Collect Expression",
        };
        for part in &body.parts {
            if let Some(update) = part.clauses.iter().find(|c| is_update(&c.kind)) {
                return fail(
                    update.span,
                    ErrorDetail::InvalidClauseComposition,
                    format!("{name} cannot contain any updates"),
                );
            }
            if kind == SubqueryKind::Collect {
                let single = matches!(
                    part.clauses.last().map(|c| &c.kind),
                    Some(ClauseKind::Return(p)) if !p.star && p.items.len() == 1
                );
                if !single {
                    return fail(
                        part.clauses.last().map_or(span, |c| c.span),
                        ErrorDetail::InvalidClauseComposition,
                        "A Collect Expression must end with a single return column.",
                    );
                }
            }
        }
        let saved = std::mem::take(&mut self.projected);
        let hidden = std::mem::take(&mut self.hidden);
        let result = self.query_body(body, &Import::All, false);
        self.projected = saved;
        self.hidden = hidden;
        result?;
        Ok(subquery_type(kind))
    }

    /// A pattern used as an expression: a predicate that may not introduce
    /// variables; `shortestPath(…)` gives a path.
    fn pattern_expression(&mut self, part: &'a PatternPart, expr: &'a Expr, ctx: Ctx) -> Check<Ty> {
        if is_shortest(part) {
            self.pattern_expressions(&part.elements)?;
            return Ok(
                if part
                    .selector
                    .as_deref()
                    .is_some_and(|s| s.to_ascii_lowercase().starts_with("all"))
                {
                    Ty::list_of(Ty::PATH)
                } else {
                    Ty::PATH
                },
            );
        }
        if !ctx.boolean {
            return fail(
                expr.span,
                ErrorDetail::Syntax,
                "A pattern expression should only be used in order to test the existence of a pattern. It should therefore only be used in contexts that evaluate to a boolean, e.g. inside the function exists() or in a WHERE-clause. No other uses are allowed, instead they should be replaced by a pattern comprehension.",
            );
        }
        for element in &part.elements {
            let (variable, expected) = match element {
                PathElement::Node(node) => (node.variable.as_ref(), Ty::NODE),
                PathElement::Relationship(rel) => (
                    rel.variable.as_ref(),
                    if rel.length.is_some() || rel.quantifier.is_some() {
                        Ty::list_of(Ty::RELATIONSHIP)
                    } else {
                        Ty::RELATIONSHIP
                    },
                ),
                PathElement::Group(_) => (None, Ty::ANY),
            };
            let Some(variable) = variable else { continue };
            match self.scopes.lookup(&variable.name) {
                Some(var) => self.expect_variable_kind(variable, var, expected)?,
                None if self.scopes.is_open() => {}
                None => {
                    return fail(
                        variable.span,
                        ErrorDetail::UndefinedVariable,
                        format!(
                            "PatternExpressions are not allowed to introduce new variables: '{}'.",
                            variable.name
                        ),
                    );
                }
            }
        }
        self.pattern_expressions(&part.elements)?;
        Ok(Ty::BOOLEAN)
    }

    /// A variable used as a node, relationship or path of a pattern must
    /// be able to be one.
    pub(super) fn expect_variable_kind(
        &self,
        name: &crate::ast::Name,
        var: Var<'a>,
        expected: Ty,
    ) -> Check {
        if var.ty.meets(expected) {
            return Ok(());
        }
        fail(
            name.span,
            ErrorDetail::VariableTypeConflict,
            format!(
                "Type mismatch: {} defined with conflicting type {} (expected {})",
                name.name,
                var.ty.describe(),
                expected.describe()
            ),
        )
    }

    /// Checks the property maps, predicates and dynamic labels inside the
    /// elements of a pattern.
    pub(super) fn pattern_expressions(&mut self, elements: &'a [PathElement]) -> Check {
        for element in elements {
            match element {
                PathElement::Node(node) => {
                    if let Some(labels) = &node.labels {
                        self.label_expr(labels)?;
                    }
                    if let Some(properties) = &node.properties {
                        self.expr(properties, Ctx::VALUE)?;
                    }
                    if let Some(predicate) = &node.predicate {
                        self.predicate(predicate, Ctx::PREDICATE)?;
                    }
                }
                PathElement::Relationship(rel) => {
                    if let Some(types) = &rel.types {
                        self.label_expr(types)?;
                    }
                    if let Some(properties) = &rel.properties {
                        self.expr(properties, Ctx::VALUE)?;
                    }
                    if let Some(predicate) = &rel.predicate {
                        self.predicate(predicate, Ctx::PREDICATE)?;
                    }
                }
                PathElement::Group(group) => {
                    self.pattern_expressions(&group.path.elements)?;
                    if let Some(predicate) = &group.predicate {
                        self.predicate(predicate, Ctx::PREDICATE)?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The type of a subquery expression.
fn subquery_type(kind: SubqueryKind) -> Ty {
    match kind {
        SubqueryKind::Exists => Ty::BOOLEAN,
        SubqueryKind::Count => Ty::INTEGER,
        SubqueryKind::Collect => Ty::LIST,
    }
}

/// True for clauses that write.
pub(super) fn is_update(kind: &ClauseKind) -> bool {
    matches!(
        kind,
        ClauseKind::Create(_)
            | ClauseKind::Merge { .. }
            | ClauseKind::Set(_)
            | ClauseKind::Remove(_)
            | ClauseKind::Delete { .. }
            | ClauseKind::Foreach { .. }
    ) || matches!(
        kind,
        ClauseKind::Subquery {
            in_transactions: Some(_),
            ..
        }
    )
}
