//! Sessions: each runs in a task of its own that owns the driver's
//! [`Session`] and everything borrowed from it (transactions, results), and
//! serves the requests on them in order.
//!
//! The driver's API ties a transaction to a `&mut Session` and a result to
//! its transaction, so they cannot sit in a table beside the session; the
//! task keeps them on its stack instead, in nested loops: the session's
//! loop, an explicit transaction's loop, a transaction function's loop.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use neo_runtime::{AccessMode, AutoCommitQuery, Query, Session, TransactionConfig};
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio::task::JoinHandle;

use super::result::{ResultOp, ResultTable};
use super::summary::QueryRecord;
use super::transaction;
use crate::errors::{driver_error, usage_error};
use crate::protocol::requests::{CypherMap, SessionRun, TransactionRun, TxSettings};
use crate::protocol::responses::Response;
use crate::protocol::values::into_map;
use crate::state::{ErrorStore, Ids, Routes};

/// A request for a session's task.
#[derive(Debug)]
pub(crate) enum SessionOp {
    Run(SessionRun),
    BeginTransaction(TxSettings),
    TransactionFunction {
        mode: AccessMode,
        settings: TxSettings,
    },
    TransactionRun(TransactionRun),
    TransactionCommit(String),
    TransactionRollback(String),
    TransactionClose(String),
    Result {
        id: String,
        op: ResultOp,
    },
    LastBookmarks,
    RetryablePositive,
    RetryableNegative {
        error_id: Option<String>,
    },
    Close,
}

/// A request with the channel for its answer.
#[derive(Debug)]
pub(crate) struct Command {
    pub(crate) op: SessionOp,
    pub(crate) reply: oneshot::Sender<Response>,
}

/// What a session's task shares with every loop it runs.
#[derive(Debug, Clone)]
pub(crate) struct SessionContext {
    pub(crate) id: String,
    pub(crate) ids: Arc<Ids>,
    pub(crate) routes: Arc<Routes>,
    pub(crate) errors: Arc<ErrorStore>,
}

impl SessionContext {
    /// A driver error, kept for `RetryableNegative`.
    pub(crate) fn error(&self, error: neo_runtime::Error) -> Response {
        driver_error(error, &self.ids, &self.errors)
    }

    /// A use the driver's API rules out (see [`usage_error`]).
    pub(crate) fn usage(&self, error_type: &str, msg: impl Into<String>) -> Response {
        usage_error(&self.ids, error_type, msg)
    }

    /// A fresh id for an object of this session, routed to its task.
    pub(crate) fn register(&self, prefix: &str) -> String {
        let id = self.ids.next(prefix);
        self.routes.insert(&id, &self.id);
        id
    }
}

/// What the loops of a session's task share: the request queue and the
/// results that outlive a transaction (auto-commit results, and the marks
/// left by results whose transaction ended).
pub(crate) struct Inbox {
    pub(crate) commands: mpsc::UnboundedReceiver<Command>,
    pub(crate) results: ResultTable<'static>,
    pub(crate) ended_transactions: HashSet<String>,
}

/// The dispatcher's handle on a session's task; dropping it stops the task
/// (and so frees the session and what it holds).
#[derive(Debug)]
pub(crate) struct SessionHandle {
    commands: mpsc::UnboundedSender<Command>,
    task: JoinHandle<()>,
}

impl Drop for SessionHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SessionHandle {
    /// Starts the task of `session`.
    pub(crate) fn spawn(session: Session, ctx: SessionContext) -> Self {
        let (commands, receiver) = mpsc::unbounded_channel();
        let inbox = Inbox {
            commands: receiver,
            results: ResultTable::default(),
            ended_transactions: HashSet::new(),
        };
        let task = tokio::spawn(serve(session, Arc::new(Mutex::new(inbox)), ctx));
        SessionHandle { commands, task }
    }

    /// Sends a request to the task and waits for its answer.
    pub(crate) async fn call(&self, op: SessionOp) -> Response {
        let (reply, answer) = oneshot::channel();
        if self.commands.send(Command { op, reply }).is_err() {
            return Response::backend_error("the session's task has stopped");
        }
        answer.await.unwrap_or_else(|_| {
            Response::backend_error("the session's task stopped before it answered")
        })
    }
}

/// The session's loop: requests outside any transaction.
async fn serve(mut session: Session, inbox: Arc<Mutex<Inbox>>, ctx: SessionContext) {
    // A request that ended an explicit transaction and is served next.
    let mut deferred: Option<Command> = None;
    loop {
        let mut guard = inbox.lock().await;
        let state = &mut *guard;
        let command = match deferred.take() {
            Some(command) => command,
            None => match state.commands.recv().await {
                Some(command) => command,
                None => return,
            },
        };
        let Command { op, reply } = command;
        let answer = match op {
            SessionOp::Run(run) => {
                run_auto_commit(&mut session, run, &mut state.results, &ctx).await
            }
            SessionOp::BeginTransaction(settings) => {
                let config = match transaction_config(&settings, &ctx) {
                    Ok(config) => config,
                    Err(response) => {
                        let _ = reply.send(response);
                        continue;
                    }
                };
                let last_bookmarks = session.last_bookmarks().await;
                match session.begin_transaction(config).await {
                    Err(error) => ctx.error(error),
                    Ok(tx) => {
                        let tx_id = ctx.register("tx");
                        let _ = reply.send(Response::Transaction { id: tx_id.clone() });
                        let end =
                            transaction::explicit(tx, &tx_id, state, &ctx, &last_bookmarks).await;
                        state.ended_transactions.insert(tx_id);
                        match end {
                            TransactionEnd::Ended => {}
                            TransactionEnd::Disconnected => return,
                            TransactionEnd::Next(command) => deferred = Some(command),
                        }
                        continue;
                    }
                }
            }
            SessionOp::TransactionFunction { mode, settings } => {
                drop(guard);
                transaction::function(&mut session, &inbox, &ctx, mode, &settings, reply).await;
                continue;
            }
            SessionOp::Result { id, op } => match state.results.get_mut(&id) {
                Some(slot) => slot.apply(op, &ctx).await,
                None => Response::backend_error(format!("no result `{id}` in this session")),
            },
            SessionOp::TransactionRun(TransactionRun { tx_id: id, .. })
            | SessionOp::TransactionCommit(id)
            | SessionOp::TransactionRollback(id) => {
                if state.ended_transactions.contains(&id) {
                    ctx.usage(
                        "TransactionClosed",
                        format!("transaction `{id}` has already ended"),
                    )
                } else {
                    Response::backend_error(format!("no transaction `{id}` in this session"))
                }
            }
            SessionOp::TransactionClose(id) => {
                if state.ended_transactions.contains(&id) {
                    // Closing an ended transaction does nothing.
                    Response::Transaction { id }
                } else {
                    Response::backend_error(format!("no transaction `{id}` in this session"))
                }
            }
            SessionOp::LastBookmarks => Response::Bookmarks {
                bookmarks: session.last_bookmarks().await.to_vec(),
            },
            SessionOp::RetryablePositive | SessionOp::RetryableNegative { .. } => {
                Response::backend_error("no transaction function is running in this session")
            }
            SessionOp::Close => {
                state.results.close_open("its session was closed");
                drop(guard);
                session.close().await;
                let _ = reply.send(Response::Session { id: ctx.id.clone() });
                closed(&inbox, &ctx).await;
                return;
            }
        };
        let _ = reply.send(answer);
    }
}

/// How an explicit transaction's loop ended.
pub(crate) enum TransactionEnd {
    /// Committed, rolled back or closed.
    Ended,
    /// The connection to testkit closed.
    Disconnected,
    /// The transaction failed earlier, and this request for the session
    /// lets it go (as dropping a failed transaction does) and runs next.
    Next(Command),
}

/// After `SessionClose`: results consumed before keep answering with their
/// summaries; anything else reports the closed session.
async fn closed(inbox: &Mutex<Inbox>, ctx: &SessionContext) {
    let mut guard = inbox.lock().await;
    let state = &mut *guard;
    while let Some(Command { op, reply }) = state.commands.recv().await {
        let answer = match op {
            SessionOp::Result { id, op } => match state.results.get_mut(&id) {
                Some(slot) => slot.apply(op, ctx).await,
                None => Response::backend_error(format!("no result `{id}` in this session")),
            },
            SessionOp::Close => Response::Session { id: ctx.id.clone() },
            SessionOp::TransactionClose(id) if state.ended_transactions.contains(&id) => {
                Response::Transaction { id }
            }
            _ => ctx.usage("SessionClosed", "the session has been closed"),
        };
        let _ = reply.send(answer);
    }
}

async fn run_auto_commit(
    session: &mut Session,
    run: SessionRun,
    results: &mut ResultTable<'static>,
    ctx: &SessionContext,
) -> Response {
    let (query, record) = match build_query(run.cypher, run.params, ctx) {
        Ok(built) => built,
        Err(response) => return response,
    };
    let mut query = AutoCommitQuery::from(query);
    if let Some(timeout) = run.settings.timeout {
        match timeout_from_millis(timeout, ctx) {
            Ok(timeout) => query = query.with_timeout(timeout),
            Err(response) => return response,
        }
    }
    match metadata(run.settings.tx_meta, ctx) {
        Ok(entries) => {
            for (key, value) in entries {
                query = query.with_metadata(key, value);
            }
        }
        Err(response) => return response,
    }
    match session.run(query).await {
        Ok(stream) => {
            let id = ctx.register("r");
            let keys = stream.keys().to_vec();
            results.open(id.clone(), stream, record);
            Response::Result { id, keys }
        }
        Err(error) => ctx.error(error),
    }
}

/// A query and the record of it that summaries repeat.
pub(crate) fn build_query(
    cypher: String,
    params: Option<CypherMap>,
    ctx: &SessionContext,
) -> Result<(Query, Arc<QueryRecord>), Response> {
    let parameters = params.unwrap_or_default();
    let values = into_map(parameters.clone())
        .map_err(|error| ctx.usage("InvalidParameter", error.to_string()))?;
    let mut query = Query::new(cypher.clone());
    for (name, value) in &values {
        query = query.param(name, value);
    }
    Ok((
        query,
        Arc::new(QueryRecord {
            text: cypher,
            parameters,
        }),
    ))
}

/// A transaction's timeout and metadata.
pub(crate) fn transaction_config(
    settings: &TxSettings,
    ctx: &SessionContext,
) -> Result<TransactionConfig, Response> {
    let mut config = TransactionConfig::default();
    if let Some(timeout) = settings.timeout {
        config = config.with_timeout(timeout_from_millis(timeout, ctx)?);
    }
    for (key, value) in metadata(settings.tx_meta.clone(), ctx)? {
        config = config.with_metadata(key, value);
    }
    Ok(config)
}

fn metadata(
    tx_meta: Option<CypherMap>,
    ctx: &SessionContext,
) -> Result<neo_bolt::packstream::Map, Response> {
    into_map(tx_meta.unwrap_or_default())
        .map_err(|error| ctx.usage("InvalidParameter", error.to_string()))
}

fn timeout_from_millis(millis: f64, ctx: &SessionContext) -> Result<Duration, Response> {
    duration_from_millis(millis).map_err(|message| ctx.usage("InvalidConfiguration", message))
}

/// Milliseconds from testkit as a duration; a negative or non-finite count
/// has no `Duration`, so it is a configuration error before anything is sent.
pub(crate) fn duration_from_millis(millis: f64) -> Result<Duration, String> {
    if millis.is_finite() && millis >= 0.0 {
        Duration::try_from_secs_f64(millis / 1000.0)
            .map_err(|error| format!("{millis} ms is not a duration: {error}"))
    } else {
        Err(format!(
            "{millis} ms is not a duration: timeouts cannot be negative"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millisecond_counts_become_durations() {
        assert_eq!(duration_from_millis(17.0), Ok(Duration::from_millis(17)));
        assert_eq!(duration_from_millis(0.0), Ok(Duration::ZERO));
        assert!(duration_from_millis(-1.0).unwrap_err().contains("negative"));
        assert!(duration_from_millis(f64::NAN).is_err());
    }

    fn context() -> SessionContext {
        SessionContext {
            id: "s".into(),
            ids: Arc::default(),
            routes: Arc::default(),
            errors: Arc::default(),
        }
    }

    #[test]
    fn transaction_settings_build_the_config() {
        let ctx = context();
        let settings = TxSettings {
            tx_meta: Some(CypherMap::from([(
                "app".to_owned(),
                crate::protocol::values::CypherValue::string("x"),
            )])),
            timeout: Some(11.0),
        };
        let config = transaction_config(&settings, &ctx).unwrap();
        assert_eq!(config.timeout(), Some(Duration::from_millis(11)));
        assert_eq!(config.metadata()["app"].as_str(), Some("x"));
        let negative = TxSettings {
            tx_meta: None,
            timeout: Some(-1.0),
        };
        assert!(matches!(
            transaction_config(&negative, &ctx),
            Err(Response::DriverError(_))
        ));
    }

    #[test]
    fn queries_keep_the_parameters_testkit_sent() {
        let ctx = context();
        let params =
            CypherMap::from([("x".to_owned(), crate::protocol::values::CypherValue::int(1))]);
        let (query, record) = build_query("RETURN $x".into(), Some(params.clone()), &ctx).unwrap();
        assert_eq!(query.text(), "RETURN $x");
        assert_eq!(
            query.parameters().unwrap()["x"],
            neo_runtime::Value::Integer(1)
        );
        assert_eq!(record.parameters, params);
    }
}
