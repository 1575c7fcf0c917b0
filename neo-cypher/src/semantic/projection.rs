//! `WITH` and `RETURN`: the scope they project, what their `ORDER BY` and
//! `WHERE` see, aggregation, aliases, and constant `SKIP`/`LIMIT`.

use super::aggregation::{Agg, Ctx, contains_aggregate};
use super::scope::{Frame, Var};
use super::types::Ty;
use super::{Analyzer, Check, fail};
use crate::ErrorDetail;
use crate::Span;
use crate::ast::{Expr, ExprKind, Projection, UnaryOp};

impl<'a> Analyzer<'a> {
    /// A `WITH` (`is_with`) or `RETURN` clause at `span`.
    pub(super) fn projection(
        &mut self,
        projection: &'a Projection,
        span: Span,
        is_with: bool,
    ) -> Check {
        let clause = if is_with { "WITH" } else { "RETURN" };
        let before: Vec<Var<'a>> = self.scopes.visible();
        let open = self.scopes.is_open();
        if projection.star && !is_with && !open && self.scopes.visible().is_empty() {
            return fail(
                span,
                ErrorDetail::NoVariablesInScope,
                "RETURN * is not allowed when there are no variables in scope",
            );
        }

        // The items, evaluated in the incoming scope.
        let mut projected: Vec<Var<'a>> = if projection.star {
            before.clone()
        } else {
            Vec::new()
        };
        let mut item_types = Vec::with_capacity(projection.items.len());
        let item_ctx = Ctx {
            agg: Agg::Allowed,
            boolean: false,
        };
        for item in &projection.items {
            let ty = self.expr(&item.expr, item_ctx)?;
            item_types.push(ty);
            let (name, span): (&'a str, Span) = match (&item.alias, &item.expr.kind) {
                (Some(alias), _) => (&alias.name, alias.span),
                (None, ExprKind::Variable(name)) => (name, item.expr.span),
                (None, _) => (&item.column, item.expr.span),
            };
            projected.retain(|v| v.name != name);
            projected.push(Var { name, ty, span });
        }
        let aggregating = projection.items.iter().any(|i| contains_aggregate(&i.expr));

        // ORDER BY and WHERE: after DISTINCT or an aggregation they see
        // the projected columns only (an expression repeating an item
        // stands for it); otherwise the incoming variables too.
        let restricted = aggregating || projection.distinct;
        if !projection.order_by.is_empty() || projection.predicate.is_some() {
            let visible = if restricted {
                self.projected = projection
                    .items
                    .iter()
                    .map(|i| &i.expr)
                    .zip(item_types.iter().copied())
                    .collect();
                self.hidden = before
                    .iter()
                    .map(|v| v.name)
                    .filter(|name| !projected.iter().any(|p| p.name == *name))
                    .collect();
                projected.clone()
            } else {
                let mut both = before.clone();
                for var in &projected {
                    both.retain(|v| v.name != var.name);
                    both.push(*var);
                }
                both
            };
            let saved = std::mem::replace(&mut self.scopes.top().vars, visible);
            let order_ctx = Ctx {
                agg: if aggregating {
                    Agg::Allowed
                } else {
                    Agg::OrderBy(clause)
                },
                boolean: false,
            };
            let result = (|| -> Check {
                for sort in &projection.order_by {
                    self.expr(&sort.expr, order_ctx)?;
                }
                if let Some(predicate) = &projection.predicate {
                    self.predicate(predicate, Ctx::PREDICATE)?;
                }
                Ok(())
            })();
            self.scopes.top().vars = saved;
            self.projected.clear();
            self.hidden.clear();
            result?;
            if aggregating {
                let aliases: Vec<&str> = projected.iter().map(|v| v.name).collect();
                for sort in &projection.order_by {
                    if contains_aggregate(&sort.expr) {
                        self.check_implicit_grouping(&sort.expr, &projection.items, &aliases)?;
                    }
                }
            }
        }
        self.paging(projection)?;

        if aggregating {
            for item in &projection.items {
                if contains_aggregate(&item.expr) {
                    self.check_implicit_grouping(&item.expr, &projection.items, &[])?;
                }
            }
        }
        if is_with {
            for item in &projection.items {
                if item.alias.is_none() && !matches!(item.expr.kind, ExprKind::Variable(_)) {
                    return fail(
                        item.expr.span,
                        ErrorDetail::NoExpressionAlias,
                        "Expression in WITH must be aliased (use AS)",
                    );
                }
            }
        }

        let top = self.scopes.top();
        top.vars = projected;
        top.open = projection.star && open;
        Ok(())
    }

    /// `SKIP` and `LIMIT`: constant, non-negative integers.
    pub(super) fn paging(&mut self, projection: &'a Projection) -> Check {
        for (bound, keyword) in [(&projection.skip, "SKIP"), (&projection.limit, "LIMIT")] {
            if let Some(bound) = bound {
                self.constant_count(bound, keyword)?;
            }
        }
        Ok(())
    }

    fn constant_count(&mut self, expr: &'a Expr, keyword: &str) -> Check {
        self.scopes.push(Frame::default());
        let saved = std::mem::take(&mut self.projected);
        let result = self.expr(expr, Ctx::VALUE);
        self.projected = saved;
        self.scopes.pop();
        let ty = match result {
            Ok(ty) => ty,
            Err(failure) if failure.detail() == ErrorDetail::UndefinedVariable => {
                return fail(
                    failure.span(),
                    ErrorDetail::NonConstantExpression,
                    format!("It is not allowed to refer to variables in {keyword}"),
                );
            }
            Err(failure) => return Err(failure),
        };
        if !ty.meets(Ty::INTEGER) {
            return fail(
                expr.span,
                ErrorDetail::InvalidArgumentType,
                format!(
                    "Type mismatch: expected Integer but was {} in {keyword}",
                    ty.describe()
                ),
            );
        }
        let negative = match &expr.kind {
            ExprKind::Integer(value) => *value < 0,
            ExprKind::Unary(UnaryOp::Neg, operand) => {
                matches!(operand.kind, ExprKind::Integer(value) if value > 0)
            }
            _ => false,
        };
        if negative {
            return fail(
                expr.span,
                ErrorDetail::NegativeIntegerArgument,
                format!(
                    "Invalid input. '{}' is not a valid value. Must be a non-negative integer.",
                    render_integer(expr)
                ),
            );
        }
        Ok(())
    }
}

fn render_integer(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Integer(value) => value.to_string(),
        ExprKind::Unary(UnaryOp::Neg, operand) => match operand.kind {
            ExprKind::Integer(value) => format!("-{value}"),
            _ => String::new(),
        },
        _ => String::new(),
    }
}
