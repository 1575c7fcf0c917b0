//! Planning `MATCH` patterns: choosing where each path pattern starts (a
//! bound variable, an id or index seek, a label scan, a relationship type
//! scan, or all nodes), expanding along it step by step (single,
//! variable-length and quantified steps, with relationship uniqueness),
//! applying each predicate as soon as its variables are bound, and path
//! selectors (`shortestPath`, `SHORTEST k`, `ANY`, `ALL SHORTEST`).

use std::collections::BTreeSet;
use std::sync::Arc;

use neo_cypher::ast::{self, ExprKind, LabelExpr, PathElement};

use super::builder::Planner;
use super::clauses::equality;
use super::expressions::{conjuncts, free_vars};
use super::scope::{Scope, VarKind};
use super::{ExpandSpec, Plan, RepeatSpec, Selector, VarExpandSpec, required_labels};
use crate::engine::error::{EngineError, Result};
use crate::engine::expr::{BinOp, Expr, LabelPredicate, PathPiece, Slot};
use crate::engine::output::Notification;
use crate::engine::storage::Dir;

/// A step of a path pattern between two node positions.
#[derive(Clone, Copy)]
enum Step<'p> {
    Rel(&'p ast::RelationshipPattern),
    Group(&'p ast::GroupPattern),
}

/// A path pattern as nodes and the steps between them.
struct Chain<'p> {
    nodes: Vec<Option<&'p ast::NodePattern>>,
    steps: Vec<Step<'p>>,
}

fn chain(elements: &[PathElement]) -> Chain<'_> {
    let mut nodes = Vec::new();
    let mut steps = Vec::new();
    let mut expect_node = true;
    for element in elements {
        match element {
            PathElement::Node(n) => {
                if !expect_node {
                    // Two nodes side by side cannot happen; keep the chain whole.
                    steps.push(Step::Group(unreachable_group()));
                }
                nodes.push(Some(n));
                expect_node = false;
            }
            PathElement::Relationship(r) => {
                if expect_node {
                    nodes.push(None);
                }
                steps.push(Step::Rel(r));
                expect_node = true;
            }
            PathElement::Group(g) => {
                if expect_node {
                    nodes.push(None);
                }
                steps.push(Step::Group(g));
                expect_node = true;
            }
        }
    }
    if expect_node {
        nodes.push(None);
    }
    Chain { nodes, steps }
}

/// Never used: the parser does not put two nodes side by side.
fn unreachable_group() -> &'static ast::GroupPattern {
    static EMPTY: std::sync::OnceLock<ast::GroupPattern> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| ast::GroupPattern {
        path: ast::PatternPart {
            variable: None,
            selector: None,
            elements: Vec::new(),
            span: neo_cypher::Span::new(0, 0),
        },
        predicate: None,
        quantifier: Some(ast::Quantifier {
            min: Some(0),
            max: Some(0),
        }),
        span: neo_cypher::Span::new(0, 0),
    })
}

/// Relationship slots already used by the current `MATCH`.
#[derive(Default, Clone)]
pub(super) struct Uniqueness {
    pub(super) rels: Vec<Slot>,
    pub(super) lists: Vec<Slot>,
    /// `MATCH REPEATABLE ELEMENTS`: relationships may repeat, nothing is
    /// kept.
    pub(super) repeatable: bool,
}

impl Uniqueness {
    fn new(repeatable: bool) -> Uniqueness {
        Uniqueness {
            repeatable,
            ..Uniqueness::default()
        }
    }

    /// A relationship the rest of the `MATCH` may not use again.
    fn add_rel(&mut self, slot: Slot) {
        if !self.repeatable {
            self.rels.push(slot);
        }
    }

    /// A list of relationships the rest of the `MATCH` may not use again.
    fn add_list(&mut self, slot: Slot) {
        if !self.repeatable {
            self.lists.push(slot);
        }
    }
}

/// Whether a pattern has a quantifier without an upper bound.
fn unbounded(part: &ast::PatternPart) -> bool {
    part.elements.iter().any(|element| match element {
        ast::PathElement::Node(_) => false,
        ast::PathElement::Relationship(rel) => {
            matches!(rel.length, Some((_, None))) || rel.quantifier.is_some_and(|q| q.max.is_none())
        }
        ast::PathElement::Group(group) => {
            group.quantifier.is_some_and(|q| q.max.is_none()) || unbounded(&group.path)
        }
    })
}

fn direction(d: ast::Direction, reversed: bool) -> Dir {
    match (d, reversed) {
        (ast::Direction::Right, false) | (ast::Direction::Left, true) => Dir::Out,
        (ast::Direction::Left, false) | (ast::Direction::Right, true) => Dir::In,
        (ast::Direction::Both, _) => Dir::Both,
    }
}

/// The plain type names of a type expression, if it is a name or an
/// alternative of names.
fn type_names(types: &Option<LabelExpr>) -> Option<Vec<String>> {
    match types {
        None => Some(Vec::new()),
        Some(LabelExpr::Name(n)) => Some(vec![n.name.clone()]),
        Some(LabelExpr::Or(items)) => {
            let mut out = Vec::new();
            for item in items {
                match item {
                    LabelExpr::Name(n) => out.push(n.name.clone()),
                    _ => return None,
                }
            }
            Some(out)
        }
        Some(_) => None,
    }
}

/// What a selector text asks for.
fn selector(text: &str) -> Result<(Selector, bool)> {
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("shortestpath") {
        return Ok((Selector::Shortest(1), true));
    }
    if lower.starts_with("allshortestpaths") {
        return Ok((Selector::AllShortest, true));
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    let number = |w: Option<&&str>| -> Result<u64> {
        match w {
            Some(n) if n.chars().all(|c| c.is_ascii_digit()) => n
                .parse()
                .map_err(|_| EngineError::syntax(format!("Invalid path selector '{text}'"))),
            Some(n) if n.starts_with('$') => Err(EngineError::not_supported(format!(
                "a parameter as the count of a path selector ('{text}')"
            ))),
            _ => Ok(1),
        }
    };
    Ok(match words.first().copied() {
        Some("all") if words.get(1) == Some(&"shortest") => (Selector::AllShortest, false),
        Some("all") => (Selector::Any(u64::MAX), false),
        Some("any") if words.get(1) == Some(&"shortest") => (Selector::Shortest(1), false),
        Some("any") => (Selector::Any(number(words.get(1))?), false),
        Some("shortest") => {
            let k = number(words.get(1))?;
            if words.iter().any(|w| w.starts_with("group")) {
                (Selector::ShortestGroups(k), false)
            } else {
                (Selector::Shortest(k), false)
            }
        }
        _ => {
            return Err(EngineError::syntax(format!(
                "Invalid path selector '{text}'"
            )));
        }
    })
}

impl Planner<'_> {
    /// `[OPTIONAL] MATCH patterns [WHERE predicate]`.
    pub(super) fn plan_match(
        &mut self,
        input: Plan,
        scope: &mut Scope,
        patterns: &[ast::PatternPart],
        predicate: Option<&ast::Expr>,
        optional: bool,
    ) -> Result<Plan> {
        if optional {
            let before: BTreeSet<Slot> = scope.slots().into_iter().collect();
            let mut inner_scope = scope.clone();
            let inner =
                self.match_patterns(Plan::Argument, &mut inner_scope, patterns, predicate)?;
            let nullable = inner_scope
                .slots()
                .into_iter()
                .filter(|s| !before.contains(s))
                .collect();
            *scope = inner_scope;
            return Ok(Plan::Optional {
                input: input.boxed(),
                inner: Arc::new(inner),
                nullable,
            });
        }
        self.match_patterns(input, scope, patterns, predicate)
    }

    /// The plan of a pattern used in an expression (`EXISTS { … }`, a
    /// pattern predicate), run with the outer row.
    pub(super) fn pattern_plan(
        &mut self,
        patterns: &[ast::PatternPart],
        predicate: Option<&ast::Expr>,
        scope: &Scope,
    ) -> Result<Plan> {
        Ok(self.pattern_plan_scoped(patterns, predicate, scope)?.0)
    }

    /// Like [`Planner::pattern_plan`], also giving the scope inside.
    pub(super) fn pattern_plan_scoped(
        &mut self,
        patterns: &[ast::PatternPart],
        predicate: Option<&ast::Expr>,
        scope: &Scope,
    ) -> Result<(Plan, Scope)> {
        let mut inner = scope.clone();
        let plan = self.match_patterns(Plan::Argument, &mut inner, patterns, predicate)?;
        Ok((plan, inner))
    }

    pub(super) fn match_patterns(
        &mut self,
        input: Plan,
        scope: &mut Scope,
        patterns: &[ast::PatternPart],
        predicate: Option<&ast::Expr>,
    ) -> Result<Plan> {
        let mut pending: Vec<&ast::Expr> = predicate.map(conjuncts).unwrap_or_default();
        // The mode is the clause's: patterns in its subqueries have their own.
        let repeatable = std::mem::take(&mut self.repeatable);
        if repeatable && let Some(part) = patterns.iter().find(|p| unbounded(p)) {
            let text = part.span.text(self.text);
            return Err(if part.selector.is_some() {
                EngineError::not_supported(format!(
                    "MATCH REPEATABLE ELEMENTS with a path selector over an unbounded quantifier ({text})"
                ))
            } else {
                EngineError::syntax(format!(
                    "The pattern {text} may yield an infinite number of rows under match mode \
                     REPEATABLE ELEMENTS; give its quantifier an upper bound or use a path selector"
                ))
            });
        }
        let mut uniqueness = Uniqueness::new(repeatable);
        let mut plan = input;
        // Parts touching bound variables first; the rest in order.
        let mut order: Vec<&ast::PatternPart> = patterns.iter().collect();
        order.sort_by_key(|p| !touches(p, scope));
        let mut seen_any = false;
        for part in order {
            if seen_any && !touches(part, scope) {
                let text = part.span.text(self.text).to_owned();
                self.notify(Notification::cartesian_product(&text));
            }
            seen_any = true;
            plan = self.match_part(plan, scope, part, &mut pending, &mut uniqueness)?;
        }
        for predicate in pending {
            let predicate = self.expr(predicate, scope)?;
            plan = filter(plan, predicate);
        }
        Ok(plan)
    }

    /// Applies the pending predicates whose variables are all bound.
    fn apply_ready(
        &mut self,
        mut plan: Plan,
        scope: &Scope,
        pending: &mut Vec<&ast::Expr>,
    ) -> Result<Plan> {
        let mut i = 0;
        while i < pending.len() {
            let ready = free_vars(pending[i]).iter().all(|v| scope.contains(v));
            if ready {
                let predicate = self.expr(pending[i], scope)?;
                plan = filter(plan, predicate);
                pending.remove(i);
            } else {
                i += 1;
            }
        }
        Ok(plan)
    }

    /// The slot of a node position, bound or new.
    fn node_slot(
        &mut self,
        node: Option<&ast::NodePattern>,
        scope: &mut Scope,
    ) -> Result<(Slot, bool)> {
        match node.and_then(|n| n.variable.as_ref()) {
            Some(var) => match scope.get(&var.name) {
                Some(v) => {
                    if !matches!(v.kind, VarKind::Node | VarKind::Value) {
                        return Err(EngineError::syntax(format!(
                            "Type mismatch: `{}` defined with conflicting type (expected Node)",
                            var.name
                        )));
                    }
                    Ok((v.slot, true))
                }
                None => Ok((self.slot(), false)),
            },
            None => Ok((self.slot(), false)),
        }
    }

    /// The conditions a node pattern puts on its node.
    fn node_conditions(
        &mut self,
        node: Option<&ast::NodePattern>,
        slot: Slot,
        scope: &Scope,
        skip_label: Option<&str>,
    ) -> Result<Vec<Expr>> {
        let Some(node) = node else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        if let Some(labels) = &node.labels {
            let predicate = self.label_predicate(labels, scope)?;
            let redundant =
                matches!(&predicate, LabelPredicate::Name(n) if Some(n.as_str()) == skip_label);
            if !redundant {
                out.push(Expr::HasLabels(Expr::Slot(slot).boxed(), predicate));
            }
        }
        if let Some(props) = &node.properties {
            out.extend(self.property_conditions(props, slot, scope)?);
        }
        if let Some(predicate) = &node.predicate {
            out.push(self.expr(predicate, scope)?);
        }
        Ok(out)
    }

    /// `{k: v, …}` in a pattern as equalities on `slot`'s properties.
    fn property_conditions(
        &mut self,
        props: &ast::Expr,
        slot: Slot,
        scope: &Scope,
    ) -> Result<Vec<Expr>> {
        match &props.kind {
            ExprKind::Map(entries) => {
                let mut out = Vec::new();
                for (key, value) in entries {
                    let value = self.expr(value, scope)?;
                    out.push(equality(
                        Expr::Property(Expr::Slot(slot).boxed(), key.name.clone()),
                        value,
                    ));
                }
                Ok(out)
            }
            ExprKind::Parameter(_) => Err(EngineError::syntax(
                "Parameter maps cannot be used in MATCH patterns (use a literal map instead, e.g. \"{id: $props.id}\")",
            )),
            _ => Err(EngineError::syntax("A pattern's properties must be a map")),
        }
    }

    fn match_part(
        &mut self,
        input: Plan,
        scope: &mut Scope,
        part: &ast::PatternPart,
        pending: &mut Vec<&ast::Expr>,
        uniqueness: &mut Uniqueness,
    ) -> Result<Plan> {
        if let Some(text) = &part.selector {
            return self.match_selected(input, scope, part, text, pending, uniqueness);
        }
        let (plan, pieces) =
            self.match_chain(input, scope, part, pending, uniqueness, None, None)?;
        self.bind_path(plan, scope, part, pieces, pending)
    }

    fn bind_path(
        &mut self,
        plan: Plan,
        scope: &mut Scope,
        part: &ast::PatternPart,
        pieces: Vec<PathPiece>,
        pending: &mut Vec<&ast::Expr>,
    ) -> Result<Plan> {
        let Some(var) = &part.variable else {
            return Ok(plan);
        };
        let slot = self.slot();
        let plan = Plan::Project {
            input: plan.boxed(),
            items: vec![(slot, Expr::Path(pieces))],
        };
        scope.bind(&var.name, slot, VarKind::Path);
        self.apply_ready(plan, scope, pending)
    }

    /// Matches one path pattern; gives the plan and the path's pieces.
    /// `start_override` picks the node position to start from, and
    /// `first_bound` binds the first node to a slot (a quantified pattern's
    /// iteration start).
    #[allow(clippy::too_many_arguments)]
    fn match_chain(
        &mut self,
        input: Plan,
        scope: &mut Scope,
        part: &ast::PatternPart,
        pending: &mut Vec<&ast::Expr>,
        uniqueness: &mut Uniqueness,
        start_override: Option<usize>,
        first_bound: Option<Slot>,
    ) -> Result<(Plan, Vec<PathPiece>)> {
        let chain = chain(&part.elements);
        let mut plan = input;
        // Slots for every node position.
        let mut node_slots = Vec::with_capacity(chain.nodes.len());
        let mut bound = Vec::with_capacity(chain.nodes.len());
        let mut named: Vec<Option<String>> = Vec::new();
        for (position, node) in chain.nodes.iter().enumerate() {
            let name = node
                .and_then(|n| n.variable.as_ref())
                .map(|v| v.name.clone());
            if position == 0
                && let Some(slot) = first_bound
            {
                node_slots.push(slot);
                bound.push(true);
                named.push(name);
                continue;
            }
            // A name repeated inside the pattern is one node.
            if let Some(n) = &name
                && let Some(pos) = named.iter().position(|x| x.as_deref() == Some(n.as_str()))
            {
                node_slots.push(node_slots[pos]);
                bound.push(bound[pos]);
                named.push(name);
                continue;
            }
            let (slot, is_bound) = self.node_slot(*node, scope)?;
            node_slots.push(slot);
            bound.push(is_bound);
            named.push(name);
        }
        let start =
            start_override.unwrap_or_else(|| self.choose_start(&chain, &bound, scope, pending));
        let mut done = vec![false; chain.nodes.len()];
        // A relationship type scan binds both ends of the first step.
        let rel_scan = start_override.is_none()
            && !bound.iter().any(|b| *b)
            && chain
                .nodes
                .iter()
                .all(|n| n.is_none_or(|n| n.labels.is_none() && n.properties.is_none()))
            && matches!(chain.steps.first(), Some(Step::Rel(r)) if r.length.is_none() && r.quantifier.is_none()
                && type_names(&r.types).is_some_and(|t| !t.is_empty()))
            && !pending.iter().any(|p| id_seek_candidate(p).is_some());
        let mut rel_slots: Vec<Option<Slot>> = vec![None; chain.steps.len()];
        let mut rel_kinds: Vec<bool> = vec![false; chain.steps.len()];
        if rel_scan {
            let Some(Step::Rel(rel)) = chain.steps.first() else {
                return Err(EngineError::internal(
                    "relationship scan without a relationship",
                ));
            };
            let (rel_slot, rel_bound) = self.rel_slot(rel, scope)?;
            let types = type_names(&rel.types).unwrap_or_default();
            let directed = rel.direction != ast::Direction::Both;
            let (a, b) = if rel.direction == ast::Direction::Left {
                (node_slots[1], node_slots[0])
            } else {
                (node_slots[0], node_slots[1])
            };
            let (scan_rel, check) = if rel_bound {
                (self.slot(), Some(rel_slot))
            } else {
                (rel_slot, None)
            };
            plan = Plan::RelScan {
                input: plan.boxed(),
                rel: scan_rel,
                start: a,
                end: b,
                types,
                directed,
                distinct_from: uniqueness.rels.clone(),
            };
            if let Some(bound_slot) = check {
                plan = filter(plan, equality(Expr::Slot(scan_rel), Expr::Slot(bound_slot)));
            }
            self.bind_node(scope, chain.nodes[0], node_slots[0]);
            self.bind_node(scope, chain.nodes[1], node_slots[1]);
            self.bind_rel(scope, rel, rel_slot, false);
            uniqueness.add_rel(rel_slot);
            rel_slots[0] = Some(rel_slot);
            done[0] = true;
            done[1] = true;
            let conditions = self.rel_conditions(rel, rel_slot, scope)?;
            plan = conditions.into_iter().fold(plan, filter);
            for (node, slot) in chain.nodes.iter().zip(&node_slots).take(2) {
                let conditions = self.node_conditions(*node, *slot, scope, None)?;
                plan = conditions.into_iter().fold(plan, filter);
            }
            plan = self.apply_ready(plan, scope, pending)?;
            for i in 1..chain.steps.len() {
                plan = self.step(
                    plan,
                    scope,
                    &chain,
                    i,
                    false,
                    &node_slots,
                    &mut done,
                    &mut rel_slots,
                    &mut rel_kinds,
                    pending,
                    uniqueness,
                )?;
            }
        } else {
            plan = self.start_node(
                plan,
                scope,
                chain.nodes[start],
                node_slots[start],
                bound[start],
                pending,
            )?;
            done[start] = true;
            plan = self.apply_ready(plan, scope, pending)?;
            for i in start..chain.steps.len() {
                plan = self.step(
                    plan,
                    scope,
                    &chain,
                    i,
                    false,
                    &node_slots,
                    &mut done,
                    &mut rel_slots,
                    &mut rel_kinds,
                    pending,
                    uniqueness,
                )?;
            }
            for i in (0..start).rev() {
                plan = self.step(
                    plan,
                    scope,
                    &chain,
                    i,
                    true,
                    &node_slots,
                    &mut done,
                    &mut rel_slots,
                    &mut rel_kinds,
                    pending,
                    uniqueness,
                )?;
            }
        }
        let mut pieces = vec![PathPiece::Node(node_slots[0])];
        for (i, slot) in rel_slots.iter().enumerate() {
            let slot = slot.ok_or_else(|| EngineError::internal("pattern step without a slot"))?;
            pieces.push(if rel_kinds[i] {
                PathPiece::Rels(slot)
            } else {
                PathPiece::Rel(slot)
            });
            pieces.push(PathPiece::Node(node_slots[i + 1]));
        }
        Ok((plan, pieces))
    }

    fn bind_node(&mut self, scope: &mut Scope, node: Option<&ast::NodePattern>, slot: Slot) {
        if let Some(var) = node.and_then(|n| n.variable.as_ref())
            && !scope.contains(&var.name)
        {
            scope.bind(&var.name, slot, VarKind::Node);
        }
    }

    fn bind_rel(
        &mut self,
        scope: &mut Scope,
        rel: &ast::RelationshipPattern,
        slot: Slot,
        list: bool,
    ) {
        if let Some(var) = &rel.variable
            && !scope.contains(&var.name)
        {
            scope.bind(
                &var.name,
                slot,
                if list { VarKind::RelList } else { VarKind::Rel },
            );
        }
    }

    fn rel_slot(&mut self, rel: &ast::RelationshipPattern, scope: &Scope) -> Result<(Slot, bool)> {
        match rel.variable.as_ref().and_then(|v| scope.get(&v.name)) {
            Some(v) => Ok((v.slot, true)),
            None => Ok((self.slot(), false)),
        }
    }

    /// Conditions on a single relationship: a complex type expression, the
    /// property map, the inline `WHERE`.
    fn rel_conditions(
        &mut self,
        rel: &ast::RelationshipPattern,
        slot: Slot,
        scope: &Scope,
    ) -> Result<Vec<Expr>> {
        let mut out = Vec::new();
        if type_names(&rel.types).is_none()
            && let Some(types) = &rel.types
        {
            let predicate = self.label_predicate(types, scope)?;
            out.push(Expr::HasLabels(Expr::Slot(slot).boxed(), predicate));
        }
        if let Some(props) = &rel.properties {
            out.extend(self.property_conditions(props, slot, scope)?);
        }
        if let Some(predicate) = &rel.predicate {
            out.push(self.expr(predicate, scope)?);
        }
        Ok(out)
    }

    fn choose_start(
        &self,
        chain: &Chain<'_>,
        bound: &[bool],
        scope: &Scope,
        pending: &[&ast::Expr],
    ) -> usize {
        let score = |i: usize| -> u8 {
            if bound[i] {
                return 0;
            }
            let Some(node) = chain.nodes[i] else {
                return 4;
            };
            let name = node.variable.as_ref().map(|v| v.name.as_str());
            if let Some(name) = name
                && pending
                    .iter()
                    .any(|p| id_seek_candidate(p).is_some_and(|(var, _, _)| var == name))
            {
                return 1;
            }
            let labels = node
                .labels
                .as_ref()
                .map(|l| matches!(l, LabelExpr::Name(_) | LabelExpr::And(_)));
            if labels == Some(true) {
                if self.index_candidate(node, scope, pending).is_some() {
                    return 2;
                }
                return 3;
            }
            4
        };
        (0..chain.nodes.len())
            .min_by_key(|i| (score(*i), *i))
            .unwrap_or(0)
    }

    /// Binds the start node: checks a bound one, or seeks or scans.
    fn start_node(
        &mut self,
        input: Plan,
        scope: &mut Scope,
        node: Option<&ast::NodePattern>,
        slot: Slot,
        is_bound: bool,
        pending: &mut Vec<&ast::Expr>,
    ) -> Result<Plan> {
        let mut plan = input;
        let mut scanned_label = None;
        if !is_bound {
            let name = node
                .and_then(|n| n.variable.as_ref())
                .map(|v| v.name.clone());
            let id_seek = name.as_deref().and_then(|name| {
                pending.iter().position(|p| {
                    id_seek_candidate(p).is_some_and(|(var, value, _)| {
                        var == name && free_vars(value).iter().all(|v| scope.contains(v))
                    })
                })
            });
            if let Some(index) = id_seek {
                let (_, value, element) = id_seek_candidate(pending[index])
                    .ok_or_else(|| EngineError::internal("id seek"))?;
                let ids = self.expr(value, scope)?;
                plan = Plan::NodeById {
                    input: plan.boxed(),
                    slot,
                    ids,
                    element_ids: element,
                };
            } else if let Some(seek) = node.and_then(|n| self.index_candidate(n, scope, pending)) {
                let (label, seek) = seek;
                let seek = self.build_seek(seek, slot, scope)?;
                scanned_label = Some(label);
                plan = Plan::NodeIndexSeek {
                    input: plan.boxed(),
                    slot,
                    seek,
                };
            } else {
                let labels = match node.and_then(|n| n.labels.as_ref()) {
                    Some(l) => required_labels(&self.label_predicate(l, scope)?),
                    None => Vec::new(),
                };
                match labels.first() {
                    Some(label) => {
                        self.warn_unknown_label(label);
                        scanned_label = Some(label.clone());
                        plan = Plan::NodesByLabel {
                            input: plan.boxed(),
                            slot,
                            label: label.clone(),
                        };
                    }
                    None => {
                        plan = Plan::AllNodes {
                            input: plan.boxed(),
                            slot,
                        };
                    }
                }
            }
            self.bind_node(scope, node, slot);
        }
        let conditions = self.node_conditions(node, slot, scope, scanned_label.as_deref())?;
        Ok(conditions.into_iter().fold(plan, filter))
    }

    fn warn_unknown_label(&mut self, label: &str) {
        if let Some(known) = self.ctx.known
            && !known.labels.iter().any(|l| l == label)
        {
            self.notify(Notification::unknown_label(label));
        }
    }

    fn warn_unknown_type(&mut self, rel_type: &str) {
        if let Some(known) = self.ctx.known
            && !known.types.iter().any(|t| t == rel_type)
        {
            self.notify(Notification::unknown_relationship_type(rel_type));
        }
    }

    /// One step of the chain: `i` is the step index; `reversed` walks from
    /// node `i + 1` to node `i`.
    #[allow(clippy::too_many_arguments)]
    fn step(
        &mut self,
        input: Plan,
        scope: &mut Scope,
        chain: &Chain<'_>,
        i: usize,
        reversed: bool,
        node_slots: &[Slot],
        done: &mut [bool],
        rel_slots: &mut [Option<Slot>],
        rel_kinds: &mut [bool],
        pending: &mut Vec<&ast::Expr>,
        uniqueness: &mut Uniqueness,
    ) -> Result<Plan> {
        let (from_pos, to_pos) = if reversed { (i + 1, i) } else { (i, i + 1) };
        let from = node_slots[from_pos];
        let to = node_slots[to_pos];
        let to_node = chain.nodes[to_pos];
        let into = done[to_pos]
            || to_node
                .and_then(|n| n.variable.as_ref())
                .is_some_and(|v| scope.contains(&v.name));
        let mut plan = input;
        match chain.steps[i] {
            Step::Rel(rel) => {
                let dir = direction(rel.direction, reversed);
                let types = type_names(&rel.types).unwrap_or_default();
                for t in &types {
                    self.warn_unknown_type(t);
                }
                let quantified = rel.length.is_some() || rel.quantifier.is_some();
                if quantified {
                    let (min, max) = match (rel.length, rel.quantifier) {
                        (Some((min, max)), _) => (min.unwrap_or(1), max),
                        (None, Some(q)) => (q.min.unwrap_or(0), q.max),
                        (None, None) => (1, Some(1)),
                    };
                    let (list_slot, list_bound) = self.rel_slot(rel, scope)?;
                    let target = if list_bound { self.slot() } else { list_slot };
                    // Per-relationship conditions read a hidden slot.
                    let each = self.slot();
                    let mut each_scope = scope.clone();
                    if let Some(var) = &rel.variable {
                        each_scope.bind(&var.name, each, VarKind::Rel);
                    }
                    let mut conditions = self.rel_conditions(rel, each, &each_scope)?;
                    let rel_predicate = conditions
                        .drain(..)
                        .reduce(|a, b| Expr::Binary(BinOp::And, a.boxed(), b.boxed()));
                    plan = Plan::VarExpand {
                        input: plan.boxed(),
                        spec: VarExpandSpec {
                            from,
                            rels: target,
                            to,
                            dir,
                            types,
                            min,
                            max,
                            into,
                            reversed,
                            rel_predicate: rel_predicate.map(|p| (each, p)),
                            distinct_from: uniqueness.rels.clone(),
                            distinct_from_lists: uniqueness.lists.clone(),
                            repeatable: uniqueness.repeatable,
                        },
                    };
                    if list_bound {
                        plan = filter(plan, equality(Expr::Slot(target), Expr::Slot(list_slot)));
                    }
                    self.bind_rel(scope, rel, list_slot, true);
                    uniqueness.add_list(target);
                    rel_slots[i] = Some(target);
                    rel_kinds[i] = true;
                } else {
                    let (rel_slot, rel_bound) = self.rel_slot(rel, scope)?;
                    let target = if rel_bound { self.slot() } else { rel_slot };
                    plan = Plan::Expand {
                        input: plan.boxed(),
                        spec: ExpandSpec {
                            from,
                            rel: target,
                            to,
                            dir,
                            types,
                            into,
                            distinct_from: uniqueness.rels.clone(),
                            distinct_from_lists: uniqueness.lists.clone(),
                        },
                    };
                    if rel_bound {
                        plan = filter(plan, equality(Expr::Slot(target), Expr::Slot(rel_slot)));
                    }
                    self.bind_rel(scope, rel, rel_slot, false);
                    uniqueness.add_rel(target);
                    rel_slots[i] = Some(target);
                    let conditions = self.rel_conditions(rel, target, scope)?;
                    plan = conditions.into_iter().fold(plan, filter);
                }
            }
            Step::Group(group) => {
                plan = self.repeat(
                    plan, scope, group, from, to, into, reversed, pending, uniqueness, rel_slots,
                    rel_kinds, i,
                )?;
            }
        }
        if !done[to_pos] {
            self.bind_node(scope, to_node, to);
        }
        let first_time = !done[to_pos];
        done[to_pos] = true;
        if first_time || into {
            let conditions = self.node_conditions(to_node, to, scope, None)?;
            plan = conditions.into_iter().fold(plan, filter);
        }
        self.apply_ready(plan, scope, pending)
    }

    /// A quantified path pattern between `from` and `to`.
    #[allow(clippy::too_many_arguments)]
    fn repeat(
        &mut self,
        input: Plan,
        scope: &mut Scope,
        group: &ast::GroupPattern,
        from: Slot,
        to: Slot,
        into: bool,
        reversed: bool,
        _pending: &mut [&ast::Expr],
        uniqueness: &mut Uniqueness,
        rel_slots: &mut [Option<Slot>],
        rel_kinds: &mut [bool],
        i: usize,
    ) -> Result<Plan> {
        if reversed {
            return Err(EngineError::not_supported(
                "a quantified path pattern reached from its right end (start the pattern at a node before the group)",
            ));
        }
        let inner_chain = chain(&group.path.elements);
        let Some(&first) = inner_chain.nodes.first() else {
            return Err(EngineError::syntax(
                "A quantified path pattern needs a path",
            ));
        };
        // The inner pattern runs with its first node bound to the current
        // node; its variables live in inner slots.
        let inner_start = self.slot();
        let mut inner_scope = scope.clone();
        if let Some(var) = first.and_then(|n| n.variable.as_ref()) {
            inner_scope.bind(&var.name, inner_start, VarKind::Node);
        }
        let mut inner_pending: Vec<&ast::Expr> =
            group.predicate.as_ref().map(conjuncts).unwrap_or_default();
        let mut inner_unique = Uniqueness::new(uniqueness.repeatable);
        let before: BTreeSet<String> = inner_scope.visible().map(|v| v.name.clone()).collect();
        let (inner_plan, pieces) = self.match_chain(
            Plan::Argument,
            &mut inner_scope,
            &group.path,
            &mut inner_pending,
            &mut inner_unique,
            Some(0),
            Some(inner_start),
        )?;
        let mut inner_plan = inner_plan;
        for predicate in inner_pending {
            let predicate = self.expr(predicate, &inner_scope)?;
            inner_plan = filter(inner_plan, predicate);
        }
        let inner_end = match pieces.last() {
            Some(PathPiece::Node(slot)) => *slot,
            _ => {
                return Err(EngineError::internal(
                    "quantified pattern without an end node",
                ));
            }
        };
        // Group variables: every inner variable, as a list outside.
        let mut groups = Vec::new();
        let mut inner_rels = Vec::new();
        for var in inner_scope.visible() {
            if before.contains(&var.name) && var.slot != inner_start {
                continue;
            }
            let list = self.slot();
            groups.push((var.slot, list));
            let kind = match var.kind {
                VarKind::Node => VarKind::NodeList,
                VarKind::Rel | VarKind::RelList => VarKind::RelList,
                _ => VarKind::Value,
            };
            scope.bind(&var.name, list, kind);
        }
        for piece in &pieces {
            match piece {
                PathPiece::Rel(slot) | PathPiece::Rels(slot) => inner_rels.push(*slot),
                PathPiece::Node(_) => {}
            }
        }
        let rels = self.slot();
        let (min, max) = match group.quantifier {
            Some(q) => (q.min.unwrap_or(0), q.max),
            None => (1, Some(1)),
        };
        let plan = Plan::Repeat {
            input: input.boxed(),
            spec: RepeatSpec {
                from,
                to,
                into,
                inner: Arc::new(inner_plan),
                inner_start,
                inner_end,
                min,
                max,
                groups,
                inner_rels,
                rels,
                distinct_from: uniqueness.rels.clone(),
                distinct_from_lists: uniqueness.lists.clone(),
                repeatable: uniqueness.repeatable,
            },
        };
        uniqueness.add_list(rels);
        rel_slots[i] = Some(rels);
        rel_kinds[i] = true;
        Ok(plan)
    }

    /// A pattern with a path selector.
    fn match_selected(
        &mut self,
        input: Plan,
        scope: &mut Scope,
        part: &ast::PatternPart,
        text: &str,
        pending: &mut Vec<&ast::Expr>,
        uniqueness: &mut Uniqueness,
    ) -> Result<Plan> {
        let (selector, legacy) = selector(text)?;
        let chain = chain(&part.elements);
        if legacy {
            return self.legacy_shortest(
                input,
                scope,
                part,
                &chain,
                selector == Selector::AllShortest,
                pending,
                uniqueness,
            );
        }
        // Find every path, then keep those the selector picks per pair of
        // end points. Predicates on the pattern's variables are applied to
        // the candidate paths first.
        let mut inner_pending: Vec<&ast::Expr> = Vec::new();
        let (plan, pieces) = self.match_chain(
            input,
            scope,
            part,
            &mut inner_pending,
            uniqueness,
            Some(0),
            None,
        )?;
        let mut plan = plan;
        for predicate in inner_pending {
            let predicate = self.expr(predicate, scope)?;
            plan = filter(plan, predicate);
        }
        // Predicates that only read this pattern's variables filter before
        // selecting.
        let names = pattern_variables(part);
        let mut i = 0;
        while i < pending.len() {
            let vars = free_vars(pending[i]);
            if !vars.is_empty()
                && vars.iter().all(|v| names.contains(v) || scope.contains(v))
                && vars.iter().any(|v| names.contains(v))
            {
                let predicate = self.expr(pending[i], scope)?;
                plan = filter(plan, predicate);
                pending.remove(i);
            } else {
                i += 1;
            }
        }
        let path_slot = self.slot();
        plan = Plan::Project {
            input: plan.boxed(),
            items: vec![(path_slot, Expr::Path(pieces.clone()))],
        };
        let partition: Vec<Slot> = match (pieces.first(), pieces.last()) {
            (Some(PathPiece::Node(a)), Some(PathPiece::Node(b))) => vec![*a, *b],
            _ => Vec::new(),
        };
        plan = Plan::SelectPaths {
            input: plan.boxed(),
            partition,
            length: path_slot,
            selector,
        };
        if let Some(var) = &part.variable {
            scope.bind(&var.name, path_slot, VarKind::Path);
        }
        self.apply_ready(plan, scope, pending)
    }

    /// `shortestPath((a)-[*]-(b))` and `allShortestPaths(…)`.
    #[allow(clippy::too_many_arguments)]
    fn legacy_shortest(
        &mut self,
        input: Plan,
        scope: &mut Scope,
        part: &ast::PatternPart,
        chain: &Chain<'_>,
        all: bool,
        pending: &mut Vec<&ast::Expr>,
        uniqueness: &mut Uniqueness,
    ) -> Result<Plan> {
        let (Some(Step::Rel(rel)), 1) = (chain.steps.first().copied(), chain.steps.len()) else {
            return Err(EngineError::syntax(
                "shortestPath(...) requires a pattern containing a single relationship",
            ));
        };
        let mut plan = input;
        let (a, a_bound) = self.node_slot(chain.nodes[0], scope)?;
        plan = self.start_node(plan, scope, chain.nodes[0], a, a_bound, pending)?;
        let (b, b_bound) = self.node_slot(chain.nodes[1], scope)?;
        plan = self.start_node(plan, scope, chain.nodes[1], b, b_bound, pending)?;
        plan = self.apply_ready(plan, scope, pending)?;
        let (min, max) = match (rel.length, rel.quantifier) {
            (Some((min, max)), _) => (min.unwrap_or(1), max),
            (None, Some(q)) => (q.min.unwrap_or(0), q.max),
            (None, None) => (1, Some(1)),
        };
        if min > 1 {
            return Err(EngineError::syntax(
                "shortestPath(...) does not support a minimal length different from 0 or 1",
            ));
        }
        let rels = self.slot();
        let each = self.slot();
        let mut each_scope = scope.clone();
        if let Some(var) = &rel.variable {
            each_scope.bind(&var.name, each, VarKind::Rel);
        }
        let rel_predicate = self
            .rel_conditions(rel, each, &each_scope)?
            .into_iter()
            .reduce(|x, y| Expr::Binary(BinOp::And, x.boxed(), y.boxed()));
        self.bind_rel(scope, rel, rels, true);
        let pieces = vec![
            PathPiece::Node(a),
            PathPiece::Rels(rels),
            PathPiece::Node(b),
        ];
        let path = match &part.variable {
            Some(var) => {
                let slot = self.slot();
                scope.bind(&var.name, slot, VarKind::Path);
                Some((slot, Expr::Path(pieces)))
            }
            None => None,
        };
        // Predicates on the path or its relationships are part of the search.
        let mut names: BTreeSet<String> = BTreeSet::new();
        if let Some(v) = &part.variable {
            names.insert(v.name.clone());
        }
        if let Some(v) = &rel.variable {
            names.insert(v.name.clone());
        }
        let mut path_predicates = Vec::new();
        let mut i = 0;
        while i < pending.len() {
            let vars = free_vars(pending[i]);
            if vars.iter().any(|v| names.contains(v)) && vars.iter().all(|v| scope.contains(v)) {
                path_predicates.push(self.expr(pending[i], scope)?);
                pending.remove(i);
            } else {
                i += 1;
            }
        }
        let path_predicate = path_predicates
            .into_iter()
            .reduce(|x, y| Expr::Binary(BinOp::And, x.boxed(), y.boxed()));
        plan = Plan::ShortestPath {
            input: plan.boxed(),
            from: a,
            to: b,
            rels,
            dir: direction(rel.direction, false),
            types: type_names(&rel.types).unwrap_or_default(),
            min,
            max,
            all,
            rel_predicate: rel_predicate.map(|p| (each, p)),
            path_predicate,
            path,
        };
        uniqueness.add_list(rels);
        self.apply_ready(plan, scope, pending)
    }
}

/// Whether a path pattern names a variable already in scope.
fn touches(part: &ast::PatternPart, scope: &Scope) -> bool {
    pattern_variables(part).iter().any(|v| scope.contains(v))
}

fn pattern_variables(part: &ast::PatternPart) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Some(v) = &part.variable {
        out.insert(v.name.clone());
    }
    for element in &part.elements {
        match element {
            PathElement::Node(n) => {
                if let Some(v) = &n.variable {
                    out.insert(v.name.clone());
                }
            }
            PathElement::Relationship(r) => {
                if let Some(v) = &r.variable {
                    out.insert(v.name.clone());
                }
            }
            PathElement::Group(g) => out.extend(pattern_variables(&g.path)),
        }
    }
    out
}

fn filter(plan: Plan, predicate: Expr) -> Plan {
    Plan::Filter {
        input: plan.boxed(),
        predicate,
    }
}

/// `id(n) = x`, `elementId(n) = x`, `id(n) IN list`: the variable, the
/// value and whether it is an element id.
fn id_seek_candidate(e: &ast::Expr) -> Option<(&str, &ast::Expr, bool)> {
    let ExprKind::Binary(op, lhs, rhs) = &e.kind else {
        return None;
    };
    if !matches!(op, ast::BinaryOp::Eq | ast::BinaryOp::In) {
        return None;
    }
    fn call(x: &ast::Expr) -> Option<(&str, bool)> {
        let ExprKind::Function { name, args, .. } = &x.kind else {
            return None;
        };
        let element = name.name.eq_ignore_ascii_case("elementId");
        if !(element || name.name.eq_ignore_ascii_case("id")) || args.len() != 1 {
            return None;
        }
        match &args[0].kind {
            ExprKind::Variable(v) => Some((v.as_str(), element)),
            _ => None,
        }
    }
    if let Some((var, element)) = call(lhs) {
        return Some((var, rhs, element));
    }
    if *op == ast::BinaryOp::Eq
        && let Some((var, element)) = call(rhs)
    {
        return Some((var, lhs, element));
    }
    None
}
