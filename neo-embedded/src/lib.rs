//! `neo-embedded`: a real Bolt server in-process, so examples and tests run
//! with no Java, Docker or network.
//!
//! [`EmbeddedServer::start`] binds a port and serves on the current tokio
//! runtime; clients connect to [`EmbeddedServer::uri`] with any Neo4j
//! driver. It speaks the wire protocol through [`neo_bolt`], the same codec
//! the driver uses: Bolt 4.4 and 5.0 to 5.8 (with the manifest handshake
//! from 5.7; the highest version is configurable, and the agent it reports
//! is the Neo4j release of that version), basic authentication or none,
//! explicit and auto-commit transactions with several open results,
//! bookmarks, transaction timeouts and ROUTE. The graph lives behind
//! [`engine::GraphEngine`]. [`Controls`] count and log the messages
//! received ([`ReceivedMessage`]) and inject faults for tests. A [`Cluster`]
//! starts several servers that act as one Neo4j cluster database: leaders
//! and followers over a shared graph, or followers that lag.
//!
//! How it behaves, in Neo4j's terms:
//!
//! - Every request of a connection runs in order on one task; engine calls
//!   run on tokio's blocking pool, never on a runtime worker. A RESET is
//!   spotted as soon as it is read, and every request queued before it is
//!   answered IGNORED.
//! - A request the current state does not allow, or one that cannot be
//!   decoded, gets `Neo.ClientError.Request.Invalid` and the connection is
//!   closed. A failed HELLO or LOGON closes it too. Any other failure rolls
//!   the open transaction back and leaves the connection FAILED until RESET.
//! - With authentication off ([`Auth::None`]) every token is accepted,
//!   including none at all (a LOGON with an empty map, as drivers send for
//!   `auth=None`).
//! - Results are computed when RUN arrives and served in PULL batches; an
//!   auto-commit transaction commits when its result is fully pulled or
//!   discarded, and its bookmark comes in that final SUCCESS.
//! - Bookmarks are `neo-embedded:<n>`, `n` counting the commits that changed
//!   something. A transaction started from a bookmark waits for it, up to
//!   [`ServerConfig::bookmark_wait_timeout`].
//! - A transaction's timeout is its `tx_timeout`, or the server's
//!   [`ServerConfig::transaction_timeout`]. When it elapses the transaction
//!   is rolled back (freeing the write lock) and its next request fails
//!   with `Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration`
//!   (or `TransactionTimedOut` for the server's default); a wait for the
//!   write lock stops then with `Neo.ClientError.Transaction.LockClientStopped`.
//! - The limits a shared server needs (connections, memory for incoming
//!   messages, idle connections, file descriptors) are listed with their
//!   defaults on [`ServerConfig`].
//!
//! ```
//! use neo_embedded::{EmbeddedServer, ServerConfig};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let server = EmbeddedServer::start(ServerConfig::new())?;
//! assert!(server.uri().starts_with("bolt://127.0.0.1:"));
//! assert_eq!(server.controls().received("HELLO"), 0);
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```

pub mod engine;
mod server;

pub use server::{
    Answer, Auth, Cluster, Controls, EmbeddedServer, MemberAddress, MemberRole, ReceivedMessage,
    ServerConfig, Timing, TokenCheck, Trigger,
};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
