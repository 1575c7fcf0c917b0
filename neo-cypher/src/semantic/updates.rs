//! Updating clauses: `SET`, `REMOVE`, `DELETE`, `FOREACH` (`CREATE` and
//! `MERGE` patterns are in `patterns`).

use super::aggregation::Ctx;
use super::expressions::mismatch;
use super::scope::{Frame, Var};
use super::types::Ty;
use super::{Analyzer, Check, fail};
use crate::ErrorDetail;
use crate::ast::{Clause, ClauseKind, Expr, ExprKind, Name, RemoveItem, SetItem};

impl<'a> Analyzer<'a> {
    pub(super) fn set_items(&mut self, items: &'a [SetItem]) -> Check {
        for item in items {
            match item {
                SetItem::Property { target, value } => {
                    self.expr(target, Ctx::VALUE)?;
                    self.expr(value, Ctx::VALUE)?;
                }
                SetItem::Properties {
                    variable, value, ..
                } => {
                    self.entity(variable)?;
                    self.expr(value, Ctx::VALUE)?;
                }
                SetItem::Labels { variable, labels } => {
                    self.entity(variable)?;
                    for label in labels {
                        self.label_expr(label)?;
                    }
                }
            }
        }
        Ok(())
    }

    pub(super) fn remove_items(&mut self, items: &'a [RemoveItem]) -> Check {
        for item in items {
            match item {
                RemoveItem::Property(target) => {
                    self.expr(target, Ctx::VALUE)?;
                }
                RemoveItem::Labels { variable, labels } => {
                    self.entity(variable)?;
                    for label in labels {
                        self.label_expr(label)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// The variable of `SET n = …`, `SET n:L`, `REMOVE n:L`.
    fn entity(&mut self, variable: &'a Name) -> Check {
        self.variable(&variable.name, variable.span).map(|_| ())
    }

    /// `DELETE`: nodes, relationships and paths (or lists of them); labels
    /// are removed with `REMOVE`.
    pub(super) fn delete(&mut self, targets: &'a [Expr]) -> Check {
        let deletable = Ty::NODE.or(Ty::RELATIONSHIP).or(Ty::PATH).or(Ty::LIST);
        for target in targets {
            let ty = self.expr(target, Ctx::VALUE)?;
            if matches!(target.kind, ExprKind::HasLabels(..)) {
                return fail(
                    target.span,
                    ErrorDetail::InvalidDelete,
                    "DELETE doesn't support removing labels from a node. Try REMOVE.",
                );
            }
            if !ty.meets(deletable) {
                return mismatch(target.span, Ty::NODE.or(Ty::RELATIONSHIP).or(Ty::PATH), ty);
            }
        }
        Ok(())
    }

    /// `FOREACH (x IN list | updates)`: the variable and what the updates
    /// bind are visible inside only.
    pub(super) fn foreach(
        &mut self,
        variable: &'a Name,
        list: &'a Expr,
        body: &'a [Clause],
    ) -> Check {
        let ty = self.expr(list, Ctx::VALUE)?;
        if let Some(clause) = body
            .iter()
            .find(|c| !super::expressions::is_update(&c.kind))
        {
            return fail(
                clause.span,
                ErrorDetail::InvalidClauseComposition,
                format!(
                    "Invalid use of {} inside FOREACH",
                    clause_name(&clause.kind)
                ),
            );
        }
        self.scopes.push(Frame {
            vars: vec![Var {
                name: &variable.name,
                ty: ty.elements(),
                span: variable.span,
            }],
            transparent: true,
            open: false,
        });
        let result = body
            .iter()
            .try_for_each(|clause| self.clause(clause, false));
        self.scopes.pop();
        result
    }
}

/// The keyword of a clause, for messages.
pub(super) fn clause_name(kind: &ClauseKind) -> &'static str {
    match kind {
        ClauseKind::Use(_) => "USE",
        ClauseKind::Match { optional: true, .. } => "OPTIONAL MATCH",
        ClauseKind::Match { .. } => "MATCH",
        ClauseKind::Unwind { .. } => "UNWIND",
        ClauseKind::With(_) => "WITH",
        ClauseKind::Return(_) => "RETURN",
        ClauseKind::Create(_) => "CREATE",
        ClauseKind::Merge { .. } => "MERGE",
        ClauseKind::Set(_) => "SET",
        ClauseKind::Remove(_) => "REMOVE",
        ClauseKind::Delete { .. } => "DELETE",
        ClauseKind::Foreach { .. } => "FOREACH",
        ClauseKind::Subquery { .. } | ClauseKind::Procedure { .. } => "CALL",
        ClauseKind::LoadCsv { .. } => "LOAD CSV",
        ClauseKind::Finish => "FINISH",
        ClauseKind::Filter(_) => "FILTER",
        ClauseKind::Let(_) => "LET",
        ClauseKind::Page(_) => "ORDER BY",
        ClauseKind::Show(_) => "SHOW",
    }
}
