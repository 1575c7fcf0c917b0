//! Equality, comparison and ordering of values, as Cypher defines them:
//!
//! - [`equals`]: `=`, three-valued (`None` is null);
//! - [`compare`]: `<` and friends, `None` when the values are not
//!   comparable (different types, null);
//! - [`order`]: the total order of `ORDER BY`, across types;
//! - [`Key`]: equivalence for `DISTINCT`, grouping and `UNION` (null is
//!   equivalent to null, `1` to `1.0`).

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use crate::engine::temporal::{self, Zone};
use crate::engine::value::Value;

fn int_float_eq(i: i64, f: f64) -> bool {
    f.fract() == 0.0
        && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f)
        && f as i64 == i
}

fn int_float_cmp(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f >= 9.223_372_036_854_776e18 {
        return Some(Ordering::Less);
    }
    if f < -9.223_372_036_854_776e18 {
        return Some(Ordering::Greater);
    }
    let truncated = f.trunc() as i64;
    match i.cmp(&truncated) {
        Ordering::Equal => 0.0f64.partial_cmp(&f.fract()),
        other => Some(other),
    }
}

fn zones_equal(a: Zone, b: Zone) -> bool {
    match (a, b) {
        (Zone::Offset(x), Zone::Offset(y)) => x == y,
        (Zone::Named(x), Zone::Named(y)) => x == y,
        _ => false,
    }
}

/// `a = b`: `None` when the answer is null.
pub(crate) fn equals(a: &Value, b: &Value) -> Option<bool> {
    use Value::*;
    Some(match (a, b) {
        (Null, _) | (_, Null) => return None,
        (Bool(x), Bool(y)) => x == y,
        (Int(x), Int(y)) => x == y,
        (Float(x), Float(y)) => x == y,
        (Int(i), Float(f)) | (Float(f), Int(i)) => int_float_eq(*i, *f),
        (String(x), String(y)) => x == y,
        (Bytes(x), Bytes(y)) => x == y,
        (List(x), List(y)) => return list_equals(x, y),
        (Map(x), Map(y)) => {
            if x.len() != y.len() || x.keys().ne(y.keys()) {
                return Some(false);
            }
            let mut unknown = false;
            for (va, vb) in x.values().zip(y.values()) {
                match equals(va, vb) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            return if unknown { None } else { Some(true) };
        }
        (Node(x), Node(y)) => x == y,
        (Rel(x), Rel(y)) => x == y,
        (Path(x), Path(y)) => x == y,
        (Date(x), Date(y)) => x == y,
        (LocalTime(x), LocalTime(y)) => x == y,
        (Time(x), Time(y)) => x.local == y.local && x.offset == y.offset,
        (LocalDateTime(x), LocalDateTime(y)) => x == y,
        (DateTime(x), DateTime(y)) => {
            x.local == y.local && zones_equal(x.zone, y.zone) && x.offset == y.offset
        }
        (Duration(x), Duration(y)) => x == y,
        (Point(x), Point(y)) => x == y,
        _ => false,
    })
}

fn list_equals(x: &[Value], y: &[Value]) -> Option<bool> {
    if x.len() != y.len() {
        return Some(false);
    }
    let mut unknown = false;
    for (va, vb) in x.iter().zip(y) {
        match equals(va, vb) {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    if unknown { None } else { Some(true) }
}

/// The order of `a` and `b` for `<`, `<=`, `>`, `>=`: `None` when they are
/// not comparable (the result is then null; NaN compares false).
pub(crate) fn compare(a: &Value, b: &Value) -> Option<Comparison> {
    use Value::*;
    let ord = match (a, b) {
        (Null, _) | (_, Null) => return None,
        (Int(x), Int(y)) => x.cmp(y),
        (Float(x), Float(y)) => match x.partial_cmp(y) {
            Some(o) => o,
            None => return Some(Comparison::NaN),
        },
        (Int(i), Float(f)) => match int_float_cmp(*i, *f) {
            Some(o) => o,
            None => return Some(Comparison::NaN),
        },
        (Float(f), Int(i)) => match int_float_cmp(*i, *f) {
            Some(o) => o.reverse(),
            None => return Some(Comparison::NaN),
        },
        (String(x), String(y)) => x.cmp(y),
        (Bool(x), Bool(y)) => x.cmp(y),
        (List(x), List(y)) => {
            for (va, vb) in x.iter().zip(y) {
                match compare(va, vb)? {
                    Comparison::Ordered(Ordering::Equal) => {}
                    other => return Some(other),
                }
            }
            x.len().cmp(&y.len())
        }
        (Date(x), Date(y)) => x.cmp(y),
        (LocalTime(x), LocalTime(y)) => x.cmp(y),
        (Time(x), Time(y)) => temporal::compare_times(x, y),
        (LocalDateTime(x), LocalDateTime(y)) => x.cmp(y),
        (DateTime(x), DateTime(y)) => x.epoch_nanos().cmp(&y.epoch_nanos()),
        _ => return None,
    };
    Some(Comparison::Ordered(ord))
}

/// The outcome of comparing two comparable values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparison {
    Ordered(Ordering),
    /// A NaN was involved: every comparison is false.
    NaN,
}

/// The rank of a value's type in the order of `ORDER BY`.
fn type_rank(v: &Value) -> u8 {
    match v {
        Value::Map(_) => 0,
        Value::Node(_) => 1,
        Value::Rel(_) => 2,
        Value::List(_) | Value::Bytes(_) => 3,
        Value::Path(_) => 4,
        Value::Point(_) => 5,
        Value::DateTime(_) => 6,
        Value::LocalDateTime(_) => 7,
        Value::Date(_) => 8,
        Value::Time(_) => 9,
        Value::LocalTime(_) => 10,
        Value::Duration(_) => 11,
        Value::String(_) => 12,
        Value::Bool(_) => 13,
        Value::Int(_) | Value::Float(_) => 14,
        Value::Null => 15,
    }
}

fn float_total(a: f64, b: f64) -> Ordering {
    // NaN sorts after every number.
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

/// The total order of `ORDER BY`, `min` and `max`: maps, nodes,
/// relationships, lists, paths, points, temporal values, durations,
/// strings, booleans, numbers, then null.
pub(crate) fn order(a: &Value, b: &Value) -> Ordering {
    use Value::*;
    let (ra, rb) = (type_rank(a), type_rank(b));
    if ra != rb {
        return ra.cmp(&rb);
    }
    match (a, b) {
        (Int(x), Int(y)) => x.cmp(y),
        (Float(x), Float(y)) => float_total(*x, *y),
        (Int(i), Float(f)) => {
            if f.is_nan() {
                Ordering::Less
            } else {
                int_float_cmp(*i, *f).unwrap_or(Ordering::Equal)
            }
        }
        (Float(f), Int(i)) => {
            if f.is_nan() {
                Ordering::Greater
            } else {
                int_float_cmp(*i, *f).unwrap_or(Ordering::Equal).reverse()
            }
        }
        (String(x), String(y)) => x.cmp(y),
        (Bool(x), Bool(y)) => x.cmp(y),
        (List(x), List(y)) => order_lists(x, y),
        (Bytes(x), Bytes(y)) => x.cmp(y),
        (List(_), Bytes(_)) => Ordering::Greater,
        (Bytes(_), List(_)) => Ordering::Less,
        (Map(x), Map(y)) => {
            let mut keys_a: Vec<&std::string::String> = x.keys().collect();
            let mut keys_b: Vec<&std::string::String> = y.keys().collect();
            keys_a.sort();
            keys_b.sort();
            keys_a.cmp(&keys_b).then_with(|| {
                for (va, vb) in x.values().zip(y.values()) {
                    let o = order(va, vb);
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                Ordering::Equal
            })
        }
        (Node(x), Node(y)) | (Rel(x), Rel(y)) => x.cmp(y),
        (Path(x), Path(y)) => {
            let nodes_a: Vec<u64> = x.nodes().collect();
            let nodes_b: Vec<u64> = y.nodes().collect();
            nodes_a
                .cmp(&nodes_b)
                .then_with(|| x.steps.iter().map(|s| s.0).cmp(y.steps.iter().map(|s| s.0)))
        }
        (Point(x), Point(y)) => x
            .crs
            .cmp(&y.crs)
            .then(float_total(x.x, y.x))
            .then(float_total(x.y, y.y))
            .then(float_total(x.z.unwrap_or(0.0), y.z.unwrap_or(0.0))),
        (DateTime(x), DateTime(y)) => temporal::compare_datetimes(x, y),
        (LocalDateTime(x), LocalDateTime(y)) => x.cmp(y),
        (Date(x), Date(y)) => x.cmp(y),
        (Time(x), Time(y)) => temporal::compare_times(x, y),
        (LocalTime(x), LocalTime(y)) => x.cmp(y),
        (Duration(x), Duration(y)) => x.average_nanos().cmp(&y.average_nanos()).then(x.cmp(y)),
        _ => Ordering::Equal,
    }
}

fn order_lists(x: &[Value], y: &[Value]) -> Ordering {
    for (va, vb) in x.iter().zip(y) {
        let o = order(va, vb);
        if o != Ordering::Equal {
            return o;
        }
    }
    x.len().cmp(&y.len())
}

/// Equivalence: like `=`, but null is equivalent to null and NaN to NaN.
pub(crate) fn equivalent(a: &Value, b: &Value) -> bool {
    use Value::*;
    match (a, b) {
        (Null, Null) => true,
        (Float(x), Float(y)) if x.is_nan() && y.is_nan() => true,
        (List(x), List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equivalent(p, q)),
        (Map(x), Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((ka, va), (kb, vb))| ka == kb && equivalent(va, vb))
        }
        _ => equals(a, b) == Some(true),
    }
}

/// A value wrapped for hashing by equivalence.
#[derive(Debug, Clone)]
pub(crate) struct Key(pub(crate) Vec<Value>);

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(&other.0).all(|(a, b)| equivalent(a, b))
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for value in &self.0 {
            hash_value(value, state);
        }
    }
}

fn hash_value<H: Hasher>(value: &Value, state: &mut H) {
    use Value::*;
    match value {
        Null => 0u8.hash(state),
        Bool(b) => b.hash(state),
        Int(i) => {
            1u8.hash(state);
            i.hash(state);
        }
        Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.2e18 {
                1u8.hash(state);
                (*f as i64).hash(state);
            } else if f.is_nan() {
                2u8.hash(state);
            } else {
                3u8.hash(state);
                f.to_bits().hash(state);
            }
        }
        String(s) => s.hash(state),
        Bytes(b) => b.hash(state),
        List(items) => {
            4u8.hash(state);
            items.len().hash(state);
            for item in items {
                hash_value(item, state);
            }
        }
        Map(map) => {
            5u8.hash(state);
            for (k, v) in map {
                k.hash(state);
                hash_value(v, state);
            }
        }
        Node(id) => (6u8, id).hash(state),
        Rel(id) => (7u8, id).hash(state),
        Path(p) => p.hash(state),
        Date(d) => d.hash(state),
        LocalTime(t) => t.hash(state),
        Time(t) => (t.local, t.offset).hash(state),
        LocalDateTime(t) => t.hash(state),
        DateTime(t) => t.local.hash(state),
        Duration(d) => d.hash(state),
        Point(p) => {
            p.crs.hash(state);
            p.x.to_bits().hash(state);
            p.y.to_bits().hash(state);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_compare_element_by_element_until_null() {
        let l = |v: Vec<Value>| Value::List(v);
        let c = compare(
            &l(vec![Value::Int(1), Value::Int(0)]),
            &l(vec![Value::Int(1)]),
        );
        assert_eq!(c, Some(Comparison::Ordered(Ordering::Greater)));
        let c = compare(
            &l(vec![Value::Int(1), Value::Int(2)]),
            &l(vec![Value::Int(1), Value::Null]),
        );
        assert_eq!(c, None);
    }

    #[test]
    fn one_and_one_point_zero_are_the_same_key() {
        assert_eq!(Key(vec![Value::Int(1)]), Key(vec![Value::Float(1.0)]));
        assert_eq!(equals(&Value::Int(1), &Value::Float(1.0)), Some(true));
        assert_eq!(equals(&Value::Null, &Value::Null), None);
    }
}
