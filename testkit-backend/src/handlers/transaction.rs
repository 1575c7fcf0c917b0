//! Explicit transactions and transaction functions.
//!
//! A transaction function's body lives in the test. The driver calls the
//! backend's function once per attempt; the function answers the pending
//! request with `RetryableTry`, then serves the test's requests on that
//! transaction until the test says how its body ended:
//! `RetryablePositive` returns from the function (the driver commits),
//! `RetryableNegative` with a driver error's id returns that very error (the
//! driver decides whether to retry), and `RetryableNegative` without one
//! (the test's own code failed) returns an application error: the driver
//! rolls back and does not retry, and the test sees a `FrontendError`.

use std::sync::{Arc, Mutex as StdMutex, PoisonError};

use neo_runtime::{AccessMode, Bookmarks, ErrorKind, ManagedTransaction, Session, Transaction};
use tokio::sync::{Mutex, oneshot};

use super::result::ResultTable;
use super::session::{
    Command, Inbox, SessionContext, SessionOp, TransactionEnd, build_query, transaction_config,
};
use crate::protocol::requests::{TransactionRun, TxSettings};
use crate::protocol::responses::Response;

/// Serves the requests on an explicit transaction until it ends.
pub(crate) async fn explicit(
    tx: Transaction<'_>,
    tx_id: &str,
    inbox: &mut Inbox,
    ctx: &SessionContext,
    last_bookmarks: &Bookmarks,
) -> TransactionEnd {
    let mut results = ResultTable::default();
    // Whether the driver reported an error on the transaction: it cannot
    // commit any more, and the session may go on without it.
    let mut failed = false;
    loop {
        let Some(Command { op, reply }) = inbox.commands.recv().await else {
            return TransactionEnd::Disconnected;
        };
        let answer = match op {
            SessionOp::TransactionRun(run) if run.tx_id == tx_id => {
                match build_query(run.cypher, run.params, ctx) {
                    Ok((query, record)) => match tx.run(query).await {
                        Ok(stream) => {
                            let id = ctx.register("r");
                            let keys = stream.keys().to_vec();
                            results.open(id.clone(), stream, record);
                            Response::Result { id, keys }
                        }
                        Err(error) => {
                            failed = true;
                            ctx.error(error)
                        }
                    },
                    Err(response) => response,
                }
            }
            SessionOp::TransactionCommit(id) if id == tx_id => {
                leave_scope(&results, inbox, "its transaction was committed");
                drop(results);
                let answer = match tx.commit().await {
                    Ok(_) => Response::Transaction { id },
                    Err(error) => ctx.error(error),
                };
                let _ = reply.send(answer);
                return TransactionEnd::Ended;
            }
            SessionOp::TransactionRollback(id) | SessionOp::TransactionClose(id) if id == tx_id => {
                leave_scope(&results, inbox, "its transaction was rolled back");
                drop(results);
                let answer = match tx.rollback().await {
                    Ok(()) => Response::Transaction { id },
                    Err(error) => ctx.error(error),
                };
                let _ = reply.send(answer);
                return TransactionEnd::Ended;
            }
            SessionOp::Close if !failed => {
                // Closing a session closes its open transaction: roll it
                // back, then close the session.
                leave_scope(&results, inbox, "its session was closed");
                drop(results);
                if let Err(error) = tx.rollback().await {
                    tracing::debug!(%error, "rolling back on session close failed");
                }
                return TransactionEnd::Next(Command {
                    op: SessionOp::Close,
                    reply,
                });
            }
            op @ (SessionOp::Close
            | SessionOp::Run(_)
            | SessionOp::BeginTransaction(_)
            | SessionOp::TransactionFunction { .. })
                if failed =>
            {
                // A failed transaction is given up (dropped): the session
                // resets the connection when it next uses it, or closes.
                leave_scope(&results, inbox, "its transaction failed");
                return TransactionEnd::Next(Command { op, reply });
            }
            SessionOp::Result { id, op } => {
                let answer = if let Some(slot) = results.get_mut(&id) {
                    slot.apply(op, ctx).await
                } else if let Some(slot) = inbox.results.get_mut(&id) {
                    slot.apply(op, ctx).await
                } else {
                    Response::backend_error(format!("no result `{id}` in this session"))
                };
                failed |= is_driver_error(&answer, ctx);
                answer
            }
            SessionOp::LastBookmarks => Response::Bookmarks {
                bookmarks: last_bookmarks.to_vec(),
            },
            op => busy(op, ctx, &inbox.ended_transactions),
        };
        let _ = reply.send(answer);
    }
}

/// Whether an answer reports an error of the driver (which is kept under
/// its id), not a misuse the backend caught.
fn is_driver_error(answer: &Response, ctx: &SessionContext) -> bool {
    matches!(answer, Response::DriverError(error) if ctx.errors.contains(&error.id))
}

/// Runs a transaction function, answering `first_reply` and the requests
/// that follow until the driver returns.
pub(crate) async fn function(
    session: &mut Session,
    inbox: &Arc<Mutex<Inbox>>,
    ctx: &SessionContext,
    mode: AccessMode,
    settings: &TxSettings,
    first_reply: oneshot::Sender<Response>,
) {
    let config = match transaction_config(settings, ctx) {
        Ok(config) => config,
        Err(response) => {
            let _ = first_reply.send(response);
            return;
        }
    };
    let last_bookmarks = session.last_bookmarks().await;
    // The request waiting for an answer: `RetryableTry` when the driver
    // starts an attempt, the final outcome when it returns.
    let pending = Arc::new(StdMutex::new(Some(first_reply)));
    let attempt = Attempt {
        inbox: Arc::clone(inbox),
        pending: Arc::clone(&pending),
        ctx: ctx.clone(),
        last_bookmarks,
    };
    let work = async move |tx: &mut ManagedTransaction<'_>| attempt.run(tx).await;
    let answer = match session.execute(mode, config, work).await {
        Ok(()) => Response::RetryableDone,
        Err(error) if error.kind() == ErrorKind::Application => Response::FrontendError {
            msg: error.to_string(),
        },
        Err(error) => ctx.error(error),
    };
    if let Some(reply) = take(&pending) {
        let _ = reply.send(answer);
    }
}

/// One attempt of a transaction function, as the driver calls it.
struct Attempt {
    inbox: Arc<Mutex<Inbox>>,
    pending: Arc<StdMutex<Option<oneshot::Sender<Response>>>>,
    ctx: SessionContext,
    last_bookmarks: Bookmarks,
}

/// How the test's body of one attempt ended.
enum BodyOutcome {
    Succeeded,
    FailedWithDriverError(neo_runtime::Error),
    FailedInTestCode,
}

impl Attempt {
    async fn run(&self, tx: &mut ManagedTransaction<'_>) -> Result<(), neo_runtime::Error> {
        let ctx = &self.ctx;
        let tx_id = ctx.register("tx");
        let mut guard = self.inbox.lock().await;
        let inbox = &mut *guard;
        if let Some(reply) = take(&self.pending) {
            let _ = reply.send(Response::RetryableTry { id: tx_id.clone() });
        }
        let mut results = ResultTable::default();
        let outcome = loop {
            let Some(Command { op, reply }) = inbox.commands.recv().await else {
                break BodyOutcome::FailedInTestCode;
            };
            let answer = match op {
                SessionOp::TransactionRun(TransactionRun {
                    tx_id: id,
                    cypher,
                    params,
                }) if id == tx_id => match build_query(cypher, params, ctx) {
                    Ok((query, record)) => match tx.run(query).await {
                        Ok(stream) => {
                            let id = ctx.register("r");
                            let keys = stream.keys().to_vec();
                            results.open(id.clone(), stream, record);
                            Response::Result { id, keys }
                        }
                        Err(error) => ctx.error(error),
                    },
                    Err(response) => response,
                },
                SessionOp::Result { id, op } => {
                    if let Some(slot) = results.get_mut(&id) {
                        slot.apply(op, ctx).await
                    } else if let Some(slot) = inbox.results.get_mut(&id) {
                        slot.apply(op, ctx).await
                    } else {
                        Response::backend_error(format!("no result `{id}` in this session"))
                    }
                }
                SessionOp::RetryablePositive => {
                    put(&self.pending, reply);
                    break BodyOutcome::Succeeded;
                }
                SessionOp::RetryableNegative { error_id } => {
                    put(&self.pending, reply);
                    match error_id.and_then(|id| ctx.errors.take(&id)) {
                        Some(error) => break BodyOutcome::FailedWithDriverError(error),
                        None => break BodyOutcome::FailedInTestCode,
                    }
                }
                SessionOp::TransactionCommit(id)
                | SessionOp::TransactionRollback(id)
                | SessionOp::TransactionClose(id)
                    if id == tx_id =>
                {
                    ctx.usage(
                        "ManagedTransaction",
                        "a transaction function's transaction is committed or rolled back \
                         by the driver, when the function returns",
                    )
                }
                SessionOp::LastBookmarks => Response::Bookmarks {
                    bookmarks: self.last_bookmarks.to_vec(),
                },
                op => busy(op, ctx, &inbox.ended_transactions),
            };
            let _ = reply.send(answer);
        };
        leave_scope(&results, inbox, "its transaction function ended");
        drop(results);
        inbox.ended_transactions.insert(tx_id);
        match outcome {
            BodyOutcome::Succeeded => Ok(()),
            BodyOutcome::FailedWithDriverError(error) => Err(error),
            BodyOutcome::FailedInTestCode => Err(neo_runtime::Error::application(
                "the transaction function failed in the test's own code",
            )),
        }
    }
}

/// The answer to a request that needs the session while a transaction
/// holds it, or names another transaction.
fn busy(
    op: SessionOp,
    ctx: &SessionContext,
    ended: &std::collections::HashSet<String>,
) -> Response {
    match op {
        SessionOp::Run(_)
        | SessionOp::BeginTransaction(_)
        | SessionOp::TransactionFunction { .. } => ctx.usage(
            "TransactionInProgress",
            "the session has an open transaction: it runs nothing else until that ends",
        ),
        SessionOp::TransactionRun(TransactionRun { tx_id: id, .. })
        | SessionOp::TransactionCommit(id)
        | SessionOp::TransactionRollback(id)
        | SessionOp::TransactionClose(id)
            if ended.contains(&id) =>
        {
            ctx.usage(
                "TransactionClosed",
                format!("transaction `{id}` has already ended"),
            )
        }
        SessionOp::RetryablePositive | SessionOp::RetryableNegative { .. } => {
            Response::backend_error("no transaction function is running in this session")
        }
        SessionOp::Close => ctx.usage(
            "TransactionInProgress",
            "a session cannot close from inside one of its transaction functions",
        ),
        other => Response::backend_error(format!("unexpected request {other:?}")),
    }
}

/// Marks the results of an ending transaction, so that later requests on
/// them say why they fail.
fn leave_scope(results: &ResultTable<'_>, inbox: &mut Inbox, reason: &'static str) {
    for id in results.ids() {
        inbox.results.out_of_scope(id, reason);
    }
}

fn take<T>(slot: &StdMutex<Option<T>>) -> Option<T> {
    slot.lock().unwrap_or_else(PoisonError::into_inner).take()
}

fn put<T>(slot: &StdMutex<Option<T>>, value: T) {
    *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
}
