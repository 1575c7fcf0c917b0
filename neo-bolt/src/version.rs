//! Bolt protocol versions.

use std::fmt;

/// A Bolt protocol version, such as 5.8 or 4.4.
///
/// ```
/// use neo_bolt::BoltVersion;
///
/// assert!(BoltVersion::V5_1 > BoltVersion::V5_0);
/// assert_eq!(BoltVersion::V4_4.to_string(), "4.4");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BoltVersion {
    /// The major version.
    pub major: u8,
    /// The minor version.
    pub minor: u8,
}

impl BoltVersion {
    /// Bolt 4.3 (Neo4j 4.3): as 4.4, without impersonation, and with the
    /// database of ROUTE given on its own.
    pub const V4_3: BoltVersion = BoltVersion::new(4, 3);
    /// Bolt 4.4 (Neo4j 4.4): no element ids, legacy date-times unless patched.
    pub const V4_4: BoltVersion = BoltVersion::new(4, 4);
    /// Bolt 5.0: element ids, UTC date-times.
    pub const V5_0: BoltVersion = BoltVersion::new(5, 0);
    /// Bolt 5.1: LOGON and LOGOFF.
    pub const V5_1: BoltVersion = BoltVersion::new(5, 1);
    /// Bolt 5.2: notification filters.
    pub const V5_2: BoltVersion = BoltVersion::new(5, 2);
    /// Bolt 5.3: `bolt_agent` in HELLO.
    pub const V5_3: BoltVersion = BoltVersion::new(5, 3);
    /// Bolt 5.4: TELEMETRY.
    pub const V5_4: BoltVersion = BoltVersion::new(5, 4);
    /// Bolt 5.6: GQL statuses in summaries.
    pub const V5_6: BoltVersion = BoltVersion::new(5, 6);
    /// Bolt 5.7: GQL-shaped failures and the manifest handshake.
    pub const V5_7: BoltVersion = BoltVersion::new(5, 7);
    /// Bolt 5.8: home-database echo and server-side routing hint.
    pub const V5_8: BoltVersion = BoltVersion::new(5, 8);
    /// Bolt 6.0: vectors, and a placeholder for values of types the
    /// negotiated version cannot carry.
    pub const V6_0: BoltVersion = BoltVersion::new(6, 0);

    /// Every version this crate speaks, lowest first. 5.5 was never released
    /// by any server and is deliberately absent.
    pub const SUPPORTED: [BoltVersion; 11] = [
        BoltVersion::V4_3,
        BoltVersion::V4_4,
        BoltVersion::V5_0,
        BoltVersion::V5_1,
        BoltVersion::V5_2,
        BoltVersion::V5_3,
        BoltVersion::V5_4,
        BoltVersion::V5_6,
        BoltVersion::V5_7,
        BoltVersion::V5_8,
        BoltVersion::V6_0,
    ];

    /// The highest version this crate speaks.
    pub const LATEST: BoltVersion = BoltVersion::V6_0;

    /// Makes a version from its parts.
    pub const fn new(major: u8, minor: u8) -> Self {
        BoltVersion { major, minor }
    }

    /// Whether this crate implements the version.
    pub fn is_supported(self) -> bool {
        BoltVersion::SUPPORTED.contains(&self)
    }
}

impl fmt::Display for BoltVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}
