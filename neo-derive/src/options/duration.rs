//! Duration options (`timeout`, `max_retry_time`): seconds as a number, a
//! string with a unit, or any constant `Duration` expression, the type
//! `Query::with_timeout` and `UnitOfWorkConfig::with_timeout` take.

use std::time::Duration;

use syn::{Expr, Lit, UnOp};

/// What every duration error says is accepted.
pub(crate) const ACCEPTED: &str = "a duration is a number of seconds (`1`, `0.5`), a string with \
    a unit `ms`, `s` or `m` (`\"1500ms\"`, `\"2s\"`, `\"1m\"`), or a constant `Duration` \
    (`Duration::from_millis(1500)`)";

/// A duration as written.
pub(crate) enum DurationValue {
    /// A literal, converted here.
    Literal(Duration),
    /// An expression the compiler checks to be a constant `Duration`.
    Expr(Expr),
}

/// Reads the value of the option `key`; the error says what is wrong.
pub(crate) fn parse(key: &str, expr: &Expr) -> Result<DurationValue, String> {
    let invalid = |problem: String| format!("invalid `{key}`: {problem}; {ACCEPTED}");
    match expr {
        Expr::Lit(literal) => literal_duration(&literal.lit).map(DurationValue::Literal),
        Expr::Unary(unary) if matches!(unary.op, UnOp::Neg(_)) => {
            Err("a duration cannot be negative".to_owned())
        }
        Expr::Group(group) => return parse(key, &group.expr),
        Expr::Paren(paren) => return parse(key, &paren.expr),
        other => Ok(DurationValue::Expr(other.clone())),
    }
    .map_err(invalid)
}

fn literal_duration(lit: &Lit) -> Result<Duration, String> {
    match lit {
        Lit::Int(int) if int.suffix().is_empty() => number(int.base10_digits(), Unit::Seconds),
        Lit::Float(float) if float.suffix().is_empty() => {
            number(float.base10_digits(), Unit::Seconds)
        }
        Lit::Int(int) if Unit::from_suffix(int.suffix()).is_some() => Err(format!(
            "`{int}` is not a string; write `\"{int}\"`",
            int = int.token()
        )),
        Lit::Str(text) => {
            let text = text.value();
            let trimmed = text.trim();
            let Some((digits, unit)) = Unit::split(trimmed) else {
                return Err(format!("`{trimmed}` has no unit (`ms`, `s` or `m`)"));
            };
            if digits.trim().is_empty() {
                return Err(format!("`{trimmed}` has no number"));
            }
            number(digits.trim(), unit)
        }
        Lit::Bool(_) => Err("a boolean is not a duration".to_owned()),
        _ => Err("this literal is not a duration".to_owned()),
    }
}

/// The units a string duration may end with.
#[derive(Clone, Copy)]
enum Unit {
    Milliseconds,
    Seconds,
    Minutes,
}

impl Unit {
    fn from_suffix(suffix: &str) -> Option<Unit> {
        match suffix {
            "ms" => Some(Unit::Milliseconds),
            "s" => Some(Unit::Seconds),
            "m" => Some(Unit::Minutes),
            _ => None,
        }
    }

    /// The number and the unit of `text`, such as `1500ms`.
    fn split(text: &str) -> Option<(&str, Unit)> {
        let number_end = text
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(text.len());
        let (number, suffix) = text.split_at(number_end);
        Unit::from_suffix(suffix).map(|unit| (number, unit))
    }

    fn seconds(self) -> f64 {
        match self {
            Unit::Milliseconds => 0.001,
            Unit::Seconds => 1.0,
            Unit::Minutes => 60.0,
        }
    }
}

/// `digits` in `unit`: whole numbers exactly, others to the nanosecond.
fn number(digits: &str, unit: Unit) -> Result<Duration, String> {
    if digits.starts_with('-') {
        return Err("a duration cannot be negative".to_owned());
    }
    let too_large = || format!("`{digits}` is too large");
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let whole: u64 = digits.parse().map_err(|_| too_large())?;
        return match unit {
            Unit::Milliseconds => Ok(Duration::from_millis(whole)),
            Unit::Seconds => Ok(Duration::from_secs(whole)),
            Unit::Minutes => whole
                .checked_mul(60)
                .map(Duration::from_secs)
                .ok_or_else(too_large),
        };
    }
    let value: f64 = digits
        .parse()
        .map_err(|_| format!("`{digits}` is not a number"))?;
    Duration::try_from_secs_f64(value * unit.seconds()).map_err(|_| too_large())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(tokens: &str) -> Result<Duration, String> {
        match parse("timeout", &syn::parse_str(tokens).unwrap()) {
            Ok(DurationValue::Literal(duration)) => Ok(duration),
            Ok(DurationValue::Expr(_)) => Err("an expression".to_owned()),
            Err(error) => Err(error),
        }
    }

    #[test]
    fn seconds_as_numbers() {
        assert_eq!(literal("1"), Ok(Duration::from_secs(1)));
        assert_eq!(literal("0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(literal("(2)"), Ok(Duration::from_secs(2)));
    }

    #[test]
    fn strings_with_a_unit() {
        assert_eq!(literal("\"1500ms\""), Ok(Duration::from_millis(1500)));
        assert_eq!(literal("\" 2 s \""), Ok(Duration::from_secs(2)));
        assert_eq!(literal("\"1m\""), Ok(Duration::from_secs(60)));
        assert_eq!(literal("\"1.5m\""), Ok(Duration::from_secs(90)));
        assert_eq!(literal("\"0.1s\""), Ok(Duration::from_millis(100)));
    }

    #[test]
    fn anything_else_is_a_duration_expression() {
        assert_eq!(
            literal("Duration::from_millis(5)"),
            Err("an expression".into())
        );
        assert_eq!(literal("TIMEOUT"), Err("an expression".into()));
    }

    #[test]
    fn mistakes_say_what_is_accepted() {
        let error = |tokens| literal(tokens).unwrap_err();
        assert_eq!(
            error("\"soon\""),
            format!("invalid `timeout`: `soon` has no unit (`ms`, `s` or `m`); {ACCEPTED}")
        );
        assert!(error("\"1.5h\"").contains("`1.5h` has no unit"));
        assert!(error("\"1.2.3s\"").contains("`1.2.3` is not a number"));
        assert!(error("\"s\"").contains("`s` has no number"));
        assert!(error("-1").contains("cannot be negative"));
        assert!(error("\"-1s\"").contains("cannot be negative"));
        assert!(error("true").contains("a boolean is not a duration"));
        assert!(error("1500ms").contains("`1500ms` is not a string; write `\"1500ms\"`"));
        assert!(error("1u8").contains("this literal is not a duration"));
        assert!(error("\"99999999999999999999s\"").contains("is too large"));
        assert!(error("1e300").contains("is too large"));
    }
}
