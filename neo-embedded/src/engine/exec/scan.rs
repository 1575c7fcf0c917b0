//! Leaf reads: all nodes, nodes by label, index seeks, nodes by id, and
//! relationship scans, each once per input row.

use super::{BoxedOperator, ExecCtx, Operator, Row};
use crate::engine::error::Result;
use crate::engine::expr::{Expr, Slot, eval};
use crate::engine::schema::IndexSeek as Seek;
use crate::engine::value::{NodeId, RelId, Value};

/// How many ids one step of a scan reads.
const CHUNK: usize = 1024;

/// The input row being expanded by a scan, with the scan's position.
struct Cursor<T> {
    row: Option<Row>,
    items: Vec<T>,
    pos: usize,
    exhausted: bool,
}

impl<T> Default for Cursor<T> {
    fn default() -> Self {
        Cursor {
            row: None,
            items: Vec::new(),
            pos: 0,
            exhausted: false,
        }
    }
}

impl<T: Copy> Cursor<T> {
    fn reset(&mut self, row: Row) {
        self.row = Some(row);
        self.items.clear();
        self.pos = 0;
        self.exhausted = false;
    }

    fn take(&mut self) -> Option<T> {
        let item = self.items.get(self.pos).copied();
        if item.is_some() {
            self.pos += 1;
        }
        item
    }
}

pub(crate) struct AllNodes {
    input: BoxedOperator,
    slot: Slot,
    cursor: Cursor<NodeId>,
    last: Option<NodeId>,
}

impl AllNodes {
    pub(crate) fn new(input: BoxedOperator, slot: Slot) -> Self {
        AllNodes {
            input,
            slot,
            cursor: Cursor::default(),
            last: None,
        }
    }
}

impl Operator for AllNodes {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        loop {
            if self.cursor.row.is_none() {
                let Some(row) = self.input.next(ctx)? else {
                    return Ok(None);
                };
                self.cursor.reset(row);
                self.last = None;
            }
            if let Some(id) = self.cursor.take() {
                ctx.tick()?;
                if ctx.store.tx_state_ref().deleted_nodes.contains_key(&id) {
                    continue;
                }
                let mut row = self.cursor.row.clone().unwrap_or_default();
                row[self.slot] = Value::Node(id);
                return Ok(Some(row));
            }
            if self.cursor.exhausted {
                self.cursor.row = None;
                continue;
            }
            ctx.env.guard.check()?;
            let chunk = ctx.store.node_ids(self.last, CHUNK)?;
            if chunk.len() < CHUNK {
                self.cursor.exhausted = true;
            }
            self.last = chunk.last().copied().or(self.last);
            self.cursor.items = chunk;
            self.cursor.pos = 0;
        }
    }
}

pub(crate) struct NodesByLabel {
    input: BoxedOperator,
    slot: Slot,
    label: String,
    cursor: Cursor<NodeId>,
}

impl NodesByLabel {
    pub(crate) fn new(input: BoxedOperator, slot: Slot, label: String) -> Self {
        NodesByLabel {
            input,
            slot,
            label,
            cursor: Cursor::default(),
        }
    }
}

impl Operator for NodesByLabel {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        loop {
            if self.cursor.row.is_none() {
                let Some(row) = self.input.next(ctx)? else {
                    return Ok(None);
                };
                self.cursor.reset(row);
                self.cursor.items = ctx.store.label_node_ids(&self.label)?;
                self.cursor.exhausted = true;
            }
            match self.cursor.take() {
                Some(id) => {
                    ctx.tick()?;
                    if ctx.store.tx_state_ref().deleted_nodes.contains_key(&id) {
                        continue;
                    }
                    let mut row = self.cursor.row.clone().unwrap_or_default();
                    row[self.slot] = Value::Node(id);
                    return Ok(Some(row));
                }
                None => self.cursor.row = None,
            }
        }
    }
}

pub(crate) struct IndexSeek {
    input: BoxedOperator,
    slot: Slot,
    seek: Seek,
    cursor: Cursor<NodeId>,
}

impl IndexSeek {
    pub(crate) fn new(input: BoxedOperator, slot: Slot, seek: Seek) -> Self {
        IndexSeek {
            input,
            slot,
            seek,
            cursor: Cursor::default(),
        }
    }
}

impl Operator for IndexSeek {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        loop {
            if self.cursor.row.is_none() {
                let Some(mut row) = self.input.next(ctx)? else {
                    return Ok(None);
                };
                self.cursor.items = self.seek.run(&mut row, ctx)?;
                self.cursor.reset_keep(row);
            }
            match self.cursor.take() {
                Some(id) => {
                    ctx.tick()?;
                    if ctx.store.tx_state_ref().deleted_nodes.contains_key(&id) {
                        continue;
                    }
                    let mut row = self.cursor.row.clone().unwrap_or_default();
                    row[self.slot] = Value::Node(id);
                    return Ok(Some(row));
                }
                None => self.cursor.row = None,
            }
        }
    }
}

impl<T: Copy> Cursor<T> {
    /// Starts on `row` with the items already set.
    fn reset_keep(&mut self, row: Row) {
        self.row = Some(row);
        self.pos = 0;
        self.exhausted = true;
    }
}

/// `MATCH (n) WHERE id(n) = x` / `elementId(n) IN list`.
pub(crate) struct NodeById {
    input: BoxedOperator,
    slot: Slot,
    ids: Expr,
    element_ids: bool,
    cursor: Cursor<NodeId>,
}

impl NodeById {
    pub(crate) fn new(input: BoxedOperator, slot: Slot, ids: Expr, element_ids: bool) -> Self {
        NodeById {
            input,
            slot,
            ids,
            element_ids,
            cursor: Cursor::default(),
        }
    }
}

impl Operator for NodeById {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        loop {
            if self.cursor.row.is_none() {
                let Some(mut row) = self.input.next(ctx)? else {
                    return Ok(None);
                };
                let values = match eval(&self.ids, &mut row, ctx)? {
                    Value::List(items) => items,
                    other => vec![other],
                };
                let mut ids = Vec::new();
                for value in values {
                    let id = match (&value, self.element_ids) {
                        (Value::Int(i), false) => u64::try_from(*i).ok(),
                        (Value::String(s), true) => ctx.node_id_of(s),
                        _ => None,
                    };
                    if let Some(id) = id
                        && !ids.contains(&id)
                        && ctx.store.node(id)?.is_some()
                    {
                        ids.push(id);
                    }
                }
                self.cursor.items = ids;
                self.cursor.reset_keep(row);
            }
            match self.cursor.take() {
                Some(id) => {
                    let mut row = self.cursor.row.clone().unwrap_or_default();
                    row[self.slot] = Value::Node(id);
                    return Ok(Some(row));
                }
                None => self.cursor.row = None,
            }
        }
    }
}

/// Every relationship of some types, both ends bound.
pub(crate) struct RelScan {
    input: BoxedOperator,
    rel: Slot,
    start: Slot,
    end: Slot,
    types: Vec<String>,
    type_ids: Option<Vec<u32>>,
    directed: bool,
    distinct_from: Vec<Slot>,
    cursor: Cursor<(RelId, u32, NodeId, NodeId)>,
    last: Option<RelId>,
    /// The reverse orientation of the last relationship, for undirected scans.
    pending: Option<(RelId, NodeId, NodeId)>,
}

impl RelScan {
    pub(crate) fn new(
        input: BoxedOperator,
        rel: Slot,
        start: Slot,
        end: Slot,
        types: Vec<String>,
        directed: bool,
        distinct_from: Vec<Slot>,
    ) -> Self {
        RelScan {
            input,
            rel,
            start,
            end,
            types,
            type_ids: None,
            directed,
            distinct_from,
            cursor: Cursor::default(),
            last: None,
            pending: None,
        }
    }

    fn emit(&self, rel: RelId, a: NodeId, b: NodeId) -> Option<Row> {
        let base = self.cursor.row.as_ref()?;
        if self
            .distinct_from
            .iter()
            .any(|s| matches!(base[*s], Value::Rel(r) if r == rel))
        {
            return None;
        }
        let mut row = base.clone();
        row[self.rel] = Value::Rel(rel);
        row[self.start] = Value::Node(a);
        row[self.end] = Value::Node(b);
        Some(row)
    }
}

impl Operator for RelScan {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        if self.type_ids.is_none() {
            let mut ids = Vec::new();
            for t in &self.types {
                if let Some(id) = ctx.store.token_id(t)? {
                    ids.push(id);
                }
            }
            self.type_ids = Some(ids);
        }
        loop {
            if let Some((rel, a, b)) = self.pending.take()
                && let Some(row) = self.emit(rel, a, b)
            {
                return Ok(Some(row));
            }
            if self.cursor.row.is_none() {
                let Some(row) = self.input.next(ctx)? else {
                    return Ok(None);
                };
                self.cursor.reset(row);
                self.last = None;
            }
            if let Some((rel, type_id, a, b)) = self.cursor.take() {
                ctx.tick()?;
                if !self.types.is_empty()
                    && !self
                        .type_ids
                        .as_ref()
                        .is_some_and(|ids| ids.contains(&type_id))
                {
                    continue;
                }
                if !self.directed && a != b {
                    self.pending = Some((rel, b, a));
                }
                if let Some(row) = self.emit(rel, a, b) {
                    return Ok(Some(row));
                }
                continue;
            }
            if self.cursor.exhausted {
                self.cursor.row = None;
                continue;
            }
            ctx.env.guard.check()?;
            let chunk = ctx.store.rel_chunk(self.last, CHUNK)?;
            if chunk.len() < CHUNK {
                self.cursor.exhausted = true;
            }
            self.last = chunk.last().map(|c| c.0).or(self.last);
            self.cursor.items = chunk;
            self.cursor.pos = 0;
        }
    }
}
