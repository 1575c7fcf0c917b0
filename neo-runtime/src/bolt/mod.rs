//! The Bolt connection: framing over a socket, the request pipeline and the
//! per-connection protocol state.

mod connection;
mod transport;

pub(crate) use connection::{ConnectSettings, Connection, Incoming, ServerInfo};
