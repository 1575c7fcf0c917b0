//! What a statement returns: columns, rows, counters and its kind.

pub use neo_bolt::message::{Counters, QueryType};
use neo_bolt::packstream::Value;

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
#[derive(Debug, Clone, PartialEq)]
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
