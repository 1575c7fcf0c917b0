//! `neo-runtime`: the async Neo4j driver.
//!
//! This crate is the one applications depend on. It speaks Bolt through
//! [`neo_bolt`], whose value model it re-exports, and re-exports the macros of
//! `neo-derive`.
//!
//! ```
//! let value = neo_runtime::Value::from("Alice");
//! assert_eq!(value.as_str(), Some("Alice"));
//! ```

#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod address;
#[allow(dead_code, unused_imports)] // the driver wires it up
mod bolt;
mod bookmarks;
mod config;
mod error;
#[allow(dead_code, unused_imports)] // the driver opens its connections through it
mod net;
#[allow(dead_code)] // the driver wires it to Bolt connections
mod pool;
mod retry;
pub mod uri;

pub use address::{Address, DEFAULT_PORT};
pub use bookmarks::{BookmarkManager, Bookmarks, SharedBookmarkManager};
pub use config::{DriverConfig, FETCH_ALL, TrustStrategy};
pub use error::{Error, ErrorKind};
pub use neo_bolt::Value;
pub use pool::PoolMetrics;
pub use retry::{Delays, RetryPolicy};

/// A `Result` whose error is the driver's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
