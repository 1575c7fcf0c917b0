//! Queries: Cypher text, parameters, and per-query transaction settings.

use std::borrow::Cow;
use std::time::Duration;

use neo_bolt::Value;
use neo_bolt::packstream::{self, Dialect, Map, Packer, Unpacker};
use serde::Serialize;

use crate::error::{Error, ErrorKind};

/// A Cypher query with its parameters.
///
/// Values always travel as parameters, never inside the query text. Any
/// `T: Serialize` is a parameter value (structs become maps, sequences
/// lists), encoded once, when it is added.
///
/// ```
/// use std::time::Duration;
/// use neo_runtime::Query;
///
/// #[derive(serde::Serialize)]
/// struct Person<'a> { name: &'a str, born: i32 }
///
/// let query = Query::new("CREATE (a:Person $props) SET a.tags = $tags")
///     .param("props", Person { name: "Alice", born: 1990 })
///     .param("tags", ["a", "b"])
///     .with_timeout(Duration::from_secs(1));
/// let parameters = query.parameters()?;
/// assert_eq!(parameters["props"].as_map().unwrap()["name"].as_str(), Some("Alice"));
/// assert_eq!(parameters["tags"].as_list().map(|t| t.len()), Some(2));
/// # Ok::<(), neo_runtime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    text: String,
    /// The encoded entries (key, value, key, value, …) of the parameter map.
    entries: Vec<u8>,
    entry_count: usize,
    /// The first parameter that could not be encoded.
    invalid: Option<String>,
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

    /// Adds the parameter `$name` (a later value for the same name wins).
    pub fn param(mut self, name: &str, value: impl Serialize) -> Self {
        let rollback = self.entries.len();
        let mut packer = Packer::new(&mut self.entries, Dialect::LATEST);
        let written = packer
            .write_str(name)
            .and_then(|()| packstream::serialize_into(&value, &mut packer));
        match written {
            Ok(()) => self.entry_count += 1,
            Err(error) => {
                self.entries.truncate(rollback);
                self.invalid
                    .get_or_insert_with(|| format!("parameter `{name}` cannot be sent: {error}"));
            }
        }
        self
    }

    /// Adds every entry of a map or struct as a parameter: a `Map`, a
    /// `HashMap<String, T>`, or any struct that serializes as a map.
    pub fn params(mut self, parameters: impl Serialize) -> Self {
        let encoded = packstream::to_bytes(&parameters, Dialect::LATEST).and_then(|bytes| {
            let mut unpacker = Unpacker::new(&bytes, Dialect::LATEST);
            let count = unpacker.read_map_header()?;
            let start = unpacker.position();
            Ok((count, bytes[start..].to_vec()))
        });
        match encoded {
            Ok((count, entries)) => {
                self.entries.extend_from_slice(&entries);
                self.entry_count += count;
            }
            Err(error) => {
                self.invalid.get_or_insert_with(|| {
                    format!("the parameters must serialize as a map: {error}")
                });
            }
        }
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

    /// The parameters, decoded.
    pub fn parameters(&self) -> Result<Map, Error> {
        let bytes = self.encoded_parameters(Dialect::LATEST)?;
        match packstream::from_slice(&bytes, Dialect::LATEST) {
            Ok(Value::Map(map)) => Ok(map),
            Ok(_) => Ok(Map::new()),
            Err(error) => Err(Error::new(ErrorKind::Mapping, "parameters").with_source(error)),
        }
    }

    /// The parameter map as PackStream bytes for a connection's dialect.
    pub(crate) fn encoded_parameters(&self, dialect: Dialect) -> Result<Cow<'static, [u8]>, Error> {
        if let Some(invalid) = &self.invalid {
            return Err(Error::new(ErrorKind::Mapping, invalid.clone()));
        }
        if self.entry_count == 0 {
            // The empty map, in every dialect.
            return Ok(Cow::Borrowed(&[0xA0]));
        }
        let mut bytes = Vec::with_capacity(self.entries.len() + 5);
        Packer::new(&mut bytes, dialect)
            .write_map_header(self.entry_count)
            .map_err(|e| Error::new(ErrorKind::Mapping, "too many parameters").with_source(e))?;
        bytes.extend_from_slice(&self.entries);
        if dialect == Dialect::LATEST {
            return Ok(Cow::Owned(bytes));
        }
        // Date-times are shaped by the dialect: re-encode for older servers.
        let value = packstream::from_slice(&bytes, Dialect::LATEST)
            .map_err(|e| Error::new(ErrorKind::Mapping, "parameters").with_source(e))?;
        packstream::to_vec(&value, dialect)
            .map(Cow::Owned)
            .map_err(|e| {
                Error::new(
                    ErrorKind::Mapping,
                    "a parameter cannot be sent in this server's protocol version",
                )
                .with_source(e)
            })
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
