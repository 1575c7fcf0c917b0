//! Explicit transactions and the transactions of transaction functions.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex as StdMutex, PoisonError};

use neo_bolt::message::{Parameters, Request, Run, TxExtra};
use tokio::sync::Mutex;

use crate::bookmarks::{BookmarkSink, Bookmarks};
use crate::error::Error;
use crate::io::link::{Link, Settle};
use crate::query::{IntoQuery, Query};
use crate::result::RecordStream;

/// Runs a query inside the transaction on `link`.
async fn run_in_transaction<'t>(
    link: &Arc<Mutex<Link>>,
    begin: Option<Request<'static>>,
    query: Query,
    fetch_size: i64,
) -> Result<RecordStream<'t>, Error> {
    let mut guard = link.lock().await;
    let run = Request::Run(Run {
        query: Cow::Borrowed(query.text()),
        parameters: Parameters::Encoded(query.encoded_parameters(guard.dialect())?),
        extra: TxExtra::default(),
    });
    let id = guard
        .start_stream(begin.as_ref(), &run, fetch_size, None)
        .await?;
    Ok(RecordStream::new(Arc::clone(link), &guard, id, fetch_size))
}

/// An explicit transaction: queries run in it until it is committed or
/// rolled back. Dropping it without committing rolls it back.
///
/// Several results may be open at once; each borrows the transaction, so
/// none can outlive it.
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
    link: Arc<Mutex<Link>>,
    sink: BookmarkSink,
    fetch_size: i64,
    /// The session it runs in, borrowed for as long as it lives.
    _session: PhantomData<&'s mut ()>,
}

impl fmt::Debug for Transaction<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transaction").finish_non_exhaustive()
    }
}

impl<'s> Transaction<'s> {
    pub(crate) fn new(link: Arc<Mutex<Link>>, sink: BookmarkSink, fetch_size: i64) -> Self {
        Transaction {
            link,
            sink,
            fetch_size,
            _session: PhantomData,
        }
    }

    /// Runs a query in the transaction.
    pub async fn run(&self, query: impl IntoQuery) -> Result<RecordStream<'_>, Error> {
        run_in_transaction(&self.link, None, query.into_query(), self.fetch_size).await
    }

    /// Commits, after discarding whatever results are still unread, and
    /// returns the bookmark of the commit. After a failed query, the
    /// transaction cannot commit: this returns that query's failure.
    pub async fn commit(self) -> Result<Bookmarks, Error> {
        let mut guard = self.link.lock().await;
        if let Some(failure) = guard.failure() {
            return Err(failure);
        }
        guard.settle_streams(Settle::Discard).await?;
        let success = guard.commit(None).await?;
        let bookmarks = Bookmarks::from_iter(success.bookmark());
        self.sink.record(success.bookmark());
        Ok(bookmarks)
    }

    /// Rolls back every change of the transaction. After a failed query the
    /// server has rolled it back already, and nothing is sent.
    pub async fn rollback(self) -> Result<(), Error> {
        let mut guard = self.link.lock().await;
        if guard.has_failed() {
            return Ok(());
        }
        guard.settle_streams(Settle::Discard).await?;
        guard.call(&Request::Rollback).await.map(|_| ())
    }
}

/// The transaction handed to a transaction function
/// ([`Session::execute_read`](crate::Session::execute_read),
/// [`Session::execute_write`](crate::Session::execute_write)). It has no commit
/// or rollback: the function's outcome decides.
pub struct ManagedTransaction<'a> {
    link: Arc<Mutex<Link>>,
    /// BEGIN goes out with the first query, saving a round trip.
    begin: StdMutex<Option<Request<'static>>>,
    fetch_size: i64,
    _session: PhantomData<&'a mut ()>,
}

impl fmt::Debug for ManagedTransaction<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagedTransaction").finish_non_exhaustive()
    }
}

impl ManagedTransaction<'_> {
    pub(crate) fn new(link: Arc<Mutex<Link>>, begin: Request<'static>, fetch_size: i64) -> Self {
        ManagedTransaction {
            link,
            begin: StdMutex::new(Some(begin)),
            fetch_size,
            _session: PhantomData,
        }
    }

    fn take_begin(&self) -> Option<Request<'static>> {
        self.begin
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// Runs a query in the transaction.
    pub async fn run(&self, query: impl IntoQuery) -> Result<RecordStream<'_>, Error> {
        let begin = self.take_begin();
        run_in_transaction(&self.link, begin, query.into_query(), self.fetch_size).await
    }

    pub(crate) async fn commit(self, sink: BookmarkSink) -> Result<(), Error> {
        let begin = self.take_begin();
        let mut guard = self.link.lock().await;
        if let Some(failure) = guard.failure() {
            return Err(failure);
        }
        guard.settle_streams(Settle::Discard).await?;
        let success = guard.commit(begin.as_ref()).await?;
        sink.record(success.bookmark());
        Ok(())
    }

    pub(crate) async fn rollback(self) {
        if self.take_begin().is_some() {
            // Nothing was sent: there is no transaction to roll back.
            return;
        }
        let mut guard = self.link.lock().await;
        // After a failure (of the server or of the connection) there is
        // nothing to roll back: the connection is reset before its next use.
        if guard.broken().is_none()
            && !guard.has_failed()
            && guard.settle_streams(Settle::Discard).await.is_ok()
        {
            let _ = guard.call(&Request::Rollback).await;
        }
    }
}
