//! Transaction settings shared by BEGIN and auto-commit RUN.

use std::borrow::Cow;
use std::time::Duration;

use bytes::BufMut;

use super::fields::{
    Field, not_in_version, protocol, take_int, take_map, take_str, take_str_list, write_fields,
};
use super::notifications::NotificationFilter;
use crate::packstream::{Map, Packer};
use crate::{BoltVersion, Error, ErrorKind};

/// Whether a transaction reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AccessMode {
    /// Reads only: may be served by a follower (`mode: "r"`).
    Read,
    /// Writes: must go to the leader (the default; nothing is written).
    #[default]
    Write,
}

/// The transaction settings of BEGIN and of an auto-commit RUN (`extra`).
///
/// Empty bookmarks and metadata, write mode and absent options are left out
/// of the message. For a RUN inside an explicit transaction use the default,
/// which encodes as `{}`.
///
/// ```
/// use std::borrow::Cow;
/// use std::time::Duration;
/// use neo_bolt::message::{AccessMode, Begin, Request, TxExtra};
/// use neo_bolt::packstream::{Dialect, Packer};
/// use neo_bolt::BoltVersion;
///
/// let bookmarks = vec!["bm:1".to_string()];
/// let begin = Begin {
///     extra: TxExtra {
///         bookmarks: Cow::Borrowed(&bookmarks),
///         tx_timeout: Some(Duration::from_micros(1)), // rounds up to 1 ms
///         mode: AccessMode::Read,
///         db: Some("neo4j".into()),
///         ..TxExtra::default()
///     },
/// };
/// let mut body = Vec::new();
/// Request::Begin(begin).encode(&mut Packer::new(&mut body, Dialect::LATEST), BoltVersion::V5_8)?;
/// let back = Request::decode(&body, BoltVersion::V5_8)?;
/// let Request::Begin(back) = back else { unreachable!() };
/// assert_eq!(back.extra.tx_timeout, Some(Duration::from_millis(1)));
/// # Ok::<(), neo_bolt::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TxExtra<'a> {
    /// Bookmarks to wait for before the transaction starts.
    pub bookmarks: Cow<'a, [String]>,
    /// The transaction timeout: zero means none, `None` the server default.
    /// Written in whole milliseconds, rounding any fraction up.
    pub tx_timeout: Option<Duration>,
    /// Metadata attached to the transaction (visible in `SHOW TRANSACTIONS`).
    pub tx_metadata: Cow<'a, Map>,
    /// Read or write.
    pub mode: AccessMode,
    /// The database; `None` (or empty) for the home database.
    pub db: Option<Cow<'a, str>>,
    /// The user to impersonate (Bolt 4.4+).
    pub imp_user: Option<Cow<'a, str>>,
    /// The transaction's notification filter (Bolt 5.2+).
    pub notifications: NotificationFilter,
}

/// A transaction timeout in whole milliseconds, rounding any fraction of a
/// millisecond up so that a tiny positive timeout never reads as "none".
///
/// ```
/// use std::time::Duration;
/// use neo_bolt::message::timeout_to_millis;
///
/// assert_eq!(timeout_to_millis(Duration::from_nanos(1))?, 1);
/// assert_eq!(timeout_to_millis(Duration::from_micros(1500))?, 2);
/// assert_eq!(timeout_to_millis(Duration::ZERO)?, 0);
/// # Ok::<(), neo_bolt::Error>(())
/// ```
pub fn timeout_to_millis(timeout: Duration) -> Result<i64, Error> {
    i64::try_from(timeout.as_nanos().div_ceil(1_000_000)).map_err(|_| {
        Error::new(ErrorKind::Unencodable(format!(
            "transaction timeout {timeout:?} does not fit in 64-bit milliseconds"
        )))
    })
}

/// A transaction timeout from milliseconds; negative values are rejected.
///
/// ```
/// use std::time::Duration;
/// use neo_bolt::message::timeout_from_millis;
///
/// assert_eq!(timeout_from_millis(1500)?, Duration::from_millis(1500));
/// assert!(timeout_from_millis(-1).is_err());
/// # Ok::<(), neo_bolt::Error>(())
/// ```
pub fn timeout_from_millis(millis: i64) -> Result<Duration, Error> {
    u64::try_from(millis)
        .map(Duration::from_millis)
        .map_err(|_| protocol(format!("negative transaction timeout: {millis} ms")))
}

impl TxExtra<'_> {
    pub(super) fn check(&self, version: BoltVersion) -> Result<(), Error> {
        if self.imp_user.is_some() && version < BoltVersion::V4_4 {
            return Err(not_in_version("imp_user", "4.4+", version));
        }
        self.notifications.check(version)
    }

    pub(super) fn write<B: BufMut>(
        &self,
        packer: &mut Packer<B>,
        version: BoltVersion,
    ) -> Result<(), Error> {
        let timeout = self.tx_timeout.map(timeout_to_millis).transpose()?;
        fn non_empty<'x>(s: &'x Option<Cow<'_, str>>) -> Option<Field<'x>> {
            s.as_deref().filter(|s| !s.is_empty()).map(Field::Str)
        }
        self.notifications
            .with_fields(version, |[severity, disabled]| {
                write_fields(
                    packer,
                    &[
                        (
                            "bookmarks",
                            (!self.bookmarks.is_empty()).then_some(Field::StrList(&self.bookmarks)),
                        ),
                        ("tx_timeout", timeout.map(Field::Int)),
                        (
                            "tx_metadata",
                            (!self.tx_metadata.is_empty()).then_some(Field::Map(&self.tx_metadata)),
                        ),
                        (
                            "mode",
                            (self.mode == AccessMode::Read).then_some(Field::Str("r")),
                        ),
                        ("db", non_empty(&self.db)),
                        ("imp_user", non_empty(&self.imp_user)),
                        severity,
                        disabled,
                    ],
                )
            })
    }

    pub(super) fn from_map(mut map: Map, version: BoltVersion) -> Result<TxExtra<'static>, Error> {
        let bookmarks = take_str_list(&mut map, "bookmarks")?.unwrap_or_default();
        let tx_timeout = take_int(&mut map, "tx_timeout")?
            .map(timeout_from_millis)
            .transpose()?;
        let tx_metadata = take_map(&mut map, "tx_metadata")?.unwrap_or_default();
        let mode = match take_str(&mut map, "mode")?.as_deref() {
            None | Some("w") => AccessMode::Write,
            Some("r") => AccessMode::Read,
            Some(other) => return Err(protocol(format!("unknown access mode `{other}`"))),
        };
        let non_empty = |s: Option<String>| s.filter(|s| !s.is_empty()).map(Cow::Owned);
        let db = non_empty(take_str(&mut map, "db")?);
        let imp_user = non_empty(take_str(&mut map, "imp_user")?);
        let notifications = NotificationFilter::take_from(&mut map, version)?;
        let extra = TxExtra {
            bookmarks: Cow::Owned(bookmarks),
            tx_timeout,
            tx_metadata: Cow::Owned(tx_metadata),
            mode,
            db,
            imp_user,
            notifications,
        };
        extra.check(version)?;
        Ok(extra)
    }
}
