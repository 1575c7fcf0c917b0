//! `neo-embedded`: a real Bolt server in-process, so examples and tests run
//! with no Java, Docker or network.
//!
//! It speaks the wire protocol through [`neo_bolt`], the same codec the driver
//! uses. The graph itself lives behind [`engine::GraphEngine`]; the Bolt
//! front-end is [`EmbeddedServer`], and [`Cluster`] runs several of them as
//! one Neo4j cluster database for routing tests.

pub mod engine;
pub mod server;

pub use server::{
    Answer, Auth, Cluster, Controls, EmbeddedServer, MemberAddress, MemberRole, ServerConfig,
    Timing, TokenCheck, Trigger,
};
