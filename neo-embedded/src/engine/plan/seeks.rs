//! Index seeks for a pattern's start node: property equalities (inline maps
//! or `WHERE n.p = x`), `IN` lists, ranges and `STARTS WITH`, on range and
//! text indexes. The predicates stay in the plan, so a seek only narrows
//! what is read.

use neo_cypher::ast::{self, BinaryOp, ExprKind, LabelExpr};

use super::builder::Planner;
use super::expressions::free_vars;
use super::scope::Scope;
use crate::engine::error::Result;
use crate::engine::expr::{Expr, Slot};
use crate::engine::schema::{EntityKind, IndexDef, IndexKind, IndexSeek, SeekKind};

/// A seek the planner may use, with the expressions it reads.
pub(super) enum SeekPlan<'q> {
    Exact(IndexDef, Vec<&'q ast::Expr>),
    In(IndexDef, &'q ast::Expr),
    Range(
        IndexDef,
        Option<(&'q ast::Expr, bool)>,
        Option<(&'q ast::Expr, bool)>,
    ),
    Prefix(IndexDef, &'q ast::Expr),
}

/// `var.key`'s key, when `e` is a property of `var`.
fn property_of<'q>(e: &'q ast::Expr, var: &str) -> Option<&'q str> {
    match &e.kind {
        ExprKind::Property(base, key) => match &base.kind {
            ExprKind::Variable(v) if v == var => Some(key.name.as_str()),
            _ => None,
        },
        _ => None,
    }
}

impl Planner<'_> {
    /// Compiles an expression that may read only parameters and literals.
    pub(crate) fn compile_constant(&mut self, e: &ast::Expr, scope: &Scope) -> Result<Expr> {
        self.expr(e, scope)
    }

    /// The best index seek for a start node, if an index fits.
    pub(super) fn index_candidate<'q>(
        &self,
        node: &'q ast::NodePattern,
        scope: &Scope,
        pending: &[&'q ast::Expr],
    ) -> Option<(String, SeekPlan<'q>)> {
        let var = node.variable.as_ref().map(|v| v.name.as_str());
        let labels: Vec<&str> = match &node.labels {
            Some(LabelExpr::Name(n)) => vec![n.name.as_str()],
            Some(LabelExpr::And(items)) => items
                .iter()
                .filter_map(|i| match i {
                    LabelExpr::Name(n) => Some(n.name.as_str()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        // A value may read variables bound before the pattern only.
        let usable = |e: &ast::Expr| {
            free_vars(e)
                .iter()
                .all(|v| Some(v.as_str()) != var && scope.contains(v))
        };
        // Equalities: inline properties and `var.p = e`.
        let mut equal: Vec<(&str, &'q ast::Expr)> = Vec::new();
        if let Some(ast::Expr {
            kind: ExprKind::Map(entries),
            ..
        }) = &node.properties
        {
            for (key, value) in entries {
                if usable(value) {
                    equal.push((key.name.as_str(), value));
                }
            }
        }
        let mut ins: Vec<(&str, &'q ast::Expr)> = Vec::new();
        let mut lower: Vec<(&str, &'q ast::Expr, bool)> = Vec::new();
        let mut upper: Vec<(&str, &'q ast::Expr, bool)> = Vec::new();
        let mut prefixes: Vec<(&str, &'q ast::Expr)> = Vec::new();
        if let Some(var) = var {
            for p in pending {
                let ExprKind::Binary(op, a, b) = &p.kind else {
                    continue;
                };
                let (prop, value, flipped) = match (property_of(a, var), property_of(b, var)) {
                    (Some(k), None) => (k, &**b, false),
                    (None, Some(k)) => (k, &**a, true),
                    _ => continue,
                };
                if !usable(value) {
                    continue;
                }
                match (op, flipped) {
                    (BinaryOp::Eq, _) => equal.push((prop, value)),
                    (BinaryOp::In, false) => ins.push((prop, value)),
                    (BinaryOp::Gt, false) | (BinaryOp::Lt, true) => {
                        lower.push((prop, value, false))
                    }
                    (BinaryOp::Ge, false) | (BinaryOp::Le, true) => lower.push((prop, value, true)),
                    (BinaryOp::Lt, false) | (BinaryOp::Gt, true) => {
                        upper.push((prop, value, false))
                    }
                    (BinaryOp::Le, false) | (BinaryOp::Ge, true) => upper.push((prop, value, true)),
                    (BinaryOp::StartsWith, false) => prefixes.push((prop, value)),
                    _ => {}
                }
            }
        }
        let catalog = self.ctx.catalog;
        for label in labels {
            for index in catalog.indexes_on(EntityKind::Node, label) {
                if !matches!(index.kind, IndexKind::Range | IndexKind::Text) {
                    continue;
                }
                let values: Option<Vec<&'q ast::Expr>> = index
                    .properties
                    .iter()
                    .map(|p| {
                        equal
                            .iter()
                            .find(|(k, _)| *k == p.as_str())
                            .map(|(_, v)| *v)
                    })
                    .collect();
                if let Some(values) = values {
                    // A text index holds strings only: it answers equality
                    // with a string (a parameter's value is known here).
                    let text_ok = index.kind != IndexKind::Text
                        || values.iter().all(|v| match &v.kind {
                            ExprKind::String(_) => true,
                            ExprKind::Parameter(name) => matches!(
                                self.ctx.params.get(name),
                                Some(crate::engine::value::Value::String(_))
                            ),
                            _ => false,
                        });
                    if text_ok {
                        return Some((label.to_owned(), SeekPlan::Exact(index.clone(), values)));
                    }
                }
                if index.properties.len() != 1 {
                    continue;
                }
                let prop = index.properties[0].as_str();
                if index.kind == IndexKind::Range
                    && let Some((_, list)) = ins.iter().find(|(k, _)| *k == prop)
                {
                    return Some((label.to_owned(), SeekPlan::In(index.clone(), list)));
                }
                if let Some((_, prefix)) = prefixes.iter().find(|(k, _)| *k == prop) {
                    return Some((label.to_owned(), SeekPlan::Prefix(index.clone(), prefix)));
                }
                if index.kind == IndexKind::Range {
                    let lo = lower
                        .iter()
                        .find(|(k, _, _)| *k == prop)
                        .map(|(_, v, inc)| (*v, *inc));
                    let hi = upper
                        .iter()
                        .find(|(k, _, _)| *k == prop)
                        .map(|(_, v, inc)| (*v, *inc));
                    if lo.is_some() || hi.is_some() {
                        return Some((label.to_owned(), SeekPlan::Range(index.clone(), lo, hi)));
                    }
                }
            }
        }
        None
    }

    /// Compiles a chosen seek.
    pub(super) fn build_seek(
        &mut self,
        seek: SeekPlan<'_>,
        _slot: Slot,
        scope: &Scope,
    ) -> Result<IndexSeek> {
        Ok(match seek {
            SeekPlan::Exact(index, values) => {
                let mut exprs = Vec::new();
                for v in values {
                    exprs.push(self.expr(v, scope)?);
                }
                IndexSeek {
                    index,
                    kind: SeekKind::Exact(exprs),
                }
            }
            SeekPlan::In(index, list) => IndexSeek {
                index,
                kind: SeekKind::In(self.expr(list, scope)?),
            },
            SeekPlan::Prefix(index, prefix) => IndexSeek {
                index,
                kind: SeekKind::Prefix(self.expr(prefix, scope)?),
            },
            SeekPlan::Range(index, lo, hi) => {
                let lower = match lo {
                    Some((e, inclusive)) => Some((self.expr(e, scope)?, inclusive)),
                    None => None,
                };
                let upper = match hi {
                    Some((e, inclusive)) => Some((self.expr(e, scope)?, inclusive)),
                    None => None,
                };
                IndexSeek {
                    index,
                    kind: SeekKind::Range { lower, upper },
                }
            }
        })
    }
}
