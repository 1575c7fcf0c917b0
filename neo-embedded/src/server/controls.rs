//! Test controls: message counters and fault injection.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use neo_bolt::ServerError;
use neo_bolt::message::GqlStatusObject;
use neo_bolt::packstream::{Map, Value};

use super::results::ResultStream;
use tokio::sync::watch;

use super::message_log::{MessageLog, ReceivedMessage};

/// Which requests a fault applies to: a message type (`"RUN"`, `"PULL"`,
/// ...; any when unset), optionally a substring of the query (RUN only),
/// skipping the first matches.
///
/// ```
/// use neo_embedded::Trigger;
///
/// // The third PULL from now on.
/// let trigger = Trigger::on("PULL").nth(3);
/// // Any RUN whose query mentions `Person`.
/// let trigger = Trigger::on("RUN").query_contains("Person");
/// // The fifth message of any type.
/// let trigger = Trigger::any().nth(5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Trigger {
    message: Option<String>,
    query_contains: Option<String>,
    skip: u64,
}

impl Trigger {
    /// Matches every request.
    pub fn any() -> Self {
        Trigger::default()
    }

    /// Matches requests of one type, such as `"RUN"` (case-insensitive).
    pub fn on(message: &str) -> Self {
        Trigger {
            message: Some(message.to_ascii_uppercase()),
            ..Trigger::default()
        }
    }

    /// Matches only RUN requests whose query contains `text`.
    pub fn query_contains(mut self, text: impl Into<String>) -> Self {
        self.query_contains = Some(text.into());
        self
    }

    /// Fires first on the `n`-th matching request (counting from 1) after
    /// the fault is installed, letting the earlier ones through.
    pub fn nth(mut self, n: u64) -> Self {
        self.skip = n.saturating_sub(1);
        self
    }

    fn matches(&self, message: &str, query: Option<&str>) -> bool {
        self.message.as_deref().is_none_or(|m| m == message)
            && self
                .query_contains
                .as_deref()
                .is_none_or(|text| query.is_some_and(|q| q.contains(text)))
    }
}

/// When a connection is closed by [`Controls::close_connection`], or falls
/// silent by [`Controls::go_silent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timing {
    /// Before the request runs: it has no effect and gets no answer.
    BeforeExecuting,
    /// After the request ran and its answer was sent.
    AfterExecuting,
    /// After the request ran, with its answer lost: a COMMIT commits (its
    /// bookmark exists on the server) but its SUCCESS never reaches the
    /// client.
    AnswerLost,
}

/// What a fault does.
#[derive(Debug, Clone)]
pub(crate) enum Action {
    Close(Timing),
    Silence(Timing),
    Fail(ServerError),
    Delay(Duration),
}

#[derive(Debug)]
struct Fault {
    trigger: Trigger,
    action: Action,
    remaining: u64,
}

#[derive(Debug, Default)]
struct State {
    received: BTreeMap<&'static str, u64>,
    faults: Vec<Fault>,
    /// Connections fall silent after their next FAILURE.
    silent_after_failure: bool,
    log: MessageLog,
    /// Notifications attached to the results of matching queries.
    notifications: Vec<(Trigger, GqlStatusObject)>,
    /// The home database, when not the default one.
    home_database: Option<String>,
    /// Queries the server answers itself instead of running them.
    answers: Vec<(Trigger, Answer)>,
}

/// What the server answers a RUN with instead of running its query (see
/// [`Controls::answer`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// These columns and rows.
    Rows {
        /// The column names.
        fields: Vec<String>,
        /// The rows, each a value per column.
        rows: Vec<Vec<Value>>,
    },
    /// One row holding the query's parameters, one column each, named after
    /// them (in name order): what the server decoded, sent back.
    Parameters,
}

impl Answer {
    /// The result of the answer to a RUN with these parameters.
    pub(crate) fn result(&self, parameters: Map) -> ResultStream {
        match self {
            Answer::Rows { fields, rows } => {
                ResultStream::new(fields.clone(), rows.clone(), Map::new(), "r")
            }
            Answer::Parameters => {
                let (fields, row) = parameters.into_iter().unzip();
                ResultStream::new(fields, vec![row], Map::new(), "r")
            }
        }
    }
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    connections: AtomicU64,
    /// Bumped to close every open connection.
    close_all: watch::Sender<u64>,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            state: Mutex::default(),
            connections: AtomicU64::new(0),
            close_all: watch::Sender::new(0),
        }
    }
}

/// What to do with one request, as decided by the installed faults.
#[derive(Debug, Default)]
pub(crate) struct Verdict {
    pub(crate) delay: Option<Duration>,
    pub(crate) close: Option<Timing>,
    pub(crate) silence: Option<Timing>,
    pub(crate) fail: Option<ServerError>,
}

/// Test controls of a running server: how many messages of each type
/// arrived and what each carried (the message log), and faults to inject.
/// Cloning shares the same controls.
///
/// Faults apply to every connection of the server, in the order they were
/// installed; each fires a given number of times and is then gone.
///
/// ```
/// use std::time::Duration;
/// use neo_bolt::StatusCode;
/// use neo_embedded::{Controls, Timing, Trigger};
///
/// let controls = Controls::default();
/// controls.fail(Trigger::on("COMMIT"), 2, StatusCode::DEADLOCK_DETECTED, "deadlock");
/// controls.close_connection(Trigger::on("PULL").nth(3), Timing::BeforeExecuting);
/// // A COMMIT that commits, then the connection closes before its SUCCESS.
/// controls.close_connection(Trigger::on("COMMIT"), Timing::AnswerLost);
/// // A RESET answered only after two seconds.
/// controls.delay_times(Trigger::on("RESET"), 1, Duration::from_secs(2));
/// // Like some third-party servers: nothing more after a FAILURE.
/// controls.go_silent_after_failure();
/// assert_eq!(controls.received("PULL"), 0);
/// assert!(controls.messages().is_empty());
/// controls.clear_faults();
/// ```
#[derive(Debug, Clone, Default)]
pub struct Controls {
    shared: Arc<Shared>,
}

impl Controls {
    fn state(&self) -> MutexGuard<'_, State> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// How many messages of this type (`"PULL"`, `"RUN"`, ...) the server
    /// has received since it started or since [`reset_counts`](Self::reset_counts).
    /// Unknown message tags count as `"UNKNOWN"`.
    pub fn received(&self, message: &str) -> u64 {
        let message = message.to_ascii_uppercase();
        self.state()
            .received
            .iter()
            .find(|(name, _)| **name == message)
            .map_or(0, |(_, count)| *count)
    }

    /// How many messages of any type the server has received.
    pub fn received_total(&self) -> u64 {
        self.state().received.values().sum()
    }

    /// Every message type received so far, with its count.
    pub fn received_all(&self) -> BTreeMap<String, u64> {
        self.state()
            .received
            .iter()
            .map(|(name, count)| ((*name).to_owned(), *count))
            .collect()
    }

    /// Sets every message counter back to zero.
    pub fn reset_counts(&self) {
        self.state().received.clear();
    }

    /// Every message received so far (the newest 10,000 by default, see
    /// [`set_message_log_capacity`](Self::set_message_log_capacity)), in
    /// the order the server read them, across all connections.
    pub fn messages(&self) -> Vec<ReceivedMessage> {
        self.state().log.entries().cloned().collect()
    }

    /// The logged messages of one type (`"BEGIN"`, `"run"`, ...), in order.
    pub fn messages_named(&self, message: &str) -> Vec<ReceivedMessage> {
        let message = message.to_ascii_uppercase();
        self.state()
            .log
            .entries()
            .filter(|entry| entry.message == message)
            .cloned()
            .collect()
    }

    /// Empties the message log.
    pub fn clear_messages(&self) {
        self.state().log.clear();
    }

    /// Keeps at most the newest `capacity` messages in the log (0 keeps
    /// none); older ones are dropped first.
    pub fn set_message_log_capacity(&self, capacity: usize) {
        self.state().log.set_capacity(capacity);
    }

    /// How many connections have been accepted since the server started.
    pub fn connections_accepted(&self) -> u64 {
        self.shared.connections.load(Ordering::Relaxed)
    }

    /// Closes the connection on the next request matching `trigger`, before
    /// or after running it. Fires once.
    pub fn close_connection(&self, trigger: Trigger, timing: Timing) {
        self.install(trigger, Action::Close(timing), 1);
    }

    /// From the next request matching `trigger` on, the connection answers
    /// nothing at all, as a hung server would: it keeps reading (and
    /// logging) requests, runs none of them, and stays open until the client
    /// closes it or the server stops. With [`Timing::AfterExecuting`] the
    /// matching request still runs and is answered; with
    /// [`Timing::AnswerLost`] it runs but its answer is never sent. Fires
    /// once.
    pub fn go_silent(&self, trigger: Trigger, timing: Timing) {
        self.install(trigger, Action::Silence(timing), 1);
    }

    /// Until [`clear_faults`](Self::clear_faults), a connection that is
    /// sent a FAILURE answers nothing after it, as some third-party Bolt
    /// servers do: the requests pipelined behind the failed one, and any
    /// RESET, get no answer at all.
    pub fn go_silent_after_failure(&self) {
        self.state().silent_after_failure = true;
    }

    pub(crate) fn silent_after_failure(&self) -> bool {
        self.state().silent_after_failure
    }

    /// Answers the next `times` requests matching `trigger` with a FAILURE
    /// carrying `code` and `message` (shaped for the connection's version),
    /// instead of running them. The connection then behaves as after any
    /// failure: FAILED until RESET, its transaction rolled back.
    pub fn fail(
        &self,
        trigger: Trigger,
        times: u64,
        code: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.fail_with(trigger, times, ServerError::new(code, message));
    }

    /// Like [`fail`](Self::fail) with a ready-made error.
    pub fn fail_with(&self, trigger: Trigger, times: u64, error: ServerError) {
        self.install(trigger, Action::Fail(error), times);
    }

    /// Delays the answer to every request matching `trigger` by `delay`,
    /// until [`clear_faults`](Self::clear_faults).
    pub fn delay(&self, trigger: Trigger, delay: Duration) {
        self.install(trigger, Action::Delay(delay), u64::MAX);
    }

    /// Delays the answer to the next `times` requests matching `trigger`.
    pub fn delay_times(&self, trigger: Trigger, times: u64, delay: Duration) {
        self.install(trigger, Action::Delay(delay), times);
    }

    /// Closes every connection open right now, as a server restart would:
    /// open transactions are rolled back and nothing more is answered.
    /// Connections opened afterwards are served normally.
    pub fn close_all_connections(&self) {
        self.shared
            .close_all
            .send_modify(|generation| *generation += 1);
    }

    /// A receiver that changes when [`close_all_connections`](Self::close_all_connections)
    /// is called.
    pub(crate) fn closing(&self) -> watch::Receiver<u64> {
        self.shared.close_all.subscribe()
    }

    /// Removes every fault (including
    /// [`go_silent_after_failure`](Self::go_silent_after_failure)),
    /// notification and answer. Connections that have already fallen silent
    /// stay silent.
    pub fn clear_faults(&self) {
        let mut state = self.state();
        state.faults.clear();
        state.silent_after_failure = false;
        state.notifications.clear();
        state.answers.clear();
    }

    /// Attaches a notification to the result of every RUN matching
    /// `trigger` (its query text; `nth` is not used), as Neo4j does for a
    /// query it has a warning or a hint about. The notification filters
    /// the client sent in HELLO, BEGIN and RUN apply: what they disable is
    /// not sent. It arrives in the result's summary: as a GQL status from
    /// Bolt 5.6, as a notification (`code`, `title`, `severity`,
    /// `category`, `position`, ...) before.
    ///
    /// ```
    /// use neo_bolt::message::GqlStatusObject;
    /// use neo_bolt::packstream::{Map, Value};
    /// use neo_embedded::{Controls, Trigger};
    ///
    /// let mut diagnostic_record = Map::new();
    /// diagnostic_record.insert("_severity".into(), Value::from("WARNING"));
    /// diagnostic_record.insert("_classification".into(), Value::from("UNRECOGNIZED"));
    /// let mut status = GqlStatusObject::default();
    /// status.gql_status = "01N50".into();
    /// status.status_description = "warn: label does not exist".into();
    /// status.neo4j_code = Some("Neo.ClientNotification.Statement.UnknownLabelWarning".into());
    /// status.diagnostic_record = diagnostic_record;
    /// Controls::default().notify(Trigger::on("RUN").query_contains(":Persn"), status);
    /// ```
    pub fn notify(&self, trigger: Trigger, status: GqlStatusObject) {
        self.state().notifications.push((trigger, status));
    }

    /// Answers every RUN matching `trigger` with `answer` instead of running
    /// its query: to serve values no graph engine stores, such as the
    /// vectors of Bolt 6, or to send back what the server decoded. The
    /// values are sent as the connection's protocol version allows: one it
    /// cannot carry fails the request, as Neo4j would.
    ///
    /// ```
    /// use neo_bolt::Value;
    /// use neo_embedded::{Answer, Controls, Trigger};
    ///
    /// let controls = Controls::default();
    /// controls.answer(Trigger::on("RUN").query_contains("echo"), Answer::Parameters);
    /// controls.answer(
    ///     Trigger::on("RUN").query_contains("answer"),
    ///     Answer::Rows { fields: vec!["n".into()], rows: vec![vec![Value::from(42)]] },
    /// );
    /// ```
    pub fn answer(&self, trigger: Trigger, answer: Answer) {
        self.state().answers.push((trigger, answer));
    }

    /// The answer to a query, if a test gave one.
    pub(crate) fn answer_for(&self, query: &str) -> Option<Answer> {
        self.state()
            .answers
            .iter()
            .find(|(trigger, _)| trigger.matches("RUN", Some(query)))
            .map(|(_, answer)| answer.clone())
    }

    /// Makes `database` every user's home database (`None`: back to
    /// `neo4j`), as `ALTER USER ... SET HOME DATABASE` would: statements
    /// and ROUTE requests that name no database go to it from now on.
    ///
    /// ```
    /// use neo_embedded::Controls;
    ///
    /// Controls::default().set_home_database(Some("sales"));
    /// ```
    pub fn set_home_database(&self, database: Option<&str>) {
        self.state().home_database = database.map(str::to_ascii_lowercase);
    }

    /// The home database, when set.
    pub(crate) fn home_database(&self) -> Option<String> {
        self.state().home_database.clone()
    }

    /// The notifications attached to a query.
    pub(crate) fn notifications_for(&self, query: &str) -> Vec<GqlStatusObject> {
        self.state()
            .notifications
            .iter()
            .filter(|(trigger, _)| trigger.matches("RUN", Some(query)))
            .map(|(_, status)| status.clone())
            .collect()
    }

    fn install(&self, trigger: Trigger, action: Action, times: u64) {
        if times == 0 {
            return;
        }
        self.state().faults.push(Fault {
            trigger,
            action,
            remaining: times,
        });
    }

    pub(crate) fn count_connection(&self) -> u64 {
        self.shared.connections.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Counts a received message and logs what it carried.
    pub(crate) fn receive(&self, entry: ReceivedMessage) {
        let mut state = self.state();
        *state.received.entry(entry.message).or_insert(0) += 1;
        state.log.push(entry);
    }

    /// Consults the faults for one request about to run. At most one fault
    /// of each kind fires; the first installed wins.
    pub(crate) fn verdict(&self, message: &str, query: Option<&str>) -> Verdict {
        let mut state = self.state();
        let mut verdict = Verdict::default();
        for fault in &mut state.faults {
            if !fault.trigger.matches(message, query) {
                continue;
            }
            let slot_taken = match fault.action {
                Action::Close(_) => verdict.close.is_some(),
                Action::Silence(_) => verdict.silence.is_some(),
                Action::Fail(_) => verdict.fail.is_some(),
                Action::Delay(_) => verdict.delay.is_some(),
            };
            if slot_taken {
                continue;
            }
            if fault.trigger.skip > 0 {
                fault.trigger.skip -= 1;
                continue;
            }
            fault.remaining = fault.remaining.saturating_sub(1);
            match &fault.action {
                Action::Close(timing) => verdict.close = Some(*timing),
                Action::Silence(timing) => verdict.silence = Some(*timing),
                Action::Fail(error) => verdict.fail = Some(error.clone()),
                Action::Delay(delay) => verdict.delay = Some(*delay),
            }
        }
        state.faults.retain(|fault| fault.remaining > 0);
        verdict
    }
}

#[cfg(test)]
mod tests {
    use neo_bolt::StatusCode;

    use super::*;

    #[test]
    fn nth_trigger_lets_earlier_matches_through() {
        let controls = Controls::default();
        controls.close_connection(Trigger::on("pull").nth(3), Timing::AfterExecuting);
        assert!(controls.verdict("PULL", None).close.is_none());
        assert!(controls.verdict("RUN", None).close.is_none());
        assert!(controls.verdict("PULL", None).close.is_none());
        assert_eq!(
            controls.verdict("PULL", None).close,
            Some(Timing::AfterExecuting)
        );
        assert!(controls.verdict("PULL", None).close.is_none());
    }

    #[test]
    fn failures_fire_the_given_number_of_times_on_matching_queries() {
        let controls = Controls::default();
        controls.fail(
            Trigger::on("RUN").query_contains("CREATE"),
            2,
            StatusCode::DEADLOCK_DETECTED,
            "m",
        );
        assert!(controls.verdict("RUN", Some("MATCH (n)")).fail.is_none());
        assert!(controls.verdict("RUN", Some("CREATE (n)")).fail.is_some());
        assert!(controls.verdict("PULL", None).fail.is_none());
        assert!(controls.verdict("RUN", Some("CREATE (n)")).fail.is_some());
        assert!(controls.verdict("RUN", Some("CREATE (n)")).fail.is_none());
    }

    #[test]
    fn counts_are_per_type_and_resettable() {
        let controls = Controls::default();
        for message in ["PULL", "PULL", "RUN"] {
            controls.receive(ReceivedMessage::undecodable("bolt-1", message));
        }
        assert_eq!(controls.received("pull"), 2);
        assert_eq!(controls.received_total(), 3);
        controls.reset_counts();
        assert_eq!(controls.received("PULL"), 0);
    }
}
