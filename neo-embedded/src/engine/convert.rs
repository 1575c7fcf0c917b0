//! Conversions between the PackStream value model and marsdb's values.

use std::collections::{BTreeMap, HashMap};

use marsdb_graph::{Edge, Node as MarsNode, PropertyValue, TzId};
use marsdb_query::{Literal, PathElem, Value as MarsValue, temporal};
use neo_bolt::packstream::{
    Date, DateTime, DateTimeZoneId, Duration, LocalDateTime, LocalTime, Map, Node, Path,
    Relationship, Time, UnboundRelationship, Value,
};

use super::error::{EngineError, codes};
use super::text;

/// Converts query parameters for the engine, under the names
/// [`text::rewrite`] gives them.
pub(crate) fn parameters(params: &Map) -> Result<HashMap<String, PropertyValue>, EngineError> {
    params
        .iter()
        .map(|(name, value)| {
            let renamed = format!("{}{name}", text::PARAMETER_PREFIX);
            Ok((renamed, parameter(name, value)?))
        })
        .collect()
}

/// Converts a map (such as a transaction's metadata) to the engine's map
/// value; `name` names it in errors.
pub(crate) fn map_value(name: &str, map: &Map) -> Result<PropertyValue, EngineError> {
    parameter(name, &Value::Map(map.clone()))
}

fn parameter(name: &str, value: &Value) -> Result<PropertyValue, EngineError> {
    let unsupported = |what: &str| {
        EngineError::new(
            codes::TYPE_ERROR,
            format!("parameter ${name}: {what} values are not supported by the embedded engine"),
        )
    };
    let out_of_range = || {
        EngineError::new(
            codes::TYPE_ERROR,
            format!("parameter ${name}: a component of the temporal value is out of range"),
        )
    };
    let nanos = |n: i64| i32::try_from(n).map_err(|_| out_of_range());
    Ok(match value {
        Value::Null => PropertyValue::Null,
        Value::Boolean(b) => PropertyValue::Bool(*b),
        Value::Integer(i) => PropertyValue::Int(*i),
        Value::Float(f) => PropertyValue::Float(*f),
        Value::String(s) => PropertyValue::String(s.clone()),
        Value::List(items) => PropertyValue::List(
            items
                .iter()
                .map(|item| parameter(name, item))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(map) => PropertyValue::Map(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), parameter(name, v)?)))
                .collect::<Result<BTreeMap<_, _>, EngineError>>()?,
        ),
        Value::Date(d) => PropertyValue::Date(d.days),
        Value::LocalTime(t) => PropertyValue::LocalTime(t.nanoseconds),
        Value::Time(t) => PropertyValue::Time {
            nanos_of_day: t.nanoseconds,
            offset_seconds: i32::try_from(t.tz_offset_seconds).map_err(|_| out_of_range())?,
        },
        Value::LocalDateTime(t) => PropertyValue::LocalDateTime {
            epoch_seconds: t.seconds,
            nanos: nanos(t.nanoseconds)?,
        },
        Value::DateTime(t) => PropertyValue::DateTime {
            epoch_seconds: t.seconds,
            nanos: nanos(t.nanoseconds)?,
            zone: TzId::Offset(i32::try_from(t.tz_offset_seconds).map_err(|_| out_of_range())?),
        },
        Value::DateTimeZoneId(t) => PropertyValue::DateTime {
            epoch_seconds: t.seconds,
            nanos: nanos(t.nanoseconds)?,
            zone: TzId::Named(known_zone(name, &t.tz_id)?),
        },
        Value::LegacyDateTimeZoneId(t) => {
            // Wall-clock seconds: find the offset in force at that local time.
            let zone = known_zone(name, &t.tz_id)?;
            let rules = temporal::TzId::Named(zone.clone());
            let guess = temporal::resolve_offset(&rules, t.local_seconds);
            let utc = t.local_seconds.saturating_sub(i64::from(guess));
            let offset = temporal::resolve_offset(&rules, utc);
            PropertyValue::DateTime {
                epoch_seconds: t.local_seconds.saturating_sub(i64::from(offset)),
                nanos: nanos(t.nanoseconds)?,
                zone: TzId::Named(zone),
            }
        }
        Value::Duration(d) => PropertyValue::Duration {
            months: d.months,
            days: d.days,
            seconds: d.seconds,
            nanos: nanos(d.nanoseconds)?,
        },
        Value::Bytes(_) => return Err(unsupported("byte array")),
        Value::Point2D(_) | Value::Point3D(_) => return Err(unsupported("point")),
        Value::Vector(_) => return Err(unsupported("vector")),
        Value::Unsupported(_) => return Err(unsupported(value.type_name())),
        Value::Node(_)
        | Value::Relationship(_)
        | Value::UnboundRelationship(_)
        | Value::Path(_) => return Err(unsupported(value.type_name())),
    })
}

/// The zone id if the time-zone database knows it.
fn known_zone(name: &str, zone: &str) -> Result<String, EngineError> {
    match temporal::parse_timezone_name(zone) {
        Some(_) => Ok(zone.to_owned()),
        None => Err(EngineError::new(
            codes::TYPE_ERROR,
            format!("parameter ${name}: unknown time zone '{zone}'"),
        )),
    }
}

/// Converts one result value.
pub(crate) fn value(value: MarsValue) -> Value {
    match value {
        MarsValue::Null => Value::Null,
        MarsValue::Property(p) => property(p),
        MarsValue::Literal(l) => literal(l),
        MarsValue::List(items) => Value::List(items.into_iter().map(self::value).collect()),
        MarsValue::Map(map) => {
            Value::Map(map.into_iter().map(|(k, v)| (k, self::value(v))).collect())
        }
        MarsValue::Node(n) => Value::Node(Box::new(node(n))),
        MarsValue::Edge(e) => Value::Relationship(Box::new(relationship(e))),
        MarsValue::Path(elems) => Value::Path(Box::new(path(elems))),
    }
}

fn literal(literal: Literal) -> Value {
    match literal {
        Literal::Int(i) => Value::Integer(i),
        Literal::Float(f) => Value::Float(f),
        Literal::String(s) => Value::String(s),
        Literal::Bool(b) => Value::Boolean(b),
        Literal::Null | Literal::Param(_) => Value::Null,
    }
}

fn property(p: PropertyValue) -> Value {
    match p {
        PropertyValue::Null => Value::Null,
        PropertyValue::Bool(b) => Value::Boolean(b),
        PropertyValue::Int(i) => Value::Integer(i),
        PropertyValue::Float(f) => Value::Float(f),
        PropertyValue::String(s) => Value::String(s),
        PropertyValue::Date(days) => Value::Date(Date { days }),
        PropertyValue::Duration {
            months,
            days,
            seconds,
            nanos,
        } => Value::Duration(Duration {
            months,
            days,
            seconds,
            nanoseconds: i64::from(nanos),
        }),
        PropertyValue::LocalTime(nanoseconds) => Value::LocalTime(LocalTime { nanoseconds }),
        PropertyValue::Time {
            nanos_of_day,
            offset_seconds,
        } => Value::Time(Time {
            nanoseconds: nanos_of_day,
            tz_offset_seconds: i64::from(offset_seconds),
        }),
        PropertyValue::LocalDateTime {
            epoch_seconds,
            nanos,
        } => Value::LocalDateTime(LocalDateTime {
            seconds: epoch_seconds,
            nanoseconds: i64::from(nanos),
        }),
        PropertyValue::DateTime {
            epoch_seconds,
            nanos,
            zone: TzId::Offset(offset),
        } => Value::DateTime(DateTime {
            seconds: epoch_seconds,
            nanoseconds: i64::from(nanos),
            tz_offset_seconds: i64::from(offset),
        }),
        PropertyValue::DateTime {
            epoch_seconds,
            nanos,
            zone: TzId::Named(tz_id),
        } => Value::DateTimeZoneId(DateTimeZoneId {
            seconds: epoch_seconds,
            nanoseconds: i64::from(nanos),
            tz_id,
        }),
        PropertyValue::List(items) => Value::List(items.into_iter().map(property).collect()),
        PropertyValue::Map(map) => {
            Value::Map(map.into_iter().map(|(k, v)| (k, property(v))).collect())
        }
    }
}

fn id(raw: u64) -> i64 {
    i64::try_from(raw).unwrap_or(i64::MAX)
}

fn properties(props: BTreeMap<String, PropertyValue>) -> Map {
    props.into_iter().map(|(k, v)| (k, property(v))).collect()
}

fn node(n: MarsNode) -> Node {
    let id = id(n.id.0);
    Node {
        id,
        labels: n.labels,
        properties: properties(n.props),
        element_id: id.to_string(),
    }
}

fn relationship(e: Edge) -> Relationship {
    let (id, start, end) = (id(e.id.0), id(e.src.0), id(e.dst.0));
    Relationship {
        id,
        start_node_id: start,
        end_node_id: end,
        rel_type: e.label,
        properties: properties(e.props),
        element_id: id.to_string(),
        start_node_element_id: start.to_string(),
        end_node_element_id: end.to_string(),
    }
}

/// Builds a Bolt path (distinct nodes and relationships plus the index walk)
/// from the engine's alternating node, edge, node, ... sequence.
fn path(elems: Vec<PathElem>) -> Path {
    let mut out = Path::default();
    let mut current: Option<i64> = None;
    let mut pending: Option<Edge> = None;
    for elem in elems {
        match elem {
            PathElem::Node(n) => {
                let this = id(n.id.0);
                let node_index = match out.nodes.iter().position(|known| known.id == this) {
                    Some(index) => index,
                    None => {
                        out.nodes.push(node(n));
                        out.nodes.len() - 1
                    }
                };
                if let (Some(edge), Some(previous)) = (pending.take(), current) {
                    let forward = id(edge.src.0) == previous;
                    let rel_id = id(edge.id.0);
                    let rel_index = match out.relationships.iter().position(|r| r.id == rel_id) {
                        Some(index) => index + 1,
                        None => {
                            out.relationships.push(UnboundRelationship {
                                id: rel_id,
                                rel_type: edge.label,
                                properties: properties(edge.props),
                                element_id: rel_id.to_string(),
                            });
                            out.relationships.len()
                        }
                    };
                    let rel_index = i64::try_from(rel_index).unwrap_or(i64::MAX);
                    out.indices
                        .push(if forward { rel_index } else { -rel_index });
                    out.indices
                        .push(i64::try_from(node_index).unwrap_or(i64::MAX));
                }
                current = Some(this);
            }
            PathElem::Edge(e) => pending = Some(e),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use marsdb_graph::{EdgeId, NodeId};

    fn mars_node(id: u64) -> MarsNode {
        MarsNode {
            id: NodeId(id),
            labels: vec!["P".into()],
            props: BTreeMap::new(),
        }
    }

    fn edge(id: u64, src: u64, dst: u64) -> Edge {
        Edge {
            id: EdgeId(id),
            label: "R".into(),
            src: NodeId(src),
            dst: NodeId(dst),
            props: BTreeMap::new(),
        }
    }

    #[test]
    fn path_indices_mark_backward_steps_negative() {
        // (1)-[7]->(2)<-[8]-(3)
        let p = path(vec![
            PathElem::Node(mars_node(1)),
            PathElem::Edge(edge(7, 1, 2)),
            PathElem::Node(mars_node(2)),
            PathElem::Edge(edge(8, 3, 2)),
            PathElem::Node(mars_node(3)),
        ]);
        assert_eq!(p.indices, vec![1, 1, -2, 2]);
        let steps = p.segments().unwrap();
        assert_eq!(steps[1].relationship.start_node_id, 3);
        assert_eq!(steps[1].relationship.end_node_id, 2);
    }

    #[test]
    fn bytes_parameters_are_a_type_error() {
        let params = Map::from([("b".to_owned(), Value::Bytes(vec![1]))]);
        let err = parameters(&params).unwrap_err();
        assert_eq!(err.code, codes::TYPE_ERROR);
        assert!(err.message.contains("$b"));
    }
}
