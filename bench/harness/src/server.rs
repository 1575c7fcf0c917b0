//! A minimal Bolt server that answers from pre-encoded bytes, so that what a
//! benchmark measures is the client.
//!
//! It speaks Bolt 4.4 and 5.0–5.8 (with the manifest handshake; 5.8 at
//! most, like Neo4j 5.26), accepts any credentials and knows the benchmark
//! queries: [`ROWS_QUERY`](crate::workload::ROWS_QUERY) and
//! [`GRAPH_QUERY`](crate::workload::GRAPH_QUERY) (rows `1..=$n`, encoded
//! once per `n` and dialect, and shared),
//! [`BULK_QUERY`](crate::workload::BULK_QUERY) (answered with the number of
//! maps in `$rows`, read from the list's header: the maps are only framed,
//! unless the server verifies, when it checks every one against
//! [`items`](crate::workload::items)), anything starting with `RETURN 1`,
//! and anything starting with `CREATE`. Requests are read as they arrive
//! and answered in one write per batch of pipelined requests; one thread
//! serves each connection.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::BytesMut;
use neo_bolt::chunk::{self, Dechunker};
use neo_bolt::handshake::{ServerAnswer, ServerHandshake};
use neo_bolt::message::{Record, Request, Response, Success};
use neo_bolt::packstream::{Dialect, Map, Node, Packer, Relationship, Unpacker};
use neo_bolt::{BoltVersion, Value};

use crate::workload::{
    BULK_QUERY, GRAPH_QUERY, Item, ROWS_QUERY, items, knows, person, row_flag, row_name, row_score,
};

/// Which rows a streaming query returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKind {
    /// W1: `[int, string, float, bool]`.
    Flat,
    /// W5: `[node, relationship]`.
    Graph,
}

/// Rows `1..=n` of a streaming query, each a complete framed RECORD message.
#[derive(Debug)]
pub struct RowSet {
    bytes: Vec<u8>,
    /// `offsets[k]` is where record `k` starts; one extra entry at the end.
    offsets: Vec<usize>,
}

/// The fields of flat row `i`.
fn flat_fields(i: i64, out: &mut Vec<u8>) {
    let mut packer = Packer::new(out, Dialect::LATEST);
    packer.write_int(i);
    packer.write_str(&row_name(i)).expect("short string");
    packer.write_float(row_score(i));
    packer.write_bool(row_flag(i));
}

/// The node and relationship of graph row `i`.
pub fn graph_row(i: i64) -> (Node, Relationship) {
    let p = person(i);
    let properties: Map = [
        ("name", Value::from(p.name)),
        ("email", Value::from(p.email)),
        ("city", Value::from(p.city)),
        ("age", Value::from(p.age)),
        ("born", Value::from(p.born)),
        ("score", Value::from(p.score)),
        ("height", Value::from(p.height)),
        (
            "tags",
            Value::List(p.tags.into_iter().map(Value::from).collect()),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let node = Node {
        id: i,
        labels: vec!["Person".to_owned()],
        properties,
        element_id: format!("4:bench:{i}"),
    };
    let (since, weight) = knows(i);
    let relationship = Relationship {
        id: i,
        start_node_id: i,
        end_node_id: i + 1,
        rel_type: "KNOWS".to_owned(),
        properties: [
            ("since".to_owned(), Value::from(since)),
            ("weight".to_owned(), Value::from(weight)),
        ]
        .into(),
        element_id: format!("5:bench:{i}"),
        start_node_element_id: format!("4:bench:{i}"),
        end_node_element_id: format!("4:bench:{}", i + 1),
    };
    (node, relationship)
}

impl RowSet {
    /// Encodes rows `1..=n` of `kind` in `dialect`.
    pub fn encode(kind: RowKind, n: i64, dialect: Dialect) -> RowSet {
        let n = n.max(0);
        let mut framed = BytesMut::with_capacity(n as usize * 40);
        let mut offsets = Vec::with_capacity(n as usize + 1);
        let mut fields = Vec::with_capacity(512);
        let mut body = Vec::with_capacity(512);
        for i in 1..=n {
            fields.clear();
            let columns = match kind {
                RowKind::Flat => {
                    flat_fields(i, &mut fields);
                    4
                }
                RowKind::Graph => {
                    let (node, relationship) = graph_row(i);
                    let mut packer = Packer::new(&mut fields, dialect);
                    packer
                        .write_value(&Value::Node(Box::new(node)))
                        .expect("a node encodes");
                    packer
                        .write_value(&Value::Relationship(Box::new(relationship)))
                        .expect("a relationship encodes");
                    2
                }
            };
            body.clear();
            Record::from_encoded(columns, &fields, dialect)
                .encode(&mut Packer::new(&mut body, dialect))
                .expect("a record encodes");
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

    /// The framed size of the largest record.
    pub fn largest_record(&self) -> usize {
        self.offsets
            .windows(2)
            .map(|w| w[1] - w[0])
            .max()
            .unwrap_or(0)
    }
}

/// What a row set is encoded for: its kind, row count and whether the
/// dialect has element ids.
type RowSetKey = (RowKind, i64, bool);

/// Row sets shared by every connection, by [`RowSetKey`].
#[derive(Debug, Default, Clone)]
pub struct RowCache {
    sets: Arc<Mutex<HashMap<RowSetKey, Arc<RowSet>>>>,
}

impl RowCache {
    /// The rows `1..=n` of `kind`, encoding them on first use.
    pub fn get(&self, kind: RowKind, n: i64, dialect: Dialect) -> Arc<RowSet> {
        // Flat rows are the same in every dialect.
        let element_ids = kind == RowKind::Graph && dialect.element_ids;
        let mut sets = self.sets.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(
            sets.entry((kind, n, element_ids))
                .or_insert_with(|| Arc::new(RowSet::encode(kind, n, dialect))),
        )
    }
}

/// A RUN summary of a result with these columns, in auto-commit and in a
/// transaction.
struct RunAnswers {
    auto: Vec<u8>,
    tx: Vec<u8>,
}

impl RunAnswers {
    fn new(names: &[&str]) -> RunAnswers {
        let fields = Value::List(names.iter().map(|n| Value::from(*n)).collect());
        RunAnswers {
            auto: success(&[("fields", fields.clone()), ("t_first", Value::from(0))]),
            tx: success(&[
                ("fields", fields),
                ("t_first", Value::from(0)),
                ("qid", Value::from(0)),
            ]),
        }
    }

    fn get(&self, in_tx: bool) -> &[u8] {
        if in_tx { &self.tx } else { &self.auto }
    }
}

/// Every constant response, framed once.
struct Canned {
    ok: Vec<u8>,
    hello: Vec<u8>,
    has_more: Vec<u8>,
    bookmark: Vec<u8>,
    run_rows: RunAnswers,
    run_graph: RunAnswers,
    run_one: RunAnswers,
    run_count: RunAnswers,
    run_none: RunAnswers,
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

/// A framed RECORD of one integer.
fn record_of_int(n: i64) -> Vec<u8> {
    let mut fields = Vec::new();
    Packer::new(&mut fields, Dialect::LATEST).write_int(n);
    framed(&Response::Record(Record::from_encoded(
        1,
        &fields,
        Dialect::LATEST,
    )))
}

impl Canned {
    fn new() -> Canned {
        let mut stats = Map::new();
        stats.insert("nodes-created".into(), Value::from(1));
        stats.insert("properties-set".into(), Value::from(2));
        stats.insert("labels-added".into(), Value::from(1));
        let db = ("db", Value::from("neo4j"));
        let bookmark = ("bookmark", Value::from("FB:kcwQbench"));
        Canned {
            ok: success(&[]),
            hello: success(&[
                ("server", Value::from("Neo4j/5.26.0")),
                ("connection_id", Value::from("bolt-bench")),
            ]),
            has_more: success(&[("has_more", Value::from(true))]),
            bookmark: success(&[bookmark.clone(), db.clone()]),
            run_rows: RunAnswers::new(&["id", "name", "score", "flag"]),
            run_graph: RunAnswers::new(&["p", "k"]),
            run_one: RunAnswers::new(&["x"]),
            run_count: RunAnswers::new(&["n"]),
            run_none: RunAnswers::new(&[]),
            record_one: record_of_int(1),
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
    Count { record: Option<Vec<u8>> },
    Write,
}

/// One connection's state.
struct Connection<'c> {
    canned: &'c Canned,
    rows: &'c RowCache,
    version: BoltVersion,
    dialect: Dialect,
    open: Option<Open>,
    in_tx: bool,
    failed: bool,
    trace: bool,
    verify: bool,
    out: Vec<u8>,
}

/// What to do after a request.
enum Next {
    Continue,
    Close,
}

/// The tag of RUN.
const RUN: u8 = 0x10;

impl Connection<'_> {
    fn handle(&mut self, body: &[u8]) -> Next {
        if self.failed && !matches!(body.get(1), Some(0x0F | 0x02)) {
            // Anything but RESET and GOODBYE after a failure.
            self.out.extend_from_slice(&self.canned.ignored);
            return Next::Continue;
        }
        if body.get(1) == Some(&RUN)
            && let Some(answer) = self.bulk_run(body)
        {
            match answer {
                Ok(count) => {
                    self.out
                        .extend_from_slice(self.canned.run_count.get(self.in_tx));
                    self.open = Some(Open::Count {
                        record: Some(record_of_int(count)),
                    });
                }
                Err(message) => self.failure("Neo.ClientError.Statement.TypeError", &message),
            }
            return Next::Continue;
        }
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

    /// A RUN of [`BULK_QUERY`]: the number of maps in `$rows` (checked
    /// against [`items`] when verifying). `None` for any other RUN.
    fn bulk_run(&self, body: &[u8]) -> Option<Result<i64, String>> {
        let mut unpacker = Unpacker::new(body, self.dialect);
        unpacker.read_struct_header().ok()?;
        if unpacker.read_str().ok()? != BULK_QUERY {
            return None;
        }
        if self.trace {
            eprintln!("bench-server: <- RUN (bulk)");
        }
        Some(self.count_rows(&mut unpacker).map_err(|e| e.to_string()))
    }

    fn count_rows(&self, unpacker: &mut Unpacker<'_>) -> Result<i64, Box<dyn std::error::Error>> {
        let entries = unpacker.read_map_header()?;
        for _ in 0..entries {
            let key = unpacker.read_str()?;
            if key != "rows" {
                unpacker.skip_value()?;
                continue;
            }
            let len = unpacker.read_list_header()?;
            if self.verify {
                let expected = items();
                if len != expected.len() {
                    return Err(format!("{len} rows, expected {}", expected.len()).into());
                }
                for item in &expected {
                    let found = unpacker.read_value()?;
                    if found != item_value(item) {
                        return Err(format!("row {found:?} is not {item:?}").into());
                    }
                }
            }
            return Ok(len as i64);
        }
        Err("no `rows` parameter".into())
    }

    fn run(&mut self, query: &str, parameters: neo_bolt::message::Parameters<'_>) {
        let kind = if query == ROWS_QUERY {
            Some(RowKind::Flat)
        } else if query == GRAPH_QUERY {
            Some(RowKind::Graph)
        } else {
            None
        };
        if let Some(kind) = kind {
            let n = match parameters {
                neo_bolt::message::Parameters::Map(map) => {
                    map.get("n").and_then(Value::as_i64).unwrap_or(0)
                }
                neo_bolt::message::Parameters::Encoded(_)
                | neo_bolt::message::Parameters::Entries { .. } => 0,
            };
            let set = self.rows.get(kind, n, self.dialect);
            let run = match kind {
                RowKind::Flat => &self.canned.run_rows,
                RowKind::Graph => &self.canned.run_graph,
            };
            self.out.extend_from_slice(run.get(self.in_tx));
            self.open = Some(Open::Rows { set, next: 0 });
        } else if query.starts_with("RETURN 1") {
            self.out
                .extend_from_slice(self.canned.run_one.get(self.in_tx));
            self.open = Some(Open::One { sent: false });
        } else if query.starts_with("CREATE") {
            self.out
                .extend_from_slice(self.canned.run_none.get(self.in_tx));
            self.open = Some(Open::Write);
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
            Some(Open::Count { record }) => {
                if let Some(record) = record.take()
                    && emit
                    && limit > 0
                {
                    self.out.extend_from_slice(&record);
                }
                false
            }
            Some(Open::Write) => false,
        };
        if more {
            self.out.extend_from_slice(&canned.has_more);
            return;
        }
        let write = matches!(self.open, Some(Open::Write | Open::Count { .. }));
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

/// A W6 map as the server decodes it.
pub fn item_value(item: &Item) -> Value {
    Value::Map(
        [
            ("id", Value::from(item.id)),
            ("name", Value::from(item.name.as_str())),
            ("score", Value::from(item.score)),
            ("active", Value::from(item.active)),
            ("category", Value::from(item.category.as_str())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect(),
    )
}

/// Serves one connection until the client leaves.
fn serve(mut socket: TcpStream, canned: &Canned, rows: &RowCache, verify: bool) -> io::Result<()> {
    socket.set_nodelay(true)?;
    // Neo4j 5.26 speaks up to Bolt 5.8, as every client here does.
    let handshake = ServerHandshake::new().max_version(BoltVersion::V5_8);
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
        dialect: Dialect::for_version(version, false),
        open: None,
        in_tx: false,
        failed: false,
        trace: std::env::var_os("BENCH_SERVER_TRACE").is_some(),
        verify,
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
/// given kinds and counts are encoded (for Bolt 5) before the first
/// connection is accepted. With `verify`, every W6 map is checked.
pub fn run(listener: TcpListener, warm_rows: &[(RowKind, i64)], verify: bool) -> io::Result<()> {
    let canned: &'static Canned = Box::leak(Box::new(Canned::new()));
    let rows = RowCache::default();
    for (kind, n) in warm_rows {
        rows.get(*kind, *n, Dialect::V5);
    }
    for socket in listener.incoming() {
        let socket = socket?;
        let rows = rows.clone();
        std::thread::spawn(move || {
            if let Err(error) = serve(socket, canned, &rows, verify)
                && error.kind() != io::ErrorKind::ConnectionReset
                && error.kind() != io::ErrorKind::BrokenPipe
            {
                eprintln!("bench-server: connection ended: {error}");
            }
        });
    }
    Ok(())
}
