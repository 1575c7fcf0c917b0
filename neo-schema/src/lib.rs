//! `neo-schema`: exports the schema of a running Neo4j database (its labels,
//! relationship types and the types of their properties) to
//! `neo-schema.toml`, the file checked query modules (`#[queries]`) read at
//! compile time.
//!
//! The binary is the usual way in:
//!
//! ```sh
//! NEO4J_PASSWORD=secret cargo run -p neo-schema -- --uri bolt://localhost:7687 --output neo-schema.toml
//! ```
//!
//! It reads the server's `CALL db.schema.nodeTypeProperties()` and
//! `CALL db.schema.relTypeProperties()`, maps their rows to the one model of
//! the file, [`Schema`] (`neo_cypher::schema`, which also reads it back for
//! checked queries), and writes one table per label and relationship type,
//! with Cypher 5 type names and `NOT NULL` where every entity has the
//! property:
//!
//! ```toml
//! # neo-schema.toml: labels, relationship types and property types of database `neo4j`
//! # exported from bolt://localhost:7687 by `neo-schema`; checked queries read it at compile time.
//! [nodes.Movie]
//!
//! [nodes.Person]
//! born = "INTEGER"
//! name = "STRING NOT NULL"
//!
//! [relationships.ACTED_IN]
//! roles = "LIST<STRING>"
//! ```
//!
//! The same from code, against an embedded server:
//!
//! ```
//! use neo_embedded::{EmbeddedServer, ServerConfig};
//! use neo_runtime::{AuthToken, Driver, SessionConfig};
//! use neo_schema::{ExportOptions, export};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = EmbeddedServer::start(ServerConfig::new())?;
//! let driver = Driver::new(&server.uri(), AuthToken::basic("neo4j", "password"))?;
//! let mut session = driver.session(SessionConfig::default())?;
//! session.run("CREATE (:Person {name: 'Ann'})").await?.consume().await?;
//! session.close().await;
//!
//! let options = ExportOptions::new(server.uri()).with_auth("neo4j", "password");
//! let exported = export(&options).await?;
//! let name = exported.schema.label("Person").and_then(|person| person.property("name"));
//! assert_eq!(name.unwrap().declared_type(), "STRING NOT NULL");
//! assert!(exported.to_toml().contains("[nodes.Person]\nname = \"STRING NOT NULL\"\n"));
//! # driver.close().await;
//! # server.shutdown().await;
//! # Ok(())
//! # }
//! ```

#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod error;
mod export;
mod exported;
mod rows;
mod types;

pub use error::ExportError;
pub use export::{ExportOptions, export};
pub use exported::ExportedSchema;
pub use neo_cypher::schema::{Entity, Property, PropertyType, Schema};
pub use rows::{NodeTypeRow, RelTypeRow, from_rows};
pub use types::cypher_type;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
