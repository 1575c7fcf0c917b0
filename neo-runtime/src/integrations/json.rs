//! `serde_json::Value` read from Neo4j maps, lists and scalars (feature
//! `json`). Writing one is a parameter as it is (it is `Serialize`), or
//! `Value::try_from(json)`.
//!
//! Nodes, relationships, paths, temporal and spatial values, byte arrays
//! and vectors have no single JSON form: reading one is a mapping error
//! naming it (return the properties, `toString(…)` or the parts you need
//! from the query instead). A float that is not finite has no JSON form
//! either.
//!
//! ```
//! use neo_runtime::{FromValue, Value};
//! use serde_json::json;
//!
//! let document = json!({"name": "Ann", "tags": ["a", 1, null], "score": 0.5});
//! let value = Value::try_from(document.clone())?;
//! assert_eq!(serde_json::Value::from_value(value)?, document);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use neo_bolt::Value;
use serde_json::{Map, Number};

use crate::error::Error;
use crate::from_value::FromValue;
use crate::value_kinds::ValueKinds;

impl FromValue for serde_json::Value {
    const ACCEPTS: ValueKinds = ValueKinds::NULL
        .union(ValueKinds::BOOLEAN)
        .union(ValueKinds::INTEGER)
        .union(ValueKinds::FLOAT)
        .union(ValueKinds::STRING)
        .union(ValueKinds::LIST)
        .union(ValueKinds::MAP);

    fn from_value(value: Value) -> Result<Self, Error> {
        Ok(match value {
            Value::Null => serde_json::Value::Null,
            Value::Boolean(b) => serde_json::Value::Bool(b),
            Value::Integer(i) => serde_json::Value::Number(Number::from(i)),
            Value::Float(f) => Number::from_f64(f)
                .map(serde_json::Value::Number)
                .ok_or_else(|| Error::mapping(format!("the float {f} has no JSON form")))?,
            Value::String(text) => serde_json::Value::String(text),
            Value::List(items) => serde_json::Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(index, item)| {
                        serde_json::Value::from_value(item)
                            .map_err(|error| Error::mapping(format!("element {index}: {error}")))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(key, item)| match serde_json::Value::from_value(item) {
                        Ok(item) => Ok((key, item)),
                        Err(error) => Err(Error::mapping(format!("key `{key}`: {error}"))),
                    })
                    .collect::<Result<Map<_, _>, _>>()?,
            ),
            other => {
                return Err(Error::mapping(format!(
                    "a {} has no JSON form; return its properties or `toString(…)` from the \
                     query, or read it into `neo_runtime::Value`",
                    other.type_name()
                )));
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn graph_and_temporal_values_are_named_in_the_error() {
        let list = Value::from(vec![Value::from(1), Value::Date(Default::default())]);
        let error = serde_json::Value::from_value(list).unwrap_err();
        assert_eq!(
            error.to_string(),
            "element 1: a Date has no JSON form; return its properties or `toString(…)` from \
             the query, or read it into `neo_runtime::Value`"
        );
        let error = serde_json::Value::from_value(Value::Float(f64::NAN)).unwrap_err();
        assert_eq!(error.to_string(), "the float NaN has no JSON form");
        assert_eq!(
            serde_json::Value::from_value(Value::from(vec![Value::Null, Value::from(true)]))
                .unwrap(),
            json!([null, true])
        );
    }
}
