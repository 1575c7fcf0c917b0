//! Requests: client to server.

use std::borrow::Cow;

use bytes::BufMut;

use super::auth::AuthToken;
use super::fields::{
    Field, not_in_version, protocol, read_map_or_null, read_str_list, take_int, take_str,
    write_fields, wrong_type,
};
use super::hello::Hello;
use super::tag;
use super::tx::{TxExtra, timeout_to_millis};
use crate::packstream::{Dialect, Map, Packer, Unpacker, Value, marker};
use crate::{BoltVersion, Error, ErrorKind};

/// A request message.
///
/// The driver builds requests from borrowed data and calls
/// [`encode`](Request::encode); the server gets owned requests from
/// [`decode`](Request::decode).
///
/// ```
/// use std::borrow::Cow;
/// use neo_bolt::message::{Parameters, Request, Run, TxExtra};
/// use neo_bolt::packstream::{Dialect, Packer};
/// use neo_bolt::BoltVersion;
///
/// let query = String::from("RETURN 1");
/// let run = Run {
///     query: Cow::Borrowed(&query),
///     parameters: Parameters::default(),
///     extra: TxExtra::default(),
/// };
/// let mut body = Vec::new();
/// Request::Run(run).encode(&mut Packer::new(&mut body, Dialect::LATEST), BoltVersion::V5_8)?;
/// assert_eq!(body, b"\xB3\x10\x88RETURN 1\xA0\xA0");
/// # Ok::<(), neo_bolt::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Request<'a> {
    /// HELLO: open the connection.
    Hello(Hello<'a>),
    /// LOGON: authenticate (Bolt 5.1+).
    Logon(Logon<'a>),
    /// LOGOFF: drop the authentication (Bolt 5.1+).
    Logoff,
    /// GOODBYE: the client is closing the connection.
    Goodbye,
    /// RESET: abandon queued work and return to READY.
    Reset,
    /// RUN: run a query.
    Run(Run<'a>),
    /// BEGIN: open an explicit transaction.
    Begin(Begin<'a>),
    /// COMMIT: commit the open transaction.
    Commit,
    /// ROLLBACK: roll back the open transaction.
    Rollback,
    /// DISCARD: drop records of a result.
    Discard(Discard),
    /// PULL: fetch records of a result.
    Pull(Pull),
    /// ROUTE: fetch a routing table.
    Route(Route<'a>),
    /// TELEMETRY: report the API in use (Bolt 5.4+).
    Telemetry(Telemetry),
}

/// LOGON (Bolt 5.1+): authenticate the connection.
#[derive(Debug, Clone, PartialEq)]
pub struct Logon<'a> {
    /// The authentication token.
    pub auth: Cow<'a, AuthToken>,
}

/// The parameters of a RUN: a map of values, or a map already encoded as
/// PackStream (for example straight from a user's `Serialize` type), which
/// is copied verbatim.
///
/// ```
/// use neo_bolt::message::Parameters;
///
/// assert!(Parameters::encoded(&[0xA1, 0x81, b'x', 0x01]).is_ok());
/// assert!(Parameters::encoded(&[0x91, 0x01]).is_err()); // a list, not a map
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Parameters<'a> {
    /// A map of values.
    Map(Cow<'a, Map>),
    /// The bytes of one encoded PackStream map.
    Encoded(Cow<'a, [u8]>),
    /// The encoded entries (key, value, key, value, …) of a map of `count`
    /// entries, whose header is written in front of them: parameters
    /// encoded one by one need no copy to become a map.
    Entries {
        /// The number of entries.
        count: usize,
        /// The entries, each a PackStream string and a value.
        bytes: Cow<'a, [u8]>,
    },
}

impl Default for Parameters<'_> {
    fn default() -> Self {
        Parameters::Map(Cow::Owned(Map::new()))
    }
}

impl<'a> Parameters<'a> {
    /// Borrows a map of values.
    pub fn map(map: &'a Map) -> Self {
        Parameters::Map(Cow::Borrowed(map))
    }

    /// Borrows pre-encoded bytes, checking that they start with a map marker.
    pub fn encoded(bytes: &'a [u8]) -> Result<Self, Error> {
        check_encoded_map(bytes)?;
        Ok(Parameters::Encoded(Cow::Borrowed(bytes)))
    }

    /// Borrows the encoded entries of a map of `count` entries.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// use neo_bolt::BoltVersion;
    /// use neo_bolt::message::{Parameters, Request, Run};
    /// use neo_bolt::packstream::{Dialect, Packer};
    ///
    /// // x: 1, y: 2
    /// let run = Request::Run(Run {
    ///     query: Cow::Borrowed("RETURN $x + $y"),
    ///     parameters: Parameters::entries(2, &[0x81, b'x', 0x01, 0x81, b'y', 0x02]),
    ///     extra: Default::default(),
    /// });
    /// let mut out = Vec::new();
    /// run.encode(&mut Packer::new(&mut out, Dialect::LATEST), BoltVersion::LATEST)?;
    /// assert!(out.ends_with(&[0xA2, 0x81, b'x', 0x01, 0x81, b'y', 0x02, 0xA0]));
    /// # Ok::<(), neo_bolt::Error>(())
    /// ```
    pub fn entries(count: usize, bytes: &'a [u8]) -> Self {
        Parameters::Entries {
            count,
            bytes: Cow::Borrowed(bytes),
        }
    }

    fn write<B: BufMut>(&self, packer: &mut Packer<B>) -> Result<(), Error> {
        match self {
            Parameters::Map(map) => packer.write_map(map),
            Parameters::Encoded(bytes) => {
                packer.write_raw(bytes);
                Ok(())
            }
            Parameters::Entries { count, bytes } => {
                packer.write_map_header(*count)?;
                packer.write_raw(bytes);
                Ok(())
            }
        }
    }
}

fn check_encoded_map(bytes: &[u8]) -> Result<(), Error> {
    match bytes.first().copied() {
        Some(0xA0..=0xAF | marker::MAP_8 | marker::MAP_16 | marker::MAP_32) => Ok(()),
        _ => Err(Error::new(ErrorKind::Unencodable(
            "pre-encoded RUN parameters must be one PackStream map".into(),
        ))),
    }
}

/// RUN: run a query, auto-commit (with `extra`) or inside a transaction
/// (with a default `extra`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Run<'a> {
    /// The query text.
    pub query: Cow<'a, str>,
    /// The query parameters.
    pub parameters: Parameters<'a>,
    /// Transaction settings (auto-commit only).
    pub extra: TxExtra<'a>,
}

/// BEGIN: open an explicit transaction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Begin<'a> {
    /// Transaction settings.
    pub extra: TxExtra<'a>,
}

/// PULL: fetch up to `n` records (`-1` for all) of the result `qid` (`None`
/// for the most recent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pull {
    /// How many records: positive, or `-1` for all.
    pub n: i64,
    /// Which result; `None` (or `-1`) for the last one started.
    pub qid: Option<i64>,
}

/// DISCARD: drop up to `n` records (`-1` for all) of the result `qid`
/// (`None` for the most recent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Discard {
    /// How many records: positive, or `-1` for all.
    pub n: i64,
    /// Which result; `None` (or `-1`) for the last one started.
    pub qid: Option<i64>,
}

/// `n` meaning "every remaining record".
pub(crate) const ALL: i64 = -1;

impl Pull {
    /// Pulls every remaining record of the last result.
    pub fn all() -> Self {
        Pull { n: ALL, qid: None }
    }

    /// Pulls up to `n` records of the last result.
    pub fn n(n: i64) -> Self {
        Pull { n, qid: None }
    }
}

impl Discard {
    /// Discards every remaining record of the last result.
    pub fn all() -> Self {
        Discard { n: ALL, qid: None }
    }
}

fn write_stream_limit<B: BufMut>(
    packer: &mut Packer<B>,
    tag: u8,
    n: i64,
    qid: Option<i64>,
) -> Result<(), Error> {
    if n == 0 || n < ALL {
        return Err(Error::new(ErrorKind::Unencodable(format!(
            "record count must be positive or -1, got {n}"
        ))));
    }
    let qid = qid.filter(|q| *q != ALL);
    if let Some(q) = qid
        && q < 0
    {
        return Err(Error::new(ErrorKind::Unencodable(format!(
            "qid must be non-negative or -1, got {q}"
        ))));
    }
    packer.write_struct_header(tag, 1)?;
    write_fields(
        packer,
        &[("n", Some(Field::Int(n))), ("qid", qid.map(Field::Int))],
    )
}

fn read_stream_limit(mut map: Map) -> Result<(i64, Option<i64>), Error> {
    let n = take_int(&mut map, "n")?.ok_or_else(|| protocol("PULL and DISCARD need `n`"))?;
    if n == 0 || n < ALL {
        return Err(protocol(format!(
            "record count must be positive or -1, got {n}"
        )));
    }
    let qid = match take_int(&mut map, "qid")? {
        None | Some(ALL) => None,
        Some(q) if q >= 0 => Some(q),
        Some(q) => return Err(protocol(format!("qid must be non-negative or -1, got {q}"))),
    };
    Ok((n, qid))
}

/// ROUTE: fetch the routing table for a database (Bolt 4.3+; the
/// `{db, imp_user}` form from Bolt 4.4).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Route<'a> {
    /// The routing context (as sent in HELLO).
    pub routing: Cow<'a, Map>,
    /// Bookmarks the table must reflect.
    pub bookmarks: Cow<'a, [String]>,
    /// The database; `None` for the home database.
    pub db: Option<Cow<'a, str>>,
    /// The user to impersonate (Bolt 4.4+).
    pub imp_user: Option<Cow<'a, str>>,
}

/// Which driver API a TELEMETRY message reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TelemetryApi {
    /// A managed transaction (`execute_read` / `execute_write`).
    ManagedTransaction = 0,
    /// An explicit transaction (`begin_transaction`).
    ExplicitTransaction = 1,
    /// An auto-commit query (`session.run`).
    AutoCommit = 2,
    /// The driver-level `execute_query`.
    DriverLevel = 3,
}

impl TelemetryApi {
    /// The API for a wire value.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            0 => Some(TelemetryApi::ManagedTransaction),
            1 => Some(TelemetryApi::ExplicitTransaction),
            2 => Some(TelemetryApi::AutoCommit),
            3 => Some(TelemetryApi::DriverLevel),
            _ => None,
        }
    }
}

/// TELEMETRY (Bolt 5.4+): which API the next transaction comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Telemetry {
    /// The API in use.
    pub api: TelemetryApi,
}

/// Static facts about one request tag.
struct Shape {
    name: &'static str,
    fields: usize,
    since: Option<(BoltVersion, &'static str)>,
}

fn shape(tag: u8) -> Option<Shape> {
    let shape = |name, fields, since| Shape {
        name,
        fields,
        since,
    };
    Some(match tag {
        tag::HELLO => shape("HELLO", 1, None),
        tag::LOGON => shape("LOGON", 1, Some((BoltVersion::V5_1, "5.1+"))),
        tag::LOGOFF => shape("LOGOFF", 0, Some((BoltVersion::V5_1, "5.1+"))),
        tag::GOODBYE => shape("GOODBYE", 0, None),
        tag::RESET => shape("RESET", 0, None),
        tag::RUN => shape("RUN", 3, None),
        tag::BEGIN => shape("BEGIN", 1, None),
        tag::COMMIT => shape("COMMIT", 0, None),
        tag::ROLLBACK => shape("ROLLBACK", 0, None),
        tag::DISCARD => shape("DISCARD", 1, None),
        tag::PULL => shape("PULL", 1, None),
        tag::ROUTE => shape("ROUTE", 3, Some((BoltVersion::new(4, 3), "4.3+"))),
        tag::TELEMETRY => shape("TELEMETRY", 1, Some((BoltVersion::V5_4, "5.4+"))),
        _ => return None,
    })
}

fn check_available(tag: u8, version: BoltVersion) -> Result<Shape, Error> {
    let shape = shape(tag).ok_or(ErrorKind::UnknownMessageTag(tag))?;
    if let Some((since, needs)) = shape.since
        && version < since
    {
        return Err(not_in_version(shape.name, needs, version));
    }
    Ok(shape)
}

impl<'a> Request<'a> {
    /// The message tag.
    pub fn tag(&self) -> u8 {
        match self {
            Request::Hello(_) => tag::HELLO,
            Request::Logon(_) => tag::LOGON,
            Request::Logoff => tag::LOGOFF,
            Request::Goodbye => tag::GOODBYE,
            Request::Reset => tag::RESET,
            Request::Run(_) => tag::RUN,
            Request::Begin(_) => tag::BEGIN,
            Request::Commit => tag::COMMIT,
            Request::Rollback => tag::ROLLBACK,
            Request::Discard(_) => tag::DISCARD,
            Request::Pull(_) => tag::PULL,
            Request::Route(_) => tag::ROUTE,
            Request::Telemetry(_) => tag::TELEMETRY,
        }
    }

    /// The message name, such as `"RUN"`.
    pub fn name(&self) -> &'static str {
        shape(self.tag()).map_or("?", |s| s.name)
    }

    /// Encodes the message body for a connection that negotiated `version`.
    ///
    /// Anything the version cannot carry is an error, reported before any
    /// byte is written (except for failures of the buffer itself).
    pub fn encode<B: BufMut>(
        &self,
        packer: &mut Packer<B>,
        version: BoltVersion,
    ) -> Result<(), Error> {
        check_available(self.tag(), version)?;
        match self {
            Request::Hello(hello) => hello.write(packer, version),
            Request::Logon(logon) => {
                packer.write_struct_header(tag::LOGON, 1)?;
                write_fields(packer, &logon.auth.fields())
            }
            Request::Logoff
            | Request::Goodbye
            | Request::Reset
            | Request::Commit
            | Request::Rollback => packer.write_struct_header(self.tag(), 0),
            Request::Run(run) => {
                run.extra.check(version)?;
                if let Parameters::Encoded(bytes) = &run.parameters {
                    check_encoded_map(bytes)?;
                }
                // Check the timeout before writing anything.
                run.extra.tx_timeout.map(timeout_to_millis).transpose()?;
                packer.write_struct_header(tag::RUN, 3)?;
                packer.write_str(&run.query)?;
                run.parameters.write(packer)?;
                run.extra.write(packer, version)
            }
            Request::Begin(begin) => {
                begin.extra.check(version)?;
                begin.extra.tx_timeout.map(timeout_to_millis).transpose()?;
                packer.write_struct_header(tag::BEGIN, 1)?;
                begin.extra.write(packer, version)
            }
            Request::Discard(d) => write_stream_limit(packer, tag::DISCARD, d.n, d.qid),
            Request::Pull(p) => write_stream_limit(packer, tag::PULL, p.n, p.qid),
            Request::Route(route) => {
                let db = route.db.as_deref().filter(|db| !db.is_empty());
                let imp_user = route.imp_user.as_deref().filter(|u| !u.is_empty());
                if version < BoltVersion::V4_4 && imp_user.is_some() {
                    return Err(not_in_version("imp_user", "4.4+", version));
                }
                packer.write_struct_header(tag::ROUTE, 3)?;
                packer.write_map(&route.routing)?;
                packer.write_str_list(&route.bookmarks)?;
                if version < BoltVersion::V4_4 {
                    match db {
                        Some(db) => packer.write_str(db),
                        None => {
                            packer.write_null();
                            Ok(())
                        }
                    }
                } else {
                    write_fields(
                        packer,
                        &[
                            ("db", db.map(Field::Str)),
                            ("imp_user", imp_user.map(Field::Str)),
                        ],
                    )
                }
            }
            Request::Telemetry(t) => {
                packer.write_struct_header(tag::TELEMETRY, 1)?;
                packer.write_int(t.api as i64);
                Ok(())
            }
        }
    }
}

impl Request<'static> {
    /// Decodes a request body received on a connection that negotiated
    /// `version`, reading parameter values in that version's default
    /// [`Dialect`] (see [`decode_with_dialect`](Self::decode_with_dialect)
    /// for Bolt 4.4 with the `utc` patch).
    ///
    /// Unknown tags, messages the version does not have, wrong field counts
    /// and wrong field types are typed errors; nothing panics.
    pub fn decode(body: &[u8], version: BoltVersion) -> Result<Self, Error> {
        Self::decode_with_dialect(body, version, Dialect::for_version(version, false))
    }

    /// Decodes a request body, reading parameter values in `dialect`.
    pub fn decode_with_dialect(
        body: &[u8],
        version: BoltVersion,
        dialect: Dialect,
    ) -> Result<Self, Error> {
        let mut unpacker = Unpacker::new(body, dialect);
        let (tag, fields) = unpacker.read_struct_header()?;
        let shape = check_available(tag, version).map_err(|e| e.with_offset_if_unset(0))?;
        if fields != shape.fields {
            return Err(Error::at(
                ErrorKind::StructSize {
                    tag,
                    name: shape.name,
                    expected: shape.fields,
                    found: fields,
                },
                0,
            ));
        }
        let request = match tag {
            tag::HELLO => Request::Hello(Hello::from_map(unpacker.read_map()?, version)?),
            tag::LOGON => {
                let mut map = unpacker.read_map()?;
                let auth = AuthToken::take_from(&mut map)?
                    .ok_or_else(|| protocol("LOGON needs `scheme`"))?;
                Request::Logon(Logon {
                    auth: Cow::Owned(auth),
                })
            }
            tag::LOGOFF => Request::Logoff,
            tag::GOODBYE => Request::Goodbye,
            tag::RESET => Request::Reset,
            tag::COMMIT => Request::Commit,
            tag::ROLLBACK => Request::Rollback,
            tag::RUN => {
                let query = unpacker.read_str()?.to_owned();
                let parameters = read_map_or_null(&mut unpacker)?;
                let extra = TxExtra::from_map(read_map_or_null(&mut unpacker)?, version)?;
                Request::Run(Run {
                    query: Cow::Owned(query),
                    parameters: Parameters::Map(Cow::Owned(parameters)),
                    extra,
                })
            }
            tag::BEGIN => Request::Begin(Begin {
                extra: TxExtra::from_map(read_map_or_null(&mut unpacker)?, version)?,
            }),
            tag::DISCARD => {
                let (n, qid) = read_stream_limit(unpacker.read_map()?)?;
                Request::Discard(Discard { n, qid })
            }
            tag::PULL => {
                let (n, qid) = read_stream_limit(unpacker.read_map()?)?;
                Request::Pull(Pull { n, qid })
            }
            tag::ROUTE => {
                let routing = read_map_or_null(&mut unpacker)?;
                let bookmarks = read_str_list(&mut unpacker)?;
                let (db, imp_user) = if version < BoltVersion::V4_4 {
                    let db = match unpacker.read_value()? {
                        Value::Null => None,
                        Value::String(db) => Some(db),
                        other => return Err(wrong_type("String", &other)),
                    };
                    (db, None)
                } else {
                    let mut extra = read_map_or_null(&mut unpacker)?;
                    (
                        take_str(&mut extra, "db")?,
                        take_str(&mut extra, "imp_user")?,
                    )
                };
                let non_empty = |s: Option<String>| s.filter(|s| !s.is_empty()).map(Cow::Owned);
                Request::Route(Route {
                    routing: Cow::Owned(routing),
                    bookmarks: Cow::Owned(bookmarks),
                    db: non_empty(db),
                    imp_user: non_empty(imp_user),
                })
            }
            tag::TELEMETRY => {
                let code = unpacker.read_int()?;
                let api = TelemetryApi::from_code(code)
                    .ok_or_else(|| protocol(format!("unknown telemetry api {code}")))?;
                Request::Telemetry(Telemetry { api })
            }
            other => return Err(Error::at(ErrorKind::UnknownMessageTag(other), 0)),
        };
        unpacker.finish()?;
        Ok(request)
    }
}
