//! The result conveniences of the official drivers' API: `peek`, `single`,
//! `single_optional`, `keys`, `consume`, and a clear error for a result
//! whose records are gone.

use std::time::Duration;

use neo_embedded::Trigger;
use neo_runtime::{DriverConfig, ErrorKind, SessionConfig, StatusCode};

#[tokio::test]
async fn peek_shows_the_next_record_without_taking_it() {
    // Batches of one record: peeking past a batch fetches the next one.
    let (_server, driver) = neo_tests::start_with(DriverConfig::default().with_fetch_size(1));
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let mut result = session.run("UNWIND [1, 2] AS x RETURN x").await.unwrap();
    for expected in [1, 2] {
        let peeked = result.peek().await.unwrap().unwrap();
        assert_eq!(peeked.get_as::<i64>("x").unwrap(), expected);
        // Peeking twice gives the same record.
        let again = result.peek().await.unwrap().unwrap();
        assert_eq!(again.get_as::<i64>("x").unwrap(), expected);
        let taken = result.next().await.unwrap().unwrap();
        assert_eq!(taken.get_as::<i64>("x").unwrap(), expected);
    }
    assert!(result.peek().await.is_none());
    assert!(result.next().await.is_none());
    assert!(result.summary().is_some());

    // A peeked record is decoded by the typed readers too.
    let mut result = session.run("RETURN 7 AS x").await.unwrap();
    result.peek().await.unwrap().unwrap();
    #[derive(serde::Deserialize)]
    struct Row {
        x: i64,
    }
    assert_eq!(result.next_as::<Row>().await.unwrap().unwrap().x, 7);
    assert!(result.next().await.is_none());
}

#[tokio::test]
async fn peek_reports_a_failure_of_the_query() {
    let (server, driver) = neo_tests::start();
    server.controls().fail(
        Trigger::on("PULL"),
        1,
        StatusCode::DEADLOCK_DETECTED.code(),
        "deadlock",
    );
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let mut result = session.run("RETURN 1 AS x").await.unwrap();
    let error = result.peek().await.unwrap().unwrap_err();
    assert_eq!(error.code(), Some(StatusCode::DEADLOCK_DETECTED.code()));
}

#[tokio::test]
async fn single_wants_exactly_one_record() {
    let (_server, driver) = neo_tests::start_with(DriverConfig::default().with_fetch_size(1));
    let mut session = driver.session(SessionConfig::default()).unwrap();

    let mut one = session.run("RETURN 1 AS x").await.unwrap();
    assert_eq!(one.single().await.unwrap().get_as::<i64>("x").unwrap(), 1);

    let mut none = session.run("UNWIND [] AS x RETURN x").await.unwrap();
    let error = none.single().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResultNotSingle);
    assert!(error.to_string().contains("empty"), "{error}");

    let mut several = session
        .run("UNWIND range(1, 10) AS x RETURN x")
        .await
        .unwrap();
    let error = several.single().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResultNotSingle);
    assert!(error.to_string().contains("more than one"), "{error}");
    // The rest was discarded on the server, and the summary is there.
    assert!(several.next().await.is_none());
    assert!(several.summary().is_some());
    // The session goes on.
    let mut after = session.run("RETURN 2 AS x").await.unwrap();
    assert_eq!(after.single().await.unwrap().get_as::<i64>("x").unwrap(), 2);
}

#[tokio::test]
async fn single_optional_wants_at_most_one_record() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();

    let mut none = session.run("UNWIND [] AS x RETURN x").await.unwrap();
    assert!(none.single_optional().await.unwrap().is_none());

    let mut one = session.run("RETURN 1 AS x").await.unwrap();
    let record = one.single_optional().await.unwrap().unwrap();
    assert_eq!(record.get_as::<i64>("x").unwrap(), 1);

    let mut two = session.run("UNWIND [1, 2] AS x RETURN x").await.unwrap();
    let error = two.single_optional().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResultNotSingle);
    assert!(
        two.single_optional().await.unwrap().is_none(),
        "the result was read to its end"
    );
}

#[tokio::test]
async fn keys_and_consume_give_the_columns_and_the_summary() {
    let (server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let result = session
        .run("UNWIND range(1, 5000) AS x CREATE (:Person {x: x}) RETURN x, x * 2 AS y")
        .await
        .unwrap();
    assert_eq!(result.keys(), ["x", "y"]);
    let summary = result.consume().await.unwrap();
    assert_eq!(summary.counters().nodes_created, 5000);
    assert!(
        server.controls().received("DISCARD") >= 1,
        "the unread rest was discarded, not pulled"
    );
}

#[tokio::test]
async fn a_result_read_after_its_session_closed_says_it_was_consumed() {
    let (_server, driver) = neo_tests::start_with(
        DriverConfig::default()
            .with_fetch_size(1)
            .with_receive_timeout(Some(Duration::from_secs(10))),
    );
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let mut result = session.run("UNWIND [1, 2, 3] AS x RETURN x").await.unwrap();
    assert!(result.next().await.unwrap().is_ok());
    session.close().await;
    let error = result.next().await.unwrap().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResultConsumed);
    assert!(error.to_string().contains("session closed"), "{error}");
}
