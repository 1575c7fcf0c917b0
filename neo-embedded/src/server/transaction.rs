//! An open transaction of one connection, and running engine work off the
//! async runtime.
//!
//! Engine calls block (a write waits for the database's write lock, rows are
//! computed as they are pulled), so each runs on tokio's blocking pool; the
//! engine transaction moves there and back.

use std::collections::BTreeMap;
use std::sync::Arc;

use neo_bolt::ServerError;
use neo_bolt::packstream::{Map, Value};
use tokio::time::Instant;

use super::admin;
use super::results::{ResultStream, Rows, take_held};
use crate::engine::{
    AccessMode, BatchEnd, EngineError, EngineTransaction, GraphEngine, SYSTEM_DATABASE, StreamHead,
    Summary, TransactionConfig,
};

/// Turns an engine error into the failure sent to the client.
pub(crate) fn engine_failure(error: EngineError) -> ServerError {
    ServerError::new(error.code, error.message)
}

fn lost(what: &str) -> ServerError {
    ServerError::new(
        "Neo.DatabaseError.General.UnknownError",
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

/// How a stream ended.
#[derive(Debug)]
pub(crate) enum FetchedSummary {
    /// An engine statement's summary.
    Engine(Box<Summary>),
    /// The metadata of rows computed in full (administration commands).
    Held(Map),
}

/// Rows taken from a stream, and how it goes on.
#[derive(Debug)]
pub(crate) struct Fetched {
    pub(crate) records: Vec<Vec<Value>>,
    pub(crate) has_more: bool,
    /// Present when the stream ended: its summary, or why it failed.
    pub(crate) summary: Option<Result<FetchedSummary, ServerError>>,
}

/// An open transaction: explicit (BEGIN) or the implicit one of an
/// auto-commit RUN.
pub(crate) struct Transaction {
    engine: Arc<dyn GraphEngine>,
    inner: Option<Box<dyn EngineTransaction>>,
    pub(crate) db: String,
    pub(crate) explicit: bool,
    pub(crate) deadline: Option<Instant>,
    /// Set once the transaction was ended by the server (timed out); the
    /// next request in it gets this failure.
    pub(crate) terminated: Option<ServerError>,
    pub(crate) streams: BTreeMap<i64, ResultStream>,
    next_qid: i64,
    pub(crate) last_qid: i64,
    pub(crate) wrote: bool,
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
    /// Starts a transaction on `db`.
    pub(crate) async fn begin(
        engine: Arc<dyn GraphEngine>,
        db: String,
        mode: AccessMode,
        explicit: bool,
        deadline: Option<Instant>,
        metadata: Map,
    ) -> Result<Transaction, ServerError> {
        let inner = {
            let engine = engine.clone();
            let db = db.clone();
            let config = TransactionConfig {
                mode,
                timeout: deadline.map(|d| d.saturating_duration_since(Instant::now())),
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
        let command = admin::parse(&query);
        let stream = if let Some(command) = command {
            if self.db != SYSTEM_DATABASE {
                return Err(ServerError::new(
                    "Neo.ClientError.Statement.UnsupportedAdministrationCommand",
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
            let head = self.start(query, parameters).await?;
            ResultStream::engine(head.id, head.fields, head.writes)
        };
        let qid = self.next_qid;
        self.next_qid += 1;
        self.last_qid = qid;
        self.streams.insert(qid, stream);
        Ok(qid)
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
        head.map_err(engine_failure)
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
                "Neo.ClientError.Request.Invalid",
                format!("There is no open result with qid {qid}."),
            ));
        };
        let fetched = match &mut stream.rows {
            Rows::Held {
                rows,
                stats,
                query_type,
            } => {
                let (records, has_more) = take_held(rows, n);
                let mut summary = Map::new();
                summary.insert("type".into(), Value::from(*query_type));
                if !stats.is_empty() {
                    summary.insert("stats".into(), Value::Map(stats.clone()));
                }
                Fetched {
                    records: if pull { records } else { Vec::new() },
                    has_more,
                    summary: (!has_more).then_some(Ok(FetchedSummary::Held(summary))),
                }
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
                        match inner.discard(id) {
                            Ok(summary) => crate::engine::Batch {
                                records: Vec::new(),
                                end: BatchEnd::Done(summary),
                            },
                            Err(error) => crate::engine::Batch {
                                records: Vec::new(),
                                end: BatchEnd::Failed(error),
                            },
                        }
                    };
                    (inner, batch)
                })
                .await?;
                self.inner = Some(inner);
                let records = if pull { batch.records } else { Vec::new() };
                match batch.end {
                    BatchEnd::HasMore => Fetched {
                        records,
                        has_more: true,
                        summary: None,
                    },
                    BatchEnd::Done(summary) => Fetched {
                        records,
                        has_more: false,
                        summary: Some(Ok(FetchedSummary::Engine(Box::new(summary)))),
                    },
                    BatchEnd::Failed(error) => Fetched {
                        records,
                        has_more: false,
                        summary: Some(Err(engine_failure(error))),
                    },
                }
            }
        };
        if !fetched.has_more {
            self.streams.remove(&qid);
            if let Some(Ok(FetchedSummary::Engine(summary))) = &fetched.summary {
                self.wrote |= summary.stats.contains_updates;
            }
            if let Some(Ok(FetchedSummary::Held(map))) = &fetched.summary {
                self.wrote |= map.contains_key("stats");
            }
        }
        Ok(fetched)
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
