//! What a negotiated Bolt version changes about value structures.

use crate::BoltVersion;

/// The shape of value structures on one connection.
///
/// Bolt 5 adds element ids to nodes and relationships and encodes date-times
/// against UTC; Bolt 4.4 has no element ids and uses wall-clock date-times
/// unless the `utc` patch was agreed in HELLO. Bolt 6 adds vectors and the
/// unsupported-type placeholder.
///
/// ```
/// use neo_bolt::packstream::Dialect;
/// use neo_bolt::BoltVersion;
///
/// assert_eq!(Dialect::for_version(BoltVersion::V6_0, false), Dialect::LATEST);
/// assert_eq!(Dialect::for_version(BoltVersion::V5_8, false), Dialect::V5);
/// assert!(!Dialect::V5.vector_types);
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
    /// Vectors (`V`) and the unsupported-type placeholder (`?`) exist
    /// (Bolt 6+).
    pub vector_types: bool,
}

impl Dialect {
    /// The dialect of Bolt 6.x.
    pub const LATEST: Dialect = Dialect {
        element_ids: true,
        utc_datetime: true,
        vector_types: true,
    };

    /// The dialect of Bolt 5.x.
    pub const V5: Dialect = Dialect {
        element_ids: true,
        utc_datetime: true,
        vector_types: false,
    };

    /// The dialect of Bolt 4.4 without the `utc` patch.
    pub const V4_4: Dialect = Dialect {
        element_ids: false,
        utc_datetime: false,
        vector_types: false,
    };

    /// The dialect of a connection that negotiated `version`, with or without
    /// the Bolt 4.4 `utc` patch (ignored from Bolt 5 on, where UTC is always
    /// used).
    pub fn for_version(version: BoltVersion, utc_patch: bool) -> Dialect {
        match version.major {
            6.. => Dialect::LATEST,
            5 => Dialect::V5,
            _ => Dialect {
                utc_datetime: utc_patch,
                ..Dialect::V4_4
            },
        }
    }

    /// Whether values written in this dialect read the same in `other`
    /// when they hold no vector: the graph and date-time shapes agree.
    pub fn same_shapes(self, other: Dialect) -> bool {
        self.element_ids == other.element_ids && self.utc_datetime == other.utc_datetime
    }
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect::LATEST
    }
}
