//! `db.schema.nodeTypeProperties()` and `db.schema.relTypeProperties()`,
//! computed by scanning the graph in the statement's transaction, with
//! Neo4j 5's columns and value shapes:
//!
//! - `nodeTypeProperties`: `nodeType` (":`Person`", labels sorted, an
//!   empty string for nodes without labels), `nodeLabels`, `propertyName`,
//!   `propertyTypes` (such as `["String"]`, `["Long", "String"]`) and
//!   `mandatory` (the property is on every node with exactly that label
//!   set); a label set whose nodes have no property gives one row with
//!   `propertyName` and `propertyTypes` null and `mandatory` false.
//! - `relTypeProperties`: `relType` (":`ACTED_IN`"), `propertyName`,
//!   `propertyTypes`, `mandatory`, likewise.
//!
//! Type names are Neo4j's storage names: `String`, `Long`, `Double`,
//! `Boolean`, `Date`, `Time`, `LocalTime`, `DateTime`, `LocalDateTime`,
//! `Duration`, `Point`, `ByteArray`, and `<name>Array` for lists; an empty
//! list counts as a `StringArray` unless the property also holds a typed
//! list.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::error::Result;
use crate::engine::exec::ExecCtx;
use crate::engine::value::Value;

/// How many ids one step of a scan reads.
const CHUNK: usize = 1024;

/// What the entities of one node type or relationship type hold.
#[derive(Debug, Default)]
struct TypeSummary {
    entities: u64,
    properties: BTreeMap<String, PropertySummary>,
}

/// One property of a type: on how many entities, with which value types.
#[derive(Debug, Default)]
struct PropertySummary {
    entities: u64,
    types: BTreeSet<&'static str>,
    empty_list: bool,
}

impl TypeSummary {
    fn observe(&mut self, properties: &BTreeMap<String, Value>) {
        self.entities += 1;
        for (name, value) in properties {
            if value.is_null() {
                continue;
            }
            let summary = self.properties.entry(name.clone()).or_default();
            summary.entities += 1;
            match type_name(value) {
                Some(name) => {
                    summary.types.insert(name);
                }
                None => summary.empty_list = true,
            }
        }
    }

    fn rows(&self, prefix: &[Value], out: &mut Vec<Vec<Value>>) {
        if self.properties.is_empty() {
            let mut row = prefix.to_vec();
            row.extend([Value::Null, Value::Null, Value::Bool(false)]);
            out.push(row);
        }
        for (name, property) in &self.properties {
            let mut types = property.types.clone();
            if property.empty_list && !types.iter().any(|t| t.ends_with("Array")) {
                types.insert("StringArray");
            }
            let mut row = prefix.to_vec();
            row.extend([
                Value::string(name.as_str()),
                Value::List(types.into_iter().map(Value::string).collect()),
                Value::Bool(property.entities == self.entities),
            ]);
            out.push(row);
        }
    }
}

/// Neo4j's name for the type of a stored value; `None` for an empty list.
fn type_name(value: &Value) -> Option<&'static str> {
    let Value::List(items) = value else {
        return Some(scalar_type_name(value));
    };
    let first = scalar_type_name(items.first()?);
    Some(match first {
        "String" => "StringArray",
        "Long" => "LongArray",
        "Double" => "DoubleArray",
        "Boolean" => "BooleanArray",
        "Date" => "DateArray",
        "Time" => "TimeArray",
        "LocalTime" => "LocalTimeArray",
        "DateTime" => "DateTimeArray",
        "LocalDateTime" => "LocalDateTimeArray",
        "Duration" => "DurationArray",
        "Point" => "PointArray",
        _ => "AnyArray",
    })
}

fn scalar_type_name(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "Boolean",
        Value::Int(_) => "Long",
        Value::Float(_) => "Double",
        Value::String(_) => "String",
        Value::Bytes(_) => "ByteArray",
        Value::Date(_) => "Date",
        Value::Time(_) => "Time",
        Value::LocalTime(_) => "LocalTime",
        Value::DateTime(_) => "DateTime",
        Value::LocalDateTime(_) => "LocalDateTime",
        Value::Duration(_) => "Duration",
        Value::Point(_) => "Point",
        _ => "Any",
    }
}

/// `` :`name` ``, with backticks in the name doubled as Cypher escapes them.
fn quoted_type(name: &str) -> String {
    format!(":`{}`", name.replace('`', "``"))
}

pub(super) fn node_type_properties(
    _args: &[Value],
    ctx: &mut ExecCtx<'_>,
) -> Result<Vec<Vec<Value>>> {
    let mut types: BTreeMap<Vec<String>, TypeSummary> = BTreeMap::new();
    let mut last = None;
    loop {
        let ids = ctx.store.node_ids(last, CHUNK)?;
        let Some(&end) = ids.last() else {
            break;
        };
        last = Some(end);
        for id in ids {
            ctx.tick()?;
            let Some(node) = ctx.store.node(id)? else {
                continue;
            };
            let mut labels = node.labels.clone();
            labels.sort();
            labels.dedup();
            types.entry(labels).or_default().observe(&node.props);
        }
    }
    let mut rows = Vec::new();
    for (labels, summary) in &types {
        let node_type: String = labels.iter().map(|l| quoted_type(l)).collect();
        let label_list = Value::List(labels.iter().map(|l| Value::string(l.as_str())).collect());
        summary.rows(&[Value::String(node_type), label_list], &mut rows);
    }
    Ok(rows)
}

pub(super) fn rel_type_properties(
    _args: &[Value],
    ctx: &mut ExecCtx<'_>,
) -> Result<Vec<Vec<Value>>> {
    let mut types: BTreeMap<String, TypeSummary> = BTreeMap::new();
    let mut last = None;
    loop {
        let chunk = ctx.store.rel_chunk(last, CHUNK)?;
        let Some(&(end, ..)) = chunk.last() else {
            break;
        };
        last = Some(end);
        for (id, ..) in chunk {
            ctx.tick()?;
            let Some(rel) = ctx.store.rel(id)? else {
                continue;
            };
            types
                .entry(rel.rel_type.clone())
                .or_default()
                .observe(&rel.props);
        }
    }
    let mut rows = Vec::new();
    for (rel_type, summary) in &types {
        summary.rows(&[Value::String(quoted_type(rel_type))], &mut rows);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_named_by_their_element_type() {
        assert_eq!(
            type_name(&Value::List(vec![Value::Int(1)])),
            Some("LongArray")
        );
        assert_eq!(type_name(&Value::List(vec![])), None);
        assert_eq!(quoted_type("A`B"), ":`A``B`");
    }

    #[test]
    fn a_property_missing_on_one_entity_is_not_mandatory() {
        let mut summary = TypeSummary::default();
        summary.observe(&BTreeMap::from([
            ("name".to_owned(), Value::string("a")),
            ("tags".to_owned(), Value::List(vec![])),
        ]));
        summary.observe(&BTreeMap::from([("name".to_owned(), Value::Int(1))]));
        let mut rows = Vec::new();
        summary.rows(&[Value::string(":`T`")], &mut rows);
        assert_eq!(rows.len(), 2);
        assert!(matches!(&rows[0][3], Value::Bool(true)));
        assert!(
            matches!(&rows[1][2], Value::List(t) if matches!(&t[0], Value::String(s) if s == "StringArray"))
        );
        assert!(matches!(&rows[1][3], Value::Bool(false)));
    }
}
