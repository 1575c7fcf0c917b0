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

use super::bolt::{BoltManager, ConnectSettings};
use super::net::TlsSettings;
use super::pool::{Liveness, Pool, PoolMetrics, PoolSettings, Pooled};
use super::routing::{Refresh, Router, Target};
use crate::address::Address;
use crate::config::DriverConfig;
use crate::error::{Error, ErrorKind};
use crate::uri::ConnectionUri;

use std::sync::Arc;

/// A connection on loan from a pool.
pub(crate) type PooledConnection = Pooled<BoltManager>;

/// Hands out connections for a target, and learns from failures.
pub(crate) enum Connector {
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
        auth: AuthToken,
        config: &DriverConfig,
    ) -> Result<Self, Error> {
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
        let manager = Arc::new(BoltManager::new(ConnectSettings {
            user_agent: config.user_agent().to_owned(),
            auth,
            connect_timeout: config.connection_timeout(),
            receive_timeout: config.receive_timeout(),
            keep_alive: config.keep_alive(),
            tls,
            routing_context: routing_context.clone(),
            handshake: ClientHandshake::new(),
        }));
        let pool_settings = PoolSettings {
            max_size: config.max_connection_pool_size(),
            acquisition_timeout: config.connection_acquisition_timeout(),
            max_lifetime: config.max_connection_lifetime(),
            liveness_check_timeout: config.liveness_check_timeout(),
        };
        Ok(match routing_context {
            Some(context) => Connector::Routed(Box::new(Router::new(
                uri.address().clone(),
                context,
                manager,
                pool_settings,
            ))),
            None => Connector::Direct(Pool::new(manager, uri.address().clone(), pool_settings)),
        })
    }

    /// Whether connections are routed (`neo4j://`).
    pub(crate) fn routes(&self) -> bool {
        matches!(self, Connector::Routed(_))
    }

    /// A connection for a transaction of `target`'s mode and database and,
    /// with routing, the database it serves (for a target naming none, the
    /// home database the cluster resolved).
    pub(crate) async fn acquire(
        &self,
        target: &Target<'_>,
    ) -> Result<(PooledConnection, Option<String>), Error> {
        let acquired = match self {
            Connector::Direct(pool) => pool.acquire().await.map(|c| (c, None)),
            Connector::Routed(router) => router.acquire(target).await,
        };
        acquired.inspect_err(|error| {
            if error.kind() == ErrorKind::ConnectionAcquisitionTimeout {
                tracing::warn!(%error, "connection pool exhausted");
            }
        })
    }

    /// A connection that proves the server answers: an idle one is checked
    /// with a round trip, and with routing the table is fetched anew
    /// (`verify_connectivity`, `server_info`).
    pub(crate) async fn acquire_verified(
        &self,
        target: &Target<'_>,
    ) -> Result<PooledConnection, Error> {
        match self {
            Connector::Direct(pool) => pool.acquire_with(Liveness::Always).await,
            Connector::Routed(router) => router
                .acquire_with(target, Refresh::Now, Liveness::Always)
                .await
                .map(|(connection, _)| connection),
        }
    }

    /// Learns from a failure on a connection to `address`: with routing, a
    /// server that is gone is forgotten, and one that no longer leads is
    /// forgotten as a writer, so that the next attempt goes elsewhere.
    pub(crate) fn on_failure(&self, address: &Address, error: &Error) {
        let Connector::Routed(router) = self else {
            return;
        };
        match Verdict::of(error) {
            Verdict::Unreachable => router.forget(address),
            Verdict::NotALeader => router.forget_writer(address),
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
        match self {
            Connector::Direct(_) => true,
            Connector::Routed(router) => router.serves(database, mode, address),
        }
    }

    /// What the pools hold now, added up.
    pub(crate) fn metrics(&self) -> PoolMetrics {
        match self {
            Connector::Direct(pool) => pool.metrics(),
            Connector::Routed(router) => router.metrics(),
        }
    }

    /// Closes every idle connection and refuses further acquisitions.
    pub(crate) async fn close(&self) {
        match self {
            Connector::Direct(pool) => pool.close().await,
            Connector::Routed(router) => router.close().await,
        }
    }
}
