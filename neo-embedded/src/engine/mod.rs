//! The graph engine behind the embedded server, behind a small trait so that
//! it can be swapped: [`GraphEngine`] opens [`EngineTransaction`]s, which run
//! Cypher with PackStream parameters and give PackStream values back.
//!
//! [`MarsEngine`] implements it over the `marsdb` crate (0.10.0) in its
//! in-memory mode.
//!
//! EVALUATION_PLACEHOLDER

mod convert;
mod error;
mod mars;
mod output;
mod text;
mod write_gate;

pub use error::{EngineError, codes};
pub use mars::{MarsEngine, MarsTransaction};
pub use output::{Counters, QueryOutput, QueryType};

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
pub trait EngineTransaction: Send {
    /// Runs one Cypher statement with its `$parameters`. An error rolls the
    /// whole transaction back; later statements fail with
    /// `Neo.ClientError.Transaction.TransactionMarkedAsFailed`.
    fn execute(&mut self, query: &str, parameters: &Map) -> Result<QueryOutput, EngineError>;

    /// Makes the transaction's writes durable and visible to others.
    fn commit(self: Box<Self>) -> Result<(), EngineError>;

    /// Discards the transaction's writes.
    fn rollback(self: Box<Self>);
}
