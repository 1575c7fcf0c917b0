//! The engine's error: a Neo4j status code and a message.

use std::fmt;

use neo_bolt::server_error::Classification;

/// Neo4j status codes the engine answers with.
pub mod codes {
    use neo_bolt::server_error::StatusCode;

    /// The query does not parse, breaks a rule of the language, or uses a
    /// construct the engine does not run.
    pub const SYNTAX_ERROR: &str = StatusCode::SYNTAX_ERROR.code();
    /// A rule of the language that depends on the data was broken (a
    /// `MERGE` reading a deleted entity, an `IN TRANSACTIONS` call inside an
    /// explicit transaction).
    pub const SEMANTIC_ERROR: &str = StatusCode::SEMANTIC_ERROR.code();
    /// A value has the wrong type for the operation.
    pub const TYPE_ERROR: &str = StatusCode::TYPE_ERROR.code();
    /// Division by zero or integer overflow.
    pub const ARITHMETIC_ERROR: &str = StatusCode::ARITHMETIC_ERROR.code();
    /// A function or clause got an argument outside its domain.
    pub const ARGUMENT_ERROR: &str = StatusCode::ARGUMENT_ERROR.code();
    /// The query uses a `$parameter` that was not supplied.
    pub const PARAMETER_MISSING: &str = StatusCode::PARAMETER_MISSING.code();
    /// A write was attempted in a read transaction.
    pub const ACCESS_MODE: &str = StatusCode::ACCESS_MODE.code();
    /// The statement is valid Cypher that the engine does not run.
    pub const NOT_SUPPORTED: &str = StatusCode::NOT_SUPPORTED.code();
    /// A schema rule (a node that still has relationships, a unique property) was broken.
    pub const CONSTRAINT_VALIDATION_FAILED: &str = StatusCode::CONSTRAINT_VALIDATION_FAILED.code();
    /// Creating a constraint failed because the data breaks it.
    pub const CONSTRAINT_CREATION_FAILED: &str = StatusCode::CONSTRAINT_CREATION_FAILED.code();
    /// An equivalent index already exists.
    pub const EQUIVALENT_SCHEMA_RULE_ALREADY_EXISTS: &str =
        StatusCode::EQUIVALENT_SCHEMA_RULE_ALREADY_EXISTS.code();
    /// An index or constraint with that name already exists.
    pub const INDEX_WITH_NAME_ALREADY_EXISTS: &str =
        StatusCode::INDEX_WITH_NAME_ALREADY_EXISTS.code();
    /// A constraint with that name already exists.
    pub const CONSTRAINT_WITH_NAME_ALREADY_EXISTS: &str =
        StatusCode::CONSTRAINT_WITH_NAME_ALREADY_EXISTS.code();
    /// An index for the same schema already exists.
    pub const INDEX_ALREADY_EXISTS: &str = StatusCode::INDEX_ALREADY_EXISTS.code();
    /// A constraint for the same schema already exists.
    pub const CONSTRAINT_ALREADY_EXISTS: &str = StatusCode::CONSTRAINT_ALREADY_EXISTS.code();
    /// The statement refers to an index that does not exist.
    pub const INDEX_NOT_FOUND: &str = StatusCode::INDEX_NOT_FOUND.code();
    /// The statement drops a constraint that does not exist.
    pub const CONSTRAINT_DROP_FAILED: &str = StatusCode::CONSTRAINT_DROP_FAILED.code();
    /// The statement drops an index that does not exist.
    pub const INDEX_DROP_FAILED: &str = StatusCode::INDEX_DROP_FAILED.code();
    /// The statement refers to a node or relationship that no longer exists.
    pub const ENTITY_NOT_FOUND: &str = StatusCode::ENTITY_NOT_FOUND.code();
    /// The called procedure is not registered.
    pub const PROCEDURE_NOT_FOUND: &str = StatusCode::PROCEDURE_NOT_FOUND.code();
    /// A procedure was called with the wrong arguments.
    pub const PROCEDURE_CALL_FAILED: &str = StatusCode::PROCEDURE_CALL_FAILED.code();
    /// The named database does not exist.
    pub const DATABASE_NOT_FOUND: &str = StatusCode::DATABASE_NOT_FOUND.code();
    /// A database with that name already exists.
    pub const EXISTING_DATABASE_FOUND: &str = StatusCode::EXISTING_DATABASE_FOUND.code();
    /// The operation is not allowed (dropping the system database).
    pub const FORBIDDEN: &str = StatusCode::FORBIDDEN.code();
    /// The transaction failed earlier and was rolled back; it accepts no more work.
    pub const TRANSACTION_MARKED_AS_FAILED: &str = StatusCode::TRANSACTION_MARKED_AS_FAILED.code();
    /// Schema and data changes were mixed in one transaction.
    pub const FORBIDDEN_DUE_TO_TRANSACTION_TYPE: &str =
        StatusCode::FORBIDDEN_DUE_TO_TRANSACTION_TYPE.code();
    /// `CALL { } IN TRANSACTIONS` in an explicit transaction: it needs an
    /// implicit (auto-commit) one.
    pub const TRANSACTION_START_FAILED: &str = StatusCode::TRANSACTION_START_FAILED.code();
    /// The transaction ran longer than its time limit.
    pub const TRANSACTION_TIMED_OUT: &str =
        StatusCode::TRANSACTION_TIMED_OUT_CLIENT_CONFIGURATION.code();
    /// The transaction reached its time limit while waiting for a lock.
    pub const LOCK_CLIENT_STOPPED: &str = StatusCode::LOCK_CLIENT_STOPPED.code();
    /// The transaction was terminated (`TERMINATE TRANSACTIONS`).
    pub const TERMINATED: &str = StatusCode::TERMINATED.code();
    /// Another transaction held the write lock for longer than the lock timeout.
    pub const LOCK_ACQUISITION_TIMEOUT: &str = StatusCode::LOCK_ACQUISITION_TIMEOUT.code();
    /// The query exceeded a resource limit.
    pub const OUT_OF_MEMORY: &str = StatusCode::MEMORY_POOL_OUT_OF_MEMORY_ERROR.code();
    /// `LOAD CSV` could not read its source.
    pub const EXTERNAL_RESOURCE_FAILED: &str = StatusCode::EXTERNAL_RESOURCE_FAILED.code();
    /// An administration command sent to a database other than `system`.
    pub const UNSUPPORTED_ADMINISTRATION_COMMAND: &str =
        StatusCode::UNSUPPORTED_ADMINISTRATION_COMMAND.code();
    /// A request the protocol state does not allow, such as a PULL for a
    /// result that is not open.
    pub const REQUEST_INVALID: &str = StatusCode::REQUEST_INVALID.code();
    /// Anything else: a storage failure or an internal fault of the engine.
    pub const UNKNOWN_ERROR: &str = StatusCode::UNKNOWN_ERROR.code();
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
        Classification::from_code(&self.code) == Classification::ClientError
    }

    /// Whether the code is a `Neo.TransientError.*`: retrying may succeed.
    pub fn is_transient(&self) -> bool {
        Classification::from_code(&self.code) == Classification::TransientError
    }

    pub(crate) fn syntax(message: impl Into<String>) -> EngineError {
        EngineError::new(codes::SYNTAX_ERROR, message)
    }

    pub(crate) fn semantic(message: impl Into<String>) -> EngineError {
        EngineError::new(codes::SEMANTIC_ERROR, message)
    }

    pub(crate) fn type_error(message: impl Into<String>) -> EngineError {
        EngineError::new(codes::TYPE_ERROR, message)
    }

    pub(crate) fn argument(message: impl Into<String>) -> EngineError {
        EngineError::new(codes::ARGUMENT_ERROR, message)
    }

    pub(crate) fn arithmetic(message: impl Into<String>) -> EngineError {
        EngineError::new(codes::ARITHMETIC_ERROR, message)
    }

    pub(crate) fn not_supported(message: impl Into<String>) -> EngineError {
        EngineError::new(codes::NOT_SUPPORTED, message)
    }

    pub(crate) fn entity_not_found(message: impl Into<String>) -> EngineError {
        EngineError::new(codes::ENTITY_NOT_FOUND, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> EngineError {
        EngineError::new(codes::UNKNOWN_ERROR, message)
    }

    pub(crate) fn integer_overflow() -> EngineError {
        EngineError::arithmetic("long overflow")
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for EngineError {}

/// The engine's result type.
pub(crate) type Result<T, E = EngineError> = std::result::Result<T, E>;
