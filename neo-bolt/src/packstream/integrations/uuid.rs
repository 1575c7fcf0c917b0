//! `uuid::Uuid` as a value (feature `uuid`): Neo4j stores UUIDs as
//! strings (`randomUUID()` returns one), so a `Uuid` is its hyphenated
//! lowercase text.
//!
//! Bolt 6.1 adds a UUID value of its own (marker `0xE0` and 16 bytes);
//! it is not negotiated yet, so UUIDs travel as strings with every server.
//!
//! ```
//! use neo_bolt::Value;
//! use uuid::Uuid;
//!
//! let id = Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8);
//! assert_eq!(Value::from(id), Value::from("67e55044-10b1-426f-9247-bb680e5fe0c8"));
//! ```

use uuid::Uuid;

use crate::packstream::Value;

/// A `String`, hyphenated and lowercase.
impl From<Uuid> for Value {
    fn from(id: Uuid) -> Self {
        Value::String(id.hyphenated().to_string())
    }
}
