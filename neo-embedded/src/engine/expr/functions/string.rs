//! String functions.

use unicode_normalization::UnicodeNormalization;

use super::{Function, wrong_type};
use crate::engine::error::{EngineError, Result};
use crate::engine::value::Value;

fn text<'a>(name: &str, value: &'a Value) -> Result<Option<&'a str>> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        other => Err(wrong_type(name, "a String", other)),
    }
}

fn length_arg(name: &str, value: &Value) -> Result<usize> {
    match value {
        Value::Int(i) if *i >= 0 => Ok(*i as usize),
        Value::Int(i) => Err(EngineError::argument(format!(
            "Invalid input for function '{name}()': Expected a non-negative integer, got: {i}"
        ))),
        other => Err(wrong_type(name, "an Integer", other)),
    }
}

/// Unicode normalization into `form` (`NFC`, `NFD`, `NFKC`, `NFKD`).
pub(crate) fn normalize(s: &str, form: &str) -> Result<String> {
    Ok(match form.to_ascii_uppercase().as_str() {
        "NFC" => s.nfc().collect(),
        "NFD" => s.nfd().collect(),
        "NFKC" => s.nfkc().collect(),
        "NFKD" => s.nfkd().collect(),
        other => {
            return Err(EngineError::argument(format!(
                "Unknown normal form. Valid values are: NFC, NFD, NFKC, NFKD. Got: {other}"
            )));
        }
    })
}

fn trim_with(s: &str, chars: Option<&str>, leading: bool, trailing: bool) -> Result<String> {
    let matches = |c: char| match chars {
        Some(set) => set.contains(c),
        None => c.is_whitespace(),
    };
    let mut out = s;
    if leading {
        out = out.trim_start_matches(matches);
    }
    if trailing {
        out = out.trim_end_matches(matches);
    }
    Ok(out.to_owned())
}

pub(super) fn call(function: Function, args: Vec<Value>) -> Result<Value> {
    use Function::*;
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    let first = arg(0);
    Ok(match function {
        Lower => text("toLower", &first)?.map_or(Value::Null, |s| Value::String(s.to_lowercase())),
        Upper => text("toUpper", &first)?.map_or(Value::Null, |s| Value::String(s.to_uppercase())),
        CharLength => text("char_length", &first)?
            .map_or(Value::Null, |s| Value::Int(s.chars().count() as i64)),
        Trim | BTrim | LTrim | RTrim => {
            // `trim(BOTH 'x' FROM s)` arrives as (characters, source).
            let (source, chars) = if function == Trim && args.len() == 2 {
                (arg(1), Some(arg(0)))
            } else {
                (
                    first.clone(),
                    if args.len() == 2 { Some(arg(1)) } else { None },
                )
            };
            let name = match function {
                Trim => "trim",
                BTrim => "btrim",
                LTrim => "ltrim",
                _ => "rtrim",
            };
            let Some(s) = text(name, &source)? else {
                return Ok(Value::Null);
            };
            let chars = match &chars {
                None => None,
                Some(Value::Null) => return Ok(Value::Null),
                Some(v) => text(name, v)?,
            };
            let (leading, trailing) = match function {
                LTrim => (true, false),
                RTrim => (false, true),
                _ => (true, true),
            };
            Value::String(trim_with(s, chars, leading, trailing)?)
        }
        Left | Right => {
            let name = if function == Left { "left" } else { "right" };
            let length = arg(1);
            if length.is_null() {
                return Err(EngineError::argument(format!(
                    "Invalid input for function '{name}()': Expected a numeric value but got null"
                )));
            }
            let n = length_arg(name, &length)?;
            let Some(s) = text(name, &first)? else {
                return Ok(Value::Null);
            };
            let count = s.chars().count();
            Value::String(if function == Left {
                s.chars().take(n).collect()
            } else {
                s.chars().skip(count.saturating_sub(n)).collect()
            })
        }
        Replace => {
            let (search, replacement) = (arg(1), arg(2));
            let (Some(s), Some(search), Some(replacement)) = (
                text("replace", &first)?,
                text("replace", &search)?,
                text("replace", &replacement)?,
            ) else {
                return Ok(Value::Null);
            };
            Value::String(s.replace(search, replacement))
        }
        Split => {
            let Some(s) = text("split", &first)? else {
                return Ok(Value::Null);
            };
            let delimiters: Vec<String> = match arg(1) {
                Value::Null => return Ok(Value::Null),
                Value::String(d) => vec![d],
                Value::List(items) => items
                    .into_iter()
                    .map(|i| match i {
                        Value::String(d) => Ok(d),
                        other => Err(wrong_type("split", "a String or a List of Strings", &other)),
                    })
                    .collect::<Result<_>>()?,
                other => return Err(wrong_type("split", "a String", &other)),
            };
            Value::List(
                split(s, &delimiters)
                    .into_iter()
                    .map(Value::String)
                    .collect(),
            )
        }
        Substring => {
            let Some(s) = text("substring", &first)? else {
                return Ok(Value::Null);
            };
            let start = length_arg("substring", &arg(1))?;
            let chars: Vec<char> = s.chars().collect();
            let end = match args.get(2) {
                None => chars.len(),
                Some(v) => start
                    .saturating_add(length_arg("substring", v)?)
                    .min(chars.len()),
            };
            if start >= chars.len() {
                Value::String(String::new())
            } else {
                Value::String(chars[start..end].iter().collect())
            }
        }
        Normalize => {
            let Some(s) = text("normalize", &first)? else {
                return Ok(Value::Null);
            };
            let form = match args.get(1) {
                None => "NFC".to_owned(),
                Some(Value::String(f)) => f.clone(),
                Some(Value::Null) => return Ok(Value::Null),
                Some(other) => return Err(wrong_type("normalize", "a normal form", other)),
            };
            Value::String(normalize(s, &form)?)
        }
        _ => {
            return Err(EngineError::internal(format!(
                "{function:?} is not a string function"
            )));
        }
    })
}

fn split(s: &str, delimiters: &[String]) -> Vec<String> {
    if delimiters.iter().all(String::is_empty) {
        return s.chars().map(String::from).collect();
    }
    let mut out = Vec::new();
    let mut current = String::new();
    let mut rest = s;
    'outer: while !rest.is_empty() {
        for d in delimiters {
            if !d.is_empty() && rest.starts_with(d.as_str()) {
                out.push(std::mem::take(&mut current));
                rest = &rest[d.len()..];
                continue 'outer;
            }
        }
        let c = rest.chars().next().unwrap_or_default();
        current.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out.push(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_empty_pieces() {
        assert_eq!(split("a,b,,c", &[",".into()]), ["a", "b", "", "c"]);
        assert_eq!(split("ab", &["".into()]), ["a", "b"]);
    }
}
