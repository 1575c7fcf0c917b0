//! The driver: the entry point, holding the configuration and the
//! connection pools, and opening sessions.

use std::fmt;
use std::sync::Arc;

use neo_bolt::message::{AccessMode, AuthToken};

use crate::address::Address;
use crate::auth::{AuthManager, StaticAuthManager};
use crate::bookmarks::{BookmarkManager, Bookmarks, SharedBookmarkManager};
use crate::config::DriverConfig;
use crate::error::{Error, ServerError, StatusCode};
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
        Driver::with_auth_manager(uri, Arc::new(StaticAuthManager::new(auth)), config)
    }

    /// A driver whose connections authenticate with the tokens of an
    /// [`AuthManager`]: asked for a token each time a connection is taken
    /// from the pool, and told when the server refuses one (see
    /// [`auth`](crate::auth) for the managers provided).
    ///
    /// ```no_run
    /// use std::sync::Arc;
    /// use neo_runtime::auth::BasicAuthManager;
    /// use neo_runtime::{AuthToken, Driver, DriverConfig};
    ///
    /// # fn example() -> neo_runtime::Result<()> {
    /// let manager = BasicAuthManager::new(|| async {
    ///     let password = std::env::var("NEO4J_PASSWORD").unwrap_or_default();
    ///     Ok(AuthToken::basic("neo4j", password))
    /// });
    /// let driver = Driver::with_auth_manager("bolt://localhost:7687", Arc::new(manager), DriverConfig::default())?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_auth_manager(
        uri: &str,
        auth: Arc<dyn AuthManager>,
        config: DriverConfig,
    ) -> Result<Driver, Error> {
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
    pub fn session(&self, mut config: SessionConfig) -> Result<Session, Error> {
        if let (None, Some(database)) = (config.database(), self.config.default_database()) {
            config = config.with_database(database);
        }
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

    /// Checks credentials against the server without running a query:
    /// `Ok(true)` when they are accepted, `Ok(false)` when the server
    /// refuses them (`Neo.ClientError.Security.Unauthorized`,
    /// `CredentialsExpired`, `Forbidden` or `TokenExpired`); any other
    /// failure is an error. `None` checks the driver's own credentials
    /// (the auth manager's current token).
    ///
    /// A connection logs on with the credentials even if it is already
    /// authenticated with them, so this needs Bolt 5.1 or later
    /// ([`ErrorKind::UnsupportedFeature`](crate::ErrorKind::UnsupportedFeature)
    /// otherwise). With routing, the `system` database's routing table is
    /// fetched with the credentials, and a reader is checked.
    ///
    /// ```no_run
    /// # async fn example(driver: neo_runtime::Driver) -> neo_runtime::Result<()> {
    /// use neo_runtime::AuthToken;
    ///
    /// let accepted = driver.verify_authentication(Some(AuthToken::basic("alice", "guess"))).await?;
    /// if !accepted {
    ///     println!("wrong user name or password");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn verify_authentication(&self, auth: Option<AuthToken>) -> Result<bool, Error> {
        let token = match auth {
            Some(token) => token,
            None => self.connector.current_auth().await?,
        };
        let target = Target {
            mode: AccessMode::Read,
            database: Some("system"),
            bookmarks: &[],
            impersonated_user: None,
        };
        match self.connector.acquire_verifying(&target, token).await {
            Ok(connection) => {
                connection.release().await;
                Ok(true)
            }
            Err(error) if refuses_credentials(&error) => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Whether the server can switch a connection to a session's own
    /// credentials ([`SessionConfig::with_auth`], Bolt 5.1+); connects to
    /// find out.
    ///
    /// ```no_run
    /// # async fn example(driver: neo_runtime::Driver) -> neo_runtime::Result<()> {
    /// if !driver.supports_session_auth().await? {
    ///     println!("one driver per user on this server");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn supports_session_auth(&self) -> Result<bool, Error> {
        Ok(self.server_info().await?.protocol_version >= neo_bolt::BoltVersion::V5_1)
    }

    /// Connects and reports what the server says about itself: its
    /// address, agent and the Bolt version agreed. A pooled connection is
    /// checked with a round trip first, and with routing the home
    /// database's routing table is fetched anew and a reader of it answers.
    /// The official drivers call it `get_server_info`.
    ///
    /// ```no_run
    /// # async fn example(driver: neo_runtime::Driver) -> neo_runtime::Result<()> {
    /// let info = driver.server_info().await?;
    /// println!("{} at {} speaks Bolt {}", info.agent, info.address, info.protocol_version);
    /// # Ok(())
    /// # }
    /// ```
    #[doc(alias = "get_server_info")]
    pub async fn server_info(&self) -> Result<ServerDetails, Error> {
        let target = Target {
            mode: AccessMode::Read,
            database: None,
            bookmarks: &[],
            impersonated_user: None,
        };
        let connection = self.connector.acquire_verified(&target).await?;
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

    /// Whether the driver's connections use TLS (a `+s` or `+ssc` scheme,
    /// or a trust strategy in the configuration).
    ///
    /// ```
    /// use neo_runtime::{AuthToken, Driver};
    ///
    /// # fn example() -> neo_runtime::Result<()> {
    /// let driver = Driver::new("neo4j+ssc://localhost", AuthToken::None)?;
    /// assert!(driver.is_encrypted());
    /// # Ok(())
    /// # }
    /// # example().unwrap();
    /// ```
    pub fn is_encrypted(&self) -> bool {
        self.connector.is_encrypted()
    }

    /// What the connection pool holds now (with routing, the pools of every
    /// server added up).
    pub fn pool_metrics(&self) -> PoolMetrics {
        self.connector.metrics()
    }

    /// What the pool of one server holds now: `None` when the driver has
    /// no pool for that address (it never connected to it, or, with
    /// routing, no routing table names it any more).
    ///
    /// ```no_run
    /// # async fn example(driver: neo_runtime::Driver) -> neo_runtime::Result<()> {
    /// use neo_runtime::Address;
    ///
    /// let writer: Address = "core-1.example.com:7687".parse()?;
    /// if let Some(metrics) = driver.server_pool_metrics(&writer) {
    ///     println!("{} in use, {} idle", metrics.in_use, metrics.idle);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn server_pool_metrics(&self, address: &Address) -> Option<PoolMetrics> {
        self.connector.server_metrics(address)
    }

    /// The routing table the driver holds for a database, as it stands
    /// (servers it found unreachable already left out): `None` without
    /// routing (`bolt://`) or before the table was first fetched. `None`
    /// as the database asks for the table kept without a name, the home
    /// database's when the router did not name it.
    ///
    /// ```no_run
    /// # async fn example(driver: neo_runtime::Driver) -> neo_runtime::Result<()> {
    /// driver.refresh_routing_table(Some("neo4j"), &Default::default()).await?;
    /// if let Some(table) = driver.routing_table(Some("neo4j")) {
    ///     println!("writers: {:?}, readers: {:?}", table.writers, table.readers);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn routing_table(&self, database: Option<&str>) -> Option<RoutingTableInfo> {
        let table = self.connector.routing_table(database)?;
        Some(RoutingTableInfo {
            database: database.map(str::to_owned),
            ttl: table.ttl,
            expires_in: table
                .expires
                .saturating_duration_since(self.config.clock().now()),
            routers: table.routers,
            readers: table.readers,
            writers: table.writers,
        })
    }

    /// Fetches a database's routing table from the cluster now, whatever
    /// the driver holds (`None`: the home database), sending `bookmarks`
    /// with ROUTE; returns the name the table is kept under (the home
    /// database's name when a router resolved it). Without routing
    /// (`bolt://`) an
    /// [`ErrorKind::UnsupportedFeature`](crate::ErrorKind::UnsupportedFeature)
    /// error; when no router answers, a
    /// [`ServiceUnavailable`](crate::ErrorKind::ServiceUnavailable) one.
    ///
    /// ```no_run
    /// # async fn example(driver: neo_runtime::Driver) -> neo_runtime::Result<()> {
    /// let home = driver.refresh_routing_table(None, &Default::default()).await?;
    /// println!("home database: {home:?}");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn refresh_routing_table(
        &self,
        database: Option<&str>,
        bookmarks: &Bookmarks,
    ) -> Result<Option<String>, Error> {
        let bookmarks = bookmarks.to_vec();
        self.connector
            .refresh_routing_table(database, &bookmarks)
            .await
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

/// A database's routing table as the driver holds it
/// ([`Driver::routing_table`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoutingTableInfo {
    /// The database it routes (`None`: kept without a name).
    pub database: Option<String>,
    /// How long the router said the table holds.
    pub ttl: std::time::Duration,
    /// How much of that is left (zero once it expired).
    pub expires_in: std::time::Duration,
    /// The servers that answer ROUTE.
    pub routers: Vec<Address>,
    /// The servers that run reads.
    pub readers: Vec<Address>,
    /// The servers that run writes.
    pub writers: Vec<Address>,
}

/// Whether a failure says the credentials were refused (as opposed to any
/// other failure, which [`Driver::verify_authentication`] reports).
fn refuses_credentials(error: &Error) -> bool {
    error
        .server_error()
        .map(ServerError::code)
        .is_some_and(|code| {
            [
                StatusCode::CREDENTIALS_EXPIRED,
                StatusCode::FORBIDDEN,
                StatusCode::TOKEN_EXPIRED,
                StatusCode::UNAUTHORIZED,
            ]
            .iter()
            .any(|refusal| code == *refusal)
        })
}
