//! A raw Bolt client over TCP for the server tests: every message is built
//! and read with `neo-bolt`, with nothing of the driver in between.

#![allow(dead_code, unreachable_pub)]

use std::borrow::Cow;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::BytesMut;
use neo_bolt::chunk::{self, Dechunker};
use neo_bolt::handshake::ClientHandshake;
use neo_bolt::message::{
    AuthToken, Begin, BoltAgent, Discard, Hello, Logon, Pull, Request, Response, Run, TxExtra,
};
use neo_bolt::packstream::{Dialect, Map, Packer, Value};
use neo_bolt::{BoltVersion, ServerError};
use neo_embedded::{EmbeddedServer, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long any single read may take before a test fails.
pub const READ_TIMEOUT: Duration = Duration::from_secs(20);

/// A response with everything owned.
#[derive(Debug, Clone, PartialEq)]
pub enum Resp {
    Success(Map),
    Record(Vec<Value>, Vec<u8>),
    Ignored,
    Failure(Map),
}

impl Resp {
    /// The SUCCESS metadata, or a panic naming what came instead.
    pub fn success(self) -> Map {
        match self {
            Resp::Success(map) => map,
            other => panic!("expected SUCCESS, got {other:?}"),
        }
    }

    /// The failure's Neo4j code, or a panic naming what came instead.
    pub fn failure_code(&self) -> String {
        match self {
            Resp::Failure(map) => ServerError::from_metadata(map).code().to_owned(),
            other => panic!("expected FAILURE, got {other:?}"),
        }
    }
}

/// A raw connection after the handshake.
pub struct RawClient {
    pub stream: TcpStream,
    input: BytesMut,
    dechunker: Dechunker,
    pub version: BoltVersion,
    pub manifest: bool,
    pub dialect: Dialect,
}

pub async fn start(config: ServerConfig) -> EmbeddedServer {
    EmbeddedServer::start(config).expect("server starts")
}

impl RawClient {
    /// Connects and negotiates with `handshake`.
    pub async fn handshake(address: SocketAddr, handshake: ClientHandshake) -> RawClient {
        let mut stream = TcpStream::connect(address).await.expect("connects");
        stream.set_nodelay(true).unwrap();
        stream.write_all(&handshake.opening()).await.unwrap();
        let mut input = BytesMut::new();
        let agreed = loop {
            if let Some(agreed) = handshake.read_reply(&mut input).expect("valid reply") {
                break agreed;
            }
            let n = tokio::time::timeout(READ_TIMEOUT, stream.read_buf(&mut input))
                .await
                .expect("handshake reply in time")
                .unwrap();
            assert!(n > 0, "closed during the handshake");
        };
        let mut choice = Vec::new();
        agreed.write_choice(&mut choice);
        stream.write_all(&choice).await.unwrap();
        RawClient {
            stream,
            input,
            dechunker: Dechunker::new(),
            version: agreed.version,
            manifest: agreed.manifest.is_some(),
            dialect: Dialect::for_version(agreed.version, false),
        }
    }

    /// Negotiates the highest version and authenticates as `neo4j`/`password`.
    pub async fn open(server: &EmbeddedServer) -> RawClient {
        let mut client = RawClient::handshake(server.address(), ClientHandshake::new()).await;
        client.login("neo4j", "password").await;
        client
    }

    /// Sends HELLO (and LOGON from 5.1) and returns the HELLO metadata.
    pub async fn login(&mut self, user: &str, password: &str) -> Map {
        let responses = self.hello(user, password, false).await;
        let mut metadata = Map::new();
        for response in responses {
            match response {
                Resp::Success(map) if metadata.is_empty() => metadata = map,
                Resp::Success(_) => {}
                other => panic!("login failed: {other:?}"),
            }
        }
        metadata
    }

    /// Sends HELLO (and LOGON from 5.1), returning every response.
    pub async fn hello(&mut self, user: &str, password: &str, patch_utc: bool) -> Vec<Resp> {
        let token = AuthToken::basic(user, password);
        let with_logon = self.version >= BoltVersion::V5_1;
        let hello = Hello {
            user_agent: "server-tests/1.0".into(),
            bolt_agent: Some(Cow::Owned(BoltAgent::new("server-tests/1.0"))),
            auth: (!with_logon).then(|| Cow::Owned(token.clone())),
            patch_utc,
            ..Hello::default()
        };
        self.send(Request::Hello(hello)).await;
        if with_logon {
            self.send(Request::Logon(Logon {
                auth: Cow::Owned(token),
            }))
            .await;
        }
        let mut responses = Vec::new();
        for _ in 0..if with_logon { 2 } else { 1 } {
            match self.recv().await {
                Some(response) => {
                    if let Resp::Success(map) = &response
                        && map.get("patch_bolt").is_some()
                    {
                        self.dialect = Dialect::for_version(self.version, true);
                    }
                    responses.push(response);
                }
                None => break,
            }
        }
        responses
    }

    pub fn encode(&self, request: &Request<'_>) -> BytesMut {
        let mut out = BytesMut::new();
        let start = chunk::begin_message(&mut out);
        request
            .encode(&mut Packer::new(&mut out, self.dialect), self.version)
            .expect("request encodes");
        chunk::end_message(&mut out, start);
        out
    }

    /// Writes one request.
    pub async fn send(&mut self, request: Request<'_>) {
        let bytes = self.encode(&request);
        self.stream.write_all(&bytes).await.unwrap();
    }

    /// Writes several requests in one write.
    pub async fn send_all(&mut self, requests: Vec<Request<'_>>) {
        let mut bytes = BytesMut::new();
        for request in &requests {
            bytes.extend_from_slice(&self.encode(request));
        }
        self.stream.write_all(&bytes).await.unwrap();
    }

    /// Writes raw bytes; returns whether the write went through.
    pub async fn send_raw(&mut self, bytes: &[u8]) -> bool {
        self.stream.write_all(bytes).await.is_ok()
    }

    /// The next response, or `None` once the server closed the connection.
    pub async fn recv(&mut self) -> Option<Resp> {
        loop {
            if let Some(body) = self.dechunker.decode(&mut self.input).expect("framing") {
                let response = Response::decode(&body, self.dialect).expect("response decodes");
                return Some(match response {
                    Response::Success(success) => Resp::Success(success.metadata().clone()),
                    Response::Record(record) => {
                        Resp::Record(record.values().expect("record values"), body.to_vec())
                    }
                    Response::Ignored => Resp::Ignored,
                    Response::Failure(_) => {
                        let mut unpacker =
                            neo_bolt::packstream::Unpacker::new(&body[2..], self.dialect);
                        Resp::Failure(unpacker.read_map().expect("failure metadata"))
                    }
                });
            }
            let read = tokio::time::timeout(READ_TIMEOUT, self.stream.read_buf(&mut self.input))
                .await
                .expect("a response in time");
            match read {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
        }
    }

    /// The next response, which must exist.
    pub async fn next(&mut self) -> Resp {
        self.recv().await.expect("the connection is open")
    }

    /// Records up to the next summary, and the summary.
    pub async fn records(&mut self) -> (Vec<Vec<Value>>, Resp) {
        let mut rows = Vec::new();
        loop {
            match self.next().await {
                Resp::Record(values, _) => rows.push(values),
                summary => return (rows, summary),
            }
        }
    }

    /// Whether the server closes the connection (reading and dropping
    /// anything it still sends first).
    pub async fn is_closed(&mut self) -> bool {
        let mut scratch = [0u8; 4096];
        loop {
            match tokio::time::timeout(READ_TIMEOUT, self.stream.read(&mut scratch)).await {
                Ok(Ok(0)) | Ok(Err(_)) => return true,
                Ok(Ok(_)) => continue,
                Err(_) => return false,
            }
        }
    }

    /// Runs an auto-commit query and pulls everything.
    pub async fn query(&mut self, query: &str) -> (Vec<Vec<Value>>, Map) {
        self.send_all(vec![run(query), pull_all()]).await;
        let run_meta = self.next().await;
        assert!(
            matches!(run_meta, Resp::Success(_)),
            "RUN {query}: {run_meta:?}"
        );
        let (rows, summary) = self.records().await;
        (rows, summary.success())
    }
}

pub fn run(query: &str) -> Request<'_> {
    Request::Run(Run {
        query: query.into(),
        ..Run::default()
    })
}

pub fn run_with(query: &str, parameters: Map, extra: TxExtra<'static>) -> Request<'static> {
    Request::Run(Run {
        query: Cow::Owned(query.to_owned()),
        parameters: neo_bolt::message::Parameters::Map(Cow::Owned(parameters)),
        extra,
    })
}

pub fn begin(extra: TxExtra<'static>) -> Request<'static> {
    Request::Begin(Begin { extra })
}

pub fn pull(n: i64, qid: Option<i64>) -> Request<'static> {
    Request::Pull(Pull { n, qid })
}

pub fn pull_all() -> Request<'static> {
    Request::Pull(Pull::all())
}

pub fn discard(n: i64, qid: Option<i64>) -> Request<'static> {
    Request::Discard(Discard { n, qid })
}

pub fn bookmarks(list: &[&str]) -> TxExtra<'static> {
    TxExtra {
        bookmarks: Cow::Owned(list.iter().map(|b| (*b).to_owned()).collect()),
        ..TxExtra::default()
    }
}

pub fn int(value: &Value) -> i64 {
    value
        .as_i64()
        .unwrap_or_else(|| panic!("not an integer: {value:?}"))
}
