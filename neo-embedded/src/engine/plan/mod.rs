//! Plans: the operator trees the planner builds from `neo-cypher`'s syntax
//! tree and the executor runs. Rows are vectors of values with one slot per
//! variable of the statement (the planner allocates the slots); every
//! operator but [`Plan::Argument`] reads the rows of its input.

pub(crate) mod builder;
mod clauses;
mod describe;
mod expressions;
mod patterns;
pub(crate) mod scope;
mod seeks;
mod updates;

use std::sync::Arc;

pub(crate) use builder::{KnownTokens, PlanContext, RunMode, StatementKind, plan_statement};
pub(crate) use describe::{ProfileData, describe};

use super::expr::aggregate::AggSpec;
use super::expr::{Expr, LabelPredicate, Slot};
use super::procedures::ProcedureRef;
use super::schema::{IndexSeek, SchemaCommand};
use super::storage::Dir;

/// A sort key.
#[derive(Debug, Clone)]
pub(crate) struct SortKey {
    pub(crate) expr: Expr,
    pub(crate) descending: bool,
    /// `NULLS FIRST` / `NULLS LAST` when written.
    pub(crate) nulls_first: Option<bool>,
}

/// A node a `CREATE` or `MERGE` makes.
#[derive(Debug, Clone)]
pub(crate) struct NodeSpec {
    pub(crate) slot: Slot,
    /// Already bound: nothing to create.
    pub(crate) bound: bool,
    pub(crate) labels: Vec<LabelName>,
    pub(crate) properties: Option<Expr>,
}

/// A label of a created node: a name or `$(expr)`.
#[derive(Debug, Clone)]
pub(crate) enum LabelName {
    Static(String),
    Dynamic(Expr),
}

/// A relationship a `CREATE` or `MERGE` makes.
#[derive(Debug, Clone)]
pub(crate) struct RelSpec {
    pub(crate) slot: Slot,
    pub(crate) rel_type: LabelName,
    pub(crate) start: Slot,
    pub(crate) end: Slot,
    pub(crate) properties: Option<Expr>,
}

/// A path a `CREATE` or `MERGE` binds to a variable: the node and
/// relationship slots, in order.
#[derive(Debug, Clone)]
pub(crate) struct PathSpec {
    pub(crate) slot: Slot,
    pub(crate) start: Slot,
    pub(crate) steps: Vec<(Slot, Slot)>,
}

/// What `CREATE` makes for one row.
#[derive(Debug, Clone, Default)]
pub(crate) struct CreateSpec {
    pub(crate) nodes: Vec<NodeSpec>,
    pub(crate) rels: Vec<RelSpec>,
    pub(crate) paths: Vec<PathSpec>,
}

/// One `SET` or `REMOVE` action.
#[derive(Debug, Clone)]
pub(crate) enum SetAction {
    /// `e.key = value`
    Property {
        entity: Expr,
        key: String,
        value: Expr,
    },
    /// `e[key] = value`
    DynamicProperty {
        entity: Expr,
        key: Expr,
        value: Expr,
    },
    /// `e = map` / `e += map`
    Properties {
        entity: Slot,
        value: Expr,
        merge: bool,
    },
    /// `n:A:B`, `n:$(x)`
    AddLabels {
        entity: Slot,
        labels: Vec<LabelName>,
    },
    /// `REMOVE n:A`
    RemoveLabels {
        entity: Slot,
        labels: Vec<LabelName>,
    },
    /// `REMOVE e.key`
    RemoveProperty { entity: Expr, key: String },
    /// `REMOVE e[key]`
    RemoveDynamicProperty { entity: Expr, key: Expr },
}

/// A relationship step in a pattern the executor matches.
#[derive(Debug, Clone)]
pub(crate) struct ExpandSpec {
    pub(crate) from: Slot,
    pub(crate) rel: Slot,
    pub(crate) to: Slot,
    pub(crate) dir: Dir,
    pub(crate) types: Vec<String>,
    /// The far node is already bound: check it instead of binding it.
    pub(crate) into: bool,
    /// Relationship slots this one must differ from (single relationships).
    pub(crate) distinct_from: Vec<Slot>,
    /// Relationship-list slots this one must not be in.
    pub(crate) distinct_from_lists: Vec<Slot>,
}

/// A variable-length relationship step.
#[derive(Debug, Clone)]
pub(crate) struct VarExpandSpec {
    pub(crate) from: Slot,
    /// The list of relationships, bound to the variable (or a hidden slot).
    pub(crate) rels: Slot,
    pub(crate) to: Slot,
    pub(crate) dir: Dir,
    pub(crate) types: Vec<String>,
    pub(crate) min: u64,
    pub(crate) max: Option<u64>,
    pub(crate) into: bool,
    /// The pattern is walked from its right end: the list is reversed to
    /// the pattern's order.
    pub(crate) reversed: bool,
    /// A predicate each relationship must pass, reading it from `rel_slot`.
    pub(crate) rel_predicate: Option<(Slot, Expr)>,
    pub(crate) distinct_from: Vec<Slot>,
    pub(crate) distinct_from_lists: Vec<Slot>,
    /// Relationships may repeat in the path (`REPEATABLE ELEMENTS`).
    pub(crate) repeatable: bool,
}

/// A quantified path pattern `((a)-[r]->(b) WHERE …){m,n}`.
#[derive(Debug, Clone)]
pub(crate) struct RepeatSpec {
    pub(crate) from: Slot,
    pub(crate) to: Slot,
    pub(crate) into: bool,
    /// The inner pattern: bound to `inner_start`, matched once per
    /// iteration, ending at `inner_end`.
    pub(crate) inner: Arc<Plan>,
    pub(crate) inner_start: Slot,
    pub(crate) inner_end: Slot,
    pub(crate) min: u64,
    pub(crate) max: Option<u64>,
    /// Inner slots collected into lists: (inner slot, group list slot).
    pub(crate) groups: Vec<(Slot, Slot)>,
    /// Inner relationship slots (for uniqueness and the path).
    pub(crate) inner_rels: Vec<Slot>,
    /// A hidden slot that receives every relationship crossed, in order.
    pub(crate) rels: Slot,
    pub(crate) distinct_from: Vec<Slot>,
    pub(crate) distinct_from_lists: Vec<Slot>,
    /// Relationships may repeat (`REPEATABLE ELEMENTS`).
    pub(crate) repeatable: bool,
}

/// How a path selector picks paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Selector {
    /// `shortestPath(…)`, `ANY SHORTEST`, `SHORTEST 1`: one shortest path per pair.
    Shortest(u64),
    /// `allShortestPaths(…)`, `ALL SHORTEST`: every shortest path per pair.
    AllShortest,
    /// `SHORTEST k GROUPS`.
    ShortestGroups(u64),
    /// `ANY k`: any k paths per pair.
    Any(u64),
}

/// The operators.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    /// The row given to the plan, once.
    Argument,
    AllNodes {
        input: Box<Plan>,
        slot: Slot,
    },
    NodesByLabel {
        input: Box<Plan>,
        slot: Slot,
        label: String,
    },
    NodeIndexSeek {
        input: Box<Plan>,
        slot: Slot,
        seek: IndexSeek,
    },
    NodeById {
        input: Box<Plan>,
        slot: Slot,
        ids: Expr,
        element_ids: bool,
    },
    /// Every relationship (of the types), binding both ends.
    RelScan {
        input: Box<Plan>,
        rel: Slot,
        start: Slot,
        end: Slot,
        types: Vec<String>,
        directed: bool,
        distinct_from: Vec<Slot>,
    },
    Expand {
        input: Box<Plan>,
        spec: ExpandSpec,
    },
    VarExpand {
        input: Box<Plan>,
        spec: VarExpandSpec,
    },
    Repeat {
        input: Box<Plan>,
        spec: RepeatSpec,
    },
    /// Keeps, per partition of `partition` slots, the paths `selector` picks,
    /// by length (`length` slot holds the number of relationships).
    SelectPaths {
        input: Box<Plan>,
        partition: Vec<Slot>,
        length: Slot,
        selector: Selector,
    },
    /// Breadth-first shortest paths between bound nodes.
    ShortestPath {
        input: Box<Plan>,
        from: Slot,
        to: Slot,
        rels: Slot,
        dir: Dir,
        types: Vec<String>,
        min: u64,
        max: Option<u64>,
        all: bool,
        rel_predicate: Option<(Slot, Expr)>,
        path_predicate: Option<Expr>,
        path: Option<(Slot, Expr)>,
    },
    Filter {
        input: Box<Plan>,
        predicate: Expr,
    },
    /// For each input row, the rows of `inner` (run with that row), or the
    /// input row with `nullable` slots set to null when there are none.
    Optional {
        input: Box<Plan>,
        inner: Arc<Plan>,
        nullable: Vec<Slot>,
    },
    /// For each input row, the rows of `inner` run with that row.
    Apply {
        input: Box<Plan>,
        inner: Arc<Plan>,
    },
    /// `CALL { … } IN TRANSACTIONS`: batches of input rows, each in its own
    /// transaction.
    InTransactions {
        input: Box<Plan>,
        inner: Arc<Plan>,
        batch: Option<Expr>,
        on_error: OnError,
        report: Option<Slot>,
        returns: bool,
    },
    Project {
        input: Box<Plan>,
        items: Vec<(Slot, Expr)>,
    },
    Aggregate {
        input: Box<Plan>,
        keys: Vec<(Slot, Expr)>,
        aggregates: Vec<(Slot, AggSpec)>,
    },
    Distinct {
        input: Box<Plan>,
        slots: Vec<Slot>,
    },
    Sort {
        input: Box<Plan>,
        keys: Vec<SortKey>,
    },
    Skip {
        input: Box<Plan>,
        count: Expr,
    },
    Limit {
        input: Box<Plan>,
        count: Expr,
        /// Keep pulling (and dropping) input rows after the limit, so that
        /// the writes that make them all happen.
        exhaustive: bool,
    },
    Unwind {
        input: Box<Plan>,
        list: Expr,
        slot: Slot,
    },
    /// The rows of each part, projected into `columns`.
    Union {
        parts: Vec<(Plan, Vec<Slot>)>,
        columns: Vec<Slot>,
        distinct: bool,
    },
    /// Reads every input row before giving out the first.
    Eager {
        input: Box<Plan>,
    },
    Create {
        input: Box<Plan>,
        spec: CreateSpec,
    },
    Merge {
        input: Box<Plan>,
        /// Finds the pattern (run with the input row).
        matcher: Arc<Plan>,
        create: CreateSpec,
        on_create: Vec<SetAction>,
        on_match: Vec<SetAction>,
        /// Slots the pattern binds (null before matching).
        binds: Vec<Slot>,
    },
    Set {
        input: Box<Plan>,
        actions: Vec<SetAction>,
    },
    Delete {
        input: Box<Plan>,
        targets: Vec<Expr>,
        detach: bool,
    },
    Foreach {
        input: Box<Plan>,
        slot: Slot,
        list: Expr,
        body: Arc<Plan>,
    },
    LoadCsv {
        input: Box<Plan>,
        url: Expr,
        headers: bool,
        slot: Slot,
        /// Where `linenumber()` and `file()` read the row's line and URL.
        source: (Slot, Slot),
        terminator: char,
    },
    Procedure {
        input: Box<Plan>,
        procedure: ProcedureRef,
        args: Vec<Expr>,
        /// Output field index and the slot it goes to.
        yields: Vec<(usize, Slot)>,
        optional: bool,
    },
    /// A schema or `SHOW` command: its rows into `columns`.
    Command {
        command: Box<SchemaCommand>,
        columns: Vec<Slot>,
    },
    /// Drops every row (a query that returns nothing).
    Discard {
        input: Box<Plan>,
    },
}

/// `ON ERROR` of `IN TRANSACTIONS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnError {
    Fail,
    Continue,
    Break,
}

impl Plan {
    pub(crate) fn boxed(self) -> Box<Plan> {
        Box::new(self)
    }

    /// The operator's children, for describing the plan.
    pub(crate) fn children(&self) -> Vec<&Plan> {
        match self {
            Plan::Argument | Plan::Command { .. } => Vec::new(),
            Plan::Union { parts, .. } => parts.iter().map(|(p, _)| p).collect(),
            Plan::Optional { input, inner, .. }
            | Plan::Apply { input, inner }
            | Plan::InTransactions { input, inner, .. } => vec![input, inner],
            Plan::Merge { input, matcher, .. } => vec![input, matcher],
            Plan::Foreach { input, body, .. } => vec![input, body],
            Plan::Repeat { input, spec } => vec![input, &spec.inner],
            Plan::AllNodes { input, .. }
            | Plan::NodesByLabel { input, .. }
            | Plan::NodeIndexSeek { input, .. }
            | Plan::NodeById { input, .. }
            | Plan::RelScan { input, .. }
            | Plan::Expand { input, .. }
            | Plan::VarExpand { input, .. }
            | Plan::SelectPaths { input, .. }
            | Plan::ShortestPath { input, .. }
            | Plan::Filter { input, .. }
            | Plan::Project { input, .. }
            | Plan::Aggregate { input, .. }
            | Plan::Distinct { input, .. }
            | Plan::Sort { input, .. }
            | Plan::Skip { input, .. }
            | Plan::Limit { input, .. }
            | Plan::Unwind { input, .. }
            | Plan::Eager { input }
            | Plan::Create { input, .. }
            | Plan::Set { input, .. }
            | Plan::Delete { input, .. }
            | Plan::LoadCsv { input, .. }
            | Plan::Procedure { input, .. }
            | Plan::Discard { input } => vec![input],
        }
    }

    /// Whether anything under this operator writes.
    pub(crate) fn writes(&self) -> bool {
        match self {
            Plan::Create { .. }
            | Plan::Merge { .. }
            | Plan::Set { .. }
            | Plan::Delete { .. }
            | Plan::Foreach { .. }
            | Plan::InTransactions { .. } => true,
            Plan::Procedure {
                procedure, input, ..
            } => procedure.writes() || input.writes(),
            Plan::Command { command, .. } => command.writes(),
            other => other.children().iter().any(|c| c.writes()),
        }
    }
}

/// Why a label scan is chosen: a predicate's positive label names.
pub(crate) fn required_labels(predicate: &LabelPredicate) -> Vec<String> {
    match predicate {
        LabelPredicate::Name(name) => vec![name.clone()],
        LabelPredicate::And(items) => items.iter().flat_map(required_labels).collect(),
        _ => Vec::new(),
    }
}
