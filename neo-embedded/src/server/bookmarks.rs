//! Bookmarks: a monotonic commit sequence, and waiting for it.

use std::time::Duration;

use neo_bolt::ServerError;
use neo_bolt::StatusCode;
use tokio::sync::watch;

/// What every bookmark of this server starts with.
const PREFIX: &str = "neo-embedded:";

/// The server's commit sequence. A bookmark names a point in it; a
/// transaction that starts from a bookmark waits until the sequence has
/// reached that point.
#[derive(Debug)]
pub(crate) struct BookmarkClock {
    sequence: watch::Sender<u64>,
}

impl BookmarkClock {
    pub(crate) fn new() -> Self {
        BookmarkClock {
            sequence: watch::Sender::new(0),
        }
    }

    /// Records a commit that has completed and returns its bookmark.
    pub(crate) fn advance(&self) -> String {
        let mut reached = 0;
        self.sequence.send_modify(|seq| {
            *seq += 1;
            reached = *seq;
        });
        format(reached)
    }

    /// The bookmark of everything committed so far.
    pub(crate) fn current(&self) -> String {
        format(*self.sequence.borrow())
    }

    /// Moves the sequence forward to `sequence` (never back), for a
    /// cluster member that has applied the log up to there.
    pub(crate) fn reach(&self, sequence: u64) {
        self.sequence.send_if_modified(|seq| {
            let behind = *seq < sequence;
            if behind {
                *seq = sequence;
            }
            behind
        });
    }

    /// The bookmark of a sequence number.
    pub(crate) fn bookmark(sequence: u64) -> String {
        format(sequence)
    }

    /// Waits until every bookmark in `bookmarks` has been reached, at most
    /// `timeout`.
    pub(crate) async fn wait_for(
        &self,
        bookmarks: &[String],
        timeout: Duration,
    ) -> Result<(), ServerError> {
        let mut target = 0;
        for bookmark in bookmarks {
            target = target.max(parse(bookmark)?);
        }
        self.wait_for_sequence(target, timeout).await
    }

    /// Waits until the sequence has reached `target`, at most `timeout`.
    pub(crate) async fn wait_for_sequence(
        &self,
        target: u64,
        timeout: Duration,
    ) -> Result<(), ServerError> {
        if *self.sequence.borrow() >= target {
            return Ok(());
        }
        let mut receiver = self.sequence.subscribe();
        match tokio::time::timeout(timeout, receiver.wait_for(|seq| *seq >= target)).await {
            Ok(Ok(_)) => Ok(()),
            _ => Err(ServerError::new(
                StatusCode::BOOKMARK_TIMEOUT,
                format!(
                    "Database 'neo4j' not up to the requested version: {target}. Latest \
                     database version is {} (waited {timeout:?})",
                    *self.sequence.borrow()
                ),
            )),
        }
    }
}

fn format(sequence: u64) -> String {
    format!("{PREFIX}{sequence}")
}

fn parse(bookmark: &str) -> Result<u64, ServerError> {
    bookmark
        .strip_prefix(PREFIX)
        .and_then(|seq| seq.parse().ok())
        .ok_or_else(|| {
            ServerError::new(
                StatusCode::INVALID_BOOKMARK,
                format!("Supplied bookmark [{bookmark}] does not conform to pattern {PREFIX}<n>"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reached_bookmarks_pass_and_future_ones_time_out() {
        let clock = BookmarkClock::new();
        let first = clock.advance();
        assert_eq!(first, "neo-embedded:1");
        assert!(clock.wait_for(&[first], Duration::ZERO).await.is_ok());
        let err = clock
            .wait_for(&["neo-embedded:2".into()], Duration::from_millis(10))
            .await
            .unwrap_err();
        assert_eq!(err.code(), StatusCode::BOOKMARK_TIMEOUT);
    }

    #[test]
    fn reach_moves_forward_only() {
        let clock = BookmarkClock::new();
        clock.reach(5);
        assert_eq!(clock.current(), "neo-embedded:5");
        clock.reach(3);
        assert_eq!(clock.current(), "neo-embedded:5");
        assert_eq!(clock.advance(), "neo-embedded:6");
    }

    #[tokio::test]
    async fn malformed_bookmarks_are_rejected() {
        let clock = BookmarkClock::new();
        let err = clock
            .wait_for(&["FB:kcwQ".into()], Duration::ZERO)
            .await
            .unwrap_err();
        assert_eq!(err.code(), StatusCode::INVALID_BOOKMARK);
    }

    #[tokio::test]
    async fn a_waiter_wakes_when_the_commit_arrives() {
        let clock = std::sync::Arc::new(BookmarkClock::new());
        let waiter = {
            let clock = clock.clone();
            tokio::spawn(async move {
                clock
                    .wait_for(&["neo-embedded:1".into()], Duration::from_secs(5))
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        clock.advance();
        assert!(waiter.await.unwrap().is_ok());
    }
}
