//! Protocol tests of the embedded server over real TCP with raw `neo-bolt`
//! messages: batching, result streams, failures and recovery, bookmarks,
//! timeouts, versions, authentication and the test controls.

mod server_support;

use std::borrow::Cow;
use std::time::{Duration, Instant};

use neo_bolt::BoltVersion;
use neo_bolt::handshake::ClientHandshake;
use neo_bolt::message::{BoltAgent, Hello, Request, Route, TxExtra, tag};
use neo_bolt::packstream::{Map, Value};
use neo_embedded::{Auth, ServerConfig, Timing, Trigger};
use server_support::*;

fn count(rows: &[Vec<Value>]) -> i64 {
    int(&rows[0][0])
}

#[tokio::test]
async fn pull_batches_of_100_over_10000_rows_take_exactly_100_pulls() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    client
        .send_all(vec![
            run("UNWIND range(1, 10000) AS x RETURN x"),
            pull(100, None),
        ])
        .await;
    let fields = client.next().await.success();
    assert_eq!(fields["fields"], Value::from(vec!["x"]));
    let mut total = 0i64;
    let mut seen = 0usize;
    for batch in 1..=100 {
        let (rows, summary) = client.records().await;
        assert_eq!(rows.len(), 100, "batch {batch}");
        seen += rows.len();
        total += rows.iter().map(|r| int(&r[0])).sum::<i64>();
        let summary = summary.success();
        if batch < 100 {
            assert_eq!(summary.get("has_more"), Some(&Value::Boolean(true)));
            assert_eq!(summary.len(), 1, "a has_more SUCCESS carries nothing else");
            client.send(pull(100, None)).await;
        } else {
            assert_eq!(summary.get("has_more"), None);
            assert!(
                summary["bookmark"]
                    .as_str()
                    .unwrap()
                    .starts_with("neo-embedded:")
            );
            assert_eq!(summary["type"], Value::from("r"));
            assert_eq!(summary["db"], Value::from("neo4j"));
            assert!(summary.contains_key("t_last"));
        }
    }
    assert_eq!(seen, 10_000);
    assert_eq!(total, 50_005_000);
    assert_eq!(server.controls().received("PULL"), 100);
    assert_eq!(server.controls().received("RUN"), 1);
}

#[tokio::test]
async fn streams_in_a_transaction_are_addressed_by_qid() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    client.send(begin(TxExtra::default())).await;
    client.next().await.success();

    client
        .send_all(vec![run("UNWIND range(1, 5) AS x RETURN x"), pull(2, None)])
        .await;
    let first = client.next().await.success();
    assert_eq!(first["qid"], Value::Integer(0));
    assert!(first.contains_key("t_first"));
    let (rows, more) = client.records().await;
    assert_eq!(rows, [[Value::Integer(1)], [Value::Integer(2)]]);
    assert_eq!(more.success()["has_more"], Value::Boolean(true));

    client
        .send_all(vec![
            run("UNWIND range(10, 12) AS y RETURN y"),
            pull(-1, None),
        ])
        .await;
    let second = client.next().await.success();
    assert_eq!(second["qid"], Value::Integer(1));
    assert_eq!(second["fields"], Value::from(vec!["y"]));
    let (rows, done) = client.records().await;
    assert_eq!(rows.len(), 3);
    let done = done.success();
    assert!(!done.contains_key("has_more"));
    assert!(
        !done.contains_key("bookmark"),
        "no bookmark inside a transaction"
    );

    // Back to the first stream by its qid.
    client.send(pull(1, Some(0))).await;
    let (rows, more) = client.records().await;
    assert_eq!(rows, [[Value::Integer(3)]]);
    assert_eq!(more.success()["has_more"], Value::Boolean(true));
    client.send(discard(-1, Some(0))).await;
    let discarded = client.next().await.success();
    assert!(!discarded.contains_key("has_more"));

    client.send(Request::Commit).await;
    let commit = client.next().await.success();
    assert!(
        commit["bookmark"]
            .as_str()
            .unwrap()
            .starts_with("neo-embedded:")
    );
}

#[tokio::test]
async fn a_failure_ignores_what_follows_until_reset() {
    let server = start(ServerConfig::new()).await;
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
    assert_eq!(client.next().await, Resp::Ignored);
    assert_eq!(client.next().await, Resp::Ignored);
    client.send(run("RETURN 1")).await;
    assert_eq!(client.next().await, Resp::Ignored, "still FAILED");

    client.send(Request::Reset).await;
    client.next().await.success();
    let (rows, _) = client.query("RETURN 1 AS one").await;
    assert_eq!(rows, [[Value::Integer(1)]]);
}

#[tokio::test]
async fn reset_skips_requests_queued_before_it() {
    let server = start(ServerConfig::new()).await;
    let controls = server.controls();
    let mut client = RawClient::open(&server).await;
    controls.delay_times(
        Trigger::on("RUN").query_contains("slow"),
        1,
        Duration::from_millis(400),
    );
    client
        .send_all(vec![run("RETURN 'slow' AS s"), pull_all()])
        .await;
    // Wait until the slow RUN is being handled (it is counted first).
    while controls.received("RUN") == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    client
        .send_all(vec![run("RETURN 2"), pull_all(), Request::Reset])
        .await;
    client.next().await.success(); // the slow RUN was already running
    assert_eq!(client.next().await, Resp::Ignored);
    assert_eq!(client.next().await, Resp::Ignored);
    assert_eq!(client.next().await, Resp::Ignored);
    client.next().await.success(); // RESET
    let (rows, _) = client.query("RETURN 3").await;
    assert_eq!(rows, [[Value::Integer(3)]]);
}

#[tokio::test]
async fn a_request_the_state_does_not_allow_fails_and_closes() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    client.send(pull_all()).await;
    assert_eq!(
        client.next().await.failure_code(),
        "Neo.ClientError.Request.Invalid"
    );
    assert!(client.is_closed().await);

    let mut client = RawClient::open(&server).await;
    client
        .send_all(vec![run("RETURN 1"), run("RETURN 2")])
        .await;
    client.next().await.success();
    assert_eq!(
        client.next().await.failure_code(),
        "Neo.ClientError.Request.Invalid",
        "RUN while an auto-commit result is open"
    );
    assert!(client.is_closed().await);
}

#[tokio::test]
async fn bookmarks_wait_for_commits_and_time_out() {
    let server = start(ServerConfig::new().bookmark_wait_timeout(Duration::from_millis(300))).await;
    let mut writer = RawClient::open(&server).await;
    let (_, summary) = writer.query("CREATE (:Marker)").await;
    let bookmark = summary["bookmark"].as_str().unwrap().to_owned();

    let mut reader = RawClient::open(&server).await;
    reader.send(begin(bookmarks(&[&bookmark]))).await;
    reader.next().await.success();
    reader
        .send_all(vec![run("MATCH (m:Marker) RETURN count(m)"), pull_all()])
        .await;
    reader.next().await.success();
    assert_eq!(count(&reader.records().await.0), 1);
    reader.send(Request::Rollback).await;
    reader.next().await.success();

    let started = Instant::now();
    reader
        .send(begin(bookmarks(&["neo-embedded:999999"])))
        .await;
    assert_eq!(
        reader.next().await.failure_code(),
        "Neo.TransientError.Transaction.BookmarkTimeout"
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    reader.send(Request::Reset).await;
    reader.next().await.success();

    reader
        .send_all(vec![
            run_with("RETURN 1", Map::new(), bookmarks(&["not-a-bookmark"])),
            pull_all(),
        ])
        .await;
    assert_eq!(
        reader.next().await.failure_code(),
        "Neo.ClientError.Transaction.InvalidBookmark"
    );
    assert_eq!(reader.next().await, Resp::Ignored);
}

#[tokio::test]
async fn a_begin_waiting_for_a_bookmark_proceeds_when_the_commit_lands() {
    let server = start(ServerConfig::new()).await;
    let mut reader = RawClient::open(&server).await;
    // The next write on a fresh server makes bookmark 1.
    reader.send(begin(bookmarks(&["neo-embedded:1"]))).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut writer = RawClient::open(&server).await;
    let (_, summary) = writer.query("CREATE (:Late)").await;
    assert_eq!(summary["bookmark"], Value::from("neo-embedded:1"));
    reader.next().await.success();
    reader
        .send_all(vec![run("MATCH (n:Late) RETURN count(n)"), pull_all()])
        .await;
    reader.next().await.success();
    assert_eq!(count(&reader.records().await.0), 1);
}

#[tokio::test]
async fn a_transaction_past_its_timeout_is_rolled_back() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    let timeout = Duration::from_secs(1);
    let extra = TxExtra {
        tx_timeout: Some(timeout),
        ..TxExtra::default()
    };
    let began = Instant::now();
    client.send(begin(extra)).await;
    client.next().await.success();
    client
        .send_all(vec![run("CREATE (:Doomed)"), pull_all()])
        .await;
    client.next().await.success();
    client.records().await.1.success();

    // Once the timeout has passed the write lock is free for others.
    tokio::time::sleep(
        (began + timeout + Duration::from_millis(200)).saturating_duration_since(Instant::now()),
    )
    .await;
    let mut other = RawClient::open(&server).await;
    let started = Instant::now();
    other.query("CREATE (:Other)").await;
    assert!(started.elapsed() < Duration::from_secs(5));

    client.send_all(vec![run("RETURN 1"), pull_all()]).await;
    assert_eq!(
        client.next().await.failure_code(),
        "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"
    );
    assert_eq!(client.next().await, Resp::Ignored);
    client.send(Request::Reset).await;
    client.next().await.success();
    let (rows, _) = client.query("MATCH (d:Doomed) RETURN count(d)").await;
    assert_eq!(count(&rows), 0);
}

#[tokio::test]
async fn a_dropped_connection_rolls_back_its_transaction() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    client.send(begin(TxExtra::default())).await;
    client.next().await.success();
    client
        .send_all(vec![run("CREATE (:Orphan)"), pull_all()])
        .await;
    client.next().await.success();
    client.records().await.1.success();
    drop(client);

    let mut other = RawClient::open(&server).await;
    let (_, summary) = other.query("CREATE (:Survivor)").await;
    assert!(summary.contains_key("bookmark"));
    let (rows, _) = other.query("MATCH (o:Orphan) RETURN count(o)").await;
    assert_eq!(count(&rows), 0);
}

#[tokio::test]
async fn every_version_negotiates_and_shapes_values_and_failures() {
    for version in BoltVersion::SUPPORTED {
        let server = start(ServerConfig::new().max_bolt_version(version)).await;
        let mut client = RawClient::handshake(server.address(), ClientHandshake::new()).await;
        assert_eq!(client.version, version);
        assert_eq!(client.manifest, version >= BoltVersion::V5_7, "{version}");
        let hello = client.login("neo4j", "password").await;
        let agent = match version {
            BoltVersion::V4_3 => "Neo4j/4.3.0",
            BoltVersion::V4_4 => "Neo4j/4.4.0",
            BoltVersion::V5_0 => "Neo4j/5.0.0",
            BoltVersion::V5_1 => "Neo4j/5.5.0",
            BoltVersion::V5_2 => "Neo4j/5.7.0",
            BoltVersion::V5_3 => "Neo4j/5.9.0",
            BoltVersion::V5_4 => "Neo4j/5.13.0",
            BoltVersion::V5_6 => "Neo4j/5.23.0",
            BoltVersion::V5_7 => "Neo4j/5.26.0",
            BoltVersion::V5_8 => "Neo4j/2025.01.0",
            BoltVersion::V6_0 => "Neo4j/2025.10.0",
            other => panic!("no agent expected for {other}"),
        };
        assert_eq!(hello["server"], Value::from(agent), "{version}");
        assert!(
            hello["connection_id"]
                .as_str()
                .unwrap()
                .starts_with("bolt-")
        );
        let hints = hello["hints"].as_map().unwrap();
        assert_eq!(
            hints.get("telemetry.enabled"),
            (version >= BoltVersion::V5_4).then_some(&Value::Boolean(true))
        );
        assert_eq!(
            hello.get("protocol_version"),
            (version >= BoltVersion::V5_7)
                .then(|| Value::from(version.to_string()))
                .as_ref()
        );

        client
            .send_all(vec![run("CREATE (n:Thing {a: 1}) RETURN n"), pull_all()])
            .await;
        let run_meta = client.next().await.success();
        assert_eq!(
            run_meta.get("db"),
            (version >= BoltVersion::V5_8)
                .then(|| Value::from("neo4j"))
                .as_ref(),
            "{version}: db echo"
        );
        let Resp::Record(values, raw) = client.next().await else {
            panic!("{version}: expected a record")
        };
        assert!(values[0].as_node().is_some());
        // RECORD (B1 71), a one-item list (91), then the node structure.
        let node_marker = raw[3];
        assert_eq!(raw[4], 0x4E);
        let expected = if version.major >= 5 { 0xB4 } else { 0xB3 };
        assert_eq!(node_marker, expected, "{version}: node fields");
        let summary = client.next().await.success();
        let stats = summary["stats"].as_map().unwrap();
        assert_eq!(stats["nodes-created"], Value::Integer(1));
        assert_eq!(stats["contains-updates"], Value::Boolean(true));

        client.send_all(vec![run("RETRUN 1"), pull_all()]).await;
        let Resp::Failure(failure) = client.next().await else {
            panic!("{version}: expected FAILURE")
        };
        if version >= BoltVersion::V5_7 {
            assert_eq!(
                failure["neo4j_code"],
                Value::from("Neo.ClientError.Statement.SyntaxError")
            );
            assert!(failure.contains_key("gql_status"));
            assert!(!failure.contains_key("code"));
        } else {
            assert_eq!(
                failure["code"],
                Value::from("Neo.ClientError.Statement.SyntaxError")
            );
            assert!(!failure.contains_key("gql_status"));
        }
        server.shutdown().await;
    }
}

#[tokio::test]
async fn bolt_4_4_echoes_the_utc_patch_when_asked() {
    let server = start(ServerConfig::new().max_bolt_version(BoltVersion::V4_4)).await;
    let mut plain = RawClient::handshake(server.address(), ClientHandshake::new()).await;
    let hello = plain.hello("neo4j", "password", false).await;
    assert!(!hello[0].clone().success().contains_key("patch_bolt"));

    let mut patched = RawClient::handshake(server.address(), ClientHandshake::new()).await;
    let hello = patched.hello("neo4j", "password", true).await;
    assert_eq!(
        hello[0].clone().success()["patch_bolt"],
        Value::from(vec!["utc"])
    );
    assert!(patched.dialect.utc_datetime);
}

#[tokio::test]
async fn wrong_credentials_fail_and_close_in_hello_and_logon() {
    for version in [BoltVersion::V5_0, BoltVersion::V5_8] {
        let server = start(ServerConfig::new().max_bolt_version(version)).await;
        let mut client = RawClient::handshake(server.address(), ClientHandshake::new()).await;
        let responses = client.hello("neo4j", "wrong", false).await;
        let failure = responses
            .iter()
            .find(|r| matches!(r, Resp::Failure(_)))
            .unwrap_or_else(|| panic!("{version}: no failure in {responses:?}"));
        assert_eq!(
            failure.failure_code(),
            "Neo.ClientError.Security.Unauthorized"
        );
        assert!(client.is_closed().await, "{version}");
    }
}

#[tokio::test]
async fn auth_none_accepts_anyone_and_logoff_returns_to_authentication() {
    let server = start(ServerConfig::new().auth(Auth::None)).await;
    let mut client = RawClient::handshake(server.address(), ClientHandshake::new()).await;
    client.login("whoever", "whatever").await;
    client.send(Request::Logoff).await;
    client.next().await.success();
    client.send(run("RETURN 1")).await;
    assert_eq!(
        client.next().await.failure_code(),
        "Neo.ClientError.Request.Invalid",
        "RUN before LOGON"
    );
}

/// Sends what the official drivers send for `auth=None`: a HELLO without
/// credentials, and from Bolt 5.1 a LOGON whose map is empty.
async fn hello_without_credentials(client: &mut RawClient) -> Vec<Resp> {
    let hello = Hello {
        user_agent: "server-tests/1.0".into(),
        bolt_agent: Some(Cow::Owned(BoltAgent::new("server-tests/1.0"))),
        ..Hello::default()
    };
    client.send(Request::Hello(hello)).await;
    let mut responses = vec![client.next().await];
    if client.version >= BoltVersion::V5_1 {
        let mut logon = bytes::BytesMut::new();
        neo_bolt::chunk::write_message(&mut logon, &[0xB1, tag::LOGON, 0xA0]);
        client.send_raw(&logon).await;
        responses.extend(client.recv().await);
    }
    responses
}

#[tokio::test]
async fn no_credentials_get_in_only_when_authentication_is_off() {
    for version in [
        BoltVersion::V4_4,
        BoltVersion::V5_0,
        BoltVersion::V5_1,
        BoltVersion::V5_8,
    ] {
        let open = start(
            ServerConfig::new()
                .auth(Auth::None)
                .max_bolt_version(version),
        )
        .await;
        let mut client = RawClient::handshake(open.address(), ClientHandshake::new()).await;
        for response in hello_without_credentials(&mut client).await {
            response.success();
        }
        let (rows, _) = client.query("RETURN 1 AS one").await;
        assert_eq!(rows, [[Value::Integer(1)]], "{version}");

        let closed = start(ServerConfig::new().max_bolt_version(version)).await;
        let mut client = RawClient::handshake(closed.address(), ClientHandshake::new()).await;
        let responses = hello_without_credentials(&mut client).await;
        let last = responses.last().expect("an answer");
        assert_eq!(
            last.failure_code(),
            "Neo.ClientError.Security.Unauthorized",
            "{version}"
        );
        assert!(client.is_closed().await, "{version}");
    }
}

#[tokio::test]
async fn a_logon_that_is_not_a_map_is_still_invalid() {
    let server = start(ServerConfig::new().auth(Auth::None)).await;
    let mut client = RawClient::handshake(server.address(), ClientHandshake::new()).await;
    let hello = Hello {
        user_agent: "server-tests/1.0".into(),
        bolt_agent: Some(Cow::Owned(BoltAgent::new("server-tests/1.0"))),
        ..Hello::default()
    };
    client.send(Request::Hello(hello)).await;
    client.next().await.success();
    let mut logon = bytes::BytesMut::new();
    neo_bolt::chunk::write_message(&mut logon, &[0xB1, tag::LOGON, 0x01]);
    client.send_raw(&logon).await;
    assert_eq!(
        client.next().await.failure_code(),
        "Neo.ClientError.Request.Invalid"
    );
    assert!(client.is_closed().await);
}

#[tokio::test]
async fn databases_are_resolved_created_and_dropped() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    let in_db = |db: &str| TxExtra {
        db: Some(Cow::Owned(db.to_owned())),
        ..TxExtra::default()
    };

    client
        .send_all(vec![begin(in_db("nope")), run("RETURN 1")])
        .await;
    assert_eq!(
        client.next().await.failure_code(),
        "Neo.ClientError.Database.DatabaseNotFound"
    );
    assert_eq!(client.next().await, Resp::Ignored);
    client.send(Request::Reset).await;
    client.next().await.success();

    client.send(begin(TxExtra::default())).await;
    assert_eq!(
        client.next().await.success().get("db"),
        Some(&Value::from("neo4j")),
        "Bolt 5.8 names the resolved database"
    );
    client.send(Request::Rollback).await;
    client.next().await.success();

    client
        .send_all(vec![run("CREATE DATABASE sales"), pull_all()])
        .await;
    assert_eq!(
        client.next().await.failure_code(),
        "Neo.ClientError.Statement.UnsupportedAdministrationCommand",
        "administration belongs on `system`"
    );
    assert_eq!(client.next().await, Resp::Ignored);
    client.send(Request::Reset).await;
    client.next().await.success();

    client
        .send_all(vec![
            run_with("CREATE DATABASE sales", Map::new(), in_db("system")),
            pull_all(),
        ])
        .await;
    assert!(!client.next().await.success().contains_key("db"));
    let summary = client.records().await.1.success();
    assert_eq!(summary["type"], Value::from("s"));
    assert_eq!(
        summary["stats"].as_map().unwrap()["system-updates"],
        Value::Integer(1)
    );

    client
        .send_all(vec![
            run_with("CREATE (:Sale)", Map::new(), in_db("sales")),
            pull_all(),
        ])
        .await;
    client.next().await.success();
    client.records().await.1.success();
    let (rows, _) = client.query("MATCH (s:Sale) RETURN count(s)").await;
    assert_eq!(count(&rows), 0, "databases are separate");

    client
        .send_all(vec![
            run_with("DROP DATABASE sales", Map::new(), in_db("system")),
            pull_all(),
        ])
        .await;
    client.next().await.success();
    client.records().await.1.success();
    client
        .send_all(vec![
            run_with("RETURN 1", Map::new(), in_db("sales")),
            pull_all(),
        ])
        .await;
    assert_eq!(
        client.next().await.failure_code(),
        "Neo.ClientError.Database.DatabaseNotFound"
    );
}

#[tokio::test]
async fn route_answers_with_this_server_in_every_role() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    client
        .send(Request::Route(Route {
            routing: Cow::Owned(Map::new()),
            ..Route::default()
        }))
        .await;
    let metadata = client.next().await.success();
    let table = neo_bolt::message::RoutingTable::from_rt(metadata["rt"].as_map().unwrap()).unwrap();
    let here = server.address().to_string();
    assert_eq!(table.ttl, 300);
    assert_eq!(table.db.as_deref(), Some("neo4j"));
    for role in [&table.routers, &table.readers, &table.writers] {
        assert_eq!(role.as_slice(), std::slice::from_ref(&here));
    }
}

#[tokio::test]
async fn injected_failures_hit_the_next_matching_requests() {
    let server = start(ServerConfig::new().max_bolt_version(BoltVersion::V5_4)).await;
    let controls = server.controls();
    controls.fail(
        Trigger::on("RUN").query_contains("CREATE"),
        2,
        "Neo.TransientError.Transaction.DeadlockDetected",
        "injected",
    );
    let mut client = RawClient::open(&server).await;
    let (rows, _) = client.query("RETURN 1").await;
    assert_eq!(rows.len(), 1, "other queries are untouched");
    for _ in 0..2 {
        client.send_all(vec![run("CREATE (:X)"), pull_all()]).await;
        assert_eq!(
            client.next().await.failure_code(),
            "Neo.TransientError.Transaction.DeadlockDetected"
        );
        assert_eq!(client.next().await, Resp::Ignored);
        client.send(Request::Reset).await;
        client.next().await.success();
    }
    let (_, summary) = client.query("CREATE (:X)").await;
    assert!(summary.contains_key("stats"), "the third attempt runs");
    let (rows, _) = client.query("MATCH (x:X) RETURN count(x)").await;
    assert_eq!(count(&rows), 1);
}

#[tokio::test]
async fn injected_closes_happen_before_or_after_the_request() {
    let server = start(ServerConfig::new()).await;
    let controls = server.controls();

    controls.close_connection(Trigger::on("COMMIT"), Timing::BeforeExecuting);
    let mut client = RawClient::open(&server).await;
    client.send(begin(TxExtra::default())).await;
    client.next().await.success();
    client
        .send_all(vec![run("CREATE (:Lost)"), pull_all()])
        .await;
    client.next().await.success();
    client.records().await.1.success();
    client.send(Request::Commit).await;
    assert_eq!(client.recv().await, None, "closed without an answer");

    controls.close_connection(Trigger::on("COMMIT"), Timing::AfterExecuting);
    let mut client = RawClient::open(&server).await;
    client.send(begin(TxExtra::default())).await;
    client.next().await.success();
    client
        .send_all(vec![run("CREATE (:Kept)"), pull_all()])
        .await;
    client.next().await.success();
    client.records().await.1.success();
    client.send(Request::Commit).await;
    assert!(client.next().await.success().contains_key("bookmark"));
    assert_eq!(client.recv().await, None);

    let mut client = RawClient::open(&server).await;
    let (rows, _) = client.query("MATCH (n) RETURN labels(n)[0] AS l").await;
    assert_eq!(rows, [[Value::from("Kept")]]);

    // The third message from now, whatever it is.
    controls.close_connection(Trigger::any().nth(3), Timing::BeforeExecuting);
    client
        .send_all(vec![
            run("RETURN 1"),
            pull_all(),
            run("RETURN 2"),
            pull_all(),
        ])
        .await;
    client.next().await.success();
    client.records().await.1.success();
    assert_eq!(client.recv().await, None);
}

#[tokio::test]
async fn delays_hold_back_matching_answers() {
    let server = start(ServerConfig::new()).await;
    let delay = Duration::from_millis(500);
    server.controls().delay(Trigger::on("PULL"), delay);
    let mut client = RawClient::open(&server).await;
    let started = Instant::now();
    client.query("RETURN 1").await;
    assert!(started.elapsed() >= delay);
    server.controls().clear_faults();
    let started = Instant::now();
    client.query("RETURN 1").await;
    assert!(started.elapsed() < delay);
}

#[tokio::test]
async fn telemetry_is_accepted_from_5_4() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    client
        .send(Request::Telemetry(neo_bolt::message::Telemetry {
            api: neo_bolt::message::TelemetryApi::DriverLevel,
        }))
        .await;
    assert_eq!(client.next().await.success(), Map::new());
    assert_eq!(server.controls().received("TELEMETRY"), 1);
}

#[tokio::test]
async fn goodbye_closes_and_shutdown_ends_open_connections() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    client.send(Request::Goodbye).await;
    assert!(client.is_closed().await);

    let mut idle = RawClient::open(&server).await;
    server.shutdown().await;
    assert!(idle.is_closed().await);
}

#[tokio::test]
async fn date_times_travel_in_the_shape_the_version_agreed() {
    use neo_bolt::packstream::DateTime;
    let dt = Value::DateTime(DateTime {
        seconds: 4500,
        nanoseconds: 42,
        tz_offset_seconds: 3600,
    });
    // (max version, ask for the utc patch, expected structure tag)
    for (version, patch, tag) in [
        (BoltVersion::V4_4, false, 0x46u8),
        (BoltVersion::V4_4, true, 0x49),
        (BoltVersion::V5_0, false, 0x49),
    ] {
        let server = start(ServerConfig::new().max_bolt_version(version)).await;
        let mut client = RawClient::handshake(server.address(), ClientHandshake::new()).await;
        client.hello("neo4j", "password", patch).await;
        let parameters: Map = [("dt".to_owned(), dt.clone())].into_iter().collect();
        client
            .send_all(vec![
                run_with("RETURN $dt AS dt", parameters, TxExtra::default()),
                pull_all(),
            ])
            .await;
        client.next().await.success();
        let Resp::Record(values, raw) = client.next().await else {
            panic!("{version} patch={patch}: expected a record")
        };
        assert_eq!(
            values.as_slice(),
            std::slice::from_ref(&dt),
            "{version} patch={patch}"
        );
        assert_eq!(raw[4], tag, "{version} patch={patch}: structure tag");
    }
}

#[tokio::test]
async fn an_idle_connection_gets_noops_as_the_recv_timeout_hint_promises() {
    use tokio::io::AsyncReadExt;
    let server = start(ServerConfig::new().recv_timeout(Some(Duration::from_secs(2)))).await;
    let mut client = RawClient::handshake(server.address(), ClientHandshake::new()).await;
    let hello = client.login("neo4j", "password").await;
    let started = Instant::now();
    assert_eq!(
        hello["hints"].as_map().unwrap()["connection.recv_timeout_seconds"],
        Value::Integer(2)
    );
    let mut noop = [0xAAu8; 2];
    tokio::time::timeout(Duration::from_secs(2), client.stream.read_exact(&mut noop))
        .await
        .expect("a NOOP within the promised time")
        .unwrap();
    assert_eq!(noop, [0, 0]);
    assert!(
        started.elapsed() >= Duration::from_millis(500),
        "not before half the timeout"
    );
    let (rows, _) = client.query("RETURN 1").await;
    assert_eq!(rows.len(), 1);

    let quiet = start(ServerConfig::new().recv_timeout(None)).await;
    let mut client = RawClient::handshake(quiet.address(), ClientHandshake::new()).await;
    let hello = client.login("neo4j", "password").await;
    assert!(
        !hello["hints"]
            .as_map()
            .unwrap()
            .contains_key("connection.recv_timeout_seconds")
    );
}

#[tokio::test]
async fn a_writer_waiting_for_the_write_lock_does_not_stall_the_others() {
    // One runtime thread: a blocked engine call must not hold it.
    let server = start(ServerConfig::new()).await;
    let mut first = RawClient::open(&server).await;
    first.send(begin(TxExtra::default())).await;
    first.next().await.success();
    first
        .send_all(vec![run("CREATE (:First)"), pull_all()])
        .await;
    first.next().await.success();
    first.records().await.1.success();

    let mut second = RawClient::open(&server).await;
    second
        .send_all(vec![run("CREATE (:Second)"), pull_all()])
        .await;
    tokio::time::sleep(Duration::from_millis(100)).await;

    // Meanwhile a reader and the lock holder are served.
    let mut reader = RawClient::open(&server).await;
    let (rows, _) = reader.query("MATCH (n) RETURN count(n)").await;
    assert_eq!(count(&rows), 0);
    first.send(Request::Commit).await;
    first.next().await.success();

    second.next().await.success();
    let summary = second.records().await.1.success();
    assert!(summary.contains_key("bookmark"));
    let (rows, _) = reader.query("MATCH (n) RETURN count(n)").await;
    assert_eq!(count(&rows), 2);
}

#[tokio::test]
async fn close_all_connections_drops_open_ones_and_serves_new_ones() {
    let server = start(ServerConfig::new()).await;
    let mut idle = RawClient::open(&server).await;
    let mut busy = RawClient::open(&server).await;
    busy.send(begin(TxExtra::default())).await;
    busy.next().await.success();
    busy.send_all(vec![run("CREATE (:Interrupted)"), pull_all()])
        .await;
    busy.next().await.success();
    busy.records().await.1.success();

    server.controls().close_all_connections();
    assert!(idle.is_closed().await);
    assert!(busy.is_closed().await);

    let mut fresh = RawClient::open(&server).await;
    let (rows, _) = fresh.query("MATCH (n:Interrupted) RETURN count(n)").await;
    assert_eq!(count(&rows), 0, "the open transaction was rolled back");
}

#[tokio::test]
async fn a_transaction_waiting_for_the_write_lock_stops_at_its_timeout() {
    let server = start(ServerConfig::new()).await;
    let mut holder = RawClient::open(&server).await;
    holder.send(begin(TxExtra::default())).await;
    holder.next().await.success();
    holder
        .send_all(vec![run("CREATE (:Held)"), pull_all()])
        .await;
    holder.next().await.success();
    holder.records().await.1.success();

    let timeout = Duration::from_millis(300);
    let mut waiter = RawClient::open(&server).await;
    for explicit in [true, false] {
        let extra = TxExtra {
            tx_timeout: Some(timeout),
            ..TxExtra::default()
        };
        let started = Instant::now();
        if explicit {
            waiter.send(begin(extra)).await;
            waiter.next().await.success();
            waiter
                .send_all(vec![run("CREATE (:Waiting)"), pull_all()])
                .await;
        } else {
            waiter
                .send_all(vec![
                    run_with("CREATE (:Waiting)", Map::new(), extra),
                    pull_all(),
                ])
                .await;
        }
        assert_eq!(
            waiter.next().await.failure_code(),
            "Neo.ClientError.Transaction.LockClientStopped",
            "explicit: {explicit}"
        );
        let waited = started.elapsed();
        assert!(
            waited >= timeout && waited < Duration::from_secs(5),
            "stopped at its timeout, not the lock timeout: {waited:?}"
        );
        assert_eq!(waiter.next().await, Resp::Ignored);
        waiter.send(Request::Reset).await;
        waiter.next().await.success();
    }
    holder.send(Request::Commit).await;
    holder.next().await.success();
    let (rows, _) = waiter.query("MATCH (w:Waiting) RETURN count(w)").await;
    assert_eq!(count(&rows), 0);
}

#[tokio::test]
async fn a_transaction_reads_its_metadata_with_tx_get_meta_data() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    let metadata = Map::from([
        ("app".to_owned(), Value::from("billing")),
        ("attempt".to_owned(), Value::Integer(2)),
    ]);
    let extra = || TxExtra {
        tx_metadata: Cow::Owned(metadata.clone()),
        ..TxExtra::default()
    };
    client.send(begin(extra())).await;
    client.next().await.success();
    client
        .send_all(vec![run("CALL tx.getMetaData()"), pull_all()])
        .await;
    let fields = client.next().await.success();
    assert_eq!(fields["fields"], Value::from(vec!["metadata"]));
    let (rows, _) = client.records().await;
    assert_eq!(rows, [[Value::Map(metadata.clone())]]);
    client.send(Request::Commit).await;
    client.next().await.success();

    client
        .send_all(vec![
            run_with(
                "CALL tx.getMetaData() YIELD metadata RETURN metadata.app AS app",
                Map::new(),
                extra(),
            ),
            pull_all(),
        ])
        .await;
    client.next().await.success();
    assert_eq!(client.records().await.0, [[Value::from("billing")]]);
    let (rows, _) = client.query("CALL tx.getMetaData()").await;
    assert_eq!(rows, [[Value::Map(Map::new())]], "none given: an empty map");
}

/// An engine that remembers the parameters of every statement and hands
/// the statement to a [`MarsEngine`].
#[derive(Default)]
struct RecordingEngine {
    inner: Option<neo_embedded::engine::MarsEngine>,
    seen: std::sync::Arc<std::sync::Mutex<Vec<Map>>>,
}

#[derive(Debug)]
struct RecordingTransaction {
    inner: Box<dyn neo_embedded::engine::EngineTransaction>,
    seen: std::sync::Arc<std::sync::Mutex<Vec<Map>>>,
}

impl neo_embedded::engine::GraphEngine for RecordingEngine {
    fn begin(
        &self,
        database: &str,
        mode: neo_embedded::engine::AccessMode,
    ) -> Result<Box<dyn neo_embedded::engine::EngineTransaction>, neo_embedded::engine::EngineError>
    {
        let inner = self
            .inner
            .as_ref()
            .expect("an engine")
            .begin(database, mode)?;
        Ok(Box::new(RecordingTransaction {
            inner,
            seen: self.seen.clone(),
        }))
    }

    fn databases(&self) -> Vec<String> {
        self.inner.as_ref().expect("an engine").databases()
    }

    fn create_database(&self, name: &str) -> Result<(), neo_embedded::engine::EngineError> {
        self.inner
            .as_ref()
            .expect("an engine")
            .create_database(name)
    }

    fn drop_database(&self, name: &str) -> Result<(), neo_embedded::engine::EngineError> {
        self.inner.as_ref().expect("an engine").drop_database(name)
    }
}

impl neo_embedded::engine::EngineTransaction for RecordingTransaction {
    fn run(
        &mut self,
        query: &str,
        parameters: &Map,
    ) -> Result<neo_embedded::engine::StreamHead, neo_embedded::engine::EngineError> {
        self.seen.lock().unwrap().push(parameters.clone());
        self.inner.run(query, parameters)
    }

    fn pull(&mut self, stream: u64, n: usize) -> neo_embedded::engine::Batch {
        self.inner.pull(stream, n)
    }

    fn discard(
        &mut self,
        stream: u64,
    ) -> Result<neo_embedded::engine::Summary, neo_embedded::engine::EngineError> {
        self.inner.discard(stream)
    }

    fn commit(self: Box<Self>) -> Result<(), neo_embedded::engine::EngineError> {
        self.inner.commit()
    }

    fn rollback(self: Box<Self>) {
        self.inner.rollback();
    }
}

#[tokio::test]
async fn byte_arrays_reach_the_engine_unchanged_at_every_version() {
    let payload: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    for version in [BoltVersion::V4_4, BoltVersion::V5_0, BoltVersion::V5_8] {
        let engine = RecordingEngine {
            inner: Some(neo_embedded::engine::MarsEngine::new().unwrap()),
            ..RecordingEngine::default()
        };
        let seen = engine.seen.clone();
        let server = start(
            ServerConfig::new()
                .max_bolt_version(version)
                .engine(std::sync::Arc::new(engine)),
        )
        .await;
        let mut client = RawClient::open(&server).await;
        let parameters = Map::from([
            ("data".to_owned(), Value::Bytes(payload.clone())),
            ("empty".to_owned(), Value::Bytes(Vec::new())),
            (
                "nested".to_owned(),
                Value::List(vec![Value::Bytes(vec![0, 1, 2])]),
            ),
        ]);
        client
            .send_all(vec![
                run_with(
                    "RETURN $data AS data",
                    parameters.clone(),
                    TxExtra::default(),
                ),
                pull_all(),
            ])
            .await;
        // The statement has started by the time RUN is answered: the
        // engine received the values as sent, and sends the bytes back.
        client.next().await.success();
        let received = seen.lock().unwrap().clone();
        assert_eq!(received, std::slice::from_ref(&parameters), "{version}");
        let (rows, _) = client.records().await;
        assert_eq!(rows, [[parameters["data"].clone()]], "{version}");
    }
}
