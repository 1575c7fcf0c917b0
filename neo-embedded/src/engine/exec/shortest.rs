//! Shortest paths: breadth-first search between two bound nodes
//! (`shortestPath`, `allShortestPaths`), and the selection of paths by
//! length per pair of end points (`SHORTEST k`, `ALL SHORTEST`, `ANY k`).

use std::collections::{HashMap, HashSet, VecDeque};

use super::expand::{neighbours, type_ids};
use super::{BoxedOperator, ExecCtx, Operator, Row};
use crate::engine::error::{EngineError, Result, codes};
use crate::engine::expr::compare::Key;
use crate::engine::expr::{Expr, Slot, eval, eval_predicate};
use crate::engine::plan::Selector;
use crate::engine::storage::Dir;
use crate::engine::value::{NodeId, RelId, Value};

/// The most paths a breadth-first search keeps in flight.
const MAX_FRONTIER: usize = 1_000_000;

pub(crate) struct ShortestSpec {
    pub(crate) from: Slot,
    pub(crate) to: Slot,
    pub(crate) rels: Slot,
    pub(crate) dir: Dir,
    pub(crate) types: Vec<String>,
    pub(crate) min: u64,
    pub(crate) max: Option<u64>,
    pub(crate) all: bool,
    pub(crate) rel_predicate: Option<(Slot, Expr)>,
    pub(crate) path_predicate: Option<Expr>,
    pub(crate) path: Option<(Slot, Expr)>,
}

pub(crate) struct ShortestPath {
    input: BoxedOperator,
    spec: ShortestSpec,
    pending: VecDeque<Row>,
}

impl ShortestPath {
    pub(crate) fn new(input: BoxedOperator, spec: ShortestSpec) -> Self {
        ShortestPath {
            input,
            spec,
            pending: VecDeque::new(),
        }
    }

    fn with_path(&self, row: &Row, rels: &[RelId], ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        let mut out = row.clone();
        out[self.spec.rels] = Value::List(rels.iter().map(|r| Value::Rel(*r)).collect());
        if let Some((slot, expr)) = &self.spec.path {
            let path = eval(expr, &mut out, ctx)?;
            out[*slot] = path;
        }
        if let Some(predicate) = &self.spec.path_predicate
            && !eval_predicate(predicate, &mut out, ctx)?
        {
            return Ok(None);
        }
        Ok(Some(out))
    }

    fn rel_passes(&self, row: &Row, rel: RelId, ctx: &mut ExecCtx<'_>) -> Result<bool> {
        let Some((slot, predicate)) = &self.spec.rel_predicate else {
            return Ok(true);
        };
        let mut scratch = row.clone();
        scratch[*slot] = Value::Rel(rel);
        eval_predicate(predicate, &mut scratch, ctx)
    }

    /// Breadth-first over paths, level by level, until a level yields
    /// matches (all of them for `all`, the first otherwise).
    fn search(
        &self,
        row: &Row,
        from: NodeId,
        to: NodeId,
        ctx: &mut ExecCtx<'_>,
    ) -> Result<Vec<Row>> {
        let types = type_ids(&self.spec.types, ctx)?;
        let mut found = Vec::new();
        let mut level: Vec<(NodeId, Vec<RelId>)> = vec![(from, Vec::new())];
        // Without a predicate on whole paths, a node reached at a lower depth
        // need not be expanded again.
        let prune = self.spec.path_predicate.is_none();
        let mut reached: HashMap<NodeId, usize> = HashMap::from([(from, 0)]);
        let mut depth: u64 = 0;
        loop {
            if depth >= self.spec.min && (from == to || depth > 0) {
                for (node, rels) in &level {
                    if *node == to
                        && let Some(out) = self.with_path(row, rels, ctx)?
                    {
                        found.push(out);
                        if !self.spec.all {
                            return Ok(found);
                        }
                    }
                }
                if !found.is_empty() {
                    return Ok(found);
                }
            }
            if self.spec.max.is_some_and(|max| depth >= max) || level.is_empty() {
                return Ok(found);
            }
            depth += 1;
            let mut next = Vec::new();
            for (node, rels) in &level {
                ctx.tick()?;
                for adj in neighbours(ctx, *node, self.spec.dir, &types)? {
                    if rels.contains(&adj.rel) || !self.rel_passes(row, adj.rel, ctx)? {
                        continue;
                    }
                    if prune {
                        let seen = reached.get(&adj.other).copied();
                        match seen {
                            Some(at)
                                if at < depth as usize && !(adj.other == to && self.spec.all) =>
                            {
                                continue;
                            }
                            Some(at) if at < depth as usize => continue,
                            _ => {}
                        }
                        reached.insert(adj.other, depth as usize);
                    }
                    let mut path = rels.clone();
                    path.push(adj.rel);
                    next.push((adj.other, path));
                }
            }
            if next.len() > MAX_FRONTIER {
                return Err(EngineError::new(
                    codes::OUT_OF_MEMORY,
                    format!(
                        "the shortest path search reached more than {MAX_FRONTIER} paths at one length"
                    ),
                ));
            }
            level = next;
        }
    }
}

impl Operator for ShortestPath {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        loop {
            if let Some(row) = self.pending.pop_front() {
                return Ok(Some(row));
            }
            let Some(row) = self.input.next(ctx)? else {
                return Ok(None);
            };
            let (Value::Node(from), Value::Node(to)) = (&row[self.spec.from], &row[self.spec.to])
            else {
                continue;
            };
            let (from, to) = (*from, *to);
            if from == to && self.spec.min > 0 {
                return Err(EngineError::semantic(
                    "The shortest path algorithm does not work when the start and end nodes are the same. \
                     This can happen if you perform a shortestPath search after a cartesian product that \
                     might have the same start and end nodes for some of the rows passed to shortestPath.",
                ));
            }
            let found = self.search(&row, from, to, ctx)?;
            self.pending.extend(found);
        }
    }
}

/// Keeps, per pair of end points, the paths a selector picks.
pub(crate) struct SelectPaths {
    input: BoxedOperator,
    partition: Vec<Slot>,
    length: Slot,
    selector: Selector,
    output: Option<std::vec::IntoIter<Row>>,
}

impl SelectPaths {
    pub(crate) fn new(
        input: BoxedOperator,
        partition: Vec<Slot>,
        length: Slot,
        selector: Selector,
    ) -> Self {
        SelectPaths {
            input,
            partition,
            length,
            selector,
            output: None,
        }
    }
}

/// The number of relationships of a path.
fn path_length(value: &Value) -> usize {
    match value {
        Value::Path(path) => path.steps.len(),
        _ => 0,
    }
}

impl Operator for SelectPaths {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        if self.output.is_none() {
            let mut groups: Vec<Vec<Row>> = Vec::new();
            let mut index: HashMap<Key, usize> = HashMap::new();
            while let Some(row) = self.input.next(ctx)? {
                ctx.tick()?;
                let key = Key(self.partition.iter().map(|s| row[*s].clone()).collect());
                let at = *index.entry(key).or_insert_with(|| {
                    groups.push(Vec::new());
                    groups.len() - 1
                });
                groups[at].push(row);
            }
            let mut out = Vec::new();
            for mut group in groups {
                group.sort_by_key(|r| path_length(&r[self.length]));
                match self.selector {
                    Selector::Shortest(k) | Selector::Any(k) => {
                        out.extend(group.into_iter().take(k as usize));
                    }
                    Selector::AllShortest => {
                        let shortest = group.first().map(|r| path_length(&r[self.length]));
                        out.extend(
                            group
                                .into_iter()
                                .take_while(|r| Some(path_length(&r[self.length])) == shortest),
                        );
                    }
                    Selector::ShortestGroups(k) => {
                        let mut lengths: Vec<usize> =
                            group.iter().map(|r| path_length(&r[self.length])).collect();
                        lengths.dedup();
                        let keep: HashSet<usize> = lengths.into_iter().take(k as usize).collect();
                        out.extend(
                            group
                                .into_iter()
                                .filter(|r| keep.contains(&path_length(&r[self.length]))),
                        );
                    }
                }
            }
            self.output = Some(out.into_iter());
        }
        Ok(self.output.as_mut().and_then(Iterator::next))
    }
}
