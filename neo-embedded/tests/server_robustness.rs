//! Robustness of the embedded server over real TCP: garbage, truncated and
//! oversized messages, requests in the wrong state and thousands of dropped
//! connections each affect only their own connection, and the server keeps
//! serving.

mod server_support;

use std::time::{Duration, Instant};

use neo_bolt::handshake::{ClientHandshake, MAGIC};
use neo_bolt::message::Request;
use neo_bolt::packstream::Value;
use neo_embedded::{EmbeddedServer, ServerConfig};
use server_support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A fresh client logs in and runs a query.
async fn still_serves(server: &EmbeddedServer) {
    let mut client = RawClient::open(server).await;
    let (rows, _) = client.query("RETURN 7 AS seven").await;
    assert_eq!(rows, [[Value::Integer(7)]]);
}

/// Reads until the server closes; false if it stays open for 10 s.
async fn server_closes(stream: &mut TcpStream) -> bool {
    let mut scratch = vec![0u8; 64 * 1024];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut scratch)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {}
            Err(_) => return false,
        }
    }
}

#[tokio::test]
async fn garbage_instead_of_a_handshake_is_closed() {
    let server = start(ServerConfig::new()).await;
    for garbage in [
        &b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        &[0xFF; 64][..],
        &[0x60, 0x60, 0xB0, 0x17, 0xDE, 0xAD][..],
    ] {
        let mut stream = TcpStream::connect(server.address()).await.unwrap();
        stream.write_all(garbage).await.unwrap();
        if garbage.len() < 20 {
            // A short opening: the client gives up half-way.
            stream.shutdown().await.unwrap();
        }
        assert!(server_closes(&mut stream).await, "{garbage:02X?}");
        still_serves(&server).await;
    }
}

#[tokio::test]
async fn no_common_version_is_answered_with_zeros() {
    let server = start(ServerConfig::new()).await;
    let mut stream = TcpStream::connect(server.address()).await.unwrap();
    let mut opening = MAGIC.to_vec();
    opening.extend_from_slice(&[0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
    stream.write_all(&opening).await.unwrap();
    let mut answer = [0u8; 4];
    stream.read_exact(&mut answer).await.unwrap();
    assert_eq!(answer, [0, 0, 0, 0]);
    assert!(server_closes(&mut stream).await);
    still_serves(&server).await;
}

#[tokio::test]
async fn garbage_messages_after_the_handshake_fail_and_close() {
    let server = start(ServerConfig::new()).await;
    let bodies: [&[u8]; 5] = [
        &[0xDE, 0xAD, 0xBE, 0xEF],                   // not a structure
        &[0xB1, 0x99, 0xA0],                         // unknown message tag
        &[0xB3, 0x10, 0x81],                         // RUN cut off inside its query
        &[0xB1, 0x01, 0x01],                         // HELLO whose extra is not a map
        &[0xB1, 0x01, 0xDA, 0xFF, 0xFF, 0xFF, 0xFF], // a map claiming 4 billion entries
    ];
    for body in bodies {
        let mut client = RawClient::handshake(server.address(), ClientHandshake::new()).await;
        let mut framed = bytes::BytesMut::new();
        neo_bolt::chunk::write_message(&mut framed, body);
        client.send_raw(&framed).await;
        let answer = client.recv().await;
        if let Some(answer) = answer {
            assert_eq!(
                answer.failure_code(),
                "Neo.ClientError.Request.Invalid",
                "{body:02X?}"
            );
        }
        assert!(client.is_closed().await, "{body:02X?}");
        still_serves(&server).await;
    }
}

#[tokio::test]
async fn a_truncated_message_and_a_vanished_client_leave_the_server_serving() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    // A chunk header promising 100 bytes, then 3 of them, then nothing.
    client.send_raw(&[0x00, 0x64, 0xB3, 0x10, 0x81]).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    drop(client);
    still_serves(&server).await;

    // The same mid-transaction: the open transaction is rolled back.
    let mut client = RawClient::open(&server).await;
    client.send(begin(Default::default())).await;
    client.next().await.success();
    client
        .send_all(vec![run("CREATE (:Half)"), pull_all()])
        .await;
    client.next().await.success();
    client.records().await.1.success();
    client.send_raw(&[0x00, 0x10, 0xB0]).await;
    drop(client);
    let mut other = RawClient::open(&server).await;
    let (rows, _) = other.query("MATCH (h:Half) RETURN count(h)").await;
    assert_eq!(int(&rows[0][0]), 0);
    other.query("CREATE (:Writable)").await;
}

#[tokio::test]
async fn a_message_declared_at_1_gib_is_cut_off_at_the_size_limit() {
    let limit = 4 * 1024 * 1024;
    let server = start(ServerConfig::new().max_message_size(limit)).await;
    let mut client = RawClient::open(&server).await;
    // Full 65535-byte chunks adding up to 1 GiB, never terminated.
    let mut chunk = vec![0xFFu8, 0xFF];
    chunk.extend(std::iter::repeat_n(0x41, 0xFFFF));
    let chunks = (1usize << 30) / 0xFFFF;
    let mut sent = 0usize;
    let started = Instant::now();
    for _ in 0..chunks {
        if !client.send_raw(&chunk).await {
            break;
        }
        sent += chunk.len();
    }
    assert!(client.is_closed().await);
    // What was accepted before the close is the limit plus what the socket
    // buffers held, far below the gigabyte declared.
    assert!(
        sent < 64 * 1024 * 1024,
        "sent {sent} bytes before the close"
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    still_serves(&server).await;
}

#[tokio::test]
async fn the_default_limit_also_refuses_a_gigabyte() {
    let server = start(ServerConfig::new()).await;
    let mut stream = TcpStream::connect(server.address()).await.unwrap();
    stream
        .write_all(&ClientHandshake::new().opening())
        .await
        .unwrap();
    let mut reply = vec![0u8; 64];
    let _ = stream.read(&mut reply).await.unwrap();
    stream.write_all(&[0, 0, 8, 5, 0]).await.unwrap();
    let mut chunk = vec![0xFFu8, 0xFF];
    chunk.extend(std::iter::repeat_n(0x42, 0xFFFF));
    let mut sent = 0usize;
    while sent < (1 << 30) {
        if stream.write_all(&chunk).await.is_err() {
            break;
        }
        sent += chunk.len();
    }
    assert!(
        sent < 128 * 1024 * 1024,
        "sent {sent} bytes before the close"
    );
    still_serves(&server).await;
}

#[tokio::test]
async fn requests_in_the_wrong_state_close_only_their_connection() {
    let server = start(ServerConfig::new()).await;
    let mut bystander = RawClient::open(&server).await;
    bystander.send(begin(Default::default())).await;
    bystander.next().await.success();

    let cases: Vec<(bool, Vec<Request<'static>>)> = vec![
        (false, vec![run("RETURN 1")]),  // before HELLO
        (true, vec![Request::Commit]),   // COMMIT outside a transaction
        (true, vec![discard(-1, None)]), // nothing to discard
        (
            true,
            vec![begin(Default::default()), begin(Default::default())],
        ),
    ];
    for (log_in, requests) in cases {
        let mut client = RawClient::handshake(server.address(), ClientHandshake::new()).await;
        if log_in {
            client.login("neo4j", "password").await;
        }
        client.send_all(requests).await;
        let mut codes = Vec::new();
        while let Some(response) = client.recv().await {
            if let Resp::Failure(_) = response {
                codes.push(response.failure_code());
            }
        }
        assert_eq!(codes, ["Neo.ClientError.Request.Invalid"]);
        still_serves(&server).await;
    }
    // The bystander's transaction was never disturbed.
    bystander.send_all(vec![run("RETURN 1"), pull_all()]).await;
    bystander.next().await.success();
    bystander.records().await.1.success();
    bystander.send(Request::Commit).await;
    bystander.next().await.success();
}

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_dropped_connections_leave_the_server_serving() {
    let server = start(ServerConfig::new()).await;
    let before = rss_kib();
    let started = Instant::now();
    let opening = ClientHandshake::new().opening();
    for i in 0..10_000u32 {
        let mut stream = TcpStream::connect(server.address()).await.unwrap();
        match i % 4 {
            0 => {}                                              // connect and go
            1 => stream.write_all(&opening[..7]).await.unwrap(), // half an opening
            2 => {
                stream.write_all(&opening).await.unwrap();
                let mut reply = [0u8; 1];
                stream.read_exact(&mut reply).await.unwrap();
            }
            _ => {
                // A whole handshake, then half a HELLO.
                stream.write_all(&opening).await.unwrap();
                let mut reply = [0u8; 1];
                stream.read_exact(&mut reply).await.unwrap();
                stream
                    .write_all(&[0, 0, 8, 5, 0, 0, 0x20, 0xB1])
                    .await
                    .unwrap();
            }
        }
        drop(stream);
        if i % 2_500 == 2_499 {
            still_serves(&server).await;
        }
    }
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(120), "took {elapsed:?}");
    still_serves(&server).await;

    // Every dropped connection is noticed and its task ends.
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.live_connections() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(server.live_connections(), 0);
    assert_eq!(server.controls().connections_accepted(), 10_000 + 5);
    if let (Some(before), Some(after)) = (before, rss_kib()) {
        let grown = after.saturating_sub(before);
        println!("10,000 connections in {elapsed:?}; RSS {before} KiB -> {after} KiB");
        assert!(grown < 64 * 1024, "RSS grew by {grown} KiB");
    }
}
