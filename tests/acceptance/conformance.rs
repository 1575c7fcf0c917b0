//! Behaviours Neo4j's driver conformance suite (testkit) checks, reproduced
//! against the embedded server: when BEGIN is answered, what the bookmark
//! supplier is asked, what a summary says about its connection, when a
//! connection goes back to the pool, and what a routing driver learns from a
//! failed explicit transaction.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use neo_embedded::{Cluster, MemberRole};
use neo_runtime::{
    BookmarkManager, Bookmarks, Driver, ErrorKind, SessionConfig, SharedBookmarkManager,
    StatusCode, TransactionConfig,
};

#[tokio::test]
async fn an_explicit_transaction_has_begun_when_it_is_handed_out() {
    let (server, driver) = neo_tests::start();
    let mut session = driver
        .session(SessionConfig::default().with_database("nosuch"))
        .unwrap();
    // BEGIN is answered before the transaction is returned: the unknown
    // database is the error of beginning, not of the first query.
    let error = session
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(StatusCode::DATABASE_NOT_FOUND.code()));
    assert_eq!(server.controls().received("BEGIN"), 1);
    assert_eq!(server.controls().received("RUN"), 0);
    session.close().await;

    let mut session = driver.session(SessionConfig::default()).unwrap();
    let tx = session
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    assert_eq!(server.controls().received("BEGIN"), 2);
    assert_eq!(tx.commit().await.unwrap().len(), 1);
    assert_eq!(server.controls().received("COMMIT"), 1);
    // One that ran nothing is still rolled back on the server.
    let tx = session
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(server.controls().received("BEGIN"), 3);
    assert_eq!(server.controls().received("ROLLBACK"), 1);
}

#[tokio::test]
async fn a_transaction_function_is_retried_on_a_failed_begin_before_its_work_runs() {
    let (server, driver) = neo_tests::start();
    server.controls().fail(
        neo_embedded::Trigger::on("BEGIN"),
        1,
        "Neo.TransientError.General.DatabaseUnavailable",
        "not yet",
    );
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let calls = AtomicUsize::new(0);
    let answer: i64 = session
        .execute_write(async |tx| {
            calls.fetch_add(1, Ordering::AcqRel);
            let record = tx.run("RETURN 1 AS n").await?.single().await?;
            record.get_as::<i64>("n")
        })
        .await
        .unwrap();
    assert_eq!(answer, 1);
    assert_eq!(calls.load(Ordering::Acquire), 1, "the work ran once");
    assert_eq!(server.controls().received("BEGIN"), 2);
    session.close().await;
}

/// A bookmark manager that counts how often it is asked for bookmarks.
#[derive(Debug, Default)]
struct Counting {
    inner: SharedBookmarkManager,
    asked: AtomicUsize,
}

impl BookmarkManager for Counting {
    fn bookmarks(&self) -> Bookmarks {
        self.asked.fetch_add(1, Ordering::AcqRel);
        self.inner.bookmarks()
    }

    fn update_bookmarks(&self, previous: &Bookmarks, new: &Bookmarks) {
        self.inner.update_bookmarks(previous, new);
    }
}

#[tokio::test]
async fn a_transaction_asks_its_bookmark_manager_once_for_what_it_sends() {
    let (_server, driver) = neo_tests::start();
    let manager = Arc::new(Counting::default());
    let mut session = driver
        .session(SessionConfig::default().with_bookmark_manager(manager.clone()))
        .unwrap();
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
    let tx = session
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    tx.run("RETURN 1").await.unwrap().consume().await.unwrap();
    tx.commit().await.unwrap();
    // Each transaction: once for its BEGIN (a direct driver routes nothing).
    assert_eq!(manager.asked.load(Ordering::Acquire), 2);
    assert_eq!(
        manager.inner.bookmarks().len(),
        1,
        "the last commit's bookmark"
    );
}

#[tokio::test]
async fn a_summary_names_the_protocol_version_of_its_connection() {
    let (_server, driver) = neo_tests::start();
    let info = driver.server_info().await.unwrap();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let summary = session
        .run("RETURN 1")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    assert_eq!(summary.protocol_version(), info.protocol_version);
}

#[tokio::test]
async fn closing_a_session_returns_its_connection_while_a_result_is_still_held() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(1))
        .unwrap();
    let mut result = session
        .run("UNWIND range(1, 5) AS i RETURN i")
        .await
        .unwrap();
    session.close().await;
    let metrics = driver.pool_metrics();
    assert_eq!(metrics.in_use, 0, "{metrics:?}");
    assert_eq!(metrics.idle, 1, "{metrics:?}");
    // The result, still held, reports that its rest is gone.
    let mut last = None;
    while let Some(record) = result.next().await {
        last = Some(record);
    }
    let error = last.unwrap().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResultConsumed);
}

#[tokio::test]
async fn a_routing_driver_learns_from_a_failed_explicit_transaction() {
    let cluster = Cluster::new();
    let first = cluster.start_member(MemberRole::Leader).unwrap();
    let second = cluster.start_member(MemberRole::Follower).unwrap();
    let driver = Driver::new(&neo_tests::routing_uri(&first), neo_tests::auth()).unwrap();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let write = async |session: &mut neo_runtime::Session| {
        let tx = session
            .begin_transaction(TransactionConfig::default())
            .await?;
        tx.run("CREATE (:Person)").await?.consume().await?;
        tx.commit().await.map(|_| ())
    };
    write(&mut session).await.unwrap();
    let routes = first.controls().received("ROUTE") + second.controls().received("ROUTE");

    // The leader steps down: the next explicit write fails, outside any
    // retry loop, and the driver forgets it as a writer ...
    cluster.set_role(&first, MemberRole::Follower);
    cluster.set_role(&second, MemberRole::Leader);
    let error = write(&mut session).await.unwrap_err();
    assert_eq!(
        error.code(),
        Some(StatusCode::NOT_A_LEADER.code()),
        "{error}"
    );
    // ... so the one after fetches a new routing table and reaches the new leader.
    write(&mut session).await.unwrap();
    let after = first.controls().received("ROUTE") + second.controls().received("ROUTE");
    assert!(after > routes, "a new routing table was fetched");
    assert_eq!(second.controls().received("COMMIT"), 1);
    driver.close().await;
}

#[tokio::test]
async fn a_routed_session_names_the_home_database_the_router_resolved() {
    let server = neo_tests::server();
    let driver = Driver::new(&neo_tests::routing_uri(&server), neo_tests::auth()).unwrap();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    session
        .run("RETURN 1")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    session
        .execute_read(async |tx| tx.run("RETURN 1").await?.consume().await.map(|_| ()))
        .await
        .unwrap();
    let controls = server.controls();
    let route = controls.messages_named("ROUTE").pop().unwrap();
    assert_eq!(route.db, None, "the first ROUTE asks for the home database");
    assert_eq!(
        controls.messages_named("RUN")[0].db.as_deref(),
        Some("neo4j")
    );
    assert_eq!(
        controls.messages_named("BEGIN")[0].db.as_deref(),
        Some("neo4j")
    );
    assert_eq!(
        controls.received("ROUTE"),
        1,
        "the resolved table serves both"
    );
}

#[tokio::test]
async fn checking_connectivity_proves_the_server_answers_and_the_routers_too() {
    let (server, driver) = neo_tests::start();
    driver.verify_connectivity().await.unwrap();
    let resets = server.controls().received("RESET");
    // The pooled connection is checked with a round trip.
    driver.verify_connectivity().await.unwrap();
    assert_eq!(server.controls().received("RESET"), resets + 1);
    assert_eq!(driver.pool_metrics().created, 1);

    let server = neo_tests::server();
    let routing = Driver::new(&neo_tests::routing_uri(&server), neo_tests::auth()).unwrap();
    routing.server_info().await.unwrap();
    routing.server_info().await.unwrap();
    assert_eq!(
        server.controls().received("ROUTE"),
        2,
        "the table is fetched anew each time"
    );
}

#[tokio::test]
async fn results_of_a_transaction_a_failure_ended_report_that_failure() {
    let (server, driver) = neo_tests::start();
    let mut session = driver
        .session(SessionConfig::default().with_fetch_size(1))
        .unwrap();
    let tx = session
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    let open = tx.run("UNWIND range(1, 5) AS i RETURN i").await.unwrap();
    let error = tx.run("RETURN 1 +").await.unwrap_err();
    let code = error.code().expect("a server failure");
    // The server ended the transaction and holds no result any more: the
    // open result reports the failure instead of asking it for more.
    let (pulls, discards) = (
        server.controls().received("PULL"),
        server.controls().received("DISCARD"),
    );
    let consumed = open.consume().await.unwrap_err();
    assert_eq!(consumed.code(), Some(code), "{consumed}");
    assert_eq!(server.controls().received("PULL"), pulls);
    assert_eq!(server.controls().received("DISCARD"), discards);
    drop(tx);
    session.close().await;
}

#[tokio::test]
async fn a_server_that_no_longer_leads_one_database_stays_the_writer_of_the_others() {
    let cluster = Cluster::new();
    let leader = cluster.start_member(MemberRole::Leader).unwrap();
    let _follower = cluster.start_member(MemberRole::Follower).unwrap();
    let driver = Driver::new(&neo_tests::routing_uri(&leader), neo_tests::auth()).unwrap();
    let leader_address = neo_runtime::Address::new("127.0.0.1", leader.address().port());
    driver
        .refresh_routing_table(Some("system"), &Bookmarks::new())
        .await
        .unwrap();
    let mut session = driver
        .session(SessionConfig::default().with_database("neo4j"))
        .unwrap();
    leader.controls().fail(
        neo_embedded::Trigger::on("RUN"),
        1,
        StatusCode::NOT_A_LEADER.code(),
        "not the leader of neo4j",
    );
    let error = async { session.run("CREATE (:Person)").await?.consume().await }
        .await
        .unwrap_err();
    assert_eq!(
        error.code(),
        Some(StatusCode::NOT_A_LEADER.code()),
        "{error}"
    );
    session.close().await;
    let writers = |database| driver.routing_table(Some(database)).unwrap().writers;
    assert!(
        !writers("neo4j").contains(&leader_address),
        "forgotten for neo4j"
    );
    assert!(
        writers("system").contains(&leader_address),
        "still leads system"
    );
    driver.close().await;
}

#[tokio::test]
async fn a_bolt_4_3_server_is_spoken_to_directly_and_through_routing() {
    use neo_embedded::{EmbeddedServer, ServerConfig};
    use neo_runtime::{BoltVersion, Query};

    let server = EmbeddedServer::start(ServerConfig::new().max_bolt_version(BoltVersion::V4_3))
        .expect("the embedded server starts");
    for uri in [server.uri(), neo_tests::routing_uri(&server)] {
        let driver = Driver::new(&uri, neo_tests::auth()).unwrap();
        let info = driver.server_info().await.unwrap();
        assert_eq!(info.protocol_version, BoltVersion::V4_3, "{uri}");
        let mut session = driver
            .session(SessionConfig::default().with_database("neo4j"))
            .unwrap();
        let answer = session
            .execute_write(async |tx| {
                tx.run(Query::new("RETURN $x + 1 AS y").param("x", 41))
                    .await?
                    .single()
                    .await?
                    .get_as::<i64>("y")
            })
            .await
            .unwrap();
        assert_eq!(answer, 42, "{uri}");

        // Impersonation needs Bolt 4.4: refused with a clear error, not
        // sent in a form the server would misread.
        let mut impersonating = driver
            .session(
                SessionConfig::default()
                    .with_database("neo4j")
                    .with_impersonated_user("someone"),
            )
            .unwrap();
        let error = impersonating.run("RETURN 1").await.unwrap_err();
        assert!(error.to_string().contains("4.4"), "{uri}: {error}");
        driver.close().await;
    }
    // ROUTE carried its database in the form of Bolt 4.3 (a string or
    // null, not a map), which the server read.
    let routes = server.controls().messages_named("ROUTE");
    assert!(!routes.is_empty());
    assert!(routes.iter().all(|route| route.decoded), "{routes:?}");
}
