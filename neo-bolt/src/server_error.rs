//! Failures reported by the server, as data: the Neo4j code, the GQL status
//! and the chain of causes, with the drivers' retry classification.

use std::fmt;

use crate::BoltVersion;
use crate::message::fill_diagnostic_defaults;
use crate::packstream::{Map, Value};

/// The code used when a FAILURE carries none.
pub const UNKNOWN_CODE: &str = "Neo.DatabaseError.General.UnknownError";
/// The GQL status used when a FAILURE carries none.
pub const UNKNOWN_GQL_STATUS: &str = "50N42";
const UNKNOWN_DESCRIPTION: &str = "error: general processing exception - unexpected error";

/// The class of a Neo4j error (`Neo.<Classification>.<Category>.<Title>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Classification {
    /// The request was wrong.
    ClientError,
    /// A temporary condition; the request may succeed if retried.
    TransientError,
    /// A fault in the server.
    DatabaseError,
    /// Anything else.
    Unknown,
}

impl Classification {
    /// The classification named in a Neo4j code.
    pub fn from_code(code: &str) -> Self {
        match code.split('.').nth(1) {
            Some("ClientError") => Classification::ClientError,
            Some("TransientError") => Classification::TransientError,
            Some("DatabaseError") => Classification::DatabaseError,
            _ => Classification::Unknown,
        }
    }

    /// The classification named by a GQL `_classification`, such as
    /// `CLIENT_ERROR`.
    pub fn from_gql(name: &str) -> Self {
        match name {
            "CLIENT_ERROR" => Classification::ClientError,
            "TRANSIENT_ERROR" => Classification::TransientError,
            "DATABASE_ERROR" => Classification::DatabaseError,
            _ => Classification::Unknown,
        }
    }

    /// The GQL name, or `None` for [`Unknown`](Classification::Unknown).
    pub fn gql_name(self) -> Option<&'static str> {
        match self {
            Classification::ClientError => Some("CLIENT_ERROR"),
            Classification::TransientError => Some("TRANSIENT_ERROR"),
            Classification::DatabaseError => Some("DATABASE_ERROR"),
            Classification::Unknown => None,
        }
    }
}

/// A failure reported by the server.
///
/// Built from FAILURE metadata in either shape (Bolt ≤ 5.6 `{code, message}`
/// or the GQL shape of Bolt 5.7+), or on the server side with
/// [`ServerError::new`].
///
/// ```
/// use neo_bolt::server_error::{Classification, ServerError};
///
/// let err = ServerError::new("Neo.TransientError.Transaction.DeadlockDetected", "deadlock");
/// assert_eq!(err.classification(), Classification::TransientError);
/// assert!(err.is_retryable());
/// assert_eq!(err.category(), "Transaction");
/// assert_eq!(err.to_string(), "Neo.TransientError.Transaction.DeadlockDetected: deadlock");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ServerError {
    /// The Neo4j code, if the server sent one (GQL causes often have none).
    code: Option<String>,
    message: String,
    gql_status: String,
    description: String,
    classification: Classification,
    diagnostic_record: Map,
    cause: Option<Box<ServerError>>,
}

/// Codes Neo4j 4.4 reports as transient that drivers treat as client
/// errors (the codes Neo4j 5 uses).
fn rewrite_legacy_code(code: &str) -> Option<&'static str> {
    match code {
        "Neo.TransientError.Transaction.Terminated" => {
            Some("Neo.ClientError.Transaction.Terminated")
        }
        "Neo.TransientError.Transaction.LockClientStopped" => {
            Some("Neo.ClientError.Transaction.LockClientStopped")
        }
        _ => None,
    }
}

/// A plausible GQL status and description for a Neo4j code, for servers
/// that must produce the GQL shape. This is a small table of the common
/// conditions, not the full catalogue; anything else is `50N42`.
fn gql_for_code(code: &str) -> (&'static str, &'static str) {
    let category = code.split('.').take(3).collect::<Vec<_>>().join(".");
    match code {
        "Neo.ClientError.Statement.SyntaxError" => (
            "42001",
            "error: syntax error or access rule violation - invalid syntax",
        ),
        "Neo.ClientError.Database.DatabaseNotFound" => (
            "22N51",
            "error: data exception - database or alias does not exist",
        ),
        "Neo.ClientError.Statement.TypeError"
        | "Neo.ClientError.Statement.ArgumentError"
        | "Neo.ClientError.Schema.ConstraintValidationFailed" => ("22000", "error: data exception"),
        _ => match category.as_str() {
            "Neo.ClientError.Statement" | "Neo.ClientError.Security" => {
                ("42000", "error: syntax error or access rule violation")
            }
            "Neo.ClientError.Transaction" => ("25N01", "error: invalid transaction state"),
            _ => (UNKNOWN_GQL_STATUS, UNKNOWN_DESCRIPTION),
        },
    }
}

impl ServerError {
    /// A server-side error with a Neo4j code and a message. The GQL status
    /// and description come from a small table of common conditions
    /// (`42001` for syntax errors, `22N51` for an unknown database, ...;
    /// `50N42` otherwise), and the diagnostic record carries the standard
    /// defaults and the `_classification` of the code.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        let code = code.into();
        let (gql_status, description) = gql_for_code(&code);
        let classification = Classification::from_code(&code);
        let mut diagnostic_record = Map::new();
        fill_diagnostic_defaults(&mut diagnostic_record);
        if let Some(name) = classification.gql_name() {
            diagnostic_record.insert("_classification".into(), Value::from(name));
        }
        ServerError {
            code: Some(code),
            message: message.into(),
            gql_status: gql_status.into(),
            description: description.into(),
            classification,
            diagnostic_record,
            cause: None,
        }
    }

    /// Replaces the GQL status and its description.
    pub fn with_gql_status(
        mut self,
        gql_status: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        self.gql_status = gql_status.into();
        self.description = description.into();
        self
    }

    /// Sets the error this one was caused by.
    pub fn with_cause(mut self, cause: ServerError) -> Self {
        self.cause = Some(Box::new(cause));
        self
    }

    /// Parses FAILURE metadata of any version: `neo4j_code` (else `code`,
    /// else `Neo.DatabaseError.General.UnknownError`), `message`,
    /// `gql_status` (else `50N42`), `description`, `diagnostic_record` (with
    /// the GQL defaults filled in) and a nested `cause`.
    ///
    /// Neo4j 4.4's `Neo.TransientError.Transaction.Terminated` and
    /// `...LockClientStopped` become `Neo.ClientError.Transaction.*`.
    pub fn from_metadata(metadata: &Map) -> Self {
        let text = |key: &str| metadata.get(key).and_then(Value::as_str);
        let given_code = text("neo4j_code").or_else(|| text("code"));
        let code = given_code.map(|code| rewrite_legacy_code(code).unwrap_or(code).to_owned());
        let message = text("message").unwrap_or_default().to_owned();
        let mut diagnostic_record = metadata
            .get("diagnostic_record")
            .and_then(Value::as_map)
            .cloned()
            .unwrap_or_default();
        fill_diagnostic_defaults(&mut diagnostic_record);
        let from_code = Classification::from_code(code.as_deref().unwrap_or(UNKNOWN_CODE));
        let gql_classification = diagnostic_record
            .get("_classification")
            .and_then(Value::as_str)
            .map(Classification::from_gql)
            .unwrap_or(Classification::Unknown);
        let classification = if code.is_none() || from_code == Classification::Unknown {
            match gql_classification {
                Classification::Unknown => from_code,
                known => known,
            }
        } else {
            from_code
        };
        let (gql_status, description) = match text("gql_status") {
            Some(status) => (
                status.to_owned(),
                text("description").unwrap_or_default().to_owned(),
            ),
            None => (
                UNKNOWN_GQL_STATUS.to_owned(),
                text("description")
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("{UNKNOWN_DESCRIPTION}. {message}")),
            ),
        };
        let cause = metadata
            .get("cause")
            .and_then(Value::as_map)
            .map(|cause| Box::new(ServerError::from_metadata(cause)));
        ServerError {
            code,
            message,
            gql_status,
            description,
            classification,
            diagnostic_record,
            cause,
        }
    }

    /// FAILURE metadata in the shape of `version`: `{code, message}` up to
    /// Bolt 5.6; from 5.7 `{neo4j_code, message, gql_status, description,
    /// diagnostic_record, cause?}`.
    pub fn to_metadata(&self, version: BoltVersion) -> Map {
        let mut map = Map::new();
        if version < BoltVersion::V5_7 {
            map.insert("code".into(), Value::from(self.code()));
            map.insert("message".into(), Value::from(self.message.as_str()));
            return map;
        }
        if let Some(code) = &self.code {
            map.insert("neo4j_code".into(), Value::from(code.as_str()));
        }
        map.insert("message".into(), Value::from(self.message.as_str()));
        map.insert("gql_status".into(), Value::from(self.gql_status.as_str()));
        map.insert("description".into(), Value::from(self.description.as_str()));
        map.insert(
            "diagnostic_record".into(),
            Value::Map(self.diagnostic_record.clone()),
        );
        if let Some(cause) = &self.cause {
            map.insert("cause".into(), Value::Map(cause.to_metadata(version)));
        }
        map
    }

    /// The Neo4j code, such as `Neo.ClientError.Statement.SyntaxError`
    /// (`Neo.DatabaseError.General.UnknownError` when the server sent none).
    pub fn code(&self) -> &str {
        self.code.as_deref().unwrap_or(UNKNOWN_CODE)
    }

    /// The server's message (from Bolt 6 not stable: match on codes).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The GQL status, such as `42001`.
    pub fn gql_status(&self) -> &str {
        &self.gql_status
    }

    /// The GQL status description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The classification: from the code, or from the GQL
    /// `_classification` when the code does not say.
    pub fn classification(&self) -> Classification {
        self.classification
    }

    /// The GQL diagnostic record, with the standard defaults filled in.
    pub fn diagnostic_record(&self) -> &Map {
        &self.diagnostic_record
    }

    /// The error that caused this one, if the server reported it.
    pub fn cause(&self) -> Option<&ServerError> {
        self.cause.as_deref()
    }

    /// The category part of the code (`Statement` in
    /// `Neo.ClientError.Statement.SyntaxError`), or `""`.
    pub fn category(&self) -> &str {
        self.code().split('.').nth(2).unwrap_or_default()
    }

    /// The title part of the code (`SyntaxError` in
    /// `Neo.ClientError.Statement.SyntaxError`), or `""`.
    pub fn title(&self) -> &str {
        self.code().split('.').nth(3).unwrap_or_default()
    }

    /// Whether this is a security error (`Neo.ClientError.Security.*`).
    pub fn is_security(&self) -> bool {
        self.code().starts_with("Neo.ClientError.Security.")
    }

    /// Whether a managed transaction should retry after this error: every
    /// transient error except `Transaction.Terminated` and
    /// `Transaction.LockClientStopped`, plus `Cluster.NotALeader`,
    /// `General.ForbiddenOnReadOnlyDatabase` and
    /// `Security.AuthorizationExpired`.
    ///
    /// `Security.TokenExpired` is retryable only if an auth manager renewed
    /// the token; that is the driver's call, so it is `false` here.
    pub fn is_retryable(&self) -> bool {
        match self.code() {
            "Neo.TransientError.Transaction.Terminated"
            | "Neo.TransientError.Transaction.LockClientStopped" => false,
            "Neo.ClientError.Cluster.NotALeader"
            | "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase"
            | "Neo.ClientError.Security.AuthorizationExpired" => true,
            _ => self.classification == Classification::TransientError,
        }
    }

    /// Whether routing discovery must stop and report this error instead of
    /// trying the next router.
    pub fn is_fatal_during_discovery(&self) -> bool {
        match self.code() {
            "Neo.ClientError.Database.DatabaseNotFound"
            | "Neo.ClientError.Transaction.InvalidBookmark"
            | "Neo.ClientError.Transaction.InvalidBookmarkMixture"
            | "Neo.ClientError.Statement.TypeError"
            | "Neo.ClientError.Statement.ArgumentError"
            | "Neo.ClientError.Request.Invalid" => true,
            "Neo.ClientError.Security.AuthorizationExpired" => false,
            _ => self.is_security(),
        }
    }
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message)
    }
}

impl std::error::Error for ServerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_deref()
            .map(|cause| cause as &(dyn std::error::Error + 'static))
    }
}
