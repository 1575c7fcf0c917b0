//! Sessions: sequences of transactions chained by bookmarks.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex as StdMutex, PoisonError};

use neo_bolt::message::{AccessMode, Begin, Request, Run, TelemetryApi, TxExtra};
use neo_bolt::packstream::Map;
use tokio::sync::Mutex;
use tracing::Instrument;

use crate::bookmarks::{BookmarkSink, Bookmarks};
use crate::config::DriverConfig;
use crate::error::Error;
use crate::io::connector::{Connector, Home, home_key};
use crate::io::link::{Link, Settle};
use crate::io::routing::Target;
use crate::query::{AutoCommitQuery, TransactionConfig};
use crate::result::{Fetching, PrefetchWatermarks, RecordStream};
use crate::transaction::{ManagedTransaction, Transaction};

mod config;
mod transaction_function;

pub use config::SessionConfig;
pub use transaction_function::TransactionWork;
use transaction_function::owned_extra;
pub(crate) use transaction_function::{Closure, Plan};

/// A session: runs auto-commit queries, explicit transactions and
/// transaction functions one after another on one connection at a time,
/// each transaction seeing the writes of the ones before it.
///
/// Close it with [`close`](Session::close) when done. Dropping it without
/// closing also gives its connection back to the pool (reset in the
/// background if needed).
pub struct Session {
    connector: Arc<Connector>,
    driver_config: Arc<DriverConfig>,
    config: SessionConfig,
    link: Option<Arc<Mutex<Link>>>,
    bookmarks: Arc<StdMutex<Bookmarks>>,
    /// The home database, once resolved: the session's database from then
    /// on (when it names none).
    home: Option<String>,
    /// The home database as last known, used to pick a server that routes
    /// on its own until the server says which it is.
    guessed_home: Option<String>,
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

impl Session {
    pub(crate) fn new(
        connector: Arc<Connector>,
        driver_config: Arc<DriverConfig>,
        config: SessionConfig,
    ) -> Self {
        let bookmarks = Arc::new(StdMutex::new(config.bookmarks.clone()));
        let span = tracing::debug_span!("session", database = ?config.database);
        Session {
            connector,
            driver_config,
            config,
            link: None,
            bookmarks,
            home: None,
            guessed_home: None,
            span,
        }
    }

    pub(crate) fn fetch_size(&self) -> i64 {
        self.config
            .fetch_size
            .unwrap_or_else(|| self.driver_config.fetch_size())
    }

    /// Whether transaction functions send BEGIN with their first query.
    pub(crate) fn pipelined_begin(&self) -> bool {
        self.config
            .pipelined_begin
            .unwrap_or_else(|| self.driver_config.pipelined_begin())
    }

    /// The fetch size and prefetch watermarks of this session's results.
    pub(crate) fn fetching(&self) -> Fetching {
        let size = self.fetch_size();
        Fetching {
            size,
            watermarks: self
                .config
                .prefetch_watermarks
                .or(self.driver_config.prefetch_watermarks())
                .unwrap_or_else(|| PrefetchWatermarks::for_fetch_size(size)),
        }
    }

    /// The bookmarks of the session's last committed transaction (or its
    /// initial bookmarks): pass them to another session to make it see this
    /// one's writes.
    ///
    /// An auto-commit result still being read has not committed yet as far
    /// as the driver knows: its rest is read into memory first (it stays
    /// readable), so that its bookmark counts.
    ///
    /// ```no_run
    /// # async fn example(driver: neo_runtime::Driver) -> neo_runtime::Result<()> {
    /// use neo_runtime::SessionConfig;
    ///
    /// let mut writer = driver.session(SessionConfig::default())?;
    /// writer.run("CREATE (:Person {name: 'Ann'})").await?;
    /// let bookmarks = writer.last_bookmarks().await;
    /// let mut reader = driver.session(SessionConfig::default().with_bookmarks(bookmarks))?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn last_bookmarks(&mut self) -> Bookmarks {
        if let Some(link) = &self.link {
            let mut guard = link.lock().await;
            if guard.broken().is_none() {
                let _ = guard.settle_streams(Settle::Buffer).await;
            }
        }
        self.current_bookmarks()
    }

    fn current_bookmarks(&self) -> Bookmarks {
        self.bookmarks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// What the next transaction starts from: the session's bookmarks and
    /// the bookmark manager's.
    fn bookmarks_to_send(&self) -> Vec<String> {
        let own = self
            .bookmarks
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match &self.config.bookmark_manager {
            Some(manager) => own.union(&manager.bookmarks()).to_vec(),
            None => own.to_vec(),
        }
    }

    /// Where the bookmark of a transaction that started from `sent` goes:
    /// to the session, and to its bookmark manager, which learns that
    /// `sent` is superseded (asking the manager again would call its
    /// supplier once more).
    fn bookmark_sink(&self, sent: &[String]) -> BookmarkSink {
        let manager = self
            .config
            .bookmark_manager
            .as_ref()
            .map(|manager| (Arc::clone(manager), Bookmarks::from_iter(sent)));
        BookmarkSink::new(Arc::clone(&self.bookmarks), manager)
    }

    fn tx_extra<'a>(
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
            db: self.database().map(Cow::Borrowed),
            imp_user: self.config.impersonated_user.as_deref().map(Cow::Borrowed),
            notifications: self.config.notification_filter,
        }
    }

    /// The database the session's work names: its own, or its home
    /// database once resolved.
    fn database(&self) -> Option<&str> {
        self.config.database.as_deref().or(self.home.as_deref())
    }

    /// After work on a guessed home database, takes the database the
    /// server said it used as the session's, and remembers it for the
    /// user's next sessions.
    fn learn_home(&mut self, link: &mut Link) {
        let Some(echoed) = link.take_echoed_database() else {
            return;
        };
        if self.home.is_none() && self.guessed_home.take().is_some() {
            let user = home_key(
                self.config.impersonated_user.as_deref(),
                self.config.auth.as_ref(),
            );
            self.connector.remember_home(&user, &echoed);
            self.home = Some(echoed);
        }
    }

    /// The session's connection, ready for a new unit of work of `mode` in
    /// `database` (the session's unless given). Results still open are read
    /// to their end into memory first, whatever server the unit of work goes
    /// to, so they stay readable and their bookmarks count; then a failed or
    /// abandoned state is reset, a dead connection is replaced, and so is a
    /// connection to a server that does not serve the mode (with routing:
    /// no longer in the routing table for it).
    async fn ready_link(
        &mut self,
        mode: AccessMode,
        database: Option<&str>,
    ) -> Result<Arc<Mutex<Link>>, Error> {
        if let Some(link) = self.link.clone() {
            let mut guard = link.lock().await;
            if guard.broken().is_none() {
                // A connection lost while buffering fails the results it
                // held; they report it when read.
                let _ = guard.settle_streams(Settle::Buffer).await;
            }
            self.learn_home(&mut guard);
            let address = guard.server().address.clone();
            let database = database
                .or(self.database())
                .or(self.guessed_home.as_deref());
            let usable = guard.broken().is_none()
                && self.connector.serves(database, mode, &address)
                && guard.reset_if_dirty().await.is_ok()
                && guard
                    .keep_authenticated(&self.connector.auth_source(self.config.auth.as_ref()))
                    .await
                    .unwrap_or(false);
            if usable {
                guard.forget_finished();
                guard.set_database(database.map(str::to_owned));
                return Ok(Arc::clone(&link));
            }
        }
        self.release(Settle::Buffer).await;
        // ROUTE carries the bookmarks; a direct driver routes nothing.
        let bookmarks = if self.connector.routes() {
            self.bookmarks_to_send()
        } else {
            Vec::new()
        };
        let target = Target {
            mode,
            database: database.or(self.database()),
            bookmarks: &bookmarks,
            impersonated_user: self.config.impersonated_user.as_deref(),
        };
        let acquired = self
            .connector
            .acquire(&target, self.config.auth.as_ref())
            .await?;
        match acquired.home {
            Home::Resolved(name) => self.home = Some(name),
            Home::Guessed(name) => self.guessed_home = Some(name),
            Home::NotAsked => {}
        }
        let mut fresh = Link::new(acquired.connection, Arc::clone(&self.connector));
        fresh.set_database(
            database
                .or(self.database())
                .or(self.guessed_home.as_deref())
                .map(str::to_owned),
        );
        let link = Arc::new(Mutex::new(fresh));
        self.link = Some(Arc::clone(&link));
        Ok(link)
    }

    fn report_api(&self, link: &mut Link, api: TelemetryApi) {
        if !self.driver_config.telemetry_disabled() {
            link.report_api(api);
        }
    }

    /// Gives the connection back to the pool, after buffering or discarding
    /// the results still open on it (a discarded result's bookmark still
    /// reaches the session, and its reader gets a "consumed" error).
    /// Results still held keep what they received.
    async fn release(&mut self, settle: Settle) {
        let Some(link) = self.link.take() else {
            return;
        };
        let connection = {
            let mut guard = link.lock().await;
            if guard.broken().is_none() {
                let _ = guard.settle_streams(settle).await;
            }
            self.learn_home(&mut guard);
            guard.take_connection()
        };
        if let Some(connection) = connection {
            connection.release().await;
        }
    }

    /// Runs one query in its own transaction (auto-commit). It is sent
    /// together with the first PULL, and never retried.
    ///
    /// If an earlier result of this session is still unread, its rest is
    /// buffered first and stays readable.
    pub async fn run(
        &mut self,
        query: impl Into<AutoCommitQuery>,
    ) -> Result<RecordStream<'static>, Error> {
        let query = query.into();
        let (query, config) = (query.query(), query.config());
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
                parameters: query.run_parameters(guard.dialect())?,
                extra: self.tx_extra(
                    &bookmarks,
                    self.config.default_access_mode,
                    config.timeout(),
                    config.metadata(),
                ),
            });
            let fetching = self.fetching();
            let sink = self.bookmark_sink(&bookmarks);
            let id = match guard
                .start_stream(None, &run, fetching.size, Some(sink))
                .await
            {
                Ok(id) => id,
                Err(error) => {
                    guard.reset_after_failure().await;
                    return Err(error);
                }
            };
            Ok(RecordStream::new(Arc::clone(&link), &guard, id, fetching))
        }
        .instrument(span)
        .await
    }

    /// Begins an explicit transaction in the session's default access mode.
    /// Commit it with [`Transaction::commit`]; dropping it rolls it back.
    /// BEGIN is sent and answered first: a failure to begin is this call's error.
    #[doc(alias("beginTransaction", "BeginTransaction"))]
    pub async fn begin_transaction(
        &mut self,
        config: TransactionConfig,
    ) -> Result<Transaction<'_>, Error> {
        let mode = self.config.default_access_mode;
        let link = self.ready_link(mode, None).await?;
        self.report_api(&mut *link.lock().await, TelemetryApi::ExplicitTransaction);
        let bookmarks = self.bookmarks_to_send();
        let extra = self.tx_extra(&bookmarks, mode, config.timeout(), config.metadata());
        let begin = Request::Begin(Begin {
            extra: owned_extra(extra),
        });
        let sink = self.bookmark_sink(&bookmarks);
        Transaction::begin(link, begin, sink, self.fetching()).await
    }

    /// Runs `work` in a read transaction, retrying it on transient, cluster
    /// and connection failures (see [`execute_write`](Session::execute_write)).
    /// The official drivers' older `read_transaction` (`readTransaction`).
    #[doc(alias("read_transaction", "readTransaction", "executeRead"))]
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
    /// closures): capture owned values with `async move`, declare the work
    /// with `#[unit_of_work]`, or implement [`TransactionWork`] for a struct
    /// holding the references and run it with
    /// [`execute_work`](Session::execute_work).
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
    ///
    /// The official drivers' older `write_transaction` (`writeTransaction`).
    #[doc(alias("write_transaction", "writeTransaction", "executeWrite"))]
    pub async fn execute_write<T, F>(&mut self, work: F) -> Result<T, Error>
    where
        F: AsyncFnMut(&mut ManagedTransaction<'_>) -> Result<T, Error>,
    {
        self.execute(AccessMode::Write, TransactionConfig::default(), work)
            .await
    }

    /// The official drivers' older name of
    /// [`execute_read`](Session::execute_read), which it calls: kept so
    /// that the compiler points at the current name.
    #[doc(hidden)]
    #[deprecated(
        note = "`read_transaction` is the official drivers' older name: call `execute_read`, which takes the same work"
    )]
    pub async fn read_transaction<T, F>(&mut self, work: F) -> Result<T, Error>
    where
        F: AsyncFnMut(&mut ManagedTransaction<'_>) -> Result<T, Error>,
    {
        self.execute_read(work).await
    }

    /// The official drivers' older name of
    /// [`execute_write`](Session::execute_write), which it calls: kept so
    /// that the compiler points at the current name.
    #[doc(hidden)]
    #[deprecated(
        note = "`write_transaction` is the official drivers' older name: call `execute_write`, which takes the same work"
    )]
    pub async fn write_transaction<T, F>(&mut self, work: F) -> Result<T, Error>
    where
        F: AsyncFnMut(&mut ManagedTransaction<'_>) -> Result<T, Error>,
    {
        self.execute_write(work).await
    }

    /// Runs a transaction function with an access mode and a
    /// [`TransactionConfig`] (timeout, metadata).
    pub async fn execute<T, F>(
        &mut self,
        mode: AccessMode,
        config: TransactionConfig,
        work: F,
    ) -> Result<T, Error>
    where
        F: AsyncFnMut(&mut ManagedTransaction<'_>) -> Result<T, Error>,
    {
        self.run_transaction_function(Plan::new(mode, &config), Closure(work))
            .await
    }

    /// Closes the session and gives its connection back to the pool.
    ///
    /// An unread rest of a result is discarded (its bookmark still counts):
    /// reading that result afterwards is an
    /// [`ErrorKind::ResultConsumed`](crate::ErrorKind::ResultConsumed)
    /// error. Closing waits for the server at most the driver's
    /// [receive timeout](crate::DriverConfig::with_receive_timeout).
    pub async fn close(mut self) {
        self.release(Settle::Discard).await;
    }
}
