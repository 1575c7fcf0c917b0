//! Result streams: the rows of one query, served in PULL batches — pulled
//! from the engine as they are computed, or (administration commands and a
//! test's answers) held in full — and the metadata of the SUCCESS that
//! ends one.

use std::collections::VecDeque;
use std::time::Instant;

use neo_bolt::BoltVersion;
use neo_bolt::message::{GqlStatusObject, Notification, NotificationFilter};
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
    /// The query returned at least one row.
    pub(crate) had_rows: bool,
    /// The notifications a test attached to the query
    /// ([`Controls::notify`](super::Controls::notify)).
    pub(crate) injected: Vec<GqlStatusObject>,
    /// The statement's place in the transaction's replication journal,
    /// while it is not known whether it wrote.
    pub(crate) journal_entry: Option<usize>,
}

impl ResultStream {
    /// A stream of rows the engine computes as they are pulled.
    pub(crate) fn engine(id: u64, fields: Vec<String>, writes: bool) -> Self {
        ResultStream {
            fields,
            rows: Rows::Engine { id },
            writes,
            started: Instant::now(),
            had_rows: false,
            injected: Vec::new(),
            journal_entry: None,
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
            had_rows: !rows.is_empty(),
            rows: Rows::Held {
                rows: rows.into(),
                stats,
                query_type,
            },
            writes: false,
            started: Instant::now(),
            injected: Vec::new(),
            journal_entry: None,
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

    /// Whether held rows changed something (an administration command's
    /// system updates); known when the stream is made. An engine
    /// statement's changes are known from its summary.
    pub(crate) fn held_updates(&self) -> bool {
        matches!(&self.rows, Rows::Held { stats, .. } if !stats.is_empty())
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

/// How a stream ended.
#[derive(Debug)]
pub(crate) enum Ending {
    /// An engine statement's summary.
    Engine(Box<Summary>),
    /// The metadata of held rows (`type`, and `stats` when they changed
    /// something).
    Held(Map),
}

/// The closing SUCCESS metadata of a stream, without `db`, `t_last` and
/// `bookmark`: `type`, `stats`, `plan`/`profile`, and the statuses or
/// notifications in the form the Bolt version reads — the engine's own and
/// those a test attached, as far as `filter` admits them. From Bolt 5.6 the
/// `statuses` open with the outcome: `00000` (rows), `02000` (no rows) or
/// `00001` (no columns).
pub(crate) fn summary_metadata(
    stream: &ResultStream,
    ending: Ending,
    filter: NotificationFilter,
    version: BoltVersion,
) -> Map {
    let (mut metadata, own) = match ending {
        Ending::Held(map) => (map, Vec::new()),
        Ending::Engine(summary) => {
            let mut metadata = Map::new();
            metadata.insert("type".into(), Value::from(summary.query_type.as_str()));
            let stats = summary.stats.to_map();
            if !stats.is_empty() {
                metadata.insert("stats".into(), Value::Map(stats));
            }
            if let Some(plan) = summary.plan {
                metadata.insert("plan".into(), plan);
            }
            if let Some(profile) = summary.profile {
                metadata.insert("profile".into(), profile);
            }
            let own = summary
                .notifications
                .iter()
                .map(crate::engine::Notification::to_status)
                .collect();
            (metadata, own)
        }
    };
    let admitted: Vec<&GqlStatusObject> = own
        .iter()
        .chain(&stream.injected)
        .filter(|status| {
            let severity = status.severity().unwrap_or_default();
            let classification = status.classification().unwrap_or_default();
            filter.admits(severity, classification) != Some(false)
        })
        .collect();
    if version >= BoltVersion::V5_6 {
        let outcome = match (stream.fields.is_empty(), stream.had_rows) {
            (true, _) => {
                GqlStatusObject::outcome("00001", "note: successful completion - omitted result")
            }
            (false, false) => GqlStatusObject::outcome("02000", "note: no data"),
            (false, true) => GqlStatusObject::outcome("00000", "note: successful completion"),
        };
        let statuses = std::iter::once(&outcome)
            .chain(admitted)
            .map(|status| Value::Map(status.to_map()))
            .collect();
        metadata.insert("statuses".into(), Value::List(statuses));
    } else {
        let notifications: Vec<Value> = admitted
            .into_iter()
            .filter_map(Notification::from_status)
            .map(|notification| Value::Map(notification.to_map()))
            .collect();
        if !notifications.is_empty() {
            metadata.insert("notifications".into(), Value::List(notifications));
        }
    }
    metadata
}

#[cfg(test)]
mod tests {
    use neo_bolt::message::NotificationClassification;

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

    fn warning(classification: &str) -> GqlStatusObject {
        let mut record = Map::new();
        record.insert("_severity".into(), Value::from("WARNING"));
        record.insert("_classification".into(), Value::from(classification));
        let mut status = GqlStatusObject::default();
        status.gql_status = "01N50".into();
        status.status_description = "warn: test".into();
        status.neo4j_code = Some("Neo.ClientNotification.Statement.UnknownLabelWarning".into());
        status.diagnostic_record = record;
        status
    }

    fn codes(metadata: &Map, key: &str, field: &str) -> Vec<String> {
        match metadata.get(key) {
            Some(Value::List(items)) => items
                .iter()
                .filter_map(|item| match item {
                    Value::Map(map) => map.get(field)?.as_str().map(str::to_owned),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn the_outcome_leads_the_statuses_and_filtered_notifications_follow() {
        let mut stream = ResultStream::new(vec!["x".into()], Vec::new(), Map::new(), "r");
        stream.injected = vec![warning("UNRECOGNIZED"), warning("DEPRECATION")];
        let filter = NotificationFilter::default()
            .with_disabled_classifications([NotificationClassification::Deprecation]);
        let ending = || Ending::Held(Map::new());
        let metadata = summary_metadata(&stream, ending(), filter, BoltVersion::V5_6);
        assert_eq!(
            codes(&metadata, "statuses", "gql_status"),
            ["02000", "01N50"]
        );
        stream.had_rows = true;
        let metadata = summary_metadata(&stream, ending(), filter, BoltVersion::V5_6);
        assert_eq!(
            codes(&metadata, "statuses", "gql_status"),
            ["00000", "01N50"]
        );
        let metadata = summary_metadata(&stream, ending(), filter, BoltVersion::V5_4);
        assert!(!metadata.contains_key("statuses"));
        assert_eq!(
            codes(&metadata, "notifications", "code"),
            ["Neo.ClientNotification.Statement.UnknownLabelWarning"]
        );
        stream.fields.clear();
        let metadata = summary_metadata(&stream, ending(), filter, BoltVersion::V5_6);
        assert_eq!(
            codes(&metadata, "statuses", "gql_status"),
            ["00001", "01N50"]
        );
    }
}
