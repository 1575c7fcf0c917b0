//! PackStream marker bytes and value-structure tags.

/// Null.
pub const NULL: u8 = 0xC0;
/// 64-bit float.
pub const FLOAT_64: u8 = 0xC1;
/// Boolean false.
pub const FALSE: u8 = 0xC2;
/// Boolean true.
pub const TRUE: u8 = 0xC3;
/// 8-bit integer.
pub const INT_8: u8 = 0xC8;
/// 16-bit integer.
pub const INT_16: u8 = 0xC9;
/// 32-bit integer.
pub const INT_32: u8 = 0xCA;
/// 64-bit integer.
pub const INT_64: u8 = 0xCB;
/// Bytes with a u8 length.
pub const BYTES_8: u8 = 0xCC;
/// Bytes with a u16 length.
pub const BYTES_16: u8 = 0xCD;
/// Bytes with a u32 length.
pub const BYTES_32: u8 = 0xCE;
/// Tiny string: the low nibble is the length.
pub const TINY_STRING: u8 = 0x80;
/// String with a u8 length.
pub const STRING_8: u8 = 0xD0;
/// String with a u16 length.
pub const STRING_16: u8 = 0xD1;
/// String with a u32 length.
pub const STRING_32: u8 = 0xD2;
/// Tiny list: the low nibble is the length.
pub const TINY_LIST: u8 = 0x90;
/// List with a u8 length.
pub const LIST_8: u8 = 0xD4;
/// List with a u16 length.
pub const LIST_16: u8 = 0xD5;
/// List with a u32 length.
pub const LIST_32: u8 = 0xD6;
/// Tiny map: the low nibble is the entry count.
pub const TINY_MAP: u8 = 0xA0;
/// Map with a u8 entry count.
pub const MAP_8: u8 = 0xD8;
/// Map with a u16 entry count.
pub const MAP_16: u8 = 0xD9;
/// Map with a u32 entry count.
pub const MAP_32: u8 = 0xDA;
/// Tiny structure: the low nibble is the field count; a tag byte follows.
pub const TINY_STRUCT: u8 = 0xB0;

/// Value-structure tags (the byte after a structure marker).
pub mod tag {
    /// Node.
    pub const NODE: u8 = 0x4E;
    /// Relationship.
    pub const RELATIONSHIP: u8 = 0x52;
    /// Relationship inside a path, without end points.
    pub const UNBOUND_RELATIONSHIP: u8 = 0x72;
    /// Path.
    pub const PATH: u8 = 0x50;
    /// Date.
    pub const DATE: u8 = 0x44;
    /// Time with an offset.
    pub const TIME: u8 = 0x54;
    /// Local time.
    pub const LOCAL_TIME: u8 = 0x74;
    /// UTC-based date-time with an offset (Bolt 5, or 4.4 with the `utc` patch).
    pub const DATE_TIME: u8 = 0x49;
    /// UTC-based date-time with a zone id (Bolt 5, or 4.4 with the `utc` patch).
    pub const DATE_TIME_ZONE_ID: u8 = 0x69;
    /// Legacy wall-clock date-time with an offset (Bolt 4.4).
    pub const LEGACY_DATE_TIME: u8 = 0x46;
    /// Legacy wall-clock date-time with a zone id (Bolt 4.4).
    pub const LEGACY_DATE_TIME_ZONE_ID: u8 = 0x66;
    /// Local date-time.
    pub const LOCAL_DATE_TIME: u8 = 0x64;
    /// Duration.
    pub const DURATION: u8 = 0x45;
    /// Two-dimensional point.
    pub const POINT_2D: u8 = 0x58;
    /// Three-dimensional point.
    pub const POINT_3D: u8 = 0x59;
    /// Vector (Bolt 6+).
    pub const VECTOR: u8 = 0x56;
    /// A placeholder for a value the negotiated version cannot carry
    /// (Bolt 6+).
    pub const UNSUPPORTED: u8 = 0x3F;
}

/// Whether PackStream reserves this marker byte (it must be rejected).
pub const fn is_reserved(marker: u8) -> bool {
    matches!(marker, 0xC4..=0xC7 | 0xCF | 0xD3 | 0xD7 | 0xDB..=0xEF)
}
