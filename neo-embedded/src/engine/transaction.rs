//! A transaction on one database: statements parsed once by `neo-cypher`,
//! planned, and run as pull-based streams; read-committed isolation over the
//! store's snapshots until the first write, then the store's write
//! transaction (holding the database's write lock) until commit or rollback.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use marsdb_graph::{GraphStore, ReadTransaction, Txn};
use neo_bolt::packstream::Map;

use super::database::{Graph, Shared, TxEntry};
use super::error::{EngineError, Result, codes};
use super::exec::{BoxedOperator, ExecCtx, Guard, StatementState, TxEnv, build, build_profiled};
use super::expr::Slot;
use super::output::{Batch, BatchEnd, Counters, Notification, QueryType, StreamHead, Summary};
use super::plan::{
    KnownTokens, Plan, PlanContext, ProfileData, RunMode, StatementKind, describe, plan_statement,
};
use super::schema::{Catalog, validate_commit, validate_statement};
use super::storage::{Access, EntityCache, Store, TxState, WriteAccess, storage_error};
use super::temporal::{Zone, now_utc};
use super::{AccessMode, EngineTransaction, TransactionConfig, convert};

/// Stack of the thread each statement step runs on: planning and
/// evaluation recurse on the query's shape.
const STATEMENT_STACK_BYTES: usize = 32 << 20;

/// Runs `work` on a thread with a large stack, turning a panic into an error.
fn on_statement_thread<T: Send>(work: impl FnOnce() -> T + Send) -> Result<T> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("neo-embedded-statement".to_owned())
            .stack_size(STATEMENT_STACK_BYTES)
            .spawn_scoped(scope, work)
            .map_err(|e| {
                EngineError::internal(format!("could not start the statement thread: {e}"))
            })?;
        handle.join().map_err(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".to_owned());
            EngineError::internal(format!("the graph engine failed on this statement: {what}"))
        })
    })
}

/// A statement whose rows are being pulled.
struct Stream {
    operator: Option<BoxedOperator>,
    /// The row (or error) after the last batch: read ahead so that a batch
    /// that takes the last row says so.
    peeked: Option<Result<Option<super::exec::Row>>>,
    /// The snapshot a read statement runs on (`None`: the write transaction).
    snapshot: Option<ReadTransaction>,
    stmt: StatementState,
    cache: EntityCache,
    catalog: Arc<Catalog>,
    plan: Arc<Plan>,
    columns: Vec<(String, Slot)>,
    kind: StatementKind,
    mode: RunMode,
    notifications: Vec<Notification>,
    /// Rows produced so far, pulled or discarded.
    returned: u64,
}

/// A transaction on a [`MarsEngine`](super::MarsEngine) database.
///
/// Reads before the first write see the latest committed state, statement by
/// statement (read committed, as in Neo4j). The first statement that may
/// write takes the database's write lock (waiting at most the lock timeout,
/// and never past the transaction's own timeout) and opens the store's
/// write transaction; from then on every statement runs inside it, so it
/// reads its own writes, and no other transaction sees them before
/// `commit`. A failed statement rolls the whole transaction back.
pub struct MarsTransaction {
    shared: Arc<Shared>,
    graph: Arc<Graph>,
    mode: AccessMode,
    env: Arc<TxEnv>,
    entry: Arc<TxEntry>,
    write: Option<WriteAccess>,
    state: TxState,
    streams: BTreeMap<u64, Stream>,
    next_stream: u64,
    failed: bool,
}

impl std::fmt::Debug for MarsTransaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MarsTransaction")
            .field("id", &self.entry.id)
            .field("database", &self.graph.name)
            .field("mode", &self.mode)
            .field("writing", &self.write.is_some())
            .field("failed", &self.failed)
            .finish()
    }
}

fn marked_failed() -> EngineError {
    EngineError::new(
        codes::TRANSACTION_MARKED_AS_FAILED,
        "The transaction was rolled back after an earlier error; start a new one",
    )
}

/// A parse or semantic error as the client sees it: the message with a
/// caret excerpt, under the status code Neo4j gives that kind of error
/// (`SyntaxError` for most, `TypeError` for a property read of a value that
/// has none, …).
fn syntax_error(error: &neo_cypher::SyntaxError, query: &str) -> EngineError {
    let mut message = error.render(query);
    let first = query
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    if error.offset == query.len() - query.trim_start().len()
        && matches!(first.as_str(), "BEGIN" | "COMMIT" | "ROLLBACK")
    {
        message.push_str(
            "\nBEGIN, COMMIT and ROLLBACK are not Cypher statements: use the driver's transaction API",
        );
    }
    EngineError::new(error.code(), message)
}

/// The labels, relationship types and property keys of a snapshot.
fn known_tokens(txn: Txn<'_>) -> Result<KnownTokens> {
    Ok(KnownTokens {
        labels: GraphStore::list_node_labels_in_txn(txn)
            .map_err(storage_error)?
            .into_iter()
            .map(|(l, _)| l)
            .collect(),
        types: GraphStore::list_rel_types_in_txn(txn)
            .map_err(storage_error)?
            .into_iter()
            .map(|(t, _)| t)
            .collect(),
    })
}

impl MarsTransaction {
    pub(crate) fn begin(
        shared: Arc<Shared>,
        graph: Arc<Graph>,
        config: &TransactionConfig,
    ) -> Result<MarsTransaction> {
        let settings = shared.current_settings();
        let timeout = config.timeout.or(settings.default_timeout);
        let guard = Arc::new(Guard {
            deadline: timeout.map(|t| Instant::now() + t),
            ..Guard::default()
        });
        let metadata: BTreeMap<String, super::value::Value> = config
            .metadata
            .iter()
            .map(|(k, v)| Ok((k.clone(), convert::parameter(k, v)?)))
            .collect::<Result<_>>()?;
        let started = now_utc();
        let entry =
            shared.register_transaction(&graph.name, metadata.clone(), guard.clone(), started);
        let env = Arc::new(TxEnv {
            database: graph.name.clone(),
            database_id: graph.id.clone(),
            transaction_time: started,
            default_zone: Zone::Offset(0),
            procedures: shared.procedures.clone(),
            metadata,
            guard,
            import_dir: settings.import_dir.clone(),
            lock_timeout: settings.lock_timeout,
            explicit: config.explicit,
            engine: shared.clone(),
            graph: graph.clone(),
            transaction_id: entry.id.clone(),
        });
        Ok(MarsTransaction {
            shared,
            graph,
            mode: config.mode,
            env,
            entry,
            write: None,
            state: TxState::default(),
            streams: BTreeMap::new(),
            next_stream: 0,
            failed: false,
        })
    }

    fn fail(&mut self, error: EngineError) -> EngineError {
        self.failed = true;
        self.streams.clear();
        if let Some(write) = self.write.take() {
            // The statement's error is the one to report.
            let _ = write.abort();
        }
        error
    }

    fn plan(&mut self, query: &str, parameters: &Map) -> Result<StreamHead> {
        self.env.guard.check()?;
        let parsed = neo_cypher::parse(query).map_err(|e| syntax_error(&e, query))?;
        let params = convert::parameters(parameters)?;
        let read_view = match &self.write {
            Some(_) => None,
            None => Some(self.graph.store.begin_read().map_err(storage_error)?),
        };
        let (catalog, known) = {
            let txn = match (&read_view, &self.write) {
                (Some(r), _) => Txn::Read(r),
                (None, Some(w)) => Txn::Write(w.txn()?),
                (None, None) => return Err(EngineError::internal("no view of the store")),
            };
            (Catalog::load(txn)?, known_tokens(txn)?)
        };
        let planned = {
            let context = PlanContext {
                procedures: &self.shared.procedures,
                catalog: &catalog,
                params: &params,
                database: &self.graph.name,
                known: Some(&known),
            };
            plan_statement(&parsed, query, &context)?
        };
        // Parameters are checked once the statement is known to be valid.
        let missing: Vec<&str> = parsed
            .parameters()
            .into_iter()
            .map(|p| p.name.as_str())
            .filter(|name| !parameters.contains_key(*name))
            .collect();
        if !missing.is_empty() {
            return Err(EngineError::new(
                codes::PARAMETER_MISSING,
                format!("Expected parameter(s): {}", missing.join(", ")),
            ));
        }
        if planned.writes && self.mode == AccessMode::Read {
            return Err(EngineError::new(
                codes::ACCESS_MODE,
                format!(
                    "Writing in read access mode not allowed. Attempted write to internal graph 0 ({})",
                    self.graph.name
                ),
            ));
        }
        if planned.in_transactions && self.env.explicit {
            return Err(EngineError::new(
                codes::TRANSACTION_START_FAILED,
                "A query with 'CALL { ... } IN TRANSACTIONS' can only be executed in an implicit \
                 transaction, but tried to execute in an explicit transaction.",
            ));
        }
        let snapshot = if planned.writes && planned.mode != RunMode::Explain || self.write.is_some()
        {
            if self.write.is_none() {
                let permit = self
                    .graph
                    .gate
                    .acquire(self.env.lock_timeout, &self.env.guard)?;
                let txn = self.graph.store.begin_write().map_err(storage_error)?;
                self.write = Some(WriteAccess::new(txn, permit));
            }
            None
        } else {
            read_view
        };
        let mut stmt = StatementState::new(params, now_utc());
        if planned.mode == RunMode::Profile {
            stmt.profile = Some(ProfileData::default());
        }
        let plan = Arc::new(planned.plan);
        let argument = vec![super::value::Value::Null; planned.slots];
        let operator = match planned.mode {
            RunMode::Explain => None,
            RunMode::Profile => Some(build_profiled(&plan, argument)),
            RunMode::Normal => Some(build(&plan, argument)),
        };
        self.state.statement_nodes.clear();
        self.state.statement_rels.clear();
        {
            let mut query_text = self.entry.query.lock().unwrap_or_else(|p| p.into_inner());
            *query_text = (query.to_owned(), self.shared.next_query_id());
        }
        let id = self.next_stream;
        self.next_stream += 1;
        let fields: Vec<String> = planned.columns.iter().map(|(n, _)| n.clone()).collect();
        self.streams.insert(
            id,
            Stream {
                operator,
                peeked: None,
                snapshot,
                stmt,
                cache: EntityCache::default(),
                catalog: Arc::new(catalog),
                plan,
                columns: planned.columns,
                kind: planned.kind,
                mode: planned.mode,
                notifications: planned.notifications,
                returned: 0,
            },
        );
        Ok(StreamHead {
            id,
            fields,
            writes: planned.writes,
        })
    }

    /// Pulls up to `n` rows (`keep`: return them; else drop them).
    fn pull_rows(&mut self, id: u64, n: usize, keep: bool) -> Batch {
        let Some(stream) = self.streams.get_mut(&id) else {
            return Batch {
                records: Vec::new(),
                end: BatchEnd::Failed(EngineError::new(
                    codes::REQUEST_INVALID,
                    format!("There is no open result with id {id}."),
                )),
            };
        };
        let mut records = Vec::new();
        let outcome: Result<bool> = (|| {
            let Some(operator) = &mut stream.operator else {
                return Ok(true);
            };
            let access = match (&stream.snapshot, &mut self.write) {
                (Some(snapshot), _) => Access::Read(snapshot),
                (None, Some(write)) => Access::Write(write),
                (None, None) => {
                    return Err(EngineError::internal("the statement lost its transaction"));
                }
            };
            let store = Store::new(
                access,
                &mut self.state,
                &mut stream.cache,
                stream.catalog.clone(),
            );
            let mut ctx = ExecCtx::new(store, &mut stream.stmt, &self.env);
            loop {
                let next = match stream.peeked.take() {
                    Some(peeked) => peeked?,
                    None => operator.next(&mut ctx)?,
                };
                let Some(row) = next else {
                    validate_statement(&mut ctx)?;
                    return Ok(true);
                };
                stream.returned += 1;
                if keep {
                    let mut record = Vec::with_capacity(stream.columns.len());
                    for (_, slot) in &stream.columns {
                        record.push(convert::to_bolt(&row[*slot], &mut ctx)?);
                    }
                    records.push(record);
                } else {
                    ctx.tick()?;
                }
                if records.len() >= n {
                    // Read ahead, so that a batch that takes the last row
                    // ends the stream; an error waits for the next batch.
                    match operator.next(&mut ctx) {
                        Ok(None) => {
                            validate_statement(&mut ctx)?;
                            return Ok(true);
                        }
                        Ok(Some(row)) => stream.peeked = Some(Ok(Some(row))),
                        Err(error) => stream.peeked = Some(Err(error)),
                    }
                    return Ok(false);
                }
            }
        })();
        match outcome {
            Ok(false) => Batch {
                records,
                end: BatchEnd::HasMore,
            },
            Ok(true) => {
                let Some(stream) = self.streams.remove(&id) else {
                    return Batch {
                        records,
                        end: BatchEnd::Failed(EngineError::internal("stream vanished")),
                    };
                };
                let summary = summary(stream);
                Batch {
                    records,
                    end: BatchEnd::Done(summary),
                }
            }
            Err(error) => {
                let error = self.fail(error);
                Batch {
                    records,
                    end: BatchEnd::Failed(error),
                }
            }
        }
    }

    fn finish(&mut self) -> Result<()> {
        if self.failed {
            return Err(marked_failed());
        }
        self.env.guard.check().map_err(|e| self.fail(e))?;
        // Statements not read to the end still run to completion.
        let open: Vec<u64> = self.streams.keys().copied().collect();
        for id in open {
            if let BatchEnd::Failed(error) = self.pull_rows(id, usize::MAX, false).end {
                return Err(error);
            }
        }
        let Some(mut write) = self.write.take() else {
            return Ok(());
        };
        let checked: Result<()> = (|| {
            let mut cache = EntityCache::default();
            let catalog = Arc::new(Catalog::load(Txn::Write(write.txn()?))?);
            let mut stmt = StatementState::new(BTreeMap::new(), now_utc());
            let store = Store::new(
                Access::Write(&mut write),
                &mut self.state,
                &mut cache,
                catalog,
            );
            let mut ctx = ExecCtx::new(store, &mut stmt, &self.env);
            validate_commit(&mut ctx)
        })();
        match checked {
            Ok(()) => write.commit(),
            Err(error) => {
                let _ = write.abort();
                self.failed = true;
                Err(error)
            }
        }
    }
}

fn summary(stream: Stream) -> Summary {
    let mut stats: Counters = stream.stmt.stats;
    stats.contains_updates = stats.nodes_created
        + stats.nodes_deleted
        + stats.relationships_created
        + stats.relationships_deleted
        + stats.properties_set
        + stats.labels_added
        + stats.labels_removed
        + stats.indexes_added
        + stats.indexes_removed
        + stats.constraints_added
        + stats.constraints_removed
        > 0;
    stats.contains_system_updates = stats.system_updates > 0;
    let query_type = match stream.kind {
        StatementKind::Read => QueryType::Read,
        StatementKind::Write => QueryType::Write,
        StatementKind::ReadWrite => QueryType::ReadWrite,
        StatementKind::Schema => QueryType::Schema,
    };
    let (plan, profile) = match stream.mode {
        RunMode::Normal => (None, None),
        RunMode::Explain => (Some(describe(&stream.plan, &stream.columns, None)), None),
        RunMode::Profile => (
            None,
            Some(describe(
                &stream.plan,
                &stream.columns,
                stream.stmt.profile.as_ref(),
            )),
        ),
    };
    Summary {
        stats,
        query_type,
        plan,
        profile,
        notifications: stream.notifications,
        returned: stream.returned,
    }
}

impl Drop for MarsTransaction {
    fn drop(&mut self) {
        self.streams.clear();
        if let Some(write) = self.write.take() {
            // Nothing was applied if aborting fails: the store drops the changes.
            let _ = write.abort();
        }
        self.shared.unregister_transaction(&self.entry.id);
    }
}

impl EngineTransaction for MarsTransaction {
    fn run(&mut self, query: &str, parameters: &Map) -> Result<StreamHead> {
        if self.failed {
            return Err(marked_failed());
        }
        let result = on_statement_thread(|| self.plan(query, parameters)).and_then(|r| r);
        result.map_err(|e| self.fail(e))
    }

    fn pull(&mut self, stream: u64, n: usize) -> Batch {
        if self.failed && !self.streams.contains_key(&stream) {
            return Batch {
                records: Vec::new(),
                end: BatchEnd::Failed(marked_failed()),
            };
        }
        match on_statement_thread(|| self.pull_rows(stream, n, true)) {
            Ok(batch) => batch,
            Err(error) => Batch {
                records: Vec::new(),
                end: BatchEnd::Failed(self.fail(error)),
            },
        }
    }

    fn discard(&mut self, stream: u64) -> Result<Summary> {
        let batch = on_statement_thread(|| self.pull_rows(stream, usize::MAX, false))?;
        match batch.end {
            BatchEnd::Done(summary) => Ok(summary),
            BatchEnd::Failed(error) => Err(error),
            BatchEnd::HasMore => Err(EngineError::internal("a discarded stream did not finish")),
        }
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        on_statement_thread(|| self.finish())?
    }

    fn rollback(mut self: Box<Self>) {
        self.streams.clear();
        if let Some(write) = self.write.take() {
            let _ = write.abort();
        }
    }
}
