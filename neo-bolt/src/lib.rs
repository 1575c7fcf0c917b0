//! `neo-bolt`: the PackStream codec and the Bolt wire protocol, sans IO.
//!
//! This crate owns the wire format that the driver (`neo-runtime`) and the
//! embedded server (`neo-embedded`) share. It holds no sockets and no runtime:
//! it turns values and messages into bytes and bytes back into values and
//! messages, and it never trusts the bytes it is given.
//!
//! - [`packstream`]: the [`Value`] model, the encoder and decoder, and serde
//!   support in both directions without a `Value` in the middle.
//! - [`chunk`]: Bolt message framing.
//! - [`handshake`]: version negotiation, client and server side.
//! - [`message`]: every request and response, with per-version rules.
//! - [`server_error`]: Neo4j failures as data, and the status codes as
//!   typed constants ([`StatusCode`]) with the drivers' classification.
//!
//! ```
//! use neo_bolt::packstream::{self, Dialect};
//! use neo_bolt::Value;
//!
//! let bytes = packstream::to_vec(&Value::from(42), Dialect::LATEST)?;
//! assert_eq!(bytes, [0x2A]);
//! let back = packstream::from_slice(&bytes, Dialect::LATEST)?;
//! assert_eq!(back, Value::Integer(42));
//! # Ok::<(), neo_bolt::Error>(())
//! ```

#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod chunk;
mod error;
pub mod handshake;
pub mod message;
pub mod packstream;
pub mod server_error;
mod version;

pub use error::{Error, ErrorKind};
pub use packstream::Value;
pub use server_error::{ServerError, StatusCode};
pub use version::BoltVersion;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
