//! Compile-time checked queries: a module of Cypher whose syntax, parameters
//! and returned columns are checked while this file compiles, with no
//! database; labels, relationship types and properties are checked against
//! a schema file (`queries/neo-schema.toml`). Runs against an
//! embedded server:
//!
//! ```sh
//! cargo run --example queries
//! ```

use neo_runtime::{Record, SessionConfig};

/// One row of `people::employees`: its fields are the columns the query must
/// return, checked at compile time.
#[derive(Debug, Record)]
pub struct Employee {
    name: String,
    company: String,
}

#[neo_runtime::queries(schema = "queries/neo-schema.toml")]
mod people {
    use super::Employee;
    use neo_runtime::ResultSummary;

    /// Adds a person.
    #[query("CREATE (p:Person {name: $name})")]
    pub fn add(name: &str) -> ResultSummary;

    /// Links a person to a company (the text lives in a file).
    #[query(file = "queries/add_employee.cypher")]
    pub fn add_employee(person_name: &str, company_name: &str);

    /// Who works where, by name.
    #[query(
        "MATCH (p:Person)-[:WORKS_FOR]->(c:Company)
         RETURN p.name AS name, c.name AS company
         ORDER BY name"
    )]
    pub fn employees() -> Vec<Employee>;
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let connection = neo_examples::connect().await?;
    let driver = connection.driver.clone();
    let mut session = driver.session(SessionConfig::default())?;
    for name in ["Alice", "Bob"] {
        let summary = people::add(&mut session, name).await?;
        println!("added {name}: {} node(s)", summary.counters().nodes_created);
        people::add_employee(&mut session, name, "Acme").await?;
    }
    for employee in people::employees(&mut session).await? {
        println!("{} works for {}", employee.name, employee.company);
    }
    session.close().await;
    driver.close().await;
    Ok(())
}
