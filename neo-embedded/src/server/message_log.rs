//! The message log: what each request the server received carried.

use std::collections::VecDeque;
use std::time::Duration;

use neo_bolt::message::{AccessMode, NotificationFilter, Request, TelemetryApi, TxExtra};
use neo_bolt::packstream::Map;

/// How many messages the log keeps by default; older ones are dropped first.
pub(crate) const DEFAULT_CAPACITY: usize = 10_000;

/// One request as the server received it, with the fields a test may want
/// to check: that a session's database, bookmarks, access mode, timeout,
/// metadata or fetch size reached the server.
///
/// Fields that the message type does not have are empty (`None`, an empty
/// list or map). Credentials are never kept; parameters are kept by name
/// only. Read the log with [`Controls::messages`](super::Controls::messages).
///
/// ```
/// use std::time::Duration;
/// use neo_embedded::{EmbeddedServer, ServerConfig};
///
/// # async fn check(server: &EmbeddedServer) {
/// // After the code under test ran `session.begin_transaction()` with a
/// // 5-second timeout on database `sales`:
/// let begin = server
///     .controls()
///     .messages_named("BEGIN")
///     .pop()
///     .expect("a BEGIN arrived");
/// assert_eq!(begin.db.as_deref(), Some("sales"));
/// assert_eq!(begin.tx_timeout, Some(Duration::from_secs(5)));
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReceivedMessage {
    /// The connection it came on, as in the HELLO SUCCESS (`bolt-3`).
    pub connection: String,
    /// Its type: `HELLO`, `LOGON`, `BEGIN`, `RUN`, `PULL`, ... (`UNKNOWN`
    /// for an unknown tag).
    pub message: &'static str,
    /// Whether it could be decoded; an undecodable request has only its
    /// type and connection.
    pub decoded: bool,
    /// HELLO: the `user_agent`.
    pub user_agent: Option<String>,
    /// HELLO: the `product` of the `bolt_agent` (Bolt 5.3+).
    pub bolt_agent: Option<String>,
    /// HELLO and ROUTE: the routing context.
    pub routing: Option<Map>,
    /// HELLO (up to Bolt 5.0) and LOGON: the authentication scheme.
    pub scheme: Option<String>,
    /// HELLO (up to Bolt 5.0) and LOGON: the principal, if the scheme has one.
    pub principal: Option<String>,
    /// HELLO, BEGIN and RUN: the notification filter (Bolt 5.2+).
    pub notifications: NotificationFilter,
    /// BEGIN, RUN and ROUTE: the bookmarks.
    pub bookmarks: Vec<String>,
    /// BEGIN, RUN and ROUTE: the database named, if any.
    pub db: Option<String>,
    /// BEGIN and RUN: the access mode (write when the message names none).
    pub mode: Option<AccessMode>,
    /// BEGIN and RUN: the transaction timeout, if any.
    pub tx_timeout: Option<Duration>,
    /// BEGIN and RUN: the transaction metadata (empty when none).
    pub tx_metadata: Map,
    /// BEGIN, RUN and ROUTE: the user to impersonate, if any.
    pub imp_user: Option<String>,
    /// RUN: the query text.
    pub query: Option<String>,
    /// RUN: the names of the parameters, sorted.
    pub parameters: Vec<String>,
    /// PULL and DISCARD: how many records (`-1`: all).
    pub n: Option<i64>,
    /// PULL and DISCARD: the result addressed (`None`: the last one).
    pub qid: Option<i64>,
    /// TELEMETRY: the API reported.
    pub telemetry: Option<TelemetryApi>,
}

impl ReceivedMessage {
    fn empty(connection: &str, message: &'static str) -> Self {
        ReceivedMessage {
            connection: connection.to_owned(),
            message,
            decoded: false,
            user_agent: None,
            bolt_agent: None,
            routing: None,
            scheme: None,
            principal: None,
            notifications: NotificationFilter::default(),
            bookmarks: Vec::new(),
            db: None,
            mode: None,
            tx_timeout: None,
            tx_metadata: Map::new(),
            imp_user: None,
            query: None,
            parameters: Vec::new(),
            n: None,
            qid: None,
            telemetry: None,
        }
    }

    /// A request that could not be decoded.
    pub(crate) fn undecodable(connection: &str, message: &'static str) -> Self {
        ReceivedMessage::empty(connection, message)
    }

    /// What a decoded request carried.
    pub(crate) fn of(connection: &str, message: &'static str, request: &Request<'_>) -> Self {
        let mut entry = ReceivedMessage::empty(connection, message);
        entry.decoded = true;
        match request {
            Request::Hello(hello) => {
                entry.user_agent = Some(hello.user_agent.clone().into_owned());
                entry.bolt_agent = hello.bolt_agent.as_ref().map(|a| a.product.clone());
                entry.routing = hello.routing.as_ref().map(|r| r.clone().into_owned());
                if let Some(auth) = &hello.auth {
                    entry.scheme = Some(auth.scheme().to_owned());
                    entry.principal = auth.principal().map(str::to_owned);
                }
                entry.notifications = hello.notifications;
            }
            Request::Logon(logon) => {
                entry.scheme = Some(logon.auth.scheme().to_owned());
                entry.principal = logon.auth.principal().map(str::to_owned);
            }
            Request::Begin(begin) => entry.transaction(&begin.extra),
            Request::Run(run) => {
                entry.transaction(&run.extra);
                entry.query = Some(run.query.clone().into_owned());
                if let neo_bolt::message::Parameters::Map(parameters) = &run.parameters {
                    entry.parameters = parameters.keys().cloned().collect();
                    entry.parameters.sort();
                }
            }
            Request::Pull(pull) => {
                entry.n = Some(pull.n);
                entry.qid = pull.qid;
            }
            Request::Discard(discard) => {
                entry.n = Some(discard.n);
                entry.qid = discard.qid;
            }
            Request::Route(route) => {
                entry.routing = Some(route.routing.clone().into_owned());
                entry.bookmarks = route.bookmarks.to_vec();
                entry.db = route.db.as_ref().map(|db| db.clone().into_owned());
                entry.imp_user = route.imp_user.as_ref().map(|u| u.clone().into_owned());
            }
            Request::Telemetry(telemetry) => entry.telemetry = Some(telemetry.api),
            _ => {}
        }
        entry
    }

    fn transaction(&mut self, extra: &TxExtra<'_>) {
        self.bookmarks = extra.bookmarks.to_vec();
        self.db = extra.db.as_ref().map(|db| db.clone().into_owned());
        self.mode = Some(extra.mode);
        self.tx_timeout = extra.tx_timeout;
        self.tx_metadata = extra.tx_metadata.clone().into_owned();
        self.imp_user = extra.imp_user.as_ref().map(|u| u.clone().into_owned());
        self.notifications = extra.notifications;
    }
}

/// The newest received messages, oldest first, at most `capacity`.
#[derive(Debug)]
pub(crate) struct MessageLog {
    entries: VecDeque<ReceivedMessage>,
    capacity: usize,
}

impl Default for MessageLog {
    fn default() -> Self {
        MessageLog {
            entries: VecDeque::new(),
            capacity: DEFAULT_CAPACITY,
        }
    }
}

impl MessageLog {
    pub(crate) fn push(&mut self, entry: ReceivedMessage) {
        if self.capacity == 0 {
            return;
        }
        while self.entries.len() >= self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    pub(crate) fn entries(&self) -> impl Iterator<Item = &ReceivedMessage> {
        self.entries.iter()
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }

    pub(crate) fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity;
        while self.entries.len() > capacity {
            self.entries.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use neo_bolt::message::{AuthToken, Begin, Logon, Run};
    use neo_bolt::packstream::Value;

    use super::*;

    #[test]
    fn a_begin_keeps_every_transaction_field() {
        let extra = TxExtra {
            bookmarks: Cow::Owned(vec!["b1".to_owned()]),
            tx_timeout: Some(Duration::from_millis(1500)),
            tx_metadata: Cow::Owned(Map::from([("app".to_owned(), Value::from("x"))])),
            mode: AccessMode::Read,
            db: Some("sales".into()),
            imp_user: Some("bob".into()),
            ..TxExtra::default()
        };
        let entry = ReceivedMessage::of("bolt-1", "BEGIN", &Request::Begin(Begin { extra }));
        assert_eq!(entry.bookmarks, ["b1"]);
        assert_eq!(entry.tx_timeout, Some(Duration::from_millis(1500)));
        assert_eq!(entry.tx_metadata["app"], Value::from("x"));
        assert_eq!(entry.mode, Some(AccessMode::Read));
        assert_eq!(entry.db.as_deref(), Some("sales"));
        assert_eq!(entry.imp_user.as_deref(), Some("bob"));
    }

    #[test]
    fn a_run_keeps_its_query_and_parameter_names_only() {
        let run = Run {
            query: "RETURN $b, $a".into(),
            parameters: neo_bolt::message::Parameters::Map(Cow::Owned(Map::from([
                ("b".to_owned(), Value::Integer(2)),
                ("a".to_owned(), Value::Integer(1)),
            ]))),
            ..Run::default()
        };
        let entry = ReceivedMessage::of("bolt-1", "RUN", &Request::Run(run));
        assert_eq!(entry.query.as_deref(), Some("RETURN $b, $a"));
        assert_eq!(entry.parameters, ["a", "b"]);
    }

    #[test]
    fn a_logon_keeps_the_principal_but_never_the_password() {
        let logon = Request::Logon(Logon {
            auth: Cow::Owned(AuthToken::basic("neo4j", "s3cret")),
        });
        let entry = ReceivedMessage::of("bolt-1", "LOGON", &logon);
        assert_eq!(entry.scheme.as_deref(), Some("basic"));
        assert_eq!(entry.principal.as_deref(), Some("neo4j"));
        assert!(!format!("{entry:?}").contains("s3cret"));
    }

    #[test]
    fn the_log_drops_its_oldest_entries_beyond_capacity() {
        let mut log = MessageLog::default();
        log.set_capacity(2);
        for message in ["HELLO", "RUN", "PULL"] {
            log.push(ReceivedMessage::undecodable("bolt-1", message));
        }
        let kept: Vec<_> = log.entries().map(|e| e.message).collect();
        assert_eq!(kept, ["RUN", "PULL"]);
        log.set_capacity(0);
        log.push(ReceivedMessage::undecodable("bolt-1", "RESET"));
        assert_eq!(log.entries().count(), 0);
    }
}
