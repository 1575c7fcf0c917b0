//! The engine behind the embedded server, seen by a client over TCP: rows
//! that stream as they are computed, plans and notifications in the
//! summary, counters, transaction metadata and timeouts.

mod server_support;

use std::borrow::Cow;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use neo_bolt::BoltVersion;
use neo_bolt::message::{
    GqlStatusObject, MinimumSeverity, NotificationClassification, NotificationFilter, Request,
    TxExtra,
};
use neo_bolt::packstream::{Map, Value};
use neo_embedded::engine::{EngineError, Field, MarsEngine, Procedure, codes};
use neo_embedded::{ServerConfig, Trigger};
use server_support::*;

fn map<const N: usize>(entries: [(&str, Value); N]) -> Map {
    entries
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

#[tokio::test]
async fn rows_go_out_before_later_rows_are_computed() {
    // `test.gate(x)` passes its argument on, but holds 1500 back until the
    // test opens the gate: the client gets the rows computed before it
    // (in the pieces a large PULL is written in) while it waits.
    let (open, gate) = mpsc::channel::<()>();
    let gate = Mutex::new(gate);
    let engine = MarsEngine::new().unwrap();
    engine
        .register_procedure(Procedure::new(
            "test.gate",
            vec![Field::new("x", "INTEGER")],
            vec![Field::new("x", "INTEGER")],
            move |args| {
                if args[0] == Value::Integer(1500) {
                    gate.lock()
                        .unwrap()
                        .recv_timeout(Duration::from_secs(20))
                        .map_err(|_| EngineError::new(codes::TERMINATED, "the gate stayed shut"))?;
                }
                Ok(vec![args.to_vec()])
            },
        ))
        .unwrap();
    let server = start(ServerConfig::new().engine(Arc::new(engine))).await;
    let mut client = RawClient::open(&server).await;
    client
        .send_all(vec![
            run("UNWIND range(1, 3000) AS i CALL test.gate(i) YIELD x RETURN x"),
            pull_all(),
        ])
        .await;
    client.next().await.success();
    for expected in 1..=1000 {
        match client.next().await {
            Resp::Record(values, _) => assert_eq!(values, [Value::Integer(expected)]),
            other => panic!("row {expected}: {other:?}"),
        }
    }
    open.send(()).unwrap();
    let (rows, summary) = client.records().await;
    summary.success();
    assert_eq!(rows.len(), 2000);
    assert_eq!(rows.last(), Some(&vec![Value::Integer(3000)]));
}

#[tokio::test]
async fn the_rows_before_a_failure_are_sent_then_the_failure() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    client
        .send_all(vec![
            run("UNWIND [1, 0, 2] AS x RETURN 10 / x AS y"),
            pull_all(),
        ])
        .await;
    client.next().await.success();
    let (rows, failure) = client.records().await;
    assert_eq!(rows, [vec![Value::Integer(10)]]);
    assert_eq!(failure.failure_code(), codes::ARITHMETIC_ERROR);
}

#[tokio::test]
async fn a_large_result_streams_in_pieces_with_the_counts_right() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    client
        .send_all(vec![
            run("UNWIND range(1, 25000) AS x RETURN x"),
            pull(12345, None),
        ])
        .await;
    client.next().await.success();
    let (rows, summary) = client.records().await;
    assert_eq!(rows.len(), 12345);
    assert_eq!(
        summary.success().get("has_more"),
        Some(&Value::Boolean(true))
    );
    client.send(pull_all()).await;
    let (rows, summary) = client.records().await;
    assert_eq!(rows.len(), 25000 - 12345);
    assert_eq!(rows[0], vec![Value::Integer(12346)]);
    assert_eq!(summary.success().get("has_more"), None);
}

fn operator_types(plan: &Value, out: &mut Vec<String>) {
    if let Value::Map(plan) = plan {
        if let Some(Value::String(name)) = plan.get("operatorType") {
            out.push(name.clone());
        }
        if let Some(Value::List(children)) = plan.get("children") {
            for child in children {
                operator_types(child, out);
            }
        }
    }
}

#[tokio::test]
async fn explain_and_profile_put_the_plan_in_the_summary() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    client
        .query("UNWIND range(1, 3) AS i CREATE (:N {i: i})")
        .await;
    let (rows, summary) = client
        .query("EXPLAIN MATCH (n:N) WHERE n.i > 1 RETURN n.i")
        .await;
    assert!(rows.is_empty());
    let mut names = Vec::new();
    operator_types(&summary["plan"], &mut names);
    assert!(
        names.iter().any(|n| n.starts_with("NodeByLabelScan")),
        "{names:?}"
    );
    assert!(!summary.contains_key("profile"));

    let (rows, summary) = client
        .query("PROFILE MATCH (n:N) WHERE n.i > 1 RETURN n.i")
        .await;
    assert_eq!(rows.len(), 2);
    let Value::Map(profile) = &summary["profile"] else {
        panic!("{summary:?}")
    };
    assert_eq!(profile["rows"], Value::Integer(2));
    assert!(matches!(profile["dbHits"], Value::Integer(_)));
    assert!(!summary.contains_key("plan"));
}

#[tokio::test]
async fn notifications_and_statuses_reach_the_client() {
    // Before Bolt 5.6 as `notifications`.
    let server = start(ServerConfig::new().max_bolt_version(BoltVersion::V5_4)).await;
    let mut client = RawClient::open(&server).await;
    let (_, summary) = client.query("MATCH (a), (b) RETURN count(*)").await;
    let Some(Value::List(notifications)) = summary.get("notifications") else {
        panic!("{summary:?}")
    };
    let Value::Map(first) = &notifications[0] else {
        panic!()
    };
    assert_eq!(
        first["code"],
        Value::from("Neo.ClientNotification.Statement.CartesianProduct")
    );
    assert_eq!(first["severity"], Value::from("INFORMATION"));

    // From Bolt 5.6 as GQL `statuses`.
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    assert!(client.version >= BoltVersion::V5_6);
    let (_, summary) = client.query("MATCH (a), (b) RETURN count(*)").await;
    let Some(Value::List(statuses)) = summary.get("statuses") else {
        panic!("{summary:?}")
    };
    assert!(
        statuses.iter().any(|s| matches!(s, Value::Map(m)
            if m.get("gql_status") == Some(&Value::from("03N90")))),
        "{statuses:?}"
    );
}

/// The GQL status codes of a summary's `statuses`, in order.
fn status_codes(summary: &Map) -> Vec<String> {
    let Some(Value::List(statuses)) = summary.get("statuses") else {
        panic!("no statuses: {summary:?}")
    };
    statuses
        .iter()
        .map(|status| match status {
            Value::Map(status) => status["gql_status"].as_str().unwrap_or_default().to_owned(),
            other => panic!("not a status: {other:?}"),
        })
        .collect()
}

#[tokio::test]
async fn the_engines_notifications_and_a_tests_pass_the_same_filter() {
    let server = start(ServerConfig::new()).await;
    let mut record = Map::new();
    record.insert("_severity".into(), Value::from("WARNING"));
    record.insert("_classification".into(), Value::from("DEPRECATION"));
    let mut injected = GqlStatusObject::default();
    injected.gql_status = "01N01".into();
    injected.status_description = "warn: feature deprecated".into();
    injected.neo4j_code = Some("Neo.ClientNotification.Statement.FeatureDeprecationWarning".into());
    injected.diagnostic_record = record;
    server
        .controls()
        .notify(Trigger::on("RUN").query_contains("(a), (b)"), injected);
    let query = "MATCH (a), (b) RETURN count(*)";
    let mut client = RawClient::open(&server).await;

    // The outcome (a row: 00000), then the engine's Cartesian product
    // (INFORMATION, PERFORMANCE), then the test's deprecation (WARNING).
    let (_, summary) = client.query(query).await;
    assert_eq!(status_codes(&summary), ["00000", "03N90", "01N01"]);

    let filtered = |filter: NotificationFilter| TxExtra {
        notifications: filter,
        ..TxExtra::default()
    };
    let warnings = NotificationFilter::default().with_minimum_severity(MinimumSeverity::Warning);
    let no_deprecations = NotificationFilter::default()
        .with_disabled_classifications([NotificationClassification::Deprecation]);
    for (filter, expected) in [
        (warnings, ["00000", "01N01"]),
        (no_deprecations, ["00000", "03N90"]),
    ] {
        client
            .send_all(vec![
                run_with(query, Map::new(), filtered(filter)),
                pull_all(),
            ])
            .await;
        client.next().await.success();
        let (_, summary) = client.records().await;
        assert_eq!(status_codes(&summary.success()), expected, "{filter:?}");
    }
    // BEGIN's filter holds for the transaction's statements.
    client.send(begin(filtered(warnings))).await;
    client.next().await.success();
    let (_, summary) = client.query(query).await;
    assert_eq!(status_codes(&summary), ["00000", "01N01"]);
    client.send(Request::Rollback).await;
    client.next().await.success();

    // The outcome says whether the statement returned rows, read or
    // discarded, and 00001 when it has no columns.
    client
        .send_all(vec![run("UNWIND [1, 2] AS x RETURN x"), discard(-1, None)])
        .await;
    client.next().await.success();
    assert_eq!(status_codes(&client.next().await.success()), ["00000"]);
    let (_, summary) = client.query("UNWIND [] AS x RETURN x").await;
    assert_eq!(status_codes(&summary), ["02000"]);
    let (_, summary) = client.query("CREATE ()").await;
    assert_eq!(status_codes(&summary), ["00001"]);
}

#[tokio::test]
async fn counters_come_back_in_the_summary() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    let (_, summary) = client
        .query("MERGE (a:A {x: 1}) MERGE (a)-[:R {w: 2}]->(b:B)")
        .await;
    let Value::Map(stats) = &summary["stats"] else {
        panic!("{summary:?}")
    };
    assert_eq!(stats["nodes-created"], Value::Integer(2));
    assert_eq!(stats["relationships-created"], Value::Integer(1));
    assert_eq!(stats["labels-added"], Value::Integer(2));
    assert_eq!(stats["properties-set"], Value::Integer(2));
    // Writes without results are "w", with results "rw".
    assert_eq!(summary["type"], Value::from("w"));
    let (_, summary) = client.query("MATCH (a:A) SET a.y = 2 RETURN a.y").await;
    assert_eq!(summary["type"], Value::from("rw"));
}

#[tokio::test]
async fn transaction_metadata_is_given_back_by_the_procedure() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    let extra = TxExtra {
        tx_metadata: Cow::Owned(map([("app", Value::from("billing"))])),
        ..TxExtra::default()
    };
    client
        .send_all(vec![
            begin(extra),
            run("CALL tx.getMetaData() YIELD metadata RETURN metadata"),
            pull_all(),
        ])
        .await;
    client.next().await.success();
    client.next().await.success();
    let (rows, summary) = client.records().await;
    summary.success();
    assert_eq!(
        rows,
        [vec![Value::Map(map([("app", Value::from("billing"))]))]]
    );
}

#[tokio::test]
async fn a_transaction_timeout_stops_a_wait_for_the_write_lock() {
    let server = start(ServerConfig::new()).await;
    let mut holder = RawClient::open(&server).await;
    holder
        .send_all(vec![
            begin(TxExtra::default()),
            run("CREATE (:Held)"),
            pull_all(),
        ])
        .await;
    for _ in 0..3 {
        holder.next().await.success();
    }
    let mut waiter = RawClient::open(&server).await;
    let extra = TxExtra {
        tx_timeout: Some(Duration::from_millis(300)),
        ..TxExtra::default()
    };
    let started = Instant::now();
    waiter
        .send_all(vec![begin(extra), run("CREATE (:Waiting)"), pull_all()])
        .await;
    waiter.next().await.success();
    let failure = waiter.next().await;
    let waited = started.elapsed();
    let code = failure.failure_code();
    assert!(
        code == codes::LOCK_CLIENT_STOPPED || code == codes::TRANSACTION_TIMED_OUT,
        "{code}"
    );
    assert!(waited < Duration::from_secs(10), "{waited:?}");
    holder.send(neo_bolt::message::Request::Commit).await;
    holder.next().await.success();
}

#[tokio::test]
async fn call_in_transactions_needs_an_auto_commit_transaction() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    let (_, summary) = client
        .query("UNWIND range(1, 5) AS i CALL (i) { CREATE (:B {i: i}) } IN TRANSACTIONS OF 2 ROWS")
        .await;
    let Value::Map(stats) = &summary["stats"] else {
        panic!("{summary:?}")
    };
    assert_eq!(stats["nodes-created"], Value::Integer(5));
    client
        .send_all(vec![
            begin(TxExtra::default()),
            run("UNWIND [1] AS i CALL (i) { CREATE (:C) } IN TRANSACTIONS"),
        ])
        .await;
    client.next().await.success();
    assert_eq!(
        client.next().await.failure_code(),
        codes::TRANSACTION_START_FAILED
    );
}

#[tokio::test]
async fn byte_arrays_and_points_travel_as_parameters_and_results() {
    let server = start(ServerConfig::new()).await;
    let mut client = RawClient::open(&server).await;
    let point = Value::Point2D(neo_bolt::packstream::Point2D {
        srid: 4326,
        x: 13.4,
        y: 52.5,
    });
    let params = map([
        ("data", Value::Bytes(vec![0, 1, 254, 255])),
        ("at", point.clone()),
    ]);
    client
        .send_all(vec![
            run_with(
                "CREATE (n:Blob {data: $data, at: $at}) RETURN n.data, n.at, n.at.latitude",
                params,
                TxExtra::default(),
            ),
            pull_all(),
        ])
        .await;
    client.next().await.success();
    let (rows, summary) = client.records().await;
    summary.success();
    assert_eq!(
        rows,
        [vec![
            Value::Bytes(vec![0, 1, 254, 255]),
            point,
            Value::Float(52.5)
        ]]
    );
}
