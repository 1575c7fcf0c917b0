//! One testkit connection: a reader, a writer and a dispatcher.
//!
//! The reader decodes requests. Answers to callbacks go straight to the
//! callback waiting for them; every other request goes, in order, to the
//! dispatcher, which serves one at a time (testkit waits for each answer
//! before it sends the next request). The writer sends answers and
//! callback requests in the order they are produced.
//!
//! When testkit closes the connection, the dispatcher is stopped and
//! everything it created (drivers, sessions and their tasks, managers) is
//! dropped with it.

use std::sync::Arc;

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::mpsc;
use tracing::Instrument;

use crate::callbacks::Callbacks;
use crate::handlers::Backend;
use crate::protocol::framing::FrameReader;
use crate::protocol::requests::Request;
use crate::protocol::responses::Response;
use crate::state::{Ids, Outbox};

/// What the reader hands to the dispatcher.
enum Incoming {
    Request(Request),
    /// A request that could not be read: it still gets an answer, in turn.
    Malformed(String),
}

/// Serves one connection until testkit closes it.
pub(crate) async fn serve(stream: TcpStream) {
    let peer = stream
        .peer_addr()
        .map(|address| address.to_string())
        .unwrap_or_else(|_| "?".into());
    let span = tracing::info_span!("connection", %peer);
    serve_in_span(stream).instrument(span).await;
}

/// The body of [`serve`], inside the connection's span (entered only while
/// it is polled, so that no other task runs inside it).
async fn serve_in_span(stream: TcpStream) {
    let (read, write) = stream.into_split();
    let (frames, outgoing) = mpsc::unbounded_channel();
    let writer = tokio::spawn(write_frames(write, outgoing).in_current_span());
    let outbox = Outbox::new(frames);
    let ids = Arc::new(Ids::default());
    let callbacks = Callbacks::new(outbox.clone(), Arc::clone(&ids));
    let (requests, inbox) = mpsc::unbounded_channel();
    let dispatcher = tokio::spawn(
        dispatch(Backend::new(ids, callbacks.clone()), inbox, outbox).in_current_span(),
    );

    let mut reader = FrameReader::new(BufReader::new(read));
    loop {
        let json = match reader.next_request().await {
            Ok(Some(json)) => json,
            Ok(None) => break,
            Err(error) => {
                tracing::warn!(%error, "connection dropped");
                break;
            }
        };
        let incoming = match Request::decode(&json) {
            Ok(Request::CallbackCompleted(completed)) => {
                let name = completed.name.clone();
                if callbacks.complete(completed) {
                    continue;
                }
                Incoming::Malformed(format!("`{name}` answers no pending callback"))
            }
            Ok(request) => Incoming::Request(request),
            Err(error) => Incoming::Malformed(error.to_string()),
        };
        if requests.send(incoming).is_err() {
            break;
        }
    }
    // Testkit is gone: stop whatever is still running for it, then let the
    // writer finish.
    dispatcher.abort();
    let _ = dispatcher.await;
    let _ = writer.await;
    tracing::debug!("connection closed");
}

async fn dispatch(
    mut backend: Backend,
    mut inbox: mpsc::UnboundedReceiver<Incoming>,
    outbox: Outbox,
) {
    while let Some(incoming) = inbox.recv().await {
        let answer = match incoming {
            Incoming::Request(request) => {
                tracing::debug!(?request, "request");
                backend.handle(request).await
            }
            Incoming::Malformed(message) => Response::backend_error(message),
        };
        if !outbox.send(&answer) {
            return;
        }
    }
}

async fn write_frames(mut write: OwnedWriteHalf, mut outgoing: mpsc::UnboundedReceiver<String>) {
    while let Some(frame) = outgoing.recv().await {
        if let Err(error) = write.write_all(frame.as_bytes()).await {
            tracing::warn!(%error, "writing an answer failed");
            return;
        }
    }
    let _ = write.shutdown().await;
}
