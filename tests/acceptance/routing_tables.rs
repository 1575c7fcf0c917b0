//! What a routing driver shows of its state: the routing table of each
//! database, fetched on demand, and the pool of each server.

use std::time::Duration;

use neo_runtime::{Address, Bookmarks, Driver, ErrorKind, SessionConfig};

#[tokio::test]
async fn routing_tables_are_shown_and_fetched_on_demand() {
    let server = neo_tests::server();
    let here = Address::new("127.0.0.1", server.address().port());
    let driver = Driver::new(&neo_tests::routing_uri(&server), neo_tests::auth()).unwrap();
    assert!(
        driver.routing_table(Some("neo4j")).is_none(),
        "nothing fetched yet"
    );

    let kept_as = driver
        .refresh_routing_table(Some("neo4j"), &Bookmarks::new())
        .await
        .unwrap();
    assert_eq!(kept_as.as_deref(), Some("neo4j"));
    assert_eq!(server.controls().received("ROUTE"), 1);
    let table = driver.routing_table(Some("neo4j")).unwrap();
    assert_eq!(table.database.as_deref(), Some("neo4j"));
    assert_eq!(table.routers, std::slice::from_ref(&here));
    assert_eq!(table.readers, std::slice::from_ref(&here));
    assert_eq!(table.writers, std::slice::from_ref(&here));
    assert_eq!(table.ttl, Duration::from_secs(300));
    assert!(table.expires_in <= table.ttl && table.expires_in > Duration::from_secs(290));

    // Fetched again on demand, whatever the driver holds.
    driver
        .refresh_routing_table(Some("neo4j"), &Bookmarks::new())
        .await
        .unwrap();
    assert_eq!(server.controls().received("ROUTE"), 2);

    // The home database's table is kept under the name the router gives.
    let home = driver
        .refresh_routing_table(None, &Bookmarks::new())
        .await
        .unwrap();
    assert_eq!(home.as_deref(), Some("neo4j"));
    driver.close().await;
}

#[tokio::test]
async fn each_servers_pool_is_shown() {
    let server = neo_tests::server();
    let here = Address::new("127.0.0.1", server.address().port());
    let driver = Driver::new(&neo_tests::routing_uri(&server), neo_tests::auth()).unwrap();
    assert_eq!(driver.server_pool_metrics(&here), None, "no pool yet");
    let mut session = driver
        .session(SessionConfig::default().with_database("neo4j"))
        .unwrap();
    let result = session.run("RETURN 1").await.unwrap();
    let busy = driver.server_pool_metrics(&here).unwrap();
    assert_eq!(busy.in_use, 1);
    result.consume().await.unwrap();
    session.close().await;
    let idle = driver.server_pool_metrics(&here).unwrap();
    assert_eq!(idle.in_use, 0);
    assert_eq!(idle.idle, idle.created, "every connection opened is back");
    assert!(idle.idle >= 1);
    assert_eq!(
        driver.server_pool_metrics(&Address::new("127.0.0.1", 1)),
        None
    );
    driver.close().await;
}

#[tokio::test]
async fn a_direct_driver_has_no_routing_table() {
    let (server, driver) = neo_tests::start();
    assert!(driver.routing_table(None).is_none());
    let error = driver
        .refresh_routing_table(None, &Bookmarks::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnsupportedFeature, "{error}");
    driver.verify_connectivity().await.unwrap();
    let here = Address::new("127.0.0.1", server.address().port());
    assert_eq!(driver.server_pool_metrics(&here).unwrap().idle, 1);
}
