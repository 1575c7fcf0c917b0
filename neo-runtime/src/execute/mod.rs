//! The driver-level query API: one call that runs a query in a managed,
//! retried transaction and hands back its result read to the end.

use std::fmt;
use std::sync::Arc;

use neo_bolt::Value;
use neo_bolt::message::{AccessMode, AuthToken, TelemetryApi};
use tracing::Instrument;

use crate::bookmarks::BookmarkManager;
use crate::driver::Driver;
use crate::error::Error;
use crate::query::{IntoQuery, IntoTimeout, Query, TransactionConfig};
use crate::result::{Record, ResultSummary};
use crate::session::{Plan, SessionConfig, TransactionWork};
use crate::transaction::ManagedTransaction;

pub mod transform;

use transform::{Eager, ResultTransformer};

/// Which bookmark manager a driver-level query uses.
#[derive(Clone, Default)]
enum BookmarkChoice {
    /// The driver's own, shared by every call that keeps the default.
    #[default]
    Driver,
    /// One the caller gives.
    Custom(Arc<dyn BookmarkManager>),
    /// None: the query is not chained to earlier calls.
    Off,
}

/// How [`Driver::execute_query`] runs a query: the routing (readers or
/// writers), the database, the user to impersonate, the credentials, the
/// bookmark manager and the transaction's timeout and metadata.
///
/// Every setting has the default of the official drivers: writers, the
/// user's home database, the driver's credentials, and the driver's own
/// bookmark manager, which chains consecutive calls causally (each sees the
/// writes of the calls before it).
///
/// ```
/// use std::time::Duration;
/// use neo_runtime::{AccessMode, QueryConfig};
///
/// let config = QueryConfig::default()
///     .with_routing(AccessMode::Read)
///     .with_database("neo4j")
///     .with_timeout(Duration::from_secs(5))
///     .with_metadata("app", "reports");
/// config.validate()?;
/// assert_eq!(config.routing(), AccessMode::Read);
/// assert_eq!(config.database(), Some("neo4j"));
/// # Ok::<(), neo_runtime::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct QueryConfig {
    routing: AccessMode,
    database: Option<String>,
    impersonated_user: Option<String>,
    auth: Option<AuthToken>,
    bookmarks: BookmarkChoice,
    transaction: TransactionConfig,
}

impl fmt::Debug for QueryConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bookmarks = match &self.bookmarks {
            BookmarkChoice::Driver => "driver",
            BookmarkChoice::Custom(_) => "custom",
            BookmarkChoice::Off => "off",
        };
        f.debug_struct("QueryConfig")
            .field("routing", &self.routing)
            .field("database", &self.database)
            .field("impersonated_user", &self.impersonated_user)
            .field("auth", &self.auth)
            .field("bookmark_manager", &bookmarks)
            .field("transaction", &self.transaction)
            .finish()
    }
}

impl QueryConfig {
    /// Runs the query on a reader or on a writer of the cluster (default:
    /// a writer). Without routing (`bolt://`) there is one server for both.
    pub fn with_routing(mut self, routing: AccessMode) -> Self {
        self.routing = routing;
        self
    }

    /// The database to use (default: the user's home database).
    pub fn with_database(mut self, database: impl Into<String>) -> Self {
        self.database = Some(database.into());
        self
    }

    /// Runs the query as this user (needs the server's impersonation
    /// privilege).
    pub fn with_impersonated_user(mut self, user: impl Into<String>) -> Self {
        self.impersonated_user = Some(user.into());
        self
    }

    /// Runs the query with these credentials instead of the driver's, on a
    /// pooled connection switched to them (see
    /// [`SessionConfig::with_auth`]).
    pub fn with_auth(mut self, auth: AuthToken) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Chains the query with `manager` instead of the driver's own
    /// bookmark manager.
    pub fn with_bookmark_manager(mut self, manager: Arc<dyn BookmarkManager>) -> Self {
        self.bookmarks = BookmarkChoice::Custom(manager);
        self
    }

    /// Runs the query without bookmarks: it does not wait for the writes of
    /// earlier calls, and later calls do not wait for its own.
    pub fn without_bookmark_manager(mut self) -> Self {
        self.bookmarks = BookmarkChoice::Off;
        self
    }

    /// The server terminates the transaction after this long.
    pub fn with_timeout(mut self, timeout: impl IntoTimeout) -> Self {
        self.transaction = self.transaction.with_timeout(timeout);
        self
    }

    /// Attaches a metadata entry to the transaction.
    pub fn with_metadata(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.transaction = self.transaction.with_metadata(key, value);
        self
    }

    /// The transaction's timeout and metadata, all at once.
    pub fn with_transaction_config(mut self, config: TransactionConfig) -> Self {
        self.transaction = config;
        self
    }

    /// Readers or writers.
    pub fn routing(&self) -> AccessMode {
        self.routing
    }

    /// The configured database.
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The user to impersonate.
    pub fn impersonated_user(&self) -> Option<&str> {
        self.impersonated_user.as_deref()
    }

    /// The transaction's timeout and metadata.
    pub fn transaction_config(&self) -> &TransactionConfig {
        &self.transaction
    }

    /// Checks every setting, naming the first bad one; called by
    /// [`Driver::execute_query`].
    ///
    /// ```
    /// use neo_runtime::QueryConfig;
    ///
    /// let err = QueryConfig::default().with_database("").validate().unwrap_err();
    /// assert!(err.to_string().contains("database"));
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        self.session_config(None).validate()
    }

    /// The session each call runs in.
    fn session_config(&self, driver_manager: Option<&Arc<dyn BookmarkManager>>) -> SessionConfig {
        let mut config = SessionConfig::default().with_default_access_mode(self.routing);
        if let Some(database) = &self.database {
            config = config.with_database(database.clone());
        }
        if let Some(user) = &self.impersonated_user {
            config = config.with_impersonated_user(user.clone());
        }
        if let Some(auth) = &self.auth {
            config = config.with_auth(auth.clone());
        }
        let manager = match &self.bookmarks {
            BookmarkChoice::Driver => driver_manager.cloned(),
            BookmarkChoice::Custom(manager) => Some(Arc::clone(manager)),
            BookmarkChoice::Off => None,
        };
        if let Some(manager) = manager {
            config = config.with_bookmark_manager(manager);
        }
        config
    }
}

/// A query's whole result, read into memory: what
/// [`Driver::execute_query`] returns by default.
///
/// ```
/// # async fn example(driver: neo_runtime::Driver) -> neo_runtime::Result<()> {
/// use neo_runtime::{EagerResult, QueryConfig};
///
/// let EagerResult { keys, records, summary, .. } = driver
///     .execute_query("UNWIND [1, 2, 3] AS x RETURN x", QueryConfig::default())
///     .await?;
/// assert_eq!(keys, ["x"]);
/// assert_eq!(records.len(), 3);
/// println!("took {:?}", summary.result_available_after());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EagerResult {
    /// The column names.
    pub keys: Vec<String>,
    /// Every record, in order.
    pub records: Vec<Record>,
    /// What the server reported when the result ended.
    pub summary: ResultSummary,
}

/// One attempt of a driver-level query: run it, and transform its result.
struct QueryWork<'q, T> {
    query: &'q Query,
    transformer: T,
}

impl<T: ResultTransformer> TransactionWork for QueryWork<'_, T> {
    type Output = T::Output;

    async fn attempt(&mut self, tx: &mut ManagedTransaction<'_>) -> Result<T::Output, Error> {
        let result = tx.run(self.query.clone()).await?;
        self.transformer.transform(result).await
    }
}

impl Driver {
    /// Runs one query in a managed transaction and returns its whole
    /// result: the front door for most applications.
    ///
    /// The query runs on a pooled connection in a transaction of its own
    /// (BEGIN, RUN and the first PULL go out in one write), retried on
    /// transient, cluster and connection failures like
    /// [`Session::execute_write`](crate::Session::execute_write), so it
    /// must be idempotent. Consecutive calls are causally chained through
    /// the driver's bookmark manager
    /// ([`execute_query_bookmark_manager`](Driver::execute_query_bookmark_manager)):
    /// a read sees the writes of the calls before it, on any server of a
    /// cluster.
    ///
    /// ```no_run
    /// # async fn example(driver: neo_runtime::Driver) -> neo_runtime::Result<()> {
    /// use neo_runtime::{AccessMode, Query, QueryConfig};
    ///
    /// driver
    ///     .execute_query(
    ///         Query::new("CREATE (:Person {name: $name})").param("name", "Ann"),
    ///         QueryConfig::default(),
    ///     )
    ///     .await?;
    /// let result = driver
    ///     .execute_query(
    ///         "MATCH (p:Person) RETURN p.name AS name",
    ///         QueryConfig::default().with_routing(AccessMode::Read),
    ///     )
    ///     .await?;
    /// for record in &result.records {
    ///     println!("{}", record.get_as::<&str>("name")?);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn execute_query(
        &self,
        query: impl IntoQuery,
        config: QueryConfig,
    ) -> Result<EagerResult, Error> {
        self.execute_query_with(query, config, Eager).await
    }

    /// Runs one query like [`execute_query`](Driver::execute_query) and
    /// hands its result to a [`ResultTransformer`]: typed rows, exactly one
    /// record, the summary, or a closure of your own (see
    /// [`transform`]). The transformer runs once per attempt.
    ///
    /// ```no_run
    /// # async fn example(driver: neo_runtime::Driver) -> neo_runtime::Result<()> {
    /// use neo_runtime::{QueryConfig, transform};
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Person {
    ///     name: String,
    ///     born: Option<i64>,
    /// }
    ///
    /// let people: Vec<Person> = driver
    ///     .execute_query_with(
    ///         "MATCH (p:Person) RETURN p.name AS name, p.born AS born",
    ///         QueryConfig::default(),
    ///         transform::rows::<Person>(),
    ///     )
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn execute_query_with<T: ResultTransformer>(
        &self,
        query: impl IntoQuery,
        config: QueryConfig,
        transformer: T,
    ) -> Result<T::Output, Error> {
        let query = query.into_query();
        let session_config = config.session_config(Some(self.execute_query_bookmark_manager()));
        let mut session = self.session(session_config)?;
        let span = tracing::debug_span!("execute_query", routing = ?config.routing);
        let plan = Plan {
            api: TelemetryApi::DriverLevel,
            ..Plan::new(config.routing, &config.transaction)
        };
        let work = QueryWork {
            query: &query,
            transformer,
        };
        let outcome = session
            .run_transaction_function(plan, work)
            .instrument(span)
            .await;
        session.close().await;
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bookmarks::SharedBookmarkManager;

    #[test]
    fn a_query_config_becomes_the_session_of_each_call() {
        let driver_manager: Arc<dyn BookmarkManager> = Arc::new(SharedBookmarkManager::default());
        let config = QueryConfig::default()
            .with_routing(AccessMode::Read)
            .with_database("sales")
            .with_impersonated_user("alice")
            .with_auth(AuthToken::basic("bob", "pw"));
        let session = config.session_config(Some(&driver_manager));
        assert_eq!(session.default_access_mode(), AccessMode::Read);
        assert_eq!(session.database(), Some("sales"));
        assert_eq!(session.impersonated_user(), Some("alice"));
        assert_eq!(session.auth, Some(AuthToken::basic("bob", "pw")));
        let used = session.bookmark_manager.expect("the driver's manager");
        assert!(Arc::ptr_eq(&used, &driver_manager));

        let own: Arc<dyn BookmarkManager> = Arc::new(SharedBookmarkManager::default());
        let session = QueryConfig::default()
            .with_bookmark_manager(Arc::clone(&own))
            .session_config(Some(&driver_manager));
        assert!(Arc::ptr_eq(&session.bookmark_manager.unwrap(), &own));

        let session = QueryConfig::default()
            .without_bookmark_manager()
            .session_config(Some(&driver_manager));
        assert!(session.bookmark_manager.is_none());
        assert_eq!(session.default_access_mode(), AccessMode::Write);
    }

    #[test]
    fn credentials_never_show_in_debug_output() {
        let config = QueryConfig::default().with_auth(AuthToken::basic("bob", "s3cret"));
        assert!(!format!("{config:?}").contains("s3cret"));
    }
}
