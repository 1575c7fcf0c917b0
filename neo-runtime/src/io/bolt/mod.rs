//! The Bolt connection: framing over a socket, the request pipeline and the
//! per-connection protocol state, and how pools manage such connections.

mod connection;
mod manager;
mod transport;

pub(crate) use connection::{ConnectSettings, Connection, Incoming, ServerInfo};
pub(crate) use manager::{AuthSource, BoltManager};
