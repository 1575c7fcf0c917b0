//! The Bolt server: accepts connections and serves the graph engine over
//! the same wire protocol as Neo4j.
//!
//! [`EmbeddedServer::start`] binds a port and serves on the current tokio
//! runtime; clients connect to [`EmbeddedServer::uri`]. It speaks Bolt 4.4
//! and 5.0 to 5.8 (with the manifest handshake from 5.7; the highest version
//! is configurable), basic authentication, explicit and auto-commit
//! transactions with several open results, bookmarks, transaction timeouts
//! and ROUTE. [`Controls`] count the messages received and inject faults for
//! tests. A [`Cluster`] starts several servers that act as one Neo4j cluster
//! database: one leader (or more) and followers over a shared graph.
//!
//! How it behaves, in Neo4j's terms:
//!
//! - Every request of a connection runs in order on one task; engine calls
//!   run on tokio's blocking pool, never on a runtime worker. A RESET is
//!   spotted as soon as it is read, and every request queued before it is
//!   answered IGNORED.
//! - A request the current state does not allow, or one that cannot be
//!   decoded, gets `Neo.ClientError.Request.Invalid` and the connection is
//!   closed. A failed HELLO or LOGON closes it too. Any other failure rolls
//!   the open transaction back and leaves the connection FAILED until RESET.
//! - Results are computed when RUN arrives and served in PULL batches; an
//!   auto-commit transaction commits when its result is fully pulled or
//!   discarded, and its bookmark comes in that final SUCCESS.
//! - Bookmarks are `neo-embedded:<n>`, `n` counting the commits that changed
//!   something. A transaction started from a bookmark waits for it.
//! - A `tx_timeout` is enforced by a timer: when it fires the transaction is
//!   rolled back (freeing the write lock) and its next request fails with
//!   `Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration`.
//!
//! ```
//! use neo_embedded::{EmbeddedServer, ServerConfig};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let server = EmbeddedServer::start(ServerConfig::new())?;
//! assert!(server.uri().starts_with("bolt://127.0.0.1:"));
//! assert_eq!(server.controls().received("HELLO"), 0);
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```

// A failure travels once per failed request, straight into a FAILURE
// message; boxing it would buy nothing.
#![allow(clippy::result_large_err)]

mod admin;
mod bookmarks;
mod cluster;
mod config;
mod connection;
mod controls;
mod outbox;
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

use self::bookmarks::BookmarkClock;
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
}

/// Counts live connections so that shutdown can wait for them.
#[derive(Debug, Default)]
struct LiveConnections {
    count: AtomicUsize,
    all_closed: Notify,
}

/// Decrements the live count when a connection task ends, however it ends.
struct LiveGuard(Arc<LiveConnections>);

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
/// use neo_bolt::BoltVersion;
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
///     "Neo.TransientError.Transaction.DeadlockDetected",
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
            config,
            controls: Controls::default(),
            membership,
        });
        let (stop, stopped) = watch::channel(false);
        let live = Arc::new(LiveConnections::default());
        let accept = runtime.spawn(accept_loop(listener, state.clone(), stopped, live.clone()));
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

async fn accept_loop(
    listener: TcpListener,
    state: Arc<ServerState>,
    mut stopped: watch::Receiver<bool>,
    live: Arc<LiveConnections>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.changed() => return,
        };
        match accepted {
            Ok((stream, peer)) => {
                let id = state.controls.count_connection();
                let connection_id = format!("bolt-{id}");
                tracing::debug!(%peer, connection = %connection_id, "accepted");
                live.count.fetch_add(1, Ordering::AcqRel);
                let guard = LiveGuard(live.clone());
                let state = state.clone();
                let stopped = stopped.clone();
                tokio::spawn(async move {
                    let _guard = guard;
                    connection::serve(stream, state, connection_id, stopped).await;
                });
            }
            Err(error) => {
                // Out of file descriptors and the like: wait and go on.
                tracing::warn!(%error, "accept failed");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
}
