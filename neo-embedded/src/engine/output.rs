//! What a statement returns: columns, rows, and the summary (counters, the
//! statement's kind, the plan of `EXPLAIN`/`PROFILE`, notifications).

pub use neo_bolt::message::{Counters, QueryType};
use neo_bolt::packstream::{Map, Value};

use super::error::EngineError;

/// Where in the query a notification points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputPosition {
    /// Byte offset, from 0.
    pub offset: i64,
    /// Line, from 1.
    pub line: i64,
    /// Column, from 1.
    pub column: i64,
}

/// A notification about a statement, as Neo4j sends them in the summary.
///
/// ```
/// use neo_embedded::engine::{AccessMode, GraphEngine, MarsEngine};
///
/// let engine = MarsEngine::new()?;
/// let mut tx = engine.begin("neo4j", AccessMode::Read)?;
/// let out = tx.execute("MATCH (a), (b) RETURN count(*)", &Default::default())?;
/// assert_eq!(out.notifications[0].code, "Neo.ClientNotification.Statement.CartesianProduct");
/// # Ok::<(), neo_embedded::engine::EngineError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Notification {
    /// The Neo4j code, e.g. `Neo.ClientNotification.Statement.CartesianProduct`.
    pub code: String,
    /// A short title.
    pub title: String,
    /// What it means.
    pub description: String,
    /// `WARNING` or `INFORMATION`.
    pub severity: String,
    /// `PERFORMANCE`, `UNRECOGNIZED`, …
    pub category: String,
    /// The GQL status code (Bolt 5.6+).
    pub gql_status: String,
    /// Where in the query, when known.
    pub position: Option<InputPosition>,
}

impl Notification {
    pub(crate) fn cartesian_product(pattern: &str) -> Notification {
        Notification {
            code: "Neo.ClientNotification.Statement.CartesianProduct".into(),
            title: "This query builds a cartesian product between disconnected patterns.".into(),
            description: format!(
                "If a part of a query contains multiple disconnected patterns, this will build a \
                 cartesian product between all those parts. This may produce a large amount of \
                 data and slow down query processing. While occasionally intended, it may often be \
                 possible to reformulate the query that avoids the use of this cross product, \
                 perhaps by adding a relationship between the different parts or by using \
                 OPTIONAL MATCH ({pattern})"
            ),
            severity: "INFORMATION".into(),
            category: "PERFORMANCE".into(),
            gql_status: "03N90".into(),
            position: None,
        }
    }

    pub(crate) fn unknown_label(label: &str) -> Notification {
        Notification {
            code: "Neo.ClientNotification.Statement.UnknownLabelWarning".into(),
            title: "The provided label is not in the database.".into(),
            description: format!(
                "One of the labels in your query is not available in the database, make sure you \
                 didn't misspell it or that the label is available when you run this statement in \
                 your application (the missing label name is: {label})"
            ),
            severity: "WARNING".into(),
            category: "UNRECOGNIZED".into(),
            gql_status: "01N50".into(),
            position: None,
        }
    }

    pub(crate) fn unknown_relationship_type(rel_type: &str) -> Notification {
        Notification {
            code: "Neo.ClientNotification.Statement.UnknownRelationshipTypeWarning".into(),
            title: "The provided relationship type is not in the database.".into(),
            description: format!(
                "One of the relationship types in your query is not available in the database, make \
                 sure you didn't misspell it or that the label is available when you run this \
                 statement in your application (the missing relationship type is: {rel_type})"
            ),
            severity: "WARNING".into(),
            category: "UNRECOGNIZED".into(),
            gql_status: "01N51".into(),
            position: None,
        }
    }

    /// The notification as a GQL status object (the `statuses` entry of a
    /// Bolt 5.6+ summary).
    pub fn to_status(&self) -> neo_bolt::message::GqlStatusObject {
        let mut record = Map::new();
        record.insert("_severity".into(), Value::from(self.severity.as_str()));
        record.insert(
            "_classification".into(),
            Value::from(self.category.as_str()),
        );
        record.insert("OPERATION".into(), Value::from(""));
        record.insert("OPERATION_CODE".into(), Value::from("0"));
        record.insert("CURRENT_SCHEMA".into(), Value::from("/"));
        if let Some(p) = &self.position {
            let mut position = Map::new();
            position.insert("offset".into(), Value::Integer(p.offset));
            position.insert("line".into(), Value::Integer(p.line));
            position.insert("column".into(), Value::Integer(p.column));
            record.insert("_position".into(), Value::Map(position));
        }
        let mut status = neo_bolt::message::GqlStatusObject::default();
        status.gql_status = self.gql_status.clone();
        status.status_description = format!("warn: {}", self.title);
        status.neo4j_code = Some(self.code.clone());
        status.title = Some(self.title.clone());
        status.description = Some(self.description.clone());
        status.diagnostic_record = record;
        status
    }

    /// The notification as a Bolt map (the `notifications` entry of a summary).
    pub fn to_map(&self) -> Map {
        let mut map = Map::new();
        map.insert("code".into(), Value::from(self.code.as_str()));
        map.insert("title".into(), Value::from(self.title.as_str()));
        map.insert("description".into(), Value::from(self.description.as_str()));
        map.insert("severity".into(), Value::from(self.severity.as_str()));
        map.insert("category".into(), Value::from(self.category.as_str()));
        if let Some(p) = &self.position {
            let mut position = Map::new();
            position.insert("offset".into(), Value::Integer(p.offset));
            position.insert("line".into(), Value::Integer(p.line));
            position.insert("column".into(), Value::Integer(p.column));
            map.insert("position".into(), Value::Map(position));
        }
        map
    }
}

/// What a statement did, known once its rows are all out.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Summary {
    /// What the statement changed.
    pub stats: Counters,
    /// Whether the statement reads, writes, both, or changes the schema.
    pub query_type: QueryType,
    /// The plan, for `EXPLAIN`.
    pub plan: Option<Value>,
    /// The plan with counts, for `PROFILE`.
    pub profile: Option<Value>,
    /// Notifications.
    pub notifications: Vec<Notification>,
    /// How many rows the statement returned, pulled or discarded.
    pub returned: u64,
}

impl Default for Summary {
    fn default() -> Self {
        Summary {
            stats: Counters::default(),
            query_type: QueryType::Read,
            plan: None,
            profile: None,
            notifications: Vec::new(),
            returned: 0,
        }
    }
}

/// A statement started with [`run`](super::EngineTransaction::run).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamHead {
    /// The id to pull its rows with.
    pub id: u64,
    /// The column names.
    pub fields: Vec<String>,
    /// Whether the statement may write (known before it runs).
    pub writes: bool,
}

/// How a batch of rows ends.
#[derive(Debug, Clone, PartialEq)]
pub enum BatchEnd {
    /// More rows remain.
    HasMore,
    /// The statement finished.
    Done(Summary),
    /// The statement failed after the rows of this batch; the transaction
    /// is rolled back.
    Failed(EngineError),
}

/// Rows pulled from a running statement, and how the batch ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// The rows, each with one value per field.
    pub records: Vec<Vec<Value>>,
    /// What comes after them.
    pub end: BatchEnd,
}

/// The result of one statement, fully materialised.
///
/// ```
/// use neo_embedded::engine::{AccessMode, GraphEngine, MarsEngine, QueryType};
/// use neo_bolt::Value;
///
/// let engine = MarsEngine::new()?;
/// let mut tx = engine.begin("neo4j", AccessMode::Read)?;
/// let out = tx.execute("UNWIND [1, 2] AS x RETURN x", &Default::default())?;
/// assert_eq!(out.column("x").collect::<Vec<_>>(), [&Value::Integer(1), &Value::Integer(2)]);
/// assert_eq!(out.query_type, QueryType::Read);
/// # Ok::<(), neo_embedded::engine::EngineError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct QueryOutput {
    /// The column names, in order.
    pub fields: Vec<String>,
    /// The rows; each has one value per field.
    pub records: Vec<Vec<Value>>,
    /// What the statement changed.
    pub stats: Counters,
    /// Whether the statement reads, writes, or both.
    pub query_type: QueryType,
    /// The plan (`EXPLAIN`) or profiled plan (`PROFILE`).
    pub plan: Option<Value>,
    /// Notifications.
    pub notifications: Vec<Notification>,
}

impl QueryOutput {
    /// The values of one column, row by row (empty if there is no such column).
    pub fn column<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Value> + 'a {
        let index = self.fields.iter().position(|f| f == name);
        self.records
            .iter()
            .filter_map(move |row| index.and_then(|i| row.get(i)))
    }

    pub(crate) fn from_parts(
        fields: Vec<String>,
        records: Vec<Vec<Value>>,
        summary: Summary,
    ) -> QueryOutput {
        QueryOutput {
            fields,
            records,
            stats: summary.stats,
            query_type: summary.query_type,
            plan: summary.profile.or(summary.plan),
            notifications: summary.notifications,
        }
    }
}
