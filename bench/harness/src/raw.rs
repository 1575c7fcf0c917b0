//! The floor: a blocking raw-socket client that makes a driver's round
//! trips with requests encoded once up front and responses only framed,
//! never decoded (a response is told apart by its tag byte, and a PULL
//! summary's `has_more` by a byte search).

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::net::TcpStream;

use bytes::BytesMut;
use neo_bolt::BoltVersion;
use neo_bolt::Value;
use neo_bolt::chunk;
use neo_bolt::handshake::ClientHandshake;
use neo_bolt::message::{
    AuthToken, Begin, BoltAgent, Hello, Logon, Parameters, Pull, Request, Run, TxExtra, tag,
};
use neo_bolt::packstream::{Dialect, Map, Packer};

use crate::workload::{
    BULK_QUERY, CREATE_QUERY, DATABASE, FETCH_SIZE, GRAPH_QUERY, PASSWORD, RETURN_ONE_QUERY,
    ROWS_QUERY, USER, W6_ROWS_PER_QUERY, items,
};

const VERSION: BoltVersion = BoltVersion::V5_8;

/// Frames the encoded requests one after another.
fn encode(requests: &[Request<'_>]) -> Vec<u8> {
    let mut out = BytesMut::new();
    for request in requests {
        let mut body = Vec::new();
        request
            .encode(&mut Packer::new(&mut body, Dialect::LATEST), VERSION)
            .expect("a benchmark request encodes");
        chunk::write_message(&mut out, &body);
    }
    out.to_vec()
}

fn extra(auto_commit: bool) -> TxExtra<'static> {
    TxExtra {
        db: auto_commit.then_some(Cow::Borrowed(DATABASE)),
        ..TxExtra::default()
    }
}

fn run(query: &'static str, parameters: Map, auto_commit: bool) -> Request<'static> {
    Request::Run(Run {
        query: Cow::Borrowed(query),
        parameters: Parameters::Map(Cow::Owned(parameters)),
        extra: extra(auto_commit),
    })
}

fn pull() -> Request<'static> {
    Request::Pull(Pull::n(FETCH_SIZE))
}

/// A connection that counts responses without decoding them.
pub struct RawClient {
    socket: TcpStream,
    input: Vec<u8>,
    start: usize,
    end: usize,
}

/// What one response was, by its tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Record,
    Summary { has_more: bool },
}

impl RawClient {
    /// Connects, negotiates Bolt 5.8 and authenticates.
    pub fn connect(address: &str) -> io::Result<RawClient> {
        let mut socket = TcpStream::connect(address)?;
        socket.set_nodelay(true)?;
        let handshake = ClientHandshake::new().manifest(false);
        socket.write_all(&handshake.opening())?;
        let mut reply = [0u8; 4];
        socket.read_exact(&mut reply)?;
        if reply != [0, 0, 8, 5] {
            return Err(io::Error::other(format!("server chose {reply:?}, not 5.8")));
        }
        let mut client = RawClient {
            socket,
            input: vec![0; 256 * 1024],
            start: 0,
            end: 0,
        };
        let hello = Request::Hello(Hello {
            user_agent: Cow::Borrowed("raw/0.1"),
            bolt_agent: Some(Cow::Owned(BoltAgent::new("raw/0.1"))),
            ..Hello::default()
        });
        let logon = Request::Logon(Logon {
            auth: Cow::Owned(AuthToken::basic(USER, PASSWORD)),
        });
        client.socket.write_all(&encode(&[hello, logon]))?;
        client.summaries(2)?;
        Ok(client)
    }

    /// Reads the next framed message and classifies it by its tag.
    fn next(&mut self) -> io::Result<Kind> {
        loop {
            if let Some((kind, len)) = frame(&self.input[self.start..self.end]) {
                self.start += len;
                return Ok(kind);
            }
            if self.start > 0 {
                self.input.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            if self.end == self.input.len() {
                self.input.resize(self.input.len() * 2, 0);
            }
            let read = self.socket.read(&mut self.input[self.end..])?;
            if read == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            self.end += read;
        }
    }

    /// Waits for `count` summaries, skipping records; returns how many
    /// records came and whether the last summary said `has_more`.
    fn summaries(&mut self, count: usize) -> io::Result<(u64, bool)> {
        let mut records = 0;
        let mut seen = 0;
        loop {
            match self.next()? {
                Kind::Record => records += 1,
                Kind::Summary { has_more } => {
                    seen += 1;
                    if seen == count {
                        return Ok((records, has_more));
                    }
                }
            }
        }
    }

    /// W1: `RUN`+`PULL`, then one `PULL` per batch; returns the row count.
    pub fn stream_rows(&mut self, n: i64) -> io::Result<u64> {
        self.stream(ROWS_QUERY, n)
    }

    /// W5: as W1, with the graph rows.
    pub fn stream_graph(&mut self, n: i64) -> io::Result<u64> {
        self.stream(GRAPH_QUERY, n)
    }

    fn stream(&mut self, query: &'static str, n: i64) -> io::Result<u64> {
        let mut parameters = Map::new();
        parameters.insert("n".into(), Value::from(n));
        self.socket
            .write_all(&encode(&[run(query, parameters, true), pull()]))?;
        let next_pull = encode(&[pull()]);
        let (mut rows, mut has_more) = self.summaries(2)?;
        while has_more {
            self.socket.write_all(&next_pull)?;
            let (batch, more) = self.summaries(1)?;
            rows += batch;
            has_more = more;
        }
        Ok(rows)
    }

    /// W6's request, `RUN`+`PULL` with the rows of [`items`], encoded (once,
    /// before the clock starts).
    pub fn bulk_request() -> Vec<u8> {
        let rows: Vec<Value> = items().iter().map(crate::server::item_value).collect();
        let mut parameters = Map::new();
        parameters.insert("rows".into(), Value::List(rows));
        encode(&[run(BULK_QUERY, parameters, true), pull()])
    }

    /// W6: sends `request` (see [`bulk_request`](Self::bulk_request))
    /// `count` times, one round trip each; returns the rows written as the
    /// server counts them (one record per query, not decoded: the count is
    /// taken as sent).
    pub fn bulk_writes(&mut self, request: &[u8], count: u64) -> io::Result<i64> {
        let mut written = 0;
        for _ in 0..count {
            self.socket.write_all(request)?;
            let (records, _) = self.summaries(2)?;
            if records != 1 {
                return Err(io::Error::other("a bulk write returns one record"));
            }
            written += W6_ROWS_PER_QUERY as i64;
        }
        Ok(written)
    }

    /// The size of the largest message W6 sends (the framed RUN).
    pub fn bulk_message_size() -> usize {
        let rows: Vec<Value> = items().iter().map(crate::server::item_value).collect();
        let mut parameters = Map::new();
        parameters.insert("rows".into(), Value::List(rows));
        encode(&[run(BULK_QUERY, parameters, true)]).len()
    }

    /// W2: auto-commit `RUN`+`PULL` in one write, `count` times (one round
    /// trip each).
    pub fn return_one(&mut self, count: u64) -> io::Result<u64> {
        let request = encode(&[run(RETURN_ONE_QUERY, Map::new(), true), pull()]);
        for _ in 0..count {
            self.socket.write_all(&request)?;
            self.summaries(2)?;
        }
        Ok(count)
    }

    /// W3 as official drivers do it, three round trips per transaction:
    /// `BEGIN`; `RUN`+`PULL`; `COMMIT`.
    pub fn write_transactions(&mut self, count: u64) -> io::Result<u64> {
        let begin = encode(&[Request::Begin(Begin { extra: extra(true) })]);
        let mut parameters = Map::new();
        parameters.insert("id".into(), Value::from(1));
        parameters.insert("name".into(), Value::from("item-00000001"));
        let work = encode(&[run(CREATE_QUERY, parameters, false), pull()]);
        let commit = encode(&[Request::Commit]);
        for _ in 0..count {
            self.socket.write_all(&begin)?;
            self.summaries(1)?;
            self.socket.write_all(&work)?;
            self.summaries(2)?;
            self.socket.write_all(&commit)?;
            self.summaries(1)?;
        }
        Ok(count)
    }
}

/// The kind and framed length of the first complete message in `buf`.
fn frame(buf: &[u8]) -> Option<(Kind, usize)> {
    let mut at = 0;
    let mut tag_byte = None;
    let mut body_start = 0;
    loop {
        let header = buf.get(at..at + 2)?;
        let len = usize::from(u16::from_be_bytes([header[0], header[1]]));
        at += 2;
        if len == 0 {
            if tag_byte.is_none() {
                // A NOOP between messages.
                body_start = at;
                continue;
            }
            break;
        }
        if tag_byte.is_none() {
            body_start = at;
            tag_byte = Some(*buf.get(at + 1)?);
        }
        at += len;
        if at > buf.len() {
            return None;
        }
    }
    let kind = if tag_byte == Some(tag::RECORD) {
        Kind::Record
    } else {
        Kind::Summary {
            has_more: buf[body_start..at]
                .windows(8)
                .any(|window| window == b"has_more"),
        }
    };
    Some((kind, at))
}
