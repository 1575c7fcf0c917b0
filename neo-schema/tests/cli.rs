//! The `neo-schema` binary against an embedded server: the file or standard
//! output it writes, its exit codes, and what it never prints.

use std::path::PathBuf;
use std::process::{Command, Output};

use neo_embedded::{EmbeddedServer, ServerConfig};
use neo_runtime::{AuthToken, Driver, SessionConfig};
use neo_schema::{ExportError, ExportOptions, export};

/// The graph and the file its export writes, shared with the library's
/// acceptance tests (`tests/acceptance/schema_export.rs`).
const GRAPH: &str = include_str!("../../tests/fixtures/schema/graph.cypher");
const EXPECTED: &str = include_str!("../../tests/fixtures/schema/expected.toml");

fn expected_file(uri: &str) -> String {
    EXPECTED.replace("{uri}", uri)
}

async fn server_with_graph() -> EmbeddedServer {
    let server = EmbeddedServer::start(ServerConfig::new()).expect("the server starts");
    let driver = Driver::new(&server.uri(), AuthToken::basic("neo4j", "password")).unwrap();
    let mut session = driver.session(SessionConfig::default()).unwrap();
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

#[tokio::test]
async fn help_prints_the_usage() {
    let out = run_binary(&["--help"], &[]).await;
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("usage: neo-schema [--uri URI]"));
    let out = run_binary(&["--frobnicate"], &[]).await;
    assert_eq!(out.status.code(), Some(2));
}
