//! Authentication beyond a fixed token: auth managers that hand out the
//! token each connection authenticates with, and renew it when the server
//! refuses it or it expires.
//!
//! A driver built with [`Driver::with_auth_manager`] asks its manager for a
//! token every time it takes a connection from its pool. A connection
//! authenticated with another token is switched to the new one (LOGOFF and
//! LOGON, Bolt 5.1+) or, on an older server, replaced by a new connection.
//! When the server refuses a token with a security failure, the manager is
//! told; if it handles the failure (it will hand out a new token), a
//! transaction function or [`Driver::execute_query`] retries the work with
//! the new token.
//!
//! | manager | token | renewed |
//! |---|---|---|
//! | [`StaticAuthManager`] | always the same | never |
//! | [`BasicAuthManager`] | from a callback | after `Neo.ClientError.Security.Unauthorized` |
//! | [`BearerAuthManager`] | from a callback, with an expiry | when it expires, and after `Security.TokenExpired` or `Security.Unauthorized` |
//!
//! ```no_run
//! use std::sync::Arc;
//! use std::time::Duration;
//! use neo_runtime::auth::{BearerAuthManager, ExpiringAuth};
//! use neo_runtime::{AuthToken, Driver, DriverConfig};
//!
//! async fn fetch_sso_token() -> neo_runtime::Result<(String, Duration)> {
//!     // Ask the identity provider.
//!     Ok(("eyJhbGciOi...".to_owned(), Duration::from_secs(3600)))
//! }
//!
//! # fn example() -> neo_runtime::Result<()> {
//! let manager = BearerAuthManager::new(|| async {
//!     let (token, lifetime) = fetch_sso_token().await?;
//!     Ok(ExpiringAuth::new(AuthToken::bearer(token)).expires_in(lifetime))
//! });
//! let driver = Driver::with_auth_manager(
//!     "neo4j://db.example.com",
//!     Arc::new(manager),
//!     DriverConfig::default(),
//! )?;
//! # Ok(())
//! # }
//! ```
//!
//! [`Driver::with_auth_manager`]: crate::Driver::with_auth_manager
//! [`Driver::execute_query`]: crate::Driver::execute_query

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use neo_bolt::message::AuthToken;
use neo_bolt::server_error::{ServerError, StatusCode};
use tokio::sync::Mutex;

use crate::clock::{Clock, SystemClock};
use crate::error::Error;

/// A boxed future that can move between threads: what [`AuthManager`]'s
/// methods return, so that the trait can be used as `dyn AuthManager`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Hands out the token connections authenticate with, and learns when the
/// server refuses one.
///
/// [`StaticAuthManager`], [`BasicAuthManager`] and [`BearerAuthManager`]
/// cover the usual needs; implement the trait for anything else (the
/// methods return boxed futures, so that a manager may await, and the
/// driver can hold any manager as `Arc<dyn AuthManager>`).
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use neo_runtime::auth::{AuthManager, BoxFuture};
/// use neo_runtime::{AuthToken, Error, ServerError};
///
/// /// Cycles through a list of accounts, one step per refused token.
/// struct Rotating {
///     accounts: Vec<AuthToken>,
///     current: AtomicUsize,
/// }
///
/// impl AuthManager for Rotating {
///     fn get_auth(&self) -> BoxFuture<'_, Result<AuthToken, Error>> {
///         let index = self.current.load(Ordering::Acquire) % self.accounts.len();
///         let token = self.accounts[index].clone();
///         Box::pin(async move { Ok(token) })
///     }
///
///     fn handle_security_error<'a>(
///         &'a self,
///         _auth: &'a AuthToken,
///         error: &'a ServerError,
///     ) -> BoxFuture<'a, bool> {
///         let refused = error.code() == "Neo.ClientError.Security.Unauthorized";
///         if refused {
///             self.current.fetch_add(1, Ordering::AcqRel);
///         }
///         Box::pin(async move { refused })
///     }
/// }
/// ```
pub trait AuthManager: Send + Sync {
    /// The token to authenticate with. Called every time the driver takes
    /// a connection from its pool, and before each unit of work on the
    /// connection a session keeps (so it should be quick: cache the
    /// token). A connection holding another token logs on again.
    fn get_auth(&self) -> BoxFuture<'_, Result<AuthToken, Error>>;

    /// Told that the server answered a security failure
    /// (`Neo.ClientError.Security.*`) on a connection authenticated with
    /// `auth`. Returning `true` says the manager handled it: the next
    /// [`get_auth`](Self::get_auth) gives a token that may work, so the
    /// failure becomes retryable.
    fn handle_security_error<'a>(
        &'a self,
        auth: &'a AuthToken,
        error: &'a ServerError,
    ) -> BoxFuture<'a, bool>;

    /// The token, when it never changes (default: `None`). A connection
    /// already logged on with it is then handed out without asking
    /// [`get_auth`](Self::get_auth), which saves a call and a copy of the
    /// token per unit of work.
    ///
    /// ```
    /// use neo_runtime::auth::{AuthManager, StaticAuthManager};
    /// use neo_runtime::AuthToken;
    ///
    /// let manager = StaticAuthManager::new(AuthToken::basic("neo4j", "password"));
    /// assert_eq!(manager.fixed_token(), Some(&AuthToken::basic("neo4j", "password")));
    /// ```
    fn fixed_token(&self) -> Option<&AuthToken> {
        None
    }
}

/// The manager of a token that never changes (what
/// [`Driver::new`](crate::Driver::new) uses): it handles no failure.
///
/// ```
/// use neo_runtime::auth::{AuthManager, StaticAuthManager};
/// use neo_runtime::AuthToken;
///
/// # async fn example() -> neo_runtime::Result<()> {
/// let manager = StaticAuthManager::new(AuthToken::basic("neo4j", "password"));
/// assert_eq!(manager.get_auth().await?, AuthToken::basic("neo4j", "password"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct StaticAuthManager {
    token: AuthToken,
}

impl StaticAuthManager {
    /// A manager that always hands out `token`.
    pub fn new(token: AuthToken) -> Self {
        StaticAuthManager { token }
    }
}

impl fmt::Debug for StaticAuthManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticAuthManager")
            .field("token", &self.token)
            .finish()
    }
}

impl AuthManager for StaticAuthManager {
    fn get_auth(&self) -> BoxFuture<'_, Result<AuthToken, Error>> {
        let token = self.token.clone();
        Box::pin(async move { Ok(token) })
    }

    fn handle_security_error<'a>(
        &'a self,
        _auth: &'a AuthToken,
        _error: &'a ServerError,
    ) -> BoxFuture<'a, bool> {
        Box::pin(async { false })
    }

    fn fixed_token(&self) -> Option<&AuthToken> {
        Some(&self.token)
    }
}

/// A token and when it stops being valid, as a [`BearerAuthManager`]'s
/// callback returns it.
///
/// ```
/// use std::time::Duration;
/// use neo_runtime::auth::ExpiringAuth;
/// use neo_runtime::AuthToken;
///
/// let auth = ExpiringAuth::new(AuthToken::bearer("abc")).expires_in(Duration::from_secs(60));
/// assert!(!auth.is_expired());
/// let never = ExpiringAuth::new(AuthToken::bearer("abc"));
/// assert_eq!(never.expires_at(), None);
/// // From a JWT's `exp` claim (seconds since the epoch):
/// let exp = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
/// assert!(ExpiringAuth::new(AuthToken::bearer("old")).valid_until(exp).is_expired());
/// ```
#[derive(Clone, PartialEq)]
pub struct ExpiringAuth {
    token: AuthToken,
    expires_at: Option<SystemTime>,
}

impl ExpiringAuth {
    /// A token that does not expire (until the server says so).
    pub fn new(token: AuthToken) -> Self {
        ExpiringAuth {
            token,
            expires_at: None,
        }
    }

    /// The token expires at this time (a JWT's `exp`, say).
    pub fn valid_until(mut self, at: SystemTime) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// The token expires this long from now (a lifetime beyond what the
    /// clock can represent means never).
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_at = SystemTime::now().checked_add(lifetime);
        self
    }

    /// The token.
    pub fn token(&self) -> &AuthToken {
        &self.token
    }

    /// When the token expires, if it does.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// Whether the token has expired.
    pub fn is_expired(&self) -> bool {
        self.expires_within(Duration::ZERO, SystemTime::now())
    }

    /// Whether the token expires within `margin` from `now`.
    fn expires_within(&self, margin: Duration, now: SystemTime) -> bool {
        self.expires_at.is_some_and(|at| {
            now.checked_add(margin)
                .is_none_or(|deadline| deadline >= at)
        })
    }
}

impl fmt::Debug for ExpiringAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExpiringAuth")
            .field("token", &self.token)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A callback producing a token, boxed.
type Provider<T> = Box<dyn Fn() -> BoxFuture<'static, Result<T, Error>> + Send + Sync>;

/// The token cache shared by [`BasicAuthManager`] and [`BearerAuthManager`]:
/// the current token, renewed through the provider when it is missing or
/// expires, and dropped when the server refuses it with one of the codes
/// the manager handles.
struct Renewing {
    provider: Provider<ExpiringAuth>,
    handled: &'static [StatusCode],
    /// The token being handed out; `None` until first asked, or after it
    /// was refused. Renewals are serialized, so the provider is called once
    /// however many connections wait.
    current: Mutex<Option<ExpiringAuth>>,
    /// Renew this long before the token expires.
    margin: Duration,
    /// Tells the time for expiry.
    clock: Arc<dyn Clock>,
}

impl Renewing {
    async fn get_auth(&self) -> Result<AuthToken, Error> {
        let mut current = self.current.lock().await;
        if let Some(auth) = current
            .as_ref()
            .filter(|auth| !auth.expires_within(self.margin, self.clock.system_now()))
        {
            return Ok(auth.token.clone());
        }
        let fresh = (self.provider)().await?;
        tracing::debug!(expires_at = ?fresh.expires_at, "auth token renewed");
        let token = fresh.token.clone();
        *current = Some(fresh);
        Ok(token)
    }

    async fn handle_security_error(&self, auth: &AuthToken, error: &ServerError) -> bool {
        if !self.handled.iter().any(|code| error.code() == *code) {
            return false;
        }
        let mut current = self.current.lock().await;
        // Only the token the server refused is dropped: a newer one stays.
        if current.as_ref().is_some_and(|held| held.token == *auth) {
            *current = None;
        }
        true
    }
}

/// A manager for user name and password: the token comes from a callback,
/// called again after the server answers
/// `Neo.ClientError.Security.Unauthorized` (the password was changed), so
/// that a retried transaction function uses the new password.
///
/// ```no_run
/// use std::sync::Arc;
/// use neo_runtime::auth::BasicAuthManager;
/// use neo_runtime::{AuthToken, Driver, DriverConfig};
///
/// async fn read_password_from_vault() -> neo_runtime::Result<String> {
///     Ok("s3cret".to_owned())
/// }
///
/// # fn example() -> neo_runtime::Result<()> {
/// let manager = BasicAuthManager::new(|| async {
///     Ok(AuthToken::basic("neo4j", read_password_from_vault().await?))
/// });
/// let driver = Driver::with_auth_manager("neo4j://localhost", Arc::new(manager), DriverConfig::default())?;
/// # Ok(())
/// # }
/// ```
pub struct BasicAuthManager {
    inner: Renewing,
}

impl BasicAuthManager {
    /// A manager whose tokens come from `provider`.
    pub fn new<F, Fut>(provider: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<AuthToken, Error>> + Send + 'static,
    {
        let provider: Provider<ExpiringAuth> = Box::new(move || {
            let token = provider();
            Box::pin(async move { token.await.map(ExpiringAuth::new) })
        });
        BasicAuthManager {
            inner: Renewing {
                provider,
                handled: &[StatusCode::UNAUTHORIZED],
                current: Mutex::new(None),
                margin: Duration::ZERO,
                clock: Arc::new(SystemClock),
            },
        }
    }
}

impl fmt::Debug for BasicAuthManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuthManager").finish_non_exhaustive()
    }
}

impl AuthManager for BasicAuthManager {
    fn get_auth(&self) -> BoxFuture<'_, Result<AuthToken, Error>> {
        Box::pin(self.inner.get_auth())
    }

    fn handle_security_error<'a>(
        &'a self,
        auth: &'a AuthToken,
        error: &'a ServerError,
    ) -> BoxFuture<'a, bool> {
        Box::pin(self.inner.handle_security_error(auth, error))
    }
}

/// A manager for tokens that expire, such as single sign-on bearer
/// tokens: the callback returns a token with its expiry
/// ([`ExpiringAuth`]); it is called again when the token has expired (or
/// is about to, see [`with_refresh_margin`](Self::with_refresh_margin)),
/// and after the server answers `Neo.ClientError.Security.TokenExpired` or
/// `Security.Unauthorized`, which then make transaction functions retry
/// with the new token.
///
/// See the [module documentation](self) for an example.
pub struct BearerAuthManager {
    inner: Renewing,
}

impl BearerAuthManager {
    /// A manager whose tokens come from `provider`.
    pub fn new<F, Fut>(provider: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<ExpiringAuth, Error>> + Send + 'static,
    {
        let provider: Provider<ExpiringAuth> = Box::new(move || Box::pin(provider()));
        BearerAuthManager {
            inner: Renewing {
                provider,
                handled: &[StatusCode::TOKEN_EXPIRED, StatusCode::UNAUTHORIZED],
                current: Mutex::new(None),
                margin: Duration::ZERO,
                clock: Arc::new(SystemClock),
            },
        }
    }

    /// Renews a token this long before it expires (default: once it has
    /// expired), so that no connection authenticates with a token about to
    /// lapse.
    ///
    /// ```
    /// use std::time::Duration;
    /// use neo_runtime::auth::{BearerAuthManager, ExpiringAuth};
    /// use neo_runtime::AuthToken;
    ///
    /// let manager = BearerAuthManager::new(|| async {
    ///     Ok(ExpiringAuth::new(AuthToken::bearer("t")).expires_in(Duration::from_secs(300)))
    /// })
    /// .with_refresh_margin(Duration::from_secs(30));
    /// ```
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.inner.margin = margin;
        self
    }

    /// Reads the time from `clock` to tell whether a token has expired
    /// (default: the system's clock); tests move a clock of their own
    /// forward instead of waiting for a token to lapse (see
    /// [`clock`](crate::clock)).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use neo_runtime::auth::{BearerAuthManager, ExpiringAuth};
    /// use neo_runtime::clock::SystemClock;
    /// use neo_runtime::AuthToken;
    ///
    /// let manager = BearerAuthManager::new(|| async {
    ///     Ok(ExpiringAuth::new(AuthToken::bearer("token")))
    /// })
    /// .with_clock(Arc::new(SystemClock));
    /// ```
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.inner.clock = clock;
        self
    }
}

impl fmt::Debug for BearerAuthManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerAuthManager").finish_non_exhaustive()
    }
}

impl AuthManager for BearerAuthManager {
    fn get_auth(&self) -> BoxFuture<'_, Result<AuthToken, Error>> {
        Box::pin(self.inner.get_auth())
    }

    fn handle_security_error<'a>(
        &'a self,
        auth: &'a AuthToken,
        error: &'a ServerError,
    ) -> BoxFuture<'a, bool> {
        Box::pin(self.inner.handle_security_error(auth, error))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn counting_bearer(lifetime: Duration) -> (BearerAuthManager, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let manager = BearerAuthManager::new(move || {
            let n = counter.fetch_add(1, Ordering::AcqRel);
            async move {
                Ok(ExpiringAuth::new(AuthToken::bearer(format!("token-{n}"))).expires_in(lifetime))
            }
        });
        (manager, calls)
    }

    #[tokio::test]
    async fn a_bearer_token_is_reused_until_it_expires() {
        let (manager, calls) = counting_bearer(Duration::from_millis(100));
        assert_eq!(
            manager.get_auth().await.unwrap(),
            AuthToken::bearer("token-0")
        );
        assert_eq!(
            manager.get_auth().await.unwrap(),
            AuthToken::bearer("token-0")
        );
        assert_eq!(calls.load(Ordering::Acquire), 1);
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert_eq!(
            manager.get_auth().await.unwrap(),
            AuthToken::bearer("token-1")
        );
    }

    #[tokio::test]
    async fn a_refresh_margin_renews_before_expiry() {
        let (manager, calls) = counting_bearer(Duration::from_secs(60));
        let manager = manager.with_refresh_margin(Duration::from_secs(61));
        manager.get_auth().await.unwrap();
        manager.get_auth().await.unwrap();
        assert_eq!(calls.load(Ordering::Acquire), 2, "always within the margin");
    }

    #[tokio::test]
    async fn a_refused_token_is_dropped_and_the_failure_handled() {
        let (manager, calls) = counting_bearer(Duration::from_secs(60));
        let first = manager.get_auth().await.unwrap();
        let expired = ServerError::new(StatusCode::TOKEN_EXPIRED, "Token expired");
        assert!(manager.handle_security_error(&first, &expired).await);
        let second = manager.get_auth().await.unwrap();
        assert_ne!(first, second);
        // A late report about the old token keeps the new one.
        assert!(manager.handle_security_error(&first, &expired).await);
        assert_eq!(manager.get_auth().await.unwrap(), second);
        assert_eq!(calls.load(Ordering::Acquire), 2);
        // Failures the manager does not handle change nothing.
        let other = ServerError::new(StatusCode::FORBIDDEN, "no");
        assert!(!manager.handle_security_error(&second, &other).await);
        assert_eq!(manager.get_auth().await.unwrap(), second);
    }

    #[tokio::test]
    async fn a_basic_manager_asks_again_after_unauthorized_only() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let manager = BasicAuthManager::new(move || {
            let n = counter.fetch_add(1, Ordering::AcqRel);
            async move { Ok(AuthToken::basic("neo4j", format!("pw{n}"))) }
        });
        let first = manager.get_auth().await.unwrap();
        let expired = ServerError::new(StatusCode::TOKEN_EXPIRED, "Token expired");
        assert!(!manager.handle_security_error(&first, &expired).await);
        assert_eq!(manager.get_auth().await.unwrap(), first);
        let refused = ServerError::new(StatusCode::UNAUTHORIZED, "wrong password");
        assert!(manager.handle_security_error(&first, &refused).await);
        assert_eq!(
            manager.get_auth().await.unwrap(),
            AuthToken::basic("neo4j", "pw1")
        );
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_renewal() {
        let (manager, calls) = counting_bearer(Duration::from_secs(60));
        let manager = Arc::new(manager);
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let manager = Arc::clone(&manager);
                tokio::spawn(async move { manager.get_auth().await.unwrap() })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap(), AuthToken::bearer("token-0"));
        }
        assert_eq!(calls.load(Ordering::Acquire), 1);
    }

    #[test]
    fn debug_output_hides_the_token() {
        let auth = ExpiringAuth::new(AuthToken::bearer("very-secret"));
        assert!(!format!("{auth:?}").contains("very-secret"));
        let manager = StaticAuthManager::new(AuthToken::basic("u", "very-secret"));
        assert!(!format!("{manager:?}").contains("very-secret"));
    }
}
