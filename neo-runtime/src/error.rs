//! The driver's one error type, and server failures as data: the status
//! code, its classification, and what the driver does about it.
//!
//! ```
//! use neo_runtime::error::{Classification, ServerError, StatusCode};
//!
//! let failure = ServerError::new(StatusCode::DEADLOCK_DETECTED, "deadlock");
//! assert_eq!(failure.classification(), Classification::TransientError);
//! assert!(failure.is_retryable());
//! ```

use std::error::Error as StdError;
use std::fmt;

pub use neo_bolt::server_error::{Classification, FailureKind, ServerError, StatusCode};

type BoxError = Box<dyn StdError + Send + Sync>;

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The server answered with a failure; see [`Error::server_error`].
    Server,
    /// The configuration (URI, option, auth token) is invalid.
    InvalidConfiguration,
    /// No connection to the server could be made or kept.
    ServiceUnavailable,
    /// The server broke the Bolt protocol or sent bytes that do not decode.
    Protocol,
    /// No pooled connection became free within the acquisition timeout.
    ConnectionAcquisitionTimeout,
    /// The connection was lost while a COMMIT was in flight: the transaction
    /// may or may not have been applied. Never retried automatically.
    CommitOutcomeUnknown,
    /// A value did not fit the Rust type it was decoded into (the message
    /// names the column and the types).
    Mapping,
    /// The API was used in a way it does not allow.
    Usage,
    /// The application's own failure, returned by the work of a transaction
    /// function (see [`Error::application`]): the transaction is rolled back
    /// and the work is not retried.
    Application,
    /// A result was read after its records were discarded: its session
    /// closed, or moved to another unit of work with the result unread
    /// and unbuffered. Read a result before closing its session, or
    /// [`collect`](crate::RecordStream::collect) it.
    ResultConsumed,
    /// A result expected to hold exactly one record (or at most one) held
    /// none, or several:
    /// [`RecordStream::single`](crate::RecordStream::single),
    /// [`single_optional`](crate::RecordStream::single_optional).
    ResultNotSingle,
    /// The server's protocol version lacks a feature the call or the
    /// configuration needs (user switching before Bolt 5.1, notification
    /// filters before Bolt 5.2, vectors before Bolt 6.0, ...).
    UnsupportedFeature,
}

struct ErrorInner {
    kind: ErrorKind,
    message: String,
    server: Option<ServerError>,
    source: Option<BoxError>,
    attempts: Vec<Error>,
    /// An auth manager handled this security failure: a retry uses a new
    /// token.
    auth_renewed: bool,
}

/// An error from the driver.
///
/// It is one pointer wide; [`kind`](Error::kind) says what happened and
/// [`is_retryable`](Error::is_retryable) whether a managed transaction would
/// try again.
///
/// ```
/// use neo_runtime::ErrorKind;
///
/// let err = "ftp://x".parse::<neo_runtime::uri::ConnectionUri>().unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidConfiguration);
/// assert!(!err.is_retryable());
/// ```
pub struct Error(Box<ErrorInner>);

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(ErrorInner {
            kind,
            message: message.into(),
            server: None,
            source: None,
            attempts: Vec::new(),
            auth_renewed: false,
        }))
    }

    /// A [`ErrorKind::Mapping`] error.
    pub(crate) fn mapping(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Mapping, message)
    }

    pub(crate) fn server(error: ServerError) -> Self {
        let mut err = Error::new(ErrorKind::Server, String::new());
        err.0.server = Some(error);
        err
    }

    /// Records the errors of earlier attempts that a retry loop gave up on.
    pub(crate) fn with_attempts(mut self, attempts: Vec<Error>) -> Self {
        self.0.attempts = attempts;
        self
    }

    pub(crate) fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.0.source = Some(source.into());
        self
    }

    /// A copy for a second reader of the same failure (a source that is not
    /// `Clone` is kept as its text).
    pub(crate) fn duplicate(&self) -> Self {
        Error(Box::new(ErrorInner {
            kind: self.0.kind,
            message: match &self.0.source {
                Some(source) if !self.0.message.is_empty() => {
                    format!("{}: {source}", self.0.message)
                }
                _ => self.0.message.clone(),
            },
            server: self.0.server.clone(),
            source: None,
            attempts: Vec::new(),
            auth_renewed: self.0.auth_renewed,
        }))
    }

    /// Marks a security failure as handled by the auth manager, which makes
    /// it retryable.
    pub(crate) fn with_auth_renewed(mut self) -> Self {
        self.0.auth_renewed = true;
        self
    }

    pub(crate) fn invalid_uri(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidConfiguration, message)
    }

    pub(crate) fn invalid_config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidConfiguration, message)
    }

    /// Wraps an error of the application's own, so that the work of a
    /// transaction function can return it: the transaction rolls back, the
    /// work is not retried, and the error comes back from `execute_write`
    /// (and friends) with `source()` giving the original.
    ///
    /// ```
    /// use neo_runtime::{Error, ErrorKind};
    ///
    /// let error = Error::application(std::io::Error::other("the stock ran out"));
    /// assert_eq!(error.kind(), ErrorKind::Application);
    /// assert!(!error.is_retryable());
    /// assert_eq!(error.to_string(), "the stock ran out");
    /// ```
    pub fn application(source: impl Into<BoxError>) -> Self {
        Error::new(ErrorKind::Application, String::new()).with_source(source)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// Whether the configuration was invalid.
    pub fn is_invalid_configuration(&self) -> bool {
        self.0.kind == ErrorKind::InvalidConfiguration
    }

    /// The server's failure, for [`ErrorKind::Server`] errors.
    pub fn server_error(&self) -> Option<&ServerError> {
        self.0.server.as_ref()
    }

    /// The Neo4j status code of a server failure, such as
    /// `Neo.ClientError.Statement.SyntaxError`.
    pub fn code(&self) -> Option<&str> {
        self.0.server.as_ref().map(ServerError::code)
    }

    /// The GQL status of a server failure, such as `42001` (syntax error);
    /// from Bolt 5.7 as the server sent it, before as the official drivers
    /// derive it (`50N42` when unknown).
    ///
    /// ```
    /// use neo_runtime::Error;
    ///
    /// fn explain(error: &Error) {
    ///     if let (Some(status), Some(description)) = (error.gql_status(), error.gql_status_description()) {
    ///         println!("{status}: {description}");
    ///     }
    ///     let mut cause = error.gql_cause();
    ///     while let Some(failure) = cause {
    ///         println!("  caused by {}: {}", failure.gql_status(), failure.message());
    ///         cause = failure.cause();
    ///     }
    /// }
    /// ```
    pub fn gql_status(&self) -> Option<&str> {
        self.0.server.as_ref().map(ServerError::gql_status)
    }

    /// The description of the GQL status of a server failure.
    pub fn gql_status_description(&self) -> Option<&str> {
        self.0.server.as_ref().map(ServerError::description)
    }

    /// The GQL diagnostic record of a server failure (`OPERATION`,
    /// `CURRENT_SCHEMA`, `_classification`, `_position`, ...), with the
    /// standard defaults filled in.
    pub fn diagnostic_record(&self) -> Option<&neo_bolt::packstream::Map> {
        self.0.server.as_ref().map(ServerError::diagnostic_record)
    }

    /// The classification of a server failure (client, transient or
    /// database error).
    pub fn classification(&self) -> Option<Classification> {
        self.0.server.as_ref().map(ServerError::classification)
    }

    /// The failure that caused a server failure, as the server reported it
    /// (Bolt 5.7+); each cause may have its own.
    pub fn gql_cause(&self) -> Option<&ServerError> {
        self.0.server.as_ref().and_then(ServerError::cause)
    }

    /// The errors of the earlier attempts of a managed transaction that ran
    /// out of retries, oldest first (this error is the last attempt's).
    pub fn attempts(&self) -> &[Error] {
        &self.0.attempts
    }

    /// Whether a managed transaction retries after this error: transient
    /// server failures (and the cluster and authorization-expiry codes that
    /// count as such), security failures an
    /// [auth manager](crate::auth::AuthManager) handled (it has a new token)
    /// and lost connections do; configuration, usage and
    /// commit-outcome-unknown errors never do.
    pub fn is_retryable(&self) -> bool {
        match self.0.kind {
            ErrorKind::Server => {
                self.0.auth_renewed
                    || self
                        .0
                        .server
                        .as_ref()
                        .is_some_and(ServerError::is_retryable)
            }
            ErrorKind::ServiceUnavailable => true,
            _ => false,
        }
    }
}

/// The error for record bytes that do not decode.
pub(crate) fn decode_error(error: neo_bolt::Error) -> Error {
    Error::new(ErrorKind::Protocol, "a record does not decode").with_source(error)
}

/// One line with what a reader needs: the kind, then the server's code,
/// GQL status, message and causes, or the message and its source; the
/// number of earlier attempts; whether it is retryable.
///
/// ```
/// use neo_runtime::Error;
///
/// let error = Error::application(std::io::Error::other("the stock ran out"));
/// assert_eq!(
///     format!("{error:?}"),
///     r#"Error { kind: Application, source: "the stock ran out" }"#
/// );
/// // A server failure:
/// // Error { kind: Server, code: "Neo.ClientError.Statement.SyntaxError",
/// //         gql_status: "42001", message: "Invalid input 'RETRUN' ..." }
/// ```
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Error");
        debug.field("kind", &self.0.kind);
        if let Some(server) = &self.0.server {
            debug
                .field("code", &server.code())
                .field("gql_status", &server.gql_status())
                .field("message", &server.message());
            let causes: Vec<String> =
                std::iter::successors(server.cause(), |cause| ServerError::cause(cause))
                    .map(|cause| format!("{}: {}", cause.gql_status(), cause.message()))
                    .collect();
            if !causes.is_empty() {
                debug.field("causes", &causes);
            }
        } else if !self.0.message.is_empty() {
            debug.field("message", &self.0.message);
        }
        if let Some(source) = &self.0.source {
            debug.field("source", &source.to_string());
        }
        if !self.0.attempts.is_empty() {
            debug.field("attempts", &self.0.attempts.len());
        }
        if self.is_retryable() {
            debug.field("retryable", &true);
        }
        debug.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(server) = &self.0.server {
            return fmt::Display::fmt(server, f);
        }
        match &self.0.source {
            Some(source) if self.0.message.is_empty() => write!(f, "{source}"),
            Some(source) => write!(f, "{}: {source}", self.0.message),
            None => f.write_str(&self.0.message),
        }
    }
}

impl StdError for Error {
    /// The underlying error, or for a server failure the failure that
    /// caused it.
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        if let Some(cause) = self.gql_cause() {
            return Some(cause as &(dyn StdError + 'static));
        }
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}
