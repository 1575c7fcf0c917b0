//! What reaches the server: every setting a user gives the driver is checked
//! in the embedded server's message log, and every commit and rollback in
//! its effect on the data, so that dropping one breaks a test.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use neo_embedded::{EmbeddedServer, Trigger};
use neo_runtime::{
    AccessMode, Bookmarks, Driver, DriverConfig, ManagedTransaction, Query, SessionConfig,
    StatusCode, TransactionConfig, unit_of_work,
};

/// The messages of one type the server received, oldest first.
fn received(server: &EmbeddedServer, message: &str) -> Vec<neo_embedded::ReceivedMessage> {
    server.controls().messages_named(message)
}

/// Asserts that the session still runs queries (on a connection that was
/// reset or replaced for it).
async fn still_answers(session: &mut neo_runtime::Session) {
    let record = session.run("RETURN 2 AS n").await.unwrap().single().await;
    assert_eq!(record.unwrap().get_as::<i64>("n").unwrap(), 2);
}

#[tokio::test]
async fn an_explicit_commit_is_sent_and_makes_the_writes_durable() {
    let (server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let tx = session
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    tx.run("CREATE (:Person {name: 'Ann'})")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    let bookmarks = tx.commit().await.unwrap();
    assert_eq!(bookmarks.len(), 1, "a commit returns its bookmark");
    assert_eq!(session.last_bookmarks().await, bookmarks);
    assert_eq!(received(&server, "COMMIT").len(), 1);
    assert!(received(&server, "ROLLBACK").is_empty());
    session.close().await;
    assert_eq!(neo_tests::count_people(&driver).await, 1);
}

#[tokio::test]
async fn an_explicit_rollback_is_sent_and_undoes_the_writes() {
    let (server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let tx = session
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    tx.run("CREATE (:Person {name: 'Ann'})")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(received(&server, "ROLLBACK").len(), 1);
    assert!(received(&server, "COMMIT").is_empty());
    session.close().await;
    assert_eq!(neo_tests::count_people(&driver).await, 0);
}

#[tokio::test]
async fn a_transaction_function_that_fails_rolls_back_and_one_that_succeeds_commits() {
    let (server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let failed: neo_runtime::Result<()> = session
        .execute_write(async |tx| {
            tx.run("CREATE (:Person {name: 'Ann'})")
                .await?
                .consume()
                .await?;
            Err(neo_runtime::Error::application(std::io::Error::other(
                "the work gives up",
            )))
        })
        .await;
    assert!(failed.is_err());
    assert_eq!(received(&server, "ROLLBACK").len(), 1);
    assert_eq!(neo_tests::count_people(&driver).await, 0);

    session
        .execute_write(async |tx| {
            tx.run("CREATE (:Person {name: 'Bob'})")
                .await?
                .consume()
                .await?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(received(&server, "COMMIT").len(), 1);
    assert_eq!(neo_tests::count_people(&driver).await, 1);
}

/// Runs a transaction function creating one person in a session with
/// `config`, its first BEGIN failing with a transient error; returns how
/// many times the work ran.
async fn create_after_a_failed_begin(
    server: &EmbeddedServer,
    driver: &Driver,
    config: SessionConfig,
) -> usize {
    server.controls().fail(
        Trigger::on("BEGIN"),
        1,
        StatusCode::DEADLOCK_DETECTED.code(),
        "deadlock",
    );
    let runs = AtomicUsize::new(0);
    let mut session = driver.session(config).unwrap();
    session
        .execute_write(async |tx| {
            runs.fetch_add(1, Ordering::Relaxed);
            tx.run("CREATE (:Person {name: 'Ann'})")
                .await?
                .consume()
                .await?;
            Ok(())
        })
        .await
        .unwrap();
    session.close().await;
    runs.into_inner()
}

#[tokio::test]
async fn a_transaction_function_waits_for_begin_before_its_work_runs() {
    let (server, driver) = neo_tests::start_with(neo_tests::fast_retries(Duration::from_secs(10)));
    let runs = create_after_a_failed_begin(&server, &driver, SessionConfig::default()).await;
    assert_eq!(runs, 1, "the failed BEGIN was retried before the work ran");
    assert_eq!(received(&server, "BEGIN").len(), 2);
    assert_eq!(received(&server, "RUN").len(), 1);
    assert_eq!(received(&server, "COMMIT").len(), 1);
    assert_eq!(neo_tests::count_people(&driver).await, 1);
}

#[tokio::test]
async fn a_pipelined_begin_goes_out_with_the_first_query_and_its_failure_is_retried() {
    let config = neo_tests::fast_retries(Duration::from_secs(10)).with_pipelined_begin(true);
    let (server, driver) = neo_tests::start_with(config);
    let runs = create_after_a_failed_begin(&server, &driver, SessionConfig::default()).await;
    // The first RUN went out with the BEGIN that failed: the work ran,
    // got the failure from its query, and was retried as a whole.
    assert_eq!(runs, 2);
    assert_eq!(received(&server, "BEGIN").len(), 2);
    assert_eq!(received(&server, "RUN").len(), 2);
    assert_eq!(received(&server, "COMMIT").len(), 1);
    assert_eq!(neo_tests::count_people(&driver).await, 1, "committed once");

    // A session's own setting wins over the driver's.
    let runs_before = received(&server, "RUN").len();
    let eager = SessionConfig::default().with_pipelined_begin(false);
    assert_eq!(
        create_after_a_failed_begin(&server, &driver, eager).await,
        1
    );
    assert_eq!(received(&server, "RUN").len(), runs_before + 1);
}

#[tokio::test]
async fn a_pipelined_transaction_without_queries_sends_begin_with_its_commit() {
    let (server, driver) = neo_tests::start();
    let config = SessionConfig::default().with_pipelined_begin(true);
    let mut session = driver.session(config).unwrap();
    session.execute_read(async |_tx| Ok(())).await.unwrap();
    assert_eq!(received(&server, "BEGIN").len(), 1);
    assert_eq!(received(&server, "COMMIT").len(), 1);
    // A BEGIN that fails reaches the caller through the commit.
    server.controls().fail(
        Trigger::on("BEGIN"),
        1,
        StatusCode::INVALID_BOOKMARK.code(),
        "a bookmark the server cannot read",
    );
    let error = session.execute_read(async |_tx| Ok(())).await.unwrap_err();
    assert_eq!(error.code(), Some(StatusCode::INVALID_BOOKMARK.code()));
    assert_eq!(received(&server, "BEGIN").len(), 2, "not retried");
    assert_eq!(
        received(&server, "COMMIT").len(),
        2,
        "COMMIT went out with the BEGIN that failed"
    );
    session.close().await;
}

#[tokio::test]
async fn an_auto_commit_query_carries_its_timeout_metadata_database_and_mode() {
    let (server, driver) = neo_tests::start();
    let config = SessionConfig::default()
        .with_database("neo4j")
        .with_default_access_mode(AccessMode::Read);
    let mut session = driver.session(config).unwrap();
    let query = Query::new("RETURN $x AS x")
        .param("x", 1)
        .with_timeout(Duration::from_secs(7))
        .with_metadata("app", "hr");
    session.run(query).await.unwrap().consume().await.unwrap();
    let run = received(&server, "RUN").pop().unwrap();
    assert_eq!(run.tx_timeout, Some(Duration::from_secs(7)));
    assert_eq!(
        run.tx_metadata.get("app").and_then(|v| v.as_str()),
        Some("hr")
    );
    assert_eq!(run.db.as_deref(), Some("neo4j"));
    assert_eq!(run.mode, Some(AccessMode::Read));
    assert_eq!(run.parameters, ["x"]);
}

#[tokio::test]
async fn a_session_sends_its_bookmarks_and_database_with_every_transaction() {
    let (server, driver) = neo_tests::start();
    // A bookmark the server knows: the one of a first write.
    let mut writer = driver.session(SessionConfig::default()).unwrap();
    writer.run("CREATE (:Person)").await.unwrap();
    let bookmarks = writer.last_bookmarks().await;
    writer.close().await;
    assert_eq!(bookmarks.len(), 1);

    let config = SessionConfig::default()
        .with_database("neo4j")
        .with_bookmarks(bookmarks.clone());
    let mut session = driver.session(config).unwrap();
    session
        .run("RETURN 1")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    let run = received(&server, "RUN").pop().unwrap();
    assert_eq!(Bookmarks::from_iter(run.bookmarks), bookmarks);
    assert_eq!(run.db.as_deref(), Some("neo4j"));

    let before = session.last_bookmarks().await;
    session
        .execute_read(async |tx| tx.run("RETURN 1").await?.consume().await.map(|_| ()))
        .await
        .unwrap();
    let begin = received(&server, "BEGIN").pop().unwrap();
    assert_eq!(Bookmarks::from_iter(begin.bookmarks), before);
    assert_eq!(begin.db.as_deref(), Some("neo4j"));
}

#[tokio::test]
async fn transaction_functions_choose_their_access_mode_whatever_the_session_default() {
    let (server, driver) = neo_tests::start();
    let read_by_default = SessionConfig::default().with_default_access_mode(AccessMode::Read);
    let mut session = driver.session(read_by_default).unwrap();
    session
        .execute_write(async |tx| {
            tx.run("CREATE (:Person)")
                .await?
                .consume()
                .await
                .map(|_| ())
        })
        .await
        .unwrap();
    session
        .execute_read(async |tx| tx.run("RETURN 1").await?.consume().await.map(|_| ()))
        .await
        .unwrap();
    let modes: Vec<_> = received(&server, "BEGIN").iter().map(|b| b.mode).collect();
    assert_eq!(modes, [Some(AccessMode::Write), Some(AccessMode::Read)]);
}

#[tokio::test]
async fn the_fetch_size_is_the_driver_default_unless_the_session_sets_its_own() {
    let (server, driver) = neo_tests::start_with(DriverConfig::default().with_fetch_size(7));
    let mut session = driver.session(SessionConfig::default()).unwrap();
    session
        .run("RETURN 1")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    let mut own = driver
        .session(SessionConfig::default().with_fetch_size(3))
        .unwrap();
    own.run("RETURN 1").await.unwrap().consume().await.unwrap();
    let sizes: Vec<_> = received(&server, "PULL").iter().map(|p| p.n).collect();
    assert_eq!(sizes, [Some(7), Some(3)]);
}

/// A unit of work whose settings must reach BEGIN.
#[unit_of_work(write, timeout = "1500ms", metadata(app = "hr", level = -3))]
async fn tagged(tx: &mut ManagedTransaction<'_>) -> neo_runtime::Result<()> {
    tx.run("RETURN 1").await?.consume().await?;
    Ok(())
}

#[tokio::test]
async fn a_unit_of_work_sends_its_timeout_and_metadata_with_begin() {
    let (server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    tagged(&mut session).await.unwrap();
    let begin = received(&server, "BEGIN").pop().unwrap();
    assert_eq!(begin.tx_timeout, Some(Duration::from_millis(1500)));
    assert_eq!(
        begin.tx_metadata.get("app").and_then(|v| v.as_str()),
        Some("hr")
    );
    assert_eq!(
        begin.tx_metadata.get("level").and_then(|v| v.as_i64()),
        Some(-3)
    );
    assert_eq!(begin.mode, Some(AccessMode::Write));
}

#[tokio::test]
async fn after_a_failure_a_transaction_sends_nothing_more_and_its_rollback_is_local() {
    let (server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let tx = session
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    let failure = tx.run("RETURN 1 +").await.unwrap_err();
    let syntax_error = Some(neo_runtime::StatusCode::SYNTAX_ERROR.code());
    assert_eq!(failure.code(), syntax_error, "{failure}");

    // The server ended the transaction: the next query gets the same
    // failure without a word sent, and the rollback has nothing to say.
    let again = tx.run("RETURN 1").await.unwrap_err();
    assert_eq!(again.code(), syntax_error, "{again}");
    tx.rollback().await.unwrap();
    assert_eq!(received(&server, "RUN").len(), 1);
    assert!(received(&server, "ROLLBACK").is_empty());
    // RESET goes out with the rollback, not with the session's next use.
    assert_eq!(resets_arriving(&server, 1).await, 1);

    // The session goes on, on the connection reset for it.
    still_answers(&mut session).await;
    assert_eq!(received(&server, "RESET").len(), 1);
}

/// The RESETs the server has received, waiting up to a second for the
/// `expected` count (a RESET sent without waiting for its answer may still
/// be on its way).
async fn resets_arriving(server: &EmbeddedServer, expected: usize) -> usize {
    for _ in 0..100 {
        if received(server, "RESET").len() >= expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    received(server, "RESET").len()
}

#[tokio::test]
async fn a_failed_auto_commit_query_resets_its_connection_at_once() {
    let (server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let failure = session.run("RETURN 1 +").await.unwrap_err();
    assert_eq!(
        failure.code(),
        Some(neo_runtime::StatusCode::SYNTAX_ERROR.code()),
        "{failure}"
    );
    assert_eq!(resets_arriving(&server, 1).await, 1);
    still_answers(&mut session).await;
    assert_eq!(received(&server, "RESET").len(), 1, "one RESET in all");
}

#[tokio::test]
async fn after_its_connection_is_lost_a_transaction_fails_fast_and_rolls_back_locally() {
    use neo_embedded::{Timing, Trigger};

    let (server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let tx = session
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    // A result complete on the client (the next query read its answers)
    // but not yet read keeps its records and summary when the connection
    // dies.
    let mut created = tx
        .run("CREATE (:Person {name: 'Ann'}) RETURN 1 AS n")
        .await
        .unwrap();
    tx.run("RETURN 2").await.unwrap().consume().await.unwrap();
    server
        .controls()
        .close_connection(Trigger::on("RUN"), Timing::BeforeExecuting);
    let lost = tx.run("RETURN 1").await.unwrap_err();
    assert_eq!(
        lost.kind(),
        neo_runtime::ErrorKind::ServiceUnavailable,
        "{lost}"
    );
    let record = created.next().await.unwrap().unwrap();
    assert_eq!(record.get_as::<i64>("n").unwrap(), 1);
    assert!(created.next().await.is_none());
    let summary = created.consume().await.unwrap();
    assert_eq!(summary.counters().nodes_created, 1);

    let accepted = server.controls().connections_accepted();
    let again = tx.run("RETURN 1").await.unwrap_err();
    assert_eq!(
        again.kind(),
        neo_runtime::ErrorKind::ServiceUnavailable,
        "{again}"
    );
    assert!(again.to_string().contains("lost earlier"), "{again}");
    tx.rollback().await.unwrap();
    assert_eq!(server.controls().connections_accepted(), accepted);
    assert!(received(&server, "ROLLBACK").is_empty());
    assert_eq!(neo_tests::count_people(&driver).await, 0);
}

#[tokio::test]
async fn an_unread_result_is_buffered_with_one_pull_for_the_rest() {
    let (server, driver) = neo_tests::start();
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(2))
        .unwrap();
    let mut first = session
        .run("UNWIND range(1, 9) AS i RETURN i")
        .await
        .unwrap();
    assert!(first.next().await.is_some());
    server.controls().clear_messages();
    session
        .run("RETURN 1")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    let pulls: Vec<Option<i64>> = received(&server, "PULL").iter().map(|m| m.n).collect();
    // After a prefetched batch, if any: the rest of the first result in one
    // PULL, then the second query's.
    assert!(pulls.ends_with(&[Some(-1), Some(2)]), "{pulls:?}");
    assert_eq!(pulls.iter().filter(|n| **n == Some(-1)).count(), 1);
    let mut rest = 0;
    while let Some(record) = first.next().await {
        record.unwrap();
        rest += 1;
    }
    assert_eq!(rest, 8);
}

#[tokio::test]
async fn discarding_one_of_several_open_results_names_it() {
    let (server, driver) = neo_tests::start();
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(2))
        .unwrap();
    let tx = session
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    let first = tx.run("UNWIND range(1, 9) AS i RETURN i").await.unwrap();
    let mut second = tx.run("UNWIND range(1, 5) AS i RETURN i").await.unwrap();
    first.consume().await.unwrap();
    let discards = received(&server, "DISCARD");
    assert_eq!(discards.len(), 1);
    assert_eq!(
        discards[0].qid,
        Some(0),
        "the first result of the transaction"
    );
    let mut values = Vec::new();
    while let Some(record) = second.next().await {
        values.push(record.unwrap().get_as::<i64>("i").unwrap());
    }
    assert_eq!(values, [1, 2, 3, 4, 5]);
    drop(second);
    tx.rollback().await.unwrap();
}

#[tokio::test]
async fn pulls_name_a_result_only_when_a_later_one_was_started() {
    let (server, driver) = neo_tests::start();
    let mut session = driver
        .session(
            SessionConfig::default()
                .with_fetch_size(2)
                .with_prefetch_watermarks(neo_runtime::PrefetchWatermarks::ON_DEMAND),
        )
        .unwrap();
    let tx = session
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    let mut first = tx.run("UNWIND range(1, 9) AS i RETURN i").await.unwrap();
    for _ in 0..3 {
        first.next().await.unwrap().unwrap();
    }
    let pulls = received(&server, "PULL");
    assert_eq!(pulls.len(), 2, "{pulls:?}");
    assert!(
        pulls.iter().all(|pull| pull.qid.is_none()),
        "the latest result is the server's default: {pulls:?}"
    );
    let mut second = tx.run("UNWIND range(1, 5) AS i RETURN i").await.unwrap();
    server.controls().clear_messages();
    for _ in 0..2 {
        first.next().await.unwrap().unwrap();
    }
    let pulls = received(&server, "PULL");
    assert_eq!(pulls.len(), 1, "{pulls:?}");
    assert_eq!(pulls[0].qid, Some(0), "an earlier result is named");
    server.controls().clear_messages();
    for _ in 0..3 {
        second.next().await.unwrap().unwrap();
    }
    let pulls = received(&server, "PULL");
    assert_eq!(pulls.len(), 1, "{pulls:?}");
    assert_eq!(pulls[0].qid, None, "the latest result is not named");
    drop((first, second));
    tx.rollback().await.unwrap();
}

#[tokio::test]
async fn consuming_a_result_already_buffered_sends_no_discard() {
    let (server, driver) = neo_tests::start();
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(2))
        .unwrap();
    let mut first = session
        .run("UNWIND range(1, 9) AS i RETURN i")
        .await
        .unwrap();
    assert!(first.next().await.is_some());
    // The next query buffers the rest of the first result.
    session
        .run("RETURN 1")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    first.consume().await.unwrap();
    assert!(received(&server, "DISCARD").is_empty());
    still_answers(&mut session).await;
}

#[tokio::test]
async fn a_result_buffered_before_a_failed_query_stays_whole() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(2))
        .unwrap();
    let mut first = session
        .run("UNWIND range(1, 5) AS i RETURN i")
        .await
        .unwrap();
    // Buffers the first result, then fails; the next query resets the
    // connection.
    session.run("RETURN 1 +").await.unwrap_err();
    still_answers(&mut session).await;
    let mut values = Vec::new();
    while let Some(record) = first.next().await {
        values.push(record.unwrap().get_as::<i64>("i").unwrap());
    }
    assert_eq!(values, [1, 2, 3, 4, 5]);
    first.consume().await.unwrap();
}
