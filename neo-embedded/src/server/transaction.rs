//! An open transaction of one connection, and running engine work off the
//! async runtime.
//!
//! Engine calls block (a write waits for the database's write lock), so each
//! runs on tokio's blocking pool; the engine transaction moves there and back.

use std::collections::BTreeMap;
use std::sync::Arc;

use neo_bolt::ServerError;
use neo_bolt::packstream::Map;
use tokio::time::Instant;

use super::admin;
use super::results::ResultStream;
use crate::engine::{
    AccessMode, EngineError, EngineTransaction, GraphEngine, QueryOutput, SYSTEM_DATABASE,
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
    ) -> Result<Transaction, ServerError> {
        let inner = {
            let engine = engine.clone();
            let db = db.clone();
            blocking("starting a transaction", move || engine.begin(&db, mode))
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
            ResultStream::from_output(self.execute(query, parameters).await?)
        };
        self.wrote |= stream.contains_updates();
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
        output.map_err(engine_failure)
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
