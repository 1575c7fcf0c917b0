//! Result streams: the rows of one query, served in PULL batches.

use std::collections::VecDeque;
use std::time::Instant;

use neo_bolt::message::GqlStatusObject;
use neo_bolt::packstream::{Map, Value};

use crate::engine::QueryOutput;

/// The materialised result of one query, waiting to be pulled.
#[derive(Debug)]
pub(crate) struct ResultStream {
    pub(crate) fields: Vec<String>,
    rows: VecDeque<Vec<Value>>,
    pub(crate) stats: Map,
    pub(crate) query_type: &'static str,
    pub(crate) started: Instant,
    /// The query returned at least one row.
    pub(crate) had_rows: bool,
    /// The notifications of the query, already filtered as the client
    /// asked.
    pub(crate) notifications: Vec<GqlStatusObject>,
}

/// One batch taken from a stream.
#[derive(Debug)]
pub(crate) struct Batch {
    pub(crate) rows: Vec<Vec<Value>>,
    pub(crate) has_more: bool,
}

impl ResultStream {
    pub(crate) fn new(
        fields: Vec<String>,
        rows: Vec<Vec<Value>>,
        stats: Map,
        query_type: &'static str,
    ) -> Self {
        ResultStream {
            fields,
            had_rows: !rows.is_empty(),
            rows: rows.into(),
            stats,
            query_type,
            started: Instant::now(),
            notifications: Vec::new(),
        }
    }

    /// The result of a statement the engine ran.
    pub(crate) fn from_output(output: QueryOutput) -> Self {
        ResultStream::new(
            output.fields,
            output.records,
            output.stats.to_map(),
            output.query_type.as_str(),
        )
    }

    /// The empty result of an administration command that made `updates`
    /// system changes.
    pub(crate) fn system(updates: i64) -> Self {
        let mut stats = Map::new();
        if updates > 0 {
            stats.insert("system-updates".into(), Value::Integer(updates));
            stats.insert("contains-system-updates".into(), Value::Boolean(true));
        }
        ResultStream::new(Vec::new(), Vec::new(), stats, "s")
    }

    /// Takes up to `n` rows (`-1`: all); `has_more` says whether any remain.
    pub(crate) fn take(&mut self, n: i64) -> Batch {
        let count = usize::try_from(n).map_or(self.rows.len(), |n| n.min(self.rows.len()));
        let rows = self.rows.drain(..count).collect();
        Batch {
            rows,
            has_more: !self.rows.is_empty(),
        }
    }

    /// Drops up to `n` rows (`-1`: all) and says whether any remain.
    pub(crate) fn discard(&mut self, n: i64) -> bool {
        let count = usize::try_from(n).map_or(self.rows.len(), |n| n.min(self.rows.len()));
        self.rows.drain(..count);
        !self.rows.is_empty()
    }

    /// Whether the query changed anything.
    pub(crate) fn contains_updates(&self) -> bool {
        !self.stats.is_empty()
    }

    /// Milliseconds since the query ran.
    pub(crate) fn elapsed_ms(&self) -> i64 {
        i64::try_from(self.started.elapsed().as_millis()).unwrap_or(i64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(rows: i64) -> ResultStream {
        ResultStream::new(
            vec!["x".into()],
            (0..rows).map(|i| vec![Value::Integer(i)]).collect(),
            Map::new(),
            "r",
        )
    }

    #[test]
    fn batches_say_whether_rows_remain() {
        let mut s = stream(5);
        let batch = s.take(2);
        assert_eq!(batch.rows.len(), 2);
        assert!(batch.has_more);
        let batch = s.take(3);
        assert_eq!(
            batch.rows,
            [
                [Value::Integer(2)],
                [Value::Integer(3)],
                [Value::Integer(4)]
            ]
        );
        assert!(!batch.has_more);
    }

    #[test]
    fn minus_one_takes_everything() {
        let mut s = stream(4);
        assert!(s.discard(1));
        let batch = s.take(-1);
        assert_eq!(batch.rows.len(), 3);
        assert!(!batch.has_more);
    }
}
