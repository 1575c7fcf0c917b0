//! The session API in a few minutes: transaction functions, auto-commit
//! queries with a timeout, retained results and bookmarks.
//!
//! Runs against `NEO4J_URI` (with `NEO4J_USER` / `NEO4J_PASSWORD`) when set,
//! otherwise against an embedded server started in-process:
//!
//! ```sh
//! cargo run --example quickstart
//! ```

use std::time::Duration;

use neo_runtime::{AccessMode, ManagedTransaction, Query, Record, SessionConfig, unit_of_work};

/// Creates a person and returns the node's id, as a write transaction
/// retried on transient failures. It may run more than once, so it only
/// does what is safe to repeat.
#[unit_of_work(write, timeout = 5)]
async fn create_person(tx: &mut ManagedTransaction<'_>, name: &str) -> neo_runtime::Result<i64> {
    let record = tx
        .run(Query::new("CREATE (a:Person {name: $name}) RETURN id(a) AS id").param("name", name))
        .await?
        .single()
        .await?;
    record.get_as("id")
}

/// One row of `match_person_nodes`, decoded by column name.
#[derive(Debug, Record)]
struct Person {
    name: String,
}

/// The names of every person, in order, as a read transaction.
#[unit_of_work(read)]
async fn match_person_nodes(tx: &mut ManagedTransaction<'_>) -> neo_runtime::Result<Vec<String>> {
    let mut result = tx
        .run("MATCH (a:Person) RETURN a.name AS name ORDER BY a.name")
        .await?;
    let mut names = Vec::new();
    while let Some(person) = result.next_into::<Person>().await {
        names.push(person?.name);
    }
    Ok(names)
}

/// Links one person to a company.
async fn add_employee_to_company(
    tx: &mut ManagedTransaction<'_>,
    person: &Record,
    company_name: &str,
) -> neo_runtime::Result<i64> {
    tx.run(
        Query::new(
            "MATCH (emp:Person {name: $person_name}) \
             MERGE (com:Company {name: $company_name}) \
             MERGE (emp)-[:WORKS_FOR]->(com)",
        )
        .param("person_name", person.get("name")?)
        .param("company_name", company_name),
    )
    .await?
    .consume()
    .await?;
    Ok(1)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Connect to NEO4J_URI, or to an embedded server.
    let connection = neo_examples::connect().await?;
    let driver = connection.driver.clone();
    let info = driver.server_info().await?;
    println!(
        "connected to {} over Bolt {}",
        info.agent, info.protocol_version
    );

    // 1.2 Transaction functions: write, then read.
    let mut session = driver.session(SessionConfig::default())?;
    for name in ["Alice", "Bob"] {
        let id = create_person(&mut session, name).await?;
        println!("created {name} with id {id}");
    }
    let people = match_person_nodes(&mut session).await?;
    println!("people: {people:?}");

    // 1.3 Auto-commit queries, one of them with a one-second timeout.
    session
        .run(Query::new("CREATE (a:Person {name: $name})").param("name", "Carol"))
        .await?
        .consume()
        .await?;
    let summary = session
        .run(
            Query::new("CREATE (a:Person {name: $name})")
                .param("name", "Dave")
                .with_timeout(Duration::from_secs(1)),
        )
        .await?
        .consume()
        .await?;
    println!(
        "auto-commit with a 1 s timeout created {} node(s)",
        summary.counters().nodes_created
    );

    // 1.5 Retaining results: read everyone, then one write per person.
    let persons = session
        .execute_read(async |tx| {
            tx.run("MATCH (a:Person) RETURN a.name AS name")
                .await?
                .collect()
                .await
        })
        .await?;
    let mut employees = 0;
    for person in &persons {
        employees += session
            .execute_write(async |tx| add_employee_to_company(tx, person, "Acme").await)
            .await?;
    }
    println!("added {employees} employees to Acme");

    // 2. Bookmarks: a second session sees the first one's writes.
    let bookmarks = session.last_bookmarks().await;
    session.close().await;
    let mut reader = driver.session(
        SessionConfig::default()
            .with_bookmarks(bookmarks.clone())
            .with_default_access_mode(AccessMode::Read),
    )?;
    let record = reader
        .run(
            "MATCH (:Person)-[:WORKS_FOR]->(c:Company) RETURN c.name AS company, count(*) AS staff",
        )
        .await?
        .single()
        .await?;
    println!(
        "after bookmark {bookmarks:?}: {} has {} employees",
        record.get("company")?.as_str().unwrap_or_default(),
        record.get("staff")?.as_i64().unwrap_or_default()
    );
    reader.close().await;
    driver.close().await;
    Ok(())
}
