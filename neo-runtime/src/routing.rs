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

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use neo_bolt::message::{AccessMode, Request, Route};
use neo_bolt::packstream::Map;

use crate::address::Address;
use crate::bolt::ConnectSettings;
use crate::driver::{ConnectionManager, PooledConnection};
use crate::error::{Error, ErrorKind};
use crate::link::Link;
use crate::pool::{Pool, PoolMetrics, PoolSettings};

/// The servers of one database, by role, and until when they hold.
#[derive(Debug, Clone)]
struct Table {
    routers: Vec<Address>,
    readers: Vec<Address>,
    writers: Vec<Address>,
    expires: Instant,
}

impl Table {
    fn servers(&self, mode: AccessMode) -> &[Address] {
        match mode {
            AccessMode::Read => &self.readers,
            AccessMode::Write => &self.writers,
        }
    }

    /// Whether the table can serve `mode` without being fetched again.
    fn is_fresh_for(&self, mode: AccessMode) -> bool {
        Instant::now() < self.expires && !self.routers.is_empty() && !self.servers(mode).is_empty()
    }

    fn forget(&mut self, address: &Address) {
        self.readers.retain(|a| a != address);
        self.writers.retain(|a| a != address);
        self.routers.retain(|a| a != address);
    }
}

/// The key of a database's table: its name, or `None` for the user's home
/// database.
type DatabaseKey = Option<String>;

/// What a session needs to know to get a connection from the router.
pub(crate) struct Target<'a> {
    pub(crate) mode: AccessMode,
    pub(crate) database: Option<&'a str>,
    pub(crate) bookmarks: &'a [String],
    pub(crate) impersonated_user: Option<&'a str>,
}

/// Routing tables and the pools of the servers they name.
pub(crate) struct Router {
    /// The address of the URI: the router of last resort.
    initial: Address,
    /// The routing context sent with ROUTE (as in HELLO).
    context: Map,
    settings: Arc<ConnectSettings>,
    pool_settings: PoolSettings,
    tables: Mutex<HashMap<DatabaseKey, Table>>,
    pools: Mutex<HashMap<Address, Pool<ConnectionManager>>>,
    /// What the pools closed since held, so that totals only grow.
    retired: Mutex<PoolMetrics>,
    /// Spreads transactions over the readers, and over the writers.
    read_turn: AtomicUsize,
    write_turn: AtomicUsize,
    /// One table fetch at a time.
    fetching: tokio::sync::Mutex<()>,
}

impl fmt::Debug for Router {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Router")
            .field("initial", &self.initial)
            .field("tables", &self.lock_tables().len())
            .finish_non_exhaustive()
    }
}

impl Router {
    pub(crate) fn new(
        initial: Address,
        context: Map,
        settings: ConnectSettings,
        pool_settings: PoolSettings,
    ) -> Self {
        Router {
            initial,
            context,
            settings: Arc::new(settings),
            pool_settings,
            tables: Mutex::new(HashMap::new()),
            pools: Mutex::new(HashMap::new()),
            retired: Mutex::new(PoolMetrics::default()),
            read_turn: AtomicUsize::new(0),
            write_turn: AtomicUsize::new(0),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    fn lock_tables(&self) -> std::sync::MutexGuard<'_, HashMap<DatabaseKey, Table>> {
        self.tables.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The pool of one server, created on first use.
    fn pool(&self, address: &Address) -> Pool<ConnectionManager> {
        let mut pools = self.pools.lock().unwrap_or_else(PoisonError::into_inner);
        pools
            .entry(address.clone())
            .or_insert_with(|| {
                Pool::new(
                    ConnectionManager::new(address.clone(), Arc::clone(&self.settings)),
                    self.pool_settings.clone(),
                )
            })
            .clone()
    }

    /// A connection to a server of the target's role, fetching the table
    /// first if needed, and forgetting servers that cannot be reached.
    pub(crate) async fn acquire(&self, target: &Target<'_>) -> Result<PooledConnection, Error> {
        let key = target.database.map(str::to_owned);
        let mut fetched = false;
        loop {
            let servers = match self.fresh_servers(&key, target.mode) {
                Some(servers) => servers,
                None if fetched => return Err(no_server(target)),
                None => {
                    self.fetch(&key, target).await?;
                    fetched = true;
                    continue;
                }
            };
            for address in self.in_preference_order(servers, target.mode) {
                match self.pool(&address).acquire().await {
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
            self.fetch(&key, target).await?;
            fetched = true;
        }
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
        let pools = self.pools.lock().unwrap_or_else(PoisonError::into_inner);
        let in_use = |address: &Address| pools.get(address).map_or(0, |pool| pool.metrics().in_use);
        // A stable sort keeps the rotation among equals.
        servers.sort_by_key(in_use);
        servers
    }

    /// The servers for `mode` of a table that is still fresh.
    fn fresh_servers(&self, key: &DatabaseKey, mode: AccessMode) -> Option<Vec<Address>> {
        let tables = self.lock_tables();
        let table = tables.get(key).filter(|t| t.is_fresh_for(mode))?;
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
        self.lock_tables()
            .get(&key)
            .is_some_and(|t| t.is_fresh_for(mode) && t.servers(mode).contains(address))
    }

    /// Fetches the database's table from the first router that answers.
    async fn fetch(&self, key: &DatabaseKey, target: &Target<'_>) -> Result<(), Error> {
        let _one_at_a_time = self.fetching.lock().await;
        // Someone else may have fetched it while this one waited.
        if self.fresh_servers(key, target.mode).is_some() {
            return Ok(());
        }
        let mut routers: Vec<Address> = self
            .lock_tables()
            .get(key)
            .map(|t| t.routers.clone())
            .unwrap_or_default();
        if !routers.contains(&self.initial) {
            routers.push(self.initial.clone());
        }
        let mut last_error = None;
        for router in &routers {
            match self.route(router, target).await {
                Ok(table) => {
                    tracing::debug!(
                        database = ?key, %router,
                        readers = table.readers.len(), writers = table.writers.len(),
                        "routing table fetched"
                    );
                    self.lock_tables().insert(key.clone(), table);
                    self.close_unlisted_pools().await;
                    return Ok(());
                }
                Err(error) if is_fatal_during_discovery(&error) => return Err(error),
                Err(error) => {
                    tracing::warn!(%router, %error, "router failed; trying the next");
                    if error.kind() == ErrorKind::ServiceUnavailable {
                        self.forget(router);
                    }
                    last_error = Some(error);
                }
            }
        }
        let mut error = Error::new(
            ErrorKind::ServiceUnavailable,
            format!(
                "no router answered for database {}",
                key.as_deref()
                    .map_or("(home)".to_owned(), |db| format!("`{db}`"))
            ),
        );
        if let Some(source) = last_error {
            error = error.with_source(source);
        }
        Err(error)
    }

    /// Asks one router for the table.
    async fn route(&self, router: &Address, target: &Target<'_>) -> Result<Table, Error> {
        let connection = self.pool(router).acquire().await?;
        let mut link = Link::new(connection);
        let request = Request::Route(Route {
            routing: Cow::Borrowed(&self.context),
            bookmarks: Cow::Borrowed(target.bookmarks),
            db: target.database.map(Cow::Borrowed),
            imp_user: target.impersonated_user.map(Cow::Borrowed),
        });
        let answer = link.call(&request).await;
        link.into_connection().release().await;
        let table = answer?.routing_table().map_err(|error| {
            Error::new(
                ErrorKind::Protocol,
                format!("{router} sent a malformed routing table"),
            )
            .with_source(error)
        })?;
        let addresses = |names: &[String]| -> Vec<Address> {
            names.iter().filter_map(|name| name.parse().ok()).collect()
        };
        let ttl = u64::try_from(table.ttl).unwrap_or(0);
        Ok(Table {
            routers: addresses(&table.routers),
            readers: addresses(&table.readers),
            writers: addresses(&table.writers),
            expires: Instant::now() + Duration::from_secs(ttl.min(24 * 3600)),
        })
    }

    /// Closes the pools of servers that no table names any more (their
    /// connections in use close when they come back).
    async fn close_unlisted_pools(&self) {
        let listed: Vec<Address> = {
            let tables = self.lock_tables();
            tables
                .values()
                .flat_map(|t| t.routers.iter().chain(&t.readers).chain(&t.writers))
                .chain(std::iter::once(&self.initial))
                .cloned()
                .collect()
        };
        let unlisted: Vec<Pool<ConnectionManager>> = {
            let mut pools = self.pools.lock().unwrap_or_else(PoisonError::into_inner);
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

    /// Forgets a server that could not be reached, in every table.
    pub(crate) fn forget(&self, address: &Address) {
        for table in self.lock_tables().values_mut() {
            table.forget(address);
        }
    }

    /// Forgets a server as a writer of every table (it no longer leads).
    pub(crate) fn forget_writer(&self, address: &Address) {
        for table in self.lock_tables().values_mut() {
            table.writers.retain(|a| a != address);
        }
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
    let fatal_server_error = error.server_error().is_some_and(|server| {
        server.is_fatal_during_discovery() || server.code().starts_with("Neo.ClientError.Security.")
    });
    fatal_server_error
        || matches!(
            error.kind(),
            ErrorKind::Usage | ErrorKind::InvalidConfiguration
        )
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
            target
                .database
                .map_or("(home)".to_owned(), |db| format!("`{db}`"))
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(text: &str) -> Address {
        text.parse().unwrap()
    }

    #[test]
    fn a_table_serves_a_role_while_fresh_and_not_empty() {
        let mut table = Table {
            routers: vec![address("a:1")],
            readers: vec![address("b:1"), address("c:1")],
            writers: vec![address("a:1")],
            expires: Instant::now() + Duration::from_secs(60),
        };
        assert!(table.is_fresh_for(AccessMode::Read));
        assert!(table.is_fresh_for(AccessMode::Write));
        table.forget(&address("a:1"));
        assert!(!table.is_fresh_for(AccessMode::Write), "no writer left");
        assert!(!table.is_fresh_for(AccessMode::Read), "no router left");
        table.routers.push(address("b:1"));
        assert!(table.is_fresh_for(AccessMode::Read));
        table.expires = Instant::now();
        assert!(!table.is_fresh_for(AccessMode::Read), "expired");
    }
}
