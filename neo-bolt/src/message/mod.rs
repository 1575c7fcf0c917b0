//! Bolt messages: every request and response body, with per-version rules.
//!
//! A message body is one PackStream structure whose tag names the message
//! (chunk framing is separate). Both directions are covered:
//!
//! - The driver encodes [`Request`]s and decodes [`Response`]s. Requests
//!   borrow what they send ([`Cow`](std::borrow::Cow) fields, pre-encoded
//!   [`Parameters`]), so sending a query copies neither its text nor its
//!   parameters; a [`Record`] borrows the message body so that columns are
//!   decoded lazily.
//! - The embedded server decodes requests into owned values and encodes
//!   responses, including [`Record`]s from pre-encoded field bytes and
//!   failures shaped for the negotiated version.
//!
//! Every encoder takes the negotiated [`BoltVersion`](crate::BoltVersion) and
//! refuses, with [`ErrorKind::NotInVersion`](crate::ErrorKind::NotInVersion),
//! anything that version cannot carry.
//!
//! ```
//! use neo_bolt::message::{Pull, Request, Response};
//! use neo_bolt::packstream::{Dialect, Packer};
//! use neo_bolt::BoltVersion;
//!
//! let mut body = Vec::new();
//! let mut packer = Packer::new(&mut body, Dialect::LATEST);
//! Request::Pull(Pull::all()).encode(&mut packer, BoltVersion::V5_8)?;
//! assert_eq!(body, [0xB1, 0x3F, 0xA1, 0x81, b'n', 0xFF]);
//!
//! let decoded = Request::decode(&body, BoltVersion::V5_8)?;
//! assert_eq!(decoded, Request::Pull(Pull::all()));
//!
//! let ignored = Response::decode(&[0xB0, 0x7E], Dialect::LATEST)?;
//! assert_eq!(ignored, Response::Ignored);
//! # Ok::<(), neo_bolt::Error>(())
//! ```

mod auth;
mod fields;
mod hello;
mod notifications;
mod request;
mod response;
mod routing;
mod success;
mod summary;
mod tx;

pub use auth::AuthToken;
pub use hello::{BoltAgent, Hello};
pub use notifications::{
    MinimumSeverity, NotificationClassification, NotificationClassifications, NotificationFilter,
};
pub use request::{
    Begin, Discard, Logon, Parameters, Pull, Request, Route, Run, Telemetry, TelemetryApi,
};
pub use response::{Record, Response};
pub use routing::RoutingTable;
pub use success::Success;
pub(crate) use summary::fill_diagnostic_defaults;
pub use summary::{
    Counters, GqlStatusObject, Hints, Notification, NotificationSeverity, Position, QueryType,
};
pub use tx::{AccessMode, TxExtra, timeout_from_millis, timeout_to_millis};

/// Message tags (the byte after a message's structure marker).
pub mod tag {
    /// HELLO: open the connection.
    pub const HELLO: u8 = 0x01;
    /// GOODBYE: close the connection.
    pub const GOODBYE: u8 = 0x02;
    /// RESET: interrupt and return to READY.
    pub const RESET: u8 = 0x0F;
    /// RUN: run a query.
    pub const RUN: u8 = 0x10;
    /// BEGIN: open an explicit transaction.
    pub const BEGIN: u8 = 0x11;
    /// COMMIT: commit the explicit transaction.
    pub const COMMIT: u8 = 0x12;
    /// ROLLBACK: roll the explicit transaction back.
    pub const ROLLBACK: u8 = 0x13;
    /// DISCARD: drop records of a result.
    pub const DISCARD: u8 = 0x2F;
    /// PULL: fetch records of a result.
    pub const PULL: u8 = 0x3F;
    /// TELEMETRY: report which driver API is in use (Bolt 5.4+).
    pub const TELEMETRY: u8 = 0x54;
    /// ROUTE: fetch a routing table (Bolt 4.3+).
    pub const ROUTE: u8 = 0x66;
    /// LOGON: authenticate (Bolt 5.1+).
    pub const LOGON: u8 = 0x6A;
    /// LOGOFF: drop the authentication (Bolt 5.1+).
    pub const LOGOFF: u8 = 0x6B;
    /// SUCCESS: a request succeeded, with metadata.
    pub const SUCCESS: u8 = 0x70;
    /// RECORD: one row of a result.
    pub const RECORD: u8 = 0x71;
    /// IGNORED: a request was skipped because of an earlier failure.
    pub const IGNORED: u8 = 0x7E;
    /// FAILURE: a request failed.
    pub const FAILURE: u8 = 0x7F;
}
