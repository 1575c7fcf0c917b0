//! Failures reported by the server, as data: the Neo4j code, the GQL status
//! and the chain of causes. The codes themselves, and what the drivers make
//! of them (retries, routing discovery, the kind of failure), are in
//! [`StatusCode`].

mod codes;

use std::fmt;

pub use codes::{Classification, FailureKind, StatusCode};

use crate::BoltVersion;
use crate::message::fill_diagnostic_defaults;
use crate::packstream::{Map, Value};

/// The code used when a FAILURE carries none
/// ([`StatusCode::UNKNOWN_ERROR`]).
pub const UNKNOWN_CODE: &str = StatusCode::UNKNOWN_ERROR.code();
/// The GQL status used when a FAILURE carries none.
pub const UNKNOWN_GQL_STATUS: &str = "50N42";
const UNKNOWN_DESCRIPTION: &str = "error: general processing exception - unexpected error";

/// A failure reported by the server.
///
/// Built from FAILURE metadata in either shape (Bolt ≤ 5.6 `{code, message}`
/// or the GQL shape of Bolt 5.7+), or on the server side with
/// [`ServerError::new`].
///
/// ```
/// use neo_bolt::server_error::{Classification, ServerError, StatusCode};
///
/// let err = ServerError::new(StatusCode::DEADLOCK_DETECTED, "deadlock");
/// assert_eq!(err.code(), StatusCode::DEADLOCK_DETECTED);
/// assert_eq!(err.classification(), Classification::TransientError);
/// assert!(err.is_retryable());
/// assert_eq!(err.category(), "Transaction");
/// assert_eq!(err.to_string(), format!("{}: deadlock", StatusCode::DEADLOCK_DETECTED));
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

/// A plausible GQL status and description for a Neo4j code, for servers
/// that must produce the GQL shape. This is a small table of the common
/// conditions, not the full catalogue; anything else is `50N42`.
fn gql_for_code(code: &str) -> (&'static str, &'static str) {
    match StatusCode::from_code(code) {
        Some(StatusCode::SYNTAX_ERROR) => (
            "42001",
            "error: syntax error or access rule violation - invalid syntax",
        ),
        Some(StatusCode::DATABASE_NOT_FOUND) => (
            "22N51",
            "error: data exception - database or alias does not exist",
        ),
        Some(
            StatusCode::TYPE_ERROR
            | StatusCode::ARGUMENT_ERROR
            | StatusCode::CONSTRAINT_VALIDATION_FAILED,
        ) => ("22000", "error: data exception"),
        _ => match (Classification::from_code(code), codes::part(code, 2)) {
            (Classification::ClientError, "Statement" | "Security") => {
                ("42000", "error: syntax error or access rule violation")
            }
            (Classification::ClientError, "Transaction") => {
                ("25N01", "error: invalid transaction state")
            }
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
    ///
    /// ```
    /// use neo_bolt::server_error::{ServerError, StatusCode};
    ///
    /// let err = ServerError::new(StatusCode::SYNTAX_ERROR, "Invalid input 'RETRUN'");
    /// assert_eq!(err.gql_status(), "42001");
    /// ```
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
        let code = given_code.map(|code| {
            codes::current_code(code)
                .map_or(code, |current| current.code())
                .to_owned()
        });
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

    /// The constant for the code, if it is one of those
    /// [`StatusCode`] names.
    ///
    /// ```
    /// use neo_bolt::server_error::{ServerError, StatusCode};
    ///
    /// let err = ServerError::new(StatusCode::NOT_A_LEADER, "m");
    /// assert_eq!(err.status_code(), Some(StatusCode::NOT_A_LEADER));
    /// assert_eq!(ServerError::new("Acme.ClientError.Made.Up", "m").status_code(), None);
    /// ```
    pub fn status_code(&self) -> Option<StatusCode> {
        StatusCode::from_code(self.code())
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
        codes::part(self.code(), 2)
    }

    /// The title part of the code (`SyntaxError` in
    /// `Neo.ClientError.Statement.SyntaxError`), or `""`.
    pub fn title(&self) -> &str {
        codes::part(self.code(), 3)
    }

    /// Whether this is a security error (`Neo.ClientError.Security.*`).
    pub fn is_security(&self) -> bool {
        codes::is_security(self.code())
    }

    /// Whether a managed transaction should retry after this error: every
    /// transient error except Neo4j 4.4's `Transaction.Terminated` and
    /// `Transaction.LockClientStopped`, plus `Cluster.NotALeader`,
    /// `General.ForbiddenOnReadOnlyDatabase` and
    /// `Security.AuthorizationExpired`. Without a code, the GQL
    /// `_classification` decides.
    ///
    /// `Security.TokenExpired` is retryable only if an auth manager renewed
    /// the token; that is the driver's call, so it is `false` here.
    ///
    /// ```
    /// use neo_bolt::server_error::{ServerError, StatusCode};
    ///
    /// assert!(ServerError::new(StatusCode::NOT_A_LEADER, "m").is_retryable());
    /// assert!(!ServerError::new(StatusCode::TOKEN_EXPIRED, "m").is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        codes::is_retryable(self.code(), self.classification)
    }

    /// Whether routing discovery must stop and report this error instead of
    /// trying the next router: security errors other than
    /// `AuthorizationExpired`, an unknown database, invalid bookmarks,
    /// `Statement.TypeError`, `Statement.ArgumentError` and
    /// `Request.Invalid`.
    ///
    /// ```
    /// use neo_bolt::server_error::{ServerError, StatusCode};
    ///
    /// assert!(ServerError::new(StatusCode::DATABASE_NOT_FOUND, "m").is_fatal_during_discovery());
    /// assert!(!ServerError::new(StatusCode::AUTHORIZATION_EXPIRED, "m").is_fatal_during_discovery());
    /// ```
    pub fn is_fatal_during_discovery(&self) -> bool {
        codes::is_fatal_during_discovery(self.code())
    }

    /// The kind of failure this is, as the official drivers type it.
    ///
    /// ```
    /// use neo_bolt::server_error::{FailureKind, ServerError, StatusCode};
    ///
    /// let err = ServerError::new(StatusCode::FORBIDDEN_ON_READ_ONLY_DATABASE, "m");
    /// assert_eq!(err.kind(), FailureKind::WriteRefused);
    /// ```
    pub fn kind(&self) -> FailureKind {
        codes::kind(self.code(), self.classification)
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
