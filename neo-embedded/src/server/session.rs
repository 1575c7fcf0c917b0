//! The Bolt state machine of one connection: what each request does in each
//! state, and the responses it produces.

use std::net::SocketAddr;
use std::sync::Arc;

use neo_bolt::StatusCode;
use neo_bolt::message::{AuthToken, NotificationFilter, Request, RoutingTable, TxExtra};
use neo_bolt::packstream::{Dialect, Map, Value};
use neo_bolt::{BoltVersion, ServerError};
use tokio::time::Instant;

use super::ServerState;
use super::admin;
use super::bookmarks::BookmarkClock;
use super::outbox::{Outbox, metadata};
use super::replication::ReplicationLog;
use super::results::summary_metadata;
use super::transaction::{Deadline, TimeoutSource, Transaction, blocking};
use crate::engine::{AccessMode, DEFAULT_DATABASE};

/// How long a routing table is valid, in seconds.
const ROUTING_TTL: i64 = 300;

/// The most rows a PULL computes before those rows are written out: a
/// large PULL streams in pieces of this size, in bounded memory.
const PULL_CHUNK: i64 = 1000;

/// Whether the connection goes on after a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    Close,
}

/// Where the connection stands, as in the Bolt server state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Waiting for HELLO.
    Connected,
    /// Bolt 5.1+: HELLO done, waiting for LOGON.
    Authentication,
    Ready,
    /// An auto-commit result is open.
    Streaming,
    TxReady,
    TxStreaming,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Connected,
    Authentication,
    Ready,
    Failed,
}

/// One connection's protocol state.
pub(crate) struct Session {
    server: Arc<ServerState>,
    version: BoltVersion,
    connection_id: String,
    /// The address the client reached, for routing tables.
    advertised: String,
    standing: Standing,
    tx: Option<Transaction>,
    /// The notification filter of HELLO.
    connection_filter: NotificationFilter,
    /// The filter of the open transaction: its own settings, the
    /// connection's for those it leaves unset.
    tx_filter: NotificationFilter,
    /// A PULL whose rows are being written out piece by piece: the result
    /// and how many rows are still wanted (-1 for all).
    pulling: Option<(i64, i64)>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("connection_id", &self.connection_id)
            .field("version", &self.version)
            .field("phase", &self.phase())
            .finish()
    }
}

/// Why a transaction was ended by its timeout, in Neo4j's words.
fn timed_out(set_by: TimeoutSource) -> ServerError {
    match set_by {
        TimeoutSource::Client => ServerError::new(
            StatusCode::TRANSACTION_TIMED_OUT_CLIENT_CONFIGURATION,
            "The transaction has been terminated. Retry your operation in a new transaction, \
             and you should see a successful result. The transaction has not completed within \
             the timeout specified at its start by the client. You may want to retry with a \
             longer timeout.",
        ),
        TimeoutSource::Server => ServerError::new(
            StatusCode::TRANSACTION_TIMED_OUT,
            "The transaction has been terminated. Retry your operation in a new transaction, \
             and you should see a successful result. The transaction has not completed within \
             the specified timeout (db.transaction.timeout). You may want to retry with a \
             longer timeout.",
        ),
    }
}

fn invalid(message: impl Into<String>) -> ServerError {
    ServerError::new(StatusCode::REQUEST_INVALID, message)
}

impl Session {
    pub(crate) fn new(
        server: Arc<ServerState>,
        version: BoltVersion,
        connection_id: String,
        advertised: String,
    ) -> Self {
        Session {
            server,
            version,
            connection_id,
            advertised,
            standing: Standing::Connected,
            tx: None,
            connection_filter: NotificationFilter::default(),
            tx_filter: NotificationFilter::default(),
            pulling: None,
        }
    }

    /// Whether a PULL has written some of its rows and has more to give.
    pub(crate) fn pulling(&self) -> bool {
        self.pulling.is_some()
    }

    /// Continues the PULL in progress with its next piece of rows.
    pub(crate) async fn resume_pull(&mut self, out: &mut Outbox) {
        if let Some((qid, left)) = self.pulling.take() {
            self.stream(out, left, Some(qid), true).await;
        }
    }

    /// Whether HELLO has succeeded (so keep-alive NOOPs may be sent).
    pub(crate) fn greeted(&self) -> bool {
        self.standing != Standing::Connected
    }

    pub(crate) fn phase(&self) -> Phase {
        match (self.standing, &self.tx) {
            (Standing::Connected, _) => Phase::Connected,
            (Standing::Authentication, _) => Phase::Authentication,
            (Standing::Failed, _) => Phase::Failed,
            (Standing::Ready, None) => Phase::Ready,
            (Standing::Ready, Some(tx)) if !tx.explicit => Phase::Streaming,
            (Standing::Ready, Some(tx)) if tx.streams.is_empty() => Phase::TxReady,
            (Standing::Ready, Some(_)) => Phase::TxStreaming,
        }
    }

    /// When the open transaction times out, if it has a timeout and is
    /// still running.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.tx
            .as_ref()
            .filter(|tx| tx.terminated.is_none())
            .and_then(|tx| tx.deadline)
            .map(|deadline| deadline.at)
    }

    /// Ends the open transaction because its timeout elapsed; the next
    /// request in it learns why.
    pub(crate) async fn expire(&mut self) {
        if let Some(tx) = &mut self.tx {
            let Some(deadline) = tx.deadline.take() else {
                return;
            };
            tracing::debug!(connection = %self.connection_id, "transaction timed out");
            tx.rollback_now().await;
            tx.terminated = Some(timed_out(deadline.set_by));
        }
    }

    /// Fails the request with `error`: the connection becomes FAILED and
    /// its transaction is rolled back.
    pub(crate) async fn fail(&mut self, out: &mut Outbox, error: &ServerError) {
        out.failure(error);
        if let Some(tx) = self.tx.take() {
            tx.rollback().await;
        }
        if matches!(self.standing, Standing::Ready | Standing::Failed) {
            self.standing = Standing::Failed;
        }
    }

    /// Fails the request with a protocol violation and closes.
    fn violation(&mut self, out: &mut Outbox, request: &str) -> Flow {
        out.failure(&invalid(format!(
            "Message '{request}' cannot be handled by a session in the {:?} state.",
            self.phase()
        )));
        Flow::Close
    }

    /// Whether a request would be answered IGNORED in the current state.
    pub(crate) fn would_ignore(&self, request: &Request<'_>) -> bool {
        self.standing == Standing::Failed
            && !matches!(
                request,
                Request::Reset | Request::Goodbye | Request::Hello(_) | Request::Logon(_)
            )
    }

    /// Handles one request, writing its responses.
    pub(crate) async fn handle(&mut self, request: Request<'static>, out: &mut Outbox) -> Flow {
        let name = request.name();
        if matches!(request, Request::Goodbye) {
            return Flow::Close;
        }
        if matches!(request, Request::Reset) {
            return self.reset(out).await;
        }
        if self.would_ignore(&request) {
            out.ignored();
            return Flow::Continue;
        }
        let phase = self.phase();
        match (phase, request) {
            (Phase::Connected, Request::Hello(hello)) => {
                let patch_utc =
                    hello.patch_utc && self.version.major == 4 && self.server.config.utc_patch;
                self.connection_filter = hello.notifications;
                let auth = hello.auth.map(|auth| auth.into_owned());
                if self.version < BoltVersion::V5_1 {
                    if let Err(error) = self.authenticate(auth.as_ref()) {
                        out.failure(&error);
                        return Flow::Close;
                    }
                    self.standing = Standing::Ready;
                } else {
                    self.standing = Standing::Authentication;
                }
                if patch_utc {
                    out.set_dialect(Dialect::for_version(self.version, true));
                }
                out.success(self.hello_metadata(patch_utc));
                Flow::Continue
            }
            (Phase::Authentication, Request::Logon(logon)) => {
                if let Err(error) = self.authenticate(Some(&logon.auth)) {
                    out.failure(&error);
                    return Flow::Close;
                }
                self.standing = Standing::Ready;
                out.success(Map::new());
                Flow::Continue
            }
            (Phase::Ready, Request::Logoff) => {
                self.standing = Standing::Authentication;
                out.success(Map::new());
                Flow::Continue
            }
            (Phase::Ready, Request::Telemetry(_)) => {
                out.success(Map::new());
                Flow::Continue
            }
            (Phase::Ready, Request::Route(route)) => {
                let db = route.db.as_deref().map(str::to_owned);
                match self.route(&route.bookmarks, db).await {
                    Ok(metadata) => out.success(metadata),
                    Err(error) => self.fail(out, &error).await,
                }
                Flow::Continue
            }
            (Phase::Ready, Request::Begin(begin)) => {
                match self.open(&begin.extra, true).await {
                    Ok(tx) => {
                        let mut metadata = Map::new();
                        if self.echoes_db(&begin.extra) {
                            metadata.insert("db".into(), Value::from(tx.db.as_str()));
                        }
                        self.tx = Some(tx);
                        out.success(metadata);
                    }
                    Err(error) => self.fail(out, &error).await,
                }
                Flow::Continue
            }
            (Phase::Ready, Request::Run(run)) => {
                let tx = match self.open(&run.extra, false).await {
                    Ok(tx) => tx,
                    Err(error) => {
                        self.fail(out, &error).await;
                        return Flow::Continue;
                    }
                };
                let echo_db = self.echoes_db(&run.extra);
                self.tx = Some(tx);
                let parameters = parameters(run.parameters);
                self.run(out, run.query.into_owned(), parameters, echo_db)
                    .await;
                Flow::Continue
            }
            (Phase::TxReady | Phase::TxStreaming, Request::Run(run)) => {
                if self.terminated(out).await {
                    return Flow::Continue;
                }
                let parameters = parameters(run.parameters);
                self.run(out, run.query.into_owned(), parameters, false)
                    .await;
                Flow::Continue
            }
            (Phase::Streaming | Phase::TxStreaming, Request::Pull(pull)) => {
                self.stream(out, pull.n, pull.qid, true).await;
                Flow::Continue
            }
            (Phase::Streaming | Phase::TxStreaming, Request::Discard(discard)) => {
                self.stream(out, discard.n, discard.qid, false).await;
                Flow::Continue
            }
            (Phase::TxReady, Request::Commit) => {
                if self.terminated(out).await {
                    return Flow::Continue;
                }
                if let Some(tx) = self.tx.take() {
                    match self.commit(tx).await {
                        Ok(bookmark) => {
                            out.success(metadata([("bookmark", Value::from(bookmark))]));
                        }
                        Err(error) => self.fail(out, &error).await,
                    }
                }
                Flow::Continue
            }
            (Phase::TxReady | Phase::TxStreaming, Request::Rollback) => {
                if self.terminated(out).await {
                    return Flow::Continue;
                }
                if let Some(tx) = self.tx.take() {
                    tx.rollback().await;
                }
                out.success(Map::new());
                Flow::Continue
            }
            (_, other) => {
                let _ = other;
                self.violation(out, name)
            }
        }
    }

    async fn reset(&mut self, out: &mut Outbox) -> Flow {
        match self.standing {
            Standing::Connected => self.violation(out, "RESET"),
            Standing::Authentication => {
                out.success(Map::new());
                Flow::Continue
            }
            Standing::Ready | Standing::Failed => {
                if let Some(tx) = self.tx.take() {
                    tx.rollback().await;
                }
                self.standing = Standing::Ready;
                out.success(Map::new());
                Flow::Continue
            }
        }
    }

    fn authenticate(&self, token: Option<&AuthToken>) -> Result<(), ServerError> {
        let auth = &self.server.config.auth;
        let accepted = match token {
            _ if *auth == super::Auth::None => true,
            Some(token) => auth.accepts(token),
            None => false,
        };
        if accepted {
            Ok(())
        } else {
            Err(ServerError::new(
                StatusCode::UNAUTHORIZED,
                "The client is unauthorized due to authentication failure.",
            ))
        }
    }

    fn hello_metadata(&self, patch_utc: bool) -> Map {
        let mut metadata = metadata([
            ("server", Value::from(self.server.config.agent())),
            ("connection_id", Value::from(self.connection_id.as_str())),
        ]);
        let mut hints = Map::new();
        if let Some(timeout) = self.server.config.recv_timeout {
            let seconds = i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX);
            hints.insert(
                "connection.recv_timeout_seconds".into(),
                Value::Integer(seconds),
            );
        }
        if self.version >= BoltVersion::V5_4 {
            hints.insert("telemetry.enabled".into(), Value::Boolean(true));
        }
        if self.version >= BoltVersion::V5_8 {
            hints.insert(
                "ssr.enabled".into(),
                Value::Boolean(self.server.config.server_side_routing),
            );
        }
        metadata.insert("hints".into(), Value::Map(hints));
        if patch_utc {
            metadata.insert("patch_bolt".into(), Value::from(vec!["utc"]));
        }
        if self.version >= BoltVersion::V5_7 {
            metadata.insert(
                "protocol_version".into(),
                Value::from(self.version.to_string()),
            );
        }
        metadata
    }

    /// Bolt 5.8 names the database the server picked when the client named
    /// none.
    fn echoes_db(&self, extra: &TxExtra<'_>) -> bool {
        self.version >= BoltVersion::V5_8 && extra.db.is_none()
    }

    /// The database a request means: the named one (which must exist), or
    /// the home database.
    async fn resolve_db(&mut self, db: Option<&str>) -> Result<String, ServerError> {
        let home = self.server.controls.home_database();
        let Some(db) = db.or(home.as_deref()) else {
            return Ok(DEFAULT_DATABASE.to_owned());
        };
        let name = db.to_ascii_lowercase();
        let engine = self.server.engine.clone();
        let databases = blocking("listing databases", move || engine.databases()).await?;
        if databases.contains(&name) {
            Ok(name)
        } else {
            Err(ServerError::new(
                StatusCode::DATABASE_NOT_FOUND,
                format!("Database does not exist. Database name: '{db}'."),
            ))
        }
    }

    /// Waits for the bookmarks and opens a transaction as `extra` asks.
    async fn open(
        &mut self,
        extra: &TxExtra<'_>,
        explicit: bool,
    ) -> Result<Transaction, ServerError> {
        self.server
            .clock
            .wait_for(&extra.bookmarks, self.server.config.bookmark_wait_timeout)
            .await?;
        self.tx_filter = extra.notifications.or(self.connection_filter);
        let db = self.resolve_db(extra.db.as_deref()).await?;
        let mode = match extra.mode {
            neo_bolt::message::AccessMode::Read => AccessMode::Read,
            neo_bolt::message::AccessMode::Write => AccessMode::Write,
        };
        // A leader writes only on top of every commit in the log, some of
        // which (from an earlier leader) it may still be applying.
        if let Some((log, _)) = self.replication()
            && mode == AccessMode::Write
            && self.refused_write().is_none()
        {
            self.server
                .clock
                .wait_for_sequence(log.head(), self.server.config.bookmark_wait_timeout)
                .await?;
        }
        // The client's timeout (0: no limit), else the server's default.
        let deadline = match extra.tx_timeout {
            Some(timeout) if timeout.is_zero() => None,
            Some(timeout) => Some(Deadline {
                at: Instant::now() + timeout,
                set_by: TimeoutSource::Client,
            }),
            None => self
                .server
                .config
                .transaction_timeout
                .map(|timeout| Deadline {
                    at: Instant::now() + timeout,
                    set_by: TimeoutSource::Server,
                }),
        };
        Transaction::begin(
            self.server.engine.clone(),
            db,
            mode,
            explicit,
            deadline,
            extra.tx_metadata.clone().into_owned(),
            self.replication().is_some(),
        )
        .await
    }

    /// If the open transaction was ended by the server, fails the request
    /// and says so.
    async fn terminated(&mut self, out: &mut Outbox) -> bool {
        if let Some(error) = self.tx.as_ref().and_then(|tx| tx.terminated.clone()) {
            self.fail(out, &error).await;
            return true;
        }
        if self.deadline().is_some_and(|at| at <= Instant::now()) {
            self.expire().await;
            return self.terminated_now(out).await;
        }
        false
    }

    async fn terminated_now(&mut self, out: &mut Outbox) -> bool {
        match self.tx.as_ref().and_then(|tx| tx.terminated.clone()) {
            Some(error) => {
                self.fail(out, &error).await;
                true
            }
            None => false,
        }
    }

    async fn run(&mut self, out: &mut Outbox, query: String, parameters: Map, echo_db: bool) {
        let advertised = self.advertised.clone();
        // A cluster member that does not lead refuses a statement that may
        // write before its rows are computed: an administration command
        // that changes the catalogue before it runs, a statement once it is
        // planned.
        let refused = self.refused_write();
        if let Some(error) = &refused
            && admin::parse(&query).is_some_and(|command| command.writes())
        {
            self.fail(out, error).await;
            return;
        }
        let Some(tx) = self.tx.as_mut() else {
            return;
        };
        let injected = self.server.controls.notifications_for(&query);
        let outcome = match self.server.controls.answer_for(&query) {
            Some(answer) => Ok(tx.answer(answer.result(parameters))),
            None => tx.run(query, parameters, advertised).await,
        };
        match outcome {
            Ok(qid) => {
                let Some(stream) = tx.streams.get_mut(&qid) else {
                    return;
                };
                stream.injected = injected;
                if stream.writes
                    && let Some(error) = refused
                {
                    self.fail(out, &error).await;
                    return;
                }
                let mut metadata = metadata([
                    ("fields", Value::from(stream.fields.clone())),
                    ("t_first", Value::Integer(stream.elapsed_ms())),
                ]);
                if tx.explicit {
                    metadata.insert("qid".into(), Value::Integer(qid));
                }
                if echo_db {
                    metadata.insert("db".into(), Value::from(tx.db.as_str()));
                }
                out.success(metadata);
            }
            Err(error) => self.fail(out, &error).await,
        }
    }

    /// Why a statement that writes is refused here: this server is a
    /// cluster member that does not lead.
    fn refused_write(&self) -> Option<ServerError> {
        self.server
            .membership
            .as_ref()
            .and_then(|membership| membership.check_write().err())
    }

    /// PULL (`pull`) or DISCARD of up to `n` records of stream `qid`. A
    /// PULL of more than [`PULL_CHUNK`] rows takes them a piece at a time:
    /// the rest is left to [`resume_pull`](Self::resume_pull), once the
    /// piece is written.
    async fn stream(&mut self, out: &mut Outbox, n: i64, qid: Option<i64>, pull: bool) {
        if self.terminated(out).await {
            return;
        }
        let Some(tx) = self.tx.as_mut() else {
            return;
        };
        let qid = qid.unwrap_or(tx.last_qid);
        let (take, left) = if pull && !(0..=PULL_CHUNK).contains(&n) {
            (PULL_CHUNK, if n < 0 { -1 } else { n - PULL_CHUNK })
        } else {
            (n, 0)
        };
        let fetched = match tx.fetch(qid, take, pull).await {
            Ok(fetched) => fetched,
            Err(error) => {
                self.fail(out, &error).await;
                return;
            }
        };
        // The rows computed before any failure go out first.
        for row in &fetched.records {
            if let Err(error) = out.record(row) {
                let error = ServerError::new(
                    StatusCode::EXECUTION_FAILED,
                    format!(
                        "a value in the result cannot be sent over Bolt {}: {error}",
                        self.version
                    ),
                );
                self.fail(out, &error).await;
                return;
            }
        }
        let Some(end) = fetched.end else {
            if left != 0 {
                self.pulling = Some((qid, left));
            } else {
                out.success(metadata([("has_more", Value::Boolean(true))]));
            }
            return;
        };
        let ended = match end {
            Ok(ended) => ended,
            Err(error) => {
                self.fail(out, &error).await;
                return;
            }
        };
        let Some(tx) = self.tx.as_mut() else {
            return;
        };
        let mut summary =
            summary_metadata(&ended.stream, ended.ending, self.tx_filter, self.version);
        summary.insert("db".into(), Value::from(tx.db.as_str()));
        summary.insert("t_last".into(), Value::Integer(ended.stream.elapsed_ms()));
        if !tx.explicit {
            let Some(tx) = self.tx.take() else {
                return;
            };
            match self.commit(tx).await {
                Ok(bookmark) => {
                    summary.insert("bookmark".into(), Value::from(bookmark));
                }
                Err(error) => {
                    self.fail(out, &error).await;
                    return;
                }
            }
        }
        out.success(summary);
    }

    /// Commits and returns the commit's bookmark. In a lagging cluster the
    /// commit also enters the replication log, whose sequence number is
    /// the bookmark.
    async fn commit(&mut self, tx: Transaction) -> Result<String, ServerError> {
        if let Some((log, origin)) = self.replication() {
            return match tx.commit_replicated(log, origin).await? {
                Some(sequence) => {
                    self.server.clock.reach(sequence);
                    Ok(BookmarkClock::bookmark(sequence))
                }
                None => Ok(self.server.clock.current()),
            };
        }
        let wrote = tx.wrote;
        tx.commit().await?;
        Ok(if wrote {
            self.server.clock.advance()
        } else {
            self.server.clock.current()
        })
    }

    /// The replication log and this member's address, in a lagging cluster.
    fn replication(&self) -> Option<(Arc<ReplicationLog>, SocketAddr)> {
        let membership = self.server.membership.as_ref()?;
        let log = membership.cluster.replication_log()?;
        Some((log, membership.address))
    }

    async fn route(
        &mut self,
        bookmarks: &[String],
        db: Option<String>,
    ) -> Result<Map, ServerError> {
        self.server
            .clock
            .wait_for(bookmarks, self.server.config.bookmark_wait_timeout)
            .await?;
        let db = self.resolve_db(db.as_deref()).await?;
        let table = match &self.server.membership {
            Some(membership) => {
                let cluster = membership.cluster.table();
                RoutingTable {
                    ttl: cluster.ttl,
                    db: Some(db),
                    routers: cluster.routers,
                    readers: cluster.readers,
                    writers: cluster.writers,
                }
            }
            None => {
                let here = vec![self.advertised.clone()];
                RoutingTable {
                    ttl: ROUTING_TTL,
                    db: Some(db),
                    routers: here.clone(),
                    readers: here.clone(),
                    writers: here,
                }
            }
        };
        Ok(table.to_metadata())
    }

    /// Rolls back whatever is open, when the connection ends.
    pub(crate) async fn close(&mut self) {
        if let Some(tx) = self.tx.take() {
            tx.rollback().await;
        }
    }
}

fn parameters(parameters: neo_bolt::message::Parameters<'static>) -> Map {
    match parameters {
        neo_bolt::message::Parameters::Map(map) => map.into_owned(),
        // Decoded requests always carry a map.
        neo_bolt::message::Parameters::Encoded(_)
        | neo_bolt::message::Parameters::Entries { .. } => Map::new(),
    }
}
