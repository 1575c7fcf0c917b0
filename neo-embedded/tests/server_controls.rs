//! The test controls over real TCP: the message log records what each
//! request carried, and the injected faults behave like the misbehaving
//! servers they stand for.

mod server_support;

use std::borrow::Cow;
use std::time::{Duration, Instant};

use neo_bolt::BoltVersion;
use neo_bolt::handshake::ClientHandshake;
use neo_bolt::message::{
    AccessMode, MinimumSeverity, NotificationFilter, Request, Route, Telemetry, TelemetryApi,
    TxExtra,
};
use neo_bolt::packstream::{Map, Value};
use neo_embedded::{ServerConfig, Timing, Trigger};
use server_support::*;

/// The next response if one comes within `wait`; `Some(None)` when the
/// server closed the connection.
async fn answer_within(client: &mut RawClient, wait: Duration) -> Option<Option<Resp>> {
    tokio::time::timeout(wait, client.recv()).await.ok()
}

#[tokio::test]
async fn the_message_log_keeps_what_each_request_carried() {
    let server = start(ServerConfig::new()).await;
    let controls = server.controls();
    let mut client = RawClient::open(&server).await;
    let extra = TxExtra {
        bookmarks: Cow::Owned(vec!["neo-embedded:0".to_owned()]),
        tx_timeout: Some(Duration::from_millis(2500)),
        tx_metadata: Cow::Owned(Map::from([("app".to_owned(), Value::from("billing"))])),
        mode: AccessMode::Read,
        db: Some("neo4j".into()),
        notifications: NotificationFilter {
            minimum_severity: Some(MinimumSeverity::Warning),
            ..NotificationFilter::default()
        },
        ..TxExtra::default()
    };
    client
        .send_all(vec![
            begin(extra),
            run_with(
                "UNWIND $xs AS x RETURN x + $offset AS y",
                Map::from([
                    ("xs".to_owned(), Value::from(vec![1i64, 2, 3])),
                    ("offset".to_owned(), Value::Integer(10)),
                ]),
                TxExtra::default(),
            ),
            pull(2, Some(0)),
            discard(-1, Some(0)),
            Request::Commit,
            Request::Route(Route {
                routing: Cow::Owned(Map::from([(
                    "address".to_owned(),
                    Value::from("example.com:7687"),
                )])),
                bookmarks: Cow::Owned(vec!["neo-embedded:0".to_owned()]),
                db: Some("neo4j".into()),
                imp_user: None,
            }),
            Request::Telemetry(Telemetry {
                api: TelemetryApi::DriverLevel,
            }),
        ])
        .await;
    for _ in 0..2 {
        client.next().await.success();
    }
    client.records().await.1.success();
    for _ in 0..4 {
        client.next().await.success();
    }

    let log = controls.messages();
    let names: Vec<_> = log.iter().map(|m| m.message).collect();
    assert_eq!(
        names,
        [
            "HELLO",
            "LOGON",
            "BEGIN",
            "RUN",
            "PULL",
            "DISCARD",
            "COMMIT",
            "ROUTE",
            "TELEMETRY"
        ]
    );
    let connection = &log[0].connection;
    assert!(connection.starts_with("bolt-"));
    assert!(log.iter().all(|m| &m.connection == connection && m.decoded));

    let hello = &log[0];
    assert_eq!(hello.user_agent.as_deref(), Some("server-tests/1.0"));
    assert_eq!(hello.bolt_agent.as_deref(), Some("server-tests/1.0"));
    let logon = &log[1];
    assert_eq!(logon.scheme.as_deref(), Some("basic"));
    assert_eq!(logon.principal.as_deref(), Some("neo4j"));
    assert!(!format!("{logon:?}").contains("password"), "no credentials");

    let begin = &log[2];
    assert_eq!(begin.bookmarks, ["neo-embedded:0"]);
    assert_eq!(begin.tx_timeout, Some(Duration::from_millis(2500)));
    assert_eq!(begin.tx_metadata["app"], Value::from("billing"));
    assert_eq!(begin.mode, Some(AccessMode::Read));
    assert_eq!(begin.db.as_deref(), Some("neo4j"));
    assert_eq!(
        begin.notifications.minimum_severity,
        Some(MinimumSeverity::Warning)
    );

    let run = &log[3];
    assert_eq!(
        run.query.as_deref(),
        Some("UNWIND $xs AS x RETURN x + $offset AS y")
    );
    assert_eq!(run.parameters, ["offset", "xs"]);
    assert_eq!((log[4].n, log[4].qid), (Some(2), Some(0)));
    assert_eq!((log[5].n, log[5].qid), (Some(-1), Some(0)));

    let route = &log[7];
    assert_eq!(route.db.as_deref(), Some("neo4j"));
    assert_eq!(route.bookmarks, ["neo-embedded:0"]);
    assert_eq!(
        route.routing.as_ref().and_then(|r| r.get("address")),
        Some(&Value::from("example.com:7687"))
    );
    assert_eq!(log[8].telemetry, Some(TelemetryApi::DriverLevel));

    assert_eq!(controls.messages_named("run").len(), 1);
    controls.clear_messages();
    assert!(controls.messages().is_empty());
    assert_eq!(controls.received("RUN"), 1, "counts are kept apart");
}

#[tokio::test]
async fn the_message_log_is_bounded_and_can_be_switched_off() {
    let server = start(ServerConfig::new()).await;
    let controls = server.controls();
    controls.set_message_log_capacity(3);
    let mut client = RawClient::open(&server).await;
    for _ in 0..5 {
        client.send(Request::Reset).await;
        client.next().await.success();
    }
    let names: Vec<_> = controls.messages().iter().map(|m| m.message).collect();
    assert_eq!(names, ["RESET", "RESET", "RESET"]);
    controls.set_message_log_capacity(0);
    client.query("RETURN 1").await;
    assert!(controls.messages().is_empty());
    assert_eq!(controls.received("RUN"), 1);
}

#[tokio::test]
async fn undecodable_requests_are_logged_by_type() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    let mut framed = bytes::BytesMut::new();
    neo_bolt::chunk::write_message(&mut framed, &[0xB3, 0x10, 0x81]);
    client.send_raw(&framed).await;
    assert_eq!(
        client.next().await.failure_code(),
        "Neo.ClientError.Request.Invalid"
    );
    let last = server.controls().messages().pop().expect("logged");
    assert_eq!(last.message, "RUN");
    assert!(!last.decoded);
    assert_eq!(last.query, None);
}

#[tokio::test]
async fn after_a_failure_a_silent_server_answers_nothing_more() {
    let server = start(ServerConfig::new()).await;
    let controls = server.controls();
    controls.go_silent_after_failure();
    let mut client = RawClient::open(&server).await;
    client
        .send_all(vec![
            begin(TxExtra::default()),
            run("RETRUN 1"),
            pull_all(),
            Request::Commit,
        ])
        .await;
    client.next().await.success();
    assert_eq!(
        client.next().await.failure_code(),
        "Neo.ClientError.Statement.SyntaxError"
    );
    // Neither the pipelined PULL and COMMIT nor a RESET get an answer, and
    // the connection stays open.
    client.send(Request::Reset).await;
    assert_eq!(
        answer_within(&mut client, Duration::from_millis(700)).await,
        None
    );
    let names: Vec<_> = controls.messages().iter().map(|m| m.message).collect();
    assert_eq!(names[names.len() - 3..], ["PULL", "COMMIT", "RESET"]);

    // Other connections are served, and after clear_faults a failure is an
    // ordinary one again.
    let mut other = RawClient::open(&server).await;
    assert_eq!(
        other.query("RETURN 1 AS one").await.0,
        [[Value::Integer(1)]]
    );
    controls.clear_faults();
    other.send_all(vec![run("RETRUN 1"), pull_all()]).await;
    other.next().await.failure_code();
    assert_eq!(other.next().await, Resp::Ignored);
    other.send(Request::Reset).await;
    other.next().await.success();
}

#[tokio::test]
async fn a_connection_falls_silent_before_or_after_a_matching_request() {
    let server = start(ServerConfig::new()).await;
    let controls = server.controls();

    controls.go_silent(Trigger::on("PULL"), Timing::AfterExecuting);
    let mut client = RawClient::open(&server).await;
    client
        .send_all(vec![run("RETURN 5 AS five"), pull_all()])
        .await;
    client.next().await.success();
    let (rows, summary) = client.records().await;
    assert_eq!(rows, [[Value::Integer(5)]]);
    summary.success();
    client.send(Request::Reset).await;
    assert_eq!(
        answer_within(&mut client, Duration::from_millis(500)).await,
        None
    );

    controls.go_silent(Trigger::on("RUN"), Timing::BeforeExecuting);
    let mut client = RawClient::open(&server).await;
    client
        .send_all(vec![run("CREATE (:Never)"), pull_all()])
        .await;
    assert_eq!(
        answer_within(&mut client, Duration::from_millis(500)).await,
        None
    );
    let mut other = RawClient::open(&server).await;
    let (rows, _) = other.query("MATCH (n:Never) RETURN count(n)").await;
    assert_eq!(int(&rows[0][0]), 0, "the silenced RUN never ran");
}

#[tokio::test]
async fn a_reset_can_be_answered_late() {
    let server = start(ServerConfig::new()).await;
    let controls = server.controls();
    let delay = Duration::from_millis(800);
    controls.delay_times(Trigger::on("RESET"), 1, delay);
    let mut client = RawClient::open(&server).await;
    client.send(begin(TxExtra::default())).await;
    client.next().await.success();

    let sent = Instant::now();
    client.send(Request::Reset).await;
    client.next().await.success();
    assert!(
        sent.elapsed() >= delay,
        "answered after {:?}",
        sent.elapsed()
    );

    let sent = Instant::now();
    client.send(Request::Reset).await;
    client.next().await.success();
    assert!(sent.elapsed() < delay, "only the first was delayed");
    // The transaction is gone: the connection is READY again.
    client.send(Request::Commit).await;
    assert_eq!(
        client.next().await.failure_code(),
        "Neo.ClientError.Request.Invalid"
    );
}

#[tokio::test]
async fn a_commit_can_be_applied_with_its_success_lost() {
    let server = start(ServerConfig::new()).await;
    let controls = server.controls();
    controls.close_connection(Trigger::on("COMMIT"), Timing::AnswerLost);
    let mut client = RawClient::open(&server).await;
    client.send(begin(TxExtra::default())).await;
    client.next().await.success();
    client
        .send_all(vec![run("CREATE (:Committed)"), pull_all()])
        .await;
    client.next().await.success();
    client.records().await.1.success();
    client.send(Request::Commit).await;
    assert_eq!(client.recv().await, None, "closed without an answer");

    let mut other = RawClient::open(&server).await;
    let (rows, summary) = other.query("MATCH (c:Committed) RETURN count(c)").await;
    assert_eq!(int(&rows[0][0]), 1, "the commit was applied");
    assert_eq!(
        summary["bookmark"],
        Value::from("neo-embedded:1"),
        "and made a bookmark"
    );
}

#[tokio::test]
async fn every_version_logs_hello_fields_its_way() {
    for version in [BoltVersion::V4_4, BoltVersion::V5_0, BoltVersion::V5_8] {
        let server = start(ServerConfig::new().max_bolt_version(version)).await;
        let mut client = RawClient::handshake(server.address(), ClientHandshake::new()).await;
        client.login("neo4j", "password").await;
        let log = server.controls().messages();
        let hello = &log[0];
        if version < BoltVersion::V5_1 {
            assert_eq!(hello.principal.as_deref(), Some("neo4j"), "{version}");
            assert_eq!(log.len(), 1);
        } else {
            assert_eq!(hello.principal, None);
            assert_eq!(log[1].principal.as_deref(), Some("neo4j"));
        }
        assert_eq!(
            hello.bolt_agent.is_some(),
            version >= BoltVersion::V5_3,
            "{version}"
        );
    }
}
