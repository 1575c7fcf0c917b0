//! A connection pool for one server address.
//!
//! The pool owns at most `max_size` connections. Acquiring takes a permit
//! from a fair (FIFO) semaphore, so waiters are served in arrival order and
//! the acquisition timeout bounds the wait; then it reuses the most recently
//! released idle connection (warm first) or opens a new one. A healthy
//! checkout costs no round trip: a connection is only checked with RESET when
//! it has been idle longer than the liveness threshold, and only reset on
//! release when it is not clean.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use std::time::Instant as StdInstant;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, timeout_at};

use crate::address::Address;
use crate::clock::Clock;
use crate::error::{Error, ErrorKind};

/// What the pool needs to know about a connection it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Health {
    /// Ready for the next user as it is.
    Clean,
    /// Usable after a RESET (a failure, an open transaction or unread
    /// responses).
    NeedsReset,
    /// Dead: close it.
    Broken,
}

/// What a connection taken from the pool needs before it is handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prepared {
    /// Nothing more: hand it out.
    Ready,
    /// It cannot serve this acquisition (it cannot switch to the
    /// credentials asked for): close it and open another.
    Replace,
}

/// Opens, checks, authenticates, resets and closes connections; one
/// manager serves the pools of every server.
pub(crate) trait Manage: Send + Sync + 'static {
    /// The pooled connection type.
    type Connection: Send + 'static;

    /// What an acquisition asks of a connection's authentication.
    type Auth: Send + Sync;

    /// Opens a new connection to `address` (TCP, TLS, handshake,
    /// authentication as `auth` asks).
    fn connect(
        &self,
        address: &Address,
        auth: &Self::Auth,
    ) -> impl Future<Output = Result<Self::Connection, Error>> + Send;

    /// Makes an idle connection fit for an acquisition that asks for
    /// `auth`, switching its credentials if needed; an error is the
    /// acquisition's (the connection goes back to the pool unless it
    /// broke).
    fn prepare(
        &self,
        connection: &mut Self::Connection,
        auth: &Self::Auth,
    ) -> impl Future<Output = Result<Prepared, Error>> + Send;

    /// Whether a connection can be handed out as it is.
    fn health(&self, connection: &Self::Connection) -> Health;

    /// Brings a connection back to a clean state with a round trip; an error
    /// means the connection is discarded.
    fn reset(
        &self,
        connection: &mut Self::Connection,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Closes a connection politely (GOODBYE), ignoring failures.
    fn close(&self, connection: Self::Connection) -> impl Future<Output = ()> + Send;
}

/// Whether an idle connection is checked with a round trip (RESET) before
/// it is handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Liveness {
    /// When it has been idle longer than the configured threshold.
    AsConfigured,
    /// Always: the caller wants proof that the server answers.
    Always,
}

/// Limits and timeouts of a pool.
#[derive(Debug, Clone)]
pub(crate) struct PoolSettings {
    pub(crate) max_size: usize,
    pub(crate) acquisition_timeout: Duration,
    pub(crate) max_lifetime: Duration,
    pub(crate) liveness_check_timeout: Option<Duration>,
    /// Measures connection ages and idle times.
    pub(crate) clock: Arc<dyn Clock>,
}

/// Counters that tell what a pool holds, for monitoring and tests.
///
/// ```
/// let metrics = neo_runtime::PoolMetrics::default();
/// assert_eq!(metrics.in_use + metrics.idle, 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolMetrics {
    /// Connections handed out and not yet returned.
    pub in_use: usize,
    /// Connections waiting in the pool.
    pub idle: usize,
    /// Connections opened since the pool was created.
    pub created: usize,
    /// Connections closed since the pool was created.
    pub closed: usize,
}

struct IdleConnection<C> {
    connection: C,
    created_at: StdInstant,
    idle_since: StdInstant,
}

struct PoolInner<M: Manage> {
    manager: Arc<M>,
    address: Address,
    settings: PoolSettings,
    permits: Arc<Semaphore>,
    idle: Mutex<Vec<IdleConnection<M::Connection>>>,
    in_use: AtomicUsize,
    created: AtomicUsize,
    closed: AtomicUsize,
}

/// A pool of connections to one server.
pub(crate) struct Pool<M: Manage> {
    inner: Arc<PoolInner<M>>,
}

impl<M: Manage> Clone for Pool<M> {
    fn clone(&self) -> Self {
        Pool {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<M: Manage> Pool<M> {
    /// A pool of connections to `address`, opened by `manager`.
    pub(crate) fn new(manager: Arc<M>, address: Address, settings: PoolSettings) -> Self {
        Pool {
            inner: Arc::new(PoolInner {
                manager,
                address,
                permits: Arc::new(Semaphore::new(settings.max_size)),
                settings,
                idle: Mutex::new(Vec::new()),
                in_use: AtomicUsize::new(0),
                created: AtomicUsize::new(0),
                closed: AtomicUsize::new(0),
            }),
        }
    }

    /// The server the pool connects to.
    pub(crate) fn address(&self) -> &Address {
        &self.inner.address
    }

    pub(crate) fn metrics(&self) -> PoolMetrics {
        PoolMetrics {
            in_use: self.inner.in_use.load(Ordering::Acquire),
            idle: self.inner.lock_idle().len(),
            created: self.inner.created.load(Ordering::Acquire),
            closed: self.inner.closed.load(Ordering::Acquire),
        }
    }

    /// Hands out a connection authenticated as `auth` asks, waiting at most
    /// the acquisition timeout (which also bounds opening a new connection
    /// and switching credentials).
    pub(crate) async fn acquire(&self, auth: &M::Auth) -> Result<Pooled<M>, Error> {
        self.acquire_with(auth, Liveness::AsConfigured).await
    }

    /// Like [`acquire`](Self::acquire), checking an idle connection with a
    /// round trip as `liveness` says.
    pub(crate) async fn acquire_with(
        &self,
        auth: &M::Auth,
        liveness: Liveness,
    ) -> Result<Pooled<M>, Error> {
        let inner = &self.inner;
        let started = Instant::now();
        let deadline = started + inner.settings.acquisition_timeout;
        let timed_out = || {
            Error::new(
                ErrorKind::ConnectionAcquisitionTimeout,
                format!(
                    "failed to obtain a connection from the pool within {:?} (max pool size {}): \
                     every connection is in use; close sessions and read results sooner, or raise \
                     `DriverConfig::with_max_connection_pool_size` or \
                     `with_connection_acquisition_timeout`",
                    inner.settings.acquisition_timeout, inner.settings.max_size
                ),
            )
        };
        let permit = match timeout_at(deadline, Arc::clone(&inner.permits).acquire_owned()).await {
            Err(_) => return Err(timed_out()),
            Ok(Err(_)) => {
                return Err(Error::new(
                    ErrorKind::ServiceUnavailable,
                    "the driver has been closed",
                ));
            }
            Ok(Ok(permit)) => permit,
        };
        loop {
            let Some(idle) = inner.lock_idle().pop() else {
                break;
            };
            let mut connection = idle.connection;
            if inner.age(idle.created_at) >= inner.settings.max_lifetime
                || inner.manager.health(&connection) == Health::Broken
            {
                inner.close_in_background(connection);
                continue;
            }
            let threshold = match liveness {
                Liveness::AsConfigured => inner.settings.liveness_check_timeout,
                Liveness::Always => Some(Duration::ZERO),
            };
            if let Some(threshold) = threshold
                && inner.age(idle.idle_since) >= threshold
            {
                match timeout_at(deadline, inner.manager.reset(&mut connection)).await {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => {
                        tracing::debug!(%error, "pooled connection failed its liveness check");
                        inner.closed.fetch_add(1, Ordering::AcqRel);
                        continue;
                    }
                    Err(_) => {
                        inner.closed.fetch_add(1, Ordering::AcqRel);
                        return Err(timed_out());
                    }
                }
            }
            match timeout_at(deadline, inner.manager.prepare(&mut connection, auth)).await {
                Ok(Ok(Prepared::Ready)) => {}
                Ok(Ok(Prepared::Replace)) => {
                    inner.close_in_background(connection);
                    continue;
                }
                Ok(Err(error)) => {
                    if inner.manager.health(&connection) == Health::Broken {
                        inner.close_in_background(connection);
                    } else {
                        inner.put_back(connection, idle.created_at);
                    }
                    return Err(error);
                }
                Err(_) => {
                    inner.close_in_background(connection);
                    return Err(timed_out());
                }
            }
            return Ok(self.hand_out(connection, idle.created_at, permit, started));
        }
        let connection =
            match timeout_at(deadline, inner.manager.connect(&inner.address, auth)).await {
                Err(_) => return Err(timed_out()),
                Ok(result) => result?,
            };
        inner.created.fetch_add(1, Ordering::AcqRel);
        Ok(self.hand_out(connection, inner.settings.clock.now(), permit, started))
    }

    fn hand_out(
        &self,
        connection: M::Connection,
        created_at: StdInstant,
        permit: OwnedSemaphorePermit,
        started: Instant,
    ) -> Pooled<M> {
        self.inner.in_use.fetch_add(1, Ordering::AcqRel);
        tracing::trace!(wait = ?started.elapsed(), "connection acquired");
        Pooled {
            connection: Some(connection),
            created_at,
            permit: Some(permit),
            pool: Arc::clone(&self.inner),
        }
    }

    /// Closes every idle connection and refuses further acquisitions.
    /// Connections in use are closed when they come back.
    pub(crate) async fn close(&self) {
        self.inner.permits.close();
        let idle = std::mem::take(&mut *self.inner.lock_idle());
        for idle in idle {
            self.inner.closed.fetch_add(1, Ordering::AcqRel);
            self.inner.manager.close(idle.connection).await;
        }
    }
}

impl<M: Manage> PoolInner<M> {
    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<IdleConnection<M::Connection>>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn close_in_background(self: &Arc<Self>, connection: M::Connection) {
        self.closed.fetch_add(1, Ordering::AcqRel);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let inner = Arc::clone(self);
            runtime.spawn(async move { inner.manager.close(connection).await });
        }
    }

    /// Puts a connection back, or closes it when it is expired, broken or the
    /// pool is closed. Must be called with the connection's permit still held.
    /// How long ago `since` was, by the pool's clock.
    fn age(&self, since: StdInstant) -> Duration {
        self.settings.clock.now().saturating_duration_since(since)
    }

    fn put_back(self: &Arc<Self>, connection: M::Connection, created_at: StdInstant) {
        if self.permits.is_closed()
            || self.age(created_at) >= self.settings.max_lifetime
            || self.manager.health(&connection) != Health::Clean
        {
            self.close_in_background(connection);
        } else {
            self.lock_idle().push(IdleConnection {
                connection,
                created_at,
                idle_since: self.settings.clock.now(),
            });
        }
    }
}

/// A connection on loan from a [`Pool`]; give it back with
/// [`release`](Pooled::release). Dropping it also gives it back: a clean
/// connection at once, a dirty one after a RESET in a background task.
pub(crate) struct Pooled<M: Manage> {
    connection: Option<M::Connection>,
    created_at: StdInstant,
    permit: Option<OwnedSemaphorePermit>,
    pool: Arc<PoolInner<M>>,
}

impl<M: Manage> Pooled<M> {
    /// Returns the connection to the pool, resetting it first if it is not
    /// clean.
    pub(crate) async fn release(mut self) {
        if let Some(connection) = self.connection.take() {
            let connection = reset_if_needed(&self.pool, connection).await;
            self.finish(connection);
        }
    }

    /// Readies the connection, kept by its holder between units of work,
    /// for the next one as an acquisition would: re-authenticates it if
    /// the credentials of `auth` changed or the server's authorization
    /// expired since it logged on. [`Prepared::Replace`]: give it back and
    /// acquire another.
    pub(crate) async fn prepare_again(&mut self, auth: &M::Auth) -> Result<Prepared, Error> {
        let pool = Arc::clone(&self.pool);
        let connection = self.connection.as_mut().ok_or_else(|| {
            Error::new(
                ErrorKind::ResultConsumed,
                "the connection was given back to the pool",
            )
        })?;
        let deadline = Instant::now() + pool.settings.acquisition_timeout;
        match timeout_at(deadline, pool.manager.prepare(connection, auth)).await {
            Ok(outcome) => outcome,
            Err(_) => Err(Error::new(
                ErrorKind::ConnectionAcquisitionTimeout,
                format!(
                    "the connection could not be authenticated again within {:?}",
                    pool.settings.acquisition_timeout
                ),
            )),
        }
    }

    fn finish(&mut self, connection: Option<M::Connection>) {
        if let Some(connection) = connection {
            self.pool.put_back(connection, self.created_at);
        }
        self.pool.in_use.fetch_sub(1, Ordering::AcqRel);
        drop(self.permit.take());
    }
}

async fn reset_if_needed<M: Manage>(
    pool: &Arc<PoolInner<M>>,
    mut connection: M::Connection,
) -> Option<M::Connection> {
    match pool.manager.health(&connection) {
        Health::Clean => Some(connection),
        Health::Broken => {
            pool.close_in_background(connection);
            None
        }
        Health::NeedsReset => match pool.manager.reset(&mut connection).await {
            Ok(()) => Some(connection),
            Err(error) => {
                tracing::debug!(%error, "connection could not be reset; closing it");
                pool.close_in_background(connection);
                None
            }
        },
    }
}

impl<M: Manage> std::ops::Deref for Pooled<M> {
    type Target = M::Connection;

    fn deref(&self) -> &M::Connection {
        match &self.connection {
            Some(connection) => connection,
            None => unreachable!("a pooled connection is only taken when it is given back"),
        }
    }
}

impl<M: Manage> std::ops::DerefMut for Pooled<M> {
    fn deref_mut(&mut self) -> &mut M::Connection {
        match &mut self.connection {
            Some(connection) => connection,
            None => unreachable!("a pooled connection is only taken when it is given back"),
        }
    }
}

impl<M: Manage> Drop for Pooled<M> {
    fn drop(&mut self) {
        let Some(connection) = self.connection.take() else {
            return;
        };
        let clean = self.pool.manager.health(&connection) == Health::Clean;
        let runtime = tokio::runtime::Handle::try_current();
        match runtime {
            Ok(runtime) if !clean => {
                // Keep the permit until the reset is done, so the pool never
                // hands out more than its size.
                let pool = Arc::clone(&self.pool);
                let permit = self.permit.take();
                let created_at = self.created_at;
                runtime.spawn(async move {
                    if let Some(connection) = reset_if_needed(&pool, connection).await {
                        pool.put_back(connection, created_at);
                    }
                    pool.in_use.fetch_sub(1, Ordering::AcqRel);
                    drop(permit);
                });
            }
            _ => self.finish(Some(connection)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SystemClock;
    use std::sync::atomic::AtomicBool;

    /// A stand-in connection whose health the test controls.
    struct TestConnection {
        id: usize,
        health: Arc<Mutex<Health>>,
    }

    #[derive(Default)]
    struct TestManager {
        opened: AtomicUsize,
        resets: AtomicUsize,
        fail_resets: AtomicBool,
        /// `prepare` fails, leaving the connection as it was.
        fail_prepare: AtomicBool,
        /// `prepare` fails and breaks the connection.
        break_in_prepare: AtomicBool,
        connect_delay: Mutex<Duration>,
    }

    impl Manage for TestManager {
        type Connection = TestConnection;
        type Auth = ();

        async fn prepare(
            &self,
            connection: &mut TestConnection,
            _auth: &(),
        ) -> Result<Prepared, Error> {
            if self.break_in_prepare.load(Ordering::Acquire) {
                *connection.health.lock().unwrap() = Health::Broken;
                return Err(Error::new(ErrorKind::ServiceUnavailable, "lost"));
            }
            if self.fail_prepare.load(Ordering::Acquire) {
                return Err(Error::new(ErrorKind::Server, "credentials refused"));
            }
            Ok(Prepared::Ready)
        }

        async fn connect(&self, _address: &Address, _auth: &()) -> Result<TestConnection, Error> {
            let delay = *self.connect_delay.lock().unwrap();
            tokio::time::sleep(delay).await;
            let id = self.opened.fetch_add(1, Ordering::AcqRel);
            Ok(TestConnection {
                id,
                health: Arc::new(Mutex::new(Health::Clean)),
            })
        }

        fn health(&self, connection: &TestConnection) -> Health {
            *connection.health.lock().unwrap()
        }

        async fn reset(&self, connection: &mut TestConnection) -> Result<(), Error> {
            self.resets.fetch_add(1, Ordering::AcqRel);
            if self.fail_resets.load(Ordering::Acquire) {
                return Err(Error::new(ErrorKind::ServiceUnavailable, "reset failed"));
            }
            *connection.health.lock().unwrap() = Health::Clean;
            Ok(())
        }

        async fn close(&self, _connection: TestConnection) {}
    }

    fn test_address() -> Address {
        Address::new("server", 7687)
    }

    fn pool(max_size: usize) -> (Pool<TestManager>, Arc<TestManager>) {
        pool_with_lifetime(max_size, Duration::from_secs(3600))
    }

    fn pool_with_lifetime(
        max_size: usize,
        max_lifetime: Duration,
    ) -> (Pool<TestManager>, Arc<TestManager>) {
        let manager = Arc::new(TestManager::default());
        let pool = Pool::new(
            Arc::clone(&manager),
            test_address(),
            PoolSettings {
                max_size,
                acquisition_timeout: Duration::from_millis(200),
                max_lifetime,
                liveness_check_timeout: None,
                clock: Arc::new(SystemClock),
            },
        );
        (pool, manager)
    }

    #[tokio::test]
    async fn a_released_clean_connection_is_reused_without_a_round_trip() {
        let (pool, manager) = pool(2);
        let first = pool.acquire(&()).await.unwrap();
        let id = first.id;
        first.release().await;
        let second = pool.acquire(&()).await.unwrap();
        assert_eq!(second.id, id);
        assert_eq!(manager.opened.load(Ordering::Acquire), 1);
        assert_eq!(manager.resets.load(Ordering::Acquire), 0);
        assert_eq!(pool.metrics().in_use, 1);
    }

    #[tokio::test]
    async fn a_dirty_connection_is_reset_on_release() {
        let (pool, manager) = pool(1);
        let connection = pool.acquire(&()).await.unwrap();
        *connection.health.lock().unwrap() = Health::NeedsReset;
        connection.release().await;
        assert_eq!(manager.resets.load(Ordering::Acquire), 1);
        assert_eq!(
            pool.metrics(),
            PoolMetrics {
                in_use: 0,
                idle: 1,
                created: 1,
                closed: 0
            }
        );
    }

    #[tokio::test]
    async fn a_connection_that_fails_its_reset_is_discarded() {
        let (pool, manager) = pool(1);
        manager.fail_resets.store(true, Ordering::Release);
        let connection = pool.acquire(&()).await.unwrap();
        *connection.health.lock().unwrap() = Health::NeedsReset;
        connection.release().await;
        assert_eq!(
            pool.metrics(),
            PoolMetrics {
                in_use: 0,
                idle: 0,
                created: 1,
                closed: 1
            }
        );
        let again = pool.acquire(&()).await.unwrap();
        assert_eq!(again.id, 1, "a new connection replaces the discarded one");
    }

    #[tokio::test]
    async fn a_broken_connection_is_never_handed_out_again() {
        let (pool, _) = pool(1);
        let connection = pool.acquire(&()).await.unwrap();
        let health = Arc::clone(&connection.health);
        drop(connection);
        *health.lock().unwrap() = Health::Broken;
        let next = pool.acquire(&()).await.unwrap();
        assert_eq!(next.id, 1);
        assert_eq!(pool.metrics().closed, 1);
    }

    #[tokio::test]
    async fn exhaustion_gives_the_acquisition_timeout_error() {
        let (pool, _) = pool(2);
        let _a = pool.acquire(&()).await.unwrap();
        let _b = pool.acquire(&()).await.unwrap();
        let started = Instant::now();
        let err = pool.acquire(&()).await.err().unwrap();
        assert_eq!(err.kind(), ErrorKind::ConnectionAcquisitionTimeout);
        assert!(started.elapsed() >= Duration::from_millis(200));
        assert!(err.to_string().contains("max pool size 2"), "{err}");
        assert_eq!(pool.metrics().created, 2);
    }

    #[tokio::test]
    async fn waiters_are_served_in_arrival_order() {
        let (pool, _) = pool(1);
        let held = pool.acquire(&()).await.unwrap();
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for i in 0..5 {
            let pool = pool.clone();
            let order = Arc::clone(&order);
            tasks.push(tokio::spawn(async move {
                let c = pool.acquire(&()).await.unwrap();
                order.lock().unwrap().push(i);
                c.release().await;
            }));
            tokio::task::yield_now().await;
        }
        held.release().await;
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![0, 1, 2, 3, 4]);
    }

    #[tokio::test]
    async fn never_more_connections_than_the_maximum() {
        let (pool, manager) = pool(3);
        *manager.connect_delay.lock().unwrap() = Duration::from_millis(2);
        let tasks: Vec<_> = (0..40)
            .map(|_| {
                let pool = pool.clone();
                tokio::spawn(async move {
                    let c = pool.acquire(&()).await.unwrap();
                    assert!(pool.metrics().in_use <= 3);
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    c.release().await;
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert!(manager.opened.load(Ordering::Acquire) <= 3);
        assert_eq!(pool.metrics().in_use, 0);
    }

    #[tokio::test]
    async fn dropping_a_dirty_connection_resets_it_in_the_background() {
        let (pool, manager) = pool(1);
        let connection = pool.acquire(&()).await.unwrap();
        *connection.health.lock().unwrap() = Health::NeedsReset;
        drop(connection);
        let again = pool.acquire(&()).await.unwrap();
        assert_eq!(again.id, 0, "the reset connection is reused");
        assert_eq!(manager.resets.load(Ordering::Acquire), 1);
    }

    #[tokio::test]
    async fn expired_connections_are_replaced() {
        let manager = Arc::new(TestManager::default());
        let pool = Pool::new(
            Arc::clone(&manager),
            test_address(),
            PoolSettings {
                max_size: 1,
                acquisition_timeout: Duration::from_secs(1),
                max_lifetime: Duration::from_millis(20),
                liveness_check_timeout: None,
                clock: Arc::new(SystemClock),
            },
        );
        pool.acquire(&()).await.unwrap().release().await;
        tokio::time::sleep(Duration::from_millis(30)).await;
        let connection = pool.acquire(&()).await.unwrap();
        assert_eq!(connection.id, 1);
    }

    #[tokio::test]
    async fn idle_connections_past_the_liveness_threshold_are_checked() {
        let manager = Arc::new(TestManager::default());
        let pool = Pool::new(
            Arc::clone(&manager),
            test_address(),
            PoolSettings {
                max_size: 1,
                acquisition_timeout: Duration::from_secs(1),
                max_lifetime: Duration::from_secs(3600),
                liveness_check_timeout: Some(Duration::ZERO),
                clock: Arc::new(SystemClock),
            },
        );
        pool.acquire(&()).await.unwrap().release().await;
        let connection = pool.acquire(&()).await.unwrap();
        assert_eq!(connection.id, 0);
        assert_eq!(manager.resets.load(Ordering::Acquire), 1);
    }

    #[tokio::test]
    async fn a_checked_acquisition_resets_an_idle_connection_first() {
        let (pool, manager) = pool(1);
        pool.acquire(&()).await.unwrap().release().await;
        pool.acquire(&()).await.unwrap().release().await;
        assert_eq!(manager.resets.load(Ordering::Acquire), 0);
        let connection = pool.acquire_with(&(), Liveness::Always).await.unwrap();
        assert_eq!(connection.id, 0, "the idle connection, checked");
        assert_eq!(manager.resets.load(Ordering::Acquire), 1);
    }

    #[tokio::test]
    async fn a_closed_pool_refuses_acquisitions() {
        let (pool, _) = pool(1);
        pool.acquire(&()).await.unwrap().release().await;
        pool.close().await;
        let err = pool.acquire(&()).await.err().unwrap();
        assert_eq!(err.kind(), ErrorKind::ServiceUnavailable);
        assert_eq!(pool.metrics().idle, 0);
    }

    #[tokio::test]
    async fn a_connection_whose_preparation_fails_stays_pooled_unless_it_broke() {
        let (pool, manager) = pool(1);
        pool.acquire(&()).await.unwrap().release().await;

        manager.fail_prepare.store(true, Ordering::Release);
        let error = pool.acquire(&()).await.err().unwrap();
        assert_eq!(error.kind(), ErrorKind::Server);
        let metrics = pool.metrics();
        assert_eq!((metrics.idle, metrics.closed, metrics.in_use), (1, 0, 0));

        manager.break_in_prepare.store(true, Ordering::Release);
        let error = pool.acquire(&()).await.err().unwrap();
        assert_eq!(error.kind(), ErrorKind::ServiceUnavailable);
        let metrics = pool.metrics();
        assert_eq!((metrics.idle, metrics.in_use), (0, 0));
        assert_eq!(manager.opened.load(Ordering::Acquire), 1);
    }

    #[tokio::test]
    async fn a_clean_connection_past_its_lifetime_is_closed_when_released() {
        let (pool, manager) = pool_with_lifetime(1, Duration::ZERO);
        pool.acquire(&()).await.unwrap().release().await;
        let metrics = pool.metrics();
        assert_eq!((metrics.idle, metrics.in_use), (0, 0));
        pool.acquire(&()).await.unwrap().release().await;
        assert_eq!(manager.opened.load(Ordering::Acquire), 2);
    }
}
