//! Replication for a lagging [`Cluster`](super::Cluster): every member has
//! a graph of its own, the leader's commits are shipped through one log,
//! and each follower applies them a configurable time after they were
//! committed.
//!
//! What is shipped is the committed transaction's statements, in the order
//! they ran, with their parameters (statement-based replication). Applying
//! them in commit order to the same starting state gives the same graph,
//! including element ids, which the engine allocates inside the
//! transaction. Functions whose results differ from run to run (`rand()`,
//! `randomUUID()`, `datetime()` without arguments, `timestamp()`) give
//! followers other values than the leader had.
//!
//! The log's sequence numbers are the cluster's bookmarks. A member's
//! bookmark clock is the last entry it has applied, so a BEGIN carrying a
//! bookmark waits there until that member has caught up.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use neo_bolt::ServerError;
use neo_bolt::packstream::Map;
use tokio::sync::watch;

use super::admin;
use super::bookmarks::BookmarkClock;
use super::transaction::{blocking, engine_failure};
use crate::engine::{AccessMode, GraphEngine, SYSTEM_DATABASE};

/// One committed transaction, as the followers replay it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Change {
    /// The database it wrote to.
    pub(crate) db: String,
    /// Its statements that changed something, in order, with parameters.
    pub(crate) statements: Vec<(String, Map)>,
}

/// A change with its place in the log.
#[derive(Debug)]
struct Entry {
    origin: SocketAddr,
    committed_at: Instant,
    change: Change,
}

/// The cluster's commit log, shared by every member.
#[derive(Debug)]
pub(crate) struct ReplicationLog {
    entries: Mutex<Vec<Arc<Entry>>>,
    /// The sequence number of the newest entry.
    head: watch::Sender<u64>,
    /// Held across a commit and its append, so that the log has commits in
    /// the order they happened.
    committing: Mutex<()>,
}

impl ReplicationLog {
    pub(crate) fn new() -> Arc<ReplicationLog> {
        Arc::new(ReplicationLog {
            entries: Mutex::new(Vec::new()),
            head: watch::Sender::new(0),
            committing: Mutex::new(()),
        })
    }

    fn entries(&self) -> MutexGuard<'_, Vec<Arc<Entry>>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The newest sequence number.
    pub(crate) fn head(&self) -> u64 {
        *self.head.borrow()
    }

    /// Runs `commit` and, if it succeeds and there is a change, appends it
    /// (from `origin`), returning its sequence number. Blocks while another
    /// commit is being appended.
    pub(crate) fn commit_and_append<E>(
        &self,
        origin: SocketAddr,
        change: Option<Change>,
        commit: impl FnOnce() -> Result<(), E>,
    ) -> Result<Option<u64>, E> {
        let _order = self
            .committing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        commit()?;
        let Some(change) = change else {
            return Ok(None);
        };
        let mut entries = self.entries();
        entries.push(Arc::new(Entry {
            origin,
            committed_at: Instant::now(),
            change,
        }));
        let sequence = entries.len() as u64;
        drop(entries);
        self.head.send_replace(sequence);
        Ok(Some(sequence))
    }

    fn entry(&self, sequence: u64) -> Option<Arc<Entry>> {
        let index = usize::try_from(sequence.checked_sub(1)?).ok()?;
        self.entries().get(index).cloned()
    }
}

/// What a member needs to apply the log to its own graph.
pub(crate) struct Replica {
    pub(crate) log: Arc<ReplicationLog>,
    pub(crate) engine: Arc<dyn GraphEngine>,
    pub(crate) clock: Arc<BookmarkClock>,
    pub(crate) address: SocketAddr,
    /// How long after its commit an entry is applied, for this member now
    /// (zero while it leads).
    pub(crate) lag: Box<dyn Fn() -> Duration + Send + Sync>,
    /// Changes when the member's role (and so its lag) may have changed.
    pub(crate) roles: watch::Receiver<u64>,
}

impl Replica {
    /// Applies the log in order until `stop` changes. Entries the member
    /// committed itself are already in its graph; the others are replayed
    /// once their lag has passed. A replay that fails leaves the member
    /// where it was: its bookmarks are never reached, and the failure is
    /// logged.
    pub(crate) async fn run(mut self, mut stop: watch::Receiver<bool>) {
        let mut heads = self.log.head.subscribe();
        let mut applied = 0u64;
        loop {
            let next = applied + 1;
            let waited = tokio::select! {
                reached = heads.wait_for(|head| *head >= next) => reached.is_ok(),
                _ = stop.changed() => false,
            };
            if !waited {
                return;
            }
            let Some(entry) = self.log.entry(next) else {
                return;
            };
            if entry.origin != self.address {
                loop {
                    let due = entry.committed_at + (self.lag)();
                    tokio::select! {
                        () = tokio::time::sleep_until(due.into()) => break,
                        // A new role may mean a new lag: look again.
                        changed = self.roles.changed() => if changed.is_err() {
                            tokio::time::sleep_until(due.into()).await;
                            break;
                        },
                        _ = stop.changed() => return,
                    }
                }
                if let Err(error) = self.apply(&entry.change).await {
                    tracing::error!(
                        member = %self.address,
                        sequence = next,
                        error = %error,
                        "a follower could not apply a committed transaction; it stops replicating"
                    );
                    return;
                }
            }
            applied = next;
            self.clock.reach(applied);
        }
    }

    async fn apply(&self, change: &Change) -> Result<(), ServerError> {
        let engine = self.engine.clone();
        let change = change.clone();
        let advertised = self.address.to_string();
        blocking("applying a replicated transaction", move || {
            if change.db == SYSTEM_DATABASE {
                for (query, _) in &change.statements {
                    if let Some(command) = admin::parse(query) {
                        admin::run(engine.as_ref(), &command, &advertised)?;
                    }
                }
                return Ok(());
            }
            let mut tx = engine
                .begin(&change.db, AccessMode::Write)
                .map_err(engine_failure)?;
            for (query, parameters) in &change.statements {
                tx.execute(query, parameters).map_err(engine_failure)?;
            }
            tx.commit().map_err(engine_failure)
        })
        .await?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(query: &str) -> Change {
        Change {
            db: "neo4j".to_owned(),
            statements: vec![(query.to_owned(), Map::new())],
        }
    }

    #[test]
    fn commits_are_appended_in_order_and_failed_ones_not_at_all() {
        let log = ReplicationLog::new();
        let origin = SocketAddr::from(([127, 0, 0, 1], 1));
        let first = log.commit_and_append(origin, Some(change("CREATE (:A)")), || Ok::<(), ()>(()));
        assert_eq!(first, Ok(Some(1)));
        let read_only = log.commit_and_append(origin, None, || Ok::<(), ()>(()));
        assert_eq!(read_only, Ok(None));
        let failed = log.commit_and_append(origin, Some(change("CREATE (:B)")), || Err(()));
        assert_eq!(failed, Err(()));
        assert_eq!(log.head(), 1);
        assert_eq!(
            log.entry(1).map(|e| e.change.clone()),
            Some(change("CREATE (:A)"))
        );
        assert!(log.entry(0).is_none() && log.entry(2).is_none());
    }
}
