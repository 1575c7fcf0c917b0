//! The session API of the official drivers, over real TCP against the
//! embedded server: one test per example of the session API text, and the
//! behaviours around them.

use std::time::Duration;

use neo_embedded::{EmbeddedServer, ServerConfig};
use neo_runtime::StatusCode;
use neo_runtime::{
    AccessMode, AuthToken, Bookmarks, Driver, DriverConfig, ErrorKind, ManagedTransaction, Query,
    SessionConfig, SharedBookmarkManager, TransactionConfig,
};

async fn create_person(tx: &mut ManagedTransaction<'_>, name: &str) -> neo_runtime::Result<i64> {
    let record = tx
        .run(Query::new("CREATE (a:Person {name: $name}) RETURN id(a)").param("name", name))
        .await?
        .single()
        .await?;
    Ok(record.value_at(0)?.as_i64().expect("id(a) is an integer"))
}

async fn match_person_names(tx: &mut ManagedTransaction<'_>) -> neo_runtime::Result<Vec<String>> {
    let mut result = tx
        .run("MATCH (a:Person) RETURN a.name ORDER BY a.name")
        .await?;
    let mut names = Vec::new();
    while let Some(record) = result.next().await {
        names.push(
            record?
                .get("a.name")?
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    Ok(names)
}

async fn count(driver: &Driver, query: &str) -> i64 {
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let record = session.run(query).await.unwrap().single().await.unwrap();
    record.value_at(0).unwrap().as_i64().unwrap()
}

#[tokio::test]
async fn a_transaction_function_creates_a_person_and_returns_its_id() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let first = session
        .execute_write(async |tx| create_person(tx, "Alice").await)
        .await
        .unwrap();
    let second = session
        .execute_write(async |tx| create_person(tx, "Bob").await)
        .await
        .unwrap();
    assert_ne!(first, second);
    session.close().await;
    assert_eq!(count(&driver, "MATCH (a:Person) RETURN count(a)").await, 2);
}

#[tokio::test]
async fn a_read_transaction_consumes_results_in_order() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    for name in ["Carol", "Alice", "Bob"] {
        session
            .execute_write(async |tx| create_person(tx, name).await)
            .await
            .unwrap();
    }
    let names = session
        .execute_read(async |tx| match_person_names(tx).await)
        .await
        .unwrap();
    assert_eq!(names, ["Alice", "Bob", "Carol"]);
}

#[tokio::test]
async fn retained_results_feed_later_transactions() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    for name in ["Alice", "Bob", "Carol"] {
        session
            .execute_write(async |tx| create_person(tx, name).await)
            .await
            .unwrap();
    }
    // add_employees: retain the read's records, then one write per person.
    let persons = session
        .execute_read(async |tx| {
            tx.run("MATCH (a:Person) RETURN a.name AS name")
                .await?
                .collect()
                .await
        })
        .await
        .unwrap();
    let mut employees = 0;
    for person in &persons {
        let name = person.get("name").unwrap();
        employees += session
            .execute_write(async |tx| {
                tx.run(
                    Query::new(
                        "MATCH (emp:Person {name: $person_name}) \
                         MERGE (com:Company {name: $company_name}) \
                         MERGE (emp)-[:WORKS_FOR]->(com)",
                    )
                    .param("person_name", name.clone())
                    .param("company_name", "Acme"),
                )
                .await?
                .consume()
                .await?;
                Ok(1)
            })
            .await
            .unwrap();
    }
    assert_eq!(employees, 3);
    assert_eq!(
        count(
            &driver,
            "MATCH (:Person)-[:WORKS_FOR]->(:Company {name: 'Acme'}) RETURN count(*)"
        )
        .await,
        3
    );
    assert_eq!(count(&driver, "MATCH (c:Company) RETURN count(c)").await, 1);
}

#[tokio::test]
async fn auto_commit_queries_run_with_and_without_a_timeout() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let summary = session
        .run(Query::new("CREATE (a:Person {name: $name})").param("name", "Alice"))
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    assert_eq!(summary.counters().nodes_created, 1);
    let summary = session
        .run(
            Query::new("CREATE (a:Person {name: $name})")
                .param("name", "Bob")
                .with_timeout(Duration::from_secs(1)),
        )
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    assert_eq!(summary.counters().nodes_created, 1);
    assert!(
        summary.bookmark().is_some(),
        "auto-commit results carry a bookmark"
    );
    assert_eq!(session.last_bookmarks().await.len(), 1);
    assert_eq!(count(&driver, "MATCH (a:Person) RETURN count(a)").await, 2);
}

#[tokio::test]
async fn an_unconsumed_result_is_buffered_when_the_next_query_runs() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(10))
        .unwrap();
    let mut first = session
        .run("UNWIND range(1, 95) AS x RETURN x")
        .await
        .unwrap();
    let head = first.next().await.unwrap().unwrap();
    assert_eq!(head.get("x").unwrap().as_i64(), Some(1));
    let second = session
        .run("RETURN 42 AS answer")
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    assert_eq!(second.get("answer").unwrap().as_i64(), Some(42));
    let mut rest = Vec::new();
    while let Some(record) = first.next().await {
        rest.push(record.unwrap().get("x").unwrap().as_i64().unwrap());
    }
    assert_eq!(rest, (2..=95).collect::<Vec<_>>());
    assert!(first.summary().is_some());
}

#[tokio::test]
async fn large_results_stream_in_batches_of_the_fetch_size() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(100))
        .unwrap();
    let mut result = session
        .run("UNWIND range(1, 10000) AS x RETURN x")
        .await
        .unwrap();
    let mut sum = 0;
    let mut rows = 0;
    while let Some(record) = result.next().await {
        sum += record.unwrap().value_at(0).unwrap().as_i64().unwrap();
        rows += 1;
    }
    assert_eq!((rows, sum), (10_000, 50_005_000));
}

#[tokio::test]
async fn bookmarks_carry_writes_to_another_session() {
    let (_server, driver) = neo_tests::start();
    let mut writer = driver.session(SessionConfig::default()).unwrap();
    writer
        .execute_write(async |tx| create_person(tx, "Alice").await)
        .await
        .unwrap();
    let bookmarks = writer.last_bookmarks().await;
    assert_eq!(bookmarks.len(), 1);
    writer.close().await;
    let mut reader = driver
        .session(
            SessionConfig::default()
                .with_bookmarks(bookmarks)
                .with_default_access_mode(AccessMode::Read),
        )
        .unwrap();
    let names = reader
        .execute_read(async |tx| match_person_names(tx).await)
        .await
        .unwrap();
    assert_eq!(names, ["Alice"]);
}

#[tokio::test]
async fn a_bookmark_manager_chains_sessions() {
    let (_server, driver) = neo_tests::start();
    let manager = std::sync::Arc::new(SharedBookmarkManager::new(Bookmarks::new()));
    for name in ["Alice", "Bob"] {
        let mut session = driver
            .session(SessionConfig::default().with_bookmark_manager(manager.clone()))
            .unwrap();
        session
            .execute_write(async |tx| create_person(tx, name).await)
            .await
            .unwrap();
        session.close().await;
    }
    let held = neo_runtime::BookmarkManager::bookmarks(manager.as_ref());
    assert_eq!(
        held.len(),
        1,
        "each commit replaces the bookmark it started from"
    );
    let mut session = driver
        .session(SessionConfig::default().with_bookmark_manager(manager))
        .unwrap();
    let names = session
        .execute_read(async |tx| match_person_names(tx).await)
        .await
        .unwrap();
    assert_eq!(names, ["Alice", "Bob"]);
}

#[tokio::test]
async fn rollback_and_dropping_a_transaction_leave_nothing_behind() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let tx = session
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    tx.run("CREATE (:Temp)")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    let inside = tx
        .run("MATCH (t:Temp) RETURN count(t)")
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    assert_eq!(inside.value_at(0).unwrap().as_i64(), Some(1));
    tx.rollback().await.unwrap();

    let tx = session
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    tx.run("CREATE (:Temp)")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    drop(tx);
    assert_eq!(count(&driver, "MATCH (t:Temp) RETURN count(t)").await, 0);
    // The session recovers from the abandoned transaction.
    let record = session
        .run("RETURN 1")
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    assert_eq!(record.value_at(0).unwrap().as_i64(), Some(1));
}

#[tokio::test]
async fn several_results_stay_open_inside_a_transaction() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(2))
        .unwrap();
    let tx = session
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    let mut letters = tx
        .run("UNWIND ['a', 'b', 'c', 'd', 'e'] AS l RETURN l")
        .await
        .unwrap();
    let mut numbers = tx.run("UNWIND range(1, 5) AS n RETURN n").await.unwrap();
    let mut pairs = Vec::new();
    while let (Some(l), Some(n)) = (letters.next().await, numbers.next().await) {
        pairs.push(format!(
            "{}{}",
            l.unwrap().value_at(0).unwrap().as_str().unwrap(),
            n.unwrap().value_at(0).unwrap().as_i64().unwrap()
        ));
    }
    assert_eq!(pairs, ["a1", "b2", "c3", "d4", "e5"]);
    drop((letters, numbers));
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_syntax_error_fails_at_once_with_its_code() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let mut calls = 0;
    let err = session
        .execute_write(async |tx| {
            calls += 1;
            tx.run("RETRUN 1").await?.consume().await?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!(calls, 1, "a client error is not retried");
    assert_eq!(err.kind(), ErrorKind::Server);
    assert_eq!(err.code(), Some(StatusCode::SYNTAX_ERROR.code()));
    assert!(!err.is_retryable());
    // The session is usable afterwards.
    let record = session
        .run("RETURN 2")
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    assert_eq!(record.value_at(0).unwrap().as_i64(), Some(2));
}

#[tokio::test]
async fn a_transaction_timeout_terminates_the_transaction() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let tx = session
        .begin_transaction(TransactionConfig::default().with_timeout(Duration::from_millis(100)))
        .await
        .unwrap();
    tx.run("CREATE (:Slow)")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let err = match tx.run("CREATE (:Slow)").await {
        Ok(result) => result.consume().await.unwrap_err(),
        Err(err) => err,
    };
    assert_eq!(
        err.code(),
        Some(StatusCode::TRANSACTION_TIMED_OUT_CLIENT_CONFIGURATION.code())
    );
    drop(tx);
    assert_eq!(count(&driver, "MATCH (s:Slow) RETURN count(s)").await, 0);
}

#[tokio::test]
async fn pool_exhaustion_gives_the_acquisition_timeout_error() {
    let server = EmbeddedServer::start(ServerConfig::new()).unwrap();
    let driver = Driver::with_config(
        &server.uri(),
        AuthToken::basic("neo4j", "password"),
        DriverConfig::default()
            .with_max_connection_pool_size(2)
            .with_connection_acquisition_timeout(Duration::from_millis(200)),
    )
    .unwrap();
    let mut one = driver.session(SessionConfig::default()).unwrap();
    let mut two = driver.session(SessionConfig::default()).unwrap();
    one.run("RETURN 1").await.unwrap().consume().await.unwrap();
    two.run("RETURN 1").await.unwrap().consume().await.unwrap();
    let mut three = driver.session(SessionConfig::default()).unwrap();
    let err = three.run("RETURN 1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionAcquisitionTimeout);
    one.close().await;
    three
        .run("RETURN 1")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
}

#[tokio::test]
async fn dropped_sessions_leak_no_connections() {
    let (_server, driver) = neo_tests::start();
    for _ in 0..20 {
        let mut session = driver.session(SessionConfig::default()).unwrap();
        let mut result = session
            .run("UNWIND range(1, 50) AS x RETURN x")
            .await
            .unwrap();
        result.next().await.unwrap().unwrap();
        drop(result);
        drop(session);
    }
    // Dirty connections are reset in the background before they return.
    for _ in 0..100 {
        if driver.pool_metrics().in_use == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let metrics = driver.pool_metrics();
    assert_eq!(metrics.in_use, 0, "{metrics:?}");
    assert!(metrics.created <= 2, "connections are reused: {metrics:?}");
}

#[tokio::test]
async fn a_wrong_password_is_an_authentication_error() {
    let server = EmbeddedServer::start(ServerConfig::new()).unwrap();
    let driver = Driver::new(&server.uri(), AuthToken::basic("neo4j", "wrong")).unwrap();
    let err = driver.verify_connectivity().await.unwrap_err();
    assert_eq!(err.code(), Some(StatusCode::UNAUTHORIZED.code()));
}

#[tokio::test]
async fn verify_connectivity_and_server_info() {
    let (server, driver) = neo_tests::start();
    driver.verify_connectivity().await.unwrap();
    let info = driver.server_info().await.unwrap();
    assert!(info.agent.starts_with("Neo4j/"), "{}", info.agent);
    assert_eq!(
        info.address.to_string(),
        server.uri().trim_start_matches("bolt://")
    );
    driver.close().await;
    assert_eq!(
        driver.verify_connectivity().await.unwrap_err().kind(),
        ErrorKind::ServiceUnavailable
    );
}

#[tokio::test]
async fn a_managed_transaction_future_is_send() {
    let (_server, driver) = neo_tests::start();
    let handle = tokio::spawn(async move {
        let mut session = driver.session(SessionConfig::default()).unwrap();
        session
            .execute_write(async |tx| create_person(tx, "Spawned").await)
            .await
    });
    assert!(handle.await.unwrap().is_ok());
}

#[tokio::test]
async fn a_fully_read_result_kept_alive_does_not_block_the_next_query() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let mut first = session
        .run("UNWIND range(1, 3) AS x RETURN x")
        .await
        .unwrap();
    while let Some(record) = first.next().await {
        record.unwrap();
    }
    assert!(first.next().await.is_none());
    let second = tokio::time::timeout(Duration::from_secs(5), async {
        session.run("RETURN 5 AS n").await?.single().await
    })
    .await
    .expect("the second query does not wait on the finished first one")
    .unwrap();
    assert_eq!(second.get_as::<i64>("n").unwrap(), 5);
    assert!(first.summary().is_some());
}

#[tokio::test]
async fn a_record_stream_is_a_futures_stream() {
    use futures_util::StreamExt;
    let (_server, driver) = neo_tests::start();
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(7))
        .unwrap();
    let result = session
        .run("UNWIND range(1, 100) AS x RETURN x")
        .await
        .unwrap();
    let values: Vec<i64> = result
        .map(|record| record.unwrap().get_as::<i64>("x").unwrap())
        .collect()
        .await;
    assert_eq!(values, (1..=100).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_cancelled_read_leaves_the_result_and_connection_usable() {
    let (server, driver) = neo_tests::start();
    server.controls().delay(
        neo_embedded::Trigger::on("PULL").nth(2),
        Duration::from_millis(300),
    );
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(10))
        .unwrap();
    let mut result = session
        .run("UNWIND range(1, 30) AS x RETURN x")
        .await
        .unwrap();
    let mut seen = Vec::new();
    loop {
        match tokio::time::timeout(Duration::from_millis(50), result.next()).await {
            Ok(Some(record)) => seen.push(record.unwrap().get_as::<i64>("x").unwrap()),
            Ok(None) => break,
            Err(_) => continue, // the delayed batch: try again
        }
    }
    assert_eq!(seen, (1..=30).collect::<Vec<_>>());
    let n: i64 = session
        .run("RETURN 1 AS n")
        .await
        .unwrap()
        .single()
        .await
        .unwrap()
        .get_as("n")
        .unwrap();
    assert_eq!(n, 1);
}
