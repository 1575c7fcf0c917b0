//! The schema export (`neo-schema`) as a library against an embedded server:
//! the exact file text, its TOML round trip, and a missing database. The
//! binary's own behaviour is tested in `neo-schema/tests/cli.rs`.

use neo_runtime::SessionConfig;
use neo_schema::{ExportError, ExportOptions, Schema, export};
use neo_tests::{PASSWORD, USER};

const GRAPH: &str = include_str!("../fixtures/schema/graph.cypher");
const EXPECTED: &str = include_str!("../fixtures/schema/expected.toml");

/// The file the export of [`GRAPH`] from `uri` writes.
fn expected_file(uri: &str) -> String {
    EXPECTED.replace("{uri}", uri)
}

async fn server_with_graph() -> neo_embedded::EmbeddedServer {
    let (server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    session.run(GRAPH).await.unwrap().consume().await.unwrap();
    session.close().await;
    driver.close().await;
    server
}

#[tokio::test]
async fn the_library_exports_the_exact_file() {
    let server = server_with_graph().await;
    let options = ExportOptions::new(server.uri()).with_auth(USER, PASSWORD);
    let exported = export(&options).await.unwrap();
    assert_eq!(exported.to_toml(), expected_file(&server.uri()));
    assert_eq!(exported.database, "neo4j");
    assert_eq!(exported.source, server.uri());
    server.shutdown().await;
}

#[tokio::test]
async fn checked_queries_read_back_every_name_and_type() {
    let server = server_with_graph().await;
    let options = ExportOptions::new(server.uri()).with_auth(USER, PASSWORD);
    let exported = export(&options).await.unwrap();
    let read = Schema::parse(&exported.to_toml()).expect("the reader accepts it");

    let label = read.label("My.Label").expect("a label with a dot");
    let quoted = label.property("a\"b").expect("a key with a quote");
    assert_eq!(quoted.ty.to_string(), "STRING");
    assert!(quoted.not_null);
    assert!(read.label("Say \"hi\" \\ there").is_some());
    let since = read
        .relationship_type("KNOWS WELL")
        .and_then(|t| t.property("since"))
        .expect("a type with a space");
    assert_eq!(since.ty.to_string(), "INTEGER");
    assert!(since.not_null);
    let born = read
        .label("Person")
        .and_then(|person| person.property("born"))
        .expect("a property of two types");
    assert_eq!(born.ty.to_string(), "INTEGER | STRING");
    assert!(!born.not_null);

    // Every label, type, property, type and NOT NULL reads back as exported.
    assert_eq!(read, exported.schema);
    server.shutdown().await;
}

#[tokio::test]
async fn a_missing_database_is_named() {
    let server = server_with_graph().await;
    let options = ExportOptions::new(server.uri())
        .with_auth(USER, PASSWORD)
        .with_database("nosuch");
    let err = export(&options).await.unwrap_err();
    assert!(
        matches!(err, ExportError::DatabaseNotFound { .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!("database `nosuch` does not exist at {}", server.uri())
    );
    assert_eq!(err.exit_code(), 1);
    server.shutdown().await;
}
