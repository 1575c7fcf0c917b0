//! Result summaries in testkit's shape.

use std::collections::BTreeMap;

use neo_bolt::message::{GqlStatusObject, Notification, NotificationClassification};
use neo_runtime::{BoltVersion, ResultSummary, Value};

use crate::protocol::responses::{self, Counters, Position, ServerInfo, Summary, SummaryQuery};
use crate::protocol::values::{CypherValue, ValueError, from_map};

/// The query a result came from, as testkit sent it: summaries repeat it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QueryRecord {
    pub(crate) text: String,
    pub(crate) parameters: BTreeMap<String, CypherValue>,
}

/// The summary testkit expects for a result of `query`.
pub(crate) fn summary(summary: &ResultSummary, query: &QueryRecord) -> Result<Summary, ValueError> {
    let counters = summary.counters();
    let metadata = summary.metadata();
    Ok(Summary {
        counters: Counters {
            constraints_added: counters.constraints_added,
            constraints_removed: counters.constraints_removed,
            contains_system_updates: counters.contains_system_updates,
            contains_updates: counters.contains_updates,
            indexes_added: counters.indexes_added,
            indexes_removed: counters.indexes_removed,
            labels_added: counters.labels_added,
            labels_removed: counters.labels_removed,
            nodes_created: counters.nodes_created,
            nodes_deleted: counters.nodes_deleted,
            properties_set: counters.properties_set,
            relationships_created: counters.relationships_created,
            relationships_deleted: counters.relationships_deleted,
            system_updates: counters.system_updates,
        },
        database: summary.database().map(str::to_owned),
        notifications: notifications(summary),
        gql_status_objects: summary
            .gql_status_objects()
            .iter()
            .map(gql_status_object)
            .collect::<Result<_, _>>()?,
        plan: metadata.get("plan").map(plain_json),
        profile: metadata.get("profile").map(plain_json),
        query: SummaryQuery {
            text: query.text.clone(),
            parameters: query.parameters.clone(),
        },
        query_type: summary.query_type().map(|kind| kind.as_str().to_owned()),
        result_available_after: summary.result_available_after().map(millis),
        result_consumed_after: summary.result_consumed_after().map(millis),
        server_info: ServerInfo {
            address: summary.server_address().to_string(),
            agent: summary.server_agent().to_owned(),
            protocol_version: Some(summary.protocol_version().to_string()),
        },
    })
}

/// The notifications in the official drivers' shape: absent when a server
/// before Bolt 5.6 sent none (from 5.6 there is always a list, rebuilt from
/// the GQL statuses).
fn notifications(summary: &ResultSummary) -> Option<serde_json::Value> {
    if summary.protocol_version() < BoltVersion::V5_6
        && !summary.metadata().contains_key("notifications")
    {
        return None;
    }
    Some(serde_json::Value::Array(
        summary.notifications().iter().map(notification).collect(),
    ))
}

fn notification(notification: &Notification) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    let mut put = |key: &str, value: serde_json::Value| {
        object.insert(key.to_owned(), value);
    };
    put("severity", notification.severity.clone().into());
    put("description", notification.description.clone().into());
    put("code", notification.code.clone().into());
    put("title", notification.title.clone().into());
    if let Some(position) = notification.position {
        put(
            "position",
            serde_json::json!({
                "offset": position.offset, "line": position.line, "column": position.column
            }),
        );
    }
    put("rawSeverityLevel", notification.severity.clone().into());
    put(
        "severityLevel",
        notification.severity_level().as_str().into(),
    );
    put("rawCategory", notification.category.clone().into());
    put(
        "category",
        notification
            .classification_kind()
            .map_or("UNKNOWN", NotificationClassification::as_str)
            .into(),
    );
    serde_json::Value::Object(object)
}

fn gql_status_object(status: &GqlStatusObject) -> Result<responses::GqlStatusObject, ValueError> {
    Ok(responses::GqlStatusObject {
        gql_status: status.gql_status.clone(),
        status_description: status.status_description.clone(),
        position: status.position().map(|position| Position {
            offset: position.offset,
            line: position.line,
            column: position.column,
        }),
        classification: status
            .classification_kind()
            .map_or("UNKNOWN", NotificationClassification::as_str)
            .to_owned(),
        raw_classification: status.classification().map(str::to_owned),
        severity: status.severity_level().as_str().to_owned(),
        raw_severity: status.severity().map(str::to_owned),
        diagnostic_record: from_map(&status.diagnostic_record)?,
        is_notification: status.is_notification(),
    })
}

fn millis(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// A value as plain JSON (plans, profiles and raw notifications are plain
/// JSON in testkit, not Cypher-typed values).
pub(crate) fn plain_json(value: &Value) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        Value::Null => Json::Null,
        Value::Boolean(value) => Json::Bool(*value),
        Value::Integer(value) => Json::from(*value),
        Value::Float(value) => serde_json::Number::from_f64(*value)
            .map(Json::Number)
            .unwrap_or_else(|| Json::String(value.to_string())),
        Value::String(value) => Json::String(value.clone()),
        Value::List(items) => Json::Array(items.iter().map(plain_json).collect()),
        Value::Map(map) => Json::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), plain_json(value)))
                .collect(),
        ),
        other => match CypherValue::from_value(other) {
            Ok(cypher) => serde_json::to_value(cypher).unwrap_or(Json::Null),
            Err(error) => Json::String(format!("<{}: {error}>", other.type_name())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use neo_bolt::packstream::Map;

    #[test]
    fn plain_json_keeps_nested_structure() {
        let mut inner = Map::new();
        inner.insert("line".into(), Value::from(1));
        let mut map = Map::new();
        map.insert("position".into(), Value::Map(inner));
        map.insert("rows".into(), Value::Float(1.5));
        map.insert("ids".into(), Value::from(vec![Value::from("n")]));
        assert_eq!(
            plain_json(&Value::Map(map)),
            serde_json::json!({"position": {"line": 1}, "rows": 1.5, "ids": ["n"]})
        );
    }

    #[test]
    fn notifications_name_unknown_levels_and_categories() {
        let mut given = Notification::default();
        given.code = "Neo.ClientNotification.Foo.Bar".into();
        given.title = "t".into();
        given.description = "d".into();
        given.severity = "ANYSEV".into();
        given.category = "GENERIC".into();
        let rebuilt = notification(&given);
        assert_eq!(
            rebuilt,
            serde_json::json!({
                "severity": "ANYSEV", "description": "d",
                "code": "Neo.ClientNotification.Foo.Bar", "title": "t",
                "rawSeverityLevel": "ANYSEV", "severityLevel": "UNKNOWN",
                "rawCategory": "GENERIC", "category": "GENERIC"
            })
        );
    }

    #[test]
    fn gql_status_objects_split_raw_and_known_names() {
        let mut record = Map::new();
        record.insert("_severity".into(), Value::from("WARNING"));
        record.insert("_classification".into(), Value::from("ANYCAT"));
        let mut position = Map::new();
        position.insert("offset".into(), Value::from(8));
        position.insert("line".into(), Value::from(1));
        position.insert("column".into(), Value::from(9));
        record.insert("_position".into(), Value::Map(position));
        let mut status = GqlStatusObject::default();
        status.gql_status = "01N01".into();
        status.status_description = "warn".into();
        status.neo4j_code = Some("Neo.ClientNotification.Foo.Bar".into());
        status.diagnostic_record = record;
        let converted = gql_status_object(&status).unwrap();
        assert_eq!(converted.severity, "WARNING");
        assert_eq!(converted.raw_severity.as_deref(), Some("WARNING"));
        assert_eq!(converted.classification, "UNKNOWN");
        assert_eq!(converted.raw_classification.as_deref(), Some("ANYCAT"));
        assert_eq!(
            converted.position,
            Some(Position {
                offset: 8,
                line: 1,
                column: 9
            })
        );
        assert!(converted.is_notification);
    }
}
