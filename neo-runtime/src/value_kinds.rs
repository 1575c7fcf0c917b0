//! Sets of value kinds: what a Rust type reads, compared at compile time
//! with the property types a schema file declares.

/// A set of value kinds (Null, Integer, List of String, …), usable in
/// constants: what [`FromValue::ACCEPTS`](crate::FromValue::ACCEPTS) says a
/// type reads, and what a checked query requires of a row field.
///
/// The low 32 bits are the kinds of the value itself; the high 32 bits the
/// kinds of a list's elements (one level deep).
///
/// ```
/// use neo_runtime::__private::ValueKinds;
///
/// let strings = ValueKinds::list_of(ValueKinds::STRING);
/// assert!(ValueKinds::list_of(ValueKinds::ANY).contains(strings));
/// assert!(!ValueKinds::list_of(ValueKinds::INTEGER).contains(strings));
/// assert!(ValueKinds::LIST.contains(ValueKinds::LIST));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueKinds(u64);

const VALUE_BITS: u64 = 0xFFFF_FFFF;

impl ValueKinds {
    /// No kind at all.
    pub const NONE: ValueKinds = ValueKinds(0);
    /// `null`.
    pub const NULL: ValueKinds = ValueKinds(1);
    /// Booleans.
    pub const BOOLEAN: ValueKinds = ValueKinds(1 << 1);
    /// Integers.
    pub const INTEGER: ValueKinds = ValueKinds(1 << 2);
    /// Floats.
    pub const FLOAT: ValueKinds = ValueKinds(1 << 3);
    /// Strings.
    pub const STRING: ValueKinds = ValueKinds(1 << 4);
    /// Byte arrays.
    pub const BYTES: ValueKinds = ValueKinds(1 << 5);
    /// Lists, whatever their elements.
    pub const LIST: ValueKinds = ValueKinds(1 << 6);
    /// Maps.
    pub const MAP: ValueKinds = ValueKinds(1 << 7);
    /// Nodes.
    pub const NODE: ValueKinds = ValueKinds(1 << 8);
    /// Relationships.
    pub const RELATIONSHIP: ValueKinds = ValueKinds(1 << 9);
    /// Paths.
    pub const PATH: ValueKinds = ValueKinds(1 << 10);
    /// `DATE`.
    pub const DATE: ValueKinds = ValueKinds(1 << 11);
    /// `LOCAL TIME`.
    pub const LOCAL_TIME: ValueKinds = ValueKinds(1 << 12);
    /// `ZONED TIME`.
    pub const ZONED_TIME: ValueKinds = ValueKinds(1 << 13);
    /// `LOCAL DATETIME`.
    pub const LOCAL_DATETIME: ValueKinds = ValueKinds(1 << 14);
    /// `ZONED DATETIME`.
    pub const ZONED_DATETIME: ValueKinds = ValueKinds(1 << 15);
    /// `DURATION`.
    pub const DURATION: ValueKinds = ValueKinds(1 << 16);
    /// `POINT`.
    pub const POINT: ValueKinds = ValueKinds(1 << 17);
    /// `VECTOR` (Bolt 6+).
    pub const VECTOR: ValueKinds = ValueKinds(1 << 18);
    /// Every kind, lists of anything included.
    pub const ANY: ValueKinds = ValueKinds(u64::MAX);

    /// Both sets together.
    pub const fn union(self, other: ValueKinds) -> ValueKinds {
        ValueKinds(self.0 | other.0)
    }

    /// Lists whose elements are of the kinds of `element` (nested lists
    /// are not followed further).
    pub const fn list_of(element: ValueKinds) -> ValueKinds {
        ValueKinds(Self::LIST.0 | ((element.0 & VALUE_BITS) << 32))
    }

    /// Whether every kind in `other` is in `self`.
    pub const fn contains(self, other: ValueKinds) -> bool {
        self.0 & other.0 == other.0
    }
}
