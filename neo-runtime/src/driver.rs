//! The driver: configuration, the connection pool, and sessions.

use std::fmt;
use std::sync::Arc;

use neo_bolt::handshake::ClientHandshake;
use neo_bolt::message::AuthToken;

use crate::address::Address;
use crate::bolt::{ConnectSettings, Connection, ServerInfo};
use crate::config::DriverConfig;
use crate::error::{Error, ErrorKind};
use crate::net::TlsSettings;
use crate::pool::{Health, Manage, Pool, PoolMetrics, PoolSettings, Pooled};
use crate::session::{Session, SessionConfig};
use crate::uri::ConnectionUri;

/// Opens, checks, resets and closes Bolt connections for the pool.
pub(crate) struct ConnectionManager {
    address: Address,
    settings: ConnectSettings,
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
    pub(crate) pool: Pool<ConnectionManager>,
}

/// A Neo4j driver: the entry point, holding the configuration and a pool of
/// connections. Cheap to clone; clones share the pool.
///
/// Create one per application and open a [`Session`] per unit of work.
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
        if uri.routing() {
            return Err(Error::invalid_config(format!(
                "the `{}` scheme asks for cluster routing, which this driver does not offer yet; \
                 connect to one server with `bolt://`, `bolt+s://` or `bolt+ssc://`",
                uri.scheme()
            )));
        }
        let tls = TlsSettings::resolve(uri.encryption(), config.trust())?;
        let settings = ConnectSettings {
            user_agent: config.user_agent().to_owned(),
            auth,
            connect_timeout: config.connection_timeout(),
            keep_alive: config.keep_alive(),
            tls,
            routing_context: None,
            handshake: ClientHandshake::new(),
        };
        let pool = Pool::new(
            ConnectionManager {
                address: uri.address().clone(),
                settings,
            },
            PoolSettings {
                max_size: config.max_connection_pool_size(),
                acquisition_timeout: config.connection_acquisition_timeout(),
                max_lifetime: config.max_connection_lifetime(),
                liveness_check_timeout: config.liveness_check_timeout(),
            },
        );
        tracing::debug!(uri = %uri, "driver created");
        Ok(Driver {
            inner: Arc::new(DriverInner { uri, config, pool }),
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

    /// Connects and reports what the server says about itself.
    pub async fn server_info(&self) -> Result<ServerDetails, Error> {
        let connection = self.inner.pool.acquire().await?;
        let details = ServerDetails::from(connection.server().as_ref());
        connection.release().await;
        Ok(details)
    }

    /// What the connection pool holds now.
    pub fn pool_metrics(&self) -> PoolMetrics {
        self.inner.pool.metrics()
    }

    /// The configuration in use.
    pub fn config(&self) -> &DriverConfig {
        &self.inner.config
    }

    /// Closes every idle connection and refuses new sessions' connections.
    pub async fn close(&self) {
        self.inner.pool.close().await;
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
    pub(crate) async fn acquire(&self) -> Result<PooledConnection, Error> {
        self.pool.acquire().await.map_err(|error| {
            if error.kind() == ErrorKind::ConnectionAcquisitionTimeout {
                tracing::warn!(%error, "connection pool exhausted");
            }
            error
        })
    }
}
