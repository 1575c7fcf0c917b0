//! One Bolt connection: the request pipeline and the server state mirror.
//!
//! Requests are queued with [`Connection::send`] and go out together on
//! [`Connection::flush`]; every request expects exactly one summary, kept in
//! a FIFO so that each response is matched to its request. The connection
//! tracks what the server's state must be (failed, in a transaction, with
//! open result streams) so the pool knows whether it can be reused as it is.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use neo_bolt::BoltVersion;
use neo_bolt::handshake::ClientHandshake;
use neo_bolt::message::{
    AuthToken, BoltAgent, Hello, Logon, NotificationFilter, Request, Response, Success, tag,
};
use neo_bolt::packstream::Dialect;
use neo_bolt::server_error::FailureKind;

use super::transport::Transport;
use crate::address::Address;
use crate::auth::AuthManager;
use crate::error::{Error, ErrorKind};
use crate::io::net::{self, TlsSettings};
use crate::io::records::RecordQueue;
use crate::resolver::HostNameResolver;

/// The driver's identity in HELLO's `bolt_agent` (Bolt 5.3+).
const BOLT_AGENT: &str = concat!("neo-rust/", env!("CARGO_PKG_VERSION"));

/// What it takes to open a connection (the credentials come with each
/// opening).
#[derive(Clone)]
pub(crate) struct ConnectSettings {
    pub(crate) user_agent: String,
    pub(crate) connect_timeout: Duration,
    /// The bound on waiting for the server once the connection is open.
    pub(crate) receive_timeout: Option<Duration>,
    pub(crate) keep_alive: bool,
    pub(crate) tls: Option<TlsSettings>,
    pub(crate) routing_context: Option<neo_bolt::packstream::Map>,
    pub(crate) handshake: ClientHandshake,
    /// The connection's notification filter, sent in HELLO.
    pub(crate) notifications: NotificationFilter,
    /// Resolves host names instead of the system's DNS, when set.
    pub(crate) host_names: Option<Arc<dyn HostNameResolver>>,
}

impl fmt::Debug for ConnectSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectSettings")
            .field("user_agent", &self.user_agent)
            .field("connect_timeout", &self.connect_timeout)
            .field("receive_timeout", &self.receive_timeout)
            .field("keep_alive", &self.keep_alive)
            .field("tls", &self.tls)
            .field("routing_context", &self.routing_context)
            .field("notifications", &self.notifications)
            .field("host_names", &self.host_names.is_some())
            .finish_non_exhaustive()
    }
}

/// What a connection authenticates with: a token, and the auth manager it
/// came from (none when a session gave it: the manager then hears nothing
/// about its failures).
#[derive(Clone)]
pub(crate) struct Credentials {
    pub(crate) token: AuthToken,
    pub(crate) manager: Option<Arc<dyn AuthManager>>,
}

impl Credentials {
    /// Whether failures are told to `manager`.
    pub(crate) fn is_from(&self, manager: &Arc<dyn AuthManager>) -> bool {
        self.manager
            .as_ref()
            .is_some_and(|own| std::ptr::addr_eq(Arc::as_ptr(own), Arc::as_ptr(manager)))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("token", &self.token)
            .field("managed", &self.manager.is_some())
            .finish()
    }
}

/// Counts the authorization expiries reported by one server: a connection
/// that authenticated before the latest one must authenticate again.
pub(crate) type AuthGeneration = Arc<AtomicU64>;

/// What the server said about itself in HELLO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerInfo {
    pub(crate) address: Address,
    pub(crate) agent: String,
    pub(crate) connection_id: String,
    pub(crate) protocol_version: BoltVersion,
    /// The server routes on its own (the `ssr.enabled` hint, Bolt 5.8+).
    pub(crate) ssr_enabled: bool,
}

/// One message from the server.
#[derive(Debug)]
pub(crate) enum Incoming {
    /// A RECORD; the body is kept encoded until the row is read.
    Record(Bytes),
    /// The summary of a request that succeeded.
    Success(Success),
    /// The summary of a request that failed.
    Failure(Error),
    /// The summary of a request skipped after an earlier failure.
    Ignored,
}

/// A request whose summary has not arrived yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Hello,
    Logon,
    Logoff,
    Reset,
    Run { in_transaction: bool },
    Begin,
    Commit,
    Rollback,
    Stream,
    Other,
}

/// A Bolt connection to one server.
#[derive(Debug)]
pub(crate) struct Connection {
    transport: Transport,
    version: BoltVersion,
    dialect: Dialect,
    server: Arc<ServerInfo>,
    telemetry_enabled: bool,
    pending: VecDeque<Expect>,
    failed: bool,
    in_transaction: bool,
    open_streams: usize,
    defunct: bool,
    last_failure: Option<Error>,
    credentials: Credentials,
    /// The server's authorization expiries, and how many there were when
    /// this connection last authenticated.
    generation: AuthGeneration,
    authenticated_in: u64,
    /// Answers still due to a LOGOFF/LOGON pipelined with the next
    /// request: read and dropped before that request's own answers.
    auth_answers_due: usize,
    /// A pipelined LOGON was refused: the requests that went with it are
    /// answered with that refusal, and the connection is not reused.
    auth_refused: bool,
}

impl Connection {
    /// Connects, negotiates a version and authenticates with
    /// `credentials`. `generation` counts the server's authorization
    /// expiries.
    pub(crate) async fn open(
        address: &Address,
        settings: &ConnectSettings,
        credentials: Credentials,
        generation: AuthGeneration,
    ) -> Result<Self, Error> {
        let stream = net::connect(
            address,
            settings.connect_timeout,
            settings.keep_alive,
            settings.tls.as_ref(),
            settings.host_names.as_deref(),
        )
        .await?;
        // The connection timeout bounds reaching the server; the handshake
        // and HELLO wait like any exchange on an open connection (and the
        // pool's acquisition timeout bounds the whole).
        let (transport, version) = Transport::handshake(
            stream,
            address.clone(),
            &settings.handshake,
            settings.receive_timeout,
        )
        .await?;
        let mut connection = Connection {
            transport,
            version,
            dialect: Dialect::for_version(version, false),
            server: Arc::new(ServerInfo {
                address: address.clone(),
                agent: String::new(),
                connection_id: String::new(),
                protocol_version: version,
                ssr_enabled: false,
            }),
            telemetry_enabled: false,
            pending: VecDeque::new(),
            failed: false,
            in_transaction: false,
            open_streams: 0,
            defunct: false,
            last_failure: None,
            credentials,
            authenticated_in: generation.load(Ordering::Acquire),
            generation,
            auth_answers_due: 0,
            auth_refused: false,
        };
        connection
            .transport
            .set_read_timeout(settings.receive_timeout);
        connection.authenticate(settings).await?;
        Ok(connection)
    }

    async fn authenticate(&mut self, settings: &ConnectSettings) -> Result<(), Error> {
        let separate_logon = self.version >= BoltVersion::V5_1;
        let agent = BoltAgent::new(BOLT_AGENT);
        let token = self.credentials.token.clone();
        let hello = Hello {
            user_agent: Cow::Borrowed(settings.user_agent.as_str()),
            bolt_agent: Some(Cow::Owned(agent)),
            routing: settings.routing_context.as_ref().map(Cow::Borrowed),
            auth: (!separate_logon).then_some(Cow::Borrowed(&token)),
            patch_utc: self.version.major == 4,
            notifications: settings.notifications,
        };
        self.send(&Request::Hello(hello))?;
        if separate_logon {
            self.send(&Request::Logon(Logon {
                auth: Cow::Borrowed(&token),
            }))?;
        }
        self.flush().await?;
        let hello = self
            .expect_success()
            .await
            .inspect_err(|_| self.defunct = true)?;
        if separate_logon {
            self.expect_success()
                .await
                .inspect_err(|_| self.defunct = true)?;
        }
        let agent = hello.server().unwrap_or_default();
        if !agent.starts_with("Neo4j/") {
            self.defunct = true;
            return Err(Error::new(
                ErrorKind::Protocol,
                format!(
                    "{} is not a Neo4j server: its agent is `{agent}`, where Neo4j servers (and servers compatible with them) say `Neo4j/<version>`",
                    self.server.address
                ),
            ));
        }
        let server = Arc::make_mut(&mut self.server);
        server.agent = agent.to_owned();
        server.connection_id = hello.connection_id().unwrap_or_default().to_owned();
        if self.version.major == 4 && hello.utc_patch_agreed() {
            self.dialect = Dialect::for_version(self.version, true);
        }
        let hints = hello.hints();
        Arc::make_mut(&mut self.server).ssr_enabled = hints.ssr_enabled;
        self.telemetry_enabled = hints.telemetry_enabled && self.version >= BoltVersion::V5_4;
        let hinted = hints
            .recv_timeout_seconds
            .filter(|s| *s > 0)
            .map(|seconds| Duration::from_secs(seconds.unsigned_abs()));
        let timeout = match (settings.receive_timeout, hinted) {
            (Some(configured), Some(hinted)) => Some(configured.min(hinted)),
            (configured, hinted) => configured.or(hinted),
        };
        self.transport.set_read_timeout(timeout);
        Ok(())
    }

    /// How values are shaped on this connection.
    pub(crate) fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// What the server said about itself.
    pub(crate) fn server(&self) -> &Arc<ServerInfo> {
        &self.server
    }

    /// Whether the server asked for TELEMETRY messages (Bolt 5.4+).
    pub(crate) fn telemetry_enabled(&self) -> bool {
        self.telemetry_enabled
    }

    /// The failure the server reported since the last RESET, if any: until
    /// a RESET, the server ignores every request.
    pub(crate) fn failure(&self) -> Option<Error> {
        self.failed.then(|| self.ignored_error())
    }

    /// The Bolt version agreed.
    pub(crate) fn version(&self) -> BoltVersion {
        self.version
    }

    /// What the connection is authenticated with.
    pub(crate) fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Takes `credentials` as its own without logging on again: they hold
    /// the token it is authenticated with.
    pub(crate) fn adopt(&mut self, credentials: Credentials) {
        debug_assert!(credentials.token == self.credentials.token);
        self.credentials = credentials;
    }

    /// Whether the connection can switch credentials (LOGOFF and LOGON,
    /// Bolt 5.1+).
    pub(crate) fn supports_reauth(&self) -> bool {
        self.version >= BoltVersion::V5_1
    }

    /// Whether the server's authorization expired since the connection
    /// authenticated: it must authenticate again before its next use.
    pub(crate) fn authorization_expired(&self) -> bool {
        self.generation.load(Ordering::Acquire) > self.authenticated_in
    }

    /// Switches the connection to `credentials` with LOGOFF and LOGON,
    /// sent together. A refusal leaves the connection dead (the server
    /// closes it), with the failure told to the auth manager.
    pub(crate) async fn reauthenticate(&mut self, credentials: Credentials) -> Result<(), Error> {
        let token = credentials.token.clone();
        self.credentials = credentials;
        let generation = self.generation.load(Ordering::Acquire);
        self.send(&Request::Logoff)?;
        self.send(&Request::Logon(Logon {
            auth: Cow::Borrowed(&token),
        }))?;
        self.flush().await?;
        for _ in 0..2 {
            self.expect_success()
                .await
                .inspect_err(|_| self.defunct = true)?;
        }
        self.authenticated_in = generation;
        Ok(())
    }

    /// Queues LOGOFF and LOGON with `credentials` to go out with the next
    /// request (the official drivers' auth pipelining): their answers are
    /// read before that request's, and a refusal is that request's error.
    pub(crate) fn reauthenticate_pipelined(
        &mut self,
        credentials: Credentials,
    ) -> Result<(), Error> {
        let token = credentials.token.clone();
        self.credentials = credentials;
        let generation = self.generation.load(Ordering::Acquire);
        self.send(&Request::Logoff)?;
        self.send(&Request::Logon(Logon {
            auth: Cow::Borrowed(&token),
        }))?;
        self.auth_answers_due += 2;
        self.authenticated_in = generation;
        Ok(())
    }

    /// Whether the connection is dead (or a pipelined LOGON was refused,
    /// which leaves it unusable).
    pub(crate) fn is_defunct(&self) -> bool {
        self.defunct || self.auth_refused
    }

    /// Whether the server closed the connection while it was idle (it
    /// restarted, or dropped idle connections): checked before a pooled
    /// connection is handed out, so that it is replaced instead of failing
    /// the request it was taken for.
    pub(crate) fn closed_by_server(&self) -> bool {
        self.transport.peer_closed()
    }

    /// Whether the connection can be reused as it is: nothing in flight, no
    /// failure, no transaction and no open result.
    pub(crate) fn is_clean(&self) -> bool {
        !self.defunct
            && self.pending.is_empty()
            && !self.failed
            && !self.in_transaction
            && self.open_streams == 0
            && !self.transport.has_unsent()
    }

    /// Queues a request; it goes out with the next [`flush`](Self::flush).
    pub(crate) fn send(&mut self, request: &Request<'_>) -> Result<(), Error> {
        if self.defunct {
            return Err(self.defunct_error());
        }
        let version = self.version;
        self.transport
            .write_message(self.dialect, |packer| request.encode(packer, version))?;
        let expect = match request {
            Request::Hello(_) => Expect::Hello,
            Request::Logon(_) => Expect::Logon,
            Request::Logoff => Expect::Logoff,
            Request::Reset => Expect::Reset,
            Request::Run(_) => Expect::Run {
                in_transaction: self.in_transaction || self.pending.contains(&Expect::Begin),
            },
            Request::Begin(_) => Expect::Begin,
            Request::Commit => Expect::Commit,
            Request::Rollback => Expect::Rollback,
            Request::Pull(_) | Request::Discard(_) => Expect::Stream,
            Request::Goodbye => return Ok(()),
            _ => Expect::Other,
        };
        self.pending.push_back(expect);
        Ok(())
    }

    /// Sends every queued request in one write.
    pub(crate) async fn flush(&mut self) -> Result<(), Error> {
        if self.defunct {
            return Err(self.defunct_error());
        }
        let flushed = self.transport.flush().await;
        if flushed.is_err() {
            self.die().await;
        }
        flushed
    }

    /// Marks the connection dead and closes its socket at once.
    async fn die(&mut self) {
        self.defunct = true;
        self.transport.abort().await;
    }

    /// Reads the next message from the server.
    pub(crate) async fn recv(&mut self) -> Result<Incoming, Error> {
        loop {
            self.check_expecting()?;
            let body = match self.transport.read_message().await {
                Ok(body) => body,
                Err(error) => {
                    self.die().await;
                    return Err(self.refusal_or(error));
                }
            };
            if is_record(&body) {
                return Ok(Incoming::Record(body));
            }
            let incoming = self.classify(body)?;
            if let Some(incoming) = self.past_pipelined_auth(incoming).await {
                return self.after_failure(incoming).await;
            }
        }
    }

    /// Receives the next response that is not a RECORD, appending the
    /// RECORDs before it to `records` (see [`recv`](Self::recv)).
    pub(crate) async fn recv_after_records(
        &mut self,
        records: &mut RecordQueue,
    ) -> Result<Incoming, Error> {
        loop {
            self.check_expecting()?;
            let body = match self
                .transport
                .read_message_queueing(is_record, records)
                .await
            {
                Ok(body) => body,
                Err(error) => {
                    self.die().await;
                    return Err(self.refusal_or(error));
                }
            };
            let incoming = self.classify(body)?;
            if let Some(incoming) = self.past_pipelined_auth(incoming).await {
                return self.after_failure(incoming).await;
            }
        }
    }

    /// Drops the answer of a pipelined LOGOFF/LOGON (see
    /// [`reauthenticate_pipelined`](Self::reauthenticate_pipelined)). A
    /// refusal becomes the failure the requests sent with it report (the
    /// server ignores them), and the connection is retired afterwards.
    async fn past_pipelined_auth(&mut self, incoming: Incoming) -> Option<Incoming> {
        if self.auth_answers_due == 0 {
            return Some(incoming);
        }
        self.auth_answers_due -= 1;
        if let Incoming::Failure(_) = incoming {
            // Told to the auth manager and kept as the failure the ignored
            // requests stand for; the connection still reads their answers.
            let _ = self.after_failure(incoming).await;
            self.defunct = false;
            self.auth_refused = true;
        }
        None
    }

    /// After a refused pipelined LOGON the server may hang up: the
    /// refusal, not the lost connection, is what went wrong.
    fn refusal_or(&self, error: Error) -> Error {
        match &self.last_failure {
            Some(refusal) if self.auth_refused => refusal.duplicate(),
            _ => error,
        }
    }

    /// Acts on a FAILURE: an authorization expiry makes every connection
    /// to the server authenticate again before its next use, and a
    /// security failure of a token from an auth manager is told to the
    /// manager, which makes it retryable if the manager handled it.
    async fn after_failure(&mut self, incoming: Incoming) -> Result<Incoming, Error> {
        let Incoming::Failure(error) = incoming else {
            return Ok(incoming);
        };
        let mut handled = false;
        if let Some(failure) = error.server_error() {
            if failure.kind() == FailureKind::AuthorizationExpired {
                self.generation.fetch_add(1, Ordering::AcqRel);
            }
            if failure.is_security()
                && let Some(manager) = &self.credentials.manager
            {
                handled = manager
                    .handle_security_error(&self.credentials.token, failure)
                    .await;
            }
        }
        let error = if handled {
            error.with_auth_renewed()
        } else {
            error
        };
        self.last_failure = Some(error.duplicate());
        Ok(Incoming::Failure(error))
    }

    /// Fails unless the connection is alive and a response is due.
    fn check_expecting(&self) -> Result<(), Error> {
        if self.defunct {
            return Err(self.defunct_error());
        }
        if self.pending.is_empty() {
            return Err(Error::new(
                ErrorKind::Usage,
                "no response is expected from the server",
            ));
        }
        Ok(())
    }

    /// Decodes a response that is not a minimal RECORD and updates the
    /// connection's state.
    fn classify(&mut self, body: Bytes) -> Result<Incoming, Error> {
        if body.starts_with(&[0xB1, tag::SUCCESS]) {
            // The metadata is read where it was received; whoever keeps a
            // SUCCESS detaches it.
            return match Success::decode(body.slice(2..), self.dialect) {
                Ok(success) => {
                    let expect = self.pending.pop_front().unwrap_or(Expect::Other);
                    self.on_success(expect, &success);
                    Ok(Incoming::Success(success))
                }
                Err(error) => Err(self.undecodable(error)),
            };
        }
        let response =
            Response::decode(&body, self.dialect).map_err(|error| self.undecodable(error))?;
        let expect = self.pending.pop_front().unwrap_or(Expect::Other);
        Ok(match response {
            Response::Record(_) => {
                // Only reachable with a non-minimal record header.
                self.pending.push_front(expect);
                Incoming::Record(body)
            }
            Response::Success(success) => {
                self.on_success(expect, &success);
                Incoming::Success(success)
            }
            Response::Failure(failure) => {
                self.failed = true;
                if matches!(
                    expect,
                    Expect::Hello | Expect::Logon | Expect::Logoff | Expect::Reset
                ) {
                    self.defunct = true;
                }
                Incoming::Failure(Error::server(failure))
            }
            Response::Ignored => Incoming::Ignored,
        })
    }

    fn undecodable(&mut self, error: neo_bolt::Error) -> Error {
        self.defunct = true;
        Error::new(
            ErrorKind::Protocol,
            format!(
                "{} sent a message that does not decode",
                self.server.address
            ),
        )
        .with_source(error)
    }

    fn on_success(&mut self, expect: Expect, success: &Success) {
        match expect {
            Expect::Reset => {
                self.failed = false;
                self.in_transaction = false;
                self.open_streams = 0;
                self.last_failure = None;
            }
            Expect::Begin => self.in_transaction = true,
            Expect::Commit | Expect::Rollback => {
                self.in_transaction = false;
                self.open_streams = 0;
            }
            Expect::Run { .. } => self.open_streams += 1,
            Expect::Stream if !success.has_more() => {
                self.open_streams = self.open_streams.saturating_sub(1);
            }
            _ => {}
        }
    }

    /// Sends one request and waits for its summary, which must be a
    /// SUCCESS (for requests that stream no records, such as ROUTE).
    pub(crate) async fn call(&mut self, request: &Request<'_>) -> Result<Success, Error> {
        self.send(request)?;
        self.flush().await?;
        self.expect_success().await
    }

    /// Reads up to the next summary, which must be a SUCCESS; records before
    /// it are dropped.
    pub(crate) async fn expect_success(&mut self) -> Result<Success, Error> {
        loop {
            match self.recv().await? {
                Incoming::Record(_) => continue,
                Incoming::Success(success) => return Ok(success),
                Incoming::Failure(error) => return Err(error),
                Incoming::Ignored => return Err(self.ignored_error()),
            }
        }
    }

    /// The error an IGNORED summary stands for: the failure that started the
    /// ignored chain.
    pub(crate) fn ignored_error(&self) -> Error {
        match &self.last_failure {
            Some(failure) => failure.duplicate(),
            None => Error::new(
                ErrorKind::Protocol,
                format!(
                    "{} ignored a request without an earlier failure",
                    self.server.address
                ),
            ),
        }
    }

    /// Sends RESET and reads every outstanding summary up to its own; the
    /// connection is then clean, or defunct if the server refused.
    pub(crate) async fn reset(&mut self) -> Result<(), Error> {
        // A RESET already on its way (sent after a failure) does.
        if self.pending.back() != Some(&Expect::Reset) {
            self.send(&Request::Reset)?;
        }
        self.flush().await?;
        loop {
            let is_reset = self.pending.len() == 1;
            match self.recv().await? {
                Incoming::Success(_) if is_reset => return Ok(()),
                Incoming::Failure(error) if is_reset => {
                    self.defunct = true;
                    return Err(error);
                }
                _ => {}
            }
        }
    }

    /// Says GOODBYE and closes the socket.
    pub(crate) async fn close(mut self) {
        if !self.defunct {
            let _ = self.send(&Request::Goodbye);
        }
        self.transport.shutdown().await;
    }

    fn defunct_error(&self) -> Error {
        Error::new(
            ErrorKind::ServiceUnavailable,
            format!(
                "the connection to {} is no longer usable",
                self.server.address
            ),
        )
    }
}

/// Whether a message body is a RECORD with the minimal header (how every
/// server sends them).
fn is_record(body: &[u8]) -> bool {
    body.starts_with(&[0xB1, tag::RECORD])
}

#[cfg(test)]
mod tests {
    use bytes::BytesMut;
    use neo_bolt::Value;
    use neo_bolt::chunk::{self, Dechunker};
    use neo_bolt::handshake::{ServerAnswer, ServerHandshake};
    use neo_bolt::message::Response;
    use neo_bolt::packstream::{Map, Packer};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    /// A server that negotiates, then answers every message with SUCCESS
    /// naming itself `agent`.
    async fn server_calling_itself(agent: &'static str) -> Address {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let server = ServerHandshake::new();
            let mut input = BytesMut::new();
            let answer = loop {
                socket.read_buf(&mut input).await.unwrap();
                if let Some(answer) = server.read_opening(&mut input).unwrap() {
                    break answer;
                }
            };
            let mut reply = Vec::new();
            answer.write(&mut reply);
            socket.write_all(&reply).await.unwrap();
            let version = match &answer {
                ServerAnswer::Manifest(_) => loop {
                    if let Some(choice) = server.read_choice(&mut input).unwrap() {
                        break choice.version;
                    }
                    socket.read_buf(&mut input).await.unwrap();
                },
                ServerAnswer::Version(version) => *version,
                _ => return,
            };
            let mut dechunker = Dechunker::new();
            loop {
                while dechunker.decode(&mut input).unwrap().is_some() {
                    let mut metadata = Map::new();
                    metadata.insert("server".into(), Value::from(agent));
                    metadata.insert("connection_id".into(), Value::from("bolt-1"));
                    let mut body = Vec::new();
                    Response::Success(Success::new(metadata))
                        .encode(&mut Packer::new(&mut body, Dialect::LATEST), version)
                        .unwrap();
                    let mut out = BytesMut::new();
                    chunk::write_message(&mut out, &body);
                    socket.write_all(&out).await.unwrap();
                }
                if socket.read_buf(&mut input).await.unwrap_or(0) == 0 {
                    return;
                }
            }
        });
        Address::new("127.0.0.1", port)
    }

    fn settings() -> ConnectSettings {
        ConnectSettings {
            user_agent: "test".into(),
            connect_timeout: Duration::from_secs(5),
            receive_timeout: Some(Duration::from_secs(5)),
            keep_alive: true,
            tls: None,
            routing_context: None,
            handshake: ClientHandshake::new(),
            notifications: NotificationFilter::default(),
            host_names: None,
        }
    }

    async fn open(address: &Address) -> Result<Connection, Error> {
        let credentials = Credentials {
            token: AuthToken::basic("neo4j", "password"),
            manager: None,
        };
        Connection::open(address, &settings(), credentials, AuthGeneration::default()).await
    }

    #[tokio::test]
    async fn a_server_that_is_not_neo4j_is_refused() {
        let address = server_calling_itself("Memgraph/2.0").await;
        let error = open(&address).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Protocol);
        assert!(
            error.to_string().contains("is not a Neo4j server"),
            "{error}"
        );
        assert!(error.to_string().contains("Memgraph/2.0"), "{error}");
    }

    #[tokio::test]
    async fn a_neo4j_server_is_accepted_and_its_agent_kept() {
        let address = server_calling_itself("Neo4j/5.26.0").await;
        let connection = open(&address).await.unwrap();
        assert_eq!(connection.server().agent, "Neo4j/5.26.0");
        assert_eq!(connection.server().connection_id, "bolt-1");
    }
}
