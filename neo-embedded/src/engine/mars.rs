//! The [`GraphEngine`] over marsdb's in-memory store.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use marsdb_graph::{GraphError, GraphStore, Txn, WriteTransaction};
use marsdb_query::{ExecutionOptions, Executor, QueryError, QueryResult, Statement};
use neo_bolt::packstream::Map;

use super::error::{EngineError, codes};
use super::output::{Counters, QueryOutput, QueryType};
use super::write_gate::{WriteGate, WritePermit};
use super::{
    AccessMode, DEFAULT_DATABASE, EngineTransaction, GraphEngine, SYSTEM_DATABASE,
    TransactionConfig,
};
use super::{convert, procedures, text};

/// Deepest bracket nesting a query may have; deeper queries are refused
/// before parsing, as the parser recurses once per level.
const MAX_NESTING: usize = 100;

/// Stack of the thread each statement is parsed and run on: the parser and
/// the evaluator recurse on the query's shape.
const STATEMENT_STACK_BYTES: usize = 64 << 20;

/// How long a write waits for another transaction's write lock by default.
const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// One database: a store and its write lock.
struct Graph {
    store: GraphStore,
    gate: Arc<WriteGate>,
}

impl Graph {
    fn new() -> Result<Arc<Graph>, EngineError> {
        Ok(Arc::new(Graph {
            store: GraphStore::open_memory().map_err(graph_error)?,
            gate: Arc::default(),
        }))
    }
}

/// In-memory databases run by the `marsdb` engine: `neo4j` (the default) and
/// an empty `system`, plus any created later.
///
/// ```
/// use neo_embedded::engine::{AccessMode, GraphEngine, MarsEngine};
/// use neo_bolt::Value;
///
/// let engine = MarsEngine::new()?;
/// let mut tx = engine.begin("neo4j", AccessMode::Write)?;
/// let out = tx.execute("UNWIND range(1, 3) AS x RETURN sum(x) AS total", &Default::default())?;
/// assert_eq!(out.records, vec![vec![Value::Integer(6)]]);
/// tx.commit()?;
/// # Ok::<(), neo_embedded::engine::EngineError>(())
/// ```
pub struct MarsEngine {
    databases: RwLock<BTreeMap<String, Arc<Graph>>>,
    lock_timeout: Duration,
}

impl std::fmt::Debug for MarsEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MarsEngine")
            .field("databases", &self.databases())
            .field("lock_timeout", &self.lock_timeout)
            .finish()
    }
}

impl MarsEngine {
    /// Makes an engine with the empty databases `neo4j` and `system`.
    pub fn new() -> Result<MarsEngine, EngineError> {
        let databases = BTreeMap::from([
            (DEFAULT_DATABASE.to_owned(), Graph::new()?),
            (SYSTEM_DATABASE.to_owned(), Graph::new()?),
        ]);
        Ok(MarsEngine {
            databases: RwLock::new(databases),
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
        })
    }

    /// Sets how long a transaction's first write waits for another
    /// transaction's write lock before failing with
    /// `Neo.TransientError.Transaction.LockAcquisitionTimeout` (default 30 s).
    pub fn with_lock_timeout(mut self, timeout: Duration) -> MarsEngine {
        self.lock_timeout = timeout;
        self
    }

    fn graph(&self, name: &str) -> Result<Arc<Graph>, EngineError> {
        let databases = self.databases.read().unwrap_or_else(|p| p.into_inner());
        databases
            .get(&name.to_ascii_lowercase())
            .cloned()
            .ok_or_else(|| database_not_found(name))
    }
}

fn database_not_found(name: &str) -> EngineError {
    EngineError::new(
        codes::DATABASE_NOT_FOUND,
        format!("Database does not exist. Database name: '{name}'."),
    )
}

/// Neo4j's rule for database names: 3 to 63 characters, starting with a
/// letter, then letters, digits, dots and dashes.
fn check_database_name(name: &str) -> Result<(), EngineError> {
    let valid = (3..=63).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if valid {
        Ok(())
    } else {
        Err(EngineError::new(
            codes::ARGUMENT_ERROR,
            format!(
                "'{name}' is not a valid database name: use 3 to 63 letters, digits, dots or \
                 dashes, starting with a letter"
            ),
        ))
    }
}

impl GraphEngine for MarsEngine {
    fn begin(
        &self,
        database: &str,
        mode: AccessMode,
    ) -> Result<Box<dyn EngineTransaction>, EngineError> {
        let config = TransactionConfig {
            mode,
            ..TransactionConfig::default()
        };
        self.begin_with(database, &config)
    }

    fn begin_with(
        &self,
        database: &str,
        config: &TransactionConfig,
    ) -> Result<Box<dyn EngineTransaction>, EngineError> {
        Ok(Box::new(MarsTransaction {
            graph: self.graph(database)?,
            mode: config.mode,
            lock_timeout: self.lock_timeout,
            deadline: config.timeout.map(|timeout| Instant::now() + timeout),
            metadata: config.metadata.clone(),
            write: None,
            failed: false,
        }))
    }

    fn databases(&self) -> Vec<String> {
        let databases = self.databases.read().unwrap_or_else(|p| p.into_inner());
        databases.keys().cloned().collect()
    }

    fn create_database(&self, name: &str) -> Result<(), EngineError> {
        check_database_name(name)?;
        let name = name.to_ascii_lowercase();
        let mut databases = self.databases.write().unwrap_or_else(|p| p.into_inner());
        if databases.contains_key(&name) {
            return Err(EngineError::new(
                codes::EXISTING_DATABASE_FOUND,
                format!(
                    "Failed to create the specified database '{name}': Database already exists."
                ),
            ));
        }
        databases.insert(name, Graph::new()?);
        Ok(())
    }

    fn drop_database(&self, name: &str) -> Result<(), EngineError> {
        let name = name.to_ascii_lowercase();
        if name == SYSTEM_DATABASE {
            return Err(EngineError::new(
                codes::FORBIDDEN,
                "the system database cannot be dropped",
            ));
        }
        let mut databases = self.databases.write().unwrap_or_else(|p| p.into_inner());
        match databases.remove(&name) {
            Some(_) => Ok(()),
            None => Err(database_not_found(&name)),
        }
    }
}

/// The write transaction of the store, with the lock that makes it the only one.
/// Field order matters: the transaction ends before the lock is released.
struct OpenWrite {
    txn: WriteTransaction,
    _permit: WritePermit,
}

/// A transaction on a [`MarsEngine`] database.
///
/// Reads before the first write see the latest committed state, statement by
/// statement (read committed, as in Neo4j). The first write takes the
/// database's write lock and opens the store's write transaction; from then
/// on every statement runs inside it, so it reads its own writes, and no
/// other transaction sees them before `commit`. Any failed statement rolls
/// the whole transaction back, as in Neo4j.
pub struct MarsTransaction {
    graph: Arc<Graph>,
    mode: AccessMode,
    lock_timeout: Duration,
    /// When the transaction times out: lock waits stop then, and so do
    /// statements.
    deadline: Option<Instant>,
    /// The client's metadata, for `CALL tx.getMetaData()`.
    metadata: Map,
    write: Option<OpenWrite>,
    failed: bool,
}

impl std::fmt::Debug for MarsTransaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MarsTransaction")
            .field("mode", &self.mode)
            .field("writing", &self.write.is_some())
            .field("failed", &self.failed)
            .finish()
    }
}

/// Runs `work` on a thread with a large stack, turning a panic into an error.
fn on_statement_thread<T: Send>(
    work: impl FnOnce() -> Result<T, EngineError> + Send,
) -> Result<T, EngineError> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("neo-embedded-statement".to_owned())
            .stack_size(STATEMENT_STACK_BYTES)
            .spawn_scoped(scope, work)
            .map_err(|e| {
                EngineError::new(
                    codes::UNKNOWN_ERROR,
                    format!("could not start the statement thread: {e}"),
                )
            })?;
        handle.join().unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".to_owned());
            Err(EngineError::new(
                codes::UNKNOWN_ERROR,
                format!("the graph engine failed on this statement: {what}"),
            ))
        })
    })
}

impl MarsTransaction {
    fn run(&mut self, query: &str, parameters: &Map) -> Result<QueryOutput, EngineError> {
        if text::nesting_depth(query) > MAX_NESTING {
            return Err(EngineError::new(
                codes::SYNTAX_ERROR,
                format!("the query nests brackets deeper than {MAX_NESTING} levels"),
            ));
        }
        let timeout = match self.deadline {
            Some(deadline) => match deadline.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => Some(left),
                _ => return Err(timed_out()),
            },
            None => None,
        };
        let session = Session {
            graph: &self.graph,
            write: &mut self.write,
            mode: self.mode,
            lock_timeout: self.lock_timeout,
            deadline: self.deadline,
            metadata: &self.metadata,
        };
        // Everything that recurses on the query or the parameters runs on
        // the statement thread.
        on_statement_thread(move || {
            let rewritten = text::rewrite(query, parameters);
            let mut params = convert::parameters(parameters)?;
            params.extend(convert::parameters(&rewritten.extra_parameters)?);
            let mut stmt = marsdb_query::parse(&rewritten.query).map_err(query_error)?;
            marsdb_query::substitute_params(&mut stmt, &params).map_err(query_error)?;
            // A standalone `CALL proc` without arguments reads the parameters
            // by their names as given.
            let options = ExecutionOptions {
                params: params
                    .into_iter()
                    .map(
                        |(name, value)| match name.strip_prefix(text::PARAMETER_PREFIX) {
                            Some(given) => (given.to_owned(), value),
                            None => (name, value),
                        },
                    )
                    .collect(),
                timeout,
                ..ExecutionOptions::default()
            };
            session.execute(query, &stmt, &options)
        })
    }

    fn abort(&mut self) -> Result<(), EngineError> {
        match self.write.take() {
            Some(open) => GraphStore::abort(open.txn).map_err(graph_error),
            None => Ok(()),
        }
    }
}

/// What one statement needs of its transaction, lent to the statement thread.
struct Session<'t> {
    graph: &'t Graph,
    write: &'t mut Option<OpenWrite>,
    mode: AccessMode,
    lock_timeout: Duration,
    deadline: Option<Instant>,
    metadata: &'t Map,
}

/// The error of a transaction that has run past its deadline.
fn timed_out() -> EngineError {
    EngineError::new(
        codes::TRANSACTION_TIMED_OUT,
        "The transaction has been terminated: it has not completed within its timeout.",
    )
}

impl Session<'_> {
    fn execute(
        self,
        query: &str,
        stmt: &Statement,
        options: &ExecutionOptions,
    ) -> Result<QueryOutput, EngineError> {
        if matches!(
            stmt,
            Statement::Begin | Statement::Commit | Statement::Rollback
        ) {
            return Err(EngineError::new(
                codes::SYNTAX_ERROR,
                "BEGIN, COMMIT and ROLLBACK are not Cypher statements: use the driver's \
                 transaction API",
            ));
        }
        let schema = matches!(stmt, Statement::CreateIndex { .. });
        let read_only = marsdb_query::is_read_only(stmt);
        let store = &self.graph.store;
        let result = if read_only && self.write.is_none() {
            Executor::new(store)
                .execute_with_options(stmt, options)
                .map_err(query_error)?
        } else if self.mode == AccessMode::Read {
            self.run_in_read_mode(query, stmt, options, schema)?
        } else {
            let open = match self.write {
                Some(open) => open,
                None => {
                    let permit = self.graph.gate.acquire(self.lock_timeout, self.deadline)?;
                    let txn = store.begin_write().map_err(graph_error)?;
                    self.write.insert(OpenWrite {
                        txn,
                        _permit: permit,
                    })
                }
            };
            let options = with_procedures(query, Txn::Write(&open.txn), self.metadata, options)?;
            Executor::new(store)
                .execute_in_write_transaction_with_options(stmt, &open.txn, &options)
                .map_err(query_error)?
        };
        Ok(output(query, result, read_only, schema))
    }

    /// A statement the engine cannot prove read-only (`CALL db.labels()`,
    /// `RETURN 1 + 1`), in a read transaction: run it in a write transaction
    /// that is always rolled back, and refuse it if it changed anything.
    fn run_in_read_mode(
        &self,
        query: &str,
        stmt: &Statement,
        options: &ExecutionOptions,
        schema: bool,
    ) -> Result<QueryResult, EngineError> {
        let access_mode = || {
            EngineError::new(
                codes::ACCESS_MODE,
                "Writing in read access mode not allowed.",
            )
        };
        if schema {
            return Err(access_mode());
        }
        let _permit = self.graph.gate.acquire(self.lock_timeout, self.deadline)?;
        let store = &self.graph.store;
        let txn = store.begin_write().map_err(graph_error)?;
        let result =
            with_procedures(query, Txn::Write(&txn), self.metadata, options).and_then(|options| {
                Executor::new(store)
                    .execute_in_write_transaction_with_options(stmt, &txn, &options)
                    .map_err(query_error)
            });
        GraphStore::abort(txn).map_err(graph_error)?;
        let result = result?;
        if !result.stats.is_empty() {
            return Err(access_mode());
        }
        Ok(result)
    }
}

/// `options`, with the schema procedures `query` calls answered from `txn`.
fn with_procedures<'o>(
    query: &str,
    txn: Txn<'_>,
    metadata: &Map,
    options: &'o ExecutionOptions,
) -> Result<Cow<'o, ExecutionOptions>, EngineError> {
    Ok(match procedures::for_query(query, txn, metadata)? {
        Some(procedures) => Cow::Owned(ExecutionOptions {
            procedures: Some(procedures),
            ..options.clone()
        }),
        None => Cow::Borrowed(options),
    })
}

impl Drop for MarsTransaction {
    fn drop(&mut self) {
        // Rolls back a transaction that neither committed nor rolled back.
        let _ = self.abort();
    }
}

impl EngineTransaction for MarsTransaction {
    fn execute(&mut self, query: &str, parameters: &Map) -> Result<QueryOutput, EngineError> {
        if self.failed {
            return Err(EngineError::new(
                codes::TRANSACTION_MARKED_AS_FAILED,
                "the transaction was rolled back after an earlier error; start a new one",
            ));
        }
        let result = self.run(query, parameters);
        if result.is_err() {
            self.failed = true;
            // The statement's error is the one to report.
            let _ = self.abort();
        }
        result
    }

    fn commit(mut self: Box<Self>) -> Result<(), EngineError> {
        if self.failed {
            return Err(EngineError::new(
                codes::TRANSACTION_MARKED_AS_FAILED,
                "the transaction was rolled back after an earlier error and cannot commit",
            ));
        }
        match self.write.take() {
            Some(open) => GraphStore::commit(open.txn).map_err(graph_error),
            None => Ok(()),
        }
    }

    fn rollback(mut self: Box<Self>) {
        // Nothing was applied if aborting fails: the store drops the changes.
        let _ = self.abort();
    }
}

fn output(query: &str, result: QueryResult, read_only: bool, schema: bool) -> QueryOutput {
    let fields = match text::return_columns(query) {
        Some(names) if names.len() == result.columns.len() => names,
        _ => result.columns,
    };
    let stats = result.stats;
    let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let mut counters = Counters::default();
    counters.nodes_created = count(stats.nodes_created);
    counters.nodes_deleted = count(stats.nodes_deleted);
    counters.relationships_created = count(stats.relationships_created);
    counters.relationships_deleted = count(stats.relationships_deleted);
    counters.properties_set = count(stats.properties_set);
    counters.labels_added = count(stats.labels_added);
    counters.labels_removed = count(stats.labels_removed);
    counters.indexes_added = i64::from(schema);
    counters.contains_updates = counters != Counters::default();
    let query_type = if schema {
        QueryType::Schema
    } else if read_only || !text::has_update_clause(query) {
        // marsdb counts a procedure call as a possible write; the built-in
        // procedures only read.
        QueryType::Read
    } else if fields.is_empty() {
        QueryType::Write
    } else {
        QueryType::ReadWrite
    };
    QueryOutput {
        fields,
        records: result
            .rows
            .into_iter()
            .map(|row| row.into_iter().map(convert::value).collect())
            .collect(),
        stats: counters,
        query_type,
    }
}

/// Maps an engine error to the Neo4j status code that fits it.
fn query_error(error: QueryError) -> EngineError {
    match error {
        QueryError::Syntax(message) => {
            let message = message
                .strip_prefix("syntax error: ")
                .unwrap_or(&message)
                .to_owned();
            EngineError::new(codes::SYNTAX_ERROR, message)
        }
        QueryError::Semantic(message) => {
            let code = if message.starts_with("SKIP") || message.starts_with("LIMIT") {
                codes::ARGUMENT_ERROR
            } else {
                codes::SYNTAX_ERROR
            };
            EngineError::new(code, message)
        }
        QueryError::Type(message) => {
            let code = if message.contains("division by zero") || message.contains("overflow") {
                codes::ARITHMETIC_ERROR
            } else {
                codes::TYPE_ERROR
            };
            EngineError::new(code, message)
        }
        QueryError::Graph(error) => graph_error(error),
        QueryError::UnboundVariable(name) => EngineError::new(
            codes::SYNTAX_ERROR,
            format!("Variable `{name}` not defined"),
        ),
        QueryError::MissingParam(name) => {
            let name = name.strip_prefix(text::PARAMETER_PREFIX).unwrap_or(&name);
            EngineError::new(
                codes::PARAMETER_MISSING,
                format!("Expected parameter(s): {name}"),
            )
        }
        QueryError::Cancelled => EngineError::new(codes::TERMINATED, "the query was cancelled"),
        QueryError::Timeout => timed_out(),
        QueryError::ResourceLimit(what) => EngineError::new(codes::OUT_OF_MEMORY, what),
    }
}

fn graph_error(error: GraphError) -> EngineError {
    match error {
        GraphError::NodeHasEdges(id) => EngineError::new(
            codes::CONSTRAINT_VALIDATION_FAILED,
            format!(
                "Cannot delete node<{}>, because it still has relationships. To delete this \
                 node, you must first delete its relationships.",
                id.0
            ),
        ),
        error @ GraphError::UniqueConstraintViolation { .. } => {
            EngineError::new(codes::CONSTRAINT_VALIDATION_FAILED, error.to_string())
        }
        GraphError::NodeNotFound(id) => EngineError::new(
            codes::ENTITY_NOT_FOUND,
            format!("Node with id {} has been deleted in this transaction", id.0),
        ),
        error @ GraphError::IndexNotFound { .. } => {
            EngineError::new(codes::INDEX_NOT_FOUND, error.to_string())
        }
        error => EngineError::new(codes::UNKNOWN_ERROR, error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_the_engine_becomes_an_unknown_error() {
        let err = on_statement_thread::<()>(|| panic!("engine bug")).unwrap_err();
        assert_eq!(err.code, codes::UNKNOWN_ERROR);
        assert!(err.message.contains("engine bug"), "{err}");
    }

    #[test]
    fn statements_nesting_to_the_limit_run() {
        let engine = MarsEngine::new().unwrap();
        let levels = MAX_NESTING - 2;
        for (open, close) in [("(", ")"), ("[", "]"), ("{a: ", "}")] {
            let deep = format!(
                "RETURN size(toString({}1{})) > 0 AS x",
                open.repeat(levels),
                close.repeat(levels)
            );
            let mut tx = engine.begin(DEFAULT_DATABASE, AccessMode::Write).unwrap();
            let out = tx.execute(&deep, &Map::new());
            let clean = match &out {
                Ok(out) => out.records.len() == 1,
                Err(e) => e.code != codes::UNKNOWN_ERROR,
            };
            assert!(clean, "{open}: {out:?}");
        }
    }
}
