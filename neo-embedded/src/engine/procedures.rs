//! Neo4j's schema procedures, `db.schema.nodeTypeProperties()` and
//! `db.schema.relTypeProperties()`, computed by scanning the graph in the
//! statement's own transaction, and `tx.getMetaData()`, the metadata the
//! client gave its transaction.
//!
//! marsdb resolves procedures beyond its built-ins (`db.labels`,
//! `db.relationshipTypes`, `db.propertyKeys`, `db.indexes`) through a
//! [`ProcedureProvider`], which only receives argument values, not the
//! transaction. So when a statement's text calls one of these procedures,
//! its rows are computed before the statement runs and handed to the
//! executor in a provider; the executor does the rest (`YIELD`, `WHERE`,
//! `RETURN`, `ORDER BY`).
//!
//! The rows have Neo4j 5's columns and value shapes:
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
//! `Duration`, and `<name>Array` for lists. The engine allows two lists
//! Neo4j cannot store: an empty list counts as a `StringArray` unless the
//! property also holds a typed list, and a list mixing types is an
//! `AnyArray`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use marsdb_graph::{EdgeId, GraphError, GraphStore, PropertyValue, Txn};
use marsdb_query::{Literal, ProcedureProvider, ProcedureSignature, Procedures, QueryError, Value};

use super::error::{EngineError, codes};
use super::{convert, text};

/// The node procedure's name.
const NODE_TYPE_PROPERTIES: &str = "db.schema.nodeTypeProperties";
/// The relationship procedure's name.
const REL_TYPE_PROPERTIES: &str = "db.schema.relTypeProperties";

const NODE_COLUMNS: [&str; 5] = [
    "nodeType",
    "nodeLabels",
    "propertyName",
    "propertyTypes",
    "mandatory",
];
const REL_COLUMNS: [&str; 4] = ["relType", "propertyName", "propertyTypes", "mandatory"];

/// How many edge records one step of the relationship scan copies.
const EDGE_CHUNK: usize = 1024;

/// The transaction-metadata procedure's name.
const GET_META_DATA: &str = "tx.getMetaData";
const META_DATA_COLUMNS: [&str; 1] = ["metadata"];

/// The procedures of this module that `query` calls, answered from `txn`
/// and the transaction's `metadata`; `None` when it calls none of them.
pub(crate) fn for_query(
    query: &str,
    txn: Txn<'_>,
    metadata: &neo_bolt::packstream::Map,
) -> Result<Option<Procedures>, EngineError> {
    // The names end so; most statements are told apart without tokenizing.
    if !query.contains("TypeProperties") && !query.contains("getMetaData") {
        return Ok(None);
    }
    let nodes = text::calls_procedure(query, NODE_TYPE_PROPERTIES);
    let relationships = text::calls_procedure(query, REL_TYPE_PROPERTIES);
    let meta_data = text::calls_procedure(query, GET_META_DATA);
    if !nodes && !relationships && !meta_data {
        return Ok(None);
    }
    let graph_error = |error: GraphError| EngineError::new(codes::UNKNOWN_ERROR, error.to_string());
    let provider = SchemaProcedures {
        node_rows: nodes
            .then(|| node_type_properties(txn))
            .transpose()
            .map_err(graph_error)?,
        relationship_rows: relationships
            .then(|| rel_type_properties(txn))
            .transpose()
            .map_err(graph_error)?,
        meta_data_rows: meta_data
            .then(|| -> Result<_, EngineError> {
                let map = convert::map_value("tx_metadata", metadata)?;
                Ok(vec![vec![query_value(map)]])
            })
            .transpose()?,
    };
    Ok(Some(Procedures(Arc::new(provider))))
}

/// A stored value as the executor's own value, with maps and lists taken
/// apart so that `metadata.key` and `list[0]` work on them.
fn query_value(value: PropertyValue) -> Value {
    match value {
        PropertyValue::Map(map) => Value::Map(
            map.into_iter()
                .map(|(key, value)| (key, query_value(value)))
                .collect(),
        ),
        PropertyValue::List(items) => Value::List(items.into_iter().map(query_value).collect()),
        scalar => Value::Property(scalar),
    }
}

/// The precomputed rows of the procedures one statement calls.
struct SchemaProcedures {
    node_rows: Option<Vec<Vec<Value>>>,
    relationship_rows: Option<Vec<Vec<Value>>>,
    meta_data_rows: Option<Vec<Vec<Value>>>,
}

impl SchemaProcedures {
    fn rows(&self, name: &str) -> Option<(&[&str], &Vec<Vec<Value>>)> {
        match name {
            NODE_TYPE_PROPERTIES => Some((&NODE_COLUMNS[..], self.node_rows.as_ref()?)),
            REL_TYPE_PROPERTIES => Some((&REL_COLUMNS[..], self.relationship_rows.as_ref()?)),
            GET_META_DATA => Some((&META_DATA_COLUMNS[..], self.meta_data_rows.as_ref()?)),
            _ => None,
        }
    }
}

impl ProcedureProvider for SchemaProcedures {
    fn signature(&self, name: &str) -> Option<ProcedureSignature> {
        let (columns, _) = self.rows(name)?;
        Some(ProcedureSignature {
            inputs: Vec::new(),
            input_types: Vec::new(),
            outputs: columns.iter().map(|c| (*c).to_owned()).collect(),
        })
    }

    fn call(&self, name: &str, _args: &[Value]) -> Result<Vec<Vec<Value>>, QueryError> {
        match self.rows(name) {
            Some((_, rows)) => Ok(rows.clone()),
            None => Err(QueryError::Semantic(format!(
                "procedure '{name}' not found"
            ))),
        }
    }
}

/// Every node, grouped by its sorted label set.
fn node_type_properties(txn: Txn<'_>) -> Result<Vec<Vec<Value>>, GraphError> {
    let mut types: BTreeMap<Vec<String>, TypeSummary> = BTreeMap::new();
    for node in GraphStore::all_nodes_in_txn(txn, None)? {
        let mut labels = node.labels;
        labels.sort();
        labels.dedup();
        types.entry(labels).or_default().observe(&node.props);
    }
    let mut rows = Vec::new();
    for (labels, summary) in &types {
        let node_type: String = labels.iter().map(|l| quoted_type(l)).collect();
        let label_list = Value::List(labels.iter().map(|l| string(l)).collect());
        summary.rows(&[string(&node_type), label_list], &mut rows);
    }
    Ok(rows)
}

/// Every relationship, grouped by its type.
fn rel_type_properties(txn: Txn<'_>) -> Result<Vec<Vec<Value>>, GraphError> {
    let mut types: BTreeMap<String, TypeSummary> = BTreeMap::new();
    let mut cursor = GraphStore::edge_scan_cursor();
    loop {
        let chunk = cursor.next_chunk(txn, EDGE_CHUNK)?;
        if chunk.is_empty() {
            break;
        }
        for (id, _) in chunk {
            if let Some(edge) = GraphStore::get_edge_in_txn(txn, EdgeId(id))? {
                types.entry(edge.label).or_default().observe(&edge.props);
            }
        }
    }
    let mut rows = Vec::new();
    for (rel_type, summary) in &types {
        summary.rows(&[string(&quoted_type(rel_type))], &mut rows);
    }
    Ok(rows)
}

/// `` :`name` ``, with backticks in the name doubled as Cypher escapes them.
fn quoted_type(name: &str) -> String {
    format!(":`{}`", name.replace('`', "``"))
}

fn string(text: &str) -> Value {
    Value::Literal(Literal::String(text.to_owned()))
}

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
    fn observe(&mut self, properties: &BTreeMap<String, PropertyValue>) {
        self.entities += 1;
        for (name, value) in properties {
            if matches!(value, PropertyValue::Null) {
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

    /// Appends one row per property (or one row of nulls when there is
    /// none), each starting with `prefix`.
    fn rows(&self, prefix: &[Value], out: &mut Vec<Vec<Value>>) {
        if self.properties.is_empty() {
            let mut row = prefix.to_vec();
            row.extend([
                Value::Null,
                Value::Null,
                Value::Literal(Literal::Bool(false)),
            ]);
            out.push(row);
        }
        for (name, property) in &self.properties {
            let mut types = property.types.clone();
            if property.empty_list && !types.iter().any(|t| t.ends_with("Array")) {
                types.insert("StringArray");
            }
            let mut row = prefix.to_vec();
            row.extend([
                string(name),
                Value::List(types.into_iter().map(string).collect()),
                Value::Literal(Literal::Bool(property.entities == self.entities)),
            ]);
            out.push(row);
        }
    }
}

/// Neo4j's name for the type of a stored value; `None` for an empty list,
/// whose element type is unknown.
fn type_name(value: &PropertyValue) -> Option<&'static str> {
    let PropertyValue::List(items) = value else {
        return Some(scalar_type_name(value));
    };
    let mut names = items.iter().map(scalar_type_name);
    let first = names.next()?;
    if names.any(|name| name != first) {
        return Some("AnyArray");
    }
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
        _ => "AnyArray",
    })
}

fn scalar_type_name(value: &PropertyValue) -> &'static str {
    match value {
        PropertyValue::Bool(_) => "Boolean",
        PropertyValue::Int(_) => "Long",
        PropertyValue::Float(_) => "Double",
        PropertyValue::String(_) => "String",
        PropertyValue::Date(_) => "Date",
        PropertyValue::Time { .. } => "Time",
        PropertyValue::LocalTime(_) => "LocalTime",
        PropertyValue::DateTime { .. } => "DateTime",
        PropertyValue::LocalDateTime { .. } => "LocalDateTime",
        PropertyValue::Duration { .. } => "Duration",
        PropertyValue::Null | PropertyValue::List(_) | PropertyValue::Map(_) => "Any",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_named_by_their_element_type() {
        let list = |items: Vec<PropertyValue>| PropertyValue::List(items);
        assert_eq!(
            type_name(&list(vec![PropertyValue::Int(1), PropertyValue::Int(2)])),
            Some("LongArray")
        );
        assert_eq!(
            type_name(&list(vec![
                PropertyValue::Int(1),
                PropertyValue::Float(2.0)
            ])),
            Some("AnyArray")
        );
        assert_eq!(type_name(&list(vec![])), None);
        assert_eq!(type_name(&PropertyValue::Date(0)), Some("Date"));
    }

    #[test]
    fn type_names_escape_backticks() {
        assert_eq!(quoted_type("A`B"), ":`A``B`");
    }

    #[test]
    fn a_property_missing_on_one_entity_is_not_mandatory() {
        let mut summary = TypeSummary::default();
        let props = |pairs: &[(&str, PropertyValue)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect::<BTreeMap<_, _>>()
        };
        summary.observe(&props(&[
            ("name", PropertyValue::String("a".into())),
            ("tags", PropertyValue::List(vec![])),
        ]));
        summary.observe(&props(&[("name", PropertyValue::Int(1))]));
        let mut rows = Vec::new();
        summary.rows(&[string(":`T`")], &mut rows);
        let bool_value = |b| Value::Literal(Literal::Bool(b));
        // marsdb's values have no `PartialEq`; their debug form tells them apart.
        assert_eq!(
            format!("{rows:?}"),
            format!(
                "{:?}",
                vec![
                    vec![
                        string(":`T`"),
                        string("name"),
                        Value::List(vec![string("Long"), string("String")]),
                        bool_value(true)
                    ],
                    vec![
                        string(":`T`"),
                        string("tags"),
                        Value::List(vec![string("StringArray")]),
                        bool_value(false)
                    ],
                ]
            )
        );
    }
}
