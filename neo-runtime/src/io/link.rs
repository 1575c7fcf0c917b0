//! A session's connection and the result streams open on it.
//!
//! Responses arrive in request order. The link keeps, next to the
//! connection's own FIFO, a route for every request it sent: the RUN, PULL
//! and DISCARD responses go to the result stream they belong to, so that any
//! operation can first read what is still in flight into the right buffer
//! (automatic buffering) and then talk to the server.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use neo_bolt::message::{Discard, Pull, Request, Success, Telemetry, TelemetryApi};
use neo_bolt::packstream::Dialect;

use crate::bookmarks::BookmarkSink;
use crate::error::{Error, ErrorKind};
use crate::io::bolt::{AuthSource, Incoming, ServerInfo};
use crate::io::connector::{Connector, PooledConnection};
use crate::io::pool::Prepared;
use crate::io::records::RecordQueue;
use crate::result::Fetching;

/// Identifies a result stream on its link.
pub(crate) type StreamId = usize;

/// What happens to the unread rest of open results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Settle {
    /// Read into memory: the results stay readable.
    Buffer,
    /// Dropped with DISCARD: their readers get a "consumed" error.
    Discard,
}

/// Where the response to a request goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// TELEMETRY, or BEGIN sent in front of the first RUN: a failure is
    /// reported by the request that follows (which the server answers with
    /// IGNORED).
    Pipelined,
    /// TELEMETRY: pipelined as well; its SUCCESS is noted, so that a retry
    /// whose first attempt never got it sends it again.
    Telemetry,
    Run(StreamId),
    Pull(StreamId),
    Discard(StreamId),
    /// Answered to whoever is waiting in [`Link::call`].
    Caller,
    /// RESET sent after a failure without waiting for its answer.
    Reset,
}

/// What a result stream has received so far.
#[derive(Debug, Default)]
pub(crate) struct StreamState {
    pub(crate) keys: Arc<[String]>,
    pub(crate) qid: Option<i64>,
    pub(crate) t_first: Option<i64>,
    /// Records received and not yet handed to the reader.
    pub(crate) buffer: RecordQueue,
    /// The server sent at least one record (read or discarded since).
    pub(crate) saw_records: bool,
    /// The server holds more records.
    pub(crate) has_more: bool,
    /// A PULL or DISCARD is on its way or being answered.
    pub(crate) in_flight: bool,
    /// The reader is gone or asked to discard: drop incoming records.
    pub(crate) discarding: bool,
    /// The server has sent the stream's last summary (or it failed); the
    /// summary and error below may since have been taken by the reader.
    pub(crate) ended: bool,
    /// The final summary, once the stream has ended.
    pub(crate) summary: Option<Success>,
    /// Why the stream failed.
    pub(crate) error: Option<Error>,
    /// Set when the reader is dropped: the rest is discarded, not buffered.
    pub(crate) abandoned: Arc<AtomicBool>,
    /// Where the bookmark of an auto-commit result goes, as soon as the
    /// server sends it, whether or not the reader gets that far.
    pub(crate) bookmark_sink: Option<BookmarkSink>,
    /// The session discarded records the reader had not read (it closed,
    /// or gave its connection back): reading on is an error.
    pub(crate) discarded_unread: bool,
}

impl StreamState {
    /// Whether the server will send nothing more for this stream.
    pub(crate) fn is_finished(&self) -> bool {
        self.ended
    }

    fn end(&mut self, outcome: Result<Success, Error>) {
        self.has_more = false;
        self.in_flight = false;
        self.ended = true;
        let outcome = outcome.and_then(|success| match success.checked_query_type() {
            Ok(_) => Ok(success),
            Err(error) => Err(Error::new(
                ErrorKind::Protocol,
                "the server ended a result with a malformed summary",
            )
            .with_source(error)),
        });
        match outcome {
            Ok(mut success) => {
                if let Some(sink) = &self.bookmark_sink {
                    sink.record(success.bookmark());
                }
                // The summary may be kept: it must not hold the receive
                // buffer.
                success.detach();
                self.summary = Some(success);
            }
            Err(error) => {
                if self.error.is_none() {
                    self.error = Some(error);
                }
            }
        }
    }
}

/// A connection on loan to a session, and its result streams.
///
/// The streams outlive the loan: when the session gives the connection back
/// (after buffering or discarding what was open), results still held by
/// their readers keep what they received.
pub(crate) struct Link {
    connection: Option<PooledConnection>,
    /// Told about every failure, so that routing forgets servers that are
    /// gone or no longer lead.
    connector: Arc<Connector>,
    server: Arc<ServerInfo>,
    dialect: Dialect,
    streams: Vec<StreamState>,
    routes: VecDeque<Route>,
    begin_failure: Option<Error>,
    broken: Option<Error>,
    /// The API to report with TELEMETRY in front of the next request.
    telemetry: Option<TelemetryApi>,
    /// A TELEMETRY was answered with SUCCESS since last asked.
    telemetry_answered: bool,
    /// The database the server last said it used (`db` in a SUCCESS).
    echoed_database: Option<String>,
    /// The database the current work runs in, when known: a server that
    /// no longer leads is forgotten as a writer of that database only.
    database: Option<String>,
}

impl Link {
    pub(crate) fn new(connection: PooledConnection, connector: Arc<Connector>) -> Self {
        Link {
            server: Arc::clone(connection.server()),
            dialect: connection.dialect(),
            connection: Some(connection),
            connector,
            streams: Vec::new(),
            routes: VecDeque::new(),
            begin_failure: None,
            broken: None,
            telemetry: None,
            telemetry_answered: false,
            echoed_database: None,
            database: None,
        }
    }

    /// Names the database the next work runs in.
    pub(crate) fn set_database(&mut self, database: Option<String>) {
        self.database = database;
    }

    /// What the server said about itself.
    pub(crate) fn server(&self) -> &Arc<ServerInfo> {
        &self.server
    }

    pub(crate) fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Takes the connection back from the link, to return it to the pool:
    /// the link's streams must have ended first.
    pub(crate) fn take_connection(&mut self) -> Option<PooledConnection> {
        self.connection.take()
    }

    /// The connection, while the link has it.
    fn conn(&mut self) -> Result<&mut PooledConnection, Error> {
        self.connection.as_mut().ok_or_else(|| {
            Error::new(
                ErrorKind::ResultConsumed,
                "the session gave its connection back to the pool",
            )
        })
    }

    pub(crate) fn stream(&self, id: StreamId) -> &StreamState {
        &self.streams[id]
    }

    pub(crate) fn stream_mut(&mut self, id: StreamId) -> &mut StreamState {
        &mut self.streams[id]
    }

    /// The database the server last said it used, taken: with server-side
    /// routing, how a session learns its home database.
    pub(crate) fn take_echoed_database(&mut self) -> Option<String> {
        self.echoed_database.take()
    }

    /// Whether the connection died under this link.
    pub(crate) fn broken(&self) -> Option<&Error> {
        self.broken.as_ref()
    }

    fn check_usable(&self) -> Result<(), Error> {
        match &self.broken {
            Some(error) => Err(Error::new(
                ErrorKind::ServiceUnavailable,
                format!("the connection was lost earlier: {error}"),
            )),
            None => Ok(()),
        }
    }

    /// Fails at once, with the server's failure, when the server reported
    /// one since the last RESET: it would ignore the request anyway, and a
    /// server that stopped answering after its failure would never say so.
    fn check_not_failed(&self) -> Result<(), Error> {
        match self.failure() {
            Some(failure) => Err(failure),
            None => Ok(()),
        }
    }

    /// Whether the server reported a failure since the last RESET (the
    /// transaction, if any, is over on its side).
    pub(crate) fn has_failed(&self) -> bool {
        self.failure().is_some()
    }

    /// The failure the server reported since the last RESET, if any.
    pub(crate) fn failure(&self) -> Option<Error> {
        self.connection
            .as_ref()
            .and_then(|connection| connection.failure())
    }

    /// Reports `api` with TELEMETRY in front of the next request, when the
    /// server asked for it.
    pub(crate) fn report_api(&mut self, api: TelemetryApi) {
        if self
            .connection
            .as_ref()
            .is_some_and(|connection| connection.telemetry_enabled())
        {
            self.telemetry = Some(api);
        }
    }

    /// Whether a TELEMETRY was answered with SUCCESS since the last call.
    pub(crate) fn take_telemetry_answered(&mut self) -> bool {
        std::mem::take(&mut self.telemetry_answered)
    }

    /// Queues the TELEMETRY message waiting to go out, if any.
    fn send_telemetry(&mut self) -> Result<(), Error> {
        if let Some(api) = self.telemetry.take() {
            self.send(&Request::Telemetry(Telemetry { api }), Route::Telemetry)?;
        }
        Ok(())
    }

    /// Queues a request whose response goes where `route` says.
    fn send(&mut self, request: &Request<'_>, route: Route) -> Result<(), Error> {
        self.check_usable()?;
        self.conn()?.send(request)?;
        self.routes.push_back(route);
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), Error> {
        self.check_usable()?;
        let result = self.conn()?.flush().await;
        if let Err(error) = &result {
            self.fail_everything(error);
        }
        result
    }

    /// Reads one response and delivers it; returns the summary when it
    /// answers a [`Route::Caller`] request.
    ///
    /// The RECORDs a PULL brings go to their stream's buffer in runs, and
    /// reading goes on to the PULL's summary; those of a stream being
    /// discarded are read and dropped one by one.
    async fn read_one(&mut self) -> Result<Option<Result<Success, Error>>, Error> {
        self.check_usable()?;
        let Some(&route) = self.routes.front() else {
            return Err(Error::new(
                ErrorKind::Protocol,
                "no response is expected from the server",
            ));
        };
        let received = match route {
            // Records being discarded are read one at a time and dropped, so
            // discarding a result fetched whole takes no memory.
            Route::Pull(id) if !self.streams[id].discarding => {
                let stream = &mut self.streams[id];
                let received = match self.connection.as_mut() {
                    Some(connection) => connection.recv_after_records(&mut stream.buffer).await,
                    None => return Err(self.conn().err().unwrap_or_else(gone)),
                };
                stream.saw_records |= !stream.buffer.is_empty();
                received
            }
            _ => self.conn()?.recv().await,
        };
        let incoming = match received {
            Ok(incoming) => incoming,
            Err(error) => {
                self.fail_everything(&error);
                return Err(error);
            }
        };
        if let Incoming::Record(record) = incoming {
            match route {
                Route::Pull(id) => {
                    let stream = &mut self.streams[id];
                    stream.saw_records = true;
                    if !stream.discarding {
                        stream.buffer.push(record);
                    }
                    return Ok(None);
                }
                _ => {
                    return Err(Error::new(
                        ErrorKind::Protocol,
                        "the server sent a record outside a PULL",
                    ));
                }
            }
        }
        self.routes.pop_front();
        if let Incoming::Success(success) = &incoming
            && let Some(database) = success.db()
        {
            self.echoed_database = Some(database.to_owned());
        }
        let outcome = match incoming {
            Incoming::Record(_) => unreachable_record(),
            Incoming::Success(success) => Ok(success),
            Incoming::Failure(error) => {
                self.connector
                    .on_failure(&self.server.address, self.database.as_deref(), &error);
                Err(error)
            }
            Incoming::Ignored => Err(self
                .begin_failure
                .as_ref()
                .map_or_else(|| ignored_error(self.connection.as_ref()), Error::duplicate)),
        };
        match route {
            Route::Caller => return Ok(Some(outcome)),
            // The connection notes its own state from the answer.
            Route::Reset => {}
            Route::Pipelined | Route::Telemetry => match outcome {
                Ok(_) if route == Route::Telemetry => self.telemetry_answered = true,
                Ok(_) => {}
                Err(error) => self.begin_failure = Some(error),
            },
            Route::Run(id) => {
                let stream = &mut self.streams[id];
                match outcome {
                    Ok(success) => {
                        stream.keys = success.fields().unwrap_or_default().into();
                        stream.qid = success.qid();
                        stream.t_first = success.t_first();
                        stream.has_more = true;
                    }
                    Err(error) => stream.end(Err(error)),
                }
            }
            Route::Pull(id) | Route::Discard(id) => {
                let stream = &mut self.streams[id];
                match outcome {
                    Ok(success) if success.has_more() => {
                        stream.has_more = true;
                        stream.in_flight = false;
                    }
                    outcome => stream.end(outcome),
                }
            }
        }
        Ok(None)
    }

    fn fail_everything(&mut self, error: &Error) {
        // A connection lost after the server answered with a FAILURE (and
        // before a RESET) says nothing about the server: servers close
        // connections after some failures (an expired token, say). Only a
        // connection lost in a healthy state makes the server unreachable,
        // as in the official drivers.
        if self.failure().is_none() {
            self.connector
                .on_failure(&self.server.address, self.database.as_deref(), error);
        }
        for stream in &mut self.streams {
            if !stream.is_finished() {
                stream.end(Err(error.duplicate()));
            }
        }
        self.routes.clear();
        self.broken = Some(error.duplicate());
    }

    /// Reads everything still in flight into the streams' buffers.
    pub(crate) async fn drain(&mut self) -> Result<(), Error> {
        while !self.routes.is_empty() {
            self.read_one().await?;
        }
        Ok(())
    }

    /// Sends one request after everything in flight and waits for its
    /// summary.
    pub(crate) async fn call(&mut self, request: &Request<'_>) -> Result<Success, Error> {
        self.check_not_failed()?;
        self.drain().await?;
        self.begin_failure = None;
        self.send_telemetry()?;
        self.send(request, Route::Caller)?;
        self.await_caller().await
    }

    async fn await_caller(&mut self) -> Result<Success, Error> {
        self.flush().await?;
        loop {
            if let Some(outcome) = self.read_one().await? {
                if let (Err(_), Some(error)) = (&outcome, self.begin_failure.take()) {
                    return Err(error);
                }
                return outcome;
            }
        }
    }

    /// Sends COMMIT (after a BEGIN that has not gone out yet, if given) and
    /// waits for the bookmark. A connection lost once COMMIT may have
    /// reached the server leaves the outcome unknown, which is reported as
    /// such and never retried.
    pub(crate) async fn commit(&mut self, begin: Option<&Request<'_>>) -> Result<Success, Error> {
        self.check_not_failed()?;
        self.drain().await?;
        self.begin_failure = None;
        self.send_telemetry()?;
        if let Some(begin) = begin {
            self.send(begin, Route::Pipelined)?;
        }
        self.send(&Request::Commit, Route::Caller)?;
        self.await_caller().await.map_err(|error| {
            if error.kind() == ErrorKind::ServiceUnavailable {
                Error::new(
                    ErrorKind::CommitOutcomeUnknown,
                    "the connection was lost while COMMIT was in flight: the transaction may or \
                     may not have been committed (check whether its changes are in the database \
                     before running it again)",
                )
                .with_source(error)
            } else {
                error
            }
        })
    }

    /// Starts a result: `[begin] RUN PULL{fetch_size}` in one write, then
    /// waits for the RUN summary. A failed RUN (or pipelined BEGIN) is
    /// returned as the error at once; the responses still due are read
    /// when the connection is next reset. An auto-commit result gives its
    /// bookmark to `bookmark_sink`.
    pub(crate) async fn start_stream(
        &mut self,
        begin: Option<&Request<'_>>,
        run: &Request<'_>,
        fetch_size: i64,
        bookmark_sink: Option<BookmarkSink>,
    ) -> Result<StreamId, Error> {
        self.check_not_failed()?;
        self.drain().await?;
        self.begin_failure = None;
        let id = self.streams.len();
        self.streams.push(StreamState {
            bookmark_sink,
            ..StreamState::default()
        });
        self.send_telemetry()?;
        if let Some(begin) = begin {
            self.send(begin, Route::Pipelined)?;
        }
        self.send(run, Route::Run(id))?;
        self.send(
            &Request::Pull(Pull {
                n: fetch_size,
                qid: None,
            }),
            Route::Pull(id),
        )?;
        self.streams[id].in_flight = true;
        self.flush().await?;
        while self.routes.iter().any(|r| *r == Route::Run(id)) {
            self.read_one().await?;
        }
        if let Some(error) = self.begin_failure.take() {
            return Err(error);
        }
        match self.streams[id].error.take() {
            Some(error) => Err(error),
            None => Ok(id),
        }
    }

    /// The `qid` a PULL or DISCARD for a stream names: none for the
    /// stream of the latest RUN, which the server takes by default (as the
    /// official drivers leave it out), the server's id for an earlier one.
    fn qid_of(&self, id: StreamId) -> Option<i64> {
        if id + 1 == self.streams.len() {
            return None;
        }
        self.streams[id].qid.filter(|q| *q >= 0)
    }

    /// Sends the next PULL for a stream without waiting (prefetch).
    pub(crate) async fn request_more(&mut self, id: StreamId, n: i64) -> Result<(), Error> {
        let stream = &self.streams[id];
        if stream.in_flight || !stream.has_more || stream.is_finished() {
            return Ok(());
        }
        // After a failure the server holds no result any more.
        self.check_not_failed()?;
        let qid = self.qid_of(id);
        self.send(&Request::Pull(Pull { n, qid }), Route::Pull(id))?;
        self.streams[id].in_flight = true;
        self.flush().await
    }

    /// Sends the next PULL ahead of the reader if the watermarks allow it
    /// with the records the stream holds: `held_by_reader` plus those
    /// buffered here. `Ok(false)`: refused by the watermarks (worth asking
    /// again once fewer are held); `Ok(true)`: sent, or nothing to ask for.
    pub(crate) async fn request_ahead(
        &mut self,
        id: StreamId,
        fetching: Fetching,
        held_by_reader: usize,
    ) -> Result<bool, Error> {
        let held = held_by_reader.saturating_add(self.streams[id].buffer.len());
        if !fetching.watermarks.ask_ahead(held, fetching.size) {
            return Ok(false);
        }
        self.request_more(id, fetching.size).await?;
        Ok(true)
    }

    /// Makes sure the stream's next batch is buffered: waits for the PULL in
    /// flight, or sends one and waits for it.
    pub(crate) async fn fetch(&mut self, id: StreamId, n: i64) -> Result<(), Error> {
        if !self.streams[id].in_flight {
            self.request_more(id, n).await?;
        }
        while self.streams[id].in_flight {
            self.read_one().await?;
        }
        Ok(())
    }

    /// Reads the rest of a stream into its buffer.
    pub(crate) async fn buffer_all(&mut self, id: StreamId) -> Result<(), Error> {
        while !self.streams[id].is_finished() {
            self.fetch(id, -1).await?;
        }
        Ok(())
    }

    /// Drops a stream's records and ends it on the server with DISCARD.
    pub(crate) async fn discard(&mut self, id: StreamId) -> Result<(), Error> {
        let stream = &mut self.streams[id];
        stream.discarding = true;
        stream.buffer.clear();
        while self.streams[id].in_flight {
            self.read_one().await?;
        }
        let stream = &self.streams[id];
        if stream.has_more && !stream.is_finished() {
            // After a failure the server has ended the transaction and
            // holds no result any more: nothing to discard, the failure
            // is the result's.
            self.check_not_failed()?;
            let qid = self.qid_of(id);
            self.send(
                &Request::Discard(Discard { n: -1, qid }),
                Route::Discard(id),
            )?;
            self.streams[id].in_flight = true;
            self.flush().await?;
            while self.streams[id].in_flight {
                self.read_one().await?;
            }
        }
        Ok(())
    }

    /// Ids of the streams the server still holds open.
    pub(crate) fn open_streams(&self) -> Vec<StreamId> {
        (0..self.streams.len())
            .filter(|id| !self.streams[*id].is_finished())
            .collect()
    }

    /// Ends every open stream: buffers the unread rest (auto-commit results
    /// stay readable, seed 1.5), or discards it, in which case a reader
    /// that is still there gets a "consumed" error instead of the rest.
    /// Streams whose reader is gone are always discarded.
    pub(crate) async fn settle_streams(&mut self, settle: Settle) -> Result<(), Error> {
        if let Some(failure) = self.failure() {
            // The server ignores everything until a RESET: the open streams
            // end with the failure, and their responses are read by the
            // RESET that cleans the connection.
            for stream in &mut self.streams {
                if !stream.is_finished() {
                    stream.end(Err(failure.duplicate()));
                }
            }
            return Ok(());
        }
        for id in self.open_streams() {
            if self.streams[id].abandoned.load(Ordering::Acquire) {
                self.streams[id].discarding = true;
            }
            if settle == Settle::Buffer && !self.streams[id].discarding {
                self.buffer_all(id).await?;
            } else {
                let stream = &mut self.streams[id];
                if !stream.discarding {
                    stream.discarded_unread = true;
                }
                self.discard(id).await?;
            }
        }
        Ok(())
    }

    /// Forgets finished streams whose readers are gone, so a long session
    /// does not accumulate state.
    pub(crate) fn forget_finished(&mut self) {
        if self
            .streams
            .iter()
            .all(|s| s.is_finished() && s.abandoned.load(Ordering::Acquire))
        {
            self.streams.clear();
        }
    }

    /// Whether the connection, kept for the session's next unit of work,
    /// still serves it: re-authenticated (LOGOFF and LOGON, sent with the
    /// next request) if the credentials of `auth` changed or the server's
    /// authorization expired since it logged on. `Ok(false)`: it cannot
    /// switch; acquire another.
    pub(crate) async fn keep_authenticated(&mut self, auth: &AuthSource) -> Result<bool, Error> {
        self.check_usable()?;
        Ok(self.conn()?.prepare_again(auth).await? == Prepared::Ready)
    }

    /// After a FAILURE: ends the open results with it and sends RESET now,
    /// as the official drivers do when a failed unit of work ends, without
    /// waiting for its answer (a server that falls silent after a failure
    /// must not hold up the error). The answer is read before the
    /// connection's next use; until then the connection counts as failed.
    pub(crate) async fn reset_after_failure(&mut self) {
        if self.broken().is_some() || self.failure().is_none() || self.reset_in_flight() {
            return;
        }
        if self.settle_streams(Settle::Discard).await.is_ok()
            && self.send(&Request::Reset, Route::Reset).is_ok()
        {
            let _ = self.flush().await;
        }
    }

    fn reset_in_flight(&self) -> bool {
        self.routes.contains(&Route::Reset)
    }

    /// Brings the connection back to READY with RESET if it is not clean.
    pub(crate) async fn reset_if_dirty(&mut self) -> Result<(), Error> {
        self.check_usable()?;
        if self.connection.as_ref().is_none_or(|c| c.is_clean()) {
            return Ok(());
        }
        self.routes.clear();
        let result = self.conn()?.reset().await;
        if let Err(error) = &result {
            self.fail_everything(error);
        }
        for stream in &mut self.streams {
            if !stream.is_finished() {
                stream.end(Err(Error::new(
                    ErrorKind::Usage,
                    "the result was abandoned when its connection was reset",
                )));
            }
        }
        result
    }
}

/// The error an IGNORED stands for, on `connection` (if the link still has
/// it).
fn ignored_error(connection: Option<&PooledConnection>) -> Error {
    connection.map_or_else(gone, |connection| connection.ignored_error())
}

fn gone() -> Error {
    Error::new(
        ErrorKind::ResultConsumed,
        "the session gave its connection back to the pool",
    )
}

fn unreachable_record() -> Result<Success, Error> {
    Err(Error::new(ErrorKind::Protocol, "unexpected record"))
}

#[cfg(test)]
mod tests {
    use neo_bolt::Value;
    use neo_bolt::packstream::Map;

    use super::*;

    fn summary(query_type: &str) -> Success {
        let mut metadata = Map::new();
        metadata.insert("type".into(), Value::from(query_type));
        Success::new(metadata)
    }

    #[test]
    fn a_result_ending_with_an_unknown_query_type_fails_as_a_protocol_error() {
        let mut stream = StreamState::default();
        stream.end(Ok(summary("wr")));
        let error = stream.error.take().expect("the stream failed");
        assert_eq!(error.kind(), ErrorKind::Protocol);
        assert!(stream.summary.is_none());

        let mut stream = StreamState::default();
        stream.end(Ok(summary("rw")));
        assert!(stream.error.is_none());
        assert!(stream.summary.is_some());
    }
}
