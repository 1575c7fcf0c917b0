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
    pub(crate) server_side_routing: bool,
}

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
            .field("server_side_routing", &self.server_side_routing)
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
            server_side_routing: false,
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

    /// How long a new connection may take to send its handshake.
    pub fn handshake_timeout(mut self, timeout: Duration) -> Self {
        self.handshake_timeout = timeout;
        self
    }
}
