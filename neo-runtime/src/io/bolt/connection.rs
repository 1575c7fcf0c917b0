//! One Bolt connection: the request pipeline and the server state mirror.
//!
//! Requests are queued with [`Connection::send`] and go out together on
//! [`Connection::flush`]; every request expects exactly one summary, kept in
//! a FIFO so that each response is matched to its request. The connection
//! tracks what the server's state must be (failed, in a transaction, with
//! open result streams) so the pool knows whether it can be reused as it is.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use neo_bolt::handshake::ClientHandshake;
use neo_bolt::message::{AuthToken, BoltAgent, Hello, Logon, Request, Response, Success, tag};
use neo_bolt::packstream::Dialect;
use neo_bolt::{BoltVersion, ServerError};

use super::transport::Transport;
use crate::address::Address;
use crate::error::{Error, ErrorKind};
use crate::io::net::{self, TlsSettings};
use crate::io::records::RecordQueue;

/// The driver's identity in HELLO's `bolt_agent` (Bolt 5.3+).
const BOLT_AGENT: &str = concat!("neo-rust/", env!("CARGO_PKG_VERSION"));

/// What it takes to open a connection.
#[derive(Debug, Clone)]
pub(crate) struct ConnectSettings {
    pub(crate) user_agent: String,
    pub(crate) auth: AuthToken,
    pub(crate) connect_timeout: Duration,
    /// The bound on waiting for the server once the connection is open.
    pub(crate) receive_timeout: Option<Duration>,
    pub(crate) keep_alive: bool,
    pub(crate) tls: Option<TlsSettings>,
    pub(crate) routing_context: Option<neo_bolt::packstream::Map>,
    pub(crate) handshake: ClientHandshake,
}

/// What the server said about itself in HELLO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerInfo {
    pub(crate) address: Address,
    pub(crate) agent: String,
    pub(crate) connection_id: String,
    pub(crate) protocol_version: BoltVersion,
}

/// One message from the server.
#[derive(Debug)]
pub(crate) enum Incoming {
    /// A RECORD; the body is kept encoded until the row is read.
    Record(Bytes),
    /// The summary of a request that succeeded.
    Success(Success),
    /// The summary of a request that failed.
    Failure(ServerError),
    /// The summary of a request skipped after an earlier failure.
    Ignored,
}

/// A request whose summary has not arrived yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Hello,
    Logon,
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
    last_failure: Option<ServerError>,
}

impl Connection {
    /// Connects, negotiates a version and authenticates.
    pub(crate) async fn open(address: &Address, settings: &ConnectSettings) -> Result<Self, Error> {
        let stream = net::connect(
            address,
            settings.connect_timeout,
            settings.keep_alive,
            settings.tls.as_ref(),
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
            }),
            telemetry_enabled: false,
            pending: VecDeque::new(),
            failed: false,
            in_transaction: false,
            open_streams: 0,
            defunct: false,
            last_failure: None,
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
        let hello = Hello {
            user_agent: Cow::Borrowed(settings.user_agent.as_str()),
            bolt_agent: Some(Cow::Owned(agent)),
            routing: settings.routing_context.as_ref().map(Cow::Borrowed),
            auth: (!separate_logon).then_some(Cow::Borrowed(&settings.auth)),
            patch_utc: self.version.major == 4,
            ..Hello::default()
        };
        self.send(&Request::Hello(hello))?;
        if separate_logon {
            self.send(&Request::Logon(Logon {
                auth: Cow::Borrowed(&settings.auth),
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

    /// Whether the connection is dead.
    pub(crate) fn is_defunct(&self) -> bool {
        self.defunct
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
        self.check_expecting()?;
        let body = match self.transport.read_message().await {
            Ok(body) => body,
            Err(error) => {
                self.die().await;
                return Err(error);
            }
        };
        if is_record(&body) {
            return Ok(Incoming::Record(body));
        }
        self.classify(body)
    }

    /// Receives the next response that is not a RECORD, appending the
    /// RECORDs before it to `records` (see [`recv`](Self::recv)).
    pub(crate) async fn recv_after_records(
        &mut self,
        records: &mut RecordQueue,
    ) -> Result<Incoming, Error> {
        self.check_expecting()?;
        let body = match self
            .transport
            .read_message_queueing(is_record, records)
            .await
        {
            Ok(body) => body,
            Err(error) => {
                self.die().await;
                return Err(error);
            }
        };
        self.classify(body)
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
                if matches!(expect, Expect::Hello | Expect::Logon | Expect::Reset) {
                    self.defunct = true;
                }
                self.last_failure = Some(failure.clone());
                Incoming::Failure(failure)
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
                Incoming::Failure(failure) => return Err(Error::server(failure)),
                Incoming::Ignored => return Err(self.ignored_error()),
            }
        }
    }

    /// The error an IGNORED summary stands for: the failure that started the
    /// ignored chain.
    pub(crate) fn ignored_error(&self) -> Error {
        match &self.last_failure {
            Some(failure) => Error::server(failure.clone()),
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
        self.send(&Request::Reset)?;
        self.flush().await?;
        loop {
            let is_reset = self.pending.len() == 1;
            match self.recv().await? {
                Incoming::Success(_) if is_reset => return Ok(()),
                Incoming::Failure(failure) if is_reset => {
                    self.defunct = true;
                    return Err(Error::server(failure));
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
            auth: AuthToken::basic("neo4j", "password"),
            connect_timeout: Duration::from_secs(5),
            receive_timeout: Some(Duration::from_secs(5)),
            keep_alive: true,
            tls: None,
            routing_context: None,
            handshake: ClientHandshake::new(),
        }
    }

    #[tokio::test]
    async fn a_server_that_is_not_neo4j_is_refused() {
        let address = server_calling_itself("Memgraph/2.0").await;
        let error = Connection::open(&address, &settings()).await.unwrap_err();
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
        let connection = Connection::open(&address, &settings()).await.unwrap();
        assert_eq!(connection.server().agent, "Neo4j/5.26.0");
        assert_eq!(connection.server().connection_id, "bolt-1");
    }
}
