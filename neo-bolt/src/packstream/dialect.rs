//! What a negotiated Bolt version changes about value structures.

use crate::BoltVersion;

/// The shape of value structures on one connection.
///
/// Bolt 5 adds element ids to nodes and relationships and encodes date-times
/// against UTC; Bolt 4.4 has no element ids and uses wall-clock date-times
/// unless the `utc` patch was agreed in HELLO.
///
/// ```
/// use neo_bolt::packstream::Dialect;
/// use neo_bolt::BoltVersion;
///
/// assert_eq!(Dialect::for_version(BoltVersion::V5_8, false), Dialect::LATEST);
/// assert!(!Dialect::for_version(BoltVersion::V4_4, false).element_ids);
/// assert!(Dialect::for_version(BoltVersion::V4_4, true).utc_datetime);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dialect {
    /// Nodes and relationships carry string element ids (Bolt 5+).
    pub element_ids: bool,
    /// Date-times use the UTC-based structures `I`/`i` rather than the legacy
    /// wall-clock `F`/`f` (Bolt 5+, or Bolt 4.4 with the `utc` patch).
    pub utc_datetime: bool,
}

impl Dialect {
    /// The dialect of Bolt 5.x.
    pub const LATEST: Dialect = Dialect {
        element_ids: true,
        utc_datetime: true,
    };

    /// The dialect of Bolt 4.4 without the `utc` patch.
    pub const V4_4: Dialect = Dialect {
        element_ids: false,
        utc_datetime: false,
    };

    /// The dialect of a connection that negotiated `version`, with or without
    /// the Bolt 4.4 `utc` patch (ignored from Bolt 5 on, where UTC is always
    /// used).
    pub fn for_version(version: BoltVersion, utc_patch: bool) -> Dialect {
        if version.major >= 5 {
            Dialect::LATEST
        } else {
            Dialect {
                element_ids: false,
                utc_datetime: utc_patch,
            }
        }
    }
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect::LATEST
    }
}
