//! Connection management as the official drivers do it: liveness checks
//! of idle connections, a maximum lifetime, an acquisition timeout that
//! covers routing, the server's receive-timeout hint, and what the driver
//! says about the server and its encryption.

use std::time::{Duration, Instant};

use neo_embedded::{EmbeddedServer, ServerConfig, Trigger};
use neo_runtime::{
    AuthToken, BoltVersion, Driver, DriverConfig, ErrorKind, QueryConfig, SessionConfig,
};

async fn run(driver: &Driver) -> neo_runtime::Result<()> {
    let mut session = driver.session(SessionConfig::default())?;
    let outcome = async { session.run("RETURN 1").await?.consume().await.map(|_| ()) }.await;
    session.close().await;
    outcome
}

/// Closes the server's side of every connection open now, and waits until
/// it has.
async fn drop_connections(server: &EmbeddedServer) {
    server.controls().close_all_connections();
    let started = Instant::now();
    while server.live_connections() > 0 && started.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn idle_connections_past_the_liveness_threshold_are_checked_before_reuse() {
    let server = neo_tests::server();
    let checked = DriverConfig::default().with_liveness_check_timeout(Some(Duration::ZERO));
    let driver = Driver::with_config(&server.uri(), neo_tests::auth(), checked).unwrap();
    run(&driver).await.unwrap();
    drop_connections(&server).await;
    // The check finds the pooled connection dead, and a new one serves.
    run(&driver).await.unwrap();
    assert_eq!(server.controls().connections_accepted(), 2);
    // A live pooled connection is checked with a RESET on each checkout.
    let resets = server.controls().received("RESET");
    run(&driver).await.unwrap();
    assert_eq!(server.controls().received("RESET"), resets + 1);
    assert_eq!(server.controls().connections_accepted(), 2);

    // Without the check, a connection the server closed is still seen
    // closed (its socket is at end of file) and replaced, with no RESET.
    let unchecked = Driver::new(&server.uri(), neo_tests::auth()).unwrap();
    run(&unchecked).await.unwrap();
    drop_connections(&server).await;
    let resets = server.controls().received("RESET");
    run(&unchecked).await.unwrap();
    assert_eq!(server.controls().connections_accepted(), 4);
    assert_eq!(server.controls().received("RESET"), resets);
    assert_eq!(unchecked.pool_metrics().created, 2);

    // Connections idle for less than the threshold are not checked.
    let lenient =
        DriverConfig::default().with_liveness_check_timeout(Some(Duration::from_secs(3600)));
    let driver = Driver::with_config(&server.uri(), neo_tests::auth(), lenient).unwrap();
    run(&driver).await.unwrap();
    let resets = server.controls().received("RESET");
    run(&driver).await.unwrap();
    run(&driver).await.unwrap();
    assert_eq!(server.controls().received("RESET"), resets);
}

#[tokio::test]
async fn connections_older_than_the_maximum_lifetime_are_replaced() {
    let server = neo_tests::server();
    let config = DriverConfig::default().with_max_connection_lifetime(Duration::from_millis(200));
    let driver = Driver::with_config(&server.uri(), neo_tests::auth(), config).unwrap();
    run(&driver).await.unwrap();
    run(&driver).await.unwrap();
    assert_eq!(
        server.controls().connections_accepted(),
        1,
        "reused while young"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    run(&driver).await.unwrap();
    assert_eq!(server.controls().connections_accepted(), 2);
    assert_eq!(driver.pool_metrics().closed, 1);
}

#[tokio::test]
async fn the_acquisition_timeout_bounds_connections_not_the_routers_answer() {
    // As the official drivers do: each connection (to the router, then to
    // the server) is acquired within the timeout; the router's answer is
    // waited for like any answer, within the receive timeout.
    let server = neo_tests::server();
    server
        .controls()
        .delay(Trigger::on("ROUTE"), Duration::from_millis(800));
    let config =
        DriverConfig::default().with_connection_acquisition_timeout(Duration::from_millis(300));
    let driver =
        Driver::with_config(&neo_tests::routing_uri(&server), neo_tests::auth(), config).unwrap();
    run(&driver).await.unwrap();

    let server = neo_tests::server();
    server
        .controls()
        .delay(Trigger::on("ROUTE"), Duration::from_secs(3));
    let config = DriverConfig::default()
        .with_connection_acquisition_timeout(Duration::from_millis(300))
        .with_receive_timeout(Some(Duration::from_millis(400)));
    let driver =
        Driver::with_config(&neo_tests::routing_uri(&server), neo_tests::auth(), config).unwrap();
    let started = Instant::now();
    let error = run(&driver).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable, "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn the_servers_receive_timeout_hint_bounds_every_wait() {
    // The server promises to send something at least every second.
    let server =
        EmbeddedServer::start(ServerConfig::new().recv_timeout(Some(Duration::from_secs(1))))
            .unwrap();
    let driver = Driver::new(&server.uri(), neo_tests::auth()).unwrap();
    assert_eq!(
        driver.config().receive_timeout(),
        Some(Duration::from_secs(300)),
        "the driver's own bound is longer"
    );
    run(&driver).await.unwrap();
    // A PULL answered after 3 s: the hint, not the driver's 300 s, decides.
    server
        .controls()
        .delay_times(Trigger::on("PULL"), 1, Duration::from_secs(3));
    let started = Instant::now();
    let error = run(&driver).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable, "{error}");
    assert!(error.to_string().contains("sent nothing"), "{error}");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_millis(2500),
        "{waited:?}"
    );

    // Without the hint the same answer is awaited.
    let patient = EmbeddedServer::start(ServerConfig::new().recv_timeout(None)).unwrap();
    let driver = Driver::new(&patient.uri(), neo_tests::auth()).unwrap();
    patient
        .controls()
        .delay_times(Trigger::on("PULL"), 1, Duration::from_millis(1500));
    run(&driver).await.unwrap();
}

#[tokio::test]
async fn the_driver_reports_the_server_and_whether_it_encrypts() {
    let server =
        EmbeddedServer::start(ServerConfig::new().max_bolt_version(BoltVersion::V5_4)).unwrap();
    let driver = Driver::new(&server.uri(), neo_tests::auth()).unwrap();
    let info = driver.server_info().await.unwrap();
    assert_eq!(info.protocol_version, BoltVersion::V5_4);
    assert!(info.agent.starts_with("Neo4j/"), "{}", info.agent);
    assert_eq!(info.address.port(), server.address().port());
    assert!(!driver.is_encrypted());
    for uri in ["bolt+s://localhost", "neo4j+ssc://localhost"] {
        let driver = Driver::new(uri, AuthToken::None).unwrap();
        assert!(driver.is_encrypted(), "{uri}");
    }
    driver
        .execute_query("RETURN 1", QueryConfig::default())
        .await
        .unwrap();
}
