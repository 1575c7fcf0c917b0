//! A minimal Bolt server that answers from pre-encoded bytes, so that what a
//! benchmark measures is the client.
//!
//! It speaks every version `neo-bolt` implements (4.4, 5.0–5.8, with the
//! manifest handshake), accepts any credentials and knows three queries:
//! [`ROWS_QUERY`](crate::workload::ROWS_QUERY) (rows `1..=$n`, encoded once
//! per `n` and shared), anything starting with `RETURN 1`, and anything
//! starting with `CREATE`. Requests are read as they arrive and answered in
//! one write per batch of pipelined requests; one thread serves each
//! connection.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::BytesMut;
use neo_bolt::chunk::{self, Dechunker};
use neo_bolt::handshake::{ServerAnswer, ServerHandshake};
use neo_bolt::message::{Record, Request, Response, Success};
use neo_bolt::packstream::{Dialect, Map, Packer};
use neo_bolt::{BoltVersion, Value};

use crate::workload::{row_flag, row_name, row_score};

/// Rows `1..=n` of the rows query, each a complete framed RECORD message.
#[derive(Debug)]
pub struct RowSet {
    bytes: Vec<u8>,
    /// `offsets[k]` is where record `k` starts; one extra entry at the end.
    offsets: Vec<usize>,
}

impl RowSet {
    /// Encodes rows `1..=n`.
    pub fn encode(n: i64) -> RowSet {
        let mut framed = BytesMut::with_capacity(n.max(0) as usize * 40);
        let mut offsets = Vec::with_capacity(n.max(0) as usize + 1);
        let mut fields = Vec::with_capacity(64);
        let mut body = Vec::with_capacity(64);
        for i in 1..=n {
            fields.clear();
            let mut packer = Packer::new(&mut fields, Dialect::LATEST);
            packer.write_int(i);
            packer.write_str(&row_name(i)).expect("short string");
            packer.write_float(row_score(i));
            packer.write_bool(row_flag(i));
            body.clear();
            Record::from_encoded(4, &fields, Dialect::LATEST)
                .encode(&mut Packer::new(&mut body, Dialect::LATEST))
                .expect("four fields");
            offsets.push(framed.len());
            chunk::write_message(&mut framed, &body);
        }
        offsets.push(framed.len());
        RowSet {
            bytes: framed.to_vec(),
            offsets,
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The framed records `from..to`.
    pub fn slice(&self, from: usize, to: usize) -> &[u8] {
        &self.bytes[self.offsets[from]..self.offsets[to]]
    }
}

/// Row sets shared by every connection, by row count.
#[derive(Debug, Default, Clone)]
pub struct RowCache {
    sets: Arc<Mutex<HashMap<i64, Arc<RowSet>>>>,
}

impl RowCache {
    /// The rows `1..=n`, encoding them on first use.
    pub fn get(&self, n: i64) -> Arc<RowSet> {
        let mut sets = self.sets.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(sets.entry(n).or_insert_with(|| Arc::new(RowSet::encode(n))))
    }
}

/// Every constant response, framed once.
struct Canned {
    ok: Vec<u8>,
    hello: Vec<u8>,
    has_more: Vec<u8>,
    bookmark: Vec<u8>,
    run_rows: Vec<u8>,
    run_one: Vec<u8>,
    run_none: Vec<u8>,
    run_rows_tx: Vec<u8>,
    run_one_tx: Vec<u8>,
    run_none_tx: Vec<u8>,
    record_one: Vec<u8>,
    done_read: Vec<u8>,
    done_read_auto: Vec<u8>,
    done_write: Vec<u8>,
    done_write_auto: Vec<u8>,
    ignored: Vec<u8>,
}

fn framed(response: &Response<'_>) -> Vec<u8> {
    let mut body = Vec::new();
    response
        .encode(
            &mut Packer::new(&mut body, Dialect::LATEST),
            BoltVersion::LATEST,
        )
        .expect("a canned response encodes");
    let mut out = BytesMut::new();
    chunk::write_message(&mut out, &body);
    out.to_vec()
}

fn success(entries: &[(&str, Value)]) -> Vec<u8> {
    let metadata: Map = entries
        .iter()
        .map(|(key, value)| ((*key).to_owned(), value.clone()))
        .collect();
    framed(&Response::Success(Success::new(metadata)))
}

fn fields(names: &[&str]) -> Value {
    Value::List(names.iter().map(|n| Value::from(*n)).collect())
}

impl Canned {
    fn new() -> Canned {
        let rows = fields(&["id", "name", "score", "flag"]);
        let one = fields(&["x"]);
        let none = fields(&[]);
        let mut stats = Map::new();
        stats.insert("nodes-created".into(), Value::from(1));
        stats.insert("properties-set".into(), Value::from(2));
        stats.insert("labels-added".into(), Value::from(1));
        let db = ("db", Value::from("neo4j"));
        let bookmark = ("bookmark", Value::from("FB:kcwQbench"));
        let record_one = {
            let mut fields = Vec::new();
            Packer::new(&mut fields, Dialect::LATEST).write_int(1);
            framed(&Response::Record(Record::from_encoded(
                1,
                &fields,
                Dialect::LATEST,
            )))
        };
        Canned {
            ok: success(&[]),
            hello: success(&[
                ("server", Value::from("Neo4j/5.26.0")),
                ("connection_id", Value::from("bolt-bench")),
            ]),
            has_more: success(&[("has_more", Value::from(true))]),
            bookmark: success(&[bookmark.clone(), db.clone()]),
            run_rows: success(&[("fields", rows.clone()), ("t_first", Value::from(0))]),
            run_one: success(&[("fields", one.clone()), ("t_first", Value::from(0))]),
            run_none: success(&[("fields", none.clone()), ("t_first", Value::from(0))]),
            run_rows_tx: success(&[
                ("fields", rows),
                ("t_first", Value::from(0)),
                ("qid", Value::from(0)),
            ]),
            run_one_tx: success(&[
                ("fields", one),
                ("t_first", Value::from(0)),
                ("qid", Value::from(0)),
            ]),
            run_none_tx: success(&[
                ("fields", none),
                ("t_first", Value::from(0)),
                ("qid", Value::from(0)),
            ]),
            record_one,
            done_read: success(&[
                ("type", Value::from("r")),
                ("t_last", Value::from(0)),
                db.clone(),
            ]),
            done_read_auto: success(&[
                ("type", Value::from("r")),
                ("t_last", Value::from(0)),
                db.clone(),
                bookmark.clone(),
            ]),
            done_write: success(&[
                ("type", Value::from("w")),
                ("t_last", Value::from(0)),
                ("stats", Value::Map(stats.clone())),
                db.clone(),
            ]),
            done_write_auto: success(&[
                ("type", Value::from("w")),
                ("t_last", Value::from(0)),
                ("stats", Value::Map(stats)),
                db,
                bookmark,
            ]),
            ignored: framed(&Response::Ignored),
        }
    }
}

/// What the open result holds.
enum Open {
    Rows { set: Arc<RowSet>, next: usize },
    One { sent: bool },
    Write,
}

/// One connection's state.
struct Connection<'c> {
    canned: &'c Canned,
    rows: &'c RowCache,
    version: BoltVersion,
    open: Option<Open>,
    in_tx: bool,
    failed: bool,
    trace: bool,
    out: Vec<u8>,
}

/// What to do after a request.
enum Next {
    Continue,
    Close,
}

impl Connection<'_> {
    fn handle(&mut self, body: &[u8]) -> Next {
        let request = match Request::decode(body, self.version) {
            Ok(request) => request,
            Err(error) => {
                self.failure("Neo.ClientError.Request.Invalid", &error.to_string());
                return Next::Continue;
            }
        };
        if self.trace {
            eprintln!("bench-server: <- {}", request.name());
        }
        if self.failed && !matches!(request, Request::Reset | Request::Goodbye) {
            self.out.extend_from_slice(&self.canned.ignored);
            return Next::Continue;
        }
        match request {
            Request::Hello(_) => self.out.extend_from_slice(&self.canned.hello),
            Request::Logon(_) | Request::Logoff | Request::Telemetry(_) => {
                self.out.extend_from_slice(&self.canned.ok)
            }
            Request::Goodbye => return Next::Close,
            Request::Reset => {
                self.open = None;
                self.in_tx = false;
                self.failed = false;
                self.out.extend_from_slice(&self.canned.ok);
            }
            Request::Begin(_) => {
                self.in_tx = true;
                self.out.extend_from_slice(&self.canned.ok);
            }
            Request::Commit => {
                self.in_tx = false;
                self.open = None;
                self.out.extend_from_slice(&self.canned.bookmark);
            }
            Request::Rollback => {
                self.in_tx = false;
                self.open = None;
                self.out.extend_from_slice(&self.canned.ok);
            }
            Request::Run(run) => self.run(&run.query, run.parameters.clone()),
            Request::Pull(pull) => self.stream(pull.n, true),
            Request::Discard(discard) => self.stream(discard.n, false),
            Request::Route(_) => self.failure(
                "Neo.ClientError.Procedure.ProcedureNotFound",
                "this server does not route; connect with bolt://",
            ),
        }
        Next::Continue
    }

    fn run(&mut self, query: &str, parameters: neo_bolt::message::Parameters<'_>) {
        let canned = self.canned;
        let tx = self.in_tx;
        if query == crate::workload::ROWS_QUERY {
            let n = match parameters {
                neo_bolt::message::Parameters::Map(map) => {
                    map.get("n").and_then(Value::as_i64).unwrap_or(0)
                }
                neo_bolt::message::Parameters::Encoded(_) => 0,
            };
            self.open = Some(Open::Rows {
                set: self.rows.get(n),
                next: 0,
            });
            let run = if tx {
                &canned.run_rows_tx
            } else {
                &canned.run_rows
            };
            self.out.extend_from_slice(run);
        } else if query.starts_with("RETURN 1") {
            self.open = Some(Open::One { sent: false });
            let run = if tx {
                &canned.run_one_tx
            } else {
                &canned.run_one
            };
            self.out.extend_from_slice(run);
        } else if query.starts_with("CREATE") {
            self.open = Some(Open::Write);
            let run = if tx {
                &canned.run_none_tx
            } else {
                &canned.run_none
            };
            self.out.extend_from_slice(run);
        } else {
            self.failure(
                "Neo.ClientError.Statement.SyntaxError",
                "this server knows only the benchmark queries",
            );
        }
    }

    /// Answers PULL (`emit`) or DISCARD for up to `n` records (`-1`: all).
    fn stream(&mut self, n: i64, emit: bool) {
        let canned = self.canned;
        let limit = if n < 0 { usize::MAX } else { n as usize };
        let more = match &mut self.open {
            None => {
                self.failure(
                    "Neo.ClientError.Request.Invalid",
                    "there is no result to stream",
                );
                return;
            }
            Some(Open::Rows { set, next }) => {
                let to = set.len().min(next.saturating_add(limit));
                if emit {
                    self.out.extend_from_slice(set.slice(*next, to));
                }
                *next = to;
                to < set.len()
            }
            Some(Open::One { sent }) => {
                if emit && !*sent {
                    self.out.extend_from_slice(&canned.record_one);
                }
                *sent = true;
                false
            }
            Some(Open::Write) => false,
        };
        if more {
            self.out.extend_from_slice(&canned.has_more);
            return;
        }
        let write = matches!(self.open, Some(Open::Write));
        self.open = None;
        let done = match (write, self.in_tx) {
            (false, true) => &canned.done_read,
            (false, false) => &canned.done_read_auto,
            (true, true) => &canned.done_write,
            (true, false) => &canned.done_write_auto,
        };
        self.out.extend_from_slice(done);
    }

    fn failure(&mut self, code: &str, message: &str) {
        let error = neo_bolt::ServerError::new(code, message);
        let mut body = Vec::new();
        if Response::Failure(error)
            .encode(&mut Packer::new(&mut body, Dialect::LATEST), self.version)
            .is_ok()
        {
            let mut framed = BytesMut::new();
            chunk::write_message(&mut framed, &body);
            self.out.extend_from_slice(&framed);
        }
        self.failed = true;
        self.open = None;
    }
}

/// Serves one connection until the client leaves.
fn serve(mut socket: TcpStream, canned: &Canned, rows: &RowCache) -> io::Result<()> {
    socket.set_nodelay(true)?;
    let handshake = ServerHandshake::new();
    let mut input = BytesMut::with_capacity(64 * 1024);
    let mut scratch = vec![0u8; 64 * 1024];
    let mut read_more = |socket: &mut TcpStream, input: &mut BytesMut| -> io::Result<bool> {
        let read = socket.read(&mut scratch)?;
        input.extend_from_slice(&scratch[..read]);
        Ok(read > 0)
    };
    let invalid = |error: neo_bolt::Error| io::Error::new(io::ErrorKind::InvalidData, error);
    let answer = loop {
        if let Some(answer) = handshake.read_opening(&mut input).map_err(invalid)? {
            break answer;
        }
        if !read_more(&mut socket, &mut input)? {
            return Ok(());
        }
    };
    let mut reply = Vec::new();
    answer.write(&mut reply);
    socket.write_all(&reply)?;
    let version = match answer {
        ServerAnswer::Version(version) => version,
        ServerAnswer::NoCommonVersion => return Ok(()),
        ServerAnswer::Manifest(_) => loop {
            if let Some(choice) = handshake.read_choice(&mut input).map_err(invalid)? {
                break choice.version;
            }
            if !read_more(&mut socket, &mut input)? {
                return Ok(());
            }
        },
    };
    let mut connection = Connection {
        canned,
        rows,
        version,
        open: None,
        in_tx: false,
        failed: false,
        trace: std::env::var_os("BENCH_SERVER_TRACE").is_some(),
        out: Vec::with_capacity(64 * 1024),
    };
    let mut dechunker = Dechunker::new();
    loop {
        while let Some(body) = dechunker.decode(&mut input).map_err(invalid)? {
            if let Next::Close = connection.handle(&body) {
                socket.write_all(&connection.out)?;
                return Ok(());
            }
        }
        if !connection.out.is_empty() {
            if connection.trace {
                eprintln!("bench-server: -> flush {} bytes", connection.out.len());
            }
            socket.write_all(&connection.out)?;
            connection.out.clear();
        }
        if !read_more(&mut socket, &mut input)? {
            return Ok(());
        }
    }
}

/// Accepts connections forever, one thread each. Row sets for the
/// given counts are encoded before the first connection is accepted.
pub fn run(listener: TcpListener, warm_rows: &[i64]) -> io::Result<()> {
    let canned: &'static Canned = Box::leak(Box::new(Canned::new()));
    let rows = RowCache::default();
    for n in warm_rows {
        rows.get(*n);
    }
    for socket in listener.incoming() {
        let socket = socket?;
        let rows = rows.clone();
        std::thread::spawn(move || {
            if let Err(error) = serve(socket, canned, &rows)
                && error.kind() != io::ErrorKind::ConnectionReset
                && error.kind() != io::ErrorKind::BrokenPipe
            {
                eprintln!("bench-server: connection ended: {error}");
            }
        });
    }
    Ok(())
}
