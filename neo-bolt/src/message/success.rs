//! A SUCCESS response: a lazy, typed view of its metadata, read in the
//! receive buffer.

use std::fmt;
use std::sync::OnceLock;

use bytes::Bytes;

use super::fields::{get_bool, get_int, get_str, protocol, wrong_type};
use super::routing::RoutingTable;
use super::summary::{Counters, GqlStatusObject, Hints, Notification, QueryType};
use crate::packstream::{Dialect, Header, Map, Unpacker, Value};
use crate::{Error, ErrorKind};

/// A SUCCESS response: its metadata map with typed accessors.
///
/// Scalar accessors return `None` when a key is absent or has another type;
/// structured ones ([`fields`](Success::fields),
/// [`routing_table`](Success::routing_table)) report malformed data as
/// errors.
///
/// ```
/// use neo_bolt::message::{QueryType, Success};
/// use neo_bolt::packstream::Map;
/// use neo_bolt::Value;
///
/// let mut metadata = Map::new();
/// metadata.insert("type".into(), Value::from("rw"));
/// metadata.insert("bookmark".into(), Value::from("bm:9"));
/// let success = Success::new(metadata);
/// assert_eq!(success.query_type(), Some(QueryType::ReadWrite));
/// assert_eq!(success.bookmark(), Some("bm:9"));
/// assert!(!success.has_more());
/// ```
#[derive(Clone, Default)]
pub struct Success {
    /// The metadata map as received (checked), when it came off the wire.
    encoded: Option<Encoded>,
    /// The metadata as a map: given to [`Success::new`], or decoded from
    /// `encoded` the first time a map is asked for.
    decoded: OnceLock<Map>,
}

impl fmt::Debug for Success {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Success")
            .field("metadata", self.metadata())
            .finish()
    }
}

impl PartialEq for Success {
    fn eq(&self, other: &Self) -> bool {
        self.metadata() == other.metadata()
    }
}

/// The keys read for every query, located in the bytes when a SUCCESS is
/// received, so that reading one is a jump, not a search.
const INDEXED: [&str; 8] = [
    "fields", "t_first", "t_last", "qid", "has_more", "bookmark", "db", "type",
];

/// The position of `key` in [`INDEXED`].
fn indexed_key(key: &[u8]) -> Option<usize> {
    let index = match key {
        b"fields" => 0,
        b"t_first" => 1,
        b"t_last" => 2,
        b"qid" => 3,
        b"has_more" => 4,
        b"bookmark" => 5,
        b"db" => 6,
        b"type" => 7,
        _ => return None,
    };
    debug_assert_eq!(INDEXED[index].as_bytes(), key);
    Some(index)
}

/// Marks an [`INDEXED`] key that is absent.
const ABSENT: u32 = u32::MAX;

/// Metadata as received: the encoded map and where its indexed keys'
/// values start.
#[derive(Clone)]
struct Encoded {
    bytes: Bytes,
    dialect: Dialect,
    values: [u32; INDEXED.len()],
}

/// Where a key's value is found.
enum Lookup<'a> {
    /// In the decoded map.
    Map(&'a Map),
    /// In the encoded map: positioned at the value, `None` when absent.
    Encoded(Option<Unpacker<'a>>),
}

impl Success {
    /// A SUCCESS with this metadata.
    pub fn new(metadata: Map) -> Self {
        Success {
            encoded: None,
            decoded: OnceLock::from(metadata),
        }
    }

    /// A SUCCESS from its encoded metadata map, as received: checked now
    /// as thoroughly as decoding it, but decoded only when a map is asked
    /// for. The scalar accessors ([`has_more`](Self::has_more),
    /// [`qid`](Self::qid), [`bookmark`](Self::bookmark), …) and
    /// [`fields`](Self::fields) read the bytes directly.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use neo_bolt::message::Success;
    /// use neo_bolt::packstream::Dialect;
    ///
    /// // {"has_more": true, "qid": 3}
    /// let map = Bytes::from_static(b"\xA2\x88has_more\xC3\x83qid\x03");
    /// let success = Success::decode(map, Dialect::LATEST)?;
    /// assert!(success.has_more());
    /// assert_eq!(success.qid(), Some(3));
    /// assert!(Success::decode(Bytes::from_static(b"\xA1\x83qid"), Dialect::LATEST).is_err());
    /// # Ok::<(), neo_bolt::Error>(())
    /// ```
    pub fn decode(map: Bytes, dialect: Dialect) -> Result<Self, Error> {
        let mut unpacker = Unpacker::new(&map, dialect);
        let start = unpacker.position();
        let len = match unpacker.read_header()? {
            Header::Map(len) => len,
            other => {
                return Err(Error::at(
                    ErrorKind::UnexpectedType {
                        expected: "Map",
                        found: other.type_name(),
                    },
                    start,
                ));
            }
        };
        // Nested as deep as decoding the map would nest.
        unpacker.enter()?;
        let mut values = [ABSENT; INDEXED.len()];
        for _ in 0..len {
            let key_start = unpacker.position();
            let (key_body, key) = match unpacker.read_header()? {
                Header::String(len) => (unpacker.position(), unpacker.take(len)?),
                other => {
                    return Err(Error::at(
                        ErrorKind::UnexpectedType {
                            expected: "String",
                            found: other.type_name(),
                        },
                        key_start,
                    ));
                }
            };
            // A known key is ASCII; any other is checked as text.
            match indexed_key(key) {
                // The last entry of a repeated key wins, as when decoding.
                Some(index) => values[index] = u32::try_from(unpacker.position()).unwrap_or(ABSENT),
                None => {
                    if std::str::from_utf8(key).is_err() {
                        return Err(Error::at(ErrorKind::InvalidUtf8, key_body));
                    }
                }
            }
            unpacker.skip_value()?;
        }
        unpacker.leave();
        unpacker.finish()?;
        Ok(Success {
            encoded: Some(Encoded {
                bytes: map,
                dialect,
                values,
            }),
            decoded: OnceLock::new(),
        })
    }

    /// Gives the metadata bytes their own memory, if they share a larger
    /// buffer (as when [`decode`](Self::decode) was handed a slice of the
    /// receive buffer): for a SUCCESS that may be kept for long.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use neo_bolt::message::Success;
    /// use neo_bolt::packstream::Dialect;
    ///
    /// let received = Bytes::from(b"\xA1\x83qid\x07 and more".to_vec());
    /// let mut success = Success::decode(received.slice(..6), Dialect::LATEST)?;
    /// drop(received);
    /// success.detach();
    /// assert_eq!(success.qid(), Some(7));
    /// # Ok::<(), neo_bolt::Error>(())
    /// ```
    pub fn detach(&mut self) {
        if let Some(encoded) = &mut self.encoded
            && !encoded.bytes.is_unique()
        {
            encoded.bytes = Bytes::copy_from_slice(&encoded.bytes);
        }
    }

    /// The raw metadata.
    pub fn metadata(&self) -> &Map {
        self.decoded.get_or_init(|| match &self.encoded {
            // Checked when received, so this cannot fail.
            Some(encoded) => Unpacker::new(&encoded.bytes, encoded.dialect)
                .read_map()
                .unwrap_or_default(),
            None => Map::new(),
        })
    }

    /// Takes the raw metadata.
    pub fn into_metadata(mut self) -> Map {
        self.metadata();
        self.decoded.take().unwrap_or_default()
    }

    /// The value at `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.metadata().get(key)
    }

    /// Finds `key`: in the bytes when it is an indexed key of metadata as
    /// received, else in the map.
    fn lookup(&self, key: &str) -> Lookup<'_> {
        let indexed = self.encoded.as_ref().zip(indexed_key(key.as_bytes()));
        match indexed {
            Some((encoded, index)) => Lookup::Encoded(match encoded.values[index] {
                ABSENT => None,
                at => {
                    let mut unpacker = Unpacker::new(&encoded.bytes, encoded.dialect);
                    unpacker.advance(at as usize);
                    Some(unpacker)
                }
            }),
            None => Lookup::Map(self.metadata()),
        }
    }

    fn int(&self, key: &str) -> Option<i64> {
        match self.lookup(key) {
            Lookup::Map(map) => get_int(map, key),
            Lookup::Encoded(value) => match value?.read_header() {
                Ok(Header::Int(i)) => Some(i),
                _ => None,
            },
        }
    }

    fn bool(&self, key: &str) -> Option<bool> {
        match self.lookup(key) {
            Lookup::Map(map) => get_bool(map, key),
            Lookup::Encoded(value) => match value?.read_header() {
                Ok(Header::Bool(b)) => Some(b),
                _ => None,
            },
        }
    }

    fn str(&self, key: &str) -> Option<&str> {
        match self.lookup(key) {
            Lookup::Map(map) => get_str(map, key),
            Lookup::Encoded(value) => {
                let mut value = value?;
                match value.peek_marker() {
                    Ok(0x80..=0x8F | 0xD0..=0xD2) => value.read_str().ok(),
                    _ => None,
                }
            }
        }
    }

    /// `fields`: the column names of a RUN result (empty when absent).
    pub fn fields(&self) -> Result<Vec<String>, Error> {
        if let Lookup::Encoded(value) = self.lookup("fields") {
            let Some(mut value) = value else {
                return Ok(Vec::new());
            };
            if let Ok(Header::List(len)) = value.read_header() {
                let names: Option<Vec<String>> = (0..len)
                    .map(|_| match value.peek_marker() {
                        Ok(0x80..=0x8F | 0xD0..=0xD2) => value.read_str().ok().map(str::to_owned),
                        _ => None,
                    })
                    .collect();
                if let Some(names) = names {
                    return Ok(names);
                }
            }
            // Anything unusual: the map gives the exact answer or error.
        }
        match self.metadata().get("fields") {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::List(items)) => items
                .iter()
                .map(|item| {
                    item.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| wrong_type("String", item))
                })
                .collect(),
            Some(other) => Err(wrong_type("List", other)),
        }
    }

    /// `t_first`: milliseconds until the first record was available.
    pub fn t_first(&self) -> Option<i64> {
        self.int("t_first")
    }

    /// `t_last`: milliseconds until the last record was consumed.
    pub fn t_last(&self) -> Option<i64> {
        self.int("t_last")
    }

    /// `qid`: the result id of a RUN inside a transaction.
    pub fn qid(&self) -> Option<i64> {
        self.int("qid")
    }

    /// `has_more`: the stream is still open (false when absent).
    pub fn has_more(&self) -> bool {
        self.bool("has_more").unwrap_or(false)
    }

    /// `bookmark`: the bookmark of a committed transaction.
    pub fn bookmark(&self) -> Option<&str> {
        self.str("bookmark")
    }

    /// `db`: the database used (or resolved, Bolt 5.8+).
    pub fn db(&self) -> Option<&str> {
        self.str("db")
    }

    /// `type`: what kind of query the result came from.
    pub fn query_type(&self) -> Option<QueryType> {
        self.str("type").and_then(QueryType::from_name)
    }

    /// `type`, checked: `Ok(None)` when absent, an error when it names no
    /// query type (`r`, `w`, `rw` or `s`).
    pub fn checked_query_type(&self) -> Result<Option<QueryType>, Error> {
        if let Lookup::Encoded(value) = self.lookup("type") {
            let Some(mut value) = value else {
                return Ok(None);
            };
            if let Ok(0x80..=0x8F | 0xD0..=0xD2) = value.peek_marker()
                && let Ok(name) = value.read_str()
            {
                return QueryType::from_name(name)
                    .map(Some)
                    .ok_or_else(|| protocol(format!("unknown query type `{name}`")));
            }
            // Anything unusual: the map gives the exact answer or error.
        }
        match self.metadata().get("type") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(name)) => QueryType::from_name(name)
                .map(Some)
                .ok_or_else(|| protocol(format!("unknown query type `{name}`"))),
            Some(other) => Err(wrong_type("String", other)),
        }
    }

    /// `stats`: update counters (all zero when absent).
    pub fn counters(&self) -> Counters {
        self.metadata()
            .get("stats")
            .and_then(Value::as_map)
            .map(Counters::from_map)
            .unwrap_or_default()
    }

    /// `plan`: the plan of an `EXPLAIN`ed query.
    pub fn plan(&self) -> Option<&Map> {
        self.metadata().get("plan").and_then(Value::as_map)
    }

    /// `profile`: the profile of a `PROFILE`d query.
    pub fn profile(&self) -> Option<&Map> {
        self.metadata().get("profile").and_then(Value::as_map)
    }

    /// The GQL statuses (Bolt 5.6+ `statuses`), defaults filled in.
    pub fn statuses(&self) -> Vec<GqlStatusObject> {
        list_of_maps(self.metadata().get("statuses"))
            .map(GqlStatusObject::from_map)
            .collect()
    }

    /// The notifications: `notifications` (Bolt ≤ 5.4), or rebuilt from the
    /// `statuses` that carry a `neo4j_code` (Bolt 5.6+).
    pub fn notifications(&self) -> Vec<Notification> {
        if self.metadata().contains_key("notifications") {
            list_of_maps(self.metadata().get("notifications"))
                .map(Notification::from_map)
                .collect()
        } else {
            self.statuses()
                .iter()
                .filter_map(Notification::from_status)
                .collect()
        }
    }

    /// `server`: the server agent, such as `Neo4j/5.26.0`.
    pub fn server(&self) -> Option<&str> {
        self.str("server")
    }

    /// `connection_id`, such as `bolt-123`.
    pub fn connection_id(&self) -> Option<&str> {
        self.str("connection_id")
    }

    /// `hints` of the HELLO SUCCESS.
    pub fn hints(&self) -> Hints {
        let Some(hints) = self.metadata().get("hints").and_then(Value::as_map) else {
            return Hints::default();
        };
        Hints {
            recv_timeout_seconds: get_int(hints, "connection.recv_timeout_seconds"),
            telemetry_enabled: get_bool(hints, "telemetry.enabled").unwrap_or(false),
            ssr_enabled: get_bool(hints, "ssr.enabled").unwrap_or(false),
        }
    }

    /// `patch_bolt`: the patches the server agreed to (Bolt 4.3/4.4).
    pub fn patch_bolt(&self) -> Vec<&str> {
        self.metadata()
            .get("patch_bolt")
            .and_then(Value::as_list)
            .map(|items| items.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// Whether the server agreed to the `utc` patch.
    pub fn utc_patch_agreed(&self) -> bool {
        self.patch_bolt().contains(&"utc")
    }

    /// `protocol_version` (Bolt 5.7+ via the manifest handshake), such as `"5.8"`.
    pub fn protocol_version(&self) -> Option<&str> {
        self.str("protocol_version")
    }

    /// `advertised_address` of a LOGON SUCCESS (Bolt 5.8+).
    pub fn advertised_address(&self) -> Option<&str> {
        self.str("advertised_address")
    }

    /// `credentials_expired` of a LOGON / HELLO SUCCESS.
    pub fn credentials_expired(&self) -> bool {
        self.bool("credentials_expired").unwrap_or(false)
    }

    /// `rt`: the routing table of a ROUTE SUCCESS.
    pub fn routing_table(&self) -> Result<RoutingTable, Error> {
        match self.metadata().get("rt") {
            Some(Value::Map(rt)) => RoutingTable::from_rt(rt),
            Some(other) => Err(wrong_type("Map", other)),
            None => Err(protocol("ROUTE SUCCESS without `rt`")),
        }
    }
}

fn list_of_maps(value: Option<&Value>) -> impl Iterator<Item = &Map> {
    value
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_map)
}
