//! Compiling `neo-cypher` expressions: variables to slots, functions to
//! built-ins, aggregates to the slots an aggregation fills, subqueries and
//! patterns to sub-plans.

use std::collections::BTreeSet;
use std::sync::Arc;

use neo_cypher::ast::{self, ExprKind, NormalForm, TrimMode};

use super::builder::Planner;
use super::scope::{Scope, VarKind};
use crate::engine::error::{EngineError, Result};
use crate::engine::expr::aggregate::{AggKind, AggSpec};
use crate::engine::expr::{
    BinOp, CypherType, Expr, Function, LabelPredicate, MapItem, Quantifier, Slot, SubqueryMode,
};
use crate::engine::value::Value;

/// Aggregates met while compiling a projection item.
pub(super) struct Aggregation<'s> {
    /// The scope the aggregates' arguments read.
    pub(super) scope: &'s Scope,
    pub(super) aggregates: Vec<(Slot, AggSpec)>,
}

/// Expressions already computed, by their text: an occurrence compiles to
/// the slot (grouping keys and aggregates in `ORDER BY`).
pub(super) type Substitutions = Vec<(String, Slot)>;

/// The text of an expression without whitespace, to recognise repeats.
pub(super) fn normalized(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn undefined(name: &str) -> EngineError {
    EngineError::syntax(format!("Variable `{name}` not defined"))
}

/// Whether `e` calls an aggregating function outside of subqueries.
pub(super) fn contains_aggregate(e: &ast::Expr) -> bool {
    let mut found = false;
    visit(e, &mut |e| {
        match &e.kind {
            ExprKind::CountStar => found = true,
            ExprKind::Function { name, .. } if AggKind::resolve(&name.name).is_some() => {
                found = true
            }
            _ => {}
        }
        !found
    });
    found
}

/// Visits `e` and its sub-expressions (not those of subqueries or
/// patterns) until `f` returns false.
pub(super) fn visit(e: &ast::Expr, f: &mut dyn FnMut(&ast::Expr) -> bool) {
    if !f(e) {
        return;
    }
    for child in children(e) {
        visit(child, f);
    }
}

/// The direct sub-expressions of `e` (not those of subqueries or patterns).
pub(super) fn children(e: &ast::Expr) -> Vec<&ast::Expr> {
    let mut out: Vec<&ast::Expr> = Vec::new();
    match &e.kind {
        ExprKind::List(items) => out.extend(items),
        ExprKind::Map(entries) => out.extend(entries.iter().map(|(_, v)| v)),
        ExprKind::Property(b, _) | ExprKind::HasLabels(b, _) | ExprKind::Unary(_, b) => out.push(b),
        ExprKind::IsNull(b, _) | ExprKind::IsType(b, _, _) | ExprKind::IsNormalized(b, _) => {
            out.push(b)
        }
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
            out.push(a);
            out.push(b);
        }
        ExprKind::Slice(a, b, c) => {
            out.push(a);
            out.extend(b.as_deref());
            out.extend(c.as_deref());
        }
        ExprKind::Function { args, .. } => out.extend(args),
        ExprKind::Case {
            operand,
            whens,
            otherwise,
        } => {
            out.extend(operand.as_deref());
            for (tests, result) in whens {
                out.extend(tests);
                out.push(result);
            }
            out.extend(otherwise.as_deref());
        }
        ExprKind::ListComprehension {
            list, filter, map, ..
        } => {
            out.push(list);
            out.extend(filter.as_deref());
            out.extend(map.as_deref());
        }
        ExprKind::Quantified {
            list, predicate, ..
        } => {
            out.push(list);
            out.extend(predicate.as_deref());
        }
        ExprKind::Reduce {
            init, list, expr, ..
        } => {
            out.push(init);
            out.push(list);
            out.push(expr);
        }
        ExprKind::MapProjection(_, items) => {
            for item in items {
                if let ast::MapProjectionItem::Literal(_, v) = item {
                    out.push(v);
                }
            }
        }
        _ => {}
    }
    out
}

/// The variable names an expression reads (an over-approximation for
/// subqueries and patterns, whose own names count too).
pub(super) fn free_vars(e: &ast::Expr) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    collect_vars(e, &mut out, &mut Vec::new());
    out
}

fn collect_vars(e: &ast::Expr, out: &mut BTreeSet<String>, locals: &mut Vec<String>) {
    let with_local =
        |name: &str, inner: &[&ast::Expr], out: &mut BTreeSet<String>, locals: &mut Vec<String>| {
            locals.push(name.to_owned());
            for x in inner {
                collect_vars(x, out, locals);
            }
            locals.pop();
        };
    match &e.kind {
        ExprKind::Variable(name) => {
            if !locals.contains(name) {
                out.insert(name.clone());
            }
        }
        ExprKind::ListComprehension {
            variable,
            list,
            filter,
            map,
        } => {
            collect_vars(list, out, locals);
            let mut inner = Vec::new();
            if let Some(f) = filter {
                inner.push(&**f);
            }
            if let Some(m) = map {
                inner.push(&**m);
            }
            with_local(&variable.name, &inner, out, locals);
        }
        ExprKind::Quantified {
            variable,
            list,
            predicate,
            ..
        } => {
            collect_vars(list, out, locals);
            let inner: Vec<&ast::Expr> = predicate.iter().map(|p| &**p).collect();
            with_local(&variable.name, &inner, out, locals);
        }
        ExprKind::Reduce {
            accumulator,
            init,
            variable,
            list,
            expr,
        } => {
            collect_vars(init, out, locals);
            collect_vars(list, out, locals);
            locals.push(accumulator.name.clone());
            with_local(&variable.name, &[expr], out, locals);
            locals.pop();
        }
        ExprKind::Subquery(_, body) => {
            // Any name the subquery mentions may come from outside.
            let text_vars = body_names(body);
            out.extend(text_vars.into_iter().filter(|n| !locals.contains(n)));
        }
        ExprKind::PatternSubquery(_, parts, predicate) => {
            for part in parts {
                pattern_names(part, out);
            }
            if let Some(p) = predicate {
                collect_vars(p, out, locals);
            }
        }
        ExprKind::Pattern(part) => pattern_names(part, out),
        ExprKind::PatternComprehension {
            pattern,
            filter,
            map,
        } => {
            pattern_names(pattern, out);
            if let Some(f) = filter {
                collect_vars(f, out, locals);
            }
            collect_vars(map, out, locals);
        }
        ExprKind::MapProjection(name, items) => {
            if !locals.contains(&name.name) {
                out.insert(name.name.clone());
            }
            for item in items {
                match item {
                    ast::MapProjectionItem::Literal(_, v) => collect_vars(v, out, locals),
                    ast::MapProjectionItem::Variable(v) => {
                        out.insert(v.name.clone());
                    }
                    _ => {}
                }
            }
        }
        _ => {
            for child in children(e) {
                collect_vars(child, out, locals);
            }
        }
    }
}

fn pattern_names(part: &ast::PatternPart, out: &mut BTreeSet<String>) {
    if let Some(v) = &part.variable {
        out.insert(v.name.clone());
    }
    for element in &part.elements {
        match element {
            ast::PathElement::Node(n) => {
                if let Some(v) = &n.variable {
                    out.insert(v.name.clone());
                }
                if let Some(p) = &n.properties {
                    out.extend(free_vars(p));
                }
                if let Some(p) = &n.predicate {
                    out.extend(free_vars(p));
                }
            }
            ast::PathElement::Relationship(r) => {
                if let Some(v) = &r.variable {
                    out.insert(v.name.clone());
                }
                if let Some(p) = &r.properties {
                    out.extend(free_vars(p));
                }
                if let Some(p) = &r.predicate {
                    out.extend(free_vars(p));
                }
            }
            ast::PathElement::Group(g) => {
                pattern_names(&g.path, out);
                if let Some(p) = &g.predicate {
                    out.extend(free_vars(p));
                }
            }
        }
    }
}

fn body_names(body: &ast::QueryBody) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for part in &body.parts {
        for clause in &part.clauses {
            clause_names(clause, &mut out);
        }
    }
    out
}

fn clause_names(clause: &ast::Clause, out: &mut BTreeSet<String>) {
    let expr = |e: &ast::Expr, out: &mut BTreeSet<String>| out.extend(free_vars(e));
    match &clause.kind {
        ast::ClauseKind::Match {
            patterns,
            predicate,
            ..
        } => {
            for p in patterns {
                pattern_names(p, out);
            }
            if let Some(p) = predicate {
                expr(p, out);
            }
        }
        ast::ClauseKind::With(p) | ast::ClauseKind::Return(p) => {
            if p.star {
                out.insert("*".to_owned());
            }
            for item in &p.items {
                expr(&item.expr, out);
            }
            for s in &p.order_by {
                expr(&s.expr, out);
            }
            if let Some(w) = &p.predicate {
                expr(w, out);
            }
        }
        ast::ClauseKind::Unwind { list, .. } => expr(list, out),
        ast::ClauseKind::Create(patterns) => patterns.iter().for_each(|p| pattern_names(p, out)),
        ast::ClauseKind::Merge { pattern, .. } => pattern_names(pattern, out),
        ast::ClauseKind::Subquery { body, scope, .. } => {
            out.extend(body_names(body));
            if let Some(scope) = scope {
                out.extend(scope.iter().map(|n| n.name.clone()));
            }
        }
        ast::ClauseKind::Delete { targets, .. } => targets.iter().for_each(|t| expr(t, out)),
        ast::ClauseKind::Set(items) => {
            for item in items {
                match item {
                    ast::SetItem::Property { target, value } => {
                        expr(target, out);
                        expr(value, out);
                    }
                    ast::SetItem::Properties {
                        variable, value, ..
                    } => {
                        out.insert(variable.name.clone());
                        expr(value, out);
                    }
                    ast::SetItem::Labels { variable, .. } => {
                        out.insert(variable.name.clone());
                    }
                }
            }
        }
        ast::ClauseKind::Procedure {
            args: Some(args), ..
        } => args.iter().for_each(|a| expr(a, out)),
        ast::ClauseKind::Foreach { list, body, .. } => {
            expr(list, out);
            for c in body {
                clause_names(c, out);
            }
        }
        _ => {}
    }
}

/// Splits `a AND b AND c` into its conjuncts.
pub(super) fn conjuncts(e: &ast::Expr) -> Vec<&ast::Expr> {
    match &e.kind {
        ExprKind::Binary(ast::BinaryOp::And, a, b) => {
            let mut out = conjuncts(a);
            out.extend(conjuncts(b));
            out
        }
        _ => vec![e],
    }
}

fn bin_op(op: ast::BinaryOp) -> BinOp {
    use ast::BinaryOp as A;
    match op {
        A::Or => BinOp::Or,
        A::Xor => BinOp::Xor,
        A::And => BinOp::And,
        A::Eq => BinOp::Eq,
        A::Neq => BinOp::Neq,
        A::Lt => BinOp::Lt,
        A::Gt => BinOp::Gt,
        A::Le => BinOp::Le,
        A::Ge => BinOp::Ge,
        A::Regex => BinOp::Regex,
        A::StartsWith => BinOp::StartsWith,
        A::EndsWith => BinOp::EndsWith,
        A::Contains => BinOp::Contains,
        A::In => BinOp::In,
        A::Add => BinOp::Add,
        A::Sub => BinOp::Sub,
        A::Concat => BinOp::Concat,
        A::Mul => BinOp::Mul,
        A::Div => BinOp::Div,
        A::Mod => BinOp::Mod,
        A::Pow => BinOp::Pow,
    }
}

/// Whether an expression is the empty placeholder the parser puts where
/// an extended simple `CASE` alternative (`WHEN < 3`) has its operand.
fn is_case_placeholder(e: &ast::Expr) -> bool {
    matches!(e.kind, ExprKind::Null) && e.span.start == e.span.end
}

impl Planner<'_> {
    /// Compiles an expression in `scope`.
    pub(super) fn expr(&mut self, e: &ast::Expr, scope: &Scope) -> Result<Expr> {
        self.compile(e, scope, &mut None, &[], None)
    }

    /// Compiles an expression where repeated sub-expressions come from slots.
    pub(super) fn expr_substituted(
        &mut self,
        e: &ast::Expr,
        scope: &Scope,
        subs: &Substitutions,
    ) -> Result<Expr> {
        self.compile(e, scope, &mut None, subs, None)
    }

    /// Compiles a projection item of an aggregating projection.
    pub(super) fn expr_aggregating(
        &mut self,
        e: &ast::Expr,
        scope: &Scope,
        aggregation: &mut Aggregation<'_>,
        subs: &Substitutions,
    ) -> Result<Expr> {
        let mut agg = Some(aggregation);
        self.compile(e, scope, &mut agg, subs, None)
    }

    fn text_of(&self, e: &ast::Expr) -> String {
        normalized(e.span.text(self.text))
    }

    fn compile(
        &mut self,
        e: &ast::Expr,
        scope: &Scope,
        agg: &mut Option<&mut Aggregation<'_>>,
        subs: &[(String, Slot)],
        placeholder: Option<Slot>,
    ) -> Result<Expr> {
        if !subs.is_empty() {
            let text = self.text_of(e);
            if let Some((_, slot)) = subs.iter().find(|(t, _)| *t == text) {
                return Ok(Expr::Slot(*slot));
            }
        }
        let c = |planner: &mut Self, x: &ast::Expr, agg: &mut Option<&mut Aggregation<'_>>| {
            planner.compile(x, scope, agg, subs, placeholder)
        };
        Ok(match &e.kind {
            ExprKind::Null if is_case_placeholder(e) => match placeholder {
                Some(slot) => Expr::Slot(slot),
                None => Expr::Const(Value::Null),
            },
            ExprKind::Null => Expr::Const(Value::Null),
            ExprKind::Bool(b) => Expr::Const(Value::Bool(*b)),
            ExprKind::Integer(i) => Expr::Const(Value::Int(*i)),
            ExprKind::Float(f) => Expr::Const(Value::Float(*f)),
            ExprKind::String(s) => Expr::Const(Value::String(s.clone())),
            ExprKind::Parameter(name) => Expr::Param(name.clone()),
            ExprKind::Variable(name) => match scope.slot(name) {
                Some(slot) => Expr::Slot(slot),
                None => return Err(undefined(name)),
            },
            ExprKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(c(self, item, agg)?);
                }
                Expr::List(out)
            }
            ExprKind::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for (key, value) in entries {
                    out.push((key.name.clone(), c(self, value, agg)?));
                }
                Expr::Map(out)
            }
            ExprKind::Property(base, key) => {
                if let ExprKind::Variable(name) = &base.kind
                    && let Some(VarKind::Literal(ty)) = scope.get(name).map(|v| v.kind)
                {
                    return Err(EngineError::type_error(format!(
                        "Type mismatch: expected Map, Node, Relationship, Point, Duration, Date, Time, \
                         LocalTime, LocalDateTime or DateTime but was {ty}"
                    )));
                }
                Expr::Property(c(self, base, agg)?.boxed(), key.name.clone())
            }
            ExprKind::Index(base, index) => {
                Expr::Index(c(self, base, agg)?.boxed(), c(self, index, agg)?.boxed())
            }
            ExprKind::Slice(base, from, to) => {
                let from = match from {
                    Some(f) => Some(c(self, f, agg)?.boxed()),
                    None => None,
                };
                let to = match to {
                    Some(t) => Some(c(self, t, agg)?.boxed()),
                    None => None,
                };
                Expr::Slice(c(self, base, agg)?.boxed(), from, to)
            }
            ExprKind::HasLabels(base, labels) => {
                let base = c(self, base, agg)?;
                Expr::HasLabels(base.boxed(), self.label_predicate(labels, scope)?)
            }
            ExprKind::Unary(op, inner) => {
                let inner = c(self, inner, agg)?;
                match op {
                    ast::UnaryOp::Not => Expr::Not(inner.boxed()),
                    ast::UnaryOp::Neg => Expr::Neg(inner.boxed()),
                    ast::UnaryOp::Plus => Expr::Binary(
                        BinOp::Add,
                        Expr::Const(Value::Int(0)).boxed(),
                        inner.boxed(),
                    ),
                }
            }
            ExprKind::Binary(op, lhs, rhs) => {
                // `a < b < c` is `a < b AND b < c`: a comparison whose left
                // operand is an unparenthesised comparison (a parenthesised
                // one keeps its `(` in its span, ahead of its own operand).
                if is_comparison(*op)
                    && let ExprKind::Binary(inner_op, first, middle) = &lhs.kind
                    && is_comparison(*inner_op)
                    && lhs.span.start == first.span.start
                {
                    let left = c(self, lhs, agg)?;
                    let middle = c(self, middle, agg)?;
                    let right = c(self, rhs, agg)?;
                    let last = Expr::Binary(bin_op(*op), middle.boxed(), right.boxed());
                    return Ok(Expr::Binary(BinOp::And, left.boxed(), last.boxed()));
                }
                let a = c(self, lhs, agg)?;
                let b = c(self, rhs, agg)?;
                Expr::Binary(bin_op(*op), a.boxed(), b.boxed())
            }
            ExprKind::IsNull(inner, negated) => {
                Expr::IsNull(c(self, inner, agg)?.boxed(), *negated)
            }
            ExprKind::IsType(inner, negated, ty) => {
                let ty = CypherType::parse(ty)?;
                Expr::IsType(c(self, inner, agg)?.boxed(), *negated, ty)
            }
            ExprKind::IsNormalized(inner, negated) => {
                let form = match self.query.normal_form(e.span) {
                    NormalForm::Nfc => "NFC",
                    NormalForm::Nfd => "NFD",
                    NormalForm::Nfkc => "NFKC",
                    NormalForm::Nfkd => "NFKD",
                };
                Expr::IsNormalized(c(self, inner, agg)?.boxed(), *negated, form.to_owned())
            }
            ExprKind::CountStar => {
                let Some(aggregation) = agg.as_deref_mut() else {
                    return Err(self.misplaced_aggregate("count(*)"));
                };
                let slot = self.slot();
                aggregation.aggregates.push((
                    slot,
                    AggSpec {
                        kind: AggKind::CountStar,
                        distinct: false,
                        arg: None,
                        percentile: None,
                    },
                ));
                Expr::Slot(slot)
            }
            ExprKind::Function {
                name,
                distinct,
                args,
            } => {
                if let Some((kind, arity)) = AggKind::resolve(&name.name) {
                    let Some(aggregation) = agg.take() else {
                        // An undefined variable in the arguments is the error to report.
                        for arg in args {
                            self.compile(arg, scope, &mut None, &[], None)?;
                        }
                        return Err(self.misplaced_aggregate(&format!("{}(...)", name.name)));
                    };
                    if args.len() != arity {
                        *agg = Some(aggregation);
                        return Err(arity_error(&name.name, args.len() < arity));
                    }
                    let inner_scope = aggregation.scope;
                    let mut none = None;
                    let arg = self.compile(&args[0], inner_scope, &mut none, &[], None)?;
                    let percentile = match args.get(1) {
                        Some(p) => Some(self.compile(p, inner_scope, &mut none, &[], None)?),
                        None => None,
                    };
                    if args.iter().any(contains_aggregate) {
                        *agg = Some(aggregation);
                        return Err(EngineError::syntax(
                            "Can't use aggregate functions inside of aggregate functions.",
                        ));
                    }
                    let slot = self.slot();
                    aggregation.aggregates.push((
                        slot,
                        AggSpec {
                            kind,
                            distinct: *distinct,
                            arg: Some(arg),
                            percentile,
                        },
                    ));
                    *agg = Some(aggregation);
                    Expr::Slot(slot)
                } else {
                    let trim = self.query.trim_mode(e.span);
                    self.function(name, args, scope, agg, subs, placeholder)
                        .map(|call| with_trim_mode(call, trim))?
                }
            }
            ExprKind::Case {
                operand,
                whens,
                otherwise,
            } => {
                let otherwise = match otherwise {
                    Some(o) => Some(c(self, o, agg)?.boxed()),
                    None => None,
                };
                match operand {
                    Some(operand) => {
                        let operand = c(self, operand, agg)?;
                        let slot = self.slot();
                        let mut compiled = Vec::new();
                        for (tests, result) in whens {
                            let result = c(self, result, agg)?;
                            let mut test: Option<Expr> = None;
                            for alternative in tests {
                                let extended = uses_placeholder(alternative);
                                let one = if extended {
                                    self.compile(alternative, scope, agg, subs, Some(slot))?
                                } else {
                                    let candidate = c(self, alternative, agg)?;
                                    Expr::Binary(
                                        BinOp::Eq,
                                        Expr::Slot(slot).boxed(),
                                        candidate.boxed(),
                                    )
                                };
                                test = Some(match test {
                                    None => one,
                                    Some(prev) => {
                                        Expr::Binary(BinOp::Or, prev.boxed(), one.boxed())
                                    }
                                });
                            }
                            if let Some(test) = test {
                                compiled.push((test, result));
                            }
                        }
                        Expr::Let(
                            slot,
                            operand.boxed(),
                            Expr::Case {
                                operand: None,
                                whens: compiled,
                                otherwise,
                            }
                            .boxed(),
                        )
                    }
                    None => {
                        let mut compiled = Vec::new();
                        for (tests, result) in whens {
                            for test in tests {
                                let test = c(self, test, agg)?;
                                let result = c(self, result, agg)?;
                                compiled.push((test, result));
                            }
                        }
                        Expr::Case {
                            operand: None,
                            whens: compiled,
                            otherwise,
                        }
                    }
                }
            }
            ExprKind::ListComprehension {
                variable,
                list,
                filter,
                map,
            } => {
                let list = c(self, list, agg)?;
                let slot = self.slot();
                let mut inner = scope.clone();
                inner.bind(&variable.name, slot, VarKind::Value);
                let filter = match filter {
                    Some(f) => Some(self.compile(f, &inner, agg, subs, placeholder)?.boxed()),
                    None => None,
                };
                let map = match map {
                    Some(m) => Some(self.compile(m, &inner, agg, subs, placeholder)?.boxed()),
                    None => None,
                };
                Expr::ListComprehension {
                    slot,
                    list: list.boxed(),
                    filter,
                    map,
                }
            }
            ExprKind::Quantified {
                kind,
                variable,
                list,
                predicate,
            } => {
                let list = c(self, list, agg)?;
                let slot = self.slot();
                let mut inner = scope.clone();
                inner.bind(&variable.name, slot, VarKind::Value);
                let predicate = match predicate {
                    Some(p) => self.compile(p, &inner, agg, subs, placeholder)?,
                    None => {
                        return Err(EngineError::syntax(format!(
                            "{}(...) requires a WHERE predicate",
                            e.span.text(self.text).split('(').next().unwrap_or("all")
                        )));
                    }
                };
                Expr::Quantified {
                    kind: match kind {
                        ast::Quantified::All => Quantifier::All,
                        ast::Quantified::Any => Quantifier::Any,
                        ast::Quantified::None => Quantifier::None,
                        ast::Quantified::Single => Quantifier::Single,
                    },
                    slot,
                    list: list.boxed(),
                    predicate: predicate.boxed(),
                }
            }
            ExprKind::Reduce {
                accumulator,
                init,
                variable,
                list,
                expr,
            } => {
                let init = c(self, init, agg)?;
                let list = c(self, list, agg)?;
                let acc_slot = self.slot();
                let slot = self.slot();
                let mut inner = scope.clone();
                inner.bind(&accumulator.name, acc_slot, VarKind::Value);
                inner.bind(&variable.name, slot, VarKind::Value);
                let body = self.compile(expr, &inner, agg, subs, placeholder)?;
                Expr::Reduce {
                    accumulator: acc_slot,
                    init: init.boxed(),
                    slot,
                    list: list.boxed(),
                    expr: body.boxed(),
                }
            }
            ExprKind::Subquery(kind, body) => {
                let (plan, columns) = self.subquery_plan(body, scope)?;
                let (mode, column) = match kind {
                    ast::SubqueryKind::Exists => (SubqueryMode::Exists, None),
                    ast::SubqueryKind::Count => (SubqueryMode::Count, None),
                    ast::SubqueryKind::Collect => {
                        if columns.len() != 1 {
                            return Err(EngineError::syntax(
                                "A Collect Expression must end with a single return column.",
                            ));
                        }
                        (SubqueryMode::Collect, columns.first().map(|(_, s)| *s))
                    }
                };
                Expr::Subquery {
                    mode,
                    plan: Arc::new(plan),
                    column,
                }
            }
            ExprKind::PatternSubquery(kind, patterns, predicate) => {
                let plan = self.pattern_plan(patterns, predicate.as_deref(), scope)?;
                Expr::Subquery {
                    mode: match kind {
                        ast::SubqueryKind::Count => SubqueryMode::Count,
                        _ => SubqueryMode::Exists,
                    },
                    plan: Arc::new(plan),
                    column: None,
                }
            }
            ExprKind::Pattern(part) => {
                let plan = self.pattern_plan(std::slice::from_ref(part.as_ref()), None, scope)?;
                Expr::Subquery {
                    mode: SubqueryMode::Exists,
                    plan: Arc::new(plan),
                    column: None,
                }
            }
            ExprKind::PatternComprehension {
                pattern,
                filter,
                map,
            } => {
                let (plan, inner_scope) = self.pattern_plan_scoped(
                    std::slice::from_ref(pattern.as_ref()),
                    filter.as_deref(),
                    scope,
                )?;
                let value = self.expr(map, &inner_scope)?;
                let slot = self.slot();
                let plan = super::Plan::Project {
                    input: plan.boxed(),
                    items: vec![(slot, value)],
                };
                Expr::Subquery {
                    mode: SubqueryMode::Collect,
                    plan: Arc::new(plan),
                    column: Some(slot),
                }
            }
            ExprKind::MapProjection(name, items) => {
                let base = match scope.slot(&name.name) {
                    Some(slot) => Expr::Slot(slot),
                    None => return Err(undefined(&name.name)),
                };
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(match item {
                        ast::MapProjectionItem::Property(key) => {
                            MapItem::Property(key.name.clone())
                        }
                        ast::MapProjectionItem::AllProperties => MapItem::All,
                        ast::MapProjectionItem::Literal(key, value) => {
                            MapItem::Entry(key.name.clone(), c(self, value, agg)?)
                        }
                        ast::MapProjectionItem::Variable(v) => match scope.slot(&v.name) {
                            Some(slot) => MapItem::Entry(v.name.clone(), Expr::Slot(slot)),
                            None => return Err(undefined(&v.name)),
                        },
                    });
                }
                Expr::MapProjection(base.boxed(), out)
            }
        })
    }

    fn misplaced_aggregate(&self, what: &str) -> EngineError {
        EngineError::syntax(format!(
            "Invalid use of aggregating function {what} in this context"
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn function(
        &mut self,
        name: &ast::Name,
        args: &[ast::Expr],
        scope: &Scope,
        agg: &mut Option<&mut Aggregation<'_>>,
        subs: &[(String, Slot)],
        placeholder: Option<Slot>,
    ) -> Result<Expr> {
        let lower = name.name.to_ascii_lowercase();
        // `size(pattern)` counts the pattern's matches.
        if (lower == "size" || lower == "length")
            && args.len() == 1
            && let ExprKind::Pattern(part) = &args[0].kind
        {
            let plan = self.pattern_plan(std::slice::from_ref(part.as_ref()), None, scope)?;
            return Ok(Expr::Subquery {
                mode: SubqueryMode::Count,
                plan: Arc::new(plan),
                column: None,
            });
        }
        if lower == "exists" && args.len() == 1 && matches!(args[0].kind, ExprKind::Pattern(_)) {
            return self.compile(&args[0], scope, agg, subs, placeholder);
        }
        // `linenumber()` and `file()`: the line and the URL of the row the
        // innermost `LOAD CSV` read (null outside one).
        if (lower == "linenumber" || lower == "file") && args.is_empty() {
            return Ok(match scope.slot(&format!(" load csv {lower}")) {
                Some(slot) => Expr::Slot(slot),
                None => Expr::Const(Value::Null),
            });
        }
        let Some((function, min, max)) = Function::resolve(&name.name) else {
            if self.ctx.procedures.get(&name.name).is_some() {
                return Err(EngineError::syntax(format!(
                    "Unknown function '{}'. `{}` is a procedure: call it with CALL",
                    name.name, name.name
                )));
            }
            return Err(EngineError::syntax(format!(
                "Unknown function '{}'",
                name.name
            )));
        };
        if args.len() < min || args.len() > max {
            return Err(arity_error(&name.name, args.len() < min));
        }
        let mut compiled = Vec::with_capacity(args.len());
        for (i, arg) in args.iter().enumerate() {
            // `normalize(s, NFKC)`: the form is a bare word.
            if function == Function::Normalize
                && i == 1
                && let ExprKind::Variable(form) = &arg.kind
                && !scope.contains(form)
            {
                compiled.push(Expr::Const(Value::String(form.clone())));
                continue;
            }
            compiled.push(self.compile(arg, scope, agg, subs, placeholder)?);
        }
        Ok(Expr::Call(function, compiled))
    }

    /// A label (or type) expression as a predicate.
    pub(super) fn label_predicate(
        &mut self,
        labels: &ast::LabelExpr,
        scope: &Scope,
    ) -> Result<LabelPredicate> {
        Ok(match labels {
            ast::LabelExpr::Name(name) => LabelPredicate::Name(name.name.clone()),
            ast::LabelExpr::Wildcard(_) => LabelPredicate::Any,
            ast::LabelExpr::Dynamic { expr, any } => LabelPredicate::Dynamic {
                expr: self.expr(expr, scope)?.boxed(),
                any: *any,
            },
            ast::LabelExpr::Not(inner) => {
                LabelPredicate::Not(Box::new(self.label_predicate(inner, scope)?))
            }
            ast::LabelExpr::And(items) => LabelPredicate::And(
                items
                    .iter()
                    .map(|i| self.label_predicate(i, scope))
                    .collect::<Result<_>>()?,
            ),
            ast::LabelExpr::Or(items) => LabelPredicate::Or(
                items
                    .iter()
                    .map(|i| self.label_predicate(i, scope))
                    .collect::<Result<_>>()?,
            ),
        })
    }
}

fn is_comparison(op: ast::BinaryOp) -> bool {
    use ast::BinaryOp as A;
    matches!(op, A::Eq | A::Neq | A::Lt | A::Gt | A::Le | A::Ge)
}

fn arity_error(name: &str, too_few: bool) -> EngineError {
    if too_few {
        EngineError::syntax(format!("Insufficient parameters for function '{name}'"))
    } else {
        EngineError::syntax(format!("Too many parameters for function '{name}'"))
    }
}

fn uses_placeholder(e: &ast::Expr) -> bool {
    let mut found = false;
    visit(e, &mut |x| {
        if is_case_placeholder(x) {
            found = true;
        }
        !found
    });
    found
}

/// `trim(LEADING|TRAILING [chars] FROM s)` as `ltrim(s[, chars])` or
/// `rtrim(s[, chars])`.
fn with_trim_mode(call: Expr, mode: TrimMode) -> Expr {
    let function = match mode {
        TrimMode::Both => return call,
        TrimMode::Leading => Function::LTrim,
        TrimMode::Trailing => Function::RTrim,
    };
    match call {
        Expr::Call(Function::Trim, mut args) => {
            // `trim(… chars FROM s)` has the characters first.
            args.reverse();
            Expr::Call(function, args)
        }
        other => other,
    }
}
