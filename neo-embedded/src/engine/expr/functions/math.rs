//! Numeric functions.

use super::{Function, wrong_type};
use crate::engine::error::{EngineError, Result};
use crate::engine::value::Value;

fn number(name: &str, value: &Value) -> Result<Option<f64>> {
    match value {
        Value::Null => Ok(None),
        Value::Int(i) => Ok(Some(*i as f64)),
        Value::Float(f) => Ok(Some(*f)),
        other => Err(wrong_type(name, "a number", other)),
    }
}

pub(super) fn call(function: Function, args: Vec<Value>) -> Result<Value> {
    use Function::*;
    let first = args.first().cloned().unwrap_or_default();
    let unary = |name: &str, f: fn(f64) -> f64| -> Result<Value> {
        Ok(number(name, &first)?.map_or(Value::Null, |x| Value::Float(f(x))))
    };
    match function {
        Abs => Ok(match &first {
            Value::Null => Value::Null,
            Value::Int(i) => Value::Int(i.checked_abs().ok_or_else(EngineError::integer_overflow)?),
            Value::Float(f) => Value::Float(f.abs()),
            other => return Err(wrong_type("abs", "a number", other)),
        }),
        Ceil => unary("ceil", f64::ceil),
        Floor => unary("floor", f64::floor),
        IsNaN => Ok(match &first {
            Value::Null => Value::Null,
            Value::Int(_) => Value::Bool(false),
            Value::Float(f) => Value::Bool(f.is_nan()),
            other => return Err(wrong_type("isNaN", "a number", other)),
        }),
        Sign => Ok(match &first {
            Value::Null => Value::Null,
            Value::Int(i) => Value::Int(i.signum()),
            Value::Float(f) => Value::Int(if *f > 0.0 {
                1
            } else if *f < 0.0 {
                -1
            } else {
                0
            }),
            other => return Err(wrong_type("sign", "a number", other)),
        }),
        Round => round(&args),
        E => Ok(Value::Float(std::f64::consts::E)),
        Pi => Ok(Value::Float(std::f64::consts::PI)),
        Exp => unary("exp", f64::exp),
        Log => unary("log", f64::ln),
        Log10 => unary("log10", f64::log10),
        Sqrt => unary("sqrt", f64::sqrt),
        Acos => unary("acos", f64::acos),
        Asin => unary("asin", f64::asin),
        Atan => unary("atan", f64::atan),
        Cos => unary("cos", f64::cos),
        Cot => unary("cot", |x| 1.0 / x.tan()),
        Degrees => unary("degrees", f64::to_degrees),
        Haversin => unary("haversin", |x| (1.0 - x.cos()) / 2.0),
        Radians => unary("radians", f64::to_radians),
        Sin => unary("sin", f64::sin),
        Tan => unary("tan", f64::tan),
        Atan2 => {
            let second = args.get(1).cloned().unwrap_or_default();
            match (number("atan2", &first)?, number("atan2", &second)?) {
                (Some(y), Some(x)) => Ok(Value::Float(y.atan2(x))),
                _ => Ok(Value::Null),
            }
        }
        _ => Err(EngineError::internal(format!(
            "{function:?} is not a math function"
        ))),
    }
}

/// Java's `Math.round`: halves towards positive infinity.
fn java_round(x: f64) -> f64 {
    if x.is_nan() || x.is_infinite() {
        return x;
    }
    (x + 0.5).floor()
}

fn round(args: &[Value]) -> Result<Value> {
    let value = number("round", args.first().unwrap_or(&Value::Null))?;
    let Some(x) = value else {
        return Ok(Value::Null);
    };
    let precision = match args.get(1) {
        None => return Ok(Value::Float(java_round(x))),
        Some(Value::Null) => return Ok(Value::Null),
        Some(Value::Int(p)) => *p,
        Some(other) => return Err(wrong_type("round", "an integer precision", other)),
    };
    let mode = match args.get(2) {
        None => "HALF_UP".to_owned(),
        Some(Value::Null) => return Ok(Value::Null),
        Some(Value::String(s)) => s.to_ascii_uppercase(),
        Some(other) => return Err(wrong_type("round", "a rounding mode", other)),
    };
    if x.is_nan() || x.is_infinite() {
        return Ok(Value::Float(x));
    }
    if !(-30..=30).contains(&precision) {
        return Err(EngineError::argument(format!(
            "Invalid precision for round(): {precision}"
        )));
    }
    let scale = 10f64.powi(precision as i32);
    let scaled = x * scale;
    // Take the decimal digits as written, so that 2.675 rounds as 2.675.
    let text = format!("{scaled:.9}");
    let exact: f64 = text.parse().unwrap_or(scaled);
    let floor = exact.floor();
    let fraction = exact - floor;
    let half = (fraction - 0.5).abs() < 1e-9;
    let away = |v: f64| {
        if v >= 0.0 {
            v.abs().ceil() * v.signum()
        } else {
            -(v.abs().ceil())
        }
    };
    let toward = |v: f64| v.trunc();
    let rounded = match mode.as_str() {
        "UP" => away(exact),
        "DOWN" => toward(exact),
        "CEILING" => exact.ceil(),
        "FLOOR" => exact.floor(),
        "HALF_UP" => {
            if half {
                away(exact)
            } else {
                exact.round()
            }
        }
        "HALF_DOWN" => {
            if half {
                toward(exact)
            } else {
                exact.round()
            }
        }
        "HALF_EVEN" => {
            if half {
                if floor % 2.0 == 0.0 {
                    floor
                } else {
                    floor + 1.0
                }
            } else {
                exact.round()
            }
        }
        other => {
            return Err(EngineError::argument(format!(
                "Unknown rounding mode: {other}"
            )));
        }
    };
    Ok(Value::Float(rounded / scale))
}
