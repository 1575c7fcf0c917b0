//! The export against an embedded server, through the library and the
//! binary: the exact file text, its TOML round trip, and the failures.

use std::path::PathBuf;
use std::process::{Command, Output};

use neo_embedded::{EmbeddedServer, ServerConfig};
use neo_runtime::{AuthToken, Driver, SessionConfig};
use neo_schema::{ExportError, ExportOptions, Schema, export};

const GRAPH: &str = "CREATE (keanu:Person {name: 'Keanu', born: 1964}), \
     (carrie:Person {name: 'Carrie', born: '1967'}), \
     (:Person {name: 'Laurence', nick: 'Larry'}), \
     (hugo:Person:Actor {name: 'Hugo', born: 1960, height: 1.88, tags: ['a', 'b']}), \
     (matrix:Movie), \
     (:`Odd Label` {`odd key`: true, day: date('2024-01-02')}), \
     (:`My.Label`:`Say \"hi\" \\ there` {`a\"b`: 'x', at: datetime('2024-01-02T03:04:05Z')}), \
     (keanu)-[:ACTED_IN {roles: ['Neo']}]->(matrix), \
     (carrie)-[:ACTED_IN {roles: ['Trinity'], lead: false}]->(matrix), \
     (keanu)-[:`KNOWS WELL` {since: 1999}]->(carrie), \
     (hugo)-[:LIKES]->(matrix)";

fn expected_file(uri: &str) -> String {
    format!(
        r#"# neo-schema.toml: labels, relationship types and property types of database `neo4j`
# exported from {uri} by `neo-schema`; checked queries read it at compile time.
[nodes.Actor]
born = "INTEGER NOT NULL"
height = "FLOAT NOT NULL"
name = "STRING NOT NULL"
tags = "LIST<STRING> NOT NULL"

[nodes.Movie]

[nodes."My.Label"]
"a\"b" = "STRING NOT NULL"
at = "ZONED DATETIME NOT NULL"

[nodes."Odd Label"]
day = "DATE NOT NULL"
"odd key" = "BOOLEAN NOT NULL"

[nodes.Person]
born = "INTEGER | STRING"
height = "FLOAT"
name = "STRING NOT NULL"
nick = "STRING"
tags = "LIST<STRING>"

[nodes."Say \"hi\" \\ there"]
"a\"b" = "STRING NOT NULL"
at = "ZONED DATETIME NOT NULL"

[relationships.ACTED_IN]
lead = "BOOLEAN"
roles = "LIST<STRING> NOT NULL"

[relationships."KNOWS WELL"]
since = "INTEGER NOT NULL"

[relationships.LIKES]
"#
    )
}

async fn server_with_graph() -> EmbeddedServer {
    let server = EmbeddedServer::start(ServerConfig::new()).expect("the server starts");
    let driver = Driver::new(&server.uri(), AuthToken::basic("neo4j", "password")).unwrap();
    let mut session = driver.session(SessionConfig::default());
    session.run(GRAPH).await.unwrap().consume().await.unwrap();
    session.close().await;
    driver.close().await;
    server
}

/// Runs the binary with `args` and `env` (and no inherited Neo4j variables).
async fn run_binary(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_neo-schema"));
    command
        .args(args)
        .env_remove("NEO4J_URI")
        .env_remove("NEO4J_USER")
        .env_remove("NEO4J_PASSWORD")
        .envs(env.iter().copied());
    tokio::task::spawn_blocking(move || command.output().expect("the binary runs"))
        .await
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn scratch_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("neo-schema-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[tokio::test]
async fn the_library_exports_the_exact_file() {
    let server = server_with_graph().await;
    let options = ExportOptions::new(server.uri()).with_auth("neo4j", "password");
    let exported = export(&options).await.unwrap();
    assert_eq!(exported.to_toml(), expected_file(&server.uri()));
    assert_eq!(exported.database, "neo4j");
    assert_eq!(exported.source, server.uri());
    server.shutdown().await;
}

#[tokio::test]
async fn checked_queries_read_back_every_name_and_type() {
    let server = server_with_graph().await;
    let options = ExportOptions::new(server.uri()).with_auth("neo4j", "password");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_writes_the_file_or_standard_output() {
    let server = server_with_graph().await;
    let uri = server.uri();
    let path = scratch_file("written.toml");
    let out = run_binary(
        &[
            "--uri",
            &uri,
            "--user",
            "neo4j",
            "--output",
            path.to_str().unwrap(),
        ],
        &[("NEO4J_PASSWORD", "password")],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected_file(&uri));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("wrote 6 labels and 3 relationship types"));

    let out = run_binary(
        &["--uri", &uri, "--password=password", "--database", "neo4j"],
        &[],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), expected_file(&uri));
    let _ = std::fs::remove_file(path);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_a_clear_error_with_exit_code_3() {
    let uri = format!("bolt://127.0.0.1:{}", closed_port());
    let err = export(&ExportOptions::new(uri.as_str()).with_auth("neo4j", "pw"))
        .await
        .unwrap_err();
    assert!(matches!(err, ExportError::Unreachable { .. }), "{err:?}");
    assert_eq!(err.exit_code(), 3);

    let out = run_binary(&["--uri", &uri, "--password", "pw"], &[]).await;
    assert_eq!(out.status.code(), Some(3));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(&format!("neo-schema: cannot connect to {uri}")),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_uri_is_a_usage_error_with_exit_code_2() {
    for uri in [
        "http://localhost:7687",
        "bolt://localhost:7687/db",
        "bolt://",
    ] {
        let err = export(&ExportOptions::new(uri)).await.unwrap_err();
        assert!(
            matches!(err, ExportError::InvalidUri { .. }),
            "{uri}: {err:?}"
        );
    }
    let out = run_binary(&["--uri", "http://localhost:7687"], &[]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("neo-schema: invalid URI: "),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_exit_with_4_and_never_show_the_password() {
    let server = server_with_graph().await;
    let uri = server.uri();
    let out = run_binary(&["--uri", &uri, "--password", "hunter2-wrong"], &[]).await;
    assert_eq!(out.status.code(), Some(4));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("neo-schema: authentication failed for user `neo4j`"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");

    let out = run_binary(&["--uri", &uri], &[("NEO4J_USER", "neo4j")]).await;
    assert_eq!(out.status.code(), Some(4));
    assert!(text(&out.stderr).contains("no password given"));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_database_is_named() {
    let server = server_with_graph().await;
    let options = ExportOptions::new(server.uri())
        .with_auth("neo4j", "password")
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

#[tokio::test]
async fn help_prints_the_usage() {
    let out = run_binary(&["--help"], &[]).await;
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("usage: neo-schema [--uri URI]"));
    let out = run_binary(&["--frobnicate"], &[]).await;
    assert_eq!(out.status.code(), Some(2));
}
