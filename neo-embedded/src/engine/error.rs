//! The engine's error: a Neo4j status code and a message.

use std::fmt;

/// Neo4j status codes the engine answers with.
pub mod codes {
    /// The query text does not parse, or uses a construct the engine does not support.
    pub const SYNTAX_ERROR: &str = "Neo.ClientError.Statement.SyntaxError";
    /// A value has the wrong type for the operation.
    pub const TYPE_ERROR: &str = "Neo.ClientError.Statement.TypeError";
    /// Division by zero or integer overflow.
    pub const ARITHMETIC_ERROR: &str = "Neo.ClientError.Statement.ArithmeticError";
    /// A function or clause got an argument outside its domain (a negative `SKIP`).
    pub const ARGUMENT_ERROR: &str = "Neo.ClientError.Statement.ArgumentError";
    /// The query uses a `$parameter` that was not supplied.
    pub const PARAMETER_MISSING: &str = "Neo.ClientError.Statement.ParameterMissing";
    /// A write was attempted in a read transaction.
    pub const ACCESS_MODE: &str = "Neo.ClientError.Statement.AccessMode";
    /// A schema rule (a node that still has relationships, a unique property) was broken.
    pub const CONSTRAINT_VALIDATION_FAILED: &str =
        "Neo.ClientError.Schema.ConstraintValidationFailed";
    /// The statement refers to a node or relationship that no longer exists.
    pub const ENTITY_NOT_FOUND: &str = "Neo.ClientError.Statement.EntityNotFound";
    /// The statement refers to an index that does not exist.
    pub const INDEX_NOT_FOUND: &str = "Neo.ClientError.Schema.IndexNotFound";
    /// The named database does not exist.
    pub const DATABASE_NOT_FOUND: &str = "Neo.ClientError.Database.DatabaseNotFound";
    /// A database with that name already exists.
    pub const EXISTING_DATABASE_FOUND: &str = "Neo.ClientError.Database.ExistingDatabaseFound";
    /// The operation is not allowed (dropping the system database).
    pub const FORBIDDEN: &str = "Neo.ClientError.Security.Forbidden";
    /// The transaction failed earlier and was rolled back; it accepts no more work.
    pub const TRANSACTION_MARKED_AS_FAILED: &str =
        "Neo.ClientError.Transaction.TransactionMarkedAsFailed";
    /// The transaction ran longer than its timeout.
    pub const TRANSACTION_TIMED_OUT: &str = "Neo.ClientError.Transaction.TransactionTimedOut";
    /// The query was cancelled.
    pub const TERMINATED: &str = "Neo.TransientError.Transaction.Terminated";
    /// The transaction reached its timeout while it waited for a lock.
    pub const LOCK_CLIENT_STOPPED: &str = "Neo.ClientError.Transaction.LockClientStopped";
    /// Another transaction held the write lock for longer than the lock timeout.
    pub const LOCK_ACQUISITION_TIMEOUT: &str =
        "Neo.TransientError.Transaction.LockAcquisitionTimeout";
    /// The query exceeded a resource limit.
    pub const OUT_OF_MEMORY: &str = "Neo.TransientError.General.MemoryPoolOutOfMemoryError";
    /// Anything else: a storage failure or an internal fault of the engine.
    pub const UNKNOWN_ERROR: &str = "Neo.DatabaseError.General.UnknownError";
}

/// An error from a [`GraphEngine`](super::GraphEngine) or an
/// [`EngineTransaction`](super::EngineTransaction), carrying the Neo4j status
/// code a server sends in a `FAILURE` message.
///
/// ```
/// use neo_embedded::engine::{EngineError, codes};
///
/// let err = EngineError::new(codes::SYNTAX_ERROR, "Invalid input 'RETRUN'");
/// assert_eq!(err.code, "Neo.ClientError.Statement.SyntaxError");
/// assert!(err.is_client_error());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError {
    /// The Neo4j status code, such as `Neo.ClientError.Statement.SyntaxError`.
    pub code: String,
    /// What happened, for a human.
    pub message: String,
}

impl EngineError {
    /// Makes an error from a status code and a message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> EngineError {
        EngineError {
            code: code.into(),
            message: message.into(),
        }
    }

    /// Whether the code is a `Neo.ClientError.*`: the request was wrong.
    pub fn is_client_error(&self) -> bool {
        self.code.starts_with("Neo.ClientError.")
    }

    /// Whether the code is a `Neo.TransientError.*`: retrying may succeed.
    pub fn is_transient(&self) -> bool {
        self.code.starts_with("Neo.TransientError.")
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for EngineError {}
