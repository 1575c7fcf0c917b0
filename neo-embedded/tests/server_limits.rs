//! The limits a shared server needs, over real TCP: connections, memory for
//! incoming messages, idle connections and transaction timeouts. Each test
//! configures a small limit and shows what happens when a client reaches it
//! while the others go on.

mod server_support;

use std::borrow::Cow;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use neo_bolt::handshake::ClientHandshake;
use neo_bolt::message::{Request, TxExtra};
use neo_bolt::packstream::{Map, Value};
use neo_embedded::{EmbeddedServer, ServerConfig};
use server_support::*;

/// A RUN whose body is about `bytes` long, framed, with its final
/// terminator (`00 00`) cut off: the server holds it as an unfinished
/// message until the terminator comes.
fn unfinished_run(client: &RawClient, bytes: usize) -> (BytesMut, [u8; 2]) {
    let parameters = Map::from([("blob".to_owned(), Value::from("x".repeat(bytes)))]);
    let request = run_with("RETURN size($blob) AS size", parameters, TxExtra::default());
    let mut framed = client.encode(&request);
    let terminator = framed.split_off(framed.len() - 2);
    assert_eq!(&terminator[..], [0, 0]);
    (framed, [0, 0])
}

/// Polls `condition` every 10 ms for up to five seconds.
async fn eventually(what: &str, condition: impl Fn() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(started.elapsed() < Duration::from_secs(5), "never: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn can_write(server: &EmbeddedServer, label: &str) {
    let mut client = RawClient::open(server).await;
    let started = Instant::now();
    let (_, summary) = client.query(&format!("CREATE (:{label})")).await;
    assert!(summary.contains_key("bookmark"));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the write lock was free"
    );
}

#[tokio::test]
async fn connections_past_the_limit_are_closed_at_once_and_the_others_served() {
    let server = start(ServerConfig::new().max_connections(3)).await;
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(RawClient::open(&server).await);
    }
    eventually("three live connections", || server.live_connections() == 3).await;

    // The fourth gets no handshake answer: the server closes it at once.
    let started = Instant::now();
    let mut extra = tokio::net::TcpStream::connect(server.address())
        .await
        .unwrap();
    let mut scratch = [0u8; 16];
    let read = tokio::time::timeout(
        Duration::from_secs(5),
        tokio::io::AsyncReadExt::read(&mut extra, &mut scratch),
    )
    .await
    .expect("the server answers the refused connection by closing it");
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    assert!(started.elapsed() < Duration::from_secs(2));

    // The three are untouched.
    for client in &mut open {
        let (rows, _) = client.query("RETURN 1 AS one").await;
        assert_eq!(rows, [[Value::Integer(1)]]);
    }
    // Once one ends, a new connection gets in.
    drop(open.pop());
    eventually("a slot frees", || server.live_connections() == 2).await;
    let mut late = RawClient::open(&server).await;
    let (rows, _) = late.query("RETURN 2 AS two").await;
    assert_eq!(rows, [[Value::Integer(2)]]);
}

#[tokio::test]
async fn unfinished_messages_of_all_connections_share_one_memory_limit() {
    const LIMIT: usize = 4 << 20;
    const PART: usize = 700 << 10;
    let server = start(
        ServerConfig::new()
            .max_incoming_memory(LIMIT)
            .max_message_size(8 << 20),
    )
    .await;

    // Two connections each hold an unfinished 700 KiB message.
    let mut holders = Vec::new();
    for _ in 0..2 {
        let mut client = RawClient::open(&server).await;
        let (framed, terminator) = unfinished_run(&client, PART);
        client.send_raw(&framed).await;
        holders.push((client, terminator));
    }
    eventually("both parts are held", || {
        server.incoming_memory() >= 2 * PART
    })
    .await;
    assert!(server.incoming_memory() <= LIMIT);

    // A third one that would pass the limit is told why and closed.
    let mut greedy = RawClient::open(&server).await;
    let (framed, _) = unfinished_run(&greedy, 3 << 20);
    greedy.send_raw(&framed).await;
    let answer = greedy.next().await;
    assert_eq!(
        answer.failure_code(),
        "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
    );
    assert!(greedy.is_closed().await);
    assert!(server.incoming_memory() <= LIMIT);

    // The two finish their messages and are answered.
    for (client, terminator) in &mut holders {
        client.send_raw(terminator).await;
        client.send(pull_all()).await;
        client.next().await.success();
        let (rows, _) = client.records().await;
        assert_eq!(rows, [[Value::Integer(PART as i64)]]);
    }
    // The memory comes back, and a new large message fits again.
    eventually("the memory is given back", || {
        server.incoming_memory() < 256 << 10
    })
    .await;
    let mut after = RawClient::open(&server).await;
    let (framed, terminator) = unfinished_run(&after, PART);
    after.send_raw(&framed).await;
    after.send_raw(&terminator).await;
    after.send(pull_all()).await;
    after.next().await.success();
    assert_eq!(after.records().await.0, [[Value::Integer(PART as i64)]]);
}

#[tokio::test]
async fn eight_connections_cannot_hold_more_than_the_limit() {
    const LIMIT: usize = 4 << 20;
    let server = start(
        ServerConfig::new()
            .max_incoming_memory(LIMIT)
            .max_message_size(8 << 20),
    )
    .await;
    let mut clients = Vec::new();
    let mut refused = 0;
    for _ in 0..8 {
        let mut client = RawClient::open(&server).await;
        let (framed, _) = unfinished_run(&client, 1 << 20);
        client.send_raw(&framed).await;
        // Give the server time to read it before the next one comes.
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(server.incoming_memory() <= LIMIT);
        clients.push(client);
    }
    for client in &mut clients {
        if let Ok(Some(answer)) =
            tokio::time::timeout(Duration::from_millis(200), client.recv()).await
        {
            assert_eq!(
                answer.failure_code(),
                "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
            );
            refused += 1;
        }
    }
    assert!(
        (4..8).contains(&refused),
        "8 MiB asked of 4 MiB: some refused, not all ({refused})"
    );
}

#[tokio::test]
async fn an_idle_connection_is_closed_and_its_transaction_rolled_back() {
    let idle = Duration::from_millis(400);
    let server = start(ServerConfig::new().idle_timeout(Some(idle))).await;
    let mut sleeper = RawClient::open(&server).await;
    sleeper.send(begin(TxExtra::default())).await;
    sleeper.next().await.success();
    sleeper
        .send_all(vec![run("CREATE (:Abandoned)"), pull_all()])
        .await;
    sleeper.next().await.success();
    sleeper.records().await.1.success();
    let went_quiet = Instant::now();

    // A busy connection stays open past the idle timeout.
    let mut busy = RawClient::open(&server).await;
    for _ in 0..6 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        busy.send(Request::Reset).await;
        busy.next().await.success();
    }

    assert!(sleeper.is_closed().await, "the idle one is closed");
    let closed_after = went_quiet.elapsed();
    assert!(
        closed_after >= idle,
        "not before its time: {closed_after:?}"
    );
    let (rows, _) = busy.query("MATCH (a:Abandoned) RETURN count(a)").await;
    assert_eq!(int(&rows[0][0]), 0, "rolled back");
    can_write(&server, "AfterIdle").await;
}

#[tokio::test]
async fn a_connection_that_never_says_hello_is_closed_after_the_handshake_timeout() {
    let server = start(
        ServerConfig::new()
            .handshake_timeout(Duration::from_millis(300))
            .idle_timeout(None),
    )
    .await;
    let mut client = RawClient::handshake(server.address(), ClientHandshake::new()).await;
    let started = Instant::now();
    assert!(client.is_closed().await);
    assert!(started.elapsed() >= Duration::from_millis(300));

    // Without an idle timeout, a greeted connection stays.
    let mut greeted = RawClient::open(&server).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let (rows, _) = greeted.query("RETURN 1 AS one").await;
    assert_eq!(rows, [[Value::Integer(1)]]);
}

#[tokio::test]
async fn the_server_transaction_timeout_ends_a_transaction_that_names_none() {
    let timeout = Duration::from_millis(400);
    let server = start(ServerConfig::new().transaction_timeout(Some(timeout))).await;
    let mut client = RawClient::open(&server).await;
    client.send(begin(TxExtra::default())).await;
    client.next().await.success();
    client
        .send_all(vec![run("CREATE (:Lingering)"), pull_all()])
        .await;
    client.next().await.success();
    client.records().await.1.success();

    // Another writer gets the write lock once the timeout has passed.
    tokio::time::sleep(timeout + Duration::from_millis(200)).await;
    can_write(&server, "Next").await;

    client.send_all(vec![run("RETURN 1"), pull_all()]).await;
    assert_eq!(
        client.next().await.failure_code(),
        "Neo.ClientError.Transaction.TransactionTimedOut"
    );
    assert_eq!(client.next().await, Resp::Ignored);
    client.send(Request::Reset).await;
    client.next().await.success();
    let (rows, _) = client.query("MATCH (l:Lingering) RETURN count(l)").await;
    assert_eq!(int(&rows[0][0]), 0);
}

#[tokio::test]
async fn a_client_timeout_overrides_the_server_default_and_zero_means_none() {
    let server =
        start(ServerConfig::new().transaction_timeout(Some(Duration::from_millis(300)))).await;
    let mut client = RawClient::open(&server).await;
    let unlimited = TxExtra {
        tx_timeout: Some(Duration::ZERO),
        ..TxExtra::default()
    };
    client.send(begin(unlimited)).await;
    client.next().await.success();
    tokio::time::sleep(Duration::from_millis(600)).await;
    client
        .send_all(vec![run("CREATE (:Patient)"), pull_all()])
        .await;
    client.next().await.success();
    client.records().await.1.success();
    client.send(Request::Commit).await;
    client.next().await.success();

    let short = TxExtra {
        tx_timeout: Some(Duration::from_millis(100)),
        tx_metadata: Cow::Owned(Map::new()),
        ..TxExtra::default()
    };
    client.send(begin(short)).await;
    client.next().await.success();
    tokio::time::sleep(Duration::from_millis(250)).await;
    client.send_all(vec![run("RETURN 1"), pull_all()]).await;
    assert_eq!(
        client.next().await.failure_code(),
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"
    );
}

#[tokio::test]
async fn an_auto_commit_result_left_unread_times_out_too() {
    let server =
        start(ServerConfig::new().transaction_timeout(Some(Duration::from_millis(300)))).await;
    let mut client = RawClient::open(&server).await;
    client
        .send_all(vec![
            run("UNWIND range(1, 10) AS x CREATE (:Row {x: x}) RETURN x"),
            pull(2, None),
        ])
        .await;
    client.next().await.success();
    let (rows, more) = client.records().await;
    assert_eq!(rows.len(), 2);
    assert_eq!(more.success()["has_more"], Value::Boolean(true));
    tokio::time::sleep(Duration::from_millis(500)).await;
    client.send(pull_all()).await;
    assert_eq!(
        client.next().await.failure_code(),
        "Neo.ClientError.Transaction.TransactionTimedOut"
    );
    client.send(Request::Reset).await;
    client.next().await.success();
    let (rows, _) = client.query("MATCH (r:Row) RETURN count(r)").await;
    assert_eq!(int(&rows[0][0]), 0, "the auto-commit write was rolled back");
}

/// Runs `query` in an auto-commit transaction with `extra` and returns
/// the failure code and how long it took.
async fn failing_after(
    client: &mut RawClient,
    query: &str,
    extra: TxExtra<'static>,
) -> (String, Duration) {
    let started = Instant::now();
    client
        .send_all(vec![run_with(query, Map::new(), extra), pull_all()])
        .await;
    let mut answer = client.next().await;
    if matches!(answer, Resp::Success(_)) {
        answer = client.records().await.1;
    }
    let code = answer.failure_code();
    let took = started.elapsed();
    client.send(Request::Reset).await;
    while client.next().await != Resp::Success(Map::new()) {}
    (code, took)
}

#[tokio::test]
async fn a_statement_running_past_the_timeout_is_stopped_with_the_code_of_whoever_set_it() {
    const LONG: &str = "UNWIND range(1, 1200) AS a UNWIND range(1, 1200) AS b RETURN count(*)";
    let server =
        start(ServerConfig::new().transaction_timeout(Some(Duration::from_millis(300)))).await;
    let mut client = RawClient::open(&server).await;
    let (code, took) = failing_after(&mut client, LONG, TxExtra::default()).await;
    assert_eq!(code, "Neo.ClientError.Transaction.TransactionTimedOut");
    assert!(took < Duration::from_secs(10), "{took:?}");

    let extra = TxExtra {
        tx_timeout: Some(Duration::from_millis(200)),
        ..TxExtra::default()
    };
    let (code, took) = failing_after(&mut client, LONG, extra).await;
    assert_eq!(
        code,
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
}
