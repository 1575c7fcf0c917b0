//! What one testkit connection shares between its dispatcher and its
//! session tasks: the answer channel, ids, errors and the id routes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use tokio::sync::mpsc;

use crate::protocol::framing::frame_response;
use crate::protocol::responses::Response;

/// Sends framed answers (and callback requests) to testkit, in order.
#[derive(Debug, Clone)]
pub(crate) struct Outbox(mpsc::UnboundedSender<String>);

impl Outbox {
    pub(crate) fn new(sender: mpsc::UnboundedSender<String>) -> Self {
        Outbox(sender)
    }

    /// Queues an answer; `false` when the connection is gone.
    pub(crate) fn send(&self, response: &Response) -> bool {
        self.0.send(frame_response(&response.to_json())).is_ok()
    }
}

/// Issues the ids of one connection's objects: unique per connection, with
/// a prefix naming the kind of object (for readable logs).
#[derive(Debug, Default)]
pub(crate) struct Ids(AtomicU64);

impl Ids {
    pub(crate) fn next(&self, prefix: &str) -> String {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        format!("{prefix}{n}")
    }
}

/// Which session owns each transaction and result id: requests on those
/// ids go to that session's task.
#[derive(Debug, Default)]
pub(crate) struct Routes(Mutex<HashMap<String, String>>);

impl Routes {
    pub(crate) fn insert(&self, object_id: &str, session_id: &str) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(object_id.to_owned(), session_id.to_owned());
    }

    pub(crate) fn session_of(&self, object_id: &str) -> Option<String> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(object_id)
            .cloned()
    }
}

/// The driver errors reported to testkit, by id: `RetryableNegative` names
/// one to hand back to the driver's retry loop.
#[derive(Debug, Default)]
pub(crate) struct ErrorStore(Mutex<HashMap<String, neo_runtime::Error>>);

impl ErrorStore {
    pub(crate) fn keep(&self, id: &str, error: neo_runtime::Error) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id.to_owned(), error);
    }

    /// Whether `id` names a driver error (as opposed to a usage error the
    /// backend reported, which is not kept).
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains_key(id)
    }

    pub(crate) fn take(&self, id: &str) -> Option<neo_runtime::Error> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_prefixed() {
        let ids = Ids::default();
        assert_eq!(ids.next("s"), "s0");
        assert_eq!(ids.next("r"), "r1");
    }

    #[test]
    fn routes_lead_to_the_owning_session() {
        let routes = Routes::default();
        routes.insert("r1", "s1");
        routes.insert("r3", "s2");
        assert_eq!(routes.session_of("r1").as_deref(), Some("s1"));
        assert_eq!(routes.session_of("r3").as_deref(), Some("s2"));
        assert_eq!(routes.session_of("t9"), None);
    }

    #[test]
    fn only_driver_errors_are_kept() {
        let store = ErrorStore::default();
        let error = "ftp://x"
            .parse::<neo_runtime::uri::ConnectionUri>()
            .unwrap_err();
        store.keep("e1", error);
        assert!(store.contains("e1"));
        assert!(!store.contains("e2"));
        assert!(store.take("e1").is_some());
        assert!(!store.contains("e1"));
    }

    #[tokio::test]
    async fn the_outbox_frames_answers() {
        let (sender, mut receiver) = mpsc::unbounded_channel();
        let outbox = Outbox::new(sender);
        assert!(outbox.send(&Response::RunTest));
        assert_eq!(
            receiver.recv().await.unwrap(),
            "#response begin\n{\"name\":\"RunTest\"}\n#response end\n"
        );
        drop(receiver);
        assert!(!outbox.send(&Response::RunTest));
    }
}
