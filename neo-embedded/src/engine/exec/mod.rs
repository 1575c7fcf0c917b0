//! The executor: plans become trees of pull-based operators (volcano
//! style). Each `next` produces one row, computing only what that row
//! needs, so results stream: the first rows go out before later rows are
//! computed, and operators that must see all rows (sorting, aggregation,
//! `Eager`) are the only ones that hold them.

mod aggregate;
mod apply;
mod call;
mod expand;
mod load_csv;
mod project;
mod scan;
mod shortest;
mod update;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use neo_bolt::message::Counters;
use regex::Regex;

use super::error::{EngineError, Result, codes};
use super::plan::{Plan, ProfileData};
use super::procedures::Registry;
use super::storage::Store;
use super::temporal::{LocalDateTime, Zone};
use super::value::{NodeId, RelId, Value};

/// A row: one value per slot of the statement.
pub(crate) type Row = Vec<Value>;

/// An operator: gives its rows one by one.
pub(crate) trait Operator: Send {
    /// The next row, `None` when there are no more.
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>>;
}

pub(crate) type BoxedOperator = Box<dyn Operator>;

/// What stops a running transaction: its deadline, or termination.
#[derive(Debug, Default)]
pub(crate) struct Guard {
    pub(crate) deadline: Option<Instant>,
    pub(crate) terminated: AtomicBool,
}

impl Guard {
    pub(crate) fn check(&self) -> Result<()> {
        if self.terminated.load(Ordering::Relaxed) {
            return Err(EngineError::new(
                codes::TERMINATED,
                "The transaction has been terminated. Retry your operation in a new transaction, \
                 and you should see a successful result. Explicitly terminated by the user.",
            ));
        }
        if self.deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(timed_out());
        }
        Ok(())
    }
}

pub(crate) fn timed_out() -> EngineError {
    EngineError::new(
        codes::TRANSACTION_TIMED_OUT,
        "The transaction has been terminated. Retry your operation in a new transaction, and you \
         should see a successful result. The transaction has not completed within the timeout \
         specified at its start by the client. You may want to retry with a longer timeout.",
    )
}

/// What a transaction gives every statement.
#[derive(Debug)]
pub(crate) struct TxEnv {
    pub(crate) database: String,
    /// The database's unique id (`db.info()`).
    pub(crate) database_id: String,
    pub(crate) transaction_time: LocalDateTime,
    pub(crate) default_zone: Zone,
    pub(crate) procedures: Arc<Registry>,
    pub(crate) metadata: BTreeMap<String, Value>,
    pub(crate) guard: Arc<Guard>,
    /// Where `LOAD CSV FROM 'file:///…'` reads; `None` refuses file URLs.
    pub(crate) import_dir: Option<std::path::PathBuf>,
    /// How long a first write waits for the write lock.
    pub(crate) lock_timeout: std::time::Duration,
    /// Whether the transaction is explicit (`IN TRANSACTIONS` is refused).
    pub(crate) explicit: bool,
    pub(crate) engine: Arc<super::database::Shared>,
    pub(crate) graph: Arc<super::database::Graph>,
    pub(crate) transaction_id: String,
}

/// What one statement keeps while it runs.
#[derive(Debug)]
pub(crate) struct StatementState {
    pub(crate) params: BTreeMap<String, Value>,
    pub(crate) stats: Counters,
    pub(crate) statement_time: LocalDateTime,
    regexes: HashMap<String, Regex>,
    rng: u64,
    /// What `PROFILE` counts per operator.
    pub(crate) profile: Option<ProfileData>,
}

impl StatementState {
    pub(crate) fn new(params: BTreeMap<String, Value>, statement_time: LocalDateTime) -> Self {
        use std::hash::{BuildHasher, RandomState};
        let seed = RandomState::new().hash_one(statement_time.epoch_nanos()) | 1;
        StatementState {
            params,
            stats: Counters::default(),
            statement_time,
            regexes: HashMap::new(),
            rng: seed,
            profile: None,
        }
    }
}

/// The context operators and expressions run in.
pub(crate) struct ExecCtx<'a> {
    pub(crate) store: Store<'a>,
    pub(crate) stmt: &'a mut StatementState,
    pub(crate) env: &'a TxEnv,
    /// Rows since the last guard check.
    ticks: u32,
}

impl<'a> ExecCtx<'a> {
    pub(crate) fn new(store: Store<'a>, stmt: &'a mut StatementState, env: &'a TxEnv) -> Self {
        ExecCtx {
            store,
            stmt,
            env,
            ticks: 0,
        }
    }

    /// Checks the constraints on what the statement wrote.
    pub(crate) fn validate_constraints(&mut self) -> Result<()> {
        super::schema::validate_statement(self)
    }

    /// Checks the deadline and termination every so often.
    pub(crate) fn tick(&mut self) -> Result<()> {
        self.ticks += 1;
        if self.ticks >= 256 {
            self.ticks = 0;
            self.env.guard.check()?;
        }
        Ok(())
    }

    pub(crate) fn parameter(&self, name: &str) -> Result<Value> {
        self.stmt.params.get(name).cloned().ok_or_else(|| {
            EngineError::new(
                codes::PARAMETER_MISSING,
                format!("Expected parameter(s): {name}"),
            )
        })
    }

    pub(crate) fn regex(&mut self, pattern: &str) -> Result<&Regex> {
        if !self.stmt.regexes.contains_key(pattern) {
            let compiled = super::expr::functions::java_regex(pattern)?;
            self.stmt.regexes.insert(pattern.to_owned(), compiled);
        }
        self.stmt
            .regexes
            .get(pattern)
            .ok_or_else(|| EngineError::internal("regular expression cache"))
    }

    pub(crate) fn random_u64(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.stmt.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.stmt.rng = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub(crate) fn random(&mut self) -> f64 {
        (self.random_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(crate) fn statement_time(&self) -> LocalDateTime {
        self.stmt.statement_time
    }

    pub(crate) fn transaction_time(&self) -> LocalDateTime {
        self.env.transaction_time
    }

    pub(crate) fn statement_millis(&self) -> i64 {
        (self.stmt.statement_time.epoch_nanos() / 1_000_000) as i64
    }

    pub(crate) fn default_zone(&self) -> Zone {
        self.env.default_zone
    }

    /// A node's element id: its decimal id, the form Bolt 4.4 clients
    /// derive from the id, so that every protocol version sees the same.
    pub(crate) fn node_element_id(&self, id: NodeId) -> String {
        id.to_string()
    }

    /// A relationship's element id (decimal, as for nodes).
    pub(crate) fn rel_element_id(&self, id: RelId) -> String {
        id.to_string()
    }

    /// The node id an element id names, if any.
    pub(crate) fn node_id_of(&self, element_id: &str) -> Option<NodeId> {
        element_id.parse().ok()
    }
}

/// The rows of a sub-plan run with `argument` (subquery expressions).
pub(crate) struct SubRows {
    op: BoxedOperator,
}

impl SubRows {
    pub(crate) fn next_row(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        self.op.next(ctx)
    }
}

pub(crate) fn run_subplan(
    plan: &Arc<Plan>,
    argument: Row,
    _ctx: &mut ExecCtx<'_>,
) -> Result<SubRows> {
    Ok(SubRows {
        op: build(plan, argument),
    })
}

/// The operator tree of `plan`, run with `argument`.
pub(crate) fn build(plan: &Plan, argument: Row) -> BoxedOperator {
    build_with(plan, argument, false)
}

/// The operator tree of `plan` with every operator of its pipeline counting
/// rows, store accesses and time (`PROFILE`).
pub(crate) fn build_profiled(plan: &Plan, argument: Row) -> BoxedOperator {
    build_with(plan, argument, true)
}

fn build_with(plan: &Plan, argument: Row, profile: bool) -> BoxedOperator {
    let operator = build_one(plan, argument, profile);
    if profile {
        Box::new(Counted {
            inner: operator,
            key: plan as *const Plan as usize,
        })
    } else {
        operator
    }
}

/// Counts the rows, store accesses and time of an operator for `PROFILE`.
struct Counted {
    inner: BoxedOperator,
    key: usize,
}

impl Operator for Counted {
    fn next(&mut self, ctx: &mut ExecCtx<'_>) -> Result<Option<Row>> {
        let hits = ctx.store.db_hits();
        let started = Instant::now();
        let row = self.inner.next(ctx);
        let elapsed = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let spent = ctx.store.db_hits() - hits;
        if let Some(profile) = &mut ctx.stmt.profile {
            *profile.nanos.entry(self.key).or_default() += elapsed;
            *profile.db_hits.entry(self.key).or_default() += spent;
            if matches!(row, Ok(Some(_))) {
                *profile.rows.entry(self.key).or_default() += 1;
            }
        }
        row
    }
}

fn build_one(plan: &Plan, argument: Row, profile: bool) -> BoxedOperator {
    let build = |p: &Plan, a: Row| build_with(p, a, profile);
    match plan {
        Plan::Argument => Box::new(project::Once {
            row: Some(argument),
        }),
        Plan::AllNodes { input, slot } => {
            Box::new(scan::AllNodes::new(build(input, argument), *slot))
        }
        Plan::NodesByLabel { input, slot, label } => Box::new(scan::NodesByLabel::new(
            build(input, argument),
            *slot,
            label.clone(),
        )),
        Plan::NodeIndexSeek { input, slot, seek } => Box::new(scan::IndexSeek::new(
            build(input, argument),
            *slot,
            seek.clone(),
        )),
        Plan::NodeById {
            input,
            slot,
            ids,
            element_ids,
        } => Box::new(scan::NodeById::new(
            build(input, argument),
            *slot,
            ids.clone(),
            *element_ids,
        )),
        Plan::RelScan {
            input,
            rel,
            start,
            end,
            types,
            directed,
            distinct_from,
        } => Box::new(scan::RelScan::new(
            build(input, argument),
            *rel,
            *start,
            *end,
            types.clone(),
            *directed,
            distinct_from.clone(),
        )),
        Plan::Expand { input, spec } => {
            Box::new(expand::Expand::new(build(input, argument), spec.clone()))
        }
        Plan::VarExpand { input, spec } => {
            Box::new(expand::VarExpand::new(build(input, argument), spec.clone()))
        }
        Plan::Repeat { input, spec } => {
            Box::new(expand::Repeat::new(build(input, argument), spec.clone()))
        }
        Plan::SelectPaths {
            input,
            partition,
            length,
            selector,
        } => Box::new(shortest::SelectPaths::new(
            build(input, argument),
            partition.clone(),
            *length,
            selector.clone(),
        )),
        Plan::ShortestPath {
            input,
            from,
            to,
            rels,
            dir,
            types,
            min,
            max,
            all,
            rel_predicate,
            path_predicate,
            path,
        } => Box::new(shortest::ShortestPath::new(
            build(input, argument),
            shortest::ShortestSpec {
                from: *from,
                to: *to,
                rels: *rels,
                dir: *dir,
                types: types.clone(),
                min: *min,
                max: *max,
                all: *all,
                rel_predicate: rel_predicate.clone(),
                path_predicate: path_predicate.clone(),
                path: path.clone(),
            },
        )),
        Plan::Filter { input, predicate } => Box::new(project::Filter::new(
            build(input, argument),
            predicate.clone(),
        )),
        Plan::Optional {
            input,
            inner,
            nullable,
        } => Box::new(apply::Optional::new(
            build(input, argument),
            inner.clone(),
            nullable.clone(),
        )),
        Plan::Apply { input, inner } => {
            Box::new(apply::Apply::new(build(input, argument), inner.clone()))
        }
        Plan::InTransactions {
            input,
            inner,
            batch,
            on_error,
            report,
            returns,
        } => Box::new(apply::InTransactions::new(
            build(input, argument),
            inner.clone(),
            batch.clone(),
            *on_error,
            *report,
            *returns,
        )),
        Plan::Project { input, items } => {
            Box::new(project::Project::new(build(input, argument), items.clone()))
        }
        Plan::Aggregate {
            input,
            keys,
            aggregates,
        } => Box::new(aggregate::Aggregate::new(
            build(input, argument.clone()),
            keys.clone(),
            aggregates.clone(),
            argument,
        )),
        Plan::Distinct { input, slots } => Box::new(project::Distinct::new(
            build(input, argument),
            slots.clone(),
        )),
        Plan::Sort { input, keys } => {
            Box::new(project::Sort::new(build(input, argument), keys.clone()))
        }
        Plan::Skip { input, count } => {
            Box::new(project::Skip::new(build(input, argument), count.clone()))
        }
        Plan::Limit {
            input,
            count,
            exhaustive,
        } => Box::new(project::Limit::new(
            build(input, argument),
            count.clone(),
            *exhaustive,
        )),
        Plan::Unwind { input, list, slot } => Box::new(project::Unwind::new(
            build(input, argument),
            list.clone(),
            *slot,
        )),
        Plan::Union {
            parts,
            columns,
            distinct,
        } => Box::new(project::Union::new(
            parts
                .iter()
                .map(|(p, slots)| (build(p, argument.clone()), slots.clone()))
                .collect(),
            columns.clone(),
            *distinct,
        )),
        Plan::Eager { input } => Box::new(project::Eager::new(build(input, argument))),
        Plan::Create { input, spec } => {
            Box::new(update::Create::new(build(input, argument), spec.clone()))
        }
        Plan::Merge {
            input,
            matcher,
            create,
            on_create,
            on_match,
            binds,
        } => Box::new(update::Merge::new(
            build(input, argument),
            matcher.clone(),
            create.clone(),
            on_create.clone(),
            on_match.clone(),
            binds.clone(),
        )),
        Plan::Set { input, actions } => {
            Box::new(update::SetOp::new(build(input, argument), actions.clone()))
        }
        Plan::Delete {
            input,
            targets,
            detach,
        } => Box::new(update::Delete::new(
            build(input, argument),
            targets.clone(),
            *detach,
        )),
        Plan::Foreach {
            input,
            slot,
            list,
            body,
        } => Box::new(update::Foreach::new(
            build(input, argument),
            *slot,
            list.clone(),
            body.clone(),
        )),
        Plan::LoadCsv {
            input,
            url,
            headers,
            slot,
            source,
            terminator,
        } => Box::new(load_csv::LoadCsv::new(
            build(input, argument),
            url.clone(),
            *headers,
            (*slot, *source),
            *terminator,
        )),
        Plan::Procedure {
            input,
            procedure,
            args,
            yields,
            optional,
        } => Box::new(call::Procedure::new(
            build(input, argument),
            procedure.clone(),
            args.clone(),
            yields.clone(),
            *optional,
        )),
        Plan::Command { command, columns } => Box::new(call::Command::new(
            (**command).clone(),
            columns.clone(),
            argument,
        )),
        Plan::Discard { input } => Box::new(project::Discard::new(build(input, argument))),
    }
}
