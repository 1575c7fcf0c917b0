//! The graph engine behind the embedded server, behind a small trait so that
//! it can be swapped: [`GraphEngine`] opens [`EngineTransaction`]s, which run
//! Cypher with PackStream parameters and give PackStream values back
//! ([`QueryOutput`]), or an [`EngineError`] carrying a Neo4j status code.
//!
//! [`MarsEngine`] implements it over marsdb 0.10.0 (MIT OR Apache-2.0) in
//! its in-memory mode, through the two crates under the `marsdb` facade:
//! `marsdb-query` (openCypher parser, planner, executor) and `marsdb-graph`
//! (property graph over `redb`'s in-memory backend). The facade is not used:
//! its `Transaction<'db>` borrows the `Database`, so it cannot be owned by a
//! boxed transaction, while `GraphStore::begin_write` gives an owned
//! `WriteTransaction` that the executor runs statements in.
//!
//! # What marsdb gives
//!
//! - Real transactions: `redb` MVCC, one writer, snapshot readers that never
//!   block and never see uncommitted writes; abort undoes everything.
//! - Cypher: `CREATE`, `MATCH` (labels, property maps, both directions,
//!   variable length, several patterns, named paths), `OPTIONAL MATCH`,
//!   `WHERE` (boolean logic, `IS [NOT] NULL`, `IN`, `STARTS WITH`,
//!   `ENDS WITH`, `CONTAINS`), `RETURN`/`WITH` (aliases, `*`, `DISTINCT`,
//!   `ORDER BY`, `SKIP`, `LIMIT`, parameters for both), `count`, `collect`,
//!   `sum`, `avg`, `min`, `max`, `MERGE` with `ON CREATE`/`ON MATCH SET`,
//!   `SET`/`REMOVE` of properties and labels, `SET n += map`, `DELETE` (refused
//!   on a node with relationships), `DETACH DELETE`, `UNWIND`, `CASE`,
//!   `UNION`, list comprehensions, `CALL db.labels()` and friends, temporal
//!   types and functions, `id`, `labels`, `type`, `properties`, `keys`,
//!   `range`, `size`, `coalesce` and most string/list/math functions.
//! - Results as nodes, edges and paths with numeric ids; update counters.
//! - Typed errors: syntax, semantic, type, graph, missing parameter.
//!
//! # What the adapter adds
//!
//! - Transactions owned by the caller (`Box<dyn EngineTransaction>`), with a
//!   write lock of our own in front of `redb`'s (which would block forever)
//!   so a second writer waits at most the lock timeout, then fails with
//!   `Neo.TransientError.Transaction.LockAcquisitionTimeout`. Reads before a
//!   transaction's first write use committed snapshots (read committed, as in
//!   Neo4j); the first write opens the store's write transaction, so later
//!   statements read their own writes. Read-mode transactions refuse writes
//!   (`Neo.ClientError.Statement.AccessMode`). A failed statement rolls the
//!   transaction back, as in Neo4j.
//! - `elementId(x)`: rewritten to `toString(id(x))`; element ids are the
//!   decimal ids, as the Bolt 4.4 codec fills them.
//! - Parameters named like keywords (`$skip`, `$limit`) or numbers (`$0`),
//!   which marsdb's grammar refuses: every parameter is renamed in the text.
//! - A map parameter as a pattern's properties, `CREATE (n:Person $props)`:
//!   expanded into a literal map of one parameter per entry.
//! - `CALL db.schema.nodeTypeProperties()` and
//!   `CALL db.schema.relTypeProperties()`, with Neo4j 5's columns, computed
//!   by scanning the graph in the statement's transaction (see
//!   `procedures.rs`); `mandatory`, a keyword of marsdb's grammar, is
//!   quoted wherever it is used as a name.
//! - Column names as Neo4j gives them: the item's text (`count(*)`,
//!   `id(a)`, `$props.name`) where marsdb says `count(...)` or `col0`.
//! - Conversions of every PackStream type that has a marsdb counterpart
//!   (null, boolean, integer, float, string, list, map, date, time, local
//!   time, date-time with offset or zone id, local date-time, duration; Bolt
//!   4.4 zone-id date-times are resolved to instants), both ways; paths
//!   become Bolt paths with their index walk.
//! - Neo4j status codes for every error (see [`codes`]); each statement runs
//!   on its own thread with a 64 MiB stack (the generated parser recurses
//!   about 200 KiB per bracket level in debug builds), queries nesting more
//!   than 100 brackets are refused, and a panic in the engine becomes
//!   `Neo.DatabaseError.General.UnknownError` instead of unwinding into the
//!   caller.
//! - The query type (`r`, `w`, `rw`, `s`), with procedure calls counted as
//!   reads (marsdb counts them as possible writes; in a read transaction
//!   they run in a write transaction that is always rolled back, and fail if
//!   they changed anything).
//! - `neo4j` and `system` databases, plus `create_database`/`drop_database`.
//!
//! # What is missing
//!
//! - Cypher outside marsdb's subset fails with
//!   `Neo.ClientError.Statement.SyntaxError` and the parser's message:
//!   `FOREACH`, regular expressions (`=~`), map projections that start
//!   with a literal entry (`n {x: 1, .name}`) or mix `.*` with other
//!   entries (those that start with `.key` or are `n {.*}` are rewritten
//!   into map literals), aggregates inside a projection's entries,
//!   `reduce`, `exists(...)` (use `IS NOT NULL`), `CALL { }` subqueries,
//!   `SHOW ...`, `CREATE INDEX FOR ... ON` / `CREATE CONSTRAINT` (marsdb
//!   only has `CREATE INDEX ON :Label(prop)`), `timestamp()`, and the
//!   administration commands.
//! - Byte arrays and points: neither a parameter nor a property can hold
//!   them (`Neo.ClientError.Statement.TypeError`).
//! - Properties may not be maps (TypeError, as in Neo4j) but lists may mix
//!   types (Neo4j refuses them).
//! - `properties-set` does not count the properties of a `CREATE` or `MERGE`
//!   pattern, only those of `SET`/`REMOVE`; index and constraint counters
//!   stay zero except for `CREATE INDEX`.
//! - `EXPLAIN` returns the plan as rows; there is no `PROFILE`.
//! - Element ids of nodes and of relationships share the decimal form, so a
//!   node and a relationship may have the same element id.
//! - Memory is not bounded: `range(1, 10000000000)` exhausts it.
//! - `db.labels()` and `db.relationshipTypes()` also yield a `count`
//!   column, except when called bare (`CALL db.labels()`), which yields
//!   Neo4j's one column; `YIELD *` cannot be followed by other clauses.
//! - Every procedure call runs in a write transaction (marsdb cannot tell
//!   it reads only), so it waits for another transaction's write lock.
//! - One writer per database at a time; marsdb has no row locks, so two
//!   transactions never write concurrently (no deadlocks either).

mod convert;
mod error;
mod mars;
mod output;
mod procedures;
mod text;
mod write_gate;

pub use error::{EngineError, codes};
pub use mars::{MarsEngine, MarsTransaction};
pub use output::{Counters, QueryOutput, QueryType};
pub(crate) use text::has_update_clause;

use neo_bolt::packstream::Map;

/// The database a session uses when it names none.
pub const DEFAULT_DATABASE: &str = "neo4j";

/// The administrative database; empty in the embedded engine.
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
    pub timeout: Option<std::time::Duration>,
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

    /// Starts a transaction with a timeout and metadata. An engine that
    /// cannot use them starts a plain one, as [`begin`](Self::begin).
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
pub trait EngineTransaction: Send + std::fmt::Debug {
    /// Runs one Cypher statement with its `$parameters`. An error rolls the
    /// whole transaction back; later statements fail with
    /// `Neo.ClientError.Transaction.TransactionMarkedAsFailed`.
    fn execute(&mut self, query: &str, parameters: &Map) -> Result<QueryOutput, EngineError>;

    /// Makes the transaction's writes durable and visible to others.
    fn commit(self: Box<Self>) -> Result<(), EngineError>;

    /// Discards the transaction's writes.
    fn rollback(self: Box<Self>);
}
