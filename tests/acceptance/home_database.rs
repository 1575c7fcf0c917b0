//! The home database with routing: a session that names no database has
//! its user's home database resolved once (ROUTE) and keeps it; with
//! servers that route on their own (Bolt 5.8 `ssr.enabled`), a home
//! database known from before saves that ROUTE, and the server's answer
//! says which database the work really ran in.

use neo_embedded::{EmbeddedServer, ServerConfig};
use neo_runtime::{Driver, QueryConfig, SessionConfig};

fn server(server_side_routing: bool) -> EmbeddedServer {
    EmbeddedServer::start(ServerConfig::new().server_side_routing(server_side_routing)).unwrap()
}

async fn driver_with_sales(server: &EmbeddedServer) -> Driver {
    let driver = Driver::new(&neo_tests::routing_uri(server), neo_tests::auth()).unwrap();
    driver
        .execute_query(
            "CREATE DATABASE sales",
            QueryConfig::default().with_database("system"),
        )
        .await
        .unwrap();
    driver
}

async fn people_in(driver: &Driver, database: &str) -> i64 {
    let mut session = driver
        .session(SessionConfig::default().with_database(database))
        .unwrap();
    let count = session
        .run("MATCH (p:Person) RETURN count(p) AS n")
        .await
        .unwrap()
        .single()
        .await
        .unwrap()
        .get_as("n")
        .unwrap();
    session.close().await;
    count
}

async fn create_person(session: &mut neo_runtime::Session) {
    session
        .run("CREATE (:Person)")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
}

/// Runs one write in a session of its own naming no database.
async fn create_in_home(driver: &Driver) {
    let mut session = driver.session(SessionConfig::default()).unwrap();
    create_person(&mut session).await;
    session.close().await;
}

#[tokio::test]
async fn a_session_resolves_its_home_database_once_and_keeps_it() {
    let server = server(false);
    let driver = driver_with_sales(&server).await;
    let controls = server.controls();
    let routes = controls.received("ROUTE");

    let mut session = driver.session(SessionConfig::default()).unwrap();
    create_person(&mut session).await;
    assert_eq!(
        controls.received("ROUTE"),
        routes + 1,
        "the home database resolved"
    );
    // The home database changes: the session keeps the one it resolved.
    controls.set_home_database(Some("sales"));
    create_person(&mut session).await;
    session.close().await;
    assert_eq!(
        controls.received("ROUTE"),
        routes + 1,
        "resolved once per session"
    );
    assert_eq!(people_in(&driver, "neo4j").await, 2);
    assert_eq!(people_in(&driver, "sales").await, 0);

    // A new session resolves it again.
    let before = controls.received("ROUTE");
    create_in_home(&driver).await;
    assert!(controls.received("ROUTE") > before);
    assert_eq!(people_in(&driver, "sales").await, 1);
    driver.close().await;
}

#[tokio::test]
async fn without_server_side_routing_every_session_resolves_its_home_database() {
    let server = server(false);
    let driver = driver_with_sales(&server).await;
    let controls = server.controls();
    let routes = controls.received("ROUTE");
    for _ in 0..3 {
        create_in_home(&driver).await;
    }
    assert_eq!(controls.received("ROUTE"), routes + 3);
    driver.close().await;
}

#[tokio::test]
async fn with_server_side_routing_a_known_home_database_saves_the_route() {
    let server = server(true);
    let driver = driver_with_sales(&server).await;
    let controls = server.controls();
    let routes = controls.received("ROUTE");

    create_in_home(&driver).await;
    assert_eq!(
        controls.received("ROUTE"),
        routes + 1,
        "resolved the first time"
    );
    for _ in 0..3 {
        create_in_home(&driver).await;
    }
    assert_eq!(
        controls.received("ROUTE"),
        routes + 1,
        "known since, and the servers route on their own"
    );
    assert_eq!(people_in(&driver, "neo4j").await, 4);

    // The home database moves: the guess picks the server, and the server,
    // sent no database, runs the work in the new home database.
    controls.set_home_database(Some("sales"));
    create_in_home(&driver).await;
    assert_eq!(people_in(&driver, "sales").await, 1);
    assert_eq!(people_in(&driver, "neo4j").await, 4);
    // The server's answer taught the driver the new name: a session keeps
    // it for its next transaction, even if the home database moves again.
    let mut session = driver.session(SessionConfig::default()).unwrap();
    create_person(&mut session).await;
    controls.set_home_database(None);
    create_person(&mut session).await;
    session.close().await;
    assert_eq!(people_in(&driver, "sales").await, 3);

    // Another user's home database is not known: it is resolved.
    let before = controls.received("ROUTE");
    let mut other = driver
        .session(SessionConfig::default().with_impersonated_user("alice"))
        .unwrap();
    create_person(&mut other).await;
    other.close().await;
    assert_eq!(controls.received("ROUTE"), before + 1);
    driver.close().await;
}
