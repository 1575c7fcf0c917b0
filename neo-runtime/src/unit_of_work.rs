//! The configuration of `#[unit_of_work]` functions, readable as a constant.

use std::time::Duration;

use neo_bolt::Value;

use crate::AccessMode;
use crate::error::Error;
use crate::query::TransactionConfig;
use crate::session::{Plan, Session, TransactionWork};
use crate::transaction::ManagedTransaction;

/// A literal metadata value of a unit of work.
///
/// ```
/// use neo_runtime::MetadataValue;
///
/// assert_eq!(neo_runtime::Value::from(MetadataValue::String("hr")).as_str(), Some("hr"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MetadataValue {
    /// A boolean.
    Boolean(bool),
    /// An integer.
    Integer(i64),
    /// A float.
    Float(f64),
    /// A string.
    String(&'static str),
}

impl From<MetadataValue> for Value {
    fn from(value: MetadataValue) -> Self {
        match value {
            MetadataValue::Boolean(b) => Value::Boolean(b),
            MetadataValue::Integer(i) => Value::Integer(i),
            MetadataValue::Float(f) => Value::Float(f),
            MetadataValue::String(s) => Value::String(s.to_owned()),
        }
    }
}

/// How a unit of work runs: its access mode, transaction timeout and
/// metadata, and optionally a database and a retry budget of its own.
///
/// `#[unit_of_work]` builds one for every function, as the constant
/// `<function name>::CONFIG`; every method is `const`.
///
/// ```
/// use std::time::Duration;
/// use neo_runtime::{AccessMode, MetadataValue, UnitOfWorkConfig};
///
/// const CONFIG: UnitOfWorkConfig = UnitOfWorkConfig::new(AccessMode::Write)
///     .with_timeout(Duration::from_secs(1))
///     .with_metadata(&[("app", MetadataValue::String("hr"))])
///     .with_database("neo4j")
///     .with_max_retry_time(Duration::from_secs(5));
/// assert_eq!(CONFIG.mode(), AccessMode::Write);
/// assert_eq!(CONFIG.timeout(), Some(Duration::from_secs(1)));
/// assert_eq!(CONFIG.database(), Some("neo4j"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitOfWorkConfig {
    mode: AccessMode,
    timeout: Option<Duration>,
    metadata: &'static [(&'static str, MetadataValue)],
    database: Option<&'static str>,
    max_retry_time: Option<Duration>,
}

impl UnitOfWorkConfig {
    /// A unit of work in `mode`, with the server's default timeout, no
    /// metadata, the session's database and the driver's retry budget.
    pub const fn new(mode: AccessMode) -> Self {
        UnitOfWorkConfig {
            mode,
            timeout: None,
            metadata: &[],
            database: None,
            max_retry_time: None,
        }
    }

    /// The server terminates each attempt's transaction after this long.
    pub const fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The transaction metadata.
    pub const fn with_metadata(
        mut self,
        metadata: &'static [(&'static str, MetadataValue)],
    ) -> Self {
        self.metadata = metadata;
        self
    }

    /// Runs against this database instead of the session's.
    pub const fn with_database(mut self, database: &'static str) -> Self {
        self.database = Some(database);
        self
    }

    /// Stops retrying once this much time has passed since the first
    /// failure, instead of the driver's budget.
    pub const fn with_max_retry_time(mut self, max_retry_time: Duration) -> Self {
        self.max_retry_time = Some(max_retry_time);
        self
    }

    /// The access mode.
    pub const fn mode(&self) -> AccessMode {
        self.mode
    }

    /// The transaction timeout, if set.
    pub const fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The transaction metadata.
    pub const fn metadata(&self) -> &'static [(&'static str, MetadataValue)] {
        self.metadata
    }

    /// The database, if it overrides the session's.
    pub const fn database(&self) -> Option<&'static str> {
        self.database
    }

    /// The retry budget, if it overrides the driver's.
    pub const fn max_retry_time(&self) -> Option<Duration> {
        self.max_retry_time
    }

    /// The [`TransactionConfig`] of each attempt.
    pub fn transaction_config(&self) -> TransactionConfig {
        let mut config = TransactionConfig::default();
        if let Some(timeout) = self.timeout {
            config = config.with_timeout(timeout);
        }
        for (key, value) in self.metadata {
            config = config.with_metadata(*key, *value);
        }
        config
    }

    /// Runs `work` in a managed transaction of this configuration, retried
    /// like [`Session::execute`].
    pub async fn run<T, F>(&self, session: &mut Session, work: F) -> Result<T, Error>
    where
        F: AsyncFnMut(&mut ManagedTransaction<'_>) -> Result<T, Error>,
    {
        self.run_work(session, crate::session::Closure(work)).await
    }

    /// Runs a [`TransactionWork`] in a managed transaction of this
    /// configuration (what `#[unit_of_work]` and `#[queries]` functions
    /// call).
    pub async fn run_work<W: TransactionWork>(
        &self,
        session: &mut Session,
        work: W,
    ) -> Result<W::Output, Error> {
        let config = self.transaction_config();
        let plan = Plan {
            database: self.database,
            max_retry_time: self.max_retry_time,
            ..Plan::new(self.mode, &config)
        };
        session.run_transaction_function(plan, work).await
    }
}
