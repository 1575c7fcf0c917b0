//! The generated items pass strict lints.
#![deny(missing_docs, unreachable_pub, warnings, rust_2018_idioms, unused)]

use neo_runtime::{ManagedTransaction, Node, Record, Relationship, Result, unit_of_work};

/// People.
pub mod people {
    use super::*;

    /// Creates a person.
    #[unit_of_work(write, timeout = 1)]
    pub async fn create(tx: &mut ManagedTransaction<'_>, name: &str) -> Result<()> {
        tx.run(neo_runtime::Query::new("CREATE (:Person {name: $name})").param("name", name))
            .await?
            .consume()
            .await?;
        Ok(())
    }

    /// Private to the module.
    #[unit_of_work(read)]
    async fn count(_tx: &mut ManagedTransaction<'_>) -> Result<i64> {
        Ok(0)
    }

    /// Crate-visible.
    #[unit_of_work(read)]
    pub(crate) async fn both(tx: &mut ManagedTransaction<'_>) -> Result<i64> {
        count::body(tx).await
    }

    /// A person.
    #[derive(Node)]
    #[neo(label = "Person")]
    pub struct Person {
        /// The name.
        pub name: String,
    }

    /// A relationship.
    #[derive(Relationship)]
    pub struct Knows {
        /// Since when.
        pub since: i64,
    }

    /// A row.
    #[derive(Record)]
    pub struct Row {
        /// The person.
        pub person: Person,
        /// The relationship.
        pub knows: Option<Knows>,
    }
}

fn main() {
    let _ = (people::create::CONFIG, people::both::CONFIG);
}
