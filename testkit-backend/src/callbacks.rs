//! Callbacks into the test: the backend sends a request (such as
//! `BookmarksSupplierRequest`) in the middle of handling another one, and
//! testkit answers with the matching `...Completed` message.
//!
//! The connection's reader hands every `...Completed` to
//! [`Callbacks::complete`], which wakes the code waiting in
//! [`Callbacks::call`], whatever request is being handled at the time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::oneshot;

use crate::protocol::requests::CallbackCompleted;
use crate::protocol::responses::Response;
use crate::state::{Ids, Outbox};

/// How long a callback may take: testkit answers callbacks at once, and
/// gives up on the backend after 10 s itself.
pub(crate) const CALLBACK_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a callback got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CallbackError {
    /// The connection to testkit closed.
    Disconnected,
    /// Testkit did not answer within the limit.
    TimedOut(Duration),
}

impl std::fmt::Display for CallbackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallbackError::Disconnected => f.write_str("the testkit connection closed"),
            CallbackError::TimedOut(limit) => {
                write!(f, "testkit did not answer the callback within {limit:?}")
            }
        }
    }
}

impl std::error::Error for CallbackError {}

/// The callbacks of one connection that wait for testkit's answer.
#[derive(Debug, Clone)]
pub(crate) struct Callbacks {
    outbox: Outbox,
    ids: Arc<Ids>,
    waiting: Arc<Mutex<HashMap<String, oneshot::Sender<serde_json::Value>>>>,
}

impl Callbacks {
    pub(crate) fn new(outbox: Outbox, ids: Arc<Ids>) -> Self {
        Callbacks {
            outbox,
            ids,
            waiting: Arc::default(),
        }
    }

    /// Sends the request `make` builds for a fresh callback id and waits for
    /// testkit's answer (the `data` of its `...Completed` message).
    pub(crate) async fn call(
        &self,
        make: impl FnOnce(String) -> Response,
        timeout: Duration,
    ) -> Result<serde_json::Value, CallbackError> {
        let id = self.ids.next("cb");
        let (sender, receiver) = oneshot::channel();
        self.lock().insert(id.clone(), sender);
        if !self.outbox.send(&make(id.clone())) {
            self.lock().remove(&id);
            return Err(CallbackError::Disconnected);
        }
        let answer = tokio::time::timeout(timeout, receiver).await;
        self.lock().remove(&id);
        match answer {
            Ok(Ok(data)) => Ok(data),
            Ok(Err(_)) => Err(CallbackError::Disconnected),
            Err(_) => Err(CallbackError::TimedOut(timeout)),
        }
    }

    /// [`call`](Self::call) from synchronous driver code (a trait method the
    /// driver calls while it runs on this runtime): the worker thread
    /// blocks, handing its other tasks to the rest of the runtime, while
    /// the connection's reader delivers the answer.
    pub(crate) fn call_blocking(
        &self,
        make: impl FnOnce(String) -> Response,
    ) -> Result<serde_json::Value, CallbackError> {
        let handle = tokio::runtime::Handle::current();
        tokio::task::block_in_place(|| handle.block_on(self.call(make, CALLBACK_TIMEOUT)))
    }

    /// Delivers testkit's answer; `false` when no callback waits for it.
    pub(crate) fn complete(&self, completed: CallbackCompleted) -> bool {
        match self.lock().remove(&completed.request_id) {
            Some(waiting) => waiting.send(completed.data).is_ok(),
            None => false,
        }
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<String, oneshot::Sender<serde_json::Value>>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::mpsc;

    fn callbacks() -> (Callbacks, mpsc::UnboundedReceiver<String>) {
        let (sender, receiver) = mpsc::unbounded_channel();
        (
            Callbacks::new(Outbox::new(sender), Arc::default()),
            receiver,
        )
    }

    fn supplier_request(id: String) -> Response {
        Response::BookmarksSupplierRequest {
            id,
            bookmark_manager_id: "bm0".into(),
        }
    }

    #[tokio::test]
    async fn an_answer_wakes_the_waiting_callback() {
        let (callbacks, mut sent) = callbacks();
        let answering = callbacks.clone();
        let answer = tokio::spawn(async move {
            let request = sent.recv().await.unwrap();
            assert!(request.contains("BookmarksSupplierRequest"), "{request}");
            assert!(request.contains("\"id\":\"cb0\""), "{request}");
            assert!(answering.complete(CallbackCompleted {
                name: "BookmarksSupplierCompleted".into(),
                request_id: "cb0".into(),
                data: serde_json::json!({"requestId": "cb0", "bookmarks": ["a"]}),
            }));
        });
        let data = callbacks
            .call(supplier_request, Duration::from_secs(5))
            .await
            .unwrap();
        assert_eq!(data["bookmarks"][0], "a");
        answer.await.unwrap();
    }

    #[tokio::test]
    async fn unanswered_callbacks_time_out_and_strays_are_refused() {
        let (callbacks, _sent) = callbacks();
        let outcome = callbacks
            .call(supplier_request, Duration::from_millis(20))
            .await;
        assert_eq!(
            outcome,
            Err(CallbackError::TimedOut(Duration::from_millis(20)))
        );
        assert!(!callbacks.complete(CallbackCompleted {
            name: "BookmarksSupplierCompleted".into(),
            request_id: "cb0".into(),
            data: serde_json::Value::Null,
        }));
    }

    #[tokio::test]
    async fn a_closed_connection_fails_the_callback_at_once() {
        let (callbacks, sent) = callbacks();
        drop(sent);
        let outcome = callbacks
            .call(supplier_request, Duration::from_secs(5))
            .await;
        assert_eq!(outcome, Err(CallbackError::Disconnected));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn blocking_calls_are_answered_by_other_tasks() {
        let (callbacks, mut sent) = callbacks();
        let answering = callbacks.clone();
        tokio::spawn(async move {
            let _request = sent.recv().await.unwrap();
            answering.complete(CallbackCompleted {
                name: "BookmarksSupplierCompleted".into(),
                request_id: "cb0".into(),
                data: serde_json::json!({"bookmarks": []}),
            });
        });
        let data = tokio::spawn(async move { callbacks.call_blocking(supplier_request) })
            .await
            .unwrap()
            .unwrap();
        assert_eq!(data["bookmarks"], serde_json::json!([]));
    }
}
