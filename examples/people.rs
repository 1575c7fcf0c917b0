//! Nodes, relationships and nested results mapped to Rust structs, with
//! units of work declared by `#[unit_of_work]`.
//!
//! Runs against `NEO4J_URI` (with `NEO4J_USER` / `NEO4J_PASSWORD`) when set,
//! otherwise against an embedded server started in-process:
//!
//! ```sh
//! cargo run --example people
//! ```

use neo_runtime::{
    ManagedTransaction, Node, Query, Record, Relationship, Result, SessionConfig, unit_of_work,
};
use serde::Serialize;

/// A person as stored: a `:Person` node.
#[derive(Debug, Node)]
#[neo(label = "Person")]
struct Person {
    #[neo(element_id)]
    element_id: String,
    /// Labels beyond `Person`, such as `Manager`.
    #[neo(labels)]
    roles: Vec<String>,
    name: String,
    born: Option<i64>,
}

/// A `:KNOWS` relationship.
#[derive(Debug, Relationship)]
#[neo(rel_type = "KNOWS")]
struct Knows {
    #[neo(start_element_id)]
    from: String,
    #[neo(end_element_id)]
    to: String,
    since: i64,
}

/// One row of the friendship query: nested nodes, relationships and lists.
#[derive(Debug, Record)]
struct Friendships {
    person: Person,
    knows: Vec<Knows>,
    friends: Vec<Person>,
    #[neo(rename = "friendCount")]
    friend_count: i64,
}

/// A row sent as a parameter: any `Serialize` struct is a map.
#[derive(Serialize)]
struct NewPerson<'a> {
    name: &'a str,
    born: i64,
}

/// Creates the people and who knows whom. `MERGE` keeps it idempotent,
/// since a unit of work may run more than once.
#[unit_of_work(write, timeout = "5s", metadata(app = "people-example"))]
async fn create_network(tx: &mut ManagedTransaction<'_>, people: &[NewPerson<'_>]) -> Result<()> {
    tx.run(
        Query::new("UNWIND $rows AS row MERGE (p:Person {name: row.name}) SET p.born = row.born")
            .param("rows", people),
    )
    .await?
    .consume()
    .await?;
    tx.run("MATCH (p:Person {name: 'Ann'}) SET p:Manager")
        .await?
        .consume()
        .await?;
    for (from, to, since) in [
        ("Ann", "Ben", 2010),
        ("Ann", "Cid", 2015),
        ("Ben", "Cid", 2020),
    ] {
        tx.run(
            Query::new(
                "MATCH (a:Person {name: $from}), (b:Person {name: $to}) \
                 MERGE (a)-[k:KNOWS]->(b) SET k.since = $since",
            )
            .param("from", from)
            .param("to", to)
            .param("since", since),
        )
        .await?
        .consume()
        .await?;
    }
    Ok(())
}

/// Everyone with the people they know, ordered by name.
#[unit_of_work(read)]
async fn friendships(tx: &mut ManagedTransaction<'_>) -> Result<Vec<Friendships>> {
    let mut result = tx
        .run(
            "MATCH (p:Person) OPTIONAL MATCH (p)-[k:KNOWS]->(f:Person) \
             RETURN p.name AS name, p AS person, collect(k) AS knows, collect(f) AS friends, \
             count(f) AS friendCount ORDER BY name",
        )
        .await?;
    let mut rows = Vec::new();
    while let Some(row) = result.next_into::<Friendships>().await {
        rows.push(row?);
    }
    Ok(rows)
}

/// One person, read from a record of one node column.
#[unit_of_work(read)]
async fn find(tx: &mut ManagedTransaction<'_>, name: &str) -> Result<Option<Person>> {
    let mut result = tx
        .run(Query::new("MATCH (p:Person {name: $name}) RETURN p").param("name", name))
        .await?;
    result.next_into::<Person>().await.transpose()
}

#[tokio::main]
async fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let connection = neo_examples::connect().await?;
    let driver = connection.driver.clone();
    let mut session = driver.session(SessionConfig::default())?;

    let people = [
        NewPerson {
            name: "Ann",
            born: 1980,
        },
        NewPerson {
            name: "Ben",
            born: 1990,
        },
        NewPerson {
            name: "Cid",
            born: 2000,
        },
    ];
    create_network(&mut session, &people).await?;

    for row in friendships(&mut session).await? {
        let names: Vec<&str> = row.friends.iter().map(|f| f.name.as_str()).collect();
        let since: Vec<i64> = row.knows.iter().map(|k| k.since).collect();
        println!(
            "{} (born {:?}, roles {:?}) knows {} people: {names:?} since {since:?}",
            row.person.name, row.person.born, row.person.roles, row.friend_count
        );
        for knows in &row.knows {
            assert_eq!(knows.from, row.person.element_id);
            assert!(row.friends.iter().any(|f| f.element_id == knows.to));
        }
    }

    match find(&mut session, "Ben").await? {
        Some(ben) => println!("found {} ({})", ben.name, ben.element_id),
        None => println!("Ben is missing"),
    }
    session.close().await;
    driver.close().await;
    Ok(())
}
