//! Tests with a database each: `#[neo_runtime::test]` starts an embedded
//! server for every test (or, with `NEO4J_URI` set, creates a database on
//! that server), applies the fixtures of `tests/fixtures/` (checked against
//! `queries/neo-schema.toml` while this file compiles), and hands the test
//! a `Session` or a `Driver`. The tests share nothing and run in parallel:
//!
//! ```sh
//! cargo test -p neo-examples --test employees
//! ```

use neo_runtime::{Driver, QueryConfig, Record, Result, Session};

/// Who works where.
#[derive(Debug, PartialEq, Record)]
pub struct Employee {
    name: String,
    company: String,
}

impl Employee {
    fn new(name: &str, company: &str) -> Self {
        Employee {
            name: name.to_owned(),
            company: company.to_owned(),
        }
    }
}

#[neo_runtime::queries(schema = "queries/neo-schema.toml")]
mod staff {
    use super::Employee;

    /// Every employee, by name.
    #[query(
        "MATCH (p:Person)-[:WORKS_FOR]->(c:Company)
         RETURN p.name AS name, c.name AS company
         ORDER BY name"
    )]
    pub fn employees() -> Vec<Employee>;

    /// Hires a person: links them to the company, created if needed.
    #[query(
        "MATCH (p:Person {name: $name})
         MERGE (c:Company {name: $company})
         MERGE (p)-[:WORKS_FOR]->(c)"
    )]
    pub fn hire(name: &str, company: &str);
}

#[neo_runtime::test(fixtures("staff"), schema = "queries/neo-schema.toml")]
async fn the_staff_fixture_says_who_works_where(mut session: Session) -> Result<()> {
    assert_eq!(
        staff::employees(&mut session).await?,
        [
            Employee::new("Ann", "Initech"),
            Employee::new("Bob", "Acme")
        ]
    );
    Ok(())
}

#[neo_runtime::test(fixtures("staff"), schema = "queries/neo-schema.toml")]
async fn hiring_makes_an_employee(mut session: Session) -> Result<()> {
    staff::hire(&mut session, "Cy", "Globex").await?;
    let employees = staff::employees(&mut session).await?;
    assert!(employees.contains(&Employee::new("Cy", "Globex")));
    assert_eq!(employees.len(), 3);
    Ok(())
}

#[neo_runtime::test]
async fn without_fixtures_the_database_is_empty(driver: Driver) -> Result<()> {
    let result = driver
        .execute_query("MATCH (n) RETURN count(n) AS n", QueryConfig::default())
        .await?;
    assert_eq!(result.records[0].get_as::<i64>("n")?, 0);
    Ok(())
}
