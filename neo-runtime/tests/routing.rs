//! `neo4j://` routing over real TCP against the embedded server: the
//! routing table is fetched with ROUTE, kept while it is valid, and every
//! part of the session API runs through it.

use neo_embedded::{EmbeddedServer, ServerConfig};
use neo_runtime::{AuthToken, Driver, ErrorKind, Query, SessionConfig};

fn auth() -> AuthToken {
    AuthToken::basic("neo4j", "password")
}

fn routing_uri(server: &EmbeddedServer) -> String {
    format!("neo4j://{}", server.address())
}

#[tokio::test]
async fn a_routing_driver_runs_the_session_api_through_the_routing_table() {
    let server = EmbeddedServer::start(ServerConfig::new()).expect("the embedded server starts");
    let driver = Driver::new(&routing_uri(&server), auth()).unwrap();
    driver.verify_connectivity().await.unwrap();
    assert_eq!(server.controls().received("ROUTE"), 1);

    let mut session = driver.session(SessionConfig::default());
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
    let mut other = driver.session(SessionConfig::default().with_database("neo4j"));
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
    let driver = Driver::new(&format!("neo4j://127.0.0.1:{port}"), auth()).unwrap();
    let error = driver.verify_connectivity().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable);
    assert!(error.to_string().contains("no router answered"), "{error}");
}

#[tokio::test]
async fn a_missing_database_is_reported_by_the_router_not_retried_elsewhere() {
    let server = EmbeddedServer::start(ServerConfig::new()).expect("the embedded server starts");
    let driver = Driver::new(&routing_uri(&server), auth()).unwrap();
    let mut session = driver.session(SessionConfig::default().with_database("nope"));
    let error = session.run("RETURN 1").await.unwrap_err();
    assert_eq!(
        error.code(),
        Some("Neo.ClientError.Database.DatabaseNotFound"),
        "{error}"
    );
}
