//! `neo-cypher`: an offline parser for the Cypher dialect of Neo4j 5, with
//! precise error positions and the analyses checked queries need.
//!
//! It is built to run inside a procedural macro: a typical query parses and
//! analyses in microseconds. Its one dependency, `toml` (parser only), reads
//! schema files.
//!
//! - [`parse`] turns text into a [`Query`] or a [`SyntaxError`] that can
//!   [`render`](SyntaxError::render) a caret excerpt.
//! - [`Query`] answers: which [parameters](Query::parameters), which
//!   [columns](Query::returned_columns), [read-only](Query::is_read_only)
//!   or not, and which [labels](Query::labels),
//!   [relationship types](Query::relationship_types) and
//!   [property keys](Query::property_keys) it mentions.
//! - [`Query::check_schema`] compares a query with a [`schema::Schema`]
//!   (a `neo-schema.toml` file): unknown labels, relationship types and
//!   property keys, and [`Query::column_types`] gives the declared types of
//!   returned properties.
//! - [`suggest`] finds a likely intended name for "did you mean".
//! - [`ast`] is the syntax tree.
//!
//! # Coverage
//!
//! The grammar follows Neo4j 5: all query clauses (including `CALL { … } IN
//! TRANSACTIONS`, `FOREACH`, `LOAD CSV`, `USE`, `FINISH`, `FILTER`, `LET`),
//! quantified path patterns and path selectors, label expressions and
//! dynamic labels, subquery expressions, comprehensions, type predicates,
//! `SHOW` commands, and index, constraint and database commands.
//!
//! Beyond syntax it enforces only what Neo4j reports as syntax errors and
//! can be decided without a catalog: `UNION` parts return the same column
//! names, `RETURN` comes last, a query ends with a returning or updating
//! clause, `WITH` expressions are aliased, column names are unique, and
//! index/constraint properties use the pattern's variable. Variable scoping
//! is not checked.
//!
//! Known gaps: user, role, privilege, alias and server commands are
//! recognised by their leading keywords, their bodies are checked only for
//! balanced brackets; syntax new in Cypher 25 (`NEXT`, conditional `WHEN`
//! queries, `INSERT`) is not accepted; nesting is limited to 40 levels so a
//! parse always fits a small stack.
//!
//! ```
//! let query = neo_cypher::parse("MATCH (n:Person) WHERE n.age > $min RETURN n.name, n.age AS age")?;
//! assert_eq!(query.returned_columns().unwrap().names().unwrap(), ["n.name", "age"]);
//! assert_eq!(query.parameters()[0].name, "min");
//!
//! let text = "MATCH (n:Person) RETRUN n";
//! let error = neo_cypher::parse(text).unwrap_err();
//! assert_eq!(error.column, 18);
//! assert!(error.render(text).contains("did you mean `RETURN`?"));
//! # Ok::<(), neo_cypher::SyntaxError>(())
//! ```

#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod analysis;
pub mod ast;
mod detail;
mod error;
mod lexer;
mod parser;
mod query;
pub mod schema;
mod schema_check;
mod semantic;
mod span;
mod suggest;

pub use analysis::{Column, ReturnColumns};
pub use detail::ErrorDetail;
pub use error::SyntaxError;
pub use query::{Query, parse, scan_parameters};
pub use span::Span;
pub use suggest::suggest;
