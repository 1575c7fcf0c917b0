//! What SUCCESS metadata reports, as domain types: the query type,
//! connection hints, update counters, notifications and GQL statuses.

use super::fields::{get_bool, get_int, get_str};
use super::notifications::NotificationClassification;
use crate::packstream::{Map, Value};

/// The kind of query a result came from (`type` in the closing SUCCESS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryType {
    /// Read only (`"r"`).
    Read,
    /// Write only (`"w"`).
    Write,
    /// Read and write (`"rw"`).
    ReadWrite,
    /// Schema changes (`"s"`).
    Schema,
}

impl QueryType {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryType::Read => "r",
            QueryType::Write => "w",
            QueryType::ReadWrite => "rw",
            QueryType::Schema => "s",
        }
    }

    /// Parses a wire name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "r" => Some(QueryType::Read),
            "w" => Some(QueryType::Write),
            "rw" => Some(QueryType::ReadWrite),
            "s" => Some(QueryType::Schema),
            _ => None,
        }
    }
}

/// Connection hints from the HELLO SUCCESS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Hints {
    /// `connection.recv_timeout_seconds`: the server sends something at least
    /// this often, so a longer silence means a dead connection.
    pub recv_timeout_seconds: Option<i64>,
    /// `telemetry.enabled` (Bolt 5.4+): the server accepts TELEMETRY.
    pub telemetry_enabled: bool,
    /// `ssr.enabled` (Bolt 5.8+): the server routes on its own.
    pub ssr_enabled: bool,
}

/// Update counters of a result (`stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Counters {
    /// `nodes-created`.
    pub nodes_created: i64,
    /// `nodes-deleted`.
    pub nodes_deleted: i64,
    /// `relationships-created`.
    pub relationships_created: i64,
    /// `relationships-deleted`.
    pub relationships_deleted: i64,
    /// `properties-set`.
    pub properties_set: i64,
    /// `labels-added`.
    pub labels_added: i64,
    /// `labels-removed`.
    pub labels_removed: i64,
    /// `indexes-added`.
    pub indexes_added: i64,
    /// `indexes-removed`.
    pub indexes_removed: i64,
    /// `constraints-added`.
    pub constraints_added: i64,
    /// `constraints-removed`.
    pub constraints_removed: i64,
    /// `system-updates`.
    pub system_updates: i64,
    /// `contains-updates`, or whether any data counter is non-zero.
    pub contains_updates: bool,
    /// `contains-system-updates`, or whether `system-updates` is non-zero.
    pub contains_system_updates: bool,
}

impl Counters {
    fn data_counters(&self) -> [(&'static str, i64); 11] {
        [
            ("nodes-created", self.nodes_created),
            ("nodes-deleted", self.nodes_deleted),
            ("relationships-created", self.relationships_created),
            ("relationships-deleted", self.relationships_deleted),
            ("properties-set", self.properties_set),
            ("labels-added", self.labels_added),
            ("labels-removed", self.labels_removed),
            ("indexes-added", self.indexes_added),
            ("indexes-removed", self.indexes_removed),
            ("constraints-added", self.constraints_added),
            ("constraints-removed", self.constraints_removed),
        ]
    }

    /// Reads counters from a `stats` map; absent keys are zero.
    pub fn from_map(stats: &Map) -> Self {
        let n = |key| get_int(stats, key).unwrap_or(0);
        let mut counters = Counters {
            nodes_created: n("nodes-created"),
            nodes_deleted: n("nodes-deleted"),
            relationships_created: n("relationships-created"),
            relationships_deleted: n("relationships-deleted"),
            properties_set: n("properties-set"),
            labels_added: n("labels-added"),
            labels_removed: n("labels-removed"),
            indexes_added: n("indexes-added"),
            indexes_removed: n("indexes-removed"),
            constraints_added: n("constraints-added"),
            constraints_removed: n("constraints-removed"),
            system_updates: n("system-updates"),
            contains_updates: false,
            contains_system_updates: false,
        };
        counters.contains_updates = get_bool(stats, "contains-updates")
            .unwrap_or_else(|| counters.data_counters().iter().any(|(_, v)| *v != 0));
        counters.contains_system_updates =
            get_bool(stats, "contains-system-updates").unwrap_or(counters.system_updates != 0);
        counters
    }

    /// The `stats` map a server sends: non-zero counters only, plus the
    /// `contains-*` flags when set.
    pub fn to_map(&self) -> Map {
        let mut map = Map::new();
        for (key, value) in self.data_counters() {
            if value != 0 {
                map.insert(key.into(), Value::Integer(value));
            }
        }
        if self.system_updates != 0 {
            map.insert("system-updates".into(), Value::Integer(self.system_updates));
        }
        if self.contains_updates {
            map.insert("contains-updates".into(), Value::Boolean(true));
        }
        if self.contains_system_updates {
            map.insert("contains-system-updates".into(), Value::Boolean(true));
        }
        map
    }
}

/// Where in the query a notification points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Position {
    /// Character offset, from 0.
    pub offset: i64,
    /// Line, from 1.
    pub line: i64,
    /// Column, from 1.
    pub column: i64,
}

impl Position {
    /// A position: character offset from 0, line and column from 1.
    pub fn new(offset: i64, line: i64, column: i64) -> Self {
        Position {
            offset,
            line,
            column,
        }
    }

    fn to_value(self) -> Value {
        let mut map = Map::new();
        map.insert("offset".into(), Value::Integer(self.offset));
        map.insert("line".into(), Value::Integer(self.line));
        map.insert("column".into(), Value::Integer(self.column));
        Value::Map(map)
    }

    fn from_value(value: Option<&Value>) -> Option<Self> {
        let map = value?.as_map()?;
        Some(Position {
            offset: get_int(map, "offset")?,
            line: get_int(map, "line")?,
            column: get_int(map, "column")?,
        })
    }
}

/// How severe a notification or GQL status is, as its `severity` (or the
/// diagnostic record's `_severity`) names it.
///
/// ```
/// use neo_bolt::message::NotificationSeverity;
///
/// assert_eq!(NotificationSeverity::from_name(Some("WARNING")), NotificationSeverity::Warning);
/// assert_eq!(NotificationSeverity::from_name(Some("FOOBAR")), NotificationSeverity::Unknown);
/// assert_eq!(NotificationSeverity::from_name(None), NotificationSeverity::Unknown);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationSeverity {
    /// `WARNING`: the query may not do what was meant.
    Warning,
    /// `INFORMATION`: worth knowing.
    Information,
    /// Missing, or a name this crate does not know.
    Unknown,
}

impl NotificationSeverity {
    /// The severity a name stands for.
    pub fn from_name(name: Option<&str>) -> Self {
        match name {
            Some("WARNING") => NotificationSeverity::Warning,
            Some("INFORMATION") => NotificationSeverity::Information,
            _ => NotificationSeverity::Unknown,
        }
    }

    /// The wire name, `UNKNOWN` for [`Unknown`](NotificationSeverity::Unknown).
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationSeverity::Warning => "WARNING",
            NotificationSeverity::Information => "INFORMATION",
            NotificationSeverity::Unknown => "UNKNOWN",
        }
    }
}

/// A notification in the legacy (Bolt ≤ 5.4) shape; from Bolt 5.6 it is
/// rebuilt from the GQL statuses that carry a `neo4j_code`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Notification {
    /// The Neo4j code, such as `Neo.ClientNotification.Statement.UnknownLabelWarning`.
    pub code: String,
    /// A short title.
    pub title: String,
    /// The full description.
    pub description: String,
    /// `WARNING` or `INFORMATION` (may be empty).
    pub severity: String,
    /// The category / classification, such as `UNRECOGNIZED` (may be empty).
    pub category: String,
    /// Where in the query it points, if anywhere.
    pub position: Option<Position>,
}

impl Notification {
    pub(super) fn from_map(map: &Map) -> Self {
        let s = |key| get_str(map, key).unwrap_or_default().to_owned();
        Notification {
            code: s("code"),
            title: s("title"),
            description: s("description"),
            severity: s("severity"),
            category: s("category"),
            position: Position::from_value(map.get("position")),
        }
    }

    /// The map a server sends in `notifications` (Bolt ≤ 5.4).
    pub fn to_map(&self) -> Map {
        let mut map = Map::new();
        for (key, value) in [
            ("code", &self.code),
            ("title", &self.title),
            ("description", &self.description),
            ("severity", &self.severity),
            ("category", &self.category),
        ] {
            map.insert(key.into(), Value::from(value.as_str()));
        }
        if let Some(position) = self.position {
            map.insert("position".into(), position.to_value());
        }
        map
    }

    /// The severity, parsed.
    ///
    /// ```
    /// use neo_bolt::message::{Notification, NotificationSeverity};
    ///
    /// let mut notification = Notification::default();
    /// notification.severity = "INFORMATION".into();
    /// assert_eq!(notification.severity_level(), NotificationSeverity::Information);
    /// ```
    pub fn severity_level(&self) -> NotificationSeverity {
        NotificationSeverity::from_name(Some(self.severity.as_str()))
    }

    /// The category, parsed (`None` when missing or unknown).
    pub fn classification_kind(&self) -> Option<NotificationClassification> {
        NotificationClassification::from_name(&self.category)
    }

    /// The legacy notification a GQL status stands for, when it is a
    /// notification (it carries a `neo4j_code`).
    pub fn from_status(status: &GqlStatusObject) -> Option<Self> {
        let code = status.neo4j_code.clone()?;
        let diag = &status.diagnostic_record;
        let s = |key| get_str(diag, key).unwrap_or_default().to_owned();
        Some(Notification {
            code,
            title: status.title.clone().unwrap_or_default(),
            description: status.description.clone().unwrap_or_default(),
            severity: s("_severity"),
            category: s("_classification"),
            position: Position::from_value(diag.get("_position")),
        })
    }
}

/// A GQL status object (Bolt 5.6+ `statuses`), with the diagnostic record's
/// standard defaults filled in (`OPERATION = ""`, `OPERATION_CODE = "0"`,
/// `CURRENT_SCHEMA = "/"`).
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct GqlStatusObject {
    /// The GQLSTATUS code, such as `01N50`.
    pub gql_status: String,
    /// The standard description of the status.
    pub status_description: String,
    /// The Neo4j notification code; present when the status is a notification.
    pub neo4j_code: Option<String>,
    /// A short title.
    pub title: Option<String>,
    /// The full description.
    pub description: Option<String>,
    /// The diagnostic record (`_severity`, `_classification`, `_position`, ...).
    pub diagnostic_record: Map,
}

const DIAGNOSTIC_DEFAULTS: [(&str, &str); 3] = [
    ("OPERATION", ""),
    ("OPERATION_CODE", "0"),
    ("CURRENT_SCHEMA", "/"),
];

/// Fills the three standard GQL diagnostic defaults into `record`.
pub(crate) fn fill_diagnostic_defaults(record: &mut Map) {
    for (key, value) in DIAGNOSTIC_DEFAULTS {
        record
            .entry(key.to_owned())
            .or_insert_with(|| Value::from(value));
    }
}

impl GqlStatusObject {
    pub(super) fn from_map(map: &Map) -> Self {
        let s = |key| get_str(map, key).map(str::to_owned);
        let mut diagnostic_record = map
            .get("diagnostic_record")
            .and_then(Value::as_map)
            .cloned()
            .unwrap_or_default();
        fill_diagnostic_defaults(&mut diagnostic_record);
        GqlStatusObject {
            gql_status: s("gql_status").unwrap_or_default(),
            status_description: s("status_description").unwrap_or_default(),
            neo4j_code: s("neo4j_code"),
            title: s("title"),
            description: s("description"),
            diagnostic_record,
        }
    }

    /// The map a server sends in `statuses` (Bolt 5.6+).
    pub fn to_map(&self) -> Map {
        let mut map = Map::new();
        map.insert("gql_status".into(), Value::from(self.gql_status.as_str()));
        map.insert(
            "status_description".into(),
            Value::from(self.status_description.as_str()),
        );
        for (key, value) in [
            ("neo4j_code", &self.neo4j_code),
            ("title", &self.title),
            ("description", &self.description),
        ] {
            if let Some(value) = value {
                map.insert(key.into(), Value::from(value.as_str()));
            }
        }
        map.insert(
            "diagnostic_record".into(),
            Value::Map(self.diagnostic_record.clone()),
        );
        map
    }

    /// `_severity` from the diagnostic record.
    pub fn severity(&self) -> Option<&str> {
        get_str(&self.diagnostic_record, "_severity")
    }

    /// `_classification` from the diagnostic record.
    pub fn classification(&self) -> Option<&str> {
        get_str(&self.diagnostic_record, "_classification")
    }

    /// `_position` from the diagnostic record.
    pub fn position(&self) -> Option<Position> {
        Position::from_value(self.diagnostic_record.get("_position"))
    }

    /// The severity, parsed.
    pub fn severity_level(&self) -> NotificationSeverity {
        NotificationSeverity::from_name(self.severity())
    }

    /// The classification, parsed (`None` when missing or unknown).
    pub fn classification_kind(&self) -> Option<NotificationClassification> {
        self.classification()
            .and_then(NotificationClassification::from_name)
    }

    /// Whether the status is a notification (it has a Neo4j notification
    /// code), as opposed to a plain outcome such as `00000` (success).
    pub fn is_notification(&self) -> bool {
        self.neo4j_code.is_some()
    }

    /// The GQL status the official drivers give a notification from a
    /// server before Bolt 5.6: `01N42` (warning) or `03N42` (anything
    /// else), the notification's description (or a standard one), and a
    /// diagnostic record carrying its severity, category and position.
    ///
    /// ```
    /// use neo_bolt::message::{GqlStatusObject, Notification};
    ///
    /// let mut notification = Notification::default();
    /// notification.code = "Neo.ClientNotification.Statement.CartesianProductWarning".into();
    /// notification.severity = "WARNING".into();
    /// notification.category = "PERFORMANCE".into();
    /// let status = GqlStatusObject::from_notification(&notification);
    /// assert_eq!(status.gql_status, "01N42");
    /// assert_eq!(status.status_description, "warn: unknown warning");
    /// assert_eq!(status.classification(), Some("PERFORMANCE"));
    /// assert!(status.is_notification());
    /// ```
    pub fn from_notification(notification: &Notification) -> Self {
        let warning = notification.severity_level() == NotificationSeverity::Warning;
        let description = if !notification.description.is_empty() {
            notification.description.clone()
        } else if warning {
            "warn: unknown warning".to_owned()
        } else {
            "info: unknown notification".to_owned()
        };
        let mut diagnostic_record = Map::new();
        fill_diagnostic_defaults(&mut diagnostic_record);
        if !notification.severity.is_empty() {
            diagnostic_record.insert(
                "_severity".into(),
                Value::from(notification.severity.as_str()),
            );
        }
        if !notification.category.is_empty() {
            diagnostic_record.insert(
                "_classification".into(),
                Value::from(notification.category.as_str()),
            );
        }
        if let Some(position) = notification.position {
            diagnostic_record.insert("_position".into(), position.to_value());
        }
        GqlStatusObject {
            gql_status: if warning { "01N42" } else { "03N42" }.to_owned(),
            status_description: description.clone(),
            neo4j_code: Some(notification.code.clone()),
            title: (!notification.title.is_empty()).then(|| notification.title.clone()),
            description: Some(description),
            diagnostic_record,
        }
    }

    /// An outcome status (not a notification) with the standard
    /// diagnostic record: `00000` successful completion, `00001` omitted
    /// result, `02000` no data, ...
    ///
    /// ```
    /// use neo_bolt::message::GqlStatusObject;
    ///
    /// let success = GqlStatusObject::outcome("00000", "note: successful completion");
    /// assert!(!success.is_notification());
    /// assert_eq!(success.diagnostic_record["CURRENT_SCHEMA"].as_str(), Some("/"));
    /// ```
    pub fn outcome(gql_status: &str, status_description: &str) -> Self {
        let mut diagnostic_record = Map::new();
        fill_diagnostic_defaults(&mut diagnostic_record);
        GqlStatusObject {
            gql_status: gql_status.to_owned(),
            status_description: status_description.to_owned(),
            neo4j_code: None,
            title: None,
            description: None,
            diagnostic_record,
        }
    }
}
