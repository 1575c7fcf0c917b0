//! `Driver::execute_query`: one call, a managed and retried transaction, an
//! eager result or a transformed one, causally chained with the calls
//! before it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use neo_embedded::{Cluster, EmbeddedServer, MemberRole, ServerConfig, Trigger};
use neo_runtime::{
    AccessMode, Bookmarks, Driver, ErrorKind, Query, QueryConfig, Record, SessionConfig,
    SharedBookmarkManager, StatusCode, transform,
};

fn create(name: &str) -> Query {
    Query::new("CREATE (p:Person {name: $name}) RETURN p.name AS name").param("name", name)
}

#[tokio::test]
async fn an_eager_result_holds_the_keys_every_record_and_the_summary() {
    let (_server, driver) = neo_tests::start();
    let written = driver
        .execute_query(create("Ann"), QueryConfig::default())
        .await
        .unwrap();
    assert_eq!(written.keys, ["name"]);
    assert_eq!(written.records.len(), 1);
    assert_eq!(written.records[0].get_as::<&str>("name").unwrap(), "Ann");
    assert_eq!(written.summary.counters().nodes_created, 1);

    driver
        .execute_query(create("Bob"), QueryConfig::default())
        .await
        .unwrap();
    let read = driver
        .execute_query(
            "MATCH (p:Person) RETURN p.name AS name ORDER BY name",
            QueryConfig::default().with_routing(AccessMode::Read),
        )
        .await
        .unwrap();
    let names: Vec<&str> = read
        .records
        .iter()
        .map(|record| record.get_as("name").unwrap())
        .collect();
    assert_eq!(names, ["Ann", "Bob"]);
    assert_eq!(
        read.summary.query_type(),
        Some(neo_runtime::summary::QueryType::Read)
    );
    assert!(!read.summary.counters().contains_updates);
}

#[tokio::test]
async fn begin_run_and_pull_go_out_in_one_write() {
    let (server, driver) = neo_tests::start();
    // BEGIN fails; had the driver waited for its answer, it would not have
    // sent RUN and PULL at all.
    server.controls().fail(
        Trigger::on("BEGIN"),
        1,
        StatusCode::INVALID_BOOKMARK.code(),
        "a bookmark the server cannot read",
    );
    let error = driver
        .execute_query("RETURN 1 AS n", QueryConfig::default())
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(StatusCode::INVALID_BOOKMARK.code()));
    let controls = server.controls();
    assert_eq!(controls.received("BEGIN"), 1, "not retried");
    assert_eq!(controls.received("RUN"), 1, "RUN went out with BEGIN");
    assert_eq!(controls.received("PULL"), 1, "and so did PULL");
    assert_eq!(controls.received("COMMIT"), 0);
}

#[tokio::test]
async fn retryable_failures_are_retried_through_the_transaction_function_loop() {
    let (server, driver) = neo_tests::start_with(neo_tests::fast_retries(Duration::from_secs(10)));
    server.controls().fail(
        Trigger::on("PULL"),
        2,
        StatusCode::DEADLOCK_DETECTED.code(),
        "deadlock",
    );
    let result = driver
        .execute_query(create("Ann"), QueryConfig::default())
        .await
        .unwrap();
    assert_eq!(result.records.len(), 1);
    assert_eq!(server.controls().received("BEGIN"), 3, "two failures");
    assert_eq!(neo_tests::count_people(&driver).await, 1, "committed once");

    // A failure that is not retryable ends the call at once.
    server.controls().fail(
        Trigger::on("RUN"),
        1,
        StatusCode::SYNTAX_ERROR.code(),
        "Invalid input",
    );
    let error = driver
        .execute_query("RETURN 1", QueryConfig::default())
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(StatusCode::SYNTAX_ERROR.code()));
    assert!(error.attempts().is_empty());
}

#[tokio::test]
async fn routing_control_sends_reads_to_followers_and_writes_to_the_leader() {
    let cluster = Cluster::new();
    let leader = cluster.start_member(MemberRole::Leader).unwrap();
    let follower = cluster.start_member(MemberRole::Follower).unwrap();
    let driver = Driver::new(&neo_tests::routing_uri(&follower), neo_tests::auth()).unwrap();

    driver
        .execute_query(create("Ann"), QueryConfig::default())
        .await
        .unwrap();
    assert_eq!(leader.controls().received("RUN"), 1, "writers by default");
    assert_eq!(follower.controls().received("RUN"), 0);

    let read = driver
        .execute_query(
            "MATCH (p:Person) RETURN count(p) AS n",
            QueryConfig::default().with_routing(AccessMode::Read),
        )
        .await
        .unwrap();
    assert_eq!(read.records[0].get_as::<i64>("n").unwrap(), 1);
    assert_eq!(follower.controls().received("RUN"), 1, "the read");
    assert_eq!(leader.controls().received("RUN"), 1);
    driver.close().await;
}

#[tokio::test]
async fn the_database_setting_picks_the_database() {
    let (_server, driver) = neo_tests::start();
    driver
        .execute_query(
            "CREATE DATABASE sales",
            QueryConfig::default().with_database("system"),
        )
        .await
        .unwrap();
    let sales = QueryConfig::default().with_database("sales");
    driver
        .execute_query(create("Ann"), sales.clone())
        .await
        .unwrap();
    let count = "MATCH (p:Person) RETURN count(p) AS n";
    let in_sales = driver
        .execute_query_with(count, sales, transform::single::<Record>())
        .await
        .unwrap();
    assert_eq!(in_sales.get_as::<i64>("n").unwrap(), 1);
    assert_eq!(
        neo_tests::count_people(&driver).await,
        0,
        "neo4j is untouched"
    );

    let error = driver
        .execute_query(count, QueryConfig::default().with_database("nope"))
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(StatusCode::DATABASE_NOT_FOUND.code()));
}

#[tokio::test]
async fn the_transaction_timeout_is_sent_with_begin() {
    let (server, driver) = neo_tests::start();
    // The server's timer ends the transaction while the PULL is held back.
    server
        .controls()
        .delay(Trigger::on("PULL"), Duration::from_millis(300));
    let started = Instant::now();
    let error = driver
        .execute_query(
            "RETURN 1",
            QueryConfig::default().with_timeout(Duration::from_millis(50)),
        )
        .await
        .unwrap_err();
    assert_eq!(
        error.code(),
        Some(StatusCode::TRANSACTION_TIMED_OUT_CLIENT_CONFIGURATION.code()),
        "{error}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn consecutive_calls_are_chained_by_the_drivers_bookmark_manager() {
    let server = EmbeddedServer::start(
        ServerConfig::new().bookmark_wait_timeout(Duration::from_millis(200)),
    )
    .unwrap();
    let config = neo_tests::fast_retries(Duration::ZERO);
    let driver = Driver::with_config(&server.uri(), neo_tests::auth(), config).unwrap();
    let manager = Arc::clone(driver.execute_query_bookmark_manager());
    assert!(manager.bookmarks().is_empty());

    driver
        .execute_query(create("Ann"), QueryConfig::default())
        .await
        .unwrap();
    let after_first = manager.bookmarks();
    assert_eq!(after_first.len(), 1, "{after_first:?}");
    driver
        .execute_query(create("Bob"), QueryConfig::default())
        .await
        .unwrap();
    let after_second = manager.bookmarks();
    assert_eq!(after_second.len(), 1, "the new bookmark supersedes the old");
    assert_ne!(after_second, after_first);

    // A session given the same manager starts from the calls' bookmark:
    // its own bookmark supersedes it.
    let mut session = driver
        .session(SessionConfig::default().with_bookmark_manager(Arc::clone(&manager)))
        .unwrap();
    session
        .run("CREATE (:Person)")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    let from_session = session.last_bookmarks().await;
    session.close().await;
    assert_eq!(manager.bookmarks(), from_session);

    // The manager's bookmarks go out with BEGIN: one the server has not
    // reached makes the transaction wait for it, and time out.
    let ahead = Arc::new(SharedBookmarkManager::new(Bookmarks::from_iter([
        "neo-embedded:1000",
    ])));
    let error = driver
        .execute_query(
            "RETURN 1",
            QueryConfig::default().with_bookmark_manager(ahead.clone()),
        )
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(StatusCode::BOOKMARK_TIMEOUT.code()));
    // Without a manager, nothing is waited for.
    driver
        .execute_query(
            "RETURN 1",
            QueryConfig::default().without_bookmark_manager(),
        )
        .await
        .unwrap();
    assert_eq!(
        manager.bookmarks(),
        from_session,
        "a call without a manager leaves the driver's alone"
    );
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Person {
    name: String,
    born: Option<i64>,
}

#[derive(Debug, PartialEq, neo_runtime::Record)]
struct Named {
    name: String,
}

#[tokio::test]
async fn transformers_shape_the_result() {
    let (_server, driver) = neo_tests::start();
    driver
        .execute_query(
            "CREATE (:Person {name: 'Ann', born: 1990}), (:Person {name: 'Bob'})",
            QueryConfig::default(),
        )
        .await
        .unwrap();
    let query = "MATCH (p:Person) RETURN p.name AS name, p.born AS born ORDER BY name";

    let rows = driver
        .execute_query_with(query, QueryConfig::default(), transform::rows::<Person>())
        .await
        .unwrap();
    assert_eq!(
        rows,
        [
            Person {
                name: "Ann".into(),
                born: Some(1990)
            },
            Person {
                name: "Bob".into(),
                born: None
            }
        ]
    );

    let named = driver
        .execute_query_with(query, QueryConfig::default(), transform::records::<Named>())
        .await
        .unwrap();
    assert_eq!(
        named,
        [Named { name: "Ann".into() }, Named { name: "Bob".into() }]
    );

    let error = driver
        .execute_query_with(query, QueryConfig::default(), transform::single::<Named>())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResultNotSingle);
    let error = driver
        .execute_query_with(
            query,
            QueryConfig::default(),
            transform::single_optional::<Named>(),
        )
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResultNotSingle);

    let ann = "MATCH (p:Person {name: 'Ann'}) RETURN p.name AS name";
    let one = driver
        .execute_query_with(ann, QueryConfig::default(), transform::single::<Named>())
        .await
        .unwrap();
    assert_eq!(one.name, "Ann");
    let none = driver
        .execute_query_with(
            "MATCH (p:Person {name: 'Cid'}) RETURN p.name AS name",
            QueryConfig::default(),
            transform::single_optional::<Named>(),
        )
        .await
        .unwrap();
    assert_eq!(none, None);
    let error = driver
        .execute_query_with(
            "MATCH (p:Person {name: 'Cid'}) RETURN p.name AS name",
            QueryConfig::default(),
            transform::single::<Record>(),
        )
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResultNotSingle);

    let summary = driver
        .execute_query_with(
            "MATCH (p:Person) SET p.seen = true",
            QueryConfig::default(),
            transform::summary(),
        )
        .await
        .unwrap();
    assert_eq!(summary.counters().properties_set, 2);

    let mut calls = 0;
    let total = driver
        .execute_query_with(
            "UNWIND range(1, 10) AS x RETURN x",
            QueryConfig::default(),
            transform::from_fn(async |mut result| {
                calls += 1;
                let mut total = 0;
                while let Some(record) = result.next().await {
                    total += record?.get_as::<i64>("x")?;
                }
                Ok(total)
            }),
        )
        .await
        .unwrap();
    assert_eq!((total, calls), (55, 1));
}

#[tokio::test]
async fn a_transformer_runs_again_on_each_attempt() {
    let (server, driver) = neo_tests::start_with(neo_tests::fast_retries(Duration::from_secs(10)));
    server.controls().fail(
        Trigger::on("COMMIT"),
        1,
        StatusCode::DEADLOCK_DETECTED.code(),
        "deadlock",
    );
    let mut calls = 0;
    let names = driver
        .execute_query_with(
            create("Ann"),
            QueryConfig::default(),
            transform::from_fn(async |mut result| {
                calls += 1;
                result.single().await?.get_as::<String>("name")
            }),
        )
        .await
        .unwrap();
    assert_eq!((names.as_str(), calls), ("Ann", 2));
    assert_eq!(neo_tests::count_people(&driver).await, 1);
}

#[tokio::test]
async fn a_bad_setting_is_named_before_anything_is_sent() {
    let (server, driver) = neo_tests::start();
    let error = driver
        .execute_query(
            "RETURN 1",
            QueryConfig::default().with_impersonated_user(""),
        )
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidConfiguration);
    assert!(error.to_string().contains("impersonated_user"), "{error}");
    assert_eq!(server.controls().connections_accepted(), 0);
}
