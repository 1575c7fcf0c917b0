//! A query's records, fetched from the server in batches.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use neo_bolt::message::Success;
use neo_bolt::packstream::Dialect;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;

use super::borrowed::{FromRecordRef, record_values};
use super::prefetch::Fetching;
use super::record::{FromRecord, Record};
use super::row::{ColumnOrder, decode_row};
use super::summary::{Outcome, ResultSummary};
use crate::error::{Error, ErrorKind};
use crate::io::bolt::ServerInfo;
use crate::io::link::{Link, StreamId};
use crate::io::records::RecordQueue;

/// The records of one query, fetched from the server in batches of the
/// fetch size.
///
/// When the records left to read fall to the low
/// [prefetch watermark](super::PrefetchWatermarks), the next batch is requested
/// while they are read, so reading rarely waits for a round trip, and the
/// records held stay within the high watermark (through
/// [`futures_core::Stream`], the watermarks are checked when a batch is
/// taken). A result of a transaction borrows the transaction (`'t`): it
/// cannot outlive it, and a transaction function cannot return it.
///
/// If the session runs another query before this result is read to the end,
/// the rest is buffered and stays readable. When the session closes, the
/// unread rest of its results is discarded: reading on is an
/// [`ErrorKind::ResultConsumed`] error.
///
/// A result of a transaction cannot be read once the transaction has
/// ended: that does not compile.
///
/// ```compile_fail,E0505
/// # async fn example(session: &mut neo_runtime::Session) -> neo_runtime::Result<()> {
/// let tx = session.begin_transaction(Default::default()).await?;
/// let mut result = tx.run("RETURN 1").await?;
/// tx.commit().await?;
/// result.next().await; // the transaction is gone
/// # Ok(())
/// # }
/// ```
pub struct RecordStream<'t> {
    link: Arc<Mutex<Link>>,
    id: StreamId,
    keys: Arc<[String]>,
    dialect: Dialect,
    batches: Fetching,
    /// The next batch was asked for (or there is nothing more to ask for)
    /// since the reader took its current one.
    asked_ahead: bool,
    local: RecordQueue,
    /// A record taken by [`peek`](RecordStream::peek) and not yet handed out.
    peeked: Option<Record>,
    /// A peeked record that a borrowed row
    /// ([`next_borrowed`](RecordStream::next_borrowed),
    /// [`next_borrowed_into`](RecordStream::next_borrowed_into)) was lent
    /// from, kept until the next borrowed read.
    lent: Option<Record>,
    column_order: ColumnOrder,
    fetching: Option<BatchFuture>,
    summary: Option<ResultSummary>,
    finished: bool,
    abandoned: Arc<AtomicBool>,
    server: Arc<ServerInfo>,
    _transaction: PhantomData<&'t ()>,
}

impl fmt::Debug for RecordStream<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordStream")
            .field("keys", &self.keys)
            .field("buffered", &self.local.len())
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl<'t> RecordStream<'t> {
    pub(crate) fn new(
        link: Arc<Mutex<Link>>,
        guard: &Link,
        id: StreamId,
        fetching: Fetching,
    ) -> Self {
        let server = Arc::clone(guard.server());
        RecordStream {
            keys: Arc::clone(&guard.stream(id).keys),
            abandoned: Arc::clone(&guard.stream(id).abandoned),
            dialect: guard.dialect(),
            server,
            link,
            id,
            batches: fetching,
            asked_ahead: false,
            local: RecordQueue::default(),
            peeked: None,
            lent: None,
            column_order: ColumnOrder::default(),
            fetching: None,
            summary: None,
            finished: false,
            _transaction: PhantomData,
        }
    }

    /// The column names.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// The next record, or `None` at the end. A failure of the query
    /// (including one that happened while the rest was being buffered) is
    /// returned here.
    pub async fn next(&mut self) -> Option<Result<Record, Error>> {
        if let Some(record) = self.peeked.take() {
            return Some(Ok(record));
        }
        let body = std::future::poll_fn(|cx| self.poll_body(cx)).await?;
        if self.wants_read_ahead(self.local.len()) {
            self.request_ahead(self.local.len()).await;
        }
        Some(body.map(|body| Record::new(Arc::clone(&self.keys), body, self.dialect)))
    }

    /// Whether the `unread` records left have fallen to the low watermark
    /// (and the high one allows a request): at most once per batch, checked
    /// without an `await` since most records need no request.
    #[inline]
    fn wants_read_ahead(&self, unread: usize) -> bool {
        !self.asked_ahead
            && !self.finished
            && self.batches.watermarks.ask_ahead(unread, self.batches.size)
    }

    /// Requests the next batch ahead of the reader, who holds `held`
    /// records.
    async fn request_ahead(&mut self, held: usize) {
        let mut link = self.link.lock().await;
        // A connection lost here fails the stream after the records it
        // holds, which are delivered all the same.
        self.asked_ahead = link
            .request_ahead(self.id, self.batches, held)
            .await
            .unwrap_or(true);
    }

    /// The next record without taking it: the following
    /// [`next`](Self::next) returns it. `None` at the end; a failure of the
    /// query is returned here as it would be by `next`.
    ///
    /// ```
    /// # async fn example(mut result: neo_runtime::RecordStream<'_>) -> neo_runtime::Result<()> {
    /// // Look at the first row before deciding how to read the result.
    /// let has_rows = result.peek().await.transpose()?.is_some();
    /// if has_rows {
    ///     let first = result.next().await.transpose()?;
    ///     assert!(first.is_some());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn peek(&mut self) -> Option<Result<&Record, Error>> {
        if self.peeked.is_none() {
            match self.next().await? {
                Ok(record) => self.peeked = Some(record),
                Err(error) => return Some(Err(error)),
            }
        }
        self.peeked.as_ref().map(Ok)
    }

    /// The next record body: from the local batch, or by fetching the next
    /// batch.
    fn poll_body(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, Error>>> {
        match ready!(self.poll_buffered(cx)) {
            Some(Ok(())) => Poll::Ready(self.local.pop().map(Ok)),
            Some(Err(error)) => Poll::Ready(Some(Err(error))),
            None => Poll::Ready(None),
        }
    }

    /// Ready with `Some(Ok(()))` once a record is in the local batch,
    /// fetching the next batch when it is empty (one boxed future per batch,
    /// shared by `next`, `next_as` and `Stream`).
    fn poll_buffered(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<(), Error>>> {
        loop {
            if !self.local.is_empty() {
                return Poll::Ready(Some(Ok(())));
            }
            if self.finished {
                return Poll::Ready(None);
            }
            let fetching = self.fetching.get_or_insert_with(|| {
                Box::pin(fetch_batch(Arc::clone(&self.link), self.id, self.batches))
            });
            let outcome = ready!(fetching.as_mut().poll(cx));
            self.fetching = None;
            match outcome {
                Ok(Fetched::Records(batch, asked_ahead)) => {
                    self.local = batch;
                    self.asked_ahead = asked_ahead;
                }
                Ok(Fetched::End(success, t_first, saw_records)) => {
                    self.finish(success, t_first, saw_records)
                }
                Err(error) => {
                    self.finished = true;
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }

    fn finish(&mut self, success: Success, t_first: Option<i64>, saw_records: bool) {
        self.finished = true;
        self.summary = Some(ResultSummary::new(
            success,
            t_first,
            Arc::clone(&self.server),
            Outcome {
                has_keys: !self.keys.is_empty(),
                had_records: saw_records,
            },
        ));
    }

    /// The next record decoded into a row type (see [`Record::to`]),
    /// straight from the received bytes.
    ///
    /// ```
    /// # async fn example(mut result: neo_runtime::RecordStream<'_>) -> neo_runtime::Result<()> {
    /// #[derive(serde::Deserialize)]
    /// struct Row {
    ///     x: i64,
    /// }
    /// let mut sum = 0;
    /// while let Some(row) = result.next_as::<Row>().await {
    ///     sum += row?.x;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn next_as<T: DeserializeOwned>(&mut self) -> Option<Result<T, Error>> {
        if let Some(record) = self.peeked.take() {
            return Some(record.to());
        }
        if let Err(error) = std::future::poll_fn(|cx| self.poll_buffered(cx)).await? {
            return Some(Err(error));
        }
        let (keys, dialect, order) = (&self.keys, self.dialect, &mut self.column_order);
        let row = self
            .local
            .pop_with(|block, body| decode_row(keys, &block[body], dialect, Some(order)));
        if self.wants_read_ahead(self.local.len()) {
            self.request_ahead(self.local.len()).await;
        }
        row
    }

    /// The next record decoded into a row that borrows from the received
    /// bytes: `&str` and `&[u8]` fields (and any type deserializing
    /// borrowed data) point into the batch the record arrived in, so
    /// reading a row allocates nothing. Columns are matched to fields as
    /// by [`next_as`](Self::next_as).
    ///
    /// The row borrows the stream until it is dropped: the next call on
    /// the stream may drop the batch it points into.
    ///
    /// ```
    /// # async fn example(mut result: neo_runtime::RecordStream<'_>) -> neo_runtime::Result<()> {
    /// #[derive(serde::Deserialize)]
    /// struct Person<'a> {
    ///     name: &'a str,
    ///     born: Option<i64>,
    /// }
    /// let mut longest = String::new();
    /// while let Some(person) = result.next_borrowed::<Person<'_>>().await {
    ///     let person = person?;
    ///     if person.name.len() > longest.len() {
    ///         longest = person.name.to_owned(); // copied only when kept
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// A row does not outlive the next call:
    ///
    /// ```compile_fail,E0499
    /// # async fn example(mut result: neo_runtime::RecordStream<'_>) -> neo_runtime::Result<()> {
    /// let first = result.next_borrowed::<(&str,)>().await.transpose()?;
    /// let second = result.next_borrowed::<(&str,)>().await.transpose()?;
    /// println!("{first:?} {second:?}"); // `first` may point into a dropped batch
    /// # Ok(())
    /// # }
    /// ```
    pub async fn next_borrowed<'r, T: Deserialize<'r>>(&'r mut self) -> Option<Result<T, Error>> {
        Some(match self.lend().await? {
            Ok(lent) => decode_row(lent.keys, lent.body, lent.dialect, Some(lent.order)),
            Err(error) => Err(error),
        })
    }

    /// The next record built as a row that borrows from the received
    /// bytes, with its [`FromRecordRef`] implementation: a
    /// `#[derive(Record)]` struct with a lifetime, whose `&str` and `&[u8]`
    /// fields point into the batch the record arrived in.
    ///
    /// The row borrows the stream until it is dropped, as with
    /// [`next_borrowed`](Self::next_borrowed).
    ///
    /// ```
    /// # async fn example(mut result: neo_runtime::RecordStream<'_>) -> neo_runtime::Result<()> {
    /// #[derive(neo_runtime::Record)]
    /// struct Movie<'a> {
    ///     title: &'a str,
    ///     released: Option<i64>,
    /// }
    /// let mut titles = 0;
    /// while let Some(movie) = result.next_borrowed_into::<Movie<'_>>().await {
    ///     titles += movie?.title.len();
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn next_borrowed_into<'r, T: FromRecordRef<'r>>(
        &'r mut self,
    ) -> Option<Result<T, Error>> {
        Some(match self.lend().await? {
            Ok(lent) => record_values(lent.body, lent.dialect, lent.keys.len())
                .and_then(|values| T::from_values_ref(lent.keys, values)),
            Err(error) => Err(error),
        })
    }

    /// The next record's body, lent where it lies (a peeked record is kept
    /// until the next call), with what decoding it needs.
    async fn lend(&mut self) -> Option<Result<Lent<'_>, Error>> {
        if let Some(record) = self.peeked.take() {
            let record = self.lent.insert(record);
            return Some(Ok(Lent {
                keys: &self.keys,
                body: record.body(),
                dialect: self.dialect,
                order: &mut self.column_order,
            }));
        }
        self.lent = None;
        if let Err(error) = std::future::poll_fn(|cx| self.poll_buffered(cx)).await? {
            return Some(Err(error));
        }
        // The batch is asked for before the body is lent, which then
        // borrows the stream; the record lent counts as read.
        let unread = self.local.len().saturating_sub(1);
        if self.wants_read_ahead(unread) {
            self.request_ahead(unread).await;
        }
        let body = self.local.take_in_place()?;
        Some(Ok(Lent {
            keys: &self.keys,
            body,
            dialect: self.dialect,
            order: &mut self.column_order,
        }))
    }

    /// The next record built with its [`FromRecord`] implementation.
    pub async fn next_into<T: FromRecord>(&mut self) -> Option<Result<T, Error>> {
        if T::FROM_VALUES {
            // Read where the record lies: no `Record` to build and drop.
            return Some(match self.lend().await? {
                Ok(lent) => record_values(lent.body, lent.dialect, lent.keys.len())
                    .and_then(|values| T::from_values(lent.keys, values, lent.order)),
                Err(error) => Err(error),
            });
        }
        match self.next().await? {
            Ok(record) => Some(T::from_record(&record)),
            Err(error) => Some(Err(error)),
        }
    }

    /// Reads every remaining record into memory (explicit retention).
    pub async fn collect(mut self) -> Result<Vec<Record>, Error> {
        let mut records = Vec::new();
        while let Some(record) = self.next().await {
            records.push(record?);
        }
        Ok(records)
    }

    /// The one and only record. A result with no record, or with more
    /// than one, is an [`ErrorKind::ResultNotSingle`] error; either way the
    /// result is read to its end (the rest is discarded on the server), so
    /// its [`summary`](Self::summary) is available afterwards.
    ///
    /// ```
    /// # async fn example(session: &mut neo_runtime::Session) -> neo_runtime::Result<()> {
    /// use neo_runtime::ErrorKind;
    ///
    /// let mut result = session.run("UNWIND [1, 2] AS x RETURN x").await?;
    /// let err = result.single().await.unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::ResultNotSingle);
    /// assert!(result.summary().is_some());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn single(&mut self) -> Result<Record, Error> {
        let Some(first) = self.next().await.transpose()? else {
            return Err(Error::new(
                ErrorKind::ResultNotSingle,
                "expected exactly one record, but the result is empty; `single_optional` accepts none",
            ));
        };
        self.expect_no_more("expected exactly one record, but the result has more than one")
            .await?;
        Ok(first)
    }

    /// The record of a result that has at most one: `None` when it is
    /// empty. More than one is an [`ErrorKind::ResultNotSingle`] error
    /// (nothing is dropped silently); the result is read to its end either
    /// way, so calling it again gives `Ok(None)`.
    ///
    /// ```
    /// # async fn example(session: &mut neo_runtime::Session) -> neo_runtime::Result<()> {
    /// use neo_runtime::Query;
    ///
    /// let mut result = session
    ///     .run(Query::new("MATCH (p:Person {name: $name}) RETURN p.born AS born").param("name", "Ann"))
    ///     .await?;
    /// match result.single_optional().await? {
    ///     Some(record) => println!("born {:?}", record.get("born")?),
    ///     None => println!("no such person"),
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn single_optional(&mut self) -> Result<Option<Record>, Error> {
        let Some(first) = self.next().await.transpose()? else {
            return Ok(None);
        };
        self.expect_no_more("expected at most one record, but the result has more than one")
            .await?;
        Ok(Some(first))
    }

    /// After the record `single` and `single_optional` return: an error
    /// when another follows, having discarded the rest.
    async fn expect_no_more(&mut self, several: &str) -> Result<(), Error> {
        if self.next().await.transpose()?.is_none() {
            return Ok(());
        }
        self.discard_rest().await?;
        Err(Error::new(
            ErrorKind::ResultNotSingle,
            format!(
                "{several}, and the rest was discarded; read several records with `next` or \
                 `collect`, or return one (`LIMIT 1`)"
            ),
        ))
    }

    /// Discards the records not read yet (DISCARD on the server), keeping
    /// the summary.
    async fn discard_rest(&mut self) -> Result<(), Error> {
        self.local.clear();
        self.peeked = None;
        // A fetch left half-way by a cancelled `next` is simply resumed by
        // the link: what it read is in the stream's buffer.
        self.fetching = None;
        if self.finished {
            return Ok(());
        }
        let mut link = self.link.lock().await;
        link.discard(self.id).await?;
        let stream = link.stream_mut(self.id);
        if let Some(error) = stream.error.take() {
            self.finished = true;
            return Err(error);
        }
        let (t_first, saw_records) = (stream.t_first, stream.saw_records);
        if let Some(success) = stream.summary.take() {
            drop(link);
            self.finish(success, t_first, saw_records);
        }
        Ok(())
    }

    /// Discards the remaining records and returns the summary.
    pub async fn consume(mut self) -> Result<ResultSummary, Error> {
        self.discard_rest().await?;
        self.summary.take().ok_or_else(|| {
            Error::new(
                ErrorKind::ResultConsumed,
                "the result ended without a summary: it was discarded earlier",
            )
        })
    }

    /// The summary, once every record has been read.
    pub fn summary(&self) -> Option<&ResultSummary> {
        self.summary.as_ref()
    }
}

impl Drop for RecordStream<'_> {
    fn drop(&mut self) {
        // The link discards what is left the next time it is used.
        self.abandoned.store(true, Ordering::Release);
    }
}

impl futures_core::Stream for RecordStream<'_> {
    type Item = Result<Record, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(record) = this.peeked.take() {
            return Poll::Ready(Some(Ok(record)));
        }
        this.poll_body(cx).map(|body| {
            body.map(|body| {
                body.map(|body| Record::new(Arc::clone(&this.keys), body, this.dialect))
            })
        })
    }
}

/// A record body lent by [`RecordStream::lend`], and what decoding it
/// needs.
struct Lent<'a> {
    keys: &'a [String],
    body: &'a [u8],
    dialect: Dialect,
    order: &'a mut ColumnOrder,
}

/// A result's fetch of its next batch, in flight.
type BatchFuture = Pin<Box<dyn Future<Output = Result<Fetched, Error>> + Send>>;

/// What one trip to the link brought for a result.
enum Fetched {
    /// The next batch of record bodies, and whether the batch after it was
    /// asked for (or there is nothing more to ask for).
    Records(RecordQueue, bool),
    /// The final summary, with the RUN's `t_first` and whether the server
    /// sent any record.
    End(Success, Option<i64>, bool),
}

/// Takes a result's next batch from the link, fetching it from the server
/// if needed, and asks for the batch after it before returning if the
/// watermarks allow it with this batch held, so the server prepares it
/// while this one is read.
async fn fetch_batch(
    link: Arc<Mutex<Link>>,
    id: StreamId,
    fetching: Fetching,
) -> Result<Fetched, Error> {
    let mut link = link.lock().await;
    loop {
        let stream = link.stream_mut(id);
        if !stream.buffer.is_empty() {
            let batch = std::mem::take(&mut stream.buffer);
            // A connection lost here fails the stream after this batch,
            // which is delivered all the same.
            let asked_ahead = link
                .request_ahead(id, fetching, batch.len())
                .await
                .unwrap_or(true);
            return Ok(Fetched::Records(batch, asked_ahead));
        }
        if let Some(error) = stream.error.take() {
            return Err(error);
        }
        if stream.discarded_unread {
            return Err(Error::new(
                ErrorKind::ResultConsumed,
                "the rest of the result was discarded when its session closed: read a result before closing its session",
            ));
        }
        if let Some(success) = stream.summary.take() {
            return Ok(Fetched::End(success, stream.t_first, stream.saw_records));
        }
        if stream.discarding {
            return Err(Error::new(
                ErrorKind::ResultConsumed,
                "the result was discarded before it was read",
            ));
        }
        if let Err(error) = link.fetch(id, fetching.size).await {
            // Records that arrived before the connection was lost come
            // first; the stream keeps the failure for after them.
            let stream = link.stream(id);
            if stream.buffer.is_empty() && stream.error.is_none() {
                return Err(error);
            }
        }
    }
}
