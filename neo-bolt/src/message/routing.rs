//! Routing tables: the `rt` of a ROUTE SUCCESS.

use super::fields::{protocol, wrong_type};
use crate::Error;
use crate::packstream::{Map, Value};

/// A routing table from a ROUTE SUCCESS (`rt`).
///
/// ```
/// use neo_bolt::message::{RoutingTable, Success};
///
/// let table = RoutingTable {
///     ttl: 300,
///     db: Some("neo4j".into()),
///     routers: vec!["a:7687".into()],
///     readers: vec!["b:7687".into()],
///     writers: vec!["a:7687".into()],
/// };
/// let success = Success::new(table.to_metadata());
/// assert_eq!(success.routing_table()?, table);
/// # Ok::<(), neo_bolt::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoutingTable {
    /// How long the table may be used, in seconds.
    pub ttl: i64,
    /// The database the table is for (Bolt 4.4+); for a request without a
    /// database, the resolved home database.
    pub db: Option<String>,
    /// Servers that answer ROUTE.
    pub routers: Vec<String>,
    /// Servers for reads.
    pub readers: Vec<String>,
    /// Servers for writes.
    pub writers: Vec<String>,
}

impl RoutingTable {
    /// Parses the `rt` map. Roles other than ROUTE, READ and WRITE are
    /// ignored.
    pub fn from_rt(rt: &Map) -> Result<Self, Error> {
        let ttl = match rt.get("ttl") {
            Some(Value::Integer(ttl)) => *ttl,
            Some(other) => return Err(wrong_type("Integer", other)),
            None => return Err(protocol("routing table without `ttl`")),
        };
        let db = match rt.get("db") {
            None | Some(Value::Null) => None,
            Some(Value::String(db)) => Some(db.clone()),
            Some(other) => return Err(wrong_type("String", other)),
        };
        let servers = match rt.get("servers") {
            Some(Value::List(servers)) => servers.as_slice(),
            Some(other) => return Err(wrong_type("List", other)),
            None => return Err(protocol("routing table without `servers`")),
        };
        let mut table = RoutingTable {
            ttl,
            db,
            ..RoutingTable::default()
        };
        for server in servers {
            let server = server.as_map().ok_or_else(|| wrong_type("Map", server))?;
            let role = match server.get("role") {
                Some(Value::String(role)) => role.as_str(),
                Some(other) => return Err(wrong_type("String", other)),
                None => return Err(protocol("routing table server without `role`")),
            };
            let addresses = match server.get("addresses") {
                Some(Value::List(addresses)) => addresses,
                Some(other) => return Err(wrong_type("List", other)),
                None => return Err(protocol("routing table server without `addresses`")),
            };
            let target = match role {
                "ROUTE" => &mut table.routers,
                "READ" => &mut table.readers,
                "WRITE" => &mut table.writers,
                _ => continue,
            };
            for address in addresses {
                let address = address
                    .as_str()
                    .ok_or_else(|| wrong_type("String", address))?;
                target.push(address.to_owned());
            }
        }
        Ok(table)
    }

    /// The SUCCESS metadata a server sends for this table: `{rt: {...}}`.
    pub fn to_metadata(&self) -> Map {
        let server = |role: &str, addresses: &[String]| {
            let mut map = Map::new();
            map.insert("addresses".into(), Value::from(addresses.to_vec()));
            map.insert("role".into(), Value::from(role));
            Value::Map(map)
        };
        let mut rt = Map::new();
        rt.insert("ttl".into(), Value::Integer(self.ttl));
        if let Some(db) = &self.db {
            rt.insert("db".into(), Value::from(db.as_str()));
        }
        rt.insert(
            "servers".into(),
            Value::List(vec![
                server("WRITE", &self.writers),
                server("READ", &self.readers),
                server("ROUTE", &self.routers),
            ]),
        );
        let mut metadata = Map::new();
        metadata.insert("rt".into(), Value::Map(rt));
        metadata
    }
}
