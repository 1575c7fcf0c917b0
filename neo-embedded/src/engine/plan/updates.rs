//! Planning the updating clauses: `CREATE`, `MERGE`, `SET`, `REMOVE`,
//! `DELETE` and `FOREACH`.

use std::collections::BTreeSet;
use std::sync::Arc;

use neo_cypher::ast::{self, ExprKind, LabelExpr, PathElement};

use super::builder::Planner;
use super::scope::{Scope, VarKind};
use super::{CreateSpec, LabelName, NodeSpec, PathSpec, Plan, RelSpec, SetAction};
use crate::engine::error::{EngineError, Result};
use crate::engine::expr::{Expr, Slot};

impl Planner<'_> {
    /// The labels of a node pattern to create: names, `&`, `:A:B`, `$(…)`.
    fn create_labels(
        &mut self,
        labels: &Option<LabelExpr>,
        scope: &Scope,
    ) -> Result<Vec<LabelName>> {
        let Some(labels) = labels else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        self.collect_labels(labels, scope, &mut out)?;
        Ok(out)
    }

    fn collect_labels(
        &mut self,
        labels: &LabelExpr,
        scope: &Scope,
        out: &mut Vec<LabelName>,
    ) -> Result<()> {
        match labels {
            LabelExpr::Name(n) => out.push(LabelName::Static(n.name.clone())),
            LabelExpr::And(items) => {
                for item in items {
                    self.collect_labels(item, scope, out)?;
                }
            }
            LabelExpr::Dynamic { expr, any: false } => {
                out.push(LabelName::Dynamic(self.expr(expr, scope)?))
            }
            _ => {
                return Err(EngineError::syntax(
                    "Label expressions with |, ! or % cannot be used to create or set labels; use `:A:B` or `:A&B`",
                ));
            }
        }
        Ok(())
    }

    fn properties_expr(
        &mut self,
        props: &Option<ast::Expr>,
        scope: &Scope,
    ) -> Result<Option<Expr>> {
        match props {
            Some(p) => Ok(Some(self.expr(p, scope)?)),
            None => Ok(None),
        }
    }

    /// What creating `patterns` means for one row; binds the new variables.
    /// `existing` are the variables that are bound before the clause.
    fn create_spec(
        &mut self,
        patterns: &[ast::PatternPart],
        scope: &mut Scope,
        existing: &Scope,
        merging: bool,
    ) -> Result<CreateSpec> {
        let mut spec = CreateSpec::default();
        for part in patterns {
            if part.selector.is_some() {
                return Err(EngineError::syntax(
                    "Path selectors cannot be used when creating a pattern",
                ));
            }
            let mut node_slots: Vec<Slot> = Vec::new();
            let mut rel_slots: Vec<Slot> = Vec::new();
            let mut pending_rel: Option<&ast::RelationshipPattern> = None;
            for element in &part.elements {
                match element {
                    PathElement::Node(node) => {
                        let name = node.variable.as_ref().map(|v| v.name.clone());
                        let slot = match name.as_deref().and_then(|n| scope.get(n)) {
                            Some(var) => {
                                if existing.contains(&var.name)
                                    || spec.nodes.iter().any(|n| n.slot == var.slot)
                                {
                                    if !merging
                                        && (node.labels.is_some() || node.properties.is_some())
                                        && existing.contains(&var.name)
                                    {
                                        return Err(EngineError::syntax(format!(
                                            "Can't create node `{}` with labels or properties here. The variable is already declared in this context",
                                            var.name
                                        )));
                                    }
                                    if !matches!(var.kind, VarKind::Node | VarKind::Value) {
                                        return Err(EngineError::syntax(format!(
                                            "Type mismatch: `{}` defined with conflicting type (expected Node)",
                                            var.name
                                        )));
                                    }
                                    if !spec.nodes.iter().any(|n| n.slot == var.slot) {
                                        spec.nodes.push(NodeSpec {
                                            slot: var.slot,
                                            bound: true,
                                            labels: Vec::new(),
                                            properties: None,
                                        });
                                    }
                                    var.slot
                                } else {
                                    // Bound by the pattern being created (MERGE's matcher scope).
                                    let slot = var.slot;
                                    let labels = self.create_labels(&node.labels, scope)?;
                                    let properties =
                                        self.properties_expr(&node.properties, scope)?;
                                    spec.nodes.push(NodeSpec {
                                        slot,
                                        bound: false,
                                        labels,
                                        properties,
                                    });
                                    slot
                                }
                            }
                            None => {
                                let slot = self.slot();
                                let labels = self.create_labels(&node.labels, scope)?;
                                let properties = self.properties_expr(&node.properties, scope)?;
                                spec.nodes.push(NodeSpec {
                                    slot,
                                    bound: false,
                                    labels,
                                    properties,
                                });
                                if let Some(name) = &name {
                                    scope.bind(name, slot, VarKind::Node);
                                }
                                slot
                            }
                        };
                        if let Some(rel) = pending_rel.take() {
                            let start = *node_slots.last().ok_or_else(|| {
                                EngineError::internal("relationship without a start")
                            })?;
                            let rel_slot = self.create_rel(
                                rel, start, slot, scope, existing, merging, &mut spec,
                            )?;
                            rel_slots.push(rel_slot);
                        }
                        node_slots.push(slot);
                    }
                    PathElement::Relationship(rel) => pending_rel = Some(rel),
                    PathElement::Group(_) => {
                        return Err(EngineError::syntax(
                            "Quantified path patterns cannot be created",
                        ));
                    }
                }
            }
            if let Some(var) = &part.variable {
                // MERGE's matcher bound the path already: the same slot.
                let slot = match scope.get(&var.name) {
                    Some(v) if !existing.contains(&var.name) => v.slot,
                    _ => self.slot(),
                };
                spec.paths.push(PathSpec {
                    slot,
                    start: node_slots[0],
                    steps: rel_slots
                        .iter()
                        .copied()
                        .zip(node_slots.iter().skip(1).copied())
                        .collect(),
                });
                scope.bind(&var.name, slot, VarKind::Path);
            }
        }
        Ok(spec)
    }

    #[allow(clippy::too_many_arguments)]
    fn create_rel(
        &mut self,
        rel: &ast::RelationshipPattern,
        left: Slot,
        right: Slot,
        scope: &mut Scope,
        existing: &Scope,
        merging: bool,
        spec: &mut CreateSpec,
    ) -> Result<Slot> {
        if rel.length.is_some() || rel.quantifier.is_some() {
            return Err(EngineError::syntax(if merging {
                "Variable length relationships cannot be used in MERGE"
            } else {
                "Variable length relationships cannot be used in CREATE"
            }));
        }
        let rel_type = match &rel.types {
            Some(LabelExpr::Name(n)) => LabelName::Static(n.name.clone()),
            Some(LabelExpr::Dynamic { expr, any: false }) => {
                LabelName::Dynamic(self.expr(expr, scope)?)
            }
            _ => {
                return Err(EngineError::syntax(format!(
                    "Exactly one relationship type must be specified for {}. Did you forget to prefix your relationship type with a ':'?",
                    if merging { "MERGE" } else { "CREATE" }
                )));
            }
        };
        let (start, end) = match rel.direction {
            ast::Direction::Right => (left, right),
            ast::Direction::Left => (right, left),
            ast::Direction::Both if merging => (left, right),
            ast::Direction::Both => {
                return Err(EngineError::syntax(
                    "Only directed relationships are supported in CREATE",
                ));
            }
        };
        let name = rel.variable.as_ref().map(|v| v.name.clone());
        let slot = match name.as_deref().and_then(|n| scope.get(n)) {
            Some(var) if existing.contains(&var.name) => {
                return Err(EngineError::syntax(format!(
                    "Can't create relationship `{}`: the variable is already declared in this context",
                    var.name
                )));
            }
            Some(var) => var.slot,
            None => {
                let slot = self.slot();
                if let Some(name) = &name {
                    scope.bind(name, slot, VarKind::Rel);
                }
                slot
            }
        };
        let properties = self.properties_expr(&rel.properties, scope)?;
        spec.rels.push(RelSpec {
            slot,
            rel_type,
            start,
            end,
            properties,
        });
        Ok(slot)
    }

    pub(super) fn plan_create(
        &mut self,
        input: Plan,
        scope: &mut Scope,
        patterns: &[ast::PatternPart],
    ) -> Result<Plan> {
        let existing = scope.clone();
        let spec = self.create_spec(patterns, scope, &existing, false)?;
        Ok(Plan::Create {
            input: input.boxed(),
            spec,
        })
    }

    pub(super) fn plan_merge(
        &mut self,
        input: Plan,
        scope: &mut Scope,
        pattern: &ast::PatternPart,
        actions: &[(bool, Vec<ast::SetItem>)],
    ) -> Result<Plan> {
        let existing = scope.clone();
        // The matcher finds the pattern; its scope gives the slots the
        // creation writes to, so that both bind the same slots.
        let mut matched_scope = scope.clone();
        let matcher = self.match_patterns(
            Plan::Argument,
            &mut matched_scope,
            std::slice::from_ref(pattern),
            None,
        )?;
        let before: BTreeSet<Slot> = existing.slots().into_iter().collect();
        let binds: Vec<Slot> = matched_scope
            .slots()
            .into_iter()
            .filter(|s| !before.contains(s))
            .collect();
        let mut create_scope = matched_scope.clone();
        let create = self.create_spec(
            std::slice::from_ref(pattern),
            &mut create_scope,
            &existing,
            true,
        )?;
        *scope = matched_scope;
        let mut on_create = Vec::new();
        let mut on_match = Vec::new();
        for (is_create, items) in actions {
            let compiled = self.set_actions(scope, items)?;
            if *is_create {
                on_create.extend(compiled);
            } else {
                on_match.extend(compiled);
            }
        }
        Ok(Plan::Merge {
            input: input.boxed(),
            matcher: Arc::new(matcher),
            create,
            on_create,
            on_match,
            binds,
        })
    }

    fn entity_slot(&self, name: &ast::Name, scope: &Scope) -> Result<Slot> {
        scope
            .slot(&name.name)
            .ok_or_else(|| EngineError::syntax(format!("Variable `{}` not defined", name.name)))
    }

    fn set_labels(&mut self, labels: &[LabelExpr], scope: &Scope) -> Result<Vec<LabelName>> {
        let mut out = Vec::new();
        for label in labels {
            self.collect_labels(label, scope, &mut out)?;
        }
        Ok(out)
    }

    fn set_actions(&mut self, scope: &Scope, items: &[ast::SetItem]) -> Result<Vec<SetAction>> {
        let mut out = Vec::new();
        for item in items {
            out.push(match item {
                ast::SetItem::Property { target, value } => {
                    let value = self.expr(value, scope)?;
                    match &target.kind {
                        ExprKind::Property(base, key) => SetAction::Property {
                            entity: self.expr(base, scope)?,
                            key: key.name.clone(),
                            value,
                        },
                        ExprKind::Index(base, key) => SetAction::DynamicProperty {
                            entity: self.expr(base, scope)?,
                            key: self.expr(key, scope)?,
                            value,
                        },
                        _ => {
                            return Err(EngineError::syntax(
                                "SET needs a property, e.g. `n.key = value`",
                            ));
                        }
                    }
                }
                ast::SetItem::Properties {
                    variable,
                    value,
                    merge,
                } => SetAction::Properties {
                    entity: self.entity_slot(variable, scope)?,
                    value: self.expr(value, scope)?,
                    merge: *merge,
                },
                ast::SetItem::Labels { variable, labels } => SetAction::AddLabels {
                    entity: self.entity_slot(variable, scope)?,
                    labels: self.set_labels(labels, scope)?,
                },
            });
        }
        Ok(out)
    }

    pub(super) fn plan_set(
        &mut self,
        input: Plan,
        scope: &Scope,
        items: &[ast::SetItem],
    ) -> Result<Plan> {
        let actions = self.set_actions(scope, items)?;
        Ok(Plan::Set {
            input: input.boxed(),
            actions,
        })
    }

    pub(super) fn plan_remove(
        &mut self,
        input: Plan,
        scope: &Scope,
        items: &[ast::RemoveItem],
    ) -> Result<Plan> {
        let mut actions = Vec::new();
        for item in items {
            actions.push(match item {
                ast::RemoveItem::Property(target) => match &target.kind {
                    ExprKind::Property(base, key) => SetAction::RemoveProperty {
                        entity: self.expr(base, scope)?,
                        key: key.name.clone(),
                    },
                    ExprKind::Index(base, key) => SetAction::RemoveDynamicProperty {
                        entity: self.expr(base, scope)?,
                        key: self.expr(key, scope)?,
                    },
                    _ => return Err(EngineError::syntax("REMOVE needs a property or labels")),
                },
                ast::RemoveItem::Labels { variable, labels } => SetAction::RemoveLabels {
                    entity: self.entity_slot(variable, scope)?,
                    labels: self.set_labels(labels, scope)?,
                },
            });
        }
        Ok(Plan::Set {
            input: input.boxed(),
            actions,
        })
    }

    pub(super) fn plan_delete(
        &mut self,
        input: Plan,
        scope: &Scope,
        targets: &[ast::Expr],
        detach: bool,
    ) -> Result<Plan> {
        let mut compiled = Vec::new();
        for target in targets {
            compiled.push(self.expr(target, scope)?);
        }
        Ok(Plan::Delete {
            input: input.boxed(),
            targets: compiled,
            detach,
        })
    }

    pub(super) fn plan_foreach(
        &mut self,
        input: Plan,
        scope: &Scope,
        variable: &ast::Name,
        list: &ast::Expr,
        body: &[ast::Clause],
    ) -> Result<Plan> {
        let list = self.expr(list, scope)?;
        let slot = self.slot();
        let mut inner = scope.clone();
        inner.bind(&variable.name, slot, VarKind::Value);
        let (body, _, _) = self.clauses(body, inner)?;
        Ok(Plan::Foreach {
            input: input.boxed(),
            slot,
            list,
            body: Arc::new(body),
        })
    }
}
