//! The accept loop: new connections up to the configured limit, and a
//! growing pause when the listener fails (out of file descriptors).

use std::io;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use super::{LiveConnections, LiveGuard, ServerState, connection};

pub(crate) async fn accept_loop(
    listener: TcpListener,
    state: Arc<ServerState>,
    mut stopped: watch::Receiver<bool>,
    live: Arc<LiveConnections>,
) {
    let mut backoff = AcceptBackoff::default();
    let mut saturated = false;
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.changed() => return,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) if is_connection_error(&error) => {
                // That one connection failed on its way in; others may not.
                tracing::debug!(%error, "a connection failed before it was accepted");
                continue;
            }
            Err(error) => {
                // Out of file descriptors or memory: trying again at once
                // would fail again at once.
                let delay = backoff.failed(&error);
                tokio::select! {
                    () = tokio::time::sleep(delay) => {}
                    _ = stopped.changed() => return,
                }
                continue;
            }
        };
        backoff.succeeded();
        let open = live.count.load(Ordering::Acquire);
        if open >= state.config.max_connections {
            if !saturated {
                tracing::warn!(
                    max_connections = state.config.max_connections,
                    "connection limit reached: closing new connections until one ends"
                );
                saturated = true;
            }
            tracing::debug!(%peer, "refused: too many connections");
            drop(stream);
            continue;
        }
        saturated = false;
        let id = state.controls.count_connection();
        let connection_id = format!("bolt-{id}");
        tracing::debug!(%peer, connection = %connection_id, "accepted");
        live.count.fetch_add(1, Ordering::AcqRel);
        let guard = LiveGuard(live.clone());
        let state = state.clone();
        let stopped = stopped.clone();
        tokio::spawn(async move {
            let _guard = guard;
            connection::serve(stream, state, connection_id, stopped).await;
        });
    }
}

/// Errors of one incoming connection rather than of the listener.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
    )
}

/// How long the accept loop waits after the listener fails: 10 ms, doubling
/// up to 1 s, logged once when it starts and once when it ends.
#[derive(Debug, Default)]
struct AcceptBackoff {
    delay: Option<Duration>,
    failures: u64,
}

impl AcceptBackoff {
    const FIRST: Duration = Duration::from_millis(10);
    const LONGEST: Duration = Duration::from_secs(1);

    fn failed(&mut self, error: &io::Error) -> Duration {
        self.failures += 1;
        let delay = match self.delay {
            None => {
                tracing::warn!(%error, "cannot accept connections; retrying with a growing delay");
                Self::FIRST
            }
            Some(delay) => (delay * 2).min(Self::LONGEST),
        };
        self.delay = Some(delay);
        delay
    }

    fn succeeded(&mut self) {
        if self.delay.take().is_some() {
            tracing::warn!(
                failed_attempts = self.failures,
                "accepting connections again"
            );
            self.failures = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accept_backoff_doubles_to_a_second_and_resets() {
        let error = io::Error::from_raw_os_error(24);
        let mut backoff = AcceptBackoff::default();
        let delays: Vec<_> = (0..9).map(|_| backoff.failed(&error)).collect();
        assert_eq!(delays[0], Duration::from_millis(10));
        assert_eq!(delays[1], Duration::from_millis(20));
        assert_eq!(delays[7], Duration::from_secs(1));
        assert_eq!(delays[8], Duration::from_secs(1));
        backoff.succeeded();
        assert_eq!(backoff.failed(&error), Duration::from_millis(10));
    }
}
