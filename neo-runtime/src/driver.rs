//! The driver: configuration, the connection pool, and sessions.

use std::fmt;
use std::sync::Arc;

use neo_bolt::Value;
use neo_bolt::handshake::ClientHandshake;
use neo_bolt::message::{AccessMode, AuthToken};
use neo_bolt::packstream::Map;

use crate::address::Address;
use crate::bolt::{ConnectSettings, Connection, ServerInfo};
use crate::config::DriverConfig;
use crate::error::{Error, ErrorKind};
use crate::net::TlsSettings;
use crate::pool::{Health, Manage, Pool, PoolMetrics, PoolSettings, Pooled};
use crate::routing::{Router, Target};
use crate::session::{Session, SessionConfig};
use crate::uri::ConnectionUri;

/// Opens, checks, resets and closes Bolt connections for a server's pool.
pub(crate) struct ConnectionManager {
    address: Address,
    settings: Arc<ConnectSettings>,
}

impl ConnectionManager {
    pub(crate) fn new(address: Address, settings: Arc<ConnectSettings>) -> Self {
        ConnectionManager { address, settings }
    }
}

impl Manage for ConnectionManager {
    type Connection = Connection;

    async fn connect(&self) -> Result<Connection, Error> {
        Connection::open(&self.address, &self.settings).await
    }

    fn health(&self, connection: &Connection) -> Health {
        if connection.is_defunct() {
            Health::Broken
        } else if connection.is_clean() {
            Health::Clean
        } else {
            Health::NeedsReset
        }
    }

    async fn reset(&self, connection: &mut Connection) -> Result<(), Error> {
        connection.reset().await
    }

    async fn close(&self, connection: Connection) {
        connection.close().await;
    }
}

/// A connection borrowed from the driver's pool.
pub(crate) type PooledConnection = Pooled<ConnectionManager>;

pub(crate) struct DriverInner {
    pub(crate) uri: ConnectionUri,
    pub(crate) config: DriverConfig,
    pub(crate) servers: Servers,
}

/// Where connections come from: one server's pool (`bolt://`), or the
/// servers a cluster's routing tables name (`neo4j://`).
pub(crate) enum Servers {
    Direct(Pool<ConnectionManager>),
    Routed(Box<Router>),
}

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
    inner: Arc<DriverInner>,
}

impl fmt::Debug for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Driver")
            .field("uri", &self.inner.uri.to_string())
            .field("config", &self.inner.config)
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
        let tls = TlsSettings::resolve(uri.encryption(), config.trust())?;
        let routing_context: Option<Map> = uri.routing().then(|| {
            let mut context: Map = uri
                .routing_context()
                .iter()
                .map(|(key, value)| (key.clone(), Value::from(value.as_str())))
                .collect();
            context.insert("address".to_owned(), Value::from(uri.address().to_string()));
            context
        });
        let settings = ConnectSettings {
            user_agent: config.user_agent().to_owned(),
            auth,
            connect_timeout: config.connection_timeout(),
            keep_alive: config.keep_alive(),
            tls,
            routing_context: routing_context.clone(),
            handshake: ClientHandshake::new(),
        };
        let pool_settings = PoolSettings {
            max_size: config.max_connection_pool_size(),
            acquisition_timeout: config.connection_acquisition_timeout(),
            max_lifetime: config.max_connection_lifetime(),
            liveness_check_timeout: config.liveness_check_timeout(),
        };
        let servers = match routing_context {
            Some(context) => Servers::Routed(Box::new(Router::new(
                uri.address().clone(),
                context,
                settings,
                pool_settings,
            ))),
            None => Servers::Direct(Pool::new(
                ConnectionManager::new(uri.address().clone(), Arc::new(settings)),
                pool_settings,
            )),
        };
        tracing::debug!(uri = %uri, "driver created");
        Ok(Driver {
            inner: Arc::new(DriverInner {
                uri,
                config,
                servers,
            }),
        })
    }

    /// Opens a session: a sequence of transactions on one connection at a
    /// time, chained by bookmarks.
    pub fn session(&self, config: SessionConfig) -> Session {
        Session::new(Arc::clone(&self.inner), config)
    }

    /// Checks that a connection can be opened and authenticated.
    pub async fn verify_connectivity(&self) -> Result<(), Error> {
        self.server_info().await.map(|_| ())
    }

    /// Connects and reports what the server says about itself (with
    /// routing, a reader of the home database, after fetching its routing
    /// table).
    pub async fn server_info(&self) -> Result<ServerDetails, Error> {
        let connection = self
            .inner
            .acquire(&Target {
                mode: AccessMode::Read,
                database: None,
                bookmarks: &[],
                impersonated_user: None,
            })
            .await?;
        let details = ServerDetails::from(connection.server().as_ref());
        connection.release().await;
        Ok(details)
    }

    /// What the connection pool holds now (with routing, the pools of every
    /// server added up).
    pub fn pool_metrics(&self) -> PoolMetrics {
        match &self.inner.servers {
            Servers::Direct(pool) => pool.metrics(),
            Servers::Routed(router) => router.metrics(),
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> &DriverConfig {
        &self.inner.config
    }

    /// Closes every idle connection and refuses new sessions' connections.
    pub async fn close(&self) {
        match &self.inner.servers {
            Servers::Direct(pool) => pool.close().await,
            Servers::Routed(router) => router.close().await,
        }
    }
}

/// What a server says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
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

impl DriverInner {
    /// A connection for a transaction of `target`'s mode and database.
    pub(crate) async fn acquire(&self, target: &Target<'_>) -> Result<PooledConnection, Error> {
        let acquired = match &self.servers {
            Servers::Direct(pool) => pool.acquire().await,
            Servers::Routed(router) => router.acquire(target).await,
        };
        acquired.map_err(|error| {
            if error.kind() == ErrorKind::ConnectionAcquisitionTimeout {
                tracing::warn!(%error, "connection pool exhausted");
            }
            error
        })
    }
}
