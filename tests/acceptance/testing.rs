//! `#[neo_runtime::test]` and `neo_runtime::testing` (feature `testing`):
//! a fresh database per test, fixtures, and the rules on a server of the
//! user's (`NEO4J_URI`), here played by an embedded server.

use std::process::Command;

use neo_embedded::{EmbeddedServer, ServerConfig};
use neo_runtime::testing::{TestDatabase, TestServer};
use neo_runtime::{Driver, ErrorKind, QueryConfig, Session, SessionConfig};

/// The names of the `:Person` nodes, in order, read through `session`.
async fn names(session: &mut Session) -> Vec<String> {
    let mut result = session
        .run("MATCH (p:Person) RETURN p.name AS name ORDER BY name")
        .await
        .unwrap();
    let mut names = Vec::new();
    while let Some(record) = result.next().await {
        names.push(record.unwrap().get_as("name").unwrap());
    }
    names
}

/// The databases a server has, by name.
async fn databases(driver: &Driver) -> Vec<String> {
    let mut session = driver
        .session(SessionConfig::default().with_database("system"))
        .unwrap();
    let records = session
        .run("SHOW DATABASES")
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    session.close().await;
    records
        .iter()
        .map(|record| record.get_as::<String>("name").unwrap())
        .collect()
}

#[neo_runtime::test]
async fn a_test_gets_a_connected_driver_and_an_empty_database(driver: Driver) {
    driver.verify_connectivity().await.unwrap();
    assert_eq!(
        neo_tests::count(&driver, "MATCH (n) RETURN count(n) AS n").await,
        0
    );
}

#[neo_runtime::test(fixtures("people", "movies"))]
async fn fixtures_are_applied_in_order_before_the_body(mut session: Session) {
    assert_eq!(
        names(&mut session).await,
        ["Ann; the first", "Bob", "Cy"],
        "one statement per `;` outside strings and comments"
    );
    // `movies` matched the people `people` had created.
    let actors: i64 = session
        .run("MATCH (:Person)-[:ACTED_IN]->(:Movie {title: 'Heat'}) RETURN count(*) AS n")
        .await
        .unwrap()
        .single()
        .await
        .unwrap()
        .get_as("n")
        .unwrap();
    assert_eq!(actors, 2);
}

#[neo_runtime::test(fixtures("people"))]
async fn execute_query_sees_the_fixtures(driver: Driver) -> neo_runtime::Result<()> {
    let result = driver
        .execute_query(
            "MATCH (p:Person) RETURN count(p) AS n",
            QueryConfig::default(),
        )
        .await?;
    assert_eq!(result.records[0].get_as::<i64>("n")?, 3);
    Ok(())
}

// Two tests writing the same data, run in parallel: each sees only its own.
#[neo_runtime::test]
async fn tests_share_nothing_first(mut session: Session) {
    session
        .run("CREATE (:Person {name: 'only me'})")
        .await
        .unwrap();
    assert_eq!(names(&mut session).await, ["only me"]);
}

#[neo_runtime::test]
async fn tests_share_nothing_second(mut session: Session) {
    session
        .run("CREATE (:Person {name: 'only me'})")
        .await
        .unwrap();
    assert_eq!(names(&mut session).await, ["only me"]);
}

#[neo_runtime::test]
async fn a_test_may_take_no_argument() -> Result<(), String> {
    Ok(())
}

#[neo_runtime::test]
#[should_panic(expected = "the body's own panic")]
async fn a_panic_in_the_body_fails_the_test(driver: Driver) {
    driver.verify_connectivity().await.unwrap();
    panic!("the body's own panic");
}

#[neo_runtime::test(fixtures("failing"))]
#[should_panic(
    expected = "the fixture `failing` was not applied: the statement at fixtures/failing.cypher, line 2, failed"
)]
async fn a_fixture_the_server_refuses_fails_the_test_naming_its_line(_session: Session) {
    unreachable!("the body does not run after a fixture failed");
}

#[tokio::test]
async fn a_database_on_a_server_is_created_for_the_test_and_dropped_after() {
    let (server, admin) = neo_tests::start();
    let test_server = TestServer::new(server.uri(), neo_tests::auth());
    let database = TestDatabase::on_server(&test_server, "acceptance::one_test")
        .await
        .unwrap();
    let name = database.database().unwrap().to_owned();
    assert!(name.starts_with("test-one-test-"), "{name}");
    assert!(databases(&admin).await.contains(&name));

    // The driver's sessions use the test's database when they name none.
    assert_eq!(
        database.driver().config().default_database(),
        Some(name.as_str())
    );
    let mut session = database.session().unwrap();
    session.run("CREATE (:Person {name: 'Ann'})").await.unwrap();
    assert_eq!(names(&mut session).await, ["Ann"]);
    session.close().await;
    assert_eq!(
        neo_tests::count_people(&admin).await,
        0,
        "`neo4j` is untouched"
    );

    database.close().await.unwrap();
    assert!(!databases(&admin).await.contains(&name), "dropped");
}

#[tokio::test]
async fn a_shared_database_is_used_only_when_empty_and_emptied_after() {
    let (server, admin) = neo_tests::start();
    let shared = TestServer::new(server.uri(), neo_tests::auth()).with_shared_database("neo4j");

    let database = TestDatabase::on_server(&shared, "acceptance::shared")
        .await
        .unwrap();
    assert_eq!(database.database(), Some("neo4j"));
    let mut session = database.session().unwrap();
    session
        .run("CREATE (:Person)-[:KNOWS]->(:Person)")
        .await
        .unwrap();
    session.close().await;
    database.close().await.unwrap();
    assert_eq!(
        neo_tests::count(&admin, "MATCH (n) RETURN count(n) AS n").await,
        0
    );

    // Data the test did not create: the test does not start, and the data
    // stays.
    let mut session = admin.session(SessionConfig::default()).unwrap();
    session
        .run("CREATE (:Person {name: 'precious'})")
        .await
        .unwrap();
    session.close().await;
    let error = TestDatabase::on_server(&shared, "acceptance::shared")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Usage);
    assert!(
        error
            .to_string()
            .starts_with("the shared test database `neo4j` (NEO4J_TEST_DATABASE) holds 1 node(s)"),
        "{error}"
    );
    assert_eq!(neo_tests::count_people(&admin).await, 1);
}

#[tokio::test]
async fn a_server_that_cannot_create_the_database_is_an_error_saying_what_to_do() {
    let (server, _admin) = neo_tests::start();
    let wrong_password = neo_runtime::AuthToken::basic(neo_tests::USER, "wrong");
    let test_server = TestServer::new(server.uri(), wrong_password);
    let error = TestDatabase::on_server(&test_server, "acceptance::refused")
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains(
            "Unset NEO4J_URI to test against an embedded server, or set NEO4J_TEST_DATABASE"
        ),
        "{message}"
    );
}

/// Run by `a_test_runs_against_neo4j_uri_in_a_database_of_its_own`, in a
/// process of its own with `NEO4J_URI` set; ignored otherwise.
#[neo_runtime::test(fixtures("people"))]
#[ignore = "run in a child process with NEO4J_URI set"]
async fn child_against_neo4j_uri(driver: Driver) {
    let database = driver.config().default_database().unwrap().to_owned();
    assert!(
        database.starts_with("test-child-against-neo4j-uri-"),
        "{database}"
    );
    assert!(databases(&driver).await.contains(&database));
    let mut session = driver.session(SessionConfig::default()).unwrap();
    assert_eq!(names(&mut session).await, ["Ann; the first", "Bob", "Cy"]);
    session.close().await;
}

#[tokio::test]
async fn a_test_runs_against_neo4j_uri_in_a_database_of_its_own() {
    let server = EmbeddedServer::start(ServerConfig::new()).unwrap();
    let admin = Driver::new(&server.uri(), neo_tests::auth()).unwrap();
    let uri = server.uri();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(std::env::current_exe().unwrap())
            .args(["--ignored", "--exact", "testing::child_against_neo4j_uri"])
            .env("NEO4J_URI", uri)
            .env("NEO4J_USER", neo_tests::USER)
            .env("NEO4J_PASSWORD", neo_tests::PASSWORD)
            .env_remove("NEO4J_TEST_DATABASE")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        databases(&admin).await,
        ["neo4j", "system"],
        "dropped after"
    );
    assert_eq!(
        neo_tests::count_people(&admin).await,
        0,
        "`neo4j` is untouched"
    );
}
