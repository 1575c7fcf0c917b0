//! Compile-time checked query modules, run against the embedded server.

use neo_embedded::Trigger;
use neo_runtime::StatusCode;
use neo_runtime::{AuthToken, Driver, FromRecord, Record, RowColumns, SessionConfig};

/// A row type with the columns it reads (what `#[derive(Record)]` provides).
#[derive(Debug, PartialEq)]
pub(crate) struct Person {
    name: String,
    born: Option<i64>,
}

impl FromRecord for Person {
    fn from_record(record: &Record) -> neo_runtime::Result<Self> {
        Ok(Person {
            name: record.get_as("name")?,
            born: record.get_as("born")?,
        })
    }
}

impl RowColumns for Person {
    const COLUMNS: Option<&'static [&'static str]> = Some(&["name", "born"]);
}

#[neo_runtime::queries]
mod people {
    use super::Person;
    use neo_runtime::{Record, ResultSummary};

    /// Adds a person.
    #[query("CREATE (p:Person {name: $name, born: $born})")]
    pub fn add(name: &str, born: i64) -> ResultSummary;

    /// People with this name.
    #[query("MATCH (p:Person {name: $name}) RETURN p.name AS name, p.born AS born")]
    pub fn by_name(name: &str) -> Vec<Person>;

    /// Everyone, oldest first; columns in another order than the fields.
    #[query("MATCH (p:Person) RETURN p.born AS born, p.name AS name ORDER BY born")]
    pub fn everyone() -> Vec<Person>;

    /// The one person with this name, if any.
    #[query("MATCH (p:Person {name: $name}) RETURN p.name AS name, p.born AS born")]
    pub fn find(name: &str) -> Option<Person>;

    /// How many people there are, with a timeout and transaction metadata.
    #[query(
        timeout = 2,
        metadata(app = "hr", version = 2),
        "MATCH (p:Person) RETURN count(p) AS n"
    )]
    pub fn count() -> Record;

    /// From a file next to the crate's manifest.
    #[query(file = "fixtures/add_employee.cypher")]
    pub fn add_employee(person_name: &str, company_name: &str);

    /// Syntax the checker does not cover, parameters still checked.
    #[query(
        unchecked,
        read,
        "MATCH (p:Person) WHERE p.born > $after RETURN p.name AS name"
    )]
    pub fn born_after(after: i64) -> Vec<Record>;
}

/// A row read by a query checked against a schema file: each field accepts
/// the declared type of its column.
#[derive(Debug, PartialEq, neo_runtime::Record)]
pub(crate) struct Role {
    name: String,
    born: Option<i64>,
    roles: Vec<String>,
}

#[neo_runtime::queries(schema = "fixtures/neo-schema.toml")]
mod movies {
    use super::Role;

    /// Casts a person in a movie.
    #[query(
        "MERGE (p:Person {name: $person}) ON CREATE SET p.born = $born \
         MERGE (m:Movie {title: $title}) \
         CREATE (p)-[:ACTED_IN {roles: $roles}]->(m)"
    )]
    pub fn cast(person: &str, born: i64, title: &str, roles: Vec<String>);

    /// The cast of a movie.
    #[query(
        "MATCH (p:Person)-[r:ACTED_IN]->(m:Movie {title: $title}) \
         RETURN p.name AS name, p.born AS born, r.roles AS roles ORDER BY name"
    )]
    pub fn cast_of(title: &str) -> Vec<Role>;
}

#[tokio::test]
async fn generated_functions_run_their_queries() {
    let (server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    for (name, born) in [("Ann", 1990), ("Bob", 1985)] {
        let summary = people::add(&mut session, name, born).await.unwrap();
        assert_eq!(summary.counters().nodes_created, 1);
    }
    assert_eq!(
        people::by_name(&mut session, "Ann").await.unwrap(),
        [Person {
            name: "Ann".into(),
            born: Some(1990)
        }]
    );
    let everyone = people::everyone(&mut session).await.unwrap();
    assert_eq!(
        everyone.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["Bob", "Ann"]
    );
    assert_eq!(people::find(&mut session, "Zed").await.unwrap(), None);
    let count = people::count(&mut session).await.unwrap();
    assert_eq!(count.get_as::<i64>("n").unwrap(), 2);
    people::add_employee(&mut session, "Ann", "Acme")
        .await
        .unwrap();
    let after = people::born_after(&mut session, 1986).await.unwrap();
    assert_eq!(after.len(), 1);

    // Reads run as read transactions, writes as write transactions.
    server.controls().reset_counts();
    people::by_name(&mut session, "Ann").await.unwrap();
    assert_eq!(server.controls().received("BEGIN"), 1);
}

#[tokio::test]
async fn generated_functions_are_retried_like_transaction_functions() {
    let (server, _) = neo_tests::start();
    server.controls().fail(
        Trigger::on("RUN").query_contains("CREATE"),
        1,
        StatusCode::DEADLOCK_DETECTED.code(),
        "deadlock",
    );
    let driver = Driver::with_config(
        &server.uri(),
        AuthToken::basic("neo4j", "password"),
        neo_runtime::DriverConfig::default().with_retry_policy(
            neo_runtime::RetryPolicy::default()
                .with_initial_delay(std::time::Duration::from_millis(5)),
        ),
    )
    .unwrap();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    people::add(&mut session, "Cy", 2000).await.unwrap();
    assert_eq!(people::everyone(&mut session).await.unwrap().len(), 1);
    drop(server);
}

#[tokio::test]
async fn queries_checked_against_a_schema_file_run() {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    movies::cast(
        &mut session,
        "Keanu",
        1964,
        "The Matrix",
        vec!["Neo".into()],
    )
    .await
    .unwrap();
    movies::cast(
        &mut session,
        "Carrie-Anne",
        1967,
        "The Matrix",
        vec!["Trinity".into()],
    )
    .await
    .unwrap();
    assert_eq!(
        movies::cast_of(&mut session, "The Matrix").await.unwrap(),
        [
            Role {
                name: "Carrie-Anne".into(),
                born: Some(1967),
                roles: vec!["Trinity".into()],
            },
            Role {
                name: "Keanu".into(),
                born: Some(1964),
                roles: vec!["Neo".into()],
            },
        ]
    );
    assert!(
        movies::cast_of(&mut session, "Speed")
            .await
            .unwrap()
            .is_empty()
    );
}

/// Queries that run as auto-commit queries, not retried.
#[neo_runtime::queries]
mod batches {
    use neo_runtime::ResultSummary;

    /// `CALL { … } IN TRANSACTIONS` runs only in an auto-commit
    /// transaction.
    #[query(
        "UNWIND $names AS name CALL { WITH name CREATE (:Person {name: name}) } IN TRANSACTIONS OF 2 ROWS"
    )]
    pub fn import(names: &[&str]) -> ResultSummary;

    /// The same, found by scanning the text rather than parsing it.
    #[query(
        unchecked,
        "UNWIND $names AS name CALL { WITH name CREATE (:Person {name: name}) } IN TRANSACTIONS OF 2 ROWS"
    )]
    pub fn import_unchecked(names: &[&str]) -> ResultSummary;

    /// A person per name, in one auto-commit query of at most 100 ms.
    #[query(
        auto_commit,
        timeout = "100ms",
        metadata(app = "import"),
        "UNWIND $names AS name CREATE (:Person {name: name})"
    )]
    pub fn add_within(names: &[&str]) -> ResultSummary;

    /// The same with the server's default timeout.
    #[query(auto_commit, "UNWIND $names AS name CREATE (:Person {name: name})")]
    pub fn add(names: &[&str]) -> ResultSummary;
}

/// An embedded server and a driver connected to it.
fn server_and_driver() -> (neo_embedded::EmbeddedServer, Driver) {
    let server = neo_embedded::EmbeddedServer::start(neo_embedded::ServerConfig::new())
        .expect("the server starts");
    let driver = Driver::new(&server.uri(), AuthToken::basic("neo4j", "password")).unwrap();
    (server, driver)
}

#[tokio::test]
async fn in_transactions_queries_run_as_auto_commit_queries() {
    let (server, driver) = server_and_driver();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    // The server runs `IN TRANSACTIONS` only in an auto-commit transaction
    // (in an explicit one it fails with TransactionStartFailed), so the
    // batches commit only when sent as one RUN without BEGIN.
    server.controls().reset_counts();
    let summary = batches::import(&mut session, &["Ann", "Bob", "Cy"])
        .await
        .unwrap();
    assert_eq!(summary.counters().nodes_created, 3);
    assert_eq!(server.controls().received("BEGIN"), 0);
    assert_eq!(server.controls().received("RUN"), 1);
    let summary = batches::import_unchecked(&mut session, &["Ann", "Bob", "Cy"])
        .await
        .unwrap();
    assert_eq!(summary.counters().nodes_created, 3);
    assert_eq!(server.controls().received("BEGIN"), 0);
    assert_eq!(server.controls().received("RUN"), 2);
    // A query without `IN TRANSACTIONS` is a transaction function.
    server.controls().reset_counts();
    people::add(&mut session, "Di", 1990).await.unwrap();
    assert_eq!(server.controls().received("BEGIN"), 1);
}

#[tokio::test]
async fn auto_commit_queries_run_without_begin() {
    let (server, driver) = server_and_driver();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    server.controls().reset_counts();
    let summary = batches::add_within(&mut session, &["Ann", "Bob"])
        .await
        .unwrap();
    assert_eq!(summary.counters().nodes_created, 2);
    assert_eq!(server.controls().received("BEGIN"), 0);
    assert_eq!(server.controls().received("RUN"), 1);
    assert_eq!(people::everyone(&mut session).await.unwrap().len(), 2);
}

#[tokio::test]
async fn auto_commit_queries_are_not_retried() {
    let (server, driver) = server_and_driver();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    server.controls().reset_counts();
    let deadlock = |text: &str| {
        server.controls().fail(
            Trigger::on("RUN").query_contains(text),
            1,
            "Neo.TransientError.Transaction.DeadlockDetected",
            "deadlock",
        );
    };
    deadlock("CREATE (:Person");
    let error = batches::add(&mut session, &["Ann"]).await.unwrap_err();
    assert_eq!(
        error.code(),
        Some("Neo.TransientError.Transaction.DeadlockDetected")
    );
    assert_eq!(server.controls().received("RUN"), 1);
    deadlock("IN TRANSACTIONS");
    let error = batches::import(&mut session, &["Ann"]).await.unwrap_err();
    assert_eq!(
        error.code(),
        Some("Neo.TransientError.Transaction.DeadlockDetected")
    );
    assert_eq!(server.controls().received("RUN"), 2);
    assert!(people::everyone(&mut session).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_auto_commit_query_carries_its_timeout() {
    let (server, driver) = server_and_driver();
    // The rows are pulled after the 100 ms the query allows itself.
    server
        .controls()
        .delay(Trigger::on("PULL"), std::time::Duration::from_millis(400));
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let error = batches::add_within(&mut session, &["Ann"])
        .await
        .unwrap_err();
    assert_eq!(
        error.code(),
        Some("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration")
    );
    // Without a timeout, the same delay is no problem.
    let summary = batches::add(&mut session, &["Bob"]).await.unwrap();
    assert_eq!(summary.counters().nodes_created, 1);
    server.controls().clear_faults();
    let everyone = people::everyone(&mut session).await.unwrap();
    assert_eq!(
        everyone.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["Bob"]
    );
}
