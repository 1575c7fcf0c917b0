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

#[doc(hidden)]
#[path = "derive_support.rs"]
pub mod __private;
mod address;
mod bookmarks;
#[cfg(feature = "chrono")]
mod chrono_support;
mod config;
mod driver;
mod error;
mod from_value;
mod io;
mod macros;
mod queries;
mod query;
mod result;
mod retry;
mod session;
mod transaction;
mod unit_of_work;
pub mod uri;
mod value_kinds;

pub use address::{Address, DEFAULT_PORT};
pub use bookmarks::{BookmarkManager, Bookmarks, SharedBookmarkManager};
pub use config::{DriverConfig, FETCH_ALL, TrustStrategy};
pub use driver::{Driver, ServerDetails};
pub use error::{Error, ErrorKind};
pub use from_value::FromValue;
pub use io::pool::PoolMetrics;
pub use macros::{Node, Record, Relationship, unit_of_work};
pub use neo_bolt::message::{AccessMode, AuthToken};
pub use neo_bolt::{BoltVersion, Value};
pub use neo_derive::queries;
pub use queries::RowColumns;
pub use query::{Query, TransactionConfig};

pub use result::{FromRecord, Record, RecordStream, ResultSummary};
pub use retry::{Delays, RetryPolicy};
pub use session::{Session, SessionConfig, TransactionWork};
pub use transaction::{ManagedTransaction, Transaction};
pub use unit_of_work::{MetadataValue, UnitOfWorkConfig};

/// A `Result` whose error is the driver's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
