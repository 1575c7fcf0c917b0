//! `neo-cypher`: an offline parser for the Cypher dialect of Neo4j 5, with
//! precise error positions and the analyses checked queries need.
//!
//! It is built to run inside a procedural macro: a typical query parses and
//! analyses in microseconds. Its one dependency, `toml` (parser only), reads
//! schema files.
//!
//! - [`parse`] turns text into a [`Query`] or a [`SyntaxError`] that can
//!   [`render`](SyntaxError::render) a caret excerpt and that Neo4j would
//!   report the same way: its [`detail`](SyntaxError::detail) (an
//!   [`ErrorDetail`], as the openCypher TCK names them) and its status
//!   [`code`](SyntaxError::code).
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
//! # Semantic analysis
//!
//! After parsing, every query goes through the checks of Neo4j's own front
//! end that can be decided without a database: variables in scope through
//! `WITH`, `UNWIND`, `CALL` subqueries, `UNION` and comprehensions, and
//! never bound twice; node, relationship, path and value variables not
//! mixed up; functions that exist, with the right number of arguments and,
//! for the functions of nodes, relationships and paths, arguments that can
//! have the right type; operands of known types (`NOT 1`, `'a' % 2`);
//! aggregations only where allowed, not nested, with explicit grouping
//! keys; `SKIP` and `LIMIT` constant, non-negative integers; relationships
//! to create with one type, a direction and a fixed length; `DELETE` of
//! entities only; no parameter maps in `MATCH` and `MERGE` patterns;
//! `UNION` parts that agree. What depends on the database (procedure
//! signatures, property types, parameter values) is left to the server: a
//! query rejected here is one Neo4j rejects.
//!
//! ```
//! use neo_cypher::ErrorDetail;
//!
//! let text = "MATCH (p:Person) RETURN p.name, count(*) ORDER BY p.age";
//! let error = neo_cypher::parse(text).unwrap_err();
//! assert_eq!(error.detail(), ErrorDetail::UndefinedVariable);
//! assert_eq!(error.code(), "Neo.ClientError.Statement.SyntaxError");
//! assert_eq!(error.column, 51);
//! ```
//!
//! Known gaps: user, role, privilege, alias and server commands are
//! recognised by their leading keywords, their bodies are checked only for
//! balanced brackets; syntax new in Cypher 25 (`NEXT`, conditional `WHEN`
//! queries, `INSERT`) is not accepted. Nesting is limited to 256 levels of
//! brackets and 2000 operators in one expression: queries nesting more than
//! 32 levels (or chaining more than 150 operators) are parsed on a thread
//! of their own with a large stack, so that a parse always fits the stack
//! of its caller.
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
mod statements;
mod suggest;

pub use analysis::{Column, ReturnColumns};
pub use detail::ErrorDetail;
pub use error::SyntaxError;
pub use query::{Query, parse, scan_parameters};
pub use span::Span;
pub use statements::split_statements;
pub use suggest::suggest;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
