//! Routing for `neo4j://` URIs: a routing table per database, fetched with
//! ROUTE from the cluster's routers, and a pool per server.
//!
//! A transaction runs on a writer or a reader of its database's table. A
//! table is fetched when there is none, when it has expired, or when it has
//! no server left for the role asked; routers are tried in turn, then the
//! address of the URI. A server that cannot be reached is forgotten from
//! every table, a writer that turns out not to lead is forgotten as a
//! writer, and the next transaction (or the retry of a managed one) finds
//! another, fetching a new table if needed. The pools of servers no table
//! names any more are closed when a table is fetched.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use neo_bolt::message::AccessMode;
use neo_bolt::packstream::Map;

use super::pool::{Liveness, Manage, Pool, PoolMetrics, PoolSettings, Pooled};
use crate::address::Address;
use crate::error::{Error, ErrorKind};
use crate::resolver::ServerAddressResolver;

mod table;

pub(crate) use table::RoutingTable;

/// What a session needs routed: the role and database of its next
/// transaction, and what ROUTE must carry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    pub(crate) mode: AccessMode,
    pub(crate) database: Option<&'a str>,
    pub(crate) bookmarks: &'a [String],
    pub(crate) impersonated_user: Option<&'a str>,
}

/// A ROUTE request: the routing context (as in HELLO) and the target.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RouteRequest<'a> {
    pub(crate) context: &'a Map,
    pub(crate) bookmarks: &'a [String],
    pub(crate) database: Option<&'a str>,
    pub(crate) impersonated_user: Option<&'a str>,
}

/// Connections that can ask a router for a database's routing table.
pub(crate) trait Discover: Manage {
    /// Sends ROUTE on `connection` and reads the table it answers.
    fn fetch_table(
        &self,
        connection: &mut Self::Connection,
        request: RouteRequest<'_>,
    ) -> impl Future<Output = Result<neo_bolt::message::RoutingTable, Error>> + Send;
}

/// Whether an acquisition fetches the routing table first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refresh {
    /// When it is missing, expired, or has no server left for the role.
    WhenStale,
    /// Always (checking connectivity proves the routers answer).
    Now,
}

/// The key of a database's table: its name, or `None` for the user's home
/// database.
type DatabaseKey = Option<String>;

/// Routing tables and the pools of the servers they name.
pub(crate) struct Router<M: Manage> {
    /// The address of the URI: the router of last resort.
    initial: Address,
    /// The routing context sent with ROUTE (as in HELLO).
    context: Map,
    manager: Arc<M>,
    pool_settings: PoolSettings,
    tables: Mutex<HashMap<DatabaseKey, RoutingTable>>,
    pools: Mutex<HashMap<Address, Pool<M>>>,
    /// What the pools closed since held, so that totals only grow.
    retired: Mutex<PoolMetrics>,
    /// Spreads transactions over the readers, and over the writers.
    read_turn: AtomicUsize,
    write_turn: AtomicUsize,
    /// One table fetch at a time.
    fetching: tokio::sync::Mutex<()>,
    /// Turns `initial` into the routers to fall back on.
    resolver: Option<Arc<dyn ServerAddressResolver>>,
}

impl<M: Manage> fmt::Debug for Router<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Router")
            .field("initial", &self.initial)
            .field(
                "tables",
                &self
                    .tables
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .len(),
            )
            .finish_non_exhaustive()
    }
}

impl<M: Discover> Router<M> {
    pub(crate) fn new(
        initial: Address,
        context: Map,
        manager: Arc<M>,
        pool_settings: PoolSettings,
    ) -> Self {
        Router {
            initial,
            context,
            manager,
            pool_settings,
            tables: Mutex::new(HashMap::new()),
            pools: Mutex::new(HashMap::new()),
            retired: Mutex::new(PoolMetrics::default()),
            read_turn: AtomicUsize::new(0),
            write_turn: AtomicUsize::new(0),
            fetching: tokio::sync::Mutex::new(()),
            resolver: None,
        }
    }

    /// Falls back on the routers `resolver` turns the initial address
    /// into, instead of the address itself.
    pub(crate) fn with_resolver(mut self, resolver: Arc<dyn ServerAddressResolver>) -> Self {
        self.resolver = Some(resolver);
        self
    }

    /// The routers to fall back on when no known router answers: the
    /// initial address, or what the resolver makes of it.
    async fn initial_routers(&self) -> Result<Vec<Address>, Error> {
        let Some(resolver) = &self.resolver else {
            return Ok(vec![self.initial.clone()]);
        };
        let resolved = resolver.resolve(&self.initial).await.map_err(|error| {
            Error::new(
                ErrorKind::ServiceUnavailable,
                format!("the resolver failed to resolve {}", self.initial),
            )
            .with_source(error)
        })?;
        tracing::debug!(initial = %self.initial, ?resolved, "initial router resolved");
        Ok(resolved)
    }

    fn lock_tables(&self) -> std::sync::MutexGuard<'_, HashMap<DatabaseKey, RoutingTable>> {
        self.tables.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_pools(&self) -> std::sync::MutexGuard<'_, HashMap<Address, Pool<M>>> {
        self.pools.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The pool of one server, created on first use.
    fn pool(&self, address: &Address) -> Pool<M> {
        self.lock_pools()
            .entry(address.clone())
            .or_insert_with(|| {
                Pool::new(
                    Arc::clone(&self.manager),
                    address.clone(),
                    self.pool_settings.clone(),
                )
            })
            .clone()
    }

    /// A connection to a server of the target's role, authenticated as
    /// `auth` asks, fetching the table first if needed (over a router's
    /// connection authenticated the same way), and forgetting servers that
    /// cannot be reached.
    pub(crate) async fn acquire(
        &self,
        target: &Target<'_>,
        auth: &M::Auth,
    ) -> Result<Pooled<M>, Error> {
        self.acquire_with(target, auth, Refresh::WhenStale, Liveness::AsConfigured)
            .await
    }

    /// Like [`acquire`](Self::acquire), fetching the table first as
    /// `refresh` says and checking an idle connection as `liveness` says.
    pub(crate) async fn acquire_with(
        &self,
        target: &Target<'_>,
        auth: &M::Auth,
        refresh: Refresh,
        liveness: Liveness,
    ) -> Result<Pooled<M>, Error> {
        let mut key = target.database.map(str::to_owned);
        let mut fetched = false;
        if refresh == Refresh::Now {
            key = self.fetch(&key, target, auth, true).await?;
            fetched = true;
        }
        loop {
            let servers = match self.fresh_servers(&key, target.mode) {
                Some(servers) => servers,
                None if fetched => return Err(no_server(target)),
                None => {
                    key = self.fetch(&key, target, auth, false).await?;
                    fetched = true;
                    continue;
                }
            };
            for address in self.in_preference_order(servers, target.mode) {
                match self.pool(&address).acquire_with(auth, liveness).await {
                    Ok(connection) => return Ok(connection),
                    Err(error) if error.kind() == ErrorKind::ServiceUnavailable => {
                        tracing::warn!(%address, %error, "server unreachable; forgetting it");
                        self.forget(&address);
                    }
                    Err(error) => return Err(error),
                }
            }
            if fetched {
                return Err(no_server(target));
            }
            key = self.fetch(&key, target, auth, false).await?;
            fetched = true;
        }
    }

    /// Fetches the table of `target`'s database now, whatever the table
    /// held; the key it is kept under (the name a router resolved the
    /// home database to).
    pub(crate) async fn refresh(
        &self,
        target: &Target<'_>,
        auth: &M::Auth,
    ) -> Result<DatabaseKey, Error> {
        let key = target.database.map(str::to_owned);
        self.fetch(&key, target, auth, true).await
    }

    /// Resolves the home database of the target's user (the target names
    /// no database) with a ROUTE, as the official drivers do once per
    /// session, and keeps its table under the name the router gives; that
    /// name, or `None` when the router gives none.
    pub(crate) async fn resolve_home(
        &self,
        target: &Target<'_>,
        auth: &M::Auth,
    ) -> Result<Option<String>, Error> {
        debug_assert!(target.database.is_none());
        self.fetch(&None, target, auth, true).await
    }

    /// The servers to try, the least busy first (fewest connections in
    /// use); servers equally busy take turns, per access mode.
    fn in_preference_order(&self, mut servers: Vec<Address>, mode: AccessMode) -> Vec<Address> {
        let turn = match mode {
            AccessMode::Read => &self.read_turn,
            AccessMode::Write => &self.write_turn,
        };
        let len = servers.len().max(1);
        servers.rotate_left(turn.fetch_add(1, Ordering::Relaxed) % len);
        let pools = self.lock_pools();
        let in_use = |address: &Address| pools.get(address).map_or(0, |pool| pool.metrics().in_use);
        // A stable sort keeps the rotation among equals.
        servers.sort_by_key(in_use);
        servers
    }

    /// The servers for `mode` of a table that is still fresh.
    fn fresh_servers(&self, key: &DatabaseKey, mode: AccessMode) -> Option<Vec<Address>> {
        let tables = self.lock_tables();
        let now = self.pool_settings.clock.now();
        let table = tables.get(key).filter(|t| t.is_fresh_for(mode, now))?;
        Some(table.servers(mode).to_vec())
    }

    /// Whether `address` still serves `mode` for the database, so that a
    /// session may keep its connection to it.
    pub(crate) fn serves(
        &self,
        database: Option<&str>,
        mode: AccessMode,
        address: &Address,
    ) -> bool {
        let key = database.map(str::to_owned);
        self.lock_tables().get(&key).is_some_and(|t| {
            t.is_fresh_for(mode, self.pool_settings.clock.now())
                && t.servers(mode).contains(address)
        })
    }

    /// Fetches the database's table from the first router that answers
    /// (unless another caller did while this one waited, or `again` says
    /// to fetch anyway). The table of the home database (`key` `None`) is
    /// kept under the name the router resolved it to; the key it is kept
    /// under is returned.
    async fn fetch(
        &self,
        key: &DatabaseKey,
        target: &Target<'_>,
        auth: &M::Auth,
        again: bool,
    ) -> Result<DatabaseKey, Error> {
        let _one_at_a_time = self.fetching.lock().await;
        if !again && self.fresh_servers(key, target.mode).is_some() {
            return Ok(key.clone());
        }
        let known: Vec<Address> = {
            let tables = self.lock_tables();
            // The home database's routers are the cluster's: any table's.
            tables
                .get(key)
                .or_else(|| key.is_none().then(|| tables.values().next()).flatten())
                .map(|t| t.routers.clone())
                .unwrap_or_default()
        };
        let mut tried: Vec<Address> = Vec::new();
        let mut last_error = None;
        // The routers a table named first, then (only if none of them
        // answers) the initial address, resolved anew each time.
        let mut fallback: Option<Vec<Address>> = None;
        let mut queue: std::collections::VecDeque<Address> = known.into_iter().collect();
        loop {
            let router = match queue.pop_front() {
                Some(router) => router,
                None if fallback.is_none() => {
                    let initial = match self.initial_routers().await {
                        Ok(initial) => initial,
                        Err(error) => {
                            last_error = Some(error);
                            Vec::new()
                        }
                    };
                    queue.extend(initial.iter().filter(|a| !tried.contains(a)).cloned());
                    fallback = Some(initial);
                    continue;
                }
                None => break,
            };
            if tried.contains(&router) {
                continue;
            }
            tried.push(router.clone());
            match self.route(&router, target, auth).await {
                Ok((table, resolved)) => {
                    let stored = match key {
                        None => resolved,
                        Some(_) => key.clone(),
                    };
                    tracing::debug!(
                        database = ?stored, %router,
                        readers = table.readers.len(), writers = table.writers.len(),
                        "routing table fetched"
                    );
                    self.lock_tables().insert(stored.clone(), table);
                    self.close_unlisted_pools().await;
                    return Ok(stored);
                }
                Err(error) if is_fatal_during_discovery(&error) => return Err(error),
                Err(error) => {
                    tracing::warn!(%router, %error, "router failed; trying the next");
                    if error.kind() == ErrorKind::ServiceUnavailable {
                        self.forget(&router);
                    }
                    last_error = Some(error);
                }
            }
        }
        let mut error = Error::new(
            ErrorKind::ServiceUnavailable,
            format!(
                "no router answered for database {}",
                database_name(target.database)
            ),
        );
        if let Some(source) = last_error {
            error = error.with_source(source);
        }
        Err(error)
    }

    /// Asks one router for the table, and the name of its database.
    async fn route(
        &self,
        router: &Address,
        target: &Target<'_>,
        auth: &M::Auth,
    ) -> Result<(RoutingTable, Option<String>), Error> {
        let mut connection = self.pool(router).acquire(auth).await?;
        let request = RouteRequest {
            context: &self.context,
            bookmarks: target.bookmarks,
            database: target.database,
            impersonated_user: target.impersonated_user,
        };
        let answer = self.manager.fetch_table(&mut connection, request).await;
        connection.release().await;
        let table = answer?;
        // As the official drivers: a table naming no router or no reader is
        // no answer (the cluster is still forming); the next router is asked.
        if table.routers.is_empty() || table.readers.is_empty() {
            return Err(Error::new(
                ErrorKind::ServiceUnavailable,
                format!(
                    "{router} answered a routing table with {} routers and {} readers",
                    table.routers.len(),
                    table.readers.len()
                ),
            ));
        }
        let now = self.pool_settings.clock.now();
        Ok((RoutingTable::from_wire(&table, now), table.db))
    }

    /// Closes the pools of servers that no table names any more (their
    /// connections in use close when they come back).
    async fn close_unlisted_pools(&self) {
        let listed: Vec<Address> = {
            let tables = self.lock_tables();
            tables
                .values()
                .flat_map(RoutingTable::addresses)
                .chain(std::iter::once(&self.initial))
                .cloned()
                .collect()
        };
        let unlisted: Vec<Pool<M>> = {
            let mut pools = self.lock_pools();
            let gone: Vec<Address> = pools
                .keys()
                .filter(|address| !listed.contains(address))
                .cloned()
                .collect();
            gone.iter()
                .filter_map(|address| pools.remove(address))
                .collect()
        };
        for pool in unlisted {
            pool.close().await;
            let metrics = pool.metrics();
            let mut retired = self.retired.lock().unwrap_or_else(PoisonError::into_inner);
            retired.created += metrics.created;
            retired.closed += metrics.closed;
        }
    }
}

impl<M: Manage> Router<M> {
    /// Forgets a server that could not be reached, in every table.
    pub(crate) fn forget(&self, address: &Address) {
        for table in self
            .tables
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values_mut()
        {
            table.forget(address);
        }
    }

    /// Forgets a server as a writer of every table (it no longer leads).
    pub(crate) fn forget_writer(&self, address: &Address) {
        for table in self
            .tables
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values_mut()
        {
            table.forget_writer(address);
        }
    }

    /// Forgets a server as a writer of one database's table (it no longer
    /// leads that database; other databases may still be led by it).
    pub(crate) fn forget_writer_of(&self, database: &str, address: &Address) {
        let key = Some(database.to_owned());
        if let Some(table) = self
            .tables
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_mut(&key)
        {
            table.forget_writer(address);
        }
    }

    /// The table kept for a database (`None`: the one kept without a
    /// name, the home database's when the router named none).
    pub(crate) fn table(&self, database: Option<&str>) -> Option<RoutingTable> {
        let key = database.map(str::to_owned);
        self.tables
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .cloned()
    }

    /// The connections of one server's pool, if the router has one.
    pub(crate) fn server_metrics(&self, address: &Address) -> Option<PoolMetrics> {
        self.pools
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(address)
            .map(Pool::metrics)
    }

    /// The connections of every server's pool, added up.
    pub(crate) fn metrics(&self) -> PoolMetrics {
        let retired = *self.retired.lock().unwrap_or_else(PoisonError::into_inner);
        let pools = self.pools.lock().unwrap_or_else(PoisonError::into_inner);
        pools
            .values()
            .map(Pool::metrics)
            .fold(retired, |total, metrics| PoolMetrics {
                in_use: total.in_use + metrics.in_use,
                idle: total.idle + metrics.idle,
                created: total.created + metrics.created,
                closed: total.closed + metrics.closed,
            })
    }

    /// Closes every server's pool.
    pub(crate) async fn close(&self) {
        let pools: Vec<_> = self
            .pools
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        for pool in pools {
            pool.close().await;
        }
    }
}

/// Whether a failed ROUTE must be reported rather than tried elsewhere.
fn is_fatal_during_discovery(error: &Error) -> bool {
    error
        .server_error()
        .is_some_and(neo_bolt::ServerError::is_fatal_during_discovery)
        || matches!(
            error.kind(),
            ErrorKind::Usage | ErrorKind::InvalidConfiguration
        )
}

fn database_name(database: Option<&str>) -> String {
    database.map_or("(home)".to_owned(), |db| format!("`{db}`"))
}

fn no_server(target: &Target<'_>) -> Error {
    let role = match target.mode {
        AccessMode::Read => "reader",
        AccessMode::Write => "writer",
    };
    Error::new(
        ErrorKind::ServiceUnavailable,
        format!(
            "no {role} of database {} could be reached",
            database_name(target.database)
        ),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    use neo_bolt::{ServerError, StatusCode};

    use super::*;
    use crate::io::pool::{Health, Prepared};

    /// A connection to a scripted server.
    struct MockConnection {
        address: Address,
    }

    /// Servers whose routing tables, failures and reachability a test
    /// scripts, counting what the router asks of them.
    #[derive(Default)]
    struct MockCluster {
        /// What each router answers to ROUTE.
        tables: Mutex<HashMap<Address, Result<neo_bolt::message::RoutingTable, ServerError>>>,
        /// Servers that refuse connections.
        down: Mutex<HashSet<Address>>,
        routes: AtomicUsize,
        routed_to: Mutex<Vec<Address>>,
        connects: Mutex<Vec<Address>>,
    }

    impl MockCluster {
        fn answer(&self, router: &str, table: neo_bolt::message::RoutingTable) {
            self.tables
                .lock()
                .unwrap()
                .insert(address(router), Ok(table));
        }

        fn fail(&self, router: &str, code: StatusCode) {
            let failure = ServerError::new(code, "scripted failure");
            self.tables
                .lock()
                .unwrap()
                .insert(address(router), Err(failure));
        }

        fn take_down(&self, server: &str) {
            self.down.lock().unwrap().insert(address(server));
        }
    }

    impl Manage for MockCluster {
        type Connection = MockConnection;
        type Auth = ();

        async fn prepare(
            &self,
            _connection: &mut MockConnection,
            _auth: &(),
        ) -> Result<Prepared, Error> {
            Ok(Prepared::Ready)
        }

        async fn connect(&self, address: &Address, _auth: &()) -> Result<MockConnection, Error> {
            self.connects.lock().unwrap().push(address.clone());
            if self.down.lock().unwrap().contains(address) {
                return Err(Error::new(
                    ErrorKind::ServiceUnavailable,
                    "connection refused",
                ));
            }
            Ok(MockConnection {
                address: address.clone(),
            })
        }

        fn health(&self, _connection: &MockConnection) -> Health {
            Health::Clean
        }

        async fn reset(&self, _connection: &mut MockConnection) -> Result<(), Error> {
            Ok(())
        }

        async fn close(&self, _connection: MockConnection) {}
    }

    impl Discover for MockCluster {
        async fn fetch_table(
            &self,
            connection: &mut MockConnection,
            _request: RouteRequest<'_>,
        ) -> Result<neo_bolt::message::RoutingTable, Error> {
            self.routes.fetch_add(1, Ordering::AcqRel);
            self.routed_to
                .lock()
                .unwrap()
                .push(connection.address.clone());
            match self.tables.lock().unwrap().get(&connection.address) {
                Some(Ok(table)) => Ok(table.clone()),
                Some(Err(failure)) => Err(Error::server(failure.clone())),
                None => Err(Error::new(
                    ErrorKind::ServiceUnavailable,
                    "no table scripted",
                )),
            }
        }
    }

    fn address(text: &str) -> Address {
        text.parse().unwrap()
    }

    fn table(
        ttl: i64,
        routers: &[&str],
        readers: &[&str],
        writers: &[&str],
    ) -> neo_bolt::message::RoutingTable {
        let names = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect();
        neo_bolt::message::RoutingTable {
            ttl,
            db: None,
            routers: names(routers),
            readers: names(readers),
            writers: names(writers),
        }
    }

    fn router(cluster: &Arc<MockCluster>) -> Router<MockCluster> {
        Router::new(
            address("seed:7687"),
            Map::new(),
            Arc::clone(cluster),
            PoolSettings {
                max_size: 4,
                acquisition_timeout: Duration::from_secs(1),
                max_lifetime: Duration::from_secs(3600),
                liveness_check_timeout: None,
                clock: Arc::new(crate::clock::SystemClock),
            },
        )
    }

    fn target(mode: AccessMode) -> Target<'static> {
        Target {
            mode,
            database: None,
            bookmarks: &[],
            impersonated_user: None,
        }
    }

    #[tokio::test]
    async fn a_table_is_fetched_once_and_serves_each_role_while_fresh() {
        let cluster = Arc::new(MockCluster::default());
        cluster.answer(
            "seed:7687",
            table(300, &["seed:7687"], &["r1:1", "r2:1"], &["w:1"]),
        );
        let router = router(&cluster);

        let writer = router
            .acquire(&target(AccessMode::Write), &())
            .await
            .unwrap();
        assert_eq!(writer.address, address("w:1"));
        let first_reader = router
            .acquire(&target(AccessMode::Read), &())
            .await
            .unwrap();
        let second_reader = router
            .acquire(&target(AccessMode::Read), &())
            .await
            .unwrap();
        let readers: HashSet<_> = [&first_reader.address, &second_reader.address]
            .into_iter()
            .collect();
        assert_eq!(readers.len(), 2, "busy readers are avoided: both are used");
        assert_eq!(
            cluster.routes.load(Ordering::Acquire),
            1,
            "one ROUTE for all three"
        );
        assert!(router.serves(None, AccessMode::Read, &address("r1:1")));
        assert!(!router.serves(None, AccessMode::Write, &address("r1:1")));
    }

    #[tokio::test]
    async fn the_home_database_is_resolved_on_every_request_and_kept_under_its_name() {
        let cluster = Arc::new(MockCluster::default());
        let mut home = table(300, &["seed:7687"], &["r:1"], &["w:1"]);
        home.db = Some("sales".to_owned());
        cluster.answer("seed:7687", home);
        let router = router(&cluster);
        let resolved = router
            .resolve_home(&target(AccessMode::Read), &())
            .await
            .unwrap();
        assert_eq!(resolved.as_deref(), Some("sales"));
        assert!(router.serves(Some("sales"), AccessMode::Read, &address("r:1")));
        assert!(!router.serves(None, AccessMode::Read, &address("r:1")));
        let named = Target {
            database: Some("sales"),
            ..target(AccessMode::Write)
        };
        router.acquire(&named, &()).await.unwrap();
        assert_eq!(
            cluster.routes.load(Ordering::Acquire),
            1,
            "the table is kept"
        );
        router
            .resolve_home(&target(AccessMode::Read), &())
            .await
            .unwrap();
        assert_eq!(
            cluster.routes.load(Ordering::Acquire),
            2,
            "resolving asks the router again"
        );
    }

    #[tokio::test]
    async fn an_expired_table_is_fetched_again() {
        let cluster = Arc::new(MockCluster::default());
        cluster.answer("seed:7687", table(0, &["seed:7687"], &["r:1"], &["w:1"]));
        let router = router(&cluster);
        assert!(
            router
                .acquire(&target(AccessMode::Read), &())
                .await
                .is_err()
        );
        assert_eq!(
            cluster.routes.load(Ordering::Acquire),
            1,
            "a table that expires at once is fetched once per acquisition, not in a loop"
        );
        cluster.answer("seed:7687", table(300, &["seed:7687"], &["r:1"], &["w:1"]));
        router
            .acquire(&target(AccessMode::Read), &())
            .await
            .unwrap();
        assert_eq!(cluster.routes.load(Ordering::Acquire), 2);
    }

    #[tokio::test]
    async fn an_unreachable_server_is_forgotten_and_the_next_one_is_used() {
        let cluster = Arc::new(MockCluster::default());
        cluster.answer(
            "seed:7687",
            table(300, &["seed:7687"], &["r1:1", "r2:1"], &["w:1"]),
        );
        cluster.take_down("r1:1");
        cluster.take_down("r2:1");
        let router = router(&cluster);
        let Err(error) = router.acquire(&target(AccessMode::Read), &()).await else {
            panic!("every reader is down");
        };
        assert_eq!(error.kind(), ErrorKind::ServiceUnavailable);
        assert!(error.to_string().contains("no reader"), "{error}");

        cluster.down.lock().unwrap().remove(&address("r2:1"));
        let reader = router
            .acquire(&target(AccessMode::Read), &())
            .await
            .unwrap();
        assert_eq!(reader.address, address("r2:1"));
    }

    #[tokio::test]
    async fn routers_are_tried_in_turn_and_the_seed_last() {
        let cluster = Arc::new(MockCluster::default());
        cluster.answer("seed:7687", table(300, &["a:1", "b:1"], &["r:1"], &["w:1"]));
        let router = router(&cluster);
        router
            .acquire(&target(AccessMode::Read), &())
            .await
            .unwrap();
        router.forget_writer(&address("w:1"));
        cluster.take_down("a:1");
        cluster.fail("b:1", StatusCode::AUTHORIZATION_EXPIRED);
        cluster.answer("seed:7687", table(300, &["seed:7687"], &["r:1"], &["w2:1"]));

        let writer = router
            .acquire(&target(AccessMode::Write), &())
            .await
            .unwrap();
        assert_eq!(writer.address, address("w2:1"));
        assert_eq!(
            *cluster.routed_to.lock().unwrap(),
            [address("seed:7687"), address("b:1"), address("seed:7687")],
            "`a` refused the connection, `b`'s expired authorization is not fatal"
        );
    }

    #[tokio::test]
    async fn a_table_without_readers_or_routers_is_no_answer() {
        let cluster = Arc::new(MockCluster::default());
        cluster.answer("seed:7687", table(300, &["a:1", "b:1"], &["r:1"], &["w:1"]));
        let router = router(&cluster);
        router
            .acquire(&target(AccessMode::Read), &())
            .await
            .unwrap();
        router.forget_writer(&address("w:1"));
        cluster.answer("a:1", table(300, &["a:1"], &[], &["w:1"]));
        cluster.answer("b:1", table(300, &[], &["r:1"], &["w:1"]));
        cluster.answer("seed:7687", table(300, &["seed:7687"], &["r:1"], &["w2:1"]));

        let writer = router
            .acquire(&target(AccessMode::Write), &())
            .await
            .unwrap();
        assert_eq!(writer.address, address("w2:1"));
        assert_eq!(
            *cluster.routed_to.lock().unwrap(),
            [
                address("seed:7687"),
                address("a:1"),
                address("b:1"),
                address("seed:7687")
            ],
        );

        // When every router answers so, the table stays empty.
        let cluster = Arc::new(MockCluster::default());
        cluster.answer("seed:7687", table(300, &["seed:7687"], &[], &["w:1"]));
        let Err(error) = super::tests::router(&cluster)
            .acquire(&target(AccessMode::Read), &())
            .await
        else {
            panic!("a table without readers was used");
        };
        assert_eq!(error.kind(), ErrorKind::ServiceUnavailable, "{error}");
    }

    #[tokio::test]
    async fn a_fatal_discovery_failure_stops_at_the_first_router() {
        let cluster = Arc::new(MockCluster::default());
        cluster.answer("seed:7687", table(300, &["a:1", "b:1"], &["r:1"], &["w:1"]));
        let router = router(&cluster);
        router
            .acquire(&target(AccessMode::Read), &())
            .await
            .unwrap();
        router.forget_writer(&address("w:1"));
        cluster.fail("a:1", StatusCode::DATABASE_NOT_FOUND);
        cluster.answer("b:1", table(300, &["b:1"], &["r:1"], &["w:1"]));

        let Err(error) = router.acquire(&target(AccessMode::Write), &()).await else {
            panic!("the database does not exist");
        };
        assert_eq!(error.code(), Some(StatusCode::DATABASE_NOT_FOUND.code()));
        assert_eq!(
            cluster.routes.load(Ordering::Acquire),
            2,
            "`b` is never asked"
        );
    }

    #[tokio::test]
    async fn a_writer_that_no_longer_leads_is_dropped_as_writer_only() {
        let cluster = Arc::new(MockCluster::default());
        cluster.answer(
            "seed:7687",
            table(300, &["seed:7687"], &["x:1"], &["x:1", "y:1"]),
        );
        let router = router(&cluster);
        router
            .acquire(&target(AccessMode::Write), &())
            .await
            .unwrap();
        router.forget_writer(&address("x:1"));
        assert!(!router.serves(None, AccessMode::Write, &address("x:1")));
        assert!(router.serves(None, AccessMode::Read, &address("x:1")));
        let writer = router
            .acquire(&target(AccessMode::Write), &())
            .await
            .unwrap();
        assert_eq!(writer.address, address("y:1"));
        assert_eq!(cluster.routes.load(Ordering::Acquire), 1);
    }

    #[tokio::test]
    async fn pools_of_servers_no_table_names_are_closed_and_counted() {
        let cluster = Arc::new(MockCluster::default());
        cluster.answer(
            "seed:7687",
            table(300, &["seed:7687"], &["old:1"], &["w:1"]),
        );
        let router = router(&cluster);
        router
            .acquire(&target(AccessMode::Read), &())
            .await
            .unwrap()
            .release()
            .await;
        assert_eq!(router.metrics().idle, 2, "the seed's and old's");
        router.forget(&address("old:1"));
        cluster.answer(
            "seed:7687",
            table(300, &["seed:7687"], &["new:1"], &["w:1"]),
        );
        router
            .acquire(&target(AccessMode::Read), &())
            .await
            .unwrap()
            .release()
            .await;
        let metrics = router.metrics();
        assert!(!router.lock_pools().contains_key(&address("old:1")));
        assert_eq!(metrics.closed, 1, "old's idle connection was closed");
        assert_eq!(
            metrics.created, 3,
            "totals keep what the closed pool created"
        );
    }
}
