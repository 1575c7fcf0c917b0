//! An open transaction of one connection, and running engine work off the
//! async runtime.
//!
//! Engine calls block (a write waits for the database's write lock, rows are
//! computed as they are pulled), so each runs on tokio's blocking pool; the
//! engine transaction moves there and back.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use neo_bolt::ServerError;
use neo_bolt::StatusCode;
use neo_bolt::packstream::{Map, Value};
use tokio::time::Instant;

use super::admin;
use super::replication::{Change, ReplicationLog};
use super::results::{Ending, ResultStream, Rows, take_held};
use crate::engine::{
    AccessMode, Batch, BatchEnd, EngineError, EngineTransaction, GraphEngine, SYSTEM_DATABASE,
    StreamHead, TransactionConfig,
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

/// An engine error, with a timeout reported under the code of whoever set
/// it: the engine only knows that the transaction's time is up. Without a
/// deadline of the server's, the timeout was the engine's own setting.
fn timed_out_as_set(deadline: Option<Deadline>, error: EngineError) -> ServerError {
    let timed_out = [
        StatusCode::TRANSACTION_TIMED_OUT,
        StatusCode::TRANSACTION_TIMED_OUT_CLIENT_CONFIGURATION,
    ]
    .iter()
    .any(|code| *code == error.code.as_str());
    if !timed_out {
        return engine_failure(error);
    }
    let code = match deadline.map(|deadline| deadline.set_by) {
        Some(TimeoutSource::Client) => StatusCode::TRANSACTION_TIMED_OUT_CLIENT_CONFIGURATION,
        Some(TimeoutSource::Server) | None => StatusCode::TRANSACTION_TIMED_OUT,
    };
    ServerError::new(code, error.message)
}

/// A stream that has ended: what it was, and how it ended.
#[derive(Debug)]
pub(crate) struct Ended {
    pub(crate) stream: ResultStream,
    pub(crate) ending: Ending,
}

/// Rows taken from a stream, and how it goes on.
#[derive(Debug)]
pub(crate) struct Fetched {
    pub(crate) records: Vec<Vec<Value>>,
    /// Present when the stream ended: the stream and its summary, or why
    /// it failed; absent while rows remain.
    pub(crate) end: Option<Result<Ended, ServerError>>,
}

/// A statement kept for replication: it is replayed on the other members
/// if it wrote.
#[derive(Debug)]
struct JournalEntry {
    query: String,
    parameters: Map,
    /// Whether it wrote; `None` while its stream is open (it may).
    wrote: Option<bool>,
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
    /// The statements that may write, in the order they ran, with their
    /// parameters: kept when the transaction's commit is replicated to
    /// other members.
    journal: Option<Vec<JournalEntry>>,
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
    /// deadline. A `journaled` transaction keeps its writing statements for
    /// [`commit_replicated`](Self::commit_replicated).
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
                timeout: deadline
                    .map(|deadline| deadline.at.saturating_duration_since(Instant::now())),
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
    /// its result as a new stream, returning its qid. An engine statement
    /// is planned here; its rows are computed as they are fetched.
    pub(crate) async fn run(
        &mut self,
        query: String,
        parameters: Map,
        advertised: String,
    ) -> Result<i64, ServerError> {
        let command = admin::parse(&query);
        let mut stream = if let Some(command) = command {
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
            let head = self.start(query.clone(), parameters.clone()).await?;
            ResultStream::engine(head.id, head.fields, head.writes)
        };
        let held_updates = stream.held_updates();
        self.wrote |= held_updates;
        if let Some(journal) = &mut self.journal
            && (stream.writes || held_updates)
        {
            stream.journal_entry = Some(journal.len());
            journal.push(JournalEntry {
                query,
                parameters,
                wrote: held_updates.then_some(true),
            });
        }
        Ok(self.keep(stream))
    }

    /// Keeps a result the server made up instead of running a statement
    /// (a test's answer), returning its qid.
    pub(crate) fn answer(&mut self, stream: ResultStream) -> i64 {
        self.keep(stream)
    }

    fn keep(&mut self, stream: ResultStream) -> i64 {
        let qid = self.next_qid;
        self.next_qid += 1;
        self.last_qid = qid;
        self.streams.insert(qid, stream);
        qid
    }

    async fn start(&mut self, query: String, parameters: Map) -> Result<StreamHead, ServerError> {
        let Some(mut inner) = self.inner.take() else {
            return Err(lost("running a statement"));
        };
        let (inner, head) = blocking("running a statement", move || {
            let head = inner.run(&query, &parameters);
            (inner, head)
        })
        .await?;
        self.inner = Some(inner);
        head.map_err(|error| timed_out_as_set(self.deadline, error))
    }

    /// Takes up to `n` rows (`-1`: all) of stream `qid`, or drops them
    /// (`pull` false); the stream is gone once it ends.
    pub(crate) async fn fetch(
        &mut self,
        qid: i64,
        n: i64,
        pull: bool,
    ) -> Result<Fetched, ServerError> {
        let Some(stream) = self.streams.get_mut(&qid) else {
            return Err(ServerError::new(
                StatusCode::REQUEST_INVALID,
                format!("There is no open result with qid {qid}."),
            ));
        };
        let (records, end) = match &mut stream.rows {
            Rows::Held {
                rows,
                stats,
                query_type,
            } => {
                let (records, has_more) = take_held(rows, n);
                let end = (!has_more).then(|| {
                    let mut summary = Map::new();
                    summary.insert("type".into(), Value::from(*query_type));
                    if !stats.is_empty() {
                        summary.insert("stats".into(), Value::Map(std::mem::take(stats)));
                    }
                    Ok(Ending::Held(summary))
                });
                (records, end)
            }
            Rows::Engine { id } => {
                let id = *id;
                let Some(mut inner) = self.inner.take() else {
                    return Err(lost("pulling rows"));
                };
                let count = usize::try_from(n).unwrap_or(usize::MAX);
                let (inner, batch) = blocking("pulling rows", move || {
                    let batch = if pull || count != usize::MAX {
                        inner.pull(id, count)
                    } else {
                        let end = match inner.discard(id) {
                            Ok(summary) => BatchEnd::Done(summary),
                            Err(error) => BatchEnd::Failed(error),
                        };
                        Batch {
                            records: Vec::new(),
                            end,
                        }
                    };
                    (inner, batch)
                })
                .await?;
                self.inner = Some(inner);
                let end = match batch.end {
                    BatchEnd::HasMore => None,
                    BatchEnd::Done(summary) => Some(Ok(Ending::Engine(Box::new(summary)))),
                    BatchEnd::Failed(error) => Some(Err(timed_out_as_set(self.deadline, error))),
                };
                (batch.records, end)
            }
        };
        if let Some(stream) = self.streams.get_mut(&qid) {
            stream.had_rows |= !records.is_empty();
        }
        let records = if pull { records } else { Vec::new() };
        let Some(end) = end else {
            return Ok(Fetched { records, end: None });
        };
        let Some(mut stream) = self.streams.remove(&qid) else {
            return Err(lost("ending a result"));
        };
        let end = end.map(|ending| {
            let wrote = match &ending {
                Ending::Engine(summary) => {
                    stream.had_rows |= summary.returned > 0;
                    summary.stats.contains_updates
                }
                Ending::Held(map) => map.contains_key("stats"),
            };
            self.wrote |= wrote;
            if let (Some(journal), Some(entry)) = (&mut self.journal, stream.journal_entry)
                && let Some(entry) = journal.get_mut(entry)
            {
                entry.wrote = Some(wrote);
            }
            Ended { stream, ending }
        });
        Ok(Fetched {
            records,
            end: Some(end),
        })
    }

    /// Commits; the transaction is gone either way.
    pub(crate) async fn commit(mut self) -> Result<(), ServerError> {
        let Some(inner) = self.inner.take() else {
            return Err(lost("committing"));
        };
        let committed = blocking("committing", move || inner.commit()).await?;
        committed.map_err(|error| timed_out_as_set(self.deadline, error))
    }

    /// Commits and appends what it changed to the cluster's replication
    /// log, as one step; returns the log's new sequence number, or `None`
    /// when nothing changed. A statement whose stream never ended (it ran
    /// to its end in the commit) is replicated: it may have written.
    pub(crate) async fn commit_replicated(
        mut self,
        log: Arc<ReplicationLog>,
        origin: SocketAddr,
    ) -> Result<Option<u64>, ServerError> {
        let Some(inner) = self.inner.take() else {
            return Err(lost("committing"));
        };
        let statements: Vec<(String, Map)> = self
            .journal
            .take()
            .unwrap_or_default()
            .into_iter()
            .filter(|entry| entry.wrote != Some(false))
            .map(|entry| (entry.query, entry.parameters))
            .collect();
        let change = (!statements.is_empty()).then(|| Change {
            db: self.db.clone(),
            statements,
        });
        let deadline = self.deadline;
        blocking("committing", move || {
            log.commit_and_append(origin, change, || {
                inner
                    .commit()
                    .map_err(|error| timed_out_as_set(deadline, error))
            })
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
