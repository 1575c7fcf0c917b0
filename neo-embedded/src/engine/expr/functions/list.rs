//! List functions.

use super::{Function, to_boolean, to_float, to_integer, to_string, wrong_type};
use crate::engine::error::{EngineError, Result, codes};
use crate::engine::value::Value;

/// The most items a list built by one function call may have.
pub(crate) const MAX_LIST_ITEMS: i64 = 10_000_000;

pub(super) fn call(function: Function, args: Vec<Value>) -> Result<Value> {
    let mut args = args.into_iter();
    let value = args.next().unwrap_or_default();
    Ok(match function {
        Function::Head => match value {
            Value::Null => Value::Null,
            Value::List(items) => items.into_iter().next().unwrap_or(Value::Null),
            other => return Err(wrong_type("head", "a List", &other)),
        },
        Function::Last => match value {
            Value::Null => Value::Null,
            Value::List(items) => items.into_iter().last().unwrap_or(Value::Null),
            other => return Err(wrong_type("last", "a List", &other)),
        },
        Function::Size => match value {
            Value::Null => Value::Null,
            Value::List(items) => Value::Int(items.len() as i64),
            Value::String(s) => Value::Int(s.chars().count() as i64),
            Value::Bytes(b) => Value::Int(b.len() as i64),
            other => return Err(wrong_type("size", "a String or List", &other)),
        },
        Function::IsEmpty => match value {
            Value::Null => Value::Null,
            Value::List(items) => Value::Bool(items.is_empty()),
            Value::String(s) => Value::Bool(s.is_empty()),
            Value::Map(m) => Value::Bool(m.is_empty()),
            other => return Err(wrong_type("isEmpty", "a String, List or Map", &other)),
        },
        Function::Range => range(value, args.next().unwrap_or_default(), args.next())?,
        Function::Reverse => match value {
            Value::Null => Value::Null,
            Value::List(mut items) => {
                items.reverse();
                Value::List(items)
            }
            Value::String(s) => Value::String(s.chars().rev().collect()),
            other => return Err(wrong_type("reverse", "a String or List", &other)),
        },
        Function::Tail => match value {
            Value::Null => Value::Null,
            Value::List(items) => Value::List(items.into_iter().skip(1).collect()),
            other => return Err(wrong_type("tail", "a List", &other)),
        },
        Function::ToBooleanList
        | Function::ToFloatList
        | Function::ToIntegerList
        | Function::ToStringList => match value {
            Value::Null => Value::Null,
            Value::List(items) => Value::List(
                items
                    .iter()
                    .map(|item| {
                        let converted = match function {
                            Function::ToBooleanList => to_boolean(item),
                            Function::ToFloatList => to_float(item),
                            Function::ToIntegerList => to_integer(item),
                            _ => to_string(item),
                        };
                        converted.unwrap_or(Value::Null)
                    })
                    .collect(),
            ),
            other => return Err(wrong_type("toStringList", "a List", &other)),
        },
        Function::VectorCosine | Function::VectorEuclidean => {
            let other = args.next().unwrap_or_default();
            vector_similarity(function == Function::VectorCosine, value, other)?
        }
        _ => {
            return Err(EngineError::internal(format!(
                "{function:?} is not a list function"
            )));
        }
    })
}

/// The items `range(start, end[, step])` has: checked bounds, and how many.
pub(crate) fn range_bounds(
    start: Value,
    end: Value,
    step: Option<Value>,
) -> Result<(i64, i64, i128)> {
    let int = |v: &Value, what: &str| match v {
        Value::Int(i) => Ok(*i),
        other => Err(EngineError::argument(format!(
            "Invalid input for function 'range()': Expected the {what} argument to be an integer, got: {}",
            other.class_name()
        ))),
    };
    if start.is_null() || end.is_null() || step.as_ref().is_some_and(Value::is_null) {
        return Err(EngineError::argument(
            "Invalid input for function 'range()': null is not a valid argument",
        ));
    }
    let start = int(&start, "start")?;
    let end = int(&end, "end")?;
    let step = match step {
        Some(v) => int(&v, "step")?,
        None => 1,
    };
    if step == 0 {
        return Err(EngineError::argument("Step argument to range() can't be 0"));
    }
    let count = if (step > 0 && start > end) || (step < 0 && start < end) {
        0
    } else {
        (i128::from(end) - i128::from(start)) / i128::from(step) + 1
    };
    Ok((start, step, count))
}

fn range(start: Value, end: Value, step: Option<Value>) -> Result<Value> {
    let (start, step, count) = range_bounds(start, end, step)?;
    if count > i128::from(MAX_LIST_ITEMS) {
        return Err(EngineError::new(
            codes::OUT_OF_MEMORY,
            format!(
                "range() would build a list of {count} items, more than the limit of {MAX_LIST_ITEMS}"
            ),
        ));
    }
    let mut out = Vec::with_capacity(count as usize);
    let mut current = i128::from(start);
    for _ in 0..count {
        out.push(Value::Int(current as i64));
        current += i128::from(step);
    }
    Ok(Value::List(out))
}

fn vector_similarity(cosine: bool, a: Value, b: Value) -> Result<Value> {
    let numbers = |v: Value| -> Result<Option<Vec<f64>>> {
        match v {
            Value::Null => Ok(None),
            Value::List(items) => items
                .iter()
                .map(|i| {
                    i.as_number()
                        .ok_or_else(|| wrong_type("vector.similarity", "a List<Float>", i))
                })
                .collect::<Result<Vec<_>>>()
                .map(Some),
            other => Err(wrong_type("vector.similarity", "a List<Float>", &other)),
        }
    };
    let (Some(a), Some(b)) = (numbers(a)?, numbers(b)?) else {
        return Ok(Value::Null);
    };
    if a.len() != b.len() {
        return Err(EngineError::argument(
            "The supplied vectors do not have the same number of dimensions.",
        ));
    }
    Ok(similarity(cosine, &a, &b).map_or(Value::Null, Value::Float))
}

/// Neo4j's vector similarity in `[0, 1]`: `(1 + cos) / 2` or
/// `1 / (1 + d²)`; `None` for a zero vector under cosine.
pub(crate) fn similarity(cosine: bool, a: &[f64], b: &[f64]) -> Option<f64> {
    if cosine {
        let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
        let na: f64 = a.iter().map(|x| x * x).sum::<f64>().sqrt();
        let nb: f64 = b.iter().map(|x| x * x).sum::<f64>().sqrt();
        if na == 0.0 || nb == 0.0 {
            return None;
        }
        Some((1.0 + dot / (na * nb)) / 2.0)
    } else {
        let d2: f64 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
        Some(1.0 / (1.0 + d2))
    }
}
