//! The Bolt connection: framing over a socket, the request pipeline and the
//! per-connection protocol state.

mod transport;

pub(crate) use transport::Transport;
