//! `uuid::Uuid` read from a Neo4j string (feature `uuid`), in any form
//! `Uuid::try_parse` accepts (hyphenated, simple, braced, URN), or from
//! 16 bytes. Writing one is `Value::from(uuid)`: its hyphenated lowercase
//! text. Bolt 6.1's own UUID value is not negotiated yet: UUIDs travel as
//! strings with every server.
//!
//! ```
//! use neo_runtime::{FromValue, Value};
//! use uuid::Uuid;
//!
//! let id = Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8);
//! assert_eq!(Uuid::from_value(Value::from(id))?, id);
//! let error = Uuid::from_value(Value::from("not-a-uuid")).unwrap_err();
//! assert!(error.to_string().starts_with("`not-a-uuid` is not a UUID"));
//! # Ok::<(), neo_runtime::Error>(())
//! ```

use neo_bolt::Value;
use uuid::Uuid;

use crate::error::Error;
use crate::from_value::{FromValue, mismatch};
use crate::value_kinds::ValueKinds;

impl FromValue for Uuid {
    const ACCEPTS: ValueKinds = ValueKinds::STRING.union(ValueKinds::BYTES);

    fn from_value(value: Value) -> Result<Self, Error> {
        match value {
            Value::String(text) => Uuid::try_parse(&text)
                .map_err(|error| Error::mapping(format!("`{text}` is not a UUID: {error}"))),
            Value::Bytes(bytes) => Uuid::from_slice(&bytes).map_err(|_| {
                Error::mapping(format!(
                    "{} bytes are not a UUID, which is 16 bytes",
                    bytes.len()
                ))
            }),
            other => Err(mismatch("String", &other)),
        }
    }
}
