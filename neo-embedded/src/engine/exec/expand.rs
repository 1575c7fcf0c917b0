//! Relationship traversal: single steps, variable-length steps and
//! quantified path patterns, with relationship uniqueness (a relationship
//! is matched at most once per pattern).

use super::{BoxedOperator, ExecCtx, Operator, Row, build};
use crate::engine::error::Result;
use crate::engine::expr::{Slot, eval_predicate};
use crate::engine::plan::{ExpandSpec, RepeatSpec, VarExpandSpec};
use crate::engine::storage::{Adjacent, Dir};
use crate::engine::value::{NodeId, RelId, Value};

/// The type ids of `types` (`None`: any type; an empty list when none of
/// them exists, so nothing matches).
pub(super) fn type_ids(types: &[String], ctx: &mut ExecCtx<'_>) -> Result<Option<Vec<u32>>> {
    if types.is_empty() {
        return Ok(None);
    }
    let mut ids = Vec::new();
    for t in types {
        if let Some(id) = ctx.store.token_id(t)? {
            ids.push(id);
        }
    }
    Ok(Some(ids))
}

/// Whether `rel` is already used by the pattern in `row`.
pub(super) fn used(rel: RelId, row: &Row, singles: &[Slot], lists: &[Slot]) -> bool {
    singles
        .iter()
        .any(|s| matches!(row[*s], Value::Rel(r) if r == rel))
        || lists.iter().any(|s| match &row[*s] {
            Value::List(items) => items
                .iter()
                .any(|v| matches!(v, Value::Rel(r) if *r == rel)),
            _ => false,
        })
}

/// The relationships next to `node`, without those deleted in this
/// transaction.
pub(super) fn neighbours(
    ctx: &mut ExecCtx<'_>,
    node: NodeId,
    dir: Dir,
    types: &Option<Vec<u32>>,
) -> Result<Vec<Adjacent>> {
    if types.as_ref().is_some_and(Vec::is_empty) {
        return Ok(Vec::new());
    }
    let mut adjacent = ctx.store.expand(node, dir, types.as_deref())?;
    let state = ctx.store.tx_state_ref();
    if !state.deleted_nodes.is_empty() {
        adjacent.retain(|a| !state.deleted_nodes.contains_key(&a.other));
    }
    Ok(adjacent)
}

pub(crate) struct Expand {
    input: BoxedOperator,
    spec: ExpandSpec,
    types: Option<Option<Vec<u32>>>,
    row: Option<Row>,
    adjacent: Vec<Adjacent>,
    pos: usize,
}

impl Expand {
    pub(crate) fn new(input: BoxedOperator, spec: ExpandSpec) -> Self {
        Expand {
            input,
            spec,
            types: None,
            row: None,
            adjacent: Vec::new(),
            pos: 0,
        }
    }
}

impl Operator for Expand {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        if self.types.is_none() {
            self.types = Some(type_ids(&self.spec.types, ctx)?);
        }
        loop {
            if let Some(row) = &self.row
                && let Some(adj) = self.adjacent.get(self.pos).copied()
            {
                self.pos += 1;
                if used(
                    adj.rel,
                    row,
                    &self.spec.distinct_from,
                    &self.spec.distinct_from_lists,
                ) {
                    continue;
                }
                if self.spec.into && !matches!(row[self.spec.to], Value::Node(n) if n == adj.other)
                {
                    continue;
                }
                let mut out = row.clone();
                out[self.spec.rel] = Value::Rel(adj.rel);
                out[self.spec.to] = Value::Node(adj.other);
                return Ok(Some(out));
            }
            let Some(row) = self.input.next(ctx)? else {
                return Ok(None);
            };
            ctx.tick()?;
            self.pos = 0;
            self.adjacent = match row[self.spec.from] {
                Value::Node(from) => {
                    let types = self.types.clone().flatten();
                    neighbours(ctx, from, self.spec.dir, &types)?
                }
                _ => Vec::new(),
            };
            self.row = Some(row);
        }
    }
}

/// One level of a depth-first search.
struct Frame {
    node: NodeId,
    adjacent: Vec<Adjacent>,
    next: usize,
}

pub(crate) struct VarExpand {
    input: BoxedOperator,
    spec: VarExpandSpec,
    types: Option<Option<Vec<u32>>>,
    row: Option<Row>,
    stack: Vec<Frame>,
    path: Vec<RelId>,
    emit_empty: bool,
}

impl VarExpand {
    pub(crate) fn new(input: BoxedOperator, spec: VarExpandSpec) -> Self {
        VarExpand {
            input,
            spec,
            types: None,
            row: None,
            stack: Vec::new(),
            path: Vec::new(),
            emit_empty: false,
        }
    }

    fn output(&self, end: NodeId) -> Option<Row> {
        let row = self.row.as_ref()?;
        if self.spec.into && !matches!(row[self.spec.to], Value::Node(n) if n == end) {
            return None;
        }
        let mut out = row.clone();
        let mut rels: Vec<Value> = self.path.iter().map(|r| Value::Rel(*r)).collect();
        if self.spec.reversed {
            rels.reverse();
        }
        out[self.spec.rels] = Value::List(rels);
        out[self.spec.to] = Value::Node(end);
        Some(out)
    }

    fn rel_passes(&self, rel: RelId, ctx: &mut ExecCtx<'_>) -> Result<bool> {
        let Some((slot, predicate)) = &self.spec.rel_predicate else {
            return Ok(true);
        };
        let Some(row) = &self.row else {
            return Ok(false);
        };
        let mut scratch = row.clone();
        scratch[*slot] = Value::Rel(rel);
        eval_predicate(predicate, &mut scratch, ctx)
    }
}

impl Operator for VarExpand {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        if self.types.is_none() {
            self.types = Some(type_ids(&self.spec.types, ctx)?);
        }
        let types = self.types.clone().flatten();
        loop {
            if self.emit_empty {
                self.emit_empty = false;
                if let Some(start) = self.stack.first().map(|f| f.node)
                    && let Some(out) = self.output(start)
                {
                    return Ok(Some(out));
                }
            }
            let Some(frame) = self.stack.last_mut() else {
                let Some(row) = self.input.next(ctx)? else {
                    return Ok(None);
                };
                self.path.clear();
                if let Value::Node(from) = row[self.spec.from] {
                    let adjacent = if self.spec.max == Some(0) {
                        Vec::new()
                    } else {
                        neighbours(ctx, from, self.spec.dir, &types)?
                    };
                    self.stack.push(Frame {
                        node: from,
                        adjacent,
                        next: 0,
                    });
                    self.emit_empty = self.spec.min == 0;
                }
                self.row = Some(row);
                continue;
            };
            let Some(adj) = frame.adjacent.get(frame.next).copied() else {
                self.stack.pop();
                if !self.stack.is_empty() {
                    self.path.pop();
                }
                continue;
            };
            frame.next += 1;
            ctx.tick()?;
            if self.path.contains(&adj.rel) && !self.spec.repeatable {
                continue;
            }
            if let Some(row) = &self.row
                && used(
                    adj.rel,
                    row,
                    &self.spec.distinct_from,
                    &self.spec.distinct_from_lists,
                )
            {
                continue;
            }
            if !self.rel_passes(adj.rel, ctx)? {
                continue;
            }
            self.path.push(adj.rel);
            let depth = self.path.len() as u64;
            let deeper = self.spec.max.is_none_or(|max| depth < max);
            let adjacent = if deeper {
                neighbours(ctx, adj.other, self.spec.dir, &types)?
            } else {
                Vec::new()
            };
            self.stack.push(Frame {
                node: adj.other,
                adjacent,
                next: 0,
            });
            if depth >= self.spec.min
                && let Some(out) = self.output(adj.other)
            {
                return Ok(Some(out));
            }
        }
    }
}

/// One iteration level of a quantified path pattern.
struct Iteration {
    /// The inner pattern's rows from this iteration's start node.
    inner: BoxedOperator,
    /// What the path had before this iteration.
    rels_before: usize,
    groups_before: Vec<usize>,
}

pub(crate) struct Repeat {
    input: BoxedOperator,
    spec: RepeatSpec,
    row: Option<Row>,
    stack: Vec<Iteration>,
    rels: Vec<RelId>,
    /// The collected values of each group variable.
    groups: Vec<Vec<Value>>,
    /// The node the current partial path ends at.
    ends: Vec<NodeId>,
    emit_empty: bool,
}

impl Repeat {
    pub(crate) fn new(input: BoxedOperator, spec: RepeatSpec) -> Self {
        let groups = vec![Vec::new(); spec.groups.len()];
        Repeat {
            input,
            spec,
            row: None,
            stack: Vec::new(),
            rels: Vec::new(),
            groups,
            ends: Vec::new(),
            emit_empty: false,
        }
    }

    fn start_iteration(&mut self, node: NodeId) {
        let Some(row) = &self.row else {
            return;
        };
        let mut argument = row.clone();
        argument[self.spec.inner_start] = Value::Node(node);
        let inner = build(&self.spec.inner, argument);
        self.stack.push(Iteration {
            inner,
            rels_before: self.rels.len(),
            groups_before: self.groups.iter().map(Vec::len).collect(),
        });
    }

    fn output(&self, end: NodeId) -> Option<Row> {
        let row = self.row.as_ref()?;
        if self.spec.into && !matches!(row[self.spec.to], Value::Node(n) if n == end) {
            return None;
        }
        let mut out = row.clone();
        out[self.spec.to] = Value::Node(end);
        out[self.spec.rels] = Value::List(self.rels.iter().map(|r| Value::Rel(*r)).collect());
        for ((_, group_slot), values) in self.spec.groups.iter().zip(&self.groups) {
            out[*group_slot] = Value::List(values.clone());
        }
        Some(out)
    }

    fn unwind_to(&mut self, depth: usize) {
        while self.stack.len() > depth {
            if let Some(level) = self.stack.pop() {
                self.rels.truncate(level.rels_before);
                for (group, len) in self.groups.iter_mut().zip(&level.groups_before) {
                    group.truncate(*len);
                }
            }
        }
    }
}

impl Operator for Repeat {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        loop {
            if self.emit_empty {
                self.emit_empty = false;
                if let Some(&start) = self.ends.first()
                    && let Some(out) = self.output(start)
                {
                    return Ok(Some(out));
                }
            }
            if self.stack.is_empty() {
                let Some(row) = self.input.next(ctx)? else {
                    return Ok(None);
                };
                self.rels.clear();
                self.groups.iter_mut().for_each(Vec::clear);
                self.ends.clear();
                self.row = Some(row);
                let Some(Value::Node(from)) = self.row.as_ref().map(|r| r[self.spec.from].clone())
                else {
                    continue;
                };
                self.ends.push(from);
                self.emit_empty = self.spec.min == 0;
                if self.spec.max != Some(0) {
                    self.start_iteration(from);
                } else {
                    self.ends.clear();
                    self.ends.push(from);
                }
                if self.stack.is_empty() && !self.emit_empty {
                    continue;
                }
                continue;
            }
            let depth = self.stack.len();
            // Undo what the previous row of this iteration added.
            let (rels_before, groups_before) = {
                let level = &self.stack[depth - 1];
                (level.rels_before, level.groups_before.clone())
            };
            self.rels.truncate(rels_before);
            for (group, len) in self.groups.iter_mut().zip(&groups_before) {
                group.truncate(*len);
            }
            self.ends.truncate(depth);
            let next = {
                let level = &mut self.stack[depth - 1];
                level.inner.next(ctx)?
            };
            let Some(inner_row) = next else {
                self.unwind_to(depth - 1);
                continue;
            };
            ctx.tick()?;
            // The relationships this iteration crossed.
            let mut crossed = Vec::new();
            for slot in &self.spec.inner_rels {
                match &inner_row[*slot] {
                    Value::Rel(r) => crossed.push(*r),
                    Value::List(items) => crossed.extend(items.iter().filter_map(|v| match v {
                        Value::Rel(r) => Some(*r),
                        _ => None,
                    })),
                    _ => {}
                }
            }
            if !self.spec.repeatable {
                let row = self.row.as_ref().map_or(&inner_row, |r| r);
                let clash = crossed.iter().enumerate().any(|(i, r)| {
                    self.rels.contains(r)
                        || crossed[..i].contains(r)
                        || used(
                            *r,
                            row,
                            &self.spec.distinct_from,
                            &self.spec.distinct_from_lists,
                        )
                });
                if clash {
                    continue;
                }
            }
            let Value::Node(end) = inner_row[self.spec.inner_end] else {
                continue;
            };
            self.rels.extend(crossed);
            for ((inner_slot, _), values) in self.spec.groups.iter().zip(self.groups.iter_mut()) {
                values.push(inner_row[*inner_slot].clone());
            }
            self.ends.push(end);
            let iterations = depth as u64;
            let result = if iterations >= self.spec.min {
                self.output(end)
            } else {
                None
            };
            if self.spec.max.is_none_or(|max| iterations < max) {
                // Go one iteration deeper from here; this row's additions stay
                // until the deeper level is exhausted.
                let rels_now = self.rels.len();
                let groups_now: Vec<usize> = self.groups.iter().map(Vec::len).collect();
                self.start_iteration(end);
                if let Some(level) = self.stack.last_mut() {
                    level.rels_before = rels_now;
                    level.groups_before = groups_now;
                }
            }
            if let Some(out) = result {
                return Ok(Some(out));
            }
        }
    }
}
