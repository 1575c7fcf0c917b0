//! How an [`EmbeddedServer`](super::EmbeddedServer) is set up.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use neo_bolt::BoltVersion;
use neo_bolt::chunk::DEFAULT_MAX_MESSAGE_SIZE;
use neo_bolt::message::AuthToken;

use crate::engine::GraphEngine;

/// Who may connect.
///
/// ```
/// use neo_bolt::message::AuthToken;
/// use neo_embedded::Auth;
///
/// let auth = Auth::basic("neo4j", "password");
/// assert!(auth.accepts_basic("neo4j", "password"));
/// assert!(!auth.accepts_basic("neo4j", "wrong"));
/// assert!(Auth::None.accepts_basic("anyone", "anything"));
///
/// // Any scheme, decided by the caller (here: one bearer token).
/// let auth = Auth::check(|token| *token == AuthToken::bearer("abc"));
/// assert!(auth.accepts(&AuthToken::bearer("abc")));
/// assert!(!auth.accepts(&AuthToken::basic("neo4j", "password")));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// Authentication is off: every token is accepted.
    None,
    /// Basic authentication against a map of user names to passwords.
    Basic(BTreeMap<String, String>),
    /// Every token the check accepts gets in, whatever its scheme (bearer
    /// tokens that expire, rotating passwords, ...).
    Check(TokenCheck),
}

/// A caller's own check of an authentication token, for [`Auth::Check`].
/// Two checks are equal when they are the same closure.
#[derive(Clone)]
pub struct TokenCheck(Arc<dyn Fn(&AuthToken) -> bool + Send + Sync>);

impl PartialEq for TokenCheck {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for TokenCheck {}

impl fmt::Debug for TokenCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenCheck")
    }
}

impl Auth {
    /// Basic authentication with one user.
    pub fn basic(user: impl Into<String>, password: impl Into<String>) -> Self {
        Auth::Basic(BTreeMap::from([(user.into(), password.into())]))
    }

    /// Accepts the tokens `check` accepts.
    pub fn check(check: impl Fn(&AuthToken) -> bool + Send + Sync + 'static) -> Self {
        Auth::Check(TokenCheck(Arc::new(check)))
    }

    /// Whether a token gets in.
    pub fn accepts(&self, token: &AuthToken) -> bool {
        match (self, token) {
            (Auth::None, _) => true,
            (Auth::Check(check), token) => (check.0)(token),
            (
                Auth::Basic(_),
                AuthToken::Basic {
                    principal,
                    credentials,
                    ..
                },
            ) => self.accepts_basic(principal, credentials),
            (Auth::Basic(_), _) => false,
        }
    }

    /// Whether a basic token with this user name and password gets in.
    pub fn accepts_basic(&self, user: &str, password: &str) -> bool {
        match self {
            Auth::None => true,
            Auth::Basic(users) => users.get(user).is_some_and(|p| p == password),
            Auth::Check(_) => self.accepts(&AuthToken::basic(user, password)),
        }
    }
}

impl Default for Auth {
    /// User `neo4j` with password `password`.
    fn default() -> Self {
        Auth::basic("neo4j", "password")
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("Auth::None"),
            Auth::Basic(users) => f
                .debug_tuple("Auth::Basic")
                .field(&users.keys().collect::<Vec<_>>())
                .finish(),
            Auth::Check(check) => f.debug_tuple("Auth::Check").field(check).finish(),
        }
    }
}

/// Settings of an [`EmbeddedServer`](super::EmbeddedServer), built in the
/// builder style.
///
/// By default the server listens on `127.0.0.1:0` (a free port), accepts
/// user `neo4j` with password `password`, speaks every Bolt version up to
/// 5.8, waits up to 5 s for a bookmark, and runs a fresh in-memory
/// [`MarsEngine`](crate::engine::MarsEngine).
///
/// The limits a shared server needs, with their defaults:
///
/// | setting | default | what happens at the limit |
/// |---|---|---|
/// | [`max_connections`](Self::max_connections) | 400 | a new connection is closed at once |
/// | [`max_incoming_memory`](Self::max_incoming_memory) | 128 MiB, all connections together | the connection that would pass it gets `Neo.TransientError.General.MemoryPoolOutOfMemoryError` and is closed |
/// | [`max_message_size`](Self::max_message_size) | 64 MiB per message | the connection is closed |
/// | [`handshake_timeout`](Self::handshake_timeout) | 10 s until the handshake, then until HELLO | the connection is closed |
/// | [`idle_timeout`](Self::idle_timeout) | 1 hour without a request after HELLO | the connection is closed, rolling back its transaction |
/// | [`transaction_timeout`](Self::transaction_timeout) | 10 minutes, for transactions that name no timeout | the transaction is rolled back; its next request fails with `Neo.ClientError.Transaction.TransactionTimedOut` |
/// | [`bookmark_wait_timeout`](Self::bookmark_wait_timeout) | 5 s | `Neo.TransientError.Transaction.BookmarkTimeout` |
///
/// When the operating system runs out of file descriptors, the accept loop
/// backs off (10 ms, doubling up to 1 s) and logs once per episode instead
/// of spinning.
///
/// ```
/// use std::time::Duration;
/// use neo_bolt::BoltVersion;
/// use neo_embedded::{Auth, ServerConfig};
///
/// let config = ServerConfig::new()
///     .auth(Auth::None)
///     .max_bolt_version(BoltVersion::V5_4)
///     .bookmark_wait_timeout(Duration::from_millis(200));
/// assert_eq!(config.max_bolt_version_value(), BoltVersion::V5_4);
/// ```
#[derive(Clone)]
pub struct ServerConfig {
    pub(crate) listen: SocketAddr,
    pub(crate) auth: Auth,
    pub(crate) max_bolt_version: BoltVersion,
    pub(crate) bookmark_wait_timeout: Duration,
    pub(crate) engine: Option<Arc<dyn GraphEngine>>,
    pub(crate) max_message_size: usize,
    pub(crate) handshake_timeout: Duration,
    pub(crate) recv_timeout: Option<Duration>,
    pub(crate) max_connections: usize,
    pub(crate) max_incoming_memory: usize,
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) transaction_timeout: Option<Duration>,
    pub(crate) server_side_routing: bool,
    pub(crate) utc_patch: bool,
}

/// The default of `max_connections`, as Neo4j's default
/// `server.bolt.thread_pool_max_size`.
const DEFAULT_MAX_CONNECTIONS: usize = 400;

/// The default of `max_incoming_memory`: room for two
/// messages of the largest default size.
const DEFAULT_MAX_INCOMING_MEMORY: usize = 128 << 20;

/// The default of `idle_timeout`. The official drivers
/// retire a pooled connection after an hour (`max_connection_lifetime`),
/// so they never reuse one that the server closed for idling.
const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60 * 60);

/// The default of `transaction_timeout`.
const DEFAULT_TRANSACTION_TIMEOUT: Duration = Duration::from_secs(10 * 60);

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig::new()
    }
}

impl fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerConfig")
            .field("listen", &self.listen)
            .field("auth", &self.auth)
            .field("max_bolt_version", &self.max_bolt_version)
            .field("bookmark_wait_timeout", &self.bookmark_wait_timeout)
            .field("custom_engine", &self.engine.is_some())
            .field("max_message_size", &self.max_message_size)
            .field("recv_timeout", &self.recv_timeout)
            .field("handshake_timeout", &self.handshake_timeout)
            .field("max_connections", &self.max_connections)
            .field("max_incoming_memory", &self.max_incoming_memory)
            .field("idle_timeout", &self.idle_timeout)
            .field("transaction_timeout", &self.transaction_timeout)
            .field("server_side_routing", &self.server_side_routing)
            .field("utc_patch", &self.utc_patch)
            .finish()
    }
}

impl ServerConfig {
    /// The default settings.
    pub fn new() -> Self {
        ServerConfig {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            auth: Auth::default(),
            max_bolt_version: BoltVersion::LATEST,
            bookmark_wait_timeout: Duration::from_secs(5),
            engine: None,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            handshake_timeout: Duration::from_secs(10),
            recv_timeout: Some(Duration::from_secs(120)),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_incoming_memory: DEFAULT_MAX_INCOMING_MEMORY,
            idle_timeout: Some(DEFAULT_IDLE_TIMEOUT),
            transaction_timeout: Some(DEFAULT_TRANSACTION_TIMEOUT),
            server_side_routing: false,
            utc_patch: true,
        }
    }

    /// The address to listen on; port 0 picks a free port.
    pub fn listen(mut self, address: SocketAddr) -> Self {
        self.listen = address;
        self
    }

    /// Who may connect.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// The highest Bolt version to speak, like an older Neo4j server (4.4,
    /// 5.0, 5.4, ...). The manifest handshake is offered only from 5.7.
    pub fn max_bolt_version(mut self, version: BoltVersion) -> Self {
        self.max_bolt_version = version;
        self
    }

    /// The highest Bolt version this configuration speaks.
    pub fn max_bolt_version_value(&self) -> BoltVersion {
        self.max_bolt_version
    }

    /// The agent the server names in its HELLO SUCCESS: the first Neo4j
    /// release whose newest Bolt version is the configured maximum, so that
    /// the agent and the versions offered agree (a client that reads
    /// `Neo4j/5.13.0` expects at most Bolt 5.4).
    ///
    /// ```
    /// use neo_bolt::BoltVersion;
    /// use neo_embedded::ServerConfig;
    ///
    /// assert_eq!(ServerConfig::new().agent(), "Neo4j/2025.10.0");
    /// let config = ServerConfig::new().max_bolt_version(BoltVersion::V5_7);
    /// assert_eq!(config.agent(), "Neo4j/5.26.0");
    /// let config = ServerConfig::new().max_bolt_version(BoltVersion::V4_4);
    /// assert_eq!(config.agent(), "Neo4j/4.4.0");
    /// ```
    pub fn agent(&self) -> &'static str {
        agent_for(self.max_bolt_version)
    }

    /// How long BEGIN, an auto-commit RUN or ROUTE waits for a bookmark the
    /// server has not reached before failing with
    /// `Neo.TransientError.Transaction.BookmarkTimeout`.
    pub fn bookmark_wait_timeout(mut self, timeout: Duration) -> Self {
        self.bookmark_wait_timeout = timeout;
        self
    }

    /// The graph engine to serve (by default a new in-memory
    /// [`MarsEngine`](crate::engine::MarsEngine)).
    pub fn engine(mut self, engine: Arc<dyn GraphEngine>) -> Self {
        self.engine = Some(engine);
        self
    }

    /// The largest request body accepted; a connection sending a larger one
    /// is closed (default 64 MiB).
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = bytes;
        self
    }

    /// The `connection.recv_timeout_seconds` hint sent in the HELLO SUCCESS
    /// (whole seconds, at least 1; default 120 s). The server keeps its
    /// promise by writing a NOOP chunk (`00 00`) whenever it has written
    /// nothing for half that time. `None` sends neither hint nor NOOPs.
    pub fn recv_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.recv_timeout = timeout.map(|t| t.max(Duration::from_secs(1)));
        self
    }

    /// Whether the server says it routes on its own (the `ssr.enabled`
    /// hint of Bolt 5.8; default off): a statement sent to it without a
    /// database runs in the user's home database whichever it is, so a
    /// driver may skip resolving the home database first.
    pub fn server_side_routing(mut self, enabled: bool) -> Self {
        self.server_side_routing = enabled;
        self
    }

    /// Whether a Bolt 4.4 connection agrees to the `utc` patch when the
    /// driver asks for it (default yes, as Neo4j 4.4 does): without it,
    /// zoned date-times travel in the legacy wall-clock form, as with
    /// servers older than Neo4j 4.4.
    ///
    /// ```
    /// use neo_embedded::ServerConfig;
    ///
    /// let config = ServerConfig::new().utc_patch(false);
    /// # let _ = config;
    /// ```
    pub fn utc_patch(mut self, agreed: bool) -> Self {
        self.utc_patch = agreed;
        self
    }

    /// How long a new connection may take to send its handshake, and then
    /// its HELLO (default 10 s); a connection that has not is closed.
    pub fn handshake_timeout(mut self, timeout: Duration) -> Self {
        self.handshake_timeout = timeout;
        self
    }

    /// The most connections open at once (default 400). A connection
    /// beyond it is closed as soon as it is accepted, so its client fails
    /// fast instead of waiting.
    ///
    /// ```
    /// use neo_embedded::ServerConfig;
    ///
    /// let config = ServerConfig::new().max_connections(16);
    /// assert_eq!(config.max_connections_value(), 16);
    /// ```
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections;
        self
    }

    /// The most connections open at once.
    pub fn max_connections_value(&self) -> usize {
        self.max_connections
    }

    /// The most memory, in bytes, that all connections together may hold
    /// for incoming messages not yet handled: read buffers with the
    /// unfinished messages in them, and complete messages waiting their
    /// turn (default 128 MiB). A connection that would pass it gets a
    /// FAILURE with `Neo.TransientError.General.MemoryPoolOutOfMemoryError`
    /// (retryable) and is closed; the other connections go on. Keep it at
    /// least [`max_message_size`](Self::max_message_size), or the largest
    /// messages can never arrive.
    ///
    /// ```
    /// use neo_embedded::ServerConfig;
    ///
    /// let config = ServerConfig::new().max_incoming_memory(32 << 20);
    /// assert_eq!(config.max_incoming_memory_value(), 32 << 20);
    /// ```
    pub fn max_incoming_memory(mut self, bytes: usize) -> Self {
        self.max_incoming_memory = bytes;
        self
    }

    /// The memory all connections may hold for incoming messages.
    pub fn max_incoming_memory_value(&self) -> usize {
        self.max_incoming_memory
    }

    /// How long a connection that completed HELLO may send nothing before
    /// it is closed (default 1 hour; `None`: never). An open transaction is
    /// rolled back. Keep it longer than the clients' pooled-connection
    /// lifetime, or they find their idle connections closed.
    ///
    /// ```
    /// use std::time::Duration;
    /// use neo_embedded::ServerConfig;
    ///
    /// let config = ServerConfig::new().idle_timeout(Some(Duration::from_secs(300)));
    /// assert_eq!(config.idle_timeout_value(), Some(Duration::from_secs(300)));
    /// ```
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// How long an authenticated connection may stay silent.
    pub fn idle_timeout_value(&self) -> Option<Duration> {
        self.idle_timeout
    }

    /// The timeout of a transaction whose BEGIN or auto-commit RUN names
    /// none, as Neo4j's `db.transaction.timeout` (default 10 minutes;
    /// `None`: no limit). A client's own `tx_timeout` takes precedence, and
    /// a `tx_timeout` of 0 asks for no limit. When it elapses the
    /// transaction is rolled back, freeing the write lock, and its next
    /// request fails with `Neo.ClientError.Transaction.TransactionTimedOut`
    /// (with a client's timeout:
    /// `Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration`).
    ///
    /// ```
    /// use std::time::Duration;
    /// use neo_embedded::ServerConfig;
    ///
    /// let config = ServerConfig::new().transaction_timeout(Some(Duration::from_secs(30)));
    /// assert_eq!(config.transaction_timeout_value(), Some(Duration::from_secs(30)));
    /// ```
    pub fn transaction_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.transaction_timeout = timeout.filter(|t| !t.is_zero());
        self
    }

    /// The timeout of transactions that name none.
    pub fn transaction_timeout_value(&self) -> Option<Duration> {
        self.transaction_timeout
    }
}

/// The first Neo4j release whose newest Bolt version is `max`.
fn agent_for(max: BoltVersion) -> &'static str {
    const RELEASES: [(BoltVersion, &str); 10] = [
        (BoltVersion::V6_0, "Neo4j/2025.10.0"),
        (BoltVersion::V5_8, "Neo4j/2025.01.0"),
        (BoltVersion::V5_7, "Neo4j/5.26.0"),
        (BoltVersion::V5_6, "Neo4j/5.23.0"),
        (BoltVersion::V5_4, "Neo4j/5.13.0"),
        (BoltVersion::V5_3, "Neo4j/5.9.0"),
        (BoltVersion::V5_2, "Neo4j/5.7.0"),
        (BoltVersion::V5_1, "Neo4j/5.5.0"),
        (BoltVersion::V5_0, "Neo4j/5.0.0"),
        (BoltVersion::V4_4, "Neo4j/4.4.0"),
    ];
    RELEASES
        .iter()
        .find(|(version, _)| max >= *version)
        .map_or("Neo4j/4.3.0", |(_, agent)| agent)
}
