//! Explicit transactions and the transactions of transaction functions.
//!
//! Explicit transactions and transaction functions begin eagerly, as the
//! official drivers do: BEGIN is sent and answered before the transaction
//! is handed out, so a failure to begin (an unknown database, expired
//! credentials, a lost connection) is the error of `begin_transaction`,
//! and a transaction function is retried before its work first runs. The
//! transactions of [`Driver::execute_query`](crate::Driver::execute_query)
//! begin lazily instead: BEGIN goes out with the query, saving a round
//! trip, and its failure is reported there; so do transaction functions
//! where [`SessionConfig::with_pipelined_begin`](crate::SessionConfig::with_pipelined_begin)
//! asks for it.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex as StdMutex, PoisonError};

use neo_bolt::message::{Request, Run, TxExtra};
use tokio::sync::Mutex;

use crate::bookmarks::{BookmarkSink, Bookmarks};
use crate::error::Error;
use crate::io::link::{Link, Settle};
use crate::query::IntoQuery;
use crate::result::{Fetching, RecordStream};

/// What both kinds of transaction hold: the session's connection, the
/// BEGIN still to send, the fetch size of their results, and where the
/// commit's bookmark goes.
struct Core {
    link: Arc<Mutex<Link>>,
    begin: StdMutex<Option<Request<'static>>>,
    fetching: Fetching,
    sink: BookmarkSink,
}

impl Core {
    fn take_begin(&self) -> Option<Request<'static>> {
        self.begin
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// Sends BEGIN now, if it has not gone out, and waits for its answer.
    async fn begin_now(&self) -> Result<(), Error> {
        let Some(begin) = self.take_begin() else {
            return Ok(());
        };
        self.link.lock().await.call(&begin).await.map(|_| ())
    }

    /// Runs a query in the transaction (after BEGIN, on the first).
    async fn run<'t>(&self, query: impl IntoQuery) -> Result<RecordStream<'t>, Error> {
        let query = query.into_query();
        let mut guard = self.link.lock().await;
        let run = Request::Run(Run {
            query: Cow::Borrowed(query.text()),
            parameters: query.run_parameters(guard.dialect())?,
            extra: TxExtra::default(),
        });
        let begin = self.take_begin();
        let id = guard
            .start_stream(begin.as_ref(), &run, self.fetching.size, None)
            .await?;
        Ok(RecordStream::new(
            Arc::clone(&self.link),
            &guard,
            id,
            self.fetching,
        ))
    }

    /// Commits, after discarding the results still unread (BEGIN goes with
    /// COMMIT when no query ran); the bookmark goes to the sink.
    async fn commit(self) -> Result<Bookmarks, Error> {
        let begin = self.take_begin();
        let mut guard = self.link.lock().await;
        if let Some(failure) = guard.failure() {
            return Err(failure);
        }
        guard.settle_streams(Settle::Discard).await?;
        let success = guard.commit(begin.as_ref()).await?;
        self.sink.record(success.bookmark());
        Ok(Bookmarks::from_iter(success.bookmark()))
    }

    /// Rolls back: nothing to send when BEGIN never went out; when the
    /// server already ended the transaction with a failure, the connection
    /// is reset (RESET, not ROLLBACK).
    async fn rollback(self) -> Result<(), Error> {
        if self.take_begin().is_some() {
            return Ok(());
        }
        let mut guard = self.link.lock().await;
        if guard.broken().is_some() {
            return Ok(());
        }
        if guard.has_failed() {
            guard.reset_after_failure().await;
            return Ok(());
        }
        guard.settle_streams(Settle::Discard).await?;
        guard.call(&Request::Rollback).await.map(|_| ())
    }
}

/// An explicit transaction: queries run in it until it is committed or
/// rolled back. Dropping it without committing rolls it back.
///
/// Several results may be open at once; each borrows the transaction, so
/// none can outlive it. The transaction has begun on the server when
/// [`begin_transaction`](crate::Session::begin_transaction) returns it: a
/// failure to begin (an unknown database, expired credentials) is that
/// call's error.
///
/// ```no_run
/// # async fn example(session: &mut neo_runtime::Session) -> neo_runtime::Result<()> {
/// use neo_runtime::{Query, TransactionConfig};
///
/// let tx = session.begin_transaction(TransactionConfig::default()).await?;
/// tx.run(Query::new("CREATE (:Person {name: $name})").param("name", "Ann")).await?.consume().await?;
/// tx.commit().await?;
/// # Ok(())
/// # }
/// ```
pub struct Transaction<'s> {
    core: Core,
    /// The session it runs in, borrowed for as long as it lives.
    _session: PhantomData<&'s mut ()>,
}

impl fmt::Debug for Transaction<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transaction").finish_non_exhaustive()
    }
}

impl<'s> Transaction<'s> {
    /// Begins a transaction: sends BEGIN and waits for the server to
    /// accept it.
    pub(crate) async fn begin(
        link: Arc<Mutex<Link>>,
        begin: Request<'static>,
        sink: BookmarkSink,
        fetching: Fetching,
    ) -> Result<Self, Error> {
        let tx = Transaction {
            core: Core {
                link,
                begin: StdMutex::new(Some(begin)),
                fetching,
                sink,
            },
            _session: PhantomData,
        };
        tx.core.begin_now().await?;
        Ok(tx)
    }

    /// Runs a query in the transaction.
    pub async fn run(&self, query: impl IntoQuery) -> Result<RecordStream<'_>, Error> {
        self.core.run(query).await
    }

    /// Commits, after discarding whatever results are still unread, and
    /// returns the bookmark of the commit. After a failed query, the
    /// transaction cannot commit: this returns that query's failure.
    pub async fn commit(self) -> Result<Bookmarks, Error> {
        self.core.commit().await
    }

    /// Rolls back every change of the transaction. After a failed query the
    /// server has rolled it back already, and nothing is sent.
    pub async fn rollback(self) -> Result<(), Error> {
        self.core.rollback().await
    }
}

/// The transaction handed to a transaction function
/// ([`Session::execute_read`](crate::Session::execute_read),
/// [`Session::execute_write`](crate::Session::execute_write)). It has no commit
/// or rollback: the function's outcome decides.
pub struct ManagedTransaction<'a> {
    core: Core,
    _session: PhantomData<&'a mut ()>,
}

impl fmt::Debug for ManagedTransaction<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagedTransaction").finish_non_exhaustive()
    }
}

impl ManagedTransaction<'_> {
    pub(crate) fn new(
        link: Arc<Mutex<Link>>,
        begin: Request<'static>,
        sink: BookmarkSink,
        fetching: Fetching,
    ) -> Self {
        ManagedTransaction {
            core: Core {
                link,
                begin: StdMutex::new(Some(begin)),
                fetching,
                sink,
            },
            _session: PhantomData,
        }
    }

    /// Sends BEGIN now and waits for its answer, instead of with the
    /// first query.
    pub(crate) async fn begin_now(&self) -> Result<(), Error> {
        self.core.begin_now().await
    }

    /// Runs a query in the transaction.
    pub async fn run(&self, query: impl IntoQuery) -> Result<RecordStream<'_>, Error> {
        self.core.run(query).await
    }

    pub(crate) async fn commit(self) -> Result<(), Error> {
        self.core.commit().await.map(|_| ())
    }

    pub(crate) async fn rollback(self) {
        let _ = self.core.rollback().await;
    }
}
