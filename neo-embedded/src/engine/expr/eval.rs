//! Evaluation of compiled expressions over a row.

use std::collections::BTreeMap;

use super::compare::{self, Comparison};
use super::{
    BinOp, Expr, LabelPredicate, MapItem, PathPiece, Quantifier, SubqueryMode, functions, ops,
};
use crate::engine::error::{EngineError, Result};
use crate::engine::exec::{ExecCtx, Row, run_subplan};
use crate::engine::storage::Lookup;
use crate::engine::temporal;
use crate::engine::value::{NodeId, RelId, Value};

/// Evaluates `expr` over `row`. Comprehension variables are written into
/// the row's slots while they are in scope.
pub(crate) fn eval(expr: &Expr, row: &mut Row, ctx: &mut ExecCtx<'_>) -> Result<Value> {
    Ok(match expr {
        Expr::Const(v) => v.clone(),
        Expr::Param(name) => ctx.parameter(name)?,
        Expr::Slot(slot) => row.get(*slot).cloned().unwrap_or(Value::Null),
        Expr::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(eval(item, row, ctx)?);
            }
            Value::List(out)
        }
        Expr::Map(entries) => {
            let mut out = BTreeMap::new();
            for (key, value) in entries {
                let v = eval(value, row, ctx)?;
                out.insert(key.clone(), v);
            }
            Value::Map(out)
        }
        Expr::Property(base, key) => {
            let base = eval(base, row, ctx)?;
            property_of(&base, key, ctx)?
        }
        Expr::Index(base, index) => {
            let base = eval(base, row, ctx)?;
            let index = eval(index, row, ctx)?;
            index_of(base, index, ctx)?
        }
        Expr::Slice(base, from, to) => {
            let base = eval(base, row, ctx)?;
            let from = match from {
                Some(e) => Some(eval(e, row, ctx)?),
                None => None,
            };
            let to = match to {
                Some(e) => Some(eval(e, row, ctx)?),
                None => None,
            };
            slice(base, from, to)?
        }
        Expr::HasLabels(base, predicate) => {
            let base = eval(base, row, ctx)?;
            match base {
                Value::Null => Value::Null,
                Value::Node(id) => {
                    let labels = node_labels(id, ctx)?;
                    Value::Bool(labels_match(predicate, &labels, row, ctx)?)
                }
                Value::Rel(id) => {
                    let rel_type = rel_type(id, ctx)?;
                    Value::Bool(labels_match(predicate, &[rel_type], row, ctx)?)
                }
                other => {
                    return Err(EngineError::type_error(format!(
                        "Type mismatch: expected Node or Relationship but was {}",
                        other.class_name()
                    )));
                }
            }
        }
        Expr::Not(inner) => match eval(inner, row, ctx)? {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(!b),
            other => return Err(boolean_expected(&other)),
        },
        Expr::Neg(inner) => ops::neg(eval(inner, row, ctx)?)?,
        Expr::Binary(op, a, b) => binary(*op, a, b, row, ctx)?,
        Expr::IsNull(inner, negated) => {
            let v = eval(inner, row, ctx)?;
            Value::Bool(v.is_null() != *negated)
        }
        Expr::IsType(inner, negated, ty) => {
            let v = eval(inner, row, ctx)?;
            Value::Bool(ty.matches(&v) != *negated)
        }
        Expr::IsNormalized(inner, negated, form) => {
            let v = eval(inner, row, ctx)?;
            match v {
                Value::Null => Value::Null,
                Value::String(s) => {
                    let normalized = functions::normalize(&s, form)?;
                    Value::Bool((normalized == s) != *negated)
                }
                other => {
                    return Err(EngineError::type_error(format!(
                        "Type mismatch: expected String but was {}",
                        other.class_name()
                    )));
                }
            }
        }
        Expr::Call(function, args) => {
            let mut values = Vec::with_capacity(args.len());
            for arg in args {
                values.push(eval(arg, row, ctx)?);
            }
            functions::call(*function, values, ctx)?
        }
        Expr::Case {
            operand,
            whens,
            otherwise,
        } => {
            if let Some(operand) = operand {
                let value = eval(operand, row, ctx)?;
                for (test, result) in whens {
                    let candidate = eval(test, row, ctx)?;
                    if compare::equals(&value, &candidate) == Some(true) {
                        return eval(result, row, ctx);
                    }
                }
            } else {
                for (test, result) in whens {
                    if eval(test, row, ctx)?.as_bool() == Some(true) {
                        return eval(result, row, ctx);
                    }
                }
            }
            match otherwise {
                Some(e) => eval(e, row, ctx)?,
                None => Value::Null,
            }
        }
        Expr::ListComprehension {
            slot,
            list,
            filter,
            map,
        } => {
            let items = match eval(list, row, ctx)? {
                Value::Null => return Ok(Value::Null),
                Value::List(items) => items,
                other => return Err(list_expected(&other)),
            };
            let saved = row[*slot].clone();
            let mut out = Vec::new();
            for item in items {
                row[*slot] = item;
                if let Some(filter) = filter
                    && eval(filter, row, ctx)?.as_bool() != Some(true)
                {
                    continue;
                }
                let value = match map {
                    Some(map) => eval(map, row, ctx)?,
                    None => row[*slot].clone(),
                };
                out.push(value);
            }
            row[*slot] = saved;
            Value::List(out)
        }
        Expr::Quantified {
            kind,
            slot,
            list,
            predicate,
        } => {
            let items = match eval(list, row, ctx)? {
                Value::Null => return Ok(Value::Null),
                Value::List(items) => items,
                other => return Err(list_expected(&other)),
            };
            let saved = row[*slot].clone();
            let (mut trues, mut falses, mut nulls) = (0usize, 0usize, 0usize);
            for item in items {
                row[*slot] = item;
                match eval(predicate, row, ctx)? {
                    Value::Bool(true) => trues += 1,
                    Value::Bool(false) => falses += 1,
                    Value::Null => nulls += 1,
                    other => {
                        row[*slot] = saved;
                        return Err(boolean_expected(&other));
                    }
                }
                // Stop early where the answer is settled.
                match kind {
                    Quantifier::All if falses > 0 => break,
                    Quantifier::Any | Quantifier::None if trues > 0 => break,
                    Quantifier::Single if trues > 1 => break,
                    _ => {}
                }
            }
            row[*slot] = saved;
            match kind {
                Quantifier::All => {
                    if falses > 0 {
                        Value::Bool(false)
                    } else if nulls > 0 {
                        Value::Null
                    } else {
                        Value::Bool(true)
                    }
                }
                Quantifier::Any => {
                    if trues > 0 {
                        Value::Bool(true)
                    } else if nulls > 0 {
                        Value::Null
                    } else {
                        Value::Bool(false)
                    }
                }
                Quantifier::None => {
                    if trues > 0 {
                        Value::Bool(false)
                    } else if nulls > 0 {
                        Value::Null
                    } else {
                        Value::Bool(true)
                    }
                }
                Quantifier::Single => {
                    if trues > 1 {
                        Value::Bool(false)
                    } else if nulls > 0 {
                        Value::Null
                    } else {
                        Value::Bool(trues == 1)
                    }
                }
            }
        }
        Expr::Reduce {
            accumulator,
            init,
            slot,
            list,
            expr,
        } => {
            let initial = eval(init, row, ctx)?;
            let items = match eval(list, row, ctx)? {
                Value::Null => return Ok(Value::Null),
                Value::List(items) => items,
                other => return Err(list_expected(&other)),
            };
            let saved = (row[*accumulator].clone(), row[*slot].clone());
            row[*accumulator] = initial;
            for item in items {
                row[*slot] = item;
                let next = eval(expr, row, ctx)?;
                row[*accumulator] = next;
            }
            let result = std::mem::replace(&mut row[*accumulator], saved.0);
            row[*slot] = saved.1;
            result
        }
        Expr::Subquery { mode, plan, column } => {
            let mut rows = run_subplan(plan, row.clone(), ctx)?;
            match mode {
                SubqueryMode::Exists => Value::Bool(rows.next_row(ctx)?.is_some()),
                SubqueryMode::Count => {
                    let mut n = 0i64;
                    while rows.next_row(ctx)?.is_some() {
                        n += 1;
                    }
                    Value::Int(n)
                }
                SubqueryMode::Collect => {
                    let mut out = Vec::new();
                    while let Some(r) = rows.next_row(ctx)? {
                        out.push(
                            column
                                .and_then(|c| r.get(c).cloned())
                                .unwrap_or(Value::Null),
                        );
                    }
                    Value::List(out)
                }
            }
        }
        Expr::MapProjection(base, items) => {
            let base = eval(base, row, ctx)?;
            let all = match &base {
                Value::Null => return Ok(Value::Null),
                Value::Node(_) | Value::Rel(_) | Value::Map(_) => properties_of(&base, ctx)?,
                other => {
                    return Err(EngineError::type_error(format!(
                        "Type mismatch: expected Map, Node or Relationship but was {}",
                        other.class_name()
                    )));
                }
            };
            let mut out = BTreeMap::new();
            for item in items {
                match item {
                    MapItem::Property(key) => {
                        out.insert(key.clone(), all.get(key).cloned().unwrap_or(Value::Null));
                    }
                    MapItem::All => {
                        for (k, v) in &all {
                            out.insert(k.clone(), v.clone());
                        }
                    }
                    MapItem::Entry(key, expr) => {
                        let v = eval(expr, row, ctx)?;
                        out.insert(key.clone(), v);
                    }
                }
            }
            Value::Map(out)
        }
        Expr::Path(pieces) => build_path(pieces, row, ctx)?,
        Expr::Let(slot, value, body) => {
            let value = eval(value, row, ctx)?;
            let saved = std::mem::replace(&mut row[*slot], value);
            let result = eval(body, row, ctx);
            row[*slot] = saved;
            result?
        }
    })
}

fn build_path(pieces: &[PathPiece], row: &Row, ctx: &mut ExecCtx<'_>) -> Result<Value> {
    let mut start = None;
    let mut current: Option<NodeId> = None;
    let mut steps: Vec<(RelId, NodeId)> = Vec::new();
    let mut pending_rel: Option<RelId> = None;
    for piece in pieces {
        match *piece {
            PathPiece::Node(slot) => {
                let Value::Node(id) = row[slot] else {
                    return Ok(Value::Null);
                };
                match pending_rel.take() {
                    Some(rel) => steps.push((rel, id)),
                    None if start.is_none() => start = Some(id),
                    None => {}
                }
                current = Some(id);
            }
            PathPiece::Rel(slot) => match &row[slot] {
                Value::Rel(id) => pending_rel = Some(*id),
                _ => return Ok(Value::Null),
            },
            PathPiece::Rels(slot) => {
                let rels = match &row[slot] {
                    Value::List(items) => items.clone(),
                    Value::Rel(id) => vec![Value::Rel(*id)],
                    _ => return Ok(Value::Null),
                };
                for rel in rels {
                    let Value::Rel(id) = rel else {
                        return Ok(Value::Null);
                    };
                    let Some(at) = current else {
                        return Ok(Value::Null);
                    };
                    let data = match ctx.store.lookup_rel(id)? {
                        Lookup::Live(d) | Lookup::Deleted(d) => d,
                        Lookup::Missing => return Ok(Value::Null),
                    };
                    let next = if data.start == at {
                        data.end
                    } else {
                        data.start
                    };
                    steps.push((id, next));
                    current = Some(next);
                }
            }
        }
    }
    match start {
        Some(start) => Ok(Value::Path(Box::new(crate::engine::value::PathValue {
            start,
            steps,
        }))),
        None => Ok(Value::Null),
    }
}

/// Evaluates a predicate: true only for `true` (null and false filter out).
pub(crate) fn eval_predicate(expr: &Expr, row: &mut Row, ctx: &mut ExecCtx<'_>) -> Result<bool> {
    match eval(expr, row, ctx)? {
        Value::Bool(b) => Ok(b),
        Value::Null => Ok(false),
        other => Err(boolean_expected(&other)),
    }
}

fn boolean_expected(value: &Value) -> EngineError {
    EngineError::type_error(format!(
        "Type mismatch: expected Boolean but was {}",
        value.class_name()
    ))
}

fn list_expected(value: &Value) -> EngineError {
    EngineError::type_error(format!(
        "Type mismatch: expected List<T> but was {}",
        value.class_name()
    ))
}

fn truth(value: Value) -> Result<Option<bool>> {
    match value {
        Value::Bool(b) => Ok(Some(b)),
        Value::Null => Ok(None),
        other => Err(boolean_expected(&other)),
    }
}

fn binary(op: BinOp, a: &Expr, b: &Expr, row: &mut Row, ctx: &mut ExecCtx<'_>) -> Result<Value> {
    match op {
        BinOp::And => {
            let left = truth(eval(a, row, ctx)?)?;
            if left == Some(false) {
                return Ok(Value::Bool(false));
            }
            let right = truth(eval(b, row, ctx)?)?;
            return Ok(match (left, right) {
                (_, Some(false)) => Value::Bool(false),
                (Some(true), Some(true)) => Value::Bool(true),
                _ => Value::Null,
            });
        }
        BinOp::Or => {
            let left = truth(eval(a, row, ctx)?)?;
            if left == Some(true) {
                return Ok(Value::Bool(true));
            }
            let right = truth(eval(b, row, ctx)?)?;
            return Ok(match (left, right) {
                (_, Some(true)) => Value::Bool(true),
                (Some(false), Some(false)) => Value::Bool(false),
                _ => Value::Null,
            });
        }
        BinOp::Xor => {
            let left = truth(eval(a, row, ctx)?)?;
            let right = truth(eval(b, row, ctx)?)?;
            return Ok(match (left, right) {
                (Some(x), Some(y)) => Value::Bool(x != y),
                _ => Value::Null,
            });
        }
        _ => {}
    }
    let left = eval(a, row, ctx)?;
    let right = eval(b, row, ctx)?;
    Ok(match op {
        BinOp::Eq => compare::equals(&left, &right).into(),
        BinOp::Neq => compare::equals(&left, &right).map(|b| !b).into(),
        BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge => match compare::compare(&left, &right) {
            None => Value::Null,
            Some(Comparison::NaN) => Value::Bool(false),
            Some(Comparison::Ordered(o)) => Value::Bool(match op {
                BinOp::Lt => o.is_lt(),
                BinOp::Gt => o.is_gt(),
                BinOp::Le => o.is_le(),
                _ => o.is_ge(),
            }),
        },
        BinOp::Regex => match (&left, &right) {
            (Value::String(text), Value::String(pattern)) => {
                Value::Bool(ctx.regex(pattern)?.is_match(text))
            }
            _ => Value::Null,
        },
        BinOp::StartsWith | BinOp::EndsWith | BinOp::Contains => match (&left, &right) {
            (Value::String(x), Value::String(y)) => Value::Bool(match op {
                BinOp::StartsWith => x.starts_with(y.as_str()),
                BinOp::EndsWith => x.ends_with(y.as_str()),
                _ => x.contains(y.as_str()),
            }),
            _ => Value::Null,
        },
        BinOp::In => match right {
            Value::Null => Value::Null,
            Value::List(items) => {
                let mut unknown = false;
                for item in &items {
                    match compare::equals(&left, item) {
                        Some(true) => return Ok(Value::Bool(true)),
                        None => unknown = true,
                        Some(false) => {}
                    }
                }
                if unknown {
                    Value::Null
                } else {
                    Value::Bool(false)
                }
            }
            other => {
                return Err(EngineError::type_error(format!(
                    "Type mismatch: expected List<T> but was {}",
                    other.class_name()
                )));
            }
        },
        BinOp::Concat => ops::concat(left, right)?,
        BinOp::Add => ops::add(left, right)?,
        BinOp::Sub => ops::sub(left, right)?,
        BinOp::Mul => ops::mul(left, right)?,
        BinOp::Div => ops::div(left, right)?,
        BinOp::Mod => ops::rem(left, right)?,
        BinOp::Pow => ops::pow(left, right)?,
        BinOp::And | BinOp::Or | BinOp::Xor => Value::Null,
    })
}

/// Whether the names satisfy a label expression.
pub(crate) fn labels_match(
    predicate: &LabelPredicate,
    labels: &[String],
    row: &mut Row,
    ctx: &mut ExecCtx<'_>,
) -> Result<bool> {
    Ok(match predicate {
        LabelPredicate::Name(name) => labels.iter().any(|l| l == name),
        LabelPredicate::Any => !labels.is_empty(),
        LabelPredicate::Dynamic { expr, any } => {
            let names = dynamic_names(expr, row, ctx)?;
            if *any {
                names.iter().any(|n| labels.contains(n))
            } else {
                names.iter().all(|n| labels.contains(n))
            }
        }
        LabelPredicate::Not(inner) => !labels_match(inner, labels, row, ctx)?,
        LabelPredicate::And(items) => {
            for item in items {
                if !labels_match(item, labels, row, ctx)? {
                    return Ok(false);
                }
            }
            true
        }
        LabelPredicate::Or(items) => {
            for item in items {
                if labels_match(item, labels, row, ctx)? {
                    return Ok(true);
                }
            }
            false
        }
    })
}

/// The names a dynamic label expression `$(expr)` gives: a string or a
/// list of strings.
pub(crate) fn dynamic_names(
    expr: &Expr,
    row: &mut Row,
    ctx: &mut ExecCtx<'_>,
) -> Result<Vec<String>> {
    let invalid = |v: &Value| {
        EngineError::type_error(format!(
            "Expected a string or a list of strings for a dynamic label, but was {}",
            v.class_name()
        ))
    };
    match eval(expr, row, ctx)? {
        Value::String(s) => Ok(vec![s]),
        Value::List(items) => items
            .into_iter()
            .map(|i| match i {
                Value::String(s) => Ok(s),
                other => Err(invalid(&other)),
            })
            .collect(),
        other => Err(invalid(&other)),
    }
}

fn deleted_node(id: NodeId) -> EngineError {
    EngineError::entity_not_found(format!(
        "Node with id {id} has been deleted in this transaction"
    ))
}

fn deleted_rel(id: RelId) -> EngineError {
    EngineError::entity_not_found(format!(
        "Relationship with id {id} has been deleted in this transaction"
    ))
}

/// The labels of a live node.
pub(crate) fn node_labels(id: NodeId, ctx: &mut ExecCtx<'_>) -> Result<Vec<String>> {
    match ctx.store.lookup_node(id)? {
        Lookup::Live(data) => Ok(data.labels.clone()),
        Lookup::Deleted(_) | Lookup::Missing => Err(deleted_node(id)),
    }
}

/// The type of a relationship, also when deleted in this transaction.
pub(crate) fn rel_type(id: RelId, ctx: &mut ExecCtx<'_>) -> Result<String> {
    match ctx.store.lookup_rel(id)? {
        Lookup::Live(data) | Lookup::Deleted(data) => Ok(data.rel_type.clone()),
        Lookup::Missing => Err(deleted_rel(id)),
    }
}

/// The properties of a node, relationship or map.
pub(crate) fn properties_of(
    value: &Value,
    ctx: &mut ExecCtx<'_>,
) -> Result<BTreeMap<String, Value>> {
    match value {
        Value::Node(id) => match ctx.store.lookup_node(*id)? {
            Lookup::Live(data) => Ok(data.props.clone()),
            _ => Err(deleted_node(*id)),
        },
        Value::Rel(id) => match ctx.store.lookup_rel(*id)? {
            Lookup::Live(data) => Ok(data.props.clone()),
            _ => Err(deleted_rel(*id)),
        },
        Value::Map(map) => Ok(map.clone()),
        other => Err(EngineError::type_error(format!(
            "Type mismatch: expected Map, Node or Relationship but was {}",
            other.class_name()
        ))),
    }
}

/// `value.key`.
pub(crate) fn property_of(value: &Value, key: &str, ctx: &mut ExecCtx<'_>) -> Result<Value> {
    Ok(match value {
        Value::Null => Value::Null,
        Value::Node(id) => match ctx.store.lookup_node(*id)? {
            Lookup::Live(data) => data.props.get(key).cloned().unwrap_or(Value::Null),
            _ => return Err(deleted_node(*id)),
        },
        Value::Rel(id) => match ctx.store.lookup_rel(*id)? {
            Lookup::Live(data) => data.props.get(key).cloned().unwrap_or(Value::Null),
            _ => return Err(deleted_rel(*id)),
        },
        Value::Map(map) => map.get(key).cloned().unwrap_or(Value::Null),
        Value::Point(p) => p.component(key).ok_or_else(|| no_component(value, key))?,
        Value::Date(d) => temporal::date_component(*d, key)
            .map(Value::Int)
            .ok_or_else(|| no_component(value, key))?,
        Value::LocalTime(t) => temporal::time_component(*t, key)
            .map(Value::Int)
            .ok_or_else(|| no_component(value, key))?,
        Value::Time(t) => match temporal::time_component(t.local, key) {
            Some(v) => Value::Int(v),
            None => zone_value(temporal::zone_component(
                t.offset,
                temporal::Zone::Offset(t.offset),
                key,
            ))
            .ok_or_else(|| no_component(value, key))?,
        },
        Value::LocalDateTime(dt) => temporal::date_component(dt.date, key)
            .or_else(|| temporal::time_component(dt.time, key))
            .map(Value::Int)
            .ok_or_else(|| no_component(value, key))?,
        Value::DateTime(dt) => {
            if let Some(v) = temporal::date_component(dt.local.date, key)
                .or_else(|| temporal::time_component(dt.local.time, key))
                .or_else(|| temporal::epoch_component(**dt, key))
            {
                Value::Int(v)
            } else {
                zone_value(temporal::zone_component(dt.offset, dt.zone, key))
                    .ok_or_else(|| no_component(value, key))?
            }
        }
        Value::Duration(d) => d
            .component(key)
            .map(Value::Int)
            .ok_or_else(|| no_component(value, key))?,
        other => {
            return Err(EngineError::type_error(format!(
                "Type mismatch: expected a map but was {}",
                other.class_name()
            )));
        }
    })
}

fn zone_value(component: Option<temporal::ZoneComponent>) -> Option<Value> {
    component.map(|c| match c {
        temporal::ZoneComponent::Text(s) => Value::String(s),
        temporal::ZoneComponent::Number(n) => Value::Int(n),
    })
}

fn no_component(value: &Value, key: &str) -> EngineError {
    EngineError::argument(format!("No such field: {key} on a {}", value.type_name()))
}

fn index_of(base: Value, index: Value, ctx: &mut ExecCtx<'_>) -> Result<Value> {
    Ok(match (base, index) {
        (Value::Null, _) | (_, Value::Null) => Value::Null,
        (Value::List(items), Value::Int(i)) => {
            let len = items.len() as i64;
            let i = if i < 0 { len + i } else { i };
            if (0..len).contains(&i) {
                items.into_iter().nth(i as usize).unwrap_or(Value::Null)
            } else {
                Value::Null
            }
        }
        (Value::List(_), other) => {
            return Err(EngineError::type_error(format!(
                "Cannot access a list element with a non-integer index: {}",
                other.class_name()
            )));
        }
        (base @ (Value::Map(_) | Value::Node(_) | Value::Rel(_)), Value::String(key)) => {
            property_of(&base, &key, ctx)?
        }
        (Value::Map(_) | Value::Node(_) | Value::Rel(_), other) => {
            return Err(EngineError::type_error(format!(
                "Expected map key to be a string but was {}",
                other.class_name()
            )));
        }
        (base, _) => {
            return Err(EngineError::type_error(format!(
                "Type mismatch: expected a list or a map but was {}",
                base.class_name()
            )));
        }
    })
}

fn slice(base: Value, from: Option<Value>, to: Option<Value>) -> Result<Value> {
    let bound = |v: Option<Value>| -> Result<Option<Option<i64>>> {
        match v {
            None => Ok(Some(None)),
            Some(Value::Null) => Ok(None),
            Some(Value::Int(i)) => Ok(Some(Some(i))),
            Some(other) => Err(EngineError::type_error(format!(
                "Type mismatch: expected Integer but was {}",
                other.class_name()
            ))),
        }
    };
    let items = match base {
        Value::Null => return Ok(Value::Null),
        Value::List(items) => items,
        other => {
            return Err(EngineError::type_error(format!(
                "Type mismatch: expected List<T> but was {}",
                other.class_name()
            )));
        }
    };
    let (Some(from), Some(to)) = (bound(from)?, bound(to)?) else {
        return Ok(Value::Null);
    };
    let len = items.len() as i64;
    let resolve = |i: i64| if i < 0 { (len + i).max(0) } else { i.min(len) };
    let start = from.map_or(0, resolve);
    let end = to.map_or(len, resolve);
    if start >= end {
        return Ok(Value::List(Vec::new()));
    }
    Ok(Value::List(
        items
            .into_iter()
            .skip(start as usize)
            .take((end - start) as usize)
            .collect(),
    ))
}
