//! Arithmetic: numbers (integer overflow is an error), strings and lists
//! (`+`, `||`), temporal values and durations.

use crate::engine::error::{EngineError, Result};
use crate::engine::temporal::{self, Duration};
use crate::engine::value::Value;

fn mismatch(op: &str, a: &Value, b: &Value) -> EngineError {
    EngineError::type_error(format!(
        "Cannot {op} `{}` and `{}`",
        a.class_name(),
        b.class_name()
    ))
}

fn overflow() -> EngineError {
    EngineError::integer_overflow()
}

pub(crate) fn add(a: Value, b: Value) -> Result<Value> {
    use Value::*;
    Ok(match (a, b) {
        (Null, _) | (_, Null) => Null,
        (Int(x), Int(y)) => Int(x.checked_add(y).ok_or_else(overflow)?),
        (Int(x), Float(y)) => Float(x as f64 + y),
        (Float(x), Int(y)) => Float(x + y as f64),
        (Float(x), Float(y)) => Float(x + y),
        (String(mut x), String(y)) => {
            x.push_str(&y);
            String(x)
        }
        (String(x), y @ (Int(_) | Float(_) | Bool(_))) => String(format!("{x}{y}")),
        (x @ (Int(_) | Float(_) | Bool(_)), String(y)) => String(format!("{x}{y}")),
        (List(mut x), List(y)) => {
            x.extend(y);
            List(x)
        }
        (List(mut x), y) => {
            x.push(y);
            List(x)
        }
        (x, List(mut y)) => {
            y.insert(0, x);
            List(y)
        }
        (Duration(x), Duration(y)) => Duration(Box::new(x.add(*y)?)),
        (Duration(d), t) | (t, Duration(d)) if is_temporal(&t) => temporal_plus(t, &d, false)?,
        (a, b) => return Err(mismatch("add", &a, &b)),
    })
}

fn is_temporal(value: &Value) -> bool {
    matches!(
        value,
        Value::Date(_)
            | Value::LocalTime(_)
            | Value::Time(_)
            | Value::LocalDateTime(_)
            | Value::DateTime(_)
    )
}

fn temporal_plus(value: Value, d: &Duration, negate: bool) -> Result<Value> {
    Ok(match value {
        Value::Date(x) => Value::Date(temporal::date_plus(x, d, negate)?),
        Value::LocalTime(x) => Value::LocalTime(temporal::local_time_plus(x, d, negate)),
        Value::Time(x) => Value::Time(temporal::time_plus(x, d, negate)),
        Value::LocalDateTime(x) => {
            Value::LocalDateTime(temporal::local_datetime_plus(x, d, negate)?)
        }
        Value::DateTime(x) => Value::DateTime(Box::new(temporal::datetime_plus(*x, d, negate)?)),
        other => other,
    })
}

pub(crate) fn concat(a: Value, b: Value) -> Result<Value> {
    use Value::*;
    Ok(match (a, b) {
        (Null, _) | (_, Null) => Null,
        (String(mut x), String(y)) => {
            x.push_str(&y);
            String(x)
        }
        (List(mut x), List(y)) => {
            x.extend(y);
            List(x)
        }
        (a, b) => return Err(mismatch("concatenate", &a, &b)),
    })
}

pub(crate) fn sub(a: Value, b: Value) -> Result<Value> {
    use Value::*;
    Ok(match (a, b) {
        (Null, _) | (_, Null) => Null,
        (Int(x), Int(y)) => Int(x.checked_sub(y).ok_or_else(overflow)?),
        (Int(x), Float(y)) => Float(x as f64 - y),
        (Float(x), Int(y)) => Float(x - y as f64),
        (Float(x), Float(y)) => Float(x - y),
        (Duration(x), Duration(y)) => Duration(Box::new(x.sub(*y)?)),
        (t, Duration(d)) if is_temporal(&t) => temporal_plus(t, &d, true)?,
        (a, b) => return Err(mismatch("subtract", &a, &b)),
    })
}

pub(crate) fn mul(a: Value, b: Value) -> Result<Value> {
    use Value::*;
    Ok(match (a, b) {
        (Null, _) | (_, Null) => Null,
        (Int(x), Int(y)) => Int(x.checked_mul(y).ok_or_else(overflow)?),
        (Int(x), Float(y)) => Float(x as f64 * y),
        (Float(x), Int(y)) => Float(x * y as f64),
        (Float(x), Float(y)) => Float(x * y),
        (Duration(d), Int(n)) | (Int(n), Duration(d)) => Duration(Box::new(d.mul_int(n)?)),
        (Duration(d), Float(f)) | (Float(f), Duration(d)) => Duration(Box::new(d.mul_float(f)?)),
        (a, b) => return Err(mismatch("multiply", &a, &b)),
    })
}

pub(crate) fn div(a: Value, b: Value) -> Result<Value> {
    use Value::*;
    Ok(match (a, b) {
        (Null, _) | (_, Null) => Null,
        (Int(_), Int(0)) => return Err(EngineError::arithmetic("/ by zero")),
        (Int(x), Int(y)) => Int(x.checked_div(y).ok_or_else(overflow)?),
        (Int(x), Float(y)) => Float(x as f64 / y),
        (Float(x), Int(y)) => Float(x / y as f64),
        (Float(x), Float(y)) => Float(x / y),
        (Duration(d), Int(n)) => Duration(Box::new(d.div(n as f64)?)),
        (Duration(d), Float(f)) => Duration(Box::new(d.div(f)?)),
        (a, b) => return Err(mismatch("divide", &a, &b)),
    })
}

pub(crate) fn rem(a: Value, b: Value) -> Result<Value> {
    use Value::*;
    Ok(match (a, b) {
        (Null, _) | (_, Null) => Null,
        (Int(_), Int(0)) => return Err(EngineError::arithmetic("/ by zero")),
        (Int(x), Int(y)) => Int(x.checked_rem(y).unwrap_or(0)),
        (Int(x), Float(y)) => Float(x as f64 % y),
        (Float(x), Int(y)) => Float(x % y as f64),
        (Float(x), Float(y)) => Float(x % y),
        (a, b) => return Err(mismatch("compute the remainder of", &a, &b)),
    })
}

pub(crate) fn pow(a: Value, b: Value) -> Result<Value> {
    use Value::*;
    Ok(match (a, b) {
        (Null, _) | (_, Null) => Null,
        (a, b) => match (a.as_number(), b.as_number()) {
            (Some(x), Some(y)) => Float(x.powf(y)),
            _ => return Err(mismatch("raise", &a, &b)),
        },
    })
}

pub(crate) fn neg(a: Value) -> Result<Value> {
    Ok(match a {
        Value::Null => Value::Null,
        Value::Int(x) => Value::Int(x.checked_neg().ok_or_else(overflow)?),
        Value::Float(x) => Value::Float(-x),
        Value::Duration(d) => Value::Duration(Box::new(d.negate()?)),
        other => {
            return Err(EngineError::type_error(format!(
                "Cannot negate `{}`",
                other.class_name()
            )));
        }
    })
}
