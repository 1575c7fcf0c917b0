//! One client connection: the handshake, a reader that spots RESET ahead of
//! the queue, and the loop that runs requests in order.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::{Bytes, BytesMut};
use neo_bolt::chunk::Dechunker;
use neo_bolt::handshake::{ServerAnswer, ServerHandshake};
use neo_bolt::message::{Request, tag};
use neo_bolt::{BoltVersion, ServerError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::{mpsc, watch};

use super::ServerState;
use super::controls::Timing;
use super::outbox::Outbox;
use super::session::{Flow, Session};

/// Requests read ahead of the one running.
const QUEUE: usize = 64;

/// Responses are written once this much is buffered, or when no request is
/// waiting.
const FLUSH_AT: usize = 64 * 1024;

/// The name of a message, from its tag (for counters and faults).
pub(crate) fn message_name(body: &[u8]) -> &'static str {
    match body.get(1).copied() {
        Some(tag::HELLO) => "HELLO",
        Some(tag::GOODBYE) => "GOODBYE",
        Some(tag::RESET) => "RESET",
        Some(tag::RUN) => "RUN",
        Some(tag::BEGIN) => "BEGIN",
        Some(tag::COMMIT) => "COMMIT",
        Some(tag::ROLLBACK) => "ROLLBACK",
        Some(tag::DISCARD) => "DISCARD",
        Some(tag::PULL) => "PULL",
        Some(tag::TELEMETRY) => "TELEMETRY",
        Some(tag::ROUTE) => "ROUTE",
        Some(tag::LOGON) => "LOGON",
        Some(tag::LOGOFF) => "LOGOFF",
        _ => "UNKNOWN",
    }
}

fn is_reset(body: &[u8]) -> bool {
    body == [0xB0, tag::RESET]
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
        sender,
        pending_resets.clone(),
    ));

    let mut session = Session::new(server.clone(), version, connection_id.clone(), advertised);
    let mut out = Outbox::new(version);
    let keep_alive = server.config.recv_timeout.map(|timeout| timeout / 2);
    loop {
        let deadline = session.deadline();
        let idle = keep_alive
            .filter(|_| session.greeted())
            .map(|every| tokio::time::Instant::now() + every);
        let body = tokio::select! {
            body = requests.recv() => body,
            () = sleep_until(deadline) => {
                session.expire().await;
                continue;
            }
            () = sleep_until(idle) => {
                neo_bolt::chunk::write_noop(out.buffer());
                if write.write_all_buf(out.buffer()).await.is_err() {
                    break;
                }
                continue;
            }
            _ = shutdown.changed() => None,
            _ = kicked.changed() => None,
        };
        let Some(body) = body else { break };
        let mut flow = handle(
            &server,
            &mut session,
            &mut out,
            &mut write,
            &body,
            &pending_resets,
        )
        .await;
        // The rows of a large PULL go out as they are computed.
        while flow == Flow::Continue && session.pulling() {
            if write.write_all_buf(out.buffer()).await.is_err() {
                flow = Flow::Close;
                break;
            }
            session.resume_pull(&mut out).await;
        }
        let flush = flow == Flow::Close || out.len() >= FLUSH_AT || requests.is_empty();
        if flush && write.write_all_buf(out.buffer()).await.is_err() {
            break;
        }
        if flow == Flow::Close {
            break;
        }
    }
    reader.abort();
    session.close().await;
    let _ = write.shutdown().await;
    tracing::debug!(connection = %connection_id, "closed");
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Runs one request through the faults and the session.
async fn handle(
    server: &ServerState,
    session: &mut Session,
    out: &mut Outbox,
    write: &mut OwnedWriteHalf,
    body: &Bytes,
    pending_resets: &AtomicUsize,
) -> Flow {
    let name = message_name(body);
    server.controls.count(name);
    if is_reset(body) {
        pending_resets.fetch_sub(1, Ordering::AcqRel);
    } else if pending_resets.load(Ordering::Acquire) > 0 {
        // Queued before a RESET that has already arrived: skipped.
        out.ignored();
        return Flow::Continue;
    }
    let request = match Request::decode_with_dialect(body, out.version(), out.dialect()) {
        Ok(request) => request,
        Err(error) => {
            tracing::debug!(%error, "undecodable request");
            out.failure(&ServerError::new(
                "Neo.ClientError.Request.Invalid",
                format!("The {name} message could not be decoded: {error}"),
            ));
            return Flow::Close;
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
            return Flow::Close;
        }
        tokio::time::sleep(delay).await;
    }
    if verdict.close == Some(Timing::BeforeExecuting) {
        return Flow::Close;
    }
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
    if verdict.close == Some(Timing::AfterExecuting) {
        return Flow::Close;
    }
    flow
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

/// Reads messages and queues them, counting RESETs as they arrive so that
/// the requests queued before one are skipped.
async fn read_messages(
    mut read: OwnedReadHalf,
    mut input: BytesMut,
    max_message_size: usize,
    sender: mpsc::Sender<Bytes>,
    pending_resets: Arc<AtomicUsize>,
) {
    let mut dechunker = Dechunker::with_max_message_size(max_message_size);
    loop {
        loop {
            match dechunker.decode(&mut input) {
                Ok(Some(body)) => {
                    if is_reset(&body) {
                        pending_resets.fetch_add(1, Ordering::AcqRel);
                    }
                    if sender.send(body).await.is_err() {
                        return;
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    tracing::debug!(%error, "unreadable message; closing");
                    return;
                }
            }
        }
        input.reserve(8 * 1024);
        match read.read_buf(&mut input).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}
