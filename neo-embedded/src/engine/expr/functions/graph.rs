//! Functions over nodes, relationships and paths.

use super::{Function, wrong_type};
use crate::engine::error::{EngineError, Result};
use crate::engine::exec::ExecCtx;
use crate::engine::expr::eval::{node_labels, properties_of, rel_type};
use crate::engine::storage::Lookup;
use crate::engine::value::Value;

pub(super) fn call(function: Function, args: Vec<Value>, ctx: &mut ExecCtx<'_>) -> Result<Value> {
    let value = args.into_iter().next().unwrap_or_default();
    if function == Function::Exists {
        return Ok(Value::Bool(!value.is_null()));
    }
    if value.is_null() {
        return Ok(Value::Null);
    }
    Ok(match function {
        Function::Id => match value {
            Value::Node(id) | Value::Rel(id) => Value::Int(id as i64),
            other => return Err(wrong_type("id", "a Node or Relationship", &other)),
        },
        Function::ElementId => match value {
            Value::Node(id) => Value::String(ctx.node_element_id(id)),
            Value::Rel(id) => Value::String(ctx.rel_element_id(id)),
            other => return Err(wrong_type("elementId", "a Node or Relationship", &other)),
        },
        Function::StartNode | Function::EndNode => match value {
            Value::Rel(id) => match ctx.store.lookup_rel(id)? {
                Lookup::Live(data) | Lookup::Deleted(data) => {
                    Value::Node(if function == Function::StartNode {
                        data.start
                    } else {
                        data.end
                    })
                }
                Lookup::Missing => Value::Null,
            },
            other => return Err(wrong_type("startNode", "a Relationship", &other)),
        },
        Function::Length => match value {
            Value::Path(p) => Value::Int(p.steps.len() as i64),
            Value::String(s) => Value::Int(s.chars().count() as i64),
            Value::List(items) => Value::Int(items.len() as i64),
            other => return Err(wrong_type("length", "a Path", &other)),
        },
        Function::Properties => match value {
            Value::Node(_) | Value::Rel(_) | Value::Map(_) => {
                Value::Map(properties_of(&value, ctx)?)
            }
            other => {
                return Err(wrong_type(
                    "properties",
                    "a Map, Node or Relationship",
                    &other,
                ));
            }
        },
        Function::Keys => match value {
            Value::Node(_) | Value::Rel(_) | Value::Map(_) => Value::List(
                properties_of(&value, ctx)?
                    .into_iter()
                    .filter(|(_, v)| {
                        !matches!(value, Value::Node(_) | Value::Rel(_)) || !v.is_null()
                    })
                    .map(|(k, _)| Value::String(k))
                    .collect(),
            ),
            other => return Err(wrong_type("keys", "a Map, Node or Relationship", &other)),
        },
        Function::Labels => match value {
            Value::Node(id) => Value::List(
                node_labels(id, ctx)?
                    .into_iter()
                    .map(Value::String)
                    .collect(),
            ),
            other => return Err(wrong_type("labels", "a Node", &other)),
        },
        Function::Type => match value {
            Value::Rel(id) => Value::String(rel_type(id, ctx)?),
            other => return Err(wrong_type("type", "a Relationship", &other)),
        },
        Function::Nodes => match value {
            Value::Path(p) => Value::List(p.nodes().map(Value::Node).collect()),
            other => return Err(wrong_type("nodes", "a Path", &other)),
        },
        Function::Relationships => match value {
            Value::Path(p) => Value::List(p.steps.iter().map(|(r, _)| Value::Rel(*r)).collect()),
            other => return Err(wrong_type("relationships", "a Path", &other)),
        },
        _ => {
            return Err(EngineError::internal(format!(
                "{function:?} is not a graph function"
            )));
        }
    })
}
