//! Conversions between PackStream values (what Bolt carries) and the
//! engine's values: parameters in, results out.

use neo_bolt::packstream::{
    Date as BoltDate, DateTime as BoltDateTime, DateTimeZoneId, Duration as BoltDuration,
    LocalDateTime as BoltLocalDateTime, LocalTime as BoltLocalTime, Map, Node, Path, Point2D,
    Point3D, Relationship, Time as BoltTime, UnboundRelationship, Value as Bolt,
};

use super::error::{EngineError, Result};
use super::exec::ExecCtx;
use super::spatial::Point;
use super::storage::Lookup;
use super::temporal::{
    Date, DateTime, Duration, LocalDateTime, LocalTime, NANOS_PER_SECOND, Time, Zone, parse_zone,
};
use super::value::{NodeId, RelId, Value};

fn unsupported(name: &str, what: &str) -> EngineError {
    EngineError::type_error(format!(
        "parameter ${name}: {what} values cannot be passed as parameters"
    ))
}

/// A parameter (or a registered procedure's output) as an engine value.
pub(crate) fn parameter(name: &str, value: &Bolt) -> Result<Value> {
    Ok(match value {
        Bolt::Null => Value::Null,
        Bolt::Boolean(b) => Value::Bool(*b),
        Bolt::Integer(i) => Value::Int(*i),
        Bolt::Float(f) => Value::Float(*f),
        Bolt::Bytes(b) => Value::Bytes(b.clone()),
        Bolt::String(s) => Value::String(s.clone()),
        Bolt::List(items) => Value::List(
            items
                .iter()
                .map(|i| parameter(name, i))
                .collect::<Result<_>>()?,
        ),
        Bolt::Map(map) => Value::Map(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), parameter(name, v)?)))
                .collect::<Result<_>>()?,
        ),
        Bolt::Date(d) => Value::Date(Date::checked(d.days)?),
        Bolt::LocalTime(t) => {
            if !(0..super::temporal::NANOS_PER_DAY).contains(&t.nanoseconds) {
                return Err(EngineError::type_error(format!(
                    "parameter ${name}: a local time is out of range"
                )));
            }
            Value::LocalTime(LocalTime {
                nanos: t.nanoseconds,
            })
        }
        Bolt::Time(t) => {
            if !(0..super::temporal::NANOS_PER_DAY).contains(&t.nanoseconds) {
                return Err(EngineError::type_error(format!(
                    "parameter ${name}: a time is out of range"
                )));
            }
            Value::Time(Time {
                local: LocalTime {
                    nanos: t.nanoseconds,
                },
                offset: offset(name, t.tz_offset_seconds)?,
            })
        }
        Bolt::LocalDateTime(t) => {
            Value::LocalDateTime(LocalDateTime::from_epoch_second(t.seconds, t.nanoseconds)?)
        }
        Bolt::DateTime(t) => {
            let utc = LocalDateTime::from_epoch_second(t.seconds, t.nanoseconds)?;
            Value::DateTime(Box::new(DateTime::from_instant(
                utc,
                Zone::Offset(offset(name, t.tz_offset_seconds)?),
            )?))
        }
        Bolt::DateTimeZoneId(t) => {
            let zone = zone(name, &t.tz_id)?;
            let utc = LocalDateTime::from_epoch_second(t.seconds, t.nanoseconds)?;
            Value::DateTime(Box::new(DateTime::from_instant(utc, zone)?))
        }
        Bolt::LegacyDateTimeZoneId(t) => {
            // Wall-clock seconds in the zone.
            let zone = zone(name, &t.tz_id)?;
            let local = LocalDateTime::from_epoch_second(t.local_seconds, t.nanoseconds)?;
            Value::DateTime(Box::new(DateTime::from_local(local, zone)?))
        }
        Bolt::Duration(d) => Value::Duration(Box::new(Duration::from_parts(
            d.months,
            d.days,
            d.seconds,
            d.nanoseconds,
        )?)),
        Bolt::Point2D(p) => Value::Point(Box::new(Point::from_srid(p.srid, p.x, p.y, None)?)),
        Bolt::Point3D(p) => Value::Point(Box::new(Point::from_srid(p.srid, p.x, p.y, Some(p.z))?)),
        Bolt::Node(_) => return Err(unsupported(name, "node")),
        Bolt::Relationship(_) | Bolt::UnboundRelationship(_) => {
            return Err(unsupported(name, "relationship"));
        }
        Bolt::Path(_) => return Err(unsupported(name, "path")),
        Bolt::Vector(_) => return Err(unsupported(name, "vector")),
        Bolt::Unsupported(_) => return Err(unsupported(name, value.type_name())),
    })
}

fn offset(name: &str, seconds: i64) -> Result<i32> {
    i32::try_from(seconds)
        .ok()
        .filter(|s| s.abs() <= 18 * 3600)
        .ok_or_else(|| {
            EngineError::type_error(format!(
                "parameter ${name}: the zone offset {seconds} is out of range"
            ))
        })
}

fn zone(name: &str, id: &str) -> Result<Zone> {
    parse_zone(id).ok_or_else(|| {
        EngineError::type_error(format!("parameter ${name}: unknown time zone '{id}'"))
    })
}

/// Every parameter of a statement.
pub(crate) fn parameters(params: &Map) -> Result<std::collections::BTreeMap<String, Value>> {
    params
        .iter()
        .map(|(k, v)| Ok((k.clone(), parameter(k, v)?)))
        .collect()
}

fn temporal_to_bolt(value: &Value) -> Option<Bolt> {
    Some(match value {
        Value::Date(d) => Bolt::Date(BoltDate { days: d.days }),
        Value::LocalTime(t) => Bolt::LocalTime(BoltLocalTime {
            nanoseconds: t.nanos,
        }),
        Value::Time(t) => Bolt::Time(BoltTime {
            nanoseconds: t.local.nanos,
            tz_offset_seconds: i64::from(t.offset),
        }),
        Value::LocalDateTime(dt) => Bolt::LocalDateTime(BoltLocalDateTime {
            seconds: dt.epoch_second(),
            nanoseconds: dt.time.nanos % NANOS_PER_SECOND,
        }),
        Value::DateTime(dt) => {
            let utc = dt.utc();
            match dt.zone {
                Zone::Offset(offset) => Bolt::DateTime(BoltDateTime {
                    seconds: utc.epoch_second(),
                    nanoseconds: utc.time.nanos % NANOS_PER_SECOND,
                    tz_offset_seconds: i64::from(offset),
                }),
                Zone::Named(tz) => Bolt::DateTimeZoneId(DateTimeZoneId {
                    seconds: utc.epoch_second(),
                    nanoseconds: utc.time.nanos % NANOS_PER_SECOND,
                    tz_id: tz.name().to_owned(),
                }),
            }
        }
        Value::Duration(d) => Bolt::Duration(BoltDuration {
            months: d.months,
            days: d.days,
            seconds: d.seconds,
            nanoseconds: d.nanos,
        }),
        Value::Point(p) => match p.z {
            Some(z) => Bolt::Point3D(Point3D {
                srid: p.crs.srid(),
                x: p.x,
                y: p.y,
                z,
            }),
            None => Bolt::Point2D(Point2D {
                srid: p.crs.srid(),
                x: p.x,
                y: p.y,
            }),
        },
        _ => return None,
    })
}

/// A value without graph entities as a PackStream value.
pub(crate) fn to_bolt_plain(value: &Value) -> Result<Bolt> {
    Ok(match value {
        Value::Null => Bolt::Null,
        Value::Bool(b) => Bolt::Boolean(*b),
        Value::Int(i) => Bolt::Integer(*i),
        Value::Float(f) => Bolt::Float(*f),
        Value::String(s) => Bolt::String(s.clone()),
        Value::Bytes(b) => Bolt::Bytes(b.clone()),
        Value::List(items) => Bolt::List(items.iter().map(to_bolt_plain).collect::<Result<_>>()?),
        Value::Map(map) => Bolt::Map(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), to_bolt_plain(v)?)))
                .collect::<Result<_>>()?,
        ),
        Value::Node(_) | Value::Rel(_) | Value::Path(_) => {
            return Err(EngineError::type_error(format!(
                "{} values cannot be passed here",
                value.type_name()
            )));
        }
        other => {
            temporal_to_bolt(other).ok_or_else(|| EngineError::internal("unconvertible value"))?
        }
    })
}

fn id(raw: u64) -> i64 {
    i64::try_from(raw).unwrap_or(i64::MAX)
}

fn properties(props: &std::collections::BTreeMap<String, Value>) -> Result<Map> {
    props
        .iter()
        .map(|(k, v)| Ok((k.clone(), to_bolt_plain(v)?)))
        .collect()
}

fn node(node_id: NodeId, ctx: &mut ExecCtx<'_>) -> Result<Node> {
    let (labels, props) = match ctx.store.lookup_node(node_id)? {
        Lookup::Live(data) => (data.labels.clone(), properties(&data.props)?),
        Lookup::Deleted(_) | Lookup::Missing => (Vec::new(), Map::new()),
    };
    Ok(Node {
        id: id(node_id),
        labels,
        properties: props,
        element_id: ctx.node_element_id(node_id),
    })
}

fn relationship(rel_id: RelId, ctx: &mut ExecCtx<'_>) -> Result<Relationship> {
    let (rel_type, start, end, props) = match ctx.store.lookup_rel(rel_id)? {
        Lookup::Live(data) => (
            data.rel_type.clone(),
            data.start,
            data.end,
            properties(&data.props)?,
        ),
        Lookup::Deleted(data) => (data.rel_type.clone(), data.start, data.end, Map::new()),
        Lookup::Missing => (String::new(), 0, 0, Map::new()),
    };
    Ok(Relationship {
        id: id(rel_id),
        start_node_id: id(start),
        end_node_id: id(end),
        rel_type,
        properties: props,
        element_id: ctx.rel_element_id(rel_id),
        start_node_element_id: ctx.node_element_id(start),
        end_node_element_id: ctx.node_element_id(end),
    })
}

/// A result value as a PackStream value, reading nodes and relationships
/// from the store.
pub(crate) fn to_bolt(value: &Value, ctx: &mut ExecCtx<'_>) -> Result<Bolt> {
    Ok(match value {
        Value::Node(n) => Bolt::Node(Box::new(node(*n, ctx)?)),
        Value::Rel(r) => Bolt::Relationship(Box::new(relationship(*r, ctx)?)),
        Value::Path(p) => {
            let mut out = Path::default();
            let mut node_ids: Vec<NodeId> = Vec::new();
            let mut rel_ids: Vec<RelId> = Vec::new();
            fn index_of_node(
                n: NodeId,
                ids: &mut Vec<NodeId>,
                out: &mut Path,
                ctx: &mut ExecCtx<'_>,
            ) -> Result<i64> {
                if let Some(i) = ids.iter().position(|x| *x == n) {
                    return Ok(i as i64);
                }
                ids.push(n);
                out.nodes.push(node(n, ctx)?);
                Ok((ids.len() - 1) as i64)
            }
            index_of_node(p.start, &mut node_ids, &mut out, ctx)?;
            let mut current = p.start;
            for (rel, next) in &p.steps {
                let r = relationship(*rel, ctx)?;
                let forward = r.start_node_id == id(current);
                let rel_index = match rel_ids.iter().position(|x| x == rel) {
                    Some(i) => i as i64 + 1,
                    None => {
                        rel_ids.push(*rel);
                        out.relationships.push(UnboundRelationship {
                            id: r.id,
                            rel_type: r.rel_type.clone(),
                            properties: r.properties.clone(),
                            element_id: r.element_id.clone(),
                        });
                        rel_ids.len() as i64
                    }
                };
                out.indices
                    .push(if forward { rel_index } else { -rel_index });
                let node_index = index_of_node(*next, &mut node_ids, &mut out, ctx)?;
                out.indices.push(node_index);
                current = *next;
            }
            Bolt::Path(Box::new(out))
        }
        Value::List(items) => Bolt::List(
            items
                .iter()
                .map(|i| to_bolt(i, ctx))
                .collect::<Result<_>>()?,
        ),
        Value::Map(map) => Bolt::Map(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), to_bolt(v, ctx)?)))
                .collect::<Result<_>>()?,
        ),
        other => to_bolt_plain(other)?,
    })
}
