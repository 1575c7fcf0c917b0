//! An open transaction of one connection, and running engine work off the
//! async runtime.
//!
//! Engine calls block (a write waits for the database's write lock), so each
//! runs on tokio's blocking pool; the engine transaction moves there and back.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use neo_bolt::ServerError;
use neo_bolt::StatusCode;
use neo_bolt::packstream::Map;
use tokio::time::Instant;

use super::admin;
use super::replication::{Change, ReplicationLog};
use super::results::ResultStream;
use crate::engine::{
    AccessMode, EngineError, EngineTransaction, GraphEngine, QueryOutput, SYSTEM_DATABASE,
    TransactionConfig,
};

/// Turns an engine error into the failure sent to the client.
pub(crate) fn engine_failure(error: EngineError) -> ServerError {
    ServerError::new(error.code, error.message)
}

fn lost(what: &str) -> ServerError {
    ServerError::new(
        StatusCode::UNKNOWN_ERROR,
        format!("the graph engine failed while {what}"),
    )
}

/// Runs blocking work on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ServerError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| lost(what))
}

/// Who set a transaction's timeout; it decides the error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeoutSource {
    /// The client's `tx_timeout`.
    Client,
    /// The server's default (`db.transaction.timeout`).
    Server,
}

/// When a transaction times out, and whose setting that is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Deadline {
    pub(crate) at: Instant,
    pub(crate) set_by: TimeoutSource,
}

/// An open transaction: explicit (BEGIN) or the implicit one of an
/// auto-commit RUN.
pub(crate) struct Transaction {
    engine: Arc<dyn GraphEngine>,
    inner: Option<Box<dyn EngineTransaction>>,
    pub(crate) db: String,
    pub(crate) explicit: bool,
    pub(crate) deadline: Option<Deadline>,
    /// Set once the transaction was ended by the server (timed out); the
    /// next request in it gets this failure.
    pub(crate) terminated: Option<ServerError>,
    pub(crate) streams: BTreeMap<i64, ResultStream>,
    next_qid: i64,
    pub(crate) last_qid: i64,
    pub(crate) wrote: bool,
    /// The statements that changed something, with their parameters, kept
    /// when the transaction's commit is replicated to other members.
    journal: Option<Vec<(String, Map)>>,
}

impl std::fmt::Debug for Transaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transaction")
            .field("db", &self.db)
            .field("explicit", &self.explicit)
            .field("open_streams", &self.streams.len())
            .finish()
    }
}

impl Transaction {
    /// Starts a transaction on `db`; the engine gets its metadata and its
    /// deadline.
    pub(crate) async fn begin(
        engine: Arc<dyn GraphEngine>,
        db: String,
        mode: AccessMode,
        explicit: bool,
        deadline: Option<Deadline>,
        metadata: Map,
        journaled: bool,
    ) -> Result<Transaction, ServerError> {
        let inner = {
            let engine = engine.clone();
            let db = db.clone();
            let config = TransactionConfig {
                mode,
                timeout: deadline.map(|deadline| {
                    deadline
                        .at
                        .saturating_duration_since(tokio::time::Instant::now())
                }),
                metadata,
                explicit,
            };
            blocking("starting a transaction", move || {
                engine.begin_with(&db, &config)
            })
            .await?
            .map_err(engine_failure)?
        };
        Ok(Transaction {
            engine,
            inner: Some(inner),
            db,
            explicit,
            deadline,
            terminated: None,
            streams: BTreeMap::new(),
            next_qid: 0,
            last_qid: -1,
            wrote: false,
            journal: journaled.then(Vec::new),
        })
    }

    /// Runs one statement (an administration command on `system`) and keeps
    /// its result as a new stream, returning its qid.
    pub(crate) async fn run(
        &mut self,
        query: String,
        parameters: Map,
        advertised: String,
    ) -> Result<i64, ServerError> {
        let entry = self
            .journal
            .is_some()
            .then(|| (query.clone(), parameters.clone()));
        let command = admin::parse(&query);
        let stream = if let Some(command) = command {
            if self.db != SYSTEM_DATABASE {
                return Err(ServerError::new(
                    StatusCode::UNSUPPORTED_ADMINISTRATION_COMMAND,
                    format!(
                        "This is an administration command and it should be executed against \
                         the system database: {}",
                        query.trim()
                    ),
                ));
            }
            let engine = self.engine.clone();
            blocking("running an administration command", move || {
                admin::run(engine.as_ref(), &command, &advertised)
            })
            .await??
        } else {
            ResultStream::from_output(self.execute(query, parameters).await?)
        };
        self.wrote |= stream.contains_updates();
        if let (Some(journal), Some(entry)) = (&mut self.journal, entry)
            && stream.contains_updates()
        {
            journal.push(entry);
        }
        let qid = self.next_qid;
        self.next_qid += 1;
        self.last_qid = qid;
        self.streams.insert(qid, stream);
        Ok(qid)
    }

    /// Keeps a result the server made up instead of running a statement
    /// (a test's answer), returning its qid.
    pub(crate) fn answer(&mut self, stream: ResultStream) -> i64 {
        let qid = self.next_qid;
        self.next_qid += 1;
        self.last_qid = qid;
        self.streams.insert(qid, stream);
        qid
    }

    async fn execute(
        &mut self,
        query: String,
        parameters: Map,
    ) -> Result<QueryOutput, ServerError> {
        let Some(mut inner) = self.inner.take() else {
            return Err(lost("running a statement"));
        };
        let (inner, output) = blocking("running a statement", move || {
            let output = inner.execute(&query, &parameters);
            (inner, output)
        })
        .await?;
        self.inner = Some(inner);
        output.map_err(|error| self.timed_out_as_set(error))
    }

    /// An engine error, with a timeout reported under the code of whoever
    /// set it: the engine only knows that the transaction's time is up.
    fn timed_out_as_set(&self, error: EngineError) -> ServerError {
        let timed_out = [
            StatusCode::TRANSACTION_TIMED_OUT,
            StatusCode::TRANSACTION_TIMED_OUT_CLIENT_CONFIGURATION,
        ]
        .iter()
        .any(|code| *code == error.code.as_str());
        match self.deadline {
            Some(deadline) if timed_out => {
                let code = match deadline.set_by {
                    TimeoutSource::Client => StatusCode::TRANSACTION_TIMED_OUT_CLIENT_CONFIGURATION,
                    TimeoutSource::Server => StatusCode::TRANSACTION_TIMED_OUT,
                };
                ServerError::new(code, error.message)
            }
            _ => engine_failure(error),
        }
    }

    /// Commits; the transaction is gone either way.
    pub(crate) async fn commit(mut self) -> Result<(), ServerError> {
        let Some(inner) = self.inner.take() else {
            return Err(lost("committing"));
        };
        blocking("committing", move || inner.commit())
            .await?
            .map_err(engine_failure)
    }

    /// Commits and appends what it changed to the cluster's replication
    /// log, as one step; returns the log's new sequence number, or `None`
    /// when nothing changed.
    pub(crate) async fn commit_replicated(
        mut self,
        log: Arc<ReplicationLog>,
        origin: SocketAddr,
    ) -> Result<Option<u64>, ServerError> {
        let Some(inner) = self.inner.take() else {
            return Err(lost("committing"));
        };
        let change = self
            .journal
            .take()
            .filter(|statements| !statements.is_empty())
            .map(|statements| Change {
                db: self.db.clone(),
                statements,
            });
        blocking("committing", move || {
            log.commit_and_append(origin, change, || inner.commit().map_err(engine_failure))
        })
        .await?
    }

    /// Rolls back (also what dropping does).
    pub(crate) async fn rollback(mut self) {
        self.rollback_now().await;
    }

    /// Rolls back and keeps the record, for a transaction the server ends.
    pub(crate) async fn rollback_now(&mut self) {
        self.streams.clear();
        if let Some(inner) = self.inner.take() {
            let _ = blocking("rolling back", move || inner.rollback()).await;
        }
    }
}

impl Drop for Transaction {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take() {
            match tokio::runtime::Handle::try_current() {
                Ok(handle) => {
                    handle.spawn_blocking(move || inner.rollback());
                }
                Err(_) => inner.rollback(),
            }
        }
    }
}
