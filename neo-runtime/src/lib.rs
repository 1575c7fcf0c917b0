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
mod bolt;
mod bookmarks;
mod config;
mod driver;
mod error;
mod link;
mod mapping;
mod net;
mod pool;
mod queries;
mod query;
mod result;
mod retry;
mod session;
mod transaction;
pub mod uri;

pub use address::{Address, DEFAULT_PORT};
pub use bookmarks::{BookmarkManager, Bookmarks, SharedBookmarkManager};
pub use config::{DriverConfig, FETCH_ALL, TrustStrategy};
pub use driver::{Driver, ServerDetails};
pub use error::{Error, ErrorKind};
pub use mapping::FromRecord;
pub use neo_bolt::message::{AccessMode, AuthToken};
pub use neo_bolt::{BoltVersion, Value};
pub use neo_derive::queries;
pub use pool::PoolMetrics;
pub use queries::RowColumns;
pub use query::{Query, TransactionConfig};

/// Items the macros' generated code names; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::queries::{all_rows, columns_match, optional_row, single_row, summary};
}
pub use result::{Record, RecordStream, ResultSummary};
pub use retry::{Delays, RetryPolicy};
pub use session::{Session, SessionConfig};
pub use transaction::{ManagedTransaction, Transaction};

/// A `Result` whose error is the driver's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
