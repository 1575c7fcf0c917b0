//! The bookmark manager testkit asks for (`NewBookmarkManager`): the
//! driver's [`SharedBookmarkManager`], plus the optional bookmark supplier
//! and consumer of the official drivers' default manager, which live in the
//! test and are reached through callbacks.

use std::fmt;

use neo_runtime::{BookmarkManager, Bookmarks, SharedBookmarkManager};

use crate::callbacks::Callbacks;
use crate::protocol::responses::Response;

/// A bookmark manager whose supplier and consumer are test callbacks.
pub(crate) struct TestkitBookmarkManager {
    id: String,
    store: SharedBookmarkManager,
    supplier: bool,
    consumer: bool,
    callbacks: Callbacks,
}

impl fmt::Debug for TestkitBookmarkManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestkitBookmarkManager")
            .field("id", &self.id)
            .field("bookmarks", &self.store.bookmarks())
            .field("supplier", &self.supplier)
            .field("consumer", &self.consumer)
            .finish()
    }
}

impl TestkitBookmarkManager {
    pub(crate) fn new(
        id: String,
        initial: Bookmarks,
        supplier: bool,
        consumer: bool,
        callbacks: Callbacks,
    ) -> Self {
        TestkitBookmarkManager {
            id,
            store: SharedBookmarkManager::new(initial),
            supplier,
            consumer,
            callbacks,
        }
    }

    fn supplied(&self) -> Bookmarks {
        let answer = self
            .callbacks
            .call_blocking(|id| Response::BookmarksSupplierRequest {
                id,
                bookmark_manager_id: self.id.clone(),
            });
        match answer {
            Ok(data) => match bookmarks_of(&data) {
                Some(bookmarks) => bookmarks,
                None => {
                    tracing::error!(manager = %self.id, %data, "the bookmark supplier answered without a list of bookmarks");
                    Bookmarks::new()
                }
            },
            Err(error) => {
                tracing::error!(manager = %self.id, %error, "the bookmark supplier failed");
                Bookmarks::new()
            }
        }
    }
}

impl BookmarkManager for TestkitBookmarkManager {
    fn bookmarks(&self) -> Bookmarks {
        let own = self.store.bookmarks();
        if self.supplier {
            own.union(&self.supplied())
        } else {
            own
        }
    }

    fn update_bookmarks(&self, previous: &Bookmarks, new: &Bookmarks) {
        if new.is_empty() {
            return;
        }
        self.store.update_bookmarks(previous, new);
        if self.consumer {
            let bookmarks = self.store.bookmarks().to_vec();
            let answer = self
                .callbacks
                .call_blocking(|id| Response::BookmarksConsumerRequest {
                    id,
                    bookmark_manager_id: self.id.clone(),
                    bookmarks,
                });
            if let Err(error) = answer {
                tracing::error!(manager = %self.id, %error, "the bookmark consumer failed");
            }
        }
    }
}

/// The `bookmarks` of a `BookmarksSupplierCompleted`.
fn bookmarks_of(data: &serde_json::Value) -> Option<Bookmarks> {
    let list = data.get("bookmarks")?.as_array()?;
    list.iter()
        .map(|bookmark| bookmark.as_str())
        .collect::<Option<Vec<_>>>()
        .map(Bookmarks::from_iter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::requests::CallbackCompleted;
    use crate::state::Outbox;
    use std::sync::Arc;
    use tokio::sync::mpsc;

    /// A manager whose callbacks are answered by a task playing testkit:
    /// the supplier supplies `supplied`, and every request is recorded.
    fn manager_with_testkit(
        supplier: bool,
        consumer: bool,
        supplied: &'static [&'static str],
    ) -> (TestkitBookmarkManager, Arc<std::sync::Mutex<Vec<String>>>) {
        let (sender, mut receiver) = mpsc::unbounded_channel::<String>();
        let callbacks = Callbacks::new(Outbox::new(sender), Arc::default());
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let testkit = callbacks.clone();
        let log = Arc::clone(&seen);
        tokio::spawn(async move {
            while let Some(frame) = receiver.recv().await {
                let json = frame
                    .lines()
                    .nth(1)
                    .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
                    .unwrap();
                log.lock().unwrap().push(json.to_string());
                let id = json["data"]["id"].as_str().unwrap().to_owned();
                testkit.complete(CallbackCompleted {
                    name: "Completed".into(),
                    request_id: id.clone(),
                    data: serde_json::json!({"requestId": id, "bookmarks": supplied}),
                });
            }
        });
        let manager = TestkitBookmarkManager::new(
            "bm1".into(),
            Bookmarks::from_iter(["a"]),
            supplier,
            consumer,
            callbacks,
        );
        (manager, seen)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn supplied_bookmarks_join_the_managers_own() {
        let (manager, seen) = manager_with_testkit(true, false, &["s1"]);
        let bookmarks = tokio::task::spawn(async move { manager.bookmarks() })
            .await
            .unwrap();
        assert_eq!(bookmarks, Bookmarks::from_iter(["a", "s1"]));
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        assert!(
            seen[0].contains("\"bookmarkManagerId\":\"bm1\""),
            "{}",
            seen[0]
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_consumer_gets_the_updated_set() {
        let (manager, seen) = manager_with_testkit(false, true, &[]);
        let manager = tokio::task::spawn(async move {
            manager.update_bookmarks(&Bookmarks::from_iter(["a"]), &Bookmarks::from_iter(["b"]));
            // An update without a new bookmark changes nothing and tells no one.
            manager.update_bookmarks(&Bookmarks::from_iter(["b"]), &Bookmarks::new());
            manager
        })
        .await
        .unwrap();
        assert_eq!(manager.bookmarks(), Bookmarks::from_iter(["b"]));
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert!(seen[0].contains("BookmarksConsumerRequest"));
        assert!(seen[0].contains("\"bookmarks\":[\"b\"]"), "{}", seen[0]);
    }

    #[test]
    fn supplier_answers_must_be_lists_of_strings() {
        assert_eq!(
            bookmarks_of(&serde_json::json!({"bookmarks": ["x", "y"]})),
            Some(Bookmarks::from_iter(["x", "y"]))
        );
        assert_eq!(bookmarks_of(&serde_json::json!({"bookmarks": [1]})), None);
        assert_eq!(bookmarks_of(&serde_json::json!({})), None);
    }
}
