//! Driver configuration.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use std::sync::Arc;

use neo_bolt::message::NotificationFilter;

use crate::client_certificate::{
    ClientCertificate, ClientCertificateProvider, RotatingClientCertificateProvider,
};
use crate::clock::{Clock, SystemClock};
use crate::error::Error;
use crate::resolver::{HostNameResolver, ServerAddressResolver};
use crate::result::PrefetchWatermarks;
use crate::retry::RetryPolicy;

/// Fetch everything in one batch (`PULL {n: -1}`).
pub const FETCH_ALL: i64 = -1;

/// Which certificates a TLS connection trusts.
#[derive(Clone, PartialEq, Eq)]
pub enum TrustStrategy {
    /// The platform's trusted root certificates (the default for `+s`).
    SystemRoots,
    /// Only certificates signed by these CA certificates (PEM files).
    CustomCa(Vec<PathBuf>),
    /// Any certificate at all, as `+ssc` schemes do: encrypts but does not
    /// authenticate the server.
    TrustAll,
}

impl fmt::Debug for TrustStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrustStrategy::SystemRoots => f.write_str("SystemRoots"),
            TrustStrategy::CustomCa(paths) => f.debug_tuple("CustomCa").field(paths).finish(),
            TrustStrategy::TrustAll => f.write_str("TrustAll"),
        }
    }
}

/// A client certificate provider in a configuration.
#[derive(Clone)]
struct CertificateSource(Arc<dyn ClientCertificateProvider>);

impl fmt::Debug for CertificateSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientCertificateProvider")
    }
}

/// A resolver in a configuration (shown by kind only).
#[derive(Clone)]
struct Resolvers {
    servers: Option<Arc<dyn ServerAddressResolver>>,
    host_names: Option<Arc<dyn HostNameResolver>>,
}

impl fmt::Debug for Resolvers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolvers")
            .field("servers", &self.servers.is_some())
            .field("host_names", &self.host_names.is_some())
            .finish()
    }
}

/// How a [`Driver`](crate) connects, pools and retries.
///
/// Every setting has the default of the official drivers; change only what
/// you need. Settings are checked when the driver is built, and a bad one is
/// an [`InvalidConfiguration`](crate::ErrorKind::InvalidConfiguration) error
/// naming it.
///
/// ```
/// use std::time::Duration;
/// use neo_runtime::DriverConfig;
///
/// let config = DriverConfig::default()
///     .with_max_connection_pool_size(20)
///     .with_fetch_size(500)
///     .with_connection_acquisition_timeout(Duration::from_secs(5));
/// config.validate()?;
/// assert_eq!(config.fetch_size(), 500);
/// # Ok::<(), neo_runtime::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct DriverConfig {
    max_connection_pool_size: usize,
    connection_acquisition_timeout: Duration,
    connection_timeout: Duration,
    max_connection_lifetime: Duration,
    liveness_check_timeout: Option<Duration>,
    fetch_size: i64,
    prefetch_watermarks: Option<PrefetchWatermarks>,
    pipelined_begin: bool,
    retry_policy: RetryPolicy,
    user_agent: String,
    trust: Option<TrustStrategy>,
    keep_alive: bool,
    telemetry_disabled: bool,
    receive_timeout: Option<Duration>,
    notification_filter: NotificationFilter,
    client_certificate: Option<CertificateSource>,
    default_database: Option<String>,
    resolvers: Resolvers,
    clock: Arc<dyn Clock>,
}

impl Default for DriverConfig {
    fn default() -> Self {
        DriverConfig {
            max_connection_pool_size: 100,
            connection_acquisition_timeout: Duration::from_secs(60),
            connection_timeout: Duration::from_secs(30),
            max_connection_lifetime: Duration::from_secs(3600),
            liveness_check_timeout: None,
            fetch_size: 1000,
            prefetch_watermarks: None,
            pipelined_begin: false,
            retry_policy: RetryPolicy::default(),
            user_agent: concat!("neo-runtime/", env!("CARGO_PKG_VERSION")).to_owned(),
            trust: None,
            keep_alive: true,
            telemetry_disabled: false,
            receive_timeout: Some(Duration::from_secs(300)),
            notification_filter: NotificationFilter::default(),
            client_certificate: None,
            default_database: None,
            resolvers: Resolvers {
                servers: None,
                host_names: None,
            },
            clock: Arc::new(SystemClock),
        }
    }
}

impl DriverConfig {
    /// The most connections kept open to one server (default 100).
    pub fn with_max_connection_pool_size(mut self, size: usize) -> Self {
        self.max_connection_pool_size = size;
        self
    }

    /// How long one connection acquisition may take before failing with
    /// [`ConnectionAcquisitionTimeout`](crate::ErrorKind::ConnectionAcquisitionTimeout)
    /// (default 60 s): waiting for a server's pool to have room, checking
    /// an idle connection, or opening a new one (TCP, the version handshake
    /// and authentication). With routing, the connection to a router and
    /// the one to the server that runs the work are acquired separately,
    /// each within this bound, as the official drivers do; waiting for a
    /// router's answer is bounded by the
    /// [receive timeout](Self::with_receive_timeout).
    pub fn with_connection_acquisition_timeout(mut self, timeout: Duration) -> Self {
        self.connection_acquisition_timeout = timeout;
        self
    }

    /// How long establishing one TCP (and TLS) connection may take
    /// (default 30 s).
    pub fn with_connection_timeout(mut self, timeout: Duration) -> Self {
        self.connection_timeout = timeout;
        self
    }

    /// Connections older than this are closed instead of reused (default 1 h).
    pub fn with_max_connection_lifetime(mut self, lifetime: Duration) -> Self {
        self.max_connection_lifetime = lifetime;
        self
    }

    /// Connections idle longer than this are checked with a round trip before
    /// use (default: never; zero checks every time).
    pub fn with_liveness_check_timeout(mut self, idle: Option<Duration>) -> Self {
        self.liveness_check_timeout = idle;
        self
    }

    /// Records fetched per batch (default 1000; [`FETCH_ALL`] for everything
    /// at once).
    pub fn with_fetch_size(mut self, fetch_size: i64) -> Self {
        self.fetch_size = fetch_size;
        self
    }

    /// When results ask for their next batch ahead of the reader (default:
    /// [`PrefetchWatermarks::for_fetch_size`] of the fetch size in use).
    ///
    /// ```
    /// use neo_runtime::{DriverConfig, PrefetchWatermarks};
    ///
    /// let config = DriverConfig::default().with_prefetch_watermarks(PrefetchWatermarks::ON_DEMAND);
    /// assert_eq!(config.prefetch_watermarks(), Some(PrefetchWatermarks::ON_DEMAND));
    /// ```
    pub fn with_prefetch_watermarks(mut self, watermarks: PrefetchWatermarks) -> Self {
        self.prefetch_watermarks = Some(watermarks);
        self
    }

    /// Whether transaction functions send BEGIN with their first query
    /// instead of waiting for its answer before their work runs (default
    /// `false`, as the official drivers): one round trip less per
    /// transaction. A failure to begin (an unknown database, a leader that
    /// moved) is then the error of the work's first query, and is retried
    /// as any other; the work may have started before the server accepted
    /// the transaction, which transaction functions, being retried, must
    /// allow anyway. Explicit transactions always begin eagerly.
    ///
    /// ```
    /// use neo_runtime::DriverConfig;
    ///
    /// let config = DriverConfig::default().with_pipelined_begin(true);
    /// assert!(config.pipelined_begin());
    /// ```
    pub fn with_pipelined_begin(mut self, pipelined: bool) -> Self {
        self.pipelined_begin = pipelined;
        self
    }

    /// How long managed transactions keep retrying (default 30 s).
    pub fn with_max_transaction_retry_time(mut self, time: Duration) -> Self {
        self.retry_policy = self.retry_policy.with_max_retry_time(time);
        self
    }

    /// The whole retry policy of managed transactions.
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// The application's `name/version`, sent to the server.
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Turns TLS on with this trust strategy, for `bolt` and `neo4j` URIs
    /// (the `+s` and `+ssc` schemes set it themselves and reject this).
    pub fn with_trust(mut self, trust: TrustStrategy) -> Self {
        self.trust = Some(trust);
        self
    }

    /// Presents this client certificate to servers that ask for one
    /// (mutual TLS). The connection must be encrypted (a `+s` or `+ssc`
    /// scheme, or [`with_trust`](Self::with_trust)).
    ///
    /// ```no_run
    /// use neo_runtime::{AuthToken, ClientCertificate, Driver, DriverConfig};
    ///
    /// # fn example() -> neo_runtime::Result<()> {
    /// let config = DriverConfig::default()
    ///     .with_client_certificate(ClientCertificate::new("client.pem", "client.key"));
    /// let driver = Driver::with_config("neo4j+s://db.example.com", AuthToken::None, config)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_client_certificate(self, certificate: ClientCertificate) -> Self {
        self.with_client_certificate_provider(Arc::new(RotatingClientCertificateProvider::new(
            certificate,
        )))
    }

    /// Presents the client certificate of a provider, asked before each
    /// new connection, so that a certificate can be rotated while the
    /// driver runs (see [`RotatingClientCertificateProvider`]).
    pub fn with_client_certificate_provider(
        mut self,
        provider: Arc<dyn ClientCertificateProvider>,
    ) -> Self {
        self.client_certificate = Some(CertificateSource(provider));
        self
    }

    /// TCP keep-alive on driver connections (default on).
    pub fn with_keep_alive(mut self, keep_alive: bool) -> Self {
        self.keep_alive = keep_alive;
        self
    }

    /// The longest the driver waits for the server to send (or accept)
    /// anything on a connection once it is open (default 300 s): a server
    /// silent longer than that is considered gone, the connection is
    /// discarded and the operation fails with
    /// [`ErrorKind::ServiceUnavailable`](crate::ErrorKind::ServiceUnavailable)
    /// (retried by transaction functions). The server's
    /// `connection.recv_timeout_seconds` hint applies instead when it is
    /// shorter. `None` waits as long as the operating system keeps the
    /// connection open.
    ///
    /// It bounds every wait on the network after the connection is open:
    /// a query's first record and each later batch, COMMIT, the RESET that
    /// cleans a connection returned to the pool, and closing a session.
    /// Raise it for queries that compute longer than that before their
    /// first record.
    ///
    /// ```
    /// use std::time::Duration;
    /// use neo_runtime::DriverConfig;
    ///
    /// let config = DriverConfig::default().with_receive_timeout(Some(Duration::from_secs(30)));
    /// assert_eq!(config.receive_timeout(), Some(Duration::from_secs(30)));
    /// ```
    pub fn with_receive_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.receive_timeout = timeout;
        self
    }

    /// Which notifications the server sends in the summaries of every
    /// connection's results (default: what the server is configured to
    /// send): a minimum severity and classifications to leave out, sent in
    /// HELLO. A session's own filter
    /// ([`SessionConfig::with_notification_filter`](crate::SessionConfig::with_notification_filter))
    /// takes precedence for its transactions. Filters need Bolt 5.2
    /// (Neo4j 5.7): on an older server, connecting fails with
    /// [`ErrorKind::UnsupportedFeature`](crate::ErrorKind::UnsupportedFeature).
    ///
    /// ```
    /// use neo_runtime::{DriverConfig, MinimumSeverity, NotificationClassification, NotificationFilter};
    ///
    /// let config = DriverConfig::default().with_notification_filter(
    ///     NotificationFilter::default()
    ///         .with_minimum_severity(MinimumSeverity::Warning)
    ///         .with_disabled_classifications([NotificationClassification::Hint]),
    /// );
    /// assert!(!config.notification_filter().is_server_default());
    /// ```
    pub fn with_notification_filter(mut self, filter: NotificationFilter) -> Self {
        self.notification_filter = filter;
        self
    }

    /// The database of sessions and [`execute_query`](crate::Driver::execute_query)
    /// calls that name none (default: none, so the server picks the user's
    /// home database).
    ///
    /// ```
    /// use neo_runtime::DriverConfig;
    ///
    /// let config = DriverConfig::default().with_default_database("sales");
    /// assert_eq!(config.default_database(), Some("sales"));
    /// ```
    pub fn with_default_database(mut self, database: impl Into<String>) -> Self {
        self.default_database = Some(database.into());
        self
    }

    /// Resolves the address of a `neo4j://` URI into the routers to ask
    /// for a routing table (default: the address itself). The driver asks
    /// it whenever it falls back to the URI's address, that is when no
    /// router it learned from a routing table answers; a `bolt://` driver
    /// does not use it. See [`resolver`](crate::resolver).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use neo_runtime::{Address, DriverConfig};
    ///
    /// let members = |_: &Address| -> Vec<Address> {
    ///     vec![Address::new("core-1", 7687), Address::new("core-2", 7687)]
    /// };
    /// let config = DriverConfig::default().with_resolver(Arc::new(members));
    /// assert!(config.resolver().is_some());
    /// ```
    pub fn with_resolver(mut self, resolver: Arc<dyn ServerAddressResolver>) -> Self {
        self.resolvers.servers = Some(resolver);
        self
    }

    /// Resolves host names to IP addresses instead of the system's DNS
    /// lookup, for every connection (default: the system's). See
    /// [`resolver`](crate::resolver).
    ///
    /// ```
    /// use std::net::{IpAddr, Ipv4Addr};
    /// use std::sync::Arc;
    /// use neo_runtime::DriverConfig;
    ///
    /// let local = |_: &str| -> Vec<IpAddr> { vec![IpAddr::V4(Ipv4Addr::LOCALHOST)] };
    /// let config = DriverConfig::default().with_host_name_resolver(Arc::new(local));
    /// assert!(config.host_name_resolver().is_some());
    /// ```
    pub fn with_host_name_resolver(mut self, resolver: Arc<dyn HostNameResolver>) -> Self {
        self.resolvers.host_names = Some(resolver);
        self
    }

    /// Where the driver reads the time for its timekeeping: connection
    /// ages (liveness checks, maximum lifetime) and routing table expiry
    /// (default: the system's clock). Tests move a clock of their own
    /// forward instead of waiting; see [`clock`](crate::clock).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use neo_runtime::clock::SystemClock;
    /// use neo_runtime::DriverConfig;
    ///
    /// let config = DriverConfig::default().with_clock(Arc::new(SystemClock));
    /// # let _ = config;
    /// ```
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Stops the driver from telling the server which API ran each query.
    pub fn with_telemetry_disabled(mut self, disabled: bool) -> Self {
        self.telemetry_disabled = disabled;
        self
    }

    /// The most connections kept open to one server.
    pub fn max_connection_pool_size(&self) -> usize {
        self.max_connection_pool_size
    }

    /// How long to wait for a pooled connection.
    pub fn connection_acquisition_timeout(&self) -> Duration {
        self.connection_acquisition_timeout
    }

    /// How long establishing one connection may take.
    pub fn connection_timeout(&self) -> Duration {
        self.connection_timeout
    }

    /// The age at which connections are retired.
    pub fn max_connection_lifetime(&self) -> Duration {
        self.max_connection_lifetime
    }

    /// The idle time after which a connection is checked before use.
    pub fn liveness_check_timeout(&self) -> Option<Duration> {
        self.liveness_check_timeout
    }

    /// Records fetched per batch.
    pub fn fetch_size(&self) -> i64 {
        self.fetch_size
    }

    /// The prefetch watermarks set with
    /// [`with_prefetch_watermarks`](Self::with_prefetch_watermarks), if any.
    pub fn prefetch_watermarks(&self) -> Option<PrefetchWatermarks> {
        self.prefetch_watermarks
    }

    /// Whether transaction functions send BEGIN with their first query
    /// (see [`with_pipelined_begin`](Self::with_pipelined_begin)).
    pub fn pipelined_begin(&self) -> bool {
        self.pipelined_begin
    }

    /// The retry policy of managed transactions.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry_policy
    }

    /// The user agent sent to the server.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The explicitly configured trust strategy, if any.
    pub fn trust(&self) -> Option<&TrustStrategy> {
        self.trust.as_ref()
    }

    /// Whether TCP keep-alive is on.
    pub fn keep_alive(&self) -> bool {
        self.keep_alive
    }

    /// Whether telemetry is disabled.
    pub fn telemetry_disabled(&self) -> bool {
        self.telemetry_disabled
    }

    /// The receive timeout, if any.
    pub fn receive_timeout(&self) -> Option<Duration> {
        self.receive_timeout
    }

    /// The client certificate provider, if mutual TLS is configured.
    pub fn client_certificate_provider(&self) -> Option<&Arc<dyn ClientCertificateProvider>> {
        self.client_certificate.as_ref().map(|source| &source.0)
    }

    /// The database of sessions that name none, if set.
    pub fn default_database(&self) -> Option<&str> {
        self.default_database.as_deref()
    }

    /// The resolver of the URI's address, if one is set.
    pub fn resolver(&self) -> Option<&Arc<dyn ServerAddressResolver>> {
        self.resolvers.servers.as_ref()
    }

    /// The host name resolver, if one is set.
    pub fn host_name_resolver(&self) -> Option<&Arc<dyn HostNameResolver>> {
        self.resolvers.host_names.as_ref()
    }

    /// The clock the driver keeps time with.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The notification filter sent in HELLO.
    pub fn notification_filter(&self) -> NotificationFilter {
        self.notification_filter
    }

    /// Checks every setting, naming the first bad one.
    pub fn validate(&self) -> Result<(), Error> {
        if self.max_connection_pool_size == 0 {
            return Err(Error::invalid_config(
                "max_connection_pool_size must be at least 1",
            ));
        }
        if self.fetch_size == 0 || self.fetch_size < FETCH_ALL {
            return Err(Error::invalid_config(format!(
                "fetch_size must be positive, or -1 to fetch everything at once; got {}",
                self.fetch_size
            )));
        }
        if self.connection_timeout.is_zero() {
            return Err(Error::invalid_config("connection_timeout must be positive"));
        }
        if self
            .receive_timeout
            .is_some_and(|timeout| timeout.is_zero())
        {
            return Err(Error::invalid_config(
                "receive_timeout must be positive, or None to wait as long as the connection lives",
            ));
        }
        if self.default_database.as_deref().is_some_and(str::is_empty) {
            return Err(Error::invalid_config(
                "default_database must not be empty; leave it unset for the user's home database",
            ));
        }
        if self.user_agent.trim().is_empty() {
            return Err(Error::invalid_config("user_agent must not be empty"));
        }
        if let Some(TrustStrategy::CustomCa(paths)) = &self.trust
            && paths.is_empty()
        {
            return Err(Error::invalid_config(
                "TrustStrategy::CustomCa needs at least one CA certificate file",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_official_drivers() {
        let config = DriverConfig::default();
        assert_eq!(config.max_connection_pool_size(), 100);
        assert_eq!(
            config.connection_acquisition_timeout(),
            Duration::from_secs(60)
        );
        assert_eq!(config.connection_timeout(), Duration::from_secs(30));
        assert_eq!(config.max_connection_lifetime(), Duration::from_secs(3600));
        assert_eq!(config.liveness_check_timeout(), None);
        assert_eq!(config.fetch_size(), 1000);
        assert_eq!(
            config.retry_policy().max_retry_time(),
            Duration::from_secs(30)
        );
        assert!(config.keep_alive());
        assert_eq!(config.receive_timeout(), Some(Duration::from_secs(300)));
        assert!(config.user_agent().starts_with("neo-runtime/"));
        config.validate().unwrap();
    }

    #[test]
    fn bad_settings_are_named() {
        let cases = [
            (
                DriverConfig::default().with_max_connection_pool_size(0),
                "max_connection_pool_size",
            ),
            (DriverConfig::default().with_fetch_size(0), "fetch_size"),
            (DriverConfig::default().with_fetch_size(-2), "fetch_size"),
            (
                DriverConfig::default().with_connection_timeout(Duration::ZERO),
                "connection_timeout",
            ),
            (DriverConfig::default().with_user_agent(" "), "user_agent"),
            (
                DriverConfig::default().with_default_database(""),
                "default_database",
            ),
            (
                DriverConfig::default().with_receive_timeout(Some(Duration::ZERO)),
                "receive_timeout",
            ),
            (
                DriverConfig::default().with_trust(TrustStrategy::CustomCa(vec![])),
                "CustomCa",
            ),
        ];
        for (config, name) in cases {
            let err = config.validate().unwrap_err();
            assert!(err.is_invalid_configuration());
            assert!(err.to_string().contains(name), "{err}");
        }
        DriverConfig::default()
            .with_fetch_size(FETCH_ALL)
            .validate()
            .unwrap();
    }
}
