//! `neo-embedded`: a real Bolt server in-process, so examples and tests run
//! with no Java, Docker or network.
//!
//! It speaks the wire protocol through [`neo_bolt`], the same codec the driver
//! uses. The graph itself lives behind [`engine::GraphEngine`]; the Bolt
//! front-end is [`EmbeddedServer`].

pub mod engine;
pub mod server;

pub use server::{Auth, Controls, EmbeddedServer, ServerConfig, Timing, Trigger};
