//! `neo4j://` routing over real TCP against the embedded server: the
//! routing table is fetched with ROUTE, kept while it is valid, and every
//! part of the session API runs through it.

use neo_embedded::{EmbeddedServer, ServerConfig};
use neo_runtime::StatusCode;
use neo_runtime::{Driver, ErrorKind, Query, SessionConfig};

#[tokio::test]
async fn a_routing_driver_runs_the_session_api_through_the_routing_table() {
    let server = EmbeddedServer::start(ServerConfig::new()).expect("the embedded server starts");
    let driver = Driver::new(&neo_tests::routing_uri(&server), neo_tests::auth()).unwrap();
    driver.verify_connectivity().await.unwrap();
    assert_eq!(server.controls().received("ROUTE"), 1);

    let mut session = driver.session(SessionConfig::default()).unwrap();
    let id = session
        .execute_write(async |tx| {
            let record = tx
                .run(
                    Query::new("CREATE (p:Person {name: $name}) RETURN id(p)").param("name", "Ann"),
                )
                .await?
                .single()
                .await?;
            record.get_as::<i64>("id(p)")
        })
        .await
        .unwrap();
    let names = session
        .execute_read(async |tx| {
            let mut result = tx.run("MATCH (p:Person) RETURN p.name AS name").await?;
            let mut names = Vec::new();
            while let Some(record) = result.next().await {
                names.push(record?.get_as::<String>("name")?);
            }
            Ok(names)
        })
        .await
        .unwrap();
    assert_eq!(names, ["Ann"]);
    let count = session
        .run(Query::new("MATCH (p) WHERE id(p) = $id RETURN count(p) AS n").param("id", id))
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    assert_eq!(count.get_as::<i64>("n").unwrap(), 1);

    // A second session in a named database reuses nothing but the pools:
    // the table of `neo4j` is fetched once more, then kept.
    let mut other = driver
        .session(SessionConfig::default().with_database("neo4j"))
        .unwrap();
    for _ in 0..3 {
        other
            .run("RETURN 1")
            .await
            .unwrap()
            .consume()
            .await
            .unwrap();
    }
    assert_eq!(
        server.controls().received("ROUTE"),
        2,
        "one table per database, kept while valid"
    );
    assert!(driver.pool_metrics().created >= 1);
    driver.close().await;
}

#[tokio::test]
async fn an_unreachable_router_is_a_service_unavailable_error() {
    // A port nothing listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Driver::new(&format!("neo4j://127.0.0.1:{port}"), neo_tests::auth()).unwrap();
    let error = driver.verify_connectivity().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable);
    assert!(error.to_string().contains("no router answered"), "{error}");
}

#[tokio::test]
async fn a_missing_database_is_reported_by_the_router_not_retried_elsewhere() {
    let server = EmbeddedServer::start(ServerConfig::new()).expect("the embedded server starts");
    let driver = Driver::new(&neo_tests::routing_uri(&server), neo_tests::auth()).unwrap();
    let mut session = driver
        .session(SessionConfig::default().with_database("nope"))
        .unwrap();
    let error = session.run("RETURN 1").await.unwrap_err();
    assert_eq!(
        error.code(),
        Some(StatusCode::DATABASE_NOT_FOUND.code()),
        "{error}"
    );
}

#[tokio::test]
async fn a_connection_closed_after_a_failure_leaves_its_server_in_the_routing_table() {
    use neo_embedded::{Timing, Trigger};

    let server = EmbeddedServer::start(ServerConfig::new()).expect("the embedded server starts");
    let driver = Driver::new(&neo_tests::routing_uri(&server), neo_tests::auth()).unwrap();
    // Servers close a connection after some failures (an expired token):
    // the RESET that follows finds it closed.
    server.controls().fail(
        Trigger::on("RUN").query_contains("doomed"),
        1,
        StatusCode::TOKEN_EXPIRED.code(),
        "Token expired.",
    );
    server
        .controls()
        .close_connection(Trigger::on("RESET"), Timing::BeforeExecuting);
    let mut session = driver
        .session(SessionConfig::default().with_database("neo4j"))
        .unwrap();
    let error = session.run("RETURN 'doomed'").await.unwrap_err();
    assert_eq!(error.code(), Some(StatusCode::TOKEN_EXPIRED.code()));
    let record = session.run("RETURN 1 AS n").await.unwrap().single().await;
    assert_eq!(record.unwrap().get_as::<i64>("n").unwrap(), 1);
    assert_eq!(server.controls().received("RESET"), 1, "{error}");
    assert_eq!(
        server.controls().received("ROUTE"),
        1,
        "the server stays in the table: the connection's loss was the failure's consequence"
    );
    driver.close().await;
}

mod cluster {
    //! A leader and followers sharing one graph (`neo_embedded::Cluster`).

    use std::time::Duration;

    use neo_embedded::{Cluster, EmbeddedServer, MemberRole};
    use neo_runtime::{AccessMode, Driver, DriverConfig, Query, RetryPolicy, SessionConfig};

    /// Retries after 50 ms instead of a second: the failovers below are
    /// driven by retries.
    fn driver(router: &EmbeddedServer) -> Driver {
        let config = DriverConfig::default().with_retry_policy(
            RetryPolicy::default().with_initial_delay(Duration::from_millis(50)),
        );
        Driver::with_config(&neo_tests::routing_uri(router), neo_tests::auth(), config).unwrap()
    }

    fn start(cluster: &Cluster, role: MemberRole) -> EmbeddedServer {
        cluster.start_member(role).expect("a member starts")
    }

    async fn write(session: &mut neo_runtime::Session, name: &str) {
        session
            .execute_write(async |tx| {
                tx.run(Query::new("CREATE (:Person {name: $name})").param("name", name))
                    .await?
                    .consume()
                    .await?;
                Ok(())
            })
            .await
            .unwrap();
    }

    async fn count(session: &mut neo_runtime::Session) -> i64 {
        session
            .execute_read(async |tx| {
                tx.run("MATCH (p:Person) RETURN count(p) AS n")
                    .await?
                    .single()
                    .await?
                    .get_as::<i64>("n")
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn reads_go_to_followers_and_writes_to_the_leader() {
        let cluster = Cluster::new();
        let leader = start(&cluster, MemberRole::Leader);
        let first = start(&cluster, MemberRole::Follower);
        let second = start(&cluster, MemberRole::Follower);
        // Any member routes: start from a follower.
        let driver = driver(&first);
        let mut session = driver.session(SessionConfig::default()).unwrap();
        for i in 0..3 {
            write(&mut session, &format!("p{i}")).await;
            // The session's bookmark makes each read see the write before it.
            assert_eq!(count(&mut session).await, i + 1);
        }
        // Sessions of their own spread over the followers.
        for _ in 0..4 {
            let mut own = driver.session(SessionConfig::default()).unwrap();
            count(&mut own).await;
            own.close().await;
        }
        assert_eq!(leader.controls().received("RUN"), 3, "only the writes");
        let (on_first, on_second) = (
            first.controls().received("RUN"),
            second.controls().received("RUN"),
        );
        assert_eq!(on_first + on_second, 7);
        assert!(
            on_first > 0 && on_second > 0,
            "reads spread: {on_first} and {on_second}"
        );

        // A session that defaults to reads runs auto-commit queries on a follower.
        let mut reader = driver
            .session(SessionConfig::default().with_default_access_mode(AccessMode::Read))
            .unwrap();
        reader
            .run("RETURN 1")
            .await
            .unwrap()
            .consume()
            .await
            .unwrap();
        assert_eq!(leader.controls().received("RUN"), 3);
        driver.close().await;
    }

    #[tokio::test]
    async fn a_follower_that_goes_away_is_forgotten_and_reads_go_on() {
        let cluster = Cluster::new();
        let _leader = start(&cluster, MemberRole::Leader);
        let first = start(&cluster, MemberRole::Follower);
        let second = start(&cluster, MemberRole::Follower);
        let driver = driver(&first);
        let mut session = driver.session(SessionConfig::default()).unwrap();
        write(&mut session, "a").await;
        for _ in 0..4 {
            assert_eq!(count(&mut session).await, 1);
        }
        cluster.shutdown_member(first).await;
        for _ in 0..4 {
            assert_eq!(count(&mut session).await, 1);
        }
        let before = second.controls().received("RUN");
        assert_eq!(count(&mut session).await, 1);
        assert_eq!(
            second.controls().received("RUN"),
            before + 1,
            "the survivor serves the reads"
        );
        driver.close().await;
    }

    #[tokio::test]
    async fn a_write_refused_by_a_former_leader_is_retried_on_the_new_one() {
        let cluster = Cluster::new();
        let old = start(&cluster, MemberRole::Leader);
        let new = start(&cluster, MemberRole::Follower);
        let driver = driver(&old);
        let mut session = driver.session(SessionConfig::default()).unwrap();
        write(&mut session, "before").await;

        // The leader steps down: the driver's table still names it.
        cluster.set_role(&old, MemberRole::Follower);
        cluster.set_role(&new, MemberRole::Leader);
        write(&mut session, "after").await;
        assert_eq!(
            new.controls().received("RUN"),
            1,
            "the retry ran on the new leader"
        );
        assert_eq!(count(&mut session).await, 2);
        driver.close().await;
    }

    #[tokio::test]
    async fn an_expired_table_is_fetched_again() {
        let cluster = Cluster::with_ttl(Duration::from_secs(1));
        let leader = start(&cluster, MemberRole::Leader);
        let driver = driver(&leader);
        let mut session = driver.session(SessionConfig::default()).unwrap();
        write(&mut session, "a").await;
        write(&mut session, "b").await;
        assert_eq!(leader.controls().received("ROUTE"), 1, "kept while valid");
        tokio::time::sleep(Duration::from_millis(1100)).await;
        write(&mut session, "c").await;
        assert_eq!(
            leader.controls().received("ROUTE"),
            2,
            "fetched again once expired"
        );
        driver.close().await;
    }

    #[tokio::test]
    async fn the_pool_of_a_server_that_left_the_cluster_is_closed() {
        let cluster = Cluster::with_ttl(Duration::from_secs(1));
        let leader = start(&cluster, MemberRole::Leader);
        let follower = start(&cluster, MemberRole::Follower);
        let driver = driver(&leader);
        let mut session = driver.session(SessionConfig::default()).unwrap();
        write(&mut session, "a").await;
        assert_eq!(count(&mut session).await, 1);
        session.close().await;
        let before = driver.pool_metrics();
        assert_eq!((before.idle, before.closed), (2, 0), "{before:?}");

        assert!(cluster.remove(&follower));
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let mut session = driver.session(SessionConfig::default()).unwrap();
        write(&mut session, "b").await;
        session.close().await;
        let after = driver.pool_metrics();
        assert_eq!((after.idle, after.closed), (1, 1), "{after:?}");
        assert_eq!(
            after.created, before.created,
            "totals keep the closed pool's"
        );
        driver.close().await;
    }
}
