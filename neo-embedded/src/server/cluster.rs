//! Several embedded servers that act as one Neo4j cluster database.
//!
//! By default the members share one graph engine and one bookmark clock, so
//! a write committed through the leader is visible on every follower at
//! once and a bookmark from any member is understood by all. A lagging
//! cluster ([`Cluster::with_replication_lag`]) gives each member a graph of
//! its own instead, and followers apply the leader's commits some time
//! after they happened (see `replication.rs`). ROUTE on any member
//! describes the whole cluster, and a follower refuses writes the way a
//! Neo4j follower does.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use neo_bolt::ServerError;
use neo_bolt::StatusCode;
use tokio::sync::watch;

use super::bookmarks::BookmarkClock;
use super::replication::{Replica, ReplicationLog};
use super::{EmbeddedServer, ServerConfig};
use crate::engine::{GraphEngine, MarsEngine};

/// How long a routing table is valid when the cluster names no ttl.
const DEFAULT_TTL: Duration = Duration::from_secs(300);

/// What a member does in the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberRole {
    /// Accepts writes; routing tables list it as a writer.
    Leader,
    /// Serves reads only; a write fails with
    /// `Neo.ClientError.Cluster.NotALeader`.
    Follower,
}

/// Something that names a cluster member: its [`EmbeddedServer`] or the
/// address it listens on.
pub trait MemberAddress {
    /// The member's listening address.
    fn member_address(&self) -> SocketAddr;
}

impl MemberAddress for SocketAddr {
    fn member_address(&self) -> SocketAddr {
        *self
    }
}

impl MemberAddress for EmbeddedServer {
    fn member_address(&self) -> SocketAddr {
        self.address()
    }
}

impl<T: MemberAddress + ?Sized> MemberAddress for &T {
    fn member_address(&self) -> SocketAddr {
        (**self).member_address()
    }
}

/// What the members of one cluster share.
pub(crate) struct ClusterState {
    ttl: Duration,
    clock: Arc<BookmarkClock>,
    engine: Mutex<Option<Arc<dyn GraphEngine>>>,
    members: Mutex<Vec<(SocketAddr, MemberRole)>>,
    /// Set for a lagging cluster: members have graphs of their own.
    replication: Mutex<Option<Replication>>,
    /// Bumped whenever a member's role changes or a member leaves.
    roles: watch::Sender<u64>,
}

/// How a lagging cluster replicates.
#[derive(Clone)]
struct Replication {
    log: Arc<ReplicationLog>,
    lag: Duration,
}

/// The routing table of a cluster, as addresses.
pub(crate) struct Table {
    pub(crate) ttl: i64,
    pub(crate) routers: Vec<String>,
    pub(crate) readers: Vec<String>,
    pub(crate) writers: Vec<String>,
}

impl ClusterState {
    fn members(&self) -> MutexGuard<'_, Vec<(SocketAddr, MemberRole)>> {
        self.members
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The cluster's routing table: every member routes, leaders write,
    /// followers read (every member reads when there is no follower).
    pub(crate) fn table(&self) -> Table {
        let members = self.members();
        let with = |role: MemberRole| -> Vec<String> {
            members
                .iter()
                .filter(|(_, r)| *r == role)
                .map(|(address, _)| address.to_string())
                .collect()
        };
        let routers: Vec<String> = members.iter().map(|(a, _)| a.to_string()).collect();
        let followers = with(MemberRole::Follower);
        Table {
            ttl: i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX),
            readers: if followers.is_empty() {
                routers.clone()
            } else {
                followers
            },
            writers: with(MemberRole::Leader),
            routers,
        }
    }

    fn role_of(&self, address: SocketAddr) -> Option<MemberRole> {
        self.members()
            .iter()
            .find(|(a, _)| *a == address)
            .map(|(_, role)| *role)
    }

    pub(crate) fn leave(&self, address: SocketAddr) -> bool {
        let mut members = self.members();
        let before = members.len();
        members.retain(|(a, _)| *a != address);
        let left = members.len() != before;
        drop(members);
        self.roles.send_modify(|generation| *generation += 1);
        left
    }

    fn replication(&self) -> Option<Replication> {
        self.replication
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The replication log of a lagging cluster.
    pub(crate) fn replication_log(&self) -> Option<Arc<ReplicationLog>> {
        self.replication().map(|replication| replication.log)
    }

    fn engine(&self) -> io::Result<Arc<dyn GraphEngine>> {
        let mut engine = self
            .engine
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(engine) = engine.as_ref() {
            return Ok(engine.clone());
        }
        let created: Arc<dyn GraphEngine> =
            Arc::new(MarsEngine::new().map_err(|e| io::Error::other(e.to_string()))?);
        *engine = Some(created.clone());
        Ok(created)
    }
}

/// One server's place in a cluster.
#[derive(Clone)]
pub(crate) struct Membership {
    pub(crate) cluster: Arc<ClusterState>,
    pub(crate) address: SocketAddr,
}

impl Membership {
    /// Fails a statement that writes unless this member leads.
    pub(crate) fn check_write(&self) -> Result<(), ServerError> {
        match self.cluster.role_of(self.address) {
            Some(MemberRole::Leader) => Ok(()),
            role => Err(not_a_leader(role)),
        }
    }
}

/// What a Neo4j 5 follower answers to a write.
fn not_a_leader(role: Option<MemberRole>) -> ServerError {
    let role = match role {
        Some(MemberRole::Follower) => "FOLLOWER",
        _ => "UNKNOWN",
    };
    ServerError::new(
        StatusCode::NOT_A_LEADER,
        format!(
            "No write operations are allowed directly on this database. Writes must pass \
             through the leader. The role of this server is: {role}"
        ),
    )
}

/// A set of [`EmbeddedServer`]s that behave like one Neo4j cluster
/// database.
///
/// Members share one graph engine and one bookmark clock, unless the
/// cluster lags ([`with_replication_lag`](Self::with_replication_lag)).
/// ROUTE on any
/// member answers the whole cluster: every member is a router, leaders are
/// writers, followers are readers (every member reads when there is no
/// follower), addresses as `host:port` of each member's listening socket.
/// A follower refuses a statement that writes, before it has any effect,
/// with `Neo.ClientError.Cluster.NotALeader`; reads work on every member.
///
/// A member leaves the cluster when [`remove`](Self::remove)d, or when its
/// server is shut down or dropped. Clones of a `Cluster` are handles on the
/// same cluster.
///
/// ```
/// use neo_embedded::{Cluster, MemberRole};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let cluster = Cluster::new();
/// let leader = cluster.start_member(MemberRole::Leader)?;
/// let follower = cluster.start_member(MemberRole::Follower)?;
/// assert_eq!(
///     cluster.members(),
///     vec![
///         (leader.address(), MemberRole::Leader),
///         (follower.address(), MemberRole::Follower),
///     ]
/// );
///
/// // A leader switch: the follower takes over the writes.
/// cluster.set_role(&leader, MemberRole::Follower);
/// cluster.set_role(&follower, MemberRole::Leader);
///
/// // Shutting a member down takes it out of the routing tables.
/// leader.shutdown().await;
/// assert_eq!(cluster.members(), vec![(follower.address(), MemberRole::Leader)]);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Cluster {
    state: Arc<ClusterState>,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("ttl", &self.state.ttl)
            .field("members", &*self.state.members())
            .finish()
    }
}

impl Default for Cluster {
    fn default() -> Self {
        Cluster::new()
    }
}

impl Cluster {
    /// An empty cluster whose routing tables live 300 s.
    pub fn new() -> Self {
        Cluster::with_ttl(DEFAULT_TTL)
    }

    /// An empty cluster whose routing tables live `ttl` (whole seconds).
    pub fn with_ttl(ttl: Duration) -> Self {
        Cluster {
            state: Arc::new(ClusterState {
                ttl,
                clock: Arc::new(BookmarkClock::new()),
                engine: Mutex::new(None),
                members: Mutex::new(Vec::new()),
                replication: Mutex::new(None),
                roles: watch::Sender::new(0),
            }),
        }
    }

    /// Makes followers lag: each member gets an in-memory graph of its
    /// own, and a follower applies each of the leader's commits `lag` after
    /// it was committed, as a Neo4j follower catching up through its
    /// transaction log. So a read on a follower without bookmarks may not
    /// see a write the leader has acknowledged, while a BEGIN or auto-commit
    /// RUN carrying that write's bookmark waits until the follower has
    /// applied it, or fails after the member's
    /// [`bookmark_wait_timeout`](ServerConfig::bookmark_wait_timeout) with
    /// `Neo.TransientError.Transaction.BookmarkTimeout`.
    ///
    /// The leader applies its own commits at once; a member made leader
    /// with [`set_role`](Self::set_role) applies what it has not yet
    /// applied at once too, and writes only after it has caught up. Keep
    /// one leader at a time: two leaders writing at once would each build
    /// on a graph the other has not seen.
    ///
    /// What travels is each committed transaction's statements with their
    /// parameters, replayed in commit order, so element ids agree across
    /// members; a statement calling `rand()`, `randomUUID()`,
    /// `timestamp()` or `datetime()` (without arguments) gives followers
    /// other values than the leader. The log is kept whole, so a member
    /// started late replays everything. Set the lag before starting
    /// members; a lagging cluster cannot serve a prepared engine
    /// ([`with_engine`](Self::with_engine)).
    ///
    /// ```
    /// use std::time::Duration;
    /// use neo_embedded::{Cluster, MemberRole};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let cluster = Cluster::new().with_replication_lag(Duration::from_millis(500));
    /// let leader = cluster.start_member(MemberRole::Leader)?;
    /// let follower = cluster.start_member(MemberRole::Follower)?;
    /// assert_eq!(cluster.replication_lag(), Some(Duration::from_millis(500)));
    /// # drop((leader, follower));
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_replication_lag(self, lag: Duration) -> Self {
        *self
            .state
            .replication
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Replication {
            log: ReplicationLog::new(),
            lag,
        });
        self
    }

    /// How long followers take to apply a commit, if the cluster lags.
    pub fn replication_lag(&self) -> Option<Duration> {
        self.state.replication().map(|replication| replication.lag)
    }

    /// Serves `engine` instead of a new in-memory [`MarsEngine`], for a
    /// cluster over a graph prepared beforehand. Members started earlier
    /// keep the engine they were started with.
    pub fn with_engine(self, engine: Arc<dyn GraphEngine>) -> Self {
        *self
            .state
            .engine
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(engine);
        self
    }

    /// Starts a member with the default [`ServerConfig`], like
    /// [`EmbeddedServer::start`] (it must be called inside a tokio runtime).
    pub fn start_member(&self, role: MemberRole) -> io::Result<EmbeddedServer> {
        self.start_member_with(role, ServerConfig::new())
    }

    /// Starts a member with `config` (authentication, listening address,
    /// Bolt version, ...). The cluster's engine replaces any engine the
    /// configuration names, so that every member serves the same graph.
    pub fn start_member_with(
        &self,
        role: MemberRole,
        config: ServerConfig,
    ) -> io::Result<EmbeddedServer> {
        let Some(replication) = self.state.replication() else {
            let config = config.engine(self.state.engine()?);
            return self.join(role, config, self.state.clock.clone());
        };
        let shared = self
            .state
            .engine
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .is_some();
        if shared {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a lagging cluster gives each member a graph of its own: it cannot serve a \
                 prepared engine, nor members started before the lag was set",
            ));
        }
        let engine: Arc<dyn GraphEngine> =
            Arc::new(MarsEngine::new().map_err(|e| io::Error::other(e.to_string()))?);
        let clock = Arc::new(BookmarkClock::new());
        let server = self.join(role, config.engine(engine.clone()), clock.clone())?;
        let address = server.address();
        let cluster = self.state.clone();
        let lag = replication.lag;
        let replica = Replica {
            log: replication.log,
            engine,
            clock,
            address,
            lag: Box::new(move || match cluster.role_of(address) {
                Some(MemberRole::Leader) => Duration::ZERO,
                _ => lag,
            }),
            roles: self.state.roles.subscribe(),
        };
        tokio::spawn(replica.run(server.stop_signal()));
        Ok(server)
    }

    fn join(
        &self,
        role: MemberRole,
        config: ServerConfig,
        clock: Arc<BookmarkClock>,
    ) -> io::Result<EmbeddedServer> {
        let state = self.state.clone();
        EmbeddedServer::start_in(config, clock, move |address| {
            state.members().push((address, role));
            state.roles.send_modify(|generation| *generation += 1);
            Membership {
                cluster: state.clone(),
                address,
            }
        })
    }

    /// Gives a member a new role, as after a leader election. Returns
    /// whether `member` is in the cluster.
    pub fn set_role(&self, member: impl MemberAddress, role: MemberRole) -> bool {
        let address = member.member_address();
        let mut members = self.state.members();
        let found = match members.iter_mut().find(|(a, _)| *a == address) {
            Some(entry) => {
                entry.1 = role;
                true
            }
            None => false,
        };
        drop(members);
        self.state.roles.send_modify(|generation| *generation += 1);
        found
    }

    /// Takes a member out of the cluster: it disappears from routing tables
    /// and refuses writes, but keeps serving its connections. Returns
    /// whether it was a member.
    pub fn remove(&self, member: impl MemberAddress) -> bool {
        self.state.leave(member.member_address())
    }

    /// Removes a member and shuts its server down.
    pub async fn shutdown_member(&self, server: EmbeddedServer) {
        self.remove(&server);
        server.shutdown().await;
    }

    /// The members with their roles, in the order they joined.
    pub fn members(&self) -> Vec<(SocketAddr, MemberRole)> {
        self.state.members().clone()
    }

    /// How long the routing tables of this cluster live.
    pub fn ttl(&self) -> Duration {
        self.state.ttl
    }
}
