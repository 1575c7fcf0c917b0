//! Sessions: sequences of transactions chained by bookmarks.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex as StdMutex, PoisonError};

use neo_bolt::message::{AccessMode, Begin, Request, Run, TelemetryApi, TxExtra};
use neo_bolt::packstream::Map;
use tokio::sync::Mutex;
use tokio::time::Instant;
use tracing::Instrument;

use crate::bookmarks::{BookmarkManager, BookmarkSink, Bookmarks};
use crate::driver::{DriverInner, Servers};
use crate::error::{Error, ErrorKind};
use crate::link::Link;
use crate::query::{Query, TransactionConfig};
use crate::result::RecordStream;
use crate::retry::{Delays, RetryPolicy};
use crate::routing::Target;
use crate::transaction::{ManagedTransaction, Transaction};

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
    database: Option<String>,
    default_access_mode: AccessMode,
    bookmarks: Bookmarks,
    bookmark_manager: Option<Arc<dyn BookmarkManager>>,
    fetch_size: Option<i64>,
    impersonated_user: Option<String>,
}

impl fmt::Debug for SessionConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionConfig")
            .field("database", &self.database)
            .field("default_access_mode", &self.default_access_mode)
            .field("bookmarks", &self.bookmarks)
            .field("bookmark_manager", &self.bookmark_manager.is_some())
            .field("fetch_size", &self.fetch_size)
            .field("impersonated_user", &self.impersonated_user)
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

    /// Bookmarks the session's first transaction waits for.
    pub fn with_bookmarks(mut self, bookmarks: Bookmarks) -> Self {
        self.bookmarks = bookmarks;
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

    /// Runs everything as this user (needs the server's impersonation
    /// privilege).
    pub fn with_impersonated_user(mut self, user: impl Into<String>) -> Self {
        self.impersonated_user = Some(user.into());
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
}

/// A session: runs auto-commit queries, explicit transactions and
/// transaction functions one after another on one connection at a time,
/// each transaction seeing the writes of the ones before it.
///
/// Close it with [`close`](Session::close) when done. Dropping it without
/// closing also gives its connection back to the pool (reset in the
/// background if needed).
pub struct Session {
    driver: Arc<DriverInner>,
    config: SessionConfig,
    link: Option<Arc<Mutex<Link>>>,
    bookmarks: Arc<StdMutex<Bookmarks>>,
    span: tracing::Span,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("config", &self.config)
            .field("connected", &self.link.is_some())
            .finish_non_exhaustive()
    }
}

/// The retry delays and budget of one transaction function call.
pub(crate) struct Retries {
    policy: RetryPolicy,
    delays: Delays,
    started: Option<Instant>,
    errors: Vec<Error>,
    attempt: usize,
    span: tracing::Span,
}

impl Retries {
    /// The retry state of a call in `mode`, with the driver's retry budget
    /// unless `max_retry_time` overrides it.
    pub(crate) fn new(
        session: &Session,
        mode: AccessMode,
        max_retry_time: Option<std::time::Duration>,
    ) -> Self {
        let mut policy = session.driver.config.retry_policy().clone();
        if let Some(max_retry_time) = max_retry_time {
            policy = policy.with_max_retry_time(max_retry_time);
        }
        Retries {
            delays: policy.delays(),
            policy,
            started: None,
            errors: Vec::new(),
            attempt: 1,
            span: tracing::debug_span!(parent: &session.span, "transaction_function", ?mode),
        }
    }

    /// Whether no attempt has failed yet (TELEMETRY goes out once per call).
    pub(crate) fn is_first_attempt(&self) -> bool {
        self.attempt == 1
    }

    /// The span of the current attempt.
    pub(crate) fn attempt_span(&self) -> tracing::Span {
        tracing::debug_span!(parent: &self.span, "attempt", attempt = self.attempt)
    }

    /// After a failed attempt: the error to return if it is not retryable or
    /// the budget is spent; otherwise waits before the next attempt, which
    /// takes a fresh connection.
    pub(crate) async fn failed(
        &mut self,
        session: &mut Session,
        error: Error,
    ) -> Result<(), Error> {
        let started = *self.started.get_or_insert_with(Instant::now);
        if !error.is_retryable() || started.elapsed() >= self.policy.max_retry_time() {
            return Err(error.with_attempts(std::mem::take(&mut self.errors)));
        }
        let delay = self.delays.next().unwrap_or_default();
        let attempt = self.attempt;
        tracing::warn!(parent: &self.span, %error, ?delay, attempt, "transaction failed; retrying");
        session.forget_failed_server(&error).await;
        self.errors.push(error);
        self.attempt += 1;
        session.release().await;
        tokio::time::sleep(delay).await;
        Ok(())
    }
}

impl Session {
    pub(crate) fn new(driver: Arc<DriverInner>, config: SessionConfig) -> Self {
        let bookmarks = Arc::new(StdMutex::new(config.bookmarks.clone()));
        let span = tracing::debug_span!("session", database = ?config.database);
        Session {
            driver,
            config,
            link: None,
            bookmarks,
            span,
        }
    }

    pub(crate) fn fetch_size(&self) -> i64 {
        self.config
            .fetch_size
            .unwrap_or_else(|| self.driver.config.fetch_size())
    }

    /// The bookmarks of the session's last committed transaction (or its
    /// initial bookmarks): pass them to another session to make it see this
    /// one's writes.
    pub fn last_bookmarks(&self) -> Bookmarks {
        self.bookmarks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// What the next transaction starts from: the session's bookmarks and
    /// the bookmark manager's.
    pub(crate) fn bookmarks_to_send(&self) -> Vec<String> {
        let own = self
            .bookmarks
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match &self.config.bookmark_manager {
            Some(manager) => own.union(&manager.bookmarks()).to_vec(),
            None => own.to_vec(),
        }
    }

    /// Where the next transaction's bookmark goes.
    pub(crate) fn bookmark_sink(&self) -> BookmarkSink {
        let manager = self.config.bookmark_manager.as_ref().map(|manager| {
            let own = self.last_bookmarks();
            (Arc::clone(manager), own.union(&manager.bookmarks()))
        });
        BookmarkSink::new(Arc::clone(&self.bookmarks), manager)
    }

    pub(crate) fn tx_extra<'a>(
        &'a self,
        bookmarks: &'a [String],
        mode: AccessMode,
        timeout: Option<std::time::Duration>,
        metadata: &'a Map,
    ) -> TxExtra<'a> {
        TxExtra {
            bookmarks: Cow::Borrowed(bookmarks),
            tx_timeout: timeout,
            tx_metadata: Cow::Borrowed(metadata),
            mode,
            db: self.config.database.as_deref().map(Cow::Borrowed),
            imp_user: self.config.impersonated_user.as_deref().map(Cow::Borrowed),
            ..TxExtra::default()
        }
    }

    /// The session's connection, ready for a new unit of work of `mode` in
    /// `database` (the session's unless given): results still open are
    /// buffered, a failed or abandoned state is reset, a dead connection is
    /// replaced, and with routing, a connection to a server that does not
    /// serve the mode (or is no longer in the routing table) is replaced.
    pub(crate) async fn ready_link(
        &mut self,
        mode: AccessMode,
        database: Option<&str>,
    ) -> Result<Arc<Mutex<Link>>, Error> {
        if let Some(link) = &self.link {
            let database = database.or(self.config.database.as_deref());
            let mut guard = link.lock().await;
            let router = match &self.driver.servers {
                Servers::Routed(router) => Some(router),
                Servers::Direct(_) => None,
            };
            let address = &guard.connection().server().address;
            if let (Some(router), Some(_)) = (router, guard.broken()) {
                router.forget(address);
            }
            let serves = router.is_none_or(|router| router.serves(database, mode, address));
            let usable = serves
                && guard.broken().is_none()
                && guard.settle_streams(true).await.is_ok()
                && guard.reset_if_dirty().await.is_ok();
            if usable {
                guard.forget_finished();
                return Ok(Arc::clone(link));
            }
        }
        self.release().await;
        let bookmarks = self.bookmarks_to_send();
        let target = Target {
            mode,
            database: database.or(self.config.database.as_deref()),
            bookmarks: &bookmarks,
            impersonated_user: self.config.impersonated_user.as_deref(),
        };
        let connection = self.driver.acquire(&target).await?;
        let link = Arc::new(Mutex::new(Link::new(connection)));
        self.link = Some(Arc::clone(&link));
        Ok(link)
    }

    /// With routing, forgets the server a transaction failed on when the
    /// failure says it is gone (the connection was lost) or no longer
    /// leads (a write it refused), so that the retry goes elsewhere.
    pub(crate) async fn forget_failed_server(&self, error: &Error) {
        let (Servers::Routed(router), Some(link)) = (&self.driver.servers, &self.link) else {
            return;
        };
        let address = link.lock().await.connection().server().address.clone();
        if error.kind() == ErrorKind::ServiceUnavailable {
            router.forget(&address);
        } else if matches!(
            error.code(),
            Some("Neo.ClientError.Cluster.NotALeader")
                | Some("Neo.ClientError.General.ForbiddenOnReadOnlyDatabase")
        ) {
            router.forget_writer(&address);
        }
    }

    fn report_api(&self, link: &mut Link, api: TelemetryApi) {
        if !self.driver.config.telemetry_disabled() {
            link.report_api(api);
        }
    }

    /// Gives the connection back to the pool, discarding open results.
    pub(crate) async fn release(&mut self) {
        let Some(link) = self.link.take() else {
            return;
        };
        {
            let mut guard = link.lock().await;
            if guard.broken().is_none() {
                let _ = guard.settle_streams(false).await;
            }
        }
        // Results still hold the link; the pool gets the connection back when
        // the last of them is gone, reset in the background if needed.
        if let Ok(link) = Arc::try_unwrap(link) {
            link.into_inner().into_connection().release().await;
        }
    }

    /// Runs one query in its own transaction (auto-commit). It is sent
    /// together with the first PULL, and never retried.
    ///
    /// If an earlier result of this session is still unread, its rest is
    /// buffered first and stays readable.
    pub async fn run(&mut self, query: impl Into<Query>) -> Result<RecordStream<'static>, Error> {
        let query = query.into();
        let span = self.span.clone();
        async {
            let link = self
                .ready_link(self.config.default_access_mode, None)
                .await?;
            let mut guard = link.lock().await;
            self.report_api(&mut guard, TelemetryApi::AutoCommit);
            let bookmarks = self.bookmarks_to_send();
            let run = Request::Run(Run {
                query: Cow::Borrowed(query.text()),
                parameters: neo_bolt::message::Parameters::Encoded(
                    query.encoded_parameters(guard.dialect())?,
                ),
                extra: self.tx_extra(
                    &bookmarks,
                    self.config.default_access_mode,
                    query.timeout(),
                    query.metadata(),
                ),
            });
            let fetch_size = self.fetch_size();
            let id = guard.start_stream(None, &run, fetch_size).await?;
            Ok(RecordStream::new(
                Arc::clone(&link),
                &guard,
                id,
                fetch_size,
                Some(self.bookmark_sink()),
            ))
        }
        .instrument(span)
        .await
    }

    /// Begins an explicit transaction in the session's default access mode.
    /// Commit it with [`Transaction::commit`]; dropping it rolls it back.
    pub async fn begin_transaction(
        &mut self,
        config: TransactionConfig,
    ) -> Result<Transaction<'_>, Error> {
        let link = self
            .ready_link(self.config.default_access_mode, None)
            .await?;
        {
            let mut guard = link.lock().await;
            self.report_api(&mut guard, TelemetryApi::ExplicitTransaction);
            let bookmarks = self.bookmarks_to_send();
            let begin = Request::Begin(Begin {
                extra: self.tx_extra(
                    &bookmarks,
                    self.config.default_access_mode,
                    config.timeout(),
                    config.metadata(),
                ),
            });
            guard.call(&begin).await?;
        }
        let sink = self.bookmark_sink();
        Ok(Transaction::new(self, link, sink))
    }

    /// Runs `work` in a read transaction, retrying it on transient, cluster
    /// and connection failures (see [`execute_write`](Session::execute_write)).
    pub async fn execute_read<T, F>(&mut self, work: F) -> Result<T, Error>
    where
        F: AsyncFnMut(&mut ManagedTransaction<'_>) -> Result<T, Error>,
    {
        self.execute(AccessMode::Read, TransactionConfig::default(), work)
            .await
    }

    /// Runs `work` in a write transaction and commits it, retrying on
    /// transient, cluster and connection failures with exponential backoff
    /// until the retry budget (30 s by default) is spent.
    ///
    /// `work` may run more than once, so it must be idempotent, and it
    /// should return values derived from its results, not the results
    /// themselves (which borrow the transaction and cannot escape it).
    ///
    /// Inside `tokio::spawn`, an async closure that captures references
    /// makes the spawned future fail the `Send` check ("implementation of
    /// `Send` is not general enough", a current compiler limitation of async
    /// closures): capture owned values with `async move`, or declare the
    /// work with `#[unit_of_work]`, whose generated function has no closure.
    ///
    /// ```no_run
    /// # async fn example(session: &mut neo_runtime::Session) -> neo_runtime::Result<()> {
    /// use neo_runtime::Query;
    ///
    /// let id = session
    ///     .execute_write(async |tx| {
    ///         let record = tx
    ///             .run(Query::new("CREATE (a:Person {name: $name}) RETURN id(a)").param("name", "Alice"))
    ///             .await?
    ///             .single()
    ///             .await?;
    ///         Ok(record.value_at(0)?.as_i64())
    ///     })
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn execute_write<T, F>(&mut self, work: F) -> Result<T, Error>
    where
        F: AsyncFnMut(&mut ManagedTransaction<'_>) -> Result<T, Error>,
    {
        self.execute(AccessMode::Write, TransactionConfig::default(), work)
            .await
    }

    /// Runs a transaction function with an access mode and a
    /// [`TransactionConfig`] (timeout, metadata).
    pub async fn execute<T, F>(
        &mut self,
        mode: AccessMode,
        config: TransactionConfig,
        mut work: F,
    ) -> Result<T, Error>
    where
        F: AsyncFnMut(&mut ManagedTransaction<'_>) -> Result<T, Error>,
    {
        let mut retries = Retries::new(self, mode, None);
        loop {
            let outcome = self
                .attempt(mode, &config, None, &mut work, retries.is_first_attempt())
                .instrument(retries.attempt_span())
                .await;
            match outcome {
                Ok(value) => return Ok(value),
                Err(error) => retries.failed(self, error).await?,
            }
        }
    }

    async fn attempt<T, F>(
        &mut self,
        mode: AccessMode,
        config: &TransactionConfig,
        database: Option<&str>,
        work: &mut F,
        report: bool,
    ) -> Result<T, Error>
    where
        F: AsyncFnMut(&mut ManagedTransaction<'_>) -> Result<T, Error>,
    {
        let mut tx = self.begin_managed(mode, config, database, report).await?;
        let outcome = work(&mut tx).await;
        self.finish_managed(tx, outcome).await
    }

    /// Begins one attempt of a transaction function (BEGIN is sent with its
    /// first query), optionally in another database than the session's;
    /// `report` sends TELEMETRY with it (on the first attempt of a call).
    pub(crate) async fn begin_managed<'t>(
        &mut self,
        mode: AccessMode,
        config: &TransactionConfig,
        database: Option<&str>,
        report: bool,
    ) -> Result<ManagedTransaction<'t>, Error> {
        let link = self.ready_link(mode, database).await?;
        if report {
            self.report_api(&mut *link.lock().await, TelemetryApi::ManagedTransaction);
        }
        let bookmarks = self.bookmarks_to_send();
        let mut begin = Begin {
            extra: self.tx_extra(&bookmarks, mode, config.timeout(), config.metadata()),
        };
        if let Some(database) = database {
            begin.extra.db = Some(Cow::Borrowed(database));
        }
        let begin = Request::Begin(Begin {
            extra: owned_extra(begin.extra),
        });
        Ok(ManagedTransaction::new(link, begin, self.fetch_size()))
    }

    /// Ends one attempt: commits on success, rolls back on failure.
    pub(crate) async fn finish_managed<T>(
        &self,
        tx: ManagedTransaction<'_>,
        outcome: Result<T, Error>,
    ) -> Result<T, Error> {
        match outcome {
            Ok(value) => {
                tx.commit(self.bookmark_sink()).await?;
                Ok(value)
            }
            Err(error) => {
                tx.rollback().await;
                Err(error)
            }
        }
    }

    /// Closes the session: discards unread results and gives the connection
    /// back to the pool.
    pub async fn close(mut self) {
        self.release().await;
    }
}

fn owned_extra(extra: TxExtra<'_>) -> TxExtra<'static> {
    TxExtra {
        bookmarks: Cow::Owned(extra.bookmarks.into_owned()),
        tx_timeout: extra.tx_timeout,
        tx_metadata: Cow::Owned(extra.tx_metadata.into_owned()),
        mode: extra.mode,
        db: extra.db.map(|db| Cow::Owned(db.into_owned())),
        imp_user: extra.imp_user.map(|u| Cow::Owned(u.into_owned())),
        notifications: extra.notifications,
    }
}
