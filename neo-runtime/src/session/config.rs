//! How a session runs its work: database, default access mode, bookmarks,
//! fetch size and impersonation.

use std::fmt;
use std::sync::Arc;

use neo_bolt::message::{AccessMode, AuthToken, NotificationFilter};

use crate::bookmarks::{BookmarkManager, Bookmarks};
use crate::config::FETCH_ALL;
use crate::error::Error;
use crate::result::PrefetchWatermarks;

/// How a session runs its work.
///
/// ```
/// use neo_runtime::{AccessMode, Bookmarks, SessionConfig};
///
/// let config = SessionConfig::default()
///     .with_database("neo4j")
///     .with_default_access_mode(AccessMode::Read)
///     .with_fetch_size(100)
///     .with_bookmarks(Bookmarks::from_iter(["bm:1"]));
/// assert_eq!(config.database(), Some("neo4j"));
/// ```
#[derive(Clone, Default)]
pub struct SessionConfig {
    pub(super) database: Option<String>,
    pub(super) default_access_mode: AccessMode,
    pub(super) bookmarks: Bookmarks,
    pub(crate) bookmark_manager: Option<Arc<dyn BookmarkManager>>,
    pub(super) fetch_size: Option<i64>,
    pub(super) prefetch_watermarks: Option<PrefetchWatermarks>,
    pub(super) pipelined_begin: Option<bool>,
    pub(super) impersonated_user: Option<String>,
    pub(crate) auth: Option<AuthToken>,
    pub(super) notification_filter: NotificationFilter,
}

impl fmt::Debug for SessionConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionConfig")
            .field("database", &self.database)
            .field("default_access_mode", &self.default_access_mode)
            .field("bookmarks", &self.bookmarks)
            .field("bookmark_manager", &self.bookmark_manager.is_some())
            .field("fetch_size", &self.fetch_size)
            .field("prefetch_watermarks", &self.prefetch_watermarks)
            .field("pipelined_begin", &self.pipelined_begin)
            .field("impersonated_user", &self.impersonated_user)
            .field("auth", &self.auth)
            .field("notification_filter", &self.notification_filter)
            .finish()
    }
}

impl SessionConfig {
    /// The database to use (default: the user's home database).
    pub fn with_database(mut self, database: impl Into<String>) -> Self {
        self.database = Some(database.into());
        self
    }

    /// The access mode of auto-commit queries and explicit transactions
    /// (default: write). Transaction functions choose their own.
    pub fn with_default_access_mode(mut self, mode: AccessMode) -> Self {
        self.default_access_mode = mode;
        self
    }

    /// Bookmarks the session's first transaction waits for: a set, or
    /// several (`vec![a, b]`, `[a, b]`), whose union is taken.
    ///
    /// ```
    /// # async fn example(driver: &neo_runtime::Driver) -> neo_runtime::Result<()> {
    /// use neo_runtime::SessionConfig;
    ///
    /// let mut first = driver.session(SessionConfig::default())?;
    /// let mut second = driver.session(SessionConfig::default())?;
    /// // ... writes in both ...
    /// let after_both = SessionConfig::default()
    ///     .with_bookmarks(vec![first.last_bookmarks().await, second.last_bookmarks().await]);
    /// let mut reader = driver.session(after_both)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_bookmarks(mut self, bookmarks: impl Into<Bookmarks>) -> Self {
        self.bookmarks = bookmarks.into();
        self
    }

    /// A bookmark manager shared with other sessions, keeping all of them
    /// causally chained.
    pub fn with_bookmark_manager(mut self, manager: Arc<dyn BookmarkManager>) -> Self {
        self.bookmark_manager = Some(manager);
        self
    }

    /// Records per batch for this session (default: the driver's).
    pub fn with_fetch_size(mut self, fetch_size: i64) -> Self {
        self.fetch_size = Some(fetch_size);
        self
    }

    /// When this session's results ask for their next batch ahead of the
    /// reader (default: the driver's).
    ///
    /// ```
    /// use neo_runtime::{PrefetchWatermarks, SessionConfig};
    ///
    /// // Read ahead when 100 records are left, hold at most 1100.
    /// let config = SessionConfig::default()
    ///     .with_prefetch_watermarks(PrefetchWatermarks::new(100, 1100).unwrap());
    /// ```
    pub fn with_prefetch_watermarks(mut self, watermarks: PrefetchWatermarks) -> Self {
        self.prefetch_watermarks = Some(watermarks);
        self
    }

    /// Whether this session's transaction functions send BEGIN with their
    /// first query instead of waiting for its answer (default: the
    /// driver's, see
    /// [`DriverConfig::with_pipelined_begin`](crate::DriverConfig::with_pipelined_begin)).
    ///
    /// ```
    /// use neo_runtime::SessionConfig;
    ///
    /// // One round trip less per transaction function.
    /// let config = SessionConfig::default().with_pipelined_begin(true);
    /// ```
    pub fn with_pipelined_begin(mut self, pipelined: bool) -> Self {
        self.pipelined_begin = Some(pipelined);
        self
    }

    /// Runs everything as this user (needs the server's impersonation
    /// privilege).
    pub fn with_impersonated_user(mut self, user: impl Into<String>) -> Self {
        self.impersonated_user = Some(user.into());
        self
    }

    /// Runs everything with these credentials instead of the driver's
    /// (user switching). A pooled connection is switched to them with
    /// LOGOFF and LOGON (Bolt 5.1+) and back when a session without them
    /// takes it; on an older server the session fails with
    /// [`ErrorKind::UnsupportedFeature`](crate::ErrorKind::UnsupportedFeature)
    /// ([`Driver::supports_session_auth`](crate::Driver::supports_session_auth)
    /// tells beforehand).
    ///
    /// ```no_run
    /// # async fn example(driver: neo_runtime::Driver) -> neo_runtime::Result<()> {
    /// use neo_runtime::{AuthToken, SessionConfig};
    ///
    /// let config = SessionConfig::default().with_auth(AuthToken::basic("reporter", "s3cret"));
    /// let mut session = driver.session(config)?;
    /// session.run("MATCH (n) RETURN count(n) AS n").await?.consume().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_auth(mut self, auth: AuthToken) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Which notifications the server sends for this session's
    /// transactions, instead of the driver's filter (sent with each BEGIN
    /// and auto-commit RUN; the settings it leaves unset are the
    /// connection's). Filters need Bolt 5.2 (Neo4j 5.7): on an older server
    /// the transaction fails with
    /// [`ErrorKind::UnsupportedFeature`](crate::ErrorKind::UnsupportedFeature).
    ///
    /// ```
    /// use neo_runtime::{NotificationFilter, SessionConfig};
    ///
    /// // No notifications at all for this session.
    /// let config = SessionConfig::default().with_notification_filter(NotificationFilter::disabled());
    /// ```
    pub fn with_notification_filter(mut self, filter: NotificationFilter) -> Self {
        self.notification_filter = filter;
        self
    }

    /// The configured database.
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The default access mode.
    pub fn default_access_mode(&self) -> AccessMode {
        self.default_access_mode
    }

    /// The user to impersonate.
    pub fn impersonated_user(&self) -> Option<&str> {
        self.impersonated_user.as_deref()
    }

    /// Checks every setting, naming the first bad one; called by
    /// [`Driver::session`](crate::Driver::session).
    ///
    /// ```
    /// use neo_runtime::SessionConfig;
    ///
    /// let err = SessionConfig::default().with_fetch_size(0).validate().unwrap_err();
    /// assert!(err.to_string().contains("fetch_size"));
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(fetch_size) = self.fetch_size
            && (fetch_size == 0 || fetch_size < FETCH_ALL)
        {
            return Err(Error::invalid_config(format!(
                "fetch_size must be positive, or -1 to fetch everything at once; got {fetch_size}"
            )));
        }
        if self.database.as_deref().is_some_and(str::is_empty) {
            return Err(Error::invalid_config(
                "database must not be empty; leave it unset for the user's home database",
            ));
        }
        if self.impersonated_user.as_deref().is_some_and(str::is_empty) {
            return Err(Error::invalid_config("impersonated_user must not be empty"));
        }
        Ok(())
    }
}
