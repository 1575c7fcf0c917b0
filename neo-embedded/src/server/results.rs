//! Result streams: the rows of one query, served in PULL batches — pulled
//! from the engine as they are computed, or (administration commands) held
//! in full.

use std::collections::VecDeque;
use std::time::Instant;

use neo_bolt::BoltVersion;
use neo_bolt::packstream::{Map, Value};

use crate::engine::Summary;

/// Where a stream's rows come from.
#[derive(Debug)]
pub(crate) enum Rows {
    /// A statement the engine runs; rows are pulled from it by id.
    Engine { id: u64 },
    /// Rows computed already.
    Held {
        rows: VecDeque<Vec<Value>>,
        stats: Map,
        query_type: &'static str,
    },
}

/// The result of one query, waiting to be pulled.
#[derive(Debug)]
pub(crate) struct ResultStream {
    pub(crate) fields: Vec<String>,
    pub(crate) rows: Rows,
    /// Whether the statement may write (known before it runs).
    pub(crate) writes: bool,
    pub(crate) started: Instant,
}

impl ResultStream {
    /// A stream of rows the engine computes as they are pulled.
    pub(crate) fn engine(id: u64, fields: Vec<String>, writes: bool) -> Self {
        ResultStream {
            fields,
            rows: Rows::Engine { id },
            writes,
            started: Instant::now(),
        }
    }

    /// A stream of rows computed already.
    pub(crate) fn new(
        fields: Vec<String>,
        rows: Vec<Vec<Value>>,
        stats: Map,
        query_type: &'static str,
    ) -> Self {
        ResultStream {
            fields,
            rows: Rows::Held {
                rows: rows.into(),
                stats,
                query_type,
            },
            writes: false,
            started: Instant::now(),
        }
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

    /// Milliseconds since the query ran.
    pub(crate) fn elapsed_ms(&self) -> i64 {
        i64::try_from(self.started.elapsed().as_millis()).unwrap_or(i64::MAX)
    }
}

/// Takes up to `n` held rows (`-1`: all); `has_more` says whether any remain.
pub(crate) fn take_held(rows: &mut VecDeque<Vec<Value>>, n: i64) -> (Vec<Vec<Value>>, bool) {
    let count = usize::try_from(n).map_or(rows.len(), |n| n.min(rows.len()));
    let taken = rows.drain(..count).collect();
    (taken, !rows.is_empty())
}

/// The closing SUCCESS metadata of an engine statement: `stats`, `type`,
/// `plan`/`profile`, and the notifications in the form the Bolt version
/// reads (`statuses` from 5.6, `notifications` before).
pub(crate) fn summary_metadata(summary: &Summary, version: BoltVersion) -> Map {
    let mut metadata = Map::new();
    metadata.insert("type".into(), Value::from(summary.query_type.as_str()));
    let stats = summary.stats.to_map();
    if !stats.is_empty() {
        metadata.insert("stats".into(), Value::Map(stats));
    }
    if let Some(plan) = &summary.plan {
        metadata.insert("plan".into(), plan.clone());
    }
    if let Some(profile) = &summary.profile {
        metadata.insert("profile".into(), profile.clone());
    }
    if version >= BoltVersion::V5_6 {
        let statuses: Vec<Value> = summary
            .notifications
            .iter()
            .map(|n| Value::Map(n.to_status().to_map()))
            .collect();
        if !statuses.is_empty() {
            metadata.insert("statuses".into(), Value::List(statuses));
        }
    } else if !summary.notifications.is_empty() {
        metadata.insert(
            "notifications".into(),
            Value::List(
                summary
                    .notifications
                    .iter()
                    .map(|n| Value::Map(n.to_map()))
                    .collect(),
            ),
        );
    }
    metadata
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_say_whether_rows_remain() {
        let mut rows: VecDeque<Vec<Value>> = (0..5).map(|i| vec![Value::Integer(i)]).collect();
        let (batch, more) = take_held(&mut rows, 2);
        assert_eq!(batch.len(), 2);
        assert!(more);
        let (batch, more) = take_held(&mut rows, -1);
        assert_eq!(
            batch,
            [
                [Value::Integer(2)],
                [Value::Integer(3)],
                [Value::Integer(4)]
            ]
        );
        assert!(!more);
    }
}
