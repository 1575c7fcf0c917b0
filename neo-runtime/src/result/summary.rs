//! What the server reports when a result ends.

use std::sync::Arc;
use std::time::Duration;

use neo_bolt::message::{Counters, GqlStatusObject, Notification, QueryType, Success};

use crate::address::Address;
use crate::io::bolt::ServerInfo;

/// What the server reported when a result ended.
#[derive(Debug, Clone)]
pub struct ResultSummary {
    success: Success,
    t_first: Option<i64>,
    server: Arc<ServerInfo>,
}

impl ResultSummary {
    pub(crate) fn new(success: Success, t_first: Option<i64>, server: Arc<ServerInfo>) -> Self {
        ResultSummary {
            success,
            t_first,
            server,
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

    /// The server's notifications (rebuilt from GQL statuses on Bolt 5.6+).
    pub fn notifications(&self) -> Vec<Notification> {
        self.success.notifications()
    }

    /// The GQL status objects (Bolt 5.6+).
    pub fn gql_statuses(&self) -> Vec<GqlStatusObject> {
        self.success.statuses()
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

    /// The Bolt version the connection to that server agreed.
    pub fn protocol_version(&self) -> neo_bolt::BoltVersion {
        self.server.protocol_version
    }

    /// The raw closing metadata.
    pub fn metadata(&self) -> &neo_bolt::packstream::Map {
        self.success.metadata()
    }
}

fn millis(ms: i64) -> Option<Duration> {
    u64::try_from(ms).ok().map(Duration::from_millis)
}
