//! Nothing is lost silently and nothing waits without a bound: unread
//! results whose session moves on, closes or goes to another server; the
//! bookmarks of results nobody read; settings that would be ignored; and a
//! server that stops answering.

use std::time::{Duration, Instant};

use neo_embedded::{Cluster, MemberRole, Trigger};
use neo_runtime::{
    AccessMode, BookmarkManager, Driver, DriverConfig, ErrorKind, SessionConfig,
    SharedBookmarkManager,
};

/// Reads every remaining record of `result` as integers in column `i`,
/// failing the test on an error.
async fn rest(result: &mut neo_runtime::RecordStream<'_>) -> Vec<i64> {
    let mut values = Vec::new();
    while let Some(record) = result.next().await {
        values.push(record.expect("no error").get_as("i").expect("an integer"));
    }
    values
}

#[tokio::test]
async fn an_unread_result_is_buffered_when_the_next_unit_of_work_goes_to_another_server() {
    let cluster = Cluster::new();
    let _leader = cluster.start_member(MemberRole::Leader).unwrap();
    let follower = cluster.start_member(MemberRole::Follower).unwrap();
    let driver = Driver::new(&neo_tests::routing_uri(&follower), neo_tests::auth()).unwrap();
    let config = SessionConfig::default()
        .with_default_access_mode(AccessMode::Read)
        .with_fetch_size(10);
    let mut session = driver.session(config).unwrap();

    // A read on a follower, read one record of 50 ...
    let mut result = session
        .run("UNWIND range(1, 50) AS i RETURN i")
        .await
        .unwrap();
    let first = result.next().await.unwrap().unwrap();
    assert_eq!(first.get_as::<i64>("i").unwrap(), 1);
    // ... then a write, which needs the leader: another connection.
    session
        .execute_write(async |tx| {
            tx.run("CREATE (:Person)").await?.consume().await?;
            Ok(())
        })
        .await
        .unwrap();
    // The first result was buffered before its connection went back.
    assert_eq!(rest(&mut result).await, (2..=50).collect::<Vec<_>>());
    assert!(result.summary().is_some());
    driver.close().await;
}

#[tokio::test]
async fn the_bookmark_of_an_unread_auto_commit_result_reaches_the_session_and_its_manager() {
    let (_server, driver) = neo_tests::start();
    let manager = std::sync::Arc::new(SharedBookmarkManager::default());
    let mut session = driver
        .session(SessionConfig::default().with_bookmark_manager(manager.clone()))
        .unwrap();
    let result = session.run("CREATE (:Person {name: 'Ann'})").await.unwrap();
    // Nobody reads the result: its bookmark still counts.
    let bookmarks = session.last_bookmarks().await;
    assert_eq!(bookmarks.len(), 1, "{bookmarks:?}");
    assert_eq!(manager.bookmarks(), bookmarks);
    // ... and the result is still readable.
    assert!(result.consume().await.unwrap().counters().nodes_created == 1);

    // The same without asking: the next query settles the first.
    let _unread = session.run("CREATE (:Person {name: 'Bob'})").await.unwrap();
    let mut read = session
        .run("MATCH (p:Person) RETURN count(p) AS n")
        .await
        .unwrap();
    let after = manager.bookmarks();
    assert_ne!(
        after, bookmarks,
        "the second write's bookmark replaced the first"
    );
    assert_eq!(read.single().await.unwrap().get_as::<i64>("n").unwrap(), 2);
    driver.close().await;
}

#[tokio::test]
async fn closing_a_session_records_the_bookmark_of_the_result_it_discards() {
    let (_server, driver) = neo_tests::start();
    let manager = std::sync::Arc::new(SharedBookmarkManager::default());
    let mut session = driver
        .session(
            SessionConfig::default()
                .with_bookmark_manager(manager.clone())
                .with_fetch_size(1),
        )
        .unwrap();
    let _result = session
        .run("UNWIND range(1, 5) AS i CREATE (:Person {i: i}) RETURN i")
        .await
        .unwrap();
    session.close().await;
    assert_eq!(
        manager.bookmarks().len(),
        1,
        "the discarded write's bookmark"
    );
    assert_eq!(neo_tests::count_people(&driver).await, 5);
}

#[tokio::test]
async fn reading_a_result_after_its_session_closed_is_an_error_not_a_quiet_end() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(2))
        .unwrap();
    let mut result = session
        .run("UNWIND range(1, 10) AS i RETURN i")
        .await
        .unwrap();
    assert!(result.next().await.unwrap().is_ok());
    session.close().await;
    // The record already in hand may come, then the rest is an error.
    let mut ended_with = None;
    while let Some(record) = result.next().await {
        if let Err(error) = record {
            ended_with = Some(error);
            break;
        }
    }
    let error = ended_with.expect("the result reports that its rest was discarded");
    assert_eq!(error.kind(), ErrorKind::ResultConsumed, "{error}");
    assert!(result.next().await.is_none());
}

#[tokio::test]
async fn a_fetch_size_of_zero_or_below_is_rejected_when_the_session_is_configured() {
    let (_server, driver) = neo_tests::start();
    for fetch_size in [0, -2, i64::MIN] {
        let error = driver
            .session(SessionConfig::default().with_fetch_size(fetch_size))
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidConfiguration);
        assert!(error.to_string().contains("fetch_size"), "{error}");
    }
    assert!(
        driver
            .session(SessionConfig::default().with_fetch_size(-1))
            .is_ok()
    );
    let error = driver
        .session(SessionConfig::default().with_database(""))
        .unwrap_err();
    assert!(error.to_string().contains("database"), "{error}");
}

#[tokio::test]
async fn a_silent_server_is_a_service_unavailable_error_after_the_receive_timeout() {
    let config = DriverConfig::default()
        .with_receive_timeout(Some(Duration::from_millis(300)))
        .with_max_transaction_retry_time(Duration::ZERO);
    let (server, driver) = neo_tests::start_with(config);
    driver.verify_connectivity().await.unwrap();
    server
        .controls()
        .delay(Trigger::on("RUN"), Duration::from_secs(30));
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let started = Instant::now();
    let error = session.run("RETURN 1").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable, "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "waited {:?}",
        started.elapsed()
    );
    assert!(error.to_string().contains("sent nothing"), "{error}");
    server.controls().clear_faults();
    // The connection was discarded; the next query gets a fresh one.
    assert_eq!(neo_tests::count_people(&driver).await, 0);
}

#[tokio::test]
async fn closing_a_session_waits_for_a_late_reset_no_longer_than_the_receive_timeout() {
    let config = DriverConfig::default().with_receive_timeout(Some(Duration::from_millis(300)));
    let (server, driver) = neo_tests::start_with(config);
    let mut session = driver.session(SessionConfig::default()).unwrap();
    // A failed query leaves the connection needing a RESET ...
    session.run("RETURN 1 +").await.unwrap_err();
    // ... which the server answers 15 s late.
    server
        .controls()
        .delay(Trigger::on("RESET"), Duration::from_secs(15));
    let started = Instant::now();
    session.close().await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "close waited {:?}",
        started.elapsed()
    );
    // The pool slot is free again: a pool of one hands out a connection.
    server.controls().clear_faults();
    let metrics = driver.pool_metrics();
    assert_eq!(metrics.in_use, 0, "{metrics:?}");
    driver.close().await;
}

/// A driver that waits at most `timeout` for a silent server and never
/// retries.
fn impatient(timeout: Duration) -> DriverConfig {
    DriverConfig::default()
        .with_receive_timeout(Some(timeout))
        .with_max_transaction_retry_time(Duration::ZERO)
}

#[tokio::test]
async fn a_failure_surfaces_at_once_even_when_the_server_then_falls_silent() {
    // The receive timeout is long: only answering at once passes.
    let (server, driver) = neo_tests::start_with(impatient(Duration::from_secs(30)));
    driver.verify_connectivity().await.unwrap();
    server.controls().go_silent_after_failure();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let started = Instant::now();
    let error = session.run("RETURN 1 +").await.unwrap_err();
    assert_eq!(
        error.code(),
        Some(neo_runtime::StatusCode::SYNTAX_ERROR.code()),
        "{error}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    // A transaction function, on a connection of its own.
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let started = Instant::now();
    let error = session
        .execute_write(async |tx| {
            tx.run("CREATE (:Person) RETURN 1 +")
                .await?
                .consume()
                .await?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!(
        error.code(),
        Some(neo_runtime::StatusCode::SYNTAX_ERROR.code())
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn closing_after_a_failure_on_a_silent_server_is_bounded_and_frees_the_pool_slot() {
    let config = impatient(Duration::from_millis(300)).with_max_connection_pool_size(1);
    let (server, driver) = neo_tests::start_with(config);
    server.controls().go_silent_after_failure();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    session.run("RETURN 1 +").await.unwrap_err();
    let started = Instant::now();
    session.close().await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    server.controls().clear_faults();
    // The one slot is free: the unanswered RESET cost the connection, not the slot.
    assert_eq!(neo_tests::count_people(&driver).await, 0);
    assert_eq!(driver.pool_metrics().in_use, 0);
}

#[tokio::test]
async fn a_commit_applied_whose_answer_is_lost_is_reported_as_unknown_and_not_retried() {
    let config = DriverConfig::default().with_receive_timeout(Some(Duration::from_millis(300)));
    let (server, driver) = neo_tests::start_with(config);
    server
        .controls()
        .go_silent(Trigger::on("COMMIT"), neo_embedded::Timing::AnswerLost);
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let started = Instant::now();
    let error = session
        .execute_write(async |tx| {
            tx.run("CREATE (:Person)").await?.consume().await?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::CommitOutcomeUnknown, "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.controls().received("COMMIT"), 1, "never retried");
    server.controls().clear_faults();
    assert_eq!(
        neo_tests::count_people(&driver).await,
        1,
        "the commit was applied"
    );
}
