//! Aggregation rules: where aggregating functions may appear, nesting,
//! and the implicit grouping keys Neo4j refuses.

use super::functions::{self, Resolved};
use super::{Analyzer, Check, fail};
use crate::ErrorDetail;
use crate::ast::{Expr, ExprKind, MapProjectionItem, ProjectionItem};

/// Where an expression is, as far as aggregation is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Agg {
    /// A `WITH`/`RETURN` item, or the `ORDER BY` of an aggregating one.
    Allowed,
    /// Anywhere else (`WHERE`, patterns, updates, `UNWIND`, …).
    Forbidden,
    /// Inside an aggregating function's argument.
    Inside,
    /// Inside a comprehension or quantifier of a projection item.
    OverList,
    /// The `ORDER BY` of a projection that does not aggregate.
    OrderBy(&'static str),
    /// A procedure argument.
    ProcedureArgument,
}

/// The context of an expression: aggregation, and whether a boolean is
/// expected (where a pattern may stand as a predicate).
#[derive(Debug, Clone, Copy)]
pub(super) struct Ctx {
    pub(super) agg: Agg,
    pub(super) boolean: bool,
}

impl Ctx {
    /// A value where aggregation is not allowed.
    pub(super) const VALUE: Ctx = Ctx {
        agg: Agg::Forbidden,
        boolean: false,
    };
    /// A predicate where aggregation is not allowed.
    pub(super) const PREDICATE: Ctx = Ctx {
        agg: Agg::Forbidden,
        boolean: true,
    };

    /// The context of an operand that is a value.
    pub(super) fn value(self) -> Ctx {
        Ctx {
            boolean: false,
            ..self
        }
    }

    /// The context of an operand that is a predicate.
    pub(super) fn predicate(self) -> Ctx {
        Ctx {
            boolean: true,
            ..self
        }
    }

    /// The context inside an expression evaluated once per list element.
    pub(super) fn over_list(self) -> Ctx {
        Ctx {
            agg: match self.agg {
                Agg::Allowed => Agg::OverList,
                other => other,
            },
            ..self
        }
    }
}

impl<'a> Analyzer<'a> {
    /// Checks that an aggregating function (`what`, e.g. `count(...)`) may
    /// be called in `ctx`.
    pub(super) fn check_aggregation_allowed(&self, expr: &Expr, what: &str, ctx: Ctx) -> Check {
        let message = match ctx.agg {
            Agg::Allowed => return Ok(()),
            Agg::Inside => {
                return fail(
                    expr.span,
                    ErrorDetail::NestedAggregation,
                    "Can't use aggregate functions inside of aggregate functions.",
                );
            }
            Agg::Forbidden => format!("Invalid use of aggregating function {what} in this context"),
            Agg::OverList => {
                "Can't use aggregating expressions inside of expressions executing over lists"
                    .to_owned()
            }
            Agg::OrderBy(clause) => format!(
                "Cannot use aggregation in ORDER BY if there are no aggregate expressions in the preceding {clause}"
            ),
            Agg::ProcedureArgument => "Procedure call cannot take an aggregating function as argument, please add a 'WITH' to your statement.".to_owned(),
        };
        fail(expr.span, ErrorDetail::InvalidAggregation, message)
    }

    /// Refuses an aggregation expression whose other parts are not grouping
    /// keys: outside aggregating calls, only literals, parameters, variables
    /// that are items on their own and `v.key` properties that are items on
    /// their own may appear. `aliases` are column names that may also be
    /// referred to (in `ORDER BY`).
    pub(super) fn check_implicit_grouping(
        &self,
        expr: &'a Expr,
        items: &'a [ProjectionItem],
        aliases: &[&str],
    ) -> Check {
        let keys = GroupingKeys::of(items);
        let mut illegal: Vec<&'a str> = Vec::new();
        let mut introduced: Vec<&'a str> = Vec::new();
        implicit_keys(expr, &keys, aliases, &mut introduced, &mut illegal);
        if illegal.is_empty() {
            return Ok(());
        }
        let mut names: Vec<&str> = Vec::with_capacity(illegal.len());
        for name in illegal {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        fail(
            expr.span,
            ErrorDetail::AmbiguousAggregationExpression,
            format!(
                "Aggregation column contains implicit grouping expressions. For example, in 'RETURN n.a, n.a + n.b + count(*)' the aggregation expression 'n.a + n.b + count(*)' includes the implicit grouping key 'n.b'. It may be possible to rewrite the query by extracting these grouping/aggregation expressions into a preceding WITH clause. Illegal expression(s): {}",
                names.join(", ")
            ),
        )
    }
}

/// The items of a projection that are grouping keys usable inside an
/// aggregation expression.
struct GroupingKeys<'a> {
    variables: Vec<&'a str>,
    properties: Vec<(&'a str, &'a str)>,
}

impl<'a> GroupingKeys<'a> {
    fn of(items: &'a [ProjectionItem]) -> Self {
        let mut keys = GroupingKeys {
            variables: Vec::new(),
            properties: Vec::new(),
        };
        for item in items {
            match &item.expr.kind {
                ExprKind::Variable(name) => keys.variables.push(name),
                ExprKind::Property(base, key) => {
                    if let ExprKind::Variable(name) = &base.kind {
                        keys.properties.push((name, &key.name));
                    }
                }
                _ => {}
            }
        }
        keys
    }
}

/// Collects the variables of `expr` that are neither grouping keys nor
/// inside an aggregating call. Subqueries, patterns and functions that may
/// be user-defined aggregations are not looked into.
fn implicit_keys<'a>(
    expr: &'a Expr,
    keys: &GroupingKeys<'a>,
    aliases: &[&str],
    introduced: &mut Vec<&'a str>,
    illegal: &mut Vec<&'a str>,
) {
    match &expr.kind {
        ExprKind::CountStar => {}
        ExprKind::Function { name, .. } => match functions::resolve(&name.name) {
            Resolved::Builtin(function) if function.aggregate => {}
            Resolved::Builtin(_) => {
                for_each_child(expr, |child| {
                    implicit_keys(child, keys, aliases, introduced, illegal)
                });
            }
            Resolved::UserDefined | Resolved::Unknown => {}
        },
        ExprKind::Variable(name) => {
            let known = keys.variables.contains(&name.as_str())
                || introduced.contains(&name.as_str())
                || aliases.contains(&name.as_str());
            if !known {
                illegal.push(name);
            }
        }
        ExprKind::Property(base, key) => {
            if let ExprKind::Variable(name) = &base.kind
                && keys
                    .properties
                    .contains(&(name.as_str(), key.name.as_str()))
            {
                return;
            }
            implicit_keys(base, keys, aliases, introduced, illegal);
        }
        ExprKind::MapProjection(name, entries) => {
            implicit_keys_name(&name.name, keys, aliases, introduced, illegal);
            for entry in entries {
                match entry {
                    MapProjectionItem::Literal(_, value) => {
                        implicit_keys(value, keys, aliases, introduced, illegal)
                    }
                    MapProjectionItem::Variable(variable) => {
                        implicit_keys_name(&variable.name, keys, aliases, introduced, illegal)
                    }
                    MapProjectionItem::Property(_) | MapProjectionItem::AllProperties => {}
                }
            }
        }
        ExprKind::ListComprehension {
            variable,
            list,
            filter,
            map,
        } => {
            implicit_keys(list, keys, aliases, introduced, illegal);
            introduced.push(&variable.name);
            for inner in [filter, map].into_iter().flatten() {
                implicit_keys(inner, keys, aliases, introduced, illegal);
            }
            introduced.pop();
        }
        ExprKind::Quantified {
            variable,
            list,
            predicate,
            ..
        } => {
            implicit_keys(list, keys, aliases, introduced, illegal);
            introduced.push(&variable.name);
            if let Some(predicate) = predicate {
                implicit_keys(predicate, keys, aliases, introduced, illegal);
            }
            introduced.pop();
        }
        ExprKind::Reduce {
            accumulator,
            init,
            variable,
            list,
            expr: step,
        } => {
            implicit_keys(init, keys, aliases, introduced, illegal);
            implicit_keys(list, keys, aliases, introduced, illegal);
            introduced.push(&accumulator.name);
            introduced.push(&variable.name);
            implicit_keys(step, keys, aliases, introduced, illegal);
            introduced.truncate(introduced.len() - 2);
        }
        ExprKind::Subquery(..)
        | ExprKind::PatternSubquery(..)
        | ExprKind::Pattern(_)
        | ExprKind::PatternComprehension { .. } => {}
        _ => for_each_child(expr, |child| {
            implicit_keys(child, keys, aliases, introduced, illegal)
        }),
    }
}

fn implicit_keys_name<'a>(
    name: &'a str,
    keys: &GroupingKeys<'a>,
    aliases: &[&str],
    introduced: &[&'a str],
    illegal: &mut Vec<&'a str>,
) {
    if !(keys.variables.contains(&name) || introduced.contains(&name) || aliases.contains(&name)) {
        illegal.push(name);
    }
}

/// True when `expr` calls an aggregating function outside any subquery.
pub(super) fn contains_aggregate(expr: &Expr) -> bool {
    let mut stack = vec![expr];
    while let Some(expr) = stack.pop() {
        match &expr.kind {
            ExprKind::CountStar => return true,
            ExprKind::Function { name, .. } => {
                if let Resolved::Builtin(function) = functions::resolve(&name.name)
                    && function.aggregate
                {
                    return true;
                }
            }
            ExprKind::Subquery(..) | ExprKind::PatternSubquery(..) => continue,
            _ => {}
        }
        for_each_child(expr, |child| stack.push(child));
    }
    false
}

/// Calls `f` on each sub-expression written directly in `expr` (not those
/// inside patterns or subqueries).
pub(super) fn for_each_child<'a>(expr: &'a Expr, mut f: impl FnMut(&'a Expr)) {
    match &expr.kind {
        ExprKind::Null
        | ExprKind::Bool(_)
        | ExprKind::Integer(_)
        | ExprKind::Float(_)
        | ExprKind::String(_)
        | ExprKind::Parameter(_)
        | ExprKind::Variable(_)
        | ExprKind::CountStar
        | ExprKind::Subquery(..)
        | ExprKind::PatternSubquery(..)
        | ExprKind::Pattern(_) => {}
        ExprKind::List(items) => items.iter().for_each(f),
        ExprKind::Map(entries) => entries.iter().for_each(|(_, value)| f(value)),
        ExprKind::Property(base, _) => f(base),
        ExprKind::Index(base, index) => {
            f(base);
            f(index);
        }
        ExprKind::Slice(base, from, to) => {
            f(base);
            for bound in [from, to].into_iter().flatten() {
                f(bound);
            }
        }
        ExprKind::HasLabels(base, _)
        | ExprKind::Unary(_, base)
        | ExprKind::IsNull(base, _)
        | ExprKind::IsType(base, _, _)
        | ExprKind::IsNormalized(base, _) => f(base),
        ExprKind::Binary(_, lhs, rhs) => {
            f(lhs);
            f(rhs);
        }
        ExprKind::Function { args, .. } => args.iter().for_each(f),
        ExprKind::Case {
            operand,
            whens,
            otherwise,
        } => {
            if let Some(operand) = operand {
                f(operand);
            }
            for (alternatives, result) in whens {
                alternatives.iter().for_each(&mut f);
                f(result);
            }
            if let Some(otherwise) = otherwise {
                f(otherwise);
            }
        }
        ExprKind::ListComprehension {
            list, filter, map, ..
        } => {
            f(list);
            for inner in [filter, map].into_iter().flatten() {
                f(inner);
            }
        }
        ExprKind::PatternComprehension { filter, map, .. } => {
            if let Some(filter) = filter {
                f(filter);
            }
            f(map);
        }
        ExprKind::Quantified {
            list, predicate, ..
        } => {
            f(list);
            if let Some(predicate) = predicate {
                f(predicate);
            }
        }
        ExprKind::Reduce {
            init,
            list,
            expr: step,
            ..
        } => {
            f(init);
            f(list);
            f(step);
        }
        ExprKind::MapProjection(_, entries) => {
            for entry in entries {
                if let MapProjectionItem::Literal(_, value) = entry {
                    f(value);
                }
            }
        }
    }
}
