//! Queries: Cypher text and parameters; the settings of an auto-commit
//! query's transaction; the settings of a transaction.

use std::borrow::Cow;
use std::time::Duration;

use neo_bolt::Value;
use neo_bolt::message::Parameters;
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
/// use neo_runtime::Query;
///
/// #[derive(serde::Serialize)]
/// struct Person<'a> { name: &'a str, born: i32 }
///
/// let query = Query::new("CREATE (a:Person $props) SET a.tags = $tags")
///     .param("props", Person { name: "Alice", born: 1990 })
///     .param("tags", ["a", "b"]);
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
    /// A parameter holds a vector, which only Bolt 6 servers take.
    vectors: bool,
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
        self.vectors |= packer.wrote_vectors();
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
        let mut bytes = Vec::new();
        let mut packer = Packer::new(&mut bytes, Dialect::LATEST);
        let serialized = packstream::serialize_into(&parameters, &mut packer);
        self.vectors |= packer.wrote_vectors();
        let encoded = serialized.and_then(|()| {
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

    /// An auto-commit query whose transaction the server terminates after
    /// `timeout` (see [`AutoCommitQuery`]). Queries in explicit
    /// transactions and transaction functions take the timeout of their
    /// transaction instead ([`TransactionConfig`], or
    /// `#[unit_of_work(timeout = …)]`): such a query does not compile
    /// there.
    pub fn with_timeout(self, timeout: impl IntoTimeout) -> AutoCommitQuery {
        AutoCommitQuery::from(self).with_timeout(timeout)
    }

    /// An auto-commit query with metadata on its transaction (visible to
    /// administrators in `SHOW TRANSACTIONS`); see
    /// [`with_timeout`](Query::with_timeout).
    pub fn with_metadata(self, key: impl Into<String>, value: impl Into<Value>) -> AutoCommitQuery {
        AutoCommitQuery::from(self).with_metadata(key, value)
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

    /// The parameter map of a RUN for a connection's dialect: the entries
    /// as they were encoded, with no copy, unless the dialect shapes values
    /// differently. A vector for a server before Bolt 6 is an
    /// [`ErrorKind::UnsupportedFeature`] error: nothing is sent.
    pub(crate) fn run_parameters(&self, dialect: Dialect) -> Result<Parameters<'_>, Error> {
        self.check_sendable(dialect)?;
        if dialect.same_shapes(Dialect::LATEST) {
            return Ok(Parameters::entries(self.entry_count, &self.entries));
        }
        self.encoded_parameters(dialect).map(Parameters::Encoded)
    }

    /// Whether every parameter was encoded and the dialect can carry them.
    fn check_sendable(&self, dialect: Dialect) -> Result<(), Error> {
        if let Some(invalid) = &self.invalid {
            return Err(Error::new(ErrorKind::Mapping, invalid.clone()));
        }
        if self.vectors && !dialect.vector_types {
            return Err(Error::new(
                ErrorKind::UnsupportedFeature,
                "a parameter holds a vector, which needs Bolt 6.0 or later; \
                 the server speaks an older version",
            ));
        }
        Ok(())
    }

    /// The parameter map as PackStream bytes for a connection's dialect.
    /// A vector for a server before Bolt 6 is an
    /// [`ErrorKind::UnsupportedFeature`] error: nothing is sent.
    pub(crate) fn encoded_parameters(&self, dialect: Dialect) -> Result<Cow<'static, [u8]>, Error> {
        self.check_sendable(dialect)?;
        if self.entry_count == 0 {
            // The empty map, in every dialect.
            return Ok(Cow::Borrowed(&[0xA0]));
        }
        let mut bytes = Vec::with_capacity(self.entries.len() + 5);
        Packer::new(&mut bytes, dialect)
            .write_map_header(self.entry_count)
            .map_err(|e| Error::new(ErrorKind::Mapping, "too many parameters").with_source(e))?;
        bytes.extend_from_slice(&self.entries);
        if dialect.same_shapes(Dialect::LATEST) {
            return Ok(Cow::Owned(bytes));
        }
        // Date-times are shaped by the dialect: re-encode for older servers.
        let value = packstream::from_slice(&bytes, Dialect::LATEST)
            .map_err(|e| Error::new(ErrorKind::Mapping, "parameters").with_source(e))?;
        // With zone rules, a zoned date-time goes to a server without the
        // `utc` patch in its wall-clock form.
        #[cfg(feature = "chrono-tz")]
        let value = if dialect.utc_datetime {
            value
        } else {
            crate::chrono_tz_support::to_wall_clock_zone_ids(value)?
        };
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

impl From<&String> for Query {
    fn from(text: &String) -> Self {
        Query::new(text.as_str())
    }
}

/// A transaction timeout: a [`Duration`], whose unit is explicit. A bare
/// number does not compile, and the error says to write
/// `Duration::from_secs(…)`; `#[unit_of_work(timeout = 5)]` counts seconds
/// and takes a `Duration` as well.
///
/// ```
/// use std::time::Duration;
/// use neo_runtime::TransactionConfig;
///
/// let config = TransactionConfig::default().with_timeout(Duration::from_millis(1500));
/// assert_eq!(config.timeout(), Some(Duration::from_millis(1500)));
/// ```
#[diagnostic::on_unimplemented(
    message = "a timeout is a `std::time::Duration`, not `{Self}`",
    label = "write `Duration::from_secs(…)` or `Duration::from_millis(…)`",
    note = "`#[unit_of_work(timeout = 5)]` counts seconds; in code the unit is written out: `Duration::from_secs(5)`"
)]
pub trait IntoTimeout {
    /// The timeout.
    fn into_timeout(self) -> Duration;
}

impl IntoTimeout for Duration {
    fn into_timeout(self) -> Duration {
        self
    }
}

/// What a query inside a transaction can be: a [`Query`], a `&str` or a
/// `String`. A query's timeout and metadata belong to its transaction, so an
/// [`AutoCommitQuery`] is not one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot run inside a transaction",
    label = "expected a `Query`, a `&str` or a `String`",
    note = "inside a transaction, timeout and metadata are the transaction's: set them with `TransactionConfig` (`begin_transaction`, `execute`) or `#[unit_of_work(timeout = …, metadata(…))]`, and run a plain `Query`"
)]
pub trait IntoQuery {
    /// The query.
    fn into_query(self) -> Query;
}

impl IntoQuery for Query {
    fn into_query(self) -> Query {
        self
    }
}

impl IntoQuery for &str {
    fn into_query(self) -> Query {
        Query::new(self)
    }
}

impl IntoQuery for String {
    fn into_query(self) -> Query {
        Query::new(self)
    }
}

impl IntoQuery for &String {
    fn into_query(self) -> Query {
        Query::new(self.as_str())
    }
}

/// A query run in a transaction of its own with
/// [`Session::run`](crate::Session::run), with the settings of that
/// transaction: a timeout and metadata.
///
/// ```
/// use std::time::Duration;
/// use neo_runtime::Query;
///
/// let query = Query::new("MATCH (p:Person) RETURN p.name")
///     .with_timeout(Duration::from_secs(1))
///     .with_metadata("app", "hr");
/// assert_eq!(query.config().timeout(), Some(Duration::from_secs(1)));
/// assert_eq!(query.query().text(), "MATCH (p:Person) RETURN p.name");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AutoCommitQuery {
    query: Query,
    config: TransactionConfig,
}

impl AutoCommitQuery {
    /// Adds the parameter `$name` (see [`Query::param`]).
    pub fn param(mut self, name: &str, value: impl Serialize) -> Self {
        self.query = self.query.param(name, value);
        self
    }

    /// Adds every entry of a map or struct as a parameter (see
    /// [`Query::params`]).
    pub fn params(mut self, parameters: impl Serialize) -> Self {
        self.query = self.query.params(parameters);
        self
    }

    /// The server terminates the transaction after this long.
    pub fn with_timeout(mut self, timeout: impl IntoTimeout) -> Self {
        self.config = self.config.with_timeout(timeout);
        self
    }

    /// Attaches a metadata entry to the transaction.
    pub fn with_metadata(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.config = self.config.with_metadata(key, value);
        self
    }

    /// The query.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// The settings of its transaction.
    pub fn config(&self) -> &TransactionConfig {
        &self.config
    }
}

impl From<Query> for AutoCommitQuery {
    fn from(query: Query) -> Self {
        AutoCommitQuery {
            query,
            config: TransactionConfig::default(),
        }
    }
}

impl From<&str> for AutoCommitQuery {
    fn from(text: &str) -> Self {
        Query::new(text).into()
    }
}

impl From<String> for AutoCommitQuery {
    fn from(text: String) -> Self {
        Query::new(text).into()
    }
}

impl From<&String> for AutoCommitQuery {
    fn from(text: &String) -> Self {
        Query::new(text.as_str()).into()
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
    pub fn with_timeout(mut self, timeout: impl IntoTimeout) -> Self {
        self.timeout = Some(timeout.into_timeout());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_parameters_borrow_the_encoded_entries_unless_the_dialect_reshapes_them() {
        let query = Query::new("RETURN $x, $y").param("x", 1).param("y", "a");
        match query.run_parameters(Dialect::LATEST).unwrap() {
            Parameters::Entries {
                count: 2,
                bytes: Cow::Borrowed(bytes),
            } => assert!(std::ptr::eq(bytes, query.entries.as_slice())),
            other => panic!("{other:?}"),
        }
        // Bolt 4.4 shapes date-times differently: the map is encoded anew,
        // and both forms decode to the same parameters.
        let old = query.run_parameters(Dialect::V4_4).unwrap();
        let Parameters::Encoded(bytes) = old else {
            panic!("{old:?}")
        };
        assert_eq!(
            packstream::from_slice(&bytes, Dialect::V4_4).unwrap(),
            Value::Map(query.parameters().unwrap())
        );
    }

    #[test]
    fn a_parameter_that_cannot_be_encoded_is_an_error_in_every_form() {
        let query = Query::new("RETURN $x")
            .param("x", f32::NAN)
            .param("y", u64::MAX);
        for dialect in [Dialect::LATEST, Dialect::V4_4] {
            let error = query.run_parameters(dialect).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Mapping, "{error}");
            assert!(error.to_string().contains("`y`"), "{error}");
        }
    }
}
