//! The pools' view of Bolt connections: how to open, check, authenticate,
//! reset and close them, and how to ask a router for a routing table over
//! one.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use neo_bolt::BoltVersion;
use neo_bolt::message::{AuthToken, Request, Route};

use super::connection::{AuthGeneration, Credentials};
use super::{ConnectSettings, Connection};
use crate::address::Address;
use crate::auth::AuthManager;
use crate::error::{Error, ErrorKind};
use crate::io::pool::{Health, Manage, Prepared};
use crate::io::routing::{Discover, RouteRequest};

/// Where the token of one acquisition comes from.
#[derive(Clone)]
pub(crate) enum AuthSource {
    /// The driver's auth manager, asked once per acquisition.
    Manager(Arc<dyn AuthManager>),
    /// A session's own token (user switching). With `verify`, a pooled
    /// connection logs on again even with the same token, so that the
    /// server checks it now.
    Session { token: AuthToken, verify: bool },
}

impl fmt::Debug for AuthSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthSource::Manager(_) => f.write_str("AuthSource::Manager"),
            AuthSource::Session { token, verify } => f
                .debug_struct("AuthSource::Session")
                .field("token", token)
                .field("verify", verify)
                .finish(),
        }
    }
}

impl AuthSource {
    /// The credentials to authenticate with now.
    async fn credentials(&self) -> Result<Credentials, Error> {
        match self {
            AuthSource::Manager(manager) => Ok(Credentials {
                token: manager.get_auth().await?,
                manager: Some(Arc::clone(manager)),
            }),
            AuthSource::Session { token, .. } => Ok(Credentials {
                token: token.clone(),
                manager: None,
            }),
        }
    }
}

/// The error of a session's own credentials on a server that cannot
/// switch users.
fn user_switching_unsupported(version: BoltVersion) -> Error {
    Error::new(
        ErrorKind::UnsupportedFeature,
        format!(
            "user switching (session credentials, verify_authentication) is not supported for \
             Bolt protocol version {version}: it needs Bolt 5.1 (Neo4j 5.5) or later"
        ),
    )
}

/// Opens, checks, authenticates, resets and closes Bolt connections for
/// every pool of a driver.
pub(crate) struct BoltManager {
    settings: Arc<ConnectSettings>,
    /// Each server's authorization expiries.
    generations: Mutex<HashMap<Address, AuthGeneration>>,
}

impl fmt::Debug for BoltManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoltManager")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl BoltManager {
    pub(crate) fn new(settings: ConnectSettings) -> Self {
        BoltManager {
            settings: Arc::new(settings),
            generations: Mutex::new(HashMap::new()),
        }
    }

    fn generation(&self, address: &Address) -> AuthGeneration {
        Arc::clone(
            self.generations
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(address.clone())
                .or_default(),
        )
    }
}

impl Manage for BoltManager {
    type Connection = Connection;
    type Auth = AuthSource;

    async fn connect(&self, address: &Address, auth: &AuthSource) -> Result<Connection, Error> {
        let credentials = auth.credentials().await?;
        let connection = Connection::open(
            address,
            &self.settings,
            credentials,
            self.generation(address),
        )
        .await?;
        if matches!(auth, AuthSource::Session { .. }) && !connection.supports_reauth() {
            let version = connection.version();
            connection.close().await;
            return Err(user_switching_unsupported(version));
        }
        Ok(connection)
    }

    async fn prepare(
        &self,
        connection: &mut Connection,
        auth: &AuthSource,
    ) -> Result<Prepared, Error> {
        let session = matches!(auth, AuthSource::Session { .. });
        if session && !connection.supports_reauth() {
            return Err(user_switching_unsupported(connection.version()));
        }
        if let AuthSource::Manager(manager) = auth
            && let Some(token) = manager.fixed_token()
            && connection.credentials().token == *token
            && !connection.authorization_expired()
        {
            // Logged on with the token that never changes: nothing to ask.
            if !connection.credentials().is_from(manager) {
                connection.adopt(Credentials {
                    token: token.clone(),
                    manager: Some(Arc::clone(manager)),
                });
            }
            return Ok(Prepared::Ready);
        }
        let credentials = auth.credentials().await?;
        let verify = matches!(auth, AuthSource::Session { verify: true, .. });
        let same = connection.credentials().token == credentials.token;
        if same && !verify && !connection.authorization_expired() {
            // Failures are now told to this acquisition's manager, if any.
            connection.adopt(credentials);
            return Ok(Prepared::Ready);
        }
        if !connection.supports_reauth() {
            // A server before Bolt 5.1 authenticates in HELLO only.
            return Ok(Prepared::Replace);
        }
        if verify {
            // The server must judge the credentials now.
            connection.reauthenticate(credentials).await?;
        } else {
            connection.reauthenticate_pipelined(credentials)?;
        }
        Ok(Prepared::Ready)
    }

    fn health(&self, connection: &Connection) -> Health {
        if connection.is_defunct() || connection.closed_by_server() {
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

impl Discover for BoltManager {
    async fn fetch_table(
        &self,
        connection: &mut Connection,
        request: RouteRequest<'_>,
    ) -> Result<neo_bolt::message::RoutingTable, Error> {
        let route = Request::Route(Route {
            routing: Cow::Borrowed(request.context),
            bookmarks: Cow::Borrowed(request.bookmarks),
            db: request.database.map(Cow::Borrowed),
            imp_user: request.impersonated_user.map(Cow::Borrowed),
        });
        let answer = connection.call(&route).await?;
        answer.routing_table().map_err(|error| {
            Error::new(
                ErrorKind::Protocol,
                format!(
                    "{} sent a malformed routing table",
                    connection.server().address
                ),
            )
            .with_source(error)
        })
    }
}
