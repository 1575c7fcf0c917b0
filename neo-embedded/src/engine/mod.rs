//! The graph engine behind the embedded server, behind a small trait so that
//! it can be swapped: [`GraphEngine`] opens [`EngineTransaction`]s, which
//! run Cypher with PackStream parameters and stream PackStream rows back, or
//! fail with an [`EngineError`] carrying a Neo4j status code.
//!
//! [`MarsEngine`] implements it: an executor of its own over the storage of
//! `marsdb-graph` 0.10 (MIT OR Apache-2.0; a property graph over `redb`, in
//! memory or in a file).
//!
//! # One front end
//!
//! A statement is parsed once, by [`neo_cypher::parse`], the parser the
//! compile-time checker uses; the engine plans `neo-cypher`'s syntax tree
//! and runs the plan. What the parser accepts and the engine cannot run
//! fails with `Neo.ClientError.Statement.NotSupported` naming the construct;
//! what it refuses fails with its `Neo.ClientError.Statement.SyntaxError`.
//!
//! # How a statement runs
//!
//! - **Planning** (`plan`): variables become row slots; each `MATCH` path
//!   starts from a bound variable, an id or index seek, a label scan, a
//!   relationship type scan or all nodes, and expands step by step
//!   (relationship uniqueness per `MATCH`); predicates apply as soon as
//!   their variables are bound; `Eager` barriers keep clause-at-a-time
//!   semantics where a clause writes what another reads, and `LIMIT` after
//!   a write keeps pulling so that every row's writes happen.
//! - **Execution** (`exec`): pull-based operators. Rows are computed as
//!   they are pulled, so the first rows go out before later rows exist
//!   (`UNWIND [1, 0, 2] AS x RETURN 10 / x` sends 10, then fails), and only
//!   sorting, aggregation, `DISTINCT` and `Eager` hold rows.
//! - **Values** (`value`, `expr`, `temporal`, `spatial`): Neo4j semantics —
//!   three-valued logic, null propagation, integer overflow as an error,
//!   comparability and ordering across types, temporal values with named
//!   zones and nanoseconds, durations, points.
//! - **Storage** (`storage`, `schema`): nodes, relationships, labels and
//!   properties in `marsdb-graph`; byte arrays and points are stored as
//!   one-entry maps under reserved keys (maps cannot be properties); index
//!   and constraint definitions and index entries in tables of the same
//!   store, so schema is transactional and durable with the data.
//!
//! # What runs
//!
//! Everything `neo-cypher` parses, with these refusals (each a
//! `Neo.ClientError.Statement.NotSupported` naming the construct):
//!
//! - users, roles, privileges, aliases, servers (`CREATE USER`, `GRANT`,
//!   `SHOW ROLES`, …), composite databases, `ALTER DATABASE`, `START`/`STOP
//!   DATABASE` and `SET TOPOLOGY`: there is one server, every database is
//!   online and read-write, and authentication is the server's setting;
//! - `USE` of another database than the transaction's (and
//!   `graph.byName` of one);
//! - `LOAD CSV` from anything but a `file:///` URL under the import
//!   directory ([`MarsEngine::with_import_dir`]; without one, `LOAD CSV`
//!   fails with `Neo.ClientError.Statement.ExternalResourceFailed`);
//! - `OPTIONAL CALL { } IN TRANSACTIONS`; a parameter as the count of a
//!   path selector (`SHORTEST $k`); a quantified path pattern that can only
//!   be reached from its right end; `MATCH REPEATABLE ELEMENTS` with a path
//!   selector over an unbounded quantifier (without a selector it is
//!   Neo4j's `SyntaxError`).
//!
//! Procedures: `db.labels`, `db.relationshipTypes`, `db.propertyKeys`,
//! `db.schema.nodeTypeProperties`, `db.schema.relTypeProperties`,
//! `db.awaitIndexes`, `db.awaitIndex`, `db.index.fulltext.queryNodes`,
//! `db.index.fulltext.queryRelationships`, `db.index.vector.queryNodes`,
//! `db.info`, `db.ping`, `dbms.components`, `tx.getMetaData`, and those an
//! application registers ([`MarsEngine::register_procedure`]); any other
//! is `Neo.ClientError.Procedure.ProcedureNotFound`.
//!
//! Schema: range, text, point, lookup, full-text and vector indexes (range
//! indexes serve equality, `IN`, range and prefix seeks, text indexes
//! equality with a string and prefix seeks; full-text and vector indexes
//! are read by their procedures; point and lookup indexes are kept and
//! listed, and label scans read the store's own label index); uniqueness, existence, property-type, node-key
//! and relationship-key constraints, checked when a statement writes
//! (uniqueness) or at commit (the others), with Neo4j's codes; `SHOW
//! INDEXES`, `SHOW CONSTRAINTS`, `SHOW PROCEDURES`, `SHOW FUNCTIONS`, `SHOW
//! TRANSACTIONS`, `TERMINATE TRANSACTIONS`, `SHOW DATABASES`, `SHOW
//! SETTINGS`; `CREATE`/`DROP DATABASE` on `system`.
//!
//! Summaries: counters, query type, `EXPLAIN` plans and `PROFILE` plans
//! (rows and database hits per operator) in the summary, notifications
//! (Cartesian product, unknown label or relationship type, and others).
//!
//! # Transactions
//!
//! Reads before a transaction's first write see the latest committed
//! state, statement by statement (read committed, as in Neo4j). The first
//! statement that may write takes the database's write lock and opens the
//! store's write transaction; later statements read their own writes; other
//! transactions see none of them before commit. One transaction writes to
//! a database at a time (databases are independent): `redb` has a single
//! writer, so concurrent writers queue on the lock (waiting at most the
//! lock timeout, default 30 s, then
//! `Neo.TransientError.Transaction.LockAcquisitionTimeout`; a transaction
//! that reaches its own timeout while waiting fails with
//! `Neo.ClientError.Transaction.LockClientStopped`). A failed statement
//! rolls the transaction back; later statements fail with
//! `TransactionMarkedAsFailed`. Read-mode transactions refuse statements
//! that may write (`Neo.ClientError.Statement.AccessMode`). `CALL { } IN
//! TRANSACTIONS` commits its batches as it goes and runs in auto-commit
//! transactions only (`Neo.DatabaseError.Transaction.TransactionStartFailed`
//! otherwise).
//!
//! Databases are in memory ([`MarsEngine::new`]) or each in a file under a
//! data directory ([`MarsEngine::open`]): a commit is durable when it
//! returns.
//!
//! # Limits and their defaults
//!
//! | what | default | setting |
//! |---|---|---|
//! | wait for another transaction's write lock | 30 s | [`MarsEngine::with_lock_timeout`] |
//! | transaction timeout when the client sets none | none | [`MarsEngine::with_transaction_timeout`] |
//! | items in a list built by one function call or `collect()` | 10,000,000 | — |
//! | paths a shortest-path search keeps per length | 1,000,000 | — |
//! | bytes of one `LOAD CSV` record | 16 MiB | — |
//! | stack of the thread that runs a statement step | 32 MiB | — |
//!
//! Going past a size limit fails the statement with
//! `Neo.TransientError.General.MemoryPoolOutOfMemoryError`. `UNWIND
//! range(…)` makes its integers one at a time, so it has no list limit.

mod convert;
mod database;
mod error;
mod exec;
mod expr;
mod locks;
mod output;
mod plan;
mod procedures;
mod schema;
mod spatial;
mod storage;
mod temporal;
mod transaction;
mod value;

use std::time::Duration;

pub use database::MarsEngine;
pub use error::{EngineError, codes};
pub use output::{
    Batch, BatchEnd, Counters, InputPosition, Notification, QueryOutput, QueryType, StreamHead,
    Summary,
};
pub use procedures::{Field, Procedure, ProcedureBody, ProcedureMode};
pub use transaction::MarsTransaction;

use neo_bolt::packstream::Map;

/// The database a session uses when it names none.
pub const DEFAULT_DATABASE: &str = "neo4j";

/// The administrative database.
pub const SYSTEM_DATABASE: &str = "system";

/// Whether a transaction may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccessMode {
    /// Reads only; a statement that writes fails with
    /// `Neo.ClientError.Statement.AccessMode`.
    Read,
    /// Reads and writes.
    #[default]
    Write,
}

/// How a transaction is opened, for [`GraphEngine::begin_with`].
///
/// ```
/// use neo_embedded::engine::{AccessMode, TransactionConfig};
///
/// let config = TransactionConfig {
///     mode: AccessMode::Read,
///     timeout: Some(std::time::Duration::from_secs(5)),
///     ..TransactionConfig::default()
/// };
/// assert!(config.metadata.is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct TransactionConfig {
    /// Read or write.
    pub mode: AccessMode,
    /// How long the transaction may run, waits for locks included: a wait
    /// for a lock still going then fails with
    /// [`codes::LOCK_CLIENT_STOPPED`], a statement still running with
    /// [`codes::TRANSACTION_TIMED_OUT`].
    pub timeout: Option<Duration>,
    /// The client's metadata (`CALL tx.getMetaData()` gives it back).
    pub metadata: Map,
    /// Opened with `BEGIN` (not an auto-commit statement).
    pub explicit: bool,
}

/// A set of named graph databases that runs Cypher in transactions.
///
/// ```
/// use neo_embedded::engine::{AccessMode, GraphEngine, MarsEngine};
///
/// fn count_people(engine: &dyn GraphEngine) -> Result<usize, neo_embedded::engine::EngineError> {
///     let mut tx = engine.begin("neo4j", AccessMode::Read)?;
///     let out = tx.execute("MATCH (p:Person) RETURN p", &Default::default())?;
///     tx.commit()?;
///     Ok(out.records.len())
/// }
///
/// let engine = MarsEngine::new()?;
/// assert_eq!(count_people(&engine)?, 0);
/// # Ok::<(), neo_embedded::engine::EngineError>(())
/// ```
pub trait GraphEngine: Send + Sync {
    /// Starts a transaction on `database`; fails with
    /// `Neo.ClientError.Database.DatabaseNotFound` if there is no such database.
    fn begin(
        &self,
        database: &str,
        mode: AccessMode,
    ) -> Result<Box<dyn EngineTransaction>, EngineError>;

    /// Starts a transaction with a timeout and metadata.
    fn begin_with(
        &self,
        database: &str,
        config: &TransactionConfig,
    ) -> Result<Box<dyn EngineTransaction>, EngineError> {
        self.begin(database, config.mode)
    }

    /// The names of the databases, sorted.
    fn databases(&self) -> Vec<String>;

    /// Creates an empty database.
    fn create_database(&self, name: &str) -> Result<(), EngineError>;

    /// Drops a database and its data; open transactions on it finish on the
    /// dropped copy.
    fn drop_database(&self, name: &str) -> Result<(), EngineError>;
}

/// A transaction: statements run in order, then it commits or rolls back.
/// Dropping it rolls it back.
///
/// A statement is started with [`run`](Self::run), which parses and plans
/// it (a compile-time error fails here), and its rows are pulled in
/// batches with [`pull`](Self::pull), computed as they are pulled; the
/// summary comes with the last batch. Several statements may be open at
/// once.
pub trait EngineTransaction: Send + std::fmt::Debug {
    /// Starts a statement with its `$parameters`. An error rolls the whole
    /// transaction back; later statements fail with
    /// `Neo.ClientError.Transaction.TransactionMarkedAsFailed`.
    fn run(&mut self, query: &str, parameters: &Map) -> Result<StreamHead, EngineError>;

    /// Up to `n` more rows of statement `stream`, and how the batch ends.
    fn pull(&mut self, stream: u64, n: usize) -> Batch;

    /// Runs statement `stream` to its end without sending rows.
    fn discard(&mut self, stream: u64) -> Result<Summary, EngineError>;

    /// Runs one statement to its end and gives every row.
    fn execute(&mut self, query: &str, parameters: &Map) -> Result<QueryOutput, EngineError> {
        let head = self.run(query, parameters)?;
        let batch = self.pull(head.id, usize::MAX);
        match batch.end {
            BatchEnd::Done(summary) => {
                Ok(QueryOutput::from_parts(head.fields, batch.records, summary))
            }
            BatchEnd::Failed(error) => Err(error),
            BatchEnd::HasMore => Err(EngineError::internal(
                "a statement pulled to its end had more rows",
            )),
        }
    }

    /// Makes the transaction's writes durable and visible to others.
    fn commit(self: Box<Self>) -> Result<(), EngineError>;

    /// Discards the transaction's writes.
    fn rollback(self: Box<Self>);
}
