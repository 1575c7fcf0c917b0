//! The Bolt server: accepts connections and serves the graph engine over
//! the same wire protocol as Neo4j (see the crate documentation for how it
//! behaves).

// A failure travels once per failed request, straight into a FAILURE
// message; boxing it would buy nothing.
#![allow(clippy::result_large_err)]

mod accept;
mod admin;
mod bookmarks;
mod budget;
mod cluster;
mod config;
mod connection;
mod controls;
mod message_log;
mod outbox;
mod reader;
mod replication;
mod results;
mod session;
mod transaction;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

pub use cluster::{Cluster, MemberAddress, MemberRole};
pub use config::{Auth, ServerConfig, TokenCheck};
pub use controls::{Answer, Controls, Timing, Trigger};
pub use message_log::ReceivedMessage;

use self::bookmarks::BookmarkClock;
use self::budget::MemoryBudget;
use self::cluster::Membership;
use crate::engine::{GraphEngine, MarsEngine};

/// What every connection of one server shares.
pub(crate) struct ServerState {
    pub(crate) engine: Arc<dyn GraphEngine>,
    pub(crate) clock: Arc<BookmarkClock>,
    pub(crate) config: ServerConfig,
    pub(crate) controls: Controls,
    /// This server's place in a [`Cluster`], if it is a member of one.
    pub(crate) membership: Option<Membership>,
    /// The memory for incoming messages, shared by every connection.
    pub(crate) budget: Arc<MemoryBudget>,
}

/// Counts live connections so that shutdown can wait for them.
#[derive(Debug, Default)]
pub(crate) struct LiveConnections {
    pub(crate) count: AtomicUsize,
    all_closed: Notify,
}

/// Decrements the live count when a connection task ends, however it ends.
pub(crate) struct LiveGuard(pub(crate) Arc<LiveConnections>);

impl Drop for LiveGuard {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.all_closed.notify_waiters();
        }
    }
}

/// A running Bolt server over a graph engine.
///
/// Dropping it stops accepting connections and closes the open ones;
/// [`shutdown`](Self::shutdown) does the same and waits for them to end.
///
/// ```
/// use std::time::Duration;
/// use neo_bolt::{BoltVersion, StatusCode};
/// use neo_embedded::{Auth, EmbeddedServer, ServerConfig, Trigger};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// // A Neo4j 5.13-class server (Bolt 5.4) without authentication, whose
/// // first COMMIT fails with a retryable error.
/// let server = EmbeddedServer::start(
///     ServerConfig::new()
///         .auth(Auth::None)
///         .max_bolt_version(BoltVersion::V5_4)
///         .bookmark_wait_timeout(Duration::from_secs(1)),
/// )?;
/// server.controls().fail(
///     Trigger::on("COMMIT"),
///     1,
///     StatusCode::DEADLOCK_DETECTED,
///     "injected for a retry test",
/// );
/// println!("connect to {}", server.uri());
/// server.shutdown().await;
/// # Ok(())
/// # }
/// ```
pub struct EmbeddedServer {
    address: SocketAddr,
    state: Arc<ServerState>,
    stop: watch::Sender<bool>,
    accept: Option<JoinHandle<()>>,
    live: Arc<LiveConnections>,
}

impl std::fmt::Debug for EmbeddedServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedServer")
            .field("address", &self.address)
            .field("live_connections", &self.live.count.load(Ordering::Relaxed))
            .finish()
    }
}

impl EmbeddedServer {
    /// Binds the configured address and starts serving on the current tokio
    /// runtime (it must be called from inside one).
    ///
    /// Fails when the address cannot be bound, when there is no runtime, or
    /// when the default engine cannot be created.
    pub fn start(config: ServerConfig) -> io::Result<EmbeddedServer> {
        EmbeddedServer::launch(config, Arc::new(BookmarkClock::new()), |_| None)
    }

    /// Starts a cluster member on the cluster's clock; `join` enrols the
    /// bound address.
    pub(crate) fn start_in(
        config: ServerConfig,
        clock: Arc<BookmarkClock>,
        join: impl FnOnce(SocketAddr) -> Membership,
    ) -> io::Result<EmbeddedServer> {
        EmbeddedServer::launch(config, clock, |address| Some(join(address)))
    }

    fn launch(
        config: ServerConfig,
        clock: Arc<BookmarkClock>,
        join: impl FnOnce(SocketAddr) -> Option<Membership>,
    ) -> io::Result<EmbeddedServer> {
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|e| io::Error::other(format!("EmbeddedServer needs a tokio runtime: {e}")))?;
        let engine = match &config.engine {
            Some(engine) => engine.clone(),
            None => Arc::new(MarsEngine::new().map_err(|e| io::Error::other(e.to_string()))?),
        };
        let listener = std::net::TcpListener::bind(config.listen)?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let listener = {
            let _guard = runtime.enter();
            TcpListener::from_std(listener)?
        };
        let membership = join(address);
        let state = Arc::new(ServerState {
            engine,
            clock,
            budget: MemoryBudget::new(config.max_incoming_memory),
            config,
            controls: Controls::default(),
            membership,
        });
        let (stop, stopped) = watch::channel(false);
        let live = Arc::new(LiveConnections::default());
        let accept = runtime.spawn(accept::accept_loop(
            listener,
            state.clone(),
            stopped,
            live.clone(),
        ));
        tracing::info!(%address, "neo-embedded listening");
        Ok(EmbeddedServer {
            address,
            state,
            stop,
            accept: Some(accept),
            live,
        })
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The URI to connect to, such as `bolt://127.0.0.1:7687`.
    pub fn uri(&self) -> String {
        format!("bolt://{}", self.address)
    }

    /// The test controls: message counters and fault injection.
    pub fn controls(&self) -> Controls {
        self.state.controls.clone()
    }

    /// The graph engine being served.
    pub fn engine(&self) -> Arc<dyn GraphEngine> {
        self.state.engine.clone()
    }

    /// How many connections are open.
    pub fn live_connections(&self) -> usize {
        self.live.count.load(Ordering::Acquire)
    }

    /// How many bytes all connections hold right now for incoming messages
    /// not yet handled (bounded by
    /// [`ServerConfig::max_incoming_memory`]).
    pub fn incoming_memory(&self) -> usize {
        self.state.budget.used()
    }

    /// Stops accepting, closes every connection (rolling back open
    /// transactions) and waits up to five seconds for them to end.
    /// A cluster member leaves its cluster first.
    pub async fn shutdown(mut self) {
        self.leave_cluster();
        let _ = self.stop.send(true);
        if let Some(accept) = self.accept.take() {
            let _ = accept.await;
        }
        let live = self.live.clone();
        let _ = tokio::time::timeout(Duration::from_secs(5), async move {
            loop {
                let closed = live.all_closed.notified();
                if live.count.load(Ordering::Acquire) == 0 {
                    return;
                }
                closed.await;
            }
        })
        .await;
    }
}

impl EmbeddedServer {
    /// A receiver that changes when the server stops.
    pub(crate) fn stop_signal(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }

    fn leave_cluster(&self) {
        if let Some(membership) = &self.state.membership {
            membership.cluster.leave(membership.address);
        }
    }
}

impl Drop for EmbeddedServer {
    fn drop(&mut self) {
        self.leave_cluster();
        let _ = self.stop.send(true);
    }
}
