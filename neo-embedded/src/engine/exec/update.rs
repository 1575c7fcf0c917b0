//! Writes: `CREATE`, `MERGE`, `SET`/`REMOVE`, `DELETE` and `FOREACH`, with
//! the counters Neo4j reports for them.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{BoxedOperator, ExecCtx, Operator, Row, build};
use crate::engine::error::{EngineError, Result, codes};
use crate::engine::expr::eval::{dynamic_names, properties_of};
use crate::engine::expr::{Expr, Slot, eval};
use crate::engine::plan::{CreateSpec, LabelName, Plan, SetAction};
use crate::engine::value::{NodeId, PathValue, RelId, Value};

/// The names `labels` give for one row.
fn label_names(labels: &[LabelName], row: &mut Row, ctx: &mut ExecCtx<'_>) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for label in labels {
        match label {
            LabelName::Static(name) => out.push(name.clone()),
            LabelName::Dynamic(expr) => out.extend(dynamic_names(expr, row, ctx)?),
        }
    }
    Ok(out)
}

/// A property map expression's value for one row.
fn property_map(
    expr: &Option<Expr>,
    row: &mut Row,
    ctx: &mut ExecCtx<'_>,
) -> Result<BTreeMap<String, Value>> {
    let Some(expr) = expr else {
        return Ok(BTreeMap::new());
    };
    match eval(expr, row, ctx)? {
        Value::Map(map) => Ok(map),
        Value::Null => Ok(BTreeMap::new()),
        other => Err(EngineError::type_error(format!(
            "Expected a map of properties but got {}",
            other.class_name()
        ))),
    }
}

fn describe_map(map: &BTreeMap<String, Value>) -> String {
    let entries: Vec<String> = map.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{{}}}", entries.join(", "))
}

/// Creates what `spec` describes for one row, binding the new slots.
pub(super) fn create(
    spec: &CreateSpec,
    row: &mut Row,
    ctx: &mut ExecCtx<'_>,
    merging: bool,
) -> Result<()> {
    for node in &spec.nodes {
        if node.bound {
            if !matches!(row[node.slot], Value::Node(_)) && !row[node.slot].is_null() {
                return Err(EngineError::type_error(
                    "Expected a node to create a relationship with",
                ));
            }
            continue;
        }
        let labels = label_names(&node.labels, row, ctx)?;
        let props = property_map(&node.properties, row, ctx)?;
        if merging && let Some((key, _)) = props.iter().find(|(_, v)| v.is_null()) {
            return Err(EngineError::semantic(format!(
                "Cannot merge the following node because of null property value for '{key}': ({}{} {})",
                labels.iter().map(|l| format!(":{l}")).collect::<String>(),
                "",
                describe_map(&props)
            )));
        }
        let id = ctx.store.create_node(&labels, &props)?;
        let stats = &mut ctx.stmt.stats;
        stats.nodes_created += 1;
        let mut seen: Vec<&String> = Vec::new();
        for label in &labels {
            if !seen.contains(&label) {
                seen.push(label);
                stats.labels_added += 1;
            }
        }
        stats.properties_set += props.values().filter(|v| !v.is_null()).count() as i64;
        row[node.slot] = Value::Node(id);
    }
    for rel in &spec.rels {
        let rel_type = match &rel.rel_type {
            LabelName::Static(name) => name.clone(),
            LabelName::Dynamic(expr) => {
                let mut names = dynamic_names(expr, row, ctx)?;
                if names.len() != 1 {
                    return Err(EngineError::syntax(
                        "A relationship must have exactly one type; the dynamic type gave a different number",
                    ));
                }
                names.remove(0)
            }
        };
        let props = property_map(&rel.properties, row, ctx)?;
        if merging && let Some((key, _)) = props.iter().find(|(_, v)| v.is_null()) {
            return Err(EngineError::semantic(format!(
                "Cannot merge the following relationship because of null property value for '{key}': \
                 ()-[:{rel_type} {}]->()",
                describe_map(&props)
            )));
        }
        let endpoint = |slot: Slot, row: &Row| match row[slot] {
            Value::Node(id) => Ok(id),
            _ => Err(EngineError::semantic(format!(
                "Failed to create relationship of type `{rel_type}`, a node is missing. If you prefer \
                 to simply ignore rows where a relationship node is missing, set \
                 'cypher.lenient_create_relationship = true' in neo4j.conf"
            ))),
        };
        let start = endpoint(rel.start, row)?;
        let end = endpoint(rel.end, row)?;
        for node in [start, end] {
            if ctx.store.tx_state_ref().deleted_nodes.contains_key(&node) {
                return Err(EngineError::entity_not_found(format!(
                    "Failed to create relationship, node with id {node} has been deleted in this transaction"
                )));
            }
        }
        let id = ctx.store.create_rel(&rel_type, start, end, &props)?;
        ctx.stmt.stats.relationships_created += 1;
        ctx.stmt.stats.properties_set += props.values().filter(|v| !v.is_null()).count() as i64;
        row[rel.slot] = Value::Rel(id);
    }
    for path in &spec.paths {
        let Value::Node(start) = row[path.start] else {
            continue;
        };
        let mut steps = Vec::new();
        for (rel, node) in &path.steps {
            if let (Value::Rel(r), Value::Node(n)) = (&row[*rel], &row[*node]) {
                steps.push((*r, *n));
            }
        }
        row[path.slot] = Value::Path(Box::new(PathValue { start, steps }));
    }
    Ok(())
}

pub(crate) struct Create {
    input: BoxedOperator,
    spec: CreateSpec,
}

impl Create {
    pub(crate) fn new(input: BoxedOperator, spec: CreateSpec) -> Self {
        Create { input, spec }
    }
}

impl Operator for Create {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        let Some(mut row) = self.input.next(ctx)? else {
            return Ok(None);
        };
        ctx.tick()?;
        create(&self.spec, &mut row, ctx, false)?;
        Ok(Some(row))
    }
}

pub(crate) struct Merge {
    input: BoxedOperator,
    matcher: Arc<Plan>,
    create: CreateSpec,
    on_create: Vec<SetAction>,
    on_match: Vec<SetAction>,
    binds: Vec<Slot>,
    pending: std::collections::VecDeque<Row>,
}

impl Merge {
    pub(crate) fn new(
        input: BoxedOperator,
        matcher: Arc<Plan>,
        create: CreateSpec,
        on_create: Vec<SetAction>,
        on_match: Vec<SetAction>,
        binds: Vec<Slot>,
    ) -> Self {
        Merge {
            input,
            matcher,
            create,
            on_create,
            on_match,
            binds,
            pending: std::collections::VecDeque::new(),
        }
    }
}

impl Operator for Merge {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        loop {
            if let Some(row) = self.pending.pop_front() {
                return Ok(Some(row));
            }
            let Some(mut row) = self.input.next(ctx)? else {
                return Ok(None);
            };
            ctx.tick()?;
            for slot in &self.binds {
                row[*slot] = Value::Null;
            }
            let mut matcher = build(&self.matcher, row.clone());
            let mut matched = Vec::new();
            while let Some(found) = matcher.next(ctx)? {
                matched.push(found);
            }
            if matched.is_empty() {
                create(&self.create, &mut row, ctx, true)?;
                apply_actions(&self.on_create, &mut row, ctx)?;
                return Ok(Some(row));
            }
            for mut found in matched {
                apply_actions(&self.on_match, &mut found, ctx)?;
                self.pending.push_back(found);
            }
        }
    }
}

pub(crate) struct SetOp {
    input: BoxedOperator,
    actions: Vec<SetAction>,
}

impl SetOp {
    pub(crate) fn new(input: BoxedOperator, actions: Vec<SetAction>) -> Self {
        SetOp { input, actions }
    }
}

impl Operator for SetOp {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        let Some(mut row) = self.input.next(ctx)? else {
            return Ok(None);
        };
        ctx.tick()?;
        apply_actions(&self.actions, &mut row, ctx)?;
        Ok(Some(row))
    }
}

enum Entity {
    Node(NodeId),
    Rel(RelId),
    Nothing,
}

fn entity(value: Value, what: &str) -> Result<Entity> {
    match value {
        Value::Node(id) => Ok(Entity::Node(id)),
        Value::Rel(id) => Ok(Entity::Rel(id)),
        Value::Null => Ok(Entity::Nothing),
        other => Err(EngineError::type_error(format!(
            "Type mismatch: expected Node or Relationship but was {} ({what})",
            other.class_name()
        ))),
    }
}

fn deleted(entity: &Entity, ctx: &ExecCtx<'_>) -> bool {
    let state = ctx.store.tx_state_ref();
    match entity {
        Entity::Node(id) => state.deleted_nodes.contains_key(id),
        Entity::Rel(id) => state.deleted_rels.contains_key(id),
        Entity::Nothing => false,
    }
}

fn set_property(target: &Entity, key: &str, value: &Value, ctx: &mut ExecCtx<'_>) -> Result<()> {
    if deleted(target, ctx) {
        return Err(EngineError::entity_not_found(
            "Cannot set a property on an entity that has been deleted in this transaction",
        ));
    }
    let had = match target {
        Entity::Node(id) => ctx.store.set_node_property(*id, key, value)?,
        Entity::Rel(id) => ctx.store.set_rel_property(*id, key, value)?,
        Entity::Nothing => return Ok(()),
    };
    if !value.is_null() || had {
        ctx.stmt.stats.properties_set += 1;
    }
    Ok(())
}

fn key_of(value: Value) -> Result<String> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(EngineError::type_error(format!(
            "Expected a string as a property key but was {}",
            other.class_name()
        ))),
    }
}

/// Applies `SET`/`REMOVE` actions to one row.
pub(super) fn apply_actions(
    actions: &[SetAction],
    row: &mut Row,
    ctx: &mut ExecCtx<'_>,
) -> Result<()> {
    for action in actions {
        match action {
            SetAction::Property {
                entity: e,
                key,
                value,
            } => {
                let target = entity(eval(e, row, ctx)?, key)?;
                let value = eval(value, row, ctx)?;
                set_property(&target, key, &value, ctx)?;
            }
            SetAction::DynamicProperty {
                entity: e,
                key,
                value,
            } => {
                let target = entity(eval(e, row, ctx)?, "dynamic property")?;
                let key = key_of(eval(key, row, ctx)?)?;
                let value = eval(value, row, ctx)?;
                set_property(&target, &key, &value, ctx)?;
            }
            SetAction::RemoveProperty { entity: e, key } => {
                let target = entity(eval(e, row, ctx)?, key)?;
                remove_property(&target, key, ctx)?;
            }
            SetAction::RemoveDynamicProperty { entity: e, key } => {
                let target = entity(eval(e, row, ctx)?, "dynamic property")?;
                let key = key_of(eval(key, row, ctx)?)?;
                remove_property(&target, &key, ctx)?;
            }
            SetAction::Properties {
                entity: slot,
                value,
                merge,
            } => {
                let target = entity(row[*slot].clone(), "properties")?;
                if matches!(target, Entity::Nothing) {
                    continue;
                }
                let new = match eval(value, row, ctx)? {
                    Value::Null => BTreeMap::new(),
                    v @ (Value::Map(_) | Value::Node(_) | Value::Rel(_)) => properties_of(&v, ctx)?,
                    other => {
                        return Err(EngineError::type_error(format!(
                            "Expected a map, a node or a relationship to set properties from, but was {}",
                            other.class_name()
                        )));
                    }
                };
                if !*merge {
                    let current = match &target {
                        Entity::Node(id) => properties_of(&Value::Node(*id), ctx)?,
                        Entity::Rel(id) => properties_of(&Value::Rel(*id), ctx)?,
                        Entity::Nothing => BTreeMap::new(),
                    };
                    for key in current.keys() {
                        if !new.contains_key(key) {
                            set_property(&target, key, &Value::Null, ctx)?;
                        }
                    }
                }
                for (key, value) in &new {
                    set_property(&target, key, value, ctx)?;
                }
            }
            SetAction::AddLabels {
                entity: slot,
                labels,
            } => {
                let names = label_names(labels, row, ctx)?;
                match row[*slot] {
                    Value::Node(id) => {
                        if ctx.store.tx_state_ref().deleted_nodes.contains_key(&id) {
                            return Err(EngineError::entity_not_found(format!(
                                "Node with id {id} has been deleted in this transaction"
                            )));
                        }
                        for name in &names {
                            if ctx.store.add_label(id, name)? {
                                ctx.stmt.stats.labels_added += 1;
                            }
                        }
                    }
                    Value::Null => {}
                    ref other => {
                        return Err(EngineError::type_error(format!(
                            "Type mismatch: expected Node but was {}",
                            other.class_name()
                        )));
                    }
                }
            }
            SetAction::RemoveLabels {
                entity: slot,
                labels,
            } => {
                let names = label_names(labels, row, ctx)?;
                match row[*slot] {
                    Value::Node(id) => {
                        for name in &names {
                            if ctx.store.remove_label(id, name)? {
                                ctx.stmt.stats.labels_removed += 1;
                            }
                        }
                    }
                    Value::Null => {}
                    ref other => {
                        return Err(EngineError::type_error(format!(
                            "Type mismatch: expected Node but was {}",
                            other.class_name()
                        )));
                    }
                }
            }
        }
    }
    Ok(())
}

fn remove_property(target: &Entity, key: &str, ctx: &mut ExecCtx<'_>) -> Result<()> {
    let had = match target {
        Entity::Node(id) => ctx.store.set_node_property(*id, key, &Value::Null)?,
        Entity::Rel(id) => ctx.store.set_rel_property(*id, key, &Value::Null)?,
        Entity::Nothing => false,
    };
    if had {
        ctx.stmt.stats.properties_set += 1;
    }
    Ok(())
}

pub(crate) struct Delete {
    input: BoxedOperator,
    targets: Vec<Expr>,
    detach: bool,
    pending: Vec<NodeId>,
}

impl Delete {
    pub(crate) fn new(input: BoxedOperator, targets: Vec<Expr>, detach: bool) -> Self {
        Delete {
            input,
            targets,
            detach,
            pending: Vec::new(),
        }
    }

    fn collect(value: Value, nodes: &mut Vec<NodeId>, rels: &mut Vec<RelId>) -> Result<()> {
        match value {
            Value::Null => {}
            Value::Node(id) => nodes.push(id),
            Value::Rel(id) => rels.push(id),
            Value::Path(path) => {
                nodes.extend(path.nodes());
                rels.extend(path.steps.iter().map(|(r, _)| *r));
            }
            Value::List(items) => {
                for item in items {
                    Self::collect(item, nodes, rels)?;
                }
            }
            other => {
                return Err(EngineError::type_error(format!(
                    "Expected a Node, Relationship or Path, but got {}",
                    other.class_name()
                )));
            }
        }
        Ok(())
    }

    fn delete_node(&mut self, id: NodeId, ctx: &mut ExecCtx<'_>) -> Result<()> {
        if self.detach {
            for adj in ctx
                .store
                .expand(id, crate::engine::storage::Dir::Both, None)?
            {
                if ctx.store.delete_rel(adj.rel)? {
                    ctx.stmt.stats.relationships_deleted += 1;
                }
            }
        }
        if ctx.store.mark_node_deleted(id)? {
            ctx.stmt.stats.nodes_deleted += 1;
            if !ctx.store.delete_marked_node(id)? {
                self.pending.push(id);
            }
        }
        Ok(())
    }
}

impl Operator for Delete {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        let Some(mut row) = self.input.next(ctx)? else {
            let pending = std::mem::take(&mut self.pending);
            for id in pending {
                if !ctx.store.delete_marked_node(id)? {
                    return Err(EngineError::new(
                        codes::CONSTRAINT_VALIDATION_FAILED,
                        format!(
                            "Cannot delete node<{id}>, because it still has relationships. To delete \
                             this node, you must first delete its relationships."
                        ),
                    ));
                }
            }
            return Ok(None);
        };
        ctx.tick()?;
        let (mut nodes, mut rels) = (Vec::new(), Vec::new());
        for target in &self.targets {
            let value = eval(target, &mut row, ctx)?;
            Self::collect(value, &mut nodes, &mut rels)?;
        }
        for rel in rels {
            if ctx.store.delete_rel(rel)? {
                ctx.stmt.stats.relationships_deleted += 1;
            }
        }
        for node in nodes {
            self.delete_node(node, ctx)?;
        }
        Ok(Some(row))
    }
}

pub(crate) struct Foreach {
    input: BoxedOperator,
    slot: Slot,
    list: Expr,
    body: Arc<Plan>,
}

impl Foreach {
    pub(crate) fn new(input: BoxedOperator, slot: Slot, list: Expr, body: Arc<Plan>) -> Self {
        Foreach {
            input,
            slot,
            list,
            body,
        }
    }
}

impl Operator for Foreach {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        let Some(mut row) = self.input.next(ctx)? else {
            return Ok(None);
        };
        let items = match eval(&self.list, &mut row, ctx)? {
            Value::Null => Vec::new(),
            Value::List(items) => items,
            other => {
                return Err(EngineError::type_error(format!(
                    "Type mismatch: expected List<T> but was {}",
                    other.class_name()
                )));
            }
        };
        let saved = row[self.slot].clone();
        for item in items {
            ctx.tick()?;
            let mut argument = row.clone();
            argument[self.slot] = item;
            let mut body = build(&self.body, argument);
            while body.next(ctx)?.is_some() {}
        }
        row[self.slot] = saved;
        Ok(Some(row))
    }
}
