//! The Bolt state machine of one connection: what each request does in each
//! state, and the responses it produces.

use std::sync::Arc;

use neo_bolt::message::{AuthToken, Request, RoutingTable, TxExtra};
use neo_bolt::packstream::{Dialect, Map, Value};
use neo_bolt::{BoltVersion, ServerError};
use tokio::time::Instant;

use super::ServerState;
use super::outbox::{Outbox, metadata};
use super::results::summary_metadata;
use super::transaction::FetchedSummary;
use super::transaction::{Transaction, blocking};
use crate::engine::{AccessMode, DEFAULT_DATABASE};

/// What the server reports as its agent.
pub(crate) const SERVER_AGENT: &str = "Neo4j/5.26.0";

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

fn invalid(message: impl Into<String>) -> ServerError {
    ServerError::new("Neo.ClientError.Request.Invalid", message)
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
    }

    /// Ends the open transaction because its timeout elapsed; the next
    /// request in it learns why.
    pub(crate) async fn expire(&mut self) {
        if let Some(tx) = &mut self.tx {
            tracing::debug!(connection = %self.connection_id, "transaction timed out");
            tx.rollback_now().await;
            tx.terminated = Some(ServerError::new(
                "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
                "The transaction has been terminated. Retry your operation in a new transaction, \
                 and you should see a successful result. The transaction has not completed \
                 within the timeout specified at its start by the client. You may want to retry \
                 with a longer timeout.",
            ));
            tx.deadline = None;
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
                let patch_utc = hello.patch_utc && self.version.major == 4;
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
                    let wrote = tx.wrote;
                    match tx.commit().await {
                        Ok(()) => {
                            let bookmark = self.bookmark(wrote);
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
            Some(AuthToken::Basic {
                principal,
                credentials,
                ..
            }) => auth.accepts_basic(principal, credentials),
            _ => false,
        };
        if accepted {
            Ok(())
        } else {
            Err(ServerError::new(
                "Neo.ClientError.Security.Unauthorized",
                "The client is unauthorized due to authentication failure.",
            ))
        }
    }

    fn hello_metadata(&self, patch_utc: bool) -> Map {
        let mut metadata = metadata([
            ("server", Value::from(SERVER_AGENT)),
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
            hints.insert("ssr.enabled".into(), Value::Boolean(false));
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
    /// the default.
    async fn resolve_db(&mut self, db: Option<&str>) -> Result<String, ServerError> {
        let Some(db) = db else {
            return Ok(DEFAULT_DATABASE.to_owned());
        };
        let name = db.to_ascii_lowercase();
        let engine = self.server.engine.clone();
        let databases = blocking("listing databases", move || engine.databases()).await?;
        if databases.contains(&name) {
            Ok(name)
        } else {
            Err(ServerError::new(
                "Neo.ClientError.Database.DatabaseNotFound",
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
        let db = self.resolve_db(extra.db.as_deref()).await?;
        let mode = match extra.mode {
            neo_bolt::message::AccessMode::Read => AccessMode::Read,
            neo_bolt::message::AccessMode::Write => AccessMode::Write,
        };
        let deadline = extra
            .tx_timeout
            .filter(|timeout| !timeout.is_zero())
            .map(|timeout| Instant::now() + timeout);
        let metadata = extra.tx_metadata.clone().into_owned();
        Transaction::begin(
            self.server.engine.clone(),
            db,
            mode,
            explicit,
            deadline,
            metadata,
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
        // write before it runs (it is planned, not executed yet).
        let refused = self.refused_write();
        let Some(tx) = self.tx.as_mut() else {
            return;
        };
        match tx.run(query, parameters, advertised).await {
            Ok(qid) => {
                let Some(stream) = tx.streams.get(&qid) else {
                    return;
                };
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

    /// PULL (`pull`) or DISCARD of up to `n` records of stream `qid`.
    async fn stream(&mut self, out: &mut Outbox, n: i64, qid: Option<i64>, pull: bool) {
        if self.terminated(out).await {
            return;
        }
        let Some(tx) = self.tx.as_mut() else {
            return;
        };
        let qid = qid.unwrap_or(tx.last_qid);
        let started = tx.streams.get(&qid).map(|s| s.started);
        // A large PULL is computed and written a piece at a time.
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
                    "Neo.DatabaseError.Statement.ExecutionFailed",
                    format!(
                        "a value in the result cannot be sent over Bolt {}: {error}",
                        self.version
                    ),
                );
                self.fail(out, &error).await;
                return;
            }
        }
        if fetched.has_more {
            if left != 0 {
                self.pulling = Some((qid, left));
                return;
            }
            out.success(metadata([("has_more", Value::Boolean(true))]));
            return;
        }
        let summary = match fetched.summary {
            Some(Ok(summary)) => summary,
            Some(Err(error)) => {
                self.fail(out, &error).await;
                return;
            }
            None => return,
        };
        let Some(tx) = self.tx.as_mut() else {
            return;
        };
        let elapsed = started.map_or(0, |s| {
            i64::try_from(s.elapsed().as_millis()).unwrap_or(i64::MAX)
        });
        let mut summary = match summary {
            FetchedSummary::Engine(summary) => summary_metadata(&summary, self.version),
            FetchedSummary::Held(map) => map,
        };
        summary.insert("db".into(), Value::from(tx.db.as_str()));
        summary.insert("t_last".into(), Value::Integer(elapsed));
        if !tx.explicit {
            let Some(tx) = self.tx.take() else {
                return;
            };
            let wrote = tx.wrote;
            match tx.commit().await {
                Ok(()) => {
                    summary.insert("bookmark".into(), Value::from(self.bookmark(wrote)));
                }
                Err(error) => {
                    self.fail(out, &error).await;
                    return;
                }
            }
        }
        out.success(summary);
    }

    /// The bookmark of a commit that has just completed.
    fn bookmark(&self, wrote: bool) -> String {
        if wrote {
            self.server.clock.advance()
        } else {
            self.server.clock.current()
        }
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
        neo_bolt::message::Parameters::Encoded(_) => Map::new(),
    }
}
