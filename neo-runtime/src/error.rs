//! The driver's one error type.

use std::error::Error as StdError;
use std::fmt;

type BoxError = Box<dyn StdError + Send + Sync>;

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
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
    /// The API was used in a way it does not allow (for example, a result
    /// read after its transaction ended).
    Usage,
}

struct ErrorInner {
    kind: ErrorKind,
    message: String,
    source: Option<BoxError>,
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
            source: None,
        }))
    }

    #[allow(dead_code)] // used by the connection layer
    pub(crate) fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.0.source = Some(source.into());
        self
    }

    pub(crate) fn invalid_uri(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidConfiguration, message)
    }

    pub(crate) fn invalid_config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidConfiguration, message)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// Whether the configuration was invalid.
    pub fn is_invalid_configuration(&self) -> bool {
        self.0.kind == ErrorKind::InvalidConfiguration
    }

    /// Whether a managed transaction retries after this error: connection
    /// failures do; configuration, usage and commit-outcome-unknown errors
    /// never do.
    pub fn is_retryable(&self) -> bool {
        matches!(self.0.kind, ErrorKind::ServiceUnavailable)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("message", &self.0.message)
            .field("source", &self.0.source)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)?;
        if let Some(source) = &self.0.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}
