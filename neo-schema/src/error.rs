//! What can go wrong, and the exit code each failure gives.

use std::path::PathBuf;

/// Why an export failed.
///
/// No variant carries the password.
///
/// ```
/// use neo_schema::ExportError;
///
/// let err = ExportError::Usage("unknown option --frobnicate".into());
/// assert_eq!(err.exit_code(), 2);
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The command line is wrong.
    #[error("{0}")]
    Usage(String),
    /// The URI does not parse, or names a scheme the driver cannot use.
    #[error("invalid URI: {reason}")]
    InvalidUri {
        /// What is wrong with it.
        reason: String,
    },
    /// No Bolt connection could be made.
    #[error("cannot connect to {uri}: {reason}")]
    Unreachable {
        /// The server's URI.
        uri: String,
        /// The driver's explanation.
        reason: String,
    },
    /// The server refused the credentials.
    #[error("authentication failed for user `{user}` at {uri}: {reason}{hint}", hint = if *.password_given { "" } else { " (no password given: use --password or NEO4J_PASSWORD)" })]
    Unauthorized {
        /// The user name.
        user: String,
        /// The server's URI.
        uri: String,
        /// The server's message.
        reason: String,
        /// Whether a password was given at all.
        password_given: bool,
    },
    /// The database does not exist on the server.
    #[error("database `{database}` does not exist at {uri}")]
    DatabaseNotFound {
        /// The database name.
        database: String,
        /// The server's URI.
        uri: String,
    },
    /// A schema procedure failed.
    #[error("CALL {procedure}() failed: {source}")]
    Query {
        /// The procedure.
        procedure: &'static str,
        /// The driver's error.
        source: neo_runtime::Error,
    },
    /// A schema procedure returned a value of an unexpected shape.
    #[error("CALL {procedure}() returned {found} in column `{column}`")]
    UnexpectedValue {
        /// The procedure.
        procedure: &'static str,
        /// The column.
        column: &'static str,
        /// What came instead of the expected value.
        found: String,
    },
    /// The schema file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl ExportError {
    /// The process exit code for this failure: 2 for a wrong command line
    /// or URI, 3 when the server cannot be reached, 4 when authentication
    /// fails, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            ExportError::Usage(_) | ExportError::InvalidUri { .. } => 2,
            ExportError::Unreachable { .. } => 3,
            ExportError::Unauthorized { .. } => 4,
            _ => 1,
        }
    }
}
