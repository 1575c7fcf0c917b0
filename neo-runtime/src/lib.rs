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
//!
//! # Cargo features
//!
//! - `macros` (default): the derives and attribute macros of `neo-derive`.
//! - `testing`: `#[neo_runtime::test]` and the `testing` module, a fresh
//!   database for each test.
//! - `chrono`, `time`, `jiff`, `uuid`, `json`, `geo`: the types of those
//!   crates as parameters and results; see [`integrations`].

#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

#[doc(hidden)]
#[path = "derive_support.rs"]
pub mod __private;
mod address;
pub mod auth;
mod bookmarks;
#[cfg(feature = "chrono")]
mod chrono_support;
#[cfg(feature = "chrono-tz")]
mod chrono_tz_support;
mod client_certificate;
pub mod clock;
mod config;
mod driver;
pub mod error;
mod execute;
mod from_value;
pub mod integrations;
mod io;
#[cfg(feature = "macros")]
mod macros;
mod queries;
mod query;
pub mod resolver;
mod result;
mod retry;
mod session;
mod test_macro;
#[cfg(feature = "testing")]
pub mod testing;
mod transaction;
mod unit_of_work;
pub mod uri;
mod value_kinds;

pub use address::{Address, DEFAULT_PORT};
pub use bookmarks::{BookmarkManager, Bookmarks, SharedBookmarkManager};
pub use client_certificate::{
    ClientCertificate, ClientCertificateProvider, RotatingClientCertificateProvider,
};
pub use config::{DriverConfig, FETCH_ALL, TrustStrategy};
pub use driver::{Driver, RoutingTableInfo, ServerDetails};
pub use error::{Error, ErrorKind};
pub use error::{ServerError, StatusCode};
pub use execute::transform;
pub use execute::{EagerResult, QueryConfig};
pub use from_value::FromValue;
pub use io::pool::PoolMetrics;
#[cfg(feature = "macros")]
pub use macros::{Node, Record, Relationship, queries, test, unit_of_work};
pub use neo_bolt::message::{
    AccessMode, AuthToken, MinimumSeverity, NotificationClassification,
    NotificationClassifications, NotificationFilter,
};
pub use neo_bolt::{BoltVersion, Value};
pub use queries::RowColumns;
pub use query::{AutoCommitQuery, IntoQuery, IntoTimeout, Query, TransactionConfig};
pub use result::{
    FromRecord, FromRecordRef, FromValueRef, PrefetchWatermarks, Record, RecordStream,
    ResultSummary,
};
pub use retry::{Delays, RetryPolicy};
pub use session::{Session, SessionConfig, TransactionWork};
pub use summary::{Counters, GqlStatusObject, Notification, QueryType};
pub use transaction::{ManagedTransaction, Transaction};
pub use types::{Node, Path, Relationship};
pub use unit_of_work::{MetadataValue, UnitOfWorkConfig};

/// The value model: every kind of value a query takes as a parameter or
/// returns, as PackStream carries it. [`Vector`](types::Vector) (an
/// embedding, say) needs a Bolt 6 server: as a parameter for an older one it
/// is an [`ErrorKind::UnsupportedFeature`] error, and nothing is sent.
///
/// ```
/// use neo_runtime::types::{Date, Value};
///
/// let value = Value::Date(Date { days: 19_000 });
/// assert_eq!(value.type_name(), "Date");
/// ```
pub mod types {
    pub use neo_bolt::packstream::{
        Date, DateTime, DateTimeZoneId, Duration, LegacyDateTimeZoneId, LocalDateTime, LocalTime,
        Map, Node, Path, PathSegment, Point2D, Point3D, Relationship, Time, UnboundRelationship,
        UnsupportedType, Value, Vector, VectorType,
    };
}

/// What a result's summary reports: the query type, update counters,
/// notifications (with their position in the query) and GQL statuses.
///
/// ```
/// use neo_runtime::summary::{Counters, QueryType};
///
/// let counters = Counters::default();
/// assert!(!counters.contains_updates);
/// assert_eq!(QueryType::from_name("rw"), Some(QueryType::ReadWrite));
/// ```
pub mod summary {
    pub use crate::result::ResultSummary;
    pub use neo_bolt::message::{
        Counters, GqlStatusObject, Notification, NotificationClassification, NotificationSeverity,
        Position, QueryType,
    };
}

/// A `Result` whose error is the driver's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
