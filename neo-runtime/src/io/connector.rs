//! Where a session's connections come from: one server's pool (`bolt://`),
//! or the servers a cluster's routing tables name (`neo4j://`).
//!
//! This is the one place that knows server roles and what a failure says
//! about a server: sessions ask for a connection for a target (database,
//! access mode) and report failures with [`Connector::on_failure`]; they
//! never look at status codes or routing tables themselves.

use neo_bolt::handshake::ClientHandshake;
use neo_bolt::message::{AccessMode, AuthToken};
use neo_bolt::packstream::Map;
use neo_bolt::server_error::FailureKind;
use neo_bolt::{ServerError, Value};

use super::bolt::{AuthSource, BoltManager, ConnectSettings};
use super::net::TlsSettings;
use super::pool::{Liveness, Pool, PoolMetrics, PoolSettings, Pooled};
use super::routing::{Refresh, Router, RoutingTable, Target};
use crate::address::Address;
use crate::auth::AuthManager;
use crate::config::DriverConfig;
use crate::error::{Error, ErrorKind};
use crate::uri::ConnectionUri;

use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::{Arc, Mutex, PoisonError};

/// A connection on loan from a pool.
pub(crate) type PooledConnection = Pooled<BoltManager>;

/// A connection, and what became of the home database on the way.
pub(crate) struct Acquired {
    pub(crate) connection: PooledConnection,
    pub(crate) home: Home,
}

/// How the home database of an acquisition that named no database was
/// settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Home {
    /// Not at all: a database was named, or there is no routing.
    NotAsked,
    /// A router resolved it: the session uses this name from now on.
    Resolved(String),
    /// Taken from the cache to pick a server that routes on its own: the
    /// session names no database, and learns the real one from the
    /// server's answer.
    Guessed(String),
}

/// The most home databases remembered.
const HOME_CACHE_SIZE: usize = 10_000;

/// The home databases of users, as routers and servers said, and whether
/// the servers route on their own (the Bolt 5.8 `ssr.enabled` hint).
#[derive(Debug, Default)]
struct HomeDatabases {
    names: Mutex<HashMap<String, String>>,
    server_side_routing: Mutex<HashMap<Address, bool>>,
}

impl HomeDatabases {
    fn cached(&self, user: &str) -> Option<String> {
        self.names
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(user)
            .cloned()
    }

    fn remember(&self, user: &str, database: &str) {
        let mut names = self.names.lock().unwrap_or_else(PoisonError::into_inner);
        if names.len() >= HOME_CACHE_SIZE && !names.contains_key(user) {
            names.clear();
        }
        names.insert(user.to_owned(), database.to_owned());
    }

    fn saw(&self, address: &Address, routes_itself: bool) {
        self.server_side_routing
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(address.clone(), routes_itself);
    }

    /// Whether every server connected to routes on its own.
    fn routed_by_servers(&self) -> bool {
        let servers = self
            .server_side_routing
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        !servers.is_empty() && servers.values().all(|routes| *routes)
    }
}

/// Whose home database an acquisition needs: the impersonated user's, a
/// session's own user's, or the driver's user's.
pub(crate) fn home_key(
    impersonated_user: Option<&str>,
    session_auth: Option<&AuthToken>,
) -> String {
    let Some(user) = impersonated_user else {
        return match session_auth {
            None => String::new(),
            Some(token) => match token.principal() {
                Some(principal) => format!("auth:{}:{principal}", token.scheme()),
                // A token without a user name stands for its user: keep a
                // digest of it, not the secret itself.
                None => {
                    let secret = match token {
                        AuthToken::Bearer { token } => token.as_str(),
                        AuthToken::Kerberos { ticket } => ticket.as_str(),
                        AuthToken::Custom { credentials, .. } => {
                            credentials.as_deref().unwrap_or_default()
                        }
                        _ => "",
                    };
                    let mut hasher = std::collections::hash_map::DefaultHasher::new();
                    hasher.write(secret.as_bytes());
                    format!("auth:{}:#{:x}", token.scheme(), hasher.finish())
                }
            },
        };
    };
    format!("user:{user}")
}

/// Hands out connections for a target, authenticated with the driver's
/// auth manager or a session's own credentials, and learns from failures.
pub(crate) struct Connector {
    servers: Servers,
    auth: Arc<dyn AuthManager>,
    encrypted: bool,
    home: HomeDatabases,
}

/// Where connections come from.
enum Servers {
    /// One server (`bolt://`).
    Direct(Pool<BoltManager>),
    /// A cluster (`neo4j://`).
    Routed(Box<Router<BoltManager>>),
}

/// What a failure says about the server it happened on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// The server is gone: forget it in every role.
    Unreachable,
    /// The server no longer leads: forget it as a writer.
    NotALeader,
    /// Nothing about the server.
    Healthy,
}

impl Verdict {
    fn of(error: &Error) -> Self {
        if error.kind() == ErrorKind::ServiceUnavailable {
            return Verdict::Unreachable;
        }
        match error.server_error().map(ServerError::kind) {
            Some(FailureKind::WriteRefused) => Verdict::NotALeader,
            Some(FailureKind::DatabaseUnavailable) => Verdict::Unreachable,
            _ => Verdict::Healthy,
        }
    }
}

impl Connector {
    /// The connector a driver for `uri` uses.
    pub(crate) fn new(
        uri: &ConnectionUri,
        auth: Arc<dyn AuthManager>,
        config: &DriverConfig,
    ) -> Result<Self, Error> {
        let tls = TlsSettings::resolve(
            uri.encryption(),
            config.trust(),
            config.client_certificate_provider().cloned(),
        )?;
        let encrypted = tls.is_some();
        let routing_context: Option<Map> = uri.routing().then(|| {
            let mut context: Map = uri
                .routing_context()
                .iter()
                .map(|(key, value)| (key.clone(), Value::from(value.as_str())))
                .collect();
            context.insert("address".to_owned(), Value::from(uri.address().to_string()));
            context
        });
        let manager = Arc::new(BoltManager::new(ConnectSettings {
            user_agent: config.user_agent().to_owned(),
            connect_timeout: config.connection_timeout(),
            receive_timeout: config.receive_timeout(),
            keep_alive: config.keep_alive(),
            tls,
            routing_context: routing_context.clone(),
            handshake: ClientHandshake::new(),
            notifications: config.notification_filter(),
            host_names: config.host_name_resolver().cloned(),
        }));
        let pool_settings = PoolSettings {
            max_size: config.max_connection_pool_size(),
            acquisition_timeout: config.connection_acquisition_timeout(),
            max_lifetime: config.max_connection_lifetime(),
            liveness_check_timeout: config.liveness_check_timeout(),
            clock: Arc::clone(config.clock()),
        };
        let servers = match routing_context {
            Some(context) => {
                let router = Router::new(uri.address().clone(), context, manager, pool_settings);
                Servers::Routed(Box::new(match config.resolver() {
                    Some(resolver) => router.with_resolver(Arc::clone(resolver)),
                    None => router,
                }))
            }
            None => Servers::Direct(Pool::new(manager, uri.address().clone(), pool_settings)),
        };
        Ok(Connector {
            servers,
            auth,
            encrypted,
            home: HomeDatabases::default(),
        })
    }

    /// A connection for a transaction of `target`'s mode and database,
    /// authenticated with `session_auth` when a session has credentials of
    /// its own, else with the auth manager's token.
    ///
    /// With routing, a target that names no database needs the user's home
    /// database: a router resolves it (one ROUTE), unless every server
    /// routes on its own and the home database is known from before, in
    /// which case that name picks the server and the server, sent no
    /// database, runs the work in whatever the home database now is.
    pub(crate) async fn acquire(
        &self,
        target: &Target<'_>,
        session_auth: Option<&AuthToken>,
    ) -> Result<Acquired, Error> {
        let auth = self.auth_source(session_auth);
        let Servers::Routed(router) = &self.servers else {
            let connection = self.acquire_as(target, &auth).await?;
            return Ok(Acquired {
                connection,
                home: Home::NotAsked,
            });
        };
        if target.database.is_some() {
            let connection = self.acquire_as(target, &auth).await?;
            return Ok(Acquired {
                connection,
                home: Home::NotAsked,
            });
        }
        let user = home_key(target.impersonated_user, session_auth);
        let settle = async {
            let guess = self
                .home
                .cached(&user)
                .filter(|_| self.home.routed_by_servers());
            let home = match guess {
                Some(name) => Home::Guessed(name),
                None => match router.resolve_home(target, &auth).await? {
                    Some(name) => {
                        self.home.remember(&user, &name);
                        Home::Resolved(name)
                    }
                    None => Home::NotAsked,
                },
            };
            Ok::<_, Error>(home)
        };
        let home = settle.await?;
        let database = match &home {
            Home::Resolved(name) | Home::Guessed(name) => Some(name.as_str()),
            Home::NotAsked => None,
        };
        let named = Target {
            database,
            ..*target
        };
        let connection = self.acquire_as(&named, &auth).await?;
        Ok(Acquired { connection, home })
    }

    /// A connection that proves the server answers: an idle one is checked
    /// with a round trip, and with routing the table of the home database
    /// is fetched anew (`verify_connectivity`, `server_info`).
    pub(crate) async fn acquire_verified(
        &self,
        target: &Target<'_>,
    ) -> Result<PooledConnection, Error> {
        let auth = AuthSource::Manager(Arc::clone(&self.auth));
        match &self.servers {
            Servers::Direct(pool) => pool.acquire_with(&auth, Liveness::Always).await,
            Servers::Routed(router) => {
                router
                    .acquire_with(target, &auth, Refresh::Now, Liveness::Always)
                    .await
            }
        }
    }

    /// Whether connections are routed (`neo4j://`).
    pub(crate) fn routes(&self) -> bool {
        matches!(self.servers, Servers::Routed(_))
    }

    /// Remembers the home database a server said a user's work ran in.
    pub(crate) fn remember_home(&self, user: &str, database: &str) {
        self.home.remember(user, database);
    }

    /// A connection for `target` that has just logged on with `token`
    /// (even a pooled connection already authenticated with it).
    pub(crate) async fn acquire_verifying(
        &self,
        target: &Target<'_>,
        token: AuthToken,
    ) -> Result<PooledConnection, Error> {
        let auth = AuthSource::Session {
            token,
            verify: true,
        };
        self.acquire_as(target, &auth).await
    }

    /// Where a session's connections take their credentials from: its own
    /// token, else the auth manager.
    pub(crate) fn auth_source(&self, session_auth: Option<&AuthToken>) -> AuthSource {
        match session_auth {
            Some(token) => AuthSource::Session {
                token: token.clone(),
                verify: false,
            },
            None => AuthSource::Manager(Arc::clone(&self.auth)),
        }
    }

    /// The auth manager's current token.
    pub(crate) async fn current_auth(&self) -> Result<AuthToken, Error> {
        self.auth.get_auth().await
    }

    /// Whether connections use TLS.
    pub(crate) fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    async fn acquire_as(
        &self,
        target: &Target<'_>,
        auth: &AuthSource,
    ) -> Result<PooledConnection, Error> {
        let acquired = match &self.servers {
            Servers::Direct(pool) => pool.acquire(auth).await,
            Servers::Routed(router) => router.acquire(target, auth).await,
        };
        if let Ok(connection) = &acquired {
            let server = connection.server();
            self.home.saw(&server.address, server.ssr_enabled);
        }
        acquired.inspect_err(|error| {
            if error.kind() == ErrorKind::ConnectionAcquisitionTimeout {
                tracing::warn!(%error, "connection pool exhausted");
            }
        })
    }

    /// Learns from a failure on a connection to `address`: with routing, a
    /// server that is gone is forgotten, and one that no longer leads is
    /// forgotten as a writer (of `database` when known, the database the
    /// work ran in), so that the next attempt goes elsewhere.
    pub(crate) fn on_failure(&self, address: &Address, database: Option<&str>, error: &Error) {
        let Servers::Routed(router) = &self.servers else {
            return;
        };
        match Verdict::of(error) {
            Verdict::Unreachable => router.forget(address),
            Verdict::NotALeader => match database {
                Some(database) => router.forget_writer_of(database, address),
                None => router.forget_writer(address),
            },
            Verdict::Healthy => {}
        }
    }

    /// Whether a connection to `address` may run the next transaction of
    /// `mode` on `database` (always, without routing).
    pub(crate) fn serves(
        &self,
        database: Option<&str>,
        mode: AccessMode,
        address: &Address,
    ) -> bool {
        match &self.servers {
            Servers::Direct(_) => true,
            Servers::Routed(router) => router.serves(database, mode, address),
        }
    }

    /// The routing table kept for a database (`None` without routing, or
    /// before a table was fetched).
    pub(crate) fn routing_table(&self, database: Option<&str>) -> Option<RoutingTable> {
        match &self.servers {
            Servers::Direct(_) => None,
            Servers::Routed(router) => router.table(database),
        }
    }

    /// Fetches the routing table of a database now (with the auth
    /// manager's token); the name it is kept under. Without routing, an
    /// [`ErrorKind::UnsupportedFeature`] error.
    pub(crate) async fn refresh_routing_table(
        &self,
        database: Option<&str>,
        bookmarks: &[String],
    ) -> Result<Option<String>, Error> {
        let Servers::Routed(router) = &self.servers else {
            return Err(Error::new(
                ErrorKind::UnsupportedFeature,
                "a driver for a bolt:// URI has no routing table; use neo4j:// to route",
            ));
        };
        let auth = AuthSource::Manager(Arc::clone(&self.auth));
        let target = Target {
            mode: AccessMode::Read,
            database,
            bookmarks,
            impersonated_user: None,
        };
        router.refresh(&target, &auth).await
    }

    /// What the pool of one server holds now (`None` when the driver has
    /// no pool for it).
    pub(crate) fn server_metrics(&self, address: &Address) -> Option<PoolMetrics> {
        match &self.servers {
            Servers::Direct(pool) => (pool.address() == address).then(|| pool.metrics()),
            Servers::Routed(router) => router.server_metrics(address),
        }
    }

    /// What the pools hold now, added up.
    pub(crate) fn metrics(&self) -> PoolMetrics {
        match &self.servers {
            Servers::Direct(pool) => pool.metrics(),
            Servers::Routed(router) => router.metrics(),
        }
    }

    /// Closes every idle connection and refuses further acquisitions.
    pub(crate) async fn close(&self) {
        match &self.servers {
            Servers::Direct(pool) => pool.close().await,
            Servers::Routed(router) => router.close().await,
        }
    }
}
