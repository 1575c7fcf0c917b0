//! One client connection: the handshake, then the loop that runs its
//! requests in order, as the reader hands them over.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::{Bytes, BytesMut};
use neo_bolt::StatusCode;
use neo_bolt::handshake::{ServerAnswer, ServerHandshake};
use neo_bolt::message::Request;
use neo_bolt::{BoltVersion, ServerError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::ServerState;
use super::controls::Timing;
use super::message_log::ReceivedMessage;
use super::outbox::Outbox;
use super::reader::{Incoming, QUEUE, decode, is_reset, message_name, read_messages};
use super::session::{Flow, Session};

/// Responses are written once this much is buffered, or when no request is
/// waiting.
const FLUSH_AT: usize = 64 * 1024;

/// What the connection does after a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    Continue,
    Close,
    /// Answer nothing from now on (an injected fault).
    FallSilent,
}

/// Serves one accepted connection until it closes or the server stops.
pub(crate) async fn serve(
    stream: TcpStream,
    server: Arc<ServerState>,
    connection_id: String,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let mut kicked = server.controls.closing();
    let advertised = stream
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let (read, mut write) = stream.into_split();
    let handshake = tokio::time::timeout(
        server.config.handshake_timeout,
        handshake(read, &mut write, server.config.max_bolt_version),
    );
    let (read, version, leftover) = tokio::select! {
        result = handshake => match result {
            Ok(Some(agreed)) => agreed,
            _ => return,
        },
        _ = shutdown.changed() => return,
    };
    tracing::debug!(connection = %connection_id, %version, "handshake done");

    let pending_resets = Arc::new(AtomicUsize::new(0));
    let (sender, mut requests) = mpsc::channel(QUEUE);
    let reader = tokio::spawn(read_messages(
        read,
        leftover,
        server.config.max_message_size,
        server.budget.clone(),
        sender,
        pending_resets.clone(),
    ));

    let mut session = Session::new(server.clone(), version, connection_id.clone(), advertised);
    let mut out = Outbox::new(version);
    let keep_alive = server.config.recv_timeout.map(|timeout| timeout / 2);
    let mut silent = false;
    let mut last_request = Instant::now();
    loop {
        let deadline = session.deadline();
        let noop_at = keep_alive
            .filter(|_| session.greeted() && !silent)
            .map(|every| Instant::now() + every);
        // Until HELLO the handshake timeout bounds the silence; after it,
        // the idle timeout.
        let idle_limit = if session.greeted() {
            server.config.idle_timeout
        } else {
            Some(server.config.handshake_timeout)
        };
        let idle_at = idle_limit.map(|limit| last_request + limit);
        let incoming = tokio::select! {
            incoming = requests.recv() => incoming,
            () = sleep_until(deadline) => {
                session.expire().await;
                continue;
            }
            () = sleep_until(noop_at) => {
                neo_bolt::chunk::write_noop(out.buffer());
                if write.write_all_buf(out.buffer()).await.is_err() {
                    break;
                }
                continue;
            }
            () = sleep_until(idle_at) => {
                tracing::debug!(connection = %connection_id, ?idle_limit, "idle for too long; closing");
                break;
            }
            _ = shutdown.changed() => None,
            _ = kicked.changed() => None,
        };
        let Some(incoming) = incoming else { break };
        last_request = Instant::now();
        let (body, charge) = match incoming {
            Incoming::Message { body, charge } => (body, charge),
            Incoming::OverBudget => {
                if !silent {
                    out.failure(&over_budget(server.budget.limit()));
                    let _ = write.write_all_buf(out.buffer()).await;
                }
                break;
            }
        };
        if silent {
            // Read, counted and logged, never answered.
            let name = message_name(&body);
            log_received(&server, &connection_id, name, &decode(&body, &out));
            continue;
        }
        let mut after = handle(
            &server,
            &mut session,
            &mut out,
            &mut write,
            &body,
            &pending_resets,
            &connection_id,
        )
        .await;
        drop(charge);
        // The rows of a large PULL go out as they are computed.
        while after == After::Continue && session.pulling() {
            if write.write_all_buf(out.buffer()).await.is_err() {
                after = After::Close;
                break;
            }
            let failures_before = out.failures();
            session.resume_pull(&mut out).await;
            if out.failures() > failures_before && server.controls.silent_after_failure() {
                after = After::FallSilent;
            }
        }
        let flush = after != After::Continue || out.len() >= FLUSH_AT || requests.is_empty();
        if flush && write.write_all_buf(out.buffer()).await.is_err() {
            break;
        }
        match after {
            After::Continue => {}
            After::Close => break,
            After::FallSilent => {
                tracing::debug!(connection = %connection_id, "falls silent (injected fault)");
                silent = true;
            }
        }
    }
    reader.abort();
    session.close().await;
    let _ = write.shutdown().await;
    tracing::debug!(connection = %connection_id, "closed");
}

/// The failure of a connection that would pass the server's memory for
/// incoming messages.
fn over_budget(limit: usize) -> ServerError {
    ServerError::new(
        StatusCode::MEMORY_POOL_OUT_OF_MEMORY_ERROR,
        format!(
            "The server's memory for incoming messages ({limit} bytes, shared by all \
             connections) is used up; this connection is closed. Retry once other clients' \
             messages have been handled."
        ),
    )
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Counts a received message and logs what it carried.
fn log_received(
    server: &ServerState,
    connection_id: &str,
    name: &'static str,
    decoded: &Result<Request<'static>, neo_bolt::Error>,
) {
    server.controls.receive(match decoded {
        Ok(request) => ReceivedMessage::of(connection_id, name, request),
        Err(_) => ReceivedMessage::undecodable(connection_id, name),
    });
}

/// Runs one request through the faults and the session.
async fn handle(
    server: &ServerState,
    session: &mut Session,
    out: &mut Outbox,
    write: &mut OwnedWriteHalf,
    body: &Bytes,
    pending_resets: &AtomicUsize,
    connection_id: &str,
) -> After {
    let name = message_name(body);
    let decoded = decode(body, out);
    log_received(server, connection_id, name, &decoded);
    if is_reset(body) {
        pending_resets.fetch_sub(1, Ordering::AcqRel);
    } else if pending_resets.load(Ordering::Acquire) > 0 {
        // Queued before a RESET that has already arrived: skipped.
        out.ignored();
        return After::Continue;
    }
    let request = match decoded {
        Ok(request) => request,
        Err(error) => {
            tracing::debug!(%error, "undecodable request");
            out.failure(&ServerError::new(
                StatusCode::REQUEST_INVALID,
                format!("The {name} message could not be decoded: {error}"),
            ));
            return After::Close;
        }
    };
    let query = match &request {
        Request::Run(run) => Some(run.query.as_ref()),
        _ => None,
    };
    let verdict = if session.would_ignore(&request) {
        Default::default()
    } else {
        server.controls.verdict(name, query)
    };
    if let Some(delay) = verdict.delay {
        // Answers to earlier requests are not held back.
        if write.write_all_buf(out.buffer()).await.is_err() {
            return After::Close;
        }
        tokio::time::sleep(delay).await;
    }
    if verdict.close == Some(Timing::BeforeExecuting) {
        return After::Close;
    }
    if verdict.silence == Some(Timing::BeforeExecuting) {
        return After::FallSilent;
    }
    let answer_starts = out.len();
    let failures_before = out.failures();
    let flow = match verdict.fail {
        Some(error) => {
            session.fail(out, &error).await;
            // A failed HELLO, LOGON or RESET leaves the connection unusable.
            if matches!(
                request,
                Request::Hello(_) | Request::Logon(_) | Request::Reset
            ) {
                Flow::Close
            } else {
                Flow::Continue
            }
        }
        None => session.handle(request, out).await,
    };
    if verdict.close == Some(Timing::AnswerLost) || verdict.silence == Some(Timing::AnswerLost) {
        out.buffer().truncate(answer_starts);
    }
    if verdict.close.is_some() {
        return After::Close;
    }
    if verdict.silence.is_some() {
        return After::FallSilent;
    }
    match flow {
        Flow::Close => After::Close,
        Flow::Continue
            if out.failures() > failures_before && server.controls.silent_after_failure() =>
        {
            After::FallSilent
        }
        Flow::Continue => After::Continue,
    }
}

/// Reads the opening and answers it. Returns the read half, the agreed
/// version and any bytes the client sent after its handshake.
async fn handshake(
    mut read: OwnedReadHalf,
    write: &mut OwnedWriteHalf,
    max_version: BoltVersion,
) -> Option<(OwnedReadHalf, BoltVersion, BytesMut)> {
    let server = ServerHandshake::new().max_version(max_version);
    let mut input = BytesMut::with_capacity(64);
    let answer = loop {
        match server.read_opening(&mut input) {
            Ok(Some(answer)) => break answer,
            Ok(None) => {}
            Err(error) => {
                tracing::debug!(%error, "bad handshake");
                return None;
            }
        }
        if read.read_buf(&mut input).await.ok()? == 0 {
            return None;
        }
    };
    let mut reply = BytesMut::new();
    answer.write(&mut reply);
    write.write_all(&reply).await.ok()?;
    let version = match answer {
        ServerAnswer::Version(version) => version,
        ServerAnswer::NoCommonVersion => return None,
        ServerAnswer::Manifest(_) => loop {
            match server.read_choice(&mut input) {
                Ok(Some(choice)) => break choice.version,
                Ok(None) => {}
                Err(error) => {
                    tracing::debug!(%error, "bad manifest choice");
                    return None;
                }
            }
            if read.read_buf(&mut input).await.ok()? == 0 {
                return None;
            }
        },
    };
    Some((read, version, input))
}
