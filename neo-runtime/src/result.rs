//! Query results: records fetched in batches, and the summary.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::Bytes;
use neo_bolt::Value;
use neo_bolt::message::{Counters, GqlStatusObject, Notification, QueryType, Success};
use neo_bolt::packstream::{Deserializer, Dialect, Unpacker};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;

use crate::address::Address;
use crate::bolt::ServerInfo;
use crate::bookmarks::BookmarkSink;
use crate::error::{Error, ErrorKind};
use crate::link::{Link, StreamId};
use crate::mapping::{ColumnOrder, FromRecord, RecordDeserializer};
use crate::records::RecordQueue;

/// One row of a result: values by column, decoded when asked for.
///
/// ```
/// # async fn example(mut result: neo_runtime::RecordStream<'_>) -> neo_runtime::Result<()> {
/// while let Some(record) = result.next().await {
///     let record = record?;
///     let name = record.get("name")?;
///     println!("{}", name.as_str().unwrap_or("?"));
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Record {
    keys: Arc<[String]>,
    body: Bytes,
    dialect: Dialect,
}

impl Record {
    /// The column names, in order.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the record has no columns.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub(crate) fn fields(&self) -> Result<(Unpacker<'_>, usize), Error> {
        let mut unpacker = Unpacker::new(self.body.get(2..).unwrap_or_default(), self.dialect);
        let len = unpacker.read_list_header().map_err(decode_error)?;
        Ok((unpacker, len))
    }

    /// Every value, in column order.
    pub fn values(&self) -> Result<Vec<Value>, Error> {
        let (mut unpacker, len) = self.fields()?;
        let mut values = Vec::with_capacity(unpacker.capacity_hint(len));
        for _ in 0..len {
            values.push(unpacker.read_value().map_err(decode_error)?);
        }
        Ok(values)
    }

    /// The value at a column position.
    pub fn value_at(&self, index: usize) -> Result<Value, Error> {
        let (mut unpacker, len) = self.fields()?;
        if index >= len {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("column {index} does not exist; the record has {len} column(s)"),
            ));
        }
        for _ in 0..index {
            unpacker.skip_value().map_err(decode_error)?;
        }
        unpacker.read_value().map_err(decode_error)
    }

    fn index_of(&self, key: &str) -> Result<usize, Error> {
        self.keys.iter().position(|k| k == key).ok_or_else(|| {
            Error::new(
                ErrorKind::Usage,
                format!(
                    "no column named `{key}`; the columns are [{}]",
                    self.keys.join(", ")
                ),
            )
        })
    }

    /// The value of a column by name.
    pub fn get(&self, key: &str) -> Result<Value, Error> {
        self.value_at(self.index_of(key)?)
    }

    /// A column decoded straight into a Rust type (any `T: Deserialize`,
    /// borrowing strings from the record where `T` allows).
    ///
    /// ```
    /// # fn example(record: &neo_runtime::Record) -> neo_runtime::Result<()> {
    /// let name: &str = record.get_as("name")?;
    /// let born: Option<i64> = record.get_as("born")?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn get_as<'r, T: Deserialize<'r>>(&'r self, key: &str) -> Result<T, Error> {
        let index = self.index_of(key)?;
        let (mut unpacker, _) = self.fields()?;
        for _ in 0..index {
            unpacker.skip_value().map_err(decode_error)?;
        }
        T::deserialize(&mut Deserializer::new(&mut unpacker))
            .map_err(|error| mapping_error::<T>(&format!("column `{key}`"), error))
    }

    /// The whole record decoded into a Rust type: a struct or map reads the
    /// columns by name, a tuple or sequence by position.
    ///
    /// ```
    /// # fn example(record: &neo_runtime::Record) -> neo_runtime::Result<()> {
    /// #[derive(serde::Deserialize)]
    /// struct Person {
    ///     name: String,
    ///     born: Option<i64>,
    /// }
    /// let person: Person = record.to()?;
    /// let (name, born): (String, i64) = record.to()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn to<'r, T: Deserialize<'r>>(&'r self) -> Result<T, Error> {
        decode_row(&self.keys, &self.body, self.dialect, None)
    }
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        match self.values() {
            Ok(values) => {
                for (key, value) in self.keys.iter().zip(values) {
                    map.entry(key, &value);
                }
            }
            Err(error) => {
                map.entry(&"<undecodable>", &error.to_string());
            }
        }
        map.finish()
    }
}

/// Decodes a RECORD message body into a row type; `order` carries what
/// earlier rows of the same result taught (see [`ColumnOrder`]).
fn decode_row<'r, T: Deserialize<'r>>(
    keys: &[String],
    body: &'r [u8],
    dialect: Dialect,
    order: Option<&mut ColumnOrder>,
) -> Result<T, Error> {
    let mut unpacker = Unpacker::new(body.get(2..).unwrap_or_default(), dialect);
    let len = unpacker.read_list_header().map_err(decode_error)?;
    let Some(order) = order else {
        return T::deserialize(RecordDeserializer {
            keys,
            unpacker,
            len,
            order: None,
        })
        .map_err(|error| mapping_error::<T>("record", error));
    };
    order.offered = false;
    let first = T::deserialize(RecordDeserializer {
        keys,
        unpacker: unpacker.clone(),
        len,
        order: Some(&mut *order),
    });
    match first {
        Err(_) if order.offered => {
            // The row type did not take the row as a sequence: decode it by
            // column name, which also gives the error that names the column.
            order.decline();
            T::deserialize(RecordDeserializer {
                keys,
                unpacker,
                len,
                order: None,
            })
        }
        first => first,
    }
    .map_err(|error| mapping_error::<T>("record", error))
}

fn mapping_error<T>(what: &str, error: neo_bolt::Error) -> Error {
    Error::new(
        ErrorKind::Mapping,
        format!(
            "{what} does not fit `{}`: {error}",
            std::any::type_name::<T>()
        ),
    )
}

/// The error for record bytes that do not decode.
pub(crate) fn decode_error(error: neo_bolt::Error) -> Error {
    Error::new(ErrorKind::Protocol, "a record does not decode").with_source(error)
}

/// The records of one query, fetched from the server in batches of the
/// fetch size.
///
/// While one batch is being read the next one is already requested, so
/// reading rarely waits for a round trip, and memory stays bounded by two
/// batches. A result of a transaction borrows the transaction (`'t`): it
/// cannot outlive it, and a transaction function cannot return it.
///
/// If the session runs another query before this result is read to the end,
/// the rest is buffered and stays readable.
pub struct RecordStream<'t> {
    link: Arc<Mutex<Link>>,
    id: StreamId,
    keys: Arc<[String]>,
    dialect: Dialect,
    fetch_size: i64,
    local: RecordQueue,
    column_order: ColumnOrder,
    fetching: Option<BatchFuture>,
    summary: Option<ResultSummary>,
    finished: bool,
    abandoned: Arc<AtomicBool>,
    bookmark_sink: Option<BookmarkSink>,
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
        fetch_size: i64,
        bookmark_sink: Option<BookmarkSink>,
    ) -> Self {
        let server = Arc::clone(guard.connection().server());
        RecordStream {
            keys: Arc::clone(&guard.stream(id).keys),
            abandoned: Arc::clone(&guard.stream(id).abandoned),
            dialect: guard.dialect(),
            server,
            link,
            id,
            fetch_size,
            local: RecordQueue::default(),
            column_order: ColumnOrder::default(),
            fetching: None,
            summary: None,
            finished: false,
            bookmark_sink,
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
        let body = std::future::poll_fn(|cx| self.poll_body(cx)).await?;
        Some(body.map(|body| Record {
            keys: Arc::clone(&self.keys),
            body,
            dialect: self.dialect,
        }))
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
                Box::pin(fetch_batch(
                    Arc::clone(&self.link),
                    self.id,
                    self.fetch_size,
                ))
            });
            let outcome = ready!(fetching.as_mut().poll(cx));
            self.fetching = None;
            match outcome {
                Ok(Fetched::Records(batch)) => self.local = batch,
                Ok(Fetched::End(success, t_first)) => self.finish(success, t_first),
                Err(error) => {
                    self.finished = true;
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }

    fn finish(&mut self, success: Success, t_first: Option<i64>) {
        self.finished = true;
        if let Some(sink) = &self.bookmark_sink {
            sink.record(success.bookmark());
        }
        self.summary = Some(ResultSummary::new(
            success,
            t_first,
            Arc::clone(&self.server),
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
        if let Err(error) = std::future::poll_fn(|cx| self.poll_buffered(cx)).await? {
            return Some(Err(error));
        }
        let (keys, dialect, order) = (&self.keys, self.dialect, &mut self.column_order);
        self.local
            .pop_with(|block, body| decode_row(keys, &block[body], dialect, Some(order)))
    }

    /// The next record built with its [`FromRecord`] implementation.
    pub async fn next_into<T: FromRecord>(&mut self) -> Option<Result<T, Error>> {
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

    /// The one and only record; an error if there are none or several.
    pub async fn single(mut self) -> Result<Record, Error> {
        let first =
            self.next().await.transpose()?.ok_or_else(|| {
                Error::new(ErrorKind::Usage, "expected exactly one record, got none")
            })?;
        if self.next().await.transpose()?.is_some() {
            return Err(Error::new(
                ErrorKind::Usage,
                "expected exactly one record, got more than one",
            ));
        }
        Ok(first)
    }

    /// Discards the remaining records and returns the summary.
    pub async fn consume(mut self) -> Result<ResultSummary, Error> {
        self.local.clear();
        // A fetch left half-way by a cancelled `next` is simply resumed by
        // the link: what it read is in the stream's buffer.
        self.fetching = None;
        if !self.finished {
            let mut link = self.link.lock().await;
            link.discard(self.id).await?;
            let stream = link.stream_mut(self.id);
            if let Some(error) = stream.error.take() {
                return Err(error);
            }
            let t_first = stream.t_first;
            if let Some(success) = stream.summary.take() {
                drop(link);
                self.finish(success, t_first);
            }
        }
        self.summary.take().ok_or_else(|| {
            Error::new(
                ErrorKind::Usage,
                "the result ended without a summary (it was discarded earlier)",
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
        this.poll_body(cx).map(|body| {
            body.map(|body| {
                body.map(|body| Record {
                    keys: Arc::clone(&this.keys),
                    body,
                    dialect: this.dialect,
                })
            })
        })
    }
}

/// A result's fetch of its next batch, in flight.
type BatchFuture = Pin<Box<dyn Future<Output = Result<Fetched, Error>> + Send>>;

/// What one trip to the link brought for a result.
enum Fetched {
    /// The next batch of record bodies.
    Records(RecordQueue),
    /// The final summary, with the RUN's `t_first`.
    End(Success, Option<i64>),
}

/// Takes a result's next batch from the link, fetching it from the server
/// if needed, and asks for the batch after it before returning, so the
/// server prepares it while this one is read.
async fn fetch_batch(
    link: Arc<Mutex<Link>>,
    id: StreamId,
    fetch_size: i64,
) -> Result<Fetched, Error> {
    let mut link = link.lock().await;
    loop {
        let stream = link.stream_mut(id);
        if !stream.buffer.is_empty() {
            let batch = std::mem::take(&mut stream.buffer);
            let prefetch = stream.has_more && !stream.in_flight && !stream.is_finished();
            if prefetch {
                link.request_more(id, fetch_size).await?;
            }
            return Ok(Fetched::Records(batch));
        }
        if let Some(error) = stream.error.take() {
            return Err(error);
        }
        if let Some(success) = stream.summary.take() {
            return Ok(Fetched::End(success, stream.t_first));
        }
        if stream.discarding {
            return Err(Error::new(
                ErrorKind::Usage,
                "the result was discarded (its session or transaction ended) before it was read",
            ));
        }
        link.fetch(id, fetch_size).await?;
    }
}

/// What the server reported when a result ended.
#[derive(Debug, Clone)]
pub struct ResultSummary {
    success: Success,
    t_first: Option<i64>,
    server: Arc<ServerInfo>,
}

impl ResultSummary {
    fn new(success: Success, t_first: Option<i64>, server: Arc<ServerInfo>) -> Self {
        ResultSummary {
            success,
            t_first,
            server,
        }
    }

    /// What the query changed.
    pub fn counters(&self) -> Counters {
        self.success.counters()
    }

    /// Whether the query read, wrote, or changed the schema.
    pub fn query_type(&self) -> Option<QueryType> {
        self.success.query_type()
    }

    /// The database the query ran against.
    pub fn database(&self) -> Option<&str> {
        self.success.db()
    }

    /// The bookmark of an auto-commit query's transaction.
    pub fn bookmark(&self) -> Option<&str> {
        self.success.bookmark()
    }

    /// The server's notifications (rebuilt from GQL statuses on Bolt 5.6+).
    pub fn notifications(&self) -> Vec<Notification> {
        self.success.notifications()
    }

    /// The GQL status objects (Bolt 5.6+).
    pub fn gql_statuses(&self) -> Vec<GqlStatusObject> {
        self.success.statuses()
    }

    /// How long the server took until the first record was available.
    pub fn result_available_after(&self) -> Option<Duration> {
        self.t_first.and_then(millis)
    }

    /// How long the server took to stream the result after that.
    pub fn result_consumed_after(&self) -> Option<Duration> {
        self.success.t_last().and_then(millis)
    }

    /// The server that ran the query.
    pub fn server_address(&self) -> &Address {
        &self.server.address
    }

    /// That server's agent string.
    pub fn server_agent(&self) -> &str {
        &self.server.agent
    }

    /// The raw closing metadata.
    pub fn metadata(&self) -> &neo_bolt::packstream::Map {
        self.success.metadata()
    }
}

fn millis(ms: i64) -> Option<Duration> {
    u64::try_from(ms).ok().map(Duration::from_millis)
}
