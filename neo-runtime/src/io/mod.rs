//! Everything between a session and the socket.
//!
//! - [`connector`]: where connections come from, for a target (database,
//!   access mode), and what failures say about servers;
//! - [`routing`]: routing tables and a pool per server (`neo4j://`);
//! - [`pool`]: one server's pool, generic over how connections are managed;
//! - [`bolt`]: one Bolt connection and its manager;
//! - [`net`]: TCP and TLS;
//! - [`link`]: a session's connection and the result streams open on it;
//! - [`records`]: received records waiting to be read.
//!
//! Modules depend downwards only: `link → connector → routing, pool, bolt →
//! net`.

pub(crate) mod bolt;
pub(crate) mod connector;
pub(crate) mod link;
pub(crate) mod net;
pub(crate) mod pool;
pub(crate) mod records;
pub(crate) mod routing;
