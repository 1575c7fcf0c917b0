//! Built-in scalar functions: resolution by name (case-insensitive, with
//! the number of arguments checked when the query is planned) and
//! evaluation.

mod graph;
mod list;
mod math;
mod string;
mod temporal;

use crate::engine::error::{EngineError, Result};
use crate::engine::exec::ExecCtx;
use crate::engine::value::Value;

pub(crate) use list::{range_bounds, similarity};
pub(crate) use string::normalize;

/// The most values `collect()` gathers into one list.
pub(crate) const MAX_COLLECTED: i64 = list::MAX_LIST_ITEMS;
pub(crate) use temporal::{Clock, TemporalKind};

/// A built-in scalar function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Function {
    // Scalar and graph.
    Coalesce,
    ElementId,
    Id,
    StartNode,
    EndNode,
    Head,
    Last,
    Length,
    Size,
    Properties,
    RandomUuid,
    Timestamp,
    ToBoolean,
    ToBooleanOrNull,
    ToFloat,
    ToFloatOrNull,
    ToInteger,
    ToIntegerOrNull,
    Type,
    ValueType,
    NullIf,
    CharLength,
    Exists,
    IsEmpty,
    // Lists.
    Keys,
    Labels,
    Nodes,
    Relationships,
    Range,
    Reverse,
    Tail,
    ToBooleanList,
    ToFloatList,
    ToIntegerList,
    ToStringList,
    // Mathematics.
    Abs,
    Ceil,
    Floor,
    IsNaN,
    Rand,
    Round,
    Sign,
    E,
    Exp,
    Log,
    Log10,
    Sqrt,
    Acos,
    Asin,
    Atan,
    Atan2,
    Cos,
    Cot,
    Degrees,
    Haversin,
    Pi,
    Radians,
    Sin,
    Tan,
    // Strings.
    BTrim,
    Left,
    LTrim,
    Lower,
    Normalize,
    Replace,
    Right,
    RTrim,
    Split,
    Substring,
    ToString,
    ToStringOrNull,
    Trim,
    Upper,
    // Spatial.
    Point,
    PointDistance,
    PointWithinBBox,
    // Vectors.
    VectorCosine,
    VectorEuclidean,
    // Temporal.
    Temporal(TemporalKind, Clock),
    TemporalTruncate(TemporalKind),
    DateTimeFromEpoch,
    DateTimeFromEpochMillis,
    Duration,
    DurationBetween,
    DurationInMonths,
    DurationInDays,
    DurationInSeconds,
}

impl Function {
    /// The function named `name` (dotted names included), with the
    /// smallest and largest numbers of arguments it takes.
    pub(crate) fn resolve(name: &str) -> Option<(Function, usize, usize)> {
        use Function::*;
        let lower = name.to_ascii_lowercase();
        let many = usize::MAX;
        Some(match lower.as_str() {
            "coalesce" => (Coalesce, 1, many),
            "elementid" => (ElementId, 1, 1),
            "id" => (Id, 1, 1),
            "startnode" => (StartNode, 1, 1),
            "endnode" => (EndNode, 1, 1),
            "head" => (Head, 1, 1),
            "last" => (Last, 1, 1),
            "length" => (Length, 1, 1),
            "size" => (Size, 1, 1),
            "properties" => (Properties, 1, 1),
            "randomuuid" => (RandomUuid, 0, 0),
            "timestamp" => (Timestamp, 0, 0),
            "toboolean" => (ToBoolean, 1, 1),
            "tobooleanornull" => (ToBooleanOrNull, 1, 1),
            "tofloat" => (ToFloat, 1, 1),
            "tofloatornull" => (ToFloatOrNull, 1, 1),
            "tointeger" => (ToInteger, 1, 1),
            "tointegerornull" => (ToIntegerOrNull, 1, 1),
            "type" => (Type, 1, 1),
            "valuetype" => (ValueType, 1, 1),
            "nullif" => (NullIf, 2, 2),
            "char_length" | "character_length" => (CharLength, 1, 1),
            "exists" => (Exists, 1, 1),
            "isempty" => (IsEmpty, 1, 1),
            "keys" => (Keys, 1, 1),
            "labels" => (Labels, 1, 1),
            "nodes" => (Nodes, 1, 1),
            "relationships" => (Relationships, 1, 1),
            "range" => (Range, 2, 3),
            "reverse" => (Reverse, 1, 1),
            "tail" => (Tail, 1, 1),
            "tobooleanlist" => (ToBooleanList, 1, 1),
            "tofloatlist" => (ToFloatList, 1, 1),
            "tointegerlist" => (ToIntegerList, 1, 1),
            "tostringlist" => (ToStringList, 1, 1),
            "abs" => (Abs, 1, 1),
            "ceil" => (Ceil, 1, 1),
            "floor" => (Floor, 1, 1),
            "isnan" => (IsNaN, 1, 1),
            "rand" => (Rand, 0, 0),
            "round" => (Round, 1, 3),
            "sign" => (Sign, 1, 1),
            "e" => (E, 0, 0),
            "exp" => (Exp, 1, 1),
            "log" => (Log, 1, 1),
            "log10" => (Log10, 1, 1),
            "sqrt" => (Sqrt, 1, 1),
            "acos" => (Acos, 1, 1),
            "asin" => (Asin, 1, 1),
            "atan" => (Atan, 1, 1),
            "atan2" => (Atan2, 2, 2),
            "cos" => (Cos, 1, 1),
            "cot" => (Cot, 1, 1),
            "degrees" => (Degrees, 1, 1),
            "haversin" => (Haversin, 1, 1),
            "pi" => (Pi, 0, 0),
            "radians" => (Radians, 1, 1),
            "sin" => (Sin, 1, 1),
            "tan" => (Tan, 1, 1),
            "btrim" => (BTrim, 1, 2),
            "left" => (Left, 2, 2),
            "ltrim" => (LTrim, 1, 2),
            "lower" | "tolower" => (Lower, 1, 1),
            "normalize" => (Normalize, 1, 2),
            "replace" => (Replace, 3, 3),
            "right" => (Right, 2, 2),
            "rtrim" => (RTrim, 1, 2),
            "split" => (Split, 2, 2),
            "substring" => (Substring, 2, 3),
            "tostring" => (ToString, 1, 1),
            "tostringornull" => (ToStringOrNull, 1, 1),
            "trim" => (Trim, 1, 2),
            "upper" | "toupper" => (Upper, 1, 1),
            "point" => (Point, 1, 1),
            "point.distance" | "distance" => (PointDistance, 2, 2),
            "point.withinbbox" => (PointWithinBBox, 3, 3),
            "vector.similarity.cosine" => (VectorCosine, 2, 2),
            "vector.similarity.euclidean" => (VectorEuclidean, 2, 2),
            "datetime.fromepoch" => (DateTimeFromEpoch, 2, 2),
            "datetime.fromepochmillis" => (DateTimeFromEpochMillis, 1, 1),
            "duration" => (Duration, 1, 1),
            "duration.between" => (DurationBetween, 2, 2),
            "duration.inmonths" => (DurationInMonths, 2, 2),
            "duration.indays" => (DurationInDays, 2, 2),
            "duration.inseconds" => (DurationInSeconds, 2, 2),
            other => return temporal::resolve(other),
        })
    }
}

/// Calls `function` with evaluated arguments.
pub(crate) fn call(function: Function, args: Vec<Value>, ctx: &mut ExecCtx<'_>) -> Result<Value> {
    use Function::*;
    match function {
        Coalesce => Ok(args
            .into_iter()
            .find(|v| !v.is_null())
            .unwrap_or(Value::Null)),
        NullIf => {
            let mut args = args.into_iter();
            let (a, b) = (
                args.next().unwrap_or_default(),
                args.next().unwrap_or_default(),
            );
            Ok(if super::compare::equals(&a, &b) == Some(true) {
                Value::Null
            } else {
                a
            })
        }
        ElementId | Id | StartNode | EndNode | Length | Properties | Type | Exists | Keys
        | Labels | Nodes | Relationships => graph::call(function, args, ctx),
        Head | Last | Size | IsEmpty | Range | Reverse | Tail | ToBooleanList | ToFloatList
        | ToIntegerList | ToStringList | VectorCosine | VectorEuclidean => {
            list::call(function, args)
        }
        ValueType => Ok(Value::string(value_type(first(&args)))),
        RandomUuid => Ok(Value::String(random_uuid(ctx))),
        Timestamp => Ok(Value::Int(ctx.statement_millis())),
        Rand => Ok(Value::Float(ctx.random())),
        ToBoolean | ToBooleanOrNull | ToFloat | ToFloatOrNull | ToInteger | ToIntegerOrNull
        | ToString | ToStringOrNull => conversion(function, args),
        Abs | Ceil | Floor | IsNaN | Round | Sign | E | Exp | Log | Log10 | Sqrt | Acos | Asin
        | Atan | Atan2 | Cos | Cot | Degrees | Haversin | Pi | Radians | Sin | Tan => {
            math::call(function, args)
        }
        BTrim | Left | LTrim | Lower | Normalize | Replace | Right | RTrim | Split | Substring
        | Trim | Upper | CharLength => string::call(function, args),
        Point | PointDistance | PointWithinBBox => spatial(function, args),
        Temporal(..)
        | TemporalTruncate(_)
        | DateTimeFromEpoch
        | DateTimeFromEpochMillis
        | Duration
        | DurationBetween
        | DurationInMonths
        | DurationInDays
        | DurationInSeconds => temporal::call(function, args, ctx),
    }
}

fn first(args: &[Value]) -> &Value {
    args.first().unwrap_or(&Value::Null)
}

/// An argument of the wrong type.
pub(crate) fn wrong_type(function: &str, expected: &str, got: &Value) -> EngineError {
    EngineError::type_error(format!(
        "Invalid input for function '{function}()': Expected {expected}, got: {}",
        describe(got)
    ))
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("String(\"{s}\")"),
        Value::Int(i) => format!("Long({i})"),
        Value::Float(f) => format!("Double({})", crate::engine::value::format_float(*f)),
        Value::Bool(b) => format!("Boolean({b})"),
        other => other.class_name().to_owned(),
    }
}

/// `valueType()`: the value's type as Cypher names it.
pub(crate) fn value_type(value: &Value) -> String {
    match value {
        Value::Null => "NULL".to_owned(),
        Value::List(items) => {
            let mut kinds: Vec<String> = Vec::new();
            for item in items {
                let kind = format!("{} NOT NULL", value_type_scalar(item));
                let kind = if item.is_null() {
                    "NULL".to_owned()
                } else {
                    kind
                };
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
            }
            if kinds.is_empty() {
                "LIST<NOTHING> NOT NULL".to_owned()
            } else if kinds.len() == 1 {
                format!("LIST<{}> NOT NULL", kinds[0])
            } else {
                "LIST<ANY> NOT NULL".to_owned()
            }
        }
        other => format!("{} NOT NULL", value_type_scalar(other)),
    }
}

fn value_type_scalar(value: &Value) -> String {
    match value {
        Value::Map(_) => "MAP".to_owned(),
        Value::List(_) => value_type(value).trim_end_matches(" NOT NULL").to_owned(),
        other => other.type_name().to_owned(),
    }
}

fn random_uuid(ctx: &mut ExecCtx<'_>) -> String {
    let hi = ctx.random_u64();
    let lo = ctx.random_u64();
    let bytes: [u8; 16] = {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&hi.to_be_bytes());
        b[8..].copy_from_slice(&lo.to_be_bytes());
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        b
    };
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn conversion(function: Function, args: Vec<Value>) -> Result<Value> {
    let value = args.into_iter().next().unwrap_or_default();
    let or_null = matches!(
        function,
        Function::ToBooleanOrNull
            | Function::ToFloatOrNull
            | Function::ToIntegerOrNull
            | Function::ToStringOrNull
    );
    let converted = match function {
        Function::ToBoolean | Function::ToBooleanOrNull => to_boolean(&value),
        Function::ToFloat | Function::ToFloatOrNull => to_float(&value),
        Function::ToInteger | Function::ToIntegerOrNull => to_integer(&value),
        _ => to_string(&value),
    };
    match converted {
        Ok(v) => Ok(v),
        Err(_) if or_null => Ok(Value::Null),
        Err(e) => Err(e),
    }
}

pub(crate) fn to_boolean(value: &Value) -> Result<Value> {
    Ok(match value {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::Null,
        },
        Value::Int(i) => Value::Bool(*i != 0),
        other => {
            return Err(wrong_type(
                "toBoolean",
                "a Boolean, Integer or String",
                other,
            ));
        }
    })
}

pub(crate) fn to_float(value: &Value) -> Result<Value> {
    Ok(match value {
        Value::Null => Value::Null,
        Value::Float(f) => Value::Float(*f),
        Value::Int(i) => Value::Float(*i as f64),
        Value::String(s) => parse_float(s.trim()).map_or(Value::Null, Value::Float),
        other => return Err(wrong_type("toFloat", "a String, Float or Integer", other)),
    })
}

fn parse_float(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    if lower == "nan" || lower == "infinity" || lower == "-infinity" || lower == "inf" {
        return match lower.as_str() {
            "nan" => Some(f64::NAN),
            "infinity" | "inf" => Some(f64::INFINITY),
            _ => Some(f64::NEG_INFINITY),
        };
    }
    if s.is_empty() || s.ends_with('.') && s.len() == 1 {
        return None;
    }
    s.parse::<f64>().ok()
}

pub(crate) fn to_integer(value: &Value) -> Result<Value> {
    Ok(match value {
        Value::Null => Value::Null,
        Value::Int(i) => Value::Int(*i),
        Value::Bool(b) => Value::Int(i64::from(*b)),
        Value::Float(f) => {
            if f.is_nan() || *f >= 9.223_372_036_854_776e18 || *f < -9.223_372_036_854_776e18 {
                return Err(EngineError::argument(format!(
                    "Integer overflow: {} cannot be converted to an integer",
                    crate::engine::value::format_float(*f)
                )));
            }
            Value::Int(f.trunc() as i64)
        }
        Value::String(s) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i64>() {
                Value::Int(i)
            } else {
                match parse_float(t) {
                    Some(f) if f.is_finite() && f.abs() < 9.223_372_036_854_776e18 => {
                        Value::Int(f.trunc() as i64)
                    }
                    _ => Value::Null,
                }
            }
        }
        other => {
            return Err(wrong_type(
                "toInteger",
                "a String, Float, Integer or Boolean",
                other,
            ));
        }
    })
}

pub(crate) fn to_string(value: &Value) -> Result<Value> {
    Ok(match value {
        Value::Null => Value::Null,
        Value::String(s) => Value::String(s.clone()),
        Value::Int(_)
        | Value::Float(_)
        | Value::Bool(_)
        | Value::Date(_)
        | Value::LocalTime(_)
        | Value::Time(_)
        | Value::LocalDateTime(_)
        | Value::DateTime(_)
        | Value::Duration(_)
        | Value::Point(_) => Value::String(value.to_string()),
        other => {
            return Err(wrong_type(
                "toString",
                "a String, Float, Integer, Boolean, Temporal, Duration or Point",
                other,
            ));
        }
    })
}

/// A Java regular expression (`=~` matches the whole string), compiled.
pub(crate) fn java_regex(pattern: &str) -> Result<regex::Regex> {
    regex::Regex::new(&format!("^(?:{pattern})$"))
        .map_err(|e| EngineError::syntax(format!("Invalid Regex: {e}")))
}

fn spatial(function: Function, args: Vec<Value>) -> Result<Value> {
    use crate::engine::spatial::Point as P;
    let point = |v: &Value| -> Result<Option<P>> {
        match v {
            Value::Null => Ok(None),
            Value::Point(p) => Ok(Some(**p)),
            other => Err(wrong_type("point.distance", "a Point", other)),
        }
    };
    match function {
        Function::Point => match first(&args) {
            Value::Null => Ok(Value::Null),
            Value::Map(map) => {
                if map.values().any(Value::is_null) {
                    return Ok(Value::Null);
                }
                Ok(Value::Point(Box::new(P::from_map(map)?)))
            }
            other => Err(wrong_type("point", "a Map", other)),
        },
        Function::PointDistance => {
            let (Some(a), Some(b)) = (
                point(first(&args))?,
                point(args.get(1).unwrap_or(&Value::Null))?,
            ) else {
                return Ok(Value::Null);
            };
            Ok(a.distance(&b).map_or(Value::Null, Value::Float))
        }
        _ => {
            let p = point(first(&args))?;
            let lo = point(args.get(1).unwrap_or(&Value::Null))?;
            let hi = point(args.get(2).unwrap_or(&Value::Null))?;
            let (Some(p), Some(lo), Some(hi)) = (p, lo, hi) else {
                return Ok(Value::Null);
            };
            Ok(p.within_bbox(&lo, &hi).map_or(Value::Null, Value::Bool))
        }
    }
}
