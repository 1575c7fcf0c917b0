//! Updating clauses: `MERGE`, `SET`, `REMOVE`.

use super::{PResult, Parser};
use crate::ast::*;
use crate::lexer::{P, Tok};

impl Parser<'_> {
    pub(super) fn merge_clause(&mut self) -> PResult<ClauseKind> {
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

    pub(super) fn set_items(&mut self) -> PResult<Vec<SetItem>> {
        let mut items = Vec::new();
        loop {
            items.push(self.set_item()?);
            if !self.eat(P::Comma) {
                return Ok(items);
            }
        }
    }

    pub(super) fn set_item(&mut self) -> PResult<SetItem> {
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
    pub(super) fn label_list(&mut self, variable: &Name) -> PResult<Vec<LabelExpr>> {
        let mut labels = Vec::new();
        while self.eat(P::Colon) {
            labels.push(self.label_atom_name(variable)?);
        }
        Ok(labels)
    }

    /// A single label name or dynamic label.
    pub(super) fn label_atom_name(&mut self, variable: &Name) -> PResult<LabelExpr> {
        let relationship = self.is_relationship_variable(&variable.name);
        if self.at(P::Dollar) || (self.kind() == Tok::Param && self.at_n(1, P::LParen)) {
            return self.dynamic_label();
        }
        let name = self.name()?;
        self.record_label(&name, relationship);
        Ok(LabelExpr::Name(name))
    }

    pub(super) fn remove_items(&mut self) -> PResult<Vec<RemoveItem>> {
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
}
