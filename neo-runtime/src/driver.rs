//! The driver: the entry point, holding the configuration and the
//! connection pools, and opening sessions.

use std::fmt;
use std::sync::Arc;

use neo_bolt::message::{AccessMode, AuthToken};

use crate::address::Address;
use crate::bookmarks::{BookmarkManager, SharedBookmarkManager};
use crate::config::DriverConfig;
use crate::error::Error;
use crate::io::bolt::ServerInfo;
use crate::io::connector::Connector;
use crate::io::pool::PoolMetrics;
use crate::io::routing::Target;
use crate::session::{Session, SessionConfig};
use crate::uri::ConnectionUri;

/// A Neo4j driver: the entry point, holding the configuration and a pool of
/// connections. Cheap to clone; clones share the pool.
///
/// Create one per application and open a [`Session`] per unit of work.
/// A `bolt://` URI connects to one server; a `neo4j://` URI routes: each
/// database's routing table is fetched from the cluster (and again when it
/// expires or runs out of servers), each transaction runs on a reader or the
/// writer as its access mode asks, with a pool per server, and a server
/// that cannot be reached, or a writer that no longer leads, is forgotten so
/// that retries go elsewhere.
///
/// ```no_run
/// use neo_runtime::{AuthToken, Driver};
///
/// # async fn example() -> neo_runtime::Result<()> {
/// let driver = Driver::new("bolt://localhost:7687", AuthToken::basic("neo4j", "password"))?;
/// driver.verify_connectivity().await?;
/// driver.close().await;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Driver {
    uri: Arc<ConnectionUri>,
    config: Arc<DriverConfig>,
    connector: Arc<Connector>,
    /// Chains the calls of [`Driver::execute_query`] that keep the default.
    query_bookmarks: Arc<dyn BookmarkManager>,
}

impl fmt::Debug for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Driver")
            .field("uri", &self.uri.to_string())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Driver {
    /// A driver with the default configuration. Nothing connects until the
    /// first session needs it.
    pub fn new(uri: &str, auth: AuthToken) -> Result<Driver, Error> {
        Driver::with_config(uri, auth, DriverConfig::default())
    }

    /// A driver with a configuration; a malformed URI, an unknown scheme or
    /// a bad setting is an error that names it.
    pub fn with_config(uri: &str, auth: AuthToken, config: DriverConfig) -> Result<Driver, Error> {
        let uri: ConnectionUri = uri.parse()?;
        config.validate()?;
        let connector = Connector::new(&uri, auth, &config)?;
        tracing::debug!(uri = %uri, "driver created");
        Ok(Driver {
            uri: Arc::new(uri),
            config: Arc::new(config),
            connector: Arc::new(connector),
            query_bookmarks: Arc::new(SharedBookmarkManager::default()),
        })
    }

    /// Opens a session: a sequence of transactions on one connection at a
    /// time, chained by bookmarks. Nothing connects until the session runs
    /// something; a bad setting (such as a fetch size of 0) is an
    /// [`ErrorKind::InvalidConfiguration`](crate::ErrorKind::InvalidConfiguration)
    /// error naming it.
    ///
    /// ```no_run
    /// # fn example(driver: neo_runtime::Driver) -> neo_runtime::Result<()> {
    /// use neo_runtime::SessionConfig;
    ///
    /// let session = driver.session(SessionConfig::default().with_database("neo4j"))?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn session(&self, config: SessionConfig) -> Result<Session, Error> {
        config.validate()?;
        Ok(Session::new(
            Arc::clone(&self.connector),
            Arc::clone(&self.config),
            config,
        ))
    }

    /// Checks that a connection can be opened and authenticated.
    pub async fn verify_connectivity(&self) -> Result<(), Error> {
        self.server_info().await.map(|_| ())
    }

    /// Connects and reports what the server says about itself (with
    /// routing, a reader of the home database, after fetching its routing
    /// table).
    pub async fn server_info(&self) -> Result<ServerDetails, Error> {
        let target = Target {
            mode: AccessMode::Read,
            database: None,
            bookmarks: &[],
            impersonated_user: None,
        };
        let connection = self.connector.acquire(&target).await?;
        let details = ServerDetails::from(connection.server().as_ref());
        connection.release().await;
        Ok(details)
    }

    /// The bookmark manager that chains the calls of
    /// [`execute_query`](Driver::execute_query) which keep the default
    /// ([`QueryConfig`](crate::QueryConfig)): give it to a session to chain
    /// the session with them too.
    ///
    /// ```no_run
    /// # async fn example(driver: neo_runtime::Driver) -> neo_runtime::Result<()> {
    /// use neo_runtime::{QueryConfig, SessionConfig};
    ///
    /// driver.execute_query("CREATE (:Person {name: 'Ann'})", QueryConfig::default()).await?;
    /// let manager = driver.execute_query_bookmark_manager().clone();
    /// let mut session = driver.session(SessionConfig::default().with_bookmark_manager(manager))?;
    /// // This session sees Ann, on any server of a cluster.
    /// # Ok(())
    /// # }
    /// ```
    pub fn execute_query_bookmark_manager(&self) -> &Arc<dyn BookmarkManager> {
        &self.query_bookmarks
    }

    /// What the connection pool holds now (with routing, the pools of every
    /// server added up).
    pub fn pool_metrics(&self) -> PoolMetrics {
        self.connector.metrics()
    }

    /// The configuration in use.
    pub fn config(&self) -> &DriverConfig {
        &self.config
    }

    /// Closes every idle connection and refuses new sessions' connections.
    pub async fn close(&self) {
        self.connector.close().await;
    }
}

/// What a server says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerDetails {
    /// The address connected to.
    pub address: Address,
    /// The server's agent string, such as `Neo4j/5.26.0`.
    pub agent: String,
    /// The Bolt version agreed.
    pub protocol_version: neo_bolt::BoltVersion,
    /// The server's id for the connection.
    pub connection_id: String,
}

impl From<&ServerInfo> for ServerDetails {
    fn from(info: &ServerInfo) -> Self {
        ServerDetails {
            address: info.address.clone(),
            agent: info.agent.clone(),
            protocol_version: info.protocol_version,
            connection_id: info.connection_id.clone(),
        }
    }
}
