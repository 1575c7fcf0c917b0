//! Queries: Cypher text, parameters, and per-query transaction settings.

use std::time::Duration;

use neo_bolt::Value;
use neo_bolt::packstream::Map;

/// A Cypher query with its parameters.
///
/// Values always travel as parameters, never inside the query text.
///
/// ```
/// use std::time::Duration;
/// use neo_runtime::Query;
///
/// let query = Query::new("CREATE (a:Person {name: $name})")
///     .param("name", "Alice")
///     .with_timeout(Duration::from_secs(1));
/// assert_eq!(query.text(), "CREATE (a:Person {name: $name})");
/// assert_eq!(query.parameters()["name"].as_str(), Some("Alice"));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    text: String,
    parameters: Map,
    timeout: Option<Duration>,
    metadata: Map,
}

impl Query {
    /// A query with no parameters.
    pub fn new(text: impl Into<String>) -> Self {
        Query {
            text: text.into(),
            ..Query::default()
        }
    }

    /// Adds (or replaces) the parameter `$name`.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.parameters.insert(name.into(), value.into());
        self
    }

    /// Adds every entry of `parameters`.
    pub fn params(mut self, parameters: Map) -> Self {
        self.parameters.extend(parameters);
        self
    }

    /// Limits how long the query's transaction may run, for auto-commit
    /// queries; the server terminates it after that. Transaction functions
    /// and explicit transactions take their timeout from
    /// [`TransactionConfig`](crate::TransactionConfig).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Attaches metadata to an auto-commit query's transaction (visible to
    /// administrators in `SHOW TRANSACTIONS`).
    pub fn with_metadata(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }

    /// The Cypher text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The parameters.
    pub fn parameters(&self) -> &Map {
        &self.parameters
    }

    /// The auto-commit timeout, if set.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The auto-commit metadata.
    pub fn metadata(&self) -> &Map {
        &self.metadata
    }
}

impl From<&str> for Query {
    fn from(text: &str) -> Self {
        Query::new(text)
    }
}

impl From<String> for Query {
    fn from(text: String) -> Self {
        Query::new(text)
    }
}

/// Settings of one transaction: a timeout and metadata.
///
/// ```
/// use std::time::Duration;
/// use neo_runtime::TransactionConfig;
///
/// let config = TransactionConfig::default()
///     .with_timeout(Duration::from_secs(5))
///     .with_metadata("app", "hr");
/// assert_eq!(config.timeout(), Some(Duration::from_secs(5)));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TransactionConfig {
    timeout: Option<Duration>,
    metadata: Map,
}

impl TransactionConfig {
    /// The server terminates the transaction after this long (zero: never;
    /// unset: the server's default).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Attaches a metadata entry to the transaction.
    pub fn with_metadata(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }

    /// The timeout, if set.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The metadata.
    pub fn metadata(&self) -> &Map {
        &self.metadata
    }
}
