//! `serde_json::Value` as a value (feature `json`): null, booleans,
//! numbers, strings, arrays as lists and objects as maps. A JSON integer
//! beyond the range of `i64` has no PackStream form, so the conversion is
//! `TryFrom`.
//!
//! A `serde_json::Value` is also a query parameter as it is, through its
//! `Serialize` implementation, with the same result.
//!
//! ```
//! use neo_bolt::Value;
//!
//! let document = serde_json::json!({"name": "Ann", "tags": ["a", 1, null]});
//! let value = Value::try_from(document)?;
//! assert_eq!(value.as_map().unwrap()["tags"], Value::from(vec![Value::from("a"), Value::from(1), Value::Null]));
//! # Ok::<(), neo_bolt::Error>(())
//! ```

use crate::error::{Error, ErrorKind};
use crate::packstream::Value;

impl TryFrom<serde_json::Value> for Value {
    type Error = Error;

    /// Every JSON value but integers above `i64::MAX`.
    fn try_from(json: serde_json::Value) -> Result<Self, Error> {
        Ok(match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Boolean(b),
            serde_json::Value::Number(number) => {
                if let Some(integer) = number.as_i64() {
                    Value::Integer(integer)
                } else if number.is_u64() {
                    return Err(Error::new(ErrorKind::Unencodable(format!(
                        "the JSON integer {number} is beyond the 64-bit signed integers of PackStream"
                    ))));
                } else {
                    // Neither `i64` nor `u64`: a finite float.
                    Value::Float(number.as_f64().unwrap_or(f64::NAN))
                }
            }
            serde_json::Value::String(text) => Value::String(text),
            serde_json::Value::Array(items) => Value::List(
                items
                    .into_iter()
                    .map(Value::try_from)
                    .collect::<Result<_, _>>()?,
            ),
            serde_json::Value::Object(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(key, value)| Ok((key, Value::try_from(value)?)))
                    .collect::<Result<_, Error>>()?,
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_kind_of_json() {
        let value = Value::try_from(json!({
            "null": null, "yes": true, "int": -3, "float": 0.5, "text": "x",
            "list": [1, [2]], "map": {"a": {}}
        }))
        .unwrap();
        let map = value.as_map().unwrap();
        assert_eq!(map["null"], Value::Null);
        assert_eq!(map["yes"], Value::Boolean(true));
        assert_eq!(map["int"], Value::Integer(-3));
        assert_eq!(map["float"], Value::Float(0.5));
        assert_eq!(map["text"], Value::from("x"));
        assert_eq!(
            map["list"],
            Value::List(vec![Value::from(1), Value::List(vec![Value::from(2)])])
        );
        assert_eq!(
            map["map"].as_map().unwrap()["a"],
            Value::Map(Default::default())
        );
    }

    #[test]
    fn integers_beyond_i64_are_an_error() {
        let error = Value::try_from(json!([u64::MAX])).unwrap_err();
        assert!(
            error.to_string().contains("18446744073709551615"),
            "{error}"
        );
        assert_eq!(
            Value::try_from(json!(i64::MAX as u64)).unwrap(),
            Value::Integer(i64::MAX)
        );
    }
}
