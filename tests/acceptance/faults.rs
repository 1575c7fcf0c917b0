//! Retry, recovery and batching under faults injected by the embedded
//! server: transient failures, dropped connections, lost commits.

use std::time::{Duration, Instant};

use neo_embedded::{EmbeddedServer, ServerConfig, Timing, Trigger};
use neo_runtime::StatusCode;
use neo_runtime::{AuthToken, Driver, DriverConfig, ErrorKind, Query, SessionConfig};

#[tokio::test]
async fn transient_failures_are_retried_until_success() {
    let (server, driver) = neo_tests::start_with(neo_tests::fast_retries(Duration::from_secs(10)));
    server.controls().fail(
        Trigger::on("RUN").query_contains("CREATE"),
        3,
        StatusCode::DEADLOCK_DETECTED.code(),
        "deadlock",
    );
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let mut attempts = 0;
    session
        .execute_write(async |tx| {
            attempts += 1;
            tx.run(Query::new("CREATE (:Person {name: $name})").param("name", "Ann"))
                .await?
                .consume()
                .await?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(attempts, 4, "three failures, then success");
    assert_eq!(
        neo_tests::count_people(&driver).await,
        1,
        "committed exactly once"
    );
}

#[tokio::test]
async fn a_non_retryable_failure_fails_at_once() {
    let (server, driver) = neo_tests::start_with(neo_tests::fast_retries(Duration::from_secs(10)));
    server.controls().fail(
        Trigger::on("RUN").query_contains("CREATE"),
        1,
        StatusCode::LEGACY_TERMINATED.code(),
        "terminated by an administrator",
    );
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let mut attempts = 0;
    let err = session
        .execute_write(async |tx| {
            attempts += 1;
            tx.run("CREATE (:Person)").await?.consume().await?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!(attempts, 1);
    // Drivers report the transient code as the client error Neo4j 5 uses.
    assert_eq!(err.code(), Some(StatusCode::TERMINATED.code()));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn the_retry_budget_is_respected_and_every_attempt_is_kept() {
    let budget = Duration::from_millis(300);
    let (server, driver) = neo_tests::start_with(neo_tests::fast_retries(budget));
    server.controls().fail(
        Trigger::on("RUN"),
        10_000,
        StatusCode::DEADLOCK_DETECTED.code(),
        "deadlock",
    );
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let started = Instant::now();
    let err = session
        .execute_write(async |tx| {
            tx.run("CREATE (:Person)").await?.consume().await?;
            Ok(())
        })
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(err.code(), Some(StatusCode::DEADLOCK_DETECTED.code()));
    assert!(elapsed >= budget, "gave up after {elapsed:?}");
    assert!(elapsed < budget * 4, "kept going for {elapsed:?}");
    assert!(
        err.attempts().len() >= 3,
        "{} earlier attempts",
        err.attempts().len()
    );
    assert!(
        err.attempts()
            .iter()
            .all(|e| e.code() == Some(StatusCode::DEADLOCK_DETECTED.code()))
    );
}

#[tokio::test]
async fn a_dropped_connection_is_retried_on_a_fresh_one() {
    let (server, driver) = neo_tests::start_with(neo_tests::fast_retries(Duration::from_secs(10)));
    server
        .controls()
        .close_connection(Trigger::on("RUN"), Timing::BeforeExecuting);
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let mut attempts = 0;
    session
        .execute_write(async |tx| {
            attempts += 1;
            tx.run("CREATE (:Person)").await?.consume().await?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(attempts, 2);
    assert_eq!(neo_tests::count_people(&driver).await, 1);
    assert!(server.controls().connections_accepted() >= 2);
}

#[tokio::test]
async fn a_commit_lost_in_flight_is_reported_and_never_retried() {
    // The server goes away as COMMIT arrives: the client cannot know
    // whether it was applied, so it must not run the work again.
    {
        let (server, driver) =
            neo_tests::start_with(neo_tests::fast_retries(Duration::from_secs(10)));
        server
            .controls()
            .close_connection(Trigger::on("COMMIT"), Timing::BeforeExecuting);
        let mut session = driver.session(SessionConfig::default()).unwrap();
        let mut attempts = 0;
        let err = session
            .execute_write(async |tx| {
                attempts += 1;
                tx.run("CREATE (:Person)").await?.consume().await?;
                Ok(())
            })
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::CommitOutcomeUnknown, "{err}");
        assert!(!err.is_retryable());
        assert_eq!(attempts, 1);
        assert_eq!(neo_tests::count_people(&driver).await, 0);
    }
}

#[tokio::test]
async fn ten_thousand_rows_with_fetch_size_100_take_exactly_100_pulls() {
    let (server, driver) = neo_tests::start_with(DriverConfig::default());
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(100))
        .unwrap();
    server.controls().reset_counts();
    let mut result = session
        .run("UNWIND range(1, 10000) AS x RETURN x")
        .await
        .unwrap();
    let mut sum = 0i64;
    while let Some(x) = result.next_as::<(i64,)>().await {
        sum += x.unwrap().0;
    }
    assert_eq!(sum, 50_005_000);
    assert_eq!(server.controls().received("PULL"), 100);
    assert_eq!(server.controls().received("DISCARD"), 0);
}

#[tokio::test]
async fn consume_discards_the_rest_with_one_message() {
    let (server, driver) = neo_tests::start_with(DriverConfig::default());
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(10))
        .unwrap();
    server.controls().reset_counts();
    let mut result = session
        .run("UNWIND range(1, 1000) AS x RETURN x")
        .await
        .unwrap();
    result.next().await.unwrap().unwrap();
    let summary = result.consume().await.unwrap();
    assert!(summary.bookmark().is_some());
    assert!(server.controls().received("PULL") <= 2);
    assert_eq!(server.controls().received("DISCARD"), 1);
}

#[tokio::test]
async fn a_connection_dropped_mid_stream_fails_the_result_and_the_pool_recovers() {
    let (server, driver) = neo_tests::start_with(DriverConfig::default());
    server
        .controls()
        .close_connection(Trigger::on("PULL").nth(3), Timing::BeforeExecuting);
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(10))
        .unwrap();
    let mut result = session
        .run("UNWIND range(1, 1000) AS x RETURN x")
        .await
        .unwrap();
    let mut rows = 0;
    let error = loop {
        match result.next().await {
            Some(Ok(_)) => rows += 1,
            Some(Err(error)) => break error,
            None => panic!("the stream ended without the error"),
        }
    };
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable, "{error}");
    assert!((10..1000).contains(&rows), "{rows} rows before the error");
    drop(result);
    // The same session and a new one both work again.
    let n: i64 = session
        .run("RETURN 7 AS n")
        .await
        .unwrap()
        .single()
        .await
        .unwrap()
        .get_as("n")
        .unwrap();
    assert_eq!(n, 7);
    session.close().await;
    assert_eq!(neo_tests::count_people(&driver).await, 0);
    assert_eq!(driver.pool_metrics().in_use, 0);
}

#[tokio::test]
async fn typed_rows_and_struct_parameters() {
    #[derive(serde::Serialize)]
    struct NewPerson<'a> {
        name: &'a str,
        born: i64,
    }
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Person {
        name: String,
        born: Option<i64>,
        nickname: Option<String>,
    }
    let (_server, driver) = neo_tests::start_with(DriverConfig::default());
    let mut session = driver.session(SessionConfig::default()).unwrap();
    for (name, born) in [("Ann", 1990), ("Bob", 1985)] {
        session
            .run(Query::new("CREATE (p:Person $props)").param("props", NewPerson { name, born }))
            .await
            .unwrap()
            .consume()
            .await
            .unwrap();
    }
    let mut result = session
        .run("MATCH (p:Person) RETURN p.name AS name, p.born AS born ORDER BY name")
        .await
        .unwrap();
    let mut people = Vec::new();
    while let Some(person) = result.next_as::<Person>().await {
        people.push(person.unwrap());
    }
    assert_eq!(
        people,
        [
            Person {
                name: "Ann".into(),
                born: Some(1990),
                nickname: None
            },
            Person {
                name: "Bob".into(),
                born: Some(1985),
                nickname: None
            },
        ]
    );
    let record = session
        .run("MATCH (p:Person {name: 'Ann'}) RETURN p.name AS name, p.born AS born")
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    let err = record.get_as::<i64>("name").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Mapping);
    assert!(err.to_string().contains("column `name`"), "{err}");
    let err = record.get_as::<i64>("nope").unwrap_err();
    assert!(err.to_string().contains("no column named `nope`"), "{err}");
}

#[tokio::test]
async fn an_unencodable_parameter_is_a_mapping_error_before_anything_is_sent() {
    let (server, driver) = neo_tests::start_with(DriverConfig::default());
    let mut session = driver.session(SessionConfig::default()).unwrap();
    server.controls().reset_counts();
    let err = session
        .run(Query::new("RETURN $n").param("n", u64::MAX))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Mapping);
    assert!(err.to_string().contains("parameter `n`"), "{err}");
    assert_eq!(server.controls().received("RUN"), 0);
}

#[tokio::test]
async fn telemetry_reports_each_api_call_once_when_the_server_asks() {
    let (server, driver) = neo_tests::start_with(neo_tests::fast_retries(Duration::from_secs(10)));
    let mut session = driver.session(SessionConfig::default()).unwrap();
    server.controls().reset_counts();
    session
        .run("RETURN 1")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    assert_eq!(server.controls().received("TELEMETRY"), 1);
    server.controls().fail(
        Trigger::on("RUN").query_contains("CREATE"),
        2,
        StatusCode::DEADLOCK_DETECTED.code(),
        "deadlock",
    );
    session
        .execute_write(async |tx| {
            tx.run("CREATE (:Person)").await?.consume().await?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(
        server.controls().received("TELEMETRY"),
        2,
        "once per transaction function call, not per attempt"
    );

    // Disabled by configuration, or below Bolt 5.4: never sent.
    let quiet = Driver::with_config(
        &server.uri(),
        AuthToken::basic("neo4j", "password"),
        DriverConfig::default().with_telemetry_disabled(true),
    )
    .unwrap();
    let mut session = quiet.session(SessionConfig::default()).unwrap();
    session
        .run("RETURN 1")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    assert_eq!(server.controls().received("TELEMETRY"), 2);
    let old =
        EmbeddedServer::start(ServerConfig::new().max_bolt_version(neo_runtime::BoltVersion::V5_3))
            .unwrap();
    let driver = Driver::new(&old.uri(), AuthToken::basic("neo4j", "password")).unwrap();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    session
        .run("RETURN 1")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    assert_eq!(old.controls().received("TELEMETRY"), 0);
}

#[tokio::test]
async fn telemetry_lost_with_its_connection_goes_out_again_with_the_retry() {
    let (server, driver) = neo_tests::start_with(neo_tests::fast_retries(Duration::from_secs(10)));
    driver.verify_connectivity().await.unwrap();
    server.controls().reset_counts();
    // The first attempt's connection dies before TELEMETRY is answered.
    server
        .controls()
        .close_connection(Trigger::on("TELEMETRY"), Timing::BeforeExecuting);
    let mut session = driver.session(SessionConfig::default()).unwrap();
    session
        .execute_write(async |tx| {
            tx.run("CREATE (:Person)").await?.consume().await?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(
        server.controls().received("TELEMETRY"),
        2,
        "sent again with the attempt that follows an unanswered one"
    );
    assert_eq!(neo_tests::count_people(&driver).await, 1);
}

#[tokio::test]
async fn telemetry_answered_before_a_failed_begin_is_not_sent_again() {
    let (server, driver) = neo_tests::start_with(neo_tests::fast_retries(Duration::from_secs(10)));
    driver.verify_connectivity().await.unwrap();
    server.controls().reset_counts();
    server.controls().fail(
        Trigger::on("BEGIN"),
        1,
        StatusCode::DEADLOCK_DETECTED.code(),
        "deadlock",
    );
    let mut session = driver.session(SessionConfig::default()).unwrap();
    session
        .execute_write(async |tx| {
            tx.run("CREATE (:Person)").await?.consume().await?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(server.controls().received("BEGIN"), 2);
    assert_eq!(server.controls().received("TELEMETRY"), 1);
}

#[tokio::test]
async fn every_bolt_version_runs_the_session_api() {
    use neo_runtime::BoltVersion;
    for version in BoltVersion::SUPPORTED {
        let server = EmbeddedServer::start(ServerConfig::new().max_bolt_version(version)).unwrap();
        let driver = Driver::new(&server.uri(), AuthToken::basic("neo4j", "password")).unwrap();
        assert_eq!(
            driver.server_info().await.unwrap().protocol_version,
            version
        );
        let mut session = driver
            .session(SessionConfig::default().with_fetch_size(3))
            .unwrap();
        session
            .execute_write(async |tx| {
                tx.run(Query::new("CREATE (:Person {name: $name})").param("name", "Ann"))
                    .await?
                    .consume()
                    .await?;
                Ok(())
            })
            .await
            .unwrap();
        let mut result = session
            .run("MATCH (p:Person) RETURN p, elementId(p) AS id UNION ALL MATCH (p:Person) RETURN p, elementId(p) AS id")
            .await
            .unwrap();
        let mut rows = 0;
        while let Some(record) = result.next().await {
            let record = record.unwrap();
            let node = record.get("p").unwrap();
            let node = node.as_node().expect("a node");
            assert!(node.has_label("Person"), "{version}");
            assert_eq!(
                node.element_id,
                record.get_as::<String>("id").unwrap(),
                "{version}"
            );
            rows += 1;
        }
        assert_eq!(rows, 2, "{version}");
        assert_eq!(session.last_bookmarks().await.len(), 1, "{version}");
    }
}
