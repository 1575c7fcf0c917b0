//! What a statement returns: columns, rows, counters and its kind.

use neo_bolt::packstream::{Map, Value};

/// The result of one statement, fully materialised.
///
/// ```
/// use neo_embedded::engine::{Counters, QueryOutput, QueryType};
/// use neo_bolt::Value;
///
/// let out = QueryOutput {
///     fields: vec!["x".into()],
///     records: vec![vec![Value::Integer(1)]],
///     stats: Counters::default(),
///     query_type: QueryType::Read,
/// };
/// assert_eq!(out.column("x").collect::<Vec<_>>(), [&Value::Integer(1)]);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryOutput {
    /// The column names, in order.
    pub fields: Vec<String>,
    /// The rows; each has one value per field.
    pub records: Vec<Vec<Value>>,
    /// What the statement changed.
    pub stats: Counters,
    /// Whether the statement reads, writes, or both.
    pub query_type: QueryType,
}

impl QueryOutput {
    /// The values of one column, row by row (empty if there is no such column).
    pub fn column<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Value> + 'a {
        let index = self.fields.iter().position(|f| f == name);
        self.records
            .iter()
            .filter_map(move |row| index.and_then(|i| row.get(i)))
    }
}

/// Update counters of one statement, as Neo4j reports them in the `stats`
/// entry of a `SUCCESS` summary.
///
/// ```
/// use neo_embedded::engine::Counters;
/// use neo_bolt::Value;
///
/// let stats = Counters { nodes_created: 2, ..Counters::default() };
/// assert!(stats.contains_updates());
/// let map = stats.to_map();
/// assert_eq!(map["nodes-created"], Value::Integer(2));
/// assert_eq!(map["contains-updates"], Value::Boolean(true));
/// assert!(!map.contains_key("nodes-deleted"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counters {
    /// Nodes created.
    pub nodes_created: u64,
    /// Nodes deleted.
    pub nodes_deleted: u64,
    /// Relationships created.
    pub relationships_created: u64,
    /// Relationships deleted.
    pub relationships_deleted: u64,
    /// Properties set (removals count too).
    pub properties_set: u64,
    /// Labels added.
    pub labels_added: u64,
    /// Labels removed.
    pub labels_removed: u64,
    /// Indexes added.
    pub indexes_added: u64,
    /// Indexes removed.
    pub indexes_removed: u64,
    /// Constraints added.
    pub constraints_added: u64,
    /// Constraints removed.
    pub constraints_removed: u64,
}

impl Counters {
    /// Whether the statement changed anything.
    pub fn contains_updates(&self) -> bool {
        self.entries().any(|(_, n)| n > 0)
    }

    /// The counters under their Bolt names (`nodes-created`, ...), only the
    /// non-zero ones, plus `contains-updates: true` when any is non-zero.
    pub fn to_map(&self) -> Map {
        let mut map: Map = self
            .entries()
            .filter(|&(_, n)| n > 0)
            .map(|(name, n)| {
                (
                    name.to_owned(),
                    Value::Integer(i64::try_from(n).unwrap_or(i64::MAX)),
                )
            })
            .collect();
        if !map.is_empty() {
            map.insert("contains-updates".to_owned(), Value::Boolean(true));
        }
        map
    }

    fn entries(&self) -> impl Iterator<Item = (&'static str, u64)> {
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
        .into_iter()
    }
}

/// The kind of a statement, as the `type` entry of a `SUCCESS` summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueryType {
    /// Reads only (`"r"`).
    #[default]
    Read,
    /// Writes and returns nothing (`"w"`).
    Write,
    /// Writes and returns rows (`"rw"`).
    ReadWrite,
    /// Changes the schema (`"s"`).
    Schema,
}

impl QueryType {
    /// The Bolt spelling: `"r"`, `"w"`, `"rw"` or `"s"`.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryType::Read => "r",
            QueryType::Write => "w",
            QueryType::ReadWrite => "rw",
            QueryType::Schema => "s",
        }
    }
}
