//! What the server reports when a result ends.

use std::sync::Arc;
use std::time::Duration;

use neo_bolt::BoltVersion;
use neo_bolt::message::{Counters, GqlStatusObject, Notification, QueryType, Success};

use crate::address::Address;
use crate::io::bolt::ServerInfo;

/// What the driver saw of a result, for the outcome status of a server
/// that does not send one (before Bolt 5.6).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outcome {
    /// The result has columns.
    pub(crate) has_keys: bool,
    /// The server sent at least one record.
    pub(crate) had_records: bool,
}

/// What the server reported when a result ended.
#[derive(Debug, Clone)]
pub struct ResultSummary {
    success: Success,
    t_first: Option<i64>,
    server: Arc<ServerInfo>,
    outcome: Outcome,
}

impl ResultSummary {
    pub(crate) fn new(
        success: Success,
        t_first: Option<i64>,
        server: Arc<ServerInfo>,
        outcome: Outcome,
    ) -> Self {
        ResultSummary {
            success,
            t_first,
            server,
            outcome,
        }
    }

    /// What the query changed.
    pub fn counters(&self) -> Counters {
        self.success.counters()
    }

    /// Whether the query read, wrote, or changed the schema.
    pub fn query_type(&self) -> Option<QueryType> {
        self.success.query_type()
    }

    /// The database the query ran against.
    pub fn database(&self) -> Option<&str> {
        self.success.db()
    }

    /// The bookmark of an auto-commit query's transaction.
    pub fn bookmark(&self) -> Option<&str> {
        self.success.bookmark()
    }

    /// The server's notifications, with the position in the query each
    /// points at (from Bolt 5.6, rebuilt from the GQL statuses that are
    /// notifications).
    ///
    /// ```
    /// # fn example(summary: &neo_runtime::ResultSummary) {
    /// use neo_runtime::summary::NotificationSeverity;
    ///
    /// for notification in summary.notifications() {
    ///     if notification.severity_level() == NotificationSeverity::Warning {
    ///         let at = notification.position.map(|p| (p.line, p.column));
    ///         println!("{} at {at:?}: {}", notification.code, notification.description);
    ///     }
    /// }
    /// # }
    /// ```
    pub fn notifications(&self) -> Vec<Notification> {
        self.success.notifications()
    }

    /// The GQL status objects of the result, as the official drivers give
    /// them: from Bolt 5.6 the server's `statuses`, in its order; before,
    /// built from the outcome and the notifications: the outcome (`00000`
    /// successful completion, `00001` omitted result when the query has no
    /// columns, `02000` no data when it returned no record), and a status
    /// per notification (`01N42` for a warning, `03N42` otherwise), ordered
    /// no data, warnings, success, information.
    ///
    /// ```
    /// # fn example(summary: &neo_runtime::ResultSummary) {
    /// for status in summary.gql_status_objects() {
    ///     println!("{} {}", status.gql_status, status.status_description);
    ///     if status.is_notification() {
    ///         println!("  at {:?}, {:?}", status.position(), status.classification_kind());
    ///     }
    /// }
    /// # }
    /// ```
    pub fn gql_status_objects(&self) -> Vec<GqlStatusObject> {
        if self.server.protocol_version >= BoltVersion::V5_6
            || self.success.metadata().contains_key("statuses")
        {
            return self.success.statuses();
        }
        let outcome = match (self.outcome.has_keys, self.outcome.had_records) {
            (false, _) => {
                GqlStatusObject::outcome("00001", "note: successful completion - omitted result")
            }
            (true, false) => GqlStatusObject::outcome("02000", "note: no data"),
            (true, true) => GqlStatusObject::outcome("00000", "note: successful completion"),
        };
        let mut statuses: Vec<GqlStatusObject> = std::iter::once(outcome)
            .chain(
                self.notifications()
                    .iter()
                    .map(GqlStatusObject::from_notification),
            )
            .collect();
        statuses.sort_by_key(|status| precedence(&status.gql_status));
        statuses
    }

    /// How long the server took until the first record was available.
    pub fn result_available_after(&self) -> Option<Duration> {
        self.t_first.and_then(millis)
    }

    /// How long the server took to stream the result after that.
    pub fn result_consumed_after(&self) -> Option<Duration> {
        self.success.t_last().and_then(millis)
    }

    /// The server that ran the query.
    pub fn server_address(&self) -> &Address {
        &self.server.address
    }

    /// That server's agent string.
    pub fn server_agent(&self) -> &str {
        &self.server.agent
    }

    /// The Bolt version of the connection the query ran on.
    pub fn protocol_version(&self) -> BoltVersion {
        self.server.protocol_version
    }

    /// The raw closing metadata.
    pub fn metadata(&self) -> &neo_bolt::packstream::Map {
        self.success.metadata()
    }
}

/// Where a status goes among the statuses built for an older server: no
/// data, warnings, success, then information (the order GQL gives them).
fn precedence(gql_status: &str) -> u8 {
    match gql_status.get(..2) {
        Some("02") => 0,
        Some("01") => 1,
        Some("00") => 2,
        _ => 3,
    }
}

fn millis(ms: i64) -> Option<Duration> {
    u64::try_from(ms).ok().map(Duration::from_millis)
}
